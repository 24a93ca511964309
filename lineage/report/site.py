"""Assemble the static site from pipeline results and write it atomically.

Layout (relative to ``--out``)::

    index.html  graph.html  dedup.html
    documents/<key>.html          one per document: text, parts, chrome, outline, unit anchors
    pairs/<src>--<tgt>.html       one per aligned pair
    provenance/<key>.html         one per document that reuses others
    static/report.css  static/report.js

``<key>`` is :func:`lineage.report.names.doc_keys`: an ASCII slug of the file
name plus a sha256 prefix, never the title.

The site is built in a temporary directory beside ``--out`` and swapped in
with one rename (``renameat2(RENAME_EXCHANGE)`` where the kernel has it), so a
reader, or a crash, never sees a half-written site.  Entries of an existing
``--out`` that the report does not own (a README, notes) are carried over.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..model import Document
from . import pages
from .data import Catalog
from .pool import render_all
from .render import STATIC_FILES, render, static_text

# Top-level names the report owns: replaced wholesale on every build.  Anything else is the user's.
OWNED = frozenset({"index.html", "graph.html", "dedup.html", "documents", "pairs", "provenance", "static"})

ProgressFn = Callable[[int, int, str], None]


@dataclass
class Results:
    """What the pipeline produced; every stage after ingest is optional.

    The optional fields hold the other stages' JSON contracts exactly as their
    ``--json`` output prints them (see README / issues 3–5).
    """

    docs: list[Document]
    paths: dict[str, list[str]] = field(default_factory=dict)  # sha256 -> input paths holding those bytes
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason) of unreadable inputs
    root: str | None = None  # paths are shown relative to this folder (default: common folder of the inputs)
    dedup: dict | None = None  # `lineage dedup --json` (issue 4)
    graph: dict | None = None  # `lineage graph --json` (issue 5)
    pairs: list[dict] = field(default_factory=list)  # `lineage align --json`, one per pair page (issue 3)
    traces: dict[str, dict] = field(default_factory=dict)  # target sha256 -> `lineage trace --json` (issue 3)


@dataclass
class Planned:
    path: str  # relative to the site root, "/"-separated
    template: str | None  # None: a static file
    build: Callable[[], Any] | None  # page data, computed when the page is rendered


def catalog(results: Results) -> Catalog:
    """The catalog with every pair and provenance page registered, so pages only link to pages that exist."""
    cat = Catalog(results.docs, results.paths, results.root, dedup=results.dedup, graph=results.graph)
    for a in results.pairs:
        s, t = _pair_shas(cat, a)
        if s and t:
            cat.pair_pages[(s, t)] = f"pairs/{cat.keys[s]}--{cat.keys[t]}.html"
    for sha in results.traces:
        if sha in cat.docs:
            cat.provenance_pages[sha] = f"provenance/{cat.keys[sha]}.html"
    return cat


def _pair_shas(cat: Catalog, align: dict) -> tuple[str | None, str | None]:
    sources = align.get("sources") or []
    src = cat.sha_of(sources[0].get("path")) if sources and isinstance(sources[0], dict) else None
    return src, cat.sha_of((align.get("target") or {}).get("path"))


def plan(results: Results, cat: Catalog) -> list[Planned]:
    """Every file of the site, in a fixed order, with how to compute its page data."""
    copies = pages.copies_by_doc(cat, results.dedup)
    doc_pairs = pages.doc_pairs(cat)  # worded by what each pair is: reuse, shared text, copy

    out = [
        Planned("index.html", "index.html.j2",
                lambda: pages.index_page(cat, dedup=results.dedup, graph=results.graph, traces=results.traces,
                                         skipped=results.skipped)),
        Planned("graph.html", "graph.html.j2",
                lambda: pages.graph_page(cat, results.graph) if results.graph is not None else None),
        Planned("dedup.html", "dedup.html.j2",
                lambda: pages.dedup_page(cat, results.dedup) if results.dedup is not None else None),
    ]
    for sha in cat.order:
        out.append(Planned(f"documents/{cat.keys[sha]}.html", "document.html.j2",
                           lambda sha=sha: pages.document_page(cat, sha, copies.get(sha), doc_pairs[sha])))
    for a in results.pairs:
        s, t = _pair_shas(cat, a)
        if s and t:
            out.append(Planned(cat.pair_pages[(s, t)], "pair.html.j2", lambda a=a: pages.pair_page(cat, a)))
    for sha, trace in sorted(results.traces.items()):
        if sha in cat.provenance_pages:
            out.append(Planned(cat.provenance_pages[sha], "provenance.html.j2",
                               lambda trace=trace: pages.provenance_page(cat, trace)))
    out.extend(Planned(f"static/{name}", None, None) for name in STATIC_FILES)
    return out


def build(results: Results, progress: ProgressFn | None = None,
          jobs: int | None = None) -> Iterator[tuple[str, bytes]]:
    """Render the site: ``(relative path, bytes)`` for every file, deterministic for the same results.

    ``jobs``: worker processes for a large site (:mod:`.pool`); the bytes do not depend on it.
    """
    cat = catalog(results)
    todo = plan(results, cat)
    for i, (p, data) in enumerate(zip(todo, render_all(todo, _render_planned, jobs)), 1):
        if progress:
            progress(i, len(todo), p.path)
        yield p.path, data


def _render_planned(p: Planned) -> bytes:
    if p.template is None:
        return static_text(p.path.split("/", 1)[1]).encode("utf-8")
    root = "../" * p.path.count("/")
    return render(p.template, p.build() if p.build else None, root=root).encode("utf-8")


@dataclass
class SiteStats:
    out: str
    files: int
    bytes: int
    largest: tuple[str, int]
    by_dir: dict[str, tuple[int, int]]  # top-level folder or "." -> (files, bytes)


def write_site(files: Iterator[tuple[str, bytes]] | list[tuple[str, bytes]], out: str) -> SiteStats:
    """Write ``files`` as the site at ``out``, atomically replacing what was there."""
    out = os.path.realpath(out)
    if os.path.exists(out) and not os.path.isdir(out):
        raise FileExistsError(f"{out}: exists and is not a folder")
    parent, name = os.path.split(out)
    os.makedirs(parent, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=f".{name}.new-", dir=parent)
    try:
        stats = SiteStats(out, 0, 0, ("", 0), {})
        made: set[str] = set()
        for rel, data in files:
            if rel.startswith("/") or ".." in rel.split("/"):
                raise ValueError(f"refusing to write outside the site: {rel!r}")
            path = os.path.join(tmp, *rel.split("/"))
            d = os.path.dirname(path)
            if d not in made:
                os.makedirs(d, exist_ok=True)
                made.add(d)
            with open(path, "wb") as f:
                f.write(data)
            stats.files += 1
            stats.bytes += len(data)
            if len(data) > stats.largest[1]:
                stats.largest = (rel, len(data))
            top = rel.split("/", 1)[0] if "/" in rel else "."
            n, b = stats.by_dir.get(top, (0, 0))
            stats.by_dir[top] = (n + 1, b + len(data))
        if os.path.isdir(out):
            _carry_over(out, tmp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o777 & ~umask)  # mkdtemp makes it 0700; a site is meant to be read
        _swap_in(tmp, out)
        return stats
    finally:
        if os.path.lexists(tmp):
            shutil.rmtree(tmp, ignore_errors=True)


def write_file(path: str, data: bytes) -> None:
    """Write one file atomically: a reader, or a crash, sees the old file or the new one, never half of it."""
    path = os.path.abspath(path)
    parent, name = os.path.split(path)
    os.makedirs(parent, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it 0600; a page is meant to be read
        os.replace(tmp, path)
    except BaseException:
        if os.path.lexists(tmp):
            os.unlink(tmp)
        raise


def _carry_over(old: str, new: str) -> None:
    """Copy (hard-link where possible) the entries of ``old`` the report does not own into ``new``."""
    for entry in sorted(os.listdir(old)):
        if entry in OWNED:
            continue
        src, dst = os.path.join(old, entry), os.path.join(new, entry)
        if os.path.lexists(dst):
            continue
        if os.path.islink(src):
            os.symlink(os.readlink(src), dst)
        elif os.path.isdir(src):
            shutil.copytree(src, dst, symlinks=True, copy_function=_link_or_copy)
        else:
            _link_or_copy(src, dst)


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _swap_in(new: str, out: str) -> None:
    if not os.path.exists(out):
        os.rename(new, out)
        return
    if _exchange(new, out):
        shutil.rmtree(new, ignore_errors=True)  # now holds the previous site
        return
    # No atomic exchange here: two renames; between them ``out`` briefly does not exist, never half-written.
    old = tempfile.mkdtemp(prefix=f".{os.path.basename(out)}.old-", dir=os.path.dirname(out))
    os.rmdir(old)
    os.rename(out, old)
    os.rename(new, out)
    shutil.rmtree(old, ignore_errors=True)


def _exchange(a: str, b: str) -> bool:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    fn.restype = ctypes.c_int
    at_fdcwd, rename_exchange = -100, 2
    return fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0
