"""A document sharing only formulaic text with another is no source of it, on every output.

On ``corpus/``, 浙江's 制造强省建设行动计划 (000, signed 2020-03-13) shares with 山东's
先进制造业强省行动计划(2022—2025年) (001, estimated 2022-10-16..2023-12-31) only formulaic text: a date line
and set phrases (33 characters, nothing counted).  The graph shows no edge for the pair.  Before, the
trace's ``direction`` for it was weighed all the same -- "says": "source", "status": "established" (0.65,
by the dates alone) -- and the provenance page called it "reused from", ``align`` printed "source ... 0.0% of
the target" with "direction: this is the source (0.65)" and its pair page "By the evidence, 制造强省建设行动计划
is the source of 先进制造业强省行动计划(2022—2025年)".
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def corpus_db(corpus_paths, tmp_path_factory, run_cli) -> str:
    db = str(tmp_path_factory.mktemp("formulaic-only") / "db")
    r = run_cli("ingest", *corpus_paths.values(), "--db", db, "--quiet")
    assert r.exit_code == 0, r.stderr
    return db


def _text(html: str) -> str:
    html = re.sub(r"<script.*?</script>|<style.*?</style>", "", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _no_direction(d: dict) -> None:
    assert d["says"] == "shares text" and d["source"] is None and d["status"] == "uncertain"
    assert d["formulaic_only"] is True and d["evidence"] == [] and not d["too_little"]


def test_trace_does_not_call_a_formulaic_only_document_a_source(
    corpus_db, corpus_graph_db, corpus_paths, run_cli, tmp_path
):
    # as the graph: it shows no edge for the pair
    g = json.loads(run_cli("graph", "--db", corpus_graph_db, "--json", "--quiet").stdout)
    names = {n["id"]: {Path(p).name[:3] for p in n.get("paths") or ()} for n in g["nodes"]}
    assert not any(
        {"000", "001"} <= names[e["source"]] | names[e["target"]] for e in g["edges"] if e["kind"] == "reuse"
    )
    r = run_cli("trace", corpus_paths["001"], "--db", corpus_db, "--json", "--quiet")
    assert r.exit_code == 0, r.stderr
    d = json.loads(r.stdout)
    (s,) = d["sources"]
    assert Path(s["path"]).name.startswith("000_") and s["formulaic_only"] is True
    assert d["summary"]["by_source"][s["path"]]["chars"] == 0 and d["summary"]["formulaic_chars"] > 0
    _no_direction(s["direction"])
    # the other way round (000 traced, 001 listed last): the same; the sources sharing text of their own are
    # weighed as before
    r = run_cli("trace", corpus_paths["000"], "--db", corpus_db, "--json", "--quiet")
    d = json.loads(r.stdout)
    for s in d["sources"]:
        assert s["direction"]["formulaic_only"] is s["formulaic_only"]
        assert s["formulaic_only"] is (d["summary"]["by_source"][s["path"]]["chars"] == 0)
        if s["formulaic_only"]:
            _no_direction(s["direction"])
        else:
            assert s["direction"]["evidence"]
    assert sorted(Path(s["path"]).name[:3] for s in d["sources"] if s["formulaic_only"]) == ["001"]
    r = run_cli("trace", corpus_paths["001"], "--db", corpus_db, "--quiet")
    assert re.search(r"^formulaic only  \S*000_aca499adb39197ba\.txt", r.stdout, re.M)
    assert not re.search(r"^source  ", r.stdout, re.M) and "is the source" not in r.stdout
    page = tmp_path / "p001.html"
    r = run_cli("trace", corpus_paths["001"], "--db", corpus_db, "--quiet", "--html", str(page))
    assert r.exit_code == 0, r.stderr
    html = page.read_text(encoding="utf-8")
    text = _text(html)
    assert "reused from" not in text and "direction uncertain" not in text
    assert re.sub(r"<[^>]+>", "", re.search(r"<h1>.*?</h1>", html, re.S)[0]).startswith("shared text")
    assert "formulaic text only (a date line, set phrases): none of this text's own" in text
    assert "shares text with" in text


def test_align_does_not_call_a_formulaic_only_document_a_source(corpus_db, corpus_paths, run_cli, tmp_path):
    pair = (corpus_paths["000"], corpus_paths["001"])
    r = run_cli("align", *pair, "--db", corpus_db, "--json", "--quiet")
    assert r.exit_code == 0, r.stderr
    (s,) = json.loads(r.stdout)["sources"]
    assert s["formulaic_only"] is True
    _no_direction(s["direction"])
    r = run_cli("align", *pair, "--db", corpus_db, "--quiet")
    assert re.search(r"^formulaic only  \S*000_aca499adb39197ba\.txt  .*33 formulaic characters$", r.stdout, re.M)
    assert not re.search(r"^source  ", r.stdout, re.M) and "is the source" not in r.stdout
    page = tmp_path / "a001.html"
    r = run_cli("align", *pair, "--db", corpus_db, "--quiet", "--html", str(page))
    assert r.exit_code == 0, r.stderr
    text = _text(page.read_text(encoding="utf-8"))
    assert "is the source of" not in text and "reused" not in text
    assert (
        "制造强省建设行动计划 and 先进制造业强省行动计划(2022—2025年) share only formulaic text (set phrases, a "
        "date line), none of the target's own: neither is shown as the source of the other." in text
    )
    # an alignment sharing text of its own is weighed as before (002 before 004: the same city, dated earlier)
    r = run_cli("align", corpus_paths["002"], corpus_paths["004"], "--db", corpus_db, "--json", "--quiet")
    (s,) = json.loads(r.stdout)["sources"]
    assert s["formulaic_only"] is False and s["direction"]["says"] == "source"
