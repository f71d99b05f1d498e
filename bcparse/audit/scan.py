"""Figures read from a scan that OCR was not sure of (BC501; docs/ocr.md).

A figure read through OCR carries the lowest confidence of the words it was read from
(``Figure.ocr.confidence``, 0-100). Under :data:`bcparse.readers.ocr.confidence.THRESHOLD` the
figure is reported, with what it reads and where it is on the page, so that a person checks it
against the scan before it is trusted: its value stays in the report (and in the database, with
the finding beside it).
"""

from __future__ import annotations

from ..models import Report
from ..readers.ocr.confidence import THRESHOLD
from .finding import Finding, make
from .util import file_of


def check_scan(report: Report) -> list[Finding]:
    out: list[Finding] = []
    file = file_of(report)
    for f in report.figures():
        if f.ocr is None or f.ocr.confidence >= THRESHOLD or f.derived or f.key is None:
            continue
        where = f"page {f.ocr.page}" if f.ocr.page else "the scan"
        if f.ocr.box is not None:
            x0, y0, _, _ = f.ocr.box
            where += f", {x0 / 72 * 25.4:.0f} mm from the left, {y0 / 72 * 25.4:.0f} mm from the top"
        fixed = f"; corrected {'; '.join(f.ocr.corrections)}" if f.ocr.corrections else ""
        what = f.address or f.key or "a quantity"
        out.append(make("BC501", f"uncertain figure, check the scan: {what} reads {' '.join(f.raw.split())!r} "
                        f"(OCR confidence {f.ocr.confidence:.0f} < {THRESHOLD:.0f}; {where}{fixed})",
                        file=file, line=f.span.line, col=f.span.col, keys=[f.key], values=[f.value],
                        check="ocr-confidence"))
    return out
