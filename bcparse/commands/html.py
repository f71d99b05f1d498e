"""``bcparse html PATH... [-o out.html | -o folder/] [--all]``: each report as one self-contained
HTML page (:mod:`bcparse.view.html`, docs/view.md).

One PATH without ``-o`` prints the page; ``-o FILE.html`` writes it; several PATHs (or a folder)
need ``-o FOLDER/``, which gets one ``NAME.html`` per report (``report.docx`` → ``report.docx.html``,
so that a .txt and a .docx of one name do not collide). Every page is written whole or not at all.
The findings are those of ``bcparse audit`` on the same PATHs: each report's own, and with several
reports the cross-report ones, beside the line they point at.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from ..cliutil import add_input_format

HELP = "write each report as one self-contained HTML page: figures highlighted, audit findings beside their lines"
EPILOG = """\
examples:
  bcparse html samples/binh-thanh-doi-ngoai-2024.docx -o report.html   one page
  bcparse html samples/ -o pages/                                        a page per report in pages/
  bcparse html report.pdf --all > report.html                            every quantity, the unkeyed quieter

The page loads nothing from the network (no CDN, no web font): copy it anywhere, open it in a
browser. Hover a highlighted number, or reach it with Tab, to see its key, Vietnamese label,
value, mode, confidence, the grammar rule that read it and where in the file it stands.
See docs/view.md."""


def register(sub: Any) -> None:
    sp = sub.add_parser("html", help=HELP, description=HELP, epilog=EPILOG,
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    sp.add_argument("paths", nargs="+", metavar="PATH",
                    help="reports (.txt, .md, .docx, .doc, .pdf; - for standard input) or folders of them")
    sp.add_argument("-o", "--output", dest="out", metavar="OUT",
                    help="FILE.html for one report; a folder (ending in /, or existing) for one page per "
                         "report, created if missing. Without it one report's page is printed")
    sp.add_argument("--all", action="store_true",
                    help="also highlight every other quantity of the text (no key), in a quieter style")
    sp.add_argument("--grammar", help="force this grammar (see `bcparse grammars`)")
    sp.add_argument("--password", help="password of an encrypted PDF")
    add_input_format(sp)
    sp.set_defaults(func=run)


def _page_name(path: str, taken: set[str]) -> str:
    base = "stdin" if path == "-" else os.path.basename(os.path.normpath(path)) or "report"
    name = base + ".html"
    n = 2
    while name in taken:  # the same file name in two folders
        name = f"{base}-{n}.html"
        n += 1
    taken.add(name)
    return name


def run(a: argparse.Namespace) -> int:
    from ..audit import audit_across, audit_report
    from ..cliutil import write_result
    from ..errors import BcparseError, OutputError, one_line, quote_name
    from ..fileio import check_output, expand_paths, write_output
    from ..pipeline import parse_document
    from ..readers import read
    from ..view.html import render_html

    files, errors = expand_paths(list(a.paths))
    out: str | None = a.out
    to_folder = out is not None and (out.endswith(("/", os.sep)) or os.path.isdir(out))
    if (len(files) > 1 or len(a.paths) > 1 or any(os.path.isdir(p) for p in a.paths)) and not to_folder:
        raise BcparseError("several reports make several pages: give -o FOLDER/ (one NAME.html per report)")
    if out and not to_folder:
        if out != "-":
            if not out.lower().endswith((".html", ".htm")):
                raise OutputError("the page is HTML: name the output .html (or give a folder, ending in /)", path=out)
            check_output(out)
    if to_folder:
        assert out is not None
        try:
            os.makedirs(out, exist_ok=True)
        except OSError as e:
            raise OutputError(f"cannot create the folder ({e.strerror})", path=out) from None

    loaded: list[tuple[str, Any, Any]] = []
    for p in files:
        try:
            doc = read(p, password=a.password)
            r = parse_document(doc, grammar=a.grammar)
            r.source = p
            loaded.append((p, doc, r))
        except BcparseError as e:
            if len(files) == 1:
                raise
            errors.append(str(e) if e.path else f"{quote_name(p)}: {e}")
        except Exception as e:  # noqa: BLE001 - one unreadable file must not stop the others
            if len(files) == 1:
                raise
            errors.append(f"{quote_name(p)}: cannot be read ({type(e).__name__}: {one_line(str(e))})")
    findings = [f for _, _, r in loaded for f in audit_report(r)]
    if len(loaded) > 1:
        findings += audit_across([r for _, _, r in loaded])
    taken: set[str] = set()
    for p, doc, r in loaded:
        page = render_html(r, [f for f in findings if f.file == p], document=doc, all=a.all)
        if to_folder:
            assert out is not None
            target = os.path.join(out, _page_name(p, taken))
            write_output(target, page)
        else:
            write_result(page, out)
    for msg in errors:
        print(f"bcparse: error: {msg}", file=sys.stderr)
    if to_folder and loaded:
        print(f"wrote {len(loaded)} page{'s' if len(loaded) != 1 else ''} to {out}", file=sys.stderr)
    return 2 if errors else 0
