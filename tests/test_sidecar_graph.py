"""Given metadata in the graph and the report: bodies-only corpora with a sidecar, editions, cache keys."""

from __future__ import annotations

import json
import os

import pytest
from sidecar_fixtures import GUIDE, editions

from bench.bench_direction import bodies_from_generated, build, score
from lineage.graph.pipeline import build_graph
from lineage.ingest.pipeline import ingest_paths
from lineage.ingest.sidecar import read_sidecar, register
from lineage.store import Store


def graph_of(run_cli, docs, db, *extra):
    r = run_cli("graph", str(docs), "--db", db, "--json", "--quiet", *extra)
    assert r.exit_code == 0, r.stderr
    g = json.loads(r.stdout)
    by_file = {os.path.basename(p): n for n in g["nodes"] for p in n["paths"]}
    return g, by_file


def test_a_2018_citation_by_title_is_not_resolved_to_the_2021_edition(run_cli, tmp_path):
    docs, meta = editions(str(tmp_path), with_2015=False)
    g, node = graph_of(run_cli, docs, str(tmp_path / "db"), "--meta", meta)
    plan, g2021 = node["plan2018.txt"], node["guide2021.txt"]
    assert (plan["date"], plan["date_kind"], g2021["date"], g2021["title"]) == (
        "2018-06-20",
        "given",
        "2021-11-17",
        GUIDE,
    )
    (cite,) = [e for e in g["edges"] if e["kind"] == "citation"]
    assert cite["target"] == plan["id"] and cite["source"] != g2021["id"]
    (ext,) = [n for n in g["nodes"] if n["id"] == cite["source"]]
    assert ext["external"] and ext["title"] == GUIDE and ext["later"] == [g2021["id"]] and ext["candidates"] == []
    assert cite["citations"][0]["later"] == [g2021["id"]]
    # the reuse edge between them never makes the 2021 edition the 2018 plan's source
    (reuse,) = [e for e in g["edges"] if e["kind"] == "reuse"]
    assert not (reuse["direction"] == "established" and reuse["source"] == g2021["id"])
    assert not any(x["kind"] == "citation" and x["favours"] for x in reuse["direction_evidence"])


def test_with_the_2015_edition_present_the_citation_resolves_to_it(run_cli, tmp_path):
    docs, meta = editions(str(tmp_path))
    g, node = graph_of(run_cli, docs, str(tmp_path / "db"), "--meta", meta)
    plan, g2015, g2021 = node["plan2018.txt"], node["guide2015.txt"], node["guide2021.txt"]
    (cite,) = [e for e in g["edges"] if e["kind"] == "citation"]
    assert (cite["source"], cite["target"]) == (g2015["id"], plan["id"])
    (ref,) = cite["citations"]
    assert (ref["resolution"], ref["confidence"], ref["later"]) == ("title", 0.9, [g2021["id"]])
    assert cite["confidence"] == 0.9  # never more than the dates allow
    reuse = {(e["source"], e["target"]): e for e in g["edges"] if e["kind"] == "reuse"}
    e = reuse[(g2015["id"], plan["id"])]
    assert e["direction"] == "established" and e["cited"]
    assert not [
        e
        for e in reuse.values()
        if e["direction"] == "established" and node_date(g, e["source"]) > node_date(g, e["target"])
    ]


def node_date(g, nid):
    return next(n["date"] for n in g["nodes"] if n["id"] == nid)


def test_a_title_citation_the_dates_cannot_confirm_leaves_the_reuse_edge_uncertain(run_cli, tmp_path):
    docs, _ = editions(str(tmp_path), with_2015=False)
    titles = tmp_path / "titles.csv"  # titles, no dates: nothing tells which came first
    titles.write_text(
        f"文件名,标题\nguide2021.txt,{GUIDE}\nplan2018.txt,绍兴市智能制造标准化工作方案\n", encoding="utf-8"
    )
    g, node = graph_of(run_cli, docs, str(tmp_path / "db"), "--meta", str(titles))
    plan, guide = node["plan2018.txt"], node["guide2021.txt"]
    assert plan["date_kind"] != "given" and guide["date_kind"] != "given"
    (cite,) = [e for e in g["edges"] if e["kind"] == "citation"]
    assert (cite["source"], cite["target"]) == (guide["id"], plan["id"]) and cite["confidence"] == 0.4
    (reuse,) = [e for e in g["edges"] if e["kind"] == "reuse"]
    assert reuse["direction"] == "uncertain" and reuse["confidence"] <= 0.4
    (c,) = [x for x in reuse["direction_evidence"] if x["kind"] == "citation"]
    assert c["favours"] is None and "not evidence" in c["detail"]


def test_a_changed_sidecar_changes_the_cached_graph(tmp_path):
    docs, meta = editions(str(tmp_path))
    with Store(str(tmp_path / "db")) as s:
        ingest_paths([docs], s, jobs=1)
        register(s, read_sidecar(meta))
        g1 = build_graph(s, jobs=1)
        assert build_graph(s, jobs=1).stats["cached"]
        with open(meta, "a", encoding="utf-8-sig") as f:
            f.write("plan2018.txt,绍兴市智能制造标准化工作方案,2022-01-05,绍兴市经济和信息化委员会\n")
        sc = read_sidecar(meta)
        assert any("plan2018.txt is also on line 4" in w for w in sc.warnings)  # the first row is kept
        meta2 = tmp_path / "later.csv"
        meta2.write_text("path,date\nplan2018.txt,2022-01-05\n", encoding="utf-8")
        register(s, read_sidecar(str(meta2)))  # a later sidecar: its date wins
        g2 = build_graph(s, jobs=1)
    assert not g2.stats["cached"]
    date = {n["title"]: n["date"] for n in g2.nodes if not n["external"]}
    assert date["绍兴市智能制造标准化工作方案"] == "2022-01-05"
    plan_id = next(n["id"] for n in g2.nodes if n["title"] == "绍兴市智能制造标准化工作方案")
    cites = {e["source"] for e in g2.edges if e["kind"] == "citation" and e["target"] == plan_id}
    newest = next(n["id"] for n in g2.nodes if n["date"] == "2021-11-17")
    assert cites == {newest}  # the plan is now later than both editions: it cites the latest
    assert g1.to_dict() != g2.to_dict()


def test_sidecar_values_on_the_report_pages(run_cli, tmp_path):
    docs, meta = editions(str(tmp_path))
    out = tmp_path / "site"
    r = run_cli("report", docs, "--db", str(tmp_path / "db"), "--out", str(out), "--meta", meta, "--quiet")
    assert r.exit_code == 0, r.stderr
    pages = {p: (out / "documents" / p).read_text(encoding="utf-8") for p in os.listdir(out / "documents")}
    plan = next(t for p, t in pages.items() if p.startswith("plan2018"))
    assert "2018-06-20 (given)" in plan and "绍兴市智能制造标准化工作方案 (given)" in plan
    assert "绍兴市经济和信息化委员会 (given)" in plan and "meta.csv:4" in plan
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "2018-06-20" in index and ">given<" in index


@pytest.mark.slow
def test_bodies_only_generated_corpus_with_and_without_the_sidecar(tmp_path):
    """Direction on generated chains cut to their bodies: the sidecar dates every edge, never against its dates."""
    from bench.generate import generate

    src = tmp_path / "gen"
    gold = generate("lineage", src, seed=3, docs=30, jobs=1)
    bodies, meta, files = bodies_from_generated(gold, src, tmp_path)
    node_of = {os.path.realpath(p): nid for nid, p in files.items()}
    bare, _ = build([bodies], str(tmp_path / "a.db"), 1)
    given, info = build([bodies], str(tmp_path / "b.db"), 1, meta)
    without, with_ = score(bare, gold, node_of), score(given, gold, node_of)
    assert info["sidecar"]["documents"] == len(gold["nodes"]) and info["sidecar"]["warnings"] == []
    assert without["date_kinds"]["given"] == 0 and with_["date_kinds"]["given"] == len(gold["nodes"])
    assert without["uncertain_no_date"] > 0  # bodies alone leave edges undated
    assert with_["uncertain_no_date_pct"] < 10 and with_["established_against_dates"] == 0
    assert with_["direction"]["wrong"] == 0 and with_["direction"]["right"] >= without["direction"]["right"]
