"""The package's Vietnamese word lists (bcparse/data/numbers_vi.yaml) for the rest of bcparse.

Every word list bcparse matches is data in that one file, loaded once; the extractor, the
structure figures and the audit take their words from here instead of writing their own.

>>> qualifier_of("khoảng"), qualifier_of("Ước   đạt"), qualifier_of("chưa đến"), qualifier_of("vào")
('approx', 'approx', 'lt', None)
>>> re.fullmatch(QUALIFIER_SRC, "trên") is not None, re.fullmatch(ZERO_SRC, "không phát sinh") is not None
(True, True)
>>> header_scale("Kinh phí (triệu đồng)"), header_scale("Tổng (Tỷ đồng)"), header_scale("Số hộ")
(1000000, 1000000000, 1)
>>> m = COMMUNE_HEAD.match("XÃ TÂN LẬP")
>>> m.group(1), m.group(2)
('XÃ', 'TÂN LẬP')
>>> COMMUNE_HEAD.match("UBND HUYỆN ĐỊNH HOÁ") is None
True
"""

from __future__ import annotations

import re
from typing import Literal

from ..textview import fold
from ._data import _DATA, _QUALIFIERS, _SCALE_MONEY, _SCALES, _alt, _fw, _words

__all__ = ["COMMUNE_HEAD", "QUALIFIER_SRC", "ZERO_SRC", "header_scale", "qualifier_of", "word_alt", "word_list"]


def word_list(name: str) -> tuple[str, ...]:
    """The folded entries of the list ``name`` of numbers_vi.yaml, longest first (KeyError if none)."""
    return _words(_DATA[name])


def word_alt(name: str) -> str:
    """A non-capturing regex alternation of the list ``name``, longest first, for folded text
    (inner spaces match runs of blanks)."""
    return _alt(word_list(name))


QUALIFIER_SRC = _alt(_QUALIFIERS)
"""Regex source of a qualifier word before a figure (khoảng, trên, chưa đến ...), on folded text."""

ZERO_SRC = word_alt("zero_words")
"""Regex source of the explicit zero ("không có", "chưa có", "không phát sinh"), on folded text."""


Qualifier = Literal["approx", "gt", "lt"]
_QUALIFIER_KIND: dict[str, Qualifier] = {"approx": "approx", "gt": "gt", "lt": "lt"}


def qualifier_of(word: str) -> Qualifier | None:
    """approx | gt | lt for a qualifier word as written (any case, spacing, tone placement)."""
    return _QUALIFIER_KIND.get(_QUALIFIERS.get(" ".join(_fw(word).split()), ""))


_HEAD_SCALE = re.compile(rf"(?<!\w)({_alt(_SCALE_MONEY)}|{_alt(_SCALES)})(?!\w)")


def header_scale(header: str) -> int:
    """The factor a table column header announces for its amounts ("(triệu đồng)" → 1 000 000,
    "(tỷ đồng)" → 1 000 000 000), the largest magnitude word it names; 1 without one."""
    found = [" ".join(m.group(1).split()) for m in _HEAD_SCALE.finditer(fold(header))]
    return max((_SCALE_MONEY.get(w) or _SCALES.get(w) or 1 for w in found), default=1)


COMMUNE_HEAD = re.compile(
    r"^(" + "|".join(re.escape(w.upper()) for w in sorted((str(x) for x in _DATA["commune_heads"]), key=len,
                                                           reverse=True)) + r")\s+(\S.*)$"
)
"""An agency line that names a commune, in capitals as a header writes it: "XÃ TÂN LẬP" (group 1
the kind of unit, group 2 its name)."""
