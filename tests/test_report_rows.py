"""lineage.report.rows writes pair rows and provenance entries in Python: its escaping and translation must be
autoescape's and the templates' _() exactly (the golden pages and a whole generated site compare byte for byte;
these cases are the edges: every character autoescape replaces, markup passed through, a message's variables)."""

from __future__ import annotations

import markupsafe
from markupsafe import Markup

from lineage.i18n import language
from lineage.report import rows
from lineage.report.data import TAG_LEGEND, Cell, SpanLink, Tag, Tok
from lineage.report.render import environment

TRICKY = ["<script>alert('x')</script>", 'a & b "c"', "&amp; already", "中文（责任单位：市发改委）", "", "100%"]


def test_escape_is_autoescapes():
    for value in [*TRICKY, 3, 2.5, None, Markup("<b>kept</b>")]:
        assert rows.escape(value) == str(markupsafe.escape(value)), value


def test_translation_is_the_templates():
    env = environment()
    for lang in ("en", "zh"):
        with language(lang):
            for side in [*TRICKY, Markup("<i>side</i>")]:
                template = env.from_string('{{ _("to %(side)s position", side=side) }}|{{ _("formulaic") }}')
                assert (
                    template.render(side=side) == f"{rows._('to %(side)s position', side=side)}|{rows._('formulaic')}"
                )


def test_document_text_in_a_cell_is_escaped():
    cell = Cell([Tok(TRICKY[0], "ins"), Tok(TRICKY[1]), Tok("&", "ctx")], SpanLink((0, 1), "d", "u1"))
    html = str(rows.toks(cell))
    assert "<script>" not in html and html.startswith("<ins>&lt;script&gt;alert(&#39;x&#39;)")
    assert html.endswith('a &amp; b &#34;c&#34;<span class="ctx">&amp;</span>')


def test_a_common_sources_title_in_a_badge_is_escaped():
    """The badge's label names a common source by its node's title, a document's own title where the corpus
    holds a copy of the known text (matched by its 文号): the macro printed it as markup."""
    badge = str(rows.tag(Tag("common", "common source: <img src=x onerror=alert(1)>中国制造2025", "why")))
    assert "<img" not in badge and "&lt;img src=x onerror=alert(1)&gt;中国制造2025</span>" in badge
    for kind, label, _why in TAG_LEGEND:  # the fixed labels read as before, in both languages
        for lang in ("en", "zh"):
            with language(lang):
                assert f">{rows._(label)}</span>" in str(rows.tag(Tag(kind, label, "why")))
