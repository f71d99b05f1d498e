"""``word/styles.xml``: run properties (``w:rPr``) and paragraph styles resolved through
``w:basedOn``, with the document defaults.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from .ooxml import (
    W_ASCII,
    W_B,
    W_BASEDON,
    W_CAPS,
    W_DEFAULT,
    W_DOCDEFAULTS,
    W_HANSI,
    W_I,
    W_ILVL,
    W_JC,
    W_NAME,
    W_NUMID,
    W_NUMPR,
    W_PBB,
    W_PPR,
    W_PPRDEFAULT,
    W_RFONTS,
    W_RPR,
    W_RPRDEFAULT,
    W_RSTYLE,
    W_STYLE,
    W_STYLEID,
    W_SZ,
    W_TYPE,
    W_VAL,
    W_VANISH,
)


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


