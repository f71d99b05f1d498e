"""The validated Report (pydantic v2) and the parts it is made of (:mod:`bcparse.elements`,
re-exported here): spans, figures, sections, header, closing.

The flat figures contract (docs/figures.md, ``bcparse figures --json``) is derived from
these models by :meth:`Report.figures_json`.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from .elements import (
    DOC_FIELDS,
    DOC_SPANS,
    NUMERIC_KINDS,
    Closing,
    Figure,
    GrammarChoice,
    Header,
    NumberingIssue,
    Qualifier,
    Section,
    Span,
    Value,
    make_span,
    set_doc_field,
    value_error,
)
from .positions import TextIndex

CONTRACT_VERSION = 2  # docs/figures.md: v2 added mode, confidence, counted, subject, frame and "contract"
MODES = ("result", "target", "plan", "comparison")

__all__ = ["DOC_FIELDS", "DOC_SPANS", "NUMERIC_KINDS", "Closing", "Figure", "GrammarChoice", "Header",
           "NumberingIssue", "Qualifier", "Report", "Section", "Span", "Value", "known_keys", "make_span",
           "set_doc_field", "value_error"]


def known_keys() -> frozenset[str]:
    """Every figure key a loaded grammar declares, and the ``doc.*`` keys of the header and
    closing fields (``doc.date``, ``doc.signer_name`` …)."""
    from .grammar import declared_keys

    return declared_keys() | {f"doc.{n}" for n in (*Header.model_fields, *Closing.model_fields)
                              if n not in ("spans", "end_line", "start_line", "blanks")}


class Report(BaseModel):
    """A parsed report: header, section tree, closing and every figure with its span."""

    model_config = ConfigDict(populate_by_name=True)

    source: str | None = None
    format: str = "txt"
    grammar: str | None = None
    header: Header = Header()
    sections: list[Section] = []
    numbering_issues: list[NumberingIssue] = []
    closing: Closing = Closing()
    figure_list: list[Figure] = Field(default=[], alias="figures")
    choices: list[GrammarChoice] = []
    warnings: list[str] = []
    text: str = ""  # the text view every span points into
    _index: Any = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _span_offsets(self) -> Report:
        """A span read without its offset (a database row, an older JSON) gets it from its line
        and column, so that every span of a report with text is an offset into it."""
        if not self.text:
            return self
        idx = None
        holders: list[Any] = [*self.figure_list, *self.sections]
        for h in holders:
            if h.span.offset is None:
                idx = idx or self.index
                off = idx.offset(h.span.line, h.span.col)
                if off is not None:
                    h.span = h.span.model_copy(update={"offset": off})
        for part in (self.header, self.closing):
            for k, sp in list(part.spans.items()):
                if sp.offset is None:
                    idx = idx or self.index
                    off = idx.offset(sp.line, sp.col)
                    if off is not None:
                        part.spans[k] = sp.model_copy(update={"offset": off})
        return self

    @property
    def index(self) -> TextIndex:
        """The position index of :attr:`text` (built once per text)."""
        if self._index is None or self._index.text is not self.text:
            self._index = TextIndex(self.text)
        return self._index

    def start_of(self, span: Span) -> int:
        """The view offset a span of this report starts at."""
        s = self.index.start_of(span)
        if s is None:
            from .errors import ValidationError

            raise ValidationError(f"span line {span.line} is beyond the end of the text ({len(self.index)} lines)")
        return s

    # ---- the flat contract -----------------------------------------------------------------
    def figures(self, all: bool = False) -> list[Figure]:
        """Keyed figures in document order; with ``all=True`` also the generic quantities (key None)."""
        figs = [f for f in self.figure_list if all or f.key is not None]
        return sorted(figs, key=lambda f: (f.span.line, f.span.col, f.item or 0))

    def figures_json(self, all: bool = False) -> dict[str, Any]:
        return {
            "contract": CONTRACT_VERSION,
            "source": self.source,
            "grammar": self.grammar,
            "figures": [f.contract() for f in self.figures(all=all)],
        }

    def get(self, key: str, mode: str | None = "result") -> Figure | None:
        """The first figure with this key (scalars) read as a result (``mode=None``: in any mode,
        or name one: "target"), or None when the report does not state it. A key no loaded grammar
        declares raises :class:`~bcparse.errors.UnknownKeyError` with the closest keys, as :meth:`value`."""
        for f in self.figure_list:
            if f.key == key and (mode is None or f.mode == mode):
                return f
        self._known(key)
        return None

    def _known(self, key: str) -> None:
        """Raise UnknownKeyError ("did you mean party.members?") unless a loaded grammar declares
        ``key``, it is a header or closing field, or the report holds a figure with it."""
        known = known_keys() | {f.key for f in self.figure_list if f.key}
        if key not in known:
            import difflib

            from .errors import UnknownKeyError

            close = difflib.get_close_matches(key, sorted(known), n=3)
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            raise UnknownKeyError(f"{key!r} is no figure key of any loaded grammar{hint}")

    def value(self, key: str, mode: str | None = "result") -> Value:
        """The value of a figure stated once as a result (``report.value("party.members")`` → 280);
        None when the report does not state it. Targets, plans and comparisons ("phấn đấu giảm tỷ
        lệ hộ nghèo xuống 3%") are never a result: ask for them with ``mode="target"`` (or an
        address ``"poverty.rate_pct@target"``). A key no loaded grammar declares (nor a ``doc.*``
        header or closing field) raises :class:`~bcparse.errors.UnknownKeyError` (a KeyError) with
        the closest known keys; a field of several records (``gift.count``) raises
        :class:`~bcparse.errors.SeveralRecordsError`: use :meth:`values`, :attr:`records`,
        :meth:`items` or the record's address (``report.get_at("gift[2].count")``)."""
        if "[" in key or "@" in key:  # an address: "gift[2].count", "poverty.rate_pct@target"
            f = self.get_at(key)
            return f.value if f is not None else None
        if mode is not None and mode not in MODES:
            raise ValueError(f"mode {mode!r} is not one of {', '.join(MODES)} (or None for any)")
        hits = [f for f in self.figure_list if f.key == key and (mode is None or f.mode == mode)]
        if not hits:
            self._known(key)
            return None
        if len(hits) > 1 and len({f.item for f in hits}) > 1:
            from .errors import SeveralRecordsError

            kind = key.split(".", 1)[0]
            shown = sorted(hits, key=lambda f: (f.span.line, f.span.col))
            addrs = ", ".join(a for a in (f.address for f in shown[:3]) if a)
            raise SeveralRecordsError(
                f"{key} is stated {len(hits)} times ({addrs}{', …' if len(hits) > 3 else ''}), one per "
                f"record: use report.values({key!r}), report.records[{kind!r}] (= report.items({kind!r})) "
                f"or an address such as {shown[0].address}")
        return hits[0].value

    def values(self, key: str, mode: str | None = "result") -> list[Value]:
        """Every value of a key in document order (a field of all the records of a kind:
        ``report.values("gift.count")`` → [230, 50]), results only unless ``mode`` says otherwise
        (None: every mode); [] when the report does not state it."""
        if mode is not None and mode not in MODES:
            raise ValueError(f"mode {mode!r} is not one of {', '.join(MODES)} (or None for any)")
        if not any(f.key == key for f in self.figure_list):
            self.value(key)  # an unknown key raises
        return [f.value for f in self.figures() if f.key == key and (mode is None or f.mode == mode)]

    def get_at(self, address: str) -> Figure | None:
        """The figure at an address as ``bcparse figures`` prints it (``gift[2].count``,
        ``party.members``, ``poverty.rate_pct@target``), or None."""
        return next((f for f in self.figures() if f.address == address), None)

    def items(self, prefix: str) -> list[dict[str, Figure]]:
        """Repeated records ("gift", "ref"): one dict key → Figure per record, in document order;
        ``items("gift")[2]`` is ``gift[3]``."""
        groups: dict[int, dict[str, Figure]] = {}
        for f in self.figure_list:
            if f.key and f.item is not None and f.key.startswith(prefix + "."):
                groups.setdefault(f.item, {})[f.key] = f
        return [groups[i] for i in sorted(groups)]

    @property
    def records(self) -> dict[str, list[dict[str, Figure]]]:
        """Every repeated record by kind: ``report.records["gift"][0]["gift.count"]`` is ``gift[1].count``."""
        kinds = dict.fromkeys(f.key.split(".", 1)[0] for f in self.figures() if f.key and f.item is not None)
        return {k: self.items(k) for k in kinds}

    def outline(self) -> list[dict[str, Any]]:
        return [s.outline() for s in self.sections]

    def set(self, key: str, value: Any) -> Report:
        """A new Report with one figure changed in place, written in the style it was read in.

        ``key`` is a figure's address as ``bcparse figures`` prints it (:attr:`Figure.address`):
        ``report.set("party.members", 281)``, or for a field of a repeated record its kind, its
        1-based place among the records of that kind in document order and the field:
        ``report.set("gift[2].unit_value_vnd", 600000)`` (the second gift), ``ref[1].date``.
        Only that figure's text changes; a value that does not validate raises ValidationError.
        """
        from .edit import set_figure

        return set_figure(self, key, value)
