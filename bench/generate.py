#!/usr/bin/env python3
"""Synthetic data generator for the `lineage` benchmarks (independent ground
truth: this package never imports `lineage`).

    python bench/generate.py scraped --out DIR [--seed N] [--mb 100] [--forwarded P]
    python bench/generate.py derived --out DIR [--seed N] [--pairs 50]
    python bench/generate.py lineage --out DIR [--seed N] [--docs 200]
    python bench/generate.py trace   --out DIR [--seed N] [--docs 200] [--target-chars 20000] [--siblings K]

Each kind writes its files plus DIR/gold.json (schemas in bench/README.md).
Output is byte-identical for a given seed and options, whatever --jobs is.
Importable: ``generate(kind, out, seed=0, **options) -> gold dict``."""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import sys
import time
from collections import deque
from contextlib import contextmanager
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import kind_derived, kind_lineage, kind_scraped, kind_trace
from bench.corpus import build_pools, load_corpus

KINDS = ("scraped", "derived", "lineage", "trace")


@contextmanager
def pool_mapper(jobs: int):
    """Yields an ordered map(f, tasks) running on ``jobs`` processes."""
    if jobs <= 1:
        yield lambda f, tasks: map(f, tasks)
        return
    ctx = mp.get_context("fork")  # workers inherit the already-parsed corpus
    pool = ctx.Pool(jobs)
    issued: set = set()  # results asked for and not yet taken
    try:
        yield lambda f, tasks: _bounded_imap(pool, f, tasks, 2 * jobs, issued)
    except BaseException:
        pool.terminate()
        raise
    # Pool.terminate (what ``with Pool`` does) kills workers that may be writing a
    # result: the queue's write lock dies with them and the pool's task thread
    # then waits for it forever.  A consumer that stops early (scraped stops at
    # --mb) leaves a few tasks running: let them finish, then close the pool.
    for r in issued:
        r.wait()
    pool.close()
    pool.join()


def _bounded_imap(pool, f, tasks, window: int, issued: set):
    """Ordered results of f over tasks, at most ``window`` tasks in flight."""
    pending: deque = deque()

    def take():
        r = pending.popleft()
        issued.discard(r)
        return r.get()

    for task in tasks:
        r = pool.apply_async(f, (task,))
        issued.add(r)
        pending.append(r)
        if len(pending) >= window:
            yield take()
    while pending:
        yield take()


def generate(
    kind: str, out: str | Path, seed: int = 0, jobs: int | None = None, corpus: str | None = None, **opts
) -> dict:
    """Generate one benchmark kind into ``out`` and return its gold dict
    (also written to out/gold.json).  Options: scraped: mb, canonical, forwarded;
    derived: pairs; lineage: docs; trace: docs, target_chars, siblings."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    jobs = jobs or os.cpu_count() or 1
    load_corpus(corpus)
    build_pools(corpus)
    with pool_mapper(jobs) as pmap:
        if kind == "scraped":
            gold = kind_scraped.generate(
                out,
                seed,
                opts.get("mb", 100),
                jobs,
                corpus,
                canonical=opts.get("canonical", False),
                pool_map=pmap,
                forwarded=opts.get("forwarded", 0.0),
            )
        elif kind == "derived":
            gold = kind_derived.generate(out, seed, opts.get("pairs", 50), corpus, pool_map=pmap)
        elif kind == "lineage":
            gold = kind_lineage.generate_lineage(out, seed, opts.get("docs", 200), corpus, pool_map=pmap)
        else:
            gold = kind_trace.generate_trace(
                out,
                seed,
                opts.get("docs", 200),
                opts.get("target_chars", 20000),
                corpus,
                pool_map=pmap,
                siblings=opts.get("siblings", 0),
            )
    with open(out / "gold.json", "w", encoding="utf-8") as f:
        json.dump(gold, f, ensure_ascii=False, indent=1)
        f.write("\n")
    return gold


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("kind", choices=KINDS)
    ap.add_argument("--out", required=True, help="output directory")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--jobs", type=int, default=None, help="worker processes (default: all cores)")
    ap.add_argument("--corpus", default=None, help="real corpus dir (default: <repo>/corpus)")
    ap.add_argument("--mb", type=float, default=100, help="scraped: total size of docs/ in MB (10^6 bytes)")
    ap.add_argument(
        "--canonical", action="store_true", help="scraped: also write canonical/<version>.txt (not counted in --mb)"
    )
    ap.add_argument(
        "--forwarded",
        type=float,
        default=0.0,
        help="scraped: share of families that are a notice forwarding (转发) an earlier plan whole",
    )
    ap.add_argument("--pairs", type=int, default=50, help="derived: number of source/target pairs")
    ap.add_argument("--docs", type=int, default=200, help="lineage/trace: number of corpus documents")
    ap.add_argument("--target-chars", type=int, default=20000, help="trace: size of the target document")
    ap.add_argument(
        "--siblings",
        type=int,
        default=0,
        help="trace: the crowded setting, K documents derived from each source (in siblings/)",
    )
    a = ap.parse_args(argv)
    t0 = time.time()
    gold = generate(
        a.kind,
        a.out,
        seed=a.seed,
        jobs=a.jobs,
        corpus=a.corpus,
        mb=a.mb,
        canonical=a.canonical,
        forwarded=a.forwarded,
        pairs=a.pairs,
        docs=a.docs,
        target_chars=a.target_chars,
        siblings=a.siblings,
    )
    dt = time.time() - t0
    nbytes = sum(p.stat().st_size for p in Path(a.out).rglob("*") if p.is_file() and p.name != "gold.json")
    print(
        f"{a.kind}: {nbytes / 1e6:.1f} MB in {dt:.1f}s ({nbytes / 1e6 / max(dt, 1e-9):.2f} MB/s), "
        f"gold: {Path(a.out) / 'gold.json'}",
        file=sys.stderr,
    )
    del gold
    return 0


if __name__ == "__main__":
    sys.exit(main())
