"""`bcparse import`: files and folders → parsed in worker processes → written by this process only.

Parsing is CPU work and runs in ``jobs`` worker processes; every database write happens here,
one transaction per report, so SQLite sees a single writer. A file whose content hash is already
stored is not parsed at all (unless ``replace``).
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import signal
import sys
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy.exc as sa_exc
from sqlalchemy.engine import Engine

from ..errors import BcparseError, DatabaseError
from ..models import Report
from .db import create_engine, display_url, normalize_url, read_transaction, translate_errors
from .writer import FileInfo, find_report, finding_dict, sha256_file, write_report

EXTENSIONS = (".txt", ".docx", ".doc", ".pdf")


@dataclass
class ImportResult:
    """What one `bcparse import` did, file by file (paths as given)."""

    db: str = ""
    imported: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    warnings: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    def summary(self) -> str:
        n_imp = len(self.imported) + len(self.replaced)
        head = f"imported {n_imp}"
        if self.replaced:
            head += f" ({len(self.replaced)} replaced)"
        head += f", unchanged {len(self.unchanged)}, failed {len(self.failed)}"
        lines = [head + (f"  ({self.db})" if self.db else "")]
        lines += [f"failed: {p}: {why}" for p, why in self.failed]
        lines += [f"warning: {w}" for w in self.warnings]
        return "\n".join(lines)


# ---- files ------------------------------------------------------------------------------------

def collect_files(paths: Iterable[str | os.PathLike[str]]) -> tuple[list[str], list[tuple[str, str]]]:
    """Files to import (folders recurse into .txt/.docx/.doc/.pdf) and paths that do not exist."""
    files: list[str] = []
    missing: list[tuple[str, str]] = []
    seen: set[str] = set()

    def add(p: str) -> None:
        real = os.path.realpath(p)
        if real not in seen:
            seen.add(real)
            files.append(p)

    for raw in paths:
        p = os.fspath(raw)
        if os.path.isdir(p):
            found = []
            for root, dirs, names in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in names:
                    if not name.startswith((".", "~$")) and name.lower().endswith(EXTENSIONS):
                        found.append(os.path.join(root, name))
            for f in sorted(found):
                add(f)
        elif os.path.exists(p):
            add(p)
        else:
            missing.append((p, "no such file or folder"))
    return files, missing


# ---- parsing (runs in the worker processes) -------------------------------------------------------

ParseOutcome = tuple[str, Any, Any, Any]  # ("ok", FileInfo, Report, findings) | ("failed", path, reason, None)


def parse_file(path: str) -> ParseOutcome:
    """Read, hash and parse one file, and audit it when the audit module is there. Never raises."""
    try:
        from ..pipeline import parse_document
        from ..readers import read_bytes

        try:
            data = Path(path).read_bytes()
        except OSError as e:
            return ("failed", path, f"cannot read the file ({e.strerror})", None)
        info = FileInfo(content_hash=hashlib.sha256(data).hexdigest(), size=len(data), path=path)
        report = parse_document(read_bytes(data, name=path))
    except BcparseError as e:
        return ("failed", path, e.message, None)
    except MemoryError:
        return ("failed", path, "out of memory while parsing", None)
    except Exception as e:  # a bug in a parser must not stop the batch
        return ("failed", path, f"internal error ({type(e).__name__}: {e}); please report it", None)
    return ("ok", info, report, audit_report(report))


def audit_report(report: Report) -> list[dict[str, Any]] | str | None:
    """The single-report audit's findings as dicts; None when bcparse.audit is not there, or the
    reason it failed (the report is stored all the same)."""
    try:
        from .. import audit as audit_mod
    except ImportError:
        return None
    except Exception as e:  # the audit module is broken: store the report without findings
        return f"{report.source}: the audit cannot be loaded ({type(e).__name__}: {e}); stored without findings"
    check = getattr(audit_mod, "audit_report", None) or getattr(audit_mod, "audit", None)
    if check is None:
        return None
    try:
        return [finding_dict(f) for f in check(report)]
    except Exception as e:
        return f"{report.source}: the audit failed ({type(e).__name__}: {e}); stored without findings"


# ---- the batch ---------------------------------------------------------------------------------

def _pool(jobs: int) -> ProcessPoolExecutor:
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        # a clean server process (no database connection, no threads) forks the workers, with
        # the parser already imported
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["bcparse.pipeline", "bcparse.readers"])
    else:
        ctx = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_worker_init)


def _worker_init() -> None:
    # Ctrl-C reaches the whole process group: let the main process handle it and stop the pool
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _parse_all(files: Sequence[str], jobs: int) -> Iterator[ParseOutcome]:
    """Parse outcomes as they complete; at most 2 x jobs files in flight."""
    if jobs <= 1:
        for f in files:
            yield parse_file(f)
        return
    pending = list(reversed(files))
    pool = _pool(jobs)
    running: dict[Future[ParseOutcome], str] = {}
    try:
        while pending or running:
            while pending and len(running) < 2 * jobs:
                f = pending.pop()
                try:
                    running[pool.submit(parse_file, f)] = f
                except BrokenProcessPool:
                    pending.append(f)
                    pool.shutdown(wait=False, cancel_futures=True)
                    pool = _pool(jobs)
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for fut in done:
                f = running.pop(fut)
                try:
                    yield fut.result()
                except BrokenProcessPool:
                    yield ("failed", f, "the parser process died (a crash, or out of memory) while on this "
                           "file or another in flight", None)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def import_paths(
    paths: Sequence[str | os.PathLike[str]], db: str | None = None, *, jobs: int = 1, replace: bool = False,
    progress: bool | None = None,
) -> ImportResult:
    """Import report files and folders into the database at ``db``; see :class:`ImportResult`.

    Raises :class:`DatabaseError` when the database cannot be opened or written (the reports
    committed so far stay). ``progress``: a progress bar on stderr (default: when stderr is a
    terminal and there is more than one file). With ``jobs`` > 1 the worker processes import the
    main script, so a script calling this needs the usual ``if __name__ == "__main__":`` guard.
    """
    url = normalize_url(db)
    engine = create_engine(url)
    result = ImportResult(db=display_url(url))
    bar = None
    try:
        files, missing = collect_files(paths)
        result.failed.extend(missing)
        todo = _not_yet_stored(engine, files, replace, result)
        bar = _progress_bar(len(files), progress)
        if bar is not None:
            bar.update(len(files) - len(todo))
        seen_hashes: set[str] = set()
        for kind, a, b, c in _parse_all(todo, min(jobs, len(todo))):
            if kind == "failed":
                result.failed.append((a, b))
                if bar is not None:
                    bar.write(f"failed: {a}: {b}", file=sys.stderr)
            elif a.content_hash in seen_hashes:  # the same bytes twice in this batch
                result.unchanged.append(a.path)
            else:
                seen_hashes.add(a.content_hash)
                if isinstance(c, str):  # the audit failed: stored without findings
                    result.warnings.append(c)
                    c = None
                _write(engine, url, b, a, replace, c, result)
            if bar is not None:
                bar.update(1)
    finally:
        if bar is not None:
            bar.close()
        engine.dispose()
    pos = {p: i for i, p in enumerate([m for m, _ in missing] + files)}
    result.failed.sort(key=lambda pr: pos.get(pr[0], len(pos)))
    return result


def _not_yet_stored(engine: Engine, files: Sequence[str], replace: bool, result: ImportResult) -> list[str]:
    """The files to parse: all with ``replace``, else those whose content hash is not stored."""
    if replace:
        return list(files)
    hashes: dict[str, str] = {}
    for f in files:
        try:
            hashes[f] = sha256_file(f)
        except OSError:
            pass  # the worker reports why it cannot be read
    todo = []
    with translate_errors(engine.url), read_transaction(engine) as conn:
        for f in files:
            if f in hashes and find_report(conn, hashes[f]) is not None:
                result.unchanged.append(f)
            else:
                todo.append(f)
    return todo


def _write(engine: Engine, url: Any, report: Report, info: FileInfo, replace: bool,
           found: list[dict[str, Any]] | None, result: ImportResult) -> str:
    try:
        with translate_errors(url), engine.begin() as conn:
            what, _ = write_report(conn, report, info, replace=replace, report_findings=found)
    except DatabaseError as e:
        if isinstance(e.__cause__, sa_exc.IntegrityError) and not replace:
            # another import stored the same file between our check and our insert
            with translate_errors(url), read_transaction(engine) as conn:
                if find_report(conn, info.content_hash) is not None:
                    result.unchanged.append(info.path or "?")
                    return "unchanged"
        if isinstance(e.__cause__, sa_exc.DataError | sa_exc.IntegrityError):  # this report, not the database
            result.failed.append((info.path or "?", f"the database refused it: {e.message}"))
            return "failed"
        raise
    {"imported": result.imported, "replaced": result.replaced, "unchanged": result.unchanged}[what].append(
        info.path or "?")
    return what


def _progress_bar(total: int, progress: bool | None) -> Any:
    show = progress if progress is not None else (total > 1 and sys.stderr.isatty())
    if not show:
        return None
    try:
        from tqdm import tqdm
    except ImportError:  # pragma: no cover - tqdm comes with underthesea
        return None
    return tqdm(total=total, unit="file", file=sys.stderr, desc="import", leave=False)
