"""Lossless text rendering of a Report, edits included.

``bcparse render FILE`` writes :func:`render_source`: a .txt source's own bytes with each edit
spliced over the bytes its number was read from (:class:`bcparse.readers.txt.SourceMap` maps the
view back to the file), or the text view for .docx/.doc/.pdf sources and Report JSON.

A parsed Report carries its text view (``Report.text``, what ``bcparse text PATH`` prints) and
every span points into it, so rendering an unchanged report is returning that text: the round
trip is the identity by construction, and the tests hold it to that on every sample and corpus
text (the LibCST / tomlkit model, research §1.12).

An edit replaces one stretch of that text by another on the same line: :func:`bcparse.edit.splice`
(below the renderers, re-exported here) does it on a copy of the Report and moves every span
(an offset into the text) with it, and the strings that quote the edited line (a section's title,
the header's date as written ...). Nothing else changes, byte for byte.
"""

from __future__ import annotations

from typing import Any

from ..edit import line_starts, offset_of_span, splice
from ..errors import ValidationError
from ..models import Report

__all__ = ["render_text", "render_source", "splice", "line_starts", "offset_of_span"]


def render_text(report: Report) -> str:
    """The report as text: its own text view when it was read from a file (byte for byte, with
    any edits made through :func:`bcparse.render.set_figure`), or a complete report in the state
    format when it was built in code (no text; see :func:`bcparse.render.build_text`)."""
    if report.text:
        return report.text
    from .build import build_text

    return build_text(report)


def render_source(report: Report, source: bytes | None) -> bytes:
    """What ``bcparse render FILE`` writes: the file itself for a .txt source, edits spliced in.

    * A .txt (or .md) report read from ``source``: the file's own bytes, byte for byte (line
      endings, BOM, UTF-16, a TCVN3/VNI/cp1258 encoding, markdown markers, indentation, hard
      wraps and page-break splits); each stretch of the view an edit changed
      (:func:`bcparse.render.set_figure`) is written over the bytes it was read from, in the
      file's encoding, and nothing else changes. A result that would not read back as the edited
      report is refused (ValidationError), never written.
    * Any other report (.docx, .doc, .pdf, a Report JSON, one built in code): its text view
      (:func:`render_text`) in UTF-8, ending with a line break. A .docx is edited in place by
      :func:`bcparse.render.edit_docx` (``--format docx``).
    """
    if source is None or report.format != "txt" or not report.text:
        text = render_text(report)
        return (text if text.endswith("\n") else text + "\n").encode("utf-8")
    from ..readers.txt import read_txt_bytes

    doc = read_txt_bytes(source)
    if doc.text == report.text:
        return source
    try:
        out = _splice_source(report, source, doc)
    except ValueError as e:
        raise ValidationError(f"the edit cannot be written into the source file ({e})") from None
    if read_txt_bytes(out).text != report.text:
        raise ValidationError("the edit cannot be written into the source file: it would not read back as edited")
    return out


def _splice_source(report: Report, source: bytes, doc: Any) -> bytes:
    """``source`` with the bytes under every changed stretch of the view rewritten."""
    from ..readers.txt import SourceMap

    old_lines = doc.text.split("\n")
    new_lines = report.text.split("\n")
    if len(old_lines) != len(new_lines):
        raise ValueError("the edited text has another number of lines")
    smap = SourceMap(source, doc)
    patches: list[tuple[int, int, bytes]] = []
    for n, (old, new) in enumerate(zip(old_lines, new_lines, strict=True), start=1):
        if old == new:
            continue
        block = doc.blocks[doc.block_index_at(doc.offset_of(n, 1))]
        if block.line != n:
            raise ValueError(f"line {n} of the view is blank")
        spans = smap.block_stretches(block)
        for i1, i2, j1, j2 in _changes(old, new):
            data = smap.encode(new[j1:j2], block)
            if i1 < i2:
                a, b = spans[i1][0], spans[i2 - 1][1]
            elif i1 < len(old) and (i1 == 0 or old[i1].isalnum()):
                a = b = spans[i1][0]  # written in front of the word it is glued to
            else:
                a = b = spans[i1 - 1][1]
            patches.append((a, b, data))
    patches.sort()
    for (_, b, _), (a, _, _) in zip(patches, patches[1:], strict=False):
        if a < b:
            raise ValueError("two edits overlap in the file")
    out = bytearray(source)
    for a, b, data in reversed(patches):
        out[a:b] = data
    return bytes(out)


def _changes(old: str, new: str) -> list[tuple[int, int, int, int]]:
    """Stretches (i1, i2) of ``old`` replaced by (j1, j2) of ``new``; changes only a number's
    digits and separators apart are one change (the whole number is rewritten)."""
    import difflib

    out: list[tuple[int, int, int, int]] = []
    ops = difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            continue
        if out and not old[out[-1][1] : i1].strip("0123456789.,"):
            out[-1] = (out[-1][0], i2, out[-1][2], j2)
        else:
            out.append((i1, i2, j1, j2))
    return out
