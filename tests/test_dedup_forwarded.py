"""The same text issued by two governments is two documents: a city's notice forwarding (转发) its province's
plan, the plan whole as its body, against the province's own copies.

Before, dedup put the city's notice into the province plan's version (a lede and a notice before a common body
are a reprint's wrapper), and `lineage trace` of the city's notice left the province's plan out as "a copy of
the target": 2.1% reuse, from other documents, for a notice whose body is 96% the province's plan word for word.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

CITY_NOTICE = [
    "绍兴市人民政府办公室关于转发《制造强省建设行动计划》的通知",
    "绍政办发〔2020〕12号",
    "各区、县（市）人民政府，市政府各部门、各直属单位：",
    "现将《中共浙江省委办公厅 浙江省人民政府办公厅关于印发〈制造强省建设行动计划〉的通知》转发给你们，请结合实际，"
    "认真贯彻落实。各区、县（市）要建立健全工作推进机制，明确责任分工，细化工作举措，确保各项目标任务落到实处。",
    "绍兴市人民政府办公室",
    "2020年4月20日",
]


@pytest.fixture()
def corpus(tmp_path: Path, corpus_paths: dict[str, str]) -> Path:
    """The province's plan twice (000: a news copy with its issuing notice; 003: the bare text) and the city's
    notice forwarding it, whose body is 003's text."""
    folder = tmp_path / "in"
    folder.mkdir()
    for key in ("000", "003"):
        shutil.copy(corpus_paths[key], folder)
    plan = Path(corpus_paths["003"]).read_text(encoding="utf-8")
    (folder / "shaoxing.txt").write_text("\n".join(CITY_NOTICE) + "\n" + plan, encoding="utf-8")
    return folder


def _versions(d: dict) -> list[list[str]]:
    return sorted(sorted(os.path.basename(m) for m in c["members"]) for c in d["clusters"])


def test_a_city_notice_forwarding_its_provinces_plan_is_its_own_version(tmp_path, run_cli, corpus):
    r = run_cli("dedup", str(corpus), "--db", str(tmp_path / "d.db"), "--json", "--quiet")
    assert r.exit_code == 0, r.stderr
    d = json.loads(r.stdout)
    # the bare copy, which says nowhere who issued it, goes with the plan issued first, the province's
    assert _versions(d) == [["000_aca499adb39197ba.txt", "003_cba8423d898ca683.txt"], ["shaoxing.txt"]]
    # and the two are no revisions of one document either: the same text, issued in two places
    assert d["related"] == []
    assert len({c["family"] for c in d["clusters"]}) == 2
    ids = {os.path.basename(c["canonical"]): c["id"] for c in d["clusters"]}
    assert d["same_text"] == [
        {"a": ids["000_aca499adb39197ba.txt"], "b": ids["shaoxing.txt"], "issued_in": ["浙江省", "绍兴市"]}
    ]
    r = run_cli("dedup", str(corpus), "--db", str(tmp_path / "d.db"), "--quiet")
    assert f"{ids['000_aca499adb39197ba.txt']} (浙江省) -> {ids['shaoxing.txt']} (绍兴市)" in r.stdout


def test_copies_of_the_citys_notice_are_one_version_with_it(tmp_path, run_cli, corpus):
    text = (corpus / "shaoxing.txt").read_text(encoding="utf-8")
    # a reprint of the city's notice: the same notice and body, full-width commas made half-width, a site footer
    (corpus / "shaoxing_reprint.txt").write_text(
        text.replace("，", ",") + "\n（来源：绍兴市经济和信息化局）\n", encoding="utf-8"
    )
    r = run_cli("dedup", str(corpus), "--db", str(tmp_path / "d.db"), "--json", "--quiet")
    assert r.exit_code == 0, r.stderr
    assert _versions(json.loads(r.stdout)) == [
        ["000_aca499adb39197ba.txt", "003_cba8423d898ca683.txt"],
        ["shaoxing.txt", "shaoxing_reprint.txt"],
    ]


@pytest.mark.parametrize("clustered", [False, True])
def test_trace_of_the_forwarding_notice_finds_the_provinces_plan(tmp_path, run_cli, corpus, clustered):
    """With or without a stored clustering: the province's plan is the notice's source, not a copy left out."""
    db = str(tmp_path / "d.db")
    r = run_cli("ingest", str(corpus), "--db", db, "--quiet")
    assert r.exit_code == 0, r.stderr
    if clustered:
        r = run_cli("dedup", str(corpus), "--db", db, "--quiet")
        assert r.exit_code == 0, r.stderr
    r = run_cli("trace", str(corpus / "shaoxing.txt"), "--db", db, "--json", "--quiet")
    assert r.exit_code == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["summary"]["retrieval"]["copies"] == []
    path, top = max(d["summary"]["by_source"].items(), key=lambda kv: kv[1]["share"])
    assert os.path.basename(path).startswith(("000_", "003_")), path
    assert top["share"] > 0.9, top


def test_the_graph_shows_the_forwarding_as_reuse_with_its_citation(tmp_path, run_cli, corpus):
    """The notice cites the province's notice issuing the plan (关于印发〈制造强省建设行动计划〉的通知), whose
    title is the notice's own: no longer taken for a citation of itself, as it names another issuer."""
    db = str(tmp_path / "d.db")
    assert run_cli("dedup", str(corpus), "--db", db, "--quiet").exit_code == 0
    r = run_cli("graph", "--db", db, "--json", "--quiet")
    assert r.exit_code == 0, r.stderr
    g = json.loads(r.stdout)
    nodes = {n["id"]: n for n in g["nodes"]}
    (notice,) = [n for n in g["nodes"] if n.get("doc_number") == "绍政办发〔2020〕12号"]
    (edge,) = [e for e in g["edges"] if e["kind"] == "reuse" and notice["id"] in (e["source"], e["target"])]
    assert edge["target"] == notice["id"]
    assert nodes[edge["source"]]["jurisdiction"]["name"] == "浙江省"
    assert edge["direction"] == "established" and edge["cited"] is True
    assert edge["share_of_target"] > 0.9


def test_a_bare_copy_titled_for_the_province_is_no_copy_of_the_citys_notice(tmp_path, run_cli, corpus):
    """Without the province's own notice in the folder: a copy of the plan that names no issuer, whose title
    names 浙江省, stays apart from the 绍兴 notice forwarding it (it would join the only group it is the same
    text as), and so does the bare copy with no title, the same text as it."""
    (corpus / "000_aca499adb39197ba.txt").unlink()
    plan = (corpus / "003_cba8423d898ca683.txt").read_text(encoding="utf-8")
    (corpus / "titled.txt").write_text("浙江省制造强省建设行动计划\n" + plan, encoding="utf-8")
    r = run_cli("dedup", str(corpus), "--db", str(tmp_path / "d.db"), "--json", "--quiet")
    assert r.exit_code == 0, r.stderr
    assert _versions(json.loads(r.stdout)) == [["003_cba8423d898ca683.txt", "titled.txt"], ["shaoxing.txt"]]


def _traced_beside_a_titled_copy(tmp_path: Path, run_cli, corpus: Path, target: str, keep_bare: bool) -> dict:
    """No stored clustering, no copy of the plan naming its issuers, a bare copy titled 浙江省… (and the untitled
    bare copy if ``keep_bare``): ``trace`` of TARGET's JSON."""
    plan = (corpus / "003_cba8423d898ca683.txt").read_text(encoding="utf-8")
    (corpus / "000_aca499adb39197ba.txt").unlink()
    if not keep_bare:
        (corpus / "003_cba8423d898ca683.txt").unlink()
    (corpus / "titled.txt").write_text("浙江省制造强省建设行动计划\n" + plan, encoding="utf-8")
    db = str(tmp_path / "d.db")
    assert run_cli("ingest", str(corpus), "--db", db, "--quiet").exit_code == 0
    r = run_cli("trace", str(corpus / target), "--db", db, "--json", "--quiet")
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


def test_trace_of_the_notice_takes_a_bare_copy_titled_for_the_province_as_its_source(tmp_path, run_cli, corpus):
    """The copy titled 浙江省… is the plan's, not a copy of the 绍兴 notice, and neither is the untitled bare
    copy of the same text."""
    d = _traced_beside_a_titled_copy(tmp_path, run_cli, corpus, "shaoxing.txt", keep_bare=True)
    assert d["summary"]["retrieval"]["copies"] == []
    assert max(s["share"] for s in d["summary"]["by_source"].values()) > 0.9


@pytest.fixture()
def bare(tmp_path: Path, corpus_paths: dict[str, str]) -> Path:
    """The province's plan with no copy naming its issuers: the bare text (003) and a news page publishing it on
    2020-04-03, both placed only by a guess from the body; and the city's notice forwarding it, signed 2020-04-20."""
    folder = tmp_path / "bare"
    folder.mkdir()
    shutil.copy(corpus_paths["003"], folder)
    plan = Path(corpus_paths["003"]).read_text(encoding="utf-8")
    (folder / "news.txt").write_text(
        "首页 > 政策文件\n发布时间：2020-04-03 10:21  来源：浙江在线\n" + plan, encoding="utf-8"
    )
    (folder / "shaoxing.txt").write_text("\n".join(CITY_NOTICE) + "\n" + plan, encoding="utf-8")
    return folder


def test_the_plans_bare_copies_published_before_the_city_signed_its_notice_are_not_the_notices(tmp_path, run_cli, bare):
    """Held-out dedup seed 74: every copy of an original said nowhere who issued it, so the component held one
    place of issue (the forwarding city's) and the original's copies joined the notice's version."""
    r = run_cli("dedup", str(bare), "--db", str(tmp_path / "d.db"), "--json", "--quiet")
    assert r.exit_code == 0, r.stderr
    d = json.loads(r.stdout)
    assert _versions(d) == [["003_cba8423d898ca683.txt", "news.txt"], ["shaoxing.txt"]]
    assert d["related"] == []
    # listed as the same text kept as two documents, the plan (naming no issuer) first
    ids = {os.path.basename(p): c["id"] for c in d["clusters"] for p in c["members"]}
    assert d["same_text"] == [{"a": ids["news.txt"], "b": ids["shaoxing.txt"], "issued_in": ["", "绍兴市"]}]
    # a copy of the notice published after it was signed is still the notice's
    text = (bare / "shaoxing.txt").read_text(encoding="utf-8")
    (bare / "reprint.txt").write_text("发布时间：2020-04-22 09:00\n" + text, encoding="utf-8")
    r = run_cli("dedup", str(bare), "--db", str(tmp_path / "d.db"), "--json", "--quiet")
    assert _versions(json.loads(r.stdout)) == [
        ["003_cba8423d898ca683.txt", "news.txt"],
        ["reprint.txt", "shaoxing.txt"],
    ]


def test_trace_of_the_notice_keeps_the_plans_earlier_bare_copy_as_its_source(tmp_path, run_cli, bare):
    """Without a stored clustering, trace's own copy check says the same: the news page, out before the notice
    was signed, is the plan's text, the notice's source, not a copy of the notice left out."""
    (bare / "003_cba8423d898ca683.txt").unlink()
    db = str(tmp_path / "t.db")
    r = run_cli("ingest", str(bare), "--db", db, "--quiet")
    assert r.exit_code == 0, r.stderr
    r = run_cli("trace", str(bare / "shaoxing.txt"), "--db", db, "--json", "--quiet")
    assert r.exit_code == 0, r.stderr
    d = json.loads(r.stdout)
    shares = {Path(s["path"]).name: v["share"] for s in d["sources"] if (v := d["summary"]["by_source"][s["path"]])}
    assert shares.get("news.txt", 0) > 0.9
    # and tracing the news page, the notice made after it is no copy of it either: the text is the page's own,
    # which the notice holds (a later document: flagged, never hidden)
    r = run_cli("trace", str(bare / "news.txt"), "--db", db, "--json", "--quiet")
    d = json.loads(r.stdout)
    later = {Path(s["path"]).name: s.get("later_than_target") for s in d["sources"]}
    assert later.get("shaoxing.txt") is True


def test_trace_of_the_bare_copy_titled_for_the_province_keeps_the_citys_notice_as_a_source(tmp_path, run_cli, corpus):
    """The other way round: tracing the bare copy titled 浙江省…, the 绍兴 notice holding its text is no copy
    of it (issued in another place than the title names), as dedup says; before, trace left it out as one."""
    d = _traced_beside_a_titled_copy(tmp_path, run_cli, corpus, "titled.txt", keep_bare=False)
    assert d["summary"]["retrieval"]["copies"] == []
    assert [Path(p).name for p in d["summary"]["by_source"]] == ["shaoxing.txt"]


def test_the_report_dedup_page_says_what_dedup_says(tmp_path, run_cli, corpus):
    """The pair `lineage dedup` lists as the same text issued by two governments is on the report's dedup
    page too, under both versions, with where each was issued (one figure, shown the same everywhere)."""
    out = tmp_path / "report"
    r = run_cli("report", str(corpus), "--out", str(out), "--db", str(tmp_path / "r.db"), "--quiet")
    assert r.exit_code == 0, r.stderr
    page = (out / "dedup.html").read_text(encoding="utf-8")
    blocks = page.split('<div class="same-text">')[1:]
    assert len(blocks) == 2
    assert "绍兴市; this one: 浙江省" in blocks[0] + blocks[1]
    assert "浙江省; this one: 绍兴市" in blocks[0] + blocks[1]


def test_a_forwarding_notice_is_read_as_a_notice_with_its_signed_date(tmp_path, corpus_paths):
    """ "现将《…》转发给你们，请结合实际，认真贯彻落实。" is a notice's line: before, only 印发 was read so, the notice
    ended at its addressee, and the page's 2023-06-13 (published) stood for the notice signed on 2023-06-09
    (held-out dedup seed 75: the date rule above then had no signed date to weigh)."""
    from lineage.ingest.pipeline import load_file

    plan = Path(corpus_paths["003"]).read_text(encoding="utf-8")
    page = [
        "当前位置：首页>>信息公开>>政策法规",
        "长沙市人民政府关于转发《制造强省建设行动计划》的通知",
        "点击：7812时间：2023-06-13 00:00:00 来源： 本网",
        "长沙市人民政府",
        "关于转发《制造强省建设行动计划》的通知",
        "长政发〔2023〕137号",
        "各区、县（市）人民政府，市政府各部门、各直属单位：",
        "现将《制造强省建设行动计划》转发给你们，请结合实际，认真贯彻落实。",
        "长沙市人民政府",
        "2023年6月9日",
    ]
    f = tmp_path / "cs.txt"
    f.write_text("\n".join(page) + "\n" + plan, encoding="utf-8")
    d = load_file(str(f))
    assert (d.date, d.date_kind) == ("2023-06-09", "signed")
    assert d.issuers == ["长沙市人民政府"] and d.doc_number == "长政发〔2023〕137号"
    (notice,) = [p["span"] for p in d.parts if p["part"] == "notice"]
    assert "转发给你们" in d.text[notice[0] : notice[1]]
    # the plan's own text is the body, the notice's lines not in it
    (body,) = [p["span"] for p in d.parts if p["part"] == "body"]
    assert "转发给你们" not in d.text[body[0] : body[1]] and d.text[body[0] : body[1]].lstrip().startswith("为认真贯彻")


def test_the_same_text_under_two_of_one_governments_文号_is_two_documents(tmp_path, run_cli, corpus):
    """Held-out dedup seed 75: a district forwarding a plan, then its office forwarding it again (another 文号,
    another date, the same body), was one version: the notice before a common body is a reprint's wrapper.
    A 文号 names one document: two are two documents, the same text issued twice, each with its copies."""
    text = (corpus / "shaoxing.txt").read_text(encoding="utf-8")
    again = text.replace("绍兴市人民政府办公室", "绍兴市人民政府").replace("绍政办发〔2020〕12号", "绍政发〔2020〕30号")
    (corpus / "again.txt").write_text(again.replace("2020年4月20日", "2020年5月11日"), encoding="utf-8")
    (corpus / "again_reprint.txt").write_text(
        "发布时间：2020-05-13 09:00\n" + again.replace("2020年4月20日", "2020年5月11日"), encoding="utf-8"
    )
    r = run_cli("dedup", str(corpus), "--db", str(tmp_path / "d.db"), "--json", "--quiet")
    assert r.exit_code == 0, r.stderr
    d = json.loads(r.stdout)
    assert _versions(d) == [
        ["000_aca499adb39197ba.txt", "003_cba8423d898ca683.txt"],
        ["again.txt", "again_reprint.txt"],
        ["shaoxing.txt"],
    ]
    ids = {os.path.basename(c["canonical"]): c["id"] for c in d["clusters"]}
    pair = {"a": ids["shaoxing.txt"], "b": ids["again.txt"], "issued_in": ["绍兴市", "绍兴市"]}
    assert pair in d["same_text"] and d["related"] == []
