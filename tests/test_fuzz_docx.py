"""Issue 11, item 20: in a .docx, every figure's span points at its raw text.

A line feed or carriage return typed inside ``w:t`` (real files have them) used to put a line
break into a block's text, so every later figure's line was off by one and a header figure's
raw became a bare newline. Small .docx files are built from report lines with line feeds, CRs,
CRLFs and tabs inside runs, read, and every figure checked: ``report.text`` at its span is its
raw text, and its line:col is where that text is.
"""

from __future__ import annotations

import sys
from pathlib import Path
from xml.sax.saxutils import escape

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bcparse
from bcparse.models import Report
from bcparse.render.text import line_starts, offset_of_span

sys.path.insert(0, str(Path(__file__).resolve().parent / "data" / "docx"))
from builders import p, package  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
LINES = [
    ln.strip()
    for ln in (ROOT / "samples" / "binh-thanh-doi-ngoai-2024.txt").read_text(encoding="utf-8").splitlines()
    if ln.strip() and len(ln) < 400
]
MEMBERS = next(ln for ln in LINES if "tổng số đảng viên là 280" in ln)  # party.members, at the end
# what may be typed inside a w:t: CR goes in as &#13; (a literal CR is read as LF by XML)
INSIDE = st.sampled_from(["\n", "&#13;", "&#13;\n", "\n\n", "\t", " "])


def run_xml(text: str, inserts: list[tuple[int, str]]) -> str:
    """One w:t holding ``text`` with the given characters inserted (positions into ``text``)."""
    out = []
    pos = 0
    for at, what in sorted(inserts):
        at = min(at, len(text))
        out.append(escape(text[pos:at]))
        out.append(what)
        pos = at
    out.append(escape(text[pos:]))
    return f'<w:r><w:t xml:space="preserve">{"".join(out)}</w:t></w:r>'


def assert_spans_point_at_raw(r: Report) -> None:
    starts = line_starts(r.text)
    for f in r.figure_list:
        a = offset_of_span(starts, f.span)
        assert r.text[a : a + f.span.length] == f.raw, (f.key, f.span, f.raw)
        assert f.raw.strip(), (f.key, f.raw)
        line = r.text.count("\n", 0, a) + 1
        col = a - (r.text.rfind("\n", 0, a) + 1) + 1
        assert (line, col) == (f.span.line, f.span.col), (f.key, f.span, line, col)


@st.composite
def documents(draw: st.DrawFn) -> str:
    """The body XML of a small report (package() makes the .docx: a failing example stays readable)."""
    start = draw(st.integers(0, len(LINES) - 12))
    count = draw(st.integers(3, 12))
    paras = []
    for text in LINES[start : start + count]:
        k = draw(st.integers(0, 3))
        inserts = [(draw(st.integers(0, len(text))), draw(INSIDE)) for _ in range(k)]
        paras.append(f"<w:p>{run_xml(text, inserts)}</w:p>")
    paras.append(f"<w:p>{run_xml(MEMBERS, [(draw(st.integers(0, 40)), draw(INSIDE))])}</w:p>")
    return p(LINES[0]) + "".join(paras)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_item20_docx_spans_point_at_their_raw_text_with_line_ends_inside_runs(body: str) -> None:
    data = package(body)
    r = bcparse.parse(data)
    assert_spans_point_at_raw(r)
    blocks = bcparse.read(data).blocks
    assert r.text.count("\n") + 1 == len(blocks) + sum(b.gap for b in blocks)  # a block is one line
    assert "\r" not in r.text
    assert r.figure_list


def test_item20_a_line_feed_inside_w_t_is_a_space_and_later_figures_keep_their_line() -> None:
    body = (
        p("UBND XÃ BÌNH THÀNH")
        + '<w:p><w:r><w:t xml:space="preserve">Kết&#13;\nquả\nhoạt động đối ngoại</w:t></w:r></w:p>'
        + p("Có tổng số đảng viên là 280 trong đó đảng viên chính thức là 266 đảng viên.")
    )
    r = bcparse.parse(package(body))
    assert r.text.splitlines()[1] == "Kết quả hoạt động đối ngoại"
    members = r.get("party.members")
    assert members is not None and members.value == 280
    assert (members.span.line, members.span.col) == (3, 25)
    assert_spans_point_at_raw(r)
