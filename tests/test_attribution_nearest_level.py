"""Of two governments above the target holding a passage alike, the nearer one is its source: a city plan
localizes its province's plan, not the national plan the province's may echo.

Held-out seed 431 (generated after the rule before it, measured once: clean precision 0.963): 成都's plan holds
four long sentences as 四川's plan has them and as a national plan has them, each localized to its own level
(全省/省级/制造强省 and 全国/国家级/制造强国 for the city's 全市/市级/制造强市).  Neither plan is a copy of the
other, both contain 成都, and the rule gave them to the higher of the two, the national plan: 298 of the run's
335 wrongly attributed characters."""

from __future__ import annotations

import json

from plan_fixtures import BODY, OWN, city, issued

SHARED = BODY[4:7] + [
    "通过2—3年努力，全省各级政府设立的产业基金规模达到100亿元以上（其中省级20亿元），引领带动社会资本加大对制造强省重点领域的支持力度。"
]


def _national(lines: list[str]) -> str:
    title = "数字经济发展行动计划"
    notice = ["国务院关于印发数字经济发展行动计划的通知", "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：",
              f"现将《{title}》印发给你们，请认真贯彻执行。"]  # fmt: skip
    body = [x.replace("全省", "全国").replace("省级", "国家级").replace("制造强省", "制造强国") for x in lines]
    return "\n".join([*notice, "国务院", "2018年5月10日", title, *body]) + "\n"


def _lines(place: str, shared: list[str]) -> list[str]:
    return ["一、重点任务", *OWN[place], "二、数字产业", *shared]


def _as_city(lines: list[str]) -> list[str]:
    return [x.replace("省级", "市级").replace("制造强省", "制造强市") for x in city(lines)]


def test_the_city_plan_is_traced_to_its_province_not_the_national_plan(run_cli, tmp_path):
    files = {
        "national": _national(_lines("全国", SHARED)),
        "sichuan": issued("四川省", "2019年6月10日", _lines("四川省", SHARED)),
        "target": issued("成都市", "2021年3月10日", _as_city(_lines("成都市", SHARED))),
    }
    paths = {}
    for name, text in files.items():
        paths[name] = tmp_path / f"{name}.txt"
        paths[name].write_text(text, encoding="utf-8")
    corpus = [a for name in ("national", "sichuan") for a in ("--corpus", str(paths[name]))]
    r = run_cli("trace", str(paths["target"]), "--db", str(tmp_path / "db"), "--json", "--quiet", *corpus)
    assert r.exit_code == 0, r.output
    res = json.loads(r.stdout)
    text = files["target"]
    shared = [m for m in res["matches"] if any(text[slice(*m["target_span"])] in x for x in _as_city(SHARED))]
    assert len(shared) == len(SHARED)
    assert {m["source"].rsplit("/", 1)[-1] for m in shared} == {"sichuan.txt"}
    why = {a["source"].rsplit("/", 1)[-1]: a["set_aside_by"] for m in shared for a in m.get("also_in") or ()}
    assert why == {"national.txt": ["level"]}
