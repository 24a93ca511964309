"""Two editions of one document are worded as editions, never as one document reusing another.

A hand-made trio from the corpus's Zhejiang plan (003): its 征求意见稿 published for comment (2020-01-10), the
plan as issued (2020-03-13) and its 2021 revision (2021-06-18, five sentences edited), with a city plan that
adapts the 2020 plan (a reuse edge between two documents, which keeps saying "reused from").  The graph's
edges between the editions carry ``revision`` true; the index, the pair pages, the graph page, serve's
pages and `lineage graph` say "revision of" / "earlier edition of", "final version of" / "draft of", and,
where nothing orders two editions, "another edition of" -- never "reused from", nor "revision of" without a
direction.
"""

from __future__ import annotations

import hashlib
import html as htmllib
import json
import re
from pathlib import Path

import pytest

from lineage.serve import create_app

ROOT = Path(__file__).resolve().parents[1]
PLAN = ROOT / "corpus" / "003_cba8423d898ca683.txt"
TITLE = "制造强省建设行动计划"
DRAFT, REVISION = f"{TITLE}（征求意见稿）", f"{TITLE}（2021年修订）"
DRAFT_EDITS = [("打造10条以上", "打造8条以上"), ("20万台", "15万台"), ("1200个", "1000个"), ("4000项", "3000项")]
REVISION_EDITS = [
    ("打造10条以上", "打造12条以上"),
    ("20万台", "25万台"),
    ("1200个", "1500个"),
    ("4000项", "5000项"),
    ("推动制造业贷款余额稳步增长", "推动制造业贷款余额持续较快增长"),
]
CITY_EDITS = [("制造强省", "制造强市"), ("浙江省", "湖州市"), ("省级", "市级"), ("在浙", "在湖")]


def _body(edits: list[tuple[str, str]]) -> str:
    body = PLAN.read_text(encoding="utf-8").strip()
    for a, b in edits:
        assert a in body, a
        body = body.replace(a, b)
    return body


def _issued(title: str, issuer: str, date: str, body: str) -> str:
    notice = [f"{issuer}关于印发《{title}》的通知", "各有关单位：", f"现将《{title}》印发给你们，请认真贯彻执行。"]
    return "\n".join([*notice, issuer, date, "", title, body]) + "\n"


def _draft() -> str:
    """A draft as published for comment: the call, signed by the drafting body, then the draft itself."""
    call = [
        f"浙江省经济和信息化厅关于公开征求《{DRAFT}》意见的公告",
        f"　　为广泛听取社会各界意见，现将《{DRAFT}》全文公布，征求意见截止时间为2020年1月20日。",
        "浙江省经济和信息化厅",
        "2020年1月10日",
    ]
    return "\n".join([*call, "", DRAFT, _body(DRAFT_EDITS)]) + "\n"


def _write(folder: Path, files: dict[str, str]) -> dict[str, str]:
    folder.mkdir(parents=True, exist_ok=True)
    shas = {}
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
        shas[name] = hashlib.sha256((folder / name).read_bytes()).hexdigest()
    return shas


def _text(html: str) -> str:
    """A page's words as a reader sees them: tags dropped, entities decoded, white space folded."""
    html = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", htmllib.unescape(re.sub(r"<[^>]+>", " ", html))).replace("( ", "(").replace(" )", ")")


def _cell(index: str, row_prefix: str, klass: str | None = None) -> str:
    """The words of one document's row on the index (or of its cell of class KLASS)."""
    m = re.search(rf'<tr id="d-{row_prefix}[^"]*">(.*?)</tr>', index, re.S)
    assert m, row_prefix
    row = m.group(1)
    if klass:
        row = re.search(rf'<td class="{klass}">(.*?)</td>', row, re.S).group(1)
    return _text(row)


def _blocks(out: str) -> list[str]:
    """`lineage graph`'s reuse edges, one block each."""
    return [b for b in out.split("\n\n") if re.match(r"\[\d+\] ", b)]


@pytest.fixture(scope="module")
def trio(tmp_path_factory, run_cli):
    tmp = tmp_path_factory.mktemp("editions")
    docs = tmp / "docs"
    shas = _write(
        docs,
        {
            "draft.txt": _draft(),
            "final.txt": _issued(TITLE, "浙江省人民政府", "2020年3月13日", _body([])),
            "rev.txt": _issued(REVISION, "浙江省人民政府", "2021年6月18日", _body(REVISION_EDITS)),
            "huzhou.txt": _issued("湖州市制造强市建设行动计划", "湖州市人民政府", "2020年5月20日", _body(CITY_EDITS)),
        },
    )
    db = str(tmp / "x.db")
    g = run_cli("graph", str(docs), "--db", db, "--passages", "0", "-q")
    assert g.exit_code == 0, g.output
    r = run_cli("report", str(docs), "--db", db, "--out", str(tmp / "report"), "-q")
    assert r.exit_code == 0, r.output
    return {"db": db, "report": tmp / "report", "graph": g.stdout, "shas": shas}


def test_the_index_words_editions_as_editions(trio):
    index = (trio["report"] / "index.html").read_text(encoding="utf-8")
    rev, final, draft = (_cell(index, p, "common") for p in ("rev-", "final-", "draft-"))
    assert f"revision of {TITLE} " in rev, rev
    assert f"earlier edition of {REVISION}" in final and f"final version of {DRAFT}" in final, final
    assert f"draft of {TITLE} " in draft, draft
    for words in (rev, final, draft):
        assert "reused from" not in words
    assert f"source of {REVISION}" not in final
    # a city's adaptation of the plan is reuse between two documents: said so
    assert f"reused from {TITLE} " in _cell(index, "huzhou-", "common")
    assert "source of 湖州市制造强市建设行动计划" in final
    # the copies column names the family instead of "unique"
    for p in ("rev-", "final-", "draft-"):
        row = _cell(index, p)
        assert "3 editions" in row and "unique" not in row, row
    assert "unique" in _cell(index, "huzhou-")
    # the edges table: kind "edition", not "reuse", for the editions; "reuse" for the city plan
    kinds = {
        _text(m.group(1)).strip(): _text(m.group(2)).strip()
        for m in re.finditer(r'<tr class="reuse[^"]*"><td class="pair">(.*?)</td>\s*<td>(.*?)</td>', index, re.S)
    }
    assert kinds[f"{TITLE} → {REVISION}"] == "edition", kinds
    assert kinds[f"{DRAFT} → {TITLE}"] == "edition", kinds
    assert kinds[f"{TITLE} → 湖州市制造强市建设行动计划"] == "reuse", kinds


def test_the_pair_pages_say_revision_and_final_version(trio):
    pairs = trio["report"] / "pairs"
    (rev,) = pairs.glob("final-*--rev-*.html")
    words = _text(rev.read_text(encoding="utf-8"))
    assert f"editions {TITLE} → {REVISION}" in words, words[:400]
    assert f"{REVISION} is a revision of {TITLE} (editions of one document, not one reusing the other)" in words
    assert "reused text from" not in words and "earlier edition" in words
    (final,) = pairs.glob("draft-*--final-*.html")
    words = _text(final.read_text(encoding="utf-8"))
    assert f"{TITLE} is the final version of the draft {DRAFT}" in words
    (city,) = pairs.glob("final-*--huzhou-*.html")
    assert f"湖州市制造强市建设行动计划 reused text from {TITLE}" in _text(city.read_text(encoding="utf-8"))


def test_the_document_pages_and_the_graph_page(trio):
    docs = trio["report"] / "documents"
    (final,) = docs.glob("final-*.html")
    words = _text(final.read_text(encoding="utf-8"))
    assert f"earlier edition of {REVISION}" in words and f"final version of {DRAFT}" in words
    assert "reused from" not in words and " · 3 editions " in words
    graph = (trio["report"] / "graph.html").read_text(encoding="utf-8")
    assert "editions of one document: the earlier → the later" in graph
    assert re.search(r'<path class="e reuse edition"[^>]*><title>[^<]*is a revision of', graph)


def test_graph_text_words_the_editions(trio, run_cli):
    # the JSON keeps them reuse edges (kind "reuse", revision true): what the text says differs, not the contract
    d = json.loads(run_cli("graph", "--db", trio["db"], "--json", "-q").stdout)
    titles = {n["id"]: n["title"] for n in d["nodes"]}
    pairs = {(titles[e["source"]], titles[e["target"]]): e for e in d["edges"] if e["kind"] == "reuse"}
    assert pairs[(TITLE, REVISION)]["revision"] and pairs[(DRAFT, TITLE)]["revision"]
    assert pairs[(TITLE, REVISION)]["direction"] == "established"
    assert not pairs[(TITLE, "湖州市制造强市建设行动计划")]["revision"]
    assert pairs[(TITLE, REVISION)]["kind"] == "reuse" and pairs[(TITLE, REVISION)]["edition"] == "revision"
    assert pairs[(DRAFT, TITLE)]["edition"] == "final"
    assert pairs[(TITLE, "湖州市制造强市建设行动计划")]["edition"] is None
    blocks = _blocks(trio["graph"])
    (rev,) = [b for b in blocks if f"-> {REVISION}" in b and f"] {TITLE} (" in b]
    assert f"{REVISION[:15]}… is a revision of {TITLE}; in common: " in rev, rev
    assert "reused:" not in rev and "; editions of one document" in rev
    (draft,) = [b for b in blocks if f"] {DRAFT} (" in b.split("\n")[0] and f"-> {TITLE} (" in b]
    assert f"{TITLE} is the final version of the draft {DRAFT[:15]}…" in draft, draft
    (city,) = [b for b in blocks if "-> 湖州市制造强市建设行动计划" in b]
    assert "    reused: " in city and "edition" not in city
    assert "between editions of one document, not reuse" in trio["graph"].split("\n")[0]
    zh = run_cli("graph", "--db", trio["db"], "--passages", "0", "-q", "--lang", "zh").stdout
    assert f"是 {TITLE} 的修订版；共享文本：" in zh


def test_serve_pages_word_editions(trio):
    app = create_app(trio["db"], lang="en")
    try:
        client = app.test_client()
        rev_sha = trio["shas"]["rev.txt"]
        doc = client.get(f"/api/doc/{rev_sha}").get_json()
        hows = {x["other_label"]: x["how"] for x in doc["links"]}
        assert hows[TITLE] == "revision of", hows
        page = _text(client.get(f"/doc/{rev_sha}").get_data(as_text=True))
        assert f"revision of {TITLE}" in page and "reused from" not in page
        link = next(x for x in doc["links"] if x["other_label"] == TITLE)
        pair = client.get(link["pair"]).get_data(as_text=True)
        words = _text(pair)
        assert f"{REVISION} is a revision of {TITLE}" in words and "reused text from" not in words
        assert client.get("/api" + link["pair"]).get_json()["says"] == "revision of"
        city = client.get(f"/api/doc/{trio['shas']['huzhou.txt']}").get_json()
        assert {x["other_label"]: x["how"] for x in city["links"]}[TITLE] == "reused from"
    finally:
        app.config["lineage.state"].store.close()


def test_editions_nothing_orders_are_another_edition_of_each_other(tmp_path, run_cli):
    """Two undated copies of the plan and of a revision of it (no notice, no date, no draft word in either title):
    the graph cannot say which came first, so neither is a "revision of" the other."""
    head = f"{TITLE}\n浙江省人民政府\n"
    shas = _write(tmp_path / "docs", {"a.txt": head + _body([]) + "\n", "b.txt": head + _body(REVISION_EDITS) + "\n"})
    db = str(tmp_path / "x.db")
    g = run_cli("graph", str(tmp_path / "docs"), "--db", db, "--passages", "0", "-q")
    assert g.exit_code == 0, g.output
    edges = json.loads(run_cli("graph", "--db", db, "--json", "-q").stdout)["edges"]
    (edge,) = [e for e in edges if e["kind"] == "reuse"]
    assert edge["revision"] and edge["direction"] == "uncertain" and edge["edition"] == "another"
    (block,) = _blocks(g.stdout)
    assert "  <-> " in block and "are editions of one document; which came first is uncertain" in block
    assert "revision of" not in block and "reused" not in block
    r = run_cli("report", str(tmp_path / "docs"), "--db", db, "--out", str(tmp_path / "report"), "-q")
    assert r.exit_code == 0, r.output
    index = (tmp_path / "report" / "index.html").read_text(encoding="utf-8")
    for p in ("a-", "b-"):
        words = _cell(index, p, "common")
        assert "another edition of" in words and "revision of" not in words and "shares text with" not in words
    (pair,) = (tmp_path / "report" / "pairs").glob("*.html")
    words = _text(pair.read_text(encoding="utf-8"))
    assert "are editions of one document; which came first is uncertain" in words
    assert "revision of" not in words and "earlier edition" not in words
    app = create_app(db, lang="en")
    try:
        client = app.test_client()
        doc = client.get(f"/api/doc/{shas['a.txt']}").get_json()
        (link,) = doc["links"]
        assert link["how"] == "another edition of" and link["uncertain"]
        page = _text(client.get(link["pair"]).get_data(as_text=True))
        assert "are editions of one document; which came first is uncertain" in page and "revision of" not in page
    finally:
        app.config["lineage.state"].store.close()


def test_a_revision_is_not_the_final_version_of_a_draft_of_the_edition_it_revises(tmp_path, run_cli):
    """Only the 2020 draft and the 2021 revision in the corpus: the draft came first (its title says draft), but
    the revision's title says it revises an edition, not that it is what the draft became."""
    _write(
        tmp_path / "docs",
        {"draft.txt": _draft(), "rev.txt": _issued(REVISION, "浙江省人民政府", "2021年6月18日", _body(REVISION_EDITS))},
    )
    db = str(tmp_path / "x.db")
    g = run_cli("graph", str(tmp_path / "docs"), "--db", db, "--passages", "0", "-q")
    assert g.exit_code == 0, g.output
    (block,) = _blocks(g.stdout)
    assert f"{REVISION[:15]}… is a later edition of {DRAFT[:15]}…; in common: " in block, block
    assert "final version" not in block and "edition: " in block  # the draft evidence is there all the same
    r = run_cli("report", str(tmp_path / "docs"), "--db", db, "--out", str(tmp_path / "report"), "-q")
    assert r.exit_code == 0, r.output
    index = (tmp_path / "report" / "index.html").read_text(encoding="utf-8")
    assert f"later edition of {DRAFT}" in _cell(index, "rev-", "common")
    assert f"earlier edition of {REVISION}" in _cell(index, "draft-", "common")


def test_an_edition_role_does_not_change_with_the_threshold_that_shows_it():
    """Three editions where the middle one's edges are weak (it was abridged): `lineage graph --min-share 0.5`
    hides them, and the first-to-third edge it still lists is a later edition, as serve and the report (which
    read every edge) say, not a revision of the first."""
    from lineage.cli.graph_cmd import with_editions
    from lineage.graph.editions import Editions
    from lineage.graph.pipeline import Graph

    def edge(s: str, t: str, strength: float) -> dict:
        passage = {"formulaic": False, "unit": "paragraph", "chars": 200}
        return {"kind": "reuse", "source": s, "target": t, "revision": True, "direction": "established",
                "strength": strength, "cited": False, "passages": [passage], "retrieval": {"background": False},
                "sequential_share": strength}  # fmt: skip

    nodes = [{"id": n, "title": TITLE} for n in "abc"]
    graph = Graph(nodes, [edge("a", "b", 0.3), edge("b", "c", 0.3), edge("a", "c", 0.9)])
    shown = graph.filtered(0.5, 0.0)
    assert [(e["source"], e["target"]) for e in shown.edges] == [("a", "c")]
    (ac,) = with_editions(shown.to_dict(), Editions(graph.edges, graph.nodes))["edges"]
    assert ac["edition"] == "later" == Editions(graph.edges, graph.nodes).role(graph.edges[2])
    # an edge no threshold shows (a stock fragment, no whole passage) puts nothing between two editions
    stock = [{**e, "passages": [{"formulaic": False, "unit": "clause", "chars": 12}]} for e in graph.edges[:2]]
    assert Editions([*stock, graph.edges[2]], nodes).role(graph.edges[2]) == "revision"
