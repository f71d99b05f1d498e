"""Ruled tables of a PDF, found by pdfplumber's table finder, read as the .docx reader reads tables.

The per-character reader (PDFium, the rest of this package) lays a table's cells out line by line
across the row: "Hội Chữ Hộ 50 thập đỏ nghèo", numbers cut at the cell edge ("25.000.0" and "00"
on the next line), so no table rule of a grammar can read it. Here:

1. **Ruling lines.** PDFium lists each page's path objects with their boxes (cheap: no text is
   parsed again); a thin one is a ruling line, a wider one a rectangle's four edges. A page with
   fewer than :data:`MIN_RULES` of them holds no ruled table and costs nothing more.
2. **Cells.** pdfplumber's table finder (its "lines" strategy: ``merge_edges``,
   ``edges_to_intersections``, ``intersections_to_cells``, ``cells_to_tables``, with its default
   tolerances) turns the edges into tables of cells. Only its geometry is used: pdfplumber's own
   ``Page`` (pdfminer's parse of the whole page, slower than ``extract_text``) is never built.
3. **Text.** Each word of the per-character reader goes to the cell that holds its middle; a cell's
   lines are joined with a space, or with nothing where a number goes on on the next line
   ("25.000.0" + "00"). Each non-empty cell becomes a block of kind "cell" with ``Source(page,
   paragraph, table, row, cell)`` (row and cell 1-based, as a .docx table's), so the grammars'
   ``tables:`` rules fire on a .pdf as on a .docx; the table's lines leave the flow and its blocks
   take their place in reading order (:class:`TableFeed`).

Tables without ruling lines (columns aligned by spaces only) are still read as lines of text, and
a table on a rotated page too.

Cost (``benchmarks/bench.py --pdf-tables``): on the one-page table fixture the tables add ~12 ms to a
~24 ms parse (pdfplumber's ``extract_text`` of it: ~59 ms); a page without paths adds only its
object count. The first ruled page of a process also imports pdfplumber (with pdfminer: ~0.3-0.8 s
cold), so a PDF without one never does.
"""

from __future__ import annotations

import ctypes
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from ...document import Block, Source
from .glyphs import _Line
from .pdfium import _Page

#: path objects on a page before its tables are looked for (a 2x2 ruled table draws more)
MIN_RULES = 6
_THIN = 2.0  # points: a path this thin is a line, not a box
_NUMBER_CUT = re.compile(r"[0-9][.,]?$")

Box = tuple[float, float, float, float]  # x0, top, x1, bottom (points, from the top left of the page)


@dataclass
class PdfTable:
    page: int
    top: float  # y of the table's top edge from the top of the page
    bottom: float
    x0: float
    x1: float
    rows: list[list[str | None]] = field(default_factory=list)  # cell texts (None: merged away)


def _edges(data: bytes, password: str | None) -> dict[int, list[dict[str, Any]]]:
    """pdfplumber-style edges of the path objects, per 0-based page with at least MIN_RULES paths."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    out: dict[int, list[dict[str, Any]]] = {}
    doc = pdfium.PdfDocument(data, password=password)
    vals = [ctypes.c_float() for _ in range(4)]
    refs = [ctypes.byref(v) for v in vals]
    try:
        for i in range(len(doc)):
            page = doc[i]
            try:
                if page.get_rotation() % 360:
                    continue
                left, _bottom, _right, top = page.get_cropbox()
                boxes: list[Box] = []
                for k in range(pdfium_c.FPDFPage_CountObjects(page.raw)):
                    obj = pdfium_c.FPDFPage_GetObject(page.raw, k)
                    if pdfium_c.FPDFPageObj_GetType(obj) != pdfium_c.FPDF_PAGEOBJ_PATH:
                        continue
                    if pdfium_c.FPDFPageObj_GetBounds(obj, *refs):
                        lo, b, r, t = (v.value for v in vals)
                        boxes.append((lo - left, top - t, r - left, top - b))
                if len(boxes) >= MIN_RULES:
                    out[i] = [e for box in boxes for e in _box_edges(box)]
            finally:
                page.close()
    finally:
        doc.close()
    return out


def _box_edges(box: Box) -> list[dict[str, Any]]:
    x0, top, x1, bottom = box
    w, h = x1 - x0, bottom - top
    if w <= _THIN and h <= _THIN:
        return []
    if w <= _THIN:
        x = (x0 + x1) / 2
        return [{"x0": x, "x1": x, "top": top, "bottom": bottom, "width": 0, "height": h, "orientation": "v"}]
    if h <= _THIN:
        y = (top + bottom) / 2
        return [{"x0": x0, "x1": x1, "top": y, "bottom": y, "width": w, "height": 0, "orientation": "h"}]
    return [*_box_edges((x0, top, x1, top)), *_box_edges((x0, bottom, x1, bottom)),
            *_box_edges((x0, top, x0, bottom)), *_box_edges((x1, top, x1, bottom))]


def _cells(edges: list[dict[str, Any]]) -> list[list[list[Box | None]]]:
    """Tables (rows of cells, None where a merged cell spans) by pdfplumber's table finder."""
    from pdfplumber import utils
    from pdfplumber.table import (
        TableSettings,
        cells_to_tables,
        edges_to_intersections,
        intersections_to_cells,
        merge_edges,
    )

    st = TableSettings.resolve(None)
    edges = utils.filter_edges(edges, min_length=st.edge_min_length_prefilter)
    edges = merge_edges(edges, st.snap_x_tolerance, st.snap_y_tolerance, st.join_x_tolerance, st.join_y_tolerance)
    edges = utils.filter_edges(edges, min_length=st.edge_min_length)
    points = edges_to_intersections(edges, st.intersection_x_tolerance, st.intersection_y_tolerance)
    return [_rows(group) for group in cells_to_tables(intersections_to_cells(points))]


def _rows(cells: list[Box]) -> list[list[Box | None]]:
    """A table's cells by row, each row on the grid of all the cells' left edges (pdfplumber's
    ``Table.rows``): None where a cell spans the column."""
    xs = sorted({c[0] for c in cells})
    rows: dict[float, dict[float, Box]] = {}
    for c in sorted(cells, key=lambda c: (c[1], c[0])):
        rows.setdefault(c[1], {})[c[0]] = c
    return [[row.get(x) for x in xs] for _, row in sorted(rows.items())]


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


def _fill(rows: list[list[Box | None]], lines: list[_Line]) -> tuple[list[list[str | None]], set[int]]:
    """The text of each cell from the words whose middle it holds; the indices of the lines used."""
    words: dict[tuple[int, int], list[tuple[float, float, str]]] = {}
    used: set[int] = set()
    for n, ln in enumerate(lines):
        for pc in ln.pieces:
            cx = (pc.x0 + pc.x1) / 2
            for r, row in enumerate(rows):
                hit = next((c for c, b in enumerate(row) if b and b[0] <= cx <= b[2] and b[1] <= ln.y <= b[3]), None)
                if hit is not None:
                    words.setdefault((r, hit), []).append((ln.y, pc.x0, pc.text))
                    used.add(n)
                    break
    texts: list[list[str | None]] = []
    for r, row in enumerate(rows):
        out: list[str | None] = []
        for c, b in enumerate(row):
            ws = sorted(words.get((r, c), []))
            raw = "\n".join(" ".join(w for y, _, w in ws if y == y0) for y0 in sorted({y for y, _, _ in ws}))
            out.append(cell_text(raw) if b is not None else None)
        texts.append(out)
    return texts, used


def find_tables(data: bytes, pages: list[_Page], password: str | None = None) -> list[PdfTable]:
    """The ruled tables of the PDF, in reading order; their lines are taken out of ``pages``."""
    found: list[PdfTable] = []
    for i, edges in sorted(_edges(data, password).items()):
        pg = pages[i]
        for rows in sorted(_cells(edges), key=lambda t: min(b[1] for r in t for b in r if b)):
            if len(rows) < 2 or max(len(r) for r in rows) < 2:
                continue  # a box around a paragraph is no table
            boxes = [b for r in rows for b in r if b]
            x0, top = min(b[0] for b in boxes), min(b[1] for b in boxes)
            x1, bottom = max(b[2] for b in boxes), max(b[3] for b in boxes)
            inside = [ln for ln in pg.lines if top <= ln.y <= bottom]
            texts, used = _fill(rows, inside)
            if not any(t for r in texts for t in r):
                continue
            found.append(PdfTable(i + 1, top, bottom, x0, x1, texts))
            gone = {id(inside[n]) for n in used}
            pg.lines = [ln for ln in pg.lines if id(ln) not in gone]
    return found


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
