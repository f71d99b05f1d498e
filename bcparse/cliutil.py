"""What the command modules share: printing or writing a command's result, JSON as the CLI prints
it, and the options every report-reading command takes. Cheap to import (no parser, no pydantic)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from . import fileio

T = TypeVar("T")


def write_result(text: str, out: str | None) -> None:
    """Print ``text`` (ending in a newline), or write it to ``out`` whole or not at all
    (see :func:`bcparse.fileio.write_output`)."""
    if not text.endswith("\n"):
        text += "\n"
    if not out or out == "-":
        fileio.write_stdout(text)
        return
    fileio.check_text_output(out)
    fileio.write_output(out, text)


def dumps(obj: Any) -> str:
    """JSON as every command prints it: UTF-8 text (no \\u escapes), indented by 2."""
    return json.dumps(obj, ensure_ascii=False, indent=2)


def add_input_format(sp: argparse.ArgumentParser) -> None:
    """``--input-format``: read the input as this format whatever its name (a report saved as .json)."""
    sp.add_argument("--input-format", choices=fileio.INPUT_FORMATS, default=None, metavar="FORMAT",
                    help="read the input as text, docx, doc or pdf whatever its extension (by default a "
                    "name other than .txt/.md/.docx/.doc/.pdf or no extension is refused)")
    add_ocr(sp)


def add_ocr(sp: argparse.ArgumentParser) -> None:
    """``--ocr auto|always|never``: which pages of a scan are read through OCR (docs/ocr.md)."""
    sp.add_argument("--ocr", choices=("auto", "always", "never"), default=None,
                    help="which pages of a scan are read through OCR (Tesseract, Vietnamese; docs/ocr.md): "
                    "auto (the default) the pages without a usable text layer, always every page, never "
                    "none. Images (.png, .jpg, .tif) are always read through OCR")


# ---- many inputs ------------------------------------------------------------------------------

def bug_line(e: BaseException) -> str:
    """The one line an unexpected exception (a bug) is reported as."""
    from .errors import one_line

    return (f"unexpected {type(e).__name__}: {one_line(str(e))[:300]} (a bcparse bug: please report it "
            "with the file)")


class Batch:
    """The files of a command that takes many paths (``figures``, ``parse``, ``outline``, ``export``):
    folders, globs and ``-`` expanded by :func:`bcparse.fileio.collect_inputs`, each file that cannot
    be read reported on stderr as it comes (``bcparse: error: FILE: why``) and skipped.

    :attr:`status` is the exit status: 2 when any path given could not be read (the others are
    still processed), else 0. :attr:`single`: one file was named, its output is that of one report
    (several, or a folder or a glob: one JSON object per line)."""

    def __init__(self, paths: list[str]) -> None:
        import sys

        from .errors import quote_name

        got = fileio.collect_inputs(paths)
        for p, why in got.skipped:
            print(f"bcparse: warning: {quote_name(p)}: {why}", file=sys.stderr)
        for p, why in got.refused:
            print(f"bcparse: error: {quote_name(p)}: {why}", file=sys.stderr)
        self.files = got.files
        self.single = got.single
        self.failed = len(got.refused)
        self.done = 0

    def each(self, fn: Callable[[str], T]) -> Iterator[tuple[str, T]]:
        """``(path, fn(path))`` for every file, skipping (and reporting) those ``fn`` fails on; an
        error about the whole command (a grammar, the output, the database) stops it."""
        import sys

        from .errors import BcparseError, DatabaseError, GrammarError, OutputError, quote_name

        for p in self.files:
            try:
                result = fn(p)
            except BcparseError as e:
                if isinstance(e, GrammarError | OutputError | DatabaseError):
                    raise
                print(f"bcparse: error: {e if e.path else f'{quote_name(p)}: {e}'}", file=sys.stderr)
                self.failed += 1
                continue
            except (KeyboardInterrupt, BrokenPipeError, MemoryError):
                raise
            except Exception as e:  # noqa: BLE001 - one file's bug must not stop the others
                print(f"bcparse: error: {quote_name(p)}: {bug_line(e)}", file=sys.stderr)
                self.failed += 1
                continue
            self.done += 1
            yield p, result

    @property
    def status(self) -> int:
        return 2 if self.failed else 0


class Output:
    """Where a command that prints one piece per file writes: standard output as each piece comes,
    or ``-o FILE`` whole at the end (nothing written when no file could be read)."""

    def __init__(self, out: str | None) -> None:
        self.out = out if out and out != "-" else None
        self.parts: list[str] = []
        if self.out:
            fileio.check_text_output(self.out)

    def add(self, text: str) -> None:
        if not text.endswith("\n"):
            text += "\n"
        if self.out:
            self.parts.append(text)
        else:
            fileio.write_stdout(text)

    def close(self, wrote_any: bool) -> None:
        if self.out and wrote_any:
            fileio.write_output(self.out, "".join(self.parts))
