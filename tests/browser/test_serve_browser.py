"""`lineage serve` in headless Chromium: a real server process on a free port, real pages, real clicks.

Every page type loads with no console error; the list's filters change the
rows; the graph draws 1,000 generated documents and one document's
neighbourhood; hostile document text is printed, never run.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.request

import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import report_fixtures as rf
from serve_fixtures import api, generated_db, graph_db, served

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def corpus_server(corpus_paths, tmp_path_factory, run_cli):
    tmp = tmp_path_factory.mktemp("serve-corpus")
    db = graph_db(run_cli, os.path.dirname(corpus_paths["000"]), str(tmp / "db"))
    with served(db) as (url, _):
        yield url


@pytest.fixture(scope="session")
def gen1000_db(tmp_path_factory, run_cli):
    return generated_db(run_cli, str(tmp_path_factory.mktemp("serve-gen1000")), 1000)


@pytest.fixture(scope="module")
def gen_server(gen1000_db):
    with served(gen1000_db) as (url, _):
        yield url


@pytest.fixture(scope="module")
def xss_server(corpus_paths, tmp_path_factory, run_cli):
    tmp = tmp_path_factory.mktemp("serve-xss")
    rf.write_xss_corpus(str(tmp / "docs"), corpus_paths)
    with served(graph_db(run_cli, str(tmp / "docs"), str(tmp / "db"))) as (url, _):
        yield url


def visit(page, url: str) -> None:
    page.page.goto(url)
    page.page.wait_for_load_state("load")


def every_page(base: str) -> list[str]:
    """One URL of each page type, for every document and every edge of the server's graph."""
    docs = api(base + "/api/documents?per=500")["rows"]
    graph = api(base + "/api/graph?edges=all")
    urls = [
        base + "/",
        base + "/?lang=zh",
        base + "/?sort=date&dir=desc",
        base + "/graph",
        base + "/search",
        base + "/search?q=" + urllib.request.quote("“产学研用金、才政介美云”十联动"),
        base + "/graph?lang=zh",
    ]
    urls += [f"{base}/doc/{d['sha256']}" for d in docs]
    urls += [f"{base}/pair/{e['source']}/{e['target']}" for e in graph["edges"]]
    return urls


def test_every_page_type_loads_without_console_errors(corpus_server, page, shots):
    urls = every_page(corpus_server)
    assert any("/pair/" in u for u in urls) and sum("/doc/" in u for u in urls) == 5
    for u in urls:
        visit(page, u)
        if u.endswith("/graph") or "/graph?" in u:
            page.page.wait_for_selector("#cy[data-ready]")
        assert page.problems == [], u
    page.page.screenshot(path=os.path.join(shots, "serve-pair.png"), full_page=True)


def test_uncertain_pair_page_never_says_reused_from(corpus_server, page):
    graph = api(corpus_server + "/api/graph?edges=all")
    unc = [e for e in graph["edges"] if e["uncertain"]]
    assert unc, "the corpus has an edge of uncertain direction (004 and the 2020 plan)"
    for e in unc:
        visit(page, f"{corpus_server}/pair/{e['source']}/{e['target']}")
        text = page.page.inner_text("main")
        assert "shares text with" in text and "reused" not in text
        assert page.page.inner_text(f'.es[data-edge="{e["id"]}"][data-of="target"]') == e["share_of_target_text"]


def test_document_page_highlights_passages_linked_to_the_pair(corpus_server, page, shots):
    graph = api(corpus_server + "/api/graph?edges=all")
    e = next(x for x in graph["edges"] if not x["uncertain"])
    target = next(n for n in graph["nodes"] if n["id"] == e["target"])
    visit(page, f"{corpus_server}/doc/{target['sha256']}")
    marks = page.page.locator(f'a.mk[href^="/pair/{e["source"]}/{e["target"]}#p"]')
    assert marks.count() > 0
    page.page.screenshot(path=os.path.join(shots, "serve-document.png"))
    with page.page.expect_navigation():
        marks.first.click()
    assert f"/pair/{e['source']}/{e['target']}" in page.page.url
    assert page.problems == []


def test_list_filters_and_sort_change_the_rows(gen_server, page, shots):
    visit(page, gen_server + "/")
    rows = page.page.locator("table.docs tbody tr")
    assert rows.count() == 50
    all_rows = api(gen_server + "/api/documents?per=500")
    first = rows.first.get_attribute("data-sha")
    with page.page.expect_navigation():
        page.page.select_option("#f-level", "province")  # applies at once
    assert "level=province" in page.page.url
    shas = [r.get_attribute("data-sha") for r in rows.all()]
    provincial = {r["sha256"] for r in api(gen_server + "/api/documents?level=province&per=500")["rows"]}
    assert shas and set(shas) <= provincial
    levels = {r["level"] for r in all_rows["rows"]}
    assert len(levels) > 1, "the generated corpus has several levels: the filter must drop rows"
    page.page.fill("#f-from", "2019")
    page.page.fill("#f-to", "2019")
    with page.page.expect_navigation():
        page.page.click("#f-go")
    dates = page.page.locator("table.docs tbody tr td:nth-child(2)").all_inner_texts()
    assert dates and all("2019" in d or ".." in d for d in dates)
    page.page.goto(gen_server + "/")
    with page.page.expect_navigation():
        page.page.click('th a.sort[data-sort="date"]')  # already ascending: now descending
    assert rows.first.get_attribute("data-sha") != first
    page.page.screenshot(path=os.path.join(shots, "serve-list.png"))
    assert page.problems == []


def test_graph_draws_1000_documents_and_a_neighbourhood(gen_server, page, shots):
    data = api(gen_server + "/api/graph?edges=all")
    assert len([n for n in data["nodes"] if not n["external"]]) >= 1000
    visit(page, gen_server + "/graph")
    page.page.wait_for_selector("#cy[data-ready]", timeout=30000)
    cy = page.page.locator("#cy")
    docs = [n for n in data["nodes"] if not n["external"]]  # the count is of documents, not cited ones outside
    assert int(cy.get_attribute("data-nodes")) == len(docs)
    page.page.screenshot(path=os.path.join(shots, "serve-graph-1000.png"))
    # a click on a real node shows its neighbourhood
    hub = max((n for n in data["nodes"] if n["degree"]), key=lambda n: n["degree"])
    box = cy.bounding_box()
    # a block, not an expression: center() returns the graph itself, too big to hand back to Python
    page.page.evaluate("id => { const cy = window.lineageGraph.cy; cy.center(cy.getElementById(id)); }", hub["id"])
    pos = page.page.evaluate("id => window.lineageGraph.cy.getElementById(id).renderedPosition()", hub["id"])
    page.page.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])
    page.page.wait_for_function(
        f"document.getElementById('cy').getAttribute('data-focus-now') === {json.dumps(hub['id'])}"
    )
    near = {hub["id"]} | {
        x
        for e in data["edges"]
        if e["shown"] and hub["id"] in (e["source"], e["target"])
        for x in (e["source"], e["target"])
    }
    assert int(cy.get_attribute("data-nodes")) == len(near) < len(docs)
    assert page.page.locator("#ginfo a").first.inner_text() == hub["title"]
    page.page.screenshot(path=os.path.join(shots, "serve-graph-neighbourhood.png"))
    page.page.click("#g-reset")
    assert int(cy.get_attribute("data-nodes")) == len(docs)
    # filters: a province, then a year (a date's years overlapping it, as the document list filters)
    prov = next(n["province"] for n in docs if n["province"] and n["province"] != "national")
    page.page.select_option("#g-province", prov)
    assert int(cy.get_attribute("data-nodes")) == sum(n["province"] == prov for n in docs)
    page.page.select_option("#g-province", "")
    year = sorted({n["year"] for n in docs if n["year"]})[1]
    page.page.select_option("#g-from", str(year))
    page.page.select_option("#g-to", str(year))
    assert int(cy.get_attribute("data-nodes")) == sum(
        bool(n["years"]) and n["years"][0] <= year <= n["years"][1] for n in docs
    )
    assert page.problems == []


def test_uncertain_edges_are_dashed_without_arrowhead(corpus_server, page):
    visit(page, corpus_server + "/graph")
    page.page.wait_for_selector("#cy[data-ready]")
    styles = page.page.evaluate("""() => window.lineageGraph.cy.edges().map(e => [e.data('uncertain'),
        e.style('line-style'), e.style('target-arrow-shape')])""")
    assert [1, "dashed", "none"] in styles and [0, "solid", "triangle"] in styles
    assert all((u == 1) == (ls == "dashed") and (u == 1) == (a == "none") for u, ls, a in styles)


def test_hostile_text_is_escaped_everywhere(xss_server, page):
    for u in every_page(xss_server) + [xss_server + "/?q=" + urllib.request.quote("<script>")]:
        visit(page, u)
        if "/graph" in u:
            page.page.wait_for_selector("#cy[data-ready]")
        assert page.dialogs == [], u
        assert page.page.locator("img[onerror]").count() == 0, u
        assert all(
            s.startswith(xss_server + "/static/")
            for s in page.page.evaluate("Array.from(document.scripts).map(s => s.src)")
        ), u
        assert page.problems == [], u
    visit(page, xss_server + "/?q=" + urllib.request.quote("onerror"))
    assert page.page.locator("table.docs tbody tr").count() == 1
    assert rf.XSS_IMG in page.page.inner_text("table.docs")  # the file name, printed as it is
    with page.page.expect_navigation():
        page.page.click("table.docs tbody a")
    body = page.page.inner_text("#text")
    assert rf.XSS_SCRIPT in body and rf.XSS_IMG in body and rf.XSS_TEMPLATE in body


# -- the static report: the same graph view, and a sortable, filterable index ---------------------------------------


def test_static_report_graph_page_has_the_interactive_view(corpus_report, page, shots):
    page.open(os.path.join(corpus_report, "graph.html"))
    page.page.wait_for_selector("#cy[data-ready]")
    data = json.loads(page.page.inner_text("#graph-data"))
    cy = page.page.locator("#cy")
    assert int(cy.get_attribute("data-nodes")) == len([n for n in data["nodes"] if not n["external"]]) >= 4
    styles = page.page.evaluate("""() => window.lineageGraph.cy.edges().map(e => [e.data('uncertain'),
        e.style('line-style'), e.style('target-arrow-shape')])""")
    assert [1, "dashed", "none"] in styles and [0, "solid", "triangle"] in styles
    # the neighbourhood of the uncertain edge's source; its links open the report's own pages
    e = next(x for x in data["edges"] if x["uncertain"])
    page.page.evaluate("id => window.lineageGraph.focus(id)", e["source"])
    near = {e["source"]} | {
        x for y in data["edges"] if e["source"] in (y["source"], y["target"]) for x in (y["source"], y["target"])
    }
    assert int(cy.get_attribute("data-nodes")) == len(near)
    hrefs = [n["href"] for n in data["nodes"] if not n["external"]]
    assert hrefs and all(h.startswith("documents/") and os.path.isfile(os.path.join(corpus_report, h)) for h in hrefs)
    page.page.screenshot(path=os.path.join(shots, "report-graph-interactive.png"))
    assert page.problems == []


def test_static_report_index_sorts_and_filters(corpus_report, page, shots):
    page.open(os.path.join(corpus_report, "index.html"))
    cells = page.page.locator("table.docs tbody tr td.when")
    visible = lambda: [c.get_attribute("data-from") for c in cells.all() if c.is_visible()]  # noqa: E731
    assert len(visible()) == 5
    page.page.select_option("#i-level", "city")
    assert len(visible()) == len([c for c in cells.all() if c.get_attribute("data-level") == "city"]) == 2
    page.page.select_option("#i-level", "")
    page.page.select_option("#i-province", "山东")
    assert len(visible()) == 1
    page.page.select_option("#i-province", "")
    page.page.fill("#i-from", "2020")
    got = visible()
    assert got and all(x >= "2020" or x == "" for x in got) and len(got) < 5
    assert page.page.inner_text("#found") == f"{len(got)} of 5"
    page.page.fill("#i-from", "")
    page.page.click('th[data-sort="from"] button')
    dates = [c.get_attribute("data-from") for c in cells.all()]
    known = [x for x in dates if x]
    assert known == sorted(known) and dates[: len(known)] == known
    page.page.click('th[data-sort="from"] button')
    dates = [c.get_attribute("data-from") for c in cells.all()]
    assert [x for x in dates if x] == sorted(known, reverse=True)
    assert page.page.get_attribute('th[data-sort="from"]', "aria-sort") == "descending"
    page.page.click('th[data-sort="size"] button')
    sizes = [int(c.get_attribute("data-size")) for c in cells.all()]
    assert sizes == sorted(sizes)
    page.page.screenshot(path=os.path.join(shots, "report-index-sorted.png"))
    assert page.problems == []
