"""Writing a Report (and audit findings) into the database: one transaction per report."""

from __future__ import annotations

import hashlib
import os
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import sqlalchemy as sa
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
#: test hook: "N:SECONDS" sleeps SECONDS inside the N-th write transaction (1-based) after its
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
        "plan_num": f.plan,
    }


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
        "figure_count": len(r.figures(all=True)),
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


def lock_content(conn: Connection, content_hash: str) -> None:
    """Serialise, until the end of the transaction, the writers of one content hash (PostgreSQL:
    an advisory lock, so that concurrent ``--replace`` imports of a file take turns instead of
    failing on the unique content_hash; SQLite: BEGIN IMMEDIATE already serialises every writer)."""
    if conn.dialect.name == "postgresql":
        try:
            key = int(content_hash[:15], 16)
        except ValueError:
            key = int(hashlib.sha256(content_hash.encode()).hexdigest()[:15], 16)
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": key})


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


def _has_nul(v: Any) -> bool:
    if isinstance(v, str):
        return "\x00" in v
    if isinstance(v, Mapping):
        return any(_has_nul(k) or _has_nul(x) for k, x in v.items())
    if isinstance(v, list | tuple):
        return any(_has_nul(x) for x in v)
    return False


def refuse_nul(r: Report) -> None:
    """A NUL character cannot be stored in PostgreSQL text: refuse the report on both databases alike
    (the text reader already refuses a NUL in a text file; this catches a Report built in code)."""
    if "\x00" in r.text or _has_nul(r.model_dump(exclude={"text"})):
        raise InputError("the report holds a NUL character (binary data), which a database cannot store",
                         path=r.source)


def write_report(
    conn: Connection, r: Report, info: FileInfo, *, replace: bool = False,
    report_findings: Sequence[Mapping[str, Any]] | None = None,
) -> tuple[Outcome, int]:
    """Insert one report in the caller's transaction; returns what happened and the report id.

    The caller owns the transaction (``with engine.begin() as conn``): everything below commits
    together or not at all.
    """
    refuse_nul(r)
    lock_content(conn, info.content_hash)
    existing = find_report(conn, info.content_hash)
    outcome: Outcome = "imported"
    old_paths: list[tuple[str, Any, Any]] = []
    if existing is not None:
        if not replace:
            record_path(conn, existing, info.path if info.path is not None else r.source)
            return "unchanged", existing
        old_paths = report_path_list(conn, existing)
        delete_report(conn, existing)
        outcome = "replaced"
    rid = _new_id(conn.execute(reports.insert().values(report_row(r, info))))
    if old_paths:
        conn.execute(report_paths.insert(), [
            {"report_id": rid, "path": p, "first_seen_at": first, "last_seen_at": last} for p, first, last in old_paths])
    record_path(conn, rid, info.path if info.path is not None else r.source)
    if r.sections:
        conn.execute(sections.insert(), [
            {"report_id": rid, "idx": i, "number": s.number, "marker": s.marker, "style": s.style, "level": s.level,
             "title": s.title, "body": s.body, "line": s.line, "end_line": s.end_line, "parent": s.parent,
             "span_json": s.span.model_dump(mode="json")}
            for i, s in enumerate(r.sections)
        ])
    figs = r.figures(all=True)
    if figs:
        conn.execute(figures.insert(), [figure_row(rid, i, f) for i, f in enumerate(figs)])
    _pause_hook()
    if report_findings:
        insert_findings(conn, report_findings, scope="report", report_id=rid)
    return outcome, rid


def _pause_hook() -> None:
    global _writes
    spec = os.environ.get(PAUSE_ENV)
    if not spec:
        return
    _writes += 1
    n, _, seconds = spec.partition(":")
    if _writes == int(n):
        print(f"bcparse-test: paused inside transaction {_writes}", file=sys.stderr, flush=True)
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
