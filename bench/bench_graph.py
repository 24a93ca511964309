#!/usr/bin/env python3
"""The corpus lineage graph against generated corpora with planted lineage (prints, never asserts).

    python bench/bench_graph.py [--sizes 100,1000,5000] [--root DIR] [--seed 0] [--jobs 2]
                                [--repeat 1] [--json OUT]

For each size N: ``bench/generate.py lineage --docs N`` (provincial plans ->
city plans -> county plans with localization and edits, cross-province
copies, passages of national texts, citation-only children, unrelated
documents, scraped duplicate copies), ingested into a fresh database with
``lineage.graph.pipeline.derive`` (n-gram fingerprints and dedup features computed
in ingest's workers), then:

* ``graph_s``: :func:`lineage.graph.pipeline.build_graph` from that database with
  nothing else cached (dedup, the index blob, every alignment), best of
  --repeat runs, each on a fresh copy of the ingested database;
* ``cached_s``: the same call again (the graph read back from the store);
* ``e2e_s``: ``lineage graph DOCS --db NEW --json`` as a new process on a
  fresh database: ingest, dedup, index, alignment and JSON -- what a user
  waits for;
* quality at the default thresholds (``Graph.filtered()``), scored on
  version pairs:

  - reuse edges: recall of the planted reuse edges (gold kind reuse|both);
    precision *strict* (only planted edges count as right) and *tolerant*
    (a grandparent -> grandchild pair also counts when the text really
    travelled along planted reuse edges: the transitive closure of reuse
    edges, citation-only links left out);
  - direction, over the planted edges found: established and right,
    established and wrong, uncertain; accuracy = right / established;
  - citation edges between versions: recall and precision against planted
    citations (gold kind citation|both); citations the generated text makes
    without being planted (pool sentences quoting a plan) count as wrong;
  - duplicates: planted duplicate copies that share their version's node.

* ``peer``: datasketch's MinHash LSH Ensemble (containment search, the usual
  near-duplicate machinery) on the same versions, at containment thresholds
  0.3/0.5/0.7, direction by date, scored the same way
  (``bench/graph_peer.py``); ``graph_s_over_peer_s`` is the time ratio;
* ``dask`` (--dask): the same cold build on a Dask ``LocalCluster`` of
  --jobs workers, its time and whether the graph is identical.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.gold_tools import load_gold  # noqa: E402


def prepare(root: Path, n: int, seed: int, jobs: int) -> tuple[Path, Path, dict]:
    out = root / f"lineage{n}-s{seed}"
    if not (out / "gold.json").exists():
        from bench.generate import generate

        t0 = time.perf_counter()
        generate("lineage", out, seed=seed, docs=n, jobs=jobs)
        print(f"generated {n} documents in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    db = out / "ingested.db"
    info: dict = {
        "corpus_mb": round(sum(p.stat().st_size for p in (out / "docs").iterdir()) / 1e6, 1),
        "files": sum(1 for _ in (out / "docs").iterdir()),
    }
    if not db.exists():
        from lineage.graph.pipeline import derive
        from lineage.ingest.pipeline import ingest_paths
        from lineage.store import Store

        with Store(str(db)) as store:
            t0 = time.perf_counter()
            rep = ingest_paths([str(out / "docs")], store, jobs=jobs, derive=derive)
            info["ingest_s"] = round(time.perf_counter() - t0, 1)
            info["documents"] = len(rep.documents)
        for ext in ("-wal", "-shm"):
            Path(str(db) + ext).unlink(missing_ok=True)
    return out, db, info


def build(db: Path, jobs: int, repeat: int, dask: bool = False) -> tuple[dict, dict]:
    """(graph dict, timings): cold builds on fresh copies of the ingested database, then a cached read."""
    from lineage.graph.pipeline import build_graph
    from lineage.store import Store

    colds, stats = [], None
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(repeat):
            copy = Path(tmp) / "g.db"
            shutil.copyfile(db, copy)
            with Store(str(copy)) as store:
                t0 = time.perf_counter()
                g = build_graph(store, jobs=jobs)
                colds.append(time.perf_counter() - t0)
                stats = g.stats
                t0 = time.perf_counter()
                again = build_graph(store, jobs=jobs)
                cached = time.perf_counter() - t0
                assert again.stats.get("cached")
                full = g.to_dict()
                shown = g.filtered().to_dict()
            for ext in ("", "-wal", "-shm"):
                Path(str(copy) + ext).unlink(missing_ok=True)
    if dask:
        from lineage.dedup.dask_engine import DaskEngine

        with tempfile.TemporaryDirectory() as tmp, DaskEngine(workers=jobs) as eng:
            copy = Path(tmp) / "d.db"
            shutil.copyfile(db, copy)
            with Store(str(copy)) as store:
                t0 = time.perf_counter()
                on_dask = build_graph(store, jobs=jobs, engine=eng)
                dask_s = time.perf_counter() - t0
            same = {k: on_dask.to_dict()[k] == full[k] for k in ("nodes", "edges", "indirect")}
    times = {
        "graph_s": round(min(colds), 2),
        "graph_runs": [round(c, 2) for c in colds],
        "cached_s": round(cached, 3),
        "parts": stats["seconds"],
        "aligned_pairs": stats["aligned_pairs"],
        "candidates_per_version": stats["candidates_per_version"],
    }
    if dask:
        times["dask"] = {"graph_s": round(dask_s, 2), "same_graph": same}
    return {"shown": shown, "full": full}, times


def end_to_end(docs: Path, jobs: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "lineage",
                "graph",
                str(docs),
                "--db",
                str(Path(tmp) / "e.db"),
                "--json",
                "--quiet",
                "--jobs",
                str(jobs),
            ],
            capture_output=True,
            cwd=str(ROOT),
        )
        dt = time.perf_counter() - t0
        if proc.returncode:
            raise SystemExit(proc.stderr.decode())
    return round(dt, 1)


def score(graph: dict, gold: dict, out: Path) -> dict:
    """Quality of one graph (as shown) against the gold lineage."""
    file_node = {}
    for n in graph["nodes"]:
        for p in n.get("paths") or []:
            file_node[os.path.realpath(p)] = n["id"]
    gid = {n["id"]: file_node.get(os.path.realpath(out / n["file"])) for n in gold["nodes"]}
    reuse_gold = {(gid[e["parent"]], gid[e["child"]]) for e in gold["edges"] if e["kind"] in ("reuse", "both")}
    cite_gold = {(gid[e["parent"]], gid[e["child"]]) for e in gold["edges"] if e["kind"] in ("citation", "both")}
    und = {frozenset(p): p for p in reuse_gold}
    # transitive closure along planted reuse edges only: where the text really travelled
    kids = defaultdict(set)
    for a, b in reuse_gold:
        kids[a].add(b)
    travelled = set()
    for a in list(kids):
        stack, seen = list(kids[a]), set()
        while stack:
            x = stack.pop()
            if x in seen:
                continue
            seen.add(x)
            travelled.add(frozenset((a, x)))
            stack.extend(kids.get(x, ()))
    reuse = [e for e in graph["edges"] if e["kind"] == "reuse"]
    pred = {frozenset((e["source"], e["target"])): e for e in reuse}
    tp = [k for k in pred if k in und]
    right = sum(
        1 for k in tp if pred[k]["direction"] == "established" and (pred[k]["source"], pred[k]["target"]) == und[k]
    )
    wrong = sum(
        1 for k in tp if pred[k]["direction"] == "established" and (pred[k]["source"], pred[k]["target"]) != und[k]
    )
    cites = {
        (e["source"], e["target"])
        for e in graph["edges"]
        if e["kind"] == "citation" and not str(e["source"]).startswith("x-")
    }
    dups = gold.get("duplicates", [])
    dup_ok = sum(1 for d in dups if file_node.get(os.path.realpath(out / d["file"])) == gid[d["of"]])
    return {
        "gold_reuse_edges": len(und),
        "predicted_reuse_edges": len(pred),
        "recall": round(len(tp) / max(1, len(und)), 3),
        "precision_strict": round(len(tp) / max(1, len(pred)), 3),
        "precision_tolerant": round(sum(1 for k in pred if k in und or k in travelled) / max(1, len(pred)), 3),
        "direction": {
            "right": right,
            "wrong": wrong,
            "uncertain": len(tp) - right - wrong,
            "accuracy": round(right / max(1, right + wrong), 3),
            "established_share": round((right + wrong) / max(1, len(tp)), 3),
        },
        "citations": {
            "gold": len(cite_gold),
            "predicted": len(cites),
            "recall": round(len(cites & cite_gold) / max(1, len(cite_gold)), 3),
            "precision": round(len(cites & cite_gold) / max(1, len(cites)), 3),
        },
        "nodes": {
            "gold": len(gold["nodes"]),
            "versions": sum(1 for n in graph["nodes"] if not n.get("external")),
            "external": sum(1 for n in graph["nodes"] if n.get("external")),
        },
        "duplicates_collapsed": f"{dup_ok}/{len(dups)}",
    }


def run_size(
    root: Path, n: int, seed: int, jobs: int, repeat: int, e2e: bool, peer: bool = True, dask: bool = False
) -> dict:
    out, db, info = prepare(root, n, seed, jobs)
    gold = load_gold(out)
    graphs, times = build(db, jobs, repeat, dask)
    row = {
        "docs": n,
        "seed": seed,
        **info,
        **times,
        "quality": score(graphs["shown"], gold, out),
        "quality_all_aligned_pairs": score(graphs["full"], gold, out),
    }
    if e2e:
        row["e2e_s"] = end_to_end(out / "docs", jobs)
    if peer:
        row["peer"] = run_peer(db, graphs["full"]["nodes"], gold, out, times["graph_s"])
    return row


def run_peer(db: Path, nodes: list[dict], gold: dict, out: Path, graph_s: float) -> dict:
    """datasketch's LSH Ensemble on the same versions (bench/graph_peer.py), scored the same way."""
    from bench.graph_peer import peer_graph
    from lineage.store import Store

    with Store(str(db)) as store:
        graphs, timings = peer_graph(store, nodes)
    res: dict = {
        "what": "datasketch MinHashLSHEnsemble, char 5-grams, 128 perm, direction by date",
        **timings,
        "graph_s_over_peer_s": round(graph_s / max(timings["total_s_one_threshold"], 1e-9), 2),
    }
    for th, g in graphs.items():
        q = score(g, gold, out)
        res[f"containment_{th}"] = {
            k: q[k] for k in ("predicted_reuse_edges", "recall", "precision_strict", "precision_tolerant", "direction")
        }
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="100,1000,5000")
    ap.add_argument("--root", type=Path, default=Path(tempfile.gettempdir()) / "lineage-bench-graph")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--no-e2e", action="store_true", help="skip the end-to-end CLI run")
    ap.add_argument("--no-peer", action="store_true", help="skip the datasketch peer")
    ap.add_argument("--dask", action="store_true", help="also build each graph on a Dask LocalCluster")
    ap.add_argument("--json", type=Path)
    a = ap.parse_args(argv)
    a.root.mkdir(parents=True, exist_ok=True)
    rows = []
    for n in (int(x) for x in a.sizes.split(",")):
        row = run_size(a.root, n, a.seed, a.jobs, a.repeat, not a.no_e2e, not a.no_peer, a.dask)
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
    if len(rows) > 1:
        base = rows[0]
        for r in rows[1:]:
            print(
                f"{base['docs']} -> {r['docs']} documents ({r['docs'] / base['docs']:.0f}x): graph time "
                f"{r['graph_s'] / max(base['graph_s'], 1e-9):.1f}x",
                flush=True,
            )
    if a.json:
        a.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
