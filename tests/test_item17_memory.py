"""Issue 11 item 17: peak memory is linear in the input, with a documented bound.

A quantity-dense text (a figure every ~9 bytes, the worst kind of prose) is parsed in a child
process; its peak resident memory (VmHWM) above what it held before parsing, per byte of input,
must stay under twice the bound measured on the 2-CPU machine (benchmarks/README.md). Memory does
not depend on how busy the machine is, but the parse takes seconds: the check is in the slow set.
A text over ``max_text_chars`` is refused before any block is made of it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import bcparse
from bcparse import limits

# measured: ~150 bytes of peak memory per byte of this text (1 MB: 174 MB VmHWM, ~35 MB before)
BYTES_PER_BYTE = 2 * 160

_CHILD = r"""
import json, sys
import bcparse
def hwm():
    return next(int(x.split()[1]) * 1024 for x in open("/proc/self/status") if x.startswith("VmHWM:"))
bcparse.parse_text("Xã có 5 hộ nghèo.")  # imports and grammars: not the parse's memory
before = hwm()
r = bcparse.parse(sys.argv[1])
print(json.dumps({"before": before, "peak": hwm(), "figures": len(r.figures(all=True))}))
"""


def dense_text(size: int) -> str:
    lines, n, i = [], 0, 0
    while n < size:
        line = ", ".join(f"{(i + k) % 97} hộ" for k in range(12)) + ".\n"
        i += 12
        lines.append(line)
        n += len(line.encode())
    return "".join(lines)


@pytest.mark.slow
def test_item17_peak_memory_per_input_byte_is_bounded(tmp_path: Path) -> None:
    path = tmp_path / "dense.txt"
    path.write_text(dense_text(600_000), encoding="utf-8")
    size = path.stat().st_size
    p = subprocess.run([sys.executable, "-c", _CHILD, str(path)], capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stderr[-2000:]
    got = json.loads(p.stdout.strip().splitlines()[-1])
    assert got["figures"] > size // 10  # every quantity is a figure: no cap
    per_byte = (got["peak"] - got["before"]) / size
    assert per_byte < BYTES_PER_BYTE, f"{per_byte:.0f} bytes of peak memory per byte of input"


def test_item17_a_text_over_the_limit_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    before = limits.current()
    try:
        limits.configure(max_text_chars=10_000)
        with pytest.raises(bcparse.errors.InputTooLargeError, match="over the limit of 10,000 characters"):
            bcparse.parse_text(dense_text(20_000))
        assert bcparse.parse_text(dense_text(5_000)).figures(all=True)
    finally:
        limits.configure(**{k: getattr(before, k) for k in before.__slots__})  # type: ignore[attr-defined]


def test_item17_the_default_limit_keeps_a_worst_case_text_under_1_gb() -> None:
    # ~800 bytes per character at worst (one-digit lines: a block and a figure each), benchmarks/README.md
    assert limits.Limits().max_text_chars * 800 < 1 << 30
