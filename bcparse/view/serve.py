"""The database in a browser, through datasette (the optional extra ``web``; docs/view.md).

:func:`build` makes the datasette instance for a SQLite file written by ``bcparse import``:

- metadata in Vietnamese (table and column titles, and the figure keys' labels from
  :mod:`bcparse.keys`, shown beside each key and queryable in the ``tu_khoa`` database);
- facets: reports by commune (``place``, ``organ_name``), year and grammar; figures by key, mode
  and confidence; findings by code and severity;
- canned queries: a figure that differs between two reports of the same commune and period,
  findings by code, gift totals by donor;
- ``/-/bcparse/report/ID``: the report's HTML page (:func:`bcparse.view.html.render_html`), made
  on demand from the stored report and its stored findings; every figure row links to it at its
  line (``#L12``), and so does every value that is such a path (the canned queries' ``view``).

Datasette reads a database read-only; this module writes nothing to it.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
from pathlib import Path
from typing import Any

from datasette import hookimpl  # extra: web (commands/serve.py checked it is installed)
from datasette.app import Datasette  # extra: web
from datasette.utils.asgi import Response  # extra: web
from markupsafe import Markup, escape  # extra: web

from ..keys import catalogue, label

#: the path of a report's HTML page (``#L<line>`` goes to a line)
VIEW_PATH = "/-/bcparse/report/"
KEYS_DB = "tu_khoa"

_COMMUNE = "COALESCE((SELECT n.value_text FROM figures n WHERE n.report_id = r.id AND n.key = 'commune.name' " \
           "LIMIT 1), r.place)"

QUERIES: dict[str, dict[str, Any]] = {
    "figure_differs_same_commune_period": {
        "title": "Một số liệu khác nhau giữa hai báo cáo của cùng một xã, cùng kỳ",
        "description": "A figure that differs between two reports of the same commune and period (the same "
                       "key, read as a result, in two reports of the same commune and year; the document's "
                       "own number, date and references left out). Open either report at the line with "
                       "the view links.",
        "sql": f"""WITH f AS (
  SELECT r.id AS report_id, {_COMMUNE} AS commune, r.issued_year AS year, r.source_path,
         x.key, x.item, x.line, COALESCE(CAST(x.value_num AS TEXT), x.value_text) AS value, x.unit
  FROM figures x JOIN reports r ON r.id = x.report_id
  WHERE x.key IS NOT NULL AND COALESCE(x.mode, 'result') = 'result' AND x.item IS NULL
    AND x.key NOT LIKE 'doc.%' AND x.key NOT LIKE 'ref.%'
)
SELECT a.commune, a.year, a.key, a.value AS value_a, a.unit AS unit_a, a.source_path AS report_a,
       '{VIEW_PATH}' || a.report_id || '#L' || a.line AS view_a,
       b.value AS value_b, b.unit AS unit_b, b.source_path AS report_b,
       '{VIEW_PATH}' || b.report_id || '#L' || b.line AS view_b
FROM f a JOIN f b ON a.commune = b.commune AND a.year = b.year AND a.key = b.key AND a.report_id < b.report_id
WHERE a.value <> b.value
ORDER BY a.commune, a.year, a.key""",
    },
    "findings_by_code": {
        "title": "Phát hiện theo mã",
        "description": "Findings by code: how many of each, in how many reports (docs/audit.md).",
        "sql": """SELECT code, severity, COUNT(*) AS findings, COUNT(DISTINCT report_id) AS reports,
       MIN(message) AS example
FROM findings GROUP BY code, severity ORDER BY code""",
    },
    "gift_totals_by_donor": {
        "title": "Tổng giá trị quà tặng theo nhà tài trợ",
        "description": "Gift totals by donor (and year): the fields of one gift share report_id and item.",
        "sql": """SELECT COALESCE(d.value_text, '(không rõ)') AS donor, r.issued_year AS year,
       COUNT(*) AS gifts, SUM(t.value_num) AS total_vnd
FROM figures t
JOIN reports r ON r.id = t.report_id
LEFT JOIN figures d ON d.report_id = t.report_id AND d.item = t.item AND d.key = 'gift.donor'
WHERE t.key = 'gift.total_vnd'
GROUP BY COALESCE(d.value_text, '(không rõ)'), r.issued_year
ORDER BY total_vnd DESC""",
    },
}

REPORT_COLUMNS = {
    "source_path": "Tệp", "format": "Định dạng", "grammar": "Mẫu báo cáo (grammar)", "type_name": "Tên loại",
    "code_number": "Số", "code_notation": "Ký hiệu", "issued_date": "Ngày ban hành", "issued_year": "Năm",
    "organ_name": "Cơ quan ban hành", "place": "Địa danh (xã)", "subject": "Trích yếu",
    "signer_position": "Chức vụ người ký", "signer_full_name": "Người ký", "figure_count": "Số số liệu",
    "section_count": "Số mục",
}
FIGURE_COLUMNS = {
    "report_id": "Báo cáo", "key": "Khóa (và tên tiếng Việt)", "value_num": "Giá trị (số)",
    "value_text": "Giá trị (chữ)", "unit": "Đơn vị", "qualifier": "Định tính (khoảng, trên, dưới)",
    "item": "Bản ghi thứ", "raw": "Nguyên văn", "line": "Dòng (mở báo cáo tại dòng này)", "col": "Cột",
    "page": "Trang", "paragraph": "Đoạn", "kind": "Loại số", "rule": "Quy tắc", "section": "Mục",
    "mode": "Chế độ (kết quả, chỉ tiêu, kế hoạch, so sánh)", "confidence": "Độ tin cậy",
}
FINDING_COLUMNS = {
    "report_id": "Báo cáo", "scope": "Phạm vi", "code": "Mã", "severity": "Mức độ", "message": "Nội dung",
    "line": "Dòng", "col": "Cột",
}


def metadata(db_name: str) -> dict[str, Any]:
    """The datasette metadata: Vietnamese titles, column descriptions, facets, canned queries."""
    return {
        "title": "bcparse: báo cáo UBND",
        "description": "Báo cáo, số liệu và phát hiện kiểm tra do `bcparse import` lưu. Mỗi số liệu dẫn tới "
                       "trang báo cáo tại đúng dòng của nó.",
        "databases": {
            db_name: {
                "title": "Cơ sở dữ liệu báo cáo",
                "tables": {
                    "reports": {"title": "Báo cáo", "label_column": "source_path",
                                "facets": ["place", "issued_year", "grammar", "organ_name"],
                                "columns": REPORT_COLUMNS},
                    "figures": {"title": "Số liệu", "facets": ["key", "mode", "confidence"],
                                "columns": FIGURE_COLUMNS},
                    "findings": {"title": "Phát hiện kiểm tra", "facets": ["code", "severity"],
                                 "columns": FINDING_COLUMNS},
                    "sections": {"title": "Mục của báo cáo"},
                    "report_paths": {"title": "Các đường dẫn của báo cáo"},
                    "finding_figures": {"title": "Số liệu của phát hiện"},
                    "schema_version": {"hidden": True},
                },
                "queries": QUERIES,
            },
            KEYS_DB: {
                "title": "Từ khóa số liệu",
                "description": "Mỗi khóa số liệu, tên tiếng Việt và mô tả (bcparse.keys; `bcparse keys`).",
                "tables": {"keys": {"title": "Khóa", "facets": ["grammar"],
                                    "columns": {"key": "Khóa", "label": "Tên tiếng Việt", "description": "Mô tả",
                                                "grammar": "Mẫu báo cáo khai báo"}}},
            },
        },
    }


def _load_page(db_path: str, report_id: int) -> str | None:
    """The HTML page of a stored report, from its stored rows and findings (no parsing again)."""
    import sqlalchemy as sa

    from ..audit import Finding
    from ..store.reader import read_reports
    from ..store.schema import findings as t_findings
    from .html import render_html

    uri = "file:" + Path(db_path).resolve().as_posix() + "?mode=ro"
    engine = sa.create_engine("sqlite://", creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False))
    try:
        with engine.connect() as conn:
            got = read_reports(conn, [report_id])
            if not got:
                return None
            _, report = got[0]
            rows = conn.execute(sa.select(t_findings).where(t_findings.c.report_id == report_id)
                                .order_by(t_findings.c.line, t_findings.c.col, t_findings.c.id)).mappings()
            found = [Finding(code=r["code"], severity=r["severity"], message=r["message"], file=None,
                             line=r["line"], col=r["col"], keys=list(r["keys"] or []),
                             values=list(r["values"] or []), check=r["check_id"], related=list(r["related"] or []))
                     for r in rows]
    finally:
        engine.dispose()
    return render_html(report, found, title=report.source)


class Plugin:
    """The datasette hooks of ``bcparse serve``: the report pages and the links to them."""

    __name__ = "bcparse.view.serve"  # datasette lists plugins by their module's name

    def __init__(self, db_path: str, db_name: str) -> None:
        self.db_path = db_path
        self.db_name = db_name

    @hookimpl
    def register_routes(self, datasette: Any) -> list[tuple[str, Any]]:
        async def report_page(request: Any) -> Any:
            rid = int(request.url_vars["id"])
            page = await asyncio.to_thread(_load_page, self.db_path, rid)
            if page is None:
                return Response.html(f"<!doctype html><html lang=vi><meta charset=utf-8><title>404</title>"
                                     f"<p>Không có báo cáo {rid}.</p>", status=404)
            return Response.html(page)

        return [(r"^/-/bcparse/report/(?P<id>\d+)$", report_page)]

    @hookimpl
    def render_cell(self, row: Any, value: Any, column: str, table: str | None, database: str,
                    datasette: Any) -> Any:
        if isinstance(value, str) and value.startswith(VIEW_PATH):
            return Markup(f'<a href="{escape(value)}">xem</a>')
        if database != self.db_name:
            return None
        if table == "figures" and column == "line" and value is not None:
            try:
                rid = row["report_id"]
            except (IndexError, KeyError):
                return None
            if isinstance(rid, dict):  # a foreign key, expanded to {value, label}
                rid = rid.get("value")
            return Markup(f'<a href="{VIEW_PATH}{int(rid)}#L{int(value)}" title="mở báo cáo tại dòng này">'
                          f"{int(value)}</a>")
        if table == "reports" and column == "source_path" and value is not None:
            try:
                rid = row["id"]
            except (IndexError, KeyError):
                return None
            return Markup(f'{escape(value)} <a href="{VIEW_PATH}{int(rid)}">(xem báo cáo)</a>')
        if column == "key" and isinstance(value, str) and value:
            name = label(value)
            if name != value:
                return Markup(f"{escape(value)}<br><small>{escape(name)}</small>")
        return None


def write_keys_db(folder: str) -> str:
    """A small SQLite file ``tu_khoa.db`` in ``folder``: every figure key with its Vietnamese label
    and description (:func:`bcparse.keys.catalogue`), served beside the database."""
    path = os.path.join(folder, KEYS_DB + ".db")
    con = sqlite3.connect(path)
    try:
        with con:
            con.execute("CREATE TABLE keys (key TEXT PRIMARY KEY, label TEXT, description TEXT, grammar TEXT)")
            con.executemany("INSERT INTO keys VALUES (?, ?, ?, ?)",
                            [(k.key, k.label, k.description, k.grammars[0] if k.grammars else None)
                             for k in catalogue().values()])
    finally:
        con.close()
    return path


def build(db_path: str, keys_db: str, *, immutable: bool = False, settings: dict[str, Any] | None = None) -> Any:
    """The datasette instance (an ASGI app: ``build(path, keys).app()``) for a SQLite file of
    bcparse and the key vocabulary file made by :func:`write_keys_db`."""
    from datasette.plugins import pm  # extra: web

    name = Path(db_path).stem
    for old in [p for p in pm.get_plugins() if isinstance(p, Plugin)]:
        pm.unregister(old)
    pm.register(Plugin(os.fspath(db_path), name), name="bcparse")  # before the app is made (ds.client makes one)
    return Datasette(files=[] if immutable else [db_path], immutables=[db_path, keys_db] if immutable else [keys_db],
                     metadata=metadata(name), settings=settings or {})
