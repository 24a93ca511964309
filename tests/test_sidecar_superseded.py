"""A sidecar value that contradicts what the document's own text says: used, but the text's value is kept and shown.

The pair is hand-made: two notices with their 文号, issuer and signed date, one (金华) whose sidecar row
gives another date than the one it is signed on, one (嘉兴) whose row agrees with its text.
"""

from __future__ import annotations

import glob
import json
import os
import sqlite3

import pytest

from lineage.ingest.sidecar import display, superseded
from lineage.serve import create_app
from lineage.store import Store

NOTICE = """{city}市人民政府办公室关于印发{city}市智能制造行动计划的通知
{abbr}政办发〔2020〕{no}号
各县（市、区）人民政府，市政府各部门：
《{city}市智能制造行动计划》已经市政府同意，现印发给你们，请认真贯彻执行。
{city}市人民政府办公室
{signed}
{city}市智能制造行动计划
为加快发展智能制造，推动制造业数字化转型，制定本计划。
一、总体要求
到2025年，全市制造业数字化转型取得明显成效，智能工厂数量显著增加。
二、主要任务
全市加快推进企业上云，培育一批工业互联网平台，建设一批数字化车间。
"""
JINHUA = NOTICE.format(city="金华", abbr="金", no=33, signed="2020年5月8日")
JIAXING = NOTICE.format(city="嘉兴", abbr="嘉", no=9, signed="2020年6月15日")


def notices(folder, jinhua: str, jiaxing: str):
    """folder/docs holding the two notices under the names given."""
    docs = folder / "docs"
    docs.mkdir()
    for name, text in ((jinhua, JINHUA), (jiaxing, JIAXING)):
        (docs / name).write_text(text, encoding="utf-8")
    return docs


@pytest.fixture()
def pair(tmp_path):
    """docs/ with the two notices and meta.csv: 金华's row contradicts its signed date, 嘉兴's agrees."""
    docs = notices(tmp_path, "jinhua.txt", "jiaxing.txt")
    meta = tmp_path / "meta.csv"
    meta.write_text("path,date\njinhua.txt,2020-07-10\njiaxing.txt,2020-06-15\n", encoding="utf-8")
    return docs, str(meta)


def contradiction_lines(stderr: str) -> list[str]:
    return [ln for ln in stderr.splitlines() if "text says" in ln]


# -- what counts as a contradiction -------------------------------------------------------------


def test_dates_contradict_only_where_their_days_cannot_overlap():
    signed = {"date": "2020-05-08", "date_kind": "signed", "date_range": None}
    assert superseded(signed, {"date": "2020-07-10"}) == {"date": {"text": "2020-05-08", "kind": "signed"}}
    assert superseded(signed, {"date": "2020-04"}) == {"date": {"text": "2020-05-08", "kind": "signed"}}
    for same in ("2020-05-08", "2020-05", "2020"):  # the day, or a month or year holding it
        assert superseded(signed, {"date": same}) == {}
    # an estimate is its year or its bounds: a given day inside either is no contradiction
    est = {"date": "2018", "date_kind": "estimated", "date_range": ["2017-10-18", "2024-12-31"]}
    assert superseded(est, {"date": "2020-09-25"}) == {}
    assert superseded({**est, "date_range": ["2018-03-01", "2018-12-31"]}, {"date": "2018-01-15"}) == {}
    assert superseded({**est, "date_range": None}, {"date": "2018-11-30"}) == {}
    assert superseded(est, {"date": "2016-05-01"}) == {
        "date": {"text": "2018", "kind": "estimated", "range": ["2017-10-18", "2024-12-31"]}
    }
    assert superseded({"date": None}, {"date": "2016-05-01"}) == {}  # the text gives no date


def test_titles_issuers_and_doc_numbers_contradict_only_when_they_differ_in_substance():
    text = {
        "title": "金华市智能制造行动计划",
        "title_source": "title line",
        "issuers": ["金华市人民政府办公室", "金华市经济和信息化局"],
        "issuers_source": "notice",
        "doc_number": "金政办发〔2020〕33号",
    }
    agree = {
        "title": "金华市人民政府办公室关于印发《金华市智能制造行动计划》的通知",
        "issuers": ["金华市经济和信息化局", "金华市人民政府办公室"],
        "doc_number": "金政办发[2020]33号",
    }
    assert superseded(text, agree) == {}
    differ = {
        "title": "台州市智能制造行动计划",
        "issuers": ["金华市人民政府办公室"],
        "doc_number": "金政办发〔2020〕34号",
    }
    assert superseded(text, differ) == {
        "title": {"text": "金华市智能制造行动计划", "source": "title line"},
        "issuers": {"text": ["金华市人民政府办公室", "金华市经济和信息化局"], "source": "notice"},
        "doc_number": {"text": "金政办发〔2020〕33号"},
    }


# -- ingest and show -------------------------------------------------------------------------------


def test_ingest_warns_of_the_contradicted_date_and_lists_it_in_its_json(run_cli, pair, db_path):
    docs, meta = pair
    r = run_cli("ingest", str(docs), "--db", db_path, "--meta", meta, "--json", "--quiet")
    assert r.exit_code == 0, r.output
    (line,) = contradiction_lines(r.stderr)  # 嘉兴's row agrees with its text: no line
    assert line.startswith("lineage: ") and "jinhua.txt: date: text says 2020-05-08 (signed); " in line
    assert line.endswith("meta.csv:2 gives 2020-07-10")
    out = json.loads(r.stdout)
    assert out["warnings"] == [line.removeprefix("lineage: ")]
    by_name = {os.path.basename(d["path"]): d for d in out["documents"]}
    jinhua, jiaxing = by_name["jinhua.txt"], by_name["jiaxing.txt"]
    assert (jinhua["date"], jinhua["date_kind"]) == ("2020-07-10", "given")  # the sidecar wins
    assert jinhua["superseded"] == {"date": {"text": "2020-05-08", "kind": "signed"}}
    assert (jiaxing["date"], jiaxing["superseded"]) == ("2020-06-15", {})
    # an agreeing row stores what it stored before this existed (no change, so no cache is dropped)
    with Store(db_path) as s:
        assert "superseded" not in s.given_of(jiaxing["sha256"])
    # later ingests, without the sidecar, say it again (the stored row still applies); the summary shows it
    r = run_cli("ingest", str(docs), "--db", db_path)
    assert r.exit_code == 0 and contradiction_lines(r.stderr) == [line]
    assert "    date: text says 2020-05-08 (signed); " in r.stdout


def test_a_corrected_row_takes_the_contradiction_away(run_cli, pair, tmp_path, db_path):
    docs, meta = pair
    assert len(contradiction_lines(run_cli("ingest", str(docs), "--db", db_path, "--meta", meta, "-q").stderr)) == 1
    (tmp_path / "meta.csv").write_text("path,date\njinhua.txt,2020-05\njiaxing.txt,2020-06-15\n", encoding="utf-8")
    r = run_cli("ingest", str(docs), "--db", db_path, "--meta", meta, "--json", "-q")
    assert contradiction_lines(r.stderr) == [] and json.loads(r.stdout)["warnings"] == []
    r = run_cli("show", str(docs / "jinhua.txt"), "--db", db_path, "--units", "none", "--json")
    d = json.loads(r.stdout)
    assert (d["date"], d["date_kind"], d["superseded"]) == ("2020-05", "given", {})


def test_show_prints_what_the_text_says_beside_the_given_date(run_cli, pair, db_path):
    docs, meta = pair
    assert run_cli("ingest", str(docs), "--db", db_path, "--meta", meta, "-q").exit_code == 0
    r = run_cli("show", str(docs / "jinhua.txt"), "--db", db_path, "--units", "none")
    lines = r.stdout.splitlines()
    assert lines[1].startswith("    2020-07-10 (given) · 金华市")
    assert lines[2].startswith("    date: text says 2020-05-08 (signed); ") and lines[2].endswith(
        "meta.csv:2 gives 2020-07-10"
    )
    r = run_cli("show", str(docs / "jinhua.txt"), "--db", db_path, "--units", "none", "--lang", "zh")
    assert "日期：正文为 2020-05-08 (落款日期)；" in r.stdout and "meta.csv:2 给出 2020-07-10" in r.stdout
    r = run_cli("show", str(docs / "jinhua.txt"), "--db", db_path, "--units", "none", "--json")
    d = json.loads(r.stdout)
    assert (d["date"], d["superseded"]) == ("2020-07-10", {"date": {"text": "2020-05-08", "kind": "signed"}})
    assert d["given"]["date"].endswith("meta.csv:2")
    r = run_cli("show", str(docs / "jiaxing.txt"), "--db", db_path, "--units", "none")
    assert "2020-06-15 (given)" in r.stdout and "text says" not in r.stdout


def test_a_given_title_issuer_and_doc_number_against_the_text_are_each_one_line(run_cli, pair, tmp_path, db_path):
    docs, _ = pair
    meta = tmp_path / "fields.csv"
    meta.write_text(
        "文件名,标题,发文机关,文号\n"
        "jinhua.txt,台州市智能制造行动计划,台州市人民政府办公室,台政办发〔2020〕41号\n"
        "jiaxing.txt,嘉兴市人民政府办公室关于印发《嘉兴市智能制造行动计划》的通知,嘉兴市人民政府办公室,嘉政办发[2020]9号\n",
        encoding="utf-8",
    )
    r = run_cli("ingest", str(docs), "--db", db_path, "--meta", str(meta), "--json", "-q")
    assert r.exit_code == 0
    lines = [ln.split("jinhua.txt: ", 1)[1] for ln in contradiction_lines(r.stderr)]
    assert lines == [
        "title: text says 金华市智能制造行动计划; " + lines[0].split("; ")[1],
        "issuers: text says 金华市人民政府办公室; " + lines[1].split("; ")[1],
        "文号: text says 金政办发〔2020〕33号; " + lines[2].split("; ")[1],
    ]
    assert [ln.split(" gives ")[1] for ln in lines] == [
        "台州市智能制造行动计划",
        "台州市人民政府办公室",
        "台政办发〔2020〕41号",
    ]
    assert len(json.loads(r.stdout)["warnings"]) == 3


def test_a_date_from_a_file_name_against_the_text_is_said_too(run_cli, tmp_path, db_path):
    docs = notices(tmp_path, "20200710_jinhua.txt", "20200615_jiaxing.txt")
    r = run_cli("ingest", str(docs), "--db", db_path, "--date-from-name", r"^(\d{4})(\d{2})(\d{2})_", "-q")
    assert r.exit_code == 0
    assert contradiction_lines(r.stderr) == [
        "lineage: "
        + display(str(docs / "20200710_jinhua.txt"))
        + ": date: text says 2020-05-08 (signed); file name gives 2020-07-10"
    ]


def test_a_database_whose_given_rows_predate_this_shows_them_after_its_next_ingest(run_cli, pair, db_path):
    docs, meta = pair
    assert run_cli("ingest", str(docs), "--db", db_path, "--meta", meta, "-q").exit_code == 0
    con = sqlite3.connect(db_path)  # the given rows as an earlier lineage stored them
    with con:
        con.execute("UPDATE doc_given SET fields = json_remove(fields, '$.superseded')")
    con.close()
    with Store(db_path) as s:
        assert all(s.load(sha, units=False).superseded == {} for sha in s.shas())
    r = run_cli("ingest", str(docs), "--db", db_path, "-q")
    assert len(contradiction_lines(r.stderr)) == 1
    r = run_cli("show", str(docs / "jinhua.txt"), "--db", db_path, "--units", "none", "--json")
    assert json.loads(r.stdout)["superseded"] == {"date": {"text": "2020-05-08", "kind": "signed"}}


# -- every command given --meta; the pages -----------------------------------------------------------------


def test_graph_with_a_sidecar_says_it_once(run_cli, pair, db_path, tmp_path):
    docs, meta = pair
    r = run_cli("graph", str(docs), "--db", db_path, "--meta", meta, "-q", "-j", "1")
    assert r.exit_code == 0, r.output
    (line,) = contradiction_lines(r.stderr)
    assert "jinhua.txt: date: text says 2020-05-08 (signed); " in line and line.endswith("gives 2020-07-10")

    # the graph's node says it where it takes the given date of the copy whose text says otherwise
    meta = tmp_path / "only.csv"
    meta.write_text("path,date\njinhua.txt,2020-07-10\n", encoding="utf-8")
    db2 = str(tmp_path / "only.db")
    assert run_cli("graph", str(docs / "jinhua.txt"), "--db", db2, "--meta", str(meta), "-q", "-j", "1").exit_code == 0
    r = run_cli("graph", "--db", db2, "--json", "-q", "-j", "1")
    (node,) = [n for n in json.loads(r.stdout)["nodes"] if not n.get("external")]
    assert node["date"] == "2020-07-10" and node["superseded"] == {"date": {"text": "2020-05-08", "kind": "signed"}}


@pytest.mark.parametrize(
    "lang, row",
    [
        ("en", "<dt>text differs</dt><dd lang=\"zh\">date: text says 2020-05-08 (signed); "),
        ("zh", "<dt>与正文不符</dt><dd lang=\"zh\">日期：正文为 2020-05-08 (落款日期)；"),
    ],
)
def test_the_report_document_page_shows_both_dates(run_cli, pair, tmp_path, db_path, lang, row):
    docs, meta = pair
    out = tmp_path / "site"
    r = run_cli("report", str(docs), "--db", db_path, "--meta", meta, "-o", str(out), "-q", "-j", "1", "--lang", lang)
    assert r.exit_code == 0, r.output
    assert len(contradiction_lines(r.stderr)) == 1
    (jinhua,) = glob.glob(str(out / "documents" / "jinhua-*.html"))
    (jiaxing,) = glob.glob(str(out / "documents" / "jiaxing-*.html"))
    html = open(jinhua, encoding="utf-8").read()
    i = html.index(row)
    assert "2020-07-10</dd>" in html[i : i + 200]  # the row ends with what the sidecar gives
    assert row.split("<dd")[0] not in open(jiaxing, encoding="utf-8").read()  # its row agrees: no such row


def test_the_served_document_page_shows_both_dates(run_cli, pair, db_path):
    docs, meta = pair
    assert run_cli("ingest", str(docs), "--db", db_path, "--meta", meta, "-q").exit_code == 0
    with Store(db_path) as s:
        jinhua, jiaxing = s.resolve(str(docs / "jinhua.txt")), s.resolve(str(docs / "jiaxing.txt"))
    app = create_app(db_path)
    try:
        c = app.test_client()
        html = c.get(f"/doc/{jinhua}?lang=en").get_data(as_text=True)
        assert '<dt>text differs</dt><dd lang="zh">date: text says 2020-05-08 (signed); ' in html
        j = c.get(f"/api/doc/{jinhua}").get_json()
        assert j["superseded"] == {"date": {"text": "2020-05-08", "kind": "signed"}}
        assert [v for k, v in j["meta"] if k == "text differs"] == [
            next(ln for ln in html.split("<dd lang=\"zh\">") if ln.startswith("date: text says")).split("</dd>")[0]
        ]
        assert "text says" not in c.get(f"/doc/{jiaxing}?lang=en").get_data(as_text=True)
        assert c.get(f"/api/doc/{jiaxing}").get_json()["superseded"] == {}
    finally:
        app.config["lineage.state"].store.close()
