"""The real development texts 401-429 in tests/data/real (issue 13, item 5, half A): each text is
NFC UTF-8 with a complete meta file, its hand-written gold only names text the file really holds and
keys the grammars declare, and bcparse opens every file (and any kept .docx/.pdf original)."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

import bcparse
from bcparse.grammar import declared_keys

REAL = Path(__file__).resolve().parent / "data" / "real"
FIRST, LAST = 401, 429
TEXTS = sorted(p for p in REAL.glob("4*_*.txt") if FIRST <= int(p.name[:3]) <= LAST)
IDS = [p.name[:3] for p in TEXTS]

META_FIELDS = ["source_url", "title", "retrieved", "province", "year", "kind", "level", "publisher",
               "complete", "chars", "original", "notes"]
GOLD_FIELDS = {"scalars", "must_not", "targets", "quantities", "target_quantities", "not_quantities",
               "outline", "refs", "header", "gifts", "notes"}
HEADER_KEYS = {"doc.agency", "doc.number", "doc.symbol", "doc.place", "doc.date", "doc.type", "doc.subject",
               "doc.signer", "doc.signer_title"}
QUALIFIERS = {"gt", "approx", "lt", "none"}


def _meta(txt: Path) -> dict:
    return json.loads(txt.with_suffix(".meta.json").read_text(encoding="utf-8"))


def _gold(txt: Path) -> dict:
    return json.loads(txt.with_suffix(".gold.json").read_text(encoding="utf-8"))


def test_the_range_holds_at_least_22_texts_from_12_provinces() -> None:
    assert len(TEXTS) >= 22
    assert len({_meta(p)["province"] for p in TEXTS}) >= 12
    assert len({p.name[:3] for p in TEXTS}) == len(TEXTS)  # one text per number


@pytest.mark.parametrize("txt", TEXTS, ids=IDS)
def test_text_is_nfc_utf8_and_meta_is_complete(txt: Path) -> None:
    raw = txt.read_bytes()
    text = raw.decode("utf-8")  # strict: raises on invalid UTF-8
    assert not text.startswith("\ufeff")
    assert unicodedata.normalize("NFC", text) == text
    meta = _meta(txt)
    assert list(meta) == META_FIELDS
    assert meta["source_url"].startswith(("http://", "https://"))
    assert meta["retrieved"] == "2026-12-03"
    assert meta["year"] is None or 2010 <= meta["year"] <= 2025
    assert isinstance(meta["complete"], bool)
    assert meta["chars"] == len(text.rstrip("\n"))
    assert meta["original"] in {".txt", ".docx", ".pdf"}
    assert all(isinstance(meta[k], str) and meta[k] for k in ("title", "province", "kind", "level", "publisher", "notes"))


@pytest.mark.parametrize("txt", TEXTS, ids=IDS)
def test_gold_names_only_text_of_the_file_and_declared_keys(txt: Path) -> None:
    text = txt.read_text(encoding="utf-8")
    gold = _gold(txt)
    assert set(gold) <= GOLD_FIELDS and "scalars" in gold
    keys = declared_keys()
    for section in ("scalars", "targets"):
        for key, value in gold.get(section, {}).items():
            assert key in keys, f"{section}: {key} is not declared by any grammar"
            if isinstance(value, dict):
                assert set(value) == {"value", "qualifier"} and value["qualifier"] in QUALIFIERS
                value = value["value"]
            assert isinstance(value, (int, float)) and not isinstance(value, bool)
    for key in gold.get("must_not", []):
        assert key in keys, f"must_not: {key} is not declared by any grammar"
    for section in ("quantities", "target_quantities"):
        for entry in gold.get(section, []):
            assert len(entry) in (2, 3), entry
            assert entry[0] in text, f"{section}: {entry[0]!r} is not in the text"
            if len(entry) == 3:
                assert entry[2] in text, f"counted noun {entry[2]!r} is not written in the text"
    quantities = [q[:2] for q in gold.get("quantities", [])]
    for entry in gold.get("target_quantities", []):
        assert entry[:2] in quantities, f"target quantity {entry[0]!r} is not among the quantities"
    for raw in gold.get("not_quantities", []):
        assert raw in text, f"not_quantities: {raw!r} is not in the text"
    lines = [line.strip() for line in text.splitlines()]
    for item in gold.get("outline", []):
        assert any(line.startswith(item["starts"]) for line in lines), item
    assert set(gold.get("header", {})) <= HEADER_KEYS
    for ref in gold.get("refs", []):
        assert set(ref) <= {k for k in keys if k.startswith("ref.")}, ref


@pytest.mark.parametrize("txt", TEXTS, ids=IDS)
def test_bcparse_opens_the_text_and_its_original(txt: Path) -> None:
    report = bcparse.parse(str(txt))
    assert report is not None
    for suffix in (".docx", ".pdf"):
        original = txt.with_suffix(suffix)
        if original.exists():
            assert bcparse.parse(str(original)) is not None
