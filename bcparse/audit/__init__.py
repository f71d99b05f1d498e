"""The audit: numbers checked within and across reports, every problem pointed at.

    from bcparse.audit import audit
    for f in audit(report_a, report_b, select=["BC1"], ignore=["BC402"]):
        print(f.text())          # file:line:col: CODE message

Codes (docs/audit.md): BC1xx arithmetic from the grammars' relations and percentages, BC2xx section
numbering, BC3xx header, dates and ký hiệu, BC4xx across reports (``audit_across``), BC5xx reading
(uncertain figures of a scan).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence

from ..models import Report
from .across import audit_across as _across
from .arithmetic import check_arithmetic
from .finding import CODES, Code, Finding, Related, parse_codes, selected
from .header import check_header
from .scan import check_scan
from .sections import check_sections

__all__ = ["CODES", "Code", "Finding", "Related", "audit", "audit_across", "audit_report"]

Selector = str | Iterable[str] | None


def _order(findings: list[Finding], files: list[str | None]) -> list[Finding]:
    rank = {f: i for i, f in reversed(list(enumerate(files)))}
    return sorted(findings, key=lambda f: (rank.get(f.file, len(files)), f.line or 0, f.col or 0, f.code))


def _filter(findings: list[Finding], select: Selector, ignore: Selector) -> list[Finding]:
    sel, ign = parse_codes(select), parse_codes(ignore)
    return [f for f in findings if selected(f.code, sel, ign)]


def audit_report(report: Report) -> list[Finding]:
    """Every finding within one report (BC1xx, BC2xx, BC3xx, BC5xx), in document order."""
    out: list[Finding] = []
    seen: set[str] = set()
    for f in check_arithmetic(report) + check_sections(report) + check_header(report) + check_scan(report):
        sig = f.model_dump_json(include={"code", "line", "col", "keys", "values"})
        if sig not in seen:  # the same relation declared by two grammars: one finding
            seen.add(sig)
            out.append(f)
    return _order(out, [report.source])


def audit_across(reports: Sequence[Report], *, select: Selector = None, ignore: Selector = None) -> list[Finding]:
    """Findings between reports (BC401 same commune and period, BC402 year over year, BC403 the same
    document identity): for Reports parsed from files or loaded from a database."""
    return _order(_filter(_across(list(reports)), select, ignore), [r.source for r in reports])


def audit(*reports: Report | str | os.PathLike[str], select: Selector = None, ignore: Selector = None) -> list[Finding]:
    """Audit reports (Reports, or paths parsed with :func:`bcparse.pipeline.parse`): each one on its
    own, then, with two or more, across them. ``select``/``ignore`` take codes or prefixes ("BC1",
    "BC302", "ALL"), as a list or a comma-separated string; an unknown code raises BcparseError."""
    sel, ign = parse_codes(select), parse_codes(ignore)  # fail early on a bad code
    loaded: list[Report] = []
    for r in reports:
        if isinstance(r, Report):
            loaded.append(r)
        else:
            from ..pipeline import parse

            rep = parse(r)
            rep.source = os.fspath(r)
            loaded.append(rep)
    out: list[Finding] = []
    for r in loaded:
        out += audit_report(r)
    if len(loaded) > 1:
        out += _across(loaded)
    out = [f for f in out if selected(f.code, sel, ign)]
    return _order(out, [r.source for r in loaded])
