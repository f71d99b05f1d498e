"""PDF reader: bytes → Document, one block per paragraph, with page provenance.

How a page becomes blocks
-------------------------
1. **Characters.** pypdfium2 (PDFium) gives every character with its box, baseline and font
   size, and its text object; the font name (``…-Bold``, ``…,Italic``, ``.VnTime``) and size are
   read once per text object. Line ends and spaces PDFium guessed are dropped; spaces the PDF
   draws are kept (LibreOffice and Word draw one space glyph for a run of spaces, so
   ``Số:      /BC-UBND`` usually reads ``Số: /BC-UBND``). PDFium already drops a glyph drawn
   again on the same spot (fake bold); ``glyphs._dedupe`` is a second net for near misses.
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

7. **Stamps.** The text that page 1's annotations draw (an e-signature system stamps the issued
   number and day, "Số: 412/BC-UBND", "ngày 17 tháng 3", in the signature widget's appearance,
   not in the page's content) is read from the page flattened in memory
   (``pdfium._read_stamps``) and comes after the document's own blocks, a line a block;
   ``Document.meta["stamps"]`` names each stamp's first block, so the structure can take a
   number or day left blank on the page from it, with the stamp as its source.

What a PDF cannot tell: an empty paragraph at the bottom of a page leaves no trace, so that
blank line is missing from the view; automatic numbering is plain text (``Block.label`` stays
None); a one-line paragraph takes the alignment of the body's longer paragraphs.

Hostile files: Flate streams are checked before PDFium inflates them (``pdfium._check_streams``), a page
holding far more objects or characters than a report page is refused, and the time budget is
checked between pages. PDFium's parse of one page cannot be interrupted, so a page built to be
slow still costs that parse; read untrusted PDFs in a child process with a memory limit.

Speed, measured on samples/binh-thanh-doi-ngoai-2024.pdf (10 pages, 13,300 characters; median
of 11 interleaved runs, load average 1.4): this reader 78 ms, pdfplumber ``extract_text`` 318 ms,
pdfplumber ``dedupe_chars().extract_words(extra_attrs=…)`` 674 ms, pypdfium2 ``get_text_range``
6 ms. Under heavier load (average 5) the ratios held: 223 / 922 / 1,829 / 15 ms. pdfplumber's
words alone cost twice its text, hence PDFium's characters.

The steps live in submodules: :mod:`.pdfium` (PDFium access and guards, step 1), :mod:`.glyphs`
(glyphs → lines, steps 1–2), :mod:`.furniture` (3), :mod:`.regions` (4), :mod:`.paragraphs` (5); this
module lays the pages out (6).
"""

from __future__ import annotations

from collections import Counter

from ... import limits
from ...document import Block, Document, Source
from ...errors import EmptyInputError, ScannedPdfError
from ...textview import continues, join_into
from .furniture import _furniture
from .glyphs import _Line, font_style
from .paragraphs import (
    _ENDS,
    _MARKER,
    _blank_lines,
    _block,
    _cell_paragraphs,
    _column,
    _metrics,
    _mode,
    _Para,
    _paragraphs,
    _rows,
)
from .pdfium import _PDFIUM_LOCK, MSG_ENCRYPTED, MSG_SCANNED, MSG_WRONG_PASSWORD, _Page, _read_pages
from .regions import _split_regions
from .tables import TableFeed, find_tables

__all__ = ["MSG_ENCRYPTED", "MSG_SCANNED", "MSG_WRONG_PASSWORD", "font_style", "read_pdf"]


def read_pdf(data: bytes, path: str | None = None, password: str | None = None, ocr: str = "auto") -> Document:
    """Read a PDF report into a Document (one block per paragraph, ``Source(page, paragraph)``).

    ``ocr``: ``auto`` reads the pages without a usable text layer through OCR, ``always`` every
    page, ``never`` none (:mod:`bcparse.readers.ocr`)."""
    with _PDFIUM_LOCK:
        pages, meta = _read_pages(data, path, password, limits.current())
        feed = TableFeed(find_tables(data, pages, password)) if any(pg.nchars for pg in pages) else None
    warnings: list[str] = []
    if ocr != "never":
        from ..ocr.pdf import can_read, pages_to_read, read_scanned

        todo = pages_to_read(pages, ocr)
        if todo and can_read(pages, todo, ocr):
            return read_scanned(data, password, pages, todo, meta, path, warnings)
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
    blocks = _layout(pages, meta, feed)
    _stamp_blocks(blocks, meta)
    return Document(blocks, path=path, format="pdf", warnings=warnings, meta=meta)


def _stamp_blocks(blocks: list[Block], meta: dict[str, object]) -> None:
    """The text of page 1's stamps (:func:`.pdfium._read_stamps`) as blocks after the document's
    own, a line each, with page 1 as their source; each stamp in ``meta["stamps"]`` gets the index
    of its first block (``"block"``), so the structure can merge a stamped number or day into the
    header with the stamp as where it came from."""
    stamps = meta.get("stamps")
    if not isinstance(stamps, list):
        return
    for st in stamps:
        st["block"] = len(blocks)
        for k, line in enumerate(st["lines"]):
            blocks.append(Block(text=line, gap=1 if k == 0 else 0, source=Source(page=1), align="center"))


def _layout(pages: list[_Page], meta: dict[str, object], feed: TableFeed | None = None) -> list[Block]:
    m = _metrics(pages)
    removed = _furniture(pages, m.pitch)
    if removed:
        meta["removed"] = removed
    _split_regions(pages, m)
    if feed is not None:  # ruled tables (tables.py): numbered after the two-column regions
        feed.next_table = max((ln.region for pg in pages for ln in pg.lines), default=0) + 1
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
                if feed is not None:
                    k = feed.emit(pg.number, para.lines[0].y, blocks, k)
                b = _block(para, pg.number, k + 1)
                if not b.text:  # nothing but markdown markers
                    continue
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
        if feed is not None:
            k = feed.emit(pg.number, None, blocks, k)
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


