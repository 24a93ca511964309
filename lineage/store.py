"""The SQLite store: documents keyed by content hash, and caches derived from them.

* ``documents``: one row per distinct content (sha256 of the file's bytes),
  with the decoded text, metadata and units (compressed).  Re-ingesting the
  same bytes is a no-op; a changed file is a new row (a new version).
* ``files``: which paths hold which content, with size and mtime, so that an
  unchanged file is not even re-read.
* ``edge_lines``: which short lines open or close which documents, to find
  chrome by recurrence.
* ``cache``: per-document derived data other stages compute once (MinHash
  signatures, n-gram fingerprints), keyed by (kind, sha256, params).
* ``results``: corpus-level results (dedup clusters), keyed by (kind, key).
* ``sidecar_rows``: metadata given beside the documents (``lineage.ingest.sidecar``):
  each row of each sidecar file applied, as read, keyed by (sidecar, line).
* ``doc_given``: what those rows (and ``--date-from-name``) resolve to, per
  document: the fields that override the parse.  :meth:`Store.load` applies
  them, so every command sees given values without re-reading a sidecar.

The database runs in WAL mode; writes go through :meth:`Store.transaction`,
so an interrupted command leaves the database as it was before it.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import MISSING, Field, fields
from functools import partial
from typing import Any

from lineage.dates import interval
from lineage.i18n import N_
from lineage.model import Document, Unit

try:  # ISA-L writes the same zlib streams three times as fast; stdlib zlib reads them
    from isal import isal_zlib as _deflate
except ImportError:  # pragma: no cover - isal is a dependency; a source build may lack it
    import zlib as _deflate  # type: ignore[no-redef]

SCHEMA_VERSION = 3
# cache kinds of the n-gram index (lineage.align.index appends its version): named here, where the cache
# lives, so that whatever forgets a document's derived data can drop them without importing the index
FINGERPRINT_CACHE = "ngram-fp:"
INDEX_CACHE = "ngram-index:"
DEFAULT_DB = os.path.join(".lineage", "lineage.db")
GIVEN_CHANGED = "given_changed_at"  # setting: when given metadata last changed (see last_parsed)

# Metadata given beside the documents (schema 3, lineage.ingest.sidecar).
_SIDECAR_TABLES = """
CREATE TABLE IF NOT EXISTS sidecar_rows (
    source TEXT NOT NULL,
    line INTEGER NOT NULL,
    key TEXT NOT NULL,
    fields TEXT NOT NULL,
    applied_at REAL NOT NULL,
    PRIMARY KEY (source, line)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS doc_given (
    sha256 TEXT NOT NULL PRIMARY KEY,
    fields TEXT NOT NULL,
    parsed_at REAL NOT NULL
) WITHOUT ROWID;
"""

_SCHEMA = (
    """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    sha256 TEXT PRIMARY KEY,
    path TEXT NOT NULL,
    size INTEGER NOT NULL,
    encoding TEXT NOT NULL,
    format TEXT NOT NULL,
    title TEXT,
    date TEXT,
    parser INTEGER NOT NULL,
    meta TEXT NOT NULL,
    units BLOB NOT NULL,
    text BLOB NOT NULL,
    ingested_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    seen_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS files_sha ON files(sha256);
-- Key columns first: SQLite 3.40's integrity_check misreads WITHOUT ROWID
-- tables whose primary key is not a prefix of the columns.
CREATE TABLE IF NOT EXISTS edge_lines (
    key TEXT NOT NULL,
    sha TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (key, sha)
) WITHOUT ROWID;
-- A rowid table: blobs of several KB insert about twice as fast as in a
-- WITHOUT ROWID table, and the file is smaller.
CREATE TABLE IF NOT EXISTS cache (
    kind TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    params TEXT NOT NULL,
    value BLOB NOT NULL,
    UNIQUE (kind, sha256, params)
);
CREATE TABLE IF NOT EXISTS results (
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    value BLOB NOT NULL,
    PRIMARY KEY (kind, key)
) WITHOUT ROWID;
"""
    + _SIDECAR_TABLES
)

# Upgrades from each older schema version to the next, applied in order.
MIGRATIONS: dict[int, str] = {
    1: """
    CREATE TABLE cache_new (kind TEXT NOT NULL, sha256 TEXT NOT NULL, params TEXT NOT NULL, value BLOB NOT NULL,
                            UNIQUE (kind, sha256, params));
    INSERT INTO cache_new SELECT kind, sha256, params, value FROM cache;
    DROP TABLE cache;
    ALTER TABLE cache_new RENAME TO cache;
    """,
    # 2 -> 3: metadata sidecars (issue 15); documents are untouched
    2: _SIDECAR_TABLES,
}


class StoreError(Exception):
    pass


# Why a database cannot be opened: raised in English (the library's words); the CLI shows them in the interface
# language (lineage.cli.words.store_text), so every one is written once, here.
NO_DATABASE = N_("%(path)s: no database here (run 'lineage ingest' first)")
NOT_A_DATABASE = N_("%(path)s: not a lineage database (%(error)s)")
FOREIGN_DATABASE = N_("%(path)s: an SQLite database, but not one lineage made")
NEWER_SCHEMA = N_("%(path)s: schema version %(version)s is newer than this lineage (%(ours)s); upgrade lineage")
OLD_SCHEMA = N_("%(path)s: schema version %(version)s cannot be upgraded; re-create it")
STORE_MESSAGES = (NO_DATABASE, NOT_A_DATABASE, FOREIGN_DATABASE, NEWER_SCHEMA, OLD_SCHEMA)


def _default(obj: Any) -> Any:
    # Dataclasses serialize as their fields (the C encoder calls this only for them).
    if hasattr(obj, "__dataclass_fields__"):
        return obj.__dict__
    raise TypeError(f"cannot serialize {type(obj).__name__}")


def dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), default=_default)


def compress(data: bytes) -> bytes:
    """zlib at level 1 (what every stored blob uses; ``zlib.decompress`` reads it)."""
    return _deflate.compress(data, 1)


def decompress(blob: bytes) -> bytes:
    """What :func:`compress` (or zlib) wrote; ISA-L inflates it twice as fast as zlib."""
    return _deflate.decompress(blob)


def pack(obj: Any) -> bytes:
    return compress(dumps(obj).encode("utf-8"))


def unpack(blob: bytes) -> Any:
    return json.loads(decompress(blob).decode("utf-8"))


def pack_text(text: str) -> bytes:
    return compress(text.encode("utf-8"))


def unpack_text(blob: bytes) -> str:
    return decompress(blob).decode("utf-8")


# Document fields a summary holds, in order, with their defaults (for metadata stored before a field existed).
def _maker(f: Field[Any]) -> Callable[[], Any]:
    """What a field of Document holds when the stored metadata lacks it: its default, or a fresh default_factory()."""
    if f.default is not MISSING:
        return partial(lambda v: v, f.default)
    return f.default_factory  # type: ignore[return-value]  # every Document field has one or the other


_SUMMARY_FIELDS = [(f.name, _maker(f)) for f in fields(Document) if f.name not in ("text", "block_units")]


def _sqlite_or_empty(path: str) -> bool:
    """Whether the file at ``path`` is an SQLite database or empty (a folder or an unreadable file is left to
    SQLite's own error)."""
    try:
        with open(path, "rb") as f:
            head = f.read(16)
    except OSError:
        return True
    return not head or head == b"SQLite format 3\x00"


class Store:
    """A lineage database.  Use as a context manager or call :meth:`close`."""

    def __init__(self, path: str = DEFAULT_DB, create: bool = True) -> None:
        self.path = path
        if path != ":memory:" and not os.path.exists(path):
            if not create:
                raise StoreError(NO_DATABASE % {"path": path})
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        elif path != ":memory:" and not _sqlite_or_empty(path):
            # SQLite would take a file of one byte for an empty database and write over it
            raise StoreError(NOT_A_DATABASE % {"path": path, "error": "not an SQLite file"})
        try:
            self.db = sqlite3.connect(path, isolation_level=None, timeout=30)
        except sqlite3.DatabaseError as e:
            raise StoreError(NOT_A_DATABASE % {"path": path, "error": e}) from None
        try:
            # what the file is, read before anything is written: another program's database is refused as it
            # was (WAL mode alone rewrites its header)
            version = self._identify()
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self._migrate(version)
        except sqlite3.DatabaseError as e:
            self.db.close()
            raise StoreError(NOT_A_DATABASE % {"path": path, "error": e}) from None
        except StoreError:
            self.db.close()
            raise
        self._depth = 0
        self._meta: tuple[tuple[int, int], tuple[dict, dict, dict, dict]] | None = None

    def _identify(self) -> int:
        """The file's lineage schema version (0: an empty database, to be made one); any other database is
        refused."""
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        tables = {r[0] for r in self.db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if (version == 0 and tables) or (version and not {"documents", "files"} <= tables):
            raise StoreError(FOREIGN_DATABASE % {"path": self.path})
        if version > SCHEMA_VERSION:
            raise StoreError(NEWER_SCHEMA % {"path": self.path, "version": version, "ours": SCHEMA_VERSION})
        if version and any(v not in MIGRATIONS for v in range(version, SCHEMA_VERSION)):
            raise StoreError(OLD_SCHEMA % {"path": self.path, "version": version})
        return version

    def _migrate(self, version: int) -> None:
        if version == 0:
            self.db.executescript("BEGIN;" + _SCHEMA + f"PRAGMA user_version={SCHEMA_VERSION}; COMMIT;")
        elif version < SCHEMA_VERSION:
            # One transaction: a failed upgrade leaves the old database as it was.
            script = "".join(MIGRATIONS[v] for v in range(version, SCHEMA_VERSION))
            self.db.executescript(f"BEGIN; {script} PRAGMA user_version={SCHEMA_VERSION}; COMMIT;")

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All writes inside happen or none do; nests (inner blocks join the outer one)."""
        if self._depth:
            self._depth += 1
            try:
                yield self.db
            finally:
                self._depth -= 1
            return
        self.db.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield self.db
        except BaseException:
            self._depth = 0
            self.db.execute("ROLLBACK")
            raise
        else:
            self._depth = 0
            self.db.execute("COMMIT")

    # -- files and documents ---------------------------------------------------
    def file_unchanged(self, path: str, size: int, mtime_ns: int) -> str | None:
        """sha256 of a path whose size and mtime are as recorded, else None."""
        row = self.db.execute(
            "SELECT sha256, size, mtime_ns FROM files WHERE path=?", (os.path.abspath(path),)
        ).fetchone()
        if row and row[1] == size and row[2] == mtime_ns and self.has(row[0]):
            return row[0]
        return None

    def record_file(self, path: str, sha256: str, size: int, mtime_ns: int) -> None:
        self.db.execute(
            "INSERT INTO files(path, sha256, size, mtime_ns, seen_at) VALUES (?,?,?,?,?) "
            "ON CONFLICT(path) DO UPDATE SET sha256=excluded.sha256, size=excluded.size, "
            "mtime_ns=excluded.mtime_ns, seen_at=excluded.seen_at",
            (os.path.abspath(path), sha256, size, mtime_ns, time.time()),
        )

    def has(self, sha256: str, *parsers: int) -> bool:
        """Whether the document is stored (parsed by one of ``parsers``, when given)."""
        if not parsers:
            row = self.db.execute("SELECT 1 FROM documents WHERE sha256=?", (sha256,)).fetchone()
        else:
            row = self.db.execute(
                f"SELECT 1 FROM documents WHERE sha256=? AND parser IN ({','.join('?' * len(parsers))})",
                (sha256, *parsers),
            ).fetchone()
        return row is not None

    def put_document(self, row: dict[str, Any]) -> None:
        """Insert a serialized document (see ingest.serialize)."""
        self.db.execute(
            "INSERT OR REPLACE INTO documents(sha256, path, size, encoding, format, title, date, parser, meta, units, text, ingested_at) "
            "VALUES (:sha256, :path, :size, :encoding, :format, :title, :date, :parser, :meta, :units, :text, :ingested_at)",
            row,
        )

    def shas(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT sha256 FROM documents ORDER BY path, sha256")]

    def resolve(self, ref: str) -> str | None:
        """A document reference (path, sha256 or its prefix of 6+) to its sha256."""
        row = self.db.execute("SELECT sha256 FROM files WHERE path=?", (os.path.abspath(ref),)).fetchone()
        if row:
            return row[0]
        if len(ref) >= 6 and all(c in "0123456789abcdef" for c in ref.lower()):
            rows = self.db.execute("SELECT sha256 FROM documents WHERE sha256 LIKE ?", (ref.lower() + "%",)).fetchall()
            if len(rows) == 1:
                return rows[0][0]
        rows = self.db.execute("SELECT sha256 FROM documents WHERE path=? OR path LIKE ?", (ref, "%/" + ref)).fetchall()
        if len(rows) == 1:
            return rows[0][0]
        return None

    def paths_of(self, sha256: str) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT path FROM files WHERE sha256=? ORDER BY path", (sha256,))]

    def load(self, sha256: str, units: bool = True, text: bool = True) -> Document:
        """A stored document; without ``text`` (summaries) its text is left empty, not decompressed.

        A sketch (what ``lineage dedup`` stores: lineage.ingest.parse) is parsed in full
        first, and stored so when the database can be written.
        """
        row = self.db.execute(
            f"SELECT meta, units, {'text' if text else 'NULL'}, parser FROM documents WHERE sha256=?", (sha256,)
        ).fetchone()
        if row is None:
            raise KeyError(sha256)
        if row[3] < 0:
            row = self._complete(sha256, text)
        decoded = unpack_text(row[2]) if text else ""
        meta = json.loads(row[0])
        given = self.given_of(sha256)
        if given:
            meta.update(given)
        doc = Document.from_dict(meta, text=decoded)
        if units:
            doc.block_units = decode_blocks(unpack(row[1]), doc)
        return doc

    def load_stored(self, sha256: str) -> tuple[Document, bool]:
        """The document as stored, without given values, and whether it is parsed in full (not a sketch):
        what parsing it again starts from."""
        row = self.db.execute("SELECT meta, text, parser FROM documents WHERE sha256=?", (sha256,)).fetchone()
        if row is None:
            raise KeyError(sha256)
        return Document.from_dict(json.loads(row[0]), text=unpack_text(row[1])), row[2] >= 0

    def _complete(self, sha256: str, text: bool) -> tuple[str, bytes, bytes | None]:
        """Parse a sketch in full and store it; (meta, units, text) of the full row.

        A read-only or busy database keeps the sketch; the next load parses it again.
        Many sketches at once: lineage.ingest.pipeline.complete_sketches, in worker processes.
        """
        row, _ = self.completed(sha256)
        try:
            with self.transaction():
                self.put_document(row)
        except sqlite3.OperationalError:
            pass
        return row["meta"], row["units"], row["text"] if text else None

    def completed(self, sha256: str, furniture: frozenset[str] | None = None) -> tuple[dict[str, Any], Any]:
        """The full row of a stored sketch, parsed again from its stored text, and the parse
        (a lineage.ingest.parse.Parsed); nothing is written.

        The parser sits above the store (it is imported here, when a sketch is met, not
        when the store is).  The row keeps the sketch's ingested_at: the same bytes parsed
        by the same rules, so nothing derived from it goes stale.  ``furniture``: the
        recurring lines (default: read from the database).
        """
        from lineage.ingest.parse import PARSER_VERSION, RECURRING_MIN_DOCS, reparse

        row = self.db.execute("SELECT meta, text, ingested_at FROM documents WHERE sha256=?", (sha256,)).fetchone()
        if row is None:
            raise KeyError(sha256)
        if furniture is None:
            furniture = frozenset(self.recurring_lines(RECURRING_MIN_DOCS))
        parsed = reparse(Document.from_dict(json.loads(row[0]), text=unpack_text(row[1])), furniture, full=True)
        return document_row(parsed.doc, PARSER_VERSION, row[2]), parsed

    def sketches(self, shas: Iterable[str] | None = None) -> list[str]:
        """Which of ``shas`` (default: every document) are stored as sketches, in the order given."""
        found = {r[0] for r in self.db.execute("SELECT sha256 FROM documents WHERE parser < 0")}
        if shas is None:
            return sorted(found)
        return [s for s in dict.fromkeys(shas) if s in found]

    def block_rows(self, sha256: str) -> list[list[Any]]:
        """The stored block rows ([id, kind, level, part, start, end, marker, section]) as they are."""
        row = self.db.execute("SELECT units, parser FROM documents WHERE sha256=?", (sha256,)).fetchone()
        if row is None:
            raise KeyError(sha256)
        units = row[0] if row[1] >= 0 else self._complete(sha256, False)[1]
        return unpack(units)

    def summary(self, sha256: str) -> dict[str, Any]:
        """``load(sha256).to_dict(units=False)`` without building the document: the stored
        metadata as JSON gives it, given values applied, fields in the document's order."""
        row = self.db.execute("SELECT meta, parser FROM documents WHERE sha256=?", (sha256,)).fetchone()
        if row is None:
            raise KeyError(sha256)
        if row[1] < 0:
            row = (self._complete(sha256, False)[0], 0)
        meta = json.loads(row[0])
        meta.update(self.given_of(sha256) or {})
        return {name: meta[name] if name in meta else make() for name, make in _SUMMARY_FIELDS}

    def summaries(self, shas: Iterable[str], without: tuple[str, ...] = ()) -> dict[str, dict[str, Any]]:
        """:meth:`summary` of many documents at once, with their paths (``"paths"``), leaving out the
        fields ``without`` (SQLite drops them before the JSON is decoded: an outline is most of it)."""
        shas = list(shas)
        given = self.all_given()
        fields = [(name, make) for name, make in _SUMMARY_FIELDS if name not in without]
        drop = ", ".join("?" * len(without))
        out: dict[str, dict[str, Any]] = {}
        paths: dict[str, list[str]] = {}
        for k in range(0, len(shas), 500):
            chunk = shas[k : k + 500]
            marks = ",".join("?" * len(chunk))
            meta = f"json_remove(meta, {drop})" if without else "meta"
            args = [f"$.{w}" for w in without]
            for sha, text, parser in self.db.execute(
                f"SELECT sha256, {meta}, parser FROM documents WHERE sha256 IN ({marks})", (*args, *chunk)
            ):
                if parser < 0:  # a sketch: parsed in full first (see load)
                    d = self.summary(sha)
                else:
                    d = json.loads(text)
                    d.update(given.get(sha) or {})
                out[sha] = {name: d[name] if name in d else make() for name, make in fields}
            for sha, path in self.db.execute(
                f"SELECT sha256, path FROM files WHERE sha256 IN ({marks}) ORDER BY path", chunk
            ):
                paths.setdefault(sha, []).append(path)
        for sha, d in out.items():
            d["paths"] = paths.get(sha, [])
        return out

    def documents(self, units: bool = True) -> Iterator[Document]:
        for sha in self.shas():
            yield self.load(sha, units)

    def count(self) -> int:
        return self.db.execute("SELECT count(*) FROM documents").fetchone()[0]

    def parsed_at(self) -> dict[str, float]:
        """When each document was last parsed (a re-parse makes derived data stale)."""
        return dict(self.db.execute("SELECT sha256, ingested_at FROM documents"))

    def last_parsed(self) -> float:
        """When any document last changed: parsed, or its given metadata changed (a sidecar applied).

        Derived results keyed by it (the graph, report stages) are stale after either.
        """
        row = self.db.execute("SELECT max(ingested_at) FROM documents").fetchone()
        return max(row[0] or 0.0, float(self.setting(GIVEN_CHANGED) or 0.0))

    def parsed_since(self, t: float) -> list[str]:
        return [
            r[0] for r in self.db.execute("SELECT sha256 FROM documents WHERE ingested_at > ? ORDER BY sha256", (t,))
        ]

    def dates(self) -> dict[str, str | None]:
        """Each document's date (ISO, or a year for estimates; a given date first), without loading it."""
        return self.dating()[0]

    def dating(
        self,
    ) -> tuple[dict[str, str | None], dict[str, str | None], dict[str, tuple[int, int] | None]]:
        """Each document's date, administrative level and date interval (given values first), without loading
        it, in one pass over the metadata: what retrieval weighs.  The date is ISO, or a year for estimates;
        the level national, province, city or county; the interval as :func:`lineage.dates.interval` reads it
        (an estimate: its range), what "known to be dated after" asks."""
        dates, levels, intervals, _ = self._meta_once()
        return dict(dates), dict(levels), dict(intervals)  # (copies: a caller's edit stays its own)

    def places(self) -> dict[str, str | None]:
        """Each document's jurisdiction name (a given one first), without loading it: retrieval asks whether
        the target names a candidate's place (a name kept from the plan it copied)."""
        return dict(self._meta_once()[3])

    def _meta_once(
        self,
    ) -> tuple[dict[str, str | None], dict[str, str | None], dict[str, tuple[int, int] | None], dict[str, str | None]]:
        # Read once per state of the database: a report traces every document that reuses others, each trace
        # asking this of every document (22 ms per 1,000 documents: quadratic in the corpus).  The state is
        # SQLite's data_version (another connection committed) and this connection's own changes.
        state = (self.db.execute("PRAGMA data_version").fetchone()[0], self.db.total_changes)
        if self._meta is None or self._meta[0] != state:
            self._meta = (state, self._read_meta())
        return self._meta[1]

    def _read_meta(
        self,
    ) -> tuple[dict[str, str | None], dict[str, str | None], dict[str, tuple[int, int] | None], dict[str, str | None]]:
        # one json_extract with four paths: SQLite parses each document's metadata once, not four times
        rows = self.db.execute(
            "SELECT sha256, date, json_extract(meta, '$.jurisdiction.level', '$.date_kind', '$.date_range', "
            "'$.jurisdiction.name') FROM documents"
        )
        dates: dict[str, str | None] = {}
        levels: dict[str, str | None] = {}
        places: dict[str, str | None] = {}
        kinds: dict[str, tuple[str | None, Any]] = {}
        for sha, d, extracted in rows:
            level, kind, rng, place = json.loads(extracted)
            dates[sha], levels[sha], kinds[sha], places[sha] = d, level, (kind, rng), place
        for sha, given in self.all_given().items():
            if sha not in dates:
                continue
            if given.get("date"):
                dates[sha], kinds[sha] = given["date"], (given.get("date_kind"), given.get("date_range"))
            j = given.get("jurisdiction")
            if isinstance(j, dict) and j.get("level"):
                levels[sha] = j["level"]
            if isinstance(j, dict) and j.get("name"):
                places[sha] = j["name"]
        intervals = {sha: interval(dates[sha], *kinds[sha]) for sha in dates}
        return dates, levels, intervals, places

    def levels(self) -> dict[str, str | None]:
        """Each document's administrative level (national, province, city, county; a given one first)."""
        return self.dating()[1]

    def files(self) -> list[tuple[str, str]]:
        """(path, sha256) of every file ingested, by path."""
        return self.db.execute("SELECT path, sha256 FROM files ORDER BY path").fetchall()

    # -- settings and given metadata (lineage.ingest.sidecar) ------------------------------
    def setting(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def set_setting(self, key: str, value: str | None) -> None:
        """Set (or with None, remove) a database-wide setting."""
        if value is None:
            self.db.execute("DELETE FROM meta WHERE key=?", (key,))
        else:
            self.db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?,?)", (key, value))

    def replace_sidecar_rows(self, source: str, rows: Iterable[tuple[int, str, dict[str, Any]]]) -> None:
        """The rows (line, key, fields) of one sidecar file, replacing those it gave before."""
        now = time.time()
        self.db.execute("DELETE FROM sidecar_rows WHERE source=?", (source,))
        self.db.executemany(
            "INSERT INTO sidecar_rows(source, line, key, fields, applied_at) VALUES (?,?,?,?,?)",
            ((source, line, key, dumps(fields), now) for line, key, fields in rows),
        )

    def sidecar_rows(self) -> list[tuple[str, int, str, dict[str, Any]]]:
        """(source, line, key, fields) of every stored row: the latest applied sidecar first, then by line."""
        return [
            (src, line, key, json.loads(f))
            for src, line, key, f in self.db.execute(
                "SELECT source, line, key, fields FROM sidecar_rows ORDER BY applied_at DESC, source, line"
            )
        ]

    def given_of(self, sha256: str) -> dict[str, Any] | None:
        row = self.db.execute("SELECT fields FROM doc_given WHERE sha256=?", (sha256,)).fetchone()
        return json.loads(row[0]) if row else None

    def all_given(self) -> dict[str, dict[str, Any]]:
        return {sha: json.loads(f) for sha, f in self.db.execute("SELECT sha256, fields FROM doc_given")}

    def given_parsed_at(self) -> dict[str, float]:
        """When each document with given fields had been parsed as they were computed (a re-parse makes them stale)."""
        return dict(self.db.execute("SELECT sha256, parsed_at FROM doc_given"))

    def raw_meta(self, sha256: str, keys: tuple[str, ...]) -> dict[str, Any]:
        """Some metadata fields of a document as parsed (without given values), read without loading the rest."""
        # json_object keeps the arrays and objects json_extract returns as JSON (its subtype), not as strings
        pairs = ", ".join("?, json_extract(meta, ?)" for _ in keys)
        row = self.db.execute(
            f"SELECT json_object({pairs}) FROM documents WHERE sha256=?",
            (*(x for k in keys for x in (k, f"$.{k}")), sha256),
        ).fetchone()
        if row is None:
            raise KeyError(sha256)
        return json.loads(row[0])

    def put_given(self, sha256: str, fields: dict[str, Any] | None, parsed_at: float = 0.0) -> None:
        """Set (or with None, clear) the given fields of a document, computed from its parse of ``parsed_at``."""
        if fields is None:
            self.db.execute("DELETE FROM doc_given WHERE sha256=?", (sha256,))
        else:
            self.db.execute(
                "INSERT OR REPLACE INTO doc_given(sha256, fields, parsed_at) VALUES (?,?,?)",
                (sha256, dumps(fields), parsed_at),
            )

    # -- recurrence of edge lines ----------------------------------------------
    def add_edge_lines(self, rows: Iterable[tuple[str, str, str]]) -> None:
        """(line key, body key, document sha256) triples."""
        self.db.executemany("INSERT OR IGNORE INTO edge_lines(key, body, sha) VALUES (?, ?, ?)", rows)

    def recurring_among(self, keys: Iterable[str], min_docs: int) -> set[str]:
        """Those of ``keys`` found at the edges of at least ``min_docs`` different bodies."""
        keys = list(keys)
        out: set[str] = set()
        for i in range(0, len(keys), 500):
            part = keys[i : i + 500]
            out.update(
                r[0]
                for r in self.db.execute(
                    f"SELECT key FROM edge_lines WHERE key IN ({','.join('?' * len(part))}) "
                    "GROUP BY key HAVING count(DISTINCT body) >= ?",
                    (*part, min_docs),
                )
            )
        return out

    def recurring_lines(self, min_docs: int) -> set[str]:
        """Lines found at the edges of at least ``min_docs`` different bodies."""
        return {
            r[0]
            for r in self.db.execute(
                "SELECT key FROM edge_lines GROUP BY key HAVING count(DISTINCT body) >= ?", (min_docs,)
            )
        }

    # -- caches and results ------------------------------------------------------
    def get_cache(self, kind: str, sha256: str, params: str = "") -> bytes | None:
        row = self.db.execute(
            "SELECT value FROM cache WHERE kind=? AND sha256=? AND params=?", (kind, sha256, params)
        ).fetchone()
        return row[0] if row else None

    def put_cache(self, kind: str, sha256: str, value: bytes, params: str = "") -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO cache(kind, sha256, params, value) VALUES (?,?,?,?)", (kind, sha256, params, value)
        )

    def caches(self, kind: str, params: str = "") -> Iterator[tuple[str, bytes]]:
        """(sha256, value) of every cached entry of one kind."""
        yield from self.db.execute("SELECT sha256, value FROM cache WHERE kind=? AND params=?", (kind, params))

    def cache_kinds(self) -> list[str]:
        """The kinds of derived data cached."""
        return [k for (k,) in self.db.execute("SELECT DISTINCT kind FROM cache")]

    def drop_cache_prefix(self, prefix: str, sha256: str | None = None) -> None:
        """Forget derived data of every kind starting with ``prefix`` (every version of it), of one document or all."""
        where, args = "substr(kind, 1, ?) = ?", [len(prefix), prefix]
        if sha256 is not None:
            where += " AND sha256=?"
            args.append(sha256)
        self.db.execute("DELETE FROM cache WHERE " + where, args)

    def drop_cache(self, sha256: str | None = None, kind: str | None = None) -> None:
        """Forget derived data: of one document, of one kind, or both."""
        where, args = [], []
        if sha256 is not None:
            where.append("sha256=?")
            args.append(sha256)
        if kind is not None:
            where.append("kind=?")
            args.append(kind)
        self.db.execute("DELETE FROM cache" + (" WHERE " + " AND ".join(where) if where else ""), args)

    def get_result(self, kind: str, key: str) -> Any:
        row = self.db.execute("SELECT value FROM results WHERE kind=? AND key=?", (kind, key)).fetchone()
        return unpack(row[0]) if row else None

    def result_stamp(self, kind: str, key: str) -> tuple[int, str] | None:
        """What tells one stored result from the next without reading it: its size and last bytes (compressed:
        they change with the content)."""
        row = self.db.execute(
            "SELECT length(value), hex(substr(value, -32, 32)) FROM results WHERE kind=? AND key=?", (kind, key)
        ).fetchone()
        return (int(row[0]), str(row[1])) if row else None

    def put_result(self, kind: str, key: str, value: Any) -> None:
        self.db.execute("INSERT OR REPLACE INTO results(kind, key, value) VALUES (?,?,?)", (kind, key, pack(value)))


def document_row(doc: Document, parser: int, ingested_at: float | None = None) -> dict[str, Any]:
    """The row of ``documents`` that stores a parsed document (``parser``: the parser version;
    negative for a sketch, whose units are not stored)."""
    return {
        "sha256": doc.sha256,
        "path": doc.path,
        "size": doc.size,
        "encoding": doc.encoding,
        "format": doc.format,
        "title": doc.title,
        "date": doc.date,
        "parser": parser,
        "meta": dumps(doc.meta()),
        "units": pack(encode_blocks(doc.block_units)),
        "text": pack_text(doc.text),
        "ingested_at": time.time() if ingested_at is None else ingested_at,
    }


# -- compact block encoding -----------------------------------------------------------
# Only blocks are stored (sentences and clauses are derived from them), and
# only where they are: their texts are cut from the document text and
# normalized again when loaded, which is cheaper than storing them.


def encode_blocks(blocks: list[Unit]) -> list[list[Any]]:
    return [[u.id, u.kind, u.level, u.part, u.span[0], u.span[1], u.marker, u.section] for u in blocks]


def decode_blocks(rows: list[list[Any]], doc: Document) -> list[Unit]:
    from lineage.ingest.normalize import fold
    from lineage.ingest.structure import table_norm

    text = doc.text
    html = doc.format == "html"
    out = []
    for uid, kind, level, part, s, e, marker, section in rows:
        shown = display_text(text[s:e]) if html else text[s:e]
        norm = table_norm(shown) if kind == "table" else fold(shown)
        out.append(Unit(uid, kind, level, part, (s, e), shown, norm, None, marker, section))
    return out


def display_text(fragment: str) -> str:
    """What a reader sees of an HTML fragment: its text, markup and entities resolved."""
    from lineage.ingest.htmltext import extract

    return extract(fragment).text
