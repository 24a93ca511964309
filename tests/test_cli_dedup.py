"""`lineage dedup` through the real CLI: JSON, text, --out directories, bad inputs, engines."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil

import pytest


def _digest(folder) -> dict[str, tuple[str, int]]:
    out = {}
    for root, _, names in os.walk(folder):
        for n in names:
            p = os.path.join(root, n)
            out[p] = (hashlib.sha256(open(p, "rb").read()).hexdigest(), os.stat(p).st_mtime_ns)
    return out


@pytest.fixture()
def corpus_copy(tmp_path, corpus_paths):
    d = tmp_path / "in"
    d.mkdir()
    for p in corpus_paths.values():
        shutil.copy2(p, d / os.path.basename(p))
    return d


def test_json_on_the_corpus(run_cli, db_path, corpus_copy):
    r = run_cli("dedup", str(corpus_copy), "--db", db_path, "--json", "--quiet")
    assert r.exit_code == 0, r.stderr
    out = json.loads(r.stdout)
    assert set(out) == {"clusters", "related", "same_text", "skipped", "stats"}
    assert out["same_text"] == []  # the corpus holds no text issued by two governments
    assert out["skipped"] == [] and out["related"] == []
    assert len(out["clusters"]) == 4
    by_name = {os.path.basename(p)[:3]: c for c in out["clusters"] for p in c["members"]}
    assert by_name["000"] is by_name["003"]
    c = by_name["000"]
    assert set(c) >= {"id", "canonical", "reason", "members", "details", "family"}
    assert os.path.basename(c["canonical"]).startswith("000")
    for p in c["members"]:
        d = c["details"][p]
        assert set(d) >= {"relation", "containment", "similarity", "differences", "sha256"}
    assert sorted(d["relation"] for d in c["details"].values()) in (["canonical", "noisy"], ["canonical", "formatting"])
    # every input in exactly one cluster
    members = [p for c in out["clusters"] for p in c["members"]]
    assert sorted(members) == sorted(str(corpus_copy / n) for n in os.listdir(corpus_copy))


def test_text_output_and_second_run(run_cli, db_path, corpus_copy):
    r = run_cli("dedup", str(corpus_copy), "--db", db_path)
    assert r.exit_code == 0
    assert "canonical" in r.stdout and "2 copies" in r.stdout and "制造强省建设行动计划" in r.stdout
    assert "4 versions" in r.stderr
    # a date with its kind, as graph and show give it: 001's 2023 is an estimate, no date its text states
    assert "先进制造业强省行动计划(2022—2025年)  2023 estimated\n" in r.stdout
    assert "  2020-03-13 signed\n" in r.stdout and "  2016-06-17 published\n" in r.stdout
    d = json.loads(run_cli("dedup", str(corpus_copy), "--db", db_path, "--json", "-q").stdout)
    assert {c["date_kind"] for c in d["clusters"]} == {"signed", "published", "estimated"}
    again = run_cli("dedup", str(corpus_copy), "--db", db_path, "--quiet")
    assert again.exit_code == 0 and again.stdout == r.stdout and again.stderr == ""


def test_out_directory(run_cli, db_path, corpus_copy, tmp_path):
    before = _digest(corpus_copy)
    out = tmp_path / "versions"
    r = run_cli("dedup", str(corpus_copy), "--db", db_path, "--out", str(out), "--quiet")
    assert r.exit_code == 0, r.stderr
    names = sorted(os.listdir(out))
    assert "manifest.csv" in names and "manifest.json" in names
    versions = [n for n in names if n.startswith("v-")]
    assert len(versions) == 4
    assert all(n.endswith(".txt") and n.replace("-", "").replace(".", "").isalnum() for n in versions)
    with open(out / "manifest.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 5 and {r["output"] for r in rows} == set(versions)
    by_file = {os.path.basename(r["path"])[:3]: r for r in rows}
    assert by_file["000"]["output"] == by_file["003"]["output"]
    # the version file is the canonical copy, byte for byte
    canon = by_file["000"]["canonical"]
    assert open(out / by_file["000"]["output"], "rb").read() == open(canon, "rb").read()
    manifest = json.load(open(out / "manifest.json", encoding="utf-8"))
    assert len(manifest["versions"]) == 4 and len(manifest["inputs"]) == 5
    assert _digest(corpus_copy) == before, "inputs are never modified"
    # a second run replaces the previous output; nothing is left behind beside it
    r = run_cli("dedup", str(corpus_copy), "--db", db_path, "--out", str(out), "--link", "--quiet")
    assert r.exit_code == 0
    assert sorted(os.listdir(out)) == names
    assert os.stat(out / by_file["000"]["output"]).st_ino == os.stat(canon).st_ino  # hard link
    assert not [n for n in os.listdir(tmp_path) if n.startswith(".lineage-")]
    assert _digest(corpus_copy) == before


def test_out_refuses_to_replace_other_things(run_cli, db_path, corpus_copy, tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me", encoding="utf-8")
    r = run_cli("dedup", str(corpus_copy), "--db", db_path, "--out", str(mine))
    assert r.exit_code != 0 and "refusing" in r.stderr
    assert os.listdir(mine) == ["notes.txt"]
    # an output directory holding the inputs would delete them
    r = run_cli("dedup", str(corpus_copy), "--db", db_path, "--out", str(corpus_copy))
    assert r.exit_code != 0 and "input" in r.stderr
    assert len(os.listdir(corpus_copy)) == 5


def test_out_keeps_the_users_files_and_never_overwrites_a_changed_one(run_cli, db_path, corpus_copy, tmp_path):
    out = tmp_path / "versions"
    assert run_cli("dedup", str(corpus_copy), "--db", db_path, "--out", str(out), "-q").exit_code == 0
    (out / "notes.txt").write_text("my notes on these versions", encoding="utf-8")
    assert run_cli("dedup", str(corpus_copy), "--db", db_path, "--out", str(out), "-q").exit_code == 0
    assert (out / "notes.txt").read_text(encoding="utf-8") == "my notes on these versions"
    (out / "manifest.csv").write_text("edited", encoding="utf-8")
    r = run_cli("dedup", str(corpus_copy), "--db", db_path, "--out", str(out), "-q")
    assert r.exit_code == 2 and r.stderr == (
        f"Error: {out}/manifest.csv: changed since lineage wrote it; lineage "
        "never overwrites or deletes it: move it out of the folder or delete "
        "it\n"
    )
    assert (out / "manifest.csv").read_text(encoding="utf-8") == "edited"
    # a report folder is not a dedup folder
    rep = tmp_path / "site"
    assert run_cli("report", str(corpus_copy), "--db", db_path, "--out", str(rep), "-q").exit_code == 0
    r = run_cli("dedup", str(corpus_copy), "--db", db_path, "--out", str(rep), "-q")
    assert r.exit_code == 2 and "written by lineage report, not lineage dedup" in r.stderr


def test_a_version_file_holds_the_bytes_the_manifest_names(run_cli, db_path, corpus_copy, tmp_path):
    """A copy edited since it was read, its size and mtime kept (cp -p, rsync -t), was copied out under the
    version's name: the file held other bytes than the manifest's sha256."""
    src = next(p for p in corpus_copy.iterdir() if p.name.startswith("004"))
    assert run_cli("dedup", str(corpus_copy), "--db", db_path, "-q").exit_code == 0
    st = os.stat(src)
    text = src.read_text(encoding="utf-8")
    edited = text.replace("2020年", "2021年", 1)
    assert edited != text and len(edited.encode()) == len(text.encode())
    src.write_text(edited, encoding="utf-8")
    os.utime(src, ns=(st.st_atime_ns, st.st_mtime_ns))
    out = tmp_path / "versions"
    r = run_cli("dedup", str(corpus_copy), "--db", db_path, "--out", str(out), "-q")
    assert r.exit_code == 1
    manifest = json.load(open(out / "manifest.json", encoding="utf-8"))
    (version,) = [v for v in manifest["versions"] if v["canonical"] == str(src)]
    assert version["file"] is None and version["not_written"] == "changed on disk since read"
    assert f"no file written for version {version['cluster']}: {src} changed on disk since it was read" in r.stderr
    # every file written holds the bytes its manifest row names
    with open(out / "manifest.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["output"] and row["canonical"] == row["path"]:
                assert hashlib.sha256((out / row["output"]).read_bytes()).hexdigest() == row["sha256"]
    assert len([n for n in os.listdir(out) if n.startswith("v-")]) == 3


@pytest.mark.parametrize("bad", ["/proc/lineage-dedup", "file/versions"])
def test_an_impossible_out_fails_in_one_line_before_dedup_runs(bad, run_cli, corpus_copy, tmp_path):
    (tmp_path / "file").write_text("x")
    out, db = (bad if bad.startswith("/") else str(tmp_path / bad)), str(tmp_path / "fresh.db")
    r = run_cli("dedup", str(corpus_copy), "--db", db, "--out", out)
    assert r.exit_code == 2 and r.stdout == "" and r.stderr.count("\n") == 1
    assert f"Error: {out}: cannot create the folder" in r.stderr
    assert not os.path.exists(db)  # nothing ran


def test_unreadable_inputs(run_cli, db_path, corpus_copy, tmp_path):
    bad = tmp_path / "bad.html"
    bad.write_bytes(b"")
    r = run_cli("dedup", str(corpus_copy), str(bad), str(tmp_path / "missing.txt"), "--db", db_path, "--json", "-q")
    assert r.exit_code == 0
    skipped = json.loads(r.stdout)["skipped"]
    assert {os.path.basename(s["path"]) for s in skipped} == {"bad.html", "missing.txt"}
    assert r.stderr.count("lineage: skipped") == 2
    only_bad = run_cli("dedup", str(bad), "--db", db_path, "-q")
    assert only_bad.exit_code == 1


def test_scheduler_needs_the_dask_engine(run_cli, db_path, corpus_copy):
    r = run_cli("dedup", str(corpus_copy), "--db", db_path, "--scheduler", "tcp://127.0.0.1:1")
    assert r.exit_code == 2 and "--engine dask" in r.stderr


def test_dask_engine_from_the_cli(run_cli, db_path, corpus_copy):
    pytest.importorskip("dask.distributed")
    local = run_cli("dedup", str(corpus_copy), "--db", db_path, "--json", "-q")
    remote = run_cli("dedup", str(corpus_copy), "--db", db_path, "--json", "-q", "--engine", "dask", "-j", "2")
    assert remote.exit_code == 0, remote.stderr
    a, b = json.loads(local.stdout), json.loads(remote.stdout)
    assert a["clusters"] == b["clusters"]
    assert b["stats"]["engine"] == "dask"


def test_help(run_cli):
    r = run_cli("dedup", "--help")
    assert r.exit_code == 0
    for opt in ("--threshold", "--out", "--link", "--engine", "--scheduler", "--json", "--db", "--jobs"):
        assert opt in r.stdout


def test_the_reason_names_the_rule_that_decided_and_differences_name_the_layout(run_cli, tmp_path, corpus_paths):
    """A review found "fewest parser warnings" where six copies had none and the smallest sha256 decided (a
    GB18030 copy kept over plain UTF-8 ones), and every copy described as "the same body text" whatever its
    page chrome, punctuation, wraps or line ends."""
    from dedup_fixtures import write_reprints

    with open(corpus_paths["003"], encoding="utf-8") as f:
        files = write_reprints(f.read(), str(tmp_path / "scraped"))
    os.remove(files[-1])  # the revision: another version
    os.remove(files[-2])  # U+3000 indents: as plain as a_copy, and the smallest sha256 would decide
    out = tmp_path / "kept"
    r = run_cli("dedup", str(tmp_path / "scraped"), "--db", str(tmp_path / "d.db"), "--out", str(out), "--json", "-q")
    assert r.exit_code == 0, r.stderr
    (c,) = json.loads(r.stdout)["clusters"]
    assert os.path.basename(c["canonical"]) == "a_copy.txt"  # plain UTF-8, full-width, no chrome, LF
    # a_copy, e_gb18030 and f_bom are the plainest; of them the UTF-8 one without a BOM
    assert c["reason"] == "complete body (7,362 characters); encoded utf-8 (the other copies are equal)"
    diff = {os.path.basename(p): m["differences"] for p, m in c["details"].items()}
    assert diff["b_halfwidth.txt"] == "half-width punctuation; the same body text"
    assert diff["c_footer.txt"].startswith("page chrome set aside (") and "footer" in diff["c_footer.txt"]
    assert diff["d_wrapped.txt"] == "hard-wrapped lines (re-joined); the same body text"
    assert diff["e_gb18030.txt"] == "encoded gb18030; the same body text"
    assert diff["g_crlf.txt"] == "CRLF line ends; the same body text"
    with open(out / "manifest.csv", encoding="utf-8") as f:
        enc = {os.path.basename(row["path"]): row["encoding"] for row in csv.DictReader(f)}
    assert enc["e_gb18030.txt"] == "gb18030" and enc["a_copy.txt"] == "utf-8" and enc["f_bom.txt"] == "utf-8-sig"
    # in Chinese, every phrase translated
    r = run_cli("dedup", str(tmp_path / "scraped"), "--db", str(tmp_path / "d.db"), "--lang", "zh", "-q")
    assert "半角标点；正文相同" in r.stdout and "已剔除网页附属内容（" in r.stdout and "the same body" not in r.stdout
