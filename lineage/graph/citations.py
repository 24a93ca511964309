"""Citation edges: which documents each version cites, resolved to corpus versions or kept as external nodes.

A citation (ingest's ``citations``: a 《title》, a bare 文号, or a
well-known text named without 《》) resolves to a corpus version when

* its 文号 is the version's own 文号, or
* its title, compared without punctuation and width (fold), is the
  version's title, or the version's title preceded by its place
  (浙江省 + 制造强省建设行动计划), or the version's title without its
  edition (``（2018年版）``); a notice title ``X关于印发Y的通知`` is
  compared by its plan title ``Y``.

**Editions.**  A title names a document, not an edition: guides and
catalogues are re-issued under one title (国家智能制造标准体系建设指南,
2015, 2018 and 2021 editions).  A citation by title alone therefore
resolves only to a version that can precede the citing document (a
definite or estimated date not later than the citer's), and among several
such versions of one title to the latest; a version dated after the citer
is never its source (``later`` on the external node).  When the dates
cannot tell which version is meant (several undated, or estimated ranges
that overlap), the citation stays unresolved: an external node listing
the ``candidates``.  Each resolution carries a ``confidence``: 1.0 by
文号; by title, 0.9 when definite dates confirm it, 0.65 when an estimated
date does, 0.4 when the dates cannot confirm it -- too weak to decide a
reuse edge's direction (``graph_direction.citation_evidence``).

Citations that resolve to nothing in the corpus become external nodes:
citations of one document (same 文号, or same title) are one node, with
what is known about it: title, 文号, issuer, a jurisdiction from the issuer,
the title, or the 文号's prefix (浙政办发 -> 浙江, province; 国发 ->
national), and a date from the 文号's year (``date_kind: "doc_number"``).
A document is older than anything citing it: ``cited_before`` keeps the
earliest citing date.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from lineage.dedup.cluster import UnionFind
from lineage.graph.nodes import LEVEL_RANK, Version, interval, related_places, short_label
from lineage.ingest import gazetteer
from lineage.ingest.metadata import DN_PARTS as _DN
from lineage.ingest.metadata import KNOWN_DOCUMENTS, NOTICE_TITLE, doc_number_key
from lineage.ingest.normalize import fold
from lineage.model import DEFINITE_DATES

_PUNCT = re.compile(r"[\s,.:;!?()、。，：；！？（）“”‘’《》〈〉〔〕\[\]【】—\-–…·\"'<>]")
_NATIONAL = re.compile(r"^(中共中央|国务院|全国|国家|中华人民共和国|中央)")
# a ministry named without a place (工业和信息化部, 财政部, 发展改革委): national
_MINISTRY = re.compile(r"^[\u4e00-\u9fff]{1,10}(部|委员会|总局|署)$|^(发展改革委|工信部|发改委)")
_MINISTRY_PREFIX = re.compile(r"部|总局|署")
_PLACE_RANK = {"county": 0, "city": 1, "province": 2}
# an edition or revision at the end of a title key: 国家智能制造标准体系建设指南2018年版
_EDITION = re.compile(r"\d{4}年?(版|修订版?|修正版?)$")
_DEFINITE = (*DEFINITE_DATES, "known")
# confidence of a resolution (see the module doc)
BY_NUMBER, BY_TITLE_DATED, BY_TITLE_ESTIMATED, BY_TITLE_UNDATED = 1.0, 0.9, 0.65, 0.4


def title_key(title: str | None) -> str | None:
    if not title:
        return None
    k = _PUNCT.sub("", fold(title))
    return k or None


@dataclass
class External:
    """A document cited but not in the corpus."""

    id: str
    title: str | None
    notice_title: str | None
    doc_number: str | None
    issuer: str | None
    date: str | None
    date_kind: str | None
    date_range: tuple[str, str] | None
    jurisdiction: dict[str, Any] | None
    known: bool  # in the catalog of well-known texts
    cited_by: list[str] = field(default_factory=list)
    cited_before: str | None = None  # the earliest date of a citing document: this one is older
    span: tuple[int, int] | None = None
    external: bool = True
    candidates: list[str] = field(default_factory=list)  # corpus versions of its title the dates cannot choose from
    later: list[str] = field(default_factory=list)  # corpus versions of its title dated after every citer

    @property
    def level(self) -> str | None:
        return (self.jurisdiction or {}).get("level")

    @property
    def label(self) -> str:
        return self.title or self.doc_number or self.id

    @property
    def short(self) -> str:
        return short_label(self.title) if self.title else (self.doc_number or self.id)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "paths": [],
            "label": self.label,
            "short_label": self.short,
            "title": self.title,
            "notice_title": self.notice_title,
            "doc_number": self.doc_number,
            "issuer": self.issuer,
            "date": self.date,
            "date_kind": self.date_kind,
            "date_range": list(self.date_range) if self.date_range else None,
            "jurisdiction": self.jurisdiction,
            "level": self.level,
            "external": True,
            "known": self.known,
            "cited_by": list(self.cited_by),
            "cited_before": self.cited_before,
            "candidates": list(self.candidates),
            "later": list(self.later),
        }


@dataclass
class CitationLink:
    """Version ``citing`` cites node ``cited`` (a version or an external id) in these places."""

    citing: str
    cited: str
    refs: list[dict[str, Any]]  # {title, doc_number, via, span, path, resolution, confidence[, candidates, later]}

    @property
    def confidence(self) -> float:
        """How sure the link is to name this document: its best reference's resolution confidence."""
        return max((r.get("confidence", BY_NUMBER) for r in self.refs), default=BY_NUMBER)

    def describe(self) -> str:
        bits = []
        for r in self.refs:
            what = " ".join(x for x in (f"《{r['title']}》" if r.get("title") else "", r.get("doc_number") or "") if x)
            via = {"title": "title", "doc_number": "文号", "known": "name"}.get(r["via"], r["via"])
            if r["via"] == "title" and r.get("doc_number"):
                via = "title and 文号"
            bits.append(f"{what} (by {via})")
        return "; ".join(dict.fromkeys(bits))


def _place_of_name(name: str, source: str, context: str | None = None) -> dict[str, Any] | None:
    """Jurisdiction of an issuer or title: national bodies, else the place its name starts with."""
    n = fold(name).removeprefix("中共")
    national = {"name": "全国", "level": "national", "province": None, "code": None, "source": source}
    if _NATIONAL.match(n):
        return national
    for k in range(min(len(n), 12), 1, -1):
        divs = gazetteer.lookup(n[:k])
        if divs:
            d = sorted(divs, key=lambda x: (_PLACE_RANK.get(x.level, 3), x.historical))[0]
            return _jur(d, source)
    if _MINISTRY.match(n):
        return national
    hits = gazetteer.find(n)
    if hits:
        d = min((h[2] for h in hits), key=lambda x: _PLACE_RANK.get(x.level, 3))
        return _jur(d, source)
    return None


def _place_of_doc_number(dn: str, context_province: str | None) -> dict[str, Any] | None:
    """浙政办发 -> 浙江 (province), 绍政发 -> 绍兴 (city), 国发/国办发 -> national, 工信部规 -> national."""
    m = _DN.match(dn)
    if not m:
        return None
    prefix = m.group("prefix")
    if prefix.startswith("国") or _MINISTRY_PREFIX.search(prefix):
        return {"name": "全国", "level": "national", "province": None, "code": None, "source": "doc_number"}
    d = gazetteer.resolve(prefix[0], context_province=context_province)
    if d is None or d.abbr != prefix[0]:
        return None
    return _jur(d, "doc_number")


def _jur(d: gazetteer.Division, source: str) -> dict[str, Any]:
    return {"name": d.name, "level": d.level, "province": d.province, "code": d.code, "source": source}


def _known(title: str | None) -> dict | None:
    for k in KNOWN_DOCUMENTS:
        if title and fold(title) == fold(k["title"]):
            return k
    return None


def resolve(versions: list[Version]) -> tuple[list[External], list[CitationLink]]:
    """External nodes and citation links of the versions' citations."""
    by_dn: dict[str, list[Version]] = {}
    by_title: dict[str, list[Version]] = {}
    for v in versions:
        k = doc_number_key(v.doc_number)
        if k:
            by_dn.setdefault(k, []).append(v)
        for t in _version_titles(v):
            by_title.setdefault(t, []).append(v)
            bare = _EDITION.sub("", t)
            if bare != t and len(bare) >= 4:
                by_title.setdefault(bare, []).append(v)
    links: dict[tuple[str, str], CitationLink] = {}
    loose: list[tuple[Version, Any, str, dict]] = []  # citations to no corpus version (and why)
    for v in versions:
        own_dn, own_titles = doc_number_key(v.doc_number), _version_titles(v)
        for c, path in v.citations:
            dn = doc_number_key(c.doc_number)
            if (dn and dn == own_dn) or (not dn and own_titles & set(_cited_titles(c)) and not _issued_by_other(c, v)):
                continue  # the document's own 文号 or title
            target, how = _match(v, c, by_dn, by_title)
            if target is None:
                loose.append((v, c, path, how))
                continue
            _link(links, v.id, target.id, c, path, how)
    externals = _externals(loose, links, {v.id: v for v in versions})
    nodes: dict[str, Any] = {v.id: v for v in versions}
    nodes.update((e.id, e) for e in externals)
    for lk in links.values():
        _check_dates(nodes[lk.citing], nodes[lk.cited])
    return externals, sorted(links.values(), key=lambda lk: (lk.citing, lk.cited))


def _check_dates(v: Version, cited: Any) -> None:
    """Flag a version dated (or estimated) wholly before a document it cites, whose date is known."""
    if not v.span or not cited.span or cited.span[0] <= v.span[1]:
        return
    if cited.date_kind not in (*_DEFINITE, "doc_number"):
        return
    own = (
        f"estimated {v.date_range[0]}..{v.date_range[1]}"
        if v.date_kind == "estimated" and v.date_range
        else f"{v.date_kind} {v.date}"
    )
    v.date_conflicts.append(
        {
            "cited": cited.id,
            "cited_date": cited.date,
            "cited_date_kind": cited.date_kind,
            "detail": f"cites {cited.short} ({cited.date_kind} {cited.date}), later than its "
            f"own date ({own}): a date is wrong",
        }
    )


def _version_titles(v: Version) -> set[str]:
    out = set()
    t = title_key(v.title)
    if t:
        out.add(t)
        j = v.jurisdiction or {}
        for place in (j.get("name"), *(v.issuers or [])):
            pk = title_key(place)
            if pk and not t.startswith(pk):
                out.add(pk + t)
    return out


def _issued_by_other(c: Any, v: Version) -> bool:
    """Whether a citation names an issuer that is none of the citing document's own: a city's notice forwarding
    (转发) its province's plan, titled as the plan is, cites the province's notice issuing it, not itself."""
    if not c.issuer:
        return False
    theirs = _PUNCT.sub("", fold(c.issuer))
    ours = [_PUNCT.sub("", fold(i)) for i in v.issuers]
    return bool(ours) and not any(o and (o in theirs or theirs in o) for o in ours)


def _cited_titles(c: Any) -> list[str]:
    out = []
    for t in (c.plan_title, c.title):
        k = title_key(t)
        if k and k not in out:
            out.append(k)
    if c.title and not c.plan_title:
        m = NOTICE_TITLE.match(fold(c.title))
        if m:
            k = title_key(m.group("plan"))
            if k and k not in out:
                out.insert(0, k)
    return out


def _title_keys(v: Version) -> set[str]:
    """The version's titles (see _version_titles), and each without its edition."""
    out = _version_titles(v)
    for t in list(out):
        bare = _EDITION.sub("", t)
        if bare != t and len(bare) >= 4:
            out.add(bare)
    return out


def _match(
    v: Version, c: Any, by_dn: dict[str, list[Version]], by_title: dict[str, list[Version]]
) -> tuple[Version | None, dict[str, Any]]:
    """The corpus version a citation names, if any, and how it was resolved.

    Generated and real titles repeat across places (every city has its
    "关于进一步优化营商环境…的若干措施"), so among the versions bearing the
    title or 文号 the best are those that agree with most of what the
    citation says: the 文号, the title, the issuer's place (from a notice
    title), a place at or above the citing document's.  A 文号 names one
    document; a title may name several editions, which the dates choose
    from (:func:`_edition`).
    """
    dn = doc_number_key(c.doc_number)
    titles = _cited_titles(c)
    by_number = {x.id: x for x in by_dn.get(dn, [])} if dn else {}
    cands = dict(by_number)
    for t in titles:
        for x in by_title.get(t, []):
            # a 文号 the citation gives and the version's own differ: another document (or edition)
            if dn and x.doc_number and doc_number_key(x.doc_number) != dn:
                continue
            cands.setdefault(x.id, x)
    cands.pop(v.id, None)
    by_number.pop(v.id, None)
    if not cands:
        return None, {}
    place = _place_of_name(c.issuer, "issuer") if c.issuer else None
    if place is None and dn:
        place = _place_of_doc_number(dn, (v.jurisdiction or {}).get("province"))

    def score(x: Version) -> int:
        j = x.jurisdiction or {}
        s = 0
        if dn and doc_number_key(x.doc_number) == dn:
            s += 4
        if titles and _title_keys(x) & set(titles):
            s += 3
        if place:
            if (place.get("code") and place.get("code") == j.get("code")) or place.get("level") == "national" == j.get(
                "level"
            ):
                s += 2
            elif place.get("province") and place.get("province") == j.get("province"):
                s += 1
        if related_places(j, v.jurisdiction) and LEVEL_RANK.get(x.level or "", 9) <= LEVEL_RANK.get(v.level or "", 9):
            s += 1
        return s

    if by_number:
        best = max(by_number.values(), key=lambda x: (score(x), x.span[0] if x.span else -1, x.id))
        return best, {"resolution": "doc_number", "confidence": BY_NUMBER}
    top = max(score(x) for x in cands.values())
    return _edition(v, sorted((x for x in cands.values() if score(x) == top), key=lambda x: x.id))


def _dated(v: Version) -> tuple[int, int]:
    """The date interval of a version known to have one."""
    assert v.span is not None, v.id
    return v.span


def _edition(v: Version, group: list[Version]) -> tuple[Version | None, dict[str, Any]]:
    """Which of the versions a title names (its editions, as far as the citation tells) the citer ``v`` cites.

    Only a version that can precede ``v`` (its earliest date not after
    ``v``'s latest); among several, the latest -- when the dates say which
    that is.  Otherwise unresolved, with the candidates.
    """
    if not v.span:
        if len(group) == 1:
            return group[0], {"resolution": "title", "confidence": BY_TITLE_UNDATED}
        return None, {"candidates": [x.id for x in group]}
    later = [x for x in group if x.span and x.span[0] > v.span[1]]
    undated = [x for x in group if not x.span]
    before = [x for x in group if x.span and x.span[1] <= v.span[0]]  # wholly before the citer
    maybe = [x for x in group if x.span and x not in before and x not in later]  # overlapping it
    info: dict[str, Any] = {"later": [x.id for x in later]} if later else {}
    possible = before + maybe + undated
    if not possible:
        return None, info
    if len(possible) == 1 and (maybe or undated):
        return possible[0], {**info, "resolution": "title", "confidence": BY_TITLE_UNDATED}
    if maybe or undated:
        return None, {**info, "candidates": [x.id for x in possible]}
    latest = max(before, key=lambda x: _dated(x)[1])
    rivals = [x for x in before if x is not latest and _dated(x)[1] >= _dated(latest)[0]]
    if rivals:
        return None, {**info, "candidates": sorted(x.id for x in [latest, *rivals])}
    points = all(y.date_kind in _DEFINITE and _dated(y)[0] == _dated(y)[1] for y in (latest, v))
    return latest, {**info, "resolution": "title", "confidence": BY_TITLE_DATED if points else BY_TITLE_ESTIMATED}


def _link(
    links: dict[tuple[str, str], CitationLink],
    citing: str,
    cited: str,
    c: Any,
    path: str,
    how: dict[str, Any] | None = None,
) -> None:
    lk = links.setdefault((citing, cited), CitationLink(citing, cited, []))
    lk.refs.append(
        {
            "title": c.title,
            "doc_number": c.doc_number,
            "via": c.via,
            "span": list(c.span),
            "path": path,
            "resolution": "external",
            "confidence": BY_NUMBER,
            **(how or {}),
        }
    )


def _externals(
    loose: list[tuple[Version, Any, str, dict]], links: dict, versions: dict[str, Version]
) -> list[External]:
    uf = UnionFind(len(loose))
    seen: dict[str, int] = {}
    for i, (_, c, _, _) in enumerate(loose):
        keys = [f"dn:{doc_number_key(c.doc_number)}"] if c.doc_number else []
        keys += [f"t:{t}" for t in _cited_titles(c)]
        for k in keys:
            if k in seen:
                uf.union(i, seen[k])
            else:
                seen[k] = i
    groups: dict[int, list[int]] = {}
    for i in range(len(loose)):
        groups.setdefault(uf.find(i), []).append(i)
    out = []
    for members in groups.values():
        cites = [loose[i][:3] for i in members]
        ext = _external(cites, versions)
        for v, c, path, how in (loose[i] for i in members):
            ext.candidates = sorted(set(ext.candidates) | set(how.get("candidates", [])))
            ext.later = sorted(set(ext.later) | set(how.get("later", [])))
            _link(
                links,
                v.id,
                ext.id,
                c,
                path,
                {**how, "resolution": "unresolved" if how.get("candidates") else "external"},
            )
        out.append(ext)
    out.sort(key=lambda e: e.id)
    return out


def _external(cites: list[tuple[Version, Any, str]], versions: dict[str, Version]) -> External:
    dn = next((doc_number_key(c.doc_number) for _, c, _ in cites if c.doc_number), None)
    plan = next((c.plan_title for _, c, _ in cites if c.plan_title), None)
    notice = next((c.title for _, c, _ in cites if c.plan_title), None)
    title = plan or next((c.title for _, c, _ in cites if c.title), None)
    if title and not plan:
        m = NOTICE_TITLE.match(fold(title))
        if m:
            notice, title = title, m.group("plan").strip("《》")
    issuer = next((c.issuer for _, c, _ in cites if c.issuer), None)
    known = _known(title)
    context = next(((v.jurisdiction or {}).get("province") for v, _, _ in cites if v.jurisdiction), None)
    jur = None
    if known:
        jur = {
            "name": "全国",
            "level": known.get("level", "national"),
            "province": None,
            "code": None,
            "source": "known",
        }
        issuer = issuer or known.get("issuer")
        dn = dn or doc_number_key(known.get("doc_number"))
    for name, source in ((issuer, "issuer"), (title, "title"), (notice, "title")):
        if jur is None and name:
            jur = _place_of_name(name, source, context)
    if jur is None and dn:
        jur = _place_of_doc_number(dn, context)
    d, kind, rng = None, None, None
    if known and known.get("date"):
        d, kind = known["date"], "known"
    elif dn and (m := _DN.match(dn)):
        y = m.group("year")
        d, kind, rng = y, "doc_number", (f"{y}-01-01", f"{y}-12-31")
    citing = sorted({v.id for v, _, _ in cites})
    bounds = [span[1] for c in citing if (span := versions[c].span)]
    before = date.fromordinal(min(bounds)).isoformat() if bounds else None
    key = f"dn:{dn}" if dn else f"t:{title_key(title) or title_key(notice) or ''}"
    eid = "x-" + hashlib.blake2b(key.encode("utf-8"), digest_size=5).hexdigest()
    ext = External(eid, title, notice, dn, issuer, d, kind, rng, jur, known is not None, citing, before)
    ext.span = interval(d, "estimated" if rng else kind, rng)
    return ext


def predates(x: Any, y: Any) -> bool:
    """Whether document x (external or version) is known to be older than version y.

    y citing x is enough; otherwise x's latest possible date (its own, or
    the earliest date of a document citing it) must fall before y's earliest.
    """
    if y.id in getattr(x, "cited_by", ()):
        return True
    hi = x.span[1] if x.span else None
    if getattr(x, "cited_before", None):
        c = date.fromisoformat(x.cited_before).toordinal()
        hi = c if hi is None else min(hi, c)
    return hi is not None and y.span is not None and hi < y.span[0]


def at_or_above(x: Any, a: Any, b: Any) -> bool:
    """Whether x's level is at or above both a's and b's."""
    rx = LEVEL_RANK.get(x.level or "", None)
    return rx is not None and all(rx <= LEVEL_RANK.get(y.level or "", 9) for y in (a, b))
