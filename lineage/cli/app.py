"""The click group, the options and helpers every command shares, and :func:`main` (signals, exit codes).

Every command takes ``--db`` (default ``.lineage/lineage.db``, or
``$LINEAGE_DB``), ``--quiet`` and, where it prints results, ``--json``.
Problems with single inputs are one line each on stderr, naming the file
and the reason; the exit code is 1 only when nothing could be done, 2 for
a usage error or an output folder lineage will not write into.  Ctrl-C
(SIGINT) or SIGTERM stops any command within a second or two: finally
blocks roll back open transactions, stop worker processes and remove
temporary files, then one line says so and the exit code is 130 (143).
"""

from __future__ import annotations

import importlib
import json
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar

from lineage import __version__, i18n
from lineage.i18n import _
from lineage.owned import OutputError
from lineage.store import DEFAULT_DB, Store, StoreError


def db_option(f: Callable) -> Callable:
    return click.option(
        "--db",
        "db_path",
        default=lambda: os.environ.get("LINEAGE_DB", DEFAULT_DB),
        show_default=DEFAULT_DB,
        metavar="PATH",
        help="SQLite database; made if missing by a command given documents to read (the others refuse a missing "
        "one). Env: LINEAGE_DB.",
    )(f)


def quiet_option(f: Callable) -> Callable:
    return click.option("-q", "--quiet", is_flag=True, help="No progress bars or notes on stderr.")(f)


def json_option(f: Callable) -> Callable:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON (see README for the schema).")(f)


def jobs_option(f: Callable) -> Callable:
    return click.option(
        "-j", "--jobs", type=click.IntRange(1, 256), default=None, help="Worker processes [default: number of CPUs]."
    )(f)


LANG_HELP = "Language of messages and pages: zh (Chinese) or en. Default: from the locale (LINEAGE_LANG, LC_ALL, LC_MESSAGES, LANG)."


def _set_lang(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    # The group's option runs first on every invocation (None: the locale decides); a command's own --lang,
    # given after the command name, overrides it.  Each is undone when its command closes, so a program
    # invoking the CLI in-process (tests, CliRunner) keeps its own language.
    if value is not None or ctx.parent is None:
        ctx.call_on_close(i18n.push_language(value))


def lang_option(f: Callable) -> Callable:
    return click.option(
        "--lang",
        type=click.Choice(i18n.LANGUAGES),
        default=None,
        expose_value=False,
        is_eager=True,
        callback=_set_lang,
        help=LANG_HELP,
    )(f)


# --json output with a list longer than this (2,400 documents' metadata, a long document's units)
# is indented two levels deep only: the indenting encoder is pure Python and took a second for
# 2,400 documents, the C one a twentieth of that.
INDENT_ALL_UP_TO = 100


def emit_json(obj: Any) -> None:
    values = obj.values() if isinstance(obj, dict) else [obj]
    if any(isinstance(v, list) and len(v) > INDENT_ALL_UP_TO for v in values):
        click.echo(_outer_indented(obj, 0))
    else:
        click.echo(json.dumps(obj, ensure_ascii=False, indent=2))


def _outer_indented(obj: Any, depth: int, levels: int = 2) -> str:
    """JSON with the outer ``levels`` of objects and arrays indented and what is inside them on one
    line each (one document per line in a list of thousands); the same data as ``json.dumps``."""
    if depth >= levels or not isinstance(obj, (dict, list)) or not obj:
        return json.dumps(obj, ensure_ascii=False)
    pad, inner = "  " * depth, "  " * (depth + 1)
    if isinstance(obj, dict):
        # json.dumps turns a key into a string its own way (True -> "true"): let it
        keys = json.loads(json.dumps(dict.fromkeys(obj, 0)))
        items = [
            f"{inner}{json.dumps(k, ensure_ascii=False)}: {_outer_indented(v, depth + 1, levels)}"
            for k, v in zip(keys, obj.values(), strict=True)
        ]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    items = [inner + _outer_indented(v, depth + 1, levels) for v in obj]
    return "[\n" + ",\n".join(items) + "\n" + pad + "]"


def note(msg: str, quiet: bool = False) -> None:
    if not quiet:
        click.echo(msg, err=True)


def warn(path: str, reason: str) -> None:
    """One line per problem input, always shown (even with --quiet)."""
    from lineage.ingest.words import reason_text  # imported when a file is skipped: the ingest package is heavy

    click.echo(_("lineage: skipped %(path)s: %(reason)s", path=path, reason=reason_text(reason)), err=True)


class OutputRefused(click.ClickException):
    exit_code = 2


@contextmanager
def output_errors() -> Iterator[None]:
    """An output folder lineage will not or cannot write into: one line, exit 2."""
    try:
        yield
    except OutputError as e:
        from lineage.cli.words import output_text

        raise OutputRefused(output_text(str(e))) from None


@contextmanager
def open_store(db_path: str, create: bool = True) -> Iterator[Store]:
    from lineage.cli.words import store_text

    try:
        store = Store(db_path, create=create)
    except StoreError as e:
        raise click.ClickException(store_text(str(e))) from None
    try:
        yield store
    finally:
        store.close()


class Progress:
    """A click progress bar on stderr that stays silent with --quiet or when nothing is to do."""

    def __init__(self, label: str, quiet: bool) -> None:
        self.label = label
        self.quiet = quiet
        self.bar: ProgressBar[str | None] | None = None
        self.done = 0

    def __call__(self, done: int, total: int, item: str = "") -> None:
        if self.quiet or total <= 0:
            return
        if self.bar is None:
            self.bar = click.progressbar(
                length=total, label=_(self.label), file=sys.stderr, show_pos=True, item_show_func=lambda x: x
            )
            self.bar.__enter__()
        self.bar.update(done - self.done, os.path.basename(item) if item else "")
        self.done = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


# Which module defines each command.  A command's module (and what it imports: the aligner,
# jinja2, Flask...) is imported only when that command runs or help lists it, so `lineage
# ingest` does not pay a third of a second to import what `lineage report` needs.
COMMAND_MODULES = {
    "align": "align_cmd",
    "dedup": "dedup_cmd",
    "diffusion": "search_cmd",
    "export": "export_cmd",
    "graph": "graph_cmd",
    "ingest": "ingest_cmd",
    "report": "report_cmd",
    "search": "search_cmd",
    "serve": "serve_cmd",
    "show": "ingest_cmd",
    "trace": "align_cmd",
}


class LazyGroup(click.Group):
    """A group whose commands register themselves when their module is imported, on demand."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(COMMAND_MODULES))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMAND_MODULES:
            importlib.import_module(f"lineage.cli.{COMMAND_MODULES[cmd_name]}")
        return super().get_command(ctx, cmd_name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="lineage")
@lang_option
def cli() -> None:
    """Trace how policy text travels between Chinese government documents.

    \b
    Typical use (one database, .lineage/lineage.db unless --db):
      lineage report corpus/ --out reports/   the whole pipeline, as HTML pages
      lineage dedup scraped/ --out kept/      scraped copies grouped into versions; one file kept each
      lineage graph                           who reused whom in the database, with the evidence
      lineage trace city_plan.txt             where each clause of a document came from
      lineage search "十联动"                  every document holding a clause or a near variant
      lineage serve                           browse the database in a web browser
      lineage show corpus/000_*.txt           one document: metadata, outline, removed chrome, units

    --lang zh|en (here or after any command) chooses Chinese or English messages and report pages;
    the default follows the locale (LANG=zh_CN.UTF-8: Chinese).

    Ctrl-C stops any command within a second or two (exit 130; SIGTERM: 143),
    stopping its worker processes and removing its temporary files.
    """


class Interrupted(BaseException):
    """SIGINT or SIGTERM, raised in the main thread: the stack unwinds (every ``finally`` and
    ``with`` cleans up) up to :func:`main`.  Not an ``Exception``, so no handler swallows it,
    and not a ``KeyboardInterrupt``, which click would turn into "Aborted!" and exit 1."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


_SIGNALS = (signal.SIGINT, signal.SIGTERM)
_STATE = {"main": 0, "raised": 0, "lost": 0}  # main()'s pid; the signal raised; one raised but swallowed


def _on_signal(signum: int, frame: object) -> None:
    if os.getpid() != _STATE["main"]:
        # A worker forked a moment ago, before lineage.workers set its own handling: act as it will.
        if signum == signal.SIGINT:
            return
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
        return
    if _STATE["raised"] and not _STATE["lost"]:
        os._exit(128 + signum)  # a second one while cleaning up: stop without waiting
    _STATE["raised"], _STATE["lost"] = signum, 0
    raise Interrupted(signum)


def _unraisable(args: Any) -> None:
    """Interrupted raised where Python cannot propagate it (say, in an at-fork hook while a pool
    starts a worker): it would be lost and the command run on, so deliver the signal again."""
    if isinstance(args.exc_value, Interrupted):
        _STATE["lost"] = args.exc_value.signum
        timer = threading.Timer(0.05, os.kill, (os.getpid(), args.exc_value.signum))
        timer.daemon = True
        timer.start()
        return
    sys.__unraisablehook__(args)


def main() -> None:
    _STATE.update(main=os.getpid(), raised=0, lost=0)
    for s in _SIGNALS:
        signal.signal(s, _on_signal)
    sys.unraisablehook = _unraisable
    try:
        cli(prog_name="lineage")
    except Interrupted as e:
        what = (
            _("interrupted (Ctrl-C)")
            if e.signum == signal.SIGINT
            else _("stopped by %(signal)s", signal=signal.Signals(e.signum).name)
        )
        click.echo(_("lineage: %(what)s", what=what), err=True)
        sys.exit(128 + e.signum)
