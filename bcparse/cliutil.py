"""What the command modules share: printing or writing a command's result, JSON as the CLI prints
it, and the options every report-reading command takes. Cheap to import (no parser, no pydantic)."""

from __future__ import annotations

import argparse
import json
from typing import Any

from . import fileio


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
