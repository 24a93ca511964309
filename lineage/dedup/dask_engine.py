"""The Dask dedup engine: signatures, candidate grouping and comparisons on a ``dask.distributed`` cluster.

Same pipeline as the local engine (``dedup_engine``), with the heavy steps
spread over workers:

1. **Signatures**: the comparison texts of the body classes go to the
   workers in chunks (compressed, as the store keeps them); each task
   computes the MinHash signatures (``dedup_features.signatures``, the very
   function the ingest hook uses) and their LSH band keys, and splits the
   (band key, class) rows into buckets by key.
2. **Candidate grouping**: one task per bucket gathers that bucket from every
   chunk and pairs the classes that share a band key.  This is a hash
   shuffle: no worker ever holds all the keys.
3. **Comparisons**: every candidate pair is compared ("screen" mode) on the
   workers, the pairs of one connected group of candidates in one task so
   that each text travels about once; then the comparisons that choosing
   canonical copies needs, and ("full" mode) those between the canonical
   texts of linked clusters.  The pipeline in ``dedup`` takes these results
   from ``plan.cached`` exactly as it would have computed them, in the same
   order, so the clusters are identical to the local engine's.

Dask is optional (``pip install lineage[dask]``): it is imported only when
this engine is created.  Without a scheduler address the engine starts a
``LocalCluster`` of worker processes and closes it when done.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np

from lineage.dedup import minhash
from lineage.dedup.cluster import UnionFind
from lineage.dedup.features import signatures, unpack_text
from lineage.dedup.plan import Plan, Progress, pair_key, pair_shorts
from lineage.dedup.verify import compare

# Texts per signature task, pairs per comparison task.
CHUNK_TEXTS = 500
CHUNK_PAIRS = 1500


class DaskUnavailable(RuntimeError):
    pass


class DaskEngine:
    """Use as a context manager: ``with DaskEngine() as eng: dedup(store, engine=eng)``."""

    name = "dask"

    def __init__(self, scheduler: str | None = None, workers: int = 2, client: Any = None) -> None:
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError as e:  # pragma: no cover - exercised only without the extra
            raise DaskUnavailable("the Dask engine needs dask[distributed]: pip install 'lineage[dask]'") from e
        self._own: list[Any] = []
        if client is not None:
            self.client = client
        elif scheduler:
            self.client = Client(scheduler)
            self._own.append(self.client)
        else:
            cluster = LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=40
            )
            self.client = Client(cluster)
            self._own += [self.client, cluster]

    def close(self) -> None:
        for thing in self._own:
            thing.close()
        self._own = []

    def __enter__(self) -> DaskEngine:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    @property
    def workers(self) -> int:
        return max(1, len(self.client.scheduler_info().get("workers", {})))

    # -- signatures and candidate grouping ----------------------------------------------
    def candidates(self, plan: Plan, progress: Progress) -> np.ndarray:
        idx = plan.comparable()
        if len(idx) < 2:
            return np.empty((0, 2), dtype=np.int64)
        buckets = max(1, 2 * self.workers)
        chunks = [idx[k : k + CHUNK_TEXTS] for k in range(0, len(idx), CHUNK_TEXTS)]
        keyed = []
        for chunk in chunks:
            items = [(i, plan.texts.raw(plan.classes[i].rep.sha)) for i in chunk]
            keyed.append(self.client.submit(_chunk_band_keys, items, plan.bands, plan.rows, buckets, pure=False))
        parts = [[self.client.submit(_pick, f, b, pure=False) for f in keyed] for b in range(buckets)]
        found = [self.client.submit(_bucket_pairs, p, pure=False) for p in parts]
        out = []
        for n, f in enumerate(found):
            out.append(f.result())
            progress("candidates", n + 1, len(found))
        packed = np.concatenate(out) if out else np.empty(0, dtype=np.int64)
        return minhash.unique_pairs(packed)

    # -- comparisons ---------------------------------------------------------------------
    def prefetch(
        self, plan: Plan, pairs: np.ndarray, progress: Progress, mode: str = "screen", walk: bool = False
    ) -> None:
        # ``walk`` is a saving the local engine makes; here every pair is compared (same results)
        from lineage.dedup.engine import pending

        todo = pending(plan, pairs, mode)
        if not todo:
            return
        futures = []
        for group in _pair_groups(todo, len(plan.classes)):
            classes = sorted({k for p in group for k in p})
            texts = {k: plan.texts.raw(plan.classes[k].rep.sha) for k in classes}
            jobs = [
                (i, j, pair_key(plan.classes[i], plan.classes[j]), pair_shorts(plan.classes[i], plan.classes[j]))
                for i, j in group
            ]
            futures.append(self.client.submit(_compare_group, jobs, texts, mode, pure=False))
        from dask.distributed import as_completed

        for done, f in enumerate(as_completed(futures), 1):
            for key, d in f.result():
                plan.cached[key] = d
            progress("compare" if mode == "screen" else "revisions", done, len(futures))


def _pair_groups(pairs: list[tuple[int, int]], n: int) -> list[list[tuple[int, int]]]:
    """Pairs grouped by connected component of the candidate graph, packed into tasks of about CHUNK_PAIRS."""
    uf = UnionFind(n)
    for i, j in pairs:
        uf.union(i, j)
    comps: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for p in pairs:
        comps[uf.find(p[0])].append(p)
    groups: list[list[tuple[int, int]]] = []
    current: list[tuple[int, int]] = []
    for root in sorted(comps):
        ps = comps[root]
        for k in range(0, len(ps), CHUNK_PAIRS):
            part = ps[k : k + CHUNK_PAIRS]
            if current and len(current) + len(part) > CHUNK_PAIRS:
                groups.append(current)
                current = []
            current.extend(part)
    if current:
        groups.append(current)
    return groups


# -- worker side (module-level so that they pickle by reference) ---------------------------


def _chunk_band_keys(items: list[tuple[int, bytes]], bands: int, rows: int, buckets: int) -> list[np.ndarray]:
    """Signatures and band keys of a chunk of texts, split into buckets by key.

    Each bucket is an (m, 3) uint64 array of (band, key, class) rows.
    """
    sig_rows, owners = [], []
    for i, blob in items:
        sigs, _ = signatures(unpack_text(blob))
        sig_rows.append(sigs)
        owners.append(np.full(len(sigs), i, dtype=np.uint64))
    sigs = np.concatenate(sig_rows)
    own = np.concatenate(owners)
    keys = minhash.band_keys(sigs, bands, rows)  # (m, bands)
    m = len(own)
    band = np.repeat(np.arange(bands, dtype=np.uint64)[None, :], m, axis=0).ravel()
    flat = np.stack([band, keys.ravel(), np.repeat(own, bands)], axis=1)
    which = (flat[:, 1] % np.uint64(buckets)).astype(np.int64)
    return [flat[which == b] for b in range(buckets)]


def _pick(parts: list[np.ndarray], b: int) -> np.ndarray:
    return parts[b]


def _bucket_pairs(parts: list[np.ndarray]) -> np.ndarray:
    """Packed pairs of classes sharing a (band, key) in this bucket."""
    rows = np.concatenate(parts) if parts else np.empty((0, 3), dtype=np.uint64)
    if len(rows) == 0:
        return np.empty(0, dtype=np.int64)
    # a bucket of the local engine is a (band, key): number them
    _, bucket = np.unique(rows[:, :2], axis=0, return_inverse=True)
    return minhash.pairs_in_buckets(bucket.ravel().astype(np.uint64), rows[:, 2].astype(np.int64))


def _compare_group(
    jobs: list[tuple[int, int, str, tuple[str, ...]]], texts: dict[int, bytes], mode: str
) -> list[tuple[str, dict]]:
    from lineage.dedup.verify import split

    plain = {k: unpack_text(v) for k, v in texts.items()}
    splits = {k: split(t) for k, t in plain.items()}
    out = []
    for i, j, key, shorts in jobs:
        c = compare(plain[i], plain[j], mode=mode, shorts=shorts, split_a=splits[i], split_b=splits[j])
        out.append((key, c.to_dict()))
    return out
