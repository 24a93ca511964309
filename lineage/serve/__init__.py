"""`lineage serve`: a local web application over the SQLite store (documents, pairs, search, the graph).

:func:`create_app` builds the Flask application; :func:`run` serves it with
Werkzeug's server, single-threaded, on 127.0.0.1 unless told otherwise.
"""

from __future__ import annotations

from typing import Any

from lineage.serve.app import create_app

__all__ = ["create_app", "run"]


def run(db_path: str, host: str = "127.0.0.1", port: int = 8000, lang: str | None = None, ready: Any = None) -> None:
    """Serve until interrupted.  ``ready(url)`` is called once the socket listens.

    Single-threaded on purpose: one SQLite connection serves every request
    (sqlite3 connections belong to one thread), pages are computed in tens of
    milliseconds, and Ctrl-C then stops one thread with nothing left behind.
    Beside it, a daemon thread with its own connection builds the search index
    at start (see :func:`create_app`); it only writes caches, each in one
    transaction, so stopping the process mid-build loses nothing but time.
    """
    from werkzeug.serving import make_server

    app = create_app(db_path, lang, prepare_search=True)
    server = make_server(host, port, app, threaded=False)
    try:
        if ready is not None:
            ready(f"http://{_host(host)}:{server.server_port}/")
        server.serve_forever()
    finally:
        server.server_close()
        app.config["lineage.state"].store.close()


def _host(host: str) -> str:
    return f"[{host}]" if ":" in host else host
