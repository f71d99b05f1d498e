"""Ruled tables in a PDF (issue 14, item 4: pdfplumber): the .pdf LibreOffice makes of a .docx with a
gift table gives the same gift records as the .docx (tests/data/pdf_tables/make.py builds both)."""

from __future__ import annotations

from pathlib import Path

import bcparse
from bcparse.readers.pdf.tables import cell_text

DATA = Path(__file__).resolve().parent / "data" / "pdf_tables"


def _records(path: Path) -> list[dict[str, object]]:
    return [{k: f.value for k, f in item.items()} for item in bcparse.parse(path).items("gift")]


def test_the_pdf_gives_the_gift_records_of_the_docx() -> None:
    pdf, docx = _records(DATA / "qua-tet-bang.pdf"), _records(DATA / "qua-tet-bang.docx")
    assert pdf == docx
    assert [(g["gift.donor"], g["gift.count"], g["gift.total_vnd"]) for g in pdf] == [
        ("Hội Chữ thập đỏ huyện", 50, 25_000_000),
        ("Công ty Điện lực Thanh Hóa", 20, 20_000_000),  # "20.000.0" / "00" in its cell: one number
        ("Ngân hàng Chính sách xã hội", 35, 10_500_000),
        ("Mặt trận Tổ quốc xã", 12, 4_800_000),
    ]


def test_the_table_total_row_and_the_cells_provenance() -> None:
    r = bcparse.parse(DATA / "qua-tet-bang.pdf")
    d = bcparse.parse(DATA / "qua-tet-bang.docx")
    for key in ("gift.table_total.count", "gift.table_total.total"):
        assert r.value(key) == d.value(key)
    assert r.value("gift.table_total.total") == 60_300_000
    span = r.items("gift")[1]["gift.unit_value_vnd"].span
    assert (span.page, span.table, span.row, span.cell) == (1, 1, 3, 5)
    ds = d.items("gift")[1]["gift.unit_value_vnd"].span
    assert (ds.table, ds.row, ds.cell) == (span.table, span.row, span.cell)
    # the difference: a .docx keeps a block for each empty cell, the .pdf none, so the lines of the
    # text view after the first empty cell differ (the values and the cell addresses do not)
    assert r.get("gift.table_total.count").span.line < d.get("gift.table_total.count").span.line


def test_the_text_around_the_table_is_read_once_and_in_order() -> None:
    text = bcparse.parse(DATA / "qua-tet-bang.pdf").text
    assert text.count("Hội Chữ thập đỏ huyện") == 1 and "Hội Chữ Hộ" not in text
    assert text.index("cụ thể như sau:") < text.index("Đơn vị tặng") < text.index("II. ĐÁNH GIÁ")


def test_cell_lines_join_as_words_or_as_one_number() -> None:
    assert cell_text("Công ty\nĐiện lực\nThanh\nHóa") == "Công ty Điện lực Thanh Hóa"
    assert cell_text("25.000.0\n00") == "25.000.000" and cell_text("1.000.00\n0") == "1.000.000"
    assert cell_text("Năm\n2024") == "Năm 2024" and cell_text(None) is None


def test_a_pdf_without_ruled_tables_is_read_as_before() -> None:
    from bcparse.readers.pdf import read_pdf

    sample = Path(__file__).resolve().parent.parent / "samples" / "binh-thanh-doi-ngoai-2024.pdf"
    doc = read_pdf(sample.read_bytes(), str(sample))
    assert not any(b.kind == "cell" and b.source.row != 1 for b in doc.blocks)  # region cells only (row 1)
    assert bcparse.parse(sample).items("gift")  # its gifts are read from its prose, as before
