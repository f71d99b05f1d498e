"""Two-column regions (the header, the closing): found by their river, split into a left and a
right column (step 4).
"""

from __future__ import annotations

from .glyphs import _Line
from .paragraphs import _Metrics
from .pdfium import _Page

# ---------------------------------------------------------------------------------------------
# Two-column regions
# ---------------------------------------------------------------------------------------------


def _big_gaps(ln: _Line) -> list[tuple[float, float]]:
    """Gaps between words wider than 1.8 font sizes, widest first."""
    gaps = []
    for a, b in zip(ln.pieces, ln.pieces[1:], strict=False):
        if b.x0 - a.x1 >= 1.8 * max(ln.size, 1.0):
            gaps.append((a.x1, b.x0))
    gaps.sort(key=lambda g: g[0] - g[1])
    return gaps


def _two_sided_gap(ln: _Line) -> tuple[float, float] | None:
    """The one wide gap of a line (a dominant one when there are several: not a table row)."""
    gaps = _big_gaps(ln)
    if not gaps:
        return None
    if len(gaps) > 1 and (gaps[0][1] - gaps[0][0]) < 2 * (gaps[1][1] - gaps[1][0]):
        return None
    return gaps[0]


def _uncovered(lo: float, hi: float, ln: _Line) -> tuple[float, float] | None:
    """The widest part of (lo, hi) that no word of ``ln`` covers."""
    cuts = sorted((max(lo, p.x0), min(hi, p.x1)) for p in ln.pieces if p.x1 > lo and p.x0 < hi)
    best: tuple[float, float] | None = None
    cur = lo
    for a, b in [*cuts, (hi, hi)]:
        if a > cur and (best is None or a - cur > best[1] - best[0]):
            best = (cur, a)
        cur = max(cur, b)
    return best


def _sides(ln: _Line, lo: float, hi: float) -> bool:
    """Whether the line has words on both sides of (lo, hi)."""
    return any(p.x1 <= lo + 0.5 for p in ln.pieces) and any(p.x0 >= hi - 0.5 for p in ln.pieces)


def _side_extent(ln: _Line, mid: float, side: int) -> tuple[float, float] | None:
    ps = [p for p in ln.pieces if ((p.x0 + p.x1) / 2 < mid) == (side == 1)]
    return (ps[0].x0, ps[-1].x1) if ps else None


def _aligned_after(lines: list[_Line], start: int, end: int, lo: float, hi: float, pitch: float) -> int:
    """Extend a region over the lines after it that line up with one of its columns: a
    signature name under a few empty lines is still the right column's."""
    mid = (lo + hi) / 2
    k = end + 1
    while k < len(lines):
        ln = lines[k]
        u = _uncovered(lo, hi, ln)
        if u is None or u[1] - u[0] < ln.size:
            break
        side = 1 if ln.x1 <= mid else 2
        col = [(e, m.y) for m in lines[start:k] if (e := _side_extent(m, mid, side))]
        if not col or ln.y - col[-1][1] > 8 * pitch * ln.size:
            break
        centers = [(a + b) / 2 for (a, b), _ in col]
        lefts = [a for (a, _), _ in col]
        c = (ln.x0 + ln.x1) / 2
        if (
            len(col) >= 2
            and max(centers) - min(centers) <= 3.0
            and abs(c - sum(centers) / len(centers)) <= 3.0
        ):
            pass  # centred under a centred column
        elif max(lefts) - min(lefts) <= 2.0 and abs(ln.x0 - lefts[0]) <= 2.0:
            pass  # flush with a column's left edge
        else:
            break
        end = k
        k += 1
    return end


def _is_region(lines: list[_Line], lo: float, hi: float, two_sided: int) -> bool:
    """Whether lines split by the river (lo, hi) are a two-column block (a header or closing
    table) rather than, say, a list of labels and tab-aligned values: each column has two lines
    or more, the river lies in the middle part of the block, and the columns have lines of their
    own (not all lines have both sides) or one column is centred."""
    mid = (lo + hi) / 2
    span_lo = min(ln.x0 for ln in lines)
    span_hi = max(ln.x1 for ln in lines)
    if not two_sided or span_hi <= span_lo or not 0.15 <= (mid - span_lo) / (span_hi - span_lo) <= 0.85:
        return False
    sides = {
        1: [e for ln in lines if (e := _side_extent(ln, mid, 1))],
        2: [e for ln in lines if (e := _side_extent(ln, mid, 2))],
    }
    if len(sides[1]) < 2 or len(sides[2]) < 2:
        return False
    if two_sided < len(lines):
        return True
    for ext in sides.values():
        centers = [(a + b) / 2 for a, b in ext]
        widths = [b - a for a, b in ext]
        if max(centers) - min(centers) <= 3.0 and max(widths) - min(widths) > 3.0:
            return True
    return False


def _regions(lines: list[_Line], pitch: float) -> list[tuple[int, int, float]]:
    """Two-column regions of a page's lines: (first index, last index, split x).

    A region starts at a line with one wide gap between its words. The following lines join it
    while part of that gap stays uncovered by their words (at least a font size wide) and they
    follow within a few line pitches; the river narrows to what stays uncovered. Lines with words
    on one side only stay at the region's end only when they follow closely (so a title under the
    header is not taken into its right column), or when they line up with a column (a signer's
    name under empty lines). See ``_is_region`` for what makes a region.
    """
    out: list[tuple[int, int, float]] = []
    i = 0
    n = len(lines)

    def close(a: _Line, b: _Line, k: float) -> bool:
        return abs(b.y - a.y) <= k * pitch * max(a.size, b.size)

    while i < n:
        g = _two_sided_gap(lines[i])
        if g is None:
            i += 1
            continue
        lo, hi = g
        members = [i]
        two_sided = [i]
        j = i + 1
        while j < n:
            ln = lines[j]
            u = _uncovered(lo, hi, ln)
            if u is None or u[1] - u[0] < ln.size or not close(lines[members[-1]], ln, 2.6):
                break
            lo, hi = u
            members.append(j)
            if _sides(ln, lo, hi):
                two_sided.append(j)
            j += 1
        end = two_sided[-1]
        for k in members[members.index(end) + 1 :]:
            if not close(lines[end], lines[k], 1.6):
                break
            end = k
        start = i
        while start > 0 and (not out or start - 1 > out[-1][1]):
            ln = lines[start - 1]
            u = _uncovered(lo, hi, ln)
            if u is None or u[1] - u[0] < ln.size or not close(ln, lines[start], 1.6):
                break
            lo, hi = u
            start -= 1
        if _is_region(lines[start : end + 1], lo, hi, len(two_sided)):
            end = _aligned_after(lines, start, end, lo, hi, pitch)
            out.append((start, end, (lo + hi) / 2))
            i = end + 1
        else:
            i += 1
    return out


def _split_regions(pages: list[_Page], m: _Metrics) -> None:
    """Find the two-column regions of each page; put each region's left column before its right."""
    nregion = 0
    for pg in pages:
        new: list[_Line] = []
        prev_end = -1
        for start, end, split in _regions(pg.lines, m.pitch):
            new.extend(pg.lines[prev_end + 1 : start])
            nregion += 1
            lefts: list[_Line] = []
            rights: list[_Line] = []
            for ln in pg.lines[start : end + 1]:
                lp = [p for p in ln.pieces if (p.x0 + p.x1) / 2 < split]
                rp = [p for p in ln.pieces if (p.x0 + p.x1) / 2 >= split]
                if lp:
                    lefts.append(ln.part(lp, 1, nregion))
                if rp:
                    rights.append(ln.part(rp, 2, nregion))
            new.extend(lefts)
            new.extend(rights)
            prev_end = end
        new.extend(pg.lines[prev_end + 1 :])
        pg.lines = new
