"""serve's list and pages say what they do: sortable edge counts, ignored filter values, a page past the end,
each share named as the page names its document, agreeing grammar, and `serve -q`."""

from __future__ import annotations

import os
import re
import sys
import urllib.request

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_fixtures import client_of, served

QUERY = "“产学研用金、才政介美云”十联动"


@pytest.fixture(scope="module")
def client(corpus_graph_db):  # English whatever the locale: the wording tested is the English
    with client_of(corpus_graph_db, lang="en") as c:
        yield c


def test_the_reuse_edges_column_sorts(client):
    for d in ("asc", "desc"):
        rows = client.get(f"/api/documents?sort=edges&dir={d}").get_json()["rows"]
        counts = [r["edges"] for r in rows]
        assert counts == sorted(counts, reverse=d == "desc") and len(set(counts)) > 1
    html = client.get("/").get_data(as_text=True)
    assert 'data-sort="edges"' in html


def test_bad_filter_values_are_reported_not_silently_dropped(client):
    r = client.get("/api/documents?from=2018-13&to=2020&page=x").get_json()
    assert {(x["parameter"], x["value"]) for x in r["ignored"]} == {("from", "2018-13"), ("page", "x")}
    html = client.get("/?from=2018-13").get_data(as_text=True)
    assert 'id="ignored-from"' in html and "2018-13" in html.split('id="ignored-from"')[1].split("</p>")[0]
    assert "ignored" not in client.get("/?from=2018-05").get_data(as_text=True).lower()


def test_a_page_past_the_end_says_so(client):
    html = client.get("/?page=999").get_data(as_text=True)
    assert "No document matches" not in html and "Page 999 is past the last page (1)." in html


def test_search_summary_agrees_in_number(client):
    html = client.get("/search", query_string={"q": QUERY}).get_data(as_text=True)
    summary = re.search(r'<p class="lede" id="summary">(.*?)</p>', html, re.S).group(1)
    assert summary.startswith("3 documents hold the text, in 2 versions"), summary
    # the tables below count what the summary's second figure counts: versions (000 and 003 are one)
    for table in ("byprov", "byyear"):
        t = re.search(rf'<table class="{table}">(.*?)</table>', html, re.S).group(1)
        heads = re.findall(r"<th>(.*?)</th>", t)
        assert heads[1] == "versions" and "documents" not in heads, heads
        counts = [int(n) for n in re.findall(r'<span class="bar" data-n="(\d+)">', t)]
        assert sum(counts) == 2, (table, counts)
    one = client.get("/search", query_string={"q": "二、推动制造业高端化提升"}).get_data(as_text=True)  # 001's alone
    summary = re.search(r'<p class="lede" id="summary">(.*?)</p>', one, re.S).group(1)
    assert summary.startswith("1 document holds the text, in 1 version"), summary


def test_serve_quiet_drops_the_request_log(corpus_graph_db):
    for extra, logged in (((), True), (("-q",), False)):
        with served(corpus_graph_db, *extra) as (url, proc), urllib.request.urlopen(url + "/api/documents") as r:
            assert r.status == 200
        err = proc.stderr.read()
        assert ("GET /api/documents" in err) == logged, err
