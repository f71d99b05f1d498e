"""The database schema (SQLAlchemy Core: one definition for SQLite and PostgreSQL) and its migrations.

Header columns use the names of the state's document-metadata standard (Nghị định 30/2020,
Phụ lục VI: TypeName, CodeNumber, CodeNotation, IssuedDate, OrganName, Subject,
SignerInfo.Position / SignerInfo.FullName, To) in snake case. ``docs/database.md`` documents
every column.

Versioning: ``schema_version`` holds one row per migration applied. :func:`migrate` applies the
missing ones in order, each in its own transaction, and refuses a database made by a newer
bcparse. A later schema change appends a function to :data:`MIGRATIONS` (ALTER TABLE …) and
bumps nothing else; migration 1 creates the version-1 tables below and must never change.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine, UserDefinedType

from ..errors import DatabaseError


class _SqliteNumeric(UserDefinedType[Any]):
    """NUMERIC affinity on SQLite with no conversion: integers come back int, reals float."""

    cache_ok = True

    def get_col_spec(self, **kw: Any) -> str:
        return "NUMERIC"


class Number(TypeDecorator[Any]):
    """An exact number: PostgreSQL ``numeric`` (Decimal), SQLite NUMERIC (int or float as stored)."""

    impl = sa.Numeric
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(_SqliteNumeric())
        return dialect.type_descriptor(sa.Numeric())

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if isinstance(value, float) and dialect.name != "sqlite":
            return Decimal(repr(value))  # 284.62 stays 284.62, not its binary neighbour
        return value


JSONType = sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True), "postgresql")
Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")  # SQLite's rowid alias must be INTEGER

metadata = sa.MetaData()

schema_version = sa.Table(
    "schema_version",
    metadata,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
)

reports = sa.Table(
    "reports",
    metadata,
    sa.Column("id", Id, primary_key=True, autoincrement=True),
    sa.Column("content_hash", sa.String(64), nullable=False, unique=True),  # sha256 of the file bytes, hex
    sa.Column("source_path", sa.Text),  # the path as given to `bcparse import`
    sa.Column("size_bytes", sa.BigInteger),
    sa.Column("format", sa.Text, nullable=False),  # txt | docx | doc | pdf
    sa.Column("grammar", sa.Text),  # id of the grammar that matched, or NULL
    # the header, named after Phụ lục VI (NĐ 30/2020)
    sa.Column("type_name", sa.Text),  # TypeName: "BÁO CÁO"
    sa.Column("code_number", sa.Text),  # CodeNumber: "12"; NULL when left blank ("Số: /BC-UBND")
    sa.Column("code_notation", sa.Text),  # CodeNotation: "BC-UBND"
    sa.Column("issued_date", sa.Text),  # IssuedDate, ISO: "2024-11-20", or "2024-11" when the day is blank
    sa.Column("issued_year", sa.Integer),  # year of issued_date, for grouping
    sa.Column("organ_name", sa.Text),  # OrganName: the agency lines joined ("ỦY BAN NHÂN DÂN XÃ BÌNH THÀNH")
    sa.Column("place", sa.Text),  # địa danh: "Bình Thành"
    sa.Column("subject", sa.Text),  # Subject (trích yếu)
    sa.Column("signer_authority", sa.Text),  # TM. | KT. | Q. | TL. | TUQ.
    sa.Column("signer_position", sa.Text),  # SignerInfo.Position: "CHỦ TỊCH"
    sa.Column("signer_full_name", sa.Text),  # SignerInfo.FullName
    sa.Column("to_organs", JSONType),  # To: the Nơi nhận list, JSON array of strings
    # what bcparse needs to give the Report back (load_reports) and to judge the import
    sa.Column("header_json", JSONType, nullable=False),  # the whole Header model
    sa.Column("closing_json", JSONType, nullable=False),  # the whole Closing model
    sa.Column("extra_json", JSONType, nullable=False),  # numbering_issues, choices, warnings
    sa.Column("text_view", sa.Text, nullable=False),  # the text every line/col points into
    sa.Column("section_count", sa.Integer, nullable=False),
    sa.Column("figure_count", sa.Integer, nullable=False),
    sa.Column("bcparse_version", sa.Text, nullable=False),
    sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
)
sa.Index("ix_reports_issued_year", reports.c.issued_year)
sa.Index("ix_reports_source_path", reports.c.source_path)

sections = sa.Table(
    "sections",
    metadata,
    sa.Column("id", Id, primary_key=True, autoincrement=True),
    sa.Column("report_id", Id, sa.ForeignKey("reports.id", ondelete="CASCADE"), nullable=False),
    sa.Column("idx", sa.Integer, nullable=False),  # 0-based position in the report's section list
    sa.Column("number", sa.Text),  # "II", "1", "a", "1.1" as written
    sa.Column("marker", sa.Text, nullable=False),  # "II.", "1)", "PHẦN THỨ NHẤT"
    sa.Column("style", sa.Text, nullable=False),  # part | upper_alpha | roman | arabic | multi | lower_alpha
    sa.Column("level", sa.Integer, nullable=False),  # 1 = top
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("body", sa.Text),
    sa.Column("line", sa.Integer, nullable=False),
    sa.Column("end_line", sa.Integer, nullable=False),
    sa.Column("parent", sa.Integer),  # idx of the parent section, NULL at the top
    sa.Column("span_json", JSONType, nullable=False),
    sa.UniqueConstraint("report_id", "idx", name="uq_sections_report_idx"),
)

figures = sa.Table(
    "figures",
    metadata,
    sa.Column("id", Id, primary_key=True, autoincrement=True),
    sa.Column("report_id", Id, sa.ForeignKey("reports.id", ondelete="CASCADE"), nullable=False),
    sa.Column("idx", sa.Integer, nullable=False),  # 0-based, the order of `bcparse figures --all`
    sa.Column("key", sa.Text),  # "commune.households"; NULL for a generic quantity
    sa.Column("value_type", sa.Text),  # int | float | str | list | NULL (no value)
    sa.Column("value_num", Number),  # int and float values
    sa.Column("value_text", sa.Text),  # str values (and the exact digits of an int too large for value_num)
    sa.Column("value_json", JSONType),  # list values: JSON array of strings
    sa.Column("unit", sa.Text),
    sa.Column("qualifier", sa.Text),  # approx | gt | lt | none
    sa.Column("item", sa.Integer),  # a repeated record's 1-based place among those of its kind: gift[item].count (docs/figures.md)
    sa.Column("raw", sa.Text, nullable=False),
    sa.Column("line", sa.Integer, nullable=False),  # 1-based, in reports.text_view
    sa.Column("col", sa.Integer, nullable=False),
    sa.Column("length", sa.Integer, nullable=False),
    sa.Column("page", sa.Integer),  # .pdf page; .docx page when Word recorded it
    sa.Column("paragraph", sa.Integer),  # .docx body paragraph; .pdf paragraph on its page
    sa.Column("table_no", sa.Integer),  # .docx table, row and cell, when the figure sits in a table
    sa.Column("row_no", sa.Integer),
    sa.Column("cell_no", sa.Integer),
    sa.Column("kind", sa.Text),  # count | number | decimal | money | percent | rate | fraction | date | text | list
    sa.Column("rule", sa.Text),  # the grammar rule that produced it
    sa.Column("section", sa.Text),  # number path of the enclosing section: "II.4.a"
    sa.Column("derived", sa.Boolean, nullable=False),  # computed, not read (a gift total = count x unit value)
    # migration 3 (figures contract v2): NULL in rows stored before it (re-import to fill them)
    sa.Column("mode", sa.Text),  # result | target | plan | comparison
    sa.Column("confidence", sa.Text),  # high | medium | low (keyed figures)
    sa.Column("counted", sa.Text),  # the counted noun phrase ("hộ nghèo")
    sa.Column("subject", sa.Text),  # what the figure is said of ("toàn xã", "Đảng bộ")
    sa.Column("frame", sa.Text),  # total | change | part | characterisation | comparison | actual_plan
    sa.Column("plan_num", Number),  # an actual/plan pair "1.250/1.200 tấn": the plan (value_num is the actual)
    # migration 4 (issue 16): a figure read from a scan: NULL for a born-digital page's figures
    sa.Column("ocr_confidence", sa.Float),  # the lowest word confidence (0-100) of what it was read from
    sa.Column("ocr_json", JSONType),  # the whole Figure.ocr: confidence, page, box, corrections (docs/ocr.md)
    sa.UniqueConstraint("report_id", "idx", name="uq_figures_report_idx"),
)
sa.Index("ix_figures_key", figures.c.key)
sa.Index("ix_figures_report_line", figures.c.report_id, figures.c.line)

findings = sa.Table(
    "findings",
    metadata,
    sa.Column("id", Id, primary_key=True, autoincrement=True),
    sa.Column("report_id", Id, sa.ForeignKey("reports.id", ondelete="CASCADE")),  # NULL: no stored report
    sa.Column("scope", sa.Text, nullable=False),  # report (audit at import) | across (bcparse audit --db)
    sa.Column("code", sa.Text, nullable=False),
    sa.Column("severity", sa.Text, nullable=False),
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("file", sa.Text),
    sa.Column("line", sa.Integer),
    sa.Column("col", sa.Integer),
    sa.Column("keys", JSONType),  # JSON array: the keys of the figures involved, the first where it points
    sa.Column("values", JSONType),  # JSON array: their values, in the same order
    sa.Column("check_id", sa.Text),  # the grammar relation or built-in check that found it
    sa.Column("related", JSONType),  # JSON array of {file, line, col, key, value}: the other places involved
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)
sa.Index("ix_findings_report", findings.c.report_id)
sa.Index("ix_findings_code", findings.c.code)

finding_figures = sa.Table(
    "finding_figures",
    metadata,
    sa.Column("finding_id", Id, sa.ForeignKey("findings.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("figure_id", Id, sa.ForeignKey("figures.id", ondelete="CASCADE"), primary_key=True),
)
sa.Index("ix_finding_figures_figure", finding_figures.c.figure_id)

# ---- migration 2: every path a stored report was seen at (issue 11, item 4) ----------------------
report_paths = sa.Table(
    "report_paths",
    metadata,
    sa.Column("report_id", Id, sa.ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("path", sa.Text, primary_key=True),  # as given to `bcparse import` (or a folder's file)
    sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
)
sa.Index("ix_report_paths_path", report_paths.c.path)

#: tables holding a report's rows, children first (the order to delete them in)
REPORT_TABLES = ("finding_figures", "findings", "figures", "sections", "report_paths", "reports")


def _v1(conn: Connection) -> None:
    metadata.create_all(conn, tables=[reports, sections, figures, findings, finding_figures])


def _report_paths(conn: Connection) -> None:
    """Table report_paths, filled with each stored report's source_path. Idempotent (checkfirst),
    so that it can be renumbered when merged with other migrations."""
    metadata.create_all(conn, tables=[report_paths], checkfirst=True)
    conn.execute(
        report_paths.insert().from_select(
            ["report_id", "path", "first_seen_at", "last_seen_at"],
            sa.select(reports.c.id, reports.c.source_path, reports.c.imported_at, reports.c.imported_at).where(
                reports.c.source_path.is_not(None),
                ~sa.exists().where(report_paths.c.report_id == reports.c.id,
                                   report_paths.c.path == reports.c.source_path),
            ),
        )
    )


V2_FIGURE_COLUMNS = ("mode", "confidence", "counted", "subject", "frame", "plan_num")


def _figures_v2(conn: Connection) -> None:
    """The figures contract v2 columns (docs/figures.md). Idempotent: a database created at this
    version already has them from the table's definition."""
    have = {c["name"] for c in sa.inspect(conn).get_columns("figures")}
    for name in V2_FIGURE_COLUMNS:
        if name not in have:
            sql_type = figures.c[name].type.compile(dialect=conn.dialect)
            conn.execute(sa.text(f"ALTER TABLE figures ADD COLUMN {name} {sql_type}"))
    conn.execute(sa.text("CREATE INDEX IF NOT EXISTS ix_figures_key_mode ON figures (key, mode)"))


OCR_FIGURE_COLUMNS = ("ocr_confidence", "ocr_json")


def _figures_ocr(conn: Connection) -> None:
    """Figure.ocr, the OCR provenance of a figure read from a scan (docs/ocr.md), so that ``audit --db``
    finds BC501 again. Idempotent, as :func:`_figures_v2`; rows stored before it have NULL (a figure
    of a scan stored before it: re-import the scan to have it flagged)."""
    have = {c["name"] for c in sa.inspect(conn).get_columns("figures")}
    for name in OCR_FIGURE_COLUMNS:
        if name not in have:
            sql_type = figures.c[name].type.compile(dialect=conn.dialect)
            conn.execute(sa.text(f"ALTER TABLE figures ADD COLUMN {name} {sql_type}"))


#: version → (description, function applying it). Append only.
MIGRATIONS: dict[int, tuple[str, Callable[[Connection], None]]] = {
    1: ("reports, sections, figures, findings, finding_figures", _v1),
    2: ("report_paths: every path a stored report was seen at", _report_paths),
    3: ("figures: mode, confidence, counted, subject, frame (figures contract v2)", _figures_v2),
    4: ("figures: ocr_confidence, ocr_json (a scan's OCR provenance, audit BC501)", _figures_ocr),
}
SCHEMA_VERSION = max(MIGRATIONS)


def current_version(conn: Connection) -> int:
    """The database's schema version: 0 for an empty database."""
    if not sa.inspect(conn).has_table("schema_version"):
        return 0
    v = conn.execute(sa.select(sa.func.max(schema_version.c.version))).scalar()
    return int(v or 0)


def migrate(engine: sa.Engine) -> int:
    """Bring the database to :data:`SCHEMA_VERSION`; returns the version it was at."""
    with engine.begin() as conn:
        _lock(conn)
        start = current_version(conn)
        if start > SCHEMA_VERSION:
            raise DatabaseError(
                f"the database has schema version {start}, newer than this bcparse knows "
                f"({SCHEMA_VERSION}): upgrade bcparse"
            )
        if start == SCHEMA_VERSION:
            return start
        metadata.create_all(conn, tables=[schema_version])
        for version in range(start + 1, SCHEMA_VERSION + 1):
            description, apply = MIGRATIONS[version]
            apply(conn)
            conn.execute(
                schema_version.insert().values(version=version, description=description, applied_at=now())
            )
    return start


def _lock(conn: Connection) -> None:
    """Serialise concurrent migrations (SQLite: the write transaction already does)."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": 0x62637061727365})  # "bcparse"


def now() -> datetime:
    return datetime.now(UTC)
