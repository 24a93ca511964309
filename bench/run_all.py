"""Run the benchmarks one after another (``make bench``), each with its peer in the same run.

    python bench/run_all.py            # the quick set: minutes, small sizes, JSON to $TMPDIR/lineage-bench-quick
    python bench/run_all.py --full     # the sizes the issues and the README quote (an hour or more)
    python bench/run_all.py --only ingest,dedup

Each benchmark writes its own bench/results/*.json (see its docstring).  A
benchmark that fails is named at the end and the exit code is 1; the others
still run.  The machine is shared: each result records the load average.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))

QUICK_OUT = os.path.join(tempfile.gettempdir(), "lineage-bench-quick")
# name -> (quick arguments, full arguments).  The quick set writes its JSON to QUICK_OUT, so that it
# never replaces the figures in bench/results/ that the README quotes.
BENCHMARKS: dict[str, tuple[list[str], list[str]]] = {
    "ingest": (
        ["bench_ingest.py", "--mb", "20", "--out", os.path.join(QUICK_OUT, "ingest.json")],
        ["bench_ingest.py", "--mb", "50"],
    ),
    "dedup": (
        ["bench_dedup.py", "--sizes", "30", "--quality-mb", "0", "--out", os.path.join(QUICK_OUT, "dedup.json")],
        [
            "bench_dedup.py",
            "--sizes",
            "30,300,1000",
            "--quality-mb",
            "100",
            "--out",
            os.path.join(HERE, "results", "dedup_scaling.json"),
        ],
    ),
    "align": (["bench_align.py", "speed", "--repeat", "3"], ["bench_align.py", "speed"]),
    "trace": (
        ["bench_trace.py", "--sizes", "100", "--json", os.path.join(QUICK_OUT, "trace.json")],
        ["bench_trace.py", "--sizes", "100,1000,5000", "--json", os.path.join(HERE, "results", "trace.json")],
    ),
    "search": (
        ["bench_search.py", "--sizes", "100", "--json", os.path.join(QUICK_OUT, "search.json")],
        ["bench_search.py", "--json", os.path.join(HERE, "results", "search.json")],
    ),
    "graph": (
        ["bench_graph.py", "--sizes", "100", "--json", os.path.join(QUICK_OUT, "graph.json")],
        ["bench_graph.py", "--json", os.path.join(HERE, "results", "graph.json")],
    ),
}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--full", action="store_true", help="the sizes the README quotes")
    ap.add_argument("--only", default="", help="comma-separated names: " + ", ".join(BENCHMARKS))
    a = ap.parse_args()
    names = [n for n in a.only.split(",") if n] or list(BENCHMARKS)
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        ap.error(f"unknown benchmark: {', '.join(unknown)}")
    failed = []
    os.makedirs(QUICK_OUT, exist_ok=True)
    for name in names:
        args = BENCHMARKS[name][1 if a.full else 0]
        print(f"== {name}: {' '.join(args)}", file=sys.stderr, flush=True)
        t = time.perf_counter()
        rc = subprocess.run(
            [sys.executable, os.path.join(HERE, args[0]), *args[1:]], cwd=os.path.dirname(HERE)
        ).returncode
        print(f"== {name}: exit {rc} in {time.perf_counter() - t:.0f} s", file=sys.stderr, flush=True)
        if rc:
            failed.append(name)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
