"""Scraped reprints of one plan do not make its text formulaic.

Formulaic by frequency counted documents: eight ordinary scraped copies of the 2020 Zhejiang plan (half-width
punctuation, a site's breadcrumb and footer, hard wraps, GB18030, a BOM, CRLF...) put each of its sentences
in 8 documents of a 13-document corpus, so every sentence was "formulaic": the 004 <-> plan edge was gone,
002's share of the plan fell from 0.8% to 0.3%, and `align` of the plan and its own revision read 15.5%
reused where it reads 98.5% in a database without the copies.  Copies and revisions of one document (a dedup
family) now count once, in the frequencies and in the corpus's size.
"""

from __future__ import annotations

import json
import os

import pytest
from dedup_fixtures import write_reprints


@pytest.fixture(scope="module")
def crowded(tmp_path_factory, corpus_paths):
    """The corpus and eight reprints (and one revision) of its 2020 plan, in one database; and the corpus alone."""
    root = tmp_path_factory.mktemp("reprints")
    with open(corpus_paths["003"], encoding="utf-8") as f:
        files = write_reprints(f.read(), str(root / "scraped"))
    return root, files


def _graph(run_cli, db: str, *paths: str) -> dict:
    r = run_cli("graph", *paths, "--db", db, "--json", "-q")
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


def _edges(g: dict) -> dict[tuple[str, str], dict]:
    title = {n["id"]: os.path.basename(n["paths"][0])[:3] for n in g["nodes"] if n["paths"]}
    return {tuple(sorted((title[e["source"]], title[e["target"]]))): e for e in g["edges"] if e["kind"] == "reuse"}


def test_reprints_leave_the_graph_as_it_is(crowded, corpus_paths, run_cli):
    root, scraped = crowded
    corpus = os.path.dirname(corpus_paths["000"])
    alone = _edges(_graph(run_cli, str(root / "alone.db"), corpus))
    g = _graph(run_cli, str(root / "crowded.db"), corpus, os.path.dirname(scraped[0]))
    plan = next(n for n in g["nodes"] if any(os.path.basename(p).startswith("000") for p in n["paths"]))
    assert plan["copies"] >= 9  # dedup put the eight reprints with 000 and 003 (the revision is its own version)
    crowded_edges = _edges(g)
    assert set(crowded_edges) >= set(alone)
    for pair, e in alone.items():
        got = crowded_edges[pair]
        assert got["chars"] == e["chars"], pair
        assert (got["share_of_target"], got["share_of_source"]) == (e["share_of_target"], e["share_of_source"])


def test_align_of_a_plan_and_its_revision_does_not_depend_on_the_reprints(crowded, corpus_paths, run_cli):
    root, scraped = crowded
    revision = scraped[-1]
    # only ingested: no dedup, graph, report or trace has run (align indexes the corpus and clusters its copies)
    db = str(root / "ingested.db")
    assert (
        run_cli("ingest", os.path.dirname(corpus_paths["000"]), os.path.dirname(revision), "--db", db, "-q").exit_code
        == 0
    )

    def reused(db: str) -> float:
        r = run_cli("align", corpus_paths["000"], revision, "--db", db, "--json", "-q")
        assert r.exit_code == 0, r.stderr
        return json.loads(r.stdout)["summary"]["reuse_share"]

    assert reused(db) == reused(str(root / "fresh.db")) > 0.95
    _graph(run_cli, db)
    assert reused(db) == reused(str(root / "fresh.db"))


def test_align_decides_formulaic_text_as_trace_does_whatever_ran_before(tmp_path, run_cli):
    """A sentence in all 9 unrelated documents of a database is formulaic by frequency (trace, graph, report); align of two
    of them read it as reuse when no trace, graph or report had built the corpus's index yet."""
    import sys

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from trace_fixtures import OTHER_SENTENCES, PASSAGE_SENTENCES, notice

    stock = "坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻落实党中央国务院决策部署，推动经济高质量发展。"
    places = ["杭州市", "宁波市", "温州市", "嘉兴市", "湖州市", "绍兴市", "金华市", "衢州市", "舟山市"]
    docs = tmp_path / "docs"
    docs.mkdir()
    paths = [
        notice(
            docs / f"{i}.txt", f"{p}人民政府", f"2020年{i + 1}月1日", [stock, PASSAGE_SENTENCES[i], OTHER_SENTENCES[i]]
        )
        for i, p in enumerate(places)
    ]
    db = str(tmp_path / "d.db")
    assert run_cli("ingest", str(docs), "--db", db, "-q").exit_code == 0  # nothing else has run

    def stock_match(d: str) -> dict:
        r = run_cli("align", paths[0], paths[1], "--db", d, "--json", "-q")
        assert r.exit_code == 0, r.stderr
        text = open(paths[1], encoding="utf-8").read()
        return next(m for m in json.loads(r.stdout)["matches"] if text[slice(*m["target_span"])] == stock)

    first = stock_match(db)
    assert first["formulaic"] is True
    assert run_cli("trace", paths[2], "--db", db, "-q").exit_code == 0
    assert stock_match(db) == first
