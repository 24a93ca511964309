"""Metadata of hand-made documents in the variant forms real pages use: ○ for zero, ISO signature dates,
a signer and its date on one line, district issuers under their city, ministries, joint issuers, 第N号."""

from __future__ import annotations

from lineage.ingest.pipeline import parse
from lineage.ingest.read import RawFile

PLAN = """浙江省数字经济发展行动计划
为深入贯彻落实党的十九大精神，加快推进全省数字经济高质量发展，结合我省实际，制定本计划。
一、总体要求
（一）主要目标。到2022年，全省数字经济核心产业增加值明显提升，培育一批龙头企业。
二、重点任务
加快5G网络建设，推进全省工业互联网平台建设，支持龙头企业做大做强。
"""


def doc(text: str):
    return parse(
        RawFile(path="t.txt", sha256="0" * 64, size=len(text.encode()), encoding="utf-8", format="txt", text=text)
    )


def notice(
    signature: str,
    head: str = "浙江省人民政府关于印发浙江省数字经济发展行动计划的通知",
    header: str = "浙江省人民政府文件\n浙政发〔2020〕12号\n",
) -> str:
    return (
        f"{header}{head}\n各市、县（市、区）人民政府，省政府直属各单位：\n"
        f"现将《浙江省数字经济发展行动计划》印发给你们，请认真贯彻执行。\n{signature}\n{PLAN}"
    )


def test_a_signature_date_written_with_o_like_zeros_is_the_signed_date():
    for zero in "○◯O":
        d = doc(notice(f"浙江省人民政府\n二{zero}二{zero}年五月六日"))
        assert (d.date, d.date_kind) == ("2020-05-06", "signed"), zero


def test_iso_and_dotted_signature_dates_are_signed_but_a_body_date_is_not():
    for written in ("2020-05-06", "2020.5.6"):
        d = doc(notice(f"浙江省人民政府\n{written}"))
        assert (d.date, d.date_kind) == ("2020-05-06", "signed"), written
    # the same date as a line of the body, far from any signature, signs nothing
    d = doc(PLAN + "2020-05-06\n三、保障措施\n加强组织领导，全省各地各部门要结合实际抓好落实。\n")
    assert d.date_kind == "estimated"


def test_signer_and_date_on_one_line_sign_the_notice_and_the_plan():
    d = doc(notice("浙江省人民政府　　2020年5月6日"))
    assert (d.date, d.date_kind, d.issuers) == ("2020-05-06", "signed", ["浙江省人民政府"])
    # closing a plan that has no notice: the signer is its issuer
    d = doc(PLAN + "浙江省经济和信息化厅 2021-03-02\n")
    assert (d.date, d.date_kind, d.issuers) == ("2021-03-02", "signed", ["浙江省经济和信息化厅"])


def test_a_district_issuer_named_under_its_city_is_the_district():
    cases = {
        "杭州市余杭区人民政府": ("余杭区", "county", "浙江"),
        "上海市浦东新区人民政府": ("浦东新区", "county", "上海"),
        "北京市朝阳区人民政府": ("朝阳区", "county", "北京"),
        "绍兴滨海新区管委会": ("绍兴市", "city", "浙江"),
        "湖北省公安厅": ("湖北省", "province", "湖北"),  # 公安 is a county's short name, not this one's
    }
    for issuer, want in cases.items():
        d = doc(notice(f"{issuer}\n2021年3月2日", head=f"{issuer}关于印发数字经济发展行动计划的通知", header=""))
        j = d.jurisdiction
        assert (j.name, j.level, j.province) == want, issuer
        assert issuer in d.issuers


def test_ministries_are_national_and_a_dateline_is_no_place():
    for issuer in ("教育部", "人力资源社会保障部", "生态环境部", "中国人民银行", "海关总署"):
        d = doc(notice(f"{issuer}\n2021年3月2日", head=f"{issuer}关于印发数字经济发展行动计划的通知", header=""))
        assert (d.jurisdiction.name, d.jurisdiction.level) == ("全国", "national"), issuer
    # 财政部门 is a department at any level
    d = doc("绍兴市财政部门印发《绍兴市数字经济专项资金管理办法》\n" + PLAN.replace("全省", "全市"))
    assert d.jurisdiction is None or d.jurisdiction.level != "national"
    d = doc("新华社北京2月23日电　乡村振兴，关键在人。各地区各部门要加强组织领导，形成合力。\n")
    assert d.jurisdiction is None or d.jurisdiction.name != "北京市"


def test_joint_issuers_on_one_line_or_in_the_title_are_each_an_issuer():
    joint = "中共浙江省委办公厅　浙江省人民政府办公厅"
    d = doc(notice(f"{joint}\n2020年3月13日", head=f"{joint}关于印发《制造强省建设行动计划》的通知", header=""))
    assert d.issuers == ["中共浙江省委办公厅", "浙江省人民政府办公厅"]
    # signed one to a line, named together in the notice title (its glued 国家发展改革委工业和信息化部 is no issuer)
    for pair in (("国家发展改革委", "工业和信息化部"), ("国家市场监督管理总局", "中国人民银行")):
        head = f"{pair[0]} {pair[1]}关于印发数字经济发展行动计划的通知"
        d = doc(notice(f"{pair[0]}\n{pair[1]}\n2022年3月1日", head=head, header=""))
        assert d.issuers == list(pair)
        assert (d.date, d.date_kind) == ("2022-03-01", "signed")
    # letter-spaced, the signer is still one body
    d = doc(notice("浙 江 省 人 民 政 府\n2020年5月6日", header=""))
    assert d.issuers == ["浙江省人民政府"]


def test_own_doc_number_is_not_a_citation_and_a_cited_one_with_di_is_read():
    d = doc(notice("浙江省人民政府\n2020年5月6日"))
    assert d.doc_number == "浙政发〔2020〕12号"
    assert all(c.doc_number != d.doc_number for c in d.citations)
    d = doc(
        "绍兴市新材料产业发展行动计划\n为贯彻落实省政府办公厅《关于推进制造业高质量发展的若干意见》"
        "（浙政办发〔2019〕第5号）精神，结合全市实际，制定本计划。\n"
    )
    c = next(c for c in d.citations if c.title == "关于推进制造业高质量发展的若干意见")
    assert c.doc_number == "浙政办发〔2019〕第5号"
