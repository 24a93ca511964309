"""One figure shown the same everywhere: the graph's confidence, 0.999 in its JSON and on the report's index,
is 0.999 in the CLI too (it printed 1.00: two decimals rounded a near-certain direction to a certain one)."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ZJ = ROOT / "corpus" / "003_cba8423d898ca683.txt"  # 浙江省《制造强省建设行动计划》(2020), the body


def _pair(tmp_path: Path) -> list[str]:
    """The province's plan under its issuing notice, and a city's adaptation citing it by title and 文号."""
    body = ZJ.read_text(encoding="utf-8")
    province = tmp_path / "zj.txt"
    province.write_text(
        "中共浙江省委办公厅 浙江省人民政府办公厅关于印发《制造强省建设行动计划》的通知\n浙委办发〔2020〕16号\n"
        "中共浙江省委办公厅\n浙江省人民政府办公厅\n2020年3月13日\n制造强省建设行动计划\n" + body,
        encoding="utf-8",
    )
    city = body
    for a, b in (("省级", "市级"), ("制造强省", "制造强市"), ("全省", "全市"), ("在浙江", "在绍兴")):
        city = city.replace(a, b)
    preamble = "为贯彻落实《制造强省建设行动计划》（浙委办发〔2020〕16号）精神，加快建设制造强市，结合我市实际，制定本行动计划。"
    city = city.replace(city.split("\n")[0], preamble)
    sx = tmp_path / "sx.txt"
    sx.write_text(
        "绍兴市人民政府关于印发绍兴市制造强市建设行动计划的通知\n绍政发〔2020〕8号\n绍兴市人民政府\n2020年6月1日\n"
        "绍兴市制造强市建设行动计划\n" + city,
        encoding="utf-8",
    )
    return [str(province), str(sx)]


def test_the_cli_prints_the_confidence_the_json_holds(tmp_path, db_path, run_cli):
    r = run_cli("graph", *_pair(tmp_path), "--db", db_path, "--json", "--quiet")
    assert r.exit_code == 0, r.stderr
    (edge,) = [e for e in json.loads(r.stdout)["edges"] if e["kind"] == "reuse"]
    conf = edge["confidence"]
    assert 0.99 < conf < 1.0  # dates, level, citation and localization agree: near certain, not certain
    out = run_cli("graph", "--db", db_path).stdout
    assert f"direction: established, confidence {conf}; cited" in out
    assert "confidence 1.00" not in out
