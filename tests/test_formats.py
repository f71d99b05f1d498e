"""The same report as .txt, .docx and .pdf gives the same outline and the same figures.

Named differences: the .docx (made as an office makes it, scripts/make_sample_docx.py) and the .pdf
converted from it carry the agency lines of the header table ("ỦY BAN NHÂN DÂN / XÃ BÌNH THÀNH")
that the .txt lost, so they also give doc.agency; spans differ in line numbers
where the header table adds lines and where Word's empty paragraphs differ from the .txt's blank
lines (tests/test_docx.py and tests/test_pdf.py compare the views block by block).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import bcparse
from bcparse.models import Figure, Span

ROOT = Path(__file__).resolve().parent.parent
STEM = ROOT / "samples" / "binh-thanh-doi-ngoai-2024"
ONLY_IN_OFFICE_FILES = {"doc.agency"}


def _figures(r: bcparse.Report) -> dict[tuple[str | None, int | None], object]:
    return {(f.key, f.item): (f.value, f.unit, f.qualifier) for f in r.figures()}


@pytest.fixture(scope="module")
def txt() -> bcparse.Report:
    return bcparse.parse(STEM.with_suffix(".txt"))


@pytest.mark.parametrize("ext", [".docx", ".pdf"])
def test_same_outline(txt: bcparse.Report, ext: str) -> None:
    other = bcparse.parse(STEM.with_suffix(ext))
    assert [(s["number"], s["marker"], s["level"], s["title"]) for s in other.outline()] == [
        (s["number"], s["marker"], s["level"], s["title"]) for s in txt.outline()]


@pytest.mark.parametrize("ext", [".docx", ".pdf"])
def test_same_figures(txt: bcparse.Report, ext: str) -> None:
    other = bcparse.parse(STEM.with_suffix(ext))
    a, b = _figures(txt), _figures(other)
    assert {k for k in b if k[0] in ONLY_IN_OFFICE_FILES} == {("doc.agency", None)}
    # commune.name comes from "Bình Thành là một xã" in the .txt, from "XÃ BÌNH THÀNH" in the others
    assert a[("commune.name", None)] == b[("commune.name", None)] == ("Bình Thành", None, None)
    b = {k: v for k, v in b.items() if k[0] not in ONLY_IN_OFFICE_FILES}
    assert a == b
    assert other.grammar == txt.grammar == "doi_ngoai"


@pytest.mark.parametrize("ext", [".docx", ".pdf"])
def test_spans_point_at_raw_text_and_name_their_origin(ext: str) -> None:
    r = bcparse.parse(STEM.with_suffix(ext))
    doc = bcparse.read(STEM.with_suffix(ext))
    for f in r.figures(all=True):
        start = doc.offset_of(f.span.line, f.span.col)
        assert doc.text[start : start + f.span.length] == f.raw
    households = r.get("commune.households")
    assert households is not None
    if ext == ".pdf":
        assert households.span.page == 1
    else:
        assert households.span.paragraph is not None


@pytest.mark.parametrize(
    ("kind", "value"),
    [("count", -1), ("count", 1.5), ("money", 1.5), ("money", -5), ("percent", "50"), ("date", "2024-02-30"),
     ("date", "2024-13"), ("rate", -2)],
)
def test_figure_values_are_validated(kind: str, value: object) -> None:
    with pytest.raises(ValueError):
        Figure(key="x.y", kind=kind, value=value, raw="x", span=Span(line=1, col=1, length=1))


@pytest.mark.parametrize(("kind", "value"), [("count", 0), ("money", 500_000), ("percent", 57.77),
                                             ("date", "2024-11"), ("date", "--06-01"), ("rate", 55.2)])
def test_figure_values_that_validate(kind: str, value: object) -> None:
    assert Figure(key="x.y", kind=kind, value=value, raw="x", span=Span(line=1, col=1, length=1)).value == value
