"""Lines → paragraphs → blocks, with the document-level measures they are judged by (step 5).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from ...document import Block, Mark, Source
from ...textview import continues, normalize_text, strip_markdown
from .glyphs import _Line
from .pdfium import _Page

# ---------------------------------------------------------------------------------------------
# Paragraphs
# ---------------------------------------------------------------------------------------------

_MARKER = re.compile(r"^(?:[IVXLC]+\.|\d+(?:\.\d+)*[.)]|[a-zđ][.)]|[-+*•–—·])", re.IGNORECASE)
_ENDS = re.compile(r"[.:;!?…]$")


@dataclass(slots=True)
class _Metrics:
    pitch: float  # distance between baselines of a paragraph's lines, per point of font size
    spacing: float  # extra space between paragraphs, per point of font size
    body_size: float


@dataclass(slots=True)
class _Column:
    left: float
    right: float
    indent: float | None = None  # the usual first-line indent (from ``left``)


@dataclass(slots=True)
class _Para:
    lines: list[_Line]
    gap: int
    col: _Column
    align: str | None = None


def _rows(dy: float, size: float, m: _Metrics, spacing: bool = True) -> int:
    """How many blank lines (empty paragraphs) fit in ``dy`` points of extra vertical space.

    Each takes a line pitch; the paragraph spacing seen between the document's paragraphs
    (``m.spacing``) is taken off once, for the paragraph that follows them (in table cells, where
    reports set no spacing, ``spacing=False``).
    """
    size = size or m.body_size
    s = m.spacing * size if spacing else 0.0
    return max(0, round((dy - s) / (m.pitch * size))) if dy > 0 else 0


def _blank_lines(a: _Line, b: _Line, m: _Metrics, spacing: bool = True) -> tuple[float, int]:
    """(extra vertical space in line pitches, blank lines) between two consecutive lines."""
    size = (a.size + b.size) / 2 or m.body_size
    p = m.pitch * size
    extra = b.y - a.y - p
    return extra / p, _rows(extra, size, m, spacing)


def _first_word(ln: _Line) -> float:
    return ln.pieces[0].x1 - ln.pieces[0].x0


def _centered(ln: _Line, col: _Column) -> bool:
    """A line centred in the column (not a first line indented by the usual indent)."""
    if ln.x0 <= col.left + ln.size:
        return False
    if col.indent is not None and abs(ln.x0 - col.left - col.indent) <= 1.0:
        return False
    return abs((ln.x0 - col.left) - (col.right - ln.x1)) <= max(3.0, 0.01 * (col.right - col.left))


def _centered_wide(ln: _Line, col: _Column) -> bool:
    """A centred line that (nearly) fills the column: the first line of a centred title."""
    tol = max(3.0, 0.01 * (col.right - col.left))
    return ln.x0 > col.left + 0.25 * ln.size and abs((ln.x0 - col.left) - (col.right - ln.x1)) <= tol


def _break(a: _Line, b: _Line, col: _Column, m: _Metrics) -> tuple[bool, int]:
    """Whether ``b`` starts a new paragraph after ``a`` in one column, and the blank lines before it."""
    extra, blanks = _blank_lines(a, b, m)
    if blanks or extra > 0.25:
        return True, blanks
    if b.y < a.y or abs(a.size - b.size) > 1.0:
        return True, 0
    if (a.bold >= 0.9 and b.bold <= 0.1) or (a.bold <= 0.1 and b.bold >= 0.9):
        return True, 0
    if (a.italic >= 0.9 and b.italic <= 0.1) or (a.italic <= 0.1 and b.italic >= 0.9):
        return True, 0
    room = _first_word(b) + 0.8 * b.size  # the next line's first word and a space, with some slack
    if _centered(b, col) and (_centered(a, col) or _centered_wide(a, col)):
        return (col.right - col.left) - (a.x1 - a.x0) > room, 0
    if b.x0 > col.left + 0.5 * b.size:  # an indented first line
        return True, 0
    if col.right - a.x1 > room:  # a short last line: the next word would have fitted
        return True, 0
    if _MARKER.match(_bare(b.text)) and _ENDS.search(_bare(a.text)):
        return True, 0
    return False, 0


def _paragraphs(lines: list[_Line], col: _Column, m: _Metrics, first_gap: int) -> list[_Para]:
    def joins(a: _Line, b: _Line) -> tuple[bool, int]:
        brk, blanks = _break(a, b, col, m)
        return not brk, blanks

    paras = _group(lines, col, first_gap, joins)
    for p in paras:
        p.align = _align(p)
    return paras


def _group(lines: list[_Line], col: _Column, first_gap: int,
           joins: Callable[[_Line, _Line], tuple[bool, int]]) -> list[_Para]:
    """Lines into paragraphs: a line joins the paragraph before it when ``joins(previous line, line)``
    says so; otherwise it starts one, with the blank lines ``joins`` counted before it."""
    paras: list[_Para] = []
    for ln in lines:
        if paras:
            joined, blanks = joins(paras[-1].lines[-1], ln)
            if joined:
                paras[-1].lines.append(ln)
                continue
        else:
            blanks = first_gap
        paras.append(_Para([ln], blanks, col))
    return paras


def _cell_paragraphs(lines: list[_Line], m: _Metrics, first_gap: int, edge: float | None) -> list[_Para]:
    """A column of a two-column region: one paragraph per line, unless a line was wrapped.

    ``edge`` is the page text column's outer edge on this column's side (left for the left
    column): a centred cell spans twice the distance from its lines' middle to that edge.
    """
    col = _Column(min(ln.x0 for ln in lines), max(ln.x1 for ln in lines))
    centers = [(ln.x0 + ln.x1) / 2 for ln in lines]
    widths = [ln.x1 - ln.x0 for ln in lines]
    # the column is centred when its lines of different widths share their middle
    centred = len(lines) > 1 and max(centers) - min(centers) <= 3.0 and max(widths) - min(widths) > 3.0
    width = col.right - col.left
    if centred and edge is not None:
        width = max(width, 2 * abs(edge - sum(centers) / len(centers)))
    def joins(a: _Line, b: _Line) -> tuple[bool, int]:
        extra, blanks = _blank_lines(a, b, m, spacing=False)
        return not blanks and extra <= 0.3 and _wrapped(a, b, width), blanks

    paras = _group(lines, col, first_gap, joins)
    for p in paras:
        if centred:
            p.align = "center"
        elif all(ln.x0 > col.left + 3.0 and abs(ln.x1 - col.right) <= 2.0 for ln in p.lines):
            p.align = "right"
        else:
            p.align = "left"
    return paras


def _wrapped(a: _Line, b: _Line, width: float) -> bool:
    """Whether ``b`` is the wrapped rest of ``a`` in a cell ``width`` wide: same style, the
    sentence goes on (or both are in capitals), and ``b``'s first word would not have fitted."""
    if abs(a.size - b.size) > 0.5 or (a.bold >= 0.5) != (b.bold >= 0.5):
        return False
    if not (continues(a.text, b.text) or (a.text.isupper() and b.text.isupper())):
        return False
    return (a.x1 - a.x0) + 0.3 * b.size + _first_word(b) > width - b.size


def _align(p: _Para) -> str:
    """The paragraph's alignment from its lines (a one-line paragraph that is not centred or
    right-aligned reads "left"; ``_layout`` gives it the body's alignment)."""
    lines, col = p.lines, p.col
    if len(lines) == 1:
        if _centered(lines[0], col):
            return "center"
    else:
        mid = (col.left + col.right) / 2
        tol = max(3.0, 0.01 * (col.right - col.left))
        if all(abs((ln.x0 + ln.x1) / 2 - mid) <= tol for ln in lines) and any(
            ln.x0 > col.left + ln.size for ln in lines
        ):
            return "center"
    if len(lines) > 1 and all(abs(ln.x1 - col.right) <= 0.5 * ln.size for ln in lines[:-1]):
        return "justify"
    if (
        all(abs(ln.x1 - col.right) <= 0.5 * ln.size for ln in lines)
        and lines[0].x0 > col.left + 3 * lines[0].size
    ):
        return "right"
    return "left"


_COMPOUND_BREAK = re.compile(r"\w[-\u2010\u2011]$")


def _join_lines(texts: list[str]) -> str:
    """A paragraph's lines joined with a space. A hyphen at a line end is kept; when it ends a
    word ("57-" then "KL/TW": a line broken inside a compound) no space is put after it."""
    out = texts[0]
    for t in texts[1:]:
        out += t if _COMPOUND_BREAK.search(out) else " " + t
    return out


def _bare(text: str) -> str:
    """A line's text without markdown markers pasted into it (``textview.strip_markdown``)."""
    return strip_markdown(text.strip())[0]


def _clean_join(lines: list[_Line]) -> tuple[str, list[Mark]]:
    """The paragraph's text (lines normalised, cleaned of markdown markers as every reader does,
    joined as :func:`_join_lines` joins them) and the markers taken out, at their offsets in it."""
    out = ""
    marks: list[Mark] = []
    for ln in lines:
        t, mk = strip_markdown(normalize_text(ln.text.strip()))
        if out and t:
            out += "" if _COMPOUND_BREAK.search(out) else " "
        marks.extend(Mark(m.offset + len(out), m.text) for m in mk)
        out += t
    return out, marks


def _block(p: _Para, page: int, k: int) -> Block:
    text, marks = _clean_join(p.lines)
    n = sum(pc.n for ln in p.lines for pc in ln.pieces) or 1
    nb = sum(pc.nbold for ln in p.lines for pc in ln.pieces)
    ni = sum(pc.nitalic for ln in p.lines for pc in ln.pieces)
    sizes: Counter[float] = Counter()
    encs: Counter[str] = Counter()
    for ln in p.lines:
        for pc in ln.pieces:
            sizes[pc.size] += pc.n
            if pc.encoding:
                encs[pc.encoding] += pc.n
    first = p.lines[0]
    src = Source(page=page, paragraph=k)
    if first.column:
        src.table, src.row, src.cell = first.region, 1, first.column
    return Block(
        text=text,
        kind="cell" if first.column else "paragraph",
        gap=p.gap,
        source=src,
        bold=nb / n >= 0.9,
        italic=ni / n >= 0.9,
        align=p.align,
        size=sizes.most_common(1)[0][0] if sizes else None,
        encoding=encs.most_common(1)[0][0] if encs else None,
        marks=marks,
    )


# ---------------------------------------------------------------------------------------------
# Document-level measures
# ---------------------------------------------------------------------------------------------


def _mode(values: Iterable[float], default: float) -> float:
    c = Counter(values)
    return c.most_common(1)[0][0] if c else default


def _metrics(pages: Sequence[_Page]) -> _Metrics:
    sizes: Counter[float] = Counter()
    for pg in pages:
        for ln in pg.lines:
            for pc in ln.pieces:
                sizes[pc.size] += pc.n
    body = sizes.most_common(1)[0][0] if sizes else 12.0
    ratios: list[float] = []
    for pg in pages:
        for a, b in zip(pg.lines, pg.lines[1:], strict=False):
            if a.column == b.column and abs(a.size - body) <= 0.5 and abs(b.size - body) <= 0.5:
                r = (b.y - a.y) / body
                if 0.95 <= r <= 2.2:
                    ratios.append(round(r * 50) / 50)
    pitch = _mode(ratios, 1.15)
    extras = [r - pitch for r in ratios if 0.1 * pitch < r - pitch < 0.85 * pitch]
    spacing = sorted(extras)[len(extras) // 2] if len(extras) >= 3 else 0.0
    return _Metrics(pitch=pitch, spacing=spacing, body_size=body)


def _column(lines: Sequence[_Line]) -> _Column:
    """The text column: where most lines start, where full lines end, the usual first-line indent."""
    if not lines:
        return _Column(0.0, 0.0)
    x0 = sorted(ln.x0 for ln in lines)
    x1 = sorted(ln.x1 for ln in lines)
    left = x0[min(len(x0) - 1, len(x0) // 20)]
    right = x1[max(0, len(x1) - 1 - len(x1) // 20)]
    indents = [round((ln.x0 - left) * 2) / 2 for ln in lines if ln.size and ln.x0 - left > 0.5 * ln.size]
    ind = Counter(indents).most_common(1)
    return _Column(left, right, ind[0][0] if ind and ind[0][1] >= 2 else None)


