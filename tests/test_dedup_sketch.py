"""Dedup stores sketches (no units, outline or part spans) and parses them in full when a command needs them.

Issue 12: "a document read for dedup gets body extraction, normalization and shingles, and the full
structure parse only when a later command asks for it (lazily, cached)".  What must hold: the clusters
are the ones a full parse gives, a sketch loads as the document a full parse makes (and is then stored
in full), and every command that reads units works on a database dedup alone filled.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3

from dedup_fixtures import scraped  # noqa: F401  (fixtures)

from lineage.dedup import pipeline as D
from lineage.ingest.parse import PARSER_VERSION, SKETCH_VERSION, parse
from lineage.ingest.pipeline import complete_sketches, ingest_paths
from lineage.ingest.read import read_file
from lineage.store import Store


def _parsers(db: str) -> dict[str, int]:
    with sqlite3.connect(db) as c:
        return dict(c.execute("SELECT sha256, parser FROM documents"))


def test_dedup_alone_stores_sketches_and_finds_the_clusters_a_full_parse_finds(scraped, tmp_path):
    out, _ = scraped
    docs = os.path.join(out, "docs")
    sketched, parsed = str(tmp_path / "sketch.db"), str(tmp_path / "full.db")
    with Store(sketched) as store:
        a, _ = D.dedup_paths([docs], store, jobs=2)
    with Store(parsed) as store:
        ingest_paths([docs], store, jobs=2)  # parsed in full first: dedup then only reads them
        b, _ = D.dedup_paths([docs], store, jobs=2)
    assert set(_parsers(sketched).values()) == {SKETCH_VERSION}
    assert set(_parsers(parsed).values()) == {PARSER_VERSION}
    assert len(a.clusters) > 20 and a.related
    assert json.dumps(a.to_dict()["clusters"], sort_keys=True) == json.dumps(b.to_dict()["clusters"], sort_keys=True)
    assert a.to_dict()["related"] == b.to_dict()["related"]
    with sqlite3.connect(sketched) as c, sqlite3.connect(parsed) as d:  # a sketch's row is smaller: no units
        size = "SELECT sum(length(units)) + sum(length(meta)) FROM documents"
        assert c.execute(size).fetchone()[0] < d.execute(size).fetchone()[0]


def test_a_sketch_loads_as_the_full_document_and_is_then_stored_in_full(scraped, tmp_path):
    out, _ = scraped
    docs = os.path.join(out, "docs")
    db = str(tmp_path / "d.db")
    with Store(db) as store:
        D.dedup_paths([docs], store, jobs=1)
        furniture = frozenset(store.recurring_lines(3))
        stamps = dict(store.db.execute("SELECT sha256, ingested_at FROM documents"))
        path = sorted(os.path.join(docs, n) for n in os.listdir(docs))[5]
        sha = store.resolve(path)
        doc = store.load(sha)
        fresh = parse(read_file(path), furniture)
        assert [(u.id, u.kind, u.span, u.norm_text) for u in doc.block_units] == [
            (u.id, u.kind, u.span, u.norm_text) for u in fresh.block_units
        ]
        assert doc.outline == fresh.outline and doc.parts == fresh.parts and doc.title == fresh.title
        assert all(doc.text[s:e] == u.text or doc.format == "html" for u in doc.block_units for s, e in [u.span])
        assert _parsers(db)[sha] == PARSER_VERSION  # stored in full: the next load does not parse
        # the same bytes by the same rules: nothing derived from the sketch goes stale
        assert store.db.execute("SELECT ingested_at FROM documents WHERE sha256=?", (sha,)).fetchone()[0] == stamps[sha]
        other = store.resolve(sorted(os.path.join(docs, n) for n in os.listdir(docs))[6])
        assert store.summary(other)["outline"] == store.load(other).to_dict(units=False)["outline"]
        assert store.block_rows(other) and _parsers(db)[other] == PARSER_VERSION


def test_a_read_only_database_of_sketches_is_still_read_in_full(scraped, tmp_path):
    out, _ = scraped
    db = str(tmp_path / "d.db")
    with Store(db) as store:
        D.dedup_paths([os.path.join(out, "docs")], store, jobs=1)
    with Store(db, create=False) as store:
        store.db.execute("PRAGMA query_only=ON")  # SQLite refuses every write, as on a read-only file
        sha = store.shas()[0]
        assert store.load(sha).block_units and store.block_rows(sha)
        # many at once (graph, an index build): parsed by workers, nothing stored, no error
        assert complete_sketches(store, jobs=2) == 0 and len(store.sketches()) == store.count()
    assert _parsers(db)[sha] == SKETCH_VERSION  # nothing written: the next load parses it again


def test_commands_after_dedup_alone_see_units(scraped, tmp_path, run_cli):
    out, _ = scraped
    docs = tmp_path / "docs"
    shutil.copytree(os.path.join(out, "docs"), docs)
    db = str(tmp_path / "d.db")
    assert run_cli("dedup", str(docs), "--db", db, "-q", "--json").exit_code == 0
    first = sorted(docs.iterdir())[0]
    r = run_cli("show", str(first), "--db", db, "--json")
    shown = json.loads(r.stdout)
    assert r.exit_code == 0 and shown["units"] and shown["outline"] is not None
    r = run_cli("search", shown["units"][-1]["text"][:30], "--db", db, "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["hits"]
    # ingest then finds them parsed in full, or parses them: nothing is sketched any more
    assert run_cli("ingest", str(docs), "--db", db, "-q").exit_code == 0
    assert set(_parsers(db).values()) == {PARSER_VERSION}


def test_serve_shows_a_document_dedup_alone_stored(scraped, tmp_path, run_cli):
    """The web app loads documents through the store too: a sketch's page shows its units."""
    from lineage.serve import create_app

    out, _ = scraped
    db = str(tmp_path / "d.db")
    assert run_cli("dedup", os.path.join(out, "docs"), "--db", db, "-q").exit_code == 0
    app = create_app(db)
    try:
        client = app.test_client()
        listed = client.get("/api/documents").get_json()
        sha = listed["rows"][0]["sha256"]
        assert _parsers(db)[sha] == SKETCH_VERSION
        page = client.get(f"/doc/{sha}")
        assert page.status_code == 200
        data = client.get(f"/api/doc/{sha}").get_json()
        assert data and _parsers(db)[sha] == PARSER_VERSION
    finally:
        app.config["lineage.state"].store.close()


def test_many_sketches_are_parsed_in_full_by_workers_as_one_load_would_and_fingerprinted(scraped, tmp_path):
    """A command about to read every document of a database dedup filled (graph, an index build) has
    the sketches parsed in full on every core first: the rows are those a load one at a time stores."""
    from lineage.align.index import FP_KIND, Fingerprint, derive, fingerprint

    out, _ = scraped
    docs = os.path.join(out, "docs")
    one, many = str(tmp_path / "one.db"), str(tmp_path / "many.db")
    with Store(one) as store:
        D.dedup_paths([docs], store, jobs=1)
    shutil.copy(one, many)
    with Store(one) as store:
        for sha in store.shas():
            store.load(sha)  # one at a time, in this process
        by_load = {
            r[0]: r[1:] for r in store.db.execute("SELECT sha256, parser, meta, units, ingested_at FROM documents")
        }
    with Store(many) as store:
        shas = store.shas()
        half = shas[: len(shas) // 2]
        assert store.sketches(half) == half
        seen = []
        assert complete_sketches(
            store, half, jobs=2, derive=derive, progress=lambda d, t, i: seen.append((d, t))
        ) == len(half)
        assert seen[-1] == (len(half), len(half))
        assert store.sketches() == sorted(set(shas) - set(half))  # only those asked for
        assert complete_sketches(store, jobs=2, derive=derive) == len(shas) - len(half)
        assert store.sketches() == [] and complete_sketches(store, jobs=2) == 0
        rows = {r[0]: r[1:] for r in store.db.execute("SELECT sha256, parser, meta, units, ingested_at FROM documents")}
        assert rows == by_load  # same parse, same stamp: nothing derived before goes stale
        sha = shas[3]
        cached, fresh = Fingerprint.from_bytes(store.get_cache(FP_KIND, sha)), fingerprint(store.load(sha))
        assert cached.made >= rows[sha][3]  # not older than the document: the index uses it
        for name in ("hashes", "atoms", "keys", "lengths"):
            assert getattr(cached, name).tolist() == getattr(fresh, name).tolist()
