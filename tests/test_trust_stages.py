"""Issue 12, items 2 and 3: spans are offsets into the text view, the stages run one way (one
claim registry, the header once), and the Report needs nothing from the renderer."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import bcparse
from bcparse.models import Report

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted(str(p) for p in (ROOT / "samples").glob("binh-thanh-doi-ngoai-2024.*") if p.suffix != ".json")
SAMPLES += [str(ROOT / "samples" / "tan-lap-ktxh-2023.txt")]


def _every_span(r: Report) -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = [(f.raw, f.span) for f in r.figure_list]
    out += [("", s.span) for s in r.sections]
    out += [("", sp) for part in (r.header, r.closing) for sp in part.spans.values()]
    return out


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: Path(p).name)
def test_item2_every_span_is_an_offset_into_the_text_view(path: str) -> None:
    r = bcparse.parse(path)
    idx = r.index
    assert len(r.figure_list) > 50
    for _raw, sp in _every_span(r):
        assert sp.offset is not None  # type: ignore[attr-defined]
        # line and column are derived from the offset by the text's one position index
        assert idx.line_col(sp.offset) == (sp.line, sp.col)  # type: ignore[attr-defined]
    for f in r.figure_list:
        assert r.text[f.span.offset : f.span.offset + f.span.length] == f.raw  # type: ignore[operator]


def test_item2_party_members_offset_in_the_json_contract() -> None:
    r = bcparse.parse(ROOT / "samples" / "binh-thanh-doi-ngoai-2024.txt")
    f = r.get("party.members")
    assert f is not None
    assert f.contract()["span"] == {"line": 17, "col": 171, "length": 3, "offset": 966}
    assert r.text[966:969] == "280"


def test_item2_a_report_read_back_from_json_keeps_its_offsets() -> None:
    r = bcparse.parse(ROOT / "samples" / "binh-thanh-doi-ngoai-2024.txt")
    back = Report.model_validate_json(r.model_dump_json(by_alias=True))
    assert [f.span for f in back.figure_list] == [f.span for f in r.figure_list]
    # a JSON written before offsets were recorded: they are derived from line and column
    data = json.loads(r.model_dump_json(by_alias=True))
    for f in data["figures"]:
        del f["span"]["offset"]
    old = Report.model_validate(data)
    assert [f.span.offset for f in old.figure_list] == [f.span.offset for f in r.figure_list]
    # and an edit of the read-back report lands on the same characters as on the parsed one
    assert old.set("gift[2].unit_value_vnd", 600000).text == r.set("gift[2].unit_value_vnd", 600000).text


def test_item2_an_edit_moves_offsets_and_derives_line_and_col() -> None:
    r = bcparse.parse(ROOT / "samples" / "tan-lap-ktxh-2023.txt")
    r2 = r.set("commune.households", 999)  # "1.422" → "999": two characters shorter
    for (_raw, sp), (_, sp2) in zip(_every_span(r), _every_span(r2), strict=True):
        assert sp2.offset in (sp.offset, sp.offset - 2)  # type: ignore[attr-defined,operator]
        assert r2.index.line_col(sp2.offset) == (sp2.line, sp2.col)  # type: ignore[attr-defined]
    for f in r2.figure_list:
        assert r2.text[f.span.offset : f.span.offset + f.span.length] == f.raw  # type: ignore[operator]


def _loaded(module: str) -> set[str]:
    code = f"import sys, {module}; print(' '.join(m for m in sys.modules if m.startswith('bcparse')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return set(out.stdout.split())


def test_item3_report_set_loads_nothing_from_render() -> None:
    code = ("import sys, bcparse.pipeline as p; r = p.parse('samples/binh-thanh-doi-ngoai-2024.txt'); "
            "r2 = r.set('party.members', 281); assert r2.get('party.members').value == 281; "
            "print(' '.join(m for m in sys.modules if m.startswith('bcparse.render')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.split() == []
    assert not any(m.startswith("bcparse.render") for m in _loaded("bcparse.edit"))


def test_item3_one_claim_registry() -> None:
    from bcparse.extract import Claims

    c = Claims()
    c.claim(5, 10)
    c.claim_all([(20, 25), (0, 2)])
    assert c.taken(9, 12) and c.taken(0, 1) and c.taken(24, 30)
    assert not c.taken(10, 12) and not c.taken(2, 5) and not c.taken(25, 30)
    # the generic quantities go through it: none repeats a number a keyed figure read
    r = bcparse.parse(ROOT / "samples" / "binh-thanh-doi-ngoai-2024.txt")
    keyed = [(f.num_start, f.num_end) for f in r.figure_list if f.key and f.num_start is not None]
    generic = [f for f in r.figure_list if f.key is None]
    assert len(keyed) == 60 and len(generic) == 2
    for g in generic:
        assert not any(a < g.num_end and g.num_start < b for a, b in keyed), g  # type: ignore[operator]


def test_item3_pipeline_is_four_stages() -> None:
    import inspect

    from bcparse import pipeline

    src = inspect.getsource(pipeline.parse_document)
    assert "parse_structure(doc)" in src and "extract(doc, st" in src and "assemble(doc, st, ex)" in src
    assert "bisect" not in inspect.getsource(pipeline)  # overlap removal lives in extract.Claims only


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: Path(p).name)
def test_item3_doc_figures_are_derived_from_the_header(path: str) -> None:
    from bcparse.extract import doc_figures

    r = bcparse.parse(path)
    docs = [f for f in r.figure_list if f.key and f.key.startswith("doc.")]
    assert len(docs) >= 8
    assert docs == doc_figures(r.text, r.header, r.closing)


def test_item3_an_edit_of_the_header_needs_no_sync() -> None:
    import bcparse.edit
    import bcparse.render.edit

    assert not hasattr(bcparse.edit, "_header_sync") and not hasattr(bcparse.render.edit, "_header_sync")
    r = bcparse.parse(ROOT / "samples" / "binh-thanh-doi-ngoai-2024.txt")
    assert r.header.date == r.value("doc.date") == "2024-11"  # "ngày  tháng 11 năm 2024": the day left blank
    assert r.header.blanks == ["number", "day"] and r.header.number is None
    r2 = r.set("doc.date", "2024-12-09").set("doc.signer_name", "Trần Văn Bình").set("doc.number", 9)
    assert r2.header.date == r2.value("doc.date") == "2024-12-09"
    assert r2.closing.signer_name == r2.value("doc.signer_name") == "Trần Văn Bình"
    assert r2.header.number == r2.value("doc.number") == "9"
    assert r2.get("doc.date").raw == "ngày 09 tháng 12 năm 2024"  # type: ignore[union-attr]
    assert r2.get("doc.number").raw == "Số: 09/BC-UBND"  # type: ignore[union-attr]
    assert r2.header.blanks == []  # stated now
    from bcparse.extract import doc_figures

    assert [f for f in r2.figure_list if f.key and f.key.startswith("doc.")] == \
        doc_figures(r2.text, r2.header, r2.closing)
