"""The database store (`bcparse import`, bcparse.store): SQLite always, PostgreSQL when
BCPARSE_TEST_PG_URL is set (CI starts a server with .ci/postgres.sh). Every test that takes the
``db`` fixture runs the same code on both backends.
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
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

import bcparse
from bcparse.cli import main
from bcparse.errors import DatabaseError
from bcparse.models import Closing, Figure, Header, Report, Section, Span
from bcparse.store import load_report_ids, load_reports, open_db, save_findings, store_report
from bcparse.store.db import display_url, normalize_url
from bcparse.store.importer import collect_files, import_paths
from bcparse.store.schema import SCHEMA_VERSION

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SAMPLE = SAMPLES / "binh-thanh-doi-ngoai-2024.txt"
TXT_TARGETS = SAMPLES / "tan-lap-ktxh-2023.txt"  # a result and a target of income.per_capita_vnd
PG_SKIP = "no PostgreSQL: set BCPARSE_TEST_PG_URL (CI starts one with .ci/postgres.sh)"


# ---- the two backends -------------------------------------------------------------------------

@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database URL: a SQLite file, or a schema of its own on the PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'bc.db'}"
        return
    base = os.environ.get("BCPARSE_TEST_PG_URL")
    if not base:
        pytest.skip(PG_SKIP)
    schema = "t_" + uuid.uuid4().hex[:12]
    admin = sa.create_engine(normalize_url(base))
    try:
        with admin.begin() as c:
            c.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    except sa.exc.OperationalError as e:
        admin.dispose()
        pytest.fail(f"BCPARSE_TEST_PG_URL is set but the server does not answer: {e}")
    url = sa.engine.make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as c:
            c.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def rows(url: str, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    engine = open_db(url)
    try:
        with engine.connect() as c:
            return [tuple(r) for r in c.execute(sa.text(sql), params)]
    finally:
        engine.dispose()


def assert_consistent(url: str) -> None:
    """Only complete reports: every report has all its sections and figures, and nothing is orphaned."""
    bad = rows(url, """
        SELECT r.id FROM reports r
        WHERE r.figure_count <> (SELECT COUNT(*) FROM figures f WHERE f.report_id = r.id)
           OR r.section_count <> (SELECT COUNT(*) FROM sections s WHERE s.report_id = r.id)""")
    assert bad == []
    orphans = rows(url, """
        SELECT (SELECT COUNT(*) FROM figures WHERE report_id NOT IN (SELECT id FROM reports))
             + (SELECT COUNT(*) FROM sections WHERE report_id NOT IN (SELECT id FROM reports))""")
    assert orphans == [(0,)]


# ---- a Report built in code: every kind of value and span the contract has -----------------------

def built_report(source: str = "built.txt", households: int = 1422) -> Report:
    sp = Span
    return Report(
        source=source, format="txt", grammar="doi_ngoai",
        header=Header(agency=["ỦY BAN NHÂN DÂN", "XÃ BÌNH THÀNH"], number=None, symbol="BC-UBND",
                      number_raw="Số:      /BC-UBND", place="Bình Thành", date="2024-11", blanks=["number", "day"],
                      type="BÁO CÁO", subject="Kết quả công tác đối ngoại năm 2024",
                      spans={"place": sp(line=3, col=30, length=10)}),
        closing=Closing(end_mark=True, recipients=["UBND huyện", "Lưu: VP"], authority=["TM. ỦY BAN NHÂN DÂN"],
                        signer_authority="TM.", signer_title="CHỦ TỊCH", signer_name="Ma Khánh Sơn"),
        sections=[
            Section(number="I", marker="I.", style="roman", level=1, title="ĐẶC ĐIỂM TÌNH HÌNH", line=8, end_line=12,
                    span=sp(line=8, col=1, length=2)),
            Section(number="1", marker="1.", style="arabic", level=2, title="Dân số", line=9, end_line=12,
                    parent=0, span=sp(line=9, col=1, length=2)),
        ],
        figures=[
            Figure(key="commune.households", value=households, unit="hộ", raw="1.422 hộ",
                   span=sp(line=10, col=5, length=8), kind="count", rule="doi_ngoai:commune.households", section="I.1"),
            Figure(key="commune.area_ha", value=284.62, unit="ha", raw="284,62 ha",
                   span=sp(line=10, col=30, length=9, page=2, paragraph=7)),
            Figure(key="commune.ethnic_minority_pct", value=50, unit="%", qualifier="gt", raw="trên 50%",
                   span=sp(line=11, col=1, length=8)),
            Figure(key="x.ratio", value=50.0, raw="50,0", span=sp(line=11, col=20, length=4, table=1, row=2, cell=3)),
            Figure(key="labour_export.countries", value=["Nhật Bản", "Hàn Quốc"], raw="Nhật Bản, Hàn Quốc",
                   span=sp(line=12, col=1, length=18), kind="list"),
            Figure(key="doc.number", value=None, raw="Số:      /BC-UBND", span=sp(line=3, col=1, length=17)),
            Figure(key="gift.count", value=20, item=1, raw="20 suất", span=sp(line=12, col=30, length=7)),
            Figure(key="gift.count", value=5, item=2, raw="5 suất", span=sp(line=12, col=60, length=6)),
            Figure(key="gift.total_vnd", value=10_000_000, item=1, raw="10.000.000đ", span=sp(line=12, col=40, length=11),
                   derived=True),
            Figure(key=None, value=12345678901234567890123, raw="12345678901234567890123",
                   span=sp(line=12, col=80, length=23)),
            Figure(key=None, value="14/18", raw="14/18", span=sp(line=12, col=110, length=5), kind="fraction"),
        ],
        text="\n".join(f"{source} line {i}" for i in range(1, 20)),
        warnings=["a warning"],
    )


def test_a_report_round_trips_exactly(db: str) -> None:
    r = built_report()
    assert store_report(r, db)[0] == "imported"
    [(_, back)] = load_report_ids(db)
    assert back.figures_json(all=True) == r.figures_json(all=True)
    assert json.dumps(back.figures_json(all=True)) == json.dumps(r.figures_json(all=True))  # 50.0 stays 50.0
    assert back.outline() == r.outline() and back.sections == r.sections
    assert back.header == r.header and back.closing == r.closing
    assert back.text == r.text and back.warnings == r.warnings and back.grammar == "doi_ngoai"
    assert [f.rule for f in back.figures(all=True)] == [f.rule for f in r.figures(all=True)]
    assert [f.derived for f in back.figures(all=True)] == [f.derived for f in r.figures(all=True)]
    assert rows(db, """SELECT type_name, code_number, code_notation, issued_date, issued_year, organ_name, place,
                              signer_authority, signer_position, signer_full_name FROM reports""") == [
        ("BÁO CÁO", None, "BC-UBND", "2024-11", 2024, "ỦY BAN NHÂN DÂN XÃ BÌNH THÀNH", "Bình Thành",
         "TM.", "CHỦ TỊCH", "Ma Khánh Sơn")]
    # numbers are numbers in SQL: sums work without casts
    assert rows(db, "SELECT SUM(value_num) FROM figures WHERE key = 'gift.count'")[0][0] == 25
    assert rows(db, "SELECT value_text FROM figures WHERE value_type = 'str'") == [("14/18",)]


def test_same_content_twice_is_unchanged_and_replace_reimports(db: str) -> None:
    r = built_report()
    assert store_report(r, db, content_hash="a" * 64)[0] == "imported"
    assert store_report(r, db, content_hash="a" * 64)[0] == "unchanged"
    changed = built_report(households=1500)
    assert store_report(changed, db, content_hash="a" * 64)[0] == "unchanged"  # identity is the hash
    assert store_report(changed, db, content_hash="a" * 64, replace=True)[0] == "replaced"
    assert rows(db, "SELECT COUNT(*) FROM reports") == [(1,)]
    assert rows(db, "SELECT value_num FROM figures WHERE key = 'commune.households'") == [(1500,)]
    assert_consistent(db)


def test_findings_are_linked_to_the_figures_they_point_at(db: str) -> None:
    store_report(built_report("a.txt"), db, content_hash="a" * 64)
    store_report(built_report("b.txt", households=1500), db, content_hash="b" * 64)
    n = save_findings(db, [
        {"code": "BC401", "severity": "warning", "message": "households differ", "file": "b.txt", "line": 10,
         "col": 5, "keys": ["commune.households"], "values": [1500, 1422],
         "related": [{"file": "a.txt", "line": 10, "col": 5, "key": "commune.households", "value": 1422}]},
        {"code": "BC102", "severity": "error", "message": "gift 2", "file": "a.txt", "line": 12, "col": 60,
         "keys": ["gift.count"], "values": [5]},
        {"code": "BC999", "severity": "info", "message": "nowhere", "file": None, "keys": [], "values": []},
    ])
    assert n == 3
    linked = rows(db, """
        SELECT fi.code, r.source_path, f.key, f.value_num
        FROM findings fi JOIN finding_figures ff ON ff.finding_id = fi.id
        JOIN figures f ON f.id = ff.figure_id JOIN reports r ON r.id = f.report_id
        WHERE fi.scope = 'across'
        ORDER BY fi.code, r.source_path""")
    assert [(c, p, k, int(v)) for c, p, k, v in linked] == [
        ("BC102", "a.txt", "gift.count", 5),  # only the gift on the finding's line, not both
        ("BC401", "a.txt", "commune.households", 1422),
        ("BC401", "b.txt", "commune.households", 1500),
    ]
    # saving again replaces the cross-report findings rather than adding to them
    per_report = rows(db, "SELECT COUNT(*) FROM findings WHERE scope = 'report'")
    assert save_findings(db, []) == 0
    assert rows(db, "SELECT COUNT(*) FROM findings WHERE scope = 'across'") == [(0,)]
    assert rows(db, "SELECT COUNT(*) FROM findings WHERE scope = 'report'") == per_report  # kept


def test_storing_a_report_stores_its_audit_findings(db: str) -> None:
    audit = pytest.importorskip("bcparse.audit", reason="bcparse.audit is not there yet")
    r = built_report()
    check = getattr(audit, "audit_report", None) or audit.audit
    expected = [(f.code, f.line, f.col) for f in check(r)]
    store_report(r, db)
    assert rows(db, "SELECT code, line, col FROM findings WHERE scope = 'report' ORDER BY id") == expected
    assert rows(db, "SELECT COUNT(*) FROM findings WHERE report_id IS NULL") == [(0,)]


def test_audit_database_stores_the_cross_report_findings(db: str) -> None:
    pytest.importorskip("bcparse.audit", reason="bcparse.audit is not there yet")
    from bcparse.store import audit_database

    store_report(built_report("a.txt"), db, content_hash="a" * 64)
    store_report(built_report("b.txt", households=1500), db, content_hash="b" * 64)
    found = audit_database(db)
    assert found, "two reports of one commune and period that differ: the audit should say so"
    stored = "SELECT code, file, line, col FROM findings WHERE scope = 'across' ORDER BY id"
    assert rows(db, stored) == [(f.code, f.file, f.line, f.col) for f in found]
    linked = rows(db, """SELECT DISTINCT r.source_path, f.key FROM findings fi
                         JOIN finding_figures ff ON ff.finding_id = fi.id JOIN figures f ON f.id = ff.figure_id
                         JOIN reports r ON r.id = f.report_id WHERE fi.scope = 'across' ORDER BY 1, 2""")
    assert linked == [("a.txt", "commune.households"), ("b.txt", "commune.households")]
    assert [f.text() for f in audit_database(db)] == [f.text() for f in found]
    assert rows(db, stored) == [(f.code, f.file, f.line, f.col) for f in found]  # replaced, not added


def test_schema_version_is_recorded_and_a_newer_database_is_refused(db: str) -> None:
    open_db(db).dispose()
    open_db(db).dispose()  # migrating twice is a no-op
    assert rows(db, "SELECT version FROM schema_version") == [(v,) for v in range(1, SCHEMA_VERSION + 1)]
    engine = open_db(db)
    with engine.begin() as c:
        c.execute(sa.text("INSERT INTO schema_version (version, description, applied_at) "
                          "VALUES (:v, 'from the future', CURRENT_TIMESTAMP)"), {"v": SCHEMA_VERSION + 1})
    engine.dispose()
    with pytest.raises(DatabaseError, match="newer than this bcparse"):
        open_db(db)


def test_urls() -> None:
    assert normalize_url("postgresql://u@h/db").drivername == "postgresql+psycopg"
    assert normalize_url("postgres://u@h:5433/db").drivername == "postgresql+psycopg"
    assert normalize_url("some/file.db").drivername == "sqlite"
    assert normalize_url("some/file.db").database == "some/file.db"
    with pytest.raises(DatabaseError, match="unsupported database"):
        normalize_url("mysql://u@h/db")
    shown = display_url(normalize_url("postgresql://u:s3cret@h/db"))
    assert "s3cret" not in shown and shown.startswith("postgresql://u:")


def test_database_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", str(SAMPLE), "--db", f"sqlite:///{tmp_path}/no/such/folder/bc.db"]) == 2
    assert "bcparse: error:" in capsys.readouterr().err
    # a server that is not there (port 1 on localhost refuses at once)
    assert main(["import", str(SAMPLE), "--db", "postgresql://nobody@127.0.0.1:1/nothing"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("bcparse: error: postgresql://nobody@127.0.0.1:1/nothing:") and "\n" == err[-1]


def test_reading_a_database_that_is_not_there_does_not_create_it(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="no such database"):
        load_reports(str(tmp_path / "nothing.db"))
    assert not (tmp_path / "nothing.db").exists()


def test_postgres_sh_never_exits_the_shell_that_sources_it(tmp_path: Path) -> None:
    if not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
        pytest.skip("PostgreSQL is not installed here (.ci/postgres.sh would install it)")
    script = (f"set -euo pipefail; unset BCPARSE_TEST_PG_URL; BCPARSE_PG_DIR=/proc/no/such/dir "
              f"source {ROOT / '.ci' / 'postgres.sh'}; echo \"alive ${{BCPARSE_TEST_PG_URL:-unset}} $-\"")
    p = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=60)
    assert p.returncode == 0 and p.stdout.startswith("alive unset "), p
    assert "e" in p.stdout.split()[-1] and "u" in p.stdout.split()[-1]  # the caller's options are kept
    assert "postgres.sh: no PostgreSQL for the tests: cannot create /proc/no/such/dir" in p.stderr


def test_collect_files_recurses_into_report_formats_only(tmp_path: Path) -> None:
    for name in ["a.txt", "sub/b.DOCX", "sub/deeper/c.pdf", "sub/d.doc", "notes.json", ".hidden/e.txt", "~$lock.docx"]:
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("x")
    files, missing = collect_files([tmp_path, tmp_path / "a.txt", tmp_path / "nope.txt"])
    assert [os.path.relpath(f, tmp_path) for f in files] == ["a.txt", "sub/b.DOCX", "sub/d.doc", "sub/deeper/c.pdf"]
    assert missing == [(str(tmp_path / "nope.txt"), "no such file or folder")]


# ---- the example queries of docs/database.md, run as written -------------------------------------

def doc_queries() -> dict[str, str]:
    text = (ROOT / "docs" / "database.md").read_text(encoding="utf-8")
    out = {}
    for block in re.findall(r"```sql\n(.*?)```", text, re.S):
        m = re.match(r"-- query: (\w+)\n", block)
        if m:
            out[m.group(1)] = block[m.end():]
    return out


def commune_report(source: str, place: str, date: str, *, name: str | None = None, households: int | None = None,
                   population: int | None = None, members: int | None = None,
                   gifts: tuple[tuple[str | None, int], ...] = ()) -> Report:
    figs: list[Figure] = []
    line = 10

    def add(key: str, value: Any, item: int | None = None) -> None:
        nonlocal line
        line += 1
        figs.append(Figure(key=key, value=value, item=item, raw=str(value), span=Span(line=line, col=1, length=3)))

    if name:
        add("commune.name", name)
    for key, v in (("commune.households", households), ("commune.population", population), ("party.members", members)):
        if v is not None:
            add(key, v)
    for i, (donor, total) in enumerate(gifts, 1):
        if donor:
            add("gift.donor", donor, i)
        add("gift.total_vnd", total, i)
    return Report(source=source, grammar="doi_ngoai", header=Header(place=place, date=date, number="1", symbol="BC-UBND"),
                  figures=figs, text="\n".join([source] * 40))


def test_the_example_queries_of_the_docs(db: str) -> None:
    q = doc_queries()
    assert set(q) == {"gifts_by_donor_and_year", "households_and_population", "party_membership_fell",
                      "figures_of_findings"}
    store_report(commune_report("bt23.txt", "Bình Thành", "2023-11-20", households=1400, population=5300, members=290,
                                gifts=(("Hội Chữ thập đỏ", 10_000_000), (None, 2_000_000))), db)
    store_report(commune_report("bt24.txt", "Bình Thành", "2024-11", households=1422, population=5387, members=280,
                                gifts=(("Hội Chữ thập đỏ", 20_000_000), ("Công ty A", 5_000_000))), db)
    store_report(commune_report("yl23.txt", "Phú Lương", "2023-06-30", name="Yên Lạc", households=800, members=90), db)
    store_report(commune_report("yl24.txt", "Phú Lương", "2024-06-30", name="Yên Lạc", members=100), db)

    def run(name: str) -> list[tuple[Any, ...]]:
        return [tuple(int(v) if hasattr(v, "as_integer_ratio") and not isinstance(v, bool) else v for v in row)
                for row in rows(db, q[name])]

    assert run("gifts_by_donor_and_year") == [
        ("Hội Chữ thập đỏ", 2023, 1, 10_000_000), ("(donor not stated)", 2023, 1, 2_000_000),
        ("Hội Chữ thập đỏ", 2024, 1, 20_000_000), ("Công ty A", 2024, 1, 5_000_000)]
    assert run("households_and_population") == [
        ("Bình Thành", 2023, 1400, 5300), ("Bình Thành", 2024, 1422, 5387), ("Yên Lạc", 2023, 800, None)]
    assert run("party_membership_fell") == [("Bình Thành", "2023-11-20", 290, "2024-11", 280, -10)]
    save_findings(db, [{"code": "BC402", "severity": "warning", "message": "party membership fell by 10",
                        "file": "bt24.txt", "line": 13, "col": 1, "keys": ["party.members"], "values": [280, 290]}])
    found = [r[:7] for r in run("figures_of_findings") if r[0] == "BC402"]
    assert found == [("BC402", "warning", "party membership fell by 10", "bt24.txt", 13, 1, "party.members")]


# ---- real files through the parser ----------------------------------------------------------------

def sample_files() -> list[Path]:
    return sorted(p for p in SAMPLES.iterdir() if p.suffix.lower() in {".txt", ".docx", ".pdf"})


def cli_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    assert main(list(args)) == 0
    return json.loads(capsys.readouterr().out)


def test_importing_the_samples_twice_gives_exactly_the_figures_cli(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Done when: one row per report, and exactly the figures `bcparse figures --json` prints."""
    files = sample_files()
    assert files, "no samples"
    assert main(["import", str(SAMPLES), "--db", db]) == 0
    first = capsys.readouterr().out
    assert first.startswith(f"imported {len(files)}, unchanged 0, failed 0")
    assert main(["import", str(SAMPLES), *map(str, files), "--db", db]) == 0
    assert capsys.readouterr().out.startswith(f"imported 0, unchanged {len(files)}, failed 0")

    stored = {r.source: r for r in load_reports(db)}
    assert sorted(stored) == sorted(map(str, files))
    assert rows(db, "SELECT COUNT(*), COUNT(DISTINCT content_hash) FROM reports") == [(len(files), len(files))]
    for path in files:
        r = stored[str(path)]
        keyed = cli_json(capsys, "figures", str(path), "--json")
        every = cli_json(capsys, "figures", str(path), "--json", "--all")
        assert r.figures_json()["figures"] == keyed["figures"], path
        assert r.figures_json(all=True)["figures"] == every["figures"], path
        assert r.grammar == keyed["grammar"]
        # and straight from the figures table, as SQL sees it
        n = rows(db, "SELECT COUNT(*) FROM figures f JOIN reports r ON r.id = f.report_id "
                     "WHERE r.source_path = :p AND f.key IS NOT NULL", p=str(path))
        assert n == [(len(keyed["figures"]),)]
    assert_consistent(db)


def test_a_batch_goes_on_past_files_that_fail(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "good.txt").write_bytes(SAMPLE.read_bytes())
    (folder / "empty.txt").write_text("   \n")
    (folder / "junk.pdf").write_bytes(b"\x00\x01binary junk" * 50)
    code = main(["import", str(folder), str(tmp_path / "missing.docx"), "--db", db])
    out = capsys.readouterr().out
    assert code == 1
    assert out.startswith("imported 1, unchanged 0, failed 3")
    assert f"failed: {folder / 'empty.txt'}: the file is empty" in out
    assert f"failed: {folder / 'junk.pdf'}: " in out
    assert f"failed: {tmp_path / 'missing.docx'}: no such file or folder" in out
    assert rows(db, "SELECT source_path FROM reports") == [(str(folder / "sub" / "good.txt"),)]
    assert_consistent(db)


def variants(tmp_path: Path, n: int) -> list[Path]:
    """n distinct files (distinct content hashes) that parse like the sample."""
    out = []
    data = SAMPLE.read_bytes()
    for i in range(n):
        p = tmp_path / f"r{i}.txt"
        p.write_bytes(data + b"\n" * (i + 1))
        out.append(p)
    return out


def test_parallel_import_writes_the_same_rows(tmp_path: Path) -> None:
    files = variants(tmp_path, 4)
    one, two = f"sqlite:///{tmp_path / 'one.db'}", f"sqlite:///{tmp_path / 'two.db'}"
    r1 = import_paths(files, one, jobs=1, progress=False)
    r2 = import_paths(files, two, jobs=2, progress=False)
    assert (len(r1.imported), r1.failed) == (4, []) and (len(r2.imported), r2.failed) == (4, [])
    a = {r.source: r.figures_json(all=True) for r in load_reports(one)}
    b = {r.source: r.figures_json(all=True) for r in load_reports(two)}
    assert a == b
    again = import_paths(files, two, progress=False, replace=True)
    assert len(again.replaced) == 4
    assert rows(two, "SELECT COUNT(*) FROM reports") == [(4,)]
    assert_consistent(two)


@pytest.mark.parametrize("batch", [1, 500])
def test_a_killed_import_leaves_only_complete_reports(db: str, tmp_path: Path, batch: int) -> None:
    """kill -9 inside the second report's write, after its figures were inserted: with batches of
    one report the first is committed; with one batch for all, nothing is."""
    files = variants(tmp_path, 3)
    env = {**os.environ, "BCPARSE_TEST_IMPORT_PAUSE": "2:60", "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "bcparse", "import", *map(str, files), "--db", db,
                             "--batch", str(batch)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stderr is not None
        deadline = time.monotonic() + 60
        seen = ""
        while "paused inside transaction 2" not in seen:
            line = proc.stderr.readline()
            assert line or proc.poll() is None, f"the import ended before the pause: {seen}"
            seen += line
            assert time.monotonic() < deadline, seen
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
    assert proc.returncode == -signal.SIGKILL
    committed = [(str(files[0]),)] if batch == 1 else []
    deadline = time.monotonic() + 10  # PostgreSQL notices the dead client and rolls back
    while rows(db, "SELECT source_path FROM reports") != committed and time.monotonic() < deadline:
        time.sleep(0.1)
    assert rows(db, "SELECT source_path FROM reports") == committed
    assert_consistent(db)
    # the next run imports the rest
    result = import_paths(files, db, progress=False)
    assert (len(result.imported), len(result.unchanged), result.failed) == (3 - len(committed), len(committed), [])
    assert rows(db, "SELECT COUNT(*) FROM reports") == [(3,)]
    assert_consistent(db)


def test_two_imports_at_once_store_each_report_once(db: str, tmp_path: Path) -> None:
    files = variants(tmp_path, 6)
    with ThreadPoolExecutor(2) as ex:
        results = list(ex.map(lambda fs: import_paths(fs, db, progress=False), [files, files[::-1]]))
    assert [r.failed for r in results] == [[], []]
    assert sum(len(r.imported) for r in results) == 6
    assert rows(db, "SELECT COUNT(*) FROM reports") == [(6,)]
    assert_consistent(db)


def test_migration_3_adds_the_contract_v2_columns_to_a_version_2_database(db: str) -> None:
    """A database made before the figures contract v2 (no mode … frame columns, schema version 2)
    gets the columns on open; its old rows read as results, a re-import fills them."""
    from bcparse.store.schema import V2_FIGURE_COLUMNS

    engine = open_db(db)
    with engine.begin() as c:
        c.execute(sa.text("DROP INDEX IF EXISTS ix_figures_key_mode"))
        for name in V2_FIGURE_COLUMNS:
            c.execute(sa.text(f"ALTER TABLE figures DROP COLUMN {name}"))
        c.execute(sa.text("DELETE FROM schema_version WHERE version >= 3"))
    engine.dispose()
    open_db(db).dispose()
    assert rows(db, "SELECT max(version) FROM schema_version") == [(SCHEMA_VERSION,)]
    store_report(bcparse.parse(TXT_TARGETS), db, content_hash="c" * 64)
    got = rows(db, "SELECT key, mode FROM figures WHERE key = 'income.per_capita_vnd' ORDER BY idx")
    assert got == [("income.per_capita_vnd", "result"), ("income.per_capita_vnd", "target")]


def test_migration_4_adds_the_ocr_columns_to_a_version_3_database(db: str) -> None:
    """A database made before the OCR provenance columns (schema version 3) gets them on open; its
    rows have none (NULL), a figure of a scan stored after it keeps its provenance."""
    from bcparse.elements import OcrProvenance
    from bcparse.store.schema import OCR_FIGURE_COLUMNS

    store_report(bcparse.parse(TXT_TARGETS), db, content_hash="d" * 64)
    engine = open_db(db)
    with engine.begin() as c:
        for name in OCR_FIGURE_COLUMNS:
            c.execute(sa.text(f"ALTER TABLE figures DROP COLUMN {name}"))
        c.execute(sa.text("DELETE FROM schema_version WHERE version = 4"))
    engine.dispose()
    open_db(db).dispose()
    assert rows(db, "SELECT max(version) FROM schema_version") == [(SCHEMA_VERSION,)]
    assert rows(db, "SELECT COUNT(*) FROM figures WHERE ocr_json IS NOT NULL") == [(0,)]
    r = bcparse.parse(SAMPLES / "binh-thanh-doi-ngoai-2024.txt")
    fig = r.get("commune.households")
    assert fig is not None
    fig.ocr = OcrProvenance(confidence=61.5, page=1, box=(371.8, 250.6, 423.6, 262.8), corrections=["1.O22 → 1.022 (O→0)"])
    store_report(r, db, content_hash="e" * 64)
    assert rows(db, "SELECT key, ocr_confidence FROM figures WHERE ocr_json IS NOT NULL") == [("commune.households", 61.5)]
    loaded = {x.source: x for x in load_reports(db)}[r.source]
    assert loaded.get("commune.households").ocr == fig.ocr  # type: ignore[union-attr]
