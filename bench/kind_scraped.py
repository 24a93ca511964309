"""`scraped`: ingest/dedup benchmark data.  Families of base documents, each
with versions (original + revisions) and several scraped copies per version;
plus hard-negative families that copy 30-50% of another family's paragraphs,
remixes (another title, same jurisdiction and issuers, 70% of an earlier
plan and 30% provincial paragraphs) and localized adaptations of an earlier
plan by a jurisdiction below it (江苏省 -> 南京市, most paragraphs kept);
and, where asked (``forwarded``), notices forwarding (转发) an earlier plan
whole by a government below its own: the same text, another document.

Every family is a pure function of (seed, family index), so families are
built in parallel and the output is identical for any number of workers."""

from __future__ import annotations

import collections
import math
import random
from functools import lru_cache
from pathlib import Path

from bench import textops as T
from bench.corpus import build_pools
from bench.scrape import make_copy, make_sites, sample_spec
from bench.synth import Doc, adapt, borrow, forward, remix, revise, synth_plan

MB = 1_000_000
HARD_NEGATIVE_P = 0.15
# Different documents that a revision rule must keep apart, each drawn from the family's own
# stream ("variant"), so the other families are the same as without them.
REMIX_P = 0.05
ADAPTATION_P = 0.05
BELOW = {"province": "city", "city": "county"}


def pick_jur(rng: random.Random) -> T.Jur:
    level = rng.choices(["province", "city", "county"], [0.35, 0.45, 0.2])[0]
    return rng.choice(T.jurs_at(level))


def borrower_jur(rng: random.Random, donor: T.Jur) -> T.Jur:
    """Usually a lower-level jurisdiction under the donor (a city plan
    copying a third of its provincial plan), sometimes anyone else."""
    below = {"province": "city", "city": "county"}.get(donor.level)
    if below and rng.random() < 0.7:
        return rng.choice(T.jurs_at(below, donor.name))
    return rng.choice([j for j in T.all_jurs() if j != donor and j.level != "national"])


def body_chars(rng: random.Random) -> int:
    """Body length giving files of roughly 5-60 KB (lognormal, clipped)."""
    return int(min(16000, max(1500, rng.lognormvariate(math.log(5200), 0.55))))


def base_doc(seed: int, i: int, corpus_dir: str | None) -> Doc:
    """Version 0 of family i (also regenerated when a hard negative borrows from it)."""
    rng = T.rng_for(seed, "scraped", "base", i)
    pools = build_pools(corpus_dir)
    j = pick_jur(rng)
    return synth_plan(pools, rng, j, rng.randint(2015, 2024), body_chars(rng), notice=rng.random() < 0.8)


@lru_cache(maxsize=8)
def typo_chars(corpus_dir: str | None) -> list[str]:
    """Replacement characters for typos: the corpus's 600 most common hanzi."""
    pools = build_pools(corpus_dir)
    c = collections.Counter(ch for t, *_ in pools.sentences for ch in t if "\u4e00" <= ch <= "\u9fff")
    return sorted(ch for ch, _ in c.most_common(600))


def canonical_text(doc: Doc) -> str:
    lines = doc.header_lines()
    for p in doc.paras:
        if p.table is not None:
            lines += ["\t".join(r) for r in p.table]
        else:
            lines.append("".join(s.text for s in p.sents))
    return "\n".join(lines) + "\n"


def _variant_rng(seed: int, i: int) -> tuple[random.Random, str | None]:
    rng = T.rng_for(seed, "scraped", "variant", i)
    x = rng.random() if i >= 3 else 1.0
    return rng, "remix" if x < REMIX_P else "adaptation" if x < REMIX_P + ADAPTATION_P else None


def is_normal(seed: int, i: int, forwarded: float = 0.0) -> bool:
    """Is family i a base document with its revisions (whose v0 is ``base_doc(seed, i)``)?"""
    if _variant_rng(seed, i)[1] or _forwards(seed, i, forwarded):
        return False
    return i < 3 or T.rng_for(seed, "scraped", "family", i).random() >= HARD_NEGATIVE_P


def _forwards(seed: int, i: int, p: float) -> bool:
    """Is family i a notice forwarding an earlier plan (drawn from its own stream: the other families are as
    they are without forwarded notices, and so is every family when ``p`` is 0)?"""
    return p > 0 and i >= 3 and T.rng_for(seed, "scraped", "forward", i).random() < p


def forwarded_document(seed: int, i: int, corpus_dir: str | None, p: float) -> tuple[Doc, dict] | None:
    """Family i as a notice forwarding an earlier normal family's v0 by a government below its own, or None."""
    if not _forwards(seed, i, p):
        return None
    rng = T.rng_for(seed, "scraped", "forward-of", i)
    for _ in range(8):
        donor_i = rng.randrange(i)
        if not is_normal(seed, donor_i, p):
            continue
        donor = base_doc(seed, donor_i, corpus_dir)
        if donor.jur.level not in BELOW:
            continue
        doc = forward(donor, rng, rng.choice(T.jurs_at(BELOW[donor.jur.level], donor.jur.name)))
        return doc, {"family": f"f{donor_i:06d}", "version": f"f{donor_i:06d}.v0", "by": doc.jur.name}
    return None


def different_document(seed: int, i: int, corpus_dir: str | None, forwarded: float = 0.0) -> tuple[Doc, dict] | None:
    """Family i as a remix or an adaptation of an earlier normal family's v0, or None (5% each)."""
    rng, kind = _variant_rng(seed, i)
    if kind is None:
        return None
    pools = build_pools(corpus_dir)
    for _ in range(8):  # a donor with a jurisdiction above (remix) or below (adaptation) it
        donor_i = rng.randrange(i)
        if not is_normal(seed, donor_i, forwarded):
            continue
        donor = base_doc(seed, donor_i, corpus_dir)
        ref = {"family": f"f{donor_i:06d}", "version": f"f{donor_i:06d}.v0"}
        if kind == "remix" and donor.jur.level in ("city", "county"):
            up = T.jur(donor.jur.city or donor.jur.province)
            higher = synth_plan(pools, rng, up, donor.date[0] - rng.randint(0, 1), donor.body_chars())
            doc, kept = remix(donor, higher, pools, rng, rng.uniform(0.25, 0.35))
            return doc, {"kind": kind, **ref, "from_higher": up.name, "share_of_self": round(kept, 3)}
        if kind == "adaptation" and donor.jur.level in BELOW:
            keep = round(rng.uniform(0.8, 1.0), 2)
            doc = adapt(
                donor, pools, rng, rng.choice(T.jurs_at(BELOW[donor.jur.level], donor.jur.name)), donor.date[0], keep
            )
            return doc, {"kind": kind, **ref, "share_of_donor": keep}
    return None


def build_family(task: tuple) -> tuple[list[tuple[str, bytes]], list[dict], dict]:
    """All files of family i: ([(relpath, bytes)], [file gold], family gold)."""
    seed, i, corpus_dir, want_canonical, forwarded = task
    rng = T.rng_for(seed, "scraped", "family", i)
    pools = build_pools(corpus_dir)
    sites = make_sites(seed)
    chars = typo_chars(corpus_dir)
    fid = f"f{i:06d}"
    fam: dict = {"family": fid, "kind": "normal"}
    variant = different_document(seed, i, corpus_dir, forwarded)
    passed_on = None if variant else forwarded_document(seed, i, corpus_dir, forwarded)
    if variant:
        doc, info = variant
        fam.update(kind=info.pop("kind"), borrows_from=info)
        n_rev = 0
    elif passed_on:
        doc, info = passed_on
        fam.update(kind="forwarded", borrows_from=info)
        n_rev = 0
        rng.random()  # the hard-negative draw, so that this family's copies are drawn as a normal family's
    elif i >= 3 and rng.random() < HARD_NEGATIVE_P:
        donor_i = rng.randrange(i)
        donor = base_doc(seed, donor_i, corpus_dir)
        share = round(rng.uniform(0.3, 0.5), 2)
        doc, share_self = borrow(
            donor, pools, rng, borrower_jur(rng, donor.jur), donor.date[0] + rng.randint(0, 2), share
        )
        fam.update(
            kind="hard_negative",
            borrows_from={
                "family": f"f{donor_i:06d}",
                "version": f"f{donor_i:06d}.v0",
                "share_of_donor": share,
                "share_of_self": round(share_self, 3),
            },
        )
        n_rev = 0
    else:
        doc = base_doc(seed, i, corpus_dir)
        n_rev = rng.choices([0, 1, 2], [0.5, 0.35, 0.15])[0]
    versions = [(doc, None, 0.0)]
    if n_rev and rng.random() < 0.3:
        doc.title += "（征求意见稿）"  # the draft is v0; revisions drop the suffix
    for k in range(n_rev):
        parent = versions[-1][0]
        new, rate = revise(parent, pools, rng, rng.uniform(0.05, 0.25))
        new.title = new.title.replace("（征求意见稿）", "")
        versions.append((new, k, rate))
    fam.update(jurisdiction=doc.jur.name, level=doc.jur.level, versions=[])
    files: list[tuple[str, bytes]] = []
    gold: list[dict] = []
    for v, (vdoc, parent, rate) in enumerate(versions):
        vid = f"{fid}.v{v}"
        fam["versions"].append(
            {
                "version": vid,
                "parent": f"{fid}.v{parent}" if parent is not None else None,
                "change_rate": round(rate, 3),
                "title": vdoc.title,
                "date": "%04d-%02d-%02d" % vdoc.date,
                "docno": vdoc.docno,
                "issuers": vdoc.issuers,
                "has_notice": vdoc.has_notice,
                "body_chars": vdoc.body_chars(),
            }
        )
        n_copies = rng.choices([1, 2, 3, 4, 5, 6], [25, 25, 20, 13, 10, 7])[0]
        if fam["kind"] != "normal":
            n_copies = rng.randint(1, 3)
        for _ in range(n_copies):
            spec = sample_spec(rng, vdoc, sites)
            if vdoc.forwarded:
                # a forwarding notice's copies keep it: without it, the text is the original's
                spec.notice = True
            data, meta = make_copy(vdoc, spec, rng, chars)
            name = f"docs/{T.hex_id(rng)}.{meta['format']}"
            files.append((name, data))
            rec = {"file": name, "family": fid, "version": vid, **meta, "bytes": len(data)}
            if "borrows_from" in fam:
                rec["borrows_from"] = fam["borrows_from"]
            gold.append(rec)
        if want_canonical:
            files.append((f"canonical/{vid}.txt", canonical_text(vdoc).encode("utf-8")))
    return files, gold, fam


def generate(
    out: Path,
    seed: int,
    mb: float,
    jobs: int,
    corpus_dir: str | None = None,
    canonical: bool = False,
    pool_map=None,
    forwarded: float = 0.0,
) -> dict:
    """Write families until the docs/ total reaches ``mb`` megabytes (10^6 B)."""
    (out / "docs").mkdir(parents=True, exist_ok=True)
    if canonical:
        (out / "canonical").mkdir(exist_ok=True)
    target = int(mb * MB)
    total, files_gold, families = 0, [], []

    # Bounded batches: Pool.imap would otherwise drain an endless task list.
    batch, i, done = max(8, 6 * jobs), 0, False
    while not done:
        tasks = [(seed, j, corpus_dir, canonical, forwarded) for j in range(i, i + batch)]
        i += batch
        for files, gold, fam in pool_map(build_family, tasks):
            for name, data in files:
                (out / name).write_bytes(data)
            total += sum(len(d) for n, d in files if n.startswith("docs/"))
            files_gold += gold
            families.append(fam)
            if total >= target:
                done = True
                break
    return {
        "kind": "scraped",
        "seed": seed,
        "mb": mb,
        **({"forwarded": forwarded} if forwarded else {}),
        "total_bytes": total,
        "sites": [{"site": s.sid, "kind": s.kind, "name": s.name} for s in make_sites(seed)],
        "families": families,
        "files": files_gold,
    }
