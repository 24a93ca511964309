"""`lineage export --out`: never over a file the user changed, and every impossible --out in one line (exit 2)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import networkx as nx
import pytest


@pytest.fixture(scope="module")
def db(tmp_path_factory, corpus_paths):
    """The corpus with its graph cached."""
    from click.testing import CliRunner

    from lineage.cli import cli

    path = str(tmp_path_factory.mktemp("export-safety") / "c.db")
    assert CliRunner().invoke(cli, ["graph", *corpus_paths.values(), "--db", path, "-q"]).exit_code == 0
    return path


EXPORTS = [
    ("graph", "graphml", "g.graphml"),
    ("graph", "gexf", "g.gexf"),
    ("passages", "csv", "p.csv"),
    ("passages", "jsonl", "p.jsonl"),
]


@pytest.mark.parametrize("what,fmt,name", EXPORTS)
def test_an_export_the_user_changed_is_never_replaced(run_cli, db, tmp_path, what, fmt, name):
    out = tmp_path / name
    args = ("export", what, "--format", fmt, "--out", str(out), "--db", db, "-q")
    assert run_cli(*args).exit_code == 0
    assert run_cli(*args).exit_code == 0  # unchanged: replaced
    with open(out, "a", encoding="utf-8") as f:
        f.write("user,added,row\n")
    edited = out.read_bytes()
    r = run_cli(*args)
    assert r.exit_code == 2 and r.stderr.count("\n") == 1
    assert f"{out}: changed since lineage wrote it" in r.stderr
    assert out.read_bytes() == edited  # nothing lost
    assert run_cli(*args, "--force").exit_code == 0  # the user's explicit choice
    assert not out.read_bytes().endswith(b"user,added,row\n")
    assert run_cli(*args).exit_code == 0  # and it is lineage's again


def test_a_lineage_looking_file_lineage_did_not_write_is_kept(run_cli, db, tmp_path):
    """A copy of an export (same header, same comment) put there by the user is not lineage's to replace."""
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    assert run_cli("export", "graph", "--out", str(a / "g.graphml"), "--db", db, "-q").exit_code == 0
    (b / "g.graphml").write_bytes((a / "g.graphml").read_bytes())
    r = run_cli("export", "graph", "--out", str(b / "g.graphml"), "--db", db, "-q")
    assert r.exit_code == 2 and "not written by lineage" in r.stderr


def test_csv_folder_files_changed_by_the_user_are_kept(run_cli, db, tmp_path):
    out = tmp_path / "csv"
    args = ("export", "graph", "--format", "csv", "--out", str(out), "--db", db, "-q")
    assert run_cli(*args).exit_code == 0
    with open(out / "edges.csv", "a", encoding="utf-8") as f:
        f.write("my,row\n")
    nodes = (out / "nodes.csv").read_bytes()
    r = run_cli(*args)
    assert r.exit_code == 2 and "edges.csv: changed since lineage wrote it" in r.stderr
    assert (out / "edges.csv").read_text(encoding="utf-8").endswith("my,row\n")
    assert (out / "nodes.csv").read_bytes() == nodes  # all or nothing: no file of the set was replaced
    manifest = json.loads((out / "lineage-export.json").read_text(encoding="utf-8"))
    assert manifest["files"] == ["edges.csv", "nodes.csv"]


def _cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lineage", *args], input=stdin, capture_output=True, timeout=300)


@pytest.mark.parametrize(
    "what,fmt",
    [("graph", "graphml"), ("graph", "gexf"), ("graph", "csv"), ("passages", "csv"), ("passages", "jsonl")],
)
def test_every_impossible_out_is_one_line_exit_2(db, tmp_path, what, fmt):
    blocker = tmp_path / "file"
    blocker.write_text("mine", encoding="utf-8")
    for out in ("/proc/x", str(blocker / "sub.out"), str(blocker / "deeper" / "sub.out")):
        r = _cli("export", what, "--format", fmt, "--out", out, "--db", db, "-q")
        err = r.stderr.decode()
        assert r.returncode == 2, err
        assert err.count("\n") == 1 and "Traceback" not in err and out in err, err
    assert blocker.read_text(encoding="utf-8") == "mine"
    assert sorted(os.listdir(tmp_path)) == ["file"]


def test_search_stdin_that_is_not_utf8_is_exit_2(db):
    r = _cli("search", "--db", db, "-", stdin="推动".encode() + b"\xe6\xb5")
    err = r.stderr.decode()
    assert r.returncode == 2 and err.count("\n") == 1 and "not UTF-8" in err, err


def test_export_after_refusal_still_loads(run_cli, db, tmp_path):
    """The refused run left the earlier export whole: it still loads."""
    out = tmp_path / "g.graphml"
    assert run_cli("export", "graph", "--out", str(out), "--db", db, "-q").exit_code == 0
    os.chmod(out, 0o644)
    with open(out, "a", encoding="utf-8") as f:
        f.write("<!-- mine -->\n")
    assert run_cli("export", "graph", "--out", str(out), "--db", db, "-q").exit_code == 2
    assert nx.read_graphml(out).number_of_nodes() == 11
