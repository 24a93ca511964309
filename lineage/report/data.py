"""Page data: plain dataclasses computed before any HTML is written.

Templates only loop over these and print fields (autoescaped); every decision
(what is a change, which rows collapse, where a deleted unit goes, which
anchor a span links to, what colour a source gets) is made here or in
:mod:`lineage.report.pages`, where it can be unit-tested without a browser.

Hrefs in page data are relative to the site root; templates prefix them with
``root`` (``""`` or ``"../"``) for the page's depth.  ``None`` means "no page
to link to" (a standalone page, or a document outside the report).

Names and figures are decided once, in :class:`Catalog`: a document's label
is its version's (``lineage.graph.nodes.disambiguate``, as the graph names
it), and a reuse edge's shares are the graph's, formatted by
``lineage.graph.edges.share_text`` (:class:`EdgeInfo`), whatever page shows
them.
"""

from __future__ import annotations

import bisect
import os
from dataclasses import dataclass, field
from typing import Any

from lineage.dedup.words import dedup_text
from lineage.graph.edges import share_text
from lineage.graph.editions import SENTENCES as EDITION_SENTENCES
from lineage.graph.editions import Editions
from lineage.graph.nodes import DATE_KIND_RANK, Version, assign_labels, make_version
from lineage.i18n import N_, gettext
from lineage.model import LEVELS, Document
from lineage.report.names import doc_keys
from lineage.report.text import UnitIndex

RELATIONS = ("identical", "modified", "localized", "partial", "merged", "split", "moved", "added", "deleted")
CHANGES = frozenset(RELATIONS) - {"identical"}  # what j/k visits
PARTS_ORDER = ("wrapper", "notice", "title", "body", "attachment")


# -- references to documents -----------------------------------------------------------

_LABEL_WORDS = (N_("undated"), N_("place unknown"))


def local_label(label: str) -> str:
    """A graph label ("place · year · title", lineage.graph.nodes) with its English stand-ins translated."""
    return " · ".join(gettext(b) if b in _LABEL_WORDS else b for b in label.split(" · "))


def _version_date(d: Document, v: Version) -> dict[str, str | None]:
    """The version's date where it is surer than the copy's own (another copy has the date line)."""

    def rank(kind: str | None) -> int:
        return DATE_KIND_RANK.get(kind or "", 3)

    if not v.date or (d.date and rank(d.date_kind) <= rank(v.date_kind)):
        return {}
    return {"version_date": v.date, "version_date_kind": v.date_kind}


@dataclass(frozen=True)
class DocRef:
    """A document as other pages name and link it."""

    sha: str
    key: str  # file-name key, see names.doc_keys
    label: str  # its version's label: title, else file name; jurisdiction and year in front where ambiguous
    title: str | None  # the title (a copy without a title line: its version's)
    path: str  # display path (relative to the report's input root)
    date: str | None
    date_kind: str | None
    place: str | None  # jurisdiction name
    level: str | None
    href: str | None  # documents/<key>.html, None on standalone pages
    name: str = ""  # the title (else file name) without the qualifiers: short labels are cut from it
    own_title: bool = True  # False: the title is its version's (this copy has no title line)
    # a copy dated less surely than another copy of its version (no date line: estimated or undated): the
    # version's date, which the graph uses
    version_date: str | None = None
    version_date_kind: str | None = None

    def at(self, anchor: str | None) -> str | None:
        if self.href is None:
            return None
        return f"{self.href}#{anchor}" if anchor else self.href


@dataclass(frozen=True)
class ExtRef:
    """A document known only from citations (a graph node outside the corpus)."""

    key: str
    label: str
    doc_number: str | None
    date: str | None
    place: str | None
    level: str | None
    href: str | None
    date_kind: str | None = None  # same shape as DocRef for templates
    path: str = ""

    @property
    def name(self) -> str:
        return self.label


class Catalog:
    """The documents of one report: keys, display paths, lookups from any path a stage reports.

    Other stages name documents by path (the contracts' ``PATH``); a path may
    be relative or absolute, the first path a content was read from, or any
    copy of it.  ``sha_of`` accepts all of those, and sha256 prefixes too.
    """

    def __init__(
        self,
        docs: list[Document],
        paths: dict[str, list[str]] | None = None,
        root: str | None = None,
        linked: bool = True,
        dedup: dict | None = None,
        graph: dict | None = None,
        editions: Editions | None = None,
    ) -> None:
        self.docs = {d.sha256: d for d in docs}
        self.order = [d.sha256 for d in docs]
        self.paths = {d.sha256: list((paths or {}).get(d.sha256) or [d.path]) for d in docs}
        self.root = root if root is not None else _common_root([p for ps in self.paths.values() for p in ps])
        self.linked = linked
        self.keys = doc_keys((d.sha256, self.paths[d.sha256][0]) for d in docs)
        self._by_path: dict[str, str] = {}
        for sha, ps in self.paths.items():
            for p in ps + [self.docs[sha].path]:
                self._by_path.setdefault(p, sha)
                self._by_path.setdefault(os.path.abspath(p), sha)
        self._indexes: dict[str, UnitIndex] = {}
        self._by_base: dict[str, set[str]] | None = None
        self.dedup, self.graph = dedup, graph
        self.versions = self._versions(dedup)
        self.refs = {sha: self._ref(sha) for sha in self.order}
        self.copies = self._copies(dedup)
        self._edges: EdgeIndex | None = None
        # the whole graph's editions, where ``graph`` is a part of it (an edition's role looks at its neighbours)
        self.editions = editions
        # Filled by the site writer as pages are planned, so pages link only to pages that exist.
        self.pair_pages: dict[tuple[str, str], str] = {}  # (source sha, target sha) -> href
        self.provenance_pages: dict[str, str] = {}  # target sha -> href

    def display_path(self, path: str) -> str:
        ap = os.path.abspath(path)
        if self.root and (ap == self.root or ap.startswith(self.root.rstrip(os.sep) + os.sep)):
            return os.path.relpath(ap, self.root).replace(os.sep, "/")
        return path.replace(os.sep, "/")

    def _versions(self, dedup: dict | None) -> dict[str, Version]:
        """sha -> its version (dedup's cluster; a document alone without dedup), labelled as the graph labels it."""
        groups: list[tuple[str, list[str], str | None]] = []
        seen: set[str] = set()
        for c in (dedup or {}).get("clusters") or []:
            canon = self.sha_of(c.get("canonical"))
            shas = [
                s
                for s in dict.fromkeys([canon] + [self.sha_of(p) for p in c.get("members") or []])
                if s and s not in seen
            ]
            if shas:
                seen.update(shas)
                groups.append((str(c.get("id")), shas, c.get("family")))
        groups += [("v-" + s[:12], [s], None) for s in self.order if s not in seen]
        versions = [
            make_version(vid, [self.docs[s] for s in shas], [self.paths[s][0] for s in shas], fam)
            for vid, shas, fam in groups
        ]
        assign_labels(versions)
        return {s: v for v, (_, shas, _) in zip(versions, groups) for s in shas}

    def _ref(self, sha: str) -> DocRef:
        d = self.docs[sha]
        v = self.versions[sha]
        j = d.jurisdiction
        path = self.display_path(self.paths[sha][0])
        name = d.title or v.title or os.path.basename(path)
        if d.title and d.title != v.title:
            label = d.title  # a copy titled otherwise than its version: what it says
        elif v.title or sha == v.sha:
            label = local_label(v.label)  # the version's (a copy without a title line takes its version's title)
        else:
            label = name  # nothing titled: its own file name
        return DocRef(
            sha=sha,
            key=self.keys[sha],
            label=label,
            title=d.title or v.title,
            path=path,
            date=d.date,
            date_kind=d.date_kind,
            place=j.name if j else None,
            level=j.level if j else None,
            href=f"documents/{self.keys[sha]}.html" if self.linked else None,
            name=name,
            own_title=bool(d.title) or not v.title,
            **_version_date(d, v),
        )

    def _copies(self, dedup: dict | None) -> dict[str, CopyOf]:
        """Copy sha -> what dedup says of it against its canonical copy (canonical copies are not listed)."""
        out: dict[str, CopyOf] = {}
        for c in (dedup or {}).get("clusters") or []:
            canon = self.sha_of(c.get("canonical"))
            details = c.get("details") or {}
            for p in c.get("members") or []:
                sha = self.sha_of(p)
                if canon is None or sha is None or sha == canon or sha in out:
                    continue
                d = details.get(p) or {}
                out[sha] = CopyOf(
                    str(c.get("id")),
                    canon,
                    str(d.get("relation") or "identical"),
                    dedup_text(str(d.get("differences") or "")),
                    len(c.get("members") or []),
                )
        return out

    def edges(self, graph: dict | None = None) -> EdgeIndex:
        """The reuse edges of ``graph`` (default: the report's, built once), by the documents of both sides."""
        if graph is not None and graph is not self.graph:
            return EdgeIndex(self, graph)
        if self._edges is None:
            self._edges = EdgeIndex(self, self.graph)
        return self._edges

    def sha_of(self, ref: str | None) -> str | None:
        if not ref:
            return None
        if ref in self.docs:
            return ref
        sha = self._by_path.get(ref) or self._by_path.get(os.path.abspath(ref))
        if sha:
            return sha
        low = ref.lower()
        if len(low) >= 6 and all(c in "0123456789abcdef" for c in low):
            hits = [s for s in self.order if s.startswith(low)]
            if len(hits) == 1:
                return hits[0]
        if self._by_base is None:  # built once: a graph names a node per version, most of them not paths
            self._by_base = {}
            for p, s in self._by_path.items():
                self._by_base.setdefault(os.path.basename(p), set()).add(s)
        named = self._by_base.get(os.path.basename(ref), set())
        return next(iter(named)) if len(named) == 1 else None

    def ref(self, ref: str | None) -> DocRef | None:
        sha = self.sha_of(ref)
        return self.refs[sha] if sha else None

    def index(self, sha: str) -> UnitIndex:
        if sha not in self._indexes:
            self._indexes[sha] = UnitIndex(self.docs[sha])
        return self._indexes[sha]

    def span_href(self, sha: str | None, span: tuple[int, int] | None) -> str | None:
        """Link to the unit holding ``span`` on the document's page."""
        if sha is None or not self.linked:
            return None
        ref = self.refs[sha]
        return ref.at(self.index(sha).anchor(span) if span else None)

    def span_link(self, sha: str, span: tuple[int, int]) -> SpanLink:
        return SpanLink(span, self.refs[sha].href, self.index(sha).anchor(span))


@dataclass(frozen=True)
class CopyOf:
    """A duplicate copy (dedup): its cluster, canonical copy, relation and what differs."""

    cluster: str
    canonical: str  # sha
    relation: str  # identical | formatting | truncated | noisy
    differences: str
    members: int


@dataclass(frozen=True)
class ShareView:
    """One share of a reuse edge as printed: the graph's figure, formatted once (``share_text``)."""

    text: str
    of: DocRef | ExtRef  # the document it is a share of
    edge: str  # edge key "<source id>--<target id>" (data-edge, so tests and readers can compare pages)
    side: str  # "target" | "source": which side of the graph edge it is a share of


@dataclass
class EdgeInfo:
    """A reuse edge of the graph, as every page that mentions it needs it."""

    key: str
    sid: str
    tid: str
    source_shas: list[str]  # every copy of each side in the report, canonical first
    target_shas: list[str]
    uncertain: bool  # direction not established: the pages say "shares text with", never "reused from"
    share_of_target: float | None
    share_of_source: float | None
    source_sha: str | None  # the copies whose spans the passages are in
    target_sha: str | None
    passages: list[dict[str, Any]]
    common: dict[str, str]  # common-source node id -> title
    adoption: dict[str, Any] | None = None
    edition: str | None = None  # two versions of one document: their role (lineage.graph.editions), never "reused"
    possible: list[dict[str, Any]] = field(default_factory=list)  # cited documents older than both: both may draw on
    target_share: ShareView | None = None
    source_share: ShareView | None = None
    _by_start: dict[str, tuple] = field(default_factory=dict, repr=False)

    def share_of(self, sha: str | None) -> ShareView | None:
        """The share of the side ``sha`` is on."""
        if sha in self.target_shas:
            return self.target_share
        return self.source_share if sha in self.source_shas else None

    def other(self, sha: str) -> list[str]:
        return self.source_shas if sha in self.target_shas else self.target_shas

    def passage_at(self, sha: str | None, span: tuple[int, int]) -> dict[str, Any] | None:
        """The graph passage overlapping ``span`` of document ``sha`` (one side's canonical copy) the most."""
        side = "target_span" if sha == self.target_sha else "source_span"
        if side not in self._by_start:  # (starts, spans, passages) sorted by start, and the longest span
            items = sorted((tuple(p[side]), i) for i, p in enumerate(self.passages) if _is_span(p.get(side)))
            self._by_start[side] = (
                [x[0][0] for x in items],
                [x[0] for x in items],
                [self.passages[i] for _, i in items],
                max((b - a for (a, b), _ in items), default=0),
            )
        starts, spans, passages, longest = self._by_start[side]
        best, most = None, 0
        k = bisect.bisect_left(starts, span[1])  # passages starting before the span ends ...
        while k > 0 and starts[k - 1] > span[0] - longest:  # ... and not ending before it starts
            k -= 1
            n = min(spans[k][1], span[1]) - max(spans[k][0], span[0])
            if n > most or (n == most and n > 0):
                best, most = passages[k], n
        return best


class EdgeIndex:
    """Reuse edges by the documents on their sides (any copy of either version)."""

    def __init__(self, cat: Catalog, graph: dict | None) -> None:
        self.edges: list[EdgeInfo] = []
        self.by_pair: dict[tuple[str, str], EdgeInfo] = {}
        if not graph:
            return
        self.node_shas = node_shas(cat, graph)
        editions = cat.editions or Editions(graph.get("edges") or [], graph.get("nodes") or [])
        refs = {nid: cat.refs[shas[0]] for nid, shas in self.node_shas.items() if shas}
        for e in graph.get("edges") or []:
            if e.get("kind") != "reuse":
                continue
            sid, tid = str(e.get("source")), str(e.get("target"))
            ss, ts = self.node_shas.get(sid) or [], self.node_shas.get(tid) or []
            if not ss or not ts:
                continue
            key = f"{sid}--{tid}"
            st, so = _share(e.get("share_of_target")), _share(e.get("share_of_source"))
            src_sha = e.get("source_sha256") if e.get("source_sha256") in cat.docs else ss[0]
            tgt_sha = e.get("target_sha256") if e.get("target_sha256") in cat.docs else ts[0]
            info = EdgeInfo(
                key,
                sid,
                tid,
                ss,
                ts,
                edge_uncertain(e),
                st,
                so,
                src_sha,
                tgt_sha,
                list(e.get("passages") or []),
                {str(c.get("id")): str(c.get("title") or c.get("id")) for c in e.get("common_sources") or []},
                e.get("adoption"),
                editions.role(e, edge_uncertain(e)),
                list(e.get("possible_common_sources") or []),
            )
            info.target_share = ShareView(share_text(st), refs[tid], key, "target")
            info.source_share = ShareView(share_text(so), refs[sid], key, "source")
            self.edges.append(info)
            for a in ss:
                for b in ts:
                    self.by_pair.setdefault((a, b), info)
                    self.by_pair.setdefault((b, a), info)

    def between(self, a: str | None, b: str | None) -> EdgeInfo | None:
        return self.by_pair.get((a, b)) if a and b else None

    def of(self, sha: str) -> list[EdgeInfo]:
        return [e for e in self.edges if sha in e.source_shas or sha in e.target_shas]


def edge_uncertain(e: dict[str, Any]) -> bool:
    """Whether a reuse edge's direction is not established: the graph's ``direction``, else a low confidence."""
    if e.get("kind", "reuse") != "reuse":
        return False
    if isinstance(e.get("direction"), str):
        return e["direction"] != "established"
    conf = e.get("confidence")
    if isinstance(conf, (int, float)) and not isinstance(conf, bool):
        return conf < 0.5
    return str(conf).lower() in ("low", "unknown", "none", "conflicting", "uncertain")


def _is_span(v: Any) -> bool:
    return isinstance(v, (list, tuple)) and len(v) == 2 and all(isinstance(x, int) for x in v)


def _share(v: Any) -> float | None:
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def node_shas(cat: Catalog, graph: dict) -> dict[str, list[str]]:
    """Graph node id -> every document of the report it stands for (a version node lists all its copies)."""
    out: dict[str, list[str]] = {}
    for n in graph.get("nodes") or []:
        if n.get("external"):
            continue
        shas = [s for s in (cat.sha_of(p) for p in [*(n.get("paths") or []), n.get("id")]) if s]
        out[str(n.get("id"))] = list(dict.fromkeys(shas))
    return out


def _common_root(paths: list[str]) -> str:
    dirs = [os.path.dirname(os.path.abspath(p)) for p in paths]
    if not dirs:
        return ""
    try:
        return os.path.commonpath(dirs)
    except ValueError:  # different drives
        return ""


# -- shared bits ---------------------------------------------------------------------------


@dataclass
class Tok:
    """A run of text in a cell; ``op``: "" plain, "del"/"ins" diff, "hit" the matched span, "ctx" context around it."""

    text: str
    op: str = ""


@dataclass
class SpanLink:
    """Where a span is on its document's page: ``doc`` (page href, None when unlinked) and ``anchor`` (unit element id)."""

    span: tuple[int, int]
    doc: str | None
    anchor: str | None

    @property
    def href(self) -> str | None:
        if self.doc is None:
            return None
        return f"{self.doc}#{self.anchor}" if self.anchor else self.doc


@dataclass
class Stat:
    """A count in a stats bar; ``key`` is the filter it sets (a relation, "formulaic" or "all")."""

    key: str
    label: str
    count: int


# -- index -----------------------------------------------------------------------------------


@dataclass
class CopiesInfo:
    """A document's duplicate-copy cluster (from dedup)."""

    cluster: str
    href: str  # dedup.html#cl-…
    role: str  # canonical | identical | formatting | truncated | noisy
    members: int
    canonical: DocRef | None


@dataclass
class EditionsInfo:
    """A document's family (dedup): the versions that are editions of one document, where there are several."""

    editions: int  # versions in the family, this one's included
    href: str  # its version on the dedup page (dedup.html#cl-…), which lists the other editions


@dataclass
class ReuseInfo:
    """How much of a document comes from one source, or what it shares with another (graph edge or trace)."""

    source: DocRef | ExtRef  # the other document
    share: float | None  # of the document's non-formulaic text
    href: str | None  # pair page, else provenance page
    how: str = "reused from"  # or "shares text with" (direction uncertain), or an edition's words (pages.side_how)
    shares: list[ShareView] = field(default_factory=list)  # the graph's: this document's share first


@dataclass
class PairLink:
    """A pair page as a document page or the index names it, worded by what the pair is."""

    how: str  # "reused from" | "source of" | "shares text with" | "copy of" | "its copy" | an edition's words
    other: DocRef  # the other document (the index: the second one)
    href: str
    shares: list[ShareView] = field(default_factory=list)
    first: DocRef | None = None  # the index: the first document of the pair
    sign: str = "→"  # → established or trace, ↔ direction uncertain, ≡ duplicate copy


@dataclass
class CitationView:
    title: str | None
    doc_number: str | None
    via: str
    href: str | None  # where in the citing document


@dataclass
class IndexRow:
    doc: DocRef
    paths: list[str]  # display paths of every input holding these bytes
    size: int
    encoding: str
    format: str
    issuers: list[str]
    doc_number: str | None
    parts: list[tuple[str, int]]  # (part, blocks), document order
    removed: int
    citations: list[CitationView]
    warnings: list[str]
    copies: CopiesInfo | None = None  # None: dedup not run, or a singleton
    editions: EditionsInfo | None = None  # None: dedup not run, or the only edition of its document
    reuse: list[ReuseInfo] | None = None  # None: not computed; []: nothing reused
    provenance: str | None = None  # href of the provenance page
    province: str | None = None  # short province name, "national", or None: the index's province filter
    interval: tuple[str, str] | None = None  # the dates it may bear (an estimate's range): the date filter and sort


@dataclass
class ClusterSummary:
    id: str
    href: str
    canonical: DocRef | None
    canonical_path: str
    members: int
    relations: list[tuple[str, int]]


@dataclass
class EdgeView:
    source: DocRef | ExtRef
    target: DocRef | ExtRef
    kind: str  # reuse | citation
    share_of_target: float | None
    share_of_source: float | None
    chars: dict[str, int]
    passages: int
    confidence: Any
    evidence: list[str]
    href: str | None
    sid: str = ""  # graph node ids of source and target
    tid: str = ""
    direction: str | None = None  # graph's verdict: established | uncertain (None: not given)
    shares: list[ShareView] = field(default_factory=list)  # reuse: the target's share, then the source's
    uncertain: bool = False  # a reuse edge whose direction is not established (edge_uncertain)
    edition: str | None = None  # between two versions of one document: its role (lineage.graph.editions)


@dataclass
class IndexPage:
    title: str
    rows: list[IndexRow]
    total_bytes: int
    stages: dict[str, bool]  # which pipeline stages contributed: ingest, dedup, align, graph
    clusters: list[ClusterSummary] | None  # multi-member clusters; None: dedup not run
    edges: list[EdgeView] | None  # strongest lineage edges; None: graph not run
    pairs: list[PairLink]  # every pair page
    skipped: list[tuple[str, str]]  # (display path, reason)
    provinces: list[str] = field(default_factory=list)  # the index's province filter, "national" apart


# -- document page -------------------------------------------------------------------------


@dataclass
class BlockView:
    id: str  # unit id; the element id is "u-" + id
    kind: str  # heading | paragraph | table | removed
    part: str  # wrapper … attachment, or "removed"
    level: int
    marker: str | None
    span: tuple[int, int]
    pieces: list[Any]  # text.Piece: ref = sentence id (anchor) or None
    note: str | None = None  # removed: the chrome kind


@dataclass
class Section:
    """Consecutive blocks of one part (or removed chrome) in file order."""

    part: str
    blocks: list[BlockView]


@dataclass
class OutlineNode:
    unit: str
    marker: str
    title: str
    level: int
    children: list[OutlineNode] = field(default_factory=list)


@dataclass
class DocumentPage:
    doc: DocRef
    meta: list[tuple[str, str]]  # label, value
    paths: list[str]
    citations: list[CitationView]
    parts: list[tuple[str, tuple[int, int], int]]  # part, span, blocks
    removed: list[BlockView]
    outline: list[OutlineNode]
    sections: list[Section]
    warnings: list[str]
    copies: CopiesInfo | None
    provenance: str | None
    pairs: list[PairLink]
    version_title: str | None = None  # a copy without a title line: the title it takes from its version
    editions: EditionsInfo | None = None  # its document's editions (dedup's family), where there are several


# -- pair page -------------------------------------------------------------------------------


@dataclass
class Cell:
    toks: list[Tok]
    link: SpanLink


@dataclass
class Row:
    id: str  # element id "r12"
    rel: str  # a RELATIONS value
    src: Cell | None
    tgt: Cell | None
    score: float | None = None
    unit: str | None = None
    formulaic: bool = False
    ghost: bool = False  # the source-side position of a moved unit
    partner: str | None = None  # row id of the other half of a moved pair
    tag: Tag | None = None  # what the graph makes of this match, when it does not count it

    @property
    def change(self) -> bool:
        return self.rel in CHANGES and not self.ghost


@dataclass
class RowGroup:
    """Rows shown as they are, or a run collapsed behind an expander: identical rows, or unmatched ones."""

    rows: list[Row]
    collapsed: bool = False

    @property
    def rel(self) -> str:
        """The run's relation: identical, added, deleted, or "unmatched" for added and deleted together."""
        rels = {r.rel for r in self.rows}
        return "unmatched" if len(rels) > 1 and rels <= {"added", "deleted"} else self.rows[0].rel

    @property
    def counts(self) -> list[tuple[str, int]]:
        """(relation, rows) in the run, in RELATIONS order."""
        n: dict[str, int] = {}
        for r in self.rows:
            n[r.rel] = n.get(r.rel, 0) + 1
        return [(rel, n[rel]) for rel in RELATIONS if rel in n]


@dataclass(frozen=True)
class Tag:
    """A matched passage the graph does not count as reuse between the two documents, and why."""

    kind: str  # common | widely | formulaic | uncounted (a CSS class and a stats-bar filter)
    label: str  # badge text: "common source: 中国制造2025", "widely shared", "formulaic", "not counted"
    why: str  # tooltip


# English messages (N_), translated where they are shown
TAG_LEGEND = (
    (
        "common",
        N_("common source"),
        N_(
            "text of a well-known national document both quote: they both draw on it, it is not counted as reuse "
            "between them"
        ),
    ),
    (
        "widely",
        N_("widely shared"),
        N_("text found in documents of several provinces: its origin lies outside this pair, not counted"),
    ),
    (
        "formulaic",
        N_("formulaic"),
        N_("stock text every plan has (headings, slogans, responsibility lines): not counted"),
    ),
    (
        "uncounted",
        N_("not counted"),
        N_(
            "matched by this alignment but not by the graph's (explained by "
            "another document, or too weak): not in the edge's share"
        ),
    ),
)


@dataclass
class PairPage:
    """Rows carry unit anchors only (``cell.link.anchor``); the two documents' page hrefs are on the page once.

    ``kind``: "reuse" (an established graph edge, source → target), "shared"
    (a graph edge of uncertain direction: the two documents share text),
    "copy" (a duplicate copy against its canonical copy, from dedup) or
    "align" (no graph: the alignment's own source and target, as ``lineage align``).
    """

    source: DocRef
    target: DocRef
    stats: list[Stat]
    reuse_share: float | None  # "align" only: the alignment's own figure
    groups: list[RowGroup]
    changes: int
    standalone: bool = False
    kind: str = "align"
    shares: list[ShareView] = field(default_factory=list)  # the graph edge's: the target's, then the source's
    copy: CopyOf | None = None
    copy_href: str | None = None  # its cluster on the dedup page
    legend: list[tuple[str, str, str]] = field(default_factory=list)  # tags on the page: (kind, label, why)
    adoption: str | None = None  # an edge established by dates against the level: what else may have happened
    possible: list[str] = field(default_factory=list)  # an uncertain edge: documents both may draw on, and why
    edition: str | None = None  # two versions of one document: the edge's role (lineage.graph.editions)
    # "align" (no graph edge): which way the evidence says the text went (the alignment's direction:
    # lineage.graph.traced): "source" (as named), "target" (the other way), "uncertain", "formulaic" (none of
    # the target's own text in common: no direction weighed); and the evidence
    evidence: str | None = None
    why: list[str] = field(default_factory=list)

    @property
    def sides(self) -> tuple[str, str]:
        """What the two columns are called: roles only where the direction is known."""
        if self.edition and self.kind == "reuse":
            return (N_("earlier edition"), N_("later edition"))
        return {"shared": ("left", "right"), "copy": ("canonical", "copy")}.get(self.kind, ("source", "target"))

    @property
    def edition_sentence(self) -> str | None:
        """What the pair page says the two editions are to each other (an English message, %(later)s, %(earlier)s)."""
        return EDITION_SENTENCES[self.edition] if self.edition else None

    @property
    def rel_names(self) -> dict[str, str]:
        """Badge text of one-sided rows: "added"/"deleted" say which way text went, so not where nobody knows."""
        if self.kind == "shared":
            return {"added": N_("right only"), "deleted": N_("left only")}
        if self.kind == "copy":
            return {"added": N_("copy only"), "deleted": N_("canonical only")}
        return {}


# -- provenance page -------------------------------------------------------------------------


@dataclass
class SourceView:
    color: int  # palette index
    doc: DocRef | ExtRef
    chars: int  # target characters the trace attributes to this document (non-formulaic)
    share: float | None  # the same as a share of the target's body characters (the trace's attribution)
    by_relation: list[tuple[str, int]]
    matches: int
    pair_href: str | None
    how: str = "reused from"  # or "shares text with" (the graph's direction is uncertain)
    shares: list[ShareView] = field(default_factory=list)  # the graph edge's: this document's share first
    later: bool = False  # dated after the target (the trace's later_than_target): shown, never hidden
    established: bool = True  # the graph's edge into the target is established (no edge: the trace's word)
    uncertain: bool = False  # the graph's edge's direction is not established
    # without a graph edge, the trace's direction (lineage.graph.traced): the evidence for and against it
    why: list[str] = field(default_factory=list)


@dataclass
class MatchView:
    id: str  # "m12": element id of its detail entry
    color: int
    rel: str
    formulaic: bool
    score: float | None
    unit: str | None
    source: DocRef | ExtRef | None
    src: Cell | None
    tgt: Cell
    source_index: int = 0  # row of its source in the page's sources table (where the source's page is named once)
    how: str = "from"  # or "shared with" (direction uncertain)
    tag: Tag | None = None
    also: list[DocRef | ExtRef] = field(default_factory=list)  # other documents holding this passage (also_in)
    # why each of them was set aside (also_in's set_aside_by: lineage.align.set_aside.SET_ASIDE keys)
    also_why: list[list[str]] = field(default_factory=list)


@dataclass
class ProvenancePage:
    target: DocRef
    reuse_share: float | None  # the trace's: the share of the text attributed to any source (not an edge's share)
    sources: list[SourceView]
    sections: list[Section]  # target text; piece.ref = MatchView or None
    matches: list[MatchView]
    added: int  # target spans with no source
    standalone: bool = False
    established: bool = True  # some source is an established one ("provenance"); else only shared text
    graph: bool = False  # the graph ran: sources carry its shares and direction
    worded: bool = False  # sources carry a direction (the graph's edge or the trace's): "reused from" or not
    legend: list[tuple[str, str, str]] = field(default_factory=list)


# -- dedup page ---------------------------------------------------------------------------------


@dataclass
class MemberView:
    path: str
    doc: DocRef | None
    relation: str
    containment: float | None
    similarity: float | None
    differences: str
    compare: str | None = None  # pair page: the canonical copy against this one


@dataclass
class RevisionLink:
    other: str  # cluster id
    href: str
    label: str
    similarity: float | None
    modified: int | None
    added: int | None
    deleted: int | None
    examples: list[str]


@dataclass
class SameTextLink:
    """Another version with this one's text, issued as another document (dedup's ``same_text``)."""

    other: str  # cluster id
    href: str
    label: str
    here: str  # where this version's issuers say it was issued ("" where none names them)
    there: str  # ... and the other's


@dataclass
class ClusterView:
    id: str
    anchor: str
    canonical: DocRef | None
    canonical_path: str
    reason: str
    members: list[MemberView]
    revisions: list[RevisionLink]
    same_text: list[SameTextLink] = field(default_factory=list)


@dataclass
class DedupPage:
    clusters: list[ClusterView]  # multi-member first
    singletons: list[ClusterView]
    skipped: list[tuple[str, str]]
    files: int
    stats: list[Stat]


# -- graph page -----------------------------------------------------------------------------------


@dataclass
class GNode:
    id: str
    anchor: str  # element id on the graph page
    x: float
    y: float
    r: float
    label: str  # short label drawn beside the node
    title: str  # tooltip: full title, date, place
    level: str | None
    external: bool
    href: str
    ref: DocRef | ExtRef
    label_w: float = 0.0  # drawn label width, px (lanes keep the next node clear of it)


@dataclass
class GEdge:
    source: str
    target: str
    kind: str  # reuse | citation
    d: str  # SVG path data
    width: float
    title: str
    href: str
    uncertain: bool  # direction not established: drawn without an arrowhead (hollow dots at both ends), dashed
    edition: bool = False  # between two versions of one document (drawn in another colour)


@dataclass
class GBand:
    level: str
    label: str
    y: float
    height: float


@dataclass
class GTick:
    x: float
    label: str


@dataclass
class GraphLayout:
    width: float
    height: float
    plot_left: float
    plot_right: float
    bands: list[GBand]
    ticks: list[GTick]
    nodes: list[GNode]
    edges: list[GEdge]
    undated_x: float | None  # the column for nodes without a date


@dataclass
class GraphPage:
    layout: GraphLayout
    edges: list[EdgeView]
    externals: list[GNode]
    nodes: int
    hidden: int = 0  # nodes not drawn (a large graph: documents without reuse, externals cited once)
    view: GraphViewData | None = None  # the interactive view's data (every node and edge), embedded in the page


@dataclass
class GraphViewData:
    """What the interactive graph (static/graph.js) draws: lineage.report.graph_view's JSON, hrefs to the site's pages."""

    data: dict[str, Any]
    years: list[int]
    provinces: list[str]
    levels: tuple[str, ...] = LEVELS
