"""Cached results that no longer cover the whole database: kept in use, and said to be out of date.

Documents ingested since a graph or dedup run, or metadata given since, make the cached result stale,
not absent: its edges still hold between the documents it covers (a document is its sha256), its
copies are still copies.  What it lacks is the newer documents, and a metadata change may have turned
directions.  ``serve``, ``search`` and ``diffusion`` use it with a note saying so, and what to run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lineage.dedup.result import RESULT_KEY as DEDUP_RESULT_KEY
from lineage.dedup.result import RESULT_KIND as DEDUP_RESULT_KIND
from lineage.dedup.result import DedupResult
from lineage.graph.pipeline import RESULT_KIND
from lineage.store import Store, unpack


@dataclass
class Staleness:
    """A cached result kept in use although the database changed since: what the pages say about it."""

    covered: int  # documents of the database it covers
    documents: int  # documents in the database

    @property
    def missing(self) -> int:
        return self.documents - self.covered


def stale_graph(store: Store) -> tuple[dict[str, Any] | None, Staleness | None]:
    """The cached graph that covers most of the database's documents (and none it no longer has), when no graph
    is current: documents ingested since, or metadata given since, make the cache stale, not absent.

    Its edges still hold between the documents it covers (their texts did not change: a document is its
    sha256); what it lacks is the newer documents, and a metadata change (dates, places) may have changed
    directions.  The pages say so, and what to run.
    """
    shas = set(store.shas())
    best: tuple[int, dict[str, Any]] | None = None
    for (value,) in store.db.execute("SELECT value FROM results WHERE kind = ?", (RESULT_KIND,)):
        try:
            g = unpack(value)["graph"]
            mine = {s for n in g["nodes"] if not n.get("external") for s in n.get("shas") or [n.get("sha256")]}
        except (KeyError, TypeError, ValueError):
            continue
        if mine and mine <= shas and (best is None or len(mine) > best[0]):
            best = (len(mine), g)
    if best is None:
        return None, None
    return best[1], Staleness(best[0], len(shas))


def dedup_coverage(store: Store) -> tuple[DedupResult | None, Staleness | None]:
    """dedup's stored result, read and decoded once: (it, None) when it covers every document, (it, how stale)
    when it covers some, (None, None) when there is none of this algorithm's (or it covers no document)."""
    from lineage.dedup.pipeline import ALGORITHM

    d = store.get_result(DEDUP_RESULT_KIND, DEDUP_RESULT_KEY)
    if d is None or d.get("stats", {}).get("algorithm") != ALGORITHM:
        return None, None
    res = DedupResult.from_dict(d)
    shas = store.shas()
    covered = sum(res.version_of(s) is not None for s in shas)
    if covered == len(shas):
        return res, None
    return (res, Staleness(covered, len(shas))) if covered else (None, None)
