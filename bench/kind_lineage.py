"""`lineage` kind (graph benchmark), and the corpus the `trace` kind
(bench/kind_trace.py) builds on: documents with planted reuse chains —
provincial plan -> 1-4 city plans -> 0-3 county plans each, cross-province
copies, documents copying passages of a national text, citation-only
children, unrelated documents, and a few scraped duplicate copies."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
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
    source_share,
    take_passage,
)
from bench.kind_scraped import typo_chars
from bench.render import Style, render_plain
from bench.scrape import make_copy, make_sites, sample_spec
from bench.synth import Doc, Para, Sent, add_days, dress, random_date, synth_plan

EXTERNAL_CITES = [
    ("国务院关于印发《中国制造2025》的通知", "国发〔2015〕28号"),
    ("国务院关于深化“互联网+先进制造业”发展工业互联网的指导意见", "国发〔2017〕50号"),
    ("中共中央 国务院关于促进民营经济发展壮大的意见", None),
    ("国务院关于印发“十四五”数字经济发展规划的通知", "国发〔2021〕29号"),
]
CHILD_RATES = OpRates(
    deleted=0.15, merged=0.04, split=0.04, partial=0.04, modified=0.12, add_sent=0.06, add_para=0.08, move_paras=0.10
)
CROSS_RATES = OpRates(
    deleted=0.2, merged=0.03, split=0.03, partial=0.03, modified=0.1, add_sent=0.04, add_para=0.06, move_paras=0.05
)
PASSAGE_RATES = OpRates(deleted=0.08, merged=0.04, split=0.04, partial=0.05, modified=0.15, add_sent=0.03)


@dataclass
class NodeSpec:
    nid: str
    level: str
    jur: str
    mode: str  # synth | derive | compose | cite_only
    parents: list[str] = field(default_factory=list)  # reuse parents (text copied)
    cites: list[str] = field(default_factory=list)  # nodes cited by title / 文号
    unrelated: bool = False
    depth: int = 0

    def deps(self) -> list[str]:
        return list(dict.fromkeys(self.parents + self.cites))


def plan_graph(seed: int, n: int) -> list[NodeSpec]:
    """The planted graph: who derives from / cites whom."""
    rng = T.rng_for(seed, "lineage", "plan")
    specs: list[NodeSpec] = []
    by_id: dict[str, NodeSpec] = {}

    def new(level, jur, mode, parents=(), cites=(), unrelated=False) -> NodeSpec:
        s = NodeSpec(f"n{len(specs):05d}", level, jur.name, mode, list(parents), list(cites), unrelated)
        s.depth = 1 + max((by_id[d].depth for d in s.deps()), default=-1)
        specs.append(s)
        by_id[s.nid] = s
        return s

    n_nat = 0 if n < 8 else max(1, round(0.03 * n))
    n_unrel = round(0.1 * n) if n >= 5 else 0
    nationals = [new("national", T.NATIONAL, "synth") for _ in range(n_nat)]
    budget = n - n_unrel
    provinces = T.jurs_at("province")
    while len(specs) < budget:
        prov = rng.choice(provinces)
        if nationals and rng.random() < 0.25:
            nat = rng.choice(nationals)
            root = new("province", prov, "compose", [nat.nid], [nat.nid] if rng.random() < 0.8 else [])
        else:
            root = new("province", prov, "synth")
        if rng.random() < 0.15 and len(specs) < budget:
            other = rng.choice([p for p in provinces if p != prov])
            new("province", other, "derive", [root.nid], [root.nid] if rng.random() < 0.2 else [])
        cities = T.jurs_at("city", prov.name)
        for city in rng.sample(cities, min(len(cities), rng.randint(1, 4))):
            if len(specs) >= budget:
                break
            cs = _child(new, rng, "city", city, root, nationals)
            counties = T.jurs_at("county", city.name)
            for county in rng.sample(counties, min(len(counties), rng.randint(0, 3))):
                if len(specs) >= budget:
                    break
                _child(new, rng, "county", county, cs, [])
    del specs[budget:]
    by_id = {s.nid: s for s in specs}
    for s in specs:  # truncation may have cut nothing a kept node needs (parents come first)
        assert all(d in by_id for d in s.deps())
    for _ in range(n_unrel):
        level = rng.choice(["province", "city", "county"])
        new(level, rng.choice(T.jurs_at(level)), "synth", unrelated=True)
    return specs


def _child(new, rng: random.Random, level: str, jur: T.Jur, parent: NodeSpec, nationals: list) -> NodeSpec:
    if rng.random() < 0.1:
        return new(level, jur, "cite_only", [], [parent.nid])
    parents, cites = [parent.nid], [parent.nid] if rng.random() < 0.7 else []
    if nationals and rng.random() < 0.05:
        nat = rng.choice(nationals)
        parents.append(nat.nid)
        if rng.random() < 0.5:
            cites.append(nat.nid)
    return new(level, jur, "derive", parents, cites)


# --------------------------------------------------------------- nodes ----
def _replace_intro(doc: Doc, sentence: str) -> None:
    """Put a (citing) opening sentence first; it is the child's own text."""
    first = doc.paras[0] if doc.paras else None
    if (
        first
        and not first.heading
        and first.table is None
        and first.sents
        and first.sents[0].text.startswith(("为", "根据"))
    ):
        first.sents[0] = Sent(sentence)
    else:
        doc.paras.insert(0, Para([Sent(sentence)]))


def _passages(
    src: Doc, key: str, dv: Deriver, want: int, rng: random.Random, deleted: list | None = None
) -> list[list[Para]]:
    """Passages of ``src`` totalling about ``want`` characters; sentences
    dropped inside them are appended to ``deleted`` as (key, sid)."""
    out, got = [], 0
    for _ in range(12):
        if got >= want:
            break
        ps, dels = take_passage(src, key, dv, min_chars=min(want - got, rng.randint(600, 1800)))
        if deleted is not None:
            deleted += [(key, sid) for sid in dels]
        if ps:
            out.append(ps)
            got += sum(len(s.text) for p in ps for s in p.sents)
    return out


def build_node(task: tuple) -> dict:
    seed, spec, deps, corpus_dir = task
    rng = T.rng_for(seed, "lineage", "node", spec.nid)
    pools = build_pools(corpus_dir)
    jur = T.jur(spec.jur)
    if deps:
        date = add_days(max(d.date for d in deps.values()), rng.randint(20, 400))
    else:
        date = random_date(rng, rng.randint(2014, 2017) if spec.level == "national" else rng.randint(2015, 2021))
    year, chars = date[0], rng.randint(5000, 8500)
    if spec.mode == "derive":
        parent = deps[spec.parents[0]]
        index = T.NgramIndex()
        for d in deps.values():
            index.add("".join(s.text for s in d.sentences()))
        novel = NovelMaker(pools, index, jur)
        rates = CROSS_RATES if parent.jur.level == jur.level else CHILD_RATES
        # how much a child keeps varies a lot between real documents
        rates = OpRates(**{**rates.__dict__, "deleted": rng.uniform(0.08, 0.45), "add_para": rng.uniform(0.03, 0.3)})
        dv = Deriver(jur, rng, rates, novel)
        paras, _ = derive_paras(parent, spec.parents[0], dv)
        for extra in spec.parents[1:]:
            insert_passages(
                paras,
                _passages(deps[extra], extra, Deriver(jur, rng, PASSAGE_RATES, novel), rng.randint(600, 1500), rng),
                rng,
            )
        doc = Doc(jur, localized_title(rng, parent, jur), date, [], None, paras)
    elif spec.mode == "compose":
        doc = synth_plan(pools, rng, jur, year, chars)
        src = deps[spec.parents[0]]
        index = T.NgramIndex()
        index.add("".join(s.text for s in src.sentences()))
        dv = Deriver(jur, rng, PASSAGE_RATES, NovelMaker(pools, index, jur))
        insert_passages(
            doc.paras, _passages(src, spec.parents[0], dv, int(doc.body_chars() * rng.uniform(0.2, 0.6)), rng), rng
        )
    elif spec.mode == "cite_only":
        doc = synth_plan(pools, rng, jur, year, chars, title=localized_title(rng, deps[spec.cites[0]], jur))
    else:
        doc = synth_plan(pools, rng, jur, year, chars)
    doc.date = date
    dress(doc, rng, p_docno=0.75)
    doc.has_notice = True
    external = None
    if spec.cites:
        _replace_intro(doc, citing_intro(rng, [deps[c] for c in spec.cites], jur, doc.title))
    elif spec.mode == "synth" and rng.random() < 0.3:
        title, no = external = rng.choice(EXTERNAL_CITES)
        _replace_intro(doc, f"为贯彻落实《{title}》{f'（{no}）' if no else ''}精神，结合实际，制定本方案。")
    mark_moves(doc.paras)
    style = Style(
        width=rng.choice(["full", "full", "full", "half"]),
        indent=rng.choice(["none", "u3000", "space2"]),
        blank=rng.random() < 0.3,
        newline="\r\n" if rng.random() < 0.1 else "\n",
    )
    r = render_plain(doc, style)
    name = f"docs/{T.hex_id(rng)}.txt"
    files = [
        (
            name,
            r.text.encode("utf-8"),
            {"file": name, "node": spec.nid, "copy": False, "format": "txt", "encoding": "utf-8"},
        )
    ]
    if rng.random() < 0.06:  # scraped duplicates that must be collapsed onto this node
        sites, chars_ = make_sites(seed), typo_chars(corpus_dir)
        for _ in range(rng.randint(1, 2)):
            spec_c = sample_spec(rng, doc, sites)
            spec_c.truncate, spec_c.typos = None, False  # same content, only scraper noise
            data, meta = make_copy(doc, spec_c, rng, chars_)
            cname = f"docs/{T.hex_id(rng)}.{meta['format']}"
            files.append((cname, data, {"file": cname, "node": spec.nid, "copy": True, **meta}))
    shares = {p: round(source_share(doc, p), 3) for p in spec.parents}
    return {
        "nid": spec.nid,
        "doc": doc,
        "text": r.text,
        "spans": r.spans,
        "files": files,
        "shares": shares,
        "external": external,
        "title_span": r.header["title"],
    }


def build_corpus(out: Path, seed: int, n: int, corpus_dir: str | None, pool_map) -> tuple[dict, dict]:
    """Generate and write all nodes level by level; returns (gold, results)."""
    specs = plan_graph(seed, n)
    results: dict[str, dict] = {}
    (out / "docs").mkdir(parents=True, exist_ok=True)
    for depth in range(max(s.depth for s in specs) + 1):
        level = [s for s in specs if s.depth == depth]
        tasks = [(seed, s, {d: results[d]["doc"] for d in s.deps()}, corpus_dir) for s in level]
        for res in pool_map(build_node, tasks):
            results[res["nid"]] = res
            for name, data, _ in res["files"]:
                (out / name).write_bytes(data)
    return lineage_gold(seed, specs, results), results


def lineage_gold(seed: int, specs: list[NodeSpec], results: dict) -> dict:
    nodes, edges, files = [], [], []
    for s in specs:
        r = results[s.nid]
        d: Doc = r["doc"]
        j = d.jur
        nodes.append(
            {
                "id": s.nid,
                "file": r["files"][0][0],
                "jurisdiction": j.name,
                "level": j.level,
                "province": j.province or (j.name if j.level == "province" else None),
                "city": j.city,
                "issuers": d.issuers,
                "title": d.title,
                "notice_title": d.notice_title(),
                "date": "%04d-%02d-%02d" % d.date,
                "date_cn": d.date_str(),
                "docno": d.docno,
                "mode": s.mode,
                "unrelated": s.unrelated,
                "cites": s.cites,
                "cites_external": r["external"][0] if r["external"] else None,
                "body_chars": d.body_chars(),
                "title_span": list(r["title_span"]),
            }
        )
        for p in s.deps():
            reuse, cite = p in s.parents, p in s.cites
            edges.append(
                {
                    "parent": p,
                    "child": s.nid,
                    "kind": "both" if reuse and cite else "reuse" if reuse else "citation",
                    "share": r["shares"].get(p, 0.0),
                }
            )
        files += [meta for _, _, meta in r["files"]]
    transitive = []
    parents_of = {s.nid: s.deps() for s in specs}
    for s in specs:
        seen, stack = set(), list(parents_of[s.nid])
        while stack:
            p = stack.pop()
            for gp in parents_of[p]:
                if gp not in seen:
                    seen.add(gp)
                    transitive.append([gp, s.nid])
                    stack.append(gp)
    return {
        "kind": "lineage",
        "seed": seed,
        "nodes": nodes,
        "edges": edges,
        "transitive": transitive,
        "files": files,
        "duplicates": [
            {"file": f["file"], "of": f["node"], "transformations": f["transformations"]} for f in files if f["copy"]
        ],
    }


def generate_lineage(out: Path, seed: int, n: int, corpus_dir: str | None = None, pool_map=None) -> dict:
    gold, _ = build_corpus(out, seed, n, corpus_dir, pool_map)
    return gold
