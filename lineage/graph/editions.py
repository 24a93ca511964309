"""Editions of one document: how every page and the CLI word a reuse edge between two versions of one document.

The graph keeps such an edge a reuse edge (``kind`` "reuse", ``revision``
true): its shares and passages are what the two versions have in common.  To
a reader it is one document revised, not one document copying another, so no
page says "reused from" of it.  Its role, from the edge's direction and
evidence:

* ``revision`` -- the later version revises the earlier ("revision of";
  the earlier is the "earlier edition of" it);
* ``final`` -- the earlier one's title calls it a draft (the graph's
  ``edition`` evidence: 征求意见稿, 送审稿 ...): the later is the "final
  version of" the draft, the draft the "draft of" it -- unless the later's
  title says it is a revision (2021年修订, 2018年版) and the draft's does
  not: a revision is not what the draft became;
* ``later`` -- another edition of the document lies between them (the graph
  has that one's edges to both, established): "later edition of" /
  "earlier edition of", not a revision or final version of each other;
* ``another`` -- the direction is uncertain: "another edition of" on both
  sides, never "revision of" (nothing says which came first).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from lineage.graph.pipeline import shown
from lineage.i18n import N_

# role -> (what the later version is to the earlier, what the earlier is to the later)
_HOW = {
    "revision": (N_("revision of"), N_("earlier edition of")),
    "final": (N_("final version of"), N_("draft of")),
    "later": (N_("later edition of"), N_("earlier edition of")),
    "another": (N_("another edition of"), N_("another edition of")),
}
HOWS = frozenset(h for pair in _HOW.values() for h in pair)  # every one of them (pages translate these)

# role -> the sentence a pair page and the CLI say of the two (later, earlier; an uncertain pair: a, b)
SENTENCES = {
    "revision": N_("%(later)s is a revision of %(earlier)s"),
    "final": N_("%(later)s is the final version of the draft %(earlier)s"),
    "later": N_("%(later)s is a later edition of %(earlier)s"),
    "another": N_("%(later)s and %(earlier)s are editions of one document; which came first is uncertain"),
}


def how(role: str, later: bool) -> str:
    """What the other version is called from one side (``later``: this side is the later version)."""
    return _HOW[role][0 if later else 1]


def _counted(e: dict[str, Any]) -> bool:
    """An edge at any threshold (what `lineage graph --min-share 0 --min-sequential 0` lists): roles are read
    off these, whatever a page or the CLI filters, so one pair has one role everywhere."""
    try:
        return shown(e, 0.0, 0.0)
    except KeyError:  # a graph without the figures that decide it: every edge counts
        return True


def _established(e: dict[str, Any]) -> bool:
    return e.get("direction", "established") == "established"


def _draft_first(e: dict[str, Any]) -> bool:
    """The graph's edition evidence: the source's title calls it a draft of the target."""
    return any(x.get("kind") == "edition" and x.get("favours") == "source" for x in e.get("direction_evidence") or [])


# what a revision's title says it is: 2021年修订, 2019年修正版, 2018年版
_REVISED = re.compile(r"修订|修正|\d{4}\s*年\s*版")


class Editions:
    """The edition roles of a graph's edges: built once from all its edges, not the ones a threshold shows (a
    role looks at the pair's neighbours), and its nodes' titles (a revision's title says so)."""

    def __init__(self, edges: Iterable[dict[str, Any]], nodes: Iterable[dict[str, Any]] = ()) -> None:
        self._revised = {str(n.get("id")) for n in nodes if _REVISED.search(str(n.get("title") or ""))}
        self._after: dict[str, set[str]] = defaultdict(set)  # version -> the later editions it has an edge to
        for e in edges:
            if is_edition(e) and _established(e) and _counted(e):
                self._after[str(e["source"])].add(str(e["target"]))

    def role(self, e: dict[str, Any], uncertain: bool | None = None) -> str | None:
        """The edge's role (None: not an edition edge).  ``uncertain``: the caller's verdict on its direction
        (default: the graph's ``direction``)."""
        if not is_edition(e):
            return None
        if uncertain if uncertain is not None else not _established(e):
            return "another"
        s, t = str(e["source"]), str(e["target"])
        if any(t in self._after.get(m, ()) for m in self._after.get(s, ()) if m != t):
            return "later"
        if _draft_first(e):
            return "final" if (t not in self._revised or s in self._revised) else "later"
        return "revision"


def is_edition(e: dict[str, Any]) -> bool:
    """A reuse edge between two versions of one document (dedup's family): the graph's ``revision``."""
    return e.get("kind", "reuse") == "reuse" and bool(e.get("revision"))
