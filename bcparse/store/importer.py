"""`bcparse import`: files and folders → parsed in worker processes → written by this process only.

Parsing is CPU work and runs in ``jobs`` worker processes, which send each report back as its rows
(:class:`~.writer.ReportRows`); every database write happens here (:class:`BatchWriter`: batches of
reports in one transaction, a savepoint per report), so SQLite sees a single writer. A file whose
content hash is already stored is not parsed at all (unless ``replace``). ``--dask``: cluster.py.
"""

from __future__ import annotations

import hashlib
import io
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, ThreadPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import sqlalchemy.exc as sa_exc
from sqlalchemy.engine import Connection, Engine

from .. import fileio
from ..audit import audit_report as _audit_report
from ..errors import BcparseError, DatabaseError, one_line
from ..fileio import NotRegularFileError
from ..models import Report
from .db import create_engine, display_url, normalize_url, read_transaction, translate_errors
from .schema import reports
from .writer import (
    REPORT_COLS,
    ContentBusy,
    FileInfo,
    ReportRows,
    find_report,
    finding_dict,
    record_path,
    report_rows,
    stored_paths,
    write_rows,
)


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
    """Files to import and the paths refused, with why: the shared expander
    (:func:`bcparse.fileio.collect_inputs`, folders recurse into report files, globs expand) with
    every path checked here, and what a folder holds but is not read counted as refused.

    Refused: a path that does not exist; a named pipe, socket or device (only regular files are
    read: a pipe would hang the import); inside a folder, a symbolic link leading out of the
    folder (not followed: a link to /etc/passwd is not a report of that folder); a folder named
    like a report file (``x.docx``) with no report in it; standard input. Links to folders are not
    followed.
    """
    got = fileio.collect_inputs(paths, stdin=False, check=True)
    return got.files, got.refused + got.skipped


def open_regular(path: str) -> io.BufferedReader:
    """Open a regular file for reading without ever blocking on a pipe or a device
    (:func:`bcparse.fileio.open_regular`: NotRegularFileError when it was replaced by one after the
    folder was listed)."""
    fd = fileio.open_regular(path)
    if hasattr(os, "set_blocking"):
        os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def hash_file(path: str) -> str:
    with open_regular(path) as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def read_file(path: str) -> bytes:
    """A regular file's bytes, at most the input limit (+1 byte, so that the reader says it is over)."""
    from .. import limits

    with open_regular(path) as f:
        return f.read(limits.current().max_input_bytes + 1)


# ---- parsing (runs in the worker processes) -------------------------------------------------------

#: ("ok", path, ReportRows, warning or None) | ("failed", path, reason, None)
ParseOutcome = tuple[str, Any, Any, Any]


def parse_file(path: str) -> ParseOutcome:
    """Read, hash, parse and audit one file, and turn it into the rows it is stored as
    (:class:`~.writer.ReportRows`: plain tuples, cheap to send back). Never raises."""
    try:
        from ..pipeline import parse_document
        from ..readers import read_bytes

        try:
            data = read_file(path)
        except NotRegularFileError as e:
            return ("failed", path, f"{e.kind}, not a report file: not read", None)
        except OSError as e:
            return ("failed", path, f"cannot read the file ({e.strerror})", None)
        info = FileInfo(content_hash=hashlib.sha256(data).hexdigest(), size=len(data), path=path)
        report = parse_document(read_bytes(data, name=path))
        warning = None
        try:
            found: list[dict[str, Any]] | None = audit_report(report)
        except Exception as e:  # noqa: BLE001 - an audit bug must not lose the report: stored without findings
            found = None
            warning = (f"{report.source}: the audit failed ({type(e).__name__}: {one_line(str(e))}); "
                       "stored without findings")
        return ("ok", path, report_rows(report, info, found), warning)
    except BcparseError as e:
        return ("failed", path, e.message, None)
    except MemoryError:
        return ("failed", path, "out of memory while parsing", None)
    except Exception as e:  # noqa: BLE001 - a bug in a parser must not stop the batch: the file is failed
        return ("failed", path, f"internal error ({type(e).__name__}: {one_line(str(e))}); please report it",
                None)


def audit_report(report: Report) -> list[dict[str, Any]]:
    """The single-report audit's findings (:func:`bcparse.audit.audit_report`), as the rows stored."""
    return [finding_dict(f) for f in _audit_report(report)]


# ---- the batch ---------------------------------------------------------------------------------

def _pool(jobs: int) -> ProcessPoolExecutor:
    methods = multiprocessing.get_all_start_methods()
    ctx: BaseContext
    if "forkserver" in methods:
        # a clean server process (no database connection, no threads) forks the workers, with
        # the parser already imported
        server = multiprocessing.get_context("forkserver")
        server.set_forkserver_preload(["bcparse.pipeline", "bcparse.readers", "bcparse.audit"])
        ctx = server
    else:
        ctx = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_worker_init,
                               initargs=(os.getpid(),))


#: how often a worker checks that the import that started it is still there (seconds)
WATCHDOG_SECONDS = 1.0
PR_SET_PDEATHSIG = 1


def _worker_init(main_pid: int | None = None) -> None:
    """Set up a worker process: it ignores Ctrl-C and exits when the import dies (even by kill -9).

    Linux: PR_SET_PDEATHSIG delivers SIGKILL when the worker's parent (the forkserver, which
    exits when the main process is gone) dies; everywhere: a watchdog thread ends the worker once
    its parent changed or the main process no longer exists.
    """
    # Ctrl-C reaches the whole process group: let the main process handle it and stop the pool
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = os.getppid()
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # pragma: no cover - no libc prctl: the watchdog does it
            pass
    if main_pid is not None and not _alive(main_pid):
        os._exit(1)
    threading.Thread(target=_watchdog, args=(parent, main_pid), name="bcparse-watchdog", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a killed process not yet reaped is a zombie: gone for our purpose
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rsplit(b")", 1)[-1].split()[0] != b"Z"
    except OSError:
        return True


def _watchdog(parent: int, main_pid: int | None) -> None:
    while True:
        time.sleep(WATCHDOG_SECONDS)
        if os.getppid() != parent or (main_pid is not None and not _alive(main_pid)):
            os._exit(1)


def _parse_all(files: Iterable[str], jobs: int, task: Any = None) -> Iterator[Any]:
    """Parse outcomes as they complete; at most 2 x jobs files in flight, ``files`` read as they are
    needed. ``task``: what the workers run on each file instead of :func:`parse_file` (the
    benchmark's parse-alone run)."""
    task = task or parse_file
    if jobs <= 1:
        for f in files:
            yield task(f)
        return
    source = iter(files)
    retry: list[str] = []
    pool = _pool(jobs)
    running: dict[Future[Any], str] = {}
    try:
        while True:
            while len(running) < 2 * jobs:
                nxt = retry.pop() if retry else next(source, None)
                if nxt is None:
                    break
                f = nxt
                try:
                    running[pool.submit(task, f)] = f
                except BrokenProcessPool:
                    retry.append(f)
                    pool.shutdown(wait=False, cancel_futures=True)
                    pool = _pool(jobs)
            if not running:
                return
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for fut in done:
                f = running.pop(fut)
                try:
                    out = fut.result()
                except BrokenProcessPool:
                    yield ("failed", f, "the parser process died (a crash, or out of memory) while on this "
                           "file or another in flight", None)
                    continue
                # the path as given, not the worker's copy of it: the result lists of a long import
                # then share the strings of the file list instead of holding a second copy of each
                if isinstance(out, tuple) and len(out) == 4:
                    if isinstance(out[2], ReportRows):
                        out[2].path = f
                    out = (out[0], f, out[2], out[3])
                yield out
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


#: a batch transaction is committed after this many reports …
BATCH_REPORTS = 300
#: … or this many seconds after its first report, whichever comes first (an interrupted import
#: loses at most that much work: the next run imports it again)
BATCH_SECONDS = 30.0
#: … or when the reports kept hold this many bytes of text
BATCH_BYTES = 16 * 2**20
#: the writer's SQLite page cache, in KiB: a batch's pages stay in memory until its commit instead
#: of spilling to the WAL (and being written again) mid-transaction
SQLITE_CACHE_KIB = 65536
#: files hashed and looked up in the database together, before they are parsed
LOOKUP_CHUNK = 256


def import_paths(
    paths: Sequence[str | os.PathLike[str]], db: str | None = None, *, jobs: int = 1, replace: bool = False,
    progress: bool | None = None, batch: int = 0,
) -> ImportResult:
    """Import report files and folders into the database at ``db``; see :class:`ImportResult`.

    Reports are written in batch transactions of ``batch`` reports (default :data:`BATCH_REPORTS`;
    at most :data:`BATCH_SECONDS` seconds), each report all in or all out.

    Raises :class:`DatabaseError` when the database cannot be opened or written (the reports
    committed so far stay). ``progress``: a progress bar on stderr (default: when stderr is a
    terminal and there is more than one file). With ``jobs`` > 1 the worker processes import the
    main script, so a script calling this needs the usual ``if __name__ == "__main__":`` guard.
    """
    url = normalize_url(db)
    engine = create_engine(url)
    result = ImportResult(db=display_url(url))
    bar = None
    writer = None
    try:
        files, refused = collect_files(paths)
        result.failed.extend(refused)
        bar = _progress_bar(len(files), progress)
        writer = BatchWriter(engine, url, result, replace=replace, bar=bar, batch=batch, background=True)
        for kind, path, rows, warning in _parse_all(writer.to_parse(files), min(jobs, len(files))):
            if kind == "failed":
                result.failed.append((path, rows))
                if bar is not None:
                    bar.write(f"failed: {path}: {rows}", file=sys.stderr)
            else:
                if warning:
                    result.warnings.append(warning)
                writer.add(rows)
            if bar is not None:
                bar.update(1)
        writer.flush()
    finally:
        if writer is not None:
            writer.close()
        if bar is not None:
            bar.close()
        engine.dispose()
    if result.failed:
        pos = {p: i for i, p in enumerate([m for m, _ in refused] + files)}
        result.failed.sort(key=lambda pr: pos.get(pr[0], len(pos)))
    return result


def _suffix(path: str | None) -> str:
    return Path(path).suffix.lower() if path else ""


class BatchWriter:
    """The single writer of an import. Reports are kept (as rows) until a batch is due — every
    ``batch`` reports (default :data:`BATCH_REPORTS`), :data:`BATCH_BYTES` of text or
    :data:`BATCH_SECONDS` seconds — and then written in one transaction, each report under a
    savepoint of its own: a report the database refuses leaves nothing of itself and the rest of
    its batch is committed. The write lock is held only while a batch is written, so that another
    import into the same SQLite file gets its turn between batches.

    ``background``: a batch is written by a thread of its own while the next one fills (the worker
    processes keep parsing instead of waiting for the commit); at most one batch is being written
    and one filling, and an error of a batch's write is raised by the next :meth:`flush` or
    :meth:`add`. SQLite's pysqlite releases the interpreter lock while a statement runs."""

    def __init__(self, engine: Engine, url: Any, result: ImportResult, *, replace: bool = False,
                 bar: Any = None, batch: int = 0, imported_at: Any = None, background: bool = False) -> None:
        self.engine, self.url, self.result, self.replace, self.bar = engine, url, result, replace, bar
        self.imported_at = imported_at  # the run's stamp (Dask: one for every task of the run)
        self.batch = batch if batch > 0 else BATCH_REPORTS
        self._conn: Connection | None = None  # opened by the thread that writes
        self._bg = ThreadPoolExecutor(1, thread_name_prefix="bcparse-writer") if background else None
        self._job: Future[None] | None = None
        self._synchronous = 2  # SQLite's default (FULL), read when the connection opens
        self.pending: list[ReportRows | tuple[int, str]] = []  # reports, and (report id, path) seen again
        self.pending_bytes = 0
        self.started = 0.0
        #: --replace: the contents written by this run (a second copy in the run is "unchanged",
        #: not a replacement of the first)
        self.written: set[bytes] = set()

    @property
    def conn(self) -> Connection:
        """The writing connection, opened on first use by the thread that writes. SQLite: a larger
        page cache (a batch's pages stay in memory until its commit instead of spilling to the WAL
        and being written again), WAL commits without an fsync each (``synchronous = NORMAL``: a
        power cut may lose the last batches, never a report's atomicity; the next import stores
        them again) and no foreign-key look-ups (the writer inserts a report's rows under the id it
        has just inserted; its deletes name every child table)."""
        if self._conn is None:
            self._conn = self.engine.connect()
            raw = self._conn.connection.driver_connection
            if self.engine.dialect.name == "sqlite" and raw is not None:  # on the DB-API connection: no transaction
                self._synchronous = raw.execute("PRAGMA synchronous").fetchone()[0]
                for pragma in (f"cache_size = -{SQLITE_CACHE_KIB}", "synchronous = NORMAL", "foreign_keys = OFF"):
                    raw.execute("PRAGMA " + pragma)
        return self._conn

    def close(self) -> None:
        """Close the writing connection (after the batch being written, if any, ends)."""
        if self._bg is not None:
            self._bg.submit(self._close)
            self._bg.shutdown(wait=True)
        else:
            self._close()

    def _close(self) -> None:
        if self._conn is not None:
            raw = self._conn.connection.driver_connection
            if self.engine.dialect.name == "sqlite" and raw is not None and not self._conn.closed:
                raw.execute("PRAGMA foreign_keys = ON")  # as every other connection of the pool has it
                raw.execute(f"PRAGMA synchronous = {int(self._synchronous)}")
            self._conn.close()
            self._conn = None

    # ---- the files to parse ----

    def to_parse(self, files: Sequence[str]) -> Iterator[str]:
        """The files to parse, looked up chunk by chunk as the parsers need them: all with
        ``replace``; else those whose content is not stored yet under a name of the same type (a
        reader's outcome depends on the bytes and the extension: the bytes of a stored .txt named
        .pdf fail, and must be reported failed every time, not "unchanged"). A file skipped as
        unchanged gets its path recorded with the stored report."""
        if self.replace:
            yield from files
            return
        for start in range(0, len(files), LOOKUP_CHUNK):
            chunk = files[start:start + LOOKUP_CHUNK]
            hashes: dict[str, str] = {}
            for f in chunk:
                try:
                    hashes[f] = hash_file(f)
                except OSError:
                    pass  # the worker reports why it cannot be read
            found: dict[str, int] = {}
            ours: set[tuple[int, str]] = set()
            suffixes: dict[int, set[str]] = {}
            if hashes:
                with translate_errors(self.url), read_transaction(self.engine) as conn:
                    stored = conn.execute(sa.select(
                        reports.c.content_hash, reports.c.id, reports.c.imported_at, reports.c.source_path).where(
                            reports.c.content_hash.in_(set(hashes.values())))).all()
                    found = {h: int(rid) for h, rid, _, _ in stored}
                    ours = {(int(rid), src) for _, rid, at, src in stored
                            if self.imported_at is not None and at == self.imported_at}
                    suffixes = {rid: {_suffix(p) for p in stored_paths(conn, rid)} for rid in set(found.values())}
            for f in chunk:
                rid = found.get(hashes.get(f, ""))
                if rid is not None and (rid, f) in ours:  # stored by this run already (a retried Dask task)
                    self.result.imported.append(f)
                    if self.bar is not None:
                        self.bar.update(1)
                elif rid is not None and _suffix(f) in suffixes[rid]:
                    self._keep((rid, f), 0)
                    self.result.unchanged.append(f)
                    if self.bar is not None:
                        self.bar.update(1)
                else:
                    yield f

    # ---- the batches ----

    def add(self, rows: ReportRows) -> None:
        """Take one parsed report; written with its batch."""
        self._keep(rows, len(rows.report[REPORT_COLS.index("text_view")]))

    def _keep(self, item: ReportRows | tuple[int, str], size: int) -> None:
        if not self.pending:
            self.started = time.monotonic()
        self.pending.append(item)
        self.pending_bytes += size
        if (len(self.pending) >= self.batch or self.pending_bytes >= BATCH_BYTES
                or time.monotonic() - self.started >= BATCH_SECONDS):
            self._send()

    def flush(self) -> None:
        """Write the reports kept so far, and wait until every batch is written (its error raised)."""
        self._send()
        self._wait()

    def _send(self) -> None:
        """Write the reports kept so far: now, or (``background``) in the writing thread once the
        batch before is written."""
        items, self.pending, self.pending_bytes = self.pending, [], 0
        if self._bg is None:
            if items:
                self._write_batch(items)
            return
        self._wait()
        if items:
            self._job = self._bg.submit(self._write_batch, items)

    def _wait(self) -> None:
        job, self._job = self._job, None
        if job is not None:
            job.result()

    def _write_batch(self, items: list[ReportRows | tuple[int, str]]) -> None:
        """One transaction, a savepoint per report. On PostgreSQL a report whose content another
        import is writing at this moment ends the transaction and is written in one of its own once
        the other is done (waiting while holding the locks of other reports could deadlock two
        imports)."""
        i = 0
        wait = False
        while i < len(items):
            with translate_errors(self.url), self.conn.begin():
                while i < len(items):
                    item = items[i]
                    if isinstance(item, tuple):
                        record_path(self.conn, *item)
                    elif not self._write(item, wait=wait):
                        wait = True  # commit what is written; then this one alone, waiting its turn
                        break
                    elif wait:
                        wait = False
                        i += 1
                        break
                    i += 1

    def _write(self, rows: ReportRows, *, wait: bool) -> bool:
        """Write one report under a savepoint; False when its content is being written by another
        import (nothing done: write it again in a transaction of its own, with ``wait``)."""
        digest = bytes.fromhex(rows.content_hash) if self.replace else b""
        path = rows.path or "?"
        what: str = "unchanged"
        try:
            with translate_errors(self.url), self.conn.begin_nested():
                if digest in self.written:  # the same bytes twice in this run: one report, both paths
                    rid = find_report(self.conn, rows.content_hash)
                    if rid is not None:
                        record_path(self.conn, rid, rows.path)
                else:
                    what, _ = write_rows(self.conn, rows, replace=self.replace, wait=wait,
                                         imported_at=self.imported_at)
        except ContentBusy:
            return False
        except DatabaseError as e:
            if isinstance(e.__cause__, sa_exc.DataError | sa_exc.IntegrityError):  # this report, not the database
                self.result.failed.append((path, f"the database refused it: {e.message}"))
                return True
            raise
        if self.replace:
            self.written.add(digest)
        {"imported": self.result.imported, "replaced": self.result.replaced,
         "unchanged": self.result.unchanged}[what].append(path)
        return True


def _progress_bar(total: int, progress: bool | None) -> Any:
    show = progress if progress is not None else (total > 1 and sys.stderr.isatty())
    if not show:
        return None
    try:
        from tqdm import tqdm
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    return tqdm(total=total, unit="file", file=sys.stderr, desc="import", leave=False)
