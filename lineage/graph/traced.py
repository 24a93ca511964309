"""Which way the text went between a traced document and each document the trace lists.

A trace finds where a target's text is also found; that a listed document
is the target's *source* is a claim about direction, which needs evidence.
The evidence and its weighing are the graph's (:func:`lineage.graph.direction.decide`:
dates as intervals, administrative level, citations by 文号 or title,
localization swaps in the aligned passages), asked of each pair (listed
document, target), so a trace and the graph say the same kind of thing
of a pair, by the same rules.  What the trace then says of each listed document:

* ``source``: the evidence points to it and nothing points the other way;
* ``shares text``: the direction is uncertain (no evidence, or evidence
  both ways), or the evidence points to the *target* as the source (the
  listed document is dated after it, lies inside its jurisdiction, or
  cites it).

The words only; which document the trace attributes a span to is decided
before this, by attribution's rules (:mod:`lineage.align.attribution`).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from lineage.align.diff import localizations
from lineage.align.result import AlignResult
from lineage.graph import citations
from lineage.graph.direction import Evidence, decide
from lineage.graph.nodes import Version, assign_labels, make_version
from lineage.model import Document

SOURCE = "source"  # the evidence shows the listed document is the target's source
SHARES = "shares text"  # it does not (uncertain, or the target is the likelier source)


def _version(doc: Document, path: str) -> Version:
    # one copy each: the trace lists documents, not versions (a copy of a source is listed as itself)
    return make_version(doc.sha256[:12], [doc], [path])


def directions(target: Document, sources: list[Document], result: AlignResult) -> dict[str, dict[str, Any]]:
    """For each listed source path (``result.sources``): the direction between it and the target.

    ``{"says": "source" | "shares text", "source": "this" | "target" | None, "status": "established" |
    "uncertain", "confidence", "conflict", "evidence": [{"kind", "favours": "this" | "target" | None,
    "detail"}]}``: "this" is the listed document; ``source`` is None where the direction is uncertain.
    """
    by_sha = {d.sha256: d for d in sources}
    tv = _version(target, result.target.path)
    listed = [(info.path, _version(by_sha[info.sha256], info.path)) for info in result.sources if info.sha256 in by_sha]
    versions = [tv, *(v for _, v in listed)]
    assign_labels(versions)
    _, links = citations.resolve(versions)
    cites = {(lk.citing, lk.cited): lk for lk in links}
    swaps: dict[str, Counter] = {}
    for m in result.matches:
        if not m.formulaic:
            swaps.setdefault(m.source, Counter()).update(localizations(m.diff, target.jurisdiction))
    out = {}
    for path, sv in listed:
        a_b, b_a = cites.get((sv.id, tv.id)), cites.get((tv.id, sv.id))
        d = decide(
            sv,
            tv,
            swaps=swaps.get(path, Counter()),
            a_cites_b=[a_b.describe()] if a_b else [],
            b_cites_a=[b_a.describe()] if b_a else [],
            p_a_cites_b=a_b.confidence if a_b else 1.0,
            p_b_cites_a=b_a.confidence if b_a else 1.0,
        )
        established = d.status == "established"
        side = ("this" if d.source == "a" else "target") if established else None
        out[path] = {
            "says": SOURCE if side == "this" else SHARES,
            "source": side,
            "status": d.status,
            "confidence": d.confidence,
            "conflict": d.conflict,
            "evidence": [_evidence(e) for e in d.evidence],
        }
    return out


def _evidence(e: Evidence) -> dict[str, Any]:
    out = e.to_dict(True)  # a (favours "source") is the listed document
    out["favours"] = {"source": "this", "target": "target"}.get(out["favours"])
    return out
