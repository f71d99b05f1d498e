"""The .docx reader: a Word document → :class:`bcparse.document.Document`.

It works on the package's XML with lxml directly (python-docx's proxies are too slow for a
reader and do not resolve numbering): ``word/document.xml``, ``word/styles.xml`` and
``word/numbering.xml`` are each parsed once.

The text view follows the txt reader's conventions, so the same report gives the same view:

* one block per non-empty paragraph (NFC, outer white space stripped); an empty paragraph is a
  blank line (it adds 1 to the next block's ``gap``);
* body paragraphs and tables in document order; a table's cells row by row, left to right, each
  cell paragraph a block of kind "cell" with ``Source(table, row, cell)`` (cell = the 1-based grid
  column where the cell starts); a merged cell is read once (``gridSpan``; ``vMerge`` continuation
  cells are skipped); nested tables are read in place;
* ``Source.paragraph`` is the 1-based index of the ``w:p`` among all ``w:p`` of the body in
  document order (``body.iter(w:p)``: table cells, text boxes, empty paragraphs and skipped
  copies included); ``Source.page`` counts ``w:lastRenderedPageBreak`` when Word recorded them,
  else explicit breaks (``w:br w:type="page"``, ``w:pageBreakBefore``, section breaks); None
  when the file has neither;
* a line break inside a paragraph (``w:br``, ``w:cr``, and a page or column break in mid-text)
  ends a line of the view, as it ends a line on the page: "TM. ỦY BAN NHÂN DÂN⏎CHỦ TỊCH" typed
  with Shift+Enter gives two lines like the txt does. Lines that continue a sentence
  (``textview.continues``) are joined back, within a paragraph and between consecutive body
  paragraphs that look alike (same style, alignment and boldness: a paragraph a page break
  split, or one broken with Enter mid-sentence; empty paragraphs between them vanish, as blank
  lines do in the txt reader), never across a table or text box boundary and never onto a
  numbered paragraph;
* ``w:tab`` is one space, and so is a line feed or carriage return typed inside ``w:t`` (CRLF
  included: Word shows a space there, ``w:br`` breaks the line); soft hyphens are dropped; a non-breaking hyphen is "-"; a symbol
  (``w:sym``) from a symbol font's private-use area is "•"; ``w:caps`` text is upper-cased, as
  Word shows it;
* ``Block.bold``/``italic`` are True when at least 90 % of the line's non-space characters are
  bold/italic (run, character style, paragraph style, document defaults); ``size`` is the size of
  most characters; ``align`` comes from ``w:jc`` (direct or style; "left" when unset);
* left out: headers, footers, comments, footnote and endnote text and their reference marks,
  deleted text (``w:del``), field instructions (``w:instrText``) and PAGE/NUMPAGES field results,
  hidden text (``w:vanish``); inserted text (``w:ins``) is read;
* text boxes are read, once, as blocks right after the paragraph that anchors them
  (``mc:AlternateContent``: the ``mc:Choice``, not the ``mc:Fallback`` copy);
* automatic numbering is resolved (:mod:`bcparse.readers.numbering`): the label and one space
  (nothing for ``w:suff="nothing"``) are written in front of the text, ``Block.label`` holds it;
* runs in a TCVN3 (.VnTime …) or VNI font are converted to Unicode (``bcparse.legacy_encodings``).

Bad input raises typed errors: a damaged zip or XML part → CorruptFileError; a zip without a
Word document → UnsupportedFormatError; a zip bomb (total declared size over
``limits.max_unzipped_bytes``, or a member over 1 MiB compressed more than ``max_zip_ratio`` to
1), a part declaring a DOCTYPE or entities, or XML nested deeper than ``max_xml_depth`` →
UnsafeFileError. Parts are parsed without entity resolution or network access.
"""

from __future__ import annotations

import io
import posixpath
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Callable
from typing import Any

from lxml import etree

from .. import legacy_encodings, limits
from ..document import Block, BlockKind, Document, Source
from ..errors import CorruptFileError, InputTooLargeError, UnsafeFileError, UnsupportedFormatError
from ..textview import continues, join_into, normalize_text, split_indent
from .numbering import MC, Label, Numbering, W

M = "http://schemas.openxmlformats.org/officeDocument/2006/math"
STRICT_W = "http://purl.oclc.org/ooxml/wordprocessingml/main"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_REL = f"{{{PKG_REL}}}Relationship"


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


W_VAL = _w("val")
W_P, W_R, W_T, W_TBL, W_TR, W_TC = _w("p"), _w("r"), _w("t"), _w("tbl"), _w("tr"), _w("tc")
W_BODY, W_PPR, W_RPR, W_TCPR, W_TRPR = _w("body"), _w("pPr"), _w("rPr"), _w("tcPr"), _w("trPr")
W_PSTYLE, W_RSTYLE, W_JC, W_NUMPR, W_ILVL, W_NUMID = (
    _w("pStyle"), _w("rStyle"), _w("jc"), _w("numPr"), _w("ilvl"), _w("numId"))
W_B, W_I, W_SZ, W_RFONTS, W_CAPS, W_VANISH = _w("b"), _w("i"), _w("sz"), _w("rFonts"), _w("caps"), _w("vanish")
W_ASCII, W_HANSI = _w("ascii"), _w("hAnsi")
W_TAB, W_PTAB, W_BR, W_CR, W_TYPE = _w("tab"), _w("ptab"), _w("br"), _w("cr"), _w("type")
W_LRPB, W_PBB, W_SECTPR = _w("lastRenderedPageBreak"), _w("pageBreakBefore"), _w("sectPr")
W_FLDCHAR, W_FLDCHARTYPE, W_INSTRTEXT, W_FLDSIMPLE, W_INSTR = (
    _w("fldChar"), _w("fldCharType"), _w("instrText"), _w("fldSimple"), _w("instr"))
W_NBH, W_SYM, W_CHAR = _w("noBreakHyphen"), _w("sym"), _w("char")
W_DRAWING, W_PICT, W_OBJECT, W_TXBX = _w("drawing"), _w("pict"), _w("object"), _w("txbxContent")
W_HYPERLINK, W_INS, W_DEL, W_MOVETO, W_MOVEFROM = (
    _w("hyperlink"), _w("ins"), _w("del"), _w("moveTo"), _w("moveFrom"))
W_SMARTTAG, W_CUSTOMXML, W_SDT, W_SDTCONTENT, W_DIR, W_BDO = (
    _w("smartTag"), _w("customXml"), _w("sdt"), _w("sdtContent"), _w("dir"), _w("bdo"))
W_GRIDSPAN, W_VMERGE, W_GRIDBEFORE = _w("gridSpan"), _w("vMerge"), _w("gridBefore")
W_STYLE, W_STYLEID, W_NAME, W_BASEDON, W_DEFAULT = (
    _w("style"), _w("styleId"), _w("name"), _w("basedOn"), _w("default"))
W_DOCDEFAULTS, W_RPRDEFAULT, W_PPRDEFAULT = _w("docDefaults"), _w("rPrDefault"), _w("pPrDefault")
W_DOCUMENT, W_ALTCHUNK = _w("document"), _w("altChunk")
MC_ALT, MC_CHOICE, MC_FALLBACK = f"{{{MC}}}AlternateContent", f"{{{MC}}}Choice", f"{{{MC}}}Fallback"
M_OMATH, M_OMATHPARA, M_T = f"{{{M}}}oMath", f"{{{M}}}oMathPara", f"{{{M}}}t"

# inline wrappers whose runs are read as if they stood in the paragraph
_INLINE_WRAPPERS = frozenset({W_HYPERLINK, W_INS, W_MOVETO, W_SMARTTAG, W_CUSTOMXML, W_DIR, W_BDO})
_PAGE_FIELDS = frozenset({"PAGE", "NUMPAGES", "SECTIONPAGES"})
_ALIGN = {
    "left": "left", "start": "left", "center": "center", "right": "right", "end": "right",
    "both": "justify", "distribute": "justify", "lowKashida": "justify", "mediumKashida": "justify",
    "highKashida": "justify", "thaiDistribute": "justify",
}
_NO_CELL = (None, None, None)
_FONT_CACHE: dict[str, tuple[str, bool] | None] = {}  # font name → legacy encoding, across reads
_RATIO_MIN_BYTES = 1 << 20  # the compression ratio is only checked on members above 1 MiB
_BOLD_SHARE = 0.9  # "(nearly) all": this share of the non-space characters


def _on(el: etree._Element) -> bool:
    return el.get(W_VAL) not in ("0", "false", "off", "none")


def _int_val(el: etree._Element | None) -> int | None:
    if el is None:
        return None
    v = el.get(W_VAL)
    if v is None or not v.lstrip("-").isdigit():
        return None
    return int(v)


_RPR_TOGGLES = {W_B: "b", W_I: "i", W_CAPS: "caps", W_VANISH: "vanish"}
_RPR_KNOWN = frozenset({W_B, W_I, W_CAPS, W_VANISH, W_SZ, W_RFONTS, W_RSTYLE})


def _parse_rpr(rpr: etree._Element, out: dict[str, Any]) -> dict[str, Any]:
    """Merge the run properties bcparse uses from an ``w:rPr`` into ``out``."""
    for c in rpr:
        t = c.tag
        if t not in _RPR_KNOWN:
            continue
        key = _RPR_TOGGLES.get(t)
        if key is not None:
            out[key] = c.get(W_VAL) not in ("0", "false", "off", "none")
        elif t == W_SZ:
            v = c.get(W_VAL)
            if v is not None:
                try:
                    out["sz"] = float(v) / 2
                except ValueError:
                    pass
        elif t == W_RFONTS:
            f = c.get(W_HANSI) or c.get(W_ASCII)
            if f:
                out["font"] = f
        else:
            out["rstyle"] = c.get(W_VAL)
    return out


# ---------------------------------------------------------------------------------------------
# styles
# ---------------------------------------------------------------------------------------------


class _PStyle:
    __slots__ = ("name", "jc", "num_id", "ilvl", "num_style", "break_before", "rprops")

    def __init__(self) -> None:
        self.name: str | None = None
        self.jc: str | None = None
        self.num_id: int | None = None
        self.ilvl: int | None = None
        self.num_style: str | None = None
        self.break_before = False
        self.rprops: dict[str, Any] = {}


def _ui_name(name: str | None) -> str | None:
    """Word stores built-in names in lower case ("heading 2"); show them as Word does."""
    if name and name[0].islower():
        return name[0].upper() + name[1:]
    return name


class _Styles:
    """styles.xml: paragraph styles resolved through ``w:basedOn`` (memoised)."""

    def __init__(self, root: etree._Element | None) -> None:
        self._raw: dict[str, etree._Element] = {}
        self._types: dict[str, str] = {}
        self._default_para: str | None = None
        self._defaults: dict[str, Any] = {}
        self._default_jc: str | None = None
        self._pcache: dict[str | None, _PStyle] = {}
        self._ccache: dict[str, dict[str, Any]] = {}
        if root is None:
            return
        for el in root:
            if el.tag == W_STYLE:
                sid = el.get(W_STYLEID)
                if sid is None:
                    continue
                typ = el.get(W_TYPE) or "paragraph"
                self._raw[sid] = el
                self._types[sid] = typ
                if typ == "paragraph" and el.get(W_DEFAULT) in ("1", "true", "on"):
                    self._default_para = sid
            elif el.tag == W_DOCDEFAULTS:
                for d in el:
                    inner = d[0] if len(d) else None
                    if inner is None:
                        continue
                    if d.tag == W_RPRDEFAULT and inner.tag == W_RPR:
                        _parse_rpr(inner, self._defaults)
                    elif d.tag == W_PPRDEFAULT and inner.tag == W_PPR:
                        jc = inner.find(W_JC)
                        if jc is not None:
                            self._default_jc = jc.get(W_VAL)
        self._defaults.pop("rstyle", None)

    def _chain(self, sid: str | None) -> list[etree._Element]:
        out: list[etree._Element] = []
        seen: set[str] = set()
        while sid is not None and sid not in seen and sid in self._raw and len(out) < 32:
            seen.add(sid)
            el = self._raw[sid]
            out.append(el)
            based = el.find(W_BASEDON)
            sid = based.get(W_VAL) if based is not None else None
        return out

    def para(self, sid: str | None) -> _PStyle:
        hit = self._pcache.get(sid)
        if hit is not None:
            return hit
        real = sid if sid is not None and self._types.get(sid) == "paragraph" else self._default_para
        ps = _PStyle()
        ps.rprops = dict(self._defaults)
        ps.jc = self._default_jc
        chain = self._chain(real)
        if chain:
            name = chain[0].find(W_NAME)
            ps.name = _ui_name(name.get(W_VAL) if name is not None else real)
        for el in reversed(chain):  # farthest base first, so nearer styles override
            for part in el:
                if part.tag == W_PPR:
                    for c in part:
                        t = c.tag
                        if t == W_JC:
                            ps.jc = c.get(W_VAL)
                        elif t == W_NUMPR:
                            for n in c:
                                if n.tag == W_NUMID:
                                    ps.num_id = _int_val(n)
                                    ps.num_style = el.get(W_STYLEID)
                                elif n.tag == W_ILVL:
                                    ps.ilvl = _int_val(n)
                        elif t == W_PBB:
                            ps.break_before = _on(c)
                elif part.tag == W_RPR:
                    _parse_rpr(part, ps.rprops)
        ps.rprops.pop("rstyle", None)
        self._pcache[sid] = ps
        return ps

    def char(self, sid: str) -> dict[str, Any]:
        hit = self._ccache.get(sid)
        if hit is not None:
            return hit
        props: dict[str, Any] = {}
        for el in reversed(self._chain(sid)):
            rpr = el.find(W_RPR)
            if rpr is not None:
                _parse_rpr(rpr, props)
        props.pop("rstyle", None)
        self._ccache[sid] = props
        return props

    def num_id(self, sid: str) -> int | None:
        """The numId in a (numbering) style's ``w:pPr/w:numPr``, for ``w:numStyleLink``."""
        for el in self._chain(sid):
            ppr = el.find(W_PPR)
            if ppr is not None:
                numpr = ppr.find(W_NUMPR)
                if numpr is not None:
                    n = _int_val(numpr.find(W_NUMID))
                    if n is not None:
                        return n
        return None


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


_NEEDS_FIX = re.compile("[\u00d0\u00f0\u00a0\u202f\u2007\u200b\ufeff]")


def _normalize(s: str) -> str:
    """``textview.normalize_text``, skipped when the text is already normal (most of it is)."""
    if s.isascii() or (unicodedata.is_normalized("NFC", s) and not _NEEDS_FIX.search(s)):
        return s
    return normalize_text(s)


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


def _count_p(el: etree._Element) -> int:
    return sum(1 for _ in el.iter(W_P))


def _legacy() -> tuple[Callable[..., Any], Callable[..., str]] | None:
    """``(font_encoding, convert)`` of :mod:`bcparse.legacy_encodings`, looked up when a read
    starts (tests replace them)."""
    fe = getattr(legacy_encodings, "font_encoding", None)
    cv = getattr(legacy_encodings, "convert", None)
    return (fe, cv) if callable(fe) and callable(cv) else None


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
        self._fonts: dict[str, tuple[str, bool] | None] = {}
        self._legacy: tuple[Callable[..., Any], Callable[..., str]] | None | bool = False

    # ---- pages -------------------------------------------------------------------------------
    def _new_page(self) -> None:
        self.page += 1
        self.page_seen = True

    # ---- fonts and run properties ------------------------------------------------------------
    def _font_enc(self, font: str) -> tuple[str, bool] | None:
        if font in self._fonts:
            return self._fonts[font]
        if self._legacy is False:
            self._legacy = _legacy()
        res: tuple[str, bool] | None = None
        if font in _FONT_CACHE:
            res = _FONT_CACHE[font]
        elif self._legacy:
            try:
                found = self._legacy[0](font)  # type: ignore[index]
            except Exception:  # a converter bug must not break reading
                found = None
            if found:
                res = (str(found[0]), bool(found[1]))
            if len(_FONT_CACHE) < 4096:
                _FONT_CACHE[font] = res
        elif font.startswith((".Vn", "VNI", "VN-", "Vn")):
            self.warnings.append(f"text in the legacy font {font} is left unconverted (no converter available)")
        self._fonts[font] = res
        return res

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
        props = _Props(merged, self._font_enc(font) if font else None)
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
            if props.enc is not None and self._legacy:
                try:
                    text = self._legacy[1](text, props.enc[0], upper=props.enc[1])  # type: ignore[index]
                    enc = props.enc[0]
                except Exception:
                    pass
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
                skipped += _count_p(c)
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
                self.para_no += _count_p(el)
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
        bodies: list[tuple[str, str]] = []
        any_text = False
        for ln in st.lines:
            parts = ln.parts
            raw = parts[0] if len(parts) == 1 else "".join(parts)
            if "\xad" in raw:
                raw = raw.replace("\xad", "")
            if "\n" in raw or "\r" in raw:
                raw = _line_ends_to_spaces(raw)
            raw = _normalize(raw)
            if raw and not raw[0].isspace() and not raw[-1].isspace():
                indent, body = "", raw
            else:
                indent, body = split_indent(raw)
            bodies.append((indent, body))
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
            indent, body = bodies[idx]
            lab = label.text if (label is not None and idx == 0) else None
            if lab is not None:
                text = lab + label.suffix + body if body else lab  # type: ignore[union-attr]
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
                [],
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
                self.para_no += _count_p(el)
            elif t == W_ALTCHUNK:
                self.warnings.append("the document embeds another file (w:altChunk) whose text is not read")

    @staticmethod
    def _children(parent: etree._Element, tag: str) -> list[etree._Element]:
        """Rows of a table / cells of a row, looking through content controls and custom XML."""
        out: list[etree._Element] = []
        for c in parent:
            if c.tag == tag:
                out.append(c)
            elif c.tag == W_SDT:
                content = c.find(W_SDTCONTENT)
                if content is not None:
                    out.extend(_Reader._children(content, tag))
            elif c.tag == W_CUSTOMXML:
                out.extend(_Reader._children(c, tag))
        return out

    def table(self, tbl: etree._Element) -> None:
        self.table_no += 1
        tno = self.table_no
        saved = (self.kind, self.ctx)
        self.joinable = None
        for row_no, tr in enumerate(self._children(tbl, W_TR), start=1):
            col = 0
            trpr = tr.find(W_TRPR)
            if trpr is not None:
                col = max(_int_val(trpr.find(W_GRIDBEFORE)) or 0, 0)
            for tc in self._children(tr, W_TC):
                span = 1
                continuation = False
                tcpr = tc[0] if len(tc) and tc[0].tag == W_TCPR else None
                if tcpr is not None:
                    span = max(_int_val(tcpr.find(W_GRIDSPAN)) or 1, 1)
                    vm = tcpr.find(W_VMERGE)
                    continuation = vm is not None and vm.get(W_VAL) in (None, "continue")
                if continuation:
                    self.para_no += _count_p(tc)
                else:
                    self.kind = "cell"
                    self.ctx = (tno, row_no, col + 1)
                    self.blocks_of(tc)
                    self.joinable = None
                col += span
        self.kind, self.ctx = saved
        self.joinable = None


# ---------------------------------------------------------------------------------------------
# the package
# ---------------------------------------------------------------------------------------------

_depth_checks: dict[int, etree.XPath] = {}


_LIBXML2_MAX_DEPTH = 256  # libxml2 refuses elements nested deeper unless huge_tree is set


def _parser() -> etree.XMLParser:
    deep = limits.current().max_xml_depth > _LIBXML2_MAX_DEPTH
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=deep, remove_comments=True
    )


class _Package:
    def __init__(self, data: bytes, path: str | None) -> None:
        self.path = path
        try:
            self.zf = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zf.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, KeyError,
                NotImplementedError, RuntimeError, UnicodeDecodeError) as e:
            raise CorruptFileError(f"the .docx is damaged: not a readable zip archive ({e})", path=path) from None
        lim = limits.current()
        total = sum(i.file_size for i in infos)
        if total > lim.max_unzipped_bytes:
            raise UnsafeFileError(
                f"the .docx would unpack to {total:,} bytes, over the limit of {lim.max_unzipped_bytes:,} "
                "(a zip bomb?; set BCPARSE_MAX_UNZIPPED_BYTES)",
                path=path,
            )
        for i in infos:
            if i.file_size > _RATIO_MIN_BYTES and i.file_size > lim.max_zip_ratio * max(i.compress_size, 1):
                raise UnsafeFileError(
                    f"the .docx member {i.filename} is compressed {i.file_size // max(i.compress_size, 1):,} to 1, "
                    f"over the limit of {lim.max_zip_ratio} (a zip bomb?; set BCPARSE_MAX_ZIP_RATIO)",
                    path=path,
                )
        self.names = {i.filename for i in infos}
        self.parser = _parser()
        self.depth = lim.max_xml_depth

    def read(self, name: str) -> bytes:
        """A member's bytes, read in chunks: one that inflates past its declared size (a member lying
        about its size, fuzzing finding F6) is refused before it takes the memory."""
        try:
            info = self.zf.getinfo(name)
            cap = min(info.file_size + 65536, limits.current().max_unzipped_bytes)
            chunks: list[bytes] = []
            got = 0
            with self.zf.open(info) as f:
                while True:
                    chunk = f.read(1 << 20)
                    if not chunk:
                        break
                    got += len(chunk)
                    if got > cap:
                        raise UnsafeFileError(
                            f"the .docx member {name} inflates past its declared size of {info.file_size:,} bytes "
                            "(a zip bomb?)", path=self.path)
                    chunks.append(chunk)
            return b"".join(chunks)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, KeyError,
                NotImplementedError, RuntimeError) as e:
            raise CorruptFileError(f"the .docx is damaged: cannot unpack {name} ({e})", path=self.path) from None

    def xml(self, name: str, blob: bytes | None = None) -> etree._Element:
        if blob is None:
            blob = self.read(name)
        # the whole part, not only its head: a DOCTYPE placed late is still one (fuzzing finding F3);
        # markup is the only place "<!" can stand, text has it escaped
        if b"<!DOCTYPE" in blob or b"<!ENTITY" in blob:
            raise UnsafeFileError(f"the .docx part {name} declares a DOCTYPE or entities (refused)", path=self.path)
        try:
            root = etree.fromstring(blob, self.parser)
        except etree.XMLSyntaxError as e:
            msg = str(e)
            if "amplification" in msg.lower() or "entity" in msg.lower():
                raise UnsafeFileError(f"the .docx part {name} expands entities (refused)", path=self.path) from None
            if "depth" in msg.lower():
                raise UnsafeFileError(
                    f"the .docx part {name} nests elements too deeply (refused)", path=self.path
                ) from None
            raise CorruptFileError(f"the .docx part {name} is not well-formed XML ({msg})", path=self.path) from None
        if root is None:
            raise CorruptFileError(f"the .docx part {name} is empty", path=self.path)
        info = root.getroottree().docinfo
        if info.doctype or info.internalDTD is not None:
            raise UnsafeFileError(f"the .docx part {name} declares a DOCTYPE or entities (refused)", path=self.path)
        if self.depth == _LIBXML2_MAX_DEPTH:
            return root  # libxml2 itself refuses deeper nesting (without huge_tree)
        check = _depth_checks.get(self.depth)
        if check is None:
            check = _depth_checks[self.depth] = etree.XPath(f"boolean(/{'*/' * self.depth}*)")
        if check(root):
            raise UnsafeFileError(
                f"the .docx part {name} nests elements deeper than {self.depth} levels (refused; "
                "set BCPARSE_MAX_XML_DEPTH)",
                path=self.path,
            )
        return root

    def _rels(self, name: str) -> dict[str, str]:
        """Relationship type (last path segment) → target part name, for the part ``name``."""
        folder, base = posixpath.split(name)
        rels_name = posixpath.join(folder, "_rels", base + ".rels")
        out: dict[str, str] = {}
        if rels_name not in self.names:
            return out
        for rel in self.xml(rels_name).iter(_REL):
            typ = (rel.get("Type") or "").rsplit("/", 1)[-1]
            target = rel.get("Target") or ""
            if not target or rel.get("TargetMode") == "External":
                continue
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            out.setdefault(typ, part)
        return out

    def main_part(self) -> str:
        if "word/document.xml" in self.names:
            return "word/document.xml"
        target = self._rels("").get("officeDocument")
        if target and target in self.names:
            return target
        if "mimetype" in self.names:
            kind = "an OpenDocument file (.odt?); save it as .docx"
        elif "xl/workbook.xml" in self.names:
            kind = "an Excel workbook, not a Word document"
        elif "ppt/presentation.xml" in self.names:
            kind = "a PowerPoint presentation, not a Word document"
        else:
            kind = "a zip archive without a Word document in it (no word/document.xml)"
        raise UnsupportedFormatError(f"the file is {kind}", path=self.path)


def read_docx(data: bytes, path: str | None = None) -> Document:
    """Read a .docx (bytes) into a Document; ``path`` only serves messages."""
    pkg = _Package(data, path)
    main = pkg.main_part()
    rels = pkg._rels(main)
    blob = pkg.read(main)
    root = pkg.xml(main, blob)
    if root.tag != W_DOCUMENT:
        if root.tag.startswith(f"{{{STRICT_W}}}"):
            raise UnsupportedFormatError(
                "the .docx is saved as Strict Open XML, which bcparse does not read; save it as a Word Document",
                path=path,
            )
        raise UnsupportedFormatError("the .docx main part is not a Word document", path=path)
    styles_part = rels.get("styles", "word/styles.xml")
    numbering_part = rels.get("numbering", "word/numbering.xml")
    styles = _Styles(pkg.xml(styles_part) if styles_part in pkg.names else None)
    numbering = Numbering(
        (lambda: pkg.xml(numbering_part)) if numbering_part in pkg.names else None, styles.num_id
    )
    reader = _Reader(styles, numbering, rendered=b"lastRenderedPageBreak" in blob)
    body = root.find(W_BODY)
    warnings: list[str] = []
    if body is None:
        warnings.append("the document has no body")
    else:
        reader.blocks_of(body)
    blocks = reader.blocks
    if not reader.page_seen:
        for b in blocks:
            b.source.page = None
    lim = limits.current().max_text_chars
    if sum(len(b.text) for b in blocks) > lim:
        raise InputTooLargeError(
            f"the document's text is over the limit of {lim:,} characters (set BCPARSE_MAX_TEXT_CHARS)", path=path
        )
    warnings.extend(dict.fromkeys(reader.warnings))
    meta: dict[str, object] = {
        "paragraphs": reader.para_no,
        "tables": reader.table_no,
        "numbered_paragraphs": reader.labels,
        "pages": reader.page if reader.page_seen else None,
        "page_breaks": "rendered" if reader.rendered else "explicit",
    }
    encodings = sorted({b.encoding for b in blocks if b.encoding})
    if encodings:
        meta["encodings"] = encodings
    return Document(blocks, path=path, format="docx", warnings=warnings, meta=meta)
