"""Render the pages of a large site in forked worker processes, in order.

Rendering is pure Python (Jinja2, text cutting) and takes most of a warm
report of a large corpus.  The page plan holds closures over the documents
and stage results, which do not pickle; forked workers inherit it instead,
and only page numbers go out and bytes come back.  ``imap`` keeps the
plan's order, so the site is the same bytes whatever the number of workers.
Where ``fork`` is not available (or for a small site) pages render here.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Callable, Iterator
from typing import Any

from lineage.workers import fork_pool

PARALLEL_MIN = 300  # fewer pages than this render in the calling process (forking costs more than it saves)
CHUNK = 16  # pages per task

_PLAN: list[Any] = []
_RENDER: list[Callable[[Any], bytes]] = []


def render_all(todo: list[Any], render_one: Callable[[Any], bytes], jobs: int | None = None) -> Iterator[bytes]:
    """``render_one(page)`` for every page of ``todo``, in order."""
    jobs = jobs or os.cpu_count() or 1
    if jobs == 1 or len(todo) < PARALLEL_MIN or "fork" not in mp.get_all_start_methods():
        for p in todo:
            yield render_one(p)
        return
    _PLAN[:] = todo
    _RENDER[:] = [render_one]
    try:
        with fork_pool(min(jobs, os.cpu_count() or 1)) as pool:
            yield from pool.imap(_render, range(len(todo)), chunksize=CHUNK)
    finally:
        _PLAN.clear()
        _RENDER.clear()


def _render(i: int) -> bytes:
    return _RENDER[0](_PLAN[i])
