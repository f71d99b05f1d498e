"""Issue 12 items 7 and 8: the package is type-checked in CI, dead code is gone.

``mypy bcparse`` must report no error (``.ci/run`` runs it after the tests; the slow test below runs
it too), with unused ``type: ignore`` comments reported as errors.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_item8_mypy_is_configured_strictly_enough() -> None:
    cfg = _pyproject()["tool"]["mypy"]
    assert cfg["python_version"] == "3.11"
    assert cfg["warn_unused_ignores"] is True
    assert cfg["warn_redundant_casts"] is True
    extra = " ".join(_pyproject()["project"]["optional-dependencies"]["test"])
    for pkg in ("mypy", "types-PyYAML", "types-tqdm"):
        assert re.search(rf"(^|\s){re.escape(pkg)}\b", extra), pkg


def test_item8_ci_runs_mypy_after_the_readme_test_command() -> None:
    lines = [ln.strip() for ln in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
             if ln.strip() and not ln.lstrip().startswith("#")]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_test = next(i for i, ln in enumerate(lines) if "python -m pytest" in ln)
    # the README's command is exactly the first test command CI runs
    assert lines[first_test] in readme
    mypy = [i for i, ln in enumerate(lines) if ln == "python -m mypy bcparse"]
    assert mypy and mypy[0] > max(i for i, ln in enumerate(lines) if "python -m pytest" in ln)
    assert "set -euo pipefail" in lines  # a mypy error fails the script


def test_item8_figure_qualifier_is_the_models_literal() -> None:
    from bcparse.extract import _qualifier

    assert [_qualifier(q) for q in (None, "approx", "gt", "lt", "none")] == [None, "approx", "gt", "lt", "none"]
    with pytest.raises(ValueError, match="unknown qualifier 'about'"):
        _qualifier("about")


def test_item8_limits_from_the_environment_keep_each_fields_type(monkeypatch: pytest.MonkeyPatch) -> None:
    from bcparse import limits

    monkeypatch.setenv("BCPARSE_MAX_PDF_PAGES", "7")
    monkeypatch.setenv("BCPARSE_PDF_SECONDS_TOTAL", "2.5")
    monkeypatch.setenv("BCPARSE_MAX_XML_DEPTH", "not a number")  # ignored: the default stays
    got = limits._from_env()
    assert (got.max_pdf_pages, got.pdf_seconds_total, got.max_xml_depth) == (7, 2.5, 256)
    assert type(got.max_pdf_pages) is int and type(got.pdf_seconds_total) is float


def test_item7_strip_accents_is_gone() -> None:
    import bcparse.textview as tv

    assert not hasattr(tv, "strip_accents")


@pytest.mark.slow
def test_item8_mypy_reports_no_error() -> None:
    proc = subprocess.run([sys.executable, "-m", "mypy", "bcparse"], cwd=ROOT, capture_output=True,
                          text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.startswith("Success: no issues found")


# ---- item 7: the broad excepts that stay are boundaries that report, never swallow ----------------

SAMPLE = ROOT / "samples" / "binh-thanh-doi-ngoai-2024.txt"


def test_item7_a_parser_bug_fails_the_file_in_an_import_with_its_type_and_message(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from bcparse import pipeline
    from bcparse.store import importer

    def broken(*a: object, **k: object) -> None:
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr(pipeline, "parse_document", broken)
    assert importer.parse_file(str(SAMPLE)) == (
        "failed", str(SAMPLE), "internal error (RuntimeError: boom second line); please report it", None)


def test_item7_a_parser_bug_is_an_error_line_of_audit_not_a_silent_skip(monkeypatch: pytest.MonkeyPatch) -> None:
    from bcparse.audit import cli as audit_cli

    def broken(path: str, grammar: str | None) -> None:
        raise KeyError("header")

    monkeypatch.setattr(audit_cli, "_load", broken)
    findings, errors = audit_cli.run([str(SAMPLE)])
    assert findings == []
    assert errors == [f"{SAMPLE}: cannot be read (KeyError: 'header')"]
