"""The lineage graph as the interactive views draw it: a preset layout and JSON for cytoscape.js.

Shared by ``lineage serve`` (``/api/graph``) and the static report's graph
page (the same data, embedded in the page).  Positions are computed here,
not by a force layout in the browser: the same graph is drawn the same way
every time (the static report's bytes stay deterministic), and a thousand
nodes appear at once.  An edge's shares are the graph's, formatted by
``share_text``; its width follows the static SVG's rule (``edge_width``);
an edge whose direction is not established is flagged ``uncertain`` (drawn
dashed, without an arrowhead).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from lineage.dates import date_with_kind
from lineage.graph.edges import share_text
from lineage.graph.editions import Editions
from lineage.graph.nodes import interval
from lineage.graph.pipeline import DEFAULT_MIN_SEQUENTIAL, DEFAULT_MIN_SHARE, shown
from lineage.model import LEVELS, province_key
from lineage.report.data import edge_uncertain
from lineage.report.svg import date_value, edge_width

BAND = 400.0  # layout units per level band
YEAR = 300.0  # layout units per year
LANE = 18.0
MIN_DX = 60.0


@dataclass
class GraphData:
    """The cached graph, indexed, with a preset layout for the interactive view."""

    graph: dict[str, Any]
    nodes: dict[str, dict[str, Any]] = field(default_factory=dict)
    by_sha: dict[str, str] = field(default_factory=dict)  # document sha256 -> node id
    reuse: list[dict[str, Any]] = field(default_factory=list)  # reuse edges, shown or not
    by_node: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))  # node -> indices into reuse
    positions: dict[str, tuple[float, float]] = field(default_factory=dict)
    editions: Editions = field(default_factory=lambda: Editions(()))  # the roles of edges between editions
    shown: list[bool] = field(default_factory=list)  # per reuse edge: listed at `lineage graph`'s defaults

    @classmethod
    def of(cls, graph: dict[str, Any]) -> GraphData:
        g = cls(graph)
        for n in graph.get("nodes") or []:
            nid = str(n["id"])
            g.nodes[nid] = n
            if not n.get("external"):
                for sha in [n.get("sha256"), *(n.get("shas") or [])]:
                    if isinstance(sha, str) and len(sha) == 64:
                        g.by_sha.setdefault(sha, nid)
        for e in graph.get("edges") or []:
            # as the report reads a graph: reuse unless said otherwise; a pair sharing only a stock fragment
            # is no edge at any threshold (what `lineage graph --min-share 0 --min-sequential 0` shows)
            if e.get("kind", "reuse") == "reuse" and edge_shown(e, 0.0, 0.0):
                g.by_node[str(e["source"])].append(len(g.reuse))
                g.by_node[str(e["target"])].append(len(g.reuse))
                g.reuse.append(e)
        g.editions = Editions(g.reuse, g.nodes.values())
        g.shown = [edge_shown(e) for e in g.reuse]
        g.positions = layout(g.nodes)
        return g

    def edges_of(self, nid: str) -> list[dict[str, Any]]:
        return [self.reuse[i] for i in self.by_node.get(nid, [])]

    def edge(self, a: str, b: str) -> dict[str, Any] | None:
        for e in self.edges_of(a):
            if {str(e["source"]), str(e["target"])} == {a, b}:
                return e
        return None

    def subgraph(self, nid: str) -> dict[str, Any]:
        """The node, its reuse edges and the nodes at their other ends: what a document page needs."""
        edges = self.edges_of(nid)
        ids = {nid} | {str(x) for e in edges for x in (e["source"], e["target"])}
        return {"nodes": [self.nodes[i] for i in sorted(ids) if i in self.nodes], "edges": edges}


def layout(nodes: dict[str, dict[str, Any]]) -> dict[str, tuple[float, float]]:
    """Positions: x by date (an estimate by the middle of its range), y by level, lanes so nodes do not overlap.

    Computed here rather than by a force layout in the browser: the same graph
    is drawn the same way every time, and a thousand nodes appear at once.
    """
    items = []
    for nid, n in nodes.items():
        v = _date_of(n)
        level = n.get("level") if n.get("level") in LEVELS else "other"
        items.append((v, level, nid))
    dated = [v for v, _, _ in items if v is not None]
    lo = math.floor(min(dated)) if dated else 2000
    pos: dict[str, tuple[float, float]] = {}
    bands = list(LEVELS) + ["other"]
    for b, level in enumerate(bands):
        last: list[float] = []
        for v, _, nid in sorted((i for i in items if i[1] == level), key=lambda i: (i[0] is None, i[0] or 0, i[2])):
            x = (v - lo) * YEAR if v is not None else -YEAR
            for k, lx in enumerate(last):
                if x >= lx:
                    last[k] = x + MIN_DX
                    break
            else:
                k = len(last)
                last.append(x + MIN_DX)
            # lanes alternate above and below the band's middle line
            off = (k + 1) // 2 * LANE * (1 if k % 2 else -1)
            pos[nid] = (round(x, 1), round(b * BAND + off, 1))
    return pos


def _date_of(n: dict[str, Any]) -> float | None:
    rng = n.get("date_range")
    if n.get("date_kind") == "estimated" and rng:
        a, b = date_value(rng[0]), date_value(rng[1])
        if a is not None and b is not None:
            return (a + b) / 2
    return date_value(n.get("date"))


def node_json(g: GraphData, nid: str) -> dict[str, Any]:
    n = g.nodes[nid]
    x, y = g.positions.get(nid, (0.0, 0.0))
    j = n.get("jurisdiction") or {}
    j = j if isinstance(j, dict) else {"name": j}
    year = None
    iv = _date_of(n)
    if iv is not None:
        year = int(iv)
    return {
        "years": node_years(n),
        "id": nid,
        "label": n.get("short_label") or n.get("label") or nid,
        "title": n.get("label") or nid,
        "date": n.get("date"),
        "date_kind": n.get("date_kind"),
        # as the pages give a date: with its kind (an estimate's year is no date the text states)
        "when": date_with_kind(n.get("date"), n.get("date_kind")),
        "year": year,
        "level": n.get("level"),
        "place": j.get("name"),
        "province": province_key(j),
        "external": bool(n.get("external")),
        "sha256": n.get("sha256"),
        "x": x,
        "y": y,
        "degree": len(g.by_node.get(nid, [])),
    }


def node_years(n: dict[str, Any]) -> list[int] | None:
    """The first and last years the node's date may fall in (an estimate's whole range), as the document
    list's date filter reads a date: a year filter keeps a node whose years overlap it."""
    try:
        iv = interval(n.get("date"), n.get("date_kind"), n.get("date_range"))
    except (ValueError, TypeError):
        return None
    return [date.fromordinal(iv[0]).year, date.fromordinal(iv[1]).year] if iv else None


def edge_shown(
    e: dict[str, Any], min_share: float = DEFAULT_MIN_SHARE, min_sequential: float = DEFAULT_MIN_SEQUENTIAL
) -> bool:
    """Whether ``lineage graph`` lists the edge (by default: at its default thresholds); an edge without the
    figures that decide it is shown."""
    try:
        return shown(e, min_share, min_sequential)
    except KeyError:
        return True


def edge_json(e: dict[str, Any], editions: Editions | None = None) -> dict[str, Any]:
    """A reuse edge for the graph view: the graph's shares (formatted once, share_text), its direction, and
    ``edition``: between two versions of one document, its role (lineage.graph.editions), else None."""
    uncertain = edge_uncertain(e)  # the static report's rule: every page draws and words an edge alike
    st, so = e.get("share_of_target"), e.get("share_of_source")
    # as the static graph draws it: an uncertain edge by the larger share (neither side is the target)
    width = edge_width(max(st or 0.0, so or 0.0) if uncertain else (st or 0.0))
    return {
        "id": f"{e['source']}--{e['target']}",
        "source": str(e["source"]),
        "target": str(e["target"]),
        "uncertain": uncertain,
        "share_of_target": st,
        "share_of_source": so,
        "share_of_target_text": share_text(st),
        "share_of_source_text": share_text(so),
        "confidence": e.get("confidence"),
        "width": round(width, 2),
        "shown": edge_shown(e),
        "edition": (editions or Editions(())).role(e, uncertain),
    }


def graph_json(
    g: GraphData,
    *,
    all_edges: bool = False,
    focus: str | None = None,
    depth: int = 1,
    year_from: int | None = None,
    year_to: int | None = None,
    province: str = "",
    level: str = "",
) -> dict[str, Any]:
    """Nodes and reuse edges for the interactive view, filtered as the URL asks (the page filters too)."""
    edges = [i for i, e in enumerate(g.reuse) if all_edges or g.shown[i]]
    keep = set(g.nodes)
    if focus and focus in g.nodes:
        keep = {focus}
        frontier = {focus}
        for _ in range(max(depth, 1)):
            nxt = set()
            for i in edges:
                s, t = str(g.reuse[i]["source"]), str(g.reuse[i]["target"])
                if s in frontier and t not in keep:
                    nxt.add(t)
                if t in frontier and s not in keep:
                    nxt.add(s)
            keep |= nxt
            frontier = nxt
    nodes = []
    for nid in sorted(keep):
        nj = node_json(g, nid)
        years = nj["years"]
        if (year_from is not None or year_to is not None) and years is None:
            continue
        if year_from is not None and years[1] < year_from:
            continue
        if year_to is not None and years[0] > year_to:
            continue
        if province and nj["province"] != province:
            continue
        if level and nj["level"] != level:
            continue
        nodes.append(nj)
    ids = {n["id"] for n in nodes}
    out_edges = [
        edge_json(g.reuse[i], g.editions)
        for i in edges
        if str(g.reuse[i]["source"]) in ids and str(g.reuse[i]["target"]) in ids
    ]
    return {"nodes": nodes, "edges": out_edges, "focus": focus if focus in g.nodes else None}
