#!/usr/bin/env python3
"""Trace quality on the blind generator's targets, in a clean and a crowded database (prints, never asserts).

    python bench/bench_blind.py --pool POOL [--seeds 7001,7002] [--siblings 10] [--root DIR]
                                [--as-written] [--json OUT]

``POOL`` is a dataset made by ``bench/bench_trace.py`` (``prepare``: ``docs/``, ``gold.json`` and
``clean.db``, the documents ingested; e.g. ``bench_trace.py --sizes 1000 --seeds 502`` leaves
``trace1000-seed502/`` under its root).  For each seed, ``bench/blind`` (a generator and scorer written
without reading lineage's generator or aligner; see ``bench/blind/__init__.py``) writes a target and K
siblings per source into ``ROOT/<pool>-seed<S>-k<K>/`` (kept: a second run reuses it), then:

* ``clean``: a copy of the pool's ``clean.db`` (sqlite3 backup; the pool's files are never written);
* ``crowded``: the database as a researcher's grows: a copy of the clean one, its index built
  (``Index.open``), then the siblings ingested (``ingest_paths(..., derive=index.derive)``), so the trace
  goes through the index's delta;

and the target is traced in each with the library (``lineage.graph.traced.trace(load_file(target),
Index.open(store), store)``) and scored by ``bench/blind/score.py``: recall (reused sentences at least half
attributed to the gold source), precision (attributed characters whose source is their sentence's gold
source), both also without the ambiguous sentences (``*_noamb``).  One JSON row per run; the trace and the
full score (misses, wrong attributions) are left beside the target (``trace_<setting>.json``,
``score_<setting>.json``).  ``--as-written`` generates with the original's three known flaws.

``LINEAGE_SRC=/path/to/checkout`` measures that checkout's lineage (main, for the figures before a
change) with this tree's generator and scorer; every row records the commit measured (``lineage_commit``).
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import bench  # noqa: E402, F401  (this tree's bench, whatever LINEAGE_SRC says)

# the lineage measured: this tree's, or another checkout's (LINEAGE_SRC), as bench_trace.py sets it up
from bench.bench_trace import SRC, commit_of, emit, save  # noqa: E402
from bench.blind.gen import generate  # noqa: E402
from bench.blind.pool import Pool  # noqa: E402
from bench.blind.score import score, summary  # noqa: E402

KEYS = ("recall", "precision", "recall_noamb", "precision_noamb", "precision_nonformulaic")


def copy_db(src: Path, dst: Path) -> None:
    """dst as a copy of the database src (sqlite3 backup; src opened read-only)."""
    dst.unlink(missing_ok=True)
    s = sqlite3.connect(f"file:{src}?mode=ro", uri=True)
    d = sqlite3.connect(dst)
    with d:
        s.backup(d)
    s.close()
    d.close()


def databases(pool_dir: Path, out: Path) -> dict[str, Path]:
    """The clean and the crowded database of one target (made afresh: a trace may write an index cache)."""
    from lineage.align import index
    from lineage.ingest.pipeline import ingest_paths
    from lineage.store import Store

    clean, crowded = out / "clean.db", out / "crowded.db"
    copy_db(pool_dir / "clean.db", clean)
    copy_db(pool_dir / "clean.db", crowded)
    with Store(str(crowded)) as store:
        index.Index.open(store)  # the clean database's index, as a trace there leaves it
        ingest_paths([str(out / "siblings")], store, derive=index.derive)
    return {"clean": clean, "crowded": crowded}


def run(pool: Pool, root: Path, seed: int, siblings: int, as_written: bool = False) -> list[dict]:
    """Generate (once) the seed's target and siblings, trace it in both databases, score; a row per database."""
    from lineage.align.index import Index

    try:
        from lineage.graph.traced import trace
    except ImportError:  # a checkout from before the wording
        from lineage.align.trace import trace  # type: ignore[no-redef]
    from lineage.ingest.pipeline import load_file
    from lineage.store import Store

    out = root / (f"{Path(pool.dir).name}-seed{seed}-k{siblings}" + ("-as-written" if as_written else ""))
    if not (out / "gold.json").exists():
        t0 = time.perf_counter()
        info = generate(seed, pool, out, siblings, as_written)
        print(
            f"generated seed {seed} in {time.perf_counter() - t0:.1f} s: {json.dumps(info, ensure_ascii=False)}",
            file=sys.stderr,
        )
    gold = json.loads((out / "gold.json").read_text(encoding="utf-8"))
    doc = load_file(gold["target"]["file"])
    rows = []
    for setting, db in databases(Path(pool.dir), out).items():
        with Store(str(db)) as store:
            t0 = time.perf_counter()
            res = trace(doc, Index.open(store), store)
            took = time.perf_counter() - t0
        matches = res.to_dict()["matches"]
        (out / f"trace_{setting}.json").write_text(json.dumps({"matches": matches}, ensure_ascii=False), "utf-8")
        sc = score(matches, gold, pool, setting)
        (out / f"score_{setting}.json").write_text(json.dumps(sc, ensure_ascii=False, indent=1), "utf-8")
        print(f"{out.name} {setting}: {summary(sc)}", file=sys.stderr)
        rows.append(
            {
                "setting": setting,
                "pool": pool.dir,
                "seed": seed,
                "siblings": siblings if setting == "crowded" else 0,
                "as_written": as_written,
                "target_chars": gold["target"]["body_chars"],
                "jurisdiction": gold["target"]["jurisdiction"]["name"],
                "sources": len(gold["sources"]),
                **{k: sc[k] for k in KEYS},
                "n_reused": sc["n_reused"],
                "n_reused_noamb": sc["n_reused_noamb"],
                "misses": len(sc["misses"]),
                "ambiguous_misses": sum(m["ambiguous"] for m in sc["misses"]),
                "wrong_chars": sc["wrong_chars"],
                "attributed_chars": sc["attributed_chars"],
                "trace_s": round(took, 2),
                "out": str(out),
            }
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pool", type=Path, required=True, help="a bench_trace.py dataset: docs/, gold.json, clean.db")
    ap.add_argument("--seeds", default="7001,7002", help="comma-separated generator seeds")
    ap.add_argument("--siblings", type=int, default=10, help="K siblings per source in the crowded database")
    ap.add_argument("--root", type=Path, default=Path(tempfile.gettempdir()) / "lineage-bench-blind")
    ap.add_argument("--as-written", action="store_true", help="generate with the original's known flaws")
    ap.add_argument("--json", type=Path)
    a = ap.parse_args(argv)
    a.root.mkdir(parents=True, exist_ok=True)
    pool = Pool(a.pool)
    commit = commit_of(SRC)
    rows: list[dict] = []
    for seed in (int(x) for x in a.seeds.split(",")):
        emit(rows, list(run(pool, a.root.resolve(), seed, a.siblings, a.as_written)), commit)
    save(rows, a.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
