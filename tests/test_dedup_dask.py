"""The Dask engine on a real LocalCluster with two workers gives exactly the local engine's clusters."""

from __future__ import annotations

import os

import pytest

from lineage.dedup import pipeline as D
from lineage.store import Store

pytest.importorskip("dask.distributed")

from dedup_fixtures import scraped, scraped_result  # noqa: F401  (fixtures)

from lineage.dedup.dask_engine import DaskEngine
from lineage.dedup.engine import pending


@pytest.fixture(scope="module")
def engine():
    with DaskEngine(workers=2) as eng:
        yield eng


def test_two_workers(engine):
    assert engine.workers == 2


def test_dask_equals_local_on_generated_copies(scraped, scraped_result, engine):
    _, _, db = scraped_result
    with Store(db) as store:
        store.db.execute("DELETE FROM results WHERE kind=?", (D.PAIRS_KIND,))
        local = D.dedup(store, save=False)
        store.db.execute("DELETE FROM results WHERE kind=?", (D.PAIRS_KIND,))
        plan_pairs = []

        class Spy:
            """The Dask engine, recording what it found."""

            name = "dask"

            def candidates(self, plan, progress):
                pairs = engine.candidates(plan, progress)
                plan_pairs.append(pairs)
                return pairs

            def prefetch(self, plan, pairs, progress, mode="screen", walk=False):
                engine.prefetch(plan, pairs, progress, mode, walk)
                assert not pending(plan, pairs, mode)  # every pair compared on the workers

        distributed = D.dedup(store, engine=Spy(), save=False)
    assert local.stats["candidate_pairs"] == len(plan_pairs[0]) > 50
    a, b = local.to_dict(), distributed.to_dict()
    assert a["clusters"] == b["clusters"]
    assert a["related"] == b["related"]
    assert local.stats["compared_pairs"] == distributed.stats["compared_pairs"]


def test_dask_equals_local_on_the_corpus(corpus_paths, tmp_path, engine):
    with Store(str(tmp_path / "c.db")) as store:
        local, _ = D.dedup_paths(list(corpus_paths.values()), store)
        store.db.execute("DELETE FROM results WHERE kind=?", (D.PAIRS_KIND,))
        remote = D.dedup(store, engine=engine, save=False)
    assert local.to_dict()["clusters"] == remote.select(paths=list(corpus_paths.values())).to_dict()["clusters"]
    c = remote.cluster_of_path(os.path.abspath(corpus_paths["000"]))
    assert c is remote.cluster_of_path(os.path.abspath(corpus_paths["003"]))
