"""Page data for `lineage serve`: one document, one pair, one search, computed per request.

The figures and words come from the same functions as the static report's:
an edge's shares are the graph's (``EdgeInfo`` / ``share_text`` through
:class:`lineage.report.data.Catalog`), a passage the graph does not count is
tagged by :func:`lineage.report.pages.graph_tag`, the text is cut by
:func:`lineage.report.pages.sections`, and an edge whose direction is not
established reads "shares text with", never "reused from".  Names are the
graph's node labels (a version's ``label``), as every other page calls it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from typing import Any

from lineage.align.diff import diff
from lineage.dedup.result import DedupResult
from lineage.explore.diffusion import Diffusion, assemble
from lineage.explore.search import DEFAULT_MIN_SCORE, search
from lineage.explore.search_index import SearchIndex
from lineage.graph.editions import SENTENCES as EDITION_SENTENCES
from lineage.graph.pipeline import Graph
from lineage.i18n import N_
from lineage.model import Document
from lineage.report.data import Catalog, EdgeInfo, Section, ShareView, Tag, Tok
from lineage.report.graph_view import edge_shown
from lineage.report.pages import diff_toks, document_meta, graph_tag, outline_tree, sections, side_how
from lineage.report.text import shown
from lineage.serve.data import GraphData
from lineage.store import Store

MAX_HOLDERS = 500  # timeline rows shown on a search page (the counts cover all of them)


@dataclass(frozen=True)
class Ref:
    """A document as serve pages name and link it."""

    sha: str
    label: str
    date: str | None
    date_kind: str | None
    place: str | None
    level: str | None
    path: str

    @property
    def href(self) -> str:
        return f"/doc/{self.sha}"


def ref_of(store: Store, g: GraphData | None, doc: Document) -> Ref:
    """The document named by its version's label in the graph, else its title, else its file name."""
    node = g.nodes.get(g.by_sha.get(doc.sha256, "")) if g else None
    label = (node or {}).get("label") or doc.title or os.path.basename(doc.path)
    j = doc.jurisdiction
    return Ref(
        doc.sha256,
        label,
        doc.date,
        doc.date_kind,
        j.name if j else None,
        j.level if j else None,
        (store.paths_of(doc.sha256) or [doc.path])[0],
    )


@dataclass
class Link:
    """One reuse edge of a document, worded from its side."""

    how: str  # "reused from" | "source of" | "shares text with" | an edition's words (lineage.graph.editions)
    other: Ref
    href: str  # the pair page
    shares: list[ShareView]  # the graph's: this document's share first where both are shown
    uncertain: bool
    confidence: float | None
    passages: int  # passages of this edge highlighted in the text (0: its spans are in another copy)
    index: int = 0  # number of the link (mark classes e0..e9 cycle through colours)
    # below `lineage graph`'s default thresholds: the graph (and the static report) do not show it; listed
    # apart, collapsed, and its passages are not highlighted
    weak: bool = False


@dataclass
class Mark:
    """A highlighted passage of the document: which edge it belongs to and what the graph makes of it."""

    link: Link
    relation: str
    tag: Tag | None
    anchor: str  # the pair page's row


@dataclass
class CopyRow:
    """One file of this document's version, as dedup related it to the version's canonical copy."""

    path: str
    sha: str
    relation: str  # canonical | identical | formatting | truncated | noisy
    differences: str  # dedup's words (translated where shown)
    this: bool  # this document's content (one content may sit in several files)


@dataclass
class VersionRow:
    """Another version of the same document (dedup's revision), named by its canonical copy."""

    ref: Ref
    similarity: float
    modified: int
    added: int
    deleted: int
    earlier: bool  # dedup lists it as the earlier of the two


@dataclass
class SameTextRow:
    """Another version with this one's text, issued as another document (dedup's ``same_text``)."""

    ref: Ref
    here: str  # where this version's issuers say it was issued ("" where none names them)
    there: str  # ... and the other's


@dataclass
class Versions:
    cluster: str
    copies: list[CopyRow]
    others: list[VersionRow]
    same_text: list[SameTextRow] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "cluster": self.cluster,
            "copies": [
                {"path": c.path, "sha256": c.sha, "relation": c.relation, "differences": c.differences, "this": c.this}
                for c in self.copies
            ],
            "versions": [
                {
                    "sha256": v.ref.sha,
                    "label": v.ref.label,
                    "date": v.ref.date,
                    "similarity": v.similarity,
                    "changes": {"modified": v.modified, "added": v.added, "deleted": v.deleted},
                    "earlier": v.earlier,
                }
                for v in self.others
            ],
            "same_text": [
                {"sha256": x.ref.sha, "label": x.ref.label, "issued_in": [x.here, x.there]} for x in self.same_text
            ],
        }


def versions_view(store: Store, g: GraphData | None, clustering: DedupResult | None, sha: str) -> Versions | None:
    """The copies of this document's version and its other versions, from the stored dedup result."""
    cid = clustering.version_of(sha) if clustering else None
    if clustering is None or cid is None:
        return None
    c = clustering.cluster(cid)
    copies = [
        CopyRow(p, m.sha256, m.relation, m.differences if p != c.canonical else c.reason, m.sha256 == sha)
        for p in c.members
        for m in [c.details[p]]
    ]
    others = []
    for r in clustering.related:
        if cid not in (r.a, r.b):
            continue
        other = clustering.cluster(r.b if r.a == cid else r.a)
        if not store.has(other.canonical_sha):
            continue
        ch = r.changes
        others.append(
            VersionRow(
                ref_of(store, g, store.load(other.canonical_sha, units=False, text=False)),
                r.similarity,
                ch.modified,
                ch.added,
                ch.deleted,
                r.a == other.id,
            )
        )
    others.sort(key=lambda v: (not v.earlier, v.ref.date or "", v.ref.label))
    same = []
    for x in clustering.same_text:
        if cid not in (x.a, x.b):
            continue
        other = clustering.cluster(x.b if x.a == cid else x.a)
        if store.has(other.canonical_sha):
            here, there = x.issued_in if x.a == cid else x.issued_in[::-1]
            same.append(
                SameTextRow(ref_of(store, g, store.load(other.canonical_sha, units=False, text=False)), here, there)
            )
    return Versions(cid, copies, others, same)


@dataclass
class DocumentView:
    doc: Ref
    meta: list[tuple[str, str]]
    paths: list[str]
    links: list[Link]
    sections: list[Section]
    outline: list[Any]
    node: str | None
    graph: bool  # a graph is cached
    elsewhere: int = 0  # edges whose passages are in another copy of this version
    versions: Versions | None = None  # its copies and other versions, where dedup's result is stored
    superseded: dict[str, Any] = field(default_factory=dict)  # what its text says against given values

    @property
    def shown(self) -> list[Link]:
        """The edges the graph shows (its default thresholds)."""
        return [x for x in self.links if not x.weak]

    @property
    def weak(self) -> list[Link]:
        """The edges below the graph's thresholds (aligned, but not shown by `lineage graph`)."""
        return [x for x in self.links if x.weak]


def _how(e: EdgeInfo, sha: str) -> str:
    return side_how(e.edition, e.uncertain, sha in e.target_shas)


def _catalog(store: Store, g: GraphData, sub: dict[str, Any], docs: list[Document]) -> Catalog:
    paths = {d.sha256: store.paths_of(d.sha256) or [d.path] for d in docs}
    # an edition's role looks at the whole graph (another edition between two), not only this page's edges
    return Catalog(docs, paths, root="", linked=False, graph=sub, editions=g.editions)


def document_view(store: Store, g: GraphData | None, sha: str, clustering: DedupResult | None = None) -> DocumentView:
    doc = store.load(sha)
    me = ref_of(store, g, doc)
    nid = g.by_sha.get(sha) if g else None
    links: list[Link] = []
    marks: list[tuple[int, int, Mark]] = []
    elsewhere = 0
    if g is not None and nid is not None:
        sub = g.subgraph(nid)
        others = {str(n.get("sha256")) for n in sub["nodes"] if not n.get("external") and n.get("sha256") != sha}
        # the copies whose spans the edges' passages are in
        others |= {str(e.get(k)) for e in sub["edges"] for k in ("source_sha256", "target_sha256")}
        others.discard(sha)
        docs = [doc] + [store.load(s, units=False) for s in sorted(others) if store.has(s)]
        cat = _catalog(store, g, sub, docs)
        refs = {d.sha256: ref_of(store, g, d) for d in docs}
        weak = {(str(x["source"]), str(x["target"])) for x in sub["edges"] if not edge_shown(x)}
        infos = sorted(cat.edges().of(sha), key=lambda e: ((e.sid, e.tid) in weak, -_share(e, sha), e.key))
        for i, e in enumerate(infos):
            other_sha = next((s for s in e.other(sha) if s in refs), None)
            if other_sha is None:
                continue
            mine, theirs = _named(e.share_of(sha), me.label), _named(e.share_of(other_sha), refs[other_sha].label)
            side = "target_span" if sha == e.target_sha else "source_span" if sha == e.source_sha else None
            link = Link(
                _how(e, sha),
                refs[other_sha],
                pair_href(e.sid, e.tid),
                [x for x in ((mine, theirs) if e.uncertain else (mine if sha in e.target_shas else theirs,)) if x],
                e.uncertain,
                None,
                0,
                i,
                (e.sid, e.tid) in weak,
            )
            if link.weak:
                pass  # as the graph: not drawn, so not highlighted either
            elif side is None:
                elsewhere += 1
            else:
                for k, p in enumerate(e.passages):
                    span = tuple(p[side])
                    marks.append(
                        (span[0], span[1], Mark(link, str(p.get("relation")), graph_tag(e, sha, span), f"p{k}"))
                    )
                    link.passages += 1
            links.append(link)
    paths = store.paths_of(sha) or [doc.path]
    # with marks (even none) paragraphs are cut at the highlighted passages, not at their sentences
    return DocumentView(
        me,
        document_meta(doc),
        paths,
        links,
        sections(_plain_cat(store, doc), doc, marks),
        outline_tree(doc),
        nid,
        g is not None,
        elsewhere,
        versions_view(store, g, clustering, sha),
        doc.superseded,
    )


def _named(share: ShareView | None, label: str) -> ShareView | None:
    """The share, naming its document as the page names it (the graph's label), not by the catalog's title."""
    if share is None or getattr(share.of, "label", label) == label:
        return share
    return replace(share, of=replace(share.of, label=label))


def _share(e: EdgeInfo, sha: str) -> float:
    v = e.share_of_target if sha in e.target_shas else e.share_of_source
    return v or 0.0


def _plain_cat(store: Store, doc: Document) -> Catalog:
    return Catalog([doc], {doc.sha256: [doc.path]}, root="", linked=False)


def pair_href(sid: str, tid: str) -> str:
    return f"/pair/{sid}/{tid}"


# -- pair ------------------------------------------------------------------------------------------


@dataclass
class PassageRow:
    id: str
    relation: str
    src: list[Tok]
    tgt: list[Tok]
    src_span: tuple[int, int]
    tgt_span: tuple[int, int]
    tag: Tag | None
    counted: bool


@dataclass
class PairView:
    source: Ref  # for an uncertain edge: the side the graph lists first ("left"), not a source
    target: Ref
    uncertain: bool
    shares: list[ShareView]
    confidence: float | None
    evidence: list[str]
    rows: list[PassageRow]
    sid: str
    tid: str
    conflict: bool = False
    adoption: str | None = None
    legend: list[tuple[str, str, str]] = field(default_factory=list)
    edition: str | None = None  # two versions of one document: the edge's role (lineage.graph.editions)

    @property
    def sides(self) -> tuple[str, str]:
        if self.uncertain:
            return ("left", "right")
        return (N_("earlier edition"), N_("later edition")) if self.edition else ("source", "target")

    @property
    def says(self) -> str:
        """What the target (the right) is to the source (the left), as the pages word it."""
        return side_how(self.edition, self.uncertain, True)

    @property
    def edition_sentence(self) -> str | None:
        return EDITION_SENTENCES[self.edition] if self.edition else None


def pair_view(store: Store, g: GraphData, a: str, b: str) -> PairView | None:
    """The reuse edge between nodes ``a`` and ``b`` (either order), its passages side by side."""
    from lineage.report.pages import evidence_text, legend

    e = g.edge(a, b)
    if e is None:
        return None
    s_sha, t_sha = str(e["source_sha256"]), str(e["target_sha256"])
    src, tgt = store.load(s_sha), store.load(t_sha)
    sub = {"nodes": [g.nodes[str(e["source"])], g.nodes[str(e["target"])]], "edges": [e]}
    cat = _catalog(store, g, sub, [src, tgt])
    info = cat.edges().edges[0]
    rows = []
    for k, p in enumerate(e.get("passages") or []):
        ss, ts = tuple(p["source_span"]), tuple(p["target_span"])
        a_text, b_text = shown(src, *ss), shown(tgt, *ts)
        rel = str(p.get("relation") or "")
        if a_text != b_text:
            ops = diff(a_text, b_text)
            a_toks, b_toks = diff_toks(ops, "src"), diff_toks(ops, "tgt")
        else:
            a_toks, b_toks = [Tok(a_text)], [Tok(b_text)]
        tag = graph_tag(info, t_sha, ts)
        rows.append(PassageRow(f"p{k}", rel, a_toks, b_toks, ss, ts, tag, bool(p.get("counted", True))))
    sref, tref = ref_of(store, g, src), ref_of(store, g, tgt)
    names = {"source": sref.label, "target": tref.label}
    adoption = e.get("adoption")
    return PairView(
        sref,
        tref,
        info.uncertain,
        [x for x in (_named(info.target_share, tref.label), _named(info.source_share, sref.label)) if x],
        e.get("confidence"),
        [evidence_text(x, names) for x in e.get("direction_evidence") or []],
        rows,
        str(e["source"]),
        str(e["target"]),
        bool(e.get("conflict")),
        str(adoption.get("detail")) if isinstance(adoption, dict) and adoption.get("detail") else None,
        legend(r.tag for r in rows),
        info.edition,
    )


# -- search ---------------------------------------------------------------------------------------


def search_view(
    store: Store, index: SearchIndex, g: GraphData | None, text: str, min_score: float = DEFAULT_MIN_SCORE
) -> Diffusion:
    """Every holder of the text and its diffusion: the timeline, counts, and the graph's edges between holders."""
    res = search(store, text, index=index, limit=None, min_score=min_score)
    graph = Graph.from_dict(g.graph) if g is not None else None
    return assemble(res, graph, "cached" if graph is not None else "not built")
