#!/usr/bin/env python3
"""Trace speed and quality against generated corpora of growing size (prints, never asserts).

    python bench/bench_trace.py [--sizes 100,1000,5000] [--root DIR] [--seeds 1] [--repeat 3]
                                [--peer-sample 60] [--peer-full-max 1000] [--siblings K]
                                [--target-chars 20000] [--json OUT]

**Clean setting** (default): for each size N and seed, ``bench/generate.py
trace --docs N`` (a corpus of N documents plus duplicate copies, and a
target of about 20,000 characters (``--target-chars``) taken from 3-6 of them), ingested into a
fresh database with the n-gram fingerprints computed in ingest's workers,
then the index built once.  Reported:

* ``index_build_s``: building the corpus index from cached fingerprints;
* ``trace_cold_s``: ``lineage trace TARGET --db DB --json`` as a new process
  (interpreter start, imports, jieba's dictionary, ingesting the target,
  index load, retrieval, alignment, JSON) -- what a user waits for;
* ``trace_warm_s``: the library call ``trace(doc, Index.load(store), store)``
  in a process that has traced before (best of --repeat), with its parts;
* ``naive_s``: the naive peer, rapidfuzz ``process.extractOne`` of every target
  sentence over every corpus sentence (``fuzz.ratio``, cutoff 80), timed on
  --peer-sample target sentences and scaled to all of them;
* quality against the gold provenance (recall, precision, relation
  accuracy; see bench_align.py), for lineage and for the naive peer (peer
  quality where the peer was run on every sentence: up to --peer-full-max documents),
  three ways: ``quality`` credits a match from any of a gold sentence's ``also_in``
  files (other corpus files holding the same source sentence, at their own
  span), ``quality_origin`` not from the files derived from the gold source
  (its copies: descendants and siblings), ``quality_strict`` only from the
  gold source file itself; and ``quality_corrected``: origin scoring against
  the corrected gold (see the crowded setting; here too, as ``also_in`` stops
  at 20 files and an ancestor of the source holding the sentence word for
  word -- where the text first appeared -- is often past the cut).

**Crowded setting** (``--siblings K``): ``generate.py trace --siblings K``: the
target is a city plan derived from a provincial plan of its province, with
passages of 2-4 other documents, and every source has K siblings (other
plans derived from it, in ``siblings/``).  The same target is traced in two
databases: ``clean`` (``docs/``) and ``crowded`` (``docs/`` and
``siblings/``), lineage and the naive peer in the same run, scored against
the origin (``quality_origin``: a sibling holding the same sentence is not
the origin), and against the corrected gold (``quality_corrected``: origin
scoring that also credits the files not derived from the source that hold
the text the target took -- the generator's originals draw paragraphs from
one pool, so an unrelated original often holds it word for word; see
``kind_trace.same_text_holders``).  A third database, ``crowded-later``, holds
the same documents as ``crowded`` the way a researcher's grows: the clean one,
indexed, then the siblings ingested, so the trace goes through the index's
delta (lineage only; its figures should be ``crowded``'s).  No cold CLI runs here.

``LINEAGE_SRC=/path/to/checkout`` measures that checkout's lineage (main, for
the figures before a change) with this tree's generator and scorer; every row
records the commit measured (``lineage_commit``).
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import bench  # noqa: E402, F401  (this tree's bench: its modules are imported from here whatever LINEAGE_SRC says)

# the lineage measured: this tree's, or another checkout's (LINEAGE_SRC=/path/to/main for the figures before a
# change), scored by this tree's bench either way; before bench_align, which imports lineage
SRC = Path(os.environ.get("LINEAGE_SRC") or ROOT)
if SRC != ROOT:
    sys.path.insert(0, str(SRC))

from bench.bench_align import peer_pool, peer_search, score_pair, summarize  # noqa: E402
from bench.gold_tools import load_gold, read_text  # noqa: E402


def commit_of(path: Path) -> str | None:
    """The checkout's commit (and ``+dirty`` with uncommitted changes), for the rows."""
    try:
        head = subprocess.run(["git", "-C", str(path), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
        dirty = subprocess.run(
            ["git", "-C", str(path), "status", "--porcelain", "-uno"], capture_output=True, text=True
        )
    except OSError:
        return None
    return (head.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")) or None


class _Texts(dict):
    """Gold texts by relative file name, read on first use."""

    def __init__(self, root: Path, encodings: dict[str, str]) -> None:
        super().__init__()
        self.root, self.encodings = root, encodings

    def __missing__(self, key: str) -> str:
        text = read_text(self.root / key, self.encodings.get(key, "utf-8"))
        self[key] = text
        return text


TARGET_CHARS = 20000  # the generated target's size unless --target-chars says otherwise


def prepare(
    root: Path,
    n: int,
    seed: int,
    siblings: int = 0,
    settings: tuple[tuple[str, tuple[str, ...]], ...] = (("lineage", ("docs",)),),
    target_chars: int = TARGET_CHARS,
) -> tuple[Path, dict, dict]:
    """Generate (once) and ingest (once per setting: a database of the given folders); index info per database."""
    out = root / (
        f"trace{n}-seed{seed}"
        + (f"-t{target_chars}" if target_chars != TARGET_CHARS else "")
        + (f"-sib{siblings}" if siblings else "")
    )
    if not (out / "gold.json").exists():
        from bench.generate import generate

        t0 = time.perf_counter()
        generate("trace", out, seed=seed, docs=n, target_chars=target_chars, siblings=siblings)
        print(f"generated {n} documents in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    from lineage.align import index
    from lineage.ingest.pipeline import ingest_paths
    from lineage.store import Store

    dbs, infos = {}, {}
    for name, folders in settings:
        db = dbs[name] = out / f"{name}.db"
        info = infos[name] = {}
        if not db.exists():
            with Store(str(db)) as store:
                t0 = time.perf_counter()
                rep = ingest_paths([str(out / f) for f in folders], store, derive=index.derive)
                info["ingest_s"] = round(time.perf_counter() - t0, 1)
                info["documents"] = len(rep.documents)
        with Store(str(db)) as store:
            t0 = time.perf_counter()
            idx = index.Index.build(store)
            info["index_build_s"] = round(time.perf_counter() - t0, 2)
            info["index_postings"] = len(idx.postings)
            info["index_keys"] = len(idx.keys)
            info["documents"] = len(idx.shas)
            blob = store.get_cache(index.INDEX_KIND, index.INDEX_KEY)
            info["index_mb"] = round(len(blob) / 2**20, 1)
        info["corpus_mb"] = round(sum(p.stat().st_size for f in folders for p in (out / f).iterdir()) / 2**20, 1)
    return out, dbs, infos


def later_db(out: Path, clean: Path) -> tuple[Path, dict]:
    """The crowded database as a researcher's grows: the clean one, indexed, then the siblings ingested (traced
    through the index's delta, not a rebuilt index)."""
    import sqlite3

    from lineage.align import index
    from lineage.ingest.pipeline import ingest_paths
    from lineage.store import Store

    db = out / "crowded-later.db"
    if not db.exists():
        tmp = out / "crowded-later.db.tmp"
        tmp.unlink(missing_ok=True)
        src, dst = sqlite3.connect(clean), sqlite3.connect(tmp)
        with dst:
            src.backup(dst)
        src.close()
        dst.close()
        with Store(str(tmp)) as store:
            index.Index.open(store)  # the clean database's index, as a trace there left it
            ingest_paths([str(out / "siblings")], store, derive=index.derive)
        tmp.rename(db)
    return db, {"documents_later": len(list((out / "siblings").iterdir()))}


def naive(store, target_doc, sample: int | None) -> tuple[float, list[dict] | None, int]:
    """Time the naive peer over all corpus sentences (optionally on a sample of target sentences)."""
    from lineage.align.sides import Side

    def with_paths():
        for d in store.documents():
            paths = store.paths_of(d.sha256)
            yield d, paths[0] if paths else d.path

    pool, choices = peer_pool(with_paths())
    tgt = Side(target_doc).atoms
    todo = tgt if not sample or sample >= len(tgt) else tgt[:: max(1, len(tgt) // sample)][:sample]
    t0 = time.perf_counter()
    out = peer_search(todo, pool, choices)
    dt = (time.perf_counter() - t0) * len(tgt) / len(todo)
    return dt, (out if len(todo) == len(tgt) else None), len(choices)


class Scorer:
    """Scores JSON matches of one generated target against its gold, the three ways (see the docstring)."""

    def __init__(self, out: Path) -> None:
        gold = load_gold(out)
        self.out, self.gold = out, gold["target"]
        encodings = {f["file"]: f["encoding"] for f in gold["files"]}
        encodings.update({f["file"]: f["encoding"] for f in self.gold.get("siblings", [])})
        encodings[self.gold["file"]] = self.gold["encoding"]
        self.texts = _Texts(out, encodings)
        self.texts["target"] = read_text(out / self.gold["file"], self.gold["encoding"])
        self.key_of: dict[str, str] = {}
        # a scraped copy of a source is the same document (same version): a match from it counts
        copies: dict[str, list[str]] = {}
        for f in gold["files"]:
            if f["copy"]:
                copies.setdefault(f["node"], []).append(f["file"])
        for sent in self.gold["sentences"]:
            for ref in sent["src"]:
                extra = [{"node": ref["node"], "file": c, "copy": True} for c in copies.get(ref["node"], ())]
                if extra:
                    ref["also_in"] = ref.get("also_in", []) + extra
        # the corrected gold: also the files not derived from the source that hold the same text (kind_trace)
        # (in the clean setting too: there also_in stops at 20 files, and an ancestor of the source holding the
        # sentence word for word -- where the text first appeared -- is often past the cut)
        from bench.kind_trace import same_text_holders

        if not all("same_text" in r for s in self.gold["sentences"] for r in s["src"]):
            files = [f["file"] for f in gold["files"]] + [f["file"] for f in self.gold.get("siblings", [])]
            same_text_holders(gold, {f: self.texts[f] for f in files})  # gold written before it
        self.corrected = copy.deepcopy(self.gold)
        for sent in self.corrected["sentences"]:
            for ref in sent["src"]:
                ref["also_in"] = ref.get("also_in", []) + [
                    {"node": None, "file": f, "copy": True} for f in ref["same_text"]
                ]

    def __call__(self, matches: list[dict], keys: tuple[str, ...]) -> tuple[dict, dict, dict, dict]:
        """Figures ``keys`` of ``matches``: tolerant, origin, strict; and the whole tolerant summary."""
        for m in matches:
            if m["source"] not in self.key_of:
                self.key_of[m["source"]] = os.path.relpath(os.path.realpath(m["source"]), os.path.realpath(self.out))
        ways = [
            summarize([score_pair(self.gold, self.texts, matches, self.key_of, also_in=a, derived=d)], True)
            for a, d in ((True, True), (True, False), (False, False))
        ]
        return (*({k: w[k] for k in keys} for w in ways), ways[0])

    def corrected_origin(self, matches: list[dict], keys: tuple[str, ...]) -> dict:
        """Origin scoring against the corrected gold: a file not derived from the source holding the same text
        (``same_text``) is credited as the source is."""
        self(matches, keys)  # source keys
        w = summarize([score_pair(self.corrected, self.texts, matches, self.key_of, also_in=True, derived=False)], True)
        return {k: w[k] for k in keys}


QUALITY = ("gold_reused", "recall", "precision", "doc_precision", "relation_accuracy", "moved_accuracy")
PEER_QUALITY = ("recall", "precision", "doc_precision", "relation_accuracy")


def run_size(
    root: Path, n: int, seed: int, repeat: int, peer_sample: int, peer_full: bool, target_chars: int = TARGET_CHARS
) -> dict:
    from lineage.align.index import Index

    try:  # the trace users run (`lineage trace`): each listed document worded by the evidence
        from lineage.graph.traced import trace
    except ImportError:  # a checkout from before the wording
        from lineage.align.trace import trace  # type: ignore[no-redef]
    from lineage.ingest.pipeline import load_file
    from lineage.store import Store

    out, dbs, infos = prepare(root, n, seed, target_chars=target_chars)
    db, info = dbs["lineage"], infos["lineage"]
    score = Scorer(out)
    tgold = score.gold
    target_path = out / tgold["file"]
    # a cold trace as a user runs it (on a copy of the database, so the target is new each time)
    colds = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "c.db"
            copy.write_bytes(db.read_bytes())
            t0 = time.perf_counter()
            proc = subprocess.run(
                [sys.executable, "-m", "lineage", "trace", str(target_path), "--db", str(copy), "--json", "--quiet"],
                capture_output=True,
                text=True,
                cwd=str(SRC),
            )
            colds.append(time.perf_counter() - t0)
            if proc.returncode:
                raise SystemExit(proc.stderr)
    cold_json = json.loads(proc.stdout)
    # warm: library calls in this process
    doc = load_file(str(target_path))
    warm = []
    parts = None
    with Store(str(db)) as store:
        trace(doc, Index.load(store), store)  # jieba and caches
        for _ in range(repeat):
            t0 = time.perf_counter()
            idx = Index.load(store)
            t1 = time.perf_counter()
            res = trace(doc, idx, store)
            warm.append(time.perf_counter() - t0)
            if parts is None or warm[-1] == min(warm):
                parts = {"index_load": round(t1 - t0, 3), **{k: round(v, 3) for k, v in res.retrieval.timings.items()}}
        js = res.to_dict()
        naive_s, peer, pool = naive(store, doc, None if peer_full else peer_sample)
    ours, ours_origin, ours_strict, full = score(js["matches"], QUALITY)
    cli, _, cli_strict, _ = score(cold_json["matches"], ("recall", "precision", "relation_accuracy"))
    row = {
        "setting": "clean",
        "docs": n,
        "seed": seed,
        **info,
        "target_chars": tgold["body_chars"],
        "corpus_sentences": pool,
        "trace_cold_s": round(min(colds), 2),
        "trace_cold_runs": [round(c, 2) for c in colds],
        "trace_warm_s": round(min(warm), 3),
        "trace_warm_parts": parts,
        "naive_s": round(naive_s, 1),
        "naive_measured_on": "all" if peer_full else f"{peer_sample} sentences",
        "sources_chosen": len(res.retrieval.shas),
        "gold_sources": len(tgold["sources"]),
        "quality": ours,
        "quality_origin": ours_origin,
        "quality_corrected": score.corrected_origin(js["matches"], QUALITY),
        "quality_strict": ours_strict,
        "quality_cli": cli,
        "quality_cli_strict": cli_strict,
        "by_relation": full["by_relation"],
    }
    if peer is not None:
        row["peer_quality"], row["peer_quality_origin"], row["peer_quality_strict"], _ = score(peer, PEER_QUALITY)
        row["peer_quality_corrected"] = score.corrected_origin(peer, PEER_QUALITY)
    return row


def run_crowded(
    root: Path, n: int, seed: int, siblings: int, peer_full: bool, target_chars: int = TARGET_CHARS
) -> list[dict]:
    """The same target traced in a clean and a crowded database, with the peer in each (see the docstring)."""
    from lineage.align.index import Index

    try:  # the trace users run (`lineage trace`): each listed document worded by the evidence
        from lineage.graph.traced import trace
    except ImportError:  # a checkout from before the wording
        from lineage.align.trace import trace  # type: ignore[no-redef]
    from lineage.ingest.pipeline import load_file
    from lineage.store import Store

    out, dbs, infos = prepare(
        root, n, seed, siblings, (("clean", ("docs",)), ("crowded", ("docs", "siblings"))), target_chars
    )
    dbs["crowded-later"], infos["crowded-later"] = later_db(out, dbs["clean"])
    score = Scorer(out)
    doc = load_file(str(out / score.gold["file"]))
    rows = []
    for setting, db in dbs.items():
        with Store(str(db)) as store:
            idx = Index.load(store)
            delta = len(idx.delta.shas) if idx is not None and idx.delta is not None else 0
            t0 = time.perf_counter()
            res = trace(doc, idx or Index.open(store), store)
            warm = time.perf_counter() - t0
            naive_s, peer, pool = (
                naive(store, doc, None if peer_full else 60) if setting != "crowded-later" else (None, None, None)
            )
        tolerant, origin, strict, full = score(res.to_dict()["matches"], QUALITY)
        row = {
            "setting": {"clean": "crowded-base"}.get(setting, setting),
            "docs": n,
            "seed": seed,
            "siblings": siblings if setting != "clean" else 0,
            **infos[setting],
            "indexed_later": delta,
            "target_chars": score.gold["body_chars"],
            "corpus_sentences": pool,
            "trace_s": round(warm, 2),
            "naive_s": naive_s if naive_s is None else round(naive_s, 1),
            "sources_chosen": len(res.retrieval.shas),
            "quality_origin": origin,
            "quality_corrected": score.corrected_origin(res.to_dict()["matches"], QUALITY),
            "quality": tolerant,
            "quality_strict": strict,
            "by_relation": full["by_relation"],
        }
        if peer is not None:
            row["peer_quality_origin"], row["peer_quality"], row["peer_quality_strict"] = (
                score(peer, PEER_QUALITY)[i] for i in (1, 0, 2)
            )
            row["peer_quality_corrected"] = score.corrected_origin(peer, PEER_QUALITY)
        rows.append(row)
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="100,1000,5000")
    ap.add_argument("--root", type=Path, default=Path(tempfile.gettempdir()) / "lineage-bench-trace")
    ap.add_argument("--seeds", default="1", help="comma-separated generator seeds")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--peer-sample", type=int, default=60)
    ap.add_argument(
        "--peer-full-max",
        type=int,
        default=1000,
        help="run the naive peer on every target sentence (and score it) up to this corpus size",
    )
    ap.add_argument(
        "--siblings",
        type=int,
        default=0,
        help="the crowded setting: K siblings per source (the clean database traced beside it)",
    )
    ap.add_argument(
        "--target-chars",
        type=int,
        default=TARGET_CHARS,
        help="size of the generated target (another setting: short notices, long plans)",
    )
    ap.add_argument("--json", type=Path)
    a = ap.parse_args(argv)
    a.root.mkdir(parents=True, exist_ok=True)
    rows = []
    commit = commit_of(SRC)
    for seed in (int(x) for x in a.seeds.split(",")):
        for n in (int(x) for x in a.sizes.split(",")):
            if a.siblings:
                got = run_crowded(a.root, n, seed, a.siblings, n <= a.peer_full_max, a.target_chars)
            else:
                got = [run_size(a.root, n, seed, a.repeat, a.peer_sample, n <= a.peer_full_max, a.target_chars)]
            emit(rows, got, commit)
    save(rows, a.json)
    return 0


def emit(rows: list[dict], got: list[dict], commit: str | None) -> None:
    """Stamp each new row with the commit measured, keep it, and print it as it comes (one JSON line)."""
    for row in got:
        row["lineage_commit"] = commit
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)


def save(rows: list[dict], path: Path | None) -> None:
    """All rows as one JSON file, where ``--json`` asks for it."""
    if path:
        path.write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
