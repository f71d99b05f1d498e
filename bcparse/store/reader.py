"""Reading stored reports back as validated :class:`bcparse.models.Report` objects."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from ..elements import OcrProvenance
from ..models import Closing, Figure, GrammarChoice, Header, NumberingIssue, Report, Section, Span
from .schema import figures, reports, sections


def figure_value(row: Mapping[Any, Any]) -> Any:
    """Inverse of :func:`bcparse.store.writer.figure_values`."""
    t = row["value_type"]
    if t == "int":
        return int(row["value_text"]) if row["value_text"] is not None else int(row["value_num"])
    if t == "float":
        v = row["value_num"]
        return float(v) if not isinstance(v, Decimal) else float(str(v))
    if t == "str":
        return row["value_text"]
    if t == "list":
        return list(row["value_json"] or [])
    return None


def _figure(row: RowMapping) -> Figure:
    return Figure(
        key=row["key"], value=figure_value(row), unit=row["unit"], qualifier=row["qualifier"], item=row["item"],
        raw=row["raw"],
        span=Span(line=row["line"], col=row["col"], length=row["length"], page=row["page"],
                  paragraph=row["paragraph"], table=row["table_no"], row=row["row_no"], cell=row["cell_no"]),
        kind=row["kind"], rule=row["rule"], section=row["section"], derived=bool(row["derived"]),
        mode=row["mode"] or "result", confidence=row["confidence"], counted=row["counted"],
        subject=row["subject"], frame=row["frame"], plan=_plan(row["plan_num"]),
        ocr=OcrProvenance.model_validate(row["ocr_json"]) if row["ocr_json"] is not None else None,
    )


def _plan(v: object) -> int | float | None:
    """A stored plan value as the figure had it (PostgreSQL's numeric comes back as a Decimal)."""
    if v is None:
        return None
    f = float(v)  # type: ignore[arg-type]
    return int(f) if f.is_integer() else f


def _section(row: RowMapping) -> Section:
    return Section(
        number=row["number"], marker=row["marker"], style=row["style"], level=row["level"], title=row["title"],
        body=row["body"], line=row["line"], end_line=row["end_line"], parent=row["parent"],
        span=Span.model_validate(row["span_json"]),
    )


def _report(row: RowMapping, secs: list[Section], figs: list[Figure]) -> Report:
    extra = row["extra_json"] or {}
    return Report(
        source=row["source_path"], format=row["format"], grammar=row["grammar"],
        header=Header.model_validate(row["header_json"]), closing=Closing.model_validate(row["closing_json"]),
        sections=secs, figures=figs,
        numbering_issues=[NumberingIssue.model_validate(i) for i in extra.get("numbering_issues", [])],
        choices=[GrammarChoice.model_validate(c) for c in extra.get("choices", [])],
        warnings=list(extra.get("warnings", [])), text=row["text_view"],
    )


def read_reports(conn: Connection, ids: Iterable[int] | None = None) -> list[tuple[int, Report]]:
    """(id, Report) for the given report ids (default: all), in id order."""
    q = sa.select(reports).order_by(reports.c.id)
    qs = sa.select(sections).order_by(sections.c.report_id, sections.c.idx)
    qf = sa.select(figures).order_by(figures.c.report_id, figures.c.idx)
    if ids is not None:
        wanted = list(ids)
        q = q.where(reports.c.id.in_(wanted))
        qs = qs.where(sections.c.report_id.in_(wanted))
        qf = qf.where(figures.c.report_id.in_(wanted))
    secs: dict[int, list[Section]] = {}
    for row in conn.execute(qs).mappings():
        secs.setdefault(row["report_id"], []).append(_section(row))
    figs: dict[int, list[Figure]] = {}
    for row in conn.execute(qf).mappings():
        figs.setdefault(row["report_id"], []).append(_figure(row))
    return [(row["id"], _report(row, secs.get(row["id"], []), figs.get(row["id"], [])))
            for row in conn.execute(q).mappings()]


def read_findings(conn: Connection, scope: str = "report") -> list[dict[str, Any]]:
    """Stored audit findings of ``scope`` ("report": found at import; "across": by ``audit --db``) as
    dicts of the :class:`bcparse.audit.Finding` fields, in report id order, then line, col, code."""
    from .schema import findings

    q = sa.select(findings).where(findings.c.scope == scope).order_by(
        findings.c.report_id, findings.c.line, findings.c.col, findings.c.code, findings.c.id)
    return [{"code": row["code"], "severity": row["severity"], "message": row["message"], "file": row["file"],
             "line": row["line"], "col": row["col"], "keys": list(row["keys"] or []),
             "values": list(row["values"] or []), "check": row["check_id"], "related": list(row["related"] or [])}
            for row in conn.execute(q).mappings()]
