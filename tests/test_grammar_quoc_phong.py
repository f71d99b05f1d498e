"""The military-service grammar added from `bcparse coverage` (docs/grammars.md worked example),
on real texts of tests/data/real."""

from __future__ import annotations

from pathlib import Path

import pytest

import bcparse

REAL = Path(__file__).resolve().parent / "data" / "real"


@pytest.mark.parametrize(("name", "value"), [
    ("419_phuong-huyen-tung-tan-binh-nhap-ngu-2018.txt", 15),  # "gọi 15 thanh niên nhập ngũ"
    ("421_tp-thuan-an-tong-ket-tuyen-quan-2022.txt", 234),  # "có 234 thanh niên lên đường nhập ngũ"
    ("422_xa-vinh-thanh-trung-giao-quan-2020.txt", 15),  # "15 công dân tham gia nghĩa vụ Quân sự"
])
def test_enlisted_is_read_from_the_counted_noun(name: str, value: int) -> None:
    r = bcparse.parse(REAL / name)
    assert r.grammar == "quoc_phong"
    assert r.value("military.enlisted") == value
    assert r.get("military.enlisted").confidence == "high"


def test_a_future_call_up_is_a_plan_not_a_result() -> None:
    r = bcparse.parse(REAL / "423_tinh-quang-nam-tong-ket-tuyen-quan-2015.txt")  # "Năm 2016 sẽ gọi 2.750 …"
    assert r.value("military.enlisted") is None
    assert r.value("military.enlisted", mode="plan") == 2750


def test_a_tet_report_that_mentions_nhap_ngu_is_not_a_military_report() -> None:
    r = bcparse.parse(REAL / "016_xa-long-vinh-tet-giap-thin-2024.txt")
    assert r.grammar != "quoc_phong"
