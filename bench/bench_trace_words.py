#!/usr/bin/env python3
"""What a trace calls each document it lists, against the gold lineage (prints, never asserts).

    python bench/bench_trace_words.py [--docs 200] [--seeds 17] [--root DIR] [--json OUT]

A generated lineage corpus (``bench/generate.py lineage``: planted reuse chains with gold parents) is
ingested twice, as in ``bench_direction.py``: ``full`` (the generated files, notices and dates) and
``bodies`` (each node's text after its title line: no notice, dates estimated from the years the text
names, places guessed from its body).  Every node with a gold parent is traced against each database
(the trace leaves out its own file and its copies); each document listed with text of the target's own (not
``formulaic_only``) is the target's gold *ancestor* (a parent, or a parent's ancestor), its
*descendant*, or *other* (a sibling, a cousin, a document sharing pool text), and is tallied by what
the trace says of it: ``source`` or ``shares text`` (``lineage.graph.traced``).  ``LINEAGE_SRC`` runs
another checkout's lineage; one without directions calls every listed document a source.

What to read: a descendant called ``source`` says the text went the wrong way (target 0); an ancestor
called ``shares text`` is one the evidence could not establish (dates estimated, places guessed).
``attributed_chars``: the target characters (not formulaic) each match gives to an ancestor, a
descendant or another document: attribution's choice among the documents holding the text.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, os.environ.get("LINEAGE_SRC") or str(ROOT))
sys.path.insert(1, str(ROOT))

from bench.bench_direction import bodies_from_generated  # noqa: E402
from bench.gold_tools import load_gold, reachable  # noqa: E402


def _relation(node: str | None, target: str, up: set[str], parents: dict[str, set[str]]) -> str:
    """What the gold lineage makes ``node`` of the target: its ancestor, its descendant, or other."""
    if node in up:
        return "ancestor"
    return "descendant" if node and target in reachable(parents, node) else "other"


def run(root: Path, docs: int, seed: int) -> dict:
    from bench.generate import generate
    from lineage.align import index as ngram_index

    try:
        from lineage.graph.traced import trace
    except ImportError:  # a checkout from before the words: every listed document a source
        from lineage.align.trace import trace  # type: ignore[no-redef]
    from lineage.ingest.pipeline import ingest_paths, load_file
    from lineage.store import Store

    out = root / f"direction{docs}-s{seed}"
    if not (out / "gold.json").exists():
        generate("lineage", out, seed=seed, docs=docs)
    gold = load_gold(out)
    parents: dict[str, set[str]] = defaultdict(set)
    for e in gold["edges"]:
        if e["kind"] in ("reuse", "both"):
            parents[e["child"]].add(e["parent"])
    row: dict = {"docs": docs, "seed": seed}
    with tempfile.TemporaryDirectory(dir=root) as tmp:
        bodies, _meta, files = bodies_from_generated(gold, out, tmp)
        full_of = {os.path.realpath(out / f["file"]): f["node"] for f in gold["files"]}
        full_of.update({os.path.realpath(out / n["file"]): n["id"] for n in gold["nodes"]})
        settings = (
            ("full", [str(out / "docs")], {n["id"]: str(out / n["file"]) for n in gold["nodes"]}, full_of),
            ("bodies", [bodies], files, {os.path.realpath(p): nid for nid, p in files.items()}),
        )
        for name, paths, targets, node_of in settings:
            listed: Counter = Counter()
            top: Counter = Counter()
            chars: Counter = Counter()
            t0 = time.perf_counter()
            with Store(os.path.join(tmp, f"{name}.db")) as store:
                ingest_paths(paths, store, derive=ngram_index.derive)
                index = ngram_index.Index.open(store)
                traced = 0
                for nid, path in sorted(targets.items()):
                    if not parents[nid]:
                        continue
                    traced += 1
                    res = trace(load_file(path), index, store).to_dict()
                    up = reachable(parents, nid)
                    for m in res["matches"]:
                        if not m["formulaic"]:
                            chars[_relation(node_of.get(os.path.realpath(m["source"])), nid, up, parents)] += m["chars"]
                    first = True
                    for s in res["sources"]:
                        if s.get("formulaic_only"):
                            continue
                        rel = _relation(node_of.get(os.path.realpath(s["path"])), nid, up, parents)
                        says = (s.get("direction") or {}).get("says", "source")
                        listed[f"{says}|{rel}"] += 1
                        if first:
                            top[f"{says}|{rel}"] += 1
                            first = False
            row[name] = {
                "targets": traced,
                "listed": dict(sorted(listed.items())),
                "largest": dict(sorted(top.items())),
                "attributed_chars": dict(sorted(chars.items())),
                "seconds": round(time.perf_counter() - t0, 1),
            }
    return row


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=200)
    ap.add_argument("--seeds", default="17")
    ap.add_argument("--root", type=Path, default=Path(tempfile.gettempdir()) / "lineage-bench-trace-words")
    ap.add_argument("--json", type=Path)
    a = ap.parse_args(argv)
    a.root.mkdir(parents=True, exist_ok=True)
    rows = [run(a.root, a.docs, int(s)) for s in a.seeds.split(",")]
    text = json.dumps({"runs": rows}, ensure_ascii=False, indent=1)
    print(text)
    if a.json:
        a.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
