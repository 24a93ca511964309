"""Batch deduplication of scraped copies: one cluster per document version.

Pipeline (``dedup`` below runs it; ``dedup_engine`` and ``dedup_dask`` run the
heavy steps, the local machine's processes or a Dask cluster):

1. **Features** (``dedup_features``): per document, the normalized body with
   whitespace removed, MinHash signatures of its character 5-grams (the whole
   text and its first 1,000 and 3,000 characters), and a few metadata fields.
   Computed in the ingest workers and cached in the store.
2. **Body classes**: documents whose comparison texts are equal are one class
   (same version, differing only by formatting, encoding, chrome, HTML).
3. **Candidates**: LSH banding over the classes' signatures; two classes are
   compared if they share a band of any of their signatures (the prefix
   signatures catch copies that stop early).
4. **Verification** (``dedup_verify.compare``) of every candidate pair: same
   version, revision, or different.
5. **Union-find** (``dedup_cluster``) over same-version pairs of complete texts; a copy that
   stops early then joins the one cluster it is a prefix of (when it is a
   prefix of several versions, the one whose date is nearest to its own).
6. **Canonical copy** of each cluster (``dedup_canonical``), by the documented
   rule (see ``choose_canonical``), and each member's relation to it.
7. **Revisions**: clusters whose canonical texts are revisions of each other
   are ``related`` when they are one document (``dedup_family``: same
   jurisdiction, and the same title or the same issuer with 80% of both
   aligned); connected clusters form a family.  Other such pairs are
   different documents sharing text, which the graph finds as reuse.

Everything is a deterministic function of the set of documents in the store:
the local and the Dask engine give identical results, and cluster ids (the
canonical's sha256 prefix) are stable across runs.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from lineage.dedup import minhash
from lineage.dedup.canonical import assemble
from lineage.dedup.cluster import candidate_components, cluster_classes, comparison_order
from lineage.dedup.features import CACHE_KIND, Features, compute, pack, unpack
from lineage.dedup.plan import Plan, Progress, Texts, body_classes, noop
from lineage.dedup.result import RESULT_KEY, RESULT_KIND, DedupResult
from lineage.store import Store

DEFAULT_THRESHOLD = 0.7
PAIRS_KIND = "dedup-pairs"
ALGORITHM = "10"  # bump when verification or clustering changes: cached comparisons and results are dropped


def load_features(
    store: Store, shas: list[str], progress: Progress = noop, jobs: int | None = None
) -> tuple[dict[str, Features], Texts]:
    """Cached features and compressed texts of ``shas``, computing (and caching) those missing.

    Ingest computes them with dedup's hook and drops them when it parses a
    document again; documents ingested without the hook (``lineage
    ingest``) get theirs here.
    """
    wanted = set(shas)
    out: dict[str, Features] = {}
    raw: dict[str, bytes] = {}
    for sha, blob in store.caches(CACHE_KIND):
        if sha in wanted:
            got = unpack(sha, blob)
            if got is not None:
                out[sha], raw[sha] = got
    missing = [s for s in shas if s not in out]
    if missing:
        with store.transaction():
            for k, (sha, blob) in enumerate(_compute_features(store, missing, jobs)):
                store.put_cache(CACHE_KIND, sha, blob)
                got = unpack(sha, blob)
                assert got is not None
                out[sha], raw[sha] = got
                progress("features", k + 1, len(missing))
    return out, Texts(raw)


def _compute_features(store: Store, shas: list[str], jobs: int | None) -> Iterator[tuple[str, bytes]]:
    """(sha, cache entry) of documents ingested without dedup's hook: parsed documents loaded again.

    Worker processes read the database themselves (SQLite readers do not
    block each other in WAL mode); an in-memory database is read here.
    """
    jobs = jobs or os.cpu_count() or 1
    if jobs < 2 or len(shas) < 64 or store.path == ":memory:":
        for sha in shas:
            yield sha, pack(*compute(store.load(sha)))
        return
    from lineage.workers import ProcessPoolExecutor

    with ProcessPoolExecutor(jobs, initializer=_open_reader, initargs=(store.path,)) as ex:
        yield from zip(shas, ex.map(_features_of, shas, chunksize=32))


_READER: dict[str, Store] = {}


def _open_reader(path: str) -> None:
    _READER["store"] = Store(path, create=False)


def _features_of(sha: str) -> bytes:
    return pack(*compute(_READER["store"].load(sha)))


def dedup(
    store: Store,
    shas: Iterable[str] | None = None,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    engine: Any = None,
    jobs: int | None = None,
    progress: Progress = noop,
    save: bool = True,
) -> DedupResult:
    """Cluster the documents of ``store`` (or the given shas) into versions.

    ``engine`` runs signatures/candidates and pair comparisons: a
    ``dedup_engine.LocalEngine`` (default, with ``jobs`` processes) or a
    ``dedup_dask.DaskEngine``.
    With ``save`` (and all documents), the result and the comparisons are
    stored for later runs and for ``load_result``.
    """
    from lineage.dedup.engine import LocalEngine

    t0 = time.perf_counter()
    everything = shas is None
    shas = sorted(set(store.shas() if shas is None else shas))
    feats, texts = load_features(store, shas, progress, jobs)
    classes = body_classes(feats)
    texts.forget({c.rep.sha for c in classes})
    bands, rows = minhash.bands_for(threshold)
    cached = store.get_result(PAIRS_KIND, ALGORITHM) or {}
    plan = Plan(classes, feats, texts, bands, rows, cached)
    eng = engine or LocalEngine(jobs)
    t1 = time.perf_counter()
    pairs = eng.candidates(plan, progress)
    plan.component = candidate_components(len(classes), pairs)
    order = comparison_order(plan, pairs)
    t2 = time.perf_counter()
    eng.prefetch(plan, order, progress, walk=True)
    groups, trunc, compared = cluster_classes(plan, order, progress)
    t3 = time.perf_counter()
    result = assemble(store, plan, groups, pairs, trunc, eng, progress)
    t4 = time.perf_counter()
    result.stats = {
        **result.stats,
        "algorithm": ALGORITHM,
        "documents": len(shas),
        "body_classes": len(classes),
        "candidate_pairs": len(pairs),
        "compared_pairs": compared,
        "clusters": len(result.clusters),
        "related": len(result.related),
        "families": len({c.family for c in result.clusters}),
        "threshold": threshold,
        "bands": bands,
        "rows": rows,
        "engine": getattr(eng, "name", "local"),
        "seconds": {
            "features": round(t1 - t0, 3),
            "candidates": round(t2 - t1, 3),
            "compare": round(t3 - t2, 3),
            "assemble": round(t4 - t3, 3),
        },
    }
    if save and everything:
        with store.transaction():
            store.put_result(RESULT_KIND, RESULT_KEY, result.to_dict())
            store.put_result(PAIRS_KIND, ALGORITHM, plan.cached)
    return result


def stored_result(store: Store) -> DedupResult | None:
    """The clustering the last dedup over the whole store stored, if this version of dedup made it (it may not
    cover documents ingested since)."""
    d = store.get_result(RESULT_KIND, RESULT_KEY)
    if d is None or d.get("stats", {}).get("algorithm") != ALGORITHM:
        return None
    return DedupResult.from_dict(d)


def load_result(store: Store) -> DedupResult | None:
    """The clustering stored by the last dedup over the whole store, if it still covers every document."""
    result = stored_result(store)
    if result is None or any(result.version_of(sha) is None for sha in store.shas()):
        return None
    return result


def ensure_result(store: Store, **kw: Any) -> DedupResult:
    """The stored clustering when it is current, else a fresh one (for the graph and report stages)."""
    return load_result(store) or dedup(store, **kw)


def dedup_paths(
    paths: list[str],
    store: Store,
    *,
    jobs: int | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    engine: Any = None,
    progress: Progress = noop,
    ingest_progress: Callable[[int, int, str], None] | None = None,
    max_bytes: int | None = None,
) -> tuple[DedupResult, Any]:
    """Ingest ``paths`` (files or folders) and cluster them with everything already in the store.

    Returns the clusters holding the inputs (with every copy the store
    knows of, inputs or not) and the ingest report.
    """
    from lineage.dedup.features import derive
    from lineage.ingest.pipeline import ingest_paths

    kw: dict[str, Any] = {"max_bytes": max_bytes} if max_bytes else {}
    # Sketches: dedup reads no units; a later command that needs them parses the document in full.
    report = ingest_paths(list(paths), store, jobs=jobs, progress=ingest_progress, derive=derive, full=False, **kw)
    full = dedup(store, threshold=threshold, engine=engine, jobs=jobs, progress=progress)
    selected = full.select(paths=[os.path.abspath(p) for p in report.paths], shas=set(report.documents))
    selected.skipped = list(report.errors)
    return selected, report


def dedup_for_report(
    store: Store, shas: list[str], *, jobs: int | None = None, progress: Callable[[int, int, str], None] | None = None
) -> dict[str, Any]:
    """The report's hook (``lineage.report.pipeline``): ``lineage dedup --json`` of the clusters holding ``shas``."""

    def bar(stage: str, done: int, total: int) -> None:
        if progress:
            progress(done, total, stage)

    return ensure_result(store, jobs=jobs, progress=bar).select(shas=set(shas)).to_dict()
