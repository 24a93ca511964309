"""In a browser, serve words two editions of one document as editions: the document page's links, and the
interactive graph's edge panel (graph.js, shared with the static report) on a click on the edge."""

from __future__ import annotations

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from serve_fixtures import api, served, tap
from test_editions_wording import REVISION, REVISION_EDITS, TITLE, _body, _draft, _issued, _write

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory, run_cli):
    tmp = tmp_path_factory.mktemp("editions-browser")
    shas = _write(
        tmp / "docs",
        {
            "draft.txt": _draft(),
            "final.txt": _issued(TITLE, "浙江省人民政府", "2020年3月13日", _body([])),
            "rev.txt": _issued(REVISION, "浙江省人民政府", "2021年6月18日", _body(REVISION_EDITS)),
        },
    )
    r = run_cli("graph", str(tmp / "docs"), "--db", str(tmp / "db"), "-q")
    assert r.exit_code == 0, r.output
    with served(str(tmp / "db")) as (url, _):
        yield url, shas


def test_the_document_page_and_the_edge_panel_say_editions(server, page):
    url, shas = server
    page.page.goto(f"{url}/doc/{shas['rev.txt']}?lang=en")
    links = page.page.inner_text("#links")
    assert f"revision of {TITLE}" in links and "reused from" not in links, links
    data = api(url + "/api/graph?edges=all")
    titles = {n["id"]: n["title"] for n in data["nodes"]}
    (edge,) = [e for e in data["edges"] if (titles[e["source"]], titles[e["target"]]) == (TITLE, REVISION)]
    assert edge["edition"] == "revision"
    page.page.goto(url + "/graph?lang=en")
    page.page.wait_for_selector("#cy[data-ready]", timeout=30000)
    tap(page, edge["id"])
    panel = page.page.inner_text("#ginfo")
    assert "editions of one document: the same document revised, not one reusing the other" in panel, panel
    assert all(e["edition"] for e in data["edges"])  # three editions of one document: no other edge here
    assert page.problems == []
