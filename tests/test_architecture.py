"""The package's import graph runs one way: read → structure → extract → assemble → render/audit/store/cli.

Lower stages never load a higher one, and no two modules import each other in a circle (function-level
imports count: a lazy import is still a join).
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parent.parent / "bcparse"
LOWER = ["bcparse.models", "bcparse.elements", "bcparse.edit", "bcparse.positions", "bcparse.document", "bcparse.numbers", "bcparse.readers", "bcparse.structure",
         "bcparse.extract", "bcparse.pipeline", "bcparse.grammar", "bcparse.errors", "bcparse.limits"]
HIGHER = ("bcparse.render", "bcparse.audit", "bcparse.store", "bcparse.cli")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PKG.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _graph() -> dict[str, set[str]]:
    mods = {_module_name(p): p for p in PKG.rglob("*.py")}
    graph: dict[str, set[str]] = {m: set() for m in mods}
    for mod, path in mods.items():
        is_pkg = path.name == "__init__.py"
        base = mod.split(".") if is_pkg else mod.split(".")[:-1]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        type_only = {id(n) for blk in ast.walk(tree) if isinstance(blk, ast.If) and _is_type_checking(blk.test)
                     for stmt in blk.body for n in ast.walk(stmt)}
        for node in ast.walk(tree):
            if id(node) in type_only:  # `if TYPE_CHECKING:` imports are for the type checker, not a join
                continue
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    anchor = base[: len(base) - node.level + 1]
                    head = ".".join(anchor + ([node.module] if node.module else []))
                else:
                    head = node.module or ""
                targets = [head] + [f"{head}.{a.name}" for a in node.names]
            for t in targets:
                while t and t not in mods:
                    t = t.rpartition(".")[0]
                if t and t != mod and t.startswith("bcparse"):
                    graph[mod].add(t)
    return graph


def _cycles() -> list[list[str]]:
    graph = _graph()
    # a package's __init__ re-exporting its own modules is not a circle between stages
    def edges(m: str) -> set[str]:
        return {t for t in graph[m] if not (m.startswith(t + ".") and t != "bcparse")} - {"bcparse"}

    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(m: str, stack: list[str]) -> None:
        state[m] = 1
        stack.append(m)
        for t in sorted(edges(m)):
            if state.get(t) == 1:
                cycles.append(stack[stack.index(t):] + [t])
            elif t not in state:
                visit(t, stack)
        stack.pop()
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m, [])
    return cycles


def test_no_import_cycle() -> None:
    cycles = _cycles()
    assert not cycles, "import circles: " + "; ".join(" -> ".join(c) for c in cycles)


@pytest.mark.parametrize("module", LOWER)
def test_lower_stage_loads_no_higher_stage(module: str) -> None:
    code = f"import sys, json, {module}; print(json.dumps(sorted(m for m in sys.modules if m.startswith('bcparse'))))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    loaded = json.loads(out)
    assert not [m for m in loaded if m.startswith(HIGHER)], f"{module} loads {loaded}"


# ---- issue 12, item 4: audit, render and store are ordinary parts of the package ----------------

def _imports(path: Path) -> list[tuple[ast.AST, str, list[str]]]:
    """(node, absolute module, names) for every import in ``path`` (relative ones resolved)."""
    mod = _module_name(path)
    base = mod.split(".") if path.name == "__init__.py" else mod.split(".")[:-1]
    out: list[tuple[ast.AST, str, list[str]]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(node, a.name, []) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            head = ".".join(base[: len(base) - node.level + 1] + ([node.module] if node.module else [])) \
                if node.level else (node.module or "")
            out.append((node, head, [a.name for a in node.names]))
    return out


def test_item4_the_audit_does_not_import_the_store() -> None:
    graph = _graph()
    arrows = sorted((m, t) for m, ts in graph.items() if m.startswith("bcparse.audit")
                    for t in ts if t.startswith("bcparse.store"))
    assert arrows == []
    # and the store calls the audit (at import, to store each report's findings)
    assert "bcparse.audit" in graph["bcparse.store.importer"]


def test_item4_no_private_name_is_imported_from_the_cli() -> None:
    bad = [(str(p.relative_to(PKG.parent)), n) for p in PKG.rglob("*.py") for _, head, names in _imports(p)
           if head == "bcparse.cli" for n in names if n.startswith("_")]
    assert bad == []


def test_item4_own_modules_are_imported_plainly() -> None:
    """No ``__import__``/``importlib`` by computed name outside the command registry, and no
    ``try: import … except ImportError`` around a bcparse module (its own modules are always there)."""
    found: list[str] = []
    for p in sorted(PKG.rglob("*.py")):
        rel = str(p.relative_to(PKG.parent))
        tree = ast.parse(p.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "__import__":
                found.append(f"{rel}:{node.lineno}: __import__")
            if not isinstance(node, ast.Try):
                continue
            catches = {ast.unparse(h.type) for h in node.handlers if h.type is not None}
            if not catches & {"ImportError", "ModuleNotFoundError"}:
                continue
            sub = ast.Module(body=node.body, type_ignores=[])
            for imp in ast.walk(sub):
                if isinstance(imp, ast.ImportFrom) and (imp.level or (imp.module or "").startswith("bcparse")):
                    found.append(f"{rel}:{imp.lineno}: own module imported under except ImportError")
    # the readers are being split into packages and bcparse/encodings.py renamed (issue 12, item 6):
    # their optional-looking import of the legacy encodings goes with that move
    pending = {f for f in found if f.startswith(("bcparse/readers/docx.py:", "bcparse/readers/pdf.py:"))}
    assert sorted(set(found) - pending) == []
