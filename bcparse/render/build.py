"""Rendering a Report built in code (no source text) as a complete report in the state format.

    report = new_report("doi_ngoai", {"party.members": 281, "commune.households": 1430},
                        agency=["ỦY BAN NHÂN DÂN", "XÃ BÌNH THÀNH"], place="Bình Thành",
                        date="2025-11-20", signer_name="Ma Khánh Sơn")
    text = build_text(report)

The skeleton is the one Nghị định 30/2020 sets for a báo cáo (research §3.1–3.5): agency and
"Số: …/BC-UBND", quốc hiệu and tiêu ngữ, place and date; "BÁO CÁO" and the subject; Kính gửi and
the preamble; numbered sections ("I." → "1."); the closing sentence ending in "./."; "Nơi nhận:"
with its list; the signature block. Each figure is written with its grammar rule's ``render``
phrase (grammars/*.yaml), so what the grammar reads is what the renderer writes: the property
tests parse the output back and expect the same figures.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from .. import numbers as vn
from ..edit import NOWHERE, Phrase, _figure, _proto, _set_doc, coerce_value, phrases, set_built
from ..errors import BcparseError, ValidationError
from ..grammar import Layout, chain, get_grammar
from ..models import Closing, Figure, Header, Report
from ..textview import fold

_PH = vn.PLACEHOLDER_RE

__all__ = ["build_text", "new_report", "set_built", "report_lines", "NOWHERE"]

_INT_STYLE = vn.NumStyle(thousands=".", decimal=None, decimals=0, pad=0, scale=None, unit=None)
_DEC_STYLE = vn.NumStyle(thousands=".", decimal=",", decimals=0, pad=0, scale=None, unit=None)
_MONEY_STYLE = vn.NumStyle(thousands=".", decimal=None, decimals=0, pad=0, scale=None, unit=" đồng")
_QUALIFIER_WORD = {"approx": "khoảng ", "gt": "trên ", "lt": "dưới "}

# Sections of the body: the titles and groups are data, each grammar's `layout` (docs/grammars.md):
# the shared figures (commune, party, cadres: common's layout) make section I, a report type's own
# figures make section II, one numbered part per group of key prefixes.
DEFAULT_SUBJECT = "Kết quả thực hiện nhiệm vụ"
DEFAULT_SECTION_II = "KẾT QUẢ THỰC HIỆN"


def layout(grammar: str | None) -> Layout:
    """The layout of a grammar merged over the layouts of the grammars it extends (its own wins)."""
    try:
        chain_ = chain(get_grammar(grammar)) if grammar else [get_grammar("common")]
    except BcparseError:
        chain_ = [get_grammar("common")]
    out = Layout()
    for g in chain_:  # the shared ones first
        lay = g.layout
        out = Layout(
            subject=lay.subject or out.subject, section=lay.section or out.section,
            groups=lay.groups or out.groups, profile_title=lay.profile_title or out.profile_title,
            profile_prefixes=lay.profile_prefixes or out.profile_prefixes,
            prefix_titles={**out.prefix_titles, **lay.prefix_titles})
    return out


_SKIPPED_PREFIXES = ("doc.", "ref.")



# ---------------------------------------------------------------------------------------------
# building a Report in code
# ---------------------------------------------------------------------------------------------

def new_report(grammar: str = "doi_ngoai", values: Mapping[str, Any] | None = None, *,
               records: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
               qualifiers: Mapping[str, str] | None = None,
               agency: Sequence[str] | None = None, number: int | str | None = None, symbol: str = "BC-UBND",
               place: str | None = None, date: str | None = None, subject: str | None = None,
               to: Sequence[str] | None = None, preamble: str | None = None,
               recipients: Sequence[str] | None = None, authority: Sequence[str] | None = None,
               signer_name: str | None = None) -> Report:
    """A Report with no text, from data: ``values`` maps keys to values (``doc.*`` keys fill the
    header and closing too), ``records`` maps a record id to its items (``{"gift": [{"count": 20,
    "unit": "suất", "unit_value": 500000, "donor": "…"}]}``), ``qualifiers`` maps keys to approx /
    gt / lt / none. Values are validated like :func:`bcparse.render.set_figure` validates them."""
    get_grammar(grammar)  # a clear error for an unknown grammar
    h = Header(agency=list(agency or []), number=None if number is None else str(number), symbol=symbol,
               place=place, type="BÁO CÁO", subject=subject, to=list(to or []), preamble=preamble)
    if date is not None:
        h.date = str(coerce_value(_proto("date", "doc.date"), "doc.date", date))
    c = Closing(recipients=list(recipients or []), authority=list(authority or []), signer_name=signer_name)
    r = Report(grammar=grammar, header=h, closing=c, format="built")
    quals = dict(qualifiers or {})
    for k, v in (values or {}).items():
        if k.startswith("doc."):
            _set_doc(r, k, v)
            continue
        r.figure_list.append(_figure(grammar, k, v, quals.get(k)))
    for rec_id, items in (records or {}).items():
        item = 0  # records are numbered per kind, 1-based: gift[1], gift[2] …
        ph = next((p for p in phrases(grammar) if p.record and p.key == rec_id), None)
        if ph is None:
            raise ValidationError(f"{rec_id}: the grammar {grammar} has no such record")
        for it in items:
            item += 1
            for fname, v in it.items():
                key = ph.fields.get(fname, fname if fname.startswith(rec_id + ".") else f"{rec_id}.{fname}")
                r.figure_list.append(_figure(grammar, key, v, item=item))
    return r



# ---------------------------------------------------------------------------------------------
# writing values and phrases
# ---------------------------------------------------------------------------------------------

_CURRENCY_AFTER = re.compile(r"\s*(?:đồng|đ\b|vnđ|vnd|triệu|tỷ|nghìn)", re.IGNORECASE)


def format_built(value: Any, kind: str, qualifier: str | None = None, after: str = "") -> str:
    """A value written the usual way: 1.422, 284,62, 500.000 đồng, "không có" for an explicit 0."""
    if qualifier == "none" and value == 0:
        return "không có"
    if isinstance(value, list):
        return ", ".join(str(x) for x in value)
    if isinstance(value, str) or value is None:
        if kind == "date" and isinstance(value, str) and value.count("-") == 2:
            y, m, d = value.split("-")
            return f"{d}/{m}/{y}"
        return "" if value is None else value
    q = _QUALIFIER_WORD.get(qualifier or "", "")
    if kind == "money" and isinstance(value, int):
        if _CURRENCY_AFTER.match(after):
            return q + vn.format_number(value, _INT_STYLE)
        # large round amounts the way reports write them: "2,35 tỷ đồng", "1,5 triệu đồng"
        for factor, word in ((10**9, "tỷ"), (10**6, "triệu")):
            if value >= factor and value % (factor // 1000) == 0:
                style = vn.NumStyle(thousands=".", decimal=",", decimals=0, pad=0, scale=word, unit=" đồng",
                                    scale_gap=" ")
                return q + vn.format_money(value, style)
        return q + vn.format_money(value, _MONEY_STYLE)
    style = _DEC_STYLE if isinstance(value, float) else _INT_STYLE
    return q + vn.format_number(value, style)


def _fill(template: str, values: Mapping[str, Figure | None], others: Mapping[str, Figure]) -> str:
    """A render phrase with its placeholders written; a missing one is dropped with the words that
    only serve it (" cho {recipients}", ", trị giá {unit_value}đồng/suất", "/{cadres.total}")."""
    t = template
    for name in re.findall(r"\{([a-z_.]+)\}", template):
        f = values.get(name) if name in values else others.get(name)
        if f is None or f.value is None:
            ph = re.escape("{" + name + "}")
            t = re.sub(r"/" + ph, "", t)
            t = re.sub(r"\s+(?:cho|với|của|tại|gồm)\s+" + ph + r"(?=[\s,.;:]|$)", "", t)
            t = re.sub(r",[^,{]*" + ph + r"[^,]*", "", t)
            t = re.sub(r"^" + ph + r"\s*", "", t)
            t = t.replace("{" + name + "}", "")
    out: list[str] = []
    pos = 0
    for m in re.finditer(r"\{([a-z_.]+)\}", t):
        out.append(t[pos : m.start()])
        name = m.group(1)
        f = values.get(name) if name in values else others.get(name)
        assert f is not None
        out.append(format_built(f.value, f.kind or "count", f.qualifier, t[m.end() :]))
        pos = m.end()
    out.append(t[pos:])
    return re.sub(r"\s{2,}", " ", "".join(out)).strip()


def _paragraphs(items: list[str]) -> list[str]:
    """Phrases joined into paragraphs: a phrase that opens with a capital starts a paragraph,
    the others continue the current one after a comma; a full stop ends it."""
    paras: list[str] = []
    cur: str | None = None
    for s in items:
        if not s:
            continue
        s = re.sub(r"(?:\s+gồm)?\s*:\s*$", "", s)
        ends = s.endswith(".")
        if cur is None or s[:1].isupper() or s.startswith("- "):
            if cur is not None:
                paras.append(cur)
            cur = s if not s[:1].isalpha() or s[:1].isupper() or s.startswith("- ") else s[:1].upper() + s[1:]
            if cur[:1].isdigit() or cur[:1] == "(":
                cur = "- " + cur
        else:
            cur = cur + ", " + s
        if ends:
            paras.append(cur)
            cur = None
    if cur is not None:
        paras.append(cur)
    return [p if p.endswith((".", ":", ";")) else p + "." for p in paras]


# ---------------------------------------------------------------------------------------------
# the header and closing
# ---------------------------------------------------------------------------------------------

_ADMIN = ("thành phố", "thị trấn", "thị xã", "xã", "phường", "huyện", "quận", "tỉnh")


def agency_short(agency: Sequence[str]) -> str:
    """["ỦY BAN NHÂN DÂN", "XÃ BÌNH THÀNH"] → "UBND xã Bình Thành"."""
    if not agency:
        return "UBND xã"
    lines = [a.strip() for a in agency if a.strip()]
    last = lines[-1]
    f = fold(last)
    head = ""
    if any(fold(x).replace("uỷ", "ủy").startswith(("ủy ban nhân dân", "uỷ ban nhân dân", "ubnd")) for x in lines):
        head = "UBND "
        f = re.sub(r"^(?:ủy|uỷ) ban nhân dân\s*|^ubnd\s*", "", f)
        last = last[len(last) - len(f):] if f else ""
    for a in _ADMIN:
        if f.startswith(a + " "):
            return (head + a + " " + last[len(a) + 1 :].strip().title()).strip()
    return (head + last.title()).strip() if last else head.strip() or "UBND"


def _date_line(h: Header) -> str:
    place = h.place or "……"
    d = m = y = None
    if h.date:
        parts = h.date.split("-")
        y = parts[0]
        m = int(parts[1]) if len(parts) > 1 else None
        d = int(parts[2]) if len(parts) > 2 else None
    # Nghị định 30: days below 10 and the months 1 and 2 are written with a leading zero
    ds = f"{d:02d}" if d is not None else "   "
    ms = (f"{m:02d}" if m <= 2 else str(m)) if m is not None else "   "
    ys = y or "     "
    return f"{place}, ngày {ds} tháng {ms} năm {ys}"


def _authority(c: Closing) -> list[str]:
    if c.authority:
        return list(c.authority)
    auth = (c.signer_authority or "TM.").upper()
    if not auth.endswith("."):
        auth += "."
    if auth == "TM.":
        return ["TM. ỦY BAN NHÂN DÂN", c.signer_title or "CHỦ TỊCH"]
    if auth == "KT.":
        return ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", c.signer_title or "PHÓ CHỦ TỊCH"]
    return [f"{auth} {c.signer_title or 'CHỦ TỊCH'}"]


def _subject(report: Report) -> str:
    if report.header.subject:
        return report.header.subject
    s = layout(report.grammar).subject or DEFAULT_SUBJECT
    year = (report.header.date or "")[:4]
    return f"{s} năm {year}" if year else s


# ---------------------------------------------------------------------------------------------
# the whole report
# ---------------------------------------------------------------------------------------------

def _body_groups(report: Report) -> list[tuple[str, str | None, list[str]]]:
    """(section I/II, title, paragraphs) of every group that has figures."""
    grammar = report.grammar
    phs = phrases(grammar)
    by_key: dict[str, Figure] = {}
    items: dict[str, dict[int, dict[str, Figure]]] = {}
    unknown: list[str] = []
    for f in report.figure_list:
        if not f.key or f.derived or f.key.endswith(".listed") or f.key.startswith(_SKIPPED_PREFIXES):
            continue
        if f.item is not None:
            rec = f.key.split(".", 1)[0]
            items.setdefault(rec, {}).setdefault(f.item, {})[f.key] = f
        elif f.mode == "result":  # a report built from data states results (a target has its own address)
            by_key.setdefault(f.key, f)
    known = {p.key for p in phs if not p.record}
    for k in by_key:
        if k not in known:
            unknown.append(k)
    for rec in items:
        if not any(p.record and p.key == rec for p in phs):
            unknown.append(rec)
    if unknown:
        raise ValidationError(f"the grammar {grammar or 'common'} has no render phrase for: {', '.join(sorted(unknown))}")

    def prefix(k: str) -> str:
        return k.split(".", 1)[0]

    plan: list[tuple[str, str | None, list[str]]] = []
    prefixes = list(dict.fromkeys(prefix(p.key) for p in phs))
    lay = layout(grammar)
    groups: list[tuple[str | None, list[str]]] = [(None, [px]) for px in prefixes if px in lay.profile_prefixes]
    own: list[tuple[str | None, list[str]]] = [(g.title, list(g.prefixes)) for g in lay.groups]
    covered = {px for _, pxs in own for px in pxs} | set(lay.profile_prefixes)
    own += [(lay.prefix_titles.get(px, px), [px]) for px in prefixes if px not in covered]
    for section, glist in (("I", groups), ("II", own)):
        for title, pxs in glist:
            texts: list[str] = []
            records: list[str] = []
            for p in phs:
                if prefix(p.key) not in pxs:
                    continue
                if p.record:
                    for it in sorted(items.get(p.key, {})):
                        records.append(_record_line(p, items[p.key][it]))
                    continue
                fig = by_key.get(p.key)
                if fig is None or not p.render:
                    continue
                if "{value}" not in p.render and not (fig.value == 0 and fig.qualifier == "none"):
                    raise ValidationError(f"{p.key}: the grammar's render phrase {p.render!r} has no {{value}}; "
                                          f"it cannot write {fig.value!r}")
                if fig.qualifier == "none" and not p.zero_words:
                    fig = fig.model_copy(update={"qualifier": None})  # "tổng số hộ là 0 hộ", not "là không có hộ"
                texts.append(_fill(p.render, {"value": fig}, by_key))
            paras = _paragraphs(texts) + records
            if paras:
                plan.append((section, title, paras))
    return plan


def _record_line(p: Phrase, figs: Mapping[str, Figure]) -> str:
    by_field = {fld: figs.get(key) for fld, key in p.fields.items()}
    template = p.render or " ".join("{" + f + "}" for f in p.fields)
    if "unit" in by_field and by_field["unit"] is None and "{unit}" in template:
        by_field["unit"] = Figure(key=p.fields["unit"], value="suất", kind="text", raw="", span=NOWHERE)
    total = by_field.get("total")
    if total is not None and "{total}" not in template and by_field.get("unit_value") is None:
        template += ", tổng trị giá {total}"
    line = _fill(template, by_field, {})
    line = line[:1].upper() + line[1:]
    return "- " + line + ("" if line.endswith(".") else ".")


def report_lines(report: Report) -> list[str]:
    """The built report as lines ('' = blank line), header first."""
    h, c = report.header, report.closing
    agency = list(h.agency) or ["ỦY BAN NHÂN DÂN"]
    lines: list[str] = []
    lines += agency
    number = h.number or "   "
    if number.isdigit() and len(number) == 1:
        number = "0" + number  # NĐ 30: numbers below 10 get a leading zero
    lines.append(f"Số: {number}/{h.symbol or 'BC-UBND'}")
    lines.append(h.national_title or "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    lines.append(h.motto or "Độc lập - Tự do - Hạnh phúc")
    lines.append(_date_line(h))
    lines += ["", h.type or "BÁO CÁO", _subject(report), ""]
    short = agency_short(agency)
    subject = _subject(report)
    subject_lc = subject[:1].lower() + subject[1:]
    if h.to:
        if len(h.to) == 1:
            lines += [f"Kính gửi: {h.to[0]}.", ""]
        else:
            lines.append("Kính gửi:")
            lines += [f"- {t};" for t in h.to[:-1]] + [f"- {h.to[-1]}.", ""]
    preamble = h.preamble or f"Thực hiện chỉ đạo của cấp trên, {short} báo cáo {subject_lc} như sau:"
    for p in preamble.split("\n"):
        lines += [p, ""]
    roman = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
    lay = layout(report.grammar)
    sec_titles = {"I": lay.profile_title or "ĐẶC ĐIỂM TÌNH HÌNH", "II": lay.section or DEFAULT_SECTION_II}
    plan = _body_groups(report)
    numbered: dict[str, int] = {}
    top = 0
    current: str | None = None
    for section, title, paras in plan:
        if section != current:
            current = section
            lines += [f"{roman[top]}. {sec_titles[section]}", ""]
            top += 1
        if title is not None:
            n = numbered[section] = numbered.get(section, 0) + 1
            lines += [f"{n}. {title}", ""]
        for p in paras:
            lines += [p, ""]
    lines += [f"Trên đây là báo cáo {subject_lc} của {short}./.", ""]
    recipients = list(c.recipients) or (["Như trên", "Lưu: VT"] if h.to else ["Lưu: VT"])
    lines.append("Nơi nhận:")
    lines += [f"- {r};" for r in recipients[:-1]] + [f"- {recipients[-1]}."]
    lines.append("")
    lines += _authority(c)
    if c.signer_name:
        lines += ["", c.signer_name]
    return lines


def build_text(report: Report) -> str:
    """The text of a Report built in code: a complete report in the state format."""
    return "\n".join(report_lines(report))
