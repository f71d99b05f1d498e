"""Readers: a file (path or bytes) → :class:`bcparse.document.Document`.

The format is decided by the content (magic bytes), not trusted from the extension: a PDF named
``.txt`` is read as a PDF would be refused as text, a ``.doc`` renamed ``.docx`` gets a clear error.
A file is read only when its name is one of a report's (:data:`KNOWN_EXTENSIONS`, or no extension):
``notes.json`` or ``page.html`` is refused unless a format is forced (``format="text"``, the
command line's ``--input-format``). Files are opened through :mod:`bcparse.fileio` (regular files
only, the size limit enforced while reading).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from .. import fileio, limits
from ..document import Document
from ..errors import EmptyInputError, InputTooLargeError, UnsupportedFormatError
from ..legacy_encodings import utf16_without_bom

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_PDF = b"%PDF-"

KNOWN_EXTENSIONS = {".txt", ".text", ".md", ".docx", ".doc", ".pdf"}
#: scans read through OCR (bcparse.readers.ocr)
IMAGE_EXTENSIONS = {".png", ".jpg", ".jpeg", ".tif", ".tiff"}
KNOWN_EXTENSIONS |= IMAGE_EXTENSIONS
#: ``format=`` values (``--input-format``) and the extension each stands for
FORMATS = {"text": ".txt", "docx": ".docx", "doc": ".doc", "pdf": ".pdf"}
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff", b"\xff\xfe", b"\xfe\xff")


def sniff(data: bytes) -> str:
    """'docx' | 'doc' | 'pdf' | 'image' | 'zip' | 'text' | 'binary' from the first bytes."""
    head = data[:1024]
    if head.startswith(_ZIP):
        return "zip"
    if head.startswith(_OLE):
        return "doc"
    if _PDF in head[:1024]:
        return "pdf"
    from .ocr import sniff_image

    if sniff_image(head):
        return "image"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "text"
    if b"\x00" in data[:4096] and utf16_without_bom(data):  # UTF-16 without a BOM (Notepad's "Unicode")
        return "text"
    # binary junk: NUL bytes or many control characters in the first kilobyte
    sample = data[:4096]
    if b"\x00" in sample:
        return "binary"
    ctrl = len(sample.translate(None, _NOT_CONTROL))  # bytes 0-8 and 14-31, counted at C speed
    if sample and ctrl / len(sample) > 0.05:
        return "binary"
    return "text"


def _not_empty(doc: Document) -> Document:
    """A Word file with no text at all is as empty as a blank .txt (fuzzing finding F4)."""
    if not any(b.text.strip() for b in doc.blocks):
        raise EmptyInputError("the document has no text", path=doc.path)
    return doc


def check_extension(name: str | None, format: str | None) -> str:
    """The extension the content is checked against: the forced format's, else the name's."""
    if format is not None:
        if format not in FORMATS:
            raise UnsupportedFormatError(f"unknown input format {format!r} (known: {', '.join(FORMATS)})")
        return FORMATS[format]
    ext = Path(name).suffix.lower() if name else ""
    if ext and ext not in KNOWN_EXTENSIONS and not _is_version_suffix(ext):
        raise UnsupportedFormatError(
            f"bcparse reads reports named .txt, .md, .docx, .doc or .pdf, scans named .png, .jpg or .tif "
            f"(or with no extension), not {ext}; "
            "to read it anyway give --input-format text|docx|doc|pdf",
            path=name,
        )
    return ext


def _is_version_suffix(ext: str) -> bool:
    """``báo cáo v1.2`` or ``Report 2024.03``: a dot in the name followed by digits is no extension."""
    return ext[1:].isdigit()


_NOT_CONTROL = bytes(c for c in range(256) if not (c < 9 or 13 < c < 32))
_CONTENT = re.compile(rb"[^\x00 \t\n\r\x0b\x0c]")


def _empty(data: bytes) -> bool:
    for bom in _BOMS:
        if data.startswith(bom):
            data = data[len(bom):]
            break
    return _CONTENT.search(data) is None  # a byte other than NUL or ASCII white space (no copy of the file)


def read_bytes(data: bytes, *, name: str | None = None, password: str | None = None,
               format: str | None = None, ocr: str | None = None) -> Document:
    """Read a report from bytes; ``name`` (a file name) only serves messages and extension checks.

    ``format`` (``text``, ``docx``, ``doc``, ``pdf``) forces the format instead of the name's
    extension: the content must still be of that format. ``ocr`` (``auto``, ``always``, ``never``;
    default ``auto`` or the command line's ``--ocr``): which PDF pages are read through OCR
    (docs/ocr.md); an image is always read through OCR, and refused with ``never``.
    """
    from .ocr import check_mode

    ocr = check_mode(ocr or fileio.forced_ocr())
    limit = limits.current().max_input_bytes
    if len(data) > limit:
        raise InputTooLargeError(
            f"the input is {len(data):,} bytes, over the limit of {limit:,} (set BCPARSE_MAX_INPUT_BYTES)",
            path=name,
        )
    ext = check_extension(name, format)
    if _empty(data):
        raise EmptyInputError("the file is empty", path=name)
    kind = sniff(data)
    if kind == "zip":
        from .docx import read_docx

        if ext in {".doc", ".pdf"}:
            raise UnsupportedFormatError(
                f"the file is {'read as' if format else 'named'} {ext} but is a zip container (a .docx?); "
                "rename it to .docx", path=name
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

        return read_pdf(data, path=name, password=password, ocr=ocr)
    if kind == "image":
        if ext and ext not in IMAGE_EXTENSIONS:
            raise UnsupportedFormatError(f"the file is {'read as' if format else 'named'} {ext} but is an image "
                                         "(a scan?); rename it to .png, .jpg or .tif", path=name)
        if ocr == "never":
            raise UnsupportedFormatError("the file is an image (a scan?): it is read only through OCR, "
                                         "not with --ocr never", path=name)
        from .ocr import read_image

        return read_image(data, path=name)
    if kind == "binary":
        raise UnsupportedFormatError("the file is binary data, not a report (.txt, .docx, .doc or .pdf)", path=name)
    if ext in {".docx", ".pdf", ".doc"}:
        raise UnsupportedFormatError(f"the file is {'read as' if format else 'named'} {ext} but holds plain text",
                                     path=name)
    from .txt import read_txt_bytes

    return read_txt_bytes(data, path=name)


def read(source: str | os.PathLike[str] | bytes, *, password: str | None = None,
         format: str | None = None, ocr: str | None = None) -> Document:
    """Read a report from a path or from bytes (``format`` as in :func:`read_bytes`).

    Only a regular file is read (a FIFO or a device is refused before it is opened), within
    ``BCPARSE_MAX_INPUT_BYTES`` (checked while reading too). On the command line ``-`` is standard
    input and ``--input-format`` sets ``format``, ``--ocr`` sets ``ocr``.
    """
    format = format or fileio.forced_input_format()
    if isinstance(source, bytes | bytearray):
        return read_bytes(bytes(source), password=password, format=format, ocr=ocr)
    name = str(source)
    if fileio.is_stdin(name):
        name, data = "<stdin>", fileio.read_input(name)
    else:
        check_extension(name, format)  # refuse a .json before reading it
        data = fileio.read_input(name)
    doc = read_bytes(data, name=name, password=password, format=format, ocr=ocr)
    for w in doc.warnings:
        fileio.warn(name, w)
    return doc
