"""Recognised words → the PDF reader's lines (``_Line`` of ``_Piece``), in points, so that a
scanned page goes through the same layout steps as a born-digital one (page furniture, the
two-column header and closing, paragraphs: :mod:`bcparse.readers.pdf`).

Steps: a skew measured from Tesseract's baselines is taken out of the word boxes (a 1° skew moves a
line's end by 3 mm); words in numeric contexts are corrected (:func:`fix_numeric`); words are grouped
into page-wide lines by baseline (Tesseract reads the header's two columns as separate blocks, the
PDF reader wants the line whole to see the gap between them); each line's font size is its row
height, snapped to the body size when within 20% of it.
"""

from __future__ import annotations

import math
import re
import statistics
import unicodedata

from ..pdf.glyphs import _Line, _Piece
from ..pdf.pdfium import _Page
from .engine import Word

#: font size (points) per point of Tesseract's row height (x-height + ascenders + descenders),
#: measured on the sample PDF (Times New Roman 14 pt: row heights of 12.0-13.4 pt at 300 dpi)
SIZE_PER_ROW = 1.08

# ---------------------------------------------------------------------------------------------
# numeric corrections
# ---------------------------------------------------------------------------------------------

# letters OCR confuses with digits, replaced only inside a run of digits and separators
_LOOKALIKE = {"O": "0", "o": "0", "Q": "0", "l": "1", "I": "1", "|": "1", "!": "1", "S": "5", "B": "8"}
#: look-alikes replaced only between two digits ("1S0"), not at a word's edge
_INNER_ONLY = {"S", "B"}
_NUMERIC = re.compile(r"^[(\[]?[0-9OoQlI|!SB]*[0-9][0-9OoQlI|!SB.,/%:-]*[)\].,;:%]?$")
_LETTERS = "".join(_LOOKALIKE)


def fix_numeric(text: str) -> tuple[str, tuple[str, ...]]:
    """A word as a number would be written, and the corrections made.

    Only a word that holds a digit and otherwise nothing but separators and letters that look like
    digits is touched, and only a look-alike standing next to a digit or a separator:

    >>> fix_numeric("1.O22")
    ('1.022', ('O→0',))
    >>> fix_numeric("l5")
    ('15', ('l→1',))
    >>> fix_numeric("2O24,")
    ('2024,', ('O→0',))
    >>> fix_numeric("II.")         # a roman numeral: no digit, untouched
    ('II.', ())
    >>> fix_numeric("15ha")        # a unit pasted on: not a number word
    ('15ha', ())
    """
    word = unicodedata.normalize("NFC", text)
    if not _NUMERIC.match(word) or not any(c in _LETTERS for c in word):
        return word, ()
    out: list[str] = []
    fixes: list[str] = []
    for i, c in enumerate(word):
        if c in _LOOKALIKE:
            near = word[max(0, i - 1): i] + word[i + 1: i + 2]
            if c in _INNER_ONLY:
                ok = len(near) == 2 and near.isdigit()
            else:
                ok = any(ch.isdigit() or ch in ".,/" or ch in _LOOKALIKE for ch in near)
            if ok:
                out.append(_LOOKALIKE[c])
                fix = f"{c}→{_LOOKALIKE[c]}"
                if fix not in fixes:
                    fixes.append(fix)
                continue
        out.append(c)
    fixed = "".join(out)
    return (fixed, tuple(fixes)) if fixed[:1].isdigit() or fixed[:1] in "([" else (word, ())


_DIGITS = re.compile(r"^\d{1,3}$")
_GROUP = re.compile(r"^\d{3}(?:[.,]\d{3})*(?:,\d+)?[.,;:%)]?$")


def _merge_groups(words: list[Word]) -> list[Word]:
    """"1 422" with a narrow gap (the "." of "1.422" lost) → "1.422"; recorded on the word."""
    out: list[Word] = []
    for w in words:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.line == w.line
            and _DIGITS.match(prev.text)
            and _GROUP.match(w.text)
            and 0 <= w.x0 - prev.x1 <= 0.35 * max(prev.height, 1.0)
        ):
            prev.raw = (prev.raw or prev.text) + " " + (w.raw or w.text)
            prev.text = prev.text + "." + w.text
            prev.fixes = (*prev.fixes, *w.fixes, "'.' inserted")
            prev.conf = min(prev.conf, w.conf)
            prev.x1, prev.y0, prev.y1 = w.x1, min(prev.y0, w.y0), max(prev.y1, w.y1)
            continue
        out.append(w)
    return out


def _merge_initials(words: list[Word]) -> list[Word]:
    """"N gười" → "Người": a lone capital letter (no period after it) close before a word in lower
    case is the first letter of that word, cut off (a skewed or blurred scan); recorded on the word."""
    out: list[Word] = []
    for w in words:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.line == w.line
            and len(prev.text) == 1
            and prev.text.isupper()
            and w.text[:1].islower()
            and 0 <= w.x0 - prev.x1 <= 0.25 * max(prev.height, 1.0)
        ):
            prev.raw = f"{prev.raw or prev.text} {w.raw or w.text}"
            prev.text += w.text
            prev.fixes = (*prev.fixes, *w.fixes, "space inside a word dropped")
            prev.conf = min(prev.conf, w.conf)
            prev.x1, prev.y0, prev.y1 = w.x1, min(prev.y0, w.y0), max(prev.y1, w.y1)
            continue
        out.append(w)
    return out


# ---------------------------------------------------------------------------------------------
# skew
# ---------------------------------------------------------------------------------------------


def skew_angle(words: list[Word]) -> float:
    """The page's skew (radians, positive: lines fall to the right) from the baselines of long lines."""
    by_line: dict[int, list[Word]] = {}
    for w in words:
        by_line.setdefault(w.line, []).append(w)
    slopes: list[float] = []
    for ws in by_line.values():
        if len(ws) < 4:
            continue
        a, b = ws[0], ws[-1]
        dx = (b.x0 + b.x1) / 2 - (a.x0 + a.x1) / 2
        if dx > 20 * max(a.height, 1.0):
            slopes.append((b.baseline - a.baseline) / dx)
    if len(slopes) < 3:
        return 0.0
    return math.atan(statistics.median(slopes))


def deskew(words: list[Word], angle: float, width: int, height: int) -> None:
    """Rotate the word boxes (and baselines) by ``-angle`` about the page's centre, in place."""
    if abs(angle) < math.radians(0.1):
        return
    cx, cy = width / 2, height / 2
    c, s = math.cos(-angle), math.sin(-angle)

    def rot(x: float, y: float) -> tuple[float, float]:
        dx, dy = x - cx, y - cy
        return cx + c * dx - s * dy, cy + s * dx + c * dy

    for w in words:
        mx = (w.x0 + w.x1) / 2
        nx, nb = rot(mx, w.baseline)
        _, ny = rot(mx, (w.y0 + w.y1) / 2)
        half_w, half_h = (w.x1 - w.x0) / 2, (w.y1 - w.y0) / 2
        w.x0, w.x1 = round(nx - half_w), round(nx + half_w)
        w.y0, w.y1 = round(ny - half_h), round(ny + half_h)
        w.baseline = nb


# ---------------------------------------------------------------------------------------------
# words → lines
# ---------------------------------------------------------------------------------------------


def _speck(w: Word) -> bool:
    """A mark Tesseract read as a word with no confidence, far smaller than its line's letters: dust,
    a stroke of a signature or a stamp."""
    return w.conf < 30 and len(w.text) <= 2 and (w.y1 - w.y0) < 0.4 * max(w.height, 1.0)


_DESCENDER = set("gjpqyọụịỵặậệộợựỹ,;")
_ASCENDER = set("bdfhklt")


def line_height(words: list[Word]) -> float:
    """A line's row height: Tesseract's, unless the line's ink says otherwise. A line holding a
    letter that rises above the x-height (a capital, a b d h k l t, a mark above) and one that goes
    below the baseline spans its whole row in ink; Tesseract's row height of a short line can be a
    third too large (60 px for a 45-px line "VNPT tỉnh Thái Nguyên."), which would make it a line of
    another size and break its paragraph."""
    row = statistics.median(w.height for w in words)
    text = unicodedata.normalize("NFD", "".join(w.text for w in words))
    up = any(c.isupper() or c in _ASCENDER or unicodedata.combining(c) for c in text)
    down = any(c in _DESCENDER for c in unicodedata.normalize("NFC", text))
    ink = max(w.y1 for w in words) - min(w.y0 for w in words)
    if up and down and ink > 0 and abs(row - ink) > 0.2 * ink:
        return float(ink)
    return float(row)


def page_lines(words: list[Word], number: int, dpi: float, width_px: int, height_px: int) -> _Page:
    """A :class:`_Page` (points, y down) whose lines are built from ``words``; every word keeps its
    corrections (``Word.fixes``) and gets its piece's place back through ``pieces``."""
    k = 72.0 / dpi
    words = [w for w in words if not _speck(w)]
    for w in words:
        w.text, fixes = fix_numeric(w.text)
        if fixes:
            w.raw, w.fixes = w.raw or w.text, fixes
    words = _merge_initials(_merge_groups(words))
    deskew(words, skew_angle(words), width_px, height_px)
    page = _Page(number, width_px * k, height_px * k)
    if not words:
        return page
    groups: list[list[Word]] = []
    for w in sorted(words, key=lambda w: (w.baseline, w.x0)):
        size = w.height * k * SIZE_PER_ROW
        if groups:
            g = groups[-1]
            ref = statistics.median(x.baseline for x in g)
            tol = 0.35 * max(size, g[0].height * k * SIZE_PER_ROW, 4.0) / k
            if w.baseline - ref <= tol and not any(x.x0 < w.x1 and w.x0 < x.x1 for x in g):
                g.append(w)
                continue
        groups.append([w])
    lines: list[_Line] = []
    for g in groups:
        g.sort(key=lambda w: w.x0)
        size = line_height(g) * k * SIZE_PER_ROW
        pieces = [
            _Piece(unicodedata.normalize("NFC", w.text), w.x0 * k, w.x1 * k, " " if i else "",
                   len(w.text), 0, 0, size)
            for i, w in enumerate(g)
        ]
        y = statistics.median(w.baseline for w in g) * k
        lines.append(_Line(pieces, y, number))
    lines.sort(key=lambda ln: ln.y)
    page.lines = lines
    page.nchars = sum(len(w.text) for w in words)
    return page


def snap_sizes(pages: list[_Page]) -> None:
    """Row heights vary from line to line: the lines within 20% of the body size (the median size,
    by characters, of the recognised pages) take it, the others are rounded to half a point."""
    sizes = sorted((pc.size, pc.n) for pg in pages for ln in pg.lines for pc in ln.pieces)
    if not sizes:
        return
    half = sum(n for _, n in sizes) / 2
    acc = 0
    body = sizes[-1][0]
    for size, n in sizes:
        acc += n
        if acc >= half:
            body = size
            break
    body = round(body * 2) / 2
    for pg in pages:
        for ln in pg.lines:
            for pc in ln.pieces:
                pc.size = body if abs(pc.size - body) <= 0.2 * body else round(pc.size * 2) / 2
            ln.stats()


# ---------------------------------------------------------------------------------------------
# second readings
# ---------------------------------------------------------------------------------------------

_MARKER_OK = re.compile(r"^(?:[IVX]+\.|\d+(?:\.\d+)*[.)]|[a-zđ][.)])$")
_BARE_NUMBER = re.compile(r"^\d{1,2}\.?$")
_BARE_DIGITS = re.compile(r"^\d{1,2}$")
_SENTENCE_END = re.compile(r"[.:;!?…]$")
#: a mark Tesseract saw between a section number and its title (a tab's gap): "—", "ˆ", "~"
_JUNK = re.compile(r"^[—–ˆ~`'^|_=»«•·]$")
_NOT_MARKER = re.compile(r"^[-+•–—*·(\[“\"]")
#: a second reading is taken when Tesseract is at least this sure of it
REREAD_CONF = 80.0


def marker_candidates(words: list[Word]) -> list[Word]:
    """Words that stand where a section number stands and do not read as one ("H." for "II.",
    "Zh" for "2."): the first word of a line, four characters at most, followed on its line
    by a word in capitals or capitalised."""
    out: list[Word] = []
    for i, w in enumerate(words):
        if i and words[i - 1].line == w.line:
            continue
        nxt = words[i + 1] if i + 1 < len(words) and words[i + 1].line == w.line else None
        if nxt is None or len(w.text) > 4 or _MARKER_OK.match(w.text) or _NOT_MARKER.match(w.text):
            continue
        follow = nxt.text if nxt.text not in ("—", "–") or i + 2 >= len(words) else words[i + 2].text
        if follow[:1].isupper():
            out.append(w)
    return out


def number_candidates(words: list[Word], threshold: float) -> list[Word]:
    """Numbers Tesseract was not sure of: words with a digit, written as a number, under ``threshold``."""
    return [w for w in words if w.conf < threshold and any(c.isdigit() for c in w.text) and _NUMERIC.match(w.text)]


_ROMAN_LOOKALIKE = re.compile(r"^[IlL|!H]{1,4}\.?$")
_ROMAN = re.compile(r"^(?:X{0,2})(?:IX|IV|V?I{0,3})\.$")


def roman_fix(text: str) -> str | None:
    """A roman section number read with look-alikes: "H." → "II.", "HI." → "III.", "L" → "I."
    (never from a digit: "1." is an arabic number).

    >>> roman_fix("H."), roman_fix("HI."), roman_fix("L"), roman_fix("IL."), roman_fix("Ha")
    ('II.', 'III.', 'I.', 'II.', None)
    """
    if not _ROMAN_LOOKALIKE.match(text) or text in ("I.", "II.", "III."):
        return None
    fixed = re.sub(r"[lL|!]", "I", text.rstrip(".")).replace("H", "II") + "."
    return fixed if _ROMAN.match(fixed) and len(fixed) > 1 else None


def split_markers(cands: list[Word]) -> tuple[list[Word], list[Word]]:
    """Candidates fixed at once as roman numbers (:func:`roman_fix`), and those to read again."""
    again: list[Word] = []
    for w in cands:
        fixed = roman_fix(w.text)
        if fixed is None:
            again.append(w)
        else:
            w.raw, w.text = w.raw or w.text, fixed
            w.fixes = (*w.fixes, "roman section number")
    return [w for w in cands if w not in again], again


def apply_markers(words: list[Word], cands: list[Word], readings: list[tuple[str, float]]) -> list[Word]:
    """Take the second readings that are section numbers; drop a dash Tesseract saw after one."""
    for w, (text, conf) in zip(cands, readings, strict=True):
        sure = _MARKER_OK.match(text) and conf >= REREAD_CONF
        # a bare number read with some confidence where the first reading was a guess ("th" → "5")
        guess = _BARE_NUMBER.match(text) and conf >= REREAD_CONF - 20 and conf > w.conf
        if (sure or guess) and text != w.text:
            text = text if text.endswith((".", ")")) else text + "."
            w.raw, w.text = w.raw or w.text, text
            w.fixes = (*w.fixes, "read again as a section number")
            w.conf = min(w.conf, conf) if w.conf >= REREAD_CONF else conf
    # "7 Công tác …" after a sentence's end: the "." of the section number was lost
    for i, w in enumerate(words):
        first = i == 0 or words[i - 1].line != w.line
        ended = i == 0 or _SENTENCE_END.search(words[i - 1].text) is not None
        nxt = words[i + 1] if i + 1 < len(words) and words[i + 1].line == w.line else None
        if first and ended and nxt is not None and _BARE_DIGITS.match(w.text) and nxt.text[:1].isupper():
            w.raw, w.text = w.raw or w.text, w.text + "."
            w.fixes = (*w.fixes, "'.' after a section number")
    out: list[Word] = []
    for i, w in enumerate(words):
        prev = out[-1] if out else None
        if (_JUNK.match(w.text) and prev is not None and prev.line == w.line and _MARKER_OK.match(prev.text)
                and (i < 2 or words[i - 2].line != w.line)):
            prev.fixes = (*prev.fixes, f"'{w.text}' after it dropped")
            prev.raw = prev.raw or prev.text
            continue
        out.append(w)
    return out


def apply_numbers(cands: list[Word], readings: list[tuple[str, float]]) -> None:
    """A number read again with digits only: taken when surer than the first reading. The word keeps
    the lower confidence unless both readings agree."""
    for w, (text, conf) in zip(cands, readings, strict=True):
        if not text or not any(c.isdigit() for c in text) or conf <= w.conf:
            continue
        core = w.text.rstrip(".,;:)")
        if text == core:
            w.conf = conf  # the digits-only reading confirms the first one
        elif len(text) == len(core):
            w.raw, w.text = w.raw or w.text, text + w.text[len(core):]
            w.fixes = (*w.fixes, "read again as a number")


# ---------------------------------------------------------------------------------------------
# section numbers in their sequence
# ---------------------------------------------------------------------------------------------

_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10}
_KIND = (("roman", re.compile(r"^([IVX]+)\.$")), ("arabic", re.compile(r"^(\d{1,2})\.$")),
         ("letter", re.compile(r"^([a-zđ])[.)]$")))


def _roman_value(s: str) -> int:
    total = 0
    for i, c in enumerate(s):
        v = _ROMAN_VALUES[c]
        total += -v if i + 1 < len(s) and _ROMAN_VALUES[s[i + 1]] > v else v
    return total


def _roman(n: int) -> str:
    out = ""
    for v, s in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= v:
            out, n = out + s, n - v
    return out


def marker_kind(text: str) -> tuple[str, int] | None:
    """A section number's kind and value: ``("roman", 3)`` for "III.", ``("arabic", 7)`` for "7.",
    ``("letter", 2)`` for "b."; None for anything else.

    >>> marker_kind("III."), marker_kind("7."), marker_kind("b)"), marker_kind("1.2.")
    (('roman', 3), ('arabic', 7), ('letter', 2), None)
    """
    for kind, rx in _KIND:
        m = rx.match(text)
        if m:
            v = m.group(1)
            if kind == "roman":
                return (kind, _roman_value(v)) if _ROMAN.match(text) else None
            return kind, int(v) if kind == "arabic" else ord(v) - ord("a") + 1
    return None


def marker_text(kind: str, value: int) -> str:
    """A section number written out.

    >>> marker_text("roman", 3), marker_text("arabic", 7), marker_text("letter", 2)
    ('III.', '7.', 'b.')
    """
    if kind == "roman":
        return _roman(value) + "."
    if kind == "arabic":
        return f"{value}."
    return chr(ord("a") + value - 1) + "."


def count_stems(image: object, w: Word) -> int | None:
    """The vertical strokes in a word's box, counted across the middle of its height (above the
    baseline's "."): 3 for "III.". None when the box is too small to tell."""
    h = w.y1 - w.y0
    if h < 12 or w.x1 - w.x0 < 4:
        return None
    top, bottom = w.y0 + round(0.3 * h), w.y0 + round(0.6 * h)
    band = image.crop((w.x0, top, w.x1, bottom)).convert("L")  # type: ignore[attr-defined]
    bw, bh = band.size
    px = band.tobytes()
    lo, hi = min(px), max(px)
    if hi - lo < 60:
        return None
    cut = (lo + hi) / 2
    dark = [sum(1 for y in range(bh) if px[y * bw + x] < cut) >= 0.6 * bh for x in range(bw)]
    runs, prev, width = 0, False, 0
    min_width = max(2, round(0.05 * h))
    for d in [*dark, False]:
        if d:
            width += 1
        elif prev:
            runs += width >= min_width
            width = 0
        prev = d
    return runs


class Numbering:
    """The section numbers read so far in a document (across its pages), by kind: what comes next.

    A heading-position word the first reading could not read as a number is taken with its second
    reading when that reading is a number due there (the one after the last of its kind, or a first
    one, "1." or "a.", under a number of another kind), however unsure Tesseract was of it (a bold
    "7." read "VỀ", then "7." at confidence 11, after "6."). A roman number of I's that repeats the
    last one or skips one is checked against the strokes in its box: "II." whose box holds three
    strokes where "III." is due is "III."; a report's own repeated "II." keeps its two strokes and
    stays as written."""

    def __init__(self) -> None:
        self.last: dict[str, int] = {}
        self.order: list[str] = []  # kinds, the latest last

    def due(self, kind: str) -> list[str]:
        out = [marker_text(kind, self.last[kind] + 1)] if kind in self.last else []
        if kind not in self.last or self.order[-1] != kind:
            out.append(marker_text(kind, 1))
        return out

    def note(self, kind: str, value: int) -> None:
        self.last[kind] = value
        if kind in self.order:
            self.order.remove(kind)
        self.order.append(kind)

    def walk(self, words: list[Word], image: object, readings: dict[int, tuple[str, float]]) -> None:
        """The page's heading-position words in reading order: a second reading (``readings``, by
        ``id`` of the word) taken when it is a number due, a roman number of I's checked against
        its strokes; each section number noted."""
        for i, w in enumerate(words):
            if i and words[i - 1].line == w.line:
                continue
            nxt = words[i + 1] if i + 1 < len(words) and words[i + 1].line == w.line else None
            if nxt is None or not nxt.text[:1].isupper():
                continue
            kind = marker_kind(w.text)
            if kind is None and id(w) in readings:
                text, conf = readings[id(w)]
                text = text if text.endswith((".", ")")) else text + "."
                read = marker_kind(text)
                if read is not None and text in self.due(read[0]):
                    w.raw, w.text = w.raw or w.text, text
                    w.fixes = (*w.fixes, "read again: the section number due there")
                    w.conf = min(w.conf, conf)
                    kind = read
            if kind is None:
                continue
            due = self.due(kind[0])[0] if kind[0] in self.last else None
            if kind[0] == "roman" and due is not None and due != w.text and set(due[:-1]) == {"I"} \
                    and set(w.text[:-1]) == {"I"}:
                stems = count_stems(image, w)
                if stems == len(due) - 1:
                    w.raw, w.text = w.raw or w.text, due
                    w.fixes = (*w.fixes, f"{stems} strokes in its box: the section number due there")
                    kind = ("roman", self.last["roman"] + 1)
            self.note(*kind)
