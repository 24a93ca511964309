"""Trace in a database of a province plan and a sibling city's adaptation of it: a sentence the target reworded
goes to the province, even though the sibling, localized as the target is, is nearer to it word for word."""

from __future__ import annotations

from pathlib import Path

from test_trace_sparse_sibling import _issued, _lines, _localize
from trace_fixtures import ingested_and_traced

SENTENCE = "加强党对制造强省建设工作的领导，明确各级党委和政府职责，加强重大战略性项目谋划。"
LOCALIZED = SENTENCE.replace("强省", "强市")
REWORDED = "加强党对制造强市建设工作的领导，加强重大战略性项目谋划。"  # localized, a clause dropped
SIBLING_OWN = "各县（市、区）要建立制造强市建设工作专班，定期研究解决重大问题。"  # 嘉兴's own sentence after it
TARGET_OWN = "各县（市、区）要建立制造强市建设工作专班，定期协调推进重大问题。"  # 金华's, after it, much like it
OWN = [
    "聚焦金华五大千亿产业，推动五金工具、纺织服装等传统产业改造提升，打造一批特色产业集群。",
    "支持义乌、永康等地建设国家级小商品制造和五金制造基地，提升“金华制造”品牌影响力。",
]


def test_a_sentence_the_target_reworded_goes_to_the_province_not_to_a_sibling_localized_alike(
    tmp_path, db_path, run_cli
):
    """嘉兴 adapted the province's plan (浙江 -> 嘉兴, 制造强省 -> 制造强市) and added a sentence of its own;
    金华's plan takes the province's 加强组织领导 paragraph, localized alike, drops a clause of one sentence and
    follows it with a sentence much like 嘉兴's.  Word for word 嘉兴's sentence is nearer (ratio 82 against 79:
    强市 as 金华 wrote it), and with the sentence after it 嘉兴 explains the longer passage; but 嘉兴 is a copy
    of the province's plan, and with the target's place and the level words set aside it holds the sentence
    no better than the province: the province's, 嘉兴 listed beside it.  Before, the place-only lead exempted
    嘉兴 from the copy rule and the longer passage gave it the sentence (seed 171's crowded database)."""
    lines = _lines()
    assert any(LOCALIZED in x for x in _localize(lines, "金华"))
    jx = [x.replace(LOCALIZED, LOCALIZED + SIBLING_OWN) for x in _localize(lines, "嘉兴")]
    para = next(x for x in _localize(lines, "金华") if LOCALIZED in x).replace(LOCALIZED, REWORDED + TARGET_OWN)
    files = {
        "zj.txt": _issued("浙江省人民政府", "浙江省制造强省建设行动计划", "2020年3月13日", lines),
        "jiaxing.txt": _issued("嘉兴市人民政府", "嘉兴市制造强市建设行动计划", "2020年6月15日", jx),
        "jinhua.txt": _issued("金华市人民政府", "金华市先进制造业发展实施意见", "2020年8月1日", [OWN[0], para, OWN[1]]),
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    d = ingested_and_traced(run_cli, db_path, [tmp_path / "zj.txt", tmp_path / "jiaxing.txt"], tmp_path / "jinhua.txt")
    matches = d["matches"]
    text = files["jinhua.txt"]

    def at(s: str) -> dict:
        i = text.index(s)
        (m,) = [m for m in matches if m["target_span"][0] <= i < m["target_span"][1]]
        return m

    m = at(REWORDED)
    assert (Path(m["source"]).name, m["relation"]) == ("zj.txt", "modified"), m
    assert files["zj.txt"][slice(*m["source_span"])] == SENTENCE
    assert [Path(a["source"]).name for a in m["also_in"] or []] == ["jiaxing.txt"], m["also_in"]
    # the sentence only 嘉兴 holds stays 嘉兴's, and the rest of the paragraph the province's
    assert Path(at(TARGET_OWN)["source"]).name == "jiaxing.txt"
    assert Path(at("完善统计监测体系和监督考评机制。")["source"]).name == "zj.txt"
