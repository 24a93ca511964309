"""The peer of the graph benchmark: datasketch's MinHash LSH Ensemble, the usual tool for "which documents
contain a good part of this one" (containment search), with direction by date.

Run on the same versions as lineage (one canonical text per version node, so both are scored on the same
pairs): character 5-gram shingles of each version's body text, 128 permutations, and for every version the
indexed versions containing at least ``threshold`` of its shingles become an edge; the earlier document is
the source, an undated or same-date pair is uncertain.  No alignment, no passages, no formulaic filter --
the point is to measure what plain near-duplicate machinery finds, and how fast.
"""

from __future__ import annotations

import time
from typing import Any

SHINGLE = 5
PERM = 128


def shingles(text: str) -> set[bytes]:
    t = "".join(text.split())
    return {t[i : i + SHINGLE].encode("utf-8") for i in range(max(1, len(t) - SHINGLE + 1))}


def peer_graph(
    store: Any, nodes: list[dict[str, Any]], thresholds: tuple[float, ...] = (0.3, 0.5, 0.7)
) -> tuple[dict[float, dict], dict[str, float]]:
    """{threshold: graph dict with reuse edges} and timings for the versions among ``nodes``."""
    from datasketch import MinHash, MinHashLSHEnsemble

    versions = [n for n in nodes if not n.get("external")]
    t0 = time.perf_counter()
    sets, dates = {}, {}
    for n in versions:
        doc = store.load(n["sha256"])
        sets[n["id"]] = shingles("".join(u.norm_text for u in doc.blocks()))
        dates[n["id"]] = n.get("date")
    t1 = time.perf_counter()
    sigs = {}
    for vid, s in sets.items():
        m = MinHash(num_perm=PERM, seed=1)
        m.update_batch(list(s))
        sigs[vid] = m
    t2 = time.perf_counter()
    out, query_s = {}, 0.0
    for th in thresholds:
        tq = time.perf_counter()
        lsh = MinHashLSHEnsemble(threshold=th, num_perm=PERM, num_part=16)
        lsh.index([(vid, sigs[vid], len(sets[vid])) for vid in sigs])
        pairs: set[frozenset] = set()
        for vid, m in sigs.items():
            for hit in lsh.query(m, len(sets[vid])):
                if hit != vid:
                    pairs.add(frozenset((vid, hit)))
        edges = []
        for p in sorted(pairs, key=sorted):
            a, b = sorted(p, key=lambda v: (dates[v] or "9999", v))
            known = dates[a] and dates[b] and dates[a] != dates[b]
            edges.append(
                {"source": a, "target": b, "kind": "reuse", "direction": "established" if known else "uncertain"}
            )
        out[th] = {"nodes": nodes, "edges": edges}
        query_s += time.perf_counter() - tq
    timings = {
        "load_s": round(t1 - t0, 2),
        "signatures_s": round(t2 - t1, 2),
        "lsh_s_per_threshold": round(query_s / len(thresholds), 2),
        "total_s_one_threshold": round(t2 - t0 + query_s / len(thresholds), 2),
    }
    return out, timings
