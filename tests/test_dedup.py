"""The dedup pipeline on real inputs: the corpus, generated scraped copies, hand-made versions."""

from __future__ import annotations

import collections
import json
import os
import re
import shutil

from dedup_fixtures import scraped, scraped_result  # noqa: F401  (fixtures)

from lineage.dedup import pipeline as D
from lineage.dedup.result import RELATIONS, DedupResult
from lineage.store import Store


def _gold_of(out: str, gold: dict) -> dict[str, dict]:
    return {os.path.abspath(os.path.join(out, f["file"])): f for f in gold["files"]}


def _pairs(labels: dict[str, str]) -> set[frozenset]:
    groups = collections.defaultdict(list)
    for item, lab in labels.items():
        groups[lab].append(item)
    return {frozenset((a, b)) for g in groups.values() for i, a in enumerate(g) for b in g[i + 1 :]}


def _f1(pred: dict, gold: dict) -> tuple[float, float]:
    p, g = _pairs(pred), _pairs(gold)
    return (len(p & g) / len(p) if p else 1.0), (len(p & g) / len(g) if g else 1.0)


# -- the corpus --------------------------------------------------------------------------------


def test_corpus_000_and_003_are_one_version(corpus_paths, db_path):
    with Store(db_path) as store:
        result, _report = D.dedup_paths(list(corpus_paths.values()), store)
    assert len(result.clusters) == 4
    c = result.cluster_of_path(corpus_paths["000"])
    assert c is result.cluster_of_path(corpus_paths["003"])
    assert sorted(c.members) == sorted([corpus_paths["000"], corpus_paths["003"]])
    # 000 has the issuing notice (and its lede and notice are not body): it is the canonical copy
    assert c.canonical == corpus_paths["000"]
    assert "notice" in c.reason
    m = c.details[corpus_paths["003"]]
    assert m.relation in ("noisy", "formatting")
    assert m.containment > 0.99 and m.similarity > 0.99
    for k in ("001", "002", "004"):
        single = result.cluster_of_path(corpus_paths[k])
        assert single.members == [corpus_paths[k]]
        assert single.details[corpus_paths[k]].relation == "canonical"
    assert result.related == []
    assert result.skipped == []


def test_result_is_stored_and_reusable(corpus_paths, db_path, tmp_path):
    with Store(db_path) as store:
        result, report = D.dedup_paths(list(corpus_paths.values()), store)
        loaded = D.load_result(store)
        assert loaded is not None
        assert loaded.to_dict()["clusters"] == result.to_dict()["clusters"]
        sha000, sha003 = report.paths[corpus_paths["000"]], report.paths[corpus_paths["003"]]
        assert loaded.version_of(sha000) == loaded.version_of(sha003) == result.cluster_of_path(corpus_paths["000"]).id
        # a new document makes the stored clustering stale; ensure_result clusters again
        extra = tmp_path / "copy.txt"
        extra.write_text(open(corpus_paths["004"], encoding="utf-8").read().replace("绍兴", "宁波"), encoding="utf-8")
        from lineage.ingest.pipeline import ingest_paths

        ingest_paths([str(extra)], store)
        assert D.load_result(store) is None
        fresh = D.ensure_result(store)
        assert fresh.version_of(store.resolve(str(extra))) is not None
        assert D.load_result(store) is not None


def test_every_path_of_a_document_is_a_member(corpus_paths, db_path, tmp_path):
    """The same bytes under two names: one document, two members, the second 'identical'."""
    twin = tmp_path / "twin.txt"
    shutil.copyfile(corpus_paths["001"], twin)
    with Store(db_path) as store:
        result, _report = D.dedup_paths([corpus_paths["001"], str(twin)], store)
    (c,) = result.clusters
    assert sorted(c.members) == sorted([corpus_paths["001"], str(twin)])
    relations = sorted(m.relation for m in c.details.values())
    assert relations == ["canonical", "identical"]


def test_unreadable_files_are_skipped_and_empty_bodies_are_singletons(corpus_paths, db_path, tmp_path):
    bad = tmp_path / "broken.txt"
    bad.write_bytes(b"\x00\x01\x02binary")
    chrome_only = tmp_path / "chrome.txt"
    chrome_only.write_text("首页\n当前位置:首页>>政策服务\n版权所有:某某市人民政府\n", encoding="utf-8")
    with Store(db_path) as store:
        result, _report = D.dedup_paths([corpus_paths["002"], str(bad), str(chrome_only)], store)
    assert [p for p, _ in result.skipped] == [str(bad)]
    c = result.cluster_of_path(os.path.abspath(str(chrome_only)))
    assert c is not None and len(c.members) == 1
    assert result.cluster_of_path(corpus_paths["002"]) is not c


# -- generated scraped copies -------------------------------------------------------------------


def test_every_input_in_exactly_one_cluster(scraped, scraped_result):
    out, gold = scraped
    result, _report, _ = scraped_result
    seen = collections.Counter(p for c in result.clusters for p in c.members)
    inputs = set(_gold_of(out, gold))
    assert set(seen) == inputs
    assert all(n == 1 for n in seen.values())
    for c in result.clusters:
        assert c.details[c.canonical].relation == "canonical"
        assert {m.relation for m in c.details.values()} <= set(RELATIONS)
        assert c.id == "v-" + c.details[c.canonical].sha256[:12]


def test_versions_and_families_recovered(scraped, scraped_result):
    out, gold = scraped
    result, _, _ = scraped_result
    g = _gold_of(out, gold)
    version = {p: c.id for c in result.clusters for p in c.members}
    family = {p: c.family for c in result.clusters for p in c.members}
    vp, vr = _f1(version, {p: f["version"] for p, f in g.items()})
    fp, fr = _f1(family, {p: f["family"] for p, f in g.items()})
    # the benchmark reports the exact figures on 100 MB to 1 GB; a small sample must already be good
    assert vp >= 0.97 and vr >= 0.95, (vp, vr)
    assert fp >= 0.97 and fr >= 0.95, (fp, fr)
    hard_negatives = {f["family"] for f in gold["families"] if f["kind"] == "hard_negative"}
    donors = {f["borrows_from"]["family"] for f in gold["families"] if f["kind"] == "hard_negative"}
    assert hard_negatives and donors
    for c in result.clusters:
        fams = {g[p]["family"] for p in c.members}
        assert len(fams) == 1, "a hard negative was merged with its donor"
    # remixes (another title, 70% of a plan) and adaptations (a city's localized copy of its
    # province's plan) are other documents: never in their donor's family (main linked 3 here)
    others = {f["family"] for f in gold["families"] if f["kind"] in ("remix", "adaptation")}
    assert others
    members = collections.defaultdict(set)
    for c in result.clusters:
        members[c.family] |= {g[p]["family"] for p in c.members}
    assert all(len(fams) == 1 for fams in members.values()), [f for f in members.values() if len(f) > 1]


def test_revisions_are_related_with_their_changes(scraped, scraped_result):
    out, gold = scraped
    result, _, _ = scraped_result
    g = _gold_of(out, gold)
    assert result.related
    for r in result.related:
        a, b = result.cluster(r.a), result.cluster(r.b)
        assert g[a.canonical]["family"] == g[b.canonical]["family"]
        assert g[a.canonical]["version"] != g[b.canonical]["version"]
        assert 0.5 < r.similarity < 1.0
        ch = r.changes
        assert ch.modified + ch.added + ch.deleted > 0
        assert 1 <= len(ch.examples) <= 5
        assert a.family == b.family
    families = {f["family"] for f in gold["families"] if len(f["versions"]) > 1}
    linked = {g[result.cluster(r.a).canonical]["family"] for r in result.related}
    assert len(linked & families) >= 0.9 * len(families)


def test_relations_agree_with_what_the_generator_did(scraped, scraped_result):
    out, gold = scraped
    result, _, _ = scraped_result
    g = _gold_of(out, gold)
    truncated = [p for c in result.clusters for p, m in c.details.items() if m.relation == "truncated"]
    assert truncated
    for p in truncated:
        assert any(t.startswith("truncated") for t in g[p]["transformations"])
    for c in result.clusters:
        complete = [p for p in c.members if not any(t.startswith("truncated") for t in g[p]["transformations"])]
        if complete:  # a copy that stops early is never chosen over a complete one
            assert c.canonical in complete
        for m in c.details.values():
            assert 0.0 <= m.containment <= 1.0 and 0.0 <= m.similarity <= 1.0
            if m.relation == "truncated":
                assert m.containment > 0.95 and m.similarity < 0.97


def test_incremental_batches(scraped, tmp_path):
    """A second batch is matched against the first, whose files are not read again."""
    out, gold = scraped
    docs = sorted(os.listdir(os.path.join(out, "docs")))
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    for k, name in enumerate(docs):
        shutil.copy2(os.path.join(out, "docs", name), (first if k % 2 else second) / name)
    g = {os.path.basename(f["file"]): f for f in gold["files"]}
    with Store(str(tmp_path / "inc.db")) as store:
        _r1, _rep1 = D.dedup_paths([str(first)], store)
        r2, rep2 = D.dedup_paths([str(first), str(second)], store)
    assert rep2.unchanged == len(os.listdir(first)) and rep2.added == len(os.listdir(second))
    assert sum(len(c.members) for c in r2.clusters) == len(docs)
    joined = 0
    for c in r2.clusters:
        names = {os.path.basename(p) for p in c.members}
        assert len({g[n]["version"] for n in names}) == 1
        if any(os.path.dirname(p) == str(first) for p in c.members) and any(
            os.path.dirname(p) == str(second) for p in c.members
        ):
            joined += 1
    assert joined >= 10  # copies of one version split over the batches meet


def test_clustering_does_not_depend_on_runs(scraped_result):
    result, _, db = scraped_result
    with Store(db) as store:
        store.db.execute("DELETE FROM results WHERE kind=?", (D.PAIRS_KIND,))
        fresh = D.dedup(store, save=False)
        D.dedup(store)  # stores its comparisons
        again = D.dedup(store, save=False)  # finds them cached
    a, b = fresh.to_dict(), again.to_dict()
    assert a["clusters"] == b["clusters"] == result.to_dict()["clusters"]
    assert a["related"] == result.to_dict()["related"]
    back = DedupResult.from_dict(json.loads(json.dumps(a)))
    assert back.to_dict()["clusters"] == a["clusters"]


def test_documents_ingested_without_the_hook(scraped, scraped_result, tmp_path):
    """`lineage ingest` does not compute dedup's features: dedup computes them (in worker processes) itself."""
    from lineage.ingest.pipeline import ingest_paths

    out, _ = scraped
    result, _, _ = scraped_result
    with Store(str(tmp_path / "plain.db")) as store:
        ingest_paths([os.path.join(out, "docs")], store, jobs=2)
        assert store.db.execute("SELECT count(*) FROM cache WHERE kind='dedup'").fetchone()[0] == 0
        again = D.dedup(store, jobs=2)
        assert store.db.execute("SELECT count(*) FROM cache WHERE kind='dedup'").fetchone()[0] == store.count()
    assert again.to_dict()["clusters"] == result.to_dict()["clusters"]


def test_parallel_local_engine_agrees(scraped_result):
    """Comparisons in forked workers give the clusters of comparisons made one by one."""
    from lineage.dedup.engine import LocalEngine

    result, _, db = scraped_result
    with Store(db) as store:
        store.db.execute("DELETE FROM results WHERE kind=?", (D.PAIRS_KIND,))
        forked = D.dedup(store, engine=LocalEngine(jobs=2, parallel_min=1), save=False)
        store.db.execute("DELETE FROM results WHERE kind=?", (D.PAIRS_KIND,))
        serial = D.dedup(store, engine=LocalEngine(jobs=1), save=False)
    assert forked.to_dict()["clusters"] == serial.to_dict()["clusters"] == result.to_dict()["clusters"]
    assert forked.to_dict()["related"] == serial.to_dict()["related"]


# -- hand-made versions: which version a truncated copy belongs to ---------------------------------


def _versions(tmp_path, corpus_paths):
    """000 as v0 (dated 2020-03-13), a v1 revised in its last third and dated 2020-09-01."""
    text = open(corpus_paths["000"], encoding="utf-8").read()
    cut = int(len(text) * 0.7)
    tail = re.sub(r"(\d{2,})", lambda m: str(int(m.group()) + 7), text[cut:])
    tail = tail.replace("推进", "推动").replace("加快", "加速")
    v1 = (text[:cut] + tail).replace("2020年3月13日", "2020年9月1日")
    return text, v1


def test_a_truncated_copy_joins_the_version_dated_nearest(tmp_path, corpus_paths):
    v0, v1 = _versions(tmp_path, corpus_paths)
    (tmp_path / "v0.txt").write_text(v0, encoding="utf-8")
    (tmp_path / "v1.txt").write_text(v1, encoding="utf-8")
    # both stop before the revised part, so their texts are prefixes of both versions
    (tmp_path / "early.txt").write_text(v0[: int(len(v0) * 0.5)], encoding="utf-8")  # notice dated March
    (tmp_path / "late.txt").write_text(v1[: int(len(v1) * 0.55)], encoding="utf-8")  # notice dated September
    with Store(str(tmp_path / "t.db")) as store:
        result, _ = D.dedup_paths([str(tmp_path)], store)
    c0 = result.cluster_of_path(str(tmp_path / "v0.txt"))
    c1 = result.cluster_of_path(str(tmp_path / "v1.txt"))
    assert c0 is not c1
    assert result.cluster_of_path(str(tmp_path / "early.txt")) is c0
    assert result.cluster_of_path(str(tmp_path / "late.txt")) is c1
    assert c0.details[str(tmp_path / "early.txt")].relation == "truncated"
    # one copy, one verb agreeing with it
    assert "; 1 other copy stops early)" in c0.reason
    (r,) = result.related
    assert (r.a, r.b) == (c0.id, c1.id)  # the earlier version first
    assert r.changes.modified > 0
    assert c0.family == c1.family


def test_a_copy_with_a_hard_wrapped_trailer_joins_its_version(tmp_path, corpus_paths):
    """A copy that stops early and whose trailer `(来源:大众日报客户端)` was hard-wrapped across two
    lines keeps the trailer in its body: it is still a copy of its version (main: two versions)."""
    lines = open(corpus_paths["001"], encoding="utf-8").read().split("\n")
    n = int(len(lines) * 0.6)
    cut = "\n".join(lines[:n]) + "\n" + lines[n][: len(lines[n]) // 2] + " (来源:大\n众日报客户端)\n"
    (tmp_path / "cut.txt").write_text(cut, encoding="utf-8")
    shutil.copy(corpus_paths["001"], tmp_path / "full.txt")
    with Store(str(tmp_path / "t.db")) as store:
        result, _ = D.dedup_paths([str(tmp_path / "cut.txt"), str(tmp_path / "full.txt")], store)
    (c,) = result.clusters
    assert c.canonical == str(tmp_path / "full.txt")
    assert c.details[str(tmp_path / "cut.txt")].relation == "truncated"


def test_workers_walking_components_compare_only_what_the_clustering_asks_for(scraped, tmp_path):
    """The local engine compares the candidate pairs in worker processes, one candidate component at a
    time, as the clustering walks them: exactly the comparisons one process walking all of them makes."""
    from lineage.dedup import minhash
    from lineage.dedup.cluster import UnionFind, candidate_components, comparison_order, walk
    from lineage.dedup.engine import LocalEngine
    from lineage.dedup.plan import Plan, body_classes

    out, _ = scraped
    with Store(str(tmp_path / "d.db")) as store:
        D.dedup_paths([os.path.join(out, "docs")], store, jobs=1)
        feats, texts = D.load_features(store, store.shas())
    made = []
    for jobs in (1, 2):
        classes = body_classes(feats)
        plan = Plan(classes, feats, texts, *minhash.bands_for(D.DEFAULT_THRESHOLD))
        engine = LocalEngine(jobs, parallel_min=1)
        pairs = engine.candidates(plan, lambda *a: None)
        plan.component = candidate_components(len(classes), pairs)
        order = comparison_order(plan, pairs)
        if jobs == 1:
            walk(plan, order.tolist(), UnionFind(len(classes)))
        else:
            engine.prefetch(plan, order, lambda *a: None, walk=True)
        made.append(plan.cached)
    assert len(made[0]) > 50 and made[0].keys() == made[1].keys()
    assert len(made[1]) < len(pairs)  # fewer than every candidate pair
