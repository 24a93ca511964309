"""Search and diffusion on a generated corpus (bench/generate.py lineage) with variants planted by the bench.

The generator and the bench's planting (bench/bench_search.py, built on
bench/textops.py) never import lineage: which files hold which variant, and
where, is their gold.  bench_search.py measures 100 to 5,000 documents;
here one small corpus keeps the behaviour honest in the suite.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import textops  # noqa: E402
from bench.bench_search import plant  # noqa: E402
from bench.generate import generate  # noqa: E402
from bench.gold_tools import read_text  # noqa: E402
from lineage.explore.diffusion import diffusion  # noqa: E402
from lineage.explore.search import search  # noqa: E402
from lineage.explore.search_index import SearchIndex  # noqa: E402
from lineage.graph.pipeline import build_graph, derive  # noqa: E402
from lineage.ingest.gazetteer import is_jurisdiction_swap  # noqa: E402
from lineage.ingest.pipeline import ingest_paths  # noqa: E402
from lineage.store import Store  # noqa: E402

SEED = 5
DOCS = 30


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("gen")
    gold = generate("lineage", out, seed=SEED, jobs=1, docs=DOCS)
    queries = plant(out, gold, SEED, 2)
    # two databases: the planted files are copies of corpus documents (plus a paragraph), which would take
    # the place of their originals in the graph; the diffusion test needs the corpus as generated
    db = str(out / "g.db")
    with Store(db) as store:
        ingest_paths([str(out / "docs")], store, jobs=2, derive=derive)
        build_graph(store, jobs=2)
    planted_db = str(out / "planted.db")
    with Store(planted_db) as store:
        ingest_paths([str(out / "docs"), str(out / "planted")], store, jobs=2, derive=derive)
    return out, gold, queries, db, planted_db


def test_planted_variants_found_at_their_spans(generated):
    out, _gold, queries, _, db = generated
    with Store(db) as store:
        sidx = SearchIndex.open(store)
        sha_of = {str(Path(p).resolve()): sha for p, sha in store.files()}
        checked = 0
        for q in queries:
            res = search(store, q["query"], index=sidx)
            spans = {c.sha256: list(c.matches) for h in res.hits for c in h.copies}
            for p in q["planted"]:
                ms = spans.get(sha_of[str((out / p["file"]).resolve())], [])
                assert [m.span for m in ms] == [tuple(p["span"])], (q["kind"], p["variant"], q["query"])
                text = read_text(out / p["file"], "utf-8")
                assert ms[0].text == text[slice(*p["span"])]
                if p["variant"] == "identical" or q["kind"] == "clause":
                    assert ms[0].score == 100.0
                else:
                    assert ms[0].score < 100.0
                checked += 1
        assert checked == len(queries) * 3 == 18


def test_diffusion_of_a_provincial_sentence(generated):
    """A sentence of a provincial plan, localized by the city and county plans derived from it."""
    out, gold, _queries, db, _ = generated
    nodes = {n["id"]: n for n in gold["nodes"]}
    files = {f["node"]: f["file"] for f in gold["files"] if not f["copy"]}
    root = next(
        n
        for n in gold["nodes"]
        if n["level"] == "province"
        and n["mode"] == "synth"
        and sum(e["parent"] == n["id"] and e["kind"] != "citation" for e in gold["edges"]) >= 1
    )
    text = read_text(out / files[root["id"]], "utf-8")
    src = textops.jur(root["jurisdiction"])
    children = [e["child"] for e in gold["edges"] if e["parent"] == root["id"] and e["kind"] != "citation"]
    # a sentence the first child holds localized (the generator's own swap), found by plain folding
    best = None
    for s, e in textops.split_sentences(text):
        sent = text[s:e]
        if len(sent) < 25 or textops.OUTLINE_RE.match(sent):
            continue
        child = children[0]
        local = textops.swap_jur(sent, src, textops.jur(nodes[child]["jurisdiction"]))
        if local != sent and textops.fold(local) in textops.fold(read_text(out / files[child], "utf-8")):
            best = (sent, local, child)
            break
    assert best, "the generator's child keeps no localized sentence of its parent"
    sent, local, child = best
    with Store(db) as store:
        d = diffusion(store, sent)
    assert d.graph == "cached"
    by_path = {Path(p).name: h for h in d.holders for p in h.paths}
    root_h, child_h = by_path[Path(files[root["id"]]).name], by_path[Path(files[child]).name]
    assert d.holders.index(root_h) < d.holders.index(child_h)  # the timeline is in date order
    dates = [h.date for h in d.holders if h.date and h.date_kind != "estimated"]
    assert dates == sorted(dates)
    # the first appearance is the earliest holder of the sentence itself; near variants before it are earlier ones
    k = next(k for k, h in enumerate(d.holders) if h.change == "first")
    assert d.first == (d.holders[k].version or d.holders[k].sha256) and d.holders[k].diff == []
    assert d.earlier_variants == [h.version or h.sha256 for h in d.holders[:k]]
    assert all(h.change == "modified" for h in d.holders[:k])
    # the generator localized the child's copy: the diff against the query shows the swap
    # (the text is older than this province plan: other changes, years, may come with it)
    assert child_h.change in ("localized", "modified")
    assert any(op == "replace" and is_jurisdiction_swap(a, b) for op, a, b in child_h.diff), child_h.diff
    # the planted reuse edge carries it, established from the province plan to the city plan
    t = next(t for t in d.transfers if {t.source, t.target} == {root_h.version, child_h.version})
    assert t.carries and t.direction == "established" and t.says == "took it from"
    assert t.passage["relation"] in ("localized", "modified")
    assert (t.source, t.target) == (root_h.version, child_h.version)
    prov = {r["province"]: r for r in d.by_province}
    assert prov[src.short]["versions"] >= 2
    assert sum(r["versions"] for r in d.by_year) == len(d.holders) == sum(r["versions"] for r in d.by_province)
