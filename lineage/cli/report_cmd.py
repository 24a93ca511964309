"""`lineage report`: run the pipeline and write the HTML site."""

from __future__ import annotations

import os
import time

import click

from . import Progress, cli, db_option, jobs_option, note, open_store, quiet_option, warn
from .ingest_cmd import max_size_option


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--out", default="reports", show_default=True, metavar="DIR", type=click.Path(file_okay=False),
              help="Folder of the site (replaced atomically; files the report does not own are kept).")
@db_option
@jobs_option
@max_size_option
@quiet_option
def report(paths, out, db_path, jobs, max_size, quiet):
    """Run the pipeline on documents (files or folders) and write an HTML report.

    \b
    Pages: index.html (every document, links to everything), graph.html,
    dedup.html, documents/<doc>.html (text, parts, removed chrome, outline),
    pairs/<a>--<b>.html and provenance/<doc>.html.  Works offline from
    file://.  Prints the path of index.html.
    """
    from ..report import build, write_site
    from ..report.pipeline import run

    t0 = time.perf_counter()
    with open_store(db_path) as store:
        results = run(list(paths), store, jobs=jobs, max_bytes=int(max_size * 2**20),
                      bars=lambda label: Progress(label, quiet))
    for path, reason in results.skipped:
        warn(path, reason)
    if not results.docs:
        raise SystemExit(1)
    with Progress("writing report", quiet) as bar:
        stats = write_site(build(results, progress=bar), out)
    note(f"{len(results.docs)} documents, {stats.files} files, {stats.bytes / 2**20:.1f} MiB in "
         f"{time.perf_counter() - t0:.1f} s -> {out}", quiet)
    click.echo(os.path.join(stats.out, "index.html"))
