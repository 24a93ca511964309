"""The local dedup engine: signatures from the ingest cache, comparisons in this machine's processes.

An engine runs the two heavy steps of ``dedup.dedup`` and nothing else, so
that engines agree by construction on everything around them:

* ``candidates(plan, progress)``: (p, 2) array of class index pairs i < j
  that share an LSH band, sorted;
* ``prefetch(plan, pairs, progress, mode="screen", walk=False)``: compare ahead any of
  these class pairs into ``plan.cached`` (the pipeline then finds them
  there instead of comparing them itself; results are the same either
  way).  Called with the candidate pairs, then with the pairs the choice
  of canonical copies needs, then ("full") with the canonical texts of
  linked clusters.

With ``jobs`` > 1 (and fork available) the local engine compares every
candidate pair in forked worker processes, which share the plan's texts
with the parent instead of receiving copies.
"""

from __future__ import annotations

import gc
import itertools
import multiprocessing
import os
from collections import ChainMap

import numpy as np

from lineage import workers
from lineage.dedup import cluster, minhash
from lineage.dedup.plan import Plan, Progress, compare_classes, pair_key, satisfies

# Below this many pairs the workers cost more than they save.
PARALLEL_MIN = 2000
CHUNK = 250


def signature_rows(plan: Plan) -> tuple[np.ndarray, np.ndarray]:
    """All signatures of the comparable classes, and the class index of each row."""
    rows, owners = [], []
    for i in plan.comparable():
        sigs = plan.classes[i].rep.sigs
        rows.append(sigs)
        owners.append(np.full(len(sigs), i, dtype=np.int64))
    if not rows:
        return np.empty((0, minhash.NUM_PERM), dtype=np.uint32), np.empty(0, dtype=np.int64)
    return np.concatenate(rows), np.concatenate(owners)


class LocalEngine:
    name = "local"

    def __init__(self, jobs: int | None = None, parallel_min: int = PARALLEL_MIN) -> None:
        self.jobs = jobs or os.cpu_count() or 1
        self.parallel_min = parallel_min

    def candidates(self, plan: Plan, progress: Progress) -> np.ndarray:
        sigs, owners = signature_rows(plan)
        keys = minhash.band_keys(sigs, plan.bands, plan.rows)
        pairs = minhash.colliding_pairs(keys, owners)
        progress("candidates", 1, 1)
        return pairs

    def prefetch(
        self, plan: Plan, pairs: np.ndarray, progress: Progress, mode: str = "screen", walk: bool = False
    ) -> None:
        """Compare ahead the pairs (with ``walk``: the clustering's ordered candidate pairs, of
        which only those its walk will ask for are compared)."""
        todo = pending(plan, pairs, mode)
        if self.jobs < 2 or len(todo) < self.parallel_min or "fork" not in multiprocessing.get_all_start_methods():
            return  # compared one by one when asked
        global _PLAN
        _PLAN = plan
        # Objects the garbage collector leaves alone are not copied into the
        # workers page by page when it runs there (copy-on-write): with the
        # texts of a large corpus this halves the time of the comparisons.
        gc.freeze()
        try:
            jobs: list[tuple[str, list, str]] = []
            if walk and mode == "screen" and plan.component is not None:
                # The clustering's own walk, one candidate component at a time: only the pairs it
                # will ask for are compared (a quarter fewer than all candidates); a component too
                # large for one worker is compared pair by pair, as every pair was before.
                walks, large = _by_component(plan, pairs)
                jobs += [("walk", w, mode) for w in walks]
                todo = pending(plan, large, mode)
            jobs += [("pairs", todo[k : k + CHUNK], mode) for k in range(0, len(todo), CHUNK)]
            total = sum(len(j[1]) for j in jobs)
            done = 0
            with workers.fork_pool(self.jobs) as pool:
                for size, got in pool.imap_unordered(_compare_chunk, jobs):
                    plan.cached.update(got)
                    done += size
                    progress("compare" if mode == "screen" else "revisions", done, total)
        finally:
            _PLAN = None
            gc.unfreeze()


# Components with more candidate pairs than this are compared pair by pair in chunks (in parallel)
# rather than walked in one worker.
WALK_MAX = 4 * CHUNK


def _by_component(plan: Plan, order: np.ndarray) -> tuple[list[list[list[int]]], np.ndarray]:
    """The ordered pairs cut into bundles of whole components (about CHUNK pairs each), and the
    pairs of the components too large to walk."""
    assert plan.component is not None
    comp = plan.component[order[:, 0]]
    cuts = [0, *(np.flatnonzero(np.diff(comp)) + 1).tolist(), len(order)]
    walks: list[list[list[int]]] = []
    bundle: list[list[int]] = []
    large: list[np.ndarray] = []
    for a, b in itertools.pairwise(cuts):
        if b - a > WALK_MAX:
            large.append(order[a:b])
            continue
        bundle.extend(order[a:b].tolist())
        if len(bundle) >= CHUNK:
            walks.append(bundle)
            bundle = []
    if bundle:
        walks.append(bundle)
    return walks, np.concatenate(large) if large else np.empty((0, 2), dtype=np.int64)


def pending(plan: Plan, pairs: np.ndarray, mode: str) -> list[tuple[int, int]]:
    """The pairs (oriented so that a has the smaller class key) whose comparison in this mode is not cached yet."""
    out, seen = [], set()
    for i, j in pairs.tolist():
        if plan.classes[i].key > plan.classes[j].key:
            i, j = j, i
        if (i, j) in seen or i == j:
            continue
        seen.add((i, j))
        d = plan.cached.get(pair_key(plan.classes[i], plan.classes[j]))
        if d is None or not satisfies(d, mode):
            out.append((i, j))
    return out


_PLAN: Plan | None = None  # the plan, inherited by forked workers


def _compare_chunk(job: tuple[str, list, str]) -> tuple[int, list[tuple[str, dict]]]:
    """(pairs in the job, the comparisons it made): a bundle of components walked as the clustering
    will walk them ("walk"), or every pair of a list ("pairs"); both through ``compare_classes``."""
    how, pairs, mode = job
    plan = _PLAN
    assert plan is not None
    made: dict[str, dict] = {}
    known = plan.cached
    plan.cached = ChainMap(made, known)  # what compare_classes stores lands in ``made``
    try:
        if how == "walk":
            cluster.walk(plan, pairs, cluster.UnionFind(len(plan.classes)))
        else:
            for i, j in pairs:
                compare_classes(plan, i, j, mode)
    finally:
        plan.cached = known
        known.update(made)
    return len(pairs), list(made.items())
