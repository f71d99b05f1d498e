"""Amounts of VND: "500.000đ", "1,5 triệu đồng", "năm trăm nghìn đồng"."""

from __future__ import annotations

from decimal import Decimal

from ._data import _DEC_CTX
from .numerals import NumStyle, _format, _scale_gap, scale_factor
from .placeholders import _placeholder
from .words import to_words


def parse_money(s: str) -> tuple[int, NumStyle]:
    """An amount of VND as an int, and how it was written.

    "500.000đ", "500.000 đồng", "500.000 VNĐ" -> 500000; "1,5 triệu đồng" -> 1500000;
    "2 tỷ đồng", "596tỷđ", "1.184 tỷđ", "60trđ", "300 nghìn đồng", the typo "triệu đông";
    "năm trăm nghìn đồng" (words, style.words=True). A magnitude without a currency ("5 triệu")
    is read as VND too. A leading qualifier (trên, khoảng ...) and a trailing "/unit" of a rate
    ("500.000đồng/xuất") are accepted; the per-unit text is kept in ``style.unit``.
    Raises ValueError when the text is no amount of money.

    >>> parse_money("1,5 triệu đồng")[0], parse_money("500.000đ")[0], parse_money("596tỷđ")[0]
    (1500000, 500000, 596000000000)
    >>> value, style = parse_money("năm trăm nghìn đồng")
    >>> value, style.words
    (500000, True)
    >>> parse_money("trên 50%")
    Traceback (most recent call last):
    ...
    ValueError: not a money: 'trên 50%'
    """
    q = _placeholder("money", s, None, money_hint=True)
    if q.kind not in ("money", "rate") or not isinstance(q.value, int):
        raise ValueError(f"not an amount of money: {s!r}")
    return q.value, q.style


def format_money(vnd: int | float | Decimal, style: NumStyle) -> str:
    """Write an amount of VND in ``style``: the inverse of :func:`parse_money`.

    Stays in the magnitude it was read in ("1,5 triệu đồng" style writes 2_500_000 as
    "2,5 triệu đồng", with only the decimals the value needs), keeps "đồng" vs "đ", the spaces
    and the thousands dots ("500.000đ" style writes 1_950_000 as "1.950.000đ"); words stay words.

    >>> format_money(2_500_000, parse_money("1,5 triệu đồng")[1])
    '2,5 triệu đồng'
    >>> format_money(1_950_000, parse_money("500.000đ")[1])
    '1.950.000đ'
    """
    if isinstance(vnd, float) and vnd.is_integer():
        vnd = int(vnd)
    if isinstance(vnd, bool) or not isinstance(vnd, (int, Decimal)):
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
