"""`lineage diffusion` on the real corpus: timeline, counts, first appearance, who took the text from whom."""

from __future__ import annotations

import json
import os

from test_search import CLAUSE, corpus_db, read  # noqa: F401  (corpus_db is a fixture)

from lineage.ingest.normalize import fold

INTERNET = "大力实施“制造业+互联网”"  # 002 (2016) -> 004: established by date
EQUIPMENT = "烟气脱硫脱硝除尘装备、水污染及污泥处置装备、工业有机废气治理装备"  # 004 has 设备 for one 装备


def diffusion_json(run_cli, db: str, *args: str) -> tuple[int, dict]:
    r = run_cli("diffusion", *args, "--db", db, "--json", "--quiet")
    return r.exit_code, json.loads(r.stdout)


def names(d: dict) -> list[list[str]]:
    return [sorted(os.path.basename(p)[:3] for p in h["paths"]) for h in d["holders"]]


def test_clause_timeline_counts_and_uncertain_sharing(run_cli, corpus_db):
    code, d = diffusion_json(run_cli, corpus_db, CLAUSE)
    assert code == 0 and d["graph"] == "cached"
    # 004 (estimated 2017-10-18..2019-12-31) before the 2020 plan (000 and 003: one version, two copies)
    assert names(d) == [["004"], ["000", "003"]]
    assert d["documents"] == 3 and d["versions"] == 2
    first, plan = d["holders"]
    assert d["first"] == first["version"] and first["change"] == "first" and d["first_uncertain"] == []
    assert plan["change"] == "identical" and plan["diff"] == [] and plan["date"] == "2020-03-13"
    # the counts are of versions (000 and 003 count once), and say so: 3 documents, in 2 versions
    assert d["by_province"] == [{"province": "浙江", "versions": 2, "first": first["version"], "first_date": "2018"}]
    assert d["by_year"] == [
        {"year": "2018", "versions": 1, "estimated": 1},
        {"year": "2020", "versions": 1, "estimated": 0},
    ]
    # the graph's edge between them is uncertain (004 is earlier, the plan provincial): "shares text with"
    (t,) = d["transfers"]
    assert {t["source"], t["target"]} == {first["version"], plan["version"]}
    assert t["direction"] == "uncertain" and t["says"] == "shares text with" and t["conflict"] is True
    assert t["carries"] is True and t["shown"] is True
    assert d["unlinked"] == []
    for h in d["holders"]:
        assert read(h["path"])[slice(*h["span"])] == CLAUSE
    r = run_cli("diffusion", CLAUSE, "--db", corpus_db, "--quiet")
    assert "shares text with" in r.stdout and "took it from" not in r.stdout
    assert "earliest in this corpus" in r.stdout and "3 documents in 2 versions, 1 province" in r.stdout
    assert (
        "by province: 浙江 2 versions\n" in r.stdout
        and "by year: 2018 1 version (1 estimated), 2020 1 version\n" in r.stdout
    )


def test_established_edge_reads_took_it_from(run_cli, corpus_db):
    code, d = diffusion_json(run_cli, corpus_db, INTERNET)
    assert code == 0 and names(d)[:2] == [["002"], ["004"]]
    t = next(t for t in d["transfers"] if t["carries"])
    assert t["direction"] == "established" and t["says"] == "took it from"
    assert (t["source"], t["target"]) == (d["holders"][0]["version"], d["holders"][1]["version"])
    assert any(e["kind"] == "date" and e["favours"] == "source" for e in t["evidence"])
    r = run_cli("diffusion", INTERNET, "--db", corpus_db, "--quiet")
    assert "004_6f0a94d0c08b789a.txt took it from 中国制造2025绍兴实施方案" in r.stdout


def test_changes_against_the_first_appearance(run_cli, corpus_db, corpus_paths):
    _code, d = diffusion_json(run_cli, corpus_db, EQUIPMENT)
    assert names(d) == [["002"], ["004"]]
    later = d["holders"][1]
    assert later["change"] == "modified"
    assert [op for op in later["diff"] if op[0] != "equal"] == [["replace", "装", "设"]]
    assert fold(read(corpus_paths["004"])[slice(*later["span"])]) == fold(EQUIPMENT.replace("除尘装备", "除尘设备"))


def test_without_graph_says_so_and_builds_it_when_asked(run_cli, tmp_path, corpus_paths):
    db = str(tmp_path / "d.db")
    assert run_cli("dedup", *corpus_paths.values(), "--db", db, "--quiet").exit_code == 0
    r = run_cli("diffusion", CLAUSE, "--db", db, "--json")
    d = json.loads(r.stdout)
    assert r.exit_code == 0 and d["graph"] == "not built" and d["transfers"] == []
    assert "graph is not built" in r.stderr
    assert names(d) == [["004"], ["000", "003"]]  # the timeline does not need the graph
    r = run_cli("diffusion", CLAUSE, "--db", db, "--quiet")
    assert "the lineage graph is not built" in r.stdout
    _, d = diffusion_json(run_cli, db, CLAUSE, "--graph")
    assert d["graph"] == "built" and len(d["transfers"]) == 1
    _, d = diffusion_json(run_cli, db, CLAUSE)
    assert d["graph"] == "cached"


def test_absent_text(run_cli, corpus_db):
    code, d = diffusion_json(run_cli, corpus_db, "这句话不在任何一个文件里面出现过")
    assert code == 1 and d["holders"] == [] and d["first"] is None and d["by_province"] == []
