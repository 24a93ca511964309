"""Assemble the static site from pipeline results and write it atomically.

Layout (relative to ``--out``)::

    index.html  graph.html  dedup.html  glossary.html
    documents/<key>.html          one per document: text, parts, chrome, outline, unit anchors
    pairs/<src>--<tgt>.html       one per aligned pair
    provenance/<key>.html         one per document that reuses others
    static/report.css  static/report.js

``<key>`` is :func:`lineage.report.names.doc_keys`: an ASCII slug of the file
name plus a sha256 prefix, never the title.

The folder is owned as :mod:`lineage.owned` describes: ``.lineage-output.json``
lists every file the report wrote; a re-run replaces or removes only those
(and only while unchanged), keeps everything else, and each file is replaced
with one rename, pages linked to before the pages linking to them.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from lineage import glossary, i18n
from lineage.model import Document
from lineage.owned import OwnedDir
from lineage.report import pages
from lineage.report.data import Catalog
from lineage.report.pool import render_all
from lineage.report.render import STATIC_FILES, render, static_text
from lineage.workers import alive

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
    editions = pages.editions_by_doc(cat, results.dedup)
    doc_pairs = pages.doc_pairs(cat)  # worded by what each pair is: reuse, shared text, copy

    out = [
        Planned(
            "index.html",
            "index.html.j2",
            lambda: pages.index_page(
                cat, dedup=results.dedup, graph=results.graph, traces=results.traces, skipped=results.skipped
            ),
        ),
        Planned(
            "graph.html",
            "graph.html.j2",
            lambda: pages.graph_page(cat, results.graph) if results.graph is not None else None,
        ),
        Planned(
            "dedup.html",
            "dedup.html.j2",
            lambda: pages.dedup_page(cat, results.dedup) if results.dedup is not None else None,
        ),
        Planned("glossary.html", "glossary.html.j2", glossary.entries),
    ]
    for sha in cat.order:
        out.append(
            Planned(
                f"documents/{cat.keys[sha]}.html",
                "document.html.j2",
                partial(pages.document_page, cat, sha, copies.get(sha), doc_pairs[sha], editions.get(sha)),
            )
        )
    for a in results.pairs:
        s, t = _pair_shas(cat, a)
        if s and t:
            out.append(Planned(cat.pair_pages[(s, t)], "pair.html.j2", partial(pages.pair_page, cat, a)))
    for sha, trace in sorted(results.traces.items()):
        if sha in cat.provenance_pages:
            out.append(
                Planned(cat.provenance_pages[sha], "provenance.html.j2", partial(pages.provenance_page, cat, trace))
            )
    out.extend(Planned(f"static/{name}", None, None) for name in STATIC_FILES)
    return out


def build(
    results: Results, progress: ProgressFn | None = None, jobs: int | None = None, lang: str | None = None
) -> Iterator[tuple[str, bytes]]:
    """Render the site: ``(relative path, bytes)`` for every file, deterministic for the same results.

    ``jobs``: worker processes for a large site (:mod:`.pool`); the bytes do not depend on it.
    ``lang``: the pages' language ("en" or "zh"; None: the current one, see :mod:`lineage.i18n`).
    """
    lang = i18n.normalize_language(lang) if lang else i18n.current_language()
    with i18n.language(lang):  # document labels are made here, once
        cat = catalog(results)
        todo = plan(results, cat)

    def render_one(p: Planned) -> bytes:
        # set in the worker too: pages are built and rendered in forked processes for a large site
        with i18n.language(lang):
            return _render_planned(p)

    for i, (p, data) in enumerate(zip(todo, render_all(todo, render_one, jobs)), 1):
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

    @property
    def pages(self) -> int:
        """HTML pages written (the rest are the static CSS and JS)."""
        return self.files - self.by_dir.get("static", (0, 0))[0]


TOOL = "lineage report"


def open_site(out: str, inputs: list[str] | tuple[str, ...] = ()) -> OwnedDir:
    """Take the folder ``out`` for a site, before anything is computed (:mod:`lineage.owned` says when it refuses).

    ``inputs``: the paths given on the command line; the site may not hold them nor lie inside one.
    """
    return OwnedDir(out, TOOL, inputs).open()


def write_site(files: Iterable[tuple[str, bytes]], out: str | OwnedDir, protect: Iterable[str] = ()) -> SiteStats:
    """Write ``files`` as the site at ``out`` (a path, or a folder from :func:`open_site`).

    Only files of an earlier site, unchanged since, are replaced or removed; anything else in
    the folder is kept, and a file of the user's where the site has one refuses the whole write
    (:class:`lineage.owned.OutputError`), as does an input file listed in ``protect``.
    """
    site = open_site(out) if isinstance(out, str) else out
    try:
        stats = SiteStats(site.path, 0, 0, ("", 0), {})
        for rel, data in files:
            site.stage(rel, data)
            stats.files += 1
            stats.bytes += len(data)
            if len(data) > stats.largest[1]:
                stats.largest = (rel, len(data))
            top = rel.split("/", 1)[0] if "/" in rel else "."
            n, b = stats.by_dir.get(top, (0, 0))
            stats.by_dir[top] = (n + 1, b + len(data))
        site.commit(protect)
        return stats
    finally:
        if isinstance(out, str):
            site.close()


TMP_SUFFIX = ".tmp"


def write_file(path: str, data: bytes) -> None:
    """Write one file atomically: a reader, or a crash, sees the old file or the new one, never half of it.

    The temporary file beside it is ``.<name>.<pid>.<random>.tmp``; one left by a process
    that no longer runs (killed before it could rename it) is removed by the next write.
    """
    path = os.path.abspath(path)
    parent, name = os.path.split(path)
    os.makedirs(parent, exist_ok=True)
    _remove_stale_temps(parent, name)
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.{os.getpid()}.", suffix=TMP_SUFFIX, dir=parent)
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


def _remove_stale_temps(parent: str, name: str) -> None:
    pattern = re.compile(re.escape(f".{name}.") + r"(\d+)\.[A-Za-z0-9_]+" + re.escape(TMP_SUFFIX) + "$")
    for entry in os.listdir(parent):
        m = pattern.match(entry)
        if m and not _running(int(m.group(1))):
            try:
                os.unlink(os.path.join(parent, entry))
            except OSError:
                pass


def _running(pid: int) -> bool:
    return pid == os.getpid() or alive(pid)
