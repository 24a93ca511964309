"""trace's also_in: a source holding a passage's sentences far apart says where each one is (source_spans), and
text[s:e] of each is the sentence; source_span stays the range covering them all."""

from __future__ import annotations

import json
from pathlib import Path

S1 = "坚持把发展经济的着力点放在实体经济上，推动制造业质量变革、效率变革、动力变革。"
S2 = "实施产业基础再造工程，加快补齐基础零部件、基础工艺、关键基础材料等短板。"
OTHER = [
    "加快发展海洋经济，建设现代海洋产业体系，推进海洋牧场和远洋渔业基地建设。",
    "实施乡村振兴战略，推进农业农村现代化，培育新型农业经营主体和社会化服务组织。",
    "深化教育领域综合改革，推进义务教育优质均衡发展，扩大普惠性学前教育资源。",
    "推进健康城市建设，完善公共卫生服务体系，提升重大疫情防控和应急处置能力。",
]


def _doc(path: Path, issuer: str, date: str, paras: list[str]) -> str:
    title = issuer.replace("人民政府", "") + "制造业高质量发展行动计划"
    path.write_text("\n".join([title, issuer, date, *paras]) + "\n", encoding="utf-8")
    return str(path)


def test_a_source_holding_the_sentences_of_a_passage_far_apart_gives_each_ones_span(tmp_path, db_path, run_cli):
    a = _doc(tmp_path / "a.txt", "浙江省人民政府", "2019年3月1日", [S1 + S2, *OTHER[:2]])
    b = _doc(tmp_path / "b.txt", "杭州市人民政府", "2020年3月1日", [S1, *OTHER, S2])
    t = _doc(
        tmp_path / "t.txt", "绍兴市人民政府", "2021年3月1日", [S1 + S2, "支持绍兴黄酒产业传承创新，打造世界黄酒之都。"]
    )
    r = run_cli("trace", t, "--db", db_path, "--corpus", a, "--corpus", b, "--json", "--quiet")
    assert r.exit_code == 0, r.stderr
    d = json.loads(r.stdout)
    tt = Path(t).read_text(encoding="utf-8")
    passage = [m for m in d["matches"] if tt[slice(*m["target_span"])] in (S1, S2, S1 + S2)]
    held = [x for m in passage for x in m.get("also_in") or []]
    assert held, [(tt[slice(*m["target_span"])], m["source"], m.get("also_in")) for m in d["matches"]]
    for x in held:
        text = Path(x["source"]).read_text(encoding="utf-8")
        pieces = [text[s:e] for s, e in x["source_spans"]]
        lo, hi = x["source_span"]
        assert lo == x["source_spans"][0][0] and hi == x["source_spans"][-1][1]
        assert all(p in (S1, S2, S1 + S2) or (S1 + S2).startswith(p) or (S1 + S2).endswith(p) for p in pieces), pieces
    far = [x for x in held if Path(x["source"]).name == "b.txt"]
    assert far, held  # the province plan is the origin; the city plan holding the sentences apart is also_in
    # b holds them apart: two pieces, with the other paragraphs between them left out
    btext = Path(far[0]["source"]).read_text(encoding="utf-8")
    assert [btext[s:e] for s, e in far[0]["source_spans"]] == [S1, S2]
