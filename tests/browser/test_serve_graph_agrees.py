"""The interactive graph (serve's /graph, shared with the static report) says what the list and the pair say.

A click on an edge names whose share each figure is, the source's first; the year filter keeps the documents
the list keeps for the same years (a date's years, an estimate's whole range, overlap the filter).
"""

from __future__ import annotations

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from serve_fixtures import api, graph_db, served, tap

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(corpus_paths, tmp_path_factory, run_cli):
    tmp = tmp_path_factory.mktemp("serve-graph-agrees")
    with served(graph_db(run_cli, os.path.dirname(corpus_paths["000"]), str(tmp / "db"))) as (url, _):
        yield url


def ready(page, url: str) -> None:
    page.page.goto(url)
    page.page.wait_for_selector("#cy[data-ready]", timeout=30000)


def test_edge_click_names_each_share_source_first(server, page):
    data = api(server + "/api/graph?edges=all")
    titles = {n["id"]: n["title"] for n in data["nodes"]}
    ready(page, server + "/graph?lang=en")
    clicked = 0
    for e in data["edges"]:
        if e["share_of_source_text"] == e["share_of_target_text"]:
            continue  # the order could not show
        tap(page, e["id"])
        src = page.page.inner_text("#ginfo .gs-source")
        tgt = page.page.inner_text("#ginfo .gs-target")
        assert src == f"{e['share_of_source_text']} of {titles[e['source']]}"
        assert tgt == f"{e['share_of_target_text']} of {titles[e['target']]}"
        lines = page.page.inner_text("#ginfo").split("\n")
        assert lines.index(src) < lines.index(tgt)  # the heading's order: source (left) first
        clicked += 1
    assert clicked >= 2
    assert page.problems == []


def test_year_filter_keeps_what_the_list_keeps(server, page):
    ready(page, server + "/graph")
    years = [int(y) for y in page.page.eval_on_selector_all("#g-from option", "os => os.map(o => o.value)") if y]
    assert len(years) >= 4
    checked = 0
    for y in years:
        page.page.select_option("#g-from", str(y))
        page.page.select_option("#g-to", str(y))
        listed = api(f"{server}/api/documents?from={y}&to={y}&versions=1")["total"]
        assert int(page.page.get_attribute("#cy", "data-nodes")) == listed, y
        shown = api(f"{server}/api/graph?from={y}&to={y}")
        assert len([n for n in shown["nodes"] if not n["external"]]) == listed, y
        checked += listed > 0
    assert checked >= 3
    assert page.problems == []
