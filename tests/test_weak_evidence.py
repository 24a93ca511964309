"""What is no evidence of reuse: an issuing notice (two cities' signatures, 宁波市人民政府 / 绍兴市人民政府,
their dates and 印发 phrasing read alike in every plan), and one stock clause of a dozen characters."""

from __future__ import annotations

import os

from plan_fixtures import BODY as PROVINCE_BODY
from plan_fixtures import city, issued

from lineage.align.aligner import align
from lineage.graph.pipeline import graph_paths
from lineage.ingest.pipeline import load_file
from lineage.store import Store


def plan(place: str, level: str, date: str, body: list[str], extra: list[str]) -> str:
    return issued(place, date, [*city(body, level), *extra])


def graph_of(db, paths: list[str]):
    with Store(str(db)) as store:
        return graph_paths(paths, store, jobs=1)[0]


def write(tmp_path, name: str, text: str) -> str:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return str(p)


def test_notice_lines_are_formulaic_in_an_alignment(tmp_path):
    a = write(
        tmp_path, "sx.txt", plan("绍兴市", "全市", "2020年6月18日", PROVINCE_BODY[:4], ["打造绍兴纺织产业集群。"])
    )
    b = write(tmp_path, "nb.txt", plan("宁波市", "全市", "2020年7月20日", PROVINCE_BODY[4:], ["打造宁波港口经济圈。"]))
    result = align(load_file(a), load_file(b)).to_dict()
    target = load_file(b)
    notice = [u.span for u in target.blocks(("notice",))]
    touching = [
        m for m in result["matches"] if any(s < m["target_span"][1] and m["target_span"][0] < e for s, e in notice)
    ]
    assert touching, "the two notices match (宁波市人民政府 localized from 绍兴市人民政府, the 印发 phrasing)"
    assert all(m["formulaic"] for m in touching)
    assert result["summary"]["reused_chars"] == sum(m["chars"] for m in result["matches"] if not m["formulaic"])
    assert result["summary"]["reused_chars"] < sum(len(x) for x in PROVINCE_BODY[4:])


def test_sibling_cities_sharing_only_their_notices_titles_and_a_cited_title_are_not_linked(tmp_path):
    """Their notices, their titles' template (X市数字经济发展行动计划) and the title of the plan both cite are
    what any two cities' plans share; a signature matched as 'localized' made 宁波 'reused from' 绍兴."""
    province = write(
        tmp_path, "zj.txt", plan("浙江省", "全省", "2020年3月1日", PROVINCE_BODY, ["各地要结合实际抓好落实。"])
    )
    # both cite the province's plan by its title, in sentences of their own
    sx_cite = "为贯彻落实《浙江省数字经济发展行动计划》，加快建设数字绍兴，结合我市实际，制定本计划。"
    nb_cite = "根据《浙江省数字经济发展行动计划》精神，宁波市围绕港口经济特色编制本方案。"
    sx = write(
        tmp_path,
        "sx.txt",
        plan("绍兴市", "全市", "2020年6月18日", [sx_cite, *PROVINCE_BODY[:4]], ["打造绍兴纺织产业集群。"]),
    )
    nb = write(
        tmp_path,
        "nb.txt",
        plan("宁波市", "全市", "2020年7月20日", [nb_cite, *PROVINCE_BODY[4:]], ["打造宁波港口经济圈。"]),
    )
    with Store(str(tmp_path / "g.db")) as store:
        graph, _ = graph_paths([province, sx, nb], store, jobs=1)
    ids = {os.path.basename(p): n["id"] for n in graph.nodes for p in n["paths"]}
    pairs = {frozenset((e["source"], e["target"])) for e in graph.edges if e["kind"] == "reuse"}
    assert frozenset((ids["zj.txt"], ids["sx.txt"])) in pairs and frozenset((ids["zj.txt"], ids["nb.txt"])) in pairs
    assert frozenset((ids["sx.txt"], ids["nb.txt"])) not in pairs


OTHER = [
    "一、总体要求",
    "坚持创新驱动发展，加快构建现代化产业体系，推动全省经济高质量发展迈上新台阶。",
    "二、重点任务",
    "大力发展海洋经济，建设现代化港口群，打造具有国际影响力的航运服务中心。",
    "实施乡村振兴战略，推进农业农村现代化，促进农民持续增收。",
]


def test_a_lone_stock_clause_links_no_plans(tmp_path):
    """Another province's plan writes 数字经济核心产业增加值占 in a sentence of its own: one lifted clause of
    twelve characters is a stock phrase, not reuse; three such clauses are."""
    province = write(tmp_path, "zj.txt", plan("浙江省", "全省", "2020年3月1日", PROVINCE_BODY, []))
    one = ["到2025年，山东省数字经济核心产业增加值占比明显提高，海洋经济总量保持全国前列。"]
    other = write(
        tmp_path,
        "sd.txt",
        plan("山东省", "全省", "2022年5月1日", OTHER + one, []).replace("数字经济发展", "海洋强省建设"),
    )
    graph = graph_of(tmp_path / "g.db", [province, other])
    assert not [e for e in graph.filtered().edges if e["kind"] == "reuse"]
    assert [e for e in graph.edges if e["kind"] == "reuse"], "the clause is found, only not shown as an edge"
    three = [
        "山东省将统筹海陆通信设施，推进千兆光纤网络向乡镇和重点行政村延伸，服务渔港建设。",
        "围绕海工装备和船舶制造，推动一批中小企业上云用数赋智，打造海洋数字经济示范区。",
        "加强港口物流体系建设，提升全省产业链供应链韧性，扩大高水平对外开放。",
    ]
    other = write(
        tmp_path,
        "sd3.txt",
        plan("山东省", "全省", "2022年5月1日", OTHER + three, []).replace("数字经济发展", "海洋强省建设"),
    )
    graph = graph_of(tmp_path / "g3.db", [province, other])
    (edge,) = [e for e in graph.filtered().edges if e["kind"] == "reuse"]
    assert sum(p["chars"] for p in edge["passages"] if p["unit"] == "clause" and not p["formulaic"]) >= 30
