"""Gift records read from prose (grammars/common.yaml ``records:``): real sentences of the
development texts (tests/data/real-more 325, 326; tests/data/real 446, 447)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import bcparse
from bcparse.errors import GrammarError
from bcparse.grammar import load_grammars

ROOT = Path(__file__).resolve().parent.parent

AN_THI = (  # tests/data/real-more/325_huyen-an-thi-qua-tet.txt
    "Ngoài chuyển các suất quà của Chủ tịch nước và của tỉnh tới tận tay các gia đình đối tượng người có "
    "công, quà chúc thọ cho người cao tuổi và hộ nghèo. Năm nay huyện Ân Thi tổ chức đến thăm hỏi, tặng quà "
    "cho 8 mẹ Việt Nam Anh hùng, mỗi suất quà trị giá 1,2 triệu đồng; tặng mỗi xã, thị trấn 2 suất quà cho "
    "các đối tượng gia đình chính sách tiêu biểu thực hiện tốt mọi chủ trương đường lối của Đảng, chính sách "
    "pháp luật của nhà nước, 63 trẻ em có hoàn cảnh đặc biệt khó khăn… với tổng số tiền trên 35 triệu đồng.\n"
)
HOA_THANH = (  # tests/data/real-more/326_huyen-hoa-thanh-qua-tet-2012.txt
    "(BTNO) - Nhằm tạo điều kiện cho bà con nghèo vui đón Tết Nguyên đán Nhâm Thìn, tối 8.1.2012 Huyện uỷ, "
    "HĐND, UBND, UB MTTQVN huyện Hoà Thành tổ chức ngày “Trao quà tết cho người nghèo”.\n"
    "Tổng cộng có 550 phần quà tết được trao cho bà con nghèo trong huyện. Mỗi phần quà trị giá 500 ngàn "
    "đồng gồm: gạo, dầu ăn, nước tương, bánh, mứt và 100 ngàn đồng tiền mặt.\n"
)
BINH_MINH = (  # tests/data/real/446_xa-binh-minh-qua-tet-ho-kho-khan.txt
    "Tại đây đã trao 70 phần quà mỗi phần gồm 10 kg gạo và nhu yếu phẩm khác mỗi phần trị giá 300.000đ do "
    "chùa Tịnh xá Ngọc Như tài trợ. Đây là hoạt động ý nghĩa, góp phần san sẻ một phần khó khăn. Đồng thời, "
    "thể hiện sự quan tâm, chăm lo đời sống cho người có hoàn cảnh khó khăn mỗi dịp Tết đến, xuân về.\n"
)
THUA_THIEN_HUE = (  # tests/data/real/447_tinh-thua-thien-hue-qua-tet-chinh-sach.txt
    "Nhằm tri ân những gia đình có công với đất nước và hỗ trợ các đối tượng chính sách, những ngày qua, "
    "chính quyền các cấp ở tỉnh Thừa Thiên - Huế đã tổ chức trao 33.445 xuất quà của Chủ tịch nước.\n"
    "Dịp này, Liên đoàn Lao động tỉnh Thừa Thiên - Huế đã tổ chức trao 4 Mái ấm Công đoàn và 520 xuất quà "
    "trị giá 435 triệu đồng, trong đó có 50 suất của Ủy ban MTTQ Việt Nam Thừa Thiên - Huế và 30 suất của "
    "Công đoàn Bộ Bộ Văn hóa Thể thao và Du Lịch cho đoàn viên công nhân lao động có hoàn cảnh khó khăn "
    "vui xuân, đón Tết.\n"
)


def _gifts(text: str) -> list[dict[str, Any]]:
    r = bcparse.parse_text(text)
    return [{k.split(".", 1)[1]: f.value for k, f in it.items()} for it in r.items("gift")]


def _figure(text: str, key: str, item: int) -> bcparse.Figure:
    r = bcparse.parse_text(text)
    return r.items("gift")[item - 1][key]


def test_a_gift_to_counted_people_is_the_count_of_its_recipients() -> None:
    # "tặng quà cho 8 mẹ Việt Nam Anh hùng, mỗi suất quà trị giá 1,2 triệu đồng": 8 gifts, not the
    # "2 suất quà" each commune gets; the list of recipients goes on to "63 trẻ em …"
    g1, g2 = _gifts(AN_THI)
    assert g1 == {"count": 8, "recipients": "mẹ Việt Nam Anh hùng", "unit": "suất", "unit_value_vnd": 1_200_000,
                  "total_vnd": 9_600_000, "donor": "huyện Ân Thi"}
    assert g2["count"] == 63 and g2["recipients"] == "trẻ em có hoàn cảnh đặc biệt khó khăn"
    assert g2["donor"] == "huyện Ân Thi"


def test_a_total_after_a_list_of_recipients_is_not_sure_to_be_the_items() -> None:
    t = _figure(AN_THI, "gift.total_vnd", 2)
    assert (t.value, t.qualifier, t.confidence) == (35_000_000, "gt", "medium")
    assert _figure(AN_THI, "gift.total_vnd", 1).confidence == "high"  # 8 x 1,2 triệu đồng


def test_a_share_per_commune_is_no_gift_count() -> None:
    assert all(g["count"] != 2 for g in _gifts(AN_THI))


def test_a_passive_gift_takes_the_giver_of_the_paragraph_before_with_medium_confidence() -> None:
    (g,) = _gifts(HOA_THANH)
    assert g == {"count": 550, "unit": "phần quà", "recipients": "bà con nghèo", "unit_value_vnd": 500_000,
                 "total_vnd": 275_000_000, "donor": "Huyện uỷ, HĐND, UBND, UB MTTQVN huyện Hoà Thành"}
    assert _figure(HOA_THANH, "gift.donor", 1).confidence == "medium"
    assert _figure(HOA_THANH, "gift.count", 1).confidence == "high"


def test_a_sponsor_named_after_the_gift_is_its_donor() -> None:
    (g,) = _gifts(BINH_MINH)
    assert g["donor"] == "chùa Tịnh xá Ngọc Như"
    assert (g["count"], g["unit"], g["unit_value_vnd"], g["total_vnd"]) == (70, "phần quà", 300_000, 21_000_000)
    # "cho người có hoàn cảnh khó khăn" two sentences later is not who got these gifts
    assert "recipients" not in g


def test_the_owner_of_a_gift_is_its_donor_and_a_part_is_no_gift_of_its_own() -> None:
    gifts = _gifts(THUA_THIEN_HUE)
    assert [g["count"] for g in gifts] == [33_445, 520]
    assert gifts[0]["donor"] == "Chủ tịch nước" and gifts[0]["unit"] == "xuất quà"
    assert gifts[1] == {"count": 520, "unit": "xuất quà", "total_vnd": 435_000_000,
                        "donor": "Liên đoàn Lao động tỉnh Thừa Thiên - Huế",
                        "recipients": "đoàn viên công nhân lao động có hoàn cảnh khó khăn"}


def test_items_from_the_bindings_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a record rule with no item pattern: every count whose counted head is a gift noun is an item
    (tmp_path / "qua.yaml").write_text(
        "id: qua\ntitle: Quà\nextends: [common]\nmatch:\n  keywords: [quà]\n"
        "records:\n  - id: present\n    trigger: [trao]\n    nouns: [quà, suất, xuất]\n    skip_frames: [part]\n",
        encoding="utf-8")
    monkeypatch.setenv("BCPARSE_GRAMMARS", str(tmp_path))
    r = bcparse.parse_text(THUA_THIEN_HUE, grammar="qua")
    got = [{k: f.value for k, f in it.items()} for it in r.items("present")]
    assert got == [{"present.count": 33_445, "present.unit": "xuất quà"},
                   {"present.count": 520, "present.unit": "xuất quà"}]


def test_a_record_rule_needs_a_way_to_find_items(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "qua.yaml").write_text("id: qua\ntitle: Quà\nrecords:\n  - id: present\n    trigger: [trao]\n",
                                       encoding="utf-8")
    monkeypatch.setenv("BCPARSE_GRAMMARS", str(tmp_path))
    with pytest.raises(GrammarError, match="patterns' or 'nouns'"):
        load_grammars()


def test_a_gift_no_sentence_gives_a_giver_is_the_report_units_with_low_confidence() -> None:
    # the header of samples/tan-lap-ktxh-2023.txt, the sentence of tests/test_grammars.py
    head = (ROOT / "samples" / "tan-lap-ktxh-2023.txt").read_text(encoding="utf-8").split("\nBÁO CÁO")[0]
    text = (head + "\nBÁO CÁO\nKết quả công tác an sinh xã hội dịp Tết\n\n"
            "Tổ chức thăm, tặng 150 suất quà Tết cho hộ nghèo với tổng trị giá 75 triệu đồng.\n")
    r = bcparse.parse_text(text)
    (g,) = r.items("gift")
    d = g["gift.donor"]
    assert (d.value, d.confidence, d.span.line) == ("XÃ TÂN LẬP", "low", 2)
    assert (g["gift.count"].value, g["gift.count"].confidence) == (150, "high")


def test_the_people_who_receive_counted() -> None:
    # tests/data/real/445_xa-ho-vuong-qua-tet-doc-lap-2025.txt
    text = ("Theo đó, UBND xã đã rà soát và thống kê có 26.924 nhân khẩu thuộc diện được nhận quà của Nhà "
            "nước.\n")
    (g,) = _gifts(text)
    assert g == {"count": 26_924, "unit": "nhân khẩu", "donor": "Nhà nước"}


def test_a_gift_count_carries_what_it_counts() -> None:
    # samples/tan-lap-ktxh-2023.txt: "… tổ chức thăm và tặng 230 suất quà cho hộ nghèo, …"
    r = bcparse.parse(ROOT / "samples" / "tan-lap-ktxh-2023.txt")
    c = r.items("gift")[0]["gift.count"]
    assert (c.value, c.counted, c.frame) == (230, "suất quà", "object")
