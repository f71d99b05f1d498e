"""Plain-text reader: bytes → Document, one block per non-blank line.

Blank lines become the ``gap`` of the next block; a line that continues a sentence the previous
line left unfinished (a page break or a hard wrap in the middle of a paragraph) is joined to it;
markdown emphasis markers are kept out of the view and remembered on the block.

A table typed as tab-separated rows (Word's "Save as plain text" writes a table so), or a
markdown pipe table ("| STT | Đơn vị | … |" over "|---|---|", as converters write one), is read
as the .docx reader reads a table: each cell a block of kind "cell" with ``Source(lines, table,
row, cell)``, row by row, left to right, an empty cell a blank line (:func:`text_tables`).
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from .. import limits
from ..document import Block, Document, Source
from ..errors import EmptyInputError, EncodingError, InputTooLargeError, UnsupportedFormatError
from ..legacy_encodings import (
    ANSI_CHARS,
    convert_with_offsets,
    decode_ansi,
    decode_bytes,
    legacy_mapping,
    nfc_with_offsets,
    upper_headings,
)
from ..textview import (
    continues,
    join_into,
    normalize_text,
    normalize_with_offsets,
    split_indent,
    strip_markdown,
)


def check_text_size(text: str, path: str | None = None) -> None:
    """InputTooLargeError when ``text`` is over ``max_text_chars`` (before any block is made of it)."""
    lim = limits.current().max_text_chars
    if len(text) > lim:
        raise InputTooLargeError(
            f"the document's text is over the limit of {lim:,} characters (set BCPARSE_MAX_TEXT_CHARS)", path=path
        )


def tab_fields(line: str) -> list[str]:
    """The tab-separated fields of a line, empty fields at its end left out (``"a\tb\t"`` has 2)."""
    fields = line.split("\t")
    while fields and not fields[-1].strip(_BLANK):
        fields.pop()
    return fields


_BLANK = " \t\u3000"  # what split_indent strips (the view is normalised: no NBSP)


def tab_tables(lines: list[str]) -> dict[int, tuple[int, int, int]]:
    """The lines (0-based) that are rows of a tab-separated table → (table, row, width), the
    first two 1-based, ``width`` the table's number of columns.

    A table is a run of two or more consecutive lines with the same number of tab-separated
    columns (two or more): its first line (the header) has ``width`` fields (:func:`tab_fields`),
    at least two of them non-empty; every other line has ``width - 1`` tabs or more and nothing
    after its ``width``-th field (a row whose last cells are empty, "\tTrong đó:\t\t\t", keeps
    its tabs as Word writes them) and a non-empty field; the last line has two non-empty fields.
    A paragraph indented with a tab ("\tĐoạn văn …") has one non-empty field, so paragraphs
    indented with tabs are no table, nor do they join the end of one.
    """
    out: dict[int, tuple[int, int, int]] = {}
    table = 0
    i, n = 0, len(lines)
    while i < n:
        if "\t" not in lines[i]:
            i += 1
            continue
        fields = tab_fields(lines[i])
        width = len(fields)
        if width < 2 or sum(1 for f in fields if f.strip(_BLANK)) < 2:
            i += 1
            continue
        j = i + 1
        last = i  # the last line of the run with two non-empty fields
        while j < n and "\t" in lines[j]:
            fj = tab_fields(lines[j])
            if not (len(fj) <= width <= lines[j].count("\t") + 1):
                break
            k = sum(1 for f in fj if f.strip(_BLANK))
            if not k:
                break
            if k >= 2:
                last = j
            j += 1
        if last > i:
            table += 1
            for row, m in enumerate(range(i, last + 1), start=1):
                out[m] = (table, row, width)
            i = last + 1
        else:
            i += 1
    return out


_PIPE_RULE = re.compile(r"\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*")


def row_cells(line: str) -> list[tuple[int, str]]:
    """(offset in ``line``, text) of every cell of a table row: its tab-separated fields, or (a
    line without a tab) the cells of a markdown pipe row "| a | b |"."""
    out: list[tuple[int, str]] = []
    at = 0
    if "\t" in line:
        for f in line.split("\t"):
            out.append((at, f))
            at += len(f) + 1
        return out
    body = line.rstrip()
    for f in body.split("|"):
        out.append((at, f))
        at += len(f) + 1
    if body.lstrip().startswith("|"):
        out = out[1:]  # the indentation before the opening pipe
    if body.endswith("|") and out:
        out = out[:-1]
    return out


def pipe_tables(lines: list[str]) -> dict[int, tuple[int, int, int]]:
    """The lines (0-based) of markdown pipe tables → (table, row, width) as :func:`tab_tables`;
    the rule line under the header ("|---|:---:|") gets row 0 (it makes no block).

    A pipe table is a header line opening with "|", a rule line with as many columns, then
    every following line opening with "|" (no tab in any of them); at least one body row."""
    out: dict[int, tuple[int, int, int]] = {}
    i, n = 0, len(lines)
    while i + 2 < n:
        head = lines[i]
        if not (head.lstrip().startswith("|") and "\t" not in head and _PIPE_RULE.fullmatch(lines[i + 1])):
            i += 1
            continue
        width = len(row_cells(head))
        if width < 2 or len(row_cells(lines[i + 1])) != width:
            i += 1
            continue
        j = i + 2
        while j < n and lines[j].lstrip().startswith("|") and "\t" not in lines[j]:
            j += 1
        if j == i + 2:
            i += 1
            continue
        out[i] = (0, 1, width)
        out[i + 1] = (0, 0, width)
        for row, m in enumerate(range(i + 2, j), start=2):
            out[m] = (0, row, width)
        i = j
    return out


def text_tables(lines: list[str], text: str) -> dict[int, tuple[int, int, int]]:
    """Tab-separated and pipe tables of a text's lines (0-based) → (table, row, width), tables
    numbered 1, 2 … in the order they come."""
    rows: dict[int, tuple[int, int, int]] = {}
    if "\t" in text:
        rows.update(tab_tables(lines))
    if "|" in text:
        for k, v in pipe_tables(lines).items():
            rows.setdefault(k, v)
    if not rows:
        return rows
    out: dict[int, tuple[int, int, int]] = {}
    table, prev = 0, -2
    for k in sorted(rows):
        t, row, width = rows[k]
        if k != prev + 1 or row == 1:
            table += 1
        out[k] = (table, row, width)
        prev = k
    return out


def blocks_from_text(text: str, *, path: str | None = None) -> list[Block]:
    """Blocks of a decoded text (any line ends), joined where a paragraph was split; the rows of
    a tab-separated or pipe table (:func:`text_tables`) as cell blocks.

    A NUL character anywhere is refused, as one in the first 4 KB is (binary data): no database
    can store it in text (PostgreSQL refuses it), so a report never holds one.
    """
    check_text_size(text, path)
    if (nul := text.find("\x00")) >= 0:
        raise UnsupportedFormatError(
            f"the file holds a NUL byte (line {text.count(chr(10), 0, nul) + 1}): binary data, not a report",
            path=path)
    text = normalize_text(text)
    lines = text.splitlines()
    rows = text_tables(lines, text) if "\t" in text or "|" in text else {}
    blocks: list[Block] = []
    gap = 0
    for n, raw in enumerate(lines, start=1):
        if rows and (at := rows.get(n - 1)) is not None:
            if not at[1]:
                continue  # a pipe table's rule line
            cells = row_cells(raw)
            if "\t" in raw:
                cells = cells[: at[2]]  # the fields after the table's last column are empty
            for c, (_, field) in enumerate(cells, start=1):
                indent, body = split_indent(field)
                body, marks = strip_markdown(body)
                if not body.strip():
                    gap += 1  # an empty cell is a blank line, as in a .docx table
                    continue
                blocks.append(Block(text=body, kind="cell", gap=gap, indent=indent, marks=marks,
                                    source=Source(lines=(n,), table=at[0], row=at[1], cell=c)))
                gap = 0
            continue
        indent, body = split_indent(raw)
        if not body:
            gap += 1
            continue
        body, marks = strip_markdown(body)
        if not body.strip():
            gap += 1
            continue
        if blocks and blocks[-1].kind == "paragraph" and continues(blocks[-1].text, body):
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


# ---------------------------------------------------------------------------------------------
# From the view back to the file's bytes
# ---------------------------------------------------------------------------------------------

Stretch = tuple[int, int]  # [start, end) in the string (or bytes) one step closer to the file


class SourceMap:
    """Where each character of a .txt Document's view stands in the file's bytes.

    The view is the file decoded (:func:`bcparse.legacy_encodings.decode_bytes`, legacy encodings
    converted), normalised (:func:`bcparse.textview.normalize_text`), cut into lines, stripped of
    indentation and markdown markers, and joined where a paragraph was split. Each step is
    undone line by line, for the lines asked about only: :meth:`byte_range` gives the bytes a
    stretch of the view was read from, :meth:`encode` the bytes that write a string the way the
    file writes that line (its encoding, legacy or not). ValueError when a line cannot be mapped.
    """

    def __init__(self, data: bytes, doc: Document | None = None) -> None:
        self.data = data
        self.doc = doc if doc is not None else read_txt_bytes(data)
        self.encoding = str(self.doc.meta.get("encoding") or "utf-8")
        base, _, legacy = self.encoding.partition("+")
        self.legacy = legacy or (base if base in ("tcvn3", "vni") else None)
        self._codec, bom = _codec_of(data, base)
        if self._codec == "cp1258":
            pre = data.decode("cp1258", errors="replace")
        elif self._codec == "ansi":
            pre = decode_ansi(data)
        else:
            pre = data[bom:].decode(self._codec, errors=_errors(self._codec, "replace"))
        self._pre = pre.splitlines(keepends=True)
        self._decoded = decode_bytes(data)[0].splitlines()
        if len(self._pre) != len(self._decoded):
            raise ValueError("the decoded text has another number of lines than the file")
        self._line_start: list[int] = []
        at = bom
        for line in self._pre:
            self._line_start.append(at)
            at += self._width(line)
        self._lines: dict[int, tuple[str, list[Stretch], str | None]] = {}

    # ---- bytes of characters -------------------------------------------------------------------
    def _width(self, s: str) -> int:
        if self._codec in ("ansi", "cp1258"):
            return len(s)
        if self._codec.startswith("utf-32"):
            return 4 * len(s)
        return len(s.encode(self._codec, errors=_errors(self._codec, "surrogatepass")))

    def _encode_chars(self, s: str) -> bytes:
        if self._codec == "ansi":
            try:
                return bytes(_ANSI_BYTES[c] for c in s)
            except KeyError:
                raise ValueError(f"{s!r} cannot be written in this file's encoding") from None
        if self._codec == "cp1258":
            return _cp1258_encode(s)
        return s.encode(self._codec, errors=_errors(self._codec, "strict"))

    # ---- one line ------------------------------------------------------------------------------
    def _line(self, n: int) -> tuple[str, list[Stretch], str | None]:
        """Line ``n`` (1-based) as the reader saw it before indentation and markers were taken
        off: the normalised text, each character's byte stretch, and the legacy encoding the line
        was converted from (None when it was not)."""
        hit = self._lines.get(n)
        if hit is not None:
            return hit
        raw = self._pre[n - 1]
        body = raw.splitlines()[0] if raw.splitlines() else ""
        want = self._decoded[n - 1]
        candidates: list[tuple[str, list[Stretch], str | None]] = []
        if self._codec == "cp1258":  # cp1258 text is NFC'd as it is decoded
            text, starts = nfc_with_offsets(list(body), list(range(len(body))))
            candidates.append((text, _stretches(starts, len(body)), None))
        else:
            candidates.append((body, [(i, i + 1) for i in range(len(body))], None))
        if self.legacy:
            conv, starts = convert_with_offsets(body, self.legacy)
            if self.legacy == "tcvn3":
                up = upper_headings(conv)
                conv = up if len(up) == len(conv) else conv
            candidates.insert(0, (conv, _stretches(starts, len(body)), self.legacy))
        chosen = next((c for c in candidates if c[0] == want), None)
        if chosen is None:
            raise ValueError(f"line {n} does not decode as the reader decoded it")
        text, spans, legacy = chosen
        norm, nspans = normalize_with_offsets(text)
        spans = [(spans[a][0], spans[b - 1][1]) for a, b in nspans]
        # characters → bytes
        start = self._line_start[n - 1]
        prefix = [start]
        for ch in body:
            prefix.append(prefix[-1] + self._width(ch))
        out = (norm, [(prefix[a], prefix[b]) for a, b in spans], legacy)
        self._lines[n] = out
        return out

    def block_stretches(self, block: Block) -> list[Stretch]:
        """The byte stretch of every character of ``block.text`` (a joining space covers the
        line break and indentation it stands for)."""
        parts: list[str] = []
        out: list[Stretch] = []
        for n in block.source.lines:
            norm, spans, _ = self._line(n)
            start = 0
            if block.kind == "cell" and block.source.cell:  # one cell of a table row
                start, norm = row_cells(norm)[block.source.cell - 1]
            indent, body = split_indent(norm)
            text, marks = strip_markdown(body)
            base = start + len(indent)
            extra = 0
            k = 0
            line_spans: list[Stretch] = []
            for i in range(len(text)):
                while k < len(marks) and marks[k].offset <= i:
                    extra += len(marks[k].text)
                    k += 1
                line_spans.append(spans[base + i + extra])
            if parts:
                joined = "".join(parts)
                if not joined.endswith(" "):
                    gap_start = out[-1][1] if out else line_spans[0][0]
                    gap_end = line_spans[0][0] if line_spans else gap_start
                    parts.append(" ")
                    out.append((gap_start, gap_end))
            parts.append(text)
            out.extend(line_spans)
        if "".join(parts) != block.text:
            raise ValueError(f"the block at line {block.line} of the view does not rebuild from its source lines")
        return out

    def line_legacy(self, block: Block) -> str | None:
        return self._line(block.source.lines[0])[2]

    def encode(self, s: str, block: Block) -> bytes:
        """``s`` written as the file writes the block's line."""
        legacy = self.line_legacy(block)
        if legacy is not None and not s.isascii():
            s = _legacy_encode(s, legacy)
        return self._encode_chars(s)


def _errors(codec: str, other: str) -> str:
    """UTF-8 bytes that do not decode are kept one character a byte (surrogateescape)."""
    return "surrogateescape" if codec == "utf-8" else other


def _stretches(starts: list[int], total: int) -> list[Stretch]:
    """[start, end) for characters that came from ``starts`` (non-decreasing): each reaches to
    the next character that came from further on."""
    out: list[Stretch] = [(0, 0)] * len(starts)
    nxt = total
    for i in range(len(starts) - 1, -1, -1):
        if i + 1 < len(starts) and starts[i + 1] > starts[i]:
            nxt = starts[i + 1]
        if starts[i] > nxt:
            raise ValueError("conversion offsets go backwards")
        out[i] = (starts[i], nxt)
    return out


def _codec_of(data: bytes, base: str) -> tuple[str, int]:
    """(codec, BOM length) of a file decode_bytes read as ``base``."""
    if base == "utf-8-sig":
        return "utf-8", 3
    if base == "utf-8":
        return "utf-8", 0
    if base == "utf-32":
        return ("utf-32-le" if data.startswith(codecs.BOM_UTF32_LE) else "utf-32-be"), 4
    if base == "utf-16":
        if data.startswith(codecs.BOM_UTF16_LE):
            return "utf-16-le", 2
        if data.startswith(codecs.BOM_UTF16_BE):
            return "utf-16-be", 2
        head = data[:4096]
        return ("utf-16-le" if head[1::2].count(0) >= head[0::2].count(0) else "utf-16-be"), 0
    if base == "cp1258":
        return "cp1258", 0
    return "ansi", 0  # cp1252 and the 8-bit legacy encodings: one byte a character


_ANSI_BYTES = {c: i for i, c in enumerate(ANSI_CHARS)}


def _legacy_encode(s: str, encoding: str) -> str:
    """NFC Vietnamese → the legacy look-alike characters that convert back to it."""
    reverse: dict[str, str] = {}
    for legacy, text in legacy_mapping(encoding).items():
        if text not in reverse or len(legacy) < len(reverse[text]):
            reverse[text] = legacy
    out = []
    for ch in unicodedata.normalize("NFC", s):
        out.append(reverse.get(ch, ch))
    return "".join(out)


def _cp1258_encode(s: str) -> bytes:
    """Vietnamese in cp1258: a precomposed letter when the code page has it, else a base letter
    and the combining tone mark."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", s):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        d = unicodedata.normalize("NFD", ch)
        for k in range(len(d), 0, -1):
            head = unicodedata.normalize("NFC", d[:k])
            try:
                out += head.encode("cp1258") + d[k:].encode("cp1258")
                break
            except UnicodeEncodeError:
                continue
        else:
            raise ValueError(f"{ch!r} cannot be written in cp1258")
    return bytes(out)
