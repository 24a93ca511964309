"""The n-gram candidate index: which corpus sentences share text with a target.

Every document's atoms (sentences, and headings and tables whole: see
:class:`lineage.align.sides.Side`) are fingerprinted with character 5-grams,
winnowed (the smallest hash in every window of 8 consecutive n-grams), so
any stretch of at least 12 shared characters -- the shortest clause a
``partial`` match reports -- leaves at least one fingerprint on both sides,
while only about a fifth of the n-grams are stored.  Fingerprints are cached
per document in the store (``derive`` computes them in ingest's worker
processes), and the corpus index is one cached blob of numpy arrays:

* ``keys`` (uint32, sorted, unique n-gram hashes) and ``starts`` into
  ``postings`` (uint32 global atom ids), so a lookup is a ``searchsorted``;
* ``doc_starts``: where each document's atoms begin in the global numbering;
* ``df_keys``/``df_counts``: in how many documents each sentence text
  occurs, for :class:`lineage.align.formulaic.Formulaic`;
* ``sent_keys``/``sent_atoms``: every atom by the key of its whole text, so a
  sentence copied word for word is found however common its n-grams are
  (a sentence in more than :data:`SENT_CAP` documents is formulaic and
  not looked up).

n-grams found in more than :data:`DF_CAP` documents are dropped: they come
from the genre's stock phrases and would bring every document in as a
candidate (and make a query's work grow with the corpus).  A target queries *all* of its n-grams (not only its winnowed
ones), so a fingerprint the source kept is always looked up.

The blob is valid for the documents it was built from; documents ingested
later are indexed on the fly from their cached fingerprints (the ``delta``)
until the next rebuild, so tracing a new file does not rebuild the index.
A document parsed again since (``documents.ingested_at``) makes it stale.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import struct
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from lineage.align.places import own_names, placeless_all
from lineage.align.sides import UNALIGNED_PARTS
from lineage.ingest.parse import Parsed
from lineage.ingest.pipeline import complete_sketches
from lineage.ingest.segment import segments
from lineage.model import Document, Jurisdiction
from lineage.store import FINGERPRINT_CACHE, INDEX_CACHE, Store
from lineage.workers import ProcessPoolExecutor

NGRAM = 5
WINDOW = 8
FP_VERSION = 4  # bump when fingerprints change (every document is fingerprinted again)
INDEX_VERSION = 5  # bump when the index layout changes (rebuilt from cached fingerprints)
PARAMS = f"v{FP_VERSION}-n{NGRAM}-w{WINDOW}"
FP_KIND = f"{FINGERPRINT_CACHE}{PARAMS}"  # per-document fingerprints (cache kind; ingest stores params "")
INDEX_KIND = f"{INDEX_CACHE}{PARAMS}-i{INDEX_VERSION}"  # the corpus index blob
INDEX_KEY = "corpus"
DF_CAP = 50  # an n-gram in more documents than this is not indexed (see df_cap)
FP_CHUNK = 50  # documents per worker task when fingerprinting
PARALLEL_FP = 200  # fingerprint in worker processes from this many documents without a cached one
SENT_CAP = 2000  # a sentence found word for word in more atoms than this is not looked up
# Rebuild the blob when this many documents (or this share of the corpus) are not in it.
DELTA_MAX_DOCS = 200
DELTA_MAX_SHARE = 0.1

_MAGIC = b"LNGI"
_MIX = np.uint64(0x9E3779B97F4A7C15)
_BASE = np.uint64(0x100000001B3)


def best_hits(
    q: np.ndarray, doc: np.ndarray, local: np.ndarray, cnt: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Index hits (target atom, document, its atom, count) sorted by document and target atom, best count
    first, and the mask of the first (best) hit of each (document, target atom) pair."""
    order = np.lexsort((local, -cnt, q, doc))
    q, doc, local, cnt = q[order], doc[order], local[order], cnt[order]
    first = np.ones(len(q), dtype=bool)
    first[1:] = (doc[1:] != doc[:-1]) | (q[1:] != q[:-1])
    return q, doc, local, cnt, first


def text_key(norm: str) -> int:
    """A stable 64-bit key of a normalized text (for document frequencies)."""
    return int.from_bytes(hashlib.blake2b(norm.encode("utf-8"), digest_size=8).digest(), "little")


def place_keys(texts: list[str], j: Jurisdiction | None) -> np.ndarray:
    """text_key of each text with the place it was written for set aside (:func:`lineage.align.places.placeless`).

    The key a sentence is looked up by whole: a city plan's 全市 sentence finds
    its province's 全省 one, and its own 绍兴市 the province's 浙江省 -- as it
    finds a city's copy of it, which otherwise holds it word for word where
    the province does not, and wins retrieval for it.
    """
    return np.fromiter((text_key(t) for t in placeless_all(texts, own_names(j))), dtype=np.uint64, count=len(texts))


def df_cap(n_docs: int) -> int:
    """n-grams in more documents than this are not indexed.

    A constant, so a query's work does not grow with the corpus; sentences
    shared word for word are found through ``sent_keys`` however common their
    n-grams, and the aligner finds the rest around them.
    """
    return DF_CAP


# -- n-gram hashing ---------------------------------------------------------------------------


def _codepoints(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Code points of the texts end to end, and each text's start."""
    joined = "".join(texts)
    cps = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    lens = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    starts = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(lens, out=starts[1:])
    return cps, starts


def _rolling(texts: list[str], n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """32-bit hash of the n-gram starting at every position of the texts end to end, its text, and
    whether it lies inside that text (None when there is no n-gram at all)."""
    cps, starts = _codepoints(texts)
    m = len(cps) - n + 1
    if m < 1:
        return None
    h = np.zeros(m, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(n):
            h = h * _BASE + cps[k : k + m]
        h = (h ^ (h >> np.uint64(29))) * _MIX
        h ^= h >> np.uint64(32)
    owner = np.searchsorted(starts, np.arange(m), side="right") - 1
    valid = np.arange(m) + n <= starts[owner + 1]
    return (h >> np.uint64(32)).astype(np.uint32), owner, valid


def ngram_hashes(texts: list[str], n: int = NGRAM) -> tuple[np.ndarray, np.ndarray]:
    """(32-bit hash, text index) of every n-gram inside each text (none across texts)."""
    rolled = _rolling(texts, n)
    if rolled is None:
        return np.zeros(0, np.uint32), np.zeros(0, np.uint32)
    h32, owner, valid = rolled
    return h32[valid], owner[valid].astype(np.uint32)


def winnow(texts: list[str], n: int = NGRAM, w: int = WINDOW) -> tuple[np.ndarray, np.ndarray]:
    """Winnowed fingerprints (hash, text index), unique; every text of n+ characters gets at least one."""
    rolled = _rolling(texts, n)
    if rolled is None:
        return np.zeros(0, np.uint32), np.zeros(0, np.uint32)
    h32, owner, valid = rolled
    m = len(h32)
    pos = np.arange(m)
    big = np.where(valid, h32.astype(np.int64), np.int64(1) << 40)
    picks = [pos[valid]] if m < w else []
    if m >= w:
        win = np.lib.stride_tricks.sliding_window_view(big, w)
        picks.append(np.argmin(win, axis=1) + np.arange(len(win)))
    # the smallest n-gram of every text, so short texts are findable too
    vi = pos[valid]
    if len(vi):
        vo = owner[valid]
        order = np.lexsort((big[vi], vo))
        first = np.ones(len(order), dtype=bool)
        first[1:] = vo[order][1:] != vo[order][:-1]
        picks.append(vi[order][first])
    sel = np.unique(np.concatenate(picks))
    sel = sel[valid[sel]]
    pairs = np.unique((h32[sel].astype(np.uint64) << np.uint64(32)) | owner[sel].astype(np.uint64))
    return (pairs >> np.uint64(32)).astype(np.uint32), (pairs & np.uint64(0xFFFFFFFF)).astype(np.uint32)


# -- per-document fingerprints -------------------------------------------------------------


@dataclass
class Fingerprint:
    """One document's winnowed n-grams, and a key and length per atom."""

    hashes: np.ndarray  # uint32
    atoms: np.ndarray  # uint32, atom ordinal of each hash
    keys: np.ndarray  # uint64, text_key of each atom
    lengths: np.ndarray  # uint32, characters of each atom
    made: float = 0.0  # when computed: older than the document's ingested_at means an older parse
    place_keys: np.ndarray | None = None  # uint64, place_key of each atom (None: the same as keys)
    # characters of the atoms that are the document's text (a news lede left out): what a share divides by,
    # as a trace's target_chars (None: an older fingerprint, which counted every atom)
    body: int | None = None

    def to_bytes(self) -> bytes:
        arrays = {"hashes": self.hashes, "atoms": self.atoms, "keys": self.keys, "lengths": self.lengths}
        if self.place_keys is not None:
            arrays["place_keys"] = self.place_keys
        return _pack({"v": FP_VERSION, "made": self.made, "body": self.body}, arrays)

    @classmethod
    def from_bytes(cls, blob: bytes) -> Fingerprint:
        head, a = _unpack(blob)
        return cls(
            a["hashes"],
            a["atoms"],
            a["keys"],
            a["lengths"],
            head.get("made", 0.0),
            a.get("place_keys"),
            head.get("body"),
        )

    @property
    def text_chars(self) -> int:
        """Characters of the document's own text (see ``body``)."""
        return int(self.lengths.sum()) if self.body is None else self.body


_OLDER = re.compile(rf"({re.escape(FINGERPRINT_CACHE)}|{re.escape(INDEX_CACHE)})v(\d+)-n\d+-w\d+(?:-i(\d+))?")


def older_kinds(kinds: Iterable[str]) -> list[str]:
    """Fingerprint and index kinds of earlier versions than this one's (dead weight: 16 MB per 1,000 documents).

    Only older ones: a database shared with a newer lineage keeps what that one made.
    """
    out = []
    for kind in kinds:
        m = _OLDER.fullmatch(kind)
        if m is None or kind in (FP_KIND, INDEX_KIND):
            continue
        fp, index = int(m.group(2)), int(m.group(3) or 0)
        if fp < FP_VERSION or (m.group(1) == INDEX_CACHE and fp == FP_VERSION and index < INDEX_VERSION):
            out.append(kind)
    return out


def _place_keys(fp: Fingerprint) -> np.ndarray:
    return fp.keys if fp.place_keys is None else fp.place_keys


def _by_key(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Whole-text keys cut to 32 bits, sorted, and the atom of each (a collision only brings in a candidate
    the aligner drops)."""
    u64 = np.uint64
    sent = np.sort((keys >> u64(32)).astype(u64) << u64(32) | np.arange(len(keys), dtype=u64))
    return (sent >> u64(32)).astype(np.uint32), (sent & u64(0xFFFFFFFF)).astype(np.uint32)


def atom_texts(doc: Document, parts: list[str] | None = None) -> list[str]:
    """The normalized texts of a document's atoms, in the order of :class:`lineage.align.sides.Side`.

    Cut straight from the blocks (sentences of paragraphs, other blocks
    whole) without building every unit's span, which costs three times as
    much and fingerprints do not need.  ``parts``, if given, receives each atom's part.
    """
    out: list[str] = []
    for b in doc.block_units:
        if b.kind == "paragraph":
            cuts = [ij for ij, _ in segments(b.norm_text)]
            if len(cuts) > 1:
                out.extend(b.norm_text[i:j] for i, j in cuts)
                if parts is not None:
                    parts.extend([b.part] * len(cuts))
                continue
        out.append(b.norm_text)
        if parts is not None:
            parts.append(b.part)
    return out


def fingerprint(doc: Document) -> Fingerprint:
    parts: list[str] = []
    texts = atom_texts(doc, parts)
    hashes, atoms = winnow(texts)
    keys = np.fromiter((text_key(t) for t in texts), dtype=np.uint64, count=len(texts))
    lengths = np.fromiter((len(t) for t in texts), dtype=np.uint32, count=len(texts))
    body = sum(len(t) for t, part in zip(texts, parts) if part not in UNALIGNED_PARTS)
    return Fingerprint(hashes, atoms, keys, lengths, time.time(), place_keys(texts, doc.jurisdiction), body)


def derive(parsed: Parsed) -> dict[str, bytes]:
    """Cache entries for ``ingest_paths(derive=...)``: the document's fingerprints."""
    return {FP_KIND: fingerprint(parsed.doc).to_bytes()}


def fingerprints(
    store: Store, shas: Iterable[str], progress: Callable[[int, int, str], None] | None = None, jobs: int | None = None
) -> dict[str, Fingerprint]:
    """Fingerprints of documents, from the cache or computed (and cached).

    Documents ingested without ``derive`` have none yet; many of them are
    fingerprinted in worker processes that read the database themselves
    (WAL mode lets them read while this process writes).
    """
    shas = list(shas)
    out: dict[str, Fingerprint] = {}
    missing = []
    # a document parsed again (ingest learned new page furniture) without ``derive`` keeps a fingerprint
    # of its older parse: older than the document's ingested_at, it is computed again
    parsed = store.parsed_at()
    for sha in shas:
        blob = store.get_cache(FP_KIND, sha)
        fp = Fingerprint.from_bytes(blob) if blob is not None else None
        if fp is None or fp.made < parsed.get(sha, 0.0):
            missing.append(sha)
        else:
            out[sha] = fp
    if not missing:
        return out
    jobs = jobs or os.cpu_count() or 1
    # Sketches (what dedup stores) are parsed in full first, in workers that fingerprint them too.
    if complete_sketches(store, missing, jobs, derive, progress):
        for sha in missing:
            blob = store.get_cache(FP_KIND, sha)
            if blob is not None:
                out[sha] = Fingerprint.from_bytes(blob)
        missing = [sha for sha in missing if sha not in out]
        if not missing:
            return out
    chunks = [missing[k : k + FP_CHUNK] for k in range(0, len(missing), FP_CHUNK)]
    done = 0
    if jobs > 1 and len(missing) >= PARALLEL_FP and store.path != ":memory:":
        with ProcessPoolExecutor(min(jobs, len(chunks))) as ex:
            results = ex.map(_fingerprint_chunk, [(store.path, c) for c in chunks])
            for rows in results:
                done = _keep(store, rows, out, done, len(missing), progress)
    else:
        for c in chunks:
            rows = [(sha, fingerprint(store.load(sha)).to_bytes()) for sha in c]
            done = _keep(store, rows, out, done, len(missing), progress)
    return out


def _fingerprint_chunk(task: tuple[str, list[str]]) -> list[tuple[str, bytes]]:
    path, shas = task
    with Store(path, create=False) as store:
        return [(sha, fingerprint(store.load(sha)).to_bytes()) for sha in shas]


def _keep(
    store: Store,
    rows: list[tuple[str, bytes]],
    out: dict[str, Fingerprint],
    done: int,
    total: int,
    progress: Callable[[int, int, str], None] | None,
) -> int:
    with store.transaction():
        for sha, blob in rows:
            store.put_cache(FP_KIND, sha, blob)
            out[sha] = Fingerprint.from_bytes(blob)
    done += len(rows)
    if progress:
        progress(done, total, rows[-1][0][:12] if rows else "")
    return done


# -- the corpus index --------------------------------------------------------------------------


def _stamp(store: Store) -> float:
    return float(store.last_parsed())


class Index:
    """n-gram -> corpus atoms, over the documents of a store."""

    def __init__(
        self,
        shas: list[str],
        doc_starts: np.ndarray,
        keys: np.ndarray,
        starts: np.ndarray,
        postings: np.ndarray,
        df_keys: np.ndarray,
        df_counts: np.ndarray,
        cap: int,
        sent_keys: np.ndarray | None = None,
        sent_atoms: np.ndarray | None = None,
        place_keys: np.ndarray | None = None,
        place_atoms: np.ndarray | None = None,
        key_df: np.ndarray | None = None,
        stop_keys: np.ndarray | None = None,
    ) -> None:
        self.shas = shas
        self.doc_starts = doc_starts  # int64, len(shas) + 1
        self.keys = keys
        self.starts = starts
        self.postings = postings
        self.df_keys = df_keys
        self.df_counts = df_counts
        self.sent_keys = sent_keys if sent_keys is not None else np.zeros(0, np.uint32)
        self.sent_atoms = sent_atoms if sent_atoms is not None else np.zeros(0, np.uint32)
        # place_key -> atoms, as sent_keys and sent_atoms are for text_key
        self.place_keys = place_keys if place_keys is not None else np.zeros(0, np.uint32)
        self.place_atoms = place_atoms if place_atoms is not None else np.zeros(0, np.uint32)
        self.cap = cap
        # documents holding each indexed n-gram (at most 255 counted), and the n-grams left out for being in
        # more than ``cap``: what a delta needs to leave out what the whole corpus holds too often
        self.key_df = key_df if key_df is not None else np.zeros(len(keys), np.uint8)
        self.stop_keys = stop_keys if stop_keys is not None else np.zeros(0, np.uint32)
        self.dropped: np.ndarray | None = None  # indexed keys a delta pushed over the cap, per key
        self.delta: Index | None = None
        self.stamp = 0.0  # latest ingest time of the store when built (documents.ingested_at)
        self.by_sha = {s: i for i, s in enumerate(shas)}

    # -- building and loading ------------------------------------------------------------
    @classmethod
    def from_fingerprints(cls, fps: dict[str, Fingerprint], cap: int | None = None, base: Index | None = None) -> Index:
        """Merge per-document fingerprints into one index (a couple of sorts; no per-item Python).

        ``base``: the index this one extends (a delta): an n-gram is indexed in either only if both together
        hold it in no more than ``cap`` documents, as one index built over all of them would have it.
        Otherwise documents ingested after the index was built keep the stock phrases the index dropped,
        and outscore, on those alone, the older plans they copied.
        """
        shas = sorted(fps)
        n = len(shas)
        cap = df_cap(n) if cap is None else cap
        sizes = np.fromiter((len(fps[s].lengths) for s in shas), dtype=np.int64, count=n)
        doc_starts = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(sizes, out=doc_starts[1:])
        u64 = np.uint64
        if n:
            hashes = np.concatenate([fps[s].hashes for s in shas]).astype(u64)
            atoms = np.concatenate([fps[s].atoms.astype(np.int64) + doc_starts[i] for i, s in enumerate(shas)])
            tkeys = np.concatenate([fps[s].keys for s in shas]).astype(u64)
            pkeys = np.concatenate([_place_keys(fps[s]) for s in shas]).astype(u64)
            tdocs = np.repeat(np.arange(n, dtype=np.int64), sizes)
        else:
            hashes, atoms = np.zeros(0, u64), np.zeros(0, np.int64)
            tkeys, pkeys, tdocs = np.zeros(0, u64), np.zeros(0, u64), np.zeros(0, np.int64)
        # one sort by (hash, global atom): postings come out grouped by hash, and since atoms
        # are numbered document by document, documents come out in order inside each group
        key = np.sort((hashes << u64(32)) | atoms.astype(u64))
        h = (key >> u64(32)).astype(np.uint32)
        a = (key & u64(0xFFFFFFFF)).astype(np.int64)
        d = np.searchsorted(doc_starts, a, side="right") - 1
        if len(key):
            group = np.flatnonzero(np.concatenate(([True], h[1:] != h[:-1])))
            new_doc = np.concatenate(([True], (h[1:] != h[:-1]) | (d[1:] != d[:-1])))
            df = np.add.reduceat(new_doc.astype(np.int64), group)
        else:
            group, df = np.zeros(0, np.int64), np.zeros(0, np.int64)
        # n-grams in too many documents are the genre's stock phrases: not indexed
        sizes_g = np.diff(np.append(group, len(key)))
        if base is not None and len(group):
            df = df + base.df_of(h[group])
        keep_g = df <= cap
        keep = np.repeat(keep_g, sizes_g)
        keys = h[group[keep_g]]
        postings = a[keep].astype(np.uint32)
        starts = np.zeros(len(keys) + 1, dtype=np.int64)
        np.cumsum(sizes_g[keep_g], out=starts[1:])
        key_df = np.minimum(df[keep_g], 255).astype(np.uint8)
        stop_keys = h[group[~keep_g]]
        if base is not None:
            base.drop(stop_keys)
        # in how many documents each sentence text occurs (formulaic by frequency)
        order = np.lexsort((tdocs, tkeys))
        tk, td = tkeys[order], tdocs[order]
        if len(tk):
            kgroup = np.flatnonzero(np.concatenate(([True], tk[1:] != tk[:-1])))
            kdoc = np.concatenate(([True], (tk[1:] != tk[:-1]) | (td[1:] != td[:-1])))
            kdf = np.add.reduceat(kdoc.astype(np.int64), kgroup)
            multi = kdf >= 2
            df_keys, df_counts = tk[kgroup[multi]], kdf[multi].astype(np.uint32)
        else:
            df_keys, df_counts = np.zeros(0, u64), np.zeros(0, np.uint32)
        return cls(
            shas,
            doc_starts,
            keys,
            starts.astype(np.uint32 if len(postings) < 2**32 else np.int64),
            postings,
            df_keys,
            df_counts,
            cap,
            *_by_key(tkeys),
            *_by_key(pkeys),
            key_df,
            stop_keys,
        )

    @classmethod
    def build(cls, store: Store, progress: Callable[[int, int, str], None] | None = None) -> Index:
        """Index every document of ``store`` and cache the index there."""
        stamp = _stamp(store)  # before reading: whatever is ingested meanwhile counts as new
        shas = store.shas()
        idx = cls.from_fingerprints(fingerprints(store, shas, progress))
        idx.stamp = stamp
        with store.transaction():
            store.put_cache(INDEX_KIND, INDEX_KEY, idx.to_bytes())
            for kind in older_kinds(store.cache_kinds()):
                store.drop_cache(kind=kind)
        return idx

    @classmethod
    def load(cls, store: Store, extend: bool = True, skip: set[str] | frozenset[str] = frozenset()) -> Index | None:
        """The cached index, or None if there is none or it is out of date.

        Documents ingested since it was built are indexed on the fly from
        their fingerprints (``extend``; the ``delta``), up to
        DELTA_MAX_DOCS or DELTA_MAX_SHARE of the corpus; beyond that, or when
        an indexed document was parsed again (furniture learned later), the
        index must be rebuilt.  ``extend=False`` skips the delta (document
        frequencies for formulaic text do not need it); ``skip`` leaves
        documents out of it (the target of a trace).
        """
        blob = store.get_cache(INDEX_KIND, INDEX_KEY)
        if blob is None:
            return None
        idx = cls.from_bytes(blob)
        changed = store.parsed_since(idx.stamp)
        if any(s in idx.by_sha for s in changed):
            return None
        if len(changed) > max(DELTA_MAX_DOCS, DELTA_MAX_SHARE * len(idx.shas)):
            return None
        changed = [sha for sha in changed if sha not in skip]
        if extend and changed:
            idx.delta = cls.from_fingerprints(fingerprints(store, changed), cap=idx.cap, base=idx)
        return idx

    @classmethod
    def open(
        cls,
        store: Store,
        progress: Callable[[int, int, str], None] | None = None,
        skip: set[str] | frozenset[str] = frozenset(),
    ) -> Index:
        """The cached index if usable (``skip``: see load), else a new one."""
        return cls.load(store, skip=skip) or cls.build(store, progress)

    def to_bytes(self) -> bytes:
        return _pack(
            {"v": INDEX_VERSION, "params": PARAMS, "stamp": self.stamp, "shas": self.shas, "cap": self.cap},
            {
                "doc_starts": self.doc_starts,
                "keys": self.keys,
                "starts": self.starts,
                "postings": self.postings,
                "df_keys": self.df_keys,
                "df_counts": self.df_counts,
                "sent_keys": self.sent_keys,
                "sent_atoms": self.sent_atoms,
                "place_keys": self.place_keys,
                "place_atoms": self.place_atoms,
                "key_df": self.key_df,
                "stop_keys": self.stop_keys,
            },
        )

    @classmethod
    def from_bytes(cls, blob: bytes) -> Index:
        head, a = _unpack(blob)
        idx = cls(
            head["shas"],
            a["doc_starts"],
            a["keys"],
            a["starts"],
            a["postings"],
            a["df_keys"],
            a["df_counts"],
            head["cap"],
            a["sent_keys"],
            a["sent_atoms"],
            a["place_keys"],
            a["place_atoms"],
            a["key_df"],
            a["stop_keys"],
        )
        idx.stamp = head.get("stamp", 0.0)
        return idx

    # -- queries ---------------------------------------------------------------------------
    @property
    def n_docs(self) -> int:
        return len(self.shas) + (self.delta.n_docs if self.delta else 0)

    def all_shas(self) -> list[str]:
        return self.shas + (self.delta.all_shas() if self.delta else [])

    def df(self, key: int) -> int:
        """Documents containing the sentence with this text key."""
        k = np.uint64(key)
        i = int(np.searchsorted(self.df_keys, k))
        n = int(self.df_counts[i]) if i < len(self.df_keys) and self.df_keys[i] == k else 0
        return n + (self.delta.df(key) if self.delta else 0)

    def holders(self, key: int, groups: list[str]) -> int:
        """How many groups hold the sentence with this text key, ``groups[i]`` being the group of the i-th
        document of :meth:`all_shas` (its dedup family: copies of one document hold a sentence once)."""
        return len(self._holders(np.uint32(np.uint64(key) >> np.uint64(32)), groups, 0))

    def _holders(self, k32: np.uint32, groups: list[str], offset: int) -> set[str]:
        lo = int(np.searchsorted(self.sent_keys, k32, side="left"))
        hi = int(np.searchsorted(self.sent_keys, k32, side="right"))
        docs = np.unique(np.searchsorted(self.doc_starts, self.sent_atoms[lo:hi].astype(np.int64), side="right") - 1)
        out = {groups[offset + int(d)] for d in docs}
        if self.delta is not None:
            out |= self.delta._holders(k32, groups, offset + len(self.shas))
        return out

    def get(self, key: int, default: int = 0) -> int:
        """Mapping-style df lookup (what Formulaic uses)."""
        return self.df(key) or default

    def hits(self, texts: list[str]) -> list[tuple[Index, np.ndarray, np.ndarray, np.ndarray]]:
        """Shared fingerprints of each query text with corpus atoms.

        Returns, per indexed part (the blob, then the delta): the part (owner
        of the sha list), then query text index, global atom id, shared count arrays.
        """
        qh, qo = ngram_hashes(texts)
        out = []
        for part in (self, self.delta):
            if part is None or not len(part.keys) or not len(qh):
                continue
            out.append(part._hits(qh, qo))
        return out

    def same_text(self, keys: np.ndarray, places: bool = False) -> list[tuple[Index, np.ndarray, np.ndarray]]:
        """Corpus atoms whose whole text has one of ``keys`` (text_key values): (part, query index, atom).

        ``places``: the keys are :func:`place_keys`, matched against the corpus atoms' own.
        """
        out: list[tuple[Index, np.ndarray, np.ndarray]] = []
        k32 = (keys >> np.uint64(32)).astype(np.uint32)
        found: list[tuple[Index, np.ndarray, np.ndarray, np.ndarray]] = []
        for part in (self, self.delta):
            if part is None or not len(keys):
                continue
            sk, sa = (part.place_keys, part.place_atoms) if places else (part.sent_keys, part.sent_atoms)
            if not len(sk):
                continue
            lo = np.searchsorted(sk, k32, side="left")
            found.append((part, sa, lo, np.searchsorted(sk, k32, side="right") - lo))
        # formulaic: in too many atoms to point anywhere (counted over the blob and the delta together)
        if not found:
            return out
        common = np.add.reduce([n for _, _, _, n in found]) > SENT_CAP
        for part, sa, lo, n in found:
            n[common] = 0
            total = int(n.sum())
            if not total:
                continue
            q = np.repeat(np.arange(len(keys), dtype=np.int64), n)
            offs = np.repeat(lo - np.cumsum(n) + n, n) + np.arange(total)
            out.append((part, q, sa[offs].astype(np.int64)))
        return out

    def df_of(self, hashes: np.ndarray) -> np.ndarray:
        """Documents holding each n-gram (sorted, distinct hashes): its count if indexed, over the cap if left
        out for being too common, 0 if in no document."""
        out = np.zeros(len(hashes), dtype=np.int64)
        i, found = _lookup(self.keys, hashes)
        out[found] = self.key_df[i[found]]
        out[_lookup(self.stop_keys, hashes)[1]] = self.cap + 1
        return out

    def drop(self, hashes: np.ndarray) -> None:
        """Leave out these n-grams from now on (a delta took them over the cap); the blob is not changed."""
        i, found = _lookup(self.keys, hashes)
        i = i[found]
        if len(i):
            if self.dropped is None:
                self.dropped = np.zeros(len(self.keys), dtype=bool)
            self.dropped[i] = True

    def _hits(self, qh: np.ndarray, qo: np.ndarray) -> tuple[Index, np.ndarray, np.ndarray, np.ndarray]:
        # one lookup per distinct (hash, query) pair
        pairs = np.unique((qh.astype(np.uint64) << np.uint64(32)) | qo.astype(np.uint64))
        h = (pairs >> np.uint64(32)).astype(np.uint32)
        q = (pairs & np.uint64(0xFFFFFFFF)).astype(np.int64)
        i, found = _lookup(self.keys, h)
        if self.dropped is not None:
            found &= ~self.dropped[i]
        i, q = i[found], q[found]
        a, b = self.starts[i].astype(np.int64), self.starts[i + 1].astype(np.int64)
        counts = b - a
        total = int(counts.sum())
        if not total:
            z = np.zeros(0, np.int64)
            return self, z, z, z
        rep_q = np.repeat(q, counts)
        offs = np.repeat(a - np.cumsum(counts) + counts, counts) + np.arange(total)
        atoms = self.postings[offs].astype(np.int64)
        key = (rep_q << np.int64(32)) | atoms
        uk, cnt = np.unique(key, return_counts=True)
        return self, uk >> np.int64(32), uk & np.int64(0xFFFFFFFF), cnt

    def doc_of(self, atom: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.doc_starts, atom, side="right") - 1


def _lookup(keys: np.ndarray, hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each hash would be in the sorted ``keys``, and whether it is there."""
    if not len(keys):
        return np.zeros(len(hashes), dtype=np.int64), np.zeros(len(hashes), dtype=bool)
    i = np.minimum(np.searchsorted(keys, hashes), len(keys) - 1)
    return i, keys[i] == hashes


# -- blobs -----------------------------------------------------------------------------------------


def _pack(head: dict[str, Any], arrays: dict[str, np.ndarray]) -> bytes:
    layout = []
    off = 0
    for name, arr in arrays.items():
        arr = np.ascontiguousarray(arr)
        layout.append([name, arr.dtype.str, list(arr.shape), off])
        off += arr.nbytes
        off += (-off) % 8
    head = dict(head, arrays=layout)
    hj = json.dumps(head, separators=(",", ":")).encode()
    pad = (-(len(_MAGIC) + 8 + len(hj))) % 8
    parts = [_MAGIC, struct.pack("<Q", len(hj) + pad), hj, b" " * pad]
    pos = 0
    for arr in arrays.values():
        b = np.ascontiguousarray(arr).tobytes()
        parts.append(b)
        pos += len(b)
        parts.append(b"\0" * ((-pos) % 8))
        pos += (-pos) % 8
    return b"".join(parts)


def _unpack(blob: bytes) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    if blob[:4] != _MAGIC:
        raise ValueError("not an index blob")
    (hl,) = struct.unpack("<Q", blob[4:12])
    head = json.loads(blob[12 : 12 + hl])
    base = 12 + hl
    arrays = {}
    for name, dt, shape, off in head["arrays"]:
        dtype = np.dtype(dt)
        count = int(np.prod(shape)) if shape else 1
        arrays[name] = np.frombuffer(blob, dtype=dtype, count=count, offset=base + off).reshape(shape)
    return head, arrays
