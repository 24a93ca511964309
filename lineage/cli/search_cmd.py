"""`lineage search` and `lineage diffusion`: thin click commands over lineage.explore.search and lineage.explore.diffusion.

Exit codes follow grep: 0 when the text is found, 1 when it is not (the
JSON then has an empty list), 2 on an error (no database, an empty query).

JSON of ``lineage search --json`` (fields may be added, never removed)::

    {"query", "norm_query", "total", "grouped",
     "hits": [{"version", "title", "date", "date_kind", "date_range", "jurisdiction", "level",
               "path", "sha256", "span": [s, e], "score", "relation": "identical|localized|modified",
               "text", "norm", "diff": [[op, query_text, matched_text], ...], "occurrences",
               "copies": [{"sha256", "paths", "matches": [{"span", "score", "text", "norm", "unit", "part"}]}]}],
     "notes": [...], "stats": {...}}

JSON of ``lineage diffusion --json``::

    {"query", "norm_query", "documents", "versions", "first", "first_uncertain": [id...], "earlier_variants": [id...],
     "holders": [{"version", "title", "label", "date", "date_kind", "date_range", "jurisdiction", "level", "province",
                  "path", "sha256", "span", "paths", "copies", "score", "text", "norm",
                  "change": "first|identical|localized|modified", "diff"}],
     "by_province": [{"province", "versions", "first", "first_date"}],   (versions holding it, not copies)
     "by_year": [{"year", "versions", "estimated"}],
     "transfers": [{"source", "target", "direction", "says": "took it from|shares text with", "confidence",
                    "conflict", "evidence", "carries", "passage", "strength", "shown"}],
     "unlinked": [id...], "graph": "cached|stale|built|not built", "grouped", "notes", "stats"}
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click

from lineage.cli.align_cmd import _diff_text, _short
from lineage.cli.app import cli, emit_json, jobs_option, json_option, lang_option, note, quiet_option
from lineage.cli.graph_cmd import StageBars
from lineage.cli.words import plural, store_text
from lineage.explore.diffusion import Diffusion, diffusion
from lineage.explore.search import DEFAULT_MIN_SCORE, Hit, SearchResult, search
from lineage.i18n import N_, _, ngettext
from lineage.store import DEFAULT_DB, Store, StoreError

_STAGES = {"fingerprints": N_("fingerprinting"), "atoms": N_("search index")}


class SearchError(click.ClickException):
    exit_code = 2


def _query(text: str) -> str:
    """TEXT, or standard input for "-" (a paragraph is easier to pipe than to quote)."""
    try:  # bytes that are not UTF-8 arrive as surrogates (or fail to decode): one line, exit 2
        q = sys.stdin.read() if text == "-" else text
        q.encode("utf-8")
    except UnicodeError:
        raise SearchError(_("the query is not UTF-8 text")) from None
    if not q.strip():
        raise SearchError(_("the query is empty"))
    return q


@contextmanager
def _reading(db_path: str) -> Iterator[Store]:
    """The database, read only: a missing or foreign file, or an empty one, is an error (exit 2)."""
    try:
        store = Store(db_path, create=False)
    except StoreError as e:
        raise SearchError(store_text(str(e))) from None
    try:
        if not store.count():
            raise SearchError(_("%(db)s: no documents (run 'lineage ingest' first)", db=db_path))
        yield store
    finally:
        store.close()


@contextmanager
def _session(text: str, db_path: str, quiet: bool) -> Iterator[tuple[str, Store, StageBars, Any]]:
    """The query, the database, and progress bars for the search index's stages (built once)."""
    q = _query(text)
    with _reading(db_path) as store:
        bars = StageBars(quiet)
        try:
            yield q, store, bars, lambda st, d, t, i="": bars(_STAGES.get(st) or st, d, t, i)
        finally:
            bars.close()


def _answer(res: Any, found: bool, as_json: bool, quiet: bool, render: Any) -> None:
    """Print a result (JSON or for people), its notes on stderr, and exit as grep does."""
    if as_json:
        emit_json(res.to_dict())
    else:
        click.echo(render(res))
    for n in res.notes:
        note(_("note: %(warning)s", warning=n), quiet)
    raise SystemExit(0 if found else 1)


def read_db_option(f: Callable) -> Callable:
    """--db for commands that only read a database (they never create one)."""
    return click.option(
        "--db",
        "db_path",
        default=lambda: os.environ.get("LINEAGE_DB", DEFAULT_DB),
        show_default=DEFAULT_DB,
        metavar="PATH",
        help="An existing SQLite database (never created). Env: LINEAGE_DB.",
    )(f)


def min_score_option(f: Callable) -> Callable:
    return click.option(
        "--min-score",
        type=click.FloatRange(0, 100),
        default=DEFAULT_MIN_SCORE,
        show_default=True,
        help="Lowest similarity (rapidfuzz ratio of the normalized query and the matched text) "
        "a near variant must reach.",
    )(f)


@cli.command("search")
@click.argument("text")
@read_db_option
@click.option(
    "--limit", type=click.IntRange(0), default=50, show_default=True, help="Versions to list, best first (0: all)."
)
@min_score_option
@jobs_option
@json_option
@quiet_option
@lang_option
def search_cmd(
    text: str, db_path: str, limit: int, min_score: float, jobs: int | None, as_json: bool, quiet: bool
) -> None:
    """Find every document holding TEXT or a near variant (localized, lightly reworded).

    TEXT is a clause, a sentence or a paragraph ("-" reads it from standard
    input).  Each hit is a document version (copies of one version grouped,
    each copy with its own spans) with its score, the diff of TEXT against
    the matched text, date, jurisdiction and level, and the span of the match
    in the file.  The first search builds a search index in the database
    (once; later documents are added on the fly).  Exit code: 0 found,
    1 not found, 2 error.
    """
    with _session(text, db_path, quiet) as (q, store, _bars, stages):
        res = search(store, q, limit=limit or None, min_score=min_score, jobs=jobs, progress=stages)
    _answer(res, res.total > 0, as_json, quiet, render_search)


@cli.command("diffusion")
@click.argument("text")
@read_db_option
@min_score_option
@click.option(
    "--graph",
    "build",
    is_flag=True,
    help="Build the lineage graph if it is not cached (minutes on a large corpus); without it, who took "
    "the text from whom is left out when no graph is cached.",
)
@jobs_option
@json_option
@quiet_option
@lang_option
def diffusion_cmd(
    text: str, db_path: str, min_score: float, build: bool, jobs: int | None, as_json: bool, quiet: bool
) -> None:
    """How TEXT spread: the documents holding it in date order, by province and year, who took it from whom.

    The timeline lists every version holding TEXT or a near variant (as
    `lineage search` finds them), earliest first, named as the graph names
    it, with its jurisdiction and what it changed against TEXT (localized,
    modified).  The first appearance is the earliest holder of TEXT itself
    (word for word, or with only place names changed); near variants dated
    before it are marked earlier variants, and undated holders or holders
    dated as early are marked as possibly as early.  Who
    took it from whom comes from the lineage graph's reuse edges between the
    holders: an established direction reads "took it from", an uncertain
    one only "shares text with".  The graph cached by `lineage graph` or
    `lineage report` is used; --graph builds it when there is none.
    Exit code: 0 found, 1 not found, 2 error.
    """
    with _session(text, db_path, quiet) as (q, store, bars, stages):
        res = diffusion(
            store, q, min_score=min_score, build_graph=build, jobs=jobs, progress=stages, graph_progress=bars
        )
    _answer(res, bool(res.holders), as_json, quiet, render_diffusion)


# -- human output ----------------------------------------------------------------------------------


def when(date: str | None, kind: str | None, rng: tuple[str, str] | list[str] | None) -> str:
    if not date:
        return _("undated")
    if kind == "estimated" and rng:
        return _("%(date)s est. %(start)s..%(end)s", date=date, start=rng[0], end=rng[1])
    return f"{date} {_(kind) if kind else ''}".strip()


def where(j: dict | None, level: str | None) -> str:
    return f"{(j or {}).get('name') or _('place unknown')} {_(level) if level else ''}".strip()


def _label(title: str | None, path: str, n: int = 30) -> str:
    t = title or os.path.basename(path)
    return t if len(t) <= n else t[: n - 1] + "…"


def render_search(res: SearchResult) -> str:
    if not res.total:
        return _(
            "no document holds the text or a near variant (min score %(score)s)", score=f"{res.stats['min_score']:g}"
        )
    docs = res.stats["matched_documents"]
    where_ = _(" in %(versions)s", versions=plural(res.total, "version")) if res.grouped else ""
    best = ""
    if len(res.hits) < res.total:
        best = (
            _("; the best %(n)s versions", n=len(res.hits))
            if res.grouped
            else _("; the best %(n)s documents", n=len(res.hits))
        )
    head = ngettext(
        "%(documents)s%(where)s holds the text or a near variant%(best)s:",
        "%(documents)s%(where)s hold the text or a near variant%(best)s:",
        docs,
        documents=plural(docs, "document"),
        where=where_,
        best=best,
    )
    out = [head]
    for k, h in enumerate(res.hits, 1):
        out.append("")
        out.extend(_hit_lines(k, h))
    return "\n".join(out)


def _hit_lines(k: int, h: Hit) -> list[str]:
    copies = sum(len(c.paths) for c in h.copies)
    lines = [
        f"[{k}] {h.score:5.1f} {_(h.relation):<10} {when(h.date, h.date_kind, h.date_range)}  "
        f"{where(h.jurisdiction, h.level)}  {_label(h.title, h.path)}"
        + (f"  ({h.version}, {plural(copies, 'copy', 'copies')})" if copies > 1 else "")
    ]
    for c in h.copies:
        for p in c.paths:
            spans = ", ".join(
                f"{m.span[0]}-{m.span[1]} {_(m.unit)}" + (f" ({_(m.part)})" if m.part != "body" else "")
                for m in c.matches
            ) or _("does not hold it")
            lines.append(f"    {os.path.basename(p)}: {spans}")
    lines.append(f"    {_diff_text(h.diff) if h.diff else _short(h.text)}")
    return lines


def render_diffusion(d: Diffusion) -> str:
    if not d.holders:
        return _("no document holds the text or a near variant")
    years = [r["year"] for r in d.by_year if r["year"]]
    provinces = [r for r in d.by_province if r["province"]]
    unit = "version" if d.grouped else "document"  # without dedup, each document is its own version
    holders = plural(len(d.holders), unit)
    out = [
        ngettext(
            "%(documents)s in %(holders)s, %(provinces)s%(years)s holds the text or a near variant "
            "(%(itself)s the text itself, word for word or localized)",
            "%(documents)s in %(holders)s, %(provinces)s%(years)s hold the text or a near variant "
            "(%(itself)s the text itself, word for word or localized)",
            d.stats["documents"],
            documents=plural(d.stats["documents"], "document"),
            holders=holders,
            itself=sum(h.change in ("first", "identical", "localized") for h in d.holders),
            provinces=plural(len(provinces), "province"),
            years=(f", {years[0]}–{years[-1]}" if years[0] != years[-1] else f", {years[0]}") if years else "",
        ),
        "",
        _("timeline:"),
    ]
    for h in d.holders:
        key = h.version or h.sha256
        mark = _("earliest in this corpus") if h.change == "first" else _(h.change)
        if key in d.earlier_variants:
            mark = _("earlier variant (%(change)s)", change=mark)
        if key in d.first_uncertain:
            mark += " " + (
                _("(undated: it may be as early)")
                if not h.date
                else _("(its date overlaps the first one's: it may be as early)")
            )
        copies = ", " + plural(len(h.paths), "copy", "copies") if len(h.paths) > 1 else ""
        out.append(
            f"  {when(h.date, h.date_kind, h.date_range):<34} {where(h.jurisdiction, h.level):<16} "
            f"{_label(h.label, h.path, 40)}{copies}  [{mark}]"
        )
        if h.diff:
            out.append(f"      {_diff_text(h.diff)}")
    out.append("")
    out.append(
        _(
            "by province: %(counts)s",
            counts=", ".join(f"{r['province'] or _('unknown')} {plural(r['versions'], unit)}" for r in d.by_province),
        )
    )
    out.append(
        _(
            "by year: %(counts)s",
            counts=", ".join(
                f"{r['year'] or _('undated')} {plural(r['versions'], unit)}"
                + (" " + _("(%(n)s estimated)", n=r["estimated"]) if r["estimated"] else "")
                for r in d.by_year
            ),
        )
    )
    out.append("")
    labels = {h.version or h.sha256: h.label for h in d.holders}  # the graph's names, as serve and the graph show
    if d.graph == "not built":
        out.append(_("how it travelled: the lineage graph is not built (run 'lineage graph', or --graph)"))
        return "\n".join(out)
    carrying = [t for t in d.transfers if t.carries]
    others = len(d.transfers) - len(carrying)
    out.append(
        ngettext(
            "how it travelled (graph %(graph)s; %(num)s edge carries this text, %(others)s more link "
            "holders through other text):",
            "how it travelled (graph %(graph)s; %(num)s edges carry this text, %(others)s more link "
            "holders through other text):",
            len(carrying),
            graph=_(d.graph),
            others=others,
        )
    )
    for t in carrying:
        a, b = labels.get(t.target, t.target), labels.get(t.source, t.source)
        how = (
            ""
            if not t.passage
            else f" [{_(t.passage['relation'])}"
            + (
                _("; not counted by the graph: %(why)s", why=str(t.passage.get("common_source") or _("formulaic")))
                if not t.passage.get("counted")
                else ""
            )
            + "]"
        )
        if t.direction == "established":
            out.append(
                "  "
                + _("%(a)s took it from %(b)s (confidence %(confidence)s)", a=a, b=b, confidence=t.confidence)
                + how
            )
        else:
            out.append(
                "  "
                + (
                    _("%(b)s shares text with %(a)s (direction uncertain, the evidence conflicts)", a=a, b=b)
                    if t.conflict
                    else _("%(b)s shares text with %(a)s (direction uncertain)", a=a, b=b)
                )
                + how
            )
    if d.unlinked:
        out.append(
            "  "
            + _("no edge carries it to or from: %(labels)s", labels=", ".join(labels.get(k, k) for k in d.unlinked))
        )
    return "\n".join(out)
