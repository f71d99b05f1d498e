"""The HTML page in a real browser: Debian's headless Chromium (/usr/bin/chromium, installed by
.ci/run) driven by playwright (the test extra) pointed at it; nothing is downloaded at run time.

For every sample: as many highlighted figures in the DOM as keyed figures in ``figures --json``,
each finding of ``audit --format json`` visible next to its line, focusing a figure shows its key
and value, no console error and no request for anything outside the page; a screenshot of each
page is written under the test's temporary folder. The page of the largest sample is timed against
a plain text page of the same text (a ratio, printed; asserted only as a generous bound).
"""

from __future__ import annotations

import html
import json
import os
import shutil
import statistics
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted(p for p in (ROOT / "samples").iterdir() if p.suffix in (".txt", ".docx", ".pdf"))
CHROMIUM = os.environ.get("BCPARSE_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def _skip_reason() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[test]')"
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        return f"no Chromium at {CHROMIUM} (apt-get install chromium chromium-driver; .ci/run does)"
    return None


pytestmark = pytest.mark.skipif(_skip_reason() is not None, reason=_skip_reason() or "")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """Per sample: its page, and what ``figures --json`` and ``audit --format json`` print for it,
    from one parse (what `bcparse html` does: tests/test_html.py checks the command gives the same)."""
    from bcparse.audit import audit_report
    from bcparse.pipeline import parse_document
    from bcparse.readers import read
    from bcparse.view import render_html

    out = tmp_path_factory.mktemp("pages")
    got: dict[str, dict[str, Any]] = {}
    for s in SAMPLES:
        doc = read(s)
        r = parse_document(doc)
        r.source = str(s)
        findings = audit_report(r)
        page = out / (s.name + ".html")
        page.write_text(render_html(r, findings, document=doc), encoding="utf-8")
        got[s.name] = {"page": page, "figures": r.figures_json()["figures"], "sample": s, "text": r.text,
                       "findings": [f.model_dump(mode="json") for f in findings]}
    return got


class Watch:
    """A browser tab that records console errors, page errors and requests leaving the page."""

    def __init__(self, browser: Any, width: int = 1280) -> None:
        self.tab = browser.new_page(viewport={"width": width, "height": 900})
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.tab.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.tab.on("pageerror", lambda e: self.errors.append(str(e)))
        self.tab.on("request", lambda r: None if r.url.startswith(("file:", "data:")) else self.outside.append(r.url))

    def open(self, path: Path) -> Any:
        self.tab.goto(path.as_uri())
        return self.tab

    def close(self) -> None:
        self.tab.close()


@pytest.mark.parametrize("name", [s.name for s in SAMPLES])
def test_the_page_in_chromium(name: str, browser: Any, pages: dict[str, dict[str, Any]], tmp_path: Path) -> None:
    info = pages[name]
    w = Watch(browser)
    tab = w.open(info["page"])
    keyed = [f for f in info["figures"] if f["key"] is not None]
    # one highlighted figure per keyed figure
    assert tab.locator("mark.fig").count() == len(keyed) > 20
    # each finding visible beside its line: the note inside the line's row, in view with it
    for f in info["findings"]:
        note = tab.locator(f'#L{f["line"]} > aside.note[data-code="{f["code"]}"]')
        assert note.count() == 1, f
        note.scroll_into_view_if_needed()
        assert note.is_visible()
        assert f["message"] in note.inner_text()
        line_box = tab.locator(f'#L{f["line"]} > .ln').bounding_box()
        box = note.bounding_box()
        assert line_box and box
        assert box["y"] < line_box["y"] + line_box["height"] + 200 and box["y"] + box["height"] > line_box["y"]
        # the list at the top links to it
        href = tab.locator(f'#findings a[href="#F{note.get_attribute("id")[1:]}"]')
        assert href.count() == 1
    # focusing a figure shows its key and its value
    for i in (0, len(keyed) // 2, len(keyed) - 1):
        f = keyed[i]
        tab.locator(f"#fig-{i}").focus()
        tip = tab.locator("#tip")
        assert tip.is_visible()
        text = tip.inner_text()
        assert f["address"] in text
        shown = json.loads(tab.locator("#figdata").text_content())["figures"][i]
        assert shown["value"] in text and shown["label"] in text
    # Tab moves from one figure to the next in the text
    tab.locator("#fig-0").focus()
    tab.keyboard.press("Tab")
    assert tab.evaluate("document.activeElement.matches('mark.fig')")
    tab.keyboard.press("Escape")
    assert not tab.locator("#tip").is_visible()
    tab.locator("#doc").scroll_into_view_if_needed()
    tab.screenshot(path=str(tmp_path / (name + ".png")))
    assert (tmp_path / (name + ".png")).stat().st_size > 10_000
    assert w.errors == [] and w.outside == []
    w.close()


def test_the_figures_table_sorts_and_the_page_fits_a_phone(browser: Any, pages: dict[str, dict[str, Any]],
                                                           tmp_path: Path) -> None:
    info = pages["tan-lap-ktxh-2023.txt"]
    w = Watch(browser, width=390)
    tab = w.open(info["page"])
    # nothing wider than the phone's screen but the tables, which scroll on their own
    assert tab.evaluate("document.documentElement.scrollWidth") <= 390
    first = lambda: tab.locator("#figtable tbody tr td:nth-child(2)").first.inner_text()  # noqa: E731
    keys = sorted((f["address"] for f in info["figures"] if f["key"]), key=str)
    tab.locator('#figtable th button[data-col="1"]').click()
    assert tab.locator("#figtable th").nth(1).get_attribute("aria-sort") == "ascending"
    assert first() == min(keys, key=lambda k: k.casefold())
    tab.locator('#figtable th button[data-col="1"]').click()
    assert first() == max(keys, key=lambda k: k.casefold())
    tab.screenshot(path=str(tmp_path / "phone.png"))
    assert w.errors == [] and w.outside == []
    w.close()


@pytest.mark.slow
def test_page_open_time_against_a_plain_text_page(browser: Any, pages: dict[str, dict[str, Any]],
                                                  tmp_path: Path) -> None:
    """The largest sample's page and a plain <pre> page of the same text, each opened 5 times: the
    ratio of the median load times (navigation start to the load event end) is printed."""
    name = max(pages, key=lambda n: len(pages[n]["figures"]) * 10**6 + pages[n]["page"].stat().st_size)
    info = pages[name]
    text = info["text"]
    plain = tmp_path / "plain.html"
    plain.write_text(f'<!doctype html><html lang="vi"><meta charset="utf-8"><link rel="icon" href="data:,">'
                     f"<title>plain</title><pre>{html.escape(text)}</pre></html>", encoding="utf-8")
    w = Watch(browser)

    def load(path: Path) -> float:
        tab = w.open(path)
        return float(tab.evaluate("(() => { const n = performance.getEntriesByType('navigation')[0];"
                                  " return n.loadEventEnd - n.startTime; })()"))

    load(info["page"])
    load(plain)  # warm
    page_ms = statistics.median(load(info["page"]) for _ in range(5))
    plain_ms = statistics.median(load(plain) for _ in range(5))
    ratio = page_ms / max(plain_ms, 1.0)
    print(f"\n{name}: page {page_ms:.1f} ms, plain text {plain_ms:.1f} ms, ratio {ratio:.1f} "
          f"({pages[name]['page'].stat().st_size:,} bytes, {len(info['figures'])} figures)")
    assert ratio < 50  # generous: a page that took 50 times a plain page would have a real problem
    assert w.errors == []
    w.close()
