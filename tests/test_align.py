"""Pair alignment on the real corpus: the facts the issue states, and full accounting of both sides."""

from __future__ import annotations

import itertools

import pytest

from lineage.align.aligner import RELATIONS, align
from lineage.ingest.normalize import fold


@pytest.fixture(scope="module")
def aligned(corpus_docs):
    """align(source, target) for the pairs the issue names, computed once."""
    cache = {}

    def get(src: str, tgt: str):
        if (src, tgt) not in cache:
            cache[src, tgt] = align(corpus_docs[src], corpus_docs[tgt])
        return cache[src, tgt]

    return get


def text_at(doc, span):
    return doc.text[span[0] : span[1]]


def test_000_body_is_003_body_with_one_comma_of_difference(aligned, corpus_docs):
    r = aligned("003", "000")
    t = corpus_docs["000"]
    body = {u.id for u in t.blocks(("body",))}
    assert len(body) == 56
    para = [m for m in r.matches if m.unit == "paragraph" and m.target_units[0] in body]
    identical = [m for m in para if m.relation == "identical"]
    assert len(identical) == 55
    # most differ only as written (000 has half-width punctuation, 003 full-width); the rest are the same as written
    s = corpus_docs["003"]
    assert sum(m.formatting_only for m in identical) >= 50
    for m in identical:
        assert m.formatting_only == (text_at(t, m.target_span) != text_at(s, m.source_span))
    # the 56th paragraph is matched sentence by sentence; one sentence lost a comma
    odd = (body - {m.target_units[0] for m in para}).pop()
    inside = [m for m in r.matches if m.target_units[0].startswith(odd + ".")]
    assert {m.relation for m in inside} == {"identical", "modified"}
    (mod,) = [m for m in inside if m.relation == "modified"]
    assert [op for op in mod.diff if op[0] != "equal"] == [["insert", "", ","]]
    assert "到2025年,培育" in text_at(t, mod.target_span)
    assert "到2025年培育" in text_at(corpus_docs["003"], mod.source_span)


def test_the_news_lede_of_000_is_not_aligned_and_no_source_unit_is_matched_twice(aligned, corpus_docs):
    """000's lede quotes three body paragraphs: it is the wrapper, listed apart, not reuse (issue 10).

    Aligned as reuse, each quoted 003 paragraph was matched twice, from the
    lede and from the body, and the lede's 483 characters counted as reused.
    """
    t = corpus_docs["000"]
    lede = {u.id for u in t.block_units if u.part == "wrapper"}
    assert {"p2", "p3", "p4"} <= lede
    for src in ("003", "002", "004"):
        r = aligned(src, "000")
        assert not [m for m in r.matches if m.target_units[0].split(".")[0] in lede]
        assert not [a for a in r.added if a.unit.split(".")[0] in lede]
        assert {w.unit for w in r.wrapper if w.side == "target"} == lede
        assert r.summary["wrapper_chars"] == sum(len(t.unit(u).norm_text) for u in lede)
        spans = sorted(m.source_span for m in r.matches)
        assert all(b <= c for (_, b), (c, _) in itertools.pairwise(spans)), src  # no source text used twice
        d = r.to_dict()
        assert d["wrapper"] and d["summary"]["wrapper_chars"] == r.summary["wrapper_chars"]
    # the three quoted paragraphs are still matched once, from the body
    r = aligned("003", "000")
    s = corpus_docs["003"]
    heads = [s.unit(m.source_units[0].split(".")[0]).norm_text for m in r.matches]
    for quoted in ("新能源及新能源装备", "优化制造业布局", "促进制造业绿色发展"):
        assert any(quoted in h for h in heads), quoted
    # and the target's text is the document's, without the lede: all of the body is reuse of 003
    assert r.summary["target_chars"] == sum(len(u.norm_text) for u in t.block_units if u.part != "wrapper")


def test_a_lede_in_the_source_is_never_matched(aligned, corpus_docs):
    # 000 as the source: 003's body sentences come from 000's body, never from the lede quoting it
    r = aligned("000", "003")
    lede = {u.id for u in corpus_docs["000"].block_units if u.part == "wrapper"}
    assert r.matches and not [m for m in r.matches if m.source_units[0].split(".")[0] in lede]
    assert not [d for d in r.deleted if d.unit.split(".")[0] in lede]
    assert {w.unit for w in r.wrapper if w.side == "source"} == lede


def test_004_against_003_finds_the_two_zhejiang_passages(aligned, corpus_docs):
    r = aligned("003", "004")
    t, s = corpus_docs["004"], corpus_docs["003"]
    found = {fold(text_at(t, m.target_span)): m for m in r.matches}
    clause = "“产学研用金、才政介美云”十联动"
    assert clause in found and found[clause].relation == "partial" and found[clause].unit == "clause"
    assert fold(text_at(s, found[clause].source_span)) == clause
    # 004's item heading "1.建设产业创新服务综合体。" comes from 003's "加快建设产业创新服务综合体等载体。":
    # 11 of its 14 characters, so a modified sentence rather than a lifted clause
    (m,) = [m for m in r.matches if "产业创新服务综合体" in fold(text_at(t, m.target_span))]
    assert m.relation == "modified" and not m.formulaic
    assert fold(text_at(s, m.source_span)) == "加快建设产业创新服务综合体等载体。"
    assert r.summary["reuse_share"] < 0.02


def test_002_and_003_share_the_four_foundations_clause(aligned, corpus_docs):
    clause = "核心基础零部件(元器件)、先进基础工艺、关键基础材料和产业技术基础"
    for src, tgt in (("002", "003"), ("003", "002")):
        r = aligned(src, tgt)
        hits = [m for m in r.matches if fold(text_at(corpus_docs[tgt], m.target_span)) == clause]
        assert len(hits) == 1, (src, tgt)
        assert hits[0].relation == "partial" and not hits[0].formulaic
        assert fold(text_at(corpus_docs[src], hits[0].source_span)) == clause


def test_001_shares_nothing_but_formulaic_text_with_003(aligned, corpus_docs):
    for src, tgt in (("003", "001"), ("001", "003")):
        r = aligned(src, tgt)
        assert r.matches, "the slogan and generic headings are found"
        assert all(m.formulaic for m in r.matches), [
            fold(text_at(corpus_docs[tgt], m.target_span)) for m in r.matches if not m.formulaic
        ]
        assert r.summary["reuse_share"] == 0.0
        texts = {fold(text_at(corpus_docs[tgt], m.target_span)) for m in r.matches}
        assert "习近平新时代中国特色社会主义思想" in texts


def _accounted(doc, spans):
    """Every unit of ``doc`` overlaps at least one of ``spans``... and no block is left out."""
    covered = sorted(spans)
    for u in doc.block_units:
        assert any(s < u.span[1] and u.span[0] < e for s, e in covered), (doc.path, u.id, u.norm_text[:30])


@pytest.mark.parametrize("src,tgt", [("003", "000"), ("003", "004"), ("002", "003"), ("003", "001"), ("000", "003")])
def test_every_unit_of_both_sides_is_accounted_for(aligned, corpus_docs, src, tgt):
    r = aligned(src, tgt)
    wrapper = {w.side: [] for w in r.wrapper}
    for w in r.wrapper:
        wrapper[w.side].append(w.span)
    _accounted(
        corpus_docs[tgt],
        [m.target_span for m in r.matches] + [a.target_span for a in r.added] + wrapper.get("target", []),
    )
    _accounted(
        corpus_docs[src],
        [m.source_span for m in r.matches] + [d.source_span for d in r.deleted] + wrapper.get("source", []),
    )
    # added and deleted units are never also matched
    for a in r.added:
        assert not any(
            m.target_span[0] < a.target_span[1] and a.target_span[0] < m.target_span[1] and m.unit != "clause"
            for m in r.matches
        )


@pytest.mark.parametrize("src,tgt", [("003", "000"), ("003", "004"), ("002", "003"), ("003", "002"), ("001", "003")])
def test_spans_are_truthful(aligned, corpus_docs, src, tgt):
    """For every match the original text at its spans folds to what was compared."""
    r = aligned(src, tgt)
    s, t = corpus_docs[src], corpus_docs[tgt]
    for m in r.matches:
        assert m.relation in RELATIONS
        assert 0 <= m.target_span[0] < m.target_span[1] <= len(t.text)
        assert 0 <= m.source_span[0] < m.source_span[1] <= len(s.text)
        tt, st = fold(text_at(t, m.target_span)), fold(text_at(s, m.source_span))
        if m.content == "identical" or (m.content == "partial" and not m.diff):
            assert tt == st, m
        else:
            assert "".join(op[2] for op in m.diff) == tt, m
            assert "".join(op[1] for op in m.diff) == st, m
        assert 0 <= m.score <= 100


def test_one_match_per_target_span(aligned):
    for pair in (("003", "000"), ("003", "004"), ("002", "003")):
        spans = sorted(m.target_span for m in aligned(*pair).matches)
        for (a, b), (c, d) in itertools.pairwise(spans):
            assert b <= c, (pair, (a, b), (c, d))


def test_json_contract(aligned):
    d = aligned("003", "004").to_dict()
    assert set(d) >= {"target", "sources", "matches", "added", "deleted", "summary"}
    assert {"path", "title"} <= set(d["target"]) and {"path", "title"} <= set(d["sources"][0])
    for m in d["matches"]:
        assert {"source", "source_span", "target_span", "relation", "score", "unit", "formulaic", "diff"} <= set(m)
        assert m["unit"] in ("paragraph", "sentence", "clause")
        assert all(op[0] in ("equal", "replace", "insert", "delete") and len(op) == 3 for op in m["diff"])
    assert all(set(a) >= {"target_span"} for a in d["added"])
    assert all(set(x) >= {"source", "source_span"} for x in d["deleted"])
    assert {"reuse_share", "by_relation", "by_source"} <= set(d["summary"])
    assert 0.0 <= d["summary"]["reuse_share"] <= 1.0


def test_dates_are_evidence(aligned):
    # 003 (2020) is later than 004 (about 2018): flagged, not hidden
    assert aligned("003", "004").sources[0].later_than_target is True
    assert aligned("004", "003").sources[0].later_than_target is False


def _doc(tmp_path, name: str, title: str, paragraphs: list[str]):
    from lineage.ingest.pipeline import load_file

    path = tmp_path / name
    path.write_text(title + "\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return load_file(str(path))


_BRAND = (
    "实施百年品牌企业培育工程，完善“好品山东”制度体系和标准体系，提档升级传统大宗消费，"
    "培育壮大新型消费，推动更多山东制造产品融入双循环、开拓新市场。"
)


def test_a_source_sentence_used_whole_and_split_is_found_both_times(tmp_path):
    src = _doc(tmp_path, "s.txt", "山东省关于加快制造业高质量发展的实施意见", ["一、重点任务", _BRAND])
    first, second = _BRAND.split("体系，", 1)
    tgt = _doc(
        tmp_path,
        "t.txt",
        "济南市关于加快制造业高质量发展的实施方案",
        ["一、品牌建设", _BRAND, "二、消费升级", first + "体系。" + second],
    )
    r = align(src, tgt)
    found = {fold(text_at(tgt, m.target_span)): m.content for m in r.matches}
    assert found[fold(_BRAND)] == "identical"
    assert found[fold(first + "体系。")] == "split" and found[fold(second)] == "split"


def test_a_lifted_clause_ends_at_its_punctuation(tmp_path):
    clause = "积极提升传统优势产业和历史经典产业"
    src = _doc(
        tmp_path,
        "s.txt",
        "关于加快制造业高质量发展的实施意见",
        ["坚持把结构调整作为制造强省建设的关键环节，大力培育新产业、新业态，" + clause + "。"],
    )
    tgt = _doc(
        tmp_path,
        "t.txt",
        "关于做好今年重点工作的通知",
        ["今年我们还要认真研究部署相关工作安排，" + clause + "，确保各项目标任务按时完成见到实效。"],
    )
    (m,) = [m for m in align(src, tgt).matches if m.unit == "clause"]
    assert text_at(tgt, m.target_span) == clause and text_at(src, m.source_span) == clause


@pytest.mark.parametrize("src,tgt", [("002", "003"), ("003", "004"), ("003", "002")])
def test_lifted_clauses_on_the_corpus_do_not_take_in_the_punctuation_around_them(aligned, corpus_docs, src, tgt):
    clauses = [fold(text_at(corpus_docs[tgt], m.target_span)) for m in aligned(src, tgt).matches if m.unit == "clause"]
    assert clauses
    for c in clauses:
        assert c[0] not in ",;:。!?" and c[-1] not in ",;:。!?", c


_PLAN = [
    "为加快推进制造强省建设，推动经济高质量发展，制定本行动计划。",
    "坚持把发展经济的着力点放在实体经济上，推动制造业质量变革、效率变革、动力变革。",
    None,  # the short sentence under test
    "实施产业基础再造工程，加快补齐基础零部件、基础工艺、关键基础材料等短板。",
    "各地各部门要加强组织领导，建立健全工作推进机制，确保各项任务落到实处。",
]


def _modified_in_plan(tmp_path, title: str, before: str, after: str):
    """Align a plan holding ``before`` with the city's plan holding ``after`` in its place; assert ``after``
    is found as a modification of ``before``, the whole sentence.  The result and both documents."""
    src = _doc(tmp_path, "s.txt", title, [p if p else before for p in _PLAN])
    tgt = _doc(tmp_path, "t.txt", "制造强市建设行动计划", [p if p else after for p in _PLAN])
    r = align(src, tgt)
    mine = [m for m in r.matches if fold(text_at(tgt, m.target_span)) == fold(after)]
    assert [(m.relation, m.unit) for m in mine] == [("modified", "paragraph")], [
        (m.relation, text_at(tgt, m.target_span)) for m in r.matches
    ]
    assert fold(text_at(src, mine[0].source_span)) == fold(before)
    return r, src, tgt


def _in_plan(tmp_path, before: str, after: str, lead: list[str] = ()):
    """Align the plan holding ``before`` with the city's holding ``after`` in its place, the city's plan opening
    with the lines of ``lead``: target text -> (relation, source text), folded."""
    src = _doc(tmp_path, "s.txt", "制造强省建设行动计划", [p if p else before for p in _PLAN])
    tgt = _doc(tmp_path, "t.txt", "制造强市建设行动计划", [*lead, *[p if p else after for p in _PLAN]])
    return {
        fold(text_at(tgt, m.target_span)): (m.relation, fold(text_at(src, m.source_span)))
        for m in align(src, tgt).matches
    }


@pytest.mark.parametrize(
    "before,after",
    [
        ("——质量效益显著提升。", "——质量效益显著提升，确保落地见效。"),  # issue 11's example: gained a clause
        ("——质量效益显著提升，确保落地见效。", "——质量效益显著提升。"),  # lost it
        ("推动产品质量革命。", "推动产品质量革命，开展精准高效对接。"),
        ("推动产品质量革命，开展精准高效对接。", "推动产品质量革命。"),
        ("深入实施海外浙商回归工程。", "深入实施海外浙商回归工程，发展核心装备。"),
        ("加快人才招引培育，加快行业应用。", "加快人才招引培育。"),
        # six characters kept, the clause after them: a sentence of 8-20 characters still (fresh pairs, written
        # after the rule asked for eight kept characters and missed four of twenty)
        ("扩大有效投资。", "扩大有效投资，稳定工业增长。"),
        ("深化开放合作，融入长三角一体化。", "深化开放合作。"),
        ("（二）加强组织领导。", "（二）加强组织领导，压实各方责任。"),  # the number is not the sentence's text
        # a modifier added (or dropped) as well as the clause
        ("引进高端人才团队。", "大力引进高端人才团队，完善配套服务。"),
        ("积极深化产融合作，拓宽融资渠道。", "深化产融合作。"),
    ],
)
def test_a_short_sentence_that_gained_or_lost_a_clause_is_modified(tmp_path, before, after):
    """8-20 characters and a whole clause more or less: too little text for the ratio thresholds, and the
    new clause made the sentence new -- it was missed (added) or found as a lifted clause (issue 11)."""
    r, _, tgt = _modified_in_plan(tmp_path, "制造强省建设行动计划", before, after)
    assert not [a for a in r.added if fold(after) in fold(text_at(tgt, a.target_span))]


@pytest.mark.parametrize(
    "before,after",
    [
        ("（四）优化营商环境。", "（四）改善营商环境。"),  # a synonym: 5 of 7 characters kept, ratio 71
        ("（三）壮大市场主体。", "（三）培育市场主体。"),
        ("优化营商环境。", "持续改善营商环境。"),  # a modifier too
        ("（一）强化政策支持。", "（一）全面强化政策鼓励。"),  # two words, one added, one swapped (seed 212's [298])
    ],
)
def test_a_short_sentence_with_one_word_changed_inside_a_passage_is_modified(tmp_path, before, after):
    """Too short for the ratio thresholds once a word is swapped (the crowded benchmark's headings were missed)."""
    src = _doc(tmp_path, "s.txt", "制造强省建设行动计划", [p if p else before for p in _PLAN])
    tgt = _doc(tmp_path, "t.txt", "制造强市建设行动计划", [p if p else after for p in _PLAN])
    r = align(src, tgt)
    mine = [m for m in r.matches if fold(text_at(tgt, m.target_span)) == fold(after)]
    assert [(m.relation, m.unit) for m in mine] == [("modified", "paragraph")]
    assert fold(text_at(src, mine[0].source_span)) == fold(before)
    # alone, with nothing around it from the source, it is not taken for the source's sentence
    tgt = _doc(tmp_path, "t2.txt", "关于做好今年重点工作的通知", ["今年我们还要认真研究部署相关工作安排。", after])
    assert not [m for m in align(src, tgt).matches if fold(after) in fold(text_at(tgt, m.target_span))]


@pytest.mark.parametrize(
    "before,after",
    [
        ("聚焦产业集群。", "智能制造装备，聚焦产业集群。"),  # six characters: an opening written before a stock phrase
        ("提升产业基础能力。", "提升制造基础能力，聚焦创新发展。"),  # a word swapped as well as a clause gained
        ("扩大有效投资。", "投资，稳定工业增长。"),  # 投资 is no modifier's worth of 扩大有效投资
    ],
)
def test_a_short_sentence_with_a_clause_and_little_else_in_common_is_not_a_modification(tmp_path, before, after):
    """Inside the passage, beside the source's sentences: still not its edit (held-out seeds 507 and 421, where
    the generator wrote these as new text and a looser rule claimed them)."""
    got = _in_plan(tmp_path, before, after)
    assert fold(after) not in got, got


def test_a_source_sentence_used_twice_once_reworded_inside_a_passage_is_found_both_times(tmp_path):
    """The target took a source heading word for word in one place and reworded in another, inside the passage it
    heads in the source: the source sentence was already taken, and below REUSE_RATIO it was missed."""
    before, after = "（二）梯度培育优质企业。", "（二）梯度扶持优质企业。"
    got = _in_plan(tmp_path, before, after, ["今年我们还要认真研究部署相关工作安排。", before, "请各单位抓好落实。"])
    assert got.get(fold(after)) == ("modified", fold(before)), got
    assert got.get(fold(before), ("",))[0] in ("identical", "moved")


def test_a_short_sentence_used_again_with_a_clause_more_after_the_targets_own_sentences_is_modified(tmp_path):
    """The target took the short sentence word for word in one place, and in the passage gave it a clause more
    after two sentences of its own: only the sentence after it came from beside it in the source.  A reuse
    below REUSE_RATIO needed a match on both sides, and the modification was missed (held-out seeds 293 and
    312, 实施产品换代计划，尽快补齐短板。)."""
    before, after = "实施产品换代计划。", "实施产品换代计划，尽快补齐短板。"
    own = ["全市上下要统一思想，形成工作合力。", "各区县要结合实际抓紧制定具体措施。"]
    src = _doc(tmp_path, "s.txt", "制造强省建设行动计划", [p if p else before for p in _PLAN])
    lead = ["今年我们还要认真研究部署相关工作安排。", before, "请各单位抓好落实。"]
    tgt = _doc(tmp_path, "t.txt", "制造强市建设行动计划", [*lead, *_PLAN[:2], *own, after, *_PLAN[3:]])
    got = {
        fold(text_at(tgt, m.target_span)): (m.relation, fold(text_at(src, m.source_span)))
        for m in align(src, tgt).matches
    }
    assert got.get(fold(after)) == ("modified", fold(before)), got
    assert got.get(fold(before), ("",))[0] in ("identical", "moved")
    assert not [t for t in got if any(fold(o) in t for o in own)]


def test_a_reworded_heading_the_source_holds_twice_goes_to_the_one_its_next_sentence_follows(tmp_path):
    """The source has two headings of the same words under different numbers, (四) and (三); the target took
    both word for word, and then (三) again, reworded, heading the passage it heads in the source, where the
    target's order of passages (moved) keeps that passage out of the anchors.  Both headings were taken; the
    reuse went to the one nearer the anchors' window, (四), whose neighbours match nothing there, instead of
    (三), whose next sentence follows it (held-out seed 297's [66])."""
    four, three = "（四）优化提升数字产业。", "（三）优化提升数字产业。"
    body4 = "扎实实施标志性产业链突破工程，精准梳理产业链图谱，打造一批链主企业。"
    block = [
        "高质量建设绿色工厂，推动企业加快低效设备淘汰与高效设备替代。",
        "持续打造绿色工业园区，推动园区循环化改造。",
        "深入推进售电侧改革和天然气等能源价格改革。",
        "健全能源消费总量和强度双控制度。",
        "分行业推进原材料、消费品等领域的标准化建设。",
    ]
    body3 = "打造完善的网上、网下中介服务平台，加大僵尸企业处置力度，加强重大战略性项目谋划。"
    src = _doc(tmp_path, "s.txt", "数字经济发展行动计划", [four, body4, *block, three, body3, "发挥上市公司引领作用。"])
    reworded = "（三）优化加快大力提升数字产业。"
    own = "今年我们还要认真研究部署相关工作安排。"
    tgt = _doc(
        tmp_path,
        "t.txt",
        "数字经济发展行动计划",
        [four, body4, own, reworded, body3, "请各单位抓好落实。", *block, three],
    )
    got = {fold(text_at(tgt, m.target_span)): fold(text_at(src, m.source_span)) for m in align(src, tgt).matches}
    assert got.get(fold(reworded)) == fold(three), got
    assert got.get(fold(four)) == fold(four) and got.get(fold(three)) == fold(three), got


def test_a_short_source_sentence_merged_into_one_sentence_and_reworded_in_another_is_found_both_times(tmp_path):
    """The target joined two source sentences into one far from the passage (落实…,并加快推进高端智能再制造。)
    and, inside the passage, gave the second a clause: the merge had taken the source sentence, and the short
    modification (a weak match, below REUSE_RATIO) was missed or went to another source (crowded seed 87)."""
    x, short, longer = (
        "落实生产者责任延伸制度。",
        "加快推进高端智能再制造。",
        "加快推进高端智能再制造，推进生产自动化。",
    )
    src = _doc(tmp_path, "s.txt", "制造强省建设行动计划", [*_PLAN[:2], x, short, *_PLAN[3:]])
    tgt = _doc(
        tmp_path,
        "t.txt",
        "制造强市建设行动计划",
        [
            "今年我们还要认真研究部署相关工作安排。",
            "落实生产者责任延伸制度，并加快推进高端智能再制造。",
            "请各单位抓好落实。",
            *_PLAN[:2],
            longer,
            *_PLAN[3:],
        ],
    )
    r = align(src, tgt)
    got = {fold(text_at(tgt, m.target_span)): (m.relation, fold(text_at(src, m.source_span))) for m in r.matches}
    assert got.get(fold(longer)) == ("modified", fold(short)), got
    # and the joined sentence still holds both (out of the passage's order: moved)
    assert got.get(fold("落实生产者责任延伸制度，并加快推进高端智能再制造。"), ("", ""))[1] == fold(x + short), got


def test_a_new_sentence_opening_with_a_short_source_sentence_is_not_its_modification(tmp_path):
    # alone, with nothing around it taken from the source, it is new text that happens to open the same way
    src = _doc(tmp_path, "s.txt", "制造强省建设行动计划", ["推动产品质量革命。", "一、总体要求"])
    tgt = _doc(
        tmp_path,
        "t.txt",
        "关于做好今年重点工作的通知",
        ["今年我们还要认真研究部署相关工作安排。", "推动产品质量革命，开展精准高效对接。", "请各单位抓好落实。"],
    )
    assert not [m for m in align(src, tgt).matches if "推动产品质量革命" in text_at(tgt, m.target_span)]


# a province plan that states a goal in its goals section and again, with a few words changed, in its tasks
_GOAL = (
    "制定出台发展服务型制造的实施意见，分类推进服务型制造示范试点，重点围绕服装家纺等终端消费品领域，"
    "开展企业业务流程再造试点，加速推进从产品制造向“制造+服务”转型升级。"
)
_GOAL_AGAIN = (
    "制定出台发展服务型制造的实施意见，分类加快推动服务型制造示范试点，重点围绕服装家纺等终端消费品领域，"
    "切实开展企业业务流程再造试点，加快推进从产品制造向“制造+服务”转型升级。"
)
_AROUND = ("到2025年，全省服务型制造示范企业达到200家以上。", "培育一批全省服务型制造示范平台，形成可复制推广的经验。")


def test_a_sentence_the_source_holds_twice_goes_to_the_place_its_neighbours_came_from(tmp_path):
    """The city took the goals passage (localized, so no sentence is identical on both sides to anchor the order)
    and reworded the goal in the middle so that it ends up two characters nearer the tasks section's wording (ratio
    98.8 against 96.4): a few characters of edit noise are a tie, and the passage around it decides.  Before, the
    higher score won and the goal was matched to the tasks section (bench_trace's "right file, wrong place")."""
    reworded = _GOAL_AGAIN.replace("切实开展", "开展")
    src = _doc(
        tmp_path,
        "s.txt",
        "浙江省服务型制造发展行动计划",
        [
            "一、发展目标",
            _AROUND[0] + _GOAL + _AROUND[1],
            "二、重点任务",
            "实施服务型制造“十百千”工程，推动制造业企业由提供产品向提供“产品+服务”转变。",
            _GOAL_AGAIN + "鼓励制造业企业发展个性化定制、全生命周期管理和远程运维服务。",
        ],
    )
    city = [x.replace("全省", "全市") for x in _AROUND]
    tgt = _doc(tmp_path, "t.txt", "绍兴市服务型制造发展行动计划", ["一、发展目标", city[0] + reworded + city[1]])
    r = align(src, tgt)
    got = {fold(text_at(tgt, m.target_span)): fold(text_at(src, m.source_span)) for m in r.matches}
    assert got.get(fold(reworded)) == fold(_GOAL), got
    assert got.get(fold(city[0])) == fold(_AROUND[0]) and got.get(fold(city[1])) == fold(_AROUND[1])


def test_words_added_in_one_place_and_a_clause_dropped_in_another_is_a_modification(tmp_path):
    """The target put nine characters before 制造强市 (新发展阶段全面推进) and dropped the source's middle clause:
    two edits in two places, not a clause swapped for another.  Before, the two runs (9 characters new, 16 lost)
    were counted as a swap wherever they were, and the sentence was missed (trace seed 172's [79])."""
    before = "把数字化改造作为制造强区建设的重要抓手，统筹推进“链长制”落地见效，加快培育一批智能工厂和数字化车间。"
    after = "把数字化改造作为新发展阶段全面推进制造强市建设的重要抓手，加快培育一批智能工厂和数字化车间。"
    _, src, _ = _modified_in_plan(tmp_path, "制造强区建设行动计划", before, after)
    # new words swapped in for the lost ones, in their place, are still new text around lifted clauses
    swapped = "把数字化改造作为制造强区建设的重要抓手，统筹推进产业集群协同创新发展，加快培育一批智能工厂和数字化车间。"
    tgt = _doc(tmp_path, "t2.txt", "制造强市建设行动计划", [p if p else swapped for p in _PLAN])
    r = align(src, tgt)
    assert not [m for m in r.matches if fold(text_at(tgt, m.target_span)) == fold(swapped) and m.unit == "paragraph"]


def test_a_sentence_the_target_holds_only_localized_is_never_a_tie(tmp_path):
    """The source holds the sentence twice, once as the target has it up to its place (全国 -> 全市) and once
    with a word changed (重大 for 重要) between the two sentences the target has around it.  The neighbours
    point at the second; the words are the first's, only localized: as good as word for word, not a tie."""
    x = "聚焦基础零部件、基础元器件、基础材料和产业技术基础，编制全国产业基础创新发展目录，集中突破一批重要基础产品。"
    before, after = (
        "支持科技领军企业牵头组建创新联合体，提升大中型企业研发机构覆盖率。",
        "完善政府首购首用、保险补偿等机制。",
    )
    src = _doc(
        tmp_path,
        "s.txt",
        "制造强国建设行动计划",
        ["一、主要任务", x + "加快发展服务型制造。", "二、重大工程", before + x.replace("重要", "重大") + after],
    )
    mine = x.replace("全国", "全市")
    tgt = _doc(tmp_path, "t.txt", "制造强市建设行动计划", ["一、重点任务", before + mine + after])
    got = {
        fold(text_at(tgt, m.target_span)): (m.relation, fold(text_at(src, m.source_span)))
        for m in align(src, tgt).matches
    }
    assert got.get(fold(mine)) == ("localized", fold(x)), got


def test_a_short_sentence_opening_two_new_sentences_elsewhere_still_goes_to_its_passage(tmp_path):
    """The target opened two of its own sentences, far from the passage, with the source's short sentence
    (推行绿色制造模式，动力更为强劲。: ratio 72) and gave it a clause inside the passage (ratio 69).  Such matches
    count only beside another match, yet the best of them took the source sentence first and was then dropped
    as unsupported: the sentence in the passage was missed (crowded seed 192's [255])."""
    before, after = "推行绿色制造模式。", "推行绿色制造模式，推进装备智能化。"
    lead = [
        "今年我们还要认真研究部署相关工作安排。",
        "全市上下要统一思想，形成工作合力。",
        "各区县要结合实际抓紧制定具体措施。",
        "推行绿色制造模式，动力更为强劲。",
        "请各单位抓好落实，按时报送进展情况。",
        "推行绿色制造模式，聚焦绿色高效。",
        "市政府将适时组织开展督查。",
        "对工作不力的单位予以通报。",
    ]
    got = _in_plan(tmp_path, before, after, lead)
    assert got.get(fold(after)) == ("modified", fold(before)), got
    assert not [k for k in got if k.startswith(fold("推行绿色制造模式，")) and k != fold(after)], got


def test_a_heading_that_lends_one_word_is_not_merged_into_the_next_sentence(tmp_path):
    """优化创业环境，大平台建设工程。 shares only 优化 with the heading before the source's 大平台建设工程。: a ratio of
    62 over the two joined, and it was matched as the two merged (crowded seed 191's [270])."""
    src = _doc(
        tmp_path, "s.txt", "制造强省建设行动计划", [*_PLAN[:2], "（二）优化提升数字产业。大平台建设工程。", *_PLAN[3:]]
    )
    tgt = _doc(tmp_path, "t.txt", "制造强市建设行动计划", [*_PLAN[:2], "优化创业环境，大平台建设工程。", *_PLAN[3:]])
    mine = [m for m in align(src, tgt).matches if "大平台" in text_at(tgt, m.target_span)]
    assert mine and all("优化提升" not in text_at(src, m.source_span) for m in mine), [
        (m.relation, text_at(src, m.source_span)) for m in mine
    ]


def test_a_reworded_sentence_between_its_neighbours_goes_there_though_a_word_brings_it_nearer_another(tmp_path):
    """The source says one thing twice, with 鼓励 in its tasks and 支持 in its goals.  The city took the tasks
    passage in order and reworded the middle sentence (持续…支持): one word from the goals' wording, ratio 95.8
    against 87.5.  Between two sentences taken from the two around the tasks' sentence it is that sentence
    reworded (seed 131's [69], matched to the goals)."""
    goals = "发展服务衍生制造，支持服务企业向制造环节延伸。"
    tasks = "发展服务衍生制造，鼓励服务企业向制造环节延伸。"
    after = "持续发展服务衍生制造，支持服务企业向制造环节延伸。"
    src = _doc(
        tmp_path,
        "s.txt",
        "制造强省建设行动计划",
        [
            "一、发展目标",
            "到2025年，全省服务型制造示范企业达到200家以上。" + goals,
            "二、重点任务",
            *_PLAN[:2],
            tasks,
            *_PLAN[3:],
        ],
    )
    tgt = _doc(tmp_path, "t.txt", "制造强市建设行动计划", ["一、重点任务", *_PLAN[:2], after, *_PLAN[3:]])
    r = align(src, tgt)
    got = {fold(text_at(tgt, m.target_span)): (m.relation, fold(text_at(src, m.source_span))) for m in r.matches}
    assert got.get(fold(after)) == ("modified", fold(tasks)), got


@pytest.mark.parametrize(
    "before,after",
    [
        ("通过2—3年努力，数字产业快速发展。", "通过2—3年努力，围绕产业特色。"),
        ("建设未来产业先导区，先进交通装备。", "延伸下游产业链，先进交通装备。"),
        ("推进大宗原材料进口交易平台建设，扩大进口。", "大平台建设工程，扩大进口。"),
    ],
)
def test_a_short_sentence_with_one_of_its_clauses_swapped_for_another_is_not_its_modification(tmp_path, before, after):
    """A stock clause kept and the other replaced by an unrelated one is a new sentence: ratio 60-73, and the
    few characters the two clauses share (产业, 平台建设) cut the new text into runs too short to be seen as new
    (the benchmarks' novel sentences, matched as modified: 475 wrongly attributed characters on 35 runs)."""
    got = _in_plan(tmp_path, before, after)
    assert fold(after) not in got, got
    # one word changed in the clause instead: reworded
    _modified_in_plan(
        tmp_path, "制造强省建设行动计划", "加快人才招引培育，加快行业应用。", "加快人才招引培育，推进行业应用。"
    )


def test_a_heading_used_word_for_word_and_reworded_in_its_passage_is_found_both_times(tmp_path):
    """The target has the source's heading and the sentence after it word for word, away from the rest, and the
    whole passage in place with the heading reworded (a word swapped: a weak match).  The heading and the
    sentence after it are taken first by the lone copies; the sentence after it is found again in the passage
    (score 100, reused), and the reworded heading between the two sentences of the passage around it belongs
    there too -- before, it was missed (crowded seed 192's [79]): the sentence after it had not been placed yet
    when the heading was weighed."""
    before, after = "（二）梯度培育优质企业。", "（二）梯度加快扶持优质企业。"
    got = _in_plan(tmp_path, before, after, [before, _PLAN[3], "请各单位抓好落实。", "市政府将适时组织开展督查。"])
    assert got.get(fold(after)) == ("modified", fold(before)), got
    assert got.get(fold(before), ("",))[0] in ("identical", "moved"), got


def test_a_short_localized_sentence_that_gained_a_clause_is_modified(tmp_path):
    """扶持潍坊制造品牌，实施产品换代计划。 from the province's 扶持山东制造品牌。: a clause gained and the place written
    for the city -- the kept clause differs from the source's by two characters of eight, the city's name for the
    province's (crowded seed 182's [420], missed)."""
    before, after = "扶持山东制造品牌。", "扶持潍坊制造品牌，实施产品换代计划。"
    src = _doc(tmp_path, "s.txt", "山东省制造强省建设行动计划", [p if p else before for p in _PLAN])
    tgt = _doc(tmp_path, "t.txt", "潍坊市制造强市建设行动计划", [p if p else after for p in _PLAN])
    assert src.jurisdiction.name == "山东省" and tgt.jurisdiction.name == "潍坊市"
    got = {
        fold(text_at(tgt, m.target_span)): (m.relation, fold(text_at(src, m.source_span)))
        for m in align(src, tgt).matches
    }
    assert got.get(fold(after)) == ("modified", fold(before)), got


_STOCK_SPLIT = "主动接轨大上海，大产业培育工程。围绕产业特色，提升平台能级，扩大进口。"


def test_two_short_sentences_sharing_a_stock_phrase_each_are_no_split_away_from_the_passage(tmp_path):
    """Two short sentences of the target's own, one closing with 大产业培育工程 and the next holding 提升平台能级,
    with a clause of their own each, far from anything taken from the source: matched as a split of its
    大产业培育工程，提升平台能级。 (seed 121's [406], [407]; 249 wrongly attributed characters over 7 of 53
    trace runs)."""
    lead = [
        "今年我们还要认真研究部署相关工作安排。",
        "全市上下要统一思想，形成工作合力。",
        "各区县要结合实际抓紧制定具体措施。",
        _STOCK_SPLIT,
        "请各单位抓好落实，按时报送进展情况。",
        "市政府将适时组织开展督查。",
        "对工作不力的单位予以通报。",
    ]
    got = _in_plan(tmp_path, "大产业培育工程，提升平台能级。", "各地要加强督促检查。", lead)
    assert not [k for k in got if "大产业培育工程" in k or "提升平台能级" in k], got


def test_the_same_two_sentences_in_the_sentences_place_are_its_split(tmp_path):
    got = _in_plan(tmp_path, "大产业培育工程，提升平台能级。", _STOCK_SPLIT)
    halves = [k for k in got if "大产业培育工程" in k or "提升平台能级" in k]
    whole = fold("大产业培育工程，提升平台能级。")
    assert len(halves) == 2 and all(got[k][0] == "split" and got[k][1] in whole for k in halves), got


def test_a_passage_the_target_holds_twice_takes_the_closer_of_the_sources_two_copies_both_times(tmp_path):
    """The source holds a passage twice, one sentence reading 提高 in the first copy and 提升 in the second; the
    target took the second copy twice, the second time dropping a clause.  One to one, that sentence went
    to the first copy's 提高 (the second copy's was taken by the first occurrence), though it reads 提升
    (crowded seed 231's [344])."""
    first, last = (
        "完善“要素跟着项目走”机制，推动用地、能耗、煤耗等指标更多向先进制造业倾斜。",
        "实施百年品牌企业扶持工程，健全制度体系和标准体系，提档升级传统大宗消费。",
    )
    mid = "优化能源保障，建立健全天然气上下游价格联动机制，{}成品油应急保供能力，保障电煤供需平衡。"
    copy_a, copy_b = first + mid.format("提高") + last, first + mid.format("提升") + last
    src = _doc(tmp_path, "s.txt", "制造强省建设行动计划", [copy_a, *_PLAN[:2], _PLAN[3], copy_b])
    again = first + "优化能源保障，提升成品油应急保供能力，保障电煤供需平衡。" + last
    tgt = _doc(tmp_path, "t.txt", "制造强市建设行动计划", [copy_b, _PLAN[4], again])
    r = align(src, tgt)
    got = {}
    for m in r.matches:
        got.setdefault(fold(text_at(tgt, m.target_span)), []).append(fold(text_at(src, m.source_span)))
    shorter = fold("优化能源保障，提升成品油应急保供能力，保障电煤供需平衡。")
    assert got.get(shorter) == [fold(mid.format("提升"))], got
