"""Self-checks for the blind generator and scorer (bench/blind) on a small pool.

Run: python -m pytest bench/test_blind.py -q   (from the repo root)"""

from __future__ import annotations

import json
import os
import re

import pytest

from bench.blind.gen import NUMBER_CELL, SIBLING_BANK, TARGET_BANK, generate
from bench.blind.pool import Pool
from bench.blind.score import score
from bench.generate import generate as generate_pool


@pytest.fixture(scope="module")
def blind(tmp_path_factory):
    pool_dir = tmp_path_factory.mktemp("pool")
    generate_pool("trace", pool_dir, seed=5, jobs=2, docs=120, target_chars=6000)
    pool = Pool(pool_dir)
    out = tmp_path_factory.mktemp("blind")
    info = generate(7001, pool, out, siblings=2)
    gold = json.loads((out / "gold.json").read_text(encoding="utf-8"))
    return pool, out, info, gold


def test_gold_spans_slice_the_target(blind):
    _pool, out, info, gold = blind
    text = (out / "target.txt").read_text(encoding="utf-8")
    assert gold["target"]["file"] == str(out / "target.txt")
    assert len(text) == gold["target"]["body_chars"] == info["target_chars"]
    assert any(s.get("src") for s in gold["sentences"])
    for s in gold["sentences"]:
        a, b = s["span"]
        assert text[a:b] == s["text"]
        if s.get("src"):
            src = open(s["src"]["file"], encoding="utf-8").read()
            assert src[s["src"]["span"][0] : s["src"]["span"][1]] == s["src"]["text"]
        if s["relation"] == "heading":  # flaw (b): no number cell taken for an outline label
            assert not re.fullmatch(r"[\d.．]+", s["text"])
        if s["relation"] == "short-gained-tail":  # flaw (c): the gained clause is whole
            assert any(s["text"].rstrip("。！？；").endswith(w) for w in TARGET_BANK.obj + TARGET_BANK.tail)


def test_siblings_exist_with_metadata(blind):
    _pool, _out, info, gold = blind
    assert info["siblings"] == len(gold["siblings"]) == 2 * len(gold["sources"])
    source_ids = {s["node"] for s in gold["sources"]}
    for sib in gold["siblings"]:
        assert os.path.isfile(sib["file"])
        assert sib["of"] in source_ids
        assert sib["jurisdiction"] and sib["mode"] in ("identical-heavy", "localize", "edit")
        assert re.fullmatch(r"\d{4}-\d\d-\d\d", sib["date"])
        assert open(sib["file"], encoding="utf-8").read().startswith(sib["jurisdiction"])


def test_banks_apart():
    # flaw (a): the siblings' novel text shares no word with the target's
    for mine, theirs in ((TARGET_BANK, SIBLING_BANK), (SIBLING_BANK, TARGET_BANK)):
        words = set(mine.ind + mine.act + mine.obj + mine.tail)
        assert not words & set(theirs.ind + theirs.act + theirs.obj + theirs.tail)
    assert NUMBER_CELL.match("24.5") and NUMBER_CELL.match("2") and not NUMBER_CELL.match("1.加快发展")


def test_scorer_bounds(blind):
    pool, out, _info, gold = blind
    text = (out / "target.txt").read_text(encoding="utf-8")
    # a perfect trace (every reused sentence matched to its gold source), an empty one and a wrong one
    perfect = [
        {"source": s["src"]["file"], "source_span": s["src"]["span"], "target_span": s["span"], "relation": "identical"}
        for s in gold["sentences"]
        if s.get("src")
    ]
    wrong = [dict(m, source=gold["siblings"][0]["file"]) for m in perfect]
    got = {k: score(m, gold, pool) for k, m in (("perfect", perfect), ("empty", []), ("wrong", wrong))}
    for r in got.values():
        for k in ("recall", "precision", "recall_noamb", "precision_noamb", "precision_nonformulaic"):
            assert 0.0 <= r[k] <= 1.0
    assert got["perfect"]["recall"] == got["perfect"]["precision"] == 1.0
    assert got["empty"]["recall"] == 0.0
    assert got["wrong"]["recall"] == got["wrong"]["precision"] == 0.0
    assert len(text) > 0
