"""Sentence and clause splitting stays near-linear in a paragraph's length, with the same cuts as before.

A scraped page joined into one line is one paragraph of millions of characters: the splitting used to
rebuild the bracket guard's starts for every sentence, and to search the whole bracket stack for every
closer with no opener, so such a paragraph hung ingest, the index and the report. The reference below is
that old code, kept here only to show the new one cuts every real paragraph exactly as it did.
"""

from __future__ import annotations

import os
import random
import re
import sys
import time
from bisect import bisect_right
from collections.abc import Callable

import pytest

from lineage.ingest.pipeline import load_file
from lineage.ingest.segment import (
    _CLAUSE_SPLIT,
    _SENT_SPLIT,
    CLOSE,
    OPEN,
    protected,
    segments,
    split_clauses,
    split_sentences,
)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_BRACKET = re.compile("[" + re.escape("".join(OPEN) + "".join(CLOSE) + '"') + "]")


def old_protected(s: str) -> list[tuple[int, int]]:
    if _BRACKET.search(s) is None:
        return []
    stack: list[tuple[str, int]] = []
    spans = []
    for m in _BRACKET.finditer(s):
        c, i = m.group(), m.start()
        if c == '"':
            if stack and stack[-1][0] == '"':
                spans.append((stack.pop()[1] + 1, i))
            else:
                stack.append((c, i))
        elif c in OPEN:
            stack.append((c, i))
        else:
            want = CLOSE[c]
            for k in range(len(stack) - 1, -1, -1):
                if stack[k][0] == want:
                    spans.append((stack[k][1] + 1, i))
                    del stack[k:]
                    break
    spans.sort()
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        elif b > a:
            merged.append((a, b))
    return merged


def old_split(
    s: str, pattern: re.Pattern[str], guard: list[tuple[int, int]], lo: int = 0, hi: int | None = None
) -> list[tuple[int, int]]:
    hi = len(s) if hi is None else hi
    out = []
    start = lo
    starts = [g[0] for g in guard]
    for m in pattern.finditer(s, lo, hi):
        p = m.start()
        if guard:
            k = bisect_right(starts, p) - 1
            if k >= 0 and p < guard[k][1]:
                continue
        out.append((start, m.end()))
        start = m.end()
    if start < hi:
        out.append((start, hi))
    return out


def old_segments(norm: str) -> list[tuple[tuple[int, int], list[tuple[int, int]]]]:
    guard = old_protected(norm)
    return [((a, b), old_split(norm, _CLAUSE_SPLIT, guard, a, b)) for a, b in old_split(norm, _SENT_SPLIT, guard)]


@pytest.fixture(scope="module")
def paragraphs(corpus_paths, tmp_path_factory) -> list[str]:
    """Every block of the five corpus files and of 20 generated lineage documents."""
    sys.path.insert(0, ROOT)
    try:
        from bench.generate import generate
    finally:
        sys.path.remove(ROOT)
    out = tmp_path_factory.mktemp("gen")
    generate("lineage", out, seed=3, jobs=1, docs=20)
    paths = [*corpus_paths.values(), *sorted(str(p) for p in (out / "docs").iterdir())]
    texts = [u.norm_text for p in paths for u in load_file(p).blocks(parts=None)]
    assert len(paths) == 25 and len(texts) > 1000
    return texts


def test_every_real_paragraph_is_cut_as_before(paragraphs: list[str]) -> None:
    bracketed = 0
    for t in paragraphs:
        assert protected(t) == old_protected(t), t
        assert segments(t) == old_segments(t), t
        assert split_sentences(t) == old_split(t, _SENT_SPLIT, old_protected(t)), t
        for a, b in split_sentences(t):
            s = t[a:b]
            assert split_clauses(s) == old_split(s, _CLAUSE_SPLIT, old_protected(s)), s
        bracketed += bool(old_protected(t))
    assert bracketed > 100


def test_joined_documents_and_mangled_brackets_are_cut_as_before(paragraphs: list[str]) -> None:
    # A document joined into one line, and paragraphs whose brackets a scraper dropped or doubled.
    rng = random.Random(7)
    joined = "".join(paragraphs[:400])
    assert segments(joined) == old_segments(joined)
    brackets = [*OPEN, *CLOSE, '"']
    for t in rng.sample(paragraphs, 300):
        chars = list(t)
        for _ in range(max(1, len(chars) // 15)):
            i = rng.randrange(len(chars) + 1)
            if chars and rng.random() < 0.3:
                chars[min(i, len(chars) - 1)] = rng.choice(brackets)
            else:
                chars.insert(i, rng.choice(brackets))
        m = "".join(chars)
        assert protected(m) == old_protected(m), m
        assert segments(m) == old_segments(m), m


def _growth(f: Callable[[str], object], small: str, large: str) -> float:
    """How many times longer ``large`` takes than ``small`` (fastest of three runs each)."""

    def best(s: str) -> float:
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            f(s)
            times.append(time.perf_counter() - t0)
        return min(times)

    return best(large) / best(small)


def test_a_long_paragraph_with_quotes_splits_in_near_linear_time(corpus_docs) -> None:
    text = "".join(u.norm_text for u in corpus_docs["004"].blocks(parts=None))
    assert "《" in text and "(" in text
    small = (text * (100_000 // len(text) + 1))[:100_000]
    large = (text * (400_000 // len(text) + 1))[:400_000]
    # Four times the text: about four times the time when linear, sixteen when quadratic.
    assert _growth(segments, small, large) < 9


def test_closers_with_no_opener_after_unclosed_quotes_stay_linear() -> None:
    # A scraper's unmatched quotes left open, then a numbered list's "1)" items.
    small = "“" * 5_000 + "1)" * 5_000
    large = "“" * 20_000 + "1)" * 20_000
    assert protected(large) == []
    assert _growth(protected, small, large) < 9
