"""Ingest benchmark: MB/s per core and peak memory on generated scraped pages.

    python bench/bench_ingest.py [--mb 50] [--seed 1] [--data DIR] [--keep]

Generates (or reuses) a scraped corpus of --mb MB with bench/generate.py,
then runs the real CLI (`lineage ingest DIR --db ... -q -j N --json`) for N = 1
and 2 in fresh databases and reports wall time, CPU time of all processes, MB/s
per core (MB / CPU seconds), peak memory of the process tree (PSS and RSS,
bench/measure.py) and the load average before each run (the machine is shared).
The peer, measured on the same files in the same run, is the least any
Python ingester must do: read, decode, NFKC-normalize and split lines.
Results are printed and written to bench/results/ingest.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)

from bench.measure import measure  # noqa: E402


def corpus(mb: int, seed: int, data: str | None) -> str:
    from bench.generate import generate

    out = data or os.path.join(tempfile.gettempdir(), f"lineage-bench-scraped-{mb}mb-s{seed}")
    if not os.path.exists(os.path.join(out, "gold.json")):
        t = time.perf_counter()
        generate("scraped", out, seed=seed, mb=mb)
        print(f"generated {mb} MB in {time.perf_counter() - t:.1f} s -> {out}", file=sys.stderr)
    return out


def files_of(folder: str) -> list[str]:
    out = []
    for root, _, names in os.walk(folder):
        out.extend(os.path.join(root, n) for n in names if n.endswith((".txt", ".html", ".htm")))
    return sorted(out)


def run_cli(folder: str, jobs: int) -> dict:
    db = tempfile.mktemp(suffix=".db")
    _, r = measure(
        [sys.executable, "-m", "lineage", "ingest", folder, "--db", db, "-q", "-j", str(jobs), "--json"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    size = os.path.getsize(db)
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    return {"jobs": jobs, **r, "db_mb": round(size / 2**20, 1)}


def peer(paths: list[str]) -> float:
    """Read, decode, NFKC, split lines: the floor of any Python ingester (CPU seconds)."""
    t = time.process_time()
    for p in paths:
        data = open(p, "rb").read()
        for enc in ("utf-8-sig", "utf-16", "gb18030"):
            try:
                text = data.decode(enc)
                break
            except UnicodeDecodeError:
                continue
        unicodedata.normalize("NFKC", text).splitlines()
    return time.process_time() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=int, default=50)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--data", help="folder of generated pages (default: a temp folder, reused)")
    ap.add_argument("--keep", action="store_true", help="keep the generated data")
    ap.add_argument("--out", default=os.path.join(HERE, "results", "ingest.json"), help="where the JSON goes")
    args = ap.parse_args()
    folder = corpus(args.mb, args.seed, args.data)
    paths = files_of(folder)
    load = [round(x, 2) for x in os.getloadavg()]
    mb = sum(os.path.getsize(p) for p in paths) / 1e6
    peer_cpu = peer(paths)
    runs = [run_cli(folder, 1), run_cli(folder, 2)]
    for r in runs:
        r["mb_per_s"] = round(mb / r["wall_seconds"], 2)
        r["mb_per_cpu_s"] = round(mb / r["cpu_seconds"], 2)
        print(
            f"  -j {r['jobs']}: {r['wall_seconds']} s, {r['cpu_seconds']} CPU-s, {r['mb_per_cpu_s']} MB/s per core, "
            f"peak PSS {r['peak_pss_mb']} MB, load before {r['load_before']}",
            file=sys.stderr,
        )
    result = {
        "benchmark": "ingest",
        "files": len(paths),
        "mb": round(mb, 1),
        "cpus": os.cpu_count(),
        "load_at_start": load,
        "runs": runs,
        "peer": {
            "what": "read+decode+NFKC+splitlines",
            "cpu_s": round(peer_cpu, 2),
            "mb_per_cpu_s": round(mb / peer_cpu, 2),
        },
        "ratio_peer_to_lineage_cpu": round(runs[0]["cpu_seconds"] / peer_cpu, 2),
        "load_at_end": [round(x, 2) for x in os.getloadavg()],
    }
    print(json.dumps(result, indent=2))
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(result, f, indent=2)
    if not args.keep and not args.data:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
