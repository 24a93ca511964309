"""`trace` kind: the `lineage` corpus plus a target document to trace.

Clean setting (``siblings=0``): ``target.txt`` (~target_chars body
characters) reuses passages of 3-6 corpus documents; its new text is checked
against the whole corpus (hashed 10-char index).

Crowded setting (``siblings=K``): the target is a city plan derived,
sentence by sentence, from a provincial plan of its own province (the
*origin*), with passages of 2-4 other original documents inserted and novel
paragraphs up to target_chars; and every source has K **siblings** in
``siblings/``: other plans derived from it the way a city derives from its
province (localized to other jurisdictions below it, edited, reordered),
dated between the source and some time after the target.  The siblings hold
much of the text the target took, often word for word (two cities localize
全省 -> 全市 alike), but the gold origin of every target sentence is the
source itself: a tracer must prefer it.  Ingest ``docs/`` alone for the
same target in a clean database, ``docs/`` and ``siblings/`` for the crowded
one."""

from __future__ import annotations

import datetime
import random
from pathlib import Path

from bench import textops as T
from bench.corpus import build_pools
from bench.derive import (
    Deriver,
    NovelMaker,
    OpRates,
    citing_intro,
    derive_paras,
    insert_passages,
    localized_title,
    mark_moves,
)
from bench.gold_tools import decode_bytes
from bench.kind_derived import pick_encoding
from bench.kind_lineage import CHILD_RATES, PASSAGE_RATES, _passages, _replace_intro, build_corpus
from bench.render import Style, random_style, render_plain
from bench.synth import Doc, Para, Sent, add_days, dress, make_title

# the crowded target: a derived city plan; a short sentence gains or loses a clause now and then
TARGET_RATES = OpRates(
    deleted=0.12,
    merged=0.04,
    split=0.04,
    partial=0.04,
    modified=0.12,
    add_sent=0.06,
    add_para=0.08,
    move_paras=0.10,
    short_clause=0.3,
)
MAX_ALSO_IN = 20  # other files listed per source sentence (copies derived from the source are all listed)


def generate_trace(
    out: Path, seed: int, n: int, target_chars: int, corpus_dir: str | None = None, pool_map=None, siblings: int = 0
) -> dict:
    gold, results = build_corpus(out, seed, n, corpus_dir, pool_map)
    gold["kind"] = "trace"
    pools = build_pools(corpus_dir)
    index = T.NgramIndex(hashed=True)
    for nid in sorted(results):  # duplicate copies only add chrome: primaries suffice
        index.add(results[nid]["text"])
    if siblings:
        return _crowded(out, seed, target_chars, corpus_dir, pool_map, siblings, gold, results, pools, index)
    rng = T.rng_for(seed, "trace", "target")
    cands = sorted(nid for nid, r in results.items() if r["doc"].body_chars() >= 3000)
    k = min(len(cands), rng.randint(3, 6))
    sources = rng.sample(cands, k)
    jur = rng.choice(T.jurs_at("city"))
    novel = NovelMaker(pools, index, jur)
    dv = Deriver(jur, rng, PASSAGE_RATES, novel)
    reuse_budget = int(target_chars * rng.uniform(0.6, 0.75))
    blocks: list[list[Para]] = []
    deleted: list[tuple[str, int]] = []
    for nid in sources:
        blocks += _passages(results[nid]["doc"], nid, dv, reuse_budget // k, rng, deleted)
    got = sum(len(s.text) for b in blocks for p in b for s in p.sents)
    while got < target_chars * 0.97:  # novel paragraphs fill up to the target size
        b = [Para([dv.added() for _ in range(rng.randint(2, 5))])]
        blocks.append(b)
        got += sum(len(s.text) for s in b[0].sents)
    rng.shuffle(blocks)
    paras: list[Para] = [Para([dv.added()])]
    sec = 0
    for i, b in enumerate(blocks):
        if i % rng.randint(3, 5) == 0:
            sec += 1
            paras.append(
                Para([Sent(novel.heading(rng, sec), {"rel": "added", "src": [], "moved": False})], heading=True)
            )
        paras += b
    mark_moves(paras)
    year = max(results[nid]["doc"].date for nid in sources)
    target = Doc(jur, make_title(rng, jur, year[0]), add_days(year, rng.randint(30, 300)), [], None, paras)
    dress(target, rng)
    target.has_notice = rng.random() < 0.5
    _write_target(out, gold, target, rng, jur, results, sources, deleted, {}, {})
    return gold


def _write_target(
    out: Path,
    gold: dict,
    target: Doc,
    rng: random.Random,
    jur: T.Jur,
    results: dict,
    sources: list[str],
    deleted: list[tuple[str, int]],
    sibs: dict[str, dict],
    descendants: dict[str, set[str]],
) -> None:
    style = random_style(rng)
    r = render_plain(target, style)
    enc = pick_encoding(rng)
    (out / "target.txt").write_bytes(r.text.encode(enc))
    gold["target"] = trace_target_gold(target, r, enc, jur, results, sources, deleted, sibs, descendants)


# -------------------------------------------------------------- crowded ----
def _crowded(
    out: Path,
    seed: int,
    target_chars: int,
    corpus_dir: str | None,
    pool_map,
    k_sibs: int,
    gold: dict,
    results: dict,
    pools,
    index: T.NgramIndex,
) -> dict:
    rng = T.rng_for(seed, "trace", "crowded")
    level = {n["id"]: n["level"] for n in gold["nodes"]}
    original = sorted(
        n["id"]
        for n in gold["nodes"]
        if n["mode"] == "synth" and not n["unrelated"] and results[n["id"]]["doc"].body_chars() >= 3000
    )
    provinces = [nid for nid in original if level[nid] == "province"] or original
    if not provinces:
        raise ValueError("the corpus is too small for a crowded trace target")
    origin = rng.choice(provinces)
    others = [nid for nid in original if nid != origin]
    sources = [origin] + rng.sample(others, min(len(others), rng.randint(2, 4)))
    odoc: Doc = results[origin]["doc"]
    cities = T.jurs_at("city", odoc.jur.name) if odoc.jur.level == "province" else T.jurs_at("city")
    jur = rng.choice(cities)
    year = max(results[nid]["doc"].date for nid in sources)
    date = add_days(year, rng.randint(30, 300))
    # the siblings first: the target's novel text must not be in them either
    tasks = [(seed, nid, j, results[nid]["doc"], jur.name, date, corpus_dir) for nid in sources for j in range(k_sibs)]
    (out / "siblings").mkdir(parents=True, exist_ok=True)
    sibs: dict[str, dict] = {}
    for res in (pool_map or map)(build_sibling, tasks):
        (out / res["file"]).write_bytes(res["data"])
        index.add(res["text"])
        sibs[res["file"]] = res
    novel = NovelMaker(pools, index, jur)
    dv = Deriver(jur, rng, TARGET_RATES, novel)
    paras, dels = derive_paras(odoc, origin, dv)
    deleted = [(origin, sid) for sid in dels]
    budget = int(target_chars * rng.uniform(0.25, 0.4))
    pdv = Deriver(jur, rng, PASSAGE_RATES, novel)
    for nid in sources[1:]:
        insert_passages(
            paras, _passages(results[nid]["doc"], nid, pdv, budget // (len(sources) - 1), rng, deleted), rng
        )
    got = sum(len(s.text) for p in paras for s in p.sents)
    while got < target_chars * 0.97:  # novel paragraphs fill up to the target size
        p = Para([dv.added() for _ in range(rng.randint(2, 5))])
        insert_passages(paras, [[p]], rng)
        got += sum(len(s.text) for s in p.sents)
    mark_moves(paras)
    target = Doc(jur, localized_title(rng, odoc, jur), date, [], None, paras)
    dress(target, rng)
    target.has_notice = rng.random() < 0.5
    descendants = _descendants(gold, sibs)
    _write_target(out, gold, target, rng, jur, results, sources, deleted, sibs, descendants)
    gold["target"]["setting"] = "crowded"
    gold["target"]["siblings"] = [
        {"file": f, "of": s["of"], "jurisdiction": s["jurisdiction"], "date": s["date"], "encoding": "utf-8"}
        for f, s in sibs.items()
    ]
    texts = {f["file"]: decode_bytes((out / f["file"]).read_bytes(), f["encoding"]) for f in gold["files"]}
    texts.update({f: s["text"] for f, s in sibs.items()})
    same_text_holders(gold, texts)
    return gold


def _sibling_jurs(src: T.Jur, avoid: str) -> list[T.Jur]:
    """Where a sibling derived from ``src`` may be: below it, else beside it (same level, same parent)."""
    if src.level == "national":
        below = T.jurs_at("province")
    elif src.level == "province":
        below = T.jurs_at("city", src.name) + T.jurs_at("county", src.name)
    elif src.level == "city":
        below = T.jurs_at("county", src.name)
    else:
        below = [j for j in T.jurs_at("county", src.city) if j.name != src.name]
    return [j for j in below if j.name != avoid] or [j for j in T.jurs_at("city") if j.name != avoid]


def build_sibling(task: tuple) -> dict:
    """One sibling: a plan derived from source ``nid`` for another jurisdiction below it."""
    seed, nid, j, src, avoid, target_date, corpus_dir = task
    rng = T.rng_for(seed, "trace", "sibling", nid, j)
    pools = build_pools(corpus_dir)
    jur = rng.choice(_sibling_jurs(src.jur, avoid))
    index = T.NgramIndex()
    index.add("".join(s.text for s in src.sentences()))
    rates = OpRates(**{**CHILD_RATES.__dict__, "deleted": rng.uniform(0.08, 0.45), "add_para": rng.uniform(0.03, 0.3)})
    dv = Deriver(jur, rng, rates, NovelMaker(pools, index, jur))
    paras, _ = derive_paras(src, nid, dv)
    # dated after its source, before or after the target
    span = max(40, (_days(target_date) - _days(src.date)) + 200)
    doc = Doc(jur, localized_title(rng, src, jur), add_days(src.date, rng.randint(20, span)), [], None, paras)
    dress(doc, rng, p_docno=0.75)
    if rng.random() < 0.7:
        _replace_intro(doc, citing_intro(rng, [src], jur, doc.title))
    mark_moves(doc.paras)
    style = Style(
        width=rng.choice(["full", "full", "full", "half"]),
        indent=rng.choice(["none", "u3000", "space2"]),
        blank=rng.random() < 0.3,
        newline="\r\n" if rng.random() < 0.1 else "\n",
    )
    r = render_plain(doc, style)
    name = f"siblings/{T.hex_id(rng)}.txt"
    return {
        "file": name,
        "of": nid,
        "jurisdiction": jur.name,
        "date": "%04d-%02d-%02d" % doc.date,
        "doc": doc,
        "text": r.text,
        "spans": r.spans,
        "data": r.text.encode("utf-8"),
    }


def _days(date: tuple[int, int, int]) -> int:
    return datetime.date(*date).toordinal()


def _descendants(gold: dict, sibs: dict[str, dict]) -> dict[str, set[str]]:
    """Node -> the files derived from it (its planted descendants' primary files, and its siblings)."""
    primary = {n["id"]: n["file"] for n in gold["nodes"]}
    children: dict[str, list[str]] = {}
    for e in gold["edges"]:
        if e["kind"] != "citation":
            children.setdefault(e["parent"], []).append(e["child"])
    out: dict[str, set[str]] = {}
    for nid in primary:
        seen, stack = set(), list(children.get(nid, []))
        while stack:
            c = stack.pop()
            if c not in seen:
                seen.add(c)
                stack += children.get(c, [])
        out[nid] = {primary[c] for c in seen}
    for f, s in sibs.items():
        out.setdefault(s["of"], set()).add(f)
    return out


# ----------------------------------------------------------------- gold ----
def same_text_holders(gold: dict, texts: dict[str, str]) -> None:
    """Record, on every source reference of the crowded target's gold, the files that hold its text as well.

    The corpus's original plans draw their paragraphs from one pool (five real
    documents), so a sentence the target took from its source is often held
    word for word by an unrelated original too: no tracer can tell which of
    them the target took it from, by text or by rule.  ``also_in`` lists such
    files only for whole sentences and only up to 20; ``same_text`` lists, for
    the part the target took (the sentence, the part of a ``split``, the
    clause of a ``partial``), every file not derived from the source (not its
    descendant, not its sibling, not a copy of it) that holds it (``bare``
    form, anywhere in its text).  A scorer crediting them scores against the
    corrected gold; origin scoring does not.  ``texts``: decoded text by gold
    file name (corpus files and siblings)."""
    t = gold["target"]
    node_of = {f["file"]: f["node"] for f in gold["files"]}
    node_of.update({s["file"]: None for s in t.get("siblings", [])})
    derived = _descendants(gold, {s["file"]: s for s in t.get("siblings", [])})
    derived_nodes = {nid: {node_of[f] for f in files if node_of.get(f)} for nid, files in derived.items()}
    bare = {f: T.bare(x) for f, x in texts.items()}
    for sent in t["sentences"]:
        for ref in sent["src"]:
            span = ref["span"]
            if sent["relation"] == "split" and "part_src" in sent:
                span = sent["part_src"]
            if sent["relation"] == "partial" and "clause" in sent:
                span = sent["clause"]["src"]
            want = T.bare(texts[ref["file"]][span[0] : span[1]])
            mine, nodes = derived.get(ref["node"], set()), derived_nodes.get(ref["node"], set())
            ref["same_text"] = sorted(
                f
                for f, b in bare.items()
                if want
                and want in b
                and f != ref["file"]
                and node_of[f] != ref["node"]
                and f not in mine
                and node_of[f] not in nodes
            )


# ----------------------------------------------------------------- gold ----
def trace_target_gold(
    target: Doc,
    r,
    enc: str,
    jur: T.Jur,
    results: dict,
    sources: list[str],
    deleted: list[tuple[str, int]],
    sibs: dict[str, dict] | None = None,
    descendants: dict[str, set[str]] | None = None,
) -> dict:
    primary = {nid: res["files"][0][0] for nid, res in results.items()}
    heading = [p.heading for p in target.paras if p.table is None for _ in p.sents]
    sents = []
    needed: dict[str, list] = {}
    for s, (ts, te), h in zip(target.sentences(), r.spans, heading):
        pv = s.prov or {"rel": "added", "src": [], "moved": False}
        e = {"span": [ts, te], "relation": pv["rel"], "moved": pv["moved"], "heading": h, "src": []}
        for nid, sid in pv["src"]:
            ss, se = results[nid]["spans"][sid]
            ref = {"node": nid, "file": primary[nid], "span": [ss, se]}
            needed.setdefault(results[nid]["doc"].sentences()[sid].text, []).append(ref)
            e["src"].append(ref)
        if pv["rel"] == "split":
            a, b = pv["part"]
            e["part_src"] = [e["src"][0]["span"][0] + a, e["src"][0]["span"][0] + b]
        if pv["rel"] == "partial":
            so, to, n = pv["clause"]
            ss = e["src"][0]["span"][0]
            e["clause"] = {"src": [ss + so, ss + so + n], "tgt": [ts + to, ts + to + n]}
        sents.append(e)
    # Exact copies of each source sentence elsewhere (primary files and siblings), so a tracer
    # that finds an ancestor's copy is not penalised.  Files derived from the source
    # (``"derived": true``) are copies of the origin: all listed, as a scorer may refuse them.
    descendants = descendants or {}
    holders = [(nid, res["files"][0][0], res["doc"], res["spans"]) for nid, res in sorted(results.items())]
    holders += [(None, f, s["doc"], s["spans"]) for f, s in sorted((sibs or {}).items())]
    for nid, file, doc, spans in holders:
        for sid, s in enumerate(doc.sentences()):
            for ref in needed.get(s.text, ()):
                if file == ref["file"]:
                    continue
                lst = ref.setdefault("also_in", [])
                derived = file in descendants.get(ref["node"], ())
                if derived or sum(1 for x in lst if not x.get("derived")) < MAX_ALSO_IN:
                    ss, se = spans[sid]
                    entry = {"node": nid, "file": file, "span": [ss, se]}
                    if derived:
                        entry["derived"] = True
                    lst.append(entry)
    dels = [
        {"node": nid, "file": primary[nid], "span": list(results[nid]["spans"][sid])}
        for nid, sid in sorted(set(deleted))
    ]
    return {
        "file": "target.txt",
        "encoding": enc,
        "jurisdiction": jur.name,
        "title": target.title,
        "title_span": list(r.header["title"]),
        "sources": [{"node": n, "file": primary[n]} for n in sources],
        "body_chars": target.body_chars(),
        "sentences": sents,
        "deleted": dels,
    }
