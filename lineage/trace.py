"""Trace a target document against a corpus: each reused span attributed to its most plausible source.

1. **Retrieval** (:func:`retrieve`): the target's character n-grams, and the
   keys of its whole sentences, are looked up in the corpus
   :class:`~lineage.index.Index`; shared fingerprints are counted per
   (target atom, corpus atom) -- a sentence found word for word counts as
   fully shared -- and source documents are chosen greedily by how much
   *more* of the target each explains, so a copy of a source already chosen,
   or a descendant that repeats it, adds little and is left out.  A source
   dated after the target counts for less (dates are evidence); it is
   flagged, never hidden.
2. **Alignment**: the target is aligned with each chosen source
   (:func:`lineage.align.pair_edges`, seeded with the index's candidates);
   the first :data:`FULL_SOURCES` with every target atom, the others only
   where the index points (identical text is looked up everywhere).
3. **Attribution** (:func:`resolve`): sources are ranked by coherence
   (:func:`coherence_order`: how much of the target each explains beyond
   those ranked before it); a target atom claimed by several sources goes
   to the strongest match (identical or only localized beats modified,
   then the higher score, merged and split counting
   :data:`~lineage.align.KIND_PENALTY` less as they do inside one pair) and,
   among equals, to the better-ranked source.  Lifted clauses (``partial``)
   only fill atoms no whole match claimed, those with the most characters in
   common first.

:func:`trace_documents` runs steps 2-3 on given documents (no index): the
entry point for a caller that already knows which documents share text
(the graph stage).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .align import KIND_PENALTY, pair_edges
from .align_result import AlignResult, DocInfo, assemble, later
from .edges import Edge
from .formulaic import Formulaic
from .index import WINDOW, Index, best_hits, text_key
from .model import Document
from .sides import Side
from .store import Store

MAX_SOURCES = 8  # sources chosen by retrieval and aligned
FULL_SOURCES = 5  # the best of them are aligned with every target atom, the rest only where the index points
SCORE_SLACK = 0.0  # a better-ranked source wins a target atom only on an equal strength
MIN_GAIN = 2  # fingerprints a further source must add to be chosen
HINTS_PER_ATOM = 4  # corpus atoms passed to the aligner per target atom
LATER_PENALTY = 0.75  # a source dated after the target counts for this much when choosing


@dataclass
class Retrieval:
    """What the index says: chosen sources with their evidence."""

    shas: list[str]  # chosen sources, best first
    gains: list[float]  # fingerprints each added when chosen
    hints: dict[str, dict[int, list[int]]]  # sha -> target atom -> source atom ordinals
    candidates: int  # documents sharing any fingerprint with the target
    pairs: int  # (target atom, corpus atom) pairs sharing a fingerprint
    timings: dict[str, float] = field(default_factory=dict)


def retrieve(tgt: Side, index: Index, dates: dict[str, str | None] | None = None,
             max_sources: int = MAX_SOURCES, exclude: set[str] | None = None) -> Retrieval:
    """Choose the corpus documents worth aligning with ``tgt`` (numpy throughout: no per-pair Python)."""
    texts = [a.norm for a in tgt.atoms]
    n_t = len(texts)
    dates = dates or {}
    shas: list[str] = []
    cols: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
    n_pairs = 0
    # a target atom can show at most about 2/(w+1) of its n-grams as fingerprints: cap so
    # that one long sentence does not outweigh many short ones
    cap = np.maximum(1.0, np.fromiter((len(t) for t in texts), dtype=np.float64, count=n_t) * 2.0 / (WINDOW + 1))
    offset: dict[int, int] = {}

    def base(part: Index) -> int:
        """Where the part's (blob or delta) documents start in ``shas``."""
        if id(part) not in offset:
            offset[id(part)] = len(shas)
            shas.extend(part.shas)
        return offset[id(part)]

    for part, q, atom, cnt in index.hits(texts):
        doc = part.doc_of(atom)
        cols.append((q, doc + base(part), atom - part.doc_starts[doc], cnt.astype(np.float64)))
        n_pairs += len(q)
    # a sentence found word for word counts as fully shared, however common its n-grams
    keys = np.fromiter((text_key(t) for t in texts), dtype=np.uint64, count=n_t)
    for part, q, atom in index.same_text(keys):
        doc = part.doc_of(atom)
        cols.append((q, doc + base(part), atom - part.doc_starts[doc], cap[q] + 1.0))
        n_pairs += len(q)
    if not cols:
        return Retrieval([], [], {}, 0, 0)
    q, doc, local, cnt = (np.concatenate(x) for x in zip(*cols))
    if exclude:
        keep = ~np.isin(doc, [i for i, s in enumerate(shas) if s in exclude])
        q, doc, local, cnt = q[keep], doc[keep], local[keep], cnt[keep]
    q, doc, local, cnt, first = best_hits(q, doc, local, cnt)
    bd, bq = doc[first], q[first]
    bc = np.minimum(cnt[first], cap[bq])
    docs, starts = np.unique(bd, return_index=True)
    target_date = tgt.doc.date
    weight = np.array([LATER_PENALTY if later(dates.get(shas[d]), target_date) else 1.0 for d in docs])
    tie = np.array([dates.get(shas[d]) or "9999" for d in docs], dtype=object)
    covered = np.zeros(n_t)
    chosen: list[int] = []
    gains: list[float] = []
    alive = np.ones(len(docs), dtype=bool)
    while alive.any() and len(chosen) < max_sources:
        gain = np.add.reduceat(np.maximum(bc - covered[bq], 0.0), starts) * weight
        gain[~alive] = -1.0
        top = gain.max()
        if top < MIN_GAIN:
            break
        # ties (copies of one text) go to the earlier document, then to the smaller sha: deterministic
        k = min(np.flatnonzero(gain == top), key=lambda i: (tie[i], shas[docs[i]]))
        chosen.append(k)
        gains.append(round(float(top), 1))
        alive[k] = False
        lo, hi = starts[k], (starts[k + 1] if k + 1 < len(starts) else len(bd))
        np.maximum.at(covered, bq[lo:hi], bc[lo:hi])
    # the source atoms behind each count, for the aligner: the best few per target atom
    hints: dict[str, dict[int, list[int]]] = {}
    picked = docs[chosen] if chosen else np.zeros(0, dtype=docs.dtype)
    sel = np.isin(doc, picked)
    sd, sq, sl = doc[sel], q[sel], local[sel]
    for d, t, a in zip(sd.tolist(), sq.tolist(), sl.tolist()):
        lst = hints.setdefault(shas[d], {}).setdefault(t, [])
        if len(lst) < HINTS_PER_ATOM:
            lst.append(a)
    return Retrieval([shas[docs[k]] for k in chosen], gains, hints, len(docs), n_pairs)


def _strength(e: Edge) -> float:
    """How well an edge explains its target atom, for choosing among sources.

    Identical text and text that differs only by the jurisdiction (what every
    derived plan changes) are equally strong; any other difference, even a
    renumbered heading scored 100 on its content, is weaker, and two
    sentences made one (or one made two) must beat a one-to-one match by
    KIND_PENALTY, as when choosing inside one pair.
    """
    if e.content in ("identical", "localized"):
        return 100.0
    return min(e.score, 99.5) - (KIND_PENALTY if e.kind in ("merged", "split") else 0.0)


def _common(e: Edge) -> int:
    """Characters a partial edge's two regions have in common (its score is their share of the longer one)."""
    return round(e.score * max(e.t_range[1] - e.t_range[0], e.s_range[1] - e.s_range[0]) / 100.0)


def coherence_order(tgt: Side, sides: list[Side], per_source: list[list[Edge]]) -> dict[int, int]:
    """Rank sources by how much of the target each explains beyond the sources ranked before it.

    Greedy marginal coverage, as retrieval does with fingerprints, but on the
    alignments: a copy or a descendant of a source repeats what the source
    already explains and ranks after it.  A source dated after the target
    counts for LATER_PENALTY of its coverage; ties go to the earlier date.
    """
    n = len(tgt.atoms)
    cover = []
    for edges in per_source:
        c = np.zeros(n)
        for e in edges:
            chars = (e.t_range[1] - e.t_range[0]) if e.kind == "partial" else len(tgt.atoms[e.t[0]].norm)
            c[e.t[0]] = max(c[e.t[0]], chars * _strength(e) / 100.0)
        cover.append(c)
    weight = [LATER_PENALTY if later(side.doc.date, tgt.doc.date) else 1.0 for side in sides]
    covered = np.zeros(n)
    left = set(range(len(sides)))
    rank: dict[int, int] = {}
    while left:
        gains = {i: float(np.maximum(cover[i] - covered, 0).sum()) * weight[i] for i in left}
        i = min(left, key=lambda k: (-gains[k], sides[k].doc.date or "9999", k))
        rank[i] = len(rank)
        covered = np.maximum(covered, cover[i])
        left.discard(i)
    return rank


def resolve(tgt: Side, sides: list[Side], per_source: list[list[Edge]]) -> list[list[Edge]]:
    """Give every target atom to one source (see the module docstring); returns edges per source."""
    rank = coherence_order(tgt, sides, per_source)
    claims: dict[int, list[tuple[int, Edge]]] = defaultdict(list)
    for i, edges in enumerate(per_source):
        for e in edges:
            if e.kind != "partial":
                claims[e.t[0]].append((i, e))
    out: list[list[Edge]] = [[] for _ in sides]
    for t, cl in claims.items():
        top = max(_strength(e) for _, e in cl)
        near = [(i, e) for i, e in cl if _strength(e) >= top - SCORE_SLACK]
        i, e = min(near, key=lambda x: (rank[x[0]], -x[1].score))
        out[i].append(e)
    partials = [(i, e) for i, edges in enumerate(per_source) for e in edges
                if e.kind == "partial" and e.t[0] not in claims]
    # as inside one pair (align.partial_edges): most characters in common first, then the most verbatim;
    # a longer region is not better for taking in a neighbouring comma or a changed place name
    partials.sort(key=lambda x: (-_common(x[1]), -x[1].score, rank[x[0]], x[1].t, x[1].t_range))
    taken: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for i, e in partials:
        a, b = e.t_range
        if any(a < y and x < b for x, y in taken[e.t[0]]):
            continue
        taken[e.t[0]].append((a, b))
        out[i].append(e)
    return out


def trace_documents(target: Document, sources: list[Document], formulaic: Formulaic | None = None,
                    keys: Callable[[str], int] | None = None,
                    hints: dict[str, dict[int, list[int]]] | None = None, paths: dict[str, str] | None = None,
                    target_side: Side | None = None) -> AlignResult:
    """Attribute the target's units among the given source documents (best first).

    ``hints``: per source sha, target atom -> source atom ordinals to try
    (from the index); with hints, sources after the first FULL_SOURCES are
    aligned only where they point.  ``paths``: the path to report for each
    source sha.
    """
    formulaic = formulaic or Formulaic()
    tgt = target_side if target_side is not None and target_side.doc is target else Side(target)
    sides = [Side(d) for d in sources]
    per = []
    settled: set[int] = set()
    for rank, side in enumerate(sides):
        h = (hints or {}).get(side.doc.sha256)
        if h and any(s >= len(side.atoms) for lst in h.values() for s in lst):
            h = None  # fingerprints from an older parse of this document
        targets = None
        if h is not None and rank >= FULL_SOURCES:
            # a minor source: fuzzy matching only where the index found shared text (and next to it:
            # a split's other half); identical text is still looked up everywhere
            targets = {x for t in h for x in (t - 1, t, t + 1) if 0 <= x < len(tgt.atoms)}
        edges = pair_edges(side, tgt, hints=h, targets=targets, settled=settled)
        settled.update(e.t[0] for e in edges if e.content == "identical")
        per.append(edges)
    kept = resolve(tgt, sides, per)
    paths = paths or {}
    groups = [(side, edges, paths.get(side.doc.sha256, side.doc.path)) for side, edges in zip(sides, kept) if edges]
    result = assemble(tgt, groups, formulaic, deleted="inside", keys=keys)
    infos = []
    for side, edges, path in groups:
        info = DocInfo.of(side.doc, path)
        info.later_than_target = later(side.doc.date, target.date)
        infos.append(info)
    infos.sort(key=lambda i: -result.summary["by_source"][i.path]["chars"])
    result.sources = infos
    return result


@dataclass
class TraceResult:
    """A trace: the alignment result plus how the sources were found."""

    result: AlignResult
    retrieval: Retrieval

    def to_dict(self) -> dict[str, Any]:
        d = self.result.to_dict()
        r = self.retrieval
        d["summary"]["retrieval"] = {"candidates": r.candidates, "pairs": r.pairs, "chosen": len(r.shas),
                                     "timings": {k: round(v, 3) for k, v in r.timings.items()}}
        return d


def trace(target: Document, index: Index, store: Store, max_sources: int = MAX_SOURCES,
          formulaic: Formulaic | None = None, sources: Iterable[str] | None = None) -> TraceResult:
    """Trace ``target`` against the corpus of ``store`` through ``index``.

    ``sources``: the only documents that may be chosen (default: the whole
    index).  The index still covers the whole store, so formulaic text is
    decided by the same document frequencies whatever the choice.
    """
    t0 = time.perf_counter()
    tgt = Side(target)
    exclude = {target.sha256}
    if sources is not None:
        exclude |= set(index.all_shas()) - set(sources)
    r = retrieve(tgt, index, store.dates(), max_sources=max_sources, exclude=exclude)
    t1 = time.perf_counter()
    docs = [store.load(sha) for sha in r.shas]
    paths = {}
    for d in docs:
        p = store.paths_of(d.sha256)
        paths[d.sha256] = p[0] if p else d.path
    t2 = time.perf_counter()
    formulaic = formulaic or Formulaic(index, index.n_docs)
    result = trace_documents(target, docs, formulaic, keys=text_key, hints=r.hints, paths=paths, target_side=tgt)
    t3 = time.perf_counter()
    r.timings = {"retrieve": t1 - t0, "load": t2 - t1, "align": t3 - t2}
    return TraceResult(result, r)


def trace_for_report(store: Store, target_sha: str, shas: Iterable[str], *, jobs: int | None = None,
                     progress: Callable[[int, int, str], None] | None = None) -> dict[str, Any]:
    """The report's hook (``lineage.report.pipeline``): ``lineage trace --json`` of a stored document.

    Sources are chosen among ``shas`` only (the report's documents, or those
    the report already knows share text with the target).  ``progress``
    follows the index build when the cached index is missing or stale;
    ``jobs`` is accepted for the hook's contract (the index build sizes its
    own pool).
    """
    from .align import load_stored

    index = Index.open(store, progress=progress, skip={target_sha})  # as `lineage trace` opens it
    return trace(load_stored(store, target_sha), index, store, sources=shas).to_dict()
