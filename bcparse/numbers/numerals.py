"""Numbers written with digits: read and write them the Vietnamese way."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from ._data import (
    _CONVERSIONS,
    _COUNT_NOUNS,
    _CURRENCY,
    _CURRENCY_AFTER_SCALE,
    _DEC_CTX,
    _MAXD,
    _SCALE_MONEY,
    _SCALES,
    _fw,
)
from ._patterns import _NUMBER_FULL


@dataclass(frozen=True, slots=True)
class NumStyle:
    """How a number was written, so format_number(value, style) writes it back the same way.

    Fields a text did not show get the Vietnamese convention: a number below 1000 is taken to
    group thousands with "." (``thousands="."``), a number of 1000 or more written without
    grouping keeps ``thousands=None``.
    """

    thousands: str | None  # "." / "," / " " or None
    decimal: str | None  # "," or "." or None for an integer
    decimals: int  # digits written after the decimal separator
    pad: int  # integer digits when zero-padded ("08" -> 2, "003" -> 3), else 0
    scale: str | None  # magnitude word as written: "triệu", "tỷ", "nghìn", "trđ", "tỷđ" (value is multiplied)
    unit: str | None  # text as written after the number (or scale), incl. the space before it: " đồng", "đ/xuất", " %"
    words: bool = False  # written in words ("năm trăm nghìn đồng")
    scale_gap: str | None = None  # white space between number and scale as written; None = usual (" triệu", "trđ")
    compound: str | None = None  # a compound amount's rest as written after the larger scale (" 500 triệu"): "8 tỷ 500 triệu"




@lru_cache(maxsize=1024)
def _unit_kind(unit: str | None) -> str | None:
    """What a unit says about a number: "count", "money", "scale", "measure" or None."""
    if not unit:
        return None
    u = " ".join(_fw(unit).split())
    first = u.split("/")[0].strip()
    for w in _SCALE_MONEY:
        if first.startswith(w):
            return "scale"
    for w in _SCALES:
        if first == w or first.startswith(w + " "):
            return "scale"
    if first in _COUNT_NOUNS:
        return "count"
    if first in _CURRENCY or first in _CURRENCY_AFTER_SCALE:
        return "money"
    for w in _COUNT_NOUNS:
        if first.startswith(w + " "):
            return "count"
    return "measure"


def _default_thousands(decimal: str | None) -> str | None:
    return "." if decimal in (None, ",") else None


def _parse(s: str, unit_kind: str | None) -> tuple[Decimal, NumStyle, bool]:
    """(exact value, style, ambiguous) of a number written with digits; ValueError otherwise."""
    t = s.strip()
    neg = t[:1] in ("-", "−")
    if neg:
        t = t[1:]
    if not t or not t.isascii() or not _NUMBER_FULL.fullmatch(t):
        raise ValueError(f"not a number: {s!r}")
    ndigits = sum(c.isdigit() for c in t)
    if ndigits > _MAXD:
        raise ValueError(f"too many digits for a number: {len(t)} characters")
    seps = {c for c in t if c in "., "}
    thousands: str | None = None
    decimal: str | None = None
    ambiguous = False
    if not seps:
        ip, fp = t, ""
    elif len(seps) == 1:
        c = seps.pop()
        groups = t.split(c)
        head = groups[0]
        grouped = (
            all(len(g) == 3 for g in groups[1:]) and 1 <= len(head) <= 3 and not (head[0] == "0")
        )
        if len(groups) > 2:
            if not grouped:
                raise ValueError(f"not a number: {s!r}")
            thousands, ip, fp = c, "".join(groups), ""
        elif c == " ":
            if not grouped:
                raise ValueError(f"not a number: {s!r}")
            thousands, ip, fp = c, "".join(groups), ""
        elif grouped and c == "." and head != "0":
            # "1.422": a dot before exactly three digits groups thousands
            thousands, ip, fp = c, "".join(groups), ""
            ambiguous = unit_kind not in ("count", "money", "scale")
        elif grouped and c == "," and unit_kind in ("count", "money"):
            # "4,706 người": people come whole, VND has no fraction: a thousands comma
            thousands, ip, fp = c, "".join(groups), ""
            ambiguous = True
        else:
            decimal, ip, fp = c, head, groups[1]
            ambiguous = grouped  # "4,706 ha": the decimal comma, but it could be thousands
    else:
        last = max(t.rfind("."), t.rfind(","), t.rfind(" "))
        decimal = t[last]
        if decimal == " ":
            raise ValueError(f"not a number: {s!r}")
        ip, fp = t[:last], t[last + 1:]
        other = {c for c in ip if c in "., "}
        if len(other) != 1 or decimal in other:
            raise ValueError(f"not a number: {s!r}")
        thousands = other.pop()
        groups = ip.split(thousands)
        if not (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:]) and groups[0][0] != "0"):
            raise ValueError(f"not a number: {s!r}")
        ip = "".join(groups)
    pad = len(ip) if len(ip) > 1 and ip[0] == "0" and thousands is None else 0
    if thousands is None and len(ip) < 4:
        thousands = _default_thousands(decimal)
    value = Decimal(ip + ("." + fp if fp else ""))
    if neg:
        value = -value
    style = NumStyle(thousands=thousands, decimal=decimal, decimals=len(fp), pad=pad, scale=None, unit=None)
    return value, style, ambiguous


def _py(d: Decimal, integer: bool) -> int | float:
    return int(d) if integer else float(d)


def parse_number(s: str, *, unit: str | None = None) -> tuple[int | float, NumStyle]:
    """Read a number written with digits, the Vietnamese way.

    "1.422" -> 1422 (a dot before exactly three digits groups thousands), "284,62" -> 284.62
    (decimal comma), "3.785,74" -> 3785.74, "79.31" -> 79.31 (a dot before other than three
    digits is a decimal point), "08" -> 8 with pad 2. A comma before exactly three digits is a
    decimal comma unless ``unit`` names something that comes whole: "4,706" with unit "người"
    (or a currency) -> 4706. Returns an int unless a decimal separator was written.
    Raises ValueError for anything else (words, letters, malformed groups, > 30 digits).

    >>> parse_number("1.422")[0], parse_number("284,62")[0], parse_number("3.785,74")[0], parse_number("79.31")[0]
    (1422, 284.62, 3785.74, 79.31)
    >>> value, style = parse_number("08")
    >>> value, style.pad
    (8, 2)
    >>> parse_number("4,706")[0], parse_number("4,706", unit="người")[0]
    (4.706, 4706)
    >>> parse_number("12 hộ")
    Traceback (most recent call last):
    ...
    ValueError: not a number: '12 hộ'
    """
    if not isinstance(s, str):
        raise ValueError(f"not a number: {s!r}")
    d, style, _ = _parse(s, _unit_kind(unit))
    return _py(d, style.decimal is None), style


def _to_decimal(value: int | float | Decimal) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise ValueError(f"not a number: {value!r}")
    d = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not d.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return d


def _frac_digits(d: Decimal) -> int:
    d = d.normalize(_DEC_CTX)
    exp = d.as_tuple().exponent
    return -exp if isinstance(exp, int) and exp < 0 else 0


def _group(ip: str, sep: str) -> str:
    head = len(ip) % 3 or 3
    return sep.join([ip[:head]] + [ip[i:i + 3] for i in range(head, len(ip), 3)])


def _format(d: Decimal, style: NumStyle, min_decimals: int) -> str:
    neg = d < 0
    d = d.copy_abs()  # exact: abs() would round to the default context's 28 digits
    nd = min(max(min_decimals, _frac_digits(d)), 40)
    dec = style.decimal or ("." if style.thousands == "," else ",")
    q = d.quantize(Decimal(1).scaleb(-nd), rounding=ROUND_HALF_UP, context=_DEC_CTX) if nd else d
    text = format(q, "f")
    ip, _, fp = text.partition(".")
    if style.pad and len(ip) < style.pad:
        ip = ip.zfill(style.pad)
    if style.thousands and len(ip) > 3 and not (style.pad and ip[0] == "0"):
        ip = _group(ip, style.thousands)
    out = ip + (dec + fp if nd else "")
    return "-" + out if neg and d != 0 else out


def format_number(value: int | float, style: NumStyle) -> str:
    """Write a number in ``style``: the inverse of :func:`parse_number` (digits only, no unit).

    Keeps the thousands separator, the decimal separator and at least as many decimals as were
    written ("4,70" style writes 5 as "5,00"; more decimals are written when the value needs
    them), and the zero padding ("08" style writes 3 as "03").

    >>> format_number(1950, parse_number("1.422")[1]), format_number(5, parse_number("4,70")[1])
    ('1.950', '5,00')
    >>> format_number(3, parse_number("08")[1]), format_number(284.625, parse_number("284,62")[1])
    ('03', '284,625')
    """
    d = _to_decimal(value)
    return _format(d, style, style.decimals if style.decimal else 0)


_VI = NumStyle(thousands=".", decimal=",", decimals=0, pad=0, scale=None, unit=None)


def format_vi(value: int | float | Decimal) -> str:
    """A value written the Vietnamese way for people to read: thousands dots and a decimal comma,
    only the decimals the value has ("1.422", "284,62", "2.350.000.000", "1.250,5").

    >>> format_vi(1422), format_vi(284.62), format_vi(2_350_000_000)
    ('1.422', '284,62', '2.350.000.000')
    """
    return _format(_to_decimal(value), _VI, 0)


# magnitude words ("triệu", "tỷđ")


def scale_factor(style: NumStyle) -> int:
    """The factor a style's magnitude word stands for (1 without one); ValueError if unknown."""
    if not style.scale:
        return 1
    w = " ".join(_fw(style.scale).split())
    f = _SCALES.get(w) or _SCALE_MONEY.get(w)
    if f is None:
        raise ValueError(f"unknown magnitude word: {style.scale!r}")
    return f


def _scale_gap(style: NumStyle) -> str:
    if style.scale_gap is not None:
        return style.scale_gap
    return "" if _fw(style.scale or "") in _SCALE_MONEY else " "


_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
          (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def to_roman(n: int) -> str:
    """A natural number in Roman numerals, the way reports number their parts ("" for 0).

    >>> to_roman(4), to_roman(14), to_roman(1999)
    ('IV', 'XIV', 'MCMXCIX')
    """
    out = []
    for value, sym in _ROMAN:
        q, n = divmod(n, value)
        out.append(sym * q)
    return "".join(out)


def convert_unit(value: int | float, unit: str, to: str) -> int | float | None:
    """``value`` written in ``unit`` expressed in ``to`` (the data's ``unit_conversions``); None
    when the two are no units of one measure that the data converts. Exact (decimal arithmetic):

    >>> convert_unit(4.02, "km2", "ha"), convert_unit(72.44, "km²", "ha"), convert_unit(22.6, "Km2", "ha")
    (402, 7244, 2260)
    >>> convert_unit(15, "tạ", "tấn"), convert_unit(3, "ha", "ha"), convert_unit(3, "km", "ha") is None
    (1.5, 3, True)
    """
    u, t = " ".join(_fw(unit).split()), " ".join(_fw(to).split())
    if u == t:
        return value
    factor = _CONVERSIONS.get(u, {}).get(t)
    if factor is None:
        return None
    d = _DEC_CTX.multiply(_to_decimal(value), Decimal(factor))
    return _py(d, d == d.to_integral_value())
