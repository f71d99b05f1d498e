"""`bcparse audit --db URL`: the cross-report checks over the reports `bcparse import` stored."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bcparse.cli import main

HEADER = ("ỦY BAN NHÂN DÂN\nXÃ BÌNH THÀNH\nSố: {n}/BC-UBND\nBình Thành, ngày {d} tháng 12 năm 2024\n"
          "BÁO CÁO\n{subject}\nI. ĐẶC ĐIỂM TÌNH HÌNH\nXã có 14 xóm, tổng số hộ là {h} hộ, dân số 5.387 khẩu.\n")


def test_audit_db_finds_a_figure_that_differs_between_two_stored_reports(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    a.write_text(HEADER.format(n=10, d=10, subject="Kết quả công tác đối ngoại năm 2024", h="1.422"), encoding="utf-8")
    b.write_text(HEADER.format(n=11, d=12, subject="Kết quả công tác dân tộc năm 2024", h="1.522"), encoding="utf-8")
    db = tmp_path / "t.db"
    assert main(["import", str(a), str(b), "--db", str(db)]) == 0
    capsys.readouterr()
    code = main(["audit", "--db", str(db), "--format", "json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 1
    hits = [f for f in out if f["code"] == "BC401"]
    assert hits and "commune.households" in hits[0]["keys"]
    assert sorted(hits[0]["values"]) == [1422, 1522]


def test_audit_db_nothing_to_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = tmp_path / "a.txt"
    a.write_text(HEADER.format(n=10, d=10, subject="Kết quả công tác đối ngoại năm 2024", h="1.422"), encoding="utf-8")
    db = tmp_path / "t.db"
    assert main(["import", str(a), "--db", str(db)]) == 0
    capsys.readouterr()
    assert main(["audit", "--db", str(db)]) == 0


def test_audit_needs_paths_or_db(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit"]) == 2
    assert "--db URL" in capsys.readouterr().err
