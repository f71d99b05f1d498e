"""The accuracy harness (benchmarks/accuracy.py) scores what it claims to: checked on real texts
of the corpus with gold entries altered so that the right answer is known."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import bcparse

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("accuracy", ROOT / "benchmarks" / "accuracy.py")
assert spec and spec.loader
accuracy = importlib.util.module_from_spec(spec)
sys.modules["accuracy"] = accuracy  # dataclasses look their module up
spec.loader.exec_module(accuracy)

CORPUS = ROOT / "tests" / "data" / "real-more"
GOLD = json.loads((CORPUS / "gold.json").read_text(encoding="utf-8"))
NAME = "301_xa-xuan-quang-gioi-thieu.txt"  # "2.939 hộ,  11.925 khẩu", "19/ 20 có nhà văn hóa thôn"


def _score(gold: dict) -> dict:
    return accuracy.score_file(NAME, gold, bcparse.parse(str(CORPUS / NAME)), {})


def test_a_right_scalar_passes_and_a_wrong_one_fails() -> None:
    sc = _score({"scalars": {"commune.households": 2939}})
    assert (sc["scalar"].passed, sc["scalar"].total) == (1, 1)
    sc = _score({"scalars": {"commune.households": 2940}})
    assert (sc["scalar"].passed, sc["scalar"].total) == (0, 1)


def test_a_number_read_as_a_count_is_a_trap_hit_and_a_produced_must_not_key_fails() -> None:
    sc = _score({"not_quantities": ["2.939 hộ"], "must_not": ["commune.households"]})
    assert sc["trap"].passed == 0 and sc["must_not"].passed == 0


def test_quantities_fraction_and_missing_text() -> None:
    sc = _score({"quantities": [["11.925 khẩu", 11925], ["19/ 20", [19, 20]], ["không có trong văn bản", 1]]})
    assert (sc["quantity"].passed, sc["quantity"].total) == (2, 3)


def test_split_is_a_quarter_and_disjoint() -> None:
    split = accuracy.load_split()
    dev, val = set(split["development"]), set(split["validation"])
    assert not dev & val and dev | val == {p.name for p in CORPUS.glob("*.txt")}
    assert len(val) * 4 >= len(dev | val) - 3 and set(GOLD) - {"about"} == dev | val
