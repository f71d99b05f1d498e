"""Issue 11, what goes in and out of the CLI (bcparse.fileio): items 8, 9, 10, 18, 19, 21, 22."""

from __future__ import annotations

import codecs
import json
import os
import pty
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import bcparse
from bcparse import fileio
from bcparse.cli import main
from bcparse.errors import (
    EmptyInputError,
    EncodingError,
    GrammarError,
    InputError,
    InputTooLargeError,
    OutputError,
    UnsupportedFormatError,
)

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "binh-thanh-doi-ngoai-2024.txt"
SAMPLE_PDF = ROOT / "samples" / "binh-thanh-doi-ngoai-2024.pdf"


def cli(*args: str, env: dict[str, str] | None = None, stdin: bytes | None = None, timeout: float = 120,
        **kw: object) -> subprocess.CompletedProcess[bytes]:
    """``bcparse ARGS`` in a child process; stdout and stderr as bytes."""
    full = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "bcparse", *args], capture_output=True, env=full,
                          input=stdin if stdin is not None else b"", timeout=timeout, **kw)  # type: ignore[call-overload]


def one_error_line(proc: subprocess.CompletedProcess[bytes]) -> str:
    assert proc.returncode == 2, proc.stderr
    err = proc.stderr.decode("utf-8")
    # `audit` closes with its summary line ("audited N files: …"), which is not an error line
    lines = [ln for ln in err.rstrip("\n").split("\n") if not ln.startswith("audited ")]
    assert len(lines) == 1 and lines[0].startswith("bcparse: error: "), err
    assert "unexpected" not in err and "Traceback" not in err and "\x1b" not in err
    return lines[0]


# ---- item 8: output never fails on the stream's encoding ------------------------------------

@pytest.mark.parametrize("encoding", ["ascii", "latin-1", "cp1258", "cp1252"])
def test_item8_output_to_a_stream_that_cannot_hold_vietnamese(encoding: str, tmp_path: Path) -> None:
    proc = cli("figures", str(SAMPLE), env={"PYTHONIOENCODING": encoding})
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.decode("utf-8")  # UTF-8 bytes, whatever the stream said
    assert "1.422 hộ" in out
    # an error message holding Vietnamese goes out too, on stderr
    missing = tmp_path / "Báo cáo tổng kết.txt"
    proc = cli("figures", str(missing), env={"PYTHONIOENCODING": encoding})
    line = one_error_line(proc)
    assert "Báo cáo tổng kết.txt: no such file" in line


def test_item8_render_text_to_an_ascii_stream() -> None:
    proc = cli("render", str(SAMPLE), env={"PYTHONIOENCODING": "ascii"})
    assert proc.returncode == 0, proc.stderr
    assert "ỦY BAN NHÂN DÂN" in proc.stdout.decode("utf-8")


# ---- item 9: -o errors, permissions, formats --------------------------------------------------

def test_item9_output_into_a_missing_folder_or_onto_a_folder(tmp_path: Path) -> None:
    line = one_error_line(cli("figures", str(SAMPLE), "-o", str(tmp_path / "nope" / "f.txt")))
    assert "the folder" in line and "does not exist" in line
    line = one_error_line(cli("figures", str(SAMPLE), "-o", str(tmp_path)))
    assert "is a folder" in line
    assert os.listdir(tmp_path) == []


def test_item9_new_files_follow_the_umask_and_replaced_files_keep_their_mode(tmp_path: Path) -> None:
    out = tmp_path / "figures.txt"
    old = os.umask(0o022)
    try:
        assert main(["figures", str(SAMPLE), "-o", str(out)]) == 0
        assert stat.S_IMODE(out.stat().st_mode) == 0o644
        os.chmod(out, 0o640)
        assert main(["figures", str(SAMPLE), "--json", "-o", str(out)]) == 0
        assert stat.S_IMODE(out.stat().st_mode) == 0o640
        assert json.loads(out.read_text(encoding="utf-8"))["grammar"] == "doi_ngoai"
        # render --in-place of a 0644 source keeps 0644
        src = tmp_path / "report.txt"
        src.write_bytes(SAMPLE.read_bytes())
        os.chmod(src, 0o644)
        assert main(["render", str(src), "--set", "commune.households=1430", "-o", str(src), "--in-place"]) == 0
        assert stat.S_IMODE(src.stat().st_mode) == 0o644
        assert "1.430 hộ" in src.read_text(encoding="utf-8")
    finally:
        os.umask(old)
    assert sorted(os.listdir(tmp_path)) == ["figures.txt", "report.txt"]  # no temporary file left


def test_item9_binary_names_refused_for_text_output(tmp_path: Path) -> None:
    line = one_error_line(cli("figures", str(SAMPLE), "-o", str(tmp_path / "out.pdf")))
    assert "writes text" in line and ".pdf" in line
    line = one_error_line(cli("render", str(SAMPLE), "-o", str(tmp_path / "out.pdf")))
    assert "does not write PDF" in line
    line = one_error_line(cli("render", str(SAMPLE), "--format", "docx", "-o", str(tmp_path / "out.txt")))
    assert "name the output .docx" in line
    line = one_error_line(cli("render", str(SAMPLE), "--format", "text", "-o", str(tmp_path / "out.docx")))
    assert "--format text writes text" in line
    assert os.listdir(tmp_path) == []
    # -o x.docx still implies docx
    assert cli("render", str(SAMPLE), "-o", str(tmp_path / "out.docx")).returncode == 0
    assert (tmp_path / "out.docx").read_bytes()[:4] == b"PK\x03\x04"


def test_item9_docx_is_not_dumped_on_a_terminal(tmp_path: Path) -> None:
    leader, follower = pty.openpty()
    try:
        proc = subprocess.run([sys.executable, "-m", "bcparse", "render", str(SAMPLE), "--format", "docx"],
                              stdout=follower, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, timeout=120)
    finally:
        os.close(follower)
        os.close(leader)
    assert proc.returncode == 2
    err = proc.stderr.decode()
    assert "binary output not written to a terminal: give -o FILE.docx or redirect" in err
    # to a file (redirected stdout) it is written
    target = tmp_path / "r.docx"
    with target.open("wb") as f:
        proc = subprocess.run([sys.executable, "-m", "bcparse", "render", str(SAMPLE), "--format", "docx"],
                              stdout=f, stderr=subprocess.PIPE, timeout=120)
    assert proc.returncode == 0 and target.read_bytes()[:4] == b"PK\x03\x04"


# ---- item 10: UTF-16 without BOM, extensions ----------------------------------------------

@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_item10_utf16_without_bom_is_read(codec: str, tmp_path: Path) -> None:
    p = tmp_path / "report.txt"
    p.write_bytes(SAMPLE.read_text(encoding="utf-8").encode(codec))
    assert not p.read_bytes().startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    r = bcparse.parse(p)
    assert r.value("commune.households") == 1422
    assert [f.raw for f in r.figures()] == [f.raw for f in bcparse.parse(SAMPLE).figures()]


def test_item10_binary_with_nuls_is_still_binary(tmp_path: Path) -> None:
    p = tmp_path / "x.txt"
    p.write_bytes(bytes(range(256)) * 20)
    with pytest.raises(UnsupportedFormatError, match="binary"):
        bcparse.read(p)


@pytest.mark.parametrize("name", ["report.json", "notes.html", "data.csv", "a.xml"])
def test_item10_other_extensions_are_refused_naming_the_accepted_ones(name: str, tmp_path: Path) -> None:
    p = tmp_path / name
    p.write_bytes(SAMPLE.read_bytes())
    with pytest.raises(UnsupportedFormatError, match=r"\.txt, \.md, \.docx, \.doc or \.pdf") as e:
        bcparse.parse(p)
    assert "--input-format" in str(e.value)
    line = one_error_line(cli("figures", str(p)))
    assert name in line and "--input-format" in line
    # forced: read as text
    proc = cli("figures", str(p), "--json", "--input-format", "text")
    assert proc.returncode == 0, proc.stderr
    assert any(f["raw"] == "1.422 hộ" for f in json.loads(proc.stdout)["figures"])


def test_item10_md_and_extensionless_are_read(tmp_path: Path) -> None:
    for name in ("report.md", "report", "báo cáo v1.2"):
        p = tmp_path / name
        p.write_bytes(SAMPLE.read_bytes())
        assert bcparse.parse(p).value("commune.households") == 1422


def test_item10_forced_format_must_match_the_content(tmp_path: Path) -> None:
    p = tmp_path / "report.bin"
    p.write_bytes(SAMPLE.read_bytes())
    line = one_error_line(cli("figures", str(p), "--input-format", "pdf"))
    assert "read as .pdf but holds plain text" in line


def test_item10_render_still_takes_a_report_json(tmp_path: Path) -> None:
    js = tmp_path / "r.json"
    proc = cli("parse", str(SAMPLE), "--json", "-o", str(js))
    assert proc.returncode == 0, proc.stderr
    proc = cli("render", str(js), "--set", "commune.households=1430")
    assert proc.returncode == 0, proc.stderr
    assert "1.430 hộ" in proc.stdout.decode()


# ---- item 18: only regular files (or - for stdin) are read ------------------------------------

def test_item18_fifo_is_refused_without_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "p.txt"
    os.mkfifo(fifo)
    for cmd in (["figures"], ["render"], ["audit"], ["text"]):
        line = one_error_line(cli(*cmd, str(fifo), timeout=60))
        assert "is a named pipe (FIFO), not a regular file" in line


def test_item18_device_is_refused() -> None:
    line = one_error_line(cli("figures", "/dev/zero", timeout=60))
    assert "/dev/zero: is a device, not a regular file" in line
    with pytest.raises(InputError, match="device"):
        bcparse.parse("/dev/zero")


def test_item18_stdin_is_read_within_the_limit() -> None:
    proc = cli("figures", "-", "--json", stdin=SAMPLE.read_bytes())
    assert proc.returncode == 0, proc.stderr
    assert any(f["raw"] == "1.422 hộ" for f in json.loads(proc.stdout)["figures"])
    # over the limit: stopped while reading, one line
    line = one_error_line(cli("figures", "-", stdin=b"12 h\xe1\xbb\x99\n" * 10_000,
                              env={"BCPARSE_MAX_INPUT_BYTES": "5000"}))
    assert "<stdin>: the standard input goes past the limit of 5,000 bytes (set BCPARSE_MAX_INPUT_BYTES)" in line


def test_item18_limit_enforced_while_reading(tmp_path: Path) -> None:
    p = tmp_path / "big.txt"
    p.write_bytes(b"x" * 3000)
    with pytest.raises(InputTooLargeError, match="is 3,000 bytes, over the limit of 1,000 bytes"):
        fileio.read_input(p, limit=1000)
    # a file that grows after the size check is still cut at the limit
    assert fileio._read_limited(os.open(p, os.O_RDONLY), 5000, "big.txt", "file") == b"x" * 3000
    fd = os.open(p, os.O_RDONLY)
    try:
        with pytest.raises(InputTooLargeError):
            fileio._read_limited(fd, 1000, "big.txt", "file")
    finally:
        os.close(fd)


# ---- item 19: -o writes only regular files ----------------------------------------------------

def test_item19_output_onto_a_fifo_is_refused_and_left_alone(tmp_path: Path) -> None:
    fifo = tmp_path / "out.txt"
    os.mkfifo(fifo)
    line = one_error_line(cli("figures", str(SAMPLE), "-o", str(fifo), timeout=60))
    assert "is a named pipe (FIFO): bcparse writes only regular files" in line
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    with pytest.raises(OutputError, match="device"):
        fileio.write_output("/dev/null", "x")
    assert stat.S_ISCHR(os.lstat("/dev/null").st_mode)


def test_item19_symlink_is_followed(tmp_path: Path) -> None:
    real = tmp_path / "real.txt"
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    assert main(["figures", str(SAMPLE), "-o", str(link)]) == 0
    assert link.is_symlink() and "1.422 hộ" in real.read_text(encoding="utf-8")
    dangling = tmp_path / "dangling.txt"
    dangling.symlink_to(tmp_path / "missing.txt")
    with pytest.raises(OutputError, match="symbolic link to a missing file"):
        fileio.write_output(str(dangling), "x")


def test_item19_output_equal_to_input_needs_in_place(tmp_path: Path) -> None:
    src = tmp_path / "report.txt"
    src.write_bytes(SAMPLE.read_bytes())
    line = one_error_line(cli("render", str(src), "--set", "commune.households=1430", "-o", str(src)))
    assert "is the input file" in line and "--in-place" in line
    line = one_error_line(cli("figures", str(src), "-o", str(src)))
    assert "is the input file: give another -o (bcparse never replaces its input)" in line
    # through another name (a symlink) too
    (tmp_path / "alias.txt").symlink_to(src)
    one_error_line(cli("render", str(src), "-o", str(tmp_path / "alias.txt")))
    assert src.read_bytes() == SAMPLE.read_bytes()
    proc = cli("render", str(src), "--set", "commune.households=1430", "-o", str(src), "--in-place")
    assert proc.returncode == 0, proc.stderr
    assert "1.430 hộ" in src.read_text(encoding="utf-8")


def test_item19_temporary_file_removed_on_failure_and_stale_ones_cleaned(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out.txt"
    out.write_text("before\n", encoding="utf-8")

    def boom(*_: object) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as m:
        m.setattr(os, "replace", boom)
        with pytest.raises(OutputError, match="no space left"):
            fileio.write_output(str(out), "after\n")
    assert os.listdir(tmp_path) == ["out.txt"] and out.read_text(encoding="utf-8") == "before\n"
    # a temp left by a killed run (its process gone) is removed by the next write to the same file
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True).stdout.strip()
    stale = tmp_path / f".out.txt.bcparse-{dead}-0badf00d.tmp"
    stale.write_text("half", encoding="utf-8")
    live = tmp_path / f".out.txt.bcparse-{os.getppid()}-0badf00d.tmp"  # a live process's: kept
    live.write_text("busy", encoding="utf-8")
    fileio.write_output(str(out), "after\n")
    assert sorted(os.listdir(tmp_path)) == sorted(["out.txt", live.name])
    assert out.read_text(encoding="utf-8") == "after\n"


# ---- item 21: errors ---------------------------------------------------------------------------

def test_item21_file_names_with_newlines_and_escapes_are_quoted(tmp_path: Path) -> None:
    name = tmp_path / "a\nb\x1b[31mred.txt"
    line = one_error_line(cli("figures", str(name)))
    assert "\\n" in line and "\\x1b[31m" in line and "no such file" in line
    name.write_bytes(b"")
    line = one_error_line(cli("figures", str(name)))
    assert "\\x1b[31mred.txt'" in line and "the file is empty" in line


def test_item21_extends_cycle_is_a_grammar_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bcparse import grammar

    for gid, parent in (("alpha", "beta"), ("beta", "alpha")):
        (tmp_path / f"{gid}.yaml").write_text(
            f"id: {gid}\ntitle: {gid}\nextends: [{parent}]\nmatch:\n  priority: 1\nfigures: []\n", encoding="utf-8")
    monkeypatch.setenv("BCPARSE_GRAMMARS", str(tmp_path))
    grammar._load.cache_clear()
    try:
        with pytest.raises(GrammarError, match=r"cycle \((alpha -> beta -> alpha|beta -> alpha -> beta)\)"):
            grammar.load_grammars()
        line = one_error_line(cli("grammars", env={"BCPARSE_GRAMMARS": str(tmp_path)}))
        assert "cycle" in line
    finally:
        monkeypatch.delenv("BCPARSE_GRAMMARS")
        grammar._load.cache_clear()


@pytest.mark.parametrize("content", [codecs.BOM_UTF8, codecs.BOM_UTF8 + b" \r\n", codecs.BOM_UTF16_LE,
                                     codecs.BOM_UTF16_LE + " \n".encode("utf-16-le")])
def test_item21_a_file_holding_only_a_bom_is_empty(content: bytes, tmp_path: Path) -> None:
    p = tmp_path / "bom.txt"
    p.write_bytes(content)
    with pytest.raises(EmptyInputError, match="the file is empty"):
        bcparse.parse(p)


def test_item21_invalid_utf8_is_replaced_with_a_warning(tmp_path: Path) -> None:
    data = SAMPLE.read_bytes()
    lines = data.split(b"\n")
    lines[2] += b"\xff"  # a stray byte at the end of line 3
    lines[5] += b"\xe1\xbb"  # a cut sequence at the end of line 6
    p = tmp_path / "bad.txt"
    p.write_bytes(b"\n".join(lines))
    r = bcparse.parse(p)
    col = len(lines[2].decode("utf-8", "replace"))
    assert r.warnings == [f"2 invalid UTF-8 byte sequences replaced by U+FFFD (the first at line 3, column {col})"]
    assert r.value("commune.households") == 1422
    proc = cli("figures", str(p))
    assert proc.returncode == 0
    assert f"bcparse: warning: {p}: 2 invalid UTF-8 byte sequences" in proc.stderr.decode()
    assert bcparse.parse(SAMPLE).warnings == []


def test_item21_encoding_error_names_the_file(tmp_path: Path) -> None:
    p = tmp_path / "garbled.txt"
    p.write_bytes(bytes(range(0x80, 0x100)) * 40)
    with pytest.raises(EncodingError) as e:
        bcparse.read(p)
    assert str(e.value).startswith(str(p) + ": ")


# ---- item 22: limits on every input --------------------------------------------------------------

def test_item22_render_honours_the_input_limit_for_a_report_json(tmp_path: Path) -> None:
    js = tmp_path / "r.json"
    assert cli("parse", str(SAMPLE), "--json", "-o", str(js)).returncode == 0
    size = js.stat().st_size
    line = one_error_line(cli("render", str(js), env={"BCPARSE_MAX_INPUT_BYTES": str(size // 2)}))
    assert f"the file is {size:,} bytes, over the limit of {size // 2:,} bytes" in line
    assert "BCPARSE_MAX_INPUT_BYTES" in line


def test_item22_pdf_whole_document_time_budget() -> None:
    line = one_error_line(cli("figures", str(SAMPLE_PDF), env={"BCPARSE_PDF_SECONDS_TOTAL": "0.000001"}))
    assert "over the whole-document budget of 1e-06 s (set BCPARSE_PDF_SECONDS_TOTAL)" in line
    assert "of its 10 pages" in line
    assert cli("figures", str(SAMPLE_PDF)).returncode == 0
