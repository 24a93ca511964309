"""Ctrl-C on a process pool prints one line: the stdlib's race in a pool broken by killing its workers
(CPython gh-107219, fixed in 3.12) dies quietly instead of printing a traceback after it."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="the stdlib no longer raises it")
def test_the_cancelled_futures_race_is_quiet_and_other_thread_errors_are_not():
    # a real pool's manager thread, given what it raises in the race and what it might raise otherwise
    script = textwrap.dedent(
        """
        import concurrent.futures, threading
        from lineage import workers
        ex = workers.ProcessPoolExecutor(1)
        ex.submit(int).result()
        t = ex._executor_manager_thread
        race = concurrent.futures.InvalidStateError("CANCELLED: <Future at 0x0 state=cancelled>")
        threading.excepthook(threading.ExceptHookArgs((type(race), race, None, t)))
        other = ValueError("not the race")
        threading.excepthook(threading.ExceptHookArgs((type(other), other, None, t)))
        ex.shutdown()
        """
    )
    r = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert r.returncode == 0, r.stderr
    assert "InvalidStateError" not in r.stderr
    assert "ValueError: not the race" in r.stderr
