"""The guarded zip/XML package reader of .docx files, shared by the reader and the in-place
editor (:func:`bcparse.render.docx.edit_docx`).

Bad input raises typed errors: a damaged zip or XML part → CorruptFileError; a zip without a
Word document → UnsupportedFormatError; a zip bomb (total declared size over
``limits.max_unzipped_bytes``, a member over 1 MiB compressed more than ``max_zip_ratio`` to 1, or
a member inflating past its declared size: members are read in chunks), a part declaring a DOCTYPE
or entities, or XML nested deeper than ``max_xml_depth`` → UnsafeFileError. Parts are parsed
without entity resolution or network access.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from dataclasses import dataclass

from lxml import etree

from ... import limits
from ...errors import CorruptFileError, UnsafeFileError, UnsupportedFormatError
from .ooxml import RELATIONSHIP, STRICT_W, W_DOCUMENT

__all__ = ["Package", "WordDocument", "open_word_document"]

_RATIO_MIN_BYTES = 1 << 20  # the compression ratio is only checked on members above 1 MiB
_depth_checks: dict[int, etree.XPath] = {}
_LIBXML2_MAX_DEPTH = 256  # libxml2 refuses elements nested deeper unless huge_tree is set


def _parser(keep_comments: bool) -> etree.XMLParser:
    deep = limits.current().max_xml_depth > _LIBXML2_MAX_DEPTH
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=deep, remove_comments=not keep_comments
    )


# Strict Open XML namespaces (ISO/IEC 29500 Strict) → their Transitional names; the element and
# attribute names are the same in both
_STRICT_NS = (
    (b"http://purl.oclc.org/ooxml/wordprocessingml/main", b"http://schemas.openxmlformats.org/wordprocessingml/2006/main"),
    (b"http://purl.oclc.org/ooxml/officeDocument/relationships",
     b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"),
    (b"http://purl.oclc.org/ooxml/drawingml/wordprocessingDrawing",
     b"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"),
    (b"http://purl.oclc.org/ooxml/drawingml/main", b"http://schemas.openxmlformats.org/drawingml/2006/main"),
    (b"http://purl.oclc.org/ooxml/drawingml/picture", b"http://schemas.openxmlformats.org/drawingml/2006/picture"),
    (b"http://purl.oclc.org/ooxml/officeDocument/math", b"http://schemas.openxmlformats.org/officeDocument/2006/math"),
)


def strict_to_transitional(blob: bytes) -> bytes:
    """A Strict Open XML part with the Transitional namespace names, which the reader knows."""
    for strict, transitional in _STRICT_NS:
        blob = blob.replace(strict, transitional)
    return blob


def transitional_to_strict(blob: bytes) -> bytes:
    """A part read with :func:`strict_to_transitional` given its Strict namespace names back (the
    in-place editor writes a Strict file as Strict)."""
    for strict, transitional in _STRICT_NS:
        blob = blob.replace(transitional, strict)
    return blob


class Package:
    """A .docx opened with every guard (see the module docstring); ``path`` only serves messages.

    ``keep_comments``: XML comments stay in the parsed parts (the in-place editor writes the main
    part back and keeps everything it does not change); the reader drops them."""

    def __init__(self, data: bytes, path: str | None = None, *, keep_comments: bool = False,
                 strict: bool | None = None) -> None:
        self.path = path
        try:
            self.zf = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zf.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, KeyError,
                NotImplementedError, RuntimeError, UnicodeDecodeError) as e:
            raise CorruptFileError(f"the .docx is damaged: not a readable zip archive ({e})", path=path) from None
        lim = limits.current()
        total = sum(i.file_size for i in infos)
        if total > lim.max_unzipped_bytes:
            raise UnsafeFileError(
                f"the .docx would unpack to {total:,} bytes, over the limit of {lim.max_unzipped_bytes:,} "
                "(a zip bomb?; set BCPARSE_MAX_UNZIPPED_BYTES)",
                path=path,
            )
        for i in infos:
            if i.file_size > _RATIO_MIN_BYTES and i.file_size > lim.max_zip_ratio * max(i.compress_size, 1):
                raise UnsafeFileError(
                    f"the .docx member {i.filename} is compressed {i.file_size // max(i.compress_size, 1):,} to 1, "
                    f"over the limit of {lim.max_zip_ratio} (a zip bomb?; set BCPARSE_MAX_ZIP_RATIO)",
                    path=path,
                )
        self.infos = infos
        self.names = {i.filename for i in infos}
        self.parser = _parser(keep_comments)
        self.depth = lim.max_xml_depth
        # Strict Open XML (issue 19): the reader reads its parts in the Transitional namespaces
        # (LibreOffice reads such files too); the in-place editor asks for it (``strict=True``) and
        # gives the parts it writes back their Strict names (:func:`transitional_to_strict`)
        self.strict_as_transitional = (not keep_comments) if strict is None else strict

    def read(self, name: str) -> bytes:
        """A member's bytes, read in chunks: one that inflates past its declared size (a member lying
        about its size, fuzzing finding F6) is refused before it takes the memory."""
        try:
            info = self.zf.getinfo(name)
            cap = min(info.file_size + 65536, limits.current().max_unzipped_bytes)
            chunks: list[bytes] = []
            got = 0
            with self.zf.open(info) as f:
                while True:
                    chunk = f.read(1 << 20)
                    if not chunk:
                        break
                    got += len(chunk)
                    if got > cap:
                        raise UnsafeFileError(
                            f"the .docx member {name} inflates past its declared size of {info.file_size:,} bytes "
                            "(a zip bomb?)", path=self.path)
                    chunks.append(chunk)
            return b"".join(chunks)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, KeyError,
                NotImplementedError, RuntimeError) as e:
            raise CorruptFileError(f"the .docx is damaged: cannot unpack {name} ({e})", path=self.path) from None

    def xml(self, name: str, blob: bytes | None = None) -> etree._Element:
        """The part ``name`` parsed (``blob``: its bytes when already read), refused when it declares
        a DOCTYPE or entities or nests deeper than ``limits.max_xml_depth``."""
        if blob is None:
            blob = self.read(name)
        # the whole part, not only its head: a DOCTYPE placed late is still one (fuzzing finding F3);
        # markup is the only place "<!" can stand, text has it escaped
        if b"<!DOCTYPE" in blob or b"<!ENTITY" in blob:
            raise UnsafeFileError(f"the .docx part {name} declares a DOCTYPE or entities (refused)", path=self.path)
        if self.strict_as_transitional and b"purl.oclc.org/ooxml/" in blob:
            blob = strict_to_transitional(blob)
        try:
            root = etree.fromstring(blob, self.parser)
        except etree.XMLSyntaxError as e:
            msg = str(e)
            if "amplification" in msg.lower() or "entity" in msg.lower():
                raise UnsafeFileError(f"the .docx part {name} expands entities (refused)", path=self.path) from None
            if "depth" in msg.lower():
                raise UnsafeFileError(
                    f"the .docx part {name} nests elements too deeply (refused)", path=self.path
                ) from None
            raise CorruptFileError(f"the .docx part {name} is not well-formed XML ({msg})", path=self.path) from None
        if root is None:
            raise CorruptFileError(f"the .docx part {name} is empty", path=self.path)
        info = root.getroottree().docinfo
        if info.doctype or info.internalDTD is not None:
            raise UnsafeFileError(f"the .docx part {name} declares a DOCTYPE or entities (refused)", path=self.path)
        if self.depth == _LIBXML2_MAX_DEPTH:
            return root  # libxml2 itself refuses deeper nesting (without huge_tree)
        check = _depth_checks.get(self.depth)
        if check is None:
            check = _depth_checks[self.depth] = etree.XPath(f"boolean(/{'*/' * self.depth}*)")
        if check(root):
            raise UnsafeFileError(
                f"the .docx part {name} nests elements deeper than {self.depth} levels (refused; "
                "set BCPARSE_MAX_XML_DEPTH)",
                path=self.path,
            )
        return root

    def rels(self, name: str) -> dict[str, str]:
        """Relationship type (last path segment) → target part name, for the part ``name``."""
        folder, base = posixpath.split(name)
        rels_name = posixpath.join(folder, "_rels", base + ".rels")
        out: dict[str, str] = {}
        if rels_name not in self.names:
            return out
        for rel in self.xml(rels_name).iter(RELATIONSHIP):
            typ = (rel.get("Type") or "").rsplit("/", 1)[-1]
            target = rel.get("Target") or ""
            if not target or rel.get("TargetMode") == "External":
                continue
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            out.setdefault(typ, part)
        return out

    def main_part(self) -> str:
        """The name of the document part: ``word/document.xml``, else the package relationship's
        officeDocument target; UnsupportedFormatError for a zip that holds no Word document."""
        if "word/document.xml" in self.names:
            return "word/document.xml"
        target = self.rels("").get("officeDocument")
        if target and target in self.names:
            return target
        if "mimetype" in self.names:
            kind = "an OpenDocument file (.odt?); save it as .docx"
        elif "xl/workbook.xml" in self.names:
            kind = "an Excel workbook, not a Word document"
        elif "ppt/presentation.xml" in self.names:
            kind = "a PowerPoint presentation, not a Word document"
        else:
            kind = "a zip archive without a Word document in it (no word/document.xml)"
        raise UnsupportedFormatError(f"the file is {kind}", path=self.path)


@dataclass
class WordDocument:
    """A .docx opened and checked as the reader reads it: the package, its main part (name,
    bytes, parsed root), the main part's relationships and the parsed styles part (None when the
    package has none)."""

    pkg: Package
    main: str
    blob: bytes
    root: etree._Element
    rels: dict[str, str]
    styles: etree._Element | None


def open_word_document(data: bytes, path: str | None = None, *, keep_comments: bool = False,
                       strict: bool | None = None) -> WordDocument:
    """Open a .docx with every guard and check that it holds a (Transitional) Word document; the
    reader and the in-place editor both start here, so they refuse the same files the same way."""
    pkg = Package(data, path, keep_comments=keep_comments, strict=strict)
    main = pkg.main_part()
    rels = pkg.rels(main)
    blob = pkg.read(main)
    root = pkg.xml(main, blob)
    if root.tag != W_DOCUMENT:
        if root.tag.startswith(f"{{{STRICT_W}}}"):
            raise UnsupportedFormatError(
                "the .docx is saved as Strict Open XML, which bcparse does not read; save it as a Word Document",
                path=path,
            )
        raise UnsupportedFormatError("the .docx main part is not a Word document", path=path)
    styles_part = rels.get("styles", "word/styles.xml")
    styles = pkg.xml(styles_part) if styles_part in pkg.names else None
    return WordDocument(pkg, main, blob, root, rels, styles)
