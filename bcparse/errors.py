"""Typed errors. Every failure bcparse reports is a BcparseError with a one-line human message.

The CLI prints ``bcparse: error: <message>`` and exits with status 2; library callers catch
``BcparseError`` (or a subclass) and never see an exception from a dependency.
"""

from __future__ import annotations

import re

_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escape(m: re.Match[str]) -> str:
    c = ord(m.group())
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def one_line(text: str) -> str:
    """``text`` on one line with no terminal control: white space runs become one space, other
    control characters (ANSI escapes, bidi overrides, undecodable bytes) become visible escapes."""
    return _UNSAFE.sub(_escape, " ".join(str(text).split()))


def quote_name(name: str) -> str:
    """A file name as it is safe to print in a one-line message: as is when it is plain, else
    quoted with its newlines, escapes and undecodable bytes shown as ``\\n``, ``\\x1b``, ``\\udcff``."""
    name = str(name)
    if name and name.isprintable() and not _UNSAFE.search(name) and name.strip() == name:
        return name
    return repr(name)


class BcparseError(Exception):
    """Base class of every error bcparse raises on purpose."""

    exit_code = 2

    def __init__(self, message: str, *, path: str | None = None) -> None:
        # keep the message to one line with no terminal control: the CLI prints it as is
        self.message = one_line(message)
        self.path = path
        super().__init__(self.message)

    def __str__(self) -> str:
        return f"{quote_name(self.path)}: {self.message}" if self.path else self.message


class InputError(BcparseError):
    """The input cannot be read as a report (missing, empty, wrong type, binary junk)."""


class EmptyInputError(InputError):
    """The file or text is empty or holds only white space."""


class UnsupportedFormatError(InputError):
    """The file is of a type bcparse does not read, or its content does not match its extension."""


class EncodingError(InputError):
    """The text's encoding cannot be determined or converted."""


class InputTooLargeError(InputError):
    """The input exceeds the configured size limit (see ``bcparse.limits``)."""


class CorruptFileError(InputError):
    """The file is damaged: a truncated or invalid .docx/.pdf."""


class UnsafeFileError(InputError):
    """The file looks hostile: a zip bomb, XML entity expansion, absurd nesting."""


class EncryptedPdfError(InputError):
    """The PDF is encrypted and no (or a wrong) password was given."""


class ScannedPdfError(InputError):
    """The PDF has no text layer (a scan): run OCR first."""


class ResourceLimitError(InputError):
    """Reading took longer or more operations than the per-page or whole-document budget allows."""


class OutputError(BcparseError):
    """The output cannot be written where asked: a missing folder, a folder, a FIFO or device, the
    input itself without ``--in-place``, a binary format for text, binary data to a terminal, a full disk."""


class ToolMissingError(BcparseError):
    """An external program (LibreOffice for .doc) is needed but not installed."""


class GrammarError(BcparseError):
    """A grammar file is invalid; the message names the file, the line and the field."""


class ValidationError(BcparseError):
    """A value does not validate (a negative count, an impossible date, an unknown key)."""


class DatabaseError(BcparseError):
    """The database cannot be opened or written."""


class UnknownKeyError(BcparseError, KeyError):
    """A key no loaded grammar declares and no header or closing field has (``Report.value``)."""


class SeveralRecordsError(BcparseError, LookupError):
    """A key names a field of several records: use ``Report.values``, ``items`` or ``gift[3].count``."""


class OcrUnavailableError(ToolMissingError):
    """A scan needs OCR and the OCR engine (tesserocr, the ``ocr`` extra) or Tesseract's Vietnamese
    model (Debian's ``tesseract-ocr-vie``) is not installed."""
