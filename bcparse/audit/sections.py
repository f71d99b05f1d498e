"""Section numbering (BC201 repeated, BC202 skipped, BC203 out of order), at every level.

The structure parser keeps numbers as written and records each break in the sequence of siblings
as a :class:`~bcparse.models.NumberingIssue`; the audit reports them. After a repeated "II." the
following "III.", "IV." are one behind but consistent with each other: only the break is reported.
"""

from __future__ import annotations

from ..models import Report
from .finding import Finding, make
from .util import file_of

_CODE = {"repeated": "BC201", "skipped": "BC202", "out_of_order": "BC203"}


def check_sections(report: Report) -> list[Finding]:
    out: list[Finding] = []
    for issue in report.numbering_issues:
        sec = report.sections[issue.section] if 0 <= issue.section < len(report.sections) else None
        found = issue.found.strip()
        if issue.kind == "repeated":
            msg = f"section number {found!r} repeated where {issue.expected!r} was due"
        elif issue.kind == "skipped":
            msg = f"section number {found!r} where {issue.expected!r} was due (skipped)"
        else:
            msg = f"section number {found!r} out of order where {issue.expected!r} was due"
        if sec is not None:
            msg += f" (level {sec.level}: {sec.title[:60]!r})" if sec.title else f" (level {sec.level})"
        out.append(make(_CODE[issue.kind], msg, file=file_of(report), line=issue.line,
                        col=sec.span.col if sec is not None else 1, keys=[], values=[found, issue.expected],
                        check=f"numbering-{issue.kind}"))
    return out
