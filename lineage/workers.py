"""Worker processes that die with the process that started them.

Every process pool of lineage is made here.  A worker:

* asks the kernel to SIGKILL it when its parent dies (Linux ``prctl(PR_SET_PDEATHSIG)``),
  so ``kill -9`` of the main process leaves no worker behind; elsewhere a watchdog
  thread polls the parent pid and exits when it changes;
* ignores SIGINT: Ctrl-C reaches every process of the terminal's process group, and
  only the main process should handle it (once, see :func:`lineage.cli.main`);
* takes the default action on SIGTERM, whatever handler it inherited by ``fork``.

When a pool is shut down while an exception propagates (Ctrl-C included) its
workers are killed at once instead of finishing their current tasks, so the
command stops within a second.

The parent-death signal is tied to the *thread* that starts the worker: pools
are made and used in one long-lived thread (the main thread, everywhere here).
"""

from __future__ import annotations

import concurrent.futures
import concurrent.futures.process
import ctypes
import multiprocessing
import multiprocessing.pool
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

_PR_SET_PDEATHSIG = 1
WATCH_SECONDS = 0.5  # how often the fallback watchdog checks the parent


def _die_with_parent(parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    kernel = sys.platform.startswith("linux") and _pdeathsig()
    start = os.getppid()
    if start != parent and not alive(parent):  # it died before we could watch it: no signal will come
        os._exit(1)
    if not kernel:
        threading.Thread(target=_watch, args=(start,), name="lineage-parent-watch", daemon=True).start()


def _watch(ppid: int) -> None:
    while True:
        time.sleep(WATCH_SECONDS)
        if os.getppid() != ppid:  # re-parented: the parent is gone
            os._exit(1)


def _pdeathsig() -> bool:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def alive(pid: int) -> bool:
    """Whether a process ``pid`` exists (where that cannot be asked without harm: assume it does)."""
    if os.name != "posix":
        return True  # Windows' os.kill(pid, 0) would send it a Ctrl-C
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        pass  # exists, but not ours to signal
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rsplit(b")", 1)[1].split()[0] not in (b"Z", b"X")  # a zombie has died
    except (OSError, IndexError):
        return True


def _start(parent: int, initializer: Callable[..., Any] | None, initargs: tuple) -> None:
    _die_with_parent(parent)
    if initializer is not None:
        initializer(*initargs)


def _kill(processes: list[Any]) -> None:
    for p in processes:
        try:
            p.kill()
        except (OSError, ValueError, AttributeError):
            pass  # already gone
    for p in processes:
        try:
            p.join(2)
        except (OSError, ValueError, AssertionError):
            pass


def _release(results: Any) -> None:
    """Close this process's writing end of a pool's result pipe once its workers are killed.

    A worker killed halfway through writing a result leaves the pool's manager thread reading the
    rest of it; the rest never comes, and the interpreter, which joins that thread at exit, never
    exits.  With no writer left the read ends (EOF), the manager sees a broken pool and stops.
    """
    writer = getattr(results, "_writer", None)
    if writer is not None:
        try:
            writer.close()
        except OSError:
            pass


def _quiet_cancelled_race(args: threading.ExceptHookArgs) -> None:
    """Python before 3.12 (CPython gh-107219): when a pool is broken by our killing its workers, its manager
    thread sets an exception on every pending future, including those the shutdown already cancelled, and
    dies printing ``InvalidStateError: CANCELLED`` -- a traceback in place of the one line Ctrl-C should
    print.  Nothing is lost (those futures were cancelled, their workers killed); other exceptions are
    reported as before."""
    if isinstance(args.exc_value, concurrent.futures.InvalidStateError) and isinstance(
        args.thread, concurrent.futures.process._ExecutorManagerThread
    ):
        return
    _previous_hook(args)


_previous_hook = threading.excepthook
if sys.version_info < (3, 12):
    threading.excepthook = _quiet_cancelled_race


class ProcessPoolExecutor(concurrent.futures.ProcessPoolExecutor):
    """:class:`concurrent.futures.ProcessPoolExecutor` whose workers die with this process."""

    def __init__(
        self,
        max_workers: int | None = None,
        mp_context: Any = None,
        initializer: Callable[..., Any] | None = None,
        initargs: tuple = (),
        **kw: Any,
    ) -> None:
        super().__init__(
            max_workers, mp_context, initializer=_start, initargs=(os.getpid(), initializer, tuple(initargs)), **kw
        )

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        if wait and sys.exc_info()[0] is not None:
            # Called while an exception (Ctrl-C, an error, a generator closed early) propagates,
            # from a ``with`` block or a ``finally``: nobody will read the tasks under way.
            procs = list((self._processes or {}).values())
            results = self._result_queue
            super().shutdown(wait=False, cancel_futures=True)
            _kill(procs)
            _release(results)
        super().shutdown(wait, cancel_futures=cancel_futures)


def fork_pool(
    processes: int, initializer: Callable[..., Any] | None = None, initargs: tuple = ()
) -> multiprocessing.pool.Pool:
    """A ``fork`` :class:`multiprocessing.pool.Pool` whose workers die with this process.

    Leaving its ``with`` block terminates the workers, as for any Pool.
    """
    return multiprocessing.get_context("fork").Pool(
        processes, initializer=_start, initargs=(os.getpid(), initializer, tuple(initargs))
    )
