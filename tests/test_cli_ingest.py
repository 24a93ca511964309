"""`lineage ingest`, `lineage show`, `--version`, `--help`, through click's CliRunner."""

from __future__ import annotations

import json
import os

from lineage import __version__

SHOW_FIELDS = {
    "path",
    "sha256",
    "encoding",
    "title",
    "date",
    "date_kind",
    "issuers",
    "doc_number",
    "citations",
    "jurisdiction",
    "removed",
    "units",
}
UNIT_FIELDS = {"id", "kind", "level", "text", "norm_text", "span"}


def test_version_and_help(run_cli):
    r = run_cli("--version")
    assert r.exit_code == 0 and __version__ in r.output
    r = run_cli("--help")
    assert r.exit_code == 0 and "ingest" in r.output and "show" in r.output
    for cmd in ("ingest", "show"):
        r = run_cli(cmd, "--help")
        assert r.exit_code == 0 and "--db" in r.output and "--json" in r.output and "--quiet" in r.output


def test_ingest_the_corpus_prints_every_document(db_path, corpus_paths, run_cli):
    folder = os.path.dirname(corpus_paths["000"])
    r = run_cli("ingest", folder, "--db", db_path, "-q")
    assert r.exit_code == 0
    for path in corpus_paths.values():
        assert os.path.basename(path) in r.stdout
    assert "制造强省建设行动计划" in r.stdout and "2020-03-13 (signed)" in r.stdout and "绍兴市 (city)" in r.stdout
    assert r.stderr == ""  # --quiet
    r = run_cli("ingest", folder, "--db", db_path)
    assert "5 documents (0 new, 5 unchanged" in r.stderr


def test_ingest_json(db_path, corpus_paths, run_cli):
    r = run_cli("ingest", *corpus_paths.values(), "--db", db_path, "--json", "-q")
    out = json.loads(r.stdout)
    assert out["added"] == 5 and out["skipped"] == []
    assert [os.path.basename(d["path"]) for d in out["documents"]] == [
        os.path.basename(p) for p in corpus_paths.values()
    ]
    assert out["documents"][2]["jurisdiction"]["name"] == "绍兴市"


def test_large_json_is_indented_two_levels_and_holds_the_same_data(db_path, corpus_paths, run_cli, monkeypatch):
    """Big --json output (thousands of documents) skips the slow pure-Python indenting below two
    levels: one document per line, the same data."""
    from lineage.cli import app

    full = run_cli("ingest", *corpus_paths.values(), "--db", db_path, "--json", "-q").stdout
    monkeypatch.setattr(app, "INDENT_ALL_UP_TO", 2)
    big = run_cli("ingest", *corpus_paths.values(), "--db", db_path, "--json", "-q").stdout
    assert json.loads(big)["documents"] == json.loads(full)["documents"] and big != full
    lines = big.splitlines()
    assert lines[0] == "{" and lines[1] == '  "documents": [' and len(lines) < len(full.splitlines()) / 5
    assert all(json.loads(line.strip().rstrip(",")).get("sha256") for line in lines[2:7])
    assert json.loads(app._outer_indented({2: [True, {None: 2}], True: "政策"}, 0)) == {
        "2": [True, {"null": 2}],
        "true": "政策",
    }


def test_bad_files_are_named_the_batch_continues_and_the_exit_code_tells(db_path, corpus_paths, tmp_path, run_cli):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "scan.txt").write_bytes(b"%PDF-1.4 binary")
    (tmp_path / "bad.txt").write_bytes(bytes([0x81, 0x30, 0xFF]) * 20)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    r = run_cli("ingest", str(tmp_path), corpus_paths["001"], "--db", db_path, "-q")
    assert r.exit_code == 0
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 3
    assert any("empty.txt: empty file" in ln for ln in lines)
    assert any("scan.txt: binary: a PDF file" in ln for ln in lines)
    assert any("bad.txt: undecodable" in ln for ln in lines)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.name in before} == before
    # Nothing readable at all: exit code 1.
    r = run_cli("ingest", str(tmp_path / "empty.txt"), str(tmp_path / "missing.txt"), "--db", db_path, "-q")
    assert r.exit_code == 1
    assert "missing.txt: no such file or directory" in r.stderr


def test_show_json_has_the_documented_fields_and_truthful_spans(db_path, corpus_paths, run_cli):
    path = corpus_paths["002"]
    r = run_cli("show", path, "--db", db_path, "--json", "--units", "all")
    d = json.loads(r.stdout)
    assert set(d) >= SHOW_FIELDS
    assert {"name", "level", "province"} <= set(d["jurisdiction"])
    assert all({"kind", "text", "span"} <= set(x) for x in d["removed"])
    assert all({"title", "doc_number"} <= set(x) for x in d["citations"])
    text = open(path, encoding="utf-8", newline="").read()
    kinds = set()
    for u in d["units"]:
        assert set(u) >= UNIT_FIELDS
        assert text[u["span"][0] : u["span"][1]] == u["text"]
        kinds.add(u["kind"])
    assert kinds == {"heading", "paragraph", "table", "sentence", "clause"}


def test_show_human_output_and_reference_by_hash(db_path, corpus_paths, run_cli):
    r = run_cli("ingest", corpus_paths["000"], "--db", db_path, "--json", "-q")
    sha = json.loads(r.stdout)["documents"][0]["sha256"]
    r = run_cli("show", sha[:10], "--db", db_path, "--units", "none")
    assert r.exit_code == 0
    assert "outline:" in r.stdout and "一、总体要求" in r.stdout
    r = run_cli("show", "nonexistent-doc", "--db", db_path)
    assert r.exit_code != 0 and "no document" in r.stderr


def test_the_typical_uses_in_the_groups_help_are_real_commands_and_options(run_cli):
    import re

    out = run_cli("--help").output
    block = out.split("Typical use", 1)[1].split("\n\n", 1)[0]
    uses = re.findall(r"^\s+lineage (\w+)(.*?)\s{2,}\S", block, re.M)
    assert len(uses) >= 6
    for cmd, args in uses:
        r = run_cli(cmd, "--help")
        assert r.exit_code == 0, cmd
        for opt in re.findall(r"--[\w-]+", args):
            assert opt in r.output, (cmd, opt)
