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
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..errors import BcparseError, InputError, ValidationError
from ..models import Report
from .docx import atomic_write, edit_docx, write_docx
from .edit import Edit, apply_edit
from .text import render_source

HELP = "print the report back (a .txt as its own bytes, other formats as `bcparse text`), with figures edited by --set"
EPILOG = """\
examples:
  bcparse render report.txt --set party.members=281
  bcparse render report.txt --set gift[3].unit_value_vnd=600000 -o edited.txt
  bcparse render report.docx --set commune.households=1430 --format docx -o edited.docx
  bcparse parse report.pdf --json > r.json && bcparse render r.json --format docx -o report.docx

Without --set, a .txt (or .md) source is written back byte for byte (encoding, BOM, line endings,
markdown markers, hard wraps) and --set changes only the bytes of its number; a .docx, .doc or
.pdf source, or a Report JSON, is written as its text view (`bcparse text`); --format docx edits
a .docx source in place.

Keys are those of `bcparse figures PATH`; a record field is named by its 1-based place among the
records of its kind: gift[3].count, ref[2].date. Values: a count or money is a whole number ≥ 0
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
    sp.add_argument("-o", "--output", help="write to this file (atomically) instead of stdout")
    sp.set_defaults(func=cmd_render)


def _looks_like_json(data: bytes) -> bool:
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"{")


def load(path: str, *, grammar: str | None = None, password: str | None = None) -> tuple[Report, bytes | None]:
    """The Report at ``path`` and, when it was read from a .docx or a .txt, the file's bytes."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", path=path) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a file", path=path) from None
    except OSError as e:
        raise InputError(f"cannot read the file ({e.strerror})", path=path) from None
    if _looks_like_json(data):
        try:
            return Report.model_validate_json(data), None
        except ValueError as e:
            first = str(e).splitlines()
            raise InputError("not a Report JSON from `bcparse parse --json` "
                             f"({first[1].strip() if len(first) > 1 else first[0]})", path=path) from None
    from ..pipeline import parse

    r = parse(path, grammar=grammar, password=password)
    return r, (data if r.format in ("docx", "txt") else None)


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
    report, source_docx = load(a.path, grammar=a.grammar, password=a.password)
    report, edits = apply_sets(report, a.sets)
    fmt = a.format or ("docx" if a.output and a.output.lower().endswith(".docx") else "text")
    if fmt == "text":
        out = render_source(report, source_docx)
        if not a.output or a.output == "-":
            sys.stdout.flush()
            sys.stdout.buffer.write(out)
            sys.stdout.flush()
            return 0
        atomic_write(a.output, out)
        return 0
    docx_source = source_docx if report.format == "docx" else None
    data = edit_docx(docx_source, edits) if docx_source is not None else write_docx(report)
    if not a.output or a.output == "-":
        if sys.stdout.isatty():
            raise BcparseError("a .docx is binary: give -o FILE.docx (or redirect stdout)")
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return 0
    atomic_write(a.output, data)
    return 0
