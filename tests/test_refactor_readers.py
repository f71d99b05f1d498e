"""Issue 12, items 5 (one normalisation, one atomic writer), 6 (readers as packages, one guarded
.docx package reader) and 7 (``bcparse.encodings`` renamed ``bcparse.legacy_encodings``)."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import bcparse

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "bcparse"


def _imports_from(path: Path, module: str) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[-1] == module:
            names += [a.name for a in node.names]
    return names


def test_item7_encodings_module_is_legacy_encodings() -> None:
    """No module of bcparse shadows the standard library's ``encodings``; the legacy encodings
    module is imported under its new name, through public names only."""
    assert importlib.util.find_spec("bcparse.encodings") is None
    from bcparse import legacy_encodings

    assert legacy_encodings.convert("B\u00b8o c\u00b8o", "tcvn3") == "Báo cáo"
    for path in PKG.rglob("*.py"):
        names = _imports_from(path, "legacy_encodings")
        assert not [n for n in names if n.startswith("_")], f"{path} imports private names {names}"
        assert not _imports_from(path, "encodings"), path
    assert bcparse.read(ROOT / "tests" / "data" / "encodings" / "report-tcvn3.txt").blocks
