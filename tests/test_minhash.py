"""MinHash signatures and LSH banding: estimates, determinism, candidate pairs."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lineage.dedup import minhash
from lineage.dedup.features import blocks_of, comparison_text


@pytest.fixture(scope="module")
def bodies(corpus_docs):
    return {k: comparison_text(blocks_of(d))[0] for k, d in corpus_docs.items()}


def test_shingle_hashes_depend_only_on_the_shingle():
    text = "推动制造业高质量发展，建设制造强省"
    h = minhash.shingle_hashes(text)
    assert len(h) == len(text) - minhash.SHINGLE + 1
    # the same 5 characters hash the same wherever they occur
    other = minhash.shingle_hashes("前言" + text[3:8] + "后记")
    assert h[3] == other[2]
    assert len(set(h.tolist())) == len(h)


def test_short_and_empty_texts():
    assert len(minhash.shingle_hashes("")) == 0
    assert len(minhash.shingle_hashes("制造")) == 1
    empty = minhash.signature("")
    assert (empty == minhash.EMPTY).all()
    short = minhash.signature("制造强省")
    assert not (short == minhash.EMPTY).any(), "empty bins are filled (densified)"
    assert (short == minhash.signature("制造强省")).all()
    assert minhash.jaccard(short, minhash.signature("制造强市")) < 0.5


def test_estimates_track_exact_jaccard(bodies):
    """On real bodies, cut at different points: the estimate is within sampling error of the truth."""
    a = bodies["003"]
    errors = []
    for frac in (0.2, 0.4, 0.6, 0.8, 1.0):
        b = a[: int(len(a) * frac)]
        exact = minhash.exact_jaccard(a, b)
        est = minhash.jaccard(minhash.signature(a), minhash.signature(b))
        errors.append(abs(exact - est))
    # 128 bins: standard error about sqrt(J(1-J)/128) <= 0.045
    assert max(errors) < 0.15
    assert np.mean(errors) < 0.07
    for x, y in itertools.combinations(["000", "001", "002", "004"], 2):
        exact = minhash.exact_jaccard(bodies[x], bodies[y])
        est = minhash.jaccard(minhash.signature(bodies[x]), minhash.signature(bodies[y]))
        assert abs(exact - est) < 0.15


def test_000_and_003_bodies_look_alike(bodies):
    assert minhash.jaccard(minhash.signature(bodies["000"]), minhash.signature(bodies["003"])) > 0.9
    assert minhash.jaccard(minhash.signature(bodies["000"]), minhash.signature(bodies["001"])) < 0.3


def test_signatures_are_the_same_in_every_process(bodies):
    """No Python string hashing: another interpreter with another hash seed gets the same bytes."""
    here = minhash.signature(bodies["002"]).tobytes().hex()
    code = "import sys; from lineage.dedup import minhash; print(minhash.signature(sys.stdin.read()).tobytes().hex())"
    env = dict(os.environ, PYTHONHASHSEED="12345")
    out = subprocess.run(
        [sys.executable, "-c", code], input=bodies["002"], capture_output=True, text=True, env=env, check=True
    ).stdout.strip()
    assert out == here


def test_bands_for_thresholds():
    for t in (0.3, 0.5, 0.6, 0.7, 0.8):
        b, r = minhash.bands_for(t)
        assert b * r <= minhash.NUM_PERM
        assert abs((1 / b) ** (1 / r) - t) < 0.08
        # the S-curve: rarely below the threshold, almost always well above it
        assert minhash.candidate_probability(t - 0.3, b, r) < 0.2
        assert minhash.candidate_probability(min(0.99, t + 0.25), b, r) > 0.9
    with pytest.raises(ValueError):
        minhash.bands_for(1.5)


def _naive_pairs(keys: np.ndarray, owners: np.ndarray) -> set[tuple[int, int]]:
    out = set()
    for x in range(len(owners)):
        for y in range(x + 1, len(owners)):
            if owners[x] != owners[y] and (keys[x] == keys[y]).any():
                a, b = sorted((int(owners[x]), int(owners[y])))
                out.add((a, b))
    return out


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 12), st.lists(st.integers(0, 6), min_size=3, max_size=3)), min_size=0, max_size=30
    )
)
def test_colliding_pairs_match_brute_force(rows):
    """Several signatures per owner, few distinct keys: every colliding pair once, no self-pairs."""
    if rows:
        owners = np.array([r[0] for r in rows], dtype=np.int64)
        keys = np.array([r[1] for r in rows], dtype=np.uint64)
    else:
        owners = np.empty(0, dtype=np.int64)
        keys = np.empty((0, 3), dtype=np.uint64)
    got = minhash.colliding_pairs(keys, owners)
    assert {tuple(p) for p in got.tolist()} == _naive_pairs(keys, owners)
    assert got.tolist() == sorted(got.tolist())


def test_band_keys_find_near_duplicates_not_strangers(bodies):
    texts = [bodies["000"], bodies["003"], bodies["001"], bodies["002"], bodies["004"], bodies["003"][:3000]]
    sigs = np.stack([minhash.signature(t) for t in texts])
    b, r = minhash.bands_for(0.6)
    pairs = {tuple(p) for p in minhash.colliding_pairs(minhash.band_keys(sigs, b, r), np.arange(len(texts))).tolist()}
    assert (0, 1) in pairs
    assert not pairs & {(0, 2), (0, 3), (2, 3), (2, 4), (3, 4)}
