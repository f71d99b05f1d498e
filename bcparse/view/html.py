"""One report as one self-contained HTML page: the report's text laid out as the report, every
figure highlighted where it was read, the audit's findings beside their lines (docs/view.md).

Everything comes from the pipeline's results: the :class:`~bcparse.models.Report` (its text view,
sections, numbering issues and figures with their spans), the audit's
:class:`~bcparse.audit.Finding` list, and, when there is one, the
:class:`~bcparse.document.Document` the report was read from (which lines are table cells, bold,
centred). A report loaded from a database has no Document: its lines are laid out as paragraphs.

The page loads nothing from anywhere (inline CSS and script, no font, a Content-Security-Policy
that forbids any request), so it works opened from a USB stick.

    from bcparse.view import render_html
    page = render_html(report, findings, document=doc)     # str: <!doctype html>…
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html import escape
from importlib import resources
from typing import TYPE_CHECKING, Any

from ..keys import MODE_LABELS, label
from ..numbers import format_vi

if TYPE_CHECKING:
    from ..audit import Finding
    from ..document import Block, Document
    from ..models import Figure, Report

__all__ = ["render_html", "figure_info"]

#: how a confidence and a qualifier read in the tooltip
CONFIDENCE_LABELS = {"high": "cao", "medium": "trung bình", "low": "thấp"}
QUALIFIER_LABELS = {"approx": "khoảng", "gt": "trên", "lt": "dưới", "none": "không có"}
#: the kinds the legend names (a figure of another kind is styled as "other")
KIND_LABELS = {
    "count": "số đếm", "number": "số", "decimal": "số thập phân", "money": "tiền", "percent": "phần trăm",
    "rate": "tỷ lệ", "fraction": "phân số", "date": "ngày tháng", "text": "chữ", "list": "danh sách",
}
SEVERITY_LABELS = {"error": "lỗi", "warning": "cảnh báo", "info": "ghi chú"}
NUMBERING_LABELS = {"repeated": "số lặp lại", "skipped": "số bị bỏ qua", "out_of_order": "số sai thứ tự"}


def _asset(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# what a figure shows
# ---------------------------------------------------------------------------------------------

def _value_text(v: Any) -> str:
    if isinstance(v, list):
        return "; ".join(map(str, v))
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, int | float):
        return format_vi(v)
    return "—" if v is None else str(v)


def _provenance(f: Figure, fmt: str) -> str:
    """Where in the file: page and paragraph of a .docx/.pdf, the table cell, the line of a .txt."""
    s = f.span
    parts: list[str] = []
    if s.page is not None:
        parts.append(f"trang {s.page}")
    if s.paragraph is not None:
        parts.append(f"đoạn {s.paragraph}")
    if s.table is not None:
        cell = f"bảng {s.table}"
        if s.row is not None:
            cell += f", hàng {s.row}"
        if s.cell is not None:
            cell += f", ô {s.cell}"
        parts.append(cell)
    where = f"dòng {s.line}, cột {s.col}"
    return where + (f" · {fmt}: " + ", ".join(parts) if parts else "")


def figure_info(f: Figure, fmt: str) -> dict[str, Any]:
    """What the page shows of a figure (its tooltip and its row of the figures table)."""
    value = _value_text(f.value)
    if f.plan is not None:
        value += f" / {_value_text(f.plan)} (kế hoạch)"
    return {
        "address": f.address,
        "key": f.key,
        "label": label(f.address) if f.address else "(số không gắn khóa)",
        "value": value,
        "unit": f.unit,
        "qualifier": QUALIFIER_LABELS.get(f.qualifier or "", None),
        "mode": f.mode,
        "mode_label": MODE_LABELS.get(f.mode, f.mode),
        "confidence": f.confidence,
        "confidence_label": CONFIDENCE_LABELS.get(f.confidence or "", None),
        "rule": f.rule,
        "kind": f.kind,
        "derived": f.derived,
        "raw": " ".join(f.raw.split()),
        "line": f.span.line,
        "col": f.span.col,
        "where": _provenance(f, fmt),
        "counted": f.counted,
        "subject": f.subject,
    }


# ---------------------------------------------------------------------------------------------
# the text of one line with its figures as nested marks
# ---------------------------------------------------------------------------------------------

@dataclass
class _Mark:
    fig: int  # index in the page's figure list
    start: int  # offsets in the text view
    end: int
    keyed: bool
    kind: str
    mode: str = "result"


@dataclass
class _Page:
    """What the page builds as it goes: the figures placed, the notes placed."""

    marks_by_line: dict[int, list[_Mark]] = field(default_factory=dict)
    placed: set[int] = field(default_factory=set)  # figures whose first mark was written
    notes_by_line: dict[int, list[tuple[int, Finding]]] = field(default_factory=dict)


def _kind_class(kind: str | None) -> str:
    return f"k-{kind}" if kind in KIND_LABELS else "k-other"


def _open_tag(m: _Mark, page: _Page) -> str:
    cls = ["fig" if m.keyed else "q", _kind_class(m.kind)]
    attrs = f' data-i="{m.fig}"'
    if m.fig not in page.placed:  # the figure's first piece: focusable, its anchor
        page.placed.add(m.fig)
        attrs += f' id="fig-{m.fig}" tabindex="0" aria-describedby="tip"'
    else:
        cls = ["cont" if m.keyed else "qcont", _kind_class(m.kind)]
    if m.mode != "result":  # a target, plan or comparison: framed, not a result
        cls.append("m-other")
    return f'<mark class="{" ".join(cls)}"{attrs}>'


def _line_html(text: str, start: int, marks: list[_Mark], page: _Page) -> str:
    """The line text (view offsets [start, start+len(text))) with its marks nested: a mark that
    crosses another, or the line end, is closed and reopened as a continuation piece. One sweep
    over the line's boundaries, keeping the marks open there (a line of thousands of numbers stays
    linear)."""
    end = start + len(text)
    spans = sorted(((max(m.start, start), min(m.end, end), m) for m in marks), key=lambda x: (x[0], -x[1], x[2].fig))
    points: dict[int, list[_Mark]] = {}  # zero-length: a point marker
    for s, e, m in spans:
        if s == e:
            points.setdefault(s, []).append(m)
    spans = [x for x in spans if x[0] < x[1]]
    bounds = sorted({start, end, *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    out: list[str] = []
    stack: list[tuple[int, int, _Mark]] = []
    active: list[tuple[int, int, _Mark]] = []  # the spans covering the current piece, outer first
    nxt = 0
    for a, b in zip(bounds, bounds[1:], strict=False):
        active = [x for x in active if x[1] > a]
        while nxt < len(spans) and spans[nxt][0] <= a:
            active.append(spans[nxt])
            nxt += 1
        active.sort(key=lambda x: (x[0], -x[1], x[2].fig))
        keep = 0
        while keep < len(stack) and keep < len(active) and stack[keep] is active[keep]:
            keep += 1
        out.append("</mark>" * (len(stack) - keep))
        del stack[keep:]
        for m in points.pop(a, []):
            out.append(_open_tag(m, page) + "</mark>")
        for x in active[keep:]:
            out.append(_open_tag(x[2], page))
            stack.append(x)
        out.append(escape(text[a - start:b - start], quote=False))
    out.append("</mark>" * len(stack))
    for p in sorted(points):  # at the line end (or an empty line)
        for m in points[p]:
            out.append(_open_tag(m, page) + "</mark>")
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# the page
# ---------------------------------------------------------------------------------------------

def _note_html(n: int, f: Finding) -> str:
    sev = f.severity
    return (f'<aside class="note sev-{sev}" id="F{n}" data-code="{escape(f.code)}" data-line="{f.line or 0}" '
            f'role="note" aria-label="{escape(f.code)}">'
            f'<a class="code" href="#find-{n}" title="{escape(SEVERITY_LABELS.get(sev, sev))}">{escape(f.code)}</a> '
            f'{escape(f.message)}</aside>')


class _Writer:
    def __init__(self, report: Report, document: Document | None, page: _Page) -> None:
        self.r = report
        self.idx = report.index
        self.page = page
        self.blocks: dict[int, Block] = {b.line: b for b in document.blocks} if document is not None else {}
        self.headings = {s.line: s for s in report.sections}
        type_span = report.header.spans.get("type")
        self.type_line = type_span.line if type_span is not None else None

    def line(self, n: int, tag: str = "p") -> str:
        text = self.idx.line_text(n)
        start = self.idx.line_start(n)
        b = self.blocks.get(n)
        cls = ["ln"]
        style = ""
        sec = self.headings.get(n)
        if sec is not None:
            tag = f"h{min(sec.level + 1, 6)}"
            cls.append(f"lvl{sec.level}")
        elif n == self.type_line:
            cls.append("doc-type")
        if b is not None:
            if b.bold:
                cls.append("b")
            if b.italic:
                cls.append("i")
            if b.align in ("center", "right", "justify"):
                style = f' style="text-align:{b.align}"'
        body = _line_html(text, start, self.page.marks_by_line.get(n, []), self.page)
        notes = "".join(_note_html(i, f) for i, f in self.page.notes_by_line.get(n, []))
        gut = f'<a class="lno" href="#L{n}" tabindex="-1" aria-label="dòng {n}">{n}</a>'
        return (f'<div class="line{" has-note" if notes else ""}" id="L{n}" data-line="{n}">{gut}'
                f'<{tag} class="{" ".join(cls)}"{style}>{body}</{tag}>{notes}</div>')

    def region(self, lines: Sequence[int]) -> str:
        """Lines in order, consecutive table cells gathered into tables."""
        out: list[str] = []
        i = 0
        while i < len(lines):
            n = lines[i]
            b = self.blocks.get(n)
            if b is None or b.kind != "cell" or b.source.table is None:
                if self.idx.line_text(n).strip() or n in self.page.notes_by_line:
                    out.append(self.line(n))
                i += 1
                continue
            table = b.source.table
            j = i
            cells: dict[tuple[int, int], list[int]] = {}
            while j < len(lines):
                bj = self.blocks.get(lines[j])
                if bj is None:  # a blank line inside a table: keep going
                    if j + 1 < len(lines) and (nb := self.blocks.get(lines[j + 1])) is not None and \
                            nb.kind == "cell" and nb.source.table == table:
                        j += 1
                        continue
                    break
                if bj.kind != "cell" or bj.source.table != table:
                    break
                cells.setdefault((bj.source.row or 0, bj.source.cell or 0), []).append(lines[j])
                j += 1
            out.append(self.table(cells))
            i = j
        return "".join(out)

    def table(self, cells: dict[tuple[int, int], list[int]]) -> str:
        rows: dict[int, dict[int, list[int]]] = {}
        for (r, c), ls in cells.items():
            rows.setdefault(r, {})[c] = ls
        width = max((max(cs) for cs in rows.values()), default=0)
        out = ['<div class="tablewrap"><table class="doc-table"><tbody>']
        for r in sorted(rows):
            out.append("<tr>")
            for c in range(1, width + 1):
                got = rows[r].get(c)
                out.append("<td>" + ("".join(self.line(n) for n in got) if got else "") + "</td>")
            out.append("</tr>")
        out.append("</tbody></table></div>")
        return "".join(out)


def _outline(report: Report) -> str:
    """The section tree as nested lists: a deeper level opens a list inside the previous item."""
    if not report.sections:
        return '<p class="muted">Không tìm thấy mục có đánh số.</p>'
    out = ['<ol class="outline">']
    levels: list[int] = []
    for s in report.sections:
        if not levels:
            levels.append(s.level)
        elif s.level > levels[-1]:
            out.append("<ol>")
            levels.append(s.level)
        else:
            out.append("</li>")
            while len(levels) > 1 and s.level < levels[-1]:
                out.append("</ol></li>")
                levels.pop()
        title = s.title if len(s.title) <= 90 else s.title[:88].rstrip() + "…"
        out.append(f'<li><a href="#L{s.line}">{escape(s.marker)} {escape(title)}</a>')
    out.append("</li>" + "</ol></li>" * (len(levels) - 1) + "</ol>")
    return "".join(out)


def _findings_list(notes: list[tuple[int, Finding]], source: str | None, placed: set[int]) -> str:
    if not notes:
        return '<p class="ok">Kiểm tra không có phát hiện nào.</p>'
    out = ['<ol class="findings">']
    for n, f in notes:
        where = f'<a href="#F{n}">dòng {f.line}</a>' if n in placed else f"dòng {f.line}" if f.line else "cả báo cáo"
        rel = ""
        if f.related:
            bits = []
            for x in f.related[:4]:
                same = x.file in (None, source)
                spot = f"dòng {x.line}" if x.line else ""
                name = "" if same else escape(x.file or "")
                link = f'<a href="#L{x.line}">{spot}</a>' if same and x.line else f"{name} {spot}".strip()
                bits.append(f"{escape(x.key or '')} {link}".strip())
            rel = ' <span class="rel">(liên quan: ' + "; ".join(bits) + ")</span>"
        out.append(f'<li id="find-{n}" class="sev-{f.severity}"><span class="code">{escape(f.code)}</span> '
                   f'{where}: {escape(f.message)}{rel}</li>')
    out.append("</ol>")
    return "".join(out)


def _numbering(report: Report) -> str:
    if not report.numbering_issues:
        return ""
    items = "".join(
        f'<li><a href="#L{i.line}">dòng {i.line}</a>: {escape(NUMBERING_LABELS.get(i.kind, i.kind))} '
        f"«{escape(i.found)}» (đáng lẽ «{escape(i.expected)}»)</li>" for i in report.numbering_issues)
    return (f'<section id="numbering" aria-labelledby="numbering-h"><h2 id="numbering-h">Số mục lặp lại hoặc '
            f'bị bỏ qua ({len(report.numbering_issues)})</h2><p class="muted">Giữ nguyên như văn bản, '
            f"không đánh số lại.</p><ul>{items}</ul></section>")


def _figures_table(infos: list[dict[str, Any]], keyed: list[bool]) -> str:
    cols = [("line", "Dòng", "num"), ("address", "Khóa", "text"), ("label", "Tên", "text"),
            ("value", "Giá trị", "text"), ("unit", "Đơn vị", "text"), ("mode_label", "Chế độ", "text"),
            ("confidence_label", "Tin cậy", "text"), ("raw", "Nguyên văn", "text")]
    head = "".join(f'<th scope="col" aria-sort="none"><button type="button" data-col="{i}" data-type="{t}">'
                   f"{escape(h)}</button></th>" for i, (_, h, t) in enumerate(cols))
    rows: list[str] = []
    for i, (info, k) in enumerate(zip(infos, keyed, strict=True)):
        cells = []
        for name, _, _ in cols:
            v = info.get(name)
            if name == "line":
                cells.append(f'<td data-v="{info["line"] * 100000 + info["col"]}"><a href="#fig-{i}">'
                             f'{info["line"]}:{info["col"]}</a></td>')
            else:
                cells.append(f"<td>{escape('' if v is None else str(v))}</td>")
        rows.append(f'<tr class="{"" if k else "unkeyed"}">' + "".join(cells) + "</tr>")
    return (f'<div class="tablewrap"><table id="figtable" class="sortable"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>")


def _legend(kinds: Iterable[str | None], quiet: bool, modes: bool) -> str:
    have = set(kinds)
    seen = [k for k in KIND_LABELS if k in have]
    items = "".join(f'<li><mark class="sample {_kind_class(k)}">{escape(KIND_LABELS[k])}</mark></li>' for k in seen)
    if modes:
        items += '<li><mark class="sample m-other">chỉ tiêu, kế hoạch, so sánh</mark></li>'
    if quiet:
        items += '<li><mark class="sample quiet">số không gắn khóa</mark></li>'
    return f'<ul class="legend" aria-label="Chú giải">{items}</ul>'


def _json_script(obj: Any) -> str:
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render_html(report: Report, findings: Sequence[Finding] = (), *, document: Document | None = None,
                all: bool = False, title: str | None = None) -> str:
    """The page of one report: its text as the report (``document`` gives tables and emphasis),
    every keyed figure highlighted (``all``: the other quantities too, quieter), each finding
    beside its line (findings of another file are left out), an outline, a sortable figures
    table and the repeated or skipped section numbers."""
    figs = report.figures(all=all)
    idx = report.index
    page = _Page()
    keyed: list[bool] = []
    infos: list[dict[str, Any]] = []
    unplaced: list[int] = []
    for i, f in enumerate(figs):
        infos.append(figure_info(f, report.format))
        keyed.append(f.key is not None)
        se = idx.span_of(f)
        if se is None:
            unplaced.append(i)
            continue
        s, e = se
        first, last = idx.line_of(s), idx.line_of(max(s, e - 1))
        m = _Mark(i, s, e, f.key is not None, f.kind or "other", f.mode)
        for n in range(first, last + 1):
            page.marks_by_line.setdefault(n, []).append(m)
    mine = [f for f in findings if f.file in (None, report.source)]
    notes = list(enumerate(mine, start=1))
    for n, fi in notes:
        if fi.line and 1 <= fi.line <= len(idx):
            page.notes_by_line.setdefault(fi.line, []).append((n, fi))
    w = _Writer(report, document, page)
    total = len(idx) if report.text else 0
    h_end = min(report.header.end_line, total)
    c_start = report.closing.start_line if report.closing.start_line and report.closing.start_line > h_end else total + 1
    header_lines = list(range(1, h_end + 1))
    body_lines = list(range(h_end + 1, min(c_start, total + 1)))
    closing_lines = list(range(c_start, total + 1))
    doc_html = ""
    if header_lines:
        doc_html += f'<header class="doc-header">{w.region(header_lines)}</header>'
    doc_html += f'<div class="doc-body">{w.region(body_lines)}</div>'
    if closing_lines:
        doc_html += f'<footer class="doc-closing">{w.region(closing_lines)}</footer>'
    if unplaced:
        chips = "".join(
            f'<li>{_open_tag(_Mark(i, 0, 0, keyed[i], figs[i].kind or "other"), page)}'
            f'{escape(infos[i]["raw"] or infos[i]["address"] or "")}</mark></li>' for i in unplaced)
        doc_html += (f'<section class="unplaced"><h2>Số không định vị được trong văn bản</h2>'
                     f"<ul>{chips}</ul></section>")

    h = report.header
    name = title or report.source or "báo cáo"
    heading = " ".join(x for x in (h.type, h.subject) if x) or name
    n_keyed = sum(keyed)
    counts = (f"{n_keyed} số liệu có khóa" + (f", {len(figs) - n_keyed} số khác" if all else "")
              + f", {len(mine)} phát hiện, {len(report.sections)} mục")
    meta = " · ".join(escape(x) for x in (
        report.source or "", report.format, f"mẫu báo cáo {report.grammar or '(không có)'}", counts) if x)
    data = {"figures": infos, "keyed": keyed}
    css, js = _asset("page.css"), _asset("page.js")
    return f"""<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="bcparse html">
<link rel="icon" href="data:,">
<title>{escape(name)} — bcparse</title>
<style>{css}</style>
</head>
<body>
<a class="skip" href="#doc">Đến văn bản báo cáo</a>
<header class="top">
<h1>{escape(heading)}</h1>
<p class="meta">{meta}</p>
{_legend((f.kind for f in figs), all, any(f.mode != "result" for f in figs))}
</header>
<div class="layout">
<nav id="nav" aria-label="Mục lục">
<h2>Mục lục</h2>
<ul class="jump"><li><a href="#findings">Phát hiện ({len(mine)})</a></li><li><a href="#doc">Văn bản</a></li><li><a href="#figures">Bảng số liệu</a></li></ul>
{_outline(report)}
</nav>
<main>
<section id="findings" aria-labelledby="findings-h"><h2 id="findings-h">Phát hiện khi kiểm tra ({len(mine)})</h2>
{_findings_list(notes, report.source, {n for ns in page.notes_by_line.values() for n, _ in ns})}</section>
{_numbering(report)}
<article id="doc" class="report" aria-label="Văn bản báo cáo">{doc_html}</article>
<section id="figures" aria-labelledby="figures-h"><h2 id="figures-h">Bảng số liệu ({len(figs)})</h2>
<p class="muted">Bấm tiêu đề cột để sắp xếp; bấm vị trí để đến số trong văn bản.</p>
{_figures_table(infos, keyed)}</section>
</main>
</div>
<div id="tip" role="tooltip" hidden></div>
<script type="application/json" id="figdata">{_json_script(data)}</script>
<script>{js}</script>
</body>
</html>
"""
