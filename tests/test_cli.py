"""The command line: the figures contract (docs/figures.md), outline, text, explain, errors."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

import bcparse
from bcparse.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "binh-thanh-doi-ngoai-2024.txt"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_figures_json_follows_the_contract(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "figures", str(SAMPLE), "--json")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert set(data) == {"contract", "source", "grammar", "figures"} and data["contract"] == 2
    assert data["grammar"] == "doi_ngoai"
    for f in data["figures"]:
        assert set(f) == {"key", "value", "unit", "qualifier", "item", "address", "raw", "span",
                          "mode", "confidence", "counted", "subject", "frame", "plan"}
        assert {"line", "col", "length"} <= set(f["span"])
        assert f["qualifier"] in (None, "approx", "gt", "lt", "none")
        assert f["mode"] in ("result", "target", "plan", "comparison")
        assert f["confidence"] in ("high", "medium", "low")  # every keyed figure says how sure it is
    households = next(f for f in data["figures"] if f["key"] == "commune.households")
    assert households["value"] == 1422 and households["unit"] == "hộ" and households["raw"] == "1.422 hộ"
    assert households["span"]["line"] == 15


def test_figures_all_reports_every_number_with_a_span_that_points_at_it(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "figures", str(SAMPLE), "--all", "--json")
    assert code == 0
    figs = json.loads(out)["figures"]
    lines = bcparse.read(SAMPLE).text.split("\n")
    for f in figs:
        sp = f["span"]
        line = lines[sp["line"] - 1]
        assert line[sp["col"] - 1 : sp["col"] - 1 + sp["length"]] == f["raw"] or "\n" in f["raw"], f
    generic = [f for f in figs if f["key"] is None]
    assert any(f["value"] == 14 and f["unit"] == "học sinh" for f in generic)  # "cho 14 học sinh"
    assert any(f["value"] == "2024-01-28" for f in generic)  # "Ngày 28/01/2024"
    # years, document numbers and identifiers are not quantities
    values = [f["value"] for f in generic]
    assert 2024 not in values and 7253 not in values and 134 not in values


def test_figures_grammar_forced_and_explained(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "figures", str(SAMPLE), "--grammar", "kt_xh", "--json")
    assert code == 0 and json.loads(out)["grammar"] == "kt_xh"
    code, out, _ = run(capsys, "figures", str(SAMPLE), "--explain")
    assert code == 0
    assert "doi_ngoai: chosen" in out and "kt_xh: not chosen" in out
    assert "<- common:party.members" in out
    code, out, err = run(capsys, "figures", str(SAMPLE), "--grammar", "nope")
    assert code == 2 and "no grammar 'nope'" in err


def test_outline_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "outline", str(SAMPLE), "--json")
    data = json.loads(out)
    assert [d["marker"] for d in data][:3] == ["I.", "II.", "1."]
    assert data[0] == {"number": "I", "marker": "I.", "level": 1, "title": "ĐẶC ĐIỂM TÌNH HÌNH", "line": 13}


def test_text_prints_the_view(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "text", str(SAMPLE))
    assert code == 0 and out == bcparse.read(SAMPLE).text + "\n"


def test_schema_and_grammars(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "schema")
    assert code == 0 and json.loads(out)["title"] == "Report"
    code, out, _ = run(capsys, "grammars")
    assert code == 0 and "doi_ngoai" in out and "kt_xh" in out


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "empty.txt", "empty"),
        (b"\x00\x01\x02binary\x00junk" * 50, "junk.txt", "binary"),
        (b"%PDF-1.4 truncated", "x.txt", "PDF"),
        (b"PK\x03\x04broken", "broken.docx", ""),
    ],
)
def test_bad_input_is_one_line_exit_2(tmp_path: Path, content: bytes, name: str, message: str) -> None:
    p = tmp_path / name
    p.write_bytes(content)
    out = tmp_path / "out.json"
    proc = subprocess.run([sys.executable, "-m", "bcparse", "figures", str(p), "--json", "-o", str(out)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().split("\n")
    assert len(lines) == 1 and lines[0].startswith("bcparse: error:"), proc.stderr
    assert message in lines[0]
    assert not out.exists()


def test_missing_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "figures", "no/such/file.txt")
    assert code == 2 and "no such file" in err


# ---- issue 12, item 4: one command registry, each command's module imported when it runs --------

def _modules_after(code: str) -> set[str]:
    """The modules loaded by ``code`` in a fresh interpreter (it prints nothing else on stdout)."""
    wrapper = code + "\nimport sys, json\nsys.__stdout__.write('\\n' + json.dumps(sorted(sys.modules)))\n"
    out = subprocess.run([sys.executable, "-c", wrapper], capture_output=True, text=True, check=True,
                         cwd=ROOT).stdout
    return set(json.loads(out.splitlines()[-1]))


COMMAND_MODULES = {"bcparse.commands.report", "bcparse.commands.audit", "bcparse.render.cli", "bcparse.store.cli"}


def test_item4_version_loads_no_command_and_no_parser() -> None:
    loaded = _modules_after("from bcparse.cli import main\ntry:\n    main(['--version'])\nexcept SystemExit:\n    pass")
    heavy = {"pydantic", "yaml", "lxml", "sqlalchemy", "bcparse.fileio", "bcparse.models", "bcparse.pipeline", "bcparse.readers",
             "bcparse.audit", "bcparse.render", "bcparse.store"} | COMMAND_MODULES
    assert sorted(loaded & heavy) == []


def test_item4_one_file_figures_loads_neither_sqlalchemy_nor_other_commands(tmp_path: Path) -> None:
    out = tmp_path / "figures.json"
    loaded = _modules_after(f"from bcparse.cli import main\nassert main(['figures', {str(SAMPLE)!r}, '--json', "
                            f"'-o', {str(out)!r}]) == 0")
    assert "sqlalchemy" not in loaded
    assert sorted(m for m in loaded if m.startswith(("bcparse.audit", "bcparse.render", "bcparse.store"))
                  or m in COMMAND_MODULES - {"bcparse.commands.report"}) == []
    data = json.loads(out.read_text(encoding="utf-8"))
    assert next(f["value"] for f in data["figures"] if f["key"] == "party.members") == 280


@pytest.mark.parametrize(("argv", "module"), [
    (["audit", "--help"], "bcparse.commands.audit"),
    (["import", "--help"], "bcparse.store.cli"),
    (["render", "--help"], "bcparse.render.cli"),
    (["outline", "--help"], "bcparse.commands.report"),
])
def test_item4_only_the_command_that_runs_is_imported(argv: list[str], module: str) -> None:
    loaded = _modules_after(f"from bcparse.cli import main\ntry:\n    main({argv!r})\nexcept SystemExit:\n    pass")
    assert sorted(loaded & COMMAND_MODULES) == [module]
    assert "sqlalchemy" not in loaded


def test_item4_the_registry_lists_every_command_with_its_own_help() -> None:
    from bcparse.cli import build_parser
    from bcparse.commands import COMMANDS

    def listed(parser: argparse.ArgumentParser) -> dict[str, str]:
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        return {c.dest: c.help or "" for c in sub._choices_actions}

    full = listed(build_parser(full=True))
    assert list(full) == list(COMMANDS) == ["text", "outline", "figures", "parse", "schema", "grammars",
                                            "audit", "render", "coverage", "import", "export", "keys", "html", "serve"]
    assert listed(build_parser()) == full  # `bcparse --help` says what each command's own module says


def test_item4_store_calls_the_audit_directly(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("sqlalchemy")
    from typing import Any, get_type_hints

    from bcparse.audit import audit_report as audit
    from bcparse.store import importer

    r = bcparse.parse(SAMPLE)
    assert get_type_hints(importer.audit_report)["return"] == list[dict[str, Any]]
    rows = importer.audit_report(r)
    assert [(d["code"], d["line"]) for d in rows] == [(f.code, f.line) for f in audit(r)] and rows

    def broken(report: object) -> list[object]:
        raise RuntimeError("audit bug")

    monkeypatch.setattr(importer, "_audit_report", broken)
    with pytest.raises(RuntimeError, match="audit bug"):  # a bug is not turned into a return value
        importer.audit_report(r)
