"""Attribution: give every target atom claimed by several sources to its most plausible origin.

A trace (or the graph) aligns a target with several sources, each on its
own (:func:`lineage.align.aligner.pair_edges`); where more than one holds the same
passage -- a provincial plan and the city plans derived from it, copies of
one text -- the atom goes to one of them and the others are kept as
``also_in``.  The rule (:func:`resolve`), for each contested atom:

0. **Date**: a source signed after the target (both dates signed or given) gave it nothing: it takes an atom
   only where no source signed before holds the atom or lends it a lifted clause, and its own lifted
   clauses are not claimed (the target's reworded sentence, which a later city copied word for word,
   goes to the province that holds it reworded).

1. **Strength**: only sources whose match is nearly as strong as the best
   (:data:`SLACK`) compete.  Identical text, and text only localized *to
   the target's own jurisdiction* (全省 -> 全市, 浙江省 -> 绍兴市), are
   equally strong; a localization to a third place (the target reads 新北
   where the source reads 常州) is a modification: the target copied the
   text of a 新北 document.  Of editions of one document holding the atom
   alike, only the latest one not after the target competes
   (:func:`_latest_editions`).
2. **Named**: a source whose jurisdiction the target's sentence names (not
   the target's own nor one containing it) holds the text as the target
   has it: the target copied that document -- unless another source holds
   it as closely (a province's plan naming its cities, 发挥杭州、宁波“双核驱动”
   效应, holds the name as it wrote it: the 杭州 plan copied the province).
3. **Copies** (:func:`copies_among`): a source that is itself a copy of
   another candidate (a sibling or descendant: it holds :data:`COPY_OF` of
   its text word for word in that earlier candidate, place names and level
   words aside) loses to it where it
   holds the atom no better (or better only by where a sentence is cut: see
   below; or only by place: a sibling city that wrote 制造强市 for the
   province's 制造强省, as the target did, holds nothing more of a sentence
   the target reworded, once the target's own place and every level word
   are set aside), unless over the copy's passage around the atom
   (the same stretch of target atoms for both) the copy holds
   :data:`COPY_EVIDENCE` more characters exactly as the target has them
   than the original does (the target took the copy's own edits: a county
   plan copying its city's).  Compared over one stretch, not each over its
   own passage: a single atom the original happens not to hold (a table
   caption it keeps inside its table) ends its passage there, and the
   copy's longer passage would otherwise count as the copy's edits.
   Without this, a sibling wins on context (rule 5) by chance: one sentence it
   happens to have edited as the target did, or one weak match on the
   target's own text, makes its passage a little longer.  What counts as
   the copy's edits the target shares is weighed against what it lacks:

   * a sentence cut at the same comma (or two joined) with the words kept
     (:func:`_reflowed`) is weak evidence -- two cities cut a long sentence
     alike -- and stands only if nothing contradicts it: where the copy
     changed words the target has as the original wrote them, only words
     the copy changed and the target shares can keep the passage for it;
   * a copy signed after the target (both dates definite) gave it nothing:
     the edits they share are ones both made;
   * only the target's body counts: its title and signature are written
     alike for every city (佛山市...行动计划 as 石家庄市...行动计划), and so
     are the lines every plan writes (（责任部门：市经信委）, 三、组织实施:
     :func:`lineage.align.formulaic.curated`), here and in rule 4.

   And a copy the target follows over its whole body (:func:`nearer_copies`:
   the target shares more of the copy's own edits, at two sentences or
   more, than it keeps of the original's words the copy changed) is the
   target's nearer source -- a county plan copying its city's adaptation of
   the province's plan -- and takes every atom it holds as strongly as the
   original, not only where it holds it better: also in a passage that
   holds none of its edits (the county's own sentences cut the text in two).
   Sentences the target took from a third document's passage (one outside
   the pair's copies) count for neither side.
   Where instead the target keeps more of the original's words that the copy
   changed or dropped than it shares of the copy's edits, it worked from the
   original: the copy keeps a passage only where its edits are dense in it
   (:data:`COPY_DENSITY`), uncontradicted, and at :data:`HELD_ATOMS`
   sentences or one long one (:data:`HELD_LONG`): one sentence edited as the
   target edited it -- two cities dropping the same clause -- is chance.
4. **Held as written**: a source holding the atom as the target has it
   (identical, or localized to the target) beats one holding it with words
   changed, however much longer the passage the other explains, where over
   its own passage it holds :data:`COPY_EVIDENCE` more characters as the
   target has them, at :data:`HELD_ATOMS` sentences or more that the other
   holds changed or not at all, and none fewer: the target took a paragraph
   word for word from it, which the other (the target's own province's
   plan, say) holds reworded.  The passage's sentences both hold word for
   word go with it too, where its passage is as long as the other's
   (:data:`CONTEXT_TIE`): one passage, not one plan's figures and the
   other's sentences around them by level (rule 6).  One sentence is not
   enough -- a target's own edit matches a third document's wording by
   chance -- unless it is long
   (:data:`HELD_LONG` characters held exactly: a long sentence the target
   has word for word as one source wrote it, and another with a word
   changed); a copy of another candidate is left to rule 3, and a source
   signed after the target gave it nothing.
5. **Context**: the source that explains the longer surrounding passage --
   the stretch of target atoms around this one it explains as well as any
   other source (:func:`contexts`) -- is the likelier origin: a passage is
   taken from one document, and a sibling that dropped some of its
   sentences explains only pieces of it.  Passages within
   :data:`CONTEXT_TIE` are as long.  A sentence the target wrote around
   a clause the source lends it (``partial``) does not end the source's
   passage, unless another source holds that sentence as the target has it.
6. **Level**: a source at a higher administrative level that contains the
   target's jurisdiction, the nearest of them: the province of a city plan,
   not the national plan the province's may echo (a city localizes its
   province's plan) -- but of a copy and its original both containing the
   target, the original (a county plan sharing one rewording with its city's
   adaptation of the province's plan keeps the province's text).  Only
   among sources holding the text about as closely as the closest
   (:data:`LEVEL_SLACK`): the province holding a sentence reworded does not
   take it from a plan holding it as the target has it.
7. **Exactness**: of sources explaining the same passage, the one holding
   more of it exactly as the target has it (the target shares its own
   rewording: it took the text from there, not from the original).  Words,
   not where sentences end: a sentence held with the target's words but cut
   at another comma counts as held (a plan cutting another province's long
   sentence where the target cut it shares no rewording with it) -- but not
   beside its own copy or original holding it as the target cut it, where
   the cut is the copy's edit (rule 3).
7b. **Repeated**: a sentence the target holds twice goes where its first
   occurrence went, where the rules above tie: one sentence copied twice
   from one document (the first time the passage around it told the
   sources apart, the second time, among the target's own sentences, not).
8. **Date**: the earlier definite (signed, published or given) date.
9. **Named copy**: a source whose own text names another candidate's
   jurisdiction is a copy of that candidate's text (a sibling) and loses to it.
10. Then coherence (:func:`coherence_order`: how much of the target each
   source explains beyond those ranked before it), then the higher score.

Lifted clauses (``partial``) only fill atoms no whole match claimed, those
with the most characters in common first; of sources lending the same clause,
the one given the nearest atoms around it (the target wrote its sentence
around a clause of the text it was copying) -- and an atom a copy claims with a
loose match (under :data:`LOOSE` of its words: a piece of a sentence the copy
cut, matched on a clause) holding no more of them than its original's lifted
clause is not claimed: the original's clause explains it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz

from lineage.align.aligner import KIND_PENALTY, placeless_texts
from lineage.align.edges import Edge, moved_flags
from lineage.align.formulaic import curated
from lineage.align.places import names, own_names, placeless, toward
from lineage.align.result import EDGE_PUNCT, date_order
from lineage.align.sides import Atom, Side
from lineage.dates import dated_after
from lineage.dedup.cluster import UnionFind
from lineage.dedup.family import DRAFT, title_key, title_without_place, title_years
from lineage.model import DEFINITE_DATES, LEVEL_RANK, MADE_DATES, Document, Jurisdiction

SLACK = 20.0  # a source whose match is this much weaker than the best one takes no part
LEVEL_SLACK = 1.0  # the level rule (6) weighs only sources holding the text about as closely as the closest
CONTEXT_TIE = 0.05  # passages within this share of the longest one are as long ...
CONTEXT_TIE_CHARS = 6  # ... or within this many characters (and as exactly held)
BRIDGE = 3  # a source's passage runs on over this many atoms in a row that no source explains
COPY_OF = 0.4  # a source holding this share of its text word for word in an earlier candidate is its copy ...
COPY_MIN_CHARS = 8  # ... counting sentences this long (headings are too common to tell)
LOOSE = 0.8  # a match holding less of its target sentence's words than this is loose (a clause's worth)
COPY_EVIDENCE = 20  # a copy keeps a passage where it holds this many more characters as the target has them
HELD_ATOMS = 2  # a passage held as the target has it, at this many sentences at least, beats a longer one
HELD_LONG = 80  # ... or one sentence this long: a chance match of the target's own edit is short
COPY_DENSITY = 0.1  # ... and where the target follows the original, this share of the passage's characters
LATER_PENALTY = 0.75  # a source known to be dated after the target (lineage.dates) counts for this much when ranking
FOREIGN_PENALTY = 5.0  # a localization to a third place is as strong as a modification scoring this much less
DEFINITE = DEFINITE_DATES


def strength(e: Edge, tgt: Side | None = None, src: Side | None = None) -> float:
    """How well an edge explains its target atom, for choosing among sources.

    Identical text and text that differs only by the target's own jurisdiction
    (what every derived plan changes) are equally strong; any other difference,
    even a renumbered heading scored 100 on its content, is weaker, and two
    sentences made one (or one made two) must beat a one-to-one match by
    KIND_PENALTY, as when choosing inside one pair.
    """
    if e.content == "identical":
        return 100.0
    if e.content == "localized":
        if tgt is None or toward(e.diff, tgt.doc.jurisdiction):  # the swaps write the target's own place
            return 100.0
        return min(e.score, 99.5) - FOREIGN_PENALTY
    return _changed(e.score, e)


def _changed(score: float, e: Edge) -> float:
    """The strength of an edge scoring ``score`` that changed the text: below an identical one, and a merge or a
    split below a one-to-one match by KIND_PENALTY."""
    return min(score, 99.5) - (KIND_PENALTY if e.kind in ("merged", "split") else 0.0)


def _placeless(c: Claim, tgt: Side, src: Side) -> float:
    """:func:`strength` of a claim's edge with the target's own place and every level word set aside on both
    sides (asked of a copy that beats its original only: most claims never are)."""
    if c.strength >= 100.0:
        return c.strength
    a, b = placeless_texts(c.edge, src, tgt, own_names(tgt.doc.jurisdiction))
    return _changed(fuzz.ratio(a, b), c.edge)


def contains(a: Jurisdiction | None, b: Jurisdiction | None) -> bool:
    """Whether jurisdiction ``a`` is at a higher level than ``b`` and contains it."""
    if a is None or b is None or LEVEL_RANK.get(a.level, 9) >= LEVEL_RANK.get(b.level, 9):
        return False
    if a.level == "national":
        return True
    if a.code and b.code:
        keep = 2 if a.level == "province" else 4
        return a.code[:keep] == b.code[:keep]
    return a.level == "province" and bool(a.province) and a.province == b.province


def _level_rank(side: Side) -> int:
    """Rank of the level of a side's jurisdiction, for one that :func:`contains` another (so it has one)."""
    j = side.doc.jurisdiction
    assert j is not None, side.doc.path
    return LEVEL_RANK[j.level]


def _regions(e: Edge) -> tuple[tuple[int, int], tuple[int, int]]:
    """The target and source regions of a partial edge, which always has both."""
    assert e.t_range is not None and e.s_range is not None, e
    return e.t_range, e.s_range


def _common(e: Edge) -> int:
    """Characters a partial edge's two regions have in common (its score is their share of the longer one)."""
    (ta, tb), (sa, sb) = _regions(e)
    return round(e.score * max(tb - ta, sb - sa) / 100.0)


def _reflowed(e: Edge, tgt: Side) -> bool:
    """Whether a split or merged edge keeps the source's words: only where sentences end changed.

    Cutting a sentence at its comma, or joining two, is the commonest edit a
    city makes, and two cities make it alike: as evidence of which of them
    the target copied it is weak, unlike a changed word.
    """
    if e.kind not in ("split", "merged"):
        return False
    kept = [["equal", a, b] if op != "equal" and set(a + b) <= EDGE_PUNCT else [op, a, b] for op, a, b in e.diff]
    words = [op for op in kept if op[0] != "equal"]
    if not words:
        return True
    from lineage.align.diff import classify  # on first use, as the aligner does: it loads the gazetteer

    return classify(words) == "localized" and toward(kept, tgt.doc.jurisdiction)


def _letters(text: str) -> int:
    """Characters of a text, punctuation aside."""
    return len(text) - sum(text.count(c) for c in EDGE_PUNCT)


def _words(e: Edge, tgt: Side) -> int:
    """Characters of the target's text, punctuation aside, that an edge's source holds (its diff's equal runs)."""
    if e.diff:
        return sum(_letters(a) for op, a, _ in e.diff if op == "equal")
    text = tgt.atoms[e.t[0]].norm
    return _letters(text[slice(*_regions(e)[0])] if e.kind == "partial" else text)


def _chars(e: Edge, tgt: Side) -> int:
    if e.kind == "partial":
        a, b = _regions(e)[0]
        return b - a
    return sum(len(tgt.atoms[t].norm) for t in e.t)


def contexts(
    n: int, claims: dict[int, list[Claim]], n_sources: int, lends: Iterable[tuple[int, int]] = ()
) -> tuple[dict[tuple[int, int], tuple[int, int, int, int]], np.ndarray, np.ndarray]:
    """(source, target atom) -> (characters, exact characters, first atom, last atom) of the passage the
    source explains there; the exact characters per source and target atom; and the characters of
    atoms a source holds with the target's words but cut or joined differently (:func:`_reflowed`).

    The passage is the stretch of target atoms around the atom that the
    source explains about as well as any other source does (within
    :data:`SLACK`), bridging up to :data:`BRIDGE` atoms in a row that no
    source explains (the target's own sentences) and any atom it holds less
    well than another source (not counted); it ends at an atom only other
    sources hold.  A passage is taken from
    one document: its origin explains all of it, a sibling that dropped some
    of its sentences only pieces.  Within a stretch without a bridge, order
    does not matter: a paragraph the target moved is still explained around
    it; but a bridge joins only text the source holds nearby, in its order
    (:func:`_next_to`): where the
    target took a passage from one plan, wrote a few sentences of its own
    and went on with another plan that holds the first passage too, elsewhere,
    the other plan's text there is two passages, not one longer than the
    first plan's; and a pool sentence many plans hold (作为湖南而言，推进制造业
    发展……, localized), ending the paragraph before the target's own
    sentences, does not lengthen the passage after them for the one plan of
    those holding both that is not its origin (held-out seed 461).  The exact characters are
    those of atoms the source holds as the target has them (identical, or
    localized to the target).
    """
    best = np.zeros(n)
    claimed = np.zeros(n, dtype=bool)
    value = np.zeros((n_sources, n), dtype=np.int64)
    exact = np.zeros((n_sources, n), dtype=np.int64)
    reflow = np.zeros((n_sources, n), dtype=np.int64)
    holds = np.zeros((n_sources, n), dtype=bool)
    # the first and last source atoms of the source's claim there (a merged claim holds two)
    first = np.full((n_sources, n), -1, dtype=np.int64)
    last = np.full((n_sources, n), -1, dtype=np.int64)
    for t, cl in claims.items():
        claimed[t] = True
        best[t] = max(c.strength for c in cl)
    for i, t in lends:
        # a clause lent to a sentence no source holds as the target has it: the target wrote its sentence
        # around the clause (where another holds the sentence whole, the target took it from there)
        holds[i, t] |= best[t] < 100.0
    for t, cl in claims.items():
        for c in cl:
            holds[c.source, t] = True
            if c.strength >= best[t] - SLACK:
                if c.chars > value[c.source, t]:
                    first[c.source, t], last[c.source, t] = c.edge.s[0], c.edge.s[-1]
                value[c.source, t] = max(value[c.source, t], c.chars)
                if c.strength >= 100.0:
                    exact[c.source, t] = c.chars
                elif c.reflow:
                    reflow[c.source, t] = c.chars
    out: dict[tuple[int, int], tuple[int, int, int, int]] = {}

    def close(i: int, run: list[int]) -> None:
        got = (int(value[i, run].sum()), int(exact[i, run].sum()), run[0], run[-1])
        for u in run:
            out[(i, u)] = got

    for i in range(n_sources):
        run: list[int] = []
        gap = 0
        for t in range(n + 1):
            if t < n and value[i, t] > 0:
                if gap and run and not _next_to(last[i, run[-1]], first[i, t], gap):
                    # across the target's own sentences a passage goes on only where the source's text goes on
                    # nearby: the source's sentences far apart are two passages the target happened to put close
                    close(i, run)
                    run = []
                run.append(t)
                gap = 0
                continue
            if t < n and run and holds[i, t]:
                # held in another form (a sibling happens to hold it as the target has it, or the source lends
                # it a clause the target wrote a sentence around): goes on
                continue
            if t < n and not claimed[t] and gap < BRIDGE and run:
                gap += 1
                continue
            if run:
                close(i, run)
            run, gap = [], 0
    return out, exact, reflow


def _next_to(a: int, b: int, gap: int) -> bool:
    """Whether source atom ``b`` follows ``a`` closely, across ``gap`` target sentences of the target's own:
    the source's text goes on in its order there, whatever the pair's backbone (a sentence the target
    repeats elsewhere can pull it away)."""
    return a >= 0 and 0 < b - a <= gap + BRIDGE


def coherence_order(tgt: Side, sides: list[Side], per_source: list[list[Edge]]) -> dict[int, int]:
    """Rank sources by how much of the target each explains beyond the sources ranked before it.

    Greedy marginal coverage, as retrieval does with fingerprints, but on the
    alignments: a copy or a descendant of a source repeats what the source
    already explains and ranks after it.  A source known to be dated after the
    target (their date intervals do not overlap: :func:`lineage.dates.dated_after`)
    counts for LATER_PENALTY of its coverage; ties go to the earlier date.
    """
    n = len(tgt.atoms)
    cover = []
    for side, edges in zip(sides, per_source):
        c = np.zeros(n)
        for e in edges:
            chars = _chars(e, tgt) if e.kind == "partial" else len(tgt.atoms[e.t[0]].norm)
            c[e.t[0]] = max(c[e.t[0]], chars * strength(e, tgt, side) / 100.0)
        cover.append(c)
    weight = [LATER_PENALTY if dated_after(side.doc, tgt.doc) else 1.0 for side in sides]
    covered = np.zeros(n)
    left = set(range(len(sides)))
    rank: dict[int, int] = {}
    while left:
        gains = {i: float(np.maximum(cover[i] - covered, 0).sum()) * weight[i] for i in left}
        i = min(left, key=lambda k: (-gains[k], date_order(sides[k].doc.date), k))
        rank[i] = len(rank)
        covered = np.maximum(covered, cover[i])
        left.discard(i)
    return rank


@dataclass
class Claim:
    source: int  # index into the sources
    edge: Edge
    strength: float
    chars: int  # target characters it explains
    context: tuple[int, int] = (0, 0)  # the passage around it: characters, exactly held characters
    passage: tuple[int, int] = (0, -1)  # its first and last target atom
    reflow: bool = False  # the target's words, cut into sentences differently (:func:`_reflowed`)


def _definite(doc: Document, kinds: tuple[str, ...] = DEFINITE) -> str | None:
    return doc.date if doc.date and doc.date_kind in kinds else None


def _signed_after(doc: Document, tgt: Document, kinds: tuple[str, ...] = DEFINITE) -> bool:
    """Whether ``doc`` was signed after the target (both dates of ``kinds``): it gave the target nothing."""
    return bool(_definite(doc, kinds) and _definite(tgt, kinds) and dated_after(doc, tgt))


def _named(doc: Document, text: str, tgt: Document) -> bool:
    """Whether the target's text names the source's jurisdiction (not the target's, nor one above it)."""
    j = doc.jurisdiction
    if j is None or tgt.jurisdiction is None or j.name == tgt.jurisdiction.name or contains(j, tgt.jurisdiction):
        return False
    return any(n in text for n in names(j))


def _copied(a: Claim, b: Claim, sides: list[Side]) -> bool:
    """Whether ``b``'s text names ``a``'s jurisdiction (and not its own): ``b`` copied ``a``'s text."""
    ja, jb = sides[a.source].doc.jurisdiction, sides[b.source].doc.jurisdiction
    if ja is None or jb is None or ja.name == jb.name:
        return False
    text = "".join(sides[b.source].atoms[s].norm for s in b.edge.s)
    return any(n in text for n in names(ja)) and not any(n in text for n in names(jb))


def _unplaced(side: Side) -> set[str]:
    """A side's body sentences without its own place names and level words (浙江省/全省 and 绍兴市/全市 alike):
    not its title, notice or signature, nor the lines every plan writes (三、组织实施), which unrelated plans of
    one genre share word for word once their places are set aside."""
    own = own_names(side.doc.jurisdiction)
    return {placeless(a.norm, own) for a in side.atoms if len(a.norm) >= COPY_MIN_CHARS and _body(side, a)}


def _body(side: Side, atom: Atom) -> bool:
    """Whether the atom is of the document's body and not a line every plan writes alike (三、组织实施, a
    责任部门 line): a title, notice, signature or stock line tells nothing of where a text came from."""
    return side.ordered(atom) and not curated(atom.norm)


def copies_among(sides: list[Side]) -> dict[int, set[int]]:
    """Source -> the other sources it is a copy of (a sibling or descendant of each).

    ``b`` is a copy of ``a`` when at least :data:`COPY_OF` of ``b``'s body
    (sentences of :data:`COPY_MIN_CHARS` or more, by characters; not its
    title, notice or signature, which every plan of one title writes alike
    once its places are set aside) is found
    word for word in ``a`` -- each document's own place names and the level
    words (全省, 省级, 全市) set aside, as a city's adaptation of its
    province's plan rewrote them -- and ``a`` came first: the earlier date,
    or, where a date is missing, the higher level containing ``b``'s
    jurisdiction.  Unrelated documents of one genre share a few percent of
    such sentences (about a tenth in the benchmark, whose plans draw on one
    pool); a plan derived from another keeps about half of them.
    """
    texts = [_unplaced(s) for s in sides]
    sizes = [sum(len(t) for t in ts) for ts in texts]
    out: dict[int, set[int]] = defaultdict(set)
    for b, tb in enumerate(texts):
        if not sizes[b]:
            continue
        for a, ta in enumerate(texts):
            if a == b or sum(len(t) for t in tb if t in ta) < COPY_OF * sizes[b]:
                continue
            # where the dates cannot tell (either undated, or an estimate's range overlapping the other's
            # date), the higher level containing the other came first, as the graph's direction has it
            first = dated_after(sides[b].doc, sides[a].doc)
            if first or (first is None and contains(sides[a].doc.jurisdiction, sides[b].doc.jurisdiction)):
                out[b].add(a)
    return out


def nearer_copies(
    tgt: Side,
    sides: list[Side],
    copies: dict[int, set[int]],
    exact: np.ndarray,
    reflow: np.ndarray,
    body: np.ndarray,
    passages: np.ndarray,
) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    """(original, copy) pairs among the sources where the copy is the target's nearer source, and those
    where the original is: the target keeps, over its whole body, :data:`COPY_EVIDENCE` more characters
    as the original wrote them where the copy changed or dropped them than it shares of the copy's own
    edits, at :data:`HELD_ATOMS` sentences or more -- it worked from the original, and took only a few of
    the copy's sentences (a city copying its province's plan and two sentences of a sibling's), so the
    copy takes no passage around them that the original holds as well (rule 3), only what it holds better.

    Over the target's whole body the copy holds :data:`COPY_EVIDENCE` more
    characters as the target has them where the original differs than the
    original holds where the copy differs: the target follows the copy's own
    edits (a county plan copying its city's adaptation of the province's),
    at :data:`HELD_ATOMS` sentences or more (one may match by chance).
    A sibling -- a copy of the original the target copied too -- shares its
    edits with the target only by chance (a few dozen characters in the
    benchmark's crowded runs, against hundreds the target keeps as the
    original wrote them); a copy signed after the target gave it nothing.

    A sentence that a document outside the pair's family (``copies``,
    joined) holds as the target has it, in a longer passage than either of
    the two explains there (``passages``: characters of the passage each
    source explains, per target atom), counts for neither: the target took
    that passage from the third document.  A county plan drops sentences
    of its city's plan that the target holds from a third plan; counted as
    sentences the target kept as the original wrote them, they made the
    city plan the target's source (blind seed 372: recall 0.911).
    """
    nearer, farther = set(), set()
    family = _copy_families(copies, len(sides))
    before = [not _signed_after(side.doc, tgt.doc) for side in sides]
    for b, origins in copies.items():
        if not before[b]:
            continue
        # (a third document's passage, below, is no evidence either way)
        outside = [c for c in range(len(sides)) if before[c] and family[c] != family[b]]
        elsewhere = (exact[outside] > 0) * passages[outside] if outside else np.zeros((1, len(body)))
        longer = elsewhere.max(axis=0)
        for a in origins:
            free = body & ((passages[a] >= longer) | (passages[b] >= longer))
            against, edits = _unshared(exact[a] * free, exact[b] * free, reflow[a] * free, reflow[b] * free)
            if edits.sum() >= against.sum() + COPY_EVIDENCE and np.count_nonzero(edits) >= HELD_ATOMS:
                nearer.add((a, b))
            elif against.sum() >= edits.sum() + COPY_EVIDENCE and np.count_nonzero(against) >= HELD_ATOMS:
                farther.add((a, b))
    return nearer, farther


def _copy_families(copies: dict[int, set[int]], n: int) -> list[int]:
    """Each source's family: the sources joined to it by being copies of one another, as one number."""
    families = UnionFind(n)
    for b, origins in copies.items():
        for a in origins:
            families.union(a, b)
    return [families.find(i) for i in range(n)]


def _unshared(ea: np.ndarray, eb: np.ndarray, ra: np.ndarray, rb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per atom, the characters ``a`` holds as the target has them where ``b`` does not, and ``b`` where ``a``
    does not (from exact and re-cut characters per atom: a sentence held re-cut is held, but is no edit)."""
    return ea * ((ea > 0) & (eb == 0) & (rb == 0)), eb * ((eb > 0) & (ea == 0) & (ra == 0))


def _stretch(
    a: Claim, b: Claim, exact: np.ndarray, reflow: np.ndarray, body: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Characters ``a`` and ``b`` hold exactly as the target has them, then with its words cut differently,
    per target atom over ``b``'s passage: one stretch for both, of the target's body only."""
    sl = slice(b.passage[0], b.passage[1] + 1)
    out = (exact[a.source, sl], exact[b.source, sl], reflow[a.source, sl], reflow[b.source, sl])
    if body is None:
        return out
    ea, eb, ra, rb = (x * body[sl] for x in out)
    return ea, eb, ra, rb


def _held_as_written(a: Claim, b: Claim, exact: np.ndarray, reflow: np.ndarray, body: np.ndarray | None) -> bool:
    """Whether ``b`` holds the target's words over its passage where ``a`` changed them (rule 4).

    ``b`` holds this atom as the target has it and ``a`` with words changed (or alike: below); over
    ``b``'s passage ``b`` holds :data:`COPY_EVIDENCE` more characters as the target has them, at
    :data:`HELD_ATOMS` atoms or more that ``a`` holds changed or not at all (one of them may be one ``b``
    holds re-cut, with the target's words), or at one of :data:`HELD_LONG` characters or more held
    exactly, and ``a`` holds none as the target has it that ``b`` does not.  Where ``a`` holds this atom
    as the target has it too, ``b`` takes it only with a passage as long as ``a``'s: a tie on context
    (rule 5), which level (rule 6) would break.
    """
    if b.strength < 100.0 or a.reflow:
        return False
    if a.strength >= 100.0 and b.context[0] < a.context[0] - max(CONTEXT_TIE * a.context[0], CONTEXT_TIE_CHARS):
        return False
    ea, eb, ra, rb = _stretch(a, b, exact, reflow, body)
    if eb.sum() < ea.sum() + COPY_EVIDENCE or _unshared(ea, eb, ra, rb)[0].any():
        return False
    # sentences b holds as the target has them, or cut differently with its words, that a changed or lacks
    better = ((eb > 0) | (rb > 0)) & (ea == 0) & (ra == 0)
    if int(better.sum()) >= HELD_ATOMS:
        return True
    return int(eb[better].max(initial=0)) >= HELD_LONG


def _edition_of(doc: Document) -> tuple[str, str | None] | None:
    """What makes documents editions of one: the title without years and edition words, and the place."""
    key = title_key(doc.title)
    return (key, doc.jurisdiction.name if doc.jurisdiction else None) if key else None


def _latest_editions(tgt: Side, sides: list[Side], near: list[Claim]) -> list[Claim]:
    """Of editions of one document holding the atom alike, the one in force for the target: not after it,
    the edition for the period its title names, else the latest.

    Editions share a place and a title up to its years and edition words (征求意见稿, 2021年修订), and
    their titles differ in those, not only in naming the place: copies of one version, and the namesake
    plans of one place, are the other rules' to tell apart.

    A revision is made from the edition in force, not from its draft nor from the edition it replaced:
    the 2021 revision of a plan takes its text from the 2020 plan, which holds the draft's sentences too.
    An edition for the target's own period comes first: a city's plan for 2015—2018 adapts its
    province's plan for 2015—2018, not the one for 2021—2023 that kept some of its sentences (seed 473,
    whose target's only date is an estimate from its text, after both).
    An edition holding the atom more strongly stays to compete (the target has that edition's words).
    """
    family: dict[tuple[str, str | None], list[Claim]] = defaultdict(list)
    for c in near:
        key = _edition_of(sides[c.source].doc)
        if key:
            family[key].append(c)

    period = title_years(tgt.doc.title)

    def order(c: Claim) -> tuple[bool, bool, bool, str]:
        doc = sides[c.source].doc
        return (
            not dated_after(doc, tgt.doc),
            bool(period) and title_years(doc.title) == period,
            not DRAFT.search(doc.title or ""),
            doc.date or "",
        )

    drop = set()
    for cs in family.values():
        if len({c.source for c in cs}) < 2:
            continue
        keep = max(cs, key=lambda c: (c.strength, order(c)))
        title = title_without_place(sides[keep.source].doc.title)
        # (a copy, or another document of the same name, has the same title: not an edition -- also where
        # only one names its place, 四川省“十四五”制造业高质量发展规划 beside “十四五”制造业高质量发展规划)
        drop |= {
            id(c) for c in cs if title_without_place(sides[c.source].doc.title) != title and c.strength <= keep.strength
        }
    return [c for c in near if id(c) not in drop]


def pick(
    tgt: Side,
    sides: list[Side],
    claims: list[Claim],
    rank: dict[int, int],
    copies: dict[int, set[int]] | None = None,
    exact: np.ndarray | None = None,
    reflow: np.ndarray | None = None,
    body: np.ndarray | None = None,
    nearer: set[tuple[int, int]] | None = None,
    farther: set[tuple[int, int]] | None = None,
    repeated: int | None = None,
    why: dict[int, str] | None = None,
) -> Claim:
    """The most plausible origin among the claims on one target atom (the module docstring's rule).

    ``exact``, ``reflow``: characters each source holds exactly as the target has them, and with the
    target's words cut differently, per target atom (from :func:`contexts`), to weigh a copy against its
    original over the copy's passage; ``body``: the target atoms of its body (a title and a signature
    written alike for every city, 佛山市...行动计划 as 石家庄市...行动计划 has it, tell nothing);
    ``repeated``: the source an earlier occurrence of this sentence in the target went to (rule 7b).
    ``why``, if given, is filled with the rule that set each other source aside (a key of
    :data:`lineage.align.set_aside.SET_ASIDE`).
    """
    why = {} if why is None else why
    near = claims

    def keep(left: list[Claim], rule: str) -> None:
        """Narrow the candidates to ``left`` (unless it is empty: the rule cannot tell them apart); a source is
        set aside by the rule that removes its last claim (one source may hold an atom twice)."""
        nonlocal near
        if left and len(left) < len(near):
            staying = {c.source for c in left}
            for c in near:
                if c.source not in staying:
                    why[c.source] = rule
            near = left

    top = max(c.strength for c in claims)
    keep([c for c in claims if c.strength >= top - SLACK], "weaker")
    if len(near) == 1:
        return near[0]
    keep(_latest_editions(tgt, sides, near), "edition")
    if len(near) == 1:
        return near[0]
    text = "".join(tgt.atoms[t].norm for t in near[0].edge.t)
    named = [c for c in near if _named(sides[c.source].doc, text, tgt.doc)]
    others = [c.strength for c in near if c not in named]
    if named and max(c.strength for c in named) > max(others, default=-1.0):
        keep(named, "named")
    if copies:
        # a copy of another candidate loses to it, unless the target shares the copy's own text around here
        def took(a: Claim, b: Claim) -> bool:
            """Whether the target took the copy ``b``'s own text around here, rather than ``a``'s."""
            if _signed_after(sides[b.source].doc, tgt.doc):
                return False  # a copy signed after the target did not give it its edits: they made the same ones
            if exact is None or reflow is None:
                return b.context[1] >= a.context[1] + COPY_EVIDENCE
            ea, eb, ra, rb = _stretch(a, b, exact, reflow, body)
            if eb.sum() < ea.sum() + COPY_EVIDENCE:
                return False
            # words the copy changed (or holds too loosely to compete) that the target has as the original
            # wrote them: only words the copy changed and the target shares outweigh them, not sentences
            # cut at the same comma
            against, words = _unshared(ea, eb, ra, rb)
            if (a.source, b.source) in (farther or ()):
                # the target worked from the original over its body (nearer_copies): here only a stretch dense
                # with the copy's own edits, which nothing the target keeps of the original contradicts, is the
                # copy's -- not a long passage both hold alike around two sentences the target took from it, nor a
                # passage around one sentence the copy happened to edit as the target did
                return (
                    not against.any()
                    and words.sum() >= max(COPY_EVIDENCE, COPY_DENSITY * eb.sum())
                    and bool(np.count_nonzero(words) >= HELD_ATOMS or words.max() >= HELD_LONG)
                )
            return not against.any() or words.sum() >= COPY_EVIDENCE

        keep(
            [
                b
                for b in near
                if not any(
                    a.source in copies.get(b.source, ())
                    and (
                        b.strength <= a.strength
                        or a.reflow
                        or _placeless(b, tgt, sides[b.source]) <= _placeless(a, tgt, sides[a.source])
                    )
                    and (a.source, b.source) not in (nearer or ())
                    and not took(a, b)
                    for a in near
                )
            ],
            "copy",
        )
        if nearer:
            # the target's nearer source, a copy it follows over its whole body, takes what it holds as strongly
            keep(
                [
                    a
                    for a in near
                    if not any((a.source, b.source) in nearer and b.strength >= a.strength for b in near if b is not a)
                ],
                "nearer_copy",
            )
    if exact is not None and reflow is not None:
        # a passage held as the target has it beats one the target's words were changed in, however long
        # (a copy of another candidate here is left to the copy rule above)
        sources = {c.source for c in near}
        held = [
            b
            for b in near
            if b.strength >= 100.0
            and not (copies and copies.get(b.source, set()) & sources)
            # a document signed after the target gave it nothing; that it holds the words the target wrote
            # is for the rules below to weigh
            and not _signed_after(sides[b.source].doc, tgt.doc)
        ]
        keep(
            [a for a in near if not any(_held_as_written(a, b, exact, reflow, body) for b in held if b is not a)],
            "held",
        )
    longest = max(c.context[0] for c in near)
    keep([c for c in near if c.context[0] >= longest - max(CONTEXT_TIE * longest, CONTEXT_TIE_CHARS)], "context")
    tj = tgt.doc.jurisdiction
    # a higher level breaks a tie between sources holding the text alike: a province holding the sentence
    # reworded does not win it from a plan holding it as the target has it
    closest = max(c.strength for c in near)
    above = [c for c in near if contains(sides[c.source].doc.jurisdiction, tj) and c.strength >= closest - LEVEL_SLACK]
    if above:
        # a copy of another of them is its original's text (rule 3 left both, the target sharing some of the
        # copy's edits nearby): the original is the origin, as the higher level.  Of the others, the nearest
        # level: a city plan localizes its province's plan, not the national one the province plan may echo
        containing = {c.source for c in above}
        originals = [c for c in above if not (copies and copies.get(c.source, set()) & containing)] or above
        lvl = max(_level_rank(sides[c.source]) for c in originals)
        keep([c for c in originals if _level_rank(sides[c.source]) == lvl], "level")
    written = {id(c): _held_words(c, near, exact, reflow, copies) for c in near}
    most = max(written.values())
    keep([c for c in near if written[id(c)] >= most - CONTEXT_TIE_CHARS], "exactness")
    if repeated is not None:
        # the target holds this sentence earlier too, given to ``repeated``: one sentence copied twice from
        # one document, where nothing above tells the sources apart (rule 7b)
        keep([c for c in near if c.source == repeated], "repeated")
    dated = [(d, c) for c in near if (d := _definite(sides[c.source].doc))]
    if dated and len(dated) == len(near):
        first = min(d for d, _ in dated)
        keep([c for d, c in dated if d == first], "date")
    keep([b for b in near if not any(_copied(a, b, sides) for a in near if a is not b)], "named_copy")
    won = min(near, key=lambda c: (rank[c.source], -c.edge.score, -c.strength))
    keep([won], "coherence")
    return won


def _held_words(
    c: Claim,
    near: list[Claim],
    exact: np.ndarray | None,
    reflow: np.ndarray | None,
    copies: dict[int, set[int]] | None,
) -> int:
    """Characters of the claim's passage held with the target's words (rule 7), whether cut into sentences
    as the target cut them or not: two unrelated plans cutting a long sentence at the same comma tell
    nothing.  Between a copy and its original the cut is the copy's edit (rule 3): a sentence the source
    holds cut otherwise does not count where its copy or original among ``near`` holds it as the target cut it."""
    if exact is None or reflow is None:
        return c.context[1]
    sl = slice(c.passage[0], c.passage[1] + 1)
    kin = [
        o.source
        for o in near
        if copies and (o.source in copies.get(c.source, ()) or c.source in copies.get(o.source, ()))
    ]
    recut = reflow[c.source, sl] * ~(exact[kin, sl] > 0).any(axis=0) if kin else reflow[c.source, sl]
    # (one atom may hold two claims of the source, one exact and one re-cut: counted once)
    return int(np.maximum(exact[c.source, sl], recut).sum())


def _beside(source: int, e: Edge, owner: dict[int, int]) -> bool:
    """Whether the source was given the nearest target atom given to any source before or after the edge's
    (the target's own sentences in between, up to :data:`BRIDGE` of them, aside)."""
    for step, start in ((-1, e.t[0] - 1), (1, e.t[-1] + 1)):
        for t in range(start, start + step * (BRIDGE + 1), step):
            if t in owner:
                if owner[t] == source:
                    return True
                break
    return False


def resolve(
    tgt: Side, sides: list[Side], per_source: list[list[Edge]]
) -> tuple[list[list[Edge]], dict[int, list[tuple[int, Edge, str]]]]:
    """Give every target atom to one source (see the module docstring).

    Returns the edges kept per source, and for each kept edge (by ``id``)
    the other sources' edges holding the same target atom as strongly (the
    same passage in a sibling or a copy: ``also_in``), each with the rule
    that set it aside (a key of :data:`lineage.align.set_aside.SET_ASIDE`).
    """
    for side, edges in zip(sides, per_source):
        moved_flags(edges, side, tgt)  # (assembling the result marks the kept ones again)
    rank = coherence_order(tgt, sides, per_source)
    claims: dict[int, list[Claim]] = defaultdict(list)
    lent: list[tuple[int, Edge]] = []  # (source, edge) of every lifted clause
    for i, (side, edges) in enumerate(zip(sides, per_source)):
        for e in edges:
            if e.kind == "partial":
                lent.append((i, e))
            else:
                claims[e.t[0]].append(Claim(i, e, strength(e, tgt, side), _chars(e, tgt), reflow=_reflowed(e, tgt)))
    # a clause the source lends a sentence the target wrote around it does not end the source's passage there
    ctx, exact, reflow = contexts(len(tgt.atoms), claims, len(sides), [(i, t) for i, e in lent for t in e.t])
    for cl in claims.values():
        for c in cl:
            got = ctx.get((c.source, c.edge.t[0]))
            if got is not None:
                c.context, c.passage = got[:2], got[2:]
    out: list[list[Edge]] = [[] for _ in sides]
    also: dict[int, list[tuple[int, Edge, str]]] = {}
    copies = copies_among(sides)
    # the evidence of where a passage came from: the target's body, without the lines every plan writes alike
    # (a 责任部门 line one source happens to hold as the target has it is no sign it wrote the passage)
    body = np.fromiter((_body(tgt, a) for a in tgt.atoms), dtype=bool, count=len(tgt.atoms))
    passages = np.zeros(exact.shape, dtype=np.int64)  # characters of the passage each source explains per atom
    for (i, t), got in ctx.items():
        passages[i, t] = got[0]
    nearer, farther = nearer_copies(tgt, sides, copies, exact, reflow, body, passages)
    # (signed or given dates only: a reprint of the real source published after the target must not lose to it)
    after = {i for i, side in enumerate(sides) if _signed_after(side.doc, tgt.doc, kinds=MADE_DATES)}
    # a clause only a document signed after the target holds is the target's own, which that one took
    partials = [(i, e) for i, e in lent if i not in after]
    lifted: dict[int, list[tuple[int, int]]] = defaultdict(list)  # atom -> (source, words) of its partial edges
    for i, e in partials:
        lifted[e.t[0]].append((i, _words(e, tgt)))
    won_atoms = set()
    went: dict[str, int] = {}  # a sentence of the target -> the source its first occurrence went to
    for t in sorted(claims):
        # a copy's loose match (a piece of a sentence it cut) holding no more of the target's words than the
        # clause its original lends the target: the original's lifted clause explains it (partials, below)
        cl = claims[t]
        if t in lifted:
            cl = [
                c
                for c in cl
                if c.strength >= 100.0
                or (held := _words(c.edge, tgt)) >= LOOSE * sum(_letters(tgt.atoms[x].norm) for x in c.edge.t)
                or not any(a in copies.get(c.source, ()) and w >= held for a, w in lifted[t])
            ]
        if not cl:
            continue
        # a document signed after the target gave it nothing: where one signed before holds the sentence at
        # all (the province's wording the target changed, which a later city then copied), it is the origin
        earlier = [c for c in cl if c.source not in after]
        if not earlier and t in lifted:
            continue  # nor where one signed before lent a clause of it: the target wrote the rest
        won_atoms.add(t)
        norm = tgt.atoms[t].norm
        why: dict[int, str] = {}
        won = pick(tgt, sides, earlier or cl, rank, copies, exact, reflow, body, nearer, farther, went.get(norm), why)
        if len(norm) >= COPY_MIN_CHARS:
            went.setdefault(norm, won.source)
        out[won.source].append(won.edge)
        top = max(c.strength for c in cl)
        others = [
            (c.source, c.edge, why.get(c.source) or ("later" if c.source in after else "weaker"))
            for c in cl
            if c is not won and c.source != won.source and c.strength >= top - SLACK
        ]
        if others:
            also[id(won.edge)] = sorted(others, key=lambda x: (rank[x[0]], x[1].s))
    partials = [(i, e) for i, e in partials if e.t[0] not in won_atoms]
    # as inside one pair (align.partial_edges): most characters in common first; of sources lending the same
    # clause, the one the passage around the sentence came from (rule 5, context: the target wrote its
    # sentence around a clause of the text it was copying); then the most verbatim -- a longer region is not
    # better for taking in a neighbouring comma or a changed place name
    owner = {t: i for i, edges in enumerate(out) for e in edges for t in e.t}
    partials.sort(
        key=lambda x: (-_common(x[1]), not _beside(x[0], x[1], owner), -x[1].score, rank[x[0]], x[1].t, x[1].t_range)
    )
    taken: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for i, e in partials:
        a, b = _regions(e)[0]
        if any(a < y and x < b for x, y in taken[e.t[0]]):
            continue
        taken[e.t[0]].append((a, b))
        out[i].append(e)
    return out, also
