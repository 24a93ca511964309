"""Page data: plain dataclasses computed before any HTML is written.

Templates only loop over these and print fields (autoescaped); every decision
(what is a change, which rows collapse, where a deleted unit goes, which
anchor a span links to, what colour a source gets) is made here or in
:mod:`lineage.report.pages`, where it can be unit-tested without a browser.

Hrefs in page data are relative to the site root; templates prefix them with
``root`` (``""`` or ``"../"``) for the page's depth.  ``None`` means "no page
to link to" (a standalone page, or a document outside the report).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from ..model import Document
from .names import doc_keys
from .text import UnitIndex

LEVELS = ("national", "province", "city", "county")
RELATIONS = ("identical", "modified", "localized", "partial", "merged", "split", "moved", "added", "deleted")
CHANGES = frozenset(RELATIONS) - {"identical"}  # what j/k visits
PARTS_ORDER = ("wrapper", "notice", "title", "body", "attachment")


# -- references to documents -----------------------------------------------------------

@dataclass(frozen=True)
class DocRef:
    """A document as other pages name and link it."""

    sha: str
    key: str  # file-name key, see names.doc_keys
    label: str  # title, else file name
    title: str | None
    path: str  # display path (relative to the report's input root)
    date: str | None
    date_kind: str | None
    place: str | None  # jurisdiction name
    level: str | None
    href: str | None  # documents/<key>.html, None on standalone pages

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


class Catalog:
    """The documents of one report: keys, display paths, lookups from any path a stage reports.

    Other stages name documents by path (the contracts' ``PATH``); a path may
    be relative or absolute, the first path a content was read from, or any
    copy of it.  ``sha_of`` accepts all of those, and sha256 prefixes too.
    """

    def __init__(self, docs: list[Document], paths: dict[str, list[str]] | None = None,
                 root: str | None = None, linked: bool = True) -> None:
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
        self.refs = {sha: self._ref(sha) for sha in self.order}
        # Filled by the site writer as pages are planned, so pages link only to pages that exist.
        self.pair_pages: dict[tuple[str, str], str] = {}  # (source sha, target sha) -> href
        self.provenance_pages: dict[str, str] = {}  # target sha -> href

    def display_path(self, path: str) -> str:
        ap = os.path.abspath(path)
        if self.root and (ap == self.root or ap.startswith(self.root.rstrip(os.sep) + os.sep)):
            return os.path.relpath(ap, self.root).replace(os.sep, "/")
        return path.replace(os.sep, "/")

    def _ref(self, sha: str) -> DocRef:
        d = self.docs[sha]
        j = d.jurisdiction
        path = self.display_path(self.paths[sha][0])
        return DocRef(sha=sha, key=self.keys[sha], label=d.title or os.path.basename(path), title=d.title,
                      path=path, date=d.date, date_kind=d.date_kind, place=j.name if j else None,
                      level=j.level if j else None,
                      href=f"documents/{self.keys[sha]}.html" if self.linked else None)

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
        hits = self._by_base.get(os.path.basename(ref), set())
        return next(iter(hits)) if len(hits) == 1 else None

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

    def span_link(self, sha: str, span: tuple[int, int]) -> "SpanLink":
        return SpanLink(span, self.refs[sha].href, self.index(sha).anchor(span))


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
class ReuseInfo:
    """How much of a document comes from one source (graph edge or trace)."""

    source: DocRef | ExtRef
    share: float | None  # of the document's non-formulaic text
    href: str | None  # pair page, else provenance page


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
    reuse: list[ReuseInfo] | None = None  # None: not computed; []: nothing reused
    provenance: str | None = None  # href of the provenance page


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


@dataclass
class IndexPage:
    title: str
    rows: list[IndexRow]
    total_bytes: int
    stages: dict[str, bool]  # which pipeline stages contributed: ingest, dedup, align, graph
    clusters: list[ClusterSummary] | None  # multi-member clusters; None: dedup not run
    edges: list[EdgeView] | None  # strongest lineage edges; None: graph not run
    pairs: list[tuple[DocRef, DocRef, str]]  # (source, target, href) of every pair page
    skipped: list[tuple[str, str]]  # (display path, reason)


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
    children: list["OutlineNode"] = field(default_factory=list)


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
    pairs: list[tuple[str, DocRef, str]]  # ("source of" | "reuses", other, href)


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


@dataclass
class PairPage:
    """Rows carry unit anchors only (``cell.link.anchor``); the two documents' page hrefs are on the page once."""

    source: DocRef
    target: DocRef
    stats: list[Stat]
    reuse_share: float | None
    groups: list[RowGroup]
    changes: int
    standalone: bool = False


# -- provenance page -------------------------------------------------------------------------

@dataclass
class SourceView:
    color: int  # palette index
    doc: DocRef | ExtRef
    chars: int  # reused target characters (non-formulaic)
    share: float | None  # of the target's body characters
    by_relation: list[tuple[str, int]]
    matches: int
    pair_href: str | None


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


@dataclass
class ProvenancePage:
    target: DocRef
    reuse_share: float | None
    sources: list[SourceView]
    sections: list[Section]  # target text; piece.ref = MatchView or None
    matches: list[MatchView]
    added: int  # target spans with no source
    standalone: bool = False


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
class ClusterView:
    id: str
    anchor: str
    canonical: DocRef | None
    canonical_path: str
    reason: str
    members: list[MemberView]
    revisions: list[RevisionLink]


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


@dataclass
class GEdge:
    source: str
    target: str
    kind: str  # reuse | citation
    d: str  # SVG path data
    width: float
    title: str
    href: str
    uncertain: bool  # direction not established (confidence low or missing)


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
