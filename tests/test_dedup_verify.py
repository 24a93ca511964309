"""Pair verification on real bodies with hand-made differences: noise, truncation, wrappers, revisions, borrowing."""

from __future__ import annotations

import random
import re

import pytest

from lineage.dedup.features import blocks_of, comparison_text
from lineage.dedup.verify import MODES, compare, sentences


@pytest.fixture(scope="module")
def bodies(corpus_docs):
    return {k: comparison_text(blocks_of(d))[0] for k, d in corpus_docs.items()}


def typo(text: str, positions: list[int], char: str = "犇") -> str:
    """Substitute one (non-digit) character at each position."""
    s = list(text)
    for p in positions:
        while s[p].isdigit():
            p += 1
        s[p] = char
    return "".join(s)


def revise(text: str, rate: float, seed: int = 0) -> str:
    """A revision: change numbers and words in ``rate`` of the sentences, drop one, add one."""
    rng = random.Random(seed)
    ss = sentences(text)
    picked = sorted(rng.sample(range(1, len(ss) - 1), max(3, int(rate * len(ss)))))
    for n, i in enumerate(picked):
        s = ss[i]
        if n == 0:
            ss[i] = ""  # deleted
        elif n == 1:
            ss[i] = s + "加快建立健全新一轮政策评估和动态调整工作机制。"  # added
        elif re.search(r"\d", s):
            ss[i] = re.sub(r"\d", lambda m: str((int(m.group()) + 3) % 10), s, count=1)
        else:
            ss[i] = s.replace("推进", "推动进一步") if "推进" in s else "切实" + s[:-3] + "相关工作" + s[-1:]
    return "".join(ss)


def test_identical_and_empty(bodies):
    c = compare(bodies["001"], bodies["001"])
    assert (c.verdict, c.a_in_b, c.edits) == ("same", 1.0, 0)
    assert compare("", bodies["001"]).verdict == "different"


def test_000_and_003_are_one_version(bodies):
    """Their bodies differ by one comma: noise, not a revision."""
    c = compare(bodies["000"], bodies["003"])
    assert c.verdict == "same"
    assert c.truncated is None
    assert c.edits == 1
    assert c.similarity > 0.99


def test_scattered_typos_are_noise(bodies):
    text = bodies["003"]
    noisy = typo(text, [500, 2100, 4100, 6000])
    c = compare(text, noisy)
    assert c.verdict == "same" and c.edits == 4 and c.truncated is None
    assert "犇" in "".join(b for _, b in c.edit_examples)
    # both copies noisy, at different places
    c = compare(typo(text, [900, 3000]), noisy)
    assert c.verdict == "same" and c.edits == 6


def test_a_changed_number_is_not_noise(bodies):
    text = bodies["003"]
    m = re.search(r"20(\d)\d年", text[1000:])
    pos = 1000 + m.start() + 3
    changed = text[:pos] + str((int(text[pos]) + 1) % 10) + text[pos + 1 :]
    c = compare(text, changed)
    assert c.verdict == "revision"
    assert "number" in c.reason


def test_a_changed_level_word_is_not_noise(bodies):
    """全省 -> 全市 twice, in a copy cut short: a city's adaptation of the province's plan, not a scraped copy
    with two typos (a trace then left the province out of the city plan's sources as its copy)."""
    text = next(t for t in bodies.values() if t.count("全省") >= 2)
    at = [m.start() + 1 for m in re.finditer("全省", text)][:2]
    assert at[1] - at[0] > 8
    adapted = "".join("市" if i in at else c for i, c in enumerate(text))[: max(at) + int(len(text) * 0.3)]
    for a, b in ((text, adapted), (adapted, text)):
        c = compare(a, b, mode="classify")
        assert c.verdict != "same" and "level word" in c.reason, c
        assert compare(a, b, mode="screen").verdict == "different"
    # a scraping typo that writes some other character there is still noise
    typoed = "".join("犇" if i in at else c for i, c in enumerate(text))
    assert compare(text, typoed).verdict == "same"


def test_neighbouring_edits_are_a_changed_word(bodies):
    text = bodies["001"]
    i = text.index("推进", 800)
    changed = text[:i] + "推动" + text[i + 2 :]
    changed = changed[: i + 10] + "积极" + changed[i + 12 :]
    c = compare(text, changed)
    assert c.verdict == "revision"


def test_truncated_copy_mid_sentence(bodies):
    text = bodies["002"]
    cut = text[: int(len(text) * 0.55) + 7]
    c = compare(text, cut)
    assert c.verdict == "same" and c.truncated == "b"
    assert c.b_in_a == 1.0 and 0.5 < c.a_in_b < 0.6
    assert compare(cut, text).truncated == "a"
    # truncated and noisy
    c = compare(text, typo(cut, [300]))
    assert c.verdict == "same" and c.truncated == "b" and c.edits == 1


def _cut_after_typos(text: str, at: float, edits: list[tuple[int, str]]) -> str:
    """``text`` cut mid-sentence at ``at`` of its length, with ``edits`` (offset before the cut, new
    characters) made in the sentences just before the cut: after the last sentence both have."""
    end = int(len(text) * at)
    end = text.index("。", end) + 12  # mid-sentence, past a sentence end
    cut = list(text[:end])
    for back, new in sorted(edits, reverse=True):
        k = end - back
        while cut[k].isdigit() or cut[k] in "。,、;":
            k -= 1
        cut[k] = new
    return "".join(cut)


@pytest.mark.parametrize("apart", [10, 40, 150])
def test_a_copy_cut_short_with_typos_just_before_the_cut(bodies, apart):
    """Typos in the sentences between the last one both copies have and where one stops: the cut
    copy's ending is the other's with typos (main: one allowed there, and a copy cut short with two
    typos in its last two sentences was a revision; dedup's seed 31)."""
    text = bodies["002"]
    cut = _cut_after_typos(text, 0.8, [(30, "犇"), (30 + apart, "犇")])
    c = compare(text, cut)
    assert (c.verdict, c.truncated, c.edits) == ("same", "b", 2)
    assert compare(cut, text).truncated == "a"
    # the same edits next to each other are a changed word
    assert compare(text, _cut_after_typos(text, 0.8, [(30, "犇"), (32, "犇")])).verdict == "revision"


@pytest.mark.parametrize("at", [0.6, 0.8])
def test_a_changed_number_where_a_copy_stops_is_a_revision(bodies, at):
    """A copy cut two characters after a number it changed (main: one unchecked edit was allowed
    there, and 2024 -> 2025 just before the cut was a typo of the same version)."""
    text = bodies["002"]
    j = next(k for k in range(int(len(text) * at), len(text)) if text[k].isdigit() and not text[k + 1].isdigit())
    assert compare(text, text[: j + 3]).verdict == "same"
    changed = text[:j] + str((int(text[j]) + 1) % 10) + text[j + 1 : j + 3]
    assert compare(text, changed).verdict == "revision"


def test_extra_text_before_the_body(bodies):
    """A lede (quoting a body sentence) or a notice left in the body by the parser is wrapper text."""
    text = bodies["004"]
    first = sentences(text)[3]
    lede = "近日，绍兴市人民政府办公室印发《实施方案》（以下简称《方案》）。" + first + "文件全文如下:"
    c = compare(lede + text, text)
    assert c.verdict == "same"
    assert c.lead_a > c.lead_b  # b's side of the lead is the first sentence, glued to "文件全文如下:"
    notice = "各区、县（市）人民政府，市政府各部门：现将《实施方案》印发给你们，请认真贯彻执行。"
    c = compare(lede + text, notice + text)
    assert c.verdict == "same" and c.lead > 0


def test_revisions_are_told_apart_and_summarized(bodies):
    text = bodies["000"]
    for rate in (0.06, 0.15, 0.25):
        new = revise(text, rate)
        c = compare(text, new)
        assert c.verdict == "revision", (rate, c.reason)
        assert c.changes is not None
        assert c.changes.modified >= 1 and c.changes.added >= 1 and c.changes.deleted >= 1
        assert 1 <= len(c.changes.examples) <= 5
        assert 0.7 < c.similarity < 1.0
        back = compare(new, text)
        assert (back.changes.added, back.changes.deleted) == (c.changes.deleted, c.changes.added)


def test_a_document_borrowing_paragraphs_is_different(corpus_docs, bodies):
    """A plan of its own (001) with 30-50% of 004's paragraphs inserted is not a version of 004."""
    donor = [u.norm_text for u in corpus_docs["004"].blocks()]
    own = [u.norm_text for u in corpus_docs["001"].blocks()]
    for share in (0.3, 0.4, 0.5):
        rng = random.Random(share)
        borrowed = rng.sample(donor, int(len(donor) * share))
        mixed = own[:]
        for k, p in enumerate(borrowed):
            mixed.insert(min(len(mixed), 2 + 3 * k), p)
        c = compare("".join(mixed), bodies["004"])
        assert c.verdict == "different", (share, c.reason)


def test_unrelated_documents(bodies):
    assert compare(bodies["001"], bodies["002"]).verdict == "different"
    assert compare(bodies["001"], bodies["004"], mode="screen").verdict == "different"


def test_modes_agree_on_same_or_not(bodies):
    text = bodies["003"]
    cases = [typo(text, [100, 2000]), text[:4000], revise(text, 0.1), bodies["001"], "引言。" * 20 + text]
    for other in cases:
        verdicts = {m: compare(text, other, mode=m) for m in MODES}
        same = {m: c.verdict == "same" for m, c in verdicts.items()}
        assert len(set(same.values())) == 1, same
        if verdicts["screen"].verdict == "same":
            assert verdicts["screen"] == verdicts["full"]
    with pytest.raises(ValueError):
        compare("a", "b", mode="fast")


def test_lines_one_copy_lost_are_not_content(bodies):
    """A table header cell or a line the chrome remover took from one copy is an extraction difference."""
    text = bodies["002"]
    i = text.index("。", 2000) + 1
    cell = "指标名称"
    with_cell = text[:i] + cell + text[i:]
    assert compare(with_cell, text).verdict != "same"
    c = compare(with_cell, text, shorts=[cell])
    assert c.verdict == "same"


def test_swapped_is_the_other_side(bodies):
    text = bodies["002"]
    c = compare(text, text[:3000])
    s = c.swapped()
    assert (s.truncated, s.a_len, s.b_len, s.a_in_b, s.b_in_a) == ("a", c.b_len, c.a_len, c.b_in_a, c.a_in_b)
    assert s.swapped() == c


def test_a_place_name_swapped_for_another_is_counted_from_either_side(bodies):
    """A text localized for another place (湖南 wherever the plan names 浙江): the comparison names the swap
    and counts it, as dedup.family needs to keep the two apart; seen from the other side, the other way."""
    text = bodies["003"]
    n = text.count("浙江")
    assert n >= 2
    c = compare(text, text.replace("浙江", "湖南"))
    assert c.verdict == "revision"
    # (counted in the sentences the comparison pairs as modified: here 10 of the 11; 在浙江先行先试 is not
    # among them)
    assert c.place_swap == "浙江 -> 湖南" and n - 1 <= c.place_swaps <= n
    assert (c.swapped().place_swap, c.swapped().place_swaps) == ("湖南 -> 浙江", c.place_swaps)
    # a revision that changes words, not places, swaps none
    r = compare(text, text.replace("推进", "推动"))
    assert r.verdict == "revision" and (r.place_swap, r.place_swaps) == ("", 0)


TRAILER = "(来源:大众日报客户端)"


def test_a_chrome_fragment_at_the_end_of_a_copy_cut_short(bodies):
    """A copy whose page footer `(来源:大众日报客户端)` was hard-wrapped across two lines kept
    `众日报客户端)` in its body, glued to where the copy stops: noise at the edge (main: a revision)."""
    text = bodies["001"]
    cut = text[: int(len(text) * 0.6) + 5]  # mid-sentence
    for fragment in ("众日报客户端)", "客户端)", TRAILER):
        for full in (text, text + TRAILER):
            c = compare(full, cut + fragment)
            assert (c.verdict, c.truncated) == ("same", "b"), (fragment, c.reason)
            assert c.b_in_a > 0.99 and 0.55 < c.a_in_b < 0.65
    # copies ending the same sentence with different pieces of their pages' trailers
    for x, y in (("众日报客户端)", "(来源:新华社)"), ("日报客户端)", "众日报客户端)"), ("新闻客户端)", "江苏日报)")):
        assert compare(text + x, text + y).verdict == "same", (x, y)


def test_what_a_revision_changes_at_the_end_is_not_chrome(bodies):
    """Edge noise never covers a number, a sentence, or a line whose end was replaced (main took the
    first three for copies)."""
    text = bodies["001"]
    assert text.endswith("。")
    for changed in (
        text + "本计划自印发之日起施行。",
        text + "本计划自印发之日起施行。由省工业和信息化厅负责解释。",
        text[:-1] + "2025年。",
    ):
        c = compare(text, changed)
        assert c.verdict == "revision", changed[-30:]
    cut = text[: int(len(text) * 0.6) + 5]
    assert compare(text, cut + "2025年)").verdict != "same"
    assert compare(text + "附件:重点项目表", text + "附件:主要指标").verdict == "revision"
    assert compare(text + "重点项目名称责任单位市经信局", text + "重点项目名称责任单位市发改委").verdict == "revision"
    # a copy cut just before the end, mid-sentence, is still the same version
    assert compare(text, text[:-20]).verdict == "same"


def test_a_last_paragraph_removed_as_chrome_is_not_content(bodies):
    """A last paragraph that carried a news trailer, removed whole by one copy's parser, is an
    extraction difference: it is in that copy's removed lines."""
    text = bodies["001"]
    last = "(二十三)加强组织实施。产业结构持续优化。"
    assert compare(text + last, text).verdict == "revision"
    assert compare(text + last, text, shorts=[last + TRAILER]).verdict == "same"


def test_two_typos_that_fell_together_are_noise_once(bodies):
    """Two typos within four characters (重大战略 -> 重犇战略犇) leave characters no word holds: scraping noise,
    where two noisy copies meet it about once in fifty pairs; a second such spot, or two edits that write a
    word on both sides (完善 -> 健全), is a revision."""
    text = bodies["003"]
    at = [m.start() for m in re.finditer("战略", text)]
    i, j = at[1], at[-1]
    assert j - i > 100

    def hit(s: str, k: int) -> str:
        return s[: k - 1] + "犇" + s[k] + "犇" + s[k + 2 :]  # the characters before 战 and after... 略 kept

    once = hit(text, i + 1)
    c = compare(text, once)
    assert c.verdict == "same" and c.edits == 2, c
    assert compare(once, text).verdict == "same"
    assert compare(text, hit(once, j + 1)).verdict == "revision"
    k = text.index("完善", 300)
    assert compare(text, text[:k] + "健全" + text[k + 2 :]).verdict == "revision"


@pytest.mark.parametrize(
    "old,new",
    [
        ("力争取得", "可取得"),
        ("力争取得", "须取得"),
        ("全面对接上海", "不对接上海"),
        ("优先发展数字经济", "不再发展数字经济"),
    ],
)
def test_a_word_turning_what_a_sentence_requires_is_a_revision(bodies, old, new):
    """Two edits writing or dropping a one-character modal or negation (力争 -> 可) are a changed word, never
    two typos that fell together; one negation written or dropped alone (扩大 -> 不扩大) is a revision too."""
    text = bodies["003"]
    assert old in text
    assert compare(text, text.replace(old, new, 1)).verdict == "revision"
    c = compare(text, text.replace("扩大进口", "不扩大进口", 1))
    assert c.verdict == "revision" and c.reason == "a negation changed"


def _opening(ss: list[str], chars: int) -> str:
    """The first sentences of ``ss`` that make at least ``chars`` characters."""
    out = ""
    for s in ss:
        if len(out) >= chars:
            break
        out += s
    return out


def test_a_short_text_opening_with_its_own_paragraph_then_another_s_opening_is_not_a_cut_short_copy(bodies):
    """A 518-character document and one that opens with 177 characters of another plan's text, then quotes
    the document's first 299 and ends: differing at both ends, only 299 characters say "one version" (main:
    the same version, cut short, with a lede; found tracing hand-made documents, where it hid a source).  A
    lede before a long cut-short copy is still a wrapper."""
    ss, other = sentences(bodies["004"])[1:], sentences(bodies["002"])[10:]
    short = _opening(ss, 500)
    for lead in (_opening(other, 114), _opening(other, 238)):
        c = compare(lead + _opening(ss, 227), short)
        assert c.verdict != "same", (len(lead), c)
        assert "characters differ before 299 in common, and one text stops short" in c.reason
    long, lede = _opening(ss, 3000), _opening(other, 300)
    c = compare(lede + _opening(ss, 1300), long)
    assert (c.verdict, c.truncated, c.lead) == ("same", "a", len(lede))
    c = compare(lede + _opening(ss, 1000), bodies["004"])
    assert (c.verdict, c.truncated, c.lead) == ("same", "a", len(lede))
