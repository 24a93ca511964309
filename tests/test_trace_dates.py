"""Trace attribution with imprecise dates: a year-only estimate is not earlier than a dated day of its year."""

from __future__ import annotations

import json
from pathlib import Path

from lineage.align.result import date_order, later

_BODY = [
    "一、总体要求",
    "坚持把发展经济的着力点放在实体经济上，推动全省制造业质量变革、效率变革、动力变革。",
    "到2025年，全省规模以上工业增加值年均增长7%左右，培育形成一批具有国际竞争力的先进制造业集群。",
    "二、重点任务",
    "实施产业基础再造工程，加快补齐基础零部件、基础工艺、关键基础材料等短板。",
    "推进智能化改造和数字化转型，建设一批智能工厂和数字化车间，提高全省企业数字化水平。",
    "实施品牌培育行动，打造一批具有全省影响力的区域品牌和企业品牌。",
    "各地各部门要加强组织领导，建立健全工作推进机制，确保各项任务落到实处。",
]


def _city(lines: list[str]) -> list[str]:
    return [x.replace("全省", "全市") for x in lines]


def test_date_order_puts_a_year_estimate_after_the_days_of_its_year():
    assert sorted(["2018", "2018-10-19", "2017-12-31", None, "2019-01-01"], key=date_order) == [
        "2017-12-31",
        "2018-10-19",
        "2018",
        "2019-01-01",
        None,
    ]
    assert later("2018-10-19", "2018") is False and later("2019-01-01", "2018") is True


def test_a_news_copy_dated_only_by_its_year_does_not_make_the_province_its_copy(tmp_path, db_path, run_cli):
    """The province's plan is dated 2020-03-01; a news article reprinting 宁波's adaptation of it has no date,
    only an estimate of 2020 (from its title's period).  As strings "2020" < "2020-03-01", so the province
    counted as a copy of the article and lost every sentence to it; the province, which contains the target's
    jurisdiction, is the origin, and the article is listed beside it."""
    p = tmp_path / "p.txt"
    p.write_text(
        "\n".join(
            [
                "浙江省人民政府",
                "关于印发浙江省制造业高质量发展行动计划的通知",
                "各有关单位：",
                "现将《浙江省制造业高质量发展行动计划》印发给你们，请认真贯彻执行。",
                "浙江省人民政府",
                "2020年3月1日",
                "浙江省制造业高质量发展行动计划",
                *_BODY,
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    c = tmp_path / "c.txt"
    c.write_text(
        "\n".join(
            [
                "宁波出台制造业高质量发展行动计划（2020—2022年）",
                "近日，宁波市人民政府印发《宁波市制造业高质量发展行动计划（2020—2022年）》，要求认真贯彻落实。",
                "全文如下：",
                *_city(_BODY),
                "支持宁波舟山港建设世界一流强港，发展临港先进制造业。",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    t = tmp_path / "t.txt"
    t.write_text(
        "\n".join(
            [
                "绍兴市人民政府",
                "2020年9月1日",
                "绍兴市制造业高质量发展行动计划",
                *_city(_BODY),
                "支持绍兴黄酒产业传承创新，打造世界黄酒之都。",
                "推进印染产业集聚提升，建设现代纺织产业集群。",
                "培育集成电路产业，打造绍兴芯片制造基地。",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    r = run_cli("trace", str(t), "--db", db_path, "--corpus", str(p), "--corpus", str(c), "--json", "--quiet")
    assert r.exit_code == 0, r.stderr
    d = json.loads(r.stdout)
    body = [m for m in d["matches"] if not m["formulaic"] and len(m.get("also_in") or []) > 0]
    assert len(body) >= 3, d["summary"].get("retrieval")
    assert {Path(m["source"]).name for m in body} == {"p.txt"}, [(m["source"], m["target_span"]) for m in body]
    assert {Path(a["source"]).name for m in body for a in m["also_in"]} == {"c.txt"}
