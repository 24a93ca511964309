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
  cites it), or what the trace attributes to it is too little to say text
  went between the two at all.

A document sharing none of the target's own text -- only formulaic text (set
phrases, a date line) or a well-known national text both quote, nothing
counted -- is no source of it and has no direction to weigh: as the graph
shows no edge for such a pair, its direction is ``formulaic_only``, not
weighed (``status`` uncertain, ``source`` None, no evidence).

Too little is what the graph would not show as an edge
(:func:`lineage.graph.pipeline.shown`): in a corpus large enough to have a
background (plans of one kind share stock sentences with dozens of others),
less than :data:`~lineage.graph.pipeline.DEFAULT_MIN_SEQUENTIAL` of either
document reused sentence for sentence in the order of both, unless one
cites the other.  Two plans sharing a stock sentence or two, the earlier
one "established" by its date, are no source and copy; the province plan a
city plan follows paragraph after paragraph is.

The words only; which document the trace attributes a span to is decided
before this, by attribution's rules (:mod:`lineage.align.attribution`).
Alignment comes before the graph, so it is here, after both, that a trace
(:func:`trace`) and an alignment (:func:`align_pair`) are worded; the
report's hooks for them are here too, so a report says what the commands say.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from lineage.align.aligner import align_in_store, load_stored
from lineage.align.diff import localizations
from lineage.align.index import Index
from lineage.align.result import AlignResult, round_share
from lineage.align.trace import TraceResult
from lineage.align.trace import trace as trace_unworded
from lineage.graph import citations
from lineage.graph.candidates import BACKGROUND_RANK
from lineage.graph.direction import Evidence, decide
from lineage.graph.edges import adoption, common_sources, possible_common_sources
from lineage.graph.nodes import Version, assign_labels, make_version
from lineage.graph.pipeline import DEFAULT_MIN_SEQUENTIAL, known_nodes
from lineage.model import Document
from lineage.store import Store

SOURCE = "source"  # the evidence shows the listed document is the target's source
SHARES = "shares text"  # it does not (uncertain, the target the likelier source, or too little text in order)


def _version(doc: Document, path: str) -> Version:
    # one copy each: the trace lists documents, not versions (a copy of a source is listed as itself)
    return make_version(doc.sha256[:12], [doc], [path])


def _source_chars(m: Any) -> int:
    """A match's characters on the source's side (the graph's passages count them so: ``source_chars``)."""
    return len("".join(op[1] for op in m.diff)) if m.diff else m.chars


def _sequential(result: AlignResult, sources: dict[str, Document]) -> dict[str, tuple[float, float]]:
    """Per source path: the share of the target and of the source that it holds sentence for sentence, in
    order (whole units, not moved, not lifted clauses; formulaic text aside), of what the trace gave it --
    the graph's ``sequential_share``, on each side."""
    tgt, src = Counter[str](), Counter[str]()
    for m in result.matches:
        if not m.formulaic and m.content != "partial" and m.relation != "moved":
            tgt[m.source] += m.chars
            src[m.source] += _source_chars(m)
    total = result.summary.get("target_chars") or 0
    out = {}
    for path, doc in sources.items():
        size = doc.body_chars()
        out[path] = (tgt[path] / total if total else 0.0, src[path] / size if size else 0.0)
    return out


def directions(
    target: Document, sources: list[Document], result: AlignResult, background: bool = False
) -> dict[str, dict[str, Any]]:
    """For each listed source path (``result.sources``): the direction between it and the target.

    ``{"says": "source" | "shares text", "source": "this" | "target" | None, "status": "established" |
    "uncertain", "confidence", "conflict", "evidence": [{"kind", "favours": "this" | "target" | None,
    "detail"}], "sequential_share": [of the target, of this document], "sequential_min", "too_little": bool,
    "possible_common_sources": [{"id", "title", "why"}]}``: "this" is the listed document; ``source`` is None where
    the direction is uncertain.  ``possible_common_sources`` are the graph edge's for the pair, under its
    conditions (:func:`lineage.graph.edges.possible_common_sources`): documents either cites, older than both
    and at or above both levels, other than the well-known texts both quote (which the trace counts apart and
    an adoption story names with their passages and characters, as the graph's).  ``"formulaic_only": True``: the
    pair shares none of the target's own text (nothing counted: formulaic, or a national text both quote), so
    nothing went between them to weigh a direction of: "shares text", not weighed.  ``background``: the corpus
    is large enough to have one (a trace's retrieval found more than the graph's BACKGROUND_RANK
    candidates): what it holds in order must then pass the graph's threshold to be called a source.
    """
    by_sha = {d.sha256: d for d in sources}
    listed = {info.path: by_sha[info.sha256] for info in result.sources if info.sha256 in by_sha}
    tv = _version(target, result.target.path)
    versions = {path: _version(doc, path) for path, doc in listed.items()}
    assign_labels([tv, *versions.values()])
    externals, links = citations.resolve([tv, *versions.values()])
    cites = {(lk.citing, lk.cited): lk for lk in links}
    nodes: dict[str, Any] = {v.id: v for v in (tv, *versions.values())}
    nodes.update((x.id, x) for x in externals)
    # the well-known national texts both quote, per listed document: its matches quoting one (not counted), each
    # under the graph's node for the text, counted as the graph counts an edge's (lineage.graph.edges)
    quoting = [(m, m.common_source["title"]) for m in result.matches if m.common_source and not m.formulaic]
    known = known_nodes([tv, *versions.values()], externals, nodes, {title for _, title in quoting})
    quoted: dict[str, list[tuple[Any, int, int]]] = {}
    for m, title in quoting:
        quoted.setdefault(m.source, []).append((known[title], m.chars, _source_chars(m)))
    swaps: dict[str, Counter] = {}
    for m in result.matches:
        if not m.formulaic:
            swaps.setdefault(m.source, Counter()).update(localizations(m.diff, target.jurisdiction))
    in_order = _sequential(result, listed)
    by_source = result.summary.get("by_source") or {}
    out: dict[str, dict[str, Any]] = {}
    for path, sv in versions.items():
        if not (by_source.get(path) or {}).get("chars"):
            out[path] = _nothing_counted(in_order[path])
            continue
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
        # as the graph's edge (a = this document, b = the target): the known texts both quote, and the documents
        # both may draw on, under the graph's conditions
        common = common_sources(quoted.get(path, []), d.source == "a")
        possible = possible_common_sources(d, sv, tv, nodes, cites, common)
        if d.overruled and d.status == "uncertain":
            # as the graph's edge says it: the earlier by date, the later and higher may have adopted its text
            earlier, later = (sv, tv) if d.source == "a" else (tv, sv)
            told = adoption(earlier, later, d.overruled, possible, common)
            d.evidence.append(Evidence("adoption", None, told["detail"]))
        established = d.status == "established"
        side = ("this" if d.source == "a" else "target") if established else None
        seq = in_order[path]
        too_little = background and not (a_b or b_a) and max(seq) < DEFAULT_MIN_SEQUENTIAL
        out[path] = {
            "says": SOURCE if side == "this" and not too_little else SHARES,
            "source": side,
            "status": d.status,
            "confidence": d.confidence,
            "conflict": d.conflict,
            "evidence": [_evidence(e) for e in d.evidence],
            "sequential_share": [round_share(seq[0]), round_share(seq[1])],
            "sequential_min": DEFAULT_MIN_SEQUENTIAL,
            "too_little": too_little,
            "formulaic_only": False,
            "possible_common_sources": possible,
        }
    return out


def _nothing_counted(seq: tuple[float, float]) -> dict[str, Any]:
    """The direction of a listed document sharing none of the target's own text (formulaic text, a national
    text both quote): no text went between the two, so there is no direction to weigh and it is no source --
    as the graph, which shows no edge for such a pair."""
    return {
        "says": SHARES,
        "source": None,
        "status": "uncertain",
        "confidence": 0.0,
        "conflict": False,
        "evidence": [],
        "sequential_share": [round_share(seq[0]), round_share(seq[1])],
        "sequential_min": DEFAULT_MIN_SEQUENTIAL,
        "too_little": False,
        "formulaic_only": True,
        "possible_common_sources": [],
    }


def _evidence(e: Evidence) -> dict[str, Any]:
    out = e.to_dict(True)  # a (favours "source") is the listed document
    out["favours"] = {"source": "this", "target": "target"}.get(out["favours"])
    return out


def _word(result: AlignResult, target: Document, sources: list[Document], background: bool = False) -> None:
    """Give each document ``result`` lists its direction (``sources[].direction``), and whether it shares
    only formulaic text with the target (``formulaic_only``: an alignment's source as a trace's)."""
    how = directions(target, sources, result, background=background)
    for info in result.sources:
        info.direction = how.get(info.path)
        if info.direction is not None:
            info.formulaic_only = info.direction["formulaic_only"]


def word(res: TraceResult, target: Document) -> TraceResult:
    """Give each document a trace lists its direction (``sources[].direction``); the same result, worded."""
    _word(res.result, target, res.documents, background=res.retrieval.candidates > BACKGROUND_RANK)
    return res


def trace(target: Document, index: Index, store: Store, **options: Any) -> TraceResult:
    """:func:`lineage.align.trace.trace` (same options), each listed document worded by the evidence."""
    return word(trace_unworded(target, index, store, **options), target)


def align_pair(store: Store, source: Document, target: Document) -> AlignResult:
    """:func:`lineage.align.aligner.align_in_store`, with which way the evidence says the text went: the user
    named the source, and keeps the word; the direction is said under it."""
    result = align_in_store(store, source, target)
    _word(result, target, [source])
    return result


def align_for_report(store: Store, source_sha: str, target_sha: str) -> dict[str, Any]:
    """The report's hook (``lineage.report.pipeline``): ``lineage align --json`` of two stored documents."""
    return align_pair(store, load_stored(store, source_sha), load_stored(store, target_sha)).to_dict()


def trace_for_report(
    store: Store,
    target_sha: str,
    shas: Iterable[str],
    *,
    jobs: int | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> dict[str, Any]:
    """The report's hook (``lineage.report.pipeline``): ``lineage trace --json`` of a stored document.

    Sources are chosen among ``shas`` only (the report's documents, or those
    the report already knows share text with the target).  ``progress``
    follows the index build when the cached index is missing or stale;
    ``jobs`` is accepted for the hook's contract (the index build sizes its
    own pool).
    """
    index = Index.open(store, progress=progress, skip={target_sha})  # as `lineage trace` opens it
    return trace(load_stored(store, target_sha), index, store, sources=shas).to_dict()
