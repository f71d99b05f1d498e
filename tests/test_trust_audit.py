"""Issue 11, item 12: the audit's user experience — folders, a summary line, BC401 grouped per
commune and period, and ``audit --db`` that says what it checks and offers both kinds of findings.

Every report here is the sample's real text (samples/binh-thanh-doi-ngoai-2024.txt), some with one
figure edited through :meth:`Report.set` (only that number's characters change).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

import bcparse
from bcparse.audit import audit_across
from bcparse.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "binh-thanh-doi-ngoai-2024.txt"
# the sample's own findings: BC102, BC201, BC301, BC302 (tests/test_audit.py)
SAMPLE_CODES = ["BC102", "BC201", "BC301", "BC302"]


def _variants(folder: Path, households: list[int]) -> list[Path]:
    """One copy of the sample per value of commune.households (1422 in the sample)."""
    base = bcparse.parse(SAMPLE)
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i, hh in enumerate(households):
        text = base.text if hh == 1422 else base.set("commune.households", hh).text
        p = folder / f"r{i}.txt"
        p.write_text(text, encoding="utf-8")
        out.append(p)
    return out


# ---- folders -------------------------------------------------------------------------------------

def test_item12_audit_accepts_a_folder_recursively(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    top = tmp_path / "reports"
    (top / "2024" / "q4").mkdir(parents=True)
    shutil.copy(SAMPLE, top / "a.txt")
    shutil.copy(SAMPLE.with_suffix(".docx"), top / "2024" / "q4" / "b.docx")
    (top / "notes.json").write_text("{}", encoding="utf-8")  # not a report: left out
    (top / ".hidden.txt").write_text("x", encoding="utf-8")
    assert main(["audit", str(top), "--format", "json"]) == 1
    cap = capsys.readouterr()
    found = json.loads(cap.out)
    files = sorted({f["file"] for f in found})
    assert files == [str(top / "2024" / "q4" / "b.docx"), str(top / "a.txt")]
    assert sorted(f["code"] for f in found if f["file"] == str(top / "a.txt")) == SAMPLE_CODES
    # the same findings as naming the files
    assert main(["audit", str(top / "2024" / "q4" / "b.docx"), str(top / "a.txt"), "--format", "json"]) == 1
    assert sorted(json.dumps(f, sort_keys=True) for f in json.loads(capsys.readouterr().out)) == sorted(
        json.dumps(f, sort_keys=True) for f in found)


def test_item12_an_empty_folder_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "x.json").write_text("{}", encoding="utf-8")
    assert main(["audit", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert f"bcparse: error: {tmp_path}: no reports (.txt, .docx, .doc, .pdf, .md, or scans: .png, .jpg, .jpeg, .tif, .tiff) in this folder" in err


def test_item12_a_folder_does_not_follow_links_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.copy(SAMPLE, outside / "secret.txt")
    top = tmp_path / "top"
    top.mkdir()
    shutil.copy(SAMPLE, top / "a.txt")
    (top / "link.txt").symlink_to(outside / "secret.txt")
    (top / "sub").symlink_to(outside, target_is_directory=True)
    assert main(["audit", str(top), "--format", "json"]) == 1
    assert {f["file"] for f in json.loads(capsys.readouterr().out)} == {str(top / "a.txt")}


# ---- the summary line ----------------------------------------------------------------------------

def test_item12_summary_on_stderr_text_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", str(SAMPLE)]) == 1
    cap = capsys.readouterr()
    assert len(cap.out.splitlines()) == 4 and "audited" not in cap.out
    assert cap.err.strip() == "audited 1 file: 4 findings (BC102 1, BC201 1, BC301 1, BC302 1)"
    assert main(["audit", str(SAMPLE), "--format", "json"]) == 1
    cap = capsys.readouterr()
    assert isinstance(json.loads(cap.out), list)  # stdout stays the JSON list
    assert cap.err.strip() == "audited 1 file: 4 findings (BC102 1, BC201 1, BC301 1, BC302 1)"
    assert main(["audit", str(SAMPLE), "--select", "BC9"]) == 2  # an unknown code: an error, not a summary
    capsys.readouterr()
    assert main(["audit", str(SAMPLE), "--select", "BC4"]) == 0
    assert capsys.readouterr().err.strip() == "audited 1 file: 0 findings"
    assert main(["audit", str(SAMPLE), "-q"]) == 1
    assert capsys.readouterr().err == ""


# ---- BC401 grouped per commune and period --------------------------------------------------------

def test_item12_bc401_one_finding_per_key_and_group(tmp_path: Path) -> None:
    # r4 is r1 again (the same document twice: counted once)
    paths = _variants(tmp_path, [1422, 1500, 1600, 1450, 1500])
    reports = []
    for p in paths:
        r = bcparse.parse(p)
        r.source = str(p)
        reports.append(r)
    found = [f for f in audit_across(reports) if f.code == "BC401"]
    # pairwise, 6 differing pairs of 4 documents; grouped: one finding for the one key that differs
    assert len(found) == 1
    [f] = found
    assert f.keys == ["commune.households"] * 4
    assert (f.file, f.line, f.col) == (str(paths[1]), 15, 120)  # the first report that differs from the first
    assert f.values == [1500, 1422, 1600, 1450]
    assert [(r.file, r.line, r.col, r.value) for r in f.related] == [
        (str(paths[0]), 15, 120, 1422), (str(paths[2]), 15, 120, 1600), (str(paths[3]), 15, 120, 1450)]
    assert f.message == (f"commune.households differs between 4 reports of the same commune for the same period: "
                         f"1422 in {paths[0]}:15; 1500 here; 1600 in {paths[2]}:15; 1450 in {paths[3]}:15")


def test_item12_bc401_two_reports_keep_the_pairwise_message(tmp_path: Path) -> None:
    a, b = _variants(tmp_path, [1422, 1450])
    ra, rb = bcparse.parse(a), bcparse.parse(b)
    ra.source, rb.source = str(a), str(b)
    [f] = [f for f in audit_across([ra, rb]) if f.code == "BC401"]
    assert f.message == (f"commune.households = 1450 here but 1422 in {a}:15, a report of the same commune "
                         f"for the same period")
    assert f.values == [1450, 1422] and f.file == str(b)


def test_item12_bc401_count_grows_with_keys_not_with_pairs(tmp_path: Path) -> None:
    """12 reports each with another value: 66 pairs, one finding."""
    paths = _variants(tmp_path, [1422 + 10 * i for i in range(12)])
    reps = []
    for p in paths:
        r = bcparse.parse(p)
        r.source = str(p)
        reps.append(r)
    found = [f for f in audit_across(reps) if f.code == "BC401"]
    assert len(found) == 1 and len(found[0].values) == 12
    assert "8 other values (all of them in values and related)" in found[0].message


def test_item12_the_same_document_in_two_formats_is_not_a_group(tmp_path: Path) -> None:
    found = bcparse.audit.audit(SAMPLE, SAMPLE.with_suffix(".docx"), SAMPLE.with_suffix(".pdf"), select="BC4")
    assert found == []


# ---- audit --db: what it checks, and both kinds of findings ---------------------------------------

def test_item12_audit_db_shows_stored_and_across_findings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, b = _variants(tmp_path / "in", [1422, 1500])
    db = tmp_path / "t.db"
    assert main(["import", str(a), str(b), "--db", str(db), "--jobs", "1"]) == 0
    capsys.readouterr()

    def run(*extra: str) -> tuple[int, list[dict[str, object]], str]:
        code = main(["audit", "--db", str(db), "--format", "json", *extra])
        cap = capsys.readouterr()
        return code, json.loads(cap.out), cap.err

    code, found, err = run()  # default: all
    assert code == 1
    assert sorted(f["code"] for f in found) == sorted(SAMPLE_CODES * 2 + ["BC401"])
    assert err.strip() == ("database: 2 stored reports, the per-report findings stored at import and the "
                           "cross-report checks (BC4xx): 9 findings (BC102 2, BC201 2, BC301 2, BC302 2, BC401 1)")
    code, found, err = run("--scope", "reports")
    assert code == 1 and sorted(f["code"] for f in found) == sorted(SAMPLE_CODES * 2)
    assert {f["file"] for f in found} == {str(a), str(b)}
    assert "the per-report findings stored at import:" in err
    code, found, err = run("--scope", "across")
    assert code == 1 and [f["code"] for f in found] == ["BC401"]
    assert "the cross-report checks (BC4xx): 1 finding (BC401 1)" in err
    code, found, _ = run("--scope", "all", "--ignore", "BC1,BC2,BC3")
    assert [f["code"] for f in found] == ["BC401"]


def test_item12_audit_db_help_says_what_it_checks(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["audit", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "--scope {reports,across,all}" in out
    assert "--scope reports prints the per-report findings stored by `bcparse import`" in out
    assert "folders of them (searched recursively)" in out


# ---- item 14 (audit doc): docs/audit.md matches what the code prints ------------------------------

def test_item14_audit_doc_sample_block_is_the_real_output(capsys: pytest.CaptureFixture[str]) -> None:
    doc = (ROOT / "docs" / "audit.md").read_text(encoding="utf-8")
    block = doc.split("    $ bcparse audit samples/binh-thanh-doi-ngoai-2024.txt\n", 1)[1].split("    $ echo $?", 1)[0]
    lines = [ln[4:] for ln in block.splitlines()]
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        assert main(["audit", "samples/binh-thanh-doi-ngoai-2024.txt"]) == 1
    finally:
        os.chdir(cwd)
    cap = capsys.readouterr()
    assert lines == cap.out.splitlines() + cap.err.splitlines()


def test_item14_positions_are_per_format_the_rest_is_the_same() -> None:
    """docs/audit.md: BC102 at 71:3 (.txt), 72:3 (.docx), 70:3 (.pdf); code, keys, values alike."""
    doc = " ".join((ROOT / "docs" / "audit.md").read_text(encoding="utf-8").split())
    assert "the same for a .txt, .docx or .pdf" not in doc
    got = {}
    for ext in ("txt", "docx", "pdf"):
        [f] = bcparse.audit.audit(SAMPLE.with_suffix("." + ext), select="BC102")
        got[ext] = (f.line, f.col)
        assert (f.code, f.keys, f.values) == ("BC102", ["delegations.central", "delegations.central.listed"], [6, 7])
        assert f"{f.line}:{f.col} in the .{ext}" in doc
    assert got == {"txt": (71, 3), "docx": (72, 3), "pdf": (70, 3)}


def test_item14_audit_doc_json_example_is_the_real_finding() -> None:
    doc = (ROOT / "docs" / "audit.md").read_text(encoding="utf-8")
    [f] = bcparse.audit.audit(SAMPLE, select="BC102")
    assert f'"related": [{{"file": "report.txt", "line": {f.related[0].line}, "col": {f.related[0].col},' in doc
    assert "'06 đoàn' states 6 but 7 are listed" in f.message and "'06 đoàn' states 6 but 7 are listed" in doc
