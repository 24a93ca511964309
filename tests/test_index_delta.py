"""An index extended by a delta (documents ingested after it was built) finds what one index over all of them
finds: the cap on common n-grams counts the documents of both."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from lineage.align import index as ngram_index
from lineage.align.index import Index, atom_texts
from lineage.align.trace import trace
from lineage.ingest.pipeline import ingest_paths
from lineage.store import Store

MAIN, LATER = ("000", "002", "004"), ("001", "003")  # 003 is a copy of 000: their n-grams are in two documents


def _hits(idx: Index, texts: list[str]) -> set[tuple[int, str, int, int]]:
    """(query text, document, atom in it, shared count) of every n-gram hit, whichever part holds it."""
    out = set()
    for part, q, atom, cnt in idx.hits(texts):
        doc = part.doc_of(atom)
        local = atom - part.doc_starts[doc]
        out |= {(int(a), part.shas[d], int(b), int(c)) for a, d, b, c in zip(q, doc, local, cnt)}
    return out


def _same(idx: Index, texts: list[str]) -> set[tuple[int, str, int]]:
    keys = np.fromiter((ngram_index.text_key(t) for t in texts), dtype=np.uint64, count=len(texts))
    out = set()
    for part, q, atom in idx.same_text(keys):
        doc = part.doc_of(atom)
        out |= {(int(a), part.shas[d], int(b - part.doc_starts[d])) for a, d, b in zip(q, doc, atom)}
    return out


@pytest.fixture(scope="module")
def fps(corpus_docs) -> dict[str, ngram_index.Fingerprint]:
    return {k: ngram_index.fingerprint(corpus_docs[k]) for k in MAIN + LATER}


@pytest.mark.parametrize("cap", [1, 2])
def test_delta_hits_are_the_whole_index_hits(fps, corpus_docs, cap):
    full = Index.from_fingerprints(fps, cap=cap)
    main = Index.from_fingerprints({k: fps[k] for k in MAIN}, cap=cap)
    main.delta = Index.from_fingerprints({k: fps[k] for k in LATER}, cap=cap, base=main)
    for target in ("000", "003", "004"):
        texts = atom_texts(corpus_docs[target])
        assert _hits(main, texts) == _hits(full, texts), target
    # the premise: a delta counting only its own documents keeps n-grams the whole corpus holds too often
    alone = Index.from_fingerprints({k: fps[k] for k in MAIN}, cap=cap)
    alone.delta = Index.from_fingerprints({k: fps[k] for k in LATER}, cap=cap)
    texts = atom_texts(corpus_docs["000"])
    assert _hits(alone, texts) - _hits(full, texts)


def test_sentence_cap_counts_both_parts(fps, corpus_docs, monkeypatch):
    # a sentence in 000 and its copy 003 is in two atoms at least: over a cap of 1 in the two parts together
    monkeypatch.setattr(ngram_index, "SENT_CAP", 1)
    full = Index.from_fingerprints(fps)
    main = Index.from_fingerprints({k: fps[k] for k in MAIN})
    main.delta = Index.from_fingerprints({k: fps[k] for k in LATER}, base=main)
    texts = atom_texts(corpus_docs["000"])
    assert _same(main, texts) == _same(full, texts)
    assert _same(full, atom_texts(corpus_docs["002"]))  # 002's own sentences are still found


def test_trace_with_a_delta_is_the_trace_of_a_rebuilt_index(tmp_path, corpus_paths, corpus_docs, monkeypatch):
    # a database indexed, then given more documents (the delta), traces as one indexed afresh
    monkeypatch.setattr(ngram_index, "DF_CAP", 1)
    first, later = [corpus_paths[k] for k in ("000", "002")], [corpus_paths[k] for k in ("001", "003")]
    extended, rebuilt = str(tmp_path / "extended.db"), str(tmp_path / "rebuilt.db")
    with Store(extended) as store:
        ingest_paths(first, store, jobs=1, derive=ngram_index.derive)
        Index.build(store)
        ingest_paths(later, store, jobs=1, derive=ngram_index.derive)
        idx = Index.load(store)
        assert idx is not None and idx.delta is not None and len(idx.delta.shas) == 2
        a = trace(corpus_docs["004"], idx, store).result.to_dict()
    with Store(rebuilt) as store:
        ingest_paths(first + later, store, jobs=1, derive=ngram_index.derive)
        b = trace(corpus_docs["004"], Index.build(store), store).result.to_dict()

    def key(r: dict) -> list:
        return [(m["target_span"], Path(m["source"]).name, m["source_span"], m["relation"]) for m in r["matches"]]

    assert key(a) == key(b) and a["summary"]["reuse_share"] == b["summary"]["reuse_share"]
    assert "002" in {Path(m["source"]).name[:3] for m in a["matches"]}


def test_blob_keeps_what_a_delta_needs(fps):
    idx = Index.from_fingerprints(fps, cap=1)
    back = Index.from_bytes(idx.to_bytes())
    assert np.array_equal(back.key_df, idx.key_df) and np.array_equal(back.stop_keys, idx.stop_keys)
    assert len(idx.stop_keys) and int(idx.key_df.max()) == 1
