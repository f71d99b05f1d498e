"""ISO dates: the one check that a (possibly partial) date exists, and the ISO text of one.

Kept free of the word lists and patterns so that the models can import it cheaply; the date
expressions of a report are read in :mod:`bcparse.numbers.dates`.
"""

from __future__ import annotations

import calendar
import re


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
