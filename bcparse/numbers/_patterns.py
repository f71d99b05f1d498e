"""Regex sources and compiled patterns shared by the scanner, the placeholders and the dates."""

from __future__ import annotations

import re

from ._data import (
    _COUNT_NOUNS,
    _CURRENCY,
    _CURRENCY_AFTER_SCALE,
    _DATA,
    _DATE_WORDS,
    _DIGIT_WORDS,
    _DONG_NOT,
    _DONG_YES,
    _HALF,
    _MAXD,
    _MEASURE,
    _MULTIPLIERS,
    _NOT_AFTER_SCALE,
    _NOT_AFTER_UNIT,
    _PLAN_WORDS,
    _QUAL_WORDS,
    _SCALE_MONEY,
    _SCALES,
    _TENS,
    _ZERO_TENS,
    _alt,
)

# ---------------------------------------------------------------------------------------------
# Regex sources. Everything matches the folded text (lower case); PATTERNS use no groups.

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
_DONG_NOT_LA = rf"(?![ \t]+(?!{_alt(_DONG_YES)}(?!\w)){_alt(_DONG_NOT)}(?!\w))"
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
# the rest of a compound amount: "8 tỷ 500 triệu đồng", "3 tỷ 161 triệu  đồng" (a smaller magnitude
# after a larger one, under 1000 of it; quantities._compound checks the order)
_COMPOUND_SRC = (
    rf"[ \t]+(?P<cnum>[0-9]{{1,3}})(?![0-9.,])[ \t]?(?P<cscale>{_alt(_SCALES)})(?!\w)(?![ \t]+{_alt(_NOT_AFTER_SCALE)}(?!\w))"
    rf"(?:[ \t]{{0,2}}(?P<ccur>{_CUR_ANY})(?!\w){_DONG_NOT_LA})?"
)
_COMPOUND_PAT = _COMPOUND_SRC.replace("?P<cnum>", "?:").replace("?P<cscale>", "?:").replace("?P<ccur>", "?:")

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
    "num": rf"{_NB}{_NUM}{_NA}(?:[ \t]?{_SCALE})?",  # "77 ngàn ha": a magnitude word may follow
    "money": rf"{_MONEY_CORE}(?:{_COMPOUND_PAT})?(?![ \t]?/[ \t]?{_L})",
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

_CANDIDATE = re.compile(r"[0-9]|ngày|tháng|không có")  # where a quantity may start (fast scan)
_CURRENCY_WORD = re.compile(rf"{_CUR}(?!\w)")  # the word start is checked in code (faster scan)
_DATE_FULL = re.compile(_DATE_SRC)
_COMPOUND = re.compile(_COMPOUND_SRC)
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
_ZERO_WORDS = re.compile(rf"\s*{_alt(_DATA['zero_words'])}\s*[.;]?\s*")

# what a number is by its context (quantities._number_at): a day and a month after a date word
# ("dịp 30/4", "Sáng 19-3", "Chiều 26.2", "Ngày 4 và 5-3"), a map scale, an actual/plan pair
_DAY_MONTH = re.compile(r"([0-9]{1,2})([/.-])([0-9]{1,2})(?![0-9])(?![.,/-][0-9])")
_DATE_CTX = re.compile(
    rf"(?<!\w){_alt(_DATE_WORDS)}[ \t]*"
    r"(?:[0-9]{1,2}(?:[/.-][0-9]{1,2})?[ \t]*(?:,|và|-|–|đến|tới)[ \t]*)*$"
)
_SCALE_SHAPE = re.compile(  # 1/500, 1:2.000, 1/10000 (1/2 or 1/50 is no map scale)
    r"1[ \t]*[:/][ \t]*(?:[1-9][0-9]{2,}|[1-9][0-9]{0,2}(?:[.,][0-9]{3})+)(?![0-9])(?![.,][0-9])"
)
# a plan word right after "X/Y (unit)" or closing its clause: "X/Y KH", "X/Y tấn, đạt 96% KH"
_PLAN_AFTER = re.compile(rf"[^.;\n]{{0,40}}?(?<!\w){_alt(_PLAN_WORDS)}(?!\w)")
