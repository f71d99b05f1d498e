"""Vietnamese numerals: the one module that reads and writes them.

Reading and writing live side by side so that a figure edited in a report is written back the
way it was read (``1.422``, ``08``, ``284,62``, ``1,5 triệu đồng``, ``596tỷđ``):

* :func:`parse_number` / :func:`format_number`: digits with thousands dots and a decimal comma,
  leading zeros; :class:`NumStyle` records how a number was written.
* :func:`parse_money` / :func:`format_money`: VND amounts (``500.000đ``, ``2 tỷ đồng``,
  ``60trđ``, ``năm trăm nghìn đồng``), always an integer number of đồng.
* :func:`parse_words` / :func:`to_words`: number words (``một triệu tư`` = 1 400 000).
* :func:`parse_date` / :func:`format_date`: ``ngày 08/11/2024``, ``ngày 20 tháng 11 năm 2024``,
  a blank day (``ngày   tháng 11 năm 2024`` = ``2024-11``), ``tháng 5/2017``.
* :func:`find_quantities`: every quantity in a text with its unit or counted noun, qualifier
  (khoảng, trên, dưới ...) and offsets; years, telephone and document numbers, section markers and
  identifiers (``Lữ đoàn 134``) are skipped.
* :data:`PATTERNS` and :func:`parse_placeholder`: regex fragments for grammar placeholders
  (``{int}``, ``{money}`` ...) that match the folded text (:func:`bcparse.textview.fold`), and
  the parser for what they matched.

The conventions (thousands ``.``, decimal ``,``, "a dot followed by exactly three digits is a
thousands separator") and every ambiguity rule are documented on the functions. The word lists
(counted nouns, units, scale and money words, qualifiers, identifier and year words) are data, in
``bcparse/data/numbers_vi.yaml``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date as _date
from decimal import ROUND_HALF_UP, Context, Decimal
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from . import limits
from .textview import fold

__all__ = [
    "PATTERNS",
    "NumStyle",
    "Quantity",
    "find_quantities",
    "format_date",
    "format_money",
    "format_number",
    "format_value",
    "parse_date",
    "parse_money",
    "parse_number",
    "parse_placeholder",
    "parse_words",
    "scale_factor",
    "to_words",
]


# ---------------------------------------------------------------------------------------------
# Public data types
# ---------------------------------------------------------------------------------------------


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


@dataclass(slots=True)
class Quantity:
    """One quantity found in a text: the whole raw (qualifier, number, unit) and the number proper."""

    start: int
    end: int  # offsets [start, end) of the whole raw in the text passed in
    raw: str  # text[start:end]
    value: int | float | str | None  # int counts/money (VND), float decimals, ISO str dates, None: impossible date
    kind: str  # count | number | decimal | money | percent | rate | fraction | date
    unit: str | None  # unit or counted noun as written (NFC): "hộ", "ha", "%", "đồng/xuất", "triệu đồng"
    qualifier: str | None  # None | approx | gt | lt | none (explicit zero "không có")
    num_start: int
    num_end: int  # offsets of the number proper (digits and separators, or the words)
    style: NumStyle
    denominator: int | None = None  # fractions "14/18"
    ambiguous: bool = False  # the value rested on a context guess ("1.000" alone, "4,706 người")


# ---------------------------------------------------------------------------------------------
# Data (bcparse/data/numbers_vi.yaml), folded for matching on fold(text)
# ---------------------------------------------------------------------------------------------


def _load_data() -> dict[str, Any]:
    raw = resources.files("bcparse.data").joinpath("numbers_vi.yaml").read_text(encoding="utf-8")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(raw, Loader=loader)  # noqa: S506 - a safe loader
    if not isinstance(data, dict):
        raise RuntimeError("bcparse/data/numbers_vi.yaml: expected a mapping")
    return data


def _fw(word: object) -> str:
    """Fold one list entry the way the text is folded (NFC, lower case, tone placement)."""
    return fold(unicodedata.normalize("NFC", str(word)).strip())


def _words(items: Iterable[object]) -> tuple[str, ...]:
    """Folded entries, longest first (so multi-word entries win over their prefixes)."""
    return tuple(sorted({_fw(w) for w in items}, key=lambda w: (-len(w), w)))


def _alt(words: Iterable[str]) -> str:
    """A non-capturing alternation of folded words, longest first; inner spaces match [ \\t]+."""
    parts = [r"[ \t]+".join(re.escape(p) for p in w.split()) for w in _words(words)]
    return "(?:" + "|".join(parts) + ")"


_DATA = _load_data()

_DIGIT_WORDS: dict[str, int] = {_fw(k): int(v) for k, v in _DATA["digits"].items()}
_TENS: dict[str, str] = {_fw(k): str(v) for k, v in _DATA["tens"].items()}
_ZERO_TENS = frozenset(_fw(w) for w in _DATA["zero_tens"])
_HALF = frozenset(_fw(w) for w in _DATA["half"])
_MULTIPLIERS: dict[str, int] = {_fw(k): 10 ** int(v) for k, v in _DATA["multipliers"].items()}
_SCALES: dict[str, int] = {_fw(k): int(v) for k, v in _DATA["scales"].items()}
_SCALE_MONEY: dict[str, int] = {_fw(k): int(v) for k, v in _DATA["scale_money"].items()}
_CURRENCY = _words(_DATA["currency"])
_CURRENCY_AFTER_SCALE = _words(_DATA["currency_after_scale"])
_DONG_NOT = _words(_DATA["dong_not_currency"])
_NOT_AFTER_SCALE = _words(_DATA["not_after_scale"])
_NOT_AFTER_UNIT = _words(_DATA["not_after_unit"])
_COUNT_NOUNS = frozenset(_words(_DATA["count_nouns"]) + ("đ/c",))
_MEASURE = frozenset(_words(_DATA["measure_units"]))
_QUALIFIERS: dict[str, str] = {_fw(k): str(v) for k, v in _DATA["qualifiers"].items()}
_QUAL_WORDS = _words(_QUALIFIERS)
_IDENT_WORDS = _words(_DATA["identifier_words"])
_ORDINAL_WORDS = _words(_DATA["ordinal_words"])
_YEAR_WORDS = _words(_DATA["year_words"])
_PHONE_WORDS = _words(_DATA["phone_words"])
_SECTION_CLOSERS = frozenset(str(c) for c in _DATA["section_closers"])

_MAXD = limits.current().max_number_digits
_DEC_CTX = Context(prec=80)

# ---------------------------------------------------------------------------------------------
# Regex sources. Everything matches the folded text (lower case); PATTERNS use no groups.
# ---------------------------------------------------------------------------------------------

_L = r"[^\W\d_]"  # a letter
_NB = r"(?<![\w/])(?<![0-9][.,])"  # not inside a longer number, a word or a slash chain
_NA = r"(?![0-9])(?![.,/][0-9])"  # not followed by more number
_INT = rf"(?:[0-9]{{1,3}}(?:\.[0-9]{{3}})+|[0-9]{{1,3}}(?:,[0-9]{{3}})+|[0-9]{{1,{_MAXD}}})"
_DEC = (
    rf"(?:[0-9]{{1,3}}(?:\.[0-9]{{3}})+,[0-9]+"  # 3.785,74
    rf"|[0-9]{{1,3}}(?:,[0-9]{{3}})+\.[0-9]+"  # 1,234.5
    rf"|[0-9]{{1,{_MAXD}}},[0-9]+"  # 284,62
    rf"|[0-9]{{1,{_MAXD}}}\.(?![0-9]{{3}}(?![0-9]))[0-9]+)"  # 79.31 (a dot not before exactly 3 digits)
)
_NUM = f"(?:{_DEC}|{_INT})"

_NUMBER_WORDS = [w for w in (*_DIGIT_WORDS, *_TENS, *_ZERO_TENS, *_HALF, *_MULTIPLIERS)
                 if w not in ("củ", "tỏi")]  # slang only for parse_words: "củ" is also a tuber
_WORD_NUM = _alt(_NUMBER_WORDS)
_WORDS_SRC = rf"(?<!\w)(?<![0-9] ){_WORD_NUM}(?:[ \t]+{_WORD_NUM})*(?!\w)"

_CUR = _alt(_CURRENCY)
_CUR_ANY = _alt(_CURRENCY + _CURRENCY_AFTER_SCALE)
_DONG_NOT_LA = rf"(?![ \t]+{_alt(_DONG_NOT)}(?!\w))"
_SCALE = _alt(_SCALES) + rf"(?!\w)(?![ \t]+{_alt(_NOT_AFTER_SCALE)}(?!\w))"  # not "tỷ lệ"
_SMONEY = _alt(_SCALE_MONEY)
_UNITS = _alt(_COUNT_NOUNS | _MEASURE) + rf"(?!\w)(?![ \t]+{_alt(_NOT_AFTER_UNIT)}(?!\w))"  # not "lần thứ"
_PER_WORD = rf"{_L}+[0-9²³]?(?!\w)"
_PER = rf"(?:[ \t]?/[ \t]?{_PER_WORD})+"

# money: number (or words), then a glued magnitude+currency, a magnitude (and currency), or a currency
_MONEY_TAIL = (
    rf"[ \t]?(?:{_SMONEY}(?!\w)"
    rf"|{_SCALE}(?:[ \t]?{_CUR_ANY})?(?!\w){_DONG_NOT_LA}"
    rf"|{_CUR}(?!\w){_DONG_NOT_LA})"
)
_MONEY_CORE = rf"(?:{_NB}{_NUM}{_NA}|{_WORDS_SRC}){_MONEY_TAIL}"

_DAY = "[0-9]{1,2}"
_MON = "[0-9]{1,2}"
_YEAR = "[0-9]{4}"
_NGAY = r"(?<!\w)ngày"
_DATE_SRC = (
    "(?:"
    rf"(?:{_NGAY}[ \t]+)?(?<![0-9/.,-]){_DAY}(?:/{_MON}/|-{_MON}-|\.{_MON}\.){_YEAR}"
    rf"|(?:{_NGAY}\s+)?(?<![0-9/.,]){_DAY}\s+tháng\s+{_MON}\s*(?:năm\s*|[/-]\s*){_YEAR}"
    rf"|{_NGAY}[ \t._…-]*tháng\s+{_MON}\s*(?:năm\s*|[/-]\s*){_YEAR}"
    rf"|(?<!\w)tháng\s+{_MON}\s*(?:năm\s*|[/-]\s*){_YEAR}"
    rf"|(?<![\w/.,-]){_MON}/(?:19|20)[0-9]{{2}}"
    r")(?![0-9])(?!/\w)(?![.,][0-9])"
)

PATTERNS: dict[str, str] = {
    "int": f"{_NB}{_INT}{_NA}",
    "decimal": f"{_NB}{_DEC}{_NA}",
    "num": f"{_NB}{_NUM}{_NA}",
    "money": rf"{_MONEY_CORE}(?![ \t]?/[ \t]?{_L})",
    "percent": rf"{_NB}{_NUM}{_NA}[ \t]?(?:%|phần trăm(?!\w))",
    "date": _DATE_SRC,
    "rate": rf"(?:{_MONEY_CORE}|{_NB}{_NUM}{_NA}[ \t]?{_L}+[0-9²³]?){_PER}",
    "fraction": f"{_NB}{_INT}/{_INT}{_NA}",
    "zero": r"(?<!\w)không có(?!\w)",
    "words": _WORDS_SRC,
}
"""Regex sources (no capture groups) for the grammar placeholders; match them on fold(text).

``int`` accepts leading zeros and thousands groups and never matches inside a longer number, a
date or a document number; ``money`` includes its currency and magnitude (``đ``, ``đồng``,
``VNĐ``, ``triệu đồng``, ``trđ``, ``tỷđ``) and is not followed by ``/unit`` (that is a ``rate``);
``percent`` includes ``%``; ``zero`` is the explicit zero ``không có``; ``words`` are number words.
Qualifier words (khoảng, trên ...) are not part of any pattern.
"""

# ---------------------------------------------------------------------------------------------
# Compiled private patterns
# ---------------------------------------------------------------------------------------------

_CANDIDATE = re.compile(r"[0-9]|ngày|tháng|không có")  # where a quantity may start (fast scan)
_CURRENCY_WORD = re.compile(rf"{_CUR}(?!\w)")  # the word start is checked in code (faster scan)
_DATE_FULL = re.compile(_DATE_SRC)
_NUM_TOKEN = re.compile(r"(?<![0-9])[0-9]+(?:[.,][0-9]+)*")
_DIGIT_RUN = re.compile(r"[0-9]+")
_NUMBER_FULL = re.compile(r"[0-9]+(?:[., ][0-9]+)*")
_AFTER = re.compile(
    r"(?P<gap>[ \t]{0,3}|[ \t]*\n[ \t]*)"
    r"(?:(?P<pct>%|phần trăm(?!\w))"
    rf"|(?P<smoney>{_SMONEY})(?!\w)"
    rf"|(?P<scale>{_SCALE})(?!\w)"
    rf"(?:(?P<sgap>[ \t]{{0,2}})(?P<cur>{_CUR_ANY})(?!\w){_DONG_NOT_LA}"
    rf"|(?P<sgap2>[ \t]{{1,2}})(?P<sunit>{_UNITS})(?!\w))?"
    rf"|(?P<unit>{_UNITS})(?!\w)"
    rf"|(?P<cur2>{_CUR})(?!\w){_DONG_NOT_LA}"
    r")?"
    rf"(?P<per>{_PER})?"
)
_TAIL = re.compile(
    r"(?P<time>(?::[0-9]{2}){1,2}(?![0-9])|h[0-9]{2}(?![0-9]))"
    rf"|(?P<doc>(?:/[0-9]+)*{_L}{{0,3}}[ \t]*/[ \t]*(?P<sym>{_L})[^\s,;]*|-(?P<sym2>{_L})+[/-][^\s,;]*)"
    r"|(?P<frac>/(?P<den>[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)(?![0-9])(?![.,/][0-9]))"
)
_PHONE_SHAPE = re.compile(r"0[0-9]{2,4}(?:[ .-][0-9]{2,4}){2,3}(?![0-9])|0[0-9]{8,10}(?![0-9])")
_PHONE_REST = re.compile(r"[+(]?[0-9](?:[ .()-]{0,2}[0-9])*")
_RANGE_AFTER = re.compile(r"[ \t]*[-–—][ \t]*(?:19|20)[0-9]{2}(?![0-9])")
_RANGE_BEFORE = re.compile(r"(?<![0-9])(?:19|20)[0-9]{2}[ \t]*[-–—][ \t]*$")
_SECTION_DOTTED = re.compile(r"[0-9]{1,2}(?:\.[0-9]{1,2})+")
_ZERO_END = re.compile(r"[ \t]*[.;]?[ \t]*(?:\n|$)|[ \t]*[.;]")
_WORDS_MONEY = re.compile(
    rf"(?P<words>{_WORDS_SRC})(?P<gap>[ \t]+)(?P<cur>{_CUR})(?!\w){_DONG_NOT_LA}(?P<per>{_PER})?"
)
_QUAL_PREFIX = re.compile(rf"\s*(?P<q>{_alt(_QUAL_WORDS)})\s+(?=[0-9]|{_L})")
_ZERO_WORDS = re.compile(r"\s*(?:không có|chưa có|không phát sinh)\s*[.;]?\s*")

# ---------------------------------------------------------------------------------------------
# Folding fast: the same result as textview.fold (tested), without its slow str.translate
# ---------------------------------------------------------------------------------------------

_TONES = "\u0300\u0301\u0303\u0309\u0323"
_PAIRS: dict[str, str] = {
    unicodedata.normalize("NFC", a + tone) + b: a + unicodedata.normalize("NFC", b + tone)
    for a, b in (("o", "a"), ("o", "e"), ("u", "y")) for tone in _TONES
}
_PAIR_RE = re.compile("[" + "".join(sorted({k[0] for k in _PAIRS})) + "][aey]")


def _fold_fast(s: str) -> str:
    """textview.fold(s): lower case, Ð→đ, the tone of oa/oe/uy on the second vowel (same length)."""
    if "\u00d0" in s or "\u00f0" in s:
        s = s.replace("\u00d0", "\u0111").replace("\u00f0", "\u0111")
    low = s.lower()
    if len(low) != len(s):
        return fold(s)
    return _PAIR_RE.sub(lambda m: _PAIRS.get(m.group(0), m.group(0)), low)


# ---------------------------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------------------------


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
    """
    d = _to_decimal(value)
    return _format(d, style, style.decimals if style.decimal else 0)


_VI = NumStyle(thousands=".", decimal=",", decimals=0, pad=0, scale=None, unit=None)


def format_vi(value: int | float | Decimal) -> str:
    """A value written the Vietnamese way for people to read: thousands dots and a decimal comma,
    only the decimals the value has ("1.422", "284,62", "2.350.000.000", "1.250,5")."""
    return _format(_to_decimal(value), _VI, 0)


# ---------------------------------------------------------------------------------------------
# Number words
# ---------------------------------------------------------------------------------------------


def _small_words(toks: list[str], *, shorthand: bool) -> int:
    """0..999 from words: [digit] trăm [digit mươi | mười | linh] [digit]."""
    val = 0
    digit: int | None = None
    hundred = tens = False
    last = ""
    for tok in toks:
        if tok in _DIGIT_WORDS:
            if digit is not None:
                raise ValueError(f"two digits in a row: {' '.join(toks)!r}")
            digit = _DIGIT_WORDS[tok]
        elif tok == "trăm":
            if hundred or tens:
                raise ValueError(f"misplaced 'trăm': {' '.join(toks)!r}")
            val += (1 if digit is None else digit) * 100
            digit, hundred = None, True
        elif tok in _TENS:
            if tens:
                raise ValueError(f"two tens in a row: {' '.join(toks)!r}")
            if _TENS[tok] == "multiply":
                if digit is None:
                    raise ValueError(f"'{tok}' needs a digit before it")
                val += digit * 10
            else:
                if digit is not None:
                    raise ValueError(f"a digit before '{tok}'")
                val += 10
            digit, tens = None, True
        elif tok in _ZERO_TENS:
            if tens or digit is not None:
                raise ValueError(f"misplaced '{tok}'")
            tens = True
        elif tok in _HALF:
            if last != "trăm":
                raise ValueError(f"misplaced '{tok}'")
            val += 50
            tens = True
        else:
            raise ValueError(f"not a number word: {tok!r}")
        last = tok
    if digit is not None:
        # "một trăm hai" = 120: a lone digit right after "trăm" counts tens
        if shorthand and hundred and not tens and len(toks) >= 2 and toks[-2] == "trăm":
            val += digit * 10
        else:
            val += digit
    return val


def parse_words(s: str) -> int:
    """Vietnamese number words to an int.

    "năm trăm nghìn" 500000, "một triệu tư" 1400000 (a lone digit after a multiplier counts its
    tenth), "ba trăm linh năm" 305, "hai mươi mốt" 21, "mười lăm" 15, "hai triệu rưỡi" 2500000,
    "hai nghìn tỷ" 2 000 000 000 000. Words: digits with mốt/tư/lăm/nhăm, mươi/mười, linh/lẻ,
    trăm, nghìn/ngàn, triệu, tỷ/tỉ (and the slang củ, tỏi). Raises ValueError otherwise.
    """
    if not isinstance(s, str):
        raise ValueError(f"not number words: {s!r}")
    toks = _fw(s).replace("-", " ").replace(",", " ").split()
    if not toks:
        raise ValueError("no number words")
    pending: list[tuple[int, int]] = []  # (value, multiplier) of the parts read so far
    chunk: list[str] = []
    last_mult = 0
    after_mult = False
    for tok in toks:
        m = _MULTIPLIERS.get(tok, 0)
        if m >= 1000:
            v = _small_words(chunk, shorthand=True) if chunk else 0
            lower = 0
            while pending and pending[-1][1] < m:
                lower += pending.pop()[0]
            base = v + lower
            if base == 0 and not chunk:
                base = 1
            pending.append((base * m, m))
            chunk = []
            last_mult = m
            after_mult = True
            continue
        if tok not in _DIGIT_WORDS and tok not in _TENS and tok not in _ZERO_TENS and tok not in _HALF \
                and tok != "trăm":
            raise ValueError(f"not a number word: {tok!r}")
        chunk.append(tok)
    val = 0
    if chunk:
        if after_mult and len(chunk) == 1 and chunk[0] in _HALF:
            val = last_mult // 2
        elif after_mult and len(chunk) == 1 and chunk[0] in _DIGIT_WORDS and toks[-2] in _MULTIPLIERS:
            val = _DIGIT_WORDS[chunk[0]] * last_mult // 10  # "một triệu tư"
        else:
            val = _small_words(chunk, shorthand=True)
    return sum(p for p, _ in pending) + val


_DIGIT_NAMES = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")


def _group_words(n: int, full: bool) -> list[str]:
    h, t, u = n // 100, n // 10 % 10, n % 10
    out: list[str] = []
    if full or h:
        out += [_DIGIT_NAMES[h], "trăm"]
    if t == 0:
        if u:
            if full or h:
                out.append("linh")
            out.append(_DIGIT_NAMES[u])
    elif t == 1:
        out.append("mười")
        if u:
            out.append("lăm" if u == 5 else _DIGIT_NAMES[u])
    else:
        out += [_DIGIT_NAMES[t], "mươi"]
        if u:
            out.append({1: "mốt", 4: "tư", 5: "lăm"}.get(u, _DIGIT_NAMES[u]))
    return out


def to_words(n: int) -> str:
    """An int in Vietnamese words (the northern standard): 1422 -> "một nghìn bốn trăm hai mươi hai".

    Inverse of :func:`parse_words`. Raises ValueError for negative numbers or non-integers.
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError(f"not a natural number: {n!r}")
    if n == 0:
        return "không"
    words: list[str] = []
    if n >= 10**9:
        words = to_words(n // 10**9).split() + ["tỷ"]
        n %= 10**9
        lead = False
    else:
        lead = True
    for scale, name in ((10**6, "triệu"), (10**3, "nghìn"), (1, "")):
        g = n // scale % 1000
        if g:
            words += _group_words(g, full=not lead)
            if name:
                words.append(name)
            lead = False
    return " ".join(words)


# ---------------------------------------------------------------------------------------------
# Money
# ---------------------------------------------------------------------------------------------


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


def parse_money(s: str) -> tuple[int, NumStyle]:
    """An amount of VND as an int, and how it was written.

    "500.000đ", "500.000 đồng", "500.000 VNĐ" -> 500000; "1,5 triệu đồng" -> 1500000;
    "2 tỷ đồng", "596tỷđ", "1.184 tỷđ", "60trđ", "300 nghìn đồng", the typo "triệu đông";
    "năm trăm nghìn đồng" (words, style.words=True). A magnitude without a currency ("5 triệu")
    is read as VND too. A leading qualifier (trên, khoảng ...) and a trailing "/unit" of a rate
    ("500.000đồng/xuất") are accepted; the per-unit text is kept in ``style.unit``.
    Raises ValueError when the text is no amount of money.
    """
    q = _placeholder("money", s, None, money_hint=True)
    if q.kind not in ("money", "rate") or not isinstance(q.value, int):
        raise ValueError(f"not an amount of money: {s!r}")
    return q.value, q.style


def format_money(vnd: int, style: NumStyle) -> str:
    """Write an amount of VND in ``style``: the inverse of :func:`parse_money`.

    Stays in the magnitude it was read in ("1,5 triệu đồng" style writes 2_500_000 as
    "2,5 triệu đồng", with only the decimals the value needs), keeps "đồng" vs "đ", the spaces
    and the thousands dots ("500.000đ" style writes 1_950_000 as "1.950.000đ"); words stay words.
    """
    if isinstance(vnd, bool) or not isinstance(vnd, (int, Decimal)):
        if isinstance(vnd, float) and vnd.is_integer():
            vnd = int(vnd)
        else:
            raise ValueError(f"not an amount of VND: {vnd!r}")
    unit = style.unit or ""
    if style.words:
        if vnd < 0:
            raise ValueError("negative amount in words")
        return to_words(int(vnd)) + unit
    factor = scale_factor(style)
    if style.scale:
        d = _DEC_CTX.divide(Decimal(vnd), Decimal(factor))
        num = _format(d.normalize(_DEC_CTX), style, 0)
        return num + _scale_gap(style) + style.scale + unit
    return _format(Decimal(vnd), style, style.decimals if style.decimal else 0) + unit


# ---------------------------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------------------------


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


def _iso(y: int, m: int, d: int | None) -> str | None:
    if not 1 <= m <= 12 or y < 1:
        return None
    if d is None:
        return f"{y:04d}-{m:02d}"
    try:
        _date(y, m, d)
    except ValueError:
        return None
    return f"{y:04d}-{m:02d}-{d:02d}"


def parse_date(s: str) -> str | None:
    """An ISO date from a Vietnamese date expression, or None when the calendar has no such day.

    "ngày 08/11/2024" and "08/11/2024" -> "2024-11-08"; "ngày 20 tháng 11 năm 2024"; a blank
    day "ngày   tháng 11 năm 2024" -> "2024-11"; "ngày 27 tháng 12 năm\\n2008" (line break);
    "tháng 5/2017" -> "2017-05"; "31/02/2024" -> None. Raises ValueError for text that is no
    date expression at all.
    """
    if not isinstance(s, str):
        raise ValueError(f"not a date: {s!r}")
    t = s.strip().rstrip(".,;")
    m = _DATE_FULL.fullmatch(fold(t))
    if m is None:
        raise ValueError(f"not a date: {s!r}")
    return _iso(*_date_parts(m.group(0)))


def format_date(value: str, like: str) -> str:
    """Write an ISO date ("2024-11-08" or "2024-11") in the layout of ``like`` ("08/11/2024",
    "20 tháng 11 năm 2024", "ngày tháng 11 năm 2024", "5/2017"): same separators and words,
    a component zero-padded when it was written with two digits. ValueError when the value has
    no day but ``like`` shows one."""
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


# ---------------------------------------------------------------------------------------------
# Reading one number with what follows it
# ---------------------------------------------------------------------------------------------


def _nfc_unit(s: str) -> str:
    return unicodedata.normalize("NFC", " ".join(s.split()))


def _ends_word(w: str, words: tuple[str, ...]) -> str | None:
    """The entry of ``words`` (longest first) that ``w`` ends with as a whole word, or None."""
    if not w.endswith(words):
        return None
    n = len(w)
    for x in words:
        if w.endswith(x) and (n == len(x) or not w[n - len(x) - 1].isalnum()):
            return x
    return None


def _window(f: str, s: int, size: int = 32, *, same_line: bool) -> str:
    w = f[max(0, s - size):s]
    if same_line:
        i = w.rfind("\n")
        if i >= 0:
            w = w[i + 1:]
    else:
        i = w.rfind("\n\n")
        if i >= 0:
            w = w[i + 2:]
    return w


def _qualifier(t: str, f: str, s: int, floor: int) -> tuple[str | None, int]:
    """(qualifier, start of the qualifier word) for the number at ``s``; floor: earliest start."""
    w = _window(f, s, 24, same_line=False)
    ws = w.rstrip()
    if len(ws) == len(w):
        return None, s
    q = _ends_word(ws, _QUAL_WORDS)
    if q is None:
        return None, s
    start = s - (len(w) - len(ws)) - len(q)
    if start < floor:
        return None, s
    return _QUALIFIERS[q], start


@dataclass(slots=True)
class _After:
    kind: str | None  # percent | money | scale | unit | per | None
    end: int  # end of the unit text (== e when nothing follows)
    unit_start: int  # start of the unit text (scale or unit word), after the gap
    scale: str | None = None  # folded scale word
    scale_start: int = 0
    scale_end: int = 0
    noun: str | None = None  # folded unit / counted noun
    per: bool = False


def _after(t: str, f: str, e: int) -> _After:
    m = _AFTER.match(f, e)
    none = _After(None, e, e)
    if m is None:
        return none
    gap = m.group("gap")
    per_s, per_e = m.span("per")
    kind: str | None = None
    scale = None
    noun = None
    ustart = m.end("gap")
    if m.group("pct"):
        kind, end = "percent", m.end("pct")
    elif m.group("smoney"):
        kind, end, scale = "money", m.end("smoney"), m.group("smoney")
    elif m.group("scale"):
        scale = m.group("scale")
        if m.group("cur"):
            kind, end = "money", m.end("cur")
        elif m.group("sunit"):
            kind, end, noun = "scale", m.end("sunit"), m.group("sunit")
        else:
            kind, end = "scale", m.end("scale")
    elif m.group("unit"):
        kind, end, noun = "unit", m.end("unit"), m.group("unit")
    elif m.group("cur2"):
        kind, end = "money", m.end("cur2")
    elif per_s >= 0:
        if gap:
            return none
        kind, end = "per", e
    else:
        return none
    if "\n" in gap and t[ustart:ustart + 1].isupper():
        return none  # a capitalised word on the next line starts something else (a table cell)
    per = False
    if per_s >= 0 and per_s == end:
        words = [x.strip() for x in f[per_s:per_e].split("/") if x.strip()]
        if noun is not None and " ".join(noun.split()) in _COUNT_NOUNS and kind == "unit" and not all(
            x in _MEASURE or x in _COUNT_NOUNS and x == "người" for x in words
        ):
            per = False  # "xóm/bản" is two nouns, not a rate; "người/km2" is one
        else:
            per, end = True, per_e
    a = _After(kind, end, ustart if kind != "per" else e, noun=noun, per=per)
    if scale is not None:
        a.scale = " ".join(scale.split())
        a.scale_start = m.start("smoney") if m.group("smoney") else m.start("scale")
        a.scale_end = m.end("smoney") if m.group("smoney") else m.end("scale")
    return a


_ZERO_STYLE = NumStyle(thousands=None, decimal=None, decimals=0, pad=0, scale=None, unit=None)


def _unscaled_unit(after_scale: str, *, money: bool) -> str | None:
    """The unit of a value the magnitude word was multiplied into: what follows the magnitude,
    the currency written in full. "2,35 tỷ đồng" → 2350000000 "đồng"; "48,5 triệu
    đồng/người/năm" → "đồng/người/năm"; "1.184 tỷđ" → "đồng"; "1,2 triệu người" → "người";
    "5 triệu" → None (the raw keeps what was written)."""
    rest = _nfc_unit(after_scale).strip()
    if money:
        slash = rest.find("/")
        return "đồng" + (rest[slash:].replace(" ", "") if slash >= 0 else "")
    return rest or None


def _build(
    t: str, f: str, s: int, e: int, a: _After, *, money_hint: bool = False, unit_hint: str | None = None
) -> Quantity:
    """The Quantity of the number token t[s:e] followed by ``a`` (no qualifier yet)."""
    if a.kind == "money" or (a.kind == "scale" and a.noun is None and money_hint):
        ukind = "scale" if a.scale else "money"
    elif a.kind == "scale":
        ukind = "scale"
    elif a.kind == "unit":
        ukind = _unit_kind(a.noun)
    else:
        ukind = _unit_kind(unit_hint)
    d, style, ambiguous = _parse(t[s:e], ukind)
    integer = style.decimal is None
    unit: str | None = _nfc_unit(t[a.unit_start:a.end]) if a.kind else None
    scale_txt = t[a.scale_start:a.scale_end] if a.scale else None
    if a.scale:
        style = NumStyle(
            thousands=style.thousands, decimal=style.decimal, decimals=style.decimals, pad=style.pad,
            scale=_nfc_unit(scale_txt or ""), unit=t[a.scale_end:a.end] or None, scale_gap=t[e:a.scale_start],
        )
    elif a.kind:
        style = NumStyle(
            thousands=style.thousands, decimal=style.decimal, decimals=style.decimals, pad=style.pad,
            scale=None, unit=t[e:a.end] or None,
        )
    value: int | float
    money_scaled = a.kind == "money" or (a.kind == "scale" and a.noun is None and money_hint)
    if money_scaled:
        factor = _SCALE_MONEY.get(a.scale or "") or _SCALES.get(a.scale or "") or 1
        value = int(_DEC_CTX.multiply(d, factor).quantize(Decimal(1), rounding=ROUND_HALF_UP, context=_DEC_CTX))
        kind = "rate" if a.per else "money"
    elif a.kind == "percent":
        value, kind = _py(d, integer), "percent"
    elif a.kind == "scale":
        factor = _SCALES.get(a.scale or "", 1)
        dv = _DEC_CTX.multiply(d, factor)
        integer = dv == dv.to_integral_value()
        value = _py(dv, integer)
        if a.per:
            kind = "rate"
        elif a.noun is not None and _unit_kind(a.noun) == "count" and integer:
            kind = "count"
        else:
            kind = "number" if integer else "decimal"
    else:
        value = _py(d, integer)
        noun = a.noun if a.kind == "unit" else None
        if a.per or (noun and "/" in noun and noun not in _COUNT_NOUNS):  # "tạ/ha", but "đ/c" is đồng chí
            kind = "rate"
        elif noun is not None and noun in _COUNT_NOUNS and integer:
            kind = "count"
        elif noun is None and unit_hint and _unit_kind(unit_hint) == "count" and integer:
            kind = "count"
        else:
            kind = "number" if integer else "decimal"
    if a.scale and kind in ("money", "rate", "count", "number", "decimal"):
        unit = _unscaled_unit(t[a.scale_end:a.end], money=kind == "money" or (kind == "rate" and money_scaled))
    if unit is None and unit_hint:
        unit = _nfc_unit(unit_hint)
    return Quantity(
        start=s, end=a.end if a.kind else e, raw=t[s:a.end if a.kind else e], value=value, kind=kind,
        unit=unit, qualifier=None, num_start=s, num_end=e, style=style, ambiguous=ambiguous,
    )


def _fraction(t: str, f: str, s: int, e: int, tail: re.Match[str]) -> Quantity | None:
    try:
        dnum, st, amb = _parse(t[s:e], "count")
        dden, _, amb2 = _parse(tail.group("den"), "count")
    except ValueError:
        return None
    if st.decimal is not None:
        return None
    end = tail.end()
    a = _after(t, f, end)
    unit = None
    if a.kind == "unit" and a.noun is not None and a.noun in _COUNT_NOUNS and not a.per:
        unit = _nfc_unit(t[a.unit_start:a.end])
        end = a.end
    return Quantity(
        start=s, end=end, raw=t[s:end], value=int(dnum), kind="fraction", unit=unit, qualifier=None,
        num_start=s, num_end=e, style=st, denominator=int(dden), ambiguous=amb or amb2,
    )


def _day_month(t: str, f: str, s: int, e: int) -> Quantity | None:
    """"ngày 01/6": a date without its year, value "--06-01" (ISO 8601 month-day)."""
    m = re.fullmatch(r"(\d{1,2})\s*/\s*(\d{1,2})", f[s:e])
    if m is None:
        return None
    d, mo = int(m.group(1)), int(m.group(2))
    if not (1 <= mo <= 12 and 1 <= d <= (29 if mo == 2 else 30 if mo in (4, 6, 9, 11) else 31)):
        return None
    style = NumStyle(thousands=None, decimal=None, decimals=0,
                     pad=len(m.group(1)) if m.group(1).startswith("0") else 0, scale=None, unit=None)
    return Quantity(start=s, end=e, raw=t[s:e], value=f"--{mo:02d}-{d:02d}", kind="date", unit=None,
                    qualifier=None, num_start=s, num_end=e, style=style, ambiguous=False)


def _date_quantity(t: str, f: str, s: int, e: int) -> Quantity | None:
    seg = f[s:e]
    iso = _iso(*_date_parts(seg))
    if iso is None:
        return None
    first = _DIGIT_RUN.search(f, s, e)
    assert first is not None
    ds = first.start()
    bare = "tháng" not in seg and seg.count("/") + seg.count("-") + seg.count(".") == 1
    if bare:
        w = _window(f, s, 12, same_line=True).rstrip()
        if w.endswith(("số", "số:")) or _ends_word(w, _IDENT_WORDS):
            return None
    fr = first.group()
    style = NumStyle(thousands=None, decimal=None, decimals=0,
                     pad=len(fr) if len(fr) > 1 and fr[0] == "0" else 0, scale=None, unit=None)
    return Quantity(start=s, end=e, raw=t[s:e], value=iso, kind="date", unit=None, qualifier=None,
                    num_start=ds, num_end=e, style=style, ambiguous=bare)


def _number_at(t: str, f: str, s: int, e: int, floor: int) -> tuple[Quantity | None, int]:
    """The quantity whose number token is t[s:e] (None when it is no quantity), and where to go on."""
    tok = f[s:e]
    n = len(f)
    if len(tok) - tok.count(".") - tok.count(",") > _MAXD:
        return None, e
    prev = f[s - 1] if s else ""
    prev2 = f[s - 2] if s > 1 else ""
    if prev == "/" or prev.isalpha() or (prev in "-." and prev2.isalpha()) or (prev == ":" and prev2.isdigit()):
        return None, e  # a slash chain, a code (QL3, Covid-19, ĐT.254) or a time
    line = _window(f, s, 40, same_line=True)
    # telephone numbers: after "Điện thoại:" or shaped like one
    wl = line.rstrip(" \t:.")
    if wl and _ends_word(wl, _PHONE_WORDS):
        m = _PHONE_REST.match(f, s)
        return None, m.end() if m else e
    if tok[0] == "0":
        m = _PHONE_SHAPE.match(f, s)
        if m:
            return None, m.end()
    tail = _TAIL.match(f, e)
    if tail is not None:
        if tail.group("time"):
            return None, tail.end()
        if tail.group("doc"):
            sym = tail.start("sym") if tail.group("sym") else tail.start("sym2")
            if t[sym:sym + 1].isupper():
                return None, tail.end()  # 7253/UBND-VP, 57-KL/TW, 198  /BC-UBND
        elif tail.group("frac"):
            # "ngày 01/6" is a day and a month (no year), not a fraction
            if _window(f, s, 12, same_line=True).rstrip().endswith("ngày"):
                return _day_month(t, f, s, tail.end()), tail.end()  # None when the day cannot exist
            # a line-start "1/2" is still a fraction; dates were matched before
            return _fraction(t, f, s, e, tail), tail.end()
    a = _after(t, f, e)
    has_unit = a.kind is not None
    if not has_unit and e < n and f[e].isalpha():
        j = e
        while j < n and f[j].isalnum():
            j += 1
        return None, j  # glued to letters that are no unit: a code ("30a", "5G")
    plain = tok.isdigit()
    # section markers at the start of a line: "1.", "1)", "1.1", "1.1.", "(1)"
    if line.strip(" \t") in ("", "(") and not (a.kind in ("percent", "money") or a.per):
        nxt = f[e:e + 1]
        after_nxt = f[e + 1:e + 2]
        if line.strip(" \t") == "(" and nxt == ")" and plain:
            return None, e + 1
        if line.strip(" \t") == "" and plain and len(tok) <= 2 and nxt in _SECTION_CLOSERS and (
            after_nxt == "" or after_nxt.isspace()
        ):
            return None, e + 1
        if line.strip(" \t") == "" and _SECTION_DOTTED.fullmatch(tok) and not has_unit and (
            nxt in (".", "", "\n") or (nxt.isspace() and f[e + 1:e + 2].isalpha())
        ):
            return None, e + (1 if nxt == "." else 0)
    wl = line.rstrip()
    if wl:
        if _ends_word(wl, _ORDINAL_WORDS):
            return None, e
        if not has_unit:
            if _ends_word(wl, ("số",)):  # "Tổ dân phố số 5", "Quốc lộ số 3"
                wl = wl[:-2].rstrip()
            if _ends_word(wl, _IDENT_WORDS):
                return None, e
    ambiguous_year = False
    if plain and len(tok) == 4 and 1900 <= int(tok) <= 2100 and a.kind not in ("unit", "percent", "money", "scale"):
        r = _RANGE_AFTER.match(f, e)
        if r:
            return None, r.end()
        if _RANGE_BEFORE.search(f, max(0, s - 12), s):
            return None, e
        w = _window(f, s, 24, same_line=False).rstrip()
        if w and _ends_word(w, _YEAR_WORDS):
            return None, e
        if prev == "(" and f[e:e + 1] == ")":
            return None, e + 1
        ambiguous_year = True
    q = _build(t, f, s, e, a)
    if ambiguous_year:
        q.ambiguous = True
    qual, qs = _qualifier(t, f, s, floor)
    if qual is not None:
        q.qualifier, q.start = qual, qs
        q.raw = t[qs:q.end]
    return q, q.end


def _zero_at(t: str, f: str, s: int, e: int) -> Quantity | None:
    w = _window(f, s, 40, same_line=True).rstrip()
    if not w.endswith(":"):
        return None
    if not _ZERO_END.match(f, e):
        return None
    return Quantity(start=s, end=e, raw=t[s:e], value=0, kind="count", unit=None, qualifier="none",
                    num_start=s, num_end=e, style=_ZERO_STYLE)


_NUMBER_WORD_SET = frozenset(_NUMBER_WORDS)
_MAGNITUDE_WORDS = frozenset(_MULTIPLIERS) | frozenset(_TENS)


def _words_before(f: str, i: int) -> int:
    """Start of the run of number words that ends right before ``i`` (== i when there is none)."""
    start = i
    j = i
    while True:
        k = j
        while k > 0 and f[k - 1] in " \t":
            k -= 1
        if k == j and j != i:
            break
        w = k
        while w > 0 and f[w - 1].isalpha():
            w -= 1
        if w == k or f[w:k] not in _NUMBER_WORD_SET or (w > 0 and f[w - 1].isalnum()):
            break
        start = j = w
    return start


def _words_money(t: str, f: str) -> list[Quantity]:
    """Amounts written in words: "năm trăm nghìn đồng" (a magnitude or tens word is required)."""
    out: list[Quantity] = []
    for m in _CURRENCY_WORD.finditer(f):
        cs = m.start()
        if cs == 0 or f[cs - 1] not in " \t":  # also rejects a currency glued inside a word
            continue
        ws = _words_before(f, cs)
        if ws == cs:
            continue
        if ws >= 2 and f[ws - 1] == " " and f[ws - 2].isdigit():
            continue  # "300 nghìn đồng" is read from its digits
        wm = _WORDS_MONEY.match(f, ws)
        if wm is None or wm.start("cur") != cs:
            continue
        words = wm.group("words")
        if not any(x in _MAGNITUDE_WORDS for x in words.split()):
            continue
        try:
            value = parse_words(words)
        except ValueError:
            continue
        we = wm.end("words")
        end = wm.end()
        style = NumStyle(thousands=None, decimal=None, decimals=0, pad=0, scale=None,
                         unit=t[we:end], words=True)
        q = Quantity(start=ws, end=end, raw=t[ws:end], value=value, kind="rate" if wm.group("per") else "money",
                     unit=_nfc_unit(t[cs:end]), qualifier=None, num_start=ws, num_end=we, style=style)
        qual, qs = _qualifier(t, f, ws, 0)
        if qual is not None:
            q.qualifier, q.start, q.raw = qual, qs, t[qs:end]
        out.append(q)
    return out


def _find(text: str) -> list[Quantity]:
    f = _fold_fast(text)
    if len(f) != len(text):  # fold keeps offsets; never trust a text that breaks that
        return []
    out: list[Quantity] = []
    pos = 0
    floor = 0
    while True:
        c = _CANDIDATE.search(f, pos)
        if c is None:
            break
        s = c.start()
        q: Quantity | None = None
        e = c.end()
        try:
            dm = _DATE_FULL.match(f, s)
            if dm is not None:
                e = dm.end()
                q, pos = _date_quantity(text, f, s, e), e
            elif c.group() == "không có":
                q, pos = _zero_at(text, f, s, e), e
            elif c.group().isdigit():
                tm = _NUM_TOKEN.match(f, s)
                if tm is None:  # a digit right after another number's digits
                    pos = e
                    continue
                e = tm.end()
                q, pos = _number_at(text, f, s, e, floor)
            else:
                pos = e
        except (ValueError, ArithmeticError, IndexError):
            q, pos = None, e
        pos = max(pos, e)
        if q is not None:
            out.append(q)
            floor = q.end
    words = _words_money(text, f)
    if words:
        merged: list[Quantity] = []
        last_end = -1
        for q in sorted(out + words, key=lambda x: (x.start, -x.end)):
            if q.start >= last_end:
                merged.append(q)
                last_end = q.end
        out = merged
    return out


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity in ``text``, in order and non-overlapping; never raises.

    A quantity is a number with its unit or counted noun ("1.422 hộ", "284,62 ha", "652ha"), an
    amount of money or a rate ("500.000đồng/xuất", "trên 182 triệu đồng"), a percentage, a
    fraction ("14/18"), a date ("ngày 08/11/2024"), a bare number ("là 280 trong đó") or the
    explicit zero "Không có" standing alone after a colon. A qualifier word before the number
    (khoảng, gần, ước đạt, trên, hơn, dưới, chưa đến ...) is part of ``raw``.

    Skipped: years ("năm 2024", "2020 - 2025", "Giáp Thìn 2024"), telephone numbers, document
    numbers ("7253/UBND-VP", "57-KL/TW"), section markers at the start of a line ("1.", "1.1"),
    identifiers ("Lữ đoàn 134", "Quốc lộ 3", "lần thứ 2", "Covid-19"), times ("3:16:17"),
    impossible dates ("31/02/2024") and digit runs longer than 30 digits.
    """
    if not isinstance(text, str) or not text:
        return []
    try:
        return _find(text)
    except Exception:  # noqa: BLE001 - find_quantities must never raise; a bug yields no quantities
        return []


# ---------------------------------------------------------------------------------------------
# Placeholders for the grammar engine
# ---------------------------------------------------------------------------------------------


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
        iso = _iso(*_date_parts(dm.group(0)))
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
    """
    if name not in PATTERNS and name != "none":
        raise ValueError(f"unknown placeholder: {name!r}")
    try:
        return _placeholder(name, raw, unit)
    except (ArithmeticError, IndexError) as exc:
        raise ValueError(f"cannot read {raw!r} as {name}: {exc}") from exc


# ---------------------------------------------------------------------------------------------
# Editing a quantity in place
# ---------------------------------------------------------------------------------------------


def format_value(q: Quantity, value: int | float | str) -> str:
    """The text to put at ``[q.num_start, q.num_end)`` so that ``q`` reads ``value``, written in
    the quantity's own style (money and counts with a magnitude word stay in that magnitude,
    words stay words, dates keep their layout)."""
    if q.kind == "date":
        if not isinstance(value, str):
            raise ValueError(f"a date needs an ISO string: {value!r}")
        off = q.start
        return format_date(value, q.raw[q.num_start - off:q.num_end - off])
    if isinstance(value, str):
        raise ValueError(f"not a number: {value!r}")
    st = q.style
    if st.words:
        if not float(value).is_integer() or value < 0:
            raise ValueError(f"words need a natural number: {value!r}")
        return to_words(int(value))
    if st.scale:
        d = _DEC_CTX.divide(_to_decimal(value), Decimal(scale_factor(st)))
        return _format(d.normalize(_DEC_CTX), st, 0)
    return format_number(value, st)
