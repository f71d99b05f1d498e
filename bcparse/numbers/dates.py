"""Vietnamese date expressions, and the one check of an ISO date."""

from __future__ import annotations

from ..textview import fold
from ._patterns import _DATE_FULL, _DIGIT_RUN
from .iso import date_problem, is_iso_date, iso_of, iso_parts, valid_iso

__all__ = ["date_problem", "format_date", "is_iso_date", "iso_of", "iso_parts", "parse_date", "valid_iso"]


def _date_parts(f: str) -> tuple[int, int, int | None]:
    """(year, month, day or None) from a folded date expression that _DATE_SRC matched."""
    runs = [int(x) for x in _DIGIT_RUN.findall(f)]
    if "tháng" in f:
        head = f.split("tháng", 1)[0]
        if any(c.isdigit() for c in head):
            return runs[-1], runs[1], runs[0]
        return runs[-1], runs[-2], None
    if len(runs) == 3:
        return runs[2], runs[1], runs[0]
    return runs[1], runs[0], None


def parse_date(s: str) -> str | None:
    """An ISO date from a Vietnamese date expression, or None when the calendar has no such day.

    "ngày 08/11/2024" and "08/11/2024" -> "2024-11-08"; "ngày 20 tháng 11 năm 2024"; a blank
    day "ngày   tháng 11 năm 2024" -> "2024-11"; "ngày 27 tháng 12 năm\\n2008" (line break);
    "tháng 5/2017" -> "2017-05"; "31/02/2024" -> None. Raises ValueError for text that is no
    date expression at all.

    >>> parse_date("ngày 08/11/2024"), parse_date("ngày 20 tháng 11 năm 2024")
    ('2024-11-08', '2024-11-20')
    >>> parse_date("ngày   tháng 11 năm 2024"), parse_date("tháng 5/2017"), parse_date("31/02/2024")
    ('2024-11', '2017-05', None)
    """
    if not isinstance(s, str):
        raise ValueError(f"not a date: {s!r}")
    t = s.strip().rstrip(".,;")
    m = _DATE_FULL.fullmatch(fold(t))
    if m is None:
        raise ValueError(f"not a date: {s!r}")
    return iso_of(*_date_parts(m.group(0)))


def format_date(value: str, like: str) -> str:
    """Write an ISO date ("2024-11-08" or "2024-11") in the layout of ``like`` ("08/11/2024",
    "20 tháng 11 năm 2024", "ngày tháng 11 năm 2024", "5/2017"): same separators and words,
    a component zero-padded when it was written with two digits. ValueError when the value has
    no day but ``like`` shows one.

    >>> format_date("2024-12-05", "08/11/2024"), format_date("2024-12-05", "ngày 8 tháng 11 năm 2024")
    ('05/12/2024', 'ngày 5 tháng 12 năm 2024')
    >>> format_date("2024-12", "tháng 5/2017"), format_date("2024-12-05", "20 tháng 11 năm 2024")
    ('tháng 12/2024', '05 tháng 12 năm 2024')
    """
    parts = value.split("-")
    if len(parts) not in (2, 3) or not all(p.isdigit() for p in parts):
        raise ValueError(f"not an ISO date: {value!r}")
    y, mo = int(parts[0]), int(parts[1])
    d = int(parts[2]) if len(parts) == 3 else None
    runs = list(_DIGIT_RUN.finditer(like))
    if not runs:
        raise ValueError(f"no date in {like!r}")
    f = fold(like)
    has_day = ("tháng" in f and any(c.isdigit() for c in f.split("tháng", 1)[0])) or (
        "tháng" not in f and len(runs) == 3)
    if has_day and d is None:
        raise ValueError(f"{value!r} has no day for {like!r}")

    # zero-padded when written so ("08"), or when two digits and no day/month shows a single one
    padded = all(len(r.group()) == 2 for r in runs[:-1])

    def put(n: int, old: str) -> str:
        return f"{n:02d}" if old[0] == "0" or (len(old) == 2 and padded) else str(n)

    new = {runs[-1].span(): f"{y:04d}", runs[-2].span(): put(mo, runs[-2].group())}
    if has_day and d is not None:
        new[runs[0].span()] = put(d, runs[0].group())
    out = like
    for (a, b), txt in sorted(new.items(), reverse=True):
        out = out[:a] + txt + out[b:]
    if not has_day and d is not None and "tháng" in f:
        i = fold(out).find("tháng")
        out = out[:i].rstrip(" .…_") + f" {d:02d} " + out[i:]
    return out
