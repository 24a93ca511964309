"""Search and diffusion on the review's cases: spans inside one paragraph or the matched cells, equal scores in
date order over a version's copies, a typo that leaves no 12-character run, long queries verified by windows,
the first appearance holding the query, the graph's labels, undated holders."""

from __future__ import annotations

import hashlib
import json
import os

import pytest
from test_search import corpus_db, read, search_json  # noqa: F401  (corpus_db is a fixture)
from test_search_diffusion import diffusion_json

from lineage.explore import search as S
from lineage.explore.search_index import SearchIndex
from lineage.ingest.normalize import fold
from lineage.store import Store


def matches_in(res: dict, prefix: str) -> list[dict]:
    return [
        m
        for h in res["hits"]
        for c in h["copies"]
        if any(os.path.basename(p).startswith(prefix) for p in c["paths"])
        for m in c["matches"]
    ]


def test_a_heading_match_stops_at_its_paragraph(run_cli, corpus_db, corpus_paths):
    # 004's heading is "(三)发展目标和重点领域"; the next paragraph starts "围绕打造经..."
    code, res = search_json(run_cli, corpus_db, "(三)发展目标和重点领域及产业方向")
    assert code == 0
    (m,) = matches_in(res, "004")
    assert m["text"] == read(corpus_paths["004"])[slice(*m["span"])] == "(三)发展目标和重点领域"
    assert m["norm"] == fold(m["text"]) and m["score"] > 80


def test_a_match_in_a_table_is_the_matched_cells(run_cli, corpus_db, corpus_paths):
    text = read(corpus_paths["002"])
    code, res = search_json(run_cli, corpus_db, "绍兴制造强市建设主要指标", "--limit", "0")
    assert code == 0
    top = max(matches_in(res, "002"), key=lambda m: m["score"])
    assert top["score"] == 100.0 and text[slice(*top["span"])] == "绍兴制造强市建设主要指标"
    # two cells: their stretch of the file, the line breaks between them included
    _, res = search_json(run_cli, corpus_db, "创新驱动规上工业企业研发经费支出占主营业务收入比")
    m = next(m for m in matches_in(res, "002") if " | " in m["norm"])
    got = text[slice(*m["span"])]
    assert got.startswith("创新驱动") and got.endswith("规上工业企业研发经费支出占主营业务收入比")
    assert fold(got.replace("\n", " ")).replace(" ", "") == m["norm"].replace(" | ", "")
    assert len(got) < 60


def test_one_typo_without_a_twelve_character_run_is_found(run_cli, corpus_db, corpus_paths):
    code, res = search_json(run_cli, corpus_db, "1.市场主导与的府引导相结合。")
    assert code == 0
    (m,) = matches_in(res, "002")
    assert read(corpus_paths["002"])[slice(*m["span"])] == "1.市场主导与政府引导相结合。"
    assert res["hits"][0]["relation"] == "modified" and res["stats"]["found_by_pieces"] == 1


SENTENCE = "着力在节能环保装备、轨道交通装备、现代农业智能装备、高端船舶和海工装备、航空航天装备等领域建成一批国内重要的装备制造基地。"
PLAN = """新乡市智能制造发展规划

为贯彻落实国家和省关于发展智能制造的决策部署，编制本规划。
一、发展基础
全市装备制造业规模持续扩大，形成了起重装备、电池电源、特种车辆等优势产业集群。
二、发展重点
{s}
依托骨干企业建设智能制造产业园区，推动产业链上下游协同发展，提升本地配套率。
三、实施步骤
规划分三个阶段实施，二〇一七年启动试点，二〇一八年全面推广，二〇二〇年总结评估。

新乡市人民政府
2017年1月14日
"""
OPINION = """关于加快推进惠城区智能制造发展的实施意见

各县（市、区）人民政府，市政府各部门：
为深入实施制造强国战略，加快推进智能制造发展，结合本地实际，提出如下意见。
一、总体要求
坚持创新驱动、质量为先、绿色发展、结构优化、人才为本的基本方针，推动新一代信息技术与制造业深度融合。
二、主要任务
{s}
实施智能制造示范工程，培育一批智能制造标杆企业，建设一批数字化车间和智能工厂，推广应用工业机器人。
三、保障措施
加强组织领导，完善政策体系，加大财政支持力度，强化人才支撑，营造良好发展环境。
"""


def test_equal_scores_in_order_of_the_versions_earliest_date(run_cli, tmp_path):
    """The opinion (signed 2017-01-10) has a copy a site published on 2017-02-20 whose hash sorts first:
    it still comes before the plan of 2017-01-14."""
    signed = (OPINION.format(s=SENTENCE) + "\n惠城区人民政府\n2017年1月10日\n").encode()
    n = 0
    while True:  # a copy whose content hash sorts before the signed one's (the order the old key followed)
        site = f"首页 > 政策文件\n发布时间：2017-02-20 浏览次数：{n}\n\n{OPINION.format(s=SENTENCE)}".encode()
        if hashlib.sha256(site).hexdigest() < hashlib.sha256(signed).hexdigest():
            break
        n += 1
    for name, data in (("plan.txt", PLAN.format(s=SENTENCE).encode()), ("signed.txt", signed), ("site.txt", site)):
        (tmp_path / name).write_bytes(data)
    db = str(tmp_path / "o.db")
    assert run_cli("graph", str(tmp_path), "--db", db, "--quiet").exit_code == 0
    code, res = search_json(run_cli, db, SENTENCE)
    assert code == 0 and res["total"] == 2
    first, second = res["hits"]
    assert sorted(os.path.basename(p) for c in first["copies"] for p in c["paths"]) == ["signed.txt", "site.txt"]
    assert first["date"] == "2017-01-10" and second["date"] == "2017-01-14"
    assert first["score"] == second["score"] == 100.0


def test_a_long_query_verifies_windows_not_whole_documents(corpus_db, corpus_paths):
    """A 1,000-character query: every region verified is a window the size a variant could have, and the
    document it was cut from is still found word for word."""
    q = fold(read(corpus_paths["000"])[2000:3000])
    with Store(corpus_db, create=False) as store:
        sidx = SearchIndex.open(store)
        cands = S._candidates(sidx, q)
        n_q = max(1, sum(1 for c in q if c in "。;!?"))
        for hit in cands.values():
            for first, last, _ in S._runs(hit, 1 + n_q, S._max_atoms(n_q)):
                assert last - first < S._max_atoms(n_q)
        found, _ = S.find(sidx, q)
    assert any(sc == 100.0 for occ in found.values() for _, _, sc in occ)


@pytest.mark.parametrize("long", [False, True])
def test_a_long_query_is_placed_without_partial_ratio(corpus_paths, long):
    """Both placements find a variant with a sentence reworded inside a longer stretch."""
    text = fold(read(corpus_paths["002"]))
    q = text[2000 : 2000 + (600 if long else 200)]
    variant = q.replace("。", "。新增一句话。", 1)
    region = text[1500:2000] + variant + text[2600:3000]
    ((x, y, score),) = S._fuzzy(q, region, 0, len(region), 70.0)
    assert region[x:y] == variant and score > 95


def test_first_appearance_holds_the_query(run_cli, tmp_path):
    """An earlier document holding a reworded variant (支持 for 推动) is an earlier variant, not the first
    appearance; a later holder of that variant is [modified] against the query, never [identical]."""
    query = "推动制造业高质量发展，加快建设现代化产业体系。"
    docs = {
        "a_2014.txt": (
            "甲市工业发展规划",
            "支持制造业高质量发展，加快建设现代化产业体系。",
            "甲市人民政府\n2014年4月23日",
        ),
        "b_2015.txt": ("乙省制造业实施方案", query, "乙省人民政府\n2015年1月5日"),
        "c_2016.txt": (
            "丙县产业行动计划",
            "支持制造业高质量发展，加快建设现代化产业体系。",
            "丙县人民政府\n2016年3月1日",
        ),
        "d_undated.txt": ("丁区产业发展意见", query, ""),
    }
    for i, (name, (title, sentence, sign)) in enumerate(docs.items()):
        body = f"{title}\n\n一、总体要求\n{sentence}\n二、重点任务\n第{i + 1}项任务各不相同，内容编号{i * 7919}。\n\n{sign}\n"
        (tmp_path / name).write_text(body, encoding="utf-8")
    db = str(tmp_path / "f.db")
    assert run_cli("graph", str(tmp_path), "--db", db, "--quiet").exit_code == 0
    code, d = diffusion_json(run_cli, db, query)
    assert code == 0
    by = {os.path.basename(h["paths"][0]): h for h in d["holders"]}
    first = by["b_2015.txt"]
    assert d["first"] == first["version"] and first["change"] == "first" and first["date"] == "2015-01-05"
    assert d["earlier_variants"] == [by["a_2014.txt"]["version"]]
    assert by["a_2014.txt"]["change"] == by["c_2016.txt"]["change"] == "modified"
    assert ["replace", "推动", "支持"] in by["c_2016.txt"]["diff"]
    # an undated holder of the text could be earlier than 2015: said so
    assert d["first_uncertain"] == [by["d_undated.txt"]["version"]]
    r = run_cli("diffusion", query, "--db", db, "--quiet")
    assert "earlier variant" in r.stdout and "undated: it may be as early" in r.stdout


def test_cli_diffusion_names_holders_as_the_graph_does(run_cli, corpus_db):
    """Two versions titled alike are qualified by place and year, as the graph labels them."""
    graph = json.loads(run_cli("graph", "--db", corpus_db, "--json", "--quiet").stdout)
    labels = {n["id"]: n["label"] for n in graph["nodes"]}
    code, d = diffusion_json(run_cli, corpus_db, "大力实施“制造业+互联网”")
    assert code == 0
    for h in d["holders"]:
        assert h["label"] == labels[h["version"]]
    out = run_cli("diffusion", "大力实施“制造业+互联网”", "--db", corpus_db, "--quiet").stdout
    for h in d["holders"]:
        assert h["label"][:39] in out


def test_a_place_the_text_does_not_name_is_not_matched_to_other_words(run_cli, corpus_db, corpus_paths):
    """The review's case: 全省产业基金规模达到100亿元 against 002's 全市各级政府设立的产业基金规模达到100亿元; the
    match began 立的产业... with the diff [-全省-]{+立的+}, half of 设立的 read as the query's place."""
    code, res = search_json(run_cli, corpus_db, "全省产业基金规模达到100亿元")
    assert code == 0
    (m,) = matches_in(res, "002")
    assert m["text"] == read(corpus_paths["002"])[slice(*m["span"])] == "产业基金规模达到100亿元"
    # a place for a place is still taken in: the localized start (浙江省 -> 绍兴市, 全省 -> 全市)
    code, res = search_json(run_cli, corpus_db, "全省各级政府设立的产业基金规模")
    (m,) = matches_in(res, "002")
    assert m["text"] == "全市各级政府设立的产业基金规模"


def test_an_outline_number_does_not_stand_for_words(run_cli, corpus_db, corpus_paths):
    # 004: "1.建设产业创新服务综合体。": the query's 加快 is missing there, not written as "1."
    code, res = search_json(run_cli, corpus_db, "浙江省加快建设产业创新服务综合体")
    assert code == 0
    spans = [m["text"] for m in matches_in(res, "004")]
    assert "建设产业创新服务综合体" in spans and not any(t.startswith("1.") for t in spans)
