"""A report built from data is laid out by its grammar's `layout` (data), not by Python naming
grammar ids (issue 13: "nothing report-specific stays in Python")."""

from __future__ import annotations

from pathlib import Path

import pytest

import bcparse
from bcparse.render import render_text
from bcparse.render.build import layout, new_report


def test_the_shipped_layouts_come_from_the_grammars() -> None:
    kt = layout("kt_xh")
    assert kt.subject == "Tình hình kinh tế - xã hội" and kt.section == "TÌNH HÌNH KINH TẾ - XÃ HỘI"
    assert kt.profile_title == "ĐẶC ĐIỂM TÌNH HÌNH"  # from common, which kt_xh extends
    assert [g.prefixes for g in kt.groups][:2] == [["economy", "investment"], ["agri"]]
    assert layout("doi_ngoai").prefix_titles["gift"] == "Công tác tiếp nhận quà tặng, hỗ trợ"


def test_a_user_grammar_lays_out_its_own_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "vocabulary").mkdir()
    (tmp_path / "vocabulary" / "thuy_san.yaml").write_text("heads:\n  ao cá: [ao cá, ao nuôi cá]\n", encoding="utf-8")
    (tmp_path / "thuy_san.yaml").write_text(
        "id: thuy_san\ntitle: Báo cáo nuôi trồng thủy sản\nextends: [common]\n"
        "match:\n  keywords: [thủy sản]\n"
        "counts:\n  - key: aquaculture.ponds\n    noun: [ao cá]\n    render: 'toàn xã có {value} ao cá'\n"
        "layout:\n  subject: Tình hình nuôi trồng thủy sản\n  section: KẾT QUẢ NUÔI TRỒNG THỦY SẢN\n"
        "  groups:\n    - {title: Diện tích và số ao nuôi, prefixes: [aquaculture]}\n", encoding="utf-8")
    monkeypatch.setenv("BCPARSE_GRAMMARS", str(tmp_path))
    r = new_report("thuy_san", {"aquaculture.ponds": 42, "commune.households": 1430},
                   agency=["ỦY BAN NHÂN DÂN", "XÃ AN PHÚ"], place="An Phú", date="2024-12-01")
    text = render_text(r)
    assert "Tình hình nuôi trồng thủy sản năm 2024" in text
    assert "KẾT QUẢ NUÔI TRỒNG THỦY SẢN" in text and "Diện tích và số ao nuôi" in text
    assert "ĐẶC ĐIỂM TÌNH HÌNH" in text  # the shared profile section, from common's layout
    back = bcparse.parse_text(text)
    assert back.grammar == "thuy_san" and back.value("aquaculture.ponds") == 42
