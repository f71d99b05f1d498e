"""bcparse: read Vietnamese administrative reports (báo cáo UBND) into validated figures.

    import bcparse
    report = bcparse.parse("samples/binh-thanh-doi-ngoai-2024.txt")
    report.value("party.members")          # 280
    report.figures()                        # every keyed figure, with its span
    report.figures_json(all=True)           # the stable contract (docs/figures.md)

The pipeline, one module per stage: readers/ (read) → document.py (the lossless model) →
structure.py (header, sections, closing) → numbers.py + references.py + extract.py with the
grammars/*.yaml (extract) → models.py (validated Report) → render/, audit/, store/.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .document import Block, Document, Source
    from .errors import BcparseError
    from .models import Figure, Report, Section, Span
    from .pipeline import parse, parse_document, parse_text
    from .readers import read

#: the names ``import bcparse`` offers, each loaded from its module on first use (PEP 562), so
#: that ``import bcparse`` (and ``bcparse --version``) does not load the parser or pydantic
_LAZY = {
    "Block": "document", "Document": "document", "Source": "document",
    "BcparseError": "errors",
    "Figure": "models", "Report": "models", "Section": "models", "Span": "models",
    "parse": "pipeline", "parse_document": "pipeline", "parse_text": "pipeline",
    "read": "readers",
}


def __getattr__(name: str) -> Any:
    mod = _LAZY.get(name)
    if mod is None:
        raise AttributeError(f"module 'bcparse' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{mod}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


def render_text(report: Report) -> str:
    """The report's text: its text view when it was read, a complete report when built in code."""
    from .render.text import render_text as _render_text

    return _render_text(report)


def render_docx(report: Report, path: str) -> None:
    """Write the report as a .docx in the state format (Nghị định 30/2020)."""
    from .render.docx import render_docx as _render_docx

    _render_docx(report, path)


def audit(*reports: Report) -> list:
    """Findings on the reports (each alone, and across them when several)."""
    from .audit import audit as _audit

    return list(_audit(*reports))


__all__ = [
    "BcparseError", "Block", "Document", "Figure", "Report", "Section", "Source", "Span",
    "audit", "parse", "parse_document", "parse_text", "read", "render_docx", "render_text",
]
__version__ = "0.1.0"
