"""Words for counts and dates in human output: "1 document", "2 documents" (in Chinese: "2 份文件");
"2018 est. 2017-10-18..2019-12-31"."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from lineage.dates import kind_word
from lineage.i18n import N_, Phrasebook, _, message_pattern, ngettext
from lineage.store import STORE_MESSAGES

# Every noun counted in human output, singular and plural message: a table, so that a test can require
# each to be translated (tests/test_i18n_coverage.py) and a new noun cannot slip in untranslated.
COUNT_WORDS: dict[str, tuple[str, str]] = {
    "document": (N_("%(num)s document"), N_("%(num)s documents")),
    "other document": (N_("%(num)s other document"), N_("%(num)s other documents")),
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


# Why an output (a report or dedup folder, an export, an --html page) was refused, as lineage.owned and
# lineage.explore.export write it (in English); shown in the interface language.  The specific messages
# come before the general ones they would also match.
OUTPUT_MESSAGES = (
    N_("%(path)s: exists and was not written by lineage (--force replaces it)"),
    N_("%(path)s: changed since lineage wrote it; lineage never overwrites it (move it away, or --force)"),
    N_("%(path)s: is an input file; lineage never replaces inputs"),
    N_("%(path)s: inside the input folder %(folder)s (it would be read as a document)"),
    N_("%(path)s: written by %(tool)s, which owns the folder; lineage does not replace it from here"),
    N_("%(path)s: a folder (give a file name)"),
    N_("%(path)s: cannot write here (%(up)s is not a folder)"),
    N_("%(folder)s: not a folder (--format csv writes nodes.csv and edges.csv into a folder)"),
    N_("%(folder)s: holds input files (%(path)s); choose another folder for the output"),
    N_(
        "%(folder)s: inside the input folder %(input)s (its files would be read as documents); choose a folder "
        "outside the inputs"
    ),
    N_("%(folder)s: exists and is not a folder"),
    N_("%(folder)s: cannot create the folder (%(reason)s)"),
    N_("%(folder)s: cannot open the folder (%(reason)s)"),
    N_("%(folder)s: cannot read the folder (%(reason)s)"),
    N_("%(folder)s: cannot write in the folder (%(reason)s)"),
    N_("%(folder)s: another lineage run is writing to this folder"),
    N_(
        "%(folder)s: not empty and not written by %(tool)s (no %(record)s); refusing to write into it: choose a "
        "new or empty folder"
    ),
    N_("%(folder)s: written by %(tool)s, not %(other)s; choose another folder"),
    N_("%(path)s: not a record lineage can read (%(error)s); refusing to write into %(folder)s"),
    N_(
        "%(path)s: changed since lineage wrote it; lineage never overwrites or deletes it: move it out of the "
        "folder or delete it"
    ),
    N_("%(path)s: in the way of the output (not a folder lineage made); move it out of the folder"),
    N_("%(path)s: is an input file; lineage never replaces inputs: choose another folder for the output"),
    N_("%(path)s: not written by lineage, and the output has a file of that name; move it out of the folder"),
    N_("%(path)s: cannot write in %(folder)s (%(reason)s)"),
    N_("%(path)s: cannot write (%(reason)s)"),
    N_("%(error)s; refusing to write into %(folder)s"),
)
_refusal = Phrasebook((), tuple((message_pattern(m), m) for m in OUTPUT_MESSAGES))
_MORE = re.compile(r" \(and (\d+) more\)$")


def output_text(text: str) -> str:
    """Why an output was refused, in the current language (a refusal naming one of several files says how
    many more: lineage.owned's " (and N more)")."""
    m = _MORE.search(text)
    if m is None:
        return _refusal(text)
    return _refusal(text[: m.start()]) + _(" (and %(n)s more)", n=m.group(1))


_store = Phrasebook((), tuple((message_pattern(m), m) for m in STORE_MESSAGES))


def store_text(text: str) -> str:
    """Why a database could not be opened (lineage.store's StoreError), in the current language."""
    return _store(text)
