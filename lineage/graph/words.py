"""The graph's direction evidence, shown in the interface language.

The graph writes each piece of evidence's ``detail`` in English (the JSON
contract: it stays so in JSON).  Pages and the CLI show it translated where it
is one of the graph's sentences (lineage.graph.direction, lineage.graph.edges);
a detail no pattern matches is shown as the graph wrote it.  Names and dates
inside are the graph's, carried over unchanged (dates' kinds translated).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from lineage.align.set_aside import SET_ASIDE_WORDS
from lineage.graph.edges import share_text
from lineage.i18n import N_, current_language, gettext

# a date as lineage.graph.direction._fmt_date writes it
_DATE = r"estimated \S+\.\.\S+|(?:signed|published|given) \S+|\S+(?: \(\w+\))?"
_LEVEL = r"national|province|city|county"


def _date(text: str) -> str:
    m = re.fullmatch(r"estimated (\S+)\.\.(\S+)", text)
    if m:
        return gettext("estimated %(start)s..%(end)s", start=m[1], end=m[2])
    m = re.fullmatch(r"(signed|published|given) (\S+)", text)
    if m:
        return f"{gettext(m[1])} {m[2]}"
    m = re.fullmatch(r"(\S+) \((\w+)\)", text)
    return gettext("%(date)s (%(kind)s)", date=m[1], kind=gettext(m[2])) if m else text


def _kinds(text: str) -> str:
    return "/".join(gettext(k) for k in text.split("/"))


def _where(text: str) -> str:
    m = re.fullmatch(rf"(.+?) is ({_LEVEL}) \((.*?)\), (.+?) ({_LEVEL}) \((.*?)\)", text)
    if not m:
        return text
    return gettext(
        "%(higher)s is %(hl)s (%(hp)s), %(lower)s %(ll)s (%(lp)s)",
        higher=m[1],
        hl=gettext(m[2]),
        hp=m[3],
        lower=m[4],
        ll=gettext(m[5]),
        lp=m[6],
    )


def _level(text: str) -> str:
    return gettext(text)


# one candidate of an adoption's list: "title (id: why)", the next one or the end after it
_CANDIDATE = re.compile(r"(.+?) \(([xv]-[0-9a-f]+): (.*?)\)(?:; (?=.+? \([xv]-[0-9a-f]+: )|$)")


def _adoption_rest(text: str) -> str:
    if not text.startswith("candidates: "):
        return gettext(text)
    rest, names = text[len("candidates: ") :], []
    while rest:
        m = _CANDIDATE.match(rest)
        if not m:
            return gettext("candidates: %(names)s", names=text[len("candidates: ") :])
        names.append(gettext("%(title)s (%(id)s: %(why)s)", title=m[1], id=m[2], why=candidate_why(m[3])))
        rest = rest[m.end() :]
    return gettext("candidates: %(names)s", names=gettext("; ").join(names))


_KEEP: Callable[[str], str] = lambda x: x  # noqa: E731

# how a citation was read (lineage.graph.citations.CitationLink.describe): by its 《title》, its 文号, a known name
_VIA = {
    "title and 文号": N_("by title and 文号"),
    "title": N_("by title"),
    "文号": N_("by 文号"),
    "name": N_("by name: a known document, its title and 文号 looked up"),
}
_BY = re.compile(r"\bby (title and 文号|title|文号|name)\b")


def _refs(text: str) -> str:
    return _BY.sub(lambda m: gettext(_VIA[m[1]]), text)


# (pattern of a whole detail, message, how each group is shown), in the order they are tried
_PATTERNS: tuple[tuple[re.Pattern[str], str, tuple[Callable[[str], str], ...]], ...] = tuple(
    (re.compile(p), m, fs)
    for p, m, fs in (
        (r"no date for (.+?) and (.+)", N_("no date for %(a)s and %(b)s"), (_KEEP, _KEEP)),
        (r"no date for (.+)", N_("no date for %(docs)s"), (_KEEP,)),
        (
            rf"(.+?) \(({_DATE})\) is earlier than (.+?) \(({_DATE})\)",
            N_("%(a)s (%(da)s) is earlier than %(b)s (%(db)s)"),
            (_KEEP, _date, _KEEP, _date),
        ),
        (r"same date \((\S+)\)", N_("same date (%(date)s)"), (_KEEP,)),
        (
            rf"dates overlap \((.+?): ({_DATE}); (.+?): ({_DATE})\): not evidence",
            N_("dates overlap (%(a)s: %(da)s; %(b)s: %(db)s): not evidence"),
            (_KEEP, _date, _KEEP, _date),
        ),
        (rf"both ({_LEVEL})", N_("both %(level)s"), (_level,)),
        (r"(.+), in another province: not evidence", N_("%(where)s, in another province: not evidence"), (_where,)),
        (r"higher level: (.+)", N_("higher level: %(where)s"), (_where,)),
        (
            r"(.+?) cites (.+?) \((.*)\) by title only, and the dates cannot confirm this version is the one cited: "
            r"not evidence",
            N_(
                "%(a)s cites %(b)s (%(refs)s) by title only, and the dates cannot confirm this version "
                "is the one cited: not evidence"
            ),
            (_KEEP, _KEEP, _refs),
        ),
        (
            r"the cited (.+?) is dated after (.+?): a date may be wrong",
            N_("the cited %(a)s is dated after %(b)s: a date may be wrong"),
            (_KEEP, _KEEP),
        ),
        (
            r"jurisdiction swapped at the same level \((.*)\): not evidence",
            N_("jurisdiction swapped at the same level (%(examples)s): not evidence"),
            (_KEEP,),
        ),
        (
            r"swaps both ways \((\d+) down, (\d+) up: (.*)\): not evidence",
            N_("swaps both ways (%(down)s down, %(up)s up: %(examples)s): not evidence"),
            (_KEEP, _KEEP, _KEEP),
        ),
        (
            r"(.+?) localizes (.+?)'s clauses \((.*)\)",
            N_("%(a)s localizes %(b)s's clauses (%(examples)s)"),
            (_KEEP, _KEEP, _KEEP),
        ),
        (
            r"(.+?) and (.+?) are versions of one document \(dedup\): the date decides",
            N_("%(a)s and %(b)s are versions of one document (dedup): the date decides"),
            (_KEEP, _KEEP),
        ),
        (
            r"(.+?) is a draft \((\w+)\) of (.+?): a draft comes before the document it became",
            N_("%(draft)s is a draft (%(marker)s) of %(final)s: a draft comes before the document it became"),
            (_KEEP, _KEEP, _KEEP),
        ),
        (
            r"([\w/]+) points? to (.+?), ([\w/]+) to (.+?): direction uncertain",
            N_("%(ka)s point to %(a)s, %(kb)s to %(b)s: direction uncertain"),
            (_kinds, _KEEP, _kinds, _KEEP),
        ),
        (
            rf"the later (.+?) \(({_LEVEL}|level unknown)\) may have adopted the text of the earlier (.+?) "
            rf"\(({_LEVEL}|level unknown)\), or both drew on a common source; (candidates: .*|no cited document older "
            r"than both is known)",
            N_(
                "the later %(later)s (%(ll)s) may have adopted the text of the earlier %(earlier)s (%(el)s), or both "
                "drew on a common source; %(rest)s"
            ),
            (_KEEP, _level, _KEEP, _level, _adoption_rest),
        ),
        (r"(.+?) cites (.+?) \((.*)\)", N_("%(a)s cites %(b)s (%(refs)s)"), (_KEEP, _KEEP, _refs)),
    )
)
_NAMES = re.compile(r"%\((\w+)\)s")
_WORDS = (
    N_("no evidence of direction"),
    N_("no cited document older than both is known"),
    N_("a level read only from the place names in a body: not evidence enough alone"),
)
_OVERRULED = re.compile(
    rf"(.*); but (.+?) \(({_DATE})\) is dated after (.+?) \(({_DATE})\), and no text travels back "
    r"to a document published before it: not evidence against the dates",
    re.S,
)


def _translate(patterns: tuple, text: str) -> str:
    """The message of the first pattern matching the whole of TEXT, its groups shown as said; else TEXT."""
    for pattern, message, shows in patterns:
        m = pattern.fullmatch(text)
        if m:
            return gettext(message, **{n: f(g) for n, f, g in zip(_NAMES.findall(message), shows, m.groups())})
    return text


def _main(text: str) -> str:
    return gettext(text) if text in _WORDS else _translate(_PATTERNS, text)


def evidence_detail(text: str) -> str:
    """One piece of direction evidence's detail, as the graph wrote it, in the current language."""
    if not text or current_language() == "en":
        return text  # English is what the graph wrote: shown exactly so
    m = _OVERRULED.fullmatch(text)
    if m:
        return _main(m[1]) + gettext(
            "; but %(later)s (%(dl)s) is dated after %(earlier)s (%(de)s), and no text travels back to a "
            "document published before it: not evidence against the dates",
            later=m[2],
            dl=_date(m[3]),
            earlier=m[4],
            de=_date(m[5]),
        )
    return _main(text)


_WHY = (
    (
        re.compile(r"both quote its known text \((\d+) passages?, ([\d,]+) characters, not counted\)"),
        N_("both quote its known text (%(n)s passages, %(chars)s characters, not counted)"),
        (_KEEP, _KEEP),
    ),
    (
        re.compile(
            r"cited by (.+?); (.+?) \((\w+)\), (before \S+|undated|\S+): older than both and at or above both "
            r"levels; (its text is not in the corpus|in the corpus)"
        ),
        N_("cited by %(by)s; %(where)s (%(level)s), %(when)s: older than both and at or above both levels; %(text)s"),
        (
            lambda by: gettext(" and ").join(by.split(" and ")),  # both sides cite it: "A and B"
            _KEEP,
            _level,
            lambda w: gettext("before %(date)s", date=w[7:]) if w.startswith("before ") else gettext(w),
            gettext,
        ),
    ),
)


def candidate_why(text: str) -> str:
    """Why a document may be the common source of a pair (the graph's ``why``), in the current language."""
    return text if not text or current_language() == "en" else _translate(_WHY, text)


def may_draw_on(x: dict) -> str:
    """A document both sides of a pair may draw on (a ``possible_common_sources`` entry), and why: as the graph,
    a trace, an alignment and their pages all say it."""
    return gettext(
        "both may draw on %(title)s (%(id)s): %(why)s", title=x["title"], id=x["id"], why=candidate_why(x["why"])
    )


def telling(direction: dict) -> list[dict]:
    """The evidence of a trace's or an alignment's direction (``sources[].direction``) worth showing: what
    favours either side, and the conflict, the lack of evidence or the adoption story that leaves it uncertain."""
    return [
        ev
        for ev in direction.get("evidence") or ()
        if isinstance(ev, dict) and (ev.get("favours") or ev.get("kind") in ("conflict", "none", "adoption"))
    ]


# An edge's characters by what kind of copying they are, as every output names them.  Not the alignment's
# relations (align, trace, the pair and provenance pages): a clause lifted word for word counts here as word
# for word, a moved sentence by its words; the same names for both would show one word with two figures.
CHAR_KINDS = {
    "identical": N_("word for word"),
    "modified": N_("words changed"),
    "localized": N_("place and level words changed"),
}
# and the characters kept apart from the counted ones
NOT_COUNTED = {
    "formulaic": N_("formulaic"),
    "widely_shared": N_("widely shared"),
    "common_source": N_("common source"),
}


def too_little(direction: dict) -> str | None:
    """Why a document the evidence points to is no source (a trace's ``sources[].direction``, from
    lineage.graph.traced): too little of it in order, in the current language; None if that is not why."""
    seq, least = direction.get("sequential_share"), direction.get("sequential_min")
    if not (direction.get("too_little") and direction.get("source") == "this" and isinstance(seq, list) and least):
        return None
    return gettext(
        "the source by the evidence below, but too little of it is in order: %(target)s of the target and %(this)s of this document sentence for sentence, in order (a source holds %(min)s of either, as the graph's edges do)",
        target=share_text(seq[0]),
        this=share_text(seq[1]),
        min=f"{least:.0%}",
    )


def set_aside_text(keys: Iterable[str]) -> str:
    """Why the trace gave a passage to its source rather than to another document holding it (the keys of an
    ``also_in`` entry's ``set_aside_by``), in the current language."""
    return "; ".join(gettext(SET_ASIDE_WORDS[k]) for k in keys if k in SET_ASIDE_WORDS)
