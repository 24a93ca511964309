"""The report in a real browser: headless Chromium from file://, offline, as a reader would open it."""

from __future__ import annotations

import glob
import os
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

import report_fixtures as rf

pytestmark = pytest.mark.browser


def html_files(site: str) -> list[str]:
    out = []
    for d, _, fs in os.walk(site):
        out.extend(os.path.join(d, f) for f in fs if f.endswith(".html"))
    return sorted(out)


def _one(site: str, pattern: str) -> str:
    (path,) = glob.glob(os.path.join(site, pattern))
    return path


def _derived_pair(site: str) -> str:
    return _one(site, "pairs/003-*--sx-derived-plan-*.html")


# -- every page loads cleanly ------------------------------------------------------------------------------

@pytest.mark.parametrize("which", ["corpus_report", "fixture_report", "xss_report"])
def test_every_page_loads_without_errors(which, request, page):
    site = request.getfixturevalue(which)
    pages = html_files(site)
    assert len(pages) >= 7
    for path in pages:
        page.open(path)
        state = page.page.evaluate("""() => ({
            js: document.documentElement.classList.contains("js"),
            font: getComputedStyle(document.body).fontSize,
            title: document.title})""")
        assert state["js"], f"report.js did not run on {path}"  # CSP and file:// let our script run
        assert state["font"] == "15px", f"report.css not applied on {path}"
        assert state["title"].endswith(" · lineage")
    assert page.problems == [] and page.dialogs == []


# -- pair page ---------------------------------------------------------------------------------------------

def _visible_rows(pg) -> list[dict]:
    return pg.evaluate("""() => Array.from(document.querySelectorAll('.r:not(.hd)'))
        .filter(r => r.getClientRects().length > 0)
        .map(r => ({id: r.id, cls: r.className}))""")


def test_stats_bar_counts_filter_the_rows(fixture_report, page):
    page.open(_derived_pair(fixture_report))
    pg = page.page
    stats = {b.get_attribute("data-filter"): int(b.locator("b").inner_text()) for b in pg.locator("button[data-filter]").all()}
    assert stats["modified"] == 3 and stats["localized"] == 3 and stats["deleted"] == 3
    everything = len(_visible_rows(pg))
    pg.click("button[data-filter=modified]")
    rows = _visible_rows(pg)
    assert len(rows) == stats["modified"] and all("modified" in r["cls"].split() for r in rows)
    assert pg.get_attribute("button[data-filter=modified]", "aria-pressed") == "true"
    pg.click("button[data-filter=identical]")  # identical rows live in collapsed runs: the filter opens them
    rows = _visible_rows(pg)
    assert len(rows) == stats["identical"] and all("identical" in r["cls"].split() for r in rows)
    pg.click("button[data-filter=identical]")  # pressing the active filter again shows everything
    assert pg.get_attribute("button[data-filter=all]", "aria-pressed") == "true"
    assert len(_visible_rows(pg)) >= everything
    assert page.problems == []


def test_j_and_k_move_between_changes(fixture_report, page):
    page.open(_derived_pair(fixture_report))
    pg = page.page
    changes = pg.evaluate("() => Array.from(document.querySelectorAll('.r.chg')).map(r => r.id)")
    assert len(changes) >= 10
    cur = lambda: pg.evaluate("() => document.querySelector('.r.cur') && document.querySelector('.r.cur').id")  # noqa: E731
    pg.keyboard.press("j")
    assert cur() == changes[0]
    pg.keyboard.press("j")
    pg.keyboard.press("j")
    assert cur() == changes[2]
    box = pg.locator(f"#{changes[2]}").bounding_box()
    assert 0 <= box["y"] < 900  # scrolled into view
    pg.keyboard.press("k")
    assert cur() == changes[1]
    # With a filter on, j visits only what is shown.
    pg.click("button[data-filter=deleted]")
    pg.keyboard.press("j")
    assert "deleted" in pg.get_attribute(f"#{cur()}", "class").split()
    assert page.problems == []


def test_identical_runs_expand(fixture_report, page):
    page.open(_derived_pair(fixture_report))
    pg = page.page
    run = pg.locator("details.run").first
    first_row = run.locator(".r").first
    assert not first_row.is_visible()
    n = int(re.match(r"(\d+) identical units", run.locator("summary").inner_text()).group(1))
    run.locator("summary").click()
    assert first_row.is_visible() and run.locator(".r").count() == n


def test_spans_link_back_to_the_original_text(fixture_report, page):
    page.open(_derived_pair(fixture_report))
    pg = page.page
    row = pg.locator(".r.modified").first
    text = row.locator(".t").inner_text()
    link = row.locator(".t a.sp")
    href = link.get_attribute("href")
    assert href.startswith("../documents/sx-derived-plan-") and "#u-p" in href
    link.click()
    pg.wait_for_load_state("load")
    assert "/documents/" in pg.url
    target = pg.evaluate("() => document.querySelector(':target').innerText")
    assert target[:10] in text
    # The source side opens the source document.
    page.open(_derived_pair(fixture_report))
    src = pg.locator(".r.modified").first.locator(".s a.sp").get_attribute("href")
    assert src.startswith("../documents/003-")
    assert page.problems == []


def test_moved_units_link_to_their_partner(fixture_report, page):
    page.open(_derived_pair(fixture_report))
    pg = page.page
    moved = pg.locator(".r.moved:not(.ghost)").first
    partner = moved.locator("a.mv").get_attribute("href")
    moved.locator("a.mv").click()
    assert pg.evaluate("() => location.hash") == partner
    ghost = pg.locator(partner)
    assert "ghost" in ghost.get_attribute("class") and ghost.is_visible()
    assert ghost.locator("a.mv").get_attribute("href") == "#" + moved.get_attribute("id")


def test_long_chinese_paragraphs_wrap(fixture_report, page):
    page.open(_one(fixture_report, "documents/002-*.html"))
    width = page.page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 1280
    page.open(_derived_pair(fixture_report))
    assert page.page.evaluate("() => document.documentElement.scrollWidth") <= 1280


# -- provenance ---------------------------------------------------------------------------------------------

def test_provenance_shows_source_and_diff_on_click(fixture_report, page):
    page.open(_one(fixture_report, "provenance/*.html"))
    pg = page.page
    panel = pg.locator("#panel")
    assert not panel.is_visible()
    mark = pg.locator("a.m.modified").first
    mark.click()
    assert panel.is_visible()
    assert panel.locator(".bd.modified").count() == 1 and panel.locator("del, ins").count() >= 2
    assert "003_cba8423d898ca683.txt" in panel.inner_text()  # which source
    pg.keyboard.press("Escape")
    assert not panel.is_visible()
    pg.keyboard.press("j")
    assert panel.is_visible() and pg.locator("a.m.cur").count() >= 1
    # Colours per source: the Shandong paragraph has the second colour.
    assert pg.locator("a.m.c1").count() == 1 and pg.locator("a.m.c0").count() > 40
    assert page.problems == []


# -- graph -----------------------------------------------------------------------------------------------------

def test_graph_nodes_and_edges_link_to_existing_pages(fixture_report, page):
    path = os.path.join(fixture_report, "graph.html")
    page.open(path)
    pg = page.page
    hrefs = pg.evaluate("() => Array.from(document.querySelectorAll('svg a')).map(a => a.getAttribute('href'))")
    nodes = pg.locator("svg a.na").count()
    assert nodes == 8 and len(hrefs) == nodes + 7
    for href in hrefs:
        u = urlsplit(href)
        target = os.path.normpath(os.path.join(fixture_report, unquote(u.path)))
        assert os.path.isfile(target), href
        page.open(target, "#" + u.fragment if u.fragment else "")
        if u.fragment:
            assert pg.evaluate("(id) => !!document.getElementById(id)", unquote(u.fragment)), href
        assert pg.title().endswith(" · lineage")
    # Clicking a node opens its document.
    page.open(path)
    pg.locator("svg a.na").filter(has_text="制造强省建设").first.click()
    pg.wait_for_load_state("load")
    assert "/documents/000-" in pg.url
    assert page.problems == []


# -- print ----------------------------------------------------------------------------------------------------------

def test_print_layout_hides_controls(fixture_report, page, shots):
    page.open(_derived_pair(fixture_report))
    pg = page.page
    pg.emulate_media(media="print")
    assert not pg.locator("nav.top").is_visible() and not pg.locator("button[data-filter]").first.is_visible()
    pg.pdf(path=os.path.join(shots, "pair-print.pdf"))
    assert os.path.getsize(os.path.join(shots, "pair-print.pdf")) > 10_000


# -- screenshots -------------------------------------------------------------------------------------------------

def test_screenshot_of_every_page_type(fixture_report, corpus_report, page, shots):
    wanted = {
        "index": os.path.join(corpus_report, "index.html"),
        "index-all-stages": os.path.join(fixture_report, "index.html"),
        "document": _one(fixture_report, "documents/002-*.html"),
        "pair": _derived_pair(fixture_report),
        "pair-000-003-clauses": _one(fixture_report, "pairs/003-*--000-*.html"),
        "provenance": _one(fixture_report, "provenance/*.html"),
        "dedup": os.path.join(fixture_report, "dedup.html"),
        "graph": os.path.join(fixture_report, "graph.html"),
        "graph-not-run": os.path.join(corpus_report, "graph.html"),
    }
    for name, path in wanted.items():
        page.open(path)
        out = os.path.join(shots, f"{name}.png")
        page.page.screenshot(path=out, full_page=name in ("index", "dedup", "graph"))
        assert os.path.getsize(out) > 5_000
    assert page.problems == []


# -- hostile input -------------------------------------------------------------------------------------------------

def test_markup_in_a_document_is_shown_as_text_on_every_page(xss_report, page):
    pages = html_files(xss_report)
    assert len(pages) == 7
    for path in pages:
        page.open(path)
        pg = page.page
        text = pg.inner_text("body")
        assert rf.XSS_SCRIPT in text, path
        assert pg.evaluate("() => document.querySelectorAll('img').length") == 0
        assert pg.evaluate("() => document.scripts.length") == 1
        assert "模板49测试" not in text and "&gt;49行动方案" not in text and ">49行动方案" not in text
        if "/documents/img-" in path or "/pairs/" in path or "/provenance/" in path:
            assert "模板{{ 7*7 }}测试" in text and rf.XSS_IMG in text, path
        # Interact: filters, keys, passage panel (which clones nodes) must not run anything either.
        for b in pg.locator("button[data-filter]").all():
            b.click()
        pg.keyboard.press("j")
        if pg.locator("a.m").count():
            pg.locator("a.m.modified").first.click()
            assert rf.XSS_IMG in pg.inner_text("#panel") or rf.XSS_SCRIPT in pg.inner_text("#panel")
    assert page.dialogs == [] and page.problems == []
    # The file name itself is shown as text on the index.
    page.open(os.path.join(xss_report, "index.html"))
    assert rf.XSS_NAME in page.page.inner_text("table.docs")
    assert Path(_one(xss_report, "documents/img-src-x-onerror-alert-*.html")).name.isascii()


def test_index_filter_finds_documents(fixture_report, page):
    page.open(os.path.join(fixture_report, "index.html"))
    pg = page.page
    rows = pg.locator("table.docs tbody tr")
    assert rows.count() == 6
    pg.fill("#find", "绍兴")
    visible = [r for r in rows.all() if r.is_visible()]
    assert len(visible) == 3 and all("绍兴" in r.inner_text() for r in visible)
    assert pg.inner_text("#found") == "3 of 6"
    pg.fill("#find", "")
    assert len([r for r in rows.all() if r.is_visible()]) == 6
    assert page.problems == []


def test_print_shows_collapsed_runs(fixture_report, page):
    page.open(_derived_pair(fixture_report))
    pg = page.page
    row = pg.locator("details.run .r").first
    assert not row.is_visible()
    pg.emulate_media(media="print")
    assert row.is_visible()  # a printed comparison is complete


def test_standalone_pages_work_on_their_own(corpus_paths, tmp_path, page):
    """`lineage align A B --html FILE` / `trace --html`: one file, CSS and JS inline, allowed by hash."""
    from lineage.report import pair_html, provenance_html

    res, record = rf.fixture_results(corpus_paths, str(tmp_path))
    align = next(a for a in res.pairs if "sx_derived" in a["target"]["path"])
    (trace,) = res.traces.values()
    for name, html in (("pair.html", pair_html(align, res.docs)), ("trace.html", provenance_html(trace, res.docs))):
        path = tmp_path / name
        path.write_text(html, encoding="utf-8")
        page.open(str(path))
        pg = page.page
        assert pg.evaluate("() => document.documentElement.classList.contains('js')")
        assert pg.evaluate("() => getComputedStyle(document.body).fontSize") == "15px"
        pg.keyboard.press("j")
        assert pg.locator(".cur").count() == 1
    assert page.problems == [] and page.dialogs == []
