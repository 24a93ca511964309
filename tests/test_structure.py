"""Parts, paragraphs, outline, tables, sentences and clauses on real documents."""

from __future__ import annotations

import re

from lineage.ingest.normalize import fold
from lineage.ingest.pipeline import parse
from lineage.ingest.read import RawFile
from lineage.ingest.segment import split_clauses, split_sentences


def blocks(doc, part=None):
    return [u for u in doc.blocks(parts=None) if part is None or u.part == part]


def test_news_wrapper_notice_title_and_body_of_000(corpus_docs):
    d = corpus_docs["000"]
    wrapper = blocks(d, "wrapper")
    assert wrapper[0].norm_text == "打造光伏产业及应用高地浙江发布《制造强省建设行动计划》"
    assert wrapper[-1].norm_text == "文件全文如下:"
    # The lede quotes three body paragraphs; both copies are kept, the lede marked as wrapper.
    body = {u.norm_text for u in blocks(d, "body")}
    quoted = [u.norm_text for u in wrapper[2:4]]
    assert all(any(q in b for b in body) for q in quoted)
    notice = [u.norm_text for u in blocks(d, "notice")]
    assert notice[:3] == ["中共浙江省委办公厅", "浙江省人民政府办公厅", "关于印发《制造强省建设行动计划》的通知"]
    assert notice[-1] == "2020年3月13日"
    assert [u.norm_text for u in blocks(d, "title")] == ["制造强省建设行动计划"]
    assert blocks(d, "body")[0].norm_text.startswith("为认真贯彻《中共浙江省委")
    assert [u.norm_text for u in blocks(d, "attachment")] == ["附件:2025年制造强省建设关键指标"]


def test_000_and_003_have_the_same_body_after_normalization_but_one_comma(corpus_docs):
    a = [u.norm_text for u in blocks(corpus_docs["000"], "body")]
    b = [u.norm_text for u in blocks(corpus_docs["003"], "body")]
    assert len(a) == len(b) == 56
    diff = [(x, y) for x, y in zip(a, b) if x != y]
    assert len(diff) == 1
    x, y = diff[0]
    assert x.replace("到2025年,培育", "到2025年培育") == y


def test_website_chrome_of_002_is_removed_and_kept_with_spans(corpus_docs):
    d = corpus_docs["002"]
    kinds = [r.kind for r in d.removed]
    assert kinds == ["greeting", "breadcrumb", "navigation", "counter", "footer", "contact", "footer"]
    for r in d.removed:
        assert d.text[r.span[0] : r.span[1]] == r.text
    text = "".join(u.norm_text for u in d.blocks(parts=None))
    for chrome in ("当前位置", "点击:1390", "版权所有", "ICP备", "0575-88054092"):
        assert chrome not in text


def test_indicator_table_of_002_is_one_block(corpus_docs):
    d = corpus_docs["002"]
    (table,) = d.units_of("table")
    cells = table.norm_text.split(" | ")
    assert cells[0] == "2025绍兴制造强市建设主要指标"
    assert cells[1:6] == ["一级指标", "二级指标", "2015年", "2020年", "2025年"]
    assert cells[-4:] == ["规上企业劳动生产率(万元/人)", "20.3", "28", "35"]
    assert len(cells) == 89  # lines 47-224 of the file, every other line blank
    # The note under the table stays a paragraph of its own.
    after = d.blocks()[d.blocks().index(table) + 1]
    assert after.norm_text.startswith("﹡注:") or after.norm_text.startswith("*注:")


def test_trailers_glued_to_the_last_paragraph_are_cut(corpus_docs):
    d = corpus_docs["001"]
    assert [(r.kind, r.text) for r in d.removed] == [("source", "(来源:大众日报客户端)")]
    assert d.blocks()[-1].norm_text.endswith("和供应商入库。") or "来源" not in d.blocks()[-1].norm_text
    assert [(r.kind, r.text) for r in corpus_docs["004"].removed] == [("separator", "|")]


def test_outline_levels(corpus_docs):
    d = corpus_docs["002"]
    by_marker = {}
    for o in d.outline:
        by_marker.setdefault(re.sub(r"[\d一二三四五六七八九十]+", "N", fold(o.marker)), set()).add(o.level)
    assert by_marker == {"N、": {1}, "(N)": {2, 4}, "N.": {3}} or by_marker == {
        "N、": {1},
        "(N)": {2},
        "N.": {3},
        "(N)_": {4},
    }
    levels = {o.marker: o.level for o in d.outline}
    assert levels["一、"] == 1 and levels["(一)"] == 2 and levels["1."] == 3 and levels["(1)"] == 4
    heads = [(o.marker, o.title) for o in corpus_docs["004"].outline[:4]]
    assert heads == [("一、", "总体要求"), ("(一)", "指导思想"), ("(二)", "基本原则"), ("1.", "聚焦创新发展")]


def test_sentences_never_split_inside_brackets_or_quotes():
    s = fold("为贯彻《关于…的意见。补充》(浙委发〔2020〕6号;另见),提出“一是创新;二是开放”。第二句;第三句!")
    pieces = [s[a:b] for a, b in split_sentences(s)]
    assert pieces == [
        "为贯彻《关于...的意见。补充》(浙委发〔2020〕6号;另见),提出“一是创新;二是开放”。",
        "第二句;",
        "第三句!",
    ]


def test_a_responsibility_parenthetical_ends_its_sentence_where_more_text_follows():
    """A merged or re-joined paragraph puts the next task right after a task's 责任单位: two sentences, so the
    next one can match its source on its own; a comma after it, or its end, keeps it with its sentence."""
    s = fold("加快谋划一批重点项目。（责任单位：市发改委、市经信委）到2026年，全力打造千亿级健康产业基地。")
    assert [s[a:b] for a, b in split_sentences(s)] == [
        "加快谋划一批重点项目。",
        "(责任单位:市发改委、市经信委)",
        "到2026年,全力打造千亿级健康产业基地。",
    ]
    for kept in ("推进产品提档升级（牵头单位：市经信委），促进产业集聚。", "推进产品提档升级（牵头单位：市经信委）"):
        assert len(split_sentences(fold(kept))) == 1


def test_clauses_split_on_commas_colons_and_enumeration_commas_outside_brackets():
    s = fold("围绕核心基础零部件（元器件）、先进基础工艺，支持“产学研用金、才政介美云”十联动：重点")
    assert [s[a:b] for a, b in split_clauses(s)] == [
        "围绕核心基础零部件(元器件)、",
        "先进基础工艺,",
        "支持“产学研用金、才政介美云”十联动:",
        "重点",
    ]


def test_unbalanced_bracket_does_not_swallow_a_paragraph():
    s = fold("（一）指导思想。以习近平新时代中国特色社会主义思想为指导。加快建设。")
    assert len(split_sentences(s)) == 3
    s2 = fold("（未闭合的括号。第二句。第三句。")
    assert len(split_sentences(s2)) == 3


def _wrap(text: str, width: int) -> str:
    lines = []
    for line in text.split("\n"):
        body = line.strip("\u3000 ")
        if not body:
            continue
        body = "\u3000\u3000" + body
        lines.extend(body[i : i + width] for i in range(0, len(body), width))
    return "\n".join(lines) + "\n"


def test_hard_wrapped_copy_gives_the_same_paragraphs(corpus_docs):
    orig = corpus_docs["003"]
    for width in (30, 35, 41):
        wrapped = _wrap(orig.text, width)
        d = parse(RawFile("wrapped.txt", "x", len(wrapped), "utf-8", "txt", wrapped))
        assert [u.norm_text for u in d.blocks()] == [u.norm_text for u in orig.blocks()]
        assert any("hard-wrapped" in w for w in d.warnings)


def test_lines_broken_mid_sentence_at_varying_widths_are_rejoined(corpus_docs):
    orig = corpus_docs["004"]
    import random

    rng = random.Random(7)
    out = []
    for u in orig.blocks():
        t = u.text
        while len(t) > 45:
            cut = rng.randint(25, 45)
            out.append(t[:cut])
            t = t[cut:]
        out.append(t)
    text = "\n".join(out)
    d = parse(RawFile("pdf.txt", "y", len(text), "utf-8", "txt", text))
    got = [u.norm_text for u in d.units_of("sentence")]
    want = [u.norm_text for u in orig.units_of("sentence")]
    # A break right after a full stop may start a new paragraph; sentences stay whole.
    assert got == want


def test_a_long_heading_on_its_own_line_is_not_joined_to_the_unindented_sentence_under_it():
    """Scraped plain text without indents: a heading of 20 characters or more (a marker and a title, no
    punctuation) looked like a long line stopping mid-sentence and was joined to the first sentence under it,
    so the outline lost the heading and the sentence lost its own unit (held-out seed 297's provincial plan)."""
    heading = "（一）推进先进制造业和现代服务业深度融合发展"
    first = "打造高能级产业平台。以打造“万亩千亿”级产业新平台为重点，推进开发区整合提升。"
    wrapped = "加快推进制造业数字化转型，推动企业上云用数赋智，培育一批智能工厂和"
    text = "\n".join(
        [
            "制造强省建设行动计划",
            "一、总体要求",
            "坚持把发展经济的着力点放在实体经济上，推动制造业质量变革、效率变革、动力变革。",
            "七、保障措施",
            heading,
            first,
            "（二）加快数字化改造",
            wrapped,
            "数字化车间。",
        ]
    )
    d = parse(RawFile("plain.txt", "z", len(text), "utf-8", "txt", text))
    assert fold(heading)[3:] in [o.title for o in d.outline], [(o.marker, o.title) for o in d.outline]
    sentences = [u.norm_text for u in d.units_of("sentence")]
    assert fold("打造高能级产业平台。") in sentences, sentences
    # a line broken mid-sentence (it ends on 和) is still joined to the next
    assert fold(wrapped + "数字化车间。") in [u.norm_text for u in d.blocks()]
