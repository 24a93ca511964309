"""Web chrome in its many site variants is removed; document text that looks like it stays.

Each case wraps a corpus document (corpus/004, a plan without notice; corpus/003, a
plan in full-width form) in lines that real portals, news sites, WeChat copies and
PDF exports print around or inside it: the body must come out as the clean
document's, and the line must be in ``removed`` with a kind.  Near misses put
document text that shares words with chrome into the body: it must stay.
"""

from __future__ import annotations

import pytest
from conftest import ROOT

from lineage.ingest.normalize import fold
from lineage.ingest.pipeline import parse
from lineage.ingest.read import RawFile

# (without the " |" the scraper left after its last sentence)
PLAN = open(f"{ROOT}/corpus/004_6f0a94d0c08b789a.txt", encoding="utf-8").read().rstrip("\n |").split("\n")


def doc_of(lines: list[str]):
    text = "\n".join(lines) + "\n"
    return parse(RawFile("page.txt", "0" * 64, len(text), "utf-8", "txt", text))


CLEAN = doc_of(PLAN)


def body(doc) -> str:
    return "".join(u.norm_text for u in doc.blocks(("body", "attachment")))


def removed(doc) -> dict[str, str]:
    return {fold(r.text): r.kind for r in doc.removed}


def assert_clean(doc, chrome: list[str]) -> None:
    assert body(doc) == body(CLEAN)
    assert doc.title == CLEAN.title
    got = "".join(fold(r.text) for r in doc.removed)  # (a line may go as two pieces: 【纠错】, 【责任编辑:…】)
    for line in chrome:
        assert fold(line) in got, line
    for r in doc.removed:
        assert doc.text[r.span[0] : r.span[1]] == r.text


# -- lines below the document -------------------------------------------------------------

FOOTERS = [
    "主办：山东省人民政府办公厅",
    "承办：山东省大数据中心",
    "运维单位：绍兴市信息中心",
    "网站识别码bm01000001",
    "政府网站找错",
    "党政机关",
    "适老化无障碍服务",
    "您是第 123456 位访问者",
    "推荐使用IE9及以上版本浏览器",
    "视力保护色：",
    "【TOP】",
    "链接：",
    "+1",
]
CREDITS = [
    "(责编：王静、刘军涛)",
    "（记者 张三 通讯员 李四）",
    "校对：赵六",
    "终审：王五",
    "文字：张三  摄影：李四",
    "澎湃新闻报料：021-962866",
    "澎湃新闻，未经授权不得转载",
    "我要举报",
    "分享让更多人看到",
    "下载浙江新闻客户端，了解更多资讯",
    "浙江新闻客户端",
    "微信 微博 QQ空间 分享：",
    "【纠错】【责任编辑:张三】",
]
WECHAT = ["阅读原文", "在看", "点赞", "▼", "往期推荐", "喜欢此内容的人还喜欢"] + [
    "来源 | 绍兴市人民政府办公室",
    "编辑 | 张三",
    "审核 | 李四",
    "监制 | 王五",
]
WIDGETS = [
    "首页 上一页 1 2 3 4 下一页 尾页",
    "共3页  上一页 [1] [2] 3 下一页",
    "附件下载：",
    "相关附件：",
    "2025年制造强省建设关键指标.docx",
    "指标.pdf",
    "— 12 —",
    "第12页 共12页",
]


@pytest.mark.parametrize("line", FOOTERS + CREDITS + WECHAT + WIDGETS)
def test_a_chrome_line_below_the_document_is_removed(line):
    assert_clean(doc_of(PLAN + [line]), [line])


def test_a_wechat_page_bottom_is_removed_whole():
    bottom = [
        "▼",
        "往期推荐",
        "绍兴市人民政府关于加快推进工业有效投资的若干意见",
        "喜欢此内容的人还喜欢",
        "在看",
        "点赞",
    ]
    assert_clean(doc_of(PLAN + WECHAT[6:] + bottom), WECHAT[6:] + bottom)


# -- trailers glued to the last paragraph ---------------------------------------------------


@pytest.mark.parametrize("trailer", ["(责编：王静、刘军涛)", "（责编：王静）", "（记者 张三）"])
def test_a_credit_glued_to_the_last_paragraph_is_cut(trailer):
    doc = doc_of(PLAN[:-1] + [PLAN[-1] + trailer])
    assert body(doc) == body(CLEAN)
    assert any(fold(r.text) == fold(trailer) for r in doc.removed)


# -- inside the document: media placeholders and page numbers -------------------------------

INSIDE = [
    "图片",
    "▲图为山东某智能制造车间。（资料图）",
    "点击查看大图",
    "视频加载中...",
    "— 3 —",
    "- 3 -",
    "第3页 共12页",
]


@pytest.mark.parametrize("line", INSIDE)
def test_a_placeholder_between_paragraphs_is_removed(line):
    assert_clean(doc_of(PLAN[:12] + [line] + PLAN[12:]), [line])


def test_bare_page_numbers_of_a_pdf_copy_are_removed():
    # between two lines of text, and after the last one
    lines = PLAN[:6] + ["3 / 12"] + PLAN[6:9] + ["4"] + PLAN[9:] + ["12"]
    assert_clean(doc_of(lines), ["3 / 12", "4", "12"])


def test_page_numbers_between_headings_follow_the_numbered_pages():
    # "5" between two headings: a page number only because page 4 is one between text lines
    lines = PLAN[:6] + ["4"] + PLAN[6:24] + ["5"] + PLAN[24:]
    assert PLAN[23].startswith("二、") and PLAN[24].startswith("(一)")
    assert_clean(doc_of(lines), ["4", "5"])


# -- related lists and pager titles under the document -------------------------------------


RELATED = [
    "相关文件：",
    "浙江省人民政府关于加快推进5G产业发展的实施意见",
    "浙江省人民政府办公厅关于印发浙江省数字经济五年倍增计划的通知",
    "相关解读：",
    "《浙江省制造强省建设行动计划》政策解读",
    "图解：浙江省制造强省建设行动计划",
    "延伸阅读",
    "全省制造业高质量发展大会召开",
    "热门排行",
    "1.浙江：打造全球先进制造业基地",
]
PAGER = [
    "【打印本页】 【关闭窗口】",
    "上一篇：",
    "绍兴市人民政府关于加快推进工业有效投资的若干意见",
    "下一篇：",
    "绍兴市人民政府办公室关于印发绍兴市新材料产业发展规划的通知",
]


@pytest.mark.parametrize("bottom", [RELATED, PAGER], ids=["related", "pager"])
def test_titles_of_other_pages_below_the_document_are_removed(bottom):
    # the titles under 相关文件:/延伸阅读 and after an empty 上一篇:
    assert_clean(doc_of(PLAN + bottom), bottom)


# -- the info table above a policy page ----------------------------------------------------


def test_an_info_table_in_cells_is_removed_with_its_values():
    top = [
        "索引号：",
        "000014349/2020-00015",
        "主题分类：",
        "工业、交通\\其他",
        "发文机关：",
        "绍兴市人民政府办公室",
        "成文日期：",
        "2018年03月05日",
        "标　　题：",
        "绍兴市培育发展战略性新兴产业行动计划",
        "发文字号：",
        "绍政办发〔2018〕12号",
    ]
    doc = doc_of(top + PLAN)
    assert_clean(doc, top)
    kinds = removed(doc)
    assert kinds[fold("发文字号：")] == kinds[fold("绍政办发〔2018〕12号")] == "info table"


def test_bare_labels_and_tab_rows_of_an_info_table_are_removed():
    top = [
        "索引号",
        "002482073/2020-133214",
        "生成日期",
        "2020-03-16",
        "文号",
        "绍政办发〔2018〕12号",
        "有效性",
        "有效",
    ]
    tabs = ["发文机关:绍兴市人民政府办公室\t成文日期:2018年03月05日", "标题:绍兴市培育发展战略性新兴产业行动计划"]
    assert_clean(doc_of(top + tabs + PLAN), top + tabs)


# -- document text that looks like chrome stays ---------------------------------------------

KEPT = [
    "（四）推广“浙里办”二维码亮码服务",
    "资金来源：省级财政专项资金和各市配套资金。",
    "地址：杭州市省府路8号省政府办公厅秘书处。",
    "广泛宣传典型经验，为企业创新点赞。",
    "组织干部职工阅读原文，深入学习领会。",
    "相关文件",
    "主办：省经信厅、省科技厅",
    "党政机关",
    "+1",
]


@pytest.mark.parametrize("line", KEPT[:6])
def test_document_text_like_chrome_stays_in_the_body(line):
    doc = doc_of(PLAN[:12] + [line] + PLAN[12:])
    assert fold(line) in body(doc)
    assert fold(line) not in removed(doc)


@pytest.mark.parametrize("line", KEPT[6:])
def test_footer_words_inside_the_text_stay(line):
    # an event notice names its 主办 inside its text; a list of bodies may hold 党政机关
    doc = doc_of(PLAN[:12] + [line] + PLAN[12:])
    assert fold(line) in body(doc)


def test_a_related_heading_inside_the_text_keeps_what_follows():
    doc = doc_of(PLAN[:12] + ["相关文件", PLAN[12], "推荐阅读"] + PLAN[13:])
    for line in ("相关文件", PLAN[12], "推荐阅读"):
        assert fold(line) in body(doc)


def test_a_number_among_table_cells_is_not_a_page_number():
    table = [
        "序号",
        "指标",
        "单位",
        "2020年",
        "1",
        "规模以上工业增加值",
        "亿元",
        "4500",
        "2",
        "研发投入强度",
        "%",
        "2.5",
    ]
    doc = doc_of(PLAN + table)
    assert not any(r.kind == "page number" for r in doc.removed)
    assert "1 | 规模以上工业增加值" in body(doc)
