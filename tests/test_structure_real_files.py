"""The structure part of benchmarks/accuracy.py on real files (tests/data/real-files/): header,
closing, outline, references, traps and a quiet numbering audit, scored from gold; and the harness
fails what is wrong (a gold entry altered so that the right answer is known)."""

from __future__ import annotations

import copy
import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("accuracy", ROOT / "benchmarks" / "accuracy.py")
assert spec and spec.loader
accuracy = importlib.util.module_from_spec(spec)
sys.modules["accuracy"] = accuracy
spec.loader.exec_module(accuracy)

DECREE = "real-files/001_nghi-dinh-30-2020-nd-cp"


def test_real_files_are_in_the_split_with_their_gold() -> None:
    split, gold = accuracy.load_split(), accuracy.load_gold()
    assert DECREE in split["development"] and DECREE in gold
    assert accuracy.real_file(DECREE).name == "nghi-dinh-30-2020-ND-CP.docx"


def test_decree_structure_parts_all_right() -> None:
    gold = accuracy.load_gold()[DECREE]
    sc = accuracy.score_file(DECREE, gold, accuracy._parse(DECREE), {})
    assert {k: (s.passed, s.total) for k, s in sc.items() if ":" not in k} == {
        "header": (7, 7), "closing": (8, 8), "numbering": (1, 1), "outline": (6, 6), "ref": (8, 8), "trap": (2, 2)}


def test_wrong_gold_fails_its_part() -> None:
    gold = copy.deepcopy(accuracy.load_gold()[DECREE])
    gold["closing"]["doc.signer_title"] = "PHÓ THỦ TƯỚNG"
    gold["closing"]["recipients_count"] = 20
    gold["outline"][1]["path"] = "I/2"
    sc = accuracy.score_file(DECREE, gold, accuracy._parse(DECREE), {})
    assert (sc["closing"].passed, sc["closing"].total) == (6, 8)
    assert (sc["outline"].passed, sc["outline"].total) == (5, 6)
