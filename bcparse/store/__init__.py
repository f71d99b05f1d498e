"""Store parsed reports in a database: SQLite by default, PostgreSQL for shared use.

    from bcparse.store import import_paths, load_reports, save_findings

    result = import_paths(["reports/"], "sqlite:///bcparse.db", jobs=2)   # like `bcparse import`
    reports = load_reports("postgresql://bcparse@db.example/bcparse")     # every stored Report
    save_findings(url, findings)            # cross-report audit findings, replacing earlier ones

URLs: ``sqlite:///relative.db``, ``sqlite:////absolute.db``, a bare file path, or
``postgresql://user@host:port/dbname`` (needs ``psycopg``). With no URL, ``$BCPARSE_DB_URL`` or
``bcparse.db`` in the current folder. Schema and queries: ``docs/database.md``.

This module imports SQLAlchemy only when one of its functions is called, so that the CLI, which
registers ``bcparse import`` from here, starts as fast without it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import os

    from sqlalchemy.engine import Engine

    from ..models import Report
    from .importer import ImportResult

__all__ = ["audit_database", "import_paths", "load_report_ids", "load_reports", "open_db", "save_findings", "store_report"]


def open_db(url: str | None = None) -> Engine:
    """A SQLAlchemy engine on the database, its schema created or migrated to this version."""
    from .db import create_engine

    return create_engine(url)


def import_paths(paths: Sequence[str | os.PathLike[str]], db: str | None = None, *, jobs: int = 1,
                 replace: bool = False, progress: bool | None = None, batch: int = 0) -> ImportResult:
    """Import files and folders (as ``bcparse import`` does); see :class:`~.importer.ImportResult`."""
    from .importer import import_paths as _import

    return _import(paths, db, jobs=jobs, replace=replace, progress=progress, batch=batch)


def load_report_ids(url: str | None = None) -> list[tuple[int, Report]]:
    """(report id, Report) for every stored report, in import order."""
    from .db import create_engine, read_transaction, translate_errors
    from .reader import read_reports

    engine = create_engine(url, create=False)
    try:
        with translate_errors(engine.url), read_transaction(engine) as conn:
            return read_reports(conn)
    finally:
        engine.dispose()


def load_reports(url: str | None = None) -> list[Report]:
    """Every stored report as a validated Report (``source`` is the path it was imported from)."""
    return [r for _, r in load_report_ids(url)]


def save_findings(url: str | None, findings: Iterable[Any], *, scope: str = "across") -> int:
    """Store audit findings, replacing the earlier ones of the same scope; returns how many.

    Each finding (an object or a mapping with code, severity, message, file, line, col, keys,
    values) is tied to the stored report whose source path is its ``file``, and linked to the
    figures it points at (table ``finding_figures``). All in one transaction.
    """
    from .db import create_engine, translate_errors
    from .writer import finding_dict, replace_findings

    items = [finding_dict(f) for f in findings]
    engine = create_engine(url)
    try:
        with translate_errors(engine.url), engine.begin() as conn:
            return replace_findings(conn, items, scope=scope)
    finally:
        engine.dispose()


def audit_database(url: str | None = None, *, select: Any = None, ignore: Any = None, scope: str = "across",
                   counts: dict[str, int] | None = None) -> list[Any]:
    """``bcparse audit --db URL``: findings over the stored reports, as :class:`bcparse.audit.Finding`.

    ``scope`` "across" runs the cross-report checks (BC4xx) over every stored report; their findings
    replace the cross-report findings stored before. "reports" returns the single-report findings
    (BC1xx-BC3xx) stored at import, without re-parsing. "all" gives both, per-report ones first.
    ``counts``, when given, is filled with ``reports`` (stored reports), ``stored`` (per-report
    findings read) and ``across`` (cross-report findings found).
    """
    if scope not in ("reports", "across", "all"):
        from ..errors import BcparseError

        raise BcparseError(f"unknown audit scope {scope!r} (reports, across or all)")
    import sqlalchemy as sa

    from ..audit import Finding, audit_across
    from ..audit.finding import parse_codes, selected
    from .db import create_engine, read_transaction, translate_errors
    from .reader import read_findings, read_reports
    from .schema import reports

    sel, ign = parse_codes(select), parse_codes(ignore)
    engine = create_engine(url, create=False)
    try:
        with translate_errors(engine.url), read_transaction(engine) as conn:
            loaded = read_reports(conn) if scope != "reports" else []
            n_reports = len(loaded) if loaded else conn.execute(
                sa.select(sa.func.count()).select_from(reports)).scalar_one()
            stored = read_findings(conn, "report") if scope != "across" else []
            scanned = _scanned_reports(conn, loaded) if scope != "across" else []
    finally:
        engine.dispose()
    found: list[Any] = [f for f in (Finding.model_validate(d) for d in stored) if selected(f.code, sel, ign)]
    if scanned:
        found = _rescan(found, scanned, sel, ign)
    across: list[Any] = []
    if scope != "reports":
        across = list(audit_across([r for _, r in loaded], select=select, ignore=ignore))
        save_findings(url, across)
    if counts is not None:
        counts.update(reports=int(n_reports), stored=len(found), across=len(across))
    return found + across


def _scanned_reports(conn: Any, loaded: list[tuple[int, Report]]) -> list[Report]:
    """The stored reports holding figures read from a scan (their OCR provenance stored)."""
    import sqlalchemy as sa

    from .reader import read_reports
    from .schema import figures

    ids = [int(i) for i in conn.execute(sa.select(figures.c.report_id).where(figures.c.ocr_json.is_not(None))
                                        .distinct().order_by(figures.c.report_id)).scalars()]
    if loaded:
        return [r for rid, r in loaded if rid in set(ids)]
    return [r for _, r in read_reports(conn, ids)] if ids else []


def _rescan(found: list[Any], scanned: list[Report], sel: Any, ign: Any) -> list[Any]:
    """BC501 (uncertain figures of a scan) found again from the stored figures' OCR provenance, as the
    audit of the file finds it, in place of the BC501 stored at import for those reports."""
    from ..audit.finding import selected
    from ..audit.scan import check_scan
    from ..audit.util import file_of

    files = {file_of(r) for r in scanned}
    again = [f for r in scanned for f in check_scan(r) if selected(f.code, sel, ign)]
    kept = [f for f in found if not (f.code == "BC501" and f.file in files)]
    order = {file: i for i, file in enumerate(dict.fromkeys(f.file for f in kept + again))}
    return sorted(kept + again, key=lambda f: (order[f.file], f.line or 0, f.col or 0, f.code))


def store_report(report: Report, url: str | None = None, *, content_hash: str | None = None,
                 replace: bool = False) -> tuple[str, int]:
    """Store one Report built or parsed in code; returns ("imported" | "replaced" | "unchanged", id).

    Without ``content_hash`` (the sha256 of the file's bytes) the hash of the text view stands in.
    """
    from .db import create_engine, translate_errors
    from .importer import audit_report
    from .writer import FileInfo, write_report

    h = content_hash or hashlib.sha256(report.text.encode("utf-8")).hexdigest()
    found = audit_report(report)
    engine = create_engine(url)
    try:
        with translate_errors(engine.url), engine.begin() as conn:
            return write_report(conn, report, FileInfo(content_hash=h, path=report.source), replace=replace,
                                report_findings=found)
    finally:
        engine.dispose()
