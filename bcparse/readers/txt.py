"""Plain-text reader: bytes → Document, one block per non-blank line.

Blank lines become the ``gap`` of the next block; a line that continues a sentence the previous
line left unfinished (a page break or a hard wrap in the middle of a paragraph) is joined to it;
markdown emphasis markers are kept out of the view and remembered on the block.
"""

from __future__ import annotations

from .. import limits
from ..document import Block, Document, Source
from ..encodings import decode_bytes
from ..errors import EmptyInputError, EncodingError, InputTooLargeError, UnsupportedFormatError
from ..textview import continues, join_into, normalize_text, split_indent, strip_markdown


def check_text_size(text: str, path: str | None = None) -> None:
    """InputTooLargeError when ``text`` is over ``max_text_chars`` (before any block is made of it)."""
    lim = limits.current().max_text_chars
    if len(text) > lim:
        raise InputTooLargeError(
            f"the document's text is over the limit of {lim:,} characters (set BCPARSE_MAX_TEXT_CHARS)", path=path
        )


def blocks_from_text(text: str, *, path: str | None = None) -> list[Block]:
    """Blocks of a decoded text (any line ends), joined where a paragraph was split.

    A NUL character anywhere is refused, as one in the first 4 KB is (binary data): no database
    can store it in text (PostgreSQL refuses it), so a report never holds one.
    """
    check_text_size(text, path)
    if (nul := text.find("\x00")) >= 0:
        raise UnsupportedFormatError(
            f"the file holds a NUL byte (line {text.count(chr(10), 0, nul) + 1}): binary data, not a report",
            path=path)
    text = normalize_text(text)
    blocks: list[Block] = []
    gap = 0
    for n, raw in enumerate(text.splitlines(), start=1):
        indent, body = split_indent(raw)
        if not body:
            gap += 1
            continue
        body, marks = strip_markdown(body)
        if not body.strip():
            gap += 1
            continue
        if blocks and continues(blocks[-1].text, body):
            join_into(blocks[-1], Block(text=body, marks=marks, source=Source(lines=(n,))))
            gap = 0
            continue
        blocks.append(Block(text=body, gap=gap, indent=indent, marks=marks, source=Source(lines=(n,))))
        gap = 0
    return blocks


def read_text(text: str, *, path: str | None = None) -> Document:
    """A Document from text already decoded."""
    return Document(blocks_from_text(text, path=path), path=path, format="txt")


_LITERAL_FFFD = {"utf-8": "\ufffd".encode("utf-8"), "utf-8-sig": "\ufffd".encode("utf-8")}


def _replaced(data: bytes, text: str, encoding: str) -> str | None:
    """A warning when bytes that did not decode became U+FFFD: how many, and where the first is."""
    base = encoding.split("+")[0]
    count = text.count("\ufffd")
    if not count:
        return None
    literal = data.count(_LITERAL_FFFD[base]) if base in _LITERAL_FFFD else 0
    if base.startswith("utf-16"):
        literal = data.count(b"\xfd\xff") + data.count(b"\xff\xfd")
    replaced = count - literal
    if replaced <= 0:
        return None
    at = text.index("\ufffd")
    line = text.count("\n", 0, at) + 1
    col = at - (text.rfind("\n", 0, at) + 1) + 1
    what = "byte sequence" if replaced == 1 else "byte sequences"
    return (f"{replaced:,} invalid {base.upper()} {what} replaced by U+FFFD (the first at line {line}, "
            f"column {col})")


def read_txt_bytes(data: bytes, *, path: str | None = None) -> Document:
    try:
        text, encoding = decode_bytes(data)
    except EncodingError as e:
        if e.path or not path:
            raise
        raise EncodingError(e.message, path=path) from None
    if not text.strip(" \t\r\n\f\v\ufeff\x00"):
        raise EmptyInputError("the file is empty", path=path)
    warnings = [w] if (w := _replaced(data, text, encoding)) else []
    doc = Document(blocks_from_text(text, path=path), path=path, format="txt", meta={"encoding": encoding},
                   warnings=warnings)
    return doc
