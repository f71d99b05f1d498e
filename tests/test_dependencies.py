"""Every declared dependency is used, and every used one declared (issue 14, item 4).

The imports of ``bcparse/`` are read with :mod:`ast` (module-level and function-level, under
``TYPE_CHECKING`` too), mapped from import names to distributions (``docx`` → python-docx, ``yaml``
→ PyYAML) and compared with pyproject's ``dependencies`` and optional extras, read from the file
(extras come and go: this test names none of them):

- every third-party import that is not guarded is a core dependency (an unguarded ``import X`` fails
  on a core install otherwise);
- an import guarded by ``except ImportError`` may be declared in an extra instead, and so may one
  in a module of an optional feature that says so on the import line (``# extra: web``), after
  the feature has checked its extra is installed and said what to install otherwise: the
  distribution must then be in that very extra;
- every core dependency and every package of an extra other than ``test`` is imported somewhere in
  ``bcparse/``;
- a stub package of the test extra (``types-X``) is the stub of an imported distribution.
"""

from __future__ import annotations

import ast
import importlib.metadata as md
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "bcparse"

#: import names whose distribution is named otherwise, for the extras' packages that are not
#: installed where the test runs (an installed one is looked up in its metadata first)
KNOWN = {"docx": "python-docx", "yaml": "PyYAML", "sqlalchemy": "SQLAlchemy", "PIL": "Pillow",
         "cv2": "opencv-python", "sklearn": "scikit-learn", "fitz": "PyMuPDF", "pyarrow": "pyarrow"}


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _req_name(req: str) -> str:
    m = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", req)
    assert m, f"cannot read a distribution name in {req!r}"
    return _norm(m.group(1))


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def declared() -> tuple[set[str], dict[str, set[str]]]:
    proj = _pyproject()["project"]
    core = {_req_name(r) for r in proj.get("dependencies", [])}
    extras = {k: {_req_name(r) for r in v} for k, v in proj.get("optional-dependencies", {}).items()}
    return core, extras


def _guarded(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """Inside a ``try`` whose handlers catch ImportError (or ModuleNotFoundError)."""
    cur = node
    while cur in parents:
        par = parents[cur]
        if isinstance(par, ast.Try) and cur in par.body:
            for h in par.handlers:
                names = [h.type] if not isinstance(h.type, ast.Tuple) else list(h.type.elts)
                if any(isinstance(n, ast.Name) and n.id in ("ImportError", "ModuleNotFoundError") for n in names):
                    return True
        cur = par
    return False


#: ``file:line`` → the extra an import line names (``# extra: web``), filled by :func:`imports`
MARKED: dict[str, str] = {}
_MARK = re.compile(r"#\s*extra:\s*([A-Za-z0-9_-]+)")


def imports(folder: Path = PKG) -> dict[str, dict[str, bool]]:
    """Top-level import name → {``file:line`` → guarded} for every absolute import in ``folder``."""
    out: dict[str, dict[str, bool]] = {}
    for path in sorted(folder.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        lines = source.split("\n")
        tree = ast.parse(source, str(path))
        parents = {child: par for par in ast.walk(tree) for child in ast.iter_child_nodes(par)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for n in names:
                top = n.split(".")[0]
                where = f"{path.relative_to(ROOT)}:{node.lineno}"
                mark = _MARK.search(lines[node.lineno - 1])
                if mark:
                    MARKED[where] = mark.group(1)
                out.setdefault(top, {})[where] = _guarded(node, parents) or mark is not None
    return out


def third_party(found: dict[str, dict[str, bool]]) -> dict[str, dict[str, bool]]:
    local = {"bcparse", "__future__"}
    return {k: v for k, v in found.items() if k not in sys.stdlib_module_names and k not in local}


def distribution_of(import_name: str) -> str:
    dists = md.packages_distributions().get(import_name)
    if dists:
        return _norm(dists[0])
    return _norm(KNOWN.get(import_name, import_name))


def import_names_of(dist: str) -> set[str]:
    """The import names a distribution provides (its metadata when installed, else its name)."""
    names = {k for k, v in md.packages_distributions().items() if dist in {_norm(d) for d in v}}
    names |= {k for k, v in KNOWN.items() if _norm(v) == dist}
    return names or {dist.replace("-", "_")}


# ---------------------------------------------------------------------------------------------


def test_the_import_reader_sees_function_level_and_guarded_imports() -> None:
    found = third_party(imports())
    assert "docx" in found and any(not g for g in found["docx"].values())  # `import docx` inside functions
    assert all(found["psycopg"].values())  # only under `except ImportError` (the postgres extra)
    assert distribution_of("docx") == "python-docx" and distribution_of("yaml") == "pyyaml"
    assert "yaml" in import_names_of("pyyaml")


def test_every_import_of_bcparse_is_declared() -> None:
    core, extras = declared()
    runtime_extras = set().union(*(v for k, v in extras.items() if k != "test"))
    problems = []
    for name, where in sorted(third_party(imports()).items()):
        dist = distribution_of(name)
        unguarded = [w for w, g in where.items() if not g]
        if dist in core:
            continue
        for w in where:
            if w in MARKED and dist not in extras.get(MARKED[w], set()):
                problems.append(f"{name} ({dist}) at {w} names the extra '{MARKED[w]}', which does not declare it")
        if unguarded:
            problems.append(f"{name} ({dist}) imported without a guard at {unguarded[0]} but not in "
                            f"[project] dependencies")
        elif dist not in runtime_extras:
            problems.append(f"{name} ({dist}) imported at {next(iter(where))} but declared nowhere")
    assert not problems, "\n".join(problems)


def test_every_declared_runtime_dependency_is_imported() -> None:
    core, extras = declared()
    found = set(third_party(imports()))
    unused = []
    for where, dists in [("dependencies", core)] + [(f"extra '{k}'", v) for k, v in extras.items() if k != "test"]:
        for d in sorted(dists):
            if not import_names_of(d) & found:
                unused.append(f"{d} ({where}) is imported nowhere in bcparse/")
    assert not unused, "\n".join(unused)


def test_stub_packages_of_the_test_extra_type_an_imported_distribution() -> None:
    core, extras = declared()
    found = third_party(imports())
    imported = {distribution_of(n) for n in found}
    for d in extras.get("test", set()):
        if d.startswith("types-"):
            assert _norm(d[len("types-"):]) in imported, f"{d}: its package is not imported by bcparse/"
    assert "types-tqdm" in extras["test"] and "tqdm" in core  # the import progress bar


def test_underthesea_is_not_a_core_dependency() -> None:
    """~200 MB for a part-of-speech fallback of `bcparse coverage`: the 'nlp' extra."""
    core, extras = declared()
    assert "underthesea" not in core
    assert any("underthesea" in v for v in extras.values())
    assert all(third_party(imports())["underthesea"].values())  # every import of it is guarded


def test_coverage_without_the_nlp_extra_says_so_in_one_line_and_runs_as_no_pos(
        monkeypatch, capsys, tmp_path: Path) -> None:
    from bcparse.cli import main
    from bcparse.coverage import PosNouns

    text = ROOT / "tests" / "data" / "real-more" / "310_xa-duc-bong-ktxh-2019.txt"
    assert main(["coverage", str(text), "--json", "--no-pos", "-o", str(tmp_path / "no-pos.json")]) == 0
    assert capsys.readouterr().err == ""
    monkeypatch.setitem(sys.modules, "underthesea", None)  # `import underthesea` raises ImportError
    assert not PosNouns().available and PosNouns().after("có 9 doanh nghiệp", "9") is None
    assert main(["coverage", str(text), "--json", "-o", str(tmp_path / "without.json")]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "pip install 'bcparse[nlp]'" in err[0]
    assert (tmp_path / "without.json").read_text() == (tmp_path / "no-pos.json").read_text()
