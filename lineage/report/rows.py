"""Pair rows and provenance entries as HTML: the bulk of a large report.

A pair page of a clause-level alignment has about a thousand rows, and a
provenance page an entry per reused span.  Written as Jinja macros, a macro
call with its translations and escaping per row was most of a large
report's rendering (1,000 generated documents, 157,000 rows: about half of
53.6 s of page writing in one process).  These functions write the same
bytes the macros wrote (the golden pages, and a whole generated site,
compare equal); the templates call them for each row.  Escaping is as
autoescape did it: every value from the data is escaped; a translated
message is markup, its variables escaped unless they are markup themselves.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from lineage.graph.words import set_aside_text
from lineage.i18n import gettext
from lineage.report.data import Cell, MatchView, Row, Tag

_WRAP = {
    "del": ("<del>", "</del>"),
    "ins": ("<ins>", "</ins>"),
    "hit": ("<mark>", "</mark>"),
    "ctx": ('<span class="ctx">', "</span>"),
}


# markupsafe.escape's replacements, as str.translate does them: the same bytes without a Markup object per value
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "'": "&#39;", '"': "&#34;"})


def _(message: str, **variables: Any) -> Markup:
    """What a template's ``_()`` gives (jinja2's newstyle gettext with autoescape: always a format string)."""
    text = gettext(message)
    return Markup(text) % variables if variables or "%" in text else Markup(text)


def escape(value: Any) -> str:
    """Autoescape of one value: markup as it is, anything else as text with & < > ' " escaped."""
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return str(value).translate(_ESCAPES)


def toks(cell: Cell) -> Markup:
    """A cell's text runs: plain, deleted, inserted, the matched span or the context around it."""
    out = []
    for t in cell.toks:
        text = t.text.translate(_ESCAPES)
        wrap = _WRAP.get(t.op)
        out.append(f"{wrap[0]}{text}{wrap[1]}" if wrap else text)
    return Markup("".join(out))


def tag(t: Tag | None) -> Markup:
    """A badge for what the graph does not count (the legend explains the kinds).  The label is escaped: a
    common source's is "common source: " and its node's title, which is a document's own title where the
    corpus holds a copy of the known text (the macro this replaces printed it as markup)."""
    if not t:
        return Markup("")
    return Markup(f'<span class="bd tag {escape(t.kind)}" title="{_(t.why)}">{escape(gettext(t.label))}</span>')


def pair_row(r: Row, page: Any, in_run: bool = False) -> Markup:
    """One row of a pair page: its badges, then each side's text.

    Rows stay lean: an identical row inside a collapsed run carries no badge (the run's summary says what
    they are), and cells carry only their unit anchor (``data-u``); report.js turns it into a link to the
    document page named once on ``.rows``."""
    cls = (
        f"r {escape(r.rel)}"
        + (" formulaic" if r.formulaic else "")
        + (f" {escape(r.tag.kind)}" if r.tag else "")
        + (" chg" if r.change else "")
        + (" ghost" if r.ghost else "")
    )
    out = [f'<div id="{escape(r.id)}" class="{cls}">']
    if not (in_run and not r.formulaic):
        out.append(f'<div class="b"><span class="bd {escape(r.rel)}">{_(page.rel_names.get(r.rel, r.rel))}</span>')
        if r.formulaic:
            out.append(f'<span class="bd formulaic">{_("formulaic")}</span>')
        out.append(tag(r.tag))
        if r.score is not None and r.rel != "identical":
            out.append(f'<span class="sc" title="{_("score")}">{round(r.score):,}</span>')
        if r.partner:
            if r.ghost:
                moved = _("to %(side)s position", side=_(page.sides[1]))
            else:
                moved = _("from %(side)s position", side=_(page.sides[0]))
            out.append(f'<a class="mv" href="#{escape(r.partner)}">{moved}</a>')
        out.append("</div>")
    if r.src:
        out.append(f'<div class="s" data-u="{escape(r.src.link.anchor)}">{toks(r.src)}</div>')
    if r.tgt:
        out.append(f'<div class="t" data-u="{escape(r.tgt.link.anchor)}">{toks(r.tgt)}</div>')
    out.append("</div>")
    return Markup("".join(out))


def provenance_entry(x: MatchView, page: Any) -> Markup:
    """One reused span of a provenance page: its source, relation and badges, then the source's text and the
    target's (verbatim reuse shows the source side only: it is readable in the text above).  The source is
    named, not linked (the sources table links it), and cells carry only their unit anchor, as pair rows do."""
    out = [
        f'<li id="{escape(x.id)}" class="md c{escape(x.color)}" data-s="{escape(x.source_index)}"><div class="mh">'
        f'<span class="sw c{escape(x.color)}"></span> '
    ]
    if page.worded:
        out.append(f"{_(x.how)} ")
    label = x.source.label if x.source is not None else ""
    out.append(f'<span lang="zh">{escape(label)}</span> <span class="bd {escape(x.rel)}">{_(x.rel)}</span>')
    if x.formulaic:
        out.append(f'<span class="bd formulaic">{_("formulaic")}</span>')
    out.append(tag(x.tag))
    if x.score is not None:
        out.append(f' <span class="sc">{round(x.score):,}</span>')
    if x.also:
        why = x.also_why or [[] for _a in x.also]
        also = ", ".join(
            f'<span lang="zh">{escape(a.label)}</span>' + (f" ({escape(set_aside_text(w))})" if w else "")
            for a, w in zip(x.also, why)
        )
        out.append(f'<div class="also dim">{_("also in:")} {also}</div>')
    out.append('</div>\n<div class="pair2">')
    if x.src:
        out.append(f'<div class="s" data-u="{escape(x.src.link.anchor)}">{toks(x.src)}</div>')
    else:
        out.append(f'<div class="s"><span class="dim">{_("source text not in this report")}</span></div>')
    if x.rel not in ("identical", "moved"):
        out.append(f'<div class="t" data-u="{escape(x.tgt.link.anchor)}">{toks(x.tgt)}</div>')
    else:
        out.append(f'<div class="t dim" data-u="{escape(x.tgt.link.anchor)}">{_("same text")}</div>')
    out.append("</div></li>")
    return Markup("".join(out))
