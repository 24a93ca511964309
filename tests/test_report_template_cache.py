"""Compiled templates are kept between runs (jinja2's bytecode cache, in its per-user folder of the temporary
directory): compiling them was 0.8 s of a warm report of the sample corpus.  A cache folder that is not the
user's own is not used, and the report is the same either way."""

from __future__ import annotations

import filecmp
import os
import subprocess
import sys

CORPUS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "corpus")


def _report(tmp_path, tmp: str, out: str) -> None:
    env = {**os.environ, "TMPDIR": tmp}
    args = [
        sys.executable,
        "-m",
        "lineage",
        "report",
        CORPUS,
        "--out",
        str(tmp_path / out),
        "--db",
        str(tmp_path / "db"),
    ]
    r = subprocess.run([*args, "--quiet"], capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stderr


def _same_site(a, b) -> bool:
    cmp = filecmp.dircmp(a, b)
    files = [os.path.relpath(os.path.join(d, f), a) for d, _, fs in os.walk(a) for f in fs]
    match, mismatch, errors = filecmp.cmpfiles(a, b, files, shallow=False)
    return not (cmp.left_only or cmp.right_only or mismatch or errors) and bool(match)


def test_compiled_templates_are_kept_and_read_again(tmp_path):
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    _report(tmp_path, str(tmp), "first")
    cache = tmp / f"_jinja2-cache-{os.getuid()}"  # (jieba keeps its dictionary's cache beside it)
    assert cache.is_dir() and oct(cache.stat().st_mode & 0o777) == "0o700"
    entries = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    assert len(entries) >= 8 and all(n.endswith(".cache") for n in entries)
    _report(tmp_path, str(tmp), "second")
    # read, not written again: the same entries, untouched
    assert {p.name: p.stat().st_mtime_ns for p in cache.iterdir()} == entries
    assert _same_site(tmp_path / "first", tmp_path / "second")


def test_a_cache_folder_that_is_not_the_users_own_is_not_used(tmp_path):
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    planted = tmp / f"_jinja2-cache-{os.getuid()}"
    planted.write_text("not a folder\n", encoding="utf-8")  # where the cache folder would be
    _report(tmp_path, str(tmp), "first")
    assert planted.read_text(encoding="utf-8") == "not a folder\n"
    assert not [n for n in os.listdir(tmp) if n.startswith(("_jinja2", "__jinja2")) and n != planted.name]
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    _report(tmp_path, str(fresh), "second")
    assert _same_site(tmp_path / "first", tmp_path / "second")
