"""Checks across reports: BC401 the same commune's figure for the same period differs between its
reports (one finding per figure and group of reports), BC402 a year-over-year change beyond the grammar's threshold, BC403 the same document
identity (số + ký hiệu + agency, in the same year) on two different reports.

``audit_across(reports)`` works on Reports from anywhere: parsed files, or loaded from a database.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ..errors import BcparseError
from ..grammar import yoy_thresholds_for
from ..models import Figure, Report
from ..numbers import valid_iso
from ..textview import fold
from .finding import Finding, Related, make
from .util import exact, file_of, fmt, rounding, scalar

_UNIT = r"thành phố|thị trấn|thị xã|xã|phường|huyện|quận|tỉnh|tp"
_UNIT_RE = re.compile(rf"(?<!\w)({_UNIT})\s+(.+?)(?=\s+(?:ubnd|{_UNIT})(?!\w)|$)")


def _normal(text: str) -> str:
    s = fold(text)
    s = re.sub(r"(?:uỷ|ủy) ban nhân dân", "ubnd", s)
    s = re.sub(r"[-–—_.,:;()\"'“”/]+", " ", s)
    return " ".join(s.split())


def place_units(text: str) -> list[tuple[str, str]]:
    """The administrative units an agency names, top-down: "UBND HUYỆN ĐỊNH HÓA UBND XÃ BÌNH THÀNH"
    → [("huyện", "định hoá"), ("xã", "bình thành")]; a name with no unit word is ("", name)."""
    s = _normal(text)
    units = [(u.replace("tp", "thành phố") if u == "tp" else u, n.strip()) for u, n in _UNIT_RE.findall(s)]
    if units:
        return units
    name = " ".join(w for w in s.split() if w != "ubnd")
    return [("", name)] if name else []


def agency_of(report: Report) -> list[tuple[str, str]]:
    """Who issued the report: the header's agency lines, else doc.agency, else commune.name."""
    cands: list[str] = []
    if report.header.agency:
        cands.append(" ".join(report.header.agency))
    for key in ("doc.agency", "commune.name"):
        f = scalar(report, key)
        if f is not None and isinstance(f.value, str):
            cands.append(f.value)
    for c in cands:
        u = place_units(c)
        if u:
            return u
    return []


def same_agency(a: list[tuple[str, str]], b: list[tuple[str, str]]) -> bool:
    """The same issuing body: the same lowest unit ("xã bình thành"; a unit word missing on one side
    is not a difference) and, when both name the unit above it, the same one."""
    if not a or not b:
        return False
    (ua, na), (ub, nb) = a[-1], b[-1]
    if na != nb or (ua and ub and ua != ub):
        return False
    if len(a) > 1 and len(b) > 1 and a[-2] != b[-2]:
        return False
    return True


def _value(report: Report, key: str) -> object:
    f = scalar(report, key)
    return f.value if f is not None else None


@dataclass(frozen=True, slots=True)
class Period:
    year: int
    part: str  # "year", "6m" (6 tháng đầu năm), "9m", "q2", "m5" (tháng 5)


_RANGE = r"(?:19|20)\d{2}\s*[-–]\s*(?:(?:19|20)\d{2}|\d{2})"


def period_of(report: Report) -> Period | None:
    """The period a report is about: the year its subject names ("năm 2024", "tháng 5/2017"),
    else the year of its date; and which part of the year (6 or 9 months, a quarter, a month)."""
    subject = fold(report.header.subject or str(_value(report, "doc.subject") or ""))
    plain = re.sub(_RANGE, " ", subject)  # "nhiệm kỳ 2015 - 2020" names no single year
    year = None
    m = re.search(r"năm\s+((?:19|20)\d{2})(?!\d)", plain) or re.search(r"(?<![\d/])((?:19|20)\d{2})(?!\d)", plain)
    if m:
        year = int(m.group(1))
    elif re.search(_RANGE, subject):
        return None  # a term ("nhiệm kỳ 2015 - 2020") is not a period another report can be held to
    else:
        d = valid_iso(report.header.date) or valid_iso(_value(report, "doc.date"))
        if d:
            year = d[0]
    if year is None:
        return None
    part = "year"
    if mm := re.search(r"(\d{1,2})\s+tháng\s+(đầu|cuối)?", plain):
        part = f"{mm.group(1)}m" + ("-end" if mm.group(2) == "cuối" else "")
    elif mq := re.search(r"quý\s+(iv|iii|ii|i|\d)\b", plain):
        part = "q" + {"i": "1", "ii": "2", "iii": "3", "iv": "4"}.get(mq.group(1), mq.group(1))
    elif mt := re.search(r"tháng\s+(\d{1,2})\s*(?:/|năm)", plain):
        part = f"m{int(mt.group(1))}"
    return Period(year, part)


def _compared(report: Report) -> dict[str, Figure]:
    """The report's own scalar figures that another report may state too: exact ones, not doc.*, not
    records, not ``.listed``, only results (not the targets of a "Phương hướng" section: the
    figure's mode, :mod:`bcparse.modes`)."""
    out: dict[str, Figure] = {}
    for f in report.figures():
        k = f.key
        if not k or f.item is not None or k.startswith("doc.") or k.endswith(".listed") or k in out:
            continue
        if f.mode != "result":
            continue
        if exact(f) is not None:
            out[k] = f
    return out


def _same_document(a: Report, b: Report) -> bool:
    """The same document, perhaps read from two formats: the same text view, or the same subject and
    date with no figure differing (a figure one reader missed is not a difference)."""
    if " ".join(a.text.split()) == " ".join(b.text.split()) and a.text.strip():
        return True
    if fold(a.header.subject or "") != fold(b.header.subject or "") or a.header.date != b.header.date:
        return False
    fa, fb = _compared(a), _compared(b)
    return all(exact(fa[k]) == exact(fb[k]) for k in fa.keys() & fb.keys())


def _same_type(a: Report, b: Report) -> bool:
    """A plan (KẾ HOẠCH) states targets, a report (BÁO CÁO) results: only like is compared."""
    ta, tb = fold(a.header.type or ""), fold(b.header.type or "")
    return not ta or not tb or ta == tb


def _rel(f: Figure | None, r: Report) -> Related:
    if f is None:
        return Related(file=file_of(r))
    return Related(file=file_of(r), line=f.span.line, col=f.span.col, key=f.key, value=f.value)


def _where(f: Figure, r: Report) -> str:
    return f"{file_of(r) or '-'}:{f.span.line}"


def _thresholds(r: Report) -> dict[str, float]:
    try:
        return yoy_thresholds_for(r.grammar)
    except BcparseError:
        pass
    try:
        return yoy_thresholds_for(None)
    except BcparseError:
        return {}


MAX_VALUES_SHOWN = 4  # distinct values a grouped BC401 message names (the finding's values hold all)


def _list_places(places: list[tuple[Report, Figure]], limit: int = 3) -> str:
    shown = ", ".join(_where(f, r) for r, f in places[:limit])
    return shown + (f" and {len(places) - limit} more" if len(places) > limit else "")


def check_same_period_group(group: Sequence[Report]) -> list[Finding]:
    """BC401 over the reports of one commune and one period: one finding per figure that differs,
    listing every report's value. Two files of the same document (a .txt and its .docx) count once.

    The finding points at the first report (in the given order) whose value differs from the first
    report's; ``values`` holds that value, then the first report's, then the others' in order, and
    ``related`` the other reports' figures (file, line, col, key, value).
    """
    reps: list[Report] = []
    for r in group:
        if not any(_same_document(q, r) for q in reps):
            reps.append(r)
    if len(reps) < 2:
        return []
    compared = [(r, _compared(r)) for r in reps]
    keys: dict[str, None] = {}
    for _, fs in compared:
        keys.update(dict.fromkeys(fs))
    out: list[Finding] = []
    for k in keys:
        held = [(r, fs[k]) for r, fs in compared if k in fs]
        if len(held) < 2:
            continue
        ex = [exact(f) for _, f in held]
        lows = [x - rounding(f, x) for x, (_, f) in zip(ex, held, strict=True) if x is not None]
        highs = [x + rounding(f, x) for x, (_, f) in zip(ex, held, strict=True) if x is not None]
        if max(lows) <= min(highs):  # every pair agrees within rounding
            continue
        x0 = ex[0]
        assert x0 is not None
        r0, f0 = held[0]
        at = next(i for i, (x, (_, f)) in enumerate(zip(ex, held, strict=True))
                  if x is not None and abs(x - x0) > rounding(f0, x0) + rounding(f, x))
        rb, g = held[at]
        others = [held[0]] + [h for i, h in enumerate(held) if i not in (0, at)]
        if len(held) == 2:
            msg = (f"{k} = {fmt(exact(g))} here but {fmt(x0)} in {_where(f0, r0)}, a report of the same commune "
                   f"for the same period")
        else:
            by_value: dict[str, list[tuple[Report, Figure]]] = {}
            for r, f in held:
                by_value.setdefault(fmt(exact(f)), []).append((r, f))
            here = fmt(exact(g))
            parts = []
            shown = list(by_value.items())[:MAX_VALUES_SHOWN]
            if here not in dict(shown):
                shown = shown[:-1] + [(here, by_value[here])]
            for v, places in shown:
                rest = [(r, f) for r, f in places if r is not rb]
                if v == here:
                    parts.append(f"{v} here" + (f" and in {_list_places(rest)}" if rest else ""))
                else:
                    parts.append(f"{v} in {_list_places(rest)}")
            if len(by_value) > len(shown):
                parts.append(f"{len(by_value) - len(shown)} other values (all of them in values and related)")
            msg = (f"{k} differs between {len(held)} reports of the same commune for the same period: "
                   + "; ".join(parts))
        out.append(make("BC401", msg, file=file_of(rb), line=g.span.line, col=g.span.col, keys=[k] * len(held),
                        values=[g.value] + [f.value for _, f in others], check="same-period",
                        related=[_rel(f, r) for r, f in others]))
    return out


def check_yoy(a: Report, pa: Period, b: Report, pb: Period) -> list[Finding]:
    """``a`` the earlier year, ``b`` the later one."""
    out: list[Finding] = []
    limits = _thresholds(a) | _thresholds(b)
    gap = pb.year - pa.year
    fa, fb = _compared(a), _compared(b)
    for k, limit in limits.items():
        f, g = fa.get(k), fb.get(k)
        if f is None or g is None:
            continue
        x, y = exact(f), exact(g)
        if x is None or y is None or x <= 0:
            continue
        change = (y - x) / x
        allowed = (Decimal(1) + Decimal(str(limit))) ** gap - 1
        if abs(change) <= allowed:
            continue
        pct = (change * 100).quantize(Decimal("0.1"))
        msg = (f"{k} went from {fmt(x)} ({pa.year}, {_where(f, a)}) to {fmt(y)} ({pb.year}): "
               f"{'+' if pct > 0 else ''}{fmt(pct)}%, beyond the {fmt((allowed * 100).quantize(Decimal('0.1')))}% "
               f"the grammar allows" + (" year over year" if gap == 1 else f" over {gap} years"))
        out.append(make("BC402", msg, file=file_of(b), line=g.span.line, col=g.span.col, keys=[k, k],
                        values=[g.value, f.value], check="year-over-year", related=[_rel(f, a)]))
    return out


def identity_of(r: Report) -> tuple[str, str, int] | None:
    """(số, ký hiệu, year of issue) of a report whose number is written; numbers restart every year."""
    num = r.header.number or _value(r, "doc.number")
    sym = r.header.symbol or _value(r, "doc.symbol")
    d = valid_iso(r.header.date) or valid_iso(_value(r, "doc.date"))
    if not num or not sym or not d or not isinstance(num, str) or not isinstance(sym, str):
        return None
    return num.strip().lstrip("0") or "0", re.sub(r"\s+", "", sym).upper(), d[0]


def check_identity(a: Report, b: Report) -> list[Finding]:
    ia, ib = identity_of(a), identity_of(b)
    if ia is None or ia != ib or _same_document(a, b):
        return []
    g = scalar(b, "doc.number")
    sp = b.header.spans.get("number_raw")
    line, col = (g.span.line, g.span.col) if g else ((sp.line, sp.col) if sp else (None, None))
    f = scalar(a, "doc.number")
    msg = (f"document identity Số {ib[0]}/{ib[1]} ({ib[2]}) of the same agency is also on a different report: "
           f"{file_of(a) or '-'}" + (f":{f.span.line}" if f else ""))
    return [make("BC403", msg, file=file_of(b), line=line, col=col, keys=["doc.number", "doc.symbol"],
                 values=[ib[0], ib[1]], check="document-identity", related=[_rel(f, a)])]


def audit_across(reports: Sequence[Report]) -> list[Finding]:
    """Findings between reports (BC401, BC402, BC403), whatever the reports were loaded from."""
    out: list[Finding] = []
    info = [(r, agency_of(r), period_of(r)) for r in reports]
    # BC401 per group: the reports of one commune, period and type (linked pairwise, then joined)
    parent = list(range(len(info)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for j, (b, ab, pb) in enumerate(info):
        for i in range(j):
            a, aa, pa = info[i]
            if not same_agency(aa, ab):
                continue
            out += check_identity(a, b)
            if pa is None or pb is None or pa.part != pb.part or not _same_type(a, b):
                continue
            if pa.year == pb.year:
                parent[root(j)] = root(i)
    members: dict[int, list[Report]] = {}
    for i, (r, _, _) in enumerate(info):
        members.setdefault(root(i), []).append(r)
    for group in members.values():
        if len(group) > 1:
            out += check_same_period_group(group)
    # year over year: each report against the same commune's report(s) of the nearest earlier year
    for j, (b, ab, pb) in enumerate(info):
        if pb is None:
            continue
        earlier = [(a, pa) for i, (a, aa, pa) in enumerate(info)
                   if i != j and pa is not None and pa.part == pb.part and pa.year < pb.year and same_agency(aa, ab)
                   and _same_type(a, b)]
        if not earlier:
            continue
        nearest = max(pa.year for _, pa in earlier)
        for a, pa in earlier:
            if pa.year == nearest:
                assert pa is not None
                out += check_yoy(a, pa, b, pb)
    return out
