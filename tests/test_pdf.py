"""The .pdf reader: layout to paragraphs, the two-column header, page furniture, typed errors.

Fixtures live in tests/data/pdf/ (built by tests/data/pdf/make_fixtures.py, committed); the
sample report's PDF is samples/binh-thanh-doi-ngoai-2024.pdf (scripts/make_sample_pdf.py).
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

import bcparse
from bcparse import limits
from bcparse.errors import (
    BcparseError,
    CorruptFileError,
    EncryptedPdfError,
    ResourceLimitError,
    ScannedPdfError,
    UnsafeFileError,
)
from bcparse.readers.pdf import font_style

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data" / "pdf"
SAMPLE_PDF = ROOT / "samples" / "binh-thanh-doi-ngoai-2024.pdf"
SAMPLE_DOCX = ROOT / "samples" / "binh-thanh-doi-ngoai-2024.docx"

_cache: dict[Path, bcparse.Document] = {}


def read(path: Path) -> bcparse.Document:
    if path not in _cache:
        _cache[path] = bcparse.read(path)
    return _cache[path]


def lines(doc: bcparse.Document) -> list[str]:
    return doc.text.split("\n")


def block(doc: bcparse.Document, start: str) -> bcparse.Block:
    found = [b for b in doc.blocks if b.text.startswith(start)]
    assert found, f"no block starts with {start!r}"
    return found[0]


# ---------------------------------------------------------------------------------------------
# The sample report
# ---------------------------------------------------------------------------------------------

needs_sample = pytest.mark.skipif(not SAMPLE_PDF.exists(), reason="samples/*.pdf not built yet")


@needs_sample
def test_sample_reads_with_pages() -> None:
    doc = read(SAMPLE_PDF)
    assert doc.format == "pdf"
    assert doc.meta["pages"] >= 2
    assert all(b.source.page and b.source.paragraph for b in doc.blocks)
    assert doc.blocks[-1].source.page > 1
    # paragraphs are numbered in order on each page
    for page in {b.source.page for b in doc.blocks}:
        ks = [b.source.paragraph for b in doc.blocks if b.source.page == page]
        assert ks == sorted(ks) and len(set(ks)) == len(ks)


@needs_sample
def test_sample_header_is_split_into_columns() -> None:
    ls = lines(read(SAMPLE_PDF))
    assert "ỦY BAN NHÂN DÂN" in ls
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in ls
    assert "Độc lập - Tự do - Hạnh phúc" in ls
    # the left column first, as the .docx reader emits the header table's cells
    assert ls.index("ỦY BAN NHÂN DÂN") < ls.index("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert not any("DÂN CỘNG" in ln for ln in ls)


@needs_sample
def test_sample_headings_on_their_own_lines() -> None:
    ls = lines(read(SAMPLE_PDF))
    assert "I. ĐẶC ĐIỂM TÌNH HÌNH" in ls
    assert any(ln.startswith("II. Tình hình công tác đối ngoại") for ln in ls)
    assert "II. Những khó khăn, hạn chế, nguyên nhân" in ls  # the repeated "II."
    assert "III. Phương hướng, nhiệm vụ năm 2025" in ls
    assert "IV. Kiến nghị đề xuất của địa phương, đơn vị" in ls
    assert "2. Công tác thông tin tuyên truyền đối ngoại" in ls


@needs_sample
def test_sample_page_split_paragraph_is_joined() -> None:
    doc = read(SAMPLE_PDF)
    b = [b for b in doc.blocks if "chưa đáp ứng được yêu cầu phát triển" in b.text]
    assert len(b) == 1
    assert b[0].joins
    assert not any(ln.startswith("yêu cầu phát triển") for ln in lines(doc))


@needs_sample
def test_sample_has_no_page_numbers() -> None:
    ls = lines(read(SAMPLE_PDF))
    assert not [ln for ln in ls if re.fullmatch(r"\W*\d{1,3}\W*", ln)]


@needs_sample
def test_sample_closing_columns() -> None:
    doc = read(SAMPLE_PDF)
    ls = lines(doc)
    assert "Nơi nhận:" in ls
    assert "TM. ỦY BAN NHÂN DÂN" in ls
    assert ls.index("- Lưu: VP.") < ls.index("TM. ỦY BAN NHÂN DÂN") < ls.index("Ma Khánh Sơn")
    assert doc.blocks[-1].text == "Ma Khánh Sơn"


@needs_sample
def test_sample_view_equals_docx_view() -> None:
    """The PDF (LibreOffice's export of the sample .docx) reads as the .docx does, block for block:
    text, kind (paragraph / table cell), bold, italic, size, alignment. Named differences:

    1. An empty paragraph at the bottom of a page leaves no trace in a PDF, so the block that
       opens the next page has fewer blank lines (``gap``) before it than in the .docx view.
    2. A PDF cannot tell Word's automatic numbering from typed numbers: the "I." is in the text
       of both views, but only the .docx reader fills ``Block.label``.
    """
    pdf = read(SAMPLE_PDF).blocks
    docx = bcparse.read(SAMPLE_DOCX).blocks

    def key(b: bcparse.Block) -> tuple[object, ...]:
        return (b.text, b.kind, bool(b.bold), bool(b.italic), b.size, b.align)

    assert [key(b) for b in pdf] == [key(b) for b in docx]
    # difference 1
    lost = [i for i, (p, d) in enumerate(zip(pdf, docx, strict=True)) if p.gap != d.gap]
    for i in lost:
        assert pdf[i].gap < docx[i].gap, pdf[i].text
        assert pdf[i].source.page != pdf[i - 1].source.page, f"not at a page break: {pdf[i].text}"
    assert len(lost) <= 3
    # difference 2
    assert all(b.label is None for b in pdf)
    assert any(b.label for b in docx)


# ---------------------------------------------------------------------------------------------
# Two-column header and closing
# ---------------------------------------------------------------------------------------------


def test_two_column_header_left_then_right() -> None:
    doc = read(DATA / "two-columns.pdf")
    ls = lines(doc)
    left = ["UBND HUYỆN ĐỊNH HÓA", "ỦY BAN NHÂN DÂN", "XÃ BÌNH THÀNH", "Số: 12/BC-UBND"]
    right = [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "",
        "Bình Thành, ngày 20 tháng 11 năm 2024",
    ]
    assert ls[: len(left) + len(right)] == left + right
    for b in doc.blocks[:7]:
        assert b.kind == "cell" and b.align == "center"
    assert [b.source.cell for b in doc.blocks[:7]] == [1, 1, 1, 1, 2, 2, 2]
    # the quốc hiệu wrapped in its cell: one paragraph again
    qh = block(doc, "CỘNG HÒA")
    assert qh.bold and qh.size == 13.0
    date = block(doc, "Bình Thành, ngày")
    assert date.italic and not date.bold and date.gap == 1


def test_two_column_body_paragraphs() -> None:
    doc = read(DATA / "two-columns.pdf")
    title = block(doc, "BÁO CÁO")
    assert title.kind == "paragraph" and title.align == "center" and title.bold and title.gap == 1
    assert block(doc, "Kết quả công tác đối ngoại năm 2024").gap == 0
    h1 = block(doc, "I. ĐẶC ĐIỂM TÌNH HÌNH")
    assert h1.text == "I. ĐẶC ĐIỂM TÌNH HÌNH" and h1.bold and h1.gap == 1
    body = block(doc, "Bình Thành là một xã")
    assert body.text.endswith("gồm 08 dân tộc anh em cùng chung sống.")
    assert body.align == "justify" and not body.bold and body.size == 14.0
    assert block(doc, "II. Những khó khăn, hạn chế").gap == 1  # one empty paragraph before it


def test_two_column_closing() -> None:
    doc = read(DATA / "two-columns.pdf")
    ls = lines(doc)
    i = ls.index("Nơi nhận:")
    assert ls[i : i + 6] == [
        "Nơi nhận:",
        "- UBND huyện;",
        "- TV Đảng uỷ - TT HĐND xã;",
        "- Lưu: VP.",
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
    ]
    noi_nhan = block(doc, "Nơi nhận:")
    assert noi_nhan.bold and noi_nhan.italic and noi_nhan.source.cell == 1
    assert block(doc, "- UBND huyện;").size == 11.0
    # the signer's name under three empty paragraphs still belongs to the right column
    name = doc.blocks[-1]
    assert name.text == "Ma Khánh Sơn" and name.kind == "cell" and name.source.cell == 2 and name.gap == 3


# ---------------------------------------------------------------------------------------------
# Page furniture, paragraphs across pages, fake bold
# ---------------------------------------------------------------------------------------------


def test_running_header_footer_and_page_numbers_removed() -> None:
    doc = read(DATA / "running-header.pdf")
    assert doc.meta["pages"] == 3
    text = doc.text
    assert "Trang" not in text
    assert "Báo cáo công tác đối ngoại năm 2024 - UBND" not in text
    assert not [ln for ln in lines(doc) if re.fullmatch(r"\W*\d{1,3}\W*", ln)]
    removed = doc.meta["removed"]
    assert "Trang 3/3" in removed and "2" in removed and "3" in removed


def test_paragraphs_flow_across_pages() -> None:
    doc = read(DATA / "running-header.pdf")
    paras = [b for b in doc.blocks if b.text.startswith("Đoạn")]
    assert len(paras) == 12
    for n, b in enumerate(paras, start=1):
        assert b.text.startswith(f"Đoạn {n}: ") and b.text.endswith(f"Hết đoạn {n}.")
    joined = [b for b in paras if b.joins]
    assert joined, "a paragraph split by a page break should have been joined"
    assert all(not b.text[0].islower() for b in doc.blocks)
    assert {b.source.page for b in doc.blocks} == {1, 2, 3}


def test_fake_bold_rotated_note_and_dash_page_numbers() -> None:
    doc = read(DATA / "fake-bold.pdf")
    ls = lines(doc)
    assert "I. GENERAL SITUATION" in ls  # drawn twice, 0.4 pt apart
    assert "II. DIFFICULTIES" in ls  # every character drawn twice
    assert "archive" not in doc.text  # the margin note rotated by 90 degrees
    assert "- 1 -" not in ls and "- 2 -" not in ls
    para = block(doc, "The report counts")
    assert para.text.endswith("its neighbouring villages, as the survey of the year found out.")
    assert para.source.page == 1 and para.joins
    assert block(doc, "Funding").gap == 1
    assert "The commune covers 284 km2 of land." in ls  # the superscript stays in its line


def test_rotated_page() -> None:
    doc = bcparse.read(DATA / "rotated.pdf")
    assert [b.text for b in doc.blocks] == ["First line of the landscape page.", "Second line, below it."]


def test_legacy_font_words_are_converted(monkeypatch: pytest.MonkeyPatch) -> None:
    """Words in a font bcparse.legacy_encodings knows (.VnTime: TCVN3) go through its converter."""
    from bcparse import legacy_encodings as encodings

    def font_encoding(name: str | None) -> tuple[str, bool] | None:
        return ("tcvn3", False) if name and name.startswith(".VnTime") else None

    def convert(text: str, encoding: str, *, upper: bool = False) -> str:
        assert encoding == "tcvn3" and not upper
        return text.translate(str.maketrans({"\u00d7": "ì", "\u00b5": "à", "\u00b7": "ã"}))

    monkeypatch.setattr(encodings, "font_encoding", font_encoding, raising=False)
    monkeypatch.setattr(encodings, "convert", convert, raising=False)
    doc = bcparse.read(DATA / "legacy-font.pdf")
    assert [b.text for b in doc.blocks] == ["UBND xã Bình Thành", "Plain text in Helvetica."]
    assert doc.blocks[0].encoding == "tcvn3"
    assert doc.blocks[1].encoding is None


def test_legacy_font_without_converter(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without bcparse.legacy_encodings.font_encoding the legacy bytes stay as they are."""
    from bcparse import legacy_encodings as encodings

    monkeypatch.delattr(encodings, "font_encoding", raising=False)
    doc = bcparse.read(DATA / "legacy-font.pdf")
    assert doc.blocks[0].text == "UBND x\u00b7 B\u00d7nh Th\u00b5nh"
    assert doc.blocks[0].encoding is None


def test_legacy_font_with_the_real_converter() -> None:
    from bcparse import legacy_encodings as encodings

    if not hasattr(encodings, "font_encoding"):
        pytest.skip("bcparse.legacy_encodings has no font_encoding yet")
    doc = bcparse.read(DATA / "legacy-font.pdf")
    assert doc.blocks[0].text == "UBND xã Bình Thành"


# ---------------------------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------------------------


def test_encrypted_needs_password() -> None:
    path = DATA / "encrypted.pdf"
    with pytest.raises(EncryptedPdfError, match="--password") as e:
        bcparse.read(path)
    assert "give its password" in str(e.value)
    with pytest.raises(EncryptedPdfError, match="password"):
        bcparse.read(path, password="wrong")
    doc = bcparse.read(path, password="secret")
    assert "ỦY BAN NHÂN DÂN" in lines(doc)
    assert lines(doc) == lines(read(DATA / "two-columns.pdf"))


def test_scanned_pdf() -> None:
    # without OCR (--ocr never); with it, tests/test_ocr.py reads the page
    with pytest.raises(ScannedPdfError, match="ocrmypdf"):
        bcparse.read(DATA / "scanned.pdf", ocr="never")


def test_truncated_pdf(tmp_path: Path) -> None:
    data = (DATA / "two-columns.pdf").read_bytes()
    for cut in (len(data) // 2, len(data) - 200, 2000):
        with pytest.raises(CorruptFileError, match="truncated"):
            bcparse.read(data[:cut])
    p = tmp_path / "cut.pdf"
    p.write_bytes(data[: len(data) // 3])
    with pytest.raises(CorruptFileError) as e:
        bcparse.read(p)
    assert str(p) in str(e.value)


def test_garbage_after_pdf_signature() -> None:
    with pytest.raises(CorruptFileError):
        bcparse.read(b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n")


def test_damaged_bytes_give_typed_errors_only() -> None:
    data = bytearray((DATA / "running-header.pdf").read_bytes())
    for i, pos in enumerate(range(500, len(data) - 500, len(data) // 9)):
        bad = bytearray(data)
        bad[pos : pos + 64] = bytes((b * 7 + i) % 256 for b in range(64))
        try:
            doc = bcparse.read(bytes(bad))
        except BcparseError:
            continue
        assert doc.format == "pdf"


def test_flate_bomb_is_refused() -> None:
    """A content stream inflating 40 kB → 40 MB is refused before PDFium inflates it."""
    with pytest.raises(UnsafeFileError, match="decompression bomb"):
        bcparse.read(DATA / "flate-bomb.pdf")


def test_streams_over_the_unzipped_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "_current", dataclasses.replace(limits.current(), max_unzipped_bytes=4096))
    with pytest.raises(UnsafeFileError, match="4,096 bytes"):
        bcparse.read(DATA / "two-columns.pdf")


def test_form_xobject_fanout_is_refused() -> None:
    """2 kB of Form XObjects drawing each other: 230,000 characters on one page."""
    with pytest.raises(ResourceLimitError, match="page 1"):
        bcparse.read(DATA / "form-fanout.pdf")


def test_no_stale_password_error() -> None:
    """PDFium's last error code outlives a failed load: a PDF without /Encrypt read after an
    encrypted one is damaged, not encrypted."""
    with pytest.raises(EncryptedPdfError):
        bcparse.read(DATA / "encrypted.pdf")
    with pytest.raises(BcparseError) as e:
        bcparse.read(DATA / "no-pages.pdf")
    assert not isinstance(e.value, EncryptedPdfError)


def test_page_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "_current", dataclasses.replace(limits.current(), max_pdf_pages=2))
    with pytest.raises(ResourceLimitError, match="3 pages"):
        bcparse.read(DATA / "running-header.pdf")


def test_time_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "_current", dataclasses.replace(limits.current(), pdf_seconds_per_page=1e-9))
    with pytest.raises(ResourceLimitError, match="per page"):
        bcparse.read(DATA / "two-columns.pdf")


# ---------------------------------------------------------------------------------------------
# Font styles
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "bold", "italic"),
    [
        ("TimesNewRomanPS-BoldMT", True, False),
        ("TimesNewRomanPS-ItalicMT", False, True),
        ("TimesNewRomanPS-BoldItalicMT", True, True),
        ("Arial,BoldItalic", True, True),
        ("LiberationSerif", False, False),
        ("LiberationSerif-Bold", True, False),
        (".VnTimeH", False, False),
        ("Tahoma", False, False),
    ],
)
def test_font_style_from_name(name: str, bold: bool, italic: bool) -> None:
    assert font_style(name) == (bold, italic)


def test_font_style_from_flags_and_render_mode() -> None:
    assert font_style("F1", flags=1 << 18) == (True, False)  # ForceBold
    assert font_style("F1", flags=1 << 6) == (False, True)  # Italic
    assert font_style("F1", weight=700) == (True, False)
    assert font_style("F1", render_mode=2) == (True, False)  # fill and stroke: fake bold
