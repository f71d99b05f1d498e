"""Scanned reports: how many keyed figures OCR gets exactly right, and how many wrong ones slip
through unflagged (issue 16; docs/ocr.md).

    python benchmarks/ocr.py                       # every sample PDF: clean 300/150 dpi and the degraded scans
    python benchmarks/ocr.py --variants 300 blur   # some of them
    python benchmarks/ocr.py --workdir /tmp/scans  # keep (and reuse) the generated scans
    python benchmarks/ocr.py --json out.json

The scans are made by tests/data/scans/make_scans.py from samples/*.pdf (image-only PDFs). For
each scan the reference is the parse of the text PDF it was made from. Printed per scan:

- **exact**: the share of the reference's keyed figures (a key, a result or target address) that
  the scan gives with the same address and the same value;
- **wrong**: keyed figures of the scan whose address the reference lacks or whose value differs;
- **flagged**: wrong ones whose OCR confidence is under the threshold (audit BC501);
- **audited**: wrong ones (not flagged) that another audit finding names (a sum that no longer
  adds up, BC1xx);
- **silent**: wrong, neither flagged nor audited: the figure to drive to zero;
- **outline identical**: whether the section tree (numbers, depths, titles, as `bcparse outline`
  shows it, less the line numbers) is the text PDF's, and how many of its sections differ;
- **s/page**: seconds of the parse (render + OCR + layout + extraction) per page, wall clock and CPU
  time of the process (the CPU time does not grow with the machine's load).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "data" / "scans"))

import make_scans  # noqa: E402

import bcparse  # noqa: E402
from bcparse.audit import audit_report  # noqa: E402
from bcparse.readers.ocr.confidence import THRESHOLD  # noqa: E402

VARIANTS = ("300", "150", "blur", "noise", "jpeg40", "skew1")


def _keyed(report: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in report.figures():
        if f.key is None or f.derived:
            continue
        addr = f.address or f.key
        out.setdefault(addr, f)
    return out


def _outline(report: Any) -> list[tuple[str | None, int, str]]:
    """The section tree as `bcparse outline` shows it: number, depth, title (not the line numbers:
    a line OCR splits or loses moves them)."""
    return [(s.number, s.level, " ".join((s.title or "").split())) for s in report.sections]


def outline_diff(ref: Any, scan: Any) -> tuple[int, int, list[str]]:
    """How many sections differ (the text PDF's against the scan's, in order; a section one side
    lacks counts), of how many, and the differences."""
    a, b = _outline(ref), _outline(scan)
    diffs = [f"{x} | {y}" for x, y in zip(a, b, strict=False) if x != y]
    diffs += [f"{x} | -" for x in a[len(b):]] + [f"- | {y}" for y in b[len(a):]]
    return len(diffs), max(len(a), len(b)), diffs


def score(ref: Any, scan: Any) -> dict[str, Any]:
    want, got = _keyed(ref), _keyed(scan)
    right = [a for a, f in want.items() if a in got and got[a].value == f.value]
    wrong = [a for a, f in got.items() if a not in want or want[a].value != f.value]
    findings = audit_report(scan)
    audited_keys = {k for fd in findings if fd.code != "BC501" for k in fd.keys}
    flagged = [a for a in wrong if got[a].ocr is not None and got[a].ocr.confidence < THRESHOLD]
    audited = [a for a in wrong if a not in flagged and got[a].key in audited_keys]
    silent = [a for a in wrong if a not in flagged and a not in audited]
    return {
        "keyed": len(want),
        "exact": len(right),
        "exact_share": round(len(right) / len(want), 4) if want else None,
        "missing": sorted(a for a in want if a not in got),
        "wrong": len(wrong),
        "flagged": len(flagged),
        "audited": len(audited),
        "silent": len(silent),
        "wrong_figures": [f"{'flagged' if a in flagged else 'audited' if a in audited else 'SILENT'} {a}: "
                          f"{got[a].raw!r} (text PDF: {want[a].raw if a in want else '-'!r})" for a in wrong],
        "outline_same": _outline(ref) == _outline(scan),
        "outline_differ": outline_diff(ref, scan)[0],
        "sections": outline_diff(ref, scan)[1],
        "outline_diff": outline_diff(ref, scan)[2],
        "uncertain": sum(1 for f in scan.figures() if f.ocr is not None and f.ocr.confidence < THRESHOLD),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--variants", nargs="*", default=list(VARIANTS), choices=VARIANTS)
    ap.add_argument("--workdir", type=Path, default=None)
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("-v", "--verbose", action="store_true", help="list the missing and the wrong figures")
    a = ap.parse_args()
    work = a.workdir or Path(os.environ.get("TMPDIR", "/tmp")) / "bcparse-ocr-bench"
    if not all((work / f"{s.stem}-300-skew1.pdf").exists() for s in make_scans.SAMPLES):
        make_scans.make(work)
    rows = []
    for src in make_scans.SAMPLES:
        ref = bcparse.parse(src, ocr="never")
        for v in a.variants:
            scan_path = work / (f"{src.stem}-{v}.pdf" if v in ("300", "150") else f"{src.stem}-300-{v}.pdf")
            t, c = time.perf_counter(), time.process_time()
            rep = bcparse.parse(scan_path)
            spent, cpu = time.perf_counter() - t, time.process_time() - c
            pages = int(bcparse.read(src, ocr="never").meta.get("pages", 1))  # type: ignore[call-overload]
            row = {"sample": src.name, "scan": v, "seconds_per_page": round(spent / max(pages, 1), 2),
                   "cpu_seconds_per_page": round(cpu / max(pages, 1), 2),
                   **score(ref, rep)}
            rows.append(row)
            print(f"{src.stem:32} {v:7} exact {row['exact']:3}/{row['keyed']:3} = {100 * (row['exact_share'] or 0):5.1f}%"
                  f"  wrong {row['wrong']:2} (flagged {row['flagged']}, audited {row['audited']}, "
                  f"silent {row['silent']})  outline identical: {'yes' if row['outline_same'] else 'no'} "
                  f"({row['outline_differ']} of {row['sections']} sections differ)"
                  f"  {row['seconds_per_page']:.2f} s/page ({row['cpu_seconds_per_page']:.2f} CPU)", flush=True)
            if a.verbose:
                for m in row["missing"]:
                    print(f"      missing {m}")
                for s in row["wrong_figures"]:
                    print(f"      wrong   {s}")
                for s in row["outline_diff"]:
                    print(f"      outline {s}")
    clean = [r for r in rows if r["scan"] == "300"]
    degraded = [r for r in rows if r["scan"] in ("blur", "noise", "jpeg40", "skew1")]

    def share(rs: list[dict[str, Any]]) -> str:
        k = sum(r["keyed"] for r in rs)
        return f"{100 * sum(r['exact'] for r in rs) / k:.1f}%" if k else "-"

    machine = (f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_version()}, "
               f"load average {os.getloadavg()[0]:.1f}")
    print(f"\nclean 300 dpi: {share(clean)} of keyed figures exactly right (value and key); outline identical: "
          f"{'yes' if clean and all(r['outline_same'] for r in clean) else 'no'} "
          f"({sum(r['outline_differ'] for r in clean)} of {sum(r['sections'] for r in clean)} sections differ)")
    print(f"degraded (blur, noise, JPEG q40, 1° skew): {share(degraded)} exactly right; wrong and neither "
          f"flagged nor audited: {sum(r['silent'] for r in degraded)}")
    secs = [r["seconds_per_page"] for r in rows]
    cpus = [r["cpu_seconds_per_page"] for r in rows]
    if secs:
        print(f"seconds per page: {sum(secs) / len(secs):.2f} mean wall, {min(secs):.2f}-{max(secs):.2f}; "
              f"{sum(cpus) / len(cpus):.2f} mean CPU ({machine})")
    if a.json:
        a.json.write_text(json.dumps({"machine": machine, "threshold": THRESHOLD, "rows": rows},
                                     ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
