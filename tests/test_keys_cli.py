"""``bcparse keys`` and the key vocabulary's kinds and units (issue 14, item 3), and what
``Report.value``/``get`` say about a key that is mistyped or names several records."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest

import bcparse
from bcparse.cli import main
from bcparse.elements import NUMERIC_KINDS
from bcparse.errors import SeveralRecordsError, UnknownKeyError
from bcparse.keys import catalogue

ROOT = Path(__file__).resolve().parent.parent
TAN = ROOT / "samples" / "tan-lap-ktxh-2023.txt"


def run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(list(args))
    return code, out.getvalue()


def test_keys_json_lists_every_key_with_a_vietnamese_label_kind_and_unit() -> None:
    code, out = run("keys", "--json")
    keys = {k["key"]: k for k in json.loads(out)}
    assert code == 0 and list(keys) == list(catalogue())
    assert [k for k, v in keys.items() if v["label"] == k] == []
    assert keys["party.members"] == {
        "key": "party.members", "label": "Số đảng viên", "description": keys["party.members"]["description"],
        "kind": "count", "unit": "đảng viên", "record": False, "grammars": ["common"]}
    assert (keys["budget.revenue_vnd"]["kind"], keys["budget.revenue_vnd"]["unit"]) == ("money", "đồng")
    assert (keys["poverty.rate_pct"]["kind"], keys["poverty.rate_pct"]["unit"]) == ("percent", "%")
    assert (keys["agri.food_output_t"]["kind"], keys["agri.food_output_t"]["unit"]) == ("number", "tấn")
    assert (keys["doc.date"]["kind"], keys["labour_export.countries"]["kind"]) == ("date", "list")
    assert keys["gift.count"]["record"] and keys["gift.count"]["kind"] == "count"
    assert keys["gift.table_total.total"]["kind"] == "money"  # a table column's type


def test_keys_of_one_grammar_and_the_table_people_read() -> None:
    code, out = run("keys", "--grammar", "quoc_phong", "--json")
    keys = {k["key"] for k in json.loads(out)}
    assert code == 0 and "military.enlisted" in keys and "party.members" in keys  # its own and common's
    assert "foreign.outbound" not in keys and "economy.grdp_vnd" not in keys
    code, out = run("keys")
    lines = out.splitlines()
    assert lines[0].split() == ["KEY", "LABEL", "KIND", "UNIT", "GRAMMARS"]
    members = next(line for line in lines if line.startswith("party.members "))
    assert "Số đảng viên" in members and " count " in members and "đảng viên" in members
    assert "(record)" in next(line for line in lines if line.startswith("gift.count "))


def test_the_kinds_agree_with_the_figures_read() -> None:
    """A key the catalogue calls numeric is read as a number, a date as a date, text as text."""
    cat = catalogue()
    r = bcparse.parse(TAN)
    for f in r.figures():
        want = cat[f.key or ""].kind
        assert (f.kind in NUMERIC_KINDS) == (want in NUMERIC_KINDS), (f.key, f.kind, want)
        assert (f.item is not None) == cat[f.key or ""].record, f.key


def test_a_mistyped_key_says_what_was_meant_and_several_records_name_the_accessors() -> None:
    r = bcparse.parse(TAN)
    with pytest.raises(KeyError, match=r"did you mean party\.members"):
        r.value("party.memberz")
    with pytest.raises(UnknownKeyError, match=r"did you mean party\.members"):
        r.get("party.memberz")
    assert r.get("economy.grdp_vnd") is None  # declared, not stated: None, as before
    assert r.value("party.members") == 312  # a unique key: its value, as documented
    with pytest.raises(SeveralRecordsError) as e:
        r.value("gift.count")
    msg = str(e.value)
    assert "report.values('gift.count')" in msg and "report.records['gift']" in msg and "gift[1].count" in msg
