"""A passage does not run across the target's own sentences into a sentence its source holds far away.

Held-out seed 461 (measured once: clean recall 0.952): 芜湖's plan ends a paragraph with a pool sentence
(作为芜湖而言，推进制造业发展既处于……, which many plans hold, each with its own place), writes a paragraph of
its own, then takes a passage from the national plan.  湖南's plan holds that passage too (it copied it from the
national plan) and the pool sentence, in its introduction, far from the passage.  Bridging the target's own
sentences, 湖南's passage ran from the pool sentence on and was longer than the national plan's: it took the
passage by context, where the national plan, holding it alike and containing 芜湖, is its origin.  Here 成都's
plan, 河南's plan in 湖南's part, and 山东's plan as the one the pool sentence's paragraph came from."""

from __future__ import annotations

import json

from plan_fixtures import OWN, issued

POOL = "作为{p}而言，推进制造业发展既处于大有作为的重要战略机遇期，又面临矛盾叠加、竞争加剧的严峻挑战，我们必须抢抓发展机遇，积极应对挑战。"
PASSAGE = [
    "深化售电侧改革和天然气等能源价格改革，完善能源消费总量和强度双控制度。",
    "建立产业链上下游协同创新体制机制，支持龙头企业牵头组建创新联合体。",
    "积极推进知识产权质押融资、产业链融资等金融产品创新，促进金融机构加大对新兴产业的支持力度。",
    "加强对新兴产业重要项目用地、环境容量等要素的保障，优先保障重大项目落地。",
]


def _national(lines: list[str]) -> str:
    title = "制造业高质量发展行动计划"
    notice = ["国务院关于印发制造业高质量发展行动计划的通知", "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：",
              f"现将《{title}》印发给你们，请认真贯彻执行。"]  # fmt: skip
    return "\n".join([*notice, "国务院", "2018年5月10日", title, *lines]) + "\n"


def test_a_pool_sentence_before_the_targets_own_paragraph_does_not_win_the_passage_after_it(run_cli, tmp_path):
    files = {
        "national": _national(["一、重点任务", *OWN["全国"], "二、改革举措", *PASSAGE]),
        # the province's pool sentence opens its plan; the passage it copied from the national plan comes later
        "henan": issued(
            "河南省", "2019年6月10日", [POOL.format(p="河南"), *OWN["河南省"][:6], *PASSAGE, *OWN["河南省"][6:]]
        ),
        # the pool sentence's origin for the target: the plan whose passage it ends
        "shandong": issued("山东省", "2019年3月1日", [*OWN["山东省"][:4], POOL.format(p="山东"), *OWN["山东省"][4:]]),
    }
    target_lines = [*OWN["山东省"][:4], POOL.format(p="成都"), *OWN["成都市"][:3], *PASSAGE]
    files["target"] = issued("成都市", "2021年3月10日", target_lines)
    paths = {}
    for name, text in files.items():
        paths[name] = tmp_path / f"{name}.txt"
        paths[name].write_text(text, encoding="utf-8")
    corpus = [a for name in ("national", "henan", "shandong") for a in ("--corpus", str(paths[name]))]
    r = run_cli("trace", str(paths["target"]), "--db", str(tmp_path / "db"), "--json", "--quiet", *corpus)
    assert r.exit_code == 0, r.output
    res = json.loads(r.stdout)
    text = files["target"]
    by_text = {text[slice(*m["target_span"])]: m for m in res["matches"]}
    got = {x: by_text[x]["source"].rsplit("/", 1)[-1] for x in PASSAGE}
    assert set(got.values()) == {"national.txt"}, got
    why = {a["source"].rsplit("/", 1)[-1]: a["set_aside_by"] for x in PASSAGE for a in by_text[x].get("also_in") or ()}
    assert why == {"henan.txt": ["level"]}
    # the pool sentence itself goes to the plan whose passage it ends, 河南's listed beside it
    pool = by_text[POOL.format(p="成都")]
    assert pool["source"].rsplit("/", 1)[-1] == "shandong.txt"
    assert "henan.txt" in {a["source"].rsplit("/", 1)[-1] for a in pool.get("also_in") or ()}
