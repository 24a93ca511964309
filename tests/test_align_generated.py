"""Alignment on generated derived plans (bench/generate.py derived): quality against gold, truthful spans.

The generator is the independent ground truth: targets derived sentence by
sentence from a provincial source A (kept, localized, modified, merged,
split, clause-lifted, reordered, dropped) plus passages of a second source
B, rendered with random punctuation widths, indents, CRLF and encodings.
The bench (bench/bench_align.py) measures the full figures on 50 pairs;
here a few pairs keep the behaviour honest in the suite.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.bench_align import score_pair, summarize  # noqa: E402
from bench.generate import generate  # noqa: E402
from bench.gold_tools import derived_pair_texts  # noqa: E402
from lineage.align.trace import trace_documents  # noqa: E402
from lineage.ingest.normalize import fold  # noqa: E402
from lineage.ingest.pipeline import load_file  # noqa: E402

SEED = 7  # not the seed the thresholds were tuned on (0)
PAIRS = 6


@pytest.fixture(scope="module")
def derived(tmp_path_factory):
    out = tmp_path_factory.mktemp("derived")
    gold = generate("derived", out, seed=SEED, jobs=1, pairs=PAIRS)
    runs = []
    for pair in gold["pairs"]:
        texts = derived_pair_texts(out, pair)
        target = load_file(str(out / pair["target"]["file"]))
        sources = {k: load_file(str(out / s["file"])) for k, s in pair["sources"].items()}
        result = trace_documents(target, [sources["A"], sources["B"]])
        runs.append((pair, texts, target, sources, result))
    return runs


def test_quality_against_gold(derived):
    scored = []
    for pair, texts, _target, sources, result in derived:
        key_of = {d.path: k for k, d in sources.items()}
        scored.append(score_pair(pair, texts, result.to_dict()["matches"], key_of))
    s = summarize(scored, skip_headings=True)
    assert s["gold_reused"] > 500
    assert s["recall"] >= 0.97, s
    assert s["precision"] >= 0.97, s
    assert s["relation_accuracy"] >= 0.95, s


def test_spans_are_truthful_in_every_encoding_and_width(derived):
    encodings = set()
    for pair, _texts, target, sources, result in derived:
        encodings.add(pair["target"]["encoding"])
        docs = {d.path: d for d in sources.values()}
        for m in result.matches:
            tt = fold(target.text[m.target_span[0] : m.target_span[1]])
            st = fold(docs[m.source].text[m.source_span[0] : m.source_span[1]])
            if not m.diff:
                assert tt == st, m
            else:
                assert "".join(op[2] for op in m.diff) == tt, m
                assert "".join(op[1] for op in m.diff) == st, m
    assert len(encodings) >= 2


def test_relations_seen_on_generated_plans(derived):
    seen = {m.content for *_, r in derived for m in r.matches} | {m.relation for *_, r in derived for m in r.matches}
    assert {"identical", "modified", "localized", "merged", "split", "partial", "moved"} <= seen


def test_localized_matches_only_swap_jurisdictions(derived):
    from lineage.ingest.gazetteer import is_jurisdiction_swap

    n = 0
    for *_, r in derived:
        for m in r.matches:
            if m.content == "localized":
                n += 1
                ops = [op for op in m.diff if op[0] != "equal"]
                assert ops and all(op[0] == "replace" for op in ops)
                assert any(is_jurisdiction_swap(op[1], op[2]) for op in ops)
    assert n > 0
