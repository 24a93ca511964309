#!/usr/bin/env python3
"""Alignment quality and speed (prints, never asserts).

    python bench/bench_align.py quality [--data DIR] [--pairs 50] [--seed 0] [--json OUT]
    python bench/bench_align.py speed [--repeat 5]

quality: generates (or reuses) ``bench/generate.py derived`` pairs, traces each
target against its two sources (A and B) with ``lineage.align.trace.trace_documents``,
and scores against the gold provenance:

* recall -- gold reused sentences (relation other than ``added``) with a match
  from the right source file whose target span covers at least half of the
  sentence (for ``partial``: of the lifted clause) and whose source span
  overlaps the gold source span (``part_src`` for ``split``, the clause for
  ``partial``; ``alt`` occurrences count);
* precision -- matched target characters (non-space) that lie in a gold
  sentence taken from that source file, near the right place (the match's
  source span overlaps the gold one, or points at the same text elsewhere in
  the file); characters outside every gold sentence (notice, title) are left
  out, and so are matches flagged formulaic (they do not claim reuse;
  ``precision_with_formulaic`` counts them, right when the gold sentence is
  reused at all); "doc precision" only asks for the right file;
* relation accuracy -- among found sentences, the content relation agrees
  with gold (gold ``moved`` = identical content, moved), and separately the
  moved flag agrees.

The naive peer (rapidfuzz ``process.extractOne`` of every target sentence over
all source sentences, ``fuzz.ratio`` >= 80; relation identical at 100, else
modified; never moved) is scored the same way.

speed: ``lineage.align.aligner.align`` on 000 vs 003 end to end (read and parse both
files, align, diffs), against ``difflib.SequenceMatcher`` over the paragraphs
and over the characters of the same pair (default autojunk, and
autojunk=False, which is what Chinese text needs: with autojunk the frequent
characters are ignored).  The first call in a process also loads jieba's
dictionary and the normalizer's and gazetteer's tables: reported apart.
"""

from __future__ import annotations

import argparse
import bisect
import difflib
import html
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # (not in front of a LINEAGE_SRC that bench_trace put there)
    sys.path.insert(0, str(ROOT))

from bench.gold_tools import bare, derived_pair_texts, load_gold  # noqa: E402
from lineage.align.aligner import Side  # noqa: E402
from lineage.align.trace import trace_documents  # noqa: E402
from lineage.ingest.pipeline import load_file  # noqa: E402

# -- scoring ------------------------------------------------------------------------------------


def _overlap(a, b) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _gold_refs(
    g: dict, texts: dict[str, str], also_in: bool = True, derived: bool = True
) -> list[tuple[str, tuple[int, int] | None, str]]:
    """(source key, span, source text) places a match may point at for gold sentence ``g``.

    The span is the gold sentence's (``part_src`` for ``split``, the clause
    for ``partial``); ``alt`` occurrences of the same source sentence count
    too, and, unless ``also_in`` is False (strict scoring), so do the (trace
    gold) ``also_in`` files: other files holding the same source sentence,
    at their own span (or, in a list cut at 20 files, any file with the text).
    ``derived=False`` (origin scoring) leaves out the also_in files derived
    from the source (``"derived": true``: its siblings and descendants, copies
    of the origin that a tracer should not prefer to it).
    """
    refs = []
    for r in g["src"]:
        key = r.get("doc") or r.get("file")
        span = r["span"]
        if g["relation"] == "split" and "part_src" in g:
            span = g["part_src"]
        if g["relation"] == "partial" and "clause" in g:
            span = g["clause"]["src"]
        span = tuple(span)
        text = texts[key][span[0] : span[1]]
        refs.append((key, span, text))
        # the same source sentence elsewhere (a lede quoting the body): the same part of it counts
        for alt in r.get("alt", []):
            shift = alt["span"][0] - r["span"][0]
            refs.append((alt["doc"], (span[0] + shift, span[1] + shift), text))
        if not also_in:
            continue
        also = r.get("also_in", [])
        others = [f for f in also if not (isinstance(f, dict) and f.get("derived"))]
        for f in also if derived else others:
            if isinstance(f, dict) and "span" in f:  # {"node", "file", "span"}: the same sentence in another file
                shift = f["span"][0] - r["span"][0]
                refs.append((f["file"], (span[0] + shift, span[1] + shift), text))
            else:  # a file with the text somewhere (a scraped copy of the source: {"node", "file", "copy": true})
                refs.append((f["file"] if isinstance(f, dict) else f, None, text))
        if sum(1 for f in others if not (isinstance(f, dict) and f.get("copy"))) >= 20 and derived:
            refs.append(("*", None, text))  # the list was cut at 20 files: any file with the text will do
    return refs


_TAG = re.compile(r"<[^<>]*>")


def _content(raw: str, name: str) -> str:
    """The text of a stretch of a file: an HTML file's inline tags and entities are markup inside a sentence
    (a span into the raw page that holds ``力争3年内</span><span …>转型改造…`` holds the sentence)."""
    return html.unescape(_TAG.sub("", raw)) if name.lower().endswith((".html", ".htm")) else raw


def _same_place(k: str | None, span, refs, texts: dict[str, str]) -> bool:
    """The match points at one of the gold source places, or at the same text elsewhere in that file."""
    for d, sp, want in refs:
        if d == "*" and k is not None:
            d = k
        if k != d:
            continue
        if sp is not None and _overlap(span, sp) > 0:
            return True
        mine, want = bare(_content(texts[d][span[0] : span[1]], d)), bare(want)
        short, long_ = sorted((mine, want), key=len)
        if short and short in long_ and len(short) >= 0.8 * len(long_):
            return True
        if sp is None and want and want in mine:  # a copy laid out differently: the sentence inside a paragraph
            return True
    # a merged sentence's sources, which the file holds together at another place too (a repeated paragraph)
    wants = list(dict.fromkeys(bare(w) for d, _, w in refs if d == k))
    if k is not None and len(wants) > 1:
        return bare(_content(texts[k][span[0] : span[1]], k)) == "".join(wants)
    return False


def _target_range(g: dict) -> tuple[int, int]:
    return tuple(g["clause"]["tgt"]) if g["relation"] == "partial" and "clause" in g else tuple(g["span"])


def score_pair(
    pair: dict,
    texts: dict[str, str],
    matches: list[dict],
    key_of: dict[str, str],
    also_in: bool = True,
    derived: bool = True,
) -> dict:
    """Score one target; ``matches`` are JSON matches, ``key_of`` maps a match's source path to a gold key.

    ``texts`` holds the target (key "target") and every source file by gold key;
    ``also_in=False`` credits only the gold source file, ``derived=False``
    not the copies derived from it (see _gold_refs).
    """
    target = texts["target"]
    sents = pair["sentences"]
    starts = [s["span"][0] for s in sents]
    recs = []
    for g in sents:
        if g["relation"] == "added":
            continue
        tr = _target_range(g)
        refs = _gold_refs(g, texts, also_in, derived)
        best = None
        for m in matches:
            ov = _overlap(m["target_span"], tr)
            if ov * 2 < tr[1] - tr[0]:
                continue
            k = key_of.get(m["source"])
            ok = _same_place(k, m["source_span"], refs, texts)
            if ok and (best is None or ov > best[0]):
                best = (ov, m)
        gold_content = "identical" if g["relation"] == "moved" else g["relation"]
        rec = {
            "relation": g["relation"],
            "heading": g.get("heading", False),
            "found": best is not None,
            "moved": g.get("moved", False),
        }
        if best:
            m = best[1]
            content = m.get("content", m["relation"])
            for part in m.get("parts") or []:
                if _overlap(part["target_span"], tr) * 2 >= tr[1] - tr[0]:
                    content = part["content"]
            rec["content"] = content
            rec["relation_ok"] = content == gold_content
            rec["moved_ok"] = bool(m.get("moved", False)) == bool(g.get("moved", False))
        recs.append(rec)
    # character precision
    good = good_doc = total = outside = 0
    f_good = f_total = 0
    for m in matches:
        k = key_of.get(m["source"])
        formulaic = bool(m.get("formulaic"))
        s, e = m["target_span"]
        for p in range(s, e):
            if target[p].isspace():
                continue
            i = bisect.bisect_right(starts, p) - 1
            g = sents[i] if i >= 0 and p < sents[i]["span"][1] else None
            if g is None:
                outside += 1
                continue
            if formulaic:
                # flagged as not evidence of reuse: scored apart
                f_total += 1
                if g["relation"] != "added":
                    f_good += 1
                continue
            total += 1
            if g["relation"] == "added":
                continue
            if g["relation"] == "partial" and "clause" in g:
                c = g["clause"]["tgt"]
                if not c[0] <= p < c[1]:
                    continue
            refs = _gold_refs(g, texts, also_in, derived)
            if any(k == d for d, _, _ in refs) or (
                any(d == "*" for d, _, _ in refs) and _same_place(k, m["source_span"], refs, texts)
            ):
                good_doc += 1
                if _same_place(k, m["source_span"], refs, texts):
                    good += 1
    return {
        "sentences": recs,
        "chars": {
            "good": good,
            "good_doc": good_doc,
            "total": total,
            "outside": outside,
            "formulaic_good": f_good,
            "formulaic_total": f_total,
        },
    }


def summarize(scored: list[dict], skip_headings: bool = False) -> dict:
    recs = [r for s in scored for r in s["sentences"] if not (skip_headings and r["heading"])]
    found = [r for r in recs if r["found"]]
    chars = Counter()
    for s in scored:
        chars.update(s["chars"])
    by_rel = defaultdict(lambda: [0, 0, 0])
    for r in recs:
        b = by_rel[r["relation"]]
        b[0] += 1
        b[1] += r["found"]
        b[2] += r.get("relation_ok", False)
    return {
        "gold_reused": len(recs),
        "recall": round(len(found) / max(1, len(recs)), 4),
        "precision": round(chars["good"] / max(1, chars["total"]), 4),
        "doc_precision": round(chars["good_doc"] / max(1, chars["total"]), 4),
        "precision_with_formulaic": round(
            (chars["good"] + chars["formulaic_good"]) / max(1, chars["total"] + chars["formulaic_total"]), 4
        ),
        "relation_accuracy": round(sum(r["relation_ok"] for r in found) / max(1, len(found)), 4),
        "moved_accuracy": round(sum(r["moved_ok"] for r in found) / max(1, len(found)), 4),
        "matched_chars_outside_gold": chars["outside"],
        "by_relation": {
            k: {"gold": v[0], "recall": round(v[1] / v[0], 3), "relation_ok": round(v[2] / max(1, v[1]), 3)}
            for k, v in sorted(by_rel.items())
        },
    }


# -- the naive peer ------------------------------------------------------------------------------


PEER_CUTOFF = 80  # fuzz.ratio the naive peer needs


def peer_pool(docs_paths) -> tuple[list[tuple[str, object]], list[str]]:
    """Every atom of the given (document, path to report) pairs, and their normalized texts."""
    pool = [(path, a) for d, path in docs_paths for a in Side(d).atoms]
    return pool, [a.norm for _, a in pool]


def peer_search(atoms, pool: list[tuple[str, object]], choices: list[str]) -> list[dict]:
    """The naive peer's matches for target atoms: the best-scoring pool sentence each, at PEER_CUTOFF or more."""
    from rapidfuzz import fuzz, process

    out = []
    for t in atoms:
        hit = process.extractOne(t.norm, choices, scorer=fuzz.ratio, score_cutoff=PEER_CUTOFF)
        if hit is None:
            continue
        _, score, k = hit
        path, a = pool[k]
        relation = "identical" if score == 100 else "modified"
        out.append(
            {
                "source": path,
                "source_span": list(a.unit.span),
                "target_span": list(t.unit.span),
                "relation": relation,
                "content": relation,
                "moved": False,
                "score": score,
            }
        )
    return out


def peer_matches(target_doc, sources) -> list[dict]:
    pool, choices = peer_pool((d, d.path) for d in sources)
    return peer_search(Side(target_doc).atoms, pool, choices)


# -- quality -------------------------------------------------------------------------------------


def quality(data: Path, pairs: int | None, seed: int, regenerate: bool) -> dict:
    if regenerate or not (data / "gold.json").exists():
        from bench.generate import generate

        generate("derived", data, seed=seed, pairs=pairs or 50)
    gold = load_gold(data)
    plist = gold["pairs"][:pairs] if pairs else gold["pairs"]
    ours, peer = [], []
    t_ours = t_peer = 0.0
    misses = Counter()
    for pair in plist:
        texts = derived_pair_texts(data, pair)
        tdoc = load_file(str(data / pair["target"]["file"]))
        sdocs = {k: load_file(str(data / s["file"])) for k, s in pair["sources"].items()}
        assert tdoc.text == texts["target"], "decoded text differs from gold's"
        key_of = {d.path: k for k, d in sdocs.items()}
        t0 = time.perf_counter()
        res = trace_documents(tdoc, [sdocs["A"], sdocs["B"]])
        t_ours += time.perf_counter() - t0
        js = res.to_dict()
        s = score_pair(pair, texts, js["matches"], key_of)
        ours.append(s)
        for r in s["sentences"]:
            if not r["found"]:
                misses[r["relation"]] += 1
        t0 = time.perf_counter()
        pm = peer_matches(tdoc, [sdocs["A"], sdocs["B"]])
        t_peer += time.perf_counter() - t0
        peer.append(score_pair(pair, texts, pm, key_of))
    return {
        "data": str(data),
        "pairs": len(plist),
        "lineage": {"all": summarize(ours), "no_headings": summarize(ours, True), "seconds": round(t_ours, 2)},
        "peer": {"all": summarize(peer), "no_headings": summarize(peer, True), "seconds": round(t_peer, 2)},
        "misses": dict(misses),
    }


# -- speed ---------------------------------------------------------------------------------------


def speed(repeat: int) -> dict:
    import glob

    from lineage.align.aligner import align

    a = glob.glob(str(ROOT / "corpus" / "000_*.txt"))[0]
    b = glob.glob(str(ROOT / "corpus" / "003_*.txt"))[0]
    t0 = time.perf_counter()
    align(load_file(b), load_file(a))  # the first call pays for jieba's dictionary and the lazy tables
    first = time.perf_counter() - t0
    code = "import time; t = time.perf_counter(); from lineage.align.tokens import warm; warm(); print(time.perf_counter() - t)"
    jieba_s = min(
        float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
        for _ in range(3)
    )
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        sd, td = load_file(b), load_file(a)
        align(sd, td)
        runs.append(time.perf_counter() - t0)
    da, db = load_file(a), load_file(b)
    pa = [u.norm_text for u in da.block_units]
    pb = [u.norm_text for u in db.block_units]
    para = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        sm = difflib.SequenceMatcher(None, pb, pa)
        sm.get_opcodes()
        para.append(time.perf_counter() - t0)
    chars, chars_nojunk = [], []
    ca, cb = "\n".join(pa), "\n".join(pb)
    for _ in range(max(1, repeat // 2)):
        t0 = time.perf_counter()
        difflib.SequenceMatcher(None, cb, ca).get_opcodes()
        chars.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        difflib.SequenceMatcher(None, cb, ca, autojunk=False).get_opcodes()
        chars_nojunk.append(time.perf_counter() - t0)
    best = min(runs)
    return {
        "align_000_vs_003_s": round(best, 4),
        "align_median_s": round(statistics.median(runs), 4),
        "first_align_in_process_s": round(first, 3),
        "jieba_start_s": round(jieba_s, 3),
        "difflib_paragraphs_s": round(min(para), 5),
        "difflib_chars_s": round(min(chars), 4),
        "difflib_chars_autojunk_false_s": round(min(chars_nojunk), 4),
        "ratio_vs_paragraphs": round(best / min(para), 1),
        "ratio_vs_chars": round(best / min(chars), 2),
        "ratio_vs_chars_autojunk_false": round(best / min(chars_nojunk), 3),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    q = sub.add_parser("quality")
    q.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "lineage-bench-derived")
    q.add_argument("--pairs", type=int, default=50)
    q.add_argument("--seed", type=int, default=0)
    q.add_argument("--regenerate", action="store_true")
    q.add_argument("--json", type=Path)
    s = sub.add_parser("speed")
    s.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args(argv)
    if a.cmd == "quality":
        out = quality(a.data, a.pairs, a.seed, a.regenerate)
    else:
        out = speed(a.repeat)
    text = json.dumps(out, ensure_ascii=False, indent=1)
    print(text)
    if getattr(a, "json", None):
        a.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
