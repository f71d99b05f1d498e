"""Tesseract through tesserocr: the Vietnamese model found, a page image recognised into words
with their boxes, baselines and confidences, within the time budget per page.

tesserocr (the ``ocr`` extra) drives libtesseract in-process; the model is Debian's
``tesseract-ocr-vie`` (``vie.traineddata``; PyPI holds none and nothing is downloaded). Why
tesserocr and not pytesseract: measured in docs/ocr.md (the same pages, 1.44x faster: pytesseract
starts the ``tesseract`` program and loads the model for every page).
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...errors import OcrUnavailableError, ResourceLimitError

#: the one line a user without OCR reads
INSTALL = ("apt-get install tesseract-ocr tesseract-ocr-vie (Debian/Ubuntu) and pip install 'bcparse[ocr]'")
LANG = "vie"
#: where Debian, Fedora, Homebrew and a source build put Tesseract's models
_TESSDATA_DIRS = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
    "/opt/homebrew/share/tessdata",
)

# one recognition at a time per process: the API object holds one image
_LOCK = threading.Lock()
_API: Any = None


@dataclass(slots=True)
class Word:
    """One recognised word, in pixels of its page image (y down)."""

    text: str
    conf: float  # Tesseract's word confidence, 0-100
    x0: int
    y0: int
    x1: int
    y1: int
    line: int  # the recognised text line it belongs to (page-wide counter)
    baseline: float  # y of the line's baseline under the word's middle
    height: float  # the line's row height (x-height + ascenders + descenders), pixels
    raw: str | None = None  # the text as recognised, when a numeric correction changed it
    fixes: tuple[str, ...] = ()  # the corrections made ("O→0", "'.' inserted")


def tessdata_dir() -> str | None:
    """The folder holding ``vie.traineddata``: ``TESSDATA_PREFIX`` or the usual places."""
    env = os.environ.get("TESSDATA_PREFIX")
    cands = [env, str(Path(env) / "tessdata")] if env else []
    for d in [*cands, *_TESSDATA_DIRS]:
        if d and (Path(d) / f"{LANG}.traineddata").is_file():
            return d
    return None


def _tesserocr() -> Any:
    try:
        import tesserocr
    except ImportError:  # also a tesserocr built against another libtesseract
        raise OcrUnavailableError(f"reading a scan needs OCR, which is not installed: {INSTALL}") from None
    return tesserocr


def available() -> str | None:
    """None when OCR can run, else the reason (the one-line message of :func:`check`)."""
    try:
        check()
    except OcrUnavailableError as e:
        return e.message
    return None


def check() -> None:
    """Raise :class:`OcrUnavailableError` when the engine or the Vietnamese model is missing."""
    _tesserocr()
    if tessdata_dir() is None:
        raise OcrUnavailableError(
            f"reading a scan needs Tesseract's Vietnamese model (vie.traineddata), which is not installed: {INSTALL}"
        )


def _api() -> Any:
    global _API
    if _API is None:
        tesserocr = _tesserocr()
        path = tessdata_dir()
        if path is None:
            check()  # raises OcrUnavailableError naming the model
            raise OcrUnavailableError(f"Tesseract's Vietnamese model is not installed: {INSTALL}")
        try:
            _API = tesserocr.PyTessBaseAPI(path=path.rstrip("/") + "/", lang=LANG, psm=tesserocr.PSM.AUTO,
                                           oem=tesserocr.OEM.LSTM_ONLY)
        except RuntimeError as e:
            raise OcrUnavailableError(f"Tesseract could not load its Vietnamese model ({e}): {INSTALL}") from None
    return _API


def recognize(image: Any, dpi: int, seconds: float, *, page: int, path: str | None) -> list[Word]:
    """The words of one page image (a PIL image), in Tesseract's reading order.

    ``seconds`` bounds the recognition (Tesseract is cancelled at the budget: a
    :class:`ResourceLimitError`)."""
    tesserocr = _tesserocr()
    RIL = tesserocr.RIL
    with _LOCK:
        api = _api()
        api.SetImage(image)
        api.SetSourceResolution(int(dpi))
        start = time.perf_counter()
        ok = api.Recognize(timeout=max(1, int(seconds * 1000)))
        if not ok:
            spent = time.perf_counter() - start
            api.Clear()
            if spent >= seconds * 0.9:
                raise ResourceLimitError(
                    f"OCR of page {page} took over the budget of {seconds:g} s per page "
                    "(set BCPARSE_OCR_SECONDS_PER_PAGE)", path=path)
            return []  # nothing Tesseract could read (an empty page)
        words: list[Word] = []
        it = api.GetIterator()
        line = 0
        base: tuple[tuple[int, int], tuple[int, int]] | None = None
        height = 0.0
        if it is not None and not it.Empty(RIL.WORD):
            it.Begin()
            while True:
                if it.IsAtBeginningOf(RIL.TEXTLINE):
                    line += 1
                    base = it.Baseline(RIL.TEXTLINE)
                    attrs = it.RowAttributes() or {}
                    height = float(attrs.get("row_height") or 0.0)
                text = it.GetUTF8Text(RIL.WORD)
                box = it.BoundingBox(RIL.WORD)
                if text and text.strip() and box:
                    x0, y0, x1, y1 = box
                    words.append(Word(text.strip(), float(it.Confidence(RIL.WORD)), x0, y0, x1, y1, line,
                                      _baseline_at(base, (x0 + x1) / 2, y1), height or float(y1 - y0)))
                if not it.Next(RIL.WORD):
                    break
        api.Clear()
    return words


def _baseline_at(base: tuple[tuple[int, int], tuple[int, int]] | None, x: float, default: float) -> float:
    if not base:
        return default
    (ax, ay), (bx, by) = base
    if bx == ax:
        return float(ay)
    return ay + (by - ay) * (x - ax) / (bx - ax)


# ---------------------------------------------------------------------------------------------
# second readings: a section marker or a number Tesseract read as letters
# ---------------------------------------------------------------------------------------------

_APIS: dict[str, Any] = {}  # page segmentation mode → one engine, made on first use
#: what a section marker or a number is written with
MARKER_CHARS = "0123456789IVX.)"
NUMBER_CHARS = "0123456789.,/%"


def _psm_api(psm: str) -> Any:
    """The engine reading one word or one line (``psm``: a tesserocr.PSM name), made once."""
    api = _APIS.get(psm)
    if api is None:
        tesserocr = _tesserocr()
        path = tessdata_dir() or ""
        api = _APIS[psm] = tesserocr.PyTessBaseAPI(path=path.rstrip("/") + "/", lang=LANG,
                                                   psm=getattr(tesserocr.PSM, psm), oem=tesserocr.OEM.LSTM_ONLY)
    return api


def reread(image: Any, words: list[Word], chars: str, dpi: int) -> list[tuple[str, float]]:
    """Read each word's box again as one word written only with ``chars`` (Tesseract's
    whitelist): ``(text, confidence)`` per word."""
    if not words:
        return []
    out: list[tuple[str, float]] = []
    with _LOCK:
        api = _psm_api("SINGLE_WORD")
        api.SetVariable("tessedit_char_whitelist", chars)
        for w in words:
            pad = max(4, (w.y1 - w.y0) // 3)
            box = (max(0, w.x0 - pad), max(0, w.y0 - pad), min(image.width, w.x1 + pad),
                   min(image.height, w.y1 + pad))
            api.SetImage(image.crop(box))
            api.SetSourceResolution(int(dpi))
            text = (api.GetUTF8Text() or "").strip()
            out.append((text, float(api.MeanTextConf())))
        api.Clear()
    return out


# ---------------------------------------------------------------------------------------------
# lines the page's layout analysis left out
# ---------------------------------------------------------------------------------------------

def unread_lines(image: Any, words: list[Word]) -> list[tuple[int, int, int, int]]:
    """Boxes (pixels) of text-sized ink no recognised word covers: a line Tesseract's layout analysis
    dropped (a short last line of a paragraph, "có.", standing alone at the left margin). Specks are
    taken out first (a 3x3 median); a strip of ink rows is a line when its height is that of the
    page's text lines (0.6-1.6x their median row height), at least as wide as high, and no
    recognised word stands in its rows."""
    from PIL import Image, ImageDraw, ImageFilter  # extra: ocr (the engine is loaded)

    rows = sorted(w.height for w in words if w.height > 0)
    if not rows:
        return []
    row = rows[len(rows) // 2]
    ink = image.filter(ImageFilter.MedianFilter(3)).point(lambda v: 255 if v < 128 else 0)
    draw = ImageDraw.Draw(ink)
    for w in words:
        draw.rectangle((w.x0 - 6, w.y0 - 6, w.x1 + 6, w.y1 + 6), fill=0)
    profile = ink.resize((1, ink.height), Image.Resampling.BOX).tobytes()
    runs: list[list[int]] = []
    for y, v in enumerate(profile):
        if v == 0:
            continue
        if runs and y - runs[-1][1] <= 0.3 * row:  # the gap under a mark above a letter is bridged
            runs[-1][1] = y
        else:
            runs.append([y, y])
    out: list[tuple[int, int, int, int]] = []
    for y0, y1 in runs:
        if not 0.6 * row <= y1 + 1 - y0 <= 1.6 * row:
            continue
        if any(min(w.y1, y1) - max(w.y0, y0) > 0.3 * row for w in words):
            continue  # beside a recognised line: a mark or a letter of it, not a line left out
        box = ink.crop((0, y0, ink.width, y1 + 1)).getbbox()
        if box is not None and box[2] - box[0] >= row:
            out.append((box[0], y0, box[2], y1 + 1))
    return out


def read_lines(image: Any, boxes: list[tuple[int, int, int, int]], dpi: int, first_line: int,
               height: float) -> list[Word]:
    """The words of each box read as one line (numbered on from ``first_line``, of row height
    ``height``), in page pixels."""
    if not boxes:
        return []
    tesserocr = _tesserocr()
    RIL = tesserocr.RIL
    out: list[Word] = []
    with _LOCK:
        api = _psm_api("SINGLE_LINE")
        for n, (x0, y0, x1, y1) in enumerate(boxes):
            pad = max(8, (y1 - y0) // 2)
            ox, oy = max(0, x0 - pad), max(0, y0 - pad)
            api.SetImage(image.crop((ox, oy, min(image.width, x1 + pad), min(image.height, y1 + pad))))
            api.SetSourceResolution(int(dpi))
            api.Recognize()
            it = api.GetIterator()
            if it is None or it.Empty(RIL.WORD):
                continue
            it.Begin()
            base = it.Baseline(RIL.TEXTLINE)
            while True:
                text = it.GetUTF8Text(RIL.WORD)
                box = it.BoundingBox(RIL.WORD)
                if text and text.strip() and box:
                    bx0, by0, bx1, by1 = box[0] + ox, box[1] + oy, box[2] + ox, box[3] + oy
                    bl = _baseline_at(base, (box[0] + box[2]) / 2, box[3]) + oy
                    out.append(Word(text.strip(), float(it.Confidence(RIL.WORD)), bx0, by0, bx1, by1,
                                    first_line + n, bl, height))
                if not it.Next(RIL.WORD):
                    break
        api.Clear()
    return out
