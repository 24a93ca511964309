#!/usr/bin/env python3
"""Direction of reuse edges on bodies-only corpora, with and without a metadata sidecar (prints, never asserts).

    python bench/bench_direction.py [--docs 200] [--seed 0] [--jobs 2] [--root DIR] [--json OUT]

Real corpora often hold document bodies only (no issuing notice, no
header: no signed date, title or issuer in the text) with the metadata in
a spreadsheet beside them.  This benchmark mimics them from a generated
lineage corpus (``bench/generate.py lineage``: planted reuse chains with
gold directions): each node's primary file is cut to the text after its
title line (notice, title and header gone; scraped copies left out), and
a JSON Lines sidecar is written from gold (file, title, date, issuers,
jurisdiction, 文号).  The graph is built three times on fresh databases:

* ``bodies``: the bodies alone (dates only estimated from cited 文号,
  events and target years);
* ``bodies+sidecar``: the same bodies with the sidecar applied
  (``lineage.ingest.sidecar.register``: given dates are definite);
* ``full``: the generated files with their notices (the reference).

For each, over the reuse edges shown (default thresholds):

* ``uncertain_no_date``: share of reuse edges whose direction is uncertain
  while the date evidence says nothing (no date, or ranges that overlap);
* ``established_against_dates``: share of established edges whose source
  is dated after its target by the gold (given) dates -- target 0;
* ``direction``: over planted reuse edges found, established right, wrong,
  uncertain, and accuracy = right / established.

Target (issue 15): with a sidecar, under 10% of reuse edges uncertain for
lack of dates, and no established edge against the given dates.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.gold_tools import load_gold  # noqa: E402


def bodies_from_generated(gold: dict, src: str | Path, out: str | Path) -> tuple[str, str, dict[str, str]]:
    """Bodies of a generated lineage corpus (the text after each title line) and a JSON Lines sidecar from gold.

    Returns (bodies folder, sidecar path, gold node id -> body file path).
    Only each node's primary file is kept (its scraped copies carry headers).
    """
    docs = os.path.join(out, "bodies")
    os.makedirs(docs, exist_ok=True)
    files: dict[str, str] = {}
    rows = []
    for n in gold["nodes"]:
        with open(os.path.join(src, n["file"]), encoding="utf-8", newline="") as f:
            text = f.read()
        body = text[n["title_span"][1] :].lstrip("\r\n")
        path = os.path.join(docs, os.path.basename(n["file"]))
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(body)
        files[n["id"]] = path
        rows.append(
            {
                "path": os.path.basename(path),
                "title": n["title"],
                "date": n["date"],
                "issuers": n["issuers"],
                "jurisdiction": "全国" if n["level"] == "national" else n["jurisdiction"],
                "文号": n["docno"] or "",
            }
        )
    meta = os.path.join(out, "meta.jsonl")
    with open(meta, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    return docs, meta, files


def build(paths: list[str], db: str, jobs: int, sidecar_path: str | None = None) -> tuple[dict, dict]:
    """(graph as shown, {seconds, sidecar warnings}) on a fresh database."""
    from lineage.graph.pipeline import build_graph, derive
    from lineage.ingest.pipeline import ingest_paths
    from lineage.ingest.sidecar import read_sidecar, register
    from lineage.store import Store

    info: dict = {}
    with Store(db) as store:
        t0 = time.perf_counter()
        ingest_paths(paths, store, jobs=jobs, derive=derive)
        if sidecar_path:
            sc = read_sidecar(sidecar_path)
            rep = register(store, sc)
            info["sidecar"] = {
                "rows": len(sc.rows),
                "documents": rep.documents,
                "warnings": sc.warnings + rep.warnings(sc.path),
            }
        g = build_graph(store, jobs=jobs).filtered()
        info["seconds"] = round(time.perf_counter() - t0, 1)
    return g.to_dict(), info


def score(graph: dict, gold: dict, node_of_file: dict[str, str]) -> dict:
    """Direction figures of one graph against the gold (node_of_file: real path -> gold node id)."""
    gid: dict[str, str] = {}
    for n in graph["nodes"]:
        for p in n.get("paths") or []:
            g = node_of_file.get(os.path.realpath(p))
            if g and n["id"] not in gid:
                gid[n["id"]] = g
    gdate = {n["id"]: n["date"] for n in gold["nodes"]}
    planted = {(e["parent"], e["child"]) for e in gold["edges"] if e["kind"] in ("reuse", "both")}
    planted_pairs = {frozenset(p): p for p in planted}
    reuse = [e for e in graph["edges"] if e["kind"] == "reuse"]
    no_date = [
        e
        for e in reuse
        if e["direction"] == "uncertain"
        and not any(x["kind"] == "date" and x["favours"] for x in e["direction_evidence"])
    ]
    established = [e for e in reuse if e["direction"] == "established"]
    against = [
        e
        for e in established
        if e["source"] in gid and e["target"] in gid and gdate[gid[e["source"]]] > gdate[gid[e["target"]]]
    ]
    right = wrong = uncertain = 0
    for e in reuse:
        pair = frozenset((gid.get(e["source"]), gid.get(e["target"])))
        if pair not in planted_pairs:
            continue
        if e["direction"] != "established":
            uncertain += 1
        elif (gid[e["source"]], gid[e["target"]]) == planted_pairs[pair]:
            right += 1
        else:
            wrong += 1
    dated = [n for n in graph["nodes"] if not n.get("external")]
    return {
        "reuse_edges": len(reuse),
        "uncertain": len([e for e in reuse if e["direction"] == "uncertain"]),
        "uncertain_no_date": len(no_date),
        "uncertain_no_date_pct": round(100 * len(no_date) / max(1, len(reuse)), 1),
        "established": len(established),
        "established_against_dates": len(against),
        "established_against_dates_pct": round(100 * len(against) / max(1, len(established)), 1),
        "direction": {
            "planted_found": right + wrong + uncertain,
            "planted": len(planted),
            "right": right,
            "wrong": wrong,
            "uncertain": uncertain,
            "accuracy": round(right / max(1, right + wrong), 3),
            "right_share": round(right / max(1, right + wrong + uncertain), 3),
        },
        "date_kinds": {
            k: sum(1 for n in dated if n.get("date_kind") == k)
            for k in ("given", "signed", "published", "estimated", None)
        },
    }


def run(root: Path, docs: int, seed: int, jobs: int) -> dict:
    from bench.generate import generate

    out = root / f"direction{docs}-s{seed}"
    if not (out / "gold.json").exists():
        generate("lineage", out, seed=seed, docs=docs, jobs=jobs)
    gold = load_gold(out)
    with tempfile.TemporaryDirectory(dir=root) as tmp:
        bodies, meta, files = bodies_from_generated(gold, out, tmp)
        by_body = {os.path.realpath(p): nid for nid, p in files.items()}
        by_full = {os.path.realpath(out / n["file"]): n["id"] for n in gold["nodes"]}
        row: dict = {"docs": docs, "seed": seed}
        for name, paths, sc, node_of in (
            ("bodies", [bodies], None, by_body),
            ("bodies+sidecar", [bodies], meta, by_body),
            ("full", [str(out / "docs")], None, by_full),
        ):
            g, info = build(paths, os.path.join(tmp, f"{name}.db"), jobs, sc)
            row[name] = {**score(g, gold, node_of), **info}
    return row


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=200)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--root", type=Path, default=Path(tempfile.gettempdir()) / "lineage-bench-direction")
    ap.add_argument("--json", type=Path)
    a = ap.parse_args(argv)
    a.root.mkdir(parents=True, exist_ok=True)
    row = run(a.root, a.docs, a.seed, a.jobs)
    print(json.dumps(row, ensure_ascii=False, indent=1), flush=True)
    if a.json:
        a.json.write_text(json.dumps(row, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
