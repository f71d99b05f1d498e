"""Word output: a state-format .docx from any Report, and in-place edits of a source .docx.

:func:`write_docx` lays a report out as Nghị định 30/2020 prescribes (research §3.2–3.6): A4
portrait, margins 20 / 20 / 30 / 15 mm (top, bottom, left, right), Times New Roman; the header as a
borderless two-column table (agency in bold capitals over a short rule and "Số: …/BC-UBND" on the
left; quốc hiệu in bold capitals, the tiêu ngữ in bold over a full-length rule and the italic
place-and-date line on the right); "BÁO CÁO" and the subject bold and centred over a short rule;
the body at 14 pt, justified, first-line indent 1.27 cm, headings bold; the closing as a borderless
two-column table ("Nơi nhận:" 12 pt bold italic and its list at 11 pt on the left, the signature
block in bold capitals and the signer's name on the right); page numbers centred in the top
margin from page 2.

:func:`edit_docx` changes a .docx the report was read from: for each edit it finds the paragraph
that holds the number (by the span's provenance, then by the words around the number), maps the
number onto the runs that hold it and rewrites only those runs' text, each run keeping its own
formatting (rPr). Every other part of the package is copied byte for byte, and the rest of
``word/document.xml`` is left as it was (the run-splitting problem of docxtpl, research §1.11, is
why this works on characters mapped to runs and never on the XML as text).
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from lxml import etree

from ..errors import CorruptFileError, ValidationError
from ..fileio import read_input, write_output
from ..models import Report
from ..readers.docx import open_word_document
from ..readers.docx.package import transitional_to_strict
from ..textview import fold, normalize_with_offsets
from .edit import Edit

if TYPE_CHECKING:  # python-docx is imported only when a .docx is written
    from docx.document import Document as DocxDocument
    from docx.section import Section as DocxSection
    from docx.table import Table, _Cell
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

__all__ = ["write_docx", "render_docx", "edit_docx", "PAGE", "FONT"]

FONT = "Times New Roman"
# Page in millimetres: A4, margins inside the ranges of NĐ 30 (top/bottom 20–25, left 30–35, right 15–20)
PAGE = {"width": 210, "height": 297, "top": 20, "bottom": 20, "left": 30, "right": 15}
SIZES = {"national": 12, "motto": 13, "agency": 12, "number": 13, "date": 13, "type": 14, "subject": 14,
         "body": 14, "to": 14, "recipients_title": 12, "recipients": 11, "authority": 14, "signer": 14,
         "page_number": 13}
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_NS = "http://www.w3.org/XML/1998/namespace"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


# ---------------------------------------------------------------------------------------------
# writing a state-format document
# ---------------------------------------------------------------------------------------------

def _layout_report(report: Report) -> Report:
    """A report with text and structure to lay out (a report built in code is rendered and read)."""
    if report.text:
        return report
    from ..pipeline import parse_text
    from .build import build_text

    return parse_text(build_text(report), grammar=report.grammar)


class _Zones:
    """The report's lines sorted into the header table, title, body and closing table."""

    def __init__(self, r: Report) -> None:
        lines = r.text.split("\n")
        h, c = r.header, r.closing
        self.agency = list(h.agency)
        self.number = h.number_raw
        self.national = h.national_title or "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
        self.motto = h.motto or "Độc lập - Tự do - Hạnh phúc"
        self.date_line: str | None = None
        if "date" in h.spans:
            self.date_line = lines[h.spans["date"].line - 1].strip()
        elif h.place:
            self.date_line = h.place
        self.type = h.type
        self.subject = h.subject
        self.has_header = bool(h.type or h.agency or h.number_raw or self.date_line or h.national_title)
        body_start = h.end_line if self.has_header else 0
        body_end = (c.start_line - 1) if c.start_line else len(lines)
        if not h.type and self.has_header and h.end_line == 0:
            body_start = 0
        headings = {s.line: s for s in r.sections}
        self.body: list[tuple[str, int]] = []  # (text, section level or 0)
        for n in range(body_start + 1, body_end + 1):
            t = lines[n - 1].strip()
            if t:
                s = headings.get(n)
                self.body.append((t, s.level if s is not None else 0))
        self.recipients_title: str | None = None
        self.recipients: list[str] = []
        self.signature: list[str] = []
        self.signer: str | None = c.signer_name
        if c.start_line:
            in_list = False
            for n in range(c.start_line, len(lines) + 1):
                t = lines[n - 1].strip()
                if not t:
                    continue
                f = fold(t)
                if f.startswith("nơi nhận"):
                    head, _, rest = t.partition(":")
                    self.recipients_title = head.strip() + ":"
                    if rest.strip():
                        self.recipients.append(rest.strip())
                    in_list = True
                elif in_list and t[:1] in "-+•–":
                    self.recipients.append(t)
                elif c.signer_name and t == c.signer_name:
                    in_list = False
                else:
                    in_list = False
                    self.signature.append(t)


def _set_run_font(run: Run, size: float | None, *, bold: bool | None = None, italic: bool | None = None) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    font = run.font
    font.name = FONT
    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), FONT)
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    if italic is not None:
        font.italic = italic


def _para(container: DocxDocument | _Cell, text: str, size: float, *, bold: bool = False, italic: bool = False,
          align: str = "center", indent: bool = False, before: float = 0, after: float = 0,
          spacing: float = 1.0) -> Paragraph:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    p = container.add_paragraph()
    pf = p.paragraph_format
    pf.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "left": WD_ALIGN_PARAGRAPH.LEFT,
                    "right": WD_ALIGN_PARAGRAPH.RIGHT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}[align]
    pf.space_before = Pt(before)
    pf.space_after = Pt(after)
    pf.line_spacing = spacing
    if indent:
        pf.first_line_indent = Cm(1.27)
    if text:
        _set_run_font(p.add_run(text), size, bold=bold, italic=italic)
    return p


def _rule(container: DocxDocument | _Cell, width_cm: float, box_cm: float) -> None:
    """A solid rule ``width_cm`` long, centred in a box ``box_cm`` wide (an empty paragraph with
    a top border; the text view sees a blank line)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    p = _para(container, "", 2, before=1, after=0)
    side = max((box_cm - width_cm) / 2, 0)
    pf = p.paragraph_format
    pf.left_indent = Cm(side)
    pf.right_indent = Cm(side)
    pf.line_spacing = Pt(2)
    ppr = p._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        top.set(qn(k), v)
    bdr.append(top)
    ppr.append(bdr)


def _borderless_table(doc: DocxDocument, widths_cm: Sequence[float]) -> Table:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    t = doc.add_table(rows=1, cols=len(widths_cm))
    t.autofit = False
    tblpr = t._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tblpr.append(borders)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tblpr.append(layout)
    for col, w in zip(t.columns, widths_cm, strict=True):
        col.width = Cm(w)
    for cell, w in zip(t.rows[0].cells, widths_cm, strict=True):
        cell.width = Cm(w)
        # python-docx puts one empty paragraph in a new cell: it becomes the first line we write
    return t


def _cell_para(cell: _Cell, first: list[bool], text: str, size: float, **kw: Any) -> Paragraph:
    """A paragraph in a table cell, reusing the cell's initial empty paragraph the first time."""
    if first[0]:
        first[0] = False
        p = cell.paragraphs[0]
        p._p.getparent().remove(p._p)
    return _para(cell, text, size, **kw)


def _page_numbers(section: DocxSection) -> None:
    """Arabic page numbers centred in the top margin, not on page 1 (NĐ 30)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    section.different_first_page_header_footer = True
    hp = section.header.paragraphs[0]
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    hp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = hp.add_run()
    _set_run_font(run, SIZES["page_number"])
    for typ, instr in (("begin", None), (None, " PAGE "), ("separate", None), ("end", None)):
        if typ:
            fc = OxmlElement("w:fldChar")
            fc.set(qn("w:fldCharType"), typ)
            run._r.append(fc)
        else:
            it = OxmlElement("w:instrText")
            it.set(qn("xml:space"), "preserve")
            it.text = instr
            run._r.append(it)


def write_docx(report: Report) -> bytes:
    """A .docx of the report in the state format of Nghị định 30/2020 (any Report: read from a
    file, edited, or built in code)."""
    import docx
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    r = _layout_report(report)
    z = _Zones(r)
    doc = docx.Document()
    # the default template opens with nothing in the body but its section properties
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(SIZES["body"])
    rpr = normal.element.get_or_add_rPr()
    rfonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), FONT)
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(PAGE["width"]), Mm(PAGE["height"])
    sec.top_margin, sec.bottom_margin = Mm(PAGE["top"]), Mm(PAGE["bottom"])
    sec.left_margin, sec.right_margin = Mm(PAGE["left"]), Mm(PAGE["right"])
    sec.header_distance = Mm(10)
    sec.footer_distance = Mm(10)
    _page_numbers(sec)
    text_width = (PAGE["width"] - PAGE["left"] - PAGE["right"]) / 10  # cm
    left_w, right_w = 6.3, text_width - 6.3

    if z.has_header:
        t = _borderless_table(doc, (left_w, right_w))
        lc, rc = t.rows[0].cells
        lf, rf = [True], [True]
        first_is_parent = len(z.agency) >= 2 and not fold(z.agency[0]).startswith(
            ("ủy ban nhân dân", "uỷ ban nhân dân"))
        for i, a in enumerate(z.agency):
            _cell_para(lc, lf, a, SIZES["agency"], bold=not (first_is_parent and i == 0))
        if z.agency:
            _rule(lc, 2.2, left_w)
        if z.number:
            _cell_para(lc, lf, z.number, SIZES["number"], before=4)
        if lf[0]:
            _cell_para(lc, lf, "", SIZES["number"])
        _cell_para(rc, rf, z.national, SIZES["national"], bold=True)
        _cell_para(rc, rf, z.motto, SIZES["motto"], bold=True)
        _rule(rc, 6.0, right_w)
        if z.date_line:
            _cell_para(rc, rf, z.date_line, SIZES["date"], italic=True, before=4)
    if z.type:
        _para(doc, z.type, SIZES["type"], bold=True, before=18)
    if z.subject:
        _para(doc, z.subject, SIZES["subject"], bold=True)
        _rule(doc, 4.0, text_width)
    for text, level in z.body:
        f = fold(text)
        if f.startswith("kính gửi"):
            _para(doc, text, SIZES["to"], align="center", before=6, after=6)
        elif level:
            _para(doc, text, SIZES["body"], bold=True, align="justify", indent=True, before=6, after=6, spacing=1.15)
        else:
            _para(doc, text, SIZES["body"], align="justify", indent=True, after=6, spacing=1.15)
    if z.recipients_title or z.signature or z.signer:
        t = _borderless_table(doc, (text_width / 2 - 0.5, text_width / 2 + 0.5))
        lc, rc = t.rows[0].cells
        lf, rf = [True], [True]
        if z.recipients_title:
            _cell_para(lc, lf, z.recipients_title, SIZES["recipients_title"], bold=True, italic=True,
                       align="left", before=6)
            for item in z.recipients:
                _cell_para(lc, lf, item, SIZES["recipients"], align="left")
        else:
            _cell_para(lc, lf, "", SIZES["recipients"])
        for line in z.signature:
            _cell_para(rc, rf, line, SIZES["authority"], bold=True, before=6 if rf[0] else 0)
        for _ in range(4):
            _cell_para(rc, rf, "", SIZES["signer"])
        if z.signer:
            _cell_para(rc, rf, z.signer, SIZES["signer"], bold=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def render_docx(report: Report, path: str | os.PathLike[str]) -> None:
    """Write the report as a state-format .docx at ``path`` (atomically)."""
    write_output(str(path), write_docx(report))


# ---------------------------------------------------------------------------------------------
# editing a source .docx in place
# ---------------------------------------------------------------------------------------------

_SKIP = {_w("del"), _w("moveFrom"), _w("txbxContent"), _w("p"), _w("instrText"), _w("delText"), _w("rPr"),
         _w("pPr")}
_ONE = {_w("tab"): " ", _w("ptab"): " ", _w("br"): "\n", _w("cr"): "\n", _w("noBreakHyphen"): "-"}


class _Atom:
    __slots__ = ("el", "text", "editable")

    def __init__(self, el: etree._Element, text: str, editable: bool) -> None:
        self.el = el
        self.text = text
        self.editable = editable


def _atoms(p: etree._Element) -> list[_Atom]:
    """The paragraph's characters as atoms: w:t elements (editable) and one-character ones."""
    out: list[_Atom] = []

    def walk(el: etree._Element) -> None:
        for c in el:
            tag = c.tag
            if not isinstance(tag, str) or tag in _SKIP:
                continue
            if tag == _w("t"):
                out.append(_Atom(c, c.text or "", True))
            elif tag in _ONE:
                out.append(_Atom(c, _ONE[tag], False))
            else:
                walk(c)

    walk(p)
    return out


def _norm_map(s: str) -> tuple[str, list[int]]:
    """The text as the readers normalise it (:func:`bcparse.textview.normalize_with_offsets`), with
    the raw offset of every normalised character (and one past the end)."""
    norm, spans = normalize_with_offsets(s, strict=False)
    return norm, [a for a, _ in spans] + [len(s)]


def _common_suffix(a: str, b: str, cap: int = 60) -> int:
    k = 0
    while k < min(len(a), len(b), cap) and a[-1 - k] == b[-1 - k]:
        k += 1
    return k


def _common_prefix(a: str, b: str, cap: int = 60) -> int:
    k = 0
    while k < min(len(a), len(b), cap) and a[k] == b[k]:
        k += 1
    return k


def _find(norm: str, old: str, left: str, right: str) -> tuple[int, int] | None:
    """(best score, position) of ``old`` in ``norm`` judged by the words around it."""
    best: tuple[int, int] | None = None
    if old:
        i = norm.find(old)
        positions: list[int] = []
        while i >= 0:
            positions.append(i)
            i = norm.find(old, i + 1)
    else:
        positions = list(range(len(norm) + 1))
    for i in positions:
        score = _common_suffix(norm[:i], left) + _common_prefix(norm[i + len(old):], right)
        if best is None or score > best[0]:
            best = (score, i)
    return best


def _locate(paras: list[etree._Element], e: Edit) -> tuple[etree._Element, int, int]:
    """The paragraph holding the edit and the raw [start, end) of the old text in it."""
    c0 = e.col - 1
    left, right = e.line_text[:c0], e.line_text[c0 + len(e.old):]
    wanted = min(len(left), 60) + min(len(right), 60)
    good = min(wanted, 12)
    hint = (e.span.paragraph - 1) if e.span.paragraph else None
    order: list[int] = []
    if hint is not None and 0 <= hint < len(paras):
        order += [k for k in range(hint, min(hint + 6, len(paras)))]
    order += [k for k in range(len(paras)) if k not in order]
    best: tuple[int, int, int, list[int]] | None = None  # score, paragraph, position, map
    for rank, k in enumerate(order):
        raw = "".join(a.text for a in _atoms(paras[k]))
        if not raw:
            continue
        norm, idx = _norm_map(raw)
        if e.old and e.old not in norm:
            continue
        found = _find(norm, e.old, left, right)
        if found is None:
            continue
        score, pos = found
        if best is None or score > best[0]:
            best = (score, k, pos, idx)
        if hint is not None and rank < 6 and score >= wanted:
            break
    if best is None or best[0] < good:
        raise ValidationError(f"{e.key}: cannot find {e.old!r} of line {e.line} in the .docx "
                              "(the file may not be the one the report was read from)")
    _, k, pos, idx = best
    return paras[k], idx[pos], idx[pos + len(e.old)]


def _apply(p: etree._Element, start: int, end: int, new: str, key: str) -> None:
    """Rewrite raw [start, end) of paragraph ``p`` as ``new``, run by run: character i of the new
    text goes into the run that held character i of the old one (the rest into the last), so each
    piece keeps the formatting of the run it sits in."""
    atoms = _atoms(p)
    pieces: list[tuple[_Atom, int, int]] = []
    pos = 0
    for a in atoms:
        a0, a1 = pos, pos + len(a.text)
        lo, hi = max(a0, start), min(a1, end)
        if lo < hi or (start == end and a0 <= start <= a1 and a.editable and not pieces):
            pieces.append((a, lo - a0, hi - a0))
        pos = a1
    if not pieces or not all(a.editable for a, _, _ in pieces):
        raise ValidationError(f"{key}: the number in the .docx spans a tab or a line break; edit it in Word")
    if start == end:
        pieces = pieces[:1]
    cuts: list[int] = []
    acc = 0
    for _, lo, hi in pieces:
        cuts.append(min(acc, len(new)))
        acc += hi - lo
    for n, (a, lo, hi) in enumerate(pieces):
        part = new[cuts[n] : cuts[n + 1]] if n + 1 < len(pieces) else new[cuts[n] :]
        a.text = a.text[:lo] + part + a.text[hi:]
        a.el.text = a.text
        if a.text != a.text.strip():
            a.el.set(f"{{{XML_NS}}}space", "preserve")


def edit_docx(source: bytes | str | os.PathLike[str], edits: Sequence[Edit]) -> bytes:
    """The source .docx with the edits made in place (see the module docstring); the edits are
    the ones :func:`bcparse.render.apply_edit` returned, in the order they were made.

    The package is opened as the reader opens it (:func:`bcparse.readers.docx.open_word_document`:
    the zip-bomb, lying-member, DOCTYPE/entity and XML-depth guards, the main part, its
    relationships and the styles checked), so a file the reader refuses for its package is refused
    here with the same error, whether or not there are edits."""
    path = None if isinstance(source, bytes) else str(source)
    data = source if isinstance(source, bytes) else read_input(source)
    wd = open_word_document(data, path, keep_comments=True, strict=True)
    pkg, part, xml, root = wd.pkg, wd.main, wd.blob, wd.root
    if not edits:
        return data
    body = root.find(_w("body"))
    if body is None:
        raise CorruptFileError("the .docx has no document body", path=path)
    paras = list(body.iter(_w("p")))
    # footnotes and endnotes: the reader puts their paragraphs after the body with no paragraph
    # number ("[1] Kế hoạch số …"); an edit there is made in their own part
    notes: dict[str, etree._Element] = {}
    for rel in ("footnotes", "endnotes"):
        name = wd.rels.get(rel)
        if name and name in pkg.names:
            notes[name] = pkg.xml(name)
    note_paras = [(name, q) for name, nroot in notes.items() for q in nroot.iter(_w("p"))]
    changed: set[str] = set()
    for edit in edits:
        if edit.span.paragraph is None and note_paras:
            try:
                p, a, b = _locate([q for _, q in note_paras], edit)
            except ValidationError:
                p, a, b = _locate(paras, edit)
        else:
            p, a, b = _locate(paras, edit)
        _apply(p, a, b, edit.new, edit.key)
        changed.add(next((name for name, q in note_paras if q is p), part))
    new_parts = {name: _serialise(pkg.read(name) if name != part else xml, notes.get(name, root))
                 for name in changed}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zout:
        for info in pkg.infos:
            zout.writestr(info, new_parts.get(info.filename) or pkg.read(info.filename))
    return out.getvalue()


def _serialise(blob: bytes, root: etree._Element) -> bytes:
    """A part's new bytes: its prolog (XML declaration and what follows it) kept byte for byte,
    the root re-serialised."""
    m = re.search(rb"<[A-Za-z_]", blob)
    prolog = blob[: m.start()] if m else b""
    out = prolog + etree.tostring(root, encoding="UTF-8", xml_declaration=False)
    return transitional_to_strict(out) if b"purl.oclc.org/ooxml/" in blob else out
