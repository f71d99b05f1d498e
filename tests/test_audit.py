"""The audit (issue 6): every check with a case that must fire and one that must not, the sample's
exact four findings, the CLI, and no arithmetic alarm on the real fragments.

Most cases build Reports directly (pydantic objects placed on a small text), so they do not depend
on what the grammar engine extracts; the header and section cases read small texts.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bcparse.audit import CODES, Finding, audit, audit_across
from bcparse.audit.across import agency_of, period_of, place_units, same_agency
from bcparse.audit.header import date_problem, symbol_problem
from bcparse.errors import BcparseError
from bcparse.models import Figure, Header, NumberingIssue, Report, Section, Span

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "binh-thanh-doi-ngoai-2024.txt"
REAL = sorted((ROOT / "tests" / "data" / "real").glob("*.txt"))


# ---- building reports ---------------------------------------------------------------------------

def at(text: str, sub: str, key: str | None, value: Any, *, nth: int = 0, inner: str | None = None,
       **kw: Any) -> Figure:
    """A figure whose span is the ``nth`` occurrence of ``sub`` in ``text`` (or ``inner`` within it)."""
    pos = -1
    for _ in range(nth + 1):
        pos = text.index(sub, pos + 1)
    if inner is not None:
        pos += sub.index(inner)
        sub = inner
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return Figure(key=key, value=value, raw=sub, span=Span(line=line, col=col, length=len(sub)), **kw)


def fig(key: str | None, value: Any, line: int = 1, col: int = 1, raw: str | None = None, **kw: Any) -> Figure:
    raw = raw if raw is not None else str(value)
    return Figure(key=key, value=value, raw=raw, span=Span(line=line, col=col, length=len(raw)), **kw)


def report(*figs: Figure, text: str = "", grammar: str | None = None, source: str = "r.txt", **kw: Any) -> Report:
    return Report(source=source, grammar=grammar, figures=list(figs), text=text, **kw)


def codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


def from_text(text: str, source: str = "t.txt") -> Report:
    from bcparse.pipeline import parse_text

    return parse_text(text, source=source)


HEADER = """ỦY BAN NHÂN DÂN
XÃ BÌNH THÀNH
Số: {number}/BC-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
{place}, ngày {day} tháng {month} năm 2024
BÁO CÁO
Kết quả công tác đối ngoại năm 2024
{body}"""


def header_text(number: str = "12", place: str = "Bình Thành", day: str = "20", month: str = "11",
                body: str = "I. ĐẶC ĐIỂM TÌNH HÌNH\nNội dung.\nII. KẾT QUẢ\nNội dung.\n") -> str:
    return HEADER.format(number=number, place=place, day=day, month=month, body=body)


# ---- the catalogue ------------------------------------------------------------------------------

def test_every_code_is_documented_with_an_example_that_fires_and_one_that_does_not() -> None:
    doc = (ROOT / "docs" / "audit.md").read_text(encoding="utf-8")
    for code in CODES:
        assert f"### {code}" in doc, code
        section = doc.split(f"### {code}", 1)[1].split("\n### ", 1)[0]
        assert "Fires" in section and "Does not fire" in section, code


# ---- BC101 sum ----------------------------------------------------------------------------------

MEMBERS = "Có tổng số đảng viên là {t} trong đó đảng viên chính thức là {o} đảng viên, dự bị là {p} đảng viên."


def members(t: Any, o: Any, p: Any, *, tq: str | None = None, oq: str | None = None, pq: str | None = None,
            derived: bool = False, drop: tuple[str, ...] = ()) -> Report:
    text = MEMBERS.format(t=t, o=o, p=p)
    figs = []
    for key, v, q, sub in (("party.members", t, tq, f"là {t} trong"), ("party.members_official", o, oq, f"là {o} đảng"),
                           ("party.members_probationary", p, pq, f"dự bị là {p}")):
        if key in drop:
            continue
        value = 0 if q == "none" else v
        figs.append(at(text, sub, key, value, inner=str(v), qualifier=q, derived=derived and key == "party.members"))
    return report(*figs, text=text)


@pytest.mark.parametrize(("rep", "expected"), [
    (members(280, 266, 15), ["BC101"]),  # 266 + 15 = 281 ≠ 280
    (members(280, 266, 14), []),  # the sample's 266 + 14 = 280
    (members(280, 266, 15, drop=("party.members",)), []),  # no total: nothing to check
    (members(280, 266, 15, drop=("party.members_probationary",)), []),  # a partial breakdown
    (members(280, 300, 15, drop=("party.members_probationary",)), ["BC101"]),  # parts already exceed the total
    (members(280, 266, 15, tq="approx"), []),  # "khoảng 280" is not exact
    (members(280, 266, 15, pq="gt"), []),  # "trên 15" is not exact
    (members(266, 266, 0, pq="none"), []),  # "dự bị: không có" is an exact 0
    (members(270, 266, 0, pq="none"), ["BC101"]),
    (members(281, 266, 14, derived=True), []),  # a computed total is never checked
], ids=["mismatch", "holds", "no-total", "partial", "partial-over", "approx-total", "gt-part", "none-zero",
        "none-zero-mismatch", "derived-total"])
def test_bc101_sum(rep: Report, expected: list[str]) -> None:
    assert codes(audit(rep)) == expected


def test_bc101_names_the_figures_and_points_at_the_total() -> None:
    [f] = audit(members(280, 266, 15))
    assert f.keys == ["party.members", "party.members_official", "party.members_probationary"]
    assert f.values == [280, 266, 15]
    assert (f.line, f.col) == (1, MEMBERS.index("{t}") + 1)
    assert "266 + 15 = 281" in f.message and f.check == "party-members" and f.severity == "error"
    assert [r.key for r in f.related] == ["party.members_official", "party.members_probationary"]


def test_bc101_the_sample_cells_and_cadres_hold() -> None:
    text = ("Đảng bộ xã gồm có 20 chi bộ, trong đó có 14 chi bộ nông thôn, 03 chi bộ trường học, 01 chi bộ Trạm y tế, "
            "01 chi bộ Công an xã, 01 chi bộ Quân sự.\nXã có 18 chức danh cán bộ, công chức, trong đó có 17 người "
            "trình độ Đại học và 01 người trình độ Trung cấp; có 14/18 có lý luận Trung cấp chính trị.")
    figs = [at(text, "20 chi bộ", "party.cells", 20), at(text, "14 chi bộ", "party.cells_rural", 14),
            at(text, "03 chi bộ", "party.cells_school", 3), at(text, "01 chi bộ Trạm", "party.cells_health", 1),
            at(text, "01 chi bộ Công", "party.cells_police", 1), at(text, "01 chi bộ Quân", "party.cells_military", 1),
            at(text, "18 chức", "cadres.total", 18), at(text, "17 người", "cadres.university", 17),
            at(text, "01 người", "cadres.intermediate", 1),
            at(text, "14/18", "cadres.political_theory_intermediate", 14, kind="fraction")]
    assert audit(report(*figs, text=text, grammar="doi_ngoai")) == []


CADRES = "Xã có 20 cán bộ, công chức, trong đó 15 người trình độ đại học, 02 người trình độ trung cấp{rest}."


@pytest.mark.parametrize(("rest", "expected"), [
    ("", ["BC101"]),  # 15 + 2 = 17 ≠ 20 and nothing else in the sentence
    (" và 03 người trình độ sơ cấp", []),  # a level the grammar has no key for: 15 + 2 + 3 = 20
])
def test_bc101_short_sum_with_an_undeclared_part_in_the_sentence(rest: str, expected: list[str]) -> None:
    text = CADRES.format(rest=rest)
    rep = report(at(text, "20 cán bộ", "cadres.total", 20), at(text, "15 người", "cadres.university", 15),
                 at(text, "02 người", "cadres.intermediate", 2), text=text)
    assert codes(audit(rep)) == expected


TEST_GRAMMAR = """\
id: audit_test
title: relations for the audit tests
extends: [common]
match: {keywords: [kiểm thử]}
figures:
  - key: land.total_ha
    patterns: ['tổng diện tích {num}']
relations:
  - id: party-members
    kind: sum
    total: party.members
    parts: [party.members_official, party.members_probationary]
    message: redeclared here on purpose
  - id: land
    kind: sum
    total: land.total_ha
    parts: [land.farm_ha, land.forest_ha]
  - id: crop-share
    kind: sum
    total: economy.total_pct
    parts: [economy.industry_pct, economy.services_pct, economy.farming_pct]
  - id: harvest
    kind: product
    total: harvest.tonnes
    factors: [harvest.area_ha, harvest.yield_t_ha]
yoy_thresholds:
  land.total_ha: 0.01
"""


@pytest.fixture
def test_grammar(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    (tmp_path / "audit_test.yaml").write_text(TEST_GRAMMAR, encoding="utf-8")
    monkeypatch.setenv("BCPARSE_GRAMMARS", str(tmp_path))
    return "audit_test"


@pytest.mark.parametrize(("farm", "forest", "expected"), [
    (100.5, 184.1, []),  # 284,6 against 284,62: within the rounding of one decimal
    (100.5, 180.1, ["BC101"]),
])
def test_bc101_decimals_within_rounding(test_grammar: str, farm: float, forest: float, expected: list[str]) -> None:
    rep = report(fig("land.total_ha", 284.62, raw="284,62"), fig("land.farm_ha", farm, col=10),
                 fig("land.forest_ha", forest, col=20), grammar=test_grammar)
    assert codes(audit(rep)) == expected


@pytest.mark.parametrize(("parts", "expected"), [
    ((50.3, 45.4, 4.3), []),
    ((33, 33, 33), []),  # whole percentages round: 99 against 100
    ((50.3, 45.4, 8.3), ["BC101"]),
])
def test_bc101_percent_shares_add_up_to_100(test_grammar: str, parts: tuple[float, ...], expected: list[str]) -> None:
    figs = [fig("economy.total_pct", 100, kind="percent", raw="100%")]
    figs += [fig(k, v, col=5 * (i + 1), kind="percent", raw=f"{v}%")
             for i, (k, v) in enumerate(zip(("economy.industry_pct", "economy.services_pct", "economy.farming_pct"),
                                            parts, strict=True))]
    assert codes(audit(report(*figs, grammar=test_grammar))) == expected


def test_a_relation_declared_twice_gives_one_finding(test_grammar: str) -> None:
    rep = members(280, 266, 15)
    rep.grammar = test_grammar
    [f] = audit(rep)
    assert f.message.startswith("redeclared here on purpose")  # the more specific grammar's wins


def test_relations_come_from_the_grammar_data(test_grammar: str) -> None:
    from bcparse.grammar import relations_for

    assert {r.id for r in relations_for(test_grammar)} >= {"land", "party-members", "harvest"}


# ---- BC102 listed -------------------------------------------------------------------------------

LISTED = "+ 06 đoàn đại biểu Trung ương gồm: A; B; C; D; E; F{more}."


@pytest.mark.parametrize(("listed", "grammar", "kw", "expected"), [
    (7, "doi_ngoai", {}, ["BC102"]),  # the sample: 06 stated, 7 listed
    (6, "doi_ngoai", {}, []),
    (7, None, {}, ["BC102"]),  # "<key>.listed" is checked even when no grammar declares it
    (7, "doi_ngoai", {"qualifier": "approx"}, []),  # "khoảng 6 đoàn" is not exact
])
def test_bc102_listed(listed: int, grammar: str | None, kw: dict[str, Any], expected: list[str]) -> None:
    text = LISTED.format(more="; G" if listed == 7 else "")
    stated = at(text, "06 đoàn đại biểu Trung ương", "delegations.central", 6, **kw)
    lst = at(text, "A; B", "delegations.central.listed", listed, derived=True)
    found = audit(report(stated, lst, text=text, grammar=grammar))
    assert codes(found) == expected
    if expected:
        assert found[0].keys == ["delegations.central", "delegations.central.listed"]
        assert found[0].values == [6, listed] and (found[0].line, found[0].col) == (1, 3)


# ---- BC103 product ------------------------------------------------------------------------------

def gift(count: Any, unit_value: Any, total: Any, *, derived: bool = False, cq: str | None = None) -> Report:
    figs = [fig("gift.count", count, col=10, item=1, qualifier=cq)]
    if unit_value is not None:
        figs.append(fig("gift.unit_value_vnd", unit_value, col=20, item=1, kind="money"))
    if total is not None:
        figs.append(fig("gift.total_vnd", total, col=40, item=1, kind="money", derived=derived))
    figs.append(fig("gift.count", 20, line=2, item=2))  # another gift, consistent
    figs.append(fig("gift.unit_value_vnd", 500000, line=2, col=20, item=2))
    figs.append(fig("gift.total_vnd", 10000000, line=2, col=40, item=2))
    return report(*figs, grammar="doi_ngoai")


@pytest.mark.parametrize(("rep", "expected"), [
    (gift(20, 500000, 12000000), ["BC103"]),
    (gift(20, 500000, 10000000), []),
    (gift(20, 500000, 12000000, derived=True), []),  # computed by the engine: not a stated total
    (gift(20, None, 12000000), []),  # no unit value: nothing to multiply
    (gift(20, 500000, 12000000, cq="approx"), []),
], ids=["mismatch", "holds", "derived", "no-unit-value", "approx-count"])
def test_bc103_product(rep: Report, expected: list[str]) -> None:
    found = audit(rep)
    assert codes(found) == expected
    if expected:
        assert found[0].keys == ["gift.count", "gift.unit_value_vnd", "gift.total_vnd"]
        assert found[0].values == [20, 500000, 12000000] and "10000000" in found[0].message


@pytest.mark.parametrize(("tonnes", "expected"), [(715.5, []), (815.5, ["BC103"])])
def test_bc103_product_of_decimals(test_grammar: str, tonnes: float, expected: list[str]) -> None:
    rep = report(fig("harvest.area_ha", 135), fig("harvest.yield_t_ha", 5.3, col=10),
                 fig("harvest.tonnes", tonnes, col=20), grammar=test_grammar)
    assert codes(audit(rep)) == expected


# ---- BC101 record_sum: a table's total row --------------------------------------------------------

def cell(key: str, value: Any, row: int, *, item: int | None, table: int | None = 1, **kw: Any) -> Figure:
    return Figure(key=key, value=value, raw=str(value), item=item, span=Span(line=10 + row, col=1, length=3,
                                                                                   table=table, row=row), **kw)


def gift_table(total_count: Any, *, rows: tuple[Any, ...] = (50, 20), prose: bool = True,
               derived_totals: bool = False, total_money: Any = 45_000_000) -> Report:
    figs = []
    for i, n in enumerate(rows, start=1):
        if n is not None:
            figs.append(cell("gift.count", n, i + 1, item=i))
        figs.append(cell("gift.unit_value_vnd", 500_000 if i == 1 else 1_000_000, i + 1, item=i))
        figs.append(cell("gift.total_vnd", 25_000_000 if i == 1 else 20_000_000, i + 1, item=i, derived=derived_totals))
    figs.append(cell("gift.table_total.count", total_count, len(rows) + 2, item=None))
    figs.append(cell("gift.table_total.total", total_money, len(rows) + 2, item=None))
    if prose:  # a gift told in the prose, outside the table
        figs.append(Figure(key="gift.count", value=99, raw="99 suất", item=9, span=Span(line=40, col=5, length=7)))
    return report(*figs, grammar="doi_ngoai")


@pytest.mark.parametrize(("rep", "expected"), [
    (gift_table(70), []),  # 50 + 20 = 70 (the prose gift of 99 suất is not in the table)
    (gift_table(75), ["BC101"]),
    (gift_table(70, derived_totals=True), []),  # rows' computed totals add up to the stated 45.000.000
    (gift_table(70, total_money=46_000_000, derived_totals=True), ["BC101"]),
    (gift_table(40, rows=(50, None)), ["BC101"]),  # the rows given already exceed the total row
    (gift_table(70, rows=(50, None)), []),  # a row without a count: the missing one may make up the rest
], ids=["holds", "count-off", "derived-rows", "money-off", "partial-over", "partial"])
def test_bc101_record_sum_table_total_row(rep: Report, expected: list[str]) -> None:
    found = audit(rep)
    assert codes(found) == expected
    if expected:
        assert (found[0].keys[0] or "").startswith("gift.table_total.")
        assert (found[0].check or "").startswith("gift-table-")


def _gift_docx(path: Path, total_row: list[str]) -> Path:
    import docx

    d = docx.Document()
    for t in ("BÁO CÁO", "Kết quả tặng quà Tết Nguyên đán Giáp Thìn 2024", "I. KẾT QUẢ"):
        d.add_paragraph(t)
    rows = [["TT", "Đơn vị tặng", "Đối tượng", "Số suất", "Trị giá/suất", "Thành tiền"],
            ["1", "Hội Chữ thập đỏ huyện", "Hộ nghèo", "50", "500.000", "25.000.000"],
            ["2", "Công ty Điện lực", "Gia đình chính sách", "20", "1.000.000", "20.000.000"], total_row]
    t = d.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in zip(t.rows, rows, strict=True):
        for c, v in zip(r.cells, row, strict=True):
            c.text = v
    d.add_paragraph("Trên đây là báo cáo./.")
    d.save(str(path))
    return path


@pytest.mark.parametrize(("total_row", "expected"), [
    (["", "Tổng cộng", "", "70", "", "45.000.000"], []),
    (["", "Tổng cộng", "", "75", "", "45.000.000"], ["BC101"]),
    (["", "Tổng cộng", "", "70", "", "40.000.000"], ["BC101"]),
])
def test_bc101_gift_table_in_a_docx(tmp_path: Path, total_row: list[str], expected: list[str]) -> None:
    found = audit(_gift_docx(tmp_path / "qua.docx", total_row), select="BC1")
    assert codes(found) == expected, [f.text() for f in found]


# ---- BC104 / BC105 percentages ------------------------------------------------------------------

def pct(text: str, sub: str, value: float, key: str | None = None) -> Figure:
    return at(text, sub, key, value, kind="percent", unit="%")


@pytest.mark.parametrize(("text", "sub", "value", "key", "expected"), [
    ("Ngành nông nghiệp chiếm 120% giá trị sản xuất.", "120%", 120, None, ["BC104"]),
    ("Ngành nông nghiệp chiếm 23,33% giá trị sản xuất.", "23,33%", 23.33, None, []),
    ("Cây mía: 11 ha, đạt 220% KH năm, tăng 120% so với cùng kỳ.", "220%", 220, None, []),  # plans, growth
    ("dân tộc thiểu số chiếm trên 50% dân số", "50%", 150, "commune.ethnic_minority_pct", ["BC104"]),
    ("Thu ngân sách đạt 148,32% dự toán.", "148,32%", 148.32, "budget.revenue_plan_pct", []),
])
def test_bc104_share_over_100(text: str, sub: str, value: float, key: str | None, expected: list[str]) -> None:
    assert codes(audit(report(pct(text, sub, value, key), text=text))) == expected


@pytest.mark.parametrize(("text", "value", "expected"), [
    ("có 14/18 đồng chí (60%) có lý luận chính trị", 60, ["BC105"]),
    ("có 14/18 đồng chí (77,8%) có lý luận chính trị", 77.8, []),
    ("có 14/18 đồng chí (77,7%) có lý luận chính trị", 77.7, []),  # truncated, not rounded: accepted
    ("có 14/18 đồng chí = 78%, có lý luận chính trị", 78, []),
    ("có 14/18 đồng chí = 60%, có lý luận chính trị", 60, ["BC105"]),
    ("đạt 14/18 tiêu chí (đạt 60%)", 60, ["BC105"]),
    ("đạt 14/18 tiêu chí (đạt 60% kế hoạch)", 60, []),  # of the plan
    ("có 14/18 xã, chiếm 60% số xã của huyện", 60, []),  # another base, named after it
    ("hoàn thành 14/18 chỉ tiêu, tăng 60% so với năm trước", 60, []),  # not the ratio
    ("từ ngày 14/18 (60%)", 60, []),  # after "ngày" it is a date (an impossible one: BC303), not a fraction
])
def test_bc105_percentage_of_a_fraction(text: str, value: float, expected: list[str]) -> None:
    rep = report(at(text, "14/18", None, "14/18", kind="fraction"), pct(text, f"{value}%".replace(".", ","), value),
                 text=text)
    found = audit(rep, select="BC1")
    assert codes(found) == expected
    if expected:
        assert "77.78%" in found[0].message and found[0].values[0] == value


@pytest.mark.parametrize(("share", "after", "expected"), [
    (90, ")", ["BC105"]), (95, ")", []), (95.0, ")", []), (95.4, ")", ["BC105"]),
    (2.1, " dân số toàn xã)", []),  # a share of the population, not of the members
])
def test_bc105_percentage_of_a_part_of_a_declared_total(share: float, after: str, expected: list[str]) -> None:
    w = f"{share}%".replace(".", ",")
    text = f"Tổng số đảng viên là 280, trong đó đảng viên chính thức là 266 đảng viên (chiếm {w}{after}, dự bị là 14."
    rep = report(at(text, "280", "party.members", 280), at(text, "266 đảng viên", "party.members_official", 266),
                 at(text, "14", "party.members_probationary", 14, nth=0), pct(text, w, share), text=text)
    assert codes(audit(rep)) == expected


# ---- BC106 le -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("standing", "expected"), [(12, ["BC106"]), (3, []), (10, [])])
def test_bc106_part_larger_than_whole(standing: int, expected: list[str]) -> None:
    rep = report(fig("party.executive_committee", 10), fig("party.standing_committee", standing, col=30))
    found = audit(rep)
    assert codes(found) == expected
    if expected:
        assert found[0].keys == ["party.standing_committee", "party.executive_committee"]


# ---- BC2xx section numbering --------------------------------------------------------------------

def sections_report(kinds: list[str]) -> Report:
    secs = [Section(number=n, marker=f"{n}.", style="roman", level=1, title=f"Phần {n}", line=i + 1, end_line=i + 1,
                    span=Span(line=i + 1, col=1, length=3)) for i, n in enumerate(["I", "II", "II", "III"])]
    issues = [NumberingIssue(section=2, kind=k, expected="III", found="II.", line=3) for k in kinds]  # type: ignore[arg-type]
    return report(sections=secs, numbering_issues=issues)


@pytest.mark.parametrize(("kinds", "expected"), [
    (["repeated"], ["BC201"]), (["skipped"], ["BC202"]), (["out_of_order"], ["BC203"]), ([], []),
])
def test_bc2xx_from_numbering_issues(kinds: list[str], expected: list[str]) -> None:
    found = audit(sections_report(kinds))
    assert codes(found) == expected
    if expected:
        assert (found[0].line, found[0].col) == (3, 1) and found[0].values == ["II.", "III"]


@pytest.mark.parametrize(("body", "expected"), [
    ("I. A\nx\nII. B\n1. a\n2. b\nII. C\nIII. D\n", ["BC201"]),  # the sample's second "II."; III after it is fine
    ("I. A\nx\nII. B\n1. a\n3. b\nIII. C\n", ["BC202"]),  # a skip at the second level
    ("I. A\nx\nII. B\n1. a\n2. b\na) x\nb) y\nc) z\nIII. C\n", []),
])
def test_bc2xx_on_text(body: str, expected: list[str]) -> None:
    assert codes(audit(from_text(header_text(body=body)))) == expected


# ---- BC301 / BC302 / BC306 header blanks ----------------------------------------------------------

@pytest.mark.parametrize(("kw", "expected"), [
    ({"number": ""}, ["BC301"]),
    ({"number": "  "}, ["BC301"]),
    ({}, []),
    ({"day": ""}, ["BC302"]),
    ({"day": "…", "month": "…"}, ["BC302"]),
    ({"place": ".........."}, ["BC306"]),
])
def test_bc30x_blanks(kw: dict[str, str], expected: list[str]) -> None:
    found = audit(from_text(header_text(**kw)))
    assert codes(found) == expected


def test_bc302_names_the_blank_parts() -> None:
    [f] = audit(from_text(header_text(day="", month="")))
    assert f.message.startswith("day and month of the date left blank") and f.keys == ["doc.date"]


def test_bc30x_from_the_header_model() -> None:
    h = Header(number=None, number_raw="Số: /BC-UBND", symbol="BC-UBND", date="2024-11", date_raw="ngày tháng 11 năm 2024",
               blanks=["number", "day"], spans={"number_raw": Span(line=3, col=1, length=12),
                                                 "date": Span(line=5, col=13, length=22)})
    found = audit(report(header=h))
    assert [(f.code, f.line, f.col) for f in found] == [("BC301", 3, 1), ("BC302", 5, 13)]
    assert audit(report(header=Header(number="12", symbol="BC-UBND", date="2024-11-20"))) == []


# ---- BC303 impossible dates ---------------------------------------------------------------------

@pytest.mark.parametrize(("sentence", "expected"), [
    ("Thực hiện Kế hoạch số 10/KH-UBND ngày 31/02/2024 của UBND xã.", ["BC303"]),
    ("Thực hiện Kế hoạch số 10/KH-UBND ngày 29/02/2024 của UBND xã.", []),  # 2024 is a leap year
    ("Thực hiện Kế hoạch số 10/KH-UBND ngày 29/02/2023 của UBND xã.", ["BC303"]),
    ("Hội nghị ngày 31 tháng 4 năm 2024 đã thống nhất.", ["BC303"]),
    ("Hội nghị ngày 30 tháng 4 năm 2024 đã thống nhất.", []),
    ("Trong tháng 13/2024 đã tổ chức.", ["BC303"]),
    ("Trong tháng 12/2024 đã tổ chức; đạt 14/18 chỉ tiêu.", []),  # a fraction is not a date
    ("Ngày 31/4 tổ chức lễ.", ["BC303"]),
])
def test_bc303_dates_that_cannot_exist(sentence: str, expected: list[str]) -> None:
    found = audit(report(text="Mở đầu.\n" + sentence))
    assert codes(found) == expected
    if expected:
        assert found[0].line == 2


def test_bc303_from_a_figure_value() -> None:
    assert codes(audit(report(fig("ref.date", "2024-02-30", raw="30/02/2024", item=1)))) == ["BC303"]
    assert codes(audit(report(fig("ref.date", "2024-02-29", raw="29/02/2024", item=1)))) == []


@pytest.mark.parametrize(("y", "m", "d", "bad"), [
    (2024, 2, 29, False), (2023, 2, 29, True), (None, 2, 29, False), (None, 2, 30, True), (2024, 0, None, True),
    (2024, 11, None, False), (2024, 4, 31, True), (2024, 12, 31, False),
])
def test_date_problem(y: int | None, m: int | None, d: int | None, bad: bool) -> None:
    assert (date_problem(y, m, d) is not None) == bad


# ---- BC304 referenced document after the report -------------------------------------------------

def with_ref(doc_date: str, ref_date: str) -> Report:
    return report(fig("doc.date", doc_date, line=5), fig("ref.kind", "Công văn", line=9, item=1),
                  fig("ref.number", "7253", line=9, col=15, item=1), fig("ref.symbol", "UBND-VP", line=9, col=20, item=1),
                  fig("ref.date", ref_date, line=9, col=35, item=1), header=Header(date=doc_date))


@pytest.mark.parametrize(("doc_date", "ref_date", "expected"), [
    ("2024-11", "2024-12-05", ["BC304"]),
    ("2024-11", "2024-11-08", []),  # the sample: the day is blank, so November against November
    ("2024-11-20", "2024-11-25", ["BC304"]),
    ("2024-11-20", "2024-11-20", []),
    ("2024-11-20", "2023-06-15", []),
])
def test_bc304_reference_after_the_report(doc_date: str, ref_date: str, expected: list[str]) -> None:
    found = audit(with_ref(doc_date, ref_date))
    assert codes(found) == expected
    if expected:
        assert found[0].keys == ["ref.date", "doc.date"] and "Công văn 7253/UBND-VP" in found[0].message
        assert (found[0].line, found[0].col) == (9, 35)


# ---- BC305 ký hiệu ------------------------------------------------------------------------------

@pytest.mark.parametrize("symbol", [
    "BC-UBND", "QĐ-TTg", "KL/TW", "NQ/TW", "UBND-VP", "NQ-HĐND", "TTr-UBND", "CTr-UBND", "QyĐ-UBND", "SNgV-LS",
    "BNN-PTNT", "HD/BTGTW", "TTg-ĐP", "QĐ-BCĐ", "BNG-CNV", "KH-SGDĐT",
])
def test_bc305_accepted_symbols(symbol: str) -> None:
    assert symbol_problem(symbol) is None


@pytest.mark.parametrize("symbol", [
    "bc-ubnd", "BC-ubnd", "BC-Ubnd", "Kh-UBND", "BC--UBND", "BC-", "/BC-UBND", "BC- UBND", "BC UBND", "BC_UBND",
])
def test_bc305_broken_symbols(symbol: str) -> None:
    assert symbol_problem(symbol) is not None


@pytest.mark.parametrize(("text", "raw", "expected"), [
    ("Thực hiện Công văn số 7253/UBND-VP ngày 08/11/2024.", "UBND-VP", []),
    ("Thực hiện Công văn số 7253/UBND- VP ngày 08/11/2024.", "UBND- VP", ["BC305"]),
    ("Thực hiện Công văn số 7253/UBND-vp ngày 08/11/2024.", "UBND", ["BC305"]),  # the reader stopped at "-vp"
    ("Thực hiện Công văn số 7253/UBND-VP - ngày 08/11/2024.", "UBND-VP", []),  # a dash of the sentence
    ("Kết luận số 57-KL/TW ngày 15/6/2023.", "KL/TW", []),
])
def test_bc305_on_figures(text: str, raw: str, expected: list[str]) -> None:
    rep = report(at(text, raw, "ref.symbol", raw.replace(" ", ""), item=1), text=text)
    assert codes(audit(rep)) == expected


def test_bc305_report_symbol_on_text() -> None:
    assert codes(audit(from_text(header_text().replace("/BC-UBND", "/bc-ubnd")))) == ["BC305"]
    assert codes(audit(from_text(header_text().replace("/BC-UBND", "/BC-")))) == ["BC305"]  # dangling "-"
    assert codes(audit(from_text(header_text().replace("/BC-UBND", "/BC- UBND")))) == ["BC305"]
    assert codes(audit(from_text(header_text()))) == []


def test_bc305_judges_the_value_when_the_span_holds_more() -> None:
    # "Số: 30/2020/NĐ-CP": the symbol "2020/NĐ-CP" with a span over the whole "Số: …"
    f = fig("doc.symbol", "2020/NĐ-CP", line=2, col=9, raw=" Số: 30/2020/NĐ-CP")
    assert audit(report(f)) == []


# ---- across reports -----------------------------------------------------------------------------

def commune(hh: Any, *, agency: tuple[str, ...] = ("ỦY BAN NHÂN DÂN", "XÃ BÌNH THÀNH"), year: int = 2024,
            subject: str | None = None, number: str | None = None, text: str | None = None, source: str = "a.txt",
            q: str | None = None, date: str | None = None, type: str = "BÁO CÁO") -> Report:
    subject = subject or f"Kết quả công tác đối ngoại năm {year}"
    h = Header(agency=list(agency), subject=subject, number=number, symbol="BC-UBND", date=date or f"{year}-11-20",
               type=type, spans={"number_raw": Span(line=3, col=1, length=12)})
    figs = [fig("commune.households", hh, line=15, col=5, qualifier=q), fig("party.members", 280, line=17, col=3)]
    if number:
        figs.append(fig("doc.number", number, line=3, col=5))
    return report(*figs, header=h, grammar="doi_ngoai", source=source, text=text or f"{source} {hh} {subject}")


@pytest.mark.parametrize(("b", "expected"), [
    (commune(1450, agency=("UBND XÃ BÌNH THÀNH",), source="b.txt"), ["BC401"]),  # agency written another way
    (commune(1422, agency=("UỶ BAN NHÂN DÂN", "XÃ BÌNH THÀNH"), source="b.txt"), []),  # same figure
    (commune(1450, agency=("ỦY BAN NHÂN DÂN", "XÃ BÌNH YÊN"), source="b.txt"), []),  # another commune
    (commune(1450, subject="Tình hình 6 tháng đầu năm 2024", source="b.txt"), []),  # another period
    (commune(1450, q="approx", source="b.txt"), []),  # "khoảng 1.450 hộ"
    (commune(1450, type="KẾ HOẠCH", source="b.txt"), []),  # a plan states targets, not results
])
def test_bc401_same_commune_same_period(b: Report, expected: list[str]) -> None:
    a = commune(1422)
    found = audit_across([a, b])
    assert codes(found) == expected
    if expected:
        f = found[0]
        assert (f.file, f.line, f.col) == ("b.txt", 15, 5) and f.values == [1450, 1422]
        assert f.related[0].file == "a.txt" and f.related[0].line == 15


@pytest.mark.parametrize(("later", "year", "expected"), [
    (1800, 2025, ["BC402"]),  # +26.6% households in a year, the grammar allows 10%
    (1500, 2025, []),  # +5.5%
    (1700, 2026, []),  # +19.5% over two years: (1.1)^2 - 1 = 21% allowed
    (1800, 2026, ["BC402"]),
])
def test_bc402_year_over_year(later: int, year: int, expected: list[str]) -> None:
    found = audit_across([commune(1422, source="a.txt"), commune(later, year=year, source="b.txt")])
    assert codes(found) == expected
    if expected:
        assert found[0].file == "b.txt" and found[0].keys == ["commune.households", "commune.households"]


@pytest.mark.parametrize(("title", "expected"), [
    ("PHƯƠNG HƯỚNG NHIỆM VỤ NĂM 2025", []),
    ("Phương hướng, nhiệm vụ và giải pháp thực hiện", []),
    ("Nhiệm vụ năm 2025", []),  # a later year than the report's
    ("KẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM 2024", ["BC401"]),  # results
    ("Kết quả thực hiện các chỉ tiêu chủ yếu", ["BC401"]),
])
def test_bc401_leaves_out_the_targets_of_a_phuong_huong_section(title: str, expected: list[str]) -> None:
    """The heading's mode (bcparse.modes, as extraction sets it on every figure under it) keeps a
    target out of the comparison with another report's result."""
    from bcparse.modes import heading_mode

    b = commune(1450, source="b.txt")
    b.sections = [Section(number="II", marker="II.", style="roman", level=1, title=title,
                          line=14, end_line=16, span=Span(line=14, col=1, length=3))]
    for f in b.figure_list:
        f.mode = heading_mode(title, year=2024) or "result"
    assert codes(audit_across([commune(1422), b])) == expected


def test_bc402_only_keys_with_a_threshold(test_grammar: str) -> None:
    a = commune(1422)
    b = commune(1422, year=2025, source="b.txt")
    b.figure_list.append(fig("consular.marriage_confirmations", 40, line=20))
    a.figure_list.append(fig("consular.marriage_confirmations", 2, line=20))
    assert audit_across([a, b]) == []


@pytest.mark.parametrize(("b", "expected"), [
    (commune(1422, number="12", subject="Kết quả công tác dân vận năm 2024", source="b.txt"), ["BC403"]),
    (commune(1422, number="12", source="b.txt"), []),  # the same report in another format: same subject, figures
    (commune(1422, number="12", source="a.txt"), []),  # the same document twice
    (commune(1422, number="12", year=2025, text="another report", source="b.txt"), []),  # numbers restart yearly
    (commune(1422, number="13", text="another report", source="b.txt"), []),
    (commune(1422, number="12", agency=("UBND XÃ BÌNH YÊN",), text="x", source="b.txt"), []),
])
def test_bc403_same_document_identity(b: Report, expected: list[str]) -> None:
    a = commune(1422, number="12")
    assert codes(audit_across([a, b])) == expected


def test_identity_of_the_commune_and_the_period() -> None:
    assert place_units("UBND HUYỆN ĐỊNH HÓA UBND XÃ BÌNH THÀNH") == [("huyện", "định hoá"), ("xã", "bình thành")]
    assert same_agency(place_units("ỦY BAN NHÂN DÂN XÃ BÌNH THÀNH"), place_units("UBND xã Bình Thành"))
    assert same_agency(place_units("UBND HUYỆN ĐỊNH HOÁ UBND XÃ BÌNH THÀNH"), place_units("UBND XÃ BÌNH THÀNH"))
    assert not same_agency(place_units("UBND HUYỆN ĐỊNH HOÁ UBND XÃ BÌNH THÀNH"),
                           place_units("UBND HUYỆN PHÚ LƯƠNG UBND XÃ BÌNH THÀNH"))
    assert not same_agency(place_units("UBND XÃ BÌNH THÀNH"), place_units("UBND XÃ BÌNH THẠNH"))
    assert agency_of(report(fig("commune.name", "xã Bình Thành"))) == [("xã", "bình thành")]
    p = period_of(commune(1, subject="Kết quả năm 2024 và phương hướng năm 2025", date="2025-01-05"))
    assert p is not None and (p.year, p.part) == (2024, "year")
    p = period_of(commune(1, subject="Kết quả 6 tháng đầu năm; phương hướng 6 tháng cuối năm 2012"))
    assert p is not None and (p.year, p.part) == (2012, "6m")
    assert period_of(commune(1, subject="Tình hình giữa nhiệm kỳ 2015 - 2020")) is None


def test_audit_runs_across_checks_only_with_several_reports() -> None:
    a, b = commune(1422), commune(1450, source="b.txt")
    assert codes(audit(a)) == [] and codes(audit(a, b)) == ["BC401"]


# ---- select / ignore ----------------------------------------------------------------------------

def test_select_and_ignore() -> None:
    rep = members(280, 266, 15)
    rep.header = Header(blanks=["number"], number_raw="Số: /BC-UBND", spans={"number_raw": Span(line=1, col=1, length=12)})
    assert codes(audit(rep)) == ["BC301", "BC101"] or codes(audit(rep)) == ["BC101", "BC301"]
    assert codes(audit(rep, select=["BC1"])) == ["BC101"]
    assert codes(audit(rep, select="BC3,BC101", ignore="BC101")) == ["BC301"]
    assert codes(audit(rep, ignore=["ALL"])) == []
    with pytest.raises(BcparseError):
        audit(rep, select="XX9")


def test_finding_json_shape() -> None:
    [f] = audit(members(280, 266, 15))
    d = json.loads(f.model_dump_json())
    assert {"code", "severity", "message", "file", "line", "col", "keys", "values"} <= set(d)
    assert f.text().startswith("r.txt:1:") and " BC101 " in f.text()


# ---- CLI ----------------------------------------------------------------------------------------

def test_cli_exit_status_and_formats(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from bcparse.cli import main

    good = tmp_path / "good.txt"
    good.write_text(header_text(), encoding="utf-8")
    bad = tmp_path / "blank.txt"
    bad.write_text(header_text(number=""), encoding="utf-8")
    assert main(["audit", str(good)]) == 0
    assert capsys.readouterr().out == ""
    assert main(["audit", str(bad)]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"{bad}:3:1: BC301 document number left blank")
    assert main(["audit", str(bad), "--format", "json"]) == 1
    [d] = json.loads(capsys.readouterr().out)
    assert d["code"] == "BC301" and d["file"] == str(bad) and d["line"] == 3 and d["severity"] == "warning"
    assert main(["audit", str(bad), "--ignore", "BC3"]) == 0
    assert main(["audit", str(bad), "--select", "BC2"]) == 0
    capsys.readouterr()
    assert main(["audit", str(bad), "--select", "NOPE"]) == 2
    assert "bcparse: error:" in capsys.readouterr().err


def test_cli_a_bad_file_is_reported_and_the_others_audited(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from bcparse.cli import main

    bad = tmp_path / "blank.txt"
    bad.write_text(header_text(number=""), encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    missing = tmp_path / "missing.txt"
    assert main(["audit", str(empty), str(missing), str(bad)]) == 2
    cap = capsys.readouterr()
    assert "BC301" in cap.out
    err = cap.err.strip().splitlines()
    assert len(err) == 3 and all(e.startswith("bcparse: error: ") for e in err[:2])
    assert err[2] == "audited 1 file: 1 finding (BC301 1); 2 could not be read"  # the summary line


# ---- the sample and the real fragments ----------------------------------------------------------

def test_sample_gives_exactly_its_four_findings() -> None:
    found = audit(SAMPLE)
    got = sorted((f.code, f.keys[0] if f.keys else None) for f in found)
    assert got == sorted([("BC201", None), ("BC102", "delegations.central"), ("BC301", "doc.number"),
                          ("BC302", "doc.date")]), [f.text() for f in found]
    by = {f.code: f for f in found}
    assert by["BC102"].values == [6, 7]
    assert by["BC201"].values == ["II.", "III"]
    assert "day" in by["BC302"].message and "Số: /BC-UBND" in by["BC301"].message
    # audited with itself (the .txt and a copy): nothing more
    from bcparse.pipeline import parse

    assert audit_across([parse(SAMPLE), parse(SAMPLE)]) == []


SAMPLES = [p for p in (SAMPLE.with_suffix(".docx"), SAMPLE.with_suffix(".pdf")) if p.exists()]


@pytest.mark.skipif(not SAMPLES, reason="no .docx/.pdf of the sample")
def test_the_sample_in_every_format_gives_the_same_four_and_nothing_across() -> None:
    found = audit(SAMPLE, *SAMPLES)
    for p in (SAMPLE, *SAMPLES):
        assert sorted(f.code for f in found if f.file == str(p)) == ["BC102", "BC201", "BC301", "BC302"], p
    assert len(found) == 4 * (1 + len(SAMPLES))


@pytest.mark.parametrize("path", REAL, ids=[p.stem for p in REAL])
def test_no_arithmetic_alarm_on_real_reports(path: Path) -> None:
    found = audit(path)
    assert [f.text() for f in found if f.code.startswith("BC1")] == []


def test_a_report_of_an_unknown_grammar_is_checked_against_the_shared_relations() -> None:
    rep = members(280, 266, 15)
    rep.grammar = "no_such_grammar"
    assert codes(audit(rep)) == ["BC101"]
    assert codes(audit_across([commune(1422), commune(1800, year=2025, source="b.txt")])) == ["BC402"]


# ---- end to end: a whole report whose arithmetic holds, then the same with mistakes ---------------

KT_XH = """\
ỦY BAN NHÂN DÂN
XÃ TÂN LẬP
Số: 45/BC-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Tân Lập, ngày 15 tháng 12 năm 2023
BÁO CÁO
Tình hình thực hiện nhiệm vụ phát triển kinh tế - xã hội năm 2023, phương hướng nhiệm vụ năm 2024
Thực hiện Kế hoạch số 12/KH-UBND ngày 05/01/2023 của UBND xã; Công văn số 1520/UBND-TCKH ngày 28/11/2023 của UBND huyện, UBND xã báo cáo như sau:
I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM 2023
1. Kinh tế
- Tổng diện tích gieo trồng đạt 652ha, tăng 15% so với cùng kỳ, đạt 109% KH năm.
- Diện tích lúa đạt 315ha tăng 13,6% so với cùng kỳ, đạt 136% KH năm.
- Tổng thu ngân sách ước đạt 4.520 triệu đồng, đạt 120,5% dự toán huyện giao, bằng 105% so với cùng kỳ.
- Cơ cấu kinh tế: nông nghiệp chiếm 45,2%; công nghiệp - xây dựng chiếm 30,1%; dịch vụ chiếm 24,7%.
- Tỷ lệ hộ nghèo còn 3,2% (giảm 1,1% so với năm 2022), hộ cận nghèo 4,5%.
2. Văn hóa - xã hội
- Toàn xã có 1.850 hộ, 7.420 nhân khẩu; có 12 thôn, trong đó 10/12 thôn (83,3%) đạt danh hiệu thôn văn hoá.
- Có 1.650/1.850 hộ (89,2%) đạt gia đình văn hoá.
- Đảng bộ xã có 18 chi bộ, trong đó 12 chi bộ nông thôn, 4 chi bộ trường học, 1 chi bộ y tế và 1 chi bộ quân sự. Tổng số đảng viên 356, trong đó đảng viên chính thức 340 đồng chí (chiếm 95,5%), dự bị 16 đồng chí.
- Xã có 21 cán bộ, công chức, trong đó 15 người trình độ đại học, 4 người trình độ trung cấp và 2 người sơ cấp.
- Trong ngày 15-16/4/2023 tổ chức hội thi; từ ngày 01/6 đến 30/6/2023 tổ chức tháng hành động.
- Tặng 50 suất quà, trị giá 500.000 đồng/suất, tổng trị giá 25.000.000 đồng.
- Tặng 30 suất quà x 400.000 đ/suất cho hộ nghèo.
II. PHƯƠNG HƯỚNG NHIỆM VỤ NĂM 2024
- Phấn đấu tỷ lệ hộ nghèo giảm còn 2,5%; tỷ lệ tham gia BHYT đạt 95% trở lên.
- Thực hiện Nghị quyết số 08-NQ/TU ngày 20/10/2021 của Tỉnh uỷ; Quyết định số 1719/QĐ-TTg ngày 14/10/2021.
Nơi nhận:
- UBND huyện;
- Lưu: VP.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Nguyễn Văn A
"""

MISTAKES = [  # (correct, wrong, code it must produce)
    ("(83,3%)", "(80,3%)", "BC105"),  # 10/12 = 83,3%
    ("(chiếm 95,5%)", "(chiếm 92,5%)", "BC105"),  # 340/356 = 95,5%
    ("dự bị 16 đồng chí", "dự bị 18 đồng chí", "BC101"),  # 340 + 16 = 356
    ("nông nghiệp chiếm 45,2%", "nông nghiệp chiếm 145,2%", "BC104"),
    ("ngày 05/01/2023", "ngày 31/02/2023", "BC303"),
    ("ngày 28/11/2023", "ngày 28/12/2023", "BC304"),
    ("Số: 45/BC-UBND", "Số: 45/BC- UBND", "BC305"),
    ("Tân Lập, ngày 15 tháng", "Tân Lập, ngày tháng", "BC302"),
    ("II. PHƯƠNG HƯỚNG", "III. PHƯƠNG HƯỚNG", "BC202"),
]


def test_a_whole_report_whose_arithmetic_holds_gives_nothing() -> None:
    assert [f.text() for f in audit(from_text(KT_XH))] == []


@pytest.mark.parametrize(("right", "wrong", "code"), MISTAKES, ids=[m[2] + ":" + m[1] for m in MISTAKES])
def test_each_mistake_in_a_whole_report_is_found_alone(right: str, wrong: str, code: str) -> None:
    assert right in KT_XH
    found = audit(from_text(KT_XH.replace(right, wrong, 1)))
    assert codes(found) == [code], [f.text() for f in found]
