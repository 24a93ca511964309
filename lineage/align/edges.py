"""Edges: correspondences between target atoms and source atoms, and their order.

:mod:`lineage.align.aligner` finds and chooses edges; :mod:`lineage.align.trace` shares a
target's atoms out among the edges of several sources;
:mod:`lineage.align.result` turns the edges kept into matches.  ``moved``
is decided last, on the edges kept for one source: the longest
non-decreasing run of source positions in target order (body and attachment
only) is the backbone, and an edge off it is moved.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from lineage.align.sides import Side


@dataclass
class Edge:
    """A candidate or chosen correspondence between target atoms and source atoms."""

    kind: str  # one | merged | split | partial
    t: tuple[int, ...]  # target atom indices
    s: tuple[int, ...]  # source atom indices
    score: float
    t_range: tuple[int, int] | None = None  # partial: region of the target atom's norm
    s_range: tuple[int, int] | None = None  # partial/split: region of the source atom's norm
    distance: int = 0  # how far off the anchors' order (tie-break)
    content: str = ""  # identical | modified | localized | merged | split | partial
    diff: list[list[str]] = field(default_factory=list)
    moved: bool = False
    # a short sentence's clause or word change, or a split into short sentences with clauses of their own:
    # kept only beside another match
    weak: bool = False


def lis(seq: list[int]) -> list[int]:
    """Indices of a longest non-decreasing subsequence of ``seq``."""
    tails: list[int] = []  # seq value ending the best run of each length
    tail_idx: list[int] = []
    prev = [-1] * len(seq)
    for i, x in enumerate(seq):
        k = bisect.bisect_right(tails, x)
        if k == len(tails):
            tails.append(x)
            tail_idx.append(i)
        else:
            tails[k] = x
            tail_idx[k] = i
        prev[i] = tail_idx[k - 1] if k else -1
    out = []
    i = tail_idx[-1] if tail_idx else -1
    while i != -1:
        out.append(i)
        i = prev[i]
    return out[::-1]


def moved_flags(edges: list[Edge], src: Side, tgt: Side) -> None:
    """Mark edges off the backbone (longest non-decreasing run of source positions) as moved."""
    ordered = [
        e for e in edges if e.kind != "partial" and tgt.ordered(tgt.atoms[e.t[0]]) and src.ordered(src.atoms[e.s[0]])
    ]
    ordered.sort(key=lambda e: (e.t[0], e.s[0]))
    keep = set(lis([e.s[0] for e in ordered]))
    for k, e in enumerate(ordered):
        e.moved = k not in keep
