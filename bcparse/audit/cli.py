"""``bcparse audit PATH... [--format text|json] [--select CODES] [--ignore CODES]``.

Exit status like ruff and flake8: 0 nothing to report, 1 findings, 2 an error (a file that cannot
be read is reported on stderr as ``bcparse: error: …``; the other files are still audited).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..errors import BcparseError, one_line, quote_name
from ..models import Report
from . import audit_across, audit_report
from .finding import CODES, Finding, parse_codes, selected

HELP = "check the numbers within and across reports; print findings like a linter (file:line:col: CODE message)"
EPILOG = "codes:\n" + "\n".join(f"  {c.code}  {c.severity:<8} {c.title}" for c in CODES.values()) + """

Exit status: 0 nothing to report, 1 findings, 2 error. Codes are documented in docs/audit.md."""


def register(sub: Any) -> None:
    sp = sub.add_parser("audit", help=HELP, description=HELP, epilog=EPILOG,
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    sp.add_argument("paths", nargs="*", metavar="PATH", help="reports: .txt, .docx, .doc or .pdf")
    sp.add_argument("--db", metavar="URL",
                    help="audit across every report stored by `bcparse import` (SQLite path or postgresql://…) "
                         "and store the findings")
    sp.add_argument("--format", choices=("text", "json"), default="text",
                    help="text: one finding a line; json: a list of {code, severity, message, file, line, col, keys, values}")
    sp.add_argument("--select", metavar="CODES", help="only these codes or prefixes, comma-separated (BC1,BC302)")
    sp.add_argument("--ignore", metavar="CODES", help="leave out these codes or prefixes, comma-separated")
    sp.add_argument("--grammar", help="force this grammar for every report (see `bcparse grammars`)")
    sp.add_argument("-o", "--output", help="write to this file instead of stdout")
    sp.set_defaults(func=cmd_audit)


def _load(path: str, grammar: str | None) -> Report:
    from ..pipeline import parse

    r = parse(path, grammar=grammar)
    r.source = path
    return r


def run(paths: list[str], *, grammar: str | None = None, select: str | None = None,
        ignore: str | None = None) -> tuple[list[Finding], list[str]]:
    """Findings and error messages (one per file that could not be read)."""
    sel, ign = parse_codes(select), parse_codes(ignore)
    reports: list[Report] = []
    errors: list[str] = []
    findings: list[Finding] = []
    for p in paths:
        try:
            r = _load(p, grammar)
        except BcparseError as e:
            errors.append(str(e) if e.path else f"{quote_name(p)}: {e}")
            continue
        except Exception as e:  # noqa: BLE001 - one unreadable file must not stop the others
            errors.append(f"{quote_name(p)}: cannot be read ({type(e).__name__}: {one_line(str(e))})")
            continue
        reports.append(r)
        findings += audit_report(r)
    if len(reports) > 1:
        findings += audit_across(reports)
    findings = [f for f in findings if selected(f.code, sel, ign)]
    rank = {p: i for i, p in reversed(list(enumerate(paths)))}
    findings.sort(key=lambda f: (rank.get(f.file or "", len(paths)), f.line or 0, f.col or 0, f.code))
    return findings, errors


def cmd_audit(a: argparse.Namespace) -> int:
    from ..cli import _dumps, _write_out

    if a.db:
        from ..store import audit_database

        found = audit_database(a.db, select=a.select, ignore=a.ignore)
        findings, errors = list(found), []
        if a.paths:
            more, errors = run(a.paths, grammar=a.grammar, select=a.select, ignore=a.ignore)
            findings += more
    elif not a.paths:
        raise BcparseError("give report files to audit, or --db URL for the reports stored in a database")
    else:
        findings, errors = run(a.paths, grammar=a.grammar, select=a.select, ignore=a.ignore)
    for e in errors:
        print(f"bcparse: error: {e}", file=sys.stderr)
    if a.format == "json":
        text = _dumps([f.model_dump(mode="json") for f in findings])
    else:
        text = "\n".join(f.text() for f in findings)
    if findings or a.format == "json":
        _write_out(text, a.output)
    elif a.output:
        _write_out("", a.output)
    if errors:
        return 2
    return 1 if findings else 0
