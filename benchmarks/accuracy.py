"""Accuracy of bcparse on real reports with hand-checked gold, scored like GROBID's evaluation.

    python benchmarks/accuracy.py                      # both splits, one table
    python benchmarks/accuracy.py --per-file           # ... and a line per file
    python benchmarks/accuracy.py --keys               # ... and per-key precision / recall / F1
    python benchmarks/accuracy.py --json               # everything as JSON

Two corpora of real texts with hand-checked gold: tests/data/real-more/ (30 texts from 26
provinces, gold.json, split.json) and tests/data/real/ (``NNN_slug.gold.json`` beside each text;
the file named by its meta's ``original`` is parsed: .txt, .docx or .pdf). A quarter of each is the
**validation split** (real-more: split.json; real: every file whose number is a multiple of 4): it
is scored and printed, but nobody writes rules while looking at it. Checks (one per gold item):

- scalar: a result key produced with the gold value (and qualifier where given): strict value match;
  per key, precision = right / produced (of the keys the gold asserts), recall = right / gold;
- target: a target key must not be produced as a result with the target's value;
- must_not: a key that must not be produced as a result;
- quantity: the number with its unit or counted noun is found by ``--all`` with the gold value;
- counted: where the gold names what a quantity counts ([raw, value, counted]), the figure's
  ``counted`` noun phrase is that phrase (folded; one may extend the other by whole words);
- target_mode: a quantity of a target or plan passage (``target_quantities``) has mode target or
  plan;
- not_quantity (trap): a numeric-looking string (an identifier, ordinal, term, scale, a date that
  looks like a fraction) must not become a count, amount, percentage or fraction, nor a keyed figure;
- outline: the heading exists at its path (A/I/1) and starts with the given words; extra numbered
  sections in a text with an outline count against outline precision;
- header, ref, gift: field by field.
- closing (real-files): the signature's doc.* figures, and the Nơi nhận list's first, last and
  wrapped recipient and its length; numbering: a file whose numbering is right gets no numbering
  issue (``numbering_quiet``).

The third corpus, tests/data/real-files/ (``NNN_slug.gold.json`` + ``.meta.json`` naming the real
.docx/.pdf/.doc in ``file``), scores the structure of real files: header, closing, outline,
references and traps; its parts are printed per corpus (``--parts``).

An instance (a report) is right when every one of its checks passes.
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import platform
import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "data" / "real-more"
REAL = ROOT / "tests" / "data" / "real"
REAL_FILES = ROOT / "tests" / "data" / "real-files"  # real .docx/.pdf/.doc files: the structure part

TRAP_KINDS = {"count", "number", "decimal", "money", "percent", "fraction", "rate"}


@dataclass
class Fig:
    key: str | None
    value: Any
    qualifier: str | None
    kind: str | None
    raw: str
    start: int
    end: int
    item: int | None
    mode: str = "result"
    counted: str | None = None
    plan: Any = None
    unit: str | None = None


@dataclass
class Score:
    passed: int = 0
    total: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, ok: bool, what: str) -> None:
        self.total += 1
        self.passed += ok
        if not ok:
            self.misses.append(what)


def _norm(s: Any) -> Any:
    if isinstance(s, str):
        return " ".join(unicodedata.normalize("NFC", s).split())
    return s


def same_value(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b, strict=True))
    return bool(_norm(a) == _norm(b))


def _fold(s: str) -> str:
    return " ".join(unicodedata.normalize("NFC", s).lower().split())


def same_counted(got: str, want: str) -> bool:
    """The counted noun phrase found is the gold's, or one extends the other by whole words."""
    g, w = _fold(got), _fold(want)
    return g == w or w.startswith(g + " ") or g.startswith(w + " ")


def _converted_right(raw: str, v: Any, near: list[Fig]) -> bool:
    """A figure of a key in another unit of the same measure holds the written quantity converted
    ("4,02 km2" is the key's 402 ha)."""
    from bcparse import numbers as vn

    qs = vn.find_quantities(raw)
    if not qs or not qs[0].unit or not isinstance(v, int | float):
        return False
    return any(f.unit and same_value(f.value, vn.convert_unit(v, qs[0].unit, f.unit)) for f in near)


def gold_value(v: Any) -> tuple[Any, str | None]:
    if isinstance(v, dict) and "value" in v:
        return v["value"], v.get("qualifier")
    return v, None


def _figures(report: Any) -> list[Fig]:
    starts = [0]
    for i, ch in enumerate(report.text):
        if ch == "\n":
            starts.append(i + 1)
    out = []
    for f in report.figures(all=True):
        s = starts[f.span.line - 1] + f.span.col - 1
        out.append(Fig(f.key, f.value, f.qualifier, f.kind, f.raw, s, s + f.span.length, f.item,
                       getattr(f, "mode", "result"), getattr(f, "counted", None), getattr(f, "plan", None),
                       f.unit))
    return out


def _occurrences(text: str, s: str) -> list[tuple[int, int]]:
    """Where ``s`` stands in ``text`` as whole words ("7%" is not in "127%"); anywhere when it never does."""
    out, i = [], text.find(s)
    while i >= 0:
        out.append((i, i + len(s)))
        i = text.find(s, i + 1)
    whole = [(a, b) for a, b in out if not (a and s[:1].isalnum() and text[a - 1].isalnum())
             and not (b < len(text) and s[-1:].isalnum() and text[b].isalnum())]
    if whole:
        return whole
    if not out:  # the view folds spaces and joins lines: look again with spaces folded
        flat = " ".join(s.split())
        i = text.find(flat)
        while i >= 0:
            out.append((i, i + len(flat)))
            i = text.find(flat, i + 1)
    return out


def _is_result(f: Fig) -> bool:
    mode = getattr(f, "mode", None)
    return mode in (None, "result")


def score_file(name: str, gold: dict[str, Any], report: Any, keys: dict[str, list[int]]) -> dict[str, Score]:
    """Every check of one file, by check type; ``keys`` collects per-key [tp, fp, fn]."""
    sc: dict[str, Score] = defaultdict(Score)
    figs = _figures(report)
    text = report.text
    by_key: dict[str, list[Fig]] = defaultdict(list)
    for f in figs:
        if f.key:
            by_key[f.key].append(f)

    for key, want in gold.get("scalars", {}).items():
        v, q = gold_value(want)
        got = [f for f in by_key.get(key, []) if _is_result(f)]
        ok = any(same_value(f.value, v) and (q is None or (f.qualifier or "none") == q) for f in got)
        sc["scalar"].add(ok, f"{name}: {key} = {v!r}{' ' + q if q else ''}, got {[f.value for f in got]}")
        k = keys.setdefault(key, [0, 0, 0])
        k[0] += ok
        k[2] += not ok
        k[1] += sum(1 for f in got if not same_value(f.value, v))
    for key, want in gold.get("targets", {}).items():
        v, _ = gold_value(want)
        bad = [f for f in by_key.get(key, []) if _is_result(f) and same_value(f.value, v)]
        sc["target"].add(not bad, f"{name}: target {key} = {v!r} read as a result")
        if bad:
            keys.setdefault(key, [0, 0, 0])[1] += len(bad)
    for key in gold.get("must_not", []):
        bad = [f for f in by_key.get(key, []) if _is_result(f)]
        sc["must_not"].add(not bad, f"{name}: must not produce {key}, got {[f.raw for f in bad]}")
        if bad:
            keys.setdefault(key, [0, 0, 0])[1] += len(bad)

    for raw, v, *counted in gold.get("quantities", []):
        spans = _occurrences(text, raw)
        ok = False
        near: list[Fig] = []
        for a, b in spans:
            near = [f for f in figs if f.start < b and f.end > a]
            vals = [f.value for f in near]
            if isinstance(v, list):
                ok = any(same_value(x, v) for x in vals) or any(  # an actual/plan pair "1.250/1.200 tấn"
                    same_value(f.value, v[0]) and same_value(f.plan, v[1]) for f in near) or (
                    any(same_value(x, v[0]) for x in vals)
                    and (any(same_value(x, v[1]) for x in vals) or any(f.kind == "fraction" for f in near)))
            else:
                ok = any(same_value(x, v) for x in vals) or _converted_right(raw, v, near)
            if ok:
                break
        sc["quantity"].add(ok, f"{name}: « {raw} » = {v!r}" + ("" if spans else " (raw not in the text view)"))
        if counted and counted[0]:
            got_c = [f.counted for f in near if f.counted]
            sc["counted"].add(any(same_counted(c, counted[0]) for c in got_c),
                              f"{name}: « {raw} » counts « {counted[0]} », got {got_c}")
    for raw, _v, *_ in gold.get("target_quantities", []):
        # the numbers there (not a text figure holding them: a title read as doc.subject)
        near = [f for a, b in _occurrences(text, raw) for f in figs if f.start < b and f.end > a
                and f.kind not in ("text", "list")]
        sc["target_mode"].add(bool(near) and all(f.mode in ("target", "plan") for f in near),
                              f"{name}: « {raw} » is a target, got modes {[f.mode for f in near]}")
    for s in gold.get("not_quantities", []):
        bad: list[Fig] = []
        for a, b in _occurrences(text, s):
            bad += [f for f in figs if f.start < b and f.end > a and f.start >= a - 1 and f.end <= b + 1
                    and not (f.key or "").startswith(("ref.", "doc."))
                    and (f.kind in TRAP_KINDS or (f.key is not None and f.kind != "date"))]
        sc["trap"].add(not bad, f"{name}: « {s} » read as {[(f.key, f.value, f.kind) for f in bad]}")

    outline = gold.get("outline", [])
    if outline:
        lines = text.split("\n")
        secs = report.sections
        paths = []
        for s in secs:
            chain, j = [], secs.index(s)
            while j is not None:
                chain.append(secs[j].number or "?")
                j = secs[j].parent
            paths.append("/".join(reversed(chain)))
        matched: set[int] = set()
        for o in outline:
            hit = next((i for i, (p, s) in enumerate(zip(paths, secs, strict=True)) if p == o["path"]
                        and lines[s.line - 1].lstrip().startswith(o["starts"])), None)
            if hit is not None:
                matched.add(hit)
            sc["outline"].add(hit is not None, f"{name}: heading {o['path']} « {o['starts']} »")
        for i, p in enumerate(paths):
            if i not in matched and gold.get("outline_complete", True):  # a sample of headings: no extras
                sc["outline_extra"].add(False, f"{name}: extra section {p} at line {secs[i].line}")

    for key, v in gold.get("header", {}).items():
        got = [f.value for f in by_key.get(key, [])]
        sc["header"].add(any(same_value(x, v) for x in got), f"{name}: {key} = {v!r}, got {got}")

    recipients = list(getattr(getattr(report, "closing", None), "recipients", []) or [])
    for key, v in gold.get("closing", {}).items():
        if key.startswith("doc."):
            got = [f.value for f in by_key.get(key, [])]
        elif key == "recipients_count":
            got = [len(recipients)]
        elif key == "recipients_first":
            got = recipients[:1]
        elif key == "recipients_last":
            got = recipients[-1:]
        else:  # recipients_wrapped: a recipient wrapped onto a second line is read whole
            got = recipients
        sc["closing"].add(any(same_value(x, v) for x in got), f"{name}: closing {key} = {v!r}, got {got[:3]}")
    if gold.get("numbering_quiet"):
        issues = list(getattr(report, "numbering_issues", []))
        sc["numbering"].add(not issues, f"{name}: numbering issues {[(i.found, i.line) for i in issues][:3]}")

    for kind, anchor in (("ref", "ref.number"), ("gift", "gift.count")):
        recs: dict[int, dict[str, Any]] = defaultdict(dict)
        for f in figs:
            if f.key and f.key.startswith(kind + ".") and f.item is not None:
                recs[f.item][f.key] = f.value
        produced = [recs[i] for i in sorted(recs)]
        used: set[int] = set()
        for g in gold.get(kind + "s", []):
            idx = next((i for i, r in enumerate(produced) if i not in used and anchor in g
                        and same_value(r.get(anchor), g[anchor])), None)
            if idx is None:
                idx = next((i for i in range(len(produced)) if i not in used), None)
            if idx is not None:
                used.add(idx)
            rec = produced[idx] if idx is not None else {}
            for k2, v in g.items():
                ok = k2 in rec and same_value(rec[k2], v)
                sc[kind].add(ok, f"{name}: {kind} {k2} = {v!r}, got {rec.get(k2)!r}")
                sc[f"{kind}:{k2}"].add(ok, "")  # per field, printed by --keys (counts only)
    return sc


def load_split() -> dict[str, list[str]]:
    """Both corpora: split name → paths relative to tests/data (real-more/…, real/…)."""
    split = json.loads((CORPUS / "split.json").read_text(encoding="utf-8"))
    out: dict[str, list[str]] = {n: [f"real-more/{f}" for f in files] for n, files in split.items()}
    for g in sorted(REAL.glob("*.gold.json")):
        stem = g.name[: -len(".gold.json")]
        meta = json.loads((REAL / f"{stem}.meta.json").read_text(encoding="utf-8"))
        ext = meta.get("original") or ".txt"
        if not (REAL / f"{stem}{ext}").is_file():
            ext = ".txt"
        n = int(stem.split("_", 1)[0]) if stem[:1].isdigit() else 1
        out["validation" if n % 4 == 0 else "development"].append(f"real/{stem}{ext}")
    for g in sorted(REAL_FILES.glob("*.gold.json")):
        stem = g.name[: -len(".gold.json")]
        n = int(stem.split("_", 1)[0]) if stem[:1].isdigit() else 1
        out.setdefault("validation" if n % 4 == 0 else "development", []).append(f"real-files/{stem}")
    return out


def real_file(name: str) -> Path:
    """The file a real-files/ entry names (its meta's ``file``, relative to the meta)."""
    stem = name.split("/", 1)[1]
    meta = json.loads((REAL_FILES / f"{stem}.meta.json").read_text(encoding="utf-8"))
    return (REAL_FILES / meta["file"]).resolve()


def load_gold() -> dict[str, Any]:
    """Gold of both corpora by the same relative paths as :func:`load_split`."""
    gold = {f"real-more/{k}": v for k, v in json.loads((CORPUS / "gold.json").read_text(encoding="utf-8")).items()
            if k != "about"}
    for g in sorted(REAL.glob("*.gold.json")):
        stem = g.name[: -len(".gold.json")]
        entry = json.loads(g.read_text(encoding="utf-8"))
        for ext in (".txt", ".docx", ".pdf"):
            gold[f"real/{stem}{ext}"] = entry
    for g in sorted(REAL_FILES.glob("*.gold.json")):
        gold[f"real-files/{g.name[: -len('.gold.json')]}"] = json.loads(g.read_text(encoding="utf-8"))
    return gold


@functools.cache
def _parse(name: str) -> Any:
    import bcparse

    if name.startswith("real-files/"):
        return bcparse.parse(str(real_file(name)))
    return bcparse.parse(str(CORPUS.parent / name))


def run(files: list[str], gold: dict[str, Any]) -> tuple[dict[str, Score], dict[str, list[int]], list[tuple[str, bool, int, int]]]:
    total: dict[str, Score] = defaultdict(Score)
    keys: dict[str, list[int]] = {}
    per_file = []
    for name in files:
        report = _parse(name)
        sc = score_file(name, gold[name], report, keys)
        p = sum(s.passed for s in sc.values())
        t = sum(s.total for s in sc.values())
        per_file.append((name, p == t, p, t))
        for k, s in sc.items():
            total[k].passed += s.passed
            total[k].total += s.total
            total[k].misses += s.misses
    return total, keys, per_file


def _pct(p: int, t: int) -> str:
    return f"{100 * p / t:5.1f}%" if t else "    –"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--per-file", action="store_true")
    ap.add_argument("--keys", action="store_true", help="per-key precision, recall and F1 of the scalars")
    ap.add_argument("--misses", action="store_true", help="list every failed check (development split only)")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--parts", action="store_true",
                    help="the structure parts (header, closing, outline, ref, trap, numbering) per corpus and split")
    a = ap.parse_args(argv)
    gold = load_gold()
    split = load_split()
    results = {name: run(files, gold) for name, files in split.items()}
    if a.json:
        print(json.dumps({s: {"checks": {k: [v.passed, v.total] for k, v in r[0].items()}, "keys": r[1],
                              "files": r[2]} for s, r in results.items()}, ensure_ascii=False, indent=1))
        return 0
    print(f"bcparse accuracy on tests/data/real-more and tests/data/real ({platform.python_implementation()} "
          f"{platform.python_version()}, {platform.machine()})")
    names = list(results)
    print(f"{'check':<16}" + "".join(f"{n + ' (' + str(len(split[n])) + ' files)':>30}" for n in names))
    kinds = sorted({k for r in results.values() for k in r[0] if ":" not in k})
    for k in kinds:
        row = f"{k:<16}"
        for n in names:
            s = results[n][0].get(k, Score())
            row += f"{s.passed:>13}/{s.total:<5} {_pct(s.passed, s.total):>9}  "
        print(row)
    for n in names:
        total, keys, files = results[n]
        tp = sum(v[0] for v in keys.values())
        fp = sum(v[1] for v in keys.values())
        fn = sum(v[2] for v in keys.values())
        prec = tp / (tp + fp) if tp + fp else 1.0
        rec = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        traps = total.get("trap", Score())
        tgt, mn = total.get("target", Score()), total.get("must_not", Score())
        print(f"{n}: keyed scalars precision {100 * prec:.1f}%  recall {100 * rec:.1f}%  F1 {100 * f1:.1f}%;  "
              f"instances right {sum(ok for _, ok, _, _ in files)}/{len(files)};  "
              f"traps kept out {traps.passed}/{traps.total};  targets not read as results {tgt.passed}/{tgt.total};  "
              f"must-not kept out {mn.passed}/{mn.total}")
        for corpus in ("real-more", "real", "real-files"):
            sub: dict[str, list[int]] = {}
            for f in (x for x in split[n] if x.startswith(corpus + "/")):
                score_file(f, gold[f], _parse(f), sub)
            if sub:
                tp = sum(v[0] for v in sub.values())
                fp = sum(v[1] for v in sub.values())
                fn = sum(v[2] for v in sub.values())
                print(f"  {corpus:<10} keyed scalars precision {_pct(tp, tp + fp)}  recall {_pct(tp, tp + fn)}  "
                      f"({tp} right, {fp} wrong, {fn} missed)")
    if a.parts:
        print("\nstructure parts per corpus:")
        for n in names:
            for corpus in ("real-files", "real", "real-more"):
                files = [x for x in split[n] if x.startswith(corpus + "/")]
                if not files:
                    continue
                acc: dict[str, Score] = defaultdict(Score)
                for f in files:
                    for k, s in score_file(f, gold[f], _parse(f), {}).items():
                        if k in ("header", "closing", "outline", "outline_extra", "ref", "trap", "numbering"):
                            acc[k].passed += s.passed
                            acc[k].total += s.total
                row = "  ".join(f"{k} {acc[k].passed}/{acc[k].total} {_pct(acc[k].passed, acc[k].total).strip()}"
                                for k in sorted(acc))
                print(f"  {n:<11} {corpus:<10} ({len(files)} files)  {row}")
    if a.keys:
        for n in names:
            print(f"\n{n}: key{'':<34} tp  fp  fn   P      R      F1")
            for key, (tp, fp, fn) in sorted(results[n][1].items()):
                p = tp / (tp + fp) if tp + fp else 1.0
                r = tp / (tp + fn) if tp + fn else 1.0
                f = 2 * p * r / (p + r) if p + r else 0.0
                print(f"  {key:<38} {tp:>3} {fp:>3} {fn:>3}  {p:5.2f}  {r:5.2f}  {f:5.2f}")
            fields = sorted(k for k in results[n][0] if ":" in k)
            if fields:
                print(f"{n}: record field{'':<27} right/checked")
                for k in fields:
                    s = results[n][0][k]
                    print(f"  {k.split(':', 1)[1]:<38} {s.passed:>5}/{s.total:<5} {_pct(s.passed, s.total)}")
    if a.per_file:
        for n in names:
            print(f"\n{n}:")
            for name, ok, p, t in results[n][2]:
                print(f"  {'ok ' if ok else '   '}{name:<48} {p:>3}/{t:<3} {_pct(p, t)}")
    if a.misses and "development" in results:
        print("\nmisses (development split):")
        for k, s in sorted(results["development"][0].items()):
            for m in s.misses if ":" not in k else ():
                print(f"  {k:<13} {m}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
