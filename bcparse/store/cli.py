"""``bcparse import``: its arguments (imported by ``bcparse.cli`` only when ``import`` runs).

Imports nothing heavy at module level: SQLAlchemy is loaded when the import starts.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

IMPORT_HELP = "import reports (files, or folders of .txt/.docx/.doc/.pdf) into a database"
IMPORT_EPILOG = """\
examples:
  bcparse import reports/                                  into bcparse.db in this folder
  bcparse import a.docx b.pdf --db sqlite:///data/bc.db     another SQLite file
  bcparse import reports/ --db postgresql://me@dbhost/bc    a PostgreSQL server (password: PGPASSWORD or ~/.pgpass)
  bcparse import reports/ --jobs 4 --replace                parse in 4 processes; re-import stored files
  bcparse import /shared/reports --dask tcp://sched:8786 --db postgresql://me@dbhost/bc
                                                           on a Dask cluster (docs/scale.md)

A file already stored (same content, by sha256) is skipped unless --replace. Reports are written
in batches of up to 300 (one transaction each, a savepoint per report): each report is all in or
all out, and an interrupted import leaves only complete reports (run it again for the rest).
Exit status: 0 all imported or unchanged, 1 some files failed, 2 usage or database error.
Schema and example queries: docs/database.md.
"""

DB_HELP = ("database URL: sqlite:///FILE, a file path, or postgresql://user@host[:port]/dbname "
           "(default: $BCPARSE_DB_URL, else bcparse.db here)")


def _jobs(s: str) -> int:
    try:
        n = int(s)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {s!r}") from None
    if n < 0:
        raise argparse.ArgumentTypeError("must be 0 (one per CPU) or more")
    return n or (os.cpu_count() or 1)


def _positive(s: str) -> int:
    try:
        n = int(s)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {s!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return n


def cmd_import(a: argparse.Namespace) -> int:
    if a.dask:
        from .cluster import import_on_dask

        result = import_on_dask(a.paths, a.db, a.dask, replace=a.replace)
    else:
        from .importer import import_paths

        result = import_paths(a.paths, a.db, jobs=a.jobs, replace=a.replace, batch=a.batch)
    sys.stdout.write(result.summary() + "\n")
    return result.exit_code


def register(sub: Any) -> None:
    sp = sub.add_parser("import", help=IMPORT_HELP, description=IMPORT_HELP, epilog=IMPORT_EPILOG,
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    sp.add_argument("paths", nargs="+", metavar="PATH", help="report files, or folders to search recursively")
    sp.add_argument("--db", metavar="URL", help=DB_HELP)
    sp.add_argument("--jobs", "-j", type=_jobs, default=1, metavar="N",
                    help="parse in N worker processes (0: one per CPU; default 1, in this process)")
    sp.add_argument("--replace", action="store_true", help="re-import files that are already stored")
    sp.add_argument("--batch", type=_positive, default=0, metavar="N",
                    help="reports per transaction (default 300, and at most 30 s of work): larger batches write "
                         "less; a kill loses at most the batch in progress")
    sp.add_argument("--dask", metavar="SCHEDULER",
                    help="parse and write on a Dask cluster: tcp://host:8786, or 'local' for worker processes "
                         "on this machine; needs --db postgresql://… and paths every worker can read "
                         "(pip install 'bcparse[cluster]'; docs/scale.md)")
    sp.set_defaults(func=cmd_import)
