"""Metadata read from the corpus: what the issue asks for, checked on the real files."""

from __future__ import annotations

from lineage.ingest.metadata import parse_date
from lineage.ingest.pipeline import parse
from lineage.ingest.read import RawFile


def test_000_zhejiang_2020_plan(corpus_docs):
    d = corpus_docs["000"]
    assert d.title == "制造强省建设行动计划" and d.title_source == "title line"
    assert (d.date, d.date_kind) == ("2020-03-13", "signed")
    assert d.issuers == ["中共浙江省委办公厅", "浙江省人民政府办公厅"]
    assert (d.jurisdiction.name, d.jurisdiction.level, d.jurisdiction.province) == ("浙江省", "province", "浙江")
    cited = {c.doc_number: c.title for c in d.citations}
    assert cited["浙委发〔2020〕6号"] == "中共浙江省委浙江省人民政府关于以新发展理念引领制造业高质量发展的若干意见"
    assert d.doc_number is None  # the file does not print its own 文号


def test_001_shandong(corpus_docs):
    d = corpus_docs["001"]
    assert d.title == "先进制造业强省行动计划(2022—2025年)" and d.title_source == "lede"
    assert d.issuers == ["中共山东省委", "山东省人民政府"]
    assert (d.jurisdiction.name, d.jurisdiction.level) == ("山东省", "province")
    assert d.date_kind == "estimated" and d.date_range[0] == "2022-10-16"  # it quotes 党的二十大


def test_002_shaoxing_2016(corpus_docs):
    d = corpus_docs["002"]
    assert d.title == "中国制造2025绍兴实施方案"
    assert (d.date, d.date_kind) == ("2016-06-17", "published")
    assert d.published["source"] == "市经信委"
    assert d.issuers == ["绍兴市人民政府"]
    j = d.jurisdiction
    assert (j.name, j.level, j.province, j.code) == ("绍兴市", "city", "浙江", "330600")
    titles = [c.title for c in d.citations]
    assert titles == ["中国制造2025", "中国制造2025浙江行动纲要"]
    assert d.citations[0].doc_number == "国发〔2015〕28号"
    for c in d.citations:
        assert d.text[c.span[0] : c.span[1]] in ("中国制造2025", "浙江行动纲要")


def test_003_has_no_title_or_date_in_the_file_but_its_province_is_read_from_the_body(corpus_docs):
    d = corpus_docs["003"]
    assert d.title is None
    assert (d.jurisdiction.name, d.jurisdiction.source) == ("浙江省", "body")
    assert d.date_kind == "estimated" and d.date_range[0] == "2020-01-01"


def test_004_shaoxing_cites_the_zhejiang_2017_plan(corpus_docs):
    d = corpus_docs["004"]
    assert (d.jurisdiction.name, d.jurisdiction.level, d.jurisdiction.province) == ("绍兴市", "city", "浙江")
    c = next(c for c in d.citations if c.doc_number == "浙政办发〔2017〕100号")
    assert c.title == "浙江省人民政府办公厅关于印发浙江省培育发展战略性新兴产业行动计划(2017—2020年)的通知"
    assert c.issuer == "浙江省人民政府办公厅"
    assert c.plan_title == "浙江省培育发展战略性新兴产业行动计划(2017—2020年)"
    assert d.text[c.span[0] : c.span[1]].startswith("《浙江省人民政府办公厅") and d.text[
        c.span[0] : c.span[1]
    ].endswith("100号)")
    # Undated: after 党的十九大 (quoted) and before its 2020 targets.
    assert d.date == "2018" and d.date_range == ("2017-10-18", "2019-12-31")


def test_dates_in_every_notation():
    assert str(parse_date("2020年3月13日")) == "2020-03-13"
    assert str(parse_date("二〇二〇年三月十三日")) == "2020-03-13"
    assert str(parse_date("二○一六年十二月三十一日".replace("○", "〇"))) == "2016-12-31"
    assert str(parse_date("时间:2016-06-17 00:00:00")) == "2016-06-17"
    assert parse_date("2020年13月40日") is None


def _doc(text: str, name="x.txt"):
    return parse(RawFile(name, "0" * 64, len(text), "utf-8", "html" if name.endswith("html") else "txt", text))


def test_notice_with_doc_number_and_chinese_numeral_date():
    d = _doc(
        "绍兴市人民政府文件\n绍政发〔2016〕21号\n绍兴市人民政府关于印发《中国制造2025绍兴实施方案》的通知\n"
        "各区、县（市）人民政府，市政府各部门：\n现将《中国制造2025绍兴实施方案》印发给你们，请认真贯彻执行。\n"
        "绍兴市人民政府\n二〇一六年六月一日\n中国制造2025绍兴实施方案\n一、总体要求\n（一）指导思想。坚持创新驱动。\n"
    )
    assert d.doc_number == "绍政发〔2016〕21号"
    assert (d.date, d.date_kind) == ("2016-06-01", "signed")
    assert d.title == "中国制造2025绍兴实施方案"
    assert "绍兴市人民政府" in d.issuers
    assert d.jurisdiction.name == "绍兴市"


def test_county_and_national_jurisdictions():
    d = _doc("柯桥区人民政府关于印发柯桥区制造业提升方案的通知\n为推进全区制造业发展，制定本方案。\n")
    assert (d.jurisdiction.name, d.jurisdiction.level, d.jurisdiction.province) == ("柯桥区", "county", "浙江")
    d = _doc(
        "国务院关于印发《中国制造2025》的通知\n各省、自治区、直辖市人民政府：\n现将《中国制造2025》印发给你们，请认真贯彻执行。\n"
        "国务院\n2015年5月8日\n中国制造2025\n一、发展形势\n制造业是国民经济的主体。\n"
    )
    assert d.jurisdiction.level == "national" and d.date == "2015-05-08"


def test_html_page_title_is_a_fallback():
    d = _doc(
        "<html><head><title>关于加快发展的若干措施 - 某市人民政府</title></head><body><p>一、总体要求</p>"
        "<p>加快发展。</p></body></html>",
        "p.html",
    )
    assert d.title == "关于加快发展的若干措施"


def test_cms_page_heading_above_the_publication_line_is_not_the_notice():
    page = (
        "办事服务 | 政策解读 | 首页 | 政务公开\n当前位置：首页 > 信息公开 > 政策法规\n"
        "象山县人民政府关于印发《象山县高端装备制造业发展行动计划》的通知\n"
        "时间：2018年10月25日 来源：县经信局 【字号：大 中 小】\n"
        "象山县人民政府\n关于印发《象山县高端装备制造业发展行动计划》的通知\n甬象政发〔2018〕78号\n"
        "各镇人民政府、街道办事处，县政府各部门、各直属单位：\n"
        "现将《象山县高端装备制造业发展行动计划》印发给你们，请认真贯彻执行。\n象山县人民政府\n2018年10月19日\n"
        "象山县高端装备制造业发展行动计划（2018—2020年）（征求意见稿）\n"
        "　　为加快推进象山制造强县建设，制定本行动计划。\n　　一、总体要求\n"
    )
    d = _doc(page)
    assert d.title == "象山县高端装备制造业发展行动计划（2018—2020年）（征求意见稿）"
    assert (d.date, d.date_kind, d.doc_number) == ("2018-10-19", "signed", "甬象政发〔2018〕78号")
    assert ("page title", "象山县人民政府关于印发《象山县高端装备制造业发展行动计划》的通知") in [
        (r.kind, r.text) for r in d.removed
    ]
    assert next(u.norm_text for u in d.blocks()) == "为加快推进象山制造强县建设,制定本行动计划。"
    assert (d.jurisdiction.name, d.jurisdiction.level) == ("象山县", "county")


def test_issuer_names_resolve_short_county_names_by_prefix():
    d = _doc(
        "攸县人民政府办公室\n关于印发攸县先进制造业强县行动计划的通知\n各乡镇人民政府：\n现将《攸县先进制造业强县行动计划》印发给你们。\n"
        "攸县人民政府办公室\n2024年9月2日\n攸县先进制造业强县行动计划\n一、总体要求\n加快发展。\n"
    )
    assert (d.jurisdiction.name, d.jurisdiction.level, d.jurisdiction.source) == ("攸县", "county", "issuers")


# -- titles that carry their period or edition bound the date (issue 15) ---------------------------


def test_a_title_period_bounds_the_estimate():
    d = _doc("浙江省数字经济发展规划（2022—2025年）\n一、总体要求\n到2025年，全省数字经济增加值显著提高。\n")
    assert (d.date, d.date_kind, d.date_range) == ("2022", "estimated", ("2021-01-01", "2023-12-31"))
    # without the period in the title, the same text has no date at all
    assert _doc("浙江省数字经济发展规划\n一、总体要求\n到2025年，全省数字经济增加值显著提高。\n").date is None


def test_an_edition_or_revision_in_the_title_bounds_the_estimate():
    d = _doc("国家智能制造标准体系建设指南（2021年版）\n一、总体要求\n智能制造标准体系由三个部分组成。\n")
    assert (d.date_kind, d.date_range) == ("estimated", ("2020-01-01", "2021-12-31"))
    d = _doc("绍兴市工业投资项目管理办法（2018年修订）\n第一条 为规范管理，制定本办法。\n")
    assert d.date_range == ("2018-01-01", "2018-12-31") and d.date == "2018"


def test_a_cited_number_later_than_the_title_period_is_flagged():
    d = _doc(
        "绍兴市制造业发展行动计划（2018—2020年）\n一、总体要求\n"
        "为贯彻落实《浙江省人民政府关于加快制造业发展的意见》（浙政发〔2021〕5号），制定本计划。\n"
    )
    assert d.date_range[0] == "2021-01-01"  # a text cannot cite what did not exist yet: the citation wins
    (w,) = d.warnings
    assert "the title says 2018—2020" in w and "cites 浙政发〔2021〕5号 (2021)" in w


LEDE_PAGE = (
    "重磅!{headline}\n"
    "{lede}\n"
    "全文如下:\n"
    "关于进一步优化营商环境促进民营经济发展的若干措施\n"
    "为深入贯彻落实省委、省政府决策部署,全面优化营商环境,促进民营经济高质量发展,结合我区实际,制定本措施。\n"
    "一、降低企业成本。落实国家减税降费政策,全区规上工业企业用电成本下降10%以上。越城区、柯桥区的经验做法在全区推广。\n"
    "二、加强要素保障。优先保障民营企业用地需求,推动越城区先进经验落地。\n"
)


def _lede_doc(headline: str, lede: str):
    text = LEDE_PAGE.format(headline=headline, lede=lede)
    return parse(RawFile("lede.txt", "0" * 64, len(text), "utf-8", "txt", text))


def test_the_issuer_a_lede_names_after_its_headline():
    """A headline that names only a place (历下区发布《…》) before the lede naming the issuer: the
    issuer is read from the lede's second line (main: the headline stopped the search, and the
    jurisdiction was guessed from places the body names, 越城区)."""
    d = _lede_doc(
        "历下区发布《关于进一步优化营商环境促进民营经济发展的若干措施》",
        "日前,历下区人民政府办公室联合发布了《关于进一步优化营商环境促进民营经济发展的若干措施》。",
    )
    assert (d.issuers, d.issuers_source) == (["历下区人民政府办公室"], "lede")
    assert (d.jurisdiction.name, d.jurisdiction.level, d.jurisdiction.source) == ("历下区", "county", "issuers")


def test_the_place_a_lede_reports_from():
    """No issuer in the lede, but the place it reports from: that is the document's jurisdiction,
    before a guess from the body (main: 越城区 from the body)."""
    d = _lede_doc(
        "翠屏印发《关于进一步优化营商环境促进民营经济发展的若干措施》",
        "记者从翠屏区获悉,《关于进一步优化营商环境促进民营经济发展的若干措施》已正式印发实施。",
    )
    assert d.issuers == []
    assert (d.jurisdiction.name, d.jurisdiction.level, d.jurisdiction.source) == ("翠屏区", "county", "lede")


PROVINCE_BODY = (
    "为深入贯彻落实党中央、国务院决策部署,全面优化营商环境,结合我省实际,制定本措施。\n"
    "一、降低企业成本。全省规上工业企业用电成本下降10%以上,全省各地推广杭州市、宁波市经验。\n"
    "二、加强要素保障。全省优先保障民营企业用地需求,全省各市县抓好落实。\n"
)


def _page(wrapper: list[str], body: str = PROVINCE_BODY):
    t = "关于进一步优化营商环境促进民营经济发展的若干措施"
    text = "\n".join([*wrapper, "全文如下:", t, body])
    return parse(RawFile("lede.txt", "0" * 64, len(text), "utf-8", "txt", text))


def test_a_lede_telling_of_another_document_gives_no_issuer():
    """Only the lede's first phrase, or one about this document's title, names its issuer: not
    `此前,国务院印发《中国制造2025》` (review: 全国/national, issuers ['国务院'])."""
    t = "关于进一步优化营商环境促进民营经济发展的若干措施"
    d = _page([f"重磅!新政出台《{t}》", f"日前,《{t}》正式出台。", "此前,国务院印发《中国制造2025》的部署。"])
    assert d.issuers == [] and d.jurisdiction.level == "province"


def test_a_lede_place_that_is_not_where_the_document_is_from():
    """A meeting's venue, or the head of the phrase (浙江省经信厅在新昌县发布: 浙江省, not 新昌县); a city a
    provincial document is reported from, whose body speaks for the province (全省): the province."""
    t = "关于进一步优化营商环境促进民营经济发展的若干措施"
    for lede in (
        f"浙江省经信厅在新昌县发布《{t}》。",
        f"在新昌县召开的全省现场会上发布《{t}》。",
        f"记者从杭州市获悉,《{t}》已正式印发实施。",
    ):
        j = _page(["重磅!新政出台", lede]).jurisdiction
        assert (j.name, j.level) == ("浙江省", "province"), lede


def test_a_lede_from_a_national_body_is_national():
    t = "关于进一步优化营商环境促进民营经济发展的若干措施"
    j = _page(["重磅!新政出台", f"记者从国家发展改革委获悉,《{t}》已正式印发实施。"]).jurisdiction
    assert (j.name, j.level, j.source) == ("全国", "national", "lede")
