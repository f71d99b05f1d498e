"""Document references: "Kế hoạch số 10/KH-UBND ngày 10/01/2024", "Kết luận số 57-KL/TW",
"Quyết định số 69/2010/QĐ-UBND", "Nghị quyết 30a/2008/NQ-CP", "Công văn số 293/TTg-ĐP".

The kinds are the administrative document types of Nghị định 30/2020 (Điều 7, Phụ lục III) and the
legal ones (Luật, Nghị định, Thông tư); a reference is kind + number + ký hiệu (+ date).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .numbers.iso import iso_of

KINDS = (
    "Công văn", "Kế hoạch", "Quyết định", "Nghị quyết", "Kết luận", "Chỉ thị", "Thông báo", "Thông tư",
    "Thông tư liên tịch", "Nghị định", "Hướng dẫn", "Báo cáo", "Tờ trình", "Chương trình", "Công điện",
    "Đề án", "Quy chế", "Quy định", "Luật", "Pháp lệnh", "Phương án", "Biên bản", "Giấy mời", "Công thư",
)
_CANON = {k.lower(): k for k in KINDS}

DOCREF_RE = re.compile(
    r"(?<![\w])(?P<kind>(?i:" + "|".join(sorted(map(re.escape, KINDS), key=len, reverse=True)) + r"))"
    r"(?:\s+số)?\s*:?\s*"
    r"(?P<number>\d{1,6}[a-zA-Z]?(?:/\d{4})?)\s*(?:/|-)\s*"
    r"(?P<symbol>[A-ZĐ][A-Za-zĐđ0-9&]*(?:\s?[-/]\s?[A-ZĐ0-9][A-Za-zĐđ0-9&]*)*)"
    r"(?:\s*,?\s*(?:ngày|ban hành ngày)\s*"
    r"(?P<date>\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}|\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}))?"
)
_DMY = re.compile(r"(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})|(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})")


@dataclass(slots=True)
class DocRef:
    kind: str
    number: str
    symbol: str
    date: str | None  # ISO, None when absent or impossible
    start: int
    end: int
    spans: dict[str, tuple[int, int]]  # field → (start, end) in the text searched


def iso_date(s: str) -> str | None:
    m = _DMY.search(s)
    if not m:
        return None
    d, mo, y = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(4), m.group(5), m.group(6))
    return iso_of(int(y), int(mo), int(d))


def find_docrefs(text: str) -> list[DocRef]:
    """Every document reference in ``text`` (one line or paragraph), in order."""
    out: list[DocRef] = []
    if "/" not in text and "-" not in text:
        return out
    for m in DOCREF_RE.finditer(text):
        kind = _CANON.get(m.group("kind").lower(), m.group("kind"))
        spans = {k: (m.start(k), m.end(k)) for k in ("kind", "number", "symbol") if m.group(k)}
        date = None
        if m.group("date"):
            spans["date"] = (m.start("date"), m.end("date"))
            date = iso_date(m.group("date"))
        out.append(DocRef(kind, m.group("number"), re.sub(r"\s+", "", m.group("symbol")), date,
                          m.start(), m.end(), spans))
    return out
