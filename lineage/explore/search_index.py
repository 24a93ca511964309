"""What `lineage search` looks things up in: the n-gram index without its cap, and every document's atom texts.

The corpus index of :mod:`lineage.align.index` serves trace and graph, which ask
"which documents share *unusual* text with this one": it drops n-grams
found in more than ``DF_CAP`` documents, so that stock phrases do not make
every document a candidate.  A search asks the opposite question: a clause
that spread to 200 documents is exactly what it must find.  So search keeps
its own index, built by the same code (:meth:`Index.from_fingerprints`) from
the same cached fingerprints, with no cap, and cached under its own kind.

Verifying a candidate needs the text of its atoms.  Loading and parsing a
document costs about 7 ms; its atoms' normalized text, cached here per
document, a few microseconds.  The text is stored uncompressed (UTF-8, about
the size of the file): a query too short for the index is looked for word
for word in every document, and reading 100 MB at disk speed with
``bytes.find`` takes a fifth of what decompressing them would.  An atom's
block and the concatenated text let a match that crosses sentences or
paragraphs be mapped back to the original file.

The index covers the documents it was built from; documents ingested since
are indexed on the fly from their fingerprints (as the corpus index does),
up to ``DELTA_MAX_DOCS`` or ``DELTA_MAX_SHARE`` of the corpus, after which it
is rebuilt.
"""

from __future__ import annotations

import os
import struct
from array import array
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import cached_property, partial
from typing import Any, TypeVar, cast

from lineage.align.index import DELTA_MAX_DOCS, DELTA_MAX_SHARE, INDEX_VERSION, PARAMS, Index, fingerprints
from lineage.dedup.result import DedupResult
from lineage.explore.stale import Staleness, dedup_coverage
from lineage.ingest.segment import segments
from lineage.model import DEFINITE_DATES, LEVEL_RANK, Document
from lineage.store import Store

SEARCH_KIND = f"search-index:{PARAMS}-i{INDEX_VERSION}-s1"
INDEX_KEY = "corpus"
ATOMS_KIND = "search-atoms:v3"  # bump when DocAtoms changes
UNCAPPED = 2**31 - 1  # every n-gram is indexed, however many documents hold it
PARALLEL_ATOMS = 200  # compute atom texts in worker processes from this many documents
ATOMS_CHUNK = 50
# documents' atoms kept in memory by an open SearchIndex (a server keeps one open): at least this many, and
# up to every document of the database below ATOMS_KEPT_MAX (about 26 KB each: 260 MB at most): a short
# query's candidates are most of the database, and atoms read again cost a query at 5,000 documents a third
# of its time
ATOMS_KEPT = 4000
ATOMS_KEPT_MAX = 10000
DOCS_KEPT = 2000  # ... and documents (text and block rows, about 30 KB each) as hits show them

T = TypeVar("T")
Progress = Callable[[int, int, str], None]  # (done, total, item)
StageProgress = Callable[[str, int, int, str], None]  # (stage, done, total, item): stages fingerprints, atoms


@dataclass
class DocAtoms:
    """A document's atoms (as :class:`lineage.align.sides.Side` cuts them), their texts end to end."""

    norm: str  # the atoms' normalized texts, concatenated
    starts: list[int]  # where each atom starts in ``norm``; one more entry: len(norm)
    block_of: list[int]  # each atom's block (index into the document's block units)
    made: float = 0.0

    def atom_at(self, i: int) -> int:
        """The atom holding character ``i`` of ``norm``."""
        return bisect_right(self.starts, i) - 1

    @cached_property
    def blocks(self) -> dict[int, tuple[int, int]]:
        """Each block's first and last atom."""
        out: dict[int, tuple[int, int]] = {}
        for a, b in enumerate(self.block_of):
            out[b] = (out[b][0] if b in out else a, a)
        return out

    def block_text(self, block: int) -> tuple[int, int]:
        """Where a block's text lies in ``norm``."""
        first, last = self.blocks[block]
        return self.starts[first], self.starts[last + 1]

    def to_bytes(self) -> bytes:
        """A binary head (stamp, atom count, starts, blocks: uint32), then the text: ``bytes.find`` scans it as is."""
        n = len(self.block_of)
        head = (
            struct.pack("<dI", self.made, n) + array("I", self.starts).tobytes() + array("I", self.block_of).tobytes()
        )
        return head + self.norm.encode("utf-8")

    @classmethod
    def from_bytes(cls, blob: bytes) -> DocAtoms:
        made, n = struct.unpack_from("<dI", blob)
        starts, block_of = array("I"), array("I")
        starts.frombytes(blob[12 : 12 + 4 * (n + 1)])
        block_of.frombytes(blob[12 + 4 * (n + 1) : text_start(blob)])
        return cls(blob[text_start(blob) :].decode("utf-8"), starts.tolist(), block_of.tolist(), made)


def text_start(blob: bytes) -> int:
    """Where the text begins in a DocAtoms blob."""
    return 12 + 8 * struct.unpack_from("<I", blob, 8)[0] + 4


def doc_atoms(doc: Document, made: float = 0.0) -> DocAtoms:
    """The atoms of ``doc`` in the order the n-gram index numbers them (:func:`lineage.align.index.atom_texts`)."""
    texts: list[str] = []
    block_of: list[int] = []
    for bi, b in enumerate(doc.block_units):
        cuts = [ij for ij, _ in segments(b.norm_text)] if b.kind == "paragraph" else []
        if len(cuts) > 1:
            texts.extend(b.norm_text[i:j] for i, j in cuts)
            block_of.extend([bi] * len(cuts))
        else:
            texts.append(b.norm_text)
            block_of.append(bi)
    starts = [0]
    for t in texts:
        starts.append(starts[-1] + len(t))
    return DocAtoms("".join(texts), starts, block_of, made)


class SearchIndex:
    """The uncapped n-gram index of a store, and its documents' atom texts.

    Keep one open to answer many queries (a server), and open it again when
    the database changes (documents ingested, dedup run again).  It reads
    through its store's SQLite connection, which belongs to one thread:
    another thread opens its own store and shares the numpy index,
    ``SearchIndex(store, other.index)``.
    """

    def __init__(self, store: Store, index: Index) -> None:
        self.store = store
        self.index = index
        self._atoms: OrderedDict[str, DocAtoms] = OrderedDict()  # the most recently used, up to _kept
        self._parsed: dict[str, float] | None = None
        self._clustering: tuple[DedupResult | None, Staleness | None] | None = None
        self._when: dict[str, tuple[str | None, int]] | None = None
        self._kept = min(max(ATOMS_KEPT, index.n_docs), ATOMS_KEPT_MAX)
        self._docs: OrderedDict[tuple[str, str], Any] = OrderedDict()  # ("doc" | "blocks", sha) -> it

    @classmethod
    def open(
        cls,
        store: Store,
        progress: StageProgress | None = None,
        jobs: int | None = None,
        clustering: tuple[DedupResult | None, Staleness | None] | None = None,
    ) -> SearchIndex:
        """The cached search index if it is current, else a new one (fingerprints and atom texts cached too).
        ``clustering``: :func:`lineage.explore.stale.dedup_coverage` of the store, where the caller read it."""
        stage = progress or (lambda *a: None)
        idx = _load(store)
        if idx is None:
            stamp = store.last_parsed()  # before reading: whatever is ingested meanwhile counts as new
            fps = fingerprints(store, store.shas(), partial(stage, "fingerprints"), jobs)
            idx = Index.from_fingerprints(fps, cap=UNCAPPED)
            idx.stamp = stamp
            with store.transaction():
                _drop_old(store, "search-index:", SEARCH_KIND)
                store.put_cache(SEARCH_KIND, INDEX_KEY, idx.to_bytes())
        self = cls(store, idx)
        self._clustering = clustering
        self._fill(partial(stage, "atoms"), jobs)
        return self

    @property
    def n_docs(self) -> int:
        return self.index.n_docs

    def _fill(self, progress: Progress, jobs: int | None) -> None:
        """Compute the atom texts of documents that have none cached (once per document)."""
        have = {sha for (sha,) in self.store.db.execute("SELECT sha256 FROM cache WHERE kind=?", (ATOMS_KIND,))}
        missing = [s for s in self.store.shas() if s not in have]
        if missing:
            with self.store.transaction():
                _drop_old(self.store, "search-atoms:", ATOMS_KIND)
            _compute(self.store, missing, progress, jobs)

    def atoms(self, sha: str) -> DocAtoms:
        """A document's atoms, from the cache (computed again if its document was parsed since)."""
        got = self._atoms.get(sha)
        if got is not None:
            self._atoms.move_to_end(sha)
            return got
        blob = self.store.get_cache(ATOMS_KIND, sha)
        got = DocAtoms.from_bytes(blob) if blob is not None else None
        if got is None or got.made < self.parsed().get(sha, 0.0):
            got = _compute(self.store, [sha], None, 1)[sha]
        self._keep(sha, got)
        return got

    def _keep(self, sha: str, atoms: DocAtoms) -> None:
        self._atoms[sha] = atoms
        if len(self._atoms) > self._kept:
            self._atoms.popitem(last=False)

    def kept(self, what: str, sha: str, load: Callable[[str], T]) -> T:
        """A document's ``what`` (its Document, its block rows), loaded once and kept while it is among the
        DOCS_KEPT most recently used."""
        key = (what, sha)
        got = self._docs.get(key)
        if got is not None:
            self._docs.move_to_end(key)
            return cast(T, got)
        got = self._docs[key] = load(sha)
        if len(self._docs) > 2 * DOCS_KEPT:
            self._docs.popitem(last=False)
        return got

    def clustering(self) -> tuple[DedupResult | None, Staleness | None]:
        """dedup's stored result and, when it does not cover every document, how stale it is (read once: 0.1 s at
        5,000 documents; an index is opened again when the database changes)."""
        if self._clustering is None:
            self._clustering = dedup_coverage(self.store)
        return self._clustering

    def when_where(self) -> dict[str, tuple[str | None, int]]:
        """Each document's definite date (None for an estimate or none) and level rank, read once (a scan of every
        document's metadata: 0.09 s at 5,000 documents)."""
        if self._when is None:
            self._when = _when_where(self.store)
        return self._when

    def parsed(self) -> dict[str, float]:
        if self._parsed is None:
            self._parsed = self.store.parsed_at()
        return self._parsed

    def scan(self, needle: str) -> Iterator[tuple[str, DocAtoms]]:
        """Every document whose atom texts hold ``needle`` word for word (reads every document's cached atoms)."""
        return self.scan_any([needle])

    def scan_any(self, needles: list[str]) -> Iterator[tuple[str, DocAtoms]]:
        """Every document whose atom texts hold one of ``needles`` word for word (one read of every document)."""
        parsed = self.parsed()
        raws = [n.encode("utf-8") for n in needles]  # UTF-8 is self-synchronizing: a byte match is a character match
        for sha, blob in self.store.caches(ATOMS_KIND):
            at = text_start(blob)
            if not any(blob.find(r, at) >= 0 for r in raws):
                continue
            got = DocAtoms.from_bytes(blob)
            if got.made < parsed.get(sha, 0.0):  # an older parse: look again in the current one
                got = _compute(self.store, [sha], None, 1)[sha]
                if not any(n in got.norm for n in needles):
                    continue
            self._keep(sha, got)
            yield sha, got


def _load(store: Store) -> Index | None:
    """The cached search index, extended with documents ingested since; None when it must be rebuilt.

    The same rules as :meth:`lineage.align.index.Index.load`, for this index's own cache kind.
    """
    blob = store.get_cache(SEARCH_KIND, INDEX_KEY)
    if blob is None:
        return None
    idx = Index.from_bytes(blob)
    changed = store.parsed_since(idx.stamp)
    if any(s in idx.by_sha for s in changed) or len(changed) > max(DELTA_MAX_DOCS, DELTA_MAX_SHARE * len(idx.shas)):
        return None
    if changed:
        idx.delta = Index.from_fingerprints(fingerprints(store, changed), cap=UNCAPPED)
    return idx


def _drop_old(store: Store, prefix: str, current: str) -> None:
    """Forget what an older lineage cached under another version of a kind (it is never read again)."""
    for (kind,) in store.db.execute(
        "SELECT DISTINCT kind FROM cache WHERE kind LIKE ? AND kind != ?", (prefix + "%", current)
    ).fetchall():
        store.drop_cache(kind=kind)


def _compute(store: Store, shas: list[str], progress: Progress | None, jobs: int | None) -> dict[str, DocAtoms]:
    """Atom texts of ``shas``, computed (in worker processes when many) and cached."""
    import time

    jobs = jobs or os.cpu_count() or 1
    chunks = [shas[k : k + ATOMS_CHUNK] for k in range(0, len(shas), ATOMS_CHUNK)]
    out: dict[str, DocAtoms] = {}
    if jobs > 1 and len(shas) >= PARALLEL_ATOMS and store.path != ":memory:":
        with ProcessPoolExecutor(min(jobs, len(chunks))) as ex:
            results = ex.map(_atoms_chunk, [(store.path, c) for c in chunks])
            for rows in results:
                _keep(store, rows, out, len(shas), progress)
    else:
        for c in chunks:
            rows = [(sha, doc_atoms(store.load(sha), time.time()).to_bytes()) for sha in c]
            _keep(store, rows, out, len(shas), progress)
    return out


def _atoms_chunk(task: tuple[str, list[str]]) -> list[tuple[str, bytes]]:
    import time

    path, shas = task
    with Store(path, create=False) as store:
        return [(sha, doc_atoms(store.load(sha), time.time()).to_bytes()) for sha in shas]


def _keep(
    store: Store, rows: list[tuple[str, bytes]], out: dict[str, DocAtoms], total: int, progress: Progress | None
) -> None:
    with store.transaction():
        for sha, blob in rows:
            store.put_cache(ATOMS_KIND, sha, blob)
            out[sha] = DocAtoms.from_bytes(blob)
    if progress:
        progress(len(out), total, rows[-1][0][:12] if rows else "")


def _when_where(store: Store) -> dict[str, tuple[str | None, int]]:
    """Each document's definite date (None for an estimate or none) and level rank, without loading it."""
    dates, levels, _ = store.dating()
    given = store.all_given()
    kinds = dict(store.db.execute("SELECT sha256, json_extract(meta, '$.date_kind') FROM documents"))
    return {
        sha: (
            d if d and ("date" in given.get(sha, {}) or kinds.get(sha) in DEFINITE_DATES) else None,
            LEVEL_RANK.get(levels.get(sha) or "", len(LEVEL_RANK)),
        )
        for sha, d in dates.items()
    }
