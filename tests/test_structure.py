"""Structure: the text view, header, section tree and closing, on the sample and on real fragments.

tests/data/real/*.txt are fragments of real reports from commune and district portals; each has a
.meta.json beside it with its source URL and its quirks.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import bcparse
from bcparse.structure import parse_marker

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "binh-thanh-doi-ngoai-2024.txt"
EXPECTED = json.loads((ROOT / "samples" / "binh-thanh-doi-ngoai-2024.figures.json").read_text(encoding="utf-8"))
REAL = sorted((ROOT / "tests" / "data" / "real").glob("*.txt"))


def fold_ci(s: str) -> str:
    from bcparse.textview import fold

    return fold(s)


# ---- text view --------------------------------------------------------------------------------

def test_sample_view_joins_the_two_page_break_splits() -> None:
    # quirk: the sample splits two paragraphs mid-sentence at a page break (blank line between)
    view = bcparse.read(SAMPLE).text
    assert "chưa đáp ứng được yêu cầu phát triển" in view
    assert "đầu tư phát triển trên địa bàn" in view
    assert "chưa đáp ứng được\n" not in view


def test_sample_view_drops_markdown_bold_markers_but_remembers_them() -> None:
    # quirk: the signature block is wrapped in markdown bold "**TM. ỦY BAN NHÂN DÂN … CHỦ TỊCH**"
    doc = bcparse.read(SAMPLE)
    assert "**" not in doc.text
    tm = next(b for b in doc.blocks if b.text == "TM. ỦY BAN NHÂN DÂN")
    assert [m.text for m in tm.marks] == ["**"] and tm.marks[0].offset == 0
    ct = next(b for b in doc.blocks if b.text == "CHỦ TỊCH")
    assert ct.marks[0].offset == len("CHỦ TỊCH")


def test_sample_view_keeps_line_numbers_of_the_source_before_the_first_join() -> None:
    doc = bcparse.read(SAMPLE)
    src = SAMPLE.read_text(encoding="utf-8").split("\n")
    view = doc.text.split("\n")
    # up to the first joined paragraph (source line 21) the view is the source line for line
    assert view[:20] == src[:20]
    assert view[14].startswith("Bình Thành là một xã miền núi")


def test_nfd_input_is_nfc_in_the_view() -> None:
    import unicodedata

    text = unicodedata.normalize("NFD", "Xã có 1.422 hộ, huyện Định Hoá")
    doc = bcparse.read(text.encode("utf-8"))
    assert doc.text == "Xã có 1.422 hộ, huyện Định Hoá"


def test_fold_matches_old_and_new_tone_placement_without_rewriting() -> None:
    # the sample writes the district both "Định Hoá" and "Định Hóa"
    view = bcparse.read(SAMPLE).text
    assert "Định Hoá" in view and "Định Hóa" in view
    assert fold_ci("Định Hoá") == fold_ci("Định Hóa") == fold_ci("ĐỊNH HOÁ")
    assert fold_ci("UỶ BAN") == fold_ci("ỦY BAN")
    assert len(fold_ci(view)) == len(view)


# ---- sections ----------------------------------------------------------------------------------

def test_sample_outline_is_exactly_the_expected_one() -> None:
    r = bcparse.parse(SAMPLE)
    got = r.outline()
    want = EXPECTED["sections"]
    assert [(s["number"], s["level"]) for s in got] == [(s["number"], s["level"]) for s in want]
    for g, w in zip(got, want, strict=True):
        assert w["title~"].lower() in g["title"].lower()


def test_sample_heading_with_text_after_colon_gives_title_and_body() -> None:
    r = bcparse.parse(SAMPLE)
    a = next(s for s in r.sections if s.number == "a")
    assert a.title == "Công tác quản lý đoàn đi công tác nước ngoài (đoàn ra)"
    assert a.body == "không có."


def test_sample_repeated_second_II_is_recorded_not_renumbered() -> None:
    r = bcparse.parse(SAMPLE)
    assert [s.number for s in r.sections if s.level == 1] == ["I", "II", "II", "III", "IV"]
    assert len(r.numbering_issues) == 1
    issue = r.numbering_issues[0]
    assert (issue.kind, issue.found, issue.expected) == ("repeated", "II.", "III")


@pytest.mark.parametrize(
    ("line", "family", "number"),
    [
        ("I. ĐẶC ĐIỂM TÌNH HÌNH", "roman", "I"),
        ("I- VỀ PHÁT TRIỂN KINH TẾ", "roman", "I"),
        ("A- NHỮNG THÀNH TỰU ĐẠT ĐƯỢC", "upper_alpha", "A"),
        ("A. TÌNH HÌNH CƠ BẢN", "upper_alpha", "A"),
        ("1. Kinh tế", "arabic", "1"),
        ("1) Kinh tế", "arabic", "1"),
        ("1- Kinh tế", "arabic", "1"),
        ("1.1 Sản xuất nông nghiệp:", "multi", "1.1"),
        ("1.1. Công tác chỉ đạo", "multi", "1.1"),
        ("a. Công tác quản lý đoàn", "lower_alpha", "a"),
        ("đ) Đối với", "lower_alpha", "đ"),
        ("PHẦN THỨ NHẤT:", "part", "THỨ NHẤT"),
        ("Phần I", "part", "I"),
        ("Chương II", "chapter", "II"),
        ("Điều 1. Phạm vi điều chỉnh", "article", "1"),
    ],
)
def test_marker_styles(line: str, family: str, number: str) -> None:
    m = parse_marker(line)
    assert m is not None and m.family == family
    assert m.number.upper() == number.upper()


@pytest.mark.parametrize(
    "line",
    ["- Kế hoạch số 10/KH-UBND", "+ Học viện", "* Trồng trọt:", "• mục", "11.432", "1.422 hộ", "2024. Năm",
     "20 km", "Bình Thành là một xã"],
)
def test_not_markers(line: str) -> None:
    assert parse_marker(line) is None


def test_levels_follow_document_order_of_styles() -> None:
    # "A-" above "I-" above "1." as the real 002 report writes them (not a fixed table)
    r = bcparse.parse_text("A- THÀNH TỰU\nI- KINH TẾ\n1. Nông nghiệp\n2. Công nghiệp\nII- XÃ HỘI\nB- HẠN CHẾ\n")
    assert [(s.number, s.level) for s in r.sections] == [
        ("A", 1), ("I", 2), ("1", 3), ("2", 3), ("II", 2), ("B", 1)]
    r = bcparse.parse_text("II. KẾT QUẢ\nA. Kinh tế\n1) Nông nghiệp\n2) Dịch vụ\nB. Xã hội\n")
    assert [(s.number, s.level) for s in r.sections] == [("II", 1), ("A", 2), ("1", 3), ("2", 3), ("B", 2)]


def test_skipped_number_recorded() -> None:
    r = bcparse.parse_text("I. MỘT\n1. Một\n3. Ba\nII. HAI\n")
    assert [(i.kind, i.found, i.expected) for i in r.numbering_issues] == [("skipped", "3.", "2")]


def test_vietnamese_letter_order_d_then_đ() -> None:
    r = bcparse.parse_text("1. Mục\na) một\nb) hai\nc) ba\nd) bốn\nđ) năm\ne) sáu\n")
    assert r.numbering_issues == []


# ---- header and closing -------------------------------------------------------------------------

def test_sample_header_blank_number_and_day() -> None:
    h = bcparse.parse(SAMPLE).header
    assert h.number is None and h.symbol == "BC-UBND"
    assert h.place == "Bình Thành" and h.date == "2024-11"
    assert set(h.blanks) == {"number", "day"}
    assert h.type == "BÁO CÁO" and h.subject is not None and h.subject.startswith("Kết quả công tác đối ngoại")


@pytest.mark.parametrize(
    ("text", "number", "symbol"),
    [
        ("Số: /BC-UBND\n", None, "BC-UBND"),
        ("Số:    198  /BC-UBND\n", "198", "BC-UBND"),
        ("Số : 80 / BC-UBND\n", "80", "BC-UBND"),
        ("Số    338  /BC-UBND\n", "338", "BC-UBND"),
        ("Số:\n\n/BC-UBND\n", None, "BC-UBND"),
        ("Số:\n59/BC-LĐTBXH\n", "59", "BC-LĐTBXH"),
        ("Số: 12/UBND-VX\n", "12", "UBND-VX"),
    ],
)
def test_header_number_forms(text: str, number: str | None, symbol: str) -> None:
    h = bcparse.parse_text("ỦY BAN NHÂN DÂN\nXÃ BÌNH THÀNH\n" + text + "Bình Thành, ngày 20 tháng 11 năm 2024\n"
                           "BÁO CÁO\nKết quả công tác năm 2024\n").header
    assert (h.number, h.symbol) == (number, symbol)
    assert h.agency == ["ỦY BAN NHÂN DÂN", "XÃ BÌNH THÀNH"]
    assert h.date == "2024-11-20"


def test_header_hoa_spellings_and_doubled_spaces() -> None:
    # quirk of the real 005 report: "UỶ", "CỘNG HOÀ", "ngày  29  tháng", en-dash rule lines
    r = bcparse.parse(ROOT / "tests/data/real/005_huyen-bac-ha-ktxh-6thang-2012.txt")
    h = r.header
    assert h.agency == ["UỶ BAN NHÂN DÂN", "HUYỆN BẮC HÀ"]
    assert h.national_title == "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert (h.number, h.symbol, h.place, h.date) == ("198", "BC-UBND", "Bắc Hà", "2012-06-29")
    assert h.subject is not None and h.subject.endswith("cuối năm 2012")


def test_sample_closing() -> None:
    c = bcparse.parse(SAMPLE).closing
    assert c.end_mark
    assert c.recipients == EXPECTED["scalars"]["doc.recipients"]
    assert (c.signer_authority, c.signer_title, c.signer_name) == ("TM.", "CHỦ TỊCH", "Ma Khánh Sơn")


def test_closing_three_authority_lines() -> None:
    r = bcparse.parse_text("BÁO CÁO\nVề việc\nI. NỘI DUNG\nThân bài./.\nNơi nhận:\n- Như trên;\n- Lưu: VT.\n"
                           "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n(Đã ký)\nNguyễn Văn An\n")
    c = r.closing
    assert c.authority == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    assert (c.signer_authority, c.signer_title, c.signer_name) == ("TM.", "PHÓ CHỦ TỊCH", "Nguyễn Văn An")
    assert c.recipients == ["Như trên", "Lưu: VT"]


# ---- every real fragment parses into a sensible outline ------------------------------------------

EXPECTED_REAL_OUTLINES = {
    "001": [("THỨ NHẤT", 1), ("I", 2)],
    "002": [("thứ nhất", 1), ("A", 2), ("I", 3), ("1", 4)],
    "004": [("I", 1)],
    "007": [("I", 1), ("1", 2), ("1.1", 3)],
    "010": [("I", 1), ("1", 2), ("2", 2)],
    "011": [("A", 1), ("B", 1), ("1", 2), ("2", 2), ("3", 2), ("C", 1)],
    "013": [("I", 1), ("1", 2), ("1.1", 3)],
    "014": [("I", 1), ("1", 2), ("2", 2), ("3", 2)],
}


@pytest.mark.parametrize("path", REAL, ids=[p.stem[:3] for p in REAL])
def test_real_fragments_parse_into_sensible_outline(path: Path) -> None:
    r = bcparse.parse(path)
    got = [(s.number, s.level) for s in r.sections]
    want = EXPECTED_REAL_OUTLINES.get(path.stem[:3])
    if want is not None:
        assert got == want
    for s in r.sections:
        assert r.text.split("\n")[s.line - 1].strip().startswith(s.marker.strip())


def test_tab_aligned_two_column_header() -> None:
    # the header typed as paragraphs with tabs between the columns instead of a table
    r = bcparse.parse_text(
        "ỦY BAN NHÂN DÂN\t\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nXÃ YÊN LẠC\t\tĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 45/BC-UBND\t\tYên Lạc, ngày 05 tháng 01 năm 2025\n\nBÁO CÁO\nCông tác đối ngoại năm 2024\n\n"
        "Kính gửi: Ủy ban nhân dân huyện Phú Lương\n\nI. TÌNH HÌNH CHUNG\nXã có 9 xóm.\n")
    h = r.header
    assert h.agency == ["ỦY BAN NHÂN DÂN", "XÃ YÊN LẠC"]
    assert h.national_title == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert (h.number, h.symbol, h.place, h.date) == ("45", "BC-UBND", "Yên Lạc", "2025-01-05")
    assert h.to == ["Ủy ban nhân dân huyện Phú Lương"]
    assert r.value("commune.name") == "Yên Lạc"


def test_impossible_header_date_is_kept_for_the_audit() -> None:
    r = bcparse.parse_text("Số: 12/BC-UBND\nBình Thành, ngày 31 tháng 02 năm 2024\nBÁO CÁO\nVề x\nI. MỤC\nCó 5 hộ.")
    f = r.get("doc.date")
    assert f is not None and f.value == "2024-02-31" and f.kind == "text"
    from bcparse.audit import audit

    assert "BC303" in [x.code for x in audit(r)]


# ---- item 5: the signature block's three parts (authority, capacity, title) ---------------------

_SIG_BODY = "BÁO CÁO\nVề việc\nI. NỘI DUNG\nThân bài./.\nNơi nhận:\n- Như trên;\n- Lưu: VT.\n"

# block → (signer_collective, signer_capacity, signer_capacity_for, signer_title)
_SIG_CASES = {
    "CHỦ TỊCH": (None, None, None, "CHỦ TỊCH"),
    "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH": ("TM. ỦY BAN NHÂN DÂN", None, None, "CHỦ TỊCH"),
    "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH": ("TM. ỦY BAN NHÂN DÂN", "KT.", "CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
    "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH": (None, "KT.", "CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
    "TL. CHỦ TỊCH\nCHÁNH VĂN PHÒNG": (None, "TL.", "CHỦ TỊCH", "CHÁNH VĂN PHÒNG"),
    "TUQ. CHỦ TỊCH\nTRƯỞNG PHÒNG TÀI CHÍNH": (None, "TUQ.", "CHỦ TỊCH", "TRƯỞNG PHÒNG TÀI CHÍNH"),
    "Q. CHỦ TỊCH": (None, "Q.", "CHỦ TỊCH", "CHỦ TỊCH"),
    "TM. ỦY BAN NHÂN DÂN\nQ. CHỦ TỊCH": ("TM. ỦY BAN NHÂN DÂN", "Q.", "CHỦ TỊCH", "CHỦ TỊCH"),
    "TM. ỦY BAN NHÂN DÂN": ("TM. ỦY BAN NHÂN DÂN", None, None, None),
    "TM. BAN THƯỜNG VỤ\nĐẢNG ỦY XÃ\nBÍ THƯ": ("TM. BAN THƯỜNG VỤ ĐẢNG ỦY XÃ", None, None, "BÍ THƯ"),
}


@pytest.mark.parametrize("block", list(_SIG_CASES))
def test_item5_signature_parts(block: str) -> None:
    r = bcparse.parse_text(_SIG_BODY + block + "\n(Đã ký)\nNguyễn Văn An\n")
    c = r.closing
    assert (c.signer_collective, c.signer_capacity, c.signer_capacity_for, c.signer_title) == _SIG_CASES[block]
    assert c.signer_name == "Nguyễn Văn An"
    assert c.authority == block.split("\n")
    # every part is a figure whose raw is the text it was read from
    keys = {"doc.signer_collective": c.signer_collective, "doc.signer_capacity": c.signer_capacity,
            "doc.signer_capacity_for": c.signer_capacity_for, "doc.signer_title": c.signer_title}
    for key, value in keys.items():
        f = r.get(key)
        if value is None:
            assert f is None
        else:
            assert f is not None and f.value == value and " ".join(f.raw.split()) == value


def test_item5_sample_capacity_kt() -> None:
    """samples/tan-lap-ktxh-2023.txt: the deputy signs in place of the chairman, for the UBND."""
    r = bcparse.parse(Path(__file__).parent.parent / "samples" / "tan-lap-ktxh-2023.txt")
    got = {f.key: (f.value, f.span.line, f.span.col) for f in r.figures() if f.key and f.key.startswith("doc.signer")}
    assert got == {
        "doc.signer_authority": ("TM.", 45, 1),
        "doc.signer_collective": ("TM. ỦY BAN NHÂN DÂN", 45, 1),
        "doc.signer_capacity": ("KT.", 46, 1),
        "doc.signer_capacity_for": ("CHỦ TỊCH", 46, 5),
        "doc.signer_title": ("PHÓ CHỦ TỊCH", 47, 1),
        "doc.signer_name": ("Hoàng Văn Thắng", 49, 1),
    }


@pytest.mark.parametrize("name", ["binh-thanh-doi-ngoai-2024.txt", "binh-thanh-doi-ngoai-2024.docx",
                                  "binh-thanh-doi-ngoai-2024.pdf"])
def test_item5_sample_no_capacity_every_format(name: str) -> None:
    c = bcparse.parse(Path(__file__).parent.parent / "samples" / name).closing
    assert (c.signer_authority, c.signer_collective, c.signer_capacity, c.signer_capacity_for, c.signer_title,
            c.signer_name) == ("TM.", "TM. ỦY BAN NHÂN DÂN", None, None, "CHỦ TỊCH", "Ma Khánh Sơn")


def test_item5_real_decree_signature() -> None:
    """The Government's own .docx of Nghị định 30/2020: "TM. CHÍNH PHỦ / THỦ TƯỚNG"."""
    c = bcparse.parse(Path(__file__).parent / "data" / "nghi-dinh-30-2020-ND-CP.docx").closing
    assert (c.signer_collective, c.signer_capacity, c.signer_title, c.signer_name) == (
        "TM. CHÍNH PHỦ", None, "THỦ TƯỚNG", "Nguyễn Xuân Phúc")


def test_item5_capacity_edit_changes_only_the_mark() -> None:
    r = bcparse.parse(Path(__file__).parent.parent / "samples" / "tan-lap-ktxh-2023.txt")
    r2 = r.set("doc.signer_capacity", "TL.")
    assert r2.closing.signer_capacity == "TL."
    assert r2.text == r.text.replace("\nKT. CHỦ TỊCH\n", "\nTL. CHỦ TỊCH\n")
