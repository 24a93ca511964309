"""What `lineage serve` reads from the store, on demand and cached by the database's state.

Nothing here renders HTML.  Two things are read once and kept while the
database does not change (its document count, last parse and cached graph
key are compared on every request, two small queries):

* :class:`Listing`: one row per document (sha256) with the metadata the list
  filters and sorts on, read by one SQL query over the ``meta`` JSON column
  (and given values over it), never by loading documents: 10,000 rows in
  about a tenth of a second;
* :class:`lineage.report.graph_view.GraphData`: the graph cached by ``lineage graph`` /
  ``lineage report`` (:func:`lineage.explore.diffusion.cached_graph`; never built here),
  with its nodes laid out (time across, level down) and indexed by document and node.

Pages of one document, one pair and one search are computed per request from
these and from the documents they name (:mod:`lineage.serve.views`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lineage.dedup.result import RESULT_KIND as DEDUP_RESULT_KIND
from lineage.dedup.result import DedupResult
from lineage.explore.stale import Staleness, dedup_coverage, stale_graph  # noqa: F401  (serve's API)
from lineage.graph.nodes import LEVEL_RANK, interval
from lineage.graph.pipeline import RESULT_KIND
from lineage.model import province_key
from lineage.report.graph_view import (  # noqa: F401  (serve's API)
    GraphData,
    edge_json,
    edge_shown,
    graph_json,
    layout,
    node_json,
)
from lineage.store import Store

SORTS = ("date", "title", "place", "level", "size", "copies", "edges", "path")
PER_PAGE = 50
MAX_PER_PAGE = 500


def state_of(store: Store) -> tuple:
    """What a cached listing, graph or clustering depends on: documents, their last parse or given metadata,
    the graph's and dedup's stored results."""
    n = store.count()
    # a graph rebuilt under the same key has another value: its length tells (no rowid: the table has none)
    row = store.db.execute(
        "SELECT count(*), sum(length(value)) FROM results WHERE kind IN (?, ?)", (RESULT_KIND, DEDUP_RESULT_KIND)
    ).fetchone()
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
    edges: int = 0  # reuse edges of its node that the graph shows (`lineage graph`'s default thresholds)
    weak: int = 0  # ... and those below them (aligned, shown only on request)
    copies: int = 0  # files of its version (dedup's stored result; 0: none stored)
    relation: str | None = None  # its relation to its version's canonical copy (canonical, formatting, ...)

    def year_span(self) -> tuple[int, int] | None:
        """The years the document's date may fall in (an estimate's whole range)."""
        if self.date_kind == "estimated" and self.date_range:
            return int(self.date_range[0][:4]), int(self.date_range[1][:4])
        if self.date and self.date[:4].isdigit():
            return int(self.date[:4]), int(self.date[:4])
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "sha256": self.sha,
            "path": self.path,
            "size": self.size,
            "title": self.title,
            "date": self.date,
            "date_kind": self.date_kind,
            "date_range": self.date_range,
            "jurisdiction": self.place,
            "level": self.level,
            "province": self.province,
            "doc_number": self.doc_number,
            "issuers": self.issuers,
            "node": self.node,
            "edges": self.edges,
            "edges_below_threshold": self.weak,
            "copies": self.copies,
            "relation": self.relation,
        }


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
        m = {
            "title": title,
            "date": date,
            "date_kind": kind,
            "date_range": _json(rng),
            "jurisdiction": _json(jur),
            "doc_number": number,
            "issuers": _json(issuers) or [],
        }
        m.update({k: v for k, v in (given.get(sha) or {}).items() if k in m})
        j = m["jurisdiction"] or {}
        province = province_key(j)
        rows.append(
            DocRow(
                sha,
                files.get(sha, path),
                size,
                m["title"],
                m["date"],
                m["date_kind"],
                m["date_range"],
                j.get("name"),
                j.get("level"),
                province,
                m["doc_number"],
                list(m["issuers"] or []),
            )
        )
    rows.sort(key=lambda r: (r.path, r.sha))
    return rows


def mark_copies(rows: list[DocRow], clustering: DedupResult | None) -> None:
    """Each row's number of copies and its relation to its version's canonical copy, from dedup's result."""
    for r in rows:
        cid = clustering.version_of(r.sha) if clustering else None
        if clustering is None or cid is None:
            r.copies, r.relation = 0, None
            continue
        c = clustering.cluster(cid)
        r.copies = len(c.members)
        mine = [c.details[p].relation for p in c.members if c.details[p].sha256 == r.sha]
        r.relation = "canonical" if c.canonical_sha == r.sha else (mine[0] if mine else None)


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
    versions: bool = False  # one row per version: its canonical copy (dedup's stored result)
    sort: str = "date"
    desc: bool = False
    page: int = 1
    per: int = PER_PAGE

    def problems(self, args: Any) -> list[tuple[str, str]]:
        """Values of the URL this query could not use (and so ignores): (parameter, value), for the page to say."""
        out = [(k, v) for k, v in (("from", self.date_from), ("to", self.date_to)) if v and _bound(v) is None]
        sort = args.get("sort")
        if sort and sort not in SORTS:
            out.append(("sort", sort))
        for name in ("page", "per"):
            v = args.get(name)
            if v and not (v.isdigit() and int(v) >= 1):
                out.append((name, v))
        return out

    @classmethod
    def from_args(cls, args: Any) -> Query:
        def num(name: str, default: int, hi: int) -> int:
            try:
                return min(max(int(args.get(name, default)), 1), hi)
            except (TypeError, ValueError):
                return default

        sort = args.get("sort", "date")
        return cls(
            q=(args.get("q") or "").strip(),
            date_from=(args.get("from") or "").strip(),
            date_to=(args.get("to") or "").strip(),
            province=(args.get("province") or "").strip(),
            level=(args.get("level") or "").strip(),
            versions=args.get("versions") == "1",
            sort=sort if sort in SORTS else "date",
            desc=args.get("dir") == "desc",
            page=num("page", 1, 10**6),
            per=num("per", PER_PAGE, MAX_PER_PAGE),
        )

    def args(self, **change: Any) -> dict[str, Any]:
        """The query string of this query with some values changed (links to other pages and sorts)."""
        d = {
            "q": self.q,
            "from": self.date_from,
            "to": self.date_to,
            "province": self.province,
            "level": self.level,
            "versions": "1" if self.versions else "",
            "sort": self.sort,
            "dir": "desc" if self.desc else "asc",
            "page": self.page,
            "per": self.per,
        }
        d.update(change)
        return {
            k: v
            for k, v in d.items()
            if v not in ("", None) and not (k == "per" and v == PER_PAGE) and not (k == "page" and v == 1)
        }


def _bound(text: str) -> tuple[int, int] | None:
    """A date filter's value as days: "2018" is the whole year, "2018-05" the month, "2018-05-02" the day."""
    t = text.strip()
    try:
        return interval(t) if t[:4].isdigit() else None
    except ValueError:
        return None


def _interval(r: DocRow) -> tuple[int, int] | None:
    try:
        return interval(r.date, r.date_kind, r.date_range)
    except ValueError:
        return None


def _sort_key(sort: str) -> Callable[[DocRow], Any]:
    def date(r: DocRow) -> tuple:
        iv = _interval(r)
        return (iv is None, iv[0] if iv else 0, r.path)

    return {
        "date": date,
        "title": lambda r: (r.title is None, r.title or "", r.path),
        "place": lambda r: (r.place is None, r.place or "", r.path),
        "level": lambda r: (LEVEL_RANK.get(r.level or "", 9), r.place or "", r.path),
        "size": lambda r: (r.size, r.path),
        "copies": lambda r: (r.relation is None, r.copies, r.path),
        "edges": lambda r: (r.node is None, r.edges, r.path),
        "path": lambda r: (r.path,),
    }[sort]


def select(rows: list[DocRow], query: Query) -> tuple[list[DocRow], int]:
    """The page of rows the query asks for, and how many rows match in all."""
    lo, hi = _bound(query.date_from), _bound(query.date_to)
    q = query.q.lower()
    out = []
    for r in rows:
        if query.level and r.level != query.level:
            continue
        if query.versions and r.relation not in (None, "canonical"):
            continue
        if query.province and r.province != query.province:
            continue
        if lo or hi:
            iv = _interval(r)
            if iv is None or (lo and iv[1] < lo[0]) or (hi and iv[0] > hi[1]):
                continue
        if q and not any(q in (v or "").lower() for v in (r.title, r.path, r.doc_number, r.place)):
            continue
        out.append(r)
    # Missing values stay last whichever way the column is sorted: sort ascending, then reverse the known part.
    key = _sort_key(query.sort)
    out.sort(key=key)
    if query.desc:
        known = [r for r in out if key(r)[0] is not True]
        unknown = [r for r in out if key(r)[0] is True]
        out = known[::-1] + unknown
    start = (query.page - 1) * query.per
    return out[start : start + query.per], len(out)
