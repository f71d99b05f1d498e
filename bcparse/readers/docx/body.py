"""The body walker: paragraphs and their runs, line breaks, text boxes, fields, page breaks and
numbering labels → blocks (tables: :mod:`.tables`).
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from ... import limits
from ...document import Block, BlockKind, Mark, Source
from ...errors import InputTooLargeError
from ...textview import continues, join_into, normalize_text, split_indent, strip_markdown
from ..numbering import Label, Numbering
from .fonts import LegacyFonts
from .ooxml import (
    _ALIGN,
    _INLINE_WRAPPERS,
    _PAGE_FIELDS,
    M_OMATH,
    M_OMATHPARA,
    M_T,
    MC_ALT,
    MC_CHOICE,
    MC_FALLBACK,
    W_ALTCHUNK,
    W_ASCII,
    W_BR,
    W_CHAR,
    W_CR,
    W_CUSTOMXML,
    W_DEL,
    W_DRAWING,
    W_FLDCHAR,
    W_FLDCHARTYPE,
    W_FLDSIMPLE,
    W_HANSI,
    W_ILVL,
    W_INS,
    W_INSTR,
    W_INSTRTEXT,
    W_JC,
    W_LRPB,
    W_MOVEFROM,
    W_MOVETO,
    W_NBH,
    W_NUMID,
    W_NUMPR,
    W_OBJECT,
    W_P,
    W_PBB,
    W_PICT,
    W_PPR,
    W_PSTYLE,
    W_PTAB,
    W_R,
    W_RFONTS,
    W_RPR,
    W_SDT,
    W_SDTCONTENT,
    W_SECTPR,
    W_SYM,
    W_T,
    W_TAB,
    W_TBL,
    W_TXBX,
    W_TYPE,
    W_VAL,
)
from .styles import _RPR_KNOWN, _int_val, _on, _parse_rpr, _PStyle, _Styles
from .tables import count_paragraphs, read_table

_NO_CELL = (None, None, None)
_BOLD_SHARE = 0.9  # "(nearly) all": this share of the non-space characters
# ---------------------------------------------------------------------------------------------
# per-run and per-line state
# ---------------------------------------------------------------------------------------------


class _Props:
    __slots__ = ("bold", "italic", "size", "enc", "caps", "vanish", "special")

    def __init__(self, d: dict[str, Any], enc: tuple[str, bool] | None) -> None:
        self.bold = bool(d.get("b", False))
        self.italic = bool(d.get("i", False))
        self.size: float | None = d.get("sz")
        self.enc = enc
        self.caps = bool(d.get("caps", False))
        self.vanish = bool(d.get("vanish", False))
        self.special = self.caps or self.vanish or enc is not None


class _Line:
    __slots__ = ("parts", "n", "nb", "ni", "sizes", "page", "enc", "brk")

    def __init__(self, brk: str) -> None:
        self.parts: list[str] = []
        self.n = 0  # non-space characters
        self.nb = 0  # of which bold
        self.ni = 0  # of which italic
        self.sizes: dict[float, int] = {}
        self.page: int | None = None
        self.enc: str | None = None
        self.brk = brk  # what started the line: "start" | "wrap" | "page"


class _Para:
    __slots__ = ("base", "lines", "line", "boxes")

    def __init__(self, base: dict[str, Any]) -> None:
        self.base = base
        self.line = _Line("start")
        self.lines = [self.line]
        self.boxes: list[etree._Element | int] = []  # text boxes, or counts of skipped w:p


_LINE_END = re.compile(r"\r\n?|\n")


def _line_ends_to_spaces(s: str) -> str:
    """A line feed or carriage return typed inside ``w:t`` (CR as ``&#13;``): Word shows a space,
    not a new line (``w:br`` is the line break). Kept as a space, so the view's lines stay the
    blocks and every span after it keeps its line (issue 11, item 20)."""
    return _LINE_END.sub(" ", s)


def _continues(prev: str, nxt: str) -> bool:
    """``textview.continues``, made cheap: a line ending a sentence never continues, and only
    the end of ``prev`` matters (its tests are anchored at the end), so a long paragraph is cut
    at a space well before its last word before the regular expressions run."""
    if not prev or prev[-1] in ".:;!?…":
        return False
    if len(prev) > 24:
        cut = prev.rfind(" ", 0, len(prev) - 12)
        if cut > 0:
            prev = prev[cut:]
    return continues(prev, nxt)



# ---------------------------------------------------------------------------------------------
# the body walker
# ---------------------------------------------------------------------------------------------


class _Reader:
    def __init__(self, styles: _Styles, numbering: Numbering, rendered: bool) -> None:
        self.styles = styles
        self.numbering = numbering
        self.rendered = rendered  # count w:lastRenderedPageBreak (else explicit breaks)
        self.blocks: list[Block] = []
        self.view_chars = 0  # characters of text view the blocks make so far (bounded by max_text_chars)
        self.warnings: list[str] = []
        self.gap = 0
        self.para_no = 0
        self.table_no = 0
        self.labels = 0
        self.page = 1
        self.page_seen = False
        self.kind: BlockKind = "paragraph"
        self.ctx: tuple[int, int, int] | None = None
        self.in_box = 0
        self.joinable: Block | None = None
        self.fields: list[list[Any]] = []  # [instruction, in result part]
        self.hide = False
        self._props: dict[tuple[Any, ...], _Props] = {}
        self.fonts = LegacyFonts(self.warnings)

    # ---- pages -------------------------------------------------------------------------------
    def _new_page(self) -> None:
        self.page += 1
        self.page_seen = True

    # ---- fonts and run properties ------------------------------------------------------------
    def _run_props(self, base: dict[str, Any], rpr: etree._Element | None) -> _Props:
        # cache key: the paragraph style's properties and the relevant children of the w:rPr,
        # so a run formatted like an earlier one costs one walk over its w:rPr, no parsing
        k: tuple[Any, ...] = (id(base),)
        if rpr is not None:
            for c in rpr:
                t = c.tag
                if t in _RPR_KNOWN:
                    if t == W_RFONTS:
                        k += (t, c.get(W_HANSI), c.get(W_ASCII))
                    else:
                        k += (t, c.get(W_VAL))
        hit = self._props.get(k)
        if hit is not None:
            return hit
        merged = dict(base)
        d = _parse_rpr(rpr, {}) if rpr is not None else {}
        rstyle = d.pop("rstyle", None)
        if rstyle:
            merged.update(self.styles.char(rstyle))
        merged.update(d)
        font = merged.get("font")
        props = _Props(merged, self.fonts.encoding(font) if font else None)
        self._props[k] = props
        return props

    # ---- text --------------------------------------------------------------------------------
    def _add(self, st: _Para, text: str, props: _Props) -> None:
        if self.hide:
            return
        enc: str | None = None
        if props.special:
            if props.vanish:
                return
            if props.enc is not None:
                converted = self.fonts.convert(text, props.enc)
                if converted is not None:
                    text, enc = converted, props.enc[0]
            if props.caps:
                text = text.upper()
        ln = st.line
        ln.parts.append(text)
        n = len(text) - text.count(" ")
        if n:
            ln.n += n
            if props.bold:
                ln.nb += n
            if props.italic:
                ln.ni += n
            size = props.size
            if size:
                sizes = ln.sizes
                sizes[size] = sizes.get(size, 0) + n
            if ln.page is None:
                ln.page = self.page
            if enc is not None and ln.enc is None:
                ln.enc = enc

    def _break(self, st: _Para, brk: str) -> None:
        st.line = _Line(brk)
        st.lines.append(st.line)

    def _update_hide(self) -> None:
        hide = False
        for instr, in_result in self.fields:
            if not in_result:
                hide = True
                break
            words = instr.split()
            if words and words[0].upper() in _PAGE_FIELDS:
                hide = True
                break
        self.hide = hide

    def _find_boxes(self, el: etree._Element, out: list[etree._Element | int]) -> None:
        for c in el:
            t = c.tag
            if t == W_TXBX:
                out.append(c)
            elif t == MC_ALT:
                use, skipped = self._choose(c)
                if use is not None:
                    self._find_boxes(use, out)
                if skipped:
                    out.append(skipped)
            elif len(c):
                self._find_boxes(c, out)

    @staticmethod
    def _choose(alt: etree._Element) -> tuple[etree._Element | None, int]:
        """mc:AlternateContent: the first mc:Choice (else the mc:Fallback), and how many w:p the
        copies not read hold."""
        use = None
        skipped = 0
        for c in alt:
            if c.tag in (MC_CHOICE, MC_FALLBACK) and use is None:
                use = c
            else:
                skipped += count_paragraphs(c)
        return use, skipped

    def _run(self, r: etree._Element, st: _Para) -> None:
        props: _Props | None = None
        rpr: etree._Element | None = None  # parsed when the run turns out to hold text
        for c in r:
            t = c.tag
            if t == W_T:
                text = c.text
                if not text:
                    continue
                if props is None:
                    props = self._run_props(st.base, rpr)
                if props.special or self.hide:
                    self._add(st, text, props)
                    continue
                # _add's common case, inlined: this is the hottest line of the reader
                ln = st.line
                ln.parts.append(text)
                n = len(text) - text.count(" ")
                if n:
                    ln.n += n
                    if props.bold:
                        ln.nb += n
                    if props.italic:
                        ln.ni += n
                    size = props.size
                    if size:
                        sizes = ln.sizes
                        sizes[size] = sizes.get(size, 0) + n
                    if ln.page is None:
                        ln.page = self.page
            elif t == W_RPR:
                rpr = c
            elif t == W_TAB or t == W_PTAB:
                if not self.hide:
                    st.line.parts.append(" ")
            elif t == W_BR:
                typ = c.get(W_TYPE)
                if typ == "page":
                    if not self.rendered:
                        self._new_page()
                    self._break(st, "page")
                elif typ == "column":
                    self._break(st, "page")
                else:
                    self._break(st, "wrap")
            elif t == W_CR:
                self._break(st, "wrap")
            elif t == W_LRPB:
                if self.rendered:
                    self._new_page()
            elif t == W_FLDCHAR:
                typ = c.get(W_FLDCHARTYPE)
                if typ == "begin":
                    self.fields.append(["", False])
                elif typ == "separate" and self.fields:
                    self.fields[-1][1] = True
                elif typ == "end" and self.fields:
                    self.fields.pop()
                self._update_hide()
            elif t == W_INSTRTEXT:
                if self.fields and not self.fields[-1][1]:
                    self.fields[-1][0] += c.text or ""
            elif t == W_NBH:
                self._add(st, "-", props or self._run_props(st.base, rpr))
            elif t == W_SYM:
                ch = c.get(W_CHAR) or ""
                try:
                    code = int(ch, 16)
                except ValueError:
                    continue
                sym = "•" if code >= 0xF000 or 0xE000 <= code <= 0xF8FF else chr(code)
                self._add(st, sym, props or self._run_props(st.base, rpr))
            elif t == W_DRAWING or t == W_PICT or t == W_OBJECT:
                self._find_boxes(c, st.boxes)
            elif t == MC_ALT:
                use, skipped = self._choose(c)
                if use is not None:
                    self._find_boxes(use, st.boxes)
                if skipped:
                    st.boxes.append(skipped)
            # w:softHyphen, w:footnoteReference, w:endnoteReference, w:commentReference,
            # w:delText, w:annotationRef …: not in the view

    def _inline(self, parent: etree._Element, st: _Para) -> None:
        for el in parent:
            t = el.tag
            if t == W_R:
                self._run(el, st)
            elif t in _INLINE_WRAPPERS:
                self._inline(el, st)
            elif t == W_SDT:
                content = el.find(W_SDTCONTENT)
                if content is not None:
                    self._inline(content, st)
            elif t == W_FLDSIMPLE:
                words = (el.get(W_INSTR) or "").split()
                if not (words and words[0].upper() in _PAGE_FIELDS):
                    self._inline(el, st)
            elif t == MC_ALT:
                use, skipped = self._choose(el)
                if use is not None:
                    self._inline(use, st)
                if skipped:
                    st.boxes.append(skipped)
            elif t == M_OMATHPARA or t == M_OMATH:
                text = "".join(m.text or "" for m in el.iter(M_T))
                if text:
                    self._add(st, text, self._run_props(st.base, None))
            elif t == W_DEL or t == W_MOVEFROM:
                self.para_no += count_paragraphs(el)
            # w:pPr, bookmarks, proofErr, comment ranges: nothing to read

    # ---- paragraphs --------------------------------------------------------------------------
    def paragraph(self, p: etree._Element) -> None:
        self.para_no += 1
        pno = self.para_no
        style_id: str | None = None
        jc: str | None = None
        num_id: int | None = None
        ilvl: int | None = None
        break_before = False
        section_end = False
        if len(p) and p[0].tag == W_PPR:
            for c in p[0]:
                t = c.tag
                if t == W_PSTYLE:
                    style_id = c.get(W_VAL)
                elif t == W_JC:
                    jc = c.get(W_VAL)
                elif t == W_NUMPR:
                    for n in c:
                        if n.tag == W_NUMID:
                            num_id = _int_val(n)
                        elif n.tag == W_ILVL:
                            ilvl = _int_val(n)
                elif t == W_PBB:
                    break_before = _on(c)
                elif t == W_SECTPR:
                    typ = c.find(W_TYPE)
                    section_end = typ is None or typ.get(W_VAL) in (None, "nextPage", "evenPage", "oddPage")
        ps = self.styles.para(style_id)
        if not self.rendered and (break_before or ps.break_before) and self.blocks:
            self._new_page()
        nid = num_id if num_id is not None else ps.num_id
        if not nid and len(p) <= 1 and (not len(p) or p[0].tag == W_PPR):
            self.gap += 1  # an empty paragraph is a blank line
            if section_end and not self.rendered:
                self._new_page()
            return
        label: Label | None = None
        if nid:
            lv = ilvl if ilvl is not None else ps.ilvl
            if lv is None:
                lv = self.numbering.level_for_style(nid, ps.num_style or style_id) or 0
            label = self.numbering.next(nid, lv)
        st = _Para(ps.rprops)
        self._inline(p, st)
        self._emit(st, ps, jc or ps.jc, label, pno)
        if section_end and not self.rendered:
            self._new_page()
        if st.boxes:
            self._read_boxes(st.boxes)

    def _read_boxes(self, boxes: list[etree._Element | int]) -> None:
        self.joinable = None
        self.in_box += 1
        for box in boxes:
            if isinstance(box, int):
                self.para_no += box
            else:
                self.blocks_of(box)
        self.in_box -= 1
        self.joinable = None

    def _emit(self, st: _Para, ps: _PStyle, jc: str | None, label: Label | None, pno: int) -> None:
        bodies: list[tuple[str, str, list[Mark]]] = []
        any_text = False
        for ln in st.lines:
            parts = ln.parts
            raw = parts[0] if len(parts) == 1 else "".join(parts)
            if "\xad" in raw:
                raw = raw.replace("\xad", "")
            if "\n" in raw or "\r" in raw:
                raw = _line_ends_to_spaces(raw)
            raw = normalize_text(raw)
            if raw and not raw[0].isspace() and not raw[-1].isspace():
                indent, body = "", raw
            else:
                indent, body = split_indent(raw)
            marks: list[Mark] = []
            if "*" in body or "__" in body or body[:1] == "#":  # markdown markers pasted in: as the txt reader
                body, marks = strip_markdown(body)
            bodies.append((indent, body, marks))
            if body:
                any_text = True
        if not any_text and label is None:
            self.gap += 1  # an empty paragraph is a blank line
            return
        if label is not None:
            self.labels += 1
        align = _ALIGN.get(jc) if jc else "left"
        body_para = self.kind == "paragraph" and not self.in_box
        ctx = self.ctx or _NO_CELL
        lines = st.lines
        last = len(lines) - 1
        prev: Block | None = None  # the block of this paragraph's previous line
        for idx, ln in enumerate(lines):
            indent, body, marks = bodies[idx]
            lab = label.text if (label is not None and idx == 0) else None
            if lab is not None:
                text = lab + label.suffix + body if body else lab  # type: ignore[union-attr]
                if marks:
                    shift = len(text) - len(body)
                    marks = [Mark(m.offset + shift, m.text) for m in marks]
            else:
                text = body
            if not text:
                # an empty line between two line breaks is a blank line; the empty rest of a
                # page break, or the end of a paragraph after a break, is not
                if idx < last and ln.brk != "page" and lines[idx + 1].brk == "wrap":
                    self.gap += 1
                continue
            n = ln.n
            sizes = ln.sizes
            if not sizes:
                size = None
            elif len(sizes) == 1:
                size = next(iter(sizes))
            else:
                size = max(sizes, key=sizes.__getitem__)
            # positional: (lines, page, paragraph, table, row, cell) and Block's field order
            source = Source((), ln.page or self.page, pno, *ctx)
            block = Block(
                text,
                self.kind,
                self.gap,
                source,
                (ln.nb >= _BOLD_SHARE * n) if n else None,
                (ln.ni >= _BOLD_SHARE * n) if n else None,
                align,
                size,
                ps.name,
                lab,
                indent,
                marks,
                [],
                ln.enc,
            )
            if prev is not None:
                if _continues(prev.text, text):
                    join_into(prev, block)
                    self.gap = 0
                    continue
            elif (
                lab is None
                and body_para
                and self.joinable is not None
                and self._same_look(self.joinable, block)
                and self._page_split(self.joinable, block)
                and _continues(self.joinable.text, text)
            ):
                join_into(self.joinable, block)
                self.gap = 0
                prev = self.joinable
                continue
            self.blocks.append(block)
            self.view_chars += len(block.text) + 1 + self.gap
            if self.view_chars > limits.current().max_text_chars:  # before a million blocks are made
                lim = limits.current().max_text_chars
                raise InputTooLargeError(
                    f"the document's text is over the limit of {lim:,} characters (set BCPARSE_MAX_TEXT_CHARS)")
            self.gap = 0
            prev = block
        self.joinable = prev if body_para else None

    def _page_split(self, a: Block, b: Block) -> bool:
        """Only a paragraph a page break split is mended, never two real paragraphs (issue 19): a
        page boundary lies between the two halves (Word recorded it), or, in a file that records
        no page breaks, the empty paragraph an export leaves where the page broke."""
        if a.label is not None:
            return False
        if self.page_seen:
            return (b.source.page or 0) > (a.source.page or 0)
        return self.gap > 0

    @staticmethod
    def _same_look(a: Block, b: Block) -> bool:
        """Two halves of one split paragraph look alike: a centred all-caps title ending in "ĐẾN"
        is not continued by the justified "Điều 20." under it."""
        return a.align == b.align and a.style == b.style and bool(a.bold) == bool(b.bold)

    # ---- block containers and tables ---------------------------------------------------------
    def blocks_of(self, parent: etree._Element) -> None:
        for el in parent:
            t = el.tag
            if t == W_P:
                self.paragraph(el)
            elif t == W_TBL:
                self.table(el)
            elif t == W_SDT:
                content = el.find(W_SDTCONTENT)
                if content is not None:
                    self.blocks_of(content)
            elif t == W_CUSTOMXML or t == W_INS or t == W_MOVETO:
                self.blocks_of(el)
            elif t == MC_ALT:
                use, skipped = self._choose(el)
                if use is not None:
                    self.blocks_of(use)
                self.para_no += skipped
            elif t == W_DEL or t == W_MOVEFROM:
                self.para_no += count_paragraphs(el)
            elif t == W_ALTCHUNK:
                self.warnings.append("the document embeds another file (w:altChunk) whose text is not read")

    def table(self, tbl: etree._Element) -> None:
        read_table(self, tbl)
