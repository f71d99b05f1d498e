"""Grammar placeholders: ``{int}``, ``{money:field}`` ... and the parser for what they matched.

A grammar pattern names what it reads with placeholders; :data:`PLACEHOLDER_RE` finds them,
:data:`PATTERNS` gives the regex each type stands for (on folded text), :func:`parse_placeholder`
reads what it matched.

>>> m = PLACEHOLDER_RE.search("có {int:households} hộ")
>>> m.group("type"), m.group("field")
('int', 'households')
>>> PLACEHOLDER_RE.search("{money}").group("field") is None
True
>>> import re
>>> re.search(PATTERNS["money"], "kinh phí 1,5 triệu đồng").group(0)
'1,5 triệu đồng'
"""

from __future__ import annotations

import re

from ..textview import fold
from ._data import _QUALIFIERS
from ._patterns import (
    _DATE_FULL,
    _DIGIT_RUN,
    _NUM_TOKEN,
    _QUAL_PREFIX,
    _TAIL,
    _WORDS_MONEY,
    _ZERO_WORDS,
    PATTERNS,
)
from .dates import _date_parts, iso_of
from .numerals import NumStyle, _parse, _unit_kind
from .quantities import _ZERO_STYLE, Quantity, _After, _after, _build, _compound, _fraction, _nfc_unit
from .words import parse_words

__all__ = ["PATTERNS", "PLACEHOLDER_RE", "parse_placeholder"]

PLACEHOLDER_RE = re.compile(r"\{(?P<type>[a-z_]+)(?::(?P<field>[A-Za-z0-9_.]+))?\}")
"""A placeholder as a grammar pattern writes it: ``{type}`` or ``{type:field}``; the one regex for
it (the grammar schema, the extractor and the renderer all use this one)."""


def _placeholder(name: str, raw: str, unit: str | None, *, money_hint: bool = False) -> Quantity:
    if not isinstance(raw, str):
        raise ValueError(f"not text: {raw!r}")
    t = raw
    f = fold(t)
    if len(f) != len(t):
        raise ValueError("text does not fold to the same length")
    if name in ("zero", "none"):
        if not _ZERO_WORDS.fullmatch(f):
            raise ValueError(f"not an explicit zero: {raw!r}")
        s = len(f) - len(f.lstrip())
        e = len(f.rstrip(" \t\n.;"))
        return Quantity(start=0, end=len(t), raw=t, value=0, kind="count", unit=None, qualifier="none",
                        num_start=s, num_end=e, style=_ZERO_STYLE)
    qual = None
    pos = 0
    m = _QUAL_PREFIX.match(f)
    if m:
        qual, pos = _QUALIFIERS[" ".join(m.group("q").split())], m.end()
    if name == "date":
        dm = _DATE_FULL.search(f, pos)
        if dm is None:
            raise ValueError(f"not a date: {raw!r}")
        iso = iso_of(*_date_parts(dm.group(0)))
        first = _DIGIT_RUN.search(f, dm.start())
        assert first is not None
        fr = first.group()
        st = NumStyle(thousands=None, decimal=None, decimals=0,
                      pad=len(fr) if len(fr) > 1 and fr[0] == "0" else 0, scale=None, unit=None)
        return Quantity(start=0, end=len(t), raw=t, value=iso, kind="date", unit=None, qualifier=None,
                        num_start=first.start(), num_end=dm.end(), style=st)
    if name == "words":
        ws = pos + len(f[pos:]) - len(f[pos:].lstrip())
        we = len(f.rstrip())
        value = parse_words(f[ws:we])
        st = NumStyle(thousands=None, decimal=None, decimals=0, pad=0, scale=None, unit=None, words=True)
        return Quantity(start=0, end=len(t), raw=t, value=value, kind="number", unit=unit, qualifier=qual,
                        num_start=ws, num_end=we, style=st)
    tm = _NUM_TOKEN.search(f, pos)
    if tm is None or f[pos:tm.start()].strip():
        wm = _WORDS_MONEY.match(f, pos + len(f[pos:]) - len(f[pos:].lstrip()))
        if wm is None:
            raise ValueError(f"no number in {raw!r}")
        ws, we = wm.span("words")
        value = parse_words(wm.group("words"))
        end = wm.end()
        style = NumStyle(thousands=None, decimal=None, decimals=0, pad=0, scale=None, unit=t[we:end], words=True)
        return Quantity(start=0, end=len(t), raw=t, value=value, kind="rate" if wm.group("per") else "money",
                        unit=_nfc_unit(t[wm.start("cur"):end]), qualifier=qual, num_start=ws, num_end=we,
                        style=style)
    s, e = tm.span()
    if name == "fraction":
        tail = _TAIL.match(f, e)
        if tail is None or not tail.group("frac"):
            raise ValueError(f"not a fraction: {raw!r}")
        q = _fraction(t, f, s, e, tail)
        if q is None:
            raise ValueError(f"not a fraction: {raw!r}")
    else:
        a = _after(t, f, e)
        if name in ("int", "num", "decimal") and a.kind in ("unit", "per") and unit is None:
            a = _After(None, e, e)  # the grammar matched the number alone
        q = _build(t, f, s, e, a, money_hint=money_hint or name == "money", unit_hint=unit)
        if name == "money":
            q = _compound(t, f, q)
        if name == "int" and q.style.decimal == "," and q.style.decimals == 3 and q.style.pad == 0:
            # {int} asserts an integer: "4,706" is four thousand seven hundred and six
            d, st, _ = _parse(t[s:e], "count")
            q.value, q.style, q.ambiguous = int(d), st, True
            q.kind = "count" if _unit_kind(q.unit) == "count" else "number"
        wanted = {"money": ("money", "rate"), "percent": ("percent",), "rate": ("rate",)}.get(name)
        if wanted and q.kind not in wanted:
            raise ValueError(f"not a {name}: {raw!r}")
    q.qualifier = qual
    q.start, q.end, q.raw = 0, len(t), t
    return q


def parse_placeholder(name: str, raw: str, *, unit: str | None = None) -> Quantity:
    """Parse a substring that ``PATTERNS[name]`` matched (start=0, end=len(raw)).

    ``name`` is one of the PATTERNS keys (also "none" for "zero"). ``unit`` is the unit or
    counted noun the grammar saw next to the number; it settles "4,706 người" (thousands) and
    becomes the Quantity's unit when ``raw`` has none. A leading qualifier word is accepted.
    Raises ValueError when ``raw`` does not hold what ``name`` describes. An impossible date
    ("31/02/2024") gives value None.

    >>> q = parse_placeholder("percent", "trên 50%")
    >>> q.value, q.kind, q.qualifier
    (50, 'percent', 'gt')
    >>> q = parse_placeholder("zero", "Không có")
    >>> q.value, q.qualifier
    (0, 'none')
    >>> parse_placeholder("int", "08").value, parse_placeholder("money", "1,5 triệu đồng").value
    (8, 1500000)
    """
    if name not in PATTERNS and name != "none":
        raise ValueError(f"unknown placeholder: {name!r}")
    try:
        return _placeholder(name, raw, unit)
    except (ArithmeticError, IndexError) as exc:
        raise ValueError(f"cannot read {raw!r} as {name}: {exc}") from exc
