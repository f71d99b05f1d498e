"""Structure of real government files (issue 19): decimal outlines, closing blocks in two columns,
Công văn subjects, party-committee headers, references written the way clerks write them.

The texts in tests/data/structure/ are laid out as the real files of departments, districts and
communes are (each quirk is named where it is tested).
"""

from __future__ import annotations

from pathlib import Path

import bcparse

DATA = Path(__file__).resolve().parent / "data" / "structure"


def paths(r: bcparse.Report) -> list[str]:
    out = []
    for i in range(len(r.sections)):
        chain = []
        j: int | None = i
        while j is not None:
            chain.append(r.sections[j].number or "?")
            j = r.sections[j].parent
        out.append("/".join(reversed(chain)))
    return out


# ---- item 4: decimal outlines ---------------------------------------------------------------


def test_decimal_outline_levels_from_the_numbering() -> None:
    r = bcparse.parse(DATA / "outline-decimal.txt")
    p = paths(r)
    # "2.1." under "2." although "a)" appeared (under "1.") before any dotted number
    assert "THỨ NHẤT/I/2/2.1" in p and "THỨ NHẤT/I/2/2.2" in p
    # the letters under "2.2." are its children, not above it
    assert "THỨ NHẤT/I/2/2.2/a" in p and "THỨ NHẤT/I/2/2.2/b" in p
    assert "THỨ NHẤT/I/1/a" in p
    # levels are depths: "a)" under "1." is level 4, under "2.2." level 5
    lv = {pp: s.level for pp, s in zip(p, r.sections, strict=True)}
    assert lv["THỨ NHẤT/I/1/a"] == 4 and lv["THỨ NHẤT/I/2/2.2/a"] == 5


def test_glued_dotted_heading_is_a_heading() -> None:
    # quirk: "4.1.Công tác xây dựng văn bản" has no space after the number
    r = bcparse.parse(DATA / "outline-decimal.txt")
    s = next(s for s in r.sections if s.number == "4.1")
    assert s.title == "Công tác xây dựng văn bản quy phạm pháp luật"
    assert "THỨ NHẤT/I/4/4.2" in paths(r)


def test_part_two_restarts_the_numbering() -> None:
    r = bcparse.parse(DATA / "outline-decimal.txt")
    p = paths(r)
    assert "THỨ HAI/1" in p and "THỨ HAI/2" in p
    part2 = next(s for s in r.sections if s.number == "THỨ HAI")
    assert part2.level == 1 and part2.title == "NHIỆM VỤ 6 THÁNG CUỐI NĂM 2024"


def test_cited_and_quoted_clauses_are_not_sections() -> None:
    # "Điều 3 Nghị định số 61/2018/NĐ-CP quy định như sau:" + "1. …; 2. …", then a quoted "“1. …”"
    r = bcparse.parse(DATA / "outline-decimal.txt")
    titles = [s.title for s in r.sections]
    assert not any(t.startswith(("Tổ chức tiếp nhận", "Trả kết quả", "Thực hiện dịch vụ")) for t in titles)
    assert [s.number for s in r.sections if s.parent is not None and r.sections[s.parent].number == "I"] == [
        "1", "2", "3", "4"]


def test_numbering_audit_is_quiet_on_right_numbering() -> None:
    from bcparse.audit import audit_report

    r = bcparse.parse(DATA / "outline-decimal.txt")
    assert r.numbering_issues == []
    assert [f for f in audit_report(r) if f.code.startswith("BC20")] == []


# ---- item 2: closing blocks ------------------------------------------------------------------


def test_two_column_closing_keeps_the_title_out_of_the_recipients() -> None:
    # quirk: "Nơi nhận:<tabs>GIÁM ĐỐC" and "- Lưu: VT, CCHC.<tabs>(Đã ký)": the columns typed with tabs
    c = bcparse.parse(DATA / "congvan-two-columns.txt").closing
    assert c.recipients == ["Như trên", "Lưu: VT, CCHC"]
    assert c.signer_title == "GIÁM ĐỐC" and c.signer_name == "Trần Văn Minh"
    assert c.signer_authority is None and c.signer_capacity is None


def test_steering_committee_signature_with_a_concurrent_post() -> None:
    # quirk: a PDF line whose two columns ran together: "- Ban Chỉ đạo 389 quốc gia; PHÓ TRƯỞNG BAN"
    r = bcparse.parse(DATA / "steering-closing.txt")
    c = r.closing
    assert c.recipients == ["Ban Chỉ đạo 389 quốc gia", "Lưu: VT"]
    assert c.signer_authority == "TM." and c.signer_collective == "TM. BAN CHỈ ĐẠO"
    assert c.signer_capacity is None
    assert c.signer_title == "PHÓ TRƯỞNG BAN"
    assert c.signer_concurrent_post == "PHÓ CHỦ TỊCH UBND TỈNH"
    assert c.signer_name == "Lê Văn Hòa"
    assert r.value("doc.signer_concurrent_post") == "PHÓ CHỦ TỊCH UBND TỈNH"
    sp = r.get("doc.signer_concurrent_post").span
    assert r.text[sp.offset : sp.offset + sp.length] == "PHÓ CHỦ TỊCH UBND TỈNH"
    # the body ends where the closing begins
    assert r.sections[-1].end_line < c.start_line


def test_party_signature_t_slash_m() -> None:
    c = bcparse.parse(DATA / "party-header.txt").closing
    assert c.signer_authority == "TM." and c.signer_collective == "T/M ĐẢNG ỦY"
    assert c.signer_title == "BÍ THƯ" and c.signer_name == "Nguyễn Thị Lan"
    assert c.recipients == ["Huyện ủy Lâm Hà", "Lưu VP"]


def test_wrapped_recipient_is_one_recipient() -> None:
    # the decree's Nơi nhận wraps "- Các bộ, cơ quan ngang bộ," onto "cơ quan thuộc Chính phủ;"
    c = bcparse.parse(DATA.parent / "nghi-dinh-30-2020-ND-CP.docx").closing
    assert c.recipients[2] == "Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ"
    assert c.recipients[-1] == "Lưu: VT, HC (2)"


# ---- item 3 and the party header -------------------------------------------------------------


def test_cong_van_subject_beside_kinh_gui() -> None:
    r = bcparse.parse(DATA / "congvan-two-columns.txt")
    h = r.header
    assert (h.number, h.symbol, h.date) == ("1524", "SNV-CCHC", "2024-08-05")
    assert h.subject == "báo cáo kết quả thực hiện Chương trình 07 năm 2024"
    assert h.to == ["Ủy ban nhân dân tỉnh Lâm Đồng"]
    sp = h.spans["subject"]
    assert r.text[sp.offset : sp.offset + sp.length] == "báo cáo kết quả thực hiện\nChương trình 07 năm 2024"
    assert [s.number for s in r.sections] == ["1", "2"]


def test_party_committee_header() -> None:
    # "ĐẢNG BỘ HUYỆN … / ĐẢNG ỦY XÃ … / * / Số 12- BC/ĐU / ĐẢNG CỘNG SẢN VIỆT NAM / Tân Hà, ngày …"
    r = bcparse.parse(DATA / "party-header.txt")
    h = r.header
    assert h.agency == ["ĐẢNG BỘ HUYỆN LÂM HÀ", "ĐẢNG ỦY XÃ TÂN HÀ"]
    assert (h.number, h.symbol) == ("12", "BC/ĐU")
    assert h.motto == "ĐẢNG CỘNG SẢN VIỆT NAM" and h.national_title is None
    assert (h.place, h.date, h.type) == ("Tân Hà", "2023-12-20", "BÁO CÁO")
    assert r.value("doc.number") == "12"


# ---- item 5: references ----------------------------------------------------------------------


def test_references_date_first_hyphen_symbol_and_bare_number() -> None:
    r = bcparse.parse(DATA / "congvan-two-columns.txt")
    refs: dict[int, dict[str, object]] = {}
    for f in r.figures():
        if f.key and f.key.startswith("ref.") and f.item is not None:
            refs.setdefault(f.item, {})[f.key[4:]] = f.value
    got = sorted(refs.values(), key=lambda d: str(d.get("number")))
    # "Ngày 02/8/2024, Sở Tài chính có Công văn số 1987/STC-NS": the date opens the sentence
    assert {"kind": "Công văn", "number": "1987", "symbol": "STC-NS", "date": "2024-08-02"} in got
    assert {"kind": "Nghị quyết", "number": "57", "symbol": "NQ/TW"} in got
    # without "số" or ký hiệu
    assert {"kind": "Quyết định", "number": "1847"} in got
    assert {"kind": "Chương trình", "number": "07"} in got
    # "theo Khoản 3 Điều 12 Nghị định 61/2018/NĐ-CP": the decree with its year in the number
    assert {"kind": "Nghị định", "number": "61/2018", "symbol": "NĐ-CP"} in got


def test_bare_number_followed_by_a_unit_is_no_reference() -> None:
    from bcparse.references import find_docrefs

    assert find_docrefs("thực hiện kế hoạch 5 năm và Quyết định 12 năm 2020") == []


# ---- item 1: a signed PDF whose number and day live in the signature's appearance -------------

SIGNED = DATA.parent / "pdf" / "signed-stamp.pdf"  # tests/data/pdf/make_signed.py


def test_signed_pdf_stamp_is_read_from_the_widget_appearance() -> None:
    doc = bcparse.read(SIGNED)
    # the page's own text has the blanks; the widget's appearance stream the number and day
    assert "Số: /BC-UBND" in doc.text
    stamps = doc.meta["stamps"]
    assert stamps == [{"page": 1, "annotation": "Widget", "lines": ["Số: 412/BC-UBND", "ngày 17 tháng 3"],
                       "added": ["Số: 412/BC-UBND ngày 17 tháng 3"], "block": stamps[0]["block"]}]
    assert [b.text for b in doc.blocks[stamps[0]["block"]:]] == ["Số: 412/BC-UBND", "ngày 17 tháng 3"]


def test_signed_pdf_header_number_and_full_date_from_the_stamp() -> None:
    r = bcparse.parse(SIGNED)
    h = r.header
    assert (h.number, h.symbol, h.date) == ("412", "BC-UBND", "2024-03-17")
    assert h.blanks == []
    assert r.value("doc.number") == "412" and r.value("doc.date") == "2024-03-17"
    # provenance: the spans point at the stamp's lines, page 1
    for key, raw in (("number_raw", "Số: 412/BC-UBND"), ("date", "ngày 17 tháng 3")):
        sp = h.spans[key]
        assert r.text[sp.offset : sp.offset + sp.length] == raw and sp.page == 1
    st = h.spans["stamp"]
    assert r.text[st.offset : st.offset + st.length] == "Số: 412/BC-UBND\nngày 17 tháng 3"
    # the stamp is no part of the closing
    assert r.closing.recipients == ["UBND huyện", "Lưu: VP"] and r.closing.signer_name == "Ma Khánh Sơn"
    # the PDF ran the centred "TM. ỦY BAN NHÂN DÂN" and "CHỦ TỊCH" into one line: cut at the position
    assert "TM. ỦY BAN NHÂN DÂN CHỦ TỊCH" in r.text
    assert (r.closing.signer_collective, r.closing.signer_title) == ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")
    sp = r.closing.spans["signer_title"]
    assert r.text[sp.offset : sp.offset + sp.length] == "CHỦ TỊCH"


def test_mark_lines_run_together_are_cut_at_the_position() -> None:
    from bcparse.structure import _position_tail

    cuts = {t: (None if (c := _position_tail(t)) is None else t[c:]) for t in (
        "KT. CHỦ TỊCH PHÓ CHỦ TỊCH", "TM. BAN CHỈ ĐẠO PHÓ TRƯỞNG BAN", "TL. CHỦ TỊCH CHÁNH VĂN PHÒNG",
        "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "TM. BAN THƯỜNG VỤ", "TM. HỘI ĐỒNG NHÂN DÂN")}
    assert cuts == {"KT. CHỦ TỊCH PHÓ CHỦ TỊCH": "PHÓ CHỦ TỊCH", "TM. BAN CHỈ ĐẠO PHÓ TRƯỞNG BAN": "PHÓ TRƯỞNG BAN",
                    "TL. CHỦ TỊCH CHÁNH VĂN PHÒNG": "CHÁNH VĂN PHÒNG", "TM. ỦY BAN NHÂN DÂN": None,
                    "KT. CHỦ TỊCH": None, "TM. BAN THƯỜNG VỤ": None, "TM. HỘI ĐỒNG NHÂN DÂN": None}


def test_stamp_with_another_month_does_not_change_the_date() -> None:
    from bcparse.document import Block, Document
    from bcparse.structure import parse_structure

    blocks = [Block(text=t) for t in ("ỦY BAN NHÂN DÂN", "XÃ BÌNH THÀNH", "Số: /BC-UBND",
                                      "Bình Thành, ngày tháng 3 năm 2024", "BÁO CÁO", "Kết quả",
                                      "ngày 17 tháng 4")]
    doc = Document(blocks, format="pdf", meta={"stamps": [{"page": 1, "annotation": "Widget",
                                                          "lines": ["ngày 17 tháng 4"], "block": 6}]})
    h = parse_structure(doc).header
    assert h.date == "2024-03" and "day" in h.blanks and "stamp" not in h.spans


def _with_footnotes(data: bytes, notes: list[str]) -> bytes:
    """The .docx with a footnotes part holding ``notes`` (and Word's two separator notes)."""
    import io
    import zipfile

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(f'<w:footnote w:id="{i + 1}"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {t}'
                   f"</w:t></w:r></w:p></w:footnote>" for i, t in enumerate(notes))
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{w}">'
           '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
           '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p>'
           f"</w:footnote>{body}</w:footnotes>").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            blob = zin.read(info)
            if info.filename == "word/_rels/document.xml.rels":
                blob = blob.replace(b"</Relationships>", b'<Relationship Id="rIdFn" Type="http://schemas.openxmlformats.org/'
                                    b'officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/></Relationships>')
            zout.writestr(info, blob)
        zout.writestr("word/footnotes.xml", xml)
    return out.getvalue()


def test_references_in_docx_footnotes() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("builders", DATA.parent / "docx" / "builders.py")
    assert spec and spec.loader
    b = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(b)
    body = b.p("Thực hiện chỉ đạo của UBND huyện, xã đã triển khai kế hoạch.") + b.p("Xã có 1.422 hộ.")
    data = _with_footnotes(b.package(body), ["Kế hoạch số 10/KH-UBND ngày 10/01/2024 của UBND huyện."])
    r = bcparse.parse(data)
    assert r.text.endswith("\n\n[1] Kế hoạch số 10/KH-UBND ngày 10/01/2024 của UBND huyện.")
    refs = {f.key: f.value for f in r.figures() if f.key and f.key.startswith("ref.")}
    assert refs == {"ref.kind": "Kế hoạch", "ref.number": "10", "ref.symbol": "KH-UBND", "ref.date": "2024-01-10"}


def _dev_sentence(path: str, sentence: str) -> str:
    text = (DATA.parent / path).read_text(encoding="utf-8")
    assert sentence in text, f"{path} does not hold {sentence!r}"
    return sentence


def test_a_bare_reference_written_in_capitals_with_its_issuer_and_date() -> None:
    from bcparse.references import find_docrefs

    s = _dev_sentence("real/410_xa-bao-hieu-nong-thon-moi-2022.txt",
                      "theo Nghị Quyết 830 của Ủy ban Thường vụ Quốc Hội ngày 17/12/2019.")
    assert [(r.kind, r.number, r.symbol, r.date) for r in find_docrefs(s)] == [
        ("Nghị quyết", "830", None, "2019-12-17")]


def test_a_date_opening_a_clause_is_its_reference_date() -> None:
    from bcparse.references import find_docrefs

    s = _dev_sentence("real-more/330_tinh-quang-binh-doi-ngoai-2020.txt",
                      "ngày 05/9/2019, UBND tỉnh đã ban hành Công văn số 1450/UBND-NC")
    assert [(r.kind, r.number, r.symbol, r.date) for r in find_docrefs("hiện hành, " + s)] == [
        ("Công văn", "1450", "UBND-NC", "2019-09-05")]


def test_the_authority_line_of_a_decision_is_not_its_subject() -> None:
    # a Quyết định: the subject in ordinary case, then the authority in capitals (NĐ 30/2020, Phụ lục III)
    text = ("ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI\nSố: 890/QĐ-UBND\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "Độc lập - Tự do - Hạnh phúc\nHà Nội, ngày 11 tháng 08 năm 2026\n\nQUYẾT ĐỊNH\n"
            "Về việc phê duyệt Đề án Số hóa hồ sơ hành chính điện tử\ngiai đoạn 2026 - 2030\n"
            "CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI\nCăn cứ Luật Tổ chức chính quyền địa phương;\n")
    r = bcparse.parse_text(text)
    assert r.value("doc.subject") == "Về việc phê duyệt Đề án Số hóa hồ sơ hành chính điện tử giai đoạn 2026 - 2030"
