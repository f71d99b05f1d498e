"""Build samples/binh-thanh-doi-ngoai-2024.docx from samples/binh-thanh-doi-ngoai-2024.txt.

The .docx is made the way a commune office makes the report in Word (Nghị định 30/2020 layout):

* A4, margins top/bottom 20 mm, left 30 mm, right 15 mm; Times New Roman 14 pt;
* a borderless two-column header table: "ỦY BAN NHÂN DÂN" / "XÃ BÌNH THÀNH" / "Số: …/BC-UBND" on
  the left, quốc hiệu, tiêu ngữ and place and date on the right (the .txt lost the agency and the
  quốc hiệu lines; the .docx has them);
* "BÁO CÁO" and the subject bold and centred; the body justified with a first-line indent;
* section headings with Word automatic numbering (upperRoman "%1.", decimal "%2.", lowerLetter
  "%3."), the marker removed from the text. The .txt repeats "II." where "III." was due; the
  .docx shows the same "II." through a second w:num over the same abstractNum with a
  startOverride at level 0 (so the headings after it read "II.", "III.", "IV.");
* "-" and "+" bullets stay typed characters; a blank line of the .txt is an empty paragraph;
* the two paragraphs the .txt splits at a page break are split by a page break (w:br
  w:type="page" at the end of the first part, the rest in the next paragraph);
* the closing is a borderless two-column table: "Nơi nhận:" and the list on the left, "TM. ỦY BAN
  NHÂN DÂN" / "CHỦ TỊCH", empty paragraphs for the signature, and the name on the right.

Deterministic: fixed core properties and fixed zip entry dates, so re-running gives the same bytes.

    python scripts/make_sample_docx.py [TXT] [DOCX]
"""

from __future__ import annotations

import datetime as dt
import io
import re
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from bcparse.textview import continues

ROOT = Path(__file__).resolve().parent.parent
TXT = ROOT / "samples" / "binh-thanh-doi-ngoai-2024.txt"
OUT = ROOT / "samples" / "binh-thanh-doi-ngoai-2024.docx"

FONT = "Times New Roman"
FIXED = dt.datetime(2024, 11, 20, 8, 0, 0)
ZIP_DATE = (2024, 11, 20, 8, 0, 0)

AGENCY = ("ỦY BAN NHÂN DÂN", "XÃ BÌNH THÀNH")
QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"
SIGNATURE_SPACE = 4  # empty paragraphs between the title and the name

ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10}
_HEADING = re.compile(r"^(?:(?P<roman>[IVX]+)|(?P<num>\d{1,2})|(?P<letter>[a-z]))\.\s+(?P<text>\S.*)$")

ABSTRACT_XML = """
<w:abstractNum {ns} w:abstractNumId="{aid}">
  <w:multiLevelType w:val="multilevel"/>
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/>
    <w:lvlJc w:val="left"/><w:pPr><w:ind w:left="0" w:firstLine="567"/></w:pPr><w:rPr><w:b/></w:rPr></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2."/>
    <w:lvlJc w:val="left"/><w:pPr><w:ind w:left="0" w:firstLine="567"/></w:pPr><w:rPr><w:b/></w:rPr></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%3."/>
    <w:lvlJc w:val="left"/><w:pPr><w:ind w:left="0" w:firstLine="567"/></w:pPr></w:lvl>
</w:abstractNum>"""


def set_fonts(rpr_parent, size: float | None = None) -> None:
    """Times New Roman on every script slot (ascii, hAnsi, cs, eastAsia), no theme fonts."""
    rpr = rpr_parent.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for slot in ("ascii", "hAnsi", "cs", "eastAsia"):
        fonts.set(qn(f"w:{slot}"), FONT)
    if size is not None:
        for tag in ("w:sz", "w:szCs"):
            el = rpr.find(qn(tag))
            if el is None:
                el = rpr.makeelement(qn(tag), {})
                rpr.append(el)
            el.set(qn("w:val"), str(int(size * 2)))


def borderless(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = parse_xml(
        f"<w:tblBorders {nsdecls('w')}>"
        + "".join(f'<w:{side} w:val="nil"/>' for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
        + "</w:tblBorders>"
    )
    tbl_pr.append(borders)


def set_widths(table, *widths) -> None:
    """Column widths in the grid (w:gridCol, which LibreOffice follows) and in every cell (w:tcW,
    which Word follows)."""
    for col, width in zip(table.columns, widths, strict=True):
        col.width = width
        for cell in col.cells:
            cell.width = width


def cell_para(cell: _Cell, text: str, *, bold=False, italic=False, size=13.0, align="center") -> Paragraph:
    """The cell's first (empty) paragraph, then new ones."""
    first = cell.paragraphs[0]
    p = first if not first.runs and not getattr(cell, "_used", False) else cell.add_paragraph()
    cell._used = True  # type: ignore[attr-defined]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER if align == "center" else WD_ALIGN_PARAGRAPH.LEFT
    p.paragraph_format.space_after = Pt(0)
    p.paragraph_format.space_before = Pt(0)
    if text:
        r = p.add_run(text)
        r.bold = bold or None
        r.italic = italic or None
        r.font.size = Pt(size)
    return p


class Builder:
    def __init__(self) -> None:
        self.doc = Document()
        self._setup()
        self.num_main, self.abstract = self._add_numbering()
        self.current_num = self.num_main
        self.counters = [0, 0, 0]

    # ---- page, fonts, numbering ----------------------------------------------------------------
    def _setup(self) -> None:
        doc = self.doc
        sec = doc.sections[0]
        sec.page_width, sec.page_height = Mm(210), Mm(297)
        sec.top_margin = sec.bottom_margin = Mm(20)
        sec.left_margin, sec.right_margin = Mm(30), Mm(15)
        normal = doc.styles["Normal"]
        set_fonts(normal.element, 14)
        defaults = doc.styles.element.find(qn("w:docDefaults"))
        rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        fonts = rpr.find(qn("w:rFonts"))
        for attr in list(fonts.attrib):
            del fonts.attrib[attr]
        for slot in ("ascii", "hAnsi", "cs", "eastAsia"):
            fonts.set(qn(f"w:{slot}"), FONT)
        cp = doc.core_properties
        cp.author = "UBND xã Bình Thành"
        cp.last_modified_by = "UBND xã Bình Thành"
        cp.title = "Báo cáo công tác đối ngoại năm 2024"
        cp.created = cp.modified = cp.last_printed = FIXED
        cp.revision = 1

    def _add_numbering(self) -> tuple[int, int]:
        numbering = self.doc.part.numbering_part.element
        aids = [int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))]
        nids = [int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))]
        aid = max(aids, default=-1) + 1
        abstract = parse_xml(ABSTRACT_XML.format(ns=nsdecls("w"), aid=aid))
        first_num = numbering.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            numbering.append(abstract)
        self._numbering = numbering
        self._next_num = max(nids, default=0) + 1
        return self._new_num(aid), aid

    def _new_num(self, aid: int, start_override: tuple[int, int] | None = None) -> int:
        nid = self._next_num
        self._next_num += 1
        override = ""
        if start_override:
            lvl, start = start_override
            override = f'<w:lvlOverride w:ilvl="{lvl}"><w:startOverride w:val="{start}"/></w:lvlOverride>'
        num = parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{nid}"><w:abstractNumId w:val="{aid}"/>{override}</w:num>'
        )
        self._numbering.append(num)
        return nid

    def _numbered(self, p: Paragraph, level: int, value: int) -> None:
        """Give ``p`` the automatic number ``value`` at ``level``; a number Word would not give
        next (the report's repeated "II.") starts a new w:num with a startOverride."""
        expected = self.counters[level] + 1
        if value != expected:
            if level != 0:
                raise ValueError(f"the sample's level-{level} number {value} is not the next one ({expected})")
            self.current_num = self._new_num(self.abstract, (0, value))
        self.counters[level] = value
        for deeper in range(level + 1, len(self.counters)):
            self.counters[deeper] = 0
        ppr = p._p.get_or_add_pPr()
        ppr.append(
            parse_xml(
                f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{self.current_num}"/></w:numPr>'
            )
        )

    # ---- paragraphs ----------------------------------------------------------------------------
    def empty(self, container=None) -> None:
        target = container if container is not None else self.doc
        p = target.add_paragraph()
        p.paragraph_format.space_after = Pt(0)

    def body(self, text: str, *, bold=False, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True) -> Paragraph:
        p = self.doc.add_paragraph()
        fmt = p.paragraph_format
        p.alignment = align
        fmt.first_line_indent = Cm(1.27) if indent else None
        fmt.space_before = Pt(6)
        fmt.space_after = Pt(0)
        r = p.add_run(text)
        if bold:
            r.bold = True
        return p

    def heading(self, line: str) -> Paragraph | None:
        m = _HEADING.match(line)
        if not m:
            return None
        text = m.group("text")
        if m.group("roman") and m.group("roman") in ROMAN:
            p = self.body(text, bold=True)
            self._numbered(p, 0, ROMAN[m.group("roman")])
        elif m.group("num"):
            p = self.body(text, bold=True)
            self._numbered(p, 1, int(m.group("num")))
        elif m.group("letter"):
            p = self.body(text)
            self._numbered(p, 2, ord(m.group("letter")) - ord("a") + 1)
        else:
            return None
        return p

    # ---- the report ----------------------------------------------------------------------------
    def header(self, so: str, date: str) -> None:
        t = self.doc.add_table(rows=1, cols=2)
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        t.autofit = False
        borderless(t)
        set_widths(t, Cm(6.0), Cm(10.5))
        left, right = t.rows[0].cells
        cell_para(left, AGENCY[0])
        cell_para(left, AGENCY[1], bold=True)
        cell_para(left, so)
        cell_para(right, QUOC_HIEU, bold=True, size=12)
        cell_para(right, TIEU_NGU, bold=True)
        cell_para(right, date, italic=True, size=14)

    def closing(self, left_lines: list[str], right_lines: list[str]) -> None:
        t = self.doc.add_table(rows=1, cols=2)
        t.autofit = False
        borderless(t)
        set_widths(t, Cm(7.5), Cm(9.0))
        left, right = t.rows[0].cells
        for line in left_lines:
            if not line:
                cell_para(left, "", align="left")
            elif line.startswith("Nơi nhận"):
                cell_para(left, line, bold=True, italic=True, size=12, align="left")
            else:
                cell_para(left, line, size=11, align="left")
        name_seen = False
        for line in right_lines:
            if not line:
                if not name_seen:
                    for _ in range(SIGNATURE_SPACE):
                        cell_para(right, "", size=14)
                    name_seen = True
                continue
            cell_para(right, line, bold=True, size=14)


def split_closing(lines: list[str]) -> tuple[list[str], list[str]]:
    """The Nơi nhận list (left) and the signature block (right) of the closing lines."""
    for i, line in enumerate(lines):
        if line.startswith("**") or line.startswith("TM."):
            left = lines[:i]
            while left and not left[-1]:
                left.pop()
            return left, [x.replace("**", "").strip() for x in lines[i:]]
    return lines, []


def build(txt: Path) -> bytes:
    lines = [x.rstrip() for x in txt.read_text(encoding="utf-8").splitlines()]
    start = next(i for i, x in enumerate(lines) if x.strip() == "BÁO CÁO")
    so = next(x.strip() for x in lines[:start] if x.strip().startswith("Số"))
    date = next(x.strip() for x in lines[:start] if ", ngày" in x)
    close = next(i for i, x in enumerate(lines) if x.strip().startswith("Nơi nhận"))

    b = Builder()
    b.header(so, date)
    b.empty()  # the blank line under the header
    body = lines[start:close]
    while body and not body[-1].strip():
        body.pop()
    subject_done = False
    prev: Paragraph | None = None
    prev_text = ""
    pending_blanks = 0
    for raw in body:
        line = raw.replace("**", "").strip()
        if not line:
            pending_blanks += 1
            continue
        if prev is not None and continues(prev_text, line):
            # the .txt split this paragraph at a page break: so does the .docx
            prev.add_run().add_break(WD_BREAK.PAGE)
            pending_blanks = 0
        for _ in range(pending_blanks):
            b.empty()
        pending_blanks = 0
        if line == "BÁO CÁO":
            p = b.body(line, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
        elif not subject_done and prev is not None and prev_text == "BÁO CÁO":
            p = b.body(line, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
            subject_done = True
        else:
            p = b.heading(line) or b.body(line)
        prev, prev_text = p, line
    b.empty()  # the blank line before the closing
    left, right = split_closing([x.strip() for x in lines[close:]])
    b.closing(left, right)

    raw = io.BytesIO()
    b.doc.save(raw)
    return _deterministic_zip(raw.getvalue())


def _deterministic_zip(data: bytes) -> bytes:
    """The same package with fixed entry dates (python-docx stamps the current time)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def main(argv: list[str]) -> int:
    txt = Path(argv[1]) if len(argv) > 1 else TXT
    out = Path(argv[2]) if len(argv) > 2 else OUT
    out.write_bytes(build(txt))
    print(f"wrote {out} ({out.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
