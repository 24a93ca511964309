"""lineage.owned: an output folder where lineage replaces and removes only files it wrote."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest
from folder_tree import tree

from lineage.owned import RECORD, OutputError, OwnedDir


def _write(path, files: dict[str, bytes], tool: str = "lineage test", **kw) -> None:
    with OwnedDir(str(path), tool, **kw) as d:
        for rel, data in files.items():
            d.stage(rel, data)
        d.commit(kw.get("inputs", ()))


def test_a_run_that_writes_nothing_leaves_no_trace(tmp_path):
    new, empty = tmp_path / "new", tmp_path / "empty"
    empty.mkdir()
    for p in (new, empty):
        d = OwnedDir(str(p), "lineage test").open()
        assert os.path.isfile(p / RECORD)  # owned from the start: an interrupted first run leaves a known folder
        d.close()
    assert not new.exists()  # made by the run: removed
    assert empty.is_dir() and os.listdir(empty) == []  # the user's empty folder stays


def test_a_second_run_on_the_same_folder_is_refused_while_the_first_holds_it(tmp_path):
    first = OwnedDir(str(tmp_path / "out"), "lineage test").open()
    try:
        with pytest.raises(OutputError, match="another lineage run is writing to this folder"):
            OwnedDir(str(tmp_path / "out"), "lineage test").open()
    finally:
        first.close()
    _write(tmp_path / "out", {"a.html": b"A"})


def test_another_commands_folder_is_refused(tmp_path):
    _write(tmp_path / "out", {"v-1.txt": b"x"}, tool="lineage dedup")
    with pytest.raises(OutputError, match="written by lineage dedup, not lineage report"):
        OwnedDir(str(tmp_path / "out"), "lineage report").open()
    (tmp_path / "out" / RECORD).write_text("{not json")
    with pytest.raises(OutputError, match="not a record lineage can read"):
        OwnedDir(str(tmp_path / "out"), "lineage dedup").open()
    (tmp_path / "out" / RECORD).write_text(
        json.dumps({"tool": "lineage dedup", "files": {"../../etc/x": {"size": 1, "sha256": "0"}}})
    )
    with pytest.raises(OutputError, match="outside the output folder"):
        OwnedDir(str(tmp_path / "out"), "lineage dedup").open()


def test_inputs_are_never_touched(tmp_path):
    inp = tmp_path / "in"
    (inp / "documents").mkdir(parents=True)
    (inp / "documents" / "a.txt").write_text("text")
    with pytest.raises(OutputError, match="holds input files"):
        OwnedDir(str(inp), "lineage test", inputs=[str(inp)]).open()
    with pytest.raises(OutputError, match="holds input files"):
        OwnedDir(str(tmp_path), "lineage test", inputs=[str(inp / "documents" / "a.txt")]).open()
    with pytest.raises(OutputError, match="inside the input folder"):
        OwnedDir(str(inp / "site"), "lineage test", inputs=[str(inp)]).open()
    assert tree(inp) == {"documents/a.txt": b"text"} and sorted(os.listdir(tmp_path)) == ["in"]
    # an input that is one of the folder's own files (reached some other way): refused on commit
    out = tmp_path / "out"
    _write(out, {"a.txt": b"A"})
    with OwnedDir(str(out), "lineage test") as d:
        d.stage("a.txt", b"B")
        with pytest.raises(OutputError, match=r"a\.txt: is an input file"):
            d.commit(protect=[str(out / "a.txt")])
    assert (out / "a.txt").read_bytes() == b"A"


def test_a_folder_replaced_by_a_symlink_is_not_written_through(tmp_path):
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    _write(out, {"index.html": b"1", "documents/a.html": b"A"})
    elsewhere.mkdir()
    os.unlink(out / "documents" / "a.html")
    os.rmdir(out / "documents")
    (out / "documents").symlink_to(elsewhere)
    with pytest.raises(OutputError, match=r"documents/a\.html: in the way of the output"):
        _write(out, {"index.html": b"2", "documents/a.html": b"B"})
    assert os.listdir(elsewhere) == [] and (out / "index.html").read_bytes() == b"1"


def test_a_killed_commit_is_completed_by_the_next_run(tmp_path):
    """kill -9 half-way through the renames: the journal still names every file as lineage's."""
    out = tmp_path / "out"
    old = {f"documents/{i}.html": b"old %d" % i for i in range(6)} | {"index.html": b"old index"}
    new = {f"documents/{i}.html": b"new %d" % i for i in range(2, 8)} | {"index.html": b"new index"}
    _write(out, old)
    script = textwrap.dedent(f"""
        import os, sys
        from lineage.owned import OwnedDir
        renames = 0
        real = os.replace
        def replace(a, b):
            global renames
            if not b.endswith(".lineage-output.json"):
                renames += 1
                if renames == 3:
                    os.kill(os.getpid(), 9)
            real(a, b)
        os.replace = replace
        d = OwnedDir({str(out)!r}, "lineage test").open()
        for rel, data in {new!r}.items():
            d.stage(rel, data)
        d.commit()
    """)
    r = subprocess.run([sys.executable, "-c", script], capture_output=True)
    assert r.returncode == -9, r.stderr
    left = tree(out)
    assert any(v.startswith(b"new") for v in left.values()) and any(v.startswith(b"old") for v in left.values())
    assert [n for n in os.listdir(out) if n.startswith(".lineage-tmp-")]  # the killed run's staging folder
    _write(out, new)
    assert {k: v for k, v in tree(out).items() if k != RECORD} == new
    assert not [n for n in os.listdir(out) if n.startswith(".lineage-tmp-")]
    assert sorted(os.listdir(tmp_path)) == ["out"]


def test_files_are_moved_in_leaves_first_and_index_last(tmp_path, monkeypatch):
    order = []
    real = os.replace
    monkeypatch.setattr(os, "replace", lambda a, b: (order.append(os.path.basename(b)), real(a, b)))
    _write(tmp_path / "out", {"index.html": b"i", "graph.html": b"g", "pairs/p.html": b"p", "static/s.css": b"s"})
    assert [n for n in order if n != RECORD] == ["p.html", "s.css", "graph.html", "index.html"]
