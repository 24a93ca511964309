"""`derived`: alignment quality.  Per pair: a provincial-style source A (a
real corpus file, verbatim or re-rendered, or a synthetic plan), a second
source B, and a city-style target derived from A (plus passages of B) with
sentence-level gold spans into the decoded files."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from bench import textops as T
from bench.corpus import CorpusDoc, build_pools, load_corpus, pools_for
from bench.derive import (
    Deriver,
    NovelMaker,
    OpRates,
    derive_paras,
    insert_passages,
    localized_title,
    mark_moves,
    take_passage,
)
from bench.render import random_style, render_plain
from bench.synth import Doc, Para, Sent, add_days, dress, synth_plan


@dataclass
class SrcFile:
    key: str
    doc: Doc
    text: str  # decoded file text
    spans: list[tuple[int, int]]  # per Doc.sentences()
    name: str
    encoding: str
    data: bytes
    origin: str


def corpus_doc_as_source(cd: CorpusDoc) -> tuple[Doc, list[tuple[int, int]]]:
    """The parsed body of a real corpus file, with spans into the raw file."""
    paras = [Para([Sent(s.text) for s in p.sents], heading=p.heading) for p in cd.paras]
    doc = Doc(cd.jur, cd.title, (cd.year, 1, 1), [], None, paras, has_notice=False, groups=frozenset([cd.group]))
    return doc, [(s.start, s.end) for p in cd.paras for s in p.sents]


def pick_encoding(rng: random.Random) -> str:
    return rng.choices(["utf-8", "utf-8-sig", "gb18030"], [0.7, 0.15, 0.15])[0]


def rendered_source(key: str, doc: Doc, rng: random.Random, name: str, origin: str) -> SrcFile:
    style = random_style(rng)
    r = render_plain(doc, style)
    enc = pick_encoding(rng)
    return SrcFile(key, doc, r.text, r.spans, name, enc, r.text.encode(enc), origin)


def make_source_a(rng: random.Random, corpus, groups_a: list[str], corpus_dir) -> SrcFile:
    real = [d for d in corpus if d.jur.level == "province" and d.group in groups_a]
    if real and rng.random() < 0.5:
        cd = rng.choice(real)
        doc, spans = corpus_doc_as_source(cd)
        if rng.random() < 0.5:  # the real scraped file, byte for byte
            return SrcFile("A", doc, cd.raw, spans, "source_a.txt", "utf-8", cd.raw.encode("utf-8"), f"corpus:{cd.key}")
        return rendered_source("A", doc, rng, "source_a.txt", f"corpus:{cd.key}:rerendered")
    pj = rng.choice(T.jurs_at("province"))
    doc = synth_plan(
        pools_for(corpus_dir, tuple(groups_a)),
        rng,
        pj,
        rng.randint(2016, 2023),
        rng.randint(4000, 9000),
        notice=rng.random() < 0.5,
    )
    return rendered_source("A", doc, rng, "source_a.txt", "synthetic")


def make_source_b(rng: random.Random, corpus, groups_b: list[str], corpus_dir) -> SrcFile:
    real = [d for d in corpus if d.group in groups_b]
    if real and rng.random() < 0.35:
        cd = rng.choice(real)
        doc, spans = corpus_doc_as_source(cd)
        return SrcFile("B", doc, cd.raw, spans, "source_b.txt", "utf-8", cd.raw.encode("utf-8"), f"corpus:{cd.key}")
    level = rng.choice(["province", "city", "national"])
    j = rng.choice(T.jurs_at(level))
    doc = synth_plan(
        pools_for(corpus_dir, tuple(groups_b)),
        rng,
        j,
        rng.randint(2016, 2023),
        rng.randint(3000, 7000),
        notice=rng.random() < 0.5,
    )
    return rendered_source("B", doc, rng, "source_b.txt", "synthetic")


def _alts(srcs: dict[str, SrcFile], canon: dict[str, str], key: str, span: tuple[int, int]) -> list[dict]:
    """Other places (in either source) where the same source sentence occurs."""
    needle = canon[key][span[0] : span[1]]
    out = []
    for k in sorted(srcs):
        hay, pos = canon[k], 0
        while (pos := hay.find(needle, pos)) >= 0:
            if not (k == key and pos == span[0]):
                out.append({"doc": k, "span": [pos, pos + len(needle)]})
            pos += 1
    return out


def sentence_gold(target: Doc, spans: list[tuple[int, int]], srcs: dict[str, SrcFile], d: str) -> list[dict]:
    canon = {k: T.canonical(s.text) for k, s in srcs.items()}
    heading = [p.heading for p in target.paras if p.table is None for _ in p.sents]
    out = []
    for s, (ts, te), h in zip(target.sentences(), spans, heading):
        pv = s.prov or {"rel": "added", "src": [], "moved": False}
        e = {"span": [ts, te], "relation": pv["rel"], "moved": pv["moved"], "heading": h, "src": []}
        for k, sid in pv["src"]:
            ss, se = srcs[k].spans[sid]
            ref = {"doc": k, "file": f"{d}/{srcs[k].name}", "span": [ss, se]}
            alts = _alts(srcs, canon, k, (ss, se))
            if alts:
                ref["alt"] = alts
            e["src"].append(ref)
        if pv["rel"] == "split":
            a, b = pv["part"]
            ss = e["src"][0]["span"][0]
            e["part_src"] = [ss + a, ss + b]
        if pv["rel"] == "partial":
            so, to, n = pv["clause"]
            ss = e["src"][0]["span"][0]
            e["clause"] = {"src": [ss + so, ss + so + n], "tgt": [ts + to, ts + to + n]}
        out.append(e)
    return out


def build_pair(task: tuple) -> tuple[list[tuple[str, bytes]], dict]:
    seed, i, corpus_dir = task
    rng = T.rng_for(seed, "derived", i)
    corpus = load_corpus(corpus_dir)
    pools = build_pools(corpus_dir)
    groups = sorted({d.group for d in corpus})
    # A and B come from disjoint corpus text groups, so no target sentence
    # derived from A can also occur verbatim in B by construction.
    prov_groups = sorted({d.group for d in corpus if d.jur.level == "province"})
    ga = [rng.choice(prov_groups)] if prov_groups else groups[:1]
    rest = [g for g in groups if g not in ga]
    if rest and rng.random() < 0.5 and len(rest) > 1:
        ga.append(rest.pop(rng.randrange(len(rest))))
    gb = rest or ga
    A = make_source_a(rng, corpus, ga, corpus_dir)
    B = make_source_b(rng, corpus, gb, corpus_dir)
    srcs = {"A": A, "B": B}
    province = A.doc.jur if A.doc.jur.level == "province" else T.jur(A.doc.jur.province or "浙江省")
    tgt = rng.choice(T.jurs_at("city", province.name))
    index = T.NgramIndex()
    index.add(A.text)
    index.add(B.text)
    novel = NovelMaker(pools, index, tgt, exclude_groups=set(ga) | set(gb))
    dv = Deriver(tgt, rng, OpRates(), novel)
    paras, deleted = derive_paras(A.doc, "A", dv)
    dv_b = Deriver(
        tgt, rng, OpRates(deleted=0.0, merged=0.03, split=0.03, partial=0.04, modified=0.2, add_sent=0.0), novel
    )
    passages = []
    for _ in range(rng.randint(1, 3)):
        ps, _dels = take_passage(B.doc, "B", dv_b, min_chars=10**6, max_sents=rng.randint(2, 5))
        if ps:
            passages.append(ps)
    insert_passages(paras, passages, rng)
    mark_moves(paras)
    year = A.doc.date[0]
    target = Doc(
        tgt,
        localized_title(rng, A.doc, tgt),
        add_days((year, 1, 1), rng.randint(60, 700)),
        [],
        None,
        paras,
        groups=A.doc.groups,
    )
    dress(target, rng)
    target.has_notice = rng.random() < 0.3
    style = random_style(rng)
    r = render_plain(target, style)
    enc = pick_encoding(rng)
    d = f"pairs/p{i:05d}"
    files = [(f"{d}/target.txt", r.text.encode(enc)), (f"{d}/{A.name}", A.data), (f"{d}/{B.name}", B.data)]
    gold = {
        "pair": f"p{i:05d}",
        "dir": d,
        "target": {
            "file": f"{d}/target.txt",
            "encoding": enc,
            "jurisdiction": tgt.name,
            "title_span": list(r.header["title"]),
            "style": style.__dict__,
        },
        "sources": {
            k: {
                "file": f"{d}/{s.name}",
                "encoding": s.encoding,
                "origin": s.origin,
                "jurisdiction": s.doc.jur.name,
                "groups": sorted(s.doc.groups),
            }
            for k, s in srcs.items()
        },
        "sentences": sentence_gold(target, r.spans, srcs, d),
        "deleted": [{"doc": "A", "span": list(A.spans[sid])} for sid in sorted(deleted)],
    }
    return files, gold


def generate(out: Path, seed: int, pairs: int, corpus_dir: str | None = None, pool_map=None) -> dict:
    results = pool_map(build_pair, [(seed, i, corpus_dir) for i in range(pairs)])
    golds = []
    for files, gold in results:
        for name, data in files:
            p = out / name
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(data)
        golds.append(gold)
    return {
        "kind": "derived",
        "seed": seed,
        "span_convention": "python str [start, end) into the file decoded "
        "with its encoding, BOM stripped, newline='' (no newline translation)",
        "pairs": golds,
    }
