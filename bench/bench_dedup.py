"""Dedup benchmark: quality against gold, speed against datasketch and rensa, growth to 1 GB.

    python bench/bench_dedup.py                       # quality + throughput at 100 MB, scaling 30/300/1000 MB
    python bench/bench_dedup.py --quality-mb 0 --work /tmp/x --keep   # the scaling series only, data kept
    python bench/bench_dedup.py --sizes 100 --quality-mb 20 --work /tmp/x   # a quick run
    python bench/bench_dedup.py --sizes '' --quality-mb 20 --skip-datasketch --lineage-seeds 11,12,13  # quality only

Everything it generates goes under ``--work`` (default /tmp/lineage-bench-dedup) and is
deleted when done unless ``--keep``.  Results are printed and written to
``bench/results/dedup.json``.

What is measured
----------------
* **Quality** (``--quality-mb`` of ``bench/generate.py scraped``): pairwise precision,
  recall and F1 over files at the version level (same cluster = same gold version) and at
  the family level (clusters joined by ``related`` = same gold family), and the adjusted
  Rand index; and the ``related`` pairs (revisions) whose versions belong to different gold
  families, by the kinds of those families (a remix or a city's adaptation linked to its
  donor is one).  The peer is datasketch's ``MinHashLSH`` (character 5-grams, 128
  permutations, threshold 0.7), whose clusters are the connected components of its LSH
  matches, run on the same files (the decoded file text, whitespace removed) and, for
  reference, on the body texts lineage extracts.
* **Revision families on the lineage kind** (``--lineage-seeds``, ``--lineage-docs``
  documents each): every document there is its own (provincial plans, their cities' and
  counties' localized adaptations, cross-province copies, scraped duplicates), so every
  ``related`` pair between versions of different gold nodes is wrong; also version and family
  scores against the nodes.
* **Throughput**, same files, same run: MB of files per CPU-second (= per core) for the
  MinHash signatures alone (datasketch ``MinHash.update_batch`` vs ``lineage.dedup.minhash``)
  and end to end (datasketch: decode + signatures + LSH + components; lineage: ``lineage
  dedup`` from an empty database: read, parse, features, candidates, verification).
* **Scaling**: ``lineage dedup`` of 30 MB, 300 MB, 1 GB from an empty database, with the
  local engine on all cores, then each peer end to end on the same files (decode,
  5-gram shingles, signatures, LSH, components): datasketch ``MinHashLSH`` and rensa
  ``RMinHashLSH`` (128 permutations, threshold 0.7; rensa with 16 bands of 8 rows).
  For each: wall time, CPU time (all processes), MB per CPU-second,
  peak memory of the process and its workers, sampled every 0.25 s: proportional set size
  (pages shared by forked workers counted once) and, for reference, the sum of resident
  sets; the load average before it started (the machine is shared); and lineage's speed-up
  against each peer, wall-clock and per core.  ``growth`` compares the last two sizes.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)

from bench.measure import measure  # noqa: E402

NUM_PERM = 128
DS_THRESHOLD = 0.7
SHINGLE = 5
PEERS = ("datasketch", "rensa")
RENSA_BANDS = 16


# -- scoring ---------------------------------------------------------------------------------


def _comb2(n: int) -> int:
    return n * (n - 1) // 2


def pair_scores(pred: dict[str, str], gold: dict[str, str]) -> dict[str, float]:
    """Pairwise precision/recall/F1 and adjusted Rand index of a clustering of the gold items."""
    items = [k for k in gold if k in pred]
    cont = collections.Counter((pred[k], gold[k]) for k in items)
    tp = sum(_comb2(n) for n in cont.values())
    pp = sum(_comb2(n) for n in collections.Counter(pred[k] for k in items).values())
    gp = sum(_comb2(n) for n in collections.Counter(gold[k] for k in items).values())
    p = tp / pp if pp else 1.0
    r = tp / gp if gp else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    n = _comb2(len(items))
    expected = pp * gp / n if n else 0.0
    top = (pp + gp) / 2
    ari = (tp - expected) / (top - expected) if top != expected else 1.0
    return {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(f, 4),
        "ari": round(ari, 4),
        "files": len(items),
        "missing": len(gold) - len(items),
    }


def gold_labels(data: str) -> tuple[dict[str, str], dict[str, str]]:
    with open(os.path.join(data, "gold.json"), encoding="utf-8") as f:
        gold = json.load(f)
    version = {os.path.abspath(os.path.join(data, x["file"])): x["version"] for x in gold["files"]}
    family = {os.path.abspath(os.path.join(data, x["file"])): x["family"] for x in gold["files"]}
    return version, family


# -- measuring a child process ------------------------------------------------------------------


def run_measured(args: list[str]) -> dict:
    """Run a child that prints its JSON last; returns that JSON and the figures of bench/measure.py."""
    out, figures = measure(args, cwd=ROOT)
    result = json.loads(out.strip().splitlines()[-1])
    result.update(figures)
    return result


def data_bytes(data: str) -> int:
    d = os.path.join(data, "docs")
    return sum(os.path.getsize(os.path.join(d, n)) for n in os.listdir(d))


# -- children -----------------------------------------------------------------------------------


def child_lineage(data: str, db: str, jobs: int) -> None:
    from lineage.dedup import pipeline as D
    from lineage.store import Store

    for f in (db, db + "-wal", db + "-shm"):
        if os.path.exists(f):
            os.remove(f)
    t0 = time.perf_counter()
    with Store(db) as store:
        result, report = D.dedup_paths([os.path.join(data, "docs")], store, jobs=jobs)
    print(
        json.dumps(
            {
                "seconds": round(time.perf_counter() - t0, 2),
                "ingest_seconds": round(report.seconds, 2),
                "documents": len(report.documents),
                "stats": result.stats,
            }
        )
    )


def _texts(data: str, source: str, db: str | None) -> list[tuple[str, str, int]]:
    """(path, text, file bytes) of every file: the decoded file, or lineage's comparison text."""
    from lineage.ingest.read import read_file

    d = os.path.join(data, "docs")
    paths = [os.path.abspath(os.path.join(d, n)) for n in sorted(os.listdir(d))]
    if source == "files":
        out = []
        for p in paths:
            rf = read_file(p)
            out.append((p, "".join(rf.text.split()), rf.size))
        return out
    from lineage.dedup.features import CACHE_KIND, unpack, unpack_text
    from lineage.store import Store

    with Store(db, create=False) as store:
        out = []
        for p in paths:
            sha = store.resolve(p)
            out.append((p, unpack_text(unpack(sha, store.get_cache(CACHE_KIND, sha))[1]), os.path.getsize(p)))
        return out


def _shingles(text: str) -> list[str]:
    return [text[i : i + SHINGLE] for i in range(max(1, len(text) - SHINGLE + 1))]


def child_peer(peer: str, data: str, source: str, db: str | None) -> None:
    """A peer: datasketch ``MinHash`` + ``MinHashLSH`` or rensa ``RMinHash`` + ``RMinHashLSH``,
    clusters = connected components of LSH matches.  rensa's LSH takes a band count that
    divides the permutations: 16 bands of 8 rows, whose S-curve crosses 0.5 at
    (1/16)^(1/8) = 0.707, the threshold (datasketch picks 14 bands of 9 rows for it)."""
    from datasketch import MinHash, MinHashLSH

    t0 = time.perf_counter()
    items = _texts(data, source, db)
    t1 = time.perf_counter()
    if peer == "datasketch":
        sigs = []
        for _, text, _ in items:
            m = MinHash(num_perm=NUM_PERM)
            m.update_batch([s.encode("utf-8") for s in _shingles(text)])
            sigs.append(m)
        t2 = time.perf_counter()
        lsh = MinHashLSH(threshold=DS_THRESHOLD, num_perm=NUM_PERM)
    else:
        from rensa import RMinHash, RMinHashLSH

        sigs = []
        for _, text, _ in items:
            m = RMinHash(num_perm=NUM_PERM, seed=42)
            m.update(_shingles(text))
            sigs.append(m)
        t2 = time.perf_counter()
        lsh = RMinHashLSH(threshold=DS_THRESHOLD, num_perm=NUM_PERM, num_bands=RENSA_BANDS)
    for k, m in enumerate(sigs):
        lsh.insert(k, m)
    parent = list(range(len(items)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for k, m in enumerate(sigs):
        for j in lsh.query(m):
            ra, rb = find(k), find(j)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    t3 = time.perf_counter()
    clusters = {items[k][0]: str(find(k)) for k in range(len(items))}
    print(
        json.dumps(
            {
                "read_seconds": round(t1 - t0, 2),
                "minhash_seconds": round(t2 - t1, 2),
                "lsh_seconds": round(t3 - t2, 2),
                "seconds": round(t3 - t0, 2),
                "bytes": sum(x[2] for x in items),
                "clusters": clusters,
            }
        )
    )


def child_signatures(data: str) -> None:
    """Signature throughput on the same decoded texts: datasketch vs lineage.dedup.minhash, one core each."""
    from datasketch import MinHash

    from lineage.dedup import minhash
    from lineage.dedup.features import signatures

    items = _texts(data, "files", None)
    total = sum(x[2] for x in items)
    budget = 40e6  # datasketch takes about 1 s per MB: time it on the first 40 MB
    sample, size = [], 0
    for it in items:
        if size >= budget:
            break
        sample.append(it)
        size += it[2]
    t0 = time.process_time()
    for _, text, _ in sample:
        m = MinHash(num_perm=NUM_PERM)
        m.update_batch([text[i : i + SHINGLE].encode("utf-8") for i in range(max(1, len(text) - SHINGLE + 1))])
    ds = time.process_time() - t0
    t0 = time.process_time()
    for _, text, _ in items:
        minhash.signature(text)
    ours = time.process_time() - t0
    t0 = time.process_time()
    for _, text, _ in items:
        signatures(text)
    ours_windows = time.process_time() - t0
    print(
        json.dumps(
            {
                "datasketch": {
                    "bytes": size,
                    "cpu_seconds": round(ds, 3),
                    "mb_per_s_per_core": round(size / 1e6 / ds, 2),
                },
                "lineage": {
                    "bytes": total,
                    "cpu_seconds": round(ours, 3),
                    "mb_per_s_per_core": round(total / 1e6 / ours, 1),
                },
                "lineage_with_prefix_windows": {
                    "bytes": total,
                    "cpu_seconds": round(ours_windows, 3),
                    "mb_per_s_per_core": round(total / 1e6 / ours_windows, 1),
                },
            }
        )
    )


# -- the benchmark ------------------------------------------------------------------------------


def generate(work: str, mb: int, seed: int, forwarded: float = 0.0) -> str:
    out = os.path.join(work, f"scraped-{mb}" + (f"-fw{forwarded}" if forwarded else ""))
    if not os.path.exists(os.path.join(out, "gold.json")):
        subprocess.run(
            [
                sys.executable,
                os.path.join(HERE, "generate.py"),
                "scraped",
                "--out",
                out,
                "--mb",
                str(mb),
                "--seed",
                str(seed),
                *(["--forwarded", str(forwarded)] if forwarded else []),
            ],
            check=True,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
    return out


def lineage_run(data: str, db: str, jobs: int) -> dict:
    me = os.path.abspath(__file__)
    r = run_measured([sys.executable, me, "--child", "lineage", data, db, str(jobs)])
    mb = data_bytes(data) / 1e6
    r.update(
        mb=round(mb, 1), mb_per_s=round(mb / r["wall_seconds"], 2), mb_per_s_per_core=round(mb / r["cpu_seconds"], 2)
    )
    from lineage.dedup import pipeline as D
    from lineage.store import Store

    with Store(db, create=False) as store:
        res = D.load_result(store)
    version, family = gold_labels(data)
    r["version"] = pair_scores({p: c.id for c in res.clusters for p in c.members}, version)
    r["family"] = pair_scores({p: c.family for c in res.clusters for p in c.members}, family)
    with open(os.path.join(data, "gold.json"), encoding="utf-8") as f:
        kinds = {x["family"]: x["kind"] for x in json.load(f)["families"]}
    r["related"] = related_errors(res, family, kinds)
    return r


def related_errors(res, gold: dict[str, str], kinds: dict[str, str] | None = None) -> dict:
    """``related`` pairs whose versions are (mostly) of different gold labels, by the labels' kinds."""
    label = {
        c.id: collections.Counter(gold[p] for p in c.members if p in gold).most_common(1)[0][0]
        for c in res.clusters
        if any(p in gold for p in c.members)
    }
    wrong: collections.Counter = collections.Counter()
    for r in res.related:
        a, b = label.get(r.a), label.get(r.b)
        if a is not None and b is not None and a != b:
            wrong["-".join(sorted((kinds or {}).get(x, "document") for x in (a, b)))] += 1
    return {"pairs": len(res.related), "wrong": sum(wrong.values()), "wrong_by_kind": dict(sorted(wrong.items()))}


def lineage_quality(a: argparse.Namespace) -> list[dict]:
    """dedup on generated lineage corpora: no revisions there, every ``related`` pair is wrong."""
    from lineage.dedup import pipeline as D
    from lineage.store import Store

    out = []
    for seed in [int(x) for x in a.lineage_seeds.split(",") if x]:
        data = os.path.join(a.work, f"lineage-{a.lineage_docs}-{seed}")
        if not os.path.exists(os.path.join(data, "gold.json")):
            subprocess.run(
                [
                    sys.executable,
                    os.path.join(HERE, "generate.py"),
                    "lineage",
                    "--out",
                    data,
                    "--docs",
                    str(a.lineage_docs),
                    "--seed",
                    str(seed),
                ],
                check=True,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
            )
        with open(os.path.join(data, "gold.json"), encoding="utf-8") as f:
            gold = json.load(f)
        node = {os.path.abspath(os.path.join(data, x["file"])): x["node"] for x in gold["files"]}
        db = os.path.join(a.work, f"lineage-{a.lineage_docs}-{seed}.db")
        for f in (db, db + "-wal", db + "-shm"):
            if os.path.exists(f):
                os.remove(f)
        with Store(db) as store:
            res, _ = D.dedup_paths([os.path.join(data, "docs")], store, jobs=a.jobs)
        r = {
            "seed": seed,
            "documents": len(gold["nodes"]),
            "files": len(gold["files"]),
            "related": related_errors(res, node),
            "version": pair_scores({p: c.id for c in res.clusters for p in c.members}, node),
            "family": pair_scores({p: c.family for c in res.clusters for p in c.members}, node),
        }
        print(
            f"  lineage seed {seed}: {r['related']['pairs']} related, {r['related']['wrong']} across documents; "
            f"version F1 {r['version']['f1']}  family P/R/F1 {r['family']['precision']}/{r['family']['recall']}/"
            f"{r['family']['f1']}",
            file=sys.stderr,
        )
        out.append(r)
    return out


def peer_run(peer: str, data: str, source: str, db: str | None) -> dict:
    me = os.path.abspath(__file__)
    r = run_measured([sys.executable, me, "--child", peer, data, source, db or ""])
    clusters = r.pop("clusters")
    version, family = gold_labels(data)
    r["version"] = pair_scores(clusters, version)
    r["family"] = pair_scores(clusters, family)
    mb = r["bytes"] / 1e6
    r.update(mb=round(mb, 1), mb_per_s_per_core=round(mb / r["cpu_seconds"], 2))
    return r


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="30,300,1000", help="MB of generated pages for the scaling series")
    ap.add_argument("--quality-mb", type=int, default=100, help="size of the quality and throughput run (0: none)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument(
        "--forwarded",
        type=float,
        default=0.0,
        help="quality data: share of families that are a notice forwarding (转发) an earlier plan whole "
        "(another setting: the same text issued by two governments is two documents)",
    )
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--work", default="/tmp/lineage-bench-dedup")
    ap.add_argument("--keep", action="store_true", help="keep the generated data")
    ap.add_argument("--skip-datasketch", action="store_true")
    ap.add_argument("--lineage-seeds", default="", help="seeds of lineage corpora for the family check (e.g. 11,12,13)")
    ap.add_argument("--lineage-docs", type=int, default=200, help="documents in each lineage corpus")
    ap.add_argument("--out", default=os.path.join(HERE, "results", "dedup.json"))
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        kind, *rest = a.child
        if kind == "lineage":
            child_lineage(rest[0], rest[1], int(rest[2]))
        elif kind in ("datasketch", "rensa"):
            child_peer(kind, rest[0], rest[1], rest[2] or None)
        else:
            child_signatures(rest[0])
        return
    os.makedirs(a.work, exist_ok=True)
    report: dict = {"machine": {"cpus": os.cpu_count(), "load_at_start": os.getloadavg()}, "seed": a.seed}
    sizes = [int(s) for s in a.sizes.split(",") if s]
    try:
        if a.quality_mb:
            report["quality"] = quality(a)
        if a.lineage_seeds:
            report["lineage"] = lineage_quality(a)
        report["scaling"] = []
        for mb in sizes:
            report["scaling"].append(scale(a, mb))
        if len(report["scaling"]) >= 2:
            report["growth"] = growth(report["scaling"][-2], report["scaling"][-1])
    finally:
        if not a.keep:
            shutil.rmtree(a.work, ignore_errors=True)
    report["machine"]["load_at_end"] = os.getloadavg()
    os.makedirs(os.path.dirname(a.out), exist_ok=True)
    with open(a.out, "w", encoding="utf-8") as f:
        json.dump(report, f, indent=2)
    print(json.dumps(report, indent=2))


def scale(a: argparse.Namespace, mb: int) -> dict:
    """lineage dedup and the peers, end to end on the same files, one after the other."""
    data = generate(a.work, mb, a.seed)
    db = os.path.join(a.work, f"scale-{mb}.db")
    print(f"scaling: {mb} MB ...", file=sys.stderr)
    r = {"lineage": lineage_run(data, db, a.jobs)}
    x = r["lineage"]
    print(
        f"  lineage     {x['mb']:>7.1f} MB  {x['wall_seconds']:>7.1f} s  (ingest {x['ingest_seconds']} s)  "
        f"{x['cpu_seconds']:.0f} CPU-s  {x['mb_per_s_per_core']:.1f} MB/s per core  peak PSS {x['peak_pss_mb']:.0f} MB  "
        f"version F1 {x['version']['f1']}  family F1 {x['family']['f1']}  load {x['load_before']}",
        file=sys.stderr,
    )
    for peer in PEERS:
        if peer == "datasketch" and a.skip_datasketch:
            continue
        p = r[peer] = peer_run(peer, data, "files", None)
        r[f"speedup_vs_{peer}"] = {
            "wall": round(p["wall_seconds"] / x["wall_seconds"], 2),
            "per_core": round(x["mb_per_s_per_core"] / p["mb_per_s_per_core"], 2),
        }
        print(
            f"  {peer:<11} {p['mb']:>7.1f} MB  {p['wall_seconds']:>7.1f} s  {p['cpu_seconds']:.0f} CPU-s  "
            f"{p['mb_per_s_per_core']:.1f} MB/s per core  peak PSS {p['peak_pss_mb']:.0f} MB  version F1 "
            f"{p['version']['f1']}  family F1 {p['family']['f1']}  load {p['load_before']}  lineage is "
            f"{r[f'speedup_vs_{peer}']['wall']}x faster (wall), {r[f'speedup_vs_{peer}']['per_core']}x per core",
            file=sys.stderr,
        )
    if not a.keep and mb != a.quality_mb:
        shutil.rmtree(data, ignore_errors=True)
        for f in (db, db + "-wal", db + "-shm"):
            if os.path.exists(f):
                os.remove(f)
    return r


def growth(small: dict, big: dict) -> dict:
    """How time and memory grow from one size to the next (1.0 per unit of data: linear)."""
    out = {}
    for name in small:
        if isinstance(small[name], dict) and "mb" in small[name] and name in big:
            a, b = small[name], big[name]
            data = b["mb"] / a["mb"]
            out[name] = {
                "data": round(data, 2),
                "wall": round(b["wall_seconds"] / a["wall_seconds"], 2),
                "cpu": round(b["cpu_seconds"] / a["cpu_seconds"], 2),
                "peak_pss": round(b["peak_pss_mb"] / a["peak_pss_mb"], 2),
            }
    return out


def quality(a: argparse.Namespace) -> dict:
    data = generate(a.work, a.quality_mb, a.seed, a.forwarded)
    db = os.path.join(a.work, f"quality-{a.quality_mb}.db")
    print(f"quality and throughput on {a.quality_mb} MB ...", file=sys.stderr)
    q = {"lineage": lineage_run(data, db, a.jobs)}
    if not a.skip_datasketch:
        q["datasketch_files"] = peer_run("datasketch", data, "files", None)
        q["datasketch_bodies"] = peer_run("datasketch", data, "bodies", db)
        q["rensa_files"] = peer_run("rensa", data, "files", None)
        me = os.path.abspath(__file__)
        q["signatures"] = run_measured([sys.executable, me, "--child", "signatures", data])
        ds, ours = q["signatures"]["datasketch"], q["signatures"]["lineage_with_prefix_windows"]
        q["speedup_signatures_per_core"] = round(ours["mb_per_s_per_core"] / ds["mb_per_s_per_core"], 1)
        q["speedup_end_to_end_per_core"] = round(
            q["lineage"]["mb_per_s_per_core"] / q["datasketch_files"]["mb_per_s_per_core"], 1
        )
    _print_quality(q)
    return q


def _print_quality(q: dict) -> None:
    for name, r in q.items():
        if isinstance(r, dict) and "version" in r:
            print(
                f"  {name:<18} version P/R/F1 {r['version']['precision']}/{r['version']['recall']}/"
                f"{r['version']['f1']} ARI {r['version']['ari']}   family P/R/F1 {r['family']['precision']}/"
                f"{r['family']['recall']}/{r['family']['f1']} ARI {r['family']['ari']}   "
                f"{r['mb_per_s_per_core']} MB/s per core"
                + (
                    f"   related across families {r['related']['wrong']} of {r['related']['pairs']} "
                    f"{r['related']['wrong_by_kind']}"
                    if "related" in r
                    else ""
                ),
                file=sys.stderr,
            )


if __name__ == "__main__":
    main()
