"""Validated objects (pydantic v2): spans, figures, sections, header, the Report.

The flat figures contract (``shared/spec/figures.md``, ``bcparse figures --json``) is derived from
these models by :meth:`Report.figures_json`.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Qualifier = Literal["approx", "gt", "lt", "none"]
Value = int | float | str | list[str] | None


class Span(BaseModel):
    """Where a value sits: 1-based line and column in the text view, plus its origin in the file."""

    model_config = ConfigDict(frozen=True)

    line: int = Field(ge=1)
    col: int = Field(ge=1)
    length: int = Field(ge=0)
    page: int | None = None
    paragraph: int | None = None
    table: int | None = None
    row: int | None = None
    cell: int | None = None

    def contract(self) -> dict[str, int]:
        """The span as figures.md prints it, with the file origin fields that are known."""
        return self.model_dump(exclude_none=True)


def make_span(doc: Any, start: int, end: int) -> Span:
    """Span of view offsets [start, end) in a :class:`bcparse.document.Document`."""
    line, col = doc.line_col(start)
    b = doc.block_at(start)
    src = b.source if b is not None and start >= b.offset else None
    return Span(
        line=line,
        col=col,
        length=end - start,
        page=src.page if src else None,
        paragraph=src.paragraph if src else None,
        table=src.table if src else None,
        row=src.row if src else None,
        cell=src.cell if src else None,
    )
