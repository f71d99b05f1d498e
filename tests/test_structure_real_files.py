"""The structure part of benchmarks/accuracy.py on real files (tests/data/real-files/): header,
closing, outline, references, traps and a quiet numbering audit, scored from gold; and the harness
fails what is wrong (a gold entry altered so that the right answer is known)."""

from __future__ import annotations

import copy
import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("accuracy", ROOT / "benchmarks" / "accuracy.py")
assert spec and spec.loader
accuracy = importlib.util.module_from_spec(spec)
sys.modules["accuracy"] = accuracy
spec.loader.exec_module(accuracy)

DECREE = "real-files/001_nghi-dinh-30-2020-nd-cp"


def test_real_files_are_in_the_split_with_their_gold() -> None:
    split, gold = accuracy.load_split(), accuracy.load_gold()
    assert DECREE in split["development"] and DECREE in gold
    assert accuracy.real_file(DECREE).name == "nghi-dinh-30-2020-ND-CP.docx"


def test_decree_structure_parts_all_right() -> None:
    gold = accuracy.load_gold()[DECREE]
    sc = accuracy.score_file(DECREE, gold, accuracy._parse(DECREE), {})
    assert {k: (s.passed, s.total) for k, s in sc.items() if ":" not in k} == {
        "header": (7, 7), "closing": (8, 8), "numbering": (1, 1), "outline": (6, 6), "ref": (8, 8), "trap": (2, 2)}


def test_wrong_gold_fails_its_part() -> None:
    gold = copy.deepcopy(accuracy.load_gold()[DECREE])
    gold["closing"]["doc.signer_title"] = "PHÓ THỦ TƯỚNG"
    gold["closing"]["recipients_count"] = 20
    gold["outline"][1]["path"] = "I/2"
    sc = accuracy.score_file(DECREE, gold, accuracy._parse(DECREE), {})
    assert (sc["closing"].passed, sc["closing"].total) == (6, 8)
    assert (sc["outline"].passed, sc["outline"].total) == (5, 6)


def _real(stem: str):  # type: ignore[no-untyped-def]
    return accuracy._parse(f"real-files/{stem}")


def test_validation_split_is_every_fourth_real_file() -> None:
    split = accuracy.load_split()
    val = sorted(x for x in split["validation"] if x.startswith("real-files/"))
    assert val == ["real-files/004_bo-noi-vu-cong-van-11902", "real-files/008_bo-noi-vu-cong-van-8977",
                   "real-files/012_ubnd-hue-tham-luan-cai-nghien"]


def test_footnotes_after_the_signature_are_no_recipients_and_their_references_are_read() -> None:
    # six footnotes follow "TM. BAN CHỈ ĐẠO / … / Nguyễn Ngọc Phúc"; footnote [5] goes on with "- Nhiệm vụ …" lines
    r = _real("003_bcd-lam-dong-bao-cao-de-an-06-thang-10")
    assert len(r.closing.recipients) == 10 and r.closing.recipients[-1] == "Lưu: VT, NC.Châu"
    refs = {f.value for f in r.figures(all=True) if f.key == "ref.number"}
    assert {"3920", "130"} <= refs  # "[1] Kế hoạch số 3920/KH-UBND …", "[3] Kế hoạch số 130/…"


def test_closing_found_above_an_appendix_of_tables() -> None:
    # the plan's task table (about 500 lines) follows the signature
    r = _real("005_ubnd-lam-dong-ke-hoach-cchc-2026-2030")
    c = r.closing
    assert (c.signer_capacity, c.signer_capacity_for, c.signer_title, c.signer_name) == (
        "KT.", "CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Ngọc Phúc")
    assert len(c.recipients) == 13 and c.recipients[0] == "Bộ Nội vụ"


def test_cong_van_subject_on_the_number_line_and_date_after_the_subject() -> None:
    # "Số: /SNV-TCBC V/v báo cáo tình hình …" on one line of a signed PDF
    r = _real("010_snv-lam-dong-cong-van-3858")
    assert r.header.subject == "báo cáo tình hình tổ chức, hoạt động và quản lý hội năm 2025"
    assert r.closing.signer_name == "Nguyễn Đức Vũ"
    # a .doc header read row by row: number, "V/v …", then the quốc hiệu and the place-and-date line
    r = _real("009_ubnd-lam-dong-cong-van-tong-ket-pcmt")
    assert (r.header.subject, r.header.place, r.header.date) == (
        "xây dựng báo cáo tổng kết công tác PCMT năm 2025", "Lâm Đồng", "2025-11")


def test_subject_wrapped_onto_a_line_opening_with_nam() -> None:
    r = _real("006_snv-lam-dong-to-trinh-tuyen-truyen-cchc")
    assert r.header.subject == "Về việc ban hành Kế hoạch tuyên truyền cải cách hành chính năm 2026 tỉnh Lâm Đồng"


def test_bare_number_and_day_stamped_by_the_signing_system() -> None:
    # the page prints "Số: /SNV-TCBC" and "ngày tháng 12 năm 2025"; the signature widgets draw "3858"
    # over the blank of the number (their rectangle also covers "/SNV-TCBC") and "29" before "tháng"
    r = _real("010_snv-lam-dong-cong-van-3858")
    assert (r.header.number, r.header.symbol, r.header.date) == ("3858", "SNV-TCBC", "2025-12-29")
    lines = r.text.split("\n")
    num = next(f for f in r.figures(all=True) if f.key == "doc.number")
    assert lines[num.span.line - 1].strip() == "3858" and num.span.line > 21  # after the page's own text


def test_letter_glued_to_its_heading_is_a_section_and_quoted_clauses_are_not() -> None:
    # "a)Khoản 3 Điều 15 Nghị định …" (no space after the bracket) under "1. Căn cứ pháp lý liên quan";
    # the decree's clauses quoted after it ("“b) Trước khi hết nhiệm kỳ …") stay out of the outline
    r = _real("002_snv-binh-thuan-to-trinh-3367")
    lines = r.text.split("\n")
    secs = r.sections
    heads = [(secs[s.parent].number if s.parent is not None else None, s.number, lines[s.line - 1][:11])
             for s in secs]
    assert ("1", "a", "a)Khoản 3 Đ") in heads and ("1", "d", "d)Khoản 2 v") in heads
    assert not any(t.startswith("“") for _, _, t in heads)
    assert r.numbering_issues == []


def test_in_place_edit_inside_a_footnote_changes_only_the_footnotes_part(tmp_path: Path) -> None:
    # "[1] Kế hoạch số 3920/KH-UBND …" is footnote 1 of the report (word/footnotes.xml, no body paragraph)
    import io
    import zipfile

    import bcparse
    from bcparse.render import apply_edit, edit_docx

    src = accuracy.real_file("real-files/003_bcd-lam-dong-bao-cao-de-an-06-thang-10")
    r = bcparse.parse(src)
    item = next(f.item for f in r.figures(all=True) if f.key == "ref.number" and f.value == "3920")
    _, e = apply_edit(r, f"ref[{item}].number", "3921")
    assert e is not None and e.span.paragraph is None
    data = edit_docx(src, [e])
    before, after = zipfile.ZipFile(src), zipfile.ZipFile(io.BytesIO(data))
    assert [n for n in before.namelist() if before.read(n) != after.read(n)] == ["word/footnotes.xml"]
    out = tmp_path / "edited.docx"
    out.write_bytes(data)
    again = bcparse.parse(out)
    assert again.text == r.text.replace("số 3920/KH-UBND", "số 3921/KH-UBND")
