"""Word numbering formats beyond decimal, roman and letters (issue 19, item 8): ordinal,
cardinalText, ordinalText as LibreOffice writes them, CJK counting, enclosed circles; decimalZero
keeps its zero inside a multi-level label ("1.01"), isLgl makes every level decimal."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from bcparse.readers.docx import read_docx
from bcparse.readers.numbering import format_number

_spec = importlib.util.spec_from_file_location("builders", Path(__file__).parent / "data" / "docx" / "builders.py")
assert _spec and _spec.loader
B = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(B)


def test_text_formats() -> None:
    assert [format_number(n, "ordinal") for n in (1, 2, 3, 4, 11, 12, 13, 21, 102)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "102nd"]
    assert [format_number(n, "cardinalText") for n in (1, 13, 20, 21, 99)] == [
        "One", "Thirteen", "Twenty", "Twenty-one", "Ninety-nine"]
    assert [format_number(n, "ordinalText") for n in (1, 2, 3, 5, 9, 12, 20, 21)] == [
        "First", "Second", "Third", "Fifth", "Ninth", "Twelfth", "Twentieth", "Twenty-first"]
    assert [format_number(n, "chineseCounting") for n in (1, 10, 11, 20, 23)] == ["一", "十", "十一", "二十", "二十三"]
    assert format_number(10, "ideographDigital") == "一〇"
    assert format_number(3, "decimalEnclosedCircle") == "③"
    assert format_number(120, "cardinalText") == "120"  # beyond the words: digits


def test_decimal_zero_and_text_formats_in_a_document() -> None:
    numbering = (
        B.abstract(140, B.lvl(0, "decimalZero", "%1."), B.lvl(1, "decimalZero", "%1.%2."))
        + B.num(141, 140)
        + B.abstract(150, B.lvl(0, "upperRoman", "%1."), B.lvl(1, "decimal", "%1.%2.", extra="<w:isLgl/>"),
                     B.lvl(2, "ordinalText", "%3:"), B.lvl(3, "cardinalText", "%4)"))
        + B.num(151, 150)
    )
    body = (
        B.p("Kết quả", num=141, ilvl=0) + B.p("Tuyên truyền", num=141, ilvl=1) + B.p("Kiểm tra", num=141, ilvl=1)
        + B.p("Nhiệm vụ", num=151, ilvl=0) + B.p("Chi tiết", num=151, ilvl=1) + B.p("Một", num=151, ilvl=2)
        + B.p("Hai", num=151, ilvl=2) + B.p("Ba", num=151, ilvl=3)
    )
    labels = [b.label for b in read_docx(B.package(body, numbering=numbering)).blocks]
    assert labels == ["01.", "01.01.", "01.02.", "I.", "1.1.", "First:", "Second:", "One)"]


# ---- the text view joins only what a page break split -----------------------------------------


def test_docx_join_only_mends_a_page_break_split() -> None:
    # two real paragraphs, the second opening in lower case ("xã đã …" after a heading-like line)
    body = B.p("Kết quả giải quyết hồ sơ của") + B.p("xã Tân Hà đạt 98%.")
    assert [b.text for b in read_docx(B.package(body)).blocks] == [
        "Kết quả giải quyết hồ sơ của", "xã Tân Hà đạt 98%."]
    # the same split by a page break (Word recorded it): one paragraph again
    body = (B.p(runs=B.r("Kết quả giải quyết hồ sơ của") + '<w:r><w:br w:type="page"/></w:r>')
            + B.p("xã Tân Hà đạt 98%."))
    doc = read_docx(B.package(body))
    assert [b.text for b in doc.blocks] == ["Kết quả giải quyết hồ sơ của xã Tân Hà đạt 98%."]
    assert doc.blocks[0].joins == [len("Kết quả giải quyết hồ sơ của")]


def test_docx_numbered_paragraph_is_never_joined_onto() -> None:
    numbering = B.abstract(160, B.lvl(0, "decimal", "%1.")) + B.num(161, 160)
    body = (B.p(runs=B.r("Công tác phối hợp với") + '<w:r><w:br w:type="page"/></w:r>', num=161, ilvl=0)
            + B.p("các ngành được duy trì."))
    doc = read_docx(B.package(body, numbering=numbering))
    assert [b.text for b in doc.blocks] == ["1. Công tác phối hợp với", "các ngành được duy trì."]


# ---- Strict Open XML ----------------------------------------------------------------------------


def _as_strict(data: bytes) -> bytes:
    """The package with its parts in the Strict namespaces, as Word's "Strict Open XML Document"
    writes them (the element names are the same)."""
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            blob = zin.read(info)
            if info.filename.endswith((".xml", ".rels")):
                blob = blob.replace(b"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
                                    b"http://purl.oclc.org/ooxml/wordprocessingml/main")
                blob = blob.replace(b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
                                    b"http://purl.oclc.org/ooxml/officeDocument/relationships")
            zout.writestr(info, blob)
    return out.getvalue()


def test_strict_open_xml_is_read() -> None:
    numbering = B.abstract(170, B.lvl(0, "upperRoman", "%1."), B.lvl(1, "decimalZero", "%2.")) + B.num(171, 170)
    body = B.p("KẾT QUẢ", num=171, ilvl=0) + B.p("Tuyên truyền", num=171, ilvl=1) + B.p("Xã có 1.422 hộ.")
    data = _as_strict(B.package(body, numbering=numbering))
    import io
    import zipfile

    assert b"purl.oclc.org/ooxml/wordprocessingml/main" in zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    doc = read_docx(data)
    assert [b.text for b in doc.blocks] == ["I. KẾT QUẢ", "01. Tuyên truyền", "Xã có 1.422 hộ."]


def test_strict_open_xml_is_refused_by_the_in_place_editor() -> None:
    import pytest

    from bcparse.errors import UnsupportedFormatError
    from bcparse.readers.docx.package import open_word_document

    data = _as_strict(B.package(B.p("Xã có 1.422 hộ.")))
    with pytest.raises(UnsupportedFormatError, match="Strict Open XML"):
        open_word_document(data, keep_comments=True)


def test_strict_open_xml_is_edited_in_place_and_stays_strict() -> None:
    import io
    import zipfile

    import bcparse
    from bcparse.edit import Edit
    from bcparse.render import edit_docx

    data = _as_strict(B.package(B.p("Tổng số hộ: 1.422 hộ.")))
    r = bcparse.parse(data)
    f = next(f for f in r.figures(all=True) if f.raw.startswith("1.422"))
    e = Edit(key="households", line=f.span.line, col=f.span.col, old="1.422", new="1.423",
             line_text=r.text.split("\n")[0], span=f.span)
    out = edit_docx(data, [e])
    xml = zipfile.ZipFile(io.BytesIO(out)).read("word/document.xml")
    assert b"purl.oclc.org/ooxml/wordprocessingml/main" in xml
    assert b"schemas.openxmlformats.org/wordprocessingml" not in xml
    assert bcparse.parse(out).text == "Tổng số hộ: 1.423 hộ."
