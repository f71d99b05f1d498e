"""Arithmetic within a report, from the relations the grammars declare (data, not code).

BC101 sum, BC102 listed, BC103 product, BC106 le (relations of ``grammars/*.yaml``), and the
percentage checks BC104 (a share over 100%) and BC105 (a percentage that does not match its base).
Only exact figures take part: "khoảng 45" (approx), "trên 50" (gt), "dưới 10" (lt) and computed
figures (``derived``) never produce an arithmetic finding; "Không có" is an exact 0.
"""

from __future__ import annotations

import os
import re
from decimal import Decimal

from ..errors import BcparseError
from ..grammar import Relation, relations_for
from ..models import Figure, Report
from ..numbers.lexicon import word_alt
from ..textview import fold
from .finding import Finding, Related, make
from .util import (
    TextIndex,
    exact,
    file_of,
    fmt,
    fraction_parts,
    groups,
    is_percent,
    last_place,
    rounding,
    scalar,
)

#: report_relations by (grammar id, $BCPARSE_GRAMMARS): finding a grammar walks the grammar folders
#: (about 0.6 ms a look-up, four per report: a quarter of a report's audit), the loaded grammars
#: are cached for the same folders anyway
_RELATIONS: dict[tuple[str | None, str | None], list[Relation]] = {}


def report_relations(report: Report) -> list[Relation]:
    """The relations of the report's grammar (and those it extends); the shared ones if it is unknown.
    A relation id declared twice counts once: the more specific grammar's (declared last) wins."""
    memo = (report.grammar, os.environ.get("BCPARSE_GRAMMARS"))
    if memo not in _RELATIONS:
        if len(_RELATIONS) > 64:
            _RELATIONS.clear()
        _RELATIONS[memo] = _report_relations(report.grammar)
    return list(_RELATIONS[memo])


def _report_relations(grammar: str | None) -> list[Relation]:
    rels: list[Relation] = []
    for gid in (grammar, None):
        try:
            rels = relations_for(gid)
            break
        except BcparseError:
            continue
    by_id: dict[str, Relation] = {}
    for r in rels:
        by_id.pop(r.id, None)
        by_id[r.id] = r
    return list(by_id.values())


def _rel(f: Figure, file: str | None) -> Related:
    return Related(file=file, line=f.span.line, col=f.span.col, key=f.key, value=f.value)


def _sentence_end(text: str, offset: int) -> int:
    m = re.compile(r"\.(?=\s|$)|\n").search(text, offset)
    return m.start() if m else len(text)


_NUMBER_TOKEN = re.compile(r"(?<![\d/.,])(\d{1,3}(?:\.\d{3})+|\d+)(?![\d/%]|[.,]\d)")


def _unaccounted(report: Report, idx: TextIndex, figs: list[Figure], room: Decimal) -> bool:
    """Does the breakdown's sentence hold another count (≤ room) that no part key took?

    "17 người đại học, 01 người trung cấp và 02 người sơ cấp" with only two declared parts: the
    "02" may be the part the grammar does not know, so a short sum cannot be called wrong.
    """
    spans = [s for f in figs if (s := idx.span_of(f)) is not None]
    if not spans or not idx.text:
        return False
    lo = min(s for s, _ in spans)
    hi = _sentence_end(idx.text, max(e for _, e in spans))
    for m in _NUMBER_TOKEN.finditer(idx.text, lo, hi):
        if any(s <= m.start() < e for s, e in spans):
            continue
        n = int(m.group(1).replace(".", ""))
        if 0 < n <= room:
            return True
    return False


def check_sum(report: Report, rel: Relation, idx: TextIndex) -> list[Finding]:
    out: list[Finding] = []
    file = file_of(report)
    assert rel.total is not None
    for g in groups(report, rel.record, [rel.total, *rel.parts]):
        tf = g.get(rel.total)
        t = exact(tf)
        if tf is None or t is None:
            continue
        present = [(k, g[k]) for k in rel.parts if k in g]
        if not present:
            continue
        vals = [exact(f) for _, f in present]
        if any(v is None for v in vals):
            continue  # an approximate or computed part: nothing exact to say
        nums = [v for v in vals if v is not None]
        s = sum(nums, Decimal(0))
        tol = rounding(tf, t) + sum((rounding(f, v) for (_, f), v in zip(present, nums, strict=True)), Decimal(0))
        complete = len(present) == len(rel.parts)
        diff = s - t
        if abs(diff) <= tol:
            continue
        if not complete and diff < 0:
            continue  # a partial breakdown: the missing parts may make up the rest
        if complete and diff < 0 and _unaccounted(report, idx, [tf] + [f for _, f in present], -diff):
            continue
        expr = " + ".join(fmt(v) for v in nums)
        names = " + ".join(k for k, _ in present)
        what = rel.message or f"{rel.total} differs from {' + '.join(rel.parts)}"
        if complete:
            msg = f"{what}: {rel.total} = {fmt(t)} but {names} = {expr} = {fmt(s)}"
        else:
            msg = (f"{what}: the parts given already exceed the total: {names} = {expr} = {fmt(s)} "
                   f"> {rel.total} = {fmt(t)}")
        out.append(make("BC101", msg, file=file, line=tf.span.line, col=tf.span.col,
                        keys=[rel.total] + [k for k, _ in present], values=[tf.value] + [f.value for _, f in present],
                        check=rel.id, related=[_rel(f, file) for _, f in present]))
    return out


def check_listed(report: Report, stated_key: str, listed_key: str, check: str, message: str | None) -> list[Finding]:
    file = file_of(report)
    sf, lf = scalar(report, stated_key), scalar(report, listed_key)
    s = exact(sf)
    n = exact(lf, allow_derived=True)  # the number of listed items is counted, not read
    if sf is None or lf is None or s is None or n is None or s == n:
        return []
    what = message or f"{stated_key}: the stated count differs from the items listed"
    msg = f"{what}: {sf.raw.strip()!r} states {fmt(s)} but {fmt(n)} are listed ({stated_key} = {fmt(s)}, {listed_key} = {fmt(n)})"
    return [make("BC102", msg, file=file, line=sf.span.line, col=sf.span.col, keys=[stated_key, listed_key],
                 values=[sf.value, lf.value], check=check, related=[_rel(lf, file)])]


def check_product(report: Report, rel: Relation) -> list[Finding]:
    out: list[Finding] = []
    file = file_of(report)
    assert rel.total is not None
    for g in groups(report, rel.record, [rel.total, *rel.factors]):
        tf = g.get(rel.total)
        if tf is None or tf.derived:
            continue  # only a total the text states is checked (a computed one agrees by construction)
        t = exact(tf)
        ffs = [g.get(k) for k in rel.factors]
        vals = [exact(f) for f in ffs]
        if t is None or any(v is None for v in vals):
            continue
        facs = [f for f in ffs if f is not None]
        nums = [v for v in vals if v is not None]
        prod = Decimal(1)
        for v in nums:
            prod *= v
        # rounding of a decimal factor carries through the product
        tol = rounding(tf, t)
        for i, (f, v) in enumerate(zip(facs, nums, strict=True)):
            others = Decimal(1)
            for j, w in enumerate(nums):
                if j != i:
                    others *= abs(w)
            tol += rounding(f, v) * others
        if abs(prod - t) <= tol:
            continue
        what = rel.message or f"{' x '.join(rel.factors)} differs from {rel.total}"
        item = f" (item {tf.item})" if tf.item is not None else ""
        msg = (f"{what}{item}: {' x '.join(fmt(v) for v in nums)} = {fmt(prod)} but {rel.total} = {fmt(t)}")
        first = min([tf, *facs], key=lambda f: (f.span.line, f.span.col))
        out.append(make("BC103", msg, file=file, line=first.span.line, col=first.span.col,
                        keys=[*rel.factors, rel.total], values=[f.value for f in facs] + [tf.value], check=rel.id,
                        related=[_rel(f, file) for f in [*facs, tf] if f is not first]))
    return out


def check_record_sum(report: Report, rel: Relation) -> list[Finding]:
    """A ``record_sum`` relation: a total row (``gift.table_total.count``) against the sum of one
    field over the record's items — those of the same table when the total sits in a table."""
    out: list[Finding] = []
    file = file_of(report)
    field = rel.field
    if rel.total is None or rel.record is None or not field:
        return out
    for tf in report.figure_list:
        if tf.key != rel.total:
            continue
        t = exact(tf)
        if t is None:
            continue
        figs: list[Figure] = []
        missing = 0
        for g in report.items(rel.record):
            if tf.span.table is not None and not any(f.span.table == tf.span.table for f in g.values()):
                continue  # an item of another table, or of the prose
            f = g.get(field)
            if f is None:
                missing += 1
            else:
                figs.append(f)
        vals = [exact(f, allow_derived=True) for f in figs]  # a row's computed total is what it must be
        if not figs or any(v is None for v in vals):
            continue
        nums = [v for v in vals if v is not None]
        s = sum(nums, Decimal(0))
        tol = rounding(tf, t) + sum((rounding(f, v) for f, v in zip(figs, nums, strict=True)), Decimal(0))
        diff = s - t
        if abs(diff) <= tol or (missing and diff < 0):
            continue
        what = rel.message or f"{rel.total} differs from the sum of {field}"
        expr = " + ".join(fmt(v) for v in nums)
        msg = f"{what}: {rel.total} = {fmt(t)} but the {len(nums)} items' {field} add up to {expr} = {fmt(s)}"
        if missing:
            msg += f" ({missing} item(s) without {field})"
        out.append(make("BC101", msg, file=file, line=tf.span.line, col=tf.span.col,
                        keys=[rel.total] + [field] * len(figs), values=[tf.value] + [f.value for f in figs],
                        check=rel.id, related=[_rel(f, file) for f in figs]))
    return out


def check_le(report: Report, rel: Relation) -> list[Finding]:
    out: list[Finding] = []
    file = file_of(report)
    assert rel.lhs is not None and rel.rhs is not None
    for g in groups(report, rel.record, [rel.lhs, rel.rhs]):
        lf, rf = g.get(rel.lhs), g.get(rel.rhs)
        a, b = exact(lf), exact(rf)
        if lf is None or rf is None or a is None or b is None:
            continue
        if a <= b + rounding(lf, a) + rounding(rf, b):
            continue
        what = rel.message or f"{rel.lhs} is larger than {rel.rhs}"
        msg = f"{what}: {rel.lhs} = {fmt(a)} > {rel.rhs} = {fmt(b)}"
        out.append(make("BC106", msg, file=file, line=lf.span.line, col=lf.span.col, keys=[rel.lhs, rel.rhs],
                        values=[lf.value, rf.value], check=rel.id, related=[_rel(rf, file)]))
    return out


# ---- percentages --------------------------------------------------------------------------------

# the words are the numbers package's (bcparse/data/numbers_vi.yaml: share_*)
_LEAD, _RATE = word_alt("share_lead"), word_alt("share_rate")
_SHARE_BEFORE = re.compile(rf"{_LEAD}(?:\s+(?:{_RATE}|{word_alt('share_approx')}))*\s*:?\s*$")
_NOT_SHARE_KEY = re.compile(r"growth|change|increase|decrease|plan|target|yoy|achiev")
# what may stand between a base ("14/18", a part) and its percentage: "(", "=", "chiếm", "tỷ lệ"
_GAP = re.compile(rf"^[\s,:]*(?:[^\W\d_]+\s+){{0,3}}?[\s,]*(?:\(|=|{_LEAD}|{_RATE})"
                  rf"(?:\s*(?:{_LEAD}|{_RATE}|{word_alt('share_verbs')}|:))*\s*$")
_GAP_WORDS_OUT = re.compile(rf"\b{word_alt('share_gap_out')}\b")
# the percentage must end its clause ("(77,8%)", "77,8%;"): "2,1% dân số" names another base
_DATE_BEFORE = re.compile(rf"{word_alt('share_not_base_after')}\s*$")  # "ngày 14/11" is no base
_AFTER_OK = re.compile(rf"^\s*(?:[),;.:]|$|{word_alt('share_after_ok')}\b)")
_AFTER_OUT = re.compile(rf"^\s*\)?\s*{word_alt('share_after_out')}(?!\w)")


def _is_share_key(key: str | None) -> bool:
    return key is not None and key.endswith(("_pct", "_share")) and not _NOT_SHARE_KEY.search(key)


def check_percentages(report: Report, idx: TextIndex) -> list[Finding]:
    out: list[Finding] = []
    file = file_of(report)
    figs = report.figures(all=True)
    by_line: dict[int, list[Figure]] = {}
    for f in figs:
        by_line.setdefault(f.span.line, []).append(f)
    # the sum relations give each part its base (the total)
    base_of: dict[int, tuple[Figure, Relation]] = {}
    for rel in report_relations(report):
        if rel.kind != "sum" or rel.record or rel.total is None:
            continue
        tf = scalar(report, rel.total)
        if tf is None:
            continue
        for k in rel.parts:
            pf = scalar(report, k)
            if pf is not None:
                base_of[id(pf)] = (tf, rel)
    for p in figs:
        if not is_percent(p):
            continue
        z = exact(p)
        if z is None:
            continue
        span = idx.span_of(p)
        before = fold(idx.text[max(0, span[0] - 40) : span[0]]) if span else ""
        after = fold(idx.text[span[1] : span[1] + 30]) if span else ""
        # BC104: a share ("chiếm 120%", a *_pct key) over 100
        if z > 100 and (_is_share_key(p.key) or _SHARE_BEFORE.search(before)):
            out.append(make("BC104", f"a share over 100%: {p.raw.strip()!r} ({p.key or 'percentage'} = {fmt(z)})",
                            file=file, line=p.span.line, col=p.span.col, keys=[p.key], values=[p.value],
                            check="share-over-100"))
            continue
        # BC105: the figure right before it on the line is its base
        if span is None or _AFTER_OUT.match(after) or not _AFTER_OK.match(after):
            continue
        prev = [f for f in by_line.get(p.span.line, []) if f is not p and f.span.col + f.span.length <= p.span.col]
        if not prev:
            continue
        b = max(prev, key=lambda f: f.span.col + f.span.length)
        bspan = idx.span_of(b)
        if bspan is None:
            continue
        gap = fold(idx.text[bspan[1] : span[0]])
        if len(gap) > 30 or any(c.isdigit() for c in gap) or ";" in gap or ". " in gap or not _GAP.match(gap) \
                or _GAP_WORDS_OUT.search(gap):
            continue
        fr = fraction_parts(b)
        if fr is not None and _DATE_BEFORE.search(fold(idx.text[max(0, bspan[0] - 8) : bspan[0]])):
            fr = None  # "ngày 01/6" is a date, whatever the numbers module made of it
        expected: Decimal | None = None
        keys: list[str | None] = [b.key]
        values: list[object] = [b.value]
        related: list[Related] = []
        if fr is not None and fr[1] > 0 and fr[0] <= fr[1]:
            expected = Decimal(fr[0]) * 100 / Decimal(fr[1])
            basis = f"{fr[0]}/{fr[1]}"
        elif id(b) in base_of:
            tf, rel = base_of[id(b)]
            part, total = exact(b), exact(tf)
            if part is None or total is None or total == 0:
                continue
            expected = part * 100 / total
            basis = f"{b.key} / {rel.total} = {fmt(part)}/{fmt(total)}"
            keys.append(rel.total)
            values.append(tf.value)
            related.append(_rel(tf, file))
        if expected is None:
            continue
        if abs(expected - z) <= last_place(z):
            continue
        msg = (f"percentage {p.raw.strip()!r} does not match its base: {basis} = "
               f"{fmt(expected.quantize(Decimal('0.01')))}%")
        out.append(make("BC105", msg, file=file, line=p.span.line, col=p.span.col, keys=[p.key, *keys],
                        values=[p.value, *values], check="percentage-of-base", related=[_rel(b, file), *related]))
    return out


def check_arithmetic(report: Report) -> list[Finding]:
    idx = report.index
    out: list[Finding] = []
    declared_listed: set[tuple[str, str]] = set()
    for rel in report_relations(report):
        if rel.kind == "sum":
            out += check_sum(report, rel, idx)
        elif rel.kind == "listed":
            assert rel.stated is not None and rel.listed is not None
            declared_listed.add((rel.stated, rel.listed))
            out += check_listed(report, rel.stated, rel.listed, rel.id, rel.message)
        elif rel.kind == "product":
            out += check_product(report, rel)
        elif rel.kind == "le":
            out += check_le(report, rel)
        elif rel.kind == "record_sum":
            out += check_record_sum(report, rel)
    # "<key>.listed" (figures.md): the count of what the text lists after the stated <key>
    for f in report.figure_list:
        if f.key and f.key.endswith(".listed") and f.item is None:
            stated = f.key.removesuffix(".listed")
            if (stated, f.key) not in declared_listed:
                declared_listed.add((stated, f.key))
                out += check_listed(report, stated, f.key, "listed-items", None)
    out += check_percentages(report, idx)
    return out
