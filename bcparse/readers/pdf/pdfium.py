"""PDFium access and its guards: streams checked before PDFium inflates them, the document
opened (password, damage → typed errors), each page's characters read within object, character
and time bounds (one document at a time: PDFium is not thread-safe).
"""

from __future__ import annotations

import ctypes
import difflib
import math
import re
import threading
import time
import unicodedata
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ... import limits
from ...errors import (
    BcparseError,
    CorruptFileError,
    EncryptedPdfError,
    ResourceLimitError,
    UnsafeFileError,
)
from .glyphs import _LIGATURES, _SUBSET, _Char, _Font, _legacy_font_encoding, _Line, _lines, font_style

MSG_ENCRYPTED = "the PDF is encrypted: give its password with --password"
MSG_WRONG_PASSWORD = (
    "the PDF is encrypted and the password given does not open it: give the right one with --password"
)
MSG_SCANNED = "the PDF has no text layer (a scan?): run OCR first, e.g. ocrmypdf -l vie in.pdf out.pdf"

# PDFium is not thread-safe: one document at a time in this process
_PDFIUM_LOCK = threading.Lock()
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
        address = ctypes.cast(f, ctypes.c_void_p).value
        if address is None:  # a NULL entry point: pypdfium2's library is broken, not the PDF
            raise ImportError("pypdfium2's PDFium has no FPDFText_GetTextObject")
        _TEXT_OBJECT_FN = (proto(address), f.restype)
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
        found = legacy[0](name)  # legacy_encodings.font_encoding: any name, None when unknown
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
        if npages and (stamps := _read_stamps(pdf)):
            meta["stamps"] = stamps
        try:
            info = pdf.get_metadata_dict(skip_empty=True)
        except (pdfium.PdfiumError, ValueError):  # metadata is optional (ValueError: a bad UTF-16 string)
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




# ---------------------------------------------------------------------------------------------
# Stamps: text drawn by annotations on page 1 (issue 19)
# ---------------------------------------------------------------------------------------------

MAX_STAMP_ANNOTS = 200  # a signed report's page 1 has a handful (signature widgets, stamps)
_STAMP_KINDS = {"FREETEXT": "FreeText", "STAMP": "Stamp", "WIDGET": "Widget"}


def _added_text(was: str, now: str) -> list[str]:
    """The pieces of ``now`` that ``was`` lacks: what an appearance drew over the page's own text
    in an annotation's rectangle ("3858" among the "/SNV-TCBC" and "Lâm Đ" of the page it overlaps)."""
    w = unicodedata.normalize("NFC", " ".join(was.split()))
    n = unicodedata.normalize("NFC", " ".join(now.split()))
    sm = difflib.SequenceMatcher(None, w, n, autojunk=False)
    return [n[j1:j2].strip() for tag, _i1, _i2, j1, j2 in sm.get_opcodes()
            if tag in ("insert", "replace") and n[j1:j2].strip()]


def _read_stamps(pdf: Any) -> list[dict[str, object]]:
    """Text that annotations draw on page 1: an e-signature system stamps the issued number and day
    ("Số: 412/BC-UBND", "ngày 17 tháng 3") inside the signature widget's appearance stream, not in
    the page's content. The page is flattened in memory (PDFium draws each appearance into the
    content) and the text inside each annotation's rectangle that the flattening added is read:
    one entry per annotation, ``{"page": 1, "annotation": "Widget", "lines": [...]}``. Called after
    every page was read (flattening changes the in-memory page)."""
    import pypdfium2.raw as pdfium_c

    kinds = {getattr(pdfium_c, f"FPDF_ANNOT_{k}"): v for k, v in _STAMP_KINDS.items()}
    page = pdf[0]
    try:
        n = pdfium_c.FPDFPage_GetAnnotCount(page.raw)
        if n <= 0 or n > MAX_STAMP_ANNOTS:
            return []
        rects: list[tuple[str, float, float, float, float]] = []
        r = pdfium_c.FS_RECTF()
        for i in range(n):
            annot = pdfium_c.FPDFPage_GetAnnot(page.raw, i)
            if not annot:
                continue
            try:
                kind = kinds.get(pdfium_c.FPDFAnnot_GetSubtype(annot))
                if kind and pdfium_c.FPDFAnnot_GetRect(annot, ctypes.byref(r)):
                    rects.append((kind, r.left, r.bottom, r.right, r.top))
            finally:
                pdfium_c.FPDFPage_CloseAnnot(annot)
        if not rects:
            return []
        tp = page.get_textpage()
        before = [tp.get_text_bounded(a, b, c, d) for _, a, b, c, d in rects]
        tp.close()
        if pdfium_c.FPDFPage_Flatten(page.raw, pdfium_c.FLAT_NORMALDISPLAY) != pdfium_c.FLATTEN_SUCCESS:
            return []
        page.close()
        page = pdf[0]  # the flattened page is read again
        tp = page.get_textpage()
        out: list[dict[str, object]] = []
        for (kind, a, b, c, d), was in zip(rects, before, strict=True):
            now = tp.get_text_bounded(a, b, c, d)
            if " ".join(now.split()) == " ".join(was.split()):
                continue  # the appearance drew no text (a picture of a seal, a handwritten signature)
            lines = [unicodedata.normalize("NFC", " ".join(ln.split())) for ln in now.splitlines()]
            lines = [ln for ln in lines if ln]
            if lines:
                out.append({"page": 1, "annotation": kind, "lines": lines, "added": _added_text(was, now)})
        tp.close()
        return out
    except (ValueError, ctypes.ArgumentError, OSError):
        return []  # a damaged annotation: the page's own text stands
    finally:
        page.close()
