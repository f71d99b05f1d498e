"""The scanned pages of a PDF: rendered by PDFium and read through OCR, laid out with the pages
that have a text layer (a mixed PDF takes each page its own way)."""

from __future__ import annotations

from typing import Any

from ... import limits
from ...document import Document
from ...errors import BcparseError, CorruptFileError
from . import _check_pages, _check_pixels, build_document, check, ocr_page_images
from .engine import available


def pages_to_read(pages: list[Any], mode: str) -> list[int]:
    """The page numbers OCR reads: every page (``always``), none (``never``), or (``auto``) the pages
    without a usable text layer: no character but an image, or mostly characters without a
    Unicode map (a font that draws glyphs nobody can read back)."""
    if mode == "never":
        return []
    if mode == "always":
        return [pg.number for pg in pages]
    return [pg.number for pg in pages
            if (not pg.nchars and pg.has_images) or (pg.nchars and pg.pua > 0.5 * pg.nchars)]


def can_read(pages: list[Any], todo: list[int], mode: str) -> bool:
    """Whether to go on through OCR: yes when it is installed; when it is not, an error for
    ``always`` or a PDF with no text at all, and the PDF reader's warning for a mixed PDF."""
    if mode == "always" or not any(pg.nchars for pg in pages if pg.number not in todo):
        check()  # OcrUnavailableError: the one line naming the packages
        return True
    return available() is None


def read_scanned(data: bytes, password: str | None, pages: list[Any], todo: list[int],
                 meta: dict[str, object], path: str | None, warnings: list[str]) -> Document:
    """Render the pages ``todo`` (1-based), read them through OCR, lay the document out."""
    import pypdfium2 as pdfium

    from ..pdf.pdfium import _PDFIUM_LOCK, _open

    lim = limits.current()
    _check_pages(len(todo), path)
    by_number = {pg.number: pg for pg in pages}
    images: list[tuple[int, Any, float]] = []
    with _PDFIUM_LOCK:
        pdf = _open(data, password, path)
        try:
            for n in todo:
                page = pdf[n - 1]
                try:
                    dpi = render_dpi(page, float(lim.ocr_dpi))
                    pg = by_number[n]
                    _check_pixels(round(pg.width * dpi / 72), round(pg.height * dpi / 72), n, path)
                    images.append((n, page.render(scale=dpi / 72, grayscale=True).to_pil(), dpi))
                finally:
                    page.close()
        except BcparseError:
            raise
        except (pdfium.PdfiumError, OSError, ValueError) as e:
            raise CorruptFileError(f"page {n} of the PDF cannot be rendered for OCR ({type(e).__name__})",
                                   path=path) from None
        finally:
            pdf.close()
    scanned, words = ocr_page_images(images, path)
    for pg in scanned:
        by_number[pg.number] = pg
    meta["ocr_pages"] = todo
    return build_document([by_number[pg.number] for pg in pages], words, {n: d for n, _, d in images}, path,
                          "pdf", meta, warnings)


#: the lowest resolution a page is read at (a 100-dpi scan is read at 200)
MIN_DPI = 200.0


def render_dpi(page: Any, dpi: float) -> float:
    """The resolution to render a scanned page at: the resolution of the scan it holds (its largest
    image's pixels over its size on the page) within ``MIN_DPI`` and ``dpi`` (``limits.ocr_dpi``);
    ``dpi`` when the page holds no image covering half of it. Upscaling a coarse scan past twice its
    resolution, or reading a fine one finer than ``dpi``, read worse (docs/ocr.md)."""
    import pypdfium2.raw as pdfium_c

    w, h = page.get_size()
    native = 0.0
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=1):
        left, bottom, right, top = obj.get_bounds()
        if (right - left) * (top - bottom) < 0.5 * w * h or right <= left:
            continue
        px_w, _ = obj.get_px_size()
        native = max(native, px_w / ((right - left) / 72.0))
    if not native:
        return dpi
    return max(min(MIN_DPI, dpi), min(native, dpi))
