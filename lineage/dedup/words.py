"""Dedup's reasons and differences, shown in the interface language.

Dedup writes them in English, as phrases joined by "; " (the JSON contract's
``reason`` and ``differences``: they stay so in JSON).  Pages and the CLI show
each phrase translated where it is one of dedup's fixed phrases or patterns;
anything else (a reason from a comparison, say) is shown as dedup wrote it.
"""

from __future__ import annotations

import re

from lineage.i18n import N_, Phrasebook, gettext

PHRASES = (
    N_("the only copy"),
    N_("issuing notice present"),
    N_("no issuing notice"),
    N_("has the issuing notice"),
    N_("cleanest text (fewest differences from the other copies)"),
    N_("fewest parser warnings"),
    N_("otherwise equal copies: the smallest sha256"),
    N_("the canonical copy stops earlier"),
    N_("joined through other copies"),
    N_("differs only in layout, chrome or wrapper text"),
    N_("HTML instead of text"),
    N_("text instead of HTML"),
    N_("the same body text"),
    N_("plainest file (no page chrome, half-width punctuation, hard wraps or CRLF line ends)"),
    N_("plainest file (fewest of page chrome, half-width punctuation, hard wraps, CRLF line ends)"),
    N_("encoded utf-8 (the other copies are equal)"),
    N_("half-width punctuation"),
    N_("full-width punctuation"),
    N_("hard-wrapped lines (re-joined)"),
    N_("lines not hard-wrapped"),
    N_("CRLF line ends"),
    N_("LF line ends"),
)

# (pattern of a whole phrase, message whose placeholders take the groups in order); in English the message
# gives back the phrase exactly (tests/test_i18n.py)
PATTERNS = (
    (re.compile(r"complete body \(([\d,]+) characters\)"), N_("complete body (%(chars)s characters)")),
    (
        re.compile(r"complete body \(([\d,]+) characters; (1) other copy stops early\)"),
        N_("complete body (%(chars)s characters; %(n)s other copy stops early)"),
    ),
    (
        re.compile(r"complete body \(([\d,]+) characters; (\d+) other copies stop early\)"),
        N_("complete body (%(chars)s characters; %(n)s other copies stop early)"),
    ),
    (re.compile(r"earliest date \(([^)]*)\)"), N_("earliest date (%(date)s)")),
    (
        re.compile(r"(1) isolated character difference \((.*)\)"),
        N_("%(n)s isolated character difference (%(examples)s)"),
    ),
    (
        re.compile(r"(\d+) isolated character differences \((.*)\)"),
        N_("%(n)s isolated character differences (%(examples)s)"),
    ),
    (re.compile(r"(1) isolated character difference"), N_("%(n)s isolated character difference")),
    (re.compile(r"(\d+) isolated character differences"), N_("%(n)s isolated character differences")),
    (re.compile(r"stops at (\d+%) of the canonical body"), N_("stops at %(share)s of the canonical body")),
    (
        re.compile(r"text before the body differs \(([\d,]+) characters: a news lede, notice or title\)"),
        N_("text before the body differs (%(chars)s characters: a news lede, notice or title)"),
    ),
    (re.compile(r"encoded (\S+)"), N_("encoded %(encoding)s")),
    (re.compile(r"compared directly: (.*)"), N_("compared directly: %(reason)s")),
)
# phrases are joined by "; ", and one may hold "; " inside brackets
_SPLIT = re.compile(r"; (?![^(]*\))")
phrase = Phrasebook(PHRASES, PATTERNS)


_CHROME = (
    (re.compile(r"page chrome set aside \((.*)\)"), N_("page chrome set aside (%(kinds)s)")),
    (
        re.compile(r"without the canonical copy's page chrome \((.*)\)"),
        N_("without the canonical copy's page chrome (%(kinds)s)"),
    ),
)


def _phrase(bit: str) -> str:
    for pattern, message in _CHROME:
        m = pattern.fullmatch(bit)
        if m:  # the kinds of chrome are words of their own (breadcrumb, footer)
            kinds = gettext(", ").join(gettext(k) for k in m.group(1).split(", "))
            return gettext(message, kinds=kinds)
    return phrase(bit)


def dedup_text(text: str) -> str:
    """A reason or a list of differences as dedup wrote it, in the current language."""
    return gettext("; ").join(_phrase(bit) for bit in _SPLIT.split(text)) if text else text
