"""Character shingles, MinHash signatures and LSH banding, vectorized with NumPy.

Signatures use one-permutation hashing (Li, Owen & Zhang 2012) with rotation
densification (Shrivastava & Li 2014): every shingle is hashed once, the top
bits of its 64-bit hash pick one of ``num_perm`` bins and each bin keeps its
smallest value.  Two signatures agree in a bin with probability close to the
Jaccard similarity of the shingle sets, as with ``num_perm`` independent
permutations, but the cost is one pass over the shingles instead of
``num_perm`` (datasketch hashes every shingle with SHA-1 in Python and then
applies ``num_perm`` permutations).

Shingles are character ``k``-grams of the text as given (dedup passes the
normalized body with whitespace removed), hashed by a polynomial over the
code points followed by a 64-bit finalizer, all in NumPy's wrapping uint64
arithmetic.  Nothing here depends on Python's string hash, so signatures are
the same in every process and on every machine (the Dask engine relies on it).
"""

from __future__ import annotations

import numpy as np

NUM_PERM = 128
SHINGLE = 5
EMPTY = np.uint32(0xFFFFFFFF)  # value of a bin no shingle fell into (only for texts with no shingle)

_U64 = np.uint64
_BASE = _U64(0x9E3779B97F4A7C15)  # odd multiplier for the polynomial rolling hash
_M1 = _U64(0xFF51AFD7ED558CCD)
_M2 = _U64(0xC4CEB9FE1A85EC53)


def _fmix64(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's finalizer: spreads every input bit over the 64 output bits (in place)."""
    h ^= h >> _U64(33)
    h *= _M1
    h ^= h >> _U64(33)
    h *= _M2
    h ^= h >> _U64(33)
    return h


def codepoints(text: str) -> np.ndarray:
    """The text as an array of Unicode code points (uint32), without a Python loop."""
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


def shingle_hashes(text: str | np.ndarray, k: int = SHINGLE) -> np.ndarray:
    """64-bit hashes of the character ``k``-grams of ``text`` (one per position, repeats kept).

    A text shorter than ``k`` is one shingle; an empty text has none.
    """
    cp = codepoints(text) if isinstance(text, str) else text
    n = len(cp)
    if n == 0:
        return np.empty(0, dtype=_U64)
    k = min(k, n)
    c = cp.astype(_U64)
    m = n - k + 1
    with np.errstate(over="ignore"):
        h = c[:m].copy()
        for j in range(1, k):
            h *= _BASE
            h += c[j : j + m]
        h += _U64(k)  # so that a 3-char text and a 5-gram never share a hash by accident
        return _fmix64(h)


def signature(text: str | np.ndarray, num_perm: int = NUM_PERM, k: int = SHINGLE) -> np.ndarray:
    """MinHash signature of ``text``'s ``k``-gram set: ``num_perm`` uint32 values."""
    return signature_of_hashes(shingle_hashes(text, k), num_perm)


def signature_of_hashes(h: np.ndarray, num_perm: int = NUM_PERM) -> np.ndarray:
    """One-permutation MinHash over precomputed shingle hashes (uint64)."""
    bits = int(num_perm).bit_length() - 1
    if num_perm != 1 << bits or not 1 <= bits <= 16:
        raise ValueError("num_perm must be a power of two between 2 and 65536")
    sig = np.full(num_perm, np.iinfo(np.uint64).max, dtype=_U64)
    if len(h) == 0:
        return np.full(num_perm, EMPTY, dtype=np.uint32)
    shift = _U64(64 - bits)
    bins = (h >> shift).astype(np.intp)
    vals = h & _U64((1 << (64 - bits)) - 1)
    np.minimum.at(sig, bins, vals)
    # Keep the top 32 bits of each 64-bit-minus-bin-bits minimum: equal minima
    # stay equal, and the order of values does not matter past this point.
    out = (sig >> _U64(64 - bits - 32)).astype(np.uint32)
    empty = sig == np.iinfo(np.uint64).max
    if empty.any():
        out = _densify(out, empty)
    return out


def _densify(sig: np.ndarray, empty: np.ndarray) -> np.ndarray:
    """Fill empty bins from the next non-empty bin to the right, salted by the distance.

    Two texts with the same shingle set fill the same way, and the chance that
    two texts agree in a filled bin stays about their Jaccard similarity.
    """
    n = len(sig)
    full = np.flatnonzero(~empty)
    idx = np.flatnonzero(empty)
    # next non-empty bin (circularly) for every empty bin
    pos = np.searchsorted(full, idx)
    src = full[pos % len(full)]
    dist = (src - idx) % n
    with np.errstate(over="ignore"):
        v = sig[src].astype(_U64) * _U64(0x100000001B3) + dist.astype(_U64) * _BASE
        v = _fmix64(v)
    sig = sig.copy()
    sig[idx] = (v >> _U64(32)).astype(np.uint32)
    return sig


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures (share of agreeing bins)."""
    return float(np.count_nonzero(a == b)) / len(a)


def exact_jaccard(a: str, b: str, k: int = SHINGLE) -> float:
    """Jaccard similarity of the ``k``-gram sets (for tests and benchmarks)."""
    sa, sb = set(shingle_hashes(a, k).tolist()), set(shingle_hashes(b, k).tolist())
    if not sa and not sb:
        return 1.0
    return len(sa & sb) / len(sa | sb)


# -- LSH banding --------------------------------------------------------------------------


def bands_for(threshold: float, num_perm: int = NUM_PERM) -> tuple[int, int]:
    """(bands, rows) with bands * rows <= num_perm whose S-curve midpoint (1/b)^(1/r) is closest to ``threshold``.

    A pair with Jaccard similarity s shares at least one band with probability
    1 - (1 - s^r)^b: about half at the threshold, nearly always well above it.
    """
    if not 0.0 < threshold < 1.0:
        raise ValueError("threshold must be between 0 and 1")
    best = None
    for r in range(1, num_perm + 1):
        b = num_perm // r
        t = (1.0 / b) ** (1.0 / r)
        if best is None or abs(t - threshold) < best[0]:
            best = (abs(t - threshold), b, r)
    assert best is not None
    return best[1], best[2]


def candidate_probability(s: float, bands: int, rows: int) -> float:
    """Chance that two texts of Jaccard similarity ``s`` share a band."""
    return 1.0 - (1.0 - s**rows) ** bands


def band_keys(sigs: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """One 64-bit key per (signature, band): hashes of ``rows`` consecutive values, salted by band.

    ``sigs`` is (n, num_perm) uint32; the result is (n, bands) uint64.
    """
    sigs = np.ascontiguousarray(sigs, dtype=np.uint32)
    n = sigs.shape[0]
    x = sigs[:, : bands * rows].reshape(n, bands, rows).astype(_U64)
    with np.errstate(over="ignore"):
        key = np.broadcast_to(np.arange(1, bands + 1, dtype=_U64) * _M2, (n, bands)).copy()
        for j in range(rows):
            key *= _BASE
            key += x[:, :, j]
            key = _fmix64(key)
    return key


def colliding_pairs(keys: np.ndarray, owners: np.ndarray) -> np.ndarray:
    """Pairs of distinct owners that share at least one band key.

    ``keys`` is (m, bands) uint64 for m signatures; ``owners`` (m,) gives the
    document index of each signature (a document may have several).  Returns
    an (p, 2) int64 array of (i, j) with i < j, sorted and unique.  Bands
    are processed one at a time and within a bucket only consecutive owners
    are paired with all later ones, so memory stays proportional to the
    number of pairs found.
    """
    owners = np.asarray(owners, dtype=np.int64)
    found: list[np.ndarray] = []
    for b in range(keys.shape[1]):
        found.append(pairs_in_buckets(keys[:, b], owners))
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    return unique_pairs(np.concatenate(found))


def pairs_in_buckets(col: np.ndarray, owners: np.ndarray) -> np.ndarray:
    """Packed (i << 32 | j) pairs of owners sharing a key in one band column."""
    order = np.lexsort((owners, col))
    k, o = col[order], owners[order]
    # drop repeats of the same owner in a bucket (several signatures of one document)
    keep = np.ones(len(k), dtype=bool)
    keep[1:] = (k[1:] != k[:-1]) | (o[1:] != o[:-1])
    k, o = k[keep], o[keep]
    if len(k) < 2:
        return np.empty(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, k[1:] != k[:-1]])
    sizes = np.diff(np.r_[starts, len(k)])
    multi = np.repeat(sizes > 1, sizes)
    if not multi.any():
        return np.empty(0, dtype=np.int64)
    k, o = k[multi], o[multi]
    starts = np.flatnonzero(np.r_[True, k[1:] != k[:-1]])
    sizes = np.diff(np.r_[starts, len(k)])
    out = []
    # For every offset d, pair element x with x+d when both are in the same bucket.
    max_size = int(sizes.max())
    bucket_end = np.repeat(starts + sizes, sizes)
    idx = np.arange(len(k))
    for d in range(1, max_size):
        ok = idx + d < bucket_end
        if not ok.any():
            break
        a, b = o[idx[ok]], o[idx[ok] + d]
        out.append((np.minimum(a, b) << 32) | np.maximum(a, b))
    return np.concatenate(out) if out else np.empty(0, dtype=np.int64)


def unique_pairs(packed: np.ndarray) -> np.ndarray:
    """Packed pairs (i << 32 | j) to a sorted unique (p, 2) array."""
    u = np.unique(packed)
    return np.stack([u >> 32, u & 0xFFFFFFFF], axis=1).astype(np.int64)
