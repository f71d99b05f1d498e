"""Import at scale (issue 17): `bcparse import` of N synthetic .txt reports against parsing them
alone, disk bytes written against the database's size, and memory as N grows.

    python benchmarks/import_scale.py                        # N = 1,000 and 10,000, --jobs 2, SQLite
    python benchmarks/import_scale.py --sizes 1000 --jobs 2 --db postgresql://me@host/bench
    python benchmarks/import_scale.py --sizes 100000 --import-only     # one big import, no parse run

Each measure runs in a fresh child process (this script again, ``--child``) that this process waits
for, so the child's disk writes — and those of its worker processes, which it waits for in turn —
are added to this process's ``/proc/self/io`` (Linux counts a reaped child's I/O in its parent's):
``write_bytes`` before and after is everything the import made the kernel write to the storage
layer (the WAL, the database, the checkpoints). The reports and the database live in ``--workdir``
(default /var/tmp/bcparse-scale, on a disk: a tmpfs counts no write_bytes).

"parse alone" runs the importer's own worker pool (the same ``--jobs``, the same start method and
files in flight) with a task that reads and parses each file (``bcparse.parse``) and returns
nothing. "import" is ``bcparse import DIR --jobs N --db URL`` into a new database (for
PostgreSQL: a new schema). The three ratios and the machine are printed; ``--json`` keeps them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from synth import make_txt_reports  # noqa: E402

TARGETS = {"time_ratio": 1.25, "write_ratio": 3.0}


# ---- the children ---------------------------------------------------------------------------------

def _status_kb(field: str) -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def parse_only(path: str) -> None:
    """A worker's task in the "parse alone" run: what `bcparse.parse` does, the result dropped."""
    from bcparse.pipeline import parse_document
    from bcparse.readers import read_bytes
    from bcparse.store.importer import read_file

    parse_document(read_bytes(read_file(path), name=path))


def child_parse(folder: str, jobs: int) -> dict[str, Any]:
    from bcparse.store.importer import _parse_all, collect_files

    files, _ = collect_files([folder])
    n = 0
    for _ in _parse_all(files, jobs, task=parse_only):
        n += 1
    return {"files": n}


#: the import's resident memory is sampled every this many reports
SAMPLE_EVERY = 1000


class RssSampler:
    """Stands in for the import's progress bar: every :data:`SAMPLE_EVERY` reports it records the
    reports done, the seconds since the start and this process's resident memory (VmRSS), and
    prints the line to stderr at once (a long run's log shows its progress while it runs)."""

    def __init__(self) -> None:
        self.n = 0
        self.t0 = time.perf_counter()
        self.samples: list[tuple[int, float, float]] = []

    def update(self, k: int = 1) -> None:
        before, self.n = self.n, self.n + k
        if self.n // SAMPLE_EVERY != before // SAMPLE_EVERY:
            s = (self.n, round(time.perf_counter() - self.t0, 1), round(_status_kb("VmRSS") / 1024, 1))
            self.samples.append(s)
            print(f"  progress: {s[0]} reports, {s[1]:.0f} s, {s[0] / max(s[1], 1e-9):.1f} reports/s, "
                  f"RSS {s[2]:.0f} MB", file=sys.stderr, flush=True)

    def write(self, *_: Any, **__: Any) -> None:
        pass

    def close(self) -> None:
        pass


def child_import(folder: str, jobs: int, db: str) -> dict[str, Any]:
    from bcparse.store import importer

    sampler = RssSampler()
    importer._progress_bar = lambda total, progress: sampler  # type: ignore[assignment]
    r = importer.import_paths([folder], db, jobs=jobs, progress=True)
    return {"imported": len(r.imported), "failed": len(r.failed), "unchanged": len(r.unchanged),
            "first_failures": r.failed[:3], "rss_samples": sampler.samples}


def _cpu_seconds() -> float:
    """CPU time (user + system) of this process and of the worker processes: the pool's workers are
    children of the forkserver, which reaped them (its cutime/cstime) and is still running."""
    ru = resource.getrusage(resource.RUSAGE_SELF)
    total = ru.ru_utime + ru.ru_stime
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    total += ru.ru_utime + ru.ru_stime
    try:
        from multiprocessing import forkserver

        pid = getattr(forkserver._forkserver, "_forkserver_pid", None)
        if pid:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")
    except (OSError, ImportError, ValueError):
        pass
    return total


def child_main(argv: list[str]) -> int:
    what, folder, jobs = argv[0], argv[1], int(argv[2])
    t0 = time.perf_counter()
    out = child_parse(folder, jobs) if what == "parse" else child_import(folder, jobs, argv[3])
    out["seconds"] = time.perf_counter() - t0
    out["main_peak_rss_mb"] = _status_kb("VmHWM") / 1024
    out["cpu_seconds"] = _cpu_seconds()
    print("RESULT " + json.dumps(out))
    return 0


# ---- this process ---------------------------------------------------------------------------------

def io_counters() -> dict[str, int]:
    out = {}
    with open("/proc/self/io") as f:
        for line in f:
            k, v = line.split(":")
            out[k] = int(v)
    return out


def run_child(*args: str) -> dict[str, Any]:
    before = io_counters()
    # the child's stderr (its progress lines) goes straight to ours
    p = subprocess.run([sys.executable, __file__, "--child", *args], stdout=subprocess.PIPE, text=True, check=False)
    after = io_counters()
    line = next((x for x in p.stdout.splitlines() if x.startswith("RESULT ")), None)
    if p.returncode != 0 or line is None:
        raise SystemExit(f"child {args} failed ({p.returncode}):\n{p.stdout[-2000:]}")
    res: dict[str, Any] = json.loads(line[len("RESULT "):])
    # the largest process of the tree so far (Linux keeps the maximum over reaped descendants)
    res["largest_rss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    res["write_bytes"] = after["write_bytes"] - before["write_bytes"]
    res["cancelled_write_bytes"] = after["cancelled_write_bytes"] - before["cancelled_write_bytes"]
    return res


def machine() -> dict[str, str]:
    cpu = platform.processor() or "?"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")), cpu)
    except OSError:
        pass
    mem = "?"
    try:
        with open("/proc/meminfo") as f:
            mem = f"{int(f.readline().split()[1]) / 1024 / 1024:.0f} GiB"
    except OSError:
        pass
    import sqlite3

    import sqlalchemy

    return {"nproc": str(os.cpu_count()), "cpu": cpu, "memory": mem, "python": platform.python_version(),
            "os": f"{platform.system()} {platform.release()}", "sqlite": sqlite3.sqlite_version,
            "sqlalchemy": sqlalchemy.__version__, "load_before": " ".join(f"{x:.1f}" for x in os.getloadavg()),
            "commit": _commit()}


def _commit() -> str:
    try:
        return subprocess.run(["git", "-C", str(HERE), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=False).stdout.strip() or "?"
    except OSError:
        return "?"


def db_size(url: str, path: Path | None) -> int:
    if path is not None:
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    import sqlalchemy as sa

    from bcparse.store.db import normalize_url

    engine = sa.create_engine(normalize_url(url))
    try:
        with engine.connect() as c:
            schema = c.execute(sa.text("SELECT current_schema()")).scalar()
            return int(c.execute(sa.text(
                "SELECT COALESCE(SUM(pg_total_relation_size(quote_ident(schemaname) || '.' || quote_ident(tablename))), 0) "
                "FROM pg_tables WHERE schemaname = :s"), {"s": schema}).scalar() or 0)
    finally:
        engine.dispose()


def new_db(base: str | None, work: Path, tag: str) -> tuple[str, Path | None]:
    if not base:
        path = work / f"import-{tag}.db"
        for p in path.parent.glob(path.name + "*"):
            p.unlink()
        return f"sqlite:///{path}", path
    import sqlalchemy as sa

    from bcparse.store.db import normalize_url

    schema = "bench_" + uuid.uuid4().hex[:10]
    engine = sa.create_engine(normalize_url(base))
    with engine.begin() as c:
        c.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    return sa.engine.make_url(base).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False), None


def measure(n: int, jobs: int, work: Path, base: str | None, import_only: bool, rounds: int = 1) -> dict[str, Any]:
    """``rounds`` > 1: parse alone and import alternate that many times (the machine's load drifts
    between runs; each ratio is then of the sums over the rounds, and the rounds are kept)."""
    folder = work / f"n{n}"
    t = time.perf_counter()
    make_txt_reports(folder, n)
    print(f"  {n} reports ready in {folder} ({time.perf_counter() - t:.0f} s)", file=sys.stderr)
    res: dict[str, Any] = {"n": n, "jobs": jobs, "rounds": []}
    for k in range(max(1, rounds)):
        one: dict[str, Any] = {"load_before": " ".join(f"{x:.1f}" for x in os.getloadavg())}
        if not import_only:
            one["parse"] = run_child("parse", str(folder), str(jobs))
            print(f"  parse alone: {one['parse']['seconds']:.1f} s", file=sys.stderr)
        url, path = new_db(base, work, f"{n}-{jobs}")
        one["import"] = run_child("import", str(folder), str(jobs), url)
        one["db_bytes"] = db_size(url, path)
        imp = one["import"]
        print(f"  import: {imp['seconds']:.1f} s, {imp['imported']} imported, {imp['failed']} failed", file=sys.stderr)
        if path is not None and k + 1 < rounds:
            for q in path.parent.glob(path.name + "*"):
                q.unlink()
        res["rounds"].append(one)
    last = res["rounds"][-1]
    res["import"], res["db_bytes"] = last["import"], last["db_bytes"]
    if not import_only:
        res["parse"] = last["parse"]
        res["time_ratio"] = (sum(r["import"]["seconds"] for r in res["rounds"])
                             / sum(r["parse"]["seconds"] for r in res["rounds"]))
        res["cpu_ratio"] = (sum(r["import"]["cpu_seconds"] for r in res["rounds"])
                            / sum(r["parse"]["cpu_seconds"] for r in res["rounds"]))
    imp = res["import"]
    res["write_ratio"] = imp["write_bytes"] / res["db_bytes"] if res["db_bytes"] else float("nan")
    res["reports_per_s"] = n / imp["seconds"]
    if path is not None:
        for p in path.parent.glob(path.name + "*"):
            p.unlink()
    return res


def report(results: list[dict[str, Any]], mach: dict[str, str], backend: str) -> str:
    lines = ["machine: " + ", ".join(f"{k} {v}" for k, v in mach.items()), f"database: {backend}", "",
             "| N | jobs | parse alone s | import s | import ÷ parse | CPU s parse / import | CPU ÷ | reports/s "
             "| written MB | DB MB | written ÷ DB | import's peak RSS MB | largest process so far MB |",
             "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in results:
        imp = r["import"]
        p = f"{r['parse']['seconds']:.1f}" if "parse" in r else "–"
        ratio = f"**{r['time_ratio']:.2f}**" if "time_ratio" in r else "–"
        cpu = f"{r['parse']['cpu_seconds']:.0f} / {imp['cpu_seconds']:.0f}" if "parse" in r else f"– / {imp['cpu_seconds']:.0f}"
        cpu_ratio = f"**{r['cpu_ratio']:.2f}**" if "cpu_ratio" in r else "–"
        lines.append(f"| {r['n']:,} | {r['jobs']} | {p} | {imp['seconds']:.1f} | {ratio} | {cpu} | {cpu_ratio} "
                     f"| {r['reports_per_s']:.1f} "
                     f"| {imp['write_bytes'] / 1e6:.0f} | {r['db_bytes'] / 1e6:.0f} | **{r['write_ratio']:.2f}** "
                     f"| {imp['main_peak_rss_mb']:.0f} | {imp['largest_rss_mb']:.0f} |")
    lines.append("")
    for r in results:
        if len(r.get("rounds", [])) > 1:
            lines.append(f"N = {r['n']:,}, rounds (parse alone s / import s, load before): " + "; ".join(
                f"{x['parse']['seconds']:.1f} / {x['import']['seconds']:.1f} ({x['load_before']})" for x in r["rounds"]))
        samples = r["import"].get("rss_samples") or []
        if samples:
            step = max(1, len(samples) // 10)
            shown = samples[step - 1::step]
            lines.append(f"N = {r['n']:,}, import's RSS MB by reports done: " + ", ".join(
                f"{k // 1000}k {mb:.0f}" for k, _, mb in shown))
    if any(r.get("rounds") and len(r["rounds"]) > 1 for r in results) or any(
            r["import"].get("rss_samples") for r in results):
        lines.append("")
    timed = [r for r in results if "time_ratio" in r]
    if timed:
        worst = max(r["time_ratio"] for r in timed)
        lines.append(f"import ÷ parse alone, wall time (target ≤ {TARGETS['time_ratio']}): worst {worst:.2f} → "
                     + ("met" if worst <= TARGETS["time_ratio"] else "MISSED"))
        worst_cpu = max(r["cpu_ratio"] for r in timed)
        lines.append(f"import ÷ parse alone, CPU time of all its processes (the same target; does not depend on "
                     f"what else the machine runs): worst {worst_cpu:.2f} → "
                     + ("met" if worst_cpu <= TARGETS["time_ratio"] else "MISSED"))
    worst_w = max(r["write_ratio"] for r in results)
    lines.append(f"bytes written ÷ database size (target ≤ {TARGETS['write_ratio']}): worst {worst_w:.2f} → "
                 + ("met" if worst_w <= TARGETS["write_ratio"] else "MISSED"))
    if len(results) > 1:
        a, b = results[0], results[-1]
        ma, mb = a["import"]["main_peak_rss_mb"], b["import"]["main_peak_rss_mb"]
        lines.append(f"memory: import's peak RSS {ma:.0f} MB at N = {a['n']:,}, {mb:.0f} MB at N = {b['n']:,} "
                     f"({mb / ma:.2f}×; flat when close to 1)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--child":
        return child_main(argv[1:])
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000", help="report counts, comma-separated (default 1000,10000)")
    ap.add_argument("--jobs", type=int, default=2, help="worker processes, for both runs (default 2)")
    ap.add_argument("--db", help="a PostgreSQL URL to import into (a new schema per run); default: a new SQLite file")
    ap.add_argument("--workdir", default="/var/tmp/bcparse-scale", help="reports and databases (on a disk)")
    ap.add_argument("--import-only", action="store_true", help="skip the parse-alone run (the 100,000 run)")
    ap.add_argument("--rounds", type=int, default=1,
                    help="parse alone and import alternate this many times; ratios of the sums (default 1)")
    ap.add_argument("--json", help="also write the results to this JSON file")
    a = ap.parse_args(argv)
    work = Path(a.workdir)
    work.mkdir(parents=True, exist_ok=True)
    if shutil.disk_usage(work).free < 2 * 10**9:
        print(f"warning: little free space in {work}", file=sys.stderr)
    mach = machine()
    results = []
    for n in (int(x) for x in a.sizes.split(",")):
        print(f"N = {n}", file=sys.stderr)
        results.append(measure(n, a.jobs, work, a.db, a.import_only, a.rounds))
    backend = "PostgreSQL" if a.db else "SQLite"
    print(report(results, mach, backend))
    if a.json:
        Path(a.json).write_text(json.dumps({"machine": mach, "backend": backend, "results": results}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
