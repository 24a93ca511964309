"""Attribution's context: a passage bridged over the target's own sentences goes on only as it went.

Seed 141 (crowded generator): the target took a passage from one plan, wrote three sentences of its own,
and went on with a passage of another plan that holds the first passage too, elsewhere (moved).  The
bridge made the other plan's text there one passage longer than the first plan's, and it took the whole
first passage (origin recall / precision, clean database, 0.950 / 0.936 -> 0.961 / 0.960 with the bridge
kept to text held alike, in the source's order or off it).
"""

from __future__ import annotations

import json
from pathlib import Path

PASSAGE = [  # the first plan's, in its order; the second plan holds it too, after its own passage
    "加快发展海洋经济，建设现代海洋产业体系，推进海洋牧场和远洋渔业基地建设工作。",
    "推动港口资源整合，完善集疏运体系，提升江海联运服务能力和航运服务整体水平。",
    "培育壮大海洋生物医药产业，支持海洋药物和海洋功能食品研发与产业化应用推广。",
    "实施乡村振兴战略，推进农业农村现代化，培育新型农业经营主体和社会化服务组织。",
    "发展休闲农业和乡村旅游，打造一批特色小镇和美丽乡村精品线路，带动农民增收。",
]
SECOND = [  # the second plan's own passage, which the target took after its own sentences
    "推进健康城市建设，完善公共卫生服务体系，提升重大疫情防控和应急处置能力水平。",
    "深化医药卫生体制改革，推进分级诊疗制度建设，建设紧密型县域医共体提升效能。",
    "发展智慧医疗，推广远程会诊和互联网诊疗服务，提高基层医疗服务水平和服务质量。",
    "推动民营经济高质量发展，弘扬新时代企业家精神，构建亲清政商关系优化营商环境。",
    "完善企业梯度培育体系，支持专精特新企业发展壮大，培育一批单项冠军示范企业。",
    "坚持把发展经济的着力点放在实体经济上，推动制造业质量变革、效率变革和动力变革。",
    "深化教育领域综合改革，推进义务教育优质均衡发展，扩大普惠性学前教育资源供给。",
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


def _notice(path: Path, issuer: str, date: str, body: list[str], subject: str = "经济社会发展行动计划") -> str:
    title = issuer.replace("人民政府", "") + subject
    head = [issuer, f"关于印发{title}的通知", "各有关单位：", f"现将《{title}》印发给你们，请认真贯彻执行。"]
    path.write_text("\n".join([*head, issuer, date, title, *body]) + "\n", encoding="utf-8")
    return str(path)


def test_a_bridge_does_not_join_a_moved_passage_to_the_one_after_the_targets_own_sentences(tmp_path, db_path, run_cli):
    first_own = ["推进汉江生态经济带建设，筑牢长江中游生态屏障。", "打造武汉都市圈，建设全国重要增长极。"]
    # neither contains the target's city, nor is a copy of the other; the first plan is the earlier (seed 141's
    # dates): with the passages as long, the date decides
    first = _notice(
        tmp_path / "hubei.txt",
        "湖北省人民政府",
        "2017年4月22日",
        [first_own[0], *PASSAGE, *LATER, first_own[1]],
        "海洋经济发展规划",
    )
    second = _notice(
        tmp_path / "fujian.txt",
        "福建省人民政府",
        "2019年4月13日",
        [*SECOND, *PASSAGE, *SECOND_OWN],
        "卫生健康事业发展规划",
    )
    target = _notice(tmp_path / "xinxiang.txt", "新乡市人民政府", "2020年9月1日", [*PASSAGE, *OWN, *SECOND, *LATER])
    r = run_cli("trace", target, "--db", db_path, "--corpus", first, "--corpus", second, "--json", "--quiet")
    assert r.exit_code == 0, r.stderr
    d = json.loads(r.stdout)
    text = Path(target).read_text(encoding="utf-8")
    got = {text[slice(*m["target_span"])]: m for m in d["matches"]}
    for i, sentence in enumerate(PASSAGE):
        m = got.get(sentence)
        assert m is not None and Path(m["source"]).name == "hubei.txt", (i, m)
        assert {Path(a["source"]).name for a in m.get("also_in") or []} == {"fujian.txt"}
    for sentence in SECOND:
        assert Path(got[sentence]["source"]).name == "fujian.txt"
