"""`lineage serve` through Flask's test client on the real corpus (every route, HTML and JSON), and the command.

The graph is the one `lineage graph` caches; the pages must say what it
says: an uncertain edge "shares text with", an edge's shares the graph's
figures (share_text), the same on the document, pair and graph views.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import sys

import pytest

from lineage import i18n
from lineage.graph.edges import share_text
from lineage.serve import create_app
from lineage.serve.app import environment

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_fixtures import ROOT, client_of, graph_db, served

QUERY = "“产学研用金、才政介美云”十联动"


@pytest.fixture(scope="module")
def corpus_db(corpus_graph_db):
    return corpus_graph_db


@pytest.fixture(scope="module")
def client(corpus_db):
    with client_of(corpus_db) as c:
        yield c


def rows(client, **args):
    r = client.get("/api/documents", query_string=args)
    assert r.status_code == 200
    return r.get_json()


def test_list_json_has_every_document_with_its_metadata(client):
    d = rows(client)
    assert d["total"] == d["documents"] == 5
    by_name = {os.path.basename(r["path"])[:3]: r for r in d["rows"]}
    assert by_name["004"]["date_kind"] == "estimated" and by_name["004"]["jurisdiction"] == "绍兴市"
    assert by_name["000"]["level"] == "province" and by_name["000"]["province"] == "浙江"
    assert by_name["001"]["province"] == "山东"
    # 000 and 003 are one version: one node
    assert by_name["000"]["node"] == by_name["003"]["node"] is not None


def test_list_filters(client):
    assert {r["province"] for r in rows(client, province="浙江")["rows"]} == {"浙江"}
    assert rows(client, province="浙江")["total"] == 4
    assert {r["level"] for r in rows(client, level="city")["rows"]} == {"city"}
    assert rows(client, level="county")["total"] == 0
    # an estimated date counts where its range overlaps: 004 (2017-10-18..2019-12-31) is in 2019
    in_2019 = {os.path.basename(r["path"])[:3] for r in rows(client, **{"from": "2019", "to": "2019"})["rows"]}
    assert "004" in in_2019 and "000" not in in_2019
    in_2020 = {os.path.basename(r["path"])[:3] for r in rows(client, **{"from": "2020-01-01"})["rows"]}
    assert {"000", "003"} <= in_2020 and "002" not in in_2020
    assert [os.path.basename(r["path"])[:3] for r in rows(client, q="001_")["rows"]] == ["001"]
    assert rows(client, q="制造强省")["total"] == 2  # the title of 000, and 003's (its version's)


def test_list_sort_and_paging(client):
    asc = [r["date"] for r in rows(client, sort="date")["rows"]]
    desc = [r["date"] for r in rows(client, sort="date", dir="desc")["rows"]]
    assert asc == sorted(asc) and desc[: len([x for x in desc if x])] == sorted([x for x in asc if x], reverse=True)
    sizes = [r["size"] for r in rows(client, sort="size", dir="desc")["rows"]]
    assert sizes == sorted(sizes, reverse=True)
    p1, p2, p3 = (rows(client, sort="path", per=2, page=n) for n in (1, 2, 3))
    assert p1["pages"] == 3 and len(p1["rows"]) == 2 and len(p3["rows"]) == 1
    assert len({r["sha256"] for p in (p1, p2, p3) for r in p["rows"]}) == 5


def test_list_page_html_filters_and_links(client):
    html = client.get("/", query_string={"level": "city"}).get_data(as_text=True)
    assert html.count('<tr data-sha="') == rows(client, level="city")["total"] == 2
    assert 'aria-sort="ascending"' in html and 'href="/doc/' in html
    assert client.get("/", query_string={"sort": "nonsense", "page": "x"}).status_code == 200


def test_graph_json_and_its_filters(client):
    g = client.get("/api/graph").get_json()
    ids = {n["id"] for n in g["nodes"]}
    assert len([n for n in g["nodes"] if not n["external"]]) == 4  # 000 and 003 one version
    unc = [e for e in g["edges"] if e["uncertain"]]
    # 004 and 002 each share text with the 2020 plan, direction uncertain
    assert len(unc) == 2 and {e["source"] for e in g["edges"]} <= ids
    e = unc[0]
    assert e["share_of_target_text"] == share_text(e["share_of_target"])
    assert {n["level"] for n in client.get("/api/graph?level=city").get_json()["nodes"]} == {"city"}
    near = client.get(f"/api/graph?focus={e['source']}").get_json()
    assert near["focus"] == e["source"] and e["target"] in {n["id"] for n in near["nodes"]}
    assert len(near["nodes"]) < len(g["nodes"])
    y = client.get("/api/graph?from=2020&to=2020").get_json()
    assert y["nodes"] and all(n["year"] == 2020 for n in y["nodes"])


def test_pair_pages_word_the_direction_as_the_graph_does(client):
    g = client.get("/api/graph?edges=all").get_json()
    assert any(e["uncertain"] for e in g["edges"]) and any(not e["uncertain"] for e in g["edges"])
    for e in g["edges"]:
        j = client.get(f"/api/pair/{e['source']}/{e['target']}").get_json()
        html = client.get(f"/pair/{e['source']}/{e['target']}").get_data(as_text=True)
        text = re.sub(r"<[^>]+>", "", html)
        shares = re.findall(r'<span class="es" data-edge="([^"]+)" data-of="(\w+)">([^<]+)</span>', html)
        assert (e["id"], "target", e["share_of_target_text"]) in shares
        if e["uncertain"]:
            assert j["direction"] == "uncertain" and "shares text with" in text and "reused" not in text
            assert (e["id"], "source", e["share_of_source_text"]) in shares
        else:
            assert j["direction"] == "established" and "reused text from" in text
        assert j["passages"] and all(p["source_text"] and p["target_text"] for p in j["passages"])
        # either order names the same edge
        assert client.get(f"/api/pair/{e['target']}/{e['source']}").get_json()["source"] == e["source"]


def test_document_page_highlights_each_edge_passage_with_its_wording(client):
    g = client.get("/api/graph?edges=all").get_json()
    nodes = {n["id"]: n for n in g["nodes"]}
    for e in g["edges"]:
        for side in ("source", "target"):
            sha = nodes[e[side]]["sha256"]
            j = client.get(f"/api/doc/{sha}").get_json()
            link = next(x for x in j["links"] if x["pair"] == f"/pair/{e['source']}/{e['target']}")
            want = "shares text with" if e["uncertain"] else ("reused from" if side == "target" else "source of")
            assert link["how"] == want
            html = client.get(f"/doc/{sha}").get_data(as_text=True)
            marks = re.findall(rf'<a class="mk[^"]*" href="/pair/{e["source"]}/{e["target"]}#p\d+"', html)
            assert len(marks) >= 1 and link["passages"] >= 1
            assert ("reused from" in html) == any(x["how"] == "reused from" for x in j["links"])


def test_shares_are_the_same_figure_on_every_page(client):
    g = client.get("/api/graph?edges=all").get_json()
    nodes = {n["id"]: n for n in g["nodes"]}
    for e in g["edges"]:
        pages = [
            client.get(f"/pair/{e['source']}/{e['target']}").get_data(as_text=True),
            client.get(f"/doc/{nodes[e['target']]['sha256']}").get_data(as_text=True),
        ]
        for html in pages:
            found = re.findall(rf'data-edge="{re.escape(e["id"])}" data-of="target">([^<]+)<', html)
            assert found and set(found) == {e["share_of_target_text"]}


def test_search_and_diffusion(client):
    j = client.get("/api/search", query_string={"q": QUERY}).get_json()
    names = sorted(os.path.basename(p)[:3] for h in j["holders"] for p in h["paths"])
    assert names == ["000", "003", "004"]
    assert j["holders"][0]["change"] == "first" and j["holders"][0]["date_kind"] == "estimated"
    assert [t["says"] for t in j["transfers"] if t["carries"]] == ["shares text with"]
    html = client.get("/search", query_string={"q": QUERY}).get_data(as_text=True)
    assert html.count("<li class=") >= 2 and "shares text with" in html and "took it from" not in html
    assert "earliest in this corpus" in html and 'data-n="2"' in html  # 浙江: two versions
    assert client.get("/api/search").status_code == 400
    none = client.get("/api/search", query_string={"q": "这句话不在任何文件里出现过的测试"}).get_json()
    assert none["holders"] == []


def test_not_found(client):
    assert client.get("/doc/0123456789").status_code == 404
    assert client.get("/doc/zz").status_code == 404
    assert client.get("/pair/a/b").status_code == 404
    assert client.get("/api/pair/a/b").get_json() == {"error": "not found"}
    assert client.get("/static/../app.py").status_code == 404
    assert client.get("/static/cytoscape.min.js").status_code == 200
    assert client.get("/static/cytoscape-license.txt").status_code == 200


def test_every_page_carries_the_csp_and_our_scripts_only(client):
    g = client.get("/api/graph").get_json()
    for url in ["/", "/graph", "/search", f"/doc/{g['nodes'][0]['sha256']}"]:
        r = client.get(url)
        assert "script-src 'self';" in r.headers["Content-Security-Policy"]
        assert "<script>" not in r.get_data(as_text=True)
        assert re.findall(r'<script src="([^"]+)"', r.get_data(as_text=True))


def test_language_from_the_query_and_the_server(corpus_db, client):
    zh = client.get("/?lang=zh").get_data(as_text=True)
    assert "文件" in zh and '<html lang="zh-Hans">' in zh
    assert 'href="/doc/' in zh and "lang=zh" in zh  # links keep the language
    en = client.get("/?lang=en").get_data(as_text=True)
    assert "Documents" in en
    app = create_app(corpus_db, lang="zh")
    assert "文件" in app.test_client().get("/").get_data(as_text=True)
    assert "Documents" in app.test_client().get("/?lang=en").get_data(as_text=True)
    app.config["lineage.state"].store.close()


def test_every_serve_message_has_chinese():
    env = environment()
    folder = os.path.join(ROOT, "lineage", "serve", "templates")
    shared = os.path.join(ROOT, "lineage", "report", "templates", "_graphview.html.j2")  # the graph view's partial
    messages = {"Interactive graph"}  # what the static report's graph page adds around it
    for path in [os.path.join(folder, name) for name in os.listdir(folder)] + [shared]:
        src = open(path, encoding="utf-8").read()
        messages |= {m for _, _, m in env.extract_translations(src) if isinstance(m, str)}
        # jinja's extractor passes over calls with variables: find those by their form
        messages |= set(re.findall(r'_\("((?:[^"\\]|\\.)*)"', src)) | set(re.findall(r"_\('((?:[^'\\]|\\.)*)'", src))
    assert len(messages) > 70 and "page %(p)s of %(n)s" in messages
    assert i18n.missing_messages(sorted(messages), "zh") == []


def test_no_database_is_one_line_and_exit_1(tmp_path, run_cli):
    r = run_cli("serve", "--db", str(tmp_path / "none.db"))
    assert r.exit_code == 1
    assert r.output.strip().splitlines() == [
        f"Error: {tmp_path / 'none.db'}: no database here (run 'lineage ingest' or 'lineage graph' first)"
    ]
    assert not (tmp_path / "none.db").exists()


# `python -m lineage` in an environment where Flask is not installed: the import system's own refusal of
# it, as `make report`'s install without the serve extra gives.
WITHOUT_FLASK = """
import runpy, sys

class NoFlask:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] == "flask":
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, NoFlask())
sys.argv[0] = "lineage"
runpy.run_module("lineage", run_name="__main__", alter_sys=True)
"""


@pytest.mark.parametrize(
    "lang, line",
    [
        ("en", "Error: lineage serve needs Flask: pip install 'lineage[serve]'"),
        ("zh", "Error: lineage serve 需要 Flask：pip install 'lineage[serve]'"),
    ],
)
def test_without_flask_serve_is_one_line_and_exit_1(corpus_db, corpus_paths, lang, line):
    import subprocess

    env = {**os.environ, "LINEAGE_LANG": lang}
    cmd = [sys.executable, "-c", WITHOUT_FLASK]
    r = subprocess.run(
        [*cmd, "serve", "--db", corpus_db, "--port", "0"], capture_output=True, text=True, cwd=ROOT, env=env, timeout=60
    )
    assert (r.returncode, r.stdout, r.stderr.splitlines()) == (1, "", [line])
    # The same environment runs the other commands: only serve needs Flask.
    r = subprocess.run(
        [*cmd, "show", corpus_paths["000"], "--db", corpus_db],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
    )
    assert r.returncode == 0 and "制造强省建设行动计划" in r.stdout, r.stderr


def test_ctrl_c_stops_the_server_with_130(corpus_db):
    import urllib.request

    with served(corpus_db) as (url, proc):
        assert url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(url + "/api/documents") as r:
            assert r.status == 200
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=20) == 130
        assert "lineage: interrupted (Ctrl-C)" in proc.stderr.read()


def test_a_graph_built_while_serving_is_picked_up(corpus_paths, tmp_path, run_cli):
    """Another process changing the database (here: ingest, then graph) is seen by the next request."""
    db = str(tmp_path / "db")
    assert run_cli("ingest", corpus_paths["002"], corpus_paths["004"], "--db", db, "-q").exit_code == 0
    app = create_app(db)
    c = app.test_client()
    assert rows(c)["total"] == 2 and c.get("/api/graph").status_code == 404
    graph_db(run_cli, os.path.dirname(corpus_paths["000"]), db)
    assert rows(c)["total"] == 5
    assert c.get("/api/graph").get_json()["edges"]
    app.config["lineage.state"].store.close()


def test_answers_kept_between_requests_follow_the_database(corpus_paths, tmp_path, run_cli):
    """The server keeps the graph view's answer, the search's dates and dedup's grouping between requests;
    another process adding documents and building the graph again changes them."""
    docs = tmp_path / "docs"
    docs.mkdir()
    for k in ("000", "002", "004"):
        shutil.copy(corpus_paths[k], docs)
    db = graph_db(run_cli, str(docs), str(tmp_path / "db"))
    app = create_app(db)
    c = app.test_client()

    def holders() -> list[list[str]]:
        j = c.get("/api/search", query_string={"q": QUERY}).get_json()
        return sorted(sorted(os.path.basename(p)[:3] for p in h["paths"]) for h in j["holders"])

    def versions() -> set[str]:
        return {str(n["sha256"]) for n in c.get("/api/graph?edges=all").get_json()["nodes"] if n["sha256"]}

    before = versions()
    assert holders() == [["000"], ["004"]] and versions() == before and len(before) == 3
    for k in ("001", "003"):
        shutil.copy(corpus_paths[k], docs)
    graph_db(run_cli, str(docs), db)
    assert holders() == [["000", "003"], ["004"]]  # 003 is a copy of 000: one version, in the new grouping
    assert len(versions() - before) == 1  # 001, another document
    app.config["lineage.state"].store.close()


def test_the_search_index_is_built_at_start_and_a_search_meanwhile_waits_for_it(corpus_paths, tmp_path, run_cli):
    """`lineage serve` builds the search index in a background thread (its own connection) as it starts:
    a search asked for at once waits for that build and finds what an index built on demand finds."""
    import sqlite3

    from lineage.explore.search_index import ATOMS_KIND, SEARCH_KIND

    db = graph_db(run_cli, os.path.dirname(corpus_paths["000"]), str(tmp_path / "db"))

    def cached(kind):
        with sqlite3.connect(db) as c:
            return c.execute("SELECT count(*) FROM cache WHERE kind=?", (kind,)).fetchone()[0]

    assert cached(SEARCH_KIND) == 0 and cached(ATOMS_KIND) == 0
    app = create_app(db, prepare_search=True)
    state = app.config["lineage.state"]
    try:
        assert state.preparing is not None
        j = app.test_client().get("/api/search", query_string={"q": QUERY}).get_json()
        assert state.preparing is None  # joined, not built a second time
        assert sorted(os.path.basename(p)[:3] for h in j["holders"] for p in h["paths"]) == ["000", "003", "004"]
        assert cached(SEARCH_KIND) == 1 and cached(ATOMS_KIND) == 5
    finally:
        state.store.close()
    # the next server finds it cached; one without the background build finds the same holders
    idle = create_app(db)
    try:
        again = idle.test_client().get("/api/search", query_string={"q": QUERY}).get_json()
        assert again["holders"] == j["holders"]
    finally:
        idle.config["lineage.state"].store.close()


def test_a_document_page_lists_its_copies_and_other_versions(client, corpus_paths):
    """The copies of its version with how each differs from the canonical copy (dedup's stored result),
    and, for a revision family, the other versions: what a data engineer checks before keeping one file."""
    sha000 = client.get("/api/documents", query_string={"q": "000_"}).get_json()["rows"][0]["sha256"]
    d = client.get(f"/api/doc/{sha000}").get_json()["dedup"]
    rel = {os.path.basename(c["path"])[:3]: c["relation"] for c in d["copies"]}
    assert rel == {"000": "canonical", "003": "noisy"}
    (noisy,) = [c for c in d["copies"] if c["relation"] == "noisy"]
    assert "isolated character difference" in noisy["differences"] and d["versions"] == []
    html = client.get(f"/doc/{sha000}").get_data(as_text=True)
    assert "Copies and versions" in html and f'href="/doc/{noisy["sha256"]}"' in html
    zh = client.get(f"/doc/{sha000}", query_string={"lang": "zh"}).get_data(as_text=True)
    assert "副本与版本" in zh and "处孤立的字符差异" in zh  # dedup's words in the page's language
    one = client.get("/api/documents", query_string={"q": "001_"}).get_json()["rows"][0]["sha256"]
    assert [c["relation"] for c in client.get(f"/api/doc/{one}").get_json()["dedup"]["copies"]] == ["canonical"]


def test_other_versions_of_a_revised_document_are_listed_with_what_changed(corpus_paths, tmp_path, run_cli):
    text = open(corpus_paths["002"], encoding="utf-8").read()
    (tmp_path / "v1.txt").write_text(text, encoding="utf-8")
    revised = text.replace("2020年", "2021年").replace("加快", "加速", 12).replace("推进", "推动", 12)
    (tmp_path / "v2.txt").write_text(revised.replace("2016-06-17", "2017-03-01"), encoding="utf-8")
    db = str(tmp_path / "db")
    assert run_cli("dedup", str(tmp_path / "v1.txt"), str(tmp_path / "v2.txt"), "--db", db, "-q").exit_code == 0
    app = create_app(db)
    try:
        c = app.test_client()
        shas = {r["path"][-6:]: r["sha256"] for r in rows(c)["rows"]}
        d = c.get(f"/api/doc/{shas['v2.txt']}").get_json()["dedup"]
        (v,) = d["versions"]
        assert v["sha256"] == shas["v1.txt"] and v["earlier"] and v["changes"]["modified"] > 0
        assert "earlier" in c.get(f"/doc/{shas['v2.txt']}").get_data(as_text=True)
    finally:
        app.config["lineage.state"].store.close()


def test_the_same_text_issued_by_another_government_is_listed_with_where_each_was_issued(
    corpus_paths, tmp_path, run_cli
):
    """A 绍兴 notice forwarding 浙江's plan, the plan whole as its body: two documents, as `lineage dedup` says
    (same_text); the document page says so beside its copies, with where each was issued."""
    plan = open(corpus_paths["003"], encoding="utf-8").read()
    shutil.copy(corpus_paths["000"], tmp_path / "zj.txt")
    notice = [
        "绍兴市人民政府办公室关于转发《制造强省建设行动计划》的通知",
        "绍政办发〔2020〕12号",
        "各区、县（市）人民政府：",
        "现将《制造强省建设行动计划》转发给你们，请认真贯彻落实。",
        "绍兴市人民政府办公室",
        "2020年4月20日",
    ]
    (tmp_path / "sx.txt").write_text("\n".join(notice) + "\n" + plan, encoding="utf-8")
    db = str(tmp_path / "db")
    assert run_cli("dedup", str(tmp_path / "zj.txt"), str(tmp_path / "sx.txt"), "--db", db, "-q").exit_code == 0
    with client_of(db) as c:
        shas = {r["path"][-6:]: r["sha256"] for r in rows(c)["rows"]}
        (x,) = c.get(f"/api/doc/{shas['sx.txt']}").get_json()["dedup"]["same_text"]
        assert x["sha256"] == shas["zj.txt"] and x["issued_in"] == ["绍兴市", "浙江省"]
        html = c.get(f"/doc/{shas['zj.txt']}").get_data(as_text=True)
        assert "issued as another document" in html and "绍兴市; this one: 浙江省" in html


def test_the_list_shows_copies_and_keeps_one_row_per_version_when_asked(client):
    every = rows(client, per=50)
    rel = {os.path.basename(r["path"])[:3]: (r["copies"], r["relation"]) for r in every["rows"]}
    assert rel["000"] == (2, "canonical") and rel["003"] == (2, "noisy") and rel["001"] == (1, "canonical")
    one = rows(client, versions=1, per=50)
    assert one["total"] == every["total"] - 1 and "003" not in {os.path.basename(r["path"])[:3] for r in one["rows"]}
    by_copies = rows(client, sort="copies", dir="desc")["rows"]
    assert by_copies[0]["copies"] == 2
    html = client.get("/", query_string={"versions": "1"}).get_data(as_text=True)
    assert 'id="f-versions" checked' in html and 'data-sort="copies"' in html
    # the date filters' examples are the corpus's own first and last years, not a fixed 2016..2020
    years = sorted(int(r["date"][:4]) for r in every["rows"] if r["date"])
    assert f'placeholder="{years[0]}"' in html and re.search(r'id="f-to"', html)
    # links keep the choice (sorting, paging)
    assert re.search(r'href="/\?[^"]*versions=1[^"]*sort=title', html)
