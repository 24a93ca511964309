"""Which versions of the corpus to align with which: candidate pairs from the n-gram index.

For each version (its canonical copy), the corpus index says which other
versions share fingerprints with which of its atoms (sentences, headings,
tables), as :func:`lineage.align.trace.retrieve` does for a trace.  Here the
graph looks at every document at once:

* only versions **earlier** are sources of a version (:meth:`Retriever.before`:
  by date where two dates are apart, else the higher administrative level,
  the undated one, then the graph's order, ``lineage.graph.nodes.order_key``),
  so every pair is aligned once, from its later side; the direction of an
  edge is decided afterwards from the evidence, never from this order;
* sources are chosen greedily by how much *more* of the target each
  explains (a copy of a chosen source, or a sibling repeating their parent,
  adds little), and must add clearly more than the **background**: in a
  large corpus every document shares a few stock clauses with most others,
  so a source must add several times what the target shares with a typical
  unrelated version (:func:`background`);
* for each chosen source, the earlier candidate that holds most of what it
  shares is aligned too (two cities localize a provincial sentence the same
  way, so a sibling can beat the province in retrieval; aligned, the
  province is preferred as the older, fuller explanation);
* a candidate left out because chosen sources explain what it shares is
  kept as *explained* (both draw on a third document, or the text travelled
  through it): the graph reports such pairs without aligning them;
* text found in versions of many provinces (``wide``) does not count towards
  a gain, except for national documents, the expected origin of such text.

Formulaic atoms (curated list, or corpus document frequency) take no part.

Units: a count is of winnowed fingerprints, about one per 4.5 characters
of shared text (:data:`lineage.align.index.WINDOW`); an identical sentence counts
as fully shared however common its n-grams.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from lineage.align.formulaic import Formulaic
from lineage.align.index import DF_CAP, WINDOW, Index, best_hits, text_key

MAX_SOURCES = 6  # earlier versions chosen per version ...
MAX_ANCESTORS = 2  # ... plus this many older candidates holding what a chosen one shares
ANCESTOR_SHARE = 0.5  # (holding at least this share of it)
MIN_GAIN = 2.0  # fingerprints a source must add to be chosen: about a 12-character clause
# The background: the BACKGROUND_RANK-th largest sharing among the target's candidates (a province with
# its cities and counties is a smaller family than that, so it does not set the background); none with
# fewer candidates.  A fixed rank, not a quantile: the candidates sharing a clause or two grow with the
# corpus, and a quantile would sink into them (at 5,000 documents the 10% quantile was a quarter of the
# 30th largest, and versions aligned 2.7 times as many sources as at 1,000).
BACKGROUND_RANK = 30
# A source must add BACKGROUND_FACTOR times the background, or CAPACITY_SHARE of all the target could
# share if that is less (a corpus of a hundred documents keeps more stock n-grams in its index than one
# of thousands, so its background is high).
BACKGROUND_FACTOR = 5.0
CAPACITY_SHARE = 0.05
RELATIVE_GAIN = 0.0  # sources after the first must add this share of what the first added
EXPLAIN_MIN = 4.0  # an unchosen candidate sharing at least this much (and the threshold) is "explained"
HINTS_PER_ATOM = 4  # source atoms passed to the aligner per target atom
WELL = 0.5  # an atom is well covered by a version that shows this share of its fingerprints
WIDE_PROVINCES = 5  # text well covered in versions of this many provinces is widely shared


class _Copies:
    """The atoms of a target holding each of its distinct texts (``which``: each atom's text number)."""

    def __init__(self, which: np.ndarray, n: int) -> None:
        self.atoms = np.argsort(which, kind="stable")
        self.count = np.bincount(which, minlength=n)
        self.first = np.cumsum(self.count) - self.count

    def of(self, u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Each hit of distinct texts ``u`` once per atom holding its text: (atom, the hit's row)."""
        n = self.count[u]
        rows = np.repeat(np.arange(len(u)), n)
        within = np.arange(len(rows)) - np.repeat(np.cumsum(n) - n, n)
        return self.atoms[self.first[u][rows] + within], rows


@dataclass
class Candidates:
    """Retrieval for one version: the sources to align, and the pairs other sources explain."""

    target: int  # version index
    chosen: list[int] = field(default_factory=list)  # version indices, best first
    gains: list[float] = field(default_factory=list)  # fingerprints each added when chosen
    raw: dict[int, float] = field(default_factory=dict)  # every candidate (earlier or not): fingerprints shared
    hints: dict[int, dict[int, list[int]]] = field(
        default_factory=dict
    )  # chosen version -> target atom -> source atoms
    # earlier candidates not chosen: (version, shared, left unexplained, the chosen version explaining most of it)
    explained: list[tuple[int, float, float, int]] = field(default_factory=list)
    wide: set[int] = field(default_factory=set)  # target atoms found in versions of many provinces
    background: float = 0.0  # what the target shares with a typical unrelated version (0: too few to tell)


class Retriever:
    """Candidate search over one index for the versions of one graph.

    ``reps``: canonical sha of each version (index = version number);
    ``rank``: each version's position in the graph order (earlier = smaller);
    ``provinces``: each version's province code ("nat" national, "" unknown).
    """

    def __init__(
        self,
        index: Index,
        reps: list[str],
        rank: list[int],
        formulaic: Formulaic,
        provinces: list[str] | None = None,
        spans: list[tuple[int, int] | None] | None = None,
        levels: list[int] | None = None,
    ) -> None:
        self.index = index
        self.rank = np.asarray(rank, dtype=np.int64)
        # each version's date as (first day, last day) ordinals, and its level's rank (0: national)
        self.dated = np.array([x is not None for x in spans], dtype=bool) if spans else None
        self.lo = np.array([x[0] if x else 0 for x in spans], dtype=np.int64) if spans else None
        self.hi = np.array([x[1] if x else 0 for x in spans], dtype=np.int64) if spans else None
        self.level = np.asarray(levels, dtype=np.int64) if levels else None
        self.formulaic = formulaic
        codes = {p: i for i, p in enumerate(sorted({p for p in provinces or [] if p and p != "nat"}))}
        # province number per version, -1 for national or unknown (they do not make text "wide")
        self.province = (
            np.array([codes.get(p, -1) for p in provinces], dtype=np.int64)
            if provinces
            else np.full(len(reps), -1, dtype=np.int64)
        )
        # a national text is the expected origin of text found across provinces: never "wide" for it
        self.national = (
            np.array([p == "nat" for p in provinces], dtype=bool) if provinces else np.zeros(len(reps), dtype=bool)
        )
        by_sha = {s: i for i, s in enumerate(reps)}
        # per index part (the blob, then the delta): document number -> version number, -1 if not a version
        self.maps: dict[int, np.ndarray] = {}
        part: Index | None = index
        while part is not None:
            self.maps[id(part)] = np.array([by_sha.get(s, -1) for s in part.shas], dtype=np.int64)
            part = part.delta

    def before(self, vers: np.ndarray, target: int) -> np.ndarray:
        """Which of ``vers`` may be sources of ``target`` (each pair is aligned once, from its later side).

        Where the dates tell (both dated, the intervals apart), the earlier one; where they do not (an
        estimate's range overlapping the other date, or no date: a body without its notice), the higher
        administrative level, then the undated one, then the graph's order.  By the order alone (an
        interval's middle, the undated last), a dated city plan whose province plan is undated, or
        estimated at a later middle, never had it as a candidate and took its text from a cousin instead
        (bodies-only seed 7: 21% of a 绍兴 plan credited to an 安吉 plan, both from 浙江's, the
        direction "established" by the 浙江 words 安吉 kept).
        """
        by_order = self.rank[vers] < self.rank[target]
        if self.dated is None or self.level is None or self.lo is None or self.hi is None:
            return by_order
        dv, dt = self.dated[vers], bool(self.dated[target])
        lv, lt = self.level[vers], self.level[target]
        apart = dv & dt & ((self.hi[vers] < self.lo[target]) | (self.lo[vers] > self.hi[target]))
        by_date = self.hi[vers] < self.lo[target]
        by_level = np.where(lv != lt, lv < lt, np.where(dv == dt, by_order, ~dv))
        return np.where(apart, by_date, by_level)

    def atom_mask(self, texts: list[str]) -> np.ndarray:
        """Atoms that may count as shared text: not formulaic."""
        return np.fromiter((not self.formulaic(t, text_key(t)) for t in texts), dtype=bool, count=len(texts))

    def candidates(
        self, target: int, texts: list[str], mask: np.ndarray | None = None, max_sources: int = MAX_SOURCES
    ) -> Candidates:
        n_t = len(texts)
        out = Candidates(target)
        if not n_t:
            return out
        mask = self.atom_mask(texts) if mask is None else mask
        cap = np.maximum(1.0, np.fromiter((len(t) for t in texts), dtype=np.float64, count=n_t) * 2.0 / (WINDOW + 1))
        cap[~mask] = 0.0
        cols = []
        # Each distinct text is looked up once and its hits in the target itself dropped before they
        # are given to every atom holding it: a text the target repeats R times holds R of the index's
        # atoms, so looking up each copy made R² hits (a page's text pasted 375 times into one 20 MB
        # line asked numpy for 19 GB).
        number: dict[str, int] = {}
        which = np.fromiter((number.setdefault(t, len(number)) for t in texts), dtype=np.int64, count=n_t)
        distinct = list(number)
        copies = _Copies(which, len(distinct))
        for part, u, atom, cnt in self.index.hits(distinct):
            doc = part.doc_of(atom)
            ver = self.maps[id(part)][doc]
            other = ver != target
            q, rows = copies.of(u[other])
            cols.append(
                (q, ver[other][rows], (atom - part.doc_starts[doc])[other][rows], cnt[other][rows].astype(np.float64))
            )
        keys = np.fromiter((text_key(t) for t in distinct), dtype=np.uint64, count=len(distinct))
        # a sentence found word for word counts in full, unless it is in more documents than the index keeps
        # n-grams of: then it is stock text of this corpus, as common as the n-grams the index dropped
        common = np.fromiter((self.index.df(int(k)) > DF_CAP for k in keys), dtype=bool, count=len(distinct))
        for part, u, atom in self.index.same_text(keys):
            doc = part.doc_of(atom)
            ver = self.maps[id(part)][doc]
            keep = ~common[u] & (ver != target)
            q, rows = copies.of(u[keep])
            cols.append((q, ver[keep][rows], (atom - part.doc_starts[doc])[keep][rows], cap[q] + 1.0))
        if not cols:
            return out
        q, ver, local, cnt = (np.concatenate(x) for x in zip(*cols))
        keep = (ver >= 0) & (ver != target) & mask[q]
        q, ver, local, cnt = q[keep], ver[keep], local[keep], cnt[keep]
        if not len(q):
            return out
        # best count per (version, target atom), capped at what the atom can show
        q, ver, local, cnt, first = best_hits(q, ver, local, cnt)
        bv, bq = ver[first], q[first]
        bc = np.minimum(cnt[first], cap[bq])
        # text well covered in versions of many provinces (the target's counted) travelled widely:
        # its origin is not in this pair
        good = cnt[first] >= WELL * cap[bq]
        pv = self.province[bv[good]]
        gq = bq[good][pv >= 0]
        if len(gq):
            k = int(self.province.max()) + 1
            own = int(self.province[target])
            pairs = gq * k + pv[pv >= 0]
            if own >= 0:
                pairs = np.concatenate([pairs, np.unique(gq) * k + own])
            per_atom = np.bincount(np.unique(pairs) // k, minlength=n_t)
            wide = per_atom >= WIDE_PROVINCES
            if wide.any():
                out.wide = set(np.flatnonzero(wide).tolist())
                bc = np.where(wide[bq] & ~self.national[bv], 0.0, bc)
        vers, starts = np.unique(bv, return_index=True)
        ends = np.append(starts[1:], len(bv))
        raw = np.add.reduceat(bc, starts)
        out.raw = {int(v): round(float(r), 1) for v, r in zip(vers, raw)}
        out.background = background(raw)
        capacity = float(cap.sum())
        threshold = (
            max(MIN_GAIN, min(BACKGROUND_FACTOR * out.background, CAPACITY_SHARE * capacity))
            if out.background
            else MIN_GAIN
        )
        earlier = self.before(vers, target)
        # greedy marginal coverage over the earlier candidates (as trace's retrieval does)
        covered = np.zeros(n_t)
        owner = np.full(n_t, -1, dtype=np.int64)
        alive = earlier.copy()
        while alive.any() and len(out.chosen) < max_sources:
            gain = np.add.reduceat(np.maximum(bc - covered[bq], 0.0), starts)
            gain[~alive] = -1.0
            top = gain.max()
            if top < threshold:
                break
            # after the best source, others must add a fair part of what it added: a second parent
            # (passages of a national text) does; stock sentences shared with unrelated versions do not
            threshold = max(threshold, RELATIVE_GAIN * top) if not out.chosen else threshold
            # ties go to the earlier version (it is the likelier origin), then the lower number
            k = int(min(np.flatnonzero(gain == top), key=lambda i: (self.rank[vers[i]], vers[i])))
            alive[k] = False
            out.chosen.append(int(vers[k]))
            out.gains.append(round(float(top), 1))
            lo, hi = starts[k], ends[k]
            better = bc[lo:hi] > covered[bq[lo:hi]]
            owner[bq[lo:hi][better]] = vers[k]
            np.maximum.at(covered, bq[lo:hi], bc[lo:hi])
        self._ancestors(out, vers, starts, ends, bq, bc, alive, threshold, n_t)
        # hints for the aligner: the source atoms behind each count, best first
        chosen = set(out.chosen)
        sel = np.isin(ver, list(chosen)) if chosen else np.zeros(len(ver), dtype=bool)
        for v, t, a in zip(ver[sel].tolist(), q[sel].tolist(), local[sel].tolist()):
            lst = out.hints.setdefault(v, {}).setdefault(t, [])
            if len(lst) < HINTS_PER_ATOM:
                lst.append(a)
        # earlier candidates left out: what they share is explained by a chosen source (or is too little)
        for i in np.flatnonzero(earlier & alive):
            if raw[i] < max(EXPLAIN_MIN, threshold):
                continue  # too little to be worth saying, beside the background
            lo, hi = starts[i], ends[i]
            aq, ac = bq[lo:hi], bc[lo:hi]
            left = float(np.maximum(ac - covered[aq], 0.0).sum())
            by = owner[aq]
            if (by >= 0).any():
                w = np.bincount(
                    np.searchsorted(vers, by[by >= 0]),
                    weights=np.minimum(ac, covered[aq])[by >= 0],
                    minlength=len(vers),
                )
                best = int(vers[int(np.argmax(w))])
            else:
                best = -1
            out.explained.append((int(vers[i]), round(float(raw[i]), 1), round(left, 1), best))
        return out

    def _ancestors(
        self,
        out: Candidates,
        vers: np.ndarray,
        starts: np.ndarray,
        ends: np.ndarray,
        bq: np.ndarray,
        bc: np.ndarray,
        alive: np.ndarray,
        threshold: float,
        n_t: int,
    ) -> None:
        """Add, for each chosen source, the earlier candidate that has most of what it shares with the target.

        Two cities localize a provincial sentence the same way (全省 -> 全市), so a sibling can match a
        city's sentence word for word where the province only matches it localized, and win retrieval.
        Aligned too, the province can be preferred where it explains as much (earlier, and covering
        more): "both draw on the province" rather than "one city copied the other".
        """
        rank = self.rank[vers]
        added = 0
        for v in list(out.chosen):
            if added >= MAX_ANCESTORS:
                break
            k = int(np.searchsorted(vers, v))
            lo, hi = starts[k], ends[k]
            mine = np.zeros(n_t)
            mine[bq[lo:hi]] = bc[lo:hi]
            total = mine.sum()
            if not total:
                continue
            overlap = np.add.reduceat(np.minimum(bc, mine[bq]), starts)
            ok = alive & self.before(vers, v) & (overlap >= ANCESTOR_SHARE * total) & (overlap >= threshold)
            if not ok.any():
                continue
            i = max(np.flatnonzero(ok), key=lambda j: (overlap[j], -rank[j]))
            alive[i] = False
            out.chosen.append(int(vers[i]))
            out.gains.append(round(float(overlap[i]), 1))
            added += 1


def background(raw: np.ndarray) -> float:
    """The sharing of a close but unrelated version: the BACKGROUND_RANK-th largest.

    0 when there are too few candidates to tell (a small corpus: every shared clause counts).
    """
    k = BACKGROUND_RANK
    if len(raw) <= k:
        return 0.0
    return round(float(np.partition(raw, len(raw) - 1 - k)[len(raw) - 1 - k]), 1)
