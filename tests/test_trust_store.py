"""Issue 11, the database import: items 2, 4, 18 (import), 21 (database URLs) and 23.

Each test runs on SQLite, and on PostgreSQL when BCPARSE_TEST_PG_URL is set (.ci/postgres.sh).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from test_store import SAMPLE, SAMPLES, assert_consistent, built_report, db, rows  # noqa: F401

from bcparse.cli import main
from bcparse.errors import DatabaseError, InputError
from bcparse.models import Report
from bcparse.store import load_reports, open_db, store_report
from bcparse.store.db import display_url, normalize_url
from bcparse.store.importer import collect_files, import_paths

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "tests" / "data" / "real"


# ---- item 2: --jobs 2 stores what --jobs 1 stores ------------------------------------------------

def twenty_files(folder: Path) -> list[Path]:
    """The samples (.txt, .docx, .pdf), the real texts of tests/data/real, and variants: ~20 files."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    srcs = sorted(p for p in SAMPLES.iterdir() if p.suffix in {".txt", ".docx", ".pdf"})
    srcs += sorted(REAL.glob("*.txt"))
    for p in srcs:
        out.append(folder / p.name)
        shutil.copyfile(p, out[-1])
    for i, p in enumerate(sorted(REAL.glob("*.txt"))[:5]):  # the same texts, other bytes
        out.append(folder / f"variant-{i}.txt")
        out[-1].write_bytes(p.read_bytes() + b"\n" * (i + 1))
    return out


TIMESTAMPS = {"imported_at", "created_at", "first_seen_at", "last_seen_at", "applied_at"}


def table_dump(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, ids replaced by what they stand for, timestamps left out; sorted."""
    engine = open_db(url)
    try:
        with engine.connect() as c:
            md = sa.MetaData()
            md.reflect(c)
            report_key = dict(c.execute(sa.text("SELECT id, content_hash FROM reports")).all())
            figure_key = {i: (report_key[r], x) for i, r, x in c.execute(sa.text("SELECT id, report_id, idx FROM figures"))}
            finding_key: dict[int, tuple[Any, ...]] = {}
            out: dict[str, list[tuple[Any, ...]]] = {}
            for name in ["reports", "sections", "figures", "findings", "report_paths", "finding_figures"]:
                t = md.tables[name]
                dumped = []
                for row in c.execute(sa.select(t)).mappings():
                    vals: list[Any] = []
                    for col, v in row.items():
                        if col in TIMESTAMPS or col == "id":
                            continue
                        if col == "report_id":
                            v = report_key.get(v)
                        elif col == "figure_id":
                            v = figure_key[v]
                        elif col == "finding_id":
                            v = finding_key[v]
                        vals.append(repr(v))
                    dumped.append(tuple(vals))
                    if name == "findings":
                        finding_key[row["id"]] = tuple(vals)
                out[name] = sorted(dumped)
            return out
    finally:
        engine.dispose()


@pytest.mark.parametrize("jobs", [2, 0])
def test_item2_jobs_n_stores_the_same_rows_as_jobs_1(tmp_path: Path, jobs: int,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    files = twenty_files(tmp_path / "in")
    assert len(files) >= 19
    one, many = tmp_path / "one.db", tmp_path / "many.db"
    assert main(["import", str(tmp_path / "in"), "--db", str(one), "--jobs", "1"]) == 0
    assert main(["import", str(tmp_path / "in"), "--db", str(many), "--jobs", str(jobs)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"imported {len(files)}, unchanged 0, failed 0")
    assert out[1].startswith(f"imported {len(files)}, unchanged 0, failed 0")
    a, b = table_dump(f"sqlite:///{one}"), table_dump(f"sqlite:///{many}")
    assert len(a["reports"]) == len(files)
    assert len(a["findings"]) >= 10  # the samples' and real texts' audit findings, stored
    assert len(a["finding_figures"]) > 0
    for table in a:
        assert a[table] == b[table], table


# ---- item 4: a failed file stays failed; a report records every path ------------------------------

def test_item4_a_failed_file_is_failed_every_time_and_paths_are_recorded(db: str, tmp_path: Path,  # noqa: F811
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    data = SAMPLE.read_bytes()
    for name in ["a.txt", "copy.txt", "same-bytes.pdf"]:  # the .pdf: a text, refused as a PDF
        (folder / name).write_bytes(data)
    for run in range(3):
        assert main(["import", str(folder), "--db", db]) == 1
        out = capsys.readouterr().out
        first = "imported 1, unchanged 1, failed 1" if run == 0 else "imported 0, unchanged 2, failed 1"
        assert out.startswith(first), (run, out)
        assert f"failed: {folder / 'same-bytes.pdf'}: " in out
    # one report, seen at two paths; a third path later on is recorded too
    other = tmp_path / "elsewhere" / "again.txt"
    other.parent.mkdir()
    other.write_bytes(data)
    result = import_paths([other], db, progress=False)
    assert (result.imported, result.unchanged, result.failed) == ([], [str(other)], [])
    assert rows(db, "SELECT COUNT(*) FROM reports") == [(1,)]
    assert sorted(p for (p,) in rows(db, "SELECT path FROM report_paths")) == sorted(
        [str(folder / "a.txt"), str(folder / "copy.txt"), str(other)])
    # --replace keeps the paths
    again = import_paths([folder / "a.txt"], db, progress=False, replace=True)
    assert again.replaced == [str(folder / "a.txt")]
    assert len(rows(db, "SELECT path FROM report_paths")) == 3
    assert_consistent(db)


# ---- item 18: folders hold only regular files, links stay inside ------------------------------------

def test_item18_import_of_a_folder_skips_links_out_fifos_and_says_so(db: str, tmp_path: Path) -> None:  # noqa: F811
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    shutil.copyfile(SAMPLE, folder / "good.txt")
    outside = tmp_path / "outside.txt"
    shutil.copyfile(ROOT / "samples" / "tan-lap-ktxh-2023.txt", outside)
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    (folder / "out.txt").symlink_to(outside)
    (folder / "sub" / "in.txt").symlink_to(folder / "good.txt")  # inside: the same file, once
    os.mkfifo(folder / "pipe.txt")
    (folder / "unpacked.docx" / "word").mkdir(parents=True)
    (folder / "unpacked.docx" / "word" / "document.xml").write_text("<w:document/>")
    # a subprocess, so that a hang is a failure, not a stuck test run
    proc = subprocess.run([sys.executable, "-m", "bcparse", "import", str(folder), "--db", db],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 1, proc.stderr
    out = proc.stdout
    assert out.startswith("imported 1, unchanged 0, failed 4"), out
    assert f"failed: {folder / 'passwd.txt'}: a symbolic link out of the folder (to /etc/passwd): not followed" in out
    assert f"failed: {folder / 'out.txt'}: a symbolic link out of the folder (to {outside})" in out
    assert f"failed: {folder / 'pipe.txt'}: a named pipe (FIFO), not a report file: not read" in out
    assert f"failed: {folder / 'unpacked.docx'}: a folder, not a .docx file (no report in it)" in out
    assert rows(db, "SELECT source_path FROM reports") == [(str(folder / "good.txt"),)]
    # given by name: a pipe is refused too, a folder named x.docx is reported
    files, refused = collect_files([folder / "pipe.txt", folder / "unpacked.docx"])
    assert files == []
    assert refused == [(str(folder / "pipe.txt"), "a named pipe (FIFO), not a report file: not read"),
                       (str(folder / "unpacked.docx"), "a folder, not a .docx file (no report in it)")]


# ---- item 21: database URLs ------------------------------------------------------------------------

def test_item21_database_url_errors_are_one_line_and_mask_passwords(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(DatabaseError, match=r"the port 'abc' is not a number"):
        normalize_url("postgresql://u@localhost:abc/bc")
    assert main(["import", str(SAMPLE), "--db", "postgresql://u@localhost:abc/bc"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "bug" not in err and "port 'abc' is not a number" in err
    for url in ["postgresql://u@h/bc?password=s3cret", "postgresql://u:s3cret@h:1/bc?sslpassword=s3cret&x=1"]:
        shown = display_url(normalize_url(url))
        assert "s3cret" not in shown and "***" in shown
    with pytest.raises(DatabaseError) as e:
        normalize_url("postgresql://u:s3cret@h:x/bc?password=s3cret")
    assert "s3cret" not in str(e.value)
    for url in ["sqlite://", "sqlite:///:memory:"]:
        assert main(["import", str(SAMPLE), "--db", url]) == 2
        cap = capsys.readouterr()
        assert cap.out == ""
        assert "would import into memory and lose everything" in cap.err


# ---- item 23: concurrent --replace, NUL, workers outliving a killed import -------------------------

def test_item23_four_concurrent_replace_imports_all_succeed(db: str, tmp_path: Path) -> None:  # noqa: F811
    files = twenty_files(tmp_path / "in")[:8]
    assert import_paths(files, db, progress=False).failed == []
    procs = [subprocess.Popen([sys.executable, "-m", "bcparse", "import", "--replace", *map(str, files[i % 2::1]),
                               "--db", db], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for i in range(4)]
    outs = [p.communicate(timeout=600) for p in procs]
    for p, (out, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, (out, err)
        assert "failed 0" in out.splitlines()[0] and "duplicate key" not in out + err
    assert rows(db, "SELECT COUNT(*) FROM reports") == [(len(files),)]
    assert_consistent(db)


def nul_file(tmp_path: Path) -> Path:
    data = SAMPLE.read_bytes()
    assert len(data) > 8000
    p = tmp_path / "nul.txt"
    p.write_bytes(data[:6000] + b"\x00" + data[6000:])  # past the first 4 KB the sniffer looks at
    return p


def test_item23_a_nul_byte_is_refused_alike_on_both_databases(db: str, tmp_path: Path,  # noqa: F811
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    p = nul_file(tmp_path)
    assert main(["figures", str(p)]) == 2
    assert "the file holds a NUL byte (line" in capsys.readouterr().err
    result = import_paths([p], db, progress=False)
    assert result.imported == [] and len(result.failed) == 1
    assert "NUL byte" in result.failed[0][1] and "database refused" not in result.failed[0][1]
    # a Report built in code: refused before the database sees it, on SQLite as on PostgreSQL
    r = built_report()
    bad = Report.model_validate({**r.model_dump(), "text": r.text + "\x00"})
    with pytest.raises(InputError, match="NUL character"):
        store_report(bad, db)
    d = r.model_dump()
    fkey = "figures" if "figures" in d else next(k for k in d if "figure" in k)
    d[fkey][0]["raw"] = "1.422\x00 hộ"
    bad2 = Report.model_validate(d)
    with pytest.raises(InputError, match="NUL character"):
        store_report(bad2, db)
    assert rows(db, "SELECT COUNT(*) FROM reports") == [(0,)]


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                stat = Path(f"/proc/{d}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(stat[1]), []).append(int(d))
    out, todo = [], [pid]
    while todo:
        for c in children.get(todo.pop(), []):
            out.append(c)
            todo.append(c)
    return out


def _running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_item23_workers_exit_when_the_import_is_killed(tmp_path: Path) -> None:
    files = twenty_files(tmp_path / "in")
    env = {**os.environ, "BCPARSE_TEST_IMPORT_PAUSE": "1:600", "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "bcparse", "import", "--jobs", "2", "--batch", "1", *map(str, files),
                             "--db", str(tmp_path / "bc.db")], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    workers: list[int] = []
    try:
        assert proc.stderr is not None
        seen = ""
        while "paused inside transaction 1" not in seen:  # workers started, the main process pauses
            line = proc.stderr.readline()
            assert line or proc.poll() is None, seen
            seen += line
        workers = _descendants(proc.pid)
        assert len(workers) >= 2, workers  # the forkserver and its workers
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        # they exit within about a second; the margin is for a busy machine
        deadline = time.monotonic() + 120
        while any(_running(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert [w for w in workers if _running(w)] == []
    finally:
        for w in workers:
            if _running(w):
                os.kill(w, signal.SIGKILL)
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if proc.stderr is not None:
            proc.stderr.close()


def test_item2_store_report_and_load_agree_with_the_import(db: str, tmp_path: Path) -> None:  # noqa: F811
    """The importer's findings are the same whatever process audits: here the library path."""
    files = twenty_files(tmp_path / "in")[:3]
    result = import_paths(files, db, jobs=2, progress=False)
    assert result.failed == [] and len(result.imported) == 3
    n = rows(db, "SELECT COUNT(*) FROM findings WHERE scope = 'report'")[0][0]
    assert n > 0
    assert len(load_reports(db)) == 3


def test_sqlite_switches_to_wal_while_another_connection_holds_a_lock(tmp_path: Path) -> None:
    """SQLite refuses "PRAGMA journal_mode = WAL" at once, busy timeout or not, while another
    connection holds a lock (two imports starting on the same new file): opening waits instead of
    failing with "database is locked"."""
    import sqlite3
    import threading

    from bcparse.store.db import create_engine

    path = tmp_path / "bc.db"
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN IMMEDIATE")  # a rollback-journal file, a writer in it
    holder.execute("INSERT INTO t VALUES (1)")
    threading.Timer(0.5, holder.rollback).start()
    engine = create_engine(f"sqlite:///{path}", create=True)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    engine.dispose()
    holder.close()
