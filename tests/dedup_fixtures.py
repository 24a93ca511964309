"""Generated scraped copies for the dedup tests, made once per session whichever module asks first."""

from __future__ import annotations

import os
import sys

import pytest

from lineage.dedup import pipeline as D
from lineage.store import Store

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_MADE: dict[str, object] = {}


def generate_scraped(out: str, seed: int, mb: float) -> dict:
    """bench/generate.py's scraped kind (copies, revisions, hard negatives), with its gold."""
    sys.path.insert(0, ROOT)
    try:
        from bench.generate import generate
    finally:
        sys.path.remove(ROOT)
    return generate("scraped", out, seed=seed, mb=mb, jobs=1)


@pytest.fixture(scope="session")
def scraped(tmp_path_factory):
    """About 100 generated scraped pages and their gold: (directory, gold dict)."""
    if "scraped" not in _MADE:
        out = str(tmp_path_factory.mktemp("scraped"))
        _MADE["scraped"] = (out, generate_scraped(out, seed=11, mb=2))
    return _MADE["scraped"]


@pytest.fixture(scope="session")
def scraped_result(scraped, tmp_path_factory):
    """Those pages ingested and deduplicated: (result, ingest report, database path)."""
    if "result" not in _MADE:
        out, _ = scraped
        db = str(tmp_path_factory.mktemp("db") / "scraped.db")
        with Store(db) as store:
            result, report = D.dedup_paths([os.path.join(out, "docs")], store, jobs=2)
        _MADE["result"] = (result, report, db)
    return _MADE["result"]
