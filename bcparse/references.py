"""Document references: "Kế hoạch số 10/KH-UBND ngày 10/01/2024", "Kết luận số 57-KL/TW",
"Quyết định số 69/2010/QĐ-UBND", "Nghị quyết 30a/2008/NQ-CP", "Công văn số 293/TTg-ĐP".

The kinds are the administrative document types of Nghị định 30/2020 (Điều 7, Phụ lục III) and the
legal ones (Luật, Nghị định, Thông tư); a reference is kind + number + ký hiệu (+ date).
"""

from __future__ import annotations

import bisect
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
# a reference without "số" or ký hiệu: "Quyết định 1847 của UBND tỉnh", "Nghị quyết 68", "Chương trình
# 07": the number is followed by the end of the clause or by a word that goes on about the document
_BARE_KINDS = ("Quyết định", "Nghị quyết", "Nghị định", "Chỉ thị", "Kết luận", "Thông tư", "Chương trình",
               "Công văn", "Kế hoạch", "Thông báo", "Hướng dẫn", "Công điện", "Đề án")
_AFTER_BARE = (r"(?=\s*(?:[,;:.)]|$)|\s+(?:của|về|ngày|do|đã|và|được|đến|tại|theo|quy định|phê duyệt|ban hành|"
               r"trên|nhằm|với|thì|nên|cũng|là|vừa|sẽ)\b)")
DOCREF_BARE_RE = re.compile(
    r"(?<![\w])(?P<kind>(?i:" + "|".join(sorted(map(re.escape, _BARE_KINDS), key=len, reverse=True)) + r"))"
    r"(?:\s+số)?\s+(?P<number>\d{1,6})" + _AFTER_BARE
)
# a bare reference's date after its issuer: "Nghị Quyết 830 của Ủy ban Thường vụ Quốc Hội ngày 17/12/2019"
_ISSUER_DATE = re.compile(
    r"\s+của\s+[^,;:.()\d]{1,60}?\s+ngày\s+(?P<date>\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}"
    r"|\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4})"
)
# a date that opens the sentence (or a clause of it) and is the reference's own: "Ngày 02/8/2024, Sở Tài
# chính có Công văn số 1987/STC-NS …", "…, ngày 05/9/2019, UBND tỉnh đã ban hành Công văn số 1450/UBND-NC"
_DATE_FIRST = re.compile(
    r"(?:^|[.;:,]\s+)(?i:ngày)\s+(?P<date>\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}|\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4})\s*,"
)
_DIGIT = re.compile(r"\d")
_DMY = re.compile(r"(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})|(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})")


@dataclass(slots=True)
class DocRef:
    kind: str
    number: str
    symbol: str | None  # None for a bare "Quyết định 1847"
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
    """Every document reference in ``text`` (one line or paragraph), in order: with its number and
    ký hiệu ("Công văn số 1987/STC-NS", "Nghị quyết 57-NQ/TW"), or bare ("Quyết định 1847 của UBND
    tỉnh"); a date written after it ("… ngày 10/01/2024") or opening its sentence ("Ngày 02/8/2024,
    Sở Tài chính có Công văn số 1987/STC-NS") is its date."""
    out: list[DocRef] = []
    if _DIGIT.search(text) is None:  # every pattern below needs a number: half the lines of a report have none
        return out
    taken: list[tuple[int, int]] = []
    if "/" in text or "-" in text:
        for m in DOCREF_RE.finditer(text):
            kind = _CANON.get(m.group("kind").lower(), m.group("kind"))
            spans = {k: (m.start(k), m.end(k)) for k in ("kind", "number", "symbol") if m.group(k)}
            date = None
            if m.group("date"):
                spans["date"] = (m.start("date"), m.end("date"))
                date = iso_date(m.group("date"))
            out.append(DocRef(kind, m.group("number"), re.sub(r"\s+", "", m.group("symbol")), date,
                              m.start(), m.end(), spans))
            taken.append((m.start(), m.end()))
    starts = [a for a, _ in taken]  # in order, not overlapping: one look-up per bare match
    for m in DOCREF_BARE_RE.finditer(text):
        k = bisect.bisect_left(starts, m.end()) - 1
        if k >= 0 and taken[k][1] > m.start():
            continue
        spans = {"kind": (m.start("kind"), m.end("kind")), "number": (m.start("number"), m.end("number"))}
        date = None
        dm = _ISSUER_DATE.match(text, m.end("number"))
        if dm is not None:
            spans["date"] = (dm.start("date"), dm.end("date"))
            date = iso_date(dm.group("date"))
        kind = _CANON.get(m.group("kind").lower(), m.group("kind"))
        out.append(DocRef(kind, m.group("number"), None, date, m.start(), m.end(), spans))
    out.sort(key=lambda r: r.start)
    ref_starts = [r.start for r in out]
    for d in _DATE_FIRST.finditer(text):
        # the first reference of that sentence, when nothing but its subject stands between
        k = bisect.bisect_right(ref_starts, d.end())
        nxt = out[k] if k < len(out) else None
        if nxt is None or nxt.date is not None or nxt.symbol is None:
            continue
        between = text[d.end() : nxt.start]
        if len(between) > 80 or any(c in between for c in ".;:"):
            continue
        nxt.spans["date"] = (d.start("date"), d.end("date"))
        nxt.date = iso_date(d.group("date"))
    return out
