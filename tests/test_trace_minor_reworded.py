"""A sentence the target reworded, from a source ranked after the first FULL_SOURCES, is traced to it.

Held-out seed 443 (1,400 documents, measured once: clean recall 0.977): 洛阳's plan took a short passage
from one plan, among them a target sentence many plans hold, each with its own figures (到2023年，全省工业设计服务
收入突破20亿元……), dropping a clause.  Those n-grams are in more than DF_CAP documents, so the index keeps none
of them, and the plan the sentence came from -- a minor source, aligned only where the index points -- was
never compared with it: the sentence went to a major source holding the pool sentence with other figures.
"""

from __future__ import annotations

from plan_fixtures import OWN, issued, traced_json

from lineage.align.index import DF_CAP, Index
from lineage.align.sides import Side
from lineage.align.trace import FULL_SOURCES, retrieve
from lineage.ingest.pipeline import load_file
from lineage.store import Store

POOL = (
    "到{y}年，全省工业设计服务收入突破{a}亿元，成果转化产值达到{b}亿元，重点企业数字化研发设计工具普及率达到{c}%以上。"
)
ORIGIN = POOL.format(y=2023, a=20, b=2003, c=95)
ELSEWHERE = POOL.format(y=2022, a=10, b=3421, c=85)  # the same pool sentence as a major source has it
REWORDED = ORIGIN.replace("成果转化产值达到2003亿元，", "")  # the target dropped a clause
MINOR_OWN = [
    "建设长江经济带绿色发展示范区，推进沿江化工企业搬迁改造。",
    "打造世界级港口群，推进江海联运和多式联运发展。",
]
MAJORS = ["山东省", "河南省", "广东省", "四川省", "广州市"]
assert len(MAJORS) == FULL_SOURCES


def test_a_minor_source_competes_for_the_pool_sentences_the_target_reworded(run_cli, tmp_path):
    files = {
        # the major sources: the target takes four sentences from each, the first also holds the pool sentence
        "major0": issued(MAJORS[0], "2019年3月1日", [*OWN[MAJORS[0]][:6], ELSEWHERE]),
        **{f"major{i}": issued(p, "2019年3月1日", OWN[p][:6]) for i, p in enumerate(MAJORS) if i},
        "minor": issued("江苏省", "2019年3月1日", [*MINOR_OWN, "加快发展工业设计。", ORIGIN]),
    }
    # plans holding the pool sentence as the minor source has it: more of them than the index keeps n-grams of
    fillers = {
        f"filler{i:02d}": issued("江苏省", "2018年1月1日", [f"推进第{i}批特色小镇建设，完善配套设施。", ORIGIN])
        for i in range(DF_CAP + 5)
    }
    target_lines = [line for p in MAJORS for line in OWN[p][:4]]
    target_lines += [*MINOR_OWN, "本市将结合实际抓好落实。", REWORDED]
    target = issued("绍兴市", "2021年3月10日", target_lines)
    res, by_text = traced_json(run_cli, tmp_path, {**files, **fillers}, target)
    # the minor source is one of the sources, ranked by retrieval after the five major ones
    (minor,) = [s["sha256"] for s in res["sources"] if s["path"].endswith("minor.txt")]
    with Store(str(tmp_path / "db"), create=False) as store:
        doc = load_file(str(tmp_path / "target.txt"))  # (stored by the trace: not its own source)
        chosen = retrieve(Side(doc), Index.load(store), exclude={doc.sha256}).shas
    assert chosen.index(minor) >= FULL_SOURCES, chosen
    m = by_text[REWORDED]
    assert m["source"].rsplit("/", 1)[-1] == "minor.txt"
    assert m["relation"] == "modified"
    assert files["minor"][slice(*m["source_span"])] == ORIGIN
    assert "major0.txt" in {a["source"].rsplit("/", 1)[-1] for a in m.get("also_in") or ()}
