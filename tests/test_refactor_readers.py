"""Issue 12, items 5 (one normalisation, one atomic writer), 6 (readers as packages, one guarded
.docx package reader) and 7 (``bcparse.encodings`` renamed ``bcparse.legacy_encodings``)."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import bcparse

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "bcparse"


def _imports_from(path: Path, module: str) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[-1] == module:
            names += [a.name for a in node.names]
    return names


def test_item7_encodings_module_is_legacy_encodings() -> None:
    """No module of bcparse shadows the standard library's ``encodings``; the legacy encodings
    module is imported under its new name, through public names only."""
    assert importlib.util.find_spec("bcparse.encodings") is None
    from bcparse import legacy_encodings

    assert legacy_encodings.convert("B\u00b8o c\u00b8o", "tcvn3") == "Báo cáo"
    for path in PKG.rglob("*.py"):
        names = _imports_from(path, "legacy_encodings")
        assert not [n for n in names if n.startswith("_")], f"{path} imports private names {names}"
        assert not _imports_from(path, "encodings"), path
    assert bcparse.read(ROOT / "tests" / "data" / "encodings" / "report-tcvn3.txt").blocks


# ---------------------------------------------------------------------------------------------
# item 6: readers as packages, one guarded .docx package reader
# ---------------------------------------------------------------------------------------------


def test_item6_readers_are_packages_split_along_their_steps() -> None:
    import importlib

    for name in ("pdfium", "glyphs", "furniture", "regions", "paragraphs"):
        importlib.import_module(f"bcparse.readers.pdf.{name}")
    for name in ("package", "styles", "body", "tables", "fonts", "ooxml"):
        importlib.import_module(f"bcparse.readers.docx.{name}")
    from bcparse.readers.docx import read_docx
    from bcparse.readers.pdf import font_style, read_pdf

    assert callable(read_docx) and callable(read_pdf)
    assert font_style("ABCDEF+TimesNewRoman,Bold") == (True, False)
    assert not (PKG / "readers" / "pdf.py").exists() and not (PKG / "readers" / "docx.py").exists()


def _malformed_docx() -> list[tuple[str, bytes]]:
    import sys

    sys.path.insert(0, str(ROOT / "tests"))
    import make_malformed as mm

    out = []
    for case in mm.docx_cases():
        if case.isolate or not case.name.endswith(".docx"):
            continue
        out.append((case.name, case.data() if callable(case.data) else case.data))
    return out


def _error(fn, data: bytes) -> tuple[str, str] | None:  # type: ignore[no-untyped-def]
    from bcparse.errors import BcparseError

    try:
        fn(data)
    except BcparseError as e:
        return type(e).__name__, str(e)
    return None


def test_item6_the_docx_editor_refuses_what_the_reader_refuses() -> None:
    """The in-place .docx editor opens the package through the reader's guarded package reader:
    every malformed or hostile .docx of tests/make_malformed.py gets the same typed error (class
    and message) from ``edit_docx`` as from ``read_docx``, with or without edits."""
    from bcparse.readers.docx import read_docx
    from bcparse.render.docx import edit_docx

    cases = _malformed_docx()
    refused = 0
    unsafe = 0
    for name, data in cases:
        want = _error(read_docx, data)
        got = _error(lambda d: edit_docx(d, []), data)
        assert got == want, name
        refused += want is not None
        unsafe += want is not None and want[0] == "UnsafeFileError"
    assert refused >= 30 and unsafe >= 10, (refused, unsafe)


def test_item6_render_of_a_hostile_docx_is_a_typed_error_and_no_output(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    """``bcparse render x.docx --set … --format docx -o out.docx`` on a hostile .docx: exit 2, the
    reader's one-line message, no output file."""
    from bcparse.readers.docx import read_docx

    data = dict(_malformed_docx())["docx/billion-laughs-rels.docx"]
    src = tmp_path / "x.docx"
    src.write_bytes(data)
    out = tmp_path / "out.docx"
    p = run_cli("render", src, "--set", "doc.number=12", "--format", "docx", "-o", out)
    assert p.returncode == 2
    kind, message = _error(read_docx, data) or ("", "")
    assert kind == "UnsafeFileError" and message.split(" (")[0] in p.stderr
    assert len(p.stderr.strip().splitlines()) == 1 and "Traceback" not in p.stderr
    assert not out.exists()


# ---------------------------------------------------------------------------------------------
# item 5: one text normalisation, one atomic file writer
# ---------------------------------------------------------------------------------------------


def test_item5_one_text_normalisation() -> None:
    """The .docx editor maps text exactly as the readers normalise it (textview), soft hyphens
    included, and nothing outside textview normalises the view its own way."""
    from bcparse.render.docx import _norm_map
    from bcparse.textview import normalize_text

    raw = "Tổng\u00a0số 1\u00ad234 ngu\u031bo\u031b\u0300i \u00d0ồng\u200b tháng\u202f12"
    norm, idx = _norm_map(raw)
    assert norm == normalize_text(raw) == "Tổng số 1\u00ad234 người Đồng tháng 12"
    assert len(idx) == len(norm) + 1 and idx[-1] == len(raw)
    assert raw[idx[norm.index("người")] : idx[norm.index("người") + 5]] == "ngu\u031bo\u031b\u0300i"
    for path in [*(PKG / "readers" / "docx").glob("*.py"), PKG / "render" / "docx.py"]:
        assert "unicodedata.normalize" not in path.read_text(encoding="utf-8"), path


def test_item5_one_atomic_file_writer(tmp_path: Path) -> None:
    """Files are written by ``fileio.write_output`` only (temporary file, then a rename); the
    .docx renderer has no writer of its own."""
    import bcparse.render.docx as rdocx

    assert not hasattr(rdocx, "atomic_write")
    writers = ("os.replace", "os.rename", ".write_bytes(", ".write_text(", "NamedTemporaryFile", "mkstemp")
    allowed = {PKG / "fileio.py", PKG / "readers" / "doc.py"}  # doc.py: a private temp dir for antiword
    for path in PKG.rglob("*.py"):
        if path in allowed or "store" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        assert not [w for w in writers if w in text], path
    report = bcparse.parse(ROOT / "tests" / "data" / "encodings" / "report-tcvn3.txt")
    out = tmp_path / "out.docx"
    rdocx.render_docx(report, out)
    assert bcparse.read(out).blocks and not [p for p in tmp_path.iterdir() if p.name != "out.docx"]


# ---------------------------------------------------------------------------------------------
# item 7: no broad excepts in the readers
# ---------------------------------------------------------------------------------------------


def test_item7_readers_catch_no_broad_exception(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """No ``except Exception`` (or bare except) in the readers; a bug in the legacy-font converter
    surfaces instead of silently leaving the text unconverted."""
    import pytest

    for path in (PKG / "readers").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ExceptHandler):
                names = [n.id for n in ast.walk(node.type) if isinstance(n, ast.Name)] if node.type else []
                assert node.type is not None and "Exception" not in names and "BaseException" not in names, (
                    f"{path}:{node.lineno}")
    from bcparse import legacy_encodings

    def broken(text: str, encoding: str, *, upper: bool = False) -> str:
        raise RuntimeError("converter bug")

    monkeypatch.setattr(legacy_encodings, "convert", broken)
    with pytest.raises(RuntimeError, match="converter bug"):
        bcparse.read(ROOT / "tests" / "data" / "pdf" / "legacy-font.pdf")
