"""Structure: header, section tree and closing of a report, found in its Document.

Works on the blocks (one block = one line of the text view) of any reader's Document. Nothing is
"fixed": repeated or skipped section numbers are kept as written and recorded as
:class:`~bcparse.models.NumberingIssue`; blank document numbers and days are recorded as blanks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from .document import Block, Document
from .elements import Closing, Header, NumberingIssue, Section, Span, make_span
from .numbers import to_roman
from .numbers.iso import iso_of
from .textview import fold

# ---------------------------------------------------------------------------------------------
# Section markers
# ---------------------------------------------------------------------------------------------

VI_LETTERS = "abcdđeghiklmnopqrstuvxy"  # Vietnamese order of điểm letters (no f j w z; đ after d)
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
_ORDINALS = {
    "nhất": 1, "một": 1, "hai": 2, "ba": 3, "tư": 4, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8,
    "chín": 9, "mười": 10,
}

_PART = re.compile(
    r"^(?P<marker>(?:phần|chương)\s+(?:(?P<full>thứ\s+(?P<ord>[^\s:.,]+))|(?P<num>[ivxlc]+|\d{1,2})))\b\s*[:.\-–]?\s*(?P<title>.*)$"
)
_ARTICLE = re.compile(r"^(?P<marker>điều\s+(?P<num>\d{1,3})\s*[.:])\s*(?P<title>.*)$")
_ROMAN_M = re.compile(r"^(?P<marker>(?P<num>[ivxlc]{1,6})\s*[.\-–)/:]+)\s*(?P<title>\S.*)?$")
_UPPER_ALPHA = re.compile(r"^(?P<marker>(?P<num>[a-zđ])\s*[.\-–)])\s+(?P<title>\S.*)$")
_MULTI = re.compile(r"^(?P<marker>(?P<num>\d{1,2}(?:\.\d{1,2}){1,3})\.?)\s+(?P<title>\S.*)$")
# "4.2.Công tác tuyên truyền": a dotted number closed by its dot and glued to a capital word
_MULTI_GLUED = re.compile(r"^(?P<marker>(?P<num>\d{1,2}(?:\.\d{1,2}){1,3})\.)(?P<title>[^\W\d_].*)$")
_ARABIC = re.compile(r"^(?P<marker>(?P<num>\d{1,2})\s*(?P<delim>[.)\-–]))(?![\d/])\s*(?P<title>\S.*)?$")
_LOWER_ALPHA = re.compile(r"^(?P<marker>(?P<num>[a-zđ])\s*[.)])\s+(?P<title>\S.*)$")
# "a)Khoản 3 Điều 15 …": a letter closed by its bracket and glued to a capital word
_LOWER_ALPHA_GLUED = re.compile(r"^(?P<marker>(?P<num>[a-zđ])\))(?P<title>[^\W\d_].*)$")
BULLETS = "-+–—*•·‣◦▪●○➢❖"


@dataclass(slots=True)
class Marker:
    family: str  # part | chapter | article | upper_alpha | roman | multi | arabic | lower_alpha
    style: str  # family plus delimiter class where that matters ("arabic)" vs "arabic.")
    number: str  # as written, without punctuation ("II", "1", "a", "1.1", "THỨ NHẤT")
    value: float  # ordinal value for sequence checks (0 when unknown; Word’s f, j, w, z fall between letters: 6.5)
    marker: str  # as written ("II.", "1)", "PHẦN THỨ NHẤT")
    title: str  # rest of the line


def roman_value(s: str) -> int:
    s = s.lower()
    total = 0
    for i, c in enumerate(s):
        v = _ROMAN.get(c, 0)
        if i + 1 < len(s) and _ROMAN.get(s[i + 1], 0) > v:
            total -= v
        else:
            total += v
    return total


def _is_roman(s: str) -> bool:
    s = s.lower()
    if not s or any(c not in _ROMAN for c in s):
        return False
    v = roman_value(s)
    return 0 < v < 40 and to_roman(v) == s.upper()


def letter_value(c: str) -> float:
    c = c.lower()
    i = VI_LETTERS.find(c)
    if i >= 0:
        return i + 1
    # Word's automatic lowerLetter numbering runs a b c d e f ...: place f, j, w, z after their neighbours
    return {"f": 6.5, "j": 9.5, "w": 20.5, "z": 23.5}.get(c, 0)


def parse_marker(text: str, ctx: _MarkerContext | None = None) -> Marker | None:
    """The section marker at the start of a line, or None (bullets are not sections)."""
    if not text or text[0] in BULLETS:
        return None
    f = fold(text)
    c0 = f[0]
    if c0 in "pc" and (m := _PART.match(f)):
        raw_marker = text[: m.end("marker")]
        word = m.group("ord")
        if word:
            value = _ORDINALS.get(word, 0)
            number = text[m.start("full") : m.end("full")]
        else:
            n = m.group("num")
            value = int(n) if n.isdigit() else roman_value(n)
            number = text[m.start("num") : m.end("num")]
        family = "part" if f.startswith("phần") else "chapter"
        return Marker(family, family, number.upper() if not word else number, value, raw_marker,
                      text[m.start("title") :].strip())
    if c0 == "đ" and (m := _ARTICLE.match(f)):
        return Marker("article", "article", m.group("num"), int(m.group("num")), text[: m.end("marker")],
                      text[m.start("title") :].strip())
    if c0.isdigit():
        m = _MULTI.match(f)
        if m is None and (g := _MULTI_GLUED.match(f)) and text[g.start("title")].isupper():
            m = g
        if m is not None:
            num = m.group("num")
            return Marker("multi", f"multi{num.count('.')}", num, int(num.rsplit(".", 1)[1]),
                          text[: m.end("marker")], text[m.start("title") :].strip())
        if m := _ARABIC.match(f):
            title = (m.group("title") and text[m.start("title") :].strip()) or ""
            delim = m.group("delim")
            if delim == "." and not title:
                return None
            return Marker("arabic", "arabic)" if delim == ")" else "arabic.", m.group("num"),
                          int(m.group("num")), text[: m.end("marker")].strip(), title)
        return None
    if not c0.isalpha():
        return None
    upper = text[0].isupper()
    if upper:
        m = _ROMAN_M.match(f)
        if m and _is_roman(m.group("num")) and m.group("title"):
            num = m.group("num")
            is_alpha_next = len(num) == 1 and ctx is not None and ctx.alpha_expects(num)
            if not is_alpha_next or (ctx is not None and ctx.roman_expects(num)):
                return Marker("roman", "roman", text[: len(num)], roman_value(num),
                              text[: m.end("marker")].strip(), text[m.start("title") :].strip())
        m = _UPPER_ALPHA.match(f)
        if m and _looks_like_heading_after_letter(text[m.start("title") :]):
            num = text[0]
            return Marker("upper_alpha", "upper_alpha", num, letter_value(num), text[: m.end("marker")],
                          text[m.start("title") :].strip())
        return None
    m = _LOWER_ALPHA.match(f)
    if m is None and (g := _LOWER_ALPHA_GLUED.match(f)) and text[g.start("title")].isupper():
        m = g
    if m:
        num = text[0]
        return Marker("lower_alpha", "lower_alpha", num, letter_value(num), text[: m.end("marker")],
                      text[m.start("title") :].strip())
    return None


def _looks_like_heading_after_letter(rest: str) -> bool:
    """"A. TÌNH HÌNH" / "B- Kinh tế" are headings; an initial ("A. Nguyễn") needs a capital word."""
    return bool(rest) and (rest[0].isupper() or rest[0].isdigit())


class _MarkerContext:
    """What the document has seen so far, to tell roman "I." / "V." / "X." from letters."""

    def __init__(self) -> None:
        self.last: dict[str, float] = {}

    def alpha_expects(self, letter: str) -> bool:
        last = self.last.get("upper_alpha")
        return last is not None and letter_value(letter) == last + 1

    def roman_expects(self, num: str) -> bool:
        last = self.last.get("roman")
        return (last is None and roman_value(num) == 1) or (last is not None and roman_value(num) == last + 1)

    def see(self, m: Marker) -> None:
        self.last[m.family] = m.value


# ---------------------------------------------------------------------------------------------
# Header
# ---------------------------------------------------------------------------------------------

DOC_TYPES = (
    "báo cáo", "kế hoạch", "chương trình", "tờ trình", "quyết định", "nghị quyết", "nghị định", "thông báo",
    "thông tư", "chỉ thị", "hướng dẫn", "biên bản", "đề án", "phương án", "dự án", "quy chế", "quy định",
    "công điện", "giấy mời", "thông cáo", "kết luận", "công văn", "tờ trình", "bản ghi nhớ",
)
_TYPE_RE = re.compile(r"^(?P<type>" + "|".join(sorted(map(re.escape, DOC_TYPES), key=len, reverse=True)) + r")\b")
_RULE_LINE = re.compile(r"^[\s\-–—_=.*~|]{3,}$")
_SO_RE = re.compile(
    r"(?:^|\n)[ \t]*số\s*[:.]?(?P<num>\s*[0-9][0-9a-z.]*(?:/(?:19|20)\d\d(?=/))?|[ \t.…_]*)[ \t]*\n*[ \t]*"
    r"(?:/|(?<=\d)-(?=[ \t]*[a-zđ]))[ \t]*"  # "Số: 12/BC-UBND", a party's "Số 12- BC/ĐU"
    r"(?P<sym>[a-zđ0-9&]+(?:[ \t]*[-/][ \t]*[a-zđ0-9&]+)*)"
)
_DATE_LINE = re.compile(
    r"ngày\s*(?P<d>\d{1,2}|[ .…_]*)\s*tháng\s*(?P<m>\d{1,2}|[ .…_]*)\s*năm\s*(?P<y>\d{4}|[ .…_]*)"
)
_PREAMBLE_OPENERS = (
    "thực hiện", "căn cứ", "tiếp theo", "triển khai", "theo ", "để ", "nhằm ", "trên cơ sở", "qua ", "năm ",
    "trong ", "sau ", "kính gửi", "ủy ban nhân dân", "uỷ ban nhân dân", "ubnd",
)


_COLUMN_GAP = re.compile(r"\t+|[ \u00a0]{3,}")


def _segments(text: str) -> list[tuple[int, str]]:
    """A header line cut at tab runs or wide spaces (a two-column header typed with tabs)."""
    out: list[tuple[int, str]] = []
    pos = 0
    for m in _COLUMN_GAP.finditer(text):
        if text[pos : m.start()].strip():
            out.append((pos, text[pos : m.start()]))
        pos = m.end()
    if text[pos:].strip():
        out.append((pos, text[pos:]))
    return out or [(0, text)]


def _is_national_title(f: str) -> bool:
    return "xã hội chủ nghĩa" in f or f.strip() in ("cộng", "cộng hoà")


def _is_motto(f: str) -> bool:
    """"Độc lập - Tự do - Hạnh phúc", or in a party committee's header "ĐẢNG CỘNG SẢN VIỆT NAM"."""
    return ("độc lập" in f and ("tự do" in f or "hạnh phúc" in f)) or f.strip() == "đảng cộng sản việt nam"


def _is_upper(s: str) -> bool:
    letters = [c for c in s[:300] if c.isalpha()]  # the start of a line tells; long lines stay cheap
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def _span(doc: Document, start: int, end: int) -> Span:
    return make_span(doc, start, end)


def parse_header(doc: Document, limit_blocks: int = 40) -> tuple[Header, int]:
    """The header part; returns it and the index of the first block after it (body start)."""
    h = Header()
    blocks = doc.blocks[:limit_blocks]
    text = doc.text
    type_idx: int | None = None
    for i, b in enumerate(blocks):
        f = fold(b.text)
        m = _TYPE_RE.match(f)
        if m and _is_upper(b.text[: m.end()]) and (len(b.text) < 40 or _is_upper(b.text)):
            # "BÁO CÁO" alone, or with its subject on the same line
            if parse_marker(b.text) is None:
                type_idx = i
                break
        if parse_marker(b.text) is not None and i > 0:
            break
    # the region before the type line (or the first ~12 lines) holds agency, number, place and date
    region_end = type_idx if type_idx is not None else min(len(blocks), 12)
    # a Công văn has no type line: its subject "V/v …" stands under the number, beside "Kính gửi:"
    vv = None if type_idx is not None else next(
        (i for i, b in enumerate(blocks[:16]) if _VV.match(fold(b.text))), None)
    vv_at = 0  # where "V/v" starts in its block: after the number when both share a line
    if vv is None and type_idx is None:
        for i, b in enumerate(blocks[:16]):
            f = fold(b.text)
            m = _VV_INLINE.search(f)
            if m and f.lstrip().startswith("số"):
                vv, vv_at = i, m.start()
                break
    if vv is not None:
        region_end = vv + (1 if vv_at else 0)
        # the quốc hiệu, the motto and the place-and-date line may come after the subject when the
        # header table is read row by row (number and "V/v …" in row 1, the date in row 2)
        for j in range(vv + 1, min(len(blocks), vv + 8)):
            f = fold(blocks[j].text)
            if _is_national_title(f) or _is_motto(f) or _DATE_LINE.search(f):
                region_end = j + 1
            elif f.lstrip().startswith("kính gửi") or parse_marker(blocks[j].text) is not None:
                break
    region = blocks[:region_end]
    seen_so = seen_date = False
    if region:
        rstart, rend = region[0].offset, region[-1].offset + len(region[-1].text)
        chunk = fold(text[rstart:rend])
        m = _SO_RE.search(chunk)
        if m:
            seen_so = True
            num_raw = text[rstart + m.start("num") : rstart + m.end("num")].strip()
            num = num_raw if num_raw and any(ch.isdigit() for ch in num_raw) else None
            sym_raw = text[rstart + m.start("sym") : rstart + m.end("sym")]
            h.number = num
            h.symbol = re.sub(r"\s+", "", sym_raw)
            s0 = rstart + m.start() + (1 if chunk[m.start()] == "\n" else 0)
            s0 = s0 + (len(text[s0:]) - len(text[s0:].lstrip(" \t")))
            h.number_raw = text[s0 : rstart + m.end()]
            h.spans["number_raw"] = _span(doc, s0, rstart + m.end())
            h.spans["symbol"] = _span(doc, rstart + m.start("sym"), rstart + m.end("sym"))
            if h.number is None:
                h.blanks.append("number")
        m = _DATE_LINE.search(chunk)
        if m:
            seen_date = True
            d, mo, y = (m.group(k).strip(" .…_") for k in ("d", "m", "y"))
            if not d:
                h.blanks.append("day")
            if not mo:
                h.blanks.append("month")
            if not y:
                h.blanks.append("year")
            if y:
                iso = y
                if mo:
                    iso += f"-{int(mo):02d}"
                    if d:
                        iso += f"-{int(d):02d}"
                h.date = iso
            ds, de = rstart + m.start(), rstart + m.end()
            h.date_raw = text[ds:de]
            h.spans["date"] = _span(doc, ds, de)
            # place: the text before ", ngày" on that line (and a short line before it, "Hà" / "Nội")
            ls = text.rfind("\n", 0, ds) + 1
            # a tab-aligned header line ("Số: 12/BC-UBND<tab><tab>Bình Thành, ngày …"): the right column
            for gap in _COLUMN_GAP.finditer(text, ls, ds):
                ls = gap.end()
            place = text[ls:ds].rstrip(" ,")
            if place:
                pstart = ls + (len(text[ls:ds]) - len(text[ls:ds].lstrip()))
                h.place = place.strip()
                prev_blk = doc.block_at(ls - 1) if ls > 0 else None
                if (prev_blk is not None and prev_blk.offset < ls and len(prev_blk.text.split()) == 1
                        and prev_blk.text[:1].isupper() and not _is_upper(prev_blk.text)):
                    h.place = prev_blk.text + " " + h.place
                    pstart = prev_blk.offset
                if set(h.place) <= set(" .…_"):
                    h.place = None
                    h.blanks.append("place")
                else:
                    h.spans["place"] = _span(doc, pstart, pstart + len(text[pstart:ds].rstrip(" ,")))
        agency: list[tuple[int, str]] = []  # (view offset, text) of agency lines or left-column segments
        for b in region:
            for seg_off, seg in _segments(b.text):
                f = fold(seg)
                if _is_national_title(f):
                    if "xã hội chủ nghĩa" in f:
                        h.national_title = (h.national_title + " " + seg) if h.national_title else seg
                    else:  # "CỘNG" / "HÒA XÃ HỘI…" wrapped by a web export
                        h.national_title = seg
                    continue
                if _is_motto(f):
                    h.motto = seg
                    continue
                if _RULE_LINE.match(seg) or seg.strip() == "|":
                    continue
                if f.lstrip().startswith("số") or _DATE_LINE.search(f) or re.match(r"^[\d\s.]*/", f):
                    continue
                if _is_upper(seg) and len(seg) < 80:
                    agency.append((b.offset + seg_off, seg))
        if agency and (seen_so or seen_date or h.national_title):
            h.agency = [t for _, t in agency]
            h.spans["agency"] = _span(doc, agency[0][0], agency[-1][0] + len(agency[-1][1]))
    if vv is not None:
        h.end_line = doc.blocks[vv].line
        after = _vv_subject(doc, h, vv, vv_at)
        if region_end > after:  # the date line came after the subject
            after = region_end
            h.end_line = doc.blocks[region_end - 1].line
        return h, _preamble(doc, h, after)
    if type_idx is None:
        body_start = region_end if (seen_so or seen_date or h.national_title) else 0
        # a web-posted body often opens with its title (no type line): a short line, no full stop
        if body_start < len(doc.blocks):
            b = doc.blocks[body_start]
            if (len(b.text) < 250 and not b.text.rstrip().endswith((".", ";", ":"))
                    and parse_marker(b.text) is None and not fold(b.text).startswith(_PREAMBLE_OPENERS[:4])):
                h.subject = b.text
                h.spans["subject"] = _span(doc, b.offset, b.offset + len(b.text))
                body_start += 1
        h.end_line = doc.blocks[body_start - 1].line if body_start > 0 else 0
        return h, _preamble(doc, h, body_start)
    tb = blocks[type_idx]
    m = _TYPE_RE.match(fold(tb.text))
    assert m is not None
    h.type = tb.text[: m.end()]
    h.spans["type"] = _span(doc, tb.offset, tb.offset + m.end())
    subject_lines: list[Block] = []
    rest = tb.text[m.end() :].strip(" :-–")
    i = type_idx + 1
    if rest:
        subject_lines.append(tb)
    while i < len(doc.blocks) and len(subject_lines) < 5:
        b = doc.blocks[i]
        f = fold(b.text)
        wrapped = bool(subject_lines) and b.text[:1].islower()  # "… cải cách hành chính / năm 2026 tỉnh …"
        if parse_marker(b.text) is not None or (f.startswith(_PREAMBLE_OPENERS) and not wrapped) \
                or b.text[0] in BULLETS:
            break
        if subject_lines and (b.gap > 1 or len(b.text) > 160 or subject_lines[-1].text.rstrip().endswith(".")):
            break
        # a line in capitals after a subject in ordinary case is the next part of the form, not the
        # subject wrapped ("… giai đoạn 2026 - 2030" / "CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI",
        # the authority of a Quyết định)
        if subject_lines and _is_upper(b.text) and not _is_upper(rest if subject_lines[-1] is tb
                                                                 else subject_lines[-1].text):
            break
        if not subject_lines and len(b.text) > 300:
            break
        if _RULE_LINE.match(b.text):
            i += 1
            continue
        subject_lines.append(b)
        i += 1
        if b.text.rstrip().endswith("."):
            break
    if subject_lines:
        parts = [rest] if rest else []
        parts += [b.text.strip() for b in subject_lines if b is not tb]
        h.subject = " ".join(parts)
        s0 = tb.offset + m.end() + (len(tb.text[m.end():]) - len(tb.text[m.end():].lstrip(" :-–"))) if rest \
            else subject_lines[0].offset
        last = subject_lines[-1]
        h.spans["subject"] = _span(doc, s0, last.offset + len(last.text))
    h.end_line = doc.blocks[i - 1].line
    return h, _preamble(doc, h, i)


_VV = re.compile(r"^\s*v/v\s*[:.]?\s*\S")
_VV_INLINE = re.compile(r"(?<=\s)v/v\s*[:.]?\s*\S")


def _vv_subject(doc: Document, h: Header, vv: int, at: int = 0) -> int:
    """The subject of a Công văn, "V/v báo cáo kết quả …" and its continuation lines, without the
    "V/v"; a "Kính gửi:" printed beside it in the right column goes to ``h.to``. Returns the index of
    the block after the subject."""
    blocks = doc.blocks
    parts: list[tuple[int, str]] = []
    i = vv
    while i < len(blocks) and i - vv < 4:
        b = blocks[i]
        fb = fold(b.text)
        if i > vv and (b.gap > 0 or fb.lstrip().startswith("kính gửi") or _far_indent(b)
                       or parse_marker(b.text) is not None or len(b.text) > 120
                       or _is_national_title(fb) or _is_motto(fb) or _DATE_LINE.search(fb)):
            break
        segs = _segments(b.text[at:] if i == vv else b.text)
        if i == vv and at:
            segs = [(o + at, t) for o, t in segs]
        off, t = segs[0]
        if i == vv:
            m = _VV.match(fold(t))
            assert m is not None
            off += m.end() - 1
            t = t[m.end() - 1 :]
        parts.append((b.offset + off, t.rstrip()))
        for _o, u in segs[1:]:
            if fold(u).startswith("kính gửi") and ":" in u:
                h.to.append(u.split(":", 1)[1].strip(" -;."))
        i += 1
        if t.rstrip().endswith("."):
            break
    h.subject = " ".join(t.strip() for _, t in parts)
    last_off, last_t = parts[-1]
    h.spans["subject"] = _span(doc, parts[0][0], last_off + len(last_t))
    return i


def _preamble(doc: Document, h: Header, i: int) -> int:
    """Kính gửi and the preamble paragraphs up to the first section heading; returns body start."""
    n = len(doc.blocks)
    if i < n and fold(doc.blocks[i].text).startswith("kính gửi"):
        b = doc.blocks[i]
        rest = b.text.split(":", 1)[1].strip() if ":" in b.text else ""
        if rest:
            h.to.append(rest.strip(" -;."))
        i += 1
        while i < n and doc.blocks[i].text[:1] in "-+•" and parse_marker(doc.blocks[i].text) is None:
            h.to.append(doc.blocks[i].text.lstrip("-+• ").rstrip(";. "))
            i += 1
    pre: list[str] = []
    j = i
    while j < n and j - i < 6:
        b = doc.blocks[j]
        if parse_marker(b.text) is not None or _is_upper(b.text):
            break
        pre.append(b.text)
        j += 1
    if pre and j < n:  # only a preamble when a section follows it
        h.preamble = "\n".join(pre)
    return i


# ---------------------------------------------------------------------------------------------
# Closing: "./.", Nơi nhận, signature block
# ---------------------------------------------------------------------------------------------

# the marks, with the party's slashed forms ("T/M ĐẢNG ỦY", "K/T BÍ THƯ") and their dot optional there
_AUTHORITY = re.compile(r"^(?:(?P<a>tm|kt|q|tl|tuq)\s*\.|(?P<s>t/m|k/t|t/l)\s*\.?)\s*(?P<rest>.*)$")


def _mark_word(m: re.Match[str]) -> str:
    """The mark of an authority line, normalised: "TM.", "KT.", "T/M" → "TM."."""
    return (m.group("a") or m.group("s").replace("/", "")).upper() + "."


def _mark_len(m: re.Match[str]) -> int:
    """How many characters the mark takes at the line start ("TM." 3, "T/M" 3)."""
    return m.end("a") + 1 if m.group("a") else m.end("s")
_SIGNED_NOTE = re.compile(r"^\(?\s*(đã ký|ký|ký tên|ký, ghi rõ|đã ký và đóng dấu|ký, đóng dấu)[^)]*\)?\s*$")


# a signer's position ("PHÓ CHỦ TỊCH", "GIÁM ĐỐC", "PHÓ TRƯỞNG BAN", "CHÁNH VĂN PHÒNG"), as opposed
# to a collective body's name wrapped onto the next line ("XÃ BÌNH THÀNH", "BAN CHỈ ĐẠO")
_POSITION = re.compile(
    r"^(?:phó\s+|q\.\s*)?(?:chủ tịch|chủ nhiệm|(?:tổng\s+)?giám đốc|bí thư|chánh\b|(?:thủ|hiệu|cục|vụ|viện|"
    r"chi cục|tổng cục|bộ|thứ|đội|tổ|chỉ huy|kế toán)?\s*trưởng\b|thủ tướng|ủy viên|uỷ viên|thư ký|"
    r"phụ trách|tư lệnh|chính ủy|chính uỷ|người\s+(?:ký|đứng đầu)|chủ tọa|chủ toạ)"
)


def _is_position(t: str) -> bool:
    return bool(_POSITION.match(fold(t.strip())))


def _mark_of(b: Block) -> tuple[str, str, int] | None:
    """("kt", "CHỦ TỊCH", offset of "CHỦ TỊCH") of a line "KT. CHỦ TỊCH", None for a line without a mark."""
    lead = len(b.text) - len(b.text.lstrip())
    m = _AUTHORITY.match(fold(b.text.strip()))
    if m is None:
        return None
    rest = b.text.strip()[m.start("rest"):].strip()
    return (m.group("a") or m.group("s").replace("/", "")), rest, b.offset + len(b.text.rstrip()) - len(rest) if rest else b.offset + lead


def _is_name(t: str) -> bool:
    """A signer's name: "Nguyễn Văn An" — title case, two to six words, not a note like "(Đã ký)"."""
    return (t[:1].isupper() and not _is_upper(t) and 1 < len(t.split()) <= 6
            and not _SIGNED_NOTE.match(fold(t)))


def _unmarked_signature(blocks: list[Block], lo: int, noi_nhan: int | None) -> list[int]:
    """A signature block without a mark ("CHỦ TỊCH" / "(Đã ký)" / "Nguyễn Văn An"): a short upper-case
    line after the end mark "./." or the Nơi nhận list, with a name at most three lines below."""
    n = len(blocks)
    after = noi_nhan if noi_nhan is not None else max(
        (i for i in range(lo, n) if blocks[i].text.rstrip().endswith("./.")), default=None)
    if after is None:
        return []
    for i in range(after + 1, n):
        t = blocks[i].text.strip()
        if not (_is_upper(t) and len(t) < 60) or t[:1] in "-+•–":
            continue
        for k in range(i + 1, min(n, i + 4)):
            u = blocks[k].text.strip()
            if _is_name(u):
                return [i]
            if not (_SIGNED_NOTE.match(fold(u)) or (_is_upper(u) and len(u) < 60)):
                break
    return []


def _position_tail(text: str) -> int | None:
    """Where a signer's position that a PDF ran onto the line before starts ("TM. ỦY BAN NHÂN DÂN
    CHỦ TỊCH" → at "CHỦ TỊCH"; "KT. CHỦ TỊCH PHÓ CHỦ TỊCH" → at "PHÓ"): the longest tail of at most
    four words that opens with a position, after the mark and at least one word."""
    m = _AUTHORITY.match(fold(text))
    if m is None:
        return None
    starts = [w.start() for w in re.finditer(r"\S+", text)]
    rest0 = m.start("rest")
    cands = [st for st in starts if st > rest0]
    mark = (m.group("a") or m.group("s")).replace("/", "")
    for st in cands[-4:]:  # the longest tail first: "PHÓ CHỦ TỊCH", not "CHỦ TỊCH"
        tail = fold(text[st:])
        if _POSITION.match(tail) is None:
            continue
        head = fold(text[rest0:st]).strip()
        # after TM. any body's name; after KT./TL./TUQ./Q. the head signed for is a position itself
        if head and (mark == "tm" or _is_position(head)):
            return st
    return None


def _unmerge_signature_lines(blocks: list[Block]) -> list[Block]:
    """A mark line that ran into the position under it (centred lines a PDF joined) cut in two."""
    out: list[Block] = []
    for i, b in enumerate(blocks):
        nxt_is_position = i + 1 < len(blocks) and _is_position(blocks[i + 1].text) and _mark_of(blocks[i + 1]) is None
        cut = None if nxt_is_position or not _is_upper(b.text) else _position_tail(b.text)
        if cut is None:
            out.append(b)
            continue
        head = b.text[:cut].rstrip()
        out.append(Block(text=head, kind=b.kind, source=b.source, line=b.line, offset=b.offset))
        out.append(Block(text=b.text[cut:], kind=b.kind, source=b.source, line=b.line, offset=b.offset + cut))
    return out


def _signature_parts(doc: Document, c: Closing, blocks: list[Block]) -> None:
    """Split the signature block into its three parts (Nghị định 30/2020, Phụ lục I):

    - ``signer_collective``: "TM. ỦY BAN NHÂN DÂN", signing for a collective body (its name may
      wrap onto the next lines, up to the capacity line or the title);
    - ``signer_capacity`` + ``signer_capacity_for``: "KT." / "TL." / "TUQ." / "Q." and the head
      signed for ("KT. CHỦ TỊCH": the deputy signs in place of the chairman; "Q. CHỦ TỊCH": acting);
    - ``signer_title``: the signer's own position, the last line ("PHÓ CHỦ TỊCH"); for "Q. CHỦ TỊCH"
      the position after the mark. A lone "KT. CHỦ TỊCH" or "TM. ỦY BAN NHÂN DÂN" states no title.
    """
    def span(s: int, e: int) -> Span:
        return make_span(doc, s, e)

    blocks = _unmerge_signature_lines(blocks)
    marks = [_mark_of(b) for b in blocks]
    k = 0
    if marks[0] is not None and marks[0][0] == "tm":
        end = 1  # the body's name continues on unmarked lines up to a position ("CHỦ TỊCH"), or the last line
        while end < len(blocks) - 1 and marks[end] is None and not _is_position(blocks[end].text):
            end += 1
        first, last = blocks[0], blocks[end - 1]
        s0 = first.offset + len(first.text) - len(first.text.lstrip())
        c.signer_collective = " ".join(b.text.strip() for b in blocks[:end])
        c.spans["signer_collective"] = span(s0, last.offset + len(last.text.rstrip()))
        k = end
    cap = next(((blocks[i], mk) for i in range(k, len(blocks)) if (mk := marks[i]) is not None and mk[0] != "tm"),
               None)
    if cap is not None:
        b, (a, rest, rs) = cap
        ms = b.offset + len(b.text) - len(b.text.lstrip())
        cm = _AUTHORITY.match(fold(b.text.strip()))
        assert cm is not None
        c.signer_capacity = _mark_word(cm)
        c.spans["signer_capacity"] = span(ms, ms + _mark_len(cm))
        if rest:
            c.signer_capacity_for = rest
            c.spans["signer_capacity_for"] = span(rs, rs + len(rest))
    # the signer's own title: the first position line after the marks; a position line after it
    # is a concurrent post ("TM. BAN CHỈ ĐẠO / PHÓ TRƯỞNG BAN / PHÓ CHỦ TỊCH UBND TỈNH")
    after = [i for i in range(k, len(blocks)) if marks[i] is None]
    pos = [i for i in after if _is_position(blocks[i].text)]
    tmark = marks[-1]
    if pos and pos[0] < len(blocks) - 1 and tmark is None and _is_position(blocks[pos[0] + 1].text):
        tb = blocks[pos[0]]
        title = tb.text.strip()
        ts = tb.offset + len(tb.text) - len(tb.text.lstrip())
        c.signer_title = title
        c.spans["signer_title"] = span(ts, ts + len(title))
        post = blocks[pos[0] + 1 :]
        c.signer_concurrent_post = " ".join(b.text.strip() for b in post)
        r0 = post[0].offset + len(post[0].text) - len(post[0].text.lstrip())
        c.spans["signer_concurrent_post"] = span(r0, post[-1].offset + len(post[-1].text.rstrip()))
        return
    tb = blocks[-1]
    if tmark is None:
        if len(blocks) > k:  # not the collective's own line
            title = tb.text.strip()
            ts = tb.offset + len(tb.text) - len(tb.text.lstrip())
            c.signer_title = title
            c.spans["signer_title"] = span(ts, ts + len(title))
    elif tmark[0] == "q" and tmark[1]:
        c.signer_title = tmark[1]
        c.spans["signer_title"] = span(tmark[2], tmark[2] + len(tmark[1]))


_CLOSING_CUT = re.compile(r"[;:.,]\s+(?=\S)")


def _closing_segments(b: Block) -> list[tuple[int, int, str]]:
    """A closing line as (column, offset, text) pieces: the "Nơi nhận" column (0) and the signature
    column (1). Tab runs or wide spaces cut a line typed in two columns ("Nơi nhận:<tab>GIÁM ĐỐC"); a
    line indented far holds only the right column; a PDF line whose columns ran together
    ("- Như trên; KT. CHỦ TỊCH") is cut before the signature's mark or position."""
    segs = _segments(b.text)
    if len(segs) > 1:
        return [(0 if k == 0 and not _far_indent(b) else 1, b.offset + o, t.strip()) for k, (o, t) in enumerate(segs)]
    if b.source.cell is not None and b.source.cell >= 2:
        return [(1, b.offset, b.text)]
    if _far_indent(b):
        return [(1, b.offset, b.text)]
    f = fold(b.text)
    if b.text[:1] in "-+•–" or f.startswith("nơi nhận"):
        for m in _CLOSING_CUT.finditer(b.text, max(0, len(b.text) - 90)):  # a signature line is short
            right = b.text[m.end():].strip()
            if _is_upper(right) and (_AUTHORITY.match(fold(right)) or _is_position(right)) and "," not in right:
                return [(0, b.offset, b.text[: m.start() + 1]), (1, b.offset + m.end(), right)]
        return [(0, b.offset, b.text)]
    return [(2, b.offset, b.text)]  # no recipient: the signature column when the closing has two


def _far_indent(b: Block) -> bool:
    """A line pushed into the right half by tabs or a run of spaces (the signature column of .txt)."""
    ind = b.indent.replace("\t", " " * 8)
    return len(ind) >= 16


def _end_of_page_text(doc: Document) -> int:
    """The index after the document's own blocks: a PDF's stamps come after them
    (:func:`merge_stamps`) and are no part of the closing."""
    stamps = doc.meta.get("stamps")
    firsts = [st["block"] for st in stamps if isinstance(st.get("block"), int)] if isinstance(stamps, list) else []
    return min([len(doc.blocks), *firsts])


_FOOTNOTE_START = re.compile(r"\[\d{1,3}\]\s")


def _closing_start(doc: Document, body_start: int) -> int:
    """Where to look for the closing: the last 40 blocks of the page text, or from a little before the
    last "Nơi nhận" when that lies further up (an appendix of tables or forms follows the signature)."""
    end = _end_of_page_text(doc)
    lo = max(body_start, end - 40)
    if any(fold(b.text).startswith("nơi nhận") for b in doc.blocks[lo:end]):
        return lo
    last = next((i for i in range(lo - 1, body_start - 1, -1) if fold(doc.blocks[i].text).startswith("nơi nhận")), None)
    return lo if last is None else max(body_start, last - 6)


def _closing_view(doc: Document, lo: int) -> tuple[list[Block], list[int]]:
    """The closing's lines from block ``lo`` on, its left column before its right one when it was
    laid out in two columns (as the header's are separated), and each piece's block index."""
    blocks = doc.blocks
    n = _end_of_page_text(doc)
    first = next((i for i in range(lo, n) if fold(blocks[i].text).startswith("nơi nhận")
                  or any(fold(t).startswith("nơi nhận") for _, t in _segments(blocks[i].text))), None)
    if first is None:
        return blocks[lo:n], list(range(lo, n))
    # footnotes printed after the signature ("[1] Kế hoạch số …" and the lines that go on with it) are
    # no part of the closing: a footnote's "- …" line is no recipient
    n = next((i for i in range(first + 1, n) if _FOOTNOTE_START.match(blocks[i].text)), n)
    pieces = [(col, off, t, i) for i in range(first, n) for col, off, t in _closing_segments(blocks[i])]
    if not any(col == 1 for col, *_ in pieces):
        return blocks[lo:n], list(range(lo, n))
    # a line that is no recipient goes with the signature column ("(Đã ký)", the name)
    # (a recipient wrapped onto a line of its own goes on in lower case and stays in its column)
    for k, (col, off, t, i) in enumerate(pieces):
        if col == 2:
            before = pieces[k - 1][2][:1] if k > 0 else ""
            wrapped = bool(before) and t[:1].islower() and pieces[k - 1][0] == 0 and (before in "-+•–" or before.islower())
            pieces[k] = (0 if wrapped else 1, off, t, i)
    out = list(blocks[lo:first])
    idx = list(range(lo, first))
    for want in (0, 1):
        for col, off, t, i in pieces:
            if col == want and t.strip():
                b = blocks[i]
                out.append(Block(text=t, kind=b.kind, source=b.source, line=b.line, offset=off))
                idx.append(i)
    return out, idx


def parse_closing(doc: Document, body_start: int) -> tuple[Closing, int]:
    """The closing part; returns it and the index of its first block (body end). A closing laid
    out in two columns (Nơi nhận beside the signature) is read a column at a time."""
    c = Closing()
    blocks, real = _closing_view(doc, _closing_start(doc, body_start))
    n = len(blocks)
    lo = 0
    start = n
    noi_nhan = None
    auth: list[int] = []
    for i in range(lo, n):
        f = fold(blocks[i].text)
        if f.startswith("nơi nhận"):
            noi_nhan = i
        elif _AUTHORITY.match(f) and _is_upper(blocks[i].text):
            auth.append(i)
    if not auth:
        auth = _unmarked_signature(blocks, lo, noi_nhan)
    if noi_nhan is not None:
        start = min(start, noi_nhan)
        b = blocks[noi_nhan]
        j = noi_nhan + 1
        first = b.text.split(":", 1)[1].strip() if ":" in b.text else ""
        rec_blocks: list[Block] = []
        raw_last = first.lstrip("-+• ")
        if first:
            c.recipients.append(first.lstrip("-+• ").rstrip(";.,"))
            rec_blocks.append(b)
        while j < n and (blocks[j].text[:1] in "-+•–" or (rec_blocks and blocks[j].text[:1].islower())) \
                and j not in auth:
            if blocks[j].text[:1].islower():  # a recipient wrapped onto the next line
                raw_last = raw_last + " " + blocks[j].text.strip()
                c.recipients[-1] = raw_last.rstrip(";.,").strip()
            else:
                raw_last = blocks[j].text.lstrip("-+•– ").rstrip()
                c.recipients.append(raw_last.rstrip(";.,").strip())
            rec_blocks.append(blocks[j])
            j += 1
        if rec_blocks:
            s0 = rec_blocks[0].offset if rec_blocks[0] is not b else b.offset + b.text.index(":") + 1
            c.spans["recipients"] = make_span(doc, s0, rec_blocks[-1].offset + len(rec_blocks[-1].text))
    if auth:
        a0 = auth[0]
        start = min(start, a0)
        j = a0
        auth_blocks: list[Block] = []
        while j < n and (j in auth or (_is_upper(blocks[j].text) and len(blocks[j].text) < 60
                                       and not fold(blocks[j].text).startswith("nơi nhận"))):
            auth_blocks.append(blocks[j])
            j += 1
        c.authority = [b.text.strip() for b in auth_blocks]
        m = _AUTHORITY.match(fold(auth_blocks[0].text))
        if m:
            c.signer_authority = _mark_word(m)
            c.spans["signer_authority"] = make_span(doc, auth_blocks[0].offset, auth_blocks[0].offset + _mark_len(m))
        _signature_parts(doc, c, auth_blocks)
        # the name: the next line in title case that is not a note such as "(Đã ký)"
        k = j
        while k < n and k < j + 6:
            t = blocks[k].text.strip()
            ft = fold(t)
            if ft.startswith("nơi nhận") or t[:1] in "-+":
                break
            if not _SIGNED_NOTE.match(ft) and t[:1].isupper() and not _is_upper(t) and 1 < len(t.split()) <= 6:
                c.signer_name = t
                c.spans["signer_name"] = make_span(doc, blocks[k].offset, blocks[k].offset + len(blocks[k].text))
                break
            k += 1
    # the end mark "./." closes the body
    for i in range(min(start, n) - 1, max(0, start - 8) - 1, -1):
        if blocks[i].text.rstrip().endswith("./."):
            c.end_mark = True
            break
    if start >= n:
        return c, _end_of_page_text(doc)
    c.start_line = blocks[start].line
    # the body ends at the first block any piece of the closing came from
    return c, min(real[start:]) if real[start:] else _end_of_page_text(doc)


# ---------------------------------------------------------------------------------------------
# Section tree
# ---------------------------------------------------------------------------------------------

def _split_title(title: str) -> tuple[str, str | None]:
    """"Công tác quản lý đoàn ra (đoàn ra): không có." → (title, "không có.")."""
    depth = 0
    for i, ch in enumerate(title):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(depth - 1, 0)
        elif ch == ":" and depth == 0:
            head, rest = title[:i].strip(), title[i + 1 :].strip()
            return head, (rest or None)
    return title.strip(), None


_OPEN_QUOTES = "\"“„«"
_CLOSE_QUOTES = "\"”»"
# a line that introduces a text cited from another document: "Điều 3 Nghị định 61/2018/NĐ-CP quy
# định như sau:", "Khoản 2 Điều 5 Luật … nêu rõ:"; numbered clauses after it are the cited text's
_CITES = re.compile(
    r"\b(?:điều\s+\d+|khoản\s+\d+|điểm\s+[a-zđ]\s+khoản|nghị định|thông tư|luật|pháp lệnh|"
    r"nghị quyết|quyết định|chỉ thị|kết luận|hiến pháp|quy chế|quy định)\b.*:\s*$"
)


def _quoted_lines(blocks: list[Block], start: int, end: int) -> set[int]:
    """Blocks inside a quotation that opens at the start of a line (“1. Công khai …; 2. …”): a cited
    text's numbered clauses are not sections of the report."""
    out: set[int] = set()
    i = start
    while i < end:
        t = blocks[i].text.strip()
        if t[:1] in _OPEN_QUOTES and not _closes_quote(t[1:]):
            j = i + 1
            while j < end and j - i <= 30:
                u = blocks[j].text.rstrip()
                if _closes_quote(u):
                    break
                j += 1
            if j < end and j - i <= 30:
                out.update(range(i, j + 1))
                i = j + 1
                continue
        i += 1
    return out


def _closes_quote(t: str) -> bool:
    t = t.rstrip(" .;,")
    return bool(t) and t[-1] in _CLOSE_QUOTES and t.count("“") <= t.count("”") + (0 if t[-1] == '"' else 1)


def _rank_order(styles: list[str]) -> list[str]:
    """The level order of the marker styles of a document: the order they first appear in, except
    that a part or chapter is always above the rest ("PHẦN THỨ HAI" restarts the numbering under
    it) and a dotted number sits right under the number it extends ("2.1." under "2.", "2.2.1."
    under "2.2."), wherever letters first appeared ("a)" under "1." before any "2.1.")."""
    order: list[str] = []
    for st in styles:
        if st in order:
            continue
        if st in ("part", "chapter"):
            k = 0
            while k < len(order) and order[k] in ("part", "chapter") and (st == "chapter" or order[k] == "part"):
                k += 1
            order.insert(k, st)
        elif st.startswith("multi"):
            depth = int(st[5:])
            base = f"multi{depth - 1}" if depth > 1 else "arabic."
            if base not in order and depth == 1 and "arabic)" in order:
                base = "arabic)"
            order.insert(order.index(base) + 1 if base in order else len(order), st)
        else:
            order.append(st)
    return order


_HEADS = ("part", "chapter", "article", "roman", "upper_alpha")


def _cited_clauses(found: list[tuple[int, Marker]], blocks: list[Block]) -> set[int]:
    """Numbered clauses quoted after a citing line ("… Nghị định 61/2018/NĐ-CP quy định như sau:"):
    a run that restarts at 1 where the report's own numbering of that style was under way, up to
    the marker that goes on with the report's numbering."""
    out: set[int] = set()
    last_value: dict[str, float] = {}
    k = 0
    while k < len(found):
        i, m = found[k]
        prev = blocks[i - 1].text.strip() if i > 0 else ""
        outer = last_value.get(m.style)
        if (m.value == 1 and outer is not None and outer >= 1 and m.family in ("arabic", "lower_alpha")
                and _CITES.search(fold(prev)) and " này" not in fold(prev) and parse_marker(prev) is None):
            expect = 1.0
            j = k
            while j < len(found) and found[j][1].style == m.style and found[j][1].value == expect \
                    and found[j][1].value != outer + 1:
                out.add(found[j][0])
                expect += 1
                j += 1
            if j > k:
                k = j
                continue
        # a marker of a shallower style resets the deeper ones
        last_value[m.style] = m.value
        if m.family in _HEADS:
            for st in list(last_value):
                if st != m.style and st not in _HEADS:
                    del last_value[st]
        k += 1
    return out


def parse_sections(doc: Document, start: int, end: int) -> tuple[list[Section], list[NumberingIssue]]:
    """The section tree. Levels come from the numbering's own structure: a dotted number's depth,
    the marker style, and the order in which styles first appear (:func:`_rank_order`); numbered
    clauses of a quoted or cited text are not sections (:func:`_quoted_lines`,
    :func:`_cited_clauses`)."""
    blocks = doc.blocks
    ctx = _MarkerContext()
    found: list[tuple[int, Marker]] = []
    quoted = _quoted_lines(blocks, start, end)
    for i in range(start, end):
        if i in quoted:
            continue
        m = parse_marker(blocks[i].text, ctx)
        if m is not None:
            ctx.see(m)
            found.append((i, m))
    cited = _cited_clauses(found, blocks)
    if cited:
        found = [(i, m) for i, m in found if i not in cited]
    order = _rank_order([m.style for _, m in found])
    sections: list[Section] = []
    stack: list[int] = []  # indices into sections, one per open level
    ranks: list[int] = []  # the rank of each section in ``order``
    for i, m in found:
        rank = order.index(m.style)
        b = blocks[i]
        title, body = _split_title(m.title)
        if not title and m.family in ("part", "chapter"):
            # "PHẦN THỨ NHẤT:" with its title on the next line
            if i + 1 < end and _is_upper(blocks[i + 1].text) and parse_marker(blocks[i + 1].text) is None:
                title = blocks[i + 1].text.strip()
        # a section's content runs to the start of the next section at the same or a higher level
        while stack and ranks[stack[-1]] >= rank:
            closed = sections[stack.pop()]
            closed.end_line = max(b.line - 1, closed.line)
        parent = stack[-1] if stack else None
        ranks.append(rank)
        sections.append(Section(  # level: the depth in the tree ("a)" under "1." or under "2.2.")
            number=m.number, marker=m.marker, style=m.family, level=len(stack) + 1, title=title, body=body,
            line=b.line, end_line=b.line, parent=parent,
            span=make_span(doc, b.offset, b.offset + len(b.text)),
        ))
        stack.append(len(sections) - 1)
    last = blocks[end - 1].line if end > start else 0
    for idx in stack:
        sections[idx].end_line = max(last, sections[idx].line)
    return sections, numbering_issues(sections)


MAX_SCOPE_DEPTH = 8  # enclosing sections looked at for scoping and section paths (real reports use ≤ 6)


def enclosing(sections: list[Section], lines: list[int]) -> list[int | None]:
    """For each line (ascending), the index of the innermost section that holds it; one pass."""
    out: list[int | None] = []
    stack: list[int] = []
    k = 0
    for line in lines:
        while k < len(sections) and sections[k].line <= line:
            while stack and sections[stack[-1]].end_line < sections[k].line:
                stack.pop()
            stack.append(k)
            k += 1
        while stack and sections[stack[-1]].end_line < line:
            stack.pop()
        out.append(stack[-1] if stack else None)
    return out


def chain_of(sections: list[Section], idx: int | None) -> list[Section]:
    """The section and its ancestors, innermost first, at most MAX_SCOPE_DEPTH of them."""
    out: list[Section] = []
    while idx is not None and len(out) < MAX_SCOPE_DEPTH:
        s = sections[idx]
        out.append(s)
        idx = s.parent
    return out


def _value_of(s: Section) -> float:
    n = s.number or ""
    if s.style in ("roman",):
        return roman_value(n)
    if s.style in ("upper_alpha", "lower_alpha"):
        return letter_value(n)
    if s.style == "multi":
        return int(n.rsplit(".", 1)[1])
    if n.isdigit():
        return int(n)
    if s.style in ("part", "chapter"):
        f = fold(n)
        return _ORDINALS.get(f, roman_value(f) if _is_roman(f) else 0)
    return 0


def _expected_after(s: Section) -> str:
    v = _value_of(s)
    n = s.number or ""
    if s.style == "roman":
        return to_roman(int(v) + 1)
    if s.style in ("upper_alpha", "lower_alpha"):
        i = VI_LETTERS.find(n.lower())
        nxt = VI_LETTERS[i + 1] if 0 <= i < len(VI_LETTERS) - 1 else "?"
        return nxt.upper() if s.style == "upper_alpha" else nxt
    if s.style == "multi":
        head, last = n.rsplit(".", 1)
        return f"{head}.{int(last) + 1}"
    if n.isdigit():
        return str(int(n) + 1)
    return "?"


def numbering_issues(sections: list[Section]) -> list[NumberingIssue]:
    """Repeated or skipped numbers among siblings of the same style (never renumbered)."""
    issues: list[NumberingIssue] = []
    last_child: dict[tuple[int | None, str], int] = {}
    for idx, s in enumerate(sections):
        key = (s.parent, s.style + str(s.level))
        prev = last_child.get(key)
        last_child[key] = idx
        if prev is None:
            continue
        p = sections[prev]
        if s.style == "multi" and (p.number or "").rsplit(".", 1)[0] != (s.number or "").rsplit(".", 1)[0]:
            continue
        pv, sv = _value_of(p), _value_of(s)
        if not pv or not sv:
            continue
        expected = _expected_after(p)
        if s.style == "lower_alpha" and p.number and p.number.lower() == "d" and (s.number or "").lower() in "đe":
            continue  # Vietnamese đ or Word's e both follow d
        step = sv - pv
        if step == 1 or (s.style == "lower_alpha" and 0 < step <= 1.5 and (s.number or "") == expected):
            continue
        if (s.style == "lower_alpha" and expected == (s.number or "").lower()):
            continue
        kind: Literal["repeated", "skipped", "out_of_order"] = (
            "repeated" if step == 0 else ("skipped" if step > 1 else "out_of_order")
        )
        issues.append(NumberingIssue(section=idx, kind=kind, expected=expected, found=s.marker, line=s.line))
    return issues


# ---------------------------------------------------------------------------------------------
# Everything together
# ---------------------------------------------------------------------------------------------

@dataclass(slots=True)
class Structure:
    header: Header
    sections: list[Section]
    numbering_issues: list[NumberingIssue]
    closing: Closing
    body_start: int  # block index
    body_end: int  # block index (exclusive)


_STAMP_DAY = re.compile(r"ngày\s*(?P<d>\d{1,2})\s*(?:tháng|/)\s*(?P<m>\d{1,2})(?:\s*(?:năm|/)\s*(?P<y>\d{4}))?")


def merge_stamps(doc: Document, h: Header) -> None:
    """A number or day left blank on the page and stamped by the e-signature system (the PDF
    reader's ``doc.meta["stamps"]``: text drawn by page 1's annotations, as blocks at the end of
    the view) is taken from the stamp: ``number``/``symbol`` from its "Số: 412/BC-UBND", the day
    from its "ngày 17 tháng 3" when its month (and year, if stamped) agree with the page's. Their
    spans point at the stamp's lines, and ``h.spans["stamp"]`` at the whole stamp: that is where
    they came from."""
    stamps = doc.meta.get("stamps")
    if not isinstance(stamps, list):
        return
    for st in stamps:
        i0 = st.get("block")
        if not isinstance(i0, int) or not 0 <= i0 < len(doc.blocks):
            continue
        blks = doc.blocks[i0 : i0 + len(st.get("lines", []))]
        used = False
        for b in blks:
            f = fold(b.text)
            m = _SO_RE.search(f)
            if m and (h.number is None or "number" in h.blanks):
                num = b.text[m.start("num") : m.end("num")].strip()
                sym = re.sub(r"\s+", "", b.text[m.start("sym") : m.end("sym")])
                if num and any(ch.isdigit() for ch in num) and (h.symbol is None or fold(h.symbol) == fold(sym)):
                    h.number, h.symbol = num, sym
                    s0 = b.offset + len(b.text) - len(b.text.lstrip())
                    h.number_raw = b.text[s0 - b.offset : m.end()]
                    h.spans["number_raw"] = _span(doc, s0, b.offset + m.end())
                    h.spans["symbol"] = _span(doc, b.offset + m.start("sym"), b.offset + m.end("sym"))
                    h.blanks = [x for x in h.blanks if x != "number"]
                    used = True
            d = _STAMP_DAY.search(f)
            if d and "day" in h.blanks and h.date:
                y, mo = h.date[:4], h.date[5:7]
                if (not mo or int(d.group("m")) == int(mo)) and (not d.group("y") or d.group("y") == y):
                    iso = iso_of(int(y), int(d.group("m")), int(d.group("d")))
                    if iso is not None:
                        h.date = iso
                        h.date_raw = b.text[d.start() : d.end()]
                        h.spans["date"] = _span(doc, b.offset + d.start(), b.offset + d.end())
                        h.blanks = [x for x in h.blanks if x not in ("day", "month")]
                        used = True
        if used and blks:
            h.spans["stamp"] = _span(doc, blks[0].offset, blks[-1].offset + len(blks[-1].text))
    _merge_bare_stamps(doc, h, stamps)


def _stamp_token(doc: Document, st: dict[str, Any]) -> tuple[str, Block, int] | None:
    """The one number a stamp's appearance drew (``added`` by the reader: "3858", "29"), with the
    block of the view and the index in it where it stands."""
    added = st.get("added")
    i0 = st.get("block")
    if not isinstance(added, list) or len(added) != 1 or not isinstance(i0, int):
        return None
    tok = str(added[0])
    if not tok.isdigit() or len(tok) > 7:
        return None
    for b in doc.blocks[i0 : i0 + len(st.get("lines", []))]:
        k = b.text.find(tok)
        if k >= 0:
            return tok, b, k
    return None


def _merge_bare_stamps(doc: Document, h: Header, stamps: list[Any]) -> None:
    """Signing systems that stamp the bare number into the blank of "Số:      /SNV-TCBC" and the
    bare day (and month) into "ngày    tháng 12": the number is the stamp whose rectangle also
    covers the page's "/SNV-TCBC" (or "Số"), the day and month the stamps of one or two digits
    after it, in order. Spans point at the stamped digits; ``h.spans["stamp"]`` at the first used."""
    toks = [(st, t) for st in stamps if isinstance(st, dict) and (t := _stamp_token(doc, st)) is not None]
    used: list[Block] = []
    sym = fold(h.symbol or "")
    if "number" in h.blanks and sym:
        for k, (st, (tok, b, at)) in enumerate(toks):
            around = fold(" ".join(str(x) for x in st.get("lines", [])))
            slash = [w[1:] for w in around.split() if w.startswith("/") and len(w) > 1]
            if any(sym.startswith(w) for w in slash) or re.search(r"\bsố\b", around):
                h.number = tok
                h.number_raw = tok
                h.spans["number_raw"] = _span(doc, b.offset + at, b.offset + at + len(tok))
                h.blanks = [x for x in h.blanks if x != "number"]
                used.append(b)
                toks = toks[k + 1 :]
                break
    if "day" in h.blanks and h.date and used:
        small = [(tok, b, at) for _st, (tok, b, at) in toks if len(tok) <= 2]
        y, mo = h.date[:4], h.date[5:7]
        want = 1 if mo else 2
        if len(small) >= want:
            d = int(small[0][0])
            m = int(mo) if mo else int(small[1][0])
            iso = iso_of(int(y), m, d)
            if iso is not None:
                h.date = iso
                tok, b, at = small[want - 1] if not mo else small[0]
                h.date_raw = " ".join(t for t, _, _ in small[:want])
                b0, a0 = small[0][1], small[0][2]
                h.spans["date"] = _span(doc, b0.offset + a0, b.offset + at + len(tok))
                h.blanks = [x for x in h.blanks if x not in ("day", "month")]
                used.append(b)
    if used:
        h.spans.setdefault("stamp", _span(doc, used[0].offset, used[-1].offset + len(used[-1].text)))


def parse_structure(doc: Document) -> Structure:
    header, body_start = parse_header(doc)
    merge_stamps(doc, header)
    closing, body_end = parse_closing(doc, body_start)
    sections, issues = parse_sections(doc, body_start, body_end)
    return Structure(header, sections, issues, closing, body_start, body_end)
