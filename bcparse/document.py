"""The lossless document model in the middle of the pipeline.

Readers (``bcparse.readers``) turn a file into a :class:`Document`: an ordered list of
:class:`Block` objects, each one line of the *text view* with where it came from. Everything
downstream (structure, extraction, rendering, audit) reads the Document; every span is an offset
and length into its text view, which ``bcparse text PATH`` prints, with the line and column given
by the view's one position index (:class:`bcparse.positions.TextIndex`, ``Document.index``).

The text view is built from the blocks alone::

    view = "\\n" * blocks[0].gap + blocks[0].text + "\\n" * (1 + blocks[1].gap) + blocks[1].text ...

so a block is exactly one line of the view and ``gap`` is the number of blank lines before it.
Every reader builds its lines the same way (``bcparse.textview``): normalised, indentation and
markdown markers ("**BÁO CÁO**", "# I. …") kept out, and a table read a cell a block (kind
"cell"), so one report gives one view whatever its format. What the view leaves out but a
renderer needs (markdown emphasis markers, the raw indentation, where a page break split a
paragraph, the legacy encoding a run was converted from) is remembered on the block.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Literal

from . import limits
from .errors import InputTooLargeError
from .positions import TextIndex

BlockKind = Literal["paragraph", "cell"]


@dataclass(slots=True)
class Source:
    """Where a block came from in its file. Fields a format does not have stay None."""

    lines: tuple[int, ...] = ()  # .txt: 1-based source lines that make up the block
    page: int | None = None  # .pdf (and .docx when Word recorded page breaks): 1-based page
    paragraph: int | None = None  # .docx: 1-based body paragraph; .pdf: paragraph on its page
    table: int | None = None  # .docx: 1-based table in the body; .txt: tab-separated table; .pdf: two-column region
    row: int | None = None  # 1-based row in that table
    cell: int | None = None  # 1-based cell in that row (.txt: the line's 1-based tab-separated field)


@dataclass(slots=True)
class Mark:
    """A markup token kept out of the view (e.g. markdown ``**``) and where it stood."""

    offset: int  # index in Block.text before which the token stood
    text: str


@dataclass(slots=True)
class Block:
    """One line of the text view: a paragraph, a table cell paragraph, or a joined paragraph."""

    text: str
    kind: BlockKind = "paragraph"
    gap: int = 0  # blank lines before this block in the view
    source: Source = field(default_factory=Source)
    bold: bool | None = None  # True when (nearly) all of the text is bold
    italic: bool | None = None
    align: str | None = None  # "left" | "center" | "right" | "justify"
    size: float | None = None  # font size in points, when known
    style: str | None = None  # .docx paragraph style name
    label: str | None = None  # automatic numbering label written in front of the text ("I.", "a)")
    indent: str = ""  # leading white space of the source line, kept out of the view
    marks: list[Mark] = field(default_factory=list)
    joins: list[int] = field(default_factory=list)  # offsets in text where a split paragraph was joined
    encoding: str | None = None  # legacy encoding the text was converted from ("tcvn3", "vni", ...)
    line: int = 0  # 1-based line of this block in the view (set by Document)
    offset: int = 0  # index of the block's first character in the view (set by Document)


class Document:
    """A read report: blocks plus the text view they make, with position helpers."""

    __slots__ = ("blocks", "path", "format", "warnings", "text", "index", "_starts", "_meta")

    def __init__(
        self,
        blocks: list[Block],
        *,
        path: str | None = None,
        format: str = "txt",
        warnings: list[str] | None = None,
        meta: dict[str, object] | None = None,
    ) -> None:
        self.blocks = blocks
        self.path = path
        self.format = format
        self.warnings = list(warnings or [])
        self._meta = dict(meta or {})
        parts: list[str] = []
        pos = 0
        line = 1
        for i, b in enumerate(blocks):
            sep = "\n" * (b.gap + (1 if i else 0))
            parts.append(sep)
            pos += len(sep)
            line += len(sep)
            b.line = line
            b.offset = pos
            parts.append(b.text)
            pos += len(b.text)
        self.text = "".join(parts)
        lim = limits.current().max_text_chars
        if len(self.text) > lim:  # every reader: the view's size bounds what parsing it costs
            raise InputTooLargeError(
                f"the document's text is over the limit of {lim:,} characters (set BCPARSE_MAX_TEXT_CHARS)",
                path=path)
        self._starts = [b.offset for b in blocks]
        self.index = TextIndex(self.text)  # the one position index of the view (spans' line/col)

    @property
    def meta(self) -> dict[str, object]:
        """Reader-specific facts (encoding detected, page count, producer...)."""
        return self._meta

    # ---- positions -------------------------------------------------------------------------
    def block_index_at(self, offset: int) -> int:
        """Index of the block whose line holds ``offset`` (the nearest one before it on blank lines)."""
        i = bisect.bisect_right(self._starts, offset) - 1
        return max(i, 0)

    def block_at(self, offset: int) -> Block | None:
        if not self.blocks:
            return None
        return self.blocks[self.block_index_at(offset)]

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) in the view of a 0-based character offset."""
        return self.index.line_col(offset)

    def offset_of(self, line: int, col: int) -> int:
        """0-based offset of a 1-based (line, column)."""
        off = self.index.offset(line, col)
        return len(self.text) + col - 1 if off is None else off

    def lines(self) -> list[str]:
        return self.text.split("\n")

    def __repr__(self) -> str:
        return f"Document(path={self.path!r}, format={self.format!r}, blocks={len(self.blocks)})"
