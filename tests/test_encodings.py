"""Legacy Vietnamese encodings: tables, conversion, detection, byte decoding, end to end."""

from __future__ import annotations

import codecs
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bcparse
from bcparse.errors import EncodingError
from bcparse.legacy_encodings import (
    _build_table,
    _table,
    convert,
    convert_with_offsets,
    decode_bytes,
    detect_legacy,
    font_encoding,
)
from bcparse.readers.txt import read_text

DATA = Path(__file__).parent / "data" / "encodings"

# known strings (legacy text as it shows in cp1252 → Unicode)
TCVN3 = [
    ("Céng hoµ x· héi chñ nghÜa ViÖt Nam", "Cộng hoà xã hội chủ nghĩa Việt Nam"),
    ("§éc lËp - Tù do - H¹nh phóc", "Độc lập - Tự do - Hạnh phúc"),
    ("Uû ban nh©n d©n x· B×nh Thµnh, huyÖn §Þnh Ho¸", "Uỷ ban nhân dân xã Bình Thành, huyện Định Hoá"),
    ("500.000®ång/xuÊt", "500.000đồng/xuất"),
    ("1.422 hé", "1.422 hộ"),
    ("284,62 ha", "284,62 ha"),
]
VNI = [
    ("Coäng hoaø xaõ hoäi chuû nghóa Vieät Nam", "Cộng hoà xã hội chủ nghĩa Việt Nam"),
    ("Ñoäc laäp - Töï do - Haïnh phuùc", "Độc lập - Tự do - Hạnh phúc"),
    ("UÛy ban nhaân daân xaõ Bình Thaønh, huyeän Ñònh Hoaù", "Ủy ban nhân dân xã Bình Thành, huyện Định Hoá"),
    ("500.000ñoàng/xuaát", "500.000đồng/xuất"),
]
SENTENCE = "Uỷ ban nhân dân xã Bình Thành báo cáo kết quả thực hiện nhiệm vụ năm 2024: hỗ trợ 1.422 hộ nghèo."

NOT_LEGACY = [
    "Hoá",
    "ỦY BAN",
    "Định",
    "500.000đồng",
    "Cộng hoà xã hội chủ nghĩa Việt Nam\nĐộc lập - Tự do - Hạnh phúc",
    SENTENCE,
    unicodedata.normalize("NFD", SENTENCE),
    "Tân Hà, ngày 5 tháng 3",  # Unicode with only Latin-1 letters
    "The café's résumé was naïve; the façade cost 5 µm of paint © 2024.",
    "Sí, yo sé que tú estás aquí. El niño tiene un año. Más información, por favor, señor José. "
    "¿Dónde está la estación? Aún no está configurado.",
    "Où est la gare ? Je suis sûr qu'il a dû partir, à côté de l'hôtel. Où allez-vous ?",
    "Feld »%s«, Referenz auf »%.255s«: Version enthält »%c« statt »%d«. Über Größe und Männer.",
    "Kortet blir nå satt opp på nytt for å lage nøkkel på %u bit; så gå då.",
    "Non può essere più di così; però è già città.",
    # short fragments: too little evidence under auto-detection
    "laäp",
    "Céng",
    "1.422 hé",
]

TONES = "\u0300\u0301\u0303\u0309\u0323"


def to_cp1258(text: str) -> bytes:
    """cp1258 the way Windows writes it: precomposed where the code page has the letter, else
    base letter + combining tone mark."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
            out += base.encode("cp1258") + "".join(c for c in parts if c in TONES).encode("cp1258")
    return bytes(out)


# ---------------------------------------------------------------------------------------------
# conversion
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("legacy", "unicode"), TCVN3)
def test_tcvn3_known_strings(legacy: str, unicode: str) -> None:
    assert convert(legacy, "tcvn3") == unicode
    assert convert_with_offsets(legacy, "tcvn3")[0] == unicode


@pytest.mark.parametrize(("legacy", "unicode"), VNI)
def test_vni_known_strings(legacy: str, unicode: str) -> None:
    assert convert(legacy, "vni") == unicode
    assert convert_with_offsets(legacy, "vni")[0] == unicode


def test_vntimeh_capitals() -> None:
    assert convert("UBND X· B×NH THµNH", "tcvn3", upper=True) == "UBND XÃ BÌNH THÀNH"
    assert convert("ubnd x· b×nh thµnh", "TCVN3", upper=True) == "UBND XÃ BÌNH THÀNH"
    assert convert("UBND X· B×NH THµNH", "tcvn3") == "UBND Xã BìNH THàNH"  # the font shows capitals


def test_output_is_nfc() -> None:
    for legacy, _ in TCVN3:
        out = convert(legacy, "tcvn3")
        assert unicodedata.is_normalized("NFC", out)
    # a combining mark left in the input is composed with the converted letter before it
    assert convert("\u00a8\u0301", "tcvn3") == "ắ"


def test_vni_longest_match_first() -> None:
    assert convert("ôù", "vni") == "ớ"  # not ơ + ù
    assert convert("öôøng", "vni") == "ường"
    assert convert("AÙ aù", "vni") == "Á á"
    assert convert("aú aü", "vni") == "ẳ ẵ"
    assert convert("î Î", "vni") == "ỵ Ỵ"


def test_pdf_glyph_stand_ins() -> None:
    # a PDF text layer of a .VnTime font gives U+2212 for ư and U+2219 for ã
    assert convert("nhµ n\u2212íc", "tcvn3") == "nhà nước"
    assert convert("x\u2219 héi", "tcvn3") == "xã hội"
    assert convert("5 \u2212 3", "tcvn3") == "5 \u2212 3"  # a minus between numbers stays


def test_unknown_encoding() -> None:
    with pytest.raises(EncodingError):
        convert("abc", "viscii")


def test_offsets_vni() -> None:
    out, offsets = convert_with_offsets("Coäng hoaø", "vni")
    assert out == "Cộng hoà"
    assert offsets == [0, 1, 3, 4, 5, 6, 7, 8]  # ộ from o (1) + ä (2); à from a (8) + ø (9)


def test_offsets_tcvn3_are_identity() -> None:
    text = TCVN3[2][0]
    out, offsets = convert_with_offsets(text, "tcvn3")
    assert len(out) == len(text)
    assert offsets == list(range(len(text)))


def test_offsets_upper_expanding() -> None:
    out, offsets = convert_with_offsets("ß µ", "vni", upper=True)  # ß is no VNI letter: SS
    assert out == "SS Μ"
    assert offsets == [0, 0, 1, 2]


LEGACY_ALPHABET = "aeouyAEOUYôöÔÖñ ùøûõïâáàåãäêéèúüëÙØÛÕÏÂÁÀÅÃÄÊÉÈÚÜË¸µ¶·¹©ª«¬®§×Þ\u0301\u2212x1-"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=LEGACY_ALPHABET, max_size=40), st.sampled_from(["tcvn3", "vni"]), st.booleans())
def test_offsets_agree_with_convert(text: str, encoding: str, upper: bool) -> None:
    out, offsets = convert_with_offsets(text, encoding, upper=upper)
    assert out == convert(text, encoding, upper=upper)
    assert len(offsets) == len(out)
    assert offsets == sorted(offsets)
    assert all(0 <= i < len(text) for i in offsets)


# ---------------------------------------------------------------------------------------------
# tables
# ---------------------------------------------------------------------------------------------


def test_duplicate_keys_first_wins() -> None:
    table = _build_table("t", {"map": [["µ", "à"], ["µ", "À"], ["aù", "á"]]})
    assert table.mapping == {"µ": "à", "aù": "á"}
    assert table.pattern.pattern.startswith("aù")  # longest first


def test_tcvn3_table_shape() -> None:
    mapping = _table("tcvn3").mapping
    assert len(mapping) == 73
    assert all(len(k) == 1 and 0xA1 <= ord(k) <= 0xFE for k in mapping)
    assert len(set(mapping.values())) == len(mapping)
    # VN3 has the seven capital base letters and no capital toned letter
    capitals = {v for v in mapping.values() if v.isupper()}
    assert capitals == set("ĂÂÊÔƠƯĐ")


def test_vni_table_follows_the_mark_layout() -> None:
    """Every VNI pair is base letter + the mark byte the layout gives its accents."""
    tone = {"\u0301": "ù", "\u0300": "ø", "\u0309": "û", "\u0303": "õ", "\u0323": "ï"}
    circumflex = {"": "â", "\u0301": "á", "\u0300": "à", "\u0309": "å", "\u0303": "ã", "\u0323": "ä"}
    breve = {"": "ê", "\u0301": "é", "\u0300": "è", "\u0309": "ú", "\u0303": "ü", "\u0323": "ë"}
    mapping = _table("vni").mapping
    assert len(mapping) == 130
    for legacy, letter in mapping.items():
        if len(legacy) == 1:
            continue
        base, mark = legacy
        parts = unicodedata.normalize("NFD", letter.lower())
        accents = parts[1:]
        toned = "".join(c for c in accents if c in tone)
        if "\u0302" in accents:
            expected = circumflex[toned]
        elif "\u0306" in accents:
            expected = breve[toned]
        else:
            expected = tone[toned]
        assert mark.lower() == expected, (legacy, letter)
        assert mark.isupper() == base.isupper() == letter.isupper()
        assert {"ô": "ơ", "ö": "ư"}.get(base.lower(), base.lower()) == unicodedata.normalize(
            "NFC", parts[0] + "".join(c for c in accents if c == "\u031b")
        )


def _iconv_tcvn() -> bool:
    if shutil.which("iconv") is None:
        return False
    probe = subprocess.run(["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"], input=b"\xb5", capture_output=True)
    return probe.returncode == 0 and probe.stdout.decode() == "à"


@pytest.mark.skipif(not _iconv_tcvn(), reason="glibc iconv with TCVN5712-1 not available")
def test_tcvn3_table_matches_iconv() -> None:
    mapping = _table("tcvn3").mapping
    data = bytes(ord(k) for k in mapping)
    out = subprocess.run(["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"], input=data, capture_output=True)
    assert out.stdout.decode() == "".join(mapping.values())


# ---------------------------------------------------------------------------------------------
# fonts
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("font", "expected"),
    [
        (".VnTime", ("tcvn3", False)),
        (".VnTimeH", ("tcvn3", True)),
        (".VnArial", ("tcvn3", False)),
        (".VnArialH", ("tcvn3", True)),
        (".VnArial NarrowH", ("tcvn3", True)),
        (".VnArial Narrow", ("tcvn3", False)),
        (".vntimeh", ("tcvn3", True)),
        ("ABCDEF+.VnTimeH,Bold", ("tcvn3", True)),
        ("ABCDEF+.VnTime-BoldItalic", ("tcvn3", False)),
        ("VnTimeH-Bold", ("tcvn3", True)),
        ("#2EVnTime", ("tcvn3", False)),
        ("VNI-Times", ("vni", False)),
        ("VNI-Helve", ("vni", False)),
        ("VNI-Helve-Condense", ("vni", False)),
        ("Times New Roman", None),
        ("Arial", None),
        ("", None),
        (None, None),
    ],
)
def test_font_encoding(font: str | None, expected: tuple[str, bool] | None) -> None:
    assert font_encoding(font) == expected


# ---------------------------------------------------------------------------------------------
# detection
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("legacy", "encoding"),
    [
        (TCVN3[0][0], "tcvn3"),
        (TCVN3[1][0], "tcvn3"),
        (TCVN3[2][0], "tcvn3"),
        (VNI[0][0], "vni"),
        (VNI[1][0], "vni"),
        (VNI[2][0], "vni"),
    ],
)
def test_detect_legacy_sentences(legacy: str, encoding: str) -> None:
    assert detect_legacy(legacy) == encoding


@pytest.mark.parametrize("text", NOT_LEGACY)
def test_detect_legacy_leaves_other_text(text: str) -> None:
    assert detect_legacy(text) is None


def test_detect_legacy_whole_report() -> None:
    expected = (DATA / "expected.txt").read_text(encoding="utf-8")
    assert detect_legacy(expected) is None
    assert detect_legacy((DATA / "report-utf8-tcvn3.txt").read_text(encoding="utf-8")) == "tcvn3"
    assert detect_legacy((DATA / "report-utf8-vni.txt").read_text(encoding="utf-8")) == "vni"


# ---------------------------------------------------------------------------------------------
# bytes
# ---------------------------------------------------------------------------------------------


def test_decode_utf8_and_boms() -> None:
    assert decode_bytes(SENTENCE.encode("utf-8")) == (SENTENCE, "utf-8")
    assert decode_bytes(codecs.BOM_UTF8 + SENTENCE.encode("utf-8")) == (SENTENCE, "utf-8-sig")
    assert decode_bytes(codecs.BOM_UTF16_LE + SENTENCE.encode("utf-16-le")) == (SENTENCE, "utf-16")
    assert decode_bytes(codecs.BOM_UTF16_BE + SENTENCE.encode("utf-16-be")) == (SENTENCE, "utf-16")
    assert decode_bytes(SENTENCE.encode("utf-32")) == (SENTENCE, "utf-32")
    assert decode_bytes(SENTENCE.encode("utf-16-le")) == (SENTENCE, "utf-16")  # no BOM
    assert decode_bytes(b"") == ("", "utf-8")


@pytest.mark.parametrize("text", NOT_LEGACY)
def test_decode_unicode_passes_through(text: str) -> None:
    assert decode_bytes(text.encode("utf-8")) == (text, "utf-8")


def test_decode_nfd_is_returned_as_is_and_read_gives_nfc(tmp_path: Path) -> None:
    nfd = unicodedata.normalize("NFD", SENTENCE)
    assert decode_bytes(nfd.encode("utf-8")) == (nfd, "utf-8")
    path = tmp_path / "nfd.txt"
    path.write_bytes(nfd.encode("utf-8"))
    doc = bcparse.read(path)
    assert doc.text == SENTENCE
    assert unicodedata.is_normalized("NFC", doc.text)


def test_decode_8bit_tcvn3_and_vni() -> None:
    lines = "\r\n".join(legacy for legacy, _ in TCVN3)
    text, name = decode_bytes(lines.encode("cp1252"))
    assert name == "tcvn3"
    assert text == "\r\n".join(u for _, u in TCVN3)
    lines = "\r\n".join(legacy for legacy, _ in VNI)
    text, name = decode_bytes(lines.encode("cp1252"))
    assert name == "vni"
    assert text == "\r\n".join(u for _, u in VNI)


def test_decode_8bit_tcvn3_headings() -> None:
    data = "UBND X· B×NH THµNH\tX· Hµ\r\nSè: 45/BC-UBND\r\nB¸O C¸O\r\nt×nh h×nh kinh tÕ - x· héi".encode(
        "cp1252"
    )
    text, name = decode_bytes(data)
    assert name == "tcvn3"
    assert text == "UBND XÃ BÌNH THÀNH\tXã Hà\r\nSố: 45/BC-UBND\r\nBÁO CÁO\r\ntình hình kinh tế - xã hội"


def test_decode_cp1258() -> None:
    data = to_cp1258(SENTENCE)
    assert any(b in data for b in b"\xcc\xec\xde\xd2\xf2")  # combining tone marks are used
    assert decode_bytes(data) == (SENTENCE, "cp1258")


def test_decode_cp1252_western_text() -> None:
    text = "Informe anual: la población creció un 3 % en el año. Résumé für Müller."
    assert decode_bytes(text.encode("cp1252")) == (text, "cp1252")


def test_decode_utf8_mojibake() -> None:
    legacy = "\n".join(legacy for legacy, _ in TCVN3)
    assert decode_bytes(legacy.encode("utf-8")) == ("\n".join(u for _, u in TCVN3), "utf-8+tcvn3")
    legacy = "\n".join(legacy for legacy, _ in VNI)
    assert decode_bytes(legacy.encode("utf-8")) == ("\n".join(u for _, u in VNI), "utf-8+vni")
    with_bom = codecs.BOM_UTF8 + TCVN3[0][0].encode("utf-8")
    assert decode_bytes(with_bom) == (TCVN3[0][1], "utf-8-sig+tcvn3")


def test_decode_mixed_unicode_and_tcvn3_lines() -> None:
    unicode_lines = ["Huyện Định Hoá báo cáo:", "Tân Hà, ngày 5 tháng 3"]
    legacy = [TCVN3[0][0], TCVN3[2][0], "Tæng sè 1.422 hé nghÌo"]
    text, name = decode_bytes("\n".join([*unicode_lines, *legacy]).encode("utf-8"))
    assert name == "utf-8+tcvn3"
    assert text.split("\n") == [*unicode_lines, TCVN3[0][1], TCVN3[2][1], "Tổng số 1.422 hộ nghèo"]


def test_decode_utf8_with_a_broken_byte() -> None:
    data = (SENTENCE * 3).encode("utf-8") + b"\xff" + SENTENCE.encode("utf-8")
    text, name = decode_bytes(data)
    assert name == "utf-8"
    assert text == SENTENCE * 3 + "\ufffd" + SENTENCE


def test_decode_junk_raises_one_line_error() -> None:
    junk = bytes(range(256)) * 8
    with pytest.raises(EncodingError) as info:
        decode_bytes(junk)
    assert "\n" not in str(info.value)
    with pytest.raises(EncodingError):
        decode_bytes(bytes(range(0xA0, 0x100)) * 4)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_decode_never_raises_anything_else(data: bytes) -> None:
    try:
        text, name = decode_bytes(data)
    except EncodingError:
        return
    assert isinstance(text, str) and isinstance(name, str)


# ---------------------------------------------------------------------------------------------
# end to end: the fixture files through bcparse.read
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "encoding"),
    [
        ("report-tcvn3.txt", "tcvn3"),
        ("report-vni.txt", "vni"),
        ("report-cp1258.txt", "cp1258"),
        ("report-utf16le.txt", "utf-16"),
        ("report-utf8-tcvn3.txt", "utf-8+tcvn3"),
        ("report-utf8-vni.txt", "utf-8+vni"),
    ],
)
def test_read_fixture(name: str, encoding: str) -> None:
    expected = read_text((DATA / "expected.txt").read_text(encoding="utf-8")).text
    doc = bcparse.read(DATA / name)
    assert doc.meta["encoding"] == encoding
    assert doc.text == expected
    assert unicodedata.is_normalized("NFC", doc.text)
    assert "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM" in doc.text
    assert "Uỷ ban nhân dân xã Bình Thành, huyện Định Hoá" in doc.text
    assert "500.000đồng/xuất" in doc.text
