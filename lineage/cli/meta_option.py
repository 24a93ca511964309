"""`--meta FILE`, `--meta-columns MAP` and `--date-from-name REGEX`: metadata given beside the documents.

Shared by every command that ingests (``ingest``, ``dedup``, ``graph``,
``report``; any later command takes it the same way): ``@meta_options``
reads and checks the sidecar before the command starts (an unusable
sidecar stops it with one line), and ``use_meta(store, quiet)`` -- called
once the database is open, before anything is ingested or built --
stores its rows and the pattern (see :mod:`lineage.ingest.sidecar`).  Documents
ingested afterwards get their values as they are recorded.  When the
command ends, rows that name no ingested file, name several, or
contradict each other get one line each on stderr (always, even with
``--quiet``), and so does each value it gives that contradicts what the
document's own text says (:func:`warn_superseded`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import click

from lineage.cli.words import plural
from lineage.i18n import _
from lineage.ingest.sidecar import (
    FROM_NAME,
    Sidecar,
    SidecarError,
    compile_date_pattern,
    contradictions,
    display,
    parse_columns,
    read_sidecar,
    register,
    sync,
)
from lineage.store import Store, StoreError

_KEY = "lineage.meta"
_WARNED = "lineage.meta.superseded"  # documents whose contradictions this command has printed


@dataclass
class _Request:
    sidecar: Sidecar | None
    pattern: str | None


def meta_options(f: Callable) -> Callable:
    """Add --meta, --meta-columns and --date-from-name to a command (use_meta applies them)."""

    @functools.wraps(f)
    def wrapper(
        *args: Any, meta_file: str | None, meta_columns: str | None, date_from_name: str | None, **kw: Any
    ) -> Any:
        if meta_columns and not meta_file:
            raise click.UsageError("--meta-columns needs --meta FILE")
        try:
            columns = parse_columns(meta_columns)
            if date_from_name:
                compile_date_pattern(date_from_name)
            sc = read_sidecar(meta_file, columns) if meta_file else None
        except ValueError as e:
            raise click.UsageError(str(e)) from None
        except SidecarError as e:
            raise click.ClickException(str(e)) from None
        click.get_current_context().meta[_KEY] = _Request(sc, date_from_name)
        return f(*args, **kw)

    for opt in (
        click.option(
            "--date-from-name",
            metavar="REGEX",
            default=None,
            help="Read dates from file names: named groups y, m, d (or the first groups: year, month, "
            "day). Stored; '' removes it.",
        ),
        click.option(
            "--meta-columns",
            metavar="MAP",
            default=None,
            help="Sidecar headers for fields, e.g. 'date=发布日期,title=标题,issuer=发文机关,path=文件名'.",
        ),
        click.option(
            "--meta",
            "meta_file",
            metavar="FILE",
            default=None,
            type=click.Path(dir_okay=False),
            help="Metadata sidecar (CSV, JSON Lines, .xlsx): one row per document, keyed by path or file "
            "name, with any of date, title, issuers, jurisdiction, 文号, url. Given values override "
            "what the text says and are stored for later commands.",
        ),
    ):
        wrapper = opt(wrapper)
    return wrapper


def use_meta(store: Store, quiet: bool = False) -> None:
    """Store the sidecar and pattern given to this command (nothing without them); report problems at its end."""
    ctx = click.get_current_context()
    req: _Request | None = ctx.meta.get(_KEY)
    if req is None or (req.sidecar is None and req.pattern is None):
        return
    for w in req.sidecar.warnings if req.sidecar else []:
        click.echo(f"lineage: {w}", err=True)
    register(store, req.sidecar, req.pattern)
    db_path = store.path
    ctx.call_on_close(functools.partial(_report, db_path, req, quiet, ctx))


def warn_superseded(store: Store, shas: list[str] | None = None, ctx: click.Context | None = None) -> list[str]:
    """Print (always, even with --quiet) and return one line per given value that replaced a different one the
    document's text gives (see :func:`lineage.ingest.sidecar.contradictions`): of the documents ``shas``, and
    of those the sidecar or pattern given to this command gives values to.  Each document once a command."""
    ctx = ctx or click.get_current_context()
    req: _Request | None = ctx.meta.get(_KEY)
    found = contradictions(store, shas) if shas else []
    if req is not None and req.sidecar is not None:
        found += contradictions(store, source=req.sidecar.path)
    if req is not None and req.pattern:
        found += contradictions(store, source=FROM_NAME)
    warned: set[str] = ctx.meta.setdefault(_WARNED, set())
    lines = [(sha, w) for sha, w in dict.fromkeys(found) if sha not in warned]
    for _sha, w in lines:
        click.echo(f"lineage: {w}", err=True)
    warned.update(sha for sha, _w in lines)
    return [w for _sha, w in lines]


def _report(db_path: str, req: _Request, quiet: bool, ctx: click.Context) -> None:
    """Once the command has ingested what it was given: rows that could not be applied, and a count."""
    if db_path == ":memory:":
        return
    source = req.sidecar.path if req.sidecar else None
    try:
        with Store(db_path, create=False) as store:
            rep = sync(store)
            shown = rep.warnings(source) if source else rep.names
            for w in shown:
                click.echo(f"lineage: {w}", err=True)
            warn_superseded(store, ctx=ctx)
    except StoreError:  # the command already said what is wrong with the database
        return
    if not quiet:
        what = (
            f"{display(req.sidecar.path)}: {plural(len(req.sidecar.rows), 'row')}"
            if req.sidecar
            else "--date-from-name"
        )
        click.echo(
            _("%(what)s; %(documents)s have given metadata", what=what, documents=plural(rep.documents, "document")),
            err=True,
        )
