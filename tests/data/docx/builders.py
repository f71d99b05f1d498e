"""Build small .docx files for the tests: python-docx makes the package, lxml puts in the XML a
case needs (numbering definitions, styles, text boxes, fields, tracked changes …).

    data = package(p("Mục một", num=101, ilvl=0) + p("Nội dung"), numbering=ABSTRACT + NUM)

Paragraph XML is written with the ``w:`` prefix; ``package`` declares the namespaces.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from docx import Document
from docx.oxml.ns import qn
from lxml import etree

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "v": "urn:schemas-microsoft-com:vml",
    "m": "http://schemas.openxmlformats.org/officeDocument/2006/math",
}
NSDECLS = " ".join(f'xmlns:{k}="{v}"' for k, v in NS.items())


def _frag(xml: str, root: str = "w:body") -> etree._Element:
    return etree.fromstring(f"<{root} {NSDECLS}>{xml}</{root}>".encode())


def r(text: str, rpr: str = "") -> str:
    """A run; ``rpr`` is the inner XML of its w:rPr (``"<w:b/>"``)."""
    props = f"<w:rPr>{rpr}</w:rPr>" if rpr else ""
    return f'<w:r>{props}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def p(
    text: str = "",
    *,
    num: int | None = None,
    ilvl: int | None = None,
    style: str | None = None,
    ppr: str = "",
    runs: str | None = None,
) -> str:
    """A paragraph: plain text (one run) or ``runs`` XML, with optional numPr and pStyle."""
    inner = ""
    if style:
        inner += f'<w:pStyle w:val="{style}"/>'
    if num is not None or ilvl is not None:
        inner += "<w:numPr>"
        if ilvl is not None:
            inner += f'<w:ilvl w:val="{ilvl}"/>'
        if num is not None:
            inner += f'<w:numId w:val="{num}"/>'
        inner += "</w:numPr>"
    inner += ppr
    props = f"<w:pPr>{inner}</w:pPr>" if inner else ""
    content = runs if runs is not None else (r(text) if text else "")
    return f"<w:p>{props}{content}</w:p>"


def lvl(ilvl: int, fmt: str, text: str, *, start: int = 1, extra: str = "") -> str:
    """A w:lvl (``extra`` goes inside: ``<w:lvlRestart w:val="0"/>``, ``<w:isLgl/>``, ``<w:suff …/>``)."""
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{escape(text)}"/>{extra}</w:lvl>'
    )


def abstract(aid: int, *levels: str, extra: str = "") -> str:
    return f'<w:abstractNum w:abstractNumId="{aid}">{extra}{"".join(levels)}</w:abstractNum>'


def num(nid: int, aid: int, overrides: str = "") -> str:
    return f'<w:num w:numId="{nid}"><w:abstractNumId w:val="{aid}"/>{overrides}</w:num>'


def start_override(ilvl: int, value: int) -> str:
    return f'<w:lvlOverride w:ilvl="{ilvl}"><w:startOverride w:val="{value}"/></w:lvlOverride>'


def package(body_xml: str, *, numbering: str = "", styles: str = "") -> bytes:
    """A .docx whose body is ``body_xml``, with extra numbering definitions and styles."""
    doc = Document()
    body = doc.element.body
    sect = body.find(qn("w:sectPr"))
    for el in list(body):
        body.remove(el)
    for el in _frag(body_xml):
        body.append(el)
    if sect is not None:
        body.append(sect)
    if numbering:
        part = doc.part.numbering_part.element
        first_num = part.find(qn("w:num"))
        for el in _frag(numbering, "w:numbering"):
            if el.tag == qn("w:abstractNum") and first_num is not None:
                first_num.addprevious(el)
            else:
                part.append(el)
    if styles:
        part = doc.styles.element
        for el in _frag(styles, "w:styles"):
            part.append(el)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def replace_part(data: bytes, name: str, content: bytes) -> bytes:
    """The same package with one member's bytes replaced (or added)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != name:
                dst.writestr(info, src.read(info.filename))
        dst.writestr(name, content)
    return out.getvalue()


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def soffice_text(data: bytes) -> list[str] | None:
    """LibreOffice's plain-text rendering of a .docx (labels included), lines stripped, blank
    lines dropped; None when LibreOffice is not installed."""
    exe = soffice()
    if exe is None:
        return None
    with tempfile.TemporaryDirectory(prefix="bcparse-test-lo-") as tmp:
        work = Path(tmp)
        src = work / "case.docx"
        src.write_bytes(data)
        subprocess.run(
            [exe, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--norestore",
             "--convert-to", "txt:Text (encoded):UTF8", "--outdir", str(work), str(src)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            timeout=120, check=False, env={**os.environ, "HOME": str(work)},
        )
        out = work / "case.txt"
        if not out.is_file():
            return None
        text = out.read_text(encoding="utf-8-sig")
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]
