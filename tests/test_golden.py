"""Every fixture document's outputs equal its golden file (tests/golden/, see golden_snapshot.py).

A refactor keeps these byte-identical; a fix that changes one regenerates it
(``python tests/golden_snapshot.py NAME``) and names the change in its commit.
"""

from __future__ import annotations

import difflib

import pytest
from golden_snapshot import dumps, fixtures, golden_path, snapshot


def test_every_fixture_has_a_golden_file() -> None:
    missing = [rel for rel in fixtures() if not golden_path(rel).exists()]
    assert not missing, f"no golden file for {missing}: run python tests/golden_snapshot.py"
    assert len(fixtures()) >= 25


@pytest.mark.parametrize("rel", fixtures())
def test_golden(rel: str) -> None:
    path = golden_path(rel)
    if not path.exists():
        pytest.fail(f"no golden file {path.name}: run python tests/golden_snapshot.py")
    want = path.read_text(encoding="utf-8")
    got = dumps(snapshot(rel))
    if got != want:
        diff = "".join(list(difflib.unified_diff(want.splitlines(True), got.splitlines(True), "golden", "now", n=2))[:80])
        pytest.fail(f"{rel} differs from its golden file:\n{diff}")
