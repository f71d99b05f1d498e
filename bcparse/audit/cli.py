"""``bcparse audit PATH... [--db URL [--scope reports|across|all]] [--format text|json] [--select CODES]``.

A PATH may be a folder: its reports (.txt, .docx, .doc, .pdf, .md) are audited, recursively. The
findings go to stdout (a JSON list with ``--format json``); a summary line (files audited, findings,
per-code counts) goes to stderr unless ``--quiet``.

Exit status like ruff and flake8: 0 nothing to report, 1 findings, 2 an error (a file that cannot
be read is reported on stderr as ``bcparse: error: …``; the other files are still audited).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from typing import Any

from ..errors import BcparseError, one_line, quote_name
from ..models import Report
from . import audit_across, audit_report
from .finding import CODES, Finding, parse_codes, selected

HELP = "check the numbers within and across reports; print findings like a linter (file:line:col: CODE message)"
EPILOG = "codes:\n" + "\n".join(f"  {c.code}  {c.severity:<8} {c.title}" for c in CODES.values()) + """

With --db URL the stored reports are checked: --scope reports prints the per-report findings stored
by `bcparse import` (BC1xx-BC3xx, not re-parsed), --scope across runs the cross-report checks (BC4xx)
over every stored report and stores their findings, --scope all (the default) does both.

A summary (files audited, findings, per-code counts) is printed on stderr; --quiet leaves it out.
Exit status: 0 nothing to report, 1 findings, 2 error. Codes are documented in docs/audit.md."""


def register(sub: Any) -> None:
    sp = sub.add_parser("audit", help=HELP, description=HELP, epilog=EPILOG,
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    sp.add_argument("paths", nargs="*", metavar="PATH",
                    help="reports (.txt, .docx, .doc, .pdf, .md) or folders of them (searched recursively)")
    sp.add_argument("--db", metavar="URL",
                    help="audit the reports stored by `bcparse import` (SQLite path or postgresql://…): "
                         "their stored per-report findings and the cross-report checks (see --scope)")
    sp.add_argument("--scope", choices=("reports", "across", "all"), default="all",
                    help="with --db: reports = the per-report findings stored at import; across = the "
                         "cross-report checks (BC4xx), whose findings are stored; all = both (default)")
    sp.add_argument("-q", "--quiet", action="store_true", help="no summary line on stderr")
    sp.add_argument("--format", choices=("text", "json"), default="text",
                    help="text: one finding a line; json: a list of {code, severity, message, file, line, col, keys, values}")
    sp.add_argument("--select", metavar="CODES", help="only these codes or prefixes, comma-separated (BC1,BC302)")
    sp.add_argument("--ignore", metavar="CODES", help="leave out these codes or prefixes, comma-separated")
    sp.add_argument("--grammar", help="force this grammar for every report (see `bcparse grammars`)")
    sp.add_argument("-o", "--output", help="write to this file instead of stdout")
    sp.set_defaults(func=cmd_audit)


#: what a folder given to ``audit`` is searched for
REPORT_EXTENSIONS = (".txt", ".docx", ".doc", ".pdf", ".md")


def expand_paths(paths: list[str]) -> tuple[list[str], list[str]]:
    """Files to audit and errors: a folder stands for its reports (REPORT_EXTENSIONS), found
    recursively in name order, without following symbolic links out of it; a file stands for itself."""
    files: list[str] = []
    errors: list[str] = []
    for p in paths:
        if not os.path.isdir(p):
            files.append(p)
            continue
        top = os.path.realpath(p)
        found: list[str] = []
        for d, dirs, names in os.walk(p, followlinks=False):
            dirs.sort()
            for name in sorted(names):
                f = os.path.join(d, name)
                if not name.lower().endswith(REPORT_EXTENSIONS) or name.startswith("."):
                    continue
                real = os.path.realpath(f)
                if os.path.isfile(real) and (real == top or real.startswith(top + os.sep)):
                    found.append(f)
        if not found:
            errors.append(f"{p}: no reports ({', '.join(REPORT_EXTENSIONS)}) in this folder")
        files += found
    return files, errors


def summary(findings: list[Finding], *, files: int, errors: int = 0, what: str = "files") -> str:
    """"audited 3 files: 5 findings (BC101 2, BC401 3)" — the line printed on stderr."""
    n = len(findings)
    counts = Counter(f.code for f in findings)
    per = ", ".join(f"{c} {counts[c]}" for c in sorted(counts))
    line = f"audited {files} {what[:-1] if files == 1 else what}: {n} finding{'' if n == 1 else 's'}"
    line += f" ({per})" if per else ""
    if errors:
        line += f"; {errors} could not be read"
    return line


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

    files, errors = expand_paths(list(a.paths))
    notes: list[str] = []
    if a.db:
        from ..store import audit_database

        counts: dict[str, int] = {}
        findings = list(audit_database(a.db, select=a.select, ignore=a.ignore, scope=a.scope, counts=counts))
        checked = {"reports": "the per-report findings stored at import",
                   "across": "the cross-report checks (BC4xx)",
                   "all": "the per-report findings stored at import and the cross-report checks (BC4xx)"}[a.scope]
        notes.append(f"database: {counts.get('reports', 0)} stored reports, {checked}: "
                     + summary(findings, files=counts.get("reports", 0), what="reports").split(": ", 1)[1])
        if files:
            more, errs = run(files, grammar=a.grammar, select=a.select, ignore=a.ignore)
            findings += more
            errors += errs
            notes.append(summary(more, files=len(files) - len(errs), errors=len(errs)))
    elif not a.paths:
        raise BcparseError("give report files or folders to audit, or --db URL for the reports stored in a database")
    else:
        findings, errs = run(files, grammar=a.grammar, select=a.select, ignore=a.ignore)
        errors += errs
        notes.append(summary(findings, files=len(files) - len(errs), errors=len(errs)))
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
    if not a.quiet:
        for line in notes:
            print(line, file=sys.stderr)
    if errors:
        return 2
    return 1 if findings else 0
