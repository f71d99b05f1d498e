"""Readers: a file (path or bytes) → :class:`bcparse.document.Document`.

The format is decided by the content (magic bytes), not trusted from the extension: a PDF named
``.txt`` is read as a PDF would be refused as text, a ``.doc`` renamed ``.docx`` gets a clear error.
"""

from __future__ import annotations

import os
from pathlib import Path

from .. import limits
from ..document import Document
from ..errors import EmptyInputError, InputError, InputTooLargeError, UnsupportedFormatError

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_PDF = b"%PDF-"

TEXT_EXTENSIONS = {".txt", ".text", ".md", ""}
KNOWN_EXTENSIONS = {".txt", ".text", ".md", ".docx", ".doc", ".pdf"}


def sniff(data: bytes) -> str:
    """'docx' | 'doc' | 'pdf' | 'zip' | 'text' | 'binary' from the first bytes."""
    head = data[:1024]
    if head.startswith(_ZIP):
        return "zip"
    if head.startswith(_OLE):
        return "doc"
    if _PDF in head[:1024]:
        return "pdf"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "text"
    # binary junk: NUL bytes or many control characters in the first kilobyte
    sample = data[:4096]
    if b"\x00" in sample:
        return "binary"
    ctrl = sum(1 for c in sample if c < 9 or 13 < c < 32)
    if sample and ctrl / len(sample) > 0.05:
        return "binary"
    return "text"


def _not_empty(doc: Document) -> Document:
    """A Word file with no text at all is as empty as a blank .txt (fuzzing finding F4)."""
    if not any(b.text.strip() for b in doc.blocks):
        raise EmptyInputError("the document has no text", path=doc.path)
    return doc


def read_bytes(data: bytes, *, name: str | None = None, password: str | None = None) -> Document:
    """Read a report from bytes; ``name`` (a file name) only serves messages and extension checks."""
    limit = limits.current().max_input_bytes
    if len(data) > limit:
        raise InputTooLargeError(
            f"the input is {len(data):,} bytes, over the limit of {limit:,} (set BCPARSE_MAX_INPUT_BYTES)",
            path=name,
        )
    if not data.strip():
        raise EmptyInputError("the file is empty", path=name)
    ext = Path(name).suffix.lower() if name else ""
    kind = sniff(data)
    if kind == "zip":
        from .docx import read_docx

        if ext in {".doc", ".pdf"}:
            raise UnsupportedFormatError(
                f"the file is named {ext} but is a zip container (a .docx?); rename it to .docx", path=name
            )
        return _not_empty(read_docx(data, path=name))
    if kind == "doc":
        from .doc import is_encrypted, read_doc

        if is_encrypted(data):  # a password-protected .docx is an OLE container too
            return _not_empty(read_doc(data, path=name))
        if ext == ".docx":
            raise UnsupportedFormatError(
                "the file is named .docx but is a legacy Word 97-2003 .doc; rename it to .doc "
                "(bcparse converts .doc through LibreOffice)",
                path=name,
            )
        return _not_empty(read_doc(data, path=name))
    if kind == "pdf":
        if ext in {".docx", ".doc"}:
            raise UnsupportedFormatError(f"the file is named {ext} but is a PDF; rename it to .pdf", path=name)
        from .pdf import read_pdf

        return read_pdf(data, path=name, password=password)
    if kind == "binary":
        raise UnsupportedFormatError("the file is binary data, not a report (.txt, .docx, .doc or .pdf)", path=name)
    if ext in {".docx", ".pdf", ".doc"}:
        raise UnsupportedFormatError(f"the file is named {ext} but holds plain text", path=name)
    from .txt import read_txt_bytes

    return read_txt_bytes(data, path=name)


def read(source: str | os.PathLike[str] | bytes, *, password: str | None = None) -> Document:
    """Read a report from a path or from bytes."""
    if isinstance(source, bytes | bytearray):
        return read_bytes(bytes(source), password=password)
    path = Path(source)
    name = str(source)
    if path.is_dir():
        raise InputError("is a folder, not a file", path=name)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError("no such file", path=name) from None
    except OSError as e:
        raise InputError(f"cannot read the file ({e.strerror})", path=name) from None
    limit = limits.current().max_input_bytes
    if size > limit:
        raise InputTooLargeError(
            f"the file is {size:,} bytes, over the limit of {limit:,} (set BCPARSE_MAX_INPUT_BYTES)", path=name
        )
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InputError(f"cannot read the file ({e.strerror})", path=name) from None
    return read_bytes(data, name=name, password=password)
