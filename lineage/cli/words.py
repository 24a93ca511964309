"""Words for counts and dates in human output: "1 document", "2 documents" (in Chinese: "2 份文件");
"2018 est. 2017-10-18..2019-12-31"."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lineage.dates import kind_word
from lineage.i18n import N_, _, ngettext

# Every noun counted in human output, singular and plural message: a table, so that a test can require
# each to be translated (tests/test_i18n_coverage.py) and a new noun cannot slip in untranslated.
COUNT_WORDS: dict[str, tuple[str, str]] = {
    "document": (N_("%(num)s document"), N_("%(num)s documents")),
    "version": (N_("%(num)s version"), N_("%(num)s versions")),
    "file": (N_("%(num)s file"), N_("%(num)s files")),
    "folder": (N_("%(num)s folder"), N_("%(num)s folders")),
    "static file": (N_("%(num)s static file"), N_("%(num)s static files")),
    "page": (N_("%(num)s page"), N_("%(num)s pages")),
    "copy": (N_("%(num)s copy"), N_("%(num)s copies")),
    "revision": (N_("%(num)s revision"), N_("%(num)s revisions")),
    "character": (N_("%(num)s character"), N_("%(num)s characters")),
    "char": (N_("%(num)s char"), N_("%(num)s chars")),
    "formulaic character": (N_("%(num)s formulaic character"), N_("%(num)s formulaic characters")),
    "unit": (N_("%(num)s unit"), N_("%(num)s units")),
    "paragraph": (N_("%(num)s paragraph"), N_("%(num)s paragraphs")),
    "heading": (N_("%(num)s heading"), N_("%(num)s headings")),
    "table": (N_("%(num)s table"), N_("%(num)s tables")),
    "sentence": (N_("%(num)s sentence"), N_("%(num)s sentences")),
    "clause": (N_("%(num)s clause"), N_("%(num)s clauses")),
    "piece": (N_("%(num)s piece"), N_("%(num)s pieces")),
    "passage": (N_("%(num)s passage"), N_("%(num)s passages")),
    "match": (N_("%(num)s match"), N_("%(num)s matches")),
    "identical match": (N_("%(num)s identical match"), N_("%(num)s identical matches")),
    "reuse edge": (N_("%(num)s reuse edge"), N_("%(num)s reuse edges")),
    "citation edge": (N_("%(num)s citation edge"), N_("%(num)s citation edges")),
    "citation": (N_("%(num)s citation"), N_("%(num)s citations")),
    "cited document": (N_("%(num)s cited document"), N_("%(num)s cited documents")),
    "edge": (N_("%(num)s edge"), N_("%(num)s edges")),
    "node": (N_("%(num)s node"), N_("%(num)s nodes")),
    "province": (N_("%(num)s province"), N_("%(num)s provinces")),
    "row": (N_("%(num)s row"), N_("%(num)s rows")),
}


def plural(n: int, word: str, words: str | None = None) -> str:
    """``n`` and the noun agreeing with it, in the current language; ``word`` is a key of COUNT_WORDS
    (``words``, an irregular English plural, is only used for a noun the table lacks)."""
    one, many = COUNT_WORDS.get(word) or (f"%(num)s {word}", f"%(num)s {words or word + 's'}")
    return ngettext(one, many, n, num=f"{n:,}")


def when(n: Mapping[str, Any]) -> str:
    """A document's date as a reader should take it: a day with its kind, an estimate with its range
    (``n``: a graph node's or a trace source's JSON fields: date, date_kind, date_range, cited_before)."""
    if not n.get("date"):
        return _("undated") + (_(", before %(date)s", date=n["cited_before"]) if n.get("cited_before") else "")
    kind = n.get("date_kind")
    if kind == "estimated" and n.get("date_range"):
        return _("%(date)s est. %(start)s..%(end)s", date=n["date"], start=n["date_range"][0], end=n["date_range"][1])
    return f"{n['date']} {kind_word(kind)}".strip()
