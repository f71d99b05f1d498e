"""The ``bcparse`` command line.

Every command prints its result on stdout and nothing else; errors go to stderr as one line
(``bcparse: error: …``) with exit status 2. Nothing is written to a file unless asked (-o), and
then only once the whole result is ready (written to a temporary file and renamed). Files are read
and written through :mod:`bcparse.fileio`: ``-`` is standard input, only regular files are read
or written, and output never fails on the terminal's encoding.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from typing import Any

from . import fileio
from .errors import BcparseError, one_line

EPILOG = """\
examples:
  bcparse figures samples/binh-thanh-doi-ngoai-2024.txt          the report's figures (text)
  bcparse figures report.docx --json                              the figures contract as JSON
  bcparse figures report.pdf --all --json                         ... and every other quantity
  bcparse figures report.txt --explain                            which rule produced each figure
  bcparse outline report.docx                                     the numbered section tree
  bcparse text report.pdf                                         the text view spans point into
  bcparse parse report.txt --json                                 the whole validated Report
  bcparse grammars                                                the report grammars shipped

Exit status: 0 ok, 1 findings (audit), 2 error.
"""


def _write_out(text: str, out: str | None) -> None:
    """Print, or write ``out`` whole or not at all (see :func:`bcparse.fileio.write_output`)."""
    if not text.endswith("\n"):
        text += "\n"
    if not out or out == "-":
        fileio.write_stdout(text)
        return
    fileio.check_text_output(out)
    fileio.write_output(out, text)


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2)


# ---- commands ---------------------------------------------------------------------------------

def cmd_text(a: argparse.Namespace) -> int:
    from .readers import read

    doc = read(a.path, password=a.password)
    _write_out(doc.text, a.output)
    return 0


def cmd_outline(a: argparse.Namespace) -> int:
    from .pipeline import parse

    r = parse(a.path, password=a.password)
    if a.json:
        _write_out(_dumps(r.outline()), a.output)
        return 0
    lines = [f"{'  ' * (s.level - 1)}{s.marker} {s.title}    (line {s.line})" for s in r.sections]
    for i in r.numbering_issues:
        lines.append(f"note: line {i.line}: {i.kind} number {i.found!r} where {i.expected!r} was due")
    _write_out("\n".join(lines) if lines else "(no numbered sections found)", a.output)
    return 0


def _fmt_value(v: Any) -> str:
    """A value for people: numbers the Vietnamese way ("1.422", "284,62", "2.350.000.000")."""
    from .numbers import format_vi

    if isinstance(v, list):
        return "; ".join(map(str, v))
    if isinstance(v, int | float) and not isinstance(v, bool):
        return format_vi(v)
    return "—" if v is None else str(v)


_VALUE_WIDTH = 40  # longer values (a subject line) are not padded: they push the raw text right


def cmd_figures(a: argparse.Namespace) -> int:
    from .pipeline import parse

    r = parse(a.path, grammar=a.grammar, password=a.password)
    if a.json:
        out = r.figures_json(all=a.all)
        out["source"] = a.path
        if a.explain:
            out["explain"] = {
                "grammars": [c.model_dump() for c in r.choices],
                "rules": [f.rule for f in r.figures(all=a.all)],
            }
        _write_out(_dumps(out), a.output)
        return 0
    lines: list[str] = []
    if a.explain:
        lines.append("grammars:")
        for c in r.choices:
            mark = "chosen" if c.chosen else "not chosen"
            lines.append(f"  {c.grammar}: {mark} (score {c.score:g}) - " + "; ".join(c.reasons))
        if not r.choices:
            lines.append("  (none loaded)")
        lines.append("")
    lines.append(f"{a.path}: grammar {r.grammar or '(none)'}")
    rows: list[tuple[str, str, str, str, str]] = []
    for f in r.figures(all=a.all):
        val = _fmt_value(f.value) + (f" {f.unit}" if f.unit else "")
        if f.qualifier:
            val += f" ({f.qualifier})"
        if f.derived:
            val += " (tính ra)"
        rule = f"<- {f.rule or 'numbers'}" if a.explain else ""
        rows.append((f"{f.span.line}:{f.span.col}", f.address or "-", val,
                     f"« {' '.join(f.raw.split())} »", rule))
    w0 = max((len(x[0]) for x in rows), default=0)
    w1 = max((len(x[1]) for x in rows), default=0)
    w2 = min(max((len(x[2]) for x in rows), default=0), _VALUE_WIDTH)
    for loc, addr, val, raw, rule in rows:
        lines.append(f"  {loc:<{w0}}  {addr:<{w1}}  {val:<{w2}}  {raw}" + (f"  {rule}" if rule else ""))
    _write_out("\n".join(lines), a.output)
    return 0


def cmd_parse(a: argparse.Namespace) -> int:
    from .pipeline import parse

    r = parse(a.path, grammar=a.grammar, password=a.password)
    if a.json:
        _write_out(r.model_dump_json(indent=2, by_alias=True), a.output)
        return 0
    h = r.header
    lines = [
        f"source:   {r.source}  ({r.format})",
        f"grammar:  {r.grammar or '(none)'}",
        f"agency:   {' / '.join(h.agency) or '—'}",
        f"number:   {h.number or '(blank)'}/{h.symbol or '—'}",
        f"place:    {h.place or '—'}    date: {h.date or '—'}",
        f"type:     {h.type or '—'}",
        f"subject:  {h.subject or '—'}",
        f"sections: {len(r.sections)}    figures: {len(r.figures())} keyed, {len(r.figures(all=True))} in all",
        f"signed:   {' / '.join(r.closing.authority) or '—'}  {r.closing.signer_name or ''}",
    ]
    _write_out("\n".join(lines), a.output)
    return 0


def cmd_schema(a: argparse.Namespace) -> int:
    from .models import Report

    _write_out(_dumps(Report.model_json_schema(by_alias=True)), a.output)
    return 0


def cmd_grammars(a: argparse.Namespace) -> int:
    from .grammar import load_grammars

    gs = load_grammars()
    if a.json:
        _write_out(_dumps([{"id": g.id, "title": g.title, "file": g.file, "priority": g.match.priority} for g in gs]),
                   a.output)
        return 0
    lines = [f"{g.id:<16} {g.title}    ({g.file})" for g in gs]
    _write_out("\n".join(lines), a.output)
    return 0


# ---- parser -----------------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="bcparse",
        description="Read Vietnamese administrative reports (báo cáo UBND) from .txt, .docx, .doc and .pdf: "
        "their sections, every figure with its line and column, audits of the numbers.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--version", action="version", version="bcparse 0.1.0")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, fn: Callable[[argparse.Namespace], int], help: str, path: bool = True) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help, description=help, formatter_class=argparse.RawDescriptionHelpFormatter)
        if path:
            sp.add_argument("path", help="the report: .txt, .md, .docx, .doc or .pdf (- for standard input)")
            sp.add_argument("--password", help="password of an encrypted PDF")
            add_input_format(sp)
        sp.add_argument("-o", "--output", help="write to this file instead of stdout (written whole or not at all; "
                        "a regular file, created or replaced, a symbolic link followed)")
        sp.set_defaults(func=fn)
        return sp

    add("text", cmd_text, "print the text view: the normalised text every span (line, column) points into")
    sp = add("outline", cmd_outline, "print the numbered section tree (I. → 1. → a.), repeated or skipped numbers noted")
    sp.add_argument("--json", action="store_true", help="a flat JSON list {number, marker, level, title, line}")
    sp = add("figures", cmd_figures, "print the report's figures with where each was read (figures contract v1)")
    sp.add_argument("--json", action="store_true", help="the figures contract as JSON (docs/figures.md)")
    sp.add_argument("--all", action="store_true", help="also every other quantity in the text (key null)")
    sp.add_argument("--grammar", help="force this grammar (see `bcparse grammars`) instead of choosing one")
    sp.add_argument("--explain", action="store_true", help="show the rule behind each figure and why each grammar was or was not chosen")
    sp = add("parse", cmd_parse, "parse a report into the validated Report (a summary, or --json for all of it)")
    sp.add_argument("--json", action="store_true", help="the whole Report as JSON (input of `bcparse render`)")
    sp.add_argument("--grammar", help="force this grammar")
    add("schema", cmd_schema, "print the JSON Schema of the Report that `bcparse parse --json` prints", path=False)
    sp = add("grammars", cmd_grammars, "list the report grammars (grammars/*.yaml)", path=False)
    sp.add_argument("--json", action="store_true")
    _add_later_commands(sub)
    return p


def add_input_format(sp: argparse.ArgumentParser) -> None:
    """``--input-format``: read the input as this format whatever its name (a report saved as .json)."""
    sp.add_argument("--input-format", choices=fileio.INPUT_FORMATS, default=None, metavar="FORMAT",
                    help="read the input as text, docx, doc or pdf whatever its extension (by default a "
                    "name other than .txt/.md/.docx/.doc/.pdf or no extension is refused)")


def _inputs(a: argparse.Namespace) -> list[str]:
    if isinstance(getattr(a, "path", None), str):
        return [a.path]
    return [p for p in getattr(a, "paths", None) or [] if isinstance(p, str)]


def _add_later_commands(sub: Any) -> None:
    """Commands implemented in their own modules (audit, render, import), registered when present."""
    for modname in ("audit", "render", "store"):
        try:
            mod = __import__(f"bcparse.{modname}.cli", fromlist=["register"])
        except ImportError:
            continue
        mod.register(sub)


def main(argv: Sequence[str] | None = None) -> int:
    fileio.setup_streams()
    parser = build_parser()
    a = parser.parse_args(argv)
    if not getattr(a, "func", None):
        parser.print_help()
        return 2
    try:
        inputs = _inputs(a)
        with fileio.cli_input(input_format=getattr(a, "input_format", None), inputs=inputs,
                              in_place=bool(getattr(a, "in_place", False)), in_place_option=hasattr(a, "in_place")):
            out = getattr(a, "output", None)
            if isinstance(out, str) and out != "-":
                fileio.check_output(out)  # a missing folder, a FIFO, the input itself: refused before any work
            return int(a.func(a) or 0)
    except BcparseError as e:
        print(f"bcparse: error: {e}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        print("bcparse: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as e:  # noqa: BLE001 - a bug must still be one line, not a traceback
        msg = one_line(str(e))[:300]
        print(f"bcparse: error: unexpected {type(e).__name__}: {msg} (a bcparse bug: please report it "
              "with the file)", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
