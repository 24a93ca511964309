"""A --db that is not lineage's is refused as it was (not a byte changed), and trace makes no database from
nothing: each refusal one line, in the interface language, with the exit code telling."""

from __future__ import annotations

import os
import sqlite3

import pytest

from lineage.store import Store, StoreError


def _foreign(path: str, version: int = 0) -> bytes:
    """Another program's SQLite database (rollback journal, one table, ``version`` in user_version)."""
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE notes(body TEXT)")
    db.execute("INSERT INTO notes VALUES ('keep me')")
    if version:
        db.execute(f"PRAGMA user_version={version}")
    db.commit()
    db.close()
    with open(path, "rb") as f:
        return f.read()


@pytest.mark.parametrize("version", [0, 1, 2])
def test_another_programs_database_is_left_as_it_was(tmp_path, version):
    # Before, WAL mode was set before the check (rewriting the header's journal bytes), and a foreign
    # database whose user_version looked like an old lineage schema was "upgraded" with lineage's tables.
    p = str(tmp_path / "other.db")
    before = _foreign(p, version)
    with pytest.raises(StoreError, match="not one lineage made"):
        Store(p)
    with open(p, "rb") as f:
        assert f.read() == before
    assert sorted(os.listdir(tmp_path)) == ["other.db"]  # no -wal, no -shm left beside it
    db = sqlite3.connect(p)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert db.execute("SELECT body FROM notes").fetchall() == [("keep me",)]
    db.close()


@pytest.mark.parametrize("content", [b"x", b"\n", b"SQLite format 2\x00"])
def test_a_short_file_that_is_not_sqlite_is_not_written_over(tmp_path, content):
    # SQLite takes a one-byte file for an empty database and writes its header over it
    p = tmp_path / "notes.db"
    p.write_bytes(content)
    with pytest.raises(StoreError, match="not a lineage database"):
        Store(str(p))
    assert p.read_bytes() == content


def test_an_empty_file_becomes_a_database(tmp_path):
    # nothing in it to lose: `touch lineage.db` then ingest is a way to make one
    p = tmp_path / "new.db"
    p.touch()
    with Store(str(p)) as s:
        assert s.count() == 0
    assert p.read_bytes()[:16] == b"SQLite format 3\x00"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_cli_says_why_in_the_interface_language(run_cli, corpus_paths, tmp_path, lang):
    other = str(tmp_path / "other.db")
    before = _foreign(other)
    missing = str(tmp_path / "missing.db")
    expected = {
        "en": (
            f"Error: {other}: an SQLite database, but not one lineage made",
            f"Error: {missing}: no database here (run 'lineage ingest' first)",
        ),
        "zh": (
            f"Error: {other}：是 SQLite 数据库，但不是 lineage 创建的",
            f"Error: {missing}：此处没有数据库（请先运行 'lineage ingest'）",
        ),
    }[lang]
    for args in (["graph"], ["search", "制造强省"], ["trace", corpus_paths["002"]], ["ingest", corpus_paths["002"]]):
        r = run_cli("--lang", lang, *args, "--db", other)
        assert r.exit_code == (2 if args[0] == "search" else 1), (args, r.output)  # search: grep's codes
        assert r.stderr.strip().splitlines() == [expected[0]], args
    for args in (["graph"], ["search", "制造强省"], ["trace", corpus_paths["002"]]):
        r = run_cli("--lang", lang, *args, "--db", missing)
        assert r.exit_code == (2 if args[0] == "search" else 1), (args, r.output)
        assert r.stderr.strip().splitlines() == [expected[1]], args
        assert not os.path.exists(missing), args
    with open(other, "rb") as f:
        assert f.read() == before


def test_trace_makes_a_database_only_for_its_corpus(run_cli, corpus_paths, tmp_path):
    db = str(tmp_path / "made.db")
    r = run_cli("trace", corpus_paths["004"], "--db", db, "--corpus", corpus_paths["002"], "--json", "--quiet")
    assert r.exit_code == 0, r.output
    assert os.path.exists(db)
    # the target alone in its database: nothing else was searched, and the note says so
    alone = str(tmp_path / "alone.db")
    assert run_cli("ingest", corpus_paths["003"], "--db", alone, "--quiet").exit_code == 0
    r = run_cli("trace", corpus_paths["003"], "--db", alone)
    assert r.exit_code == 0, r.output
    assert f"{corpus_paths['003']}: no reuse found in 0 other documents" in r.stderr
