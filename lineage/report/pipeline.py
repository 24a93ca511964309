"""The pipeline behind ``lineage report``: ingest, then dedup, graph, trace and pair alignments.

Each later stage is one hook function below.  A hook returns the stage's
JSON contract (exactly what its ``--json`` prints) or None when the stage is
not available in this build; pages then show that the stage did not run.

A stage plugs in by providing the library function its hook looks for
(``_stage`` imports it lazily; a module or function that is not there yet
means "not available").  The expected functions, all taking an open
:class:`~lineage.store.Store` and sha256s of documents already ingested:

* issue 4: ``lineage.dedup.pipeline.dedup_for_report(store, shas, *, jobs, progress) -> dict``
* issue 5: ``lineage.graph.pipeline.graph_for_report(store, shas, *, dedup, jobs, progress) -> dict``
* issue 3: ``lineage.graph.traced.align_for_report(store, source_sha, target_sha) -> dict`` and
  ``lineage.graph.traced.trace_for_report(store, target_sha, shas, *, jobs, progress) -> dict``
  (sources chosen among ``shas`` only)

``progress`` is a ``(done, total, item)`` callback (may be None).

Traces and pair alignments are many small calls: :mod:`.runner` caches each
result in the store and runs the rest in worker processes, so a re-run on an
unchanged corpus reads them (dedup and graph cache their own results).
Which documents are traced and which pairs get a page is decided in
:mod:`.choose`.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from typing import Any

from lineage.i18n import N_
from lineage.ingest.pipeline import ingest_paths
from lineage.ingest.read import DEFAULT_MAX_BYTES
from lineage.report.choose import copy_pairs, strong_pairs, trace_calls
from lineage.report.runner import run_cached
from lineage.report.site import Results
from lineage.store import Store

ProgressFactory = Callable[[str], Any]  # label -> context manager that is a (done, total, item) callback


class _Silent:
    def __call__(self, done: int, total: int, item: str = "") -> None:
        pass

    def __enter__(self) -> _Silent:
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


def run(
    paths: list[str],
    store: Store,
    *,
    jobs: int | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    bars: ProgressFactory | None = None,
) -> Results:
    """Run every available stage on ``paths`` and return what the site is built from."""
    bars = bars or (lambda label: _Silent())
    with bars(N_("ingesting")) as bar:
        rep = ingest_paths(list(paths), store, jobs=jobs, progress=bar, max_bytes=max_bytes)
    docs = [store.load(sha) for sha in rep.documents]
    by_sha: dict[str, list[str]] = {}
    for p, sha in rep.paths.items():
        by_sha.setdefault(sha, []).append(p)
    res = Results(
        docs=docs, paths={s: sorted(ps) for s, ps in by_sha.items()}, skipped=list(rep.errors), root=input_root(paths)
    )
    shas = [d.sha256 for d in docs]
    res.dedup = dedup_stage(store, shas, jobs, bars)
    res.graph = graph_stage(store, shas, res.dedup, jobs, bars)
    res.traces = trace_stage(store, res, jobs, bars)
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
    fn = _stage("lineage.dedup.pipeline", "dedup_for_report")
    if fn is None:
        return None
    with bars(N_("deduplicating")) as bar:
        return fn(store, shas, jobs=jobs, progress=bar)


def graph_stage(
    store: Store, shas: list[str], dedup: dict | None, jobs: int | None, bars: ProgressFactory
) -> dict | None:
    """Issue 5: the lineage graph (``lineage graph --json``)."""
    fn = _stage("lineage.graph.pipeline", "graph_for_report")
    if fn is None:
        return None
    with bars(N_("building the graph")) as bar:
        return fn(store, shas, dedup=dedup, jobs=jobs, progress=bar)


def trace_stage(store: Store, res: Results, jobs: int | None, bars: ProgressFactory) -> dict[str, dict]:
    """Issue 3: documents traced to their sources (``lineage trace --json``); kept if they reuse anything."""
    if _stage("lineage.graph.traced", "trace_for_report") is None:
        return {}
    calls = trace_calls(res)
    with bars(N_("tracing")) as bar:
        traces = run_cached(
            store, "lineage.graph.traced", "trace_for_report", calls, kind="report-trace", jobs=jobs, progress=bar
        )
    return {sha: t for (sha, _), t in zip(calls, traces) if any(not m.get("formulaic") for m in t.get("matches") or [])}


def pair_stage(store: Store, res: Results, jobs: int | None, bars: ProgressFactory) -> list[dict]:
    """Issue 3: one alignment per pair page (``lineage align --json``)."""
    if _stage("lineage.graph.traced", "align_for_report") is None:
        return []
    wanted = strong_pairs(res) + copy_pairs(res)
    with bars(N_("aligning pairs")) as bar:
        return run_cached(
            store,
            "lineage.graph.traced",
            "align_for_report",
            [tuple(p) for p in wanted],
            kind="report-align",
            jobs=jobs,
            progress=bar,
            label=lambda c: f"{c[0][:8]}–{c[1][:8]}",
        )
