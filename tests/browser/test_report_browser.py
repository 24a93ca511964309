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


@pytest.mark.parametrize("which", ["corpus_report", "fixture_report", "xss_report", "xss_pipeline_report"])
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
    stats = {
        b.get_attribute("data-filter"): int(b.locator("b").inner_text())
        for b in pg.locator("button[data-filter]").all()
    }
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
    assert "from 制造强省建设行动计划" in panel.inner_text()  # which source: 003, by its version's title
    pg.keyboard.press("Escape")
    assert not panel.is_visible()
    pg.keyboard.press("j")
    assert panel.is_visible() and pg.locator("a.m.cur").count() >= 1
    # Colours per source: the Shandong paragraph has the second colour.
    assert pg.locator("a.m.c1").count() == 1 and pg.locator("a.m.c0").count() > 40
    assert page.problems == []


# -- graph -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("which, nodes, edges, reuse", [("fixture_report", 8, 7, 4), ("corpus_report", 11, 10, 3)])
def test_graph_nodes_and_edges_link_to_existing_pages(which, nodes, edges, reuse, request, page):
    site = request.getfixturevalue(which)
    path = os.path.join(site, "graph.html")
    page.open(path)
    pg = page.page
    hrefs = pg.evaluate("() => Array.from(document.querySelectorAll('svg a')).map(a => a.getAttribute('href'))")
    assert pg.locator("svg a.na").count() == nodes and len(hrefs) == nodes + edges
    assert pg.locator("svg path.e.reuse").count() == reuse
    assert pg.locator("svg path.e.citation").count() == edges - reuse
    # Citation edges are drawn dashed, reuse edges solid (or dotted when the direction is uncertain).
    dash = pg.evaluate("""() => Array.from(document.querySelectorAll('svg path.e')).map(
        e => [e.classList.contains('citation'), e.classList.contains('unc'), getComputedStyle(e).strokeDasharray])""")
    assert all(d == "5px, 4px" for cit, _, d in dash if cit)
    assert all(d == "none" for cit, unc, d in dash if not cit and not unc)
    for href in hrefs:
        u = urlsplit(href)
        target = os.path.normpath(os.path.join(site, unquote(u.path)))
        assert os.path.isfile(target), href
        page.open(target, "#" + u.fragment if u.fragment else "")
        if u.fragment:
            assert pg.evaluate("(id) => !!document.getElementById(id)", unquote(u.fragment)), href
        assert pg.title().endswith(" · lineage")
    # Clicking a node opens its document; clicking a reuse edge opens a pair page.
    page.open(path)
    pg.locator("svg a.na").filter(has_text="制造强省建设").first.click()
    pg.wait_for_load_state("load")
    assert "/documents/000-" in pg.url
    page.open(path)
    # a curve's bounding box centre is off the stroke: click the middle of the path itself
    href, x, y = pg.evaluate("""() => {
        const p = document.querySelector('svg path.e.reuse'), m = p.getPointAtLength(p.getTotalLength() / 2);
        const pt = new DOMPoint(m.x, m.y).matrixTransform(p.getScreenCTM());
        return [p.parentElement.getAttribute('href'), pt.x, pt.y]; }""")
    with pg.expect_navigation():
        pg.mouse.click(x, y)
    assert pg.url.endswith("/" + href)
    assert page.problems == []


# -- the real pipeline on the corpus ------------------------------------------------------------------------


def test_corpus_report_has_every_page_type(corpus_report):
    kinds = {os.path.relpath(p, corpus_report).split(os.sep)[0] for p in html_files(corpus_report)}
    assert kinds == {"index.html", "graph.html", "dedup.html", "glossary.html", "documents", "pairs", "provenance"}
    assert len(glob.glob(os.path.join(corpus_report, "pairs", "*.html"))) == 4
    # 000 and 004 reuse others; 002 shares text with the later 2020 plan (an uncertain edge: both sides traced)
    assert len(glob.glob(os.path.join(corpus_report, "provenance", "*.html"))) == 3


def test_dedup_copy_opens_its_comparison_with_the_canonical_copy(corpus_report, page):
    page.open(os.path.join(corpus_report, "dedup.html"))
    pg = page.page
    cluster = pg.locator("section.cluster")
    assert cluster.count() == 1
    rows = cluster.locator("table.members tbody tr")
    assert rows.count() == 2
    assert "canonical" in rows.nth(0).inner_text() and "000_aca499adb39197ba.txt" in rows.nth(0).inner_text()
    assert "003_cba8423d898ca683.txt" in rows.nth(1).inner_text() and "no issuing notice" in rows.nth(1).inner_text()
    rows.nth(1).locator("a.cmp").click()
    pg.wait_for_load_state("load")
    assert re.search(r"/pairs/000-[^/]+--003-[^/]+\.html$", pg.url)
    # The copy's one textual change is the page's one modified row; the filter shows it alone and j goes there.
    pg.click("button[data-filter=modified]")
    rows = _visible_rows(pg)
    assert len(rows) == 1 and "modified" in rows[0]["cls"].split()
    assert pg.locator(f"#{rows[0]['id']} .s del").inner_text() == ","
    pg.keyboard.press("j")
    assert pg.evaluate("() => document.querySelector('.r.cur').id") == rows[0]["id"]
    assert page.problems == []


def test_weak_pair_folds_what_is_not_shared(corpus_report, page):
    page.open(_one(corpus_report, "pairs/002-*--004-*.html"))
    pg = page.page
    runs = pg.locator("details.run.unmatched")
    assert runs.count() >= 3
    summary = runs.first.locator("summary").inner_text()
    assert re.match(r"\d+ units without a match \(\d+ source only, \d+ target only\)", summary)
    # j visits the shared passages and short unmatched stretches, never rows folded away
    for _ in range(12):
        pg.keyboard.press("j")
        assert pg.evaluate("() => !document.querySelector('.r.cur').closest('details:not([open])')")
    # a filter opens the runs holding what it shows
    pg.click("button[data-filter=deleted]")
    assert all("deleted" in r["cls"].split() for r in _visible_rows(pg))
    assert pg.locator("details.run.unmatched[open]").count() == runs.count()
    assert page.problems == []


def test_real_provenance_page(corpus_report, page):
    page.open(_one(corpus_report, "provenance/004-*.html"))
    pg = page.page
    sources = pg.locator("table.sources tbody tr")
    # 002 is its source; the 2020 plan shares text with it, direction uncertain: listed, never as a source
    assert sources.count() == 2 and "中国制造2025绍兴实施方案" in sources.first.inner_text()
    assert "reused from" in sources.first.inner_text()
    assert "shares text with" in sources.nth(1).inner_text() and "制造强省建设行动计划" in sources.nth(1).inner_text()
    assert "reused" not in sources.nth(1).inner_text()
    href = sources.first.locator("a", has_text="side by side").get_attribute("href")
    assert os.path.isfile(os.path.normpath(os.path.join(corpus_report, "provenance", href)))
    pg.locator("a.m:not(.formulaic)").first.click()
    panel = pg.locator("#panel")
    assert panel.is_visible() and "中国制造2025绍兴实施方案" in panel.inner_text()
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


def test_screenshot_of_every_page_type(fixture_report, corpus_report, xss_pipeline_report, page, shots):
    wanted = {
        # the real pipeline on corpus/
        "index": os.path.join(corpus_report, "index.html"),
        "graph": os.path.join(corpus_report, "graph.html"),
        "dedup": os.path.join(corpus_report, "dedup.html"),
        "document": _one(corpus_report, "documents/002-*.html"),
        "pair-000-003-copy": _one(corpus_report, "pairs/000-*--003-*.html"),
        "pair-002-004-weak": _one(corpus_report, "pairs/002-*--004-*.html"),
        "provenance": _one(corpus_report, "provenance/004-*.html"),
        # hand-made stage results: a strongly derived plan, every relation
        "fixture-index": os.path.join(fixture_report, "index.html"),
        "fixture-pair": _derived_pair(fixture_report),
        "fixture-pair-000-003-clauses": _one(fixture_report, "pairs/003-*--000-*.html"),
        "fixture-provenance": _one(fixture_report, "provenance/*.html"),
        "fixture-dedup": os.path.join(fixture_report, "dedup.html"),
        "fixture-graph": os.path.join(fixture_report, "graph.html"),
        # markup in a document, through the real pipeline
        "xss-pair": _one(xss_pipeline_report, "pairs/plan-*--img-*.html"),
        "xss-provenance": _one(xss_pipeline_report, "provenance/img-*.html"),
    }
    for name, path in wanted.items():
        page.open(path)
        out = os.path.join(shots, f"{name}.png")
        page.page.screenshot(path=out, full_page=name in ("index", "dedup", "graph", "fixture-graph"))
        assert os.path.getsize(out) > 5_000
    assert page.problems == []


# -- hostile input -------------------------------------------------------------------------------------------------


def test_markup_through_the_real_pipeline_is_shown_as_text(xss_pipeline_report, page):
    """`lineage report` on a folder with a hostile document: every page type holds the payloads, as text."""
    pages = html_files(xss_pipeline_report)
    rel = {os.path.relpath(p, xss_pipeline_report).replace(os.sep, "/"): p for p in pages}
    holding = [r for r in rel if r in ("dedup.html", "graph.html", "index.html") or "img-src-x-onerror" in r]
    kinds = {r.split("/")[0] for r in holding}
    assert kinds == {"index.html", "graph.html", "dedup.html", "documents", "pairs", "provenance"}
    for r, path in rel.items():
        page.open(path)
        pg = page.page
        text = pg.inner_text("body")
        if r in holding:
            assert rf.XSS_IMG in text and rf.XSS_TEMPLATE in text, r
        if "img-src-x-onerror" in r or r == "dedup.html":  # the text itself (documents, diffs, dedup's examples)
            assert rf.XSS_SCRIPT in text, r
        assert pg.evaluate("() => document.querySelectorAll('img').length") == 0
        # ours only: report.js, and on the graph page the graph view's scripts and its data (JSON, never run)
        assert pg.evaluate("""() => Array.from(document.scripts).every(s => /\\/static\\/[a-z.]+\\.js$/.test(s.src)
            || (s.type === 'application/json' && s.id === 'graph-data'))""")
        assert pg.evaluate("() => document.scripts.length") == (4 if path.endswith("graph.html") else 1)
        assert "模板49" not in text and "&gt;49" not in text and ">49" not in text
        for b in pg.locator("button[data-filter]").all():
            b.click()
        pg.keyboard.press("j")
        if pg.locator("a.m").count():
            pg.locator("a.m").first.click()
    # the provenance panel clones the passage with the payload: still text
    page.open(_one(xss_pipeline_report, "provenance/img-*.html"))
    pg = page.page
    mid = pg.locator("li.md", has_text="alert(1)").first.get_attribute("id")  # a lifted clause, its sentence around it
    pg.locator(f"a.m[data-m={mid}]").first.click()
    assert rf.XSS_SCRIPT in pg.inner_text("#panel")
    assert page.dialogs == [] and page.problems == []


def test_markup_in_a_document_is_shown_as_text_on_every_page(xss_report, page):
    pages = [p for p in html_files(xss_report) if not p.endswith("glossary.html")]  # the one page without documents
    assert len(pages) == 7
    for path in pages:
        page.open(path)
        pg = page.page
        text = pg.inner_text("body")
        assert rf.XSS_SCRIPT in text, path
        assert pg.evaluate("() => document.querySelectorAll('img').length") == 0
        # ours only: report.js, and on the graph page the graph view's scripts and its data (JSON, never run)
        assert pg.evaluate("""() => Array.from(document.scripts).every(s => /\\/static\\/[a-z.]+\\.js$/.test(s.src)
            || (s.type === 'application/json' && s.id === 'graph-data'))""")
        assert pg.evaluate("() => document.scripts.length") == (4 if path.endswith("graph.html") else 1)
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

    res, _record = rf.fixture_results(corpus_paths, str(tmp_path))
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
