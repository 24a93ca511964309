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
    # 绍兴 2016 (published 2016-06-17) before 浙江 2020 (signed): the dates say which is earlier, the level is
    # overruled; that the province took the city's text rather than both drawing on a common source is not shown
    assert d["002"]["says"] == "shares text" and d["002"]["source"] is None and d["002"]["status"] == "uncertain"
    assert not d["002"]["conflict"] and d["002"]["confidence"] == 0.4
    assert [e["kind"] for e in d["002"]["evidence"] if e["favours"] == "this"] == ["date"]
    assert [e.get("overruled_by") for e in d["002"]["evidence"] if e["kind"] == "level"] == ["date"]
    (told,) = [e["detail"] for e in d["002"]["evidence"] if e["kind"] == "adoption"]
    assert told.startswith("the later 制造强省建设行动计划 (province) may have adopted the text of the earlier")
    assert "中国制造2025浙江行动纲要" in told  # a document 002 cites, older than both: a candidate common source
    # 绍兴 2018 (an estimate before 2020) is a city of 浙江: the date points to it, the level to the target
    assert d["004"]["says"] == "shares text" and d["004"]["status"] == "uncertain" and d["004"]["conflict"]
    assert d["004"]["source"] is None
    assert {e["kind"]: e["favours"] for e in d["004"]["evidence"] if e["favours"]} == {
        "date": "this",
        "level": "target",
    }
    human = _trace(run_cli, corpus_paths["000"], db_path, "--top", "0")
    assert re.search(r"^shares text  \S*002_db784dc9ab403615\.txt", human, re.M)
    assert re.search(r"^shares text  \S*004_6f0a94d0c08b789a\.txt", human, re.M)
    assert not re.search(r"^source  ", human, re.M)
    assert "direction uncertain" in human and "+ date: 004_" in human and "- level: higher level:" in human
    assert "· adoption: the later 制造强省建设行动计划 (province) may have adopted" in human
    # a trace has no one source whose units the target deleted: only the target's own text is counted
    assert "deleted:" not in human and re.search(r"^the target's own text \(no source holds it\): \d", human, re.M)
    # the other way round: 浙江 2020 is dated after 绍兴 2016 and the higher level: no direction either
    d = _by_name(json.loads(_trace(run_cli, corpus_paths["002"], db_path, "--json")))
    assert d["000"]["says"] == "shares text" and d["000"]["source"] is None
    # 绍兴 2018 (an estimate, 2017-10-18..2019-12-31) after 绍兴 2016, the same level: the target is the source
    d = _by_name(json.loads(_trace(run_cli, corpus_paths["004"], db_path, "--json")))
    assert d["002"]["says"] == "source" and d["002"]["source"] == "this" and d["002"]["status"] == "established"


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
    assert re.search(r"^共享文本  \S*sx\.txt", human, re.M) and "方向：目标文件更可能是来源" in human
    assert "行政层级：层级较高" in human


def test_align_keeps_the_users_roles_and_says_what_the_evidence_shows(db_path, run_cli, corpus_paths):
    """`lineage align SOURCE TARGET`: SOURCE is the user's word, kept; the evidence's direction is given
    under it (绍兴 2018, named as the source of 绍兴 2016, is dated after it)."""
    r = run_cli("align", corpus_paths["004"], corpus_paths["002"], "--db", db_path, "--json", "--quiet")
    assert r.exit_code == 0, r.stderr
    (s,) = json.loads(r.stdout)["sources"]
    assert s["direction"]["source"] == "target" and s["direction"]["says"] == "shares text"
    assert [e["kind"] for e in s["direction"]["evidence"] if e["favours"] == "target"] == ["date"]
    r = run_cli("align", corpus_paths["004"], corpus_paths["002"], "--db", db_path, "--top", "0", "--quiet")
    assert re.search(r"^source  \S*004_6f0a94d0c08b789a\.txt", r.stdout, re.M)
    assert "    direction: the target is the likelier source (0.65)" in r.stdout
    r = run_cli("align", corpus_paths["002"], corpus_paths["004"], "--db", db_path, "--json", "--quiet")
    (s,) = json.loads(r.stdout)["sources"]
    assert s["direction"]["says"] == "source" and s["direction"]["source"] == "this"
    # 浙江 2020 named as the source of 绍兴 2016: dated after it, but the higher level: uncertain, the user's
    # roles kept
    r = run_cli("align", corpus_paths["000"], corpus_paths["002"], "--db", db_path, "--top", "0", "--quiet")
    assert re.search(r"^source  \S*000_aca499adb39197ba\.txt", r.stdout, re.M)
    assert "    direction uncertain" in r.stdout and "· adoption: the later 制造强省建设行动计划" in r.stdout


def _filler(i: int) -> list[str]:
    """Fourteen sentences of a plan of its own (numbered: no other plan holds them)."""
    topics = ["产业园区", "重点项目", "科技企业", "人才队伍", "营商环境", "数字车间", "质量品牌"]
    return [
        f"推进第{i}批{topics[k % 7]}建设工程第{k + 1}项任务，完善配套政策体系，确保年度目标如期完成。"
        for k in range(14)
    ]


def test_a_stock_sentence_or_two_is_no_source_in_a_corpus_with_a_background(tmp_path, db_path, run_cli):
    """In a corpus large enough to have a background (more candidates than the graph's BACKGROUND_RANK), a
    document is a source only if it holds 10% of either side sentence for sentence, as the graph shows an
    edge: the province plan the city follows paragraph after paragraph is its source; an earlier plan
    that shares one sentence with it, dated before it too, only shares text."""
    from tests.trace_fixtures import notice

    docs = tmp_path / "docs"
    docs.mkdir()
    notice(docs / "prov.txt", "浙江省人民政府", "2019年3月1日", PASSAGE_SENTENCES)
    lent = OTHER_SENTENCES[0]
    notice(docs / "lender.txt", "宁波市人民政府", "2018年5月6日", [*_filler(0)[:7], lent, *_filler(0)[7:]])
    for i in range(1, 36):  # plans of the same kind, each sharing the stock phrasing with the target
        notice(docs / f"f{i:02d}.txt", f"第{i}县人民政府", "2018年1月2日", _filler(i))
    city = notice(
        tmp_path / "city.txt",
        "绍兴市人民政府",
        "2020年6月1日",
        # its own text: sentences no plan holds, one with the others' stock phrasing in it
        [
            *PASSAGE_SENTENCES[:8],
            lent,
            *OTHER_SENTENCES[1:5],
            "围绕年度目标完善配套政策体系，加快县域经济转型升级步伐。",
        ],
    )
    r = run_cli("ingest", str(docs), "--db", db_path, "--quiet")
    assert r.exit_code == 0, r.stderr
    d = json.loads(_trace(run_cli, city, db_path, "--json"))
    assert d["summary"]["retrieval"]["candidates"] > 30
    got = {Path(s["path"]).name: s["direction"] for s in d["sources"] if not s.get("formulaic_only")}
    assert got["prov.txt"]["says"] == "source" and not got["prov.txt"]["too_little"]
    assert got["prov.txt"]["sequential_share"][0] > 0.5
    lender = got["lender.txt"]
    assert lender["source"] == "this" and lender["status"] == "established"  # dated before the city plan
    assert lender["too_little"] and lender["says"] == "shares text" and max(lender["sequential_share"]) < 0.1, (
        lender["sequential_share"],
        lender["too_little"],
        d["summary"]["retrieval"],
    )
    human = _trace(run_cli, city, db_path, "--top", "0")
    assert re.search(r"^source  \S*prov\.txt", human, re.M) and re.search(r"^shares text  \S*lender\.txt", human, re.M)
    assert "direction: the source by the evidence below, but too little of it is in order" in human
    page = tmp_path / "city.html"
    _trace(run_cli, city, db_path, "--html", str(page))
    table = re.search(r'<table class="sources">.*?</table>', page.read_text(encoding="utf-8"), re.S)[0]
    rows = re.findall(r"<tr.*?</tr>", table, re.S)
    (lender_row,) = [r for r in rows if "宁波市经济社会发展行动计划" in r]
    (prov_row,) = [r for r in rows if "浙江省经济社会发展行动计划" in r]
    assert "shares text with" in lender_row and "too little of it is in order" in lender_row
    assert "reused from" in prov_row and "too little" not in prov_row


def test_the_pair_page_says_which_way_the_evidence_points(tmp_path, db_path, run_cli, corpus_paths):
    """`lineage align SOURCE TARGET --html`: the arrow is the user's; a line under it says what the evidence
    shows (the other way, for 绍兴 2018 named as the source of 绍兴 2016; uncertain for 浙江 2020 and 绍兴 2016, and
    for 绍兴 2018 and 浙江 2020)."""

    def said(source: str, target: str) -> str:
        page = tmp_path / f"{source}-{target}.html"
        r = run_cli("align", corpus_paths[source], corpus_paths[target], "--db", db_path, "--html", str(page), "-q")
        assert r.exit_code == 0, r.stderr
        m = re.search(r'<p class="direction">(.*?)</p>', page.read_text(encoding="utf-8"), re.S)
        return " ".join(re.sub(r"<[^>]+>", " ", m[1]).split()) if m else ""

    assert said("004", "002").startswith("By the evidence, the text went the other way: 中国制造2025绍兴实施方案")
    assert said("000", "002").startswith("Which way the text went between them is uncertain:")
    assert said("002", "004").startswith("By the evidence, 中国制造2025绍兴实施方案 is the source of")
    assert said("004", "000").startswith("Which way the text went between them is uncertain:")
    assert "level to 制造强省建设行动计划: direction uncertain" in said("004", "000")
