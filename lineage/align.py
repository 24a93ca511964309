"""Pair alignment: which units of a target document come from a source document, and how.

Works on normalized text, at three levels:

* **atoms** -- the sentences of paragraphs, and headings and tables whole --
  are matched one to one (identical, modified, localized), two to one
  (``merged``: two consecutive source sentences in one target sentence) and
  one to two (``split``).  Candidates come from shared character n-grams;
  rapidfuzz scores them (``process.cpdist``; all cores for big batches); a greedy pass takes
  the best-scoring edges first, each atom used once, ties going to the pair
  that keeps the order set by the unique identical sentences (anchors).
* **paragraphs** -- a target paragraph whose sentences all come, in order and
  one to one, from all the sentences of one source paragraph, identical or
  only localized, is reported as one paragraph match (the coarsest unit that
  is true).  A one-sentence paragraph matched to a one-sentence paragraph is
  a paragraph match whatever its relation.
* **clauses** -- a target sentence left without a match is searched for a
  clause lifted from a source sentence: a local alignment (cydifflib's
  matching blocks, merged across gaps of a character or two) of at least
  :data:`MIN_PARTIAL` characters is a ``partial`` match.

``moved`` is decided afterwards: the longest non-decreasing run of source
positions in target order (body and attachment only) is the backbone, and a
match off it is moved; its ``content`` keeps what happened to the text.

:func:`align` returns an :class:`AlignResult` in which every unit of both
documents is accounted for: matched, ``added`` (target only) or ``deleted``
(source only).  :mod:`lineage.trace` reuses the same pieces against many
sources.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from cydifflib import SequenceMatcher
from rapidfuzz import fuzz, process

from .formulaic import Formulaic, curated
from .model import Document, Unit
from .normalize import fold, normalize
from .structure import marker_of

NGRAM = 4  # characters; 4-grams are specific enough in Chinese and survive one-character edits
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
KIND_PENALTY = 4.0  # merged/split edges must beat one-to-one edges by this much
REUSE_RATIO = 80.0  # a target atom may take a source atom already taken at this score (a lede quoting the body)
MIN_PARTIAL = 12  # characters of a lifted clause
PARTIAL_GAP = 2  # matching blocks this close are one region ...
PARTIAL_JOIN = 3  # ... when the block joining is at least this long
PARTIAL_DENSITY = 0.85  # share of a region's characters inside matching blocks
ORDERED_PARTS = ("body", "attachment")  # where the order of units means something

RELATIONS = ("identical", "modified", "localized", "partial", "merged", "split", "moved")


# -- the two sides ------------------------------------------------------------------------


@dataclass
class Atom:
    """A unit aligned as a whole: a sentence of a paragraph, or a heading or table block."""

    i: int  # index in Side.atoms
    unit: Unit
    block: int  # index in Side.blocks
    offset: int  # start of norm inside the block's normalized text
    whole: bool  # the atom is all of its block
    norm: str = field(init=False, repr=False)  # unit.norm_text, read often enough to keep at hand

    def __post_init__(self) -> None:
        self.norm = self.unit.norm_text

    @cached_property
    def grams(self) -> frozenset[str]:
        """Character n-grams (computed once: a trace matches one target against many sources)."""
        return frozenset(_grams(self.norm))

    @cached_property
    def content(self) -> str:
        """The normalized text without its outline marker: what similarity is scored on.

        ``（一）`` and ``。`` in common would make any two short headings look alike.
        """
        mk = marker_of(self.norm)
        return self.norm[len(mk[1]):] if mk and len(mk[1]) < len(self.norm) else self.norm


class Side:
    """A document cut into blocks and atoms, with spans for any stretch of an atom's normalized text."""

    def __init__(self, doc: Document, parts: Iterable[str] | None = None) -> None:
        self.doc = doc
        keep = set(parts) if parts is not None else None
        self.blocks: list[Unit] = [u for u in doc.block_units if keep is None or u.part in keep]
        self.atoms: list[Atom] = []
        self.block_atoms: list[list[int]] = []
        sentences: dict[str, list[Unit]] = defaultdict(list)
        for u in doc.units:
            if u.kind == "sentence":
                sentences[u.parent].append(u)
        for bi, b in enumerate(self.blocks):
            ids = []
            kids = sentences.get(b.id) if b.kind == "paragraph" else None
            if kids and len(kids) > 1:
                off = 0
                for s in kids:
                    ids.append(len(self.atoms))
                    self.atoms.append(Atom(len(self.atoms), s, bi, off, False))
                    off += len(s.norm_text)
            else:
                ids.append(len(self.atoms))
                self.atoms.append(Atom(len(self.atoms), b, bi, 0, True))
            self.block_atoms.append(ids)
        self._maps: dict[int, Callable[[int, int], tuple[int, int]] | None] = {}

    def __len__(self) -> int:
        return len(self.atoms)

    def block_unit(self, atom: Atom) -> Unit:
        return self.blocks[atom.block]

    def ordered(self, atom: Atom) -> bool:
        return atom.unit.part in ORDERED_PARTS

    def raw(self, atom: Atom) -> str:
        """The atom's text as the file has it (markup removed for HTML)."""
        return atom.unit.text

    def _block_map(self, bi: int) -> Callable[[int, int], tuple[int, int]] | None:
        """Original span of a range of a block's normalized text (None for tables: cells are re-joined)."""
        if bi not in self._maps:
            b = self.blocks[bi]
            self._maps[bi] = None if b.kind == "table" else _span_map(self.doc, b)
        return self._maps[bi]

    def span(self, atom: Atom, i: int = 0, j: int | None = None) -> tuple[int, int]:
        """Original-text span of ``atom.norm[i:j]``."""
        n = len(atom.norm)
        j = n if j is None else j
        if i <= 0 and j >= n:
            return tuple(atom.unit.span)  # type: ignore[return-value]
        fn = self._block_map(atom.block)
        if fn is None:
            return tuple(atom.unit.span)  # type: ignore[return-value]
        return fn(atom.offset + i, atom.offset + j)

    def adjacent(self, a: Atom, b: Atom) -> bool:
        """Whether only whitespace (or markup) lies between two atoms, so one span can cover both truthfully."""
        if a.unit.part != b.unit.part or b.i != a.i + 1:
            return False
        gap = self.doc.text[a.unit.span[1]:b.unit.span[0]]
        if self.doc.format == "html" and gap:
            from .htmltext import extract

            gap = extract(gap).text
        return not fold(gap)

    def splittable(self, atom: Atom) -> bool:
        """Whether spans inside the atom can be given (not for tables, whose text is cells joined)."""
        return self._block_map(atom.block) is not None


def _span_map(doc: Document, block: Unit) -> Callable[[int, int], tuple[int, int]] | None:
    """Map a range of ``block.norm_text`` to its span in ``doc.text`` (as structure.expand does)."""
    s0, e0 = block.span
    if doc.format == "html":
        from .htmltext import extract

        h = extract(doc.text[s0:e0])
        norm, nmap = normalize(h.text)
        fmap = h.map

        def html_span(i: int, j: int) -> tuple[int, int]:
            x, y = fmap.span(*nmap.span(i, j))
            return x + s0, y + s0

        fn = html_span
    else:
        norm, nmap = normalize(doc.text[s0:e0], offset=s0)
        fn = nmap.span
    # cannot differ for a well-formed document; if it did, no span inside the block could be trusted
    return fn if norm == block.norm_text else None


# -- edges ----------------------------------------------------------------------------------


@dataclass
class Edge:
    """A candidate or chosen correspondence between target atoms and source atoms."""

    kind: str  # one | merged | split | partial
    t: tuple[int, ...]  # target atom indices
    s: tuple[int, ...]  # source atom indices
    score: float
    t_range: tuple[int, int] | None = None  # partial: region of the target atom's norm
    s_range: tuple[int, int] | None = None  # partial/split: region of the source atom's norm
    distance: int = 0  # how far off the anchors' order (tie-break)
    content: str = ""  # identical | modified | localized | merged | split | partial
    diff: list[list[str]] = field(default_factory=list)
    moved: bool = False

    def rank(self) -> float:
        return self.score - (KIND_PENALTY if self.kind in ("merged", "split") else 0.0)


def _grams(text: str, n: int = NGRAM) -> set[str]:
    if len(text) < n:
        return {"\x00" + text} if text else set()
    return {text[k:k + n] for k in range(len(text) - n + 1)}


class _SourceGrams:
    """n-gram -> source atoms, for candidate search inside one pair."""

    def __init__(self, side: Side) -> None:
        idx: dict[str, list[int]] = defaultdict(list)
        for a in side.atoms:
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


def _accept(score: float, a: str, b: str) -> bool:
    short = min(len(a), len(b)) < SHORT
    return score >= (MIN_SHORT_RATIO if short else MIN_RATIO)


_CLAUSE_CUT = re.compile(r"[,;:。!?、]")


def _shared(a: str, b: str) -> tuple[int, int, int, bool]:
    """How ``b`` (target) relates to ``a`` (source) character by character.

    Returns the characters in common, the longest run of ``b`` and of ``a``
    with nothing in the other, and whether ``b`` has a whole clause (two or
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
            s_run = max(s_run, m.a - spos)
            tpos, spos = m.b + m.size, m.a + m.size
            covered[m.b:m.b + m.size] = b"\x01" * m.size
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
    source also lost a run as long (a clause swapped for another) or when
    less than :data:`REWORD_COVER` of the target is source text.  Such a
    sentence is at most a ``partial`` reuse of the clause it shares.
    """
    shared, t_run, s_run, new_clause = _shared(a, b)
    if shared < min(MIN_SHARED, len(b)) or new_clause:
        return False
    return t_run < NEW_RUN or (s_run < NEW_RUN and shared >= REWORD_COVER * len(b))


def _anchors(src: Side, tgt: Side) -> list[tuple[int, int]]:
    """Target/source atoms whose text is identical and unique on both sides, in a consistent order."""
    sc = Counter(a.norm for a in src.atoms)
    tc = Counter(a.norm for a in tgt.atoms)
    where = {a.norm: a.i for a in src.atoms if sc[a.norm] == 1}
    pairs = [(a.i, where[a.norm]) for a in tgt.atoms if tc[a.norm] == 1 and a.norm in where and len(a.norm) >= 4]
    keep = lis([s for _, s in pairs])
    return [pairs[k] for k in keep]


def lis(seq: list[int]) -> list[int]:
    """Indices of a longest non-decreasing subsequence of ``seq``."""
    tails: list[int] = []  # seq value ending the best run of each length
    tail_idx: list[int] = []
    prev = [-1] * len(seq)
    for i, x in enumerate(seq):
        k = bisect.bisect_right(tails, x)
        if k == len(tails):
            tails.append(x)
            tail_idx.append(i)
        else:
            tails[k] = x
            tail_idx[k] = i
        prev[i] = tail_idx[k - 1] if k else -1
    out = []
    i = tail_idx[-1] if tail_idx else -1
    while i != -1:
        out.append(i)
        i = prev[i]
    return out[::-1]


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


def candidate_edges(src: Side, tgt: Side, targets: Iterable[int] | None = None,
                    hints: dict[int, Iterable[int]] | None = None) -> tuple[list[Edge], dict[int, list[int]]]:
    """Scored one-to-one, merged and split edges that pass the thresholds, and the candidates for lifted clauses.

    ``targets`` limits the fuzzy search (all but identical text) to some
    target atoms; ``hints`` adds source atoms to try for a target atom (trace
    passes what the corpus index found).
    """
    grams = _SourceGrams(src)
    exact: dict[str, list[int]] = defaultdict(list)
    for a in src.atoms:
        exact[a.norm].append(a.i)
    fuzzy = None if targets is None else set(targets)
    cands: dict[int, list[int]] = {}
    lifted: dict[int, list[int]] = {}
    pairs: list[tuple[int, int]] = []
    edges: list[Edge] = []
    for t in range(len(tgt.atoms)):
        ta = tgt.atoms[t]
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
        top = [s for s, c in hits.most_common(MAX_CANDIDATES) if c >= 2 or len(ta.norm) < SHORT_HITS]
        if hints and t in hints:
            top.extend(s for s in hints[t] if s not in top and 0 <= s < len(src.atoms))
        cands[t] = top
        # a verbatim run of MIN_PARTIAL characters shares this many n-grams
        lifted[t] = [s for s, c in hits.most_common(MAX_CANDIDATES) if c > MIN_PARTIAL - NGRAM]
        pairs.extend((t, s) for s in top)
    # merged: two consecutive sentences of a source paragraph in one target atom
    merged = []
    for t, s in pairs:
        for a, b in ((s - 1, s), (s, s + 1)):
            if 0 <= a and b < len(src.atoms) and src.adjacent(src.atoms[a], src.atoms[b]):
                merged.append((t, a, b))
    merged = sorted(set(merged))
    # split: two consecutive target sentences of one paragraph from one source atom
    split = []
    for t in cands:
        u = t + 1
        if u in cands and tgt.atoms[t].block == tgt.atoms[u].block and not tgt.atoms[t].whole:
            for s in set(cands[t]) & set(cands[u]):
                if src.splittable(src.atoms[s]):
                    split.append((t, u, s))
    T, S = tgt.atoms, src.atoms
    q = [T[t].content for t, s in pairs] + [T[t].content for t, a, b in merged] \
        + [T[t].content + T[u].norm for t, u, s in split]
    c = [S[s].content for t, s in pairs] + [S[a].content + S[b].norm for t, a, b in merged] \
        + [S[s].content for t, u, s in split]
    # all cores for a big batch; for a small one starting the threads costs more than it saves
    workers = -1 if len(q) >= PARALLEL_PAIRS else 1
    scores = process.cpdist(q, c, scorer=fuzz.ratio, score_cutoff=MIN_RATIO, workers=workers) if q else []
    k = 0
    for t, s in pairs:
        sc = float(scores[k])
        k += 1
        if _accept(sc, q[k - 1], c[k - 1]) and _reworded(c[k - 1], q[k - 1]):
            edges.append(Edge("one", (t,), (s,), sc))
    for t, a, b in merged:
        sc = float(scores[k])
        k += 1
        if sc >= MIN_RATIO and _reworded(c[k - 1], q[k - 1]):
            edges.append(Edge("merged", (t,), (a, b), sc))
    for t, u, s in split:
        sc = float(scores[k])
        k += 1
        if sc >= MIN_RATIO:
            edges.append(Edge("split", (t, u), (s,), sc))
    return edges, lifted


def choose(edges: list[Edge], src: Side, tgt: Side) -> list[Edge]:
    """Greedy: best edges first, each atom used once; then near-verbatim reuse of taken source atoms."""
    anchors = _anchors(src, tgt)
    win = _windows(anchors, len(tgt.atoms), len(src.atoms))
    for e in edges:
        lo, hi = win[e.t[0]]
        s = e.s[0]
        e.distance = 0 if lo <= s <= hi else min(abs(s - lo), abs(s - hi))
    edges = sorted(edges, key=lambda e: (-e.rank(), e.distance, e.t[0], e.s[0]))
    t_used: set[int] = set()
    s_used: set[int] = set()
    chosen = []
    for e in edges:
        if t_used.isdisjoint(e.t) and s_used.isdisjoint(e.s):
            chosen.append(e)
            t_used.update(e.t)
            s_used.update(e.s)
    for e in edges:
        if e.kind == "one" and e.score >= REUSE_RATIO and e.t[0] not in t_used:
            chosen.append(e)
            t_used.add(e.t[0])
    return chosen


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
        for m, score, s, (si, sj, ti, tj) in sorted(regions, key=lambda x: (-x[0], -x[1], x[2])):
            if any(ti < b and a < tj for a, b in taken):
                continue
            taken.append((ti, tj))
            out.append(Edge("partial", (t,), (s,), score, t_range=(ti, tj), s_range=(si, sj), content="partial"))
    return out


def _regions(a: str, b: str) -> list[tuple[int, int, int, int, int]]:
    """Stretches of ``b`` (target) aligned to ``a`` (source): (a_i, a_j, b_i, b_j, matched chars)."""
    blocks = [m for m in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks() if m.size]
    if not blocks or max(m.size for m in blocks) < MIN_PARTIAL:
        return []
    out = []
    cur = None
    for m in blocks:
        if m.size < PARTIAL_JOIN:
            continue  # one or two characters in common by chance; never the edge of a region
        if cur and m.a - cur[1] <= PARTIAL_GAP and m.b - cur[3] <= PARTIAL_GAP:
            cur = [cur[0], m.a + m.size, cur[2], m.b + m.size, cur[4] + m.size, max(cur[5], m.size)]
        else:
            if cur:
                out.append(cur)
            cur = [m.a, m.a + m.size, m.b, m.b + m.size, m.size, m.size]
    if cur:
        out.append(cur)
    # A region is a verbatim run of at least MIN_PARTIAL characters, extended
    # across one- or two-character differences (a changed particle, a swapped name).
    return [tuple(r[:5]) for r in out if r[5] >= MIN_PARTIAL and r[4] >= PARTIAL_DENSITY * (r[3] - r[2])]


def finish(edges: list[Edge], src: Side, tgt: Side) -> None:
    """Content relation and diff of each chosen edge; split edges become one edge per target atom."""
    from .diff import classify, diff

    extra = []
    for e in edges:
        if e.kind == "one":
            a, b = src.atoms[e.s[0]].norm, tgt.atoms[e.t[0]].norm
            e.diff = [] if a == b else diff(a, b)
            e.content = "identical" if a == b else classify(e.diff)
        elif e.kind == "merged":
            a = src.atoms[e.s[0]].norm + src.atoms[e.s[1]].norm
            e.diff = diff(a, tgt.atoms[e.t[0]].norm)
            e.content = "merged"
        elif e.kind == "partial":
            sa, ta = src.atoms[e.s[0]], tgt.atoms[e.t[0]]
            a, b = sa.norm[slice(*e.s_range)], ta.norm[slice(*e.t_range)]
            e.diff = [] if a == b else diff(a, b)
        elif e.kind == "split":
            s = src.atoms[e.s[0]].norm
            t1, t2 = tgt.atoms[e.t[0]].norm, tgt.atoms[e.t[1]].norm
            cut = _split_point(s, t1, t2)
            second = Edge("split", (e.t[1],), e.s, e.score, s_range=(cut, len(s)), content="split",
                          diff=diff(s[cut:], t2))
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


def pair_edges(src: Side, tgt: Side, hints: dict[int, Iterable[int]] | None = None,
               targets: Iterable[int] | None = None, settled: set[int] | None = None) -> list[Edge]:
    """All chosen edges of a source/target pair, finished (relation and diff).

    ``targets`` limits the fuzzy work (all but identical text) to some
    target atoms (trace: those the index found sharing text with this
    source, and their neighbours), and ``settled`` excludes atoms from it
    (trace: atoms a source aligned before matched word for word); ``hints``
    adds source atoms to try for a target atom.
    """
    if settled:
        # atoms another source already explains word for word: only identical text is looked up
        todo = sorted((set(range(len(tgt.atoms))) if targets is None else set(targets)) - settled)
    else:
        todo = None if targets is None else sorted(set(targets))
    cands_edges, cands = candidate_edges(src, tgt, todo, hints=hints)
    chosen = choose(cands_edges, src, tgt)
    covered = {t for e in chosen for t in e.t}
    free = [t for t in cands if t not in covered]
    chosen.extend(partial_edges(src, tgt, free, cands))
    finish(chosen, src, tgt)
    return chosen


# -- results --------------------------------------------------------------------------------


@dataclass
class DocInfo:
    path: str
    sha256: str
    title: str | None
    date: str | None
    date_kind: str | None
    jurisdiction: dict[str, Any] | None
    format: str
    encoding: str
    later_than_target: bool | None = None  # sources only: dated after the target (dates are evidence)

    @classmethod
    def of(cls, doc: Document, path: str | None = None) -> "DocInfo":
        j = doc.jurisdiction
        return cls(path or doc.path, doc.sha256, doc.title, doc.date, doc.date_kind,
                   {"name": j.name, "level": j.level, "province": j.province} if j else None,
                   doc.format, doc.encoding)


@dataclass
class Match:
    source: str  # source path
    source_span: tuple[int, int]
    target_span: tuple[int, int]
    relation: str  # one of RELATIONS
    score: float  # 0-100
    unit: str  # paragraph | sentence | clause
    formulaic: bool
    diff: list[list[str]]  # token diff on normalized text; empty when identical
    content: str  # the relation apart from order: identical|modified|localized|partial|merged|split
    moved: bool
    formatting_only: bool  # identical after normalization, different as written
    source_units: list[str]
    target_units: list[str]
    source_sha256: str
    source_spans: list[tuple[int, int]] | None = None  # merged: each source sentence
    chars: int = 0  # normalized target characters covered
    parts: list[dict[str, Any]] | None = None  # localized paragraph: its sentences, one by one

    def to_dict(self) -> dict[str, Any]:
        d = {"source": self.source, "source_span": list(self.source_span), "target_span": list(self.target_span),
             "relation": self.relation, "score": self.score, "unit": self.unit, "formulaic": self.formulaic,
             "diff": self.diff, "content": self.content, "moved": self.moved, "formatting_only": self.formatting_only,
             "source_units": self.source_units, "target_units": self.target_units,
             "source_sha256": self.source_sha256, "chars": self.chars}
        if self.source_spans:
            d["source_spans"] = [list(s) for s in self.source_spans]
        if self.parts:
            d["parts"] = self.parts
        return d


@dataclass
class Added:
    target_span: tuple[int, int]
    unit: str
    chars: int

    def to_dict(self) -> dict[str, Any]:
        return {"target_span": list(self.target_span), "unit": self.unit, "chars": self.chars}


@dataclass
class Deleted:
    source: str
    source_span: tuple[int, int]
    unit: str
    chars: int
    source_sha256: str

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "source_span": list(self.source_span), "unit": self.unit,
                "chars": self.chars, "source_sha256": self.source_sha256}


@dataclass
class AlignResult:
    """The alignment of a target with one source (align) or many (trace)."""

    target: DocInfo
    sources: list[DocInfo]
    matches: list[Match]
    added: list[Added]
    deleted: list[Deleted]
    summary: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {"target": _plain(self.target), "sources": [_plain(s) for s in self.sources],
                "matches": [m.to_dict() for m in self.matches], "added": [a.to_dict() for a in self.added],
                "deleted": [d.to_dict() for d in self.deleted], "summary": self.summary}


def _plain(info: DocInfo) -> dict[str, Any]:
    d = dict(info.__dict__)
    if d.get("later_than_target") is None:
        d.pop("later_than_target")
    return d


def later(a: str | None, b: str | None) -> bool | None:
    """Whether date ``a`` is after date ``b`` (ISO dates or years; None when unknown or not comparable)."""
    if not a or not b:
        return None
    n = min(len(a), len(b))
    if a[:n] == b[:n]:
        return False
    return a[:n] > b[:n]


def moved_flags(edges: list[Edge], src: Side, tgt: Side) -> None:
    """Mark edges off the backbone (longest non-decreasing run of source positions) as moved."""
    ordered = [e for e in edges if e.kind != "partial" and tgt.ordered(tgt.atoms[e.t[0]])
               and src.ordered(src.atoms[e.s[0]])]
    ordered.sort(key=lambda e: (e.t[0], e.s[0]))
    keep = set(lis([e.s[0] for e in ordered]))
    for k, e in enumerate(ordered):
        e.moved = k not in keep


def assemble(tgt: Side, groups: list[tuple[Side, list[Edge], str]], formulaic: Formulaic,
             deleted: str = "all", keys: Callable[[str], int] | None = None) -> AlignResult:
    """Turn chosen edges (from one or more sources) into matches, added and deleted units, and a summary.

    ``groups``: (source side, its edges, its path).  Edges of different
    sources must not claim the same target atom (partial regions excepted).
    ``deleted``: "all" lists every unused source unit (align); "inside" only
    those between reused units of a source (trace: a source's other text was
    never taken).
    """
    tdoc = tgt.doc
    matches: list[Match] = []
    t_cov: set[int] = set()
    deleted_out: list[Deleted] = []
    by_source: dict[str, dict[str, Any]] = {}
    for src, edges, path in groups:
        moved_flags(edges, src, tgt)
        s_used: set[int] = set()
        promoted = _promote(edges, src, tgt)
        done: set[int] = set()
        for e in edges:
            s_used.update(e.s)
            t_cov.update(e.t)
        for (tb, sb), es in promoted.items():
            done.update(id(e) for e in es)
            matches.append(_block_match(es, tb, sb, src, tgt, path, formulaic, keys))
        for e in edges:
            if id(e) not in done:
                matches.append(_edge_match(e, src, tgt, path, formulaic, keys))
        deleted_out.extend(_unused(src, s_used, path, inside=(deleted == "inside")))
        by_source[path] = {"sha256": src.doc.sha256}
    matches.sort(key=lambda m: (m.target_span, m.source, m.source_span))
    added = _unused_target(tgt, t_cov, matches)
    summary = _summary(tgt, matches, added, deleted_out, by_source)
    return AlignResult(DocInfo.of(tdoc), [], matches, added, deleted_out, summary)


def _promote(edges: list[Edge], src: Side, tgt: Side) -> dict[tuple[int, int], list[Edge]]:
    """Target blocks whose atoms all come, in order and one to one, from all atoms of one source block."""
    by_tblock: dict[int, list[Edge]] = defaultdict(list)
    for e in edges:
        if e.kind == "one":
            by_tblock[tgt.atoms[e.t[0]].block].append(e)
    out = {}
    for tb, es in by_tblock.items():
        t_ids = tgt.block_atoms[tb]
        if len(es) != len(t_ids):
            continue
        es = sorted(es, key=lambda e: e.t[0])
        sb = src.atoms[es[0].s[0]].block
        s_ids = src.block_atoms[sb]
        if [e.s[0] for e in es] != s_ids or [e.t[0] for e in es] != t_ids:
            continue
        if len({e.moved for e in es}) != 1:
            continue
        if len(es) > 1 and any(e.content not in ("identical", "localized") for e in es):
            continue
        out[(tb, sb)] = es
    return out


def _is_formulaic(norms: list[str], formulaic: Formulaic, keys: Callable[[str], int] | None) -> bool:
    return all(formulaic(n, keys(n) if keys else None) for n in norms)


def _block_match(es: list[Edge], tb: int, sb: int, src: Side, tgt: Side, path: str, formulaic: Formulaic,
                 keys) -> Match:
    tblock, sblock = tgt.blocks[tb], src.blocks[sb]
    if len(es) == 1:
        e = es[0]
        content, diff_ops, score = e.content, e.diff, e.score
    else:
        contents = {e.content for e in es}
        content = "identical" if contents == {"identical"} else "localized"
        diff_ops = [] if content == "identical" else _join_diffs([e.diff or [["equal", src.atoms[e.s[0]].norm,
                                                                              tgt.atoms[e.t[0]].norm]] for e in es])
        score = round(sum(e.score * len(tgt.atoms[e.t[0]].norm) for e in es)
                      / max(1, sum(len(tgt.atoms[e.t[0]].norm) for e in es)), 1)
    moved = es[0].moved
    parts = None
    if len(es) > 1 and content != "identical":
        parts = [{"source_span": list(src.span(src.atoms[e.s[0]])), "target_span": list(tgt.span(tgt.atoms[e.t[0]])),
                  "content": e.content, "diff": e.diff,
                  "source_unit": src.atoms[e.s[0]].unit.id, "target_unit": tgt.atoms[e.t[0]].unit.id} for e in es]
    return Match(
        source=path, source_span=tuple(sblock.span), target_span=tuple(tblock.span),
        relation="moved" if moved else content, score=round(score, 1), unit="paragraph",
        formulaic=_is_formulaic([tgt.atoms[e.t[0]].norm for e in es], formulaic, keys),
        diff=diff_ops, content=content, moved=moved,
        formatting_only=content == "identical" and sblock.text != tblock.text,
        source_units=[sblock.id], target_units=[tblock.id], source_sha256=src.doc.sha256,
        chars=len(tblock.norm_text), parts=parts,
    )


def _join_diffs(diffs: list[list[list[str]]]) -> list[list[str]]:
    out: list[list[str]] = []
    for d in diffs:
        for op in d:
            if out and out[-1][0] == op[0]:
                out[-1] = [op[0], out[-1][1] + op[1], out[-1][2] + op[2]]
            else:
                out.append(list(op))
    return out


def _edge_match(e: Edge, src: Side, tgt: Side, path: str, formulaic: Formulaic, keys) -> Match:
    ta = tgt.atoms[e.t[0]]
    sas = [src.atoms[s] for s in e.s]
    if e.kind == "partial":
        t_span = tgt.span(ta, *e.t_range)
        s_span = src.span(sas[0], *e.s_range)
        unit = "clause"
        t_norm = ta.norm[slice(*e.t_range)]
        # a piece of a responsibility line is as formulaic as the line
        form = formulaic(t_norm) or curated(ta.norm)
        chars = len(t_norm)
    else:
        t_span = tgt.span(ta)
        if e.kind == "split":
            s_span = src.span(sas[0], *e.s_range)
        else:
            s_span = (src.span(sas[0])[0], src.span(sas[-1])[1])
        whole = ta.whole and all(a.whole for a in sas) and e.kind == "one"
        unit = "paragraph" if whole else "sentence"
        form = _is_formulaic([ta.norm], formulaic, keys)
        chars = len(ta.norm)
    relation = "moved" if e.moved else e.content
    src_units = [a.unit.id for a in sas]
    if e.kind == "one" and ta.whole and sas[0].whole:
        src_units = [src.block_unit(sas[0]).id]
    return Match(
        source=path, source_span=s_span, target_span=t_span, relation=relation, score=round(e.score, 1),
        unit=unit, formulaic=form, diff=e.diff, content=e.content, moved=e.moved,
        formatting_only=e.content == "identical" and e.kind == "one" and src.raw(sas[0]) != tgt.raw(ta),
        source_units=src_units, target_units=[tgt.block_unit(ta).id if ta.whole else ta.unit.id],
        source_sha256=src.doc.sha256,
        source_spans=[src.span(a) for a in sas] if e.kind == "merged" else None,
        chars=chars,
    )


def _unused(src: Side, used: set[int], path: str, inside: bool) -> list[Deleted]:
    """Source units no edge uses: whole blocks where no atom of the block is used."""
    lo, hi = (min(used), max(used)) if used else (0, -1)
    out = []
    for bi, ids in enumerate(src.block_atoms):
        free = [i for i in ids if i not in used]
        if inside:
            free = [i for i in free if _between(i, used)]
        if not free:
            continue
        if len(free) == len(ids) and not inside:
            b = src.blocks[bi]
            out.append(Deleted(path, tuple(b.span), b.id, len(b.norm_text), src.doc.sha256))
        else:
            for i in free:
                a = src.atoms[i]
                out.append(Deleted(path, src.span(a), src.block_unit(a).id if a.whole else a.unit.id, len(a.norm),
                                   src.doc.sha256))
    return out


def _between(i: int, used: set[int], reach: int = 3) -> bool:
    """Whether atom ``i`` sits between used atoms no more than ``reach`` atoms away on each side."""
    return any(i - d in used for d in range(1, reach + 1)) and any(i + d in used for d in range(1, reach + 1))


def _unused_target(tgt: Side, covered: set[int], matches: list[Match]) -> list[Added]:
    out = []
    for bi, ids in enumerate(tgt.block_atoms):
        free = [i for i in ids if i not in covered]
        if not free:
            continue
        if len(free) == len(ids):
            b = tgt.blocks[bi]
            out.append(Added(tuple(b.span), b.id, len(b.norm_text)))
        else:
            for i in free:
                a = tgt.atoms[i]
                out.append(Added(tgt.span(a), a.unit.id, len(a.norm)))
    return out


def _summary(tgt: Side, matches: list[Match], added: list[Added], deleted: list[Deleted],
             by_source: dict[str, dict[str, Any]]) -> dict[str, Any]:
    total = sum(len(a.norm) for a in tgt.atoms)
    by_rel: dict[str, dict[str, int]] = {}
    reused = 0
    formulaic_chars = 0
    for m in matches:
        r = by_rel.setdefault(m.relation, {"count": 0, "chars": 0})
        r["count"] += 1
        r["chars"] += m.chars
        src = by_source[m.source]
        src.setdefault("matches", 0)
        src.setdefault("chars", 0)
        src["matches"] += 1
        if m.formulaic:
            formulaic_chars += m.chars
            src["formulaic_chars"] = src.get("formulaic_chars", 0) + m.chars
        else:
            reused += m.chars
            src["chars"] += m.chars
    for s in by_source.values():
        s.setdefault("matches", 0)
        s.setdefault("chars", 0)
        s["share"] = round(s["chars"] / total, 4) if total else 0.0
    return {
        "reuse_share": round(reused / total, 4) if total else 0.0,
        "target_chars": total, "reused_chars": reused, "formulaic_chars": formulaic_chars,
        "added_chars": sum(a.chars for a in added), "deleted_chars": sum(d.chars for d in deleted),
        "matches": len(matches), "added": len(added), "deleted": len(deleted),
        "by_relation": dict(sorted(by_rel.items())), "by_source": by_source,
    }


# -- the public entry point -------------------------------------------------------------------


def align(source: Document, target: Document, formulaic: Formulaic | None = None,
          keys: Callable[[str], int] | None = None) -> AlignResult:
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
    info.later_than_target = later(source.date, target.date)
    result.sources = [info]
    return result
