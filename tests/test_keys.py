"""The key vocabulary (bcparse.keys): every key the grammars give has a Vietnamese label, read
from the grammars' ``keys:`` part; figure addresses (``key[i]``, ``key@mode``) are labelled too."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

import bcparse.keys as keys
from bcparse.elements import DOC_FIELDS
from bcparse.errors import GrammarError
from bcparse.grammar import declared_keys, parse_grammar


def test_every_declared_key_has_a_vietnamese_label_and_description() -> None:
    cat = keys.catalogue()
    missing = sorted(k for k in declared_keys() | set(DOC_FIELDS) if cat[k].label == k)
    assert missing == []
    assert all(cat[k].description for k in cat), [k for k in cat if not cat[k].description]
    # Vietnamese, not the key reworded: the labels of the sample's first figures
    assert cat["commune.households"].label == "Số hộ"
    assert cat["party.members"].label == "Số đảng viên"
    assert cat["doc.number"].label == "Số văn bản"


def test_key_lists_the_grammars_that_give_it() -> None:
    cat = keys.catalogue()
    assert cat["foreign.outbound"].grammars == ("doi_ngoai",)
    assert cat["labour_export.departed"].grammars == ("common",)  # read in a report of any type
    assert cat["poverty.rate_pct"].grammars[0] == "common" and "kt_xh" in cat["poverty.rate_pct"].grammars
    assert cat["doc.date"].grammars == ("common",)


def test_label_of_a_target_and_of_a_record_field() -> None:
    assert keys.label("poverty.rate_pct@target") == "Tỷ lệ hộ nghèo (%) (chỉ tiêu)"
    assert keys.label("gift.total_vnd[2]") == "Tổng giá trị quà (đồng)"
    assert keys.label("party.members@result") == "Số đảng viên"
    assert keys.label("not.a.key") == "not.a.key"


def test_a_label_in_a_user_grammar_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "nong_thon_moi.yaml").write_text(
        "id: nong_thon_moi\ntitle: Nông thôn mới\nextends: [common]\n"
        "counts:\n  - key: ntm.criteria\n    noun: [tiêu chí]\n"
        "keys:\n  ntm.criteria: {label: 'Số tiêu chí đạt', description: 'Số tiêu chí nông thôn mới đạt chuẩn'}\n",
        encoding="utf-8")
    monkeypatch.setenv("BCPARSE_GRAMMARS", str(tmp_path))
    assert keys.label("ntm.criteria") == "Số tiêu chí đạt"
    assert keys.catalogue()["ntm.criteria"].grammars == ("nong_thon_moi",)


def test_a_badly_written_key_in_keys_is_a_grammar_error_with_its_line() -> None:
    text = "id: x\ntitle: X\nkeys:\n  Party.Members: {label: 'Số đảng viên'}\n"
    with pytest.raises(GrammarError, match=r"x.yaml:3: field 'keys': .*dotted lower-case key"):
        parse_grammar(text, "x.yaml")


def test_keys_doctests() -> None:
    result = doctest.testmod(keys, verbose=False)
    assert result.attempted >= 4 and result.failed == 0
