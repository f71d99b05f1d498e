"""Issue 11, item 11: ``bcparse render FILE`` gives back a .txt source byte for byte, and an edit
changes only the bytes of the number (in the file's own encoding and line endings).

Every .txt of samples/ and tests/data (real/, encodings/) is checked as it is and in variants made
here: CRLF line ends, a UTF-8 BOM, UTF-16 (LE with a BOM, BE with CRLF).
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import pytest

import bcparse
from bcparse.cli import main
from bcparse.errors import ValidationError
from bcparse.models import Figure, Report
from bcparse.readers.txt import SourceMap, read_txt_bytes
from bcparse.render import apply_edit, set_figure
from bcparse.render.edit import resolve
from bcparse.render.text import line_starts, offset_of_span, render_source, splice
from bcparse.textview import normalize_text

ROOT = Path(__file__).resolve().parent.parent
TEXTS = sorted(
    list((ROOT / "samples").glob("*.txt"))
    + list((ROOT / "tests" / "data" / "real").glob("*.txt"))
    + list((ROOT / "tests" / "data" / "encodings").glob("*.txt"))
)
SAMPLES = [p for p in TEXTS if p.parent.name == "samples"]


def _variants() -> list[tuple[str, Path, str]]:
    out = []
    for p in TEXTS:
        out.append((p.name, p, "as-is"))
        if b"\r" not in p.read_bytes():
            out.append((p.name + "-crlf", p, "crlf"))
    for p in SAMPLES:
        for v in ("bom", "utf16", "utf16be-crlf"):
            out.append((f"{p.name}-{v}", p, v))
    return out


VARIANTS = _variants()


def make(path: Path, variant: str) -> tuple[bytes, str]:
    """(bytes, codec the digits are written in) of one variant of a text."""
    data = path.read_bytes()
    try:
        data.decode("utf-8")
        codec = "utf-8"
    except UnicodeDecodeError:  # 8-bit legacy text: its digits are ASCII
        codec = "utf-16-le" if data.startswith(codecs.BOM_UTF16_LE) else "latin-1"
    if variant == "as-is":
        return data, codec
    if variant == "crlf":
        return data.replace(b"\n", b"\r\n"), codec
    if variant == "bom":
        return codecs.BOM_UTF8 + data, codec
    text = data.decode("utf-8")
    if variant == "utf16":
        return codecs.BOM_UTF16_LE + text.encode("utf-16-le"), "utf-16-le"
    assert variant == "utf16be-crlf"
    return codecs.BOM_UTF16_BE + text.replace("\n", "\r\n").encode("utf-16-be"), "utf-16-be"


_parsed: dict[tuple[str, str], tuple[bytes, str, Report]] = {}


def parsed(name: str, path: Path, variant: str, tmp: Path) -> tuple[bytes, str, Report]:
    if (name, variant) not in _parsed:
        data, codec = make(path, variant)
        f = tmp / (name if name.endswith(".txt") else name + ".txt")
        f.write_bytes(data)
        _parsed[(name, variant)] = (data, codec, bcparse.parse(f))
    return _parsed[(name, variant)]


def editable(r: Report) -> list[tuple[str, Figure]]:
    """(--set key, figure) of the numeric figures a --set can rewrite; the key is whichever address
    :func:`bcparse.render.edit.resolve` maps to the figure."""
    out = []
    for f in r.figures():
        if f.derived or (f.rule or "").endswith(".listed") or f.qualifier == "none" or not f.key:
            continue
        if f.kind not in ("count", "number", "money", "percent", "decimal") or not isinstance(f.value, int | float):
            continue
        idx = r.figure_list.index(f)
        rec, _, field = f.key.partition(".")
        keys = [f.key] if f.item is None else [f"{rec}[{n}].{field}" for n in range(1, 40)]
        for key in keys:
            try:
                if resolve(r, key) == idx:
                    out.append((key, f))
                    break
            except ValidationError:
                continue
    return out


def changed_stretch(old: bytes, new: bytes) -> tuple[int, int, int]:
    """(start, end in old, end in new) of the one stretch where two byte strings differ."""
    i = 0
    while i < min(len(old), len(new)) and old[i] == new[i]:
        i += 1
    j = 0
    while j < min(len(old), len(new)) - i and old[-1 - j] == new[-1 - j]:
        j += 1
    return i, len(old) - j, len(new) - j


@pytest.mark.parametrize(("name", "path", "variant"), VARIANTS, ids=[v[0] for v in VARIANTS])
def test_item11_render_without_edit_gives_back_the_file_byte_for_byte(
    name: str, path: Path, variant: str, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    data, _ = make(path, variant)
    f = tmp_path / "report.txt"
    f.write_bytes(data)
    assert main(["render", str(f)]) == 0
    assert capsysbinary.readouterr().out == data
    out = tmp_path / "out.txt"
    assert main(["render", str(f), "-o", str(out)]) == 0
    assert out.read_bytes() == data


@pytest.mark.parametrize(("name", "path", "variant"), VARIANTS, ids=[v[0] for v in VARIANTS])
def test_item11_every_number_maps_back_to_its_own_bytes(name: str, path: Path, variant: str, tmp_path: Path) -> None:
    data, codec, r = parsed(name, path, variant, tmp_path)
    doc = read_txt_bytes(data)
    smap = SourceMap(data, doc)
    legacy = smap.encoding not in ("utf-8", "utf-8-sig", "utf-16")
    starts = line_starts(r.text)
    checked = 0
    for f in r.figure_list:
        a0 = offset_of_span(starts, f.span)
        stretches = [(a0, a0 + f.span.length)]
        if f.num_start is not None and f.num_end is not None and f.num_end > f.num_start:
            stretches.append((f.num_start, f.num_end))
        for s, e in stretches:
            want = r.text[s:e]
            if (legacy and not want.isascii()) or not want or "\n" in want:
                continue  # "không có" in TCVN3 bytes
            block = doc.blocks[doc.block_index_at(s)]
            spans = smap.block_stretches(block)
            a = spans[s - block.offset][0]
            b = spans[e - 1 - block.offset][1]
            got = normalize_text(data[a:b].decode(codec)).replace("**", "")
            assert got.split() == want.split(), (f.key, f.raw)
            checked += 1
    assert checked >= 1


@pytest.mark.parametrize(("name", "path", "variant"), VARIANTS, ids=[v[0] for v in VARIANTS])
def test_item11_one_set_changes_only_the_bytes_of_that_number(
    name: str, path: Path, variant: str, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    data, codec, r = parsed(name, path, variant, tmp_path)
    src = tmp_path / "report.txt"
    src.write_bytes(data)
    figs = editable(r)
    if figs:  # through the command line
        key, f = figs[len(figs) // 2]
        value = int(f.value) + 7 if isinstance(f.value, int) else round(float(f.value) + 1.25, 2)
        edited, edit = apply_edit(r, key, value)
        assert edit is not None
        old_number = edit.old
        assert main(["render", str(src), "--set", f"{key}={value}"]) == 0
        out = capsysbinary.readouterr().out
    else:  # no keyed figure: a number of the text, through the API
        qs = [m.span() for m in re.finditer(r"(?<![\w.,/-])\d+(?![\w.,/-])", r.text)]
        a, b = qs[len(qs) // 2]
        old_number = r.text[a:b]
        edited = splice(r, a, b, str(int(old_number) + 7))
        out = render_source(edited, data)
    assert out != data
    # the one stretch that differs lies inside the bytes of the number as the file writes it
    start, old_end, new_end = changed_stretch(data, out)
    number = old_number.encode(codec)
    inside = [at for at in range(max(0, old_end - len(number)), start + 1) if data[at : at + len(number)] == number]
    assert inside, (number, data[start:old_end])
    # the same line ends, encoding and everything else: the output reads back as edited
    (tmp_path / "out.txt").write_bytes(out)
    back = bcparse.parse(tmp_path / "out.txt")
    assert back.text == edited.text
    if figs:
        assert back.figure_list[resolve(back, key)].value == value
    assert out.count(b"\r") == data.count(b"\r") and out[:3] == data[:3]

def test_item11_edit_inside_a_joined_paragraph_keeps_the_line_break() -> None:
    """013 joins a paragraph a hard wrap split; an edit after the join rewrites only the digits."""
    path = ROOT / "tests" / "data" / "real" / "013_bo-ldtbxh-giam-ngheo-30a-6thang-2010.txt"
    data = path.read_bytes()
    r = bcparse.parse(path)
    doc = read_txt_bytes(data)
    joined = {id(b) for b in doc.blocks if b.joins}
    hits = 0
    for f in r.figure_list:
        if f.num_start is None or f.num_end is None:
            continue
        b = doc.blocks[doc.block_index_at(f.num_start)]
        if id(b) not in joined or f.num_start - b.offset <= b.joins[0]:
            continue
        old = r.text[f.num_start : f.num_end]
        new = "9" * len(old.replace(".", "").replace(",", ""))
        if new == old:
            continue
        edited = splice(r, f.num_start, f.num_end, new)
        out = render_source(edited, data)
        start, old_end, new_end = changed_stretch(data, out)
        assert data[start:old_end].decode() in old and out[start:new_end].decode() in new
        assert out.count(b"\n") == data.count(b"\n")
        hits += 1
    assert hits >= 1


def test_item11_markdown_markers_stay_around_an_edited_number(tmp_path: Path) -> None:
    """A number between ``**`` markers (the sample's signature block made bold) keeps them."""
    data = SAMPLES[0].read_bytes().replace("là 280 trong".encode(), "là **280** trong".encode())
    f = tmp_path / "md.txt"
    f.write_bytes(data)
    r = bcparse.parse(f)
    out = render_source(set_figure(r, "party.members", 12345), data)
    assert out == data.replace(b"**280**", b"**12.345**")


def test_item11_report_json_and_docx_render_their_text_view() -> None:
    r = bcparse.parse(ROOT / "samples" / "binh-thanh-doi-ngoai-2024.docx")
    assert render_source(r, (ROOT / "samples" / "binh-thanh-doi-ngoai-2024.docx").read_bytes()) == (
        r.text + "\n"
    ).encode()
    again = Report.model_validate_json(bcparse.parse(SAMPLES[0]).model_dump_json(by_alias=True))
    assert render_source(again, None) == (again.text + "\n").encode()


def test_item11_an_edit_that_would_read_back_otherwise_is_refused() -> None:
    """A hard-wrapped line that starts with the number: writing "1." there would make the line a
    numbered item of its own when read back; refused, nothing written."""
    data = "Tổng số hộ dân là\n1.422 hộ trong xã.\n".encode()
    r = bcparse.read(data)
    assert r.text == "Tổng số hộ dân là 1.422 hộ trong xã."
    report = Report(text=r.text, format="txt")
    from bcparse.render.text import splice

    edited = splice(report, len("Tổng số hộ dân là "), len("Tổng số hộ dân là 1.422"), "1.")
    with pytest.raises(ValidationError):
        render_source(edited, data)
