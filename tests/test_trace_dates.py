"""Trace attribution with imprecise dates: a year-only estimate is not earlier than a dated day of its year."""

from __future__ import annotations

import json
from pathlib import Path

from plan_fixtures import BODY as _BODY
from plan_fixtures import city as _city
from plan_fixtures import issued as _signed

from lineage.align.result import date_order
from lineage.dates import interval, interval_after


def test_date_order_puts_a_year_estimate_after_the_days_of_its_year():
    assert sorted(["2018", "2018-10-19", "2017-12-31", None, "2019-01-01"], key=date_order) == [
        "2017-12-31",
        "2018-10-19",
        "2018",
        "2019-01-01",
        None,
    ]


def test_later_is_known_only_where_the_intervals_do_not_overlap():
    """What retrieval's and attribution's later penalty asks: a day of a year is not known to be after the
    bare year, a day of the next year is; a day inside an estimate's range is not known to be after it (as
    strings "2019-03-01" > "2018", the estimate's year, and the source counted for less)."""
    day, year, nxt = interval("2018-10-19"), interval("2018"), interval("2019-03-01")
    estimate = interval("2018", "estimated", ("2017-10-18", "2019-12-31"))
    assert interval_after(day, year) is None and interval_after(nxt, year) is True
    assert interval_after(year, nxt) is False
    assert interval_after(nxt, estimate) is None and interval_after(interval("2020-01-01"), estimate) is True
    assert interval_after(None, year) is None


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
    _province_holds_what_the_copy_holds(run_cli, db_path, t, p, c)


def test_a_later_city_that_copied_the_targets_own_wording_is_not_its_source(tmp_path, db_path, run_cli):
    """绍兴 (June) writes a sentence of its own around a clause of the province's plan (March); 温州 (August)
    copies 绍兴's sentence word for word.  Tracing 绍兴, the sentence is the province's clause and 绍兴's own
    words; 温州, signed after, gave 绍兴 nothing -- neither that sentence nor a clause of 绍兴's own new
    sentence it also copied."""
    reworded = "实施信息基础设施提升工程，推进千兆光纤网络向乡镇和重点行政村延伸，打造一批5G全连接工厂。"
    own = "绍兴将建设纺织印染产业大脑，推动印染企业数字化改造全覆盖。"
    province = _BODY
    city = [*_city(_BODY[:4]), reworded, *_city(_BODY[5:]), own]
    later = [
        *_city(_BODY[:2]),
        "温州市将打造鞋服产业数字化转型示范区，建设一批未来工厂。",
        reworded,
        "推动印染企业数字化改造全覆盖，建设温州时尚智造基地。",
    ]
    p, t, w = tmp_path / "p.txt", tmp_path / "t.txt", tmp_path / "w.txt"
    p.write_text(_signed("浙江省", "2020年3月1日", province), encoding="utf-8")
    t.write_text(_signed("绍兴市", "2020年6月18日", city), encoding="utf-8")
    w.write_text(_signed("温州市", "2020年8月10日", later), encoding="utf-8")
    r = run_cli("trace", str(t), "--db", db_path, "--corpus", str(p), "--corpus", str(w), "--json", "--quiet")
    assert r.exit_code == 0, r.stderr
    d = json.loads(r.stdout)
    text = t.read_text(encoding="utf-8")
    at = text.index(reworded)
    (m,) = [m for m in d["matches"] if at <= m["target_span"][0] < at + len(reworded)]
    assert (Path(m["source"]).name, m["content"]) == ("p.txt", "partial")  # the clause the province lent
    counted = [m for m in d["matches"] if not m["formulaic"] and Path(m["source"]).name == "w.txt"]
    assert not counted, [(m["relation"], text[m["target_span"][0] : m["target_span"][1]]) for m in counted]


def test_a_reprint_published_after_the_target_still_lends_its_clauses(tmp_path, db_path, run_cli):
    """Only a signed date says a document came after: a news reprint of the province's plan, dated by its
    page (published) after the city's plan, is the province's text, and the clause the city lifted from it
    is found."""
    clause = "推进千兆光纤网络向乡镇和重点行政村延伸"
    r_ = tmp_path / "r.txt"
    r_.write_text("\n".join(["发布日期：2020-09-01", "浙江省数字经济发展行动计划", *_BODY]) + "\n", encoding="utf-8")
    t = tmp_path / "t.txt"
    city = [*_city(_BODY[:2]), f"绍兴市将统筹城乡通信设施，{clause}，服务纺织产业集群。", "打造绍兴纺织产业大脑。"]
    t.write_text(_signed("绍兴市", "2020年6月18日", city), encoding="utf-8")
    r = run_cli("trace", str(t), "--db", db_path, "--corpus", str(r_), "--json", "--quiet")
    assert r.exit_code == 0, r.stderr
    d = json.loads(r.stdout)
    text = t.read_text(encoding="utf-8")
    assert clause in [
        text[m["target_span"][0] : m["target_span"][1]] for m in d["matches"] if m["relation"] == "partial"
    ]


def test_a_city_copy_dated_inside_its_provinces_estimate_is_the_copy(tmp_path, db_path, run_cli):
    """The province's plan, as scraped, has no signature: its date is an estimate, 2020, from 2019-01-01 (the
    国发〔2019〕 document it cites) to 2024-12-31 (the year before 到2025年).  绍兴's adaptation, signed
    2020-06-18, falls inside that range: the dates cannot tell which came first, so the province, which
    contains 绍兴, did (as the graph's direction has it).  As strings "2020" was not before "2020-06-18", so
    绍兴's plan was no copy of the province's and, holding 宁波's 全市 sentences word for word, took them all
    from the province, which holds every one of them with only its place words otherwise."""
    cites = "根据《国务院关于推进数字经济发展的指导意见》（国发〔2019〕5号）精神，结合我省实际，制定本行动计划。"
    p, c, t = tmp_path / "p.txt", tmp_path / "c.txt", tmp_path / "t.txt"
    p.write_text("\n".join(["浙江省数字经济发展行动计划", cites, *_BODY]) + "\n", encoding="utf-8")
    c.write_text(_signed("绍兴市", "2020年6月18日", _city(_BODY)), encoding="utf-8")
    t.write_text(_signed("宁波市", "2020年9月1日", [*_city(_BODY), "建设宁波舟山港数字港口。"]), encoding="utf-8")
    r = run_cli("show", str(p), "--db", db_path, "--json", "--quiet")
    assert r.exit_code == 0, r.stderr
    shown = json.loads(r.stdout)
    meta = shown.get("meta", shown)
    assert (meta["date_kind"], meta["date_range"]) == ("estimated", ["2019-01-01", "2024-12-31"]), meta
    _province_holds_what_the_copy_holds(run_cli, db_path, t, p, c)


def _province_holds_what_the_copy_holds(run_cli, db_path: str, t: Path, p: Path, c: Path) -> None:
    """Trace ``t`` against ``p`` (the province's plan) and ``c`` (a copy of it): every sentence both hold goes
    to the province, the copy listed beside it (``also_in``)."""
    r = run_cli("trace", str(t), "--db", db_path, "--corpus", str(p), "--corpus", str(c), "--json", "--quiet")
    assert r.exit_code == 0, r.stderr
    d = json.loads(r.stdout)
    body = [m for m in d["matches"] if not m["formulaic"] and len(m.get("also_in") or []) > 0]
    assert len(body) >= 3, d["summary"].get("retrieval")
    assert {Path(m["source"]).name for m in body} == {p.name}, [(m["source"], m["target_span"]) for m in body]
    assert {Path(a["source"]).name for m in body for a in m["also_in"]} == {c.name}
