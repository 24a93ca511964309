"""Killing or interrupting a command: no worker outlives it, no litter stays, Ctrl-C exits 130 at once.

Real runs of the CLI as subprocesses on generated data (bench/generate.py), the
process tree read from /proc.  Every wait polls with a generous timeout, so a
loaded machine makes the tests slower, not flaky.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

pytestmark = pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="reads the process tree from /proc")


_SEEN: list[tuple[int, int]] = []  # every worker a test saw: killed after it, whatever it asserted


@pytest.fixture(autouse=True)
def _no_strays():
    yield
    for p in _SEEN:
        if _running(p):
            os.kill(p[0], signal.SIGKILL)
    _SEEN.clear()


def _stat(pid: int) -> tuple[str, int, int] | None:
    """(state, ppid, start time) of a process, None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return None
    return fields[0], int(fields[1]), int(fields[19])


def _running(proc: tuple[int, int]) -> bool:
    st = _stat(proc[0])
    return st is not None and st[0] not in ("Z", "X") and st[2] == proc[1]  # same process, not a reused pid


def _descendants(pid: int) -> list[tuple[int, int]]:
    """(pid, start time) of every process below ``pid``."""
    parent: dict[int, int] = {}
    start: dict[int, int] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            st = _stat(int(name))
            if st and st[0] != "Z":
                parent[int(name)], start[int(name)] = st[1], st[2]
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        for c, pp in parent.items():
            if pp == p:
                out.append((c, start[c]))
                todo.append(c)
    return out


def _wait_for_workers(
    proc: subprocess.Popen, n: int = 2, timeout: float = 120, after: list[tuple[int, int]] = ()
) -> list[tuple[int, int]]:
    """The first ``n`` processes below ``proc`` (not counting those of ``after``, an earlier pool)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        kids = [k for k in _descendants(proc.pid) if k not in after]
        if len(kids) >= n:
            _SEEN.extend(kids)
            return kids
        if proc.poll() is not None:
            pytest.fail(f"the command ended (exit {proc.returncode}) before its workers were seen")
        time.sleep(0.01)
    proc.kill()
    pytest.fail("no worker processes appeared")


def _wait_gone(procs: list[tuple[int, int]], timeout: float = 10) -> list[tuple]:
    """The processes of ``procs`` still running after ``timeout`` seconds: pid, start time, state, parent and
    command line (what outlived its parent, should one ever do so)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        left = [p for p in procs if _running(p)]
        if not left:
            return []
        time.sleep(0.05)
    return [(*p, *(_stat(p[0]) or ("gone", 0, 0))[:2], _cmdline(p[0])) for p in left]


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace")[:200]
    except OSError:
        return "?"


def _lineage(*args: str, **kw) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "lineage", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        **kw,
    )


def _generate(out, mb: float) -> str:
    subprocess.run(
        [
            sys.executable,
            os.path.join(ROOT, "bench", "generate.py"),
            "scraped",
            "--out",
            str(out),
            "--mb",
            str(mb),
            "--jobs",
            "1",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return str(out / "docs")


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """About 100 scraped pages: a report runs several seconds with workers in most stages."""
    return _generate(tmp_path_factory.mktemp("gen-small"), 2)


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    """About 300 scraped pages: ingest alone keeps its workers busy for a while."""
    return _generate(tmp_path_factory.mktemp("gen-large"), 6)


def _past_ingest(proc: subprocess.Popen) -> list[tuple[int, int]]:
    """Workers of the pool after ingest's (dedup, index or graph): a stage deep in the pipeline."""
    return _wait_for_workers(proc, after=_wait_for_workers(proc))


def _litter(folder) -> list[str]:
    return sorted(n for n in os.listdir(folder) if n.startswith("."))


def test_kill_9_of_report_leaves_no_worker_and_the_next_run_leaves_no_litter(small, tmp_path):
    out, db = tmp_path / "site", str(tmp_path / "db")
    args = ("report", small, "--out", str(out), "--db", db, "-q", "-j", "2")
    p = _lineage(*args)
    workers = _past_ingest(p)
    os.kill(p.pid, signal.SIGKILL)
    p.wait(30)
    assert _wait_gone(workers) == [], "workers outlived the main process"
    assert [n for n in _litter(out) if n.startswith(".lineage-tmp-")], "the killed run's staging folder"
    r = subprocess.run([sys.executable, "-m", "lineage", *args], capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert r.returncode == 0, r.stderr
    assert _litter(out) == [".lineage-output.json"]
    assert not _litter(tmp_path) and sorted(os.listdir(tmp_path))[0] == "db"  # nothing beside the site


def test_kill_9_of_dedup_on_a_dask_cluster_leaves_no_dask_process(large, tmp_path):
    """`--engine dask` starts a LocalCluster (nannies and workers spawned, not forked by lineage):
    they too must not outlive a killed command."""
    pytest.importorskip("distributed")
    p = _lineage("dedup", large, "--db", str(tmp_path / "db"), "-q", "--engine", "dask", "-j", "2")
    cluster = _wait_for_workers(p, n=4)  # the resource tracker, two workers' processes and more
    os.kill(p.pid, signal.SIGKILL)
    p.wait(30)
    assert _wait_gone(cluster, timeout=30) == [], "Dask processes outlived the main process"


def test_kill_9_of_ingest_leaves_no_worker(large, tmp_path):
    db = str(tmp_path / "db")
    p = _lineage("ingest", large, "--db", db, "-q", "-j", "2")
    workers = _wait_for_workers(p)
    os.kill(p.pid, signal.SIGKILL)
    p.wait(30)
    assert _wait_gone(workers) == [], "workers outlived the main process"
    r = subprocess.run(
        [sys.executable, "-m", "lineage", "ingest", large, "--db", db, "-q", "-j", "2"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert r.returncode == 0, r.stderr
    assert not _litter(tmp_path)


@pytest.mark.parametrize("command", ["report", "ingest", "dedup"])
def test_ctrl_c_stops_within_seconds_and_exits_130(command, small, large, tmp_path):
    """Ctrl-C reaches the whole process group, as in a terminal."""
    out, db = tmp_path / "site", str(tmp_path / "db")
    args = {
        "report": ("report", small, "--out", str(out)),
        "ingest": ("ingest", large),
        "dedup": ("dedup", large, "--out", str(out)),
    }[command]
    p = _lineage(*args, "--db", db, "-j", "2", start_new_session=True)
    workers = _past_ingest(p) if command == "report" else _wait_for_workers(p)
    t0 = time.monotonic()
    os.killpg(p.pid, signal.SIGINT)
    try:
        p.wait(10)
    except subprocess.TimeoutExpired:
        p.kill()
        pytest.fail("still running 10 s after Ctrl-C")
    took = time.monotonic() - t0
    stderr = p.stderr.read()
    assert p.returncode == 130, stderr
    assert stderr.splitlines()[-1] == "lineage: interrupted (Ctrl-C)" and "Traceback" not in stderr, stderr
    assert took < 3, f"{took:.1f} s from Ctrl-C to exit"
    assert _wait_gone(workers, timeout=5) == []
    assert not _litter(tmp_path)
    assert not out.exists()  # made by this run, which wrote nothing: removed


def test_sigterm_cleans_up_and_exits_143(small, tmp_path):
    out, db = tmp_path / "site", str(tmp_path / "db")
    p = _lineage("report", small, "--out", str(out), "--db", db, "-q", "-j", "2")
    workers = _past_ingest(p)
    p.terminate()  # the main process only: it stops its workers itself
    p.wait(10)
    assert p.returncode == 143 and p.stderr.read().splitlines()[-1] == "lineage: stopped by SIGTERM"
    assert _wait_gone(workers, timeout=5) == []
    assert not out.exists() and not _litter(tmp_path)


def test_the_watchdog_stops_workers_where_the_kernel_cannot(tmp_path):
    """Other platforms have no PR_SET_PDEATHSIG: a thread in each worker watches its parent."""
    script = textwrap.dedent("""
        import time
        from lineage import workers
        workers._pdeathsig = lambda: False  # as on a system without prctl
        def nap(x):
            time.sleep(60)
        with workers.ProcessPoolExecutor(2) as ex:
            list(ex.map(nap, range(2)))
    """)
    p = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT)
    kids = _wait_for_workers(p)
    p.kill()
    p.wait(30)
    assert _wait_gone(kids, timeout=5) == []


def test_a_ctrl_c_python_could_not_raise_is_delivered_again(tmp_path):
    """Ctrl-C landing in an at-fork hook or a __del__ (where exceptions are only printed) still stops
    the command: it happened when a pool was starting a worker, and the run went on to exit 0."""
    script = textwrap.dedent("""
        import os, signal, sys, time
        from lineage import cli

        class Finalizer:
            def __del__(self):
                os.kill(os.getpid(), signal.SIGINT)  # the handler runs here: its exception cannot propagate
                sum(range(1000))

        @cli.cli.command("nap")
        def nap():
            Finalizer()
            for _ in range(200):
                time.sleep(0.05)
            print("ran to the end")

        sys.argv = ["lineage", "nap"]
        cli.main()
    """)
    t0 = time.monotonic()
    r = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert r.returncode == 130 and "ran to the end" not in r.stdout, r.stderr
    assert r.stderr == "lineage: interrupted (Ctrl-C)\n"
    assert time.monotonic() - t0 < 5


def test_a_dead_parent_not_yet_reaped_counts_as_dead():
    """A worker started just as its parent is killed checks the parent itself: a zombie is dead."""
    from lineage.workers import alive

    pid = os.fork()
    if pid == 0:
        os._exit(0)
    try:
        deadline = time.monotonic() + 10
        while _stat(pid) and _stat(pid)[0] != "Z" and time.monotonic() < deadline:
            time.sleep(0.01)
        assert _stat(pid)[0] == "Z" and not alive(pid)
        assert alive(os.getpid())
    finally:
        os.waitpid(pid, 0)


def test_an_error_while_a_worker_is_sending_its_result_does_not_hang_the_exit(tmp_path):
    """A pool left by an exception kills its workers; one killed halfway through writing a large result left
    the pool's manager thread waiting forever for the rest of it, and the interpreter, which joins that thread
    at exit, never exited (seen once in a full test run: "794 passed", then no exit)."""
    script = tmp_path / "s.py"
    script.write_text(
        "import time\n"
        "from lineage.workers import ProcessPoolExecutor\n"
        "def big(n):\n"
        "    return b'x' * n\n"
        "if __name__ == '__main__':\n"
        "    try:\n"
        "        with ProcessPoolExecutor(1) as ex:\n"
        "            f = ex.submit(big, 400_000_000)\n"
        "            time.sleep(1.0)  # the worker is writing its 400 MB answer into the result pipe\n"
        "            raise RuntimeError('stop')\n"
        "    except RuntimeError:\n"
        "        print('left the pool', flush=True)\n",
        encoding="utf-8",
    )
    p = subprocess.Popen([sys.executable, str(script)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        out, _ = p.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        p.kill()
        p.communicate()
        raise AssertionError("the process did not exit after leaving the pool") from None
    assert p.returncode == 0 and "left the pool" in out
