"""The same report gives the same figures from .txt, .docx and .pdf (issue 13).

Two things used to make the formats disagree:

* markdown markers pasted into a report's text ("**BÁO CÁO**", "# I. ĐẶC ĐIỂM", "*Kính gửi*",
  "**TM. ỦY BAN NHÂN DÂN") were taken out of the view for .txt only, so the .docx and the .pdf
  of the same text lost their type, subject and signer. Every reader now cleans its lines with
  ``textview.strip_markdown``;
* a gift table typed as tab-separated rows in a .txt was one line of text, so the grammar's
  ``tables:`` rule (which reads cell blocks) did not see it. The .txt reader now reads such rows
  as the .docx reader reads a table.

The marked-up report is samples/binh-thanh-doi-ngoai-2024.txt with markers added to its title,
subject, headings and closing; its .docx is built here with python-docx (one paragraph a line)
and its .pdf converted from that .docx by LibreOffice (skipped when ``soffice`` is absent).
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest

import bcparse
from bcparse.render import set_figure
from bcparse.render.text import render_source
from bcparse.textview import strip_markdown

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "binh-thanh-doi-ngoai-2024.txt"
HEADER_KEYS = ("doc.type", "doc.subject", "doc.signer_authority", "doc.signer_collective", "doc.signer_title",
               "doc.signer_name", "doc.recipients")


def _marked_up(text: str) -> str:
    """The sample with markdown markers where a converted text puts them."""
    out: list[str] = []
    for line in text.split("\n"):
        if line in ("BÁO CÁO", "Nơi nhận:", "Ma Khánh Sơn") or line.startswith("Kết quả công tác đối ngoại"):
            line = f"**{line}**"
        elif re.match(r"[IVX]+\. ", line):
            line = "# " + line
        elif re.match(r"\d\. ", line):
            line = "## " + line
        elif line.startswith("Bình Thành, ngày"):
            line = f"*{line}*"
        out.append(line)
    return "\n".join(out)


def _docx_of(text: str) -> bytes:
    """One Word paragraph a line (an empty paragraph a blank line), tab-separated rows as a table."""
    d = docx.Document()
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        if "\t" in lines[i]:
            rows: list[list[str]] = []
            while i < len(lines) and "\t" in lines[i]:
                rows.append(lines[i].split("\t"))
                i += 1
            t = d.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            for tr, row in zip(t.rows, rows, strict=True):
                for cell, v in zip(tr.cells, row, strict=False):
                    cell.text = v
            continue
        d.add_paragraph(lines[i])
        i += 1
    b = io.BytesIO()
    d.save(b)
    return b.getvalue()


def _pdf_of(docx_path: Path) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: no .pdf to compare")
    out = docx_path.parent
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{out}/lo-profile", "--convert-to", "pdf",
                    "--outdir", str(out), str(docx_path)], check=True, capture_output=True, timeout=180)
    pdf = docx_path.with_suffix(".pdf")
    assert pdf.exists()
    return pdf


def _keyed(r: bcparse.Report) -> dict[tuple[str, int | None], object]:
    return {(f.key, f.item): f.value for f in r.figures()}


# ---------------------------------------------------------------------------------------------
# markdown markers
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def marked(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("marked")
    text = _marked_up(SAMPLE.read_text(encoding="utf-8"))
    assert "**BÁO CÁO**" in text and "# I. ĐẶC ĐIỂM TÌNH HÌNH" in text and "## 1. " in text
    paths = {".txt": d / "bao-cao.txt", ".docx": d / "bao-cao.docx"}
    paths[".txt"].write_text(text, encoding="utf-8")
    paths[".docx"].write_bytes(_docx_of(text))
    return paths


def test_marked_txt_reads_as_the_plain_sample(marked: dict[str, Path]) -> None:
    plain, md = bcparse.parse(SAMPLE), bcparse.parse(marked[".txt"])
    assert _keyed(md) == _keyed(plain)
    assert [s["title"] for s in md.outline()] == [s["title"] for s in plain.outline()]
    # the source is given back byte for byte, markers included
    assert render_source(md, marked[".txt"].read_bytes()) == marked[".txt"].read_bytes()


@pytest.mark.parametrize("ext", [".docx", ".pdf"])
def test_marked_office_files_give_the_txt_figures(marked: dict[str, Path], ext: str) -> None:
    path = marked[".docx"] if ext == ".docx" else _pdf_of(marked[".docx"])
    txt, other = bcparse.parse(marked[".txt"]), bcparse.parse(path)
    for key in HEADER_KEYS:
        assert other.value(key) == txt.value(key), key
    assert other.value("doc.type") == "BÁO CÁO"
    assert other.value("doc.signer_name") == "Ma Khánh Sơn"
    assert other.value("doc.signer_title") == "CHỦ TỊCH"
    assert _keyed(other) == _keyed(txt)
    assert [s["title"] for s in other.outline()] == [s["title"] for s in txt.outline()]
    assert "**" not in other.text and "\n# " not in other.text
    # spans still point at the raw text, and at the right paragraph / page
    doc = bcparse.read(path)
    for f in other.figures(all=True):
        start = doc.offset_of(f.span.line, f.span.col)
        assert doc.text[start : start + f.span.length] == f.raw
    subject = other.get("doc.subject")
    assert subject is not None
    if ext == ".docx":
        paras = docx.Document(str(path)).paragraphs
        assert paras[subject.span.paragraph - 1].text == "**" + subject.raw + "**"
    else:
        assert subject.span.page == 1


@pytest.mark.parametrize(
    ("line", "text"),
    [("**BÁO CÁO**", "BÁO CÁO"), ("** BÁO CÁO **", "BÁO CÁO"), ("# I. TÌNH HÌNH", "I. TÌNH HÌNH"),
     ("### 1.2. Giảm nghèo", "1.2. Giảm nghèo"), ("*Kính gửi: UBND huyện*", "Kính gửi: UBND huyện"),
     ("**TM. UỶ BAN NHÂN DÂN", "TM. UỶ BAN NHÂN DÂN"), ("CHỦ TỊCH**", "CHỦ TỊCH"),
     # text, not markers
     ("__________", "__________"), ("Số: ______/BC-UBND", "Số: ______/BC-UBND"), ("#3 Thôn", "#3 Thôn"),
     ("* gạch đầu dòng", "* gạch đầu dòng"), ("***", "***")],
)
def test_strip_markdown(line: str, text: str) -> None:
    got, marks = strip_markdown(line)
    assert got == text
    rebuilt, at = "", 0
    for m in marks:  # the markers and the text rebuild the line
        rebuilt += got[at : m.offset] + m.text
        at = m.offset
    assert rebuilt + got[at:] == line


def test_a_docx_rule_line_is_kept(tmp_path: Path) -> None:
    p = tmp_path / "r.docx"
    p.write_bytes(_docx_of("ỦY BAN NHÂN DÂN\nXÃ BÌNH THÀNH\n_______\nSố: 45/BC-UBND"))
    assert bcparse.read(p).text.split("\n")[2] == "_______"


# ---------------------------------------------------------------------------------------------
# tab-separated tables
# ---------------------------------------------------------------------------------------------

GIFT_REPORT = """ỦY BAN NHÂN DÂN XÃ LONG VĨNH

BÁO CÁO
Kết quả thăm, tặng quà Tết Nguyên đán Giáp Thìn năm 2024

I. KẾT QUẢ THỰC HIỆN

1. Quà của cấp trên

STT\tĐơn vị tặng\tĐối tượng\tSố suất\tMức quà (đồng)\tThành tiền (đồng)
1\tỦy ban nhân dân tỉnh\tGia đình chính sách\t120\t500.000\t60.000.000
2\tỦy ban nhân dân huyện\tHộ nghèo, hộ cận nghèo\t250\t300.000\t75.000.000
\tTrong đó:\t\t\t\t
3\tHội Chữ thập đỏ huyện\tNgười cao tuổi neo đơn\t141\t334.000\t47.094.000
\tTổng cộng\t\t511\t\t182.094.000

2. Quà của xã

STT\tĐơn vị\tSố suất\tMức quà\tThành tiền
1\tMặt trận Tổ quốc xã\t60\t200.000\t12.000.000
2\tĐoàn Thanh niên xã\t35\t150.000\t5.250.000

Trên đây là báo cáo kết quả thăm, tặng quà Tết Nguyên đán Giáp Thìn năm 2024./.
"""


def _gifts(r: bcparse.Report) -> list[dict[str, object]]:
    return [{k: (f.value, f.span.table, f.span.row, f.span.cell) for k, f in g.items()} for g in r.items("gift")]


@pytest.fixture(scope="module")
def gift(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("gift")
    paths = {".txt": d / "qua-tet.txt", ".docx": d / "qua-tet.docx"}
    paths[".txt"].write_text(GIFT_REPORT, encoding="utf-8")
    paths[".docx"].write_bytes(_docx_of(GIFT_REPORT))
    return paths


def test_tab_table_gives_the_docx_gift_records(gift: dict[str, Path]) -> None:
    txt, office = bcparse.parse(gift[".txt"]), bcparse.parse(gift[".docx"])
    assert _gifts(txt) == _gifts(office)
    assert [(g["gift.count"].value, g["gift.unit_value_vnd"].value, g["gift.total_vnd"].value)
            for g in txt.items("gift")] == [(120, 500_000, 60_000_000), (250, 300_000, 75_000_000),
                                            (141, 334_000, 47_094_000), (60, 200_000, 12_000_000),
                                            (35, 150_000, 5_250_000)]
    assert [g["gift.recipients"].value for g in txt.items("gift")[:3]] == [
        "Gia đình chính sách", "Hộ nghèo, hộ cận nghèo", "Người cao tuổi neo đơn"]
    assert txt.items("gift")[0]["gift.donor"].value == "Ủy ban nhân dân tỉnh"
    assert txt.value("gift.table_total.count") == office.value("gift.table_total.count") == 511
    assert txt.value("gift.table_total.total") == 182_094_000
    assert _keyed(txt) == _keyed(office)
    # the same view: a cell a line, an empty cell a blank line, as Word's table reads
    assert txt.text == office.text
    span = txt.items("gift")[2]["gift.count"].span
    assert (span.table, span.row, span.cell) == (1, 5, 4)
    doc = bcparse.read(gift[".txt"])
    assert doc.block_at(span.offset or 0).source.lines == (14,)  # type: ignore[union-attr]


def test_tab_table_round_trip_and_edit(gift: dict[str, Path]) -> None:
    data = gift[".txt"].read_bytes()
    r = bcparse.parse(gift[".txt"])
    assert render_source(r, data) == data
    edited = set_figure(r, "gift[2].unit_value_vnd", 400_000)
    out = render_source(edited, data)
    assert out == data.replace(b"\t300.000\t", b"\t400.000\t")


def _as_pipe_table(text: str) -> str:
    """The report with its tab-separated tables written as markdown pipe tables (as a converter
    such as pandoc or markitdown writes a Word table), cells in bold where a converter puts it."""
    out: list[str] = []
    head = True
    for line in text.split("\n"):
        if "\t" not in line:
            head = True
            out.append(line)
            continue
        cells = [f"**{c}**" if c == "Tổng cộng" else c for c in line.split("\t")]
        out.append("| " + " | ".join(cells) + " |")
        if head:
            out.append("|" + "|".join("---" for _ in cells) + "|")
            head = False
    return "\n".join(out)


def test_pipe_table_gives_the_docx_gift_records(gift: dict[str, Path], tmp_path: Path) -> None:
    p = tmp_path / "qua-tet.md"
    p.write_text(_as_pipe_table(GIFT_REPORT), encoding="utf-8")
    assert "|---|---|---|" in p.read_text(encoding="utf-8")
    md, office = bcparse.parse(p), bcparse.parse(gift[".docx"])
    assert _gifts(md) == _gifts(office)
    assert len(md.items("gift")) == 5
    assert _keyed(md) == _keyed(office)
    assert md.text == office.text
    data = p.read_bytes()
    assert render_source(md, data) == data
    out = render_source(set_figure(md, "gift[3].count", 140), data)
    assert out == data.replace(b"| 141 |", b"| 140 |")


@pytest.mark.parametrize(
    "text",
    [
        # a pipe table needs its rule line under the header
        "| Thôn | Số hộ |\n| Nà Pài | 120 |\n",
        # paragraphs indented with a tab: one non-empty field a line
        "\tXã có 12 xóm, 1.250 hộ.\n\tĐảng bộ có 18 chi bộ.\n",
        # a single tabbed line is no table
        "Nơi nhận:\t\tTM. ỦY BAN NHÂN DÂN\n- UBND huyện;\n",
        # rows of different widths
        "STT\tĐơn vị tặng\tSố suất\n1\tHội Chữ thập đỏ\t50\t500.000\n",
    ],
)
def test_what_is_no_tab_table(tmp_path: Path, text: str) -> None:
    p = tmp_path / "t.txt"
    p.write_text(text, encoding="utf-8")
    assert all(b.kind == "paragraph" for b in bcparse.read(p).blocks)


def test_a_tab_table_ends_before_a_tab_indented_paragraph(tmp_path: Path) -> None:
    p = tmp_path / "t.txt"
    p.write_text("TT\tThôn\n1\tNà Pài\n\tTrên đây là báo cáo./.\n", encoding="utf-8")
    blocks = bcparse.read(p).blocks
    assert [(b.kind, b.text, b.source.row, b.source.cell) for b in blocks] == [
        ("cell", "TT", 1, 1), ("cell", "Thôn", 1, 2), ("cell", "1", 2, 1), ("cell", "Nà Pài", 2, 2),
        ("paragraph", "Trên đây là báo cáo./.", None, None)]
