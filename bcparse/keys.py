"""The key vocabulary: what each figure key is called in Vietnamese and what it holds.

Labels and descriptions are data, in the ``keys:`` part of each grammar file (docs/grammars.md): a
key is labelled in the grammar that declares it, the header's and closing's ``doc.*`` keys and the
references' ``ref.*`` keys in ``common``. Exports, the HTML view and ``bcparse keys`` read them here.

>>> label("party.members")
'Số đảng viên'
>>> label("poverty.rate_pct@target")
'Tỷ lệ hộ nghèo (%) (chỉ tiêu)'
>>> label("gift.count[1]")
'Số suất quà'
>>> label("no.such_key")
'no.such_key'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .elements import DOC_FIELDS
from .grammar import declared_keys, load_grammars

#: how a figure's mode reads after its label (docs/figures.md, "mode")
MODE_LABELS = {"result": "kết quả", "target": "chỉ tiêu", "plan": "kế hoạch", "comparison": "so sánh"}

_ADDRESS = re.compile(r"^(?P<key>[a-z][a-z0-9_.]*?)(?:\[\d+\])?(?:@(?P<mode>[a-z]+))?$")


#: the unit a key's name promises (docs/grammars.md: money keys end in ``_vnd`` and hold whole đồng)
UNIT_SUFFIXES = {"_vnd": "đồng", "_pct": "%", "_ha": "ha", "_km": "km", "_t": "tấn"}
_TABLE_KINDS = {"int": "count", "num": "number", "money": "money", "text": "text"}


@dataclass(frozen=True)
class KeyInfo:
    key: str
    label: str
    description: str
    grammars: tuple[str, ...]  # ids of the grammars that give the key (first: where it is labelled)
    kind: str = "text"  # what its value is: count, number, decimal, money, percent, rate, fraction, date, text, list
    unit: str | None = None  # the unit its value is in (the rule's, the counted noun, or its name's suffix)
    record: bool = False  # a field of a repeated record (gift[2].count): many per report


def catalogue() -> dict[str, KeyInfo]:
    """Every key the loaded grammars and the header/closing give, in grammar order, with its
    label (the key itself where no grammar labels it: a user grammar may leave labels out)."""
    gs = load_grammars()
    ids = tuple(id(g) for g in gs)
    if _CACHE[0] == ids:
        return _CACHE[1]
    docs: dict[str, tuple[str, str]] = {}
    for g in gs:
        for k, d in g.keys.items():
            docs.setdefault(k, (d.label, d.description))
    from .grammar import _declared

    givers: dict[str, list[str]] = {}
    for g in gs:
        for k in sorted(_declared([g])):
            givers.setdefault(k, []).append(g.id)
    common = [g.id for g in gs if g.id == "common"]
    for k in DOC_FIELDS:
        givers.setdefault(k, list(common))
    order = [*DOC_FIELDS, *sorted(k for k in declared_keys() if k.startswith("ref.")),
             *(k for k in docs if k not in DOC_FIELDS and not k.startswith("ref.")),
             *sorted(declared_keys())]
    kinds = _kinds(gs)
    out: dict[str, KeyInfo] = {}
    for k in order:
        if k in out or (k not in givers and k not in DOC_FIELDS):
            continue
        lab, desc = docs.get(k, (k, ""))
        kind, unit, record = kinds.get(k, ("text", None, False))
        unit = unit or ("đồng" if kind == "money" else _suffix_unit(k))
        out[k] = KeyInfo(k, lab, desc, tuple(givers.get(k, ())), kind, unit, record)
    _CACHE[0], _CACHE[1] = ids, out
    return out


def _suffix_unit(key: str) -> str | None:
    return next((u for suf, u in UNIT_SUFFIXES.items() if key.endswith(suf)), None)


def _kinds(gs: list[Any]) -> dict[str, tuple[str, str | None, bool]]:
    """key → (kind, unit, record) as the grammar rules say: the kind of a pattern's placeholder,
    a count rule's quantity kinds, a table column's type, money for ``*_vnd``; the unit a rule
    names, or a count rule's counted noun (what the number counts: "hộ", "đảng viên")."""
    from .edit import phrases  # the figures a grammar can write, each with its kind

    out: dict[str, tuple[str, str | None, bool]] = {k: ("text", None, False) for k in DOC_FIELDS}
    out["doc.date"] = ("date", None, False)
    out["doc.recipients"] = ("list", None, False)
    for f in ("kind", "number", "symbol", "date"):
        out[f"ref.{f}"] = ("date" if f == "date" else "text", None, True)
    for g in gs:
        nouns = {c.key: c.unit or (c.noun[0] if c.kinds[0] == "count" and not _suffix_unit(c.key) else None)
                 for c in g.counts}
        for ph in phrases(g.id):
            if ph.record:
                for fld, k in ph.fields.items():
                    out.setdefault(k, (ph.field_kinds.get(fld, "text"), None, True))
            else:
                out.setdefault(ph.key, (ph.kind, ph.unit or nouns.get(ph.key), False))
        for r in g.figures:
            if r.key and r.listed is not None:
                out.setdefault(f"{r.key}.listed", ("count", out.get(r.key, ("", None, False))[1], False))
        for t in g.tables:
            for col in t.columns:
                kind = _TABLE_KINDS[t.types.get(col, "text")]
                key = t.fields.get(col, f"{t.record}.{col}")
                out.setdefault(key, ("money" if key.endswith("_vnd") else kind, None, True))
                out.setdefault(f"{t.record}.table_total.{col}", (kind, None, False))
    return out


_CACHE: list[Any] = [None, {}]  # [grammar object ids, catalogue]: the loader caches its Grammar objects


def label(address: str) -> str:
    """The Vietnamese label of a key or a figure address (``key``, ``key[i]``, ``key@mode``);
    the address itself when no grammar labels it."""
    m = _ADDRESS.match(address)
    if m is None:
        return address
    info = catalogue().get(m.group("key"))
    if info is None:
        return address
    mode = m.group("mode")
    return f"{info.label} ({MODE_LABELS.get(mode, mode)})" if mode and mode != "result" else info.label
