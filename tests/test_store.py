"""The SQLite store: content-keyed documents, incremental ingest, atomic writes."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from lineage.dates import interval
from lineage.ingest.pipeline import ingest_paths
from lineage.store import SCHEMA_VERSION, Store, StoreError


def test_wal_mode_and_schema_version(db_path, corpus_paths):
    with Store(db_path) as s:
        assert s.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert s.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_newer_schema_is_refused(db_path):
    Store(db_path).close()
    db = sqlite3.connect(db_path)
    db.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(StoreError, match="newer than this lineage"):
        Store(db_path)


def test_a_foreign_database_is_refused(tmp_path):
    p = str(tmp_path / "other.db")
    db = sqlite3.connect(p)
    db.execute("CREATE TABLE t(x)")
    db.close()
    with pytest.raises(StoreError, match="not one lineage made"):
        Store(p)
    p2 = tmp_path / "junk.db"
    p2.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a lineage database"):
        Store(str(p2))


def test_reingesting_is_a_noop_and_a_changed_file_is_a_new_version(db_path, corpus_paths, tmp_path):
    folder = tmp_path / "docs"
    shutil.copytree(os.path.dirname(corpus_paths["000"]), folder)
    with Store(db_path) as s:
        r1 = ingest_paths([str(folder)], s, jobs=1)
        assert (r1.added, len(r1.documents)) == (5, 5)
        r2 = ingest_paths([str(folder)], s, jobs=1)
        assert (r2.added, r2.unchanged, r2.known) == (0, 5, 0)
        # The same bytes under another name: stored once.
        shutil.copy(folder / os.path.basename(corpus_paths["001"]), folder / "copy.txt")
        r3 = ingest_paths([str(folder)], s, jobs=1)
        assert (r3.added, r3.known, s.count()) == (0, 1, 5)
        assert len(s.paths_of(r3.paths[str(folder / "copy.txt")])) == 2
        # Changed content at the same path: a new version, the old one kept.
        p = folder / os.path.basename(corpus_paths["004"])
        old_sha = r1.paths[str(p)]
        p.write_text(p.read_text(encoding="utf-8").replace("2020年", "2021年"), encoding="utf-8")
        r4 = ingest_paths([str(folder)], s, jobs=1)
        assert r4.added == 1 and s.count() == 6 and s.has(old_sha)
        assert r4.paths[str(p)] != old_sha


def test_a_document_round_trips_through_the_store(db_path, corpus_paths, corpus_docs):
    with Store(db_path) as s:
        r = ingest_paths(list(corpus_paths.values()), s, jobs=1)
        for key, path in corpus_paths.items():
            doc = s.load(r.paths[path])
            want = corpus_docs[key]
            assert doc.to_dict() == {**want.to_dict(), "path": doc.path}
            assert doc.text == want.text


def test_ctrl_c_during_ingest_leaves_the_database_as_it_was(db_path, corpus_paths, tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    base = open(corpus_paths["003"], encoding="utf-8").read()
    for i in range(30):
        (folder / f"{i:03}.txt").write_text(base + f"\n附件{i}", encoding="utf-8")
    with Store(db_path) as s:
        ingest_paths([corpus_paths["000"]], s, jobs=1)
        before = s.count()

        def interrupt(done, total, path):
            if done >= 10:
                raise KeyboardInterrupt

        with pytest.raises(KeyboardInterrupt):
            ingest_paths([str(folder)], s, jobs=1, progress=interrupt)
        assert s.count() == before
        assert s.db.execute("SELECT count(*) FROM files").fetchone()[0] == 1


def test_a_killed_ingest_leaves_the_database_as_it_was(db_path, corpus_paths, tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    base = open(corpus_paths["002"], encoding="utf-8").read()
    for i in range(1500):
        (folder / f"{i:04}.txt").write_text(base + f"\n附件{i}", encoding="utf-8")
    with Store(db_path) as s:
        ingest_paths([corpus_paths["000"]], s, jobs=1)
    proc = subprocess.Popen(
        [sys.executable, "-m", "lineage", "ingest", str(folder), "--db", db_path, "-j", "1", "-q"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wal = db_path + "-wal"
    deadline = time.time() + 60
    # Kill it once it is writing inside its transaction.
    while time.time() < deadline and proc.poll() is None:
        if os.path.exists(wal) and os.path.getsize(wal) > 200_000:
            break
        time.sleep(0.01)
    assert proc.poll() is None, "ingest finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with Store(db_path) as s:
        assert s.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert s.count() == 1


def test_a_version_1_database_is_upgraded_in_place(db_path, corpus_paths):
    """Version 1 kept the cache in a WITHOUT ROWID table; its rows survive the upgrade."""
    db = sqlite3.connect(db_path)
    db.executescript(
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
        "CREATE TABLE documents (sha256 TEXT PRIMARY KEY, path TEXT NOT NULL, size INTEGER NOT NULL, encoding TEXT NOT NULL,"
        " format TEXT NOT NULL, title TEXT, date TEXT, parser INTEGER NOT NULL, meta TEXT NOT NULL, units BLOB NOT NULL,"
        " text BLOB NOT NULL, ingested_at REAL NOT NULL);"
        "CREATE TABLE files (path TEXT PRIMARY KEY, sha256 TEXT NOT NULL, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,"
        " seen_at REAL NOT NULL);"
        "CREATE TABLE edge_lines (key TEXT NOT NULL, sha TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (key, sha)) WITHOUT ROWID;"
        "CREATE TABLE cache (kind TEXT NOT NULL, sha256 TEXT NOT NULL, params TEXT NOT NULL, value BLOB NOT NULL,"
        " PRIMARY KEY (kind, sha256, params)) WITHOUT ROWID;"
        "CREATE TABLE results (kind TEXT NOT NULL, key TEXT NOT NULL, value BLOB NOT NULL, PRIMARY KEY (kind, key)) WITHOUT ROWID;"
        "INSERT INTO cache VALUES ('k', 'abc', '', x'0102');"
        "PRAGMA user_version=1;"
    )
    db.close()
    with Store(db_path) as s:
        assert s.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert s.get_cache("k", "abc") == b"\x01\x02"
        assert "WITHOUT ROWID" not in s.db.execute("SELECT sql FROM sqlite_master WHERE name='cache'").fetchone()[0]
        assert s.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        ingest_paths([corpus_paths["004"]], s, jobs=1)
        assert s.count() == 1


def test_summaries_at_once_are_each_documents_summary_with_its_paths(corpus_paths, db_path):
    from lineage.ingest.pipeline import ingest_paths

    with Store(db_path) as s:
        report = ingest_paths(list(corpus_paths.values()), s, jobs=1)
        many = s.summaries(report.documents, without=("outline", "parts"))
        assert list(many) != [] and set(many) == set(report.documents)
        for sha in report.documents:
            one = s.summary(sha)
            assert one["outline"] and "outline" not in many[sha] and "parts" not in many[sha]
            assert many[sha] == {
                **{k: v for k, v in one.items() if k not in ("outline", "parts")},
                "paths": s.paths_of(sha),
            }


def test_dating_is_read_once_per_state_of_the_database(db_path, corpus_paths):
    """Each trace asks every document's date, level and interval; a store reads them again only when the
    database changed: a document ingested through it, a date given through another connection."""
    with Store(db_path) as s:
        ingest_paths([corpus_paths["000"], corpus_paths["004"]], s, jobs=1)
        dates, levels, spans = s.dating()
        assert len(dates) == 2 and s.dating() == (dates, levels, spans)
        dates.clear()  # a caller's copy: the next answer is whole
        assert len(s.dating()[0]) == 2
        sha = ingest_paths([corpus_paths["002"]], s, jobs=1).documents[0]
        assert sha in s.dating()[0]  # ingested through this store
        with Store(db_path) as other:  # given through another connection
            other.put_given(sha, {"date": "2016-07-01", "date_kind": "signed"})
        got, _, spans = s.dating()
        assert got[sha] == "2016-07-01" and spans[sha] == interval("2016-07-01", "signed")


def test_places_are_each_documents_jurisdiction_a_given_one_first(db_path, corpus_paths):
    """Retrieval asks whether the target names a holder's place: each document's jurisdiction name, read with
    the dates (one pass), a jurisdiction given through a sidecar first."""
    with Store(db_path) as s:
        shas = ingest_paths([corpus_paths["000"], corpus_paths["002"]], s, jobs=1).documents
        places = s.places()
        assert {places[sha] for sha in shas} == {s.load(sha, units=False).jurisdiction.name for sha in shas}
        assert "浙江省" in places.values() and "绍兴市" in places.values()
        places.clear()  # a caller's copy
        assert len(s.places()) == 2
        with Store(db_path) as other:
            other.put_given(shas[0], {"jurisdiction": {"name": "嵊州市", "level": "county"}})
        assert s.places()[shas[0]] == "嵊州市" and s.levels()[shas[0]] == "county"
