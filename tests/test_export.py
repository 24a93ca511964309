"""`lineage export graph|passages`: the exports load in networkx and pandas with their types, and never clobber."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

from lineage.graph.pipeline import Graph

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, corpus_paths):
    """The corpus with its graph cached, and the graph as `lineage graph --json` shows it."""
    from click.testing import CliRunner

    from lineage.cli import cli

    d = tmp_path_factory.mktemp("export")
    db = str(d / "c.db")
    r = CliRunner().invoke(cli, ["graph", *corpus_paths.values(), "--db", db, "--json", "--quiet"])
    assert r.exit_code == 0
    return db, json.loads(r.stdout)


def flat(d: dict) -> dict:
    """What an export should carry for a node or edge: dicts one level flat, lists as JSON, nulls left out."""
    out = {}
    for k, v in d.items():
        if isinstance(v, dict):
            for k2, v2 in v.items():
                if v2 is not None:
                    out[f"{k}_{k2}"] = (
                        json.dumps(v2, ensure_ascii=False, separators=(",", ":"))
                        if isinstance(v2, (list, dict))
                        else v2
                    )
        elif isinstance(v, list):
            out[k] = json.dumps(v, ensure_ascii=False, separators=(",", ":"))
        elif v is not None:
            out[k] = v
    return out


def same(a, b) -> bool:
    """Equal values of equal types (an int in a column of floats reads back as a float)."""
    if isinstance(a, float) or isinstance(b, float):
        return isinstance(a, (int, float)) and isinstance(b, float) and not isinstance(a, bool) and float(a) == b
    return type(a) is type(b) and a == b


def check_graph(g: nx.MultiDiGraph | nx.DiGraph, shown: dict) -> None:
    assert g.is_directed() and g.number_of_nodes() == len(shown["nodes"])
    assert g.number_of_edges() == len(shown["edges"])
    for n in shown["nodes"]:
        got = g.nodes[n["id"]]
        want = flat({k: v for k, v in n.items() if k != "id"})
        for k, v in want.items():
            assert same(v, got[k]), (n["id"], k, v, got[k])
        assert got["label"] == n["label"]  # the graph's own name, as every page calls the node
    edges = list(g.edges(data=True))
    for e in shown["edges"]:
        want = flat({k: v for k, v in e.items() if k not in ("source", "target")})
        matches = [d for u, v, d in edges if (u, v) == (e["source"], e["target"]) and d["kind"] == e["kind"]]
        assert len(matches) == 1
        got = matches[0]
        for k, v in want.items():
            assert same(v, got[k]), (k, v, got[k])
        if e["kind"] == "reuse":
            assert got["weight"] == e["strength"]
            assert json.loads(got["passages"]) == e["passages"]


def test_graphml_loads_in_networkx_with_types(run_cli, corpus, tmp_path):
    db, shown = corpus
    out = tmp_path / "g.graphml"
    r = run_cli("export", "graph", "--format", "graphml", "--out", str(out), "--db", db)
    assert r.exit_code == 0 and "11 nodes, 10 edges" in r.stderr
    g = nx.read_graphml(out)
    check_graph(g, shown)
    plan = g.nodes["v-352de0074ca3"]
    assert plan["date"] == "2020-03-13" and isinstance(plan["chars"], int) and plan["external"] is False
    assert json.loads(plan["paths"])[0].endswith("000_aca499adb39197ba.txt")
    assert g.nodes["v-3e7f377b0571"]["date"] == "2018"  # an estimated year stays a string
    assert sorted(os.listdir(tmp_path)) == [".lineage-exports.json", "g.graphml"]  # atomic: no temporary file left


def test_gexf_loads_in_networkx_with_types(run_cli, corpus, tmp_path):
    db, shown = corpus
    out = tmp_path / "g.gexf"
    assert run_cli("export", "graph", "--format", "gexf", "--out", str(out), "--db", db, "-q").exit_code == 0
    g = nx.read_gexf(out)
    check_graph(g, shown)
    unc = [d for u, v, d in g.edges(data=True) if d["kind"] == "reuse" and d["direction"] == "uncertain"]
    # 004 and the 2020 plan (the evidence conflicts), 002 and the 2020 plan (dates against the level: no conflict)
    assert sorted(d["conflict"] for d in unc) == [False, True]
    assert all(isinstance(d["confidence"], float) and isinstance(d["chars_identical"], int) for d in unc)


def test_graph_to_stdout(run_cli, corpus):
    db, shown = corpus
    r = run_cli("export", "graph", "--db", db, "-q")
    assert r.exit_code == 0
    check_graph(nx.parse_graphml(r.stdout), shown)


def test_graph_csv_loads_in_pandas_with_types(run_cli, corpus, tmp_path):
    db, shown = corpus
    out = tmp_path / "csv"
    assert run_cli("export", "graph", "--format", "csv", "--out", str(out), "--db", db, "-q").exit_code == 0
    manifest = json.loads((out / "lineage-export.json").read_text(encoding="utf-8"))
    assert manifest["written_by"] == "lineage" and manifest["files"] == ["edges.csv", "nodes.csv"]
    dtypes = manifest["pandas_dtypes"]
    nodes = pd.read_csv(out / "nodes.csv", dtype=dtypes["nodes.csv"])
    edges = pd.read_csv(out / "edges.csv", dtype=dtypes["edges.csv"])
    assert list(nodes["id"]) == [n["id"] for n in shown["nodes"]]
    assert list(edges["source"]) == [e["source"] for e in shown["edges"]]
    assert str(nodes["chars"].dtype) == "Int64" and str(edges["confidence"].dtype) == "float64"
    assert str(edges["conflict"].dtype) == "boolean"
    plan = nodes.set_index("id").loc["v-352de0074ca3"]
    assert plan["jurisdiction_code"] == "330000" and plan["date"] == "2020-03-13" and plan["copies"] == 2
    reuse = edges[edges["kind"] == "reuse"]
    assert reuse["share_of_target"].tolist() == [e["share_of_target"] for e in shown["edges"] if e["kind"] == "reuse"]
    assert [json.loads(p) for p in reuse["passages"]] == [e["passages"] for e in shown["edges"] if e["kind"] == "reuse"]
    # plain pandas, no dtype: numbers are still numbers
    plain = pd.read_csv(out / "edges.csv")
    assert plain.columns[0] == "id" and plain["strength"].dtype.kind == "f"


def test_csv_needs_a_folder_and_a_database(run_cli, corpus, tmp_path):
    db, _ = corpus
    r = run_cli("export", "graph", "--format", "csv", "--db", db)
    assert r.exit_code == 2 and "--out" in r.stderr
    r = run_cli("export", "graph", "--db", str(tmp_path / "none.db"), "--out", str(tmp_path / "g.graphml"))
    assert r.exit_code == 1 and "no database" in r.stderr
    assert os.listdir(tmp_path) == []


def test_passages_csv_and_jsonl(run_cli, corpus, tmp_path, corpus_paths):
    db, shown = corpus
    reuse = [e for e in shown["edges"] if e["kind"] == "reuse"]
    n = sum(len(e["passages"]) for e in reuse)
    assert run_cli("export", "passages", "--out", str(tmp_path / "p.csv"), "--db", db, "-q").exit_code == 0
    assert (
        run_cli(
            "export", "passages", "--format", "jsonl", "--out", str(tmp_path / "p.jsonl"), "--db", db, "-q"
        ).exit_code
        == 0
    )
    # the file starts with a BOM (Excel); standard output does not (a pipe's reader would read it as text)
    assert (tmp_path / "p.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    out = run_cli("export", "passages", "--db", db, "-q").stdout_bytes
    assert out and not out.startswith(b"\xef\xbb\xbf") and out == (tmp_path / "p.csv").read_bytes()[3:]
    csv_df = pd.read_csv(tmp_path / "p.csv", dtype={"source_date": "string", "target_date": "string"})
    js = pd.read_json(tmp_path / "p.jsonl", lines=True, dtype={"source_date": str, "target_date": str})
    assert len(csv_df) == len(js) == n
    assert csv_df["source_start"].dtype.kind == "i" and csv_df["confidence"].dtype.kind == "f"
    assert csv_df["counted"].dtype == bool
    texts = {}
    for (_, row), (_, jrow) in zip(csv_df.iterrows(), js.iterrows()):
        for side in ("source", "target"):
            path = row[f"{side}_path"]
            if path not in texts:
                with open(path, encoding="utf-8", newline="") as f:
                    texts[path] = f.read()
            s, e = row[f"{side}_start"], row[f"{side}_end"]
            assert texts[path][s:e] == row[f"{side}_text"]
            assert list(jrow[f"{side}_span"]) == [s, e]
    # what the edges say, row by row
    first = reuse[0]
    rows = csv_df[csv_df["edge"] == f"{first['source']}--{first['target']}"]
    assert len(rows) == len(first["passages"]) and set(rows["direction"]) == {first["direction"]}
    assert list(rows["relation"]) == [p["relation"] for p in first["passages"]]
    plan_rows = csv_df[csv_df["target"] == "v-352de0074ca3"]
    assert set(plan_rows["target_date"]) == {"2020-03-13"} and set(plan_rows["target_jurisdiction"]) == {"浙江省"}
    est = js[js["target"] == "v-3e7f377b0571"]
    assert set(est["target_date"]) == {"2018"} and set(est["target_date_kind"]) == {"estimated"}
    # a passage the graph does not count says why
    known = csv_df[csv_df["common_source"].notna()]
    assert len(known) and not known["counted"].any()


def test_never_replaces_a_file_lineage_did_not_write(run_cli, corpus, tmp_path):
    db, _ = corpus
    mine = tmp_path / "notes.graphml"
    mine.write_text("my own notes\n", encoding="utf-8")
    r = run_cli("export", "graph", "--out", str(mine), "--db", db, "-q")
    assert r.exit_code == 2 and "not written by lineage" in r.stderr
    assert mine.read_text(encoding="utf-8") == "my own notes\n"
    assert run_cli("export", "graph", "--out", str(mine), "--db", db, "-q", "--force").exit_code == 0
    assert nx.read_graphml(mine).number_of_nodes() == 11
    # an export lineage wrote is replaced without --force, in every format
    for fmt, name in (("graphml", "a.graphml"), ("gexf", "a.gexf")):
        for _ in range(2):
            r = run_cli("export", "graph", "--format", fmt, "--out", str(tmp_path / name), "--db", db, "-q")
            assert r.exit_code == 0, r.stderr
    for fmt, name in (("csv", "p.csv"), ("jsonl", "p.jsonl")):
        for _ in range(2):
            r = run_cli("export", "passages", "--format", fmt, "--out", str(tmp_path / name), "--db", db, "-q")
            assert r.exit_code == 0, r.stderr
    theirs = tmp_path / "theirs.csv"
    theirs.write_text("a,b\n1,2\n", encoding="utf-8")
    r = run_cli("export", "passages", "--out", str(theirs), "--db", db, "-q")
    assert r.exit_code == 2 and theirs.read_text(encoding="utf-8") == "a,b\n1,2\n"


def test_csv_folder_keeps_other_files(run_cli, corpus, tmp_path):
    db, _ = corpus
    out = tmp_path / "exp"
    out.mkdir()
    (out / "README.txt").write_text("keep me", encoding="utf-8")
    (out / "nodes.csv").write_text("x\n1\n", encoding="utf-8")
    r = run_cli("export", "graph", "--format", "csv", "--out", str(out), "--db", db, "-q")
    assert r.exit_code == 2 and (out / "nodes.csv").read_text(encoding="utf-8") == "x\n1\n"
    assert not (out / "edges.csv").exists()
    (out / "nodes.csv").unlink()
    for _ in range(2):  # the second run replaces lineage's own files
        assert run_cli("export", "graph", "--format", "csv", "--out", str(out), "--db", db, "-q").exit_code == 0
    assert sorted(os.listdir(out)) == [
        ".lineage-exports.json",
        "README.txt",
        "edges.csv",
        "lineage-export.json",
        "nodes.csv",
    ]
    assert (out / "README.txt").read_text(encoding="utf-8") == "keep me"


def test_hostile_text_stays_well_formed(tmp_path):
    """Titles with markup, quotes, control characters: the XML still parses and keeps the text."""
    from lineage.explore import export

    nasty = 'a<b>&"c\'\x01\x0b d]]>'
    g = Graph(
        [
            {"id": "v-1", "paths": [], "title": nasty, "date": None, "external": False, "chars": 3},
            {"id": 'x-"2', "paths": [], "title": None, "doc_number": "浙政办发〔2017〕100号", "external": True},
        ],
        [
            {
                "source": 'x-"2',
                "target": "v-1",
                "kind": "citation",
                "citations": [{"title": nasty}],
                "quoted": None,
                "direction": "established",
                "confidence": 1.0,
            }
        ],
        [],
        {},
    )
    for data, read in ((export.graphml(g), nx.read_graphml), (export.gexf(g), nx.read_gexf)):
        p = tmp_path / "g.xml"
        p.write_bytes(data)
        h = read(p)
        assert h.nodes["v-1"]["title"] == 'a<b>&"c\' d]]>'
        assert h.nodes['x-"2']["label"] == "浙政办发〔2017〕100号"
        ((_, _, d),) = h.edges(data=True)
        assert json.loads(d["citations"]) == [{"title": nasty}]


def test_parallel_reuse_and_citation_edges_make_a_multigraph(tmp_path):
    """On a generated corpus a child both copies and cites its parent: two edges between one pair."""
    from bench.generate import generate
    from lineage.explore import export
    from lineage.graph.pipeline import build_graph, derive
    from lineage.ingest.pipeline import ingest_paths
    from lineage.store import Store

    generate("lineage", tmp_path / "gen", seed=3, jobs=1, docs=20)
    with Store(str(tmp_path / "g.db")) as store:
        ingest_paths([str(tmp_path / "gen" / "docs")], store, jobs=2, derive=derive)
        g = build_graph(store, jobs=2).filtered()
        rows = list(export.passages(g, store))
    pairs = [(e["source"], e["target"]) for e in g.edges]
    assert len(pairs) > len(set(pairs))  # some pair has a reuse and a citation edge
    for data, read in ((export.graphml(g), nx.read_graphml), (export.gexf(g), nx.read_gexf)):
        p = tmp_path / "g.xml"
        p.write_bytes(data)
        h = read(p)
        assert h.is_multigraph() and h.number_of_edges() == len(g.edges)
        assert h.number_of_nodes() == len(g.nodes)
    assert len(rows) == sum(len(e["passages"]) for e in g.edges if e["kind"] == "reuse")
    assert all(r["source_text"] and r["target_text"] for r in rows)
