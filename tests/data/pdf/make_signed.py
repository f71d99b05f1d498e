"""Build ``signed-stamp.pdf`` for tests/test_structure_real.py (run by hand; the PDF is committed).

    python tests/data/pdf/make_signed.py

A one-page report as an e-signature system leaves it: the page's own text has the number and day
left blank ("Số:      /BC-UBND", "ngày      tháng 3 năm 2024"), and the signature widget's
appearance stream (``/AP /N``) stamps "Số: 412/BC-UBND" and "ngày 17 tháng 3" beside the signature.
The text is drawn in Helvetica with a ``/Differences`` encoding whose ``uniXXXX`` glyph names carry
the Vietnamese letters (text extraction reads them; nothing is embedded). ``pdftotext`` shows the
stamped text, as it does on real signed files.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent

PAGE = [
    (60, 790, 11, "ỦY BAN NHÂN DÂN"), (300, 790, 11, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    (60, 776, 11, "XÃ BÌNH THÀNH"), (330, 776, 11, "Độc lập - Tự do - Hạnh phúc"),
    (60, 750, 11, "Số:          /BC-UBND"), (300, 750, 11, "Bình Thành, ngày      tháng 3 năm 2024"),
    (260, 715, 13, "BÁO CÁO"),
    (170, 700, 12, "Kết quả công tác đối ngoại quý I năm 2024"),
    (60, 670, 12, "I. KẾT QUẢ THỰC HIỆN"),
    (60, 652, 12, "Xã có 1.422 hộ, dân số 5.387 khẩu."),
    (60, 634, 12, "II. NHIỆM VỤ QUÝ II"),
    (60, 616, 12, "Tiếp tục thực hiện tốt công tác đối ngoại./."),
    (60, 580, 11, "Nơi nhận:"), (360, 580, 11, "TM. ỦY BAN NHÂN DÂN"),
    (60, 566, 11, "- UBND huyện;"), (385, 566, 11, "CHỦ TỊCH"),
    (60, 552, 11, "- Lưu: VP."),
    (360, 480, 12, "Ma Khánh Sơn"),
]
STAMP = [(4, 30, 9, "Số: 412/BC-UBND"), (4, 18, 9, "ngày 17 tháng 3")]
STAMP_RECT = (360, 500, 520, 550)


def encoder(lines: list[str]) -> tuple[dict[str, int], str]:
    """Byte codes for every character (ASCII as itself, the rest from 128) and the Differences."""
    codes: dict[str, int] = {}
    nxt = 128
    for s in lines:
        for ch in s:
            if ch not in codes:
                if ord(ch) < 128:
                    codes[ch] = ord(ch)
                else:
                    codes[ch] = nxt
                    nxt += 1
    diffs = " ".join(f"{c} /uni{ord(ch):04X}" for ch, c in sorted(codes.items(), key=lambda kv: kv[1]) if c >= 128)
    return codes, f"/Differences [{diffs}]"


def show(codes: dict[str, int], x: float, y: float, size: float, s: str) -> bytes:
    raw = bytes(codes[ch] for ch in s).replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    return b"BT /F1 %g Tf 1 0 0 1 %g %g Tm (" % (size, x, y) + raw + b") Tj ET\n"


def stream(content: bytes, extra: bytes = b"") -> bytes:
    return b"<< " + extra + b"/Length %d >>\nstream\n" % len(content) + content + b"\nendstream"


def serialize(objs: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.6\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def signed_pdf(path: Path) -> None:
    codes, diffs = encoder([t for *_, t in PAGE] + [t for *_, t in STAMP])
    page = b"".join(show(codes, x, y, size, t) for x, y, size, t in PAGE)
    ap = b"".join(show(codes, x, y, size, t) for x, y, size, t in STAMP)
    x0, y0, x1, y1 = STAMP_RECT
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [6 0 R] /SigFlags 3 >> >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        f"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Type /Encoding "
        f"/BaseEncoding /WinAnsiEncoding {diffs} >> >>".encode(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
        b"/Contents 5 0 R /Annots [6 0 R] >>",
        stream(page),
        f"<< /Type /Annot /Subtype /Widget /FT /Sig /T (Signature1) /F 4 /P 4 0 R "
        f"/Rect [{x0} {y0} {x1} {y1}] /AP << /N 7 0 R >> >>".encode(),
        stream(ap, f"/Type /XObject /Subtype /Form /BBox [0 0 {x1 - x0} {y1 - y0}] "
                   f"/Resources << /Font << /F1 3 0 R >> >> ".encode()),
    ]
    path.write_bytes(serialize(objs))


if __name__ == "__main__":
    signed_pdf(HERE / "signed-stamp.pdf")
