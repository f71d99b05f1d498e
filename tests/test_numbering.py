"""Word's automatic numbering: labels resolved from hand-built numbering.xml cases.

Each case builds a .docx (python-docx + lxml, tests/data/docx/builders.py), reads it with the
docx reader and asserts the labels Word shows. One combined case (shared counters,
startOverride, restart after a parent, multi-level templates, style-linked lists) is cross-checked
against LibreOffice's own rendering when ``soffice`` is installed. LibreOffice departs from Word
elsewhere, so the other cases assert Word's labels: lvlRestart 0, isLgl, a level used before its
parent (Word shows 0), w:suff nothing, vietnameseCounting, a style numPr without w:ilvl, and the
bullet characters of its text export ("•" for "-").
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from bcparse.readers.docx import read_docx
from bcparse.readers.numbering import bullet_text, format_number, to_letters, to_roman, to_vietnamese

_spec = importlib.util.spec_from_file_location("builders", Path(__file__).parent / "data" / "docx" / "builders.py")
assert _spec and _spec.loader
B = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(B)

# the report outline: I. / 1. / a)
OUTLINE = B.abstract(
    100,
    B.lvl(0, "upperRoman", "%1."),
    B.lvl(1, "decimal", "%2."),
    B.lvl(2, "lowerLetter", "%3)"),
    B.lvl(3, "bullet", "-"),
)


def texts(data: bytes) -> list[str]:
    return [b.text for b in read_docx(data).blocks]


def labels(data: bytes) -> list[str | None]:
    return [b.label for b in read_docx(data).blocks]


# ---- formats --------------------------------------------------------------------------------


def test_formats() -> None:
    assert [to_roman(n) for n in (1, 4, 9, 14, 40, 90, 400, 1994)] == [
        "I", "IV", "IX", "XIV", "XL", "XC", "CD", "MCMXCIV"]
    # Word's letters: the Latin alphabet (no đ), then doubled
    assert [to_letters(n) for n in (1, 4, 5, 6, 26, 27, 28, 53)] == ["a", "d", "e", "f", "z", "aa", "bb", "aaa"]
    assert format_number(3, "upperLetter") == "C"
    assert format_number(7, "lowerRoman") == "vii"
    assert format_number(5, "decimalZero") == "05"
    assert format_number(12, "decimalZero") == "12"
    assert format_number(3, "ordinal") == "3rd"  # as LibreOffice writes it (tests/test_numbering_formats.py)
    assert format_number(3, "decimalHalfWidth") == "3"  # unknown to bcparse: decimal
    assert format_number(3, "none") == ""
    assert format_number(2_000_000_000, "upperRoman") == "2000000000"  # a hostile w:start stays short
    assert [to_vietnamese(n) for n in (1, 5, 10, 15, 21, 24, 35, 100)] == [
        "một", "năm", "mười", "mười lăm", "hai mươi mốt", "hai mươi bốn", "ba mươi lăm", "100"]
    assert bullet_text("\uf0b7") == "•"
    assert bullet_text("-") == "-"
    assert bullet_text("o") == "o"


# ---- counting -------------------------------------------------------------------------------


def test_multilevel_restart_after_parent() -> None:
    body = (
        B.p("KẾT QUẢ", num=101, ilvl=0)
        + B.p("Công tác tuyên truyền", num=101, ilvl=1)
        + B.p("Tổ chức 12 hội nghị", num=101, ilvl=2)
        + B.p("Phát 300 tờ rơi", num=101, ilvl=2)
        + B.p("Xã Bình Thành", num=101, ilvl=3)
        + B.p("Công tác thi đua", num=101, ilvl=1)
        + B.p("Khen thưởng", num=101, ilvl=2)
        + B.p("Văn bản thường")
        + B.p("PHƯƠNG HƯỚNG", num=101, ilvl=0)
        + B.p("Nhiệm vụ", num=101, ilvl=1)
        + B.p("Giải pháp", num=101, ilvl=2)
    )
    data = B.package(body, numbering=OUTLINE + B.num(101, 100))
    assert texts(data) == [
        "I. KẾT QUẢ",
        "1. Công tác tuyên truyền",
        "a) Tổ chức 12 hội nghị",
        "b) Phát 300 tờ rơi",
        "- Xã Bình Thành",
        "2. Công tác thi đua",
        "a) Khen thưởng",
        "Văn bản thường",
        "II. PHƯƠNG HƯỚNG",
        "1. Nhiệm vụ",
        "a) Giải pháp",
    ]
    assert labels(data)[:3] == ["I.", "1.", "a)"]
    assert labels(data)[7] is None


def test_start_override_and_shared_abstract() -> None:
    """Two w:num over one abstractNum continue one list; a startOverride restarts it."""
    numbering = OUTLINE + B.num(101, 100) + B.num(102, 100) + B.num(103, 100, B.start_override(0, 2))
    body = (
        B.p("Một", num=101, ilvl=0)
        + B.p("Hai", num=101, ilvl=0)
        + B.p("Ba, qua w:num khác", num=102, ilvl=0)  # shares the counters: III.
        + B.p("Lại II", num=103, ilvl=0)  # startOverride 2
        + B.p("Mục con", num=103, ilvl=1)
        + B.p("Tiếp", num=103, ilvl=0)
    )
    data = B.package(body, numbering=numbering)
    assert labels(data) == ["I.", "II.", "III.", "II.", "1.", "III."]


def test_start_value_and_restart_override() -> None:
    ab = B.abstract(110, B.lvl(0, "decimal", "%1.", start=5), B.lvl(1, "lowerLetter", "%2)", start=3))
    body = (
        B.p("năm", num=111, ilvl=0)
        + B.p("c", num=111, ilvl=1)
        + B.p("d", num=111, ilvl=1)
        + B.p("sáu", num=111, ilvl=0)
        + B.p("c lại", num=111, ilvl=1)
        + B.p("mới", num=112, ilvl=0)
    )
    data = B.package(body, numbering=ab + B.num(111, 110) + B.num(112, 110, B.start_override(0, 1)))
    assert labels(data) == ["5.", "c)", "d)", "6.", "c)", "1."]


def test_multilevel_template_and_legal() -> None:
    ab = B.abstract(
        120,
        B.lvl(0, "upperRoman", "%1."),
        B.lvl(1, "decimal", "%1.%2."),
        B.lvl(2, "decimal", "%1.%2.%3.", extra="<w:isLgl/>"),
    )
    body = (
        B.p("A", num=121, ilvl=1)  # a level under a parent never used: Word's "0"
        + B.p("B", num=121, ilvl=0)
        + B.p("C", num=121, ilvl=1)
        + B.p("D", num=121, ilvl=1)
        + B.p("E", num=121, ilvl=2)
        + B.p("F", num=121, ilvl=0)
        + B.p("G", num=121, ilvl=1)
    )
    data = B.package(body, numbering=ab + B.num(121, 120))
    assert labels(data) == ["0.1.", "I.", "I.1.", "I.2.", "1.2.1.", "II.", "II.1."]


def test_lvl_restart_never() -> None:
    ab = B.abstract(
        130,
        B.lvl(0, "upperRoman", "Phần %1"),
        B.lvl(1, "decimal", "Điều %2.", extra='<w:lvlRestart w:val="0"/>'),
    )
    body = (
        B.p("QUY ĐỊNH CHUNG", num=131, ilvl=0)
        + B.p("Phạm vi", num=131, ilvl=1)
        + B.p("Đối tượng", num=131, ilvl=1)
        + B.p("QUY ĐỊNH CỤ THỂ", num=131, ilvl=0)
        + B.p("Thể thức", num=131, ilvl=1)
    )
    data = B.package(body, numbering=ab + B.num(131, 130))
    assert texts(data) == [
        "Phần I QUY ĐỊNH CHUNG",
        "Điều 1. Phạm vi",
        "Điều 2. Đối tượng",
        "Phần II QUY ĐỊNH CỤ THỂ",
        "Điều 3. Thể thức",  # never restarts
    ]


def test_literal_text_none_bullets_and_suffix() -> None:
    ab = B.abstract(
        140,
        B.lvl(0, "none", ""),  # numFmt none, no text: no label at all
        B.lvl(1, "none", "%2."),  # none with a template: the number is empty, nothing left but "."
        B.lvl(2, "bullet", "\uf0b7"),  # Symbol bullet
        B.lvl(3, "bullet", "o"),
        B.lvl(4, "decimal", "Phần thứ %5", extra='<w:suff w:val="space"/>'),
        B.lvl(5, "decimalZero", "%6.", extra='<w:suff w:val="nothing"/>'),
        B.lvl(6, "upperLetter", "%7/"),
        B.lvl(7, "vietnameseCounting", "Mục %8:"),
    )
    body = (
        B.p("không số", num=141, ilvl=0)
        + B.p("chấm", num=141, ilvl=1)
        + B.p("chấm tròn", num=141, ilvl=2)
        + B.p("chữ o", num=141, ilvl=3)
        + B.p("nhất", num=141, ilvl=4)
        + B.p("liền", num=141, ilvl=5)
        + B.p("chữ hoa", num=141, ilvl=6)
        + B.p("chữ số Việt", num=141, ilvl=7)
    )
    data = B.package(body, numbering=ab + B.num(141, 140))
    assert texts(data) == [
        "không số",
        ". chấm",
        "• chấm tròn",
        "o chữ o",
        "Phần thứ 1 nhất",
        "01.liền",
        "A/ chữ hoa",
        "Mục một: chữ số Việt",
    ]
    assert labels(data)[0] is None


def test_num_id_zero_and_unknown() -> None:
    styles = (
        '<w:style w:type="paragraph" w:styleId="Muc"><w:name w:val="Muc"/><w:basedOn w:val="Normal"/>'
        '<w:pPr><w:numPr><w:numId w:val="151"/></w:numPr></w:pPr></w:style>'
    )
    ab = B.abstract(150, B.lvl(0, "decimal", "%1."))
    body = (
        B.p("Một", style="Muc")
        + B.p("Tắt số", style="Muc", num=0)  # numId 0: no numbering, even through the style
        + B.p("Hai", style="Muc")
        + B.p("Không định nghĩa", num=999, ilvl=0)
        + B.p("Cấp lạ", num=151, ilvl=7)
    )
    data = B.package(body, numbering=ab + B.num(151, 150), styles=styles)
    assert texts(data) == ["1. Một", "Tắt số", "2. Hai", "Không định nghĩa", "Cấp lạ"]


STYLE_LINKED = (
    '<w:style w:type="paragraph" w:styleId="Muc1"><w:name w:val="Mục 1"/>'
    '<w:pPr><w:numPr><w:numId w:val="161"/></w:numPr></w:pPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="Muc2"><w:name w:val="Mục 2"/><w:basedOn w:val="Muc1"/>'
    '<w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="161"/></w:numPr></w:pPr></w:style>'
)
STYLE_LINKED_NUMBERING = B.abstract(
    160,
    B.lvl(0, "upperRoman", "%1.", extra='<w:pStyle w:val="Muc1"/>'),
    B.lvl(1, "decimal", "%2.", extra='<w:pStyle w:val="Muc2"/>'),
    B.lvl(2, "lowerLetter", "%3)", extra='<w:pStyle w:val="Muc3"/>'),
) + B.num(161, 160)


def test_style_numbering_list_number_and_style_chain() -> None:
    """python-docx's template "List Number" (numPr in the style only), a style based on it, and
    outline numbering in heading-like styles (Word writes the level in the style's numPr and
    links the w:lvl back to the style with w:pStyle)."""
    styles = (
        '<w:style w:type="paragraph" w:styleId="ListNumberBold"><w:name w:val="List Number Bold"/>'
        '<w:basedOn w:val="ListNumber"/><w:rPr><w:b/></w:rPr></w:style>'
        + STYLE_LINKED
        # no w:ilvl in the style: the level is the w:lvl whose w:pStyle names it (ECMA-376
        # 17.9.23); LibreOffice 7.4 takes level 0 here instead
        + '<w:style w:type="paragraph" w:styleId="Muc3"><w:name w:val="Mục 3"/>'
        '<w:pPr><w:numPr><w:numId w:val="161"/></w:numPr></w:pPr></w:style>'
    )
    body = (
        B.p("Mục theo style List Number", style="ListNumber")
        + B.p("Mục thứ hai", style="ListNumber")
        + B.p("Kế thừa style", style="ListNumberBold")
        + B.p("TÌNH HÌNH", style="Muc1")
        + B.p("Kinh tế", style="Muc2")
        + B.p("Trồng trọt", style="Muc3")
        + B.p("Xã hội", style="Muc2")
        + B.p("PHƯƠNG HƯỚNG", style="Muc1")
        + B.p("Nhiệm vụ", style="Muc2")
    )
    data = B.package(body, numbering=STYLE_LINKED_NUMBERING, styles=styles)
    doc = read_docx(data)
    assert [b.text for b in doc.blocks] == [
        "1. Mục theo style List Number",
        "2. Mục thứ hai",
        "3. Kế thừa style",
        "I. TÌNH HÌNH",
        "1. Kinh tế",
        "a) Trồng trọt",
        "2. Xã hội",
        "II. PHƯƠNG HƯỚNG",
        "1. Nhiệm vụ",
    ]
    assert doc.blocks[2].bold is True and doc.blocks[2].style == "List Number Bold"


def test_num_style_link() -> None:
    """An abstractNum that only names a numbering style (w:numStyleLink) takes its levels from
    the abstractNum that defines that style (w:styleLink), and shares its counters."""
    styles = (
        '<w:style w:type="numbering" w:styleId="DanhSachBaoCao"><w:name w:val="Danh sách báo cáo"/>'
        '<w:pPr><w:numPr><w:numId w:val="171"/></w:numPr></w:pPr></w:style>'
    )
    definer = B.abstract(
        170, B.lvl(0, "upperRoman", "%1."), B.lvl(1, "lowerLetter", "%2)"),
        extra='<w:styleLink w:val="DanhSachBaoCao"/>',
    )
    user = B.abstract(172, extra='<w:numStyleLink w:val="DanhSachBaoCao"/>')
    numbering = definer + user + B.num(171, 170) + B.num(173, 172)
    body = (
        B.p("Một", num=173, ilvl=0)
        + B.p("điểm", num=173, ilvl=1)
        + B.p("Hai", num=171, ilvl=0)
    )
    data = B.package(body, numbering=numbering, styles=styles)
    assert texts(data) == ["I. Một", "a) điểm", "II. Hai"]


def test_empty_numbered_paragraph_shows_its_label_and_counts() -> None:
    body = B.p("một", num=101, ilvl=1) + B.p("", num=101, ilvl=1) + B.p("ba", num=101, ilvl=1)
    data = B.package(body, numbering=OUTLINE + B.num(101, 100))
    assert texts(data) == ["1. một", "2.", "3. ba"]


# ---- against LibreOffice --------------------------------------------------------------------

CROSS_CHECK_NUMBERING = (
    OUTLINE
    + B.abstract(120, B.lvl(0, "decimal", "%1."), B.lvl(1, "decimal", "%1.%2."))
    + B.num(101, 100)
    + B.num(102, 100)
    + B.num(103, 100, B.start_override(0, 2))
    + B.num(121, 120)
    + STYLE_LINKED_NUMBERING
)
CROSS_CHECK_BODY = (
    B.p("KẾT QUẢ THỰC HIỆN", num=101, ilvl=0)
    + B.p("Công tác tuyên truyền", num=101, ilvl=1)
    + B.p("Tổ chức 12 hội nghị", num=101, ilvl=2)
    + B.p("Phát 300 tờ rơi", num=101, ilvl=2)
    + B.p("Công tác thi đua", num=101, ilvl=1)
    + B.p("Khen thưởng 5 tập thể", num=101, ilvl=2)
    + B.p("TỒN TẠI", num=102, ilvl=0)
    + B.p("Hạn chế", num=102, ilvl=1)
    + B.p("NGUYÊN NHÂN", num=103, ilvl=0)
    + B.p("PHƯƠNG HƯỚNG", num=103, ilvl=0)
    + B.p("Nhiệm vụ", num=103, ilvl=1)
    + B.p("Chỉ tiêu", num=121, ilvl=0)
    + B.p("Chỉ tiêu con", num=121, ilvl=1)
    + B.p("Chỉ tiêu con nữa", num=121, ilvl=1)
    + B.p("Mục theo style List Number", style="ListNumber")
    + B.p("Mục thứ hai", style="ListNumber")
    + B.p("TÌNH HÌNH", style="Muc1")
    + B.p("Kinh tế", style="Muc2")
    + B.p("Xã hội", style="Muc2")
    + B.p("PHƯƠNG HƯỚNG", style="Muc1")
    + B.p("Nhiệm vụ", style="Muc2")
)


def test_cross_check_with_libreoffice() -> None:
    data = B.package(CROSS_CHECK_BODY, numbering=CROSS_CHECK_NUMBERING, styles=STYLE_LINKED)
    mine = texts(data)
    assert mine == [
        "I. KẾT QUẢ THỰC HIỆN",
        "1. Công tác tuyên truyền",
        "a) Tổ chức 12 hội nghị",
        "b) Phát 300 tờ rơi",
        "2. Công tác thi đua",
        "a) Khen thưởng 5 tập thể",
        "II. TỒN TẠI",
        "1. Hạn chế",
        "II. NGUYÊN NHÂN",
        "III. PHƯƠNG HƯỚNG",
        "1. Nhiệm vụ",
        "1. Chỉ tiêu",
        "1.1. Chỉ tiêu con",
        "1.2. Chỉ tiêu con nữa",
        "1. Mục theo style List Number",
        "2. Mục thứ hai",
        "I. TÌNH HÌNH",
        "1. Kinh tế",
        "2. Xã hội",
        "II. PHƯƠNG HƯỚNG",
        "1. Nhiệm vụ",
    ]
    if B.soffice() is None:
        print("LibreOffice (soffice) is not installed: cross-check skipped")
        pytest.skip("LibreOffice (soffice) is not installed")
    theirs = B.soffice_text(data)
    assert theirs is not None, "LibreOffice did not convert the case"
    assert theirs == mine
