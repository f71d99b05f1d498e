"""Recognised words placed on the text view, and each figure read from OCR text given the lowest
word confidence of what it was read from (its digits and the words its raw text holds, the
counted noun when the raw text takes it in), its box on the page, and the corrections made.

The words are found again in the blocks the layout built: the blocks of a page are read token by
token and each token takes the first unused word of its page (or of the next page, for a
paragraph joined across a page break) with the same text. ``Document.meta["ocr"]`` keeps them:
``{"engine", "dpi", "pages", "words": [OcrWord, ...]}``.
"""

from __future__ import annotations

import bisect
import re
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ...document import Document
from ...textview import normalize_text
from .engine import Word

#: a figure whose lowest word confidence is under this is uncertain (audit BC501, docs/ocr.md)
THRESHOLD = 80.0
_TOKEN = re.compile(r"\S+")


@dataclass(slots=True, frozen=True)
class OcrWord:
    """A recognised word where it landed in the text view."""

    offset: int  # in the text view
    length: int
    conf: float  # 0-100
    page: int
    box: tuple[float, float, float, float]  # x0, y0, x1, y1 in points from the page's top left
    raw: str | None = None  # as recognised, when a numeric correction changed it
    fixes: tuple[str, ...] = ()


def attach(doc: Document, words: dict[int, list[Word]], dpi: dict[int, float], engine: str) -> None:
    """Find every page's words in the document's blocks; store them in ``doc.meta["ocr"]``."""
    pools: dict[int, dict[str, deque[Word]]] = {}
    for number, ws in words.items():
        pool: dict[str, deque[Word]] = {}
        for w in sorted(ws, key=lambda w: (w.line, w.x0)):
            pool.setdefault(normalize_text(w.text), deque()).append(w)
        pools[number] = pool
    found: list[OcrWord] = []
    for b in doc.blocks:
        if b.source.page is None:
            continue
        page = b.source.page
        if page not in pools and page + 1 not in pools:
            continue
        for m in _TOKEN.finditer(b.text):
            tok = m.group()
            for p in (page, page + 1):
                q = pools.get(p, {}).get(tok)
                if q:
                    w = q.popleft()
                    k = 72.0 / dpi[p]
                    found.append(OcrWord(b.offset + m.start(), len(tok), w.conf, p,
                                         (round(w.x0 * k, 1), round(w.y0 * k, 1), round(w.x1 * k, 1),
                                          round(w.y1 * k, 1)), w.raw, w.fixes))
                    break
    doc.meta["ocr"] = {"engine": engine, "pages": sorted(words), "dpi": {p: dpi[p] for p in sorted(dpi)},
                       "words": found}


def words_of(doc: Any) -> list[OcrWord]:
    """The recognised words of a Document (none for a born-digital one)."""
    info = doc.meta.get("ocr") if hasattr(doc, "meta") else None
    return list(info.get("words", [])) if isinstance(info, dict) else []


def ocr_pages(doc: Any) -> set[int]:
    info = doc.meta.get("ocr") if hasattr(doc, "meta") else None
    return set(info.get("pages", [])) if isinstance(info, dict) else set()


def provenance(words: Sequence[OcrWord], start: int, end: int, text: str) -> dict[str, Any] | None:
    """What the words (sorted by offset) overlapping view offsets [start, end) say: the lowest confidence, their box
    (on the first one's page), the corrections made; None when no word lies there."""
    # words are sorted by offset and do not overlap: start from the last one starting before ``start``
    i = max(0, bisect.bisect_right(words, start, key=lambda w: w.offset) - 1)
    hit: list[OcrWord] = []
    for w in words[i:]:
        if w.offset >= end:
            break
        if w.offset + w.length > start:
            hit.append(w)
    if not hit:
        return None
    same = [w for w in hit if w.page == hit[0].page]
    box = (min(w.box[0] for w in same), min(w.box[1] for w in same), max(w.box[2] for w in same),
           max(w.box[3] for w in same))
    fixes = [f"{w.raw} → {text[w.offset: w.offset + w.length]} ({', '.join(w.fixes)})" for w in hit if w.fixes]
    return {"confidence": round(min(w.conf for w in hit), 1), "page": hit[0].page, "box": box,
            "corrections": fixes}


def annotate(doc: Any, figures: Iterable[Any]) -> None:
    """Give every figure read from OCR'd text its ``ocr`` provenance (:class:`bcparse.elements.OcrProvenance`).

    A figure on a recognised page whose words could not be found again is given confidence 0: it
    is reported as uncertain rather than trusted."""
    words = words_of(doc)
    pages = ocr_pages(doc)
    if not pages:
        return
    from ...elements import OcrProvenance

    words.sort(key=lambda w: w.offset)
    text = doc.text
    for f in figures:
        if f.derived or f.span is None or f.span.offset is None:
            continue
        if f.span.page is not None and f.span.page not in pages:
            continue
        start, end = f.span.offset, f.span.offset + f.span.length
        prov = provenance(words, start, end, text)
        if prov is None:
            if f.span.page is None:
                continue
            prov = {"confidence": 0.0, "page": f.span.page, "box": None, "corrections": []}
        f.ocr = OcrProvenance(**prov)

