"""From compared pairs to versions: union-find, and where copies that stop early belong.

Pairs are taken most similar first; same-version pairs of complete texts are
joined; a copy that stops early joins the one group it is a prefix of (when it
is a prefix of several versions, the one dated nearest to it).  Decisions
depend only on the order of the pairs, so an engine may compare them all
ahead (``prefetch``) and get the same groups.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from lineage.dedup.features import Features
from lineage.dedup.plan import (
    NO_DAY,
    BodyClass,
    Issue,
    Plan,
    Progress,
    compare_classes,
    day,
    group_place,
    issued_apart,
    kept_apart,
    noop,
)
from lineage.dedup.verify import Comparison


class UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        p = self.parent
        while p[x] != x:
            p[x] = p[p[x]]
            x = p[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # the smaller index becomes the root: the result does not depend on the order of unions
            if rb < ra:
                ra, rb = rb, ra
            self.parent[rb] = ra


@dataclass
class TruncatedEdge:
    short: int  # class that stops early
    long: int
    comparison: Comparison  # oriented: a = short, b = long


def candidate_components(n: int, pairs: np.ndarray) -> np.ndarray:
    """Connected component of each class in the candidate graph (the smallest class index in it)."""
    uf = UnionFind(n)
    for i, j in pairs.tolist():
        uf.union(i, j)
    return np.array([uf.find(k) for k in range(n)], dtype=np.int64)


def comparison_order(plan: Plan, pairs: np.ndarray) -> np.ndarray:
    """Candidate pairs by connected component, most similar first within each (ties by index).

    Decisions about a pair only ever depend on pairs of its own component,
    so this is the order "most similar first" as far as the result goes,
    while the texts of one component are loaded together.
    """
    if len(pairs) == 0:
        return pairs
    full = np.stack([c.rep.sigs[0] for c in plan.classes])
    est = np.empty(len(pairs))
    for k in range(0, len(pairs), 65536):
        chunk = pairs[k : k + 65536]
        est[k : k + len(chunk)] = (full[chunk[:, 0]] == full[chunk[:, 1]]).mean(axis=1)
    comp = plan.component if plan.component is not None else candidate_components(len(plan.classes), pairs)
    return pairs[np.lexsort((pairs[:, 1], pairs[:, 0], -est, comp[pairs[:, 0]]))]


# After this many pairs between two groups were found not to be one version, the rest are not compared.
DIFFERENT_ENOUGH = 2


def cluster_classes(
    plan: Plan, order: np.ndarray, progress: Progress = noop
) -> tuple[list[list[int]], list[TruncatedEdge], int]:
    """Groups of class indices, one per version; the truncation edges; how many pairs were compared.

    Pairs are taken most similar first.  A pair already in one group is not
    compared (its copies are joined through others), nor a pair between two
    groups already found ``DIFFERENT_ENOUGH`` times not to be one version
    (two versions of a document with six copies each would otherwise cost
    36 comparisons).  The decisions depend only on the order, so an engine
    that compares every pair beforehand (``prefetch``) gets the same groups.
    """
    classes = plan.classes
    uf = UnionFind(len(classes))
    n = len(order)
    step = max(1, n // 200)

    def tick(k: int) -> None:
        if k % step == 0 or k + 1 == n:
            progress("compare", k + 1, n)

    trunc, compared = walk(plan, order.tolist(), uf, tick)
    members: dict[int, list[int]] = defaultdict(list)
    for k in range(len(classes)):
        members[uf.find(k)].append(k)
    # Copies that stop early join one cluster each: longest first, so that a
    # copy cut at 40% finds the one cut at 70% already placed.
    by_root: dict[int, list[TruncatedEdge]] = defaultdict(list)
    for e in trunc:
        by_root[uf.find(e.short)].append(e)
    longest = {r: max(classes[k].length for k in ks) for r, ks in members.items()}
    for root in sorted(by_root, key=lambda r: (-longest[r], r)):
        here = uf.find(root)
        options = []
        for e in by_root[root]:
            target = uf.find(e.long)
            apart = issued_apart(group_place(classes, members[here]), group_place(classes, members[target]))
            if target != here and not apart:
                options.append((_attachment_score(classes, plan.features, members[here], members[target], e), target))
        if options:
            target = min(options)[1]
            merged = members.pop(here) + members.pop(target)
            uf.union(here, target)
            members[uf.find(here)] = merged
    groups: dict[int, list[int]] = defaultdict(list)
    for k in range(len(classes)):
        groups[uf.find(k)].append(k)
    return [groups[r] for r in sorted(groups)], trunc, compared


def walk(
    plan: Plan, order: list[list[int]] | list[tuple[int, int]], uf: UnionFind, tick: Callable[[int], None] | None = None
) -> tuple[list[TruncatedEdge], int]:
    """Take the pairs in order, joining same-version pairs of complete texts in ``uf``; the
    truncation edges, and how many pairs were compared.

    The pairs of one candidate component never meet another's, so an engine can walk components
    apart (``LocalEngine.prefetch``) and compare exactly the pairs this walk over all of them will.

    Two groups :func:`lineage.dedup.plan.kept_apart` keeps apart are never joined: issued by two
    governments (a city's notice forwarding its province's plan), under two 文号 (the same text issued
    twice), a copy naming no issuer titled for another place than a group's issuers (浙江省制造强省建设
    行动计划 is no copy of the city's notice forwarding it), or dated before a group was signed (the
    province's plan published before the city signed its notice: a published date is compared with a
    signed one only, as copies of one version are published days after it was signed, in either order).
    Where
    a component holds copies issued in two places, a copy that says nowhere is joined only once every
    pair is walked, to the group issued first that it is the same version as: a text without the
    forwarding notice is the original's.
    """
    classes = plan.classes
    trunc: list[TruncatedEdge] = []
    apart: dict[tuple[int, int], int] = defaultdict(int)
    issues: dict[int, Issue] = {}  # where, when and under which 文号 each group (by root) was issued

    def issue(r: int) -> Issue:
        if r not in issues:
            issues[r] = Issue.of([plan.features[s] for s in classes[r].shas])
        return issues[r]

    def where(r: int) -> str:
        return issue(r).place

    def join(i: int, j: int) -> None:
        ri, rj = uf.find(i), uf.find(j)
        both = issue(ri).joined(issue(rj))
        uf.union(ri, rj)
        issues[uf.find(ri)] = both

    contested = _contested(plan, order)
    later: list[tuple[int, int]] = []  # (copy saying nowhere, copy issued somewhere): the same version
    compared = 0
    for k, (i, j) in enumerate(order):
        if tick is not None:
            tick(k)
        ri, rj = uf.find(i), uf.find(j)
        pair = (ri, rj) if ri < rj else (rj, ri)
        if ri == rj or apart[pair] >= DIFFERENT_ENOUGH:
            continue
        if kept_apart(issue(ri), issue(rj)):
            continue
        pi, pj = where(ri), where(rj)
        c = compare_classes(plan, i, j, "screen")
        compared += 1
        if c.verdict != "same":
            apart[pair] += 1
        elif c.truncated is None:
            if bool(pi) != bool(pj) and i in contested:
                later.append((j, i) if pi else (i, j))
                continue
            join(i, j)
        elif c.truncated == "a":
            trunc.append(TruncatedEdge(i, j, c))
        else:
            trunc.append(TruncatedEdge(j, i, c.swapped()))
    if later:
        issued = _first_days(plan, contested, uf)
        first: dict[int, tuple[int, str, int]] = {}  # group saying nowhere -> the earliest group it is one with
        for u, p in later:
            ru, rp = uf.find(u), uf.find(p)
            if where(ru) or kept_apart(issue(ru), issue(rp)):
                continue
            key = (issued.get(rp, NO_DAY), where(rp), rp)
            if ru not in first or key < first[ru]:
                first[ru] = key
        for ru, (_, _, rp) in sorted(first.items()):
            join(ru, rp)
    return trunc, compared


def _contested(plan: Plan, order: list[list[int]] | list[tuple[int, int]]) -> set[int]:
    """The classes of the pairs in ``order`` whose candidate component holds copies issued in two or more places.

    The components are the plan's (:func:`candidate_components`, computed once); only the classes the pairs
    touch are looked at, so a walk over one bundle of components costs what the bundle holds.
    """
    classes = plan.classes
    ks = {k for pair in order for k in pair}
    if not any(classes[k].place for k in ks):
        return set()
    comp = plan.component
    if comp is None:
        comp = candidate_components(len(classes), np.asarray(order, dtype=np.int64).reshape(-1, 2))
    seen: dict[int, set[str]] = defaultdict(set)
    for k in ks:
        if classes[k].place:
            seen[int(comp[k])].add(classes[k].place)
    roots = {r for r, ps in seen.items() if len(ps) > 1}
    return {k for k in ks if int(comp[k]) in roots}


def _first_days(plan: Plan, ks: set[int], uf: UnionFind) -> dict[int, int]:
    """The earliest date (a day number) of each group the classes ``ks`` are in, by root, where it has one."""
    out: dict[int, int] = {}
    for k in ks:
        r = uf.find(k)
        for s in plan.classes[k].shas:
            d = day(plan.features[s].date)
            if d is not None and d < out.get(r, NO_DAY):
                out[r] = d
    return out


def _attachment_score(
    classes: list[BodyClass], feats: dict[str, Features], mine: list[int], theirs: list[int], e: TruncatedEdge
) -> tuple:
    """Lower is better: nearest date, same title, fewest differences, then the larger similarity.

    A copy that stops early can be a prefix of two versions (the revision
    changed only what comes after the cut); the version dated nearest to the
    copy is the likelier, then the one with the same title (a draft's title
    says so).
    """

    def fs(ks: list[int]) -> list[Features]:
        return [feats.get(s) or classes[k].rep for k in ks for s in classes[k].shas]

    a, b = fs(mine), fs(theirs)
    titles = {f.title for f in b if f.title}
    title_miss = 0 if any(f.title in titles for f in a if f.title) else 1
    return (_date_distance(a, b), title_miss, e.comparison.edits, -e.comparison.similarity, min(theirs))


def _date_distance(xs: list[Features], ys: list[Features]) -> int:
    best = 10**6
    for x in xs:
        dx = day(x.date)
        if dx is None:
            continue
        for y in ys:
            dy = day(y.date)
            if dy is not None:
                best = min(best, abs(dx - dy))
    return best
