"""The result of an alignment: chosen edges turned into the JSON contract.

:func:`assemble` takes the edges kept for each source (one source for
``align``, several for ``trace``) and accounts for every unit of the target:
matched (:class:`Match`, with original-text spans) or :class:`Added`; and
for the source units no edge uses, :class:`Deleted`.  A target paragraph
whose sentences all come, in order and one to one, from all the sentences of
one source paragraph, identical or only localized, is reported as one
paragraph match: the coarsest unit that is true.  The summary counts
characters by relation and by source; formulaic matches do not count
towards the reuse share.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from lineage.align.edges import Edge, moved_flags
from lineage.align.formulaic import Formulaic, curated
from lineage.align.known import known_in
from lineage.align.set_aside import SET_ASIDE
from lineage.align.sides import Atom, Side
from lineage.model import Document, Span

RELATIONS = ("identical", "modified", "localized", "partial", "merged", "split", "moved")

KeyFn = Callable[[str], int]  # a normalized text's document-frequency key (lineage.align.index.text_key)


@dataclass
class DocInfo:
    path: str
    sha256: str
    title: str | None
    date: str | None
    date_kind: str | None
    jurisdiction: dict[str, Any] | None
    format: str
    encoding: str
    date_range: list[str] | None = None  # an estimate's first and last possible day (lineage.dates)
    # sources only: known to be dated after the target (True), not after it (False); None where the dates
    # cannot tell (either undated, or an estimate's range overlapping the other date: lineage.dates)
    later_than_target: bool | None = None
    # trace's and align's sources: nothing attributed to it counts -- formulaic (a date line, an addressee list)
    # or text of a well-known national document both quote: it holds none of the target's own text, listed apart
    # (and no direction is weighed for it: lineage.graph.traced)
    formulaic_only: bool | None = None
    # trace sources only: which way the text went between it and the target, by the graph's evidence rules
    # (lineage.graph.traced): "says" is "source" only where the evidence shows it, else "shares text"
    direction: dict[str, Any] | None = None

    @classmethod
    def of(cls, doc: Document, path: str | None = None) -> DocInfo:
        j = doc.jurisdiction
        return cls(
            path or doc.path,
            doc.sha256,
            doc.title,
            doc.date,
            doc.date_kind,
            {"name": j.name, "level": j.level, "province": j.province} if j else None,
            doc.format,
            doc.encoding,
            list(doc.date_range) if doc.date_kind == "estimated" and doc.date_range else None,
        )


@dataclass
class Match:
    source: str  # source path
    source_span: Span
    target_span: Span
    relation: str  # one of RELATIONS
    score: float  # 0-100
    unit: str  # paragraph | sentence | clause
    formulaic: bool
    diff: list[list[str]]  # token diff on normalized text; empty when identical
    content: str  # the relation apart from order: identical|modified|localized|partial|merged|split
    moved: bool
    formatting_only: bool  # identical after normalization, different as written
    source_units: list[str]
    target_units: list[str]
    source_sha256: str
    source_spans: list[Span] | None = None  # merged: each source sentence
    chars: int = 0  # normalized target characters covered
    parts: list[dict[str, Any]] | None = None  # localized paragraph: its sentences, one by one
    also_in: list[dict[str, Any]] | None = None  # trace: other sources holding the same text (siblings, copies)
    # a well-known national text the matched target text quotes ({"title", "doc_number", "passage"}): both
    # documents draw on it, so it is not counted as reuse between them (as the graph's common_source passages)
    common_source: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        d = {
            "source": self.source,
            "source_span": list(self.source_span),
            "target_span": list(self.target_span),
            "relation": self.relation,
            "score": self.score,
            "unit": self.unit,
            "formulaic": self.formulaic,
            "diff": self.diff,
            "content": self.content,
            "moved": self.moved,
            "formatting_only": self.formatting_only,
            "source_units": self.source_units,
            "target_units": self.target_units,
            "source_sha256": self.source_sha256,
            "chars": self.chars,
        }
        if self.source_spans:
            d["source_spans"] = [list(s) for s in self.source_spans]
        if self.parts:
            d["parts"] = self.parts
        if self.also_in:
            d["also_in"] = self.also_in
        if self.common_source:
            d["common_source"] = self.common_source
        return d


@dataclass
class Added:
    target_span: Span
    unit: str
    chars: int
    around_clause: bool = False  # the rest of a sentence that only lifted clauses (partial) matched

    def to_dict(self) -> dict[str, Any]:
        out = {"target_span": list(self.target_span), "unit": self.unit, "chars": self.chars}
        if self.around_clause:
            out["around_clause"] = True
        return out


@dataclass
class Deleted:
    source: str
    source_span: Span
    unit: str
    chars: int
    source_sha256: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "source_span": list(self.source_span),
            "unit": self.unit,
            "chars": self.chars,
            "source_sha256": self.source_sha256,
        }


@dataclass
class Wrapper:
    """A unit that is not the document's text (a news lede quoting its body): kept apart, never aligned."""

    side: str  # target | source
    span: Span
    unit: str
    chars: int
    source: str | None = None  # the source's path (side "source")

    def to_dict(self) -> dict[str, Any]:
        d = {"side": self.side, "span": list(self.span), "unit": self.unit, "chars": self.chars}
        if self.source is not None:
            d["source"] = self.source
        return d


@dataclass
class AlignResult:
    """The alignment of a target with one source (align) or many (trace)."""

    target: DocInfo
    sources: list[DocInfo]
    matches: list[Match]
    added: list[Added]
    deleted: list[Deleted]
    summary: dict[str, Any]
    wrapper: list[Wrapper] = field(default_factory=list)  # news ledes: not aligned (sides.UNALIGNED_PARTS)

    def to_dict(self) -> dict[str, Any]:
        return {
            "target": _plain(self.target),
            "sources": [_plain(s) for s in self.sources],
            "matches": [m.to_dict() for m in self.matches],
            "added": [a.to_dict() for a in self.added],
            "deleted": [d.to_dict() for d in self.deleted],
            "wrapper": [w.to_dict() for w in self.wrapper],
            "summary": self.summary,
        }


_OPTIONAL = ("date_range", "later_than_target", "formulaic_only", "direction")  # left out of the JSON when None


def share_text(v: float | None) -> str:
    """A share as every page and the CLI print it (one decimal; a share under 0.05% is not rounded to 0)."""
    if v is None:
        return "–"
    if 0 < v < 0.0005:
        return "<0.1%"
    return f"{v * 100:.1f}%"


def round_share(x: float) -> float:
    """A share as stored: four decimals, but a share under 0.005% keeps two significant digits instead of
    becoming 0 -- a clause in a very long plan is found text, and is printed "<0.1%", not "0.0%".

    Shares are printed to 0.1% (:func:`share_text`), and the stored figure prints as the
    exact ratio does: where four decimals would round the printed figure a second time (0.00347 stored as
    0.0035 printed "0.4%", where the ratio is 0.347%, "0.3%"), it keeps as many more as it takes (0.00347).
    """
    r = round(x, 4)
    if not r and x > 0:
        r = float(f"{x:.2g}")
    shown = share_text(x)
    digits = 5
    while share_text(r) != shown and digits <= 17:
        r = round(x, digits)
        digits += 1
    return r


def _plain(info: DocInfo) -> dict[str, Any]:
    return {k: v for k, v in info.__dict__.items() if v is not None or k not in _OPTIONAL}


def date_order(d: str | None) -> str:
    """A sort key for dates: ISO dates as they are; a year-only estimate after every day of its year (an
    estimate of 2018 is not known to come before 2018-10-19, but "2018" sorts before it as a string); unknown
    last."""
    if not d:
        return "9999"
    return d if len(d) >= 10 else d + "~"


# id(kept edge) -> (side, edge, path, why) of other sources holding it; why: the rule that set it aside
# (lineage.align.set_aside.SET_ASIDE)
Also = dict[int, list[tuple[Side, Edge, str, str]]]


def assemble(
    tgt: Side,
    groups: list[tuple[Side, list[Edge], str]],
    formulaic: Formulaic,
    deleted: str = "all",
    keys: KeyFn | None = None,
    also: Also | None = None,
) -> AlignResult:
    """Turn chosen edges (from one or more sources) into matches, added and deleted units, and a summary.

    ``groups``: (source side, its edges, its path).  Edges of different
    sources must not claim the same target atom (partial regions excepted).
    ``deleted``: "all" lists every unused source unit (align); "inside" only
    those between reused units of a source (trace: a source's other text was
    never taken).  ``also``: for a kept edge, the other sources' edges on the
    same target atom (trace's attribution), reported as the match's ``also_in``.
    """
    matches: list[Match] = []
    t_cov: set[int] = set()
    deleted_out: list[Deleted] = []
    by_source: dict[str, dict[str, Any]] = {}
    for src, edges, path in groups:
        moved_flags(edges, src, tgt)
        s_used: set[int] = set()
        promoted = _promote(edges, src, tgt)
        done: set[int] = set()
        for e in edges:
            s_used.update(e.s)
            t_cov.update(e.t)
        for (tb, sb), es in promoted.items():
            done.update(id(e) for e in es)
            matches.append(_block_match(es, tb, sb, src, tgt, path, formulaic, keys))
            matches[-1].also_in = _also_in(es, also, tgt)
        for e in edges:
            if id(e) not in done:
                matches.append(_edge_match(e, src, tgt, path, formulaic, keys))
                matches[-1].also_in = _also_in([e], also, tgt)
        deleted_out.extend(
            Deleted(path, span, unit, chars, src.doc.sha256)
            for span, unit, chars in _free_units(src, s_used, inside=(deleted == "inside"))
        )
        by_source[path] = {"sha256": src.doc.sha256}
    matches.sort(key=lambda m: (m.target_span, m.source, m.source_span))
    for m in matches:
        if not m.formulaic and (hit := known_in(tgt.doc, m.target_span)):
            m.common_source = {"title": hit[0].title, "doc_number": hit[0].doc_number, "passage": hit[1]}
    added = [Added(span, unit, chars) for span, unit, chars in _free_units(tgt, t_cov)]
    added += [Added(span, unit, chars, True) for span, unit, chars in _around_clauses(tgt, groups)]
    added.sort(key=lambda a: a.target_span)
    wrapper = [Wrapper("target", span, unit, chars) for span, unit, chars in _wrapper_units(tgt)]
    if deleted == "all":  # every source unit is accounted for: its lede too
        wrapper += [
            Wrapper("source", span, unit, chars, path)
            for src, _, path in groups
            for span, unit, chars in _wrapper_units(src)
        ]
    summary = _summary(tgt, matches, added, deleted_out, by_source)
    summary["wrapper_chars"] = sum(w.chars for w in wrapper if w.side == "target")
    return AlignResult(DocInfo.of(tgt.doc), [], matches, added, deleted_out, summary, wrapper)


def _also_in(es: list[Edge], also: Also | None, tgt: Side) -> list[dict[str, Any]] | None:
    """The other sources holding the text of a match: one entry per source, ``source_span`` covering what it
    holds and ``source_spans`` the pieces themselves (a source may hold a passage's sentences far apart).

    Each entry says how that source holds the match's target text, on its own (a sibling reading 湖州 where
    the target reads 台州 holds a localized passage, even where the source the match names holds it
    identical): ``content`` is the relation of the sentences it holds taken together (:func:`_held_as`);
    ``relation`` is ``partial`` where it holds only some of the match's sentences (``chars`` target
    characters, at ``target_spans``), else ``moved`` where it holds them in another order or apart, else
    the content.
    """
    if not also:
        return None
    want = {t for e in es for t in e.t}
    by: dict[str, dict[str, Any]] = {}
    held: dict[str, list[tuple[Edge, Span]]] = {}
    whys: dict[str, set[str]] = {}
    for e in es:
        for side, o, path, why in also.get(id(e), ()):
            whys.setdefault(path, set()).add(why)
            atoms = [side.atoms[s] for s in o.s]
            if o.s_range is not None and o.kind in ("partial", "split"):
                span = side.span(atoms[0], *o.s_range)
            else:
                span = (side.span(atoms[0])[0], side.span(atoms[-1])[1])
            held.setdefault(path, []).append((o, span))
            if path not in by:
                by[path] = {"source": path, "source_sha256": side.doc.sha256}
    for path, d in by.items():
        pieces = held[path]
        spans = [span for _, span in pieces]
        d["source_span"] = [min(a for a, _ in spans), max(b for _, b in spans)]
        d["source_spans"] = _union(spans)
        covered = {t for o, _ in pieces for t in o.t if t in want}
        d["content"] = _held_as([o.content for o, _ in pieces])
        if covered != want:
            d["relation"] = "partial"
        elif _in_order([o for o, _ in pieces]):
            d["relation"] = d["content"]
        else:
            d["relation"] = "moved"
        d["chars"] = sum(len(tgt.atoms[t].norm) for t in covered)
        d["target_spans"] = _union([tgt.span(tgt.atoms[t]) for t in covered])
        d["set_aside_by"] = [w for w in SET_ASIDE if w in whys[path]]
    return list(by.values()) or None


def _held_as(contents: list[str]) -> str:
    """The relation of a passage held sentence by sentence with these relations: identical only if each
    sentence is; localized if each is identical or localized; one change (merged, split, modified) where
    that is the only one; else modified."""
    changed = set(contents) - {"identical", "localized"}
    if not changed:
        return "localized" if "localized" in contents else "identical"
    return changed.pop() if len(changed) == 1 else "modified"


def _in_order(edges: list[Edge]) -> bool:
    """Whether a source holds a passage's sentences one after another, as the target has them (a sentence
    the target split in two is held twice by one source sentence)."""
    runs = sorted((o.t[0], o.s[0], o.s[-1]) for o in edges)
    return all(b[1] in (a[2], a[2] + 1) for a, b in pairwise(runs))


def _union(spans: list[tuple[int, int]]) -> list[list[int]]:
    """Spans sorted, those that touch or overlap joined."""
    merged: list[list[int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return merged


def _promote(edges: list[Edge], src: Side, tgt: Side) -> dict[tuple[int, int], list[Edge]]:
    """Target blocks whose atoms all come, in order and one to one, from all atoms of one source block."""
    by_tblock: dict[int, list[Edge]] = defaultdict(list)
    for e in edges:
        if e.kind == "one":
            by_tblock[tgt.atoms[e.t[0]].block].append(e)
    out = {}
    for tb, es in by_tblock.items():
        t_ids = tgt.block_atoms[tb]
        if len(es) != len(t_ids):
            continue
        es = sorted(es, key=lambda e: e.t[0])
        sb = src.atoms[es[0].s[0]].block
        s_ids = src.block_atoms[sb]
        if [e.s[0] for e in es] != s_ids or [e.t[0] for e in es] != t_ids:
            continue
        if len({e.moved for e in es}) != 1:
            continue
        if len(es) > 1 and any(e.content not in ("identical", "localized") for e in es):
            continue
        out[(tb, sb)] = es
    return out


def _is_formulaic(norms: list[str], formulaic: Formulaic, keys: KeyFn | None) -> bool:
    return all(formulaic(n, keys(n) if keys else None) for n in norms)


def _in_notice(atoms: Iterable[Atom]) -> bool:
    """Does the match touch an issuing notice (issuers, dates, 印发 phrasing, the plan's title cited)?  Every
    plan's notice reads alike: a city's 宁波市人民政府 is no copy of 绍兴市人民政府, whatever the text."""
    return any(a.unit.part == "notice" for a in atoms)


def _block_match(
    es: list[Edge], tb: int, sb: int, src: Side, tgt: Side, path: str, formulaic: Formulaic, keys: KeyFn | None
) -> Match:
    tblock, sblock = tgt.blocks[tb], src.blocks[sb]
    if len(es) == 1:
        e = es[0]
        content, diff_ops, score = e.content, e.diff, e.score
    else:
        contents = {e.content for e in es}
        content = "identical" if contents == {"identical"} else "localized"
        diff_ops = (
            []
            if content == "identical"
            else _join_diffs([e.diff or [["equal", src.atoms[e.s[0]].norm, tgt.atoms[e.t[0]].norm]] for e in es])
        )
        score = round(
            sum(e.score * len(tgt.atoms[e.t[0]].norm) for e in es)
            / max(1, sum(len(tgt.atoms[e.t[0]].norm) for e in es)),
            1,
        )
    moved = es[0].moved
    parts = None
    if len(es) > 1 and content != "identical":
        parts = [
            {
                "source_span": list(src.span(src.atoms[e.s[0]])),
                "target_span": list(tgt.span(tgt.atoms[e.t[0]])),
                "content": e.content,
                "diff": e.diff,
                "source_unit": src.atoms[e.s[0]].unit.id,
                "target_unit": tgt.atoms[e.t[0]].unit.id,
            }
            for e in es
        ]
    return Match(
        source=path,
        source_span=(sblock.span[0], sblock.span[1]),
        target_span=(tblock.span[0], tblock.span[1]),
        relation="moved" if moved else content,
        score=round(score, 1),
        unit="paragraph",
        formulaic=_is_formulaic([tgt.atoms[e.t[0]].norm for e in es], formulaic, keys)
        or _in_notice(a for e in es for a in (*(tgt.atoms[t] for t in e.t), *(src.atoms[s] for s in e.s))),
        diff=diff_ops,
        content=content,
        moved=moved,
        formatting_only=content == "identical" and sblock.text != tblock.text,
        source_units=[sblock.id],
        target_units=[tblock.id],
        source_sha256=src.doc.sha256,
        chars=len(tblock.norm_text),
        parts=parts,
    )


def _join_diffs(diffs: list[list[list[str]]]) -> list[list[str]]:
    out: list[list[str]] = []
    for d in diffs:
        for op in d:
            if out and out[-1][0] == op[0]:
                out[-1] = [op[0], out[-1][1] + op[1], out[-1][2] + op[2]]
            else:
                out.append(list(op))
    return out


def _edge_match(e: Edge, src: Side, tgt: Side, path: str, formulaic: Formulaic, keys: KeyFn | None) -> Match:
    ta = tgt.atoms[e.t[0]]
    sas = [src.atoms[s] for s in e.s]
    if e.kind == "partial":
        assert e.t_range and e.s_range, "a partial edge has both ranges"
        t_span = tgt.span(ta, *e.t_range)
        s_span = src.span(sas[0], *e.s_range)
        unit = "clause"
        t_norm = ta.norm[slice(*e.t_range)]
        # a piece of a responsibility line is as formulaic as the line
        form = formulaic(t_norm) or curated(ta.norm)
        chars = len(t_norm)
    else:
        t_span = tgt.span(ta)
        if e.kind == "split":
            assert e.s_range, "a split edge has its source range"
            s_span = src.span(sas[0], *e.s_range)
        else:
            s_span = (src.span(sas[0])[0], src.span(sas[-1])[1])
        whole = ta.whole and all(a.whole for a in sas) and e.kind == "one"
        unit = "paragraph" if whole else "sentence"
        form = _is_formulaic([ta.norm], formulaic, keys)
        chars = len(ta.norm)
    return Match(
        source=path,
        source_span=s_span,
        target_span=t_span,
        relation="moved" if e.moved else e.content,
        score=round(e.score, 1),
        unit=unit,
        formulaic=form or _in_notice((ta, *sas)),
        diff=e.diff,
        content=e.content,
        moved=e.moved,
        formatting_only=e.content == "identical" and e.kind == "one" and src.raw(sas[0]) != tgt.raw(ta),
        source_units=[a.unit.id for a in sas],
        target_units=[ta.unit.id],
        source_sha256=src.doc.sha256,
        source_spans=[src.span(a) for a in sas] if e.kind == "merged" else None,
        chars=chars,
    )


def _free_units(side: Side, used: set[int], inside: bool = False) -> Iterator[tuple[Span, str, int]]:
    """(span, unit id, characters) of the units of ``side`` no edge uses.

    A block none of whose atoms is used is one unit; otherwise each unused
    atom is.  ``inside`` keeps only atoms between used ones (see
    :func:`_between`), never whole blocks.
    """
    for bi, ids in enumerate(side.block_atoms):
        if ids and not side.atoms[ids[0]].aligned:
            continue  # not the document's text (a news lede): listed apart, never added or deleted
        free = [i for i in ids if i not in used]
        if inside:
            free = [i for i in free if _between(i, used)]
        if not free:
            continue
        if len(free) == len(ids) and not inside:
            b = side.blocks[bi]
            yield (b.span[0], b.span[1]), b.id, len(b.norm_text)
        else:
            for i in free:
                a = side.atoms[i]
                yield side.span(a), a.unit.id, len(a.norm)


EDGE_PUNCT = frozenset(" ,.:;!?、。，：；！？")  # punctuation and spaces: what a sentence cut changes


def _around_clauses(tgt: Side, groups: list[tuple[Side, list[Edge], str]]) -> Iterator[tuple[Span, str, int]]:
    """(span, unit id, characters) of the stretches of target sentences that only lifted clauses matched.

    A clause lifted into a new sentence, or a sentence whose clauses were reordered around new words, is
    matched by its clauses alone; the words around them are the target's own, and are added text: every
    character of the target is a match, added, formulaic or wrapper.
    """
    regions: dict[int, list[tuple[int, int]]] = defaultdict(list)
    whole: set[int] = set()
    for _, edges, _ in groups:
        for e in edges:
            if e.kind == "partial" and e.t_range is not None:
                regions[e.t[0]].append(e.t_range)
            else:
                whole.update(e.t)
    for t in sorted(regions):
        a = tgt.atoms[t]
        if t in whole or not a.aligned:
            continue
        at = 0
        for x, y in [*sorted(regions[t]), (len(a.norm), len(a.norm))]:
            i, j = at, x
            while i < j and a.norm[i] in EDGE_PUNCT:
                i += 1
            while j > i and a.norm[j - 1] in EDGE_PUNCT:
                j -= 1
            if j - i >= 2:
                yield tgt.span(a, i, j), a.unit.id, j - i
            at = max(at, y)


def _wrapper_units(side: Side) -> Iterator[tuple[Span, str, int]]:
    for b, ids in zip(side.blocks, side.block_atoms):
        if ids and not side.atoms[ids[0]].aligned:
            yield (b.span[0], b.span[1]), b.id, len(b.norm_text)


def _between(i: int, used: set[int], reach: int = 3) -> bool:
    """Whether atom ``i`` sits between used atoms no more than ``reach`` atoms away on each side."""
    return any(i - d in used for d in range(1, reach + 1)) and any(i + d in used for d in range(1, reach + 1))


def _summary(
    tgt: Side, matches: list[Match], added: list[Added], deleted: list[Deleted], by_source: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    total = sum(len(a.norm) for a in tgt.atoms if a.aligned)
    by_rel: dict[str, dict[str, int]] = {}
    reused = 0
    formulaic_chars = common_chars = 0
    for m in matches:
        r = by_rel.setdefault(m.relation, {"count": 0, "chars": 0})
        r["count"] += 1
        r["chars"] += m.chars
        src = by_source[m.source]
        src.setdefault("matches", 0)
        src.setdefault("chars", 0)
        src["matches"] += 1
        if m.formulaic:
            formulaic_chars += m.chars
            src["formulaic_chars"] = src.get("formulaic_chars", 0) + m.chars
        elif m.common_source:
            common_chars += m.chars
            src["common_source_chars"] = src.get("common_source_chars", 0) + m.chars
        else:
            reused += m.chars
            src["chars"] += m.chars
    for s in by_source.values():
        s.setdefault("matches", 0)
        s.setdefault("chars", 0)
        s["share"] = round_share(s["chars"] / total) if total else 0.0
    return {
        "reuse_share": round_share(reused / total) if total else 0.0,
        "target_chars": total,
        "reused_chars": reused,
        "formulaic_chars": formulaic_chars,
        "common_source_chars": common_chars,
        "added_chars": sum(a.chars for a in added),
        "deleted_chars": sum(d.chars for d in deleted),
        "matches": len(matches),
        "added": len(added),
        "deleted": len(deleted),
        "by_relation": dict(sorted(by_rel.items())),
        "by_source": by_source,
    }
