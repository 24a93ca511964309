"""`localized` means the target writing its own place: its names (and 简称), its province's, or the level word
of its own level (全市/市级 for a city plan, 全省 for a province plan).  A city plan reading 全省 where its
province's plan reads 全国 turned a national benchmark into a provincial one: modified.  Likewise a city
plan reading a third city's name."""

from __future__ import annotations

import json
from pathlib import Path

from lineage.align.aligner import align
from lineage.align.diff import classify, diff
from lineage.ingest.pipeline import load_file
from lineage.model import Jurisdiction

ROOT = Path(__file__).resolve().parents[1]
ZJ = ROOT / "corpus" / "003_cba8423d898ca683.txt"  # 浙江省《制造强省建设行动计划》(2020)
# what a Shaoxing adaptation of the province's plan changes (one occurrence each in 003)
BENCHMARK = ("亩均效益全国领先", "亩均效益全省领先")  # a national benchmark made a provincial one
LOCALIZED = [
    ("优化省级财政专项资金", "优化市级财政专项资金"),
    ("实施省级财政专项激励", "实施市级财政专项激励"),
    ("加快建设制造强省，制定", "加快建设制造强市，制定"),
    ("在浙江先行先试", "在绍兴先行先试"),
]


def _contents(source, target) -> dict[str, str]:
    """Each changed sentence of the target (its text) -> its content relation, from a real alignment."""
    out = {}
    for m in align(source, target).matches:
        for p in m.parts or [{"content": m.content, "diff": m.diff}]:
            if p["content"] != "identical":
                out["".join(b for _, _, b in p["diff"])] = p["content"]
    return out


def _shaoxing(tmp_path: Path) -> Path:
    text = ZJ.read_text(encoding="utf-8")
    for a, b in [BENCHMARK, *LOCALIZED]:
        assert text.count(a) == 1, a
        text = text.replace(a, b)
    path = tmp_path / "shaoxing.txt"
    path.write_text("绍兴市制造强市建设行动计划\n绍兴市人民政府\n2020年6月1日\n" + text, encoding="utf-8")
    return path


def test_a_city_plan_writing_its_province_where_the_source_writes_the_nation_modified_it(tmp_path):
    province, city = load_file(str(ZJ)), load_file(str(_shaoxing(tmp_path)))
    assert province.jurisdiction.level == "province" and city.jurisdiction.name == "绍兴市"
    got = _contents(province, city)
    (bench,) = [c for t, c in got.items() if BENCHMARK[1] in t]
    assert bench == "modified"
    # 省级 -> 市级, 制造强省 -> 制造强市, 浙江 -> 绍兴: the city writing its own place and level
    for _, b in LOCALIZED:
        (c,) = [c for t, c in got.items() if b.replace("，", ",") in t]  # diffs are on normalized text
        assert c == "localized", b


def test_a_province_plan_writing_its_own_level_where_the_nations_plan_writes_the_nation_localized_it(tmp_path):
    nation = tmp_path / "nation.txt"
    nation.write_text(
        "国务院关于推动制造业高质量发展的指导意见\n国务院\n2019年6月1日\n"
        "到2025年，工业用能效率、用水效率和亩均效益全国领先，制造业绿色发展水平进一步提高。\n"
        "加快发展海洋经济，建设现代海洋产业体系，推进海洋牧场和远洋渔业基地建设。\n",
        encoding="utf-8",
    )
    province = tmp_path / "province.txt"
    province.write_text(
        "浙江省推动制造业高质量发展实施意见\n浙江省人民政府\n2020年3月1日\n"
        "到2025年，工业用能效率、用水效率和亩均效益全省领先，制造业绿色发展水平进一步提高。\n"
        "加快发展海洋经济，建设现代海洋产业体系，推进海洋牧场和远洋渔业基地建设。\n",
        encoding="utf-8",
    )
    got = _contents(load_file(str(nation)), load_file(str(province)))
    assert [c for t, c in got.items() if "全省领先" in t] == ["localized"], got


def test_the_targets_own_short_name_and_a_third_citys_name():
    zj = Jurisdiction("浙江省", "province", "浙江", "330000", "title")
    tz = Jurisdiction("台州市", "city", "浙江", "331000", "title")
    # the province plan reading 在浙 where a city's reads 在湖州: its own 简称
    assert (
        classify(diff("鼓励外商投资企业加大在湖州研发力度。", "鼓励外商投资企业加大在浙研发力度。"), zj) == "localized"
    )
    # a 台州 plan reading 湖州 where the province reads 浙江 wrote another city's name: it took that city's text
    ops = diff("争取国家相关创新政策在浙江先行先试。", "争取国家相关创新政策在湖州先行先试。")
    assert classify(ops) == "localized"  # a swap, place aside
    assert classify(ops, tz) == "modified"
    assert (
        classify(diff("争取国家相关创新政策在浙江先行先试。", "争取国家相关创新政策在台州先行先试。"), tz)
        == "localized"
    )


def test_trace_and_its_text_say_modified_for_the_benchmark(tmp_path, db_path, run_cli):
    city = _shaoxing(tmp_path)
    r = run_cli("trace", str(city), "--db", db_path, "--corpus", str(ZJ), "--json", "--quiet")
    assert r.exit_code == 0, r.stderr
    d = json.loads(r.stdout)
    text = city.read_text(encoding="utf-8")
    (m,) = [m for m in d["matches"] if BENCHMARK[1] in text[slice(*m["target_span"])]]
    parts = m.get("parts") or [m]
    assert [p["content"] for p in parts if any(op != "equal" for op, _, _ in p["diff"])] == ["modified"]
    assert m["relation"] != "localized"


def test_the_graph_counts_no_national_benchmark_made_provincial_as_a_localization(tmp_path, db_path, run_cli):
    r = run_cli("graph", str(ZJ), str(_shaoxing(tmp_path)), "--db", db_path, "--json", "--quiet")
    assert r.exit_code == 0, r.stderr
    (edge,) = [e for e in json.loads(r.stdout)["edges"] if e["kind"] == "reuse"]
    # swaps source -> target as the edge is oriented (province -> city here, or the other way if uncertain)
    swaps = {tuple(sorted(s)) for p in edge["passages"] for s in p.get("swaps") or []}
    assert ("市", "省") in swaps and ("浙江", "绍兴") in swaps
    assert ("国", "省") not in swaps
    (loc,) = [x for x in edge["direction_evidence"] if x["kind"] == "localization"]
    assert "国→省" not in loc["detail"] and "省→国" not in loc["detail"]
