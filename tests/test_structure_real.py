"""Structure of real government files (issue 19): decimal outlines, closing blocks in two columns,
Công văn subjects, party-committee headers, references written the way clerks write them.

The texts in tests/data/structure/ are laid out as the real files of departments, districts and
communes are (each quirk is named where it is tested).
"""

from __future__ import annotations

from pathlib import Path

import bcparse

DATA = Path(__file__).resolve().parent / "data" / "structure"


def paths(r: bcparse.Report) -> list[str]:
    out = []
    for i, s in enumerate(r.sections):
        chain = []
        j: int | None = i
        while j is not None:
            chain.append(r.sections[j].number or "?")
            j = r.sections[j].parent
        out.append("/".join(reversed(chain)))
    return out


# ---- item 4: decimal outlines ---------------------------------------------------------------


def test_decimal_outline_levels_from_the_numbering() -> None:
    r = bcparse.parse(DATA / "outline-decimal.txt")
    p = paths(r)
    # "2.1." under "2." although "a)" appeared (under "1.") before any dotted number
    assert "THỨ NHẤT/I/2/2.1" in p and "THỨ NHẤT/I/2/2.2" in p
    # the letters under "2.2." are its children, not above it
    assert "THỨ NHẤT/I/2/2.2/a" in p and "THỨ NHẤT/I/2/2.2/b" in p
    assert "THỨ NHẤT/I/1/a" in p
    # levels are depths: "a)" under "1." is level 4, under "2.2." level 5
    lv = {pp: s.level for pp, s in zip(p, r.sections, strict=True)}
    assert lv["THỨ NHẤT/I/1/a"] == 4 and lv["THỨ NHẤT/I/2/2.2/a"] == 5


def test_glued_dotted_heading_is_a_heading() -> None:
    # quirk: "4.1.Công tác xây dựng văn bản" has no space after the number
    r = bcparse.parse(DATA / "outline-decimal.txt")
    s = next(s for s in r.sections if s.number == "4.1")
    assert s.title == "Công tác xây dựng văn bản quy phạm pháp luật"
    assert "THỨ NHẤT/I/4/4.2" in paths(r)


def test_part_two_restarts_the_numbering() -> None:
    r = bcparse.parse(DATA / "outline-decimal.txt")
    p = paths(r)
    assert "THỨ HAI/1" in p and "THỨ HAI/2" in p
    part2 = next(s for s in r.sections if s.number == "THỨ HAI")
    assert part2.level == 1 and part2.title == "NHIỆM VỤ 6 THÁNG CUỐI NĂM 2024"


def test_cited_and_quoted_clauses_are_not_sections() -> None:
    # "Điều 3 Nghị định số 61/2018/NĐ-CP quy định như sau:" + "1. …; 2. …", then a quoted "“1. …”"
    r = bcparse.parse(DATA / "outline-decimal.txt")
    titles = [s.title for s in r.sections]
    assert not any(t.startswith(("Tổ chức tiếp nhận", "Trả kết quả", "Thực hiện dịch vụ")) for t in titles)
    assert [s.number for s in r.sections if s.parent is not None and r.sections[s.parent].number == "I"] == [
        "1", "2", "3", "4"]


def test_numbering_audit_is_quiet_on_right_numbering() -> None:
    from bcparse.audit import audit_report

    r = bcparse.parse(DATA / "outline-decimal.txt")
    assert r.numbering_issues == []
    assert [f for f in audit_report(r) if f.code.startswith("BC20")] == []
