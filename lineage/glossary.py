"""The terms lineage's pages and output use, explained once, in the current language.

The static report renders these entries as glossary.html (template
``glossary.html.j2``) and links terms on its pages to ``glossary.html#<id>``;
``lineage serve`` can render the same entries.  Texts are English messages
translated through the ``glossary`` catalog (lineage/data/locale/zh/glossary.json).
"""

from __future__ import annotations

from dataclasses import dataclass

from lineage.i18n import N_, gettext


@dataclass(frozen=True)
class Entry:
    id: str  # the anchor: glossary.html#<id>; stable, never translated
    term: str  # the term as pages show it
    also: tuple[str, ...]  # other words for it (JSON field names, enum values), shown as written
    text: str  # what it means, in a few sentences


# (id, term, other names, text): English messages; order is the page's order (from a figure to what makes it).
_ENTRIES: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    (
        "reuse",
        N_("reuse"),
        ("reuse", "reused from", "source of"),
        N_(
            "One document contains text of another, identical or changed, and the evidence says which one came first: "
            "the earlier is the source, the later the target. Pages say \"reused from\" only where the direction is "
            "established; otherwise they say \"shares text with\"."
        ),
    ),
    (
        "shared-text",
        N_("shared text"),
        ("shares text with",),
        N_(
            "Text two documents both contain, identical or changed, without a claim about who took it from whom: "
            "the wording for a pair whose direction is uncertain."
        ),
    ),
    (
        "share",
        N_("share of a document"),
        ("share_of_target", "share_of_source"),
        N_(
            "How much of a document the shared passages cover: the characters of passages it holds word for word, "
            "with words changed or with place and level words changed, divided by the document's characters, leaving "
            "out formulaic text, common-source text and widely shared text. A pair has two shares, one of each "
            "document: the index, the graph (its page and its text output), the pair page's heading and the provenance "
            "page's edge share show the same figure; aligning the pair alone, or tracing a document among all its "
            "sources, measures differently."
        ),
    ),
    (
        "strength",
        N_("strength"),
        ("strength",),
        N_(
            "How strongly two documents are linked, used to order and filter edges: the larger of the two shares. "
            "It says how much text they have in common, not which one is the source."
        ),
    ),
    (
        "confidence",
        N_("confidence"),
        ("confidence",),
        N_(
            "How sure the direction shown is, from 0 to 1. For an established edge the favouring evidence is "
            "combined (each piece weighs: a citation 0.9, two definite dates 0.8, an estimated date 0.65, localized "
            "clauses 0.75, administrative level 0.6); an uncertain edge gets at most 0.4. A citation edge, stated in "
            "the text, has confidence 1."
        ),
    ),
    (
        "direction",
        N_("direction"),
        ("established", "uncertain"),
        N_(
            "Which of two documents is the source. Established: the evidence points one way (an arrow, \"reused "
            "from\"). Uncertain: the evidence is missing or conflicts, so neither is called the source (no arrowhead, "
            "\"shares text with\")."
        ),
    ),
    (
        "formulaic",
        N_("formulaic text"),
        ("formulaic",),
        N_(
            "Stock phrases found in many unrelated documents (openings, closings, set policy wording such as "
            "\"各地区、各部门要结合实际，认真贯彻落实\"). It is shown but not counted in shares: sharing it says "
            "nothing about reuse."
        ),
    ),
    (
        "common-source",
        N_("common source"),
        ("common_source",),
        N_(
            "A well-known text that two documents both quote, such as a central document or a law. Their shared "
            "passages from it are not counted as reuse between them: both drew on the same source."
        ),
    ),
    (
        "widely-shared",
        N_("widely shared text"),
        ("widely_shared",),
        N_(
            "Text found in documents of many provinces, so common that sharing it does not link two documents. "
            "It is not counted in shares."
        ),
    ),
    (
        "chrome",
        N_("web page chrome"),
        ("chrome",),
        N_(
            "What a web page adds around a document: navigation, breadcrumbs, share buttons, page counters, "
            "publication lines, footers. It is removed before comparing and listed on each document's page with "
            "where it was."
        ),
    ),
    (
        "wrapper",
        N_("wrapper"),
        ("wrapper",),
        N_(
            "Text a news copy puts around the document: a lede summarizing it, a trailer naming the source "
            "(来源:…客户端). It is kept apart from the body, as an issuing notice (印发通知) is, and not aligned "
            "as reuse, since it quotes the document's own text."
        ),
    ),
    (
        "copy",
        N_("copy"),
        ("copy", "canonical"),
        N_(
            "The same text of one document, scraped or saved as another file; copies may differ only in chrome, "
            "formatting, encoding, truncation or rare typos. Dedup keeps one canonical copy of each version and "
            "says how each other copy differs."
        ),
    ),
    (
        "copy-relation",
        N_("how a copy differs"),
        ("relation",),
        N_(
            "What dedup says of a copy against its version's canonical copy: identical (the same file content), "
            "formatting (the same body text; only layout, punctuation width, encoding or HTML differ), noisy (a "
            "few isolated one-character differences, such as a scraping typo or a changed punctuation mark; never "
            "a changed number or word), truncated (the copy stops early). None of these is a revision."
        ),
    ),
    (
        "version",
        N_("version"),
        ("version", "cluster"),
        N_(
            "One text of a document: all its copies together (a dedup cluster). Changed numbers, words or "
            "sentences make another version."
        ),
    ),
    (
        "revision-family",
        N_("revision family"),
        ("family", "revision", "related"),
        N_(
            "The versions of one document: the same place and the same title up to year and edition, or the same "
            "issuer with most text aligned. A revision is a version of the same document; an adaptation by "
            "another place is reuse, not a revision."
        ),
    ),
    (
        "edition",
        N_("edition"),
        ("revision", "revision of", "earlier edition of", "draft of", "final version of"),
        N_(
            "Two versions of one document (its revision family) that share text: the same document revised, "
            "not one document reusing another, so pages never say \"reused from\" of them. Where the evidence "
            "orders them, the later is a revision of the earlier (the earlier edition of it), or, where the "
            "earlier's title calls it a draft (征求意见稿, 送审稿...), the final version of that draft; with "
            "another edition between them, a later edition. Where it does not, each is another edition of the "
            "other. The shares are what the two have in common."
        ),
    ),
    (
        "also-in",
        N_("also in"),
        ("also_in", "set_aside_by"),
        N_(
            "Other documents that hold the same passage. A trace attributes each passage to the one source it most "
            "plausibly came from and lists the others as also in, so a passage is counted once, each with the rule "
            "that set it aside. Where that rule is only the earlier date, or nothing tells them apart, the text "
            "alone cannot say which of them the passage came from."
        ),
    ),
    (
        "relations",
        N_("passage relations"),
        ("identical", "modified", "localized", "merged", "split", "moved", "partial", "added", "deleted"),
        N_(
            "How a target passage relates to its source: identical; modified (words changed); localized (place "
            "names and levels changed, e.g. 全省 to 全市); merged or split (one unit to several); moved (same text, "
            "another position); partial (part of a unit). Added: only in the target; deleted: only in the source."
        ),
    ),
)


def entries() -> list[Entry]:
    """The glossary in the current language (lineage.i18n), in the page's order."""
    return [Entry(i, gettext(term), also, gettext(text)) for i, term, also, text in _ENTRIES]


def ids() -> tuple[str, ...]:
    """Every entry's anchor (pages link to glossary.html#<id>)."""
    return tuple(i for i, *_ in _ENTRIES)
