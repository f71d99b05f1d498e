"""``bcparse coverage PATH...``: the quantities no key took, grouped by what they count."""

from __future__ import annotations

import argparse
import importlib.util
import sys
from typing import Any

from ..cliutil import dumps, write_result

HELP = "list the quantities no grammar key took, grouped by what they count (for grammar authors)"
EPILOG = """\
Each quantity of a report is bound to what it counts ("12 bản", "hộ nghèo: 102 hộ") and how it is
said (total, change, part …). Quantities no key took are grouped by counted noun phrase and frame
across all the files, most widespread first, with two example lines each; then the share of
quantities keyed in each file. A frequent group is a candidate `counts:` rule: see
docs/grammars.md, "From coverage to a grammar".

examples:
  bcparse coverage tests/data/real/                 # a folder, recursively
  bcparse coverage a.txt b.docx --top 50
  bcparse coverage reports/ --json -o coverage.json
exit status: 0, or 1 when a file could not be read (it is listed, the others are counted)
"""
NO_NLP = ("coverage: no part-of-speech tagging (underthesea is not installed: pip install 'bcparse[nlp]'); "
          "quantities the word lists leave unnamed stay '(không rõ)'")


def register(sub: Any) -> None:
    sp: argparse.ArgumentParser = sub.add_parser("coverage", help=HELP, description=HELP, epilog=EPILOG,
                                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sp.add_argument("paths", nargs="+", metavar="PATH", help="reports (.txt .md .docx .doc .pdf) or folders of them")
    sp.add_argument("--top", type=int, default=30, help="how many groups to print (default 30)")
    sp.add_argument("--examples", type=int, default=2, help="example lines per group (default 2)")
    sp.add_argument("--grammar", help="force this grammar for every file")
    from ..cliutil import add_ocr

    add_ocr(sp)
    sp.add_argument("--json", action="store_true", help="groups, per-file shares and failures as JSON")
    sp.add_argument("--no-pos", action="store_true",
                    help="do not tag parts of speech (underthesea, the 'nlp' extra) for quantities the word lists "
                         "leave unnamed (without the extra this is the default)")
    sp.add_argument("-o", "--output", help="write to this file instead of stdout (written whole or not at all)")
    sp.set_defaults(func=run)


def run(a: argparse.Namespace) -> int:
    from ..coverage import coverage, render_text
    from ..errors import BcparseError, one_line
    from ..fileio import expand_paths
    from ..pipeline import parse

    if a.top < 1 or a.examples < 0:
        raise BcparseError("--top is at least 1 and --examples at least 0")
    files, errors = expand_paths(list(a.paths))
    failed: list[tuple[str, str]] = [(e.split(": ", 1)[0], e.split(": ", 1)[-1]) for e in errors]
    reports = []
    show = sys.stderr.isatty() and len(files) > 20
    for n, path in enumerate(files, 1):
        if show:
            print(f"\r{n}/{len(files)} {path[-50:]:<50}", end="", file=sys.stderr, flush=True)
        try:
            reports.append((path, parse(path, grammar=a.grammar)))
        except BcparseError as e:
            failed.append((path, one_line(str(e))))
    if show:
        print("\r" + " " * 60 + "\r", end="", file=sys.stderr)
    pos = not a.no_pos
    if pos and importlib.util.find_spec("underthesea") is None:
        print(NO_NLP, file=sys.stderr)
        pos = False
    cov = coverage(reports, failed, examples=a.examples, pos=pos)
    if a.json:
        write_result(dumps(cov.as_dict(top=a.top)), a.output)
    else:
        write_result(render_text(cov, a.top), a.output)
    return 1 if failed else 0
