"""Vietnamese date expressions, and the one check of an ISO date."""

from __future__ import annotations

import calendar
import re

from ..textview import fold
from ._patterns import _DATE_FULL, _DIGIT_RUN


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


def date_problem(y: int | None, m: int | None, d: int | None) -> str | None:
    """Why this (possibly partial) date cannot exist, or None when it can: the one calendar check.

    >>> date_problem(2024, 2, 29) is None
    True
    >>> date_problem(2023, 2, 29)
    'month 2 has 28 days in 2023'
    >>> date_problem(2024, 13, None)
    'there is no month 13'
    >>> date_problem(None, 2, 29) is None  # no year: any leap year will do
    True
    """
    if m is not None and not 1 <= m <= 12:
        return f"there is no month {m}"
    if d is not None:
        if m is None:
            return None if 1 <= d <= 31 else f"there is no day {d}"
        last = calendar.monthrange(y, m)[1] if y is not None else (29 if m == 2 else calendar.monthrange(2001, m)[1])
        if not 1 <= d <= last:
            return f"month {m} has {last} days" + (f" in {y}" if y is not None and m == 2 else "")
    return None


_ISO_RE = re.compile(r"(?P<y>\d{4})(?:-(?P<m>\d{1,2})(?:-(?P<d>\d{1,2}))?)?|--(?P<ym>\d{2})-(?P<yd>\d{2})")


def iso_parts(s: object) -> tuple[int, ...] | None:
    """(year, month, day) of an ISO date, partial ("2024-11", "2024") allowed, by its shape only;
    None when ``s`` is no dated ISO string (the year-less "--06-01" has no year to give).

    >>> iso_parts("2024-11-08"), iso_parts("2024-11"), iso_parts(" 2024 ")
    ((2024, 11, 8), (2024, 11), (2024,))
    >>> iso_parts("2024-02-30")  # the shape is ISO; valid_iso says whether the day exists
    (2024, 2, 30)
    >>> iso_parts("08/11/2024") is None, iso_parts("--06-01") is None, iso_parts(2024) is None
    (True, True, True)
    """
    if not isinstance(s, str):
        return None
    m = _ISO_RE.fullmatch(s.strip())
    if m is None or m.group("y") is None:
        return None
    return tuple(int(g) for g in m.group("y", "m", "d") if g is not None)


def valid_iso(s: object) -> tuple[int, ...] | None:
    """The parts of a dated ISO date that exists (see :func:`iso_parts`), else None: the one
    ISO-date validator.

    >>> valid_iso("2024-11-08"), valid_iso("2024-11")
    ((2024, 11, 8), (2024, 11))
    >>> valid_iso("2024-02-30") is None, valid_iso("2024-13") is None
    (True, True)
    """
    p = iso_parts(s)
    if p is None:
        return None
    y, mo, d = (list(p) + [None, None])[:3]
    return p if date_problem(y, mo, d) is None else None


def is_iso_date(s: object) -> bool:
    """Whether ``s`` is the value of a date figure: a real, possibly partial ISO date
    ("2024-11-08", "2024-11", "2024") or the year-less day and month "--06-01".

    >>> [is_iso_date(v) for v in ("2024-11-08", "2024-11", "2024", "--02-29", "--02-30", "8/11/2024")]
    [True, True, True, True, False, False]
    """
    if valid_iso(s) is not None:
        return True
    m = _ISO_RE.fullmatch(s.strip()) if isinstance(s, str) else None
    return m is not None and m.group("ym") is not None and date_problem(None, int(m["ym"]), int(m["yd"])) is None


def iso_of(y: int, m: int, d: int | None) -> str | None:
    """The ISO text of a date read from a text (no day: year and month), None when the calendar
    has no such day.

    >>> iso_of(2024, 11, 8), iso_of(2017, 5, None), iso_of(2024, 2, 30)
    ('2024-11-08', '2017-05', None)
    """
    if y < 1 or date_problem(y, m, d) is not None or (d is None and m is None):
        return None
    return f"{y:04d}-{m:02d}" + ("" if d is None else f"-{d:02d}")


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
