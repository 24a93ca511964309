"""Trace a target document against a corpus: each reused span attributed to its most plausible source.

1. **Retrieval** (:func:`retrieve`): the target's character n-grams, and the
   keys of its whole sentences, are looked up in the corpus
   :class:`~lineage.align.index.Index`; shared fingerprints are counted per
   (target atom, corpus atom) -- a sentence found word for word counts as
   fully shared -- and source documents are chosen greedily by how much
   *more* of the target each explains (a sentence held nearly whole counting
   fully, a phrase of one half), so a copy of a source already chosen,
   or a descendant that repeats it, adds little and is left out.  A source
   known to be dated after the target (their date intervals do not overlap:
   an estimate is its range) counts for less (dates are evidence); it is
   flagged, never hidden.  Beside each chosen source, retrieval adds
   *holders*: older documents holding most of what that source shares with
   the target, its sentences looked up with their place set aside too
   (:func:`lineage.align.index.place_keys`): the province's 全省 sentence
   behind the 全市 one that only its city copies hold word for word; a
   holder whose place the target names (a name it kept from the plan it
   copied) among the first.  And
   it adds documents holding the target's passages in order, twice as long
   as any chosen source holds them (:func:`_in_context`): a plan the target
   took pool text from, stretch by stretch, adds little to the cover (each
   sentence is held somewhere), but attribution gives a passage to the
   source explaining it, and cannot give it to one never aligned; beside
   each, the oldest document holding half or more of the same passages in
   order, as its holder (the plan it copied them from).
2. **Alignment**: the target is aligned with each chosen source
   (:func:`lineage.align.aligner.pair_edges`, seeded with the index's candidates);
   the first :data:`FULL_SOURCES` with every target atom, the others only
   where the index points, between two such atoms pointing into one
   stretch of the source (:func:`_between`: a reworded sentence of a
   passage whose n-grams are too common to index; identical text is looked
   up everywhere) and on the sentences the sources before it hold only
   reworded (below :data:`WEAK_SCORE`) or only a clause of, and a
   holder -- an older document retrieval adds beside a chosen source whose
   text it holds, or chooses itself after a copy of it
   (:func:`_chosen_holders`) -- also wherever that source matched.
3. **Attribution** (:func:`lineage.align.attribution.resolve`): a target atom
   claimed by several sources goes to its most plausible origin (the
   strongest match; a copy of another candidate -- a sibling or descendant
   -- loses to it unless the target shares the copy's own text; then the
   source explaining the longer surrounding passage; then the higher level
   containing the target's jurisdiction; then the earlier definite date);
   the other sources holding it are listed as ``also_in``.

:func:`trace_documents` runs steps 2-3 on given documents (no index): the
entry point for a caller that already knows which documents share text
(the graph stage).
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from lineage.align.aligner import pair_edges
from lineage.align.attribution import LATER_PENALTY, resolve
from lineage.align.formulaic import Formulaic, corpus_formulaic
from lineage.align.index import WINDOW, Index, best_hits, place_keys, text_key
from lineage.align.places import names, own_names
from lineage.align.result import AlignResult, DocInfo, assemble, date_order
from lineage.align.sides import Side
from lineage.dates import dated_after, interval, interval_after, interval_of
from lineage.model import DEFINITE_DATES, LEVEL_RANK, Document, Jurisdiction
from lineage.store import Store

MAX_SOURCES = 8  # sources chosen by retrieval and aligned
FULL_SOURCES = 5  # the best of them are aligned with every target atom, the rest only where the index points
FILL = 10  # ... and between two of those atoms pointing into one stretch of the source (see _between)
WEAK_SCORE = 90.0  # ... and on target atoms the sources before them hold only below this, or only a clause of
MIN_GAIN = 2  # fingerprints a further source must add to be chosen
STRONG = 0.5  # a hit showing this share of the fingerprints its target atom can show holds the sentence whole ...
WEAK_WEIGHT = 0.5  # ... a weaker one (a phrase, a pool sentence reworded) counts this much in the greedy cover
HINTS_PER_ATOM = 4  # corpus atoms passed to the aligner per target atom
MAX_HOLDERS = 6  # other documents holding a chosen source's text, aligned beside it ...
OLDER_SHARE = 0.5  # ... when they hold this share of what it shares with the target
NEAR_ORIGIN = 0.8  # ... and an older one holding this share of what the older holder taken holds
COPY_SHARE = 0.3  # a candidate showing this share of the target's fingerprints is checked for being a copy of it
MAX_COPY_CHECKS = 6  # (the largest few)
RIVAL_GAIN = 0.9  # a candidate within this share of the chosen one's gain, holding other text, is aligned too
MAX_RIVALS = 2  # (at most this many)
MAX_CONTEXT = 2  # candidates added for holding the target's passages in order, longer than any chosen one ...
CONTEXT_FACTOR = 2  # ... at least this many times as long
CONTEXT_RUN = 3  # ... and this many target atoms or more
CONTEXT_MIN = 8  # ... over this many target atoms in all
CONTEXT_GAP = 2  # a passage's atoms are at most this far apart in the target ...
CONTEXT_SOURCE_GAP = 3  # ... and in the source, in the same order


@dataclass
class Retrieval:
    """What the index says: chosen sources with their evidence."""

    shas: list[str]  # chosen sources, best first
    gains: list[float]  # fingerprints each added when chosen
    hints: dict[str, dict[int, list[int]]]  # sha -> target atom -> source atom ordinals
    candidates: int  # documents sharing any fingerprint with the target
    pairs: int  # (target atom, corpus atom) pairs sharing a fingerprint
    timings: dict[str, float] = field(default_factory=dict)
    shared: dict[str, float] = field(default_factory=dict)  # candidate sha -> share of the target's fingerprints
    copies: list[str] = field(default_factory=list)  # copies of the target (its dedup version) left out
    held: dict[str, str] = field(default_factory=dict)  # holder or runner-up sha -> the chosen source it is beside


def retrieve(
    tgt: Side,
    index: Index,
    dates: dict[str, str | None] | None = None,
    max_sources: int = MAX_SOURCES,
    exclude: set[str] | None = None,
    levels: dict[str, str | None] | None = None,
    intervals: dict[str, tuple[int, int] | None] | None = None,
    places: dict[str, str | None] | None = None,
) -> Retrieval:
    """Choose the corpus documents worth aligning with ``tgt`` (numpy throughout: no per-pair Python).

    ``dates`` order ties; ``intervals`` (:meth:`lineage.store.Store.dating`; default: read from
    ``dates``, a bare year its whole year) say which documents are known to be dated after the target;
    ``places`` (:meth:`lineage.store.Store.places`) whether the target names a holder's place.
    """
    texts = [a.norm for a in tgt.atoms]
    n_t = len(texts)
    dates = dates or {}
    if intervals is None:
        intervals = {sha: interval(d) for sha, d in dates.items()}
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

    def sentences(keys: np.ndarray, places: bool = False) -> list:
        """Hits of whole sentences: each counts as fully shared, however common its n-grams."""
        out = []
        for part, q, atom in index.same_text(keys, places=places):
            doc = part.doc_of(atom)
            out.append((q, doc + base(part), atom - part.doc_starts[doc], cap[q] + 1.0))
        return out

    whole = sentences(np.fromiter((text_key(t) for t in texts), dtype=np.uint64, count=n_t))
    n_pairs += sum(len(x[0]) for x in whole)
    # and, for finding where a chosen source's text came from (its holders), so does one found with only
    # the place it was written for changed: the province's 全省 sentence behind its city copies' 全市 one
    placed = sentences(place_keys(texts, tgt.doc.jurisdiction), places=True)
    if not cols and not whole:
        return Retrieval([], [], {}, 0, 0)
    drop = np.array([i for i, s in enumerate(shas) if s in exclude], dtype=np.int64) if exclude else None

    def best(parts: list) -> tuple[np.ndarray, ...]:
        """All hits, and the best count of each (document, target atom), capped at what the atom can show."""
        if not parts:
            z = np.zeros(0, dtype=np.int64)
            return z, z, z, np.zeros(0), np.zeros(0, dtype=bool)
        q, doc, local, cnt = (np.concatenate(x) for x in zip(*parts))
        if drop is not None:
            keep = ~np.isin(doc, drop)
            q, doc, local, cnt = q[keep], doc[keep], local[keep], cnt[keep]
        return best_hits(q, doc, local, cnt)

    q, doc, local, cnt, first = best(cols + whole)
    bd, bq = doc[first], q[first]
    bc = np.minimum(cnt[first], cap[bq])
    pq, pdoc, plocal, pcnt, pfirst = best(cols + whole + placed)
    docs = np.unique(np.concatenate([bd, pdoc[pfirst]]))
    di = np.searchsorted(docs, bd)  # bd is sorted: each document's hits are one run
    starts, ends = np.searchsorted(di, np.arange(len(docs))), np.searchsorted(di, np.arange(len(docs)), "right")
    held_by = (np.searchsorted(docs, pdoc[pfirst]), pq[pfirst], np.minimum(pcnt[pfirst], cap[pq[pfirst]]))
    raw = np.bincount(di, weights=bc, minlength=len(docs)) / max(1.0, float(cap.sum()))
    shared = {shas[d]: round(float(x), 4) for d, x in zip(docs, raw) if x >= COPY_SHARE}
    target_span = interval_of(tgt.doc)
    after = np.array([interval_after(intervals.get(shas[d]), target_span) is True for d in docs], dtype=bool)
    weight = np.where(after, LATER_PENALTY, 1.0)
    tie = np.array([date_order(dates.get(shas[d])) for d in docs], dtype=object)
    covered = np.zeros(n_t)
    # what a candidate explains: the sentences it holds whole, before the phrases it shares with many more
    # (a plan holding fragments of the target's pool sentences outweighed the plan a passage came from)
    worth = np.where(bc >= STRONG * cap[bq], 1.0, WEAK_WEIGHT)
    chosen: list[int] = []
    gains: list[float] = []
    rivals: list[tuple[int, int, float]] = []  # (runner-up, the one chosen over it, its gain)
    alive = raw > 0  # documents found only through the place-free form wait to be holders
    while alive.any() and len(chosen) < max_sources:
        gain = np.bincount(di, weights=np.maximum(bc - covered[bq], 0.0) * worth, minlength=len(docs)) * weight
        gain[~alive] = -1.0
        top = gain.max()
        if top < MIN_GAIN:
            break
        # ties (copies of one text) go to the earlier document, then to the smaller sha: deterministic
        k = int(min(np.flatnonzero(gain == top), key=lambda i: (tie[i], shas[docs[i]])))
        chosen.append(k)
        gains.append(round(float(top), 1))
        alive[k] = False
        # a runner-up as strong as the one chosen: the choice is a coin toss the greedy cover cannot see
        # (two plans holding one passage's pool sentences, only one of them the whole passage in order);
        # attribution decides by the passage around each sentence, so both are aligned.  One that holds
        # mostly the chosen one's own text is its family, the holders' affair (below)
        near = np.flatnonzero(alive & (gain >= RIVAL_GAIN * top))
        if len(near):
            i = int(min(near, key=lambda j: (-gain[j], tie[j], shas[docs[j]])))
            its, chosen_its = np.zeros(n_t), np.zeros(n_t)
            its[bq[starts[i] : ends[i]]] = bc[starts[i] : ends[i]]
            chosen_its[bq[starts[k] : ends[k]]] = bc[starts[k] : ends[k]]
            if np.minimum(its, chosen_its).sum() < OLDER_SHARE * its.sum():
                rivals.append((i, k, round(float(gain[i]), 1)))
        np.maximum.at(covered, bq[starts[k] : ends[k]], bc[starts[k] : ends[k]])
    rank = np.array([LEVEL_RANK.get((levels or {}).get(shas[d]) or "", 9) for d in docs])
    alive = np.ones(len(docs), dtype=bool)
    alive[chosen] = False
    primary = len(chosen)
    pairs: list[tuple[int, int]] = []
    for i, k, g in rivals:
        if alive[i] and len(pairs) < MAX_RIVALS:
            alive[i] = False
            chosen.append(i)
            gains.append(g)
            pairs.append((i, k))
    by_sha = np.empty(len(docs), dtype=np.int64)
    by_sha[sorted(range(len(docs)), key=lambda i: shas[docs[i]])] = np.arange(len(docs))
    named = _place_named(tgt, lambda i: shas[docs[i]], places or {}, levels or {})
    pairs += _holders(chosen, gains, alive, held_by, (di, bq, bc), tie, n_t, rank, primary, after, by_sha, named)
    pairs += _chosen_holders(chosen[:primary], held_by, tie, n_t, {i for i, _ in pairs})
    # a target dated only by the years its text names (到2016年) is not known to come before anything
    signed_after = after & (tgt.doc.date_kind in DEFINITE_DATES)
    for i, g, beside in _in_context(chosen, alive & ~signed_after, (di, bq, bc, local[first]), cap, by_sha, tie):
        alive[i] = False
        chosen.append(i)
        gains.append(g)
        if beside is not None:  # the older document the one added copied its passages from: a holder of it
            pairs.append((i, beside))
    # the source atoms behind each count, for the aligner: the best few per target atom
    hints: dict[str, dict[int, list[int]]] = {}
    picked = docs[chosen] if chosen else np.zeros(0, dtype=docs.dtype)
    sel, psel = np.isin(doc, picked), np.isin(pdoc, picked)
    sd, sq, sl = (np.concatenate([x[sel], y[psel]]) for x, y in ((doc, pdoc), (q, pq), (local, plocal)))
    for d, t, a in zip(sd.tolist(), sq.tolist(), sl.tolist()):
        lst = hints.setdefault(shas[d], {}).setdefault(t, [])
        if len(lst) < HINTS_PER_ATOM and a not in lst:
            lst.append(a)
    # a holder competes for the passages of the source it holds the text of: aligned there too, even where
    # the index shows nothing of it (text too common for its n-grams to be kept, and not word for word)
    for i, k in pairs:
        mine = hints.setdefault(shas[docs[i]], {})
        for t in hints.get(shas[docs[k]], {}):
            mine.setdefault(t, [])
    held = {shas[docs[i]]: shas[docs[k]] for i, k in pairs}
    found = int((raw > 0).sum())  # documents sharing a fingerprint or a sentence with the target as it is
    return Retrieval([shas[docs[k]] for k in chosen], gains, hints, found, n_pairs, shared=shared, held=held)


def _place_named(
    tgt: Side, sha_of: Callable[[int], str], places: dict[str, str | None], levels: dict[str, str | None]
) -> Callable[[int], bool]:
    """Whether the target's text names candidate ``i``'s place (not its own, nor its province's, nor the
    country): a name it kept from the plan it copied, as a 淄博 plan reading 提升襄州通用航空产业发展水平
    took it from 襄州区's adaptation of its city's plan.  Asked of a few holders only."""
    text = "".join(a.norm for a in tgt.atoms)
    own = set(own_names(tgt.doc.jurisdiction))

    def named(i: int) -> bool:
        sha = sha_of(i)
        place, level = places.get(sha), levels.get(sha)
        if not place or not level or level == "national":
            return False
        those = names(Jurisdiction(place, level, None, None, "issuers"))
        return not own.intersection(those) and any(n in text for n in those)

    return named


def _in_context(
    chosen: list[int],
    alive: np.ndarray,
    hits: tuple[np.ndarray, ...],
    cap: np.ndarray,
    by_sha: np.ndarray,
    tie: np.ndarray,
) -> list[tuple[int, float, int | None]]:
    """Candidates holding the target's text in passages at least twice as long as any chosen source does.

    The greedy cover counts what each document explains, sentence by sentence; attribution decides by
    the passage around a sentence.  A source the target took stretches of pool text from (three to seven
    sentences at a time, with its own between them: another province's plan) adds little to the cover,
    every sentence of it held somewhere, but holds those stretches in order where the chosen sources hold
    them a sentence or two at a time.  Unretrieved, it cannot win them.  ``hits``: (candidate, target atom,
    count, source atom) of each best hit, sorted by candidate and target atom; ``alive``: the candidates
    that may still be added (not signed after the target: a later document holding the target's text in
    order copied it); ``by_sha``: each candidate's place in sha256 order, which breaks ties after ``tie``
    (the date order).  Returns (candidate, target atoms it holds in such passages, the candidate it was
    added beside or None), best first: beside each candidate taken, the oldest one holding half or more of
    the same passages in order, as a holder of it.  A plan that copied the national plan's passages with
    an edit or two and a paragraph of its own holds one more of them in order than the national plan
    does, and once it is taken the national plan's passages are no longer twice as long as any taken:
    never aligned, it could not win the passages the copy holds as the target does not.
    """
    di, bq, bc, bl = hits
    strong = bc >= STRONG * cap[bq]
    di, bq, bl = di[strong], bq[strong], bl[strong]
    out: list[tuple[int, float, int | None]] = []
    if not len(bq):
        return out
    # a passage: target atoms at most CONTEXT_GAP apart, held at increasing source atoms at most
    # CONTEXT_SOURCE_GAP apart (the target's own sentences between, the source's dropped ones)
    start = np.ones(len(bq), dtype=bool)
    step, source_step = np.diff(bq), np.diff(bl)
    start[1:] = (di[1:] != di[:-1]) | (step > CONTEXT_GAP) | (source_step <= 0) | (source_step > CONTEXT_SOURCE_GAP)
    run = np.cumsum(start) - 1
    length = np.bincount(run)[run]
    taken = np.isin(di, chosen)
    picked = 0
    while picked < MAX_CONTEXT:
        longest = np.zeros(len(cap))
        np.maximum.at(longest, bq[taken], length[taken])
        ok = (length >= CONTEXT_RUN) & (length >= CONTEXT_FACTOR * longest[bq]) & alive[di] & ~taken
        gain = np.bincount(di[ok], minlength=len(alive))
        if gain.max() < CONTEXT_MIN:
            break
        i = int(min(np.flatnonzero(gain == gain.max()), key=lambda j: (tie[j], by_sha[j])))
        out.append((i, float(gain[i]), None))
        mine = np.zeros(len(cap), dtype=bool)
        mine[bq[ok & (di == i)]] = True
        # the same passages held in order by an older document: where the one taken copied them from
        held = ok & mine[bq] & (di != i)
        share = np.bincount(di[held], minlength=len(alive))
        older = [x for x in np.flatnonzero(share >= OLDER_SHARE * gain[i]) if tie[x] < tie[i]]
        taken |= di == i
        picked += 1
        if older:
            j = int(min(older, key=lambda x: (tie[x], -share[x], by_sha[x])))
            out.append((j, float(share[j]), i))
            taken |= di == j
    return out


def _chosen_holders(
    primaries: list[int], held_by: tuple[np.ndarray, np.ndarray, np.ndarray], tie: np.ndarray, n_t: int, held: set[int]
) -> list[tuple[int, int]]:
    """(source, earlier-chosen source) where the greedy chose an older document late, after a copy of it.

    A city's copy of its province's plan can hold the target's text more fully than the plan does (the
    target's siblings localize alike) and come first; the plan then adds little and comes among the last,
    aligned only where the index points -- not at pool sentences too common for their n-grams to be
    indexed, which the copy, aligned in full, finds.  Chosen, it is paired with the copy as a holder
    would be: aligned wherever the copy matched, so that it competes for what it holds.
    """
    late = [(pos, i) for pos, i in enumerate(primaries) if pos >= FULL_SOURCES and i not in held]
    if not late:
        return []
    shares = _overlaps(primaries, held_by, n_t, len(tie))
    out: list[tuple[int, int]] = []
    for pos, i in late:
        for k, (overlap, total) in zip(primaries[:pos], shares):
            if tie[i] < tie[k] and overlap[i] >= OLDER_SHARE * total:
                out.append((i, k))
                break
    return out


def _overlaps(
    sources: list[int], hits: tuple[np.ndarray, np.ndarray, np.ndarray], n_t: int, n: int
) -> list[tuple[np.ndarray, float]]:
    """Per source: what each of the ``n`` candidates holds of what that source shares with the target, and that
    total.  ``hits``: (candidate, target atom, count) of each best hit."""
    hd, hq, hc = hits
    out = []
    for k in sources:
        mine = np.zeros(n_t)
        sel = hd == k
        mine[hq[sel]] = hc[sel]
        out.append((np.bincount(hd, weights=np.minimum(hc, mine[hq]), minlength=n), float(mine.sum())))
    return out


def _holders(
    chosen: list[int],
    gains: list[float],
    alive: np.ndarray,
    held_by: tuple[np.ndarray, np.ndarray, np.ndarray],
    exact_by: tuple[np.ndarray, np.ndarray, np.ndarray],
    tie: np.ndarray,
    n_t: int,
    rank: np.ndarray,
    primary: int | None = None,
    after: np.ndarray | None = None,
    by_sha: np.ndarray | None = None,
    named: Callable[[int], bool] | None = None,
) -> list[tuple[int, int]]:
    """Add, for each chosen source, the candidates holding most of what it shares with the target.

    Retrieval's greedy coverage picks one document of a family, and the
    others add little after it; but which one the target took its text from
    is attribution's to decide, so they are aligned too: the earliest
    candidate holding at least OLDER_SHARE of it (documents derived from one
    original, the city plans of a province, hold the target's text as the
    target has it -- two cities localize 全省 -> 全市 alike -- and one of
    them can beat the original in retrieval), with the older one holding
    NEAR_ORIGIN of all of it where that earliest one holds much less (the
    province's older plan sharing half its paragraphs, before the plan the
    source copied whole), and the one holding most of it
    (a county plan that took a city's text and added its own, which the
    target took in turn).  The budget (MAX_HOLDERS) goes first to each
    source's original (the older candidate holding NEAR_ORIGIN of its text),
    then to the other holders round by round, one per source a round; the
    holders of sources dated after the target first in each.  A holder whose
    place the target names (``named``: :func:`_place_named`) comes with the
    originals: the target kept a name of the plan it copied, a county's
    adaptation of its city's plan that the greedy cover passed over for the
    city's, older and as full.
    ``held_by``, ``exact_by``: (document, target atom, count) of each best hit,
    with and without sentences found with their place set aside; ``primary``: how many of ``chosen`` the
    greedy cover picked (the rest, its close runners-up, have holders of their own only as those do);
    ``after``: per candidate, whether it is dated after the target (its holders are looked for first);
    ``by_sha``: per candidate, its place in sha256 order, which breaks ties (not its place in the index,
    which depends on whether the index was built at once or extended).
    Returns (holder, source it holds the text of).
    """
    # the sources dated after the target first: one gave it nothing (attribution's rule 0), so the older
    # documents behind it -- the province plan two of its cities copied -- are where the target's text came
    # from, and must not wait until the budget is spent on the holders of the others
    first = chosen[:primary]
    tiebreak = by_sha if by_sha is not None else np.arange(len(alive))
    if after is not None:
        first = sorted(first, key=lambda k: not after[k])
    # (holder, the source it holds the text of, whether it is that source's original or named by the target,
    # what it holds of it)
    planned: list[tuple[int, int, bool, float]] = []

    # the older holders first (the origin of a family: its text found with the place set aside), then the
    # fullest ones (as the target has it: the place set aside, every sibling would be as full)
    for older, held in (
        (True, _overlaps(first, held_by, n_t, len(alive))),
        (False, _overlaps(first, exact_by, n_t, len(alive))),
    ):
        for k, (overlap, total) in zip(first, held):
            ok = alive & (overlap >= OLDER_SHARE * total) & (overlap >= MIN_GAIN)
            if older:
                ok &= tie < tie[k]
            idx = np.flatnonzero(ok)
            if not len(idx):
                continue
            i = int(
                min(idx, key=lambda j: (tie[j], -overlap[j], tiebreak[j]))
                if older
                else max(idx, key=lambda j: (overlap[j], -tiebreak[j]))
            )
            picks = [i]
            if older:
                # an older document of a higher level holding nearly as much as that one (the province plan
                # its city reprints and the target's siblings outscore by holding the same edits): aligned too
                near = alive & (tie < tie[i]) & (rank < rank[i]) & (overlap >= NEAR_ORIGIN * overlap[i])
                near &= overlap >= MIN_GAIN
                near[i] = False
                prior = np.flatnonzero(near)
                if len(prior):
                    picks.append(int(min(prior, key=lambda j: (tie[j], -overlap[j], tiebreak[j]))))
                # and the older one holding nearly all of it, where the earliest holds much less (an older
                # plan of the province sharing half its paragraphs, before the plan a sibling copied whole)
                full = int(max(idx, key=lambda j: (overlap[j], -tiebreak[j])))
                if (
                    full not in picks
                    and overlap[full] >= NEAR_ORIGIN * total
                    and overlap[i] < NEAR_ORIGIN * overlap[full]
                ):
                    picks.append(full)
            # of an older one's picks, the one holding nearly all of the source's text is its original
            best = max(picks, key=lambda p: overlap[p]) if older else -1
            for p in picks:
                alive[p] = False
                leading = (p == best and overlap[p] >= NEAR_ORIGIN * total) or (named is not None and named(p))
                planned.append((p, k, leading, round(float(overlap[p]), 1)))

    # the budget: every source's original first, then the other holders round by round, one per source a
    # round -- a city copy of a province's plan, chosen sixth or seventh for holding a few more of the
    # target's pool sentences, must not wait until the sources chosen before it have taken two or three
    # holders each, nor until a county plan dated after the target has had its city's plan, the province's
    # and an older edition aligned; in each, the holders of the sources dated after the target first (one
    # of them gave the target nothing: the documents behind it are where its text came from)
    late = {k for k in first if after is not None and after[k]}
    turn: dict[int, int] = {}  # source -> holders it has had a turn for
    keyed = []
    for x in sorted(planned, key=lambda x: not x[2]):  # (stable: a source's original first, then as planned)
        n = turn[x[1]] = turn.get(x[1], -1) + 1
        keyed.append(((not x[2], n, x[1] not in late), x))
    order = [x for _, x in sorted(keyed, key=lambda kx: kx[0])]
    taken = {p for p, _, _, _ in order[:MAX_HOLDERS]}
    pairs = []
    for p, k, _, gain in planned:
        if p in taken:
            chosen.append(p)
            gains.append(gain)
            pairs.append((p, k))
        else:
            alive[p] = True  # planned, over the budget: still free for the steps after this one
    return pairs


def copies_of(target: Document, shas: Iterable[str], store: Store) -> list[str]:
    """Those of ``shas`` that are copies of ``target``: the same dedup version.

    The stored clustering says so for documents it covers; any other
    candidate is compared with the target as dedup compares two copies
    (bodies without lede or notice: chrome, formatting, truncation and
    scattered typos are the same version; any changed word or number is not),
    and, as dedup clusters them, the same text issued by another government
    (a notice forwarding it) is another document, and so is the same text under
    another 文号 (issued twice); a copy saying nowhere is the
    target's only if no such document was issued before the target, no
    bare copy's title names another place and none is dated before the target
    was made (else it is that original's: see :func:`lineage.dedup.cluster.walk`);
    a target saying nowhere is no copy of a document made after its date, nor
    of one issued in another place than its title names.
    """
    from lineage.dedup.features import blocks_of, comparison_text, short_lines
    from lineage.dedup.plan import Issue, day, issued_twice, kept_apart
    from lineage.dedup.result import RESULT_KEY, RESULT_KIND, DedupResult
    from lineage.dedup.verify import compare

    shas = [s for s in shas if s != target.sha256]
    stored = store.get_result(RESULT_KIND, RESULT_KEY)
    result = DedupResult.from_dict(stored) if stored else None
    version = result.version_of(target.sha256) if result else None
    out, saying_nowhere = [], []
    original = False  # the same text was issued elsewhere before the target
    me, issued = Issue.of([target]), day(target.date)
    text = None
    for sha in shas:
        other = result.version_of(sha) if result else None
        if version is not None and other is not None:
            if other == version:
                out.append(sha)
            continue
        if text is None:
            tb = blocks_of(target)
            text, shorts = comparison_text(tb)[0], short_lines(target, tb)
        doc = store.load(sha)
        db = blocks_of(doc)
        shared = sorted(set(shorts) | set(short_lines(doc, db)))
        if compare(text, comparison_text(db)[0], mode="classify", shorts=shared).verdict != "same":
            continue
        it = Issue.of([doc])
        if issued_twice(me, it):
            d = day(doc.date)
            original |= d is not None and (issued is None or d < issued)
        elif kept_apart(me, it):
            # a bare copy dated before the target was made, or titled for another place: the original's (and
            # a bare target is no copy of a document made after it, or issued elsewhere than its title names)
            original |= bool(me.place) and not it.place
        elif me.place and not it.place:
            saying_nowhere.append(sha)
        else:
            out.append(sha)
    return out if original else out + saying_nowhere


def _between(hints: dict[int, list[int]]) -> set[int]:
    """Target atoms between two the index points at, where both point into one stretch of the source in its
    order (at most :data:`FILL` atoms apart on each side): a passage the target took, whose reworded
    sentences share only n-grams too common to index."""
    near = sorted(hints)
    out: set[int] = set()
    for a, b in itertools.pairwise(near):
        if 1 < b - a <= FILL and any(0 < y - x <= FILL for x in hints[a] for y in hints[b]):
            out.update(range(a + 1, b))
    return out


def trace_documents(
    target: Document,
    sources: list[Document],
    formulaic: Formulaic | None = None,
    keys: Callable[[str], int] | None = None,
    hints: dict[str, dict[int, list[int]]] | None = None,
    paths: dict[str, str] | None = None,
    target_side: Side | None = None,
    held: dict[str, str] | None = None,
) -> AlignResult:
    """Attribute the target's units among the given source documents (best first).

    ``hints``: per source sha, target atom -> source atom ordinals to try
    (from the index); with hints, sources after the first FULL_SOURCES are
    aligned only where they point, and on the atoms the sources before them
    hold only reworded (below WEAK_SCORE) or only a clause of.  ``paths``: the path to report for each
    source sha.  ``held``: per holder sha (a minor source retrieval added
    for holding a chosen source's text, or as its close runner-up), that source: the holder is also
    aligned wherever that source matched, not only where the index points
    -- a sentence held by many documents has n-grams too common to be
    indexed, and only a source aligned in full finds it (split or reworded
    by the target), so its origin would never compete for it.
    """
    formulaic = formulaic or Formulaic()
    tgt = target_side if target_side is not None and target_side.doc is target else Side(target)
    sides = [Side(d) for d in sources]
    per = []
    matched: dict[str, set[int]] = {}  # sha -> target atoms its edges hold
    whole_score: dict[int, float] = {}  # target atom -> the best score so far of an edge holding it whole (0: a clause)
    for rank, side in enumerate(sides):
        h = (hints or {}).get(side.doc.sha256)
        if h and any(s >= len(side.atoms) for lst in h.values() for s in lst):
            h = None  # fingerprints from an older parse of this document
        targets = None
        if h is not None and rank >= FULL_SOURCES:
            # a minor source: fuzzy matching only where the index found shared text (and next to it:
            # a split's other half); identical text is still looked up everywhere
            targets = {x for t in h for x in (t - 1, t, t + 1) if 0 <= x < len(tgt.atoms)}
            targets |= _between(h)
            targets |= matched.get((held or {}).get(side.doc.sha256, ""), set())
            # and the sentences the sources before it hold only reworded, or only a clause of: the target
            # changed them, and a pool sentence many plans hold, each with its own figures, has n-grams too
            # common to index, so the source holding it closest would never compete for it
            targets |= {t for t, score in whole_score.items() if score < WEAK_SCORE}
        edges = pair_edges(side, tgt, hints=h, targets=targets)
        per.append(edges)
        held_here = matched[side.doc.sha256] = set()
        for e in edges:
            for t in e.t:
                held_here.add(t)
                whole_score[t] = max(whole_score.get(t, 0.0), 0.0 if e.kind == "partial" else e.score)
    kept, also = resolve(tgt, sides, per)
    paths = paths or {}
    where = [paths.get(side.doc.sha256, side.doc.path) for side in sides]
    groups = [(side, edges, path) for side, edges, path in zip(sides, kept, where) if edges]
    result = assemble(
        tgt,
        groups,
        formulaic,
        deleted="inside",
        keys=keys,
        also={k: [(sides[i], e, where[i], why) for i, e, why in v] for k, v in also.items()},
    )
    infos = []
    for side, _edges, path in groups:
        info = DocInfo.of(side.doc, path)
        info.later_than_target = dated_after(side.doc, target)
        info.formulaic_only = result.summary["by_source"][path]["chars"] == 0
        infos.append(info)
    infos.sort(key=lambda i: -result.summary["by_source"][i.path]["chars"])
    result.sources = infos
    return result


@dataclass
class TraceResult:
    """A trace: the alignment result plus how the sources were found."""

    result: AlignResult
    retrieval: Retrieval
    copies: list[str] = field(default_factory=list)  # paths of the target's copies left out (same dedup version)
    # the source documents aligned, as loaded (not in the JSON): what lineage.graph.traced weighs the direction of
    documents: list[Document] = field(default_factory=list, repr=False)

    def to_dict(self) -> dict[str, Any]:
        d = self.result.to_dict()
        r = self.retrieval
        d["summary"]["retrieval"] = {
            "candidates": r.candidates,
            "pairs": r.pairs,
            "chosen": len(r.shas),
            "copies": list(self.copies),
            "timings": {k: round(v, 3) for k, v in r.timings.items()},
        }
        return d


def trace(
    target: Document,
    index: Index,
    store: Store,
    max_sources: int = MAX_SOURCES,
    formulaic: Formulaic | None = None,
    sources: Iterable[str] | None = None,
    include_copies: bool = False,
) -> TraceResult:
    """Trace ``target`` against the corpus of ``store`` through ``index``.

    ``sources``: the only documents that may be chosen (default: the whole
    index).  The index still covers the whole store, so formulaic text is
    decided by the same document frequencies whatever the choice.  Copies of
    the target (its dedup version: :func:`copies_of`) are never its sources,
    unless ``include_copies``.
    """
    t0 = time.perf_counter()
    tgt = Side(target)
    exclude = {target.sha256}
    if sources is not None:
        exclude |= set(index.all_shas()) - set(sources)
    dates, levels, spans = store.dating()
    places = store.places()
    r = retrieve(
        tgt, index, dates, max_sources=max_sources, exclude=exclude, levels=levels, intervals=spans, places=places
    )
    if not include_copies and r.shared:
        big = sorted(r.shared, key=lambda sha: (-r.shared[sha], sha))[:MAX_COPY_CHECKS]
        copies = copies_of(target, big, store)
        if copies:
            r = retrieve(
                tgt,
                index,
                dates,
                max_sources=max_sources,
                exclude=exclude | set(copies),
                levels=levels,
                intervals=spans,
                places=places,
            )
            r.copies = copies
    t1 = time.perf_counter()
    docs = [store.load(sha) for sha in r.shas]
    paths = {}
    for d in docs:
        p = store.paths_of(d.sha256)
        paths[d.sha256] = p[0] if p else d.path
    t2 = time.perf_counter()
    formulaic = formulaic or corpus_formulaic(index, store)
    result = trace_documents(
        target, docs, formulaic, keys=text_key, hints=r.hints, paths=paths, target_side=tgt, held=r.held
    )
    t3 = time.perf_counter()
    r.timings = {"retrieve": t1 - t0, "load": t2 - t1, "align": t3 - t2}
    copies = []
    for sha in r.copies:
        p = store.paths_of(sha)
        copies.append(p[0] if p else sha)
    return TraceResult(result, r, copies, docs)
