"""search and diffusion after more documents were ingested: the cached graph and dedup result are out of
date, not absent -- they are still used, and a note says how many documents they cover."""

from __future__ import annotations

import json

QUERY = "“产学研用金、才政介美云”十联动"


def test_a_graph_cached_before_one_more_document_is_used_and_said_stale(tmp_path, db_path, run_cli, corpus_paths):
    """A reviewer ingested one document after `lineage graph`: diffusion then said "the lineage graph is not
    built", and search listed 000 and 003 -- two copies of one plan -- as separate hits."""
    r = run_cli("graph", *corpus_paths.values(), "--db", db_path, "--quiet")
    assert r.exit_code == 0, r.stderr
    new = tmp_path / "new.txt"
    new.write_text(
        "某某市人民政府办公室关于做好春季安全生产工作的通知\n各区县人民政府：\n请认真做好春季安全生产工作。\n", "utf-8"
    )
    assert run_cli("ingest", str(new), "--db", db_path, "--quiet").exit_code == 0

    r = run_cli("diffusion", QUERY, "--db", db_path, "--json")
    assert r.exit_code == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["graph"] == "stale"
    assert any("out of date" in n and "5 of the 6 documents" in n for n in d["notes"]), d["notes"]
    assert not any("not built" in n for n in d["notes"])
    assert d["grouped"] and d["versions"] < d["documents"]  # the copies are one version still

    r = run_cli("search", QUERY, "--db", db_path, "--json")
    assert r.exit_code == 0, r.stderr
    s = json.loads(r.stdout)
    assert s["grouped"]
    assert any(len(h["copies"]) == 2 for h in s["hits"])  # 000 and 003, one version
    assert any("dedup's result is out of date" in n for n in s["notes"]), s["notes"]

    r = run_cli("diffusion", QUERY, "--db", db_path)
    assert "out of date" in r.stdout + r.stderr
