"""Validated objects (pydantic v2): spans, figures, sections, header, the Report.

The flat figures contract (``shared/spec/figures.md``, ``bcparse figures --json``) is derived from
these models by :meth:`Report.figures_json`.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Qualifier = Literal["approx", "gt", "lt", "none"]
Value = int | float | str | list[str] | None


class Span(BaseModel):
    """Where a value sits: 1-based line and column in the text view, plus its origin in the file."""

    model_config = ConfigDict(frozen=True)

    line: int = Field(ge=1)
    col: int = Field(ge=1)
    length: int = Field(ge=0)
    page: int | None = None
    paragraph: int | None = None
    table: int | None = None
    row: int | None = None
    cell: int | None = None

    def contract(self) -> dict[str, int]:
        """The span as figures.md prints it, with the file origin fields that are known."""
        return self.model_dump(exclude_none=True)


def _valid_iso(v: str) -> bool:
    """"2024-11-08", "2024-11", "2024" or the year-less "--06-01", and a day that exists."""
    import datetime as _dt
    import re as _re

    m = _re.fullmatch(r"(\d{4}|-)-?(\d{2})?(?:-(\d{2}))?", v)
    if m is None:
        return False
    y = 2000 if m.group(1) == "-" else int(m.group(1))  # a leap year for "--02-29"
    mo = int(m.group(2)) if m.group(2) else 1
    d = int(m.group(3)) if m.group(3) else 1
    try:
        _dt.date(y, mo, d)
    except ValueError:
        return False
    return True


def make_span(doc: Any, start: int, end: int) -> Span:
    """Span of view offsets [start, end) in a :class:`bcparse.document.Document`."""
    line, col = doc.line_col(start)
    b = doc.block_at(start)
    src = b.source if b is not None and start >= b.offset else None
    return Span(
        line=line,
        col=col,
        length=end - start,
        page=src.page if src else None,
        paragraph=src.paragraph if src else None,
        table=src.table if src else None,
        row=src.row if src else None,
        cell=src.cell if src else None,
    )


class Figure(BaseModel):
    """One figure: the flat contract fields (figures.md) plus what produced it."""

    key: str | None = None
    value: Value = None
    unit: str | None = None
    qualifier: Qualifier | None = None
    item: int | None = None
    raw: str
    span: Span
    # beyond the contract
    kind: str | None = None  # count | number | decimal | money | percent | rate | fraction | date | text | list
    rule: str | None = None  # grammar rule that produced it ("doi_ngoai:party.members")
    section: str | None = None  # number path of the enclosing section ("II.4.a")
    num_start: int | None = Field(default=None, exclude=True)  # view offsets of the number proper
    num_end: int | None = Field(default=None, exclude=True)
    style: dict[str, Any] | None = Field(default=None, exclude=True)  # how the number was written
    derived: bool = False  # computed (e.g. a gift total = count x unit value), not read

    @model_validator(mode="after")
    def _value_fits_kind(self) -> Figure:
        """Types and ranges: a count is a non-negative int, money whole VND ≥ 0, a percentage a
        number, a date a real (possibly partial) ISO date. Arithmetic is the audit's job."""
        v, kind = self.value, self.kind
        if v is None or kind is None:
            return self
        if kind == "count" and (isinstance(v, bool) or not isinstance(v, int) or v < 0):
            raise ValueError(f"{self.key or 'a count'}: {v!r} is not a non-negative whole number")
        if kind == "money" and (isinstance(v, bool) or not isinstance(v, int) or v < 0):
            raise ValueError(f"{self.key or 'an amount'}: {v!r} is not a whole number of đồng ≥ 0")
        if kind == "rate" and (isinstance(v, bool) or not isinstance(v, int | float) or v < 0):
            raise ValueError(f"{self.key or 'a rate'}: {v!r} is not a number ≥ 0")
        if kind in ("percent", "decimal", "number") and (isinstance(v, bool) or not isinstance(v, int | float)):
            raise ValueError(f"{self.key or 'a number'}: {v!r} is not a number")
        if kind == "date" and (not isinstance(v, str) or not _valid_iso(v)):
            raise ValueError(f"{self.key or 'a date'}: {v!r} is not a real date")
        return self

    def contract(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "value": self.value,
            "unit": self.unit,
            "qualifier": self.qualifier,
            "item": self.item,
            "raw": self.raw,
            "span": self.span.contract(),
        }


class Section(BaseModel):
    """A numbered heading of the body and the text under it."""

    number: str | None  # "II", "1", "a", "1.1" — as written, never renumbered
    marker: str  # as written: "II.", "1)", "a.", "A-", "PHẦN THỨ NHẤT"
    style: str  # marker family: part | upper_alpha | roman | arabic | multi | lower_alpha
    level: int = Field(ge=1)  # 1 = top, from the order marker styles appear in this document
    title: str
    body: str | None = None  # text after the colon on the heading line ("không có.")
    line: int = Field(ge=1)
    end_line: int = Field(ge=1)  # last line of the section's content (inclusive)
    parent: int | None = None  # index of the parent section in Report.sections
    span: Span

    def outline(self) -> dict[str, Any]:
        return {"number": self.number, "marker": self.marker, "level": self.level, "title": self.title,
                "line": self.line}


class NumberingIssue(BaseModel):
    """A section number that repeats or skips (kept as written; the audit reports it)."""

    section: int  # index in Report.sections
    kind: Literal["repeated", "skipped", "out_of_order"]
    expected: str
    found: str
    line: int


class Header(BaseModel):
    agency: list[str] = []  # agency lines, top-down ("ỦY BAN NHÂN DÂN", "XÃ BÌNH THÀNH")
    number: str | None = None  # None when left blank
    symbol: str | None = None  # "BC-UBND"
    number_raw: str | None = None  # the whole "Số: …" as written
    place: str | None = None
    date: str | None = None  # ISO, "2024-11" when the day is blank
    date_raw: str | None = None
    blanks: list[Literal["number", "day", "month", "year", "place"]] = []
    national_title: str | None = None  # "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" as written
    motto: str | None = None  # "Độc lập - Tự do - Hạnh phúc"
    type: str | None = None  # "BÁO CÁO"
    subject: str | None = None
    to: list[str] = []  # Kính gửi
    preamble: str | None = None
    spans: dict[str, Span] = {}
    end_line: int = 0  # last line of the header part (before the body)


class Closing(BaseModel):
    """The end of a report: "./.", Nơi nhận and the signature block.

    The signature block (Nghị định 30/2020/NĐ-CP, Phụ lục I) has up to three parts, kept apart
    because an auditor checks who signed in what capacity::

        TM. ỦY BAN NHÂN DÂN     signer_collective  (signing for a collective body)
        KT. CHỦ TỊCH            signer_capacity "KT." + signer_capacity_for "CHỦ TỊCH"
        PHÓ CHỦ TỊCH            signer_title       (the signer's own position)
        Nguyễn Văn An           signer_name

    ======================================  ===================  ==============  ===================  ============
    block (lines separated by " / ")        signer_collective    signer_capacity signer_capacity_for  signer_title
    ======================================  ===================  ==============  ===================  ============
    CHỦ TỊCH                                None                 None            None                 CHỦ TỊCH
    TM. UBND / CHỦ TỊCH                     TM. UBND             None            None                 CHỦ TỊCH
    TM. UBND / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH  TM. UBND             KT.             CHỦ TỊCH             PHÓ CHỦ TỊCH
    KT. CHỦ TỊCH / PHÓ CHỦ TỊCH             None                 KT.             CHỦ TỊCH             PHÓ CHỦ TỊCH
    TL. CHỦ TỊCH / CHÁNH VĂN PHÒNG          None                 TL.             CHỦ TỊCH             CHÁNH VĂN PHÒNG
    Q. CHỦ TỊCH                             None                 Q.              CHỦ TỊCH             CHỦ TỊCH
    ======================================  ===================  ==============  ===================  ============

    ``signer_authority`` is the mark the block opens with ("TM." in the first four rows with a TM.
    line, "KT.", "TL.", "Q." otherwise), kept as before for the database column of that name. Each
    part is a figure too: ``doc.signer_authority``, ``doc.signer_collective``, ``doc.signer_capacity``,
    ``doc.signer_capacity_for``, ``doc.signer_title``, ``doc.signer_name``.
    """

    end_mark: bool = False  # "./." seen
    recipients: list[str] = []
    authority: list[str] = []  # the signature block's lines as written: "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", ...
    signer_authority: str | None = None  # the mark the block opens with: "TM." | "KT." | "Q." | "TL." | "TUQ."
    signer_collective: str | None = None  # "TM. ỦY BAN NHÂN DÂN": the collective body signed for, mark included
    signer_capacity: str | None = None  # "KT." | "TL." | "TUQ." | "Q.": signing in place of / by order of / acting
    signer_capacity_for: str | None = None  # "CHỦ TỊCH": whom the signer signs for (or acts as, with "Q.")
    signer_title: str | None = None  # the signer's own position: "PHÓ CHỦ TỊCH"
    signer_name: str | None = None
    spans: dict[str, Span] = {}
    start_line: int | None = None  # first line of the closing (Nơi nhận or signature)


class GrammarChoice(BaseModel):
    """Why a grammar was or was not chosen (``--explain``)."""

    grammar: str
    chosen: bool
    score: float
    reasons: list[str]


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

    # ---- the flat contract -----------------------------------------------------------------
    def figures(self, all: bool = False) -> list[Figure]:
        """Keyed figures in document order; with ``all=True`` also the generic quantities (key None)."""
        figs = [f for f in self.figure_list if all or f.key is not None]
        return sorted(figs, key=lambda f: (f.span.line, f.span.col, f.item or 0))

    def figures_json(self, all: bool = False) -> dict[str, Any]:
        return {
            "source": self.source,
            "grammar": self.grammar,
            "figures": [f.contract() for f in self.figures(all=all)],
        }

    def get(self, key: str) -> Figure | None:
        """The first figure with this key (scalars), or None when the report does not state it."""
        for f in self.figure_list:
            if f.key == key:
                return f
        return None

    def value(self, key: str) -> Value:
        f = self.get(key)
        return f.value if f is not None else None

    def items(self, prefix: str) -> list[dict[str, Figure]]:
        """Repeated records ("gift", "ref"): one dict key → Figure per item, in item order."""
        groups: dict[int, dict[str, Figure]] = {}
        for f in self.figure_list:
            if f.key and f.item is not None and f.key.startswith(prefix + "."):
                groups.setdefault(f.item, {})[f.key] = f
        return [groups[i] for i in sorted(groups)]

    def outline(self) -> list[dict[str, Any]]:
        return [s.outline() for s in self.sections]

    def set(self, key: str, value: Any) -> Report:
        """A new Report with one figure changed in place, written in the style it was read in.

        ``report.set("party.members", 281)``, ``report.set("gift[3].unit_value_vnd", 600000)``.
        Only that figure's text changes; a value that does not validate raises ValidationError.
        """
        from .render.edit import set_figure

        return set_figure(self, key, value)
