"""Scanned reports: page images read through Tesseract's Vietnamese model into the same
:class:`~bcparse.document.Document` the PDF reader builds (docs/ocr.md).

How a scan becomes blocks
-------------------------
1. **Images.** A scanned PDF page is rendered by PDFium at ``limits.ocr_dpi`` (250 dpi) in grey;
   an image file (.png, .jpg, .tif, every page of a multi-page .tif) is taken at the resolution it
   records (else as an A4 page's width), brought down to ``ocr_dpi`` when it is finer.
2. **Words.** Tesseract (``vie``, LSTM, automatic page segmentation) gives words with boxes,
   line baselines, row heights and confidences (:mod:`.engine`).
3. **Lines.** Numeric corrections in words that are numbers (``1.O22`` → ``1.022``, ``l5`` → ``15``,
   ``1 422`` → ``1.422``), the skew taken out of the boxes, words grouped into page-wide lines in
   points (:mod:`.layout`).
4. **Layout.** The lines go through the PDF reader's own steps (page furniture, two-column
   regions, paragraphs, joins across pages): a scanned header and signature block are read as a
   born-digital PDF's are. A PDF whose pages mix a text layer and scans takes each page its own way.
5. **Confidence.** The words are found again in the text view (``Document.meta["ocr"]``); each
   figure read from them gets the lowest confidence of its words and the corrections made
   (:mod:`.confidence`, ``Figure.ocr``), and the audit flags the uncertain ones (BC501).

``--ocr auto`` (the default) reads through OCR the pages without a usable text layer, ``always``
every page, ``never`` none (a scanned PDF is then the "no text layer" error it always was).
"""

from __future__ import annotations

import io
import time
from typing import Any

from ... import limits
from ...document import Document
from ...errors import CorruptFileError, InputTooLargeError, ResourceLimitError, ScannedPdfError
from .engine import MARKER_CHARS, NUMBER_CHARS, Word, check, read_lines, recognize, reread, unread_lines

__all__ = ["MODES", "check", "ocr_page_images", "read_image", "sniff_image"]

MODES = ("auto", "always", "never")
A4_WIDTH_INCHES = 8.27

_IMAGE_MAGIC = {
    b"\x89PNG\r\n\x1a\n": "png",
    b"\xff\xd8\xff": "jpeg",
    b"II*\x00": "tiff",
    b"MM\x00*": "tiff",
}


def sniff_image(data: bytes) -> str | None:
    """'png' | 'jpeg' | 'tiff' from the magic bytes, else None."""
    for magic, kind in _IMAGE_MAGIC.items():
        if data.startswith(magic):
            return kind
    return None


def check_mode(mode: str | None) -> str:
    from ...errors import UnsupportedFormatError

    mode = mode or "auto"
    if mode not in MODES:
        raise UnsupportedFormatError(f"unknown OCR mode {mode!r} (known: {', '.join(MODES)})")
    return mode


def _check_pixels(w: int, h: int, page: int, path: str | None) -> None:
    lim = limits.current().max_ocr_pixels
    if w * h > lim:
        raise InputTooLargeError(
            f"page {page} is a {w:,} x {h:,} pixel image, over the limit of {lim:,} pixels "
            "(set BCPARSE_MAX_OCR_PIXELS)", path=path)


def _check_pages(n: int, path: str | None) -> None:
    lim = limits.current().max_ocr_pages
    if n > lim:
        raise ResourceLimitError(
            f"{n:,} pages to read through OCR, over the limit of {lim:,} (about 2-4 s each; "
            "set BCPARSE_MAX_OCR_PAGES)", path=path)


def ocr_page_images(images: list[tuple[int, Any, float]], path: str | None) -> tuple[list[Any], dict[int, list[Word]]]:
    """``(page number, PIL image, dpi)`` → the pages' lines (``pdf._Page``) and their words."""
    from .confidence import THRESHOLD
    from .layout import (
        Numbering,
        apply_markers,
        apply_numbers,
        marker_candidates,
        number_candidates,
        page_lines,
        split_markers,
    )
    from .words import fix_diacritics

    lim = limits.current()
    pages = []
    words: dict[int, list[Word]] = {}
    numbering = Numbering()
    start = time.perf_counter()
    for number, image, dpi in images:
        ws = recognize(image, int(round(dpi)), lim.ocr_seconds_per_page, page=number, path=path)
        ws += recover_lines(image, ws, int(round(dpi)))
        _, cands = split_markers(marker_candidates(ws))
        readings = reread(image, cands, MARKER_CHARS, int(round(dpi)))
        ws = apply_markers(ws, cands, readings)
        numbering.walk(ws, image, {id(w): r for w, r in zip(cands, readings, strict=True)})
        cands = number_candidates(ws, THRESHOLD)
        apply_numbers(cands, reread(image, cands, NUMBER_CHARS, int(round(dpi))))
        fix_diacritics(ws)
        pages.append(page_lines(ws, number, dpi, image.width, image.height))
        words[number] = ws
        elapsed = time.perf_counter() - start
        if elapsed > lim.ocr_seconds_per_page * len(pages):
            raise ResourceLimitError(
                f"OCR took {elapsed:.1f} s for {len(pages)} page(s), over the budget of "
                f"{lim.ocr_seconds_per_page:g} s per page (set BCPARSE_OCR_SECONDS_PER_PAGE)", path=path)
    return pages, words


def recover_lines(image: Any, words: list[Word], dpi: int) -> list[Word]:
    """Lines of text the page's layout analysis left out (:func:`.engine.unread_lines`), read one by
    one; a line is kept when Tesseract is sure of every word of it (``layout.REREAD_CONF``), so that
    a stamp or a signature's stroke read as letters stays out. Its words are marked as recovered."""
    from .layout import REREAD_CONF

    boxes = unread_lines(image, words)
    if not boxes:
        return []
    rows = sorted(w.height for w in words)
    got = read_lines(image, boxes, dpi, max(w.line for w in words) + 1, rows[len(rows) // 2])
    by_line: dict[int, list[Word]] = {}
    for w in got:
        by_line.setdefault(w.line, []).append(w)
    out: list[Word] = []
    for ws in by_line.values():
        if all(w.conf >= REREAD_CONF and any(c.isalnum() for c in w.text) for w in ws):
            for w in ws:
                w.fixes = ("a line the page layout left out, read alone",)
            out += ws
    return out


def _image_dpi(im: Any) -> float:
    dpi = im.info.get("dpi")
    try:
        x = float(dpi[0]) if dpi else 0.0
    except (TypeError, ValueError, IndexError):
        x = 0.0
    if 100 <= x <= 1200:
        return x
    return max(50.0, im.width / A4_WIDTH_INCHES)  # no (or a screen's 72/96) resolution: an A4 page


def read_image(data: bytes, path: str | None = None) -> Document:
    """An image file (.png, .jpg, .tif, multi-page .tif) read through OCR into a Document."""
    check()
    from PIL import Image, ImageSequence, UnidentifiedImageError  # extra: ocr (check() named it)

    try:
        im = Image.open(io.BytesIO(data))
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as e:
        raise CorruptFileError(f"the image cannot be read ({type(e).__name__}): export it again",
                               path=path) from None
    n = getattr(im, "n_frames", 1)
    _check_pages(n, path)
    images: list[tuple[int, Any, float]] = []
    try:
        for i, frame in enumerate(ImageSequence.Iterator(im)):
            _check_pixels(frame.width, frame.height, i + 1, path)
            dpi = _image_dpi(frame)
            gray = frame.convert("L")
            target = float(limits.current().ocr_dpi)
            if dpi > 1.1 * target:  # read at the resolution PDF pages are rendered at (docs/ocr.md)
                k = target / dpi
                gray = gray.resize((max(1, round(gray.width * k)), max(1, round(gray.height * k))),
                                   Image.Resampling.LANCZOS)
                dpi = target
            images.append((i + 1, gray, dpi))
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as e:
        raise CorruptFileError(f"the image is damaged ({type(e).__name__}): export it again", path=path) from None
    pages, words = ocr_page_images(images, path)
    return build_document(pages, words, {p: d for p, _, d in images}, path, "image", {"pages": n}, [])


def build_document(pages: list[Any], words: dict[int, list[Word]], dpi: dict[int, float], path: str | None,
                   fmt: str, meta: dict[str, object], warnings: list[str]) -> Document:
    """Lay out pages (OCR'd or born-digital) as the PDF reader does and place the words on the view."""
    from ..pdf import _layout
    from .confidence import attach
    from .layout import snap_sizes

    if not any(ln for pg in pages for ln in pg.lines):
        raise ScannedPdfError("OCR found no text on the scanned page(s): is the scan blank or upside down?",
                              path=path)
    snap_sizes([pg for pg in pages if pg.number in words])
    ocr_numbers = sorted(words)
    warnings = [*warnings, f"page(s) {_ranges(ocr_numbers)} read through OCR (Tesseract, Vietnamese): "
                "check the figures flagged as uncertain (audit BC501)"]
    blocks = _layout(pages, meta)
    doc = Document(blocks, path=path, format=fmt, warnings=warnings, meta=meta)
    attach(doc, words, dpi, "tesseract")
    return doc


def _ranges(ns: list[int]) -> str:
    out: list[str] = []
    for n in ns:
        if out and "-" not in out[-1] and int(out[-1]) == n - 1:
            out[-1] = f"{out[-1]}-{n}"
        elif out and "-" in out[-1] and int(out[-1].split("-")[1]) == n - 1:
            out[-1] = f"{out[-1].split('-')[0]}-{n}"
        else:
            out.append(str(n))
    return ", ".join(out)
