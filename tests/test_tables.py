"""Records read from .docx tables: a gift table "TT | Đơn vị tặng | Đối tượng | Số suất | Trị giá/suất |
Thành tiền" gives one gift item per row, each figure with its table, row and cell; the total row is
kept apart (gift.table_total.*) for the audit."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest

import bcparse


def _gift_docx(rows: list[list[str]]) -> bytes:
    d = docx.Document()
    d.add_paragraph("BÁO CÁO")
    d.add_paragraph("Kết quả tặng quà Tết Nguyên đán Giáp Thìn 2024")
    d.add_paragraph("I. KẾT QUẢ")
    t = d.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in zip(t.rows, rows, strict=True):
        for c, v in zip(r.cells, row, strict=True):
            c.text = v
    d.add_paragraph("Trên đây là báo cáo./.")
    b = io.BytesIO()
    d.save(b)
    return b.getvalue()


def test_gift_table_rows_become_items(tmp_path: Path) -> None:
    p = tmp_path / "qua-tet.docx"
    p.write_bytes(_gift_docx([
        ["TT", "Đơn vị tặng", "Đối tượng", "Số suất", "Trị giá/suất", "Thành tiền"],
        ["1", "Hội Chữ thập đỏ huyện", "Hộ nghèo", "50", "500.000", "25.000.000"],
        ["2", "Công ty Điện lực", "Gia đình chính sách", "20", "1.000.000", "20.000.000"],
        ["", "Tổng cộng", "", "70", "", "45.000.000"],
    ]))
    r = bcparse.parse(p)
    gifts = r.items("gift")
    assert [(g["gift.donor"].value, g["gift.count"].value, g["gift.unit_value_vnd"].value, g["gift.total_vnd"].value)
            for g in gifts] == [("Hội Chữ thập đỏ huyện", 50, 500_000, 25_000_000),
                                ("Công ty Điện lực", 20, 1_000_000, 20_000_000)]
    assert gifts[1]["gift.recipients"].value == "Gia đình chính sách"
    span = gifts[0]["gift.count"].span
    assert (span.table, span.row, span.cell) == (1, 2, 4)
    assert r.value("gift.table_total.count") == 70
    assert r.value("gift.table_total.total") == 45_000_000


def test_gift_table_in_millions_and_derived_total(tmp_path: Path) -> None:
    # the value column is "(triệu đồng)" and there is no total column: the total is derived
    p = tmp_path / "qua.docx"
    p.write_bytes(_gift_docx([
        ["STT", "Nhà tài trợ", "Số lượng (suất)", "Giá trị/suất (triệu đồng)"],
        ["1", "Ngân hàng Agribank", "30", "0,5"],
    ]))
    g = bcparse.parse(p).items("gift")[0]
    assert g["gift.unit_value_vnd"].value == 500_000
    assert g["gift.total_vnd"].value == 15_000_000 and g["gift.total_vnd"].derived


@pytest.mark.parametrize("header", [["TT", "Thôn", "Số hộ", "Số khẩu"], ["TT", "Nội dung", "Ghi chú", "Kết quả"]])
def test_other_tables_are_not_gift_tables(tmp_path: Path, header: list[str]) -> None:
    p = tmp_path / "t.docx"
    p.write_bytes(_gift_docx([header, ["1", "Làng Luông", "120", "450"]]))
    assert bcparse.parse(p).items("gift") == []
