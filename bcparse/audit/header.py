"""Header and document-identity checks of one report.

BC301 document number left blank, BC302 day/month/year of the date left blank, BC306 place left
blank (from the header parser's ``Header.blanks``); BC303 dates that cannot exist (anywhere in the
text); BC304 referenced documents dated after the report; BC305 ký hiệu that break the state
format of Nghị định 30/2020 (the report's own and those of the documents it cites).
"""

from __future__ import annotations

import re

from ..models import Figure, Report, Span
from ..numbers import date_problem, iso_parts, valid_iso
from ..textview import fold
from .finding import Finding, make
from .util import file_of, scalar

# ---- blanks --------------------------------------------------------------------------------------


def _at(span: Span | None) -> tuple[int | None, int | None]:
    return (span.line, span.col) if span is not None else (None, None)


def check_blanks(report: Report) -> list[Finding]:
    h = report.header
    file = file_of(report)
    out: list[Finding] = []
    if "number" in h.blanks:
        line, col = _at(h.spans.get("number_raw"))
        raw = (h.number_raw or "Số:").strip()
        out.append(make("BC301", f"document number left blank ({' '.join(raw.split())!r})", file=file,
                        line=line, col=col, keys=["doc.number"], values=[h.number], check="blank-number"))
    parts = [p for p in ("day", "month", "year") if p in h.blanks]
    if parts:
        line, col = _at(h.spans.get("date"))
        what = {"day": "day", "month": "month", "year": "year"}
        names = " and ".join(what[p] for p in parts)
        raw = " ".join((h.date_raw or "").split())
        out.append(make("BC302", f"{names} of the date left blank ({raw!r})", file=file, line=line, col=col,
                        keys=["doc.date"], values=[h.date], check="blank-date"))
    if "place" in h.blanks:
        line, _ = _at(h.spans.get("date"))
        out.append(make("BC306", "place name before the date left blank", file=file, line=line, col=1,
                        keys=["doc.place"], values=[None], check="blank-place"))
    return out


# ---- dates ---------------------------------------------------------------------------------------

_FULL_DATES = (
    re.compile(r"ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})(?:\s+năm\s+(?P<y>\d{4}))?(?!\d)"),
    re.compile(r"(?<![\d/.])(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})\s*/\s*(?P<y>(?:19|20)\d{2})(?![\d/])"),
    re.compile(r"ngày\s+(?P<d>\d{1,2})\s*[.\-]\s*(?P<m>\d{1,2})\s*[.\-]\s*(?P<y>(?:19|20)\d{2})(?!\d)"),
    re.compile(r"ngày\s+(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})(?![\d/])"),
    re.compile(r"tháng\s+(?P<m>\d{1,2})\s*(?:/\s*|năm\s+)(?P<y>(?:19|20)\d{2})(?![\d/])"),
)


def _figure_at(figs: list[Figure], line: int, col: int, end_col: int) -> Figure | None:
    for f in figs:
        if f.span.line == line and f.span.col < end_col and col < f.span.col + f.span.length:
            return f
    return None


def check_dates(report: Report) -> list[Finding]:
    out: list[Finding] = []
    file = file_of(report)
    idx = report.index
    text = fold(report.text)
    keyed = [f for f in report.figure_list if f.key]
    taken: list[tuple[int, int]] = []
    for rx in _FULL_DATES:
        for m in rx.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            gd = m.groupdict()
            y = int(gd["y"]) if gd.get("y") else None
            mo = int(gd["m"]) if gd.get("m") else None
            d = int(gd["d"]) if gd.get("d") else None
            taken.append((m.start(), m.end()))
            why = date_problem(y, mo, d)
            if why is None:
                continue
            line, col = idx.line_col(m.start())
            raw = report.text[m.start() : m.end()]
            f = _figure_at(keyed, line, col, col + len(raw))
            out.append(make("BC303", f"date {raw!r} cannot exist: {why}", file=file, line=line, col=col,
                            keys=[f.key if f else None], values=[f.value if f else raw], check="impossible-date"))
    # dates the figures carry that the text scan did not see
    for f in report.figure_list:
        if not (f.kind == "date" or (f.key or "").endswith(".date")) or not isinstance(f.value, str):
            continue
        p = iso_parts(f.value)
        if p is None or valid_iso(f.value) is not None:
            continue
        s = idx.start_of(f.span) if idx.text else None
        if s is not None and any(a <= s < b for a, b in taken):
            continue
        y, mo, d = (list(p) + [None, None])[:3]
        why = date_problem(y, mo, d) or "not a date"
        out.append(make("BC303", f"date {f.raw.strip()!r} cannot exist: {why}", file=file, line=f.span.line,
                        col=f.span.col, keys=[f.key], values=[f.value], check="impossible-date"))
    return out


def report_date(report: Report) -> tuple[tuple[int, ...], Figure | None] | None:
    f = scalar(report, "doc.date")
    for v in (report.header.date, f.value if f else None):
        p = valid_iso(v)
        if p is not None:
            return p, f
    return None


def check_ref_dates(report: Report) -> list[Finding]:
    rd = report_date(report)
    if rd is None:
        return []
    doc, docf = rd
    file = file_of(report)
    out: list[Finding] = []
    for item in report.items("ref"):
        df = item.get("ref.date")
        if df is None:
            continue
        p = valid_iso(df.value)
        if p is None:
            continue
        n = min(len(p), len(doc))
        if p[:n] <= doc[:n]:
            continue
        kind = item.get("ref.kind")
        num = item.get("ref.number")
        sym = item.get("ref.symbol")
        name = " ".join(str(x.value) for x in (kind,) if x is not None)
        ident = "/".join(str(x.value) for x in (num, sym) if x is not None)
        what = f"{name} {ident}".strip() or "a referenced document"
        doc_iso = "-".join(f"{v:02d}" if i else str(v) for i, v in enumerate(doc))
        out.append(make("BC304", f"{what} is dated {df.value}, after the report itself ({doc_iso})", file=file,
                        line=df.span.line, col=df.span.col, keys=["ref.date", "doc.date"],
                        values=[df.value, docf.value if docf else report.header.date], check="reference-after-report"))
    return out


# ---- ký hiệu -------------------------------------------------------------------------------------

#: Abbreviations of Nghị định 30/2020 (Phụ lục III) and the Prime Minister's "TTg" written in mixed case.
MIXED_CASE = frozenset({"QyĐ", "CTr", "TTr", "TrS", "TTg"})
_SEP = re.compile(r"[-/]")


def symbol_problem(raw: str) -> str | None:
    """Why a ký hiệu as written breaks the state format, or None.

    Accepted: parts of upper-case letters (Vietnamese ones and Đ included) and digits, joined by "-"
    or "/" ("BC-UBND", "QĐ-TTg", "KL/TW", "HD/BTGTW", "UBND-VP", "NQ-HĐND", "BNN-PTNT"); a part may
    mix in lower-case letters the way the decree's own abbreviations do ("TTr", "CTr", "QyĐ", "TTg",
    "SNgV": a capital first, no two lower-case letters in a row, more capitals than lower-case).
    Flagged: white space inside, an empty part ("BC-", "BC--UBND"), a character other than a
    letter, digit, "&", "-" or "/", and a part in lower case ("bc-ubnd", "Kh").
    """
    s = raw.strip()
    if not s:
        return "empty ký hiệu"
    if re.search(r"\s", s):
        return "white space inside"
    parts = _SEP.split(s)
    if any(not p for p in parts):
        return "an empty part"
    for p in parts:
        bad = [c for c in p if not (c.isalnum() or c == "&")]
        if bad:
            return f"character {bad[0]!r} in part {p!r}"
        if p in MIXED_CASE:
            continue
        letters = [c for c in p if c.isalpha()]
        lower = [c for c in letters if c.islower()]
        if not lower:
            continue
        if (p[0].islower() or any(a.islower() and b.islower() for a, b in zip(p, p[1:], strict=False))
                or len(letters) - len(lower) <= len(lower)):
            return f"part {p!r} in lower case"
    return None


# what follows a symbol that the reader stopped at: more parts glued on ("UBND-vp"), or a dangling
# separator at the end of the line ("Số: 12/BC-")
_TRAIL = re.compile(r"[-/]+[^\W_]+(?:[-/]+[^\W_]+)*[-/]*|[-/]+[ \t]*(?=\n|$)")


def check_symbols(report: Report) -> list[Finding]:
    out: list[Finding] = []
    file = file_of(report)
    idx = report.index
    seen: set[tuple[int, int]] = set()
    for f in report.figures():
        if f.key not in ("doc.symbol", "ref.symbol") or not isinstance(f.value, str):
            continue
        if (f.span.line, f.span.col) in seen:
            continue
        seen.add((f.span.line, f.span.col))
        raw = f.raw
        if re.sub(r"\s", "", raw) != re.sub(r"\s", "", f.value):
            raw = f.value  # the span does not hold the symbol alone: judge the value
        span = idx.span_of(f)
        if raw is f.raw and span is not None and report.text[span[0] : span[1]] == f.raw:
            m = _TRAIL.match(report.text, span[1])
            if m and m.group(0).strip():
                raw = f.raw + m.group(0)
        raw = raw.strip().rstrip(".,;:)")
        why = symbol_problem(raw)
        if why is None:
            continue
        whose = "the report's ký hiệu" if f.key == "doc.symbol" else "ký hiệu"
        out.append(make("BC305", f"{whose} {raw!r} breaks the state format: {why}", file=file, line=f.span.line,
                        col=f.span.col, keys=[f.key], values=[f.value], check="symbol-format"))
    return out


def check_header(report: Report) -> list[Finding]:
    return check_blanks(report) + check_dates(report) + check_ref_dates(report) + check_symbols(report)
