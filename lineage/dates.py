"""Dates as evidence: a signed, published or given date is a day; an estimate is the range it stands for.

An estimate read from the years a text names (到2020年) or from its 文号 is a
range (``date_range``), or a bare year's whole year; its point (``date``, a
year) only sorts.  Which of two documents is dated later is known only where
their intervals do not overlap: a source signed in 2019 is not known to be
later than a target estimated at "2018" from 2017-10-18 to 2019-12-31.  The
graph's date evidence (:mod:`lineage.graph.direction`) and the trace's
``later_than_target`` flag ask the same intervals.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol

from lineage.i18n import N_, gettext


class Dated(Protocol):
    date: str | None
    date_kind: str | None
    date_range: tuple[str, str] | None


def interval(
    d: str | None, kind: str | None = None, rng: tuple[str, str] | list[str] | None = None
) -> tuple[int, int] | None:
    """A date as (first day, last day) ordinals: a point, an estimate's range, or a bare year's whole year."""
    if not d and not rng:
        return None
    if kind == "estimated" and rng:
        return _day(rng[0], first=True), _day(rng[1], first=False)
    if d and len(d) >= 10:
        x = _day(d[:10], first=True)
        return x, x
    if d and len(d) == 7:
        y, m = int(d[:4]), int(d[5:7])
        return date(y, m, 1).toordinal(), (date(y + (m == 12), m % 12 + 1, 1).toordinal() - 1)
    if d and d[:4].isdigit():
        y = int(d[:4])
        return date(y, 1, 1).toordinal(), date(y, 12, 31).toordinal()
    return None


def _day(s: str, first: bool) -> int:
    s = s.strip()
    if len(s) >= 10:
        return date.fromisoformat(s[:10]).toordinal()
    y = int(s[:4])
    return date(y, 1, 1).toordinal() if first else date(y, 12, 31).toordinal()


def interval_of(d: Dated) -> tuple[int, int] | None:
    """A document's date as an :func:`interval`."""
    return interval(d.date, d.date_kind, d.date_range)


def interval_after(x: tuple[int, int] | None, y: tuple[int, int] | None) -> bool | None:
    """Whether interval ``x`` is known to come after ``y``: True when x's first possible day is after y's last,
    False when x's last possible day is no later than y's first (the same day is not after), None when
    either is unknown or they overlap (the dates cannot tell)."""
    if x is None or y is None:
        return None
    if x[0] > y[1]:
        return True
    if x[1] <= y[0]:
        return False
    return None


def dated_after(a: Dated, b: Dated) -> bool | None:
    """Whether ``a`` is known to be dated after ``b`` (:func:`interval_after` of their intervals)."""
    return interval_after(interval_of(a), interval_of(b))


# a date's kind as pages and messages name it (date_kind values that are no English word of their own)
_KIND_WORDS = {"doc_number": N_("文号 year"), "known": N_("date of a known document")}


def kind_word(kind: str | None) -> str:
    """A date's kind (signed, published, estimated, doc_number...) in the current language."""
    return gettext(_KIND_WORDS.get(kind, kind)) if kind else ""


def date_with_kind(date: str | None, kind: str | None) -> str | None:
    """A date with its kind, as the pages give it ("2018 (estimated)"); None without a date."""
    return f"{date} ({kind_word(kind)})" if date and kind else date
