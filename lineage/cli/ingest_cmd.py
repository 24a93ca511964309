"""`lineage ingest` and `lineage show`."""

from __future__ import annotations

import os

import click

from ..ingest import IngestReport, ingest_paths
from ..model import Document
from ..read import DEFAULT_MAX_BYTES
from . import Progress, cli, db_option, emit_json, jobs_option, json_option, note, open_store, quiet_option, warn
from .meta_option import meta_options, use_meta


def max_size_option(f):
    return click.option("--max-size", type=click.FloatRange(0.001), default=DEFAULT_MAX_BYTES / 2**20,
                        show_default=True, metavar="MB", help="Skip files larger than this many MiB.")(f)


def run_ingest(paths: tuple[str, ...], store, quiet: bool, jobs: int | None, max_size: float, label: str = "ingesting") -> IngestReport:
    """Ingest with a progress bar and one line per unreadable file (shared by commands that ingest)."""
    with Progress(label, quiet) as bar:
        report = ingest_paths(list(paths), store, jobs=jobs, progress=bar, max_bytes=int(max_size * 2**20))
    for path, reason in report.errors:
        warn(path, reason)
    return report


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@db_option
@jobs_option
@max_size_option
@json_option
@quiet_option
@meta_options
def ingest(paths, db_path, jobs, max_size, as_json, quiet):
    """Read documents (files or folders, recursively) into the database.

    Reads .txt and .html/.htm files in UTF-8, UTF-8/UTF-16 with BOM, GB18030
    (GBK, GB2312) or the charset an HTML page declares.  Unchanged files
    are not read again; the same content under another path is stored once.
    Unreadable files are listed and skipped; the exit code is 1 only if no
    document could be read.
    """
    with open_store(db_path) as store:
        use_meta(store, quiet)
        report = run_ingest(paths, store, quiet, jobs, max_size)
        docs = (store.load(sha, units=False) for sha in report.documents)
        if as_json:
            out = report.to_dict()
            out["documents"] = [_summary(d, store.paths_of(d.sha256)) for d in docs]
            emit_json(out)
        else:
            for d in docs:
                click.echo(_describe(d, units=False))
            mb = report.bytes_read / 2**20
            note(f"{len(report.documents)} documents ({report.added} new, {report.unchanged} unchanged, {report.known} already known"
                 f"{f', {report.reparsed} re-parsed' if report.reparsed else ''}), {len(report.errors)} skipped; "
                 f"{mb:.1f} MiB read in {report.seconds:.1f} s -> {db_path}", quiet)
    if not report.documents:
        raise SystemExit(1)


def _summary(d: Document, paths: list[str]) -> dict:
    out = d.to_dict(units=False)
    for k in ("outline", "parts"):
        out.pop(k, None)
    out["paths"] = paths
    return out


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
    where = f"{j.name} ({j.level})" if j else "jurisdiction unknown"
    date = f"{d.date} ({d.date_kind})" if d.date else "undated"
    c = _counts(d, units)
    parts = {k[5:]: v for k, v in d.counts.items() if k.startswith("part:")}
    lines = [f"{os.path.basename(d.path)}  {d.title or '(no title)'}",
             f"    {date} · {where}" + (f" · issued by {', '.join(d.issuers)}" if d.issuers else "")
             + (f" · {d.doc_number}" if d.doc_number else "")]
    if d.citations:
        cites = [c.doc_number or f"《{c.title}》" for c in d.citations[:4]]
        more = f" +{len(d.citations) - 4}" if len(d.citations) > 4 else ""
        lines.append(f"    cites {', '.join(cites)}{more}")
    lines.append(
        f"    {d.encoding} {d.format} · {c.get('paragraph', 0)} paragraphs, {c.get('heading', 0)} headings, "
        f"{c.get('table', 0)} tables"
        + (f", {c.get('sentence', 0)} sentences, {c.get('clause', 0)} clauses" if units else "") + " · "
        + ", ".join(f"{k} {v}" for k, v in parts.items() if k != "body")
        + (" · " if len(parts) > 1 else "") + f"{len(d.removed)} chrome removed"
    )
    for w in d.warnings:
        lines.append(f"    note: {w}")
    return "\n".join(lines)


@cli.command()
@click.argument("doc")
@db_option
@click.option("--units", "unit_kinds", default="block", show_default=True,
              type=click.Choice(["none", "block", "sentence", "clause", "all"]),
              help="Which units to list: blocks (headings, paragraphs, tables), down to sentences or clauses.")
@json_option
@quiet_option
def show(doc, db_path, unit_kinds, as_json, quiet):
    """Show one document: metadata, outline, removed chrome and units.

    DOC is a file path (ingested first if needed) or a sha256 prefix of a
    document in the database.  With --json every unit is listed with its
    span: Python str indices into the decoded file (BOM removed, newlines
    as in the file), so text[start:end] is the unit's original text.
    """
    with open_store(db_path) as store:
        sha = store.resolve(doc)
        if sha is None:
            if not os.path.exists(doc):
                raise click.ClickException(f"{doc}: not a file, and no document in {db_path} matches it")
            report = run_ingest((doc,), store, quiet=True, jobs=1, max_size=DEFAULT_MAX_BYTES / 2**20)
            if not report.documents:
                raise SystemExit(1)
            sha = report.documents[0]
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
        click.echo("    copies: " + ", ".join(paths))
    if d.published:
        click.echo(f"    published {d.published.get('date')} by {d.published.get('source') or '?'} (page line)")
    if d.date_range:
        click.echo(f"    date estimated between {d.date_range[0]} and {d.date_range[1]}")
    for c in d.citations:
        extra = f" [{c.issuer}]" if c.issuer else ""
        click.echo(f"    cites {('《' + c.title + '》') if c.title else ''}{(' ' + c.doc_number) if c.doc_number else ''}{extra} at {c.span[0]}-{c.span[1]}")
    if d.outline:
        click.echo("\noutline:")
        for o in d.outline:
            click.echo(f"  {'  ' * (o.level - 1)}{o.marker}{o.title}  [{o.unit}]")
    if d.removed:
        click.echo("\nremoved:")
        for r in d.removed:
            click.echo(f"  {r.kind:<11} {r.span[0]}-{r.span[1]}  {r.text.strip()[:70]}")
    if unit_kinds != "none":
        keep = _kinds(unit_kinds)
        click.echo("\nunits:")
        for u in d.units:
            if u.kind in keep:
                indent = {"sentence": "  ", "clause": "    "}.get(u.kind, "")
                text = u.norm_text if len(u.norm_text) <= 60 else u.norm_text[:58] + "…"
                click.echo(f"  {indent}{u.id:<12} {u.kind:<9} {u.part:<10} {u.span[0]}-{u.span[1]}  {text}")


def _kinds(which: str) -> set[str]:
    blocks = {"heading", "paragraph", "table"}
    return {"none": set(), "block": blocks, "sentence": blocks | {"sentence"},
            "clause": blocks | {"sentence", "clause"}, "all": blocks | {"sentence", "clause"}}[which]
