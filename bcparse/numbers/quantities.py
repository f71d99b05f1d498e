"""The quantity scanner: every quantity in a text with its unit, qualifier and offsets."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ..textview import fold
from ._data import (
    _CODE_LETTERS,
    _COUNT_NOUNS,
    _DEC_CTX,
    _IDENT_WORDS,
    _MAXD,
    _MEASURE,
    _MULTIPLIERS,
    _NAME_HEADS,
    _NAME_WORDS,
    _ORDINAL_WORDS,
    _PERIOD_AFTER,
    _PERIOD_WORDS,
    _PHONE_WORDS,
    _QUAL_WORDS,
    _QUALIFIERS,
    _SCALE_MONEY,
    _SCALE_WORDS,
    _SCALES,
    _SECTION_CLOSERS,
    _TENS,
    _YEAR_NOUNS,
    _YEAR_WORDS,
    _alt,
)
from ._patterns import (
    _AFTER,
    _CANDIDATE,
    _COMPOUND,
    _CURRENCY_WORD,
    _DATE_CTX,
    _DATE_FULL,
    _DAY_MONTH,
    _DIGIT_RUN,
    _NUM_TOKEN,
    _NUMBER_WORDS,
    _PHONE_REST,
    _PHONE_SHAPE,
    _PLAN_AFTER,
    _RANGE_AFTER,
    _RANGE_BEFORE,
    _SCALE_SHAPE,
    _SECTION_DOTTED,
    _TAIL,
    _WORDS_MONEY,
    _ZERO_END,
)
from .dates import _date_parts, format_date, iso_of
from .numerals import (
    NumStyle,
    _format,
    _parse,
    _py,
    _scale_gap,
    _to_decimal,
    _unit_kind,
    format_number,
    scale_factor,
)
from .words import parse_words, to_words


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
    plan: int | float | None = None  # an actual/plan pair "1.250/1.200 tấn": the plan value (1200)


@dataclass(slots=True)
class NotQuantity:
    """A number that is no quantity, and what it is instead (see :func:`not_quantities`)."""

    start: int
    end: int  # offsets [start, end) of what was passed over: the number, or a longer code or range
    raw: str
    what: str  # one of WHAT


WHAT = (
    "identifier",  # a number that names something: Thôn 3, tiêu chí số 17, Chương trình 135, vùng 2
    "code",  # digits glued to letters: Covid-19, QL3, 30a, H5N1, ĐT.254, 4E
    "ordinal",  # lần thứ 3, kỳ họp thứ 6, năm thứ 4, quý 2, tháng 5, đợt 2
    "year",  # năm 2024, Tết Nguyên đán 2024, Giáp Thìn 2024, (2024)
    "term",  # a span of years: nhiệm kỳ 2020 - 2025, giai đoạn 2021-2025
    "document",  # a document number: 7253/UBND-VP, 57-KL/TW, Số: 12
    "phone",  # a telephone or fax number
    "time",  # a clock time: 3:16:17, 7h30
    "section",  # a section marker at the start of a line: "1.", "1.1", "(1)", "2-Điều kiện"
    "footnote",  # a footnote marker: "[1]", "sản phẩm[2]", "hộ nghèo(1)"
    "scale",  # a map scale: tỷ lệ 1/500
    "date",  # a day that cannot exist: "ngày 31/02/2024", "ngày 31/2"
    "long",  # a digit run longer than the limit
    "period",  # the report's period named by its months: 6 tháng đầu năm, 3 tháng cuối năm
)
"""What a number that is no quantity is (:attr:`NotQuantity.what`)."""




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
    ukind: str | None
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


def _compound(t: str, f: str, q: Quantity) -> Quantity:
    """``q`` extended over the rest of a compound amount: "8 tỷ 500 triệu đồng" is 8500000000
    đồng, "3 tỷ 161 triệu" 3161000000 (a smaller magnitude, under 1000 of it, right after a larger
    one written without its currency). Written back in the smaller magnitude ("8.500 triệu đồng").
    ``q`` itself when no such rest follows."""
    st = q.style
    if not st.scale or st.unit or st.words or q.kind not in ("money", "number", "decimal", "count") \
            or not isinstance(q.value, int):
        return q
    upper = _SCALES.get(" ".join(fold(st.scale).split()))
    m = _COMPOUND.match(f, q.end)
    if upper is None or m is None:
        return q
    lower = _SCALES[" ".join(m.group("cscale").split())]
    n = int(m.group("cnum"))
    if lower >= upper or n * lower >= upper:
        return q
    cur = m.group("ccur")
    end = m.end("ccur") if cur else m.end("cscale")
    style = NumStyle(thousands=st.thousands, decimal=None, decimals=0, pad=st.pad, scale=st.scale,
                     unit=t[m.end("cscale"):end] or None, scale_gap=st.scale_gap,
                     compound=t[m.start():m.end("cscale")])
    money = bool(cur) or q.kind == "money"
    return Quantity(
        start=q.start, end=end, raw=t[q.start:end], value=q.value + n * lower,
        kind="money" if money else "number", unit="đồng" if money else q.unit, qualifier=q.qualifier,
        num_start=q.num_start, num_end=m.end("cscale"), style=style, ambiguous=q.ambiguous,
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
    """"ngày 01/6", "Sáng 19-3", "Chiều 26.2": a date without its year, value "--06-01" (ISO 8601
    month-day); None when the calendar has no such day."""
    m = re.fullmatch(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})", f[s:e])
    if m is None:
        return None
    d, mo = int(m.group(1)), int(m.group(2))
    if not (1 <= mo <= 12 and 1 <= d <= (29 if mo == 2 else 30 if mo in (4, 6, 9, 11) else 31)):
        return None
    style = NumStyle(thousands=None, decimal=None, decimals=0,
                     pad=len(m.group(1)) if m.group(1).startswith("0") else 0, scale=None, unit=None)
    return Quantity(start=s, end=e, raw=t[s:e], value=f"--{mo:02d}-{d:02d}", kind="date", unit=None,
                    qualifier=None, num_start=s, num_end=e, style=style, ambiguous=False)


def _no(skipped: list[NotQuantity] | None, t: str, s: int, end: int, what: str) -> tuple[None, int]:
    """Pass over t[s:end], a number that is no quantity (recorded in ``skipped`` when asked)."""
    if skipped is not None:
        skipped.append(NotQuantity(s, end, t[s:end], what))
    return None, end


def _date_quantity(t: str, f: str, s: int, e: int, skipped: list[NotQuantity] | None) -> Quantity | None:
    seg = f[s:e]
    iso = iso_of(*_date_parts(seg))
    if iso is None:
        _no(skipped, t, s, e, "date")
        return None
    first = _DIGIT_RUN.search(f, s, e)
    assert first is not None
    ds = first.start()
    bare = "tháng" not in seg and seg.count("/") + seg.count("-") + seg.count(".") == 1
    if bare:
        w = _window(f, s, 12, same_line=True).rstrip()
        if w.endswith(("số", "số:")) or _ends_word(w, _IDENT_WORDS) or _ends_word(w, _NAME_WORDS):
            _no(skipped, t, s, e, "document")
            return None
        if _ends_word(w, _PERIOD_WORDS):  # "quý 2/2025": the second quarter of 2025, no February
            _no(skipped, t, s, e, "ordinal")
            return None
    fr = first.group()
    style = NumStyle(thousands=None, decimal=None, decimals=0,
                     pad=len(fr) if len(fr) > 1 and fr[0] == "0" else 0, scale=None, unit=None)
    return Quantity(start=s, end=e, raw=t[s:e], value=iso, kind="date", unit=None, qualifier=None,
                    num_start=ds, num_end=e, style=style, ambiguous=bare)


def _pair(t: str, f: str, s: int, e: int, tail: re.Match[str], a: _After) -> Quantity:
    """"1.250/1.200 tấn": the actual value (1250 tấn) with its plan (``plan`` 1200) — written
    back at the actual value's digits; the unit after the plan is the unit of both."""
    q = _build(t, f, s, e, a)
    ds, de = tail.span("den")
    plan = _build(t, f, ds, de, a).value
    q.plan = plan if isinstance(plan, int | float) else None
    if not a.kind:
        q.end = de
        q.raw = t[s:de]
    return q


def _slash(
    t: str, f: str, s: int, e: int, tail: re.Match[str], line: str, skipped: list[NotQuantity] | None
) -> tuple[Quantity | None, int]:
    """The number t[s:e] followed by "/Y": a date, a fraction or an actual/plan pair, by context.

    After a date word ("ngày, dịp, sáng ...") it is a day and a month. "X/Y" with X <= Y is a
    fraction ("14/18", "17/21 đồng chí", "22/24 chỉ tiêu"), unless no counted noun follows and
    the clause names the plan ("X/Y KH", "1.150/1.200 tấn, đạt 96% KH"). It is an actual value
    and its plan (``plan``) then, and when X > Y ("1.250/1.200 tấn": no part is larger than its
    whole) or a number is a decimal ("208,5/200 ha"); but X > Y alone that can be a day and a
    month is a date ("28/7", flagged ambiguous)."""
    end = tail.end()
    if _DATE_CTX.search(line):
        q = _day_month(t, f, s, end)
        return (q, end) if q is not None else _no(skipped, t, s, end, "date")
    try:
        dnum, st, amb = _parse(t[s:e], "count")
        dden, st2, amb2 = _parse(tail.group("den"), "count")
    except ValueError:
        return None, end
    a = _after(t, f, end)
    uend = a.end if a.kind else end
    count_unit = a.kind == "unit" and a.noun is not None and a.noun in _COUNT_NOUNS and not a.per
    plan = not count_unit and _PLAN_AFTER.match(f, uend) is not None
    integer = st.decimal is None and st2.decimal is None
    # a score out of 10, 100 or 1000 is a part of its whole too: "92,5/100 điểm"
    score = st2.decimal is None and dden in (10, 100, 1000)
    if (integer or score) and dnum <= dden and not plan:
        unit = _nfc_unit(t[a.unit_start:a.end]) if count_unit or (score and a.kind == "unit") else None
        fend = a.end if count_unit or unit else end
        return Quantity(
            start=s, end=fend, raw=t[s:fend], value=int(dnum) if integer else float(dnum), kind="fraction",
            unit=unit, qualifier=None,
            num_start=s, num_end=e, style=st, denominator=int(dden), ambiguous=amb or amb2,
        ), end
    if integer and not plan and a.kind is None:
        q = _day_month(t, f, s, end)  # "28/7" alone
        if q is not None:
            q.ambiguous = True
            return q, end
    return _pair(t, f, s, e, tail, a), uend


_TIME_UNITS = frozenset(("năm", "tháng", "ngày"))
_NAMING_TAILS = tuple(set(_ORDINAL_WORDS) | set(_IDENT_WORDS) | set(_NAME_WORDS) | {"số"})  # a fast first test
_DATE_NEXT = re.compile(r"[ \t]+(?:(?:19|20)[0-9]{2}(?![0-9])|[0-9]{1,2}[/.-][0-9]{1,2}|(?:nay|này|qua|trước|tới)(?!\w))")


def _named(f: str, wl: str, a: _After) -> str | None:
    """What the same-line text ``wl`` before a number followed by ``a`` makes of it: "ordinal",
    "document" ("Số: 12"), "identifier" (a naming noun, "số" may stand between), or None."""
    o = _ends_word(wl, _ORDINAL_WORDS)
    if o == "số:":  # "Số: 12" heads a document; "Tổng số: 656 hộ", "Dân số: 7.687 người" are counts
        wl = wl[:-3].rstrip()
        if not any(c.isalpha() for c in wl):
            return "document"
    elif o is not None:
        return "ordinal"
    so = o == "số:"
    if not so and _ends_word(wl, ("số",)):  # "Tổ dân phố số 5", "tiêu chí số 17"
        wl, so = wl[:-2].rstrip(), True
    if not a.kind:
        if _ends_word(wl, _IDENT_WORDS) or _ends_word(wl, _NAME_WORDS):
            return "identifier"
    elif a.kind == "unit" and a.noun in _TIME_UNITS and (so or _DATE_NEXT.match(f, a.end)) and (
        _ends_word(wl, _NAME_WORDS) or (so and _ends_word(wl, _IDENT_WORDS))
    ):
        return "identifier"  # "Quyết định 1719 năm 2021", "Quyết định số 123 ngày 5/3/2020"
    return None


_VERSION = re.compile(r"[0-9]{1,2}\.[0-9]")
_THOUSANDS = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+")
_N_IN_M = re.compile(r"[ \t]+trong[ \t]+[0-9]{1,2}(?![0-9.,/])")
_NAME_HEAD = re.compile(r"(?<!\w)" + _alt(_NAME_HEADS) + r"[ \t]+$")


_PERIOD_NEXT = re.compile(r"[ \t]+" + _alt(_PERIOD_AFTER) + r"(?!\w)")
_ACRONYM_END = re.compile(r"(?<!\w)[A-ZĐ][A-ZĐ&]{1,6}[ \t]+$")
_CLOCK_REST = re.compile(r"[ \t]+[0-9]{1,2}[ \t]+phút")
_DASHES = ("-", "\u2013", "\u2014")
_ID_NEXT = re.compile(r"(?:[ \t]*,[ \t]*|[ \t]+và[ \t]+)([0-9]{1,3})(?![0-9]|[.,/][0-9])")


def _id_list(t: str, f: str, e: int, what: str) -> int:
    """Where a list of names by number ends: "Phường 4, 5, 7, 9, 12 và 14" names six wards; a
    number with a unit after it ends the list before it ("thôn 3, 15 hộ": 15 hộ is a count)."""
    if what != "identifier":
        return e
    while (m := _ID_NEXT.match(f, e)) is not None and _after(t, f, m.end(1)).kind is None:
        e = m.end(1)
    return e


_LOWER_RUN = re.compile(r"(?<![^\W\d_])[^\W\d_A-ZĐ]{2,}$")
_GROUPED = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+")


def _glued_typo(t: str, f: str, s: int, e: int) -> bool:
    """Digits glued to a lowercase word that are a count all the same: grouped thousands and a counted
    noun after them ("trợ giúp14.860 hộ nghèo"); codes are capitals or short ("QL3", "H5N1", "30a")."""
    if not _GROUPED.fullmatch(t, s, e) or _LOWER_RUN.search(t, max(0, s - 12), s) is None:
        return False
    a = _after(t, f, e)
    return a.kind == "unit" and a.noun in _COUNT_NOUNS


_OPEN_QUOTES = "“\"«"
_CLOSE_QUOTES = "”\"»"


def _in_slogan(t: str, s: int, e: int) -> bool:
    """A number inside a short quoted phrase ("“3 gặp, 4 biết”", at most 30 characters, one line)."""
    a = max(t.rfind(q, max(0, s - 30), s) for q in _OPEN_QUOTES)
    if a < 0 or "\n" in t[a:s]:
        return False
    z = min((i for i in (t.find(q, e, e + 30) for q in _CLOSE_QUOTES) if i >= 0), default=-1)
    return z >= 0 and "\n" not in t[e:z] and z - a <= 32


_CALENDAR_MAX = {"tháng": 12, "ngày": 31, "quý": 4, "mồng": 31, "mùng": 31}
_CALENDAR_WORDS = tuple(_CALENDAR_MAX)


def _out_of_calendar(wl: str, tok: str) -> bool:
    """A number after a calendar word that no month, day or quarter can be ("tháng 955")."""
    w = _ends_word(wl, _CALENDAR_WORDS)
    return w is not None and tok.isdigit() and not 1 <= int(tok) <= _CALENDAR_MAX[w]


def _names_it(f: str, w: str, a: _After) -> bool:
    """The same-line text ``w`` (a dash or an acronym taken off its end) ends with a word that names
    the number after it."""
    return w.endswith(_NAMING_TAILS) and _named(f, w, a) == "identifier"


def _n_in_1(f: str, e: int, what: str) -> int:
    """Where a naming number ends: "Tổ công tác 4 trong 1" is named by "4 trong 1" as a whole."""
    m = _N_IN_M.match(f, e) if what == "identifier" else None
    return m.end() if m else e


_UPPER_VI = "A-ZĐÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
_CAP_NAME_END = re.compile(rf"(?:[{_UPPER_VI}][^\W\d_]*[ \t]+){{1,4}}$")


_CODE_BEFORE = re.compile(
    rf"(?<!\w)[a-zđà-ỹ]+[ \t]+(?P<code>[{_UPPER_VI}]{{{_CODE_LETTERS[0]},{_CODE_LETTERS[1]}}})[ \t]+$")
_ROMAN_LETTERS = frozenset("IVXLCDM")


def _coded_name(t: str, f: str, s: int) -> bool:
    """A whole number named by a capital-letter code inside a noun phrase: a lower-case word, the
    code, the number ("giống chè PH 8", "tuyến ĐT 741"); a Roman numeral ("Khóa XIV") is no code."""
    ls = max(f.rfind("\n", 0, s) + 1, s - 40)
    m = _CODE_BEFORE.search(t, ls, s)
    return m is not None and not set(m.group("code")) <= _ROMAN_LETTERS


def _named_place(t: str, f: str, s: int) -> bool:
    """A number that ends a proper name: one to four capitalised words right before it, after a
    head word of name_heads ("xã Lạc Dương 3", "trường Tiểu học Tân Lập 2")."""
    ls = max(f.rfind("\n", 0, s) + 1, s - 80)
    so = _SO_BEFORE.search(f, ls, s)
    if so is not None:  # "Trường Tiểu học số 2", "Trường Mầm non số 1": a head, a capitalised name, "số"
        h = _HEAD_NAMED_SO.search(f, max(ls, s - 40), so.start())
        if h is not None and t[h.end():h.end() + 1].isupper() and h.end() < so.start():
            return True
    m = _CAP_NAME_END.search(t, ls, so.start() if so else s)
    if m is None:
        return False
    if _NAME_HEAD.search(f, ls, m.start()) is not None:
        return True
    # the head capitalised at the start of the run: "Xã Gia Tân 3 tái đạt chuẩn"
    # (one space before the number: "Thôn Đông\t120" is a row of a table typed with tabs)
    h = _HEAD_START.match(f, m.start(), s)
    return h is not None and h.end() < s and t[s - 2:s - 1] not in (" ", "\t") and t[s - 1] == " "


_HEAD_NAMED_SO = re.compile(r"(?<!\w)" + _alt(_NAME_HEADS) + r"[ \t]+(?=[^,;.:()]*$)")
_SO_BEFORE = re.compile(r"(?<=[ \t])số[ \t]+$")
_HEAD_START = re.compile(_alt(_NAME_HEADS) + r"[ \t]+(?=\S)")
_TITLE_LINE = re.compile(rf"[ \t]*(?:[{_UPPER_VI}][^\W\d_]*[ ]){{2,5}}")


def _title_name(t: str, s: int, e: int) -> bool:
    """A number ending a line that is a name and nothing else: two to five capitalised words, one
    space apart, then the number ("Hang Trùng 1", "TK Sao Đỏ 2" in a list of hamlets)."""
    ls = t.rfind("\n", 0, s) + 1
    le = t.find("\n", e)
    rest = t[e:] if le < 0 else t[e:le]
    if rest.strip():
        return False
    m = _TITLE_LINE.fullmatch(t, ls, s)
    return m is not None


def _number_at(
    t: str, f: str, s: int, e: int, floor: int, skipped: list[NotQuantity] | None = None
) -> tuple[Quantity | None, int]:
    """The quantity whose number token is t[s:e] (None when it is no quantity), and where to go on.

    The number is classified by its context before it is made a quantity: a code, a footnote, a
    telephone or document number, a time, a date, a map scale, a section marker, an ordinal, an
    identifier, a year or a span of years is none (recorded in ``skipped`` with what it is)."""
    tok = f[s:e]
    n = len(f)
    if len(tok) - tok.count(".") - tok.count(",") > _MAXD:
        return _no(skipped, t, s, e, "long")
    prev = f[s - 1] if s else ""
    prev2 = f[s - 2] if s > 1 else ""
    if prev == "/" or (prev == ":" and prev2.isdigit()):
        return None, e  # the rest of a slash chain or of a time, passed over with its start
    # QL3, Covid-19, ĐT.254, GMT+7, the "+200" of "Km 15+200"; not "trợ giúp14.860 hộ nghèo" (a space lost)
    if (prev.isalpha() and not _glued_typo(t, f, s, e)) or (prev in "-.+" and prev2.isalpha()) or (
            prev == "+" and prev2.isdigit()):
        return _no(skipped, t, s, e, "code")
    nxt = f[e:e + 1]
    if (prev == "[" and nxt == "]") or (prev == "(" and prev2.isalpha() and nxt == ")" and len(tok) <= 2):
        return _no(skipped, t, s, e + 1, "footnote")  # "sản phẩm[1]", "hộ nghèo(1)"
    line = _window(f, s, 40, same_line=True)
    # telephone numbers: after "Điện thoại:" or shaped like one
    wl = line.rstrip(" \t:.")
    if wl and _ends_word(wl, _PHONE_WORDS):
        m = _PHONE_REST.match(f, s)
        return _no(skipped, t, s, m.end() if m else e, "phone")
    if tok[0] == "0":
        m = _PHONE_SHAPE.match(f, s)
        if m:
            return _no(skipped, t, s, m.end(), "phone")
    if tok == "1" and nxt in ":/ " and _ends_word(line.rstrip(), _SCALE_WORDS):
        m = _SCALE_SHAPE.match(f, s)
        if m:
            return _no(skipped, t, s, m.end(), "scale")  # "tỷ lệ 1/500", "tỷ lệ 1:2.000"
    if (nxt in ("-", ".") and len(tok) <= 2) or ("." in tok and len(tok) <= 5):  # "Sáng 19-3", "Chiều 26.2"
        dm = _DAY_MONTH.match(f, s)
        # a unit after it makes it a range ("mỗi ngày 2-3 lần") or a decimal, unless D-M falls
        if dm is not None and dm.group(2) != "/" and _DATE_CTX.search(line) and (
            _after(t, f, dm.end()).kind is None or (dm.group(2) == "-" and int(dm.group(1)) > int(dm.group(3)))
        ):
            q = _day_month(t, f, s, dm.end())
            return (q, dm.end()) if q is not None else _no(skipped, t, s, dm.end(), "date")
    tail = _TAIL.match(f, e)
    if tail is not None:
        if tail.group("time"):
            return _no(skipped, t, s, tail.end(), "time")
        if tail.group("doc"):
            sym = tail.start("sym") if tail.group("sym") else tail.start("sym2")
            if t[sym:sym + 1].isupper():
                return _no(skipped, t, s, tail.end(), "document")  # 7253/UBND-VP, 57-KL/TW, 198  /BC-UBND
        elif tail.group("frac"):
            q, pos = _slash(t, f, s, e, tail, line, skipped)
            if q is not None and q.plan is not None:
                qual, qs = _qualifier(t, f, s, floor)
                if qual is not None:
                    q.qualifier, q.start, q.raw = qual, qs, t[qs:q.end]
            return q, pos
    a = _after(t, f, e)
    has_unit = a.kind is not None
    if a.kind == "unit" and a.noun == "tháng" and _PERIOD_NEXT.match(f, a.end):
        return _no(skipped, t, s, a.end, "period")  # "6 tháng đầu năm": the report's period
    if not has_unit and e < n and f[e].isalpha():
        j = e
        while j < n and f[j].isalnum():
            j += 1
        return _no(skipped, t, s, j, "code")  # glued to letters that are no unit: "30a", "5G", "4E"
    plain = tok.isdigit()
    # section markers at the start of a line: "1.", "1)", "1.1", "1.1.", "(1)", "2-Điều kiện"
    if line.strip(" \t") in ("", "(") and not (a.kind in ("percent", "money") or a.per):
        after_nxt = f[e + 1:e + 2]
        if line.strip(" \t") == "(" and nxt == ")" and plain:
            return _no(skipped, t, s, e + 1, "section")
        if line.strip(" \t") == "" and plain and len(tok) <= 2 and nxt in _SECTION_CLOSERS and (
            after_nxt == "" or after_nxt.isspace() or t[e + 1:e + 2].isupper()
        ):
            return _no(skipped, t, s, e + 1, "section")
        if line.strip(" \t") == "" and _SECTION_DOTTED.fullmatch(tok) and not has_unit and (
            nxt in (".", "", "\n") or (nxt.isspace() and f[e + 1:e + 2].isalpha())
        ):
            return _no(skipped, t, s, e + (1 if nxt == "." else 0), "section")
    wl = line.rstrip()
    if wl and wl.endswith(_NAMING_TAILS):
        what = _named(f, wl, a)
        if what == "ordinal" and _out_of_calendar(wl, tok):
            what = None  # "trong 6 tháng 955 tỷ đồng": no 955th month, an amount after a period
        if what is not None:
            return _no(skipped, t, s, _id_list(t, f, _n_in_1(f, e, what), what), what)
    elif not has_unit and (am := _ACRONYM_END.search(t, max(0, s - 12), s)) is not None:
        # an acronym between a name and its number: "Chương trình MTQG 135", "Đề án KH&CN 06"
        if _names_it(f, f[max(0, s - 40):am.start()].rstrip(), a):
            return _no(skipped, t, s, e, "identifier")
    if a.kind == "unit" and a.noun == "giờ" and wl and _ends_word(wl, ("lúc", "vào lúc")):
        m = _CLOCK_REST.match(f, a.end)
        return _no(skipped, t, s, m.end() if m else a.end, "time")  # "lúc 14 giờ 30 phút": a time of day
    if not has_unit and wl.endswith(_DASHES):  # "Covid - 19", "Covid -19": a dash between name and number
        wd = wl.rstrip("".join(_DASHES) + " \t")
        if wd != wl and _names_it(f, wd, a):
            return _no(skipped, t, s, e, "identifier")
    if not has_unit and _in_slogan(t, s, e):
        return _no(skipped, t, s, e, "identifier")  # “3 gặp, 4 biết”, “5 không, 3 sạch”: a slogan's words
    if not has_unit:
        if _VERSION.fullmatch(tok):  # "chỉ số DDCI 2.0", "công nghiệp 4.0": a version, no decimal
            return _no(skipped, t, s, e, "identifier")
        if "." in tok and not _THOUSANDS.fullmatch(tok) and "," not in tok:
            return _no(skipped, t, s, e, "code")  # "1.009876": no thousands grouping, no decimal comma
        if _named_place(t, f, s) or _title_name(t, s, e):
            return _no(skipped, t, s, e, "identifier")  # "xã Lạc Dương 3", "Hang Trùng 1"
        if tok.isdigit() and _coded_name(t, f, s):
            return _no(skipped, t, s, e, "identifier")  # "giống chè PH 8"
        m_in = _N_IN_M.match(f, e)
        if m_in and _after(t, f, m_in.end()).kind is None:
            return _no(skipped, t, s, m_in.end(), "identifier")  # "mô hình 4 trong 1"
    ambiguous_year = False
    if plain and len(tok) == 4 and a.kind == "unit" and a.noun in _COUNT_NOUNS and 1900 <= int(tok) <= 2100 and (
        wl and _ends_word(wl, _YEAR_NOUNS)
    ):
        return _no(skipped, t, s, e, "year")  # "năm 2024 Đảng bộ ...": a noun after a year starts a clause
    if plain and len(tok) == 4 and 1900 <= int(tok) <= 2100 and a.kind not in ("unit", "percent", "money", "scale"):
        r = _RANGE_AFTER.match(f, e)
        if r:
            return _no(skipped, t, s, r.end(), "term")
        if _RANGE_BEFORE.search(f, max(0, s - 12), s):
            return _no(skipped, t, s, e, "term")
        w = _window(f, s, 24, same_line=False).rstrip()
        if w and _ends_word(w, _YEAR_WORDS):
            return _no(skipped, t, s, e, "year")
        if prev == "(" and nxt == ")":
            return _no(skipped, t, s, e + 1, "year")
        ambiguous_year = True
    q = _compound(t, f, _build(t, f, s, e, a))
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


def _find(text: str, skipped: list[NotQuantity] | None = None) -> list[Quantity]:
    f = fold(text)
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
                q, pos = _date_quantity(text, f, s, e, skipped), e
            elif c.group() == "không có":
                q, pos = _zero_at(text, f, s, e), e
            elif c.group().isdigit():
                tm = _NUM_TOKEN.match(f, s)
                if tm is None:  # a digit right after another number's digits
                    pos = e
                    continue
                e = tm.end()
                q, pos = _number_at(text, f, s, e, floor, skipped)
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
    """Every quantity in ``text``, in order and non-overlapping.

    A quantity is a number with its unit or counted noun ("1.422 hộ", "284,62 ha", "652ha"), an
    amount of money or a rate ("500.000đồng/xuất", "trên 182 triệu đồng"), a percentage, a
    fraction ("14/18"), a date ("ngày 08/11/2024"), a bare number ("là 280 trong đó") or the
    explicit zero "Không có" standing alone after a colon. A qualifier word before the number
    (khoảng, gần, ước đạt, trên, hơn, dưới, chưa đến ...) is part of ``raw``.

    What is no quantity becomes nothing (see :func:`not_quantities` for what each is): years
    ("năm 2024", "năm 2024 Đảng bộ ...", "Tết Nguyên đán 2024"), spans of years ("nhiệm kỳ 2020 -
    2025"), telephone and document numbers ("7253/UBND-VP", "57-KL/TW"), section markers at the
    start of a line ("1.", "1.1", "2-Điều kiện"), identifiers ("Lữ đoàn 134", "Thôn 3", "tiêu chí
    số 11", "Chương trình 135"), ordinals ("lần thứ 2", "kỳ họp thứ 6"), codes ("Covid-19"),
    footnote markers ("sản phẩm[1]"), map scales ("tỷ lệ 1/500"), times ("3:16:17"), impossible
    dates ("31/02/2024") and digit runs longer than 30 digits.

    A day and a month written like a fraction or a decimal after a date word is a date without
    its year ("dịp 30/4", "Sáng 19-3", "Chiều 26.2"). "X/Y" is a fraction when X <= Y; X > Y (or a
    plan word, "X/Y KH") makes it an actual value with its ``plan``:

    >>> [(q.raw, q.kind, q.value) for q in find_quantities("(BDO) Sáng 19-3, Đại hội Đảng bộ; dịp 30/4")]
    [('19-3', 'date', '--03-19'), ('30/4', 'date', '--04-30')]
    >>> [(q.raw, q.kind, q.value) for q in find_quantities("(QNO) - Chiều 26.2, Huyện ủy Nông Sơn")]
    [('26.2', 'date', '--02-26')]
    >>> [(q.raw, q.kind, q.value, q.denominator) for q in find_quantities("đã thực hiện đạt và vượt 22/24 chỉ tiêu")]
    [('22/24 chỉ tiêu', 'fraction', 22, 24)]
    >>> [(q.raw, q.kind, q.value, q.unit, q.plan) for q in find_quantities("Sản lượng đạt 1.250/1.200 tấn, đạt 104% KH")]
    [('1.250/1.200 tấn', 'number', 1250, 'tấn', 1200), ('104%', 'percent', 104, '%', None)]
    >>> find_quantities("Xuân Quang là xã vùng 2; nhằm đạt tiêu chí số 11; tỷ lệ 1/500; năm 2024 Đảng bộ")
    []

    >>> text = "Toàn xã có 1.422 hộ, trên 50% hộ khá; diện tích 284,62 ha. Kinh phí 1,5 triệu đồng."
    >>> for q in find_quantities(text):
    ...     print(repr(q.raw), q.value, q.kind, q.unit, q.qualifier)
    '1.422 hộ' 1422 count hộ None
    'trên 50%' 50 percent % gt
    '284,62 ha' 284.62 decimal ha None
    '1,5 triệu đồng' 1500000 money đồng None
    >>> [(q.raw, q.value, q.qualifier) for q in find_quantities("Hộ nghèo: Không có")]
    [('Không có', 0, 'none')]
    >>> find_quantities("Công văn số 7253/UBND-VP năm 2024 của Lữ đoàn 134, điện thoại 0280.3871.234")
    []
    """
    if not isinstance(text, str) or not text:
        return []
    return _find(text)


def not_quantities(text: str) -> list[NotQuantity]:
    """The numbers of ``text`` that :func:`find_quantities` passes over, each with what it is
    (:data:`WHAT`): they are no quantity and become nothing, not even a generic figure.

    Before a number is made a count, an amount or a fraction it is classified with its context:
    the word before it (word lists of bcparse/data/numbers_vi.yaml: identifier, name, ordinal,
    year, date and scale words), the characters around it and its shape.

    >>> [(x.raw, x.what) for x in not_quantities("Thôn 3 và xóm 5 đạt tiêu chí số 17 theo Chương trình 135")]
    [('3', 'identifier'), ('5', 'identifier'), ('17', 'identifier'), ('135', 'identifier')]
    >>> [(x.raw, x.what) for x in not_quantities("Đại hội lần thứ 3, kỳ họp thứ 6, nhiệm kỳ 2020 - 2025")]
    [('3', 'ordinal'), ('6', 'ordinal'), ('2020 - 2025', 'term')]
    >>> [(x.raw, x.what) for x in not_quantities("năm 2024 Đảng bộ; dịp Tết Nguyên đán 2024; Covid-19")]
    [('2024', 'year'), ('2024', 'year'), ('19', 'code')]
    >>> [(x.raw, x.what) for x in not_quantities("quy hoạch chi tiết tỷ lệ 1/500 Cụm công nghiệp")]
    [('1/500', 'scale')]
    >>> [(x.raw, x.what) for x in not_quantities("tiêu thụ sản phẩm[1]. Trong năm 2018[2] ...")]
    [('1]', 'footnote'), ('2018', 'year'), ('2]', 'footnote')]
    >>> [(x.raw, x.what) for x in not_quantities("2-Điều kiện tự nhiên")]
    [('2-', 'section')]
    """
    if not isinstance(text, str) or not text:
        return []
    skipped: list[NotQuantity] = []
    _find(text, skipped)
    return skipped


def not_quantity_at(text: str, start: int) -> str | None:
    """What the number that starts at ``start`` in ``text`` is when it is no quantity (one of
    :data:`WHAT`, classified with its context exactly as :func:`find_quantities` does), or None.
    For readers that find a number by other means (grammar placeholders) and must not read it
    where its context says it names something.

    >>> text = "Thôn 3 có 120 hộ; Chương trình 135; dịp 30/4"
    >>> not_quantity_at(text, 5), not_quantity_at(text, 10), not_quantity_at(text, 31)
    ('identifier', None, 'identifier')
    """
    if not isinstance(text, str) or not 0 <= start < len(text) or not text[start].isdigit():
        return None
    f = fold(text)
    if len(f) != len(text):
        return None
    tm = _NUM_TOKEN.match(f, start)
    if tm is None or _DATE_FULL.match(f, start) is not None:
        return None
    skipped: list[NotQuantity] = []
    try:
        q, _ = _number_at(text, f, start, tm.end(), 0, skipped)
    except (ValueError, ArithmeticError, IndexError):
        return None
    return skipped[0].what if q is None and skipped else None


# editing a quantity in place


def format_value(q: Quantity, value: int | float | str) -> str:
    """The text to put at ``[q.num_start, q.num_end)`` so that ``q`` reads ``value``, written in
    the quantity's own style (money and counts with a magnitude word stay in that magnitude,
    words stay words, dates keep their layout).

    >>> q = find_quantities("đạt 1,5 triệu đồng")[0]
    >>> format_value(q, 2_250_000)
    '2,25'
    """
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
    if st.compound and st.scale:  # "8 tỷ 500 triệu": both parts, the smaller under 1000 of its kind
        m = _COMPOUND.match(fold(st.compound))
        assert m is not None
        upper, lower = scale_factor(st), _SCALES[" ".join(m.group("cscale").split())]
        hi, rest = divmod(int(value), upper) if float(value).is_integer() else (0, -1)
        head = _format(Decimal(hi), st, 0) + _scale_gap(st) + st.scale
        if rest == 0:
            return head
        if rest > 0 and rest % lower == 0:
            return head + st.compound[:m.start("cnum")] + str(rest // lower) + st.compound[m.end("cnum"):]
        d = _DEC_CTX.divide(_to_decimal(value), Decimal(upper))
        return _format(d.normalize(_DEC_CTX), st, 0) + _scale_gap(st) + st.scale
    if st.scale:
        d = _DEC_CTX.divide(_to_decimal(value), Decimal(scale_factor(st)))
        return _format(d.normalize(_DEC_CTX), st, 0)
    return format_number(value, st)
