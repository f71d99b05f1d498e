"""The .doc reader (Word 97-2003): LibreOffice converts the file to .docx, the docx reader reads it.

``soffice --headless --convert-to docx`` runs in a private temporary folder with its own
LibreOffice profile (so it neither touches nor waits for the user's LibreOffice), under a
timeout, and the folder is removed afterwards. LibreOffice writes Word's automatic numbering as
numbering.xml, so the labels come out as for a .docx.

An encrypted Office file (a password-protected .docx is an OLE container holding
"EncryptedPackage"; a protected .doc has the same stream names) is refused with a clear message
before LibreOffice is started.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from ..document import Document
from ..errors import CorruptFileError, InputError, ToolMissingError

TIMEOUT_SECONDS = float(os.environ.get("BCPARSE_SOFFICE_TIMEOUT", "120"))
MISSING = (
    "reading .doc needs LibreOffice: install it (Debian/Ubuntu: apt-get install "
    "libreoffice-writer-nogui) or save the file as .docx"
)
_ENCRYPTED_STREAMS = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))


def find_soffice() -> str | None:
    """The LibreOffice program on PATH (``soffice`` or ``libreoffice``), or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def is_encrypted(data: bytes) -> bool:
    """An OLE file holding an encrypted Office package (its directory names the streams)."""
    return any(name in data for name in _ENCRYPTED_STREAMS)


def convert_to_docx(data: bytes, *, path: str | None = None, timeout: float = TIMEOUT_SECONDS) -> bytes:
    """The .docx LibreOffice makes of a .doc (bytes)."""
    soffice = find_soffice()
    if soffice is None:
        raise ToolMissingError(MISSING, path=path)
    with tempfile.TemporaryDirectory(prefix="bcparse-doc-") as tmp:
        work = Path(tmp)
        src = work / "input.doc"
        src.write_bytes(data)
        out = work / "out"
        cmd = [
            soffice,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(out),
            str(src),
        ]
        try:
            proc = subprocess.Popen(
                cmd,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                start_new_session=True,  # its own process group, so a timeout kills all of it
            )
        except OSError as e:
            raise ToolMissingError(f"{MISSING} (starting {soffice} failed: {e.strerror})", path=path) from None
        try:
            _, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except OSError:
                pass
            proc.communicate()
            raise InputError(f"LibreOffice did not convert the .doc within {timeout:.0f} s", path=path) from None
        result = out / "input.docx"
        if not result.is_file():
            detail = " ".join(
                line for line in err.decode("utf-8", "replace").splitlines() if "javaldx" not in line
            ).strip()
            raise CorruptFileError(
                "LibreOffice could not convert the .doc (damaged or not a Word document)"
                + (f": {detail[:200]}" if detail else ""),
                path=path,
            )
        return result.read_bytes()


def read_doc(data: bytes, path: str | None = None) -> Document:
    """Read a Word 97-2003 .doc (bytes) through LibreOffice; ``path`` only serves messages."""
    if is_encrypted(data):
        raise InputError(
            "the document is password-protected (encrypted); open it in Word, remove the password "
            "and save it again",
            path=path,
        )
    from .docx import read_docx

    doc = read_docx(convert_to_docx(data, path=path), path=path)
    doc.format = "doc"
    doc.meta["converted_by"] = "LibreOffice"
    return doc
