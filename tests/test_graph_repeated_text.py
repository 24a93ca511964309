"""A document repeating its own text many times: the graph's retrieval grows with its length, not its square.

A scraped page pasted hundreds of times into one line (a 20 MB file) looked each copy of every sentence
up in the index, where each finds all the copies: numpy was asked for 19 GB.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path


def _graph(run_cli, corpus_paths, tmp_path: Path, copies: int) -> dict:
    folder = tmp_path / f"x{copies}"
    folder.mkdir()
    shutil.copy(corpus_paths["004"], folder)
    text = Path(corpus_paths["002"]).read_text(encoding="utf-8").replace("\n", "")
    (folder / "pasted.txt").write_text(text * copies, encoding="utf-8")
    r = run_cli("graph", str(folder), "--db", str(tmp_path / f"x{copies}.db"), "--json", "-q", "-j", "1")
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def test_retrieval_of_a_text_pasted_many_times_grows_linearly(run_cli, corpus_paths, tmp_path):
    few, many = (_graph(run_cli, corpus_paths, tmp_path, n) for n in (10, 60))
    # 002's text (published 2016) still gives 004 its passages
    (edge,) = [e for e in few["edges"] if e["kind"] == "reuse"]
    assert edge["direction"] == "established" and edge["share_of_target"] > 0.01
    # six times the copies: six times the lookups, where each copy finding every copy made thirty-six
    growth = many["stats"]["seconds"]["retrieve_cpu"] / few["stats"]["seconds"]["retrieve_cpu"]
    assert growth < 15
