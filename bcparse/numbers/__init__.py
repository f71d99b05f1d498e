"""Vietnamese numerals: the one module that reads and writes them.

Reading and writing live side by side so that a figure edited in a report is written back the
way it was read (``1.422``, ``08``, ``284,62``, ``1,5 triệu đồng``, ``596tỷđ``):

* :func:`parse_number` / :func:`format_number`: digits with thousands dots and a decimal comma,
  leading zeros; :class:`NumStyle` records how a number was written.
* :func:`parse_money` / :func:`format_money`: VND amounts (``500.000đ``, ``2 tỷ đồng``,
  ``60trđ``, ``năm trăm nghìn đồng``), always an integer number of đồng.
* :func:`parse_words` / :func:`to_words`: number words (``một triệu tư`` = 1 400 000).
* :func:`parse_date` / :func:`format_date`: ``ngày 08/11/2024``, ``ngày 20 tháng 11 năm 2024``,
  a blank day (``ngày   tháng 11 năm 2024`` = ``2024-11``), ``tháng 5/2017``.
* :func:`find_quantities`: every quantity in a text with its unit or counted noun, qualifier
  (khoảng, trên, dưới ...) and offsets; years, telephone and document numbers, section markers and
  identifiers (``Lữ đoàn 134``) are skipped.
* :data:`PATTERNS` and :func:`parse_placeholder`: regex fragments for grammar placeholders
  (``{int}``, ``{money}`` ...) that match the folded text (:func:`bcparse.textview.fold`), and
  the parser for what they matched.

The conventions (thousands ``.``, decimal ``,``, "a dot followed by exactly three digits is a
thousands separator") and every ambiguity rule are documented on the functions, with examples
that are run as tests (tests/test_numbers_doctest.py). The package owns every Vietnamese word
list bcparse matches (counted nouns, units, scale and money words, qualifiers, identifier and
year words, administrative-unit prefixes, the phrases the audit reads): they are data, in
``bcparse/data/numbers_vi.yaml``, loaded once (:mod:`bcparse.numbers._data`).

Modules: :mod:`.numerals` (digits, to_roman), :mod:`.words` (number words), :mod:`.money`,
:mod:`.dates` (date expressions and the one ISO-date check), :mod:`.quantities` (the scanner),
:mod:`.placeholders` (grammar placeholders and the one placeholder regex), :mod:`.lexicon` (the word
lists for the rest of bcparse).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .dates import format_date, parse_date
    from .iso import date_problem, is_iso_date, iso_of, iso_parts, valid_iso
    from .lexicon import QUALIFIER_SRC, ZERO_SRC, header_scale, qualifier_of
    from .money import format_money, parse_money
    from .numerals import (
        NumStyle,
        convert_unit,
        format_number,
        format_vi,
        parse_number,
        scale_factor,
        to_roman,
    )
    from .placeholders import PATTERNS, PLACEHOLDER_RE, parse_placeholder
    from .quantities import (
        WHAT,
        NotQuantity,
        Quantity,
        find_quantities,
        format_value,
        not_quantities,
        not_quantity_at,
    )
    from .words import parse_words, to_words

# each public name and the module that holds it: imported on first use, so that importing one
# module of the package (the models import .iso) does not load the word lists and patterns
_WHERE: dict[str, str] = {
    "NotQuantity": "quantities",
    "NumStyle": "numerals",
    "PATTERNS": "placeholders",
    "PLACEHOLDER_RE": "placeholders",
    "QUALIFIER_SRC": "lexicon",
    "Quantity": "quantities",
    "ZERO_SRC": "lexicon",
    "convert_unit": "numerals",
    "date_problem": "iso",
    "find_quantities": "quantities",
    "format_date": "dates",
    "format_money": "money",
    "format_number": "numerals",
    "format_value": "quantities",
    "format_vi": "numerals",
    "header_scale": "lexicon",
    "is_iso_date": "iso",
    "iso_of": "iso",
    "iso_parts": "iso",
    "parse_date": "dates",
    "parse_money": "money",
    "parse_number": "numerals",
    "parse_placeholder": "placeholders",
    "parse_words": "words",
    "qualifier_of": "lexicon",
    "scale_factor": "numerals",
    "to_roman": "numerals",
    "to_words": "words",
    "not_quantities": "quantities",
    "not_quantity_at": "quantities",
    "valid_iso": "iso",
    "WHAT": "quantities",
}

__all__ = [
    "WHAT",
    "NotQuantity",
    "NumStyle",
    "PATTERNS",
    "PLACEHOLDER_RE",
    "QUALIFIER_SRC",
    "Quantity",
    "ZERO_SRC",
    "convert_unit",
    "date_problem",
    "find_quantities",
    "format_date",
    "format_money",
    "format_number",
    "format_value",
    "format_vi",
    "header_scale",
    "is_iso_date",
    "iso_of",
    "iso_parts",
    "not_quantities",
    "not_quantity_at",
    "parse_date",
    "parse_money",
    "parse_number",
    "parse_placeholder",
    "parse_words",
    "qualifier_of",
    "scale_factor",
    "to_roman",
    "to_words",
    "valid_iso",
]


def __getattr__(name: str) -> Any:
    mod = _WHERE.get(name)
    if mod is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{mod}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_WHERE))
