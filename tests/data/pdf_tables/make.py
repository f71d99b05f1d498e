"""Build the fixtures of tests/test_pdf_tables.py: a report with a gift table as .docx (python-docx,
"Table Grid": ruled) and the same file converted to .pdf by LibreOffice. Both are committed; run
this again only to change them:

    python tests/data/pdf_tables/make.py        # needs soffice (libreoffice-writer-nogui)
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import docx
from docx.shared import Pt

HERE = Path(__file__).resolve().parent
NAME = "qua-tet-bang"

ROWS = [
    ["TT", "Đơn vị tặng", "Đối tượng", "Số suất", "Trị giá/suất", "Thành tiền"],
    ["1", "Hội Chữ thập đỏ huyện", "Hộ nghèo", "50", "500.000", "25.000.000"],
    ["2", "Công ty Điện lực Thanh Hóa", "Gia đình chính sách", "20", "1.000.000", "20.000.000"],
    ["3", "Ngân hàng Chính sách xã hội", "Trẻ em có hoàn cảnh khó khăn", "35", "300.000", "10.500.000"],
    ["4", "Mặt trận Tổ quốc xã", "Người cao tuổi cô đơn", "12", "400.000", "4.800.000"],
    ["", "Tổng cộng", "", "117", "", "60.300.000"],
]


def build_docx(path: Path) -> None:
    d = docx.Document()
    d.styles["Normal"].font.name = "Times New Roman"
    d.styles["Normal"].font.size = Pt(13)
    d.add_paragraph("BÁO CÁO")
    d.add_paragraph("Kết quả tặng quà Tết Nguyên đán Giáp Thìn 2024")
    d.add_paragraph("I. KẾT QUẢ")
    d.add_paragraph("Thực hiện kế hoạch của Ủy ban nhân dân huyện, dịp Tết Nguyên đán năm 2024 các đơn vị, "
                    "tổ chức trên địa bàn xã đã tặng quà cho các đối tượng chính sách, hộ nghèo, cụ thể như sau:")
    t = d.add_table(rows=len(ROWS), cols=len(ROWS[0]))
    t.style = "Table Grid"
    for r, row in zip(t.rows, ROWS, strict=True):  # python-docx's equal columns: long numbers wrap
        for c, v in zip(r.cells, row, strict=True):
            c.text = v
    d.add_paragraph("II. ĐÁNH GIÁ")
    d.add_paragraph("Công tác tặng quà được thực hiện đúng đối tượng, công khai, minh bạch, không để xảy ra "
                    "sai sót. Trên đây là báo cáo kết quả tặng quà Tết của Ủy ban nhân dân xã./.")
    d.save(str(path))


def to_pdf(src: Path, out_dir: Path) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        sys.exit("soffice not found: apt-get install libreoffice-writer-nogui")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(out_dir), str(src)], check=True, capture_output=True, timeout=180)
    return out_dir / (src.stem + ".pdf")


if __name__ == "__main__":
    build_docx(HERE / f"{NAME}.docx")
    print(to_pdf(HERE / f"{NAME}.docx", HERE))
