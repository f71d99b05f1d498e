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
import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import GrammarError
from .grammar_paths import grammar_dirs, load_yaml
from .textview import fold

# words, numbers ("1.422", "14/18", "2,5"), "đ/c", and single punctuation marks
_TOKEN = re.compile(r"\d+(?:[.,/]\d+)*|[^\W\d_]+(?:/[^\W\d_]+)?|[^\w\s]")
_SENTENCE_END = frozenset({".", ";", "!", "?", "\n"})
_CLAUSE_END = _SENTENCE_END | {","}
_CUTS = _CLAUSE_END | {"(", ")", ":"}
_MAX_PHRASE = 10  # words of a counted phrase looked at before a number
_MAX_BACK = 40  # words looked back for a frame or a subject
_MAX_AFTER = 14  # words of a counted phrase looked at after a number


# ---------------------------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------------------------

# first word → [(number of words, the words after the first, value, all words)], longest first
Phrases = dict[str, list[tuple[int, list[str], str, tuple[str, ...]]]]


def _fw(s: object) -> str:
    return fold(unicodedata.normalize("NFC", str(s)).strip())


def _words_of(s: str) -> tuple[str, ...]:
    return tuple(m.group(0) for m in _TOKEN.finditer(_fw(s)))


def _phrases(pairs: list[tuple[str, str]]) -> Phrases:
    out: Phrases = {}
    for text, value in pairs:
        w = _words_of(text)
        if w and not any(x[3] == w and x[2] == value for x in out.get(w[0], [])):
            out.setdefault(w[0], []).append((len(w), list(w[1:]), value, w))
    for lst in out.values():
        lst.sort(key=lambda x: -x[0])
    return out


def table_values(table: Phrases) -> set[str]:
    """The values (canonical words, kinds) of a compiled table."""
    return {x[2] for lst in table.values() for x in lst}


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
    baseline_words: tuple[str, ...]  # the same as folded strings (a substring test skips most blocks)
    baselines: Phrases  # times that make a number a starting point ("đầu năm 2011 là 3.317 hộ")
    list_modifiers: frozenset[str]  # modifiers that, after the last noun of a list, hold for each noun of it
    not_subject_after: frozenset[str]  # last words of the phrases after which a subject word is none
    stops: frozenset[str]  # words a noun written before a number may follow (frames, subjects, boundaries)
    known: frozenset[str]  # every word of every list (an unknown word after a phrase is noted)
    neutral: frozenset[str] = frozenset()  # modifiers that narrow nothing unless a rule names them ("hiện tại")
    sub_periods: tuple[str, ...] = ()  # words before "tháng N" that scope a sentence to one month


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
    return [d / "vocabulary" for d in grammar_dirs() if (d / "vocabulary").is_dir()]


_MEMO: list[Any] = [None, None]  # [BCPARSE_GRAMMARS, Vocabulary]: no folder lookups per block


def load_vocabulary() -> Vocabulary:
    """The merged vocabulary of every grammar folder (cached per set of folders)."""
    env = os.environ.get("BCPARSE_GRAMMARS")
    if _MEMO[1] is None or _MEMO[0] != env:
        _MEMO[:] = [env, _load_vocabulary(tuple(vocabulary_dirs()))]
    vocab: Vocabulary = _MEMO[1]
    return vocab


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
                data = load_yaml(f.read_text(encoding="utf-8"))
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
    if isinstance(m, list):  # an item may be a mapping of its own: "- xuất khẩu lao động: [xklđ]"
        return [pair for w in m for pair in (_pairs(w, name) if isinstance(w, dict) else [(str(w), _fw(w))])]
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
        "boundaries": _pairs(raw.get("boundaries"), "boundaries"),
        "not_subject_after": _pairs(raw.get("not_subject_after"), "not_subject_after"),
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
        baselines=_phrases([(str(w), "comparison") for w in raw.get("baselines") or []]),
        baseline_words=tuple(_fw(w) for w in raw.get("baselines") or []),
        list_modifiers=frozenset(_fw(w) for w in raw.get("list_modifiers") or []),
        neutral=frozenset(_fw(w) for w in raw.get("neutral_modifiers") or []),
        sub_periods=tuple(_fw(w) for w in raw.get("sub_periods") or []),
        not_subject_after=frozenset(_words_of(t)[-1] for t, _ in parts["not_subject_after"] if _words_of(t)),
        # a phrase may start after one of these; of a measure only its last word ("sản" of "sản
        # lượng" is no stop: "giá trị sản xuất" does not hold the classifier "xuất")
        stops=frozenset(w for key in ("frames", "subjects", "boundaries", "not_subject_after")
                        for t, _ in parts[key] for w in _words_of(t))
        | frozenset(_words_of(t)[-1] for t, _ in parts["measures"] if _words_of(t)) | _LINKS,
        known=frozenset(known),
    )


def canonical(word: str, table: str = "heads") -> str | None:
    """The canonical form of ``word`` in a table of the vocabulary ("heads", "modifiers"): the
    whole word must be one phrase of it ("đ/c" → "đồng chí"), else None."""
    phrases: Phrases = getattr(load_vocabulary(), table)
    w = _words_of(word)
    if not w:
        return None
    for _n, _tail, value, words in phrases.get(w[0], ()):
        if words == w:
            return value
    return None


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
    actual_plan, object, attendance, or None when no frame word says how (a bare "lập 02 bản").
    ``open`` is True when an unknown word follows the phrase (the noun may be narrowed by words the
    vocabulary does not know). ``extra`` holds what the binder noted on the way: "sent" (token
    where the sentence starts), "inside" (a number inside the phrase of the number before),
    "topic" (modifiers taken from the sentence's noun), "list_mods" (modifiers a list passes on)."""

    counted: str | None = None
    head: str | None = None
    modifiers: tuple[str, ...] = ()
    measure: str | None = None
    position: str | None = None
    subject: str | None = None
    subject_kind: str | None = None
    subject_far: bool = False
    frame: str | None = None
    open: bool = False
    crossed: bool = False  # the noun was inherited across a clause boundary
    start: int = 0  # [start, end) of the counted phrase in the block (when there is one)
    end: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


_WINDOW_BACK = 260  # characters before a number that a frame, a subject or a noun is looked for in
_WINDOW_AHEAD = 120  # characters after it


def _tokens(folded: str, spans: list[tuple[int, int]]) -> tuple[list[str], list[int], list[int]]:
    """The words of ``folded`` in the windows around the numbers (merged; a gap between two
    windows is a sentence end "\n"): words, their starts and ends."""
    ws: list[str] = []
    ss: list[int] = []
    es: list[int] = []
    n = len(folded)
    hi_prev = -1
    windows: list[list[int]] = []
    for a, z in spans:
        lo, hi = max(0, a - _WINDOW_BACK), min(n, z + _WINDOW_AHEAD)
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], hi)
        else:
            windows.append([lo, hi])
    for lo, hi in windows:
        if lo > 0:  # start and end on a space: no half word
            sp = folded.find(" ", lo, hi)
            lo = sp + 1 if sp >= 0 else lo
        if hi < n:
            sp = folded.rfind(" ", lo, hi)
            hi = sp if sp > lo else hi
        if ws and lo > hi_prev:
            ws.append("\n")
            ss.append(hi_prev)
            es.append(hi_prev)
        ms = list(_TOKEN.finditer(folded, lo, hi))
        ws += [m.group() for m in ms]
        ss += [m.start() for m in ms]
        es += [m.end() for m in ms]
        hi_prev = hi
    return ws, ss, es


def _is_num(w: str) -> bool:
    return w[:1].isdigit()


def _match(toks: Sequence[str], k: int, table: Phrases, limit: int | None = None) -> tuple[int, str] | None:
    """The longest phrase of ``table`` starting at token ``k`` and ending by ``limit``: (number of
    tokens, value)."""
    if k >= len(toks):
        return None
    cands = table.get(toks[k])
    if cands is None:
        return None
    top = len(toks) if limit is None or limit > len(toks) else limit
    for n, tail, value, _w in cands:
        if n == 1:
            return (1, value) if k < top else None
        if k + n <= top and toks[k + 1:k + n] == tail:
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
    shared: bool = False  # modifiers written after the next noun of a pair
    noun_start: int = 0  # first token after the measure


def _parse_forward(v: Vocabulary, toks: list[str], k: int, limit: int, *, after_number: bool) -> _Phrase | None:
    """``[measure] [classifier] head modifiers*`` from token k, or a bare ``modifiers+`` / measure
    ("chính thức 201", "tỷ lệ 2,5%", "… trong đó: 18 đại học")."""
    start = k
    measure = None
    m = _match(toks, k, v.measures, limit) if not after_number and toks[k] in v.measures else None
    if m is not None:
        measure, k = m[1], k + m[0]
    noun_start = k if k < limit else start  # the counted phrase as written leaves out "tổng số"
    head = None
    htok = None
    c = _match(toks, k, v.classifiers, limit) if k < limit and toks[k] in v.classifiers else None
    if c is not None and toks[k] in v.modifiers:
        lm = _match(toks, k, v.modifiers, limit)  # "xuất khẩu lao động" is a modifier, no classifier "xuất"
        if lm is not None and lm[0] > c[0]:
            c = None
    h = _match(toks, k + c[0], v.heads, limit) if c is not None else None
    if c is not None and h is not None:
        head, htok, k = h[1], (k, k + c[0] + h[0]), k + c[0] + h[0]
    else:
        h = _match(toks, k, v.heads, limit) if k < limit and toks[k] in v.heads else None
        mm = _match(toks, k, v.modifiers, limit) if h is not None else None
        if h is not None and (mm is None or h[0] >= mm[0]):
            head, htok, k = h[1], (k, k + h[0]), k + h[0]
        elif c is not None:
            head, htok, k = _fw(" ".join(toks[k:k + c[0]])), (k, k + c[0]), k + c[0]
    mods: list[str] = []
    while k < limit:
        w = toks[k]
        mm = _match(toks, k, v.modifiers, limit) if w in v.modifiers else None
        if mm is not None:
            mods.append(mm[1])
            k += mm[0]
            continue
        if w in ("và", ",", "/", "-") and mods and k + 1 < limit:
            nxt = k + 1
            hh = _match(toks, nxt, v.heads, limit)
            if hh is not None and hh[1] == head:  # "hộ nghèo và hộ cận nghèo"
                nxt += hh[0]
            mm = _match(toks, nxt, v.modifiers, limit)
            # after a number, "…, cận nghèo 103 hộ" is the next number's own phrase
            if mm is not None and not (after_number and nxt + mm[0] < len(toks) and _is_num(toks[nxt + mm[0]])):
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
    ph = _Phrase(head, htok, mods, measure, start, k, noun_start=noun_start)
    if k < len(toks) and k < limit:
        w = toks[k]
        ph.open = w.isalpha() and w not in v.known
    return ph


_YEAR_TOKEN = re.compile(r"(?:19|20)[0-9]{2}")


def _before_year(toks: list[str], k: int, floor: int) -> int:
    """Token ``k``, or where "năm <year>" right before it starts (a year names a period, no noun)."""
    return k - 2 if k - 2 > floor and toks[k - 2] == "năm" and _YEAR_TOKEN.fullmatch(toks[k - 1]) else k


def _free_word(v: Vocabulary, t: str) -> bool:
    """A word of letters that is no link or stop word."""
    return t.isalpha() and t not in v.stops and t not in _LINKS


def _unknown_word(v: Vocabulary, t: str) -> bool:
    """A free word that no list of the vocabulary holds."""
    return _free_word(v, t) and t not in v.known


def _inside_phrase(v: Vocabulary, toks: list[str], j: int, end: int) -> bool:
    """Token ``j`` is inside a modifier or head phrase that starts before it ("xuất khẩu lao động")."""
    for st in range(max(0, j - 3), j):
        for table in (v.modifiers, v.heads):
            m = _match(toks, st, table, end)
            if m is not None and st + m[0] > j:
                return True
    return False


def _parse_backward(v: Vocabulary, toks: list[str], end: int, floor: int, taken: list[bool],
                    named: Any = None) -> _Phrase | None:
    """The longest phrase that ends right at token ``end`` (exclusive), starting no earlier than
    ``floor`` and outside other numbers' phrases; a word of a proper name ("Nhật Bản: 8") is none."""
    lo = end
    while lo > max(floor, end - _MAX_PHRASE):  # back to the nearest number, clause end or other phrase
        t = toks[lo - 1]
        if taken[lo - 1] or _is_num(t) or t in _CLAUSE_END or t in ("(", ")", ":"):
            break
        lo -= 1
    for j in range(lo, end):
        t = toks[j]
        if t not in v.heads and t not in v.modifiers and t not in v.measures and t not in v.classifiers:
            continue
        if j > 0 and toks[j - 1].isalpha():
            if named is not None and named(j) and named(j - 1):
                continue  # "Nhật Bản", "Hàn Quốc": a name, not a noun
            if toks[j - 1] not in v.stops:
                continue  # a word the lists do not know before it: the phrase would start mid-noun
            if _inside_phrase(v, toks, j, end):
                continue  # "khẩu" of "xuất khẩu lao động" is no head ("xuất" is a stop as the end of a measure)
        ph = _parse_forward(v, toks, j, end, after_number=False)
        if ph is not None and ph.end == end:
            return ph
    return None


def _frame_before(v: Vocabulary, toks: list[str], k: int, lo: int, cands: list[int]) -> str | None:
    """The nearest frame phrase that ends by token k (from lo); words of a longer head or modifier
    ("dự bị" is not "dự") are not frames. ``cands``: the tokens that may start a frame, in order."""
    for c in range(bisect.bisect_left(cands, k) - 1, -1, -1):
        j = cands[c]
        if j < lo:
            break
        m = _match(toks, j, v.frames, k)
        if m is None:
            continue
        w = toks[j]
        if w in v.modifiers or w in v.heads:
            mo, he = _match(toks, j, v.modifiers, k), _match(toks, j, v.heads, k)
            other = max(mo[0] if mo else 0, he[0] if he else 0)
            if other > m[0] or (other == m[0] and m[1] != "total"):
                continue
        if j > lo:  # the longest phrase ending nearest wins ("giảm từ" over "từ", "xuống còn" over "còn")
            m2 = _match(toks, j - 1, v.frames, k)
            if m2 is not None and m2[0] > 1:
                return m2[1]
        return m[1]
    return None


def _named(text: str, ss: list[int], k: int) -> bool:
    """Token k of the original text starts with a capital or is a number (a name follows)."""
    if k >= len(ss):
        return False
    c = text[ss[k]]
    return c.isupper() or c.isdigit()


@dataclass(slots=True)
class _Subject:
    kind: str
    start: int  # token range
    end: int


def _subjects(v: Vocabulary, text: str, toks: list[str], ss: list[int], lo: int, hi: int,
              taken: list[bool]) -> list[_Subject]:
    """Subjects named in tokens [lo, hi) outside counted phrases, in order; an owner written after a
    subject ("Ban Chấp hành Đảng bộ xã") is part of it."""
    out: list[_Subject] = []
    k = lo
    while k < hi:
        if taken[k] or toks[k] not in v.subjects:
            k += 1
            continue
        if k > 0 and (_is_num(toks[k - 1]) or toks[k - 1] in v.not_subject_after):
            k += 1
            continue
        m = _match(toks, k, v.subjects)
        if m is not None and m[1] in v.named_subjects and not _named(text, ss, k + m[0]):
            # "Chi bộ khu phố Khánh Giang": named through the named place that follows it
            m2 = _match(toks, k + m[0], v.subjects) if toks[k + m[0]:k + m[0] + 1] else None
            if m2 is None or m2[1] not in v.named_subjects or not _named(text, ss, k + m[0] + m2[0]):
                m = None
        if m is None:
            k += 1
            continue
        e = k + m[0]
        while e < len(toks) and not taken[e]:  # the subject's name and owners
            m2 = _match(toks, e, v.subjects) if toks[e] in v.subjects else None
            if m2 is not None and (m2[1] not in v.named_subjects or _named(text, ss, e + m2[0])
                                   or (m[1] in _COMMITTEES and e == k + m[0])):  # "cấp ủy chi bộ"
                e += m2[0]
            elif toks[e] in ("nhiệm", "kỳ", "khóa", "khoá") or (_named(text, ss, e) and toks[e].isalpha()):
                e += 1
            elif _is_num(toks[e]) and toks[e - 1] in ("kỳ", "khóa", "khoá", "-"):
                e += 1
            elif toks[e] == "-" and e + 1 < len(toks) and _is_num(toks[e + 1]):
                e += 1
            else:
                break
        out.append(_Subject(m[1], k, e))
        k = e
    return out


# words between a noun written before the number and the number: "hộ cận nghèo: 102 hộ", "tổng số
# đảng viên là 262", "… lên 131 đ/c" (not "có"/"gồm": "Đảng bộ có 10 đồng chí" names a subject)
_COMMITTEES = frozenset({"executive_committee", "standing_committee", "inspection_committee"})
# a "." right after one of these, written in capitals ("TT. Phước Hải", "TP. Huế"), ends no sentence
# (not "X": "khóa X. Kết quả" is a Roman numeral)
_ABBREVIATIONS = frozenset({"tt", "tp", "tx", "p", "q", "h", "ths", "ts", "pgs", "gs", "bs", "ks"})
# "từ đầu năm đến nay", "6 tháng đầu năm", "quý đầu năm": the period the report covers, no baseline
_NOT_BASELINE_AFTER = frozenset({"từ", "tháng", "quý", "tuần", "ngày", "dịp", "vào", "những", "các"})
_LINKS = frozenset({":", "là", "còn", "chiếm", "đạt", "=", "khoảng", "trên", "dưới", "gần", "hơn", "lên",
                    "xuống", "(", "-", "tổng", "cộng", "ước"})


def _positions(toks: list[str], word: str) -> list[int]:
    """Where ``word`` stands in ``toks`` (list.index: C speed, most blocks have none)."""
    out: list[int] = []
    i = -1
    try:
        while True:
            i = toks.index(word, i + 1)
            out.append(i)
    except ValueError:
        return out


def bind_block(text: str, quantities: Sequence[Any], folded: str | None = None,
               vocab: Vocabulary | None = None) -> list[Binding]:
    """One :class:`Binding` per quantity (``bcparse.numbers.Quantity``: num_start/num_end/kind/unit
    are read) of a block of text, in the same order."""
    if not quantities:
        return []
    v = vocab or load_vocabulary()
    f = folded if folded is not None else fold(text)
    toks, ss, es = _tokens(f, [(q.num_start, q.num_end) for q in quantities])
    starts = ss
    n = len(toks)
    frames = v.frames
    frame_starts = [j for j, t in enumerate(toks) if t in frames]
    bases = sorted(j for w in v.baselines for j in _positions(toks, w)
                   if _match(toks, j, v.baselines) is not None and not (j and toks[j - 1] in _NOT_BASELINE_AFTER)
                   ) if any(w in f for w in v.baseline_words) else []
    trong_do = [j for j in frame_starts if toks[j] == "trong" and j + 1 < n and toks[j + 1] in ("đó", "số")]
    cuts = [j for j, t in enumerate(toks) if t in _CUTS]  # clause ends and brackets
    if not _ABBREVIATIONS.isdisjoint(toks):  # "TT. Phước Hải": no sentence end
        cuts = [j for j in cuts if not (toks[j] == "." and j and toks[j - 1] in _ABBREVIATIONS
                                        and es[j - 1] == ss[j] and text[ss[j - 1]:es[j - 1]][:1].isupper())]
    ends = [j for j in cuts if toks[j] in _SENTENCE_END]  # sentence ends, in order
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
        c = bisect.bisect_left(cuts, z)
        lim = min(cuts[c] if c < len(cuts) else n, z + _MAX_AFTER)
        ph = _parse_forward(v, toks, z, lim, after_number=True)
        afters.append(ph)
        for ti in range(a, ph.end if ph is not None else z):
            taken[ti] = True
    # "7 hộ với 34 nhân khẩu theo đạo": the modifiers of the second noun of a pair hold for both
    for idx in range(len(afters) - 1):
        p1, p2 = afters[idx], afters[idx + 1]
        if p1 is None or p2 is None or p1.modifiers or not p2.modifiers or p1.head is None or p1.head == p2.head:
            continue
        if p1.end + 1 == nums[idx + 1][0] and toks[p1.end] in ("với", "vơi", "và"):
            p1.modifiers = list(p2.modifiers)
            p1.shared = True
    # "14 doanh nghiệp, 1 hợp tác xã thành lập mới": a list-final modifier holds for each noun
    for idx in range(len(afters) - 2, -1, -1):
        p1, p2 = afters[idx], afters[idx + 1]
        if p2 is None or not p2.modifiers or p1 is None or p1.head is None or p1.open:
            continue
        shared = [m for m in p2.modifiers if m in v.list_modifiers and m not in p1.modifiers]
        gap = toks[p1.end:nums[idx + 1][0]]
        if shared and gap and all(t in (",", "và") for t in gap):
            p1.modifiers = p1.modifiers + shared
    # "Về trình độ lý luận chính trị, có 38 người …; trình độ trung cấp 401 người": a sentence opened
    # by "về" and modifiers alone narrows every counted noun up to its end (over ";")
    topics: list[tuple[int, int, list[str]]] = []  # token range, modifiers
    for j in _positions(toks, "về") if "về" in f else ():
        if j and toks[j - 1] not in _SENTENCE_END and toks[j - 1] not in ("-", "+", "*", ")"):
            continue
        c = bisect.bisect_left(cuts, j + 1)
        if c >= len(cuts) or toks[cuts[c]] not in (",", ":"):
            continue
        tp = _parse_forward(v, toks, j + 1, cuts[c], after_number=False)
        if tp is None or tp.head is not None or not tp.modifiers or tp.end != cuts[c]:
            continue
        stop = next((x for x in cuts[c:] if toks[x] in (".", "!", "?", "\n")), n)
        topics.append((cuts[c], stop, tp.modifiers))
    # subjects and bare heads of the whole block, once (outside the counted phrases)
    all_subjects = _subjects(v, text, toks, ss, 0, n, taken)
    subject_starts = [x.start for x in all_subjects]
    free_heads: list[int] | None = None  # bare heads outside counted phrases (computed when needed)
    prev: list[Binding] = []
    last_specific: Binding | None = None
    for idx, q in enumerate(quantities):
        a, z = nums[idx]
        b = Binding()
        after = afters[idx]
        e_ = bisect.bisect_left(ends, a) - 1
        s0 = ends[e_] + 1 if e_ >= 0 else 0  # where the sentence starts
        sent = max(s0, a - _MAX_BACK)
        floor = max(sent, nums[idx - 1][1] if idx else 0)
        # the noun before: skip link words back from the number
        k = a
        while k > floor and a - k < 3 and toks[k - 1] in _LINKS:
            k -= 1
        # "Tổng số thanh niên nhập ngũ năm 2023 là 120 người": the year names the period, the noun is before it
        if k < a:
            k = _before_year(toks, k, floor)
        equated = any(t in (":", "là", "=") for t in toks[k:a])
        before = _parse_backward(v, toks, k, floor, taken, lambda j: _named(text, ss, j)) if k > floor else None
        # "Tổng số đảng viên toàn Đảng bộ là 245 đồng chí": "toàn <subject>" names whose count it is; the
        # counted noun stands before it
        t0 = k - 2
        while t0 > floor and t0 >= k - 5 and toks[t0] != "toàn":
            t0 -= 1
        if t0 > floor and toks[t0] == "toàn" and toks[t0 + 1] not in ("bộ", "thể"):  # "toàn bộ", "toàn thể": all
            sm = _match(toks, t0 + 1, v.subjects, k)
            if sm is not None and t0 + 1 + sm[0] == k:
                t0 = _before_year(toks, t0, floor)  # "… NVQS năm 2020 toàn huyện là 2.029 thanh niên"
                inner = _parse_backward(v, toks, t0, floor, taken, lambda j: _named(text, ss, j))
                # the subject is no part of the counted phrase, whatever stands before it
                before = inner if inner is None or inner.head is not None or inner.modifiers else None
        tail = after.end if after is not None else z
        # the frame: characterisation right after the phrase, else the nearest frame word before
        fa = _match(toks, tail, v.frames_after) if tail < n else None
        frame: str | None = None
        if fa is not None and not (tail + fa[0] < n and _is_num(toks[tail + fa[0]])):
            frame = fa[1]
        fb = _frame_before(v, toks, a, sent, frame_starts)
        if frame is None or (frame == "comparison" and fb == "change"):  # "tăng 5 hộ so với cùng kỳ"
            # no frame word: a noun written before the number labels it ("tỷ lệ hộ nghèo 2,1%"); a
            # bare "lập 02 bản …" says nothing of a total
            frame = fb or ("total" if before is not None or (a > 0 and toks[a - 1] == "(") else None)
            if frame in ("total", None) and any(sent <= j < a - 1 for j in trong_do):
                frame = "part"
        # "xã có 12 thôn; 1.460 hộ; 5.999 nhân khẩu": an item of a list cut by ";" is said like the one before
        list_of: Binding | None = None
        if frame is None and idx and toks[a - 1] == ";" and out and out[-1].frame in ("total", "part") \
                and after is not None and after.head is not None:
            pa = afters[idx - 1]
            if pa is not None and pa.end == a - 1:
                frame, list_of = out[-1].frame, out[-1]
        if bases and frame in ("total", None) and any(sent < j < a for j in bases):
            frame = "comparison"  # "số hộ nghèo đầu năm 2011 là 3.317 hộ": the starting point, not the count
        if a >= 2 and toks[a - 1] in ("-", "–", "đến", "tới") and _is_num(toks[a - 2]):
            frame = "range"  # "80 - 90 người", "từ 80 đến 90 người": the top of a range is no count
        b.frame = frame
        if idx and afters[idx - 1] is not None and a < afters[idx - 1].end:  # type: ignore[union-attr]
            # a number inside the phrase of the number before ("03 đảng viên 50 năm tuổi Đảng")
            b.counted, b.extra["sent"], b.extra["inside"] = q.unit, sent, True
            out.append(b)
            continue
        # the noun
        # the last specific noun of this sentence, however long (sentences come in order, so the
        # last specific noun seen is this sentence's when its sentence start is this one's; kept as
        # we go: searching back through a sentence of thousands of numbers was quadratic)
        src = last_specific if last_specific is not None and last_specific.extra.get("s0") == s0 else None
        after_head = after.head if after is not None else None
        specific_after = after_head is not None and after_head not in v.generic
        # "(8,77%)", "(chiếm 4,06% …)", "…, chiếm 20%": the rate of the noun just counted
        paren = a > 0 and toks[a - 1] in ("(", "chiếm") and q.kind == "percent" and after is None and before is None
        if specific_after:
            assert after is not None
            b.head, b.modifiers, b.measure, b.position = after.head, tuple(after.modifiers), after.measure, "after"
            b.start, b.end, b.open = ss[after.start], es[after.end - 1], after.open
            # "hộ cận nghèo: 102 hộ", "dự bị là 14 đảng viên"
            if before is not None and before.head is not None and (equated or k == a) \
                    and before.head.startswith(f"{after.head} "):
                b.head = before.head  # "Tổng số đoàn ra là 7 đoàn", "đoàn vào 11 đoàn": the more specific noun
                b.modifiers = tuple(dict.fromkeys(before.modifiers + list(after.modifiers)))
                b.start, b.end = ss[before.noun_start], es[before.end - 1]
            elif before is not None and (before.head == after.head or (before.head is None and equated)):
                b.modifiers = tuple(dict.fromkeys(before.modifiers + list(after.modifiers)))
                b.measure = before.measure
                b.start, b.end = ss[before.noun_start], es[before.end - 1]
        elif before is not None and before.head is not None:
            b.head, b.modifiers, b.measure, b.position = before.head, tuple(before.modifiers), before.measure, "before"
            if after is not None:
                b.modifiers = tuple(dict.fromkeys(list(b.modifiers) + after.modifiers))
            b.start, b.end = ss[before.noun_start], es[before.end - 1]
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
            b.crossed = not paren and any(t in (",", ";") for t in toks[sent:a]) and before is None \
                and after is not None and after.head is None and frame != "part"
            ph = before if before is not None else after
            if ph is not None:
                b.start, b.end = ss[ph.start], es[ph.end - 1]
        elif after is not None and (after.head is not None or after.modifiers):
            b.head, b.modifiers, b.measure, b.position = after.head, tuple(after.modifiers), after.measure, "after"
            if before is not None:
                b.modifiers = tuple(dict.fromkeys(before.modifiers + list(after.modifiers)))
            b.start, b.end, b.open = ss[after.start], es[after.end - 1], after.open
        elif before is not None:
            b.modifiers, b.measure, b.position = tuple(before.modifiers), before.measure, "before"
            b.start, b.end = ss[before.noun_start], es[before.end - 1]
        # a noun earlier in the sentence, with the same head and modifiers, narrows a bare one
        # ("số hộ nghèo giảm từ 494 hộ xuống còn 247 hộ")
        # ("số hộ nghèo hiện còn lại trong chương trình là 2.052 hộ": another noun between them)
        if b.position == "after" and not b.modifiers and b.head is not None and (
                before is None or (before.head is not None and before.head != b.head)):
            if free_heads is None:
                free_heads = [j for j in range(n) if not taken[j] and toks[j] in v.heads]
            for j in free_heads[bisect.bisect_left(free_heads, sent):bisect.bisect_left(free_heads, a)]:
                h = _match(toks, j, v.heads, a)
                if h is not None and h[1] == b.head:
                    tp = _parse_forward(v, toks, j, a, after_number=False)
                    if tp is not None and set(tp.modifiers) - v.neutral:
                        b.modifiers = tuple(tp.modifiers)
                        b.extra["topic"] = True
                        break
        # "Số hộ nghèo: 391 hộ, 1904 khẩu": a list after a noun with modifiers keeps them
        if idx and not b.modifiers and b.head is not None and prev and prev[-1].extra.get("sent") == sent \
                and prev[-1].extra.get("list_mods"):
            gap_from = afters[idx - 1].end if afters[idx - 1] is not None else nums[idx - 1][1]  # type: ignore[union-attr]
            if all(t in (",", "và", "với", "vơi", "-") for t in toks[gap_from:a]):
                b.modifiers = prev[-1].extra["list_mods"]
                b.extra["list_mods"] = b.modifiers
                b.extra["topic"] = True
        for lo_, hi_, tmods in topics if b.head is not None else ():
            if lo_ < a < hi_:
                b.modifiers = tuple(dict.fromkeys(list(b.modifiers) + tmods))
        if before is not None and (equated or k == a) and before.modifiers and b.modifiers:
            b.extra["list_mods"] = b.modifiers
        if b.start < b.end:
            b.counted = text[b.start:b.end]
        elif q.unit:
            b.counted = q.unit
        zq = bisect.bisect_left(ss, q.end) if b.head is None and after is None and not q.unit else n
        if zq < n and ss[zq] == q.end + 1 and _unknown_word(v, toks[zq]):
            # a word no list knows right after a bare number is what it counts ("2 hình thức", "12 khoản
            # viện trợ", "09 quần chúng ưu tú"): the phrase as written, two words at most, marked open
            w2 = zq + 1 if zq + 1 < n and _free_word(v, toks[zq + 1]) and es[zq] + 1 == ss[zq + 1] else zq
            b.counted, b.start, b.end, b.open = text[ss[zq]:es[w2]], ss[zq], es[w2], True
        # the subject: after the phrase ("vào Ban Chấp hành"), else the nearest before it
        subj: _Subject | None = None
        if tail < n:  # "15 vị vào Ban Chấp hành", "10 đồng chí ủy viên BCH", "03 đồng chí trong Ban Thường vụ"
            sa = _match(toks, tail, v.subject_after)
            at = tail + (sa[0] if sa is not None else 0)
            got = _subjects(v, text, toks, ss, at, min(n, at + 1), taken)
            if got and (sa is not None or got[0].kind in _COMMITTEES or "uỷ viên" in b.modifiers):
                subj = got[0]
        if subj is None:
            c = bisect.bisect_left(subject_starts, a) - 1
            if c >= 0 and all_subjects[c].start >= sent:
                subj = all_subjects[c]
            elif c >= 0 and all_subjects[c].start >= sent - _MAX_BACK:
                subj, b.subject_far = all_subjects[c], True
        if subj is not None and b.frame is None and subj.start >= tail:
            b.frame = "total"  # "03 đồng chí trong Ban Thường vụ": members of the body named after
        if subj is not None:
            b.subject_kind = subj.kind
            b.subject = text[ss[subj.start]:es[subj.end - 1]]
        if list_of is not None and (subj is None or b.subject_far):
            b.subject, b.subject_kind, b.subject_far = list_of.subject, list_of.subject_kind, list_of.subject_far
        b.extra["sent"], b.extra["s0"] = sent, s0
        out.append(b)
        prev.append(b)
        if b.head is not None and b.head not in v.generic:
            last_specific = b
    return out
