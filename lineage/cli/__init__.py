"""The command line: thin click commands over the library.

Every command takes ``--db`` (default ``.lineage/lineage.db``, or
``$LINEAGE_DB``), ``--quiet`` and, where it prints results, ``--json``.
Problems with single inputs are one line each on stderr, naming the file
and the reason; the exit code is 1 only when nothing could be done.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click

from .. import __version__
from ..store import DEFAULT_DB, Store, StoreError


def db_option(f: Callable) -> Callable:
    return click.option("--db", "db_path", default=lambda: os.environ.get("LINEAGE_DB", DEFAULT_DB),
                        show_default=DEFAULT_DB, metavar="PATH",
                        help="SQLite database (created if missing). Env: LINEAGE_DB.")(f)


def quiet_option(f: Callable) -> Callable:
    return click.option("-q", "--quiet", is_flag=True, help="No progress bars or notes on stderr.")(f)


def json_option(f: Callable) -> Callable:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON (see README for the schema).")(f)


def jobs_option(f: Callable) -> Callable:
    return click.option("-j", "--jobs", type=click.IntRange(1, 256), default=None,
                        help="Worker processes [default: number of CPUs].")(f)


def emit_json(obj: Any) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=False))


def note(msg: str, quiet: bool = False) -> None:
    if not quiet:
        click.echo(msg, err=True)


def warn(path: str, reason: str) -> None:
    """One line per problem input, always shown (even with --quiet)."""
    click.echo(f"lineage: skipped {path}: {reason}", err=True)


@contextmanager
def open_store(db_path: str, create: bool = True) -> Iterator[Store]:
    try:
        store = Store(db_path, create=create)
    except StoreError as e:
        raise click.ClickException(str(e)) from None
    try:
        yield store
    finally:
        store.close()


class Progress:
    """A click progress bar on stderr that stays silent with --quiet or when nothing is to do."""

    def __init__(self, label: str, quiet: bool) -> None:
        self.label = label
        self.quiet = quiet
        self.bar = None
        self.done = 0

    def __call__(self, done: int, total: int, item: str = "") -> None:
        if self.quiet or total <= 0:
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr,
                                         show_pos=True, item_show_func=lambda x: x)
            self.bar.__enter__()
        self.bar.update(done - self.done, os.path.basename(item) if item else "")
        self.done = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="lineage")
def cli() -> None:
    """Trace how policy text travels between Chinese government documents.

    \b
    Typical use:
      lineage ingest corpus/            read documents into the database
      lineage show corpus/000_*.txt     metadata, outline, removed chrome, units
    """


def main() -> None:
    cli(prog_name="lineage")


from . import ingest_cmd  # noqa: E402,F401  (registers commands)
from . import report_cmd  # noqa: E402,F401
from . import align_cmd  # noqa: E402,F401
from . import dedup_cmd  # noqa: E402,F401
from . import graph_cmd  # noqa: E402,F401
from . import search_cmd  # noqa: E402,F401
from . import export_cmd  # noqa: E402,F401
