"""Which of two documents sharing text is the source: evidence, and a confidence.

Evidence considered, each either favouring one side or recorded as not
telling (so a reader sees what was checked):

* **date** -- the earlier document is the likelier source.  A signed or
  published date is a point, an estimate an interval; only intervals that
  do not overlap are evidence (an estimated range that contains the other
  date proves nothing).
* **level** -- a higher administrative level (national > province > city >
  county) is the likelier source, when one jurisdiction can contain the
  other (national, or the same province); two provinces, or a city of
  another province, are not evidence.
* **citation** -- a document citing the other (by 文号 or title) drew on it.
* **localization** -- where aligned clauses differ only by the jurisdiction
  (浙江省/全省 on one side, 绍兴市/全市 on the other), the side with the
  higher-level words is the original: plans localize downwards.
* **revision** -- versions of one document (dedup's revisions): the earlier
  date decides, which the date evidence already says.
* **edition** -- of two versions of one document, the one whose title says it
  is a draft (征求意见稿, 送审稿, 讨论稿, 草案...) came before the one whose title
  does not: a draft for comments precedes the document it became, whatever
  its estimated date.

Two *definite* dates (signed or published: points, not estimates) that do
not overlap decide on their own: a document cannot be the source of one
published before it.  Level and localization pointing the other way are
then not conflicting evidence but a different story (the later, higher
document may have adopted the lower one's text, or both drew on a common
source): they are kept, overruled (``overruled_by: "date"``), and the edge
says so (:mod:`lineage.graph.edges` names the candidate common sources).
The dates then say which side is earlier, not that the later one took the
earlier one's text: unless a citation (or an edition) says so too, the
direction is *uncertain* -- the two documents share text -- with the
earlier side shown first (confidence :data:`ADOPTION_CONFIDENCE`).
A citation against definite dates still conflicts: two facts disagree, so a
date or the citation is wrong.  An estimated date proves nothing inside its
range and keeps the rules below.

Direction is *established* when the evidence points one way and nothing
points the other (the level alone does not, where a side's place is only
guessed from the place names in its body); *uncertain* when it conflicts or there is none.  The
confidence (0-1) is that of the direction shown: for established edges
``1 - prod(1 - p)`` over the favouring evidence (p: citation 0.9, dates that
are both points 0.8, an estimated date 0.65, localization 0.75 (0.85 from
three swaps on), level 0.6, edition 0.8); an uncertain edge gets at most 0.4.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from lineage.graph.nodes import LEVEL_RANK, related_places
from lineage.ingest import gazetteer
from lineage.model import DEFINITE_DATES

P_CITATION = 0.9
WEAK_CITATION = 0.5  # a citation resolved with less confidence (by title, dates unknown) is not evidence
P_DATE_POINTS = 0.8
P_DATE_ESTIMATED = 0.65
P_LOCALIZATION = 0.75
P_LOCALIZATION_STRONG = 0.85  # from STRONG_SWAPS swaps on
P_LEVEL = 0.6
STRONG_SWAPS = 3
P_EDITION = 0.8
# What a draft's title calls it: for comments, for review, for discussion, a draft.
_DRAFT = re.compile(r"征求意见稿|意见征求稿|送审稿|讨论稿|审议稿|草案|草稿|初稿")
CONFLICT_CONFIDENCE = 0.3
ADOPTION_CONFIDENCE = 0.4  # the earlier of two definite dates, against the level: uncertain that it is the source
NO_EVIDENCE_CONFIDENCE = 0.1
SWAP_DOMINANCE = 3  # one direction of swaps must outnumber the other this many times

DEFINITE = DEFINITE_DATES  # date kinds that are facts, not estimates
OVERRULED_BY_DATES = ("level", "localization")  # inferences two definite dates outweigh

# Level of a jurisdiction word (全省, 市委, 在浙, 绍兴市...): the rank of the level it names.
_SWAP_LEVEL = {"country": 0, "national": 0, "province": 1, "city": 2, "county": 3, "township": 4}
_AFFIX = re.compile(r"^(全|我|本|在|各)|(人民政府|政府|人大|政协|级|委|内|外|域|属|直)$")


@dataclass
class Evidence:
    kind: str  # date | level | citation | localization | revision | edition | external
    favours: str | None  # "a" | "b" | None (recorded, not telling)
    detail: str
    p: float = 0.0
    overruled_by: str | None = None  # "date": it pointed the other way, and two definite dates decide

    def to_dict(self, a_is_source: bool) -> dict[str, Any]:
        fav = None if self.favours is None else ("source" if (self.favours == "a") == a_is_source else "target")
        d = {"kind": self.kind, "favours": fav, "detail": self.detail}
        if self.overruled_by:
            d["overruled_by"] = self.overruled_by
        return d


@dataclass
class Direction:
    source: str  # "a" or "b": the side shown as the source
    status: str  # established | uncertain
    confidence: float
    conflict: bool
    evidence: list[Evidence] = field(default_factory=list)
    overruled: list[Evidence] = field(default_factory=list)  # what two definite dates outweighed (level, localization)

    @property
    def by_dates(self) -> bool:
        """Established by two definite dates against level or localization: the later side may have adopted."""
        return bool(self.overruled)


def term_level(term: str) -> int | None:
    """Administrative rank of a jurisdiction word: 浙江省/全省/省委 -> 1, 绍兴市/全市 -> 2, 全国 -> 0."""
    t = term.strip(" 、，,")
    for part in re.split(r"[、，, ]", t):
        core = part
        for _ in range(3):
            core = _AFFIX.sub("", core)
        if not core:
            continue
        divs = gazetteer.lookup(core)
        if divs:
            return _SWAP_LEVEL[divs[0].level]
        if core in gazetteer.JURISDICTION_WORDS:  # 省, 国; 国家 (国家级), as 国 (全国)
            return _SWAP_LEVEL[gazetteer.JURISDICTION_WORDS[core]]
        if len(core) == 1:
            d = gazetteer.resolve(core)  # 浙, 绍: a one-character 简称
            if d:
                return _SWAP_LEVEL[d.level]
        if core[-1] in gazetteer.JURISDICTION_WORDS:
            return _SWAP_LEVEL[gazetteer.JURISDICTION_WORDS[core[-1]]]
    return None


def swap_evidence(swaps: Counter) -> tuple[int, int, list[str]]:
    """Swaps going down (a higher-level word in the source, a lower in the target), up, and examples."""
    down = up = 0
    examples: list[str] = []
    for (a, b), n in swaps.most_common():
        la, lb = term_level(a), term_level(b)
        if la is None or lb is None or la == lb:
            continue
        if la < lb:
            down += n
        else:
            up += n
        if len(examples) < 4:
            examples.append(f"{a}→{b}" + (f" ×{n}" if n > 1 else ""))
    return down, up, examples


def _fmt_date(v: Any) -> str:
    if v.date_kind == "estimated" and v.date_range:
        return f"estimated {v.date_range[0]}..{v.date_range[1]}"
    if v.date_kind in DEFINITE:
        return f"{v.date_kind} {v.date}"
    return f"{v.date}" + (f" ({v.date_kind})" if v.date_kind else "")


def _name(v: Any) -> str:
    return v.short


def definite(v: Any) -> bool:
    """A signed or published date: a fact (a point), not an estimate."""
    return v.date_kind in DEFINITE and bool(v.span) and v.span[0] == v.span[1]


def edition_evidence(a: Any, b: Any) -> Evidence | None:
    """Of two versions of one document, the one whose title calls it a draft came first (None: neither or both)."""
    ma, mb = (_DRAFT.search(getattr(v, "title", None) or "") for v in (a, b))
    if bool(ma) == bool(mb):
        return None
    draft, final, side, m = (a, b, "a", ma) if ma else (b, a, "b", mb)
    assert m is not None
    return Evidence(
        "edition",
        side,
        f"{_name(draft)} is a draft ({m[0]}) of {_name(final)}: a draft comes before the document it became",
        P_EDITION,
    )


def date_evidence(a: Any, b: Any) -> Evidence:
    if not a.span or not b.span:
        missing = " and ".join(_name(x) for x in (a, b) if not x.span)
        return Evidence("date", None, f"no date for {missing}")
    if a.span[1] < b.span[0] or b.span[1] < a.span[0]:
        first, second, fav = (a, b, "a") if a.span[1] < b.span[0] else (b, a, "b")
        points = all(
            x.date_kind in ("signed", "published", "given", "doc_number", "known") and x.span[0] == x.span[1]
            for x in (a, b)
        )
        p = P_DATE_POINTS if points else P_DATE_ESTIMATED
        return Evidence(
            "date", fav, f"{_name(first)} ({_fmt_date(first)}) is earlier than {_name(second)} ({_fmt_date(second)})", p
        )
    if a.span == b.span and a.span[0] == a.span[1]:
        return Evidence("date", None, f"same date ({date.fromordinal(a.span[0]).isoformat()})")
    return Evidence(
        "date", None, f"dates overlap ({_name(a)}: {_fmt_date(a)}; {_name(b)}: {_fmt_date(b)}): not evidence"
    )


# A place guessed from the names a body mentions (no notice, title or issuer saying it) is wrong often enough
# (a 黄岛区 plan read as 山东省's, which its body names throughout) that the level alone does not decide.
LEVEL_GUESSED = "a level read only from the place names in a body: not evidence enough alone"


def _guessed(v: Any) -> bool:
    return (v.jurisdiction or {}).get("source") == "body"


def level_evidence(a: Any, b: Any) -> Evidence | None:
    la, lb = a.level, b.level
    if la is None or lb is None:
        return None
    if la == lb:
        return Evidence("level", None, f"both {la}")
    ja, jb = a.jurisdiction or {}, b.jurisdiction or {}
    higher, lower, fav = (a, b, "a") if LEVEL_RANK[la] < LEVEL_RANK[lb] else (b, a, "b")
    where = (
        f"{_name(higher)} is {higher.level} ({(higher.jurisdiction or {}).get('name')}), "
        f"{_name(lower)} {lower.level} ({(lower.jurisdiction or {}).get('name')})"
    )
    if not related_places(ja, jb):
        return Evidence("level", None, f"{where}, in another province: not evidence")
    return Evidence("level", fav, f"higher level: {where}", P_LEVEL)


def citation_evidence(
    a: Any,
    b: Any,
    a_cites_b: list[str],
    b_cites_a: list[str],
    p_a_cites_b: float = P_CITATION,
    p_b_cites_a: float = P_CITATION,
) -> list[Evidence]:
    """``p_*``: how sure the citation names this document (graph_citations: 1.0 by 文号, less by title alone)."""
    out = []
    for cites, citer, cited, fav, p in ((b_cites_a, b, a, "a", p_b_cites_a), (a_cites_b, a, b, "b", p_a_cites_b)):
        if not cites:
            continue
        what = f"{_name(citer)} cites {_name(cited)} ({'; '.join(cites)})"
        if p < WEAK_CITATION:
            out.append(
                Evidence(
                    "citation",
                    None,
                    f"{what} by title only, and the dates cannot confirm this version is the one cited: not evidence",
                )
            )
        else:
            out.append(Evidence("citation", fav, what, min(P_CITATION, p)))
    return out


def localization_evidence(a: Any, b: Any, swaps: Counter) -> Evidence | None:
    """Swaps are source (a) -> target (b) as the alignment saw them."""
    if not swaps:
        return None
    down, up, ex = swap_evidence(swaps)
    if not down and not up:
        same = ", ".join(f"{x}→{y}" for (x, y), _ in swaps.most_common(3))
        return Evidence("localization", None, f"jurisdiction swapped at the same level ({same}): not evidence")
    if down and up and max(down, up) < SWAP_DOMINANCE * min(down, up):
        return Evidence("localization", None, f"swaps both ways ({down} down, {up} up: {', '.join(ex)}): not evidence")
    n = max(down, up)
    p = P_LOCALIZATION_STRONG if n >= STRONG_SWAPS else P_LOCALIZATION
    if down > up:
        return Evidence("localization", "a", f"{_name(b)} localizes {_name(a)}'s clauses ({', '.join(ex)})", p)
    return Evidence(
        "localization", "b", f"{_name(a)} localizes {_name(b)}'s clauses ({', '.join(_flip(x) for x in ex)})", p
    )


def _flip(example: str) -> str:
    head, _, count = example.partition(" ×")
    x, _, y = head.partition("→")
    return f"{y}→{x}" + (f" ×{count}" if count else "")


def decide(
    a: Any,
    b: Any,
    *,
    swaps: Counter,
    a_cites_b: list[str],
    b_cites_a: list[str],
    revision: bool = False,
    p_a_cites_b: float = P_CITATION,
    p_b_cites_a: float = P_CITATION,
) -> Direction:
    """Weigh the evidence for a (alignment source, the earlier in the graph order) and b."""
    ev: list[Evidence] = [date_evidence(a, b)]
    lvl = level_evidence(a, b)
    if lvl:
        ev.append(lvl)
    ev.extend(citation_evidence(a, b, a_cites_b, b_cites_a, p_a_cites_b, p_b_cites_a))
    loc = localization_evidence(a, b, swaps)
    if loc:
        ev.append(loc)
    if revision:
        ev.append(
            Evidence(
                "revision", None, f"{_name(a)} and {_name(b)} are versions of one document (dedup): the date decides"
            )
        )
        edition = edition_evidence(a, b)
        if edition:
            ev.append(edition)
    overruled = _overrule(a, b, ev)
    fa = [e for e in ev if e.favours == "a"]
    fb = [e for e in ev if e.favours == "b"]
    if fa and fb:
        # shown in the graph order (earlier first); the direction is not claimed
        kinds = lambda es: "/".join(dict.fromkeys(e.kind for e in es))  # noqa: E731
        ev.append(
            Evidence(
                "conflict",
                None,
                f"{kinds(fa)} {_verb(fa)} to {_name(a)}, {kinds(fb)} to {_name(b)}: direction uncertain",
            )
        )
        return Direction("a", "uncertain", CONFLICT_CONFIDENCE, True, ev)
    if not fa and not fb:
        ev.append(Evidence("none", None, "no evidence of direction"))
        return Direction("a", "uncertain", NO_EVIDENCE_CONFIDENCE, False, ev)
    side, favour = ("a", fa) if fa else ("b", fb)
    if all(e.kind == "level" for e in favour) and (_guessed(a) or _guessed(b)):
        ev.append(Evidence("none", None, LEVEL_GUESSED))
        return Direction("a", "uncertain", NO_EVIDENCE_CONFIDENCE, False, ev)
    if overruled and all(e.kind == "date" for e in favour):
        # the dates say only which side is earlier: that the later, higher document took the earlier one's text
        # rather than both drawing on a common source is not shown (edges.adoption names the candidates)
        return Direction(side, "uncertain", ADOPTION_CONFIDENCE, False, ev, overruled)
    q = 1.0
    for e in favour:
        q *= 1.0 - e.p
    return Direction(side, "established", round(1.0 - q, 3), False, ev, overruled)


def _overrule(a: Any, b: Any, ev: list[Evidence]) -> list[Evidence]:
    """Two definite dates that do not overlap outweigh level and localization pointing the other way.

    The overruled evidence stays listed (``favours`` None, ``overruled_by``
    "date"), its detail saying why it does not count.
    """
    date = ev[0]
    if date.favours is None or not (definite(a) and definite(b)):
        return []
    earlier, later = (a, b) if date.favours == "a" else (b, a)
    out = []
    for e in ev:
        if e.kind in OVERRULED_BY_DATES and e.favours not in (None, date.favours):
            e.detail += (
                f"; but {_name(later)} ({_fmt_date(later)}) is dated after {_name(earlier)} "
                f"({_fmt_date(earlier)}), and no text travels back to a document published before it: "
                "not evidence against the dates"
            )
            e.favours, e.overruled_by = None, "date"
            out.append(e)
    return out


def _verb(es: list[Evidence]) -> str:
    return "points" if len({e.kind for e in es}) == 1 else "point"
