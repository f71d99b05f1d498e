"""``bcparse render PATH [--set KEY=VALUE ...] [--format text|docx] [-o OUT]``.

PATH is a report (.txt, .docx, .doc, .pdf) or a Report JSON written by ``bcparse parse --json``
(told apart by content, not by name). What the text output is depends on the source:

* a .txt (or .md): the file itself, byte for byte without ``--set`` (encoding, BOM, line endings,
  markdown markers, hard wraps); each ``--set`` rewrites only the bytes of its number, in the
  file's encoding (:func:`bcparse.render.text.render_source`);
* a .docx, .doc or .pdf: the text view, byte-identical to ``bcparse text PATH`` without ``--set``
  (``--format docx`` edits a .docx source in place instead);
* a Report JSON: its text view (the JSON holds no source bytes).

Each ``--set`` changes one figure, written in the style it was read in; a
value that does not fit the figure is refused (exit 2) and nothing is written. With ``--format
docx`` a .docx source is edited in place (only the runs holding the edited numbers change);
any other source is laid out as a state-format Word document. Output goes to stdout (text) or to
``-o OUT``, written atomically: a temporary file renamed into place, nothing left on failure.
The format follows ``--format``, else ``-o``'s extension (.docx → docx; .pdf and other binary names
are refused for text); a .docx is not written to a terminal. ``-o`` naming the input is refused
unless ``--in-place`` is given. PATH ``-`` is standard input.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from .. import fileio
from ..cliutil import add_input_format
from ..errors import InputError, OutputError, ValidationError
from ..models import Report
from .docx import edit_docx, write_docx
from .edit import Edit, apply_edit
from .text import render_source

HELP = "print the report back (a .txt as its own bytes, other formats as `bcparse text`), with figures edited by --set"
EPILOG = """\
examples:
  bcparse render report.txt --set party.members=281
  bcparse render samples/binh-thanh-doi-ngoai-2024.txt --set gift[2].unit_value_vnd=600000 -o edited.txt
  bcparse render report.docx --set commune.households=1430 --format docx -o edited.docx
  bcparse parse report.pdf --json > r.json && bcparse render r.json --format docx -o report.docx

Without --set, a .txt (or .md) source is written back byte for byte (encoding, BOM, line endings,
markdown markers, hard wraps) and --set changes only the bytes of its number; a .docx, .doc or
.pdf source, or a Report JSON, is written as its text view (`bcparse text`); --format docx edits
a .docx source in place.

Keys are the addresses `bcparse figures PATH` prints: party.members, or a record field named by its
1-based place among the records of its kind in document order: gift[2].count, ref[1].date
(docs/figures.md). Values: a count or money is a whole number ≥ 0
(600000, 600.000 or 600_000), a percentage a number (57.5 or 57,5), a date YYYY-MM-DD."""


def register(sub: Any) -> None:
    sp = sub.add_parser("render", help=HELP, description=HELP, epilog=EPILOG,
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    sp.add_argument("path", help="a report (.txt, .docx, .doc, .pdf) or a Report JSON from `bcparse parse --json`")
    sp.add_argument("--set", dest="sets", action="append", default=[], metavar="KEY=VALUE",
                    help="set a figure (repeatable): party.members=281, gift[3].unit_value_vnd=600000")
    sp.add_argument("--format", choices=("text", "docx"), default=None,
                    help="text (default; the text view) or docx (the source .docx edited in place, "
                    "or a state-format document); -o NAME.docx implies docx")
    sp.add_argument("--grammar", help="force this grammar when reading the report")
    sp.add_argument("--password", help="password of an encrypted PDF")
    add_input_format(sp)
    sp.add_argument("-o", "--output", help="write to this file (atomically) instead of stdout")
    sp.add_argument("--in-place", action="store_true",
                    help="allow -o to name the input file itself (it is replaced atomically, its mode kept)")
    sp.set_defaults(func=cmd_render)


def _looks_like_json(data: bytes) -> bool:
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"{")


def load(path: str, *, grammar: str | None = None, password: str | None = None) -> tuple[Report, bytes | None]:
    """The Report at ``path`` and, when it was read from a .docx or a .txt, the file's bytes.

    The file is read once, through :func:`bcparse.fileio.read_input` (a regular file within
    ``BCPARSE_MAX_INPUT_BYTES``, a Report JSON included)."""
    from ..readers import check_extension, read_bytes

    name = "<stdin>" if fileio.is_stdin(path) else path
    data = fileio.read_input(path)
    if _looks_like_json(data) and fileio.forced_input_format() is None:
        try:
            return Report.model_validate_json(data), None
        except ValueError as e:
            first = str(e).splitlines()
            raise InputError("not a Report JSON from `bcparse parse --json` "
                             f"({first[1].strip() if len(first) > 1 else first[0]})", path=name) from None
    from ..pipeline import parse_document

    check_extension(name, fileio.forced_input_format())
    doc = read_bytes(data, name=name, password=password, format=fileio.forced_input_format())
    for w in doc.warnings:
        fileio.warn(name, w)
    r = parse_document(doc, grammar=grammar)
    return r, (data if r.format in ("docx", "txt") else None)


def _output_format(fmt: str | None, out: str | None) -> str:
    """``--format``, else -o's extension: .docx → docx; a binary name for text is refused."""
    ext = Path(out).suffix.lower() if out and out != "-" else ""
    if fmt is None:
        fmt = "docx" if ext == ".docx" else "text"
    if fmt == "docx" and ext and ext != ".docx":
        raise OutputError(f"--format docx writes a Word file: name the output .docx, not {ext}", path=out)
    if fmt == "text" and ext in fileio.OUTPUT_TEXT_REFUSED:
        if ext == ".pdf":
            raise OutputError("bcparse does not write PDF: give -o NAME.docx for a Word file (or NAME.txt for "
                              "text) and print that to PDF", path=out)
        if ext == ".docx":
            raise OutputError("--format text writes text: name the output .txt, or leave --format out for a "
                              "Word file", path=out)
        fileio.check_text_output(out)
    return fmt


def _split(kv: str) -> tuple[str, str]:
    key, sep, value = kv.partition("=")
    if not sep or not key.strip():
        raise ValidationError(f"--set {kv!r}: write it as KEY=VALUE, e.g. party.members=281")
    return key.strip(), value


def apply_sets(report: Report, sets: list[str]) -> tuple[Report, list[Edit]]:
    edits: list[Edit] = []
    for kv in sets:
        key, value = _split(kv)
        report, e = apply_edit(report, key, value)
        if e is not None:
            edits.append(e)
    return report, edits


def cmd_render(a: argparse.Namespace) -> int:
    fmt = _output_format(a.format, a.output)
    report, source_docx = load(a.path, grammar=a.grammar, password=a.password)
    report, edits = apply_sets(report, a.sets)
    if fmt == "text":
        out = render_source(report, source_docx)
        if not a.output or a.output == "-":
            fileio.write_stdout(out, binary_hint=None)  # the source's own bytes: text, terminal or not
            return 0
        fileio.write_output(a.output, out)
        return 0
    docx_source = source_docx if report.format == "docx" else None
    data = edit_docx(docx_source, edits) if docx_source is not None else write_docx(report)
    if not a.output or a.output == "-":
        fileio.write_stdout(data, binary_hint="-o FILE.docx")
        return 0
    fileio.write_output(a.output, data)
    return 0
