"""Issue 12, items 5 and 7 (the numbers package): one of each helper, word lists in data, and a
scanner that no longer hides its own bugs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from bcparse import edit, extract, numbers
from bcparse.audit import header as audit_header
from bcparse.models import value_error
from bcparse.numbers import quantities
from bcparse.textview import fold

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT / "bcparse"
SAMPLE = ROOT / "samples" / "binh-thanh-doi-ngoai-2024.txt"
DATA = yaml.safe_load((PKG / "data" / "numbers_vi.yaml").read_text(encoding="utf-8"))


def _sources() -> dict[str, str]:
    return {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in PKG.rglob("*.py")}


# ---- item 7: no silent swallowing -----------------------------------------------------------------


def test_item7_find_quantities_lets_a_scanner_bug_surface(monkeypatch: pytest.MonkeyPatch) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    assert len(numbers.find_quantities(text)) > 50  # the real report has figures

    def broken(*args: object, **kw: object) -> object:
        raise RuntimeError("a bug in the scanner")

    monkeypatch.setattr(quantities, "_number_at", broken)
    with pytest.raises(RuntimeError, match="a bug in the scanner"):  # before: [] and the figures gone
        numbers.find_quantities(text)


def test_item7_find_quantities_has_no_broad_except() -> None:
    src = (PKG / "numbers" / "quantities.py").read_text(encoding="utf-8")
    assert not re.search(r"except\s*(Exception|BaseException)?\s*:", src)


# ---- item 5: one of each ---------------------------------------------------------------------------


@pytest.mark.parametrize("definition", [r"def fold\(", r"def to_roman\(", r"def _?valid_iso\(",
                                        r"def date_problem\(", r"def _fold_fast\("])
def test_item5_one_definition_of_each_helper(definition: str) -> None:
    where = [f for f, s in _sources().items() if re.search(rf"(?m)^{definition}", s)]
    assert len(where) <= 1, where


def test_item5_one_placeholder_regex() -> None:
    where = [f for f, s in _sources().items() if "(?P<type>[a-z_]+)" in s]
    assert where == ["bcparse/numbers/placeholders.py"]
    from bcparse import grammar
    from bcparse.render import build
    assert grammar._PH is extract._PH is build._PH is numbers.PLACEHOLDER_RE


def test_item5_one_calendar_check() -> None:
    """Every place that decides whether a date exists goes through numbers.iso."""
    where = [f for f, s in _sources().items() if re.search(r"monthrange|_dt\.date\(|\bdate\(int\(", s)]
    assert where == ["bcparse/numbers/iso.py"]


@pytest.mark.parametrize(("value", "real"), [
    ("2024-11-08", True), ("2024-11", True), ("2024", True), ("--02-29", True),
    ("2023-02-29", False), ("2024-13", False), ("--02-30", False), ("08/11/2024", False),
])
def test_item5_the_iso_validators_agree(value: str, real: bool) -> None:
    assert (value_error("date", value) is None) is real
    dated = value not in ("--02-29", "--02-30")
    assert (audit_header.valid_iso(value) is not None) is (real and dated)
    if value.count("-") == 2 or (value.count("-") == 1 and dated):
        assert (edit._iso_date(value) is not None) is real


def test_item5_one_fold_and_one_to_roman() -> None:
    from bcparse import structure
    from bcparse.readers import numbering
    assert structure.to_roman is numbering.to_roman is numbers.to_roman
    assert numbers.to_roman(1994) == "MCMXCIV"
    assert quantities.fold is fold


# ---- item 5: the word lists are data ---------------------------------------------------------------


def test_item5_word_lists_left_the_code() -> None:
    src = _sources()
    assert "XÃ|PHƯỜNG" not in src["bcparse/pipeline.py"]
    assert "chưa đến" not in src["bcparse/extract.py"] and '"tỷ" in h' not in src["bcparse/extract.py"]
    assert "tỷ lệ|tỉ lệ" not in src["bcparse/audit/arithmetic.py"]
    assert "không phát sinh" not in src["bcparse/numbers/_patterns.py"]


def test_item5_grammar_qualifiers_are_the_data_list() -> None:
    """The grammar engine's qualifier list had drifted from numbers_vi.yaml: it is that list now."""
    c = extract.compile_pattern("có {int:poor} hộ nghèo")
    for word, kind in DATA["qualifiers"].items():
        m = c.regex.search(fold(f"Toàn xã có {word} 12 hộ nghèo"))
        assert m is not None, word
        q = next(s.qgroup for s in c.slots if s.qgroup)
        assert numbers.qualifier_of(m.group(q)) == kind, word
        assert int(m.group(c.slots[0].group)) == 12


def test_item5_table_header_scale_from_data() -> None:
    assert numbers.header_scale("Kinh phí (triệu đồng)") == 1_000_000
    assert numbers.header_scale("Dự toán (Tỷ đồng)") == 1_000_000_000
    assert numbers.header_scale("Giá trị (trđ)") == 1_000_000
    assert numbers.header_scale("Số tiền (nghìn đồng)") == 1000
    assert numbers.header_scale("Số tiền (đồng)") == 1
    assert extract._cell_value("1,5", "money", "Kinh phí (triệu đồng)") == (1_500_000, "money")


def test_item5_commune_heads_from_data() -> None:
    from bcparse.numbers.lexicon import COMMUNE_HEAD
    for head in DATA["commune_heads"]:
        m = COMMUNE_HEAD.match(f"{head.upper()} TÂN LẬP")
        assert m is not None and m.group(2) == "TÂN LẬP"
    assert COMMUNE_HEAD.match("UBND HUYỆN ĐỊNH HOÁ") is None


def test_item5_models_do_not_load_the_word_lists() -> None:
    """The one ISO check sits in numbers.iso, which imports nothing of bcparse (the models use it
    without loading the word lists), and the package loads its modules on first use."""
    import ast
    tree = ast.parse((PKG / "numbers" / "iso.py").read_text(encoding="utf-8"))
    imported = {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert imported <= {"__future__", "calendar", "re"}
    init = ast.parse((PKG / "numbers" / "__init__.py").read_text(encoding="utf-8"))
    top = [n for n in init.body if isinstance(n, ast.ImportFrom) and n.level > 0]
    assert top == []  # the submodules are imported under TYPE_CHECKING or on first use only
