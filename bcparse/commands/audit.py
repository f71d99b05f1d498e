"""``bcparse audit PATH... [--db URL [--scope reports|across|all]] [--format text|json] [--select CODES]``.

A PATH may be a folder: its reports (.txt, .docx, .doc, .pdf, .md; scans .png, .jpg, .tif) are
audited, recursively. The findings go to stdout (a JSON list with ``--format json``); a summary line (files audited, findings,
per-code counts) goes to stderr unless ``--quiet``. With ``--db`` the stored reports are checked:
the store (:func:`bcparse.store.audit_database`) loads them and runs the audit's checks; this
command is where the two meet, so that the audit never imports the store.

Exit status like ruff and flake8: 0 nothing to report, 1 findings, 2 an error (a file that cannot
be read is reported on stderr as ``bcparse: error: …``; the other files are still audited).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..audit.cli import EPILOG, HELP, run, summary
from ..cliutil import dumps, write_result
from ..errors import BcparseError
from ..fileio import expand_paths


def register(sub: Any) -> None:
    sp = sub.add_parser("audit", help=HELP, description=HELP, epilog=EPILOG,
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    sp.add_argument("paths", nargs="*", metavar="PATH",
                    help="reports (.txt, .docx, .doc, .pdf, .md; scans .png, .jpg, .tif) or folders of them (searched recursively)")
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
    from ..cliutil import add_ocr

    add_ocr(sp)
    sp.add_argument("-o", "--output", help="write to this file instead of stdout")
    sp.set_defaults(func=cmd_audit)


def cmd_audit(a: argparse.Namespace) -> int:
    files, errors = expand_paths(list(a.paths))
    notes: list[str] = []
    if a.db:
        from ..store import audit_database  # the store loads, the audit checks

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
        text = dumps([f.model_dump(mode="json") for f in findings])
    else:
        text = "\n".join(f.text() for f in findings)
    if findings or a.format == "json":
        write_result(text, a.output)
    elif a.output:
        write_result("", a.output)
    if not a.quiet:
        for line in notes:
            print(line, file=sys.stderr)
    if errors:
        return 2
    return 1 if findings else 0
