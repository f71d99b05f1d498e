"""``bcparse html``: the page of a report, checked as HTML (the browser tests are tests/test_browser.py).

Every keyed figure of ``figures --json`` is one focusable mark, every finding of ``audit --format
json`` a note in the line it points at, the text of every line is the text view's, and the page
asks for nothing outside itself.
"""

from __future__ import annotations

import ast
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

import bcparse
from bcparse.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted(p for p in (ROOT / "samples").iterdir() if p.suffix in (".txt", ".docx", ".pdf"))
VOID = {"meta", "link", "br", "img", "input", "hr", "wbr"}


class Page(HTMLParser):
    """The page's elements as (tag, attrs, text) with the text each holds, and a nesting check."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict[str, str | None], list[str]]] = []
        self.elements: list[tuple[str, dict[str, str | None], list[str]]] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        el = (tag, dict(attrs), [])
        self.elements.append(el)
        if tag not in VOID:
            self.stack.append(el)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1][0] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1][0] if self.stack else 'nothing'}")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        for _, _, text in self.stack:
            text.append(data)

    def find(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> list[tuple[str, dict[str, str | None], list[str]]]:
        out = []
        for t, a, text in self.elements:
            if tag and t != tag:
                continue
            if cls and cls not in (a.get("class") or "").split():
                continue
            if any(a.get(k.replace("_", "-")) != v for k, v in attrs.items()):
                continue
            out.append((t, a, text))
        return out


def _page(path: Path, tmp_path: Path, *args: str) -> tuple[str, Page]:
    out = tmp_path / (path.name + ".html")
    assert main(["html", str(path), "-o", str(out), *args]) == 0
    text = out.read_text(encoding="utf-8")
    p = Page()
    p.feed(text)
    p.close()
    assert p.errors == [] and [t for t, _, _ in p.stack] == []
    return text, p


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> object:
    capsys.readouterr()
    main(list(argv))
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_every_keyed_figure_is_one_focusable_mark_and_every_finding_a_note_on_its_line(
        sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, page = _page(sample, tmp_path)
    figs = _json(capsys, "figures", str(sample), "--json")["figures"]  # type: ignore[index]
    keyed = [f for f in figs if f["key"] is not None]
    marks = page.find("mark", "fig")
    assert len(marks) == len(keyed) > 20
    assert all(m[1].get("tabindex") == "0" for m in marks)
    assert page.find("mark", "q") == []  # the unkeyed quantities only with --all
    # the page's figure data is the figures --json list, in its order; one mark opens each
    data = json.loads("".join(page.find("script", id="figdata")[0][2]))
    assert [d["address"] for d in data["figures"]] == [f["address"] for f in keyed]
    assert sorted(int(m[1]["data-i"] or -1) for m in marks) == list(range(len(keyed)))
    assert all(m[1]["id"] == f"fig-{m[1]['data-i']}" for m in marks)  # each its anchor
    findings = _json(capsys, "audit", str(sample), "--format", "json", "-q")
    assert isinstance(findings, list)
    if not findings:
        assert "không có phát hiện" in "".join(page.find("section", id="findings")[0][2])
    notes = page.find("aside", "note")
    assert [(n[1]["data-code"], int(n[1]["data-line"] or 0)) for n in notes] == \
        [(f["code"], f["line"]) for f in findings]
    for n, f in zip(notes, findings, strict=True):
        assert f["message"] in "".join(n[2])
    assert len(page.find("li", None)) >= len(findings)
    for f in findings:  # listed at the top too, linking to the note
        assert any(f["message"] in "".join(t) for _, _, t in page.find("li", f"sev-{f['severity']}"))


def test_the_lines_hold_the_text_view_and_the_figures_their_text(tmp_path: Path) -> None:
    sample = ROOT / "samples" / "binh-thanh-doi-ngoai-2024.docx"
    _, page = _page(sample, tmp_path)
    r = bcparse.parse(sample)
    lines = r.text.split("\n")
    # each line element's text is the line of the text view, word for word, in order
    texts = ["".join(t) for _, _, t in page.find(None, "ln")]
    assert texts == [x for x in lines if x.strip()]
    numbers = [int(a["data-line"] or 0) for _, a, _ in page.find("div", "line")]
    assert numbers == [i for i, x in enumerate(lines, start=1) if x.strip()]
    # the first piece of each figure's mark is the start of the text its span covers
    figs = r.figures()
    for _, a, t in page.find("mark", "fig"):
        f = figs[int(a["data-i"] or 0)]
        s = r.start_of(f.span)
        assert "".join(t) and r.text[s:s + f.span.length].startswith("".join(t))


def test_tables_are_tables_and_headings_follow_the_section_levels(tmp_path: Path) -> None:
    sample = ROOT / "samples" / "binh-thanh-doi-ngoai-2024.docx"
    _, page = _page(sample, tmp_path)
    r = bcparse.parse(sample)
    assert page.find("table", "doc-table")  # the .docx header is a Word table
    heads = [t for t, a, _ in page.elements if t[0] == "h" and t[1:].isdigit() and "ln" in (a.get("class") or "").split()]
    assert heads == [f"h{min(s.level + 1, 6)}" for s in r.sections]
    links = {a.get("href") for _, a, _ in page.find("a")}
    assert all(f"#L{s.line}" in links for s in r.sections)  # the outline
    # the repeated "II." is noted
    assert r.numbering_issues and "số lặp lại" in "".join(page.find("section", id="numbering")[0][2])


def test_all_marks_the_other_quantities_quieter(tmp_path: Path) -> None:
    sample = ROOT / "samples" / "tan-lap-ktxh-2023.txt"
    _, page = _page(sample, tmp_path, "--all")
    r = bcparse.parse(sample)
    assert len(page.find("mark", "fig")) == len(r.figures())
    assert len(page.find("mark", "q")) == len(r.figures(all=True)) - len(r.figures()) > 0


def test_the_page_is_self_contained(tmp_path: Path) -> None:
    text, page = _page(ROOT / "samples" / "tan-lap-ktxh-2023.txt", tmp_path)
    assert text.startswith("<!doctype html>\n<html lang=\"vi\">")
    assert page.find("meta", charset="utf-8")
    csp = page.find("meta", http_equiv="Content-Security-Policy")[0][1]["content"] or ""
    assert "default-src 'none'" in csp
    for _, a, _ in page.elements:  # nothing loaded from anywhere
        assert not a.get("src")
        assert not (a.get("href") or "#").startswith(("http", "//")) or a.get("rel") == "icon"
    assert "url(" not in text and "@import" not in text and "@font-face" not in text
    assert page.find("meta", name="viewport")


def test_report_text_is_escaped() -> None:
    from bcparse.view import render_html

    r = bcparse.parse_text("BÁO CÁO\nI. Tình hình <script>alert(1)</script> & 12 hộ\n</script>có 5 hộ nghèo\n")
    html = render_html(r)
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.count("</script>") == 2  # the data and the page's own script


def test_several_reports_need_a_folder_and_outputs_are_whole(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, b = ROOT / "samples" / "tan-lap-ktxh-2023.txt", ROOT / "samples" / "binh-thanh-doi-ngoai-2024.txt"
    assert main(["html", str(a), str(b)]) == 2
    assert "-o FOLDER/" in capsys.readouterr().err
    assert main(["html", str(a), "-o", str(tmp_path / "page.txt")]) == 2
    assert "name the output .html" in capsys.readouterr().err
    out = tmp_path / "pages"
    assert main(["html", str(a), str(b), "-o", str(out) + "/"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["binh-thanh-doi-ngoai-2024.txt.html", "tan-lap-ktxh-2023.txt.html"]
    # a report that cannot be read leaves the existing page as it was, and no temporary file
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    page = tmp_path / "keep.html"
    page.write_text("old", encoding="utf-8")
    assert main(["html", str(bad), "-o", str(page)]) == 2
    assert "bcparse: error:" in capsys.readouterr().err
    assert page.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.txt", "keep.html", "pages"]


def test_findings_across_reports_are_on_each_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Two reports of one commune and year: the cross-report findings (BC4xx) of `audit` on both are
    on the pages too, each on its own report's page."""
    src = (ROOT / "samples" / "tan-lap-ktxh-2023.txt").read_text(encoding="utf-8")
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(src, encoding="utf-8")
    b.write_text(src.replace("312 đảng viên", "315 đảng viên").replace("Số:  215", "Số:  216"), encoding="utf-8")
    found = _json(capsys, "audit", str(a), str(b), "--format", "json", "-q")
    across = [f for f in found if f["code"].startswith("BC4")]  # type: ignore[union-attr,index]
    assert across
    assert main(["html", str(a), str(b), "-o", str(tmp_path / "out") + "/"]) == 0
    for f in across:
        page = Page()
        page.feed((tmp_path / "out" / (Path(f["file"]).name + ".html")).read_text(encoding="utf-8"))
        assert any(n[1]["data-code"] == f["code"] and n[1]["data-line"] == str(f["line"])
                   for n in page.find("aside", "note"))


def test_nothing_but_the_cli_imports_the_view() -> None:
    pkg = ROOT / "bcparse"
    bad = []
    for p in pkg.rglob("*.py"):
        rel = p.relative_to(pkg.parent).with_suffix("")
        mod = ".".join(rel.parts[:-1] if rel.name == "__init__" else rel.parts)
        if mod.startswith(("bcparse.view", "bcparse.commands")):
            continue
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [(node.module or "")] if isinstance(node, ast.ImportFrom) else []
            if any("view" in n.split(".") for n in names):
                bad.append(f"{rel}:{node.lineno}")
    assert bad == []


def _long_line(n: int) -> bcparse.Report:
    return bcparse.parse_text("BÁO CÁO\nI. Tình hình\n" + "; ".join(f"thôn {i} có {i + 10} hộ" for i in range(n)) + ".\n")


def test_a_line_of_many_numbers_keeps_every_mark() -> None:
    from bcparse.view import render_html

    r = _long_line(400)
    page = Page()
    page.feed(render_html(r, all=True))
    assert page.errors == []
    assert len(page.find("mark", "fig")) + len(page.find("mark", "q")) == len(r.figures(all=True)) >= 400


@pytest.mark.slow
def test_a_line_of_many_numbers_renders_in_linear_time() -> None:
    """8x the numbers on one line takes well under 8x8 the time (a sweep, not a scan per piece)."""
    import time

    from bcparse.view import render_html

    def cost(n: int) -> float:
        r = _long_line(n)
        r.figures(all=True)
        t = time.perf_counter()
        render_html(r, all=True)
        return time.perf_counter() - t

    cost(200)
    small, big = min(cost(500) for _ in range(5)), min(cost(4000) for _ in range(5))
    print(f"\nrender_html of one line: 500 numbers {small * 1000:.0f} ms, 4000 numbers {big * 1000:.0f} ms, "
          f"ratio {big / small:.1f} for 8x")
    assert big / small < 40  # quadratic would be 64; the machine may be shared (min of 5 runs)
