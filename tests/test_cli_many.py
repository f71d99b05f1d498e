"""Many files in (issue 14, item 2): ``figures``, ``parse``, ``outline``, ``audit``, ``coverage``,
``export`` and ``import`` take files, folders, globs and ``-``, through one expander
(:func:`bcparse.fileio.collect_inputs`); several reports as JSON are JSON Lines; a bad file is
reported on stderr and skipped, with exit status 2."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from bcparse.cli import main
from bcparse.fileio import collect_inputs
from bcparse.store.importer import collect_files

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
BINH = SAMPLES / "binh-thanh-doi-ngoai-2024.txt"
TAN = SAMPLES / "tan-lap-ktxh-2023.txt"


def run(*args: str, stdin: bytes | None = None, monkeypatch: pytest.MonkeyPatch | None = None) -> tuple[int, str, str]:
    if stdin is not None:
        assert monkeypatch is not None
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    """Two reports a level apart, and what a folder holds that is not a report."""
    (tmp_path / "2024" / "q4").mkdir(parents=True)
    shutil.copy(BINH, tmp_path / "binh.txt")
    shutil.copy(TAN, tmp_path / "2024" / "q4" / "tan.txt")
    (tmp_path / "notes.json").write_text("{}", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("x", encoding="utf-8")
    (tmp_path / "~$lock.docx").write_bytes(b"x")
    return tmp_path


def test_figures_of_a_folder_are_json_lines_one_report_per_line(folder: Path) -> None:
    code, out, err = run("figures", str(folder), "--json")
    assert code == 0 and err == ""
    lines = out.splitlines()
    reps = [json.loads(line) for line in lines]
    assert [r["source"] for r in reps] == [str(folder / "2024" / "q4" / "tan.txt"), str(folder / "binh.txt")]
    assert [r["grammar"] for r in reps] == ["kt_xh", "doi_ngoai"]
    assert next(f for f in reps[1]["figures"] if f["key"] == "party.members")["value"] == 280
    # one file named: the one JSON document it always was (indented), the same figures
    code, one, _ = run("figures", str(folder / "binh.txt"), "--json")
    assert code == 0 and one.startswith("{\n") and json.loads(one) == reps[1]


def test_standard_input_among_files(monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = run("figures", "-", str(BINH), "--json", stdin=TAN.read_bytes(), monkeypatch=monkeypatch)
    reps = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [r["source"] for r in reps] == ["-", str(BINH)]
    assert next(f for f in reps[0]["figures"] if f["key"] == "party.members")["value"] == 312
    code, out, err = run("figures", "-", "-", stdin=b"", monkeypatch=monkeypatch)
    assert code == 2 and "bcparse: error: -: standard input given twice" in err


def test_a_bad_file_is_reported_and_skipped_exit_2(folder: Path) -> None:
    (folder / "broken.docx").write_bytes(b"not a zip")
    code, out, err = run("figures", str(folder), str(folder / "missing.txt"))
    assert code == 2
    assert out.count(": grammar ") == 2  # both reports printed, a blank line between
    assert f"\n\n{folder / 'binh.txt'}: grammar doi_ngoai\n" in out
    errors = err.splitlines()
    assert len(errors) == 2 and all(e.startswith("bcparse: error: ") for e in errors)
    assert errors[0].startswith(f"bcparse: error: {folder / 'broken.docx'}: ")
    assert errors[1] == f"bcparse: error: {folder / 'missing.txt'}: no such file"
    # -o: written with the reports that could be read; nothing when none could
    out_file = folder / "out.txt"
    assert run("parse", str(folder / "broken.docx"), str(TAN), "-o", str(out_file))[0] == 2
    assert out_file.read_text(encoding="utf-8").startswith(f"source:   {TAN}")
    assert run("parse", str(folder / "broken.docx"), "-o", str(folder / "none.txt"))[0] == 2
    assert not (folder / "none.txt").exists()


def test_a_quoted_glob_outline_and_parse_as_json_lines(folder: Path) -> None:
    code, out, _ = run("outline", str(SAMPLES / "*.txt"), "--json")
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [x["source"] for x in lines] == [str(BINH), str(TAN)]
    assert lines[1]["outline"][0]["title"] == "KẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM 2023"
    code, out, _ = run("parse", str(folder / "**" / "*.txt"), "--json")
    assert code == 0 and [json.loads(line)["source"] for line in out.splitlines()] == [
        str(folder / "2024" / "q4" / "tan.txt"), str(folder / "binh.txt")]  # in name order
    code, _, err = run("outline", str(folder / "*.pdf"))
    assert code == 2 and err == f"bcparse: error: {folder / '*.pdf'}: no such file, nor any file matching it as a pattern\n"
    code, _, err = run("outline", str(folder / "*.json"))
    assert code == 2 and "no report file matches this pattern" in err


def test_one_expander_for_every_command(folder: Path, tmp_path: Path) -> None:
    got = collect_inputs([str(folder), str(folder / "binh.txt"), "-", str(folder / "*.json")])
    assert got.files == [str(folder / "2024" / "q4" / "tan.txt"), str(folder / "binh.txt"), "-"]  # binh once
    assert got.refused == [(str(folder / "*.json"), "no report file matches this pattern")]
    assert not got.single and collect_inputs([str(BINH)]).single and collect_inputs(["-"]).single
    # import: the same expander, standard input refused, every path checked before any parse
    files, refused = collect_files([str(folder / "**" / "*.txt"), "-", str(folder / "nope.txt")])
    assert files == [str(folder / "2024" / "q4" / "tan.txt"), str(folder / "binh.txt")]
    assert refused == [("-", "standard input cannot be read here: give files"),
                       (str(folder / "nope.txt"), "no such file or folder")]
    # coverage and audit take a glob as figures does
    code, out, _ = run("coverage", str(SAMPLES / "tan-*.txt"), "--json", "--no-pos")
    assert code == 0 and [f["path"] for f in json.loads(out)["files"]] == [str(TAN)]
    code, out, _ = run("audit", str(folder / "**" / "*.txt"), "--format", "json", "-q")
    assert code in (0, 1) and {f["file"] for f in json.loads(out)} <= {str(folder / "binh.txt"),
                                                                        str(folder / "2024" / "q4" / "tan.txt")}


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_a_link_out_of_a_folder_is_a_warning_not_read(folder: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    outside = tmp_path_factory.mktemp("outside")
    shutil.copy(TAN, outside / "secret.txt")
    (folder / "link.txt").symlink_to(outside / "secret.txt")
    code, out, err = run("figures", str(folder), "--json")
    assert code == 0 and len(out.splitlines()) == 2
    assert f"bcparse: warning: {folder / 'link.txt'}: a symbolic link out of the folder" in err
