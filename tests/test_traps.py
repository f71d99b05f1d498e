"""Numbers that are no quantity (issue 13, "Not quantities at all"), with sentences from real texts.

An identifier, an ordinal, a span of years, a year, a footnote marker, a map scale or a section
marker becomes nothing (bcparse.numbers.not_quantities says what it is); a day and a month written
like a fraction or a decimal is a date; "X/Y" that cannot be a part of a whole is an actual value
with its plan, not a fraction; and a grammar placeholder does not read any of them either.
Sentences are quoted from samples/, tests/data/real/ and the development split of
tests/data/real-more/ (the file is named after each).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import bcparse
from bcparse.numbers import find_quantities, not_quantities, not_quantity_at

ROOT = Path(__file__).resolve().parent.parent
REAL_MORE = ROOT / "tests" / "data" / "real-more"


def _overlapping(text: str, part: str) -> list[Any]:
    a = text.index(part)
    b = a + len(part)
    return [q for q in find_quantities(text) if q.start < b and q.end > a]


# (sentence, the number in it, what it is)
NOT_QUANTITIES = [
    # 301_xa-xuan-quang-gioi-thieu
    ("Đặc điểm tự nhiên: Xuân Quang là xã vùng 2 của huyện Bảo Thắng, với tổng diện tích", "2", "identifier"),
    ("Dân cư phân bố chủ yếu dọc đường quốc lộ 70 và 4E.", "70", "identifier"),
    # 322_xa-my-thanh-ho-ngheo-2019
    ("xã Mỹ Thạnh đã kéo giảm 90 hộ nghèo toàn xã nhằm đạt tiêu chí số 11 về Hộ nghèo", "11", "identifier"),
    # 315_xa-tam-phuoc-ke-hoach-2022
    ("- Huy động trẻ em 6 tuổi vào lớp 1 đạt 100%.", "1 đạt", "identifier"),
    # 306_tx-huong-thuy-ktxh-6thang-2018
    ("Đã phê duyệt quy hoạch chi tiết tỷ lệ 1/500 Cụm công nghiệp Thủy Phương với quy mô diện tích 74,8 ha.",
     "1/500", "scale"),
    ("giới thiệu, quảng bá, tiêu thụ sản phẩm[1].", "1", "footnote"),
    ("phát triển công nghiệp, tiểu thủ công nghiệp địa phương từ các nguồn vốn[2]. Tích cực huy động", "2",
     "footnote"),
    # 305_xa-chieng-dong-don-vi-dan-cu
    ("huyện Mai Sơn.\n\n2-Điều kiện tự nhiên:\n\n- Diện tích: 72,44 km².", "2", "section"),
    # 307_phuong-hoa-hieu-ktxh-6thang-2018
    ("HĐND phường Hòa Hiếu khóa 3 nhiệm kỳ 2016 – 2021 vừa tiến hành kỳ họp thứ 6", "khóa 3", "ordinal"),
    ("HĐND phường Hòa Hiếu khóa 3 nhiệm kỳ 2016 – 2021 vừa tiến hành kỳ họp thứ 6", "2016 – 2021", "term"),
    ("HĐND phường Hòa Hiếu khóa 3 nhiệm kỳ 2016 – 2021 vừa tiến hành kỳ họp thứ 6", "thứ 6", "ordinal"),
    # samples/binh-thanh-doi-ngoai-2024.txt
    ("chi bộ duy trì sinh hoạt ổn định; Trong nhiệm kỳ 2020 - 2025 Đảng bộ có 10 đồng chí", "2020 - 2025",
     "term"),
    ("nhân dịp Tết Nguyên đán Giáp Thìn 2024 cho Hộ nghèo và Người có công", "2024", "year"),
    # 327_tinh-vinh-long-xkld-2022
    ("Dịch bệnh COVID-19 thời gian qua khiến XKLĐ gặp khó khăn", "19", "code"),
    # 326_huyen-hoa-thanh-qua-tet-2012
    ("Năm 2012 là năm thứ 4 thực hiện chương trình", "thứ 4", "ordinal"),
    # the issue's own examples
    ("Đảng bộ xã triển khai Chương trình 135 và Quyết định 1719 năm 2021", "135", "identifier"),
    ("Đảng bộ xã triển khai Chương trình 135 và Quyết định 1719 năm 2021", "1719", "identifier"),
    ("Thôn 3 và tổ dân phố số 4 thực hiện Đề án 06", "06", "identifier"),
    ("Trong năm 2024 Đảng bộ kết nạp 12 đảng viên", "2024", "year"),
]


@pytest.mark.parametrize(("text", "part", "what"), NOT_QUANTITIES)
def test_not_a_quantity(text: str, part: str, what: str) -> None:
    assert _overlapping(text, part) == [], [q.raw for q in _overlapping(text, part)]
    a = text.index(part)
    got = [x.what for x in not_quantities(text) if x.start < a + len(part) and x.end > a]
    assert got == [what], got


@pytest.mark.parametrize(
    ("text", "raw", "value"),
    [
        ("Ngày 17-2, Chi bộ khu phố Khánh Giang được Đảng ủy thị trấn Khánh Hải", "17-2", "--02-17"),  # 317
        ("Ngày 4 và 5-3, Đảng bộ xã Sơn Bình (huyện Khánh Sơn, Khánh Hòa) tổ chức Đại hội", "5-3", "--03-05"),  # 318
        ("(BDO) Sáng 19-3, Đại hội Đảng bộ xã Lạc An lần thứ XI, nhiệm kỳ 2020-2025 đã bế mạc", "19-3",
         "--03-19"),  # 319
        ("(QNO) - Chiều 26.2, Huyện ủy Nông Sơn làm việc với Phòng LĐ-TB&XH", "26.2", "--02-26"),  # 323
        ("tổ chức thăm, tặng quà nhân dịp 30/4 - 1/5", "30/4", "--04-30"),
        ("tổ chức thăm, tặng quà nhân dịp 30/4 - 1/5", "1/5", "--05-01"),
    ],
)
def test_a_day_and_a_month_after_a_date_word_is_a_date(text: str, raw: str, value: str) -> None:
    (q,) = _overlapping(text, raw)
    assert (q.raw, q.kind, q.value) == (raw, "date", value)


def test_a_range_after_ngay_stays_a_range() -> None:
    # "mỗi ngày 2-3 lần" is a range of counts, not the 2nd of March
    assert [(q.raw, q.kind) for q in find_quantities("mỗi ngày 2-3 lần")] == [("3 lần", "count")]


@pytest.mark.parametrize(
    ("text", "raw", "kind", "value", "unit", "plan"),
    [
        # 327_tinh-vinh-long-xkld-2022: no part is larger than its whole
        ("trong đó gồm XKLĐ 546 người (chỉ tiêu tương ứng 20.000/1.700 người).", "20.000/1.700 người",
         "count", 20000, "người", 1700),
        ("Sản lượng lương thực đạt 1.250/1.200 tấn", "1.250/1.200 tấn", "number", 1250, "tấn", 1200),
        ("Sản lượng lúa 1.150/1.200 tấn, đạt 96% KH", "1.150/1.200 tấn", "number", 1150, "tấn", 1200),
        ("thu ngân sách ước đạt 2.150/1.800 triệu đồng", "2.150/1.800 triệu đồng", "money", 2_150_000_000,
         "đồng", 1_800_000_000),
    ],
)
def test_actual_and_plan_is_no_fraction(text: str, raw: str, kind: str, value: int, unit: str, plan: int) -> None:
    (q,) = _overlapping(text, raw)
    assert (q.kind, q.value, q.unit, q.plan, q.denominator) == (kind, value, unit, plan, None)
    assert q.raw.endswith(raw)


@pytest.mark.parametrize(
    ("text", "raw", "value", "denominator"),
    [
        ("Qua đó, đã thực hiện đạt và vượt 22/24 chỉ tiêu phát triển kinh tế", "22/24 chỉ tiêu", 22, 24),  # 311
        ("Đến nay, xã đã đạt 14/19 tiêu chí nông thôn mới.", "14/19 tiêu chí", 14, 19),  # 318
        ("Kết quả có 109/109 thanh niên tuổi 17 đạt 100%.", "109/109 thanh niên", 109, 109),  # 329
    ],
)
def test_a_part_of_a_whole_stays_a_fraction(text: str, raw: str, value: int, denominator: int) -> None:
    q = _overlapping(text, raw)[0]
    assert (q.raw, q.kind, q.value, q.denominator, q.plan) == (raw, "fraction", value, denominator, None)


@pytest.mark.parametrize(
    ("text", "raw", "value"),
    [
        ("- Dân số: 7.687 người.", "7.687 người", 7687),  # 305: "số:" heads a document only at a line start
        ("Tổng số: 656 hộ 3.172 Khẩu; gồm 05 dân tộc", "656 hộ", 656),
    ],
)
def test_a_count_after_so_colon_is_a_count(text: str, raw: str, value: int) -> None:
    (q,) = _overlapping(text, raw)
    assert (q.raw, q.kind, q.value) == (raw, "count", value)
    assert not_quantity_at("Số: 12", 4) == "document"


@pytest.mark.parametrize(
    "text",
    [
        "Trong năm 2024 chi bộ thôn Nà Pài kết nạp 2 đảng viên.",  # {int} chi bộ thôn: a year, no count
        "Năm 2023 đảng viên dự bị được công nhận chính thức.",  # {int} đảng viên dự bị
        "Sáng 19-3 chi bộ thôn Bản Vàn tổ chức đại hội.",  # a date read by {int} as "3 chi bộ"
        "Ngày 17-2 đảng viên dự bị được kết nạp.",
    ],
)
def test_grammar_placeholders_do_not_read_them(text: str) -> None:
    r = bcparse.parse_text(text)
    keyed = [(f.key, f.value) for f in r.figures() if f.key and f.key.startswith("party.")]
    assert keyed == []


def test_every_trap_of_the_development_split_yields_no_figure() -> None:
    """The gold traps of tests/data/real-more's development split (the validation split is not
    read here): none becomes a count, amount, percentage, fraction or keyed figure."""
    gold = json.loads((REAL_MORE / "gold.json").read_text(encoding="utf-8"))
    split = json.loads((REAL_MORE / "split.json").read_text(encoding="utf-8"))
    bad = []
    for name in split["development"]:
        traps = gold[name].get("not_quantities", [])
        if not traps:
            continue
        report = bcparse.parse(str(REAL_MORE / name))
        starts = [0] + [i + 1 for i, ch in enumerate(report.text) if ch == "\n"]
        figs = []
        for f in report.figures(all=True):
            s = starts[f.span.line - 1] + f.span.col - 1
            figs.append((s, s + f.span.length, f))
        for trap in traps:
            a = report.text.find(trap)
            while a >= 0:
                b = a + len(trap)
                for s, e, f in figs:
                    if s < b and e > a and s >= a - 1 and e <= b + 1 and not (f.key or "").startswith(("ref.", "doc.")) \
                            and (f.kind in ("count", "number", "decimal", "money", "percent", "fraction", "rate")
                                 or (f.key is not None and f.kind != "date")):
                        bad.append((name, trap, f.raw, f.kind))
                a = report.text.find(trap, a + 1)
    assert bad == []
