"""Edges of the graph from the alignments and the citations: shares, passages, direction, common sources.

A reuse edge is built from one :class:`~lineage.graph.align.PairResult`.
Its passages are sorted into

* **direct** -- what counts towards the shares (``chars``: identical,
  modified, localized target characters);
* **formulaic** -- stock text (headings every plan has, slogans,
  responsibility lines): counted apart, never evidence;
* **common source** -- a passage of a well-known national text
  (:mod:`lineage.align.known`): both documents draw on it, so it is marked
  ``common_source`` and left out of the shares;
* **widely shared** -- text found in documents of several provinces
  (:mod:`lineage.graph.candidates`): its origin lies outside the pair (left
  out of the shares, unless one side is a national document, the expected
  origin of such text).

Passages an earlier document explains better never reach the pair: the
alignment gives them to that document (siblings are not credited with
their parent's text); pairs whose shared text is all explained so are
listed under ``indirect``.

Direction comes from :mod:`lineage.graph.direction`; an edge whose
direction is established is oriented source -> target accordingly, an
uncertain one is shown earliest first and says so.  An edge established by
two definite dates against the level (a city plan published before the
provincial plan that shares its text) carries ``adoption``: the later,
higher document may have adopted the earlier one's text, or both drew on a
common source, with the candidates (documents either cites, older than both
and at or above both levels, and the well-known texts both quote).

The shares are computed here, once; every page and the CLI print them
through :func:`share_text`, so one edge shows one figure everywhere.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from lineage.align.result import round_share
from lineage.align.result import share_text as share_text  # where every page and the CLI import it from
from lineage.graph.align import Indirect, PairResult
from lineage.graph.citations import CitationLink, External, at_or_above, predates
from lineage.graph.direction import Direction, Evidence, decide
from lineage.graph.nodes import Version, related_places

KINDS = ("identical", "modified", "localized")


def reuse_edge(
    pr: PairResult,
    a: Version,
    b: Version,
    links: dict[tuple[str, str], CitationLink],
    known: dict[str, External],
    nodes: dict[str, Any],
) -> dict[str, Any]:
    """One reuse edge (a = the alignment's source, the earlier in the graph order; b = its target)."""
    national = "national" in (a.level, b.level)
    chars = dict.fromkeys(KINDS, 0)  # b's characters (the alignment's target)
    chars_a = dict.fromkeys(KINDS, 0)  # a's
    # what is not counted, on each side too: the edge reports the characters of whichever side is its target
    formulaic = dict.fromkeys("ab", 0)
    widely = dict.fromkeys("ab", 0)
    quoted: list[tuple[Any, int, int]] = []  # passages quoting a known text: (its node, b's chars, a's chars)
    swaps: Counter = Counter()
    # counted characters of whole units (sentences, headings, paragraphs; not lifted clauses) in the order of
    # both documents (not moved): copying, as opposed to sharing scattered stock sentences
    sequential = dict.fromkeys("ab", 0)
    out_passages = []
    for p in pr.passages:
        d = p.to_dict()
        if p.formulaic:
            formulaic["b"] += p.chars
            formulaic["a"] += p.source_chars
            d["counted"] = False
        elif p.known:
            ext = known[p.known.split("|")[0]]
            quoted.append((ext, p.chars, p.source_chars))
            d["common_source"] = ext.id
            d["counted"] = False
            swaps.update(p.swaps)
        elif p.wide and not national:
            widely["b"] += p.chars
            widely["a"] += p.source_chars
            d["common_source"] = "widely shared"
            d["counted"] = False
        else:
            chars[p.kind] += p.chars
            chars_a[p.kind] += p.source_chars
            if p.content != "partial" and p.relation != "moved":
                sequential["b"] += p.chars
                sequential["a"] += p.source_chars
            d["counted"] = True
            swaps.update(p.swaps)
        out_passages.append(d)
    total = sum(chars.values())
    src_chars = sum(chars_a.values())
    a_cites_b = [links[(a.id, b.id)].describe()] if (a.id, b.id) in links else []
    b_cites_a = [links[(b.id, a.id)].describe()] if (b.id, a.id) in links else []
    revision = bool(a.family and a.family == b.family)
    dirn = decide(
        a,
        b,
        swaps=swaps,
        a_cites_b=a_cites_b,
        b_cites_a=b_cites_a,
        revision=revision,
        p_a_cites_b=links[(a.id, b.id)].confidence if a_cites_b else 1.0,
        p_b_cites_a=links[(b.id, a.id)].confidence if b_cites_a else 1.0,
    )
    a_is_source = dirn.source == "a"
    src, tgt = (a, b) if a_is_source else (b, a)
    share_b = total / b.chars if b.chars else 0.0
    share_a = src_chars / a.chars if a.chars else 0.0
    side = "b" if a_is_source else "a"
    common = common_sources(quoted, a_is_source)
    if not a_is_source:
        for d in out_passages:
            d["source_span"], d["target_span"] = d["target_span"], d["source_span"]
            d["chars"], d["source_chars"] = d["source_chars"], d["chars"]
            d["swaps"] = [[y, x] for x, y in d["swaps"]]
    edge: dict[str, Any] = {
        "source": src.id,
        "target": tgt.id,
        "kind": "reuse",
        "share_of_target": round_share(share_b if a_is_source else share_a),
        "share_of_source": round_share(share_a if a_is_source else share_b),
        "chars": {
            **(chars if a_is_source else chars_a),
            "formulaic": formulaic[side],
            "widely_shared": widely[side],
            "common_source": sum(c["chars"] for c in common),
        },
        "passages": sorted(out_passages, key=lambda d: (d["target_span"], d["source_span"])),
        "direction": dirn.status,
        "conflict": dirn.conflict,
        "direction_evidence": [e.to_dict(a_is_source) for e in dirn.evidence],
        "confidence": dirn.confidence,
        "cited": bool(a_cites_b if not a_is_source else b_cites_a),
        "revision": revision,
        "common_sources": common,
        "possible_common_sources": possible_common_sources(dirn, a, b, nodes, links, common),
        "source_path": src.path,
        "target_path": tgt.path,
        "source_sha256": src.sha,
        "target_sha256": tgt.sha,
        "retrieval": pr.retrieval(),
        "sequential_share": round_share(
            max(sequential["a"] / a.chars if a.chars else 0.0, sequential["b"] / b.chars if b.chars else 0.0)
        ),
    }
    edge["strength"] = max(edge["share_of_target"], edge["share_of_source"])
    edge["adoption"] = None
    if dirn.by_dates:
        edge["adoption"] = adoption(src, tgt, dirn.overruled, edge["possible_common_sources"], edge["common_sources"])
        ev = Evidence("adoption", None, edge["adoption"]["detail"])
        edge["direction_evidence"].append(ev.to_dict(a_is_source))
    return edge


def common_sources(quoted: Iterable[tuple[Any, int, int]], a_is_source: bool) -> list[dict[str, Any]]:
    """The well-known texts a pair's shared passages quote, most characters first: ``{"id", "title", "passages",
    "chars", "basis"}`` per text's node.  ``quoted``: one ``(node, b's characters, a's characters)`` per passage
    (a, b: the alignment's source and target); ``chars`` are the characters of the edge's target -- b's where a
    is the source, else a's -- as every figure of an edge.  The graph's edges and a trace's directions
    (:mod:`lineage.graph.traced`) count them here, so a pair shows one figure everywhere."""
    common: dict[str, dict[str, Any]] = {}
    for node, b_chars, a_chars in quoted:
        c = common.setdefault(
            node.id, {"id": node.id, "title": node.title, "passages": 0, "chars": 0, "basis": "known text"}
        )
        c["passages"] += 1
        c["chars"] += b_chars if a_is_source else a_chars
    return sorted(common.values(), key=lambda c: -c["chars"])


def possible_common_sources(
    dirn: Direction,
    a: Version,
    b: Version,
    nodes: dict[str, Any],
    links: dict[tuple[str, str], CitationLink],
    common: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    """What a pair's ``possible_common_sources`` lists: where its direction is uncertain, rests on the dates or
    the two quote a known text, the documents both may draw on (:func:`possible_sources`) other than the known
    texts they quote (``common``, from :func:`common_sources`); else nothing."""
    if not (dirn.status == "uncertain" or common or dirn.by_dates):
        return []
    quoted = {c["id"] for c in common}
    return [x for x in possible_sources(a, b, nodes, links) if x["id"] not in quoted]


def adoption(
    earlier: Version,
    later: Version,
    overruled: list[Evidence],
    possible: list[dict[str, Any]],
    common: list[dict[str, Any]],
) -> dict[str, Any]:
    """What an edge established by dates against the level says instead of a conflict, with candidates named."""
    cands = [
        {
            "id": c["id"],
            "title": c["title"],
            "why": f"both quote its known text ({c['passages']} passage"
            f"{'s' if c['passages'] != 1 else ''}, {c['chars']} characters, not counted)",
        }
        for c in common
    ]
    cands += [{"id": c["id"], "title": c["title"], "why": c["why"]} for c in possible]
    named = "; ".join(f"{c['title']} ({c['id']}: {c['why']})" for c in cands)
    detail = (
        f"the later {later.short} ({later.level or 'level unknown'}) may have adopted the text of the earlier "
        f"{earlier.short} ({earlier.level or 'level unknown'}), or both drew on a common source; "
        + (f"candidates: {named}" if cands else "no cited document older than both is known")
    )
    return {
        "earlier": earlier.id,
        "later": later.id,
        "overruled": [e.kind for e in overruled],
        "candidates": cands,
        "detail": detail,
    }


def possible_sources(
    a: Version, b: Version, nodes: dict[str, Any], links: dict[tuple[str, str], CitationLink]
) -> list[dict[str, Any]]:
    """Documents cited by either side, older than both and at or above both levels: both may draw on them.

    Said, not claimed: a cited external document's text is not in the corpus.
    """
    out = []
    cited: dict[str, list[str]] = {}
    for citing, x in links:
        if citing in (a.id, b.id):
            cited.setdefault(x, []).append(citing)
    for x, by in sorted(cited.items()):
        n = nodes.get(x)
        if n is None or x in (a.id, b.id):
            continue
        if not (predates(n, a) and predates(n, b) and at_or_above(n, a, b)):
            continue
        if (
            n.jurisdiction
            and n.level != "national"
            and not (related_places(n.jurisdiction, a.jurisdiction) and related_places(n.jurisdiction, b.jurisdiction))
        ):
            continue
        names = " and ".join(nodes[c].short for c in sorted(set(by)))
        where = (n.jurisdiction or {}).get("name") or "place unknown"
        when = n.date or (f"before {n.cited_before}" if getattr(n, "cited_before", None) else "undated")
        text = "its text is not in the corpus" if getattr(n, "external", False) else "in the corpus"
        out.append(
            {
                "id": x,
                "title": n.label,
                "why": f"cited by {names}; {where} ({n.level}), {when}: "
                f"older than both and at or above both levels; {text}",
            }
        )
    return out


def citation_edge(
    lk: CitationLink, nodes: dict[str, Any], reuse_pairs: set[frozenset], known_quoted: set[tuple[str, str]]
) -> dict[str, Any]:
    """The cited node -> the citing version; ``quoted`` says whether the text is reused too."""
    cited, citing = nodes[lk.cited], nodes[lk.citing]
    if getattr(cited, "external", False):
        quoted = True if (lk.cited, lk.citing) in known_quoted else None
    else:
        quoted = frozenset((lk.cited, lk.citing)) in reuse_pairs
    ev = [{"kind": "citation", "favours": "source", "detail": f"{citing.short} cites {lk.describe()}"}]
    if not getattr(cited, "external", False) and cited.span and citing.span and cited.span[0] > citing.span[1]:
        ev.append(
            {
                "kind": "date",
                "favours": "target",
                "detail": f"the cited {cited.short} is dated after {citing.short}: a date may be wrong",
            }
        )
    return {
        "source": lk.cited,
        "target": lk.citing,
        "kind": "citation",
        "share_of_target": None,
        "share_of_source": None,
        "chars": {},
        "passages": [],
        "direction": "established",
        "conflict": False,
        "direction_evidence": ev,
        "confidence": lk.confidence,
        "citations": lk.refs,
        "quoted": quoted,
        "source_path": None if getattr(cited, "external", False) else cited.path,
        "target_path": citing.path,
    }


def indirect_entry(ind: Indirect, versions: list[Version], rank: list[int]) -> dict[str, Any]:
    a, b = versions[ind.a], versions[ind.b]
    if ind.by < 0:
        rel, through = "explained", None
    else:
        through = versions[ind.by].id
        rel = "common_source" if rank[ind.by] < rank[ind.a] else "via"
    return {"a": a.id, "b": b.id, "relation": rel, "through": through, "shared_chars_estimate": ind.shared}
