#!/usr/bin/env python3
"""Why a trace misses: every missed gold sentence and every wrongly attributed character, by cause.

    python bench/trace_misses.py DATA_DIR [--db crowded] [--show N] [--json OUT]

``LINEAGE_SRC=/path/to/checkout`` traces with that checkout's lineage (the
figures before a change), scored by this tree's bench.  DATA_DIR is a ``bench_trace.py`` output folder (``trace<N>-seed<S>[-sib<K>]``,
with its ``<db>.db``).  The target is traced again and scored as
``quality_origin`` scores it (a gold sentence is missed when no match covering
half of it points at its source or a file holding the same source sentence
that is not derived from the source); each miss and each wrong character is
put under one cause, by reading the texts:

* ``derived copy ... (rule)``: a sibling or descendant of the source won
  though the source holds the target's text as closely (an attribution rule
  error); ``... closer`` / ``... holds the target's edit``: the copy made the
  same or a similar edit as the target (no rule can tell);
* ``gold-ambiguous``: a file not derived from the source holds the source
  text word for word (the generator drew it from the shared pool);
* ``other document ...``: a document not derived from the source holds
  something similar, as close to the target as the source or less;
* ``missed`` (no match; short = 20 characters or fewer), ``boundary`` (a
  match covers less than half of the sentence), ``right file, wrong place``;
* characters only: ``novel text attributed`` (the target's own sentences),
  ``outside the lifted clause`` (a partial sentence's match runs over it).

For every wrong source, what the trace itself says of the gold source: the rule that set it aside
(its ``also_in`` entry's ``set_aside_by``: ``date`` and ``coherence`` are tie-breaks the output
names as such), or that it is not listed beside the match.
"""

import argparse
import bisect
import difflib
import json
import os
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_trace import Scorer  # noqa  (first: it puts LINEAGE_SRC's lineage in front)
from bench.bench_align import _gold_refs, _overlap, _same_place, _target_range  # noqa
from bench.gold_tools import bare, reachable  # noqa


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data", type=Path)
    ap.add_argument("--db", default="crowded")
    ap.add_argument("--show", type=int, default=0)
    ap.add_argument("--json", type=Path)
    a = ap.parse_args()
    from lineage.align.index import Index
    from lineage.align.trace import trace
    from lineage.ingest.pipeline import load_file
    from lineage.store import Store

    sc = Scorer(a.data)
    gold = sc.gold
    full = json.load(open(a.data / "gold.json"))
    node_of_file = {f["file"]: f["node"] for f in full["files"]}
    nodes = {n["id"]: n for n in full["nodes"]}
    children = defaultdict(list)
    for e in full["edges"]:
        if e["kind"] != "citation":
            children[e["parent"]].append(e["child"])

    def desc(nid):
        return reachable(children, nid)

    sib_of = {s["file"]: s["of"] for s in gold.get("siblings", [])}
    doc = load_file(str(a.data / gold["file"]))
    with Store(str(a.data / f"{a.db}.db")) as store:
        res = trace(doc, Index.load(store) or Index.open(store), store)
    js = res.to_dict()
    matches = js["matches"]
    for m in matches:
        if m["source"] not in sc.key_of:
            sc.key_of[m["source"]] = os.path.relpath(os.path.realpath(m["source"]), os.path.realpath(sc.out))
    texts, target = sc.texts, sc.texts["target"]
    sents = gold["sentences"]
    starts = [s["span"][0] for s in sents]

    def relation_to(k, src_node):
        """how file k relates to the gold source node."""
        if k in sib_of:
            return "sibling-of-source" if sib_of[k] == src_node else "sibling-of-other-source"
        n = node_of_file.get(k)
        if n is None:
            return "unknown"
        if n in desc(src_node):
            return "descendant-of-source"
        if src_node in desc(n):
            return "ancestor-of-source"
        return "unrelated-doc" if nodes[n]["unrelated"] else "other-doc"

    def why_wrong_source(g, k, sspan):
        src = g["src"][0]
        rel = relation_to(k, src["node"])
        sp = src["span"]
        if g["relation"] == "split" and "part_src" in g:
            sp = g["part_src"]
        if g["relation"] == "partial" and "clause" in g:
            sp = g["clause"]["src"]
        gtext = bare(texts[src["file"]][sp[0] : sp[1]])
        tr = _target_range(g)
        ttext = bare(target[tr[0] : tr[1]])
        ktext = bare(texts[k])
        holds_src = gtext and gtext in ktext
        holds_tgt = ttext and ttext in ktext
        origin_holds_tgt = ttext and ttext in bare(texts[src["file"]])
        if rel.startswith("sibling-of-source") or rel == "descendant-of-source":
            if holds_tgt and not origin_holds_tgt:
                return "derived copy holds the target's edit, the source does not"
            if holds_tgt and origin_holds_tgt:
                return "derived copy won, the source holds it as well (rule)"

            mine = bare(texts[k][sspan[0] : sspan[1]])
            a = difflib.SequenceMatcher(None, ttext, mine, autojunk=False).ratio()
            b = difflib.SequenceMatcher(None, ttext, gtext, autojunk=False).ratio()
            if a > b + 0.02:
                return "derived copy closer to the target (a similar edit)"
            return "derived copy won, the source as close (rule)"
        if holds_src and rel != "ancestor-of-source":
            return f"gold-ambiguous: {rel} holds the source text word for word"
        if rel == "ancestor-of-source" and holds_src:
            return "gold-ambiguous: ancestor-of-source holds the source text word for word"
        if holds_tgt:
            return f"{rel} holds the target's text exactly (the source {'does' if origin_holds_tgt else 'does not'})"

        mine = bare(texts[k][sspan[0] : sspan[1]])
        a = difflib.SequenceMatcher(None, ttext, mine, autojunk=False).ratio()
        b = difflib.SequenceMatcher(None, ttext, gtext, autojunk=False).ratio()
        return f"{rel} holds it {'as close as the source or closer' if a >= b else 'less close than the source'}"

    miss = Counter()
    examples = defaultdict(list)
    n_gold = 0
    for i, g in enumerate(sents):
        if g["relation"] == "added" or g.get("heading"):
            continue
        n_gold += 1
        tr = _target_range(g)
        refs = _gold_refs(g, texts, True, False)
        best = None
        anyov = None
        for m in matches:
            ov = _overlap(m["target_span"], tr)
            if ov and (anyov is None or ov > anyov[0]):
                anyov = (ov, m)
            if ov * 2 < tr[1] - tr[0]:
                continue
            k = sc.key_of.get(m["source"])
            ok = _same_place(k, m["source_span"], refs, texts)
            if ok:
                best = m
        if best is not None:
            continue
        L = tr[1] - tr[0]
        if anyov is None:
            short = "short(<=20)" if L <= 20 else "long"
            cause = f"missed: {g['relation']} {short}"
        elif anyov[0] * 2 < L:
            k = sc.key_of.get(anyov[1]["source"])
            inref = _same_place(k, anyov[1]["source_span"], refs, texts)
            cause = f"boundary: match covers <1/2 ({g['relation']}, right place={inref})"
        else:
            m = anyov[1]
            k = sc.key_of.get(m["source"])
            if k == g["src"][0]["file"]:
                cause = f"right file, wrong place ({g['relation']})"
            else:
                cause = "wrong source: " + why_wrong_source(g, k, m["source_span"])
        miss[cause] += 1
        examples[cause].append((i, g, anyov[1] if anyov else None))

    def key(path):
        if path not in sc.key_of:
            sc.key_of[path] = os.path.relpath(os.path.realpath(path), os.path.realpath(sc.out))
        return sc.key_of[path]

    def gold_set_aside(g, m):
        """Why the trace set the gold source aside for this match (its also_in entry's set_aside_by), or why
        the gold source is not beside it at all."""
        files = {r[0] for r in _gold_refs(g, texts, True, False)} | {g["src"][0]["file"]}
        for x in m.get("also_in") or ():
            if key(x["source"]) in files:
                return "+".join(x.get("set_aside_by") or ["(none given)"])
        return "gold source not in also_in"

    set_aside = Counter()
    for cause, exs in examples.items():
        for _i, g, m in exs:
            if cause.startswith("wrong source") and m is not None:
                set_aside[gold_set_aside(g, m)] += 1

    # characters
    wrong = Counter()
    wrong_set_aside = Counter()
    wexamples = defaultdict(list)
    total = good = 0
    for m in matches:
        if m.get("formulaic"):
            continue
        k = sc.key_of.get(m["source"])
        s, e = m["target_span"]
        per = Counter()
        for p in range(s, e):
            if target[p].isspace():
                continue
            i = bisect.bisect_right(starts, p) - 1
            g = sents[i] if i >= 0 and p < sents[i]["span"][1] else None
            if g is None:
                continue
            total += 1
            refs = None
            if g["relation"] == "added":
                per[(i, "novel text attributed")] += 1
                continue
            if g["relation"] == "partial" and "clause" in g:
                c = g["clause"]["tgt"]
                if not c[0] <= p < c[1]:
                    per[(i, "boundary: outside the lifted clause (partial)")] += 1
                    continue
            refs = _gold_refs(g, texts, True, False)
            if _same_place(k, m["source_span"], refs, texts):
                good += 1
                continue
            if k == g["src"][0]["file"]:
                per[(i, "right file, wrong place")] += 1
            else:
                per[(i, "wrong source: " + why_wrong_source(g, k, m["source_span"]))] += 1
                wrong_set_aside[gold_set_aside(g, m)] += 1
        for (i, cause), n in per.items():
            wrong[cause] += n
            wexamples[cause].append((n, i, m))
    out = {
        "data": str(a.data),
        "db": a.db,
        "gold_sentences": n_gold,
        "missed": sum(miss.values()),
        "missed_by_cause": dict(miss.most_common()),
        "chars_total": total,
        "chars_good": good,
        "chars_wrong": total - good,
        "wrong_chars_by_cause": dict(wrong.most_common()),
        # wrong source: why the trace's output says the gold source was set aside (also_in's set_aside_by)
        "missed_gold_set_aside_by": dict(set_aside.most_common()),
        "wrong_chars_gold_set_aside_by": dict(wrong_set_aside.most_common()),
    }
    print(json.dumps(out, ensure_ascii=False, indent=1))
    if a.json:
        a.json.write_text(json.dumps(out, ensure_ascii=False, indent=1))
    if a.show:
        for cause, lst in examples.items():
            print("\n### MISS", cause)
            for i, g, m in lst[: a.show]:
                src = g["src"][0]
                print(f"  [{i}] {g['relation']} T: {target[g['span'][0] : g['span'][1]]!r}")
                print(f"       S {src['file']}: {texts[src['file']][src['span'][0] : src['span'][1]]!r}")
                if m:
                    k = sc.key_of.get(m["source"])
                    print(
                        f"       M {k} {m.get('content')} {m['target_span']}: {texts[k][m['source_span'][0] : m['source_span'][1]]!r}"
                        f" also_in={[sc.key_of.get(x.get('source'), x.get('source')) for x in m.get('also_in', [])][:4]}"
                    )
        for cause, lst in wexamples.items():
            print("\n### WRONG", cause)
            for n, i, m in sorted(lst, key=lambda x: -x[0])[: a.show]:
                g = sents[i]
                k = sc.key_of.get(m["source"])
                print(f"  {n} chars [{i}] {g['relation']} T: {target[g['span'][0] : g['span'][1]]!r}")
                if g["src"]:
                    src = g["src"][0]
                    print(f"       S {src['file']}: {texts[src['file']][src['span'][0] : src['span'][1]]!r}")
                print(
                    f"       M {k} {m.get('content')} {m['target_span']}: {texts[k][m['source_span'][0] : m['source_span'][1]]!r}"
                )


if __name__ == "__main__":
    main()
