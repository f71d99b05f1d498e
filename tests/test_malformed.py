"""Malformed and hostile files: every one gives a typed, one-line error (issue 8).

The corpus is built by ``tests/make_malformed.py`` into a temporary folder. Each file is read

- through the library (``bcparse.read`` and ``bcparse.parse``): a :class:`bcparse.BcparseError`
  subclass among those the manifest accepts, with a one-line message;
- through the CLI (``python -m bcparse figures FILE -o OUT``): exit status 2, exactly one stderr
  line starting ``bcparse: error:``, no traceback, nothing on stdout, and neither OUT nor a
  temporary file left behind.

The few files whose content decides the format (a PDF named .txt) must give a report instead.
Files hostile to time or memory (``isolate``) are read in a child process with a memory cap and
their peak memory checked; they are marked ``slow`` (``python -m pytest -m slow``). No check here
depends on how busy the machine is: a case's ``max_seconds`` is only the base of a hang guard
(``hang_guard``: 10x it plus 30 s) that kills a child which would otherwise never end; the time
budgets belong to benchmarks (benchmarks/README.md), not to tests.

Known problems in code outside these tests are marked ``xfail(strict=True)`` with the finding in
``notes/hostile-findings.md`` they reproduce: the mark flips to a failure once the finding is fixed,
and should then be removed.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bcparse
from bcparse import limits

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_malformed as mm  # noqa: E402
from conftest import RunCli  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CASES = [c for make in mm.BUILDERS for c in make()]
BY_NAME = {c.name: c for c in CASES}
MEMORY_CAP = 3 << 30  # address space of a child reading an isolated file

# Findings (notes/hostile-findings.md) that make a case fail today:
# case name → (reason, the tests it fails: "lib" and/or "cli").
KNOWN: dict[str, tuple[str, set[str]]] = {
    # F3 (late DOCTYPE), F4 (a .docx with no text) and F6 (a member lying about its size) are fixed in
    # bcparse/readers; add a case here, with its finding, when a new one is found
}


def _params(test: str) -> list[object]:
    out = []
    for c in CASES:
        reason, tests = KNOWN.get(c.name, ("", set()))
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if test in tests else []
        if c.isolate:  # the big hostile inputs: the slow set
            marks.append(pytest.mark.slow)
        out.append(pytest.param(c.name, id=c.name, marks=marks))
    return out


def hang_guard(c: mm.Case) -> float:
    """Seconds after which a child reading case ``c`` is killed: far beyond its budget, so that only a
    hang (never a busy machine) reaches it."""
    return 10 * c.max_seconds + 30


# ---------------------------------------------------------------------------------------------
# The corpus, and every child process started at once (they are the slow part)
# ---------------------------------------------------------------------------------------------

_CHILD = r"""
import json, resource, sys
import bcparse
try:
    r = bcparse.parse(sys.argv[1])
    out = {"outcome": "report:" + r.format, "message": "; ".join(r.warnings)}
except bcparse.BcparseError as e:
    out = {"outcome": type(e).__name__, "message": str(e)}
# peak resident memory of this process: VmHWM (ru_maxrss would include the parent's, which fork keeps)
try:
    hwm = next(x for x in open("/proc/self/status") if x.startswith("VmHWM:"))
    out["max_mb"] = int(hwm.split()[1]) // 1024
except (OSError, StopIteration):
    out["max_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
print(json.dumps(out))
"""


@dataclass
class Run:
    returncode: int | None  # None: killed at the timeout
    stdout: str
    stderr: str
    seconds: float
    outdir: Path | None = None


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def _run(argv: list[str], timeout: float, cwd: Path | None = None) -> Run:
    t = time.perf_counter()
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    try:
        p = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, cwd=cwd, env=env,
                           preexec_fn=_cap_memory)
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
        err = e.stderr.decode() if isinstance(e.stderr, bytes) else (e.stderr or "")
        return Run(None, out, err, time.perf_counter() - t, cwd)
    return Run(p.returncode, p.stdout, p.stderr, time.perf_counter() - t, cwd)


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus, built by running the script as its users do."""
    out = tmp_path_factory.mktemp("malformed")
    p = subprocess.run([sys.executable, str(ROOT / "tests" / "make_malformed.py"), str(out)],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    return out


@pytest.fixture(scope="session")
def children(corpus: Path, tmp_path_factory: pytest.TempPathFactory,
             request: pytest.FixtureRequest) -> dict[tuple[str, str], Future[Run]]:
    """('cli' | 'lib', case name) → the child process run, all started at once in a thread pool (only
    for the cases the session runs)."""
    here = Path(__file__).resolve()
    selected = {item.callspec.params["name"] for item in request.session.items
                if Path(str(item.path)).resolve() == here and hasattr(item, "callspec")
                and "name" in item.callspec.params}
    pool = ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2))
    runs: dict[tuple[str, str], Future[Run]] = {}
    # the isolated (slow) ones first, so that they overlap with the rest
    for c in sorted((c for c in CASES if c.name in selected), key=lambda c: not c.isolate):
        timeout = hang_guard(c)
        cwd = tmp_path_factory.mktemp("cli")
        argv = [sys.executable, "-m", "bcparse", "figures", str(corpus / c.name), "-o", "out.txt"]
        runs["cli", c.name] = pool.submit(_run, argv, timeout, cwd)
        if c.isolate:
            runs["lib", c.name] = pool.submit(_run, [sys.executable, "-c", _CHILD, str(corpus / c.name)],
                                              hang_guard(c))
    pool.shutdown(wait=False)
    return runs


# ---------------------------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------------------------


def _accepts(c: mm.Case, outcome: str) -> bool:
    return outcome in c.expect


def _check_error(c: mm.Case, e: BaseException) -> None:
    assert isinstance(e, bcparse.BcparseError), f"{c.name}: untyped {type(e).__name__}: {e}"
    assert _accepts(c, type(e).__name__), f"{c.name}: {type(e).__name__} ({e}), expected one of {c.expect}"
    msg = str(e)
    assert msg.strip() and "\n" not in msg and "\r" not in msg, f"{c.name}: message not one line: {msg!r}"
    assert "Traceback" not in msg


def _outcome_of(fn: Callable[[], object]) -> tuple[str, object]:
    try:
        r = fn()
    except bcparse.BcparseError as e:
        return type(e).__name__, e
    fmt = getattr(r, "format", None)
    return f"report:{fmt}", r


@pytest.mark.parametrize("name", _params("lib"))
def test_library_gives_a_typed_error(name: str, corpus: Path, children: dict[tuple[str, str], Future[Run]]) -> None:
    c = BY_NAME[name]
    path = corpus / c.name
    if c.isolate:
        run = children["lib", c.name].result()
        assert run.returncode is not None, f"{c.name}: no answer within {hang_guard(c):g} s (killed)"
        assert run.returncode == 0, f"{c.name}: exit {run.returncode}: {run.stderr.strip()[-800:]}"
        got = json.loads(run.stdout.strip().splitlines()[-1])
        assert _accepts(c, got["outcome"]), f"{c.name}: {got}, expected one of {c.expect}"
        assert "\n" not in got["message"]
        if c.max_mb:
            assert got["max_mb"] < c.max_mb, f"{c.name}: peak memory {got['max_mb']} MB"
        return
    # bcparse.read: a typed error or a Document (some errors come later, from the rest of the pipeline)
    try:
        doc = bcparse.read(path)
    except Exception as e:  # noqa: BLE001 - the point is to check what it is
        _check_error(c, e)
        # bcparse.parse reads the same way: the same error
        with pytest.raises(type(e)):
            bcparse.parse(path)
        return
    assert isinstance(doc, bcparse.Document)
    # the rest of bcparse.parse(path): the outcome the manifest accepts
    try:
        outcome, r = _outcome_of(lambda: bcparse.parse_document(doc))
    except Exception as e:  # noqa: BLE001
        pytest.fail(f"{c.name}: untyped {type(e).__name__}: {e}")
    if outcome.startswith("report:"):
        assert _accepts(c, outcome), f"{c.name}: read as a {outcome} without an error, expected one of {c.expect}"
        if c.warning:
            assert any(c.warning in w for w in r.warnings), f"{c.name}: no warning about {c.warning!r}"  # type: ignore[attr-defined]
    else:
        _check_error(c, r)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", _params("cli"))
def test_cli_exits_2_with_one_line_and_no_output_file(
    name: str, children: dict[tuple[str, str], Future[Run]]
) -> None:
    c = BY_NAME[name]
    run = children["cli", c.name].result()
    assert run.returncode is not None, f"{c.name}: the CLI gave no answer within {hang_guard(c):g} s (killed)"
    assert run.outdir is not None
    left = sorted(p.name for p in run.outdir.iterdir())
    assert "Traceback" not in run.stderr, run.stderr[-2000:]
    if any(e.startswith("report:") for e in c.expect) and run.returncode == 0:
        assert left == ["out.txt"], left
        assert run.stdout == ""
        return
    lines = run.stderr.splitlines()
    assert run.returncode == 2, f"{c.name}: exit {run.returncode}; stderr: {run.stderr[-800:]}"
    assert len(lines) == 1 and lines[0].startswith("bcparse: error: "), run.stderr
    assert "a bcparse bug" not in run.stderr, run.stderr  # an untyped exception the CLI caught
    assert run.stdout == ""
    assert left == [], f"{c.name}: left behind: {left}"


# ---------------------------------------------------------------------------------------------
# Beyond the corpus
# ---------------------------------------------------------------------------------------------


def test_the_corpus_script_writes_every_file_and_a_manifest(corpus: Path) -> None:
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    assert [m["name"] for m in manifest] == [c.name for c in CASES]
    assert all((corpus / m["name"]).is_file() and m["expect"] and m["what"] for m in manifest)


def test_an_existing_output_file_is_left_untouched_on_error(tmp_path: Path, corpus: Path, run_cli: RunCli) -> None:
    out = tmp_path / "figures.txt"
    out.write_text("previous\n", encoding="utf-8")
    p = run_cli("figures", corpus / "docx/zip-bomb-ratio.docx", "-o", out)
    assert p.returncode == 2
    assert out.read_text(encoding="utf-8") == "previous\n"
    assert sorted(x.name for x in tmp_path.iterdir()) == ["figures.txt"]


@pytest.mark.parametrize("make", [lambda d: d, lambda d: d / "missing.docx"], ids=["folder", "missing"])
def test_a_folder_or_a_missing_path_is_an_input_error(tmp_path: Path, make: Callable[[Path], Path],
                                                      run_cli: RunCli) -> None:
    path = make(tmp_path)
    with pytest.raises(bcparse.errors.InputError) as ei:
        bcparse.parse(path)
    assert "\n" not in str(ei.value)
    p = run_cli("figures", path)
    assert p.returncode == 2 and p.stderr.startswith("bcparse: error: ") and len(p.stderr.splitlines()) == 1


def test_limits_are_configurable(tmp_path: Path, run_cli: RunCli) -> None:
    f = tmp_path / "r.txt"
    f.write_text("BÁO CÁO\nXã có 1.422 hộ.\n" * 100, encoding="utf-8")
    p = run_cli("figures", f, env={"BCPARSE_MAX_INPUT_BYTES": "1000"})
    assert p.returncode == 2 and "over the limit of 1,000" in p.stderr
    before = limits.current()
    try:
        limits.configure(max_input_bytes=1000)
        with pytest.raises(bcparse.errors.InputTooLargeError):
            bcparse.parse(f)
        with pytest.raises(bcparse.errors.InputTooLargeError):
            bcparse.parse(f.read_bytes())
    finally:
        limits.configure(**{k: getattr(before, k) for k in before.__slots__})  # type: ignore[attr-defined]
    assert bcparse.parse(f).format == "txt"


def test_pdf_error_code_is_not_stale(corpus: Path) -> None:
    """PDFium keeps its last error code when a later load fails without setting one (finding F5, fixed)."""
    with pytest.raises(bcparse.errors.EncryptedPdfError):
        bcparse.read(corpus / "pdf/unknown-security-handler.pdf")
    with pytest.raises(bcparse.BcparseError) as ei:
        bcparse.read(corpus / "pdf/no-pages.pdf")
    assert not isinstance(ei.value, bcparse.errors.EncryptedPdfError), str(ei.value)


# ---------------------------------------------------------------------------------------------
# Byte-level fuzzing of the readers: a Report or a BcparseError, nothing else
# ---------------------------------------------------------------------------------------------

_BASES = {
    "docx": mm.base_docx(),
    "pdf": mm.base_pdf(),
    "txt": (ROOT / "samples" / "binh-thanh-doi-ngoai-2024.txt").read_bytes()[:6000],
}


@st.composite
def _mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(_BASES[draw(st.sampled_from(sorted(_BASES)))])
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["flip", "truncate", "insert", "delete", "splice"]))
        n = len(data)
        if n == 0:
            break
        i = draw(st.integers(0, n - 1))
        if op == "flip":
            data[i] ^= 1 << draw(st.integers(0, 7))
        elif op == "truncate":
            del data[i:]
        elif op == "insert":
            data[i:i] = draw(st.binary(min_size=1, max_size=64))
        elif op == "delete":
            del data[i : i + draw(st.integers(1, 512))]
        else:  # splice a chunk of another base in
            other = _BASES[draw(st.sampled_from(sorted(_BASES)))]
            j = draw(st.integers(0, len(other) - 1))
            data[i:i] = other[j : j + draw(st.integers(1, 256))]
    return bytes(data)


@settings(max_examples=int(os.environ.get("BCPARSE_FUZZ_EXAMPLES", "80")), deadline=None, derandomize=True,
          database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(_mutated())
def test_mutated_files_give_a_report_or_a_typed_error(data: bytes) -> None:
    try:
        r = bcparse.parse(data)
    except bcparse.BcparseError as e:
        assert "\n" not in str(e)
    else:
        assert isinstance(r, bcparse.Report)


@settings(max_examples=25, deadline=None, derandomize=True, database=None)
@given(st.binary(max_size=4096))
def test_random_bytes_give_a_report_or_a_typed_error(data: bytes) -> None:
    try:
        bcparse.parse(data)
    except bcparse.BcparseError as e:
        assert "\n" not in str(e)
