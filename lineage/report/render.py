"""Jinja2 rendering of page data.

Autoescape is on for every template (``autoescape=True``, not by file
extension: ``*.html.j2`` would not match ``select_autoescape``'s default
list and would silently render unescaped), and undefined names raise
(``StrictUndefined``), so a template typo fails the build instead of
printing nothing.  Document text only ever reaches templates as data, never
as template source, so ``{{ 7*7 }}`` in a document is printed as it is.
"""

from __future__ import annotations

import base64
import hashlib
from functools import cache
from importlib import resources
from typing import Any

import jinja2
from markupsafe import Markup

from lineage import __version__, i18n
from lineage.dates import kind_word
from lineage.graph.edges import share_text
from lineage.graph.words import CHAR_KINDS, NOT_COUNTED
from lineage.report import rows

# graph.js draws the interactive graph with cytoscape.js, vendored (MIT, its licence beside it; README)
STATIC_FILES = ("report.css", "report.js", "graph.js", "cytoscape.min.js", "cytoscape-license.txt")


@cache
def static_text(name: str) -> str:
    return (resources.files("lineage.report") / "static" / name).read_text(encoding="utf-8")


def _pct(v: float | None, digits: int = 0) -> str:
    if v is None:
        return "–"
    return f"{v * 100:.{digits}f}%"


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KiB"
    return f"{n / 1024 / 1024:.1f} MiB"


def _num(v: Any, digits: int = 0) -> str:
    if v is None:
        return "–"
    if isinstance(v, float) and digits:
        return f"{v:.{digits}f}"
    return f"{round(v):,}"


class _TemplateCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept between runs, where jinja2 keeps them by default (a folder of the user's own in
    the temporary directory, checked to be theirs): compiling the templates was 0.8 s of a warm report of the
    sample corpus (1.3 s).  A template's entry is keyed by its source, so an edited template compiles again;
    an entry that cannot be read or written is no entry."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except OSError:
            pass

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def _template_cache() -> jinja2.BytecodeCache | None:
    try:
        return _TemplateCache()
    except (OSError, RuntimeError):  # no temporary folder of the user's own: compile each time
        return None


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("lineage.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=_template_cache(),
    )
    env.filters.update(pct=_pct, share=share_text, size=_size, num=_num, kind_word=kind_word)
    env.globals.update(row_html=rows.pair_row, entry_html=rows.provenance_entry, toks_html=rows.toks, tag_html=rows.tag)
    # an edge's characters, named as the CLI names them
    env.globals.update(char_labels={**CHAR_KINDS, **NOT_COUNTED}, counted_kinds=tuple(CHAR_KINDS))
    i18n.install(env)  # _() and ngettext() follow the current language (lineage.i18n.language)
    return env


def _sha256_source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def csp(inline: bool) -> str:
    """Content-Security-Policy: only our own script runs, even if escaping ever failed.

    Site pages load report.js beside them ('self'; under file:// Chromium
    treats the page's own directory tree as 'self'); standalone pages allow
    exactly the inline script they carry, by hash.
    """
    script = _sha256_source(static_text("report.js")) if inline else "'self'"
    return (
        f"default-src 'none'; script-src {script}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "base-uri 'none'; form-action 'none'"
    )


def render(template: str, page: Any, root: str = "", inline: bool = False, **extra: Any) -> str:
    """Render ``template`` with ``page`` (its data model).

    ``root`` is the relative path from the page to the site root; ``inline``
    embeds CSS and JS (standalone pages written by ``align``/``trace --html``).
    """
    env = environment()
    ctx = {
        "page": page,
        "root": root,
        "inline": inline,
        "version": __version__,
        "csp": csp(inline),
        "css": Markup(static_text("report.css")) if inline else "",
        "js": Markup(static_text("report.js")) if inline else "",
    }
    ctx.update(extra)
    return env.get_template(template).render(**ctx)
