"""Grammar patterns run on the ``regex`` module (issue 14, item 4): a time limit per search (a user
pattern that backtracks catastrophically is a GrammarError naming the rule and its file, not a
hang), Unicode property classes (``\\p{L}``) and fuzzy literals for OCR'd text, off by default."""

from __future__ import annotations

from pathlib import Path

import pytest

import bcparse
from bcparse import grammar
from bcparse.errors import GrammarError
from bcparse.grammar import fuzzy_pattern, parse_grammar


def _grammar(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str) -> Path:
    f = tmp_path / "thu.yaml"
    f.write_text("id: thu\ntitle: Thử\nextends: [common]\n" + body, encoding="utf-8")
    monkeypatch.setenv("BCPARSE_GRAMMARS", str(tmp_path))
    return f


def test_catastrophic_backtracking_is_a_grammar_error_naming_the_rule_and_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    f = _grammar(tmp_path, monkeypatch, "figures:\n  - key: thu.evil\n    patterns: ['{int} (a|aa)+$']\n")
    monkeypatch.setattr(grammar, "MATCH_TIMEOUT", 0.05)
    text = "Báo cáo\n\nCó 1 " + "a" * 40 + "!\n"  # (a|aa)+ then $ fails: 2^40 ways to fail
    with pytest.raises(GrammarError) as e:
        bcparse.parse_text(text, grammar="thu")
    msg = str(e.value)
    assert str(f) in msg and "'thu.evil'" in msg and "(a|aa)+$" in msg and "\n" not in msg


def test_the_classic_evil_pattern_is_no_hang_for_the_regex_module(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # (a+)+$ hangs Python's re on a long line of a's; regex reads it at once (no error, no figure)
    _grammar(tmp_path, monkeypatch, "figures:\n  - key: thu.evil\n    patterns: ['{int} (a+)+$']\n")
    r = bcparse.parse_text("Báo cáo\n\nCó 1 " + "a" * 5000 + "!\n", grammar="thu")
    assert r.get("thu.evil") is None


def test_unicode_property_classes_in_patterns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _grammar(tmp_path, monkeypatch,
             "figures:\n  - key: thu.hamlet_households\n    patterns: ['thôn \\p{L}+ có {int} hộ']\n")
    r = bcparse.parse_text("Báo cáo\n\nThôn Đồng có 123 hộ dân.\n", grammar="thu")
    assert r.value("thu.hamlet_households") == 123


def test_fuzzy_pattern_wraps_long_literal_runs_only() -> None:
    assert fuzzy_pattern(r"(?:số )?hộ nghèo\s*(?:là|:)\s*{int}\s*hộ") == \
        r"(?:số )?(?:hộ nghèo){s<=1}\s*(?:là|:)\s*{int}\s*hộ"
    assert fuzzy_pattern(r"đảng viêns? {int}") == r"(?:đảng viên){s<=1}s? {int}"  # 's' keeps its '?'
    assert fuzzy_pattern(r"(?P<donor>[^.]+?) trao tặng {int:count}") == \
        r"(?P<donor>[^.]+?) (?:trao tặng){s<=1} {int:count}"  # group names and classes untouched
    assert fuzzy_pattern(r"\p{L}+ xã {int}") == r"\p{L}+ xã {int}"


OCR = "Báo cáo\n\nToàn xã có 1.234 hộ, trong đó số hộ nghẻo là 56 hộ.\n"  # 'nghẻo': an OCR error
RULE = "  - key: thu.poor\n    patterns: ['số hộ nghèo là {int}']\n"


def test_fuzzy_is_off_by_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _grammar(tmp_path, monkeypatch, "figures:\n" + RULE)
    assert bcparse.parse_text(OCR, grammar="thu").get("thu.poor") is None


@pytest.mark.parametrize("where", ["rule", "grammar"])
def test_fuzzy_reads_a_phrase_with_one_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    body = "figures:\n" + RULE + "    fuzzy: true\n" if where == "rule" else "fuzzy: true\nfigures:\n" + RULE
    _grammar(tmp_path, monkeypatch, body)
    f = bcparse.parse_text(OCR, grammar="thu").get("thu.poor")
    assert f is not None and f.value == 56 and f.raw == "56 hộ"
    g = parse_grammar("id: x\ntitle: t\nfuzzy: true\nfigures:\n" + RULE, "x.yaml")
    assert g.figures[0].fuzzy and g.figures[0].patterns == ["(?:số hộ nghèo là){s<=1} {int}"]


def test_a_rule_can_refuse_the_grammars_fuzzy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _grammar(tmp_path, monkeypatch, "fuzzy: true\nfigures:\n" + RULE + "    fuzzy: false\n")
    assert bcparse.parse_text(OCR, grammar="thu").get("thu.poor") is None


def test_a_pattern_regex_cannot_compile_is_refused_with_its_line() -> None:
    with pytest.raises(GrammarError, match=r"x.yaml:5: field 'figures.0.patterns'.*not a valid regular"):
        parse_grammar("id: x\ntitle: t\nfigures:\n  - key: a.b\n    patterns: ['\\p{Nope} {int}']\n", "x.yaml")


def test_words_around_a_placeholder_are_no_glued_anchor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the line pre-filter took "xã có  chợ" (the placeholder removed) as a literal the line must hold
    _grammar(tmp_path, monkeypatch, "figures:\n  - key: thu.markets\n    patterns: ['xã có {int} chợ']\n")
    assert bcparse.parse_text("Báo cáo\n\nToàn xã có 4 chợ nông thôn.\n", grammar="thu").value("thu.markets") == 4


def test_line_prefilter_literals() -> None:
    from bcparse.extract import compile_pattern

    assert compile_pattern("xã có {int} chợ").anchor == "xã có"
    assert compile_pattern(r"đoàn vào\s*:\s*{count}").anchor == "đoàn vào"  # the words before an escape
    assert compile_pattern(r"hộ nghèo{s<=1} {int}").anchor == "hộ nghè"  # a quantifier takes the letter before
    c = compile_pattern(r"{int}\s+(?:dự án|chương trình) (?:viện trợ )?(?:phi chính phủ|pcpnn)")
    assert c.anchor is None and c.anyof == ("dự án", "chương trình")
    assert compile_pattern(r"(?:số )?hộ {int}").anyof == ()  # an optional group is no condition
    assert compile_pattern(r"(?:a|(?:bcd|efg)) {int}").anyof == ()  # nor one beside a top-level alternative


def test_the_time_limit_is_per_match_not_for_a_line_of_many(monkeypatch: pytest.MonkeyPatch) -> None:
    # regex's own finditer counts the CPU time of the whole iteration, the caller's work on each
    # match included: a long line of gift records read slowly (under a profiler) ran out of time
    import time

    monkeypatch.setattr(grammar, "MATCH_TIMEOUT", 0.05)
    got = []
    for m in grammar.Pattern(r"\d+ suất").finditer("tặng 1 suất, 2 suất, 3 suất và 4 suất"):
        until = time.process_time() + 0.03
        while time.process_time() < until:
            pass
        got.append(m.group())
    assert got == ["1 suất", "2 suất", "3 suất", "4 suất"]
    m = grammar.Pattern(r"(?<=x)\d").finditer("x1x2", 1)  # lookbehind sees before pos, as re's finditer
    assert [x.group() for x in m] == ["1", "2"]
