"""The ``bcparse`` command line.

Every command prints its result on stdout and nothing else; errors go to stderr as one line
(``bcparse: error: …``) with exit status 2. Nothing is written to a file unless asked (-o), and
then only once the whole result is ready (written to a temporary file and renamed). Files are read
and written through :mod:`bcparse.fileio`: ``-`` is standard input, only regular files are read
or written, and output never fails on the terminal's encoding.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence
from typing import Any

from . import __version__
from .commands import COMMANDS
from .errors import BcparseError

EPILOG = """\
examples:
  bcparse figures samples/binh-thanh-doi-ngoai-2024.txt          the report's figures (text)
  bcparse figures report.docx --json                              the figures contract as JSON
  bcparse figures report.pdf --all --json                         ... and every other quantity
  bcparse figures report.txt --explain                            which rule produced each figure
  bcparse outline report.docx                                     the numbered section tree
  bcparse text report.pdf                                         the text view spans point into
  bcparse parse report.txt --json                                 the whole validated Report
  bcparse grammars                                                the report grammars shipped
  bcparse figures reports/ --json                                 a folder: JSON Lines, one report a line
  bcparse export reports/ -o bao-cao.xlsx                         Excel: reports, figures, findings
  bcparse keys                                                    every key with its Vietnamese label

PATH may be several files, folders (recursively), globs or - (standard input) for figures, outline,
parse, audit, coverage, export and import (files only); a file that cannot be read is reported on
stderr and skipped.
Exit status: 0 ok, 1 findings (audit), 2 error or a file that could not be read (coverage, import: 1).
"""


class _Parser(argparse.ArgumentParser):
    """argparse's parser, printing help and usage errors on streams that can hold Vietnamese.

    The streams are set up (:func:`bcparse.fileio.setup_streams`) before the first message that
    is not plain ASCII, so that ``bcparse --version`` does not load the file layer."""

    def _print_message(self, message: str, file: Any = None) -> None:
        if message and not message.isascii():
            from . import fileio

            fileio.setup_streams()
        super()._print_message(message, file)


def build_parser(command: str | None = None, *, full: bool = False) -> argparse.ArgumentParser:
    """The ``bcparse`` parser: every command listed from the registry (:mod:`bcparse.commands`),
    with its arguments added only for ``command`` (the one that runs; its module is imported then),
    or for every command when ``full``."""
    p = _Parser(
        prog="bcparse",
        description="Read Vietnamese administrative reports (báo cáo UBND) from .txt, .docx, .doc and .pdf: "
        "their sections, every figure with its line and column, audits of the numbers.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--version", action="version", version=f"bcparse {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    for name, cmd in COMMANDS.items():
        if full or name == command:
            registrar: Callable[[Any], None] = getattr(importlib.import_module(cmd.module), cmd.registrar)
            registrar(sub)
        else:
            sub.add_parser(name, help=cmd.help, add_help=False)
    return p


def _command(argv: Sequence[str]) -> str | None:
    """The command named on the command line: its first word that is not an option (the top level
    takes no option with a value)."""
    return next((x for x in argv if not x.startswith("-")), None)


def _inputs(a: argparse.Namespace) -> list[str]:
    if isinstance(getattr(a, "path", None), str):
        return [a.path]
    return [p for p in getattr(a, "paths", None) or [] if isinstance(p, str)]


def main(argv: Sequence[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(_command(args))
    a = parser.parse_args(args)  # help, usage errors and --version are printed by the parser (_Parser)
    from . import fileio

    fileio.setup_streams()
    if not getattr(a, "func", None):
        parser.print_help()
        return 2
    try:
        inputs = _inputs(a)
        with fileio.cli_input(input_format=getattr(a, "input_format", None), inputs=inputs,
                              in_place=bool(getattr(a, "in_place", False)), in_place_option=hasattr(a, "in_place"),
                              ocr=getattr(a, "ocr", None)):
            out = getattr(a, "output", None)
            if isinstance(out, str) and out != "-":
                fileio.check_output(out)  # a missing folder, a FIFO, the input itself: refused before any work
            return int(a.func(a) or 0)
    except BcparseError as e:
        print(f"bcparse: error: {e}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        print("bcparse: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as e:  # noqa: BLE001 - a bug must still be one line, not a traceback
        from .cliutil import bug_line

        print(f"bcparse: error: {bug_line(e)}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
