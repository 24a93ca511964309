"""The graph on a generated corpus with planted lineage (bench/generate.py lineage): edges, direction, copies.

The generator is the independent ground truth: provincial plans -> city ->
county plans (localized and edited), cross-province copies, passages of
national texts, citation-only children, unrelated documents and scraped
duplicate copies.  The bench (bench/bench_graph.py) measures 100 to 5,000
documents; here one small corpus keeps the behaviour honest in the suite.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.bench_graph import score  # noqa: E402
from bench.generate import generate  # noqa: E402
from bench.gold_tools import read_text  # noqa: E402
from lineage.graph.pipeline import build_graph, derive  # noqa: E402
from lineage.ingest.normalize import fold  # noqa: E402
from lineage.ingest.pipeline import ingest_paths  # noqa: E402
from lineage.store import Store  # noqa: E402

SEED = 5  # not the seed the thresholds were tuned on (0)
DOCS = 60


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("lineage")
    gold = generate("lineage", out, seed=SEED, jobs=1, docs=DOCS)
    with Store(str(out / "g.db")) as store:
        ingest_paths([str(out / "docs")], store, jobs=2, derive=derive)
        graph = build_graph(store, jobs=2)
    return out, gold, graph


def test_planted_edges_recovered(generated):
    out, gold, graph = generated
    q = score(graph.filtered().to_dict(), gold, out)
    assert q["recall"] >= 0.9, q
    assert q["precision_tolerant"] >= 0.85, q
    assert q["direction"]["accuracy"] >= 0.95 and q["direction"]["established_share"] >= 0.9, q
    assert q["citations"]["recall"] >= 0.8, q
    done, total = map(int, q["duplicates_collapsed"].split("/"))
    assert done == total, q
    assert q["nodes"]["versions"] == q["nodes"]["gold"]


def test_passage_spans_point_at_shared_text(generated):
    out, gold, graph = generated
    enc = {str((out / f["file"]).resolve()): f["encoding"] for f in gold["files"]}
    checked = 0
    for e in graph.filtered().edges:
        if e["kind"] != "reuse" or not (e["source_path"].endswith(".txt") and e["target_path"].endswith(".txt")):
            continue
        s_text = read_text(e["source_path"], enc.get(str(Path(e["source_path"]).resolve()), "utf-8"))
        t_text = read_text(e["target_path"], enc.get(str(Path(e["target_path"]).resolve()), "utf-8"))
        for p in e["passages"]:
            if p["kind"] == "identical" and p["counted"]:
                a = fold(s_text[p["source_span"][0] : p["source_span"][1]])
                b = fold(t_text[p["target_span"][0] : p["target_span"][1]])
                assert a == b, (e["source"], e["target"], p)
                checked += 1
    assert checked > 50


def test_every_reuse_edge_has_evidence_and_a_bounded_confidence(generated):
    _, _, graph = generated
    for e in graph.edges:
        assert 0.0 <= e["confidence"] <= 1.0
        assert e["direction_evidence"]
        if e["kind"] == "reuse" and e["direction"] == "uncertain":
            assert e["confidence"] < 0.5


def test_the_dask_engine_builds_the_same_graph(generated):
    """On a real LocalCluster with two worker processes: same nodes, edges and indirect pairs."""
    pytest.importorskip("dask.distributed")
    from lineage.dedup.dask_engine import DaskEngine

    out, _, graph = generated
    with DaskEngine(workers=2) as eng, Store(str(out / "g.db")) as store:
        on_dask = build_graph(store, jobs=2, rebuild=True, engine=eng)
    assert on_dask.stats["aligned_pairs"] == graph.stats["aligned_pairs"] > 20
    a, b = graph.to_dict(), on_dask.to_dict()
    assert a["nodes"] == b["nodes"]
    assert a["edges"] == b["edges"]
    assert a["indirect"] == b["indirect"]


_ALIGN_ALL = """
import hashlib, json, sys
from lineage.align.aligner import align
from lineage.store import Store
pairs = json.loads(sys.argv[2])
h = hashlib.sha256()
with Store(sys.argv[1]) as store:
    for s, t in pairs:
        h.update(json.dumps(align(store.load(s), store.load(t)).to_dict(), sort_keys=True).encode())
print(h.hexdigest())
"""


def test_alignments_do_not_depend_on_the_hash_seed(generated):
    """Worker processes (Dask's are spawned, not forked) get their own hash seed: set order must not leak out."""
    import json
    import os
    import subprocess

    out, _, graph = generated
    pairs = [(e["source_sha256"], e["target_sha256"]) for e in graph.edges if e["kind"] == "reuse"]
    assert len(pairs) > 20
    digests = set()
    for seed in ("1", "2", "3"):
        proc = subprocess.run(
            [sys.executable, "-c", _ALIGN_ALL, str(out / "g.db"), json.dumps(pairs)],
            capture_output=True,
            text=True,
            cwd=str(ROOT),
            env={**os.environ, "PYTHONHASHSEED": seed},
            check=True,
        )
        digests.add(proc.stdout.strip())
    assert len(digests) == 1
