"""Scanned fixtures made from the sample PDFs (issue 16, docs/ocr.md).

Every page of each ``samples/*.pdf`` is rendered in grey at 300 and at 150 dpi and wrapped back into
an image-only PDF (no text layer). The 300-dpi pages are also degraded the ways real scans are:

- ``blur``: a Gaussian blur of radius 1.2 px (an out-of-focus scanner);
- ``noise``: speckle, 0.4% of the pixels flipped to black or white (dust, a fax);
- ``jpeg40``: saved as JPEG at quality 40 (a phone's or an e-mailed scan);
- ``skew1``: rotated by 1° (a sheet fed askew).

Run ``python tests/data/scans/make_scans.py OUTDIR`` (the tests do it into a temporary folder once
per session, see tests/test_ocr.py; the PDFs are ~2-4 MB each, too large to commit). The output is
deterministic: the noise has a fixed seed. Also written: ``NAME-p1-300.png`` and ``NAME-p1-2-150.tif``
(a two-page TIFF), for the image reader.
"""

from __future__ import annotations

import io
import random
import sys
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageFilter

ROOT = Path(__file__).resolve().parents[3]
SAMPLES = sorted((ROOT / "samples").glob("*.pdf"))
VARIANTS = ("blur", "noise", "jpeg40", "skew1")


def render(pdf_path: Path, dpi: int) -> list[Image.Image]:
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        return [pdf[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for i in range(len(pdf))]
    finally:
        pdf.close()


def render_page(pdf_path: Path, index: int, dpi: int) -> Image.Image:
    """One page (0-based) in grey at ``dpi``."""
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        return pdf[index].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    finally:
        pdf.close()


def degrade(im: Image.Image, how: str, seed: int = 16) -> Image.Image:
    if how == "blur":
        return im.filter(ImageFilter.GaussianBlur(1.2))
    if how == "noise":
        out = im.copy()
        px = out.load()
        rnd = random.Random(seed)
        w, h = out.size
        for _ in range(int(0.004 * w * h)):
            px[rnd.randrange(w), rnd.randrange(h)] = 0 if rnd.random() < 0.5 else 255
        return out
    if how == "jpeg40":
        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=40)
        return Image.open(io.BytesIO(buf.getvalue())).convert("L")
    if how == "skew1":
        return im.rotate(-1.0, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
    raise ValueError(how)


def save_pdf(images: list[Image.Image], dpi: int, path: Path | io.BytesIO) -> None:
    """Image-only PDF: one image per page, the page the image's size at ``dpi``."""
    images[0].save(path, "PDF", save_all=True, append_images=images[1:], resolution=float(dpi), quality=85)


def make(out: Path, samples: list[Path] = SAMPLES) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    made: list[Path] = []
    for src in samples:
        name = src.stem
        for dpi in (300, 150):
            pages = render(src, dpi)
            p = out / f"{name}-{dpi}.pdf"
            save_pdf(pages, dpi, p)
            made.append(p)
            if dpi == 300:
                pages[0].save(out / f"{name}-p1-300.png", dpi=(300, 300))
                made.append(out / f"{name}-p1-300.png")
                for how in VARIANTS:
                    p = out / f"{name}-300-{how}.pdf"
                    save_pdf([degrade(im, how, seed=16 + i) for i, im in enumerate(pages)], dpi, p)
                    made.append(p)
            else:
                p = out / f"{name}-p1-2-150.tif"
                pages[0].copy().save(p, save_all=True, append_images=[pages[1].copy()], dpi=(150, 150), compression="tiff_lzw")
                made.append(p)
    return made


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent / "out"
    for p in make(target):
        print(p, p.stat().st_size)
