"""Glyphs → lines → words: fonts (bold/italic, legacy encodings), characters grouped into lines by
baseline and into words by gaps (steps 1 and 2 of :mod:`bcparse.readers.pdf`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ... import legacy_encodings

# ---------------------------------------------------------------------------------------------
# Fonts
# ---------------------------------------------------------------------------------------------

_BOLD_NAME = re.compile(r"bold|black|heavy|semibold|demi|,b$|-b$", re.IGNORECASE)
_ITALIC_NAME = re.compile(r"italic|oblique|,i$|-it$|,bi$|-bi$", re.IGNORECASE)
_SUBSET = re.compile(r"^[A-Z]{6}\+")
_LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl"})


@dataclass(slots=True)
class _Font:
    name: str  # base font name without the subset prefix
    bold: bool
    italic: bool
    encoding: str | None = None  # legacy encoding of the font ("tcvn3", "vni") when bcparse knows it
    upper: bool = False  # the legacy font is the upper-case variant (.VnTimeH)


def _legacy_font_encoding() -> tuple[Callable[..., Any], Callable[..., str]] | None:
    """``(font_encoding, convert)`` of :mod:`bcparse.legacy_encodings`, looked up when a read
    starts (tests replace them)."""
    fe = getattr(legacy_encodings, "font_encoding", None)
    cv = getattr(legacy_encodings, "convert", None)
    if callable(fe) and callable(cv):
        return fe, cv
    return None


def font_style(name: str, flags: int = 0, weight: int = -1, render_mode: int = 0) -> tuple[bool, bool]:
    """(bold, italic) of a PDF font from its name, descriptor flags and weight, and text render mode."""
    bold = bool(_BOLD_NAME.search(name)) or weight >= 600 or bool(flags & (1 << 18)) or render_mode == 2
    italic = bool(_ITALIC_NAME.search(name)) or bool(flags & (1 << 6))
    return bold, italic


# ---------------------------------------------------------------------------------------------
# Characters → lines → words
# ---------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Char:
    text: str
    x0: float
    x1: float
    y: float  # baseline, from the top of the page
    size: float
    font: _Font
    overprinted: bool = False  # drawn more than once on the same spot (fake bold)


@dataclass(slots=True)
class _Piece:
    """A word: characters without a space or a wide gap between them."""

    text: str
    x0: float
    x1: float
    space: str  # the white space before it on its line ("" for the first word)
    n: int  # characters
    nbold: int
    nitalic: int
    size: float
    encoding: str | None = None


@dataclass(slots=True)
class _Line:
    pieces: list[_Piece]
    y: float  # baseline from the top of the page
    page: int
    size: float = 0.0
    bold: float = 0.0  # share of the characters in a bold font
    italic: float = 0.0
    column: int = 0  # 0: main flow; 1/2: left/right column of a two-column region
    region: int = 0  # 1-based region on the document (0: main flow)

    def __post_init__(self) -> None:
        self.stats()

    def stats(self) -> None:
        n = sum(p.n for p in self.pieces) or 1
        self.bold = sum(p.nbold for p in self.pieces) / n
        self.italic = sum(p.nitalic for p in self.pieces) / n
        sizes: Counter[float] = Counter()
        for p in self.pieces:
            sizes[p.size] += p.n
        self.size = sizes.most_common(1)[0][0] if sizes else 0.0

    @property
    def x0(self) -> float:
        return self.pieces[0].x0

    @property
    def x1(self) -> float:
        return self.pieces[-1].x1

    @property
    def text(self) -> str:
        parts: list[str] = []
        for i, p in enumerate(self.pieces):
            if i:
                parts.append(p.space or " ")
            parts.append(p.text)
        return "".join(parts)

    def part(self, pieces: list[_Piece], column: int, region: int) -> _Line:
        first = pieces[0]
        pieces = [
            _Piece(
                first.text,
                first.x0,
                first.x1,
                "",
                first.n,
                first.nbold,
                first.nitalic,
                first.size,
                first.encoding,
            ),
            *pieces[1:],
        ]
        return _Line(pieces, self.y, self.page, column=column, region=region)


def _dedupe(chars: list[_Char]) -> list[_Char]:
    """Drop characters drawn again on top of one already kept (fake bold), as pdfplumber's
    ``dedupe_chars`` does: same text, within 1 pt (or 15% of the size) in x and y."""
    kept: list[_Char] = []
    for c in chars:
        if kept and not c.text.isspace():
            tol = min(1.0, 0.15 * c.size)
            dup = False
            for k in kept[-3:]:
                if k.text == c.text and abs(k.x0 - c.x0) <= tol and abs(k.y - c.y) <= tol:
                    k.overprinted = dup = True
                    break
            if dup:
                continue
        kept.append(c)
    return kept


def _pieces(chars: list[_Char], convert: Callable[..., str] | None) -> list[_Piece]:
    """Words of one line's characters (sorted by x)."""
    pieces: list[_Piece] = []
    cur: list[_Char] = []
    space = ""
    pending = ""
    prev_x1: float | None = None

    def flush() -> None:
        nonlocal cur, space
        if not cur:
            return
        # one pass over the word's characters (issue 18: this was a fifth of a PDF parse); a word
        # in one font and one size (nearly all) needs no runs and no count of sizes
        c0 = cur[0]
        f0, s0, x1 = c0.font, c0.size, c0.x1
        one_font = one_size = True
        nbold = nitalic = 0
        for c in cur:
            f = c.font
            if f is not f0:
                one_font = False
            if c.size != s0:
                one_size = False
            if c.x1 > x1:
                x1 = c.x1
            if f.bold or c.overprinted:
                nbold += 1
            if f.italic:
                nitalic += 1
        enc: str | None = None
        if one_font:
            text = "".join([c.text for c in cur])
            if f0.encoding and convert is not None:
                # legacy_encodings.convert takes any string (unknown characters pass through)
                text = convert(text, f0.encoding, upper=f0.upper)
                enc = f0.encoding
        else:
            texts: list[str] = []
            # legacy fonts: convert each run of one font
            run: list[_Char] = []
            for ch in [*cur, None]:
                if run and (ch is None or ch.font is not run[0].font):
                    f = run[0].font
                    t = "".join(r.text for r in run)
                    if f.encoding and convert is not None:
                        t = convert(t, f.encoding, upper=f.upper)
                        enc = f.encoding
                    texts.append(t)
                    run = []
                if ch is not None:
                    run.append(ch)
            text = "".join(texts)
        size = round(s0 * 2) / 2 if one_size else Counter(round(c.size * 2) / 2 for c in cur).most_common(1)[0][0]
        pieces.append(_Piece(text=text, x0=c0.x0, x1=x1, space=space, n=len(cur), nbold=nbold, nitalic=nitalic,
                             size=size, encoding=enc))
        cur = []
        space = ""

    for c in chars:
        if c.text.isspace():
            pending += " "
            continue
        gap = c.x0 - prev_x1 if prev_x1 is not None else 0.0
        if pending or (cur and gap > 0.2 * c.size):
            flush()
            space = pending or " "
            pending = ""
        cur.append(c)
        prev_x1 = c.x1 if prev_x1 is None else max(prev_x1, c.x1)
    flush()
    if pieces:
        pieces[0].space = ""
    return pieces


def _merge_scripts(groups: list[list[_Char]]) -> list[list[_Char]]:
    """Put superscripts and subscripts (m², footnote marks) back into the line they belong to: a
    group of smaller characters whose baseline lies within the next or previous line's height."""

    def size(g: list[_Char]) -> float:
        return max((c.size for c in g if not c.text.isspace()), default=0.0)

    out: list[list[_Char]] = []
    i = 0
    while i < len(groups):
        g = groups[i]
        gs, gy = size(g), g[0].y
        if sum(1 for c in g if not c.text.isspace()) > 4:  # only short runs are scripts
            out.append(g)
            i += 1
            continue
        x0, x1 = min(c.x0 for c in g), max(c.x1 for c in g)
        host = None
        for h in (out[-1] if out else None, groups[i + 1] if i + 1 < len(groups) else None):
            if not h or not gs:
                continue
            hs = size(h)
            hy = sorted(c.y for c in h)[len(h) // 2]
            hx0, hx1 = min(c.x0 for c in h), max(c.x1 for c in h)
            if (
                gs <= 0.8 * hs
                and -0.55 * hs <= gy - hy <= 0.35 * hs
                and x0 >= hx0 - hs
                and x1 <= hx1 + hs
                and not any(c.x0 < d.x1 - 0.5 and d.x0 < c.x1 - 0.5 for c in g for d in h)
            ):
                host = h
                break
        if host is None:
            out.append(g)
        else:
            host.extend(g)
        i += 1
    return out


def _lines(chars: list[_Char], page: int, convert: Callable[..., str] | None) -> list[_Line]:
    """Group a page's characters into lines by baseline; top to bottom."""
    if not chars:
        return []
    chars.sort(key=lambda c: (c.y, c.x0))
    groups: list[list[_Char]] = []
    cur: list[_Char] = [chars[0]]
    ref = chars[0].y
    for c in chars[1:]:
        tol = 0.35 * max(c.size, cur[0].size, 4.0)
        if c.y - ref <= tol:
            cur.append(c)
        else:
            groups.append(cur)
            cur = [c]
            ref = c.y
    groups.append(cur)
    out: list[_Line] = []
    for g in _merge_scripts(groups):
        g.sort(key=lambda c: c.x0)
        g = _dedupe(g)
        pieces = _pieces(g, convert)
        if not pieces:
            continue
        ys = sorted(c.y for c in g if not c.text.isspace())
        y = ys[len(ys) // 2] if ys else g[0].y
        out.append(_Line(pieces, y, page))
    out.sort(key=lambda ln: ln.y)
    return out


