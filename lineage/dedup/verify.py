"""Compare two document bodies: same version, revision, or different documents.

The bodies are normalized texts with whitespace removed (see
``dedup_features.comparison_text``), so formatting, width, encoding and
HTML-vs-text differences are already gone.  What is left to tell apart:

* **same version** — the texts align sentence by sentence, and every
  difference is one of: text before the common body that only one copy has or
  that differs (a news lede or issuing notice the parser left in the body), a
  copy that stops early (truncation, possibly mid-sentence), or isolated
  one-character edits that do not touch a digit (scraping typos, about one per
  2,000 characters).  Changed numbers are never noise: changing a target or a
  year is what a revision does; nor are changed level words (全省 -> 全市):
  that is a plan adapted to another jurisdiction.
* **revision** — not the same version, but most sentences of each side are
  found in the other, identical or modified, in the same order (an amended
  edition changes 5–25% of its sentences).
* **different** — anything else, including a document that copies a third of
  another one's paragraphs (it has too much text of its own).

Sentences are cut after ``。!?;`` (the normalized forms of ``。！？；``); the
alignment is difflib's matcher over sentences (``autojunk=False``), then
characters (rapidfuzz's Levenshtein) inside the few regions that differ.

Three modes: ``screen`` answers only "same version or not" and stops at the
first difference that rules it out (the bulk of candidate pairs); ``classify``
also tells a revision from a different document; ``full`` adds the summary
of what a revision changed.
"""

from __future__ import annotations

import os
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from itertools import accumulate, pairwise
from typing import Any

from cydifflib import SequenceMatcher
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from lineage.model import PLACE_SUFFIXES

# A typo is a single character; edits closer than ISOLATION characters are a changed word ...
MAX_NOISE_EDIT = 1
ISOLATION = 4
# ... except once per comparison, two of them that leave no word on one side (在湖北 -> 湖于, 重大战略 ->
# 重界战略): two copies with a few typos each have two fall within four characters of each other about once
# in fifty pairs, and a typo leaves characters no word holds, where a revision writes words (完善 -> 健全)
SPARE_WORDS = 1
# Isolated edits allowed between two copies: generous for two noisy copies
# (each about one per 2,000 characters), far below what a revision changes.
NOISE_BASE = 2
NOISE_PER_CHARS = 600
# Text before the common body (lede, notice, title) that copies may differ by.
LEAD_MAX = 1500
LEAD_SHARE = 0.4  # ... and at most this share of the shorter text, and where one copy stops short, of the text
# both have: a copy that differs at both ends has only the middle to say it is the same version, and a short
# document that opens with its own paragraph and then quotes another's opening looks like a cut-short copy
BODY_RUN = 200  # ... and before any run of this many characters both copies share (wrappers may share a line or two)
WRAPPER_MIN = 8  # wrapper text (a title, a lede, a notice) is longer than an edited word
WRAPPER_UNLIKE = 70.0  # below this ratio two leading texts are different wrappers, not an edited sentence
# A side whose text after the last common sentence is at most this long stops there.
TAIL_STOP = 300
# A missing tail shorter than this (share of the longer body) is trailing junk, not truncation.
TRUNCATION_MIN = 0.03
# ... and at most this many characters: a footer line left in one copy's body.  Whole sentences
# after a complete text are content (a revision adds them), unless the other copy's parser
# removed them as chrome.
TRAILING_JUNK = 200
# A fragment of page chrome at the very end of a body (the second line of a hard-wrapped
# trailer, `众日报客户端)`) is at most this long, with no digit and no sentence end.  It is set
# aside where what comes before it is a prefix of the other text that stops at least
# TRUNCATION_MIN short of its end (a copy cut short), or where both texts end with the same
# sentence and then such fragments; a few characters that replace the other's last few are an edit.
EDGE_NOISE = 16
# The aligned part must be most of the shorter text for two copies to be one version.
CORE_MIN = 0.5
# Share of each side found in the other (identical or modified, in order) for a revision.  An
# amended edition changes 5-25% of its sentences (headings glued to a changed sentence
# count as changed too, so measured shares go down to about 0.6); a document that borrows
# 30-50% of another's paragraphs shares at most half of it.
REVISION_MIN = 0.55
# Two sentences are the same sentence modified when their Indel ratio is at least this.
MODIFIED_MIN = 60.0
# An ending where a copy stops (see _prefix_end) may hold more than one typo up to this length; a
# longer one, one (its alignment is quadratic in the length, for each candidate end).
PREFIX_TYPO_SPAN = 2000
# Beyond this many sentences on each side a differing region is not paired sentence by sentence.
PAIRING_MAX = 160
# Sentences paired across two texts that swap one place name for another at least this many times
# (武侯制造 -> 郫都制造, 工赋武侯 -> 工赋郫都): a text localized for another place, not a revision of it.
PLACE_SWAPS = 2
# Texts sharing less than this share of identical sentences are not revisions of each other
# (a revision keeps at least 75% of its sentences; this leaves room for typos in both copies).
EQUAL_MIN = 0.35

_SENTENCE = re.compile(r"[^。!?;]*[。!?;]+|[^。!?;]+")
_CLAUSE = re.compile(r"[^,:、。!?;]*[,:、。!?;]+|[^,:、。!?;]+")
_DIGIT = frozenset("0123456789")
_HAN = re.compile(r"[\u4e00-\u9fff]")
# a negation written or dropped turns a sentence round alone (扩大进口 -> 不扩大进口) ...
_NEGATION = frozenset("不未非勿无")
# ... and these one-character words, with the negations, turn what it requires (不得建立 -> 可建立, 逐步建立 ->
# 暂不建立): a pair of edits writing one is a changed word, never two typos
_MODAL = _NEGATION | frozenset("禁可须应需暂再仅只均")
# level words: 全省 -> 全市 is a plan adapted to another jurisdiction, never a scraping typo
_LEVEL = frozenset(PLACE_SUFFIXES)
TERMINAL = frozenset("。!?;")  # sentence ends, normalized


def sentences(text: str) -> list[str]:
    return _SENTENCE.findall(text)


Split = tuple[list[str], list[int]]  # sentences and their start offsets (plus the end)


def split(text: str) -> Split:
    ss = _SENTENCE.findall(text)
    return ss, _offsets(ss)


def clauses(text: str) -> list[str]:
    return _CLAUSE.findall(text)


@dataclass
class Changes:
    """What a revision changed, counted in clauses."""

    modified: int = 0
    added: int = 0
    deleted: int = 0
    examples: list[dict[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "modified": self.modified,
            "added": self.added,
            "deleted": self.deleted,
            "examples": list(self.examples),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Changes:
        return cls(d["modified"], d["added"], d["deleted"], list(d.get("examples", [])))


@dataclass
class Comparison:
    """The outcome of comparing body ``a`` with body ``b``."""

    verdict: str  # same | revision | different
    a_len: int
    b_len: int
    a_in_b: float  # share of a's characters aligned with b
    b_in_a: float
    similarity: float  # 2 * aligned characters / (a_len + b_len); modified sentences count by their ratio
    truncated: str | None = None  # "a" or "b": the side that stops early (same version only)
    lead: int = 0  # characters of differing text before the common body (longer side)
    lead_a: int = 0  # ... on a's side
    lead_b: int = 0  # ... on b's side
    edits: int = 0  # isolated one-character differences
    edit_examples: list[tuple[str, str]] = field(default_factory=list)  # (a context, b context)
    reason: str = ""  # why not the same version, in a few words
    changes: Changes | None = None  # for revisions (mode "full")
    screened: bool = False  # mode "screen" stopped early: "different" means only "not the same version"
    # for revisions (mode "full"): the place name the paired sentences swap most often for another, and how
    # often ("武侯 -> 郫都", 3)
    place_swap: str = ""
    place_swaps: int = 0

    def swapped(self) -> Comparison:
        """The same comparison seen from b's side."""
        return Comparison(
            self.verdict,
            self.b_len,
            self.a_len,
            self.b_in_a,
            self.a_in_b,
            self.similarity,
            {"a": "b", "b": "a"}.get(self.truncated or ""),
            self.lead,
            self.lead_b,
            self.lead_a,
            self.edits,
            [(y, x) for x, y in self.edit_examples],
            self.reason,
            Changes(
                self.changes.modified,
                self.changes.deleted,
                self.changes.added,
                [_swap_example(e) for e in self.changes.examples],
            )
            if self.changes
            else None,
            self.screened,
            " -> ".join(reversed(self.place_swap.split(" -> "))) if self.place_swap else "",
            self.place_swaps,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict,
            "a_len": self.a_len,
            "b_len": self.b_len,
            "a_in_b": self.a_in_b,
            "b_in_a": self.b_in_a,
            "similarity": self.similarity,
            "truncated": self.truncated,
            "lead": self.lead,
            "lead_a": self.lead_a,
            "lead_b": self.lead_b,
            "edits": self.edits,
            "edit_examples": [list(e) for e in self.edit_examples],
            "reason": self.reason,
            "changes": self.changes.to_dict() if self.changes else None,
            "screened": self.screened,
            "place_swap": self.place_swap,
            "place_swaps": self.place_swaps,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Comparison:
        d = dict(d)
        d["edit_examples"] = [tuple(e) for e in d.get("edit_examples", [])]
        d["changes"] = Changes.from_dict(d["changes"]) if d.get("changes") else None
        return cls(**d)


def _swap_example(e: dict[str, str]) -> dict[str, str]:
    kind = {"added": "deleted", "deleted": "added"}.get(e["change"], e["change"])
    out = {"change": kind}
    if "b" in e:
        out["a"] = e["b"]
    if "a" in e:
        out["b"] = e["a"]
    return out


def noise_budget(length: int) -> int:
    return NOISE_BASE + length // NOISE_PER_CHARS


MODES = ("screen", "classify", "full")


def compare(
    a: str,
    b: str,
    *,
    mode: str = "full",
    shorts: Iterable[str] = (),
    split_a: Split | None = None,
    split_b: Split | None = None,
) -> Comparison:
    """Align body ``a`` with body ``b`` and classify their differences.

    ``shorts`` are lines either copy may have on their own without the text
    changing (see ``dedup_features.short_lines``): a region that differs only
    by some of them is an extraction difference.  They are set aside longest
    first (one may hold another), so the result does not depend on their order.  ``split_a``/``split_b`` are
    ``split(a)``/``split(b)`` when the caller has them already.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    la, lb = len(a), len(b)
    if a == b:
        return Comparison("same", la, lb, 1.0, 1.0, 1.0)
    if not a or not b:
        return Comparison("different", la, lb, 0.0, 0.0, 0.0, reason="one text is empty")
    sa, pa = split_a or split(a)
    sb, pb = split_b or split(b)
    ops = SequenceMatcher(None, sa, sb, autojunk=False).get_opcodes()
    eq = [k for k, op in enumerate(ops) if op[0] == "equal"]
    if not eq:
        return _no_common_sentence(a, b, sa, pa, sb, pb, mode)
    st = _State(a, b, sa, pa, sb, pb, shorts, mode)
    st.matched = sum(pa[op[2]] - pa[op[1]] for op in ops if op[0] == "equal")
    if mode == "screen" and st.matched < CORE_MIN * min(la, lb) - LEAD_MAX:
        return st.different("too little text in common")
    last = eq[-1]
    # Differences before the common body: a lede, a notice or a title that
    # only some copies have (or that the parser left in the body of some),
    # possibly quoting body sentences, so the region may hold equal sentences.
    lead_limit = min(LEAD_MAX, LEAD_SHARE * min(la, lb))
    in_lead = True
    for tag, i1, i2, j1, j2 in ops[:last]:
        if tag == "equal":
            # Text both copies have at length is the body: what differs after it is content.
            if pa[i2] - pa[i1] >= BODY_RUN:
                in_lead = False
            continue
        ra, rb = a[pa[i1] : pa[i2]], b[pb[j1] : pb[j2]]
        if st.noise(ra, rb, (i1, i2, j1, j2)):
            continue
        if in_lead and pa[i1] <= lead_limit and pb[j1] <= lead_limit and _wrapper_like(ra, rb):
            st.lead_end = (pa[i2], pb[j2])
            st.lead_regions.append((i1, i2, j1, j2))
        else:
            in_lead = False
            st.content.append((i1, i2, j1, j2))
            if mode == "screen":
                return st.different(st.why())
    if st.lead_regions:
        # equal sentences inside the lead (quotes of the body in a lede) are not the common body
        ea, eb = st.lead_end
        st.lead = max(ea, eb)
        st.matched -= sum(pa[op[2]] - pa[op[1]] for op in ops if op[0] == "equal" and pa[op[2]] <= ea)
    # the end: truncation, trailing junk, or a changed ending
    ia, jb = ops[last][2], ops[last][4]
    ra, rb = a[pa[ia] :], b[pb[jb] :]
    if (ra or rb) and not st.noise(ra, rb, (ia, len(sa), jb, len(sb))):
        side, junk, m, typos = _ending(ra, rb)
        # the side that stops first: its text up to a chrome fragment at its end; what only the other has
        (text, start, short, total), other = ((b, pb[jb], rb, la), ra) if side == "b" else ((a, pa[ia], ra, lb), rb)
        core = len(short) - junk
        extra = len(other) - m
        if side and extra / total >= TRUNCATION_MIN:
            st.truncated, st.matched, st.beyond_cut = side, st.matched + core - typos, extra
            st.edits += typos
        elif side and _trailing_junk(text[start + core - 1 : start + core], other[m:], short[core:], st.shorts):
            st.matched += core - typos
            st.edits += typos
        else:
            st.content.append((ia, len(sa), jb, len(sb)))
            # One side stops here (a copy cut short that differs before the
            # cut): what the other has beyond it cannot be compared.
            if len(rb) <= TAIL_STOP and (len(ra) - len(rb)) / la >= TRUNCATION_MIN:
                st.cut = (len(ra) - len(rb), 0)
            elif len(ra) <= TAIL_STOP and (len(rb) - len(ra)) / lb >= TRUNCATION_MIN:
                st.cut = (0, len(rb) - len(ra))
    return st.finish()


class _State:
    """Running tallies of one comparison."""

    def __init__(
        self,
        a: str,
        b: str,
        sa: list[str],
        pa: list[int],
        sb: list[str],
        pb: list[int],
        shorts: Iterable[str],
        mode: str,
    ) -> None:
        self.a, self.b = a, b
        self.sa, self.pa, self.sb, self.pb = sa, pa, sb, pb
        self.shorts = shorts
        self._by_len: list[str] | None = None  # shorts by length, made when first needed
        self._lens: list[int] = []
        self.mode = mode
        self.matched = 0
        self.edits = 0
        self.examples: list[tuple[str, str]] = []
        self.lead = 0
        self.lead_end = (0, 0)
        self.lead_regions: list[tuple[int, int, int, int]] = []
        self.content: list[tuple[int, int, int, int]] = []
        self.truncated: str | None = None
        self.beyond_cut = 0  # characters of the longer side after the point where the other stops
        self.cut = (0, 0)  # the same, for texts that are not the same version (a, b)
        self.spare_words = SPARE_WORDS
        # two edits close together let through for now: (ra, rb, their edits, region, edit count)
        self.pending: tuple[str, str, list[Any], tuple[int, int, int, int] | None, int] | None = None
        self.digit_change = False
        self.level_change = False
        self.negation_change = False

    def noise(self, ra: str, rb: str, region: tuple[int, int, int, int] | None = None) -> bool:
        """Are the differences in this region isolated typos or extraction differences?  Counts them if so.

        Each edit must be a single character, at least ``ISOLATION``
        characters from the next one (neighbouring edits are a changed word,
        which is what revisions do), and must not turn a digit into another
        digit (a changed number: a target or a year).  Lines that one copy
        has on their own and the other lacks (a table header cell, a line
        the chrome remover took from one copy) are set aside first.
        """
        if ra and rb and self._typos(ra, rb, region):
            return True
        # A line only one side has makes the sides differ in length by at least its length.
        extra = abs(len(ra) - len(rb))
        if self.shorts and extra:
            if self._by_len is None:
                self._by_len = sorted(set(self.shorts), key=len)
                self._lens = [len(x) for x in self._by_len]
            ra2, rb2 = ra, rb
            upto = bisect_right(self._lens, extra + MAX_NOISE_EDIT + 1)
            fits = {s for s in self._by_len[:upto] if s in ra or s in rb}
            # longest first (one line may hold another), so that the order given does not matter
            for s in sorted(fits, key=lambda x: (-len(x), x)):
                if s in ra2 or s in rb2:
                    ra2, rb2 = ra2.replace(s, ""), rb2.replace(s, "")
            if (ra2, rb2) != (ra, rb):
                if ra2 == rb2:
                    self.matched += len(ra2)
                    return True
                if ra2 and rb2 and self._typos(ra2, rb2, region):
                    return True
        return False

    def _typos(self, ra: str, rb: str, region: tuple[int, int, int, int] | None) -> bool:
        cap = max(2, min(len(ra), len(rb)) // ISOLATION)
        d = Levenshtein.distance(ra, rb, score_cutoff=cap)
        if d > cap:
            return False
        if d:
            ops = list(Levenshtein.editops(ra, rb))
            kind = _not_typos(ra, rb, ops, self.spare_words)
            if kind:
                self.digit_change = self.digit_change or kind == "digit"
                self.level_change = self.level_change or kind == "level"
                self.negation_change = self.negation_change or kind == "negation"
                return False
            close = _close_pairs(ops)
            if close:
                # whether they wrote a word is asked at the end, only if nothing else tells the copies apart
                self.spare_words -= len(close)
                self.pending = (ra, rb, [op for k in close for op in ops[k - 1 : k + 1]], region, d)
            for op in ops:
                if len(self.examples) < 3:
                    self.examples.append(
                        (_context(ra, op.src_pos, op.tag != "insert"), _context(rb, op.dest_pos, op.tag != "delete"))
                    )
        self.edits += d
        self.matched += min(len(ra), len(rb)) - d
        return True

    def _shares(self) -> tuple[float, float, float]:
        """The matched share of a, of b, and of both (containment a, containment b, similarity)."""
        la, lb = len(self.a), len(self.b)
        return (
            round(min(1.0, self.matched / la), 4),
            round(min(1.0, self.matched / lb), 4),
            round(min(1.0, 2 * self.matched / (la + lb)), 4),
        )

    def why(self) -> str:
        """What made the differing sentences more than noise."""
        if self.digit_change:
            return "a number changed"
        if self.negation_change:
            return "a negation changed"
        return "a level word changed" if self.level_change else "sentences differ"

    def different(self, reason: str) -> Comparison:
        """Not the same version, without telling a revision from a different document (mode "screen")."""
        return Comparison("different", len(self.a), len(self.b), *self._shares(), reason=reason, screened=True)

    def finish(self) -> Comparison:
        la, lb = len(self.a), len(self.b)
        short = min(la, lb)
        if not self.content and self.pending and _in_words(*self.pending[:3]):
            ra, rb, _, region, d = self.pending
            self.content.append(region or (0, len(self.sa), 0, len(self.sb)))
            self.edits -= d
            self.matched -= min(len(ra), len(rb)) - d
        reason = ""
        if self.content:
            reason = self.why()
        elif self.edits > noise_budget(short):
            reason = f"{self.edits} scattered character differences"
        elif self.lead > min(LEAD_MAX, LEAD_SHARE * short) + 200:
            reason = f"{self.lead} characters differ before the common text"
        elif self.truncated is not None and self.lead > LEAD_SHARE * self.matched:
            reason = f"{self.lead} characters differ before {self.matched} in common, and one text stops short"
        elif self.matched < CORE_MIN * (short - (self.lead if self.truncated is None else 0)):
            reason = "too little text in common"
        if not reason:
            return Comparison(
                "same",
                la,
                lb,
                *self._shares(),
                self.truncated,
                self.lead,
                self.lead_end[0],
                self.lead_end[1],
                self.edits,
                self.examples,
            )
        if self.mode == "screen":
            return self.different(reason)
        cut_a = self.beyond_cut if self.truncated == "b" else self.cut[0]
        cut_b = self.beyond_cut if self.truncated == "a" else self.cut[1]
        return _revision_or_different(
            self.a,
            self.b,
            self.sa,
            self.pa,
            self.sb,
            self.pb,
            self.content + self.lead_regions,
            self.matched,
            (cut_a, cut_b),
            reason,
            self.mode == "full",
        )


def _close_pairs(ops: list[Any]) -> list[int]:
    """Indices of the edits closer than ``ISOLATION`` to the edit before them."""
    return [k for k in range(1, len(ops)) if ops[k].src_pos - ops[k - 1].src_pos < ISOLATION]


def _in_words(ra: str, rb: str, ops: list[Any]) -> bool:
    """Are the characters these edits write, on both sides, inside words (and where a side has none, the
    characters either side of the gap)?  A typo leaves a character that makes a common two-character word
    with neither neighbour (湖于 for 在湖北), or the pieces of the word it cut (重大略性 for 重大战略性); a
    one-character modal or negation (可, 不) is a word of its own."""
    words = _common_words()
    for text, at in (
        (ra, {p for op in ops for p in ((op.src_pos - 1, op.src_pos) if op.tag == "insert" else (op.src_pos,))}),
        (rb, {p for op in ops for p in ((op.dest_pos - 1, op.dest_pos) if op.tag == "delete" else (op.dest_pos,))}),
    ):
        for p in at:
            if not 0 <= p < len(text) or not _HAN.match(text[p]) or text[p] in _MODAL:
                continue
            if (p == 0 or text[p - 1 : p + 1] not in words) and text[p : p + 2] not in words:
                return False
    return True


@cache
def _common_words() -> frozenset[str]:
    """The common two-character words (lineage/data/common_words.txt, from jieba's dictionary: see
    bench/tools/make_common_words.py): read once, in a few milliseconds, where jieba costs 0.2 s."""
    with resources.files("lineage").joinpath("data/common_words.txt").open(encoding="utf-8") as f:
        return frozenset(line.strip() for line in f if line.strip())


def _not_typos(ra: str, rb: str, ops: Iterable[Any], spare_words: int = 0) -> str | None:
    """What the edits turning ``ra`` into ``rb`` are when not all scraping typos: "word" (edits closer
    than ``ISOLATION``: a changed word; up to ``spare_words`` pairs of two are let through as typos that
    fell together), "digit" (a changed number), "level" (全省 -> 全市); else None."""
    ops = list(ops)
    close = _close_pairs(ops)
    # a third edit close to a pair is a changed word whatever is spare
    if len(close) > spare_words or any(b - a == 1 for a, b in pairwise(close)):
        return "word"
    for op in ops:
        old = ra[op.src_pos] if op.tag != "insert" else ""
        new = rb[op.dest_pos] if op.tag != "delete" else ""
        if old in _DIGIT and new in _DIGIT:
            return "digit"
        if old in _LEVEL and new in _LEVEL:
            return "level"
        if op.tag != "replace" and (old or new) in _NEGATION:
            return "negation"  # (written or dropped: an OCR copy reads 末 as 未, which replaces)
    return None


def _no_common_sentence(
    a: str, b: str, sa: list[str], pa: list[int], sb: list[str], pb: list[int], mode: str
) -> Comparison:
    """Texts with no sentence in common: tiny texts with a typo or cut short, or different texts."""
    st = _State(a, b, sa, pa, sb, pb, (), mode)
    if st.noise(a, b) and st.edits <= noise_budget(min(len(a), len(b))):
        return st.finish()
    side, _, typos = _truncation(a, b)
    if side:
        st.edits += typos
        st.truncated = side
        st.matched = min(len(a), len(b))
        st.beyond_cut = abs(len(a) - len(b))
        return st.finish()
    if mode == "screen":
        return st.different("no sentence in common")
    return _revision_or_different(
        a, b, sa, pa, sb, pb, [(0, len(sa), 0, len(sb))], 0, (0, 0), "no sentence in common", mode == "full"
    )


def _revision_or_different(
    a: str,
    b: str,
    sa: list[str],
    pa: list[int],
    sb: list[str],
    pb: list[int],
    regions: list[tuple[int, int, int, int]],
    matched: int,
    cut: tuple[int, int],
    reason: str,
    want_changes: bool,
) -> Comparison:
    """Pair the sentences of differing regions; a revision keeps most of both texts."""
    la, lb = len(a), len(b)
    # Where one side stops early, only the text up to the cut can be compared.
    end_a, end_b = la - cut[0], lb - cut[1]
    if matched < EQUAL_MIN * min(end_a, end_b):
        low = matched / max(1, min(end_a, end_b))
        return Comparison(
            "different",
            la,
            lb,
            round(min(1.0, matched / la), 4),
            round(min(1.0, matched / lb), 4),
            round(min(1.0, 2 * matched / (la + lb)), 4),
            reason=f"{reason}; {low:.0%} of the smaller side identical",
        )
    aligned_a = aligned_b = matched
    weighted = 2.0 * matched
    ch = Changes()
    swaps: Counter[tuple[str, str]] = Counter()
    for i1, i2, j1, j2 in sorted(regions):
        xs, ys = sa[i1:i2], sb[j1:j2]
        pairs = _pair_sentences(xs, ys) if xs and ys and len(xs) <= PAIRING_MAX and len(ys) <= PAIRING_MAX else []
        used_x = {p[0] for p in pairs}
        used_y = {p[1] for p in pairs}
        for x, y, r in pairs:
            aligned_a += len(xs[x])
            aligned_b += len(ys[y])
            weighted += r / 100.0 * (len(xs[x]) + len(ys[y]))
            if want_changes:
                _clause_changes(xs[x], ys[y], ch, swaps)
        if want_changes:
            for x, s in enumerate(xs):
                if x not in used_x:
                    ch.deleted += len(clauses(s))
                    _example(ch, {"change": "deleted", "a": _short(s)})
            for y, s in enumerate(ys):
                if y not in used_y:
                    ch.added += len(clauses(s))
                    _example(ch, {"change": "added", "b": _short(s)})
    cov_a = aligned_a / end_a if end_a > 0 else 1.0
    cov_b = aligned_b / end_b if end_b > 0 else 1.0
    sim = weighted / (la + lb)
    verdict = "revision" if min(cov_a, cov_b) >= REVISION_MIN else "different"
    if verdict == "different":
        reason = f"{reason}; {min(cov_a, cov_b):.0%} of the smaller side aligned"
    return Comparison(
        verdict,
        la,
        lb,
        round(min(1.0, cov_a), 4),
        round(min(1.0, cov_b), 4),
        round(min(1.0, sim), 4),
        reason=reason,
        changes=ch if verdict == "revision" and want_changes else None,
        **_most_swapped(swaps if verdict == "revision" else Counter()),
    )


def _place_swaps(x: str, y: str) -> list[tuple[str, str]]:
    """The place names two texts (a changed clause and its new wording) swap (武侯制造 -> 郫都制造: 武侯,
    郫都), level words and their affixes aside (全省 -> 全市 is the level, counted by dedup.family)."""
    # on first use: most comparisons are of copies, and the gazetteer's tables take tens of milliseconds
    from lineage.align.places import SWAP_CHARS

    out = []
    block: list[int] = []  # a run of changes between equal text: [x start, x end, y start, y end]
    for op in [*Levenshtein.opcodes(x, y), None]:  # (Levenshtein: a tenth of difflib's time on a clause)
        if op is not None and op.tag != "equal":
            block = [block[0] if block else op.src_start, op.src_end, block[2] if block else op.dest_start, op.dest_end]
            continue
        if block:
            a, b = x[block[0] : block[1]], y[block[2] : block[3]]
            if a and b and set(a) - SWAP_CHARS and set(b) - SWAP_CHARS and _swap(a, b):
                out.append((a, b))
            block = []
    return out


@lru_cache(maxsize=8192)  # the same words change across a family's comparisons (推进 -> 推动)
def _swap(a: str, b: str) -> bool:
    from lineage.ingest import gazetteer

    return gazetteer.is_jurisdiction_swap(a, b)


def _most_swapped(swaps: Counter[tuple[str, str]]) -> dict[str, Any]:
    if not swaps:
        return {}
    (a, b), n = min(swaps.items(), key=lambda kv: (-kv[1], kv[0]))
    return {"place_swap": f"{a} -> {b}", "place_swaps": n}


def _pair_sentences(xs: list[str], ys: list[str]) -> list[tuple[int, int, float]]:
    """Monotone pairing of similar sentences, maximizing the paired characters (DP over the ratio matrix)."""
    if len(xs) == 1 and len(ys) == 1:
        r = fuzz.ratio(xs[0], ys[0])
        return [(0, 0, r)] if r >= MODIFIED_MIN else []
    from rapidfuzz.process import cdist

    m = cdist(xs, ys, scorer=fuzz.ratio, score_cutoff=MODIFIED_MIN, workers=1)
    n1, n2 = len(xs), len(ys)
    best = [[0.0] * (n2 + 1) for _ in range(n1 + 1)]
    for i in range(n1 - 1, -1, -1):
        row, nxt = best[i], best[i + 1]
        for j in range(n2 - 1, -1, -1):
            v = max(nxt[j], row[j + 1])
            r = m[i, j]
            if r:
                v = max(v, nxt[j + 1] + (len(xs[i]) + len(ys[j])) * r / 100.0)
            row[j] = v
    out = []
    i = j = 0
    while i < n1 and j < n2:
        r = m[i, j]
        if r and best[i][j] == best[i + 1][j + 1] + (len(xs[i]) + len(ys[j])) * r / 100.0:
            out.append((i, j, float(r)))
            i += 1
            j += 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return out


def _clause_changes(x: str, y: str, ch: Changes, swaps: Counter[tuple[str, str]]) -> None:
    """Count what a pair of sentences changed, clause by clause, and the place names the changed clauses swap."""
    cx, cy = clauses(x), clauses(y)
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, cx, cy, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        n = min(i2 - i1, j2 - j1)
        ch.modified += n
        ch.deleted += (i2 - i1) - n
        ch.added += (j2 - j1) - n
        if n:
            swaps.update(_place_swaps("".join(cx[i1:i2]), "".join(cy[j1:j2])))
            _example(ch, {"change": "modified", "a": _short("".join(cx[i1:i2])), "b": _short("".join(cy[j1:j2]))})
        elif i2 > i1:
            _example(ch, {"change": "deleted", "a": _short("".join(cx[i1:i2]))})
        else:
            _example(ch, {"change": "added", "b": _short("".join(cy[j1:j2]))})


def _example(ch: Changes, e: dict[str, str]) -> None:
    if len(ch.examples) < 5:
        ch.examples.append(e)


def _wrapper_like(ra: str, rb: str) -> bool:
    """Does a difference near the start look like wrapper text rather than an edited sentence?

    Text that only one side has, or that ends the same way on both sides
    (a lede glued to the first line), or two unlike texts (one copy's lede,
    the other's notice) are wrapper differences; two versions of one
    sentence are an edit.
    """
    if not ra or not rb:
        return True
    short, long = (ra, rb) if len(ra) <= len(rb) else (rb, ra)
    if (
        len(long) - len(short) >= WRAPPER_MIN
        and Levenshtein.distance(short, long[len(long) - len(short) :], score_cutoff=1) <= 1
    ):
        return True
    # a common ending (the title glued to the first sentence) after different wrappers
    n = len(os.path.commonprefix([ra[::-1], rb[::-1]]))
    if n:
        ra, rb = ra[:-n], rb[:-n]
        if max(len(ra), len(rb)) < WRAPPER_MIN:
            return False  # a word changed at the start of a sentence
        if not ra or not rb:
            return True
    return fuzz.ratio(ra, rb) < WRAPPER_UNLIKE


def _ending(ra: str, rb: str) -> tuple[str | None, int, int, int]:
    """Which side stops first: its ending is a prefix of the other's (with typos: see
    ``_prefix_end``), once a fragment of page chrome at its very end is set aside (see EDGE_NOISE);
    the fragment's length; where that prefix ends in the other side's ending; and the typos."""
    side, m, d = _truncation(ra, rb)
    if side:
        return side, 0, m, d
    for side, short, long in (("a", ra, rb), ("b", rb, ra)):
        # the longest such fragment first: all that follows the last sentence end
        most = 0
        while most < min(EDGE_NOISE, len(short)) and _chrome_like(short[-most - 1]):
            most += 1
        for k in range(most, 0, -1):
            if len(short) - k < len(long):
                found = _prefix_end(short[:-k], long)
                if found is not None:
                    return side, k, *found
    return None, 0, 0, 0


def _trailing_junk(before: str, extra: str, junk: str, shorts: Iterable[str]) -> bool:
    """Are two endings the same text, one side going on with ``extra`` a little beyond where the
    other stops (``before``: the last character both have), then ending with ``junk`` (a fragment
    of chrome, or nothing)?

    Without such a fragment: a footer line left in the body, a copy cut just before the end; but
    whole sentences after a complete text are what a revision adds, unless a parser removed them
    as page chrome (they are in a removed line, see ``shorts`` in ``compare``: a last paragraph
    that carried a news trailer).  With a fragment: only another fragment of chrome after the
    same last sentence, which begins otherwise (two copies that kept different pieces of their
    pages' trailers); a line whose end was replaced is an edit.
    """
    if junk:
        return before in TERMINAL and _chrome_like(extra) and not os.path.commonprefix([junk, extra])
    if len(extra) > TRAILING_JUNK:
        return False
    sentences_added = before in TERMINAL and any(c in TERMINAL for c in extra)
    return not sentences_added or any(extra in s for s in shorts)


def _chrome_like(s: str) -> bool:
    """Short, with no number and no sentence end (see EDGE_NOISE)."""
    return len(s) <= EDGE_NOISE and not any(c in _DIGIT or c in TERMINAL for c in s)


def _truncation(ra: str, rb: str) -> tuple[str | None, int, int]:
    """Which side's ending is a prefix of the other's (with typos: see ``_prefix_end``), if any, where it
    ends in the other, and the typos."""
    for side, short, long in (("a", ra, rb), ("b", rb, ra)):
        if len(short) < len(long):
            found = _prefix_end(short, long)
            return (side, *found) if found is not None else (None, 0, 0)
    return None, 0, 0


def _prefix_end(short: str, long: str) -> tuple[int, int] | None:
    """The end of the prefix of ``long`` that is ``short`` with scraping typos, if there is one, and
    how many: one, or in an ending up to ``PREFIX_TYPO_SPAN`` characters as many as the noise budget
    allows (a copy cut short a few sentences after its last sentence in common with the other, with
    typos in those sentences), isolated and leaving numbers and level words alone."""
    n = len(short)
    if not n:
        return 0, 0
    cap = max(1, min(n // ISOLATION, noise_budget(n))) if n <= PREFIX_TYPO_SPAN else 1
    best: tuple[int, int] | None = None
    # the same length first (substitutions), then a dropped character, an inserted one, ...
    for m in sorted(range(max(0, n - cap), n + cap + 1), key=lambda m: (abs(m - n), m)):
        limit = cap if best is None else best[0] - 1
        d = Levenshtein.distance(short, long[:m], score_cutoff=limit)
        if d <= limit:
            best = (d, m)
            if not d:
                break
    if best is None:
        return None
    d, m = best
    # the closest alignment is what changed: a word or a number there is not a typo
    if d and _not_typos(short, long[:m], Levenshtein.editops(short, long[:m])):
        return None
    return m, d


def _offsets(ss: list[str]) -> list[int]:
    return [0, *accumulate(map(len, ss))]


def _context(s: str, pos: int, edited: bool, width: int = 6) -> str:
    """``width`` characters either side of an edit at ``pos``; ``edited``: this side has a character there.

    The side without one (an insertion seen from the other side) takes no
    character for it, so both sides show the same words around the edit.
    """
    return s[max(0, pos - width) : pos + width + (1 if edited else 0)]


def _short(s: str, n: int = 60) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"
