"""Issue 11, items 1, 3, 7, 13: one record address everywhere, scaled money in đồng, the human
figures output, `grammars --json`."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

import bcparse
from bcparse.cli import main
from bcparse.errors import ValidationError
from bcparse.models import Figure, Report
from bcparse.render.edit import kind_of

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
TXT = SAMPLES / "binh-thanh-doi-ngoai-2024.txt"
TAN_LAP = SAMPLES / "tan-lap-ktxh-2023.txt"
DOCX = SAMPLES / "binh-thanh-doi-ngoai-2024.docx"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _new_value(f: Figure) -> Any:
    """A different value of the figure's kind."""
    kind = kind_of(f)
    if kind in ("count", "money"):
        return int(f.value or 0) + (1000 if kind == "money" else 1)  # type: ignore[arg-type]
    if kind in ("percent", "number"):
        return f.value + 1 if isinstance(f.value, int | float) else 1
    if kind == "date":
        v = str(f.value)
        if len(v) == 10:
            return (dt.date.fromisoformat(v) + dt.timedelta(days=1)).isoformat()
        if len(v) == 7:
            y, m = int(v[:4]), int(v[5:])
            return f"{y:04d}-{m % 12 + 1:02d}"
        return str(int(v) + 1)
    return "Chữ Mới"


def _offset(text: str, f: Figure) -> int:
    lines = text.split("\n")
    return sum(len(x) + 1 for x in lines[: f.span.line - 1]) + f.span.col - 1


@pytest.mark.parametrize("path", [TXT, TAN_LAP, DOCX], ids=lambda p: p.name)
def test_item1_every_printed_address_edits_exactly_that_figure(path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "figures", str(path), "--json")
    assert code == 0
    printed = json.loads(out)["figures"]
    addresses = [f["address"] for f in printed]
    assert len(addresses) == len(set(addresses)), "an address names two figures"
    r = bcparse.parse(path)
    edited = 0
    for pf in printed:
        addr = pf["address"]
        f = r.get_at(addr)
        assert f is not None and f.raw == pf["raw"] and f.value == pf["value"], addr
        if f.derived or (f.rule or "").endswith(".listed") or f.kind == "list" or "\n" in f.raw:
            # computed, counted or spread over lines: refused in one line, never a wrong edit
            with pytest.raises(ValidationError):
                r.set(addr, _new_value(f))
            continue
        new = _new_value(f)
        r2 = r.set(addr, new)
        a = _offset(r.text, f)
        tail = len(r.text) - (a + f.span.length)
        # nothing changes before or after the figure's raw text, and its raw text changes
        assert r2.text[:a] == r.text[:a], addr
        assert r2.text[len(r2.text) - tail:] == r.text[a + f.span.length:], addr
        assert r2.text != r.text, addr
        g = r2.get_at(addr)
        assert g is not None and g.value == new, (addr, g)
        assert r2.text[_offset(r2.text, g):_offset(r2.text, g) + g.span.length] == g.raw
        edited += 1
    assert edited >= 40


def test_item1_addresses_count_per_kind_in_document_order(capsys: pytest.CaptureFixture[str]) -> None:
    r = bcparse.parse(TAN_LAP)
    # the first gift comes after two references: it is gift[1], not gift[3]
    assert [f.address for f in r.figures() if f.key == "gift.count"] == ["gift[1].count", "gift[2].count"]
    assert [f.address for f in r.figures() if f.key == "ref.date"] == ["ref[1].date", "ref[2].date"]
    code, out, _ = run(capsys, "figures", str(TAN_LAP))
    assert "gift[1].count" in out and "gift[3]" not in out
    code, out, err = run(capsys, "render", str(TAN_LAP), "--set", "gift[2].count=51")
    assert code == 0 and "51 suất quà cho học sinh nghèo" in out and "230 suất" in out
    code, out, err = run(capsys, "render", str(TAN_LAP), "--set", "gift[3].count=1")
    assert code == 2 and "2 gift records" in err
    # Report.items, the JSON item and the address agree
    items = r.items("gift")
    assert items[1]["gift.count"].address == "gift[2].count" and items[1]["gift.count"].value == 50
    b = bcparse.parse(TXT)
    gifts = [f for f in b.figures() if f.key == "gift.count"]
    assert gifts[0].item == 1 and gifts[0].value == 20 and gifts[-1].item == len(gifts)


def test_item1_render_help_example_names_a_real_gift(capsys: pytest.CaptureFixture[str]) -> None:
    r = bcparse.parse(TXT)
    # the example of `render --help` and of Report.set's docstring: the second gift's value per gift
    r2 = r.set("gift[2].unit_value_vnd", 600000)
    assert r2.get_at("gift[2].unit_value_vnd").value == 600000  # type: ignore[union-attr]
    assert "trị giá 600.000 đồng/xuất" in r2.text


def test_item1_store_keeps_the_item_number() -> None:
    from bcparse.store.writer import figure_row

    r = bcparse.parse(TAN_LAP)
    f = next(f for f in r.figures() if f.key == "gift.count" and f.value == 50)
    row = figure_row(1, 0, f)
    assert row["item"] == 2 and row["key"] == "gift.count"  # the address gift[2].count


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("Thu ngân sách ước đạt 2,35 tỷ đồng.", 2_350_000_000, "đồng"),
    ("Thu nhập bình quân 48,5 triệu đồng/người/năm.", 48_500_000, "đồng/người/năm"),
    ("Tổng vốn đạt 1.184 tỷđ.", 1_184_000_000_000, "đồng"),
])
def test_item3_scaled_money_has_the_unit_of_its_value(text: str, value: int, unit: str) -> None:
    r = bcparse.parse_text(text)
    f = next(f for f in r.figures(all=True) if f.value == value)
    assert f.unit == unit
    assert f.raw.endswith(text.split()[-1].rstrip(".")) or "tỷ" in f.raw or "triệu" in f.raw


def test_item3_keyed_figures_and_human_output(capsys: pytest.CaptureFixture[str]) -> None:
    r = bcparse.parse(TAN_LAP)
    rev = r.get("budget.revenue_vnd")
    assert rev is not None and rev.value == 2_350_000_000 and rev.unit == "đồng" and rev.raw == "ước đạt 2,35 tỷ đồng"
    inc = r.get("income.per_capita_vnd")
    assert inc is not None and inc.value == 48_500_000 and inc.unit == "đồng/người/năm"
    code, out, _ = run(capsys, "figures", str(TAN_LAP))
    assert "2.350.000.000 đồng (approx)" in out and "48.500.000 đồng/người/năm" in out
    code, out, _ = run(capsys, "figures", str(TAN_LAP), "--all", "--json")
    figs = json.loads(out)["figures"]
    assert not any(f["unit"] and ("tỷ" in f["unit"] or "triệu" in f["unit"]) for f in figs)


def test_item13_human_figures_output_is_aligned_and_vietnamese(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "figures", str(TXT), "--all")
    assert code == 0
    rows = [ln for ln in out.splitlines()[1:] if ln.startswith("  ")]
    assert "\t" not in out
    # the address column starts at the same place on every row, and so does the value column
    starts = {ln.index(ln.split()[1], len(ln.split()[0]) + 2) for ln in rows}
    assert len(starts) == 1
    assert any("284,62 ha" in ln for ln in rows) and any("1.422 hộ" in ln for ln in rows)
    assert not any(" 284.62 " in ln for ln in rows)
    derived = [ln for ln in rows if "gift[1].total_vnd" in ln]
    assert derived and "10.000.000" in derived[0] and "(tính ra)" in derived[0]
    code, out, _ = run(capsys, "figures", str(TXT), "--json")
    households = next(f for f in json.loads(out)["figures"] if f["key"] == "commune.households")
    assert households["value"] == 1422  # JSON keeps numbers


def test_item7_grammars_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "grammars", "--json")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert {g["id"] for g in data} >= {"common", "doi_ngoai", "kt_xh"}
    assert all(isinstance(g["priority"], int) for g in data)


def test_item1_report_json_round_trip_keeps_addresses() -> None:
    r = bcparse.parse(TAN_LAP)
    back = Report.model_validate_json(r.model_dump_json(by_alias=True))
    assert [f.address for f in back.figures()] == [f.address for f in r.figures()]
    assert back.set("gift[1].count", 231).get_at("gift[1].count").value == 231  # type: ignore[union-attr]
