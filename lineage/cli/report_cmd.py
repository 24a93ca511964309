"""`lineage report`: run the pipeline and write the HTML site."""

from __future__ import annotations

import os
import time

import click

from . import Progress, cli, db_option, emit_json, jobs_option, json_option, note, open_store, quiet_option, warn
from .ingest_cmd import max_size_option


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(readable=False))
@click.option("-o", "--out", default="reports", show_default=True, metavar="DIR", type=click.Path(file_okay=False),
              help="Folder of the site (replaced atomically; files the report does not own are kept).")
@db_option
@jobs_option
@max_size_option
@json_option
@quiet_option
def report(paths, out, db_path, jobs, max_size, as_json, quiet):
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
    """
    from ..report import build, write_site
    from ..report.pipeline import run

    t0 = time.perf_counter()
    seconds: dict[str, float] = {}
    with open_store(db_path) as store:
        results = run(list(paths), store, jobs=jobs, max_bytes=int(max_size * 2**20),
                      bars=lambda label: _Timed(label, quiet, seconds))
    for path, reason in results.skipped:
        warn(path, reason)
    if not results.docs:
        raise SystemExit(1)
    with _Timed("writing report", quiet, seconds) as bar:
        stats = write_site(build(results, progress=bar, jobs=jobs), out)
    note(f"{len(results.docs)} documents, {stats.files} files, {stats.bytes / 2**20:.1f} MiB in "
         f"{time.perf_counter() - t0:.1f} s -> {out}", quiet)
    # where the time went, for a user wondering and for bench/bench_report.py
    note("stages: " + ", ".join(f"{k} {v:.1f} s" for k, v in seconds.items()), quiet)
    index = os.path.join(stats.out, "index.html")
    if as_json:
        pages = {d: len(os.listdir(os.path.join(stats.out, d))) for d in ("documents", "pairs", "provenance")
                 if os.path.isdir(os.path.join(stats.out, d))}
        emit_json({"index": index, "out": stats.out, "documents": len(results.docs), "files": stats.files,
                   "bytes": stats.bytes, "pages": pages, "seconds": {k: round(v, 2) for k, v in seconds.items()},
                   "skipped": [{"path": p, "reason": r} for p, r in results.skipped]})
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
