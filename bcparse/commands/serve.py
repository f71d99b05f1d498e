"""``bcparse serve [--db URL] [--port N] [--host 127.0.0.1]``: the database in a browser through
datasette (:mod:`bcparse.view.serve`, the optional extra ``web``; docs/view.md)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

HELP = "browse the imported reports, figures and findings in a web browser (datasette; pip install 'bcparse[web]')"
EPILOG = """\
examples:
  bcparse import samples/ --db bc.db && bcparse serve --db bc.db      then open http://127.0.0.1:8001/
  bcparse serve --db bc.db --port 8080

What it shows: the reports (facets by commune, year, grammar), their figures (by key, with the
Vietnamese label beside each key; each figure's line opens the report's HTML page at that line),
the audit's findings (by code), and canned queries: a figure that differs between two reports of
the same commune and period, findings by code, gift totals by donor. See docs/view.md.

It listens on 127.0.0.1: only this computer can open it. Datasette never writes to the database
and its SQL box runs read-only queries. To publish it read-only for others: serve a copy, opened
immutable, behind a web server that adds a password or HTTPS:
  cp bc.db /srv/bc.db && bcparse serve --db /srv/bc.db --immutable --host 0.0.0.0 --no-sql
(--no-sql hides the SQL box and lets only the canned queries run).

SQLite only: datasette cannot serve PostgreSQL."""


def register(sub: Any) -> None:
    sp = sub.add_parser("serve", help=HELP, description=HELP, epilog=EPILOG,
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    sp.add_argument("--db", metavar="URL",
                    help="the SQLite database written by `bcparse import` (a path or sqlite:///path; default "
                         "$BCPARSE_DB_URL or bcparse.db)")
    sp.add_argument("--host", default="127.0.0.1",
                    help="the address to listen on (default 127.0.0.1: this computer only; 0.0.0.0 for the "
                         "network, see below)")
    sp.add_argument("--port", type=int, default=8001, help="the port (default 8001)")
    sp.add_argument("--immutable", action="store_true",
                    help="open the file as never changing (faster, and certain not to be written; for a copy "
                         "being published)")
    sp.add_argument("--no-sql", action="store_true",
                    help="no custom SQL: only the tables, facets and canned queries")
    sp.set_defaults(func=run)


def run(a: argparse.Namespace) -> int:
    import os

    from ..errors import BcparseError, DatabaseError

    try:
        import datasette  # noqa: F401
        import uvicorn
    except ImportError:
        raise BcparseError("bcparse serve needs datasette: pip install 'bcparse[web]'") from None
    from ..store.db import normalize_url
    from ..store.schema import SCHEMA_VERSION

    url = normalize_url(a.db)
    if url.get_backend_name() != "sqlite":
        raise DatabaseError("datasette serves SQLite files only, not PostgreSQL: import into a SQLite file "
                            "(bcparse import … --db bc.db) to browse it")
    path = url.database or ""
    if not os.path.isfile(path):
        raise DatabaseError(f"{path}: no such database (bcparse import … --db {path} creates it)")
    version = _schema_version(path)
    if version is None:
        raise DatabaseError(f"{path}: not a database written by bcparse import (no reports table)")
    if version < SCHEMA_VERSION and not a.immutable:
        from ..store.db import create_engine

        create_engine(path, create=False).dispose()  # brings an older schema up to date, as import does
    if not 0 < a.port < 65536:
        raise BcparseError(f"--port {a.port}: a port is a number from 1 to 65535")
    import socket
    import tempfile

    try:  # a taken port: one line, before datasette starts (uvicorn would log and exit)
        with socket.create_server((a.host, a.port)):
            pass
    except OSError as e:
        import errno

        why = "the port is in use: choose another with --port" if e.errno == errno.EADDRINUSE else e.strerror or e
        raise BcparseError(f"cannot listen on {a.host}:{a.port} ({why})") from None

    from ..view.serve import build, write_keys_db

    with tempfile.TemporaryDirectory(prefix="bcparse-serve-") as tmp:
        ds = build(path, write_keys_db(tmp), immutable=a.immutable, settings={"default_allow_sql": not a.no_sql})
        print(f"bcparse serve: http://{a.host}:{a.port}/  ({path}; Ctrl-C stops)", file=sys.stderr, flush=True)
        config = uvicorn.Config(ds.app(), host=a.host, port=a.port, log_level="warning", lifespan="on")
        server = uvicorn.Server(config)
        try:
            server.run()
        except KeyboardInterrupt:  # Ctrl-C: uvicorn has stopped serving, then raises it again
            pass
        except (OSError, SystemExit) as e:  # the port is taken (uvicorn exits after logging it)
            detail = f" ({e.strerror})" if isinstance(e, OSError) and e.strerror else " (is the port taken?)"
            raise BcparseError(f"cannot listen on {a.host}:{a.port}{detail}") from None
        if not server.started:
            raise BcparseError(f"cannot listen on {a.host}:{a.port} (is the port taken?)")
    print("bcparse serve: stopped", file=sys.stderr)
    return 0


def _schema_version(path: str) -> int | None:
    import sqlite3
    from pathlib import Path

    try:
        con = sqlite3.connect("file:" + Path(path).resolve().as_posix() + "?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "reports" not in names:
            return None
        if "schema_version" not in names:
            return 0
        return int(con.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] or 0)
    except sqlite3.DatabaseError:
        return None
    finally:
        con.close()
