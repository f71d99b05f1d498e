"""Rendering: the text round trip is the identity, edits are local and in the source's own style,
reports built from data parse back to that data, and .docx output follows Nghị định 30/2020 (and
a .docx source is edited in place, run by run).
"""

from __future__ import annotations

import importlib.util
import io
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bcparse
from bcparse.cli import main
from bcparse.errors import ValidationError
from bcparse.models import Report
from bcparse.render import apply_edit, build_text, edit_docx, new_report, render_text, set_figure, write_docx
from bcparse.render.text import line_starts, offset_of_span

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "binh-thanh-doi-ngoai-2024.txt"
SAMPLE_DOCX = ROOT / "samples" / "binh-thanh-doi-ngoai-2024.docx"
SOURCES = sorted(
    [p for p in (ROOT / "samples").iterdir() if p.suffix in (".txt", ".docx", ".pdf")]
    + list((ROOT / "tests" / "data" / "real").glob("*.txt"))
    + [ROOT / "tests" / "data" / "nghi-dinh-30-2020-ND-CP.docx"]  # a real Word file (tests/data/real-docx-README.md)
)
HAS_DOCX_READER = importlib.util.find_spec("bcparse.readers.docx") is not None
needs_docx_reader = pytest.mark.skipif(not HAS_DOCX_READER, reason="the .docx reader (bcparse/readers/docx/) has not landed")

_parsed: dict[Path, Report] = {}


def parsed(p: Path) -> Report:
    if p not in _parsed:
        _parsed[p] = bcparse.parse(p)
    return _parsed[p]


def figures_of(r: Report) -> set[tuple[Any, ...]]:
    return {(f.key, f.item, json.dumps(f.value, ensure_ascii=False), f.qualifier) for f in r.figures()}


def assert_spans_point_at_raw(r: Report) -> None:
    starts = line_starts(r.text)
    for f in r.figure_list:
        a = offset_of_span(starts, f.span)
        assert r.text[a : a + f.span.length] == f.raw, (f.key, f.span, f.raw)
        if f.num_start is not None and f.num_end is not None:
            assert a <= f.num_start <= f.num_end <= a + f.span.length, (f.key, f.num_start, f.num_end)


def only_change(old: str, new: str) -> tuple[int, str, str]:
    """(offset, removed, inserted) of the single stretch where two texts differ."""
    i = 0
    while i < min(len(old), len(new)) and old[i] == new[i]:
        i += 1
    j = 0
    while j < min(len(old), len(new)) - i and old[-1 - j] == new[-1 - j]:
        j += 1
    return i, old[i : len(old) - j], new[i : len(new) - j]


# ---- 1. the round trip is the identity ---------------------------------------------------------------

@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_unchanged_report_renders_byte_identical_to_the_text_view(path: Path) -> None:
    r = parsed(path)
    assert render_text(r) == bcparse.read(path).text
    # and through the Report JSON of `bcparse parse --json`
    again = Report.model_validate_json(r.model_dump_json(by_alias=True))
    assert render_text(again) == r.text


@pytest.mark.parametrize("path", [p for p in SOURCES if p.parent.name == "samples"], ids=lambda p: p.name)
def test_cli_render_equals_cli_text(path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    """A .txt renders as its own bytes (item 11, tests/test_trust_render.py); .docx/.pdf as the view."""
    assert main(["text", str(path)]) == 0
    want = capsysbinary.readouterr().out
    assert main(["render", str(path)]) == 0
    assert capsysbinary.readouterr().out == (path.read_bytes() if path.suffix == ".txt" else want)


# ---- 2. edits: local, in the source's own style ------------------------------------------------------

@pytest.mark.parametrize(
    ("key", "value", "old", "new"),
    [
        ("commune.ethnic_groups", 9, "08", "09"),  # zero padding kept
        ("party.cells_school", 12, "03", "12"),
        ("commune.households", 1430, "1.422", "1.430"),  # thousands dot kept
        ("commune.households", 999, "1.422", "999"),
        ("commune.population", 12345, "5.387", "12.345"),
        ("party.members", 281, "280", "281"),
        ("gift[3].unit_value_vnd", 600000, "500.000", "600.000"),  # "500.000đồng/xuất": unit untouched
        ("gift[6].unit_value_vnd", "2.000.000", "1.950.000", "2.000.000"),  # "1.950.000 đ/xuất"
        ("commune.area_ha", 300.5, "284,62", "300,50"),  # decimal comma, as many decimals as written
        ("commune.ethnic_minority_pct", "55,5", "50", "55,5"),  # "trên 50%": the qualifier stays
        ("delegations.district_agencies", 46, "45", "46"),
        ("foreign.outbound", 2, "không có", "2"),  # the explicit zero written as a number
        ("doc.date", "2024-11-20", "ngày tháng 11", "ngày 20 tháng 11"),
        ("doc.number", 215, "Số: /", "Số: 215/"),
        ("ref[2].date", "2024-01-11", "10/01/2024", "11/01/2024"),
    ],
)
def test_edit_changes_only_the_number_in_its_own_style(key: str, value: Any, old: str, new: str) -> None:
    r = parsed(SAMPLE)
    r2 = set_figure(r, key, value)
    pos, removed, inserted = only_change(r.text, r2.text)
    # the one stretch that changed lies in an occurrence of `old`, which now reads `new`
    p = next(m.start() for m in re.finditer(re.escape(old), r.text) if m.start() <= pos <= m.end())
    assert r2.text == r.text[:p] + new + r.text[p + len(old):]
    assert r.text == parsed(SAMPLE).text, "the original report is left alone"
    assert_spans_point_at_raw(r2)
    if "[" not in key and key != "doc.number":
        assert r2.value(key) == bcparse.parse_text(r2.text).value(key)


def test_edit_in_millions_stays_in_millions_and_units_keep_their_spelling() -> None:
    text = (SAMPLE.read_text(encoding="utf-8").replace(
        "trị giá 1.000.000 đồng/xuất", "trị giá 1,5 triệu đồng/xuất"))
    r = bcparse.parse_text(text)
    assert r.items("gift")[1]["gift.unit_value_vnd"].value == 1_500_000
    for value, written in ((2_000_000, "2 triệu đồng/xuất"), (2_500_000, "2,5 triệu đồng/xuất"),
                           (1_250_000, "1,25 triệu đồng/xuất")):
        r2 = set_figure(r, "gift[2].unit_value_vnd", value)
        _, removed, inserted = only_change(r.text, r2.text)
        assert written in r2.text and "1,5 triệu" not in r2.text
        assert len(removed) <= 3 and "triệu" not in inserted


def test_later_spans_on_the_same_line_shift_and_nothing_else_moves() -> None:
    r = parsed(SAMPLE)
    r2 = set_figure(r, "commune.households", 999)  # "1.422" → "999": two characters shorter
    pop, pop2 = r.get("commune.population"), r2.get("commune.population")
    assert pop is not None and pop2 is not None
    assert pop2.span.line == pop.span.line and pop2.span.col == pop.span.col - 2
    assert pop2.num_start == pop.num_start - 2  # type: ignore[operator]
    members, members2 = r.get("party.members"), r2.get("party.members")
    assert members is not None and members2 is not None
    # another line: its line and column are untouched, its offset moves with the text before it
    assert (members2.span.line, members2.span.col, members2.span.length) == \
        (members.span.line, members.span.col, members.span.length)
    assert members2.span.offset == members.span.offset - 2  # type: ignore[operator]
    assert members2.num_start == members.num_start - 2  # type: ignore[operator]  # offsets are global
    assert_spans_point_at_raw(r2)
    assert [(s.span.line, s.span.col, s.span.length) for s in r2.sections] == \
        [(s.span.line, s.span.col, s.span.length) for s in r.sections]


def test_every_figure_of_every_text_can_be_edited_locally() -> None:
    """Each numeric keyed figure of the corpus, set to another value: one stretch of one line
    changes, every span still points at its raw text, and the text reads the new value."""
    checked = 0
    for path in SOURCES:
        if path.suffix != ".txt":
            continue
        r = parsed(path)
        for f in r.figures():
            if f.derived or (f.rule or "").endswith(".listed") or f.kind not in (
                    "count", "number", "money", "rate", "percent", "decimal"):
                continue
            if not isinstance(f.value, int | float) or f.qualifier == "none":
                continue
            key = f.key or ""
            if f.item is not None:
                rec = key.split(".", 1)[0]
                items = sorted({g.item for g in r.figure_list if g.item is not None and (g.key or "").startswith(rec + ".")})
                key = f"{rec}[{items.index(f.item) + 1}].{key.split('.', 1)[1]}"
            elif sum(1 for g in r.figure_list if g.address == f.address) > 1:
                continue
            else:
                key = f.address or key  # "poverty.rate_pct@target" for a target
            value = int(f.value) + 3 if isinstance(f.value, int) else round(f.value + 1.25, 2)
            r2 = set_figure(r, key, value)
            pos, removed, inserted = only_change(r.text, r2.text)
            assert "\n" not in removed + inserted
            assert r.text.count("\n") == r2.text.count("\n")
            assert_spans_point_at_raw(r2)
            checked += 1
    assert checked > 80


def test_values_that_do_not_fit_are_refused_with_one_line() -> None:
    r = parsed(SAMPLE)
    bad = [
        ("party.members", -1), ("party.members", 2.5), ("party.members", "abc"), ("party.members", True),
        ("gift[3].unit_value_vnd", -500), ("gift[3].unit_value_vnd", "năm"),
        ("commune.ethnic_minority_pct", "many"), ("doc.date", "2024-02-30"), ("doc.date", "hôm qua"),
        ("party.member", 1), ("gift.count", 3), ("gift[99].count", 3), ("gift[3].total_vnd", 1),
        ("labour_export.countries", "Lào"), ("delegations.central.listed", 6), ("Bad Key", 1),
    ]
    for key, value in bad:
        with pytest.raises(ValidationError) as e:
            set_figure(r, key, value)
        assert "\n" not in str(e.value) and key.split("[")[0].split(".")[0] in str(e.value), str(e.value)


def test_an_inconsistent_edit_is_allowed() -> None:
    r2 = set_figure(parsed(SAMPLE), "party.members", 300)  # 266 + 14 ≠ 300: the audit's business
    assert r2.value("party.members") == 300
    try:
        from bcparse.audit import audit_report
    except ImportError:  # pragma: no cover
        return
    assert any("party.members" in (getattr(f, "keys", None) or []) for f in audit_report(r2))


def test_derived_totals_follow_their_factors() -> None:
    r2 = set_figure(parsed(SAMPLE), "gift[3].unit_value_vnd", 600000)
    g = r2.items("gift")[2]
    assert g["gift.total_vnd"].derived and g["gift.total_vnd"].value == g["gift.count"].value * 600000


def test_edits_chain_and_the_json_report_edits_the_same() -> None:
    r = parsed(SAMPLE)
    a = set_figure(set_figure(r, "party.members", 281), "party.members_official", 267)
    j = Report.model_validate_json(r.model_dump_json(by_alias=True))  # no number offsets nor styles
    b = set_figure(set_figure(j, "party.members", 281), "party.members_official", 267)
    assert a.text == b.text
    assert bcparse.parse_text(a.text).value("party.members_official") == 267


# ---- 3. reports built from data -------------------------------------------------------------------------

def _sample_built() -> Report:
    return new_report(
        "doi_ngoai",
        {"commune.households": 1422, "commune.area_ha": 284.62, "party.members": 280, "party.members_official": 266,
         "party.members_probationary": 14, "delegations.central": 6, "foreign.outbound": 0,
         "commune.ethnic_minority_pct": 50, "labour_export.countries": ["Nhật Bản", "Hàn Quốc"],
         "labour_export.abroad": 28, "ngo_aid.projects": 0},
        qualifiers={"foreign.outbound": "none", "commune.ethnic_minority_pct": "gt", "ngo_aid.projects": "none"},
        records={"gift": [{"count": 20, "unit": "suất", "unit_value": 500000, "donor": "Học viện Chính trị",
                           "recipients": "hộ nghèo"},
                          {"count": 1, "unit": "bộ máy tính", "total": 10_000_000, "donor": "Công ty A"}]},
        agency=["ỦY BAN NHÂN DÂN", "XÃ BÌNH THÀNH"], number=7, place="Bình Thành", date="2025-02-05",
        recipients=["UBND huyện", "Lưu: VT"], signer_name="Ma Khánh Sơn",
    )


def test_a_built_report_is_complete_and_parses_back() -> None:
    r = _sample_built()
    text = render_text(r)
    assert text == build_text(r)
    lines = text.split("\n")
    assert lines[:6] == ["ỦY BAN NHÂN DÂN", "XÃ BÌNH THÀNH", "Số: 07/BC-UBND", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                         "Độc lập - Tự do - Hạnh phúc", "Bình Thành, ngày 05 tháng 02 năm 2025"]
    back = bcparse.parse_text(text)
    assert back.grammar == "doi_ngoai"
    h, c = back.header, back.closing
    assert (h.type, h.number, h.symbol, h.date, h.place) == ("BÁO CÁO", "07", "BC-UBND", "2025-02-05", "Bình Thành")
    assert h.subject == "Kết quả công tác đối ngoại năm 2025"
    assert c.end_mark and c.recipients == ["UBND huyện", "Lưu: VT"]
    assert (c.signer_authority, c.signer_title, c.signer_name) == ("TM.", "CHỦ TỊCH", "Ma Khánh Sơn")
    assert [s.marker for s in back.sections if s.level == 1] == ["I.", "II."]
    for f in r.figures():
        if f.item is None:
            got = back.get(f.key or "")
            assert got is not None and (got.value, got.qualifier) == (f.value, f.qualifier), f.key
    gifts = back.items("gift")
    assert [(g["gift.count"].value, g["gift.unit"].value) for g in gifts] == [(20, "suất"), (1, "bộ máy tính")]
    assert gifts[0]["gift.unit_value_vnd"].value == 500000 and gifts[1]["gift.total_vnd"].value == 10_000_000
    assert gifts[0]["gift.donor"].value == "Học viện Chính trị"


def test_built_reports_are_edited_as_data() -> None:
    r = set_figure(_sample_built(), "party.members", 281)
    r = set_figure(r, "gift[3].count", 5)  # the next record
    r = set_figure(r, "gift[3].unit", "suất")
    r = set_figure(r, "doc.date", "2025-03-01")
    back = bcparse.parse_text(render_text(r))
    assert back.value("party.members") == 281 and back.header.date == "2025-03-01"
    assert [g["gift.count"].value for g in back.items("gift")] == [20, 1, 5]
    with pytest.raises(ValidationError):
        set_figure(r, "economy.grdp_vnd", 5)  # not in the doi_ngoai grammar
    with pytest.raises(ValidationError):
        new_report("doi_ngoai", {"party.members": -3})


DOI_NGOAI_KEYS = {
    "commune.households": st.integers(0, 2_000_000),
    "party.members": st.integers(0, 99_999),
    "party.members_official": st.integers(0, 99_999),
    "party.members_probationary": st.integers(0, 9_999),
    "delegations.central": st.integers(0, 999),
    "commune.population": st.integers(0, 9_999_999),
    "commune.area_ha": st.one_of(st.integers(1, 99_999), st.decimals(1, 9999, places=2).map(float)),
}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=st.fixed_dictionaries({}, optional=DOI_NGOAI_KEYS),
       date=st.dates(min_value=__import__("datetime").date(2000, 1, 1)).map(lambda d: d.isoformat()))
def test_generated_doi_ngoai_reports_parse_back_to_their_figures(values: dict[str, Any], date: str) -> None:
    r = new_report("doi_ngoai", values, agency=["ỦY BAN NHÂN DÂN", "XÃ BÌNH THÀNH"], place="Bình Thành", date=date)
    back = bcparse.parse_text(render_text(r))
    assert back.grammar == "doi_ngoai"
    assert back.header.date == date
    for k, v in values.items():
        got = back.value(k)
        assert got == v or (isinstance(v, float) and isinstance(got, int | float) and abs(got - v) < 1e-9), (k, v, got)


def _all_scalar_keys(grammar: str) -> list[str]:
    from bcparse.render.build import phrases

    return [p.key for p in phrases(grammar) if not p.record and p.render and p.kind in ("count", "number", "percent")]


@pytest.mark.parametrize(
    "key",
    _all_scalar_keys("doi_ngoai"),
)
def test_every_doi_ngoai_key_round_trips_with_every_qualifier(key: str) -> None:
    for value, qualifier in ((7, None), (1422, None), (45, "approx"), (50, "gt"), (3, "lt"), (0, "none")):
        r = new_report("doi_ngoai", {key: value}, qualifiers={key: qualifier} if qualifier else None)
        f = bcparse.parse_text(render_text(r)).get(key)
        assert f is not None, (key, value, qualifier, render_text(r))
        want = {(value, qualifier)} | ({(0, None)} if qualifier == "none" else set())
        assert (f.value, f.qualifier) in want, (key, value, qualifier, f.value, f.qualifier)


@pytest.mark.parametrize("grdp", [
    2_350_000_000, 1_500_000,
    123_456_789,  # the growth rule must read across "123.456.789 đồng" before "tăng"
])
def test_a_built_socio_economic_report_parses_back(grdp: int) -> None:
    values = {"economy.grdp_vnd": grdp, "economy.growth_pct": 7.5, "agri.rice_area_ha": 410.5,
              "budget.revenue_vnd": 2_350_000_000, "poverty.rate_pct": 3.34, "poverty.households": 57,
              "income.per_capita_vnd": 45_000_000, "party.members": 312}
    r = new_report("kt_xh", values, agency=["ỦY BAN NHÂN DÂN", "XÃ TÂN LẬP"], date="2023-12-08")
    back = bcparse.parse_text(render_text(r))
    assert back.grammar == "kt_xh"
    assert {k: back.value(k) for k in values} == values


# ---- 4. .docx ---------------------------------------------------------------------------------------------

def _docx(data: bytes) -> Any:
    import docx

    return docx.Document(io.BytesIO(data))


def _runs(doc: Any) -> list[Any]:
    out = [r for p in doc.paragraphs for r in p.runs]
    for t in doc.tables:
        for cell in t._cells:
            out += [r for p in cell.paragraphs for r in p.runs]
    return out


def test_rendered_docx_follows_the_state_format() -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = _docx(write_docx(parsed(SAMPLE)))
    sec = doc.sections[0]
    assert abs(sec.page_width.mm - 210) < 0.5 and abs(sec.page_height.mm - 297) < 0.5
    assert 20 <= round(sec.top_margin.mm) <= 25 and 20 <= round(sec.bottom_margin.mm) <= 25
    assert 30 <= round(sec.left_margin.mm) <= 35 and 15 <= round(sec.right_margin.mm) <= 20
    assert doc.styles["Normal"].font.name == "Times New Roman"
    runs = _runs(doc)
    assert runs and all(r.font.name == "Times New Roman" for r in runs)
    header, closing = doc.tables[0], doc.tables[-1]
    assert len(header.columns) == 2 and len(closing.columns) == 2
    for t in (header, closing):
        borders = t._tbl.tblPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblBorders")
        assert borders is not None and all(b.get(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val") == "nil" for b in borders)
    right = header.rows[0].cells[1].paragraphs
    assert right[0].text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and right[0].runs[0].bold
    assert right[1].text == "Độc lập - Tự do - Hạnh phúc" and right[1].runs[0].bold
    date = [p for p in right if "ngày" in p.text][0]
    assert date.runs[0].italic
    paras = doc.paragraphs
    i = [p.text for p in paras].index("BÁO CÁO")
    title, subject = paras[i], paras[i + 1]
    assert subject.text.startswith("Kết quả công tác đối ngoại")
    for p in (title, subject):
        assert p.alignment == WD_ALIGN_PARAGRAPH.CENTER and p.runs[0].bold
    body = [p for p in paras[i + 2 :] if p.text]
    assert len(body) > 50
    for p in body:
        assert p.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY and p.paragraph_format.first_line_indent is not None
        assert p.runs[0].font.size == Pt(14)
    headings = [p for p in body if p.text.startswith(("I. ", "II. ", "1. "))]
    assert headings and all(p.runs[0].bold for p in headings)
    left = closing.rows[0].cells[0].paragraphs
    assert left[0].text == "Nơi nhận:"
    r0 = left[0].runs[0]
    assert r0.bold and r0.italic and r0.font.size == Pt(12)
    assert [p.text for p in left[1:]] == ["- UBND huyện;", "- TV Đảng uỷ - TT HĐND xã;", "- Lãnh đạo UBND xã;", "- Lưu: VP."]
    assert all(p.runs[0].font.size == Pt(11) for p in left[1:])
    sign = [p.text for p in closing.rows[0].cells[1].paragraphs if p.text]
    assert sign == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Ma Khánh Sơn"]


@needs_docx_reader
@pytest.mark.parametrize("source", ["sample", "built"])
def test_parsing_the_rendered_docx_gives_back_the_same_figures(source: str, tmp_path: Path) -> None:
    r = parsed(SAMPLE) if source == "sample" else _sample_built()
    want = figures_of(r if source == "sample" else bcparse.parse_text(render_text(r)))
    out = tmp_path / "r.docx"
    from bcparse.render import render_docx

    render_docx(r, out)
    assert figures_of(bcparse.parse(out)) == want
    assert [p.name for p in tmp_path.iterdir()] == ["r.docx"]


def _make_split_docx() -> bytes:
    """A report whose numbers are split over runs with different formatting, as Word does."""
    import docx

    d = docx.Document()
    d.add_paragraph("BÁO CÁO")
    d.add_paragraph("Kết quả công tác đối ngoại năm 2024")
    d.add_paragraph("I. ĐẶC ĐIỂM TÌNH HÌNH")
    p = d.add_paragraph("Xã có 14 xóm, tổng số hộ là ")
    r1 = p.add_run("1.4")
    r1.bold = True
    r2 = p.add_run("22")
    r2.italic = True
    p.add_run(" hộ, dân số 5.387 khẩu.")
    p2 = d.add_paragraph("Có tổng số đảng viên là 2")
    p2.add_run("80").underline = True
    p2.add_run(" trong đó đảng viên chính thức là 266 đảng viên, dự bị là 14 đảng viên.")
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def _doc_xml(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read("word/document.xml")


def _texts_and_shape(xml: bytes) -> tuple[list[str], list[str]]:
    from lxml import etree

    root = etree.fromstring(xml)
    shape = [f"{el.tag}{sorted(el.attrib.items())}" for el in root.iter() if not el.tag.endswith("}t")]
    texts = [el.text or "" for el in root.iter() if isinstance(el.tag, str) and el.tag.endswith("}t")]
    return texts, shape


@needs_docx_reader
def test_docx_edit_in_place_rewrites_only_the_runs_of_the_number() -> None:
    src = _make_split_docx()
    r = bcparse.parse(src)
    assert r.value("commune.households") == 1422 and r.value("party.members") == 280
    r1, e1 = apply_edit(r, "commune.households", 1430)
    r2, e2 = apply_edit(r1, "party.members", 1281)
    assert e1 is not None and e2 is not None
    out = edit_docx(src, [e1, e2])
    t0, s0 = _texts_and_shape(_doc_xml(src))
    t1, s1 = _texts_and_shape(_doc_xml(out))
    assert s0 == s1, "same elements, attributes and run properties"
    changed = [(a, b) for a, b in zip(t0, t1, strict=True) if a != b]
    # character i of the new number goes where character i of the old one was: "1.4|22" → "1.4|30",
    # "…là 2|80" → "…là 1|.281"; each run keeps its formatting (the shapes above are equal)
    assert changed == [("22", "30"), ("Có tổng số đảng viên là 2", "Có tổng số đảng viên là 1"), ("80", ".281")]
    back = bcparse.parse(out)
    assert back.value("commune.households") == 1430 and back.value("party.members") == 1281
    assert back.text == r2.text


@needs_docx_reader
def test_docx_gift_table_in_millions_is_edited_in_millions() -> None:
    import docx

    d = docx.Document()
    for t in ("BÁO CÁO", "Kết quả tặng quà Tết Nguyên đán Giáp Thìn 2024", "I. KẾT QUẢ"):
        d.add_paragraph(t)
    rows = [["STT", "Nhà tài trợ", "Số lượng (suất)", "Giá trị/suất (triệu đồng)"], ["1", "Ngân hàng Agribank", "30", "0,5"]]
    table = d.add_table(rows=2, cols=4)
    for row, values in zip(table.rows, rows, strict=True):
        for cell, v in zip(row.cells, values, strict=True):
            cell.text = v
    d.add_paragraph("Trên đây là báo cáo./.")
    buf = io.BytesIO()
    d.save(buf)
    src = buf.getvalue()
    r = bcparse.parse(src)
    r2, e = apply_edit(r, "gift[1].unit_value_vnd", 1_250_000)
    assert e is not None and (e.old, e.new) == ("0,5", "1,25")  # the column is in millions: so is the edit
    assert r2.items("gift")[0]["gift.total_vnd"].value == 37_500_000  # derived, follows
    g = bcparse.parse(edit_docx(src, [e])).items("gift")[0]
    assert (g["gift.unit_value_vnd"].value, g["gift.count"].value) == (1_250_000, 30)


@needs_docx_reader
def test_docx_edit_of_a_real_word_file_leaves_every_other_part_alone(tmp_path: Path) -> None:
    for path, sets in ((SAMPLE_DOCX, ["party.members=281", "gift[3].unit_value_vnd=600000", "commune.ethnic_groups=9"]),
                       (ROOT / "tests" / "data" / "nghi-dinh-30-2020-ND-CP.docx", ["doc.date=2020-03-06"])):
        if not path.exists():
            continue
        out = tmp_path / (path.stem + ".edited.docx")
        assert main(["render", str(path), "--format", "docx", "-o", str(out)] + [a for s in sets for a in ("--set", s)]) == 0
        a, b = zipfile.ZipFile(path), zipfile.ZipFile(out)
        assert [i.filename for i in a.infolist()] == [i.filename for i in b.infolist()]
        for info in a.infolist():
            if info.filename != "word/document.xml":
                assert a.read(info.filename) == b.read(info.filename), info.filename
        xa, xb = a.read("word/document.xml"), b.read("word/document.xml")
        assert xb[:60] == xa[:60], "the XML declaration is kept as written"
        ta, sa = _texts_and_shape(xa)
        tb, sb = _texts_and_shape(xb)
        assert sa == sb
        assert 1 <= sum(x != y for x, y in zip(ta, tb, strict=True)) <= len(sets)
        r = parsed(path)
        want = r
        for s in sets:
            want = set_figure(want, *s.split("=", 1))
        assert bcparse.parse(out).text == want.text


def test_libreoffice_converts_the_rendered_docx_to_pdf(tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: the PDF conversion is not checked")
    src = tmp_path / "r.docx"
    src.write_bytes(write_docx(parsed(SAMPLE)))
    try:
        subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                        "--outdir", str(tmp_path), str(src)], check=True, capture_output=True, timeout=120)
    except (subprocess.SubprocessError, OSError) as e:
        pytest.skip(f"LibreOffice did not run here ({type(e).__name__}): the PDF conversion is not checked")
    pdf = tmp_path / "r.pdf"
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")
    r = bcparse.parse(pdf)
    assert r.value("party.members") == 280 and r.value("commune.households") == 1422


# ---- 5. the command line -------------------------------------------------------------------------------

def test_cli_sets_figures_and_writes_atomically(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "edited.txt"
    assert main(["render", str(SAMPLE), "--set", "party.members=281", "--set", "gift[3].unit_value_vnd=600000",
                 "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "đảng viên là 281 trong đó" in text and "trị giá 600.000đồng/xuất" in text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["edited.txt"]
    # a refused value: exit 2, one line on stderr, nothing written, nothing left behind
    bad = tmp_path / "bad.txt"
    assert main(["render", str(SAMPLE), "--set", "party.members=-5", "-o", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("bcparse: error: party.members:") and err.count("\n") == 1
    assert not bad.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["edited.txt"]
    assert main(["render", str(SAMPLE), "--set", "party.members"]) == 2


def test_cli_reads_report_json_by_content(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(SAMPLE), "--json"]) == 0
    js = tmp_path / "report.data"  # no .json: told by its content
    js.write_text(capsys.readouterr().out, encoding="utf-8")
    assert main(["render", str(js), "--set", "commune.ethnic_groups=9"]) == 0
    out = capsys.readouterr().out
    assert out == set_figure(parsed(SAMPLE), "commune.ethnic_groups", 9).text + "\n"
    assert "gồm 09 dân tộc" in out
    docx_out = tmp_path / "from-json.docx"
    assert main(["render", str(js), "-o", str(docx_out)]) == 0  # -o NAME.docx implies --format docx
    assert docx_out.read_bytes().startswith(b"PK")
    broken = tmp_path / "broken.json"
    broken.write_text('{"text": 3}', encoding="utf-8")
    assert main(["render", str(broken)]) == 2
    assert "Report JSON" in capsys.readouterr().err


def test_cli_docx_from_text_source(tmp_path: Path) -> None:
    out = tmp_path / "r.docx"
    assert main(["render", str(SAMPLE), "--format", "docx", "--set", "party.members=281", "-o", str(out)]) == 0
    doc = _docx(out.read_bytes())
    assert any("đảng viên là 281" in p.text for p in doc.paragraphs)
    assert re.search(r"Số: /BC-UBND", "\n".join(c.text for c in doc.tables[0]._cells))
