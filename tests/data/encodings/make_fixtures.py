"""Write the encoding fixtures: one short report (expected.txt) saved in each encoding bcparse reads.

Run from anywhere: ``python tests/data/encodings/make_fixtures.py``. The legacy files are written
by reversing the conversion tables in bcparse/data/encodings (TCVN3 capitals the code lacks are
written with the lower-case code, as a ``.VnTimeH`` heading is), so they are what an old Windows
editor saved: 8-bit bytes, CRLF line ends.
"""

from __future__ import annotations

import codecs
import json
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
TABLES = HERE.parents[2] / "bcparse" / "data" / "encodings"

REPORT = (
    "ỦY BAN NHÂN DÂN\tCỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "XÃ BÌNH THÀNH\tĐộc lập - Tự do - Hạnh phúc\n"
    "Số: 45/BC-UBND\tBình Thành, ngày 15 tháng 12 năm 2024\n"
    "\n"
    "BÁO CÁO\n"
    "Kết quả thực hiện nhiệm vụ phát triển kinh tế - xã hội năm 2024\n"
    "\n"
    "1. Tổng diện tích gieo trồng đạt 284,62 ha, bằng 101,5% kế hoạch.\n"
    "2. Hỗ trợ 1.422 hộ nghèo, mức 500.000đồng/xuất; xây dựng 12 nhà đại đoàn kết.\n"
    "Uỷ ban nhân dân xã Bình Thành, huyện Định Hoá trân trọng báo cáo./.\n"
)

TONES = "\u0300\u0301\u0303\u0309\u0323"


def reverse(name: str) -> dict[str, str]:
    raw = json.loads((TABLES / f"{name}.json").read_text(encoding="utf-8"))
    out: dict[str, str] = {}
    for legacy, text, *_ in raw["map"]:
        out.setdefault(text, legacy)
    return out


def to_legacy(text: str, name: str) -> str:
    table = reverse(name)
    out = []
    for ch in text:
        if ch in table:
            out.append(table[ch])
        elif ch.lower() in table:  # TCVN3 has no capital toned letters: the .VnTimeH way
            out.append(table[ch.lower()])
        else:
            out.append(ch)
    return "".join(out)


def to_cp1258(text: str) -> bytes:
    """cp1258: a precomposed letter where the code page has one, else base letter + tone mark."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
        tone = "".join(c for c in parts if c in TONES)
        out += base.encode("cp1258") + tone.encode("cp1258")
    return bytes(out)


def main() -> None:
    crlf = REPORT.replace("\n", "\r\n")
    files = {
        "expected.txt": REPORT.encode("utf-8"),
        "report-tcvn3.txt": to_legacy(crlf, "tcvn3").encode("cp1252"),
        "report-vni.txt": to_legacy(crlf, "vni").encode("cp1252"),
        "report-cp1258.txt": to_cp1258(crlf),
        "report-utf16le.txt": codecs.BOM_UTF16_LE + crlf.encode("utf-16-le"),
        "report-utf8-tcvn3.txt": to_legacy(REPORT, "tcvn3").encode("utf-8"),
        "report-utf8-vni.txt": to_legacy(REPORT, "vni").encode("utf-8"),
    }
    for name, data in files.items():
        (HERE / name).write_bytes(data)
        print(f"{name}: {len(data)} bytes")


if __name__ == "__main__":
    main()
