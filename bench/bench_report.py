"""Benchmark `lineage report`: corpus/ from a cold and a warm database, and a generated 1,000-document corpus.

Targets (issue 6): corpus/ cold <= 10 s and warm <= 2 s; 1,000 generated
documents <= 3 minutes; the report's size on disk.

Every timing runs the real command in a fresh interpreter
(``python -m lineage report PATH --out DIR --db DB -q``), so interpreter
start and imports are included, as a user sees them.  A second, in-process
pass splits a warm run into its stages.  The machine is shared (2 cores):
the load average is printed beside each figure; take the minimum of the
repeats as the figure and the median as a check.

    python bench/bench_report.py                   # corpus + 1,000 generated documents
    python bench/bench_report.py --skip-large      # corpus only
    python bench/bench_report.py --docs 300 --repeat 5 --json bench/out/report.json
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)


def load() -> float:
    return round(os.getloadavg()[0], 2)


def run_report(paths: list[str], out: str, db: str, jobs: int | None = None) -> float:
    cmd = [sys.executable, "-m", "lineage", "report", *paths, "--out", out, "--db", db, "-q"]
    if jobs:
        cmd += ["-j", str(jobs)]
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def site_size(out: str) -> dict:
    files, total, blocks, by_dir, pages = 0, 0, 0, {}, {}
    for d, _, fs in os.walk(out):
        for f in fs:
            st = os.stat(os.path.join(d, f))
            rel = os.path.relpath(os.path.join(d, f), out)
            top = rel.split(os.sep)[0] if os.sep in rel else "."
            files += 1
            total += st.st_size
            blocks += st.st_blocks * 512
            n, b = by_dir.get(top, (0, 0))
            by_dir[top] = (n + 1, b + st.st_size)
            pages[rel] = st.st_size
    docs = sorted(v for k, v in pages.items() if k.startswith("documents"))
    largest = max(pages.items(), key=lambda kv: kv[1]) if pages else ("", 0)
    return {"files": files, "bytes": total, "on_disk": blocks, "by_dir": by_dir, "largest": largest,
            "document_page_median": docs[len(docs) // 2] if docs else 0, "index": pages.get("index.html", 0)}


def stages_in_process(paths: list[str], db: str, out: str) -> dict:
    """A warm run split into stages (imports already done)."""
    from lineage.report import build, write_site
    from lineage.report.pipeline import run
    from lineage.store import Store

    t = {}
    t0 = time.perf_counter()
    with Store(db) as store:
        res = run(paths, store)
    t["ingest check + load"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    files = list(build(res))
    t["render"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    write_site(files, out)
    t["write + swap"] = time.perf_counter() - t0
    return {k: round(v, 3) for k, v in t.items()}


def bench_corpus(paths: list[str], repeat: int, jobs: int | None, label: str) -> dict:
    tmp = tempfile.mkdtemp(prefix="bench-report-")
    try:
        cold, warm, loads = [], [], []
        for i in range(repeat):
            db, out = os.path.join(tmp, f"db{i}"), os.path.join(tmp, f"out{i}")
            loads.append(load())
            cold.append(run_report(paths, out, db, jobs))
            warm.append(run_report(paths, out, db, jobs))
        size = site_size(os.path.join(tmp, "out0"))
        split = stages_in_process(paths, os.path.join(tmp, "db0"), os.path.join(tmp, "split"))
        res = {"label": label, "cold_s": [round(x, 2) for x in cold], "warm_s": [round(x, 2) for x in warm],
               "cold_min": round(min(cold), 2), "cold_median": round(statistics.median(cold), 2),
               "warm_min": round(min(warm), 2), "warm_median": round(statistics.median(warm), 2),
               "load_before": loads, "size": size, "warm_stages_in_process": split}
        return res
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def generated(docs: int, seed: int = 0) -> str:
    folder = os.path.join(ROOT, "bench", "data", f"report-lineage-{docs}-s{seed}")
    gold = os.path.join(folder, "gold.json")
    if not os.path.exists(gold):
        from bench.generate import generate

        t0 = time.perf_counter()
        generate("lineage", folder, seed=seed, docs=docs)
        print(f"generated {docs} documents in {time.perf_counter() - t0:.1f} s -> {folder}", file=sys.stderr)
    return os.path.join(folder, "docs")


def show(r: dict) -> None:
    s = r["size"]
    print(f"{r['label']}: cold {r['cold_min']} s (median {r['cold_median']}, runs {r['cold_s']}), "
          f"warm {r['warm_min']} s (median {r['warm_median']}, runs {r['warm_s']}); load before runs {r['load_before']}")
    print(f"    site: {s['files']} files, {s['bytes'] / 2**20:.1f} MiB ({s['on_disk'] / 2**20:.1f} MiB on disk); "
          f"index {s['index'] / 1024:.0f} KB; median document page {s['document_page_median'] / 1024:.0f} KB; "
          f"largest {s['largest'][0]} {s['largest'][1] / 1024:.0f} KB")
    print("    by folder: " + ", ".join(f"{k} {n} files {b / 2**20:.2f} MiB" for k, (n, b) in sorted(s["by_dir"].items())))
    print(f"    warm run in process: {r['warm_stages_in_process']}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--docs", type=int, default=1000, help="size of the generated corpus")
    ap.add_argument("--skip-large", action="store_true", help="only corpus/")
    ap.add_argument("--jobs", type=int, default=None)
    ap.add_argument("--json", default=None, help="also write the results here")
    a = ap.parse_args(argv)
    results = [bench_corpus([os.path.join(ROOT, "corpus")], a.repeat, a.jobs, "corpus/ (5 documents)")]
    show(results[-1])
    if not a.skip_large:
        docs = generated(a.docs)
        results.append(bench_corpus([docs], max(1, a.repeat // 3), a.jobs, f"generated lineage corpus ({a.docs} documents)"))
        show(results[-1])
    if a.json:
        os.makedirs(os.path.dirname(os.path.abspath(a.json)), exist_ok=True)
        with open(a.json, "w", encoding="utf-8") as f:
            json.dump(results, f, ensure_ascii=False, indent=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
