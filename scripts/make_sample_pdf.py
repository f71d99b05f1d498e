"""Convert the sample report .docx to PDF with LibreOffice (the PDF is committed, so tests and CI
never need LibreOffice).

    /work/venv/bin/python scripts/make_sample_pdf.py [SRC.docx [OUT.pdf]]

Defaults: samples/binh-thanh-doi-ngoai-2024.docx → samples/binh-thanh-doi-ngoai-2024.pdf.
Needs ``soffice`` (apt-get install libreoffice-writer-nogui) and fonts metric-compatible with
Times New Roman that cover Vietnamese (fonts-liberation2 or fonts-croscore); without them
LibreOffice falls back to DejaVu, the lines break elsewhere and the glyph mix changes.
The conversion uses a throw-away LibreOffice profile, so it runs beside an open LibreOffice.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "samples" / "binh-thanh-doi-ngoai-2024.docx"
OUT = ROOT / "samples" / "binh-thanh-doi-ngoai-2024.pdf"


def check_fonts() -> None:
    """Warn when no Times New Roman substitute with Vietnamese glyphs is installed."""
    fc = shutil.which("fc-match")
    if not fc:
        return
    found = subprocess.run([fc, "Times New Roman:lang=vi", "family"], capture_output=True, text=True).stdout
    if not any(name in found for name in ("Liberation Serif", "Tinos", "Times New Roman")):
        print(
            f"warning: Times New Roman maps to {found.strip()!r}; install fonts-liberation2 or fonts-croscore",
            file=sys.stderr,
        )


def docx_to_pdf(src: Path, out: Path) -> Path:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        sys.exit("LibreOffice is needed: apt-get install -y --no-install-recommends libreoffice-writer-nogui")
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        cmd = [
            exe,
            f"-env:UserInstallation=file://{t / 'lo'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(t),
            str(src),
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        made = t / (src.stem + ".pdf")
        if proc.returncode or not made.exists():
            sys.exit(f"soffice failed ({proc.returncode}): {proc.stderr.strip() or proc.stdout.strip()}")
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(made, out)
    return out


def main(argv: list[str]) -> None:
    src = Path(argv[0]) if argv else SRC
    out = Path(argv[1]) if len(argv) > 1 else OUT
    if not src.exists():
        sys.exit(f"{src}: no such file (build it first: scripts/make_sample_docx.py)")
    check_fonts()
    docx_to_pdf(src, out)
    print(f"{out}: {out.stat().st_size:,} bytes")


if __name__ == "__main__":
    main(sys.argv[1:])
