"""``bcparse export PATH... -o out.xlsx|.csv|.jsonl|.parquet`` and ``bcparse export --db URL -o …``."""

from __future__ import annotations

import argparse
from typing import Any

HELP = "export reports, their figures and audit findings to Excel (.xlsx), CSV, JSON Lines or Parquet"
EPILOG = """\
The export holds three tables (docs/exports.md):
  reports   one row per report, one column per key (its Vietnamese label, the key below it)
  figures   one row per figure: report, key, item, label, value, unit, mode, confidence,
            counted, section, line, raw
  findings  the audit's findings (docs/audit.md): report, code, severity, message, line, …

  .xlsx     all three, as the sheets "Báo cáo", "Số liệu" and "Phát hiện"
  .csv      one table (--table, default figures), UTF-8 with a byte order mark so that Excel
            reads Vietnamese (--no-bom for other tools); the header is the Vietnamese labels
            (--header keys: the keys and column names)
  .jsonl    one report per line (--table figures: one figure, findings: one finding)
  .parquet  one table (default figures); needs pyarrow: pip install 'bcparse[parquet]'

The format is the output's extension, or --format (needed to write to standard output, -o -).
The output is written whole or not at all. PATH may be a file, a folder (searched recursively), a
glob or - for standard input; a file that cannot be read is reported on stderr and skipped.

examples:
  bcparse export samples/ -o bao-cao.xlsx
  bcparse export reports/ -o so-lieu.csv                     the figures, long form, for Excel
  bcparse export reports/ -o bao-cao.csv --table reports --no-bom --header keys
  bcparse export --db bcparse.db -o kho.xlsx                 what a database holds (bcparse import)
  bcparse export a.docx b.pdf --format jsonl -o - | jq .grammar

Exit status: 0 written; 2 a file could not be read (the others are exported) or another error.
"""


def register(sub: Any) -> None:
    sp: argparse.ArgumentParser = sub.add_parser("export", help=HELP, description=HELP, epilog=EPILOG,
                                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sp.add_argument("paths", nargs="*", metavar="PATH",
                    help="reports (.txt, .md, .docx, .doc, .pdf), folders of them, globs, or - for standard input")
    sp.add_argument("-o", "--output", metavar="FILE",
                    help="the file to write: .xlsx, .csv, .jsonl or .parquet (- : standard output, with --format)")
    sp.add_argument("--format", choices=("xlsx", "csv", "jsonl", "parquet"),
                    help="the format, whatever the output's name")
    sp.add_argument("--table", choices=("reports", "figures", "findings"),
                    help="the table a .csv, .jsonl or .parquet holds (default: figures; .jsonl: reports)")
    sp.add_argument("--db", metavar="URL", help="export the reports a database holds (SQLite path or "
                    "postgresql://…, as `bcparse import` wrote them) instead of files")
    sp.add_argument("--no-bom", dest="bom", action="store_false",
                    help="CSV without the byte order mark (and with every value as it is), for tools other than Excel")
    sp.add_argument("--header", choices=("labels", "keys"), default="labels",
                    help="CSV header: the Vietnamese labels (default) or the keys and column names")
    sp.add_argument("--grammar", help="force this grammar for every file (see `bcparse grammars`)")
    sp.add_argument("--password", help="password of encrypted PDFs")
    sp.set_defaults(func=run)


def run(a: argparse.Namespace) -> int:
    from ..cliutil import Batch
    from ..errors import BcparseError
    from ..export import Export, format_of, render

    fmt = format_of(a.output, a.format)
    if a.table and fmt == "xlsx":
        raise BcparseError("an .xlsx export holds every table (one sheet each): --table is for .csv, .jsonl, .parquet")
    if fmt == "parquet":
        from ..export import PARQUET_MISSING

        try:
            import pyarrow  # noqa: F401 - checked before any file is parsed
        except ImportError:
            raise BcparseError(PARQUET_MISSING) from None
    status = 0
    if a.db:
        if a.paths:
            raise BcparseError("give report files or --db URL, not both")
        data = Export.from_db(a.db)
    elif not a.paths:
        raise BcparseError("give report files or folders to export, or --db URL for the reports stored in a database")
    else:
        from ..pipeline import parse

        def one(p: str) -> Any:
            r = parse(p, grammar=a.grammar, password=a.password)
            r.source = p
            return r

        batch = Batch(list(a.paths))
        reports = [r for _, r in batch.each(one)]
        status = batch.status
        if not reports:
            raise BcparseError("nothing to export: no report could be read")
        data = Export.from_reports(reports)
    payload = render(data, fmt, table=a.table, bom=a.bom, header=a.header)
    from .. import fileio

    if a.output and a.output != "-":
        fileio.write_output(a.output, payload)
    elif fmt in ("csv", "jsonl") and payload:
        fileio.write_stdout(payload.decode("utf-8"))  # text: to a terminal too
    else:
        fileio.write_stdout(payload, binary_hint="-o FILE")
    return status
