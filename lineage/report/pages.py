"""Build page data from documents and from the other stages' JSON contracts.

These functions are the adapters: they take exactly what ``lineage align
--json`` / ``trace --json`` (issue 3), ``dedup --json`` (issue 4) and
``graph --json`` (issue 5) print, so a stage plugs in by handing its JSON
here; only this module changes if a contract does.  Unknown extra keys are
ignored; a missing optional key degrades the page, never breaks it.
"""

from __future__ import annotations

import bisect
import os
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from lineage.dedup.words import dedup_text
from lineage.graph.editions import how as edition_how
from lineage.graph.words import CHAR_KINDS, NOT_COUNTED, evidence_detail, may_draw_on, telling, too_little
from lineage.i18n import N_, _
from lineage.ingest.sidecar import superseded_notes
from lineage.ingest.words import reason_text, warning_text
from lineage.model import Document, province_key
from lineage.report.data import (
    CHANGES,
    RELATIONS,
    TAG_LEGEND,
    BlockView,
    Catalog,
    Cell,
    CitationView,
    ClusterSummary,
    ClusterView,
    CopiesInfo,
    DedupPage,
    DocRef,
    DocumentPage,
    EdgeInfo,
    EdgeView,
    EditionsInfo,
    ExtRef,
    GraphPage,
    GraphViewData,
    IndexPage,
    IndexRow,
    MatchView,
    MemberView,
    OutlineNode,
    PairLink,
    PairPage,
    ProvenancePage,
    ReuseInfo,
    RevisionLink,
    Row,
    RowGroup,
    SameTextLink,
    Section,
    SourceView,
    Stat,
    Tag,
    Tok,
    edge_uncertain,
    node_shas,
)
from lineage.report.names import anchor_id
from lineage.report.text import Piece, cut, shown, tidy

COLLAPSE_MIN = 3  # runs of at least this many identical rows fold behind an expander
PALETTE = 10  # source colours on provenance pages (CSS classes c0…c9)
TOP_EDGES = 20


def _span(v: Any) -> tuple[int, int] | None:
    if isinstance(v, (list, tuple)) and len(v) == 2 and all(isinstance(x, int) for x in v):
        return (int(v[0]), int(v[1]))
    return None


def _target_span(match: dict) -> tuple[int, int]:
    """A trace match's span in the target, which every match has (trace --json)."""
    span = _span(match.get("target_span"))
    if span is None:
        raise ValueError(f"a trace match without a target span: {match.get('target_span')!r}")
    return span


def _num(v: Any, *keys: str) -> float | None:
    """A number, or the first of ``keys`` in a dict holding one (contracts leave by_source's shape open)."""
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, dict):
        for k in keys:
            if isinstance(v.get(k), (int, float)) and not isinstance(v.get(k), bool):
                return float(v[k])
    return None


# -- document page ---------------------------------------------------------------------------


def citation_views(cat: Catalog, doc: Document) -> list[CitationView]:
    return [CitationView(c.title, c.doc_number, c.via, cat.span_href(doc.sha256, c.span)) for c in doc.citations]


def outline_tree(doc: Document) -> list[OutlineNode]:
    roots: list[OutlineNode] = []
    stack: list[OutlineNode] = []
    for o in doc.outline:
        node = OutlineNode(o.unit, o.marker, o.title, o.level)
        while stack and stack[-1].level >= o.level:
            stack.pop()
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
    return roots


def removed_views(doc: Document) -> list[BlockView]:
    return [
        BlockView(f"x{i}", "removed", "removed", 0, None, r.span, [Piece(tidy(r.text))], r.kind)
        for i, r in enumerate(doc.removed, 1)
    ]


def sections(cat: Catalog, doc: Document, marks: list[tuple[int, int, Any]] | None = None) -> list[Section]:
    """The document in file order: blocks grouped by part, removed chrome where it was.

    Without ``marks`` a paragraph is cut at its sentences (``piece.ref`` is the
    sentence id, an anchor); with marks it is cut at them (provenance).
    """
    items: list[BlockView] = []
    if marks is None:
        by_parent: dict[str, list[tuple[int, int, Any]]] = defaultdict(list)
        for u in cat.index(doc.sha256).sentences:
            by_parent[u.parent or ""].append((u.span[0], u.span[1], u.id))
    else:
        marks = sorted(marks, key=lambda m: (m[0], m[1]))
        starts = [m[0] for m in marks]
    for u in doc.block_units:
        if marks is None:
            cuts = by_parent.get(u.id, []) if u.kind == "paragraph" else []
        else:
            # Marks overlapping this block: those starting before its end and ending after its start.
            hi = bisect.bisect_left(starts, u.span[1])
            cuts = [m for m in marks[:hi] if m[1] > u.span[0]] if hi else []
        items.append(
            BlockView(u.id, u.kind, u.part, u.level, u.marker, u.span, cut(doc, u.span, cuts, table=u.kind == "table"))
        )
    items.extend(removed_views(doc))
    items.sort(key=lambda b: (b.span[0], b.span[1]))
    out: list[Section] = []
    for b in items:
        if out and out[-1].part == b.part:
            out[-1].blocks.append(b)
        else:
            out.append(Section(b.part, [b]))
    return out


def document_meta(
    doc: Document, version_title: str | None = None, version_date: dict[str, str] | None = None
) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    if doc.title:
        rows.append(("title", f"{doc.title} ({_(doc.title_source or '')})"))
    elif version_title:
        rows.append(("title", _("%(title)s (its version's: this copy has no title line)", title=version_title)))
    else:
        rows.append(("title", _("none found")))
    if doc.date:
        d = f"{doc.date} ({_(doc.date_kind or '')})"
        if doc.date_range:
            d += _(", between %(start)s and %(end)s", start=doc.date_range[0], end=doc.date_range[1])
        rows.append(("date", d))
    else:
        rows.append(("date", _("undated")))
    if version_date:
        rows.append(
            ("version's date", _("%(date)s (%(kind)s), read from another copy of this version", **version_date))
        )
    given = " " + _("(given)")
    if doc.issuers:
        rows.append(("issuers", "、".join(doc.issuers) + (given if doc.issuers_source == "given" else "")))
    if doc.doc_number:
        rows.append(("文号", doc.doc_number + (given if "doc_number" in doc.given else "")))
    j = doc.jurisdiction
    if j:
        rows.append(
            (
                "jurisdiction",
                f"{j.name} · {_(j.level)}"
                + (f" · {j.code}" if j.code else "")
                + " "
                + _("(from %(source)s)", source=_(j.source)),
            )
        )
    if doc.published:
        rows.append(
            (
                "published",
                _(
                    "%(date)s by %(source)s (page line)",
                    date=doc.published.get("date") or "?",
                    source=doc.published.get("source") or "?",
                ),
            )
        )
    if doc.url:
        rows.append(("url", doc.url))
    if doc.given:
        rows.append(("given", "; ".join(_("%(field)s by %(how)s", field=_(k), how=v) for k, v in doc.given.items())))
    # a given value that overrode another the text itself gives: both, so that a reader can weigh them
    rows.extend((N_("text differs"), n) for n in superseded_notes(doc, localized=True))
    rows.append(
        (
            "file",
            _(
                "%(format)s, %(encoding)s, %(size)s bytes",
                format=doc.format,
                encoding=doc.encoding,
                size=f"{doc.size:,}",
            ),
        )
    )
    rows.append(("sha256", doc.sha256))
    return rows


def document_page(
    cat: Catalog,
    sha: str,
    copies: CopiesInfo | None = None,
    pairs: list[PairLink] | None = None,
    editions: EditionsInfo | None = None,
) -> DocumentPage:
    doc = cat.docs[sha]
    ref = cat.refs[sha]
    blocks_per_part = Counter(u.part for u in doc.block_units)
    vtitle = ref.title if not doc.title else None
    return DocumentPage(
        doc=ref,
        meta=document_meta(
            doc,
            vtitle,
            {"date": ref.version_date, "kind": _(ref.version_date_kind or "")} if ref.version_date else None,
        ),
        paths=[cat.display_path(p) for p in cat.paths[sha]],
        citations=citation_views(cat, doc),
        parts=[(p["part"], tuple(p["span"]), blocks_per_part.get(p["part"], 0)) for p in doc.parts],
        removed=removed_views(doc),
        outline=outline_tree(doc),
        sections=sections(cat, doc),
        warnings=[warning_text(w) for w in doc.warnings],
        copies=copies,
        provenance=cat.provenance_pages.get(sha),
        pairs=pairs if pairs is not None else doc_pairs(cat).get(sha, []),
        version_title=vtitle,
        editions=editions,
    )


def pair_link(cat: Catalog, a: str, b: str, href: str, me: str) -> PairLink:
    """The pair page of (a, b) as ``me`` (one of them) names it: worded by what the pair is."""
    other = b if me == a else a
    copy = cat.copies.get(b) if cat.copies.get(b) and cat.copies[b].canonical == a else None
    if copy is not None:
        return PairLink("its copy" if me == a else "copy of", cat.refs[other], href, sign="≡")
    e = cat.edges().between(a, b)
    if e is None:  # no graph: the alignment's direction (a is the source)
        return PairLink("source of" if me == a else "reused from", cat.refs[other], href)
    mine, theirs = e.share_of(me), e.share_of(other)
    how = side_how(e.edition, e.uncertain, me in e.target_shas)
    if e.uncertain:
        return PairLink(how, cat.refs[other], href, [x for x in (mine, theirs) if x], sign="↔")
    if me in e.target_shas:
        return PairLink(how, cat.refs[other], href, [mine] if mine else [])
    return PairLink(how, cat.refs[other], href, [theirs] if theirs else [])


def side_how(edition: str | None, uncertain: bool, target: bool) -> str:
    """What the other document of a reuse edge is to one side (``target``: this side is the edge's target).

    Two editions of one document are worded as such (lineage.graph.editions), never "reused from"; an
    edge of uncertain direction "shares text with"."""
    if edition:
        return edition_how(edition, target)
    if uncertain:
        return "shares text with"
    return "reused from" if target else "source of"


def doc_pairs(cat: Catalog) -> dict[str, list[PairLink]]:
    """Each document's pair pages, worded from its side (reused from, source of, shares text with, copy of, or
    an edition's words)."""
    out: dict[str, list[PairLink]] = {sha: [] for sha in cat.order}
    for (a, b), href in sorted(cat.pair_pages.items()):
        for me in (a, b):
            out[me].append(pair_link(cat, a, b, href, me))
    return out


# -- cells and diff tokens ---------------------------------------------------------------------


def _merge(toks: Iterable[Tok]) -> list[Tok]:
    out: list[Tok] = []
    for t in toks:
        if not t.text:
            continue
        if out and out[-1].op == t.op:
            out[-1] = Tok(out[-1].text + t.text, t.op)
        else:
            out.append(t)
    return out


def diff_toks(diff: list, side: str) -> list[Tok]:
    """One side of an align diff (``[[op, source_text, target_text], …]``) as tokens."""
    toks = []
    for op in diff:
        if not isinstance(op, (list, tuple)) or len(op) < 3:
            continue
        kind, s, t = op[0], op[1] or "", op[2] or ""
        if side == "src":
            if kind == "equal":
                toks.append(Tok(s))
            elif kind in ("replace", "delete"):
                toks.append(Tok(s, "del"))
        else:
            if kind == "equal":
                toks.append(Tok(t))
            elif kind in ("replace", "insert"):
                toks.append(Tok(t, "ins"))
    return _merge(toks)


def cell(
    cat: Catalog, sha: str | None, span: tuple[int, int] | None, rel: str, diff: list | None = None, side: str = "tgt"
) -> Cell | None:
    if sha is None or span is None:
        return None
    doc = cat.docs[sha]
    link = cat.span_link(sha, span)
    if rel == "partial":
        # A lifted clause reads best inside the sentence that holds it.
        u = cat.index(sha).unit_for(span)
        if u is not None and u.kind == "sentence" and (u.span[0] < span[0] or span[1] < u.span[1]):
            pieces = cut(doc, u.span, [(span[0], span[1], "hit")])
            return Cell(_merge(Tok(p.text, "hit" if p.ref else "ctx") for p in pieces), link)
    if diff:
        toks = diff_toks(diff, side)
        if toks:
            return Cell(toks, link)
    return Cell([Tok(shown(doc, *span))], link)


# -- pair page ---------------------------------------------------------------------------------


def _stats(rows: list[Row], names: dict[str, str] | None = None) -> list[Stat]:
    names = names or {}
    counts = Counter(r.rel for r in rows if not r.ghost)
    stats = [Stat("all", N_("all"), sum(counts.values()))]
    stats += [Stat(rel, names.get(rel, rel), counts[rel]) for rel in RELATIONS if counts.get(rel)]
    stats += [Stat(rel, rel, n) for rel, n in sorted(counts.items()) if rel not in RELATIONS]
    formulaic = sum(1 for r in rows if (r.formulaic or (r.tag and r.tag.kind == "formulaic")) and not r.ghost)
    if formulaic:
        stats.append(Stat("formulaic", N_("formulaic"), formulaic))
    tags = Counter(r.tag.kind for r in rows if r.tag and r.tag.kind != "formulaic" and not r.ghost)
    stats += [Stat(k, label, tags[k]) for k, label, _ in TAG_LEGEND if tags.get(k)]
    return stats


# -- what the graph makes of a matched passage ---------------------------------------------------

_TAG_WHY = {k: why for k, _, why in TAG_LEGEND}


def graph_tag(e: EdgeInfo | None, sha: str | None, span: tuple[int, int] | None) -> Tag | None:
    """Why the graph does not count the passage at ``span`` of document ``sha`` (None: it counts it, or cannot say).

    The graph's passage overlapping the span most decides: counted (no tag),
    common source (a well-known text both quote), widely shared, formulaic;
    a span no graph passage overlaps is "not counted" (the graph's alignment
    gave it to another document, or found it too weak).
    """
    if e is None or span is None or sha not in (e.source_sha, e.target_sha):
        return None
    best = e.passage_at(sha, span)
    if best is None:
        return Tag("uncounted", "not counted", _TAG_WHY["uncounted"])
    if best.get("counted", True):
        return None
    cs = best.get("common_source")
    if cs == "widely shared":
        return Tag("widely", "widely shared", _TAG_WHY["widely"])
    if cs:
        return Tag("common", _("common source: %(title)s", title=e.common.get(str(cs), str(cs))), _TAG_WHY["common"])
    if best.get("formulaic"):
        return Tag("formulaic", "formulaic", _TAG_WHY["formulaic"])
    return Tag("uncounted", "not counted", _TAG_WHY["uncounted"])


def legend(tags: Iterable[Tag | None]) -> list[tuple[str, str, str]]:
    """The legend lines for the tags a page shows, in a fixed order."""
    kinds = {t.kind for t in tags if t}
    return [x for x in TAG_LEGEND if x[0] in kinds]


def pair_rows(cat: Catalog, align: dict, src_sha: str | None, tgt_sha: str | None) -> list[Row]:
    """Rows in target order; source-only rows (deleted, the origin of moved units) at their source position."""
    src_paths = {s.get("path") for s in align.get("sources") or [] if isinstance(s, dict)}
    single = len(src_paths) <= 1
    main: list[tuple[tuple[int, int], Row, tuple[int, int] | None, bool]] = []
    for m in align.get("matches") or []:
        if not single and cat.sha_of(m.get("source")) != src_sha:
            continue
        ss, ts = _span(m.get("source_span")), _span(m.get("target_span"))
        if ts is None:
            continue
        rel = str(m.get("relation") or "modified")
        diff = m.get("diff") or None
        row = Row(
            "",
            rel,
            cell(cat, src_sha, ss, rel, diff, "src"),
            cell(cat, tgt_sha, ts, rel, diff, "tgt"),
            score=_num(m.get("score")),
            unit=m.get("unit"),
            formulaic=bool(m.get("formulaic")),
        )
        moved = rel == "moved" or bool(m.get("moved"))
        main.append((ts, row, ss, moved))
    for a in align.get("added") or []:
        ts = _span(a.get("target_span"))
        if ts is not None:
            main.append((ts, Row("", "added", None, cell(cat, tgt_sha, ts, "added")), None, False))
    main.sort(key=lambda x: (x[0], x[1].rel))

    # Source-order anchors: rows that sit where their source does.
    anchors = sorted((ss[0], i) for i, (_, _, ss, moved) in enumerate(main) if ss is not None and not moved)
    anchor_starts = [a[0] for a in anchors]

    def slot(source_start: int) -> int:
        k = bisect.bisect_left(anchor_starts, source_start) - 1
        return anchors[k][1] if k >= 0 else -1

    after: dict[int, list[tuple[int, Row]]] = defaultdict(list)
    for d in align.get("deleted") or []:
        if not single and cat.sha_of(d.get("source")) != src_sha:
            continue
        ss = _span(d.get("source_span"))
        if ss is not None:
            after[slot(ss[0])].append((ss[0], Row("", "deleted", cell(cat, src_sha, ss, "deleted"), None)))
    for _slot, row, ss, moved in main:
        if moved and ss is not None:
            ghost = Row("", row.rel, cell(cat, src_sha, ss, "identical"), None, ghost=True)
            ghost.partner, row.partner = row, ghost  # type: ignore[assignment]  # resolved to ids below
            after[slot(ss[0])].append((ss[0], ghost))

    rows: list[Row] = [r for _, r in sorted(after.get(-1, []), key=lambda x: x[0])]
    for i, (_slot, row, _ss, _moved) in enumerate(main):
        rows.append(row)
        rows.extend(r for _, r in sorted(after.get(i, []), key=lambda x: x[0]))
    for n, r in enumerate(rows, 1):
        r.id = f"r{n}"
    for r in rows:
        if isinstance(r.partner, Row):
            r.partner = r.partner.id
    return rows


COLLAPSE_ONE_SIDED = 6  # runs of added (or deleted) rows this long fold too: weak pairs are mostly these


def group_rows(
    rows: list[Row], collapse_min: int = COLLAPSE_MIN, one_sided_min: int = COLLAPSE_ONE_SIDED
) -> list[RowGroup]:
    """Fold runs of identical rows, and long runs of unmatched (added or deleted) rows, behind expanders.

    Added and deleted rows fold together: in a pair sharing a few passages
    they alternate for pages, and what a reader looks for is the passages.
    """
    groups: list[RowGroup] = []
    run: list[Row] = []

    def foldable(r: Row) -> str | None:
        if r.ghost or r.formulaic or r.tag:
            return None
        return "identical" if r.rel == "identical" else ("unmatched" if r.rel in ("added", "deleted") else None)

    def flush() -> None:
        need = collapse_min if run and run[0].rel == "identical" else one_sided_min
        if run and len(run) >= need:
            groups.append(RowGroup(list(run), collapsed=True))
        else:
            for r in run:
                _plain(groups, r)
        run.clear()

    for r in rows:
        kind = foldable(r)
        if kind and run and foldable(run[0]) == kind:
            run.append(r)
            continue
        flush()
        if kind:
            run.append(r)
        else:
            _plain(groups, r)
    flush()
    return groups


def _plain(groups: list[RowGroup], r: Row) -> None:
    if groups and not groups[-1].collapsed:
        groups[-1].rows.append(r)
    else:
        groups.append(RowGroup([r]))


def _doc_ref_or_ext(cat: Catalog, info: Any) -> DocRef | ExtRef:
    path = info.get("path") if isinstance(info, dict) else info
    ref = cat.ref(path) if path else None
    if ref is not None:
        return ref
    title = info.get("title") if isinstance(info, dict) else None
    label = title or (os.path.basename(path) if path else _("unknown document"))
    return ExtRef(anchor_id(str(path or label)), label, None, None, None, None, None)


def pair_page(cat: Catalog, align: dict, collapse_min: int = COLLAPSE_MIN) -> PairPage:
    """The pair diff page from ``lineage align --json`` (issue 3's contract)."""
    tgt_sha = cat.sha_of((align.get("target") or {}).get("path"))
    sources = align.get("sources") or []
    src_sha = cat.sha_of(sources[0].get("path")) if sources else None
    if src_sha is None:  # a contract without "sources": take the first match's source
        src_sha = next((cat.sha_of(m.get("source")) for m in align.get("matches") or [] if m.get("source")), None)
    if tgt_sha is None or src_sha is None:
        raise ValueError("align result names documents that are not in this report")
    rows = pair_rows(cat, align, src_sha, tgt_sha)
    summary = align.get("summary") or {}
    page = PairPage(
        source=cat.refs[src_sha],
        target=cat.refs[tgt_sha],
        stats=[],
        reuse_share=_num(summary.get("reuse_share")),
        groups=[],
        changes=0,
        standalone=not cat.linked,
    )
    copy = cat.copies.get(tgt_sha)
    edge = cat.edges().between(src_sha, tgt_sha)
    if copy is not None and copy.canonical == src_sha:
        # a duplicate copy against its canonical copy: what dedup says, not a reuse figure
        page.kind, page.copy, page.reuse_share = "copy", copy, None
        page.copy_href = f"dedup.html#{cluster_anchor(copy.cluster)}"
    elif edge is not None:
        page.kind = "shared" if edge.uncertain else "reuse"
        page.reuse_share = None  # the graph's figures stand for the pair: one number per thing
        page.shares = [x for x in (edge.share_of(tgt_sha), edge.share_of(src_sha)) if x]
        page.adoption = evidence_detail((edge.adoption or {}).get("detail") or "") or None
        if edge.uncertain and not page.adoption:  # (the adoption story names them itself)
            page.possible = [may_draw_on(x) for x in edge.possible]
        page.edition = edge.edition
        for r in rows:
            if r.tgt is not None and not r.ghost and not r.formulaic and r.rel not in ("added", "deleted"):
                r.tag = graph_tag(edge, tgt_sha, r.tgt.link.span)
        page.legend = legend(r.tag for r in rows)
    elif isinstance(direction := (sources[0].get("direction") if sources else None), dict):
        # no graph edge: the roles are the user's (`lineage align SOURCE TARGET`); the evidence says which way
        if direction.get("formulaic_only"):
            # none of the target's own text in common (formulaic text, a national text both quote): no source,
            # no direction to weigh (lineage.graph.traced), as the graph shows no edge
            page.evidence, page.why = "formulaic", []
        else:
            page.evidence = direction.get("source") or "uncertain"
            page.why = _trace_why(direction)
    page.stats, page.groups = _stats(rows, page.rel_names), group_rows(rows, collapse_min)
    page.changes = sum(1 for r in rows if r.change)
    return page


# -- provenance page ---------------------------------------------------------------------------


def _trace_why(direction: dict) -> list[str]:
    """A trace direction's evidence lines (what counted, for or against), and why too little is no source."""
    told = telling(direction)
    why = [evidence_detail(str(ev.get("detail") or "")) for ev in told]
    if direction.get("status") == "uncertain" and not any(ev.get("kind") == "adoption" for ev in told):
        # the documents both may draw on, as a graph edge's pair page names them (the adoption story names them
        # itself)
        why += [may_draw_on(x) for x in direction.get("possible_common_sources") or () if isinstance(x, dict)]
    little = too_little(direction)
    return [little, *why] if little else why


def provenance_page(cat: Catalog, trace: dict) -> ProvenancePage:
    """The provenance page from ``lineage trace --json`` (issue 3's contract), worded and figured by the graph.

    With the report's graph, every source is a reuse edge: its share is the
    edge's (the graph's figure, the same on every page), and an edge of
    uncertain direction is a document this one "shares text with", not a
    source.  The trace's own figures (what it attributes to each source, each
    span to one source) are shown under another name.  Without a graph (a
    standalone ``trace --html``) the trace's figures are all there is; a
    document without a graph edge is worded by the trace's direction (the
    graph's rules asked of the pair: ``sources[].direction``), "reused from"
    only where the evidence shows it.
    """
    tgt_sha = cat.sha_of((trace.get("target") or {}).get("path"))
    if tgt_sha is None:
        raise ValueError("trace result names a target that is not in this report")
    tdoc = cat.docs[tgt_sha]
    matches = [m for m in trace.get("matches") or [] if _span(m.get("target_span"))]
    matches.sort(key=lambda m: (_span(m["target_span"]), str(m.get("source"))))
    graph = bool(cat.graph)
    edges = cat.edges()

    # Sources by reused characters (neither formulaic nor a national text both quote, as the trace counts
    # them), largest first: colour 0 is the main source.
    chars: Counter[str] = Counter()
    rels: dict[str, Counter[str]] = defaultdict(Counter)
    nmatch: Counter[str] = Counter()
    for m in matches:
        key = str(m.get("source"))
        n = len(shown(tdoc, *_target_span(m)))
        nmatch[key] += 1
        if not m.get("formulaic") and not m.get("common_source"):
            chars[key] += n
            rels[key][str(m.get("relation"))] += n
    info = {str(s.get("path")): s for s in trace.get("sources") or [] if isinstance(s, dict)}
    keys = list(set(nmatch) | set(info))
    # the graph's edges into this version the trace found nothing for: listed all the same
    traced = {cat.sha_of(k) for k in keys}
    for into in edges.of(tgt_sha):
        others = into.other(tgt_sha)
        if (into.uncertain or tgt_sha in into.target_shas) and not traced & set(others):
            keys.append(cat.paths[others[0]][0])
    keys.sort(key=lambda k: (-chars[k], cat.refs[ks].path if (ks := cat.sha_of(k)) else k))
    color = {k: i % PALETTE for i, k in enumerate(keys)}
    index = {k: i for i, k in enumerate(keys)}
    total = tdoc.body_chars() or 1
    by_source = (trace.get("summary") or {}).get("by_source") or {}
    sources = []
    edge_of: dict[str, EdgeInfo | None] = {}
    worded: dict[str, SourceView] = {}  # sources worded by the trace's direction (no graph edge)
    for k in keys:
        ref = _doc_ref_or_ext(cat, info.get(k) or k)
        sha = cat.sha_of(k)
        e = edge_of[k] = edges.between(sha, tgt_sha)
        share = _num(by_source.get(k), "share", "reuse_share", "share_of_target")
        view = SourceView(
            color[k],
            ref,
            chars[k],
            share if share is not None else chars[k] / total,
            sorted(rels[k].items(), key=lambda x: (-x[1], x[0])),
            nmatch[k],
            cat.pair_pages.get((sha, tgt_sha)) or cat.pair_pages.get((tgt_sha, sha)) if sha else None,
        )
        view.later = bool((info.get(k) or {}).get("later_than_target"))
        if e is not None:
            view.how = side_how(e.edition, e.uncertain, tgt_sha in e.target_shas)
            view.established, view.uncertain = not e.uncertain and tgt_sha in e.target_shas, e.uncertain
            view.shares = [
                x for x in ((e.share_of(tgt_sha), e.share_of(sha)) if e.uncertain else (e.share_of(tgt_sha),)) if x
            ]
        elif isinstance(direction := (info.get(k) or {}).get("direction"), dict):
            # no graph edge (a standalone trace, or a pair under the graph's thresholds): the trace's own
            # direction, by the graph's rules (lineage.graph.traced)
            view.established = direction.get("says") == "source"
            # sharing only formulaic text (said so), nothing was weighed: no direction to call uncertain
            view.uncertain = direction.get("status") != "established" and not direction.get("formulaic_only")
            view.how = "reused from" if view.established else "shares text with"
            worded[k] = view
            view.why = _trace_why(direction) if chars[k] else []  # formulaic text only (said so): nothing to weigh
        sources.append(view)
    views: list[MatchView] = []
    marks = []
    for i, m in enumerate(matches, 1):
        key = str(m.get("source"))
        sha = cat.sha_of(key)
        ts, ss = _target_span(m), _span(m.get("source_span"))
        rel = str(m.get("relation") or "modified")
        diff = m.get("diff") or None
        e = edge_of.get(key)
        tgt_cell = cell(cat, tgt_sha, ts, rel, diff, "tgt")
        assert tgt_cell is not None, "the target and its span are known"
        mv = MatchView(
            f"m{i}",
            color.get(key, 0),
            rel,
            bool(m.get("formulaic")),
            _num(m.get("score")),
            m.get("unit"),
            _doc_ref_or_ext(cat, info.get(key) or key),
            cell(cat, sha, ss, rel, diff, "src") if sha else None,
            tgt_cell,
            index.get(key, 0),
        )
        if e is not None:
            mv.how = "shared with" if e.uncertain else "from"
            mv.tag = None if mv.formulaic else graph_tag(e, tgt_sha, ts)
        elif key in worded:
            mv.how = "from" if worded[key].established else "shared with"
        also: dict[str, list[str]] = {}
        for a in m.get("also_in") or []:
            if isinstance(a, dict) and a.get("source"):
                also.setdefault(str(a["source"]), [str(k) for k in a.get("set_aside_by") or ()])
        mv.also = [_doc_ref_or_ext(cat, info.get(a) or a) for a in also]
        mv.also_why = list(also.values())
        views.append(mv)
        marks.append((ts[0], ts[1], mv))
    summary = trace.get("summary") or {}
    return ProvenancePage(
        target=cat.refs[tgt_sha],
        reuse_share=_num(summary.get("reuse_share")),
        sources=sources,
        sections=sections(cat, tdoc, marks),
        matches=views,
        added=len(trace.get("added") or []),
        standalone=not cat.linked,
        established=not (graph or worded) or any(s.established for s in sources),
        graph=graph,
        worded=graph or bool(worded),
        legend=legend(v.tag for v in views),
    )


# -- dedup page ----------------------------------------------------------------------------------

DEDUP_RELATIONS = ("canonical", "identical", "formatting", "truncated", "noisy")


def cluster_anchor(cid: str) -> str:
    return "cl-" + anchor_id(str(cid))


def dedup_page(cat: Catalog, dedup: dict) -> DedupPage:
    """The dedup page from ``lineage dedup --json`` (issue 4's contract)."""
    clusters = dedup.get("clusters") or []
    labels = {str(c.get("id")): _cluster_label(cat, c) for c in clusters}
    revisions: dict[str, list[RevisionLink]] = defaultdict(list)
    for r in dedup.get("related") or []:
        a, b = str(r.get("a")), str(r.get("b"))
        ch = r.get("changes") or {}
        for x, y in ((a, b), (b, a)):
            revisions[x].append(
                RevisionLink(
                    y,
                    f"#{cluster_anchor(y)}",
                    labels.get(y, y),
                    _num(r.get("similarity")),
                    _int(ch.get("modified")),
                    _int(ch.get("added")),
                    _int(ch.get("deleted")),
                    [_example(e) for e in (ch.get("examples") or [])][:5],
                )
            )
    same: dict[str, list[SameTextLink]] = defaultdict(list)
    for x in dedup.get("same_text") or []:
        a, b = str(x.get("a")), str(x.get("b"))
        pa, pb = (list(x.get("issued_in") or []) + ["", ""])[:2]
        for me, other, here, there in ((a, b, pa, pb), (b, a, pb, pa)):
            same[me].append(SameTextLink(other, f"#{cluster_anchor(other)}", labels.get(other, other), here, there))
    views = []
    rel_counts: Counter[str] = Counter()
    files = 0
    for c in clusters:
        cid = str(c.get("id"))
        details = c.get("details") or {}
        canonical = c.get("canonical")
        canon_sha = cat.sha_of(canonical)
        members = []
        for p in c.get("members") or []:
            d = details.get(p) or {}
            rel = str(d.get("relation") or ("canonical" if p == canonical else "identical"))
            rel_counts[rel] += 1
            files += 1
            members.append(
                MemberView(
                    cat.display_path(p),
                    cat.ref(p),
                    rel,
                    _num(d.get("containment")),
                    _num(d.get("similarity")),
                    dedup_text(str(d.get("differences") or "")),
                    cat.pair_pages.get((canon_sha, sp)) if canon_sha and (sp := cat.sha_of(p)) else None,
                )
            )
        members.sort(
            key=lambda m: (
                m.relation != "canonical",
                DEDUP_RELATIONS.index(m.relation) if m.relation in DEDUP_RELATIONS else 9,
                m.path,
            )
        )
        views.append(
            ClusterView(
                cid,
                cluster_anchor(cid),
                cat.ref(canonical),
                cat.display_path(canonical) if canonical else "",
                dedup_text(str(c.get("reason") or "")),
                members,
                sorted(revisions.get(cid, []), key=lambda r: r.other),
                sorted(same.get(cid, []), key=lambda r: r.other),
            )
        )
    multi = sorted((v for v in views if len(v.members) > 1), key=lambda v: (-len(v.members), v.canonical_path, v.id))
    single = sorted((v for v in views if len(v.members) <= 1), key=lambda v: (v.canonical_path, v.id))
    stats = [Stat("clusters", N_("clusters"), len(views)), Stat("multi", N_("with copies"), len(multi))]
    stats += [Stat(r, r, rel_counts[r]) for r in DEDUP_RELATIONS if rel_counts.get(r)]
    skipped = [
        (cat.display_path(str(s.get("path"))), reason_text(str(s.get("reason") or "")))
        for s in dedup.get("skipped") or []
    ]
    return DedupPage(multi, single, skipped, files, stats)


def _int(v: Any) -> int | None:
    return int(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def _example(e: Any) -> str:
    if isinstance(e, str):
        return e
    if isinstance(e, dict):
        return " → ".join(str(e[k]) for k in ("source", "a", "before", "target", "b", "after", "text") if e.get(k))
    if isinstance(e, (list, tuple)):
        return " → ".join(str(x) for x in e)
    return str(e)


def _cluster_label(cat: Catalog, c: dict) -> str:
    ref = cat.ref(c.get("canonical"))
    return ref.label if ref else os.path.basename(str(c.get("canonical") or c.get("id")))


def copies_by_doc(cat: Catalog, dedup: dict | None) -> dict[str, CopiesInfo]:
    """Each document's cluster, for documents in a cluster of two or more files."""
    out: dict[str, CopiesInfo] = {}
    if not dedup:
        return out
    for c in dedup.get("clusters") or []:
        members = c.get("members") or []
        if len(members) < 2:
            continue
        details = c.get("details") or {}
        cid = str(c.get("id"))
        for p in members:
            sha = cat.sha_of(p)
            if sha is None or sha in out:
                continue
            rel = (details.get(p) or {}).get("relation") or ("canonical" if p == c.get("canonical") else "identical")
            out[sha] = CopiesInfo(
                cid, f"dedup.html#{cluster_anchor(cid)}", str(rel), len(members), cat.ref(c.get("canonical"))
            )
    return out


def editions_by_doc(cat: Catalog, dedup: dict | None) -> dict[str, EditionsInfo]:
    """Each document whose version is one of several editions of one document (dedup's ``family``)."""
    out: dict[str, EditionsInfo] = {}
    clusters = (dedup or {}).get("clusters") or []
    families = Counter(str(c.get("family")) for c in clusters if c.get("family"))
    for c in clusters:
        n = families.get(str(c.get("family")), 0) if c.get("family") else 0
        if n < 2:
            continue
        for p in c.get("members") or []:
            sha = cat.sha_of(p)
            if sha is not None:
                out.setdefault(sha, EditionsInfo(n, f"dedup.html#{cluster_anchor(str(c.get('id')))}"))
    return out


def cluster_summaries(cat: Catalog, dedup: dict) -> list[ClusterSummary]:
    out = []
    for c in dedup.get("clusters") or []:
        members = c.get("members") or []
        if len(members) < 2:
            continue
        details = c.get("details") or {}
        rels = Counter(str((details.get(p) or {}).get("relation") or "identical") for p in members)
        canonical = str(c.get("canonical") or "")
        cid = str(c.get("id"))
        out.append(
            ClusterSummary(
                cid,
                f"dedup.html#{cluster_anchor(cid)}",
                cat.ref(canonical),
                cat.display_path(canonical) if canonical else "",
                len(members),
                sorted(rels.items(), key=lambda x: (-x[1], x[0])),
            )
        )
    out.sort(key=lambda s: (-s.members, s.canonical_path, s.id))
    return out


# -- graph ----------------------------------------------------------------------------------------


def evidence_text(e: Any, names: dict[str, str] | None = None) -> str:
    """One line of direction evidence: graph's ``{"kind", "detail", "favours"}``, or any dict or string.

    ``names``: "source"/"target" -> the documents' labels, so that evidence
    favouring one side names it (an uncertain edge has no source or target).
    """
    if isinstance(e, str):
        return e
    if isinstance(e, dict):
        head = str(e.get("kind") or e.get("type") or "")
        if "detail" in e:
            text = evidence_detail(str(e.get("detail") or ""))
            favours = e.get("favours")
            if favours and names and favours in names:
                text = _("%(detail)s (favours %(side)s)", detail=text, side=names[favours])
            elif favours:
                text = (
                    _("%(detail)s (favours the %(side)s)", detail=text, side=_(favours))
                    if favours in ("source", "target")
                    else _("%(detail)s (favours %(side)s)", detail=text, side=favours)
                )
            return _("%(kind)s: %(detail)s", kind=_(head), detail=text) if head else text
        rest = "; ".join(f"{k}: {v}" for k, v in sorted(e.items()) if k not in ("kind", "type"))
        return f"{head}: {rest}" if head and rest else (head or rest)
    return str(e)


def node_refs(cat: Catalog, graph: dict) -> dict[str, DocRef | ExtRef]:
    """Graph node id -> the document it stands for (or an external reference on the graph page)."""
    out: dict[str, DocRef | ExtRef] = {}
    for n in graph.get("nodes") or []:
        nid = str(n.get("id"))
        ref: DocRef | ExtRef | None = None
        if not n.get("external"):
            for p in n.get("paths") or []:
                ref = cat.ref(p)
                if ref:
                    break
            ref = ref or cat.ref(nid)
        if ref is None:
            j = n.get("jurisdiction")
            place = j.get("name") if isinstance(j, dict) else j
            anchor = "n-" + anchor_id(nid)
            ref = ExtRef(
                anchor,
                str(n.get("title") or nid),
                n.get("doc_number"),
                n.get("date"),
                place,
                n.get("level"),
                f"graph.html#{anchor}",
            )
        out[nid] = ref
    return out


def edge_views(cat: Catalog, graph: dict, refs: dict[str, DocRef | ExtRef]) -> list[EdgeView]:
    out = []
    shas = node_shas(cat, graph)
    index = cat.edges(graph)
    by_key = {e.key: e for e in index.edges}
    for e in graph.get("edges") or []:
        sid, tid = str(e.get("source")), str(e.get("target"))
        s, t = refs.get(sid), refs.get(tid)
        if s is None or t is None:
            continue
        kind = str(e.get("kind") or "reuse")
        # zero counts say nothing (a graph lists every category for every edge); counted kinds first
        got = e.get("chars") or {}
        chars = {k: int(v) for k in (*CHAR_KINDS, *NOT_COUNTED) if isinstance(v := got.get(k), (int, float)) and v}
        out.append(
            EdgeView(
                s,
                t,
                kind,
                _num(e.get("share_of_target")),
                _num(e.get("share_of_source")),
                chars,
                len(e.get("passages") or []),
                e.get("confidence"),
                [evidence_text(x, {"source": s.label, "target": t.label}) for x in e.get("direction_evidence") or []],
                edge_href(cat, s, t, kind, shas.get(sid, []), shas.get(tid, [])),
                sid,
                tid,
                e.get("direction") if isinstance(e.get("direction"), str) else None,
            )
        )
        out[-1].uncertain = edge_uncertain(e)
        info = by_key.get(f"{sid}--{tid}") if kind == "reuse" else None
        if info is not None:
            out[-1].shares = [x for x in (info.target_share, info.source_share) if x]
            out[-1].edition = info.edition
    out.sort(key=lambda v: (v.kind != "reuse", -(v.share_of_target or 0.0), v.source.label, v.target.label))
    return out


def edge_href(
    cat: Catalog,
    s: DocRef | ExtRef,
    t: DocRef | ExtRef,
    kind: str,
    s_shas: Sequence[str] = (),
    t_shas: Sequence[str] = (),
) -> str | None:
    """The page an edge opens: the pair page (any copy of either version), else the target's provenance or text."""
    if kind == "reuse":
        for a in s_shas or ([s.sha] if isinstance(s, DocRef) else []):
            for b in t_shas or ([t.sha] if isinstance(t, DocRef) else []):
                for pair in ((a, b), (b, a)):
                    if pair in cat.pair_pages:
                        return cat.pair_pages[pair]
    if isinstance(t, DocRef):
        if kind == "reuse":
            for b in t_shas or [t.sha]:
                if b in cat.provenance_pages:
                    return cat.provenance_pages[b]
        if kind == "citation":
            doc = cat.docs[t.sha]
            want = {x for x in (getattr(s, "doc_number", None), s.title if isinstance(s, DocRef) else s.label) if x}
            for c in doc.citations:
                if c.doc_number in want or c.title in want:
                    return cat.span_href(t.sha, c.span)
        return t.href
    return t.href


DRAW_ALL = 150  # nodes; larger graphs draw only their strongest edges (see drawn_nodes) ...
DRAWN_EDGES = 40  # ... this many reuse edges


def graph_page(cat: Catalog, graph: dict) -> GraphPage:
    """The lineage graph page from ``lineage graph --json`` (issue 5's contract)."""
    from lineage.report.svg import layout

    refs = node_refs(cat, graph)
    edges = edge_views(cat, graph, refs)
    lay = layout(graph, refs, edges)
    externals = [n for n in lay.nodes if n.external]
    drawn = drawn_nodes(graph)
    view = graph_view(graph, refs, edges)
    if drawn is None:
        return GraphPage(lay, edges, externals, len(lay.nodes), view=view)
    small = dict(graph, nodes=[n for n in graph.get("nodes") or [] if str(n.get("id")) in drawn])
    lay_small = layout(small, refs, [e for e in edges if e.sid in drawn and e.tid in drawn])
    return GraphPage(
        lay_small, edges, externals, len(lay.nodes), hidden=len(lay.nodes) - len(lay_small.nodes), view=view
    )


def graph_view(graph: dict, refs: dict[str, DocRef | ExtRef], edges: list[EdgeView]) -> GraphViewData:
    """The interactive view's data: every node and reuse edge (lineage.report.graph_view, as lineage serve draws them),
    each linked to its page of the site (a document, a pair page else the target's provenance or text)."""
    from lineage.graph.nodes import short_label
    from lineage.report.graph_view import GraphData, graph_json

    data = graph_json(GraphData.of(graph), all_edges=True)
    graph_nodes = {str(n.get("id")): n for n in graph.get("nodes") or []}
    hrefs = {(e.sid, e.tid): e.href for e in edges if e.kind == "reuse"}
    for n in data["nodes"]:
        ref = refs.get(n["id"])
        n["href"] = ref.href if isinstance(ref, DocRef) else None
        if ref is not None:  # named as the rest of the site names it
            n["title"] = ref.label
            if not (graph_nodes.get(n["id"]) or {}).get("short_label"):
                n["label"] = short_label(ref.label)
    for e in data["edges"]:
        e["href"] = hrefs.get((e["source"], e["target"]))
    years = sorted({n["year"] for n in data["nodes"] if n["year"] is not None})
    provinces = sorted({n["province"] for n in data["nodes"] if n["province"] and n["province"] != "national"})
    return GraphViewData(data, years, provinces)


def drawn_nodes(graph: dict) -> set[str] | None:
    """In a large graph, the nodes worth drawing (None: draw all).

    Beyond DRAW_ALL nodes a drawing of everything is a wall of labels (a
    thousand documents made an SVG 9,500 px tall): the drawing keeps the
    DRAWN_EDGES strongest reuse edges with their documents (and citations
    between those).  Every edge and document stays in the tables below the
    drawing and on the index.
    """
    nodes = graph.get("nodes") or []
    if len(nodes) <= DRAW_ALL:
        return None
    reuse = [e for e in graph.get("edges") or [] if e.get("kind") == "reuse"]
    reuse.sort(
        key=lambda e: (
            -(e.get("strength") or e.get("share_of_target") or 0.0),
            str(e.get("source")),
            str(e.get("target")),
        )
    )
    keep: set[str] = set()
    for e in reuse[:DRAWN_EDGES]:
        keep.update((str(e.get("source")), str(e.get("target"))))
    return keep


# -- index ------------------------------------------------------------------------------------------


def reuse_by_doc(cat: Catalog, graph: dict | None, traces: dict[str, dict]) -> dict[str, list[ReuseInfo]]:
    """Where each document's text comes from: graph reuse edges if the graph ran, else traces."""
    out: dict[str, list[ReuseInfo]] = {}
    if graph:
        refs = node_refs(cat, graph)
        shas = node_shas(cat, graph)
        for e in edge_views(cat, graph, refs):
            if e.kind != "reuse" or not isinstance(e.target, DocRef):
                continue
            target, source = (e.shares + [None, None])[:2]
            # a version's reuse is every copy's: the copies' rows say so too
            for sha in shas.get(e.tid) or [e.target.sha]:
                out.setdefault(sha, []).append(
                    ReuseInfo(
                        e.source,
                        e.share_of_target,
                        e.href,
                        side_how(e.edition, e.uncertain, True),
                        [x for x in (target, source if e.uncertain else None) if x],
                    )
                )
            if isinstance(e.source, DocRef):
                # the other side's row: the same edge from its side (no direction: the same words)
                for sha in shas.get(e.sid) or [e.source.sha]:
                    out.setdefault(sha, []).append(
                        ReuseInfo(
                            e.target,
                            e.share_of_source,
                            e.href,
                            side_how(e.edition, e.uncertain, False),
                            [x for x in ((source, target) if e.uncertain else (target,)) if x],
                        )
                    )
        return out
    for sha, trace in traces.items():
        page = provenance_page(cat, trace)
        out[sha] = [
            ReuseInfo(s.doc, s.share, s.pair_href or cat.provenance_pages.get(sha)) for s in page.sources if s.chars
        ]
    return out


def index_page(
    cat: Catalog,
    *,
    dedup: dict | None = None,
    graph: dict | None = None,
    traces: dict[str, dict] | None = None,
    skipped: list[tuple[str, str]] | None = None,
    title: str = "lineage report",
) -> IndexPage:
    traces = traces or {}
    copies = copies_by_doc(cat, dedup)
    editions = editions_by_doc(cat, dedup)
    reuse = reuse_by_doc(cat, graph, traces) if (graph or traces) else None
    rows = []
    for sha in cat.order:
        d = cat.docs[sha]
        parts = Counter(u.part for u in d.block_units)
        rows.append(
            IndexRow(
                doc=cat.refs[sha],
                paths=[cat.display_path(p) for p in cat.paths[sha]],
                size=d.size,
                encoding=d.encoding,
                format=d.format,
                issuers=list(d.issuers),
                doc_number=d.doc_number,
                parts=[(p, parts[p]) for p in ("wrapper", "notice", "title", "body", "attachment") if parts.get(p)],
                removed=len(d.removed),
                citations=citation_views(cat, d),
                warnings=[warning_text(w) for w in d.warnings],
                copies=copies.get(sha),
                editions=editions.get(sha),
                reuse=(reuse.get(sha, []) if reuse is not None else None),
                provenance=cat.provenance_pages.get(sha),
                province=province_key(d.jurisdiction),
                interval=_dates(d),
            )
        )
    pairs = []
    for (s, t), href in cat.pair_pages.items():
        link = pair_link(cat, s, t, href, s)
        link.first, link.other = cat.refs[s], cat.refs[t]
        pairs.append(link)
    pairs.sort(key=lambda x: (x.other.path, x.first.path if x.first else ""))
    return IndexPage(
        title=title,
        rows=rows,
        total_bytes=sum(r.size for r in rows),
        stages={
            "ingest": True,
            "dedup": dedup is not None,
            "graph": graph is not None,
            "align": bool(cat.pair_pages),
            "trace": bool(traces),
        },
        clusters=cluster_summaries(cat, dedup) if dedup is not None else None,
        edges=[e for e in edge_views(cat, graph, node_refs(cat, graph)) if e.kind == "reuse"][:TOP_EDGES]
        if graph is not None
        else None,
        pairs=pairs,
        skipped=[(cat.display_path(p), reason_text(r)) for p, r in (skipped or [])],
        provinces=sorted({r.province for r in rows if r.province and r.province != "national"}),
    )


def _dates(d: Document) -> tuple[str, str] | None:
    """The first and last day a document's date may be (an estimate: its range; a year: the whole year)."""
    from datetime import date

    from lineage.graph.nodes import interval

    iv = interval(d.date, d.date_kind, d.date_range)
    return (date.fromordinal(iv[0]).isoformat(), date.fromordinal(iv[1]).isoformat()) if iv else None


__all__ = [
    "document_page",
    "pair_page",
    "provenance_page",
    "dedup_page",
    "graph_page",
    "index_page",
    "copies_by_doc",
    "editions_by_doc",
    "CHANGES",
]
