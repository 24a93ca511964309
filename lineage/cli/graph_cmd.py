"""`lineage graph`: who reused whom across the corpus, with the evidence.

JSON (``--json``), stable; fields may be added, never removed::

    {"nodes": [{"id", "paths", "title", "date", "date_kind", "date_range",
                "jurisdiction": {"name", "level", "province", "code", "source"} | null,
                "level": "national|province|city|county" | null, "external": false,
                "sha256", "shas", "copies", "issuers", "doc_number", "family", "chars",
                "label", "short_label"},
               {"id": "x-…", "paths": [], "title", "notice_title", "doc_number", "issuer", "date",
                "date_kind": "doc_number|known" | null, "date_range", "jurisdiction", "level",
                "external": true, "known", "cited_by": [id…], "cited_before"}],
     "edges": [{"source", "target", "kind": "reuse",
                "share_of_target", "share_of_source", "strength",
                "chars": {"identical", "modified", "localized", "formulaic", "widely_shared", "common_source"},
                "passages": [{"source_span", "target_span", "relation", "content", "unit", "chars",
                              "source_chars", "kind", "formulaic", "wide", "known", "swaps", "counted",
                              "common_source"?}],
                "direction": "established|uncertain", "conflict", "confidence",
                "direction_evidence": [{"kind", "favours": "source|target" | null, "detail",
                                        "overruled_by": "date"?}],
                "adoption": {"earlier", "later", "overruled": [kind…], "candidates": [{"id", "title", "why"}],
                             "detail"} | null,
                "cited", "revision", "edition": "revision|final|later|another" | null,
                "common_sources": [{"id", "title", "passages", "chars", "basis"}],
                "possible_common_sources": [{"id", "title", "why"}],
                "source_path", "target_path", "source_sha256", "target_sha256"},
               {"source", "target", "kind": "citation", "share_of_target": null, "share_of_source": null,
                "chars": {}, "passages": [], "direction": "established", "direction_evidence", "confidence": 1.0,
                "citations": [{"title", "doc_number", "via", "span", "path"}], "quoted": true|false|null,
                "source_path", "target_path"}],
     "indirect": [{"a", "b", "relation": "common_source|via|widely_shared|formulaic|explained",
                   "through", "shared_chars_estimate"}],
     "stats": {...}}
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import click

from lineage.cli.app import (
    Progress,
    cli,
    db_option,
    emit_json,
    jobs_option,
    json_option,
    lang_option,
    note,
    open_store,
    quiet_option,
    warn,
)
from lineage.cli.dedup_cmd import dask_engine
from lineage.cli.ingest_cmd import max_size_option
from lineage.cli.meta_option import meta_options, use_meta
from lineage.cli.words import plural, when
from lineage.graph.edges import share_text
from lineage.graph.editions import SENTENCES, Editions, is_edition
from lineage.graph.pipeline import DEFAULT_MIN_SEQUENTIAL, DEFAULT_MIN_SHARE, Graph, build_graph, graph_paths
from lineage.graph.words import CHAR_KINDS, NOT_COUNTED, evidence_detail, may_draw_on
from lineage.i18n import N_, _
from lineage.store import Store, display_text

if TYPE_CHECKING:
    from lineage.dedup.dask_engine import DaskEngine

_LABELS = {
    "dedup": N_("deduplicating"),
    "parse": N_("parsing in full"),
    "index": N_("indexing"),
    "align": N_("aligning"),
}


class StageBars:
    """One progress bar per stage of the graph (library callback: stage, done, total, item)."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.stage: str | None = None
        self.bar: Progress | None = None

    def __call__(self, stage: str, done: int, total: int, item: str = "") -> None:
        if stage != self.stage:
            self.close()
            self.stage = stage
            self.bar = Progress(_LABELS.get(stage, stage), self.quiet)
        assert self.bar is not None
        self.bar(done, total, item if stage == "align" else "")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


@cli.command("graph")
@click.argument("paths", nargs=-1, type=click.Path(readable=False))
@db_option
@click.option(
    "--min-share",
    type=click.FloatRange(0.0, 1.0),
    default=DEFAULT_MIN_SHARE,
    show_default=True,
    help="Reuse edges whose shared non-formulaic text is at least this share of either document.",
)
@click.option(
    "--min-sequential",
    type=click.FloatRange(0.0, 1.0),
    default=DEFAULT_MIN_SEQUENTIAL,
    show_default=True,
    help="In a corpus large enough to have a background of stock text (documents sharing clauses with "
    "dozens of others), reuse edges must also share this much of either document sentence for "
    "sentence, in order (copying).  0 shows every pair above --min-share; with --min-share 0, every "
    "reuse edge (never a pair sharing only a stock fragment: an edge needs a citation, a whole sentence, "
    "heading or paragraph, or 30 characters of lifted clauses).",
)
@click.option(
    "--top",
    type=click.IntRange(0),
    default=30,
    show_default=True,
    help="Reuse edges to show (human output; --json has them all).",
)
@click.option(
    "--passages",
    "n_passages",
    type=click.IntRange(0),
    default=4,
    show_default=True,
    help="Shared passages to show per edge (human output).",
)
@click.option("--rebuild", is_flag=True, help="Ignore the graph cached in the database.")
@click.option(
    "--engine",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="Where dedup and the alignments run: local worker processes, or a Dask cluster.",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    default=None,
    help="With --engine dask: a running scheduler (tcp://host:8786) whose workers see the database "
    "file; default: a local cluster.",
)
@jobs_option
@max_size_option
@json_option
@quiet_option
@lang_option
@meta_options
def graph_cmd(
    paths: tuple[str, ...],
    db_path: str,
    min_share: float,
    min_sequential: float,
    top: int,
    n_passages: int,
    rebuild: bool,
    engine: str,
    scheduler: str | None,
    jobs: int | None,
    max_size: float,
    as_json: bool,
    quiet: bool,
) -> None:
    """Show who reused whom: reuse and citation edges between document versions, with the evidence.

    PATHS (files or folders) are ingested first and the graph covers them;
    without PATHS it covers every document in the database.  Copies of one
    version are one node.  Pairs of versions sharing non-formulaic text are
    found through the n-gram index and aligned; each reuse edge lists the
    shared passages, the shares of both documents, and which one is the
    likely source with the evidence (dates, administrative level,
    citations, localized clauses) -- or says the direction is uncertain.
    Cited documents not in the corpus are external nodes.  The graph is
    cached in the database; a re-run on an unchanged corpus reads it.
    """
    eng = dask_engine(engine, scheduler, jobs)
    try:
        _graph(paths, db_path, min_share, min_sequential, top, n_passages, rebuild, eng, jobs, max_size, as_json, quiet)
    finally:
        if eng is not None:
            eng.close()


def _graph(
    paths: tuple[str, ...],
    db_path: str,
    min_share: float,
    min_sequential: float,
    top: int,
    n_passages: int,
    rebuild: bool,
    eng: DaskEngine | None,
    jobs: int | None,
    max_size: float,
    as_json: bool,
    quiet: bool,
) -> None:
    # without PATHS there is nothing to put in a new database: a missing one is an error, not made empty
    with open_store(db_path, create=bool(paths)) as store:
        use_meta(store, quiet)
        bars = StageBars(quiet)
        errors: list[tuple[str, str]] = []
        if paths:
            with Progress(N_("reading"), quiet) as read_bar:
                graph, report = graph_paths(
                    list(paths),
                    store,
                    jobs=jobs,
                    progress=bars,
                    ingest_progress=read_bar,
                    max_bytes=int(max_size * 2**20),
                    rebuild=rebuild,
                    engine=eng,
                )
            bars.close()
            errors = report.errors
            for path, reason in errors:
                warn(path, reason)
            if not report.documents:
                raise SystemExit(1)
        else:
            if not store.count():
                raise click.ClickException(
                    _("%(db)s: no documents (give PATHS, or run 'lineage ingest' first)", db=db_path)
                )
            graph = build_graph(store, jobs=jobs, progress=bars, rebuild=rebuild, engine=eng)
            bars.close()
        shown = graph.filtered(min_share, min_sequential)
        if as_json:
            d = with_editions(shown.to_dict(), Editions(graph.edges, graph.nodes))
            # the inputs this run passed over, as ingest, dedup and report list them (not the cached graph's)
            emit_json({**d, "skipped": [{"path": p, "reason": r} for p, r in errors]})
            return
        click.echo(render(shown, store, top, n_passages, Editions(graph.edges, graph.nodes)))
    s = graph.stats
    secs = s.get("seconds", {}).get("total")
    when = (
        " " + _("(cached graph)")
        if s.get("cached")
        else " " + _("in %(seconds).1f s", seconds=secs)
        if secs is not None
        else ""
    )
    note(
        _(
            "%(versions)s of %(documents)s, %(reuse)s at >= %(min_share)s (%(all)s in all), %(citations)s, "
            "%(external)s outside the corpus%(when)s",
            versions=plural(s.get("versions", 0), "version"),
            documents=plural(s.get("documents", 0), "document"),
            reuse=plural(shown.stats.get("reuse_edges", 0), "reuse edge"),
            min_share=f"{min_share:.1%}",
            all=f"{graph.filtered(0.0, 0.0).stats['reuse_edges']:,}",  # what --min-share 0 --min-sequential 0 shows
            citations=plural(s.get("citation_edges", 0), "citation edge"),
            external=plural(s.get("external_nodes", 0), "cited document"),
            when=when,
        ),
        quiet,
    )


def with_editions(d: dict, editions: Editions) -> dict:
    """The graph's JSON with each reuse edge's ``edition``: between two versions of one document (``revision``),
    what the later is to the earlier as every page words it (lineage.graph.editions; EDITIONS built from the
    whole graph, not the filtered one in D), else None."""
    edges = [{**e, "edition": editions.role(e)} if e["kind"] == "reuse" else e for e in d["edges"]]
    return {**d, "edges": edges}


# -- human output ----------------------------------------------------------------------------------


def render(graph: Graph, store: Store, top: int, n_passages: int, editions: Editions) -> str:
    nodes = {n["id"]: n for n in graph.nodes}
    reuse = [e for e in graph.edges if e["kind"] == "reuse"]
    cites = [e for e in graph.edges if e["kind"] == "citation"]
    texts = _Texts(store)
    out = []
    if reuse:
        unc = sum(1 for e in reuse if e["direction"] != "established")
        n_ed = sum(1 for e in reuse if is_edition(e))
        out.append(
            _(
                "reuse edges, strongest first (%(n)s%(shown)s%(uncertain)s):",
                n=len(reuse),
                shown=_(", %(top)s shown", top=top) if len(reuse) > top else "",
                uncertain=(_("; %(n)s of uncertain direction: the two documents share text, <->", n=unc) if unc else "")
                + (_("; %(n)s between editions of one document, not reuse", n=n_ed) if n_ed else ""),
            )
        )
    else:
        out.append(
            _("no reuse edges at >= %(min_share)s", min_share=f"{graph.stats.get('min_share', 0):.1%}")
            if graph.stats.get("min_share")
            else _("no reuse edges")
        )
    for k, e in enumerate(reuse[:top], 1):
        out.append("")
        out.extend(_reuse(k, e, nodes, texts, n_passages, editions.role(e)))
    if reuse or cites:
        st = graph.stats
        out.append("")
        out.append(
            _(
                "citations and reuse: reuse edges that are citations too: %(cited)s of %(reuse)s; %(not_quoted)s "
                "of corpus documents without reused text; %(outside)s of documents outside the corpus "
                "(%(quoted)s quoted through a known passage)",
                cited=st.get("reuse_cited", 0),
                reuse=len(reuse),
                not_quoted=plural(st.get("cited_not_quoted", 0), "citation"),
                outside=plural(st.get("cited_outside_corpus", 0), "citation"),
                quoted=st.get("cited_outside_corpus_quoted", 0),
            )
        )
    if cites:
        out.append("")
        out.append(_("citation edges (%(n)s):", n=len(cites)))
        for e in cites:
            out.append(_citation(e, nodes))
    indirect = graph.indirect
    if indirect:
        out.append("")
        out.append(_("pairs sharing text only through another document (%(n)s; not drawn):", n=len(indirect)))
        for d in indirect[:10]:
            out.append("  " + _indirect(d, nodes))
        if len(indirect) > 10:
            out.append("  " + _("… %(n)s more (--json)", n=len(indirect) - 10))
    shown_ids = {x for e in reuse[:top] + cites for x in (e["source"], e["target"])}
    listed = [n for n in graph.nodes if n["id"] in shown_ids] if len(graph.nodes) > 40 else graph.nodes
    out.append("")
    out.append(
        _(
            "nodes (%(n)s%(listed)s):",
            n=len(graph.nodes),
            listed=_("; the %(n)s on the edges above", n=len(listed)) if listed is not graph.nodes else "",
        )
    )
    for n in listed:
        out.append("  " + _node_line(n))
    return "\n".join(out)


class _Texts:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.cache: dict[str, tuple[str, str]] = {}

    def cut(self, sha: str | None, span: list[int]) -> str:
        if not sha:
            return ""
        if sha not in self.cache:
            d = self.store.load(sha, units=False)
            self.cache[sha] = (d.text, d.format)
        text, fmt = self.cache[sha]
        frag = text[span[0] : span[1]]
        return display_text(frag) if fmt == "html" else frag


def _label(n: dict | None, width: int = 30) -> str:
    if n is None:
        return "?"
    if width <= 16 and n.get("short_label"):
        return n["short_label"]
    # the graph's label: the title, with jurisdiction and year where two documents would read the same
    t = (
        n.get("label")
        or n.get("title")
        or (os.path.basename(n["paths"][0]) if n.get("paths") else n.get("doc_number") or n["id"])
    )
    return t if len(t) <= width else t[: width - 1] + "…"


def _where(n: dict) -> str:
    j = n.get("jurisdiction") or {}
    return f"{j.get('name') or _('place unknown')} {_(n['level']) if n.get('level') else ''}".strip()


def _node_ref(n: dict | None) -> str:
    if n is None:
        return "?"
    return f"{_label(n)} ({n['id']}; {when(n)}; {_where(n)})"


def _mark(ev: dict) -> str:
    return {"source": "+", "target": "-"}.get(ev.get("favours") or "", "·")


def _evidence(ev: dict, names: dict[str, str] | None) -> str:
    """An evidence line; on an edge of uncertain direction (``names``) the side it favours is named, not a role."""
    if names is None:
        return f"      {_mark(ev)} " + _(
            "%(kind)s: %(detail)s", kind=_(ev["kind"]), detail=evidence_detail(ev["detail"])
        )
    fav = names.get(ev.get("favours") or "")
    detail = evidence_detail(ev["detail"])
    return "      · " + _(
        "%(kind)s: %(detail)s",
        kind=_(ev["kind"]),
        detail=_("%(detail)s (favours %(side)s)", detail=detail, side=fav) if fav else detail,
    )


def _reuse(k: int, e: dict, nodes: dict, texts: _Texts, n_passages: int, edition: str | None = None) -> list[str]:
    c = e["chars"]
    counted = c["identical"] + c["modified"] + c["localized"]
    # as the JSON and the report have it: 0.999 is not 1.00
    head = _("confidence %(confidence)s", confidence=e["confidence"])
    src, tgt = nodes.get(e["source"]), nodes.get(e["target"])
    established = e["direction"] == "established"
    # an uncertain edge: neither is the source, nothing is "reused from"; sides named, not roles
    names = None if established else {"source": _label(src, 16), "target": _label(tgt, 16)}
    if edition:  # two versions of one document: what one is to the other, and what they have in common
        later, earlier = (tgt, src) if established else (src, tgt)
        what = _(SENTENCES[edition], later=_label(later, 16), earlier=_label(earlier, 16)) + _(
            "; in common: %(t_share)s of %(target)s, %(s_share)s of %(source)s",
            t_share=share_text(e["share_of_target"]),
            target=_label(tgt, 16),
            s_share=share_text(e["share_of_source"]),
            source=_label(src, 16),
        )
    elif established:
        what = _(
            "reused: %(target)s of the target, %(source)s of the source",
            target=share_text(e["share_of_target"]),
            source=share_text(e["share_of_source"]),
        )
    else:
        what = _(
            "shares text: %(t_share)s of %(target)s, %(s_share)s of %(source)s",
            t_share=share_text(e["share_of_target"]),
            target=_label(tgt, 16),
            s_share=share_text(e["share_of_source"]),
            source=_label(src, 16),
        )
    lines = [f"[{k}] {_node_ref(src)}", f"  {'->' if established else '<->'} {_node_ref(tgt)}", "    " + what]
    # the characters are the edge's target's (for an uncertain edge, of the document after <->)
    of = _("the target") if established else _label(tgt, 16)
    kinds = _(", ").join(f"{_(label)} {c[k]:,}" for k, label in CHAR_KINDS.items())
    lines[-1] += _(": %(chars)s of %(doc)s (%(kinds)s)", chars=plural(counted, "character"), doc=of, kinds=kinds)
    aside = [f"{_(label)} {c[x]:,}" for x, label in NOT_COUNTED.items() if c.get(x)]
    if aside:
        lines[-1] += _("; not counted: %(what)s", what=_(", ").join(aside))
    if e["retrieval"].get("background"):
        lines[-1] += _("; %(share)s sentence for sentence, in order", share=share_text(e['sequential_share']))
    lines.append(
        "    "
        + _("direction: %(direction)s, %(confidence)s", direction=_(e["direction"]), confidence=head)
        + (_("; cited") if e.get("cited") else "")
        + (_("; editions of one document") if e.get("revision") else "")
    )
    for ev in e["direction_evidence"]:
        lines.append(_evidence(ev, names))
    for cs in e.get("common_sources", []):
        lines.append(
            "      = "
            + _(
                "both draw on %(title)s (%(id)s): %(passages)s, %(chars)s of its known text",
                title=cs["title"],
                id=cs["id"],
                passages=plural(cs["passages"], "passage"),
                chars=plural(cs["chars"], "character"),
            )
        )
    lines += ["      ? " + may_draw_on(ps) for ps in e.get("possible_common_sources", [])]
    counted_p = [p for p in e["passages"] if p.get("counted")]
    best = sorted(counted_p, key=lambda p: (-p["chars"], p["target_span"]))[:n_passages]
    if best:
        lines.append(
            "    "
            + _(
                "passages (%(counted)s counted, %(not_counted)s not):",
                counted=len(counted_p),
                not_counted=len(e["passages"]) - len(counted_p),
            )
        )
    sides = (_("source"), _("target")) if names is None else (names["source"], names["target"])
    for p in best:
        s_txt = _short(texts.cut(e.get("source_sha256"), p["source_span"]))
        t_txt = _short(texts.cut(e.get("target_sha256"), p["target_span"]))
        lines.append(
            f"      {_(p['relation']):<9} {p['source_span'][0]}-{p['source_span'][1]} "
            f"{'->' if names is None else '~'} {p['target_span'][0]}-{p['target_span'][1]}"
            + (
                "  " + _("swaps %(swaps)s", swaps=", ".join(a + "→" + b for a, b in p["swaps"]))
                if p.get("swaps")
                else ""
            )
        )
        lines.append(f"        {sides[0]}: {s_txt}")
        if t_txt != s_txt:
            lines.append(f"        {sides[1]}: {t_txt}")
    return lines


def _short(text: str, n: int = 60) -> str:
    text = "".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _citation(e: dict, nodes: dict) -> str:
    src, tgt = nodes.get(e["source"]), nodes.get(e["target"])
    q = e.get("quoted")
    quoted = {
        True: _("its text is reused too"),
        False: _("no text reused"),
        None: _("not quoted as far as the corpus shows (its text is not in the corpus)"),
    }[q]
    ext = " [" + _("outside the corpus") + "]" if src and src.get("external") else ""
    refs = "; ".join(
        dict.fromkeys(
            " ".join(
                x
                for x in (
                    r.get("doc_number") or "",
                    f"《{r['title']}》" if r.get("title") and not r.get("doc_number") else "",
                )
                if x
            )
            or "?"
            for r in e.get("citations", [])
        )
    )
    return "  " + _(
        "%(target)s cites %(refs)s: %(source)s%(ext)s; %(quoted)s",
        target=_label(tgt),
        refs=refs,
        source=_node_ref(src),
        ext=ext,
        quoted=quoted,
    )


def _indirect(d: dict, nodes: dict) -> str:
    a, b = _label(nodes.get(d["a"]), 24), _label(nodes.get(d["b"]), 24)
    t = _label(nodes.get(d["through"]), 24) if d.get("through") in nodes else d.get("through")
    rel = d["relation"]
    if rel == "common_source":
        return _(
            "%(a)s & %(b)s: both draw on %(through)s (~%(chars)s characters)",
            a=a,
            b=b,
            through=t,
            chars=f"{d['shared_chars_estimate']:,}",
        )
    if rel == "via":
        return _(
            "%(a)s -> %(through)s -> %(b)s: the text travelled through %(through)s (~%(chars)s characters)",
            a=a,
            b=b,
            through=t,
            chars=f"{d['shared_chars_estimate']:,}",
        )
    if rel == "widely_shared":
        return _("%(a)s & %(b)s: only text found in documents of many provinces", a=a, b=b)
    if rel == "explained":
        return _("%(a)s & %(b)s: what they share is explained by a source chosen for one of them", a=a, b=b)
    return f"{a} & {b}: {_(rel)}"


def _node_line(n: dict) -> str:
    if n.get("external"):
        extra = " ".join(x for x in (n.get("doc_number"), _("known text") if n.get("known") else None) if x)
        return f"{n['id']:<16} {when(n):<34} {_where(n):<16} {_label(n, 40)}  {extra}  [{_('external')}]".rstrip()
    copies = n.get("copies", 1)
    paths = ", ".join(os.path.basename(p) for p in n.get("paths", [])[:3])
    return f"{n['id']:<16} {when(n):<34} {_where(n):<16} {_label(n, 40)}  ({plural(copies, 'copy', 'copies')}: {paths})"
