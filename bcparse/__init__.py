"""bcparse: read Vietnamese administrative reports (báo cáo UBND) into validated figures.

    import bcparse
    report = bcparse.parse("samples/binh-thanh-doi-ngoai-2024.txt")
    report.value("party.members")          # 280
    report.figures()                        # every keyed figure, with its span
    report.figures_json(all=True)           # the stable contract (shared/spec/figures.md)

The pipeline, one module per stage: readers/ (read) → document.py (the lossless model) →
structure.py (header, sections, closing) → numbers.py + references.py + extract.py with the
grammars/*.yaml (extract) → models.py (validated Report) → render/, audit/, store/.
"""

from __future__ import annotations

from .document import Block, Document, Source
from .errors import BcparseError
from .models import Figure, Report, Section, Span
from .pipeline import parse, parse_document, parse_text
from .readers import read

__all__ = [
    "BcparseError", "Block", "Document", "Figure", "Report", "Section", "Source", "Span",
    "parse", "parse_document", "parse_text", "read",
]
__version__ = "0.1.0"
