"""`lineage graph` through the real CLI: human output, JSON, the cached re-run, errors."""

from __future__ import annotations

import json
import os
import shutil

import pytest


def test_human_output_on_the_corpus(run_cli, corpus_paths, db_path):
    r = run_cli("graph", *corpus_paths.values(), "--db", db_path)
    assert r.exit_code == 0, r.stderr
    out = r.stdout
    assert out.startswith("reuse edges, strongest first (3; 2 of uncertain direction: the two documents share text")
    first = out.split("\n\n")[1]
    # the strongest edge: 002 -> 004, with its evidence and passages
    assert first.startswith("[1] 中国制造2025绍兴实施方案") and "-> 004_6f0a94d0c08b789a.txt" in first
    assert "+ date: 中国制造2025绍兴实施方案 (published 2016-06-17) is earlier than" in first
    assert "direction: established" in first and "烟气脱硫脱硝除尘" in first
    assert "reused: 1.2% of the target, 0.5% of the source" in first
    # 002 and the 2020 plan: the two dates say which is earlier, the level is overruled, the adoption story told;
    # nothing says the province took the city's text, so no arrow and no "reused"
    second = out.split("\n\n")[2]
    assert "  <-> 制造强省建设行动计划" in second and "direction: uncertain, confidence 0.4" in second
    assert "· adoption: the later 制造强省建设行动计划 (province) may have adopted" in second
    # 004 <-> 2020 plan: no direction, so no arrow, no "reused", no source or target
    (unc,) = [b for b in out.split("\n\n") if "direction: uncertain" in b and "004_" in b.split("\n")[0]]
    assert "  <-> 制造强省建设行动计划" in unc and "shares text: 0.7% of 制造强省建设行动计划, 0.7% of 004_" in unc
    for block in (second, unc):
        for word in (" -> ", "reused", "source:", "target:", "of the target", "of the source", "+ date", "- level"):
            assert word not in block, word
    assert "= both draw on 中国制造2025" in out
    assert "? both may draw on 浙江省培育发展战略性新兴产业行动计划(2017—2020年)" in out
    assert "citation edges (7):" in out and "cites 浙政办发〔2017〕100号" in out
    assert "nodes (11):" in out and "(2 copies: 000_aca499adb39197ba.txt, 003_cba8423d898ca683.txt)" in out
    assert "先进制造业强省行动计划" in out.split("nodes (")[1]  # Shandong is a node, with no edge
    assert "4 versions of 5 documents" in r.stderr


def test_json_and_cached_rerun(run_cli, corpus_paths, db_path):
    r = run_cli("graph", *corpus_paths.values(), "--db", db_path, "--json", "--quiet")
    assert r.exit_code == 0 and r.stderr == ""
    g = json.loads(r.stdout)
    assert set(g) == {"nodes", "edges", "indirect", "skipped", "stats"} and g["skipped"] == []
    assert {e["kind"] for e in g["edges"]} == {"reuse", "citation"}
    again = run_cli("graph", "--db", db_path, "--json")  # no PATH: the whole database, from the cache
    g2 = json.loads(again.stdout)
    assert g2["edges"] == g["edges"] and g2["nodes"] == g["nodes"] and g2["skipped"] == []
    assert g2["stats"]["cached"] is True
    note = run_cli("graph", "--db", db_path)
    assert "(cached graph)" in note.stderr
    rebuilt = json.loads(run_cli("graph", "--db", db_path, "--json", "--rebuild").stdout)
    assert rebuilt["stats"]["cached"] is False and rebuilt["edges"] == g["edges"]


def test_thresholds(run_cli, corpus_paths, db_path):
    def reuse(*args):
        g = json.loads(run_cli("graph", *corpus_paths.values(), "--db", db_path, "--json", "-q", *args).stdout)
        return [e for e in g["edges"] if e["kind"] == "reuse"]

    default, everything, strict = reuse(), reuse("--min-share", "0"), reuse("--min-share", "0.01")
    assert len(strict) < len(default) <= len(everything)
    assert all(e["strength"] >= 0.01 for e in strict)
    assert len(reuse("--min-share", "1")) == 0


def test_empty_database_needs_paths(run_cli, db_path):
    from lineage.store import Store

    Store(db_path).close()  # a database with no documents
    r = run_cli("graph", "--db", db_path)
    assert r.exit_code != 0 and "no documents" in r.stderr


def test_unreadable_input_is_reported_and_skipped(run_cli, corpus_paths, db_path, tmp_path):
    bad = tmp_path / "scan.pdf"
    bad.write_bytes(b"%PDF-1.4\x00\x01binary")
    r = run_cli("graph", corpus_paths["002"], corpus_paths["004"], str(bad), "--db", db_path, "--json", "-q")
    assert r.exit_code == 0
    assert "scan.pdf" in r.stderr
    g = json.loads(r.stdout)
    assert len([n for n in g["nodes"] if not n["external"]]) == 2
    only_bad = run_cli("graph", str(bad), "--db", str(tmp_path / "other.db"), "-q")
    assert only_bad.exit_code == 1


def test_json_lists_the_inputs_it_skipped_as_ingest_does(run_cli, corpus_paths, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for k in ("002", "004"):
        shutil.copy(corpus_paths[k], folder)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "scan.txt").write_bytes(b"%PDF-1.4\x00\x01binary")
    # more bad bytes than a scraper's few mangled characters
    (folder / "mangled.txt").write_bytes(
        "为贯彻落实".encode() * 20 + b"\x80\xff\x81" * 40 + "特制定本行动计划。".encode() * 10
    )
    r = run_cli("graph", str(folder), "--db", str(tmp_path / "db"), "--json", "-q")
    assert r.exit_code == 0
    skipped = [
        {"path": str(folder / "empty.txt"), "reason": "empty file"},
        {
            "path": str(folder / "mangled.txt"),
            "reason": "undecodable: not UTF-8 (bad byte at 300), GB18030 (bad byte at 300) nor Big5",
        },
        {"path": str(folder / "scan.txt"), "reason": "binary: a PDF file"},
    ]
    assert json.loads(r.stdout)["skipped"] == skipped
    assert r.stderr.splitlines() == [f"lineage: skipped {s['path']}: {s['reason']}" for s in skipped]
    ingested = run_cli("ingest", str(folder), "--db", str(tmp_path / "db2"), "--json", "-q")
    assert json.loads(ingested.stdout)["skipped"] == skipped
    # the graph is cached, the skipped inputs are this run's
    again = run_cli("graph", "--db", str(tmp_path / "db"), "--json", "-q")
    assert json.loads(again.stdout)["skipped"] == [] and again.stderr == ""


def test_dask_engine_from_the_command_line(run_cli, corpus_paths, db_path, tmp_path):
    pytest.importorskip("dask.distributed")
    local = run_cli("graph", *corpus_paths.values(), "--db", str(tmp_path / "l.db"), "--json", "-q")
    dask = run_cli("graph", *corpus_paths.values(), "--db", db_path, "--json", "-q", "--engine", "dask", "-j", "2")
    assert local.exit_code == dask.exit_code == 0
    a, b = json.loads(local.stdout), json.loads(dask.stdout)
    assert a["edges"] == b["edges"] and len([e for e in b["edges"] if e["kind"] == "reuse"]) == 3
    bad = run_cli("graph", *corpus_paths.values(), "--db", db_path, "--scheduler", "tcp://127.0.0.1:1")
    assert bad.exit_code == 2 and "--scheduler needs --engine dask" in bad.output


def test_external_nodes_carry_labels_like_versions(run_cli, corpus_paths, db_path):
    """Every node of graph --json has a label and a short label, cited documents outside the corpus too."""
    r = run_cli("graph", *corpus_paths.values(), "--db", db_path, "--json")
    assert r.exit_code == 0, r.stderr
    externals = [n for n in json.loads(r.stdout)["nodes"] if n.get("external")]
    assert len(externals) >= 5
    for n in externals:
        assert n["label"] == (n["title"] or n["doc_number"] or n["id"])
        assert n["short_label"] and len(n["short_label"]) <= len(n["label"]) + 1


def test_graph_of_a_database_that_does_not_exist_makes_none(tmp_path, run_cli):
    """`graph --db X` without PATHS created an empty X (and its -wal, -shm) before saying it held nothing."""
    db = tmp_path / "missing.db"
    r = run_cli("graph", "--db", str(db))
    assert r.exit_code == 1 and f"{db}: no database here" in r.stderr
    assert os.listdir(tmp_path) == []
