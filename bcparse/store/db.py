"""Opening a database: URLs, the engine, SQLite settings, and errors turned into DatabaseError."""

from __future__ import annotations

import os
import re
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
import sqlalchemy.exc as sa_exc
from sqlalchemy.engine import URL, Connection, Engine, make_url

from ..errors import DatabaseError
from .schema import migrate

DEFAULT_URL = "sqlite:///bcparse.db"
#: environment variable giving the database when --db is not given
ENV_URL = "BCPARSE_DB_URL"
SQLITE_BUSY_TIMEOUT_MS = 30_000


def default_url() -> str:
    return os.environ.get(ENV_URL) or DEFAULT_URL


def normalize_url(url: str | None) -> URL:
    """``postgresql://…`` → the psycopg 3 driver; a bare path → a SQLite file."""
    raw = (url or default_url()).strip()
    if not raw:
        raise DatabaseError("empty database URL")
    if "://" not in raw:  # a path to a SQLite file
        return URL.create("sqlite", database=raw)
    try:
        u = make_url(raw)
    except (sa_exc.ArgumentError, ValueError) as e:
        port = re.search(r"@[^/?#]*:([^/?#@]*)", raw)
        if isinstance(e, ValueError) and port and not port.group(1).isdigit():
            raise DatabaseError(f"not a database URL: {mask_url_text(raw)!r}: the port {port.group(1)!r} is not "
                                "a number (postgresql://user@host:5432/db)") from None
        raise DatabaseError(f"not a database URL: {mask_url_text(raw)!r} "
                            "(try sqlite:///file.db or postgresql://user@host/db)") from None
    backend = u.get_backend_name()
    if backend == "sqlite" and ((u.database or ":memory:") == ":memory:" or "memory" in (u.database or "").split(":")
                                or u.query.get("mode") == "memory"):
        raise DatabaseError(f"{mask_url_text(raw)!r} is an in-memory SQLite database: bcparse would import into "
                            "memory and lose everything; give a file (sqlite:///bcparse.db)")
    if backend in ("postgresql", "postgres"):
        u = u.set(drivername="postgresql+psycopg")
    elif backend != "sqlite":
        raise DatabaseError(f"unsupported database {backend!r}: use sqlite:///file.db or postgresql://user@host/db")
    return u


def display_url(url: URL) -> str:
    """The URL with its password masked, for messages: ``user:***@`` and ``?password=***`` alike."""
    if url.get_backend_name() == "sqlite":
        return url.database or ":memory:"
    return mask_url_text(url.set(drivername="postgresql").render_as_string(hide_password=True))


def mask_url_text(raw: str) -> str:
    """A URL string that may not parse, with its passwords masked (``user:pw@``, ``password=pw``)."""
    raw = re.sub(r"(://[^/@:?#]*:)[^/@?#]*@", r"\1***@", raw)
    return re.sub(r"(?i)([?&](?:password|passwd|pwd|sslpassword|[^=&]*secret[^=&]*|[^=&]*token[^=&]*)=)[^&#]*",
                  r"\1***", raw)


def create_engine(url: str | URL | None = None, *, create: bool = True) -> Engine:
    """An engine for ``url`` (default: ``$BCPARSE_DB_URL`` or ``bcparse.db``), schema migrated.

    ``create=False`` refuses a SQLite file that does not exist yet (reading, not importing).
    """
    u = url if isinstance(url, URL) else normalize_url(url)
    kw: dict[str, Any] = {}
    if u.get_backend_name() == "postgresql":
        try:
            import psycopg  # noqa: F401
        except ImportError:
            raise DatabaseError(
                "writing to PostgreSQL needs psycopg 3: pip install 'bcparse[postgres]' (or psycopg[binary])"
            ) from None
        kw["pool_pre_ping"] = True
    else:
        if u.database and u.database != ":memory:":
            if not create and not os.path.exists(u.database):
                raise DatabaseError(f"{u.database}: no such database (bcparse import creates it)")
            parent = os.path.dirname(os.path.abspath(u.database))
            if not os.path.isdir(parent):
                raise DatabaseError(f"{u.database}: no such folder {parent!r} for the SQLite database")
        kw["connect_args"] = {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
    engine = sa.create_engine(u, **kw)
    if u.get_backend_name() == "sqlite":
        _sqlite_setup(engine)
    with translate_errors(u):
        migrate(engine)
    return engine


def _use_wal(cur: Any) -> None:
    """Switch a database file to WAL (an in-memory database keeps its journal). SQLite answers
    "database is locked" to the journal_mode pragmas at once, without its busy handler, while
    another connection holds a lock (two imports starting on a new file): wait and try again, for
    as long as the busy timeout."""
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            if (cur.execute("PRAGMA journal_mode").fetchone() or ("",))[0] not in ("memory", "wal"):
                cur.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _sqlite_setup(engine: Engine) -> None:
    """Real transactions (BEGIN IMMEDIATE for writers), WAL, busy timeout, foreign keys."""

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (pysqlite's own is deferred and late)
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys = ON")
        _use_wal(cur)
        cur.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        conn.exec_driver_sql("BEGIN " + ("DEFERRED" if mode == "DEFERRED" else "IMMEDIATE"))


@contextmanager
def read_transaction(engine: Engine) -> Iterator[Connection]:
    """A read-only transaction: one consistent snapshot that does not block writers (SQLite WAL)."""
    with engine.connect() as conn:
        conn.execution_options(sqlite_begin="DEFERRED")
        with conn.begin():
            yield conn


@contextmanager
def translate_errors(url: URL | None = None) -> Iterator[None]:
    """Database and driver errors → :class:`DatabaseError` with a one-line message."""
    try:
        yield
    except DatabaseError:
        raise
    except sa_exc.SQLAlchemyError as e:
        where = display_url(url) if url is not None else "the database"
        orig = getattr(e, "orig", None)
        detail = str(orig if orig is not None else e).strip().splitlines()
        msg = detail[0] if detail else type(e).__name__
        raise DatabaseError(f"{where}: {msg}") from e
