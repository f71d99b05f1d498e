"""Issue 17: import at scale — the batched single writer, and the import on a Dask cluster.

The atomicity tests run on SQLite and on PostgreSQL (BCPARSE_TEST_PG_URL, .ci/postgres.sh). The
Dask tests need the ``cluster`` extra (in the test extra) and PostgreSQL; those that start a
LocalCluster are slow (``-m slow``).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from test_store import PG_SKIP, SAMPLE, TXT_TARGETS, assert_consistent, db, rows, variants  # noqa: F401

import bcparse
from bcparse.cli import main
from bcparse.store.db import normalize_url
from bcparse.store.importer import import_paths
from bcparse.store.schema import now
from bcparse.store.writer import FIGURE_COLS, REPORT_COLS, FileInfo, figure_row, report_rows

# ---- the batched writer ---------------------------------------------------------------------------


def _refuse_figures_of(url: str, name: str) -> None:
    """A trigger that makes the database refuse the figures of the report imported from ``name``:
    the report's row and sections are already written when it fires."""
    engine = sa.create_engine(normalize_url(url))
    bcparse.store.open_db(url).dispose()  # the schema
    with engine.begin() as c:
        if engine.dialect.name == "sqlite":
            c.execute(sa.text(f"""
                CREATE TRIGGER refuse BEFORE INSERT ON figures
                WHEN (SELECT source_path FROM reports WHERE id = NEW.report_id) LIKE '%{name}'
                BEGIN SELECT RAISE(ABORT, 'refused by the test trigger'); END"""))
        else:
            c.execute(sa.text(f"""
                CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF (SELECT source_path FROM reports WHERE id = NEW.report_id) LIKE '%{name}' THEN
                    RAISE check_violation USING MESSAGE = 'refused by the test trigger';
                  END IF;
                  RETURN NEW;
                END $$"""))
            c.execute(sa.text("CREATE TRIGGER refuse BEFORE INSERT ON figures FOR EACH ROW EXECUTE FUNCTION refuse()"))
    engine.dispose()


def test_a_report_refused_mid_write_leaves_nothing_and_its_batch_lands(db: str,  # noqa: F811
        tmp_path: Path) -> None:
    """Four reports in one batch transaction; the database refuses the second one's figures after its
    row and sections were inserted: nothing of it stays, the other three are committed."""
    files = variants(tmp_path, 4)
    _refuse_figures_of(db, "/r1.txt")
    result = import_paths(files, db, progress=False)
    assert sorted(result.imported) == sorted(str(f) for f in files if f.name != "r1.txt")
    [(path, why)] = result.failed
    assert path == str(tmp_path / "r1.txt")
    assert why.startswith("the database refused it: ") and "refused by the test trigger" in why
    assert rows(db, "SELECT source_path FROM reports ORDER BY source_path") == [
        (str(tmp_path / n),) for n in ("r0.txt", "r2.txt", "r3.txt")]
    assert rows(db, "SELECT COUNT(*) FROM report_paths WHERE path LIKE '%r1.txt'") == [(0,)]
    assert_consistent(db)
    n_sections = len(bcparse.parse(SAMPLE).sections)
    assert rows(db, "SELECT COUNT(*) FROM sections") == [(3 * n_sections,)]


def test_batches_of_one_and_of_all_store_the_same_rows(tmp_path: Path) -> None:
    files = variants(tmp_path, 5)
    one, many = f"sqlite:///{tmp_path / 'one.db'}", f"sqlite:///{tmp_path / 'many.db'}"
    assert len(import_paths(files, one, batch=1, progress=False).imported) == 5
    assert len(import_paths(files, many, progress=False).imported) == 5
    q = ("SELECT r.source_path, f.idx, f.key, f.value_num, f.raw, f.line, f.col FROM figures f "
         "JOIN reports r ON r.id = f.report_id ORDER BY 1, 2")
    assert rows(one, q) == rows(many, q)
    q = ("SELECT r.source_path, fi.code, fi.line, COUNT(ff.figure_id) FROM findings fi JOIN reports r "
         "ON r.id = fi.report_id LEFT JOIN finding_figures ff ON ff.finding_id = fi.id GROUP BY 1, 2, 3, fi.id ORDER BY 1, 2, 3, 4")
    assert rows(one, q) == rows(many, q)
    assert rows(one, "SELECT COUNT(*) FROM finding_figures")[0][0] > 0


def test_the_rows_a_worker_sends_are_the_stored_columns() -> None:
    r = bcparse.parse(TXT_TARGETS)
    got = report_rows(r, FileInfo("a" * 64, 10, "x.txt"))
    want = []
    for i, f in enumerate(r.figures(all=True)):
        d = figure_row(0, i, f)
        d["value_json"] = None if d["value_json"] is None else json.dumps(d["value_json"])
        want.append(tuple(d[c] for c in FIGURE_COLS))
    assert got.figures == want
    assert got.path == "x.txt" and got.content_hash == "a" * 64


def test_a_nul_character_is_refused_before_writing(tmp_path: Path) -> None:
    from test_store import built_report

    from bcparse.errors import InputError

    r = built_report()
    bad = r.model_copy(update={"closing": r.closing.model_copy(update={"signer_name": "Ma\x00Sơn"})})
    with pytest.raises(InputError, match="NUL character"):
        report_rows(bad, FileInfo("b" * 64))


def test_a_nul_only_in_a_json_column_is_refused_and_a_written_backslash_u0000_is_not() -> None:
    from test_store import built_report

    from bcparse.errors import InputError

    r = built_report()
    # the warnings are stored only in extra_json, as JSON text: the NUL is the escape \u0000 there
    with pytest.raises(InputError, match="NUL character"):
        report_rows(r.model_copy(update={"warnings": ["a\x00b"]}), FileInfo("b" * 64))
    literal = r.model_copy(update={"warnings": ["C:\\u0000 is a path, not a NUL"]})
    got = report_rows(literal, FileInfo("b" * 64))
    assert "C:\\\\u0000 is a path" in got.report[REPORT_COLS.index("extra_json")]


# ---- Dask ---------------------------------------------------------------------------------------

def test_without_dask_one_line_names_the_extra(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed → ImportError
    assert main(["import", str(SAMPLE), "--dask", "local", "--db", str(tmp_path / "bc.db")]) == 2
    err = capsys.readouterr().err
    assert err == "bcparse: error: --dask needs Dask: pip install 'bcparse[cluster]'\n"


def test_dask_needs_postgresql(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("distributed")
    assert main(["import", str(SAMPLE), "--dask", "local", "--db", str(tmp_path / "bc.db")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("bcparse: error: --dask writes from every worker at once: it needs PostgreSQL")
    assert err.count("\n") == 1 and not (tmp_path / "bc.db").exists()


@pytest.fixture
def pg() -> Iterator[str]:
    """A fresh schema on the test PostgreSQL server."""
    base = os.environ.get("BCPARSE_TEST_PG_URL")
    if not base:
        pytest.skip(PG_SKIP)
    schema = "s_" + uuid.uuid4().hex[:12]
    admin = sa.create_engine(normalize_url(base))
    with admin.begin() as c:
        c.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield sa.engine.make_url(base).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
            hide_password=False)
    finally:
        with admin.begin() as c:
            c.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_the_scheduler_unreachable_is_one_line(pg: str, tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    env = {**os.environ, "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "1s"}
    p = subprocess.run([sys.executable, "-m", "bcparse", "import", str(SAMPLE), "--dask", "tcp://127.0.0.1:9",
                        "--db", pg], capture_output=True, text=True, env=env, timeout=120)
    assert p.returncode == 2
    assert re.fullmatch(r"bcparse: error: cannot reach the Dask scheduler at tcp://127\.0\.0\.1:9: .+\n", p.stderr)
    assert rows(pg, "SELECT COUNT(*) FROM reports") == [(0,)]


def test_a_task_run_again_counts_its_reports_as_imported_never_twice(pg: str, tmp_path: Path) -> None:
    """What a worker does for a chunk, twice with the run's stamp (the retry of a task whose worker
    died after committing): the same outcome, the same rows; a later run says unchanged."""
    pytest.importorskip("distributed")
    from bcparse.store.cluster import import_chunk

    files = [str(f) for f in small_variants(tmp_path, 4)]
    run_at = now()
    first = import_chunk(files, pg, False, run_at)
    again = import_chunk(files, pg, False, run_at)
    assert sorted(first["imported"]) == sorted(again["imported"]) == sorted(files)
    assert first["failed"] == again["failed"] == []
    assert rows(pg, "SELECT COUNT(*), COUNT(DISTINCT content_hash) FROM reports") == [(4, 4)]
    assert_consistent(pg)
    later = import_chunk(files, pg, False, now())
    assert (later["imported"], sorted(later["unchanged"])) == ([], sorted(files))


def small_variants(folder: Path, n: int) -> list[Path]:
    """n distinct files (distinct content hashes) that parse like the small sample (tan-lap)."""
    folder.mkdir(parents=True, exist_ok=True)
    data = TXT_TARGETS.read_bytes()
    out = []
    for i in range(n):
        p = folder / f"r{i:03d}.txt"
        p.write_bytes(data + b"\n" * (i + 1))
        out.append(p)
    return out


def _dask_import(files_dir: Path, pg: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "bcparse", "import", str(files_dir), "--dask", "local", "--db", pg],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})})


@pytest.mark.slow
def test_dask_local_300_reports_imported_twice_give_300(pg: str, tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    small_variants(tmp_path / "in", 300)
    for expect in ("imported 300, unchanged 0, failed 0", "imported 0, unchanged 300, failed 0"):
        p = _dask_import(tmp_path / "in", pg)
        out, err = p.communicate(timeout=900)
        assert p.returncode == 0, err
        assert out.startswith(expect), out
        assert rows(pg, "SELECT COUNT(*), COUNT(DISTINCT content_hash) FROM reports") == [(300, 300)]
    assert_consistent(pg)


@pytest.mark.slow
def test_dask_local_a_worker_killed_mid_write_leaves_every_report_exactly_once(pg: str, tmp_path: Path) -> None:
    """Each worker process pauses 5 s inside its third report's write; the first to say so is killed
    (SIGKILL) there: its open transaction is rolled back, its tasks run again on another worker."""
    pytest.importorskip("distributed")
    small_variants(tmp_path / "in", 300)
    p = _dask_import(tmp_path / "in", pg, {"BCPARSE_TEST_IMPORT_PAUSE": "3:5"})
    killed = None
    try:
        assert p.stderr is not None
        seen = ""
        deadline = time.monotonic() + 600
        while killed is None:
            line = p.stderr.readline()
            assert line or p.poll() is None, f"the import ended before a worker paused: {seen}"
            seen += line
            m = re.search(r"paused inside transaction 3 \(pid (\d+)\)", line)
            if m:
                killed = int(m.group(1))
                os.kill(killed, signal.SIGKILL)
            assert time.monotonic() < deadline, seen
        out, err = p.communicate(timeout=900)
    finally:
        if p.poll() is None:
            p.kill()
            p.communicate()
    assert p.returncode == 0, seen + err
    assert out.startswith("imported 300, unchanged 0, failed 0"), out
    assert rows(pg, "SELECT COUNT(*), COUNT(DISTINCT content_hash), COUNT(DISTINCT source_path) FROM reports") == [
        (300, 300, 300)]
    assert_consistent(pg)


def test_a_task_that_cannot_reach_the_database_says_why_and_writes_nothing(tmp_path: Path) -> None:
    """The client stops the run on the first task that returns an error (docs/scale.md, faults)."""
    pytest.importorskip("distributed")
    from bcparse.store.cluster import import_chunk

    files = [str(f) for f in small_variants(tmp_path, 2)]
    out = import_chunk(files, "postgresql://nobody@127.0.0.1:9/nothing", False, now())
    assert set(out) == {"error"}
    assert out["error"].startswith("postgresql://nobody@127.0.0.1:9/nothing: ")


@pytest.fixture
def pg_role(pg: str) -> Iterator[tuple[str, str]]:
    """A throwaway login role owning the ``pg`` schema: (its URL, its name). Revoking its login
    and ending its sessions makes the database go away for an import connected as it, and for no
    one else on the test server."""
    role = "bc_" + uuid.uuid4().hex[:12]
    url = sa.engine.make_url(pg)
    schema = url.query["options"].split("=", 1)[1]
    admin = sa.create_engine(normalize_url(pg))
    with admin.begin() as c:
        c.execute(sa.text(f'CREATE ROLE "{role}" LOGIN'))
        c.execute(sa.text(f'ALTER SCHEMA "{schema}" OWNER TO "{role}"'))
    try:
        yield url.set(username=role, password=None).render_as_string(hide_password=False), role
    finally:
        with admin.begin() as c:
            c.execute(sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = :r"), {"r": role})
            c.execute(sa.text(f'ALTER SCHEMA "{schema}" OWNER TO CURRENT_USER'))
            c.execute(sa.text(f'REASSIGN OWNED BY "{role}" TO CURRENT_USER'))
            c.execute(sa.text(f'DROP ROLE "{role}"'))
        admin.dispose()


@pytest.mark.slow
def test_dask_local_the_database_gone_mid_run_stops_it_with_one_line_and_nothing_partial(
        pg: str, pg_role: tuple[str, str], tmp_path: Path) -> None:
    """Each worker pauses 30 s inside its third report's write (its transaction open, figures
    written); at the first pause the database refuses the import's role (NOLOGIN) and ends its
    sessions: the run stops with one line and status 2, and what is stored is complete reports
    only (the open transactions rolled back)."""
    pytest.importorskip("distributed")
    url, role = pg_role
    small_variants(tmp_path / "in", 40)
    p = _dask_import(tmp_path / "in", url, {"BCPARSE_TEST_IMPORT_PAUSE": "3:30"})
    admin = sa.create_engine(normalize_url(pg))
    try:
        assert p.stderr is not None
        seen = ""
        while "paused inside transaction 3" not in seen:
            line = p.stderr.readline()
            assert line or p.poll() is None, f"the import ended before a worker paused: {seen}"
            seen += line
        with admin.begin() as c:
            c.execute(sa.text(f'ALTER ROLE "{role}" NOLOGIN'))
            c.execute(sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = :r"),
                      {"r": role})
        out, err = p.communicate(timeout=900)
    finally:
        admin.dispose()
        if p.poll() is None:
            p.kill()
            p.communicate()
    said = [ln for ln in (seen + err).splitlines() if not ln.startswith("bcparse-test: paused")]
    assert p.returncode == 2, seen + err
    assert len(said) == 1 and said[0].startswith("bcparse: error: "), said
    assert out == ""
    stored = rows(pg, "SELECT COUNT(*) FROM reports")[0][0]
    assert stored < 40  # stopped: not every report was imported
    assert_consistent(pg)  # every stored report whole, no rows of a report left without it
    assert rows(pg, "SELECT COUNT(*) FROM report_paths WHERE report_id NOT IN (SELECT id FROM reports)") == [(0,)]
