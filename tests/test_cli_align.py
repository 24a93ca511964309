"""`lineage align` and `lineage trace` through the real CLI (click's CliRunner, in-process)."""

from __future__ import annotations

import hashlib
import html
import json
import os
import re

from lineage.ingest.normalize import fold
from lineage.store import display_text


def test_help_mentions_the_common_options(run_cli):
    for cmd in ("align", "trace"):
        r = run_cli(cmd, "--help")
        assert r.exit_code == 0
        for opt in ("--db", "--json", "--quiet"):
            assert opt in r.output, (cmd, opt)
    assert "--corpus" in run_cli("trace", "--help").output


def test_align_files_human_output(db_path, corpus_paths, run_cli):
    r = run_cli("align", corpus_paths["003"], corpus_paths["000"], "--db", db_path)
    assert r.exit_code == 0, r.stderr
    out = r.stdout
    assert "reuse: 9" in out and "identical" in out and "modified" in out
    # 000's news lede quotes its own body: set apart, not aligned as reuse a second time
    assert "news lede: 5 units (483 chars) not aligned" in out
    assert "formatting only:" in out
    assert "top reused passages:" in out and "target:" in out and "source:" in out
    # the one-comma modification is shown with its diff
    assert "{+,+}" in out


def test_align_json_by_sha_prefix(db_path, corpus_paths, run_cli):
    r = run_cli("ingest", corpus_paths["003"], corpus_paths["004"], "--db", db_path, "-q", "--json")
    shas = {os.path.basename(d["path"])[:3]: d["sha256"] for d in json.loads(r.stdout)["documents"]}
    r = run_cli("align", shas["003"][:10], shas["004"][:10], "--db", db_path, "--json")
    assert r.exit_code == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["target"]["sha256"] == shas["004"] and d["sources"][0]["sha256"] == shas["003"]
    assert d["sources"][0]["later_than_target"] is True
    text = open(corpus_paths["004"], encoding="utf-8").read()
    found = [fold(text[m["target_span"][0] : m["target_span"][1]]) for m in d["matches"]]
    assert "“产学研用金、才政介美云”十联动" in found
    assert set(d["summary"]) >= {"reuse_share", "by_relation", "by_source"}


def test_align_bad_inputs(db_path, corpus_paths, run_cli, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    r = run_cli("align", str(empty), corpus_paths["000"], "--db", db_path)
    assert r.exit_code == 1
    assert "empty.txt" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    r = run_cli("align", "no-such-thing", corpus_paths["000"], "--db", db_path)
    assert r.exit_code != 0 and "no-such-thing" in r.stderr


def test_trace_with_a_corpus_folder(tmp_path, corpus_paths, run_cli):
    folder = tmp_path / "c"
    folder.mkdir()
    for k in ("001", "002", "003"):
        (folder / os.path.basename(corpus_paths[k])).write_bytes(open(corpus_paths[k], "rb").read())
    db = str(tmp_path / "t.db")
    r = run_cli("trace", corpus_paths["004"], "--corpus", str(folder), "--db", db, "--json", "--quiet")
    assert r.exit_code == 0, r.stderr
    d = json.loads(r.stdout)
    names = [os.path.basename(s["path"])[:3] for s in d["sources"]]
    assert "002" in names and "003" in names
    assert d["summary"]["retrieval"]["chosen"] >= 2
    # a second run reuses the database and the cached index; human output names sources and dates
    r = run_cli("trace", corpus_paths["004"], "--db", db)
    assert r.exit_code == 0
    assert "LATER than the target" in r.stdout and "002_" in r.stdout


def test_trace_of_a_text_with_no_sources(tmp_path, run_cli, corpus_paths):
    lonely = tmp_path / "lonely.txt"
    lonely.write_text("这是一份与语料库毫无关系的文件。它只讲天气和风景,不讲产业。\n", encoding="utf-8")
    db = str(tmp_path / "t.db")
    r = run_cli("trace", str(lonely), "--corpus", corpus_paths["001"], "--db", db, "--json")
    assert r.exit_code == 0
    d = json.loads(r.stdout)
    assert d["matches"] == [] and d["sources"] == [] and d["summary"]["reuse_share"] == 0.0
    assert "no reuse found" in r.stderr


def _as_html(text: str) -> str:
    paras = [ln.strip() for ln in text.splitlines() if ln.strip()]
    body = "\n".join(f"<p>{html.escape(p).replace('“', '&ldquo;').replace('”', '&rdquo;')}</p>" for p in paras)
    return f"<html><head><meta charset='utf-8'><title>t</title></head><body>{body}</body></html>"


def test_spans_are_truthful_for_html_documents(tmp_path, corpus_paths, run_cli):
    """HTML sides: spans cover markup whose text (tags dropped, entities decoded) is what was compared."""
    for src_key, tgt_key, as_html in (("003", "000", "source"), ("003", "004", "target")):
        paths = {"source": corpus_paths[src_key], "target": corpus_paths[tgt_key]}
        page = tmp_path / f"{as_html}-{src_key}-{tgt_key}.html"
        page.write_text(_as_html(open(paths[as_html], encoding="utf-8").read()), encoding="utf-8")
        paths[as_html] = str(page)
        r = run_cli("align", paths["source"], paths["target"], "--db", str(tmp_path / "h.db"), "--json")
        assert r.exit_code == 0, r.stderr
        d = json.loads(r.stdout)
        texts = {k: open(p, encoding="utf-8").read() for k, p in paths.items()}

        def shown(k, span, texts=texts, as_html=as_html):
            frag = texts[k][span[0] : span[1]]
            return fold(display_text(frag) if k == as_html else frag)

        assert len(d["matches"]) > 3
        for m in d["matches"]:
            t, s = shown("target", m["target_span"]), shown("source", m["source_span"])
            if m["diff"]:
                assert "".join(op[2] for op in m["diff"]) == t
                assert "".join(op[1] for op in m["diff"]) == s
            else:
                assert t == s


# -- --html: the report's pages on demand ------------------------------------------------------------


def _self_contained(page: str) -> None:
    assert "<style>" in page and page.count("<script") == 1 and "<script>" in page
    assert "static/report" not in page and "http://" not in page and "https://" not in page


def test_align_html_writes_the_pair_page(tmp_path, corpus_paths, run_cli):
    out = tmp_path / "pages" / "000-003.html"  # a folder that does not exist yet
    r = run_cli(
        "align", corpus_paths["000"], corpus_paths["003"], "--db", str(tmp_path / "h.db"), "--html", str(out), "--json"
    )
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["summary"]["by_relation"]["modified"]["count"] == 1  # --json still printed
    assert f"wrote {out}" in r.stderr
    page = out.read_text(encoding="utf-8")
    _self_contained(page)
    # written through a temporary file, nothing left over; the record says the page is lineage's
    assert sorted(os.listdir(out.parent)) == [".lineage-exports.json", "000-003.html"]
    assert "<title>制造强省建设行动计划 → 003_cba8423d898ca683.txt · lineage</title>" in page
    # badges, the stats bar as filters, and the one change of the copy with its token diff
    assert 'class="bd identical">identical</span>' in page and 'class="bd modified">modified</span>' in page
    assert '<button type="button" class="st modified" data-filter="modified"' in page
    assert "到2025年<del>,</del>培育“品字标”" in page
    assert "57 identical" not in page and re.search(r"<summary>\d+ identical units</summary>", page)
    assert len(page.encode("utf-8")) < 300_000


def test_align_html_escapes_the_documents(tmp_path, run_cli):
    import report_fixtures as rf

    partner, bad = rf.write_xss_docs(str(tmp_path / "docs"))
    out = tmp_path / "x.html"
    r = run_cli("align", partner, bad, "--db", str(tmp_path / "x.db"), "--html", str(out), "-q")
    assert r.exit_code == 0, r.stderr
    page = out.read_text(encoding="utf-8")
    _self_contained(page)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<img" not in page
    assert "模板{{ 7*7 }}测试" in page and "模板49测试" not in page


def test_trace_html_writes_the_provenance_page(tmp_path, corpus_paths, run_cli):
    out = tmp_path / "trace.html"
    r = run_cli(
        "trace",
        corpus_paths["004"],
        "--corpus",
        corpus_paths["002"],
        "--corpus",
        corpus_paths["001"],
        "--db",
        str(tmp_path / "t.db"),
        "--html",
        str(out),
        "-q",
    )
    assert r.exit_code == 0, r.stderr
    assert "source  " in r.stdout  # the human summary is still printed
    page = out.read_text(encoding="utf-8")
    _self_contained(page)
    assert "<title>provenance of 004_6f0a94d0c08b789a.txt · lineage</title>" in page
    assert '<span lang="zh">中国制造2025绍兴实施方案</span>' in page  # the source, named (no link: standalone)
    assert re.search(r'<a class="m c0 (identical|modified|partial)', page)  # reused spans coloured by source
    assert '<aside id="panel" class="panel" hidden></aside>' in page


def test_html_to_a_path_that_cannot_be_written(tmp_path, corpus_paths, run_cli):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    r = run_cli(
        "align",
        corpus_paths["003"],
        corpus_paths["004"],
        "--db",
        str(tmp_path / "h.db"),
        "--html",
        str(blocker / "p.html"),
        "-q",
    )
    assert r.exit_code == 2 and "cannot write here" in r.stderr and "p.html" in r.stderr


def test_html_never_replaces_what_lineage_did_not_write(tmp_path, corpus_paths, run_cli):
    """--html once wrote over any file: the target being aligned (then read as a document), a user's notes, a
    report's page (after which the report refused its own folder)."""
    docs = tmp_path / "docs"
    docs.mkdir()
    source, target = (docs / os.path.basename(corpus_paths[k]) for k in ("002", "004"))
    for k, p in (("002", source), ("004", target)):
        p.write_bytes(open(corpus_paths[k], "rb").read())
    notes = tmp_path / "notes.html"
    notes.write_text("my notes", encoding="utf-8")
    before = {p: p.read_bytes() for p in (source, target, notes)}
    db = str(tmp_path / "h.db")

    def align(page: object, *more: str) -> object:
        return run_cli("align", str(source), str(target), "--db", db, "--html", str(page), "-q", *more)

    for force in ((), ("--force",)):  # the document being read: not even with --force
        r = align(target, *force)
        assert r.exit_code == 2 and f"{target}: is an input file" in r.stderr, r.stderr
    r = run_cli("trace", str(target), "--db", db, "--corpus", str(docs), "--html", str(docs / "p.html"), "-q")
    assert r.exit_code == 2 and "inside the input folder" in r.stderr  # would be ingested as a document
    r = align(notes)
    assert r.exit_code == 2 and "exists and was not written by lineage (--force replaces it)" in r.stderr
    assert {p: p.read_bytes() for p in before} == before and not (docs / "p.html").exists()
    assert r.stdout == ""  # refused before any work
    # a page lineage wrote is replaced; --force replaces the user's file
    page = tmp_path / "pair.html"
    assert align(page).exit_code == 0 and align(page).exit_code == 0
    assert align(notes, "--force").exit_code == 0 and notes.read_text(encoding="utf-8").startswith("<!doctype html>")
    # what the command reads, named otherwise: a document by its sha256 prefix, a trace's source found in the
    # database, the database itself -- not even with --force
    sha = hashlib.sha256(target.read_bytes()).hexdigest()[:12]
    r = run_cli("align", str(source), sha, "--db", db, "--html", str(target), "--force", "-q")
    assert r.exit_code == 2 and "is an input file" in r.stderr
    r = run_cli("trace", str(target), "--db", db, "--html", str(source), "--force", "-q")
    assert r.exit_code == 2 and "is an input file" in r.stderr
    r = align(db, "--force")
    assert r.exit_code == 2 and "is an input file" in r.stderr
    assert {p: p.read_bytes() for p in (source, target)} == {p: before[p] for p in (source, target)}
    # a report's pages, in its folder or below: written by another command, never replaced from here
    rep = tmp_path / "rep"
    assert run_cli("report", corpus_paths["002"], corpus_paths["004"], "--out", str(rep), "-q").exit_code == 0
    pages = [rep / "index.html", *sorted((rep / "pairs").iterdir())[:1], *sorted((rep / "documents").iterdir())[:1]]
    kept = {p: p.read_bytes() for p in pages}
    for page in pages:
        r = align(page, "--force")
        assert r.exit_code == 2 and "written by lineage report" in r.stderr, (page, r.stderr)
    assert {p: p.read_bytes() for p in pages} == kept
    assert run_cli("report", corpus_paths["002"], corpus_paths["004"], "--out", str(rep), "-q").exit_code == 0


def test_help_documents_html(run_cli):
    for cmd in ("align", "trace"):
        out = run_cli(cmd, "--help").output
        assert "--html FILE" in out and "self-contained" in out


# -- the report's hooks give what the commands print ---------------------------------------------------


def test_report_hooks_equal_the_commands_json(tmp_path, corpus_paths, run_cli):
    from lineage.graph.traced import align_for_report, trace_for_report
    from lineage.store import Store

    db = str(tmp_path / "e.db")
    r = run_cli("ingest", *corpus_paths.values(), "--db", db, "-q", "--json")
    shas = {os.path.basename(d["path"])[:3]: d["sha256"] for d in json.loads(r.stdout)["documents"]}
    want_align = json.loads(run_cli("align", shas["002"], shas["004"], "--db", db, "--json", "-q").stdout)
    want_trace = json.loads(run_cli("trace", shas["004"], "--db", db, "--json", "-q").stdout)
    with Store(db) as store:
        got_align = align_for_report(store, shas["002"], shas["004"])
        got_trace = trace_for_report(store, shas["004"], list(shas.values()))
        only_002 = trace_for_report(store, shas["004"], [shas["002"]])
    assert got_align == want_align
    for d in (got_trace, want_trace):
        d["summary"]["retrieval"].pop("timings")  # seconds: never the same twice
    assert got_trace == want_trace and len(got_trace["sources"]) >= 2
    # sources restricted to the documents given
    assert [s["sha256"] for s in only_002["sources"]] == [shas["002"]]
    assert {m["source_sha256"] for m in only_002["matches"]} == {shas["002"]}


def test_a_share_under_a_twentieth_of_a_percent_is_not_printed_as_nothing(tmp_path, db_path, run_cli):
    """One sentence of a 90,000-character plan is 0.04% of it: printed "<0.1%", as the graph and every page
    print a share (lineage.graph.edges.share_text), not "0.0%" beside a list of what was found."""
    import random

    rng = random.Random(7)
    words = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    filler = ["".join(rng.choices(words, k=44)) + "。" for _ in range(2000)]
    shared = "加快发展海洋经济，建设现代海洋产业体系，推进海洋牧场和远洋渔业基地建设工作。"
    big, small = tmp_path / "big.txt", tmp_path / "small.txt"
    big.write_text(
        "浙江省海洋经济发展规划\n" + "\n".join([*filler[:1000], shared, *filler[1000:]]) + "\n", encoding="utf-8"
    )
    small.write_text("绍兴市海洋工作要点\n" + shared + "\n推进滨海新区建设。\n", encoding="utf-8")
    r = run_cli("align", str(small), str(big), "--db", db_path)
    assert r.exit_code == 0, r.stderr
    assert "reuse: <0.1% of the target" in r.stdout, r.stdout
