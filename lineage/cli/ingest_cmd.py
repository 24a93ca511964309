"""`lineage ingest` and `lineage show`."""

from __future__ import annotations

import os
import re
from collections.abc import Callable

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
from lineage.cli.meta_option import meta_options, use_meta, warn_superseded
from lineage.cli.words import plural
from lineage.i18n import N_, _
from lineage.ingest.pipeline import IngestReport, ingest_paths
from lineage.ingest.read import DEFAULT_MAX_BYTES
from lineage.ingest.sidecar import superseded_notes
from lineage.ingest.words import warning_text
from lineage.model import Document
from lineage.store import Store

# Shorter hex strings match too many documents to name one (and look like other things).
MIN_PREFIX = 6


def max_size_option(f: Callable) -> Callable:
    return click.option(
        "--max-size",
        type=click.FloatRange(0.001),
        default=DEFAULT_MAX_BYTES / 2**20,
        show_default=True,
        metavar="MB",
        help="Skip files larger than this many MiB.",
    )(f)


def run_ingest(
    paths: tuple[str, ...], store: Store, quiet: bool, jobs: int | None, max_size: float, label: str = N_("ingesting")
) -> IngestReport:
    """Ingest with a progress bar and one line per unreadable file (shared by commands that ingest)."""
    with Progress(label, quiet) as bar:
        report = ingest_paths(list(paths), store, jobs=jobs, progress=bar, max_bytes=int(max_size * 2**20))
    for path, reason in report.errors:
        warn(path, reason)
    return report


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(readable=False))
@db_option
@jobs_option
@max_size_option
@json_option
@quiet_option
@lang_option
@meta_options
def ingest(paths: tuple[str, ...], db_path: str, jobs: int | None, max_size: float, as_json: bool, quiet: bool) -> None:
    """Read documents (files or folders, recursively) into the database.

    Reads .txt and .html/.htm files in UTF-8, UTF-16 (with or without BOM),
    GB18030 (GBK, GB2312), Big5 or the charset an HTML page declares.
    Symlinked folders are followed; each folder is read once.  Unchanged
    files are not read again; the same content under another path is stored
    once.  Files and folders that cannot be read are listed, one line each,
    and skipped; the exit code is 1 only if no document could be read.
    """
    with open_store(db_path) as store:
        use_meta(store, quiet)
        report = run_ingest(paths, store, quiet, jobs, max_size)
        warnings = warn_superseded(store, report.documents)
        if as_json:
            out = report.to_dict()
            out["warnings"] = warnings
            found = store.summaries(report.documents, without=("outline", "parts"))
            out["documents"] = [found[sha] for sha in report.documents]
            emit_json(out)
        else:
            for sha in report.documents:
                click.echo(_describe(store.load(sha, units=False, text=False), units=False))
            mb = report.bytes_read / 2**20
            reparsed = _(", %(n)s re-parsed", n=report.reparsed) if report.reparsed else ""
            note(
                _(
                    "%(documents)s (%(added)s new, %(unchanged)s unchanged, %(known)s already known%(reparsed)s), "
                    "%(skipped)s; %(mb).1f MiB read in %(seconds).1f s -> %(db)s",
                    documents=plural(len(report.documents), "document"),
                    added=report.added,
                    unchanged=report.unchanged,
                    known=report.known,
                    reparsed=reparsed,
                    skipped=skipped(report.errors),
                    mb=mb,
                    seconds=report.seconds,
                    db=db_path,
                ),
                quiet,
            )
    if not report.documents:
        raise SystemExit(1)


def resolve_document(ref: str, store: Store, db_path: str, ingest: Callable[[str], IngestReport]) -> str:
    """The sha256 of one document named by a file (read through ``ingest``, so it is
    current) or by a reference to the database: a path it holds, or a sha256 prefix.

    Anything else is one line saying why (ClickException, exit 1); a file that
    cannot be read was reported by ``ingest`` (exit 1).
    """
    if os.path.isdir(ref):
        raise click.ClickException(
            _(
                "%(ref)s: a folder, not a document (give one file or a sha256 prefix; "
                "'lineage ingest %(ref)s' lists every document in it)",
                ref=ref,
            )
        )
    if os.path.lexists(ref):
        report = ingest(ref)
        if not report.documents:
            raise SystemExit(1)
        return report.documents[0]
    sha = store.resolve(ref)
    if sha is not None:
        return sha

    if re.fullmatch(r"[0-9a-fA-F]+", ref):
        if len(ref) < MIN_PREFIX:
            raise click.ClickException(
                _("%(ref)s: not a file, and a sha256 prefix needs at least %(n)s hex digits", ref=ref, n=MIN_PREFIX)
            )
        hits = [
            r[0]
            for r in store.db.execute(
                "SELECT sha256 FROM documents WHERE sha256 LIKE ? ORDER BY sha256 LIMIT 4", (ref.lower() + "%",)
            )
        ]
        if len(hits) > 1:
            n = store.db.execute("SELECT count(*) FROM documents WHERE sha256 LIKE ?", (ref.lower() + "%",)).fetchone()[
                0
            ]
            raise click.ClickException(
                _(
                    "%(ref)s: not a file, and an ambiguous sha256 prefix: %(documents)s in %(db)s "
                    "start with it (%(examples)s); give more digits",
                    ref=ref,
                    documents=plural(n, "document"),
                    db=db_path,
                    examples=", ".join(h[:12] for h in hits[:3]) + (", …" if n > 3 else ""),
                )
            )
        raise click.ClickException(
            _("%(ref)s: not a file, and no document in %(db)s has a sha256 starting with it", ref=ref, db=db_path)
        )
    raise click.ClickException(
        _("%(ref)s: no such file, and no document in %(db)s matches it (by path or sha256 prefix)", ref=ref, db=db_path)
    )


def skipped(errors: list[tuple[str, str]]) -> str:
    """'1 file skipped', '2 files and 1 folder skipped', '0 files skipped': the inputs reading passed over."""
    folders = sum(1 for p, _ in errors if os.path.isdir(p))
    files = len(errors) - folders
    what = [plural(files, "file")] * (files > 0 or not folders) + [plural(folders, "folder")] * (folders > 0)
    return _("%(what)s skipped", what=_(" and ").join(what))


def _counts(d: Document, units: bool = False) -> dict:
    """Units per kind; sentences and clauses only when asked (they are derived on demand)."""
    if not units:
        return d.counts
    counts: dict[str, int] = {}
    for u in d.units:
        counts[u.kind] = counts.get(u.kind, 0) + 1
    return counts


def _describe(d: Document, units: bool = True) -> str:
    j = d.jurisdiction
    where = f"{j.name} ({_(j.level)})" if j else _("jurisdiction unknown")
    date = f"{d.date} ({_(d.date_kind or '')})" if d.date else _("undated")
    c = _counts(d, units)
    parts = {k[5:]: v for k, v in d.counts.items() if k.startswith("part:")}
    lines = [
        f"{os.path.basename(d.path)}  {d.title or _('(no title)')}",
        f"    {date} · {where}"
        + (" · " + _("issued by %(issuers)s", issuers="、".join(d.issuers)) if d.issuers else "")
        + (f" · {d.doc_number}" if d.doc_number else ""),
    ]
    lines.extend("    " + n for n in superseded_notes(d, localized=True))
    if d.citations:
        # a known document named in the text (中国制造2025) is shown by that name: its 文号 is looked up, not read
        cites = [
            f"《{c.title}》 " + _("(known name)") if c.via == "known" else c.doc_number or f"《{c.title}》"
            for c in d.citations[:4]
        ]
        more = f" +{len(d.citations) - 4}" if len(d.citations) > 4 else ""
        lines.append("    " + _("cites %(refs)s", refs=", ".join(cites) + more))
    kinds = ("paragraph", "heading", "table") + (("sentence", "clause") if units else ())
    lines.append(
        f"    {d.encoding} {d.format} · {', '.join(plural(c.get(k, 0), k) for k in kinds)} · "
        + ", ".join(f"{_(k)} {v}" for k, v in parts.items() if k != "body")
        + (" · " if len(parts) > 1 else "")
        + _("%(pieces)s of chrome removed", pieces=plural(len(d.removed), "piece"))
    )
    for w in d.warnings:
        lines.append("    " + _("note: %(warning)s", warning=warning_text(w)))
    return "\n".join(lines)


@cli.command()
@click.argument("doc")
@db_option
@click.option(
    "--units",
    "unit_kinds",
    default="block",
    show_default=True,
    type=click.Choice(["none", "block", "sentence", "clause", "all"]),
    help="Which units to list: blocks (headings, paragraphs, tables), down to sentences or clauses.",
)
@json_option
@quiet_option
@lang_option
def show(doc: str, db_path: str, unit_kinds: str, as_json: bool, quiet: bool) -> None:
    """Show one document: metadata, outline, removed chrome and units.

    DOC is a file path (ingested first if needed), a path the database
    holds, or a sha256 prefix (6+ hex digits) of a document in it; a
    folder is an error.  With --json every unit is listed with its
    span: Python str indices into the decoded file (BOM removed, newlines
    as in the file), so text[start:end] is the unit's original text.
    """
    with open_store(db_path) as store:
        sha = resolve_document(
            doc,
            store,
            db_path,
            lambda p: run_ingest((p,), store, quiet=True, jobs=1, max_size=DEFAULT_MAX_BYTES / 2**20),
        )
        d = store.load(sha)
        paths = store.paths_of(sha)
    if as_json:
        out = d.to_dict(units=True)
        out["paths"] = paths
        if unit_kinds != "all":
            keep = _kinds(unit_kinds)
            out["units"] = [u for u in out["units"] if u["kind"] in keep]
        emit_json(out)
        return
    click.echo(_describe(d))
    if len(paths) > 1:
        click.echo("    " + _("copies: %(paths)s", paths=", ".join(paths)))
    if d.published:
        click.echo(
            "    "
            + _(
                "published %(date)s by %(source)s (page line)",
                date=d.published.get("date"),
                source=d.published.get("source") or "?",
            )
        )
    if d.date_range:
        click.echo(
            "    " + _("date estimated between %(start)s and %(end)s", start=d.date_range[0], end=d.date_range[1])
        )
    for c in d.citations:
        extra = f" [{c.issuer}]" if c.issuer else ""
        ref = f"{('《' + c.title + '》') if c.title else ''}{(' ' + c.doc_number) if c.doc_number else ''}{extra}"
        if c.via == "known":
            ref += " " + _("(named in the text; its title and 文号 looked up)")
        click.echo("    " + _("cites %(ref)s at %(start)s-%(end)s", ref=ref, start=c.span[0], end=c.span[1]))
    if d.outline:
        click.echo("\n" + _("outline:"))
        for o in d.outline:
            click.echo(f"  {'  ' * (o.level - 1)}{o.marker}{o.title}  [{o.unit}]")
    if d.removed:
        click.echo("\n" + _("removed:"))
        for r in d.removed:
            one_line = re.sub(r"\s*[\r\n]+\s*", "", r.text.strip())  # a wrapped piece, joined again
            click.echo(f"  {_(r.kind):<11} {r.span[0]}-{r.span[1]}  {one_line[:70]}")
    if unit_kinds != "none":
        keep = _kinds(unit_kinds)
        click.echo("\n" + _("units:"))
        for u in d.units:
            if u.kind in keep:
                indent = {"sentence": "  ", "clause": "    "}.get(u.kind, "")
                text = u.norm_text if len(u.norm_text) <= 60 else u.norm_text[:58] + "…"
                click.echo(f"  {indent}{u.id:<12} {_(u.kind):<9} {_(u.part):<10} {u.span[0]}-{u.span[1]}  {text}")


def _kinds(which: str) -> set[str]:
    blocks = {"heading", "paragraph", "table"}
    return {
        "none": set(),
        "block": blocks,
        "sentence": blocks | {"sentence"},
        "clause": blocks | {"sentence", "clause"},
        "all": blocks | {"sentence", "clause"},
    }[which]
