"""Page furniture: page numbers and running headers and footers taken off (step 3).
"""

from __future__ import annotations

import re

from .glyphs import _Line
from .pdfium import _Page

# ---------------------------------------------------------------------------------------------
# Page furniture: page numbers, running headers and footers
# ---------------------------------------------------------------------------------------------

_PAGE_NUMBER = re.compile(
    r"^(?:[-–—]\s*)?\d{1,3}(?:\s*[-–—])?$"
    r"|^(?:trang|page|tr\.)\s*\d{1,4}(?:\s*(?:/|trên|of)\s*\d{1,4})?$"
    r"|^\d{1,4}\s*/\s*\d{1,4}$",
    re.IGNORECASE,
)


def _margin_zones(lines: list[_Line], pitch: float) -> tuple[list[_Line], list[_Line]]:
    """Lines standing apart at the top and at the bottom of a page: those before the last (after
    the first) break among the first (last) three lines, a break being a vertical gap wider than
    1.3 line pitches or a change of font size (footers are often smaller)."""
    if len(lines) == 1:
        return lines, lines

    def apart(a: _Line, b: _Line) -> bool:
        return b.y - a.y > 1.3 * pitch * max(a.size, b.size) or abs(a.size - b.size) >= 1.5

    top: list[_Line] = []
    bottom: list[_Line] = []
    for i in range(min(3, len(lines) - 1)):
        if apart(lines[i], lines[i + 1]):
            top = lines[: i + 1]  # the last break among the first three lines
    for i in range(len(lines) - 1, max(0, len(lines) - 4), -1):
        if apart(lines[i - 1], lines[i]):
            bottom = lines[i:]  # the first break among the last three lines
    return top, bottom


def _furniture(pages: list[_Page], pitch: float) -> list[str]:
    """Remove page numbers and running headers/footers in place; return the removed texts.

    Only lines standing apart at the top or the bottom of a page are candidates. A candidate
    goes when it is a page number ("2", "- 2 -", "Trang 2/5"), or when the same line (digits
    aside) stands at the same place on several pages: two or more, and at least three or half
    of them (so that two reports bound in one PDF keep their identical headers).
    """
    seen: dict[tuple[str, str], list[_Line]] = {}
    drop: set[int] = set()
    for pg in pages:
        for zone, cands in zip(("top", "bottom"), _margin_zones(pg.lines, pitch), strict=True):
            for ln in cands:
                text = " ".join(ln.text.split())
                if _PAGE_NUMBER.match(text):
                    drop.add(id(ln))
                key = re.sub(r"\d+", "#", text.casefold())
                seen.setdefault((zone, key), []).append(ln)
    need = max(2, min(3, (len(pages) + 1) // 2))
    for occ in seen.values():
        if len({ln.page for ln in occ}) < need:
            continue
        ys = sorted(ln.y for ln in occ)
        # the same place on the page (within 3 pt) on at least two pages
        if any(b - a <= 3.0 for a, b in zip(ys, ys[1:], strict=False)):
            base = ys[len(ys) // 2]
            drop.update(id(ln) for ln in occ if abs(ln.y - base) <= 6.0)
    removed: list[str] = []
    for pg in pages:
        keep = []
        for ln in pg.lines:
            if id(ln) in drop:
                removed.append(ln.text)
            else:
                keep.append(ln)
        pg.lines = keep
    return removed


