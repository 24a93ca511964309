"""Graph nodes: one per document version (dedup cluster), with what a reader needs to place it.

A version's copies may disagree on metadata (a copy without the issuing
notice has no signed date, no title line, no issuers), so each field is
taken from the copy that knows it best: the date of the most reliable kind
(signed, then published, then estimated), the jurisdiction read from the
issuers before one read from the title or the body, the canonical copy's
title unless it has none.

Dates are intervals: a signed or published date is a point; an estimate is
its ``date_range`` (or its whole year).  Two intervals that overlap say
nothing about which text came first.

Labels (:func:`assign_labels`): a version is named by its title (a copy
without a title line takes its version's), else its file name; where two
*different* versions would read the same (the same title, or the same short
label), both get their jurisdiction and year in front
(``南京市 · 2019 · 关于进一步优化…``), then the full date, then the version
id, until they differ.  The graph (node ``label``/``short_label``, evidence
lines) and the report use this one function, so a document has one name.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from lineage.dates import interval
from lineage.model import JURISDICTION_SOURCE_RANK, LEVEL_RANK, LEVELS, Citation, Document

DATE_KIND_RANK = {"given": -1, "signed": 0, "published": 1, "estimated": 2}
_JUR_SOURCE_RANK = {"given": -1, **JURISDICTION_SOURCE_RANK}


@dataclass
class Version:
    """A document version: the canonical copy stands for it in alignments."""

    id: str  # dedup cluster id ("v-" + canonical sha prefix), or the sha prefix without dedup
    sha: str  # the canonical copy's sha256
    path: str  # its path
    paths: list[str]  # every copy, canonical first
    shas: list[str]  # every distinct content among the copies
    title: str | None
    date: str | None
    date_kind: str | None
    date_range: tuple[str, str] | None
    jurisdiction: dict[str, Any] | None  # {name, level, province, code, source}
    issuers: list[str]
    doc_number: str | None
    citations: list[tuple[Citation, str]]  # (citation, path of the copy it is in)
    family: str | None = None  # dedup family: versions that are revisions of one document
    chars: int = 0  # normalized characters of the canonical copy's atoms (what shares divide by)
    external: bool = False
    span: tuple[int, int] | None = field(default=None, repr=False)  # date interval, ordinals
    names: tuple[str, str] | None = field(default=None, repr=False)  # (label, short) from assign_labels
    given: dict[str, str] = field(default_factory=dict)  # field -> where a sidecar gave it (lineage.ingest.sidecar)
    superseded: dict[str, dict[str, Any]] = field(default_factory=dict)  # field -> what the text says instead
    url: str | None = None
    date_conflicts: list[dict[str, Any]] = field(default_factory=list)  # cited documents dated after this one

    @property
    def level(self) -> str | None:
        return (self.jurisdiction or {}).get("level")

    @property
    def name(self) -> str:
        """The title, else the file name: what the label is made from."""
        return self.title or os.path.basename(self.path)

    @property
    def label(self) -> str:
        """The full label: the name, with jurisdiction and year where another version reads the same."""
        return self.names[0] if self.names else self.name

    @property
    def short(self) -> str:
        """A label for evidence lines: the name cut short (jurisdiction and year in front where ambiguous)."""
        return self.names[1] if self.names else short_label(self.name)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "paths": list(self.paths),
            "title": self.title,
            "date": self.date,
            "date_kind": self.date_kind,
            "date_range": list(self.date_range) if self.date_range else None,
            "jurisdiction": self.jurisdiction,
            "level": self.level,
            "external": False,
            "sha256": self.sha,
            "shas": list(self.shas),
            "copies": len(self.paths),
            "issuers": list(self.issuers),
            "doc_number": self.doc_number,
            "family": self.family,
            "chars": self.chars,
            "label": self.label,
            "short_label": self.short,
            "given": dict(self.given),
            "superseded": dict(self.superseded),
            "url": self.url,
            "date_conflicts": list(self.date_conflicts),
        }


def short_label(title: str, n: int = 16) -> str:
    return title if len(title) <= n else title[: n - 1] + "…"


def assign_labels(versions: list[Version]) -> None:
    """Give every version its (label, short) pair: unique among different versions wherever it can be."""
    names = disambiguate([(v.id, v.name, v.jurisdiction, v.date) for v in versions])
    for v in versions:
        v.names = names[v.id]


def disambiguate(
    items: list[tuple[str, str, dict[str, Any] | None, str | None]], width: int = 16
) -> dict[str, tuple[str, str]]:
    """(id, name, jurisdiction, date) of different documents -> (label, short label), ambiguous ones qualified.

    A name whose short form (``width`` characters) is shared by another id is
    qualified by jurisdiction and year; if that still collides, by the full
    date; then by the id.  Unambiguous names are left as they are.
    """

    def place(j: dict[str, Any] | None) -> str:
        return (j or {}).get("name") or "place unknown"

    steps = [
        lambda i, n, j, d: None,
        lambda i, n, j, d: f"{place(j)} · {(d or '')[:4] or 'undated'}",
        lambda i, n, j, d: f"{place(j)} · {d or 'undated'}",
        lambda i, n, j, d: f"{place(j)} · {d or 'undated'} · {i}",
    ]
    out: dict[str, tuple[str, str]] = {}
    todo = list(items)
    for k, step in enumerate(steps):
        shorts: dict[str, set[str]] = {}
        made = {}
        for i, n, j, d in todo:
            prefix = step(i, n, j, d)
            full = f"{prefix} · {n}" if prefix else n
            short = f"{prefix} · {short_label(n, width)}" if prefix else short_label(n, width)
            made[i] = (full, short)
            shorts.setdefault(short, set()).add(i)
        clash = {i for ids in shorts.values() if len(ids) > 1 for i in ids}
        for i, _n, _j, _d in todo:
            if i not in clash or k == len(steps) - 1:
                out[i] = made[i]
        todo = [x for x in todo if x[0] in clash]
        if not todo:
            break
    return out


def make_version(vid: str, docs: list[Document], paths: list[str], family: str | None = None) -> Version:
    """A version from its copies, canonical first (loaded without units: only metadata is read)."""
    canon = docs[0]
    dated = [d for d in docs if d.date]
    best_date = min(dated, key=lambda d: DATE_KIND_RANK.get(d.date_kind or "", 3)) if dated else None
    with_jur = [(d, d.jurisdiction) for d in docs if d.jurisdiction]
    best_jur = (
        min(with_jur, key=lambda dj: _JUR_SOURCE_RANK.get(dj[1].source, len(JURISDICTION_SOURCE_RANK)))[0]
        if with_jur
        else None
    )
    # a value given beside the text (a sidecar) beats what any copy's text says
    given = [d for d in docs if d.given]
    title = (
        next((d.title for d in given if d.title_source == "given"), None)
        or canon.title
        or next((d.title for d in docs if d.title), None)
    )
    cites: list[tuple[Citation, str]] = []
    seen: set[tuple[str | None, str | None]] = set()
    for d in docs:
        for c in d.citations:
            if (c.title, c.doc_number) not in seen:
                seen.add((c.title, c.doc_number))
                cites.append((c, d.path))
    j = best_jur.jurisdiction if best_jur else None
    v = Version(
        id=vid,
        sha=canon.sha256,
        path=paths[0] if paths else canon.path,
        paths=paths or [canon.path],
        shas=list(dict.fromkeys(d.sha256 for d in docs)),
        title=title,
        date=best_date.date if best_date else None,
        date_kind=best_date.date_kind if best_date else None,
        date_range=(best_date.date_range[0], best_date.date_range[1]) if best_date and best_date.date_range else None,
        jurisdiction={"name": j.name, "level": j.level, "province": j.province, "code": j.code, "source": j.source}
        if j
        else None,
        issuers=list(
            next((d.issuers for d in given if d.issuers_source == "given"), [])
            or canon.issuers
            or next((d.issuers for d in docs if d.issuers), [])
        ),
        doc_number=next((d.doc_number for d in given if "doc_number" in d.given), None)
        or canon.doc_number
        or next((d.doc_number for d in docs if d.doc_number), None),
        citations=cites,
        family=family,
        given={k: o for d in reversed(given) for k, o in d.given.items()},
        url=next((d.url for d in docs if d.url), None),
    )
    v.span = interval(v.date, v.date_kind, v.date_range)
    # what the text of the copy whose given value the version took says instead (another copy's is not this)
    v.superseded = {
        k: s for d in reversed(given) for k, s in d.superseded.items() if getattr(d, k, None) == getattr(v, k, None)
    }
    return v


def order_key(v: Version) -> tuple:
    """The graph's order: earlier dates first (an interval by its middle), then higher levels, then id.

    Used only to align each pair once, from its later side, and to break
    ties; the direction of an edge is decided by the evidence.
    """
    mid = (v.span[0] + v.span[1]) / 2 if v.span else float("inf")
    return (mid, LEVEL_RANK.get(v.level or "", len(LEVELS)), v.id)


def related_places(a: dict[str, Any] | None, b: dict[str, Any] | None) -> bool:
    """Whether one jurisdiction can be above the other: national over anything, else the same province."""
    if not a or not b:
        return False
    if a.get("level") == "national" or b.get("level") == "national":
        return True
    ca, cb = a.get("code") or "", b.get("code") or ""
    if ca and cb:
        return ca[:2] == cb[:2]
    return bool(a.get("province")) and a.get("province") == b.get("province")
