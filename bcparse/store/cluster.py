"""`bcparse import --dask SCHEDULER`: the import spread over a Dask cluster (extra ``cluster``).

The client (this process) lists the files — their paths must be the same on every worker (a shared
filesystem) — and sends them to the workers in small chunks. Each worker task does for its chunk
what a single-machine import does: looks the contents up, parses and audits the new ones, and
writes them itself to PostgreSQL in one transaction with a savepoint per report. A report is
identified by its content hash, which the ``reports`` table keeps unique, and every task of a run
stamps its reports with the run's start time (``imported_at``): a task run again after its worker
died finds what it had committed and counts it as imported, never storing it twice.

Progress comes from the futures as they complete; the summary and the exit status are those of
:func:`bcparse.store.importer.import_paths`. A task that cannot reach the database stops the run
(the other tasks are cancelled; the reports committed so far stay, each complete).
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Sequence
from typing import Any

from ..errors import BcparseError, DatabaseError
from .db import create_engine, display_url, normalize_url
from .importer import BatchWriter, ImportResult, _progress_bar, collect_files, parse_file
from .schema import now

EXTRA_HINT = "pip install 'bcparse[cluster]'"
#: files per task at most (a task is also the work redone when its worker dies)
CHUNK_MAX = 32
#: worker processes of ``--dask local`` (at least 2, else one per CPU)
LOCAL_MIN_WORKERS = 2


class ClusterError(BcparseError):
    """The Dask cluster cannot be used: dask missing, the scheduler unreachable."""


def _distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise ClusterError(f"--dask needs Dask: {EXTRA_HINT}") from None
    return distributed


# ---- on the workers ----------------------------------------------------------------------------

_ENGINES: dict[str, Any] = {}


def _engine(url: str) -> Any:
    """One engine per worker process and database (schema checked once)."""
    if url not in _ENGINES:
        _ENGINES[url] = create_engine(url)
    return _ENGINES[url]


def import_chunk(paths: Sequence[str], url: str, replace: bool, run_at: Any) -> dict[str, Any]:
    """A worker's task: import ``paths`` into ``url`` as one batch. Returns the outcome lists of
    :class:`ImportResult`, or ``{"error": message}`` when the database failed (nothing of the
    batch was committed). Never raises for a file: a file that fails is listed with its reason."""
    result = ImportResult()
    try:
        engine = _engine(url)
        writer = BatchWriter(engine, normalize_url(url), result, replace=replace, batch=len(paths) + 1,
                             imported_at=run_at)
        try:
            for f in writer.to_parse(list(paths)):
                kind, path, rows, warning = parse_file(f)
                if kind == "failed":
                    result.failed.append((path, rows))
                else:
                    if warning:
                        result.warnings.append(warning)
                    writer.add(rows)
            writer.flush()
        finally:
            writer.close()
    except DatabaseError as e:
        return {"error": e.message}
    return {"imported": result.imported, "replaced": result.replaced, "unchanged": result.unchanged,
            "failed": result.failed, "warnings": result.warnings}


# ---- on the client -----------------------------------------------------------------------------

def _client(scheduler: str) -> tuple[Any, Any]:
    """A client on ``scheduler`` ("local": a LocalCluster of worker processes started here)."""
    distributed = _distributed()
    import dask  # extra: cluster (_distributed() named it)

    if scheduler == "local":
        n = max(LOCAL_MIN_WORKERS, os.cpu_count() or 1)
        cluster = distributed.LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                           dashboard_address=None, silence_logs=40)
        return distributed.Client(cluster), cluster
    timeout = dask.config.get("distributed.comm.timeouts.connect")
    try:
        return distributed.Client(scheduler, timeout=timeout), None
    except (OSError, TimeoutError, ValueError) as e:
        reason = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise ClusterError(f"cannot reach the Dask scheduler at {scheduler}: {reason}") from None


def chunks(files: Sequence[str], workers: int) -> list[list[str]]:
    """Files in tasks of up to :data:`CHUNK_MAX`, at least 4 tasks per worker when there are enough."""
    size = max(1, min(CHUNK_MAX, math.ceil(len(files) / max(1, 4 * workers))))
    return [list(files[i:i + size]) for i in range(0, len(files), size)]


def import_on_dask(paths: Sequence[str | os.PathLike[str]], db: str | None, scheduler: str, *,
                   replace: bool = False, progress: bool | None = None) -> ImportResult:
    """``bcparse import PATHS --dask SCHEDULER``: see the module's doc. Raises :class:`ClusterError`
    (no Dask, no scheduler) or :class:`DatabaseError` (not PostgreSQL, or the database failed)."""
    _distributed()
    url = normalize_url(db)
    if url.get_backend_name() != "postgresql":
        raise DatabaseError(f"--dask writes from every worker at once: it needs PostgreSQL "
                            f"(--db postgresql://user@host/dbname), not {display_url(url)}")
    create_engine(url).dispose()  # reachable, and the schema made before the workers start
    url_text = url.render_as_string(hide_password=False)
    result = ImportResult(db=display_url(url))
    files, refused = collect_files(paths)
    result.failed.extend(refused)
    if not files:
        return result
    client, cluster = _client(scheduler)
    bar = None
    try:
        from distributed import as_completed  # extra: cluster

        workers = max(1, len(client.scheduler_info().get("workers", {})))
        tasks = chunks(files, workers)
        run_at = now()
        futures = client.map(import_chunk, tasks, url=url_text, replace=replace, run_at=run_at, pure=False)
        size = {f.key: len(t) for f, t in zip(futures, tasks, strict=True)}
        bar = _progress_bar(len(files), progress)
        for fut in as_completed(futures):
            if fut.status == "error":
                exc = fut.exception()
                client.cancel(futures)
                raise ClusterError(f"a Dask task failed: {type(exc).__name__}: {exc}")
            out = fut.result()
            if "error" in out:
                client.cancel(futures)
                raise DatabaseError(out["error"])
            result.imported += out["imported"]
            result.replaced += out["replaced"]
            result.unchanged += out["unchanged"]
            result.failed += [tuple(x) for x in out["failed"]]
            result.warnings += out["warnings"]
            if bar is not None:
                for path, why in out["failed"]:
                    bar.write(f"failed: {path}: {why}", file=sys.stderr)
                bar.update(size[fut.key])
    finally:
        if bar is not None:
            bar.close()
        client.close()
        if cluster is not None:
            cluster.close()
    pos = {p: i for i, p in enumerate([m for m, _ in refused] + files)}
    result.failed.sort(key=lambda pr: pos.get(pr[0], len(pos)))
    return result
