"""What the dedup pipeline works on: body classes, their texts, and cached pair comparisons.

A *body class* is the set of documents whose comparison texts are equal (same
version by construction: they differ only by formatting, encoding, chrome,
HTML).  The pipeline compares classes, not documents; a ``Plan`` holds the
classes, their texts (compressed in memory), the LSH parameters and every
comparison made so far (``cached``), which the engines may fill ahead.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable, MutableMapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import numpy as np

from lineage.dedup.features import Features, unpack_text
from lineage.dedup.verify import Comparison, Split, compare, split
from lineage.ingest.metadata import doc_number_key
from lineage.model import DEFINITE_DATES, MADE_DATES, Document

Progress = Callable[[str, int, int], None]  # (stage, done, total)


def noop(stage: str, done: int, total: int) -> None:
    pass


class Texts:
    """Comparison texts, kept compressed in memory and decompressed (and split) on demand.

    The most recently used plain texts and sentence splits are kept: pairs
    are compared one connected group of candidates at a time, so a text is
    rarely decompressed twice.
    """

    def __init__(self, raw: dict[str, bytes] | None = None, keep: int = 4096) -> None:
        self._raw = raw if raw is not None else {}
        self.keep = keep
        self._cache: OrderedDict[str, str] = OrderedDict()
        self._splits: OrderedDict[str, Split] = OrderedDict()

    def raw(self, sha: str) -> bytes:
        return self._raw[sha]

    def forget(self, keep: set[str]) -> None:
        """Drop the compressed texts of documents that will not be compared (not their class's representative)."""
        for sha in [s for s in self._raw if s not in keep]:
            del self._raw[sha]

    def get(self, sha: str) -> str:
        t = self._cache.get(sha)
        if t is not None:
            self._cache.move_to_end(sha)
            return t
        t = unpack_text(self.raw(sha))
        self._cache[sha] = t
        if len(self._cache) > self.keep:
            self._cache.popitem(last=False)
        return t

    def split(self, sha: str) -> Split:
        sp = self._splits.get(sha)
        if sp is not None:
            self._splits.move_to_end(sha)
            return sp
        sp = split(self.get(sha))
        self._splits[sha] = sp
        if len(self._splits) > self.keep:
            self._splits.popitem(last=False)
        return sp


@dataclass
class BodyClass:
    """Documents with the same comparison text (and issued in the same place, where they say: :func:`issued_in`)."""

    key: str  # text hash (or "empty:" + sha for documents without text), "@" + the place where one was issued
    shas: list[str]
    rep: Features  # features of the first sha (all share the text and signatures)
    shorts: tuple[str, ...]  # short lines of all members (see dedup_features.short_lines), shortest first
    shorts_digest: str = ""
    place: str = ""  # where its members' issuers say they were issued ("" where none says)
    number: str = ""  # the 文号 its members' notices give ("" where none does)

    @property
    def length(self) -> int:
        return self.rep.length


def issued_in(x: Features | Document) -> str:
    """The jurisdiction a document's issuers (its notice or signature) say it was issued in, or "".

    The same text issued by two governments is two documents: a city's notice forwarding (转发) its
    province's plan, with the plan whole as its body, is the city's, with its own 文号 and date; scraped
    copies of one document keep its issuer.  Only the issuers count here, not a place read from the title
    (:func:`titled_in`) or guessed from the body (see :mod:`lineage.dedup.family`).
    """
    return _read_from(x, "issuers")


def titled_in(x: Features | Document) -> str:
    """The place a document's title names, where ingest read its jurisdiction from the title (else "")."""
    return _read_from(x, "title")


def _read_from(x: Features | Document, source: str) -> str:
    if isinstance(x, Features):
        name, how = x.jurisdiction, x.jurisdiction_source
    else:
        name, how = (x.jurisdiction.name, x.jurisdiction.source) if x.jurisdiction else (None, None)
    return (name or "") if how == source else ""


def body_classes(feats: dict[str, Features]) -> list[BodyClass]:
    groups: dict[str, list[str]] = defaultdict(list)
    for sha, f in feats.items():
        groups[f.text_hash if f.length else "empty:" + sha].append(sha)
    out = []
    for text_key in sorted(groups):
        # one class per place of issue the members' issuers name and 文号 their notices give, those naming
        # none apart: the clustering decides which group they join (the one issued first, where two places
        # hold the text; a 文号 names one document: the same text under two is issued twice)
        by_place: dict[tuple[str, str], list[str]] = defaultdict(list)
        for sha in groups[text_key]:
            by_place[issued_in(feats[sha]), feats[sha].doc_number or ""].append(sha)
        for place, number in sorted(by_place):
            members = sorted(by_place[place, number])
            key = text_key
            if len(by_place) > 1 and (place or number):
                key += f"@{place}" + (f"#{number}" if number else "")
            shorts = tuple(sorted(sorted({s for sha in members for s in feats[sha].shorts}), key=len))
            digest = hashlib.blake2b("\n".join(shorts).encode("utf-8"), digest_size=6).hexdigest()
            out.append(BodyClass(key, members, feats[members[0]], shorts, digest, place, number))
    out.sort(key=lambda c: c.key)
    return out


def group_place(classes: list[BodyClass], ks: list[int]) -> str:
    """Where a group of classes says it was issued ("" where none says; the clustering keeps it to one place)."""
    return next((classes[k].place for k in ks if classes[k].place), "")


NO_DAY = 10**7  # after every date: a group without one


@lru_cache(maxsize=65536)
def day(iso: str | None) -> int | None:
    """Day number of an ISO date (a year alone counts as its middle), None if there is none."""
    if not iso:
        return None
    try:
        parts = [int(p) for p in iso.split("-")]
        return date(parts[0], parts[1] if len(parts) > 1 else 7, parts[2] if len(parts) > 2 else 1).toordinal()
    except (ValueError, IndexError):
        return None


def dates_of(xs: Iterable[Features | Document]) -> tuple[int, int]:
    """The first day of any definite date of ``xs`` (signed, published, given), and the first day one of them
    was made (signed, given); NO_DAY where there is none.  A scraped copy is published after its document was
    signed: a copy naming no issuer dated before a document was made is no copy of it (a city's notice
    forwarding its province's plan, against the plan's copies: :func:`lineage.dedup.cluster.walk`)."""
    first = made = NO_DAY
    for x in xs:
        if x.date_kind in DEFINITE_DATES and (d := day(x.date)) is not None:
            first = min(first, d)
            if x.date_kind in MADE_DATES:
                made = min(made, d)
    return first, made


def group_numbers(classes: list[BodyClass], ks: list[int]) -> frozenset[str]:
    """The 文号 a group of classes' notices give (none, or one: the clustering keeps two apart)."""
    return frozenset(classes[k].number for k in ks if classes[k].number)


def issued_apart(a: str, b: str) -> bool:
    """Whether two places of issue (:func:`issued_in`; "" for none) say two documents are two: both known, unlike."""
    return bool(a and b and a != b)


@dataclass(frozen=True)
class Issue:
    """Where, when and under which 文号 a copy, or a group of copies, says it was issued: what keeps two
    texts alike apart as two documents (:func:`kept_apart`).  The clustering holds one per group
    (:func:`lineage.dedup.cluster.walk`), ``trace.copies_of`` one per document."""

    place: str = ""  # issued_in ("" where no issuer is named)
    titled: str = ""  # where none is: the place the title names
    numbers: frozenset[str] = frozenset()  # the 文号 the notices give
    days: tuple[int, int] = (NO_DAY, NO_DAY)  # dates_of: the first definite day, the first day made

    @classmethod
    def of(cls, xs: list[Features] | list[Document]) -> Issue:
        """Of one document, or of copies that say one place (a body class)."""
        place = next((p for x in xs if (p := issued_in(x))), "")
        titled = "" if place else next((t for x in xs if (t := titled_in(x))), "")
        numbers = frozenset(
            n for x in xs if (n := x.doc_number if isinstance(x, Features) else doc_number_key(x.doc_number))
        )
        return cls(place, titled, numbers, dates_of(xs))

    def joined(self, other: Issue) -> Issue:
        place = self.place or other.place
        return Issue(
            place,
            "" if place else self.titled or other.titled,
            self.numbers | other.numbers,
            (min(self.days[0], other.days[0]), min(self.days[1], other.days[1])),
        )


def issued_twice(a: Issue, b: Issue) -> bool:
    """Issued by two governments, or under two 文号: what both say of themselves makes them two documents."""
    return issued_apart(a.place, b.place) or bool(a.numbers and b.numbers and a.numbers != b.numbers)


def kept_apart(a: Issue, b: Issue) -> bool:
    """Issued by two governments, or under two 文号, or a copy naming no issuer titled for another place than
    the other was issued in, or dated before the other was made: two documents, however alike."""
    return (
        issued_twice(a, b)
        or issued_apart(a.place, b.titled)
        or issued_apart(b.place, a.titled)
        or _before_made(a, b)
        or _before_made(b, a)
    )


def _before_made(bare: Issue, issued: Issue) -> bool:
    """A copy naming no issuer, dated before a group issued somewhere was made (signed), is no copy of it."""
    return not bare.place and bool(issued.place) and issued.days[1] != NO_DAY and bare.days[0] < issued.days[1]


def pair_shorts(a: BodyClass, b: BodyClass) -> tuple[str, ...]:
    return a.shorts + b.shorts


def pair_key(a: BodyClass, b: BodyClass) -> str:
    """Cache key of a comparison: both texts and the lines it may set aside."""
    return f"{a.key}:{b.key}:{a.shorts_digest}:{b.shorts_digest}"


@dataclass
class Plan:
    """Everything the engines need: classes, texts, LSH parameters."""

    classes: list[BodyClass]
    features: dict[str, Features]
    texts: Texts
    bands: int
    rows: int
    cached: MutableMapping[str, dict] = field(default_factory=dict)  # pair key -> Comparison.to_dict()
    component: np.ndarray | None = None  # candidate-graph component of each class (set once candidates are known)

    def comparable(self) -> list[int]:
        return [i for i, c in enumerate(self.classes) if c.length]


def compare_classes(plan: Plan, i: int, j: int, mode: str = "full") -> Comparison:
    """Comparison of two classes (a = i, b = j), from the cache or computed now (see dedup_verify.MODES)."""
    a, b = plan.classes[i], plan.classes[j]
    if a.key > b.key:
        return compare_classes(plan, j, i, mode).swapped()
    key = pair_key(a, b)
    d = plan.cached.get(key)
    if d is not None and satisfies(d, mode):
        return Comparison.from_dict(d)
    c = compare(
        plan.texts.get(a.rep.sha),
        plan.texts.get(b.rep.sha),
        mode=mode,
        shorts=pair_shorts(a, b),
        split_a=plan.texts.split(a.rep.sha),
        split_b=plan.texts.split(b.rep.sha),
    )
    plan.cached[key] = c.to_dict()
    return c


def satisfies(d: dict, mode: str) -> bool:
    """Does a cached comparison answer a request in this mode?"""
    if mode == "screen" or d["verdict"] == "same":
        return True
    if d.get("screened"):
        return False
    return mode == "classify" or d["verdict"] != "revision" or d["changes"] is not None
