"""Packaging: the build declares every folder it ships, so installing prints no setuptools warnings."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from conftest import ROOT

DATA_FILES = [
    "lineage/data/divisions.tsv",
    "lineage/data/policy_terms.txt",
    "lineage/report/templates/index.html.j2",
    "lineage/report/templates/base.html.j2",
    "lineage/report/static/report.css",
    "lineage/report/static/report.js",
    "lineage/report/static/graph.js",
    "lineage/report/static/cytoscape.min.js",
    "lineage/report/static/cytoscape-license.txt",
    "lineage/report/templates/_graphview.html.j2",
    "lineage/serve/templates/list.html.j2",
    "lineage/serve/static/serve.css",
    "lineage/serve/static/serve.js",
    "lineage/data/locale/zh/serve.json",
]


def test_build_declares_the_data_folders_and_ships_their_files(tmp_path):
    # A copy of the sources: the build writes lineage.egg-info beside setup.cfg.
    src = tmp_path / "src"
    src.mkdir()
    for name in ("setup.cfg", "pyproject.toml", "README.md"):
        shutil.copy(os.path.join(ROOT, name), src / name)
    shutil.copytree(os.path.join(ROOT, "lineage"), src / "lineage", ignore=shutil.ignore_patterns("__pycache__"))
    (src / "lineage" / "__pycache__").mkdir()  # as a test run leaves it: never a package
    out = tmp_path / "build"
    r = subprocess.run(
        [sys.executable, "-c", "import setuptools; setuptools.setup()", "build_py", "--build-lib", str(out)],
        cwd=src,
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr
    log = r.stdout + r.stderr
    # setuptools' "Package 'lineage.data' is absent from the `packages` configuration" /
    # "Installing 'lineage.data' as data is deprecated" pages
    assert "Warning" not in log and "absent from" not in log and "as data is deprecated" not in log, log
    for f in DATA_FILES:
        assert (out / f).is_file(), f
    assert not list(out.rglob("__pycache__"))
