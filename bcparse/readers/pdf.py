"""PDF reader: bytes → Document, one block per paragraph, with page provenance.

How a page becomes blocks
-------------------------
1. **Characters.** pypdfium2 (PDFium) gives every character with its box, baseline and font
   size, and its text object; the font name (``…-Bold``, ``…,Italic``, ``.VnTime``) and size are
   read once per text object. Line ends and spaces PDFium guessed are dropped; spaces the PDF
   draws are kept (LibreOffice and Word draw one space glyph for a run of spaces, so
   ``Số:      /BC-UBND`` usually reads ``Số: /BC-UBND``). PDFium already drops a glyph drawn
   again on the same spot (fake bold); ``_dedupe`` is a second net for near misses.
2. **Lines and words.** Characters are grouped into lines by baseline (a superscript goes back
   into its line) and sorted by x. A horizontal gap wider than a fifth of the font size, or a
   space, separates words. Words in a legacy font (``.VnTime``: TCVN3) are converted when
   ``bcparse.legacy_encodings`` knows the font.
3. **Page furniture.** Among the lines standing apart at the top or the bottom of a page, page
   numbers ("2", "- 2 -", "Trang 2/5") and lines repeated at the same place on several pages
   (running headers and footers) are removed; ``Document.meta["removed"]`` lists them.
4. **Two-column regions.** Consecutive lines whose words leave one wide uncovered gap (a
   "river") form a region: the header (cơ quan | quốc hiệu) and the closing (Nơi nhận | chữ ký),
   wherever they are. The river is the widest horizontal gap that no word of the region covers;
   the region's left column is emitted before its right column (``kind="cell"``,
   ``Source.cell`` 1 or 2), as the .docx reader emits a table's cells.
5. **Paragraphs.** In the main flow a new paragraph starts at a vertical gap larger than the
   line pitch, an indented first line, after a short last line (the next line's first word would
   have fitted), at a change of size or of bold/italic, and at a section marker after a line
   that ends a sentence. Empty paragraphs become blank lines (``gap``) from the vertical space,
   less the document's paragraph spacing. A paragraph's lines are joined with a space; a hyphen
   at a line end is kept, with no space after it when it ends a word ("57-" + "KL/TW").
6. **Across pages.** A paragraph that a page break split (the next page goes on in lower case,
   or the previous page ended on a full justified line) is joined (``join_into``); so is a
   lower-case continuation anywhere in the main flow, as the .txt and .docx readers do.

What a PDF cannot tell: an empty paragraph at the bottom of a page leaves no trace, so that
blank line is missing from the view; automatic numbering is plain text (``Block.label`` stays
None); a one-line paragraph takes the alignment of the body's longer paragraphs.

Hostile files: Flate streams are checked before PDFium inflates them (``_check_streams``), a page
holding far more objects or characters than a report page is refused, and the time budget is
checked between pages. PDFium's parse of one page cannot be interrupted, so a page built to be
slow still costs that parse; read untrusted PDFs in a child process with a memory limit.

Speed, measured on samples/binh-thanh-doi-ngoai-2024.pdf (10 pages, 13,300 characters; median
of 11 interleaved runs, load average 1.4): this reader 78 ms, pdfplumber ``extract_text`` 318 ms,
pdfplumber ``dedupe_chars().extract_words(extra_attrs=…)`` 674 ms, pypdfium2 ``get_text_range``
6 ms. Under heavier load (average 5) the ratios held: 223 / 922 / 1,829 / 15 ms. pdfplumber's
words alone cost twice its text, hence PDFium's characters.
"""

from __future__ import annotations

import ctypes
import math
import re
import threading
import time
import unicodedata
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .. import legacy_encodings, limits
from ..document import Block, Document, Source
from ..errors import (
    BcparseError,
    CorruptFileError,
    EmptyInputError,
    EncryptedPdfError,
    ResourceLimitError,
    ScannedPdfError,
    UnsafeFileError,
)
from ..textview import continues, join_into, normalize_text

MSG_ENCRYPTED = "the PDF is encrypted: give its password with --password"
MSG_WRONG_PASSWORD = (
    "the PDF is encrypted and the password given does not open it: give the right one with --password"
)
MSG_SCANNED = "the PDF has no text layer (a scan?): run OCR first, e.g. ocrmypdf -l vie in.pdf out.pdf"

# PDFium is not thread-safe: one document at a time in this process
_PDFIUM_LOCK = threading.Lock()

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
        texts: list[str] = []
        enc: str | None = None
        # legacy fonts: convert each run of one font
        run: list[_Char] = []
        for c in cur + [None]:  # type: ignore[list-item]
            if run and (c is None or c.font is not run[0].font):
                f = run[0].font
                t = "".join(r.text for r in run)
                if f.encoding and convert is not None:
                    try:
                        t = convert(t, f.encoding, upper=f.upper)
                        enc = f.encoding
                    except Exception:  # noqa: BLE001 - a converter bug must not stop the read
                        pass
                texts.append(t)
                run = []
            if c is not None:
                run.append(c)
        sizes = Counter(round(c.size * 2) / 2 for c in cur)
        pieces.append(
            _Piece(
                text="".join(texts),
                x0=cur[0].x0,
                x1=max(c.x1 for c in cur),
                space=space,
                n=len(cur),
                nbold=sum(1 for c in cur if c.font.bold or c.overprinted),
                nitalic=sum(1 for c in cur if c.font.italic),
                size=sizes.most_common(1)[0][0],
                encoding=enc,
            )
        )
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


# ---------------------------------------------------------------------------------------------
# PDFium access
# ---------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Page:
    number: int
    width: float
    height: float
    lines: list[_Line] = field(default_factory=list)
    nchars: int = 0
    has_images: bool = False
    pua: int = 0  # characters in the private use area (fonts without a Unicode map)


def _transform(rotation: int, w: float, h: float) -> Callable[[float, float], tuple[float, float]]:
    """User space (origin at the bottom left of the crop box) → display space (y down)."""
    if rotation == 90:
        return lambda x, y: (y, x)
    if rotation == 180:
        return lambda x, y: (w - x, y)
    if rotation == 270:
        return lambda x, y: (h - y, w - x)
    return lambda x, y: (x, h - y)


# A report page holds a few thousand characters in a few thousand objects; these bounds stop a
# page built to exhaust the reader (Form XObjects drawing each other: millions of characters from
# a few kB) soon after PDFium has parsed it. PDFium's own parse of such a page cannot be
# interrupted: read untrusted PDFs in a child process with a memory limit for full protection.
MAX_PAGE_OBJECTS = 100_000
MAX_PAGE_TEXT_OBJECTS = 20_000
MAX_PAGE_CHARS = 200_000


_FORMS = re.compile(rb"/Subtype\s*/Form|/ObjStm")


class _TooComplex(Exception):
    def __init__(self, page: int, what: str) -> None:
        super().__init__(what)
        self.page = page
        self.what = what


def _count_objects(pdfium_c: Any, page: Any, number: int) -> None:
    """Walk the page's objects, into Form XObjects, and stop at the bounds above."""
    stack: list[tuple[Any, bool]] = [(page.raw, True)]
    total = 0
    texts = 0
    while stack:
        holder, is_page = stack.pop()
        n = pdfium_c.FPDFPage_CountObjects(holder) if is_page else pdfium_c.FPDFFormObj_CountObjects(holder)
        total += max(n, 0)
        if total > MAX_PAGE_OBJECTS:
            raise _TooComplex(number, f"over {MAX_PAGE_OBJECTS:,} objects")
        for i in range(max(n, 0)):
            obj = (
                pdfium_c.FPDFPage_GetObject(holder, i)
                if is_page
                else pdfium_c.FPDFFormObj_GetObject(holder, i)
            )
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
                texts += 1
                if texts > MAX_PAGE_TEXT_OBJECTS:
                    raise _TooComplex(number, f"over {MAX_PAGE_TEXT_OBJECTS:,} text objects")
            elif kind == pdfium_c.FPDF_PAGEOBJ_FORM:
                stack.append((obj, False))


_TEXT_OBJECT_FN: tuple[Any, Any] | None = None


def _text_object_fn(pdfium_c: Any) -> tuple[Any, Any]:
    """``FPDFText_GetTextObject`` returning the object's address as an int (a dictionary key
    without a ``ctypes.cast`` per character), and the pointer type to cast it back to."""
    global _TEXT_OBJECT_FN
    if _TEXT_OBJECT_FN is None:
        f = pdfium_c.FPDFText_GetTextObject
        proto = ctypes.CFUNCTYPE(ctypes.c_void_p, *f.argtypes)
        _TEXT_OBJECT_FN = (proto(ctypes.cast(f, ctypes.c_void_p).value), f.restype)
    return _TEXT_OBJECT_FN


def _read_page(
    pdf: Any, index: int, fonts: dict[int, tuple[_Font | None, float]], legacy: Any, forms: bool = True
) -> _Page:
    """Characters of one page turned into lines."""
    import pypdfium2.raw as pdfium_c

    page = pdf[index]
    textpage = None
    try:
        left, bottom, right, top = page.get_bbox()
        w, h = right - left, top - bottom
        rotation = page.get_rotation() % 360
        disp_w, disp_h = (h, w) if rotation in (90, 270) else (w, h)
        to_display = _transform(rotation, w, h)
        if forms:  # a page without Form XObjects has had its objects counted by PDFium's parse
            _count_objects(pdfium_c, page, index + 1)
        textpage = page.get_textpage()
        raw = textpage.raw
        n = pdfium_c.FPDFText_CountChars(raw)
        if n > MAX_PAGE_CHARS:
            raise _TooComplex(index + 1, f"{n:,} characters")
        rect = pdfium_c.FS_RECTF()
        ox, oy = ctypes.c_double(), ctypes.c_double()
        rect_ref, ox_ref, oy_ref = ctypes.byref(rect), ctypes.byref(ox), ctypes.byref(oy)
        matrix = pdfium_c.FS_MATRIX()
        buf = ctypes.create_string_buffer(256)
        get_unicode = pdfium_c.FPDFText_GetUnicode
        get_box = pdfium_c.FPDFText_GetLooseCharBox
        get_origin = pdfium_c.FPDFText_GetCharOrigin
        get_object, object_type = _text_object_fn(pdfium_c)
        chars: list[_Char] = []
        pua = 0
        for i in range(n):
            u = get_unicode(raw, i)
            if u < 33:
                if u == 32:
                    if pdfium_c.FPDFText_IsGenerated(raw, i):
                        continue  # a space PDFium guessed: the gap between the words says as much
                elif u == 2:  # PDFium's mark for a hyphen at a line end
                    u = 0x2D
                elif u == 9:
                    u = 0x20
                else:
                    continue  # line ends PDFium generated, control characters
            elif u in (0xFFFE, 0xFFFF):
                continue
            elif u == 0xAD:
                u = 0x2D
            key = get_object(raw, i) or 0
            rec = fonts.get(key)
            if rec is None:
                obj = ctypes.cast(key, object_type) if key else None
                size = pdfium_c.FPDFText_GetFontSize(raw, i)
                rec = (_object_font(pdfium_c, obj, matrix, buf, rotation, legacy), size if size > 0 else 1.0)
                if key:  # PDFium makes one text object per text-showing operator: one font, one size
                    fonts[key] = rec
            font, size = rec
            if font is None:  # text rotated off the reading direction (a margin note)
                continue
            get_box(raw, i, rect_ref)
            get_origin(raw, i, ox_ref, oy_ref)
            xa, _ = to_display(rect.left - left, rect.bottom - bottom)
            xb, _ = to_display(rect.right - left, rect.top - bottom)
            _, y = to_display(ox.value - left, oy.value - bottom)
            text = chr(u)
            if 0xE000 <= u <= 0xF8FF:
                pua += 1
            elif 0xFB00 <= u <= 0xFB04:
                text = text.translate(_LIGATURES)
            if chars and unicodedata.combining(text) and not chars[-1].text.isspace():
                chars[-1].text += text  # a combining mark drawn apart belongs to the letter before it
                continue
            chars.append(_Char(text, min(xa, xb), max(xa, xb), y, size, font))
        result = _Page(
            index + 1, disp_w, disp_h, nchars=sum(1 for c in chars if not c.text.isspace()), pua=pua
        )
        result.lines = _lines(chars, index + 1, legacy[1] if legacy else None)
        if not result.nchars:
            result.has_images = _has_drawing(pdfium_c, page)
        return result
    finally:
        if textpage is not None:
            textpage.close()
        page.close()


def _object_font(pdfium_c: Any, obj: Any, matrix: Any, buf: Any, rotation: int, legacy: Any) -> _Font | None:
    """The font of a text object (None when its text runs off the page's reading direction)."""
    if not obj:
        return _Font("", False, False)
    if pdfium_c.FPDFPageObj_GetMatrix(obj, ctypes.byref(matrix)):
        angle = math.degrees(math.atan2(matrix.b, matrix.a))
        if abs((angle - rotation + 180) % 360 - 180) > 30:
            return None
    font = pdfium_c.FPDFTextObj_GetFont(obj)
    name = ""
    flags = 0
    weight = -1
    if font:
        k = pdfium_c.FPDFFont_GetBaseFontName(font, buf, len(buf))
        if k > 0:
            name = _SUBSET.sub("", buf.value.decode("latin-1", "replace"))
        flags = pdfium_c.FPDFFont_GetFlags(font)
        weight = pdfium_c.FPDFFont_GetWeight(font)
    mode = pdfium_c.FPDFTextObj_GetTextRenderMode(obj)
    bold, italic = font_style(name, flags if flags > 0 else 0, weight, mode)
    f = _Font(name, bold, italic)
    if legacy is not None and name:
        try:
            found = legacy[0](name)
        except Exception:  # noqa: BLE001 - a lookup bug must not stop the read
            found = None
        if found:
            f.encoding, f.upper = found[0], bool(found[1])
    return f


def _has_drawing(pdfium_c: Any, page: Any) -> bool:
    """Whether a page without text shows an image (or a form holding one): a scanned page."""
    n = pdfium_c.FPDFPage_CountObjects(page.raw)
    for i in range(n):
        obj = pdfium_c.FPDFPage_GetObject(page.raw, i)
        if pdfium_c.FPDFPageObj_GetType(obj) in (pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_FORM):
            return True
    return False


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
    if _MARKER.match(b.text) and _ENDS.search(a.text):
        return True, 0
    return False, 0


def _paragraphs(lines: list[_Line], col: _Column, m: _Metrics, first_gap: int) -> list[_Para]:
    paras: list[_Para] = []
    for ln in lines:
        if paras:
            brk, blanks = _break(paras[-1].lines[-1], ln, col, m)
            if not brk:
                paras[-1].lines.append(ln)
                continue
        else:
            blanks = first_gap
        paras.append(_Para([ln], blanks, col))
    for p in paras:
        p.align = _align(p)
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
    paras: list[_Para] = []
    for ln in lines:
        if paras:
            a = paras[-1].lines[-1]
            extra, blanks = _blank_lines(a, ln, m, spacing=False)
            if not blanks and extra <= 0.3 and _wrapped(a, ln, width):
                paras[-1].lines.append(ln)
                continue
        else:
            blanks = first_gap
        paras.append(_Para([ln], blanks, col))
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


def _block(p: _Para, page: int, k: int) -> Block:
    text = normalize_text(_join_lines([ln.text.strip() for ln in p.lines]))
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


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------


_STREAM_START = re.compile(rb"(?<!end)stream\r?\n")
_IMAGE_DICT = re.compile(rb"/Subtype\s*/Image")


def _check_streams(data: bytes, lim: limits.Limits, path: str | None) -> None:
    """Refuse a decompression bomb before PDFium inflates it: a Flate stream (not an image, which
    text extraction never decodes) that inflates over ``max_zip_ratio`` times to more than 32 MB,
    or streams that inflate to more than ``max_unzipped_bytes`` in all. Output is counted in
    1 MB steps and thrown away, so the check itself stays small."""
    total = 0
    step = 1 << 20
    for m in _STREAM_START.finditer(data):
        head = data[max(0, m.start() - 4096) : m.start()]
        obj = head.rfind(b" obj")
        if _IMAGE_DICT.search(head[obj if obj >= 0 else 0 :]):
            continue
        start = m.end()
        d = zlib.decompressobj()
        pos = start
        out = 0
        try:
            while not d.eof and pos < len(data):
                buf = d.decompress(data[pos : pos + 65536], step)
                pos += 65536
                while True:
                    out += len(buf)
                    used = max(1, pos - start - len(d.unconsumed_tail))
                    if total + out > lim.max_unzipped_bytes:
                        raise UnsafeFileError(
                            f"the PDF's streams inflate to over {lim.max_unzipped_bytes:,} bytes "
                            "(a decompression bomb?): refused (set BCPARSE_MAX_UNZIPPED_BYTES)",
                            path=path,
                        )
                    if out > 32 * step and out > lim.max_zip_ratio * used:
                        raise UnsafeFileError(
                            f"a stream in the PDF inflates {out // used:,} times its size "
                            "(a decompression bomb?): refused (set BCPARSE_MAX_ZIP_RATIO)",
                            path=path,
                        )
                    if not d.unconsumed_tail:
                        break
                    buf = d.decompress(d.unconsumed_tail, step)
        except zlib.error:
            pass  # not a Flate stream (or a damaged one: PDFium will say)
        total += out


def _open(data: bytes, password: str | None, path: str | None) -> Any:
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        return pdfium.PdfDocument(data, password=password)
    except pdfium.PdfiumError as e:
        code = getattr(e, "err_code", None)
        if code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY) and b"/Encrypt" not in data:
            # PDFium's last error is left over from an earlier document when a load fails
            # without setting one: without an /Encrypt entry the file is damaged, not encrypted
            code = None
        if code == pdfium_c.FPDF_ERR_PASSWORD:
            raise EncryptedPdfError(MSG_WRONG_PASSWORD if password else MSG_ENCRYPTED, path=path) from None
        if code == pdfium_c.FPDF_ERR_SECURITY:
            raise EncryptedPdfError(
                "the PDF uses an unsupported security handler: decrypt it first", path=path
            ) from None
        raise CorruptFileError(_corrupt_message(data), path=path) from None


def _corrupt_message(data: bytes) -> str:
    if b"%%EOF" not in data[-2048:]:
        return "the PDF is truncated (no end-of-file marker): download or export it again"
    return "the PDF is damaged and cannot be read: export it again or repair it (e.g. qpdf in.pdf out.pdf)"


def read_pdf(data: bytes, path: str | None = None, password: str | None = None) -> Document:
    """Read a PDF report into a Document (one block per paragraph, ``Source(page, paragraph)``)."""
    with _PDFIUM_LOCK:
        pages, meta = _read_pages(data, path, password, limits.current())
    warnings: list[str] = []
    if not any(pg.nchars for pg in pages):
        if any(pg.has_images for pg in pages):
            raise ScannedPdfError(MSG_SCANNED, path=path)
        raise EmptyInputError("the PDF has no text", path=path)
    scanned = [pg.number for pg in pages if not pg.nchars and pg.has_images]
    if scanned:
        warnings.append(
            f"page(s) {', '.join(map(str, scanned))} have no text layer (a scan?): their content is missing"
        )
    if b"%%EOF" not in data[-2048:]:
        warnings.append("the PDF looks truncated (no end-of-file marker): pages may be missing")
    pua = sum(pg.pua for pg in pages)
    if pua > 0.2 * sum(pg.nchars for pg in pages):
        warnings.append("the PDF's fonts have no Unicode map: the text may be garbled")
    blocks = _layout(pages, meta)
    return Document(blocks, path=path, format="pdf", warnings=warnings, meta=meta)


def _read_pages(
    data: bytes, path: str | None, password: str | None, lim: limits.Limits
) -> tuple[list[_Page], dict[str, object]]:
    """Every page's lines, within the page and time limits; PDFium's errors become typed ones."""
    import pypdfium2 as pdfium

    _check_streams(data, lim, path)
    pdf = _open(data, password, path)
    try:
        npages = len(pdf)
        if npages > lim.max_pdf_pages:
            raise ResourceLimitError(
                f"the PDF has {npages:,} pages, over the limit of {lim.max_pdf_pages:,} "
                "(set BCPARSE_MAX_PDF_PAGES)",
                path=path,
            )
        legacy = _legacy_font_encoding()
        # Form XObjects (or object streams that may hide them): walk each page's objects
        forms = bool(_FORMS.search(data))
        fonts: dict[int, tuple[_Font | None, float]] = {}
        pages: list[_Page] = []
        start = time.perf_counter()
        for i in range(npages):
            pages.append(_read_page(pdf, i, fonts, legacy, forms))
            fonts.clear()  # text object handles are only valid while their page is open
            elapsed = time.perf_counter() - start
            if elapsed > lim.pdf_seconds_per_page * (i + 1):
                raise ResourceLimitError(
                    f"reading the PDF took {elapsed:.1f} s for {i + 1} page(s), over the budget of "
                    f"{lim.pdf_seconds_per_page:g} s per page (set BCPARSE_PDF_SECONDS_PER_PAGE)",
                    path=path,
                )
            if elapsed > lim.pdf_seconds_total and i + 1 < npages:
                raise ResourceLimitError(
                    f"reading the PDF took {elapsed:.1f} s for {i + 1} of its {npages:,} pages, over the "
                    f"whole-document budget of {lim.pdf_seconds_total:g} s (set BCPARSE_PDF_SECONDS_TOTAL)",
                    path=path,
                )
        meta: dict[str, object] = {"pages": npages}
        try:
            info = pdf.get_metadata_dict(skip_empty=True)
        except Exception:  # noqa: BLE001 - metadata is optional
            info = {}
        for k in ("Producer", "Creator", "Title"):
            if info.get(k):
                meta[k.lower()] = info[k]
        return pages, meta
    except BcparseError:
        raise
    except _TooComplex as e:
        raise ResourceLimitError(
            f"page {e.page} of the PDF draws {e.what}, more than a report page ever holds: refused",
            path=path,
        ) from None
    except (pdfium.PdfiumError, OSError, ValueError, ctypes.ArgumentError) as e:
        raise CorruptFileError(f"{_corrupt_message(data)} ({type(e).__name__})", path=path) from None
    finally:
        pdf.close()


def _layout(pages: list[_Page], meta: dict[str, object]) -> list[Block]:
    m = _metrics(pages)
    removed = _furniture(pages, m.pitch)
    if removed:
        meta["removed"] = removed
    _split_regions(pages, m)
    m = _metrics(pages)
    # the main text column and where the text starts, per page size
    by_size: dict[tuple[int, int], list[_Line]] = {}
    tops: dict[tuple[int, int], list[float]] = {}
    for pg in pages:
        key = (round(pg.width), round(pg.height))
        by_size.setdefault(key, []).extend(
            ln for ln in pg.lines if not ln.column and abs(ln.size - m.body_size) <= 1.0
        )
        if pg.lines:
            tops.setdefault(key, []).append(round(min(ln.y for ln in pg.lines)))
    cols = {k: _column(v) for k, v in by_size.items()}
    # the top of the text: where most pages start (an empty paragraph at the top pushes it down)
    page_top = {k: _mode(v, 0.0) for k, v in tops.items() if Counter(v).most_common(1)[0][1] >= 2}

    blocks: list[Block] = []
    single: list[Block] = []  # one-line paragraphs that read "left"
    aligns: Counter[str] = Counter()  # alignment of the paragraphs of several lines
    for pg in pages:
        key = (round(pg.width), round(pg.height))
        col = cols.get(key) or _column(pg.lines)
        if col.right <= col.left:
            col = _column(pg.lines)
        runs: list[tuple[int, int, list[_Line]]] = []  # (region, column, lines)
        for ln in pg.lines:
            if runs and runs[-1][0] == ln.region and runs[-1][1] == ln.column:
                runs[-1][2].append(ln)
            else:
                runs.append((ln.region, ln.column, [ln]))
        k = 0
        low: _Line | None = None  # the lowest line so far on the page
        region_first: dict[int, float] = {}
        for ri, (region, column, lines) in enumerate(runs):
            first = lines[0]
            if column == 2:
                first_gap = _rows(first.y - region_first.get(region, first.y), first.size, m, spacing=False)
            elif low is not None:
                first_gap = _blank_lines(low, first, m)[1]
            elif key in page_top and pg.number > 1:
                first_gap = _rows(first.y - page_top[key], first.size, m)
            else:
                first_gap = 0
            if column == 1:
                region_first[region] = first.y
            if column:
                paras = _cell_paragraphs(lines, m, first_gap, col.left if column == 1 else col.right)
            else:
                paras = _paragraphs(lines, col, m, first_gap)
            for pi, para in enumerate(paras):
                b = _block(para, pg.number, k + 1)
                prev = blocks[-1] if blocks else None
                if (
                    not column
                    and prev is not None
                    and prev.kind == "paragraph"
                    and bool(prev.bold) == bool(b.bold)
                    and (
                        continues(prev.text, b.text)
                        or (
                            ri == 0
                            and pi == 0
                            and prev.source.page == pg.number - 1
                            and _flows_on(prev, b, para)
                        )
                    )
                ):
                    join_into(prev, b)
                    continue
                k += 1
                blocks.append(b)
                if not column and len(para.lines) == 1 and b.align == "left":
                    single.append(b)
                elif not column and len(para.lines) > 1 and b.align:
                    aligns[b.align] += 1
            bottom = max(lines, key=lambda ln: ln.y)
            if low is None or bottom.y >= low.y:
                low = bottom
    # a one-line paragraph flush with the margin (or the usual indent) looks the same left-aligned
    # or justified: give it the alignment of the body's longer paragraphs
    if aligns and aligns.most_common(1)[0][0] == "justify":
        for b in single:
            if b.kind == "paragraph" and not b.joins:
                b.align = "justify"
    return blocks


def _flows_on(prev: Block, nxt: Block, para: _Para) -> bool:
    """Whether the first paragraph of a page goes on with ``prev``, the last of the page before:
    the page ended on a full line of a justified paragraph and this one starts flush left."""
    b = para.lines[0]
    if prev.align != "justify" or _ENDS.search(prev.text) or _MARKER.match(nxt.text):
        return False
    return abs(b.x0 - para.col.left) <= 0.5 * b.size


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
