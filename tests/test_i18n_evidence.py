"""The graph's evidence sentences, produced by the graph's own functions, are each shown translated in Chinese.

If the graph's wording changes, a sentence stops matching lineage/graph/words.py and this fails, naming it.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from types import SimpleNamespace

from lineage import i18n
from lineage.graph import direction as gd
from lineage.graph.words import candidate_why, evidence_detail


def version(short, day=None, kind="signed", level="province", place="浙江省", province="浙江省", rng=None):
    span = None
    if day:
        d = date.fromisoformat(day).toordinal()
        span = (d, d)
    if rng:
        span = tuple(date.fromisoformat(x).toordinal() for x in rng)
    return SimpleNamespace(
        short=short,
        span=span,
        date=day or (rng and rng[0][:4]),
        date_kind=kind if (day or rng) else None,
        date_range=list(rng) if rng else None,
        level=level,
        jurisdiction={"name": place, "province": province, "level": level},
    )


def details() -> list[str]:
    """Every kind of sentence the graph writes, from its functions."""
    prov = version("浙江省计划", "2020-03-13")
    city = version("绍兴市方案", "2016-06-17", kind="published", level="city", place="绍兴市")
    est = version("某市方案", kind="estimated", level="city", place="绍兴市", rng=("2017-10-18", "2019-12-31"))
    undated = version("无日期方案", level="city", place="绍兴市")
    other = version("江苏省计划", "2019-01-01", level="province", place="江苏省", province="江苏省")
    other_city = version("南京市方案", "2019-02-01", level="city", place="南京市", province="江苏省")
    out = [
        gd.date_evidence(prov, city).detail,
        gd.date_evidence(est, prov).detail,
        gd.date_evidence(prov, undated).detail,
        gd.date_evidence(prov, version("同日方案", "2020-03-13")).detail,
        gd.date_evidence(est, version("重叠方案", kind="estimated", rng=("2018-01-01", "2018-12-31"))).detail,
        gd.level_evidence(prov, city).detail,
        gd.level_evidence(city, est).detail,
        gd.level_evidence(prov, other_city).detail,
    ]
    out += [e.detail for e in gd.citation_evidence(prov, city, [], ["浙委发〔2020〕6号"])]
    out += [e.detail for e in gd.citation_evidence(prov, city, [], ["《制造强省建设行动计划》"], p_b_cites_a=0.4)]
    out.append(gd.localization_evidence(prov, city, Counter({("全省", "全市"): 3, ("省委", "市委"): 1})).detail)
    out.append(gd.localization_evidence(prov, city, Counter({("全市", "全省"): 2})).detail)
    out.append(gd.localization_evidence(prov, other, Counter({("浙江省", "江苏省"): 2})).detail)
    out.append(gd.localization_evidence(prov, city, Counter({("全省", "全市"): 2, ("全市", "全省"): 2})).detail)
    draft = version(
        "某市方案（征求意见稿）", kind="estimated", level="city", place="绍兴市", rng=("2017-01-01", "2019-12-31")
    )
    final = version("某市方案", "2018-05-01", level="city", place="绍兴市")
    draft.title, final.title = draft.short, final.short
    for a, b, kw in (
        (draft, final, {"revision": True}),
        (city, prov, {}),
        (prov, city, {"revision": True}),
        (est, prov, {}),
        (undated, version("无日期二", level="city", place="绍兴市"), {}),
        (city, prov, {"swaps": Counter({("全省", "全市"): 3})}),
    ):
        d = gd.decide(
            a, b, swaps=kw.get("swaps", Counter()), a_cites_b=[], b_cites_a=[], revision=kw.get("revision", False)
        )
        out += [e.detail for e in d.evidence]
    return list(dict.fromkeys(out))


def test_every_evidence_sentence_of_the_graph_is_translated():
    found = details()
    kinds = " ".join(found)
    for words in (
        "is earlier than",
        "no date for",
        "same date",
        "dates overlap",
        "both city",
        "higher level",
        "in another province",
        "cites",
        "by title only",
        "localizes",
        "same level",
        "both ways",
        "versions of one document",
        "is a draft (征求意见稿)",
        "direction uncertain",
        "no evidence of direction",
        "not evidence against the dates",
    ):
        assert words in kinds, words  # the graph still writes each kind of sentence this test means to cover
    with i18n.language("zh"):
        untranslated = [d for d in found if not _translated(d, evidence_detail(d))]
    assert untranslated == []
    with i18n.language("en"):
        assert [evidence_detail(d) for d in found] == found


def _translated(en: str, zh: str) -> bool:
    # translated: not the same, and no English words left but those of names (none here) and date kinds' digits
    return zh != en and not re.search(r"[A-Za-z]{3,}", zh)


def test_adoption_and_candidates_are_translated():
    from lineage.graph.edges import adoption

    earlier = SimpleNamespace(id="v-1", short="绍兴市方案", level="city")
    later = SimpleNamespace(id="v-2", short="浙江省计划", level="province")
    common = [{"id": "x-1", "title": "中国制造2025", "passages": 2, "chars": 46}]
    for cands in (common, []):
        a = adoption(earlier, later, [], [], cands)
        with i18n.language("zh"):
            zh = evidence_detail(a["detail"])
            assert zh != a["detail"] and zh.startswith(
                "较晚的 浙江省计划（省级）可能采纳了较早的 绍兴市方案（市级）的文本"
            ), zh
            for c in a["candidates"]:
                assert _translated(c["why"], candidate_why(c["why"]))
            assert "both quote" not in zh and ("中国制造2025（x-1：两者都引述其已知文本" in zh) == bool(cands)
