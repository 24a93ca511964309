"""`lineage report` end to end, and golden pages.

Golden files live in tests/golden/; after an intended change to a page,
regenerate them with ``LINEAGE_UPDATE_GOLDEN=1 pytest tests/test_report_cli.py``
and review the diff like code.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import pytest
import report_fixtures as rf
from folder_tree import tree

from lineage import __version__
from lineage.owned import RECORD
from lineage.report import build

GOLDEN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden")
UPDATE = bool(os.environ.get("LINEAGE_UPDATE_GOLDEN"))


def _tree(root: str, record: bool = False) -> dict[str, bytes]:
    """The files of a folder (without the report's record of them, unless asked)."""
    return tree(root, skip=() if record else (RECORD,))


@pytest.fixture(scope="module")
def corpus_site(corpus_paths, tmp_path_factory, run_cli):
    tmp = tmp_path_factory.mktemp("cli")
    out, db = str(tmp / "reports"), str(tmp / "lineage.db")
    # --lang en: the golden pages are English whatever the locale of the machine running the tests
    r = run_cli(
        "report", os.path.dirname(corpus_paths["000"]), "--out", out, "--db", db, "-q", "-j", "1", "--lang", "en"
    )
    assert r.exit_code == 0, r.output
    return r, out, db


def test_help_names_the_options(run_cli):
    r = run_cli("report", "--help")
    assert r.exit_code == 0
    for opt in ("--out", "--db", "--quiet", "--jobs"):
        assert opt in r.output


def _page(files: dict[str, bytes], prefix: str) -> tuple[str, str]:
    (path,) = [p for p in files if p.startswith(prefix)]
    return path, files[path].decode("utf-8")


def _pair_name(files: dict[str, bytes], a: str, b: str) -> str:
    (path,) = [p for p in files if re.fullmatch(rf"pairs/{a}-[0-9a-f-]+--{b}-[0-9a-f-]+\.html", p)]
    return path


def test_report_of_the_corpus(corpus_site, corpus_paths):
    r, out, _ = corpus_site
    assert r.stdout == os.path.join(os.path.realpath(out), "index.html") + "\n"
    assert r.stderr == ""
    files = _tree(out)
    assert sorted(p for p in files if "/" not in p) == ["dedup.html", "glossary.html", "graph.html", "index.html"]
    assert len([p for p in files if p.startswith("documents/")]) == 5
    assert sorted(p for p in files if p.startswith("static/")) == [
        "static/cytoscape-license.txt",
        "static/cytoscape.min.js",
        "static/graph.js",
        "static/report.css",
        "static/report.js",
    ]
    index = files["index.html"].decode("utf-8")
    for p in corpus_paths.values():
        assert f"<code>{os.path.basename(p)}</code>" in index
    assert "(not run)" not in index  # every stage ran
    # pair pages: one per reuse edge of the graph, and the copy 003 against its canonical copy 000
    pairs = sorted(p for p in files if p.startswith("pairs/"))
    assert pairs == sorted(
        [
            _pair_name(files, "000", "003"),
            _pair_name(files, "002", "004"),
            _pair_name(files, "002", "000"),
            _pair_name(files, "004", "000"),
        ]
    )
    # provenance pages: the versions the graph says reuse others, and both sides of an edge of uncertain direction
    # (002 shares text with the later 2020 plan, which may have adopted it)
    assert [p[len("provenance/") : p.index("-")] for p in sorted(files) if p.startswith("provenance/")] == [
        "000",
        "002",
        "004",
    ]
    for p in pairs:
        assert f'href="{p}"' in index
    # the record of what the report wrote: every file, its size and sha256
    rec = json.loads(open(os.path.join(out, RECORD), encoding="utf-8").read())
    assert rec["tool"] == "lineage report" and rec["version"] == __version__
    assert rec["files"] == {p: {"size": len(b), "sha256": hashlib.sha256(b).hexdigest()} for p, b in files.items()}


def test_dedup_page_of_the_corpus(corpus_site):
    files = _tree(corpus_site[1])
    dedup = files["dedup.html"].decode("utf-8")
    # 000 and 003 are one cluster, 000 canonical (it has the issuing notice), 003 a noisy copy linked to the pair page
    (cluster,) = re.findall(r'<section id="cl-[^"]+" class="cluster">(.*?)</section>', dedup, re.S)
    assert re.search(r'<h3><a href="documents/000-[^"]+" lang="zh">制造强省建设行动计划</a> .*2 files', cluster)
    assert "<b>canonical copy:</b> <code>000_aca499adb39197ba.txt</code>" in cluster and "issuing notice" in cluster
    rows = re.findall(r'<tr class="(\w+)"><td class="file">.*?<code>(\S+)</code>', cluster)
    assert rows == [("canonical", "000_aca499adb39197ba.txt"), ("noisy", "003_cba8423d898ca683.txt")]
    assert "no issuing notice" in cluster
    assert f'class="cmp" href="{_pair_name(files, "000", "003")}"' in cluster
    assert dedup.count('<tr id="cl-') == 3  # 001, 002, 004 alone


def test_graph_page_of_the_corpus(corpus_site):
    files = _tree(corpus_site[1])
    graph = files["graph.html"].decode("utf-8")
    edges = re.findall(r'<a href="([^"]+)" class="ea"><path class="e (reuse|citation)( unc)?"', graph)
    reuse = sorted(h for h, kind, _ in edges if kind == "reuse")
    assert reuse == sorted(
        [_pair_name(files, "002", "004"), _pair_name(files, "002", "000"), _pair_name(files, "004", "000")]
    )
    # 002 -> 004 is established (002 is earlier and 004 cites nothing later); the edges to 000 are not
    assert (_pair_name(files, "002", "004"), "reuse", "") in edges
    assert len([e for e in edges if e[1] == "citation"]) == 7
    nodes = re.findall(r'<a href="([^"]+)" class="na" id="[^"]+"><circle class="n ([^"]+)"', graph)
    assert len(nodes) == 11 and len([n for n in nodes if "ext" in n[1]]) == 7
    for href, _ in nodes + [(h, k) for h, k, _ in edges]:
        path = href.split("#")[0]
        assert path in files, href  # every node and edge opens a page of the site
    assert "中国制造2025" in graph and "cited, not in the corpus" in graph


def test_pair_and_provenance_pages_of_the_corpus(corpus_site):
    files = _tree(corpus_site[1])
    page = files[_pair_name(files, "000", "003")].decode("utf-8")
    # the one textual difference of the copy: a comma after 到2025年 that 003 does not have
    assert re.search(r'<div class="s" data-u="[^"]+">到2025年<del>,</del>培育', page)
    assert 'class="bd modified">modified</span>' in page and len(page.encode("utf-8")) < 300_000
    _, prov = _page(files, "provenance/004-")
    assert re.search(r'<a href="\.\./documents/002-[^"]+" lang="zh">中国制造2025绍兴实施方案</a>', prov)
    assert "side by side" in prov and 'class="m c0 ' in prov


def test_warm_and_cold_runs_write_the_same_bytes(corpus_site, corpus_paths, tmp_path, run_cli):
    _, out, db = corpus_site
    first = _tree(out)
    r = run_cli("report", os.path.dirname(corpus_paths["000"]), "--out", out, "--db", db)  # warm, not quiet
    assert r.exit_code == 0
    assert "5 documents, 16 pages written (and 5 static files), " in r.stderr
    assert _tree(out) == first
    r = run_cli("report", *corpus_paths.values(), "--out", str(tmp_path / "o"), "--db", str(tmp_path / "d"), "-q")
    assert r.exit_code == 0 and _tree(str(tmp_path / "o")) == first  # files named one by one: same site


def test_json_summary(corpus_site, corpus_paths, tmp_path, run_cli):
    _, _, db = corpus_site
    out = str(tmp_path / "site")
    (tmp_path / "bad.txt").write_bytes(b"\x00\x01binary")
    r = run_cli("report", *corpus_paths.values(), str(tmp_path / "bad.txt"), "--out", out, "--db", db, "--json", "-q")
    assert r.exit_code == 0
    d = json.loads(r.stdout)
    assert d["index"] == os.path.join(d["out"], "index.html") and os.path.isfile(d["index"])
    assert d["documents"] == 5 and d["files"] == len(_tree(out)) == sum(len(fs) for _, _, fs in os.walk(out)) - 1
    assert d["pages"]["documents"] == 5 and d["pages"]["pairs"] >= 4 and d["pages"]["provenance"] >= 2
    assert set(d["seconds"]) >= {"ingesting", "deduplicating", "building the graph", "writing report"}
    assert [s["path"] for s in d["skipped"]] == [str(tmp_path / "bad.txt")]


def test_nothing_readable_writes_nothing(tmp_path, run_cli):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    r = run_cli("report", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--db", str(tmp_path / "db"), "-q")
    assert r.exit_code == 1 and "empty.txt: empty file" in r.stderr
    # said even with -q: no report was written
    assert f"no document could be read: no report written to {tmp_path / 'out'}" in r.stderr
    assert not (tmp_path / "out").exists()


def test_one_document_is_one_document(corpus_paths, tmp_path, run_cli):
    r = run_cli("report", corpus_paths["001"], "--out", str(tmp_path / "o"), "--db", str(tmp_path / "db"))
    assert r.exit_code == 0
    assert re.search(
        r"^1 document, 5 pages written \(and 5 static files\), [0-9.]+ MiB in [0-9.]+ s -> ", r.stderr, re.M
    ), r.stderr


# -- the output folder: the report owns only what it wrote ---------------------------------------------------


def _refused(r, out: str, why: str, db: str) -> None:
    """Exit 2, one line naming the folder and the reason, and nothing run (the database was never opened)."""
    assert r.exit_code == 2, r.output
    assert r.stderr.count("\n") == 1 and why in r.stderr and out in r.stderr, r.stderr
    assert r.stdout == "" and not os.path.exists(db)


def test_a_folder_it_did_not_write_is_refused_before_the_pipeline(corpus_paths, tmp_path, run_cli):
    out = tmp_path / "u"
    (out / "documents").mkdir(parents=True)
    (out / "documents" / "thesis.docx").write_bytes(b"x\n")
    (out / "index.html").write_bytes(b"mine\n")
    db = str(tmp_path / "db")
    r = run_cli("report", os.path.dirname(corpus_paths["000"]), "--out", str(out), "--db", db)
    _refused(r, str(out), "not empty and not written by lineage report", db)
    assert _tree(str(out)) == {"documents/thesis.docx": b"x\n", "index.html": b"mine\n"}
    # a README-only folder too: lineage writes only into a folder it made (or an empty one)
    readme = tmp_path / "reports"
    readme.mkdir()
    (readme / "README.md").write_text("generated output lives here\n")
    _refused(run_cli("report", corpus_paths["001"], "--out", str(readme), "--db", db), str(readme), "not empty", db)
    assert os.listdir(readme) == ["README.md"]


def test_the_inputs_folder_is_refused_and_untouched(corpus_paths, tmp_path, run_cli):
    inp = tmp_path / "in"
    (inp / "documents").mkdir(parents=True)
    for p in corpus_paths.values():
        (inp / "documents" / os.path.basename(p)).write_bytes(open(p, "rb").read())
    before, db = _tree(str(inp)), str(tmp_path / "db")
    _refused(run_cli("report", str(inp), "--out", str(inp), "--db", db), str(inp), "holds input files", db)
    _refused(
        run_cli("report", str(inp), "--out", str(inp / "site"), "--db", db),
        str(inp / "site"),
        "inside the input folder",
        db,
    )
    assert _tree(str(inp)) == before and sorted(os.listdir(tmp_path)) == ["in"]


def test_a_rerun_keeps_the_users_files_and_refuses_to_overwrite_a_changed_page(corpus_paths, tmp_path, run_cli):
    out, db = tmp_path / "reports", str(tmp_path / "db")
    assert (
        run_cli("report", corpus_paths["001"], corpus_paths["002"], "--out", str(out), "--db", db, "-q").exit_code == 0
    )
    (out / "README.md").write_text("notes\n")
    (out / "documents" / "thesis.docx").write_bytes(b"x")
    assert run_cli("report", corpus_paths["001"], "--out", str(out), "--db", db, "-q").exit_code == 0
    files = _tree(str(out))
    assert files["README.md"] == b"notes\n" and files["documents/thesis.docx"] == b"x"
    assert len([p for p in files if p.startswith("documents/") and p.endswith(".html")]) == 1  # 002's page went
    (out / "graph.html").write_text("my edited graph")
    before = _tree(str(out), record=True)
    r = run_cli("report", corpus_paths["001"], "--out", str(out), "--db", db, "-q")
    assert r.exit_code == 2 and r.stderr.count("\n") == 1
    assert f"{out}/graph.html: changed since lineage wrote it" in r.stderr
    assert _tree(str(out), record=True) == before


@pytest.mark.parametrize("bad", ["/proc/lineage-report", "file/site", "file"])
def test_an_impossible_out_fails_in_one_line_before_the_pipeline(bad, corpus_paths, tmp_path, run_cli):
    (tmp_path / "file").write_text("a regular file")
    out = bad if bad.startswith("/") else str(tmp_path / bad)
    db = str(tmp_path / "db")
    r = run_cli("report", corpus_paths["001"], "--out", out, "--db", db)
    _refused(r, out, "not a folder" if bad == "file" else "cannot create the folder", db)
    assert (tmp_path / "file").read_text() == "a regular file"


def test_a_read_only_parent_fails_in_one_line_before_the_pipeline(corpus_paths):
    """As a user who cannot write there (root can write anywhere: the run drops to nobody)."""
    tmp = tempfile.mkdtemp(prefix="lineage-ro-")
    try:
        os.chmod(tmp, 0o755)
        ro = os.path.join(tmp, "ro")
        os.mkdir(ro, 0o555)
        os.chmod(ro, 0o555)
        as_user = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] if os.getuid() == 0 else []
        db, out = os.path.join(tmp, "db"), os.path.join(ro, "site")
        try:
            probe = subprocess.run(as_user + [sys.executable, "-c", "import lineage"], capture_output=True)
        except OSError:
            probe = None
        if probe is None or probe.returncode != 0:
            pytest.skip("cannot run lineage as another user here")
        r = subprocess.run(
            as_user + [sys.executable, "-m", "lineage", "report", corpus_paths["001"], "--out", out, "--db", db],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert r.returncode == 2 and r.stderr == f"Error: {out}: cannot create the folder (Permission denied)\n"
        assert r.stdout == "" and os.listdir(tmp) == ["ro"] and os.listdir(ro) == []
    finally:
        os.chmod(os.path.join(tmp, "ro"), 0o755)
        shutil.rmtree(tmp)


# -- golden pages -----------------------------------------------------------------------------------------


def _normalize(html: str) -> str:
    return html.replace(f'content="lineage {__version__}"', 'content="lineage VERSION"').replace(
        f"<footer>lineage {__version__}</footer>", "<footer>lineage VERSION</footer>"
    )


def _golden(name: str, html: str) -> None:
    path = os.path.join(GOLDEN, name)
    got = _normalize(html)
    if UPDATE or not os.path.exists(path):
        if not UPDATE:
            pytest.fail(f"no golden file {name}; run with LINEAGE_UPDATE_GOLDEN=1 to create it")
        os.makedirs(GOLDEN, exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(got)
        return
    with open(path, encoding="utf-8", newline="") as f:
        want = f.read()
    if got != want:
        a, b = want.splitlines(), got.splitlines()
        i = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
        pytest.fail(
            f"{name} differs from the golden file at line {i + 1}:\n"
            f"  golden: {a[i] if i < len(a) else '<end>'}\n  got:    {b[i] if i < len(b) else '<end>'}\n"
            "(LINEAGE_UPDATE_GOLDEN=1 regenerates it)"
        )


def test_golden_corpus_index(corpus_site):
    _, out, _ = corpus_site
    _golden("corpus-index.html", open(os.path.join(out, "index.html"), encoding="utf-8").read())


def test_golden_corpus_document_page(corpus_site):
    _, out, _ = corpus_site
    (name,) = [f for f in os.listdir(os.path.join(out, "documents")) if f.startswith("004-")]
    _golden("corpus-document-004.html", open(os.path.join(out, "documents", name), encoding="utf-8").read())


@pytest.fixture(scope="module")
def fixture_files(corpus_paths, tmp_path_factory):
    res, _ = rf.fixture_results(corpus_paths, str(tmp_path_factory.mktemp("golden")))
    return dict(build(res, lang="en"))


def test_golden_pair_page(fixture_files):
    (path,) = [p for p in fixture_files if p.startswith("pairs/") and "sx-derived" in p]
    _golden("fixture-pair.html", fixture_files[path].decode("utf-8"))


def test_golden_graph_page(fixture_files):
    _golden("fixture-graph.html", fixture_files["graph.html"].decode("utf-8"))


def test_golden_files_are_what_the_tests_compare():
    names = sorted(f for f in os.listdir(GOLDEN) if f.endswith(".html"))
    # the .zh pages: tests/test_i18n_report.py
    assert names == [
        "corpus-document-004.html",
        "corpus-document-004.zh.html",
        "corpus-glossary.zh.html",
        "corpus-index.html",
        "corpus-index.zh.html",
        "fixture-graph.html",
        "fixture-graph.zh.html",
        "fixture-pair.html",
        "fixture-pair.zh.html",
    ]
    for n in names:
        text = open(os.path.join(GOLDEN, n), encoding="utf-8").read()
        assert "lineage VERSION" in text and not re.search(r"/tmp/|/work/|pytest-of", text), n


def test_same_bytes_whatever_the_hash_seed(corpus_paths, tmp_path):
    import subprocess
    import sys

    trees = []
    for seed in ("1", "2"):
        out = tmp_path / f"o{seed}"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "lineage",
                "report",
                os.path.dirname(corpus_paths["000"]),
                "--out",
                str(out),
                "--db",
                str(tmp_path / f"db{seed}"),
                "-q",
                "-j",
                "1",
            ],
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            stdout=subprocess.DEVNULL,
        )
        trees.append(_tree(str(out)))
    assert trees[0] == trees[1] and len(trees[0]) == 21  # 16 pages, 5 static files


def test_the_pages_say_why_an_input_was_not_read_in_the_pages_language(corpus_paths, tmp_path, run_cli):
    (tmp_path / "bad.txt").write_bytes(b"%PDF-1.7 scanned")
    for lang, said in (("zh", "二进制文件：PDF 文件"), ("en", "binary: a PDF file")):
        out = tmp_path / f"site-{lang}"
        args = (corpus_paths["001"], str(tmp_path / "bad.txt"), "--out", str(out), "--db", str(tmp_path / "db"))
        r = run_cli("report", *args, "--lang", lang, "-q")
        assert r.exit_code == 0, r.stderr
        page = (out / "index.html").read_text(encoding="utf-8")
        assert re.search(r"<code>[^<]*bad\.txt</code>: " + re.escape(said) + "</li>", page), lang
