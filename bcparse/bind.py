"""What a quantity counts: its counted noun phrase, the subject it is said of, and the frame.

A Vietnamese count is a small phrase, ``[qualifier] NUMBER [classifier] HEAD [modifiers]`` ("14 hộ
nghèo", "266 đảng viên chính thức", "300 con gia cầm"), or the same fact turned around
(``HEAD [modifiers] (:|là|có) NUMBER``: "hộ cận nghèo: 102 hộ", "tổng số đảng viên là 262",
"chính thức 201"). Around it stand a subject ("toàn xã", "Đảng bộ", "Ban Thường vụ", "thôn Nà
Pài", a donor) and a frame (total, change, part, characterisation, comparison, actual/plan, ...).

:func:`bind_block` gives one :class:`Binding` per quantity of a block, reading the folded text
(:func:`bcparse.textview.fold`, same offsets) once: the words are split once, then the words after
and before each number are looked up in the word lists of ``grammars/vocabulary/*.yaml`` (data,
loaded once; a ``vocabulary/`` folder beside a user grammar folder of ``BCPARSE_GRAMMARS`` is merged
in). Pure: no I/O beyond loading the word lists.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import GrammarError
from .textview import fold

# words, numbers ("1.422", "14/18", "2,5"), "đ/c", and single punctuation marks
_TOKEN = re.compile(r"\d+(?:[.,/]\d+)*|[^\W\d_]+(?:/[^\W\d_]+)?|[^\w\s]")
_SENTENCE_END = frozenset({".", ";", "!", "?", "\n"})
_CLAUSE_END = _SENTENCE_END | {","}
_MAX_PHRASE = 8  # words of a counted phrase looked at before a number
_MAX_BACK = 40  # words looked back for a frame or a subject
_MAX_AFTER = 14  # words of a counted phrase looked at after a number


# ---------------------------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------------------------

Phrases = dict[str, list[tuple[tuple[str, ...], str]]]  # first word → [(words, value)], longest first


def _fw(s: object) -> str:
    return fold(unicodedata.normalize("NFC", str(s)).strip())


def _words_of(s: str) -> tuple[str, ...]:
    return tuple(m.group(0) for m in _TOKEN.finditer(_fw(s)))


def _phrases(pairs: list[tuple[str, str]]) -> Phrases:
    out: Phrases = {}
    for text, value in pairs:
        w = _words_of(text)
        if w and (w, value) not in out.get(w[0], []):
            out.setdefault(w[0], []).append((w, value))
    for lst in out.values():
        lst.sort(key=lambda x: -len(x[0]))
    return out


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The compiled word lists (see grammars/vocabulary/nouns.yaml for what each holds)."""

    measures: Phrases
    classifiers: Phrases
    heads: Phrases
    generic: frozenset[str]
    modifiers: Phrases
    subjects: Phrases
    named_subjects: frozenset[str]
    subject_after: Phrases
    frames: Phrases
    frames_after: Phrases
    known: frozenset[str]  # every word of every list (an unknown word after a phrase is noted)


def _merge(into: dict[str, Any], data: dict[str, Any], file: str) -> None:
    for k, v in data.items():
        if isinstance(v, list):
            into.setdefault(k, [])
            if not isinstance(into[k], list):
                raise GrammarError(f"{file}: field '{k}': a list here, a mapping elsewhere")
            into[k].extend(v)
        elif isinstance(v, dict):
            into.setdefault(k, {})
            if not isinstance(into[k], dict):
                raise GrammarError(f"{file}: field '{k}': a mapping here, a list elsewhere")
            for name, words in v.items():
                if not isinstance(words, list):
                    raise GrammarError(f"{file}: field '{k}.{name}': expected a list of words")
                into[k].setdefault(str(name), []).extend(words)
        else:
            raise GrammarError(f"{file}: field '{k}': expected a list or a mapping of lists")


def vocabulary_dirs() -> list[Path]:
    """The ``vocabulary/`` folders of the grammar folders (user folders first, then the shipped one)."""
    from .grammar import grammar_dirs

    return [d / "vocabulary" for d in grammar_dirs() if (d / "vocabulary").is_dir()]


def load_vocabulary() -> Vocabulary:
    """The merged vocabulary of every grammar folder (cached per set of folders)."""
    return _load_vocabulary(tuple(vocabulary_dirs()))


@functools.lru_cache(maxsize=8)
def _load_vocabulary(dirs: tuple[Path, ...]) -> Vocabulary:
    raw: dict[str, Any] = {}
    seen: set[Path] = set()
    for d in reversed(dirs):  # shipped lists first, user lists added to them
        rd = d.resolve()
        if rd in seen:
            continue
        seen.add(rd)
        for f in sorted(d.glob("*.yaml")):
            try:
                data = yaml.safe_load(f.read_text(encoding="utf-8"))
            except yaml.YAMLError as e:
                mark = getattr(e, "problem_mark", None)
                line = mark.line + 1 if mark is not None else "?"
                raise GrammarError(f"{f}:{line}: not valid YAML ({getattr(e, 'problem', e)})") from None
            if data is None:
                continue
            if not isinstance(data, dict):
                raise GrammarError(f"{f}:1: a vocabulary file is a mapping of word lists")
            _merge(raw, data, str(f))
    return compile_vocabulary(raw)


def _pairs(m: Any, name: str) -> list[tuple[str, str]]:
    """(phrase, value) pairs of a mapping value → list of phrases (or a plain list: value = canonical)."""
    if m is None:
        return []
    if isinstance(m, list):
        return [(str(w), _fw(w)) for w in m]
    if isinstance(m, dict):
        return [(str(w), _fw(k)) for k, ws in m.items() for w in ([k] + list(ws or []))]
    raise GrammarError(f"vocabulary field '{name}': expected a list or a mapping")


def compile_vocabulary(raw: dict[str, Any]) -> Vocabulary:
    heads = _pairs(raw.get("heads"), "heads")
    parts = {
        "measures": _pairs(raw.get("measures"), "measures"),
        "classifiers": _pairs(raw.get("classifiers"), "classifiers"),
        "modifiers": _pairs(raw.get("modifiers"), "modifiers"),
        "subjects": _pairs(raw.get("subjects"), "subjects"),
        "subject_after": _pairs(raw.get("subject_after"), "subject_after"),
        "frames": _pairs(raw.get("frames"), "frames"),
        "frames_after": _pairs(raw.get("frames_after"), "frames_after"),
    }
    known = {w for ps in [heads, *parts.values()] for text, _ in ps for w in _words_of(text)}
    # a measure keeps the kind ("count", "rate") as its value
    return Vocabulary(
        measures=_phrases(parts["measures"]),
        classifiers=_phrases(parts["classifiers"]),
        heads=_phrases(heads),
        generic=frozenset(_fw(w) for w in raw.get("generic_heads") or []),
        modifiers=_phrases(parts["modifiers"]),
        subjects=_phrases(parts["subjects"]),
        named_subjects=frozenset(str(x) for x in raw.get("named_subjects") or []),
        subject_after=_phrases(parts["subject_after"]),
        frames=_phrases(parts["frames"]),
        frames_after=_phrases(parts["frames_after"]),
        known=frozenset(known),
    )


# ---------------------------------------------------------------------------------------------
# Bindings
# ---------------------------------------------------------------------------------------------

@dataclass(slots=True)
class Binding:
    """What one quantity counts and how it is said.

    ``counted`` is the noun phrase as written (head and modifiers, original case); ``head`` its
    canonical folded head ("hộ", "đảng viên"), ``modifiers`` the folded modifiers ("nghèo",
    "chính thức"); ``measure`` "count" or "rate" when a measure noun stands before the head
    ("tổng số", "tỷ lệ"). ``position`` says where the noun stands: "after" the number, "before"
    it, "inherited" from the sentence or list it is in, or None (no noun found). ``subject`` is
    what the figure is said of as written and ``subject_kind`` its kind (commune, party,
    executive_committee, hamlet, cadres, ...); ``subject_far`` is True when the subject was found
    in an earlier sentence. ``frame``: total, change, part, characterisation, comparison,
    actual_plan, object, attendance. ``open`` is True when an unknown word follows the phrase
    (the noun may be narrowed by words the vocabulary does not know)."""

    counted: str | None = None
    head: str | None = None
    modifiers: tuple[str, ...] = ()
    measure: str | None = None
    position: str | None = None
    subject: str | None = None
    subject_kind: str | None = None
    subject_far: bool = False
    frame: str = "total"
    open: bool = False
    crossed: bool = False  # the noun was inherited across a clause boundary
    start: int = 0  # [start, end) of the counted phrase in the block (when there is one)
    end: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class _Tok:
    s: int
    e: int
    w: str


def _tokens(folded: str) -> list[_Tok]:
    return [_Tok(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(folded)]


def _is_num(w: str) -> bool:
    return w[:1].isdigit()


def _match(toks: Sequence[_Tok], k: int, table: Phrases, limit: int | None = None) -> tuple[int, str] | None:
    """The longest phrase of ``table`` starting at token ``k`` and ending by ``limit``: (number of
    tokens, value)."""
    if k >= len(toks):
        return None
    top = len(toks) if limit is None else min(limit, len(toks))
    for words, value in table.get(toks[k].w, ()):
        n = len(words)
        if k + n <= top and all(toks[k + j].w == words[j] for j in range(1, n)):
            return n, value
    return None


@dataclass(slots=True)
class _Phrase:
    head: str | None
    head_tok: tuple[int, int] | None  # token range of the head
    modifiers: list[str]
    measure: str | None
    start: int  # token range [start, end)
    end: int
    open: bool = False


def _parse_forward(v: Vocabulary, toks: list[_Tok], k: int, limit: int, *, after_number: bool) -> _Phrase | None:
    """``[measure] [classifier] head modifiers*`` from token k, or a bare ``modifiers+`` / measure
    ("chính thức 201", "tỷ lệ 2,5%", "… trong đó: 18 đại học")."""
    start = k
    measure = None
    m = _match(toks, k, v.measures, limit)
    if m is not None and not after_number:
        measure, k = m[1], k + m[0]
    head = None
    htok = None
    c = _match(toks, k, v.classifiers, limit)
    h = _match(toks, k + c[0], v.heads, limit) if c is not None else None
    if c is not None and h is not None:
        head, htok, k = h[1], (k, k + c[0] + h[0]), k + c[0] + h[0]
    else:
        h = _match(toks, k, v.heads, limit)
        mm = _match(toks, k, v.modifiers, limit)
        if h is not None and (mm is None or h[0] >= mm[0]):
            head, htok, k = h[1], (k, k + h[0]), k + h[0]
        elif c is not None:
            head, htok, k = _fw(" ".join(t.w for t in toks[k:k + c[0]])), (k, k + c[0]), k + c[0]
    mods: list[str] = []
    while k < limit:
        mm = _match(toks, k, v.modifiers, limit)
        if mm is not None:
            mods.append(mm[1])
            k += mm[0]
            continue
        w = toks[k].w
        if w in ("và", ",", "/", "-") and mods and k + 1 < limit:
            nxt = k + 1
            hh = _match(toks, nxt, v.heads, limit)
            if hh is not None and hh[1] == head:  # "hộ nghèo và hộ cận nghèo"
                nxt += hh[0]
            mm = _match(toks, nxt, v.modifiers, limit)
            # after a number, "…, cận nghèo 103 hộ" is the next number's own phrase
            if mm is not None and not (after_number and nxt + mm[0] < len(toks) and _is_num(toks[nxt + mm[0]].w)):
                mods.append(mm[1])
                k = nxt + mm[0]
                continue
        if _is_num(w) and head is not None and k + 1 < limit:  # "03 đảng viên 50 năm tuổi Đảng"
            mm = _match(toks, k + 1, v.modifiers, limit)
            if mm is not None:
                mods.append(mm[1])
                k += 1 + mm[0]
                continue
        break
    if head is None and not mods and measure is None:
        return None
    ph = _Phrase(head, htok, mods, measure, start, k)
    if k < len(toks) and k < limit:
        w = toks[k].w
        ph.open = w.isalpha() and w not in v.known
    return ph


def _parse_backward(v: Vocabulary, toks: list[_Tok], end: int, floor: int, taken: list[bool]) -> _Phrase | None:
    """The longest phrase that ends right at token ``end`` (exclusive), starting no earlier than
    ``floor`` and outside other numbers' phrases."""
    for j in range(max(floor, end - _MAX_PHRASE), end):
        if any(taken[t] or _is_num(toks[t].w) or toks[t].w in _CLAUSE_END or toks[t].w in ("(", ")", ":")
               for t in range(j, end)):
            continue
        ph = _parse_forward(v, toks, j, end, after_number=False)
        if ph is not None and ph.end == end:
            return ph
    return None


def _frame_before(v: Vocabulary, toks: list[_Tok], k: int, lo: int) -> str | None:
    """The nearest frame phrase that ends by token k (from lo); words of a longer head or modifier
    ("dự bị" is not "dự") are not frames."""
    for j in range(k - 1, lo - 1, -1):
        m = _match(toks, j, v.frames, k)
        if m is None:
            continue
        other = max((x[0] for x in (_match(toks, j, v.modifiers, k), _match(toks, j, v.heads, k)) if x), default=0)
        if other > m[0] or (other == m[0] and m[1] not in ("total",)):
            continue
        if j > lo:  # the longest phrase ending nearest wins ("giảm từ" over "từ", "xuống còn" over "còn")
            m2 = _match(toks, j - 1, v.frames, k)
            if m2 is not None and m2[0] > 1:
                return m2[1]
        return m[1]
    return None


def _sentence_start(toks: list[_Tok], k: int) -> int:
    j = k - 1
    while j >= 0 and toks[j].w not in _SENTENCE_END and k - j <= _MAX_BACK:
        j -= 1
    return j + 1


def _named(text: str, toks: list[_Tok], k: int) -> bool:
    """Token k of the original text starts with a capital or is a number (a name follows)."""
    if k >= len(toks):
        return False
    c = text[toks[k].s]
    return c.isupper() or c.isdigit()


@dataclass(slots=True)
class _Subject:
    kind: str
    start: int  # token range
    end: int


def _subjects(v: Vocabulary, text: str, toks: list[_Tok], lo: int, hi: int, taken: list[bool]) -> list[_Subject]:
    """Subjects named in tokens [lo, hi) outside counted phrases, in order; an owner written after a
    subject ("Ban Chấp hành Đảng bộ xã") is part of it."""
    out: list[_Subject] = []
    k = lo
    while k < hi:
        if taken[k]:
            k += 1
            continue
        m = _match(toks, k, v.subjects)
        if m is None or (m[1] in v.named_subjects and not _named(text, toks, k + m[0])) \
                or (k > 0 and _is_num(toks[k - 1].w)):
            k += 1
            continue
        e = k + m[0]
        while e < len(toks) and not taken[e]:  # the subject's name and owners
            m2 = _match(toks, e, v.subjects)
            if m2 is not None and (m2[1] not in v.named_subjects or _named(text, toks, e + m2[0])):
                e += m2[0]
            elif toks[e].w in ("nhiệm", "kỳ", "khóa", "khoá") or (_named(text, toks, e) and toks[e].w.isalpha()):
                e += 1
            elif _is_num(toks[e].w) and toks[e - 1].w in ("kỳ", "khóa", "khoá", "-"):
                e += 1
            elif toks[e].w == "-" and e + 1 < len(toks) and _is_num(toks[e + 1].w):
                e += 1
            else:
                break
        out.append(_Subject(m[1], k, e))
        k = e
    return out


# words between a noun written before the number and the number: "hộ cận nghèo: 102 hộ", "tổng số
# đảng viên là 262", "… lên 131 đ/c" (not "có"/"gồm": "Đảng bộ có 10 đồng chí" names a subject)
_COMMITTEES = frozenset({"executive_committee", "standing_committee", "inspection_committee"})
_LINKS = frozenset({":", "là", "còn", "chiếm", "đạt", "=", "khoảng", "trên", "dưới", "gần", "hơn", "lên",
                    "xuống", "(", "-", "tổng", "cộng", "ước"})


def bind_block(text: str, quantities: Sequence[Any], folded: str | None = None,
               vocab: Vocabulary | None = None) -> list[Binding]:
    """One :class:`Binding` per quantity (``bcparse.numbers.Quantity``: num_start/num_end/kind/unit
    are read) of a block of text, in the same order."""
    if not quantities:
        return []
    v = vocab or load_vocabulary()
    f = folded if folded is not None else fold(text)
    toks = _tokens(f)
    starts = [t.s for t in toks]
    n = len(toks)
    taken = [False] * (n + 1)
    out: list[Binding] = []
    nums: list[tuple[int, int]] = []  # token range of each quantity's number
    afters: list[_Phrase | None] = []
    for q in quantities:
        a = bisect.bisect_left(starts, q.num_start)
        z = bisect.bisect_left(starts, q.num_end)
        nums.append((a, max(z, a + 1)))
    # the phrase after each number, up to a clause end
    for a, z in nums:
        lim = z
        while lim < n and toks[lim].w not in _CLAUSE_END and toks[lim].w not in ("(", ")", ":") \
                and lim - z < _MAX_AFTER:
            lim += 1
        ph = _parse_forward(v, toks, z, lim, after_number=True)
        afters.append(ph)
        for t in range(a, ph.end if ph is not None else z):
            taken[t] = True
    prev: list[Binding] = []
    for idx, q in enumerate(quantities):
        a, z = nums[idx]
        b = Binding()
        after = afters[idx]
        sent = _sentence_start(toks, a)
        floor = max(sent, nums[idx - 1][1] if idx else 0)
        # the noun before: skip link words back from the number
        k = a
        while k > floor and a - k < 3 and toks[k - 1].w in _LINKS:
            k -= 1
        equated = any(t.w in (":", "là", "=") for t in toks[k:a])
        before = _parse_backward(v, toks, k, floor, taken) if k > floor else None
        tail = after.end if after is not None else z
        # the frame: characterisation right after the phrase, else the nearest frame word before
        fa = _match(toks, tail, v.frames_after) if tail < n else None
        frame: str | None = None
        if fa is not None and not (tail + fa[0] < n and _is_num(toks[tail + fa[0]].w)):
            frame = fa[1]
        fb = _frame_before(v, toks, a, sent)
        if frame is None or (frame == "comparison" and fb == "change"):  # "tăng 5 hộ so với cùng kỳ"
            frame = fb or "total"
            if frame == "total" and any(toks[j].w == "trong" and toks[j + 1].w == "đó" for j in range(sent, a - 1)):
                frame = "part"
        b.frame = frame
        if idx and afters[idx - 1] is not None and a < afters[idx - 1].end:  # type: ignore[union-attr]
            # a number inside the phrase of the number before ("03 đảng viên 50 năm tuổi Đảng")
            b.counted, b.extra["sent"], b.extra["inside"] = q.unit, sent, True
            out.append(b)
            continue
        # the noun
        src = next((p for p in reversed(prev) if p.head is not None and p.head not in v.generic
                    and p.extra.get("sent") == sent), None)
        after_head = after.head if after is not None else None
        specific_after = after_head is not None and after_head not in v.generic
        paren = a > 0 and toks[a - 1].w == "(" and q.kind == "percent" and after is None and before is None
        if specific_after:
            assert after is not None
            b.head, b.modifiers, b.measure, b.position = after.head, tuple(after.modifiers), after.measure, "after"
            b.start, b.end, b.open = toks[after.start].s, toks[after.end - 1].e, after.open
            # "hộ cận nghèo: 102 hộ", "dự bị là 14 đảng viên"
            if before is not None and (before.head == after.head or (before.head is None and equated)):
                b.modifiers = tuple(dict.fromkeys(before.modifiers + list(after.modifiers)))
                b.measure = before.measure
                b.start, b.end = toks[before.start].s, toks[before.end - 1].e
        elif before is not None and before.head is not None:
            b.head, b.modifiers, b.measure, b.position = before.head, tuple(before.modifiers), before.measure, "before"
            if after is not None:
                b.modifiers = tuple(dict.fromkeys(list(b.modifiers) + after.modifiers))
            b.start, b.end = toks[before.start].s, toks[before.end - 1].e
        elif src is not None and (before is not None or paren or (after is not None and (
                after.head is None or frame == "part"))):
            # a modifier or a measure alone, or "người" in a part: the noun comes from the sentence
            # ("…, trong đó chính thức 201, dự bị 7"; "trong đó có 17 người trình độ Đại học")
            mods = (list(before.modifiers) if before is not None else []) + (after.modifiers if after else [])
            measure = (before.measure if before is not None else None) or ("rate" if q.kind == "percent" else None)
            b.head, b.measure, b.position = src.head, measure, "inherited"
            if not mods:  # "chiếm tỷ lệ 2,5%", "(8,77%)": the rate of the noun just counted
                b.modifiers = src.modifiers
            else:
                b.modifiers = tuple(dict.fromkeys(mods))
            b.crossed = not paren and any(t.w in (",", ";") for t in toks[sent:a]) and before is None \
                and after is not None and after.head is None and frame != "part"
            ph = before if before is not None else after
            if ph is not None:
                b.start, b.end = toks[ph.start].s, toks[ph.end - 1].e
        elif after is not None and (after.head is not None or after.modifiers):
            b.head, b.modifiers, b.measure, b.position = after.head, tuple(after.modifiers), after.measure, "after"
            if before is not None:
                b.modifiers = tuple(dict.fromkeys(before.modifiers + list(after.modifiers)))
            b.start, b.end, b.open = toks[after.start].s, toks[after.end - 1].e, after.open
        elif before is not None:
            b.modifiers, b.measure, b.position = tuple(before.modifiers), before.measure, "before"
            b.start, b.end = toks[before.start].s, toks[before.end - 1].e
        # a noun earlier in the sentence, with the same head and modifiers, narrows a bare one
        # ("số hộ nghèo giảm từ 494 hộ xuống còn 247 hộ")
        if b.position == "after" and not b.modifiers and b.head is not None and before is None:
            for j in range(sent, a):
                if taken[j]:
                    continue
                h = _match(toks, j, v.heads, a)
                if h is not None and h[1] == b.head:
                    tp = _parse_forward(v, toks, j, a, after_number=False)
                    if tp is not None and tp.modifiers:
                        b.modifiers = tuple(tp.modifiers)
                        b.extra["topic"] = True
                        break
        if b.start < b.end:
            b.counted = text[b.start:b.end]
        elif q.unit:
            b.counted = q.unit
        # the subject: after the phrase ("vào Ban Chấp hành"), else the nearest before it
        subj: _Subject | None = None
        if tail < n:  # "15 vị vào Ban Chấp hành", "10 đồng chí ủy viên BCH", "03 đồng chí trong Ban Thường vụ"
            sa = _match(toks, tail, v.subject_after)
            at = tail + (sa[0] if sa is not None else 0)
            got = _subjects(v, text, toks, at, min(n, at + 1), taken)
            if got and (sa is not None or got[0].kind in _COMMITTEES or "uỷ viên" in b.modifiers):
                subj = got[0]
        if subj is None:
            got = _subjects(v, text, toks, sent, a, taken)
            if got:
                subj = got[-1]
            else:
                far = _subjects(v, text, toks, max(0, sent - _MAX_BACK), sent, taken)
                if far:
                    subj, b.subject_far = far[-1], True
        if subj is not None:
            b.subject_kind = subj.kind
            b.subject = text[toks[subj.start].s:toks[subj.end - 1].e]
        b.extra["sent"] = sent
        out.append(b)
        prev.append(b)
    return out
