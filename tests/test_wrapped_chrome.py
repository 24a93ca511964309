"""Chrome cut by a hard wrap is removed whole: rules apply to lines, and to lines joined again.

Scrapers and text exports wrap whole pages at a fixed width, page furniture
included: a footer `(来源:大众日报客户端)` becomes `(来源:大` and `众日报客户端)`.
"""

from __future__ import annotations

import os
import re
import sys

import pytest
from conftest import ROOT

from lineage.ingest.chrome import RULE_KINDS
from lineage.ingest.pipeline import parse
from lineage.ingest.read import RawFile, decode
from lineage.store import display_text

sys.path.insert(0, ROOT)
from bench.generate import generate
from bench.textops import bare


def wrap_page(text: str, width: int, newline: str = "\n") -> str:
    """Every line of the page cut every ``width`` characters, chrome included (what a text export does)."""
    out = []
    for line in text.split("\n"):
        out.extend([line[i : i + width] for i in range(0, len(line), width)] or [""])
    return newline.join(out)


def doc_of(text: str, name: str = "page.txt"):
    return parse(RawFile(name, "0" * 64, len(text), "utf-8", "html" if name.endswith("html") else "txt", text))


def check_removed(doc) -> None:
    """Removed pieces cover exactly the characters of the original they name."""
    for r in doc.removed:
        assert doc.text[r.span[0] : r.span[1]] == r.text


def body_norms(doc) -> list[str]:
    return [u.norm_text for u in doc.blocks(("body", "attachment"))]


@pytest.mark.parametrize("width", range(16, 46))
def test_a_trailer_wrapped_across_lines_is_cut_whole(corpus_docs, width):
    # corpus/001 ends "…消除事故隐患。 (来源:大众日报客户端)": a wrap falls inside it at most widths.
    orig = corpus_docs["001"]
    doc = doc_of(wrap_page(orig.text, width))
    check_removed(doc)
    (trailer,) = [r for r in doc.removed if r.kind == "source"]
    assert re.sub(r"\s+", "", trailer.text) == "(来源:大众日报客户端)"
    last = doc.blocks()[-1].norm_text
    assert last.endswith("消除事故隐患。") and last == orig.blocks()[-1].norm_text
    assert not any("客户端" in u.norm_text or "来源" in u.norm_text for u in doc.blocks(parts=None))


HEADER = [
    "今天是：2020年3月14日 星期六",
    "首页 | 政务公开 | 新闻中心 | 政策文件 | 办事服务 | 互动交流",
    "当前位置：首页 > 政务公开 > 政策文件 > 规划计划",
    "发布日期：2020-03-13 来源：浙江省人民政府办公厅 浏览次数：1234 【字号：大 中 小】",
]
FOOTER = [
    "上一篇：关于加快推进新型工业化的实施意见",
    "下一篇：关于促进中小企业“专精特新”发展的若干意见",
    "(来源:大众日报客户端)",
    "主办单位：浙江省人民政府办公厅 技术支持：浙江政务服务网",
    "版权所有：浙江省人民政府办公厅 地址：杭州市省府路8号 浙ICP备05012345号",
]


def page(corpus_docs) -> str:
    paras = ["　　" + u.norm_text for u in corpus_docs["003"].blocks() if u.kind == "paragraph"][:12]
    return "\n".join(HEADER + paras + FOOTER) + "\n"


@pytest.mark.parametrize("width", [20, 23, 27, 31, 33, 36, 40])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_hand_made_page_wrapped_keeps_its_body_and_loses_its_chrome(corpus_docs, width, newline):
    text = page(corpus_docs)
    whole = doc_of(text)
    assert len(whole.removed) == len(HEADER) + len(FOOTER)
    doc = doc_of(wrap_page(text, width, newline))
    check_removed(doc)
    assert body_norms(doc) == body_norms(whole)
    removed = "".join(bare(r.text) for r in doc.removed)
    for line in HEADER + FOOTER:
        assert bare(line) in removed, (width, line)


@pytest.mark.parametrize("width", [22, 29, 35])
def test_hand_made_html_page_wrapped_with_br(corpus_docs, width):
    lines = wrap_page(page(corpus_docs), width).split("\n")
    html = (
        "<html><head><meta charset='utf-8'><title>制造强省建设行动计划</title></head><body><div>"
        + "<br>\n".join(lines)
        + "</div></body></html>"
    )
    doc = doc_of(html, "page.html")
    for r in doc.removed:  # HTML spans are the markup of the piece, whose text is what a reader sees
        assert "".join(display_text(doc.text[r.span[0] : r.span[1]]).split()) == "".join(r.text.split())
    assert body_norms(doc) == body_norms(doc_of(page(corpus_docs)))
    removed = "".join(bare(re.sub(r"<[^>]+>", "", r.text)) for r in doc.removed)
    for line in HEADER + FOOTER:
        assert bare(line) in removed, (width, line)


@pytest.fixture(scope="module")
def scraped(tmp_path_factory):
    folder = str(tmp_path_factory.mktemp("scraped"))
    gold = generate("scraped", folder, seed=11, mb=1)
    copies = []
    for entry in gold["files"]:
        if entry["format"] == "txt" and "chrome" in entry["transformations"] and "wrap" not in entry["transformations"]:
            data = open(os.path.join(folder, entry["file"]), "rb").read()
            copies.append((entry["file"], decode(data, "txt")[0].replace("\r\n", "\n")))
    assert len(copies) >= 20
    return copies


@pytest.mark.parametrize("width", [21, 27, 33, 40])
def test_generated_scraped_copies_wrapped_lose_all_their_rule_chrome(scraped, width):
    """Every piece of chrome a rule removes from a generated copy is removed from it wrapped too."""
    for name, text in scraped:
        whole, doc = doc_of(text), doc_of(wrap_page(text, width))
        check_removed(doc)
        removed = "".join(bare(r.text) for r in doc.removed)
        for r in whole.removed:
            if r.kind in RULE_KINDS:
                assert bare(r.text) in removed, (name, width, r.text)
        body = "".join(body_norms(doc))
        assert all(
            bare(r.text) not in bare(body) for r in whole.removed if r.kind in RULE_KINDS and len(bare(r.text)) >= 6
        )


SOURCE = "（来源：四川在线客户端）"


def trailer_page(corpus_docs, width: int | None, before: str, k: int) -> tuple[str, str]:
    """A page whose trailer, after ``before`` (a space: glued to the last paragraph; a line break or a
    blank line: on its own line), is broken after its ``k``-th character, in a text hard-wrapped at
    ``width`` (the trailer added after the wrap, past the width) or not wrapped; and the last paragraph
    as the page has it."""
    paras = ["　　" + u.norm_text for u in corpus_docs["003"].blocks() if u.kind == "paragraph"][:8]
    text = "\n".join(paras) if width is None else wrap_page("\n".join(paras), width)
    text += before + SOURCE[:k] + "\n" + SOURCE[k:] + "\n【打印本页】【关闭窗口】\n"
    return text, paras[-1].strip("　")


@pytest.mark.parametrize("width", [None, 27, 38])
@pytest.mark.parametrize("before", [" ", "\n", "\n\n"])
def test_a_trailer_broken_inside_is_cut_whole_and_the_text_before_it_kept(corpus_docs, width, before):
    """A break inside the trailer itself, wherever it falls: the line holding `(来源:四川在` was chrome
    whole, taking the paragraph's last sentence with it, and `线)` stayed in the body (main: the dedup
    benchmark's seed 32 split two copies from their versions this way)."""
    for k in range(1, len(SOURCE)):
        text, last = trailer_page(corpus_docs, width, before, k)
        doc = doc_of(text)
        check_removed(doc)
        (trailer,) = [r for r in doc.removed if r.kind == "source"]
        assert bare(trailer.text) == bare(SOURCE), (k, trailer.text)
        assert bare(doc.blocks()[-1].norm_text).endswith(bare(last)[-20:]), k
        assert not any("来源" in u.norm_text or "客户端" in u.norm_text for u in doc.blocks(parts=None)), k


@pytest.mark.parametrize("line", ["附件:2022年泉州主要发展指标", "（三）强化要素保障", "确保各项任务落到实处。"])
def test_a_short_last_line_carrying_the_trailer_is_text(corpus_docs, line):
    """A last line short enough to be taken for chrome whole for the trailer it carries (`附件:2022年泉州
    主要发展指标 (来源:山东在线)`): the trailer is cut and the line kept (main: the attachment's
    heading was lost with it; the ingest benchmark's seed 31)."""
    text, _ = trailer_page(corpus_docs, None, "\n\n" + line + " ", len(SOURCE))
    doc = doc_of(text.replace(SOURCE + "\n\n", SOURCE + "\n"))
    check_removed(doc)
    assert [r.text for r in doc.removed if r.kind == "source"] == [SOURCE]
    assert [u.text for u in doc.blocks(parts=None) if u.text in line or line in u.text] == [line]


@pytest.mark.parametrize("width", [24, 33, 40])
@pytest.mark.parametrize("trailer", ["", " (来源:四川在线)"])
def test_a_full_last_line_before_the_page_buttons_is_text(corpus_docs, width, trailer):
    """A wrapped text whose last line is as long as the width and ends a sentence, then the page's
    buttons: the wrap groups them, and the buttons' rule took the line of text along (main: the
    paragraph's last line, and with it the trailer's line, was chrome; the ingest benchmark's seed 3)."""
    paras = ["　　" + u.norm_text for u in corpus_docs["003"].blocks() if u.kind == "paragraph"][:8]
    # the paragraph's last line, with the trailer, as long as the width
    last = paras[-1][: (len(paras[-1]) // width) * width - len(trailer) - 1] + "。"
    text = wrap_page("\n".join(paras[:-1] + [last]), width) + trailer + "\n【打印本页】【关闭窗口】\n"
    doc = doc_of(text)
    check_removed(doc)
    assert doc.blocks()[-1].norm_text == doc_of("\n".join(paras[:-1] + [last])).blocks()[-1].norm_text
    assert [r.kind for r in doc.removed] == (["source"] if trailer else []) + ["button"]


@pytest.mark.parametrize("source", ["【来源：新华社】", "[来源:新华社]", "【信息来源：绍兴日报】"])
def test_a_trailer_in_square_brackets_is_cut(corpus_docs, source):
    """`【来源:新华社】` glued to the last paragraph, whole or broken, as `(来源:...)` is (main: left in the body)."""
    paras = ["　　" + u.norm_text for u in corpus_docs["003"].blocks() if u.kind == "paragraph"][:8]
    for k in range(1, len(source) + 1):
        doc = doc_of("\n".join(paras) + source[:k] + "\n" + source[k:] + "\n【打印本页】\n")
        check_removed(doc)
        assert [bare(r.text) for r in doc.removed if r.kind == "source"] == [bare(source)], k
        assert doc.blocks()[-1].norm_text.endswith("全国领先。"), k


@pytest.mark.parametrize(
    "footer",
    [
        "版权所有：某某市人民政府办公室 未经授权禁止复制或建立镜像。",
        "主办单位：某某市经济和信息化局。承办单位：某某市大数据中心。",
    ],
)
def test_a_wrapped_footer_ending_a_sentence_is_removed_whole(corpus_docs, footer):
    """A footer's own sentence end, after the line its rule finds, does not make the rest text (the
    review of the buttons rule above: `或建立镜像。` was left as the last body unit)."""
    paras = ["　　" + u.norm_text for u in corpus_docs["003"].blocks() if u.kind == "paragraph"][:8]
    whole = bare("".join(u.norm_text for u in doc_of("\n".join(paras)).blocks(parts=None)))
    for width in range(16, 46):
        for tail in ("", "\n【打印本页】【关闭窗口】"):
            doc = doc_of(wrap_page("\n".join([*paras, footer]) + tail, width))
            check_removed(doc)
            # all the text kept, whatever part a wrapped first line is taken for, and no more
            assert bare("".join(u.norm_text for u in doc.blocks(parts=None))) == whole, (width, tail)


@pytest.mark.parametrize(
    "after",
    [
        "\n\n相关文章\n关于加快推进数字经济发展的意见（来源：市发改委）",
        "\n\n关于加快推进数字经济发展的意见（来源：市发改委）\n· 我市召开制造业推进大会 2022-03-01（来源：市经信局）",
        "\n参考文献：[来源:国家统计局2022年统计年鉴]",
    ],
)
def test_lines_with_a_source_that_are_not_a_trailer_stay_chrome(corpus_docs, after):
    """Related articles listed with their sources, or a label and its bracket, after the text: no trailer
    to cut, and nothing of them becomes text."""
    paras = ["　　" + u.norm_text for u in corpus_docs["003"].blocks() if u.kind == "paragraph"][:8]
    doc = doc_of("\n".join(paras) + after + "\n【打印本页】【关闭窗口】\n")
    check_removed(doc)
    assert body_norms(doc) == body_norms(doc_of("\n".join(paras)))
    assert not [r for r in doc.removed if r.kind == "source"]


def test_an_editor_line_after_the_text_is_cut(corpus_docs):
    """`(责任编辑:张三)` on a line of its own after the last paragraph (main: left in the body)."""
    paras = ["　　" + u.norm_text for u in corpus_docs["003"].blocks() if u.kind == "paragraph"][:8]
    doc = doc_of("\n".join(paras) + "\n（责任编辑：张三）\n")
    assert [(r.kind, r.text) for r in doc.removed] == [("editor", "（责任编辑：张三）")]
    assert body_norms(doc) == body_norms(doc_of("\n".join(paras)))
