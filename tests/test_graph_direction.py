"""Direction of a reuse edge from hand-made cases: dates (points and ranges), level, citations, localization."""

from __future__ import annotations

from collections import Counter

import pytest

from lineage.graph.direction import decide, swap_evidence, term_level
from lineage.graph.nodes import Version, interval, order_key, related_places

ZJ = {"name": "浙江省", "level": "province", "province": "浙江", "code": "330000", "source": "issuers"}
SX = {"name": "绍兴市", "level": "city", "province": "浙江", "code": "330600", "source": "issuers"}
KQ = {"name": "柯桥区", "level": "county", "province": "浙江", "code": "330603", "source": "issuers"}
SD = {"name": "山东省", "level": "province", "province": "山东", "code": "370000", "source": "issuers"}
JN = {"name": "济南市", "level": "city", "province": "山东", "code": "370100", "source": "issuers"}


def version(
    vid: str,
    jur: dict | None,
    date: str | None = None,
    kind: str | None = None,
    rng: tuple[str, str] | None = None,
    family: str | None = None,
) -> Version:
    v = Version(
        vid,
        vid * 8,
        f"/x/{vid}.txt",
        [f"/x/{vid}.txt"],
        [vid * 8],
        f"plan {vid}",
        date,
        kind,
        rng,
        jur,
        [],
        None,
        [],
        family=family or vid,
        chars=1000,
    )
    v.span = interval(date, kind, rng)
    return v


def kinds(d) -> dict:
    return {e.kind: e.favours for e in d.evidence}


def test_intervals():
    assert interval("2016-06-17", "published") == (interval("2016-06-17", "signed")[0],) * 2
    lo, hi = interval("2018", "estimated", ("2017-10-18", "2019-12-31"))
    assert hi - lo == 804
    y = interval("2017", "doc_number")
    assert y[1] - y[0] == 364
    assert interval(None) is None


def test_earlier_point_date_and_higher_level_agree():
    d = decide(
        version("a", ZJ, "2017-03-01", "signed"),
        version("b", SX, "2018-05-01", "signed"),
        swaps=Counter(),
        a_cites_b=[],
        b_cites_a=[],
    )
    assert (d.source, d.status) == ("a", "established")
    assert kinds(d) == {"date": "a", "level": "a"}
    assert d.confidence == pytest.approx(1 - 0.2 * 0.4)


def test_overlapping_estimates_are_not_evidence():
    a = version("a", SX, "2018", "estimated", ("2017-10-18", "2019-12-31"))
    b = version("b", SX, "2019", "estimated", ("2019-01-01", "2020-12-31"))
    d = decide(a, b, swaps=Counter(), a_cites_b=[], b_cites_a=[])
    assert d.status == "uncertain" and not d.conflict and d.confidence < 0.5
    (date,) = [e for e in d.evidence if e.kind == "date"]
    assert date.favours is None and "overlap" in date.detail


def test_disjoint_estimate_is_weaker_evidence_than_two_points():
    pub = version("a", SX, "2016-06-17", "published")
    est = version("b", SX, "2018", "estimated", ("2017-10-18", "2019-12-31"))
    d = decide(pub, est, swaps=Counter(), a_cites_b=[], b_cites_a=[])
    assert (d.source, d.status, d.confidence) == ("a", "established", 0.65)


def test_two_definite_dates_decide_against_the_level():
    # a city plan published before the provincial plan that shares its text: the province cannot be its source,
    # and the level pointing the other way is overruled, not a conflict; but that the province took the city's
    # text rather than both drawing on a common source is not shown: uncertain, the earlier side first
    city = version("a", SX, "2016-06-17", "published")
    prov = version("b", ZJ, "2020-03-13", "signed")
    d = decide(city, prov, swaps=Counter(), a_cites_b=[], b_cites_a=[])
    assert (d.source, d.status, d.conflict, d.confidence) == ("a", "uncertain", False, 0.4)
    assert kinds(d) == {"date": "a", "level": None}  # level is kept, overruled, not a conflict
    (lvl,) = d.overruled
    assert lvl.kind == "level" and lvl.overruled_by == "date" and "not evidence against the dates" in lvl.detail
    assert lvl.to_dict(True)["overruled_by"] == "date" and d.by_dates
    assert not any(e.kind == "conflict" for e in d.evidence)


def test_an_estimated_date_against_the_level_is_still_a_conflict():
    # an estimate proves nothing inside its range: today's rule, direction uncertain
    city = version("a", SX, "2018", "estimated", ("2017-10-18", "2019-12-31"))
    prov = version("b", ZJ, "2020-03-13", "signed")
    d = decide(city, prov, swaps=Counter(), a_cites_b=[], b_cites_a=[])
    assert d.status == "uncertain" and d.conflict and not d.overruled
    assert kinds(d)["date"] == "a" and kinds(d)["level"] == "b"


def test_a_citation_against_definite_dates_is_a_conflict():
    # two facts disagree (a date or the citation is wrong): say so, do not choose
    city = version("a", SX, "2016-06-17", "published")
    prov = version("b", ZJ, "2020-03-13", "signed")
    d = decide(city, prov, swaps=Counter(), a_cites_b=["《plan b》"], b_cites_a=[])
    assert d.status == "uncertain" and d.conflict


def test_level_across_provinces_is_not_evidence():
    d = decide(version("a", SD, None), version("b", SX, None), swaps=Counter(), a_cites_b=[], b_cites_a=[])
    (lvl,) = [e for e in d.evidence if e.kind == "level"]
    assert lvl.favours is None and "another province" in lvl.detail
    assert d.status == "uncertain" and "no date" in d.evidence[0].detail
    assert related_places(SD, JN) and not related_places(SD, SX)
    assert related_places({"name": "全国", "level": "national"}, SX)


def test_citation_decides_against_missing_dates():
    d = decide(version("a", SX), version("b", SX), swaps=Counter(), a_cites_b=[], b_cites_a=["《plan a》"])
    assert (d.source, d.status, d.confidence) == ("a", "established", 0.9)
    d = decide(version("a", SX), version("b", SX), swaps=Counter(), a_cites_b=["浙政办发〔2017〕100号"], b_cites_a=[])
    assert d.source == "b"


def test_localized_clauses_point_from_the_higher_jurisdiction():
    assert term_level("浙江省") == 1 and term_level("全省") == 1 and term_level("省委、省政府") == 1
    assert term_level("绍兴市") == 2 and term_level("全市") == 2 and term_level("在绍") == 2
    assert term_level("柯桥区") == 3 and term_level("全国") == 0
    assert term_level("国家级") == 0  # a level word as 全国 is: 国家级 -> 市级 is direction evidence too
    down = Counter({("浙江省", "绍兴市"): 3, ("全省", "全市"): 5})
    assert swap_evidence(down)[:2] == (8, 0)
    # undated documents of one level: only the swaps tell
    a, b = version("a", None), version("b", None)
    d = decide(a, b, swaps=down, a_cites_b=[], b_cites_a=[])
    assert (d.source, d.status, d.confidence) == ("a", "established", 0.85)
    up = Counter({(y, x): n for (x, y), n in down.items()})
    d = decide(a, b, swaps=up, a_cites_b=[], b_cites_a=[])
    assert d.source == "b" and "全市→全省" not in d.evidence[-1].detail


def test_swaps_both_ways_or_sideways_are_not_evidence():
    mixed = Counter({("浙江省", "绍兴市"): 2, ("全市", "全省"): 2})
    d = decide(version("a", None), version("b", None), swaps=mixed, a_cites_b=[], b_cites_a=[])
    assert kinds(d)["localization"] is None and d.status == "uncertain"
    sideways = Counter({("浙江", "江苏"): 4})
    d = decide(version("a", None), version("b", None), swaps=sideways, a_cites_b=[], b_cites_a=[])
    assert kinds(d)["localization"] is None and "same level" in d.evidence[-2].detail


def test_localization_against_estimated_dates_is_a_conflict():
    # the city text is dated first (an estimate) but its clauses are the localized ones: say so, do not choose
    city = version("a", SX, "2015", "estimated", ("2015-01-01", "2015-12-31"))
    prov = version("b", ZJ, "2016-01-01", "signed")
    d = decide(city, prov, swaps=Counter({("全市", "全省"): 6}), a_cites_b=[], b_cites_a=[])
    assert d.status == "uncertain" and d.conflict


def test_localization_against_definite_dates_is_overruled():
    city = version("a", SX, "2015-01-01", "signed")
    prov = version("b", ZJ, "2016-01-01", "signed")
    d = decide(city, prov, swaps=Counter({("全市", "全省"): 6}), a_cites_b=[], b_cites_a=[])
    assert (d.source, d.status, d.conflict) == ("a", "uncertain", False)
    assert sorted(e.kind for e in d.overruled) == ["level", "localization"]


def test_a_citation_with_the_dates_against_the_level_establishes_the_adoption():
    # the later province cites the earlier city plan: it drew on it, whatever the level says
    city = version("a", SX, "2016-06-17", "published")
    prov = version("b", ZJ, "2020-03-13", "signed")
    d = decide(city, prov, swaps=Counter(), a_cites_b=[], b_cites_a=["《中国制造2025绍兴实施方案》"])
    assert (d.source, d.status, d.conflict) == ("a", "established", False)
    assert d.confidence > 0.9 and d.by_dates and kinds(d)["citation"] == "a"


def test_order_key_puts_dated_before_undated_and_higher_levels_first():
    same_day = [version("c", KQ, "2018-01-01", "signed"), version("p", ZJ, "2018-01-01", "signed")]
    assert [v.id for v in sorted(same_day, key=order_key)] == ["p", "c"]
    assert order_key(version("u", ZJ))[0] == float("inf")


def test_a_draft_for_comments_comes_before_the_version_it_became():
    """The case of a scraped corpus: 佛山市先进制造业强市行动计划（征求意见稿）, dated only by estimate
    (2023..2025), and the signed plan of 2025-01-10 -- versions of one document (dedup).  main: uncertain."""
    draft = version("a", SX, "2024", "estimated", ("2023-01-01", "2025-12-31"))
    final = version("b", SX, "2025-01-10", "signed")
    draft.title = "佛山市先进制造业强市行动计划（2024—2027年）（征求意见稿）"
    final.title = "佛山市先进制造业强市行动计划(2024—2027年)"
    for a, b, source in ((draft, final, "a"), (final, draft, "b")):
        d = decide(a, b, swaps=Counter(), a_cites_b=[], b_cites_a=[], revision=True)
        assert (d.source, d.status, d.confidence) == (source, "established", 0.8)
        (ed,) = [e for e in d.evidence if e.kind == "edition"]
        assert ed.favours == source and " is a draft (征求意见稿) of " in ed.detail
    # not versions of one document (another place's draft, say): the title alone says nothing
    d = decide(draft, final, swaps=Counter(), a_cites_b=[], b_cites_a=[])
    assert d.status == "uncertain" and "edition" not in kinds(d)
    # two drafts, or two finals: nothing to tell
    other = version("c", SX, "2024", "estimated", ("2023-01-01", "2025-12-31"))
    other.title = "佛山市先进制造业强市行动计划（送审稿）"
    assert "edition" not in kinds(decide(draft, other, swaps=Counter(), a_cites_b=[], b_cites_a=[], revision=True))


def test_a_draft_dated_after_its_final_version_is_a_conflict_not_a_direction():
    draft = version("a", SX, "2025-03-01", "signed")
    final = version("b", SX, "2025-01-10", "signed")
    draft.title, final.title = "方案（草案）", "方案"
    d = decide(final, draft, swaps=Counter(), a_cites_b=[], b_cites_a=[], revision=True)
    assert d.status == "uncertain" and d.conflict
