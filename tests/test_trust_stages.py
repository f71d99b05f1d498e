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
    for raw, sp in _every_span(r):
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
    for (raw, sp), (_, sp2) in zip(_every_span(r), _every_span(r2), strict=True):
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
