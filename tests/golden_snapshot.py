"""Golden outputs: what bcparse makes of every fixture document, frozen to catch drift.

One JSON file per fixture document under tests/golden/, holding the text view (as lines), the
outline, ``figures --all --json``, ``audit --format json`` and the render identity check. The test
(tests/test_golden.py) compares a fresh snapshot with the file; after a deliberate change of output,
regenerate with ``python tests/golden_snapshot.py`` and say in the commit which fix changed what.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"

# fixture documents whose output is frozen (paths relative to the repository root); .doc needs
# LibreOffice, so it is left out to keep the goldens machine-independent
PATTERNS = [
    "samples/*.txt", "samples/*.docx", "samples/*.pdf",
    "tests/data/real/*.txt", "tests/data/real-more/*.txt", "tests/data/encodings/report-*.txt",
    "tests/data/nghi-dinh-30-2020-ND-CP.docx",
    "tests/data/pdf/fake-bold.pdf", "tests/data/pdf/legacy-font.pdf", "tests/data/pdf/rotated.pdf",
    "tests/data/pdf/running-header.pdf", "tests/data/pdf/two-columns.pdf",
]


def fixtures() -> list[str]:
    out: list[str] = []
    for pat in PATTERNS:
        out += sorted(str(p.relative_to(ROOT)) for p in ROOT.glob(pat))
    return out


def golden_path(rel: str) -> Path:
    return GOLDEN / (rel.replace("/", "__") + ".json")


def snapshot(rel: str) -> dict[str, Any]:
    """Every frozen view of one fixture document (``rel`` relative to the repository root)."""
    import bcparse
    from bcparse.audit import audit_report

    report = bcparse.parse(str(ROOT / rel))
    report.source = rel
    figures = report.figures_json(all=True)
    figures["source"] = rel
    rendered = bcparse.render_text(report)
    return {
        "source": rel,
        "text": report.text.split("\n"),
        "outline": report.outline(),
        "numbering_issues": [i.model_dump(mode="json") for i in report.numbering_issues],
        "header": report.header.model_dump(mode="json", exclude={"spans"}),
        "closing": report.closing.model_dump(mode="json", exclude={"spans"}),
        "figures": figures,
        "audit": [f.model_dump(mode="json") for f in audit_report(report)],
        "render_is_text_view": rendered == report.text,
        "render_sha256": hashlib.sha256(rendered.encode("utf-8")).hexdigest(),
    }


def dumps(snap: dict[str, Any]) -> str:
    return json.dumps(snap, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def main(argv: list[str]) -> int:
    """Regenerate the golden files (all, or those whose path contains an argument)."""
    GOLDEN.mkdir(exist_ok=True)
    for rel in fixtures():
        if argv and not any(a in rel for a in argv):
            continue
        golden_path(rel).write_text(dumps(snapshot(rel)), encoding="utf-8")
        print("wrote", golden_path(rel).relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
