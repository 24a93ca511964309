"""Ingest: files -> Documents -> the store.

``ingest_paths`` runs the parser (:mod:`lineage.ingest.parse`: one decoded file
into a :class:`~lineage.model.Document`) over folders of files in worker processes, skips
files the store already has, records what could not be read, and learns
which page lines recur across the corpus (site furniture) so that later and
earlier documents alike are cleaned of them.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any

from lineage.ingest import sidecar
from lineage.ingest.parse import (
    PARSER_VERSION,
    RECURRING_MIN_DOCS,
    SKETCH_VERSION,
    Parsed,
    parse,
    parse_with_edges,
    reparse,
    warm,
)
from lineage.ingest.read import DEFAULT_MAX_BYTES, ReadError, iter_inputs, read_file
from lineage.model import Document
from lineage.store import Store, document_row
from lineage.workers import ProcessPoolExecutor

# What ingest's workers compute besides the parse (cache entries by kind), in the worker.
Derive = Callable[[Parsed], dict[str, bytes]]


def load_file(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read and parse one file (raises ReadError)."""
    return parse(read_file(path, max_bytes))


def serialize(doc: Document, full: bool = True) -> dict[str, Any]:
    """The store row of a parsed document (``full=False``: of a sketch)."""
    return document_row(doc, PARSER_VERSION if full else SKETCH_VERSION)


@dataclass
class IngestReport:
    documents: list[str] = field(default_factory=list)  # sha256 of every readable input, input order
    paths: dict[str, str] = field(default_factory=dict)  # input path -> sha256
    added: int = 0  # new content parsed and stored
    unchanged: int = 0  # files skipped: same path, size and mtime as before
    known: int = 0  # content already in the store (another path, or re-read)
    reparsed: int = 0  # documents parsed again because furniture was learned
    errors: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    bytes_read: int = 0
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": len(self.documents),
            "added": self.added,
            "unchanged": self.unchanged,
            "known": self.known,
            "reparsed": self.reparsed,
            "bytes_read": self.bytes_read,
            "seconds": round(self.seconds, 3),
            "skipped": [{"path": p, "reason": r} for p, r in self.errors],
        }


# -- worker side ------------------------------------------------------------------

_W: dict[str, Any] = {}


def _init_worker(known: frozenset[str], max_bytes: int, derive: Derive | None, full: bool = True) -> None:
    _W.update(known=known, max_bytes=max_bytes, derive=derive, full=full)


def _work(path: str, recurring: frozenset[str]) -> tuple:
    try:
        st = os.stat(path)
        rf = read_file(path, _W["max_bytes"])
    except ReadError as e:
        return ("error", path, str(e))
    except Exception as e:  # a parser bug must not sink a batch; say which file
        return ("error", path, f"internal error: {type(e).__name__}: {e}")
    if rf.sha256 in _W["known"]:
        return ("known", path, rf.sha256, rf.size, st.st_mtime_ns)
    try:
        parsed = parse_with_edges(rf, recurring, _W["full"])
        extra = _W["derive"](parsed) if _W["derive"] else {}
        return (
            "ok",
            path,
            serialize(parsed.doc, parsed.full),
            parsed.edge_keys,
            parsed.body_key,
            st.st_mtime_ns,
            extra,
        )
    except Exception as e:
        return ("error", path, f"internal error while parsing: {type(e).__name__}: {e}")


def _work_many(task: tuple[list[str], frozenset[str]]) -> list[tuple]:
    paths, recurring = task
    return [_work(p, recurring) for p in paths]


class _Workers:
    """Worker processes (or the calling process when one job is enough)."""

    def __init__(
        self, jobs: int, n: int, known: frozenset[str], max_bytes: int, derive: Derive | None, full: bool
    ) -> None:
        self.jobs = jobs if n >= 8 else 1
        self.ex = None
        if self.jobs > 1:
            warm()
            self.ex = ProcessPoolExecutor(
                self.jobs, initializer=_init_worker, initargs=(known, max_bytes, derive, full)
            )
        else:
            _init_worker(known, max_bytes, derive, full)

    def map(self, paths: list[str], recurring: frozenset[str]) -> Iterator[tuple]:
        """Results of ``paths`` in order.  With worker processes the work is queued at once, before
        the first result is asked for, so the next batch can be queued while this one is read."""
        if self.ex is None:
            return (_work(p, recurring) for p in paths)
        # Small bundles: the furniture set travels once per bundle, and results come back steadily.
        size = max(1, min(16, len(paths) // (self.jobs * 4) or 1))
        tasks = [(paths[i : i + size], recurring) for i in range(0, len(paths), size)]
        return (r for results in self.ex.map(_work_many, tasks) for r in results)

    def close(self) -> None:
        if self.ex is not None:
            self.ex.shutdown(cancel_futures=True)


# -- driver -------------------------------------------------------------------------

# Furniture is learned between chunks: after the first pages of a site its
# header and footer are known, and later pages are parsed clean at once.
# Chunks start small (most is learned early) and grow (fewer pauses).
FIRST_CHUNK, MAX_CHUNK = 32, 512


def ingest_paths(
    paths: list[str],
    store: Store,
    jobs: int | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    derive: Derive | None = None,
    full: bool = True,
) -> IngestReport:
    """Ingest files and folders into ``store``; one transaction for the whole batch.

    Without ``full`` new documents are stored as sketches (see lineage.ingest.parse):
    what dedup reads, parsed in full when a later command loads them.  A
    document stored in full already is not sketched again.
    """
    t0 = time.perf_counter()
    versions = (PARSER_VERSION,) if full else (PARSER_VERSION, SKETCH_VERSION)
    report = IngestReport()
    files, problems = iter_inputs(paths)
    report.errors.extend(problems)
    todo: list[str] = []
    order: dict[str, int] = {}
    for p in files:
        order[p] = len(order)
        try:
            st = os.stat(p)
        except OSError as e:
            report.errors.append((p, f"cannot read: {e.strerror}"))
            continue
        sha = store.file_unchanged(p, st.st_size, st.st_mtime_ns)
        if sha and store.has(sha, *versions):
            report.paths[p] = sha
            report.unchanged += 1
        else:
            todo.append(p)
    if progress:
        progress(report.unchanged, len(files), "")
    initial = frozenset(store.recurring_lines(RECURRING_MIN_DOCS))
    recurring = set(initial)
    known = frozenset(
        r[0]
        for r in store.db.execute(
            f"SELECT sha256 FROM documents WHERE parser IN ({','.join('?' * len(versions))})", versions
        )
    )
    done = report.unchanged
    parsed: dict[str, tuple[frozenset[str], list[str], str]] = {}  # sha -> (furniture used, edge keys, path)
    workers = _Workers(jobs or os.cpu_count() or 1, len(todo), known, max_bytes, derive, full)
    try:
        with store.transaction():
            chunks, c, size = [], 0, FIRST_CHUNK
            while c < len(todo):
                chunks.append(todo[c : c + size])
                c, size = c + size, min(size * 2, MAX_CHUNK)
            # With worker processes each chunk is queued before the one ahead of it is read and
            # learned from, so the workers never wait for the main process: a chunk knows the
            # furniture learned up to the chunk before the one ahead of it.  Pages parsed without
            # some of it are parsed again below, as pages of a site first met in a chunk are.
            pipelined = workers.ex is not None

            def read(ahead: tuple[Iterator[tuple], frozenset[str]]) -> None:
                nonlocal done, recurring
                results, used = ahead
                seen_keys: set[str] = set()
                for result in results:
                    done += 1
                    _record(store, report, result, parsed, used, seen_keys)
                    if progress:
                        progress(done, len(files), result[1])
                if seen_keys:
                    recurring |= store.recurring_among(seen_keys, RECURRING_MIN_DOCS)

            ahead: tuple[Iterator[tuple], frozenset[str]] | None = None
            for chunk in chunks:
                if ahead is not None and not pipelined:
                    read(ahead)
                    ahead = None
                used = frozenset(recurring)
                queued = (workers.map(chunk, used), used)
                if ahead is not None:
                    read(ahead)
                ahead = queued
            if ahead is not None:
                read(ahead)
            # Pages parsed before their site's furniture was known: parse again, in parallel.
            stale = [path for sha, (used, keys, path) in parsed.items() if (recurring - used).intersection(keys)]
            final = frozenset(recurring)
            for result in workers.map(stale, final):
                if result[0] == "ok":
                    _, _, row, _keys, _body, _mtime, extra = result
                    store.put_document(row)
                    store.drop_cache(row["sha256"])  # derived from the old parse
                    for ckind, value in extra.items():
                        store.put_cache(ckind, row["sha256"], value)
                    report.reparsed += 1
            # Documents of earlier batches that carry the newly learned lines.
            report.reparsed += _relearn_furniture(store, final - initial, final, set(parsed), derive)
            # Given metadata (sidecars, --date-from-name) for the files just recorded.
            sidecar.sync(store)
    finally:
        workers.close()
    seen: set[str] = set()
    for p in sorted(report.paths, key=lambda p: order.get(p, 0)):
        sha = report.paths[p]
        if sha not in seen:
            seen.add(sha)
            report.documents.append(sha)
    report.errors.sort(key=lambda e: order.get(e[0], -1))
    report.seconds = time.perf_counter() - t0
    return report


def _record(
    store: Store,
    report: IngestReport,
    result: tuple,
    parsed: dict,
    used: frozenset[str],
    seen_keys: set[str],
) -> None:
    kind, path = result[0], result[1]
    if kind == "error":
        report.errors.append((path, result[2]))
        return
    if kind == "known":
        _, _, sha, size, mtime = result
        store.record_file(path, sha, size, mtime)
        report.paths[path] = sha
        report.known += 1
        report.bytes_read += size
        return
    _, _, row, keys, body, mtime, extra = result
    sha = row["sha256"]
    if sha in parsed:
        report.known += 1  # the same bytes twice in one batch (what the store had before, workers report as known)
    else:
        store.put_document(row)
        store.add_edge_lines((k, body, sha) for k in keys)
        for ckind, value in extra.items():
            store.put_cache(ckind, sha, value)
        report.added += 1
        parsed[sha] = (used, keys, path)
        seen_keys.update(keys)
    store.record_file(path, sha, row["size"], mtime)
    report.paths[path] = sha
    report.bytes_read += row["size"]


def _relearn_furniture(
    store: Store, new: frozenset[str], furniture: frozenset[str], skip: set[str], derive: Derive | None
) -> int:
    """Parse again (from the stored text) earlier documents whose edge lines just became furniture.

    A sketch is sketched again, a document stored in full is parsed in full.
    """
    if not new:
        return 0
    shas = sorted(
        {
            r[0]
            for r in store.db.execute(
                f"SELECT DISTINCT sha FROM edge_lines WHERE key IN ({','.join('?' * len(new))})", sorted(new)
            )
        }
        - skip
    )
    for sha in shas:
        old, full = store.load_stored(sha)
        parsed = reparse(old, furniture, full)
        store.put_document(serialize(parsed.doc, full))
        store.drop_cache(sha)  # derived from the old parse
        if derive:
            for ckind, value in derive(parsed).items():
                store.put_cache(ckind, sha, value)
    return len(shas)


# -- sketches parsed in full ------------------------------------------------------------

# Fewer sketches than this are parsed in this process (a pool costs about 0.1 s to start).
PARALLEL_COMPLETE = 32
COMPLETE_CHUNK = 16

_C: dict[str, Any] = {}


def complete_sketches(
    store: Store,
    shas: list[str] | None = None,
    jobs: int | None = None,
    derive: Derive | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> int:
    """Parse in full, in worker processes, the sketches among ``shas`` (default: every document), and
    store them as :meth:`Store.load` does one at a time (same ingested_at: nothing derived goes stale).

    A command about to load many documents of a database ``lineage dedup`` filled calls this
    first, so the full parses run on every core rather than one by one in the main process.
    ``derive``: cache entries made from each full parse (an index fingerprint).  Returns how
    many were stored; a read-only database is left as it is (each load then parses its own).
    """
    todo = store.sketches(shas)
    if not todo or not _writable(store):
        return 0
    furniture = frozenset(store.recurring_lines(RECURRING_MIN_DOCS))
    jobs = jobs or os.cpu_count() or 1
    chunks = [todo[k : k + COMPLETE_CHUNK] for k in range(0, len(todo), COMPLETE_CHUNK)]
    pool = None
    if jobs > 1 and len(todo) >= PARALLEL_COMPLETE and store.path != ":memory:":
        warm()
        pool = ProcessPoolExecutor(
            min(jobs, len(chunks)), initializer=_init_completer, initargs=(store.path, furniture, derive)
        )
    stored = done = 0
    try:
        with pool or nullcontext():
            rows_of = (
                pool.map(_complete_chunk, chunks)
                if pool
                else (_completed_rows(store, c, furniture, derive) for c in chunks)
            )
            for chunk, rows in zip(chunks, rows_of):
                stored += _put_completed(store, rows)
                done += len(chunk)
                if progress:
                    progress(done, len(todo), chunk[-1][:12])
    except sqlite3.OperationalError:
        pass  # locked meanwhile: what is stored stays, the rest stay sketches
    return stored


def _writable(store: Store) -> bool:
    """Whether the database takes writes (a read-only file, or PRAGMA query_only, does not): asked before
    parsing for nothing."""
    try:
        with store.transaction():
            store.db.execute("DELETE FROM cache WHERE 0")
    except sqlite3.OperationalError:
        return False
    return True


def _completed_rows(
    store: Store, shas: list[str], furniture: frozenset[str], derive: Derive | None
) -> list[tuple[dict[str, Any], dict[str, bytes]]]:
    out = []
    for sha in shas:
        try:
            row, parsed = store.completed(sha, furniture)
            out.append((row, derive(parsed) if derive else {}))
        except Exception:
            continue  # it stays a sketch: the load that needs it parses it again and says what failed
    return out


def _init_completer(path: str, furniture: frozenset[str], derive: Derive | None) -> None:
    # WAL lets the workers read while the main process writes what they return
    _C.update(store=Store(path, create=False), furniture=furniture, derive=derive)


def _complete_chunk(shas: list[str]) -> list[tuple[dict[str, Any], dict[str, bytes]]]:
    return _completed_rows(_C["store"], shas, _C["furniture"], _C["derive"])


def _put_completed(store: Store, rows: list[tuple[dict[str, Any], dict[str, bytes]]]) -> int:
    with store.transaction():
        for row, extra in rows:
            store.put_document(row)
            for kind, value in extra.items():
                store.put_cache(kind, row["sha256"], value)
    return len(rows)


def ensure_documents(paths: list[str], store: Store, **kw: Any) -> tuple[list[Document], IngestReport]:
    """Ingest what is not in the store yet and load the documents of ``paths``."""
    report = ingest_paths(paths, store, **kw)
    return [store.load(sha) for sha in report.documents], report
