"""The real development corpus, half B (tests/data/real/43x-45x): foreign affairs, Tết gifts and
social support, Party building, commune profiles, cadres.

Each text is stored as ``NNN_slug.txt`` (UTF-8, NFC) with ``NNN_slug.meta.json`` (its source and
what was removed) and ``NNN_slug.gold.json`` (hand-labelled expected values, in the format of the
entries of tests/data/real-more/gold.json). These tests check the files are well formed and
consistent with each other; they do not score the parser (benchmarks/accuracy.py does).
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest

import bcparse
from bcparse.grammar import declared_keys

REAL = Path(__file__).parent / "data" / "real"
TEXTS = sorted(p for p in REAL.glob("4[3-5][0-9]_*.txt"))
ORIGINALS = sorted(p for p in REAL.glob("4[3-5][0-9]_*") if p.suffix in (".docx", ".pdf"))

META_FIELDS = {
    "source_url": str, "title": str, "retrieved": str, "province": str, "kind": str, "level": str,
    "publisher": str, "complete": bool, "chars": int, "original": str, "notes": str,
}
GOLD_FIELDS = {
    "scalars", "must_not", "targets", "quantities", "target_quantities", "not_quantities",
    "outline", "refs", "header", "gifts", "notes",
}
SCALAR_VALUE = (int, float)


def _stem(p: Path) -> str:
    return p.name.split(".", 1)[0]


def _meta(txt: Path) -> dict[str, Any]:
    return json.loads((REAL / f"{_stem(txt)}.meta.json").read_text(encoding="utf-8"))


def _gold(txt: Path) -> dict[str, Any]:
    return json.loads((REAL / f"{_stem(txt)}.gold.json").read_text(encoding="utf-8"))


def test_corpus_b_size_and_spread() -> None:
    """At least 22 texts, numbered 431-459, from at least 12 provinces."""
    assert len(TEXTS) >= 22
    nums = [int(p.name[:3]) for p in TEXTS]
    assert all(431 <= n <= 459 for n in nums)
    assert len(set(nums)) == len(nums)
    assert len({_meta(p)["province"] for p in TEXTS}) >= 12


def test_sources_are_not_reused() -> None:
    """No source URL is used twice across tests/data/real*."""
    urls = []
    for m in Path(__file__).parent.glob("data/real*/**/*.meta.json"):
        d = json.loads(m.read_text(encoding="utf-8"))
        urls.append(d.get("source_url") or d.get("url"))
    mine = {_meta(p)["source_url"] for p in TEXTS}
    for u in mine:
        assert urls.count(u) == 1, u


@pytest.mark.parametrize("txt", TEXTS, ids=lambda p: _stem(p))
def test_text_and_meta(txt: Path) -> None:
    raw = txt.read_bytes()
    text = raw.decode("utf-8")
    assert not text.startswith("\ufeff")
    assert unicodedata.normalize("NFC", text) == text
    meta = _meta(txt)
    for field, typ in META_FIELDS.items():
        assert isinstance(meta.get(field), typ), field
    assert "year" in meta and (meta["year"] is None or 2010 <= meta["year"] <= 2025)
    assert meta["chars"] == len(text)
    assert meta["original"] in (".txt", ".docx", ".pdf")
    if meta["original"] != ".txt":
        assert (REAL / f"{_stem(txt)}{meta['original']}").is_file()
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", meta["retrieved"])
    assert meta["source_url"].startswith(("http://", "https://"))


@pytest.mark.parametrize("txt", TEXTS, ids=lambda p: _stem(p))
def test_gold_is_consistent_with_text(txt: Path) -> None:
    text = txt.read_text(encoding="utf-8")
    gold = _gold(txt)
    assert set(gold) <= GOLD_FIELDS, set(gold) - GOLD_FIELDS
    keys = declared_keys()
    for part in ("scalars", "targets"):
        for key, value in gold.get(part, {}).items():
            assert key in keys, key
            if isinstance(value, dict):
                assert set(value) == {"value", "qualifier"}
                assert value["qualifier"] in ("gt", "approx", "lt", "none")
                value = value["value"]
            assert isinstance(value, SCALAR_VALUE), (key, value)
    for key in gold.get("must_not", []):
        assert key in keys, key
    for part in ("quantities", "target_quantities"):
        for q in gold.get(part, []):
            assert 2 <= len(q) <= 3, q
            assert q[0] in text, q[0]
            if len(q) == 3:
                assert isinstance(q[2], str) and q[2], q
    for tq in gold.get("target_quantities", []):
        assert tq[:2] in [q[:2] for q in gold["quantities"]], tq
    for s in gold.get("not_quantities", []):
        assert s in text, s
    lines = [line.lstrip() for line in text.splitlines()]
    for o in gold.get("outline", []):
        assert any(line.startswith(o["starts"]) for line in lines), o
    for g in gold.get("gifts", []):
        assert g and all(k in keys for k in g), g
    for k in gold.get("header", {}):
        assert k.startswith("doc."), k
    for r in gold.get("refs", []):
        assert set(r) <= {"ref.kind", "ref.number", "ref.symbol", "ref.date"}, r
        if "ref.symbol" in r:
            assert r["ref.symbol"] in text, r


@pytest.mark.parametrize("path", TEXTS + ORIGINALS, ids=lambda p: p.name)
def test_parse_opens_each_file(path: Path) -> None:
    report = bcparse.parse(str(path))
    assert report is not None
