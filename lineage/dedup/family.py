"""Revision or different document: may two versions whose texts align be one document's family?

Verification (``dedup_verify``) calls two texts revisions when most of each is
found in the other.  So are texts that are not one document: a city's
localized adaptation of its province's plan (江苏省 -> 南京市, 全省 -> 全市), a
district's of its city's, a new document that keeps most of an older one
under another title.  Those are reuse, which the graph finds through the
n-gram index; a family link (``related``) needs more than shared text:

1. not issued in different places (``apart``), nor localized for another place
   (sentences that swap one place name for another, 武侯制造 -> 郫都制造, at
   least ``PLACE_SWAPS`` times: a district's adaptation of the plan another
   district adapted too, whose scraped copy lost the notice that said where
   it was issued); bodies whose level words were
   swapped (全省, 省级 in one where the other says 全市, 市级) are not; nor are
   places stated by the copies' issuers or titles that differ, else places
   ingest guessed from the bodies (a guess is a last resort: a district plan
   naming its city often, or a place name quoted from another plan, makes it
   wrong about one time in four on generated copies, mostly at another level
   than the real place; it counts only where the body speaks for its level);
2. the same title up to year, edition and punctuation (``title_key``), or
3. the same issuer and at least ``FAMILY_ALIGNED`` of both sides aligned
   (where a side has no title at all, the alignment and issuers that do not
   differ).

Families grow from such links, most similar first, and two families join
only if rule 1 holds between all they know (``families``).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import lru_cache

from lineage.dedup.cluster import UnionFind
from lineage.dedup.features import LEVELS, Features
from lineage.dedup.verify import PLACE_SWAPS
from lineage.ingest import gazetteer
from lineage.ingest.metadata import NOTICE_TITLE, SPEAKS_MIN, speaks_for
from lineage.ingest.normalize import fold

# Share of each side aligned with the other (identical or modified) for a family link without the same title.
FAMILY_ALIGNED = 0.8
# One body uses a level's words (at least SPEAKS_MIN times) this many times as often as the other:
# they were swapped.  (Which level a body speaks for: lineage.ingest.metadata.speaks_for.)
SWAPPED = 4
# Where ingest read a jurisdiction: what the document says of itself, and a guess from its body.  A
# news lede's place (where it reports from) is neither: it is right more often than a guess, but a
# stated place against a guess of the same level keeps versions apart, and a lede can be wrong too.
STATED = frozenset({"issuers", "title"})
GUESSED = "body"

# Editions of one document: a draft, a revised or trial edition.
# ... of which a draft's come before the text issued
DRAFT = re.compile(r"征求意见稿|送审稿|讨论稿|审议稿|草案|草稿|初稿")
_EDITION = re.compile(
    DRAFT.pattern + r"|修订稿|修订版|修订|修正|试行|暂行|定稿|最终稿|"
    r"第[一二三四五六七八九十\d]+版|年版|新版"
)
_TO = r"\s*[-—–~～至到]+\s*"  # between a range's years
# Years and year ranges: (2016—2019年), 2020年度.
_YEARS = re.compile(rf"\d{{4}}({_TO}\d{{4}})?\s*年?度?")
_NOT_WORD = re.compile(r"[\W_]+")


@lru_cache(maxsize=65536)  # copies of a version share their title: each is read once
def title_key(title: str | None) -> str | None:
    """A title without its issuer's notice wrapper, leading place name, years, edition and punctuation."""
    if not title:
        return None
    t = _NOT_WORD.sub("", _EDITION.sub("", _YEARS.sub("", _unwrapped(title))))
    # The place the title starts with is the jurisdiction's business, compared on its own.
    return _after_place(t) or None


_PERIOD = re.compile(rf"(\d{{4}})(?:{_TO}(\d{{4}}|\d{{2}}(?!\d)))?")


@lru_cache(maxsize=65536)
def title_years(title: str | None) -> tuple[str, ...]:
    """The period a title names, its first years: (2015—2018年) -> ('2015', '2018'), 2015—18年 the same,
    2020年度 -> ('2020',); () for none.  The first only: （2017年修订） after a period is its edition, a
    文号's 〔2015〕 after the title its number."""
    m = _PERIOD.search(_unwrapped(title)) if title else None
    if m is None:
        return ()
    start, end = m.group(1), m.group(2)
    if end and len(end) == 2:
        end = start[:2] + end
    return (start, end) if end else (start,)


@lru_cache(maxsize=4096)
def title_without_place(title: str | None) -> str | None:
    """A title without its issuer's notice wrapper and leading place name: its years and edition kept.

    (Cached: attribution compares the titles of the same few sources at every contested sentence.)
    """
    if not title:
        return None
    return _after_place(_unwrapped(title)) or None


def _unwrapped(title: str) -> str:
    """The title folded, without its issuer's notice wrapper (关于印发…的通知)."""
    t = fold(title)
    m = NOTICE_TITLE.match(t)
    return m.group("plan") if m else t


def _after_place(t: str) -> str:
    hits = gazetteer.find(t)
    while hits and hits[0][0] == 0:
        t = t[hits[0][1] :]
        hits = gazetteer.find(t)
    return t


@dataclass(frozen=True)
class Identity:
    """What a version says of itself, over all its copies."""

    stated: frozenset[tuple[str, str]]  # (name, level) of the jurisdictions the copies' issuers or titles say
    guessed: frozenset[tuple[str, str]]  # ... that ingest guessed from the bodies of copies that state none
    levels: tuple[int, ...]  # level words of the bodies (dedup_features.level_words), the most any copy has
    titles: frozenset[str]  # title keys
    issuers: frozenset[str]


def identity(features: Iterable[Features]) -> Identity:
    """The identity of a version from its copies' features."""
    fs = list(features)

    def places(sources: Collection[str]) -> frozenset[tuple[str, str]]:
        return frozenset(
            (f.jurisdiction, f.jurisdiction_level or "")
            for f in fs
            if f.jurisdiction
            and f.jurisdiction_source in sources
            # a guess from the body counts only where the body speaks for its level
            and (sources is STATED or speaks_for(tuple(f.level_words)) == f.jurisdiction_level)
        )

    titles = frozenset(k for k in (title_key(f.title) for f in fs) if k)
    issuers = frozenset(fold(i) for f in fs for i in f.issuers)
    levels = tuple(max(counts) for counts in zip(*(f.level_words for f in fs))) if fs else ()
    return Identity(places(STATED), places({GUESSED}), levels, titles, issuers)


def swapped_levels(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[str, str] | None:
    """The levels two bodies speak for, when their level words were swapped: each speaks for
    another level, or each uses a level's words at least SPEAKS_MIN times and SWAPPED times as
    often as the other (a revision keeps its level words, give or take a sentence)."""
    sa, sb = speaks_for(a), speaks_for(b)
    if sa and sb and sa != sb:
        return sa, sb
    more_a = [lv for lv, x, y in zip(LEVELS, a, b) if x >= SPEAKS_MIN and x >= SWAPPED * y]
    more_b = [lv for lv, x, y in zip(LEVELS, a, b) if y >= SPEAKS_MIN and y >= SWAPPED * x]
    return (more_a[0], more_b[0]) if more_a and more_b else None


def apart(a: Identity, b: Identity) -> str | None:
    """Why the two sides were issued in different places, if the evidence both have says so.

    Bodies whose level words were swapped (全省 against 全市); else stated places
    against stated ones; where a side states none, guesses against guesses; where only
    one side states and only the other guesses, the guess counts only at the stated
    place's level (a sibling city's adaptation): a wrong guess is mostly a place above
    (the plan's own province, named often) or a stray name.
    """
    levels = swapped_levels(a.levels, b.levels)
    if levels:
        return f"the texts speak for different levels ({levels[0]}, {levels[1]})"
    for x, y in ((a.stated, b.stated), (a.guessed, b.guessed)):
        if x and y:
            return None if x & y else f"different issuing jurisdictions ({_names(x)}, {_names(y)})"
    for x, y in ((a.stated, b.guessed), (a.guessed, b.stated)):
        if x and y:
            same_level = {lv for _, lv in x} & {lv for _, lv in y}
            if same_level and not x & y:
                return f"different issuing jurisdictions ({_names(x)}, {_names(y)})"
    return None


def _names(xs: Iterable[str | tuple[str, str]]) -> str:
    return "/".join(sorted(x if isinstance(x, str) else x[0] for x in xs))


def merged(a: Identity, b: Identity) -> Identity:
    """What two families know of themselves together."""
    levels = tuple(max(x, y) for x, y in zip(a.levels, b.levels)) or a.levels or b.levels
    return Identity(a.stated | b.stated, a.guessed | b.guessed, levels, a.titles | b.titles, a.issuers | b.issuers)


def same_document(
    a: Identity, b: Identity, a_in_b: float, b_in_a: float, place_swap: str = "", place_swaps: int = 0
) -> tuple[bool, str]:
    """May two versions whose texts are revisions of each other be one family?  And why (not).

    ``place_swap``, ``place_swaps``: the place name their paired sentences swap most often for another
    (dedup.verify's comparison), and how often.
    """
    why = apart(a, b)
    if why:
        return False, why
    if place_swaps >= PLACE_SWAPS:
        return False, f"localized for another place ({place_swap}, {place_swaps} times)"
    if a.titles & b.titles:
        return True, "same title"
    aligned = min(a_in_b, b_in_a)
    if a.titles and b.titles:
        if a.issuers & b.issuers and aligned >= FAMILY_ALIGNED:
            return True, f"same issuer, {aligned:.0%} aligned"
        why = "same issuer" if a.issuers & b.issuers else "different or unknown issuers"
        return False, f"different titles; {why}, {aligned:.0%} aligned"
    # no title to compare (a copy that lost its title line): the text and the issuers decide
    if aligned >= FAMILY_ALIGNED and not (a.issuers and b.issuers and not a.issuers & b.issuers):
        return True, f"no title to compare, {aligned:.0%} aligned"
    return False, f"no title to compare, {aligned:.0%} aligned" + (
        ", different issuers" if aligned >= FAMILY_ALIGNED else ""
    )


def families(
    idents: list[Identity], links: list[tuple[int, int, float, float, float, str, int]]
) -> tuple[list[int], list[int]]:
    """The family of each version (a representative's index), and which links are revisions.

    ``links`` are (version, version, similarity, share of the first aligned, of the second, the
    place name swapped most often, how often) of texts that align as revisions.  Those that may
    be one document (``same_document``) join their families, most similar first, unless the
    places the two families state (else guess) differ: a version linked to its province's plan
    and to its own revision cannot join them, whichever link comes first.
    """
    uf = UnionFind(len(idents))
    fam = list(idents)
    ok = [
        k
        for k, (g, h, _, x, y, swap, swaps) in enumerate(links)
        if same_document(idents[g], idents[h], x, y, swap, swaps)[0]
    ]
    for k in sorted(ok, key=lambda k: (-links[k][2], links[k][0], links[k][1])):
        rg, rh = uf.find(links[k][0]), uf.find(links[k][1])
        if rg != rh and apart(fam[rg], fam[rh]) is None:
            uf.union(rg, rh)
            fam[uf.find(rg)] = merged(fam[rg], fam[rh])
    roots = [uf.find(k) for k in range(len(idents))]
    return roots, [k for k in ok if roots[links[k][0]] == roots[links[k][1]]]
