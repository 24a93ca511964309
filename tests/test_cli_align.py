"""`lineage align` and `lineage trace` through the real CLI (click's CliRunner, in-process)."""

from __future__ import annotations

import html
import json
import os

from lineage.normalize import fold
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
    assert "reuse: 9" in out and "identical" in out and "modified" in out and "partial" in out
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
    found = [fold(text[m["target_span"][0]:m["target_span"][1]]) for m in d["matches"]]
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

        def shown(k, span):
            frag = texts[k][span[0]:span[1]]
            return fold(display_text(frag) if k == as_html else frag)

        assert len(d["matches"]) > 3
        for m in d["matches"]:
            t, s = shown("target", m["target_span"]), shown("source", m["source_span"])
            if m["diff"]:
                assert "".join(op[2] for op in m["diff"]) == t
                assert "".join(op[1] for op in m["diff"]) == s
            else:
                assert t == s
