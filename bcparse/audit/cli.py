"""What ``bcparse audit PATH...`` does with files: find the reports, parse and audit them, summarise.

The command itself (its arguments, and ``--db``, which joins the store's loading with the audit's
checks) is :mod:`bcparse.commands.audit`; nothing here imports the store.

A PATH may be a folder: its reports (.txt, .docx, .doc, .pdf, .md; scans .png, .jpg, .tif) are
audited, recursively. The findings go to stdout (a JSON list with ``--format json``); a summary line (files audited, findings,
per-code counts) goes to stderr unless ``--quiet``.

Exit status like ruff and flake8: 0 nothing to report, 1 findings, 2 an error (a file that cannot
be read is reported on stderr as ``bcparse: error: …``; the other files are still audited).
"""

from __future__ import annotations

from collections import Counter

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
