"""Fingerprints and the index of an earlier lineage are dropped when this one builds its own.

Fingerprints v2 (place keys) made every database fingerprint its documents again; the v1 rows
stayed as dead weight, 16 MB per 1,000 documents.  Rows of a newer lineage sharing the database
are kept, and so is every other kind of derived data."""

from __future__ import annotations

import json

from lineage.align import index as ngram_index
from lineage.align.index import Index
from lineage.store import Store


def test_an_older_lineages_fingerprints_and_index_go_when_the_index_is_built(corpus_paths, db_path, run_cli):
    r = run_cli("ingest", *corpus_paths.values(), "--db", db_path, "--quiet")
    assert r.exit_code == 0, r.stderr
    older = ["ngram-fp:v1-n5-w8", "ngram-index:v1-n5-w8-i3", f"ngram-index:{ngram_index.PARAMS}-i1"]
    newer = [
        f"ngram-fp:v{ngram_index.FP_VERSION + 1}-n5-w8",
        f"ngram-index:{ngram_index.PARAMS}-i{ngram_index.INDEX_VERSION + 1}",
        "dedup-something:v1",
    ]
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
    assert json.loads(r.stdout)["matches"]


def test_a_given_jurisdiction_refreshes_the_documents_place_free_keys(tmp_path, db_path):
    """The place-free keys are read with the document's own names: given metadata that names another place
    (a sidecar) makes the cached fingerprints and the index holding them stale."""
    from lineage.align.index import fingerprints, place_keys
    from lineage.ingest.pipeline import ingest_paths
    from lineage.ingest.sidecar import read_sidecar, register

    doc = tmp_path / "a.txt"
    doc.write_text("杭州市制造业发展规划\n推动杭州市制造业高质量发展，建设全市统一的公共服务平台。\n", encoding="utf-8")
    meta = tmp_path / "meta.csv"
    meta.write_text("path,issuer\na.txt,绍兴市人民政府\n", encoding="utf-8")
    with Store(db_path) as store:
        ingest_paths([str(doc)], store, jobs=1)
        sha = store.shas()[0]
        Index.build(store)
        before = fingerprints(store, [sha])[sha].place_keys
        register(store, read_sidecar(str(meta)))
        given = store.load(sha)
        assert given.jurisdiction is not None and given.jurisdiction.name == "绍兴市"
        assert store.get_cache(ngram_index.INDEX_KIND, ngram_index.INDEX_KEY) is None
        after = fingerprints(store, [sha])[sha].place_keys
        texts = ngram_index.atom_texts(given)
    assert after is not None and before is not None
    assert list(after) == list(place_keys(texts, given.jurisdiction))
    assert list(after) != list(before)  # 杭州市 was the document's own name; now it is a third place
