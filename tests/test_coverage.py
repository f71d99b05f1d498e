"""`bcparse coverage`: the unkeyed quantities of real texts grouped by what they count."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import bcparse
from bcparse.cli import main
from bcparse.coverage import QUANTITY_KINDS, coverage

ROOT = Path(__file__).resolve().parent.parent
MORE = ROOT / "tests" / "data" / "real-more"
# "tổng đàn trâu bò 1.213 con, lợn trên 1.000 con, đàn gia cầm gần 40.000 con" and
# "trên 100.000 con gia súc, gia cầm": one group "con" across the two files
TEXTS = ["310_xa-duc-bong-ktxh-2019.txt", "308_xa-co-loa-ktxh-6thang-2018.txt"]


def _reports() -> list[tuple[str, bcparse.Report]]:
    return [(name, bcparse.parse(str(MORE / name))) for name in TEXTS]


def test_every_unkeyed_quantity_is_in_exactly_one_group() -> None:
    reports = _reports()
    cov = coverage(reports)
    unkeyed = sum(1 for _, r in reports for f in r.figures(all=True)
                  if f.key is None and f.kind in QUANTITY_KINDS and not f.derived)
    assert unkeyed > 10 and sum(g.count for g in cov.groups) == unkeyed
    assert cov.quantities - cov.keyed == unkeyed


def test_a_noun_counted_in_both_files_is_one_group_with_an_example_from_each() -> None:
    cov = coverage(_reports())
    con = [g for g in cov.groups if g.counted.split()[0] == "con"]
    assert con, [g.counted for g in cov.groups]
    assert sum(g.count for g in con) >= 4 and set().union(*(g.files for g in con)) == set(TEXTS)
    widest = max(con, key=lambda g: len(g.files))
    assert {e.split(":", 1)[0] for e in widest.examples} == set(TEXTS) or len(widest.files) == 1
    for e in widest.examples:  # "file:line: context" and the context is on that line
        name, line, context = e.split(":", 2)
        text = bcparse.parse(str(MORE / name)).text.split("\n")[int(line) - 1]
        assert " ".join(context.strip(" …").split()[:3]) in " ".join(text.split())
    # widest groups first
    assert [len(g.files) for g in cov.groups] == sorted((len(g.files) for g in cov.groups), reverse=True)


def test_share_keyed_per_file() -> None:
    cov = coverage(_reports())
    for (name, r), share in zip(_reports(), cov.files, strict=True):
        keyed = [f for f in r.figures(all=True) if f.key and f.kind in QUANTITY_KINDS and not f.derived]
        assert share.path == name and share.keyed == len(keyed) and 0 <= share.share <= 1


def test_cli_folder_json_and_a_bad_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name in TEXTS:
        shutil.copy(MORE / name, tmp_path / name)
    (tmp_path / "broken.docx").write_bytes(b"not a zip")
    code = main(["coverage", str(tmp_path), "--json", "--top", "3"])
    out = json.loads(capsys.readouterr().out)
    assert code == 1  # the broken file is listed, the others counted
    assert [f["path"] for f in out["failed"]] == [str(tmp_path / "broken.docx")]
    assert len(out["files"]) == 2 and len(out["groups"]) == 3
    assert out["quantities"] == sum(f["quantities"] for f in out["files"])


def test_cli_text_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["coverage", *(str(MORE / n) for n in TEXTS), "--top", "2"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{coverage(_reports()).quantities} quantities in 2 reports")
    assert "share keyed per file:" in out and "more groups (--top N)" in out


def test_pos_tagging_names_a_quantity_the_word_lists_leave_unnamed() -> None:
    """underthesea's noun tags after the number, only where the binding found no counted noun."""
    from bcparse.coverage import PosNouns

    tagger = PosNouns()
    assert tagger.after("Toàn xã có 215 hộ kinh doanh, 5 HTX, 10 THT, 9 doanh nghiệp", "9 doanh nghiệp") == "doanh nghiệp"
    assert tagger.after("đã có 110 công dân trong độ tuổi phấn khởi", "110") == "công dân"
    with_pos = coverage(_reports())
    without = coverage(_reports(), pos=False)
    unnamed = sum(g.count for g in without.groups if g.counted == "(không rõ)")
    assert sum(g.count for g in with_pos.groups if g.counted == "(không rõ)") <= unnamed
    assert sum(g.count for g in with_pos.groups) == sum(g.count for g in without.groups)
