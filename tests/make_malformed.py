"""Build a corpus of malformed and hostile report files that bcparse must refuse with a typed error.

    python tests/make_malformed.py OUT_DIR          # writes the files and OUT_DIR/manifest.json
    python tests/make_malformed.py OUT_DIR --check  # ... then reads each one and prints what bcparse says

Everything is made from scratch and deterministically (fixed seeds): the base .docx with
python-docx, the base .pdf written by hand with a standard font, every defect on top of them. The
75 files build in about two seconds and take about 13 MB on disk (plus one sparse file).

What is in it (``manifest.json`` lists each file with ``expect``, the BcparseError subclasses it
may raise, and ``what``, what is wrong with it):

- .docx: truncated at several points, bit-flipped inside ``word/document.xml``'s compressed data
  and in the central directory, wrong / missing / malformed ``[Content_Types].xml``, an .xlsx
  renamed, missing parts (document, package relationships, the officeDocument relationship, a
  related part), a document part that is junk, truncated XML, empty or of the wrong vocabulary,
  an empty zip, zip bombs (one part with a huge ratio, many parts over the total, duplicated
  central-directory entries over one local header, a part that lies about its size), XML entity
  expansion ("billion laughs", quadratic blow-up, in the document and in ``[Content_Types].xml``),
  external entities and an external DTD, absurd nesting (in the document and in the styles), an
  encrypted zip member, an unsupported compression method, a .doc, a password-protected .docx (an
  OLE container), a PDF and plain text named .docx, an empty file, binary junk, a valid package
  with no text;
- .pdf: truncated, bit-flipped (magic, content stream), junk after the magic, an open password,
  an unknown security handler, a scan without a text layer, a blank page, no pages, a cyclic page
  tree, absurd nesting, too many pages, a Form XObject fan-out (2 kB that draw 1.6 million
  characters), a Flate bomb (a 300 kB content stream that inflates to 300 MB), a .docx and plain
  text named .pdf, an empty file, binary junk;
- other: an empty and a blank .txt, binary junk named .txt and .bin, a .txt over the size limit
  (a sparse file), a corrupt .doc.

A few files are *not* errors: their content decides the format, whatever their name says (a PDF
named .txt is read as a PDF; a PDF whose pages are complete but whose cross-reference table was cut
off is read with a warning). Their ``expect`` is ``["report:<format>"]``.

``isolate`` marks files that are hostile to resources (time, memory): tests read them in a child
process with a timeout and a memory cap.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import random
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

# ---------------------------------------------------------------------------------------------
# The cases
# ---------------------------------------------------------------------------------------------

CORRUPT = "CorruptFileError"
UNSAFE = "UnsafeFileError"
UNSUPPORTED = "UnsupportedFormatError"
EMPTY = "EmptyInputError"
LIMIT = "ResourceLimitError"
ENCRYPTED = "EncryptedPdfError"
SCANNED = "ScannedPdfError"
OCR_MISSING = "OcrUnavailableError"  # a scan read where Tesseract's Vietnamese model is not installed
TOO_LARGE = "InputTooLargeError"


@dataclass(slots=True)
class Case:
    name: str  # file name in the corpus (its extension is part of the test)
    what: str  # what is wrong with it
    expect: list[str]  # BcparseError subclass names accepted, or ["report:<format>"]
    isolate: bool = False  # hostile to time or memory: read it in a child process
    max_seconds: float = 10.0  # a typed error (or the report) must come within this time
    max_mb: int | None = None  # isolated: the child's peak resident memory must stay under this
    warning: str | None = None  # for a report: a warning that must mention this
    data: bytes | Callable[[], bytes] = field(default=b"", repr=False)  # a callable: made when written
    sparse_size: int = 0  # write a sparse file of this size instead of data

    def content(self) -> bytes:
        return self.data() if callable(self.data) else self.data

    def manifest(self) -> dict[str, object]:
        d = asdict(self)
        del d["data"]
        return d


# ---------------------------------------------------------------------------------------------
# Zip helpers: a writer that can lie (sizes, flags, methods, shared local headers)
# ---------------------------------------------------------------------------------------------


def _deflate(data: bytes, level: int = 6) -> bytes:
    co = zlib.compressobj(level, zlib.DEFLATED, -15)
    return co.compress(data) + co.flush()


@dataclass(slots=True)
class _Member:
    name: str
    payload: bytes  # as stored (deflated already when method is 8)
    crc: int
    usize: int
    method: int = 8
    flags: int = 0

    @classmethod
    def of(cls, name: str, data: bytes, method: int = 8) -> _Member:
        payload = _deflate(data) if method == 8 else data
        return cls(name, payload, zlib.crc32(data), len(data), method)


def _zip(members: list[_Member], *, central: list[tuple[int, _Member]] | None = None) -> bytes:
    """A zip archive written by hand. ``central`` (index of a local member, entry) replaces the
    central directory, so that several entries can point at one local header."""
    out = bytearray()
    offsets: list[int] = []
    for m in members:
        offsets.append(len(out))
        name = m.name.encode()
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, m.flags, m.method, 0, 0x21, m.crc,
                           len(m.payload), m.usize, len(name), 0)
        out += name + m.payload
    entries = central if central is not None else list(enumerate(members))
    cd_start = len(out)
    for i, m in entries:
        name = m.name.encode()
        out += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, m.flags, m.method, 0, 0x21, m.crc,
                           len(m.payload), m.usize, len(name), 0, 0, 0, 0, 0, offsets[i])
        out += name
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(out) - cd_start,
                       cd_start, 0)
    return bytes(out)


def _parts(docx: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        return {n: z.read(n) for n in z.namelist()}


def _rezip(parts: dict[str, bytes], *, stored: frozenset[str] = frozenset()) -> bytes:
    return _zip([_Member.of(n, d, 0 if n in stored else 8) for n, d in parts.items()])


def _data_span(archive: bytes, name: str) -> tuple[int, int]:
    """(start, end) of a member's stored data in the archive."""
    with zipfile.ZipFile(io.BytesIO(archive)) as z:
        info = z.getinfo(name)
    h = info.header_offset
    n, e = struct.unpack("<HH", archive[h + 26 : h + 30])
    start = h + 30 + n + e
    return start, start + info.compress_size


def _flip(data: bytes, positions: list[int], bit: int = 0) -> bytes:
    b = bytearray(data)
    for p in positions:
        b[p] ^= 1 << bit
    return bytes(b)


# ---------------------------------------------------------------------------------------------
# The base .docx
# ---------------------------------------------------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_LINES = [
    "ỦY BAN NHÂN DÂN", "XÃ BÌNH THÀNH", "Số: 12/BC-UBND", "Bình Thành, ngày 20 tháng 11 năm 2024",
    "BÁO CÁO", "Kết quả công tác đối ngoại năm 2024", "I. ĐẶC ĐIỂM TÌNH HÌNH",
    "Xã có 14 xóm, tổng số hộ là 1.422 hộ, dân số 5.387 khẩu, gồm 08 dân tộc anh em.",
    "Đảng bộ xã gồm có 20 chi bộ. Có tổng số đảng viên là 280.",
    "II. KẾT QUẢ", "1. Công tác thông tin đối ngoại", "Tiếp 06 đoàn với tổng số 45 người./.",
    "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Ma Khánh Sơn",
]


def base_docx() -> bytes:
    from docx import Document

    d = Document()
    for line in _LINES:
        d.add_paragraph(line)
    t = d.add_table(rows=2, cols=2)
    for (r, c), text in {(0, 0): "Chỉ tiêu", (0, 1): "Số lượng", (1, 0): "Số hộ", (1, 1): "1.422"}.items():
        t.cell(r, c).text = text
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _document_xml(body: str, doctype: str = "") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n{doctype}'
            f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>').encode()


def _para(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


_LAUGHS = "".join(
    f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
)
BILLION_LAUGHS = f'<!DOCTYPE w:document [<!ENTITY lol0 "lol">{_LAUGHS}]>\n'


def docx_cases() -> list[Case]:
    base = base_docx()
    parts = _parts(base)
    doc = parts["word/document.xml"]
    cases: list[Case] = []

    def add(name: str, what: str, data: bytes | Callable[[], bytes], expect: list[str] | None = None,
            **kw: object) -> None:
        cases.append(Case("docx/" + name, what, expect or [CORRUPT], data=data, **kw))  # type: ignore[arg-type]

    # -- truncated
    for pct in (10, 50, 90):
        add(f"truncated-{pct}pct.docx", f"the first {pct}% of a valid .docx", base[: len(base) * pct // 100])
    add("truncated-no-end-record.docx", "a valid .docx without its last 22 bytes (end of central directory)",
        base[:-22])
    add("truncated-local-header.docx", "only the first 30 bytes: one local file header", base[:30])
    # -- bit-flipped
    rng = random.Random(8)
    a, b = _data_span(base, "word/document.xml")
    for k in range(3):
        pos = sorted(rng.sample(range(a + 2, b - 2), k + 1))
        add(f"bitflip-document-{k + 1}.docx",
            f"{k + 1} bit(s) flipped in the compressed data of word/document.xml (offsets {pos})",
            _flip(base, pos, bit=rng.randrange(8)))
    name_at = base.find(b"word/document.xml", base.find(b"PK\x01\x02"))
    add("bitflip-central-directory.docx", "a bit flipped in the name word/document.xml of the central directory",
        _flip(base, [name_at + 5], bit=1), [CORRUPT, UNSUPPORTED])
    # -- content types and package relationships: the reader goes by word/document.xml (as LibreOffice
    #    does), so a package whose only fault is there may be read; what it must never do is crash
    lenient = ["report:docx", CORRUPT, UNSUPPORTED]
    ct = parts["[Content_Types].xml"]
    wrong = ct.replace(b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                       b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml")
    assert wrong != ct
    add("content-types-wrong.docx", "[Content_Types].xml says the main part is a spreadsheet",
        _rezip({**parts, "[Content_Types].xml": wrong}), lenient)
    add("content-types-missing.docx", "no [Content_Types].xml",
        _rezip({k: v for k, v in parts.items() if k != "[Content_Types].xml"}), lenient)
    add("content-types-malformed.docx", "[Content_Types].xml is not well-formed XML",
        _rezip({**parts, "[Content_Types].xml": ct[: len(ct) // 2]}), lenient)
    add("xlsx-renamed.docx", "an .xlsx workbook (a zip of spreadsheet parts) named .docx", _xlsx(),
        [CORRUPT, UNSUPPORTED])
    # -- missing parts
    add("missing-document.docx", "no word/document.xml",
        _rezip({k: v for k, v in parts.items() if k != "word/document.xml"}), [CORRUPT, UNSUPPORTED])
    add("missing-package-rels.docx", "no _rels/.rels",
        _rezip({k: v for k, v in parts.items() if k != "_rels/.rels"}), lenient)
    rels = parts["_rels/.rels"]
    no_office = rels.replace(b"relationships/officeDocument", b"relationships/somethingElse")
    assert no_office != rels
    add("missing-office-document-rel.docx", "_rels/.rels has no officeDocument relationship",
        _rezip({**parts, "_rels/.rels": no_office}), lenient)
    add("missing-related-part.docx", "word/styles.xml is related from the document but absent",
        _rezip({k: v for k, v in parts.items() if k != "word/styles.xml"}), lenient)
    # -- the document part itself
    add("document-junk.docx", "word/document.xml holds random bytes",
        _rezip({**parts, "word/document.xml": random.Random(1).randbytes(4000)}))
    add("document-truncated-xml.docx", "word/document.xml cut in the middle of an element",
        _rezip({**parts, "word/document.xml": doc[: len(doc) // 2]}))
    add("document-empty.docx", "word/document.xml is 0 bytes", _rezip({**parts, "word/document.xml": b""}))
    add("document-wrong-root.docx", "word/document.xml is XHTML, not WordprocessingML",
        _rezip({**parts, "word/document.xml": b'<html xmlns="http://www.w3.org/1999/xhtml"><body><p>'
                b"B\xc3\x81O C\xc3\x81O</p></body></html>"}), [CORRUPT, UNSUPPORTED])
    add("empty-zip.docx", "a zip archive with no member (only the end record)", _zip([]),
        [CORRUPT, UNSUPPORTED, EMPTY])
    add("no-text.docx", "a valid package whose document has no text at all",
        _rezip({**parts, "word/document.xml": _document_xml("<w:p/><w:p/>")}), [EMPTY])
    # -- zip bombs
    def ratio_bomb() -> bytes:
        huge = '<w:t xml:space="preserve">' + " " * (50 << 20) + "</w:t>"
        return _rezip({**parts, "word/document.xml": _document_xml(f"<w:p><w:r>{huge}</w:r></w:p>")})

    add("zip-bomb-ratio.docx", "word/document.xml inflates from ~50 kB to 50 MB (ratio ~1000)", ratio_bomb,
        [UNSAFE])
    def media() -> _Member:
        blob = random.Random(2).randbytes(12_000) + bytes(2_000_000)  # ratio ~165, under a per-part limit
        return _Member.of("word/media/image1.bin", blob)

    def total_bomb() -> bytes:
        m = media()
        many = [_Member.of(n, d) for n, d in parts.items()]
        many += [_Member(f"word/media/image{i}.bin", m.payload, m.crc, m.usize) for i in range(1, 151)]
        return _zip(many)

    def overlap_bomb() -> bytes:
        m = media()
        mem = [_Member.of(n, d) for n, d in parts.items()] + [m]
        return _zip(mem, central=list(enumerate(mem)) + [(len(mem) - 1, m)] * 149)

    def lying_bomb() -> bytes:
        head = _document_xml(_para("Báo cáo") + "<!--")
        head, tail = head[: head.index(b"<!--") + 4], b"--></w:body></w:document>"
        co = zlib.compressobj(9, zlib.DEFLATED, -15)
        crc = zlib.crc32(head)
        chunks = [co.compress(head)]
        spaces = b" " * (1 << 20)
        for _ in range(200):
            chunks.append(co.compress(spaces))
            crc = zlib.crc32(spaces, crc)
        chunks += [co.compress(tail), co.flush()]
        liar = _Member("word/document.xml", b"".join(chunks), zlib.crc32(tail, crc), 10_000)
        return _zip([_Member.of(n, d) for n, d in parts.items() if n != "word/document.xml"] + [liar])

    add("zip-bomb-total.docx", "150 parts of 2 MB (ratio ~165 each): 300 MB in all from 1.9 MB", total_bomb,
        [UNSAFE])
    add("zip-bomb-overlap.docx", "150 central-directory entries share one local 2 MB part (300 MB declared)",
        overlap_bomb, [UNSAFE, CORRUPT])
    add("zip-bomb-lying-size.docx", "word/document.xml says 10 kB but inflates from 200 kB to 200 MB",
        lying_bomb, [UNSAFE, CORRUPT], isolate=True, max_seconds=3, max_mb=150)
    # -- XML entities, DTDs, nesting (stored, so that no ratio check hides them)
    st = frozenset({"word/document.xml", "[Content_Types].xml", "word/styles.xml"})
    add("billion-laughs.docx", "word/document.xml declares nested entities expanding to 10^9 'lol'",
        _rezip({**parts, "word/document.xml": _document_xml(_para("&lol9;"), BILLION_LAUGHS)}, stored=st),
        [UNSAFE])
    drels = parts["word/_rels/document.xml.rels"]
    add("billion-laughs-rels.docx", "word/_rels/document.xml.rels declares the billion-laughs entities",
        _rezip({**parts, "word/_rels/document.xml.rels": drels.replace(b"<Relationships", BILLION_LAUGHS.replace(
            "w:document", "Relationships").encode() + b"<Relationships", 1).replace(
            b"</Relationships>", b"<!--&lol9;--></Relationships>")}, stored=st), [UNSAFE])
    late = _document_xml(_para("&lol9;"), "<!--" + " " * 4096 + "-->" + BILLION_LAUGHS)
    add("billion-laughs-late-doctype.docx", "the billion-laughs DOCTYPE after a 4 kB comment",
        _rezip({**parts, "word/document.xml": late}, stored=st), [UNSAFE])
    xxe = _document_xml(_para("Số hộ &xxe;"), "<!--" + " " * 4096 + "-->"
                        '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n')
    add("external-entity-late-doctype.docx", "the /etc/passwd external entity after a 4 kB comment",
        _rezip({**parts, "word/document.xml": xxe}, stored=st), [UNSAFE])
    blow = "x" * 100_000
    add("quadratic-blowup.docx", "one 100 kB entity referenced 5,000 times (500 MB)",
        _rezip({**parts, "word/document.xml": _document_xml(
            _para("&a;" * 5000), f'<!DOCTYPE w:document [<!ENTITY a "{blow}">]>\n')}, stored=st), [UNSAFE])
    add("external-entity.docx", "an external entity reading /etc/passwd into a w:t",
        _rezip({**parts, "word/document.xml": _document_xml(
            _para("Số hộ &xxe;"), '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n')},
            stored=st), [UNSAFE])
    add("external-dtd.docx", "an external DTD on the network (http://127.0.0.1:9/evil.dtd)",
        _rezip({**parts, "word/document.xml": _document_xml(
            _para("Báo cáo"), '<!DOCTYPE w:document SYSTEM "http://127.0.0.1:9/evil.dtd">\n')}, stored=st),
        [UNSAFE])
    add("parameter-entity.docx", "a parameter entity pulling an external DTD",
        _rezip({**parts, "word/document.xml": _document_xml(
            _para("Báo cáo"), '<!DOCTYPE w:document [<!ENTITY % ext SYSTEM "file:///etc/passwd"> %ext;]>\n')},
            stored=st), [UNSAFE, CORRUPT])
    def deep() -> bytes:
        depth = 100_000
        nested = "<w:tbl><w:tr><w:tc>" * depth + _para("1.422") + "</w:tc></w:tr></w:tbl>" * depth
        return _rezip({**parts, "word/document.xml": _document_xml(nested)}, stored=st)

    add("deep-nesting.docx", "tables nested 100,000 deep in word/document.xml (stored, 4 MB)", deep, [UNSAFE])
    styles = parts["word/styles.xml"]
    deep_st = styles.replace(b"</w:styles>", b"<w:x>" * 10_000 + b"</w:x>" * 10_000 + b"</w:styles>")
    add("deep-nesting-styles.docx", "elements nested 10,000 deep in word/styles.xml",
        _rezip({**parts, "word/styles.xml": deep_st}, stored=st), [UNSAFE])
    # -- zip features bcparse does not (and need not) support
    enc = [_Member.of(n, d) for n, d in parts.items()]
    for e in enc:
        if e.name == "word/document.xml":
            e.flags |= 1
    add("zip-encrypted-member.docx", "word/document.xml is flagged as ZipCrypto-encrypted", _zip(enc),
        [CORRUPT, UNSUPPORTED])
    meth = [_Member.of(n, d) for n, d in parts.items()]
    for e in meth:
        if e.name == "word/document.xml":
            e.method = 99
    add("zip-unknown-method.docx", "word/document.xml uses compression method 99 (AES), unsupported",
        _zip(meth), [CORRUPT, UNSUPPORTED])
    # -- wrong content for the extension
    add("doc-renamed.docx", "a legacy Word 97-2003 .doc (OLE compound file) named .docx", _ole(),
        [UNSUPPORTED])
    add("password-protected.docx", "a .docx saved with a password: Word writes an OLE container holding "
        "EncryptionInfo and EncryptedPackage", _ole(encrypted=True), ["InputError", ENCRYPTED])
    add("pdf-renamed.docx", "a PDF named .docx", base_pdf(), [UNSUPPORTED])
    add("text-renamed.docx", "plain text named .docx", "\n".join(_LINES).encode(), [UNSUPPORTED])
    add("empty.docx", "0 bytes", b"", [EMPTY])
    add("junk.docx", "8 kB of random bytes", random.Random(3).randbytes(8192), [UNSUPPORTED])
    return cases


def _xlsx() -> bytes:
    ct = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
          b'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
          b'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
          b'"/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
          b'sheet.main+xml"/></Types>')
    rels = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            b'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    wb = (b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
          b'spreadsheetml/2006/main"><sheets/></workbook>')
    return _zip([_Member.of("[Content_Types].xml", ct), _Member.of("_rels/.rels", rels),
                 _Member.of("xl/workbook.xml", wb)])


def _ole(encrypted: bool = False) -> bytes:
    """The first sector of an OLE compound file (a legacy .doc) followed by junk; ``encrypted``: with
    the directory entries of an encrypted Office package (what Word writes for a .docx with a password)."""
    head = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16) + struct.pack("<HHH", 0x3E, 3, 0xFFFE)
    body = random.Random(4).randbytes(4096)
    if encrypted:
        entries = b"".join(n.encode("utf-16-le").ljust(64, b"\0") + bytes(64)
                           for n in ("Root Entry", "EncryptionInfo", "EncryptedPackage"))
        body = entries + body
    return head + bytes(512 - len(head)) + body


# ---------------------------------------------------------------------------------------------
# PDFs, written by hand
# ---------------------------------------------------------------------------------------------


def _pdf(objs: list[bytes], *, trailer: bytes = b"", root: int = 1, header: bytes = b"%PDF-1.7") -> bytes:
    out = bytearray(header + b"\n%\xe2\xe3\xcf\xd3\n")
    offs: list[int] = []
    for i, o in enumerate(objs, 1):
        offs.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for o in offs:
        out += b"%010d 00000 n \n" % o
    out += b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, root, trailer, xref)
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
_PDF_LINES = [
    "UY BAN NHAN DAN XA BINH THANH", "So: 12/BC-UBND", "BAO CAO", "I. DAC DIEM TINH HINH",
    "Xa co 14 xom, tong so ho la 1.422 ho, dan so 5.387 khau.", "Dang bo xa co 280 dang vien./.",
]


def _content(lines: list[str]) -> bytes:
    ops = [b"BT /F1 12 Tf 14 TL 72 760 Td"]
    ops += [b"(" + s.encode("latin-1") + b") Tj T*" for s in lines]
    return b"\n".join(ops + [b"ET"])


def _page_objs(content: bytes, *, resources: bytes = b"<< /Font << /F1 4 0 R >> >>",
               extra_objs: list[bytes] | None = None) -> list[bytes]:
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources " + resources + b" /Contents 5 0 R >>",
        _FONT,
        content,
        *(extra_objs or []),
    ]


def base_pdf() -> bytes:
    return _pdf(_page_objs(_stream(zlib.compress(_content(_PDF_LINES)), b"/Filter /FlateDecode ")))


# RC4 and the standard security handler, revision 2 (40-bit): enough to ask for a password
_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for ch in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(ch ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def encrypted_pdf(user: bytes = b"secret", owner: bytes = b"owner") -> bytes:
    doc_id = hashlib.md5(b"bcparse").digest()
    perms = -44
    o = _rc4(hashlib.md5((owner + _PAD)[:32]).digest()[:5], (user + _PAD)[:32])
    key = hashlib.md5((user + _PAD)[:32] + o + struct.pack("<i", perms) + doc_id).digest()[:5]
    u = _rc4(key, _PAD)
    objkey = hashlib.md5(key + struct.pack("<I", 5)[:3] + b"\x00\x00").digest()[:10]
    content = _rc4(objkey, _content(_PDF_LINES))
    enc = b"<< /Filter /Standard /V 1 /R 2 /Length 40 /P %d /O <%s> /U <%s> >>" % (
        perms, o.hex().encode(), u.hex().encode())
    objs = _page_objs(_stream(content), extra_objs=[enc])
    return _pdf(objs, trailer=b"/Encrypt 6 0 R /ID [<%s> <%s>] " % (doc_id.hex().encode(), doc_id.hex().encode()))


def pdf_cases() -> list[Case]:
    base = base_pdf()
    cases: list[Case] = []

    def add(name: str, what: str, data: bytes | Callable[[], bytes], expect: list[str] | None = None,
            **kw: object) -> None:
        cases.append(Case("pdf/" + name, what, expect or [CORRUPT], data=data, **kw))  # type: ignore[arg-type]

    a = base.index(b"stream\n", base.index(b"5 0 obj")) + 7
    b = base.index(b"\nendstream", a)
    add("truncated-header.pdf", "only the first 16 bytes (the %PDF header line)", base[:16], [CORRUPT, EMPTY])
    add("truncated-in-content.pdf", "cut in the middle of the only page's compressed content stream",
        base[: (a + b) // 2], [CORRUPT, EMPTY])
    add("truncated-before-xref.pdf", "every object is there; the xref table and trailer are cut off",
        base[: base.index(b"xref")], [CORRUPT])
    add("truncated-eof-marker.pdf", "complete but for the final %%EOF: read, with a warning",
        base[: base.rindex(b"%%EOF")], ["report:pdf"], warning="truncated")
    add("bitflip-magic.pdf", "one bit flipped in %PDF- (it no longer says PDF)", _flip(base, [3], bit=1),
        [UNSUPPORTED, CORRUPT])
    add("bitflip-content.pdf", "bits flipped at the start of the page's compressed content stream",
        _flip(base, [a + 2, a + 3, a + 5], bit=3), [CORRUPT, EMPTY])
    add("junk-after-magic.pdf", "%PDF-1.4 then 16 kB of random bytes",
        b"%PDF-1.4\n" + random.Random(5).randbytes(16384), [CORRUPT])
    add("only-magic.pdf", "%PDF-1.7 and %%EOF, nothing between", b"%PDF-1.7\n%%EOF\n", [CORRUPT, EMPTY])
    add("encrypted.pdf", "RC4 40-bit encryption with the open password 'secret'", encrypted_pdf(), [ENCRYPTED])
    objs = _page_objs(_stream(_content(_PDF_LINES)),
                      extra_objs=[b"<< /Filter /NoSuchHandler /V 9 /R 9 /Length 128 >>"])
    add("unknown-security-handler.pdf", "an /Encrypt dictionary with an unknown /Filter",
        _pdf(objs, trailer=b"/Encrypt 6 0 R /ID [<00> <00>] "), [ENCRYPTED, CORRUPT])
    img = _stream(b"\x80" * 64, b"/Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray "
                  b"/BitsPerComponent 8 ")
    add("scanned.pdf", "one page holding only an image: no text layer",
        _pdf(_page_objs(_stream(b"q 595 0 0 842 0 0 cm /Im1 Do Q"),
                        resources=b"<< /XObject << /Im1 6 0 R >> >>", extra_objs=[img])), [SCANNED, OCR_MISSING])
    add("blank-page.pdf", "one page with an empty content stream", _pdf(_page_objs(_stream(b""))), [EMPTY])
    add("no-pages.pdf", "a page tree with /Count 0 and no kids",
        _pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]),
        [EMPTY, CORRUPT])
    cyc = _page_objs(_stream(_content(_PDF_LINES)))
    cyc[1] = b"<< /Type /Pages /Kids [2 0 R 6 0 R] /Count 2 >>"
    cyc.append(b"<< /Type /Pages /Parent 2 0 R /Kids [6 0 R 2 0 R] /Count 1 >>")
    add("page-tree-cycle.pdf", "the page tree's kids point back at themselves", _pdf(cyc), [EMPTY, CORRUPT])
    nest = b"[" * 100_000 + b"]" * 100_000
    add("deep-nesting.pdf", "the page's /Resources holds arrays nested 100,000 deep",
        _pdf(_page_objs(_stream(_content(_PDF_LINES)), resources=b"<< /Font << /F1 4 0 R >> /X " + nest + b" >>")),
        ["report:pdf", CORRUPT, EMPTY, UNSAFE])
    n = 2001
    kids = b" ".join(b"%d 0 R" % (6 + i) for i in range(n))
    many = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % n,
            b"<< >>", _FONT, _stream(_content(_PDF_LINES[:1]))]
    many += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
             b"/Contents 5 0 R >>"] * n
    add("too-many-pages.pdf", f"{n:,} pages (the default limit is 2,000)", _pdf(many), [LIMIT])
    add("xobject-fanout.pdf", "Form XObjects that each draw the next one 10 times, 6 deep: 2 kB of PDF that "
        "draw 1.6 million characters on one page", lambda: _fanout(6, 10), [LIMIT, UNSAFE], isolate=True,
        max_seconds=5, max_mb=400)
    add("flate-bomb.pdf", "the page's content stream inflates from 300 kB to 300 MB of spaces",
        lambda: _flate_bomb(300), [UNSAFE, LIMIT], isolate=True, max_seconds=5,
        max_mb=400)
    add("docx-renamed.pdf", "a .docx named .pdf", base_docx(), [UNSUPPORTED])
    add("text-renamed.pdf", "plain text named .pdf", "\n".join(_LINES).encode(), [UNSUPPORTED])
    add("empty.pdf", "0 bytes", b"", [EMPTY])
    add("junk.pdf", "8 kB of random bytes", random.Random(6).randbytes(8192), [UNSUPPORTED])
    return cases


def _fanout(depth: int, width: int) -> bytes:
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> "
            b"/XObject << /X0 5 0 R >> >> /Contents %d 0 R >>" % (5 + depth), _FONT]
    for d in range(depth):
        if d < depth - 1:
            content = b" ".join([b"q /X%d Do Q" % (d + 1)] * width)
            res = b"<< /XObject << /X%d %d 0 R >> >>" % (d + 1, 6 + d)
        else:
            content = _content(["Tong so ho la 1.422 ho"])
            res = b"<< /Font << /F1 4 0 R >> >>"
        objs.append(_stream(content, b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources " + res + b" "))
    objs.append(_stream(b"q /X0 Do Q"))
    return _pdf(objs)


def _flate_bomb(megabytes: int) -> bytes:
    co = zlib.compressobj(9)
    chunks = [co.compress(_content(_PDF_LINES) + b"\n")]
    spaces = b" " * (1 << 20)
    chunks += [co.compress(spaces) for _ in range(megabytes)]
    chunks.append(co.flush())
    return _pdf(_page_objs(_stream(b"".join(chunks), b"/Filter /FlateDecode ")))


# ---------------------------------------------------------------------------------------------
# Other formats and files whose content decides
# ---------------------------------------------------------------------------------------------


def other_cases() -> list[Case]:
    return [
        Case("other/empty.txt", "0 bytes", [EMPTY], data=b""),
        Case("other/blank.txt", "only spaces, tabs and line breaks", [EMPTY], data=b" \t\r\n \n\n\t "),
        Case("other/junk.txt", "8 kB of random bytes named .txt", [UNSUPPORTED], data=random.Random(7).randbytes(8192)),
        Case("other/junk.bin", "random bytes with an unknown extension", [UNSUPPORTED],
             data=random.Random(9).randbytes(2048)),
        Case("other/too-large.txt", "a 51 MB (sparse) text file, over the default 50 MB limit", [TOO_LARGE],
             sparse_size=51 * 1024 * 1024),
        Case("other/corrupt.doc", "an OLE compound file header followed by junk, named .doc",
             [CORRUPT, UNSUPPORTED, "ToolMissingError"], data=_ole(), max_seconds=60),
        Case("other/pdf-named.txt", "a valid PDF named .txt: read as a PDF", ["report:pdf"], data=base_pdf()),
        Case("other/docx-named.txt", "a valid .docx named .txt: read as a .docx", ["report:docx"], data=base_docx()),
    ]


BUILDERS: list[Callable[[], list[Case]]] = [docx_cases, pdf_cases, other_cases]


def build(out: Path) -> list[Case]:
    """Write the corpus into ``out`` (created) and return its cases; also writes manifest.json."""
    cases = [c for make in BUILDERS for c in make()]
    names = [c.name for c in cases]
    assert len(names) == len(set(names)), "duplicate case names"
    for c in cases:
        p = out / c.name
        p.parent.mkdir(parents=True, exist_ok=True)
        if c.sparse_size:
            with open(p, "wb") as f:
                f.truncate(c.sparse_size)
        else:
            p.write_bytes(c.content())
    (out / "manifest.json").write_text(json.dumps([c.manifest() for c in cases], ensure_ascii=False, indent=1),
                                       encoding="utf-8")
    return cases


def _check(out: Path, cases: list[Case]) -> int:
    import time

    import bcparse

    bad = 0
    for c in cases:
        if c.isolate:
            print(f"{c.name:<45} (isolated: skipped by --check)")
            continue
        t = time.perf_counter()
        try:
            r = bcparse.parse(out / c.name)
            got = f"report:{r.format}"
            msg = "; ".join(r.warnings)
        except bcparse.BcparseError as e:
            got, msg = type(e).__name__, str(e)
        except Exception as e:  # noqa: BLE001 - the point is to show it
            got, msg = "UNTYPED " + type(e).__name__, str(e).splitlines()[0] if str(e) else ""
        ok = got in c.expect
        bad += not ok
        print(f"{'ok ' if ok else 'BAD'} {c.name:<42} {time.perf_counter() - t:6.2f}s {got:<24} {msg[:110]}")
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path, help="the folder to write the corpus into (created)")
    ap.add_argument("--check", action="store_true", help="read every file with bcparse and print the outcome")
    a = ap.parse_args(argv)
    a.out.mkdir(parents=True, exist_ok=True)
    cases = build(a.out)
    size = sum((a.out / c.name).stat().st_blocks * 512 for c in cases)
    print(f"{len(cases)} files in {a.out} ({size / 1e6:.1f} MB on disk); manifest: {a.out / 'manifest.json'}")
    return _check(a.out, cases) if a.check else 0


if __name__ == "__main__":
    sys.exit(main())
