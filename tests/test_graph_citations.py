"""Citations resolved to corpus versions or kept as external nodes: titles, 文号, issuers, places, dates."""

from __future__ import annotations

from lineage.align.known import known_source
from lineage.graph.citations import doc_number_key, predates, resolve, title_key
from lineage.graph.nodes import Version, interval
from lineage.model import Citation

ZJ = {"name": "浙江省", "level": "province", "province": "浙江", "code": "330000", "source": "issuers"}
JS = {"name": "江苏省", "level": "province", "province": "江苏", "code": "320000", "source": "issuers"}
SX = {"name": "绍兴市", "level": "city", "province": "浙江", "code": "330600", "source": "issuers"}


def version(vid, title, jur, date=None, doc_number=None, cites=()):
    v = Version(
        vid,
        vid * 8,
        f"/x/{vid}.txt",
        [f"/x/{vid}.txt"],
        [vid * 8],
        title,
        date,
        "signed" if date else None,
        None,
        jur,
        [],
        doc_number,
        [(c, f"/x/{vid}.txt") for c in cites],
        family=vid,
        chars=1000,
    )
    v.span = interval(date, v.date_kind)
    return v


def cite(title=None, dn=None, issuer=None, plan=None, via="title", span=(0, 10)):
    return Citation(title, dn, span, issuer, plan, via)


def test_keys_ignore_brackets_widths_and_punctuation():
    assert doc_number_key("浙政办发[2017]100号") == doc_number_key("浙政办发〔2017〕100号") == "浙政办发〔2017〕100号"
    assert doc_number_key("浙政办发（2017）100 号") == "浙政办发〔2017〕100号"
    assert title_key("《浙江省培育发展战略性新兴产业行动计划（2017—2020年）》") == title_key(
        "浙江省培育发展战略性新兴产业行动计划(2017-2020年)"
    )


def test_notice_title_and_doc_number_resolve_to_the_corpus_version():
    plan = version(
        "p", "浙江省培育发展战略性新兴产业行动计划（2017—2020年）", ZJ, "2017-08-01", "浙政办发〔2017〕100号"
    )
    by_notice = version(
        "a",
        "绍兴市行动计划",
        SX,
        "2018-01-01",
        cites=[cite("浙江省人民政府办公厅关于印发浙江省培育发展战略性新兴产业行动计划(2017—2020年)的通知")],
    )
    by_number = version(
        "b", "绍兴市另一计划", SX, "2018-02-01", cites=[cite(None, "浙政办发[2017]100号", via="doc_number")]
    )
    externals, links = resolve([plan, by_notice, by_number])
    assert externals == []
    assert {(lk.citing, lk.cited) for lk in links} == {("a", "p"), ("b", "p")}


def test_a_place_prefixed_title_matches_the_plan_title():
    plan = version("p", "制造强省建设行动计划", ZJ, "2020-03-13")
    city = version("c", "绍兴市计划", SX, "2020-06-01", cites=[cite("浙江省制造强省建设行动计划")])
    _, links = resolve([plan, city])
    assert [(lk.citing, lk.cited) for lk in links] == [("c", "p")]


def test_same_title_in_two_provinces_goes_to_the_issuer_place():
    zj = version("z", "关于进一步优化营商环境的若干措施", ZJ, "2019-01-01")
    js = version("j", "关于进一步优化营商环境的若干措施", JS, "2019-02-01")
    city = version(
        "c",
        "绍兴市措施",
        SX,
        "2019-06-01",
        cites=[
            cite(
                "浙江省人民政府关于印发关于进一步优化营商环境的若干措施的通知",
                issuer="浙江省人民政府",
                plan="关于进一步优化营商环境的若干措施",
            )
        ],
    )
    _, links = resolve([zj, js, city])
    assert [(lk.citing, lk.cited) for lk in links] == [("c", "z")]


def test_own_title_and_number_are_not_citations():
    v = version(
        "v",
        "绍兴市计划",
        SX,
        "2018-01-01",
        "绍政发〔2018〕1号",
        cites=[cite(None, "绍政发〔2018〕1号", via="doc_number"), cite("绍兴市计划")],
    )
    externals, links = resolve([v])
    assert externals == [] and links == []


def test_externals_merge_citations_of_one_document_and_know_its_place_and_year():
    a = version(
        "a",
        "绍兴市计划",
        SX,
        "2018-03-01",
        cites=[
            cite(
                "浙江省人民政府办公厅关于印发浙江省培育发展战略性新兴产业行动计划(2017—2020年)的通知",
                "浙政办发〔2017〕100号",
                issuer="浙江省人民政府办公厅",
                plan="浙江省培育发展战略性新兴产业行动计划(2017—2020年)",
            )
        ],
    )
    b = version("b", "绍兴市另一计划", SX, "2018-05-01", cites=[cite(None, "浙政办发〔2017〕100号", via="doc_number")])
    c = version(
        "c", "绍兴市第三计划", SX, "2018-09-01", cites=[cite("浙江省培育发展战略性新兴产业行动计划(2017—2020年)")]
    )
    externals, links = resolve([a, b, c])
    (ext,) = externals
    assert ext.id.startswith("x-") and ext.doc_number == "浙政办发〔2017〕100号"
    assert ext.title == "浙江省培育发展战略性新兴产业行动计划(2017—2020年)"
    assert ext.jurisdiction["name"] == "浙江省" and ext.level == "province" and ext.jurisdiction["source"] == "issuer"
    assert (ext.date, ext.date_kind, ext.date_range) == ("2017", "doc_number", ("2017-01-01", "2017-12-31"))
    assert ext.cited_by == ["a", "b", "c"] and ext.cited_before == "2018-03-01"
    assert {lk.citing for lk in links} == {"a", "b", "c"}


def test_place_from_the_doc_number_prefix_alone():
    ext = lambda dn: resolve([version("v", "计划", SX, "2018-01-01", cites=[cite(None, dn, via="doc_number")])])[0][0]  # noqa: E731
    assert ext("浙政办发〔2016〕12号").jurisdiction["name"] == "浙江省"
    assert ext("绍政发〔2016〕12号").jurisdiction["name"] == "绍兴市"
    assert ext("国发〔2015〕28号").level == "national"
    assert ext("工信部规〔2016〕160号").level == "national"
    assert ext("甲乙发〔2016〕1号").jurisdiction is None


def test_national_issuers_and_laws():
    v = version(
        "v",
        "计划",
        ZJ,
        "2020-03-13",
        cites=[
            cite("中华人民共和国外商投资法"),
            cite("中国制造2025", "国发〔2015〕28号", issuer="国务院", via="known"),
        ],
    )
    externals, _ = resolve([v])
    by_title = {e.title: e for e in externals}
    assert by_title["中华人民共和国外商投资法"].level == "national"
    mic = by_title["中国制造2025"]
    assert mic.known and mic.date == "2015-05-08" and mic.level == "national"


def test_predates_uses_citations_and_dates():
    a = version("a", "甲", SX, "2016-06-17")
    b = version("b", "乙", ZJ, "2020-03-13")
    ext = resolve([version("c", "丙", SX, "2016-06-17", cites=[cite("中国制造2025浙江行动纲要", via="known")])])[0][0]
    assert ext.date is None and ext.cited_before == "2016-06-17"
    assert predates(ext, b) and not predates(ext, a)  # older than what a document of that date cites? unknown
    ext.cited_by.append("a")
    assert predates(ext, a)


def test_known_passages():
    k, name = known_source("核心基础零部件(元器件)、先进基础工艺、关键基础材料和产业技术基础")
    assert (k.title, name) == ("中国制造2025", "四基")
    assert known_source("大力实施“制造业+互联网”") is None
    assert known_source("坚持创新驱动、质量为先、绿色发展、结构优化、人才为本的基本方针")[1] == "基本方针"


def test_issuer_places_before_ministry_names():
    from lineage.graph.citations import _place_of_name

    assert _place_of_name("中共绍兴市委组织部", "issuer")["name"] == "绍兴市"
    assert _place_of_name("工业和信息化部", "issuer")["level"] == "national"
    assert _place_of_name("国务院办公厅", "issuer")["level"] == "national"
    assert _place_of_name("高水平建设人才强市三年行动计划", "title") is None


# -- editions: a title names a document, the dates choose its edition (issue 15) --------------------

GUIDE = "国家智能制造标准体系建设指南"
CN = {"name": "全国", "level": "national", "province": None, "code": None, "source": "issuers"}


def editions(*dates, title=GUIDE):
    return [version(f"g{d[:4]}", title, CN, d) for d in dates]


def cited_by(v, externals, links):
    (lk,) = [lk for lk in links if lk.citing == v.id]
    return lk, next((e for e in externals if e.id == lk.cited), None)


def test_a_title_citation_never_resolves_to_an_edition_dated_after_the_citer():
    plan = version("p", "绍兴市方案", SX, "2018-06-20", cites=[cite(GUIDE)])
    externals, links = resolve([*editions("2021-11-17"), plan])
    lk, ext = cited_by(plan, externals, links)
    assert ext is not None and ext.later == ["g2021"] and ext.candidates == []
    assert lk.refs[0]["resolution"] == "external"


def test_the_latest_edition_before_the_citer_is_the_one_cited():
    eds = editions("2015-12-29", "2018-08-14", "2021-11-17")
    plans = [version(f"p{d[:4]}", f"方案{d}", SX, d, cites=[cite(GUIDE)]) for d in ("2016-03-01", "2019-01-01")]
    _, links = resolve([*eds, *plans])
    assert {(lk.citing, lk.cited) for lk in links} == {("p2016", "g2015"), ("p2019", "g2018")}
    lk = next(lk for lk in links if lk.citing == "p2019")
    assert lk.confidence == 0.9 and lk.refs[0]["later"] == ["g2021"]


def test_an_edition_named_in_the_citation_is_that_edition():
    eds = [
        version("a", f"{GUIDE}（2015年版）", CN, "2015-12-29"),
        version("b", f"{GUIDE}（2018年版）", CN, "2018-08-14"),
    ]
    by_bare = version("p", "方案", SX, "2019-01-01", cites=[cite(GUIDE)])
    by_edition = version("q", "另一方案", SX, "2019-02-01", cites=[cite(f"{GUIDE}(2015年版)")])
    _, links = resolve([*eds, by_bare, by_edition])
    assert {(lk.citing, lk.cited) for lk in links} == {("p", "b"), ("q", "a")}


def test_when_the_dates_cannot_choose_the_citation_stays_unresolved_with_its_candidates():
    def est(vid: str, y: int) -> Version:
        return Version(
            vid,
            vid * 8,
            f"/x/{vid}.txt",
            [f"/x/{vid}.txt"],
            [vid * 8],
            GUIDE,
            str(y),
            "estimated",
            (f"{y - 1}-01-01", f"{y}-12-31"),
            CN,
            [],
            None,
            [],
            family=vid,
        )

    a, b = est("a", 2018), est("b", 2019)
    for v in (a, b):
        v.span = interval(v.date, v.date_kind, v.date_range)
    plan = version("p", "方案", SX, "2019-06-01", cites=[cite(GUIDE)])
    undated = version("u", "无日期方案", SX, None, cites=[cite(GUIDE)])
    externals, links = resolve([a, b, plan, undated])
    for v in (plan, undated):
        lk, ext = cited_by(v, externals, links)
        assert ext is not None and lk.refs[0]["resolution"] == "unresolved"
        assert lk.refs[0]["candidates"] == ["a", "b"] and ext.candidates == ["a", "b"]
        assert ext.to_dict()["candidates"] == ["a", "b"]


def test_one_edition_the_dates_cannot_confirm_is_a_weak_resolution():
    (guide,) = editions("2015-12-29")
    undated = version("u", "方案", SX, None, cites=[cite(GUIDE)])
    _, links = resolve([guide, undated])
    (lk,) = links
    assert (lk.cited, lk.refs[0]["resolution"], lk.confidence) == ("g2015", "title", 0.4)


def test_a_doc_number_decides_and_a_different_one_rules_a_title_out():
    eds = [
        version("a", GUIDE, CN, "2015-12-29", "工信部联装〔2015〕484号"),
        version("b", GUIDE, CN, "2021-11-17", "工信部联科〔2021〕187号"),
    ]
    by_number = version("p", "方案", SX, "2022-03-01", cites=[cite(GUIDE, "工信部联装〔2015〕484号")])
    other = version("q", "方案二", SX, "2022-03-01", cites=[cite(GUIDE, "工信部联装〔2018〕154号")])
    externals, links = resolve([*eds, by_number, other])
    lk_p, _ = cited_by(by_number, externals, links)
    assert (lk_p.cited, lk_p.refs[0]["resolution"], lk_p.confidence) == ("a", "doc_number", 1.0)
    _lk_q, ext = cited_by(other, externals, links)
    assert ext is not None and ext.doc_number == "工信部联装〔2018〕154号"  # the 2018 edition, not in the corpus


def test_an_estimate_contradicting_a_cited_known_date_is_flagged():
    cited = version("c", "浙江省实施意见", ZJ, "2021-03-01", "浙政发〔2021〕5号")
    citer = Version(
        "e",
        "e" * 8,
        "/x/e.txt",
        ["/x/e.txt"],
        ["e" * 8],
        "绍兴市计划",
        "2019",
        "estimated",
        ("2018-01-01", "2019-12-31"),
        SX,
        [],
        None,
        [(cite(None, "浙政发〔2021〕5号", via="doc_number"), "/x/e.txt")],
        family="e",
    )
    citer.span = interval(citer.date, citer.date_kind, citer.date_range)
    resolve([cited, citer])
    (flag,) = citer.date_conflicts
    assert (
        flag["cited"] == "c"
        and flag["cited_date"] == "2021-03-01"
        and "estimated 2018-01-01..2019-12-31" in flag["detail"]
    )
    assert citer.to_dict()["date_conflicts"] == [flag] and cited.date_conflicts == []


def test_a_weak_citation_is_recorded_but_decides_nothing():
    from collections import Counter

    from lineage.graph.direction import decide

    a, b = version("a", "甲", SX), version("b", "乙", SX)
    weak = decide(a, b, swaps=Counter(), a_cites_b=[], b_cites_a=["《甲》 (by title)"], p_b_cites_a=0.4)
    strong = decide(a, b, swaps=Counter(), a_cites_b=[], b_cites_a=["《甲》 (by title)"], p_b_cites_a=0.9)
    assert weak.status == "uncertain" and [e.favours for e in weak.evidence if e.kind == "citation"] == [None]
    assert strong.status == "established" and strong.source == "a"
