"""Bytes → Unicode text, and the legacy Vietnamese encodings (TCVN3/ABC, VNI-Windows, cp1258).

Vietnamese reports written before Unicode use 8-bit font encodings: **TCVN3** (the ``.VnTime``
and ``.VnArial`` fonts, ``.VnTimeH`` for capitals) and **VNI-Windows** (``VNI-Times``). Read as
Windows-1252 they show up as look-alike Latin-1 characters (``Céng hoµ x· héi`` is TCVN3 for
*Cộng hoà xã hội*, ``Coäng hoaø xaõ hoäi`` the same in VNI), whether they come from an 8-bit
``.txt``, from text pasted into a UTF-8 file, or from a ``.docx``/``.pdf`` run in such a font.

* :func:`decode_bytes` decodes a text file: UTF-8 (with or without BOM), UTF-16 (with a BOM, or
  without one when it is plain to see), UTF-32 with a BOM, then 8-bit TCVN3, VNI or cp1258, chosen
  by which one reads as Vietnamese; legacy text inside a Unicode file ("mojibake") is found and
  converted too, line by line when the file mixes both.
* :func:`detect_legacy` tells whether a Unicode string holds TCVN3 or VNI look-alikes.
* :func:`convert` / :func:`convert_with_offsets` convert such a string to NFC Vietnamese; the
  second also maps each output character to the input character it came from.
* :func:`font_encoding` names the encoding of a font (``.VnTimeH`` → ``("tcvn3", True)``).

The conversion tables are data (``bcparse/data/encodings/*.json``, with their sources), loaded
once. Detection scores words: a legacy reading is chosen only when it turns many words that are
not Vietnamese syllables into words that are, so Unicode Vietnamese, English or Spanish text is
left alone and short fragments give ``None``.
"""

from __future__ import annotations

import codecs
import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from .errors import EncodingError

__all__ = [
    "ANSI_CHARS",
    "LEGACY_ENCODINGS",
    "convert",
    "convert_with_offsets",
    "decode_bytes",
    "detect_legacy",
    "decode_ansi",
    "font_encoding",
    "legacy_mapping",
    "nfc_with_offsets",
    "upper_headings",
]

#: The legacy encodings :func:`convert` knows.
LEGACY_ENCODINGS = ("tcvn3", "vni")

_NOT_DECODABLE = "the text is neither UTF-8, UTF-16 nor a Vietnamese legacy encoding (TCVN3, VNI, cp1258)"

# ---------------------------------------------------------------------------------------------
# Tables (data/encodings/*.json), loaded once
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Table:
    name: str
    mapping: dict[str, str]  # legacy sequence → NFC text, duplicates resolved first-wins
    pattern: re.Pattern[str]  # every legacy sequence, longest first
    charmap: str | None  # 256-character decoding table when every sequence is one Latin-1 character
    glyphs: dict[str, str]  # PDF glyph stand-ins → legacy character, honoured next to a letter


def _data(name: str) -> Any:
    ref = resources.files("bcparse.data").joinpath("encodings", name)
    with ref.open("r", encoding="utf-8") as f:
        return json.load(f)


def _table(encoding: str) -> _Table:
    return _load_table(encoding.lower())


@cache
def legacy_mapping(encoding: str) -> dict[str, str]:
    """The conversion table of a legacy encoding: legacy character sequence → NFC text."""
    return _table(encoding).mapping


@cache  # read once per process (the @cache was left on legacy_mapping by the rename 59bc31a)
def _load_table(encoding: str) -> _Table:
    if encoding not in LEGACY_ENCODINGS:
        known = ", ".join(LEGACY_ENCODINGS)
        raise EncodingError(f"unknown legacy encoding {encoding!r} (known: {known})")
    return _build_table(encoding, _data(f"{encoding}.json"))


def _build_table(name: str, raw: dict[str, Any]) -> _Table:
    """A table from its JSON: ``map`` rows are [legacy, unicode, note...]; a repeated legacy
    sequence keeps its first meaning; matching is longest first."""
    mapping: dict[str, str] = {}
    for legacy, text, *_ in raw["map"]:
        mapping.setdefault(legacy, unicodedata.normalize("NFC", text))
    keys = sorted(mapping, key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(k) for k in keys))
    charmap = None
    if all(len(k) == 1 and len(v) == 1 and ord(k) < 256 for k, v in mapping.items()):
        charmap = "".join(mapping.get(chr(i), chr(i)) for i in range(256))
    glyphs = {stand_in: legacy for stand_in, legacy, *_ in raw.get("pdf_glyphs", [])}
    return _Table(name, mapping, pattern, charmap, glyphs)


# ---------------------------------------------------------------------------------------------
# Conversion
# ---------------------------------------------------------------------------------------------

_NOT_LATIN1 = re.compile(r"([^\x00-\xff]+)")


def _apply(table: _Table, text: str) -> str:
    """Replace every legacy sequence in ``text`` (no glyph repair, case or NFC)."""
    charmap = table.charmap
    if charmap is None:
        mapping = table.mapping
        return table.pattern.sub(lambda m: mapping[m[0]], text)
    try:  # one character for one: decode through the table, in C
        return codecs.charmap_decode(text.encode("latin-1"), "strict", charmap)[0]
    except UnicodeEncodeError:
        parts = _NOT_LATIN1.split(text)
        for i in range(0, len(parts), 2):
            parts[i] = codecs.charmap_decode(parts[i].encode("latin-1"), "strict", charmap)[0]
        return "".join(parts)


def _restore_glyphs(text: str, glyphs: dict[str, str]) -> str:
    """Put back the legacy character a PDF replaced with a symbol, where a letter is next to it."""
    if not glyphs or not any(g in text for g in glyphs):
        return text
    chars = list(text)
    last = len(chars) - 1
    for i, ch in enumerate(chars):
        legacy = glyphs.get(ch)
        if legacy is None:
            continue
        if (i > 0 and text[i - 1].isalpha()) or (i < last and text[i + 1].isalpha()):
            chars[i] = legacy
    return "".join(chars)


def convert(text: str, encoding: str, *, upper: bool = False) -> str:
    """Legacy text (TCVN3/VNI look-alike code points) → NFC Vietnamese.

    ``upper=True`` is for the TCVN3 capital fonts (``.VnTimeH``, ``.VnArialH`` …), whose glyphs
    are all capitals: the result is upper-cased. Characters outside the table pass through.
    """
    table = _table(encoding)
    out = _apply(table, _restore_glyphs(text, table.glyphs))
    if upper:
        out = out.upper()
    if not unicodedata.is_normalized("NFC", out):
        out = unicodedata.normalize("NFC", out)
    return out


def convert_with_offsets(text: str, encoding: str, *, upper: bool = False) -> tuple[str, list[int]]:
    """:func:`convert`, plus for each output character the index of the input character it came from.

    A VNI letter written as base + mark (``aù`` → ``á``) maps to the base letter's index.
    """
    table = _table(encoding)
    source = _restore_glyphs(text, table.glyphs)
    if table.charmap is not None:  # one character for one, unless upper-casing makes more (ß → SS)
        out = _apply(table, source)
        cased = out.upper() if upper else out
        if len(cased) == len(out):
            if unicodedata.is_normalized("NFC", cased):
                return cased, list(range(len(cased)))
            return nfc_with_offsets(list(cased), list(range(len(cased))))
    mapping = table.mapping
    chars: list[str] = []
    offsets: list[int] = []

    def emit(piece: str, at: int) -> None:
        if upper:
            piece = piece.upper()
        for ch in piece:
            chars.append(ch)
            offsets.append(at)

    pos = 0
    for m in table.pattern.finditer(source):
        for i in range(pos, m.start()):
            emit(source[i], i)
        emit(mapping[m.group()], m.start())
        pos = m.end()
    for i in range(pos, len(source)):
        emit(source[i], i)
    out = "".join(chars)
    if unicodedata.is_normalized("NFC", out):
        return out, offsets
    return nfc_with_offsets(chars, offsets)


def nfc_with_offsets(chars: list[str], offsets: list[int]) -> tuple[str, list[int]]:
    """NFC cluster by cluster (a starter and its combining marks), keeping the starter's offset."""
    out: list[str] = []
    out_offsets: list[int] = []
    i = 0
    n = len(chars)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(chars[j]):
            j += 1
        cluster = unicodedata.normalize("NFC", "".join(chars[i:j]))
        out.append(cluster)
        out_offsets.extend([offsets[i]] * len(cluster))
        i = j
    return "".join(out), out_offsets


# ---------------------------------------------------------------------------------------------
# Fonts
# ---------------------------------------------------------------------------------------------

_SUBSET_TAG = re.compile(r"^[A-Z]{6}\+")
_STYLE_TAIL = re.compile(
    r"(?:[-, ]+(?:bold|italic|oblique|regular|normal|semibold|demibold|light|medium|psmt|mt)|bold|italic)+$"
)
# TCVN3 (ABC) families seen without their leading dot (some PDF producers drop it)
_TCVN3_BARE = re.compile(
    r"^vn(?:time|arial|avant|book|centur|courier|helvet|univers|black|bodoni|cooper|free)"
)


def font_encoding(font_name: str | None) -> tuple[str, bool] | None:
    """(encoding, capitals) for a legacy Vietnamese font, ``None`` for any other font.

    ``.VnTime`` → ``("tcvn3", False)``; ``.VnTimeH``/``.VnArialH`` (the capital fonts) →
    ``("tcvn3", True)``; ``VNI-Times``/``VNI-Helve`` → ``("vni", False)``. PDF subset tags
    (``ABCDEF+.VnTime``), style suffixes (``,Bold``, ``-Italic``) and a dot written ``#2E`` or
    ``_`` are understood.
    """
    if not font_name:
        return None
    name = _SUBSET_TAG.sub("", font_name.strip())
    name = name.replace("#2E", ".").replace("#2e", ".").lower()
    if name.startswith("vni"):
        return ("vni", False)
    if name.startswith((".vn", "_vn")):
        family = name[1:]
    elif _TCVN3_BARE.match(name):
        family = name
    else:
        return None
    family = family.split(",")[0].split("-")[0]
    family = _STYLE_TAIL.sub("", family).rstrip()
    return ("tcvn3", family.endswith("h"))


# ---------------------------------------------------------------------------------------------
# Vietnamese syllables: the yardstick for detection
# ---------------------------------------------------------------------------------------------

_TONES = ("\u0301", "\u0300", "\u0309", "\u0303", "\u0323")  # sắc huyền hỏi ngã nặng
_VOWELS = frozenset("aăâeêioôơuưy")
_FRONT = frozenset("eêiy")


def _rests(initial: str, rhymes: list[str]) -> Iterable[str]:
    """What may follow ``initial`` in writing (c/k, g/gh, ng/ngh, qu and gi spellings)."""
    if initial == "qu":
        # the rhyme's u/o glide is written by the u of qu: qua, quen, quyết, quốc
        return {r[1:] for r in rhymes if r[0] in "uo" and len(r) > 1 and r[1] in _VOWELS - {"u", "o"}}
    if initial == "gi":
        return {r for r in rhymes if r[0] not in "iy"} | {r[1:] for r in rhymes if r[:2] == "iê"}
    out = []
    for r in rhymes:
        first = r[0]
        if r.startswith("yê"):
            continue  # yê- only starts a syllable (yên, yêu) or follows u (nguyên)
        if initial == "c" and first in _FRONT:
            continue
        if initial == "k" and first not in _FRONT:
            continue
        if initial in ("gh", "ngh") and first not in "eêi":
            continue
        if initial in ("g", "ng") and first in "eê":
            continue
        if initial == "ng" and first == "i":
            continue
        out.append(r)
    return out


def _tone_slots(rhyme: str) -> list[int]:
    """Where a rhyme's tone mark goes: on the modified vowel (ơ in ươ), else on the last vowel of a
    closed rhyme, the middle one of three, the first of two; oa, oe, uy take it either way
    (hoá/hóa, thuỷ/thủy)."""
    modified = [i for i, c in enumerate(rhyme) if c in "ăâêôơư"]
    if modified:
        return [modified[-1]]
    vowels = [i for i, c in enumerate(rhyme) if c in _VOWELS]
    if not vowels or rhyme[-1] not in _VOWELS:
        return vowels[-1:]
    if len(vowels) == 3:
        return [vowels[1]]
    if len(vowels) == 2 and rhyme[:2] not in ("oa", "oe", "uy"):
        return [vowels[0]]
    return vowels


def _toned(initial: str, rhyme: str) -> Iterable[str]:
    """The syllable without a tone, and with each tone it can take."""
    yield initial + rhyme
    checked = rhyme.endswith(("c", "ch", "p", "t"))
    tones = ("\u0301", "\u0323") if checked else _TONES
    for i in _tone_slots(rhyme):
        for tone in tones:
            yield unicodedata.normalize("NFC", initial + rhyme[: i + 1] + tone + rhyme[i + 1 :])


@cache
def _syllables() -> frozenset[str]:
    """Every lower-case NFC Vietnamese syllable, with or without its tone mark."""
    raw = _data("syllables.json")
    rhymes: list[str] = [unicodedata.normalize("NFC", r) for r in raw["rhymes"]]
    out: set[str] = set()
    for r in rhymes:
        out.update(_toned("", r))
    for initial in raw["initials"]:
        initial = unicodedata.normalize("NFC", initial)
        for rest in _rests(initial, rhymes):
            if rest:
                out.update(_toned(initial, rest))
    return frozenset(out)


# ---------------------------------------------------------------------------------------------
# Detection
# ---------------------------------------------------------------------------------------------

# a word as legacy text shows it: ASCII letters, the Latin-1 letters and symbols TCVN3/VNI use
# (not ° ± ² ³ ´ ¿), Unicode Vietnamese letters and combining marks
_WORD = re.compile(r"[A-Za-z\u00a1-\u00af\u00b5-\u00be\u00c0-\u024f\u0300-\u036f\u1e00-\u1eff]+")
# letters that only Unicode text has: no TCVN3/VNI look-alike produces them
_UNICODE_ONLY = re.compile(r"[\u0100-\u01b0\u0300-\u0323\u1ea0-\u1ef9]")
_ASCII_LETTER = re.compile(r"[A-Za-z]")

# A legacy reading is accepted when it turns at least _MIN_FIXED distinct non-words into
# Vietnamese syllables, _MIN_STRONG of them through a character no European language uses that
# way (a TCVN3 symbol such as µ ¸ © ®, a VNI base + mark pair such as aù), fixes at least
# _MIN_SHARE of the distinct words it changes, and fixes twice as many words as it breaks.
_MIN_FIXED = 3
_MIN_STRONG = 2
_MIN_SHARE = 0.6
_GUILLEMETS = "\u00ab\u00bb"  # « » are TCVN3 ô ằ, but at a word's edge they are quotes


@dataclass
class _Evidence:
    fixed: set[str] = field(default_factory=set)  # not Vietnamese before, a syllable after
    strong: set[str] = field(default_factory=set)  # fixed words with a legacy-only feature
    broken: set[str] = field(default_factory=set)  # a syllable before, not after
    failed: set[str] = field(default_factory=set)  # changed, Vietnamese neither before nor after

    def convincing(self) -> bool:
        fixed = len(self.fixed)
        return (
            fixed >= _MIN_FIXED
            and len(self.strong) >= _MIN_STRONG
            and fixed >= 2 * len(self.broken)
            and fixed >= _MIN_SHARE * (fixed + len(self.failed))
        )

    def some(self) -> bool:
        """Enough for one line of a document already known to hold this encoding."""
        fixed = len(self.fixed)
        return fixed >= 1 and fixed > len(self.broken) and fixed >= len(self.failed)

    def plausible(self, *, one_strong_word: bool) -> bool:
        """Enough for 8-bit text, which is legacy unless shown otherwise: a few words made Vietnamese,
        fewer if they were made so by legacy-only characters."""
        fixed, strong = len(self.fixed), len(self.strong)
        enough = fixed >= 3 or (strong >= 1 and fixed >= 2) or (strong >= 1 and one_strong_word)
        return enough and fixed > len(self.broken) and fixed >= len(self.failed)


def _is_syllable(word: str, valid: frozenset[str]) -> bool:
    w = word.lower()
    if w in valid:
        return True
    if not unicodedata.is_normalized("NFC", w):
        return unicodedata.normalize("NFC", w) in valid
    return False


@cache
def _strong_chars() -> frozenset[str]:
    """TCVN3 characters that no language uses inside a word: symbols such as ¸ © ® and ª."""
    keys = _table("tcvn3").mapping
    return frozenset(k for k in keys if not unicodedata.category(k).startswith("L") or k == "\u00aa")


def _strong_tcvn3(word: str, strong: frozenset[str]) -> bool:
    """Whether a word shows TCVN3 by a symbol inside it, or µ (à) after its first letter (µm is micro)."""
    return not strong.isdisjoint(word) or "\u00b5" in word[1:]


def _weigh(words: Iterable[str], *, cp1258: bool = False) -> dict[str, _Evidence]:
    """How reading each distinct word as TCVN3 or VNI (and, for 8-bit text, cp1258) changes whether
    it is a Vietnamese syllable. The words are as cp1252 shows them."""
    evidence = {name: _Evidence() for name in (*LEGACY_ENCODINGS, "cp1258")}
    unique = [w for w in set(words) if not w.isascii() and _ASCII_LETTER.search(w)]
    if not unique:
        return evidence
    valid = _syllables()
    tcvn3 = _table("tcvn3")
    strong_tcvn3 = _strong_chars()
    joined = "\n".join(unique)  # no sequence spans a line end: convert all words at once
    as_tcvn3 = _apply(tcvn3, joined).split("\n")
    as_vni = _apply(_table("vni"), joined).split("\n")
    as_cp1258: list[str] = []
    if cp1258:
        raw = joined.encode("cp1252", errors="replace").decode("cp1258", errors="replace")
        as_cp1258 = unicodedata.normalize("NFC", raw).split("\n")
    for i, word in enumerate(unique):
        key = word.lower()
        before = _is_syllable(word, valid)
        after = as_tcvn3[i]
        if after != word:
            inner = word.strip(_GUILLEMETS)  # quotes around a word are no evidence
            if inner == word or _apply(tcvn3, inner) != inner:
                strong = _strong_tcvn3(word, strong_tcvn3)
                _tally(evidence["tcvn3"], key, before, _is_syllable(after, valid), strong)
        after = as_vni[i]
        if after != word:  # shorter when a base + mark pair was read
            _tally(evidence["vni"], key, before, _is_syllable(after, valid), len(after) < len(word))
        if cp1258 and as_cp1258[i] != word:
            strong = not _CP1258_TONE_CHARS.isdisjoint(word)
            _tally(evidence["cp1258"], key, before, _is_syllable(as_cp1258[i], valid), strong)
    return evidence


def _tally(ev: _Evidence, key: str, before: bool, after: bool, strong: bool) -> None:
    if after and not before:
        ev.fixed.add(key)
        if strong:
            ev.strong.add(key)
    elif before and not after:
        ev.broken.add(key)
    elif not after:
        ev.failed.add(key)


def _candidate_lines(text: str) -> list[str]:
    """Lines that may hold legacy text: a non-ASCII character, and no Unicode-only letter."""
    return [line for line in text.split("\n") if not line.isascii() and not _UNICODE_ONLY.search(line)]


def _best(evidence: dict[str, _Evidence], accept: Callable[[_Evidence], bool]) -> str | None:
    passing = [(len(ev.fixed), name) for name, ev in evidence.items() if accept(ev)]
    return max(passing)[1] if passing else None


def detect_legacy(text: str) -> str | None:
    """``"tcvn3"`` or ``"vni"`` when ``text`` (a Unicode string) holds legacy look-alikes, else ``None``.

    Only lines without Unicode-only Vietnamese letters are looked at; an encoding is reported when
    reading them in it turns several distinct non-words into Vietnamese syllables and breaks
    (almost) none. Unicode Vietnamese, English, Spanish and fragments of a few words give ``None``.
    """
    if text.isascii():
        return None
    lines = _candidate_lines(text)
    if not lines:
        return None
    return _best(_weigh(_WORD.findall("\n".join(lines))), _Evidence.convincing)


_ASCII_LOWER = re.compile(r"[a-z]")
_COLUMNS = re.compile(r"(\t+| {2,})")  # tabs or runs of spaces between the columns of a header


def _typed_in_capitals(word: str) -> bool:
    """A converted word that mixes ASCII capitals with lower-case letters other than as Title case
    (``BìNH``, ``ủY``): a ``.VnTimeH`` capital read without its font."""
    letters = [c for c in word if c.isalpha()]
    if not any(c.isascii() and c.isupper() for c in letters) or not any(c.islower() for c in letters):
        return False
    return not (letters[0].isupper() and all(c.islower() for c in letters[1:]))


def upper_headings(text: str) -> str:
    """Upper-case converted TCVN3 headings typed in capitals: a column of a line with no ASCII
    lower-case letter and a word typed in capitals (``UBND Xã BìNH`` → ``UBND XÃ BÌNH``).
    ``Số: 12/BC-UBND`` stays as it is."""
    lines = text.split("\n")
    for n, line in enumerate(lines):
        if line.isascii():
            continue
        parts = _COLUMNS.split(line)
        for i in range(0, len(parts), 2):
            part = parts[i]
            if part.isascii() or _ASCII_LOWER.search(part):
                continue
            if any(_typed_in_capitals(w) for w in part.split()):
                parts[i] = part.upper()
        lines[n] = "".join(parts)
    return "\n".join(lines)


def _fix_legacy(text: str) -> tuple[str, str | None]:
    """Convert the legacy text inside a Unicode string: all of it, or line by line when mixed."""
    if text.isascii():
        return text, None
    lines = _candidate_lines(text)
    if not lines:
        return text, None
    encoding = _best(_weigh(_WORD.findall("\n".join(lines))), _Evidence.convincing)
    if encoding is None:
        return text, None
    if not _UNICODE_ONLY.search(text):
        out = convert(text, encoding)
        return (upper_headings(out) if encoding == "tcvn3" else out), encoding
    # mixed: Unicode lines stay, a line is converted when it shows evidence of its own
    parts = text.split("\n")
    for i, line in enumerate(parts):
        if line.isascii() or _UNICODE_ONLY.search(line):
            continue
        if _weigh(_WORD.findall(line))[encoding].some():
            line = convert(line, encoding)
            parts[i] = upper_headings(line) if encoding == "tcvn3" else line
    return "\n".join(parts), encoding


# ---------------------------------------------------------------------------------------------
# Bytes
# ---------------------------------------------------------------------------------------------

#: Windows-1252, its five undefined bytes (81 8D 8F 90 9D) read as the Latin-1 control characters
ANSI_CHARS = "".join(
    bytes([b]).decode("cp1252") if 0x80 <= b < 0xA0 and b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D) else chr(b)
    for b in range(256)
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x19\x1b-\x1f\x7f-\x9f]")
_CP1258_HOLES = re.compile(rb"[\x81\x8a\x8d-\x90\x9a\x9d\x9e]")
# what cp1258's combining tone marks (grave, acute, tilde, hook, dot below) look like in cp1252
_CP1258_TONE_CHARS = frozenset("\u00cc\u00ec\u00de\u00d2\u00f2")


def decode_ansi(data: bytes) -> str:
    """8-bit text as Windows shows it (cp1252; its undefined bytes as Latin-1)."""
    return codecs.charmap_decode(data, "strict", ANSI_CHARS)[0]


def _cp1258(data: bytes) -> str:
    if _CP1258_HOLES.search(data):
        text = data.decode("cp1258", errors="replace")
    else:
        text = data.decode("cp1258")
    return unicodedata.normalize("NFC", text)


def _decode_8bit(data: bytes) -> tuple[str, str]:
    """8-bit text: the reading (TCVN3, VNI, cp1258) that makes Vietnamese of it, else cp1252."""
    ansi = decode_ansi(data)
    if len(_CONTROL.findall(ansi)) > max(2, len(ansi) // 200):
        raise EncodingError(_NOT_DECODABLE)
    words = _WORD.findall(ansi)
    evidence = _weigh(words, cp1258=True)
    ranked = sorted(
        (
            (len(ev.fixed) - len(ev.broken) - len(ev.failed), len(ev.strong), -rank, name)
            for rank, (name, ev) in enumerate(evidence.items())
            if ev.plausible(one_strong_word=name != "vni")
        ),
        reverse=True,
    )
    if ranked:
        encoding = ranked[0][3]
        if encoding == "cp1258":
            return _cp1258(data), "cp1258"
        out = convert(ansi, encoding)
        return (upper_headings(out) if encoding == "tcvn3" else out), encoding
    # no reading makes more Vietnamese of it than it shows as it stands
    if _cp1258(data) == ansi and _mostly_vietnamese(words):
        return ansi, "cp1258"  # Vietnamese written with the precomposed letters cp1258 shares with cp1252
    if len(ansi) >= 32 and _count_non_ascii(ansi) * 10 > len(ansi) * 3:
        raise EncodingError(_NOT_DECODABLE)
    return ansi, "cp1252"


def _mostly_vietnamese(words: list[str]) -> bool:
    valid = _syllables()
    distinct = {w.lower() for w in words if not w.isascii()}
    vietnamese = sum(1 for w in distinct if _is_syllable(w, valid))
    return vietnamese >= 2 and 2 * vietnamese >= len(distinct)


def _count_non_ascii(text: str) -> int:
    return len(text) - len(text.encode("ascii", errors="ignore"))


def _decode_utf8_lenient(data: bytes) -> str | None:
    """UTF-8 with a few broken bytes (a truncated or spliced file), else ``None``."""
    text = data.decode("utf-8", errors="replace")
    broken = text.count("\ufffd")
    good = _count_non_ascii(text) - broken
    return text if good >= 10 and broken * 50 <= good else None


def utf16_without_bom(data: bytes) -> str | None:
    """``'utf-16-le'`` or ``'utf-16-be'`` when ``data`` is UTF-16 text without a BOM, else ``None``.

    The evidence: NUL bytes in at least 30% of the odd (LE) or even (BE) positions of the first
    4 KB (the high byte of ASCII letters, digits, spaces), almost none in the others, and a head that
    decodes cleanly to text with no control characters but line ends and tabs.
    """
    head = data[:4096]
    pairs = len(head) // 2
    if pairs < 2:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if odd * 10 >= pairs * 3 and even * 20 <= pairs:
        codec = "utf-16-le"
    elif even * 10 >= pairs * 3 and odd * 20 <= pairs:
        codec = "utf-16-be"
    else:
        return None
    try:
        text = head[: pairs * 2].decode(codec, errors="strict")
    except UnicodeDecodeError as e:
        if e.start < pairs * 2 - 4:  # only a surrogate pair cut at the end of the head is allowed
            return None
        text = head[: e.start].decode(codec)
    ctrl = sum(1 for c in text if ord(c) < 32 and c not in "\t\n\r\f\v")
    return codec if ctrl * 100 <= len(text) else None


def _utf16_without_bom(data: bytes) -> str | None:
    """The text of UTF-16 without a BOM (see :func:`utf16_without_bom`), else ``None``."""
    codec = utf16_without_bom(data)
    return data.decode(codec, errors="replace") if codec else None


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode a text file's bytes; return (text, encoding name).

    Names: ``utf-8``, ``utf-8-sig``, ``utf-16`` (with a BOM, or ASCII-heavy text without one),
    ``utf-32`` (with a BOM); ``tcvn3``, ``vni``,
    ``cp1258`` (8-bit Vietnamese, chosen by which reads as Vietnamese); ``cp1252`` (8-bit text with
    no Vietnamese in it); and ``<unicode>+tcvn3`` / ``<unicode>+vni`` (e.g. ``utf-8+tcvn3``) when a
    Unicode file holds legacy text, which is converted. Legacy conversions come back NFC; other
    text is returned as decoded (the caller applies NFC). Raises :class:`EncodingError` when no
    reading fits.
    """
    if data.startswith(codecs.BOM_UTF8):
        text, base = data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        text, base = data.decode("utf-32", errors="replace"), "utf-32"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, base = data.decode("utf-16", errors="replace"), "utf-16"
    elif b"\x00" in data[:4096] and (utf16 := _utf16_without_bom(data)) is not None:
        text, base = utf16, "utf-16"
    else:
        try:
            text, base = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            lenient = _decode_utf8_lenient(data)
            if lenient is None:
                return _decode_8bit(data)
            text, base = lenient, "utf-8"
    fixed, legacy = _fix_legacy(text)
    return (fixed, f"{base}+{legacy}") if legacy else (text, base)
