"""Issue 11, items 6 and 16: Report.value() on unknown and repeated keys; edits that write
exactly the value set (or refuse it), one validation per kind."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import bcparse
from bcparse.cli import main
from bcparse.errors import SeveralRecordsError, UnknownKeyError, ValidationError
from bcparse.models import Figure, Span

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
TXT = SAMPLES / "binh-thanh-doi-ngoai-2024.txt"
TAN_LAP = SAMPLES / "tan-lap-ktxh-2023.txt"


@pytest.fixture(scope="module")
def binh() -> bcparse.Report:
    return bcparse.parse(TXT)


@pytest.fixture(scope="module")
def tan() -> bcparse.Report:
    return bcparse.parse(TAN_LAP)


# ---- item 6 ---------------------------------------------------------------------------------

def test_item6_unknown_key_raises_keyerror_with_a_suggestion(binh: bcparse.Report) -> None:
    with pytest.raises(KeyError) as e:
        binh.value("party.member")
    assert isinstance(e.value, UnknownKeyError) and "did you mean party.members" in str(e.value)
    with pytest.raises(UnknownKeyError):
        binh.values("no.such_key")


def test_item6_known_key_not_stated_is_none(binh: bcparse.Report, tan: bcparse.Report) -> None:
    assert binh.value("economy.growth_pct") is None  # declared by kt_xh, not stated here
    assert tan.value("labour_export.departed") is None  # declared by doi_ngoai
    assert binh.value("doc.signer_name") == "Ma Khánh Sơn"
    assert binh.value("party.members") == 280


def test_item6_a_key_of_several_records_points_to_the_record_accessors(tan: bcparse.Report) -> None:
    with pytest.raises(SeveralRecordsError) as e:
        tan.value("gift.count")
    msg = str(e.value)
    assert "values('gift.count')" in msg and "items('gift')" in msg and "gift[1].count" in msg
    assert tan.values("gift.count") == [230, 50]
    assert [it["gift.count"].value for it in tan.items("gift")] == [230, 50]
    assert tan.value("gift[2].count") == 50
    assert list(tan.records) == ["ref", "gift"]


# ---- item 16 --------------------------------------------------------------------------------

def _reads_back(r: bcparse.Report, key: str, value: Any) -> None:
    r2 = r.set(key, value)
    assert r2.value(key) == value
    assert bcparse.parse_text(r2.text, grammar=r.grammar).value(key) == value, key


@pytest.mark.parametrize(("sample", "key", "value", "kind"), [
    (TXT, "party.members", 281, "count"),
    (TXT, "party.members", 12345678901234567890123456789, "count"),  # 29 digits: written exactly
    (TAN_LAP, "budget.revenue_vnd", 2_400_000_000, "money"),  # "2,35 tỷ đồng" → "2,4 tỷ đồng"
    (TAN_LAP, "budget.expenditure_vnd", 6_780_500_001, "money"),
    (TXT, "commune.area_ha", 300.5, "decimal"),
    (TAN_LAP, "commune.area_ha", 1250.75, "decimal"),
    (TAN_LAP, "commune.ethnic_minority_pct", 33.333333333333336, "percent"),
    (TAN_LAP, "income.per_capita_vnd", 50_500_000, "rate"),
    (TAN_LAP, "doc.date", "2023-12-09", "date"),
    (TAN_LAP, "ref[1].date", "2023-01-16", "date"),
    (TAN_LAP, "doc.signer_name", "Nguyễn Văn An", "text"),
])
def test_item16_an_edit_reads_back_as_the_value_set(sample: Path, key: str, value: Any, kind: str) -> None:
    r = bcparse.parse(sample)
    f = r.get_at(key)
    assert f is not None and (f.kind == kind or kind == "count")
    _reads_back(r, key, value)


@pytest.mark.parametrize(("key", "value"), [
    ("party.members", -3),
    ("commune.area_ha", -1),
    ("commune.ethnic_minority_pct", -5),
    ("cadres.political_theory_intermediate", -1),
    ("gift[1].unit_value_vnd", -500000),
    ("party.members", "1" * 31),  # more digits than a report's number is read with
    ("party.members", 10**31),
    ("commune.area_ha", 1e300),
    ("party.members", "9" * 5000),
])
def test_item16_values_that_cannot_be_written_are_refused(binh: bcparse.Report, key: str, value: Any) -> None:
    with pytest.raises(ValidationError):
        binh.set(key, value)


def test_item16_one_validation_per_kind_in_the_model() -> None:
    sp = Span(line=1, col=1, length=1)
    for kind in ("count", "money", "decimal", "number", "percent", "rate"):
        with pytest.raises(ValueError):
            Figure(key="x.y", value=-1, kind=kind, raw="1", span=sp)
    Figure(key="x.y", value=0.5, kind="percent", raw="1", span=sp)


@pytest.mark.parametrize("kv", ["party.members=" + "9" * 5000, "party.members=-3", "commune.area_ha=-1",
                                "commune.ethnic_minority_pct=-5", "party.members=" + "1" * 31])
def test_item16_cli_refuses_in_one_line(kv: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["render", str(TXT), "--set", kv])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "unexpected" not in err and len(err) < 300


def test_item16_cli_writes_a_29_digit_count_exactly(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["render", str(TXT), "--set", "party.members=12345678901234567890123456789"])
    out, _ = capsys.readouterr()
    assert code == 0 and "đảng viên là 12.345.678.901.234.567.890.123.456.789 " in out
