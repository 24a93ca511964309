"""Search the corpus for a text: every document holding it or a near variant, with the span, score and diff.

1. **Candidates**: the query's normalized text is looked up in the search
   index (:mod:`lineage.explore.search_index`: the n-gram index without its
   document-frequency cap), which gives, per document, the atoms (sentences,
   headings, tables) sharing fingerprints with the query.  A query shorter
   than :data:`SHORT` characters may leave no fingerprint in a document
   holding it (winnowing guarantees one only in a shared stretch of 12
   characters), so such a query is also looked up word for word in every
   document's cached atom texts.  At most :data:`VERIFY_BUDGET` documents are
   verified, those sharing the most fingerprints first; the rest are counted
   and reported, never silently dropped.
2. **Verification**: around each run of candidate atoms (with a neighbour on
   each side, so a reworded first or last sentence is still covered) the
   query is found word for word, or else placed by rapidfuzz's
   ``partial_ratio_alignment`` and its edges fixed by an Indel alignment (a
   localized start such as 浙江省 -> 绍兴市 is taken in, a neighbouring
   sentence is not).  ``score`` is the rapidfuzz ratio of the query and the
   matched text, both normalized: 100 for the text word for word, about 90
   for a 30-character sentence with one jurisdiction swapped.
3. **Versions**: with a dedup result in the store, copies of one version are
   one hit listing every copy with its own spans (copies are different
   files: their offsets differ); a hit's metadata is the version's, taken as
   the graph takes it (:func:`lineage.graph.nodes.make_version`).

Spans are Python str index ranges into each decoded original file, so
``text[s:e]`` is the matched text (for HTML, the markup holding it).
Everything returned is a plain dataclass with ``to_dict``; nothing here
prints.
"""

from __future__ import annotations

import time
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.distance import Indel, LCSseq

from lineage.align.diff import classify, diff
from lineage.align.index import NGRAM, WINDOW
from lineage.align.places import LEVEL_WORDS
from lineage.align.sides import _span_map
from lineage.dedup.result import DedupResult
from lineage.explore.search_index import DocAtoms, SearchIndex, StageProgress
from lineage.graph.nodes import Version, make_version
from lineage.ingest.htmltext import extract
from lineage.ingest.normalize import fold, normalize
from lineage.ingest.offsets import OffsetMap
from lineage.ingest.structure import _LINE_BREAK
from lineage.model import LEVEL_RANK, Document, Unit
from lineage.store import Store, display_text

DEFAULT_MIN_SCORE = 70.0
SHORT = NGRAM + WINDOW - 1  # 12: a shared stretch this long always leaves a fingerprint on both sides
# a query up to this long that no document holds word for word (it may carry a typo) is looked for by its halves
TYPO_SCAN = 30
VERIFY_BUDGET = 3000  # candidate documents verified per query
# A run of sentences is verified when it shares at least this share of the fingerprints a copy of the query
# would leave (about 2/(WINDOW+1) of its n-grams); copies share 25% or more of them (winnowing varies per
# document), lightly reworded variants somewhat less.
MIN_SHARED = 0.15
# rapidfuzz's partial_ratio_alignment costs about the cube of the query's length (1 ms at 256 characters, 1 s at
# 2,000); a longer query is placed by one Indel alignment with the region instead (0.1 ms at 700 characters)
PLACE_BY_WINDOW = 256
JOINT = " | "  # between the cells of a table's normalized text (lineage.ingest.structure.table_norm)
_BREAKS = frozenset("。;!?,:、")  # an edge fix never takes in a neighbour across these (normalized forms)


@dataclass
class Match:
    """One occurrence in one file."""

    span: tuple[int, int]  # into the decoded original file
    score: float  # rapidfuzz ratio of the normalized query and the matched text
    text: str  # the matched text as a reader sees it (markup removed for HTML)
    norm: str  # the matched text normalized
    unit: str  # the unit (sentence, else block) where the match starts
    part: str  # wrapper | notice | title | body | attachment

    def to_dict(self) -> dict[str, Any]:
        return {
            "span": list(self.span),
            "score": self.score,
            "text": self.text,
            "norm": self.norm,
            "unit": self.unit,
            "part": self.part,
        }


@dataclass
class Copy:
    """A file holding the version (several paths when they hold the same bytes)."""

    sha256: str
    paths: list[str]
    matches: list[Match]  # in file order; empty when this copy does not hold the text (a truncated copy)

    def to_dict(self) -> dict[str, Any]:
        return {"sha256": self.sha256, "paths": list(self.paths), "matches": [m.to_dict() for m in self.matches]}


@dataclass
class Placed:
    """A document version and where it stands: what a hit and a point of a diffusion timeline both say."""

    version: str | None  # dedup cluster id (the graph's node id); None when copies are not grouped
    title: str | None
    date: str | None
    date_kind: str | None
    date_range: tuple[str, str] | None
    jurisdiction: dict[str, Any] | None
    level: str | None
    path: str  # the copy reported: the canonical one when it holds the text
    sha256: str

    def placed_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "title": self.title,
            "date": self.date,
            "date_kind": self.date_kind,
            "date_range": list(self.date_range) if self.date_range else None,
            "jurisdiction": self.jurisdiction,
            "level": self.level,
            "path": self.path,
            "sha256": self.sha256,
        }


@dataclass
class Hit(Placed):
    """A document version holding the query or a near variant."""

    span: tuple[int, int]  # the reported copy's best match
    score: float
    relation: str  # identical | localized | modified (the query -> the matched text)
    text: str
    norm: str
    diff: list[list[str]]  # token diff query -> matched text (empty when identical)
    occurrences: int  # matches in the reported copy
    copies: list[Copy]

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.placed_dict(),
            "span": list(self.span),
            "score": self.score,
            "relation": self.relation,
            "text": self.text,
            "norm": self.norm,
            "diff": self.diff,
            "occurrences": self.occurrences,
            "copies": [c.to_dict() for c in self.copies],
        }


@dataclass
class SearchResult:
    query: str
    norm_query: str
    hits: list[Hit]  # best score first, then earliest date
    total: int  # hits before the limit
    grouped: bool  # copies of one version grouped (a dedup result was in the store)
    notes: list[str] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "norm_query": self.norm_query,
            "total": self.total,
            "grouped": self.grouped,
            "hits": [h.to_dict() for h in self.hits],
            "notes": list(self.notes),
            "stats": dict(self.stats),
        }


# -- finding ----------------------------------------------------------------------------------------

Found = dict[str, list[tuple[int, int, float]]]  # sha -> (start, end, score) in its DocAtoms.norm


def find(
    sidx: SearchIndex, q: str, min_score: float = DEFAULT_MIN_SCORE, budget: int = VERIFY_BUDGET
) -> tuple[Found, dict[str, Any]]:
    """Occurrences of the normalized query ``q`` in every document, by sha, in normalized coordinates."""
    cands = _candidates(sidx, q)
    n_q = max(1, sum(1 for c in q if c in "。;!?"))  # sentences in the query
    floor = max(1, int(MIN_SHARED * 2 * (len(q) - NGRAM + 1) / (WINDOW + 1)))
    span = _max_atoms(n_q)
    runs = {sha: [r for r in _runs(hit, 1 + n_q, span) if r[2] >= floor] for sha, hit in cands.items()}
    best = {sha: max(r[2] for r in rs) for sha, rs in runs.items() if rs}
    order = sorted(best, key=lambda s: (-best[s], s))
    verify, rest = order[:budget], order[budget:]
    stats: dict[str, Any] = {
        "candidates": len(cands),
        "min_shared": floor,
        "below_min_shared": len(cands) - len(order),
        "unverified": len(rest),
    }
    found: Found = {}
    for sha in verify:
        occ = _verify(q, sidx.atoms(sha), runs[sha], min_score)
        if occ:
            found[sha] = occ
    stats["verified"] = len(verify)
    if len(q) < SHORT:
        scanned = 0
        for sha, atoms in sidx.scan(q):
            scanned += 1
            exact = _exact(q, atoms.norm, 0, len(atoms.norm))
            found[sha] = _merge(found.get(sha, []), exact)
        stats["scanned"] = True
        stats["found_by_scan"] = scanned
    elif len(q) <= TYPO_SCAN and not any(sc == 100.0 for occ in found.values() for _, _, sc in occ):
        stats["found_by_pieces"] = _pieces_scan(sidx, q, min_score, found)
    return found, stats


def _pieces_scan(sidx: SearchIndex, q: str, min_score: float, found: Found) -> int:
    """Look for ``q``'s halves word for word in every document, and verify around them; how many documents
    held a variant the index had not given.

    One typo in a short query can leave no stretch of 12 characters in
    common, so no fingerprint need be shared with the document holding it
    (the index may still give others that hold the same sentence); one of
    the halves is still there word for word.  Done only when no document
    holds the query word for word: a query typed right pays nothing.
    """
    half = len(q) // 2
    pieces = [q[:half], q[half:]]
    added = 0
    for sha, atoms in sidx.scan_any(pieces):
        if sha in found:
            continue
        hits: dict[int, int] = {}
        for p in pieces:
            i = atoms.norm.find(p)
            while i >= 0:
                hits[atoms.atom_at(i)] = 1
                i = atoms.norm.find(p, i + 1)
        occ = _verify(q, atoms, _runs(hits, 1, _max_atoms(1)), min_score)
        if occ:
            found[sha] = occ
            added += 1
    return added


def _candidates(sidx: SearchIndex, q: str) -> dict[str, dict[int, int]]:
    """Per document, its atoms sharing fingerprints with ``q`` and how many."""
    out: dict[str, dict[int, int]] = {}
    for part, _, atom, cnt in sidx.index.hits([q]):
        doc = part.doc_of(atom)
        local = atom - part.doc_starts[doc]
        order = np.argsort(doc, kind="stable")
        doc, local, cnt = doc[order], local[order], cnt[order]
        cuts = np.flatnonzero(np.diff(doc)) + 1
        for d, a, c in zip(np.split(doc, cuts), np.split(local, cuts), np.split(cnt, cuts)):
            if len(d):
                got = out.setdefault(part.shas[int(d[0])], {})
                for k, v in zip(a.tolist(), c.tolist()):
                    got[k] = got.get(k, 0) + v
    return out


def _max_atoms(n_q: int) -> int:
    """The most atoms a variant of a query of ``n_q`` sentences can span.

    A variant scoring 70 is at most 1.86 times the query's length (ratio =
    2 x common / total), so about twice its sentences, and a heading or two
    of its own.
    """
    return 2 * n_q + 2


def _runs(hit: dict[int, int], gap: int, span: int) -> list[list[int]]:
    """Runs of candidate atoms, [first, last, fingerprints shared], bridging gaps of up to ``gap`` atoms
    (and the neighbour each side verification adds), none longer than ``span`` atoms.

    Without the bound, the gap a long query allows (its sentence count) chains
    the stock phrases of a whole document into one run: their sum passes the
    floor and the whole document is verified, at a cost in the query's
    length times the document's.  A longer run is cut into its best windows
    of ``span`` atoms.
    """
    out: list[list[int]] = []
    for a in sorted(hit):
        if out and a - out[-1][1] <= gap + 2:
            out[-1][1] = a
            out[-1][2] += hit[a]
        else:
            out.append([a, a, hit[a]])
    return [w for r in out for w in ([r] if r[1] - r[0] < span else _windows(hit, r, span))]


def _windows(hit: dict[int, int], run: list[int], span: int) -> list[list[int]]:
    """The best non-overlapping windows of at most ``span`` atoms of a run, most fingerprints first."""
    atoms = [a for a in sorted(hit) if run[0] <= a <= run[1]]
    wins = []
    j, total = 0, 0
    for a in atoms:  # every window ending at atom a, as long as it can be
        total += hit[a]
        while a - atoms[j] >= span:
            total -= hit[atoms[j]]
            j += 1
        wins.append([atoms[j], a, total])
    out: list[list[int]] = []
    for w in sorted(wins, key=lambda w: (-w[2], w[0])):
        if all(w[1] < o[0] or o[1] < w[0] for o in out):
            out.append(w)
    return sorted(out)


def _verify(q: str, atoms: DocAtoms, runs: list[list[int]], min_score: float) -> list[tuple[int, int, float]]:
    """Matches of ``q`` around runs of candidate atoms, each with a neighbour on both sides."""
    n = len(atoms.starts) - 1
    out: list[tuple[int, int, float]] = []
    for first, last, _ in runs:
        if first >= n:
            continue  # fingerprints of an older parse
        a, b = max(0, first - 1), min(n - 1, last + 1)
        lo, hi = atoms.starts[a], atoms.starts[b + 1]
        walls = [atoms.starts[i] - lo for i in range(a + 1, b + 1) if atoms.block_of[i] != atoms.block_of[i - 1]]
        got = _exact(q, atoms.norm, lo, hi) or _fuzzy(q, atoms.norm, lo, hi, min_score, walls)
        out = _merge(out, got)
    return out


def _exact(q: str, text: str, lo: int, hi: int) -> list[tuple[int, int, float]]:
    out = []
    i = text.find(q, lo, hi)
    while i >= 0:
        out.append((i, i + len(q), 100.0))
        i = text.find(q, i + len(q), hi)
    return out


def _fuzzy(
    q: str, text: str, lo: int, hi: int, min_score: float, walls: list[int] | None = None
) -> list[tuple[int, int, float]]:
    """The best near match of ``q`` in ``text[lo:hi]``, if it scores ``min_score``.

    ``walls``: where a block (paragraph, heading, table) starts inside the
    region; a match is not stretched across one, and a block at either end
    of a match that does not raise its score is left out (the next
    paragraph's first words are not part of a heading's match).
    """
    region = text[lo:hi]
    # no window of the region can score more than 2L/(|q|+L), L the longest common subsequence (bit-parallel: cheap)
    common = LCSseq.similarity(q, region)
    if 200.0 * common / (len(q) + common) < min_score:
        return []
    placed = _place(q, region, min_score)
    if placed is None:
        return []
    walls = walls or []
    x, y = _edges(q, region, *placed, walls)
    if y <= x:
        return []
    x, y = _within_blocks(q, region, x, y, walls)
    score = round(fuzz.ratio(q, region[x:y]), 1)
    return [(lo + x, lo + y, score)] if score >= min_score else []


def _within_blocks(q: str, region: str, x: int, y: int, walls: list[int]) -> tuple[int, int]:
    """``region[x:y]`` without a first or last block whose part of it does not raise the score."""
    best = fuzz.ratio(q, region[x:y])
    while True:
        inner = [w for w in walls if x < w < y]
        if not inner:
            return x, y
        cuts = [(inner[0], y), (x, inner[-1])]
        score, cut = max((fuzz.ratio(q, region[a:b]), (a, b)) for a, b in cuts)
        if score < best:
            return x, y
        best, (x, y) = score, cut


def _place(q: str, region: str, min_score: float) -> tuple[int, int] | None:
    """Where in ``region`` the best window for ``q`` lies (a first placement, its edges fixed by _edges)."""
    if len(q) <= PLACE_BY_WINDOW:
        al = fuzz.partial_ratio_alignment(q, region, score_cutoff=min_score * 0.8)
        return None if al is None else (al.dest_start, al.dest_end)
    # a long query: the stretch between the first and the last shared n-gram of one alignment, stretched by
    # the query characters left over at each end (single shared characters are chance)
    runs = [o for o in Indel.opcodes(q, region) if o.tag == "equal" and o.src_end - o.src_start >= NGRAM]
    if not runs:
        return None
    x = max(0, runs[0].dest_start - runs[0].src_start)
    y = min(len(region), runs[-1].dest_end + len(q) - runs[-1].src_end)
    return x, y


def _edges(q: str, region: str, x: int, y: int, walls: list[int] | None = None) -> tuple[int, int]:
    """Where the variant of ``q`` placed at ``region[x:y]`` really starts and ends.

    The placement has the query's length; an insertion or a deletion moves
    the true edges.  An Indel alignment of the query with the placement and a
    margin gives runs of shared characters (runs of one character are
    chance); of the first and last few runs, the start and end that give the
    best ratio are kept (a neighbouring sentence that happens to start with
    the query's first words is left out).  Query characters left over before
    the start (or after the end) are then taken as replaced by as many
    characters of the document, up to a sentence or clause break that the
    query does not have there: so 浙江省加快 -> 绍兴市加快 starts at 绍.
    """
    m = 2 + len(q) // 8
    lo, hi = max(0, x - m), min(len(region), y + m)
    sub = region[lo:hi]
    runs = [(o.src_start, o.src_end, o.dest_start, o.dest_end) for o in Indel.opcodes(q, sub) if o.tag == "equal"]
    solid = [r for r in runs if r[1] - r[0] >= 2] or runs
    if not solid:
        return 0, 0
    pairs = [(h, t) for h in solid[:4] for t in solid[-4:] if t[3] > h[2]]
    head, tail = max(pairs, key=lambda p: (fuzz.ratio(q, sub[p[0][2] : p[1][3]]), p[0][2] - p[1][3]))
    a, b = head[2], tail[3]
    wall = {w - lo for w in walls or []}  # block starts, in ``sub``
    for k in range(head[0] - 1, -1, -1):
        if a == 0 or a in wall or (sub[a - 1] in _BREAKS and sub[a - 1] != q[k]):
            break
        a -= 1
    for k in range(tail[1], len(q)):
        if b == len(sub) or b in wall or (sub[b] in _BREAKS and sub[b] != q[k]):
            break
        b += 1
    # a place the query names is replaced only by a place: 全省 -> 全市 is the text localized, but 全省 ->
    # 立的 (the end of 设立的) is the query's place missing there, not a word of the match; nor do words stand
    # for an outline number (1. before 建设)
    if not _stands_for(q[head[0] - (head[2] - a) : head[0]], sub[a : head[2]]):
        a = head[2]
    if not _stands_for(q[tail[1] : tail[1] + (b - tail[3])], sub[tail[3] : b]):
        b = tail[3]
    return lo + a, lo + b


def _han(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff"


def _stands_for(query: str, text: str) -> bool:
    """Whether ``text`` can stand for ``query`` at a match's edge, character for character: a level character
    (省, 市...) of the query only for one, a Chinese character only for one."""
    return not any(
        (x in LEVEL_WORDS and y not in LEVEL_WORDS) or (_han(x) and not _han(y)) for x, y in zip(query, text)
    )


def _merge(a: list[tuple[int, int, float]], b: list[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
    """Matches of both lists in order; of two overlapping matches, the better one."""
    out: list[tuple[int, int, float]] = []
    for m in sorted(set(a) | set(b), key=lambda m: (-m[2], m[0], m[1])):
        if all(m[1] <= o[0] or o[1] <= m[0] for o in out):
            out.append(m)
    return sorted(out)


# -- from normalized matches to hits ---------------------------------------------------------------------


class _Files:
    """Documents as hits need them (text without units: spans are mapped block by block), and the diffs of
    matched texts against the query.  The documents are kept by the index across searches (DOCS_KEPT, the
    most recently used: a server answers many searches over one database state); the diffs for one search
    (1,316 holders of a short query held 13 distinct texts)."""

    def __init__(self, sidx: SearchIndex) -> None:
        self.sidx = sidx
        self.diffs: dict[str, tuple[list[Any], str]] = {}

    def doc(self, sha: str) -> Document:
        return self.sidx.kept("doc", sha, self._load)

    def _load(self, sha: str) -> Document:
        d = self.sidx.store.load(sha, units=False)
        paths = self.sidx.store.paths_of(sha)
        d.path = paths[0] if paths else d.path
        return d

    def block_rows(self, sha: str) -> list[list[Any]]:
        """The stored block rows ([id, kind, level, part, start, end, marker, section]) without folding them."""
        return self.sidx.kept("blocks", sha, self.sidx.store.block_rows)

    def diff(self, q: str, norm: str) -> tuple[list[Any], str]:
        """The edits from the query to a matched text, and what they make of it (identical, localized ...)."""
        if norm not in self.diffs:
            ops = diff(q, norm) if norm != q else []
            self.diffs[norm] = (ops, classify(ops))
        return self.diffs[norm]


def _to_match(files: _Files, sha: str, atoms: DocAtoms, x: int, y: int, score: float) -> Match:
    """A match in normalized coordinates -> its span in the file, with its text and unit."""
    doc, rows = files.doc(sha), files.block_rows(sha)
    ia, ib = atoms.atom_at(x), atoms.atom_at(y - 1)
    s = _block_span(doc, rows, atoms, atoms.block_of[ia], x)[0]
    e = _block_span(doc, rows, atoms, atoms.block_of[ib], y - 1)[1]
    frag = doc.text[s:e]
    text = display_text(frag) if doc.format == "html" else frag
    block = atoms.block_of[ia]
    first, last = atoms.blocks[block]
    unit = rows[block][0] if first == last else f"{rows[block][0]}.s{ia - first + 1}"
    return Match((s, e), score, text, atoms.norm[x:y], unit, rows[block][3])


def _block_span(doc: Document, rows: list[list[Any]], atoms: DocAtoms, block: int, i: int) -> tuple[int, int]:
    """The file span of normalized character ``i`` (in ``atoms.norm``), inside its block."""
    uid, kind, level, part, s0, e0, marker, section = rows[block]
    b0, b1 = atoms.block_text(block)
    unit = Unit(uid, kind, level, part, (s0, e0), "", atoms.norm[b0:b1], marker=marker, section=section)
    fn = _table_map(doc, unit) if kind == "table" else _span_map(doc, unit)
    return fn(i - b0, i - b0 + 1) if fn else (s0, e0)


def _table_map(doc: Document, table: Unit) -> Callable[[int, int], tuple[int, int]] | None:
    """Map a range of a table's normalized text (its cells, one a line, joined by " | ") to the file.

    A range starting or ending on a joint is taken to the cell beside it.
    """
    s0, e0 = table.span
    h = extract(doc.text[s0:e0]) if doc.format == "html" else None
    plain = h.text if h else doc.text[s0:e0]

    def to_file(x: int, y: int) -> tuple[int, int]:  # a range of ``plain`` -> the file
        a, b = h.map.span(x, y) if h else (x, y)
        return a + s0, b + s0

    cells: list[tuple[int, OffsetMap]] = []  # (where the cell starts in the joined text, its map into ``plain``)
    joined = ""
    pos = 0
    for brk in [*_LINE_BREAK.finditer(plain), None]:
        end = brk.start() if brk else len(plain)
        norm, nmap = normalize(plain[pos:end], offset=pos)
        if norm:
            joined += (JOINT if joined else "") + norm
            cells.append((len(joined) - len(norm), nmap))
        pos = brk.end() if brk else pos
    if joined != table.norm_text:
        return None  # cannot happen for a table the parser made; no span inside it could be trusted then
    starts = [c for c, _ in cells]

    def span(i: int, j: int) -> tuple[int, int]:
        a, b = bisect_right(starts, i) - 1, bisect_right(starts, j - 1) - 1
        x, y = i - starts[a], j - starts[b]
        if x >= len(cells[a][1]):  # on the joint after cell a
            a, x = a + 1, 0
        y = min(y, len(cells[b][1]))  # on the joint after cell b: to its end
        return to_file(cells[a][1].start(x), cells[b][1].end(y - 1))

    return span


def search(
    store: Store,
    text: str,
    *,
    index: SearchIndex | None = None,
    min_score: float = DEFAULT_MIN_SCORE,
    limit: int | None = None,
    progress: StageProgress | None = None,
    jobs: int | None = None,
    budget: int = VERIFY_BUDGET,
) -> SearchResult:
    """Every document version holding ``text`` or a near variant (see the module docstring).

    ``limit``: hits returned (the best); ``total`` counts them all.
    ``index``: an open :class:`SearchIndex` (a server keeps one); opened,
    and built if missing, otherwise.
    """
    t0 = time.perf_counter()
    q = fold(text)
    if not q:
        raise ValueError("the query is empty once whitespace is dropped")
    sidx = index or SearchIndex.open(store, progress, jobs)
    t1 = time.perf_counter()
    found, stats = find(sidx, q, min_score, budget)
    t2 = time.perf_counter()
    clustering, stale = sidx.clustering()
    groups, grouped = _groups(store, clustering, found)
    best = {vid: _shown_score(copies, found) for vid, (_, copies) in groups.items()}
    when = sidx.when_where()
    order = sorted(groups, key=lambda v: (-best[v], *_earliest(when, groups[v][1]), v))
    files = _Files(sidx)
    hits = [
        _hit(files, sidx, q, vid if grouped else None, groups[vid][1], found)
        for vid in (order if limit is None else order[:limit])
    ]
    t3 = time.perf_counter()
    notes = []
    if stale is not None:
        notes.append(
            f"dedup's result is out of date: it covers {stale.covered:,} of the {stale.documents:,} documents; "
            "the others are shown on their own (run 'lineage dedup' or 'lineage graph')"
        )
    elif not grouped:
        notes.append(
            "copies are not grouped into versions: no current dedup result (run 'lineage dedup' or 'lineage graph')"
        )
    if stats["unverified"]:
        notes.append(
            f"{stats['unverified']} candidate documents sharing the fewest n-grams with the query were not "
            f"verified (over {budget}); a longer query narrows the candidates"
        )
    stats.update(
        {
            "documents": sidx.n_docs,
            "matched_documents": len(found),
            "min_score": min_score,
            "seconds": {
                "index": round(t1 - t0, 3),
                "find": round(t2 - t1, 3),
                "hits": round(t3 - t2, 3),
                "total": round(t3 - t0, 3),
            },
        }
    )
    return SearchResult(text, q, hits, len(order), grouped, notes, stats)


def _groups(
    store: Store, res: DedupResult | None, found: Found
) -> tuple[dict[str, tuple[list[str], list[tuple[str, list[str]]]]], bool]:
    """version id -> (matched shas, [(sha, paths) of every copy, canonical first]); whether dedup grouped them."""
    out: dict[str, tuple[list[str], list[tuple[str, list[str]]]]] = {}
    for sha in sorted(found):
        cid = res.version_of(sha) if res else None
        if res is None or cid is None:
            out["v-" + sha[:12] if res else sha] = ([sha], [(sha, store.paths_of(sha))])
            continue
        if cid not in out:
            c = res.cluster(cid)
            copies = [(s, [p for p in c.members if c.details[p].sha256 == s]) for s in c.shas]
            out[cid] = ([], copies)
        out[cid][0].append(sha)
    return out, res is not None


def _earliest(when: dict[str, tuple[str | None, int]], copies: list[tuple[str, list[str]]]) -> tuple[str, int]:
    """A version's sort key among hits of one score: its copies' earliest definite date, then its highest level."""
    got = [when[sha] for sha, _ in copies if sha in when]
    return min((d for d, _ in got if d), default="9999"), min((r for _, r in got), default=len(LEVEL_RANK))


def _shown_score(copies: list[tuple[str, list[str]]], found: Found) -> float:
    """The score a hit shows: its first matching copy's best (the canonical copy when it holds the text)."""
    sha = next(sha for sha, _ in copies if sha in found)
    return max(sc for _, _, sc in found[sha])


def _hit(
    files: _Files, sidx: SearchIndex, q: str, vid: str | None, copies: list[tuple[str, list[str]]], found: Found
) -> Hit:
    out_copies = []
    for sha, paths in copies:
        atoms = sidx.atoms(sha) if sha in found else None
        matches = [_to_match(files, sha, atoms, x, y, sc) for x, y, sc in found.get(sha, [])] if atoms else []
        out_copies.append(Copy(sha, paths or [files.doc(sha).path], matches))
    shown = next(c for c in out_copies if c.matches)  # the canonical copy when it holds the text
    top = max(shown.matches, key=lambda m: (m.score, -m.span[0]))
    v = _version_of(files, vid, [c.sha256 for c in out_copies], [p for c in out_copies for p in c.paths])
    ops, relation = files.diff(q, top.norm)
    return Hit(
        vid,
        v.title,
        v.date,
        v.date_kind,
        v.date_range,
        v.jurisdiction,
        v.level,
        shown.paths[0],
        shown.sha256,
        top.span,
        top.score,
        relation,
        top.text,
        top.norm,
        ops,
        len(shown.matches),
        out_copies,
    )


def _version_of(files: _Files, vid: str | None, shas: list[str], paths: list[str]) -> Version:
    """The version's metadata as the graph computes it (from the copy that knows each field best)."""
    return make_version(vid or "v-" + shas[0][:12], [files.doc(s) for s in shas], paths)
