"""Exports: reports, their figures and their audit findings as tables people and tools open.

Three tables, built once from the parsed (or stored) reports, then written in any format:

    reports    one row per report, one column per key (the first figure of that key and mode)
    figures    one row per figure (long form): report, key, item, label, value, unit, mode, …
    findings   one row per audit finding (bcparse/audit): report, code, severity, message, …

Formats (docs/exports.md):

    .xlsx      the three tables as the sheets "Báo cáo", "Số liệu", "Phát hiện" (openpyxl): the
               Vietnamese label in header row 1, the key or column name in row 2; numbers as
               numbers, dates as dates, the header frozen, a filter on every column
    .csv       one table (default: figures), UTF-8 with a BOM so that Excel reads Vietnamese
    .jsonl     one report (or figure, or finding) per line
    .parquet   one table (default: figures), when pyarrow is installed (``pip install 'bcparse[parquet]'``)

    from bcparse.export import Export, write
    data = Export.from_reports(reports)         # audits them; or Export.from_db(url)
    write(data, "out.xlsx")                     # whole or not at all (a temporary file renamed)

Every value is the figures contract's (docs/figures.md): money in whole đồng, dates as ISO dates
(``date`` cells in .xlsx), lists joined with "; " where a cell holds one value.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .errors import BcparseError, OutputError
from .keys import catalogue, label
from .models import Report

FORMATS = ("xlsx", "csv", "jsonl", "parquet")
TABLES = ("reports", "figures", "findings")
#: the table a one-table format writes unless --table says otherwise
DEFAULT_TABLE = {"csv": "figures", "jsonl": "reports", "parquet": "figures"}
SHEETS = {"reports": "Báo cáo", "figures": "Số liệu", "findings": "Phát hiện"}

#: (column, Vietnamese header) of the long tables; the reports table adds one column per key
REPORT_COLUMNS = [("report", "Tệp báo cáo"), ("format", "Định dạng"), ("grammar", "Loại báo cáo"),
                  ("findings", "Số phát hiện")]
FIGURE_COLUMNS = [("report", "Tệp báo cáo"), ("key", "Khóa"), ("item", "Bản ghi số"), ("label", "Chỉ tiêu"),
                  ("value", "Giá trị"), ("unit", "Đơn vị"), ("mode", "Loại số liệu"),
                  ("confidence", "Độ tin cậy"), ("counted", "Đối tượng đếm"), ("section", "Mục"),
                  ("line", "Dòng"), ("raw", "Nguyên văn")]
FINDING_COLUMNS = [("report", "Tệp báo cáo"), ("code", "Mã"), ("severity", "Mức độ"), ("message", "Nội dung"),
                   ("line", "Dòng"), ("col", "Cột"), ("keys", "Khóa liên quan"), ("values", "Giá trị liên quan"),
                   ("check", "Kiểm tra")]

_EXCEL_INT = 2**53  # a whole number past this loses digits as an Excel number: written as text
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class Table:
    name: str  # reports | figures | findings
    columns: list[str]  # column names (keys for the reports table's key columns)
    headers: list[str]  # the Vietnamese header of each column
    kinds: list[str]  # what each column holds: count, number, money, percent, date, text, list, …
    rows: list[list[Any]]  # values as the figures contract has them (JSON types)
    row_kinds: list[str] | None = None  # the kind of a "value" column's value, row by row (figures)


@dataclass
class Export:
    """What an export holds: the reports (each with ``source``) and their audit findings."""

    reports: list[Report]
    findings: list[dict[str, Any]] = field(default_factory=list)  # the Finding fields, as dicts

    @classmethod
    def from_reports(cls, reports: Sequence[Report]) -> Export:
        """Reports parsed from files: audited each on its own, then across them (BC4xx)."""
        from .audit import audit_across, audit_report

        found = [f for r in reports for f in audit_report(r)]
        if len(reports) > 1:
            found += audit_across(list(reports))
        return cls(list(reports), [f.model_dump(mode="json") for f in found])

    @classmethod
    def from_db(cls, url: str | None) -> Export:
        """What a database holds (``bcparse import``): every stored report, the findings stored at
        import and the cross-report findings stored by ``bcparse audit --db``."""
        from .store.db import create_engine, read_transaction, translate_errors
        from .store.reader import read_findings, read_reports

        engine = create_engine(url, create=False)
        try:
            with translate_errors(engine.url), read_transaction(engine) as conn:
                reports = [r for _, r in read_reports(conn)]
                found = read_findings(conn, "report") + read_findings(conn, "across")
        finally:
            engine.dispose()
        return cls(reports, found)

    # ---- the three tables --------------------------------------------------------------------
    def table(self, name: str) -> Table:
        if name == "reports":
            return self.reports_table()
        if name == "figures":
            return self.figures_table()
        if name == "findings":
            return self.findings_table()
        raise BcparseError(f"no table {name!r}: {', '.join(TABLES)}")

    def reports_table(self) -> Table:
        """One row per report; after the report's own columns one column per key and mode any of
        the reports states (records aside: their fields are in the figures table), in the order of
        the key vocabulary (``bcparse keys``), each holding the first figure of that key and mode."""
        cat = catalogue()
        order = {k: i for i, k in enumerate(cat)}
        modes = {"result": 0, "target": 1, "plan": 2, "comparison": 3}
        seen: set[tuple[str, str]] = set()
        for r in self.reports:
            seen |= {(f.key, f.mode) for f in r.figure_list if f.key and f.item is None}
        cols = sorted(seen, key=lambda km: (order.get(km[0], len(order)), km[0], modes.get(km[1], 9)))
        per_report = _count_by(self.findings, "file")
        columns = [c for c, _ in REPORT_COLUMNS] + [k if m == "result" else f"{k}@{m}" for k, m in cols]
        headers = [h for _, h in REPORT_COLUMNS] + [label(c) for c in columns[len(REPORT_COLUMNS):]]
        kinds = ["text", "text", "text", "count"] + [cat[k].kind if k in cat else "text" for k, _ in cols]
        rows = []
        for r in self.reports:
            first: dict[tuple[str, str], Any] = {}
            for f in r.figures():
                if f.key and f.item is None:
                    first.setdefault((f.key, f.mode), f.value)
            rows.append([r.source, r.format, r.grammar, per_report.get(r.source, 0)]
                        + [first.get(km) for km in cols])
        return Table("reports", columns, headers, kinds, rows)

    def figures_table(self) -> Table:
        """One row per keyed figure, report after report, in document order."""
        cat = catalogue()
        rows = []
        kinds = []
        for r in self.reports:
            for f in r.figures():
                assert f.key is not None
                rows.append([r.source, f.key, f.item, label(f.address or f.key), f.value, f.unit, f.mode,
                             f.confidence, f.counted, f.section, f.span.line, f.raw])
                kinds.append(cat[f.key].kind if f.key in cat else (f.kind or "text"))
        return Table("figures", [c for c, _ in FIGURE_COLUMNS], [h for _, h in FIGURE_COLUMNS],
                     ["text", "text", "count", "text", "value", "text", "text", "text", "text", "text", "count",
                      "text"], rows, kinds)

    def findings_table(self) -> Table:
        rows = [[d.get("file"), d.get("code"), d.get("severity"), d.get("message"), d.get("line"), d.get("col"),
                 list(d.get("keys") or []), list(d.get("values") or []), d.get("check")] for d in self.findings]
        return Table("findings", [c for c, _ in FINDING_COLUMNS], [h for _, h in FINDING_COLUMNS],
                     ["text", "text", "text", "text", "count", "count", "list", "list", "text"], rows)


def _count_by(items: Iterable[dict[str, Any]], name: str) -> dict[Any, int]:
    out: dict[Any, int] = {}
    for d in items:
        out[d.get(name)] = out.get(d.get(name), 0) + 1
    return out


# ---- cell values ----------------------------------------------------------------------------

def _kind_of(t: Table, r: int, c: int) -> str:
    kind = t.kinds[c]
    return t.row_kinds[r] if kind == "value" and t.row_kinds is not None else kind


def _joined(v: Any) -> str:
    return "; ".join("" if x is None else str(x) for x in v)


def cell_value(v: Any, kind: str) -> Any:
    """A value as one spreadsheet cell holds it: a number stays a number (a whole number too long
    for Excel's 15 digits becomes text), an ISO date of a date figure becomes a date, a list is
    joined with "; ", None is an empty cell."""
    if isinstance(v, list):
        return _joined(v)
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, int) and abs(v) >= _EXCEL_INT:
        return str(v)
    if kind == "date" and isinstance(v, str) and _ISO_DATE.match(v):
        try:
            return _dt.date.fromisoformat(v)
        except ValueError:
            return v
    return v


# ---- writers --------------------------------------------------------------------------------

def to_xlsx(data: Export) -> bytes:
    """The three sheets as an .xlsx workbook."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    small = Font(italic=True, color="666666", size=9)
    for name in TABLES:
        t = data.table(name)
        ws = wb.create_sheet(SHEETS[name])
        ws.append(t.headers)
        ws.append(t.columns)
        for c in ws[1]:
            c.font = bold
            c.alignment = Alignment(wrap_text=True, vertical="top")
        for c in ws[2]:
            c.font = small
        for r, row in enumerate(t.rows):
            out = []
            for c, v in enumerate(row):
                x = cell_value(v, _kind_of(t, r, c))
                if isinstance(x, str):
                    x = ILLEGAL_CHARACTERS_RE.sub("\ufffd", x)
                out.append(x)
            ws.append(out)
            for cell in ws[ws.max_row]:
                if cell.data_type == "f":  # text that starts with "=" is text, never a formula
                    cell.data_type = "s"
                elif isinstance(cell.value, _dt.date):
                    cell.number_format = "DD/MM/YYYY"
        last = get_column_letter(max(len(t.columns), 1))
        ws.freeze_panes = "B3" if name == "reports" else "A3"
        ws.auto_filter.ref = f"A2:{last}{max(ws.max_row, 2)}"
        for i, h in enumerate(t.headers, 1):
            width = max(len(str(h)), len(t.columns[i - 1])) if name == "reports" and i > 1 else len(str(h))
            ws.column_dimensions[get_column_letter(i)].width = min(max(width + 2, 10), 45)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


_FORMULA = re.compile(r"^[=+@\t\r]|^-(?![\d.,])")


def to_csv(t: Table, *, bom: bool = True, header: str = "labels") -> bytes:
    """One table as CSV (UTF-8; with a BOM for Excel, where a text cell Excel would take for a
    formula gets a leading apostrophe). ``header``: "labels" (Vietnamese, made unique) or "keys"."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(unique_headers(t) if header == "labels" else t.columns)
    for r, row in enumerate(t.rows):
        out = []
        for c, v in enumerate(row):
            x = cell_value(v, _kind_of(t, r, c))
            if isinstance(x, _dt.date):
                x = x.isoformat()
            elif x is None:
                x = ""
            elif bom and isinstance(x, str) and _FORMULA.match(x):
                x = "'" + x
            out.append(x)
        w.writerow(out)
    return buf.getvalue().encode("utf-8-sig" if bom else "utf-8")


def unique_headers(t: Table) -> list[str]:
    """The Vietnamese headers, a repeated one followed by its column name: "Đơn vị tính [gift.unit]"."""
    counts = _count_by(({"h": h} for h in t.headers), "h")
    return [f"{h} [{c}]" if counts[h] > 1 else h for h, c in zip(t.headers, t.columns, strict=True)]


def to_jsonl(data: Export, table: str) -> bytes:
    """One JSON object per line: a report (its figures contract, each figure with its label, and
    its findings), or one figure, or one finding."""
    lines: list[str] = []
    if table == "reports":
        by_file: dict[Any, list[dict[str, Any]]] = {}
        for d in data.findings:
            by_file.setdefault(d.get("file"), []).append(d)
        for r in data.reports:
            obj = r.figures_json()
            obj["format"] = r.format
            for f in obj["figures"]:
                f["label"] = label(f["address"] or f["key"])
            obj["findings"] = by_file.get(r.source, [])
            lines.append(json.dumps(obj, ensure_ascii=False))
    elif table == "figures":
        for r in data.reports:
            for f in r.figures():
                obj = {"report": r.source, **f.contract(), "label": label(f.address or f.key or "")}
                lines.append(json.dumps(obj, ensure_ascii=False))
    else:
        lines = [json.dumps({"report": d.get("file"), **d}, ensure_ascii=False) for d in data.findings]
    return "".join(line + "\n" for line in lines).encode("utf-8")


PARQUET_MISSING = ("Parquet needs pyarrow, which is not installed: pip install 'bcparse[parquet]' "
                   "(or export .xlsx, .csv or .jsonl)")


def to_parquet(t: Table) -> bytes:
    """One table as Parquet: a column of numbers is int64 or double, of dates date32, else text
    (lists joined with "; "); the figures table's value column is text with a ``value_num`` double
    beside it (a column holds one type)."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise BcparseError(PARQUET_MISSING) from None
    arrays: dict[str, Any] = {}
    for c, name in enumerate(t.columns):
        vals = [cell_value(row[c], _kind_of(t, r, c)) for r, row in enumerate(t.rows)]
        if t.kinds[c] == "value":
            arrays["value_num"] = pa.array([float(v) if isinstance(v, int | float) else None for v in vals],
                                           pa.float64())
            vals = [None if v is None else v.isoformat() if isinstance(v, _dt.date) else str(v) for v in vals]
        arrays[name] = _arrow_column(pa, vals)
    buf = pa.BufferOutputStream()
    pq.write_table(pa.table(arrays), buf)
    return bytes(buf.getvalue().to_pybytes())


def _arrow_column(pa: Any, vals: list[Any]) -> Any:
    present = [v for v in vals if v is not None]
    if present and all(isinstance(v, int) for v in present):
        return pa.array(vals, pa.int64())
    if present and all(isinstance(v, int | float) for v in present):
        return pa.array([None if v is None else float(v) for v in vals], pa.float64())
    if present and all(isinstance(v, _dt.date) for v in present):
        return pa.array(vals, pa.date32())
    return pa.array([None if v is None else v.isoformat() if isinstance(v, _dt.date) else str(v) for v in vals],
                    pa.string())


def format_of(out: str | None, fmt: str | None) -> str:
    """The format an output is written in: ``--format``, else the output's extension."""
    if fmt:
        return fmt
    ext = (out or "").rsplit(".", 1)[-1].lower() if out and "." in out else ""
    if ext in FORMATS:
        return ext
    if not out or out == "-":
        raise OutputError("give -o FILE.xlsx|.csv|.jsonl|.parquet, or --format for standard output")
    raise OutputError("cannot tell the format from the name: end it in .xlsx, .csv, .jsonl or .parquet, "
                      "or give --format", path=out)


def render(data: Export, fmt: str, *, table: str | None = None, bom: bool = True,
           header: str = "labels") -> bytes:
    """The bytes of an export in one format (``table``: the table of a one-table format)."""
    if fmt == "xlsx":
        return to_xlsx(data)
    chosen = table or DEFAULT_TABLE[fmt]
    writers: dict[str, Callable[[], bytes]] = {
        "csv": lambda: to_csv(data.table(chosen), bom=bom, header=header),
        "jsonl": lambda: to_jsonl(data, chosen),
        "parquet": lambda: to_parquet(data.table(chosen)),
    }
    if fmt not in writers:
        raise BcparseError(f"unknown export format {fmt!r}: {', '.join(FORMATS)}")
    return writers[fmt]()


def write(data: Export, out: str, *, fmt: str | None = None, table: str | None = None, bom: bool = True,
          header: str = "labels") -> None:
    """Write an export to ``out`` whole or not at all (:func:`bcparse.fileio.write_output`)."""
    from . import fileio

    payload = render(data, format_of(out, fmt), table=table, bom=bom, header=header)
    fileio.write_output(out, payload)
