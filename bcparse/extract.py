"""Extraction: apply report grammars (grammars/*.yaml) to a structured Document.

The engine picks a grammar (keywords, ký hiệu, exclusions, priority — each choice explained), then
applies its rules and those of the grammars it extends, line by line on a folded copy of the text
(same offsets as the view, see :func:`bcparse.textview.fold`), reading every value through the
numbers module so that a figure's value, unit, qualifier and raw text agree with the generic
quantities.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, get_args

from . import numbers as vn
from .bind import Binding, bind_block, load_vocabulary
from .document import Block, Document
from .elements import (
    DOC_FIELDS,
    DOC_SPANS,
    Closing,
    Confidence,
    Figure,
    GrammarChoice,
    Header,
    Mode,
    Qualifier,
    Span,
    make_span,
    value_error,
)
from .grammar import (
    CountRule,
    FigureRule,
    Grammar,
    ListRule,
    Pattern,
    RecordRule,
    RxMatch,
    TableRule,
    chain,
    get_grammar,
    load_grammars,
    rx,
    timed_rule,
)
from .modes import ModeMap
from .numbers import is_iso_date
from .numbers.lexicon import COMMUNE_HEAD, word_alt
from .references import find_docrefs
from .structure import (
    BULLETS,
    MAX_SCOPE_DEPTH,
    Structure,
    _end_of_page_text,
    chain_of,
    enclosing,
    parse_marker,
)
from .textview import fold

_PH = vn.PLACEHOLDER_RE

_QUAL = vn.QUALIFIER_SRC  # the word lists are the numbers package's (bcparse/data/numbers_vi.yaml)
_NONE = vn.ZERO_SRC


def _qualifier(q: str | None) -> Qualifier | None:
    """A quantity's qualifier (a plain str in numbers) as the model's Literal."""
    match q:
        case None:
            return None
        case "approx" | "gt" | "lt" | "none":
            return q
    raise ValueError(f"unknown qualifier {q!r}")
_NUMERIC = {"int", "num", "decimal", "money", "percent", "rate", "fraction", "date"}


def _first_chars(*alternations: str) -> str | None:
    """The letters the words of flat alternations ``(?:a|b|…)`` begin with, or None."""
    out: set[str] = set()
    for alt in alternations:
        if not (alt.startswith("(?:") and alt.endswith(")")) or any(c in alt[3:-1] for c in "()?*"):
            return None
        out |= {w[0] for w in alt[3:-1].split("|") if w}
    return "".join(sorted(out)) if all(c.isalpha() for c in out) else None


# a lookahead on the first character of a placeholder that starts with a digit or a qualifier
# (or zero) word: the same matches, but the regex module then skips the other positions at once
# (it does not derive this itself from an optional group as re does: 4x slower without it)
_DIGIT_FIRST = {"int", "num", "decimal", "percent", "fraction", "count"}
# the lookbehinds that keep a number from starting after "/" or inside another number; dropped for the plan
_NUMBER_LOOKBEHINDS = re.compile(r"\(\?<!\[\\w/\]\)|\(\?<!\[0-9\]\[\.,\]\)")
_PLANNED = {"int", "num", "decimal", "money"}  # placeholders that also take "actual/plan" (_value)
_PAIR_START = re.compile(r"[0-9][0-9.,]*/[0-9]")
_QUAL_FIRST = _first_chars(_QUAL)
_COUNT_FIRST = _first_chars(_QUAL, _NONE)


@dataclass(slots=True)
class Slot:
    group: str  # regex group name of the value
    qgroup: str | None  # regex group of the qualifier word
    ngroup: str | None  # {count}: group of the explicit-zero alternative
    type: str
    field: str | None  # None → the rule's key


@dataclass(slots=True)
class Compiled:
    regex: Pattern  # the regex module, with a time limit per search (bcparse.grammar.Pattern)
    slots: list[Slot]
    anchor: str | None  # a literal the line must contain for the regex to have a chance
    anyof: tuple[str, ...] = ()  # without an anchor: literals one of which the line must contain


def _anchor(pattern: str) -> str | None:
    """The longest literal run at the top level of a pattern (a cheap pre-filter)."""
    best = ""
    depth = 0
    cur = ""
    i = 0
    top_alt = False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            if len(cur) > len(best) and depth == 0:
                best = cur  # the literal before an escape ("đoàn vào\\s*:") is whole
            cur = ""
            i += 2
            continue
        if c in "([{":
            if c == "{" and depth == 0:
                cur = cur[:-1]  # a quantifier ({0,50}, {e<=1}) applies to the letter before
            if len(cur) > len(best) and depth == 0:
                best = cur
            depth += 1
            cur = ""
        elif c in ")]}":
            depth = max(depth - 1, 0)
            cur = ""
        elif depth == 0 and c == "|":
            top_alt = True
        elif depth == 0 and c in "?*+":
            cur = cur[:-1]
            if len(cur) > len(best):
                best = cur
            cur = ""
        elif depth == 0 and c not in ".^$":
            cur += c
        else:
            if len(cur) > len(best) and depth == 0:
                best = cur
            cur = ""
        i += 1
    if len(cur) > len(best) and depth == 0:
        best = cur
    best = best.strip()
    return None if top_alt or len(best) < 3 else best


@functools.lru_cache(maxsize=2048)
def compile_pattern(pattern: str) -> Compiled:
    slots: list[Slot] = []

    def sub(m: re.Match[str]) -> str:
        t, field = m.group("type"), m.group("field")
        n = len(slots)
        g = f"v{n}"
        first = _COUNT_FIRST if t == "count" else _QUAL_FIRST
        look = f"(?=[0-9{first}])" if t in _DIGIT_FIRST and first else ""
        if t in _NUMERIC:
            body = vn.PATTERNS[t]
            slots.append(Slot(g, f"q{n}", None, t, field))
            if t in _PLANNED:
                # or an actual value and its plan, "820/800 ha", "512/500 tỷ đồng": the actual's digits
                # (the value is the covering quantity's, read as a pair; a part of a whole is refused)
                body = f"{body}|[0-9][0-9.,]*(?=/[0-9])(?:/(?:{_NUMBER_LOOKBEHINDS.sub('', body)}))"
            return f"{look}(?:(?P<q{n}>{_QUAL})\\s+)?(?P<{g}>{body})"
        if t == "none":
            slots.append(Slot(g, None, None, t, field))
            return f"(?P<{g}>{_NONE})"
        if t == "count":
            slots.append(Slot(g, f"q{n}", f"z{n}", t, field))
            return f"{look}(?:(?P<z{n}>{_NONE})|(?:(?P<q{n}>{_QUAL})\\s+)?(?P<{g}>{vn.PATTERNS['int']}))"
        if t == "list":
            slots.append(Slot(g, None, None, t, field))
            return f"(?P<{g}>[^()\\n]+?)"
        if t == "name":
            slots.append(Slot(g, None, None, t, field))
            return f"(?P<{g}>[^\\W\\d_][^,.;:()\\n]{{0,60}}?)"
        if t == "docref":
            slots.append(Slot(g, None, None, t, field))
            return f"(?P<{g}>[^\\n]+?)"
        return r"[^\n]*?"  # {text}: any words, nothing to fill

    src = _PH.sub(sub, pattern)
    bare = _PH.sub(".", pattern)  # "có {int} hộ": the anchor is "có", not "có  hộ"
    anchor = _anchor(bare)
    return Compiled(Pattern(src, pattern), slots, anchor, () if anchor else _any_of(bare))


_LITERALS = re.compile(r"\(\?:([^()\\\[\]{}.*+?^$]+)\)(?![?*{])")


def _any_of(pattern: str) -> tuple[str, ...]:
    """For a pattern with no literal anchor: the words of a required top-level group of plain
    alternatives (``{int}\\s+(?:dự án|chương trình) …``), one of which a matching line contains."""
    if "|" in re.sub(r"\\.|\[[^\]]*\]|\([^()]*\)", "", pattern):
        return ()  # an alternative at the top level (groups nested once at most are looked through)
    best: tuple[str, ...] = ()
    depth = 0
    for i, c in enumerate(pattern):
        if c == "(" and (i == 0 or pattern[i - 1] != "\\"):
            if depth == 0:
                m = _LITERALS.match(pattern, i)
                if m:
                    alts = tuple(a.strip() for a in m.group(1).split("|"))
                    if all(len(a) >= 3 for a in alts) and (not best or min(map(len, alts)) > min(map(len, best))):
                        best = alts
            depth += 1
        elif c == ")" and (i == 0 or pattern[i - 1] != "\\"):
            depth = max(depth - 1, 0)
    return best


# ---------------------------------------------------------------------------------------------
# Grammar choice
# ---------------------------------------------------------------------------------------------

def choose(st: Structure, doc: Document, forced: str | None) -> tuple[Grammar | None, list[GrammarChoice]]:
    grammars = [g for g in load_grammars() if g.id != "common"]
    if forced:
        g = get_grammar(forced)
        return g, [GrammarChoice(grammar=g.id, chosen=True, score=0, reasons=["forced with --grammar"])]
    head = fold(" ".join(x for x in (st.header.type, st.header.subject) if x))
    symbol = (st.header.symbol or "").upper()
    body = fold(doc.text[:6000])
    choices: list[GrammarChoice] = []
    best: tuple[float, int, Grammar] | None = None
    for g in grammars:
        m = g.match
        reasons: list[str] = []
        score = 0.0
        ok = True
        if m.types:
            t = fold(st.header.type or "")
            if t and any(fold(x) == t for x in m.types):
                score += 1
                reasons.append(f"type {st.header.type!r} is one of {m.types}")
            elif t:
                ok = False
                reasons.append(f"type {st.header.type!r} is not one of {m.types}")
            else:
                reasons.append("no type line (the report has no header)")
        hits = [k for k in m.keywords if fold(k) in head]
        if hits:
            score += 2 * len(hits)
            reasons.append(f"subject has {hits}")
        elif m.keywords:
            reasons.append(f"subject has none of {m.keywords}")
        missing = [k for k in m.required if fold(k) not in head]
        if missing:
            ok = False
            reasons.append(f"subject lacks required {missing}")
        if m.symbols and symbol:
            if any(symbol == s.upper() or symbol.startswith(s.upper()) for s in m.symbols):
                score += 1
                reasons.append(f"ký hiệu {symbol} is one of {m.symbols}")
        excl = [k for k in m.exclude if fold(k) in head]
        if excl:
            ok = False
            reasons.append(f"excluded by {excl}")
        bhits = [k for k in m.body_keywords if fold(k) in body]
        if bhits:
            score += 0.5 * len(bhits)
            reasons.append(f"body mentions {bhits}")
        if ok and not hits and not bhits:
            ok = False
            reasons.append("no keyword of this report type")
        choices.append(GrammarChoice(grammar=g.id, chosen=False, score=score, reasons=reasons))
        if ok and score > 0 and (best is None or (score, g.match.priority) > best[:2]):
            best = (score, g.match.priority, g)
    chosen = best[2] if best else None
    for c in choices:
        c.chosen = chosen is not None and c.grammar == chosen.id
        if chosen is not None and not c.chosen and c.score > 0:
            c.reasons.append(f"lower score or priority than {chosen.id}")
    return chosen, choices


# ---------------------------------------------------------------------------------------------
# Applying rules
# ---------------------------------------------------------------------------------------------

class Claims:
    """The one registry of text already read as a figure's value: [start, end) view offsets.

    Extraction claims what each rule reads, so that no later rule reads it again, and a generic
    quantity is kept only where no keyed figure read the same number (or date):
    :meth:`taken` is True when [start, end) overlaps a claimed stretch."""

    __slots__ = ("_claimed", "_reach")

    def __init__(self) -> None:
        self._claimed: list[tuple[int, int]] = []  # sorted
        self._reach: list[int] = []  # _reach[k]: the furthest end among _claimed[0..k]; valid up to its length

    def claim(self, start: int, end: int) -> None:
        k = bisect.bisect_right(self._claimed, (start, end))
        self._claimed.insert(k, (start, end))
        del self._reach[k:]  # only the reach from the new stretch on changes

    def claim_all(self, stretches: Iterable[tuple[int, int]]) -> None:
        self._claimed.extend(stretches)
        self._claimed.sort()
        self._reach = []

    def taken(self, start: int, end: int) -> bool:
        claimed = self._claimed
        if not claimed:
            return False
        k = bisect.bisect_left(claimed, (end, -1)) - 1  # stretches starting before end
        if k < 0:
            return False
        reach = self._reach
        if len(reach) <= k:
            r = reach[-1] if reach else 0
            for j in range(len(reach), len(claimed)):
                z = claimed[j][1]
                if z > r:
                    r = z
                reach.append(r)
        return reach[k] > start


class _Ctx:
    def __init__(self, doc: Document, st: Structure, qcache: dict[int, list[Any]] | None = None,
                 claims: Claims | None = None, bcache: dict[int, list[Binding]] | None = None,
                 modes: ModeMap | None = None) -> None:
        self.doc = doc
        self.st = st
        self.modes = modes if modes is not None else mode_map(doc, st)
        lo = st.body_start
        # the preamble may hold figures and references too: start right after the header part
        self.blocks = doc.blocks[:st.body_end]
        self.first = 0 if lo == 0 else lo
        self.folded = [fold(b.text) for b in self.blocks]
        self.ftext = "\n".join(self.folded)  # one string to find pattern anchors in at C speed
        self.fstarts: list[int] = []
        pos = 0
        for f in self.folded:
            self.fstarts.append(pos)
            pos += len(f) + 1
        self._anchor_cache: dict[str, list[int]] = {}
        self.quantities: dict[int, list[Any]] = qcache if qcache is not None else {}
        # folded titles of the sections that hold each block (for rules scoped to a section)
        inner = enclosing(st.sections, [b.line for b in self.blocks])
        titles = [fold(s.title) for s in st.sections]
        scope: list[str] = []
        for j in inner:
            parts: list[str] = []
            while j is not None and len(parts) < MAX_SCOPE_DEPTH:
                parts.append(titles[j])
                j = st.sections[j].parent
            scope.append(" / ".join(parts))
        self._scope = scope
        self.figures: list[Figure] = []
        self.filled: set[str] = set()
        self.item = 0
        self.item_pos: dict[int, int] = {}  # item id → view offset where the record starts
        self.claims = claims if claims is not None else Claims()
        self._qstarts: dict[int, list[int]] = {}
        self.bcache: dict[int, list[Binding]] = bcache if bcache is not None else {}

    def blocks_with(self, anchor: str | None) -> list[int] | range:
        """Indices of the blocks whose folded text contains ``anchor`` (all blocks when None)."""
        if anchor is None:
            return range(len(self.blocks))
        got = self._anchor_cache.get(anchor)
        if got is None:
            got = []
            pos = self.ftext.find(anchor)
            while pos >= 0:
                i = bisect.bisect_right(self.fstarts, pos) - 1
                got.append(i)
                pos = self.ftext.find(anchor, self.fstarts[i + 1] if i + 1 < len(self.fstarts) else len(self.ftext))
            self._anchor_cache[anchor] = got
        return got

    def qstarts(self, i: int) -> list[int]:
        got = self._qstarts.get(i)
        if got is None:
            got = self._qstarts[i] = [q.num_start for q in self.qs(i)]
        return got

    def qs(self, i: int) -> list[Any]:
        if i not in self.quantities:
            self.quantities[i] = vn.find_quantities(self.blocks[i].text)
        return self.quantities[i]

    def bindings(self, i: int) -> list[Binding]:
        """What each quantity of block ``i`` counts (:func:`bcparse.bind.bind_block`), once."""
        got = self.bcache.get(i)
        if got is None:
            got = self.bcache[i] = bind_block(self.blocks[i].text, self.qs(i), self.folded[i])
            if got and self._in_part_list(i):
                for b in got:
                    if b.frame in ("total", None):
                        b.frame = "part"
        return got

    def _in_part_list(self, i: int) -> bool:
        """Block ``i`` is an item of a list introduced by "Trong đó:" ("+ Chính quyền: gồm có 14 cán
        bộ"): its totals are parts of the total stated before the list."""
        if self.folded[i][:1] not in BULLETS:
            return False
        j = i - 1
        while j >= 0 and self.folded[j][:1] in BULLETS and i - j < 40:
            j -= 1
        return j >= 0 and self.folded[j].rstrip().endswith(("trong đó:", "trong số đó:", "bao gồm:", "gồm:"))

    def month_scope(self, words: tuple[str, ...]) -> re.Pattern[str] | None:
        """What opens a sentence about one month ("trong tháng 5"), or None when the report is
        itself of a month ("tháng N" in the lines before its body, or in its first line)."""
        if not words:
            return None
        head = " ".join(self.folded[: self.st.body_start])
        if self.folded and len(self.folded[0]) <= 160 and ". " not in self.folded[0]:
            head += " " + self.folded[0]  # a title line ("Báo cáo tháng 5 …")
        return None if _MONTH_N.search(head) else _month_opener(words)

    def report_year(self) -> int | None:
        """The latest year the report states results of: years written in result passages that
        name no target or plan ("Kế hoạch năm 2025", "phấn đấu đến năm 2025" do not count); None
        when it names none."""
        best: int | None = None
        for i, f in enumerate(self.folded):
            if self.modes.block_mode(i) != "result":
                continue
            for sent in _SENTENCES.split(f):
                if _TARGET_WORDS.search(sent):
                    continue
                for m in _YEAR_IN_TEXT.finditer(sent):
                    y = int(m.group(1))
                    best = y if best is None or y > best else best
        return best

    def section_titles(self, i: int) -> str:
        """Folded titles of the sections around block ``i``, innermost first."""
        return self._scope[i]


_SENTENCES = re.compile(r"[.!?;](?=\s)|\n")
_YEAR_IN_TEXT = re.compile(r"(?:\bnăm\s+|/|-)((?:19|20)[0-9]{2})\b")
_TARGET_WORDS = re.compile(r"\b(?:kế hoạch|phấn đấu|chỉ tiêu|dự kiến|mục tiêu|phương hướng|dự toán|đến năm|giai đoạn)\b")
# the last year named before a number in its sentence, and whether it opens the period of what
# follows ("Năm 2021, …", "trong năm 2021 đã …", "riêng năm 2021"), not a comparison ("so với năm 2021")
_ANY_YEAR = re.compile(r"\bnăm\s+((?:19|20)[0-9]{2})\b(?!\s*[-–]\s*(?:19|20))")
_YEAR_SCOPE_BEFORE = re.compile(r"(?:^|[,;:(]|\btrong|\briêng|\bcả|\btính riêng)\s*$")


_SENTENCE_START = re.compile(r".*(?:[.!?;]\s|\n)", re.S)


def _sentence_start(folded: str, pos: int) -> int:
    """Where the sentence holding offset ``pos`` of a folded block starts (after ". ", "; ", a newline)."""
    m = _SENTENCE_START.match(folded, 0, pos)
    return m.end() if m else 0


def _in_past_year(folded: str, pos: int, year: int) -> bool:
    """The number at ``pos`` follows, in its sentence, a year before the report's that opens the
    period it speaks of ("…, cụ thể trong năm 2021 đã tạo việc làm cho 23.436 lao động, trong đó
    xklđ 546 người" in a report of 2022): a figure of another period."""
    st = _sentence_start(folded, pos)
    last = None
    for y in _ANY_YEAR.finditer(folded, st, pos):
        last = y
    return last is not None and int(last.group(1)) < year and _YEAR_SCOPE_BEFORE.search(
        folded, max(st, last.start() - 12), last.start()) is not None


_MONTH_N = re.compile(r"(?<!\d )(?<!\d)\btháng\s+\d{1,2}\b")  # not a date's "ngày 15 tháng 5"


@functools.lru_cache(maxsize=8)
def _month_opener(words: tuple[str, ...]) -> re.Pattern[str]:
    """"trong tháng 5", "riêng tháng 5": one of the vocabulary's ``sub_periods`` before a month."""
    return re.compile(r"(?:^|[\s,(])(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
                      + r")\s+tháng\s+\d{1,2}(?![\d/.-])")


def _in_month(folded: str, pos: int, month: re.Pattern[str]) -> bool:
    """The number at ``pos`` stands in a sentence opened about one month ("trong tháng 5, …")."""
    return month.search(folded, _sentence_start(folded, pos), pos) is not None


def _in_unit(value: Any, unit: str | None, kind: str | None, key_unit: str | None) -> tuple[Any, str | None] | None:
    """(value, unit) of a measured number in its key's unit ("4,02 km2" for a key in hectares → 402
    ha; the data's unit_conversions); None when written in no unit of that measure ("1.580 kg");
    counts, money and numbers without a unit are kept as they are (a rule's or a count's unit)."""
    if key_unit is None or kind not in ("number", "decimal") or not unit or not isinstance(value, int | float):
        return value, unit
    conv = vn.convert_unit(value, unit, key_unit)
    return None if conv is None else (conv, key_unit)


def _value(ctx: _Ctx, i: int, m: RxMatch, slot: Slot, rule_key: str | None, unit: str | None,
           rule: str) -> Figure | None:
    b = ctx.blocks[i]
    key = slot.field or rule_key
    if slot.ngroup and m.group(slot.ngroup):
        s, e = m.span(slot.ngroup)
        return Figure(key=key, value=0, qualifier="none", raw=b.text[s:e], kind="count",
                      span=make_span(ctx.doc, b.offset + s, b.offset + e), rule=rule,
                      num_start=b.offset + s, num_end=b.offset + e)
    if m.group(slot.group) is None:
        return None
    s, e = m.span(slot.group)
    raw = b.text[s:e]
    if slot.type == "none":
        return Figure(key=key, value=0, qualifier="none", raw=raw, kind="count",
                      span=make_span(ctx.doc, b.offset + s, b.offset + e), rule=rule,
                      num_start=b.offset + s, num_end=b.offset + e)
    if slot.type in ("list", "name", "docref"):
        if slot.type == "list":
            items = [x.strip(" .;:") for x in re.split(r",|;|\s+và\s+", raw) if x.strip(" .;:")]
            return Figure(key=key, value=items, raw=raw, kind="list",
                          span=make_span(ctx.doc, b.offset + s, b.offset + e), rule=rule)
        return Figure(key=key, value=raw.strip(), raw=raw, kind="text",
                      span=make_span(ctx.doc, b.offset + s, b.offset + e), rule=rule)
    qual: Qualifier | None = None
    if slot.qgroup and m.group(slot.qgroup):
        qual = vn.qualifier_of(m.group(slot.qgroup))
        s = m.start(slot.qgroup)
    # prefer the generic quantity that covers the number: same value, unit and raw everywhere
    q = None
    qs = ctx.qs(i)
    starts = ctx.qstarts(i)
    k = bisect.bisect_left(starts, e) - 1  # quantities are in order and do not overlap
    while k >= 0 and qs[k].num_end > s:
        cand = qs[k]
        if cand.start <= m.start(slot.group) < cand.end + 1:
            q = cand
        k -= 1
    if q is None:
        if vn.not_quantity_at(b.text, m.start(slot.group)) is not None:
            return None  # "Thôn 3", "Chương trình 135", "tỷ lệ 1/500": the number names something
        try:
            q0 = vn.parse_placeholder(slot.type, b.text[m.start(slot.group):e])
        except ValueError:
            return None
        qs_, qe_ = s, e
        value, qunit, kind = q0.value, q0.unit, q0.kind
        style, ns, ne = q0.style, m.start(slot.group) + q0.num_start, m.start(slot.group) + q0.num_end
        qual = qual or _qualifier(q0.qualifier)
    else:
        qs_, qe_ = min(s, q.start), max(e, q.end)
        value, qunit, kind = q.value, q.unit, q.kind
        style, ns, ne = q.style, q.num_start, q.num_end
        qual = qual or _qualifier(q.qualifier)
    if slot.type != "date" and kind == "date" or slot.type == "fraction" and kind != "fraction":
        return None  # a date ("Sáng 19-3"), an actual value and its plan ("1.250/1.200 tấn")
    if slot.type != "fraction" and (kind == "fraction" or _PAIR_START.match(b.text, m.start(slot.group), e) and (
            q is None or q.plan is None)):
        return None  # "17/21 đồng chí" is a part of a whole, no count; "X/Y" without a plan read is neither
    converted = _in_unit(value, qunit, kind, unit)  # raw keeps what was written
    if converted is None:
        return None
    value, qunit = converted
    style_d = {k: getattr(style, k) for k in style.__slots__} if style is not None else None
    return Figure(key=key, value=value, unit=qunit or None, qualifier=qual, raw=b.text[qs_:qe_], kind=kind,
                  span=make_span(ctx.doc, b.offset + qs_, b.offset + qe_), rule=rule,
                  num_start=b.offset + ns, num_end=b.offset + ne, style=style_d,
                  plan=q.plan if q is not None else None)


def _context_ok(rule: FigureRule, folded: str, m: RxMatch) -> bool:
    after = folded[m.end():]
    before = folded[: m.start()]
    for nb in rule.not_before:
        if rx(nb).match(after):
            return False
    for na in rule.not_after:
        if rx(na).search(before):
            return False
    return True


@timed_rule
def apply_figure_rule(ctx: _Ctx, g: Grammar, rule: FigureRule) -> None:
    compiled = [compile_pattern(p) for p in rule.patterns]
    rid = f"{g.id}:{rule.key or '+'.join(sorted(rule.fields.values()) or [s.field or '' for c in compiled for s in c.slots])}"
    wanted = {rule.key} if rule.key else set()
    for c in compiled:
        wanted |= {s.field for s in c.slots if s.field}
    if not rule.repeat and wanted and wanted <= ctx.filled and not ctx.modes.any_other:
        return
    candidates = sorted({i for c in compiled for a in (c.anyof or (c.anchor,)) for i in ctx.blocks_with(a)})
    for i in candidates:
        if not rule.repeat and wanted and wanted <= ctx.filled and not ctx.modes.may_differ(i):
            continue  # every result read: only a target or plan passage may still hold one
        f = ctx.folded[i]
        if rule.section and not any(fold(k) in ctx.section_titles(i) for k in rule.section):
            continue
        for c in compiled:
            if (c.anchor and c.anchor not in f) or (c.anyof and not any(a in f for a in c.anyof)):
                continue
            for m in c.regex.finditer(f):
                if not _context_ok(rule, f, m):
                    continue
                b = ctx.blocks[i]
                new: list[Figure] = []
                for slot in c.slots:
                    key = slot.field or rule.key
                    if key is None or (key in ctx.filled and not rule.repeat and not ctx.modes.may_differ(i)):
                        continue  # the result is read; only a target, plan or comparison may follow here
                    fig = _value(ctx, i, m, slot, rule.key, rule.unit, rid)
                    if fig is None or ctx.claims.taken(b.offset + m.start(slot.group), b.offset + m.end(slot.group)):
                        continue
                    set_mode(ctx, i, fig)
                    if filled_key(key, fig.mode) in ctx.filled and not rule.repeat:
                        continue  # a target does not fill the result key; one figure per key and mode
                    new.append(fig)
                for name, key in rule.fields.items():
                    if m.groupdict().get(name) is not None and key not in ctx.filled:
                        s, e = m.span(name)
                        raw = b.text[s:e]
                        new.append(Figure(key=key, value=raw.strip(), raw=raw, kind="text", rule=rid,
                                          span=make_span(ctx.doc, b.offset + s, b.offset + e)))
                if not new:
                    continue
                for fig in new:
                    fig.confidence = "high"  # a sentence pattern written for the key
                    _describe(ctx, i, fig)
                    ctx.figures.append(fig)
                    if not rule.repeat:
                        ctx.filled.add(filled_key(fig.key or "", fig.mode))
                    if fig.num_start is not None and fig.num_end is not None:
                        ctx.claims.claim(fig.num_start, fig.num_end)
                    if rule.listed is not None and fig.key == rule.key:
                        _listed(ctx, i, m.end(), fig, rule, rid)
                if not rule.repeat and wanted <= ctx.filled and not ctx.modes.any_other:
                    return


def filled_key(key: str, mode: str) -> str:
    """What a figure fills: its key for a result, ``key@mode`` otherwise (a target found first
    never keeps the result from being read)."""
    return key if mode == "result" else f"{key}@{mode}"


def keyed_mode(mode: Mode) -> Mode:
    """A keyed figure is a result, a target or a plan: the rule that read it chose what the number
    states ("tăng 6,68% so với năm 2020" is the growth rate), so "comparison" is for the generic
    quantities only."""
    return "result" if mode == "comparison" else mode


def set_mode(ctx: _Ctx, i: int, fig: Figure) -> None:
    """The figure's mode and confidence from where it stands in block ``i`` (:mod:`bcparse.modes`)."""
    b = ctx.blocks[i]
    start = (fig.num_start if fig.num_start is not None else fig.span.offset or 0) - b.offset
    end = (fig.span.offset or 0) + fig.span.length - b.offset
    fig.mode = keyed_mode(ctx.modes.mode_at(i, start, end, fig.kind))
    if fig.confidence is None:
        fig.confidence = "high"


def _describe(ctx: _Ctx, i: int, fig: Figure) -> None:
    """What the number of a pattern's figure counts, from its binding (as every figure has)."""
    if fig.num_start is None:
        return
    rel = fig.num_start - ctx.blocks[i].offset
    starts = ctx.qstarts(i)
    k = bisect.bisect_left(starts, rel)
    if k < len(starts) and starts[k] == rel:
        b = ctx.bindings(i)[k]
        fig.counted, fig.subject, fig.frame = b.counted, b.subject, b.frame


def _listed(ctx: _Ctx, i: int, end: int, fig: Figure, rule: FigureRule, rid: str) -> None:
    """The number of items the text lists after a stated count ("06 đoàn … gồm: A; B; …")."""
    assert rule.listed is not None
    b = ctx.blocks[i]
    key = f"{fig.key}.listed"
    if rule.listed.mode == "inline":
        colon = b.text.find(":", end)
        if colon < 0:
            return
        rest = b.text[colon + 1 :]
        body = rest.rstrip().rstrip(".;")
        parts = [p for p in body.split(rule.listed.separator) if p.strip()]
        if not parts:
            return
        s = b.offset + colon + 1 + (len(rest) - len(rest.lstrip()))
        e = b.offset + colon + 1 + len(body)
        ctx.figures.append(Figure(key=key, value=len(parts), raw=ctx.doc.text[s:e], kind="count",
                                  span=make_span(ctx.doc, s, e), rule=rid + ".listed"))
        return
    bullet = rule.listed.bullet
    j = i + 1
    items: list[Block] = []
    while j < len(ctx.blocks):
        t = ctx.blocks[j].text
        if t.startswith(bullet):
            items.append(ctx.blocks[j])
        elif t[:1] in BULLETS or parse_marker(t) is not None:
            break
        else:
            break
        j += 1
    if items:
        s, e = items[0].offset, items[-1].offset + len(items[-1].text)
        ctx.figures.append(Figure(key=key, value=len(items), raw=ctx.doc.text[s:e], kind="count",
                                  span=make_span(ctx.doc, s, e), rule=rid + ".listed"))


# ---------------------------------------------------------------------------------------------
# Count rules: figures declared over bound quantities
# ---------------------------------------------------------------------------------------------

def _mode_at(ctx: _Ctx, i: int, q: Any) -> Mode:
    """The mode of a keyed count at quantity ``q`` of block ``i`` (:mod:`bcparse.modes`; a keyed
    figure is a result, target or plan)."""
    return keyed_mode(ctx.modes.mode_at(i, q.num_start, q.end, q.kind))


_CONFIDENCE_RANK = {"high": 0, "medium": 1, "low": 2}
_UNIT_KINDS = frozenset({"commune", "district", "province"})  # the reporting unit itself ("toàn xã", "toàn huyện")


def count_confidence(rule: CountRule, b: Binding) -> str:
    """How directly a binding ties its number to the rule's key (docs/grammars.md "Confidence"):
    high — the head noun right after the number (a measured one's before it: "sản lượng lương
    thực đạt 948,9 tấn"), in a total frame, said of the unit itself (no
    subject, the commune, district or province, or the rule's first subject kind); low — the subject stands in an earlier sentence, or
    the noun is inherited across a clause; medium — everything else (the noun before the number,
    inherited through "trong đó" or a list, a part, another allowed subject)."""
    if b.subject_far and rule.subject and "none" not in rule.subject or b.crossed:
        return "low"
    own = b.subject_kind is None or b.subject_kind in _UNIT_KINDS or (
        bool(rule.subject) and b.subject_kind == rule.subject[0])
    # a measured quantity says what it measures before the number ("sản lượng lương thực đạt 948,9 tấn")
    direct = b.position == "after" or (b.position == "before" and rule.unit is not None
                                       and b.measure not in (None, "count", "rate"))
    if direct and b.frame == "total" and own and not b.extra.get("topic"):
        return "high"
    return "medium"


def _count_match(rule: CountRule, q: Any, b: Binding, neutral: frozenset[str]) -> bool:
    if b.head is None or b.head not in rule.noun or b.extra.get("inside"):
        return False
    if q.kind not in rule.kinds and not (q.kind == "number" and "count" in rule.kinds and isinstance(q.value, int)):
        return False
    if (b.frame or "none") not in rule.frames:
        return False
    if rule.measure is not None and b.measure != rule.measure:
        return False
    if _in_unit(q.value, q.unit, q.kind, rule.unit) is None:
        return False
    mods = set(b.modifiers)
    required: set[str] = set()
    for entry in rule.require:
        alts = entry.split("|")
        hit = mods.intersection(alts)
        if not hit:
            return False
        required |= hit
    if "*" in rule.forbid:
        if mods - required - set(rule.allow) - neutral or b.open:
            return False
    elif mods & set(rule.forbid):
        return False
    if rule.subject:
        kind = b.subject_kind if b.subject_kind is not None and not b.subject_far else "none"
        if kind not in rule.subject and (b.subject_kind or "none") not in rule.subject:
            return False
    return True


def apply_count_rules(ctx: _Ctx, rules: list[tuple[Grammar, CountRule]]) -> None:
    """Apply the ``counts:`` rules of the grammars: one binding pass over the document, shared by
    every rule. A rule takes, per mode, the best matching quantity (highest confidence, then the
    first), or every one with ``repeat``; a key filled already (by an earlier rule, or the
    header) is skipped, a number claimed already is not read again, and a figure in a target,
    plan or comparison passage never keeps a result from filling the key."""
    if not rules:
        return
    vocab = load_vocabulary()
    neutral = vocab.neutral  # modifiers that narrow nothing ("hiện tại")
    month_rx = ctx.month_scope(vocab.sub_periods)
    year = ctx.report_year() if any(r.flow for _, r in rules) else None
    by_head: dict[str, list[tuple[int, int]]] = {}
    for i in range(len(ctx.blocks)):
        for j, b in enumerate(ctx.bindings(i)):
            if b.head is not None and not b.extra.get("inside"):
                by_head.setdefault(b.head, []).append((i, j))
    for g, rule in rules:
        if not rule.repeat and rule.key in ctx.filled and not ctx.modes.any_other:
            continue
        cands = sorted({x for n in rule.noun for x in by_head.get(n, ())})
        best: dict[Mode, tuple[tuple[int, int], int, int, str]] = {}  # mode → (rank, i, j, confidence)
        picked: list[tuple[int, int, Mode, str]] = []
        for i, j in cands:
            if rule.section and not any(fold(k) in ctx.section_titles(i) for k in rule.section):
                continue
            q, b = ctx.qs(i)[j], ctx.bindings(i)[j]
            if not _count_match(rule, q, b, neutral):
                continue
            blk = ctx.blocks[i]
            if ctx.claims.taken(blk.offset + q.num_start, blk.offset + q.num_end):
                continue
            if month_rx is not None and _in_month(ctx.folded[i], q.num_start, month_rx):
                continue
            if rule.flow and year is not None and _in_past_year(ctx.folded[i], q.num_start, year):
                continue
            mode: Mode = _mode_at(ctx, i, q)
            conf = count_confidence(rule, b)
            if rule.repeat:
                picked.append((i, j, mode, conf))
            elif filled_key(rule.key, mode) not in ctx.filled:
                # the most direct evidence first; then a number stated exactly ("1.154 hộ nghèo") over
                # a rounded one ("hơn 1.150 hộ nghèo"); then the first
                rank = (_CONFIDENCE_RANK[conf], 0 if q.qualifier is None else 1)
                cur = best.get(mode)
                if cur is None or rank < cur[0]:
                    best[mode] = (rank, i, j, conf)
        if not rule.repeat:
            picked = [(i, j, m, conf) for m, (_, i, j, conf) in best.items()]
        for i, j, pmode, conf in picked:
            fig = _count_figure(ctx, g, rule, i, j, pmode, conf)
            ctx.figures.append(fig)
            ctx.claims.claim(fig.num_start or 0, fig.num_end or 0)
            if not rule.repeat:
                ctx.filled.add(filled_key(rule.key, pmode))


def _count_figure(ctx: _Ctx, g: Grammar, rule: CountRule, i: int, j: int, mode: str, conf: str) -> Figure:
    q, b, blk = ctx.qs(i)[j], ctx.bindings(i)[j], ctx.blocks[i]
    s, e = blk.offset + q.start, blk.offset + q.end
    style = {k: getattr(q.style, k) for k in q.style.__slots__} if q.style is not None else None
    value, unit = _in_unit(q.value, q.unit, q.kind, rule.unit) or (q.value, q.unit)
    return trusted_figure(key=rule.key, value=value, unit=unit or None, qualifier=_qualifier(q.qualifier),
                  raw=ctx.doc.text[s:e], span=make_span(ctx.doc, s, e), kind=q.kind, rule=f"{g.id}:{rule.key}",
                  num_start=blk.offset + q.num_start, num_end=blk.offset + q.num_end, style=style,
                  mode=mode, confidence=conf, counted=b.counted, subject=b.subject, frame=b.frame, plan=q.plan)


@timed_rule
def apply_list_rule(ctx: _Ctx, g: Grammar, rule: ListRule) -> None:
    if rule.key in ctx.filled:
        return
    fr = FigureRule(key=rule.key, patterns=rule.patterns)
    apply_figure_rule(ctx, g, fr)


DONOR_WINDOW = 800  # characters looked back for a gift's giver and for what "đoàn" refers to
_SENTENCE_END = re.compile(r"[.!?]\s+(?=[A-ZĐÀ-Ỹ])|;\s+")


@timed_rule
def apply_record_rule(ctx: _Ctx, g: Grammar, rule: RecordRule) -> None:
    items = [compile_pattern(p) for p in rule.patterns]
    values = [compile_pattern(p) for p in rule.values]
    triggers = [fold(t) for t in rule.trigger]
    rid = f"{g.id}:{rule.id}"

    def key_of(field: str) -> str:
        return rule.fields.get(field, f"{rule.id}.{field}")

    for i, b in enumerate(ctx.blocks):
        f = ctx.folded[i]
        if triggers and not any(t in f for t in triggers):
            continue
        found: list[tuple[int, int, RxMatch, Compiled]] = []
        for c in items:
            for m in c.regex.finditer(f):
                if not any(a < m.end() and m.start() < z for a, z, _, _ in found) and not _not_item(ctx, i, m, c, rule):
                    found.append((m.start(), m.end(), m, c))
        found += _noun_items(ctx, i, rule, found)
        found.sort(key=lambda t: t[0])
        last_donor: Figure | None = None
        # an item must follow a trigger word in its paragraph
        first_trigger = min((f.find(t) for t in triggers if t in f), default=0)
        # (or be given in its own sentence: "550 phần quà tết được trao cho …", "26.924 nhân khẩu … được nhận quà")
        found = [x for x in found if x[0] >= first_trigger or any(t in _sentence_after(f, x[0]) for t in triggers)]
        for k, (s, e, m, c) in enumerate(found):
            nxt = found[k + 1][0] if k + 1 < len(found) else len(f)
            clause_end = nxt
            semi = f.find(";", e)
            if 0 <= semi < clause_end:
                clause_end = semi
            figs: dict[str, Figure] = {}
            for slot in c.slots:
                fig = _value(ctx, i, m, slot, None, None, rid)
                if fig is not None and slot.field:
                    fig.key = key_of(slot.field)
                    figs[slot.field] = fig
            for name in m.groupdict():
                if re.fullmatch(r"[vqz]\d+", name) or m.group(name) is None:
                    continue
                gs, ge = m.span(name)
                raw = b.text[gs:ge]
                figs[name] = Figure(key=key_of(name), value=raw.strip(), raw=raw, kind="text", rule=rid,
                                    span=make_span(ctx.doc, b.offset + gs, b.offset + ge))
            for vc in values:  # each value pattern fills what is still missing
                if any(slot.field in figs for slot in vc.slots):
                    continue
                vm = vc.regex.match(f, e, clause_end)  # anchored at the end of the item
                if vm is None:
                    continue
                for name in vm.groupdict():  # "mỗi (?P<unit>suất) quà trị giá …": the unit when the item has none
                    if name in figs or re.fullmatch(r"[vqz]\d+", name) or vm.group(name) is None:
                        continue
                    gs, ge = vm.span(name)
                    figs[name] = Figure(key=key_of(name), value=b.text[gs:ge].strip(), raw=b.text[gs:ge], kind="text",
                                        rule=rid, span=make_span(ctx.doc, b.offset + gs, b.offset + ge))
                for slot in vc.slots:
                    if slot.field and slot.field not in figs:
                        fig = _value(ctx, i, vm, slot, None, None, rid)
                        # the same words never give two values ("trị giá 1,5 triệu đồng/suất")
                        if fig is not None and not any(
                                o.num_start is not None and fig.num_start is not None and o.num_end is not None
                                and fig.num_end is not None and o.num_start < fig.num_end and fig.num_start < o.num_end
                                for o in figs.values()):
                            fig.key = key_of(slot.field)
                            figs[slot.field] = fig
            if not figs:
                continue
            _donor_after(ctx, i, e, clause_end, rule, figs, key_of, rid)
            if "donor" not in figs:
                _donor(ctx, i, s, rule, figs, key_of, rid)
            if "donor" in figs:
                last_donor = figs["donor"]
            elif last_donor is not None:  # "…; cho hộ cận nghèo 54 suất": the same giver goes on
                figs["donor"] = last_donor.model_copy()
            elif k == 0:  # a passive "550 phần quà được trao cho …": the giver named in the paragraph before
                _donor_before(ctx, i, rule, figs, key_of, rid)
                if "donor" in figs:
                    last_donor = figs["donor"]
            if "donor" not in figs and rule.donor_own_unit:
                _donor_own_unit(ctx, figs, key_of, rid)
            prev_end = found[k - 1][1] if k else first_trigger
            se = re.compile(r"[.!?](?=\s)").search(f, e, clause_end)  # recipients are named in the item's sentence
            sent_end = se.start() if se else clause_end
            for rp in rule.recipients if "recipients" not in figs else ():
                # "… 12 suất quà cho hộ nghèo" (after the item), else "cho hộ nghèo là: 99 suất" (before it)
                rm = rx(rp).search(f[e:sent_end])
                base = e
                if rm is None:
                    base = prev_end
                    for cand in rx(rp).finditer(f[prev_end:s]):
                        rm = cand
                if rm is not None and rm.group("recipients"):
                    rs, re_ = base + rm.start("recipients"), base + rm.end("recipients")
                    raw = b.text[rs:re_]
                    figs["recipients"] = Figure(key=key_of("recipients"), value=raw.strip(), raw=raw, kind="text",
                                                rule=rid, span=make_span(ctx.doc, b.offset + rs, b.offset + re_))
                    break
            _bound(ctx, i, figs)
            _list_total(f, s, m, c, figs, rule)
            _derive_total(ctx, figs, rule.derive_total, key_of, rid)
            _emit_item(ctx, figs, b.offset + s)


def _list_total(f: str, s: int, m: RxMatch, c: Compiled, figs: dict[str, Figure], rule: RecordRule) -> None:
    """An item further down a list of recipients ("… cho các đối tượng …, 63 trẻ em … với tổng số
    tiền trên 35 triệu đồng"): the total stated after the list may be the whole list's, so its
    confidence is medium."""
    if len(rule.derive_total) != 3:
        return
    cf, _uf, tf = rule.derive_total
    total = figs.get(tf)
    slot = next((sl for sl in c.slots if sl.field == cf), None)
    if total is None or slot is None or m.group(slot.group) is None:
        return
    if "," in f[s:m.start(slot.group)]:
        total.confidence = "medium"


def _bound(ctx: _Ctx, i: int, figs: dict[str, Figure]) -> None:
    """A record's numbers carry what they count, like every other figure: the counted phrase,
    subject and frame of the binding of the same number (:mod:`bcparse.bind`)."""
    off = ctx.blocks[i].offset
    by_start = {q.num_start: bd for q, bd in zip(ctx.qs(i), ctx.bindings(i), strict=True)}
    for fig in figs.values():
        if fig.num_start is None or fig.counted is not None:
            continue
        bd = by_start.get(fig.num_start - off)
        if bd is not None:
            fig.counted, fig.subject, fig.frame = bd.counted, bd.subject, bd.frame


def _cell_value(text: str, typ: str, header: str) -> tuple[Any, str] | None:
    """A table cell read as int / num / money (scaled by the column's "(triệu đồng)") or text."""
    t = text.strip()
    if typ == "text":
        return (t, "text") if t else None
    m = re.search(r"\d[\d.,]*", t)
    if not m:
        return None
    try:
        v, _style = vn.parse_number(m.group(0))
    except ValueError:
        return None
    if typ == "int":
        return (int(v), "count") if float(v).is_integer() else None
    if typ == "money":
        return int(round(v * vn.header_scale(header))), "money"
    return v, "number"


@timed_rule
def apply_table_rule(ctx: _Ctx, g: Grammar, rule: TableRule) -> None:
    """One item per body row of every table whose header row names the rule's columns."""
    rid = f"{g.id}:{rule.record}.table"

    def key_of(field: str) -> str:
        return rule.fields.get(field, f"{rule.record}.{field}")

    tables: dict[int, dict[int, dict[int, list[Block]]]] = {}
    for b in ctx.blocks:
        src = b.source
        if b.kind == "cell" and src.table is not None and src.row is not None and src.cell is not None:
            tables.setdefault(src.table, {}).setdefault(src.row, {}).setdefault(src.cell, []).append(b)
    for rows in tables.values():
        order = sorted(rows)
        header_row = None
        for r in order[:3]:
            joined = " | ".join(fold(" ".join(x.text for x in rows[r][c])) for c in sorted(rows[r]))
            if all(rx(fold(h)).search(joined) for h in rule.header):
                header_row = r
                break
        if header_row is None:
            continue
        heads = {c: fold(" ".join(x.text for x in rows[header_row][c])) for c in rows[header_row]}
        colmap: dict[str, int] = {}
        for field, words in rule.columns.items():
            for w in words:
                c = next((c for c, h in sorted(heads.items()) if fold(w) in h and c not in colmap.values()), None)
                if c is not None:
                    colmap[field] = c
                    break
        for r in order[order.index(header_row) + 1 :]:
            cells = rows[r]
            first = fold(" ".join(x.text for c in sorted(cells)[:2] for x in cells[c]))
            is_total = any(fold(t) in first for t in rule.total_row)
            figs: dict[str, Figure] = {}
            for field, c in colmap.items():
                blocks = cells.get(c)
                if not blocks:
                    continue
                bl = blocks[0]
                got = _cell_value(bl.text, rule.types.get(field, "text"), heads[c])
                if got is None:
                    continue
                value, kind = got
                figs[field] = Figure(key=key_of(field), value=value, raw=bl.text, kind=kind, rule=rid,
                                     span=make_span(ctx.doc, bl.offset, bl.offset + len(bl.text)),
                                     num_start=bl.offset if kind != "text" else None,
                                     num_end=bl.offset + len(bl.text) if kind != "text" else None)
            if is_total:
                for field, fig in figs.items():
                    if fig.kind != "text":
                        fig.key = f"{rule.record}.table_total.{field}"
                        ctx.figures.append(fig)
                continue
            if not any(f.kind != "text" for f in figs.values()):
                continue
            _derive_total(ctx, figs, rule.derive_total, key_of, rid)
            _emit_item(ctx, figs, min(bl.offset for c in cells.values() for bl in c))


def _derive_total(ctx: _Ctx, figs: dict[str, Figure], fields: list[str], key_of: Any, rid: str) -> None:
    """total = count x unit value when the text states no total (marked derived; the audit skips it)."""
    if len(fields) != 3:
        return
    cf, uf, tf = fields
    cnt, uv = figs.get(cf), figs.get(uf)
    if tf in figs or cnt is None or uv is None or not isinstance(cnt.value, int) \
            or not isinstance(uv.value, int | float):
        return
    starts = [f.span.offset or 0 for f in (cnt, uv)]
    a = min(starts)
    z = max(st + f.span.length for st, f in zip(starts, (cnt, uv), strict=True))
    figs[tf] = Figure(key=key_of(tf), value=int(cnt.value * uv.value), raw=ctx.doc.text[a:z], kind="money",
                      span=make_span(ctx.doc, a, z), rule=rid + ".derived", derived=True)


def _emit_item(ctx: _Ctx, figs: dict[str, Figure], pos: int) -> None:
    """The fields of one record item, numbered, claimed so that generic figures do not repeat them.
    ``pos`` (view offset where the record starts) orders the items of a kind: see :func:`number_items`."""
    ctx.item += 1
    ctx.item_pos[ctx.item] = pos
    for fig in figs.values():
        fig.item = ctx.item
        ctx.figures.append(fig)
        if fig.num_start is not None and fig.num_end is not None:
            ctx.claims.claim(fig.num_start, fig.num_end)


def _noun_items(ctx: _Ctx, i: int, rule: RecordRule,
                found: list[tuple[int, int, RxMatch, Compiled]]) -> list[tuple[int, int, RxMatch, Compiled]]:
    """Items read from the bindings: every count of block ``i`` whose counted head is one of the
    rule's ``nouns`` ("suất quà", "phần quà", "xuất", …), written after the number, that no pattern
    took ("trao 200 suất quà đến các hộ"): count and unit (the counted phrase as written)."""
    if not rule.nouns or not ctx.qs(i):
        return []
    f = ctx.folded[i]
    out: list[tuple[int, int, RxMatch, Compiled]] = []
    for q, bd in zip(ctx.qs(i), ctx.bindings(i), strict=True):
        if bd.head not in rule.nouns or bd.position != "after" or bd.extra.get("inside") or bd.end <= q.num_end:
            continue
        if q.kind not in ("count", "number") or not isinstance(q.value, int):
            continue
        if any(a <= q.num_start < z for a, z, _, _ in found):
            continue
        c = compile_pattern("{int:count}\\s*(?P<unit>" + re.escape(f[bd.start:bd.end]) + ")")
        m = c.regex.search(f, q.start, bd.end)
        if m is not None and not _not_item(ctx, i, m, c, rule):
            out.append((m.start(), m.end(), m, c))
    return out


def _sentence_after(f: str, e: int) -> str:
    """The folded text from ``e`` to the end of its sentence (at most 120 characters)."""
    m = re.search(r"[.;!?](?:\s|$)", f[e:e + 120])
    return f[e:e + (m.start() if m else 120)]


def _not_item(ctx: _Ctx, i: int, m: RxMatch, c: Compiled, rule: RecordRule) -> bool:
    """A match that is no record of its own: a share per unit ("tặng mỗi xã 2 suất quà", ``not_after``)
    or a part of a gift counted already ("520 xuất quà, trong đó có 50 suất của …", ``skip_frames``)."""
    f = ctx.folded[i]
    before = f[max(0, m.start() - 80):m.start()]
    if any(rx(p).search(before) for p in rule.not_after):
        return True
    if not rule.skip_frames:
        return False
    slot = next((sl for sl in c.slots if sl.field == "count"), None)
    if slot is None or m.group(slot.group) is None:
        return False
    at = m.start(slot.group)
    for q, bd in zip(ctx.qs(i), ctx.bindings(i), strict=True):
        if q.start <= at < q.end or q.num_start == at:
            return bd.frame in rule.skip_frames
    return False


def _strip_donor(ftext: str, ds: int, de: int, rule: RecordRule) -> int:
    """Where the donor starts once the words before it that name no giver are dropped: a time
    ("Năm nay", "tối 8.1.2012"), a purpose clause ("Nhằm …, "), a source tag ("(BTNO) - ")."""
    changed = True
    while changed:
        changed = False
        for p in rule.donor_strip:
            sm = rx(p).match(ftext[ds:de])
            if sm is not None and 0 < sm.end() < de - ds:
                ds += sm.end()
                changed = True
    return ds


def _donor_fig(ctx: _Ctx, i: int, ds: int, de: int, key_of: Any, rid: str, conf: str | None = None) -> Figure:
    b = ctx.blocks[i]
    raw = b.text[ds:de]
    return Figure(key=key_of("donor"), value=raw.strip(" ,"), raw=raw, kind="text", rule=rid,
                  span=make_span(ctx.doc, b.offset + ds, b.offset + de), confidence=conf)  # type: ignore[arg-type]


def _donor_after(ctx: _Ctx, i: int, e: int, end: int, rule: RecordRule, figs: dict[str, Figure], key_of: Any,
                 rid: str) -> None:
    """The giver named with the gift itself: "33.445 xuất quà của Chủ tịch nước", "70 phần quà …
    do chùa Tịnh xá Ngọc Như tài trợ" (``donor_after``, matched at the end of the item)."""
    f = ctx.folded[i]
    for p in rule.donor_after:
        dm = rx(p).match(f, e, end)
        if dm is not None and dm.group("donor"):
            ds, de = dm.span("donor")
            figs["donor"] = _donor_fig(ctx, i, ds, de, key_of, rid)
            return


def _donor_before(ctx: _Ctx, i: int, rule: RecordRule, figs: dict[str, Figure], key_of: Any, rid: str) -> None:
    """A gift whose own sentence names no giver ("Tổng cộng có 550 phần quà tết được trao cho bà con
    nghèo"): the giver of the paragraph before, within DONOR_WINDOW characters; confidence medium."""
    budget = DONOR_WINDOW
    j = i - 1
    while j >= 0 and budget > 0 and ctx.blocks[j].kind != "cell":
        text, ftext = ctx.blocks[j].text, ctx.folded[j]
        budget -= len(text)
        starts = [0] + [m.end() for m in _SENTENCE_END.finditer(text)]
        for st in reversed(starts):
            for pat in rule.donor:
                dm = rx(pat).search(ftext[st:])
                if dm is None or not dm.group("donor"):
                    continue
                ds, de = st + dm.start("donor"), st + dm.end("donor")
                ds = _strip_donor(ftext, ds, de, rule)
                if any(rx(gp).fullmatch(ftext[ds:de].strip(" ,")) for gp in rule.donor_generic):
                    continue
                figs["donor"] = _donor_fig(ctx, j, ds, de, key_of, rid, "medium")
                return
        j -= 1


def _donor_own_unit(ctx: _Ctx, figs: dict[str, Figure], key_of: Any, rid: str) -> None:
    """No giver named anywhere near a gift ("Tổ chức thăm, tặng 150 suất quà Tết cho hộ nghèo"): the
    report's own unit, its last agency line ("XÃ BÌNH THÀNH"); a guess, so confidence low."""
    h = ctx.st.header
    sp = h.spans.get("agency")
    if not h.agency or sp is None:
        return
    last = h.agency[-1].strip()
    if not last or set(last) <= set(" .…_-"):
        return
    a = (sp.offset or 0) + sp.length - len(h.agency[-1])
    a += len(h.agency[-1]) - len(h.agency[-1].lstrip())
    if ctx.doc.text[a:a + len(last)] != last:
        return
    figs["donor"] = Figure(key=key_of("donor"), value=last, raw=last, kind="text", rule=rid + ".own_unit",
                           span=make_span(ctx.doc, a, a + len(last)), confidence="low")


def _donor(ctx: _Ctx, i: int, s: int, rule: RecordRule, figs: dict[str, Figure], key_of: Any, rid: str) -> None:
    if not rule.donor:
        return
    b = ctx.blocks[i]
    text, ftext = b.text, ctx.folded[i]
    lo = max(0, s - DONOR_WINDOW)  # a giver is named in the sentence before the gift, never pages away
    start = lo
    for m in _SENTENCE_END.finditer(text, lo, s):
        start = m.end()
    lead = len(text) - len(text.lstrip("-+•–* "))
    mk = parse_marker(text[:200])
    if mk is not None:  # "b) Dịp Tết …, UBND xã … tặng": the section marker is not the donor
        lead = max(lead, len(mk.marker) + (len(text[len(mk.marker):]) - len(text[len(mk.marker):].lstrip())))
    start = max(start, lead) if lead < s else start
    for pat in rule.donor:
        dm = rx(pat).search(ftext[start:s])
        if dm is None:
            continue
        ds, de = start + dm.start("donor"), start + dm.end("donor")
        ds = _strip_donor(ftext, ds, de, rule)
        donor = text[ds:de].strip(" ,")
        if any(rx(gp).fullmatch(fold(donor)) for gp in rule.donor_generic):
            ante = None
            alo = max(0, start - DONOR_WINDOW)
            for ap in rule.donor_antecedent:
                for am in rx(ap).finditer(ftext[alo:start]):
                    ante = am
            if ante is None:
                break
            ds, de = alo + ante.start("donor"), alo + ante.end("donor")
        figs["donor"] = _donor_fig(ctx, i, ds, de, key_of, rid)
        return


def references(ctx: _Ctx) -> None:
    """ref.* items: every referenced document (one item each), in the body and after it: the
    footnotes and notes printed after the signature cite documents too."""
    blocks = ctx.doc.blocks
    for i in range(_end_of_page_text(ctx.doc)):
        b = blocks[i]
        if i < ctx.first and b.line <= ctx.st.header.end_line:
            continue  # header lines: "Số: 12/BC-UBND" is the report itself, not a reference
        for r in find_docrefs(b.text):
            ctx.item += 1
            ctx.item_pos[ctx.item] = b.offset + min((s for s, _ in r.spans.values()), default=0)
            vals = {"kind": r.kind, "number": r.number, "symbol": r.symbol, "date": r.date}
            for field, (s, e) in r.spans.items():
                v = vals[field]
                if v is None:
                    continue
                ctx.figures.append(Figure(key=f"ref.{field}", value=v, raw=b.text[s:e], item=ctx.item,
                                          kind="date" if field == "date" else "text", rule="references:ref",
                                          span=make_span(ctx.doc, b.offset + s, b.offset + e)))
                ctx.claims.claim(b.offset + s, b.offset + e)


def mode_map(doc: Document, st: Structure) -> ModeMap:
    """Where each passage of the document is a result, a target, a plan (:mod:`bcparse.modes`)."""
    return ModeMap([b.text for b in doc.blocks], [b.line for b in doc.blocks], st)


def apply_grammar(doc: Document, st: Structure, claims: Claims, *, grammar: str | None = None,
                  qcache: dict[int, list[Any]] | None = None, filled: set[str] | None = None,
                  bcache: dict[int, list[Binding]] | None = None, modes: ModeMap | None = None,
                  ) -> tuple[str | None, list[GrammarChoice], list[Figure]]:
    """Choose a grammar and apply it, claiming what it reads in ``claims``; ``qcache`` (block
    index → quantities) is shared with the caller, ``filled`` holds the keys the header figures
    already gave (a grammar rule does not repeat them)."""
    chosen, choices = choose(st, doc, grammar)
    gs: list[Grammar] = chain(chosen) if chosen is not None else [
        g for g in load_grammars() if g.id == "common"]
    ctx = _Ctx(doc, st, qcache, claims, bcache, modes)
    ctx.filled |= set(filled or ())
    references(ctx)
    for g in gs:
        for tab in g.tables:
            apply_table_rule(ctx, g, tab)
        for rec in g.records:
            apply_record_rule(ctx, g, rec)
    # the specific grammar's rules first, then the shared ones; declared counts before patterns
    apply_count_rules(ctx, [(g, r) for g in reversed(gs) for r in g.counts])
    for g in reversed(gs):
        for rule in g.figures:
            apply_figure_rule(ctx, g, rule)
        for lr in g.lists:
            apply_list_rule(ctx, g, lr)
    _clause_estimates(ctx)
    number_items(ctx.figures, ctx.item_pos)
    return (chosen.id if chosen else None), choices, ctx.figures


_APPROX_CLAUSE = re.compile(r"(?<!\w)" + word_alt("approx_clause") + r"(?!\w)")


def _clause_estimates(ctx: _Ctx) -> None:
    """A keyed number in a sentence opened as an estimate is one, however far the word stands
    ("Giá trị sản xuất ước thực hiện 6 tháng đầu năm là 10.473 tỷ đồng"; approx_clause of
    bcparse/data/numbers_vi.yaml); a qualifier written at the number wins."""
    if not any("ước" in f for f in ctx.folded):
        return
    offs = [b.offset for b in ctx.blocks]
    for fig in ctx.figures:
        if fig.qualifier is not None or not fig.key or fig.num_start is None or fig.kind in ("text", "list", "date"):
            continue
        i = bisect.bisect_right(offs, fig.num_start) - 1
        if i < 0:
            continue
        fo, rel = ctx.folded[i], fig.num_start - offs[i]
        if _APPROX_CLAUSE.search(fo, _sentence_start(fo, rel), rel):
            fig.qualifier = "approx"


# ---------------------------------------------------------------------------------------------
# Header figures, generic quantities, section paths
# ---------------------------------------------------------------------------------------------

def _fig(doc: Document, key: str, value: Any, start: int, end: int, **kw: Any) -> Figure:
    return Figure(key=key, value=value, raw=doc.text[start:end], span=make_span(doc, start, end),
                  rule="structure:" + key, confidence="high", **kw)


def doc_figures(text: str, h: Header, c: Closing) -> list[Figure]:
    """The doc.* figures of a report: each is a header or closing field (:data:`DOC_FIELDS`) at
    the span the structure found it, derived from the Header and Closing, which hold the value.
    Extraction and an edit of a doc.* figure (:func:`bcparse.edit.apply_edit`) both call this,
    so a figure and its field cannot disagree."""
    out: list[Figure] = []
    for key, (part, name) in DOC_FIELDS.items():
        holder: Header | Closing = h if part == "header" else c
        value: Any = getattr(holder, name)
        kind = "text"
        if key == "doc.agency":
            value = " ".join(value) or None
        elif key == "doc.recipients":
            value, kind = (list(value) or None), "list"
        elif key == "doc.date":
            # a date that cannot exist ("ngày 31 tháng 02") is kept as written text for the audit (BC303)
            kind = "date" if value is None or is_iso_date(value) else "text"
        if key == "doc.number":  # stated when "Số:" is there, even left blank
            if h.number_raw is None:
                continue
        elif not value or (key == "doc.symbol" and h.number_raw is None):
            continue
        span = holder.spans.get(DOC_SPANS.get(key, name))
        if span is None or span.offset is None:
            continue
        out.append(Figure(key=key, value=value, raw=text[span.offset : span.offset + span.length], span=span,
                          rule="structure:" + key, kind=kind, confidence="high"))
    return out


def header_figures(doc: Document, st: Structure) -> list[Figure]:
    """The header and closing figures every report has (doc.*, :func:`doc_figures`), and the
    commune's name read from the last agency line."""
    h = st.header
    out = doc_figures(doc.text, h, st.closing)
    if h.agency:
        last = h.agency[-1]
        m = COMMUNE_HEAD.match(last)
        sp = h.spans.get("agency")
        if m and sp is not None and not set(m.group(2)) <= set(" .…_"):
            start = (sp.offset or 0) + sp.length - len(last) + m.start(2)
            name = _fig(doc, "commune.name", m.group(2).strip().title(), start, start + len(m.group(2).strip()),
                        kind="text")
            out.insert(1 if out and out[0].key == "doc.agency" else 0, name)
    return out


# Memory (issue 11 item 17): a report holds one Figure (and its Span) per quantity of its text, so
# their size is the bytes of memory per byte of input. Each pydantic object carries its own set of
# the fields given to it (~700 bytes, more than the figure's values) and each figure a dict of its
# number style (~270 bytes, the same few styles over and over). Once validated, every figure shares
# one set naming all fields (nothing in bcparse asks which fields were given) and one dict per style.
_FIGURE_FIELDS = set(Figure.model_fields)
_SPAN_FIELDS = set(Span.model_fields)


_QUALIFIERS = (None, *get_args(Qualifier))
_MODES = get_args(Mode)
_CONFIDENCES = (None, *get_args(Confidence))
_FIGURE_DEFAULTS = {name: fi.get_default(call_default_factory=True) for name, fi in Figure.model_fields.items()
                    if not fi.is_required()}


def trusted_figure(**fields: Any) -> Figure:
    """A Figure of a quantity the numbers module read (a generic quantity, a count rule's figure):
    its fields are already of their types (int / float / str values, a Span, a style dict), so
    pydantic's validation, a third of the cost of making one, is skipped; the one check it runs
    on such fields, :func:`bcparse.elements.value_error`, is run here, and a figure that fails it
    goes through the validating constructor, which raises its usual error (issue 18)."""
    if fields.get("value") is not None and fields.get("kind") is not None \
            and value_error(fields["kind"], fields["value"], fields.get("key")) is not None \
            or fields.get("qualifier") not in _QUALIFIERS or fields.get("mode", "result") not in _MODES \
            or fields.get("confidence") not in _CONFIDENCES or type(fields.get("span")) is not Span:
        return Figure(**fields)
    f = Figure.__new__(Figure)
    d = dict(_FIGURE_DEFAULTS)
    d.update(fields)
    object.__setattr__(f, "__dict__", d)
    object.__setattr__(f, "__pydantic_fields_set__", _FIGURE_FIELDS)
    object.__setattr__(f, "__pydantic_extra__", None)
    object.__setattr__(f, "__pydantic_private__", None)
    return f


def _slim(f: Figure, styles: dict[tuple[Any, ...], dict[str, Any]]) -> Figure:
    """The validated figure ``f``, sharing its field sets and its style dict (values unchanged)."""
    object.__setattr__(f, "__pydantic_fields_set__", _FIGURE_FIELDS)
    object.__setattr__(f.span, "__pydantic_fields_set__", _SPAN_FIELDS)
    if f.style is not None:
        f.__dict__["style"] = styles.setdefault(tuple(f.style.items()), f.style)
    return f


def generic_figures(doc: Document, qcache: dict[int, list[Any]] | None = None,
                    bcache: dict[int, list[Binding]] | None = None) -> list[Figure]:
    """Every quantity in the text (key None), from the numbers module, with what it counts
    (:mod:`bcparse.bind`). The quantities of ``qcache`` and bindings of ``bcache`` are dropped as
    they are turned into figures (they are not needed after)."""
    qcache = {} if qcache is None else qcache
    bcache = {} if bcache is None else bcache
    out: list[Figure] = []
    styles: dict[tuple[Any, ...], dict[str, Any]] = {}
    for i, b in enumerate(doc.blocks):
        if i not in qcache:
            qcache[i] = vn.find_quantities(b.text)
        qs = qcache.pop(i)
        bs = bcache.pop(i, None)
        if bs is None:
            bs = bind_block(b.text, qs)
        for q, bd in zip(qs, bs, strict=True):
            s, e = b.offset + q.start, b.offset + q.end
            style = None
            if q.style is not None:
                style = {k: getattr(q.style, k) for k in q.style.__slots__}
            out.append(_slim(trusted_figure(
                key=None, value=q.value, unit=q.unit, qualifier=q.qualifier, raw=doc.text[s:e],
                span=make_span(doc, s, e), kind=q.kind, num_start=b.offset + q.num_start, plan=q.plan,
                num_end=b.offset + q.num_end, style=style, counted=bd.counted, subject=bd.subject,
                frame=bd.frame,
            ), styles))
    return out


def passage_modes(doc: Document, modes: ModeMap, figures: list[Figure]) -> None:
    """Set the mode of every figure read from the body (records, tables, lists, generic
    quantities; a figure rule has set its own the same way). Header, closing and references are
    facts of the document itself: always results."""
    starts = [b.offset for b in doc.blocks]
    for f in figures:
        if f.key is not None and f.key.startswith(("doc.", "ref.")) or f.derived or (f.rule or "").startswith("structure:"):
            continue
        off = f.span.offset or 0
        i = bisect.bisect_right(starts, off) - 1
        if i < 0:
            continue
        b = doc.blocks[i]
        start = (f.num_start if f.num_start is not None else off) - b.offset
        mode = modes.mode_at(i, start, off + f.span.length - b.offset, f.kind)
        f.mode = mode if f.key is None else keyed_mode(mode)


def section_paths(st: Structure, figures: list[Figure]) -> None:
    """Set each figure's section path ("II.4.a") from the sections that hold its line."""
    order = sorted(range(len(figures)), key=lambda k: figures[k].span.line)
    inner = enclosing(st.sections, [figures[k].span.line for k in order])
    for k, j in zip(order, inner, strict=True):
        chain = chain_of(st.sections, j)
        figures[k].section = ".".join(s.number or "?" for s in reversed(chain)) or None


# ---------------------------------------------------------------------------------------------
# The stage: every figure of a report, through one claim registry
# ---------------------------------------------------------------------------------------------

@dataclass(slots=True)
class Extraction:
    """What extraction gives the assembly: the grammar chosen (and why) and every figure."""

    grammar: str | None
    choices: list[GrammarChoice]
    figures: list[Figure]


# a keyed figure of these claims its whole span (a date, a document number), not just a number
_CLAIMS_SPAN = ("ref.", "doc.date", "doc.number")


def extract(doc: Document, st: Structure, *, grammar: str | None = None) -> Extraction:
    """Every figure of a structured Document: the header and closing figures (doc.*), the
    grammar's figures, then the generic quantities (key None) that no keyed figure read, each with
    its section path. One :class:`Claims` registry decides what is already read."""
    claims = Claims()
    figures = header_figures(doc, st)
    qcache: dict[int, list[Any]] = {}  # block index → quantities, shared by the grammar and the generic pass
    modes = mode_map(doc, st)
    bcache: dict[int, list[Binding]] = {}  # block index → what each quantity counts, shared alike
    chosen, choices, gfigs = apply_grammar(doc, st, claims, grammar=grammar, qcache=qcache,
                                           filled={f.key for f in figures if f.key}, bcache=bcache, modes=modes)
    figures.extend(gfigs)
    # a generic quantity is dropped when a keyed figure already read the same number (or date);
    # text figures (a donor, a list of recipients) do not hide the numbers inside them
    claims.claim_all([(f.num_start, f.num_end) for f in figures if f.num_start is not None and f.num_end is not None]
                     + [(f.span.offset or 0, (f.span.offset or 0) + f.span.length) for f in figures
                        if f.key and f.key.startswith(_CLAIMS_SPAN)])
    figures.extend(g for g in generic_figures(doc, qcache, bcache)
                   if not claims.taken(g.num_start or 0, g.num_end or 0))
    passage_modes(doc, modes, figures)
    for f in figures:  # a rule written for the key (a pattern, a record, a table, the structure) read it
        if f.key is not None and f.confidence is None:
            f.confidence = "high"
    section_paths(st, figures)
    return Extraction(chosen, choices, figures)


def record_kind(key: str) -> str:
    """The record kind of a key: its prefix before the first dot ("gift.count" → "gift")."""
    return key.split(".", 1)[0]


def number_items(figures: list[Figure], pos: dict[int, int]) -> None:
    """Renumber record items per kind, 1-based, in document order: ``gift[3]`` is the third gift
    of the report whichever rule (text, table) read it, and whatever other records come before it.
    ``pos`` maps the extraction's running item ids to where each record starts in the view."""
    ids: dict[str, set[int]] = {}
    for f in figures:
        if f.item is not None and f.key:
            ids.setdefault(record_kind(f.key), set()).add(f.item)
    new: dict[tuple[str, int], int] = {}
    for kind, items in ids.items():
        for n, old in enumerate(sorted(items, key=lambda i: (pos.get(i, 0), i)), 1):
            new[(kind, old)] = n
    for f in figures:
        if f.item is not None and f.key:
            f.item = new[(record_kind(f.key), f.item)]
