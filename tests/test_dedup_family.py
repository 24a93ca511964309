"""Revision families: versions of one document, never a province plan and its city's adaptation.

Real inputs: corpus/000 (the 2020 Zhejiang plan with its notice), a city's
localized adaptation of it and a document that keeps 70% of it under another
title, made here from the corpus text; a generated lineage corpus (every
document there is its own, derived ones included) and its graph.
"""

from __future__ import annotations

import collections
import os
import re
import sys

import pytest

from lineage.dedup import pipeline as D
from lineage.dedup.family import (
    FAMILY_ALIGNED,
    Identity,
    families,
    identity,
    same_document,
    title_key,
    title_years,
)
from lineage.dedup.features import Features
from lineage.graph.pipeline import build_graph, derive
from lineage.ingest.pipeline import ingest_paths
from lineage.store import Store

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from bench import textops as T  # noqa: E402  (the generator's jurisdiction swap, independent of lineage)
from bench.generate import generate  # noqa: E402

TITLE = "制造强省建设行动计划"


def _lines(path: str) -> list[str]:
    return open(path, encoding="utf-8").read().split("\n")


def _plan(corpus_paths) -> list[str]:
    """corpus/000 without its news lede: the issuing notice, the title line, the plan."""
    lines = _lines(corpus_paths["000"])
    return lines[lines.index("文件全文如下:") + 1 :]


def adaptation(corpus_paths) -> str:
    """绍兴市's localized adaptation of the Zhejiang plan: 浙江省 -> 绍兴市, 全省 -> 全市, its own issuers."""
    return "\n".join(T.swap_jur(x, T.jur("浙江省"), T.jur("绍兴市")) for x in _plan(corpus_paths))


def remix(corpus_paths, title: str = "数字经济发展三年行动计划", every: int = 4) -> str:
    """The same issuers' document under another title: the plan with one paragraph in ``every``
    replaced by a paragraph of another province's plan (corpus/001, localized to Zhejiang),
    from the fourth on (so that its opening still makes the two candidates)."""
    plan = _plan(corpus_paths)
    other = [
        T.swap_jur(x, T.jur("山东省"), T.jur("浙江省"))
        for x in _lines(corpus_paths["001"])
        if len(x) > 60 and "来源" not in x
    ][3:]
    long_ = [i for i, x in enumerate(plan) if len(x) > 60 and i > 9]
    for n, i in enumerate(long_[3::every]):
        plan[i] = other[n]
    return "\n".join(x.replace(TITLE, title) for x in plan)


def revision(corpus_paths, title: str = TITLE + "(征求意见稿)") -> str:
    """A draft of the plan: some targets and words differ, and so does the title's edition."""
    plan = "\n".join(_plan(corpus_paths))
    cut = int(len(plan) * 0.6)
    tail = re.sub(r"(\d{2,})", lambda m: str(int(m.group()) + 3), plan[cut:]).replace("推进", "推动")
    return (plan[:cut] + tail).replace(TITLE, title).replace("2020年3月13日", "2020年1月6日")


def _dedup(tmp_path, files: dict[str, str]):
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    with Store(str(tmp_path / "t.db")) as store:
        result, _ = D.dedup_paths([str(tmp_path / n) for n in files], store)
    return result, {n: result.cluster_of_path(str(tmp_path / n)) for n in files}


def test_title_key_ignores_year_edition_punctuation_and_place():
    same = [
        "先进制造业强省行动计划(2022—2025年)",
        "先进制造业强省行动计划（2023-2027年）（征求意见稿）",
        "山东省先进制造业强省行动计划",
        "山东省人民政府关于印发《先进制造业强省行动计划》的通知",
        "《先进制造业强省行动计划》（修订版）",
    ]
    assert {title_key(t) for t in same} == {"先进制造业强省行动计划"}
    assert title_key("先进制造业强省实施方案") != title_key("先进制造业强省行动计划")
    assert title_key("关于推进绿色制造体系建设的实施意见") == "关于推进绿色制造体系建设的实施意见"
    assert title_key(None) is None and title_key("（2020年）") is None


def test_a_citys_localized_adaptation_is_not_a_revision(tmp_path, corpus_paths):
    """On main the adaptation was `related` to the provincial plan (similarity 0.99)."""
    result, c = _dedup(tmp_path, {"zj.txt": "\n".join(_plan(corpus_paths)), "sx.txt": adaptation(corpus_paths)})
    assert c["zj.txt"] is not c["sx.txt"]
    assert result.related == []
    assert c["zj.txt"].family != c["sx.txt"].family
    assert result.stats["shared_text_not_revisions"] == 1


def test_another_title_keeping_70_percent_is_not_a_revision(tmp_path, corpus_paths):
    """Same issuers, another title, 3/4 of the paragraphs kept: the texts align as a revision
    would (79% and 67% of each side), which is below FAMILY_ALIGNED: reuse, not a version.
    On main the two were `related`."""
    result, c = _dedup(tmp_path, {"plan.txt": "\n".join(_plan(corpus_paths)), "remix.txt": remix(corpus_paths)})
    assert result.related == []
    assert c["plan.txt"].family != c["remix.txt"].family
    assert result.stats["shared_text_not_revisions"] == 1


def _district(corpus_paths, name: str) -> list[str]:
    """A district of 绍兴's adaptation of the Zhejiang plan: its level words (全区, 区级), its name where the
    plan names its province as the maker (浙江制造 -> 柯桥制造, 在浙江 -> 在柯桥), and a line on its city."""
    swaps = [("制造强省", "制造强区"), ("全省", "全区"), ("省级", "区级"), ("省内", "区内"), ("省域", "区域")]
    swaps += [("浙江制造", name + "制造"), ("在浙江", "在" + name)]
    out = []
    for x in _plan(corpus_paths)[_plan(corpus_paths).index(TITLE) + 1 :]:
        for a, b in swaps:
            x = x.replace(a, b)
        out.append(x)
    return ["全区要深入贯彻绍兴市委、绍兴市人民政府决策部署，对标绍兴市制造强市建设目标。", *out]


def test_a_sibling_districts_copy_that_lost_its_notice_is_not_a_revision(tmp_path, corpus_paths):
    """越城区's plan as issued, and a scraped copy of 柯桥区's adaptation of the same plan that lost its notice:
    its title has no place (制造强区建设行动计划, the same title key as 越城区制造强区建设行动计划), no issuer,
    and the place ingest guesses from its body is the city it names (绍兴市), not a district: nothing said the
    two were issued in different places, and they were `related` (generated seed 113: two districts'
    adaptations of one plan, linked as revisions).  Their sentences swap 越城 for 柯桥 four times: a text
    localized for another place."""
    issued = "\n".join(
        [
            "越城区人民政府关于印发越城区制造强区建设行动计划的通知",
            "各街道、各部门：",
            "越城区人民政府",
            "2020年6月15日",
        ]
        + ["越城区制造强区建设行动计划", *_district(corpus_paths, "越城")]
    )
    copy = "\n".join(["制造强区建设行动计划", *_district(corpus_paths, "柯桥")])
    result, c = _dedup(tmp_path, {"yuecheng.txt": issued, "keqiao.txt": copy})
    assert c["yuecheng.txt"] is not c["keqiao.txt"]
    assert result.related == []
    assert c["yuecheng.txt"].family != c["keqiao.txt"].family
    assert result.stats["shared_text_not_revisions"] == 1
    # the same copy with the district's name written as 越城's is a revision of it (a word changed)
    (tmp_path / "b").mkdir()
    same = "\n".join(["制造强区建设行动计划", *_district(corpus_paths, "越城")]).replace("推进", "推动")
    result, c = _dedup(tmp_path / "b", {"yuecheng.txt": issued, "copy.txt": same})
    assert len(result.related) == 1 and c["yuecheng.txt"].family == c["copy.txt"].family


def test_revisions_keep_their_family(tmp_path, corpus_paths):
    """A draft (title up to its edition) and a retitled edition of the same issuers are revisions."""
    files = {"plan.txt": "\n".join(_plan(corpus_paths)), "draft.txt": revision(corpus_paths)}
    result, c = _dedup(tmp_path, files)
    (r,) = result.related
    assert (r.a, r.b) == (c["draft.txt"].id, c["plan.txt"].id)  # the earlier version first
    assert c["plan.txt"].family == c["draft.txt"].family
    # another title, the same issuers, nearly all of both texts aligned
    (tmp_path / "b").mkdir()
    result, c = _dedup(
        tmp_path / "b",
        {"plan.txt": files["plan.txt"], "retitled.txt": revision(corpus_paths, title="制造业高质量发展行动计划")},
    )
    (r,) = result.related
    assert c["plan.txt"].family == c["retitled.txt"].family
    # the draft, the plan and the city's adaptation: the adaptation joins neither
    (tmp_path / "c").mkdir()
    result, c = _dedup(tmp_path / "c", {**files, "sx.txt": adaptation(corpus_paths)})
    assert c["plan.txt"].family == c["draft.txt"].family != c["sx.txt"].family
    assert len(result.related) == 1


def _identity(
    place: str | None, source: str = "issuers", title: str = "制造强省建设行动计划", levels: list[int] | None = None
) -> Identity:
    """A version with one copy; by default its body speaks for its place's level (全市 ten times)."""
    level = place and T.jur(place).level
    f = Features(
        "0" * 64,
        1000,
        "",
        False,
        title,
        None,
        None,
        "txt",
        "utf-8",
        True,
        0,
        jurisdiction=place,
        jurisdiction_level=level,
        jurisdiction_source=source,
        level_words=levels or [10 * (lv == level) for lv in ("province", "city", "county")],
    )
    return identity([f])


def test_the_family_rule_holds_along_a_chain():
    """Versions that state no place link to the plan and to a city's adaptation alike; the
    adaptation still does not join the plan's family, whichever link comes first."""
    plan, bare, city = _identity("浙江省"), _identity(None), _identity("绍兴市")
    for sims in ((0.99, 0.95), (0.95, 0.99)):
        roots, kept = families(
            [plan, bare, city], [(0, 1, sims[0], 0.99, 0.99, "", 0), (1, 2, sims[1], 0.99, 0.99, "", 0)]
        )
        assert roots[0] != roots[2] and len(kept) == 1
        assert roots[1] == (roots[0] if kept == [0] else roots[2])
    # a guess from the body counts against a stated place only at its level (a sibling city),
    # and only where the body speaks for that level
    city = [2, 10, 0]
    assert same_document(_identity("浙江省", levels=city), _identity("绍兴市", "body"), 0.99, 0.99)[0]
    assert not same_document(_identity("宁波市"), _identity("绍兴市", "body"), 0.99, 0.99)[0]
    assert not same_document(_identity("宁波市", "body"), _identity("绍兴市", "body"), 0.99, 0.99)[0]
    assert same_document(_identity("宁波市", "body"), _identity("柯桥区", "body", levels=city), 0.99, 0.99)[0]
    # bodies whose level words were swapped (全省 -> 全市) are different documents, whatever else is known
    assert not same_document(_identity(None, levels=[5, 8, 0]), _identity(None, levels=[5, 0, 3]), 0.99, 0.99)[0]
    assert same_document(_identity(None, levels=[5, 8, 0]), _identity(None, levels=[5, 7, 1]), 0.99, 0.99)[0]
    # the same issuer and another title: a family only with FAMILY_ALIGNED of both sides aligned
    a, b = _identity("浙江省"), _identity("浙江省", title="数字经济发展三年行动计划")
    a = Identity(a.stated, a.guessed, a.levels, a.titles, frozenset({"浙江省人民政府"}))
    b = Identity(b.stated, b.guessed, b.levels, b.titles, frozenset({"浙江省人民政府"}))
    assert same_document(a, b, FAMILY_ALIGNED, 0.9)[0]
    assert not same_document(a, b, FAMILY_ALIGNED - 0.01, 0.9)[0]
    # no title on a side: the alignment decides, unless the issuers differ
    c = Identity(a.stated, a.guessed, a.levels, frozenset(), frozenset())
    assert same_document(a, c, FAMILY_ALIGNED, 0.9)[0] and not same_document(a, c, 0.7, 0.9)[0]
    d = Identity(a.stated, a.guessed, a.levels, frozenset(), frozenset({"浙江省发展和改革委员会"}))
    assert not same_document(a, d, 0.95, 0.95)[0]


@pytest.fixture(scope="module")
def lineage_corpus(tmp_path_factory):
    """60 generated documents: provincial plans, their cities' and counties' adaptations, copies (seed 7)."""
    out = tmp_path_factory.mktemp("lineage")
    gold = generate("lineage", out, seed=7, jobs=1, docs=60)
    db = str(out / "g.db")
    with Store(db) as store:
        ingest_paths([str(out / "docs")], store, jobs=2, derive=derive)
        result = D.dedup(store)
    return out, gold, result, db


def test_no_revision_family_across_documents_of_a_generated_corpus(lineage_corpus):
    """Every document of the lineage kind is its own (no revisions): main linked 7 adaptations."""
    out, gold, result, _ = lineage_corpus
    node = {os.path.abspath(os.path.join(out, f["file"])): f["node"] for f in gold["files"]}
    of = {c.id: collections.Counter(node[p] for p in c.members).most_common(1)[0][0] for c in result.clusters}
    wrong = [(of[r.a], of[r.b]) for r in result.related if of[r.a] != of[r.b]]
    assert wrong == []
    assert len({c.family for c in result.clusters}) == len(result.clusters) == len(gold["nodes"])
    assert result.stats["shared_text_not_revisions"] > 0  # the adaptations were candidates and were told apart


def test_the_graph_finds_the_adaptations_as_reuse(lineage_corpus):
    """Pairs no longer in one family are still found through the index: each planted parent -> child
    pair whose texts align like a revision is a reuse edge, not flagged as versions of one document."""
    out, gold, _result, db = lineage_corpus
    with Store(db) as store:
        graph = build_graph(store, jobs=2).filtered().to_dict()
    node = {os.path.abspath(os.path.join(out, f["file"])): f["node"] for f in gold["files"]}
    vnode = {
        n["id"]: collections.Counter(node[p] for p in n["paths"]).most_common(1)[0][0]
        for n in graph["nodes"]
        if not n.get("external")
    }
    reuse = {
        frozenset((vnode[e["source"]], vnode[e["target"]])): e
        for e in graph["edges"]
        if e["kind"] == "reuse" and e["source"] in vnode and e["target"] in vnode
    }
    close = [frozenset((e["parent"], e["child"])) for e in gold["edges"] if e["share"] >= FAMILY_ALIGNED]
    assert close
    for pair in close:
        assert pair in reuse, sorted(pair)
        assert reuse[pair]["revision"] is False
        assert not any(ev["kind"] == "revision" for ev in reuse[pair]["direction_evidence"])


def test_title_years_are_the_period_a_title_names():
    assert title_years("珠海市数字经济发展三年行动计划（2015—2018年）") == ("2015", "2018")
    assert title_years("关于印发广东省数字经济发展三年行动计划(2021-2023年)的通知") == ("2021", "2023")
    assert title_years("2020年度工作要点") == ("2020",)
    assert title_years("制造强省建设行动计划") == title_years(None) == ()
    # the first years only: an edition's year after the period, a 文号 after the title are not its period
    assert title_years("广东省数字经济发展三年行动计划（2015—2018年）（2017年修订）") == ("2015", "2018")
    assert title_years("关于印发《数字经济发展三年行动计划（2015—2018年）》的通知（粤府〔2015〕12号）") == (
        "2015",
        "2018",
    )
    assert title_years("数字经济发展三年行动计划（2015—18年）") == ("2015", "2018")
