"""Pair alignment: which atoms of a target document come from a source document, and how.

Atoms (:mod:`lineage.align.sides`: the sentences of paragraphs, and headings and
tables whole) are compared on normalized text:

* **one to one, merged, split** -- identical, modified or localized (one
  to one), two consecutive source sentences in one target sentence
  (``merged``) and one source sentence in two target sentences (``split``).
  Candidates come from shared character n-grams; rapidfuzz scores them
  (``process.cpdist``; all cores for big batches) -- two responsibility
  lines (（责任单位：…）) only where they name about the same units, in any
  order: the formula around the names is not content; a greedy pass takes the
  best-scoring edges first, each atom used once, ties going to the pair
  that keeps the order set by the unique identical sentences (anchors),
  then to the one whose neighbours match each other too; a target sentence
  about as close to two different source sentences (within
  :data:`NEAR_TIE`, and held neither word for word nor only localized) goes
  to the one inside the anchors' window, else to the one whose neighbours
  match too; then
  target atoms still free may take a source sentence already taken at
  :data:`REUSE_RATIO` or more (a source sentence the target uses twice).
* **clauses** -- a target sentence left without a match is searched for a
  clause lifted from a source sentence: a local alignment (cydifflib's
  matching blocks, merged across gaps of a character or two, cut back to
  the clause boundaries it reaches) of at least :data:`MIN_PARTIAL`
  characters is a ``partial`` match.

:func:`pair_edges` returns the chosen edges of a pair (:mod:`lineage.align.edges`),
each with its content relation and token diff; :func:`align` turns them into
an :class:`~lineage.align.result.AlignResult` in which every unit of both
documents is accounted for (:func:`~lineage.align.result.assemble`:
paragraph matches, ``moved``, ``added``, ``deleted``).  :mod:`lineage.align.trace`
reuses the same pieces against many sources.

The names of :mod:`lineage.align.sides`, :mod:`lineage.align.edges` and
:mod:`lineage.align.result` are importable from here too: callers import
the alignment API from one place.
"""

from __future__ import annotations

import heapq
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace

import numpy as np
from cydifflib import SequenceMatcher
from rapidfuzz import fuzz, process

from lineage.align.edges import Edge, lis, moved_flags
from lineage.align.formulaic import Formulaic, corpus_formulaic, responsibility_units
from lineage.align.index import Index, text_key
from lineage.align.places import own_names, placeless
from lineage.align.result import RELATIONS, Added, AlignResult, Deleted, DocInfo, Match, assemble
from lineage.align.sides import NGRAM, ORDERED_PARTS, Atom, Side
from lineage.dates import dated_after
from lineage.model import Document
from lineage.store import Store

__all__ = [
    "NGRAM",
    "NGRAM_CAP",
    "MAX_CANDIDATES",
    "PARALLEL_PAIRS",
    "SHORT_HITS",
    "MIN_RATIO",
    "SHORT",
    "MIN_SHORT_RATIO",
    "MIN_SHARED",
    "NEW_RUN",
    "REWORD_COVER",
    "NEAR_TIE",
    "SANDWICH",
    "KIND_PENALTY",
    "REUSE_RATIO",
    "CLAUSE_SHORT",
    "WORD_CHANGE",
    "WORD_STRETCHES",
    "SWAP_RATIO",
    "SUPPORT_T",
    "SUPPORT_S",
    "MIN_PARTIAL",
    "PARTIAL_GAP",
    "PARTIAL_JOIN",
    "PARTIAL_DENSITY",
    "ORDERED_PARTS",
    "RELATIONS",
    "Atom",
    "Side",
    "Edge",
    "lis",
    "moved_flags",
    "DocInfo",
    "Match",
    "Added",
    "Deleted",
    "AlignResult",
    "assemble",
    "candidate_edges",
    "choose",
    "partial_edges",
    "finish",
    "pair_edges",
    "placeless_texts",
    "align",
    "load_stored",
    "align_in_store",
]

NGRAM_CAP = 40  # an n-gram in more source atoms than this is not used to find candidates
MAX_CANDIDATES = 8  # source atoms scored per target atom
PARALLEL_PAIRS = 20000  # rapidfuzz scores on all cores from this many pairs
SHORT_HITS = 20  # atoms shorter than this are candidates on one shared n-gram, common ones included
MIN_RATIO = 60.0  # rapidfuzz ratio for a whole-atom match
SHORT = 12  # atoms shorter than this need ...
MIN_SHORT_RATIO = 75.0  # ... a higher ratio (short headings share words by chance)
MIN_SHARED = 6  # and a whole-atom match needs at least this many characters in common blocks
NEW_RUN = 8  # a run of new target characters this long ...
REWORD_COVER = 0.7  # ... makes a sentence new unless this share of it is source text (see _reworded)
NEAR_TIE = 5.0  # edges of one target atom this close in score are a tie: the passage around them decides
SANDWICH = 10.0  # ... and this close, where only the lower one lies between two matched neighbours
KIND_PENALTY = 4.0  # merged/split edges must beat one-to-one edges by this much
REUSE_RATIO = 80.0  # free target atoms may take a source atom already taken at this score (a lede quoting the body)
# A short sentence that gained or lost a clause is modified, however new the clause: the longer one has
# CLAUSE_SHORT[0] characters at least, the shorter CLAUSE_SHORT[1] at most and keeps CLAUSE_KEPT of them
# (扩大有效投资。 -> 扩大有效投资，稳定工业增长。), or CLAUSE_KEPT_LED where the clause is not the last (a new
# opening before a stock phrase); a modifier of up to WORD_CHANGE characters may come with the clause.
CLAUSE_SHORT = (8, 20)
CLAUSE_KEPT = 6
CLAUSE_KEPT_LED = 7
WORD_CHANGE = 4  # so is one that had a word of up to this many characters swapped, added or dropped (改善 for 优化)
WORD_STRETCHES = 2  # ... in one place or in this many (see _word_changed)
HALF_OWN = 3  # a short split's halves each holding this many characters of their own is a weak match
SWAP_RATIO = 50.0  # a short sentence's clause this unlike the source's in its place was swapped for another
SUPPORT_T, SUPPORT_S = 2, 3  # when another match lies this close on the target and the source side
MIN_PARTIAL = 12  # characters of a lifted clause
PARTIAL_GAP = 2  # matching blocks this close are one region ...
PARTIAL_JOIN = 3  # ... when the block joining is at least this long
PARTIAL_DENSITY = 0.85  # share of a region's characters inside matching blocks


# -- candidate edges ------------------------------------------------------------------------


class _SourceGrams:
    """n-gram -> source atoms, for candidate search inside one pair."""

    def __init__(self, side: Side) -> None:
        idx: dict[str, list[int]] = defaultdict(list)
        for a in side.atoms:
            if a.aligned:
                for g in a.grams:
                    idx[g].append(a.i)
        self.idx = idx

    def hits(self, atom: Atom) -> Counter:
        c: Counter = Counter()
        get = self.idx.get
        # a short sentence has few n-grams: use even the common ones
        cap = NGRAM_CAP if len(atom.norm) >= SHORT_HITS else len(self.idx) + 1
        for g in atom.grams:
            lst = get(g)
            if lst and len(lst) <= cap:
                c.update(lst)
        return c


_UNIT_CUT = re.compile(r"[、,;]")


def _other_units(ua: str | None, ub: str | None) -> bool:
    """Whether two responsibility lines name other units (``ua``, ``ub``: :func:`responsibility_units` of each,
    None for other text): (责任单位：市委人才办、市人力社保局) is not (责任单位：市经信委、市商务局) reworded,
    however alike the formula around the names makes them; the same units in another order are the same line."""
    if ua is None or ub is None or fuzz.ratio(ua, ub) >= MIN_RATIO:
        return False
    return fuzz.ratio("、".join(sorted(_UNIT_CUT.split(ua))), "、".join(sorted(_UNIT_CUT.split(ub)))) < MIN_RATIO


def _accept(score: float, a: str, b: str) -> bool:
    short = min(len(a), len(b)) < SHORT
    return score >= (MIN_SHORT_RATIO if short else MIN_RATIO)


_CLAUSE_CUT = re.compile(r"[,;:。!?、]")
_CLAUSE_END = re.compile(r"[,;:。!?]")


def _shared(a: str, b: str) -> tuple[int, int, int, bool]:
    """How ``b`` (target) relates to ``a`` (source) character by character.

    Returns the characters in common, the longest run of ``b`` with nothing
    in ``a``, the longest run ``a`` lost where ``b`` put as long a run of its
    own in the same place (text swapped, not modifiers added here and a
    clause dropped there), and whether ``b`` has a whole clause (two or
    more characters between punctuation) with nothing in ``a``.  Runs and
    clauses are measured against common blocks of two or more characters,
    so a stray 的 in common does not cut a new clause in two.
    """
    shared = 0
    t_run = s_run = 0
    tpos = spos = 0
    covered = bytearray(len(b))
    for m in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks():
        shared += m.size
        if m.size >= 2 or m.size == 0:
            t_run = max(t_run, m.b - tpos)
            s_run = max(s_run, min(m.a - spos, m.b - tpos))
            tpos, spos = m.b + m.size, m.a + m.size
            covered[m.b : m.b + m.size] = b"\x01" * m.size
    new_clause = False
    pos = 0
    for cut in [c.start() for c in _CLAUSE_CUT.finditer(b)] + [len(b)]:
        if cut - pos >= 2 and not any(covered[pos:cut]):
            new_clause = True
            break
        pos = cut + 1
    return shared, t_run, s_run, new_clause


def _reworded(a: str, b: str) -> bool:
    """Whether target ``b`` is source ``a`` reworded, rather than new text around a piece of ``a``.

    Rewording changes words, numbers and names, adds modifiers or drops a
    clause.  A clause of the target with nothing in the source is new text;
    so is a run of :data:`NEW_RUN` or more new target characters when the
    source lost a run as long in its place (a clause swapped for another) or when
    less than :data:`REWORD_COVER` of the target is source text.  Such a
    sentence is at most a ``partial`` reuse of the clause it shares.
    """
    shared, t_run, s_run, new_clause = _shared(a, b)
    if shared < min(MIN_SHARED, len(b)) or new_clause:
        return False
    return t_run < NEW_RUN or (s_run < NEW_RUN and shared >= REWORD_COVER * len(b))


_SENTENCE_END = "。!?;"
_CLAUSE_SPLIT = re.compile(r"[,;:]")


def _clauses(text: str) -> list[str]:
    return _CLAUSE_SPLIT.split(text.rstrip(_SENTENCE_END))


def _clause_changed(a: str, b: str, own: list[str] | None = None) -> bool:
    """Whether a short sentence gained or lost one clause: the other one, clause for clause, plus one.

    ``——质量效益显著提升,确保落地见效。`` from ``——质量效益显著提升。`` (or the other way):
    too little text for the ratio thresholds, and a whole new clause, which
    would otherwise make the sentence new (see _reworded).  The sentences must
    agree on every other clause, up to a character, or with the names in
    ``own`` (both sides' places) and the level words set aside: 扶持潍坊制造品牌，实施产品换代计划。
    from 扶持山东制造品牌。, or up to a modifier of a word or two (大力引进高端人才团队，完善配套服务。 from
    引进高端人才团队。).  The shorter keeps :data:`CLAUSE_KEPT` characters at least, the longer is
    ``CLAUSE_SHORT[0]`` characters at least: 扩大有效投资，稳定工业增长。 from 扩大有效投资。; a clause put
    anywhere but last needs :data:`CLAUSE_KEPT_LED` (智能制造装备，聚焦产业集群。 is no edit of
    聚焦产业集群。, a stock phrase the target wrote an opening for).  A weak match
    (it stands only beside another match of the pair, see :func:`_supported`).
    """
    short, long_ = sorted((a, b), key=len)
    lo, hi = CLAUSE_SHORT
    if len(short) > hi or len(long_) < lo:
        return False
    cs, cl = _clauses(short), _clauses(long_)
    letters = len("".join(cs))
    if len(cl) != len(cs) + 1 or letters < CLAUSE_KEPT:
        return False
    kept = ",".join(cs)
    for i, extra in enumerate(cl):
        # (a clause before the last one: an opening the target wrote for a stock phrase needs more kept)
        if len(extra) < 2 or (i < len(cs) and letters < CLAUSE_KEPT_LED):
            continue
        rest = ",".join(cl[:i] + cl[i + 1 :])
        if (
            rest == kept
            or fuzz.ratio(rest, kept) >= 90.0
            or (own and placeless(rest, own) == placeless(kept, own))
            or _modifier_changed(kept, rest)
        ):
            return True
    return False


def _modifier_changed(a: str, b: str) -> bool:
    """Whether one holds the other whole, up to :data:`WORD_CHANGE` characters more (大力, 全面 added), both
    keeping :data:`CLAUSE_KEPT` characters: 投资 is no modifier's worth of 扩大有效投资."""
    short, long_ = sorted((a, b), key=len)
    return short in long_ and len(long_) - len(short) <= WORD_CHANGE and len(short) >= CLAUSE_KEPT


def _clause_swapped(a: str, b: str) -> bool:
    """Whether short target ``b`` kept all clauses of ``a`` but one, and put an unrelated clause in its place.

    ``通过2—3年努力，围绕产业特色。`` from ``通过2—3年努力，数字产业快速发展。``: a stock opening
    and a new statement.  The two share 产业 as well, which cuts the new text into runs too short for
    :func:`_reworded`; clause by clause it is a swap (less than :data:`SWAP_RATIO` in common), a new
    sentence, not this one reworded.  Only for targets of up to ``CLAUSE_SHORT[1]`` characters: in a
    longer sentence the new text runs long enough to be seen as such.
    """
    if len(b) > CLAUSE_SHORT[1] + 1:
        return False
    ca, cb = _clauses(a), _clauses(b)
    if len(cb) < 2 or len(ca) != len(cb):
        return False
    odd = [(x, y) for x, y in zip(ca, cb) if x != y and fuzz.ratio(x, y) < 90.0]
    if len(odd) != 1:
        return False
    x, y = odd[0]
    return len(y) >= 4 and fuzz.ratio(x, y) < SWAP_RATIO and not _word_changed(x, y)


def _word_changed(a: str, b: str) -> bool:
    """Whether a short sentence had a word swapped, added or dropped, in one place or two.

    ``（四）改善营商环境。`` from ``（四）优化营商环境。``, ``推动数字化转型`` -> ``加快推进数字化转型``:
    four characters in common with six are below any ratio a longer sentence
    needs, yet the rest of the sentence is kept as it was, in order.  At most
    :data:`WORD_CHANGE` characters differ on each side, in one stretch or
    :data:`WORD_STRETCHES` with a word (two characters or more) kept between
    them (全面强化政策鼓励 from 强化政策支持), and what is kept is half the
    sentence or more (four characters at least).
    Words, not figures: ``2022年1月4日`` is not ``2022年4月30日`` reworded.
    """
    hi = CLAUSE_SHORT[1]
    if len(a) > hi + 2 or len(b) > hi + 2:
        return False  # (most pairs: before stripping anything)
    a, b = a.rstrip(_SENTENCE_END), b.rstrip(_SENTENCE_END)
    if a == b or max(len(a), len(b)) > hi:
        return False
    m = min(len(a), len(b))
    p = 0
    while p < m and a[p] == b[p]:
        p += 1
    q = 0
    while q < m - p and a[-1 - q] == b[-1 - q]:
        q += 1
    kept = p + q
    if any(ch.isdigit() for ch in a[p : len(a) - q] + b[p : len(b) - q]):
        return False  # a number or a date changed: a short line of figures says nothing of its origin
    longest = max(len(a), len(b))
    if longest - kept <= WORD_CHANGE and kept >= max(4, longest / 2):
        return True
    # two words changed (全面强化政策鼓励 from 强化政策支持), with a word or more kept between them
    ops = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    if sum(op != "equal" for op, *_ in ops) > WORD_STRETCHES:
        return False
    same = [i2 - i1 for op, i1, i2, _, _ in ops if op == "equal"]
    kept = sum(same)
    return min(same, default=0) >= 2 and longest - kept <= WORD_CHANGE and kept >= max(4, longest / 2)


def _each_part(parts: tuple[str, str], got: list[int]) -> bool:
    """Whether both sentences of a merge or split put their text into the other side's one sentence.

    Half of each (:data:`MIN_SHARED` characters at most), in common blocks of
    two or more characters (``got``: :func:`_part_shared`): a heading whose 优化 alone turns up in a
    target sentence with the next source sentence is not merged into it.
    """
    return all(g >= min(MIN_SHARED, (len(p) + 1) // 2) for g, p in zip(got, parts))


def _part_shared(parts: tuple[str, str], whole: str) -> list[int]:
    """How many characters of each part lie in common blocks (two or more characters) with ``whole``."""
    joined = "".join(parts)
    cut = len(parts[0])
    got = [0, 0]
    for m in SequenceMatcher(None, joined, whole, autojunk=False).get_matching_blocks():
        if m.size >= 2:
            first = max(0, min(m.a + m.size, cut) - m.a)
            got[0] += first
            got[1] += m.size - first
    return got


def _short_halves(parts: tuple[str, str], got: list[int]) -> bool:
    """Whether a split's two target sentences are short and each holds a clause of its own besides its half.

    Two short sentences of the target's own, each opening or closing with one of a short source
    sentence's stock phrases (主动接轨大上海，大产业培育工程。 围绕产业特色，提升平台能级，扩大进口。 from
    大产业培育工程，提升平台能级。), are no split of it unless they stand in a passage taken from the source:
    like a short sentence that gained a clause, the edge is weak.
    """
    if any(len(p) > CLAUSE_SHORT[1] for p in parts):
        return False
    return all(len(p) - g >= HALF_OWN for g, p in zip(got, parts))


def _prose(side: Side, atom: Atom) -> bool:
    return side.block_unit(atom).kind == "paragraph"


def _most_common(hits: Counter, n: int) -> list[tuple[int, int]]:
    """The n atoms with most shared n-grams, ties to the earlier atom.

    Not ``Counter.most_common``: it breaks ties by insertion order, which
    follows the iteration of a set of strings and so changes with Python's
    hash seed from one process to the next.
    """
    return heapq.nsmallest(n, hits.items(), key=lambda kv: (-kv[1], kv[0]))


def candidate_edges(
    src: Side, tgt: Side, targets: Iterable[int] | None = None, hints: Mapping[int, Iterable[int]] | None = None
) -> tuple[list[Edge], dict[int, list[int]]]:
    """Scored one-to-one, merged and split edges that pass the thresholds, and the candidates for lifted clauses.

    ``targets`` limits the fuzzy search (all but identical text) to some
    target atoms; ``hints`` adds source atoms to try for a target atom (trace
    passes what the corpus index found).
    """
    grams = _SourceGrams(src)
    exact: dict[str, list[int]] = defaultdict(list)
    for atom in src.atoms:
        if atom.aligned:
            exact[atom.norm].append(atom.i)
    hints = {t: [s for s in h if 0 <= s < len(src.atoms) and src.atoms[s].aligned] for t, h in (hints or {}).items()}
    fuzzy = None if targets is None else set(targets)
    cands: dict[int, list[int]] = {}
    lifted: dict[int, list[int]] = {}
    pairs: list[tuple[int, int]] = []
    edges: list[Edge] = []
    for t in range(len(tgt.atoms)):
        ta = tgt.atoms[t]
        if not ta.aligned:
            continue
        same = exact.get(ta.norm)
        if same:
            for s in same:
                edges.append(Edge("one", (t,), (s,), 100.0, content="identical"))
            cands[t] = list(same)
            lifted[t] = []
            continue
        if fuzzy is not None and t not in fuzzy:
            continue
        hits = grams.hits(ta)
        best = _most_common(hits, MAX_CANDIDATES)
        top = [s for s, c in best if c >= 2 or len(ta.norm) < SHORT_HITS]
        if t in hints:
            top.extend(s for s in hints[t] if s not in top)
        cands[t] = top
        # a verbatim run of MIN_PARTIAL characters shares this many n-grams
        lifted[t] = [s for s, c in best if c > MIN_PARTIAL - NGRAM]
        pairs.extend((t, s) for s in top)
    # merged: two consecutive sentences of the source (never a heading or a table) in one target atom
    merged = []
    for t, s in pairs:
        for a, b in ((s - 1, s), (s, s + 1)):
            if (
                a >= 0
                and b < len(src.atoms)
                and src.adjacent(src.atoms[a], src.atoms[b])
                and _prose(src, src.atoms[a])
                and _prose(src, src.atoms[b])
            ):
                merged.append((t, a, b))
    merged = sorted(set(merged))

    # split: two consecutive target sentences of one paragraph from one source atom; with the fuzzy search
    # limited to some target atoms, a split's other half just outside them is tried against the source
    # sentences of the half inside (those it shares n-grams with)
    def shares(x: int, s: int) -> bool:
        xa = tgt.atoms[x]
        return xa.aligned and (len(xa.grams & src.atoms[s].grams) >= 2 or len(xa.norm) < SHORT_HITS)

    firsts = set(cands) if fuzzy is None else set(cands) | {t - 1 for t in fuzzy if t > 0}
    split = []
    for t in sorted(firsts):
        u = t + 1
        if u >= len(tgt.atoms) or tgt.atoms[t].block != tgt.atoms[u].block or tgt.atoms[t].whole:
            continue
        if t in cands and u in cands:
            both = set(cands[t]) & set(cands[u])
        elif fuzzy is not None and t in fuzzy and t in cands:
            both = {s for s in cands[t] if shares(u, s)}
        elif fuzzy is not None and u in fuzzy and u in cands:
            both = {s for s in cands[u] if shares(t, s)}
        else:
            continue
        for s in both:
            if src.splittable(src.atoms[s]):
                split.append((t, u, s))
    T, S = tgt.atoms, src.atoms
    own = own_names(tgt.doc.jurisdiction) + own_names(src.doc.jurisdiction)
    q = (
        [T[t].content for t, s in pairs]
        + [T[t].content for t, a, b in merged]
        + [T[t].content + T[u].norm for t, u, s in split]
    )
    c = (
        [S[s].content for t, s in pairs]
        + [S[a].content + S[b].norm for t, a, b in merged]
        + [S[s].content for t, u, s in split]
    )
    # all cores for a big batch; for a small one starting the threads costs more than it saves
    workers = -1 if len(q) >= PARALLEL_PAIRS else 1
    scores: np.ndarray | list[float] = (
        process.cpdist(q, c, scorer=fuzz.ratio, score_cutoff=MIN_RATIO, workers=workers) if q else []
    )
    # the units a responsibility line names, read once an atom (not once a pair): other units are no match
    t_units = {t: responsibility_units(T[t].content) for t in {t for t, _ in pairs}}
    s_units = {s: responsibility_units(S[s].content) for s in {s for _, s in pairs}}
    k = 0
    for t, s in pairs:
        sc = float(scores[k])
        k += 1
        if _other_units(s_units[s], t_units[t]):
            continue
        if (
            _accept(sc, q[k - 1], c[k - 1])
            and _reworded(c[k - 1], q[k - 1])
            and not _clause_swapped(c[k - 1], q[k - 1])
        ):
            edges.append(Edge("one", (t,), (s,), sc))
        elif _clause_changed(c[k - 1], q[k - 1], own) or _word_changed(c[k - 1], q[k - 1]):
            edges.append(Edge("one", (t,), (s,), sc or round(fuzz.ratio(q[k - 1], c[k - 1]), 1), weak=True))
    for t, a, b in merged:
        sc = float(scores[k])
        k += 1
        parts = (S[a].content, S[b].norm)
        if sc >= MIN_RATIO and _reworded(c[k - 1], q[k - 1]) and _each_part(parts, _part_shared(parts, q[k - 1])):
            edges.append(Edge("merged", (t,), (a, b), sc))
    for t, u, s in split:
        sc = float(scores[k])
        k += 1
        if sc < MIN_RATIO:
            continue
        parts = (T[t].content, T[u].norm)
        got = _part_shared(parts, c[k - 1])
        if _each_part(parts, got):
            edges.append(Edge("split", (t, u), (s,), sc, weak=_short_halves(parts, got)))
    return edges, lifted


# -- choosing --------------------------------------------------------------------------------


def _anchors(src: Side, tgt: Side) -> list[tuple[int, int]]:
    """Target/source atoms whose text is identical and unique on both sides, in a consistent order."""
    sc = Counter(a.norm for a in src.atoms if a.aligned)
    tc = Counter(a.norm for a in tgt.atoms if a.aligned)
    where = {a.norm: a.i for a in src.atoms if a.aligned and sc[a.norm] == 1}
    pairs = [
        (a.i, where[a.norm])
        for a in tgt.atoms
        if a.aligned and tc[a.norm] == 1 and a.norm in where and len(a.norm) >= 4
    ]
    keep = lis([s for _, s in pairs])
    return [pairs[k] for k in keep]


def _windows(anchors: list[tuple[int, int]], n_tgt: int, n_src: int) -> list[tuple[int, int]]:
    """For each target atom, the source positions the anchors around it allow."""
    out = []
    k = 0
    for t in range(n_tgt):
        while k < len(anchors) and anchors[k][0] < t:
            k += 1
        lo = anchors[k - 1][1] if k else 0
        hi = anchors[k][1] if k < len(anchors) else n_src - 1
        if k < len(anchors) and anchors[k][0] == t:
            lo = hi = anchors[k][1]
        out.append((lo, max(lo, hi)))
    return out


def _support(e: Edge, pairs: set[tuple[int, int]]) -> int:
    """How many of the edge's neighbours (the atoms before and after it on both sides) are candidates too."""
    return ((e.t[0] - 1, e.s[0] - 1) in pairs) + ((e.t[-1] + 1, e.s[-1] + 1) in pairs)


def _rank(e: Edge) -> float:
    return e.score - (KIND_PENALTY if e.kind in ("merged", "split") else 0.0)


def choose(edges: list[Edge], src: Side, tgt: Side) -> list[Edge]:
    """Greedy: best edges first, each atom used once; then near-verbatim reuse of taken source atoms."""
    anchors = _anchors(src, tgt)
    win = _windows(anchors, len(tgt.atoms), len(src.atoms))
    for e in edges:
        lo, hi = win[e.t[0]]
        s = e.s[0]
        e.distance = 0 if lo <= s <= hi else min(abs(s - lo), abs(s - hi))
    # of equal edges as far from their windows, first the one whose neighbours match each other too: a
    # sentence the target uses twice, once inside a passage taken from this source and once elsewhere, takes
    # the source's sentence inside the passage (localized passages leave no identical anchors to tell)
    pairs = {(e.t[0], e.s[0]) for e in edges}
    edges = sorted(edges, key=lambda e: (-_rank(e), e.distance, -_support(e, pairs), e.t[0], e.s[0]))
    t_used: set[int] = set()
    s_used: set[int] = set()
    chosen = []
    # a source that holds a passage twice with small edits (a plan quoting its own goals in the tasks) leaves
    # the target's sentence about as close to both: a few characters of edit noise are no evidence, the
    # neighbours matched around one of them are; a sentence the target holds word for word (or only localized)
    # is never a tie
    rivals: dict[tuple[int, ...], list[Edge]] = defaultdict(list)
    for e in edges:
        rivals[e.t].append(e)
    own = own_names(tgt.doc.jurisdiction) + own_names(src.doc.jurisdiction)

    def take(e: Edge, near: set[tuple[int, int]] | None = None) -> None:
        if len(rivals[e.t]) > 1:  # (most target sentences have one candidate: nothing to weigh)
            free = [a for a in rivals[e.t] if s_used.isdisjoint(a.s) and (near is None or (a.t[0], a.s[0]) in near)]
            written = _as_written(e, src, tgt, own)
            floor = _rank(e) - (0.0 if written else NEAR_TIE)
            alts = [a for a in free if _rank(a) >= floor]
            if any(_rank(a) != _rank(e) for a in alts):
                # two texts the target's sentence is about as close to: where neither keeps the anchors'
                # order, the one whose neighbours match too; nearer the anchors is no evidence of which
                e = min(alts, key=lambda a: (a.distance > 0, -_support(a, pairs), a.distance, -_rank(a)))
            elif not written and e.distance > 0 and _support(e, pairs) < 2:
                # a sentence between two that came from the sentences around another source sentence, in
                # the anchors' order, is that sentence reworded, though a word of its edit happens to bring it
                # nearer one elsewhere, out of that order, that is not between two such (支持 for 鼓励, where
                # the source says the same thing twice, once with each)
                inside = [
                    a for a in free if _rank(a) >= _rank(e) - SANDWICH and a.distance == 0 and _support(a, pairs) == 2
                ]
                if inside:
                    e = max(inside, key=_rank)
        chosen.append(e)
        t_used.update(e.t)
        s_used.update(e.s)

    for e in edges:
        if not e.weak and t_used.isdisjoint(e.t) and s_used.isdisjoint(e.s):
            take(e)
    # a weak edge (a short sentence's clause or word change) counts only beside a match (_supported): it
    # takes its source sentence after the strong edges, and only there, so one that will not stand (the
    # target opening three of its own sentences with the source's short stock phrase) leaves the sentence
    # to the one beside the passage
    near = _near(chosen)
    for e in edges:
        if e.weak and t_used.isdisjoint(e.t) and s_used.isdisjoint(e.s) and (e.t[0], e.s[0]) in near:
            take(e, near)
    chosen = _twins(chosen, rivals, src)
    # a source sentence quoted twice (a lede, or a plan that copies it once whole and once split in two);
    # below REUSE_RATIO (a short heading used once as it was and once reworded) only inside a passage
    # taken from beside it, as a weak edge -- merged into a neighbour, or next to a sentence taken from
    # beside it, in order (a sentence the target wrote with the short one and a clause more, then its own
    # sentences before it: 实施产品换代计划，尽快补齐短板。 followed by the source's next sentence) -- and
    # never a short sentence the target used once already and then again with a clause more, away from
    # the passage (its own new sentence opening with the same stock phrase)
    in_merged = {s for e in chosen if e.kind in ("merged", "split") for s in e.s}
    placed = {(e.t[0], e.s[0]) for e in chosen if not e.weak and e.kind == "one"}

    # below REUSE_RATIO a reuse is weak: it stands only beside a match, so one that would not is not taken,
    # and the target sentence may still take its other candidate (the source's other copy of it, beside
    # which the passage around it was matched)
    near = _near(chosen)

    def reusable(e: Edge) -> bool:
        return e.score >= REUSE_RATIO or (
            e.kind == "one"
            and (not e.weak or set(e.s) <= in_merged or any(_flanks(e, placed)))
            and (e.t[0], e.s[0]) in near
        )

    for e in edges:
        if t_used.isdisjoint(e.t) and reusable(e):
            if not _as_written(e, src, tgt, own):
                # two source sentences the target's is about as close to, both taken already: as in take(),
                # where neither keeps the anchors' order, the one whose neighbours match too
                alts = [a for a in rivals[e.t] if _rank(a) >= _rank(e) - NEAR_TIE and reusable(a)]
                e = min(alts, key=lambda a: (a.distance > 0, -_support(a, pairs), a.distance, -_rank(a)))
            chosen.append(e if e.score >= REUSE_RATIO else replace(e, weak=True))
            t_used.update(e.t)
            if e.score >= REUSE_RATIO:
                near |= _near([e])
                if e.kind == "one":
                    placed.add((e.t[0], e.s[0]))
    return _supported(chosen, near)


def _flanks(e: Edge, placed: set[tuple[int, int]]) -> tuple[bool, bool]:
    """Whether the target atoms just before and after the edge's were placed (``placed``: target, source atom
    pairs) at source atoms just before and after its, in order, within SUPPORT_S: right between them, the
    edge is the passage's own (a heading the target used word for word elsewhere too)."""
    before = any((e.t[0] - 1, e.s[0] - d) in placed for d in range(1, SUPPORT_S + 1))
    after = any((e.t[-1] + 1, e.s[-1] + d) in placed for d in range(1, SUPPORT_S + 1))
    return before, after


def _twins(chosen: list[Edge], rivals: dict[tuple[int, ...], list[Edge]], src: Side) -> list[Edge]:
    """A sentence the target holds twice takes the closer of the source's two copies each time, reusing one.

    A source holding a passage twice with small edits, and a target holding it twice too, taken from one
    copy: one to one, the second occurrence gets the other copy, though its words are the first's
    (提升 where the other copy has 提高).  A sentence whose rival edge is closer, to a source sentence already
    taken by another target sentence and a copy of the one it was given (:data:`REUSE_RATIO`), takes that
    one too -- unless the sentences placed around it support the one it has better (a lede and a body,
    each copied from its own place).
    """
    taker = {s: e for e in chosen for s in e.s}
    placed = {(t, s) for e in chosen if not e.weak for t in e.t for s in e.s}

    def support(e: Edge) -> int:
        return sum(_flanks(e, placed))

    out = []
    for e in chosen:
        if not e.weak:
            better = []
            for r in rivals[e.t]:
                if r.weak or _rank(r) <= _rank(e) or not all(s in taker for s in r.s):
                    continue
                if any(taker[s].t == e.t for s in r.s) or support(r) < support(e):
                    continue
                # the source holds the sentence twice: the rival's text and the chosen one's are copies
                if fuzz.ratio(_text(src, r.s), _text(src, e.s)) >= REUSE_RATIO:
                    better.append(r)
            if better:
                e = max(better, key=_rank)
        out.append(e)
    return out


def _text(side: Side, atoms: tuple[int, ...]) -> str:
    return "".join(side.atoms[a].norm for a in atoms)


def placeless_texts(e: Edge, src: Side, tgt: Side, own: list[str]) -> tuple[str, str]:
    """The edge's target and source texts with the names in ``own`` and every level word set aside
    (:func:`lineage.align.places.placeless`)."""
    return (
        placeless("".join(tgt.atoms[t].norm for t in e.t), own),
        placeless("".join(src.atoms[s].norm for s in e.s), own),
    )


def _as_written(e: Edge, src: Side, tgt: Side, own: list[str]) -> bool:
    """Whether the target holds the edge's source text word for word, or only localized (浙江省 -> 绍兴市)."""
    if e.score >= 100.0:
        return True
    a, b = placeless_texts(e, src, tgt, own)
    return a == b


def _supported(chosen: list[Edge], near: set[tuple[int, int]]) -> list[Edge]:
    """Without the weak edges (a short sentence's clause or word change) that no other match stands beside.

    A short sentence with a clause more or less is a modification inside a
    passage taken from the source; alone, it is as likely a new sentence
    that happens to open with a short stock phrase.  ``near``: :func:`_near` of ``chosen``.
    """
    return [e for e in chosen if not e.weak or (e.t[0], e.s[0]) in near]


def _near(chosen: list[Edge]) -> set[tuple[int, int]]:
    """The (target, source) atom pairs a strong edge of ``chosen`` stands beside (SUPPORT_T, SUPPORT_S)."""
    return {
        (t + dt, s + ds)
        for e in chosen
        if not e.weak
        for t in e.t
        for s in e.s
        for dt in range(-SUPPORT_T, SUPPORT_T + 1)
        for ds in range(-SUPPORT_S, SUPPORT_S + 1)
    }


# -- lifted clauses, relations and diffs ------------------------------------------------------


def partial_edges(src: Side, tgt: Side, targets: Iterable[int], cands: dict[int, list[int]]) -> list[Edge]:
    """Clauses of at least MIN_PARTIAL characters lifted into target atoms (local alignment)."""
    out = []
    for t in targets:
        ta = tgt.atoms[t]
        if len(ta.norm) < MIN_PARTIAL or not tgt.splittable(ta):
            continue
        regions = []
        for s in cands.get(t, ()):
            sa = src.atoms[s]
            if not src.splittable(sa):
                continue
            for si, sj, ti, tj, m in _regions(sa.norm, ta.norm):
                regions.append((m, round(100.0 * m / max(sj - si, tj - ti), 1), s, (si, sj, ti, tj)))
        taken: list[tuple[int, int]] = []
        # most characters in common first; among equals the most verbatim, then the earliest source
        for _m, score, s, (si, sj, ti, tj) in sorted(regions, key=lambda x: (-x[0], -x[1], x[2])):
            if any(ti < b and a < tj for a, b in taken):
                continue
            taken.append((ti, tj))
            out.append(Edge("partial", (t,), (s,), score, t_range=(ti, tj), s_range=(si, sj), content="partial"))
    return out


def _regions(a: str, b: str) -> list[tuple[int, int, int, int, int]]:
    """Stretches of ``b`` (target) aligned to ``a`` (source): (a_i, a_j, b_i, b_j, matched chars).

    A region is a verbatim run of at least MIN_PARTIAL characters, extended
    across one- or two-character differences (a changed particle, a swapped
    name), and cut back to the clause boundaries it reaches (see _clause_ends).
    """
    blocks = [m for m in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks() if m.size]
    if not blocks or max(m.size for m in blocks) < MIN_PARTIAL:
        return []
    groups: list[list[tuple[int, int, int]]] = []  # (a, b, size) of the matching blocks of each region
    for m in blocks:
        if m.size < PARTIAL_JOIN:
            continue  # one or two characters in common by chance; never the edge of a region
        last = groups[-1][-1] if groups else None
        if last and m.a - (last[0] + last[2]) <= PARTIAL_GAP and m.b - (last[1] + last[2]) <= PARTIAL_GAP:
            groups[-1].append((m.a, m.b, m.size))
        else:
            groups.append([(m.a, m.b, m.size)])
    out = []
    for g in groups:
        g = _clause_ends(g, b)
        if not g or max(size for _, _, size in g) < MIN_PARTIAL:
            continue
        (ai, bi, _), (aj, bj, size) = g[0], g[-1]
        matched = sum(size for _, _, size in g)
        if matched >= PARTIAL_DENSITY * (bj + size - bi):
            out.append((ai, aj + size, bi, bj + size, matched))
    return out


def _clause_ends(g: list[tuple[int, int, int]], b: str) -> list[tuple[int, int, int]]:
    """The blocks of a region without the punctuation at its ends, nor a stray character or two beyond it.

    Matching blocks run on through the comma that ends a lifted clause, and
    into the next clause when its first character happens to agree; the
    lifted clause is the text between.  (An enumeration comma 、 is inside a
    clause, not between two.)
    """
    g = list(g)
    a0, b0, size = g[0]
    cuts = [c.end() for c in _CLAUSE_END.finditer(b, b0, b0 + min(size, PARTIAL_GAP + 1))]
    if cuts:
        d = cuts[-1] - b0
        g[0:1] = [(a0 + d, b0 + d, size - d)] if d < size else []
    if not g:
        return g
    a0, b0, size = g[-1]
    cuts = [c.start() for c in _CLAUSE_END.finditer(b, b0 + max(0, size - PARTIAL_GAP - 1), b0 + size)]
    if cuts:
        d = cuts[0] - b0
        g[-1:] = [(a0, b0, d)] if d > 0 else []
    return g


def finish(edges: list[Edge], src: Side, tgt: Side) -> None:
    """Content relation and diff of each chosen edge; split edges become one edge per target atom."""
    # imported on first use: lineage.align.diff brings in the gazetteer (tens of milliseconds), and every
    # command of the CLI imports this module
    from lineage.align.diff import classify, diff

    extra = []
    for e in edges:
        if e.kind == "one":
            a, b = src.atoms[e.s[0]].norm, tgt.atoms[e.t[0]].norm
            e.diff = [] if a == b else diff(a, b)
            e.content = "identical" if a == b else classify(e.diff, tgt.doc.jurisdiction)
        elif e.kind == "merged":
            a = src.atoms[e.s[0]].norm + src.atoms[e.s[1]].norm
            e.diff = diff(a, tgt.atoms[e.t[0]].norm)
            e.content = "merged"
        elif e.kind == "partial":
            sa, ta = src.atoms[e.s[0]], tgt.atoms[e.t[0]]
            assert e.s_range and e.t_range, "a partial edge has both ranges"
            a, b = sa.norm[slice(*e.s_range)], ta.norm[slice(*e.t_range)]
            e.diff = [] if a == b else diff(a, b)
        elif e.kind == "split":
            s = src.atoms[e.s[0]].norm
            t1, t2 = tgt.atoms[e.t[0]].norm, tgt.atoms[e.t[1]].norm
            cut = _split_point(s, t1, t2)
            second = Edge(
                "split", (e.t[1],), e.s, e.score, s_range=(cut, len(s)), content="split", diff=diff(s[cut:], t2)
            )
            e.t, e.s_range, e.content, e.diff = (e.t[0],), (0, cut), "split", diff(s[:cut], t1)
            extra.append(second)
    edges.extend(extra)


def _split_point(s: str, t1: str, t2: str) -> int:
    """Where in ``s`` the text of ``t1`` ends, when ``t1 + t2`` is ``s`` split in two."""
    joined = t1 + t2
    best = None
    for m in SequenceMatcher(None, s, joined, autojunk=False).get_matching_blocks():
        if m.b <= len(t1) <= m.b + m.size:
            best = m.a + (len(t1) - m.b)
            break
        if m.b + m.size <= len(t1):
            best = m.a + m.size
    cut = best if best is not None else len(s) // 2
    # the cut falls at the punctuation the target turned into a full stop: keep it with the first part
    if 0 < cut < len(s) and s[cut] in ",;:、" and (not t1 or t1[-1] in "。;!?"):
        cut += 1
    return max(1, min(cut, len(s) - 1))


def pair_edges(
    src: Side, tgt: Side, hints: Mapping[int, Iterable[int]] | None = None, targets: Iterable[int] | None = None
) -> list[Edge]:
    """All chosen edges of a pair, finished (relation and diff).

    ``targets`` limits the fuzzy work (all but identical text) to some
    target atoms (trace: those the index found sharing text with a minor
    source, and their neighbours); ``hints`` adds source atoms to try for a
    target atom.  Every source is aligned on its own, even where another
    already matches the target word for word: it may hold the original of
    that text (attribution decides, :mod:`lineage.align.attribution`).
    """
    cands_edges, cands = candidate_edges(src, tgt, None if targets is None else sorted(set(targets)), hints=hints)
    chosen = choose(cands_edges, src, tgt)
    covered = {t for e in chosen for t in e.t}
    free = [t for t in cands if t not in covered]
    chosen.extend(partial_edges(src, tgt, free, cands))
    finish(chosen, src, tgt)
    return chosen


# -- the public entry point -------------------------------------------------------------------


def align(
    source: Document, target: Document, formulaic: Formulaic | None = None, keys: Callable[[str], int] | None = None
) -> AlignResult:
    """Align ``target`` against ``source``: every unit of both accounted for.

    ``formulaic`` decides formulaic text (default: the curated list only; pass
    one built from a corpus index for document frequencies, with ``keys``
    giving a text's df key).
    """
    formulaic = formulaic or Formulaic()
    src, tgt = Side(source), Side(target)
    edges = pair_edges(src, tgt)
    result = assemble(tgt, [(src, edges, source.path)], formulaic, deleted="all", keys=keys)
    info = DocInfo.of(source)
    info.later_than_target = dated_after(source, target)
    result.sources = [info]
    return result


# -- over a store: what `lineage align` and the report run ---------------------------------------


def load_stored(store: Store, sha: str) -> Document:
    """A stored document, with the path commands report for it (its first recorded file, else its ingest path)."""
    doc = store.load(sha)
    paths = store.paths_of(sha)
    if paths:
        doc.path = paths[0]
    return doc


def align_in_store(store: Store, source: Document, target: Document) -> AlignResult:
    """:func:`align` with formulaic text decided by the document frequencies of the store's corpus.

    The cached n-gram index is used as it is (``extend=False``): frequencies
    do not need the documents ingested since it was built.
    """
    idx = Index.load(store, extend=False)
    formulaic = corpus_formulaic(idx, store)
    return align(source, target, formulaic, keys=text_key if idx else None)
