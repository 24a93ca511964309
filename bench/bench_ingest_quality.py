"""Ingest quality against the generator's gold: bodies, parts and metadata of scraped copies.

    python bench/bench_ingest_quality.py [--mb 20] [--seed 3] [--data DIR]

For every generated copy, the body lineage extracts is compared with the
clean text of its version (bench/generate.py scraped --canonical), with
punctuation and whitespace removed on both sides (the generator's `bare`):

* body exact: the extracted body is exactly the version's body (copies
  without truncation or typos; with them, exact is impossible by design);
* body precision / recall: characters of the extracted body that belong to
  the clean body, and of the clean body that were extracted (matching
  blocks of difflib over the bare texts);
* parts: a news lede is marked `wrapper` iff the copy has one, the notice is
  marked `notice` iff the copy includes it;
* metadata: title, signed date and 文号 (copies with the notice), and
  jurisdiction name and level.

Results are printed and written to bench/results/ingest_quality.json.
"""

from __future__ import annotations

import argparse
import collections
import difflib
import json
import os
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from bench.textops import bare  # noqa: E402
from lineage.ingest.normalize import fold  # noqa: E402
from lineage.ingest.pipeline import ingest_paths  # noqa: E402
from lineage.store import Store  # noqa: E402


def data(mb: int, seed: int, folder: str | None) -> str:
    from bench.generate import generate

    out = folder or os.path.join(tempfile.gettempdir(), f"lineage-bench-quality-{mb}mb-s{seed}")
    if not os.path.exists(os.path.join(out, "gold.json")):
        generate("scraped", out, seed=seed, mb=mb, canonical=True)
    return out


def clean_body(text: str, title: str, has_notice: bool) -> str:
    """The body of a canonical text: what follows its title line."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if bare(line) == bare(title):
            return "\n".join(lines[i + 1 :])
    return text if not has_notice else "\n".join(lines[1:])


def overlap(a: str, b: str) -> int:
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return sum(m.size for m in sm.get_matching_blocks())


def ratio(hits: int, total: int) -> float:
    return round(hits / total, 4) if total else 1.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=int, default=20)
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--data")
    args = ap.parse_args()
    folder = data(args.mb, args.seed, args.data)
    gold = json.load(open(os.path.join(folder, "gold.json"), encoding="utf-8"))
    versions = {v["version"]: (f, v) for f in gold["families"] for v in f["versions"]}
    db = tempfile.mktemp(suffix=".db")
    t = time.perf_counter()
    with Store(db) as store:
        report = ingest_paths([os.path.join(folder, "docs")], store)
        seconds = time.perf_counter() - t
        c: collections.Counter = collections.Counter()
        worst: list[tuple[float, str, str]] = []
        prec_hits = prec_total = rec_hits = rec_total = 0
        for entry in gold["files"]:
            path = os.path.join(folder, entry["file"])
            sha = report.paths.get(path)
            if sha is None:
                c["unread"] += 1
                continue
            doc = store.load(sha)
            fam, ver = versions[entry["version"]]
            tr = {x.split(":")[0] for x in entry["transformations"]}
            canon = open(os.path.join(folder, "canonical", entry["version"] + ".txt"), encoding="utf-8").read()
            want = bare(clean_body(canon, ver["title"], ver["has_notice"]))
            got = bare("".join(u.text for u in doc.blocks(("body", "attachment"))))
            c["files"] += 1
            if not tr & {"truncated", "typos"}:
                c["exact_eligible"] += 1
                c["exact"] += got == want
            hits = overlap(got, want) if got != want else len(got)
            prec_hits += hits
            prec_total += len(got)
            rec_total += len(want)
            rec_hits += hits if "truncated" not in tr else min(hits, len(got))
            if got != want and not tr & {"truncated", "typos"}:
                worst.append((hits / max(len(want), 1), entry["file"], ",".join(sorted(tr))))
            parts = {u.part for u in doc.blocks(parts=None)}
            c["lede"] += "lede" in tr
            c["lede_found"] += ("wrapper" in parts) and "lede" in tr
            c["wrapper_false"] += ("wrapper" in parts) and "lede" not in tr
            c["notice"] += "notice" in tr
            c["notice_found"] += ("notice" in parts) and "notice" in tr
            c["notice_false"] += ("notice" in parts) and "notice" not in tr
            c["title_ok"] += bool(doc.title) and bare(doc.title) == bare(ver["title"])
            if "notice" in tr:
                c["signed"] += 1
                c["date_ok"] += doc.date == ver["date"] and doc.date_kind == "signed"
                if ver.get("docno"):
                    c["docno"] += 1
                    c["docno_ok"] += doc.doc_number == fold(ver["docno"])
            j = doc.jurisdiction
            c["jur_ok"] += bool(j) and j.name == fam["jurisdiction"]
            c["level_ok"] += bool(j) and j.level == fam["level"]
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    n = c["files"]
    result = {
        "benchmark": "ingest_quality",
        "files": n,
        "seconds": round(seconds, 1),
        "unread": c["unread"],
        "body_exact": ratio(c["exact"], c["exact_eligible"]),
        "body_exact_of": c["exact_eligible"],
        "body_char_precision": ratio(prec_hits, prec_total),
        "body_char_recall": ratio(rec_hits, rec_total),
        "lede_recall": ratio(c["lede_found"], c["lede"]),
        "wrapper_false_positives": c["wrapper_false"],
        "notice_recall": ratio(c["notice_found"], c["notice"]),
        "notice_false_positives": c["notice_false"],
        "title": ratio(c["title_ok"], n),
        "signed_date": ratio(c["date_ok"], c["signed"]),
        "doc_number": ratio(c["docno_ok"], c["docno"]),
        "jurisdiction": ratio(c["jur_ok"], n),
        "jurisdiction_level": ratio(c["level_ok"], n),
        "worst_bodies": [{"file": f, "recall": round(r, 3), "transformations": t} for r, f, t in sorted(worst)[:8]],
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))
    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    with open(os.path.join(HERE, "results", "ingest_quality.json"), "w", encoding="utf-8") as f:
        json.dump(result, f, ensure_ascii=False, indent=2)


if __name__ == "__main__":
    main()
