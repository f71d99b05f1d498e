"""Ruled tables of a PDF, read with pdfplumber's table finder, as the .docx reader reads tables.

The per-character reader (PDFium, the rest of this package) lays a table's cells out line by line
across the row: "Hội Chữ Hộ 50 thập đỏ nghèo", numbers cut at the cell edge ("25.000.0" and "00"
on the next line), so no table rule of a grammar can read it. Here:

1. **Which pages.** PDFium counts the path objects of each page (cheap); a page drawing at least
   :data:`MIN_RULES` of them (the ruling lines and cell borders of a table) is handed to
   pdfplumber, whose ``find_tables`` (the "lines" strategy: the cells the ruling lines enclose)
   costs ~tens of ms a page. The other pages are never opened by pdfplumber.
2. **Cells.** Each table becomes blocks of kind "cell", one per cell, with ``Source(page,
   paragraph, table, row, cell)`` (row and cell 1-based, as a .docx table's), so the grammars'
   ``tables:`` rules fire on a .pdf as on a .docx. A cell's lines are joined with a space, or with
   nothing where a number goes on on the next line ("25.000.0" + "00").
3. **The rest.** Lines of the per-character reader inside a table's box are taken out of the
   flow (they would be read twice, and garbled); the table's blocks take their place in reading
   order (:func:`emit_before`).

Tables without ruling lines (columns aligned by spaces only) are still read as lines of text.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from ...document import Block, Source
from .pdfium import _Page

#: path objects on a page before pdfplumber looks for a table there (a 2x2 ruled table draws more)
MIN_RULES = 6
_NUMBER_CUT = re.compile(r"[0-9][.,]?$")


@dataclass
class PdfTable:
    page: int
    top: float  # y of the table's top edge from the top of the page
    bottom: float
    x0: float
    x1: float
    rows: list[list[str | None]] = field(default_factory=list)  # cell texts (None: merged away)


def _ruled_pages(data: bytes, password: str | None) -> list[int]:
    """0-based indices of the pages that draw enough paths to hold a ruled table."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    out = []
    doc = pdfium.PdfDocument(data, password=password)
    try:
        for i in range(len(doc)):
            page = doc[i]
            try:
                n = pdfium_c.FPDFPage_CountObjects(page.raw)
                paths = 0
                for k in range(n):
                    if pdfium_c.FPDFPageObj_GetType(pdfium_c.FPDFPage_GetObject(page.raw, k)) == pdfium_c.FPDF_PAGEOBJ_PATH:
                        paths += 1
                        if paths >= MIN_RULES:
                            out.append(i)
                            break
            finally:
                page.close()
    finally:
        doc.close()
    return out


def cell_text(raw: str | None) -> str | None:
    """A cell's lines joined: a space between words, nothing inside a number cut at the edge."""
    if raw is None:
        return None
    out = ""
    for line in unicodedata.normalize("NFC", raw).split("\n"):
        line = " ".join(line.split())
        if not line:
            continue
        if out and _NUMBER_CUT.search(out) and line[0].isdigit():
            out += line
        else:
            out = f"{out} {line}" if out else line
    return out


def find_tables(data: bytes, pages: list[_Page], password: str | None = None) -> list[PdfTable]:
    """The ruled tables of the PDF; their lines are taken out of ``pages``."""
    candidates = _ruled_pages(data, password)
    if not candidates:
        return []
    import pdfplumber

    found: list[PdfTable] = []
    with pdfplumber.open(io.BytesIO(data), password=password or "") as pdf:
        for i in candidates:
            pp = pdf.pages[i]
            for t in pp.find_tables():
                rows: list[list[str | None]] = [[cell_text(c) for c in row] for row in t.extract()]
                if len(rows) < 2 or max(len(r) for r in rows) < 2:
                    continue  # a box around a paragraph is no table
                x0, top, x1, bottom = t.bbox
                found.append(PdfTable(i + 1, top, bottom, x0, x1, rows))
    for tab in found:
        pg = pages[tab.page - 1]
        pg.lines = [ln for ln in pg.lines if not _inside(ln, tab)]
    return found


def _inside(ln: Any, tab: PdfTable) -> bool:
    if not ln.pieces or not (tab.top <= ln.y <= tab.bottom):
        return False
    return ln.pieces[0].x0 >= tab.x0 - 1 and ln.pieces[-1].x1 <= tab.x1 + 1


class TableFeed:
    """The tables found, handed to the layout in reading order (``_layout`` in this package)."""

    def __init__(self, tables: list[PdfTable]) -> None:
        self.tables = list(tables)
        self.next_table = 1  # set past the two-column regions, which also number their cells' table

    def emit(self, page: int, y: float | None, blocks: list[Block], k: int) -> int:
        """Append to ``blocks`` the tables of ``page`` that start above ``y`` (None: all that are
        left), each cell a block of kind "cell"; return the page's paragraph count after them."""
        while self.tables and self.tables[0].page == page and (y is None or self.tables[0].top < y):
            tab = self.tables.pop(0)
            tno = self.next_table
            self.next_table += 1
            for r, row in enumerate(tab.rows, start=1):
                for c, text in enumerate(row, start=1):
                    if not text:
                        continue
                    k += 1
                    blocks.append(Block(text=text, kind="cell",
                                        source=Source(page=page, paragraph=k, table=tno, row=r, cell=c)))
        return k
