"""A trace calls a document a *source* only where the evidence shows it (lineage.graph.traced).

Before, every document a trace listed was a "source" (the CLI's line, the standalone provenance page's
heading and title), whatever its date and level: 绍兴's 2018 plan (estimated 2017-10-18..2019-12-31, a
city) was a "source" of 浙江's 2020 plan (signed 2020-03-13, the province), where the graph calls the pair's
direction uncertain (the date points one way, the level the other).  Now each listed document carries the
graph's verdict for the pair, and is "shares text" unless the evidence points to it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.trace_fixtures import OTHER_SENTENCES, PASSAGE_SENTENCES


def _trace(run_cli, target: str, db: str, *extra: str):
    r = run_cli("trace", target, "--db", db, "--quiet", *extra)
    assert r.exit_code == 0, r.stderr
    return r.stdout


def _by_name(d: dict) -> dict[str, dict]:
    return {Path(s["path"]).name[:3]: s["direction"] for s in d["sources"]}


def test_corpus_sources_worded_by_the_evidence(db_path, run_cli, corpus_paths):
    r = run_cli("ingest", *corpus_paths.values(), "--db", db_path, "--quiet")
    assert r.exit_code == 0, r.stderr
    d = _by_name(json.loads(_trace(run_cli, corpus_paths["000"], db_path, "--json")))
    # 绍兴 2016 (published 2016-06-17) before 浙江 2020 (signed): the dates decide, the level is overruled
    assert d["002"]["says"] == "source" and d["002"]["source"] == "this" and d["002"]["status"] == "established"
    assert [e["kind"] for e in d["002"]["evidence"] if e["favours"] == "this"] == ["date"]
    assert [e.get("overruled_by") for e in d["002"]["evidence"] if e["kind"] == "level"] == ["date"]
    # 绍兴 2018 (an estimate before 2020) is a city of 浙江: the date points to it, the level to the target
    assert d["004"]["says"] == "shares text" and d["004"]["status"] == "uncertain" and d["004"]["conflict"]
    assert d["004"]["source"] is None
    assert {e["kind"]: e["favours"] for e in d["004"]["evidence"] if e["favours"]} == {
        "date": "this",
        "level": "target",
    }
    human = _trace(run_cli, corpus_paths["000"], db_path, "--top", "0")
    assert re.search(r"^source  \S*002_db784dc9ab403615\.txt", human, re.M)
    assert re.search(r"^shares text  \S*004_6f0a94d0c08b789a\.txt", human, re.M)
    assert not re.search(r"^source  \S*004_", human, re.M)
    assert "direction uncertain" in human and "+ date: 004_" in human and "- level: higher level:" in human
    # the other way round: 浙江 2020 is dated after 绍兴 2016, so the target is the likelier source
    d = _by_name(json.loads(_trace(run_cli, corpus_paths["002"], db_path, "--json")))
    assert d["000"]["says"] == "shares text" and d["000"]["source"] == "target"


def test_trace_and_graph_say_the_same_of_a_pair(corpus_graph_db, run_cli, corpus_paths):
    """The same rule in the trace and the graph: where the graph has an edge for a pair the trace lists,
    the two agree on whether its direction is established, and which way."""
    r = run_cli("graph", "--db", corpus_graph_db, "--json", "--quiet")
    assert r.exit_code == 0, r.stderr
    g = json.loads(r.stdout)
    node_paths = {n["id"]: {Path(p).name for p in n.get("paths") or ()} for n in g["nodes"]}
    edges = {}
    for e in g["edges"]:
        if e["kind"] == "reuse":
            for a in node_paths[e["source"]]:
                for b in node_paths[e["target"]]:
                    edges[(a, b)] = edges[(b, a)] = (e["direction"], a)
    compared = 0
    for key in ("000", "002", "004"):
        d = json.loads(_trace(run_cli, corpus_paths[key], corpus_graph_db, "--json"))
        tname = Path(d["target"]["path"]).name
        for s in d["sources"]:
            name = Path(s["path"]).name
            if (name, tname) not in edges or s.get("formulaic_only"):
                continue
            status, source = edges[(name, tname)]
            compared += 1
            assert s["direction"]["status"] == status, (tname, name)
            if status == "established":
                assert s["direction"]["source"] == ("this" if source == name else "target"), (tname, name)
    assert compared >= 2


def _plan(path: Path, issuer: str, body: list[str]) -> str:
    """An undated plan issued by ``issuer`` (no date line, no year in its text: nothing to estimate from)."""
    title = issuer.replace("人民政府", "") + "经济社会发展行动计划"
    path.write_text("\n".join([title, issuer, *body]) + "\n", encoding="utf-8")
    return str(path)


def test_undated_city_copy_of_its_province_is_not_the_provinces_source(tmp_path, db_path, run_cli):
    """No dates: the level decides, as in the graph.  A city plan inside the province that holds the
    province plan's text is listed under the province's trace, but as sharing text (the target is the
    likelier source), never as its source; traced the other way, the province is the city's source."""
    prov = _plan(tmp_path / "zj.txt", "浙江省人民政府", PASSAGE_SENTENCES)
    city = _plan(tmp_path / "sx.txt", "绍兴市人民政府", PASSAGE_SENTENCES[:8] + OTHER_SENTENCES[:6])
    r = run_cli("ingest", prov, city, "--db", db_path, "--quiet")
    assert r.exit_code == 0, r.stderr
    d = json.loads(_trace(run_cli, prov, db_path, "--json"))
    assert d["target"]["date"] is None and d["target"]["jurisdiction"]["name"] == "浙江省"
    (s,) = d["sources"]
    assert Path(s["path"]).name == "sx.txt" and s["direction"]["says"] == "shares text"
    assert s["direction"]["source"] == "target" and s["direction"]["status"] == "established"
    favours = {e["kind"]: e["favours"] for e in s["direction"]["evidence"] if e["favours"]}
    # the level, and the title line each names its own place in (浙江省 -> 绍兴市: a localization)
    assert favours == {"level": "target", "localization": "target"}
    human = _trace(run_cli, prov, db_path, "--top", "0")
    assert re.search(r"^shares text  \S*sx\.txt", human, re.M) and not re.search(r"^source  ", human, re.M)
    assert "direction: the target is the likelier source" in human
    # the standalone provenance page: no "provenance" of the province, no "reused from"
    page = tmp_path / "zj.html"
    _trace(run_cli, prov, db_path, "--html", str(page))
    html = page.read_text(encoding="utf-8")
    h1 = re.sub(r"<[^>]+>", "", re.search(r"<h1>.*?</h1>", html, re.S)[0])
    assert h1.startswith("shared text") and "Documents it shares text with" in html
    assert "shares text with" in html and "reused from" not in html
    assert 'class="dim why"' in html and "higher level: 浙江省经济社会发展行动计划 is province" in html

    d = json.loads(_trace(run_cli, city, db_path, "--json"))
    (s,) = d["sources"]
    assert Path(s["path"]).name == "zj.txt" and s["direction"]["says"] == "source"
    human = _trace(run_cli, city, db_path, "--top", "0")
    assert re.search(r"^source  \S*zj\.txt", human, re.M) and "direction: this is the source (" in human
    assert "+ level: higher level: 浙江省经济社会发展行动计划 is province" in human
    page = tmp_path / "sx.html"
    _trace(run_cli, city, db_path, "--html", str(page))
    html = page.read_text(encoding="utf-8")
    assert re.sub(r"<[^>]+>", "", re.search(r"<h1>.*?</h1>", html, re.S)[0]).startswith("provenance")
    assert "reused from" in html and "shares text with" not in html


def test_zh_words(tmp_path, db_path, run_cli, monkeypatch):
    monkeypatch.setenv("LINEAGE_LANG", "zh")
    prov = _plan(tmp_path / "zj.txt", "浙江省人民政府", PASSAGE_SENTENCES)
    city = _plan(tmp_path / "sx.txt", "绍兴市人民政府", PASSAGE_SENTENCES[:8] + OTHER_SENTENCES[:6])
    assert run_cli("ingest", prov, city, "--db", db_path, "--quiet").exit_code == 0
    human = _trace(run_cli, prov, db_path, "--top", "0")
    assert re.search(r"^共有文本  \S*sx\.txt", human, re.M) and "方向：目标文件更可能是来源" in human
    assert "行政层级：层级较高" in human


def test_align_keeps_the_users_roles_and_says_what_the_evidence_shows(db_path, run_cli, corpus_paths):
    """`lineage align SOURCE TARGET`: SOURCE is the user's word, kept; the evidence's direction is given
    under it (浙江 2020, named as the source of 绍兴 2016, is dated after it)."""
    r = run_cli("align", corpus_paths["000"], corpus_paths["002"], "--db", db_path, "--json", "--quiet")
    assert r.exit_code == 0, r.stderr
    (s,) = json.loads(r.stdout)["sources"]
    assert s["direction"]["source"] == "target" and s["direction"]["says"] == "shares text"
    assert [e["kind"] for e in s["direction"]["evidence"] if e["favours"] == "target"] == ["date"]
    r = run_cli("align", corpus_paths["000"], corpus_paths["002"], "--db", db_path, "--top", "0", "--quiet")
    assert re.search(r"^source  \S*000_aca499adb39197ba\.txt", r.stdout, re.M)
    assert "    direction: the target is the likelier source (0.8)" in r.stdout
    r = run_cli("align", corpus_paths["002"], corpus_paths["000"], "--db", db_path, "--json", "--quiet")
    (s,) = json.loads(r.stdout)["sources"]
    assert s["direction"]["says"] == "source" and s["direction"]["source"] == "this"
