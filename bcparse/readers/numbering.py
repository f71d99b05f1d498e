"""Word's automatic numbering: the labels ("I.", "1.2.", "a)", "•") Word shows in front of a
numbered paragraph but never stores in its text.

python-docx gives a paragraph's ``numPr`` (numId, ilvl) and nothing more. This module resolves
it the way Word lays the document out:

* ``numId`` → ``w:num`` → ``w:abstractNumId`` → ``w:abstractNum``, through ``w:numStyleLink``
  (an abstractNum that only points at a numbering style, whose ``numPr`` names the ``w:num`` of
  the abstractNum holding the levels, marked ``w:styleLink``);
* the ``w:num``'s ``w:lvlOverride``: ``w:startOverride`` and a replacement ``w:lvl``;
* per level: ``w:start``, ``w:numFmt``, ``w:lvlText`` ("%1.", "%1.%2.", "Phần %1", "-"),
  ``w:lvlRestart``, ``w:isLgl``, ``w:suff``, ``w:pStyle``.

**Counters** are kept per abstractNum, as Word does: two ``w:num`` pointing at the same
abstractNum continue one list (this is why "restart numbering" in Word writes a new ``w:num``
with a ``w:startOverride``). A ``w:num`` carrying ``w:startOverride`` restarts the overridden
levels at its value the first time a paragraph uses that ``w:num``; after that it counts on in
the shared list. LibreOffice 7.4 agrees on these counters (tests/test_numbering.py cross-checks
them); it departs from Word on lvlRestart 0, isLgl and a level used before its parent.
Using a level resets every deeper level (unless that level's ``w:lvlRestart`` says otherwise,
``0`` meaning never); a level not used since its reset shows ``start - 1`` inside a multi-level
template, as Word's "0.1" does. ``numId`` 0 means "no numbering".

Formats: decimal, decimalZero, upper/lowerRoman, upper/lowerLetter (a … z, aa, bb … as Word
writes them: Word's letters are the Latin alphabet, not the Vietnamese điểm order a, b, c, d, đ,
e, g — the label is what Word shows), vietnameseCounting (một, hai …), ordinal (1st, 2nd …),
cardinalText (One, Two …), ordinalText (First, Second …) as LibreOffice writes them, the CJK
counting formats (chineseCounting 一 … 十一 …, ideographDigital 一〇 …), decimalEnclosedCircle
(① … ⑳), bullet, none; any other format falls back to decimal. A bullet is its
``lvlText`` character, except a symbol-font private-use character (Symbol/Wingdings U+F0B7 …),
which becomes "•".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from ..numbers import to_roman

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


W_VAL = _w("val")
_ABSTRACT = _w("abstractNum")
_ABSTRACT_ID = _w("abstractNumId")
_NUM = _w("num")
_NUM_ID = _w("numId")
_LVL = _w("lvl")
_ILVL = _w("ilvl")
_START = _w("start")
_NUMFMT = _w("numFmt")
_LVLTEXT = _w("lvlText")
_LVLRESTART = _w("lvlRestart")
_ISLGL = _w("isLgl")
_SUFF = _w("suff")
_PSTYLE = _w("pStyle")
_PICBULLET = _w("lvlPicBulletId")
_OVERRIDE = _w("lvlOverride")
_STARTOVERRIDE = _w("startOverride")
_STYLELINK = _w("styleLink")
_NUMSTYLELINK = _w("numStyleLink")
_ALTERNATE = f"{{{MC}}}AlternateContent"
_FALLBACK = f"{{{MC}}}Fallback"

_SUFFIX = {"tab": " ", "space": " ", "nothing": ""}
_PCT = re.compile(r"%([1-9])")


def _int(el: etree._Element | None, default: int | None = None) -> int | None:
    if el is None:
        return default
    v = el.get(W_VAL)
    if v is None:
        return default
    try:
        return int(v)
    except ValueError:
        return default


def _on(el: etree._Element) -> bool:
    return el.get(W_VAL) not in ("0", "false", "off")


@dataclass(slots=True)
class Level:
    """One ``w:lvl`` of an abstractNum (or of a ``w:lvlOverride``)."""

    fmt: str = "decimal"
    text: str = ""
    start: int = 1
    restart: int | None = None  # w:lvlRestart (1-based level), 0 = never, None = after any shallower
    is_lgl: bool = False
    suffix: str = " "
    pstyle: str | None = None


@dataclass(slots=True)
class Label:
    """The label of one numbered paragraph, as Word shows it."""

    text: str  # "I.", "1.2.", "a)", "•", "-"
    suffix: str  # what separates it from the text: " " (tab or space) or "" (nothing)
    num_id: int
    ilvl: int
    bullet: bool = False


@dataclass(slots=True)
class _Abstract:
    levels: list[Level | None]
    style_link: str | None = None
    num_style_link: str | None = None


@dataclass(slots=True)
class _Num:
    abstract_id: int
    start_overrides: dict[int, int] = field(default_factory=dict)
    level_overrides: dict[int, Level] = field(default_factory=dict)


@dataclass(slots=True)
class _Resolved:
    key: int  # the abstractNum whose counters this num uses
    levels: list[Level | None]
    start_overrides: dict[int, int]


# ---------------------------------------------------------------------------------------------
# number formats
# ---------------------------------------------------------------------------------------------

_VI_UNITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")


def to_letters(n: int) -> str:
    """Word's letter numbering: a … z, then aa, bb … zz, then aaa …"""
    q, r = divmod(n - 1, 26)
    return chr(ord("a") + r) * (q + 1)


def to_vietnamese(n: int) -> str:
    """Vietnamese counting words for 1-99 (Word's vietnameseCounting); other values as digits."""
    if n < 1 or n > 99:
        return str(n)
    tens, unit = divmod(n, 10)
    if tens == 0:
        return _VI_UNITS[unit]
    head = "mười" if tens == 1 else _VI_UNITS[tens] + " mươi"
    if unit == 0:
        return head
    if unit == 5:
        tail = "lăm"
    elif unit == 1 and tens > 1:
        tail = "mốt"
    else:
        tail = _VI_UNITS[unit]
    return f"{head} {tail}"


_EN_UNITS = ("", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten", "Eleven",
             "Twelve", "Thirteen", "Fourteen", "Fifteen", "Sixteen", "Seventeen", "Eighteen", "Nineteen")
_EN_TENS = ("", "", "Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety")
_EN_ORD = {"One": "First", "Two": "Second", "Three": "Third", "Five": "Fifth", "Eight": "Eighth",
           "Nine": "Ninth", "Twelve": "Twelfth"}
_CJK = "〇一二三四五六七八九"


def to_english(n: int) -> str:
    """cardinalText for 1-99 as LibreOffice writes it ("One", "Twenty-one"); digits beyond."""
    if not 1 <= n <= 99:
        return str(n)
    if n < 20:
        return _EN_UNITS[n]
    tens, unit = divmod(n, 10)
    return _EN_TENS[tens] + (f"-{_EN_UNITS[unit].lower()}" if unit else "")


def to_english_ordinal(n: int) -> str:
    """ordinalText for 1-99 ("First", "Twenty-first"); digits beyond."""
    if not 1 <= n <= 99:
        return str(n)
    words = to_english(n)
    head, _, last = words.rpartition("-")
    last_cap = last[:1].upper() + last[1:]
    if last_cap in _EN_ORD:
        ordw = _EN_ORD[last_cap]
    elif last_cap.endswith("y"):
        ordw = last_cap[:-1] + "ieth"
    else:
        ordw = last_cap + "th"
    return f"{head}-{ordw.lower()}" if head else ordw


def to_ordinal(n: int) -> str:
    """Word's ``ordinal`` format: 1st, 2nd, 3rd, 4th, 11th, 21st."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def to_cjk_counting(n: int) -> str:
    """chineseCounting (and its Japanese and Taiwanese kin) for 1-99: 一 … 十 十一 … 二十一."""
    if not 1 <= n <= 99:
        return str(n)
    tens, unit = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _CJK[tens] + "十")
    return head + (_CJK[unit] if unit else "")


_CJK_COUNTING = ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
                 "koreanCounting")
_CJK_DIGITAL = ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand", "koreanDigital")


def format_number(n: int, fmt: str) -> str:
    """One counter value in a ``w:numFmt``; unknown formats fall back to decimal."""
    if fmt == "none":
        return ""
    if 1 <= n <= 3999:  # beyond, letters and numerals would run to absurd lengths: digits
        if fmt == "upperRoman":
            return to_roman(n)
        if fmt == "lowerRoman":
            return to_roman(n).lower()
        if fmt == "upperLetter":
            return to_letters(n).upper()
        if fmt == "lowerLetter":
            return to_letters(n)
        if fmt == "vietnameseCounting":
            return to_vietnamese(n)
        if fmt == "ordinal":
            return to_ordinal(n)
        if fmt == "cardinalText":
            return to_english(n)
        if fmt == "ordinalText":
            return to_english_ordinal(n)
        if fmt in _CJK_COUNTING:
            return to_cjk_counting(n)
        if fmt in _CJK_DIGITAL:
            return "".join(_CJK[int(d)] for d in str(n))
        if fmt == "decimalEnclosedCircle" and n <= 20:
            return chr(0x2460 + n - 1)
    if fmt == "decimalZero" and 0 <= n < 10:
        return f"0{n}"
    return str(n)


def bullet_text(text: str) -> str:
    """A bullet level's character: symbol-font private-use characters become "•"."""
    return "".join("•" if "\ue000" <= c <= "\uf8ff" else c for c in text).strip()


# ---------------------------------------------------------------------------------------------
# parsing numbering.xml
# ---------------------------------------------------------------------------------------------


def parse_level(el: etree._Element) -> Level:
    lvl = Level()
    for c in el:
        t = c.tag
        if t == _START:
            start = _int(c)
            lvl.start = 1 if start is None else start
        elif t == _NUMFMT:
            lvl.fmt = c.get(W_VAL) or "decimal"
        elif t == _LVLTEXT:
            lvl.text = c.get(W_VAL) or ""
        elif t == _LVLRESTART:
            lvl.restart = _int(c)
        elif t == _ISLGL:
            lvl.is_lgl = _on(c)
        elif t == _SUFF:
            lvl.suffix = _SUFFIX.get(c.get(W_VAL) or "tab", " ")
        elif t == _PSTYLE:
            lvl.pstyle = c.get(W_VAL)
        elif t == _PICBULLET:
            lvl.fmt, lvl.text = "bullet", "•"
        elif t == _ALTERNATE:
            # Word 2010 writes custom formats ("001, 002, …") as an mc:Choice with a plain
            # mc:Fallback (decimalZero …): read the fallback.
            for fb in c.iter(_FALLBACK):
                f = fb.find(_NUMFMT)
                if f is not None:
                    lvl.fmt = f.get(W_VAL) or "decimal"
    if lvl.fmt == "bullet" and lvl.text:
        lvl.text = bullet_text(lvl.text)
    return lvl


class Numbering:
    """Resolves numbered paragraphs to labels, in document order (it keeps Word's counters).

    ``style_num_id`` maps a numbering style's id to the numId in its ``w:pPr/w:numPr`` (for
    ``w:numStyleLink``); the docx reader passes its style sheet's lookup.
    """

    def __init__(
        self,
        root: etree._Element | Callable[[], etree._Element | None] | None,
        style_num_id: Callable[[str], int | None] | None = None,
    ) -> None:
        # ``root`` may be a loader: numbering.xml is then parsed the first time a paragraph is
        # numbered, and an abstractNum's levels the first time one of its lists is used.
        self._root = root
        self._loaded = False
        self._abstract_el: dict[int, etree._Element] = {}
        self._abstract: dict[int, _Abstract] = {}
        self._nums: dict[int, _Num] = {}
        self._style_num_id = style_num_id or (lambda _s: None)
        self._resolved: dict[int, _Resolved | None] = {}
        self._counters: dict[int, list[int | None]] = {}
        self._started: set[int] = set()

    def _load(self) -> None:
        self._loaded = True
        root = self._root() if callable(self._root) else self._root
        self._root = None
        if root is None:
            return
        for el in root:
            if el.tag == _ABSTRACT:
                aid = el.get(_ABSTRACT_ID)
                if aid is not None and aid.lstrip("-").isdigit():
                    self._abstract_el[int(aid)] = el
            elif el.tag == _NUM:
                nid = el.get(_NUM_ID)
                if nid is None or not nid.isdigit():
                    continue
                num = _Num(abstract_id=-1)
                for c in el:
                    if c.tag == _ABSTRACT_ID:
                        aid_ = _int(c)
                        num.abstract_id = -1 if aid_ is None else aid_
                    elif c.tag == _OVERRIDE:
                        i = c.get(_ILVL)
                        if i is None or not i.isdigit() or int(i) >= 9:
                            continue
                        for o in c:
                            if o.tag == _STARTOVERRIDE:
                                s = _int(o)
                                if s is not None:
                                    num.start_overrides[int(i)] = s
                            elif o.tag == _LVL:
                                num.level_overrides[int(i)] = parse_level(o)
                self._nums[int(nid)] = num

    def _abstract_num(self, aid: int) -> _Abstract | None:
        ab = self._abstract.get(aid)
        if ab is not None:
            return ab
        el = self._abstract_el.get(aid)
        if el is None:
            return None
        levels: list[Level | None] = [None] * 9
        ab = _Abstract(levels)
        for c in el:
            t = c.tag
            if t == _LVL:
                i = c.get(_ILVL)
                if i is not None and i.isdigit() and int(i) < 9:
                    levels[int(i)] = parse_level(c)
            elif t == _STYLELINK:
                ab.style_link = c.get(W_VAL)
            elif t == _NUMSTYLELINK:
                ab.num_style_link = c.get(W_VAL)
        self._abstract[aid] = ab
        return ab

    # ---- resolution --------------------------------------------------------------------------
    def _abstract_of(self, num_id: int, depth: int = 0) -> tuple[int, _Abstract] | None:
        num = self._nums.get(num_id)
        if num is None:
            return None
        aid = num.abstract_id
        ab = self._abstract_num(aid)
        if ab is None:
            return None
        if ab.num_style_link and depth < 5:
            linked = self._style_num_id(ab.num_style_link)
            if linked is not None and linked != num_id:
                target = self._abstract_of(linked, depth + 1)
                if target is not None:
                    return target
        return aid, ab

    def resolve(self, num_id: int) -> _Resolved | None:
        """The levels (with overrides) and the counter key of a numId; None when undefined."""
        if num_id in self._resolved:
            return self._resolved[num_id]
        if not self._loaded:
            self._load()
        res: _Resolved | None = None
        found = self._abstract_of(num_id) if num_id else None
        if found is not None:
            key, ab = found
            num = self._nums[num_id]
            levels = list(ab.levels)
            for i, lvl in num.level_overrides.items():
                levels[i] = lvl
            res = _Resolved(key=key, levels=levels, start_overrides=dict(num.start_overrides))
        self._resolved[num_id] = res
        return res

    def level_for_style(self, num_id: int, style_id: str | None) -> int | None:
        """The level whose ``w:pStyle`` is ``style_id`` (style-linked outline numbering)."""
        res = self.resolve(num_id)
        if res is None or style_id is None:
            return None
        for i, lvl in enumerate(res.levels):
            if lvl is not None and lvl.pstyle == style_id:
                return i
        return None

    def reset(self) -> None:
        """Forget the counters (start a new document)."""
        self._counters.clear()
        self._started.clear()

    # ---- counting ----------------------------------------------------------------------------
    def next(self, num_id: int, ilvl: int) -> Label | None:
        """Advance the list of ``num_id`` at level ``ilvl`` and return the label Word shows there.

        Call once per numbered paragraph, in document order. Returns None for numId 0, an
        undefined numId or level, and for levels whose label is empty (numFmt none, no lvlText).
        """
        res = self.resolve(num_id)
        if res is None or not 0 <= ilvl < 9:
            return None
        levels = res.levels
        lvl = levels[ilvl]
        if lvl is None:
            return None
        counters = self._counters.get(res.key)
        if counters is None:
            counters = self._counters[res.key] = [None] * 9
        if num_id not in self._started:
            self._started.add(num_id)
            for i, s in sorted(res.start_overrides.items()):
                counters[i] = s - 1
                for d in range(i + 1, 9):
                    counters[d] = None
        cur = counters[ilvl]
        counters[ilvl] = lvl.start if cur is None else cur + 1
        for d in range(ilvl + 1, 9):
            deeper = levels[d]
            restart = deeper.restart if deeper is not None else None
            if restart is None or restart > d:
                counters[d] = None
            elif restart != 0 and ilvl < restart:
                counters[d] = None
        if lvl.fmt == "bullet":
            text = lvl.text
        else:
            text = self._render(lvl, levels, counters)
        if not text:
            return None
        return Label(text=text, suffix=lvl.suffix, num_id=num_id, ilvl=ilvl, bullet=lvl.fmt == "bullet")

    @staticmethod
    def _render(lvl: Level, levels: list[Level | None], counters: list[int | None]) -> str:
        def sub(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            ref = levels[k] or lvl
            value = counters[k]
            if value is None:
                value = max(ref.start - 1, 0)
            if ref.fmt in ("none", "bullet"):
                return ""
            return format_number(value, "decimal" if lvl.is_lgl else ref.fmt)

        return _PCT.sub(sub, lvl.text).strip()
