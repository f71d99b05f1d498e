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


# names and periods that real reports write with a number (development texts of tests/data/real:
# 402, 413, 417, 426, 441, 443, 458, 007); each was read as a bare quantity before
@pytest.mark.parametrize("text, names", [
    ("ảnh hưởng của dịch bệnh Covid - 19 nên", "19"),            # a dash with spaces between name and number
    ("do dịch covid – 19", "19"),
    ("Xã Gia Tân 3 tái đạt chuẩn nông thôn mới năm 2019", "3"),  # the head capitalised at the run's start
    ("không còn hộ nghèo (Phường 4, 5, 7, 9, 12 và 14), các phường", "4 5 7 9 12 14"),  # a list of names
    ("Từ ngày mồng 7 đến ngày 23/10, Hội đồng", "7"),            # a day without "ngày"
    ("Cập nhật lúc 22:26, Thứ Hai, 01/01/2018 (GMT+7)", "7"),    # a time zone
    ("120 Đ/c có trình độ văn hoá tốt nghiệp cấp 3 chiếm 96 %", "3"),  # a school level
    ("Hang Trùng 1\nTK Sao Đỏ 2\n", "1 2"),                      # a line that is a name only
    ("phương hướng nhiệm vụ 3 tháng cuối năm 2018", "3"),         # the report's period
    ("kết quả thực hiện 6 tháng đầu năm, phương hướng", "6"),
    # shapes of the same classes no fixture holds yet
    ("nguồn vốn Chương trình MTQG 135, các xã", "135"),            # an acronym between name and number
    ("nguồn vốn Chương trình 135 năm nay", "135"),                 # "năm nay" is this year, no span of years
    ("Trường Tiểu học số 2 có 300 học sinh", "2"),                 # a school named with "số"
    ("vào lúc 14 giờ 30 phút", "14 30"),                           # a time of day
    ("sạt lở tại Km 15+200 Quốc lộ 14", "15 200 14"),              # a kilometre post
    ("tiến hành thâm nhập “3 gặp, 4 biết” đối với các thanh niên", "3 4"),  # real/419: a slogan's words
])
def test_names_and_periods_are_no_quantities(text: str, names: str) -> None:
    got = {q.raw.split()[0] for q in find_quantities(text)}
    assert not got & set(names.split())
    skipped = {n.raw.strip() for n in not_quantities(text)}
    assert set(names.split()) <= {w for s in skipped for w in s.replace(",", " ").split()}


@pytest.mark.parametrize("text, want", [
    ("thôn 3, 15 hộ", [("15 hộ", 15)]),              # a list of names stops at a number with a unit
    ("Thôn Đông\t120\n", [("120", 120)]),          # a row of a table typed with tabs keeps its number
    ("đã cấp 120 thẻ BHYT", [("120 thẻ", 120)]),   # "cấp" a verb before a counted noun
    ("mỗi năm làm việc 6 tháng", [("6 tháng", 6)]),  # a span of months, no period name
    ("Toàn xã có 5 thôn, 3 bản", [("5 thôn", 5), ("3 bản", 3)]),
    ("Trường Tiểu học số 2 có 300 học sinh", [("300 học sinh", 300)]),
    ("trường học số 2 có 300 học sinh", [("2", 2), ("300 học sinh", 300)]),  # no name: "số 2" may count
    ("đường dài 15 km", [("15 km", 15)]),
    ("mỗi buổi học 2 giờ", [("2 giờ", 2)]),                                  # a span of hours
    ("đạt danh hiệu “Gia đình văn hóa” 3 năm liền", [("3 năm", 3)]),           # after a quoted name
    ("“có 25 hộ nghèo”", [("25 hộ nghèo", 25)]),                              # a count quoted
])
def test_counts_beside_names_stay(text: str, want: list[tuple[str, object]]) -> None:
    assert [(q.raw, q.value) for q in find_quantities(text)] == want


def test_cash_after_dong_keeps_the_currency() -> None:
    # real-more/326: "… mứt và 100 ngàn đồng tiền mặt" is an amount of cash; "đồng tiền xu" are coins
    q = find_quantities("bánh, mứt và 100 ngàn đồng tiền mặt.")
    assert [(x.raw, x.value, x.kind) for x in q] == [("100 ngàn đồng", 100000, "money")]
    assert [x.kind for x in find_quantities("5 đồng tiền xu")] == ["number"]


@pytest.mark.parametrize("text, want", [
    # real-more/306: no 955th month: an amount after a period of six months
    ("Giá trị sản xuất ngành dịch vụ ước thực hiện trong 6 tháng 955 tỷ đồng, đạt 50,26% kế hoạch",
     ("955 tỷ đồng", 955_000_000_000)),
    # real/447: a space lost between a word and a count with grouped thousands
    ("còn trích ngân sách trợ giúp14.860 hộ nghèo, 56.000 đối tượng", ("14.860 hộ nghèo", 14860)),
])
def test_numbers_that_looked_like_names(text: str, want: tuple[str, object]) -> None:
    assert want in [(q.raw, q.value) for q in find_quantities(text)]


@pytest.mark.parametrize("text", ["tháng 12 năm 2024", "QL3 và H5N1", "quý 2 năm 2024", "Hoá chất pH8"])
def test_calendar_words_and_codes_still_name(text: str) -> None:
    assert [q.kind for q in find_quantities(text) if q.kind != "date"] == []


def test_capital_letter_code_names_the_number_after_it() -> None:
    # a tea variety, a rice variety: a code of 1-4 capitals after a lower-case noun names the number
    text = "trồng mới 25 ha chè, chủ yếu là giống chè PH 8 và giống chè LDP 1, giống lúa ST 25"
    assert [q.raw for q in find_quantities(text)] == ["25 ha"]
    assert [(x.raw, x.what) for x in not_quantities(text)] == [("8", "identifier"), ("1", "identifier"),
                                                              ("25", "identifier")]
    # a unit after it keeps the number a quantity; a Roman numeral is no code; a decimal is a value
    assert [q.raw for q in find_quantities("giống chè PH 8 ha; khóa XIV 12 đại biểu; chỉ số CPI 3,5")] == [
        "8 ha", "12 đại biểu", "3,5"]
