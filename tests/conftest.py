"""Fixtures shared by the test modules.

- ``root``, ``samples_dir``, ``sample_txt``, ``real_txts``: where the committed reports are.
- ``sample_report``: the sample report (samples/binh-thanh-doi-ngoai-2024.txt) parsed once per session
  (do not change it: use ``Report.set`` or parse again for an edited copy).
- ``run_cli``: run ``python -m bcparse ARGS`` in a child process, as a user does, and get the
  ``CompletedProcess`` (text mode). Its timeout is a hang guard, never a timed assertion.

The ``slow`` marker (pyproject.toml) holds the timing, linearity, peak-memory and big hostile-input
tests; the default run leaves them out and ``python -m pytest -m slow`` runs them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import bcparse

ROOT = Path(__file__).resolve().parent.parent
HANG_GUARD = 300.0  # seconds: a child still running after this has hung, whatever the machine's load

RunCli = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    return ROOT / "samples"


@pytest.fixture(scope="session")
def sample_txt() -> Path:
    return ROOT / "samples" / "binh-thanh-doi-ngoai-2024.txt"


@pytest.fixture(scope="session")
def real_txts() -> list[Path]:
    return sorted((ROOT / "tests" / "data" / "real").glob("*.txt"))


@pytest.fixture(scope="session")
def sample_report(sample_txt: Path) -> bcparse.Report:
    return bcparse.parse(sample_txt)


@pytest.fixture(scope="session")
def run_cli() -> RunCli:
    """``run_cli("figures", path, "-o", out, cwd=..., env={...}, input=...)``."""

    def run(*args: str | os.PathLike[str], cwd: Path | None = None, env: dict[str, str] | None = None,
            input: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "bcparse", *map(str, args)], capture_output=True, text=True,
                              cwd=cwd, env={**os.environ, **(env or {})}, input=input, timeout=HANG_GUARD)

    return run
