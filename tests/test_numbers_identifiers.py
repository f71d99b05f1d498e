"""Identifiers and versions are no quantities, glued units are units (issue 19, items 6 and 7),
in ``--all`` too; read from tests/data/structure/, laid out as real department reports are."""

from __future__ import annotations

from pathlib import Path

import pytest

import bcparse
from bcparse.numbers import find_quantities, not_quantities

DATA = Path(__file__).resolve().parent / "data" / "structure"


def _all(name: str) -> tuple[str, list[bcparse.Figure]]:
    r = bcparse.parse(DATA / name)
    return r.text, r.figures(all=True)


def _numbers_in(text: str, figs: list[bcparse.Figure], phrase: str) -> list[tuple[str, object]]:
    a = text.index(phrase)
    b = a + len(phrase)
    return [(f.raw, f.value) for f in figs if f.span.offset is not None and a <= f.span.offset < b
            and not (f.key or "").startswith(("ref.", "doc."))]


@pytest.mark.parametrize("phrase", [
    "Phường 2", "xã Lạc Dương 3", "Chương trình 07", "chỉ số DDCI 2.0", "mức độ 4", "mã thủ tục 1.009876",
    "Khoản 3 Điều 12", "quý 2/2025", "Nghị quyết 57-NQ/TW", "Quyết định 1847",
])
def test_identifiers_are_no_quantities(phrase: str) -> None:
    text, figs = _all("congvan-two-columns.txt")
    assert _numbers_in(text, figs, phrase) == []


@pytest.mark.parametrize("phrase", ["Tổ công tác 4 trong 1", "BAN CHỈ ĐẠO 389"])
def test_named_teams_are_no_quantities(phrase: str) -> None:
    text, figs = _all("steering-closing.txt")
    assert _numbers_in(text, figs, phrase) == []


def test_part_whole_scores() -> None:
    text, figs = _all("congvan-two-columns.txt")
    got = {f.raw: f for f in figs if f.raw in ("15/20 hồ sơ", "92,5/100 điểm")}
    assert got["15/20 hồ sơ"].value == 15 and got["15/20 hồ sơ"].unit == "hồ sơ"
    assert got["92,5/100 điểm"].value == 92.5 and got["92,5/100 điểm"].plan is None  # no plan: a score
    qs = {q.raw: q for q in find_quantities("đạt 92,5/100 điểm, 15/20 hồ sơ")}
    assert qs["92,5/100 điểm"].kind == "fraction" and qs["92,5/100 điểm"].denominator == 100
    assert qs["15/20 hồ sơ"].kind == "fraction" and qs["15/20 hồ sơ"].denominator == 20


def test_glued_units() -> None:
    text, figs = _all("steering-closing.txt")
    got = {f.raw: (f.value, f.unit) for f in figs if f.key is None}
    assert got["224.282 tỷđồng"] == (224_282_000_000_000, "đồng")
    assert got["1.031.200con"] == (1_031_200, "con")
    assert got["38,6trđ"] == (38_600_000, "đồng")


def test_what_each_is() -> None:
    got = [(x.raw, x.what) for x in not_quantities(
        "quý 2/2025 xã Lạc Dương 3 đạt chỉ số DDCI 2.0, mã thủ tục 1.009876, mô hình 4 trong 1")]
    assert got == [("2/2025", "ordinal"), ("3", "identifier"), ("2.0", "identifier"),
                   ("1.009876", "identifier"), ("4 trong 1", "identifier")]
    # a unit after the number keeps it a quantity
    assert [q.raw for q in find_quantities("xã Lạc Dương 3 hộ nghèo; 3 trong 5 xã")] == ["3 hộ nghèo", "3", "5 xã"]


def test_capital_letter_code_names_the_number_after_it() -> None:
    # a tea variety, a rice variety: a code of 1-4 capitals after a lower-case noun names the number
    text = "trồng mới 25 ha chè, chủ yếu là giống chè PH 8 và giống chè LDP 1, giống lúa ST 25"
    assert [q.raw for q in find_quantities(text)] == ["25 ha"]
    assert [(x.raw, x.what) for x in not_quantities(text)] == [("8", "identifier"), ("1", "identifier"),
                                                              ("25", "identifier")]
    # a unit after it keeps the number a quantity; a Roman numeral is no code; a decimal is a value
    assert [q.raw for q in find_quantities("giống chè PH 8 ha; khóa XIV 12 đại biểu; chỉ số CPI 3,5")] == [
        "8 ha", "12 đại biểu", "3,5"]
