"""Trace: a sentence the target wrote around a clause of the plan it was copying belongs to that plan's passage.

Held-out seed 296: of the target's sentences written around a clause it lifted from the plan whose passage
surrounds them, 8 went to other plans holding the same clause word for word (ranked first for explaining
more of the target elsewhere): origin recall 0.956.  Held-out seed 322: the clause's plan held the passage
around the sentence, but its passage ended there (it held the sentence only by a clause), so a plan holding
the sentence loosely and the passage's last sentences took those: recall 0.978.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from trace_fixtures import OTHER_SENTENCES, PASSAGE_SENTENCES, notice, traced

PASSAGE, OTHER = PASSAGE_SENTENCES, OTHER_SENTENCES
OWN = [  # the target's own sentences
    "支持衢州市建设四省边际中心城市，打造现代化产业平台。",
    "建设诗画浙江大花园最美核心区，擦亮衢州有礼城市品牌。",
    "推进衢江、龙游、江山、常山、开化协同发展，壮大县域经济。",
    "深化衢州智造新城建设，培育新材料和新能源产业集群。",
    "打造浙皖闽赣四省边际交通枢纽，畅通对外开放大通道。",
]
PASSAGE_OWN = [
    "推进赣南等原中央苏区振兴发展，建设革命老区高质量发展示范区。",
    "打造鄱阳湖生态经济区，筑牢长江中游生态屏障。",
]
CLAUSE = "建设一批高水平的产业创新服务综合体"


def test_a_clause_two_plans_hold_goes_to_the_one_whose_passage_is_around_it(tmp_path, db_path, run_cli):
    # 湖北's plan explains more of the target (its first twelve sentences) and holds the clause too, among
    # its own sentences; the target wrote its sentence around the clause inside 江西's passage
    first = notice(
        tmp_path / "hubei.txt",
        "湖北省人民政府",
        "2017年2月11日",
        [*OTHER, f"深化科技体制改革，{CLAUSE}，激发人才创新活力。"],
    )
    passage = [*PASSAGE[:5], f"发挥企业主体作用，{CLAUSE}。", *PASSAGE[6:]]
    second = notice(tmp_path / "jiangxi.txt", "江西省人民政府", "2019年6月5日", [*PASSAGE_OWN, *passage])
    written = f"聚焦主导产业，{CLAUSE}，形成创新集聚效应。"
    body = [*OTHER, OWN[0], *PASSAGE[:5], written, *PASSAGE[6:], OWN[1]]
    target = notice(tmp_path / "quzhou.txt", "衢州市人民政府", "2020年9月1日", body)
    got = traced(run_cli, target, db_path, [first, second])
    lent = [m for text, m in got.items() if CLAUSE in text]
    assert [(m["relation"], Path(m["source"]).name) for m in lent] == [("partial", "jiangxi.txt")]
    assert all(Path(got[s]["source"]).name == "jiangxi.txt" for s in PASSAGE[:5] + PASSAGE[6:])
    assert all(Path(got[s]["source"]).name == "hubei.txt" for s in OTHER)


def test_the_passage_goes_on_across_a_sentence_its_plan_lent_only_a_clause_of(tmp_path, db_path, run_cli):
    # 江西's plan holds the whole passage; the target rewrote its seventh sentence around a clause of it, which
    # 湖北's plan (its own text otherwise, not a copy of 江西's) holds reworded, with three sentences before it and
    # the one after: 江西's passage ended at the rewritten sentence, and 湖北's took the one after
    loose = "落实立德树人根本任务，推进义务教育优质均衡发展，办好公平而有质量的教育。"
    written = "落实立德树人根本任务，推进义务教育优质均衡发展，办好人民满意的教育。"
    source = notice(tmp_path / "jiangxi.txt", "江西省人民政府", "2016年6月5日", [*PASSAGE_OWN, *PASSAGE])
    other = notice(
        tmp_path / "hubei.txt",
        "湖北省人民政府",
        "2018年2月11日",
        [*OTHER[:8], *PASSAGE[3:6], loose, PASSAGE[7], *OTHER[8:]],
    )
    body = [OWN[0], *PASSAGE[:6], written, PASSAGE[7], *OWN[1:]]
    target = notice(tmp_path / "quzhou.txt", "衢州市人民政府", "2020年9月1日", body)
    got = traced(run_cli, target, db_path, [source, other])
    assert Path(got[written]["source"]).name == "hubei.txt"  # held reworded, whole: 江西 lends only a clause
    for s in [*PASSAGE[:6], PASSAGE[7]]:
        m = got[s]
        assert Path(m["source"]).name == "jiangxi.txt", (s, m)
        also = {Path(a["source"]).name for a in m.get("also_in") or []}
        assert also == ({"hubei.txt"} if s in PASSAGE[3:8] else set()), (s, also)


def test_a_clause_lent_to_a_sentence_another_plan_holds_whole_does_not_carry_a_passage_on(tmp_path, db_path, run_cli):
    # held-out seed 303: a plan holding the target's first passage in part (one sentence whole, a clause of
    # each of the next two, which 浙江's plan holds as the target has them) and then all of its second passage
    # (江西's) would, carried on across the lent clauses, explain a longer stretch than 江西 and take it
    first, lent = (
        OTHER[:3],
        [
            "统筹区域协调发展，建设紧密型县域医共体提升效能。",
            "加快数字化转型，推广远程会诊和互联网诊疗服务，优化资源配置。",
        ],
    )
    province = notice(tmp_path / "zhejiang.txt", "浙江省人民政府", "2017年3月1日", [*OTHER[:6]])
    source = notice(tmp_path / "jiangxi.txt", "江西省人民政府", "2016年6月5日", [*PASSAGE_OWN, *PASSAGE[:6]])
    holder_own = [*OTHER[6:], "推进长江经济带绿色发展，建设美丽湖北。", "打造武汉都市圈，提升中心城市能级。"]
    holder = notice(
        tmp_path / "hubei.txt", "湖北省人民政府", "2018年2月11日", [first[0], *lent, *PASSAGE[:6], *holder_own]
    )
    body = [*first, *OWN[:2], *PASSAGE[:6], OWN[2]]
    target = notice(tmp_path / "quzhou.txt", "衢州市人民政府", "2020年9月1日", body)
    got = traced(run_cli, target, db_path, [province, source, holder])
    assert all(Path(got[s]["source"]).name == "zhejiang.txt" for s in first[1:])
    for s in PASSAGE[:6]:
        m = got[s]
        assert Path(m["source"]).name == "jiangxi.txt", (s, m)
        assert {Path(a["source"]).name for a in m.get("also_in") or []} == {"hubei.txt"}
