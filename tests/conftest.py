"""Shared fixtures: the real corpus, fresh databases, parsed corpus documents."""

from __future__ import annotations

import glob
import os

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "corpus")

# Tests assert on English messages and pages: the locale of the machine running them must not switch them to
# Chinese (tests/test_i18n*.py choose the language, or clear this, where the language is what they test).
os.environ["LINEAGE_LANG"] = "en"


def corpus_file(prefix: str) -> str:
    (path,) = glob.glob(os.path.join(CORPUS, prefix + "_*.txt"))
    return path


@pytest.fixture(scope="session")
def corpus_paths() -> dict[str, str]:
    return {p: corpus_file(p) for p in ("000", "001", "002", "003", "004")}


@pytest.fixture(scope="session")
def corpus_docs(corpus_paths):
    from lineage.ingest.pipeline import load_file

    return {k: load_file(p) for k, p in corpus_paths.items()}


@pytest.fixture(scope="session")
def corpus_graph_db(corpus_paths, tmp_path_factory, run_cli) -> str:
    """The corpus and its lineage graph in one database (what `lineage graph corpus/` caches), built once for
    the serve tests that only read it."""
    from serve_fixtures import graph_db

    return graph_db(run_cli, os.path.dirname(corpus_paths["000"]), str(tmp_path_factory.mktemp("corpus-graph") / "db"))


@pytest.fixture()
def db_path(tmp_path) -> str:
    return str(tmp_path / "test.db")


@pytest.fixture(scope="session")
def run_cli():
    """Invoke the real CLI in-process; the result has .exit_code, .stdout, .stderr."""
    from click.testing import CliRunner

    from lineage.cli import cli

    def run(*args: str):
        return CliRunner().invoke(cli, list(args), catch_exceptions=False)

    return run
