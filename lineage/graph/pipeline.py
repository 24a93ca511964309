"""The corpus lineage graph: who reused whom, with the evidence.

Pipeline (:func:`build_graph`):

1. **Versions** -- dedup's clusters (copies of one version are one node,
   the canonical copy standing for it; see ``lineage.graph.nodes``).
2. **Index** -- the corpus n-gram index (cached in the store).
3. **Alignment** -- for every version, the earlier versions sharing
   non-formulaic text with it are found through the index and aligned
   with it (``lineage.graph.align``, in worker processes): each pair once,
   never all pairs.
4. **Citations** -- resolved to versions, or kept as external nodes
   (``lineage.graph.citations``).
5. **Edges** -- reuse edges with shares, passages, direction and its
   evidence, common sources (``lineage.graph.edges``); citation edges kept
   apart; pairs sharing text only through a third document under
   ``indirect``.

The graph is cached in the store, keyed by the documents it covers and the
state of the database, so a re-run on an unchanged corpus only reads it.
Edges below ``min_share`` are dropped when the graph is shown
(:meth:`Graph.filtered`), not when it is built, so one cached graph serves
any threshold.

JSON (``Graph.to_dict``; schema in ``lineage/cli/graph_cmd.py``):
``{"nodes": [...], "edges": [...], "indirect": [...], "stats": {...}}``.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from lineage.align.index import Index, fingerprints
from lineage.align.index import derive as fingerprint_derive
from lineage.align.known import KNOWN_TEXTS
from lineage.dedup.result import DedupResult
from lineage.graph import align as graph_align
from lineage.graph import citations as graph_citations
from lineage.graph.citations import External, title_key
from lineage.graph.edges import citation_edge, indirect_entry, reuse_edge
from lineage.graph.nodes import Version, assign_labels, interval, make_version, order_key
from lineage.ingest.parse import Parsed
from lineage.ingest.pipeline import complete_sketches
from lineage.model import LEVEL_RANK, LEVELS
from lineage.store import Store

# bump when the graph changes for the same corpus (its alignment and attribution rules too): cached graphs are rebuilt
ALGORITHM = "30"
RESULT_KIND = "graph"
DEFAULT_MIN_SHARE = 0.005  # of either side's non-formulaic text: about a clause in a plan of 6,000 characters
# In a corpus large enough to have a background (its documents share stock clauses and sentences with
# dozens of others: see lineage.graph.candidates.background), an edge must also show copying: this share
# of either document reused sentence for sentence, in the order of both (``sequential_share``).
DEFAULT_MIN_SEQUENTIAL = 0.1
MIN_CLAUSE_EVIDENCE = 30  # characters of lifted clauses an edge with no whole unit in common needs (uncited)

Progress = Callable[[str, int, int, str], None]  # (stage, done, total, item); stages: dedup, index, align


@dataclass
class Graph:
    """Nodes, edges, indirect pairs and run statistics, as JSON-ready dicts."""

    nodes: list[dict[str, Any]] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)
    indirect: list[dict[str, Any]] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"nodes": self.nodes, "edges": self.edges, "indirect": self.indirect, "stats": self.stats}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Graph:
        return cls(
            list(d.get("nodes", [])), list(d.get("edges", [])), list(d.get("indirect", [])), dict(d.get("stats", {}))
        )

    def filtered(self, min_share: float = DEFAULT_MIN_SHARE, min_sequential: float = DEFAULT_MIN_SEQUENTIAL) -> Graph:
        """Reuse edges worth showing; citation edges and nodes all kept.

        A reuse edge shares ``min_share`` of either document's non-formulaic
        text; where the corpus has a background of stock sharing, it must also
        share ``min_sequential`` of one of them sentence for sentence, in order.
        """
        edges = [e for e in self.edges if e["kind"] != "reuse" or shown(e, min_share, min_sequential)]
        reuse = [e for e in edges if e["kind"] == "reuse"]
        stats = dict(
            self.stats,
            min_share=min_share,
            min_sequential=min_sequential,
            reuse_edges=len(reuse),
            reuse_cited=sum(1 for e in reuse if e["cited"]),
            reuse_not_cited=sum(1 for e in reuse if not e["cited"]),
        )
        return Graph(self.nodes, edges, self.indirect, stats)


def shown(
    edge: dict[str, Any], min_share: float = DEFAULT_MIN_SHARE, min_sequential: float = DEFAULT_MIN_SEQUENTIAL
) -> bool:
    """Whether a reuse edge passes the thresholds (see :meth:`Graph.filtered`)."""
    if edge["strength"] < min_share:
        return False
    if not edge["cited"] and not _whole_evidence(edge["passages"]):
        return False
    return not edge["retrieval"]["background"] or edge["sequential_share"] >= min_sequential


def _whole_evidence(passages: list[dict[str, Any]]) -> bool:
    """Does the edge rest on more than a stock phrase: a whole sentence, heading or paragraph held by both,
    or lifted clauses of ``MIN_CLAUSE_EVIDENCE`` characters?  One clause of a dozen characters
    (数字经济核心产业增加值占) turns up in plans that never met."""
    counted = [p for p in passages if not p["formulaic"]]
    if any(p["unit"] != "clause" for p in counted):
        return True
    return sum(p["chars"] for p in counted) >= MIN_CLAUSE_EVIDENCE


def derive(parsed: Parsed) -> dict[str, bytes]:
    """Cache entries computed in ingest's workers: n-gram fingerprints and dedup features.

    The fingerprint is stamped two seconds ahead: ingest stamps the document
    (``ingested_at``) just after this runs, and the index treats a
    fingerprint older than its document as stale (dedup's features allow
    the same two seconds).
    """
    from lineage.align import index
    from lineage.dedup.features import derive as dedup_derive

    fp = index.fingerprint(parsed.doc)
    fp.made += 2.0
    return {index.FP_KIND: fp.to_bytes(), **dedup_derive(parsed)}


def _noop(stage: str, done: int, total: int, item: str = "") -> None:
    pass


def build_graph(
    store: Store,
    shas: list[str] | None = None,
    *,
    dedup: DedupResult | dict | None = None,
    jobs: int | None = None,
    progress: Progress | None = None,
    rebuild: bool = False,
    engine: Any = None,
) -> Graph:
    """The lineage graph of the documents ``shas`` of ``store`` (default: all of them).

    The graph cached for the same documents and database state is returned
    unless ``rebuild``; a graph built is cached.  ``engine``: a
    ``lineage.dedup.dask_engine.DaskEngine`` runs dedup and the alignments on its
    Dask cluster (same graph as the local worker processes).
    """
    progress = progress or _noop
    t0 = time.perf_counter()
    everything = sorted(store.shas())
    selection = sorted(set(shas)) if shas is not None else everything
    clusters = _clusters(store, selection, dedup, jobs, progress, engine)
    key, state = _cache_key(store, selection, clusters)
    if not rebuild:
        hit = store.get_result(RESULT_KIND, key)
        if hit and hit.get("state") == state:
            g = Graph.from_dict(hit["graph"])
            g.stats = dict(g.stats, cached=True)
            return g
    t1 = time.perf_counter()
    # What dedup stored are sketches: parse them in full on every core, fingerprints made alongside.
    complete_sketches(
        store, [s for _, shas, _, _ in clusters for s in shas], jobs, fingerprint_derive, partial(progress, "parse")
    )
    versions = _versions(store, clusters)
    idx = Index.open(store, progress=partial(progress, "index"))
    fps = fingerprints(store, [v.sha for v in versions])
    for v in versions:
        v.chars = fps[v.sha].text_chars  # a news lede is not the document's text: a share of the body, as a trace's
    order = sorted(range(len(versions)), key=lambda i: order_key(versions[i]))
    rank = [0] * len(versions)
    for r, i in enumerate(order):
        rank[i] = r
    provinces = [_province(v) for v in versions]
    t2 = time.perf_counter()
    job = graph_align.Job(
        store.path,
        [v.sha for v in versions],
        [v.path for v in versions],
        rank,
        provinces,
        [v.id for v in versions],
        [v.span for v in versions],
        [LEVEL_RANK.get(v.level or "", len(LEVELS)) for v in versions],
    )
    # versions of one province together: they are each other's sources (a worker's document cache)
    todo = sorted(range(len(versions)), key=lambda i: (provinces[i], rank[i]))
    results = list(
        graph_align.run(
            job, todo, store, idx, jobs=jobs, engine=engine, progress=lambda d, t, item: progress("align", d, t, item)
        )
    )
    t3 = time.perf_counter()
    g = _assemble(versions, rank, results)
    t4 = time.perf_counter()
    g.stats.update(
        {
            "versions": len(versions),
            "documents": len(selection),
            "aligned_pairs": sum(r.chosen for r in results),
            "pairs_sharing_text": sum(len(r.pairs) for r in results),
            "candidates_per_version": round(sum(r.candidates for r in results) / max(1, len(results)), 1),
            "seconds": {
                "dedup": round(t1 - t0, 2),
                "index": round(t2 - t1, 2),
                "align": round(t3 - t2, 2),
                "assemble": round(t4 - t3, 2),
                "total": round(t4 - t0, 2),
                "retrieve_cpu": round(sum(r.seconds["retrieve"] for r in results), 2),
                "align_cpu": round(sum(r.seconds["align"] for r in results), 2),
            },
            "algorithm": ALGORITHM,
            "cached": False,
        }
    )
    with store.transaction():
        store.put_result(RESULT_KIND, key, {"state": state, "graph": g.to_dict()})
    return g


def graph_paths(
    paths: list[str],
    store: Store,
    *,
    jobs: int | None = None,
    progress: Progress | None = None,
    ingest_progress: Callable[[int, int, str], None] | None = None,
    max_bytes: int | None = None,
    rebuild: bool = False,
    engine: Any = None,
) -> tuple[Graph, Any]:
    """Ingest ``paths`` (files or folders) and build the graph of what they hold; returns (graph, ingest report)."""
    from lineage.ingest.pipeline import ingest_paths

    kw: dict[str, Any] = {"max_bytes": max_bytes} if max_bytes else {}
    report = ingest_paths(list(paths), store, jobs=jobs, progress=ingest_progress, derive=derive, **kw)
    if not report.documents:
        return Graph(), report
    return (
        build_graph(store, list(report.documents), jobs=jobs, progress=progress, rebuild=rebuild, engine=engine),
        report,
    )


def graph_for_report(
    store: Store,
    shas: list[str],
    *,
    dedup: dict | None = None,
    jobs: int | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> dict[str, Any]:
    """The report's hook (``lineage.report.pipeline``): ``lineage graph --json`` of these documents."""

    def bar(stage: str, done: int, total: int, item: str = "") -> None:
        if progress and stage == "align":
            progress(done, total, item)

    return build_graph(store, shas, dedup=dedup, jobs=jobs, progress=bar).filtered(DEFAULT_MIN_SHARE).to_dict()


# -- steps ------------------------------------------------------------------------------------------


def _clusters(
    store: Store,
    selection: list[str],
    dedup: DedupResult | dict | None,
    jobs: int | None,
    progress: Progress,
    engine: Any = None,
) -> list[tuple[str, list[str], list[str], str | None]]:
    """(version id, shas canonical first, paths canonical first, family) of the versions holding the selection."""
    from lineage.dedup.pipeline import ensure_result

    res = DedupResult.from_dict(dedup) if isinstance(dedup, dict) else dedup
    if res is None or any(res.version_of(s) is None for s in selection):
        res = ensure_result(store, jobs=jobs, engine=engine, progress=lambda st, d, t: progress("dedup", d, t, st))
    wanted = {res.version_of(s) for s in selection} - {None}
    out: list[tuple[str, list[str], list[str], str | None]] = []
    for c in res.clusters:
        if c.id in wanted:
            shas = [c.canonical_sha] + [s for s in c.shas if s != c.canonical_sha]
            out.append((c.id, shas, list(c.members), c.family))
    covered = {s for _, ss, _, _ in out for s in ss}
    for s in selection:  # not clustered (dedup failed on it): a version of its own
        if s not in covered:
            out.append(("v-" + s[:12], [s], store.paths_of(s), None))
    return sorted(out)


def _cache_key(store: Store, selection: list[str], clusters: list) -> tuple[str, str]:
    key = hashlib.blake2b("\n".join(selection).encode(), digest_size=12).hexdigest()
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{ALGORITHM}|{store.count()}|{store.last_parsed()!r}".encode())
    for cid, shas, paths, fam in clusters:
        h.update(f"|{cid}:{','.join(shas)}:{','.join(paths)}:{fam}".encode())
    return key, h.hexdigest()


def _versions(store: Store, clusters: list) -> list[Version]:
    out = []
    for cid, shas, paths, fam in clusters:
        docs = [store.load(s, units=False) for s in shas]
        for d in docs:
            p = store.paths_of(d.sha256)
            d.path = p[0] if p else d.path
        out.append(make_version(cid, docs, paths or [docs[0].path], fam))
    assign_labels(out)
    return out


def _province(v: Version) -> str:
    j = v.jurisdiction or {}
    if j.get("level") == "national":
        return "nat"
    return (j.get("code") or "")[:2] or (j.get("province") or "")


def _assemble(versions: list[Version], rank: list[int], results: list[graph_align.TargetResult]) -> Graph:
    externals, links = graph_citations.resolve(versions)
    nodes: dict[str, Any] = {v.id: v for v in versions}
    nodes.update((e.id, e) for e in externals)
    used = {p.known.split("|")[0] for r in results for pr in r.pairs for p in pr.passages if p.known}
    known = known_nodes(versions, externals, nodes, used)
    link_map = {(lk.citing, lk.cited): lk for lk in links}
    edges = []
    known_quoted: set[tuple[str, str]] = set()
    indirect = []
    for r in results:
        for pr in r.pairs:
            a, b = versions[pr.source], versions[pr.target]
            e = reuse_edge(pr, a, b, link_map, known, nodes)
            for c in e["common_sources"]:
                known_quoted.update({(c["id"], a.id), (c["id"], b.id)})
            if sum(e["chars"][k] for k in ("identical", "modified", "localized")):
                edges.append(e)
            else:
                indirect.append(
                    {
                        "a": a.id,
                        "b": b.id,
                        "relation": _why_not(e),
                        "through": _through(e),
                        "shared_chars_estimate": e["chars"]["common_source"] + e["chars"]["widely_shared"],
                    }
                )
        indirect.extend(indirect_entry(i, versions, rank) for i in r.indirect)
    reuse_pairs = {frozenset((e["source"], e["target"])) for e in edges}
    edges.sort(key=lambda e: (-e["strength"], e["source"], e["target"]))
    cites = [citation_edge(lk, nodes, reuse_pairs, known_quoted) for lk in links]
    cites.sort(key=lambda e: (e["target"], e["source"]))
    # a citation (either way) of a reuse edge's pair, and the reverse: where they agree
    cited_pairs = {frozenset((e["source"], e["target"])) for e in cites}
    for e in edges:
        e["cited"] = frozenset((e["source"], e["target"])) in cited_pairs
    ext_nodes = [n for n in nodes.values() if isinstance(n, External)]
    node_list = [v.to_dict() for v in sorted(versions, key=order_key)]
    node_list += [n.to_dict() for n in sorted(ext_nodes, key=lambda n: n.id)]
    indirect.sort(key=lambda d: (d["a"], d["b"]))
    stats = {
        "nodes": len(node_list),
        "external_nodes": len(ext_nodes),
        "reuse_edges": len(edges),
        "citation_edges": len(cites),
        "indirect": len(indirect),
        "established": sum(1 for e in edges if e["direction"] == "established"),
        "uncertain": sum(1 for e in edges if e["direction"] == "uncertain"),
        # where citations and reuse agree, and where they do not
        "reuse_cited": sum(1 for e in edges if e["cited"]),
        "reuse_not_cited": sum(1 for e in edges if not e["cited"]),
        "cited_not_quoted": sum(1 for e in cites if e["quoted"] is False),
        "cited_outside_corpus": sum(1 for e in cites if e["source"] not in {v.id for v in versions}),
        "cited_outside_corpus_quoted": sum(
            1 for e in cites if e["quoted"] and e["source"] not in {v.id for v in versions}
        ),
    }
    return Graph(node_list, edges + cites, indirect, stats)


def _why_not(e: dict[str, Any]) -> str:
    if e["chars"]["common_source"]:
        return "common_source"
    if e["chars"]["widely_shared"]:
        return "widely_shared"
    return "formulaic"


def _through(e: dict[str, Any]) -> str | None:
    return e["common_sources"][0]["id"] if e["common_sources"] else None


def known_nodes(
    versions: list[Version], externals: list[External], nodes: dict[str, Any], used: set[str]
) -> dict[str, Any]:
    """Known national texts quoted by shared passages (``used``: their titles) -> their node (a version, a cited
    external, or a new one, added to ``externals`` and ``nodes``).  The graph's, and a trace's
    (:mod:`lineage.graph.traced`): one known text is one node, under one id."""
    out: dict[str, Any] = {}
    for kt in KNOWN_TEXTS:
        if kt.title not in used:
            continue
        tk, dn = title_key(kt.title), graph_citations.doc_number_key(kt.doc_number)
        node: Version | External | None = next(
            (
                v
                for v in versions
                if title_key(v.title) == tk or (dn and graph_citations.doc_number_key(v.doc_number) == dn)
            ),
            None,
        )
        node = node or next((e for e in externals if title_key(e.title) == tk or (dn and e.doc_number == dn)), None)
        if node is None:
            eid = "x-" + hashlib.blake2b(f"dn:{dn}".encode(), digest_size=5).hexdigest()
            new = External(
                eid,
                kt.title,
                None,
                dn,
                kt.issuer,
                kt.date,
                "known",
                None,
                {"name": "全国", "level": kt.level, "province": None, "code": None, "source": "known"},
                True,
                [],
            )
            new.span = interval(kt.date, "known")
            externals.append(new)
            nodes[eid] = node = new
        out[kt.title] = node
    return out
