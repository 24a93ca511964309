"""Which documents the report traces, and which pairs get a side-by-side page.

Both follow the graph when it ran: a pair page for every reuse edge it
shows (each edge on the graph page opens one), a provenance page for every
version a reuse edge points to, and for both sides of an edge whose direction
is uncertain (each shares text with the other; neither is the source).  Dedup adds a pair page per duplicate copy
against its canonical copy (what the copy changed, unit by unit).  Without
the graph, every document is traced against the others and the strong
trace sources get pair pages.  Versions are represented by their canonical
copies, as in the graph.
"""

from __future__ import annotations

from typing import Any

from lineage.report.data import Catalog
from lineage.report.site import Results

PAIR_MIN_SHARE = 0.05  # without the graph: a trace source explaining this share of its target gets a pair page


def trace_calls(res: Results) -> list[tuple[str, list[str]]]:
    """(target sha, the shas its sources are chosen from) of every document to trace.

    With the graph: each version a reuse edge points to (its canonical copy),
    traced against the versions those edges come from; an edge of uncertain
    direction counts both ways.  Tracing every
    document against the whole report costs about four times as much (eight
    sources aligned each) and only adds sources the graph judged too weak,
    or later than the target, to show.  Without the graph: every document
    against every other, copies of itself (dedup) left out.
    """
    shas = [d.sha256 for d in res.docs]
    if res.graph is not None:
        sources: dict[str, set[str]] = {}
        for s, t in graph_reuse_pairs(res):
            sources.setdefault(t, set()).add(s)
        for s, t in graph_reuse_pairs(res, uncertain_only=True):
            sources.setdefault(s, set()).add(t)
        return [(t, sorted(sources[t])) for t in shas if t in sources]
    copies = copies_of(res)
    return [(t, [s for s in shas if s != t and s not in copies.get(t, ())]) for t in shas]


def graph_reuse_pairs(res: Results, uncertain_only: bool = False) -> list[tuple[str, str]]:
    """(source sha, target sha) of every reuse edge the graph shows, canonical copies standing for versions.

    ``uncertain_only``: only edges whose direction is not established.
    """
    if not res.graph:
        return []
    cat = Catalog(res.docs, res.paths, res.root)
    ids: dict[str, str] = {}
    for n in res.graph.get("nodes") or []:
        if n.get("external"):
            continue
        sha = next(filter(None, (cat.sha_of(p) for p in [*(n.get("paths") or []), n.get("id")])), None)
        if sha:
            ids[str(n.get("id"))] = sha
    out = []
    for e in res.graph.get("edges") or []:
        if e.get("kind") != "reuse" or (uncertain_only and e.get("direction") == "established"):
            continue
        s = _in(cat, e.get("source_sha256")) or ids.get(str(e.get("source")))
        t = _in(cat, e.get("target_sha256")) or ids.get(str(e.get("target")))
        if s and t and s != t:
            out.append((s, t))
    return sorted(set(out))


def _in(cat: Catalog, sha: Any) -> str | None:
    return sha if isinstance(sha, str) and sha in cat.docs else None


def strong_pairs(res: Results, min_share: float = PAIR_MIN_SHARE) -> list[tuple[str, str]]:
    """(source sha, target sha) pairs that deserve a side-by-side page, in a stable order.

    With the graph: every reuse edge it shows (it has already dropped the
    weak ones, and each edge on the graph page opens its pair page).
    Without: trace sources explaining ``min_share`` of their target.
    """
    if res.graph is not None:
        return graph_reuse_pairs(res)
    cat = Catalog(res.docs, res.paths, res.root)
    pairs: set[tuple[str, str]] = set()
    for tsha, trace in res.traces.items():
        total = cat.docs[tsha].body_chars() or 1
        chars: dict[str, int] = {}
        for m in trace.get("matches") or []:
            span = m.get("target_span") or [0, 0]
            if not m.get("formulaic") and (src := cat.sha_of(m.get("source"))):
                chars[src] = chars.get(src, 0) + span[1] - span[0]
        pairs.update((s, tsha) for s, n in chars.items() if n / total >= min_share and s != tsha)
    return sorted(pairs)


def copies_of(res: Results) -> dict[str, set[str]]:
    """sha -> the other documents of its dedup cluster (copies of the same version)."""
    if not res.dedup:
        return {}
    cat = Catalog(res.docs, res.paths, res.root)
    out: dict[str, set[str]] = {}
    for c in res.dedup.get("clusters") or []:
        shas = {s for s in (cat.sha_of(p) for p in c.get("members") or []) if s}
        for s in shas:
            out[s] = shas - {s}
    return out


def copy_pairs(res: Results) -> list[tuple[str, str]]:
    """(canonical sha, copy sha) for every copy in a dedup cluster: the page that shows what a copy changes."""
    if not res.dedup:
        return []
    cat = Catalog(res.docs, res.paths, res.root)
    out = set()
    for c in res.dedup.get("clusters") or []:
        canon = cat.sha_of(c.get("canonical"))
        for p in c.get("members") or []:
            sha = cat.sha_of(p)
            if canon and sha and sha != canon:
                out.add((canon, sha))
    return sorted(out)
