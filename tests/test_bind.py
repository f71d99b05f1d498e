"""bcparse.bind: what each quantity counts (noun phrase, position), whom it is said of (subject)
and how (frame), on sentences of the samples, the development texts of tests/data/real-more, and
the phrasings of issue 13."""

from __future__ import annotations

from pathlib import Path

import pytest

import bcparse
from bcparse import numbers as vn
from bcparse.bind import Binding, bind_block, compile_vocabulary, load_vocabulary, table_values

ROOT = Path(__file__).resolve().parent.parent
MORE = ROOT / "tests" / "data" / "real-more"


def real(path: str, sentence: str) -> str:
    """``sentence`` as it stands in a real text (the test fails if the text does not hold it)."""
    text = (ROOT / path).read_text(encoding="utf-8")
    assert sentence in text, f"{path} does not hold {sentence!r}"
    return sentence


def bind(s: str) -> list[tuple[str, Binding]]:
    qs = vn.find_quantities(s)
    return [(s[q.num_start:q.num_end], b) for q, b in zip(qs, bind_block(s, qs), strict=True)]


def of(s: str, number: str) -> Binding:
    got = [b for n, b in bind(s) if n == number]
    assert got, f"no quantity {number!r} in {s!r}: {[n for n, _ in bind(s)]}"
    return got[0]


# (sentence, number, head, modifiers, position, subject kind, frame)
CASES = [
    # issue 13's phrasings
    ("dân cư sống rải rác ở 12 bản", "12", "bản", (), "after", None, "total"),
    ("toàn xã hiện có 9 ấp", "9", "ấp", (), "after", "commune", "total"),
    ("có tổng cộng 15 xóm", "15", "xóm", (), "after", None, "total"),
    ("Đảng bộ có tổng 310 đảng viên sinh hoạt tại 14 chi bộ", "310", "đảng viên", (), "after", "party", "total"),
    ("Đảng bộ có tổng 310 đảng viên sinh hoạt tại 14 chi bộ", "14", "chi bộ", (), "after", "party", "total"),
    ("nâng tổng số đảng viên lên 131 đ/c", "131", "đảng viên", (), "before", None, "total"),
    ("Tổng số đảng viên là 208, trong đó chính thức 201, dự bị 7.", "208", "đảng viên", (), "before", None,
     "total"),
    ("Tổng số đảng viên là 208, trong đó chính thức 201, dự bị 7.", "201", "đảng viên", ("chính thức",),
     "inherited", None, "part"),
    ("Tổng số đảng viên là 208, trong đó chính thức 201, dự bị 7.", "7", "đảng viên", ("dự bị",), "inherited",
     None, "part"),
    ("đưa 25 người đi xuất khẩu lao động", "25", "người", ("đi xuất khẩu lao động",), "after", None, "total"),
    ("hiện có 180 người đang làm việc ở nước ngoài", "180", "người", ("đang làm việc", "ở nước ngoài"), "after",
     None, "total"),
    ("Ban Chấp hành Đảng bộ nhiệm kỳ 2020 - 2025 gồm 13 đồng chí", "13", "đồng chí", (), "after",
     "executive_committee", "total"),
    ("Ban Thường vụ có 03 đồng chí", "03", "đồng chí", (), "after", "standing_committee", "total"),
    ("Trình độ chuyên môn của cán bộ, công chức: đại học 16 người, cao đẳng 2 người", "16", "người",
     ("đại học",), "after", "cadres", "total"),
    ("17/21 đồng chí có trình độ trung cấp lý luận chính trị", "17", "đồng chí",
     ("có trình độ", "trung cấp lý luận chính trị"), "after", None, None),  # no frame word: none
    ("hộ cận nghèo: 102 hộ", "102", "hộ", ("cận nghèo",), "after", None, "total"),
    ("Thôn Nà Pài có 120 hộ", "120", "hộ", (), "after", "hamlet", "total"),
    ("tăng 5 hộ so với cùng kỳ", "5", "hộ", (), "after", None, "change"),
    ("số hộ nghèo giảm từ 494 hộ xuống còn 247 hộ", "494", "hộ", ("nghèo",), "after", None, "change"),
    ("số hộ nghèo giảm từ 494 hộ xuống còn 247 hộ", "247", "hộ", ("nghèo",), "after", None, "total"),
    ("12 lượt khách", "12", "khách", (), "after", None, None),
    ("đàn gia cầm có 300 con gia cầm", "300", "gia cầm", (), "after", None, "total"),
    ("tặng 50 suất quà", "50", "quà", (), "after", None, "object"),
    # the samples
    (real("samples/binh-thanh-doi-ngoai-2024.txt", "Đảng bộ xã gồm có 20 chi bộ, trong đó có 14 chi bộ nông thôn,"
          " 03 chi bộ trường học"), "20", "chi bộ", (), "after", "party", "total"),
    (real("samples/binh-thanh-doi-ngoai-2024.txt", "Đảng bộ xã gồm có 20 chi bộ, trong đó có 14 chi bộ nông thôn,"
          " 03 chi bộ trường học"), "14", "chi bộ", ("nông thôn",), "after", "party", "part"),
    (real("samples/binh-thanh-doi-ngoai-2024.txt", "Có tổng số đảng viên là 280 trong đó đảng viên chính thức là"
          " 266 đảng viên, dự bị là 14 đảng viên."), "266", "đảng viên", ("chính thức",), "after", None, "part"),
    (real("samples/binh-thanh-doi-ngoai-2024.txt", "Có tổng số đảng viên là 280 trong đó đảng viên chính thức là"
          " 266 đảng viên, dự bị là 14 đảng viên."), "14", "đảng viên", ("dự bị",), "after", None, "part"),
    (real("samples/binh-thanh-doi-ngoai-2024.txt", "Trong nhiệm kỳ 2020 - 2025 Đảng bộ có 10 đồng chí ủy viên BCH"
          " Đảng bộ; 03 đồng chí trong Ban Thường vụ Đảng ủy;"), "10", "đồng chí", ("uỷ viên",), "after",
     "executive_committee", "total"),
    (real("samples/binh-thanh-doi-ngoai-2024.txt", "Trong nhiệm kỳ 2020 - 2025 Đảng bộ có 10 đồng chí ủy viên BCH"
          " Đảng bộ; 03 đồng chí trong Ban Thường vụ Đảng ủy;"), "03", "đồng chí", (), "after",
     "standing_committee", "total"),
    (real("samples/binh-thanh-doi-ngoai-2024.txt", "Xã có 18 chức danh cán bộ, công chức hoạt động trong hệ thống"
          " Đảng, chính quyền, Mặt trận tổ quốc và các đoàn thể chính trị - xã hội, trong đó có 17 người trình độ"
          " Đại học"), "17", "cán bộ", ("trình độ", "đại học"), "inherited", "commune", "part"),
    (real("samples/tan-lap-ktxh-2023.txt", "Xã có 21 cán bộ, công chức, trong đó: 18 đại học, 3 trung cấp."),
     "18", "cán bộ", ("đại học",), "inherited", "cadres", "part"),
    (real("samples/tan-lap-ktxh-2023.txt", "a) Giảm nghèo: số hộ nghèo còn 57 hộ, tỷ lệ hộ nghèo còn 3,34%;"
          " hộ cận nghèo: 102 hộ."), "57", "hộ", ("nghèo",), "after", None, "total"),
    (real("samples/tan-lap-ktxh-2023.txt", "a) Giảm nghèo: số hộ nghèo còn 57 hộ, tỷ lệ hộ nghèo còn 3,34%;"
          " hộ cận nghèo: 102 hộ."), "3,34", "hộ", ("nghèo",), "before", None, "total"),
    # development texts of tests/data/real-more
    (real("tests/data/real-more/303_xa-do-luong-gioi-thieu.txt", "Đảng bộ có 273 Đảng viên"), "273", "đảng viên",
     (), "after", "party", "total"),
    (real("tests/data/real-more/310_xa-duc-bong-ktxh-2019.txt",
          "Toàn xã có 215 hộ kinh doanh, 5 HTX, 10 THT, 9 doanh nghiệp"), "215", "hộ", ("kinh doanh",), "after",
     "commune", "total"),
    (real("tests/data/real-more/310_xa-duc-bong-ktxh-2019.txt",
          "Toàn xã có 215 hộ kinh doanh, 5 HTX, 10 THT, 9 doanh nghiệp"), "9", "doanh nghiệp", (), "after",
     "commune", "total"),
    (real("tests/data/real-more/317_chi-bo-khanh-giang-dai-hoi-2020.txt",
          "Chi bộ khu phố Khánh Giang hiện có 17 đảng viên"), "17", "đảng viên", (), "after", "cell", "total"),
    (real("tests/data/real-more/318_xa-son-binh-dai-hoi-dang-2020.txt", "Đại hội đã bầu 15 vị vào Ban Chấp hành"
          " Đảng bộ xã"), "15", "vị", (), "after", "executive_committee", "total"),
    (real("tests/data/real-more/318_xa-son-binh-dai-hoi-dang-2020.txt",
          "kết nạp 38 đảng viên"), "38", "đảng viên", (), "after", None, "change"),
    (real("tests/data/real-more/305_xa-chieng-dong-don-vi-dan-cu.txt", "- Gồm 5 dân tộc: Kinh, Thái, Mông"), "5",
     "dân tộc", (), "after", None, "total"),
]


@pytest.mark.parametrize(("sentence", "number", "head", "mods", "position", "kind", "frame"), CASES)
def test_binding(sentence: str, number: str, head: str, mods: tuple[str, ...], position: str, kind: str | None,
                 frame: str) -> None:
    b = of(sentence, number)
    assert (b.head, b.modifiers, b.position, b.subject_kind, b.frame) == (head, mods, position, kind, frame)


def test_counted_is_the_phrase_as_written() -> None:
    s = "Theo kết quả điều tra toàn xã có 86 hộ nghèo đạt tỷ lệ 3.43% và 103 hộ cận nghèo đạt tỷ lệ 4.11"
    assert real("tests/data/real-more/322_xa-my-thanh-ho-ngheo-2019.txt", s)
    assert of(s, "86").counted == "hộ nghèo"
    assert of(s, "103").counted == "hộ cận nghèo"
    assert of("Đảng bộ có 273 Đảng viên", "273").counted == "Đảng viên"  # original case
    assert of("hộ cận nghèo: 102 hộ", "102").counted == "hộ cận nghèo"
    assert of("300 con gia cầm", "300").counted == "con gia cầm"


def test_rates_take_the_noun_just_counted() -> None:
    s = "Theo kết quả điều tra toàn xã có 86 hộ nghèo đạt tỷ lệ 3,43% và 103 hộ cận nghèo đạt tỷ lệ 4,1%"
    r1, r2 = of(s, "3,43"), of(s, "4,1")
    assert (r1.head, r1.modifiers, r1.measure, r1.position) == ("hộ", ("nghèo",), "rate", "inherited")
    assert (r2.head, r2.modifiers) == ("hộ", ("cận nghèo",))
    s = "Đến nay toàn huyện còn 1.154 hộ nghèo (tỷ lệ 13,13%), 771 hộ cận nghèo (8,77%)"
    assert of(s, "13,13").modifiers == ("nghèo",)
    assert of(s, "8,77").modifiers == ("cận nghèo",)
    assert of(s, "1.154").subject_kind == "district"
    s = real("tests/data/real-more/317_chi-bo-khanh-giang-dai-hoi-2020.txt", "còn 10 hộ nghèo, chiếm tỷ lệ 2,5%")
    assert (of(s, "2,5").head, of(s, "2,5").modifiers) == ("hộ", ("nghèo",))


def test_subject_names() -> None:
    assert of("Thôn Nà Pài có 120 hộ", "120").subject == "Thôn Nà Pài"
    s = "Đại hội đã bầu Ban Chấp hành Đảng bộ xã nhiệm kỳ 2020-2025 gồm 11 đồng chí, Ban Thường vụ gồm 3 đồng chí"
    assert real("tests/data/real-more/319_xa-lac-an-dai-hoi-dang-2020.txt", s)
    assert of(s, "11").subject_kind == "executive_committee"
    assert [b.subject for n, b in bind(s) if n == "3"] == ["Ban Thường vụ"]
    # a counted "thôn" is no subject: "20 thôn" does not make a hamlet the subject of what follows
    assert of("sinh sống ở 20 thôn, có 5 chi bộ", "5").subject_kind is None


# the wrong-key cases of issue 13: the binding tells them apart by noun, modifiers and frame
def test_craft_villages_are_not_hamlets() -> None:
    b = of("xã có 14 làng nghề", "14")
    assert b.head == "làng nghề" and b.counted == "làng nghề"


def test_characterised_party_cells_are_not_a_total() -> None:
    b = of("Năm 2024 có 8 chi bộ được xếp loại hoàn thành tốt nhiệm vụ", "8")
    assert (b.head, b.frame) == ("chi bộ", "characterisation")
    assert of("có 19 thôn có cụm loa phát thanh", "19").frame == "characterisation"


def test_gift_recipients_are_not_membership() -> None:
    b = of("Nhân dịp này tặng quà 03 đảng viên 50 năm tuổi Đảng", "03")
    assert b.head == "đảng viên" and "năm tuổi đảng" in b.modifiers and b.frame == "object"
    inner = of("Nhân dịp này tặng quà 03 đảng viên 50 năm tuổi Đảng", "50")
    assert inner.head is None and inner.extra.get("inside")


def test_coordinated_modifiers_stay_together() -> None:
    b = of("tỷ lệ hộ nghèo và cận nghèo 2,1%", "2,1")
    assert (b.head, b.modifiers, b.measure, b.position) == ("hộ", ("nghèo", "cận nghèo"), "rate", "before")
    s = real("samples/binh-thanh-doi-ngoai-2024.txt", "tặng quà cho 100 hộ nghèo và cận nghèo")
    assert of(s, "100").modifiers == ("nghèo", "cận nghèo")


def test_no_frame_word_is_no_total() -> None:
    s = real("tests/data/real-more/301_xa-xuan-quang-gioi-thieu.txt", "Toàn xã có 10 dân tộc")
    assert of(s, "10").frame == "total"
    b = of("Khi nộp lưu tài liệu phải lập 02 bản “Mục lục hồ sơ, tài liệu nộp lưu”", "02")
    assert (b.head, b.frame) == ("bản", None)  # two copies, not two hamlets


def test_unknown_noun_keeps_the_scanner_unit() -> None:
    b = of("Diện tích tự nhiên 4,02 km2", "4,02")
    assert (b.head, b.counted, b.position) == (None, "km2", None)


def test_vocabulary_is_data_and_merges_user_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    v = load_vocabulary()
    assert "nghèo" in table_values(v.modifiers)
    (tmp_path / "vocabulary").mkdir()
    (tmp_path / "vocabulary" / "more.yaml").write_text("heads:\n  ao cá: [ao cá, ao nuôi cá]\n", encoding="utf-8")
    monkeypatch.setenv("BCPARSE_GRAMMARS", str(tmp_path))
    qs = vn.find_quantities("xã có 12 ao nuôi cá")
    v2 = load_vocabulary()  # cached per set of folders: a new folder gives a new vocabulary
    assert v2 is not v
    assert bind_block("xã có 12 ao nuôi cá", qs)[0].head == "ao cá"
    assert of("xã có 14 làng nghề", "14").head == "làng nghề"  # the shipped lists are still there


def test_compile_vocabulary_refuses_a_wrong_shape() -> None:
    from bcparse.errors import GrammarError

    with pytest.raises(GrammarError, match="heads"):
        compile_vocabulary({"heads": "hộ"})


def test_a_bare_chiem_rate_is_the_rate_of_the_noun_just_counted() -> None:
    s = real("tests/data/real/426_quan-11-giam-ngheo-2011.txt",
             "số hộ nghèo hiện còn lại trong chương trình là 2.052 hộ (chiếm 4,06%so với tổng số hộ dân toàn quận)")
    b = of(s, "4,06")
    assert (b.head, b.modifiers, b.measure, b.position) == ("hộ", ("nghèo",), "rate", "inherited")


def test_the_unit_named_after_toan_is_no_counted_noun() -> None:
    # "toàn <subject>" between the noun and the number names whose count it is, not what is counted
    b = of("Tổng số đảng viên toàn Đảng bộ là 245 đồng chí.", "245")
    assert (b.head, b.subject_kind, b.counted) == ("đảng viên", "party", "đảng viên")
    assert bcparse.parse("Tổng số đảng viên toàn Đảng bộ là 245 đồng chí.\n".encode()).value("party.members") == 245


@pytest.mark.parametrize("sentence, number, head, mods", [
    # a modifier phrase before the number is read whole: no classifier "xuất" + head "khẩu" inside it
    ("Xuất khẩu lao động: 18 người.", "18", "người", ("xuất khẩu lao động",)),
    ("Trong năm có 35 lao động xuất cảnh đi làm việc ở nước ngoài.", "35", "lao động",
     ("xuất cảnh đi làm việc", "ở nước ngoài")),
    ("tặng 50 xuất quà cho hộ nghèo", "50", "quà", ()),   # "xuất" is still the classifier of quà
])
def test_a_phrase_is_not_read_from_inside_a_longer_one(sentence: str, number: str, head: str,
                                                       mods: tuple[str, ...]) -> None:
    b = of(sentence, number)
    assert (b.head, b.modifiers) == (head, mods)


def test_density_counts_its_unit() -> None:
    # real/458: "số" of "dân số" is no head of its own
    b = of(real("tests/data/real/458_xa-van-ho-gioi-thieu-2013.txt", "mật độ dân số 111 người/km2"), "111")
    assert b.counted == "người/km2"


@pytest.mark.parametrize("path, sentence, number, counted", [
    ("tests/data/real/445_xa-ho-vuong-qua-tet-doc-lap-2025.txt", "nhận quà qua 2 hình thức, qua tài khoản", "2",
     "hình thức"),
    ("tests/data/real/437_xa-quynh-hoang-phat-trien-dang-vien-2022.txt", "kết nạp cho 09 quần chúng ưu tú", "09",
     "quần chúng"),
    ("tests/data/real/454_tinh-quang-nam-vien-tro-phi-chinh-phu-6thang-2021.txt", "viện trợ 2 container gạo", "2",
     "container gạo"),
])
def test_an_unknown_noun_after_a_bare_number_is_what_it_counts(path: str, sentence: str, number: str,
                                                             counted: str) -> None:
    b = of(real(path, sentence), number)
    assert (b.counted, b.head, b.open) == (counted, None, True)  # no key can take it: the head stays unknown


def test_a_magnitude_word_is_no_counted_noun() -> None:
    b = of("thu nhập bình quân đầu người đạt 72 triệu; tổng sản lượng", "72")
    assert b.counted != "triệu"


@pytest.mark.parametrize("sentence, number, counted", [
    # real/417: the year and "toàn huyện" stand between the noun and the number
    ("Tổng số thanh niên nhập ngũ năm 2023 là 120 người.", "120", "thanh niên nhập ngũ"),
    (real("tests/data/real/417_huyen-xuyen-moc-kham-so-tuyen-nvqs-2020.txt",
          "NVQS năm 2020 toàn huyện là 2.029 thanh niên"), "2.029", "thanh niên"),
    # real/442: "toàn bộ" is "all", no subject: the cells are still a total
    (real("tests/data/real/442_huyen-thanh-mien-dai-hoi-chi-bo-2022.txt", "toàn bộ 234 chi bộ trực thuộc"), "234",
     "chi bộ trực thuộc"),
])
def test_a_year_or_the_unit_between_noun_and_number(sentence: str, number: str, counted: str) -> None:
    assert of(sentence, number).counted == counted
