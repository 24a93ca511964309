"""What `lineage serve` reads from the store, on demand and cached by the database's state.

Nothing here renders HTML.  Two things are read once and kept while the
database does not change (its document count, last parse and cached graph
key are compared on every request, two small queries):

* :class:`Listing`: one row per document (sha256) with the metadata the list
  filters and sorts on, read by one SQL query over the ``meta`` JSON column
  (and given values over it), never by loading documents: 10,000 rows in
  about a tenth of a second;
* :class:`GraphData`: the graph cached by ``lineage graph`` / ``lineage report``
  (:func:`lineage.diffusion.cached_graph`; never built here), with its nodes
  laid out (time across, level down) and indexed by document and by node.

Pages of one document, one pair and one search are computed per request from
these and from the documents they name (:mod:`lineage.serve.views`).
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from ..diffusion import cached_graph
from ..graph import RESULT_KIND, shown
from ..graph_edges import share_text
from ..graph_nodes import LEVEL_RANK
from ..report.svg import date_value, edge_width
from ..store import Store

LEVELS = ("national", "province", "city", "county")
SORTS = ("date", "title", "place", "level", "size", "path")
PER_PAGE = 50
MAX_PER_PAGE = 500


def state_of(store: Store) -> tuple:
    """What a cached listing or graph depends on: documents, their last parse or given metadata, results."""
    n = store.count()
    # a graph rebuilt under the same key has another value: its length tells (no rowid: the table has none)
    row = store.db.execute("SELECT count(*), sum(length(value)) FROM results WHERE kind=?", (RESULT_KIND,)).fetchone()
    return n, store.last_parsed(), tuple(row)


# -- the document list --------------------------------------------------------------------------

@dataclass
class DocRow:
    sha: str
    path: str
    size: int
    title: str | None
    date: str | None
    date_kind: str | None
    date_range: list[str] | None
    place: str | None
    level: str | None
    province: str | None
    doc_number: str | None
    issuers: list[str]
    node: str | None = None  # its graph node (version) id, when the graph is cached
    edges: int = 0  # reuse edges of its node in the graph

    def year_span(self) -> tuple[int, int] | None:
        """The years the document's date may fall in (an estimate's whole range)."""
        if self.date_kind == "estimated" and self.date_range:
            return int(self.date_range[0][:4]), int(self.date_range[1][:4])
        if self.date and self.date[:4].isdigit():
            return int(self.date[:4]), int(self.date[:4])
        return None

    def to_dict(self) -> dict[str, Any]:
        return {"sha256": self.sha, "path": self.path, "size": self.size, "title": self.title, "date": self.date,
                "date_kind": self.date_kind, "date_range": self.date_range, "jurisdiction": self.place,
                "level": self.level, "province": self.province, "doc_number": self.doc_number,
                "issuers": self.issuers, "node": self.node, "edges": self.edges}


_LIST_SQL = """SELECT sha256, path, size, json_extract(meta, '$.title'), json_extract(meta, '$.date'),
 json_extract(meta, '$.date_kind'), json_extract(meta, '$.date_range'), json_extract(meta, '$.jurisdiction'),
 json_extract(meta, '$.doc_number'), json_extract(meta, '$.issuers') FROM documents"""


def read_rows(store: Store) -> list[DocRow]:
    """Every document's list row; given values (a sidecar) override the parse, as :meth:`Store.load` does."""
    given = {sha: json.loads(f) for sha, f in store.db.execute("SELECT sha256, fields FROM doc_given")}
    files: dict[str, str] = {}
    for path, sha in store.db.execute("SELECT path, sha256 FROM files ORDER BY path"):
        files.setdefault(sha, path)
    rows = []
    for sha, path, size, title, date, kind, rng, jur, number, issuers in store.db.execute(_LIST_SQL):
        m = {"title": title, "date": date, "date_kind": kind, "date_range": _json(rng), "jurisdiction": _json(jur),
             "doc_number": number, "issuers": _json(issuers) or []}
        m.update({k: v for k, v in (given.get(sha) or {}).items() if k in m})
        j = m["jurisdiction"] or {}
        province = "national" if j.get("level") == "national" else j.get("province")
        rows.append(DocRow(sha, files.get(sha, path), size, m["title"], m["date"], m["date_kind"], m["date_range"],
                           j.get("name"), j.get("level"), province, m["doc_number"], list(m["issuers"] or [])))
    rows.sort(key=lambda r: (r.path, r.sha))
    return rows


def _json(v: Any) -> Any:
    return json.loads(v) if isinstance(v, str) else v


@dataclass
class Query:
    """The list's filters, sort and page, as the URL gives them."""

    q: str = ""  # in the title, file path, 文号 or place
    date_from: str = ""  # ISO date or year; an estimated date counts when its range overlaps
    date_to: str = ""
    province: str = ""
    level: str = ""
    sort: str = "date"
    desc: bool = False
    page: int = 1
    per: int = PER_PAGE

    @classmethod
    def from_args(cls, args: Any) -> "Query":
        def num(name: str, default: int, hi: int) -> int:
            try:
                return min(max(int(args.get(name, default)), 1), hi)
            except (TypeError, ValueError):
                return default
        sort = args.get("sort", "date")
        return cls(q=(args.get("q") or "").strip(), date_from=(args.get("from") or "").strip(),
                   date_to=(args.get("to") or "").strip(), province=(args.get("province") or "").strip(),
                   level=(args.get("level") or "").strip(), sort=sort if sort in SORTS else "date",
                   desc=args.get("dir") == "desc", page=num("page", 1, 10**6), per=num("per", PER_PAGE, MAX_PER_PAGE))

    def args(self, **change: Any) -> dict[str, Any]:
        """The query string of this query with some values changed (links to other pages and sorts)."""
        d = {"q": self.q, "from": self.date_from, "to": self.date_to, "province": self.province, "level": self.level,
             "sort": self.sort, "dir": "desc" if self.desc else "asc", "page": self.page, "per": self.per}
        d.update(change)
        return {k: v for k, v in d.items() if v not in ("", None) and not (k == "per" and v == PER_PAGE)
                and not (k == "page" and v == 1)}


def _bound(text: str, end: bool) -> str | None:
    """A date filter's bound as a comparable ISO string ("2018" -> 2018-01-01 or 2018-12-31)."""
    t = text.strip()
    if not t[:4].isdigit():
        return None
    if len(t) == 4:
        return t + ("-12-31" if end else "-01-01")
    if len(t) == 7:
        return t + ("-31" if end else "-01")
    return t[:10]


def _interval(r: DocRow) -> tuple[str, str] | None:
    if r.date_kind == "estimated" and r.date_range:
        return str(r.date_range[0]), str(r.date_range[1])
    if not r.date:
        return None
    lo, hi = _bound(r.date, False), _bound(r.date, True)
    return (lo, hi) if lo and hi else None


def _sort_key(sort: str):
    def date(r: DocRow) -> tuple:
        iv = _interval(r)
        return (iv is None, iv[0] if iv else "", r.path)
    return {
        "date": date,
        "title": lambda r: (r.title is None, r.title or "", r.path),
        "place": lambda r: (r.place is None, r.place or "", r.path),
        "level": lambda r: (LEVEL_RANK.get(r.level or "", 9), r.place or "", r.path),
        "size": lambda r: (r.size, r.path),
        "path": lambda r: (r.path,),
    }[sort]


def select(rows: list[DocRow], query: Query) -> tuple[list[DocRow], int]:
    """The page of rows the query asks for, and how many rows match in all."""
    lo, hi = _bound(query.date_from, False), _bound(query.date_to, True)
    q = query.q.lower()
    out = []
    for r in rows:
        if query.level and r.level != query.level:
            continue
        if query.province and r.province != query.province:
            continue
        if lo or hi:
            iv = _interval(r)
            if iv is None or (lo and iv[1] < lo) or (hi and iv[0] > hi):
                continue
        if q and not any(q in (v or "").lower() for v in (r.title, r.path, r.doc_number, r.place)):
            continue
        out.append(r)
    # Missing values stay last whichever way the column is sorted: sort ascending, then reverse the known part.
    key = _sort_key(query.sort)
    out.sort(key=key)
    if query.desc:
        known = [r for r in out if not key(r)[0] is True]
        unknown = [r for r in out if key(r)[0] is True]
        out = known[::-1] + unknown
    start = (query.page - 1) * query.per
    return out[start:start + query.per], len(out)


# -- the graph ----------------------------------------------------------------------------------

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

    @classmethod
    def of(cls, graph: dict[str, Any]) -> "GraphData":
        g = cls(graph)
        for n in graph.get("nodes") or []:
            nid = str(n["id"])
            g.nodes[nid] = n
            if not n.get("external"):
                for sha in [n.get("sha256"), *(n.get("shas") or [])]:
                    if isinstance(sha, str) and len(sha) == 64:
                        g.by_sha.setdefault(sha, nid)
        for e in graph.get("edges") or []:
            if e.get("kind") == "reuse":
                g.by_node[str(e["source"])].append(len(g.reuse))
                g.by_node[str(e["target"])].append(len(g.reuse))
                g.reuse.append(e)
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
    return {"id": nid, "label": n.get("short_label") or n.get("label") or nid, "title": n.get("label") or nid,
            "date": n.get("date"), "date_kind": n.get("date_kind"), "year": year,
            "level": n.get("level"), "place": j.get("name"),
            "province": "national" if j.get("level") == "national" else j.get("province"),
            "external": bool(n.get("external")), "sha256": n.get("sha256"), "x": x, "y": y,
            "degree": len(g.by_node.get(nid, []))}


def edge_json(e: dict[str, Any]) -> dict[str, Any]:
    """A reuse edge for the graph view: the graph's shares (formatted once, share_text) and its direction."""
    uncertain = e.get("direction") != "established"
    st, so = e.get("share_of_target"), e.get("share_of_source")
    # as the static graph draws it: an uncertain edge by the larger share (neither side is the target)
    width = edge_width(max(st or 0.0, so or 0.0) if uncertain else (st or 0.0))
    return {"id": f"{e['source']}--{e['target']}", "source": str(e["source"]), "target": str(e["target"]),
            "uncertain": uncertain, "share_of_target": st, "share_of_source": so,
            "share_of_target_text": share_text(st), "share_of_source_text": share_text(so),
            "confidence": e.get("confidence"), "width": round(width, 2), "shown": shown(e)}


def graph_json(g: GraphData, *, all_edges: bool = False, focus: str | None = None, depth: int = 1,
               year_from: int | None = None, year_to: int | None = None, province: str = "",
               level: str = "") -> dict[str, Any]:
    """Nodes and reuse edges for the interactive view, filtered as the URL asks (the page filters too)."""
    edges = [e for e in g.reuse if all_edges or shown(e)]
    keep = set(g.nodes)
    if focus and focus in g.nodes:
        keep = {focus}
        frontier = {focus}
        for _ in range(max(depth, 1)):
            nxt = set()
            for e in edges:
                s, t = str(e["source"]), str(e["target"])
                if s in frontier and t not in keep:
                    nxt.add(t)
                if t in frontier and s not in keep:
                    nxt.add(s)
            keep |= nxt
            frontier = nxt
    nodes = []
    for nid in sorted(keep):
        nj = node_json(g, nid)
        if year_from is not None and (nj["year"] is None or nj["year"] < year_from):
            continue
        if year_to is not None and (nj["year"] is None or nj["year"] > year_to):
            continue
        if province and nj["province"] != province:
            continue
        if level and nj["level"] != level:
            continue
        nodes.append(nj)
    ids = {n["id"] for n in nodes}
    out_edges = [edge_json(e) for e in edges if str(e["source"]) in ids and str(e["target"]) in ids]
    return {"nodes": nodes, "edges": out_edges, "focus": focus if focus in g.nodes else None}
