"""Inputs every command reads: folders walked once, symlinks followed once, what cannot be read
reported in one line each while the batch goes on, and document references that say what is wrong."""

from __future__ import annotations

import ctypes
import hashlib
import json
import os
import shutil
import subprocess
import sys

import pytest

from lineage.ingest.read import iter_inputs


def rel(paths, root) -> list[str]:
    return [os.path.relpath(p, root) for p in paths]


def put(root, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("正文。\n", encoding="utf-8")


# -- the walk ---------------------------------------------------------------------------------


def test_a_symlinked_folder_is_followed(tmp_path):
    put(tmp_path, "in/a.txt", "elsewhere/b.txt", "elsewhere/deep/c.html")
    (tmp_path / "in" / "more").symlink_to(tmp_path / "elsewhere")
    files, problems = iter_inputs([str(tmp_path / "in")])
    assert rel(files, tmp_path) == ["in/a.txt", "in/more/b.txt", "in/more/deep/c.html"]
    assert problems == []


def test_a_folder_reached_twice_is_read_once_under_its_own_path_and_the_link_is_reported(tmp_path):
    put(tmp_path, "in/zz/a.txt", "in/zz/b.txt")
    (tmp_path / "in" / "aa").symlink_to("zz")  # sorts first, read second: files keep their real paths
    files, problems = iter_inputs([str(tmp_path / "in")])
    assert rel(files, tmp_path) == ["in/zz/a.txt", "in/zz/b.txt"]
    assert [(os.path.relpath(p, tmp_path), r) for p, r in problems] == [
        ("in/aa", f"symlink to a folder already read as {tmp_path / 'in' / 'zz'}")
    ]


def test_symlink_loops_and_broken_links_are_reported_once_each(tmp_path):
    put(tmp_path, "in/sub/a.txt")
    (tmp_path / "in" / "sub" / "up").symlink_to("..")  # os.walk(followlinks=True) would never end
    (tmp_path / "in" / "self.txt").symlink_to("self.txt")
    (tmp_path / "in" / "gone.txt").symlink_to("nowhere.txt")
    (tmp_path / "in" / "gone.png").symlink_to("nowhere.png")  # not a document: passed over, as any image
    files, problems = iter_inputs([str(tmp_path / "in")])
    assert rel(files, tmp_path) == ["in/sub/a.txt"]
    assert sorted((os.path.relpath(p, tmp_path), r) for p, r in problems) == [
        ("in/gone.txt", "broken symlink (to nowhere.txt)"),
        ("in/self.txt", "symlink loop"),
        ("in/sub/up", f"symlink loop: points back to {tmp_path / 'in'}"),
    ]


def test_named_paths_overlapping_or_repeated_are_read_once_without_noise(tmp_path):
    put(tmp_path, "in/a.txt", "in/sub/b.txt")
    (tmp_path / "link").symlink_to(tmp_path / "in")
    root = str(tmp_path / "in")
    files, problems = iter_inputs([root, root, str(tmp_path / "in" / "sub"), str(tmp_path / "in" / "a.txt")])
    assert rel(files, tmp_path) == ["in/a.txt", "in/sub/b.txt"] and problems == []
    files, problems = iter_inputs([str(tmp_path / "link"), root])  # a named symlink is a folder reached twice
    assert rel(files, tmp_path) == ["in/a.txt", "in/sub/b.txt"]
    assert [os.path.basename(p) for p, _ in problems] == ["link"]


# -- unreadable inputs, through every command -------------------------------------------------

_libc = ctypes.CDLL(None, use_errno=True)


def _without_root_file_access() -> None:
    """In the child, before exec: root loses the capabilities that read any file (CAP_DAC_OVERRIDE,
    CAP_DAC_READ_SEARCH), so chmod 000 means unreadable to it as to anyone."""
    for cap in (1, 2):
        if _libc.prctl(24, cap, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def lineage(*args: str, cwd=None) -> subprocess.CompletedProcess:
    """The real CLI in a child process where chmod 000 is unreadable, even when the tests run as root."""
    pre = _without_root_file_access if os.geteuid() == 0 else None
    return subprocess.run(
        [sys.executable, "-m", "lineage", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        preexec_fn=pre,
        env={**os.environ, "LINEAGE_DB": ""},
        timeout=600,
    )


@pytest.fixture()
def batch(tmp_path, corpus_paths):
    """Two readable documents, an unreadable one beside them and an unreadable subfolder."""
    root = tmp_path / "in"
    (root / "locked").mkdir(parents=True)
    for key in ("001", "004"):
        shutil.copy(corpus_paths[key], root)
    shutil.copy(corpus_paths["002"], root / "locked")
    secret = root / "secret.txt"
    shutil.copy(corpus_paths["000"], secret)
    secret.chmod(0)
    (root / "locked").chmod(0)
    probe = lineage("--version")
    assert probe.returncode == 0, probe.stderr
    yield root
    (root / "locked").chmod(0o755)


def _skipped(stderr: str) -> list[str]:
    return [ln for ln in stderr.splitlines() if ln.startswith("lineage: skipped")]


@pytest.mark.parametrize("command", ["ingest", "dedup", "graph", "report", "trace"])
def test_an_unreadable_file_or_folder_is_one_line_and_the_batch_goes_on(batch, tmp_path, command):
    secret, locked = batch / "secret.txt", batch / "locked"
    # the folder, and the unreadable file named on its own: click must not refuse it as a usage error
    inputs = [str(batch), str(secret)]
    if command == "trace":
        args = ["trace", str(next(batch.glob("004_*.txt"))), "--corpus", inputs[0], "--corpus", inputs[1]]
    else:
        args = [command, *inputs] + (["--out", str(tmp_path / "site")] if command == "report" else [])
    r = lineage(*args, "--db", str(tmp_path / "t.db"), "-q")
    assert r.returncode == 0, r.stderr
    assert sorted(_skipped(r.stderr)) == sorted(
        [
            f"lineage: skipped {locked}: cannot read folder: Permission denied",
            f"lineage: skipped {secret}: cannot read: Permission denied",
        ]
    ), r.stderr
    assert "Usage:" not in r.stderr and "Traceback" not in r.stderr


def test_nothing_readable_is_exit_code_1_and_the_json_lists_what_was_skipped(batch, tmp_path):
    secret, locked = batch / "secret.txt", batch / "locked"
    r = lineage("ingest", str(secret), str(locked), "--db", str(tmp_path / "t.db"), "--json", "-q")
    assert r.returncode == 1
    assert {x["path"] for x in json.loads(r.stdout)["skipped"]} == {str(secret), str(locked)}
    r = lineage("ingest", str(batch), str(secret), "--db", str(tmp_path / "t.db"))
    assert r.returncode == 0
    assert "2 documents (2 new, 0 unchanged, 0 already known), 1 file and 1 folder skipped" in r.stderr


# -- document references ----------------------------------------------------------------------


def test_show_a_folder_is_an_error_in_one_line(db_path, corpus_paths, run_cli):
    folder = os.path.dirname(corpus_paths["000"])
    for cmd in (["show", folder], ["align", folder, corpus_paths["001"]], ["trace", folder]):
        r = run_cli(*cmd, "--db", db_path, "-q")
        assert r.exit_code == 1
        assert (
            r.stderr == f"Error: {folder}: a folder, not a document (give one file or a sha256 prefix; "
            f"'lineage ingest {folder}' lists every document in it)\n"
        )
        assert r.stdout == ""


def test_a_short_unknown_or_ambiguous_sha256_prefix_says_which(db_path, corpus_paths, tmp_path, run_cli):
    # Two documents whose sha256 share their first 6 hex digits (found by trying numbered drafts).
    first: dict[str, bytes] = {}
    for i in range(1_000_000):
        data = f"关于印发制造强省建设行动计划的通知\n　　第{i}稿。\n".encode()
        key = hashlib.sha256(data).hexdigest()[:6]
        if key in first:
            break
        first[key] = data
    (tmp_path / "a.txt").write_bytes(first[key])
    (tmp_path / "b.txt").write_bytes(data)
    r = run_cli("ingest", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--db", db_path, "-q")
    assert r.exit_code == 0
    r = run_cli("show", key[:5], "--db", db_path)
    assert r.exit_code == 1
    assert r.stderr == f"Error: {key[:5]}: not a file, and a sha256 prefix needs at least 6 hex digits\n"
    r = run_cli("show", key, "--db", db_path)
    assert r.exit_code == 1
    shas = sorted(hashlib.sha256(d).hexdigest()[:12] for d in (first[key], data))
    assert r.stderr == (
        f"Error: {key}: not a file, and an ambiguous sha256 prefix: 2 documents in {db_path} "
        f"start with it ({', '.join(shas)}); give more digits\n"
    )
    other = "0123456789abcdef"[("0123456789abcdef".index(key[0]) + 1) % 16] + key[1:]
    r = run_cli("align", other, str(tmp_path / "a.txt"), "--db", db_path)
    assert r.exit_code == 1
    assert r.stderr == f"Error: {other}: not a file, and no document in {db_path} has a sha256 starting with it\n"
    r = run_cli("show", "no-such-plan.txt", "--db", db_path)
    assert r.exit_code == 1
    assert r.stderr == (
        f"Error: no-such-plan.txt: no such file, and no document in {db_path} matches it (by path or sha256 prefix)\n"
    )
    for ref in (shas[0], shas[0][:7].upper(), "b.txt"):  # enough digits, any case; a stored path's end
        r = run_cli("show", ref, "--db", db_path, "--units", "none")
        assert r.exit_code == 0, ref
