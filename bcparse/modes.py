"""Passage modes: is a number a result, a target, a plan or a comparison?

Sections of "phương hướng, nhiệm vụ" hold targets, not results; "phấn đấu giảm tỷ lệ hộ nghèo
xuống 3%" is a target wherever it stands; "tăng 4,1% so với cùng kỳ" is a comparison. The mode of
every figure is decided here (extract stage), from three kinds of evidence, all words in data
(``grammars/vocabulary/modes.yaml``, documented in docs/figures.md "Mode"):

1. the innermost section heading that says (result words win inside one heading);
2. a cue earlier in the same sentence ("phấn đấu", "dự kiến"), unless it follows a word that
   makes the sentence a result measured against a target ("đạt 100% chỉ tiêu");
3. words right after the quantity that make it a comparison ("so với cùng kỳ", "% kế hoạch").

Outside any deciding heading a report is a result, a plan-type document ("KẾ HOẠCH") a plan.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .bind import vocabulary_dirs  # the same vocabulary/ folders the binding's word lists come from
from .elements import Mode
from .errors import GrammarError
from .grammar_paths import load_yaml
from .structure import Structure, enclosing
from .textview import fold

_SENTENCE_END = re.compile(r"[.!?](?=\s|$)|\n")  # ";" does not end a target cue's reach: "phấn đấu …; …; …"
_CLAUSE_END = re.compile(r"[.!?](?=\s|$)|[\n;]|,(?!\d)")  # a plan cue reaches to the end of its clause
_HEADING_LINE = re.compile(r"^[^\W\d_][^.;!?]{2,100}[:]?$")  # a short line with no sentence in it
_HEADING_CHARS = 90  # a heading decides by its first words (a long title is a paragraph with a number)


@dataclass(frozen=True, slots=True)
class ModeWords:
    headings: dict[str, tuple[str, ...]]  # mode → words (folded)
    plan_types: tuple[str, ...]
    cues: dict[str, tuple[str, ...]]
    cue_negators: tuple[str, ...]
    comparison_after: tuple[str, ...]
    percent_of: tuple[str, ...]


def _words(x: Any, where: str) -> tuple[str, ...]:
    if x is None:
        return ()
    if not isinstance(x, list) or not all(isinstance(w, str) for w in x):
        raise GrammarError(f"{where}: expected a list of words")
    return tuple(fold(w).strip() for w in x if w.strip())


@functools.lru_cache(maxsize=4)
def _load(dirs: tuple[Path, ...]) -> ModeWords:
    heads: dict[str, list[str]] = {"result": [], "target": [], "plan": []}
    cues: dict[str, list[str]] = {"target": [], "plan": []}
    plan_types: list[str] = []
    neg: list[str] = []
    comp: list[str] = []
    pct: list[str] = []
    for d in dirs:
        f = d / "modes.yaml"
        if not f.is_file():
            continue
        try:
            data = load_yaml(f.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as e:
            raise GrammarError(f"{f}: not valid YAML ({e.__class__.__name__})") from None
        if not isinstance(data, dict):
            raise GrammarError(f"{f}: expected a mapping of word lists")
        unknown = set(data) - {"headings", "plan_types", "cues", "cue_negators", "comparison_after", "percent_of"}
        if unknown:
            raise GrammarError(f"{f}: unknown field {sorted(unknown)[0]!r}")
        for mode, ws in (data.get("headings") or {}).items():
            if mode not in heads:
                raise GrammarError(f"{f}: field 'headings.{mode}': a mode is one of {sorted(heads)}")
            heads[mode] += _words(ws, f"{f}: field 'headings.{mode}'")
        for mode, ws in (data.get("cues") or {}).items():
            if mode not in cues:
                raise GrammarError(f"{f}: field 'cues.{mode}': a cue mode is one of {sorted(cues)}")
            cues[mode] += _words(ws, f"{f}: field 'cues.{mode}'")
        plan_types += _words(data.get("plan_types"), f"{f}: field 'plan_types'")
        neg += _words(data.get("cue_negators"), f"{f}: field 'cue_negators'")
        comp += _words(data.get("comparison_after"), f"{f}: field 'comparison_after'")
        pct += _words(data.get("percent_of"), f"{f}: field 'percent_of'")
    return ModeWords({k: tuple(v) for k, v in heads.items()}, tuple(plan_types),
                     {k: tuple(v) for k, v in cues.items()}, tuple(neg),
                     tuple(sorted(set(comp), key=len, reverse=True)), tuple(sorted(set(pct), key=len, reverse=True)))


def mode_words() -> ModeWords:
    return _load(tuple(vocabulary_dirs()))


_STATED = re.compile(r"\s*(?:(?:đề ra|được giao|giao|đặt ra)\s+)?(?:là|:)\s*(?:khoảng\s+|trên\s+|dưới\s+)?\d")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_QUANTITY = re.compile(r"(?<![\d-])(?!(?:19|20)\d{2}(?!\d))\d")  # a digit that does not start a year


def heading_mode(title: str, words: ModeWords | None = None, year: int | None = None) -> Mode | None:
    """The mode a section heading gives the text under it, or None when it does not say. With
    the report's ``year``, a heading about a later year ("Năm 2025" in a report dated 2024) is a
    target unless it has a result word.

    >>> heading_mode("PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2025")
    'target'
    >>> heading_mode("A- KẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM 2023")
    'result'
    >>> heading_mode("Các chỉ tiêu chủ yếu của năm 2022:")
    'target'
    >>> heading_mode("Về phát triển kinh tế") is None
    True
    >>> heading_mode("II. Năm 2025", year=2024), heading_mode("II. Năm 2024", year=2024)
    ('target', None)
    >>> heading_mode("Tổng diện tích gieo trồng đạt 284,62 ha, bằng 101,5% kế hoạch.") is None
    True
    >>> heading_mode("Nhiệm vụ trọng tâm 6 tháng cuối năm 2018")
    'target'
    """
    w = words or mode_words()
    t = fold(title)[:_HEADING_CHARS]
    # a numbered paragraph is no heading: its words after the first quantity do not decide
    # ("1. Tổng diện tích gieo trồng đạt 284,62 ha, bằng 101,5% kế hoạch.")
    q = _QUANTITY.search(t)
    head = t[: q.start()] if q else t
    for mode in ("result", "target", "plan"):
        if any(_has_word(head, x) for x in w.headings[mode]):
            return mode
    if year is not None and q is None and any(int(y) > year for y in _YEAR.findall(t)):
        return "target"
    return None


def _has_word(text: str, word: str) -> bool:
    """``word`` in ``text`` at word boundaries (so "kh" is not found in "khách")."""
    i = text.find(word)
    while i >= 0:
        j = i + len(word)
        left = i == 0 or not text[i - 1].isalnum() or not word[0].isalnum()
        right = j >= len(text) or not text[j].isalnum() or not word[-1].isalnum()
        if left and right:
            return True
        i = text.find(word, i + 1)
    return False


def _cues(f: str, w: ModeWords) -> list[tuple[int, Mode]]:
    """Where a cue stands in a folded block (its end offset) and the mode it gives, in order; a
    cue right after a negator ("đạt 100% chỉ tiêu") is no cue."""
    out: list[tuple[int, Mode]] = []
    for mode in ("target", "plan"):
        for cue in w.cues[mode]:
            i = f.find(cue)
            while i >= 0:
                j = i + len(cue)
                if (i == 0 or not f[i - 1].isalnum()) and (j >= len(f) or not f[j].isalnum()):
                    lead = f[max(0, i - 14):i]
                    # "so với chỉ tiêu là 1.854 hộ": the number the cue states is the target itself
                    if not any(_has_word(lead, n) for n in w.cue_negators) or _STATED.match(f, j):
                        out.append((j, mode))
                i = f.find(cue, j)
    out.sort()
    return out


def _comparison_after(after: str, w: ModeWords, percent: bool) -> bool:
    a = after.lstrip()
    for word in w.comparison_after + (w.percent_of if percent else ()):
        if a.startswith(word) and (len(a) == len(word) or not a[len(word)].isalnum()):
            return True
    return False


class ModeMap:
    """The mode of any position of a structured Document: ``mode_at(block, start, end)``."""

    def __init__(self, blocks_text: list[str], lines: list[int], st: Structure,
                 words: ModeWords | None = None) -> None:
        self.w = words or mode_words()
        doc_type = fold(st.header.type or "").strip()
        default: Mode = "plan" if doc_type and any(doc_type.startswith(t) for t in self.w.plan_types) else "result"
        year = int(st.header.date[:4]) if st.header.date and st.header.date[:4].isdigit() else None
        decided: list[Mode | None] = [heading_mode(s.title, self.w, year) for s in st.sections]
        self._texts = blocks_text
        self._any_other: bool | None = None
        self._folded: dict[int, tuple[str, list[tuple[int, Mode]]]] = {}
        inner = enclosing(st.sections, lines)
        heading_lines = {s.line for s in st.sections}
        self._block_mode: list[Mode] = []
        loose: tuple[int, Mode] | None = None  # the last unnumbered heading line that decided
        for k, j in enumerate(inner):
            m: Mode | None = None
            line = 0
            while j is not None and m is None:
                m, line = decided[j], st.sections[j].line
                j = st.sections[j].parent
            if m is None or loose is not None and loose[0] > line:
                m = loose[1] if loose is not None else m
            self._block_mode.append(m or default)
            t = blocks_text[k].strip()
            if lines[k] not in heading_lines and _HEADING_LINE.match(t) and (t.isupper() or len(t) <= 60):
                hm = heading_mode(t, self.w)
                if hm is not None:
                    loose = (lines[k], hm)

    @property
    def any_other(self) -> bool:
        """Can any passage of the document be other than a result (a target section, a cue)?"""
        if self._any_other is None:
            self._any_other = any(self.may_differ(i) for i in range(len(self._texts)))
        return self._any_other

    def may_differ(self, i: int) -> bool:
        """Can a keyed figure of block ``i`` be a target or a plan? (A cheap test before reading
        it; a keyed figure is never a comparison.)"""
        return self._block_mode[i] != "result" or bool(self._block(i)[1])

    def block_mode(self, i: int) -> Mode:
        return self._block_mode[i]

    def _block(self, i: int) -> tuple[str, list[tuple[int, Mode]]]:
        got = self._folded.get(i)
        if got is None:
            f = fold(self._texts[i])
            got = self._folded[i] = (f, _cues(f, self.w))
        return got

    def mode_at(self, i: int, start: int, end: int, kind: str | None = None) -> Mode:
        """The mode of the quantity at [start, end) of block ``i`` (offsets in the block's text;
        ``kind`` "percent" also looks for "% kế hoạch", "% KH")."""
        f, cues = self._block(i)
        mode = self._block_mode[i]
        if cues and cues[0][0] <= start:
            k = max((m.end() for m in _SENTENCE_END.finditer(f, 0, start)), default=0)
            for pos, cue_mode in reversed(cues):
                if k <= pos <= start:
                    if cue_mode == "plan" and _CLAUSE_END.search(f, pos, start):
                        continue
                    mode = cue_mode
                    break
        # "tăng 4,1% so với cùng kỳ" in a result passage; in a target passage "đạt 100% chỉ tiêu"
        # is still the target
        if mode == "result" and _comparison_after(f[end:end + 24], self.w, kind == "percent"):
            return "comparison"
        return mode
