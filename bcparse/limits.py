"""Resource limits applied to every input. Defaults sit far above any real report.

Override with environment variables (``BCPARSE_MAX_INPUT_BYTES``, ``BCPARSE_PDF_SECONDS_TOTAL`` …: the
field's name in capitals after ``BCPARSE_``) or :func:`configure`. ``max_input_bytes`` applies to every
input a command reads: a report, a Report JSON given to ``render``, standard input.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from typing import Any


@dataclass(frozen=True, slots=True)
class Limits:
    max_input_bytes: int = 50 * 1024 * 1024  # a 300-page scanned report is ~30 MB
    # characters of text view (line ends included): what bounds memory and time, whatever the format.
    # Parsing costs at most ~800 bytes of memory per character (a view of one-digit lines, each a
    # block and a figure; ~150-250 for quantity-dense prose; benchmarks/README.md), so that 1,000,000
    # characters (~330 pages of dense text, 3x the longest real report seen) stay under 1 GB peak
    max_text_chars: int = 1_000_000
    max_unzipped_bytes: int = 200 * 1024 * 1024  # total decompressed size of a .docx
    max_zip_ratio: int = 200  # decompressed/compressed size of one .docx part
    max_xml_depth: int = 256  # element nesting in a .docx part
    max_pdf_pages: int = 2_000
    pdf_seconds_per_page: float = 10.0
    pdf_seconds_total: float = 120.0  # whole-document budget: 2,000 plain pages read in ~80 s
    max_number_digits: int = 30  # longer digit runs are not read as numbers
    # scans (docs/ocr.md): pages read through OCR, pixels of one page image, seconds of OCR per page
    max_ocr_pages: int = 100
    max_ocr_pixels: int = 60_000_000  # an A3 page at 400 dpi is 31 MP; a 300-dpi A4 page 8.7 MP
    ocr_seconds_per_page: float = 60.0  # Tesseract is stopped at this budget (typical: 1-4 s per page)
    ocr_dpi: int = 250  # resolution PDF pages are rendered at for OCR (docs/ocr.md: 250 read better than 300)


def _from_env() -> Limits:
    base = Limits()
    # field names are only known at run time: mypy cannot check them against ``replace``'s keywords
    kw: dict[str, Any] = {}
    for field in fields(base):
        name = field.name
        env = os.environ.get("BCPARSE_" + name.upper())
        if env:
            try:
                kw[name] = type(getattr(base, name))(env)
            except ValueError:
                pass
    return replace(base, **kw)


_current: Limits | None = None


def current() -> Limits:
    global _current
    if _current is None:
        _current = _from_env()
    return _current


def configure(**kw: int | float) -> Limits:
    """Change limits for this process: ``bcparse.limits.configure(max_input_bytes=10_000_000)``."""
    global _current
    changes: dict[str, Any] = dict(kw)
    _current = replace(current(), **changes)
    return _current
