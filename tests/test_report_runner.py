"""The report's traces and pair alignments: which ones run, cached in the store, the same from worker processes."""

from __future__ import annotations

import os
import shutil

import pytest

from lineage.report import choose, pipeline, runner
from lineage.store import Store


@pytest.fixture()
def corpus_db(corpus_paths, tmp_path):
    db = str(tmp_path / "r.db")
    with Store(db) as store:
        res = pipeline.run([os.path.dirname(corpus_paths["000"])], store, jobs=1)
    return db, res


def _key(res, name: str) -> str:
    return next(d.sha256 for d in res.docs if os.path.basename(d.path).startswith(name))


def test_what_is_traced_and_aligned(corpus_db):
    _, res = corpus_db
    k = {n: _key(res, n) for n in ("000", "001", "002", "003", "004")}
    # traced: the versions the graph says reuse others, against those sources only (canonical copies); the edges
    # 004 - 2020 plan and 002 - 2020 plan have no direction, so each side is traced against the other
    assert choose.trace_calls(res) == [
        (k["000"], sorted([k["002"], k["004"]])),
        (k["002"], [k["000"]]),
        (k["004"], sorted([k["000"], k["002"]])),
    ]
    assert sorted(res.traces) == sorted([k["000"], k["002"], k["004"]])
    for sha, t in res.traces.items():
        assert {s["sha256"] for s in t["sources"]} <= {k["000"], k["002"], k["004"]} - {sha}
        assert t["target"]["sha256"] == sha
    # aligned: every reuse edge of the graph, and the copy 003 against its canonical copy 000
    assert sorted((a["sources"][0]["sha256"], a["target"]["sha256"]) for a in res.pairs) == sorted(
        [(k["002"], k["004"]), (k["002"], k["000"]), (k["004"], k["000"]), (k["000"], k["003"])]
    )


def test_without_the_graph_every_document_is_traced_against_the_others_but_its_copies(corpus_db):
    _, res = corpus_db
    res.graph = None
    calls = dict(choose.trace_calls(res))
    k = {n: _key(res, n) for n in ("000", "003", "004")}
    assert len(calls) == 5
    assert k["003"] not in calls[k["000"]] and k["000"] not in calls[k["003"]]
    assert sorted(calls[k["004"]]) == sorted(s for s in (d.sha256 for d in res.docs) if s != k["004"])


def test_a_warm_run_reads_the_results_from_the_store(corpus_db, monkeypatch):
    db, res = corpus_db

    def boom(*a, **kw):
        raise AssertionError("computed again")

    monkeypatch.setattr("lineage.graph.traced.trace_for_report", boom)
    monkeypatch.setattr("lineage.graph.traced.align_for_report", boom)
    with Store(db) as store:
        again = pipeline.run([os.path.dirname(res.docs[0].path)], store, jobs=1)
    assert again.traces == res.traces and again.pairs == res.pairs


def test_a_changed_corpus_invalidates_the_cached_results(corpus_db, tmp_path, monkeypatch):
    db, res = corpus_db
    calls = []
    real = runner._compute

    def spy(store, module, name, todo, ids, jobs):
        calls.append((name, len(todo)))
        return real(store, module, name, todo, ids, jobs)

    monkeypatch.setattr(runner, "_compute", spy)
    extra = tmp_path / "extra"
    extra.mkdir()
    shutil.copy(res.docs[0].path, extra / "moved-copy.txt")  # new document state: formulaic text may change
    (extra / "new.txt").write_text("一份新的文件。与其他文件无关。\n", encoding="utf-8")
    with Store(db) as store:
        pipeline.run([os.path.dirname(res.docs[0].path), str(extra)], store, jobs=1)
    assert ("trace_for_report", 3) in calls and any(n == "align_for_report" and k >= 4 for n, k in calls)


def test_worker_processes_give_the_same_results(corpus_db, monkeypatch):
    db, res = corpus_db
    monkeypatch.setattr(runner, "PARALLEL_MIN", 1)
    monkeypatch.setattr(runner, "CHUNK", 1)
    calls = [list(p) for p in choose.strong_pairs(res) + choose.copy_pairs(res)]
    with Store(db) as store:
        got = list(
            runner._compute(store, "lineage.graph.traced", "align_for_report", calls, list(range(len(calls))), 2)
        )
    assert [i for i, _ in got] == list(range(len(calls)))
    assert [r for _, r in got] == res.pairs
