"""Writing a Report (and audit findings) into the database: a report's rows, all in the caller's
transaction (the importer's batch, under a savepoint per report)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

import sqlalchemy as sa
import sqlalchemy.exc as sa_exc
from sqlalchemy.engine import Connection, CursorResult

from .. import __version__
from ..errors import InputError
from ..models import Figure, Report
from .schema import (
    REPORT_TABLES,
    figures,
    finding_figures,
    findings,
    metadata,
    now,
    report_paths,
    reports,
    sections,
)

INT64 = 2**63 - 1
#: test hook: "N:SECONDS" sleeps SECONDS inside the write of the N-th report (1-based) after its
#: figures are inserted and before the commit, after printing a line to stderr; the test kills the
#: process there to check that an interrupted import leaves no half-imported report.
PAUSE_ENV = "BCPARSE_TEST_IMPORT_PAUSE"
_writes = 0


@dataclass(frozen=True, slots=True)
class FileInfo:
    """What identifies the imported file: its content hash, size and the path it was given as."""

    content_hash: str
    size: int | None = None
    path: str | None = None


def figure_values(v: Any) -> dict[str, Any]:
    """The value columns of a figure: value_type plus value_num | value_text | value_json."""
    out: dict[str, Any] = {"value_type": None, "value_num": None, "value_text": None, "value_json": None}
    if v is None:
        return out
    if isinstance(v, bool):  # not in the contract, but keep it exact if a grammar ever gives one
        v = int(v)
    if isinstance(v, int):
        out["value_type"] = "int"
        out["value_num"] = v
        if abs(v) > INT64:  # beyond SQLite's integers: an approximation to query, the digits to reload
            out["value_num"] = float(v)
            out["value_text"] = str(v)
    elif isinstance(v, float):
        out["value_type"] = "float"
        out["value_num"] = v
    elif isinstance(v, str):
        out["value_type"] = "str"
        out["value_text"] = v
    elif isinstance(v, list):
        out["value_type"] = "list"
        out["value_json"] = [str(x) for x in v]
    else:  # pragma: no cover - the Figure model admits nothing else
        raise TypeError(f"unexpected figure value {v!r}")
    return out


def figure_row(report_id: int, idx: int, f: Figure) -> dict[str, Any]:
    s = f.span
    return {
        "report_id": report_id, "idx": idx, "key": f.key, **figure_values(f.value), "unit": f.unit,
        "qualifier": f.qualifier, "item": f.item, "raw": f.raw, "line": s.line, "col": s.col,
        "length": s.length, "page": s.page, "paragraph": s.paragraph, "table_no": s.table, "row_no": s.row,
        "cell_no": s.cell, "kind": f.kind, "rule": f.rule, "section": f.section, "derived": bool(f.derived),
        "mode": f.mode, "confidence": f.confidence, "counted": f.counted, "subject": f.subject, "frame": f.frame,
        "plan_num": f.plan, **_ocr_cols(f),
    }


def _ocr_cols(f: Figure) -> dict[str, Any]:
    """ocr_confidence, ocr_json: a scanned figure's OCR provenance (NULL for a born-digital one)."""
    o = f.ocr
    return {"ocr_confidence": o.confidence if o is not None else None,
            "ocr_json": o.model_dump(mode="json") if o is not None else None}


def _year(date: str | None) -> int | None:
    if date and len(date) >= 4 and date[:4].isdigit():
        return int(date[:4])
    return None


def report_row(r: Report, info: FileInfo) -> dict[str, Any]:
    h, c = r.header, r.closing
    return {
        "content_hash": info.content_hash,
        "source_path": info.path if info.path is not None else r.source,
        "size_bytes": info.size,
        "format": r.format,
        "grammar": r.grammar,
        "type_name": h.type,
        "code_number": h.number,
        "code_notation": h.symbol,
        "issued_date": h.date,
        "issued_year": _year(h.date),
        "organ_name": " ".join(h.agency) or None,
        "place": h.place,
        "subject": h.subject,
        "signer_authority": c.signer_authority,
        "signer_position": c.signer_title,
        "signer_full_name": c.signer_name,
        "to_organs": list(c.recipients),
        "header_json": h.model_dump(mode="json"),
        "closing_json": c.model_dump(mode="json"),
        "extra_json": {
            "numbering_issues": [i.model_dump(mode="json") for i in r.numbering_issues],
            "choices": [ch.model_dump(mode="json") for ch in r.choices],
            "warnings": list(r.warnings),
        },
        "text_view": r.text,
        "section_count": len(r.sections),
        "figure_count": len(r.figure_list),  # r.figures(all=True), unsorted
        "bcparse_version": __version__,
        "imported_at": now(),
    }


def _new_id(result: CursorResult[Any]) -> int:
    """The primary key of the one row an INSERT made (SQLAlchemy types it Optional: None only for
    statements that insert no single row)."""
    key = result.inserted_primary_key
    if key is None:
        raise RuntimeError("the INSERT returned no primary key")
    return int(key[0])


def find_report(conn: Connection, content_hash: str) -> int | None:
    return conn.execute(sa.select(reports.c.id).where(reports.c.content_hash == content_hash)).scalar()


def delete_report(conn: Connection, report_id: int) -> None:
    """Delete a report and every row that hangs on it (explicitly: SQLite may run without FK cascades)."""
    fig_ids = sa.select(figures.c.id).where(figures.c.report_id == report_id)
    find_ids = sa.select(findings.c.id).where(findings.c.report_id == report_id)
    conn.execute(finding_figures.delete().where(
        finding_figures.c.figure_id.in_(fig_ids) | finding_figures.c.finding_id.in_(find_ids)))
    for name in REPORT_TABLES[1:-1]:
        t = metadata.tables[name]
        conn.execute(t.delete().where(t.c.report_id == report_id))
    conn.execute(reports.delete().where(reports.c.id == report_id))


Outcome = Literal["imported", "replaced", "unchanged"]


def lock_content(conn: Connection, content_hash: str, *, wait: bool = True) -> bool:
    """Serialise, until the end of the transaction, the writers of one content hash (PostgreSQL:
    an advisory lock, so that concurrent imports of a file take turns instead of failing on the
    unique content_hash; SQLite: BEGIN IMMEDIATE already serialises every writer). With ``wait``
    false, only try: False when another transaction holds it."""
    if conn.dialect.name == "postgresql":
        try:
            key = int(content_hash[:15], 16)
        except ValueError:
            key = int(hashlib.sha256(content_hash.encode()).hexdigest()[:15], 16)
        if not wait:
            return bool(conn.execute(sa.text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": key}).scalar())
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": key})
    return True


def record_path(conn: Connection, report_id: int, path: str | None, *, seen_at: Any = None) -> None:
    """Add ``path`` to the paths a stored report was seen at (or mark it seen again)."""
    if path is None:
        return
    at = seen_at or now()
    hit = conn.execute(report_paths.update().where(
        report_paths.c.report_id == report_id, report_paths.c.path == path).values(last_seen_at=at))
    if not hit.rowcount:
        conn.execute(report_paths.insert().values(report_id=report_id, path=path, first_seen_at=at, last_seen_at=at))


def report_path_list(conn: Connection, report_id: int) -> list[tuple[str, Any, Any]]:
    """(path, first_seen_at, last_seen_at) of a stored report, first seen first."""
    return [tuple(r) for r in conn.execute(
        sa.select(report_paths.c.path, report_paths.c.first_seen_at, report_paths.c.last_seen_at)
        .where(report_paths.c.report_id == report_id)
        .order_by(report_paths.c.first_seen_at, report_paths.c.path))]


def stored_paths(conn: Connection, report_id: int) -> list[str]:
    """Every path a stored report was seen at, its source_path included."""
    paths = [p for p, _, _ in report_path_list(conn, report_id)]
    src = conn.execute(sa.select(reports.c.source_path).where(reports.c.id == report_id)).scalar()
    return paths + ([src] if src is not None and src not in paths else [])


def write_report(
    conn: Connection, r: Report, info: FileInfo, *, replace: bool = False,
    report_findings: Sequence[Mapping[str, Any]] | None = None,
) -> tuple[Outcome, int]:
    """Insert one report in the caller's transaction; returns what happened and the report id.

    The caller owns the transaction (``with engine.begin() as conn``): everything below commits
    together or not at all.
    """
    return write_rows(conn, report_rows(r, info, report_findings), replace=replace)


# ---- a report as rows: built where it is parsed, written in a batch -------------------------------

#: the columns of each table a report fills, in the order of the tuples of :class:`ReportRows`
#: (``report_id``, ``id`` and the timestamps are added by :func:`write_rows`)
REPORT_COLS = ("content_hash", "source_path", "size_bytes", "format", "grammar", "type_name", "code_number",
               "code_notation", "issued_date", "issued_year", "organ_name", "place", "subject", "signer_authority",
               "signer_position", "signer_full_name", "to_organs", "header_json", "closing_json", "extra_json",
               "text_view", "section_count", "figure_count", "bcparse_version")
SECTION_COLS = ("idx", "number", "marker", "style", "level", "title", "body", "line", "end_line", "parent",
                "span_json")
FIGURE_COLS = ("idx", "key", "value_type", "value_num", "value_text", "value_json", "unit", "qualifier", "item",
               "raw", "line", "col", "length", "page", "paragraph", "table_no", "row_no", "cell_no", "kind", "rule",
               "section", "derived", "mode", "confidence", "counted", "subject", "frame", "plan_num",
               "ocr_confidence", "ocr_json")
FINDING_COLS = ("code", "severity", "message", "file", "line", "col", "keys", "values", "check_id", "related")


@dataclass(slots=True)
class ReportRows:
    """One parsed report as the rows it is stored as: plain tuples (JSON columns already JSON text),
    small to send from a worker process and written with one statement per table.

    ``findings``: each finding's row and the ``idx`` of the report's figures it points at.
    """

    content_hash: str
    path: str | None
    report: tuple[Any, ...]
    sections: list[tuple[Any, ...]]
    figures: list[tuple[Any, ...]]
    findings: list[tuple[tuple[Any, ...], tuple[int, ...]]]


_JSON_COLS = ("to_organs", "header_json", "closing_json", "extra_json")
_NUL_ESCAPE = re.compile(r"(?:^|[^\\])(?:\\\\)*\\u0000")


def _holds_nul(secs: list[tuple[Any, ...]], figs: list[tuple[Any, ...]], row: dict[str, Any],
               lists: list[str]) -> bool:
    """Whether a report's rows hold a NUL character. The JSON columns are JSON text by now: a NUL in
    them is the escape \\u0000 (not after a backslash that is itself escaped)."""
    strings = [x for t in (*secs, *figs, tuple(row.values())) for x in t if type(x) is str]
    if "\x00" in "".join(strings + lists):
        return True
    return any(row[k] and "\\u0000" in row[k] and _NUL_ESCAPE.search(row[k]) for k in _JSON_COLS)


def _json(v: Any) -> str | None:
    return None if v is None else json.dumps(v)


def report_rows(r: Report, info: FileInfo, report_findings: Sequence[Mapping[str, Any]] | None = None) -> ReportRows:
    """The rows of ``r`` (see :class:`ReportRows`); ``report_findings``: dicts of :func:`finding_dict`.

    Raises :class:`InputError` when the report holds a NUL character, which PostgreSQL cannot
    store (refused on both databases alike; the text reader already refuses a NUL in a text file,
    this catches a Report built in code)."""
    row = report_row(r, info)
    secs = [(i, s.number, s.marker, s.style, s.level, s.title, s.body, s.line, s.end_line, s.parent,
             _json(s.span.model_dump(mode="json"))) for i, s in enumerate(r.sections)]
    figs = []
    lists = []
    for i, f in enumerate(r.figures(all=True)):
        v, sp = figure_values(f.value), f.span
        if v["value_json"]:
            lists += v["value_json"]
        figs.append((i, f.key, v["value_type"], v["value_num"], v["value_text"], _json(v["value_json"]), f.unit,
                     f.qualifier, f.item, f.raw, sp.line, sp.col, sp.length, sp.page, sp.paragraph, sp.table, sp.row,
                     sp.cell, f.kind, f.rule, f.section, bool(f.derived), f.mode, f.confidence, f.counted,
                     f.subject, f.frame, f.plan, f.ocr.confidence if f.ocr is not None else None,
                     _json(f.ocr.model_dump(mode="json")) if f.ocr is not None else None))
    for k in _JSON_COLS:
        row[k] = _json(row[k])
    if _holds_nul(secs, figs, row, lists):
        raise InputError("the report holds a NUL character (binary data), which a database cannot store",
                         path=r.source)
    found = []
    index = _FigureIndex(figs) if report_findings else None
    for fd in report_findings or ():
        found.append(((fd["code"], fd["severity"], fd["message"], fd.get("file"), fd.get("line"), fd.get("col"),
                       _json(list(fd.get("keys") or [])), _json(fd.get("values")), fd.get("check"),
                       _json(fd.get("related") or None)), figure_links(index or figs, fd)))
    return ReportRows(info.content_hash, info.path if info.path is not None else r.source,
                      tuple(row[c] for c in REPORT_COLS), secs, figs, found)


_F_KEY, _F_LINE, _F_COL = FIGURE_COLS.index("key"), FIGURE_COLS.index("line"), FIGURE_COLS.index("col")


class _FigureIndex:
    """A report's figure rows by key and by (line, col), for :func:`figure_links`."""

    def __init__(self, figs: Sequence[tuple[Any, ...]]) -> None:
        self.by_key: dict[str, list[tuple[int, Any, Any]]] = {}
        self.by_pos: dict[tuple[Any, Any], list[int]] = {}
        for f in figs:
            if f[_F_KEY]:
                self.by_key.setdefault(f[_F_KEY], []).append((f[0], f[_F_LINE], f[_F_COL]))
            self.by_pos.setdefault((f[_F_LINE], f[_F_COL]), []).append(f[0])


def figure_links(figs: Sequence[tuple[Any, ...]] | _FigureIndex, d: Mapping[str, Any]) -> tuple[int, ...]:
    """The ``idx`` of the figures of its own report that a finding points at (the figures of its
    ``keys`` — where a key repeats, the one at its line and column, else those on its line — and
    the figure starting at its line and column; the same for each ``related`` place in its file)."""
    ix = figs if isinstance(figs, _FigureIndex) else _FigureIndex(figs)
    out: set[int] = set()

    def at(keys: Sequence[str | None], line: Any, col: Any) -> None:
        for key in {k for k in keys if k}:
            cands = ix.by_key.get(key, [])
            if len(cands) > 1:  # a repeated key (gift.count of each gift): the one pointed at
                cands = [c for c in cands if (c[1], c[2]) == (line, col)] or [c for c in cands if c[1] == line] or cands
            out.update(c[0] for c in cands)
        if line is not None and col is not None:
            out.update(ix.by_pos.get((line, col), ()))

    own = d.get("file")
    at(d.get("keys") or [], d.get("line"), d.get("col"))
    for rel in d.get("related") or []:
        rfile = rel.get("file")
        if rfile is None or rfile == own:
            key = rel.get("key")
            at([key] if key else [], rel.get("line"), rel.get("col"))
    return tuple(sorted(out))


class _Sql:
    """The statements of :func:`write_rows` for one dialect, and the few values it must convert."""

    def __init__(self, dialect: Any) -> None:
        self.pg = dialect.name == "postgresql"
        mark = "%s" if self.pg else "?"

        def values(table: sa.Table, cols: Sequence[str]) -> str:
            return ", ".join(f"{mark}::jsonb" if self.pg and isinstance(table.c[c].type, sa.JSON) else mark
                             for c in cols)

        def names(cols: Sequence[str]) -> str:
            return ", ".join(dialect.identifier_preparer.quote(c) for c in cols)

        def insert(table: sa.Table, cols: Sequence[str], tail: str = "") -> str:
            return f"INSERT INTO {table.name} ({names(cols)}) VALUES ({values(table, cols)}){tail}"

        returning = " RETURNING id" if self.pg else ""
        rcols = (*REPORT_COLS, "imported_at")
        self.report = insert(reports, rcols, returning)
        #: PostgreSQL: a report whose content another writer stored meanwhile inserts nothing
        self.report_if_new = insert(reports, rcols, " ON CONFLICT (content_hash) DO NOTHING RETURNING id")
        self.section = insert(sections, ("report_id", *SECTION_COLS))
        self.figure = insert(figures, ("report_id", *FIGURE_COLS))
        self.figure_copy = f"COPY figures ({names(('report_id', *FIGURE_COLS))}) FROM STDIN"
        self.finding = insert(findings, ("report_id", "scope", *FINDING_COLS, "created_at"), returning)
        self.link = (f"INSERT INTO finding_figures (finding_id, figure_id) SELECT {mark}, id FROM figures "
                     f"WHERE report_id = {mark} AND idx = {mark}")
        self.path = insert(report_paths, ("report_id", "path", "first_seen_at", "last_seen_at"))
        self.stamp = sa.DateTime(timezone=True).dialect_impl(dialect).bind_processor(dialect) or (lambda v: v)
        self.numbers = [FIGURE_COLS.index("value_num") + 1, FIGURE_COLS.index("plan_num") + 1] if self.pg else []


_SQL: dict[str, _Sql] = {}


def _sql(conn: Connection) -> _Sql:
    name = conn.dialect.name
    if name not in _SQL:
        _SQL[name] = _Sql(conn.dialect)
    return _SQL[name]


def _exact(v: Any) -> Any:
    return Decimal(repr(v)) if isinstance(v, float) else v


class ContentBusy(Exception):
    """Another transaction is writing the same content right now (PostgreSQL, ``wait=False``)."""


def write_rows(conn: Connection, rows: ReportRows, *, replace: bool = False, imported_at: Any = None,
               copy: bool = True, wait: bool = True) -> tuple[Outcome, int]:
    """Insert one report's rows in the caller's transaction; returns what happened and its id.

    One statement per table (``executemany``; PostgreSQL: ``COPY`` for the figures unless
    ``copy`` is false). A content already stored is "unchanged" (its path recorded) unless
    ``replace``; on PostgreSQL a content stored by a concurrent writer between the check and the
    insert is "unchanged" too (``ON CONFLICT DO NOTHING``), so retrying a report never duplicates it.
    ``imported_at`` (default: now) is stored as the report's import time; when given, it marks
    the run: a report this run already stored from the same path (a retried Dask task) is
    "imported", not "unchanged". PostgreSQL: the writers
    of one content take turns (:func:`lock_content`); with ``wait`` false, :class:`ContentBusy` is
    raised at once, nothing done, when another transaction holds the content's lock.
    """
    q = _sql(conn)
    at = imported_at or now()
    path = rows.path
    if not lock_content(conn, rows.content_hash, wait=wait):
        raise ContentBusy(rows.content_hash)
    existing = find_report(conn, rows.content_hash)
    outcome: Outcome = "imported"
    old_paths: list[tuple[str, Any, Any]] = []
    if existing is not None:
        if imported_at is not None and same_run(conn, existing, imported_at, path):
            return "imported", existing  # a retried write of this run (a Dask task run again)
        if not replace:
            record_path(conn, existing, path)
            return "unchanged", existing
        old_paths = report_path_list(conn, existing)
        delete_report(conn, existing)
        outcome = "replaced"
    params = (*rows.report, q.stamp(at))
    if q.pg:
        rid = conn.exec_driver_sql(q.report_if_new, params).scalar()
        if rid is None:  # stored by another writer since find_report
            existing = find_report(conn, rows.content_hash)
            if existing is None:  # pragma: no cover - deleted again at once
                raise RuntimeError("the report was stored and deleted meanwhile")
            record_path(conn, existing, path)
            return "unchanged", existing
        rid = int(rid)
    else:
        rid = _last_id(conn.exec_driver_sql(q.report, params))
    stamps = {(p, q.stamp(first), q.stamp(last)) for p, first, last in old_paths}
    if path is not None and path not in {p for p, _, _ in old_paths}:
        stamps.add((path, q.stamp(at), q.stamp(at)))
    elif path is not None:
        stamps = {(p, f, q.stamp(at) if p == path else last) for p, f, last in stamps}
    if stamps:
        conn.exec_driver_sql(q.path, [(rid, p, f, last) for p, f, last in sorted(stamps)])
    if rows.sections:
        conn.exec_driver_sql(q.section, [(rid, *s) for s in rows.sections])
    if rows.figures:
        _insert_figures(conn, q, rid, rows.figures, copy)
    _pause_hook()
    if rows.findings:
        created = q.stamp(at)
        links = []
        for f, idxs in rows.findings:
            res = conn.exec_driver_sql(q.finding, (rid, "report", *f, created))
            fid = _returned_id(res) if q.pg else _last_id(res)
            links += [(fid, rid, i) for i in idxs]
        if links:
            conn.exec_driver_sql(q.link, links)
    return outcome, rid


def same_run(conn: Connection, report_id: int, imported_at: Any, path: str | None) -> bool:
    """Whether the stored report was imported from ``path`` by the run stamped ``imported_at``."""
    row = conn.execute(sa.select(reports.c.imported_at, reports.c.source_path).where(reports.c.id == report_id)).first()
    return row is not None and row[0] == imported_at and row[1] == path


def _returned_id(result: CursorResult[Any]) -> int:
    rid = result.scalar()
    if rid is None:  # pragma: no cover - RETURNING id of one inserted row
        raise RuntimeError("the INSERT returned no id")
    return int(rid)


def _last_id(result: CursorResult[Any]) -> int:
    rid = result.lastrowid
    if rid is None:  # pragma: no cover - SQLite always gives the rowid of an INSERT
        raise RuntimeError("the INSERT returned no row id")
    return int(rid)


def _insert_figures(conn: Connection, q: _Sql, rid: int, figs: list[tuple[Any, ...]], copy: bool) -> None:
    rows = [(rid, *f) for f in figs]
    if q.numbers:
        rows = [tuple(_exact(v) if i in q.numbers else v for i, v in enumerate(r)) for r in rows]
    if q.pg and copy:
        raw = conn.connection.driver_connection
        if raw is not None:
            dbapi = conn.dialect.loaded_dbapi
            try:
                with raw.cursor() as cur, cur.copy(q.figure_copy) as cp:
                    for r in rows:
                        cp.write_row(r)
            except dbapi.Error as e:  # as SQLAlchemy would raise it (IntegrityError, DataError, OperationalError…)
                raise sa_exc.DBAPIError.instance(q.figure_copy, None, e, dbapi.Error, dialect=conn.dialect) from e
            return
    conn.exec_driver_sql(q.figure, rows)


def _pause_hook() -> None:
    global _writes
    spec = os.environ.get(PAUSE_ENV)
    if not spec:
        return
    _writes += 1
    n, _, seconds = spec.partition(":")
    if _writes == int(n):
        print(f"bcparse-test: paused inside transaction {_writes} (pid {os.getpid()})", file=sys.stderr, flush=True)
        time.sleep(float(seconds or 60))


# ---- findings ---------------------------------------------------------------------------------

FINDING_FIELDS = ("code", "severity", "message", "file", "line", "col", "keys", "values", "check", "related")


def finding_dict(f: Any) -> dict[str, Any]:
    """A Finding of the audit (an object or a mapping) → a plain, picklable dict of its fields."""
    get = f.get if isinstance(f, Mapping) else (lambda k, d=None: getattr(f, k, d))
    d = {k: _jsonable(get(k)) for k in FINDING_FIELDS}
    d["keys"] = [None if k is None else str(k) for k in (d["keys"] or [])]
    d["related"] = [r for r in (d["related"] or []) if isinstance(r, dict)]
    d["code"] = str(d["code"] or "")
    d["severity"] = str(d["severity"] or "warning")
    d["message"] = str(d["message"] or "")
    for k in ("file", "check"):
        d[k] = None if d[k] is None else str(d[k])
    return d


def _jsonable(v: Any) -> Any:
    if v is None or isinstance(v, bool | int | float | str):
        return v
    if isinstance(v, Mapping):
        return {str(k): _jsonable(x) for k, x in v.items()}
    if isinstance(v, list | tuple | set):
        return [_jsonable(x) for x in v]
    if hasattr(v, "model_dump"):
        return _jsonable(v.model_dump(mode="json"))
    return str(v)


def insert_findings(
    conn: Connection, items: Iterable[Mapping[str, Any]], *, scope: str,
    report_id: int | None = None, report_ids_by_file: Mapping[str, int] | None = None,
) -> int:
    """Insert findings (dicts from :func:`finding_dict`) and link each to the figures it points at.

    A finding belongs to ``report_id`` when given, else to the stored report whose source path
    is its ``file``. It is linked (table finding_figures) to that report's figures whose key is
    among its ``keys`` — where a key repeats, as in gifts, only the one at the finding's line and
    column, else those on its line, if any — and to the figure that starts at its line and column; likewise for each of its
    ``related`` places, in their own report. Returns how many findings were inserted.
    """
    by_file = dict(report_ids_by_file or {})

    def lookup(file: str | None) -> int | None:
        return None if file is None else by_file.get(file, by_file.get(os.path.normpath(file)))

    n = 0
    created = now()
    for d in items:
        own = d.get("file")
        rid = report_id if report_id is not None else lookup(own)
        fid = _new_id(conn.execute(findings.insert().values({
            "report_id": rid, "scope": scope, "code": d["code"], "severity": d["severity"],
            "message": d["message"], "file": d.get("file"), "line": d.get("line"), "col": d.get("col"),
            "keys": list(d.get("keys") or []), "values": d.get("values"), "check_id": d.get("check"),
            "related": d.get("related") or None, "created_at": created,
        })))
        n += 1
        links: set[int] = set()
        if rid is not None:
            links |= _figures_at(conn, rid, d.get("keys") or [], d.get("line"), d.get("col"))
        for rel in d.get("related") or []:
            rfile = rel.get("file")
            rrid = rid if rfile is None or rfile == own else lookup(str(rfile))
            if rrid is not None:
                key = rel.get("key")
                links |= _figures_at(conn, rrid, [key] if key else [], rel.get("line"), rel.get("col"))
        if links:
            conn.execute(finding_figures.insert(), [{"finding_id": fid, "figure_id": g} for g in sorted(links)])
    return n


def _figures_at(conn: Connection, rid: int, keys: Sequence[str | None], line: int | None,
                col: int | None) -> set[int]:
    wanted = [k for k in keys if k]
    out: set[int] = set()
    if wanted:
        rows = conn.execute(
            sa.select(figures.c.id, figures.c.key, figures.c.line, figures.c.col).where(
                figures.c.report_id == rid, figures.c.key.in_(wanted))
        ).all()
        by_key: dict[str, list[tuple[int, int, int]]] = {}
        for fid, key, fline, fcol in rows:
            by_key.setdefault(key, []).append((fid, fline, fcol))
        for cands in by_key.values():
            if len(cands) > 1:  # a repeated key (gift.count of each gift): the one pointed at
                exact = [c for c in cands if (c[1], c[2]) == (line, col)]
                cands = exact or [c for c in cands if c[1] == line] or cands
            out.update(c[0] for c in cands)
    if line is not None and col is not None:
        out.update(conn.execute(sa.select(figures.c.id).where(
            figures.c.report_id == rid, figures.c.line == line, figures.c.col == col)).scalars())
    return out


def replace_findings(conn: Connection, items: Iterable[Mapping[str, Any]], *, scope: str = "across") -> int:
    """Replace every stored finding of ``scope`` with ``items``, their files matched to source paths."""
    old = sa.select(findings.c.id).where(findings.c.scope == scope)
    conn.execute(finding_figures.delete().where(finding_figures.c.finding_id.in_(old)))
    conn.execute(findings.delete().where(findings.c.scope == scope))
    by_file: dict[str, int] = {}
    for rid, path in conn.execute(sa.select(reports.c.id, reports.c.source_path).order_by(reports.c.id)):
        if path is not None:
            by_file[path] = by_file[os.path.normpath(path)] = rid  # the latest import of a path wins
    return insert_findings(conn, items, scope=scope, report_ids_by_file=by_file)
