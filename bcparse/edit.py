"""Editing one figure of a Report: ``report.set("party.members", 281)``.

The core every edit is made of, below the renderers (``bcparse.render`` imports it; it imports
nothing from there): find the figure by its address (:func:`resolve`), check the value against the
figure's kind (:func:`coerce_value`), write it in the style the number was read in (``08`` stays
zero-padded, ``1.422`` keeps its thousands dot, ``500.000đồng`` its unit spelling, ``1,5 triệu
đồng`` its magnitude word, a date its layout: :func:`bcparse.numbers.format_value`), and splice it
into the text view (:func:`splice`): only the number's own characters change. An edit that makes
the report inconsistent (members no longer official + probationary) is allowed: the audit reports
it. A report built in code (no text) has its figure set or added (:func:`set_built`).

Keys: ``party.members`` names a figure that occurs once; ``gift[3].unit_value_vnd`` names a field
of the third record of a kind (1-based, in document order), as does ``ref[2].date``.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Context, Decimal
from typing import TYPE_CHECKING, Any

from . import limits
from . import numbers as vn
from .elements import DOC_FIELDS, Figure, Span, Value, set_doc_field, value_error
from .errors import ValidationError
from .extract import doc_figures
from .grammar import Grammar, chain, get_grammar
from .positions import TextIndex

if TYPE_CHECKING:  # the Report is only named here: it imports this module (Report.set), not the other way
    from .models import Report

__all__ = ["Edit", "apply_edit", "set_figure", "resolve", "coerce_value", "kind_of", "RECORD_KEY", "splice",
           "line_starts", "offset_of_span", "set_built", "phrases", "Phrase", "NOWHERE"]

NOWHERE = Span(line=1, col=1, length=0)  # the span of a figure that has no text yet

RECORD_KEY = re.compile(r"^(?P<rec>[a-z][a-z0-9_]*)\[(?P<n>-?\d+)\]\.(?P<field>[a-z0-9_]+(?:\.[a-z0-9_]+)*)$")
_KEY = re.compile(r"^[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+$")


@dataclass(frozen=True, slots=True)
class Edit:
    """What one edit changed in the text view: enough to make the same change in the source file."""

    key: str  # as asked ("gift[3].unit_value_vnd")
    line: int  # 1-based line of the view
    col: int  # 1-based column of the replaced text, before the edit
    old: str  # the text replaced
    new: str  # the text written
    line_text: str  # the whole line before the edit (context to find it in a .docx)
    span: Span  # the figure's span before the edit (its paragraph / table cell provenance)


# ---------------------------------------------------------------------------------------------
# finding the figure
# ---------------------------------------------------------------------------------------------

def _record_items(report: Report, rec: str) -> list[int]:
    """The item numbers of the records of one kind: 1..n, in document order (extraction numbers
    the records of each kind so, :func:`bcparse.extract.number_items`)."""
    return sorted({f.item for f in report.figure_list
                   if f.item is not None and f.key and f.key.startswith(rec + ".")})


def _unknown(report: Report, key: str) -> ValidationError:
    keys = sorted({a for f in report.figure_list if (a := f.address if f.item is None else f.key)})
    close = difflib.get_close_matches(key, keys, n=3)
    hint = f" (did you mean {', '.join(close)}?)" if close else ""
    return ValidationError(f"{key}: the report states no such figure{hint}")


def resolve(report: Report, key: str) -> int:
    """Index in ``report.figure_list`` of the figure a key names; ValidationError when none. A
    scalar read as a target, plan or comparison has the address ``key@mode``
    ("poverty.rate_pct@target"); the bare key names the result."""
    if "@" in key and "[" not in key:
        base, _, mode = key.partition("@")
        hits = [i for i, f in enumerate(report.figure_list) if f.key == base and f.mode == mode]
        if not hits:
            raise _unknown(report, key)
        return min(hits, key=lambda i: (report.figure_list[i].span.line, report.figure_list[i].span.col))
    m = RECORD_KEY.match(key)
    if m:
        rec, n, field = m.group("rec"), int(m.group("n")), m.group("field")
        items = _record_items(report, rec)
        if not items:
            raise ValidationError(f"{key}: the report has no {rec} records")
        if n not in items:
            raise ValidationError(f"{key}: the report has {len(items)} {rec} records ({rec}[{items[0]}] to "
                                  f"{rec}[{items[-1]}])")
        item = n
        full = f"{rec}.{field}"
        fields = []
        for i, f in enumerate(report.figure_list):
            if f.item == item and f.key and f.key.startswith(rec + "."):
                if f.key == full:
                    return i
                fields.append(f.key[len(rec) + 1 :])
        raise ValidationError(f"{key}: {rec}[{n}] has no {field} (it has {', '.join(sorted(set(fields)))})")
    if not _KEY.match(key):
        raise ValidationError(f"{key!r} is not a key such as party.members or gift[3].unit_value_vnd")
    hits = [i for i, f in enumerate(report.figure_list) if f.key == key and (f.mode == "result" or f.item is not None)]
    if not hits:
        raise _unknown(report, key)
    hit_items = {report.figure_list[i].item for i in hits}
    if len(hits) > 1 and len(hit_items) > 1:
        rec = key.split(".", 1)[0]
        n = len(_record_items(report, rec))
        first = min((report.figure_list[i] for i in hits), key=lambda f: (f.span.line, f.span.col))
        raise ValidationError(f"{key} is a field of {n} {rec} records: name one by its address as "
                              f"`bcparse figures` prints it, e.g. {first.address}")
    return min(hits, key=lambda i: (report.figure_list[i].span.line, report.figure_list[i].span.col))


# ---------------------------------------------------------------------------------------------
# validation
# ---------------------------------------------------------------------------------------------

def kind_of(f: Figure) -> str:
    """How a figure's value validates: count | money | percent | number | date | text | list."""
    k = f.kind or ""
    if f.key and f.key.endswith("_vnd") or k == "money":
        return "money"
    if k == "rate":
        unit = (f.unit or "") + " " + str((f.style or {}).get("unit") or "")
        return "money" if re.search(r"đ|vnd", unit, re.IGNORECASE) else "number"
    if k in ("count", "fraction"):
        return "count"
    if k == "number":
        return "count" if isinstance(f.value, int) and not isinstance(f.value, bool) and (f.value or 0) >= 0 \
            else "number"
    if k in ("percent", "decimal", "date", "text", "list"):
        return "number" if k == "decimal" else k
    if isinstance(f.value, bool):
        return "text"
    if isinstance(f.value, int):
        return "count"
    if isinstance(f.value, float):
        return "number"
    if isinstance(f.value, list):
        return "list"
    return "text"


_GROUPED = re.compile(r"^\d{1,3}(?:([._ ,])\d{3})(?:\1\d{3})*$")


def _int_from_str(s: str) -> int | None:
    t = s.strip().replace("_", "")
    if re.fullmatch(r"[+-]?\d+", t):
        return int(t)
    if _GROUPED.match(t):
        return int(re.sub(r"\D", "", t))
    return None


def _number_from_str(s: str) -> int | float | None:
    t = s.strip().replace("_", "")
    i = _int_from_str(t)
    if i is not None:
        return i
    try:
        v = float(t)
    except ValueError:
        try:
            v2, _ = vn.parse_number(t.lstrip("+-"))
        except ValueError:
            return None
        return -v2 if t.startswith("-") else v2
    return v if math.isfinite(v) else None


def _iso_date(value: Any) -> str | None:
    if isinstance(value, _dt.datetime):
        value = value.date()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if not isinstance(value, str):
        return None
    t = value.strip()
    parts = vn.iso_parts(t)
    if parts is not None and len(parts) >= 2:  # "2024-11-08", "2024-11"
        if vn.valid_iso(t) is None:
            return None
        return "-".join(f"{v:02d}" if i else f"{v:04d}" for i, v in enumerate(parts))
    try:
        return vn.parse_date(t)
    except ValueError:
        return None


def coerce_value(f: Figure, key: str, value: Any, *, lists: bool = False) -> Value:
    """``value`` checked against the figure's kind (strings from the command line are read);
    ValidationError with a one-line message when it does not fit."""
    kind = kind_of(f)
    shown = repr(value) if not isinstance(value, str) else repr(value.strip())
    if len(shown) > 60:
        shown = shown[:40] + f"… ({len(shown)} characters)"
    if isinstance(value, bool):
        raise ValidationError(f"{key}: {value!r} is not a value for a {kind}")
    maxd = limits.current().max_number_digits
    if kind in ("count", "money", "percent", "number") and isinstance(value, str) \
            and sum(c.isdigit() for c in value) > maxd:
        raise ValidationError(f"{key}: {sum(c.isdigit() for c in value)} digits; a number in a report "
                              f"has at most {maxd}")
    v = _coerce(f, key, value, kind, shown, lists)
    err = value_error(_VALIDATES_AS.get(kind, kind), v, key)  # the check every figure passes (models.py)
    if err is not None:
        raise ValidationError(err)
    return v


# how an edit kind validates in models.value_error
_VALIDATES_AS = {"count": "count", "money": "money", "percent": "percent", "number": "number"}


def _coerce(f: Figure, key: str, value: Any, kind: str, shown: str, lists: bool) -> Value:
    if kind in ("count", "money"):
        v: Any = value
        if isinstance(value, str):
            v = _int_from_str(value)
            if v is None and kind == "money":
                try:
                    v = vn.parse_money(value.strip())[0]
                except ValueError:
                    v = None
        elif isinstance(value, float) and value.is_integer():
            v = int(value)
        what = "a count" if kind == "count" else "an amount of money (VND)"
        if not isinstance(v, int) or v < 0:
            raise ValidationError(f"{key}: {what} must be a whole number ≥ 0, got {shown}")
        return v
    if kind in ("percent", "number"):
        v = _number_from_str(value) if isinstance(value, str) else value
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
            what = "a percentage" if kind == "percent" else "a number"
            raise ValidationError(f"{key}: {what} must be a number ≥ 0, got {shown}")
        return v
    if kind == "date":
        iso = _iso_date(value)
        if iso is None:
            raise ValidationError(f"{key}: {shown} is not a real date (write it as YYYY-MM-DD)")
        return iso
    if kind == "list":
        if not lists:
            raise ValidationError(f"{key}: a list of names cannot be set in a report's text; edit the text itself")
        if isinstance(value, str):
            value = [x for x in re.split(r"[,;]", value)]
        items = [str(x).strip() for x in value] if isinstance(value, list | tuple) else []
        if not items or not all(items) or any("\n" in x for x in items):
            raise ValidationError(f"{key}: a list must hold one or more non-empty names, got {shown}")
        return items
    if not isinstance(value, str) and not isinstance(value, int | float):
        raise ValidationError(f"{key}: {shown} is not text")
    s = str(value).strip()
    if not s or "\n" in s or "\r" in s:
        raise ValidationError(f"{key}: the text must be one non-empty line")
    return s


# ---------------------------------------------------------------------------------------------
# writing the number
# ---------------------------------------------------------------------------------------------

_DEFAULT = vn.NumStyle(thousands=".", decimal=None, decimals=0, pad=0, scale=None, unit=None)


def _quantity_of(report: Report, f: Figure) -> vn.Quantity | None:
    """The figure as a Quantity with its number offsets and style: from the figure itself, or
    (a Report read back from JSON keeps neither) found again in its line."""
    a = report.start_of(f.span)
    b = a + f.span.length
    if f.num_start is not None and f.num_end is not None and (f.style is not None or f.qualifier == "none"):
        style = vn.NumStyle(**f.style) if f.style is not None else _DEFAULT
        value = f.value if not isinstance(f.value, list) else None
        if f.kind in ("number", "decimal") and not style.scale and not style.words and f.qualifier != "none":
            # a value converted from the unit written ("4,02 km2" read as 402 ha): the number as written
            try:
                value = vn.parse_number(report.text[f.num_start:f.num_end])[0]
            except ValueError:
                pass
        return vn.Quantity(start=a, end=b, raw=report.text[a:b], value=value, kind=f.kind or "number", unit=f.unit,
                           qualifier=f.qualifier,
                           num_start=f.num_start, num_end=f.num_end, style=style)
    ls = report.index.line_start(report.index.line_of(a))
    le = report.text.find("\n", ls)
    le = len(report.text) if le < 0 else le
    best: vn.Quantity | None = None
    for q in vn.find_quantities(report.text[ls:le]):
        qs, qe = ls + q.num_start, ls + q.num_end
        if a <= qs and qe <= max(b, a + 1):
            same = q.value == f.value or (q.qualifier == "none" and f.qualifier == "none")
            if best is None or same:
                best = vn.Quantity(start=ls + q.start, end=ls + q.end, raw=q.raw, value=q.value, kind=q.kind,
                                   unit=q.unit, qualifier=q.qualifier, num_start=qs, num_end=qe, style=q.style)
                if same:
                    break
    if best is None:  # a table cell holding a bare number ("0,5" under "(triệu đồng)")
        m = re.search(r"\d(?:[\d.,]*\d)?", report.text[a:b])
        if m is not None:
            try:
                v, style = vn.parse_number(m.group(0))
            except ValueError:
                return None
            best = vn.Quantity(start=a, end=b, raw=report.text[a:b], value=v, kind="number", unit=None,
                               qualifier=None, num_start=a + m.start(), num_end=a + m.end(), style=style)
    return best


def _scaled(q: vn.Quantity, f: Figure, value: Value) -> str | None:
    """The new number for a figure whose value is the written number times a magnitude the text
    states elsewhere (a column headed "(triệu đồng)"): written in the same magnitude."""
    if not isinstance(q.value, int | float) or not isinstance(f.value, int | float) or not q.value:
        return None
    if not isinstance(value, int | float) or f.value == q.value:
        return None
    ratio = f.value / q.value
    # a magnitude stated elsewhere (10**3 … 10**9) or a unit converted ("4,02 km2" read as 402 ha)
    for factor in (Decimal(10) ** p for p in range(-6, 10)):
        if abs(ratio - float(factor)) <= 1e-6 * float(factor):
            d = _EXACT.divide(Decimal(str(value)), factor).normalize(_EXACT)
            return vn.format_number(d, q.style)  # type: ignore[arg-type]
    raise ValidationError(f"{f.key}: the text {q.raw!r} does not read {f.value!r}; cannot rewrite it")


def _number_text(q: vn.Quantity, f: Figure, value: Value) -> str:
    """What to write at [q.num_start, q.num_end) for ``value``."""
    if (f.qualifier == "none" or q.qualifier == "none") and value == 0:
        return ""  # "không có" already says 0: the text stays as it is
    try:
        if f.qualifier == "none" or q.qualifier == "none":
            return vn.format_number(value, _DEFAULT)  # type: ignore[arg-type]
        return vn.format_value(q, value)  # type: ignore[arg-type]
    except ArithmeticError:  # a float too large for any report (1e300)
        raise ValidationError(f"{f.key}: {value!r} is too large to write in a report") from None
    except ValueError as e:
        raise ValidationError(f"{f.key}: {e}") from None


_NUMBER_IN_SO = re.compile(r"^(?P<head>số\s*[:.]?)(?P<blank>[\s.…_]*?)(?P<num>[0-9][0-9a-z.]*)?(?P<tail>\s*)(?=/)",
                           re.IGNORECASE)


def _target(report: Report, f: Figure, key: str, value: Value, kind: str) -> tuple[int, int, str]:
    """(start, end, text) of the edit in the view."""
    a = report.start_of(f.span)
    b = a + f.span.length
    if f.key == "doc.number":
        m = _NUMBER_IN_SO.match(report.text[a:b])
        if m is None:
            raise ValidationError(f"{key}: cannot find the number in {report.text[a:b]!r}")
        n = _int_from_str(str(value))
        written = f"{n:02d}" if n is not None else str(value)  # NĐ 30: numbers below 10 get a leading 0
        if m.group("num"):
            old = m.group("num")
            if n is not None and old.isdigit() and len(old) > 2:
                written = f"{n:0{len(old)}d}" if old.startswith("0") else str(n)
            return a + m.start("num"), a + m.end("num"), written
        return a + m.start("blank"), a + m.end("tail"), " " + written
    if kind == "text":
        return a, b, str(value)
    if kind == "date" and f.num_start is None:
        try:
            return a, b, vn.format_date(str(value), report.text[a:b])
        except ValueError as e:
            raise ValidationError(f"{key}: {e}") from None
    q = _quantity_of(report, f)
    if q is None:
        raise ValidationError(f"{key}: cannot find the number in {f.raw!r}")
    scaled = _scaled(q, f, value) if q.style is not None and f.qualifier != "none" else None
    factor = Decimal(1)
    if scaled is not None:
        written = scaled
        assert isinstance(q.value, int | float) and isinstance(f.value, int | float)
        factor = Decimal(round(f.value / q.value))
    else:
        written = _number_text(q, f, value)
        if q.kind != "date" and q.style.scale and not q.style.compound \
                and not (f.qualifier == "none" or q.qualifier == "none"):
            factor = Decimal(vn.scale_factor(q.style))
    if written == "":
        return q.num_start, q.num_start, ""
    _check_reads_back(key, q, written, value, factor)
    return q.num_start, q.num_end, written


_EXACT = Context(prec=120)  # the default context's 28 digits would round a 29-digit count


def _check_reads_back(key: str, q: vn.Quantity, written: str, value: Value, factor: Decimal) -> None:
    """The written number must read back as the value set (no rounding, no digits past what the
    numbers module reads); ValidationError otherwise, before anything is written."""
    try:
        if q.kind == "date":
            back: Any = vn.parse_date(written)
            ok = back == value
        else:
            if q.style.compound:  # "9 tỷ 200 triệu": both magnitudes written
                back = vn.parse_placeholder("money", written).value
            else:
                back = vn.parse_words(written) if q.style.words else vn.parse_number(written)[0]
            d = _EXACT.multiply(Decimal(repr(back)) if isinstance(back, float) else Decimal(back), factor)
            ok = d == value if isinstance(value, int) else isinstance(value, float) and float(d) == value
    except (ValueError, ArithmeticError):
        raise ValidationError(f"{key}: {value!r} cannot be written so that it reads back "
                              f"(at most {limits.current().max_number_digits} digits)") from None
    if not ok:
        raise ValidationError(f"{key}: {value!r} would be written {written!r}, which reads {back!r}")


# ---------------------------------------------------------------------------------------------
# the edit
# ---------------------------------------------------------------------------------------------

def _rederive(out: Report, item: int | None) -> None:
    """Recompute derived figures (a gift's total = count x unit value) of the edited record."""
    if item is None:
        return
    figs = [f for f in out.figure_list if f.item == item]
    for d in figs:
        if not d.derived or not d.key:
            continue
        rec = d.key.split(".", 1)[0]
        factors = [f for f in figs if not f.derived and f.key in (f"{rec}.count", f"{rec}.unit_value_vnd")]
        if len(factors) == 2:
            x, y = factors[0].value, factors[1].value
            if isinstance(x, int | float) and isinstance(y, int | float):
                d.value = int(x * y)


def apply_edit(report: Report, key: str, value: Any) -> tuple[Report, Edit | None]:
    """A new Report with one figure set, and what changed in the text (None for a built report,
    which has no text: its figure is set, or added when the grammar knows the key)."""
    if not report.text:
        return set_built(report, key, value), None
    idx = resolve(report, key)
    f = report.figure_list[idx]
    if f.derived:
        raise ValidationError(f"{key} is computed from the record's other figures, not written in the report; "
                              "set the figures it is computed from")
    if (f.rule or "").endswith(".listed"):
        raise ValidationError(f"{key} counts the items the text lists, it is not written as a number; "
                              "edit the list itself")
    kind = kind_of(f)
    v = coerce_value(f, key, value)
    s, e, written = _target(report, f, key, v, kind)
    old = report.text[s:e]
    line, col = report.index.line_col(s)
    line_text = report.index.line_text(line)
    out = splice(report, s, e, written) if (s, e, written) != (s, s, "") else report.model_copy(deep=True)
    g = out.figure_list[idx]
    if g.key in DOC_FIELDS:  # its value lives in the header or closing; the figure is derived from it
        if not isinstance(getattr(out.header if DOC_FIELDS[g.key][0] == "header" else out.closing,
                                  DOC_FIELDS[g.key][1]), list):  # agency lines: the splice patched them
            set_doc_field(out.header, out.closing, g.key, v)
        derived = {d.key: d for d in doc_figures(out.text, out.header, out.closing)}
        out.figure_list = [derived[d.key].model_copy(update={"section": d.section})
                           if d.key in DOC_FIELDS and d.key in derived else d for d in out.figure_list]
        g = out.figure_list[idx]
    g.value = v  # (the value just stored, for the doc.* fields)
    if f.num_start is not None:
        # a number two rules read (a gift's value and its total from the same words) changes for both
        for other in out.figure_list:
            if other is not g and other.num_start == g.num_start and other.num_end == g.num_end \
                    and not other.derived and kind_of(other) == kind:
                other.value = v
    if written and g.qualifier == "none":
        g.qualifier = None
    _rederive(out, g.item)
    edit = Edit(key=key, line=line, col=col, old=old, new=written, line_text=line_text, span=f.span)
    return out, (edit if (old != written) else None)


def set_figure(report: Report, key: str, value: Any) -> Report:
    """A new Report whose text has only that figure's number replaced, written in its own style;
    spans after it on the same line are shifted. ValidationError (one line) when the key names no
    figure or the value does not fit its kind (a count is a whole number ≥ 0, money an int ≥ 0,
    a percentage a number, a date a real date)."""
    return apply_edit(report, key, value)[0]


# ---------------------------------------------------------------------------------------------
# positions
# ---------------------------------------------------------------------------------------------

def line_starts(text: str) -> list[int]:
    """Offsets of the first character of every line of ``text`` (line 1 first): the starts of
    its :class:`~bcparse.positions.TextIndex` (``report.index``), kept for callers of old."""
    return TextIndex(text).starts


def offset_of_span(starts: list[int], span: Span) -> int:
    """The view offset a span starts at: its offset (``starts`` is used only for a span that
    has none, from a report built in code)."""
    if span.offset is not None:
        return span.offset
    if span.line > len(starts):
        raise ValidationError(f"span line {span.line} is beyond the end of the text ({len(starts)} lines)")
    return starts[span.line - 1] + span.col - 1


# ---------------------------------------------------------------------------------------------
# splice
# ---------------------------------------------------------------------------------------------

def _patch_str(value: str, old: str, start: int, end: int, new: str) -> str:
    """``value`` with [start, end) of ``old`` replaced, when ``value`` quotes ``old`` over that
    stretch (a literal substring of the text covering it); else ``value`` unchanged."""
    if not value or len(value) < end - start:
        return value
    i = old.find(value, max(0, end - len(value)))
    while 0 <= i <= start:
        if i + len(value) >= end:
            return value[: start - i] + new + value[end - i :]
        i = old.find(value, i + 1)
    return value


def splice(report: Report, start: int, end: int, new: str) -> Report:
    """A copy of ``report`` whose text has [start, end) replaced by ``new``, everything that
    points into the text moved along: each span's offset moves, its line and column are read from
    the new text's position index. The replaced stretch and ``new`` stay on one line."""
    old = report.text
    if not 0 <= start <= end <= len(old):
        raise ValidationError(f"offsets {start}..{end} are outside the text (length {len(old)})")
    if "\n" in new or "\n" in old[start:end]:
        raise ValidationError("an edit must stay on one line of the text view")
    out = report.model_copy(deep=True)
    text = old[:start] + new + old[end:]
    out.text = text
    delta = len(new) - (end - start)
    if delta == 0 and old[start:end] == new:
        return out
    old_index = report.index
    index = out.index  # the new text's one position index: every moved span's line and column
    new_end = start + len(new)

    def move(x: int, is_end: bool) -> int:
        if x <= start:
            return x
        if x >= end:
            return x + delta
        return new_end if is_end else start

    def touches(a: int, b: int) -> bool:
        return a < end and b > start or (a <= start and b >= end)

    def respan(sp: Span) -> tuple[Span, bool]:
        a = old_index.start_of(sp)
        if a is None:
            raise ValidationError(f"span line {sp.line} is beyond the end of the text ({len(old_index)} lines)")
        b = a + sp.length
        if b <= start and (b < start or a < start):  # wholly before the edit
            return (sp if sp.offset is not None else sp.model_copy(update={"offset": a})), False
        na, nb = move(a, False), move(b, True)
        line, col = index.line_col(na)
        hit = not (a > end) and touches(a, b)
        return sp.model_copy(update={"offset": na, "line": line, "col": col, "length": nb - na}), hit

    patch: Callable[[str], str] = lambda v: _patch_str(v, old, start, end, new)  # noqa: E731

    for f in out.figure_list:
        f.span, hit = respan(f.span)
        if f.num_start is not None:
            f.num_start = move(f.num_start, False)
        if f.num_end is not None:
            f.num_end = move(f.num_end, True)
        if hit:
            a = f.span.offset or 0
            f.raw = text[a : a + f.span.length]
            if isinstance(f.value, str) and f.kind == "text":
                f.value = patch(f.value)
    for s in out.sections:
        s.span, hit = respan(s.span)
        if hit:
            s.title = patch(s.title)
            if s.body is not None:
                s.body = patch(s.body)
    for holder in (out.header, out.closing):
        spans: dict[str, Span] = holder.spans
        for k, sp in list(spans.items()):
            spans[k], _ = respan(sp)
        _patch_fields(holder, patch)
    return out


def _patch_fields(model: Any, patch: Callable[[str], str]) -> None:
    for name in type(model).model_fields:
        if name in ("spans", "blanks"):
            continue
        v = getattr(model, name)
        if isinstance(v, str):
            setattr(model, name, patch(v))
        elif isinstance(v, list) and v and all(isinstance(x, str) for x in v):
            setattr(model, name, [patch(x) for x in v])


# ---------------------------------------------------------------------------------------------
# a report built in code (no text): what the grammar says it can hold
# ---------------------------------------------------------------------------------------------

_PH = vn.PLACEHOLDER_RE
_KIND_OF_PLACEHOLDER = {
    "int": "count", "count": "count", "none": "count", "fraction": "fraction", "num": "number",
    "decimal": "decimal", "money": "money", "percent": "percent", "rate": "rate", "date": "date",
    "list": "list", "name": "text", "text": "text", "docref": "text",
}

@dataclass(slots=True)
class Phrase:
    key: str  # the figure key, or the record id
    render: str | None
    kind: str
    grammar: str
    unit: str | None = None
    record: bool = False
    zero_words: bool = False  # the patterns read "không có" as 0 ({count} / {none})
    fields: dict[str, str] = field(default_factory=dict)  # record: field → key
    field_kinds: dict[str, str] = field(default_factory=dict)  # record: field → kind


def _first_kind(patterns: Iterable[str], want: str | None) -> str:
    for p in patterns:
        for m in _PH.finditer(p):
            if m.group("field") == want and m.group("type") in _KIND_OF_PLACEHOLDER:
                return _KIND_OF_PLACEHOLDER[m.group("type")]
    return "count"


def phrases(grammar_id: str | None) -> list[Phrase]:
    """Every figure a grammar (and those it extends) can write, in the order of its rules."""
    gs: list[Grammar] = chain(get_grammar(grammar_id or "common"))
    out: list[Phrase] = []
    for g in gs:
        counted = {c.key for c in g.counts}
        hatch_zero: set[str] = set()  # counted keys whose escape-hatch pattern reads "không có"
        for r in g.figures:
            zero = any(m.group("type") in ("count", "none") and not m.group("field")
                       for p in r.patterns for m in _PH.finditer(p))
            if r.key and r.key in counted:
                # an escape-hatch pattern of a declared count: written by the count's phrase
                if zero:
                    hatch_zero.add(r.key)
                continue
            if r.key:
                kind = "money" if r.key.endswith("_vnd") else _first_kind(r.patterns, None)
                out.append(Phrase(r.key, r.render, kind, g.id, unit=r.unit, zero_words=zero))
            for c in r.patterns:
                for m in _PH.finditer(c):
                    fk = m.group("field")
                    if fk and "." in fk and not any(p.key == fk for p in out):
                        out.append(Phrase(fk, None, _KIND_OF_PLACEHOLDER.get(m.group("type"), "count"), g.id))
        for cr in g.counts:
            if not any(p.key == cr.key for p in out):
                kind = "money" if cr.key.endswith("_vnd") else "number" if "decimal" in cr.kinds else (
                    "count" if cr.kinds[0] == "number" else cr.kinds[0])
                out.append(Phrase(cr.key, cr.render, kind, g.id, unit=cr.unit, zero_words=cr.key in hatch_zero))
        for lr in g.lists:
            out.append(Phrase(lr.key, lr.render, "list", g.id))
        for rec in g.records:
            kinds: dict[str, str] = {}
            for p in [*rec.patterns, *rec.values]:
                for m in _PH.finditer(p):
                    if m.group("field"):
                        kinds.setdefault(m.group("field"), _KIND_OF_PLACEHOLDER.get(m.group("type"), "count"))
                for m in re.finditer(r"\(\?P<([a-z_]+)>", p):
                    kinds.setdefault(m.group(1), "text")
            for extra in ("donor", "recipients"):
                kinds.setdefault(extra, "text")
            fields = {f: rec.fields.get(f, f"{rec.id}.{f}") for f in kinds}
            for f, k in list(kinds.items()):
                if k == "rate" or fields[f].endswith("_vnd"):
                    kinds[f] = "money"
            out.append(Phrase(rec.id, rec.render, "record", g.id, record=True, fields=fields, field_kinds=kinds))
    return out


def _phrase_for(grammar_id: str | None, key: str) -> tuple[Phrase, str | None] | None:
    """The phrase of a scalar key, or (record phrase, field) of a record key ("gift.count")."""
    for p in phrases(grammar_id):
        if p.record:
            for f, k in p.fields.items():
                if k == key:
                    return p, f
        elif p.key == key:
            return p, None
    return None


# ---------------------------------------------------------------------------------------------
# building a Report in code
# ---------------------------------------------------------------------------------------------

def _proto(kind: str, key: str) -> Figure:
    return Figure(key=key, kind="money" if kind == "money" else kind, raw="", span=NOWHERE)


def _figure(grammar_id: str | None, key: str, value: Any, qualifier: str | None = None,
            item: int | None = None) -> Figure:
    found = _phrase_for(grammar_id, key)
    if found is None:
        raise ValidationError(f"{key}: the grammar {grammar_id or 'common'} has no such figure")
    ph, fld = found
    kind = ph.field_kinds.get(fld, "text") if fld else ph.kind
    if qualifier == "none":
        value = 0 if value is None else value
    v = coerce_value(_proto(kind, key), key, value, lists=True)
    if qualifier == "none" and v != 0:
        raise ValidationError(f"{key}: the qualifier 'none' (không có) means 0, got {v!r}")
    if qualifier not in (None, "approx", "gt", "lt", "none"):
        raise ValidationError(f"{key}: unknown qualifier {qualifier!r} (approx, gt, lt or none)")
    return Figure(key=key, value=v, kind=kind, qualifier=qualifier, unit=ph.unit, item=item, raw="",  # type: ignore[arg-type]
                  span=NOWHERE, rule=f"{ph.grammar}:{ph.key}")


def _set_doc(report: Report, key: str, value: Any) -> None:
    """A doc.* value of a built report, checked, into its header or closing field."""
    part, name = DOC_FIELDS[key]
    if name == "date":
        v: Any = coerce_value(_proto("date", key), key, value)
    elif name in ("agency", "recipients"):
        v = [str(x) for x in value] if isinstance(value, list | tuple) else [str(value)]
    else:
        v = coerce_value(_proto("text", key), key, value)
    set_doc_field(report.header, report.closing, key, v)


def set_built(report: Report, key: str, value: Any) -> Report:
    """set_figure for a Report with no text: the figure is set, or added when the grammar has it."""
    out = report.model_copy(deep=True)
    if key.startswith("doc."):
        if key not in DOC_FIELDS:
            raise ValidationError(f"{key}: not a header or closing figure")
        _set_doc(out, key, value)
        return out
    m = RECORD_KEY.match(key)
    if m:
        rec, n, fld = m.group("rec"), int(m.group("n")), m.group("field")
        items = sorted({f.item for f in out.figure_list if f.item is not None and (f.key or "").startswith(rec + ".")})
        if not 1 <= n <= len(items) + 1:
            raise ValidationError(f"{key}: the report has {len(items)} {rec} records; the next one is {rec}[{len(items) + 1}]")
        item = items[n - 1] if n <= len(items) else max(items, default=0) + 1
        ph = next((p for p in phrases(out.grammar) if p.record and p.key == rec), None)
        full = ph.fields.get(fld, f"{rec}.{fld}") if ph else f"{rec}.{fld}"
        new = _figure(out.grammar, full, value, item=item)
        out.figure_list = [f for f in out.figure_list if not (f.item == item and f.key == full)] + [new]
        return out
    old = next((f for f in out.figure_list if f.key == key), None)
    new = _figure(out.grammar, key, value, None if old is None or old.qualifier == "none" else old.qualifier)
    if old is not None and old.qualifier == "none" and new.value == 0:
        new.qualifier = "none"
    out.figure_list = [f for f in out.figure_list if f.key != key] + [new]
    return out

