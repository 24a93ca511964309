"""The report says what the evidence shows: direction wording, one figure per edge, copies, titles (issue 10).

Two real reports, built by the CLI: one of ``corpus/`` and one of a generated
lineage corpus (``bench/generate.py lineage --docs 60``) with two documents
added to it: a plan rewritten for another province with every date and year
taken out (an edge nobody can orient: no date, same level, localized
sideways) and a copy of a plan without its title line.  Every generated
page is read; the graph's JSON (``lineage graph --json`` on the same
database, the cached graph the report used) says what each page must say.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.generate import generate  # noqa: E402
from lineage.graph.edges import share_text  # noqa: E402
from lineage.graph.nodes import disambiguate  # noqa: E402

# words that say one document took text from the other: never about an edge of uncertain direction
REUSE_WORDS = re.compile(r"reused from|\breuses\b|reused by|\breused\b|source of|reuse share|\bcopied\b")
# a statement is the smallest block that holds a claim: a row, an item, a paragraph, a heading, an index entry
STATEMENT = re.compile(r'(?=<(?:tr|li|p|h1|h2|h3|title|dt|dd|summary)[ >])|(?=<div class="reuse")')


@dataclass
class Site:
    out: str
    db: str
    pages: dict[str, str]  # relative path -> html
    graph: dict
    cli: str  # `lineage graph` human output

    @property
    def nodes(self) -> dict[str, dict]:
        return {n["id"]: n for n in self.graph["nodes"]}

    def reuse(self) -> list[dict]:
        return [e for e in self.graph["edges"] if e["kind"] == "reuse"]

    def keys(self, node_id: str) -> list[str]:
        """Page keys (documents/<key>.html) of every copy of a version."""
        out = []
        for p in self.nodes[node_id]["paths"]:
            sha = hashlib.sha256(open(p, "rb").read()).hexdigest()
            (page,) = [k for k in self.pages if k.startswith("documents/") and f"-{sha[:10]}" in k]
            out.append(page[len("documents/") : -len(".html")])
        return out

    def pair_page(self, e: dict) -> str:
        ka, kb = self.keys(e["source"]), self.keys(e["target"])
        (page,) = [
            p
            for p in self.pages
            if p.startswith("pairs/")
            and any(p in (f"pairs/{a}--{b}.html", f"pairs/{b}--{a}.html") for a in ka for b in kb)
        ]
        return page


def _site(run_cli, inputs: list[str], tmp: Path) -> Site:
    out, db = str(tmp / "site"), str(tmp / "lineage.db")
    r = run_cli("report", *inputs, "--out", out, "--db", db, "-q", "-j", "2")
    assert r.exit_code == 0, r.output
    pages = {}
    for d, _, fs in os.walk(out):
        for f in fs:
            if f.endswith(".html"):
                p = os.path.join(d, f)
                pages[os.path.relpath(p, out).replace(os.sep, "/")] = open(p, encoding="utf-8").read()
    g = run_cli("graph", "--db", db, "--json", "-q")
    assert g.exit_code == 0
    graph = json.loads(g.stdout)
    assert graph["stats"]["cached"]  # the graph the report drew, not a new one
    return Site(out, db, pages, graph, run_cli("graph", "--db", db, "--top", "1000").stdout)


@pytest.fixture(scope="module")
def corpus_site(corpus_paths, tmp_path_factory, run_cli):
    return _site(run_cli, [os.path.dirname(corpus_paths["000"])], tmp_path_factory.mktemp("truth-corpus"))


JS_PLAN = "关于加快推进新型工业化的实施意见"  # a title the generated corpus gives several documents


@pytest.fixture(scope="module")
def generated_site(tmp_path_factory, run_cli):
    tmp = tmp_path_factory.mktemp("truth-generated")
    gold = generate("lineage", tmp / "gen", seed=0, jobs=1, docs=60)
    plan = next(n for n in gold["nodes"] if n["title"] == JS_PLAN and n["jurisdiction"] == "江苏省")
    text = (tmp / "gen" / plan["file"]).read_text(encoding="utf-8")
    start, end = plan["title_span"]
    # the same plan for 福建省, without its notice and with no year anywhere: nothing tells which came first
    fujian = re.sub(r"(19|20)\d\d(年|—|-)?", "", text[start:].replace("江苏省", "福建省").replace("江苏", "福建"))
    (tmp / "gen" / "docs" / "fujian_undated.txt").write_text(fujian, encoding="utf-8")
    # a copy of the Jiangsu plan that starts after its title line
    (tmp / "gen" / "docs" / "copy_without_title.txt").write_text(text[end:].lstrip("\n"), encoding="utf-8")
    return _site(run_cli, [str(tmp / "gen" / "docs")], tmp)


@pytest.fixture(params=["corpus", "generated"])
def site(request) -> Site:
    return request.getfixturevalue(f"{request.param}_site")


def label(n: dict) -> str:
    """What the pages call a version: the graph's label (title, qualified where ambiguous)."""
    return n.get("label") or n.get("title") or os.path.basename(n["paths"][0])


def statements(page: str) -> list[str]:
    return STATEMENT.split(page)


def text(chunk: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", chunk)).split())


def names(chunk: str, label: str) -> bool:
    """Whether ``label`` is the whole text of an element in ``chunk`` (a link or a label span, not a substring)."""
    return f">{html.escape(label, quote=False)}<" in chunk


# -- direction: an uncertain edge is "shares text with", everywhere ----------------------------------


def test_uncertain_edges_are_never_described_as_reuse(site):
    uncertain = [e for e in site.reuse() if e["direction"] != "established"]
    assert uncertain  # both reports have one: 004 and the 2020 plan; the Jiangsu plan and its undated Fujian twin
    for e in uncertain:
        a, b = site.nodes[e["source"]], site.nodes[e["target"]]
        la, lb = label(a), label(b)
        own = {
            x["id"]: [f"{d}/{k}.html" for k in site.keys(x["id"]) for d in ("documents", "provenance")] for x in (a, b)
        }
        rows = {x["id"]: [f'<tr id="d-{k}">' for k in site.keys(x["id"])] for x in (a, b)}
        checked = 0
        for path, page in site.pages.items():
            for chunk in statements(page):
                t = text(chunk)
                both = names(chunk, la) and names(chunk, lb)
                # on a page (or index row) of one side, what it says about the other
                mine = any(
                    (path in own[x["id"]] or any(chunk.startswith(r) for r in rows[x["id"]]))
                    and names(chunk, label(other))
                    for x, other in ((a, b), (b, a))
                )
                if both or mine:
                    checked += 1
                    assert not REUSE_WORDS.search(t), (path, t)
                    assert f"{la} → {lb}" not in t and f"{lb} → {la}" not in t, (path, t)
        assert checked >= 6, (la, lb, checked)  # index, graph, document, pair pages at least
        # the pair page: shared text, no roles, no arrow
        pair = site.pages[site.pair_page(e)]
        title, h1 = (text(re.search(rf"<{t}>(.*?)</{t}>", pair, re.S).group(1)) for t in ("title", "h1"))
        assert "↔" in title and "→" not in title and "→" not in h1 and "shared text" in h1
        assert "shares text with" in text(pair) and "reuse share" not in pair
        assert '<div class="s">source</div>' not in pair and '<div class="t">target</div>' not in pair
        # the graph draws no arrowhead: hollow dots at both ends, its own dashed style (in the legend)
        href = site.pair_page(e)
        drawn = re.findall(rf'<a href="{re.escape(href)}" class="ea"><path ([^>]*)>', site.pages["graph.html"])
        assert drawn, href
        for attrs in drawn:
            assert 'class="e reuse unc"' in attrs and "url(#ar)" not in attrs and 'marker-end="url(#au)"' in attrs
        # the CLI says the same
        (block,) = [blk for blk in site.cli.split("\n\n") if f"({e['source']};" in blk and f"({e['target']};" in blk]
        assert "  <-> " in block and "shares text:" in block
        for word in (" -> ", "reused", "source:", "target:"):
            assert word not in block, (word, block)
    legend = text(site.pages["graph.html"].split('<div class="legend">')[1].split("</div>")[0])
    assert "shares text, direction uncertain: no arrowhead" in legend


def test_no_table_calls_an_uncertain_side_source_or_target(site):
    # the index's edge table and the graph's edge table list both kinds of edges: no column names roles
    for path in ("index.html", "graph.html"):
        heads = [text(h) for h in re.findall(r"<th[^>]*>(.*?)</th>", site.pages[path], re.S)]
        assert not {"source", "target", "reused from", "share of target", "share of source"} & set(heads), heads


def test_established_edges_keep_their_arrow(corpus_site):
    site = corpus_site
    established = [e for e in site.reuse() if e["direction"] == "established"]
    assert len(established) == 1  # 002 -> 004 (002 and the 2020 plan: the dates against the level, uncertain)
    for e in established:
        href = site.pair_page(e)
        (attrs,) = re.findall(rf'<a href="{re.escape(href)}" class="ea"><path ([^>]*)>', site.pages["graph.html"])
        assert 'marker-end="url(#ar)"' in attrs and "unc" not in attrs
        h1 = text(re.search(r"<h1>(.*?)</h1>", site.pages[href], re.S).group(1))
        assert h1 == f"pair {label(site.nodes[e['source']])} → {label(site.nodes[e['target']])}"


# -- one number per thing ------------------------------------------------------------------------------

SHARE = re.compile(r'<span class="es" data-edge="([^"]+)" data-of="(target|source)">([^<]*)</span>')


def test_an_edge_shows_one_share_on_every_page(site):
    printed: dict[tuple[str, str], dict[str, set[str]]] = {}
    for path, page in site.pages.items():
        kind = path.split("/")[0] if "/" in path else path
        for key, side, value in SHARE.findall(page):
            printed.setdefault((key, side), {}).setdefault(value, set()).add(kind)
    full = 0
    for e in site.reuse():
        key = f"{e['source']}--{e['target']}"
        want = {"target": share_text(e["share_of_target"]), "source": share_text(e["share_of_source"])}
        for side in ("target", "source"):
            assert set(printed.get((key, side), {})) <= {want[side]}, (key, side, printed.get((key, side)))
        kinds = printed[(key, "target")][want["target"]]
        assert {"index.html", "graph.html", "pairs"} <= kinds, (key, kinds)
        targets = [f"provenance/{k}.html" for k in site.keys(e["target"])]
        if any(p in site.pages for p in targets):
            assert "provenance" in kinds, (key, kinds)
            full += 1
        if e["direction"] != "established":  # both shares wherever the edge is named
            assert {"index.html", "graph.html", "pairs"} <= printed[(key, "source")][want["source"]]
    assert full >= 2


def test_pages_do_not_print_another_figure_under_the_same_name(site):
    for path, page in site.pages.items():
        if path.startswith(("pairs/", "provenance/")):
            assert "reuse share" not in page, path  # the alignment's or the trace's own figure, unnamed
        if path.startswith("provenance/"):
            t = text(page)
            assert "edge share (graph)" in t and "found here (trace)" in t and "need not agree" in t


def test_common_source_and_formulaic_passages_are_tagged_on_pair_and_provenance_pages(corpus_site):
    site = corpus_site
    four_base = "核心基础零部件(元器件)、先进基础工艺、关键基础材料和产业技术基础"
    (e,) = [e for e in site.reuse() if e["common_sources"]]
    pair = site.pages[site.pair_page(e)]
    rows = [r for r in re.split(r'(?=<div id="r\d+" class="r )', pair) if four_base in html.unescape(r)]
    assert rows and all('<span class="bd tag common"' in r and "common source: 中国制造2025" in r for r in rows)
    assert '<dl class="taglegend">' in pair and "both quote" in pair
    assert re.search(r'<button [^>]*data-filter="common"[^>]*>common source <b>\d+</b>', pair)
    (prov_key,) = site.keys(e["target"])[:1]
    prov = site.pages[f"provenance/{prov_key}.html"]
    entries = [x for x in re.split(r'(?=<li id="m\d+")', prov) if four_base in html.unescape(x)]
    assert entries and all("bd tag common" in x for x in entries)
    marks = re.findall(r'<a class="m [^"]*" href="#(m\d+)"', prov)
    tagged = set(re.findall(r'<a class="m [^"]* common" href="#(m\d+)"', prov))
    assert tagged and tagged <= set(marks)
    # what the graph counts as formulaic is marked so too, never plain reuse
    for path, page in site.pages.items():
        if path.startswith("pairs/"):
            for r in re.findall(r'<div id="r\d+" class="r [^"]*">', page):
                assert not ("formulaic" in r and " tag " in r)


# -- a duplicate copy is a copy ------------------------------------------------------------------------


def test_the_copy_pair_page_says_copy_of(corpus_site, corpus_paths, run_cli):
    site = corpus_site
    (node,) = [n for n in site.graph["nodes"] if n.get("copies") == 2]
    k000, k003 = site.keys(node["id"])
    page = site.pages[f"pairs/{k000}--{k003}.html"]
    dedup = json.loads(run_cli("dedup", os.path.dirname(corpus_paths["000"]), "--db", site.db, "--json", "-q").stdout)
    (cluster,) = [c for c in dedup["clusters"] if len(c["members"]) == 2]
    detail = cluster["details"][os.path.abspath(corpus_paths["003"])]
    h1 = text(re.search(r"<h1>(.*?)</h1>", page, re.S).group(1))
    assert h1 == "duplicate copy 003_cba8423d898ca683.txt is a copy of 000_aca499adb39197ba.txt 制造强省建设行动计划"
    t = text(page)
    assert f"this copy is {detail['relation']} ; what differs: {detail['differences']}" in t
    assert cluster["id"] in t and "canonical copy" in t
    assert "reuse share" not in page and "99.6%" not in page and "reused" not in t
    index = text(site.pages["index.html"])
    assert "003_cba8423d898ca683.txt is a copy of 000_aca499adb39197ba.txt (制造强省建设行动计划)" in index
    assert "copy of 制造强省建设行动计划 000_aca499adb39197ba.txt" in text(site.pages[f"documents/{k003}.html"])


# -- titles: a copy takes its version's title; ambiguous labels get place and year -----------------


def test_a_copy_without_a_title_line_takes_its_versions_title(corpus_site):
    site = corpus_site
    (node,) = [n for n in site.graph["nodes"] if n.get("copies") == 2]
    assert node["label"] == node["title"] == "制造强省建设行动计划"
    k003 = site.keys(node["id"])[1]
    assert re.search(
        rf'<tr id="d-{k003}">\s*<td class="doc"><a href="documents/{k003}.html" lang="zh">'
        r"制造强省建设行动计划</a>",
        site.pages["index.html"],
    )
    doc = site.pages[f"documents/{k003}.html"]
    assert "<title>制造强省建设行动计划 · lineage</title>" in doc and '<h1 lang="zh">制造强省建设行动计划</h1>' in doc
    assert "制造强省建设行动计划 (its version's: this copy has no title line)" in text(doc)
    for path, page in site.pages.items():  # its file name is a path, never the name of the document
        assert 'lang="zh">003_cba8423d898ca683.txt<' not in page, path


def test_labels_tell_different_documents_apart(generated_site):
    site = generated_site
    versions = [n for n in site.graph["nodes"] if not n["external"]]
    labels = [n["label"] for n in versions]
    assert len(set(labels)) == len(labels)  # two versions never read the same
    same_title = [n for n in versions if n["title"] == JS_PLAN]
    assert len(same_title) >= 3
    for n in same_title:
        place, year = n["jurisdiction"]["name"], (n["date"] or "undated")[:4] if n["date"] else "undated"
        assert n["label"] == f"{place} · {year} · {JS_PLAN}", n["label"]
    index = site.pages["index.html"]
    for n in versions:
        for k in site.keys(n["id"]):  # every copy's row, the titleless copy too, carries its version's label
            assert re.search(
                rf'<tr id="d-{k}">\s*<td class="doc"><a href="documents/{k}.html" lang="zh">'
                rf"{re.escape(html.escape(n['label'], quote=False))}</a>",
                index,
            ), (k, n["label"])
            assert f'<h1 lang="zh">{html.escape(n["label"], quote=False)}</h1>' in site.pages[f"documents/{k}.html"]
    (jiangsu,) = [n for n in same_title if n["jurisdiction"]["name"] == "江苏省" and n["copies"] == 2]
    assert any(p.endswith("copy_without_title.txt") for p in jiangsu["paths"])
    assert html.escape(jiangsu["label"], quote=False) in site.pages["dedup.html"]
    # the drawing's short labels too: no two nodes read the same
    drawn = re.findall(r'<text class="nl"[^>]*>([^<]*)</text>', site.pages["graph.html"])
    assert len(drawn) == len(site.graph["nodes"]) and len(set(drawn)) == len(drawn)
    assert any(x.startswith("江苏省·2018·关于加快推") for x in drawn)


def test_disambiguate_adds_place_and_year_then_the_date_then_the_id():
    long = "关于进一步优化营商环境加快建设国际一流城市的"
    items = [
        ("a", long + "实施意见", {"name": "南京市"}, "2019-03-01"),
        ("b", long + "实施意见", {"name": "苏州市"}, "2019-05-01"),
        ("c", long + "若干措施", {"name": "南京市"}, "2019-03-01"),  # the same 16 first characters as a and b
        ("d", "独一无二的标题", None, None),
        ("e", "同名", {"name": "南京市"}, "2019-03-01"),
        ("f", "同名", {"name": "南京市"}, "2019-04-01"),
        ("g", "重名", None, None),
        ("h", "重名", None, None),
    ]
    out = disambiguate(items)
    assert out["b"] == (f"苏州市 · 2019 · {long}实施意见", "苏州市 · 2019 · 关于进一步优化营商环境加快建设…")
    # a and c: same place, same year, same date: the version id tells them apart
    assert out["a"][0] == f"南京市 · 2019-03-01 · a · {long}实施意见"
    assert out["c"][0] == f"南京市 · 2019-03-01 · c · {long}若干措施"
    assert out["d"] == ("独一无二的标题", "独一无二的标题")  # not ambiguous: left alone
    assert out["e"][0] == "南京市 · 2019-03-01 · 同名" and out["f"][0] == "南京市 · 2019-04-01 · 同名"
    assert out["g"][0] == "place unknown · undated · g · 重名"


def test_the_provenance_page_names_the_other_holders_and_flags_later_sources(corpus_paths, tmp_path, run_cli):
    """What `trace --json` says (also_in, later_than_target) the page says too: the other documents holding a
    passage are named under it, and a source dated after the target is flagged, never shown as plain."""
    db, out = str(tmp_path / "db"), tmp_path / "t.html"
    assert run_cli("ingest", *corpus_paths.values(), "--db", db, "-q").exit_code == 0
    r = run_cli("trace", corpus_paths["002"], "--db", db, "--json", "--html", str(out), "-q")
    assert r.exit_code == 0, r.stderr
    d = json.loads(r.stdout)
    page = out.read_text(encoding="utf-8")
    later = [s for s in d["sources"] if s.get("later_than_target")]
    assert later and page.count("dated after this document") == len(later)
    held = [m for m in d["matches"] if m.get("also_in")]
    assert held and page.count("also in:") == len(held)
    for m in held:
        for a in m["also_in"]:
            name = next((s.get("title") for s in d["sources"] if s["path"] == a["source"]), None)
            assert html.escape(name or os.path.basename(a["source"])) in page


def _pct(chars: int, total: int) -> str:
    """A share printed from its exact ratio, rounded once to 0.1% (under 0.05%: "<0.1%", not "0.0%")."""
    x = 100 * chars / total
    return "<0.1%" if 0 < x < 0.05 else f"{round(x, 1):.1f}%"


def test_every_printed_share_is_its_exact_ratio_rounded_once(site, corpus_paths, run_cli):
    """A share was stored to four decimals and printed to 0.1% from that: 64 of 18,454 characters (0.347%)
    stored 0.0035 and printed "0.4%" (the graph's share of 002 in the 002-000 edge, on the index, the graph,
    pair, document and provenance pages, and the trace's by_source share of 000 in `trace 002`)."""
    printed: dict[tuple[str, str], set[str]] = {}
    for page in site.pages.values():
        for key, side, value in SHARE.findall(page):
            printed.setdefault((key, side), set()).add(value)
    for e in site.reuse():
        counted = [p for p in e["passages"] if p["counted"]]
        want = {
            "target": _pct(sum(p["chars"] for p in counted), site.nodes[e["target"]]["chars"]),
            "source": _pct(sum(p["source_chars"] for p in counted), site.nodes[e["source"]]["chars"]),
        }
        key = f"{e['source']}--{e['target']}"
        for side in ("target", "source"):
            assert share_text(e[f"share_of_{side}"]) == want[side], (key, side, e[f"share_of_{side}"])
            assert printed.get((key, side), set()) <= {want[side]}, (key, side)
    if site.graph["nodes"][0]["paths"][0].startswith(os.path.dirname(corpus_paths["000"])):
        # the trace's figures: JSON, the CLI's lines and the provenance page print the same
        r = run_cli("trace", corpus_paths["002"], "--db", site.db, "--json", "-q")
        d = json.loads(r.stdout)
        total = d["summary"]["target_chars"]
        human = run_cli("trace", corpus_paths["002"], "--db", site.db, "--top", "0", "-q").stdout
        (prov,) = [p for k, p in site.pages.items() if k.startswith("provenance/002-")]
        for path, b in d["summary"]["by_source"].items():
            want = _pct(b["chars"], total)
            assert share_text(b["share"]) == want, (path, b)
            assert re.search(rf"  {re.escape(path)}  .*  {re.escape(want)} of the target, ", human), (path, want)
        # the page lists the documents the graph gives as 002's sources or sharing text with it (000)
        rows = re.findall(r"([\d,]+) characters? (\S+) of this text", text(prov))
        assert ("64", "0.3%") in rows
        assert all(share == _pct(int(n.replace(",", "")), total) for n, share in rows), rows
        assert _pct(64, 18454) == "0.3%" and "0.3% of 中国制造2025绍兴实施方案" in text(site.pages["index.html"])
