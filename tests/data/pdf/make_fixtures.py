"""Build the PDF fixtures of tests/test_pdf.py (run by hand; the PDFs are committed).

    /work/venv/bin/python tests/data/pdf/make_fixtures.py

Needs LibreOffice (``soffice``) with fonts-liberation2 or fonts-croscore, python-docx, pypdfium2
and Pillow. Writes, next to this script:

- ``two-columns.pdf``: a one-page report built with python-docx: a borderless two-column
  header table whose columns have different font sizes (so their lines do not share baselines),
  a title, numbered headings, body paragraphs with a first-line indent, an empty paragraph, and a
  closing table (Nơi nhận in 11 pt on the left, the signature on the right).
- ``running-header.pdf``: about three pages of body text (12 paragraphs of 6-7 lines) with a page number at the top of pages 2-3
  (NĐ 30 style), a running footer and "Trang X/Y" at the bottom of every page; paragraphs
  flow from one page onto the next.
- ``encrypted.pdf``: ``two-columns`` exported with the open password ``secret``.
- ``scanned.pdf``: page 1 of ``two-columns`` as an image only (no text layer).
- ``fake-bold.pdf``: two pages written by hand with a standard font: a heading drawn twice
  0.4 pt apart and one whose every character is drawn twice (fake bold), a superscript, a line of text rotated along the left margin, "- 1 -" and "- 2 -" at
  the bottom, and a sentence that goes on from page 1 onto page 2.
- ``flate-bomb.pdf``: a page whose content stream inflates from ~40 kB to 40 MB.
- ``form-fanout.pdf``: Form XObjects drawing each other 10 times, 5 deep: 230,000 characters.
- ``no-pages.pdf``: a page tree with no pages.
- ``rotated.pdf``: a landscape page (/Rotate 90) with two upright lines and a sideways note.
- ``legacy-font.pdf``: a line in the TCVN3 font ``.VnTime`` (not embedded; its characters are
  the legacy bytes, "B×nh Thµnh" for "Bình Thành") and a line in Helvetica.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

HERE = Path(__file__).resolve().parent
PASSWORD = "secret"

BODY = [
    "Bình Thành là một xã miền núi cách trung tâm huyện 20 km, diện tích đất tự nhiên 284,62 ha, "
    "xã có 14 xóm, tổng số hộ là 1.422 hộ, dân số 5.387 khẩu, gồm 08 dân tộc anh em cùng chung sống.",
    "Đảng bộ xã gồm có 20 chi bộ, trong đó có 14 chi bộ nông thôn, 03 chi bộ trường học, 01 chi bộ "
    "Trạm y tế, 01 chi bộ Công an xã, 01 chi bộ Quân sự. Có tổng số đảng viên là 280.",
    "Xã có 18 chức danh cán bộ, công chức hoạt động trong hệ thống Đảng, chính quyền, Mặt trận tổ "
    "quốc và các đoàn thể chính trị - xã hội, trong đó có 17 người trình độ Đại học.",
]


# ---------------------------------------------------------------------------------------------
# .docx builders
# ---------------------------------------------------------------------------------------------


def _base() -> Document:
    d = Document()
    st = d.styles["Normal"]
    st.font.name = "Times New Roman"
    st.font.size = Pt(14)
    st.element.rPr.rFonts.set(qn("w:eastAsia"), "Times New Roman")
    pf = st.paragraph_format
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.line_spacing = 1.0
    sec = d.sections[0]
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    sec.left_margin, sec.right_margin = Cm(3), Cm(2)
    sec.top_margin, sec.bottom_margin = Cm(2), Cm(2)
    return d


def _cell(cell, items: list[tuple[str, float, bool, bool]], align=WD_ALIGN_PARAGRAPH.CENTER) -> None:
    for i, (text, size, bold, italic) in enumerate(items):
        p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        p.alignment = align
        r = p.add_run(text)
        r.font.size = Pt(size)
        r.bold, r.italic = bold, italic


def _borderless(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    table._tbl.tblPr.append(borders)


def _widths(table, cm: tuple[float, float]) -> None:
    table.autofit = False
    for row in table.rows:
        for cell, w in zip(row.cells, cm, strict=True):
            cell.width = Cm(w)


def _body(d: Document, text: str, *, bold: bool = False, indent: bool = True) -> None:
    p = d.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if indent:
        p.paragraph_format.first_line_indent = Cm(1.27)
    r = p.add_run(text)
    r.bold = bold


def two_columns_docx(path: Path) -> None:
    d = _base()
    t = d.add_table(rows=1, cols=2)
    _borderless(t)
    _widths(t, (6.5, 9.5))
    _cell(
        t.rows[0].cells[0],
        [
            ("UBND HUYỆN ĐỊNH HÓA", 12, False, False),
            ("ỦY BAN NHÂN DÂN", 12, True, False),
            ("XÃ BÌNH THÀNH", 12, True, False),
            ("Số: 12/BC-UBND", 13, False, False),
        ],
    )
    _cell(
        t.rows[0].cells[1],
        [
            ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 13, True, False),
            ("Độc lập - Tự do - Hạnh phúc", 14, True, False),
            ("", 14, False, False),
            ("Bình Thành, ngày 20 tháng 11 năm 2024", 14, False, True),
        ],
    )
    d.add_paragraph()
    for text in ("BÁO CÁO", "Kết quả công tác đối ngoại năm 2024"):
        p = d.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run(text).bold = True
    d.add_paragraph()
    _body(d, "I. ĐẶC ĐIỂM TÌNH HÌNH", bold=True)
    _body(d, BODY[0])
    _body(d, BODY[1])
    d.add_paragraph()
    _body(d, "II. Những khó khăn, hạn chế", bold=True)
    _body(d, BODY[2])
    _body(d, "Trên đây là Báo cáo kết quả công tác đối ngoại năm 2024 của UBND xã Bình Thành./.")
    d.add_paragraph()
    t = d.add_table(rows=1, cols=2)
    _borderless(t)
    _widths(t, (7.5, 8.5))
    _cell(
        t.rows[0].cells[0],
        [
            ("Nơi nhận:", 12, True, True),
            ("- UBND huyện;", 11, False, False),
            ("- TV Đảng uỷ - TT HĐND xã;", 11, False, False),
            ("- Lưu: VP.", 11, False, False),
        ],
        align=WD_ALIGN_PARAGRAPH.LEFT,
    )
    _cell(
        t.rows[0].cells[1],
        [
            ("TM. ỦY BAN NHÂN DÂN", 13, True, False),
            ("CHỦ TỊCH", 13, True, False),
            ("", 13, False, False),
            ("", 13, False, False),
            ("", 13, False, False),
            ("Ma Khánh Sơn", 14, True, False),
        ],
    )
    d.save(str(path))


def _field(paragraph, instr: str) -> None:
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), instr)
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "1"
    r.append(t)
    fld.append(r)
    paragraph._p.append(fld)


def running_header_docx(path: Path) -> None:
    d = _base()
    sec = d.sections[0]
    sec.different_first_page_header_footer = True
    sec.header_distance = Cm(1)
    sec.footer_distance = Cm(1)
    # page number centred at the top, not on page 1 (NĐ 30/2020, Phụ lục I)
    hp = sec.header.paragraphs[0]
    hp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(hp, "PAGE")
    for footer in (sec.footer, sec.first_page_footer):
        fp = footer.paragraphs[0]
        fp.alignment = WD_ALIGN_PARAGRAPH.CENTER
        r = fp.add_run("Báo cáo công tác đối ngoại năm 2024 - UBND xã Bình Thành")
        r.font.size = Pt(10)
        fp2 = footer.add_paragraph()
        fp2.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        fp2.add_run("Trang ").font.size = Pt(10)
        _field(fp2, "PAGE")
        fp2.add_run("/").font.size = Pt(10)
        _field(fp2, "NUMPAGES")
    p = d.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run("BÁO CÁO").bold = True
    d.add_paragraph()
    n = 0
    for section in range(1, 4):
        _body(d, f"{section}. Kết quả thực hiện nhiệm vụ số {section}", bold=True)
        for _ in range(4):
            n += 1
            _body(d, f"Đoạn {n}: " + " ".join(BODY[n % 3 :] + BODY[: n % 3]) + f" Hết đoạn {n}.")
        d.add_paragraph()
    d.save(str(path))


# ---------------------------------------------------------------------------------------------
# A PDF written by hand (standard fonts, no LibreOffice): fake bold, page numbers, rotated text
# ---------------------------------------------------------------------------------------------


def _pdf_escape(s: str) -> str:
    return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _text(x: float, y: float, s: str, font: str = "F1", size: float = 12) -> str:
    return f"BT /{font} {size} Tf 1 0 0 1 {x} {y} Tm ({_pdf_escape(s)}) Tj ET\n"


def write_pdf(path: Path, pages: list[str], fonts: tuple[str, ...] = ("Helvetica", "Helvetica-Bold")) -> None:
    """A minimal PDF: A4 pages with the given content streams; fonts F1, F2… are the given base
    fonts (not embedded, WinAnsiEncoding)."""
    objs: list[bytes] = []
    n_pages = len(pages)
    nf = len(fonts)
    first_page = 3 + nf
    kids = " ".join(f"{first_page + 2 * i} 0 R" for i in range(n_pages))
    objs.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objs.append(f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode())
    for name in fonts:
        objs.append(
            f"<< /Type /Font /Subtype /Type1 /BaseFont /{name} /Encoding /WinAnsiEncoding >>".encode()
        )
    font_res = " ".join(f"/F{k + 1} {3 + k} 0 R" for k in range(nf))
    for i, content in enumerate(pages):
        stream = content.encode("latin-1")
        objs.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {first_page + 2 * i + 1} 0 R "
            f"/Resources << /Font << {font_res} >> >> >>".encode()
        )
        objs.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    path.write_bytes(serialize(objs))


def serialize(objs: list[bytes]) -> bytes:
    """A PDF file of the given objects (1 0 obj is the catalog), with its xref table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def _stream(content: bytes, extra: bytes = b"") -> bytes:
    return b"<< " + extra + b"/Length %d >>\nstream\n" % len(content) + content + b"\nendstream"


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
_PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> %s>> /Contents %d 0 R >>"


def flate_bomb_pdf(path: Path, megabytes: int = 40) -> None:
    """One page whose content stream inflates from ~40 kB to 40 MB (a line of text, then spaces)."""
    co = zlib.compressobj(9)
    chunks = [co.compress(b"BT /F1 12 Tf 72 760 Td (Tong so ho 1.422) Tj ET\n")]
    spaces = b" " * (1 << 20)
    chunks += [co.compress(spaces) for _ in range(megabytes)]
    chunks.append(co.flush())
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        _FONT,
        _PAGE % (b"", 5),
        _stream(b"".join(chunks), b"/Filter /FlateDecode "),
    ]
    path.write_bytes(serialize(objs))


def rotated_pdf(path: Path) -> None:
    """A landscape page made with /Rotate 90: its text is drawn turned 90° counter-clockwise so
    that it reads upright on screen; one note drawn unturned reads sideways."""
    content = b"BT /F1 12 Tf 0 1 -1 0 86 72 Tm (First line of the landscape page.) Tj ET\n"
    content += b"BT /F1 12 Tf 0 1 -1 0 114 72 Tm (Second line, below it.) Tj ET\n"
    content += b"BT /F1 12 Tf 1 0 0 1 300 300 Tm (sideways note) Tj ET\n"
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        _FONT,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Rotate 90 "
        b"/Resources << /Font << /F1 3 0 R >> >> /Contents 5 0 R >>",
        _stream(content),
    ]
    path.write_bytes(serialize(objs))


def form_fanout_pdf(path: Path, depth: int = 5, width: int = 10) -> None:
    """Form XObjects that each draw the next one ``width`` times, ``depth`` deep: a 2 kB page that
    draws ``width ** (depth - 1)`` lines of text (230,000 characters for 5 and 10)."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        _FONT,
        _PAGE % (b"/XObject << /X0 5 0 R >> ", 5 + depth),
    ]
    for d in range(depth):
        if d < depth - 1:
            content = b" ".join([b"q /X%d Do Q" % (d + 1)] * width)
            res = b"<< /XObject << /X%d %d 0 R >> >>" % (d + 1, 6 + d)
        else:
            content = b"BT /F1 12 Tf 72 700 Td (Tong so ho la 1.422 ho) Tj ET"
            res = b"<< /Font << /F1 3 0 R >> >>"
        objs.append(
            _stream(content, b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources " + res + b" ")
        )
    objs.append(_stream(b"q /X0 Do Q"))
    path.write_bytes(serialize(objs))


def legacy_font_pdf(path: Path) -> None:
    """Text typed in the TCVN3 (ABC) font .VnTime: the PDF's characters are the Latin-1 bytes of
    the legacy encoding ("B\u00d7nh Th\u00b5nh" is "Bình Thành")."""
    page = _text(85, 760, "UBND x\u00b7 B\u00d7nh Th\u00b5nh", font="F1", size=14)
    page += _text(85, 730, "Plain text in Helvetica.", font="F2", size=12)
    write_pdf(path, [page], fonts=(".VnTime", "Helvetica"))


_HELVETICA_WIDTHS = {
    " ": 278,
    ".": 278,
    "I": 278,
    "D": 722,
    "F": 611,
    "C": 722,
    "U": 722,
    "L": 556,
    "T": 611,
    "E": 667,
    "S": 667,
}


def _doubled(text: str, size: float) -> str:
    """A TJ array drawing each character twice, the second copy 0.3 pt further right."""
    back = 0.3 * 1000 / size
    return " ".join(f"({_pdf_escape(c)}) {_HELVETICA_WIDTHS[c] - back:.1f} ({_pdf_escape(c)})" for c in text)


def fake_bold_pdf(path: Path) -> None:
    left = 85.0
    lines1 = [
        "The report counts 1.422 households and 5.387 people in 14 hamlets of",
        "the commune, with 08 ethnic groups living together in the area and",
        "a natural area of 284,62 ha across the whole of the commune and its",
    ]
    lines2 = [
        "neighbouring villages, as the survey of the year found out.",
    ]
    p1 = ""
    # a heading drawn twice, 0.4 pt apart: fake bold
    p1 += _text(left, 760, "I. GENERAL SITUATION", size=14)
    p1 += _text(left + 0.4, 760, "I. GENERAL SITUATION", size=14)
    y = 730.0
    for ln in lines1:
        p1 += _text(left, y, ln)
        y -= 14.4
    # a margin note rotated by 90 degrees
    p1 += "BT /F1 8 Tf 0 1 -1 0 40 300 Tm (Printed from the archive copy) Tj ET\n"
    p1 += _text(285, 40, "- 1 -")
    p2 = ""
    y = 760.0
    for ln in lines2:
        p2 += _text(left, y, ln)
        y -= 14.4
    # every character drawn twice, the copy 0.3 pt to the right (pdfplumber issue 71's "TTéétteell")
    p2 += f"BT /F1 14 Tf 1 0 0 1 {left} {y - 14.4} Tm [{_doubled('II. DIFFICULTIES', 14)}] TJ ET\n"
    p2 += _text(left + 20, y - 43.2, "Funding for foreign affairs work remains very limited.")
    # a superscript (text rise): stays in its line
    p2 += f"BT /F1 12 Tf 1 0 0 1 {left + 20} {y - 57.6} Tm (The commune covers 284 km) Tj "
    p2 += "/F1 8 Tf 4 Ts (2) Tj 0 Ts /F1 12 Tf ( of land.) Tj ET\n"
    p2 += _text(285, 40, "- 2 -")
    write_pdf(path, [p1, p2])


# ---------------------------------------------------------------------------------------------
# Conversions
# ---------------------------------------------------------------------------------------------


def soffice(args: list[str], profile: Path) -> None:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        sys.exit(
            "LibreOffice (soffice) is needed: apt-get install libreoffice-writer-nogui fonts-liberation2"
        )
    cmd = [exe, f"-env:UserInstallation=file://{profile}", "--headless", *args]
    subprocess.run(cmd, check=True, capture_output=True, timeout=300)


def scanned_pdf(src: Path, path: Path) -> None:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(src))
    try:
        image = pdf[0].render(scale=100 / 72).to_pil().convert("L")
    finally:
        pdf.close()
    image.save(str(path), "PDF", resolution=100.0, quality=60)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        profile = t / "lo"
        two_columns_docx(t / "two-columns.docx")
        running_header_docx(t / "running-header.docx")
        soffice(
            [
                "--convert-to",
                "pdf",
                "--outdir",
                str(t),
                str(t / "two-columns.docx"),
                str(t / "running-header.docx"),
            ],
            profile,
        )
        enc = t / "enc"
        enc.mkdir()
        export = (
            'pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},'
            f'"DocumentOpenPassword":{{"type":"string","value":"{PASSWORD}"}}}}'
        )
        soffice(["--convert-to", export, "--outdir", str(enc), str(t / "two-columns.docx")], profile)
        shutil.copy(t / "two-columns.pdf", HERE / "two-columns.pdf")
        shutil.copy(t / "running-header.pdf", HERE / "running-header.pdf")
        shutil.copy(enc / "two-columns.pdf", HERE / "encrypted.pdf")
    scanned_pdf(HERE / "two-columns.pdf", HERE / "scanned.pdf")
    fake_bold_pdf(HERE / "fake-bold.pdf")
    legacy_font_pdf(HERE / "legacy-font.pdf")
    flate_bomb_pdf(HERE / "flate-bomb.pdf")
    form_fanout_pdf(HERE / "form-fanout.pdf")
    write_pdf(HERE / "no-pages.pdf", [])
    rotated_pdf(HERE / "rotated.pdf")
    for p in sorted(HERE.glob("*.pdf")):
        print(f"{p.name}: {p.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
