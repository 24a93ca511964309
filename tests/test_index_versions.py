"""Fingerprints and the index of an earlier lineage are dropped when this one builds its own.

Fingerprints v2 (place keys) made every database fingerprint its documents again; the v1 rows
stayed as dead weight, 16 MB per 1,000 documents.  Rows of a newer lineage sharing the database
are kept, and so is every other kind of derived data."""

from __future__ import annotations

from lineage.align import index as ngram_index
from lineage.align.index import Index
from lineage.store import Store


def test_an_older_lineages_fingerprints_and_index_go_when_the_index_is_built(corpus_paths, db_path, run_cli):
    r = run_cli("ingest", *corpus_paths.values(), "--db", db_path, "--quiet")
    assert r.exit_code == 0, r.stderr
    older = ["ngram-fp:v1-n5-w8", "ngram-index:v1-n5-w8-i3", f"ngram-index:{ngram_index.PARAMS}-i1"]
    newer = [f"ngram-fp:v{ngram_index.FP_VERSION + 1}-n5-w8", "dedup-something:v1"]
    with Store(db_path) as store:
        sha = store.shas()[0]
        with store.transaction():
            for kind in older + newer:
                store.put_cache(kind, sha, b"x")
        Index.build(store)
        kinds = set(store.cache_kinds())
        assert not kinds & set(older), kinds
        assert set(newer) <= kinds
        assert {ngram_index.FP_KIND, ngram_index.INDEX_KIND} <= kinds
    # and a trace reads the index built, as before
    r = run_cli("trace", corpus_paths["003"], "--db", db_path, "--json", "--quiet")
    assert r.exit_code == 0, r.stderr
