"""Trace: an origin that retrieval adds beside a chosen copy competes for every passage the copy matched."""

from __future__ import annotations

import json
from pathlib import Path

from lineage.align.index import DF_CAP, Index
from lineage.align.sides import Side
from lineage.align.trace import FULL_SOURCES, retrieve
from lineage.ingest.pipeline import load_file
from lineage.store import Store

# held by more than DF_CAP documents: its n-grams are not indexed, and the target splits it (no whole-sentence key)
COMMON = (
    "以治水、治气为突破口推进制造业转型升级取得阶段性成效，以制造业为重点的工业领域用能效率和资源集约利用水平"
    "明显提升，全面完成印染化工产业集聚升级工程，重点行业单位能耗达到国内先进水平，工业循环经济成效突出，绿色制造体系基本形成。"
)
SPLIT = [
    "以治水、治气为突破口推进制造业转型升级取得阶段性成效，以制造业为重点的工业领域用能效率和资源集约利用水平明显提升。",
    "全面完成印染化工产业集聚升级工程，重点行业单位能耗达到国内先进水平，工业循环经济成效突出，绿色制造体系基本形成。",
]
PASSAGE = [  # the province's passage (全省), which the target took localized (全市)
    "坚持把发展经济的着力点放在实体经济上，推动全省制造业质量变革、效率变革、动力变革。",
    "到2025年，全省规模以上工业增加值年均增长7%左右，培育形成一批具有国际竞争力的先进制造业集群。",
    "实施产业基础再造工程，加快补齐基础零部件、基础工艺、关键基础材料等短板。",
    "推进智能化改造和数字化转型，建设一批智能工厂和数字化车间，提高全省企业数字化水平。",
]
ADDED = [  # the city plan's own sentences; the target took the first too (so retrieval chooses the city plan first)
    "推动民营经济高质量发展，弘扬新时代企业家精神，构建亲清政商关系。",
    "完善企业梯度培育体系，支持专精特新企业发展壮大，培育单项冠军企业。",
]
OTHERS = {  # four unrelated documents, each with a passage the target took word for word
    "a1": [
        "加快发展海洋经济，建设现代海洋产业体系，推进海洋牧场和远洋渔业基地建设。",
        "推动港口资源整合，完善集疏运体系，提升江海联运服务能力和航运服务水平。",
        "培育壮大海洋生物医药产业，支持海洋药物和海洋功能食品研发与产业化。",
    ],
    "a2": [
        "实施乡村振兴战略，推进农业农村现代化，培育新型农业经营主体和社会化服务组织。",
        "发展休闲农业和乡村旅游，打造一批特色小镇和美丽乡村精品线路。",
        "完善农村基础设施，推进城乡供水一体化和农村生活污水治理全覆盖。",
    ],
    "a3": [
        "深化教育领域综合改革，推进义务教育优质均衡发展，扩大普惠性学前教育资源。",
        "加强高水平大学建设，支持高校围绕产业需求调整学科专业设置。",
        "完善职业教育体系，推行现代学徒制和企业新型学徒制，培养高技能人才。",
    ],
    "a4": [
        "推进健康城市建设，完善公共卫生服务体系，提升重大疫情防控和应急处置能力。",
        "深化医药卫生体制改革，推进分级诊疗制度建设，建设紧密型县域医共体。",
        "发展智慧医疗，推广远程会诊和互联网诊疗服务，提高基层医疗服务水平。",
    ],
}


def _notice(path: Path, issuer: str, date: str, body: list[str]) -> str:
    title = issuer.replace("人民政府", "") + "制造业高质量发展行动计划"
    head = [issuer, f"关于印发{title}的通知", "各有关单位：", f"现将《{title}》印发给你们，请认真贯彻执行。"]
    path.write_text("\n".join([*head, issuer, date, title, *body]) + "\n", encoding="utf-8")
    return str(path)


def test_an_origin_added_as_a_holder_competes_for_a_common_sentence_the_target_split(tmp_path, db_path, run_cli):
    """The city plan (宁波) holds the target's localized passage word for word and is chosen first; the province's
    plan it was adapted from is added beside it as a holder, aligned as a minor source: before, only where the
    index pointed.  The passage ends with a sentence held by more than DF_CAP documents (no n-gram of it indexed),
    which the target split in two: only the city plan, aligned in full, found it, and took it from its origin."""
    corpus = []
    for i in range(DF_CAP + 5):
        filler = tmp_path / f"f{i:02d}.txt"
        filler.write_text(f"第{i}号文件\n{COMMON}\n这是第{i}号文件自己的内容，编号{i * 7919}。\n", encoding="utf-8")
        corpus.append(str(filler))
    own = "支持绍兴黄酒产业传承创新，打造世界黄酒之都。"
    corpus.append(_notice(tmp_path / "p.txt", "浙江省人民政府", "2020年3月1日", [*PASSAGE, COMMON]))
    city = [x.replace("全省", "全市") for x in PASSAGE]
    corpus.append(_notice(tmp_path / "s.txt", "宁波市人民政府", "2020年6月1日", [*city, COMMON, *ADDED]))
    for k, lines in OTHERS.items():
        corpus.append(_notice(tmp_path / f"{k}.txt", "江西省人民政府", "2019年5月1日", lines))
    body = [*city, own, *SPLIT, "推进印染产业集聚提升，建设现代纺织产业集群。"]
    for lines in OTHERS.values():
        body += lines
    # away from the passage, and one of them: the city plan's own text does not make the passage the city
    # plan's (two sentences or more of it would make the city plan the target's nearer source, attribution's
    # rule 3)
    body += ADDED[:1]
    t = _notice(tmp_path / "t.txt", "绍兴市人民政府", "2020年9月1日", body)
    args = [a for c in corpus for a in ("--corpus", c)]
    r = run_cli("trace", t, "--db", db_path, *args, "--json", "--quiet")
    assert r.exit_code == 0, r.stderr
    d = json.loads(r.stdout)
    text = Path(t).read_text(encoding="utf-8")
    got = {text[slice(*m["target_span"])]: m for m in d["matches"]}
    assert all(Path(got[x]["source"]).name == "p.txt" for x in city), {x: got.get(x) for x in city}
    for part in SPLIT:
        m = got.get(part)
        assert m is not None and Path(m["source"]).name == "p.txt", m
        assert "s.txt" in {Path(a["source"]).name for a in m.get("also_in") or []}


def test_an_origin_the_greedy_chose_late_competes_where_its_copy_matched(tmp_path, db_path, run_cli):
    """As above, but the province's plan also holds a sentence of the target no other document holds: the
    greedy cover chooses it itself, sixth, after the city plan and the four others, so it is no holder (it
    was chosen already) and, past FULL_SOURCES, was aligned only where the index pointed: the split common
    sentence went to the city plan (seed 231, crowded generator: a 襄阳 copy of the 湖北 plan chosen first
    took 148 characters of the province's text the province, chosen eighth, never competed for)."""
    corpus = []
    for i in range(DF_CAP + 5):
        filler = tmp_path / f"f{i:02d}.txt"
        filler.write_text(f"第{i}号文件\n{COMMON}\n这是第{i}号文件自己的内容，编号{i * 7919}。\n", encoding="utf-8")
        corpus.append(str(filler))
    only = "建设全省制造业创新中心，完善产业技术基础公共服务平台体系。"  # the province's alone, which the target took
    corpus.append(_notice(tmp_path / "p.txt", "浙江省人民政府", "2020年3月1日", [*PASSAGE, COMMON, only]))
    city = [x.replace("全省", "全市") for x in PASSAGE]
    corpus.append(_notice(tmp_path / "s.txt", "宁波市人民政府", "2020年6月1日", [*city, COMMON, *ADDED]))
    for k, lines in OTHERS.items():
        corpus.append(_notice(tmp_path / f"{k}.txt", "江西省人民政府", "2019年5月1日", lines))
    body = [*city, *SPLIT, "推进印染产业集聚提升，建设现代纺织产业集群。"]
    for lines in OTHERS.values():
        body += lines
    body += [*ADDED[:1], only.replace("全省", "全市")]
    t = _notice(tmp_path / "t.txt", "绍兴市人民政府", "2020年9月1日", body)
    r = run_cli("ingest", *corpus, "--db", db_path, "--quiet")
    assert r.exit_code == 0, r.stderr
    with Store(db_path) as store:
        index = Index.load(store) or Index.open(store)
        got = retrieve(Side(load_file(t)), index, store.dates(), levels=store.levels())
        names = [Path(store.paths_of(sha)[0]).name for sha in got.shas]
        held = {Path(store.paths_of(h)[0]).name: Path(store.paths_of(s)[0]).name for h, s in got.held.items()}
    # the premise: chosen by the greedy itself, past the sources aligned in full
    assert names.index("p.txt") >= FULL_SOURCES and names.index("s.txt") == 0, names
    assert held.get("p.txt") == "s.txt", held
    r = run_cli("trace", t, "--db", db_path, "--json", "--quiet")
    assert r.exit_code == 0, r.stderr
    text = Path(t).read_text(encoding="utf-8")
    matches = {text[slice(*m["target_span"])]: m for m in json.loads(r.stdout)["matches"]}
    for part in SPLIT:
        m = matches.get(part)
        assert m is not None and Path(m["source"]).name == "p.txt", m
        assert "s.txt" in {Path(a["source"]).name for a in m.get("also_in") or []}
