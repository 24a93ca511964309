"""`lineage export graph|passages`: the lineage graph for Gephi and networkx, its reused passages for pandas.

Formats and columns are described in lineage/explore/export.py and the README.
Without --out, GraphML, GEXF and the passage files go to standard output;
``--format csv`` of the graph writes ``nodes.csv``, ``edges.csv`` and
``lineage-export.json`` into the folder --out names.  A file that exists
and was not written by lineage is not replaced without --force.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

import click

from lineage.cli.app import cli, jobs_option, lang_option, note, open_store, output_errors, quiet_option
from lineage.cli.graph_cmd import StageBars
from lineage.cli.search_cmd import read_db_option
from lineage.cli.words import plural
from lineage.explore import export
from lineage.graph.pipeline import DEFAULT_MIN_SEQUENTIAL, DEFAULT_MIN_SHARE, Graph, build_graph
from lineage.i18n import _
from lineage.store import Store


@cli.group("export")
def export_group() -> None:
    """Export the lineage graph (GraphML, GEXF, CSV) or its reused passages (CSV, JSON Lines)."""


def _options(out_help: str) -> Callable[[Callable], Callable]:
    return lambda f: _with_options(f, out_help)


def _with_options(f: Callable, out_help: str) -> Callable:
    f = lang_option(quiet_option(jobs_option(read_db_option(f))))
    f = click.option(
        "--min-sequential",
        type=click.FloatRange(0.0, 1.0),
        default=DEFAULT_MIN_SEQUENTIAL,
        show_default=True,
        help="As `lineage graph`: in a corpus with a background of stock text, the "
        "share of either document reused sentence for sentence, in order.",
    )(f)
    f = click.option(
        "--min-share",
        type=click.FloatRange(0.0, 1.0),
        default=DEFAULT_MIN_SHARE,
        show_default=True,
        help="Reuse edges whose shared non-formulaic text is at least this share of either document "
        "(as `lineage graph`; 0 with --min-sequential 0: every reuse edge, the figure `lineage graph` "
        "gives as 'in all').",
    )(f)
    f = click.option("--force", is_flag=True, help="Replace a file lineage did not write.")(f)
    return click.option(
        "--out",
        "out",
        metavar="PATH",
        type=click.Path(),
        help=out_help,
    )(f)


def _graph(store: Store, db_path: str, jobs: int | None, min_share: float, min_sequential: float, quiet: bool) -> Graph:
    """The graph of the whole database: the cached one, else built (with progress bars)."""
    if not store.count():
        raise click.ClickException(_("%(db)s: no documents (run 'lineage ingest' first)", db=db_path))
    bars = StageBars(quiet)
    g = build_graph(store, jobs=jobs, progress=bars)
    bars.close()
    return g.filtered(min_share, min_sequential)


def _check_out(out: str | None, force: bool, folder: bool = False) -> None:
    """Refuse an --out lineage will not or cannot write before any work (checked again when writing)."""
    if out is None:
        return
    with output_errors():
        if folder:
            export.check_folder(out, force)
        else:
            export.check_target(out, force)


def _emit(out: str | None, data: bytes, force: bool) -> None:
    if out is None:
        # the BOM tells a spreadsheet a file is UTF-8; a pipe's reader (head, grep, pandas) would take it as text
        data = data.removeprefix("\ufeff".encode("utf-8"))
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    with output_errors():
        export.write_file(out, data, force)


@export_group.command("graph")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(export.GRAPH_FORMATS),
    default="graphml",
    show_default=True,
    help="graphml and gexf: one file (Gephi, networkx.read_graphml / read_gexf); csv: nodes.csv and "
    "edges.csv in the folder --out names (pandas).",
)
@_options("File to write [default: standard output]; with --format csv, the folder for nodes.csv and edges.csv.")
def export_graph(
    fmt: str,
    out: str | None,
    force: bool,
    min_share: float,
    min_sequential: float,
    db_path: str,
    jobs: int | None,
    quiet: bool,
) -> None:
    """Export the lineage graph: every node and edge with every attribute.

    Nested fields are flattened (jurisdiction_name, chars_identical), lists
    are JSON strings, numbers numbers, dates strings.  The graph cached by
    `lineage graph` is used, or built.
    """
    if fmt == "csv" and not out:
        raise click.UsageError("--format csv writes nodes.csv and edges.csv: give the folder with --out")
    _check_out(out, force, folder=fmt == "csv")
    with open_store(db_path, create=False) as store:
        g = _graph(store, db_path, jobs, min_share, min_sequential, quiet)
    if fmt == "csv":
        assert out, "checked above"
        files, meta = export.graph_csv(g)
        meta["graph"] = {
            "min_share": min_share,
            "min_sequential": min_sequential,
            "nodes": len(g.nodes),
            "edges": len(g.edges),
        }
        with output_errors():
            export.write_csv_dir(out, files, meta, force)
    else:
        _emit(out, export.graphml(g) if fmt == "graphml" else export.gexf(g), force)
    if out:
        note(
            _(
                "%(nodes)s, %(edges)s -> %(out)s",
                nodes=plural(len(g.nodes), "node"),
                edges=plural(len(g.edges), "edge"),
                out=out,
            ),
            quiet,
        )


@export_group.command("passages")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(export.PASSAGE_FORMATS),
    default="csv",
    show_default=True,
    help="csv (spans as *_start/*_end columns) or jsonl (one JSON object a line, spans as [s, e]).",
)
@_options("File to write [default: standard output, without the BOM a CSV file starts with].")
def export_passages(
    fmt: str,
    out: str | None,
    force: bool,
    min_share: float,
    min_sequential: float,
    db_path: str,
    jobs: int | None,
    quiet: bool,
) -> None:
    """Export every passage of the graph's reuse edges: both texts, both spans, relation, direction, dates.

    One row per aligned passage, counted or not (formulaic and
    common-source passages say so), with the edge's direction status,
    confidence and shares, and both documents' titles, dates and
    jurisdictions.
    """
    _check_out(out, force)
    with open_store(db_path, create=False) as store:
        g = _graph(store, db_path, jobs, min_share, min_sequential, quiet)
        rows = list(export.passages(g, store))
    _emit(out, export.passages_csv(rows) if fmt == "csv" else export.passages_jsonl(rows), force)
    if out:
        note(
            _(
                "%(passages)s of %(edges)s -> %(out)s",
                passages=plural(len(rows), "passage"),
                edges=plural(sum(e["kind"] == "reuse" for e in g.edges), "reuse edge"),
                out=out,
            ),
            quiet,
        )
