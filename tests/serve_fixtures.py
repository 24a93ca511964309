"""A real `lineage serve` process on a free port, and the databases the serve tests run it on."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@contextmanager
def served(db: str, *extra: str) -> Iterator[tuple[str, subprocess.Popen]]:
    """`python -m lineage serve --db DB --port 0`: yields its URL; stopped with Ctrl-C (SIGINT) afterwards."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "lineage", "serve", "--db", db, "--port", "0", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        url = None
        deadline = time.time() + 60
        while time.time() < deadline:
            line = proc.stderr.readline()
            if not line:
                break
            if " at http://" in line:
                url = line.split(" at ", 1)[1].split()[0]
                break
        assert url, f"the server did not start: {proc.stderr.read() if proc.poll() is not None else '(no line)'}"
        yield url.rstrip("/"), proc
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def api(url: str) -> dict:
    """GET a JSON page of a running server."""
    import json
    import urllib.request

    with urllib.request.urlopen(url) as r:
        return json.loads(r.read().decode("utf-8"))


def graph_db(run_cli, folder: str, db: str) -> str:
    """A database holding FOLDER's documents and their lineage graph (what `lineage graph` caches)."""
    r = run_cli("graph", folder, "--db", db, "-q", "-j", "2")
    assert r.exit_code == 0, r.output
    return db


def generated_db(run_cli, tmp: str, docs: int, seed: int = 1) -> str:
    """bench/generate.py's lineage corpus of DOCS documents, ingested and its graph built."""
    sys.path.insert(0, ROOT)
    from bench.generate import generate

    out = os.path.join(tmp, f"gen{docs}")
    generate("lineage", out, seed=seed, jobs=2, docs=docs)
    return graph_db(run_cli, out, os.path.join(tmp, f"gen{docs}.db"))


@contextmanager
def client_of(db: str, **kw: object) -> Iterator[object]:
    """A Flask test client of ``serve`` over ``db``, its store closed afterwards."""
    from lineage.serve import create_app

    app = create_app(db, **kw)
    try:
        yield app.test_client()
    finally:
        app.config["lineage.state"].store.close()


def tap(page, element_id: str) -> None:
    """Tap an element of the interactive graph, as a click on it does.  The script returns nothing on purpose:
    `emit` returns its cytoscape collection, which reaches the whole graph, and Playwright serializing that
    as the script's result ran Chromium's renderer out of memory ("Target crashed")."""
    page.page.evaluate("id => { window.lineageGraph.cy.getElementById(id).emit('tap'); }", element_id)
