#!/usr/bin/env python3
"""`lineage search` against generated corpora with planted variants, and a naive scan in the same run (prints, never asserts).

    python bench/bench_search.py [--sizes 100,1000,5000] [--root DIR] [--seed 1] [--queries 8] [--cold 3]
                                 [--json OUT]   (rows of other sizes already in OUT are kept)

For each size N: ``bench/generate.py lineage --docs N`` (plans derived from
plans, localized and edited, scraped duplicate copies), plus planted files:
for each query, three host documents of the corpus (chosen so that they do
not already hold the query) get one new paragraph holding a variant of it,
made by the generator's own text operations (``bench/textops.py``, which
never imports lineage):

* ``sentence`` queries (a corpus sentence of 20-80 characters), planted
  ``identical``, ``localized`` (``swap_jur`` to another jurisdiction) and
  ``reworded`` (two synonyms swapped, or a modifier inserted);
* ``clause`` queries (10 characters cut from a sentence at a clause start),
  planted inside their whole sentence, identical, localized and reworded
  outside the clause;
* ``paragraph`` queries (three consecutive sentences, 80+ characters),
  planted identical, localized and reworded.

Everything is ingested into a fresh database (fingerprints computed in
ingest's workers) and deduplicated (so hits group copies into versions, as
after ``lineage dedup`` or ``lineage graph``), the search index built
(``index_build_s``: the uncapped index from the cached fingerprints, and
every document's atom texts, in worker processes), then for every query:

* ``lineage``: :func:`lineage.explore.search.search` with an open
  :class:`~lineage.explore.search_index.SearchIndex` (what a server does), the
  CLI's default ``--limit 50``; latency median / p90 / max over the queries;
* ``cold_cli_s``: ``lineage search Q --db DB --json`` as a new process
  (interpreter, imports, index load, jieba for the diffs), on --cold queries;
* ``naive``: rapidfuzz ``process.extract`` with ``fuzz.partial_ratio`` of
  the query over every sentence of the corpus (lineage's own sentence split,
  given to the peer for free), score cutoff 80, one core like lineage;
* recall on the planted variants: a planted occurrence counts as found by
  lineage when a hit lists a match in its file overlapping its span
  (``span_exact``: the span is exactly the planted one), by the naive scan
  when a sentence of its file scores 80 or more; by kind of query and of
  variant;
* ``agreement``: of the documents where the naive scan finds a sentence
  holding the query (partial_ratio 90 or more, the sentence at least 90% of
  the query's length: partial_ratio also gives 100 to a sentence that is
  only a piece of the query), the share lineage finds too; and the count of
  documents lineage finds that the naive scan does not.  Undefined for
  paragraph queries, which no single sentence holds.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import textops  # noqa: E402
from bench.gold_tools import load_gold, read_text  # noqa: E402

PEER_CUTOFF = 80
AGREE_CUTOFF = 90
KINDS = ("sentence", "clause", "paragraph")
VARIANTS = ("identical", "localized", "reworded")
CLAUSE_CHARS = 10


# -- planting ---------------------------------------------------------------------------------------


def _sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in textops.split_sentences(text)]


def _reword(text: str, rng: random.Random) -> str:
    out = textops.replace_words(text, rng, k=2)
    return out if out != text else textops.insert_modifier(text, rng)


def _variant(kind: str, base: str, clause: str | None, src: textops.Jur, rng: random.Random) -> str | None:
    """A variant of ``base``; for clause queries the clause itself is kept word for word."""
    if kind == "identical":
        return base
    others = [j for j in textops.all_jurs() if j.name != src.name and j.level != "national"]
    for _ in range(20):
        out = textops.swap_jur(base, src, rng.choice(others)) if kind == "localized" else _reword(base, rng)
        if out != base and (clause is None or clause in out):
            return out
    return None


def _query(kind: str, text: str, rng: random.Random) -> tuple[str, str, str | None] | None:
    """(query, base text to plant, clause) picked from a document's text, or None if it has none fitting."""
    lines = [ln.strip("\u3000 \t\r") for ln in text.split("\n")]
    lines = [ln for ln in lines if len(ln) >= 20 and ln[-1] in "。；"]
    rng.shuffle(lines)
    for ln in lines:
        sents = [s for s in _sentences(ln) if not textops.OUTLINE_RE.match(s)]
        if kind == "paragraph":
            for i in range(len(sents) - 2):
                para = "".join(sents[i : i + 3])
                if len(para) >= 80:
                    return para, para, None
            continue
        sents = [s for s in sents if 20 <= len(s) <= 80]
        if not sents:
            continue
        s = rng.choice(sents)
        if kind == "sentence":
            return s, s, None
        starts = [0] + [k + 1 for k, c in enumerate(s) if c in "，：；、" and k + 1 + CLAUSE_CHARS <= len(s) - 1]
        k = rng.choice(starts)
        clause = s[k : k + CLAUSE_CHARS]
        if len(clause) == CLAUSE_CHARS and not any(c in "，：；、。" for c in clause):
            return clause, s, clause
    return None


def _holds(query: str, text: str) -> bool:
    """Whether a host already holds the query or a near variant (the peer's own test)."""
    from rapidfuzz import fuzz

    q = textops.fold(query)
    return any(fuzz.partial_ratio(q, textops.fold(s)) >= PEER_CUTOFF - 10 for s in _sentences(text))


def plant(out: Path, gold: dict, seed: int, per_kind: int) -> list[dict]:
    """Write the planted files into out/planted and return the queries with the gold of each variant."""
    cached = out / "planted.json"
    if cached.exists():
        return json.loads(cached.read_text(encoding="utf-8"))
    rng = textops.rng_for(seed, "bench_search")
    node_of = {n["file"]: n for n in gold["nodes"]}
    primary = [f["file"] for f in gold["files"] if not f["copy"] and f["format"] == "txt" and f["encoding"] == "utf-8"]
    texts: dict[str, str] = {}

    def text(f: str) -> str:
        if f not in texts:
            texts[f] = read_text(out / f, "utf-8")
        return texts[f]

    (out / "planted").mkdir(exist_ok=True)
    queries = []
    for kind in KINDS:
        made = 0
        while made < per_kind:
            f = rng.choice(primary)
            got = _query(kind, text(f), rng)
            if got is None:
                continue
            query, base, clause = got
            src = textops.jur(node_of[f]["jurisdiction"])
            variants = {v: _variant(v, base, clause, src, rng) for v in VARIANTS}
            if any(x is None for x in variants.values()):
                continue
            hosts = [h for h in rng.sample(primary, min(len(primary), 12)) if h != f and not _holds(query, text(h))]
            if len(hosts) < len(VARIANTS):
                continue
            planted = []
            for v, host in zip(VARIANTS, hosts):
                body = text(host)
                nl = "\r\n" if "\r\n" in body else "\n"
                breaks = [k for k, c in enumerate(body) if c == "\n" and body[:k].rstrip("\r")[-1:] in ("。", "；")]
                at = breaks[len(breaks) // 2] + 1
                new = variants[v]
                name = f"planted/q{len(queries):03d}-{v}.txt"
                (out / name).write_text(body[:at] + new + nl + body[at:], encoding="utf-8", newline="")
                s = at + (new.index(clause) if clause else 0)
                e = s + (len(clause) if clause else len(new))
                planted.append({"variant": v, "file": name, "span": [s, e], "text": new, "host": host})
            queries.append({"id": len(queries), "kind": kind, "query": query, "from": f, "planted": planted})
            made += 1
    cached.write_text(json.dumps(queries, ensure_ascii=False, indent=1), encoding="utf-8")
    return queries


# -- running ----------------------------------------------------------------------------------------


def prepare(root: Path, n: int, seed: int, per_kind: int) -> tuple[Path, Path, list[dict], dict]:
    out = root / f"search{n}"
    if not (out / "gold.json").exists():
        from bench.generate import generate

        generate("lineage", out, seed=seed, docs=n)
    gold = load_gold(out)
    queries = plant(out, gold, seed, per_kind)
    db = out / "lineage.db"
    info: dict = {}
    from lineage.dedup.pipeline import dedup, load_result
    from lineage.explore.search_index import ATOMS_KIND, SEARCH_KIND, SearchIndex
    from lineage.graph import pipeline as graph
    from lineage.ingest.pipeline import ingest_paths
    from lineage.store import Store

    if not db.exists():
        with Store(str(db)) as store:
            t0 = time.perf_counter()
            ingest_paths([str(out / "docs"), str(out / "planted")], store, derive=graph.derive)
            info["ingest_s"] = round(time.perf_counter() - t0, 1)
    with Store(str(db)) as store:
        if load_result(store) is None:  # copies grouped into versions, as after `lineage dedup` or `lineage graph`
            t0 = time.perf_counter()
            dedup(store)
            info["dedup_s"] = round(time.perf_counter() - t0, 1)
        # the search index from the cached fingerprints, as the first `lineage search` builds it
        with store.transaction():
            store.drop_cache(kind=SEARCH_KIND)
            store.drop_cache(kind=ATOMS_KIND)
        t0 = time.perf_counter()
        SearchIndex.open(store)
        info["index_build_s"] = round(time.perf_counter() - t0, 2)
        info["documents"] = store.count()
        info["index_mb"] = round(len(store.get_cache(SEARCH_KIND, "corpus")) / 2**20, 1)
        info["atoms_mb"] = round(sum(len(b) for _, b in store.caches(ATOMS_KIND)) / 2**20, 1)
    info["corpus_mb"] = round(sum(p.stat().st_size for p in (out / "docs").iterdir()) / 2**20, 1)
    return out, db, queries, info


def run_size(root: Path, n: int, seed: int, per_kind: int, cold: int) -> dict:
    from rapidfuzz import fuzz, process

    from lineage.align.index import atom_texts
    from lineage.explore.search import search
    from lineage.explore.search_index import SearchIndex
    from lineage.store import Store

    out, db, queries, info = prepare(root, n, seed, per_kind)
    load = [os.getloadavg()[0]]  # the machine is shared: timings mean little without it
    rows = []
    with Store(str(db)) as store:
        sidx = SearchIndex.open(store)
        search(store, queries[0]["query"], index=sidx, limit=50)  # jieba, caches
        # the peer's corpus: every sentence of every document, with the files holding it
        t0 = time.perf_counter()
        choices, owner = [], []
        for sha in store.shas():
            for a in atom_texts(store.load(sha)):
                choices.append(a)
                owner.append(sha)
        info["peer_pool_s"] = round(time.perf_counter() - t0, 1)
        info["sentences"] = len(choices)
        sha_of = {str(Path(p).resolve()): sha for p, sha in store.files()}
        for q in queries:
            t0 = time.perf_counter()
            search(store, q["query"], index=sidx, limit=50)
            ours_s = time.perf_counter() - t0
            full = search(store, q["query"], index=sidx)  # every hit, for recall
            t0 = time.perf_counter()
            peer = process.extract(
                textops.fold(q["query"]), choices, scorer=fuzz.partial_ratio, score_cutoff=PEER_CUTOFF, limit=None
            )
            peer_s = time.perf_counter() - t0
            peer_docs = {owner[k] for _, _, k in peer}
            # documents with a sentence that holds the whole query (or a close variant): partial_ratio also
            # scores 100 for a sentence that is only a part of the query, which is not "holding" it
            need = 0.9 * len(textops.fold(q["query"]))
            peer_strong = {owner[k] for _, sc, k in peer if sc >= AGREE_CUTOFF and len(choices[k]) >= need}
            spans = {c.sha256: [m.span for m in c.matches] for h in full.hits for c in h.copies if c.matches}
            found = []
            for p in q["planted"]:
                sha = sha_of[str((out / p["file"]).resolve())]
                s, e = p["span"]
                ours = [sp for sp in spans.get(sha, []) if sp[0] < e and s < sp[1]]
                found.append(
                    {
                        "variant": p["variant"],
                        "lineage": bool(ours),
                        "span_exact": any(tuple(sp) == (s, e) for sp in ours),
                        "naive": sha in peer_docs,
                    }
                )
            rows.append(
                {
                    "kind": q["kind"],
                    "chars": len(q["query"]),
                    "lineage_s": ours_s,
                    "naive_s": peer_s,
                    "hits": full.total,
                    "found": found,
                    "peer_strong": len(peer_strong),
                    "agree": len(peer_strong & set(spans)),
                    "lineage_only": len(set(spans) - peer_docs),
                }
            )
    colds = []
    for q in queries[:: max(1, len(queries) // max(cold, 1))][:cold]:
        t0 = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "lineage", "search", q["query"], "--db", str(db), "--json", "--quiet"],
            capture_output=True,
            text=True,
            cwd=str(ROOT),
        )
        colds.append(time.perf_counter() - t0)
        if proc.returncode not in (0, 1):
            raise SystemExit(proc.stderr)
    load.append(os.getloadavg()[0])
    info["load_average"] = [round(x, 2) for x in load]
    return summarize(n, info, rows, colds)


def summarize(n: int, info: dict, rows: list[dict], colds: list[float]) -> dict:
    def lat(xs: list[float]) -> dict:
        xs = sorted(xs)
        return {
            "median": round(statistics.median(xs), 3),
            "p90": round(xs[int(0.9 * (len(xs) - 1))], 3),
            "max": round(xs[-1], 3),
        }

    def recall(sel: list[dict], who: str) -> float | None:
        return round(sum(f[who] for f in sel) / len(sel), 3) if sel else None

    planted = [f for r in rows for f in r["found"]]
    ours = lat([r["lineage_s"] for r in rows])
    naive = lat([r["naive_s"] for r in rows])
    by: dict = {}
    for kind in KINDS:
        for v in VARIANTS:
            sel = [f for r in rows if r["kind"] == kind for f in r["found"] if f["variant"] == v]
            by[f"{kind}/{v}"] = {"lineage": recall(sel, "lineage"), "naive": recall(sel, "naive")}
        kr = [r for r in rows if r["kind"] == kind]
        by[kind] = {
            "lineage_s": lat([r["lineage_s"] for r in kr]),
            "naive_s": lat([r["naive_s"] for r in kr]),
            "hits_median": statistics.median(r["hits"] for r in kr),
        }
    for kind in KINDS:
        kr = [r for r in rows if r["kind"] == kind]
        strong_k = sum(r["peer_strong"] for r in kr)
        by[kind]["agreement"] = round(sum(r["agree"] for r in kr) / strong_k, 3) if strong_k else None
    strong = sum(r["peer_strong"] for r in rows)
    return {
        "docs": n,
        **info,
        "queries": len(rows),
        "lineage_s": ours,
        "naive_s": naive,
        "naive_over_lineage": round(naive["median"] / ours["median"], 1),
        "cold_cli_s": [round(c, 2) for c in colds],
        "recall": {
            "lineage": recall(planted, "lineage"),
            "naive": recall(planted, "naive"),
            "span_exact": recall([f for f in planted if f["lineage"]], "span_exact"),
            "planted": len(planted),
        },
        "agreement": {
            "naive_docs_at_90": strong,
            "found_by_lineage": round(sum(r["agree"] for r in rows) / strong, 3) if strong else None,
            "lineage_only_docs": sum(r["lineage_only"] for r in rows),
        },
        "by_kind": by,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="100,1000,5000")
    ap.add_argument("--root", type=Path, default=Path(tempfile.gettempdir()) / "lineage-bench-search")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--queries", type=int, default=8, help="queries of each kind (sentence, clause, paragraph)")
    ap.add_argument("--cold", type=int, default=3, help="queries run as a new `lineage search` process")
    ap.add_argument("--json", type=Path)
    a = ap.parse_args(argv)
    a.root.mkdir(parents=True, exist_ok=True)
    # results of other sizes already in --json are kept: one size can be measured again on its own
    kept = json.loads(a.json.read_text(encoding="utf-8")) if a.json and a.json.exists() else []
    for n in (int(x) for x in a.sizes.split(",")):
        row = run_size(a.root, n, a.seed, a.queries, a.cold)
        print(json.dumps(row, ensure_ascii=False), flush=True)
        kept = sorted([r for r in kept if r["docs"] != n] + [row], key=lambda r: r["docs"])
        if a.json:
            a.json.write_text(json.dumps(kept, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
