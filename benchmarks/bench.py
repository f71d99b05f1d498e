"""bcparse benchmark (issue 8): parse time per format against the cost of merely reading the file,
memory as the batch grows, `bcparse import --jobs 2` throughput, and what is imported on the way.

    /work/venv/bin/python benchmarks/bench.py                  # N = 10, 100, 1000 (about 10 minutes)
    /work/venv/bin/python benchmarks/bench.py --quick          # N = 10, 100; 10 PDFs converted
    /work/venv/bin/python benchmarks/bench.py --markdown       # also print the README tables

A script, never a test: it prints figures and judges them against the targets of issue 8
(benchmarks/README.md records a run). What it does:

1. **Reports.** N realistic reports are made from the samples with the renderer: the sample
   report (samples/binh-thanh-doi-ngoai-2024, 17 kB of text) with 8 of its keyed figures set to
   other values (``bcparse.render.apply_edit``), written as .txt (``render_text``) and as .docx
   (``edit_docx`` on the sample .docx, which is laid out as an office makes it in Word). PDFs are
   converted from the first K .docx with LibreOffice (``soffice``), or, without it, the committed
   sample PDF is used; the batch cycles through them.
2. **Time** per report and format, in this process after one warm-up parse: ``bcparse.parse(path)``
   and the baselines of merely reading each file (txt: read + decode; python-docx: open, iterate
   paragraphs and table cells; pdfplumber: ``extract_text`` of every page; pypdfium2:
   ``get_text_range`` of every page). Median and p95, and each median as a ratio to its baseline.
3. **Memory and growth**: for N = 10 … 1000, a fresh process parses the batch (nothing kept) and
   reports time per report, its peak RSS (VmHWM), and what grows after the first tenth of the batch
   (resident memory, and Python memory blocks per report: a leak shows there); another parses up to
   100 of them under ``tracemalloc`` for the peak of one parse.
4. **Import**: ``bcparse import DIR --jobs 2`` (and ``--jobs 1``) of 1,000 .txt reports into a fresh
   SQLite file, reports per second.
5. **Imports on the hot path**: is ``underthesea`` in ``sys.modules`` after parsing each format?
   What does ``import bcparse`` cost, and a CLI run?
6. **Start-up** (issue 12): ``bcparse --version`` (the installed console script) against
   ``python -c pass``, run alternately in one run (``--startup-rounds`` pairs); the difference of
   the medians is the CLI's own start-up (target ≤ 80 ms), also given as a ratio.
   ``--startup`` measures only this (a few seconds).
7. **Speed check** (issue 13): ``--speed`` times the sample .txt parse (median CPU ms) and the
   sample .docx parse against python-docx's open-and-iterate of the same file, interleaved.
8. **PDF tables** (issue 14): ``--pdf-tables`` times the parse of the .pdf with a ruled gift table
   (tests/data/pdf_tables) and of the sample .pdf against pdfplumber's ``extract_text`` of the same
   file (target <= 0.5x), and the table .pdf with the table finder off (what the tables cost).
9. **The floor** (issue 18): ``--floor`` prints every target of issue 18 as a ratio measured in
   one interleaved run (CPU time, medians): the sample .txt parse against a bare read + NFC, the
   .docx parse against python-docx's open-and-iterate, the .pdf parse against pypdfium2's
   ``get_text_range`` of the same pages; the .txt repeated 1x, 10x, 100x, 300x parsed in fresh
   processes (CPU seconds and peak memory per MB of text); the CLI ``bcparse figures sample.txt
   --json`` (wall, whole process) against ``python -c pass`` plus one parse.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "binh-thanh-doi-ngoai-2024"
PY = sys.executable

TARGETS = {
    "version_ms": 80.0,  # `bcparse --version` over `python -c pass` (issue 12)
    "txt_ms": 10.0,  # median parse of a 15-kB text report
    "docx_ratio": 1.5,  # × python-docx open + iterate
    "pdf_ratio": 1.2,  # × pdfplumber extract_text
}


# ---------------------------------------------------------------------------------------------
# Making the reports
# ---------------------------------------------------------------------------------------------


def _editable(report: Any) -> list[Any]:
    """Keyed integer figures outside records and the header: the ones worth varying."""
    return [f for f in report.figures() if f.key and f.item is None and not f.key.startswith("doc.")
            and isinstance(f.value, int) and not isinstance(f.value, bool) and f.value > 0]


def _variant(report: Any, rng: random.Random, n_edits: int = 8) -> tuple[Any, list[Any]]:
    from bcparse.render import apply_edit

    edits = []
    for f in rng.sample(_editable(report), n_edits):
        value = max(1, round(f.value * rng.uniform(0.6, 1.6)) + rng.randint(0, 9))
        try:
            report, e = apply_edit(report, f.key, value)
        except Exception:  # noqa: BLE001 - a figure the renderer refuses to change: vary another
            continue
        if e is not None:
            edits.append(e)
    return report, edits


def make_reports(out: Path, n: int, n_pdf: int, seed: int = 8) -> dict[str, list[Path]]:
    """n .txt and n .docx variants of the sample, and up to n_pdf PDFs; paths by format."""
    import bcparse
    from bcparse.render import edit_docx, render_text

    have = {f: sorted((out / f).glob(f"*.{f}")) for f in ("txt", "docx", "pdf")}
    if len(have["txt"]) >= n and len(have["docx"]) >= n and have["pdf"]:  # --workdir of an earlier run
        return {"txt": have["txt"][:n], "docx": have["docx"][:n], "pdf": have["pdf"][:n_pdf]}
    rng = random.Random(seed)
    base_txt = bcparse.parse(SAMPLE.with_suffix(".txt"))
    base_docx = bcparse.parse(SAMPLE.with_suffix(".docx"))
    docx_bytes = SAMPLE.with_suffix(".docx").read_bytes()
    files: dict[str, list[Path]] = {"txt": [], "docx": [], "pdf": []}
    seen: set[str] = set()
    for fmt in ("txt", "docx"):
        (out / fmt).mkdir(parents=True, exist_ok=True)
    i = 0
    while len(files["txt"]) < n:
        i += 1
        r, _ = _variant(base_txt, rng)
        text = render_text(r)
        h = hashlib.sha256(text.encode()).hexdigest()
        if h in seen:  # `bcparse import` skips identical content: every report must differ
            continue
        seen.add(h)
        p = out / "txt" / f"r{len(files['txt']):04d}.txt"
        p.write_text(text, encoding="utf-8")
        files["txt"].append(p)
    while len(files["docx"]) < n:
        _, edits = _variant(base_docx, rng)
        data = edit_docx(docx_bytes, edits)
        p = out / "docx" / f"r{len(files['docx']):04d}.docx"
        p.write_bytes(data)
        files["docx"].append(p)
    files["pdf"] = make_pdfs(out / "pdf", files["docx"][:n_pdf])
    return files


def make_pdfs(out: Path, docx: list[Path]) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice and docx:
        profile = Path(tempfile.mkdtemp(prefix="bench-lo-"))
        try:
            subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                            "--outdir", str(out), *map(str, docx)], capture_output=True, timeout=600, check=False)
        finally:
            shutil.rmtree(profile, ignore_errors=True)
        pdfs = sorted(out.glob("*.pdf"))
        if pdfs:
            return pdfs
        print("warning: LibreOffice converted nothing; using the committed sample PDF", file=sys.stderr)
    p = out / "sample.pdf"
    shutil.copyfile(SAMPLE.with_suffix(".pdf"), p)
    return [p]


def cycle(paths: list[Path], n: int) -> list[Path]:
    return [paths[i % len(paths)] for i in range(n)]


# ---------------------------------------------------------------------------------------------
# Readers: bcparse and the baselines
# ---------------------------------------------------------------------------------------------


def bc_parse(p: Path) -> object:
    import bcparse

    return bcparse.parse(p)


def bc_read(p: Path) -> object:
    import bcparse

    return bcparse.read(p)


def base_txt(p: Path) -> object:
    return p.read_bytes().decode("utf-8")


def base_docx(p: Path) -> object:
    import docx

    d = docx.Document(str(p))
    out = [para.text for para in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            for cell in row.cells:
                out.append(cell.text)
    return out


def base_pdfplumber(p: Path) -> object:
    import pdfplumber

    with pdfplumber.open(str(p)) as pdf:
        return [page.extract_text() for page in pdf.pages]


def base_pdfium(p: Path) -> object:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(p))
    try:
        out = []
        for i in range(len(pdf)):
            page = pdf[i]
            tp = page.get_textpage()
            out.append(tp.get_text_range())
            tp.close()
            page.close()
        return out
    finally:
        pdf.close()


READERS: dict[str, Callable[[Path], object]] = {
    "bcparse": bc_parse, "bcparse.read only": bc_read, "txt read+decode": base_txt, "python-docx": base_docx,
    "pdfplumber": base_pdfplumber, "pypdfium2": base_pdfium,
}
PLAN = {  # format → the readers timed on it; the first baseline is the target's reference
    "txt": ["bcparse", "bcparse.read only", "txt read+decode"],
    "docx": ["bcparse", "bcparse.read only", "python-docx"],
    "pdf": ["bcparse", "bcparse.read only", "pdfplumber", "pypdfium2"],
}


def timings(fn: Callable[[Path], object], paths: list[Path]) -> list[float]:
    fn(paths[0])  # warm: imports, grammars, compiled patterns
    out = []
    for p in paths:
        t = time.perf_counter()
        fn(p)
        out.append(time.perf_counter() - t)
    return out


def speed(rounds: int = 60) -> dict[str, float]:
    """Issue 13's speed check, interleaved in one run: the 17 kB sample .txt (median parse, ms) and
    the sample .docx parse against python-docx open-and-iterate of the same file (ratio)."""
    import bcparse

    txt = ROOT / "samples" / "binh-thanh-doi-ngoai-2024.txt"
    dx = ROOT / "samples" / "binh-thanh-doi-ngoai-2024.docx"
    for p in (txt, dx):
        bcparse.parse(p)
        base_docx(dx)
    t_txt, t_docx, t_base = [], [], []
    for _ in range(rounds):
        for fn, p, acc in ((bc_parse, txt, t_txt), (bc_parse, dx, t_docx), (base_docx, dx, t_base)):
            t = time.process_time()
            fn(p)
            acc.append(time.process_time() - t)
    med = statistics.median
    return {"txt_ms": 1000 * med(t_txt), "docx_ms": 1000 * med(t_docx), "python_docx_ms": 1000 * med(t_base),
            "docx_ratio": med(t_docx) / med(t_base), "text_kb": len(bcparse.parse(txt).text.encode()) / 1000}


def print_speed(s: dict[str, float]) -> None:
    print(f"sample .txt ({s['text_kb']:.1f} kB of text): parse median {s['txt_ms']:.2f} ms CPU "
          f"(issue 13 target: <= 6 ms on a quiet machine)")
    print(f"sample .docx: parse {s['docx_ms']:.2f} ms vs python-docx open-and-iterate {s['python_docx_ms']:.2f} ms: "
          f"{s['docx_ratio']:.2f}x (target <= 1.5x)")


def pdf_tables(rounds: int = 11) -> dict[str, float]:
    """Issue 14's PDF tables (bcparse/readers/pdf/tables.py), interleaved in one run: the parse of
    a .pdf with a ruled gift table and of the sample .pdf (none) against pdfplumber's own
    ``extract_text`` of the same file (target: ratio <= 0.5), and the parse of the table .pdf with
    the table finder off (what the tables cost)."""
    import bcparse
    from bcparse.readers.pdf import tables

    files = {"table": ROOT / "tests" / "data" / "pdf_tables" / "qua-tet-bang.pdf",
             "sample": ROOT / "samples" / "binh-thanh-doi-ngoai-2024.pdf"}
    acc: dict[str, list[float]] = {}

    def off(p: Path) -> object:
        saved = tables.MIN_RULES
        tables.MIN_RULES = 10**9
        try:
            return bcparse.parse(p)
        finally:
            tables.MIN_RULES = saved

    for p in files.values():
        bcparse.parse(p)
        base_pdfplumber(p)
    for _ in range(rounds):
        for name, p in files.items():
            for what, fn in (("parse", bc_parse), ("pdfplumber", base_pdfplumber)) + (
                    (("no tables", off),) if name == "table" else ()):
                t = time.process_time()
                fn(p)
                acc.setdefault(f"{name} {what}", []).append(time.process_time() - t)
    med = {k: 1000 * statistics.median(v) for k, v in acc.items()}
    med["table ratio"] = med["table parse"] / med["table pdfplumber"]
    med["sample ratio"] = med["sample parse"] / med["sample pdfplumber"]
    return med


def print_pdf_tables(s: dict[str, float]) -> None:
    for name in ("table", "sample"):
        print(f"{name} .pdf: parse {s[f'{name} parse']:.1f} ms vs pdfplumber extract_text "
              f"{s[f'{name} pdfplumber']:.1f} ms: {s[f'{name} ratio']:.2f}x (target <= 0.5x)")
    print(f"table .pdf with the table finder off: {s['table no tables']:.1f} ms (the tables cost "
          f"{s['table parse'] - s['table no tables']:.1f} ms)")


# ---------------------------------------------------------------------------------------------
# Issue 18: parse cost against reading cost, every target in one interleaved run
# ---------------------------------------------------------------------------------------------

FLOOR = {  # issue 18's targets
    "txt_ms": 5.0,  # median CPU ms of the 17 kB sample .txt on a quiet machine
    "txt_ratio": 60.0,  # × a bare read + NFC of the same file
    "docx_ratio": 1.3,  # × python-docx open-and-iterate
    "pdf_ratio": 5.0,  # × pypdfium2 get_text_range over the same pages
    "linear_tol": 0.15,  # time and memory per MB equal within ±15% at every multiple
    "bytes_per_byte": 15.0,  # peak memory of a parse per byte of text
    "cli_ratio": 2.5,  # `bcparse figures sample.txt --json` ÷ (`python -c pass` + one parse)
}
MULTIPLES = (1, 10, 100, 300)
# processes started as an installed bcparse runs: with its bytecode cached (an environment that sets
# PYTHONDONTWRITEBYTECODE, as CI and these sessions do, recompiles every module in every process,
# ~120 ms of bcparse's start-up that no user sees; the warm-up round writes the caches)
INSTALLED_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def base_txt_nfc(p: Path) -> object:
    import unicodedata

    return unicodedata.normalize("NFC", p.read_bytes().decode("utf-8"))


def child_scale(path: str, k: int) -> None:
    """A fresh process: the text of ``path`` repeated ``k`` times, parsed once (after a warm parse
    of the sample); CPU seconds of the parse, the peak resident memory it added, the text's bytes."""
    import bcparse

    text = Path(path).read_text(encoding="utf-8")
    bcparse.parse(path)
    tmp = Path(tempfile.mkdtemp(prefix="bench-scale-")) / f"x{k}.txt"
    tmp.write_text("\n".join([text] * k), encoding="utf-8")
    del text
    gc.collect()
    rss0 = _status_mb("VmRSS")
    hwm0 = _status_mb("VmHWM")
    t = time.process_time()
    r = bcparse.parse(tmp)
    cpu = time.process_time() - t
    shutil.rmtree(tmp.parent, ignore_errors=True)
    peak = max(_status_mb("VmHWM") - max(rss0, 0.0), _status_mb("VmHWM") - hwm0, 0.0)
    print(json.dumps({"k": k, "cpu_s": cpu, "text_bytes": len(r.text.encode()), "peak_mb": peak,
                      "figures": len(r.figures())}))


def floor(rounds: int = 40, cli_rounds: int = 15, multiples: tuple[int, ...] = MULTIPLES) -> dict[str, Any]:
    """Issue 18 in one run: the sample .txt, .docx and .pdf parses interleaved with their reading
    baselines (CPU time, medians), the parse of the .txt repeated 1×…300× in fresh processes (CPU
    time and peak memory per MB of text), and the CLI against `python -c pass` (wall time)."""
    txt, dx, pdf = (SAMPLE.with_suffix(s) for s in (".txt", ".docx", ".pdf"))
    plan = [("txt parse", bc_parse, txt), ("txt read+NFC", base_txt_nfc, txt),
            ("docx parse", bc_parse, dx), ("python-docx", base_docx, dx),
            ("pdf parse", bc_parse, pdf), ("pypdfium2", base_pdfium, pdf)]
    for _, fn, p in plan:
        fn(p)
    acc: dict[str, list[float]] = {name: [] for name, _, _ in plan}
    for r in range(rounds):
        for name, fn, p in plan:
            if name.startswith("pdf") or name == "pypdfium2":
                if r % 4:  # the PDF parse is ~10x the others: a quarter of the rounds
                    continue
            t = time.process_time()
            fn(p)
            acc[name].append(time.process_time() - t)
    med = {name: 1000 * statistics.median(v) for name, v in acc.items()}
    res: dict[str, Any] = {"ms": med, "rounds": rounds}
    res["txt_ratio"] = med["txt parse"] / med["txt read+NFC"]
    res["docx_ratio"] = med["docx parse"] / med["python-docx"]
    res["pdf_ratio"] = med["pdf parse"] / med["pypdfium2"]
    scale = [run_child("--child", "scale", str(txt), str(k)) for k in multiples]
    for s in scale:
        mb = s["text_bytes"] / 1e6
        s["cpu_s_per_mb"] = s["cpu_s"] / mb
        s["peak_mb_per_mb"] = s["peak_mb"] / mb
    res["scale"] = scale
    # the CLI, whole process (wall), alternating with bare Python
    script = Path(PY).with_name("bcparse")
    cli = [str(script)] if script.exists() else [PY, "-m", "bcparse"]
    runs: dict[str, list[float]] = {"python": [], "cli": []}
    for i in range(cli_rounds + 1):
        for name, cmd in (("python", [PY, "-c", "pass"]), ("cli", [*cli, "figures", str(txt), "--json"])):
            t = time.perf_counter()
            subprocess.run(cmd, capture_output=True, check=True, env=INSTALLED_ENV)
            if i:
                runs[name].append(time.perf_counter() - t)
    py, cl = (1000 * statistics.median(runs[k]) for k in ("python", "cli"))
    res["cli"] = {"python_ms": py, "cli_ms": cl, "one_parse_ms": med["txt parse"],
                  "ratio": cl / (py + med["txt parse"])}
    return res


def print_floor(res: dict[str, Any]) -> list[str]:
    """Print issue 18's measurements and verdicts; the verdict lines are returned."""
    ms, F = res["ms"], FLOOR
    print(f"interleaved, {res['rounds']} rounds (CPU ms, medians):  " + ",  ".join(f"{k} {v:.2f}" for k, v in ms.items()))
    print("scale (the sample .txt repeated k times, fresh process each):")
    for s in res["scale"]:
        print(f"  {s['k']:>4}x  {s['text_bytes'] / 1e6:7.2f} MB of text  {s['cpu_s']:8.3f} s CPU  "
              f"{s['cpu_s_per_mb']:6.2f} s/MB  peak +{s['peak_mb']:7.1f} MB  {s['peak_mb_per_mb']:6.1f} bytes/byte")
    c = res["cli"]
    print(f"CLI `bcparse figures sample.txt --json` {c['cli_ms']:.0f} ms wall vs `python -c pass` {c['python_ms']:.0f} ms "
          f"+ one parse {c['one_parse_ms']:.1f} ms")

    def v(ok: bool, text: str) -> str:
        return ("met    " if ok else "MISSED ") + text

    out = [
        v(ms["txt parse"] <= F["txt_ms"], f".txt median {ms['txt parse']:.2f} ms CPU (target <= {F['txt_ms']:g} ms on a "
          f"quiet machine: {ms['txt parse'] / F['txt_ms']:.2f}x the target)"),
        v(res["txt_ratio"] <= F["txt_ratio"], f".txt parse = {res['txt_ratio']:.0f}x a bare read + NFC "
          f"(target <= {F['txt_ratio']:g}x)"),
        v(res["docx_ratio"] <= F["docx_ratio"], f".docx parse = {res['docx_ratio']:.2f}x python-docx open-and-iterate "
          f"(target <= {F['docx_ratio']:g}x)"),
        v(res["pdf_ratio"] <= F["pdf_ratio"], f".pdf parse = {res['pdf_ratio']:.1f}x pypdfium2 get_text_range "
          f"(target <= {F['pdf_ratio']:g}x)"),
    ]
    sc = res["scale"]
    t_per = [s["cpu_s_per_mb"] for s in sc]
    m_per = [s["peak_mb_per_mb"] for s in sc if s["k"] >= 10]  # at 1x the peak is within the noise of RSS
    ref_t = statistics.median(t_per)
    spread_t = max(abs(x / ref_t - 1) for x in t_per)
    out.append(v(spread_t <= F["linear_tol"], "time per MB " + " / ".join(f"{x:.2f}" for x in t_per)
                 + f" s at {'/'.join(str(s['k']) for s in sc)}x: {spread_t:.0%} from their median (target ±15%)"))
    if m_per:
        ref_m = statistics.median(m_per)
        spread_m = max(abs(x / ref_m - 1) for x in m_per)
        out.append(v(spread_m <= F["linear_tol"], "memory per MB " + " / ".join(f"{x:.1f}" for x in m_per)
                     + f" at {'/'.join(str(s['k']) for s in sc if s['k'] >= 10)}x: {spread_m:.0%} from their median "
                     "(target ±15%)"))
        out.append(v(max(m_per) <= F["bytes_per_byte"], f"peak memory {max(m_per):.1f} bytes per byte of text "
                     f"(target <= {F['bytes_per_byte']:g})"))
    out.append(v(c["ratio"] <= F["cli_ratio"], f"CLI = {c['ratio']:.2f}x (`python -c pass` + one parse) "
                 f"(target <= {F['cli_ratio']:g}x)"))
    print("issue 18 targets")
    for line in out:
        print("  " + line)
    return out


def p95(xs: list[float]) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, round(0.95 * (len(s) - 1)))]


# ---------------------------------------------------------------------------------------------
# Child processes: a batch (memory, growth) and the imports on the hot path
# ---------------------------------------------------------------------------------------------


def _status_mb(field: str) -> float:
    """A memory figure of this process from /proc/self/status (VmHWM: peak resident, VmRSS: now)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # (includes the parent's: fork keeps it)


def child_batch(listfile: str, trace: bool) -> None:
    """Parse a batch keeping nothing. Plain: time per report, peak RSS, and growth after the first
    tenth of the batch (resident MB, Python memory blocks); traced: the peak of one parse."""
    import gc
    import tracemalloc

    paths = [Path(x) for x in Path(listfile).read_text().split("\n") if x]
    import bcparse

    bcparse.parse(paths[0])
    gc.collect()
    out: dict[str, float] = {}
    if trace:
        tracemalloc.start()
        base = tracemalloc.get_traced_memory()[0]
        peak_one = 0
        for p in paths:
            tracemalloc.reset_peak()
            bcparse.parse(p)
            peak_one = max(peak_one, tracemalloc.get_traced_memory()[1] - base)
        out["traced_peak_one_mb"] = peak_one / 2**20
        print(json.dumps(out))
        return
    warm = max(1, len(paths) // 10)
    t = time.perf_counter()
    for i, p in enumerate(paths):
        if i == warm:
            gc.collect()
            rss_warm, blocks_warm = _status_mb("VmRSS"), sys.getallocatedblocks()
        bcparse.parse(p)
    elapsed = time.perf_counter() - t
    gc.collect()
    out["per_report_ms"] = elapsed / len(paths) * 1000
    out["maxrss_mb"] = _status_mb("VmHWM")
    if len(paths) > warm:
        rest = len(paths) - warm
        out["rss_growth_mb"] = _status_mb("VmRSS") - rss_warm
        out["blocks_per_report"] = (sys.getallocatedblocks() - blocks_warm) / rest
    print(json.dumps(out))


def child_modules(path: str) -> None:
    t = time.perf_counter()
    import bcparse

    t_import = time.perf_counter() - t
    heavy = ("underthesea", "torch", "transformers", "sklearn", "nltk", "pandas", "numpy", "sqlalchemy")
    before = {m for m in heavy if m in sys.modules}
    t = time.perf_counter()
    bcparse.parse(path)
    t_first = time.perf_counter() - t
    after = sorted(m for m in heavy if m in sys.modules)
    print(json.dumps({"import_ms": t_import * 1000, "first_parse_ms": t_first * 1000, "heavy_before": sorted(before),
                      "heavy_after": after, "underthesea": "underthesea" in sys.modules}))


def run_child(*args: str) -> dict[str, Any]:
    # the scale check parses up to 300 x 17 kB: above the default limit on a document's text
    env = {**os.environ, "BCPARSE_MAX_TEXT_CHARS": "100000000"}
    p = subprocess.run([PY, __file__, *args], capture_output=True, text=True, timeout=3600, cwd=ROOT, env=env)
    if p.returncode != 0:
        raise RuntimeError(p.stderr[-2000:])
    return json.loads(p.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------------------------------
# The run
# ---------------------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        load = "?"
    mem = ""
    try:
        kb = int(next(x for x in Path("/proc/meminfo").read_text().splitlines() if x.startswith("MemTotal")).split()[1])
        mem = f"{kb / 2**20:.0f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    from importlib.metadata import version

    libs = {name: version(name) for name in ("python-docx", "pdfplumber", "pypdfium2", "lxml", "pydantic")}
    return {"nproc": str(os.cpu_count()), "cpu": cpu, "memory": mem, "python": platform.python_version(),
            "os": f"{platform.system()} {platform.release()}", "load average before": load, **libs}


def startup(rounds: int = 30) -> dict[str, float]:
    """``bcparse --version`` and ``python -c pass``, run alternately ``rounds`` times each (after one
    warm-up of each), so that both see the same load: medians in ms, their difference and ratio."""
    script = Path(PY).with_name("bcparse")
    version = [str(script), "--version"] if script.exists() else [PY, "-m", "bcparse", "--version"]
    runs: dict[str, list[float]] = {"python": [], "version": []}
    for i in range(rounds + 1):
        for name, cmd in (("python", [PY, "-c", "pass"]), ("version", version)):
            t = time.perf_counter()
            subprocess.run(cmd, capture_output=True, check=True)
            if i:  # the first round warms the file cache
                runs[name].append(time.perf_counter() - t)
    py, ver = (statistics.median(runs[k]) * 1000 for k in ("python", "version"))
    return {"python_ms": py, "version_ms": ver, "over_ms": ver - py, "ratio": ver / py, "rounds": rounds}


def print_startup(s: dict[str, float]) -> None:
    print(f"start-up ({s['rounds']:.0f} alternating runs each): `python -c pass` {s['python_ms']:.0f} ms, "
          f"`bcparse --version` {s['version_ms']:.0f} ms: {s['over_ms']:+.0f} ms, {s['ratio']:.2f} x bare Python "
          f"({'met' if s['over_ms'] <= TARGETS['version_ms'] else 'MISSED'}: target ≤ {TARGETS['version_ms']:g} ms "
          "over bare Python)", flush=True)


def fmt_ms(x: float) -> str:
    ms = x * 1000
    return f"{ms:.3f}" if ms < 1 else f"{ms:.1f}" if ms < 1000 else f"{ms:.0f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="bcparse benchmark (issue 8); prints figures, judges the targets.")
    ap.add_argument("--sizes", default="10,100,1000", help="batch sizes N (default 10,100,1000)")
    ap.add_argument("--pdfs", type=int, default=20, help="PDFs converted with LibreOffice, cycled (default 20)")
    ap.add_argument("--quick", action="store_true", help="N = 10,100; 10 PDFs; import of 100 reports")
    ap.add_argument("--import-n", type=int, default=1000, help="reports for `bcparse import` (default 1000)")
    ap.add_argument("--workdir", type=Path, help="keep the generated reports here (default: a temporary folder)")
    ap.add_argument("--markdown", action="store_true", help="also print the results as markdown tables")
    ap.add_argument("--json", type=Path, help="write the results as JSON to this file")
    ap.add_argument("--speed", action="store_true",
                    help="only the parse-speed check of issue 13 (sample .txt median, .docx vs python-docx; ~20 s)")
    ap.add_argument("--pdf-tables", action="store_true",
                    help="only the cost of reading PDF tables (issue 14): .pdf parse vs pdfplumber extract_text")
    ap.add_argument("--startup", action="store_true", help="only the start-up measurement (bcparse --version)")
    ap.add_argument("--floor", action="store_true",
                    help="only issue 18: every target as a ratio in one interleaved run (~2 minutes)")
    ap.add_argument("--multiples", default=",".join(map(str, MULTIPLES)),
                    help="--floor: the sample .txt repeated k times for the scale check (default 1,10,100,300)")
    ap.add_argument("--startup-rounds", type=int, default=30, help="alternating runs of each (default 30)")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.child:
        if a.child[0] == "batch":
            child_batch(a.child[1], a.child[2] == "trace")
        elif a.child[0] == "scale":
            child_scale(a.child[1], int(a.child[2]))
        else:
            child_modules(a.child[1])
        return 0
    if a.floor:
        print("machine: " + ", ".join(f"{k} {v}" for k, v in machine().items()), flush=True)
        res_f = floor(multiples=tuple(int(x) for x in a.multiples.split(",")))
        res_f["verdicts"] = print_floor(res_f)
        try:
            res_f["load_after"] = " ".join(f"{x:.1f}" for x in os.getloadavg())
            print("load average after: " + res_f["load_after"])
        except OSError:
            pass
        if a.json:
            a.json.write_text(json.dumps({"machine": machine(), "floor": res_f}, indent=1), encoding="utf-8")
        return 0
    if a.pdf_tables:
        print("machine: " + ", ".join(f"{k} {v}" for k, v in machine().items()), flush=True)
        res_t = pdf_tables()
        print_pdf_tables(res_t)
        if a.json:
            a.json.write_text(json.dumps({"machine": machine(), "pdf_tables": res_t}, indent=1), encoding="utf-8")
        return 0
    if a.speed:
        print("machine: " + ", ".join(f"{k} {v}" for k, v in machine().items()), flush=True)
        res_sp = speed()
        print_speed(res_sp)
        if a.json:
            a.json.write_text(json.dumps({"machine": machine(), "speed": res_sp}, indent=1), encoding="utf-8")
        return 0
    if a.startup:
        print("machine: " + ", ".join(f"{k} {v}" for k, v in machine().items()), flush=True)
        res_s = startup(a.startup_rounds)
        print_startup(res_s)
        if a.json:
            a.json.write_text(json.dumps({"machine": machine(), "startup": res_s}, indent=1), encoding="utf-8")
        return 0
    if a.quick:
        a.sizes, a.pdfs, a.import_n = "10,100", 10, 100
    sizes = sorted(int(x) for x in a.sizes.split(","))
    nmax = max(sizes)
    work = a.workdir or Path(tempfile.mkdtemp(prefix="bcparse-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    res: dict[str, Any] = {"machine": machine(), "sizes": sizes}
    print("machine: " + ", ".join(f"{k} {v}" for k, v in res["machine"].items()), flush=True)

    t = time.perf_counter()
    files = make_reports(work, max(nmax, a.import_n), a.pdfs)
    sizes_kb = {f: statistics.median(p.stat().st_size for p in ps) / 1000 for f, ps in files.items()}
    import bcparse

    text_kb = len(bcparse.parse(files["txt"][0]).text.encode()) / 1000
    res["reports"] = {"made_s": time.perf_counter() - t, "median_file_kb": sizes_kb, "text_kb": text_kb,
                      "distinct_pdfs": len(files["pdf"])}
    print(f"reports: {max(nmax, a.import_n)} .txt and .docx, {len(files['pdf'])} distinct PDFs "
          f"(median file kB: {', '.join(f'{k} {v:.0f}' for k, v in sizes_kb.items())}; text view {text_kb:.1f} kB) "
          f"in {res['reports']['made_s']:.0f} s; in {work}", flush=True)

    # -- time per report and format, N = nmax
    res["time"] = {}
    print(f"\ntime per report, N = {nmax} (ms): median, p95, ratio of medians to the baseline")
    for fmt, readers in PLAN.items():
        paths = cycle(files[fmt], nmax)
        row: dict[str, dict[str, float]] = {}
        for name in readers:
            ts = timings(READERS[name], paths)
            row[name] = {"median": statistics.median(ts), "p95": p95(ts), "mean": statistics.fmean(ts)}
        res["time"][fmt] = row
        bc = row["bcparse"]["median"]
        for name in readers:
            r = row[name]
            ratio = "" if name.startswith("bcparse") else f"   bcparse = {bc / r['median']:.2f} x"
            print(f"  {fmt:<5} {name:<16} {fmt_ms(r['median']):>8} {fmt_ms(r['p95']):>8}{ratio}", flush=True)

    # -- memory and growth
    res["growth"] = {}
    print("\nbatch in a fresh process, nothing kept: ms per report, peak RSS; after the first tenth: RSS growth, "
          "Python memory blocks left per report; tracemalloc peak of one parse (on the first 100)")
    for fmt in PLAN:
        for n in sizes:
            lst = work / f"list-{fmt}-{n}.txt"
            lst.write_text("\n".join(map(str, cycle(files[fmt], n))))
            g = run_child("--child", "batch", str(lst), "plain")
            lst100 = work / f"list-{fmt}-{min(n, 100)}.txt"
            lst100.write_text("\n".join(map(str, cycle(files[fmt], min(n, 100)))))
            g.update(run_child("--child", "batch", str(lst100), "trace"))
            res["growth"][f"{fmt}-{n}"] = g
            print(f"  {fmt:<5} N={n:<5} {g['per_report_ms']:8.1f} ms/report, peak RSS {g['maxrss_mb']:5.0f} MB, "
                  f"growth {g.get('rss_growth_mb', 0):5.1f} MB, {g.get('blocks_per_report', 0):6.1f} blocks/report, "
                  f"one parse {g['traced_peak_one_mb']:4.1f} MB", flush=True)

    # -- import
    res["import"] = {}
    has_import = subprocess.run([PY, "-m", "bcparse", "import", "--help"], capture_output=True).returncode == 0
    if has_import:
        n = a.import_n
        src = work / f"import-{n}"
        if not src.exists():
            src.mkdir()
            for p in files["txt"][:n]:
                os.link(p, src / p.name)
        print(f"\nbcparse import of {n} .txt reports into a fresh SQLite file")
        for jobs in (2, 1):
            db = work / f"import-j{jobs}.db"
            db.unlink(missing_ok=True)
            t = time.perf_counter()
            p = subprocess.run([PY, "-m", "bcparse", "import", str(src), "--db", f"sqlite:///{db}", "--jobs", str(jobs)],
                               capture_output=True, text=True, timeout=3600)
            el = time.perf_counter() - t
            res["import"][f"jobs{jobs}"] = {"seconds": el, "per_second": n / el, "exit": p.returncode,
                                            "summary": p.stdout.strip().splitlines()[0] if p.stdout.strip() else p.stderr[-300:]}
            print(f"  --jobs {jobs}: {el:6.1f} s, {n / el:6.1f} reports/s   ({res['import'][f'jobs{jobs}']['summary']})",
                  flush=True)
    else:
        print("\nbcparse import: not available in this checkout")

    # -- imports on the hot path, cold start, CLI
    res["modules"] = {}
    print("\nfresh process: import bcparse, first parse (cold), heavy modules loaded")
    for fmt in PLAN:
        m = run_child("--child", "modules", str(files[fmt][0]))
        res["modules"][fmt] = m
        print(f"  {fmt:<5} import {m['import_ms']:6.0f} ms, first parse {m['first_parse_ms']:6.0f} ms, "
              f"underthesea {'LOADED' if m['underthesea'] else 'not loaded'}; heavy modules: "
              f"{', '.join(m['heavy_after']) or 'none'}", flush=True)
    t_und = subprocess.run([PY, "-c", "import time; t=time.perf_counter(); import underthesea; "
                            "print(time.perf_counter()-t)"], capture_output=True, text=True)
    if t_und.returncode == 0:
        res["underthesea_import_ms"] = float(t_und.stdout.strip()) * 1000
        print(f"  (import underthesea alone: {res['underthesea_import_ms']:.0f} ms)")
    cli = []
    for _ in range(5):
        t = time.perf_counter()
        subprocess.run([PY, "-m", "bcparse", "figures", str(files["txt"][0])], capture_output=True, check=True)
        cli.append(time.perf_counter() - t)
    res["cli_ms"] = statistics.median(cli) * 1000
    print(f"  CLI `bcparse figures REPORT.txt`, whole process: {res['cli_ms']:.0f} ms (median of 5)")
    res["startup"] = startup(a.startup_rounds)
    print_startup(res["startup"])

    verdicts = judge(res)
    print("\ntargets")
    for v in verdicts:
        print("  " + v)
    res["verdicts"] = verdicts
    if a.json:
        a.json.write_text(json.dumps(res, indent=1, ensure_ascii=False), encoding="utf-8")
    if a.markdown:
        print("\n" + markdown(res))
    if not a.workdir:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def judge(res: dict[str, Any]) -> list[str]:
    t = res["time"]
    out = []
    txt = t["txt"]["bcparse"]["median"] * 1000
    out.append(f"{'met ' if txt <= TARGETS['txt_ms'] else 'MISSED'} .txt median {txt:.1f} ms "
               f"(target {TARGETS['txt_ms']:g} ms for a {res['reports']['text_kb']:.0f}-kB report: "
               f"{txt / TARGETS['txt_ms']:.2f} x the target; p95 {t['txt']['bcparse']['p95'] * 1000:.1f} ms)")
    def split(fmt: str) -> str:
        total, read = t[fmt]["bcparse"]["median"] * 1000, t[fmt]["bcparse.read only"]["median"] * 1000
        return f"reading {read:.1f} ms + the rest of the pipeline {total - read:.1f} ms"

    d = t["docx"]["bcparse"]["median"] / t["docx"]["python-docx"]["median"]
    dr = t["docx"]["bcparse.read only"]["median"] / t["docx"]["python-docx"]["median"]
    out.append(f"{'met ' if d <= TARGETS['docx_ratio'] else 'MISSED'} .docx {d:.2f} x python-docx "
               f"(target {TARGETS['docx_ratio']:g} x; {split('docx')}; the reader alone {dr:.2f} x)")
    pl = t["pdf"]["bcparse"]["median"] / t["pdf"]["pdfplumber"]["median"]
    pf = t["pdf"]["bcparse"]["median"] / t["pdf"]["pypdfium2"]["median"]
    out.append(f"{'met ' if pl <= TARGETS['pdf_ratio'] else 'MISSED'} .pdf {pl:.2f} x pdfplumber "
               f"(target {TARGETS['pdf_ratio']:g} x; {pf:.1f} x pypdfium2's bare text; {split('pdf')})")
    g = res["growth"]
    sizes = res["sizes"]
    lo, hi = min(sizes), max(sizes)
    for fmt in PLAN:
        a, b = g[f"{fmt}-{lo}"], g[f"{fmt}-{hi}"]
        rss = b["maxrss_mb"] - a["maxrss_mb"]
        blocks = b.get("blocks_per_report", 0.0)
        flat = rss < 0.1 * a["maxrss_mb"] + 5 and blocks < 10
        out.append(f"{'met ' if flat else 'MISSED'} {fmt} memory flat from N={lo} to N={hi}: peak RSS "
                   f"{a['maxrss_mb']:.0f} → {b['maxrss_mb']:.0f} MB, {blocks:.1f} memory blocks left per report "
                   f"after the first tenth; time per report {a['per_report_ms']:.1f} → {b['per_report_ms']:.1f} ms")
    if "startup" in res:
        s = res["startup"]
        out.append(f"{'met ' if s['over_ms'] <= TARGETS['version_ms'] else 'MISSED'} `bcparse --version` "
                   f"{s['over_ms']:+.0f} ms over `python -c pass` ({s['ratio']:.2f} x; target ≤ "
                   f"{TARGETS['version_ms']:g} ms)")
    und = [f for f, m in res["modules"].items() if m["underthesea"]]
    out.append(f"{'MISSED' if und else 'met '} underthesea off the hot path"
               + (f": loaded when parsing {', '.join(und)}" if und else ""))
    return out


def markdown(res: dict[str, Any]) -> str:
    m = res["machine"]
    lines = ["| machine | |", "| --- | --- |"]
    lines += [f"| {k} | {v} |" for k, v in m.items()]
    n = max(res["sizes"])
    lines += ["", f"Time per report, N = {n} (ms)", "",
              "| format | reader | median | p95 | bcparse ÷ this |", "| --- | --- | ---: | ---: | ---: |"]
    for fmt, row in res["time"].items():
        bc = row["bcparse"]["median"]
        for name, r in row.items():
            ratio = "" if name.startswith("bcparse") else f"{bc / r['median']:.2f}"
            lines.append(f"| {fmt} | {name} | {fmt_ms(r['median'])} | {fmt_ms(r['p95'])} | {ratio} |")
    lines += ["", "Batches in a fresh process", "",
              "| format | N | ms / report | peak RSS MB | RSS growth after the first tenth MB "
              "| memory blocks left per report | tracemalloc: peak of one parse MB |",
              "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for key, g in res["growth"].items():
        fmt, nn = key.split("-")
        lines.append(f"| {fmt} | {nn} | {g['per_report_ms']:.1f} | {g['maxrss_mb']:.0f} | "
                     f"{g.get('rss_growth_mb', 0):.1f} | {g.get('blocks_per_report', 0):.1f} | "
                     f"{g['traced_peak_one_mb']:.1f} |")
    if res.get("import"):
        lines += ["", "| `bcparse import` | seconds | reports / s |", "| --- | ---: | ---: |"]
        for k, v in res["import"].items():
            lines.append(f"| --jobs {k[4:]} | {v['seconds']:.1f} | {v['per_second']:.1f} |")
    lines += ["", "| cold process | import bcparse ms | first parse ms | underthesea loaded | heavy modules |",
              "| --- | ---: | ---: | --- | --- |"]
    for fmt, mm in res["modules"].items():
        lines.append(f"| {fmt} | {mm['import_ms']:.0f} | {mm['first_parse_ms']:.0f} | "
                     f"{'yes' if mm['underthesea'] else 'no'} | {', '.join(mm['heavy_after']) or 'none'} |")
    if res.get("startup"):
        st = res["startup"]
        lines += ["", "| start-up | `python -c pass` ms | `bcparse --version` ms | over ms | ratio |",
                  "| --- | ---: | ---: | ---: | ---: |",
                  f"| {st['rounds']:.0f} alternating runs | {st['python_ms']:.0f} | {st['version_ms']:.0f} | "
                  f"{st['over_ms']:+.0f} | {st['ratio']:.2f} |"]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
