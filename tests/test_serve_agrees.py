"""serve, export and `lineage graph` give one figure for one thing, on generated data and the corpus.

The document list and pages show the edges the graph shows (weaker ones apart and marked); "every edge"
(--min-share 0 --min-sequential 0, the graph page's "weak edges too") is the same set everywhere; the
graph's year filter keeps what the list keeps; pages asked for in Chinese word evidence and metadata in
Chinese; a graph cached before more documents came in is still used, and said to be out of date.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys

import pandas as pd
import pytest

from lineage import i18n
from lineage.serve import create_app

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_fixtures import generated_db


@pytest.fixture(scope="module")
def gen(tmp_path_factory, run_cli):
    """bench/generate.py's lineage corpus, 60 documents (seed 7: edges below the thresholds, fragment-only
    pairs, widely shared passages, versions whose titles repeat)."""
    return generated_db(run_cli, str(tmp_path_factory.mktemp("agree-gen")), 60, seed=7)


@pytest.fixture(scope="module")
def gen_client(gen):
    app = create_app(gen)
    yield app.test_client()
    app.config["lineage.state"].store.close()


@pytest.fixture(scope="module")
def corpus_db(corpus_graph_db):
    return corpus_graph_db


def reuse_of(run_cli, db, *args):
    r = run_cli("graph", "--db", db, "--json", "-q", *args)
    assert r.exit_code == 0, r.stderr
    return [e for e in json.loads(r.stdout)["edges"] if e["kind"] == "reuse"]


def pairs(edges):
    return {(str(e["source"]), str(e["target"])) for e in edges}


def test_list_and_document_pages_show_the_graphs_edges(gen_client, gen, run_cli):
    shown = gen_client.get("/api/graph").get_json()["edges"]
    assert pairs(shown) == pairs(reuse_of(run_cli, gen))  # the graph page draws what `lineage graph` lists
    every = gen_client.get("/api/graph?edges=all").get_json()["edges"]
    assert len(every) > len(shown)
    rows = gen_client.get("/api/documents?versions=1&per=500").get_json()["rows"]
    assert sum(r["edges"] for r in rows) == 2 * len(shown)
    assert sum(r["edges_below_threshold"] for r in rows) == 2 * (len(every) - len(shown))
    checked = 0
    for r in rows:
        if not r["node"]:
            continue
        near = {x for e in shown if r["node"] in (e["source"], e["target"]) for x in (e["source"], e["target"])}
        near.discard(r["node"])
        d = gen_client.get(f"/api/doc/{r['sha256']}").get_json()
        on = [x for x in d["links"] if x["shown"]]
        off = [x for x in d["links"] if not x["shown"]]
        assert len(on) == r["edges"] == len(near) and len(off) == r["edges_below_threshold"]
        html = gen_client.get(f"/doc/{r['sha256']}?lang=en").get_data(as_text=True)
        main, _, weak = html.partition('<details class="weak" id="weak-links">')
        assert bool(weak) == bool(off)
        if off:  # listed apart, collapsed, and said to be below the graph's thresholds
            assert "below the graph's thresholds" in weak.split("</summary>")[0]
            assert weak.split("</details>")[0].count("<li") == len(off)
        listed = main.split('<ul class="links" id="links">')[1].split("</ul>")[0] if on else ""
        assert listed.count("<li") == len(on) and " weak" not in listed
        checked += bool(off)
    assert checked >= 5


def test_each_share_names_its_document_as_the_page_does(gen_client):
    """Where titles repeat the graph's labels qualify them (place · year · title): the shares say the same names."""
    qualified = 0
    for row in gen_client.get("/api/documents?per=500").get_json()["rows"]:
        html = gen_client.get(f"/doc/{row['sha256']}").get_data(as_text=True)
        me = re.search(r'<h1 lang="zh">(.*?)</h1>', html).group(1)
        for cls, li in re.findall(r'<li class="(e\d[^"]*)">(.*?)</li>', html):
            other = re.search(r'<a href="/doc/\w+" lang="zh">(.*?)</a>', li).group(1)
            named = re.findall(r'</span> of <span lang="zh">(.*?)</span>', li)
            assert named and set(named) <= {me, other}, (me, other, named)
            qualified += " · " in other
            if "unc" not in cls.split():  # an established edge: the share of the target, named so
                assert len(named) == 1
    assert qualified


def test_every_edge_is_one_set_everywhere(gen_client, gen, run_cli, tmp_path):
    """--min-share 0 --min-sequential 0 in `graph` and `export`, the graph's "in all", the page's "weak edges too"."""
    zero = ("--min-share", "0", "--min-sequential", "0")
    every = pairs(reuse_of(run_cli, gen, *zero))
    assert pairs(gen_client.get("/api/graph?edges=all").get_json()["edges"]) == every
    out = tmp_path / "csv"
    assert run_cli("export", "graph", "--format", "csv", "--out", str(out), "--db", gen, "-q", *zero).exit_code == 0
    edges = pd.read_csv(out / "edges.csv", dtype="string")
    assert set(zip(edges[edges["kind"] == "reuse"]["source"], edges[edges["kind"] == "reuse"]["target"])) == every
    note = run_cli("graph", "--db", gen, "--lang", "en").stderr
    assert f"({len(every):,} in all)" in note


def test_graph_year_filter_keeps_what_the_list_keeps(gen_client, corpus_db):
    corpus = create_app(corpus_db)
    estimated = 0
    for client in (gen_client, corpus.test_client()):
        years = sorted({y for n in client.get("/api/graph").get_json()["nodes"] for y in (n["years"] or [])})
        for y in range(years[0], years[-1] + 1):
            nodes = client.get(f"/api/graph?from={y}&to={y}").get_json()["nodes"]
            docs = {n["sha256"] for n in nodes if not n["external"]}
            rows = client.get(f"/api/documents?from={y}&to={y}&versions=1&per=500").get_json()["rows"]
            assert docs == {r["sha256"] for r in rows}, y
            estimated += sum(n["date_kind"] == "estimated" and n["years"][0] < n["years"][1] for n in nodes)
    assert estimated  # estimates spanning years (the corpus's 004: 2017-10-18..2019-12-31) were among them
    corpus.config["lineage.state"].store.close()


def test_exports_name_nodes_as_the_graph_does_with_stable_edge_ids(gen, run_cli, tmp_path):
    graph = json.loads(run_cli("graph", "--db", gen, "--json", "-q").stdout)
    labels = {n["id"]: n["label"] for n in graph["nodes"]}
    assert len(set(labels.values())) > len({n["title"] for n in graph["nodes"]})  # titles repeat, labels do not
    out = tmp_path / "g.csv"
    assert run_cli("export", "graph", "--format", "csv", "--out", str(out), "--db", gen, "-q").exit_code == 0
    nodes = pd.read_csv(out / "nodes.csv", dtype="string")
    assert dict(zip(nodes["id"], nodes["label"])) == labels
    # an edge's id names its pair whatever the thresholds
    ids = {}
    for args, name in (((), "p1.csv"), (("--min-share", "0", "--min-sequential", "0"), "p2.csv")):
        p = tmp_path / name
        assert run_cli("export", "passages", "--out", str(p), "--db", gen, "-q", *args).exit_code == 0
        df = pd.read_csv(p, dtype="string", keep_default_na=False)
        ids[name] = dict(zip(df["edge"], zip(df["source"], df["target"])))
        assert all(e == f"{s}--{t}" for e, (s, t) in ids[name].items())
        # common_source is a node id or empty; "widely shared" has a boolean column of its own
        assert set(df["common_source"]) - {""} <= set(labels) and set(df["widely_shared"]) == {"true", "false"}
        assert not (df["widely_shared"] == "true").to_numpy()[df["counted"].to_numpy() == "true"].any()
    assert ids["p1.csv"].items() <= ids["p2.csv"].items()


def test_pages_in_chinese_word_evidence_and_metadata_in_chinese(corpus_db):
    from lineage.report.pages import document_meta, evidence_text
    from lineage.store import Store

    app = create_app(corpus_db, lang="en")
    c = app.test_client()
    edges = c.get("/api/graph?edges=all").get_json()["edges"]
    graph = app.config["lineage.state"].graph
    english = re.compile(r"\b(earlier|later|level|signed|undated|bytes|from)\b")
    for e in edges:
        zh = c.get(f"/api/pair/{e['source']}/{e['target']}?lang=zh").get_json()["evidence"]
        raw = graph.edge(e["source"], e["target"])["direction_evidence"]
        html = c.get(f"/pair/{e['source']}/{e['target']}?lang=zh").get_data(as_text=True)
        names = {"source": graph.nodes[e["source"]]["label"], "target": graph.nodes[e["target"]]["label"]}
        with i18n.language("zh"):
            assert zh == [evidence_text(x, names) for x in raw]
        assert zh and not any(english.search(x) for x in zh), zh
        assert all(x.replace('"', "&#34;") in html or x in html for x in zh)
    with Store(corpus_db, create=False) as store:
        for sha in store.shas():
            got = c.get(f"/api/doc/{sha}?lang=zh").get_json()["meta"]
            with i18n.language("zh"):
                assert got == [list(x) for x in document_meta(store.load(sha))]
            assert not any(english.search(v) for _, v in got), got
            assert c.get(f"/api/doc/{sha}?lang=en").get_json()["meta"] != got
    app.config["lineage.state"].store.close()


def test_a_graph_cached_before_more_documents_is_used_and_said_stale(corpus_db, run_cli, tmp_path):
    db = str(tmp_path / "c.db")
    shutil.copy(corpus_db, db)
    app = create_app(db)
    c = app.test_client()
    before = c.get("/api/graph").get_json()
    docs_before = c.get("/api/documents?per=500").get_json()["rows"]
    new = tmp_path / "new1.txt"
    new.write_text("测试新文件\n\n这是一份后来导入的文件，与其他文件没有共同的文字。\n\n第二段。\n", encoding="utf-8")
    assert run_cli("ingest", str(new), "--db", db, "-q").exit_code == 0
    r = c.get("/api/graph")
    assert r.status_code == 200
    after = r.get_json()
    assert pairs(after["edges"]) == pairs(before["edges"]) and after["stale"] == {"covered": 5, "documents": 6}
    assert any("run 'lineage graph'" in n for n in after["notes"])
    listing = c.get("/api/documents?per=500&lang=en").get_json()
    assert listing["total"] == 6 and any("out of date" in n for n in listing["notes"])
    edges = {r["sha256"]: r["edges"] for r in listing["rows"]}
    assert all(edges[r["sha256"]] == r["edges"] for r in docs_before)  # the old documents keep their edges
    assert sum(r["copies"] > 0 for r in listing["rows"]) == 5  # dedup's last result still groups the old ones
    page = c.get("/?lang=en").get_data(as_text=True)
    assert "The lineage graph shown is out of date: it covers 5 of the 6 documents" in page
    assert "No lineage graph is cached" not in page
    app.config["lineage.state"].store.close()
