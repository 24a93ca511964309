"""`lineage dedup`: one copy per document version, and why each other file was set aside."""

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
    output_errors,
    quiet_option,
    warn,
)
from lineage.cli.ingest_cmd import max_size_option, skipped
from lineage.cli.meta_option import meta_options, use_meta
from lineage.cli.words import plural, when
from lineage.dedup.output import open_output, write_output
from lineage.dedup.pipeline import DEFAULT_THRESHOLD, dedup_paths
from lineage.dedup.result import DedupResult
from lineage.dedup.words import dedup_text
from lineage.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from lineage.dedup.dask_engine import DaskEngine

_STAGES = {
    "features": N_("features"),
    "candidates": N_("grouping"),
    "compare": N_("comparing"),
    "clusters": N_("clustering"),
    "revisions": N_("revisions"),
}


class StageBars:
    """One progress bar per dedup stage (library callback: stage, done, total)."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.stage: str | None = None
        self.bar: Progress | None = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self.stage:
            self.close()
            self.stage = stage
            self.bar = Progress(_STAGES.get(stage, stage), self.quiet)
        assert self.bar is not None
        self.bar(done, total)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(readable=False))
@db_option
@click.option(
    "--threshold",
    type=click.FloatRange(0.05, 0.95),
    default=DEFAULT_THRESHOLD,
    show_default=True,
    help="Estimated similarity (Jaccard of character 5-grams) above which two texts are compared. "
    "Lower finds more heavily revised versions and costs more comparisons.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(),
    default=None,
    metavar="DIR",
    help="Write one file per version (its canonical copy) and manifest.csv/manifest.json here: a new "
    "or empty folder, or one an earlier dedup wrote (only files it wrote, unchanged since, are "
    "replaced; see README).",
)
@click.option(
    "--link/--copy",
    "link",
    default=False,
    show_default=True,
    help="With --out: hard-link the canonical copies (falling back to a copy across file systems) "
    "instead of copying them.",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="Where signatures, candidate grouping and comparisons run.",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    default=None,
    help="With --engine dask: a running scheduler (tcp://host:8786); default: a local cluster.",
)
@jobs_option
@max_size_option
@json_option
@quiet_option
@lang_option
@meta_options
def dedup(
    paths: tuple[str, ...],
    db_path: str,
    threshold: float,
    out_dir: str | None,
    link: bool,
    engine: str,
    scheduler: str | None,
    jobs: int | None,
    max_size: float,
    as_json: bool,
    quiet: bool,
) -> None:
    """Group scraped copies into document versions; pick a canonical copy of each.

    Folders are read recursively; files already in the database are not read
    again, and new files are matched against everything the database holds.
    Copies that differ only by page chrome, a news lede, the issuing notice,
    formatting, encoding, HTML vs text, truncation or rare typos are one
    version (a cluster); a revision (changed numbers, words, sentences) is a
    cluster of its own, listed under "related" with what changed when it is
    the same document (same place; same title up to year and edition, or same
    issuer and 80% aligned): an adaptation is reuse, for the graph.  Inputs
    are never modified.  See the README for the JSON schema.
    """
    if out_dir is not None:
        with output_errors():
            folder = open_output(out_dir, inputs=paths)  # before any work: a bad --out fails at once
        click.get_current_context().call_on_close(folder.close)
    eng = dask_engine(engine, scheduler, jobs)
    try:
        with open_store(db_path) as store:
            use_meta(store, quiet)
            bars = StageBars(quiet)
            with Progress(N_("reading"), quiet) as read_bar:
                result, report = dedup_paths(
                    list(paths),
                    store,
                    jobs=jobs,
                    threshold=threshold,
                    engine=eng,
                    progress=bars,
                    ingest_progress=read_bar,
                    max_bytes=int(max_size * 2**20),
                )
            bars.close()
    finally:
        if eng is not None:
            eng.close()
    for path, reason in report.errors:
        warn(path, reason)
    if out_dir is not None and report.documents:
        with output_errors():
            written = write_output(result, folder, inputs=list(report.paths), link=link)
        note(
            ngettext(
                "wrote %(num)s version file and manifest.csv, manifest.json to %(out)s",
                "wrote %(num)s version files and manifest.csv, manifest.json to %(out)s",
                written.files,
                out=out_dir,
            ),
            quiet,
        )
        for cid, changed in written.changed.items():
            click.echo(
                _(
                    "lineage: no file written for version %(id)s: %(paths)s changed on disk since it was read",
                    id=cid,
                    paths=", ".join(changed),
                ),
                err=True,
            )
    if as_json:
        emit_json(result.to_dict())
    else:
        _print_text(result)
        copies = sum(len(c.members) for c in result.clusters)
        families = len({c.family for c in result.clusters})
        note(
            _(
                "%(versions)s of %(documents)s from %(files)s (%(given)s given, %(added)s new), %(revisions)s linked, "
                "%(skipped)s",
                versions=plural(len(result.clusters), "version"),
                documents=plural(families, "document"),
                files=plural(copies, "file"),
                given=len(report.paths),
                added=report.added,
                revisions=plural(len(result.related), "revision"),
                skipped=skipped(report.errors),
            ),
            quiet,
        )
    if not report.documents or (out_dir is not None and report.documents and written.changed):
        raise SystemExit(1)


def _print_text(result: DedupResult) -> None:
    for c in result.clusters:
        click.echo(
            f"{c.id}  {plural(len(c.members), 'copy', 'copies')}  {c.title or _('(no title)')}"
            + (f"  {when({'date': c.date, 'date_kind': c.date_kind})}" if c.date else "")
            + ("  [" + _("family %(id)s", id=c.family) + "]" if c.family != c.id else "")
        )
        for p in c.members:
            m = c.details[p]
            why = dedup_text(c.reason if m.relation == "canonical" else m.differences)
            click.echo(f"  {_(m.relation):<10} {_show(p)}" + (f"  ({why})" if why else ""))
    if result.related:
        click.echo(_("revisions:"))
        for r in result.related:
            ch = r.changes
            click.echo(
                f"  {r.a} -> {r.b}  "
                + _(
                    "similarity %(similarity).2f: %(clauses)s modified, %(added)s added, %(deleted)s deleted",
                    similarity=r.similarity,
                    clauses=plural(ch.modified, "clause"),
                    added=ch.added,
                    deleted=ch.deleted,
                )
            )

    if result.same_text:
        click.echo(
            _(
                "the same text issued as two documents (by two governments, or under two 文号: one forwards the other's text, or it was issued twice):"
            )
        )
        for x in result.same_text:
            a, b = (p or _("no issuer named") for p in x.issued_in)
            click.echo(f"  {x.a} ({a}) -> {x.b} ({b})")


def _show(path: str) -> str:
    rel = os.path.relpath(path)
    return rel if not rel.startswith("..") else path


def dask_engine(engine: str, scheduler: str | None, jobs: int | None) -> DaskEngine | None:
    """The --engine/--scheduler options to an engine (None for local); shared by dedup and graph."""
    if scheduler and engine != "dask":
        raise click.UsageError(_("--scheduler needs --engine dask"))
    if engine != "dask":
        return None
    from lineage.dedup.dask_engine import DaskEngine, DaskUnavailable

    try:
        return DaskEngine(scheduler=scheduler, workers=jobs or os.cpu_count() or 2)
    except DaskUnavailable as e:
        raise click.ClickException(str(e)) from None
    except OSError as e:
        raise click.ClickException(
            _("cannot reach the Dask scheduler %(address)s: %(error)s", address=scheduler, error=e)
        ) from None
