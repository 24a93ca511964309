"""Running a benchmark child and measuring it: wall and CPU time, peak memory of its process tree."""

from __future__ import annotations

import os
import resource
import subprocess
import threading
import time


def measure(args: list[str], cwd: str | None = None, stdout: int | None = subprocess.PIPE) -> tuple[str, dict]:
    """Run ``args``; return its stdout and figures: wall seconds, CPU seconds of it and its
    workers, peak proportional set size (pages shared by forked workers counted once) and
    peak sum of resident sets of the process tree (sampled every 0.25 s), and the load
    average before it started (the machine is shared)."""
    import psutil

    load = os.getloadavg()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen(args, stdout=stdout, text=True, cwd=cwd)
    peak = [0, 0]
    done = threading.Event()

    def sample() -> None:
        p = psutil.Process(proc.pid)
        while not done.is_set():
            try:
                procs = [p] + p.children(recursive=True)
                pss = sum(getattr(q.memory_full_info(), "pss", 0) or q.memory_info().rss for q in procs)
                rss = sum(q.memory_info().rss for q in procs)
                peak[0], peak[1] = max(peak[0], pss), max(peak[1], rss)
            except psutil.Error:
                pass
            done.wait(0.25)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    out, _ = proc.communicate()
    wall = time.perf_counter() - t0
    done.set()
    th.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode:
        raise SystemExit(f"{args} failed ({proc.returncode})")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return out or "", {
        "wall_seconds": round(wall, 2),
        "cpu_seconds": round(cpu, 2),
        "peak_pss_mb": round(peak[0] / 2**20, 1),
        "peak_rss_mb": round(peak[1] / 2**20, 1),
        "load_before": [round(x, 2) for x in load],
    }
