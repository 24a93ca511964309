"""Ingest: files -> Documents -> the store.

``parse`` turns one decoded file into a :class:`~lineage.model.Document`;
``ingest_paths`` runs it over folders of files in worker processes, skips
files the store already has, records what could not be read, and learns
which page lines recur across the corpus (site furniture) so that later and
earlier documents alike are cleaned of them.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from lineage.ingest import chrome, htmltext, metadata, sidecar, structure
from lineage.ingest.normalize import fold
from lineage.ingest.read import DEFAULT_MAX_BYTES, READ_NOTE, RawFile, ReadError, iter_inputs, read_file
from lineage.model import Document
from lineage.store import Store, dumps, encode_blocks, pack, pack_text
from lineage.workers import ProcessPoolExecutor

# Bump when parsing changes, so stored documents are parsed again.
PARSER_VERSION = 3
# A line is site furniture once it opens or closes this many different documents.
RECURRING_MIN_DOCS = 3

Derive = Callable[[Document], dict[str, bytes]]


def parse(rf: RawFile, recurring: set[str] | frozenset[str] = frozenset()) -> Document:
    """Parse a decoded file into a Document (no store involved)."""
    return parse_with_edges(rf, recurring)[0]


def parse_with_edges(
    rf: RawFile, recurring: set[str] | frozenset[str] = frozenset()
) -> tuple[Document, list[str], str]:
    """Parse, and also return the keys of the document's edge lines and a key of its body.

    The body key tells documents apart (copies and revisions of one text
    share it), so a line only counts as furniture when it recurs around
    different texts.
    """
    html_title = None
    if rf.format == "html":
        h = htmltext.extract(rf.text)
        text, tmap, hchrome, html_title = h.text, h.map, h.chrome, h.title
    else:
        text, tmap, hchrome = rf.text, None, []
    st = structure.analyze(text, tmap, hchrome, recurring)

    def to_src(a: int, b: int) -> tuple[int, int]:
        return tmap.span(a, b) if tmap is not None else (a, b)

    md = metadata.extract(text, to_src, st)
    doc = Document(
        path=rf.path,
        sha256=rf.sha256,
        size=rf.size,
        encoding=rf.encoding,
        format=rf.format,
        title=md.title,
        title_source=md.title_source,
        date=md.date,
        date_kind=md.date_kind,
        date_range=md.date_range,
        issuers=md.issuers,
        doc_number=md.doc_number,
        citations=md.citations,
        jurisdiction=md.jurisdiction,
        published=md.published,
        parts=st.parts,
        removed=st.removed,
        outline=st.outline,
        block_units=st.blocks,
        text=rf.text,
        issuers_source=md.issuers_source,
        warnings=list(md.warnings),
    )
    for u in doc.block_units:
        doc.counts[u.kind] = doc.counts.get(u.kind, 0) + 1
        doc.counts["part:" + u.part] = doc.counts.get("part:" + u.part, 0) + 1
    doc.warnings.extend(rf.warnings)
    if doc.title is None and html_title and html_title[0]:
        doc.title, doc.title_source = _page_title(html_title[0]), "html title"
    if not doc.blocks():
        doc.warnings.append("no body text found")
    if st.wrap_width:
        doc.warnings.append(f"hard-wrapped at {st.wrap_width} characters; lines re-joined")
    # Lines a rule already removed need no learning; only those still standing count.
    lines = [
        ln.norm
        for i, ln in enumerate(st.lines)
        if i in st.furniture and (ln.kind == "content" or ln.chrome == "recurring")
    ]
    keys = [chrome.line_key(s) for s in chrome.edge_lines(lines)]
    # Copies and revisions of one document share its title; pages of one site
    # that share furniture do not. Without a title, its longest paragraph.
    identity = fold(doc.title) if doc.title else max((u.norm_text for u in doc.blocks()), key=len, default="")
    return doc, keys, hashlib.blake2b(identity.encode("utf-8"), digest_size=8).hexdigest()


def _page_title(t: str) -> str:
    """A page <title> without the site name tacked on after a separator."""
    for sep in ("_", " - ", "-", "|", "——", "—"):
        if sep in t:
            head = t.split(sep)[0].strip()
            if len(head) >= 4:
                return head
    return t.strip()


def load_file(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read and parse one file (raises ReadError)."""
    return parse(read_file(path, max_bytes))


def serialize(doc: Document) -> dict[str, Any]:
    return {
        "sha256": doc.sha256,
        "path": doc.path,
        "size": doc.size,
        "encoding": doc.encoding,
        "format": doc.format,
        "title": doc.title,
        "date": doc.date,
        "parser": PARSER_VERSION,
        "meta": dumps(doc.meta()),
        "units": pack(encode_blocks(doc.block_units)),
        "text": pack_text(doc.text),
        "ingested_at": time.time(),
    }


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


def _init_worker(known: frozenset[str], max_bytes: int, derive: Derive | None) -> None:
    _W.update(known=known, max_bytes=max_bytes, derive=derive)


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
        doc, keys, body = parse_with_edges(rf, recurring)
        extra = _W["derive"](doc) if _W["derive"] else {}
        return ("ok", path, serialize(doc), keys, body, st.st_mtime_ns, extra)
    except Exception as e:
        return ("error", path, f"internal error while parsing: {type(e).__name__}: {e}")


def _work_many(task: tuple[list[str], frozenset[str]]) -> list[tuple]:
    paths, recurring = task
    return [_work(p, recurring) for p in paths]


class _Workers:
    """Worker processes (or the calling process when one job is enough)."""

    def __init__(self, jobs: int, n: int, known: frozenset[str], max_bytes: int, derive: Derive | None) -> None:
        self.jobs = jobs if n >= 8 else 1
        self.ex = None
        if self.jobs > 1:
            self.ex = ProcessPoolExecutor(self.jobs, initializer=_init_worker, initargs=(known, max_bytes, derive))
        else:
            _init_worker(known, max_bytes, derive)

    def map(self, paths: list[str], recurring: frozenset[str]) -> Iterator[tuple]:
        if self.ex is None:
            for p in paths:
                yield _work(p, recurring)
            return
        # Small bundles: the furniture set travels once per bundle, and results come back steadily.
        size = max(1, min(16, len(paths) // (self.jobs * 4) or 1))
        tasks = [(paths[i : i + size], recurring) for i in range(0, len(paths), size)]
        for results in self.ex.map(_work_many, tasks):
            yield from results

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
) -> IngestReport:
    """Ingest files and folders into ``store``; one transaction for the whole batch."""
    t0 = time.perf_counter()
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
        if sha and store.has(sha, PARSER_VERSION):
            report.paths[p] = sha
            report.unchanged += 1
        else:
            todo.append(p)
    if progress:
        progress(report.unchanged, len(files), "")
    initial = frozenset(store.recurring_lines(RECURRING_MIN_DOCS))
    recurring = set(initial)
    known = frozenset(r[0] for r in store.db.execute("SELECT sha256 FROM documents WHERE parser=?", (PARSER_VERSION,)))
    done = report.unchanged
    parsed: dict[str, tuple[frozenset[str], list[str], str]] = {}  # sha -> (furniture used, edge keys, path)
    workers = _Workers(jobs or os.cpu_count() or 1, len(todo), known, max_bytes, derive)
    try:
        with store.transaction():
            c, size = 0, FIRST_CHUNK
            while c < len(todo):
                chunk = todo[c : c + size]
                c, size = c + size, min(size * 2, MAX_CHUNK)
                used = frozenset(recurring)
                seen_keys: set[str] = set()
                for result in workers.map(chunk, used):
                    done += 1
                    _record(store, report, result, parsed, used, seen_keys)
                    if progress:
                        progress(done, len(files), result[1])
                if seen_keys:
                    recurring |= store.recurring_among(seen_keys, RECURRING_MIN_DOCS)
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
    store: Store, report: IngestReport, result: tuple, parsed: dict, used: frozenset[str], seen_keys: set[str]
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
    if store.has(sha, PARSER_VERSION):
        report.known += 1  # the same bytes twice in one batch
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
    """Parse again (from the stored text) earlier documents whose edge lines just became furniture."""
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
        old = store.load(sha, units=False)
        rf = RawFile(
            old.path,
            old.sha256,
            old.size,
            old.encoding,
            old.format,
            old.text,
            [w for w in old.warnings if w.startswith(READ_NOTE)],
        )
        doc = parse(rf, furniture)
        store.put_document(serialize(doc))
        store.drop_cache(sha)  # derived from the old parse
        if derive:
            for ckind, value in derive(doc).items():
                store.put_cache(ckind, sha, value)
    return len(shas)


def ensure_documents(paths: list[str], store: Store, **kw: Any) -> tuple[list[Document], IngestReport]:
    """Ingest what is not in the store yet and load the documents of ``paths``."""
    report = ingest_paths(paths, store, **kw)
    return [store.load(sha) for sha in report.documents], report
