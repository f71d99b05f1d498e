"""``bcparse serve``: datasette on a database made by ``bcparse import`` of the samples, run as a
user runs it (a child process on a free port of 127.0.0.1), asked over HTTP, stopped with SIGINT."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bcparse.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
HANG_GUARD = 120.0  # seconds for the server to answer at all: a hang guard, not a timed assertion


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    pytest.importorskip("datasette", reason="datasette is not installed (pip install -e '.[web]')")
    folder = tmp_path_factory.mktemp("serve")
    db = folder / "bc.db"
    # a second report of Tân Lập for 2023 whose party membership differs (a clerk's correction)
    again = folder / "tan-lap-ktxh-2023-sua.txt"
    again.write_text((SAMPLES / "tan-lap-ktxh-2023.txt").read_text(encoding="utf-8")
                     .replace("312 đảng viên", "315 đảng viên").replace("Số:  215", "Số:  216"), encoding="utf-8")
    assert main(["import", str(SAMPLES / "tan-lap-ktxh-2023.txt"), str(SAMPLES / "binh-thanh-doi-ngoai-2024.txt"),
                 str(again), "--db", str(db)]) == 0
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "bcparse", "serve", "--db", str(db), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + HANG_GUARD
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                out, err = proc.communicate()
                pytest.fail(f"bcparse serve did not start: {err}")
            time.sleep(0.2)
    info = {"proc": proc, "base": base, "db": db, "name": "bc"}
    yield info
    if proc.poll() is None:
        proc.kill()
        proc.communicate()


def test_serve_answers_with_the_reports_and_a_facet(server: dict[str, Any]) -> None:
    base = server["base"]
    status, body = _get(f"{base}/bc/reports.json?_shape=objects&_facet=grammar")
    assert status == 200
    data = json.loads(body)
    assert sorted(Path(r["source_path"]).name for r in data["rows"]) == [
        "binh-thanh-doi-ngoai-2024.txt", "tan-lap-ktxh-2023-sua.txt", "tan-lap-ktxh-2023.txt"]
    grammar = data["facet_results"]["grammar"]["results"]
    assert sorted((x["value"], x["count"]) for x in grammar) == [("doi_ngoai", 1), ("kt_xh", 2)]
    # the facets of the metadata are on the table page: by commune (place) and year
    status, page = _get(f"{base}/bc/reports")
    assert status == 200 and "Báo cáo" in page
    status, body = _get(f"{base}/bc/reports.json?_shape=objects")
    facets = json.loads(body)["facet_results"]
    assert {"place", "issued_year", "grammar"} <= set(facets)
    assert sorted(x["value"] for x in facets["place"]["results"]) == ["Bình Thành", "Tân Lập"]
    # a facet narrows the rows
    status, body = _get(f"{base}/bc/reports.json?_shape=objects&grammar=kt_xh")
    assert sorted(Path(r["source_path"]).name for r in json.loads(body)["rows"]) == [
        "tan-lap-ktxh-2023-sua.txt", "tan-lap-ktxh-2023.txt"]
    # findings by code, facet on code
    status, body = _get(f"{base}/bc/findings.json?_shape=objects&_facet=code")
    assert status == 200 and "code" in json.loads(body)["facet_results"]


def test_figure_rows_link_to_the_report_page_at_their_line(server: dict[str, Any]) -> None:
    base = server["base"]
    status, body = _get(f"{base}/bc/figures.json?_shape=objects&key=party.members")
    row = json.loads(body)["rows"][0]
    status, page = _get(f"{base}/bc/figures?key=party.members")
    link = f'href="/-/bcparse/report/{row["report_id"]}#L{row["line"]}"'
    assert status == 200 and link in page
    assert "Số đảng viên" in page  # the key's Vietnamese label beside it
    status, html = _get(f"{base}/-/bcparse/report/{row['report_id']}")
    assert status == 200 and html.startswith("<!doctype html>")
    assert f'id="L{row["line"]}"' in html and 'class="fig' in html
    assert _get(f"{base}/-/bcparse/report/999")[0] == 404
    # the key vocabulary, with labels
    status, body = _get(f"{base}/tu_khoa/keys.json?_shape=objects&key=party.members")
    assert json.loads(body)["rows"][0]["label"] == "Số đảng viên"


def test_canned_queries_run(server: dict[str, Any]) -> None:
    base = server["base"]
    for q in ("figure_differs_same_commune_period", "findings_by_code", "gift_totals_by_donor"):
        status, body = _get(f"{base}/bc/{q}.json?_shape=objects")
        assert status == 200, (q, body[:300])
    status, body = _get(f"{base}/bc/figure_differs_same_commune_period.json?_shape=objects")
    rows = json.loads(body)["rows"]
    assert [(r["commune"], r["year"], r["key"], r["value_a"], r["value_b"]) for r in rows] == [
        ("Tân Lập", 2023, "party.members", "312", "315")]
    for side in ("a", "b"):  # each links to its report's page at the line
        assert rows[0][f"view_{side}"].startswith("/-/bcparse/report/") and "#L" in rows[0][f"view_{side}"]
        assert _get(base + rows[0][f"view_{side}"].split("#")[0])[0] == 200
    status, page = _get(f"{base}/bc/figure_differs_same_commune_period")
    assert f'href="{rows[0]["view_a"]}"' in page
    status, body = _get(f"{base}/bc/gift_totals_by_donor.json?_shape=objects")
    rows = json.loads(body)["rows"]
    assert rows and all(r["total_vnd"] > 0 for r in rows)
    status, body = _get(f"{base}/bc/findings_by_code.json?_shape=objects")
    assert {r["code"] for r in json.loads(body)["rows"]} >= {"BC102", "BC201"}


def test_serve_stops_cleanly_on_ctrl_c(server: dict[str, Any]) -> None:
    proc = server["proc"]
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=HANG_GUARD)
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    assert f"http://127.0.0.1:{server['base'].rsplit(':', 1)[1]}/" in err


def test_serve_refuses_what_datasette_cannot_serve(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("datasette")
    assert main(["serve", "--db", "postgresql://me@localhost/bc"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not PostgreSQL" in err
    assert main(["serve", "--db", str(tmp_path / "none.db")]) == 2
    assert "no such database" in capsys.readouterr().err
    other = tmp_path / "other.db"
    import sqlite3

    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    assert main(["serve", "--db", str(other)]) == 2
    assert "not a database written by bcparse import" in capsys.readouterr().err


def test_a_taken_port_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("datasette")
    db = tmp_path / "bc.db"
    assert main(["import", str(SAMPLES / "tan-lap-ktxh-2023.txt"), "--db", str(db)]) == 0
    capsys.readouterr()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        assert main(["serve", "--db", str(db), "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert err == f"bcparse: error: cannot listen on 127.0.0.1:{port} (the port is in use: choose another with --port)\n"


def test_serve_without_datasette_names_the_extra(monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "datasette", None)  # import datasette → ImportError
    assert main(["serve"]) == 2
    err = capsys.readouterr().err
    assert err == "bcparse: error: bcparse serve needs datasette: pip install 'bcparse[web]'\n"


def test_serve_help_says_how_to_publish_read_only(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    out = capsys.readouterr().out
    assert "127.0.0.1" in out and "read-only" in out and "--immutable" in out


def test_no_sql_leaves_the_tables_and_canned_queries(server: dict[str, Any], tmp_path: Path) -> None:
    """--no-sql and --immutable (the read-only publishing of docs/view.md), asked in-process."""
    import asyncio

    from bcparse.view.serve import build, write_keys_db

    ds = build(str(server["db"]), write_keys_db(str(tmp_path)), immutable=True, settings={"default_allow_sql": False})

    async def ask() -> list[int]:
        return [(await ds.client.get(u)).status_code for u in
                ("/bc?sql=select+1", "/bc/reports.json", "/bc/findings_by_code.json", "/-/bcparse/report/1")]

    assert asyncio.run(ask()) == [403, 200, 200, 200]
