"""The heavy stage of the graph: for each version, choose its earlier candidates and align them.

One task per version (its canonical copy is the target): retrieval through
the n-gram index (:mod:`lineage.graph.candidates`), then the alignment of
the chosen sources with it and trace's attribution
(:func:`lineage.align.attribution.resolve`), which gives every reused target span to
the source it most plausibly came from (an earlier document that explains
more wins, so siblings are not credited with their parent's text).  The
result is reduced to plain, picklable :class:`PairResult` records:
passages with spans on both sides, the characters by relation, the
jurisdiction swaps seen in the diffs.

Tasks run in worker processes (``jobs``), each holding the index and a
cache of loaded documents; versions of one province are given to the same
worker together, since they are each other's sources.
"""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from lineage.align.aligner import Side, assemble, pair_edges
from lineage.align.attribution import resolve
from lineage.align.diff import classify, localizations
from lineage.align.formulaic import Formulaic, corpus_formulaic
from lineage.align.index import WINDOW, Index, atom_texts, text_key
from lineage.graph.candidates import Candidates, Retriever
from lineage.model import Document
from lineage.store import Store
from lineage.workers import ProcessPoolExecutor

PIECES_PER_JOB = 4  # contiguous pieces of the order per worker (load balance at the end of the run) ...
PIECE_MAX = 150  # ... and no more versions per piece than this (the progress bar moves per piece)
DOC_CACHE = 400  # documents kept loaded per worker (a province's versions are aligned together)
SIDE_CACHE = 200  # and their Sides (atoms with n-grams; about 1 MB each)
FULL_ALIGN_SHARE = 0.1  # a source adding less than this share of the target's fingerprints is aligned where they are
PARALLEL_MIN = 24  # fewer versions than this are aligned in the calling process
EXPLAINED_MAX = 0.25  # an unchosen candidate is "explained" when at most this share of what it shares is left


@dataclass
class Passage:
    """One shared passage: spans on both sides (str indices into the decoded files)."""

    source_span: tuple[int, int]
    target_span: tuple[int, int]
    relation: str  # identical | modified | localized | partial | merged | split | moved
    content: str  # the relation apart from order
    unit: str  # paragraph | sentence | clause
    chars: int  # normalized target characters
    source_chars: int  # normalized source characters
    kind: str  # identical | modified | localized: how the characters count
    formulaic: bool
    wide: bool = False  # text found in documents of many provinces (origin outside the pair)
    known: str | None = None  # "title|passage" of a known national text it quotes
    swaps: list[tuple[str, str]] = field(default_factory=list)  # jurisdiction swaps, source -> target
    also_in: list[str] = field(
        default_factory=list
    )  # ids of other versions holding the text (lineage.align.attribution)
    # why attribution set each of them aside (lineage.align.set_aside.SET_ASIDE keys), by id
    set_aside_by: dict[str, list[str]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "source_span": list(self.source_span),
            "target_span": list(self.target_span),
            "relation": self.relation,
            "content": self.content,
            "unit": self.unit,
            "chars": self.chars,
            "source_chars": self.source_chars,
            "kind": self.kind,
            "formulaic": self.formulaic,
            "wide": self.wide,
            "known": self.known,
            "swaps": [list(s) for s in self.swaps],
            "also_in": list(self.also_in),
            "set_aside_by": {k: list(v) for k, v in self.set_aside_by.items()},
        }


@dataclass
class PairResult:
    """What one alignment found between an earlier version (source) and a later one (target)."""

    source: int  # version numbers
    target: int
    passages: list[Passage]
    gain: float  # retrieval: fingerprints the source added (about one per 4.5 shared characters)
    shared: float  # fingerprints it shares with the target in all
    background: float  # what the target shares with a typical unrelated version

    def retrieval(self) -> dict[str, float]:
        return {"shared": self.shared, "gain": self.gain, "background": self.background}


@dataclass
class Indirect:
    """Two versions that share text only through a third: not aligned, reported as such."""

    a: int  # the earlier candidate
    b: int  # the version whose retrieval found it
    by: int  # the chosen source explaining what they share (-1: unknown)
    shared: int  # estimated characters shared (from fingerprints)

    def to_dict(self) -> dict[str, Any]:
        return {"a": self.a, "b": self.b, "by": self.by, "shared": self.shared}


@dataclass
class TargetResult:
    target: int
    pairs: list[PairResult]
    indirect: list[Indirect]
    candidates: int  # versions sharing any non-formulaic fingerprint with the target
    chosen: int  # earlier versions aligned with it
    seconds: dict[str, float]


@dataclass
class Job:
    """What a worker needs to know about the graph's versions (picklable)."""

    db: str
    shas: list[str]  # canonical sha per version
    paths: list[str]  # canonical path per version
    rank: list[int]  # position in the graph order
    provinces: list[str]  # province code (2 digits), "nat" for national, "" unknown
    ids: list[str] = field(default_factory=list)  # node id per version (for passages' also_in)
    spans: list[tuple[int, int] | None] = field(default_factory=list)  # each version's date (first, last day)
    levels: list[int] = field(default_factory=list)  # its administrative level's rank (0: national)


# -- the worker side -----------------------------------------------------------------------------

_W: dict[str, Any] = {}


def _init(job: Job, store: Store | None = None, index: Index | None = None) -> None:
    """Set up a worker (or the calling process, which passes its open store and index)."""
    store = store or Store(job.db, create=False)
    index = index or Index.load(store) or Index.open(store)
    formulaic = corpus_formulaic(index, store)
    _W.update(
        job=job,
        store=store,
        formulaic=formulaic,
        retriever=Retriever(index, job.shas, job.rank, formulaic, job.provinces, job.spans, job.levels),
        docs=OrderedDict(),
        sides=OrderedDict(),
    )


def _cached(cache: OrderedDict, key: str, make: Callable[[], Any], limit: int) -> Any:
    """``cache[key]``, made on a miss; the least recently used entry goes beyond ``limit``."""
    v = cache.get(key)
    if v is None:
        v = cache[key] = make()
        if len(cache) > limit:
            cache.popitem(last=False)
    else:
        cache.move_to_end(key)
    return v


def _doc(sha: str) -> Document:
    return _cached(_W["docs"], sha, lambda: _W["store"].load(sha), DOC_CACHE)


def _run_chunk(targets: list[int]) -> list[TargetResult]:
    return [align_target(t) for t in targets]


def _side(sha: str) -> Side:
    """A document's Side, kept with its n-grams: a version is the source of several later ones."""
    return _cached(_W["sides"], sha, lambda: Side(_doc(sha)), SIDE_CACHE)


def align_target(t: int) -> TargetResult:
    job: Job = _W["job"]
    retriever: Retriever = _W["retriever"]
    formulaic: Formulaic = _W["formulaic"]
    t0 = time.process_time()  # CPU seconds: comparable under a loaded machine
    doc = _doc(job.shas[t])
    texts = atom_texts(doc)  # the atoms of its Side, without building one (most versions have no source)
    cands = retriever.candidates(t, texts)
    t1 = time.process_time()
    pairs: list[PairResult] = []
    indirect = [
        Indirect(u, t, by, int(raw * (WINDOW + 1) / 2))
        for u, raw, left, by in cands.explained
        if left <= EXPLAINED_MAX * raw
    ]
    if cands.chosen:
        side = _side(job.shas[t])
        result = _attribute(side, cands, [_side(job.shas[v]) for v in cands.chosen], formulaic, job)
        by_sha: dict[str, list[Any]] = {}
        for m in result.matches:
            by_sha.setdefault(m.source_sha256, []).append(m)
        atoms_of = _unit_atoms(side)
        id_of = {job.paths[v]: (job.ids[v] if job.ids else job.shas[v]) for v in cands.chosen}
        for v, gain in zip(cands.chosen, cands.gains):
            ms = by_sha.get(job.shas[v], [])
            passages = [_passage(m, doc, atoms_of, cands.wide, id_of) for m in ms]
            if any(not p.formulaic for p in passages):
                pairs.append(PairResult(v, t, passages, gain, cands.raw.get(v, 0.0), cands.background))
            elif cands.chosen[0] != v:
                # everything it shares went to a better source
                indirect.append(Indirect(v, t, cands.chosen[0], int(cands.raw.get(v, 0) * (WINDOW + 1) / 2)))
    # an explanation holds only if the explaining source really shares text with the target
    real = {p.source for p in pairs}
    indirect = [i for i in indirect if i.by in real]
    t2 = time.process_time()
    return TargetResult(t, pairs, indirect, len(cands.raw), len(cands.chosen), {"retrieve": t1 - t0, "align": t2 - t1})


def _attribute(tgt: Side, cands: Candidates, sides: list[Side], formulaic: Formulaic, job: Job) -> Any:
    """Align the target with its chosen sources and give each target atom to one of them.

    What :func:`lineage.align.trace.trace_documents` does, with the Sides kept
    between calls, and, in a corpus large enough to have a background, with
    a source that shares little with the target aligned only where the
    index found shared text (and next to it), as trace does with its minor
    sources; a strong source is aligned in full, so that reworded sentences
    the index cannot see are found too.
    """
    per = []
    cap = max(1.0, sum(len(a.norm) for a in tgt.atoms) * 2.0 / (WINDOW + 1))
    for v, gain, side in zip(cands.chosen, cands.gains, sides):
        h = cands.hints.get(v, {})
        if any(s >= len(side.atoms) for lst in h.values() for s in lst):
            h = {}  # fingerprints of an older parse
        targets = None
        if cands.background and gain < FULL_ALIGN_SHARE * cap:
            targets = {x for q in h for x in (q - 1, q, q + 1) if 0 <= x < len(tgt.atoms)}
        edges = pair_edges(side, tgt, hints=h, targets=targets)
        per.append(edges)
    kept, also = resolve(tgt, sides, per)
    groups = [(side, edges, job.paths[v]) for v, side, edges in zip(cands.chosen, sides, kept) if edges]
    return assemble(
        tgt,
        groups,
        formulaic,
        deleted="inside",
        keys=text_key,
        also={k: [(sides[i], e, job.paths[cands.chosen[i]], why) for i, e, why in v] for k, v in also.items()},
    )


def _unit_atoms(side: Side) -> dict[str, list[int]]:
    """Unit id (block or sentence) -> the target atoms it covers."""
    out: dict[str, list[int]] = {}
    for a in side.atoms:
        out.setdefault(side.blocks[a.block].id, []).append(a.i)
        if not a.whole:
            out[a.unit.id] = [a.i]
    return out


def _passage(m: Any, doc: Document, atoms_of: dict[str, list[int]], wide: set[int], id_of: dict[str, str]) -> Passage:
    swaps = localizations(m.diff, doc.jurisdiction)  # the target writing its own place: 全国 -> 全省 is no swap
    if m.content in ("identical", "localized"):
        kind = m.content
    elif m.content == "partial":
        kind = classify(m.diff, doc.jurisdiction) if m.diff else "identical"
    else:
        kind = "modified"
    src_chars = len("".join(op[1] for op in m.diff)) if m.diff else m.chars
    atoms = [a for u in m.target_units for a in atoms_of.get(u, [])]
    # the aligner marked a quoted national text already (align.result.assemble: not for formulaic matches)
    known = f"{m.common_source['title']}|{m.common_source['passage']}" if m.common_source else None
    return Passage(
        tuple(m.source_span),
        tuple(m.target_span),
        m.relation,
        m.content,
        m.unit,
        m.chars,
        src_chars,
        kind,
        m.formulaic,
        bool(atoms) and all(a in wide for a in atoms),
        known,
        swaps,
        [id_of.get(a["source"], a["source"]) for a in m.also_in or ()],
        {id_of.get(a["source"], a["source"]): list(a.get("set_aside_by") or ()) for a in m.also_in or ()},
    )


# -- the calling side ------------------------------------------------------------------------------


def run(
    job: Job,
    order: list[int],
    store: Store,
    index: Index,
    jobs: int | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    engine: Any = None,
) -> Iterator[TargetResult]:
    """Align every version in ``order`` (versions of one province next to each other), yielding results.

    Worker processes open the database themselves (WAL mode lets them read);
    a small graph, one job, or an in-memory database runs here.  The order
    is cut into a few long contiguous pieces rather than many short ones:
    a worker that aligns a province's versions keeps their documents and
    Sides (each other's sources) loaded, instead of every worker loading
    every document; ``ex.map`` still hands pieces to whichever worker is free.
    """
    if engine is not None and getattr(engine, "client", None) is not None and job.db != ":memory:":
        yield from _run_dask(job, order, engine.client, progress)
        return
    jobs = jobs or os.cpu_count() or 1
    total = len(order)
    done = 0
    parallel = jobs > 1 and total >= PARALLEL_MIN and job.db != ":memory:"
    n = max(PIECES_PER_JOB * jobs, -(-total // PIECE_MAX)) if parallel else max(1, -(-total // PIECE_MAX))
    size = -(-total // n) if total else 1
    pieces = [order[k : k + size] for k in range(0, total, size)]
    if parallel:
        with ProcessPoolExecutor(min(jobs, len(pieces)), initializer=_init, initargs=(job,)) as ex:
            for results in ex.map(_run_chunk, pieces):
                for r in results:
                    done += 1
                    if progress:
                        progress(done, total, job.paths[r.target])
                    yield r
        return
    _init(job, store, index)
    for piece in pieces:
        for t in piece:
            r = align_target(t)
            done += 1
            if progress:
                progress(done, total, job.paths[r.target])
            yield r


# -- on a Dask cluster -----------------------------------------------------------------------------

_DASK_LOCK = threading.Lock()


def _dask_piece(job: Job, key: str, piece: list[int]) -> list[TargetResult]:
    """One piece on a Dask worker, which keeps its store, index and caches between pieces of one graph.

    Serialized per worker process: the worker state is process-global, and
    a worker may run several threads.
    """
    with _DASK_LOCK:
        if _W.get("key") != key:
            _init(job)
            _W["key"] = key
        return _run_chunk(piece)


def _run_dask(
    job: Job, order: list[int], client: Any, progress: Callable[[int, int, str], None] | None
) -> Iterator[TargetResult]:
    """The align stage on a Dask cluster (``lineage.dedup.dask_engine.DaskEngine``'s client).

    Workers open the database by its path, so they must see the same file
    system (a ``LocalCluster``, or workers on a shared disk).  Results come
    back in the order of the pieces, as the local engine yields them.
    """
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    total = len(order)
    n = max(PIECES_PER_JOB * workers, -(-total // PIECE_MAX))
    size = max(1, -(-total // n))
    pieces = [order[k : k + size] for k in range(0, total, size)]
    key = f"{job.db}|{len(job.shas)}|{hash(tuple(job.shas))}|{time.time_ns()}"
    [remote] = client.scatter([job], broadcast=True)
    futures = [client.submit(_dask_piece, remote, key, piece, pure=False) for piece in pieces]
    done = 0
    try:
        for fut in futures:
            for r in fut.result():
                done += 1
                if progress:
                    progress(done, total, job.paths[r.target])
                yield r
    finally:
        client.cancel(futures)
