"""Attribution's context: a passage bridged over the target's own sentences goes on only as it went.

Seed 141 (crowded generator): the target took a passage from one plan, wrote three sentences of its own,
and went on with a passage of another plan that holds the first passage too, elsewhere (moved).  The
bridge made the other plan's text there one passage longer than the first plan's, and it took the whole
first passage (origin recall / precision, clean database, 0.950 / 0.936 -> 0.961 / 0.960 with the bridge
kept to text held alike, in the source's order or off it).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from trace_fixtures import notice, traced

PASSAGE = [  # the first plan's, in its order; the second plan holds it too, after its own passage
    "加快发展海洋经济，建设现代海洋产业体系，推进海洋牧场和远洋渔业基地建设工作。",
    "推动港口资源整合，完善集疏运体系，提升江海联运服务能力和航运服务整体水平。",
    "培育壮大海洋生物医药产业，支持海洋药物和海洋功能食品研发与产业化应用推广。",
    "实施乡村振兴战略，推进农业农村现代化，培育新型农业经营主体和社会化服务组织。",
    "发展休闲农业和乡村旅游，打造一批特色小镇和美丽乡村精品线路，带动农民增收。",
]
SECOND = [  # the second plan's own passage, which the target took after its own sentences
    "实施新一轮技术改造升级工程，推动传统产业高端化、智能化、绿色化发展取得新成效。",
    "建设一批省级重点实验室和技术创新中心，完善以企业为主体的技术创新体系和平台。",
    "深入实施质量提升行动，培育一批具有国际影响力的知名品牌和标准制定领军企业。",
    "加快第五代移动通信网络建设，推进工业互联网标识解析二级节点在重点行业全覆盖。",
    "健全绿色低碳循环发展经济体系，推进重点行业清洁生产改造和园区循环化改造。",
    "深化国资国企改革，推动国有资本向战略性新兴产业和关键基础设施领域集中。",
    "扩大高水平对外开放，积极参与共建一带一路，建设内陆开放型经济新高地。",
]
SECOND_OWN = ["推进闽东北、闽西南两大协同发展区建设。", "深化海峡两岸融合发展，建设台胞台企登陆第一家园。"]
OWN = [  # the target's own sentences between the two passages (no more than attribution's BRIDGE)
    "支持新乡市建设豫北区域中心城市，打造现代化产业平台。",
    "推进新乡高新区、经开区协同发展，壮大县域经济实力。",
]
LATER = [  # the first plan's, which the target took at its end (so retrieval aligns the first plan too)
    "打造全国先进制造业基地，建设中原城市群重要增长极。",
    "加强高水平大学建设，支持高校围绕产业需求调整学科专业设置，服务地方经济发展。",
    "完善职业教育体系，推行现代学徒制和企业新型学徒制，培养一大批高技能人才。",
]


def test_a_bridge_does_not_join_a_moved_passage_to_the_one_after_the_targets_own_sentences(tmp_path, db_path, run_cli):
    first_own = ["推进汉江生态经济带建设，筑牢长江中游生态屏障。", "打造武汉都市圈，建设全国重要增长极。"]
    # neither contains the target's city, nor is a copy of the other; the first plan is the earlier (seed 141's
    # dates): with the passages as long, the date decides
    first = notice(
        tmp_path / "hubei.txt",
        "湖北省人民政府",
        "2017年4月22日",
        [first_own[0], *PASSAGE, *LATER, first_own[1]],
        "海洋经济发展规划",
    )
    second = notice(
        tmp_path / "fujian.txt",
        "福建省人民政府",
        "2019年4月13日",
        [*SECOND, *PASSAGE, *SECOND_OWN],
        "卫生健康事业发展规划",
    )
    target = notice(tmp_path / "xinxiang.txt", "新乡市人民政府", "2020年9月1日", [*PASSAGE, *OWN, *SECOND, *LATER])
    got = traced(run_cli, target, db_path, [first, second])
    for i, sentence in enumerate(PASSAGE):
        m = got.get(sentence)
        assert m is not None and Path(m["source"]).name == "hubei.txt", (i, m)
        assert {Path(a["source"]).name for a in m.get("also_in") or []} == {"fujian.txt"}
    for sentence in SECOND:
        assert Path(got[sentence]["source"]).name == "fujian.txt"
