"""The parts a Report is made of (pydantic v2): spans, figures, sections, numbering issues, header,
closing, grammar choices, and the checks a figure's value passes.

Every stage below the Report (structure, extract, the editing core) builds these; the Report
itself (:mod:`bcparse.models`) holds them and re-exports every name here.
"""

from __future__ import annotations

import math
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .numbers.iso import is_iso_date

Qualifier = Literal["approx", "gt", "lt", "none"]
# the passage a figure is read from (docs/figures.md "Mode"): a result or current fact, a target
# ("phấn đấu", "chỉ tiêu"), a plan ("kế hoạch", "dự kiến"), or a comparison ("so với cùng kỳ")
Mode = Literal["result", "target", "plan", "comparison"]
# how directly the evidence binds the number to its key (docs/figures.md "Confidence")
Confidence = Literal["high", "medium", "low"]
Value = int | float | str | list[str] | None


class Span(BaseModel):
    """Where a value sits: an offset and a length into the text view, the 1-based line and column
    derived from them by the text's one position index (:class:`bcparse.positions.TextIndex`),
    plus its origin in the file. ``offset`` is None only for a span stored without one (a report
    built in code has no text; :class:`Report` fills it in from line and column otherwise)."""

    model_config = ConfigDict(frozen=True)

    line: int = Field(ge=1)
    col: int = Field(ge=1)
    length: int = Field(ge=0)
    offset: int | None = Field(default=None, ge=0)
    page: int | None = None
    paragraph: int | None = None
    table: int | None = None
    row: int | None = None
    cell: int | None = None

    def contract(self) -> dict[str, int]:
        """The span as figures.md prints it, with the file origin fields that are known."""
        return self.model_dump(exclude_none=True)


def make_span(doc: Any, start: int, end: int) -> Span:
    """Span of view offsets [start, end) in a :class:`bcparse.document.Document`: line and column
    from the document's position index, the file origin from the block that holds ``start``."""
    line, col = doc.line_col(start)
    b = doc.block_at(start)
    src = b.source if b is not None and start >= b.offset else None
    return Span(
        line=line,
        col=col,
        length=end - start,
        offset=start,
        page=src.page if src else None,
        paragraph=src.paragraph if src else None,
        table=src.table if src else None,
        row=src.row if src else None,
        cell=src.cell if src else None,
    )


NUMERIC_KINDS = ("count", "number", "decimal", "money", "percent", "rate", "fraction")


def value_error(kind: str, v: Any, key: str | None = None) -> str | None:
    """Why ``v`` cannot be the value of a figure of this kind (None when it can): the one check
    of a value against its kind, for read and edited figures alike.

    A count is a whole number ≥ 0, money whole đồng ≥ 0; a rate, a percentage, a fraction, a
    decimal or a number is a number ≥ 0 (a report writes no sign: a fall is written "giảm 2,5%";
    a "-" before a number is not read, so a negative value could not be read back); a date is a
    real (possibly partial) ISO date. (An edit also checks that what it writes reads back as the
    value set: :func:`bcparse.edit.apply_edit`.)"""
    if kind == "date":
        return None if isinstance(v, str) and is_iso_date(v) else f"{key or 'a date'}: {v!r} is not a real date"
    if kind not in NUMERIC_KINDS or (kind == "fraction" and isinstance(v, str)):  # "14/18" as written
        return None
    whole = kind in ("count", "money")
    what = ("a count" if kind == "count" else "an amount" if kind == "money" else
            "a percentage" if kind == "percent" else "a rate" if kind == "rate" else "a number")
    if isinstance(v, bool) or not isinstance(v, int | float) or (whole and not isinstance(v, int)):
        need = "a whole number of đồng" if kind == "money" else "a whole number" if whole else "a number"
        return f"{key or what}: {v!r} is not {need}"
    if isinstance(v, float) and not math.isfinite(v):
        return f"{key or what}: {v!r} is not a finite number"
    if v < 0:
        return f"{key or what} must be ≥ 0 (a report writes a fall as 'giảm …'), got {v!r}"
    return None


class OcrProvenance(BaseModel):
    """How a figure read from a scan was recognised (docs/ocr.md): the lowest word confidence
    (0-100) of the words it was read from, where they are on the page (points from the top left),
    and the numeric corrections made ("1.O22 → 1.022 (O→0)")."""

    confidence: float
    page: int | None = None
    box: tuple[float, float, float, float] | None = None
    corrections: list[str] = []


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
    mode: Mode = "result"  # result | target | plan | comparison: the passage the figure is read from
    confidence: Confidence | None = None  # high | medium | low: how directly the evidence binds number and key
    counted: str | None = None  # the counted noun phrase as written ("hộ nghèo", "đảng viên dự bị")
    subject: str | None = None  # what the figure is said of ("toàn xã", "Đảng bộ", "thôn Nà Pài")
    frame: str | None = None  # total | change | part | characterisation | comparison | actual_plan
    plan: int | float | None = None  # an actual/plan pair "1.250/1.200 tấn": the plan (1200); value is the actual
    ocr: OcrProvenance | None = None  # read from a scan: word confidence, box, corrections (docs/ocr.md)

    @model_validator(mode="after")
    def _value_fits_kind(self) -> Figure:
        """Types and ranges (:func:`value_error`, the one check an edit goes through too).
        Arithmetic is the audit's job."""
        if self.value is None or self.kind is None:
            return self
        err = value_error(self.kind, self.value, self.key)
        if err is not None:
            raise ValueError(err)
        return self

    @property
    def address(self) -> str | None:
        """Where ``--set`` and :meth:`Report.set` find this figure: the key, or for a field of a
        repeated record the kind, its 1-based place among the records of that kind in document
        order, and the field: ``gift[3].count``, ``ref[2].date``. None for a generic quantity."""
        if self.key is None:
            return None
        if self.item is None:
            # a target, plan or comparison has its own address: "poverty.rate_pct@target"
            return self.key if self.mode == "result" else f"{self.key}@{self.mode}"
        kind, _, field = self.key.partition(".")
        return f"{kind}[{self.item}].{field}" if field else f"{kind}[{self.item}]"

    def contract(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "value": self.value,
            "unit": self.unit,
            "qualifier": self.qualifier,
            "item": self.item,
            "address": self.address,
            "raw": self.raw,
            "span": self.span.contract(),
            "mode": self.mode,
            "confidence": self.confidence,
            "counted": self.counted,
            "subject": self.subject,
            "frame": self.frame,
            "plan": self.plan,
        } | ({"ocr": self.ocr.model_dump()} if self.ocr is not None else {})


class Section(BaseModel):
    """A numbered heading of the body and the text under it."""

    number: str | None  # "II", "1", "a", "1.1" — as written, never renumbered
    marker: str  # as written: "II.", "1)", "a.", "A-", "PHẦN THỨ NHẤT"
    style: str  # marker family: part | upper_alpha | roman | arabic | multi | lower_alpha
    level: int = Field(ge=1)  # depth in the section tree, 1 = top (structure.parse_sections)
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
    TM. BAN CHỈ ĐẠO / PHÓ TRƯỞNG BAN / …    TM. BAN CHỈ ĐẠO      None            None                 PHÓ TRƯỞNG BAN
    ======================================  ===================  ==============  ===================  ============

    A position line under the title is a concurrent post (``signer_concurrent_post``): in the last
    row the block goes on "/ PHÓ CHỦ TỊCH UBND TỈNH", the post the deputy head of the steering
    committee also holds; the block is signed as PHÓ TRƯỞNG BAN.

    ``signer_authority`` is the mark the block opens with ("TM." in the first four rows with a TM.
    line, "KT.", "TL.", "Q." otherwise), kept as before for the database column of that name. Each
    part is a figure too: ``doc.signer_authority``, ``doc.signer_collective``, ``doc.signer_capacity``,
    ``doc.signer_capacity_for``, ``doc.signer_title``, ``doc.signer_concurrent_post``, ``doc.signer_name``.
    """

    end_mark: bool = False  # "./." seen
    recipients: list[str] = []
    authority: list[str] = []  # the signature block's lines as written: "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", ...
    signer_authority: str | None = None  # the mark the block opens with: "TM." | "KT." | "Q." | "TL." | "TUQ."
    signer_collective: str | None = None  # "TM. ỦY BAN NHÂN DÂN": the collective body signed for, mark included
    signer_capacity: str | None = None  # "KT." | "TL." | "TUQ." | "Q.": signing in place of / by order of / acting
    signer_capacity_for: str | None = None  # "CHỦ TỊCH": whom the signer signs for (or acts as, with "Q.")
    signer_title: str | None = None  # the signer's own position: "PHÓ CHỦ TỊCH"
    # a post the signer also holds, printed under the title: "PHÓ CHỦ TỊCH UBND TỈNH" under
    # "TM. BAN CHỈ ĐẠO / PHÓ TRƯỞNG BAN" (the block is signed as PHÓ TRƯỞNG BAN, not under this post)
    signer_concurrent_post: str | None = None
    signer_name: str | None = None
    spans: dict[str, Span] = {}
    start_line: int | None = None  # first line of the closing (Nơi nhận or signature)


#: The doc.* figures: each is one field of the Header or the Closing, where its value lives (the
#: figure is derived from it: :func:`bcparse.extract.doc_figures`), in the order a report lists them.
DOC_FIELDS: dict[str, tuple[Literal["header", "closing"], str]] = {
    "doc.agency": ("header", "agency"),
    "doc.number": ("header", "number"),
    "doc.symbol": ("header", "symbol"),
    "doc.place": ("header", "place"),
    "doc.date": ("header", "date"),
    "doc.type": ("header", "type"),
    "doc.subject": ("header", "subject"),
    "doc.signer_authority": ("closing", "signer_authority"),
    "doc.signer_collective": ("closing", "signer_collective"),
    "doc.signer_capacity": ("closing", "signer_capacity"),
    "doc.signer_capacity_for": ("closing", "signer_capacity_for"),
    "doc.signer_title": ("closing", "signer_title"),
    "doc.signer_concurrent_post": ("closing", "signer_concurrent_post"),
    "doc.signer_name": ("closing", "signer_name"),
    "doc.recipients": ("closing", "recipients"),
}
#: the span a doc.* figure stands at, where it is not the field's own ("Số: 08/BC-UBND" as a whole)
DOC_SPANS = {"doc.number": "number_raw"}


def set_doc_field(header: Header, closing: Closing, key: str, value: Any) -> None:
    """Store the value of a doc.* figure in its Header or Closing field (the one place it lives);
    a date or number that is now stated is no longer blank."""
    part, name = DOC_FIELDS[key]
    setattr(header if part == "header" else closing, name, value)
    if key == "doc.date" and isinstance(value, str):
        n = value.count("-")
        header.blanks = [x for x in header.blanks
                         if not (x == "year" or (x == "month" and n >= 1) or (x == "day" and n >= 2))]
    elif key == "doc.number":
        header.blanks = [x for x in header.blanks if x != "number"]


class GrammarChoice(BaseModel):
    """Why a grammar was or was not chosen (``--explain``)."""

    grammar: str
    chosen: bool
    score: float
    reasons: list[str]
