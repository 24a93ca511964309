"""Metadata sidecars: reading CSV / JSON Lines / .xlsx, checking rows, storing and applying given values."""

from __future__ import annotations

import json
import os
import re
import sqlite3

import pytest

from lineage.ingest.pipeline import ingest_paths
from lineage.ingest.sidecar import (
    SidecarError,
    date_from_name,
    parse_columns,
    parse_given_date,
    read_sidecar,
    register,
    sync,
)
from lineage.store import SCHEMA_VERSION, Store

BODY_A = "为加快发展智能制造，制定本方案。\n一、总体要求\n到2025年，全省制造业数字化转型取得明显成效，智能工厂数量显著增加。\n"
BODY_B = "为推进工业互联网建设，制定本计划。\n一、主要任务\n全市加快推进企业上云，培育一批工业互联网平台。\n"


@pytest.fixture()
def bodies(tmp_path):
    d = tmp_path / "docs"
    d.mkdir()
    (d / "a.txt").write_text(BODY_A, encoding="utf-8")
    (d / "b.txt").write_text(BODY_B, encoding="utf-8")
    return d


def write(path, text, encoding="utf-8"):
    path.write_text(text, encoding=encoding)
    return str(path)


# -- values ---------------------------------------------------------------------------------


def test_given_dates_in_the_notations_spreadsheets_use():
    assert (
        parse_given_date("2018-05-02")
        == parse_given_date("2018/5/2")
        == parse_given_date("2018.5.2")
        == parse_given_date("20180502")
        == parse_given_date("2018年5月2日")
        == parse_given_date("二〇一八年五月二日")
        == parse_given_date("2018-05-02 00:00:00")
        == "2018-05-02"
    )
    assert parse_given_date("2018年5月") == parse_given_date("2018-05") == "2018-05"
    assert parse_given_date("2018") == parse_given_date("2018年") == parse_given_date(2018) == "2018"
    for bad in ("2018年13月1日", "20181345", "2018春", "明年", "05/02/2018", "2018-05-02以后"):
        assert parse_given_date(bad) is None, bad


def test_dates_from_file_names_by_named_or_positional_groups():
    named = re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})")
    assert date_from_name(named, "/x/规划_20180502_final.txt") == ("2018-05-02", None)
    assert date_from_name(re.compile(r"^(\d{4})-(\d{1,2})"), "/x/2019-7_计划.txt") == ("2019-07", None)
    assert date_from_name(re.compile(r"_(\d{4}\.\d{1,2}\.\d{1,2})_"), "/x/a_2020.3.1_b.txt") == ("2020-03-01", None)
    assert date_from_name(named, "/x/noday.txt") == (None, None)
    d, problem = date_from_name(named, "/x/plan_20181399.txt")
    assert d is None and problem == "plan_20181399.txt: '2018-13-99' (from --date-from-name) is not a date"


def test_column_mapping_option():
    assert parse_columns("date=发布日期,title=标题,issuer=发文机关,path=文件名") == {
        "date": "发布日期",
        "title": "标题",
        "issuers": "发文机关",
        "path": "文件名",
    }
    assert parse_columns("文号=发文字号") == {"doc_number": "发文字号"}
    for bad in ("date", "colour=颜色", "date="):
        with pytest.raises(ValueError):
            parse_columns(bad)


# -- reading ----------------------------------------------------------------------------------


def test_csv_with_chinese_headers_and_every_problem_named_by_its_line(tmp_path):
    path = write(
        tmp_path / "meta.csv",
        "文件名,标题,发文机关,成文日期,发布日期,地区,文号,链接,备注\n"
        "a.txt,《浙江省智能制造行动计划》,浙江省人民政府办公厅、浙江省经信厅,2018-05-02,2018-05-10,浙江省,"
        "浙政办发[2018]12号,http://x/a,ok\n"
        "b.txt,某计划,,2018年13月1日,,火星,,,\n"
        ",,,,,,,,\n"
        ",孤行,,,,,,,\n"
        "a.txt,浙江省智能制造行动计划,,2018-05-03,,,,,\n"
        "b.txt,某计划,,,,,,http://x/b,\n",
    )
    sc = read_sidecar(path)
    a, b = sc.rows
    assert (a.line, a.key, b.line, b.key) == (2, "a.txt", 3, "b.txt")
    assert a.fields == {
        "title": "浙江省智能制造行动计划",
        "issuers": ["浙江省人民政府办公厅", "浙江省经信厅"],
        "date": "2018-05-02",
        "jurisdiction": {
            "name": "浙江省",
            "level": "province",
            "province": "浙江",
            "code": "330000",
            "source": "given",
        },
        "doc_number": "浙政办发[2018]12号",
        "url": "http://x/a",
    }
    assert b.fields == {"title": "某计划", "url": "http://x/b"}  # line 7 adds what line 3 lacked
    name = os.path.relpath(path) if not os.path.relpath(path).startswith("..") else path
    assert sc.warnings == [
        f"{name}: columns not used: 发布日期, 备注",
        f"{name}:3: date '2018年13月1日' is not a date: not used",
        f"{name}:3: jurisdiction '火星' is not a place lineage knows: not used",
        f"{name}:5: names no file (empty 文件名): row not used",
        f"{name}:6: a.txt is also on line 2 with another date (2018-05-03 here, 2018-05-02 there): line 2 kept",
    ]


def test_gb18030_csv_semicolons_and_a_column_map(tmp_path):
    path = write(tmp_path / "meta.csv", "序号;文档;发布日期;名称\n1;a.txt;2019年3月1日;甲计划\n", encoding="gb18030")
    with pytest.raises(SidecarError, match="no column names the files"):
        read_sidecar(path)
    sc = read_sidecar(path, parse_columns("path=文档,title=名称"))
    assert [(r.key, r.fields) for r in sc.rows] == [("a.txt", {"date": "2019-03-01", "title": "甲计划"})]
    with pytest.raises(SidecarError, match="no column '标题'"):
        read_sidecar(path, parse_columns("path=文档,title=标题"))


def test_json_lines_with_lists_and_a_broken_line(tmp_path):
    path = write(
        tmp_path / "meta.jsonl",
        json.dumps(
            {"path": "a.txt", "issuers": ["中共浙江省委", "浙江省人民政府"], "date": "2020-03-13"}, ensure_ascii=False
        )
        + "\n\n{not json\n[1, 2]\n",
    )
    sc = read_sidecar(path)
    assert [(r.line, r.fields) for r in sc.rows] == [
        (1, {"issuers": ["中共浙江省委", "浙江省人民政府"], "date": "2020-03-13"})
    ]
    assert [w.split(": ", 1)[0].rsplit(":", 1)[1] for w in sc.warnings] == ["3", "4"]


def test_an_xlsx_sheet_with_date_cells(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    from datetime import datetime

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["文件名", "标题", "成文日期"])
    ws.append(["a.txt", "甲计划", datetime(2017, 8, 1)])
    ws.append(["b", "乙计划", "2017年9月"])
    wb.save(tmp_path / "meta.xlsx")
    sc = read_sidecar(str(tmp_path / "meta.xlsx"))
    assert [(r.line, r.key, r.fields) for r in sc.rows] == [
        (2, "a.txt", {"title": "甲计划", "date": "2017-08-01"}),
        (3, "b", {"title": "乙计划", "date": "2017-09"}),
    ]


def test_a_file_that_is_no_sheet_is_one_line(tmp_path):
    pytest.importorskip("openpyxl")
    path = write(tmp_path / "meta.xlsx", "not a zip")
    with pytest.raises(SidecarError) as e:
        read_sidecar(path)
    assert "meta.xlsx: not a readable .xlsx" in str(e.value) and "\n" not in str(e.value)
    with pytest.raises(SidecarError, match="cannot read"):
        read_sidecar(str(tmp_path / "missing.csv"))


# -- storing and applying ----------------------------------------------------------------------


def test_given_values_override_the_parse_and_are_marked(bodies, tmp_path):
    meta = write(
        tmp_path / "meta.csv",
        "path,title,issuer,date,文号\n"
        "docs/a.txt,浙江省智能制造行动计划,浙江省人民政府办公厅,2018-05-02,浙政办发〔2018〕12号\n"
        "b,绍兴市工业互联网计划,,2019,\n"
        "c.txt,无此文件,,,\n",
    )
    with Store(str(tmp_path / "db")) as s:
        ingest_paths([str(bodies)], s, jobs=1)
        parsed = s.load(s.resolve(str(bodies / "a.txt")), units=False)
        assert parsed.date_kind != "given" and parsed.given == {}
        rep = register(s, read_sidecar(meta))
        a = s.load(s.resolve(str(bodies / "a.txt")), units=False)
        b = s.load(s.resolve(str(bodies / "b.txt")), units=False)
    assert (a.title, a.title_source, a.date, a.date_kind, a.date_range) == (
        "浙江省智能制造行动计划",
        "given",
        "2018-05-02",
        "given",
        None,
    )
    assert (a.issuers, a.issuers_source, a.doc_number) == (["浙江省人民政府办公厅"], "given", "浙政办发〔2018〕12号")
    assert a.jurisdiction.name == "浙江省" and a.jurisdiction.source == "issuers"  # read from the given issuer
    origin = a.given["date"]
    assert origin.endswith("meta.csv:2") and set(a.given) == {"title", "issuers", "date", "doc_number"}
    assert (b.title, b.date, b.date_kind) == ("绍兴市工业互联网计划", "2019", "given")  # keyed by the name's stem
    assert (
        rep.documents == 2
        and len(rep.unmatched) == 1
        and rep.unmatched[0].endswith("meta.csv:4: names no ingested file (c.txt)")
    )
    # what show --json prints
    d = a.to_dict(units=False)
    assert d["date_kind"] == "given" and d["given"]["title"].endswith("meta.csv:2")


def test_stored_values_serve_later_commands_and_a_changed_sidecar_updates_them(bodies, tmp_path):
    db = str(tmp_path / "db")
    meta = tmp_path / "meta.csv"
    write(meta, "path,date\na.txt,2018-05-02\nb.txt,2019-01-01\n")
    with Store(db) as s:
        ingest_paths([str(bodies)], s, jobs=1)
        register(s, read_sidecar(str(meta)))
        stamp = s.last_parsed()
    with Store(db) as s:  # a later command, no sidecar given
        sha_a, sha_b = s.resolve(str(bodies / "a.txt")), s.resolve(str(bodies / "b.txt"))
        assert s.load(sha_a, units=False).date == "2018-05-02" and s.dates()[sha_a] == "2018-05-02"
        assert sync(s).changed == 0 and s.last_parsed() == stamp  # nothing changed: caches keep their key
    write(meta, "path,date\na.txt,2018-06-01\n")  # a changed date, b's row removed
    with Store(db) as s:
        rep = register(s, read_sidecar(str(meta)))
        assert rep.changed == 2 and s.last_parsed() > stamp
        assert s.load(sha_a, units=False).date == "2018-06-01"
        b = s.load(sha_b, units=False)
        assert b.date_kind != "given" and b.given == {}


def test_later_sidecar_wins_and_conflicts_are_named(bodies, tmp_path):
    first = write(tmp_path / "one.csv", "path,date\na.txt,2018-05-02\n")
    second = write(tmp_path / "two.csv", "path,date,title\ndocs/a.txt,2018-05-09,甲\n")
    with Store(str(tmp_path / "db")) as s:
        ingest_paths([str(bodies)], s, jobs=1)
        register(s, read_sidecar(first))
        rep = register(s, read_sidecar(second))
        a = s.load(s.resolve(str(bodies / "a.txt")), units=False)
    assert a.date == "2018-05-09" and a.given["date"].endswith("two.csv:2")
    (conflict,) = rep.conflicts
    assert conflict.endswith(
        "one.csv:2: a.txt: date 2018-05-02 conflicts with "
        + a.given["date"]
        + " (2018-05-09): "
        + a.given["date"]
        + " kept"
    )


def test_a_name_that_names_two_different_files_is_not_guessed(tmp_path):
    for sub, body in (("x", BODY_A), ("y", BODY_B)):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "plan.txt").write_text(body, encoding="utf-8")
    meta = write(tmp_path / "meta.csv", "path,date\nplan.txt,2018-05-02\ny/plan.txt,2019-05-02\n")
    with Store(str(tmp_path / "db")) as s:
        ingest_paths([str(tmp_path / "x"), str(tmp_path / "y")], s, jobs=1)
        rep = register(s, read_sidecar(meta))
        x = s.load(s.resolve(str(tmp_path / "x" / "plan.txt")), units=False)
        y = s.load(s.resolve(str(tmp_path / "y" / "plan.txt")), units=False)
    assert x.date_kind != "given" and y.date == "2019-05-02"
    (amb,) = rep.ambiguous
    assert "meta.csv:2: plan.txt names 2 different documents" in amb


def test_date_from_name_is_stored_and_a_sidecar_date_wins(tmp_path):
    d = tmp_path / "docs"
    d.mkdir()
    (d / "20170301_a.txt").write_text(BODY_A, encoding="utf-8")
    (d / "20181399_b.txt").write_text(BODY_B, encoding="utf-8")
    db = str(tmp_path / "db")
    with Store(db) as s:
        ingest_paths([str(d)], s, jobs=1)
        rep = register(s, None, r"^(\d{4})(\d{2})(\d{2})_")
        a = s.load(s.resolve(str(d / "20170301_a.txt")), units=False)
        assert (a.date, a.date_kind, a.given) == ("2017-03-01", "given", {"date": "file name"})
        assert rep.names == ["20181399_b.txt: '2018-13-99' (from --date-from-name) is not a date"]
        register(s, read_sidecar(write(tmp_path / "m.csv", "path,date\n20170301_a.txt,2017-02-20\n")))
        assert s.load(a.sha256, units=False).date == "2017-02-20"
    (d / "20200105_c.txt").write_text(BODY_A + "新增一段。\n", encoding="utf-8")
    with Store(db) as s:  # ingest later, no option: the stored pattern applies
        rep = ingest_paths([str(d)], s, jobs=1)
        c = s.load(s.resolve(str(d / "20200105_c.txt")), units=False)
        assert c.date == "2020-01-05" and c.date_kind == "given"
        register(s, None, "")  # removed
        assert s.load(c.sha256, units=False).date_kind != "given"


def test_a_version_2_database_is_upgraded_and_keeps_its_documents(tmp_path, bodies):
    db = str(tmp_path / "db")
    with Store(db) as s:
        ingest_paths([str(bodies)], s, jobs=1)
        n = s.count()
    con = sqlite3.connect(db)
    con.executescript("DROP TABLE sidecar_rows; DROP TABLE doc_given; PRAGMA user_version=2;")
    con.close()
    with Store(db) as s:
        assert s.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
        assert s.count() == n and s.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        register(s, read_sidecar(write(tmp_path / "m.csv", "path,date\na.txt,2018-05-02\n")))
        assert s.load(s.resolve(str(bodies / "a.txt")), units=False).date == "2018-05-02"


# -- the command line ------------------------------------------------------------------------------


def test_cli_ingest_with_a_sidecar_then_show_without_it(run_cli, bodies, tmp_path, db_path):
    meta = write(
        tmp_path / "meta.csv",
        "文件名,标题,成文日期\na.txt,甲计划,2018-05-02\nb.txt,乙计划,2018-02-30\nzz.txt,丙,2018-01-01\n",
    )
    r = run_cli("ingest", str(bodies), "--db", db_path, "--meta", meta, "--quiet")
    assert r.exit_code == 0
    lines = r.stderr.splitlines()
    assert any(
        ln.startswith("lineage: ") and ln.endswith("meta.csv:3: date '2018-02-30' is not a date: not used")
        for ln in lines
    )
    assert any(ln.endswith("meta.csv:4: names no ingested file (zz.txt)") for ln in lines)
    r = run_cli("show", str(bodies / "a.txt"), "--db", db_path, "--json", "--units", "none")
    d = json.loads(r.stdout)
    assert (d["title"], d["title_source"], d["date"], d["date_kind"]) == ("甲计划", "given", "2018-05-02", "given")
    r = run_cli("show", str(bodies / "a.txt"), "--db", db_path, "--units", "none")
    assert "2018-05-02 (given)" in r.stdout


def test_cli_refuses_an_unusable_sidecar_before_doing_anything(run_cli, bodies, tmp_path, db_path):
    r = run_cli("ingest", str(bodies), "--db", db_path, "--meta", write(tmp_path / "m.csv", "标题\n甲\n"))
    assert r.exit_code == 1 and "m.csv: no column names the files" in r.stderr and not os.path.exists(db_path)
    r = run_cli("ingest", str(bodies), "--db", db_path, "--date-from-name", "(")
    assert r.exit_code == 2 and "--date-from-name '('" in r.stderr
    r = run_cli("ingest", str(bodies), "--db", db_path, "--meta-columns", "date=日期")
    assert r.exit_code == 2 and "--meta-columns needs --meta" in r.stderr


def test_xlsx_without_openpyxl_is_one_line(run_cli, bodies, tmp_path, db_path, monkeypatch):
    import builtins

    real = builtins.__import__

    def no_openpyxl(name, *a, **kw):  # the extra not installed
        if name == "openpyxl":
            raise ImportError(name)
        return real(name, *a, **kw)

    monkeypatch.setattr(builtins, "__import__", no_openpyxl)
    r = run_cli("ingest", str(bodies), "--db", db_path, "--meta", write(tmp_path / "m.xlsx", "x"))
    assert r.exit_code == 1
    (line,) = r.stderr.strip().splitlines()
    assert "m.xlsx: reading .xlsx needs openpyxl: pip install 'lineage[xlsx]'" in line


def test_dedup_clusters_carry_given_dates_even_after_a_reparse(run_cli, bodies, tmp_path, db_path):
    from lineage.dedup.features import CACHE_KIND, derive
    from lineage.ingest.pipeline import parse_with_edges, serialize
    from lineage.ingest.read import RawFile

    meta = write(tmp_path / "meta.csv", "path,date,title\na.txt,2018-05-02,甲计划\n")
    r = run_cli("dedup", str(bodies), "--db", db_path, "--meta", meta, "--json", "--quiet")
    assert r.exit_code == 0, r.stderr
    (a,) = [c for c in json.loads(r.stdout)["clusters"] if c["canonical"].endswith("a.txt")]
    assert (a["date"], a["title"]) == ("2018-05-02", "甲计划")
    with Store(db_path) as s:  # a re-parse (as ingest does when it learns page furniture) caches bare features
        sha = s.resolve(str(bodies / "a.txt"))
        old = s.load(sha, units=False)
        parsed = parse_with_edges(RawFile(old.path, sha, old.size, old.encoding, old.format, old.text))
        with s.transaction():
            s.put_document(serialize(parsed.doc))
            for kind, value in derive(parsed).items():
                s.put_cache(kind, sha, value)
        assert sync(s).changed == 1 and s.get_cache(CACHE_KIND, sha) is None
    r = run_cli("dedup", str(bodies), "--db", db_path, "--json", "--quiet")
    (a,) = [c for c in json.loads(r.stdout)["clusters"] if c["canonical"].endswith("a.txt")]
    assert a["date"] == "2018-05-02"
