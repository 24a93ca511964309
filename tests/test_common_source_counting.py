"""Text of a well-known national document two plans both quote is not reuse between them, in the aligner's
figures as in the graph's: 002 and the 2020 Zhejiang plan both quote 中国制造2025's 四基 clause."""

from __future__ import annotations

import json
from pathlib import Path

SIJI = "核心基础零部件(元器件)、先进基础工艺、关键基础材料和产业技术基础"


def _json(run_cli, *args: str) -> dict:
    r = run_cli(*args, "--json", "--quiet")
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


def test_align_counts_what_the_graph_counts(run_cli, corpus_paths, db_path):
    assert run_cli("ingest", *corpus_paths.values(), "--db", db_path, "--quiet").exit_code == 0
    text = Path(corpus_paths["000"]).read_text(encoding="utf-8")
    a = _json(run_cli, "align", corpus_paths["002"], corpus_paths["000"], "--db", db_path)
    quoted = [m for m in a["matches"] if m.get("common_source")]
    assert quoted and all(m["common_source"]["title"] == "中国制造2025" for m in quoted)
    assert all(m["common_source"]["doc_number"] == "国发〔2015〕28号" for m in quoted)
    assert any(SIJI in text[slice(*m["target_span"])].replace("（", "(").replace("）", ")") for m in quoted)
    s = a["summary"]
    assert s["common_source_chars"] == sum(m["chars"] for m in quoted) > 0
    counted = sum(m["chars"] for m in a["matches"] if not m["formulaic"] and not m.get("common_source"))
    assert s["reused_chars"] == counted
    # the graph's edge for the pair counts the same characters (identical, modified, localized)
    g = _json(run_cli, "graph", "--db", db_path)
    sha = {"000": a["target"]["sha256"], "002": a["sources"][0]["sha256"]}
    (e,) = [
        e
        for e in g["edges"]
        if e["kind"] == "reuse" and {e["source_sha256"], e["target_sha256"]} == {sha["000"], sha["002"]}
    ]
    assert sum(e["chars"][k] for k in ("identical", "modified", "localized")) == s["reused_chars"]
    assert e["chars"]["common_source"] == s["common_source_chars"]


def test_trace_leaves_the_quoted_text_out_of_the_share(run_cli, corpus_paths, db_path):
    assert run_cli("ingest", *corpus_paths.values(), "--db", db_path, "--quiet").exit_code == 0
    t = _json(run_cli, "trace", corpus_paths["000"], "--db", db_path)
    by = {Path(k).name[:3]: v for k, v in t["summary"]["by_source"].items()}
    quoted = [m for m in t["matches"] if m.get("common_source") and Path(m["source"]).name.startswith("002")]
    assert quoted and by["002"]["common_source_chars"] == sum(m["chars"] for m in quoted)
    assert by["002"]["chars"] == sum(
        m["chars"]
        for m in t["matches"]
        if Path(m["source"]).name.startswith("002") and not m["formulaic"] and not m.get("common_source")
    )
    human = run_cli("trace", corpus_paths["000"], "--db", db_path, "--quiet").stdout
    common = t["summary"]["common_source_chars"]
    assert f"{common} characters of well-known national text both quote not counted" in human
    # the quoted clause is not among the reused passages
    top = human.split("top reused passages:")[1]
    assert SIJI not in top


def test_a_share_divides_by_the_document_text_without_its_news_lede(run_cli, corpus_paths, db_path):
    """000 is a news copy: a 483-character lede quoting the plan, then the plan.  The graph divided its shares by
    every character, the lede's too (8,009 against the trace's 7,526): the two figures for one pair differed."""
    assert run_cli("ingest", *corpus_paths.values(), "--db", db_path, "--quiet").exit_code == 0
    t = _json(run_cli, "trace", corpus_paths["000"], "--db", db_path)
    assert t["summary"]["wrapper_chars"] > 0  # the lede, not aligned
    g = _json(run_cli, "graph", "--db", db_path)
    (node,) = [n for n in g["nodes"] if t["target"]["sha256"] in (n.get("sha256s") or [n.get("sha256")])]
    assert node["chars"] == t["summary"]["target_chars"]
    # 002's share of 000: the same characters over the same length, in the graph as in the trace
    by = {Path(k).name[:3]: v for k, v in t["summary"]["by_source"].items()}
    (e,) = [
        e
        for e in g["edges"]
        if e["kind"] == "reuse" and e["target"] == node["id"] and Path(e["source_path"]).name.startswith("002")
    ]
    assert e["share_of_target"] == by["002"]["share"]
