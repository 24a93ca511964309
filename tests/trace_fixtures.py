"""Small hand-made policy notices, and a trace of one of them read back by the text of each match."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path


def notice(path: Path, issuer: str, date: str, body: list[str], subject: str = "经济社会发展行动计划") -> str:
    """A notice issuing ``issuer``'s plan, dated ``date``, whose body is ``body`` (a line each); its path."""
    title = issuer.replace("人民政府", "") + subject
    head = [issuer, f"关于印发{title}的通知", "各有关单位：", f"现将《{title}》印发给你们，请认真贯彻执行。"]
    path.write_text("\n".join([*head, issuer, date, title, *body]) + "\n", encoding="utf-8")
    return str(path)


def traced(run_cli, target: str, db: str, corpus: list[str], *extra: str) -> dict[str, dict]:
    """`lineage trace TARGET --corpus ... --json`: each match by the target text it covers."""
    args = [a for c in corpus for a in ("--corpus", c)]
    r = run_cli("trace", target, "--db", db, *args, *extra, "--json", "--quiet")
    assert r.exit_code == 0, r.stderr
    text = Path(target).read_text(encoding="utf-8")
    return {text[slice(*m["target_span"])]: m for m in json.loads(r.stdout)["matches"]}


def ingested_and_traced(run_cli, db: str, corpus: list, target) -> dict:
    """`lineage ingest CORPUS... --db DB`, then `lineage trace TARGET --db DB --json`: the trace's JSON."""
    r = run_cli("ingest", *(str(p) for p in corpus), "--db", db, "--quiet")
    assert r.exit_code == 0, r.stderr
    r = run_cli("trace", str(target), "--db", db, "--json", "--quiet")
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


def assert_passage_from(
    got: dict[str, dict], passage: list[str], source: str, holder: str, held: list[int], own: Iterable[str] = ()
) -> None:
    """Each sentence of ``passage`` traced to the file named ``source``, with ``holder`` in its ``also_in``
    exactly at the indices ``held`` (and nothing else there); each of ``own`` traced to ``holder``."""
    for i, sentence in enumerate(passage):
        m = got.get(sentence)
        assert m is not None and Path(m["source"]).name == source, (i, m)
        also = {Path(a["source"]).name for a in m.get("also_in") or []}
        assert also == ({holder} if i in held else set()), (i, also)
    for sentence in own:
        assert Path(got[sentence]["source"]).name == holder


# sentences of unrelated topics for hand-made plans: ten for a passage, twelve for another plan's own text
PASSAGE_SENTENCES = [
    "加快发展海洋经济，建设现代海洋产业体系，推进海洋牧场和远洋渔业基地建设工作。",
    "推动港口资源整合，完善集疏运体系，提升江海联运服务能力和航运服务整体水平。",
    "培育壮大海洋生物医药产业，支持海洋药物和海洋功能食品研发与产业化应用推广。",
    "实施乡村振兴战略，推进农业农村现代化，培育新型农业经营主体和社会化服务组织。",
    "发展休闲农业和乡村旅游，打造一批特色小镇和美丽乡村精品线路，带动农民增收。",
    "完善农村基础设施，推进城乡供水一体化和农村生活污水治理全覆盖，改善人居环境。",
    "深化教育领域综合改革，推进义务教育优质均衡发展，扩大普惠性学前教育资源供给。",
    "加强高水平大学建设，支持高校围绕产业需求调整学科专业设置，服务地方经济发展。",
    "完善职业教育体系，深化产教融合和校企合作，培养更多高素质技术技能人才队伍。",
    "推进全民健身和体育强省建设，完善公共体育设施网络，发展体育产业和体育消费。",
]
OTHER_SENTENCES = [
    "推进健康城市建设，完善公共卫生服务体系，提升重大疫情防控和应急处置能力水平。",
    "深化医药卫生体制改革，推进分级诊疗制度建设，建设紧密型县域医共体提升效能。",
    "发展智慧医疗，推广远程会诊和互联网诊疗服务，提高基层医疗服务水平和服务质量。",
    "推动民营经济高质量发展，弘扬新时代企业家精神，构建亲清政商关系优化营商环境。",
    "完善企业梯度培育体系，支持专精特新企业发展壮大，培育一批单项冠军示范企业。",
    "坚持把发展经济的着力点放在实体经济上，推动制造业质量变革、效率变革和动力变革。",
    "加快建设现代化基础设施体系，统筹推进传统基础设施和新型基础设施建设布局。",
    "深入实施创新驱动发展战略，加强关键核心技术攻关，强化企业技术创新主体地位。",
    "推进数字产业化和产业数字化，加快工业互联网平台建设，发展壮大数字经济规模。",
    "完善现代流通体系，发展现代物流和供应链管理，降低全社会物流成本提高效率。",
    "实施更大规模减税降费，优化政务服务流程，推进“最多跑一次”改革向纵深发展。",
    "加强生态环境保护，深入打好污染防治攻坚战，推动绿色低碳循环发展经济体系。",
]
