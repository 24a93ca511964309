"""`lineage serve`: a thin click command over lineage.serve (a local web application over the database)."""

from __future__ import annotations

import os

import click

from lineage.cli.app import cli
from lineage.cli.meta_option import meta_options, use_meta
from lineage.cli.words import store_text
from lineage.i18n import _
from lineage.store import DEFAULT_DB, Store, StoreError


class ServeError(click.ClickException):
    exit_code = 1


@cli.command("serve")
@click.option(
    "--db",
    "db_path",
    default=lambda: os.environ.get("LINEAGE_DB", DEFAULT_DB),
    show_default=DEFAULT_DB,
    metavar="PATH",
    help="An existing SQLite database (never created). Env: LINEAGE_DB.",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. The default answers this machine only; anything else exposes the "
    "corpus to the network.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port to listen on (0: any free port, printed).",
)
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default=None,
    help="Language of the pages [default: the locale]; a page's ?lang=zh|en overrides it.",
)
@click.option(
    "-q",
    "--quiet",
    is_flag=True,
    help="No line per request on stderr (the URL is still printed: with --port 0 it is the only way to know it).",
)
@meta_options
def serve_cmd(db_path: str, host: str, port: int, lang: str | None, quiet: bool) -> None:
    """Browse the database in a web browser: documents, pairs, clause search, the interactive graph.

    \b
    Pages (each with a JSON twin under /api/):
      /                 documents: sort, filter by date, province, level, title (paged on the server)
      /doc/SHA          a document, its reused passages highlighted and linked to the other side
      /pair/A/B         a reuse edge of the graph, its passages side by side
      /search?q=TEXT    the documents holding a clause, its diffusion by year and province
      /graph            the lineage graph: zoom, pan, filters, one document's neighbourhood

    Reads the store on demand (the graph cached by `lineage graph` or `lineage report`; it is
    never built here).  Stop with Ctrl-C (exit 130).
    """
    try:
        from lineage.serve import run
    except ModuleNotFoundError as e:
        # Flask is an extra (`make report` installs lineage without it): say how to get it, as
        # the Dask engine does, rather than end in a traceback.
        if (e.name or "").partition(".")[0] not in ("flask", "werkzeug"):
            raise
        raise ServeError(_("lineage serve needs Flask: pip install 'lineage[serve]'")) from None

    if not os.path.isfile(db_path):
        raise ServeError(_("%(path)s: no database here (run 'lineage ingest' or 'lineage graph' first)", path=db_path))
    try:
        with Store(db_path, create=False) as store:
            use_meta(store)
            from lineage.ingest.sidecar import sync

            sync(store)
    except StoreError as e:
        raise ServeError(store_text(str(e))) from None

    if quiet:
        import logging

        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # the server's request log

    def ready(url: str) -> None:
        click.echo(f"lineage: serving {db_path} at {url} (Ctrl-C stops)", err=True)

    try:
        run(db_path, host=host, port=port, lang=lang, ready=ready)
    except OSError as e:
        raise ServeError(f"cannot listen on {host}:{port}: {e.strerror or e}") from None
