#!/usr/bin/env python3
"""`lineage serve`: page latency at 5,000 documents and the graph page's load in Chromium at 1,000 (prints, never asserts).

    python bench/bench_serve.py [--docs 5000] [--graph-docs 1000] [--root DIR] [--seed 1]
                                [--db5000 DB] [--db1000 DB] [--rounds 20] [--json OUT]

Data: ``bench/generate.py lineage --docs N`` ingested and its graph built
(``lineage graph``), unless a database holding them is given (--db5000,
--db1000).  A real ``lineage serve`` process on a free port answers real
HTTP requests (urllib, one at a time, as one person browsing):

* ``list``: the document list, sorted by date, descending, filtered by a
  province and by a date range, a page in the middle; ``list_json``: the same
  from /api/documents; ``list_title``: a title search;
* ``document``: document pages of random documents (the graph's passages
  highlighted, each linked to its pair);
* ``pair``: pair pages of random reuse edges (passages side by side, diffs);
* ``search``: clause search and diffusion of sentences taken from random
  documents (the search index open in the server: the first search, which
  opens or builds it, is measured apart as ``search_first``);
* ``graph_data``: /api/graph?edges=all, what the graph page loads.

Each figure is the median / p90 / max wall time over --rounds requests,
after one request of each kind to warm up.  Peer in the same run, on the
same database: the static report's renderer making the same document page
(:func:`lineage.report.pages.document_page` and the template, without the
pipeline's stages), which a static site pays once per document at build time.

The graph page in headless Chromium at --graph-docs documents: time from
navigation to the drawing (cytoscape ready, every node placed), median of 5
loads; peer: the static report's SVG drawing of the same graph (its page
without the interactive view: above 150 nodes it draws the 40 strongest
edges and their documents), opened from file://, to its load event.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))


def stats(xs: list[float]) -> dict[str, float]:
    xs = sorted(xs)
    return {
        "median": round(statistics.median(xs), 4),
        "p90": round(xs[int(0.9 * (len(xs) - 1))], 4),
        "max": round(xs[-1], 4),
        "n": len(xs),
    }


def timed_get(url: str) -> tuple[float, int]:
    t = time.perf_counter()
    with urllib.request.urlopen(url, timeout=120) as r:
        body = r.read()
    return time.perf_counter() - t, len(body)


def build_db(root: Path, docs: int, seed: int) -> str:
    from bench.generate import generate

    out = root / f"lineage{docs}"
    db = root / f"lineage{docs}.db"
    if not db.exists():
        generate("lineage", out, seed=seed, docs=docs)
        subprocess.run(
            [sys.executable, "-m", "lineage", "graph", str(out), "--db", str(db), "-q"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return str(db)


def latency(db: str, rounds: int, seed: int) -> dict:
    from serve_fixtures import served

    from lineage.report.data import Catalog
    from lineage.report.pages import document_page
    from lineage.report.render import render
    from lineage.store import Store

    rnd = random.Random(seed)
    out: dict = {}
    with served(db) as (base, _):
        docs = json.loads(urllib.request.urlopen(base + "/api/documents?per=500").read())
        total = docs["documents"]
        t, graph_bytes = timed_get(base + "/api/graph?edges=all")
        graph = json.loads(urllib.request.urlopen(base + "/api/graph?edges=all").read())
        shas = []
        for p in range(1, 4):
            shas += [
                r["sha256"]
                for r in json.loads(urllib.request.urlopen(base + f"/api/documents?per=500&page={p}").read())["rows"]
            ]
        provinces = sorted({n["province"] for n in graph["nodes"] if n["province"] not in (None, "national")})
        edges = graph["edges"]
        with Store(db, create=False) as store:
            texts = []
            for sha in rnd.sample(shas, rounds):
                d = store.load(sha)
                body = [u for u in d.block_units if u.part == "body" and u.kind == "paragraph"]
                if body:
                    u = rnd.choice(body)
                    texts.append(d.text[u.span[0] : u.span[1]].strip()[:40])
        kinds = {
            "list": lambda i: (
                f"{base}/?sort=date&dir=desc&province={urllib.parse.quote(rnd.choice(provinces))}"
                f"&from=2015&to=2022&page=2"
            ),
            "list_json": lambda i: f"{base}/api/documents?sort=date&dir=desc&level=city&page={1 + i % 5}",
            "list_title": lambda i: f"{base}/?q={urllib.parse.quote('行动计划')}&sort=title",
            "document": lambda i: f"{base}/doc/{rnd.choice(shas)}",
            "pair": lambda i: (lambda e: f"{base}/pair/{e['source']}/{e['target']}")(rnd.choice(edges)),
            "graph_data": lambda i: f"{base}/api/graph?edges=all",
            "graph_page": lambda i: f"{base}/graph",
        }
        t_first, _ = timed_get(f"{base}/search?q={urllib.parse.quote(texts[0])}")
        out["search_first_s"] = round(t_first, 3)
        kinds["search"] = lambda i: f"{base}/search?q={urllib.parse.quote(texts[i % len(texts)])}"
        for name, make in kinds.items():
            timed_get(make(0))  # warm
            out[name] = stats([timed_get(make(i))[0] for i in range(rounds)])
        out["documents"] = total
        out["graph_nodes"], out["graph_edges"], out["graph_mb"] = (
            len(graph["nodes"]),
            len(edges),
            round(graph_bytes / 1e6, 2),
        )
    # the peer: the static report renders the same document page (all it needs loaded: the document)
    with Store(db, create=False) as store:
        times = []
        for sha in rnd.sample(shas, rounds):
            t = time.perf_counter()
            d = store.load(sha)
            cat = Catalog([d], {d.sha256: [d.path]})
            render("document.html.j2", document_page(cat, sha), root="../")
            times.append(time.perf_counter() - t)
        out["peer_static_document_render"] = stats(times)
    return out


def graph_load(db: str, loads: int = 5) -> dict:
    from browser.conftest import ARGS, CHROMIUM
    from playwright.sync_api import sync_playwright
    from serve_fixtures import served

    from lineage.explore.diffusion import cached_graph
    from lineage.report.data import Catalog
    from lineage.report.pages import graph_page
    from lineage.report.render import render, static_text
    from lineage.store import Store

    tmp = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    with Store(db, create=False) as store:
        g = cached_graph(store).to_dict()
        docs = [store.load(s, units=False) for s in store.shas()]
    cat = Catalog(docs, {d.sha256: [d.path] for d in docs})
    (tmp / "static").mkdir()
    for name in ("report.css", "report.js"):
        (tmp / "static" / name).write_text(static_text(name), encoding="utf-8")
    peer = graph_page(cat, g)
    peer.view = None  # the static report's own drawing (SVG), without the interactive view it now also carries
    (tmp / "graph.html").write_text(render("graph.html.j2", peer), encoding="utf-8")
    out: dict = {"nodes": len(g["nodes"]), "reuse_edges": sum(e["kind"] == "reuse" for e in g["edges"])}
    try:
        with sync_playwright() as p, served(db) as (base, _):
            b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            serve_t, static_t = [], []
            for _ in range(loads):
                page = b.new_page(viewport={"width": 1280, "height": 900})
                t = time.perf_counter()
                page.goto(base + "/graph")
                page.wait_for_selector("#cy[data-ready]", timeout=60000)
                serve_t.append(time.perf_counter() - t)
                out["drawn_serve"] = int(page.get_attribute("#cy", "data-nodes"))
                page.close()
                page = b.new_page(viewport={"width": 1280, "height": 900})
                t = time.perf_counter()
                page.goto((tmp / "graph.html").as_uri())
                page.wait_for_load_state("load")
                static_t.append(time.perf_counter() - t)
                out["drawn_static"] = page.locator("svg.graph circle").count()
                page.close()
            b.close()
        out["serve_graph_page_s"] = stats(serve_t)
        out["static_graph_page_s"] = stats(static_t)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=5000)
    ap.add_argument("--graph-docs", type=int, default=1000)
    ap.add_argument("--root", default=None, help="folder for generated data (default: a temporary one)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--db5000", default=None, help="a database with the --docs corpus and its graph")
    ap.add_argument("--db1000", default=None, help="a database with the --graph-docs corpus and its graph")
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--json", default=None)
    a = ap.parse_args()
    root = Path(a.root or tempfile.mkdtemp(prefix="bench-serve-data-"))
    root.mkdir(parents=True, exist_ok=True)
    res = {"load_average": [round(x, 2) for x in os.getloadavg()[:2]]}
    db = a.db5000 or build_db(root, a.docs, a.seed)
    res["latency"] = latency(db, a.rounds, a.seed)
    gdb = a.db1000 or build_db(root, a.graph_docs, a.seed)
    res["graph_load"] = graph_load(gdb)
    print(json.dumps(res, indent=1, ensure_ascii=False))
    if a.json:
        Path(a.json).write_text(json.dumps(res, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
