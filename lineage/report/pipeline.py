"""The pipeline behind ``lineage report``: ingest, then dedup, graph, align/trace when they exist.

Each later stage is one hook function below.  A hook returns the stage's
JSON contract (exactly what its ``--json`` prints) or None when the stage is
not available in this build; pages then show that the stage did not run.

A stage plugs in by providing the library function its hook looks for
(``_stage`` imports it lazily; a module or function that is not there yet
means "not available").  The expected functions, all taking an open
:class:`~lineage.store.Store` and sha256s of documents already ingested:

* issue 4: ``lineage.dedup.dedup_for_report(store, shas, *, jobs, progress) -> dict``
* issue 5: ``lineage.graph.graph_for_report(store, shas, *, dedup, jobs, progress) -> dict``
* issue 3: ``lineage.align.align_for_report(store, source_sha, target_sha) -> dict`` and
  ``lineage.align.trace_for_report(store, target_sha, shas, *, jobs, progress) -> dict``

``progress`` is a ``(done, total, item)`` callback (may be None).
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from typing import Any

from ..ingest import ingest_paths
from ..read import DEFAULT_MAX_BYTES
from ..store import Store
from .site import Results

# A reuse edge (or trace source) at least this large gets a pair page.
PAIR_MIN_SHARE = 0.05

ProgressFactory = Callable[[str], Any]  # label -> context manager that is a (done, total, item) callback


class _Silent:
    def __call__(self, done: int, total: int, item: str = "") -> None:
        pass

    def __enter__(self) -> "_Silent":
        return self

    def __exit__(self, *exc: Any) -> None:
        pass


def _stage(module: str, name: str) -> Callable[..., Any] | None:
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as e:
        if e.name == module:  # the stage is not built yet; anything else missing is a real error
            return None
        raise
    return getattr(mod, name, None)


def run(paths: list[str], store: Store, *, jobs: int | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
        bars: ProgressFactory | None = None) -> Results:
    """Run every available stage on ``paths`` and return what the site is built from."""
    bars = bars or (lambda label: _Silent())
    with bars("ingesting") as bar:
        rep = ingest_paths(list(paths), store, jobs=jobs, progress=bar, max_bytes=max_bytes)
    docs = [store.load(sha) for sha in rep.documents]
    by_sha: dict[str, list[str]] = {}
    for p, sha in rep.paths.items():
        by_sha.setdefault(sha, []).append(p)
    res = Results(docs=docs, paths={s: sorted(ps) for s, ps in by_sha.items()}, skipped=list(rep.errors),
                  root=input_root(paths))
    shas = [d.sha256 for d in docs]
    res.dedup = dedup_stage(store, shas, jobs, bars)
    res.graph = graph_stage(store, shas, res.dedup, jobs, bars)
    res.traces = trace_stage(store, shas, jobs, bars)
    res.pairs = pair_stage(store, res, jobs, bars)
    return res


def input_root(paths: list[str]) -> str:
    """The folder paths are shown relative to: the common folder of the inputs (a file counts as its folder)."""
    dirs = [os.path.abspath(p) if os.path.isdir(p) else os.path.dirname(os.path.abspath(p)) for p in paths]
    try:
        return os.path.commonpath(dirs) if dirs else ""
    except ValueError:
        return ""


# -- hooks -------------------------------------------------------------------------------------

def dedup_stage(store: Store, shas: list[str], jobs: int | None, bars: ProgressFactory) -> dict | None:
    """Issue 4: clusters of copies (``lineage dedup --json``)."""
    fn = _stage("lineage.dedup", "dedup_for_report")
    if fn is None:
        return None
    with bars("deduplicating") as bar:
        return fn(store, shas, jobs=jobs, progress=bar)


def graph_stage(store: Store, shas: list[str], dedup: dict | None, jobs: int | None,
                bars: ProgressFactory) -> dict | None:
    """Issue 5: the lineage graph (``lineage graph --json``)."""
    fn = _stage("lineage.graph", "graph_for_report")
    if fn is None:
        return None
    with bars("building the graph") as bar:
        return fn(store, shas, dedup=dedup, jobs=jobs, progress=bar)


def trace_stage(store: Store, shas: list[str], jobs: int | None, bars: ProgressFactory) -> dict[str, dict]:
    """Issue 3: each document traced against the others (``lineage trace --json``); kept if it reuses anything."""
    fn = _stage("lineage.align", "trace_for_report")
    if fn is None:
        return {}
    out: dict[str, dict] = {}
    with bars("tracing") as bar:
        for i, sha in enumerate(shas, 1):
            t = fn(store, sha, shas, jobs=jobs, progress=None)
            if any(not m.get("formulaic") for m in t.get("matches") or []):
                out[sha] = t
            bar(i, len(shas), sha[:12])
    return out


def pair_stage(store: Store, res: Results, jobs: int | None, bars: ProgressFactory) -> list[dict]:
    """Issue 3: one alignment per strong edge (graph), else per strong trace source."""
    fn = _stage("lineage.align", "align_for_report")
    if fn is None:
        return []
    wanted = strong_pairs(res)
    out = []
    with bars("aligning pairs") as bar:
        for i, (s, t) in enumerate(wanted, 1):
            out.append(fn(store, s, t))
            bar(i, len(wanted), f"{s[:8]}–{t[:8]}")
    return out


def strong_pairs(res: Results, min_share: float = PAIR_MIN_SHARE) -> list[tuple[str, str]]:
    """(source sha, target sha) pairs that deserve a side-by-side page, in a stable order."""
    from .data import Catalog

    cat = Catalog(res.docs, res.paths, res.root)
    pairs: set[tuple[str, str]] = set()
    if res.graph:
        ids: dict[str, str] = {}
        for n in res.graph.get("nodes") or []:
            for p in [n.get("id")] + list(n.get("paths") or []):
                sha = cat.sha_of(p)
                if sha and not n.get("external"):
                    ids[str(n.get("id"))] = sha
                    break
        for e in res.graph.get("edges") or []:
            s, t = ids.get(str(e.get("source"))), ids.get(str(e.get("target")))
            if e.get("kind") == "reuse" and s and t and (e.get("share_of_target") or 0) >= min_share:
                pairs.add((s, t))
    else:
        for tsha, trace in res.traces.items():
            total = sum(len(u.norm_text) for u in cat.docs[tsha].blocks()) or 1
            chars: dict[str, int] = {}
            for m in trace.get("matches") or []:
                span = m.get("target_span") or [0, 0]
                if not m.get("formulaic") and (src := cat.sha_of(m.get("source"))):
                    chars[src] = chars.get(src, 0) + span[1] - span[0]
            pairs.update((s, tsha) for s, n in chars.items() if n / total >= min_share and s != tsha)
    return sorted(pairs)
