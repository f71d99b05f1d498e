"""The Vietnamese word lists of bcparse/data/numbers_vi.yaml, loaded once and folded for matching
on fold(text). Every Vietnamese word list the package matches lives in that file."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from decimal import Context
from importlib import resources
from typing import Any

import yaml

from .. import limits
from ..textview import fold


def _load_data() -> dict[str, Any]:
    raw = resources.files("bcparse.data").joinpath("numbers_vi.yaml").read_text(encoding="utf-8")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(raw, Loader=loader)  # noqa: S506 - a safe loader
    if not isinstance(data, dict):
        raise RuntimeError("bcparse/data/numbers_vi.yaml: expected a mapping")
    return data


def _fw(word: object) -> str:
    """Fold one list entry the way the text is folded (NFC, lower case, tone placement)."""
    return fold(unicodedata.normalize("NFC", str(word)).strip())


def _words(items: Iterable[object]) -> tuple[str, ...]:
    """Folded entries, longest first (so multi-word entries win over their prefixes)."""
    return tuple(sorted({_fw(w) for w in items}, key=lambda w: (-len(w), w)))


def _alt(words: Iterable[str]) -> str:
    """A non-capturing alternation of folded words, longest first; inner spaces match [ \\t]+."""
    parts = [r"[ \t]+".join(re.escape(p) for p in w.split()) for w in _words(words)]
    return "(?:" + "|".join(parts) + ")"


_DATA = _load_data()

_DIGIT_WORDS: dict[str, int] = {_fw(k): int(v) for k, v in _DATA["digits"].items()}
_TENS: dict[str, str] = {_fw(k): str(v) for k, v in _DATA["tens"].items()}
_ZERO_TENS = frozenset(_fw(w) for w in _DATA["zero_tens"])
_HALF = frozenset(_fw(w) for w in _DATA["half"])
_MULTIPLIERS: dict[str, int] = {_fw(k): 10 ** int(v) for k, v in _DATA["multipliers"].items()}
_SCALES: dict[str, int] = {_fw(k): int(v) for k, v in _DATA["scales"].items()}
_SCALE_MONEY: dict[str, int] = {_fw(k): int(v) for k, v in _DATA["scale_money"].items()}
_CURRENCY = _words(_DATA["currency"])
_CURRENCY_AFTER_SCALE = _words(_DATA["currency_after_scale"])
_DONG_NOT = _words(_DATA["dong_not_currency"])
_DONG_YES = _words(_DATA["dong_currency_after"])
_NOT_AFTER_SCALE = _words(_DATA["not_after_scale"])
_NOT_AFTER_UNIT = _words(_DATA["not_after_unit"])
_COUNT_NOUNS = frozenset(_words(_DATA["count_nouns"]) + ("đ/c",))
_MEASURE = frozenset(_words(_DATA["measure_units"]))
_QUALIFIERS: dict[str, str] = {_fw(k): str(v) for k, v in _DATA["qualifiers"].items()}
_QUAL_WORDS = _words(_QUALIFIERS)
_IDENT_WORDS = _words(_DATA["identifier_words"])
_NAME_WORDS = _words(_DATA["name_words"])
_ORDINAL_WORDS = _words(_DATA["ordinal_words"])
_PERIOD_WORDS = _words(_DATA["period_words"])
_PERIOD_AFTER = _words(_DATA["period_after"])
_NAME_HEADS = _words(_DATA["name_heads"])
_CODE_LETTERS: tuple[int, int] = (int(_DATA["identifier_code_letters"]["min"]), int(_DATA["identifier_code_letters"]["max"]))
_DATE_WORDS = _words(_DATA["date_words"])
_SCALE_WORDS = _words(_DATA["scale_words"])
_PLAN_WORDS = _words(_DATA["plan_words"])
_YEAR_WORDS = _words(_DATA["year_words"])
_YEAR_NOUNS = _words(_DATA["year_nouns"])
_PHONE_WORDS = _words(_DATA["phone_words"])
_SECTION_CLOSERS = frozenset(str(c) for c in _DATA["section_closers"])
_CONVERSIONS: dict[str, dict[str, str]] = {
    _fw(k): {_fw(u): str(f) for u, f in v.items()} for k, v in _DATA["unit_conversions"].items()}

_MAXD = limits.current().max_number_digits
_DEC_CTX = Context(prec=80)
