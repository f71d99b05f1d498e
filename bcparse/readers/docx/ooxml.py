"""WordprocessingML names: namespaces and the tags and attributes the reader looks at.
"""

from __future__ import annotations

from ..numbering import MC, W

M = "http://schemas.openxmlformats.org/officeDocument/2006/math"
STRICT_W = "http://purl.oclc.org/ooxml/wordprocessingml/main"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
RELATIONSHIP = f"{{{PKG_REL}}}Relationship"


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
