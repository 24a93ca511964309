"""A trace names the documents a pair may draw on as the graph does (lineage.graph.traced, lineage.graph.edges).

The README says a trace's per-document direction evidence is the graph's, asked of the pair.  Before, on the
sample corpus it was not:

* tracing 浙江's 2020 plan, 中国制造2025 stood in 绍兴 2016's adoption story only as a document 绍兴 2016 cites
  ("its text is not in the corpus"), while the same trace's summary counted 46 characters of its text both
  quote, and the graph's adoption story for the pair says "both quote its known text (2 passages, 46
  characters, not counted)": the trace never counted the known text per pair;
* 绍兴 2018 and 浙江 2020, direction uncertain: the graph says both may draw on the 2017 Zhejiang plan 绍兴 2018
  cites (浙政办发〔2017〕100号); the trace said nothing of it (it named candidates only inside an adoption
  story, the graph lists them whenever the direction is uncertain, rests on the dates or both quote a known
  text).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ZJ_2017 = "浙江省培育发展战略性新兴产业行动计划(2017—2020年)"


def _run(run_cli, *args: str) -> str:
    r = run_cli(*args, "--quiet")
    assert r.exit_code == 0, r.stderr
    return r.stdout


def _adoption(evidence: list[dict]) -> list[str]:
    return [e["detail"] for e in evidence if e["kind"] == "adoption"]


@pytest.fixture(scope="module")
def graph(corpus_graph_db, run_cli) -> dict:
    return json.loads(_run(run_cli, "graph", "--db", corpus_graph_db, "--json"))


def _directions(run_cli, db: str, path: str) -> tuple[dict, dict[str, dict]]:
    d = json.loads(_run(run_cli, "trace", path, "--db", db, "--json"))
    return d, {Path(s["path"]).name: s["direction"] for s in d["sources"]}


def test_every_graph_edge_names_what_the_trace_of_its_target_names(graph, corpus_graph_db, run_cli, corpus_paths):
    """For each reuse edge of the graph, the trace of its target lists the other side with the same adoption
    story, word for word, and the same documents both may draw on."""
    paths = {n["id"]: [Path(p).name for p in n.get("paths") or ()] for n in graph["nodes"]}
    folder = Path(corpus_paths["000"]).parent
    compared = 0
    for e in graph["edges"]:
        if e["kind"] != "reuse":
            continue
        _, how = _directions(run_cli, corpus_graph_db, str(folder / paths[e["target"]][0]))
        (listed,) = [how[p] for p in paths[e["source"]] if p in how]
        pair = (paths[e["source"]][0], paths[e["target"]][0])
        assert _adoption(listed["evidence"]) == _adoption(e["direction_evidence"]), pair
        assert listed["possible_common_sources"] == e["possible_common_sources"], pair
        compared += 1
    assert compared == 3  # 002 -> 004, 002 <-> 000, 004 <-> 000


def test_the_known_text_both_quote_is_a_candidate_counted_as_the_graph_counts_it(
    graph, corpus_graph_db, run_cli, corpus_paths
):
    d, how = _directions(run_cli, corpus_graph_db, corpus_paths["000"])
    (edge,) = [
        e
        for e in graph["edges"]
        if e["kind"] == "reuse" and {Path(e["source_path"]).name[:3], Path(e["target_path"]).name[:3]} == {"000", "002"}
    ]
    (common,) = edge["common_sources"]
    assert (common["id"], common["passages"], common["chars"]) == ("x-b10f379c5e", 2, 46)
    # the trace's figure for the pair is the graph's, and its summary's
    assert d["summary"]["common_source_chars"] == 46
    assert d["summary"]["by_source"][corpus_paths["002"]]["common_source_chars"] == 46
    (told,) = _adoption(how["002_db784dc9ab403615.txt"]["evidence"])
    assert (
        "candidates: 中国制造2025 (x-b10f379c5e: both quote its known text (2 passages, 46 characters, not counted))"
        in told
    )
    assert "中国制造2025 (x-b10f379c5e: cited by" not in told
    # named once, as the text both quote; the plan 002 cites is the one left to draw on
    assert [x["id"] for x in how["002_db784dc9ab403615.txt"]["possible_common_sources"]] == ["x-c7782d435b"]
    human = _run(run_cli, "trace", corpus_paths["000"], "--db", corpus_graph_db, "--top", "0")
    assert "中国制造2025 (x-b10f379c5e: both quote its known text (2 passages, 46 characters, not counted))" in human
    assert "? both may draw on 中国制造2025浙江行动纲要 (x-c7782d435b): cited by 中国制造2025绍兴实施方案;" in human


def test_an_uncertain_pair_names_the_plan_both_may_draw_on(
    graph, corpus_graph_db, run_cli, corpus_paths, tmp_path, monkeypatch
):
    _, how = _directions(run_cli, corpus_graph_db, corpus_paths["000"])
    possible = how["004_6f0a94d0c08b789a.txt"]["possible_common_sources"]
    assert [(x["id"], x["title"]) for x in possible] == [("x-3bb904494a", ZJ_2017)]
    assert possible[0]["why"].startswith("cited by 004_6f0a94d0c08…; 浙江省 (province), 2017: older than both")
    line = f"      ? both may draw on {ZJ_2017} (x-3bb904494a): cited by 004_6f0a94d0c08…; 浙江省 (province), 2017"
    human = _run(run_cli, "trace", corpus_paths["000"], "--db", corpus_graph_db, "--top", "0")
    assert line in human
    assert human.index(line) > human.index("· conflict: date points to 004_6f0a94d0c08…")
    # the standalone provenance page (the trace's words, no graph edge), and `align` of the pair with its page
    page = tmp_path / "000.html"
    _run(run_cli, "trace", corpus_paths["000"], "--db", corpus_graph_db, "--html", str(page))
    assert f"both may draw on {ZJ_2017} (x-3bb904494a): cited by 004_" in page.read_text(encoding="utf-8")
    pair = tmp_path / "pair.html"
    args = ("align", corpus_paths["004"], corpus_paths["000"], "--db", corpus_graph_db)
    assert line in _run(run_cli, *args, "--top", "0", "--html", str(pair))
    assert f"both may draw on {ZJ_2017} (x-3bb904494a): cited by 004_" in pair.read_text(encoding="utf-8")
    monkeypatch.setenv("LINEAGE_LANG", "zh")
    human = _run(run_cli, "trace", corpus_paths["000"], "--db", corpus_graph_db, "--top", "0")
    assert f"? 两者可能都取自 {ZJ_2017}（x-3bb904494a）：被 004_6f0a94d0c08… 引用；浙江省（省级），2017：" in human
