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
    more = {f"real-more/{p.name}" for p in CORPUS.glob("*.txt")}
    assert not dev & val and {x for x in dev | val if x.startswith("real-more/")} == more
    assert 0.2 <= len(val) / len(dev | val) <= 0.3  # a quarter, give or take the numbering
    gold = accuracy.load_gold()
    assert dev | val <= set(gold)
    # tests/data/real: a file whose number is a multiple of 4 is validation
    assert all(int(x.split("/")[1][:3]) % 4 == 0 for x in val if x.startswith("real/"))


def test_a_target_read_as_a_target_is_not_a_result() -> None:
    """A target figure (mode target) is no result: gold scalars and targets are scored by mode."""
    sample = ROOT / "samples" / "tan-lap-ktxh-2023.txt"  # "B- PHƯƠNG HƯỚNG … 1) Phấn đấu … trên 52 triệu"
    report = bcparse.parse(str(sample))
    sc = accuracy.score_file("tan-lap", {"targets": {"income.per_capita_vnd": 52000000},
                                         "target_quantities": [["trên 52 triệu đồng/người/năm", 52000000]]},
                             report, {})
    assert sc["target"].passed == 1 and sc["target_mode"].passed == 1


def test_counted_noun_is_checked_when_gold_names_it() -> None:
    assert accuracy.same_counted("hộ nghèo", "hộ nghèo")
    assert accuracy.same_counted("đảng viên", "đảng viên chính thức")
    assert not accuracy.same_counted("hộ", "hội viên")


def test_a_quantity_is_found_as_whole_words() -> None:
    text = "đạt 127%; tỷ lệ hộ nghèo giảm còn 7%; 7 hộ"
    assert accuracy._occurrences(text, "7%") == [(text.index("còn 7%") + 4, text.index("còn 7%") + 6)]
    assert accuracy._occurrences("hộ 17 hộ", "7 hộ") == [(4, 8)]  # no whole-word place: anywhere, as before
