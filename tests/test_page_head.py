"""The document's head (issuing notice, title) found below page lines no chrome rule knows, and documents
that are themselves a notice: a browser copy of a real page starts with 首页, 无障碍, a time stamp..."""

from __future__ import annotations

import pytest

from lineage.ingest.normalize import fold
from lineage.ingest.pipeline import parse
from lineage.ingest.read import RawFile


def doc_of(text: str, name: str = "page.txt"):
    return parse(RawFile(name, "0" * 64, len(text), "utf-8", "html" if name.endswith("html") else "txt", text))


@pytest.fixture(scope="module")
def plan(corpus_docs) -> list[str]:
    """Paragraphs of a real plan body (Shandong's), to put under hand-made heads."""
    return ["　　" + u.norm_text for u in corpus_docs["004"].blocks() if u.kind == "paragraph"][:8]


NOTICE = [
    "浙江省人民政府办公厅关于印发浙江省制造强省建设行动计划的通知",
    "浙政办发〔2020〕15号",
    "各市、县（市、区）人民政府，省政府直属各单位：",
    "　　《浙江省制造强省建设行动计划》已经省政府同意，现印发给你们，请结合实际认真贯彻执行。",
    "浙江省人民政府办公厅",
    "2020年3月13日",
    "浙江省制造强省建设行动计划",
]

FURNITURE = [
    "浙江省人民政府",
    "无障碍",
    "长者版",
    "English",
    "首页",
    "政务公开",
    "规划计划",
    "2020-03-16 10:23:45",
    "文/张三",
]


def body(doc) -> list[str]:
    return [u.norm_text for u in doc.blocks(("body",))]


@pytest.mark.parametrize(
    "lines", [FURNITURE, FURNITURE[:1], ["首页"], ["2020年03月16日 10:23"], ["人民网>>浙江频道>>财经"]]
)
def test_unknown_page_lines_above_a_notice_are_furniture(plan, lines):
    clean = doc_of("\n".join(NOTICE + plan) + "\n")
    assert (clean.title, clean.doc_number, str(clean.date)) == (
        "浙江省制造强省建设行动计划",
        "浙政办发〔2020〕15号",
        "2020-03-13",
    )
    doc = doc_of("\n".join(lines + NOTICE + plan) + "\n")
    assert (doc.title, doc.doc_number, doc.date, doc.date_kind) == (clean.title, clean.doc_number, clean.date, "signed")
    assert doc.issuers == clean.issuers == ["浙江省人民政府办公厅"]
    assert body(doc) == body(clean)
    assert [r.text for r in doc.removed if r.kind == "before the title"] == lines
    assert doc.jurisdiction.name == "浙江省"


def test_a_city_site_name_above_a_provincial_notice_is_the_site_not_the_issuer(plan):
    """Cities reprint their province's documents under their own page header."""
    doc = doc_of("\n".join(["绍兴市人民政府", *NOTICE, *plan]) + "\n")
    assert doc.issuers == ["浙江省人民政府办公厅"]
    assert doc.jurisdiction.name == "浙江省"
    # the issuer's own red header above its notice is the notice's
    doc = doc_of("\n".join(["浙江省人民政府办公厅文件", *NOTICE, *plan]) + "\n")
    assert not [r for r in doc.removed if r.kind == "before the title"]
    assert doc.title == "浙江省制造强省建设行动计划"


def test_unknown_lines_above_a_title_and_a_lede(plan):
    doc = doc_of("\n".join(["登录 | 注册", "首页", "先进制造业强省行动计划(2022—2025年)", *plan]) + "\n")
    assert doc.title == "先进制造业强省行动计划(2022—2025年)"
    assert body(doc) == [p.strip("　") for p in plan]
    lede = "日前，山东省委、省政府印发《先进制造业强省行动计划(2022—2025年)》，提出到2025年初步建成先进制造业强省。"
    doc = doc_of("\n".join(["澎湃新闻记者 张三", lede, "先进制造业强省行动计划(2022—2025年)", *plan]) + "\n")
    assert [u.norm_text for u in doc.blocks(("wrapper",))][-1] == lede.replace("，", ",")
    assert doc.title == "先进制造业强省行动计划(2022—2025年)"
    assert body(doc) == [p.strip("　") for p in plan]


def test_a_page_that_starts_with_its_text_keeps_every_line(plan):
    """Short lines above the first sentence that no title follows are the document's (an addressee, a
    heading): nothing is removed."""
    for head in (["各市、县（市、区）人民政府：", "一、总体要求"], ["工作要点"], ["目录", "一、总体目标"]):
        doc = doc_of("\n".join(head + plan) + "\n")
        assert not [r for r in doc.removed if r.kind == "before the title"], head


def test_a_notice_issued_as_itself_is_titled_by_its_notice_line():
    """关于做好…的通知 without 印发 is the document, and 现将有关事项通知如下 opens its own text (no news
    wrapper ends there)."""
    text = "\n".join(
        [
            "浙江省经济和信息化厅文件",
            "浙经信技术〔2021〕56号",
            "浙江省经济和信息化厅关于做好2021年度制造业数字化改造工作的通知",
            "各市、县（市、区）经信局：",
            "　　为加快推进制造业数字化转型，现将有关事项通知如下：",
            "　　一、加快推进重点行业数字化改造，每个县（市、区）培育一批数字化车间和智能工厂。",
            "　　二、各地要建立工作专班，明确责任分工，确保各项任务落到实处。",
            "　　特此通知。",
            "浙江省经济和信息化厅",
            "2021年4月2日",
        ]
    )
    doc = doc_of(text + "\n")
    assert doc.title == "浙江省经济和信息化厅关于做好2021年度制造业数字化改造工作的通知"
    assert doc.doc_number == "浙经信技术〔2021〕56号"
    assert (str(doc.date), doc.date_kind) == ("2021-04-02", "signed")
    assert doc.issuers == ["浙江省经济和信息化厅"]
    assert body(doc)[0].startswith("为加快推进制造业数字化转型,现将有关事项通知如下")
    assert not list(doc.blocks(("wrapper",)))


def test_issuer_lines_above_a_title_and_its_date_line(plan):
    doc = doc_of(
        "\n".join(["中共浙江省委", "浙江省人民政府", "关于加快建设制造强省的若干意见", "（2020年1月10日）", *plan])
        + "\n"
    )
    assert doc.title == "关于加快建设制造强省的若干意见"
    assert doc.issuers == ["中共浙江省委", "浙江省人民政府"]
    assert body(doc) == [p.strip("　") for p in plan]


@pytest.mark.parametrize("number", ["浙政发【2020】12号", "浙政办发〔2020〕第12号"])
def test_doc_number_lines_in_other_brackets_keep_the_notice(plan, number):
    notice = [NOTICE[0], number, *NOTICE[2:]]
    doc = doc_of("\n".join(notice + plan) + "\n")
    assert doc.title == "浙江省制造强省建设行动计划"
    assert (str(doc.date), doc.date_kind) == ("2020-03-13", "signed")
    assert body(doc) == [p.strip("　") for p in plan]


def test_a_lede_ending_its_full_text_marker_with_a_full_stop(plan):
    lede = "山东省委、省政府近日印发《先进制造业强省行动计划(2022—2025年)》。全文如下。"
    doc = doc_of("\n".join([lede, "先进制造业强省行动计划(2022—2025年)", *plan]) + "\n")
    assert doc.title == "先进制造业强省行动计划(2022—2025年)"
    assert body(doc) == [p.strip("　") for p in plan]


def test_a_notice_title_a_wrap_cut_in_two(plan):
    doc = doc_of(
        "\n".join(
            [
                "浙江省人民政府办公厅关于印发浙江省培育发展战略性新兴",
                "产业行动计划（2017—2020年）的通知",
                "浙政办发〔2017〕100号",
                "各市、县（市、区）人民政府，省政府直属各单位：",
                "　　《浙江省培育发展战略性新兴产业行动计划（2017—2020年）》已经省政府同意，现印发给你们，请认真组织实施。",
                "浙江省人民政府办公厅",
                "2017年9月5日",
                *plan,
            ]
        )
        + "\n"
    )
    assert doc.title == "浙江省培育发展战略性新兴产业行动计划(2017—2020年)"  # read from the notice line: folded
    assert (doc.issuers, doc.doc_number, str(doc.date)) == (
        ["浙江省人民政府办公厅"],
        "浙政办发〔2017〕100号",
        "2017-09-05",
    )
    assert body(doc) == [p.strip("　") for p in plan]


def test_the_notice_names_its_attachment_before_the_signature(plan):
    """附件：… between the notice's text and the signature (the standard layout), then 附件 above the plan."""
    notice = [*NOTICE[:4], "附件：浙江省制造强省建设行动计划", *NOTICE[4:6], "（此件公开发布）", "附件", NOTICE[6]]
    doc = doc_of("\n".join(notice + plan) + "\n")
    assert (doc.title, str(doc.date), doc.date_kind) == ("浙江省制造强省建设行动计划", "2020-03-13", "signed")
    assert body(doc) == [p.strip("　") for p in plan]


@pytest.mark.parametrize(
    "signature",
    [
        ["浙江省人民政府办公厅", "二○二○年三月十三日"],
        ["浙江省人民政府办公厅", "2020-03-13"],
        ["浙江省人民政府办公厅　　2020年3月13日"],
    ],
)
def test_signatures_in_other_forms_close_the_document(plan, signature):
    """A signature the page closes with, its year typed with ○, its date ISO or on the signer's line: the
    notice's, not the body's.  A date alone at the end of a page (its publication) stays where it is."""
    doc = doc_of("\n".join(["浙江省制造强省建设行动计划", *plan, *signature]) + "\n")
    assert body(doc) == [p.strip("　") for p in plan]
    assert (str(doc.date), doc.date_kind, doc.issuers) == ("2020-03-13", "signed", ["浙江省人民政府办公厅"])
    doc = doc_of("\n".join(["浙江省制造强省建设行动计划", *plan, "2020-03-13"]) + "\n")
    assert body(doc)[-1] == "2020-03-13"


@pytest.mark.parametrize("number", ["（浙政发〔2020〕12号）", "浙政发〔2020〕12号"])
def test_a_title_with_its_number_under_it_and_one_in_book_title_marks(plan, number):
    for title in ("浙江省数字经济发展行动计划", "《浙江省数字经济发展行动计划》"):
        doc = doc_of("\n".join([title, number, *plan]) + "\n")
        assert (doc.title, doc.doc_number) == ("浙江省数字经济发展行动计划", "浙政发〔2020〕12号")
        assert body(doc) == [p.strip("　") for p in plan]


def test_a_pdf_copy_loses_its_running_headers_and_imprint(plan):
    """Every page of a PDF copy repeats the red header and the 文号 (with the page's number glued on, when
    the text layer ran them together); the imprint (版记: 抄送, 印发) closes the document: not its text."""
    pages = ["浙江省人民政府办公厅文件", NOTICE[1]]
    text = "\n".join(
        [
            *NOTICE,
            plan[0],
            "— 1 —",
            *pages,
            plan[1],
            "-2-浙政办发〔2020〕15号",
            *plan[2:],
            "抄送：省委各部门，省人大常委会办公厅，省政协办公厅。",
            "浙江省人民政府办公厅　　　　　　　　2020年3月16日印发",
        ]
    )
    doc = doc_of(text + "\n")
    assert body(doc) == [p.strip("　") for p in plan]
    assert [r.kind for r in doc.removed].count("running header") == 3
    assert (str(doc.date), doc.issuers) == ("2020-03-13", ["浙江省人民政府办公厅"])  # not the printing date
    # a body that speaks of a document by its 文号 keeps it
    doc = doc_of("\n".join([*NOTICE, plan[0], "浙政办发〔2020〕15号文件精神要求：", *plan[1:]]) + "\n")
    assert len(body(doc)) == len(plan) + 1


def html_page(head: list[str], paras: list[str], title: str = "", extra: str = "") -> str:
    ps = "".join(f"<p>{p}</p>\n" for p in head + paras)
    return (
        f"<html><head><meta charset='utf-8'><title>{title}</title></head><body>{extra}"
        f"<div class='content'>{ps}</div></body></html>"
    )


@pytest.mark.parametrize("info", ["<div class='info'>发布日期：2018-05-10 09:30 浏览次数：1234</div>", ""])
def test_a_page_headline_above_a_notice_that_prints_its_number_first(plan, info):
    """The CMS's <h1> repeats the notice title; the article then prints its 文号 before the same title
    (绍政办发…, 关于印发…的通知): the headline is the page's, and the notice is read whole."""
    head = [NOTICE[1], *NOTICE[0:1], *NOTICE[2:]]
    doc = doc_of(html_page(head, plan, extra=f"<h1>{NOTICE[0]}</h1>{info}"), "page.html")
    assert (doc.title, doc.doc_number, str(doc.date), doc.date_kind) == (
        "浙江省制造强省建设行动计划",
        "浙政办发〔2020〕15号",
        "2020-03-13",
        "signed",
    )
    assert body(doc) == [p.strip("　") for p in plan]
    assert [r.text for r in doc.removed if r.kind == "page title"] == [NOTICE[0]]


def test_a_page_cut_off_inside_a_tag_and_a_page_title_with_a_period(plan):
    title = "绍兴市培育发展战略性新兴产业行动计划（2018—2020年）_绍兴市人民政府"
    doc = doc_of(html_page([], plan, title=title)[:-25] + "<p sty", "page.html")
    assert body(doc)[-1] == plan[-1].strip("　")
    assert all(doc.text[u.span[0] : u.span[1]].find("<p sty") < 0 for u in doc.blocks(("body",)))
    empty = doc_of(f"<html><head><title>{title}</title></head><body></body></html>", "page.html")
    assert empty.title == "绍兴市培育发展战略性新兴产业行动计划（2018—2020年）"


def test_an_info_table_gives_the_date_number_and_issuer_the_page_has_no_notice_for(plan):
    table = [
        "<table class='xxgk'><tr><td>索引号：</td><td>002483573/2018-12345</td></tr>",
        "<tr><td>发文机关：</td><td>绍兴市人民政府办公室</td><td>成文日期：</td><td>2018-05-06</td></tr>",
        "<tr><td>发文字号：</td><td>绍政办发〔2018〕15号</td><td>发布日期：</td><td>2018-05-10</td></tr></table>",
    ]
    doc = doc_of(
        html_page(["绍兴市培育发展战略性新兴产业行动计划（2018—2020年）"], plan, extra="".join(table)), "p.html"
    )
    assert (str(doc.date), doc.date_kind, doc.doc_number) == ("2018-05-06", "signed", "绍政办发〔2018〕15号")
    assert doc.issuers == ["绍兴市人民政府办公室"]
    assert doc.jurisdiction.name == "绍兴市"
    assert body(doc) == [p.strip("　") for p in plan]
    # text lines: 文号 with its value on the line
    lines = [
        "索引号：002482470/2020-00123",
        "成文日期：2020年5月6日",
        "文号：浙政发〔2020〕12号",
        "浙江省数字经济发展行动计划",
    ]
    doc = doc_of("\n".join(lines + plan) + "\n")
    assert (str(doc.date), doc.doc_number, doc.title) == (
        "2020-05-06",
        "浙政发〔2020〕12号",
        "浙江省数字经济发展行动计划",
    )


# -- what the head, imprint and page-number rules must leave alone (a review's cases) ----------------------


def test_a_table_of_contents_or_a_subtitle_below_the_title_is_no_title(plan):
    """目录 and 前言 open the document's own text; a short title-like entry (保障措施, 工作方案) below the
    title does not replace it."""
    title = "绍兴市制造业高质量发展实施方案"
    for head in (
        [title, "目录", "发展基础", "总体要求", "保障措施"],
        [title, "（征求意见稿）", "工作方案"],
        ["前言", "发展基础", "重点任务与政策措施"],
    ):
        doc = doc_of("\n".join(head + plan) + "\n")
        assert doc.title == (title if head[0] == title else None), head
        assert not [r for r in doc.removed if r.kind == "before the title"], head


def test_an_imprint_over_two_lines_does_not_sign(plan):
    doc = doc_of(
        "\n".join(
            [
                *NOTICE,
                *plan,
                "抄送：省委各部门，省人大常委会办公厅，省政协办公厅。",
                "浙江省人民政府办公厅",
                "2020年3月16日印发",
            ]
        )
        + "\n"
    )
    assert (str(doc.date), doc.issuers) == ("2020-03-13", ["浙江省人民政府办公厅"])
    assert body(doc) == [p.strip("　") for p in plan]


def test_a_task_tables_numbers_status_cells_and_header_stay(plan):
    """序号 cells 1, 2, 3 between task and responsibility cells are no page numbers, the unit named in every
    row no running header, 未完成 no reprint's note, 实施日期 (no colon) a header cell."""
    rows = []
    for k, task in enumerate(
        [
            "加快推进工业互联网平台建设，培育一批标杆企业",
            "实施智能化技术改造，建设一批智能工厂",
            "推进制造业数字化转型，打造产业大脑",
        ],
        1,
    ):
        rows += [str(k), task, "市经信局", "未完成"]
    table = ["附件", "重点任务分工表", "序号", "重点任务", "责任单位", "实施日期", *rows]
    doc = doc_of("\n".join(["浙江省制造强省建设行动计划", *plan, *table]) + "\n")
    kept = "".join(u.text for u in doc.blocks(("body", "attachment")))
    assert not [r for r in doc.removed if r.kind in ("page number", "running header", "button", "info table")]
    assert kept.count("市经信局") == 3 and kept.count("未完成") == 3 and "实施日期" in kept


def test_a_header_naming_the_issuer_in_full_above_its_abbreviated_notice_title(plan):
    notice = [
        "绍兴市经济和信息化局",
        "市经信局关于印发绍兴市智能制造行动计划的通知",
        *NOTICE[2:4],
        "绍兴市经济和信息化局",
        "2020年3月16日",
    ]
    doc = doc_of("\n".join([*notice, "绍兴市智能制造行动计划", *plan]) + "\n")
    assert not [r for r in doc.removed if r.kind == "before the title"]
    assert doc.title == "绍兴市智能制造行动计划"


@pytest.mark.parametrize(
    "head",
    [
        [
            "浙江省经济和信息化厅关于公开征求《制造强省建设行动计划（征求意见稿）》意见的公告",
            "　　为广泛听取社会各界意见，现将《制造强省建设行动计划（征求意见稿）》全文公布，征求意见截止时间为2020年1月20日。",
            "浙江省经济和信息化厅",
            "2020年1月10日",
        ],
        [
            "浙江省经济和信息化厅关于征求《制造强省建设行动计划（征求意见稿）》修改意见和建议的函",
            "各设区市经信局：",
            "　　现将《制造强省建设行动计划（征求意见稿）》印发给你们，请于1月20日前反馈意见。",
            "浙江省经济和信息化厅",
            "2020年1月10日",
        ],
    ],
)
def test_a_call_for_comments_is_the_notice_of_the_draft_it_publishes(head, plan):
    """A draft is published under a call for comments (关于公开征求《…（征求意见稿）》意见的公告): that is its
    notice, signed by the drafting body on the day it was published; the draft's title is the line below.
    Before, the call was the title, the date an estimate, the issuer unknown, and the draft cited itself."""
    d = doc_of("\n".join([*head, "", "制造强省建设行动计划（征求意见稿）", *plan]) + "\n")
    assert d.title == "制造强省建设行动计划（征求意见稿）"
    assert (d.date, d.date_kind) == ("2020-01-10", "signed")
    assert d.issuers == ["浙江省经济和信息化厅"]
    assert not any("征求意见稿" in (c.title or "") for c in d.citations)
    notice = "".join(u.norm_text for u in d.blocks(parts=None) if u.part == "notice")
    assert all(fold(x.strip()) in notice for x in head)


def test_a_plan_issued_under_a_notice_of_opinions_keeps_its_own_title():
    """关于印发…的意见的通知 issues 意见: the call-for-comments form (…意见的通知) must not cut its plan short."""
    from lineage.ingest.metadata import NOTICE_TITLE

    m = NOTICE_TITLE.match("浙江省人民政府关于印发关于加快制造业高质量发展的意见的通知")
    assert m and m.group("plan") == "关于加快制造业高质量发展的意见"
    m = NOTICE_TITLE.match("浙江省经济和信息化厅关于征求《浙江省制造业高质量发展行动计划（征求意见稿）》意见的通知")
    assert m and m.group("plan") == "《浙江省制造业高质量发展行动计划（征求意见稿）》"
