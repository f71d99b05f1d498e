"""Tables: rows and cells in grid order, each cell's paragraphs read as blocks of kind "cell".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lxml import etree

from .ooxml import (
    W_CUSTOMXML,
    W_GRIDBEFORE,
    W_GRIDSPAN,
    W_P,
    W_SDT,
    W_SDTCONTENT,
    W_TC,
    W_TCPR,
    W_TR,
    W_TRPR,
    W_VAL,
    W_VMERGE,
)
from .styles import _int_val

if TYPE_CHECKING:
    from .body import _Reader


def count_paragraphs(el: etree._Element) -> int:
    """The ``w:p`` inside ``el`` (skipped content still counts in ``Source.paragraph``)."""
    return sum(1 for _ in el.iter(W_P))


def children(parent: etree._Element, tag: str) -> list[etree._Element]:
    """Rows of a table / cells of a row, looking through content controls and custom XML."""
    out: list[etree._Element] = []
    for c in parent:
        if c.tag == tag:
            out.append(c)
        elif c.tag == W_SDT:
            content = c.find(W_SDTCONTENT)
            if content is not None:
                out.extend(children(content, tag))
        elif c.tag == W_CUSTOMXML:
            out.extend(children(c, tag))
    return out


def read_table(reader: _Reader, tbl: etree._Element) -> None:
    """The table's cells row by row, left to right, each read as blocks of kind "cell" with
    ``Source(table, row, cell)`` (cell: the 1-based grid column where it starts); a merged cell
    (``gridSpan``) is read once, ``vMerge`` continuation cells are skipped (their paragraphs counted)."""
    reader.table_no += 1
    tno = reader.table_no
    saved = (reader.kind, reader.ctx)
    reader.joinable = None
    for row_no, tr in enumerate(children(tbl, W_TR), start=1):
        col = 0
        trpr = tr.find(W_TRPR)
        if trpr is not None:
            col = max(_int_val(trpr.find(W_GRIDBEFORE)) or 0, 0)
        for tc in children(tr, W_TC):
            span = 1
            continuation = False
            tcpr = tc[0] if len(tc) and tc[0].tag == W_TCPR else None
            if tcpr is not None:
                span = max(_int_val(tcpr.find(W_GRIDSPAN)) or 1, 1)
                vm = tcpr.find(W_VMERGE)
                continuation = vm is not None and vm.get(W_VAL) in (None, "continue")
            if continuation:
                reader.para_no += count_paragraphs(tc)
            else:
                reader.kind = "cell"
                reader.ctx = (tno, row_no, col + 1)
                reader.blocks_of(tc)
                reader.joinable = None
            col += span
    reader.kind, reader.ctx = saved
    reader.joinable = None


