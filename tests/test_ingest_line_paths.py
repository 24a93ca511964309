"""The fast paths of line splitting and whitespace folding give what their defining rules give.

``line_bounds`` splits with ``str.splitlines`` when the text holds none of the characters it
breaks at and _LINE_BREAK does not (\\x1c-\\x1e); ``fold_spaces`` skips the general join when
whitespace sits at one end only.  Both are checked against the general code on generated text
made of what real pages hold: CJK, ASCII words, every kind of line break and space, BOMs,
zero-width characters and full-width forms.
"""

from __future__ import annotations

import os

from hypothesis import given, settings
from hypothesis import strategies as st

from lineage.ingest.normalize import _WS_SPLIT, _join_parts, fold_chars_only, fold_spaces
from lineage.ingest.read import read_file
from lineage.ingest.structure import _make_line, line_bounds, line_bounds_regex, split_lines

ALPHABET = list("政策abc19 \t\u3000\u00a0\ufeff\u200b，。（）ＡＢ１") + [
    "\n",
    "\r",
    "\r\n",
    "\u2028",
    "\u2029",
    "\x0b",
    "\x0c",
    "\x85",
    "\x1c",
    "\x1e",
    "\u00a8",  # NFKC expands it to two characters
]
TEXTS = st.lists(st.sampled_from(ALPHABET), max_size=40).map("".join)
CORPUS = os.path.join(os.path.dirname(__file__), "..", "corpus")


@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_line_bounds_match_the_line_break_pattern(text: str) -> None:
    assert line_bounds(text) == line_bounds_regex(text)


@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_split_lines_inlined_loop_matches_one_line_at_a_time(text: str) -> None:
    folded = fold_chars_only(text)
    pre = folded if len(folded) == len(text) else None
    assert split_lines(text) == [_make_line(text, a, b, pre) for a, b in line_bounds_regex(text)]


@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_fold_spaces_matches_the_general_rule(text: str) -> None:
    folded = fold_chars_only(text)
    assert fold_spaces(folded) == _join_parts(_WS_SPLIT.split(folded))


def test_corpus_lines_are_the_same_by_either_split() -> None:
    for name in sorted(os.listdir(CORPUS)):
        text = read_file(os.path.join(CORPUS, name)).text
        assert line_bounds(text) == line_bounds_regex(text), name
        lines = split_lines(text)
        assert len(lines) == len(line_bounds_regex(text))
        for ln in lines:
            if ln.kind != "blank":
                assert ln.norm == fold_spaces(fold_chars_only(text[ln.a : ln.b])), (name, ln)


@settings(max_examples=400, deadline=None)
@given(TEXTS, st.integers(0, 6))
def test_raw_end_fast_path_matches_the_character_walk(text: str, n: int) -> None:
    from lineage.ingest.normalize import fold_table
    from lineage.ingest.structure import _raw_end

    table = fold_table()
    i, got = 0, 0
    while i < len(text) and got < n:
        if not text[i].isspace():
            got += len(table.get(ord(text[i]), text[i]) or "")
        i += 1
    assert _raw_end(text, 0, len(text), n) == i
