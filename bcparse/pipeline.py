"""The pipeline: read → structure → extract → validated Report.

    bcparse.parse(path)            a file (.txt, .docx, .doc, .pdf) or bytes
    bcparse.parse_text(text)       text already decoded
    bcparse.parse_document(doc)    a Document from any reader
"""

from __future__ import annotations

import bisect
import os
import re
from typing import Any

from .document import Document
from .extract import extract
from .models import Figure, Report, Span, _valid_iso, make_span
from .readers import read
from .readers.txt import read_text
from .structure import Structure, chain_of, enclosing, parse_structure


def _fig(doc: Document, key: str, value: Any, start: int, end: int, **kw: Any) -> Figure:
    return Figure(key=key, value=value, raw=doc.text[start:end], span=make_span(doc, start, end),
                  rule="structure:" + key, **kw)


def _from_span(doc: Document, key: str, value: Any, span: Span | None, **kw: Any) -> Figure | None:
    if span is None:
        return None
    start = doc.offset_of(span.line, span.col)
    return _fig(doc, key, value, start, start + span.length, **kw)


def structure_figures(doc: Document, st: Structure) -> list[Figure]:
    """The header and closing figures every report has (doc.*)."""
    h, c = st.header, st.closing
    out: list[Figure | None] = []
    if h.agency:
        out.append(_from_span(doc, "doc.agency", " ".join(h.agency), h.spans.get("agency"), kind="text"))
    if h.agency:
        last = h.agency[-1]
        m = re.match(r"^(XÃ|PHƯỜNG|THỊ TRẤN)\s+(\S.*)$", last)
        sp = h.spans.get("agency")
        if m and sp is not None and not set(m.group(2)) <= set(" .…_"):
            start = doc.offset_of(sp.line, sp.col) + sp.length - len(last) + m.start(2)
            out.append(_fig(doc, "commune.name", m.group(2).strip().title(), start, start + len(m.group(2).strip()),
                            kind="text"))
    if h.number_raw is not None:
        out.append(_from_span(doc, "doc.number", h.number, h.spans.get("number_raw"), kind="text"))
        if h.symbol:
            out.append(_from_span(doc, "doc.symbol", h.symbol, h.spans.get("symbol"), kind="text"))
    # (key, value, span, kind) of the plain header and closing fields
    plain = [
        ("doc.place", h.place, h.spans.get("place"), "text"),
        # a date that cannot exist ("ngày 31 tháng 02") is kept as written text for the audit (BC303)
        ("doc.date", h.date, h.spans.get("date"), "date" if h.date is None or _valid_iso(h.date) else "text"),
        ("doc.type", h.type, h.spans.get("type"), "text"),
        ("doc.subject", h.subject, h.spans.get("subject"), "text"),
        ("doc.signer_authority", c.signer_authority, c.spans.get("signer_authority"), "text"),
        ("doc.signer_collective", c.signer_collective, c.spans.get("signer_collective"), "text"),
        ("doc.signer_capacity", c.signer_capacity, c.spans.get("signer_capacity"), "text"),
        ("doc.signer_capacity_for", c.signer_capacity_for, c.spans.get("signer_capacity_for"), "text"),
        ("doc.signer_title", c.signer_title, c.spans.get("signer_title"), "text"),
        ("doc.signer_name", c.signer_name, c.spans.get("signer_name"), "text"),
        ("doc.recipients", list(c.recipients) or None, c.spans.get("recipients"), "list"),
    ]
    for key, value, span, kind in plain:
        if value:
            out.append(_from_span(doc, key, value, span, kind=kind))
    return [f for f in out if f is not None]


# Memory (issue 11 item 17): a report holds one Figure (and its Span) per quantity of its text, so
# their size is the bytes of memory per byte of input. Each pydantic object carries its own set of
# the fields given to it (~700 bytes, more than the figure's values) and each figure a dict of its
# number style (~270 bytes, the same few styles over and over). Once validated, every figure shares
# one set naming all fields (nothing in bcparse asks which fields were given) and one dict per style.
_FIGURE_FIELDS = set(Figure.model_fields)
_SPAN_FIELDS = set(Span.model_fields)


def _slim(f: Figure, styles: dict[tuple[Any, ...], dict[str, Any]]) -> Figure:
    """The validated figure ``f``, sharing its field sets and its style dict (values unchanged)."""
    object.__setattr__(f, "__pydantic_fields_set__", _FIGURE_FIELDS)
    object.__setattr__(f.span, "__pydantic_fields_set__", _SPAN_FIELDS)
    if f.style is not None:
        f.__dict__["style"] = styles.setdefault(tuple(f.style.items()), f.style)
    return f


def generic_figures(doc: Document, qcache: dict[int, list[Any]] | None = None) -> list[Figure]:
    """Every quantity in the text (key None), from the numbers module. The quantities of ``qcache``
    are dropped as they are turned into figures (they are not needed after)."""
    from .numbers import find_quantities

    qcache = {} if qcache is None else qcache
    out: list[Figure] = []
    styles: dict[tuple[Any, ...], dict[str, Any]] = {}
    for i, b in enumerate(doc.blocks):
        if i not in qcache:
            qcache[i] = find_quantities(b.text)
        for q in qcache.pop(i):
            s, e = b.offset + q.start, b.offset + q.end
            style = None
            if q.style is not None:
                style = {k: getattr(q.style, k) for k in q.style.__slots__}  # type: ignore[attr-defined]
            out.append(_slim(Figure(
                key=None, value=q.value, unit=q.unit, qualifier=q.qualifier, raw=doc.text[s:e],
                span=make_span(doc, s, e), kind=q.kind, num_start=b.offset + q.num_start,
                num_end=b.offset + q.num_end, style=style,
            ), styles))
    return out


def _section_paths(st: Structure, figures: list[Figure]) -> None:
    """Set each figure's section path ("II.4.a") from the sections that hold its line."""
    order = sorted(range(len(figures)), key=lambda k: figures[k].span.line)
    inner = enclosing(st.sections, [figures[k].span.line for k in order])
    for k, j in zip(order, inner, strict=True):
        chain = chain_of(st.sections, j)
        figures[k].section = ".".join(s.number or "?" for s in reversed(chain)) or None


def parse_document(doc: Document, *, grammar: str | None = None) -> Report:
    """A Report from a Document (any reader's)."""
    st = parse_structure(doc)
    figures = structure_figures(doc, st)
    qcache: dict[int, list[Any]] = {}  # block index → quantities, shared by extraction and generic figures
    chosen, choices, gfigs = extract(doc, st, grammar=grammar, qcache=qcache,
                                     filled={f.key for f in figures if f.key})
    figures.extend(gfigs)
    # a generic quantity is dropped when a keyed figure already read the same number (or date);
    # text figures (a donor, a list of recipients) do not hide the numbers inside them
    taken = [(f.num_start, f.num_end) for f in figures if f.num_start is not None and f.num_end is not None]
    for f in figures:
        if f.key and f.key.startswith(("ref.", "doc.date", "doc.number")):
            a = doc.offset_of(f.span.line, f.span.col)
            taken.append((a, a + f.span.length))
    taken.sort()
    starts = [x for x, _ in taken]
    reach: list[int] = []  # reach[k] = the furthest end among taken[0..k]
    for _, y in taken:
        reach.append(max(y, reach[-1]) if reach else y)
    for g in generic_figures(doc, qcache):
        a, b = g.num_start or 0, g.num_end or 0
        k = bisect.bisect_left(starts, b) - 1  # the intervals that start before b
        if k >= 0 and reach[k] > a:
            continue
        figures.append(g)
    _section_paths(st, figures)
    return Report(
        source=doc.path, format=doc.format, grammar=chosen, header=st.header, sections=st.sections,
        numbering_issues=st.numbering_issues, closing=st.closing, figures=figures, choices=choices,
        warnings=doc.warnings, text=doc.text,
    )


def parse(source: str | os.PathLike[str] | bytes, *, grammar: str | None = None,
          password: str | None = None) -> Report:
    """Parse a report file (.txt, .docx, .doc, .pdf) or its bytes into a validated Report."""
    return parse_document(read(source, password=password), grammar=grammar)


def parse_text(text: str, *, grammar: str | None = None, source: str | None = None) -> Report:
    """Parse report text (already decoded)."""
    return parse_document(read_text(text, path=source), grammar=grammar)
