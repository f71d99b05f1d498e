"""The commands on one report: ``text``, ``outline``, ``figures``, ``parse``, ``schema``, ``grammars``.

Each ``register_*`` function adds its command's arguments (cheap: nothing of the parser is imported);
each ``cmd_*`` function imports what it needs when the command runs.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from ..cliutil import Batch, Output, add_input_format, dumps, write_result

MANY_EPILOG = """\
PATH may be a report file, a folder (its .txt, .md, .docx, .doc and .pdf, recursively), a glob
('reports/**/*.docx') or - for standard input; give as many as you like. With --json, one file
named prints one JSON document; several files, a folder or a glob print JSON Lines (one report
per line, each with its "source"). A file that cannot be read is reported on stderr
(bcparse: error: FILE: why) and skipped; the others are printed.
Exit status: 0 every file read, 2 a file could not be read (or another error).
"""


def _add(sub: Any, name: str, fn: Any, help: str, path: bool = True, many: bool = False) -> argparse.ArgumentParser:
    sp: argparse.ArgumentParser = sub.add_parser(name, help=help, description=help,
                                                 epilog=MANY_EPILOG if many else None,
                                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    if many:
        sp.add_argument("paths", nargs="+", metavar="PATH",
                        help="reports (.txt, .md, .docx, .doc, .pdf), folders of them, globs, or - for standard input")
    elif path:
        sp.add_argument("path", help="the report: .txt, .md, .docx, .doc or .pdf (- for standard input)")
    if path:
        sp.add_argument("--password", help="password of an encrypted PDF")
        add_input_format(sp)
    sp.add_argument("-o", "--output", help="write to this file instead of stdout (written whole or not at all; "
                    "a regular file, created or replaced, a symbolic link followed)")
    sp.set_defaults(func=fn)
    return sp


HELP = {
    "text": "print the text view: the normalised text every span (line, column) points into",
    "outline": "print the numbered section tree (I. → 1. → a.), repeated or skipped numbers noted",
    "figures": "print the report's figures with where each was read (figures contract v2)",
    "parse": "parse a report into the validated Report (a summary, or --json for all of it)",
    "schema": "print the JSON Schema of the Report that `bcparse parse --json` prints",
    "grammars": "list the report grammars (grammars/*.yaml)",
}


def register_text(sub: Any) -> None:
    _add(sub, "text", cmd_text, HELP["text"])


def register_outline(sub: Any) -> None:
    sp = _add(sub, "outline", cmd_outline, HELP["outline"], many=True)
    sp.add_argument("--json", action="store_true", help="a flat JSON list {number, marker, level, title, line}")


def register_figures(sub: Any) -> None:
    sp = _add(sub, "figures", cmd_figures, HELP["figures"], many=True)
    sp.add_argument("--json", action="store_true", help="the figures contract as JSON (docs/figures.md)")
    sp.add_argument("--all", action="store_true", help="also every other quantity in the text (key null)")
    sp.add_argument("--grammar", help="force this grammar (see `bcparse grammars`) instead of choosing one")
    sp.add_argument("--explain", action="store_true",
                    help="show the rule behind each figure and why each grammar was or was not chosen")


def register_parse(sub: Any) -> None:
    sp = _add(sub, "parse", cmd_parse, HELP["parse"], many=True)
    sp.add_argument("--json", action="store_true", help="the whole Report as JSON (input of `bcparse render`)")
    sp.add_argument("--grammar", help="force this grammar")


def register_schema(sub: Any) -> None:
    _add(sub, "schema", cmd_schema, HELP["schema"], path=False)


def register_grammars(sub: Any) -> None:
    sp = _add(sub, "grammars", cmd_grammars, HELP["grammars"], path=False)
    sp.add_argument("--json", action="store_true")


def cmd_text(a: argparse.Namespace) -> int:
    from ..readers import read

    doc = read(a.path, password=a.password)
    write_result(doc.text, a.output)
    return 0


def _run_many(a: argparse.Namespace, one: Any) -> int:
    """Run ``one(path, report, batch) -> str`` on every report the paths name, printing each result
    (``-o``: all of them, written at the end)."""
    from ..pipeline import parse

    batch = Batch(a.paths)
    out = Output(a.output)
    for path, r in batch.each(lambda p: parse(p, grammar=getattr(a, "grammar", None), password=a.password)):
        text = one(path, r, batch)
        if batch.done > 1 and not a.json:
            text = "\n" + text  # a blank line between the reports
        out.add(text)
    out.close(batch.done > 0)
    return batch.status


def cmd_outline(a: argparse.Namespace) -> int:
    def one(path: str, r: Any, batch: Batch) -> str:
        if a.json:
            if batch.single:
                return dumps(r.outline())
            return json.dumps({"source": path, "outline": r.outline()}, ensure_ascii=False)
        lines = [f"{'  ' * (s.level - 1)}{s.marker} {s.title}    (line {s.line})" for s in r.sections]
        for i in r.numbering_issues:
            lines.append(f"note: line {i.line}: {i.kind} number {i.found!r} where {i.expected!r} was due")
        text = "\n".join(lines) if lines else "(no numbered sections found)"
        return text if batch.single else f"{path}:\n" + "\n".join("  " + x for x in text.splitlines())

    return _run_many(a, one)


def _fmt_value(v: Any) -> str:
    """A value for people: numbers the Vietnamese way ("1.422", "284,62", "2.350.000.000")."""
    from ..numbers import format_vi

    if isinstance(v, list):
        return "; ".join(map(str, v))
    if isinstance(v, int | float) and not isinstance(v, bool):
        return format_vi(v)
    return "—" if v is None else str(v)


_VALUE_WIDTH = 40  # longer values (a subject line) are not padded: they push the raw text right


def cmd_figures(a: argparse.Namespace) -> int:
    return _run_many(a, lambda path, r, batch: _figures(a, path, r, batch.single))


def _figures(a: argparse.Namespace, path: str, r: Any, single: bool) -> str:
    if a.json:
        out = r.figures_json(all=a.all)
        out["source"] = path
        if a.explain:
            out["explain"] = {
                "grammars": [c.model_dump() for c in r.choices],
                "rules": [f.rule for f in r.figures(all=a.all)],
            }
        return dumps(out) if single else json.dumps(out, ensure_ascii=False)
    lines: list[str] = []
    if a.explain:
        lines.append("grammars:")
        for c in r.choices:
            mark = "chosen" if c.chosen else "not chosen"
            lines.append(f"  {c.grammar}: {mark} (score {c.score:g}) - " + "; ".join(c.reasons))
        if not r.choices:
            lines.append("  (none loaded)")
        lines.append("")
    lines.append(f"{path}: grammar {r.grammar or '(none)'}")
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
    return "\n".join(lines)


def cmd_parse(a: argparse.Namespace) -> int:
    def one(path: str, r: Any, batch: Batch) -> str:
        if a.json:
            return r.model_dump_json(indent=2 if batch.single else None, by_alias=True)
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
        return "\n".join(lines)

    return _run_many(a, one)


def cmd_schema(a: argparse.Namespace) -> int:
    from ..models import Report

    write_result(dumps(Report.model_json_schema(by_alias=True)), a.output)
    return 0


def cmd_grammars(a: argparse.Namespace) -> int:
    from ..grammar import load_grammars

    gs = load_grammars()
    if a.json:
        write_result(dumps([{"id": g.id, "title": g.title, "file": g.file, "priority": g.match.priority} for g in gs]),
                   a.output)
        return 0
    lines = [f"{g.id:<16} {g.title}    ({g.file})" for g in gs]
    write_result("\n".join(lines), a.output)
    return 0
