"""Diacritics put back from the grammars' own words: a pair of recognised words that differs from a
two-syllable phrase of the grammars (their patterns and vocabularies, and the numbers' word lists)
only by its tone and vowel marks ("dần tộc" for "dân tộc", "chỉ bộ" for "chi bộ", "hộ nghẻo" for
"hộ nghèo") is read as that phrase, when no other phrase of the grammars has the same letters.

The phrases are data the project already has (``grammars/*.yaml``, ``grammars/vocabulary/``,
``bcparse/data/numbers_vi.yaml``); a grammar folder in ``BCPARSE_GRAMMARS`` adds its own. The
correction is recorded on the word ("dần → dân (the grammars' 'dân tộc')") and the word keeps its
confidence, so a figure read from it can still be flagged.
"""

from __future__ import annotations

import functools
import os
import re
import unicodedata
from pathlib import Path
from typing import Any

from .engine import Word

_PHRASE = re.compile(r"[^\W\d_]+(?:[ \t]+[^\W\d_]+)+")  # runs of words of letters
_EDGE = "“”\"'()[]{}.,;:!?…"
#: a word Tesseract is this sure of is never changed
SURE = 90.0


def base(s: str) -> str:
    """Letters without tone and vowel marks, lower case ("Dần" → "dan", "đồng" → "dong")."""
    s = unicodedata.normalize("NFD", s.casefold().replace("đ", "d"))
    return "".join(c for c in s if not unicodedata.combining(c))


def _strings(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for k, v in node.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    return []


def _files() -> list[Path]:
    from ...grammar_paths import grammar_dirs

    files: list[Path] = []
    for d in grammar_dirs():
        files += sorted(d.glob("*.yaml")) + sorted((d / "vocabulary").glob("*.yaml"))
    data = Path(__file__).resolve().parents[2] / "data" / "numbers_vi.yaml"
    return [*files, data] if data.is_file() else files


@functools.lru_cache(maxsize=4)
def _pairs(env: str | None) -> dict[str, str | None]:
    """base of a two-syllable pair → the pair as the grammars write it (None when two differ)."""
    import yaml

    out: dict[str, str | None] = {}
    for f in _files():
        try:
            doc = yaml.safe_load(f.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError):
            continue  # the grammar loader reports a broken grammar
        for s in _strings(doc):
            for m in _PHRASE.finditer(unicodedata.normalize("NFC", s.casefold())):
                sylls = m.group().split()
                for a, b in zip(sylls, sylls[1:], strict=False):
                    pair = f"{a} {b}"
                    if pair.isascii():
                        continue
                    key = base(pair)
                    if key in out and out[key] != pair:
                        out[key] = None
                    else:
                        out[key] = pair
    return out


def phrases() -> dict[str, str | None]:
    return _pairs(os.environ.get("BCPARSE_GRAMMARS"))


def _cased(like: str, word: str) -> str:
    if like.isupper() and len(like) > 1:
        return word.upper()
    if like[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def fix_diacritics(words: list[Word]) -> None:
    """Put back the marks of pairs of consecutive words on a line (in place, recorded on the word)."""
    table = phrases()
    for a, b in zip(words, words[1:], strict=False):
        if a.line != b.line:
            continue
        ta, tb = a.text.strip(_EDGE), b.text.strip(_EDGE)
        if not ta or not tb or not ta.isalpha() or not tb.isalpha():
            continue
        pair = f"{ta} {tb}".casefold()
        want = table.get(base(pair))
        if want is None or want == pair:
            continue
        wa, wb = want.split(" ")
        changes = [(w, old, new) for w, old, new in ((a, ta, wa), (b, tb, wb)) if old.casefold() != new]
        if any(w.conf >= SURE for w, _, _ in changes):
            continue  # Tesseract was sure of the word it would change: "sổ hộ khẩu" is not "số hộ"
        for w, old, new in changes:
            fixed = _cased(old, new)
            w.raw = w.raw or w.text
            w.text = w.text.replace(old, fixed, 1)
            w.fixes = (*w.fixes, f"{old} → {fixed} (the grammars' '{want}')")

