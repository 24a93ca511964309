"""Normalization and offset maps: folding rules and the span-truth property."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from lineage.ingest.normalize import fold, normalize
from lineage.ingest.offsets import OffsetMap


def test_full_and_half_width_punctuation_compare_equal():
    assert fold("，（）：；！？") == fold(",():;!?") == ",():;!?"
    assert fold("２０２５年ＡＢＣ") == "2025年ABC"


def test_indentation_and_line_breaks_are_dropped():
    assert fold("\u3000\u3000一、总体要求\r\n") == "一、总体要求"
    assert fold("\u00a0 \u00a0为抢抓\n新一轮") == "为抢抓新一轮"


def test_space_between_latin_words_survives():
    assert fold("Industry  4.0 与 5G") == "Industry 4.0与5G"
    assert fold("Ｉｎｄｕｓｔｒｙ\u3000４．０") == fold("Industry 4.0")


def test_circled_numbers_are_kept_but_parenthesized_fold():
    assert fold("①⑴⒈㈠") == "①(1)1.(一)"


def test_curly_quotes_are_kept():
    assert fold("“八八战略”") == "“八八战略”"


def test_zero_width_characters_are_dropped():
    assert fold("制\u200b造\ufeff业") == "制造业"


def test_map_points_every_char_back():
    text = "\u3000\u3000（一）指导思想。“互联网＋”… 5G\u00a0网络"
    norm, m = normalize(text)
    assert norm == fold(text)
    for i, c in enumerate(norm):
        s, e = m.span(i, i + 1)
        assert fold(text[s:e]).find(c) >= 0 or c == " "


# Characters that exercise every rule: CJK, both widths of punctuation,
# every kind of space, expanding compatibility characters, Latin.
ALPHABET = (
    list("制造业强省建设行动计划一二三")
    + list("，。；：、（）《》“”,.;:()")
    + ["\u3000", "\u00a0", " ", "\n", "\r\n", "\t", "…", "①", "⑴", "㈠", "ｆ", "Ａ", "a", "5", "\u200b"]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(ALPHABET), max_size=60), st.data())
def test_any_range_of_normalized_text_maps_to_a_slice_that_normalizes_to_it(parts, data):
    text = "".join(parts)
    norm, m = normalize(text)
    assert norm == fold(text)
    if not norm:
        return
    i = data.draw(st.integers(0, len(norm) - 1))
    j = data.draw(st.integers(i + 1, len(norm)))
    if norm[i] == " " or norm[j - 1] == " ":
        return  # units never start or end on a kept space
    if not (m.is_boundary(i) and m.is_boundary(j)):
        return  # nor inside one source character's expansion (…->...)
    s, e = m.span(i, j)
    assert fold(text[s:e]) == norm[i:j]


def test_offset_map_composition():
    inner = OffsetMap()
    inner.add(0, 3, 0, 3)  # abc
    inner.add(3, 3, 3, 1)  # one char expanded to three
    outer = OffsetMap()
    outer.add(0, 2, 10, 2)
    outer.add(2, 1, 12, 6)  # an entity
    outer.add(3, 1, 18, 1)
    both = inner.then(outer)
    assert both.span(0, 1) == (10, 11)
    assert both.span(2, 3) == (12, 18)
    assert both.span(3, 6) == (18, 19)
    assert both.span(4, 5) == (18, 19)
