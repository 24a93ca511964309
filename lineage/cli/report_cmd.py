"""`lineage report`: run the pipeline and write the HTML site."""

from __future__ import annotations

import os
import time

import click

from lineage import i18n
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
from lineage.cli.ingest_cmd import max_size_option
from lineage.cli.meta_option import meta_options, use_meta
from lineage.cli.words import plural
from lineage.i18n import N_, _


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(readable=False))
@click.option(
    "-o",
    "--out",
    default="reports",
    show_default=True,
    metavar="DIR",
    type=click.Path(),
    help="Folder of the site. A new or empty folder is taken; any other is refused unless an earlier "
    "report wrote it. A re-run replaces only the files that report wrote (listed in "
    "DIR/.lineage-output.json) and keeps everything else; a listed file changed since is never "
    "overwritten or deleted: the run is refused, naming it.",
)
@db_option
@jobs_option
@max_size_option
@json_option
@quiet_option
@lang_option
@meta_options
def report(
    paths: tuple[str, ...], out: str, db_path: str, jobs: int | None, max_size: float, as_json: bool, quiet: bool
) -> None:
    """Run the pipeline on documents (files or folders) and write an HTML report.

    \b
    Stages: ingest, dedup, graph, trace, pair alignments.  Their results
    are kept in the database: a re-run on an unchanged corpus only renders.
    \b
    Pages: index.html (every document, links to everything), graph.html,
    dedup.html, documents/<doc>.html (text, parts, removed chrome, outline),
    pairs/<a>--<b>.html (one per reuse edge of the graph, and one per
    duplicate copy against its canonical copy) and provenance/<doc>.html
    (each document the graph finds reusing others, traced to those
    sources).  Works offline from file://.  Prints the path of index.html
    (--json: the site's path, page counts, sizes and stage timings).
    glossary.html explains the terms (share, strength, confidence, ...).
    --lang zh|en: the pages' language (default: the locale); the site's
    files and figures are the same in both.
    \b
    The output folder is checked before anything runs: a folder that
    cannot be written, is not empty and not an earlier report, holds the
    inputs or lies inside an input folder is refused in one line (exit 2).
    Each file is replaced with one rename (never half-written); inputs are
    never touched.
    """
    from lineage.report import build, open_site, write_site
    from lineage.report.pipeline import run

    t0 = time.perf_counter()
    seconds: dict[str, float] = {}
    with output_errors():
        site = open_site(out, inputs=paths)  # before the pipeline: a bad --out fails at once
    try:
        with open_store(db_path) as store:
            use_meta(store, quiet)
            results = run(
                list(paths),
                store,
                jobs=jobs,
                max_bytes=int(max_size * 2**20),
                bars=lambda label: _Timed(label, quiet, seconds),
            )
        for path, reason in results.skipped:
            warn(path, reason)
        if not results.docs:
            # always said (even with --quiet): the one outcome a user would otherwise have to infer
            click.echo(_("lineage: no document could be read: no report written to %(out)s", out=out), err=True)
            raise SystemExit(1)
        inputs = [p for ps in results.paths.values() for p in ps]
        with _Timed(N_("writing report"), quiet, seconds) as bar, output_errors():
            stats = write_site(
                build(results, progress=bar, jobs=jobs, lang=i18n.current_language()), site, protect=inputs
            )
    finally:
        site.close()
    static = stats.files - stats.pages
    note(
        _(
            "%(documents)s, %(pages)s written%(static)s, %(mb).1f MiB in %(seconds).1f s -> %(out)s",
            documents=plural(len(results.docs), "document"),
            pages=plural(stats.pages, "page"),
            static=_(" (and %(files)s)", files=plural(static, "static file")) if static else "",
            mb=stats.bytes / 2**20,
            seconds=time.perf_counter() - t0,
            out=out,
        ),
        quiet,
    )
    # where the time went, for a user wondering and for bench/bench_report.py
    stages = _(", ").join(_("%(stage)s %(seconds).1f s", stage=_(k), seconds=v) for k, v in seconds.items())
    note(_("stages: %(stages)s", stages=stages), quiet)
    index = os.path.join(stats.out, "index.html")
    if as_json:
        pages = {d: stats.by_dir[d][0] for d in ("documents", "pairs", "provenance") if d in stats.by_dir}
        emit_json(
            {
                "index": index,
                "out": stats.out,
                "documents": len(results.docs),
                "files": stats.files,
                "bytes": stats.bytes,
                "pages": pages,
                "seconds": {k: round(v, 2) for k, v in seconds.items()},
                "skipped": [{"path": p, "reason": r} for p, r in results.skipped],
            }
        )
    else:
        click.echo(index)


class _Timed(Progress):
    """A progress bar that also records how long its stage took."""

    def __init__(self, label: str, quiet: bool, seconds: dict[str, float]) -> None:
        super().__init__(label, quiet)
        self.seconds = seconds
        self.t0 = time.perf_counter()

    def __exit__(self, *exc: object) -> None:
        super().__exit__(*exc)
        self.seconds[self.label] = time.perf_counter() - self.t0
