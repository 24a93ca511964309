"""Many small stage calls (one trace, one pair alignment each), cached in the store and spread over processes.

A report of a large corpus runs hundreds of traces and alignments, each a
fraction of a second; a re-run on an unchanged corpus must not run them
again.  Each call's result is stored (``Store.put_result``) under a key
made of the call (function and arguments) and checked against a *state*:
this module's :data:`ALGORITHM`, the lineage version, the number of
documents and the latest parse time of the store (the index, and so
formulaic text, depends on every document), and the recorded paths of the
documents involved (results name documents by path).

Calls not cached run in worker processes that open the database themselves
(WAL mode lets them read while this process writes the results); a few
calls, one job or an in-memory database run here.
"""

from __future__ import annotations

import hashlib
import importlib
import os
from collections.abc import Callable, Iterator
from typing import Any

from lineage import __version__
from lineage.store import Store
from lineage.workers import ProcessPoolExecutor

# bump when a cached call would now give another result for the same store (an alignment or attribution rule)
ALGORITHM = "29"
PARALLEL_MIN = 12  # fewer calls than this run in the calling process (starting workers costs about a second)
CHUNK = 8  # calls per worker task: few round trips, and the load stays balanced at the end
WRITE_EVERY = 64  # results written per transaction (an interrupted run keeps what it computed)

Progress = Callable[[int, int, str], None]
Call = tuple[Any, ...]  # positional arguments after the store; strings and lists of strings


def _key(fn: str, call: Call) -> str:
    text = fn + "\x00" + "\x00".join(",".join(a) if isinstance(a, (list, tuple)) else str(a) for a in call)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


class _State:
    """The store's state as far as a call on some documents is concerned."""

    def __init__(self, store: Store) -> None:
        self.head = f"{ALGORITHM}|{__version__}|{store.count()}|{store.last_parsed()!r}"
        self.paths: dict[str, list[str]] = {}
        for path, sha in store.files():
            self.paths.setdefault(sha, []).append(path)

    def of(self, call: Call) -> str:
        h = hashlib.blake2b(self.head.encode("utf-8"), digest_size=16)
        for a in call:
            for sha in a if isinstance(a, (list, tuple)) else [a]:
                h.update(f"|{sha}:{','.join(self.paths.get(str(sha), []))}".encode())
        return h.hexdigest()


def run_cached(
    store: Store,
    module: str,
    name: str,
    calls: list[Call],
    *,
    kind: str,
    jobs: int | None = None,
    progress: Progress | None = None,
    label: Callable[[Call], str] = lambda c: str(c[0])[:12],
) -> list[dict]:
    """``module.name(store, *call)`` for every call, in order; cached results where the state still holds."""
    fn = f"{module}.{name}"
    state = _State(store)
    out: list[dict | None] = [None] * len(calls)
    todo: list[int] = []
    for i, call in enumerate(calls):
        hit = store.get_result(kind, _key(fn, call))
        if hit and hit.get("state") == state.of(call):
            out[i] = hit["result"]
        else:
            todo.append(i)
    done = len(calls) - len(todo)
    if progress:
        progress(done, len(calls), "cached")
    pending: list[tuple[int, dict]] = []
    for i, result in _compute(store, module, name, [calls[i] for i in todo], todo, jobs):
        out[i] = result
        pending.append((i, result))
        done += 1
        if progress:
            progress(done, len(calls), label(calls[i]))
        if len(pending) >= WRITE_EVERY:
            _save(store, kind, fn, calls, pending, state)
    _save(store, kind, fn, calls, pending, state)
    missing = [i for i, r in enumerate(out) if r is None]
    assert not missing, f"calls without a result: {missing}"
    return [r for r in out if r is not None]


def _save(store: Store, kind: str, fn: str, calls: list[Call], pending: list[tuple[int, dict]], state: _State) -> None:
    if not pending:
        return
    with store.transaction():
        for i, result in pending:
            store.put_result(kind, _key(fn, calls[i]), {"state": state.of(calls[i]), "result": result})
    pending.clear()


def _compute(
    store: Store, module: str, name: str, calls: list[Call], ids: list[int], jobs: int | None
) -> Iterator[tuple[int, dict]]:
    jobs = jobs or os.cpu_count() or 1
    if jobs == 1 or len(calls) < PARALLEL_MIN or store.path == ":memory:":
        fn = getattr(importlib.import_module(module), name)
        for i, call in zip(ids, calls):
            yield i, fn(store, *call)
        return
    chunks = [(module, name, calls[k : k + CHUNK]) for k in range(0, len(calls), CHUNK)]
    k = 0
    with ProcessPoolExecutor(min(jobs, len(chunks)), initializer=_init, initargs=(store.path,)) as ex:
        for results in ex.map(_run_chunk, chunks):
            for result in results:
                yield ids[k], result
                k += 1


# -- the worker side ---------------------------------------------------------------------------------

_W: dict[str, Any] = {}


def _init(db: str) -> None:
    from lineage.align.tokens import warm

    _W["store"] = Store(db, create=False)
    warm()  # jieba's dictionary once per worker, not inside the first call's timing


def _run_chunk(task: tuple[str, str, list[Call]]) -> list[dict]:
    module, name, calls = task
    fn = getattr(importlib.import_module(module), name)
    return [fn(_W["store"], *call) for call in calls]
