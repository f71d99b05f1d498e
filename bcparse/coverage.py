"""Coverage: the quantities no grammar key took, grouped by what they count, across many reports.

A view for grammar authors (the last stage, like audit and render: it reads parsed Reports and
writes nothing back). Every quantity of a report carries what the binding found
(:mod:`bcparse.bind`): the counted noun phrase ("hộ nghèo", "lượt khách") and the frame (total,
change, part …). Grouping the unkeyed ones by (counted, frame) across a folder of reports, most
frequent first, shows which facts the reports state that no key reads yet: each group is a
candidate ``counts:`` rule (docs/grammars.md has a worked example).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from . import grammar
from .elements import Figure
from .models import Report
from .textview import fold

#: kinds of figure that are quantities a key could take: a count rule's kinds but a date (a text,
#: a list are none either)
QUANTITY_KINDS = frozenset(grammar.QUANTITY_KINDS) - {"date"}
_EXAMPLE_CHARS = 110


@dataclass
class Group:
    """Unkeyed quantities with the same counted noun phrase (folded) and frame."""

    counted: str  # as first written ("hộ nghèo"); "(không rõ)" when nothing was bound
    frame: str | None
    count: int = 0
    files: set[str] = field(default_factory=set)
    modes: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    examples: list[str] = field(default_factory=list)  # "file:line: … context …"

    def as_dict(self) -> dict[str, Any]:
        return {"counted": self.counted, "frame": self.frame, "count": self.count, "files": len(self.files),
                "modes": dict(self.modes), "examples": self.examples}


@dataclass
class FileShare:
    path: str
    quantities: int  # quantities a key could take (QUANTITY_KINDS)
    keyed: int  # of those, read under a key

    @property
    def share(self) -> float:
        return self.keyed / self.quantities if self.quantities else 1.0


@dataclass
class Coverage:
    groups: list[Group]
    files: list[FileShare]
    failed: list[tuple[str, str]]  # (path, one-line reason)

    @property
    def quantities(self) -> int:
        return sum(f.quantities for f in self.files)

    @property
    def keyed(self) -> int:
        return sum(f.keyed for f in self.files)

    def as_dict(self, top: int | None = None) -> dict[str, Any]:
        return {
            "files": [{"path": f.path, "quantities": f.quantities, "keyed": f.keyed, "share": round(f.share, 4)}
                      for f in self.files],
            "failed": [{"path": p, "error": e} for p, e in self.failed],
            "quantities": self.quantities, "keyed": self.keyed,
            "groups": [g.as_dict() for g in self.groups[:top]],
        }


def _example(report: Report, f: Figure, path: str) -> str:
    line = report.index.line_text(f.span.line) if report.text else f.raw
    col = f.span.col - 1
    lo = max(0, col - _EXAMPLE_CHARS // 2)
    hi = min(len(line), col + f.span.length + _EXAMPLE_CHARS // 2)
    snippet = ("…" if lo else "") + " ".join(line[lo:hi].split()) + ("…" if hi < len(line) else "")
    return f"{path}:{f.span.line}: {snippet}"


_NOUN_TAGS = frozenset({"N", "Np", "Nc", "Nu", "Ny"})
_NUMBER = re.compile(r"\d[\d.,]*")


class PosNouns:
    """The noun phrase after a number by part-of-speech tagging (underthesea), for the quantities
    the vocabulary binding left without a counted noun. Measured on the development texts' gold
    counted nouns: the binding alone names 167 of 191 right; this fallback names 7 of the 10 it
    leaves empty (174 of 191), at ~25 ms per tagged line, so it runs here, never on the parse path.
    underthesea (~200 MB installed) is the optional extra ``nlp``: without it :meth:`after` gives
    None (as ``--no-pos``) and :attr:`available` is False."""

    def __init__(self) -> None:
        try:
            from underthesea import pos_tag
        except ImportError:  # the 'nlp' extra is not installed
            self._tag = None
        else:
            self._tag = pos_tag
        self._lines: dict[str, list[tuple[str, str]]] = {}

    @property
    def available(self) -> bool:
        return self._tag is not None

    def after(self, line: str, raw: str) -> str | None:
        if self._tag is None:
            return None
        m = _NUMBER.search(raw)
        if m is None:
            return None
        toks = self._lines.get(line)
        if toks is None:
            toks = self._lines[line] = self._tag(line)
        for k, (w, _t) in enumerate(toks):
            if w == m.group(0) or w.startswith(m.group(0)):
                nouns = []
                for w2, t2 in toks[k + 1 : k + 4]:
                    if t2 not in _NOUN_TAGS:
                        break
                    nouns.append(w2)
                return " ".join(nouns) or None
        return None


def coverage(reports: list[tuple[str, Report]], failed: list[tuple[str, str]] | None = None,
             examples: int = 2, pos: bool = True) -> Coverage:
    """Group the unkeyed quantities of ``reports`` ((path, Report) pairs) and count the share of
    quantities keyed per file. With ``pos``, a quantity the binding left without a counted noun
    gets the noun phrase a part-of-speech tagger finds after its number (:class:`PosNouns`)."""
    tagger = PosNouns() if pos else None
    if tagger is not None and not tagger.available:
        tagger = None
    groups: dict[tuple[str, str | None], Group] = {}
    shares: list[FileShare] = []
    for path, r in reports:
        n = keyed = 0
        for f in r.figures(all=True):
            if f.kind not in QUANTITY_KINDS or f.derived:
                continue
            n += 1
            if f.key is not None:
                keyed += 1
                continue
            name = f.counted
            if name is None and tagger is not None and r.text:
                name = tagger.after(r.index.line_text(f.span.line), f.raw)
            name = name or f.unit or "(không rõ)"
            gk = (fold(name), f.frame)
            g = groups.get(gk)
            if g is None:
                g = groups[gk] = Group(counted=name, frame=f.frame)
            g.count += 1
            g.modes[f.mode] += 1
            if path not in g.files and len(g.examples) < examples:
                g.examples.append(_example(r, f, path))
            g.files.add(path)
        shares.append(FileShare(path, n, keyed))
    ordered = sorted(groups.values(), key=lambda g: (-len(g.files), -g.count, g.counted))
    return Coverage(ordered, shares, list(failed or []))


def render_text(cov: Coverage, top: int) -> str:
    """The table ``bcparse coverage`` prints: groups most frequent first, then the share per file."""
    out = [f"{cov.quantities} quantities in {len(cov.files)} reports, {cov.keyed} keyed "
           f"({100 * cov.keyed / cov.quantities if cov.quantities else 100:.1f}%); "
           f"unkeyed, by what they count (files, times, frame):"]
    for g in cov.groups[:top]:
        modes = ", ".join(f"{m} {n}" for m, n in sorted(g.modes.items()) if m != "result")
        out.append(f"  {len(g.files):>4} {g.count:>5}  {g.counted}  [{g.frame or '-'}]" + (f"  ({modes})" if modes else ""))
        for e in g.examples:
            out.append(f"              {e}")
    if len(cov.groups) > top:
        out.append(f"  … {len(cov.groups) - top} more groups (--top N)")
    out.append("share keyed per file:")
    for f in cov.files:
        out.append(f"  {100 * f.share:5.1f}%  {f.keyed:>4}/{f.quantities:<4} {f.path}")
    for p, e in cov.failed:
        out.append(f"failed: {p}: {e}")
    return "\n".join(out)
