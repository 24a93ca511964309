"""`lineage align` and `lineage trace`: thin click commands over lineage.graph.traced (lineage.align's alignment
and trace, each document worded by the evidence of direction)."""

from __future__ import annotations

import os
from collections.abc import Callable

import click

from lineage.align import index as ngram_index
from lineage.align.aligner import AlignResult, DocInfo, Match
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
    output_errors,
    quiet_option,
    warn,
)
from lineage.cli.ingest_cmd import resolve_document
from lineage.cli.words import plural, when
from lineage.graph.edges import share_text
from lineage.graph.traced import align_pair
from lineage.graph.words import evidence_detail, may_draw_on, set_aside_text, telling, too_little
from lineage.i18n import N_, _, ngettext
from lineage.ingest.pipeline import IngestReport, ingest_paths
from lineage.ingest.read import DEFAULT_MAX_BYTES
from lineage.model import Document
from lineage.store import Store


def _ingest(
    paths: list[str],
    store: Store,
    quiet: bool,
    jobs: int | None = None,
    label: str = N_("ingesting"),
    fingerprints: bool = True,
) -> IngestReport:
    """Ingest with a progress bar, one line per unreadable file; n-gram fingerprints computed in the workers."""
    with Progress(label, quiet) as bar:
        report = ingest_paths(
            paths,
            store,
            jobs=jobs,
            progress=bar,
            max_bytes=DEFAULT_MAX_BYTES,
            derive=ngram_index.derive if fingerprints else None,
        )
    for path, reason in report.errors:
        warn(path, reason)
    return report


def _warm_jieba() -> None:
    """Load jieba's dictionary in the background while the store, index and retrieval work."""
    import threading

    from lineage.align.tokens import warm

    threading.Thread(target=warm, name="jieba-warm", daemon=True).start()


def _resolve(ref: str, store: Store, db_path: str) -> tuple[str, str]:
    """A document reference (file path or sha256 prefix) to (sha256, path to report), ingesting a file on the fly."""
    # no fingerprints here: an index computes them if it ever needs this document
    sha = resolve_document(ref, store, db_path, lambda p: _ingest([p], store, quiet=True, jobs=1, fingerprints=False))
    if os.path.lexists(ref):
        return sha, os.path.abspath(ref)
    paths = store.paths_of(sha)
    return sha, paths[0] if paths else store.load(sha, units=False).path


def html_option(what: str) -> Callable[[Callable], Callable]:
    def deco(f: Callable) -> Callable:
        f = click.option(
            "--force",
            is_flag=True,
            help="Replace an --html FILE lineage did not write (never a document being read, nor a report's page).",
        )(f)
        return click.option(
            "--html",
            "html_path",
            metavar="FILE",
            type=click.Path(dir_okay=False),
            help=f"Also write {what} as one self-contained HTML page (CSS and JS inline; opens from file://, "
            "offline). An existing file is replaced only if lineage wrote it (see --force).",
        )(f)

    return deco


def _read(db_path: str, *paths: str, store: Store | None = None, shas: tuple[str, ...] = ()) -> list[str]:
    """What a command reads, which its --html FILE must never replace: the paths given, the database (and
    its -wal, -shm), and every file the store records for the documents read."""
    out = [*paths, db_path, db_path + "-wal", db_path + "-shm"]
    if store is not None:
        out += [p for sha in shas for p in store.paths_of(sha)]
    return [p for p in out if os.path.lexists(p)]  # (a sha256 prefix names no file)


def _group_copies(store: Store, quiet: bool) -> None:
    """Dedup's clustering, once per database: formulaic text counts copies of one document once
    (:func:`lineage.align.formulaic.ensure_families`), whatever ran before."""
    from lineage.align.formulaic import ensure_families

    with Progress(N_("grouping copies"), quiet) as bar:
        ensure_families(store, lambda stage, done, total: bar(done, total, stage))


def _check_html(path: str | None, force: bool, inputs: list[str]) -> None:
    """Refuse an --html FILE lineage must not or cannot write, before any work (as export does)."""
    if path:
        from lineage.explore import export

        with output_errors():
            export.check_target(path, force, inputs)


def _write_html(path: str, page: str, force: bool, inputs: list[str], quiet: bool) -> None:
    from lineage.explore import export

    with output_errors():
        export.write_file(path, page.encode("utf-8"), force, inputs)
    note(_("wrote %(path)s", path=path), quiet)


@cli.command("align")
@click.argument("source")
@click.argument("target")
@db_option
@click.option(
    "--top", type=click.IntRange(0), default=10, show_default=True, help="Reused passages to show (human output)."
)
@html_option("the side-by-side pair page (aligned units, relation badges, token diffs, j/k between changes)")
@json_option
@quiet_option
@lang_option
def align_cmd(
    source: str,
    target: str,
    db_path: str,
    top: int,
    html_path: str | None,
    force: bool,
    as_json: bool,
    quiet: bool,
) -> None:
    """Align TARGET against SOURCE: every unit of both accounted for.

    SOURCE and TARGET are files (ingested on the fly) or sha256 prefixes of
    documents in the database.  Matches are paragraphs, sentences or
    clauses, each identical, modified, localized, merged, split, moved or
    partial; the rest of the target is added and the rest of the source
    deleted.  Spans are str indices into the decoded files (see README).
    Under SOURCE, which way the evidence says the text went (dates, level,
    citations, localization: the graph's rules).
    --html FILE writes the report's pair page for the two documents.
    """
    _check_html(html_path, force, _read(db_path, source, target))
    _warm_jieba()
    with open_store(db_path) as store:
        s_sha, s_path = _resolve(source, store, db_path)
        t_sha, t_path = _resolve(target, store, db_path)
        read = _read(db_path, source, target, s_path, t_path, store=store, shas=(s_sha, t_sha))
        _check_html(html_path, force, read)  # a sha prefix names a file only now
        _group_copies(store, quiet)
        # formulaic text by the corpus's frequencies, as trace and the graph decide it: the index once per
        # database (without it only the curated list would decide, and the figure would depend on what ran)
        with Progress(N_("indexing"), quiet) as bar:
            ngram_index.Index.open(store, progress=bar)
        sdoc, tdoc = store.load(s_sha), store.load(t_sha)
        sdoc.path, tdoc.path = s_path, t_path
        result = align_pair(store, sdoc, tdoc)
    if html_path:
        from lineage.report import pair_html

        _write_html(html_path, pair_html(result.to_dict(), [sdoc, tdoc]), force, read, quiet)
    if as_json:
        emit_json(result.to_dict())
    else:
        click.echo(render(result, {s_sha: sdoc.text, t_sha: tdoc.text}, top, roles=True))


@cli.command("trace")
@click.argument("target")
@db_option
@click.option(
    "--corpus",
    "corpus",
    multiple=True,
    type=click.Path(readable=False),
    help="Files or folders to ingest (into --db) and trace against; repeatable.",
)
@click.option(
    "--max-sources",
    type=click.IntRange(1, 100),
    default=8,
    show_default=True,
    help="Source documents chosen by the index and aligned.",
)
@click.option(
    "--top", type=click.IntRange(0), default=10, show_default=True, help="Reused passages to show (human output)."
)
@click.option(
    "--include-copies",
    is_flag=True,
    help="Let copies of TARGET (its dedup version: the same text scraped elsewhere) be sources.",
)
@html_option(
    "the provenance page (the target's text, each reused span coloured by its source, source and diff on click)"
)
@jobs_option
@json_option
@quiet_option
@lang_option
def trace_cmd(
    target: str,
    db_path: str,
    corpus: tuple[str, ...],
    max_sources: int,
    top: int,
    include_copies: bool,
    html_path: str | None,
    force: bool,
    jobs: int | None,
    as_json: bool,
    quiet: bool,
) -> None:
    """Trace every clause of TARGET to its sources in the corpus.

    The corpus is the database (--db), after ingesting --corpus paths into
    it if given (without --corpus the database must exist).  TARGET is a
    file (ingested on the fly) or a sha256 prefix.  Candidates come from an
    n-gram index over the corpus (built and cached in the database on first
    use, extended on the fly with documents ingested since); each reused
    target span is attributed to the source it most plausibly came from
    (other sources holding the same text are listed as also in, each with
    why it was set aside), and sources dated after the target are flagged.
    A document is called a source only where the evidence shows the text
    went from it to TARGET (the graph's rules: dates, level, citations,
    localization); otherwise it shares text with TARGET, and the human
    output says why.
    Copies of TARGET (the same dedup version) are never its sources unless
    --include-copies.  --html FILE writes the report's provenance page.
    """
    from lineage.graph.traced import trace

    _check_html(html_path, force, _read(db_path, target, *corpus))
    _warm_jieba()
    # a database is made only to hold --corpus: a mistyped --db alone would trace against nothing, and say so
    # as if the corpus held no reuse
    with open_store(db_path, create=bool(corpus)) as store:
        if corpus:
            report = _ingest(list(corpus), store, quiet, jobs)
            if not report.documents:
                raise SystemExit(1)
        t_sha, t_path = _resolve(target, store, db_path)
        _check_html(html_path, force, _read(db_path, target, t_path, *corpus, store=store, shas=(t_sha,)))
        _group_copies(store, quiet)
        with Progress(N_("indexing"), quiet) as bar:
            idx = ngram_index.Index.open(store, progress=bar, skip={t_sha})
        tdoc = store.load(t_sha)
        tdoc.path = t_path
        res = trace(tdoc, idx, store, max_sources=max_sources, include_copies=include_copies)
        sources: list[Document] = []
        if html_path or not as_json:
            aligned = {d.sha256: d for d in res.documents}  # loaded whole by the trace: not read again
            for info in res.result.sources:
                d = aligned.get(info.sha256) or store.load(info.sha256, units=bool(html_path))
                d.path = info.path
                sources.append(d)
        # the sources' files too: a page written over one would be read as that document next time
        shas = (t_sha, *(d.sha256 for d in sources))
        read = _read(db_path, target, t_path, *corpus, store=store, shas=shas) if html_path else []
    if res.copies:
        n = len(res.copies)
        note(
            ngettext(
                "left out %(num)s copy of the target (same version; --include-copies to use it): %(paths)s",
                "left out %(num)s copies of the target (same version; --include-copies to use them): %(paths)s",
                n,
                paths=", ".join(res.copies),
            ),
            quiet,
        )
    if not res.result.sources:
        others = idx.n_docs - (t_sha in idx.all_shas())  # the target, once indexed, is not a document searched
        note(
            _("%(path)s: no reuse found in %(documents)s", path=tdoc.path, documents=plural(others, "other document")),
            quiet,
        )
    if html_path:
        from lineage.report import provenance_html

        _write_html(html_path, provenance_html(res.to_dict(), [tdoc, *sources]), force, read, quiet)
    texts = {d.sha256: d.text for d in [tdoc, *sources]}
    if as_json:
        emit_json(res.to_dict())
    else:
        click.echo(render(res.result, texts, top))


# -- human output ------------------------------------------------------------------------------


def _short(text: str, n: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _diff_text(ops: list[list[str]], n: int = 90) -> str:
    out = []
    for op, a, b in ops:
        if op == "equal":
            out.append(a if len(a) <= 12 else a[:5] + "…" + a[-5:])
        elif op == "delete":
            out.append(f"[-{a}-]")
        elif op == "insert":
            out.append(f"{{+{b}+}}")
        else:
            out.append(f"[-{a}-]{{+{b}+}}")
    return _short("".join(out), n)


def _where(info: DocInfo) -> str:
    bits = [when(info.__dict__)]
    if info.jurisdiction:
        bits.append(info.jurisdiction["name"])
    if info.later_than_target:
        bits.append(_("LATER than the target"))
    return _(", ").join(bits)


def _direction(d: dict) -> list[str]:
    """A trace source's direction (lineage.graph.traced): why it is called a source, or why not."""
    if d["status"] == "uncertain":
        head = _("direction uncertain")
    elif (why := too_little(d)) is not None:
        head = _("direction: %(why)s", why=why)
    elif d["source"] == "this":
        head = _("direction: this is the source (%(confidence)s)", confidence=d["confidence"])
    else:
        head = _("direction: the target is the likelier source (%(confidence)s)", confidence=d["confidence"])
    out = ["    " + head]
    for ev in telling(d):
        mark = {"this": "+", "target": "-"}.get(ev.get("favours") or "", "·")
        out.append(
            f"      {mark} " + _("%(kind)s: %(detail)s", kind=_(ev["kind"]), detail=evidence_detail(ev["detail"]))
        )
    # the documents both may draw on, as `lineage graph` lists them under the pair's edge
    out += ["      ? " + may_draw_on(ps) for ps in d.get("possible_common_sources") or ()]
    return out


def _named(info: DocInfo) -> dict[str, str]:
    return {"path": info.path, "title": info.title or "", "where": _where(info)}


def render(result: AlignResult, texts: dict[str, str], top: int = 10, roles: bool = False) -> str:
    """A readable summary: sources, reuse share, counts by relation, the top reused passages.

    ``roles``: the user named the source (align): it is called so, with the evidence's direction below it;
    a trace calls a document a source only where the evidence shows it."""
    s = result.summary
    t = result.target
    lines = [_("target  %(path)s  %(title)s  (%(where)s)", path=t.path, title=t.title or "", where=_where(t))]
    # a source holding only formulaic text of the target (its date line) explains none of it: said so (trace
    # lists sources by the characters they explain, so these come last)
    for info in result.sources:
        b = s["by_source"].get(info.path, {})
        if info.formulaic_only and b.get("common_source_chars"):
            line = _(
                "nothing counted  %(path)s  %(title)s  (%(where)s)  %(matches)s, %(formulaic)s, %(common)s of "
                "well-known national text both quote",
                formulaic=plural(b.get("formulaic_chars", 0), "formulaic character"),
                common=plural(b["common_source_chars"], "character"),
                **_named(info),
                matches=plural(b.get("matches", 0), "match", "matches"),
            )
        elif info.formulaic_only:
            line = _(
                "formulaic only  %(path)s  %(title)s  (%(where)s)  %(matches)s, %(formulaic)s",
                formulaic=plural(b.get("formulaic_chars", 0), "formulaic character"),
                **_named(info),
                matches=plural(b.get("matches", 0), "match", "matches"),
            )
        else:
            line = _(
                "source  %(path)s  %(title)s  (%(where)s)  %(share)s of the target, %(matches)s"
                if roles or info.direction is None or info.direction["says"] == "source"
                else "shares text  %(path)s  %(title)s  (%(where)s)  %(share)s of the target, %(matches)s",
                share=share_text(b.get("share", 0)),
                **_named(info),
                matches=plural(b.get("matches", 0), "match", "matches"),
            )
        lines.append(line)
        if info.direction and not info.formulaic_only:
            lines.extend(_direction(info.direction))
    lines.append("")
    lines.append(
        _(
            "reuse: %(share)s of the target (%(reused)s of %(chars)s; %(formulaic)s not counted)"
            if not s.get("common_source_chars")
            else "reuse: %(share)s of the target (%(reused)s of %(chars)s; %(formulaic)s and %(common)s of "
            "well-known national text both quote not counted)",
            share=share_text(s['reuse_share']),
            reused=f"{s['reused_chars']:,}",
            chars=plural(s["target_chars"], "character"),
            formulaic=plural(s["formulaic_chars"], "formulaic character"),
            common=plural(s.get("common_source_chars", 0), "character"),
        )
    )
    rel = " · ".join(f"{_(k)} {v['count']} ({plural(v['chars'], 'char')})" for k, v in s["by_relation"].items())
    lines.append(_("matches: %(relations)s", relations=rel or _("none")))
    if roles:
        lines.append(
            _(
                "added: %(units)s (%(chars)s) · deleted: %(dunits)s (%(dchars)s)",
                units=plural(s["added"], "unit"),
                chars=plural(s["added_chars"], "char"),
                dunits=plural(s["deleted"], "unit"),
                dchars=plural(s["deleted_chars"], "char"),
            )
        )
    else:
        # a trace has no one source whose units the target could have deleted: only what no source holds
        lines.append(
            _(
                "the target's own text (no source holds it): %(units)s (%(chars)s)",
                units=plural(s["added"], "unit"),
                chars=plural(s["added_chars"], "char"),
            )
        )
    lede = [w for w in result.wrapper if w.side == "target"]
    if lede:
        lines.append(
            _(
                "news lede: %(units)s (%(chars)s) not aligned (it quotes the document's own text)",
                units=plural(len(lede), "unit"),
                chars=plural(s["wrapper_chars"], "char"),
            )
        )
    fmt = sum(1 for m in result.matches if m.formatting_only)
    if fmt:
        lines.append(
            ngettext(
                "formatting only: %(matches)s differs as written (punctuation width, indents)",
                "formatting only: %(matches)s differ as written (punctuation width, indents)",
                fmt,
                matches=plural(fmt, "identical match", "identical matches"),
            )
        )
    reused = sorted(
        (m for m in result.matches if not m.formulaic and not m.common_source), key=lambda m: (-m.chars, m.target_span)
    )
    src_sha = {i.path: i.sha256 for i in result.sources}
    # the largest passages, then the largest of those that changed on the way (what a reader looks for) that
    # the first list did not show
    top_ones = reused[:top]
    shown = {id(m) for m in top_ones}
    for title, chosen in (
        (_("top reused passages:"), top_ones),
        (_("other changed passages:"), [m for m in reused if m.content != "identical" and id(m) not in shown][:top]),
    ):
        if not chosen:
            continue
        lines.append("")
        lines.append(title)
        for m in chosen:
            lines.append(
                _passage(
                    m,
                    texts.get(t.sha256, ""),
                    texts.get(src_sha.get(m.source, m.source_sha256), ""),
                    len(result.sources) > 1,
                )
            )
    return "\n".join(lines)


def _held(also: dict, chars: int) -> str:
    """How another source holds a passage: its relation, and for a part of it, how much."""
    if also["relation"] != "partial":
        return _(also["relation"])
    return _("partial: %(held)s of %(chars)s", held=also["chars"], chars=plural(chars, "char"))


def _passage(m: Match, ttext: str, stext: str, name_source: bool) -> str:
    head = f"  {_(m.relation)}"
    if m.moved and m.content != m.relation:
        head += f" ({_(m.content)})"
    head += " · " + _(
        "%(unit)s · score %(score)s · target %(tunit)s %(tstart)s-%(tend)s <- source %(sunit)s %(sstart)s-%(send)s",
        unit=_(m.unit),
        score=f"{m.score:g}",
        tunit=m.target_units[0],
        tstart=m.target_span[0],
        tend=m.target_span[1],
        sunit=m.source_units[0],
        sstart=m.source_span[0],
        send=m.source_span[1],
    )
    if name_source:
        head += " " + _("in %(file)s", file=os.path.basename(m.source))
    out = [
        head,
        "      " + _("target: %(text)s", text=_short(ttext[m.target_span[0] : m.target_span[1]])),
        "      " + _("source: %(text)s", text=_short(stext[m.source_span[0] : m.source_span[1]])),
    ]
    if m.diff:
        out.append("      " + _("diff:   %(diff)s", diff=_diff_text(m.diff)))
    if m.also_in:
        places = [
            f"{os.path.basename(a['source'])} {a['source_span'][0]}-{a['source_span'][1]} ({_held(a, m.chars)})"
            for a in m.also_in
        ]
        out.append("      " + _("also in: %(places)s", places=_short("; ".join(places), 110)))
        # by reason, not by document: in a crowded database twenty siblings are set aside for one reason
        why: dict[str, list[str]] = {}
        for a in m.also_in:
            if a.get("set_aside_by"):
                why.setdefault(set_aside_text(a["set_aside_by"]), []).append(os.path.basename(a["source"]))
        if why:
            reasons = "; ".join(
                f"{reason} ({', '.join(files)})"
                if len(files) <= 3
                else f"{reason} ({_('%(names)s and %(n)s more', names=', '.join(files[:2]), n=len(files) - 2)})"
                for reason, files in why.items()
            )
            out.append("      " + _("why not the others: %(reasons)s", reasons=_short(reasons, 220)))
    return "\n".join(out)
