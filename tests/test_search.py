"""`lineage search` on the real corpus and on hand-made files: hits, copies, spans, scores, diffs, exit codes."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from lineage.ingest.normalize import fold

CLAUSE = "“产学研用金、才政介美云”十联动"
# a sentence of the 2020 Zhejiang plan (000 and 003), and two variants a city plan could hold
ORIGINAL = "开展对标达标提升活动，树立一批企业标准领跑者，支持组建一批产业技术标准创新联盟，加快关键核心技术标准研制，构建国内领先、国际先进的浙江制造标准体系。"
LOCALIZED = ORIGINAL.replace("浙江", "绍兴")
REWORDED = ORIGINAL.replace("支持组建", "鼓励组建").replace("加快关键", "加速关键")


def read(path: str) -> str:
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory, corpus_paths):
    """The corpus ingested, deduplicated and its graph cached (what `lineage graph corpus/` leaves)."""
    from click.testing import CliRunner

    from lineage.cli import cli

    db = str(tmp_path_factory.mktemp("search") / "corpus.db")
    r = CliRunner().invoke(cli, ["graph", *corpus_paths.values(), "--db", db, "--quiet", "--json"])
    assert r.exit_code == 0, r.output
    return db


def search_json(run_cli, db: str, *args: str) -> tuple[int, dict]:
    r = run_cli("search", *args, "--db", db, "--json", "--quiet")
    return r.exit_code, json.loads(r.stdout)


def by_name(hits: list[dict]) -> dict[str, dict]:
    """Hits by the corpus prefixes (000, 003...) of their copies' files."""
    out = {}
    for h in hits:
        for c in h["copies"]:
            for p in c["paths"]:
                out[os.path.basename(p)[:3]] = h
    return out


def test_clause_finds_000_003_004_with_dates_and_copies(run_cli, corpus_db, corpus_paths):
    code, res = search_json(run_cli, corpus_db, CLAUSE)
    assert code == 0 and res["grouped"] is True
    hits = by_name(res["hits"])
    assert set(hits) == {"000", "003", "004"}
    # 000 and 003 are copies of one version: one hit listing both, each with its own span
    assert hits["000"] is hits["003"] and len(res["hits"]) == res["total"] == 2
    plan = hits["000"]
    assert plan["date"] == "2020-03-13" and plan["date_kind"] == "signed"
    assert plan["jurisdiction"]["name"] == "浙江省" and plan["level"] == "province"
    assert hits["004"]["date"] == "2018" and hits["004"]["date_kind"] == "estimated"
    assert hits["004"]["date_range"] == ["2017-10-18", "2019-12-31"] and hits["004"]["level"] == "city"
    for h in res["hits"]:
        assert h["score"] == 100.0 and h["relation"] == "identical" and h["diff"] == []
        assert read(h["path"])[slice(*h["span"])] == CLAUSE
        for c in h["copies"]:
            for m in c["matches"]:
                assert read(c["paths"][0])[slice(*m["span"])] == CLAUSE
    spans = {os.path.basename(c["paths"][0])[:3]: c["matches"][0]["span"] for c in plan["copies"]}
    assert spans["000"] != spans["003"]  # different files, different offsets
    assert plan["path"] == plan["copies"][0]["paths"][0]  # the canonical copy is the one reported


def test_localized_variant_found_with_span_and_diff(run_cli, corpus_db):
    code, res = search_json(run_cli, corpus_db, LOCALIZED)
    assert code == 0
    hits = by_name(res["hits"])
    assert {"000", "003"} <= set(hits)
    h = hits["000"]
    assert h["relation"] == "localized" and 90 <= h["score"] < 100
    # the span covers exactly the sentence the document holds (浙江, not the query's 绍兴)
    assert fold(read(h["path"])[slice(*h["span"])]) == fold(ORIGINAL)
    changes = [op for op in h["diff"] if op[0] != "equal"]
    assert changes == [["replace", "绍兴", "浙江"]]


def test_reworded_variant_found_as_modified(run_cli, corpus_db):
    code, res = search_json(run_cli, corpus_db, REWORDED)
    h = by_name(res["hits"])["003"]
    assert h["relation"] == "modified" and h["score"] < 100
    assert fold(read(h["path"])[slice(*h["span"])]) == fold(ORIGINAL)
    assert [op for op in h["diff"] if op[0] != "equal"] == [["replace", "鼓励", "支持"], ["replace", "速", "快"]]
    # a stricter score leaves it out
    code, res = search_json(run_cli, corpus_db, REWORDED, "--min-score", "99")
    assert code == 1 and res["hits"] == [] and res["total"] == 0


def test_absent_text_exits_1_with_empty_list(run_cli, corpus_db):
    r = run_cli("search", "这句话不在任何一个文件里面出现过", "--db", corpus_db, "--json", "--quiet")
    assert r.exit_code == 1
    assert json.loads(r.stdout)["hits"] == []
    r = run_cli("search", "这句话不在任何一个文件里面出现过", "--db", corpus_db, "--quiet")
    assert r.exit_code == 1 and "no document holds" in r.stdout


def test_errors_exit_2(run_cli, tmp_path, corpus_db):
    r = run_cli("search", "加快", "--db", str(tmp_path / "missing.db"))
    assert r.exit_code == 2 and "no database" in r.stderr
    assert not (tmp_path / "missing.db").exists()  # a search never creates a database
    r = run_cli("search", "   ", "--db", corpus_db)
    assert r.exit_code == 2 and "empty" in r.stderr


def test_short_clause_found_in_every_document_holding_it(run_cli, corpus_db, corpus_paths):
    q = "产业创新服务综合体"  # 9 characters: under the 12 the index guarantees
    code, res = search_json(run_cli, corpus_db, q)
    assert code == 0 and res["stats"]["scanned"] is True
    expect = {k for k, p in corpus_paths.items() if q in fold(read(p))}
    assert expect and set(by_name(res["hits"])) == expect
    for h in res["hits"]:
        for c in h["copies"]:
            text = read(c["paths"][0])
            assert [text[s:e] for s, e in (m["span"] for m in c["matches"])] == [q] * text.count(q)


def test_paragraph_query(run_cli, corpus_db, corpus_paths):
    """A query longer than a sentence: a whole paragraph of the 2020 plan, with one place swapped."""
    text = read(corpus_paths["003"])
    para = next(ln.strip("\u3000") for ln in text.split("\n") if ln.strip("\u3000").startswith("完善制造业创新生态"))
    assert para.count("。") >= 3
    _code, res = search_json(run_cli, corpus_db, para.replace("国家科技成果", "全省科技成果"))
    h = by_name(res["hits"])["003"]
    assert h["relation"] == "modified" or h["relation"] == "localized"
    c003 = next(c for c in h["copies"] if "003_" in c["paths"][0])
    assert text[slice(*c003["matches"][0]["span"])] == para
    assert "004" not in by_name(res["hits"])  # 004 holds one clause of it, far below the paragraph


def test_limit_and_stdin(run_cli, corpus_db):
    from click.testing import CliRunner

    from lineage.cli import cli

    code, res = search_json(run_cli, corpus_db, CLAUSE, "--limit", "1")
    assert code == 0 and len(res["hits"]) == 1 and res["total"] == 2
    r = CliRunner().invoke(cli, ["search", "-", "--db", corpus_db, "--json", "--quiet"], input=CLAUSE + "\n")
    assert r.exit_code == 0 and json.loads(r.stdout)["total"] == 2


def test_human_output_lists_copies_and_spans(run_cli, corpus_db):
    r = run_cli("search", LOCALIZED, "--db", corpus_db, "--quiet")
    assert r.exit_code == 0
    assert "localized" in r.stdout and "[-绍兴-]{+浙江+}" in r.stdout
    assert "000_aca499adb39197ba.txt:" in r.stdout and "003_cba8423d898ca683.txt:" in r.stdout


def test_without_dedup_copies_are_separate_hits(run_cli, tmp_path, corpus_paths):
    db = str(tmp_path / "plain.db")
    assert run_cli("ingest", corpus_paths["000"], corpus_paths["003"], "--db", db, "--quiet").exit_code == 0
    r = run_cli("search", CLAUSE, "--db", db, "--json")
    res = json.loads(r.stdout)
    assert r.exit_code == 0 and res["grouped"] is False and res["total"] == 2
    assert all(h["version"] is None and len(h["copies"]) == 1 for h in res["hits"])
    assert "not grouped" in r.stderr


def test_localized_start_and_new_documents(run_cli, tmp_path, corpus_paths):
    """A variant whose first words are the swapped place name, in a file ingested after the index was built."""
    db = str(tmp_path / "grow.db")
    assert run_cli("ingest", corpus_paths["002"], "--db", db, "--quiet").exit_code == 0
    code, res = search_json(run_cli, db, "浙江省加快建设制造强省，制定本行动计划。")
    assert code == 1  # builds the search index; nothing holds it yet
    new = tmp_path / "city.txt"
    new.write_text(
        "关于推进工作的意见\n为推进工作，特提出如下意见。\n绍兴市加快建设制造强市，制定本行动计划。\n"
        "其他事项另行通知。\n",
        encoding="utf-8",
    )
    assert run_cli("ingest", str(new), "--db", db, "--quiet").exit_code == 0
    code, res = search_json(run_cli, db, "浙江省加快建设制造强省，制定本行动计划。")
    assert code == 0 and res["total"] == 1
    h = res["hits"][0]
    assert read(str(new))[slice(*h["span"])] == "绍兴市加快建设制造强市，制定本行动计划。"
    assert h["relation"] == "localized"


def test_html_span_holds_the_markup(run_cli, tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><meta charset='utf-8'><title>某市方案</title></head><body>"
        "<p>完善制造业创新生态。提升&ldquo;产学研用金、<b>才政介美云</b>&rdquo;十联动创新创业生态系统效能。</p>"
        "<p>其他内容。</p></body></html>",
        encoding="utf-8",
    )
    db = str(tmp_path / "h.db")
    assert run_cli("ingest", str(page), "--db", db, "--quiet").exit_code == 0
    code, res = search_json(run_cli, db, CLAUSE)
    assert code == 0
    h = res["hits"][0]
    raw = read(str(page))[slice(*h["span"])]
    assert raw == "&ldquo;产学研用金、<b>才政介美云</b>&rdquo;十联动"
    assert h["text"] == CLAUSE


def test_copy_without_the_text_is_listed_without_matches(run_cli, tmp_path, corpus_paths):
    """A truncated copy of a version that stops before the clause: listed with the version, no match."""
    d = tmp_path / "c"
    d.mkdir()
    full = read(corpus_paths["003"])
    shutil.copy(corpus_paths["003"], d / "full.txt")
    cut = full.index("完善制造业创新生态")
    (d / "cut.txt").write_text(full[:cut], encoding="utf-8", newline="")
    db = str(tmp_path / "t.db")
    assert run_cli("dedup", str(d), "--db", db, "--quiet").exit_code == 0
    code, res = search_json(run_cli, db, CLAUSE)
    assert code == 0 and res["total"] == 1
    copies = {os.path.basename(c["paths"][0]): c["matches"] for c in res["hits"][0]["copies"]}
    assert set(copies) == {"full.txt", "cut.txt"} and copies["cut.txt"] == [] and len(copies["full.txt"]) == 1


def test_caches_of_an_older_search_version_are_dropped(tmp_path, corpus_paths):
    from lineage.explore.search_index import ATOMS_KIND, SEARCH_KIND, SearchIndex
    from lineage.ingest.pipeline import ingest_paths
    from lineage.store import Store

    with Store(str(tmp_path / "o.db")) as store:
        ingest_paths([corpus_paths["004"]], store, jobs=1)
        sha = store.shas()[0]
        with store.transaction():
            store.put_cache("search-atoms:v0", sha, b"old")
            store.put_cache("search-index:v0", "corpus", b"old")
        SearchIndex.open(store)
        kinds = {k for (k,) in store.db.execute("SELECT DISTINCT kind FROM cache WHERE kind LIKE 'search-%'")}
        assert kinds == {ATOMS_KIND, SEARCH_KIND}
