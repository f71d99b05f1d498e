"""The examples in bcparse.numbers' docstrings are its specification: run them all (issue 12 item 5)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import bcparse.numbers

MODULES = sorted(
    [bcparse.numbers.__name__]
    + [f"{bcparse.numbers.__name__}.{m.name}" for m in pkgutil.iter_modules(bcparse.numbers.__path__)]
)


@pytest.mark.parametrize("name", MODULES)
def test_item5_numbers_doctests(name: str) -> None:
    mod = importlib.import_module(name)
    result = doctest.testmod(mod, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.failed == 0, f"{name}: {result.failed} of {result.attempted} examples failed"


def test_item5_numbers_doctests_cover_the_specification() -> None:
    """The parse and format examples the issue names are among the doctests (not just a few)."""
    finder = doctest.DocTestFinder()
    total = 0
    source = ""
    for name in MODULES:
        for t in finder.find(importlib.import_module(name)):
            total += len(t.examples)
            source += "".join(e.source + e.want for e in t.examples)
    assert total >= 40
    for needle in ('"1.422"', '"284,62"', '"1,5 triệu đồng"', "1500000", '"trên 50%"', '"08"', '"Không có"',
                   '"ngày 08/11/2024"', "'2024-11-08'", "to_roman", "PLACEHOLDER_RE", "iso_parts"):
        assert needle in source, needle
