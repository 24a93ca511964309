"""How a clause spread: the versions holding it in date order, where and when, who took it from whom.

Built on :func:`lineage.explore.search.search` (every version holding the text or a
near variant) and, when it is there, the lineage graph:

* **timeline**: the holders in date order (an estimated date by the middle
  of its range, as the graph orders versions), each with its jurisdiction,
  its label (the graph's, ``place · year · title`` where titles collide),
  the matched text and what changed against the *query* (token diff,
  ``identical`` / ``localized`` / ``modified``);
* **first appearance**: the earliest holder of the text itself -- the query
  word for word, or with only place names or level words changed
  (``localized``); when no holder has that, the earliest of those scoring
  best.  A near variant dated before it is no first appearance of the
  text: it is listed in ``earlier_variants``.  Holders of the text whose
  date interval overlaps the first one's (an estimated year cannot be
  ordered against a date inside it), and undated ones, which could be as
  early, are listed in ``first_uncertain``;
* **counts** of holders (versions: every copy of one counted once) by
  province (with the first holder of each) and by year (estimated dates
  counted apart);
* **transfers**: the graph's reuse edges between two holders, with their
  direction status -- an established edge reads "target took it from
  source", an uncertain one only "shares text with" -- and whether one of
  the edge's aligned passages covers the clause on both sides (``carries``;
  a passage not counted by the graph, formulaic or from a common source,
  says so).  Every reuse edge of the cached graph counts, whatever its
  share: a single clause is far below the share the graph shows by default
  (``shown`` tells which edges ``lineage graph`` lists).

The graph is read from the store's cache (the one ``lineage graph`` or
``lineage report`` built for the whole database); it is built only when
asked (``build_graph=True``), since that takes minutes on a large corpus.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from lineage.explore.search import DEFAULT_MIN_SCORE, Hit, Placed, SearchResult, search
from lineage.explore.search_index import SearchIndex, StageProgress
from lineage.explore.stale import Staleness, stale_graph
from lineage.graph.nodes import LEVEL_RANK, disambiguate, interval
from lineage.graph.pipeline import RESULT_KIND, Graph, shown
from lineage.model import province_key
from lineage.store import Store


@dataclass
class Holder(Placed):
    """A version holding the clause: a point of the timeline."""

    province: str | None  # short name (浙江), "national", or None when unknown
    span: tuple[int, int]
    paths: list[str]  # every copy of the version
    score: float  # against the query
    text: str
    norm: str
    change: str  # against the query: first | identical | localized | modified
    diff: list[list[str]]  # query -> this holder's text (empty when identical)
    label: str = ""  # the graph's label (place · year · title where titles collide)

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.placed_dict(),
            "province": self.province,
            "span": list(self.span),
            "paths": list(self.paths),
            "copies": len(self.paths),
            "score": self.score,
            "text": self.text,
            "norm": self.norm,
            "change": self.change,
            "diff": self.diff,
            "label": self.label,
        }


@dataclass
class Transfer:
    """A reuse edge of the graph between two holders."""

    source: str  # version ids as in the graph; for an uncertain edge, just the side the graph lists first
    target: str
    direction: str  # established | uncertain
    says: str  # "took it from" (established: target took it from source) | "shares text with"
    confidence: float
    conflict: bool
    evidence: list[dict[str, Any]]
    carries: bool  # one of the edge's passages covers the clause on both sides
    passage: dict[str, Any] | None  # that passage: source_span, target_span, relation, counted, common_source
    strength: float
    shown: bool  # passes the graph's default thresholds (what `lineage graph` lists)

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "target": self.target,
            "direction": self.direction,
            "says": self.says,
            "confidence": self.confidence,
            "conflict": self.conflict,
            "evidence": self.evidence,
            "carries": self.carries,
            "passage": self.passage,
            "strength": self.strength,
            "shown": self.shown,
        }


@dataclass
class Diffusion:
    query: str
    norm_query: str
    holders: list[Holder]  # the timeline: date order, undated last
    first: str | None  # version id (or sha256 when copies are not grouped) of the first appearance
    first_uncertain: list[str]  # holders of the text dated as early as the first one, or undated
    earlier_variants: list[str]  # near variants dated before the first appearance
    # versions holding it (holders, not their copies: "documents" counts those):
    by_province: list[dict[str, Any]]  # {"province", "versions", "first", "first_date"}, earliest arrival first
    by_year: list[dict[str, Any]]  # {"year", "versions", "estimated"}, by year; undated as year null
    transfers: list[Transfer]
    unlinked: list[str]  # holders no carrying transfer touches
    graph: str  # cached | stale | built | not built
    grouped: bool
    notes: list[str] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "norm_query": self.norm_query,
            "documents": self.stats.get("documents"),
            "versions": len(self.holders),
            "first": self.first,
            "first_uncertain": list(self.first_uncertain),
            "earlier_variants": list(self.earlier_variants),
            "holders": [h.to_dict() for h in self.holders],
            "by_province": self.by_province,
            "by_year": self.by_year,
            "transfers": [t.to_dict() for t in self.transfers],
            "unlinked": list(self.unlinked),
            "graph": self.graph,
            "grouped": self.grouped,
            "notes": list(self.notes),
            "stats": dict(self.stats),
        }


def diffusion(
    store: Store,
    text: str,
    *,
    index: SearchIndex | None = None,
    min_score: float = DEFAULT_MIN_SCORE,
    build_graph: bool = False,
    progress: StageProgress | None = None,
    jobs: int | None = None,
    graph_progress: Any = None,
) -> Diffusion:
    """The diffusion of ``text`` across the corpus (see the module docstring).

    ``progress``: the search index's stages, if it must be built;
    ``graph_progress``: :func:`lineage.graph.pipeline.build_graph`'s, with ``build_graph``.
    """
    # the graph first: building it clusters the copies, which the search then groups by
    graph, status, stale = _graph(store, build_graph, jobs, graph_progress)
    res = search(store, text, index=index, min_score=min_score, progress=progress, jobs=jobs)
    return assemble(res, graph, status, stale)


def assemble(res: SearchResult, graph: Graph | None, status: str, stale: Staleness | None = None) -> Diffusion:
    """A diffusion from a search's hits (all of them) and the graph, if any (``stale``: the last one cached,
    which does not cover every document)."""
    hits = sorted(res.hits, key=_order)
    key = [h.version or h.sha256 for h in hits]
    k0 = _first(hits)
    span0 = _interval(hits[k0]) if hits else None
    holds = [h.relation in _HOLDS for h in hits]
    first_uncertain = [
        key[k]
        for k, h in enumerate(hits)
        if k != k0 and holds[k] and (span0 is None or (s := _interval(h)) is None or s[0] <= span0[1])
    ]
    holders = _holders(hits, k0, _labels(hits, graph))
    transfers = _transfers(hits, graph) if graph is not None else []
    linked = {x for t in transfers if t.carries for x in (t.source, t.target)}
    notes = list(res.notes)
    if stale is not None:
        notes.append(
            f"the lineage graph is out of date: it covers {stale.covered:,} of the {stale.documents:,} documents "
            "(run 'lineage graph', or pass --graph)"
        )
    if graph is None:
        notes.append(
            "the lineage graph is not built: who took the text from whom is not known "
            "(run 'lineage graph', or pass --graph)"
        )
    stats = {
        "documents": sum(len([c for c in h.copies if c.matches]) for h in res.hits),
        "versions": len(holders),
        "search": res.stats,
    }
    return Diffusion(
        res.query,
        res.norm_query,
        holders,
        key[k0] if hits else None,
        first_uncertain,
        key[:k0],
        _by_province(holders),
        _by_year(holders),
        transfers,
        [k for k in key if k not in linked] if graph is not None else [],
        status,
        res.grouped,
        notes,
        stats,
    )


_HOLDS = ("identical", "localized")  # the query's text itself: word for word, or only places and levels changed


def _first(hits: list[Hit]) -> int:
    """The first appearance among hits in date order: the earliest holding the text itself, else the
    earliest of the best scoring (0 when there are none)."""
    k = next((k for k, h in enumerate(hits) if h.relation in _HOLDS), None)
    if k is None and hits:
        top = max(h.score for h in hits)
        k = next(k for k, h in enumerate(hits) if h.score == top)
    return k or 0


def _labels(hits: list[Hit], graph: Graph | None) -> dict[str, str]:
    """Each holder's name: the graph's node label, else one made the graph's way among the holders."""
    nodes = {n["id"]: n for n in graph.nodes} if graph is not None else {}
    own = disambiguate(
        [(h.version or h.sha256, h.title or os.path.basename(h.path), h.jurisdiction, h.date) for h in hits]
    )
    return {k: (nodes.get(k) or {}).get("label") or own[k][0] for k in own}


def _order(h: Hit) -> tuple:
    """The graph's order: an interval by its middle, then the higher level, then id (undated last)."""
    span = _interval(h)
    mid = (span[0] + span[1]) / 2 if span else float("inf")
    return (mid, LEVEL_RANK.get(h.level or "", len(LEVEL_RANK)), h.version or h.sha256)


def _interval(h: Hit) -> tuple[int, int] | None:
    return interval(h.date, h.date_kind, h.date_range)


def _holders(hits: list[Hit], first: int, labels: dict[str, str]) -> list[Holder]:
    """The timeline's points, each holder's change measured against the query (the search's own diff)."""
    return [
        Holder(
            h.version,
            h.title,
            h.date,
            h.date_kind,
            h.date_range,
            h.jurisdiction,
            h.level,
            h.path,
            h.sha256,
            province_key(h.jurisdiction),
            h.span,
            [p for c in h.copies for p in c.paths],
            h.score,
            h.text,
            h.norm,
            "first" if k == first else h.relation,
            h.diff,
            labels[h.version or h.sha256],
        )
        for k, h in enumerate(hits)
    ]


def _by_province(holders: list[Holder]) -> list[dict[str, Any]]:
    rows: dict[str | None, dict[str, Any]] = {}
    for h in holders:  # in date order: the first seen is the first arrival
        r = rows.setdefault(
            h.province, {"province": h.province, "versions": 0, "first": h.version or h.sha256, "first_date": h.date}
        )
        r["versions"] += 1
    return list(rows.values())


def _by_year(holders: list[Holder]) -> list[dict[str, Any]]:
    rows: dict[str | None, dict[str, Any]] = {}
    for h in holders:
        y = h.date[:4] if h.date else None
        r = rows.setdefault(y, {"year": y, "versions": 0, "estimated": 0})
        r["versions"] += 1
        r["estimated"] += h.date_kind == "estimated"
    return sorted(rows.values(), key=lambda r: r["year"] or "9999")


def _transfers(hits: list[Hit], graph: Graph) -> list[Transfer]:
    """Reuse edges between holders, each with the passage carrying the clause if the edge has one."""
    spans: dict[str, dict[str, list[tuple[int, int]]]] = defaultdict(dict)  # version -> sha -> matched spans
    for h in hits:
        for c in h.copies:
            spans[h.version or h.sha256][c.sha256] = [m.span for m in c.matches]
    out = []
    for e in graph.edges:
        if e["kind"] != "reuse" or e["source"] not in spans or e["target"] not in spans:
            continue
        src = spans[e["source"]].get(e.get("source_sha256") or "", [])
        tgt = spans[e["target"]].get(e.get("target_sha256") or "", [])
        carrier = next(
            (p for p in e["passages"] if _overlaps(p["source_span"], src) and _overlaps(p["target_span"], tgt)), None
        )
        passage = None
        if carrier is not None:
            passage = {
                k: carrier.get(k)
                for k in ("source_span", "target_span", "relation", "counted", "common_source", "formulaic")
            }
        established = e["direction"] == "established"
        out.append(
            Transfer(
                e["source"],
                e["target"],
                e["direction"],
                "took it from" if established else "shares text with",
                e["confidence"],
                bool(e.get("conflict")),
                list(e["direction_evidence"]),
                carrier is not None,
                passage,
                e["strength"],
                shown(e),
            )
        )
    out.sort(key=lambda t: (not t.carries, -t.strength, t.source, t.target))
    return out


def _overlaps(span: list[int], spans: list[tuple[int, int]]) -> bool:
    return any(span[0] < e and s < span[1] for s, e in spans)


def cached_graph(store: Store) -> Graph | None:
    """The graph cached for the whole database, if it is current (never builds one).

    An adapter over :mod:`lineage.graph.pipeline`'s cache (its key and state
    functions): what ``build_graph(store)`` would return from its cache
    without computing dedup or anything else.
    """
    from lineage.dedup.pipeline import load_result
    from lineage.graph import pipeline as g

    res = load_result(store)
    if res is None:
        return None
    selection = sorted(store.shas())
    clusters = g._clusters(store, selection, res, None, lambda *a: None)
    key, state = g._cache_key(store, selection, clusters)
    hit = store.get_result(RESULT_KIND, key)
    if not hit or hit.get("state") != state:
        return None
    return Graph.from_dict(hit["graph"])


def _graph(store: Store, build: bool, jobs: int | None, progress: Any) -> tuple[Graph | None, str, Staleness | None]:
    got = cached_graph(store)
    if got is not None:
        return got, "cached", None
    if not build:
        old, stale = stale_graph(store)
        if old is not None:
            return Graph.from_dict(old), "stale", stale
        return None, "not built", None
    from lineage.graph.pipeline import build_graph

    return build_graph(store, jobs=jobs, progress=progress), "built", None
