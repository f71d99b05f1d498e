"""Helpers shared by the checks: exact numbers of figures, where figures sit in the text view."""

from __future__ import annotations

import math
import re
import weakref
from decimal import Decimal, InvalidOperation

from ..models import Figure, Report
from ..positions import TextIndex  # noqa: F401  (the one position index; audit modules import it from here)

INEXACT = ("approx", "gt", "lt")
_INT = re.compile(r"-?\d+")
_DEC = re.compile(r"-?\d+\.\d+")
_FRACTION = re.compile(r"^\s*(\d{1,3}(?:\.\d{3})+|\d+)\s*/\s*(\d{1,3}(?:\.\d{3})+|\d+)")


def to_decimal(value: object, kind: str | None = None) -> Decimal | None:
    """A figure value as an exact Decimal (ints stay exact, floats by their shortest repr)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value)) if math.isfinite(value) else None
    if isinstance(value, str):
        s = value.strip()
        if _INT.fullmatch(s) or _DEC.fullmatch(s):
            try:
                return Decimal(s)
            except InvalidOperation:  # pragma: no cover - the patterns make this impossible
                return None
        if kind == "fraction" and (m := _FRACTION.match(s)):
            return Decimal(m.group(1).replace(".", ""))
    return None


def exact(f: Figure | None, *, allow_derived: bool = False) -> Decimal | None:
    """The figure's exact value, or None when it is missing, approximate, computed or not a number.

    "khoảng 45", "trên 50", "dưới 10" are not exact; "Không có" (qualifier "none") is an exact 0.
    """
    if f is None or (f.derived and not allow_derived):
        return None
    if f.qualifier == "none":
        return Decimal(0)
    if f.qualifier in INEXACT:
        return None
    return to_decimal(f.value, f.kind)


def is_percent(f: Figure) -> bool:
    return f.kind == "percent" or f.unit == "%" or (f.kind is None and f.raw.rstrip().endswith("%"))


def rounding(f: Figure, d: Decimal) -> Decimal:
    """How far a written value may be from the true one through rounding: half a unit of its last
    written decimal place (integers of counts and money are exact; whole percentages are rounded)."""
    exp = d.as_tuple().exponent
    if isinstance(exp, int) and exp < 0:
        return Decimal(5) * Decimal(10) ** (exp - 1)
    if is_percent(f) or isinstance(f.value, float):
        return Decimal("0.5")
    return Decimal(0)


def last_place(d: Decimal) -> Decimal:
    """One unit of the last written place (77.8 → 0.1, 78 → 1)."""
    exp = d.as_tuple().exponent
    return Decimal(10) ** exp if isinstance(exp, int) and exp < 0 else Decimal(1)


def fmt(d: Decimal | int | float | None) -> str:
    if d is None:
        return "?"
    if isinstance(d, Decimal):
        if d == d.to_integral_value():
            return str(int(d))
        return format(d.normalize(), "f")
    return str(d)


def fraction_parts(f: Figure) -> tuple[int, int] | None:
    """(a, b) of a fraction figure "14/18" (never of a date "14/8")."""
    if f.kind not in (None, "fraction"):
        return None
    m = _FRACTION.match(f.raw)
    if not m:
        return None
    return int(m.group(1).replace(".", "")), int(m.group(2).replace(".", ""))


def scalar(report: Report, key: str) -> Figure | None:
    """The first figure with this key read as a result outside records (or the first at all when
    all are in records); a target or a plan is not held to a relation with the results."""
    return _scalars(report).get(key)


#: the last report's scalars (the audit asks for some thirty keys of a report, one report at a
#: time): (the report, its figure list and length when indexed, the index)
_LAST: list[tuple[weakref.ref[Report], list[Figure], int, dict[str, Figure]]] = []


def _scalars(report: Report) -> dict[str, Figure]:
    figs = report.figure_list
    if _LAST:
        ref, was, n, index = _LAST[0]
        if ref() is report and was is figs and n == len(figs):
            return index
    outside: dict[str, Figure] = {}
    inside: dict[str, Figure] = {}
    for f in figs:
        if f.key is not None and (f.mode == "result" or f.item is not None):
            (outside if f.item is None else inside).setdefault(f.key, f)
    index = {**inside, **outside}
    _LAST[:] = [(weakref.ref(report), figs, len(figs), index)]
    return index


def groups(report: Report, record: str | None, keys: list[str]) -> list[dict[str, Figure]]:
    """The sets of figures a relation is checked on: one per record item, or the scalars."""
    if record:
        return report.items(record)
    out: dict[str, Figure] = {}
    for k in keys:
        f = scalar(report, k)
        if f is not None:
            out[k] = f
    return [out]


def file_of(report: Report) -> str | None:
    return report.source
