"""Each version's canonical copy and its members' relations; revisions between versions; families.

The canonical copy is chosen by a documented rule (``choose_canonical``);
each other copy is described relative to it (identical, formatting,
truncated, noisy); clusters whose canonical texts are revisions of each
other, and whose titles, issuers and jurisdictions say they are one document
(``dedup_family``), are ``related``; related clusters form a family.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import numpy as np

from lineage.dedup.cluster import TruncatedEdge, day
from lineage.dedup.family import DRAFT, families, identity
from lineage.dedup.features import Features
from lineage.dedup.plan import Issue, Plan, Progress, compare_classes, group_numbers, group_place, issued_twice, noop
from lineage.dedup.result import Cluster, DedupResult, Member, Related, SameText
from lineage.dedup.verify import Changes, Comparison
from lineage.store import Store


def assemble(
    store: Store,
    plan: Plan,
    groups: list[list[int]],
    pairs: np.ndarray,
    trunc: list[TruncatedEdge],
    engine: Any = None,
    progress: Progress = noop,
) -> DedupResult:
    """Clusters with their canonical copies and members' relations; revisions between them; families.

    The comparisons this needs (among a cluster's complete copies, and
    between the canonical texts of clusters a candidate pair links) are
    handed to the engine first, which may run them in parallel.
    """
    classes = plan.classes
    paths = _paths(store, [s for c in classes for s in c.shas])
    short = {e.short for e in trunc}
    # by candidate component, so that the texts of one component are loaded together
    comp = plan.component if plan.component is not None else np.arange(len(classes))
    groups = sorted(groups, key=lambda ks: (int(comp[ks[0]]), ks[0]))
    group_of = {k: g for g, ks in enumerate(groups) for k in ks}
    if engine is not None:
        engine.prefetch(
            plan,
            np.array(
                [p for ks in groups for p in _canonical_pairs(plan, ks, short)] or np.empty((0, 2)), dtype=np.int64
            ).reshape(-1, 2),
            progress,
        )
    clusters: list[Cluster] = []
    canon_class: list[int] = []
    for n, ks in enumerate(groups):
        cl, ck = _build_cluster(plan, ks, short & set(ks), paths)
        clusters.append(cl)
        canon_class.append(ck)
        progress("clusters", n + 1, len(groups))
    # revisions: clusters with a candidate pair between them, whose canonical texts are revisions
    linked = sorted(
        {
            (min(group_of[i], group_of[j]), max(group_of[i], group_of[j]))
            for (i, j) in pairs.tolist()
            if group_of[i] != group_of[j]
        }
    )
    if engine is not None:
        engine.prefetch(
            plan,
            np.array([(canon_class[g], canon_class[h]) for g, h in linked] or np.empty((0, 2)), dtype=np.int64).reshape(
                -1, 2
            ),
            progress,
            mode="full",
        )
    revisions: list[tuple[int, int, Comparison]] = []
    same: list[tuple[int, int]] = []  # the same text, kept apart where each was issued (cluster.walk)
    for n, (g, h) in enumerate(linked):
        c = compare_classes(plan, canon_class[g], canon_class[h])
        if c.verdict == "revision":
            revisions.append((g, h, c))
        elif c.verdict == "same" and c.truncated is None and _kept_apart(plan, groups[g], groups[h]):
            same.append((g, h))
        progress("revisions", n + 1, len(linked))
    # families among the clusters revisions link (their identities only: titles go through the gazetteer)
    linking = sorted({k for g, h, _ in revisions for k in (g, h)})
    local = {k: n for n, k in enumerate(linking)}
    roots, kept = families(
        [identity(plan.features[s] for s in clusters[k].shas) for k in linking],
        [(local[g], local[h], c.similarity, c.a_in_b, c.b_in_a, c.place_swap, c.place_swaps) for g, h, c in revisions],
    )
    # the other pairs are different documents sharing text: reuse, which the graph finds
    related = [
        _related(clusters[g], clusters[h], c, plan, canon_class[g], canon_class[h])
        for g, h, c in (revisions[k] for k in kept)
    ]
    family_of = {k: linking[roots[local[k]]] for k in linking}
    fam_ids: dict[int, str] = {}
    for k, cl in enumerate(clusters):
        root = family_of.get(k, k)
        fam_ids[root] = min(fam_ids.get(root, cl.id), cl.id)
    for k, cl in enumerate(clusters):
        cl.family = fam_ids[family_of.get(k, k)]
    same_text = sorted(
        (_same_text(plan, clusters[g], clusters[h], groups[g], groups[h]) for g, h in same), key=lambda x: (x.a, x.b)
    )
    clusters.sort(key=lambda c: (c.family, plan.features[c.canonical_sha].date or "", c.id))
    related.sort(key=lambda r: (r.a, r.b))
    return DedupResult(
        clusters, related, stats={"shared_text_not_revisions": len(revisions) - len(kept)}, same_text=same_text
    )


def _kept_apart(plan: Plan, g: list[int], h: list[int]) -> bool:
    """Two groups of one text the clustering kept apart for where, when or under which 文号 they were issued:
    both name their places, unlike; or their 文号 differ; or one names no place (its copies' titles name
    another place, or they are dated before the other was signed: :func:`lineage.dedup.cluster.walk`)."""
    a, b = (Issue(group_place(plan.classes, x), numbers=group_numbers(plan.classes, x)) for x in (g, h))
    return issued_twice(a, b) or bool(a.place) != bool(b.place)


def _same_text(plan: Plan, x: Cluster, y: Cluster, gx: list[int], gy: list[int]) -> SameText:
    """The pair, the one issued first as ``a`` (by the canonical copies' dates, else by id)."""
    dx, dy = day(plan.features[x.canonical_sha].date), day(plan.features[y.canonical_sha].date)
    if (dy is not None and (dx is None or dy < dx)) or (dx == dy and y.id < x.id):
        x, y, gx, gy = y, x, gy, gx
    return SameText(x.id, y.id, (group_place(plan.classes, gx), group_place(plan.classes, gy)))


def _paths(store: Store, shas: list[str]) -> dict[str, list[str]]:
    want = set(shas)
    out: dict[str, list[str]] = defaultdict(list)
    for path, sha in store.files():
        if sha in want:
            out[sha].append(path)
    for sha in want - set(out):
        out[sha].append(store.load(sha, units=False).path)
    return out


NOT_SAME_PENALTY = 50.0
# Each complete copy is measured against the copies held by the most files (at most this many).
REFERENCES = 4


def _complete(ks: list[int], short: set[int]) -> list[int]:
    return [k for k in ks if k not in short] or list(ks)


def _references(plan: Plan, complete: list[int]) -> list[int]:
    return sorted(complete, key=lambda k: (-len(plan.classes[k].shas), k))[:REFERENCES]


def _canonical_pairs(plan: Plan, ks: list[int], short: set[int]) -> list[tuple[int, int]]:
    """The comparisons choose_canonical and the members' details will ask for (i < j)."""
    complete = _complete(ks, short)
    if len(ks) < 2:
        return []
    out = set()
    refs = _references(plan, complete) if len(complete) > 1 else complete
    for k in ks:
        for r in refs:
            if r != k:
                out.add((min(k, r), max(k, r)))
    return sorted(out)


@dataclass
class _Candidate:
    sha: str
    cls: int
    complete: bool
    penalty: float  # differences from the other complete copies (typos, extra text before the body)
    f: Features

    def key(self) -> tuple:
        return (
            not self.complete,
            self.penalty,
            not self.f.notice,
            self.f.warnings,
            day(self.f.date) or 10**7,
            len(self.f.layout),
            self.f.encoding != "utf-8",
            self.sha,
        )


def choose_canonical(plan: Plan, ks: list[int], short: set[int]) -> tuple[_Candidate, list[_Candidate]]:
    """The canonical copy of a cluster, by this rule, in order:

    1. the most complete body: copies that stop early come last;
    2. the cleanest extraction: fewest differences from the other complete
       copies (isolated typos, extra text before the body such as a news
       lede or notice the parser left in the body);
    3. the issuing notice present;
    4. fewest parser warnings;
    5. the earliest date;
    6. the plainest file: fewest of page chrome kinds, half-width punctuation, hard wraps, CRLF line ends
       (:func:`lineage.dedup.features.layout`);
    7. encoded UTF-8 without a BOM (the file a reader's tools open as it is);
    8. the smallest sha256 (so that the choice never depends on order).
    """
    complete = _complete(ks, short)
    penalty = dict.fromkeys(ks, 0.0)
    if len(complete) > 1:
        refs = _references(plan, complete)
        for k in complete:
            for r in refs:
                if r != k:
                    c = compare_classes(plan, k, r, "screen")
                    # copies joined only through others count as very different
                    penalty[k] += c.edits + c.lead_a / 100.0 if c.verdict == "same" else NOT_SAME_PENALTY
    cands = [
        _Candidate(sha, k, k not in short, penalty[k], plan.features[sha]) for k in ks for sha in plan.classes[k].shas
    ]
    cands.sort(key=_Candidate.key)
    return cands[0], cands[1:]


def _build_cluster(plan: Plan, ks: list[int], short: set[int], paths: dict[str, list[str]]) -> tuple[Cluster, int]:
    best, others = choose_canonical(plan, ks, short)
    canon_paths = paths[best.sha]
    canon_path = canon_paths[0]
    ck = best.cls
    reason = _reason(best, others, plan)
    details: dict[str, Member] = {canon_path: Member("canonical", 1.0, 1.0, "", best.sha, best.f.encoding)}
    for p in canon_paths[1:]:
        details[p] = Member(
            "identical", 1.0, 1.0, "the same file content as the canonical copy", best.sha, best.f.encoding
        )
    for cand in others:
        if cand.cls == ck:
            diff = _format_diff(best.f, cand.f, "the same body text")
            m = Member("formatting", 1.0, 1.0, diff, cand.sha, cand.f.encoding)
        else:
            m = _member(plan, ck, cand, best.f)
        for p in paths[cand.sha]:
            details[p] = m
    order = {"canonical": 0, "identical": 1, "formatting": 2, "noisy": 3, "truncated": 4}
    members = sorted(details, key=lambda p: (order[details[p].relation], p))
    cluster = Cluster(
        "v-" + best.sha[:12], canon_path, reason, members, details, "", best.f.title, best.f.date, best.f.date_kind
    )
    return cluster, ck


def _member(plan: Plan, ck: int, cand: _Candidate, canon: Features) -> Member:
    c = compare_classes(plan, cand.cls, ck, "screen")  # a = member, b = canonical
    if c.verdict != "same":
        c = compare_classes(plan, cand.cls, ck, "classify")  # a reason that does not depend on where screening stopped
    parts = []
    if c.verdict != "same":
        relation = "noisy"
        parts.append(f"joined through other copies; compared directly: {c.reason}")
    elif c.truncated == "a":
        relation = "truncated"
        parts.append(f"stops at {c.a_len / max(1, c.b_len):.0%} of the canonical body")
    elif c.edits:
        relation = "noisy"
    else:
        relation = "formatting"
    if c.verdict == "same":
        if c.edits:
            # canonical -> this copy: what the copy changed
            ex = ", ".join(f"{y}→{x}" for x, y in c.edit_examples[:2])
            parts.append(
                f"{c.edits} isolated character difference{'s' if c.edits > 1 else ''}" + (f" ({ex})" if ex else "")
            )
        if c.lead:
            parts.append(f"text before the body differs ({c.lead} characters: a news lede, notice or title)")
        if c.truncated == "b":
            parts.append("the canonical copy stops earlier")
    diff = _format_diff(canon, cand.f, "; ".join(parts))
    return Member(relation, round(c.a_in_b, 4), round(c.similarity, 4), diff, cand.sha, cand.f.encoding)


def _format_diff(canon: Features, f: Features, text_part: str) -> str:
    bits = []
    if canon.format != f.format:
        bits.append(
            f"{f.format.upper() if f.format == 'html' else 'text'} instead of "
            f"{canon.format.upper() if canon.format == 'html' else 'text'}"
        )
    if canon.encoding != f.encoding:
        bits.append(f"encoded {f.encoding}")
    bits += _layout_diff(canon.layout, f.layout)
    if canon.notice and not f.notice:
        bits.append("no issuing notice")
    elif f.notice and not canon.notice:
        bits.append("has the issuing notice")
    if text_part:
        bits.append(text_part)
    return "; ".join(bits) if bits else "differs only in layout, chrome or wrapper text"


# (layout fact, words for a copy that has it and the canonical copy not, words for the other way)
_LAYOUT = (
    ("halfwidth", "half-width punctuation", "full-width punctuation"),
    ("wrapped", "hard-wrapped lines (re-joined)", "lines not hard-wrapped"),
    ("crlf", "CRLF line ends", "LF line ends"),
)


def _layout_diff(canon: list[str], copy: list[str]) -> list[str]:
    """How a copy's file differs from the canonical's in layout (:func:`lineage.dedup.features.layout`)."""
    out = []
    extra = [k.removeprefix("chrome:") for k in copy if k.startswith("chrome:") and k not in canon]
    if extra:
        out.append(f"page chrome set aside ({', '.join(extra)})")
    missing = [k.removeprefix("chrome:") for k in canon if k.startswith("chrome:") and k not in copy]
    if missing:
        out.append(f"without the canonical copy's page chrome ({', '.join(missing)})")
    for fact, has, lacks in _LAYOUT:
        if (fact in copy) != (fact in canon):
            out.append(has if fact in copy else lacks)
    return out


def _reason(best: _Candidate, others: list[_Candidate], plan: Plan) -> str:
    f = best.f
    if not others:
        return "the only copy"
    bits = []
    n_trunc = sum(1 for o in others if not o.complete)
    bits.append(
        f"complete body ({f.length:,} characters"
        + (f"; {n_trunc} other {'copies stop' if n_trunc > 1 else 'copy stops'} early)" if n_trunc else ")")
    )
    rivals = [o for o in others if o.complete]
    if rivals:
        # what set it before the runner-up: the first part of the rule the two differ in
        a, b = best.key(), rivals[0].key()
        decided = next((n for n, (x, y) in enumerate(zip(a, b)) if x != y), len(a) - 1)
        bits.append(
            [
                "",
                "cleanest text (fewest differences from the other copies)",
                "issuing notice present",
                "fewest parser warnings",
                f"earliest date ({f.date})",
                "plainest file (no page chrome, half-width punctuation, hard wraps or CRLF line ends)"
                if not f.layout
                else "plainest file (fewest of page chrome, half-width punctuation, hard wraps, CRLF line ends)",
                "encoded utf-8 (the other copies are equal)",
                "otherwise equal copies: the smallest sha256",
            ][decided]
        )
    return "; ".join(b for b in bits if b)


def _related(ca: Cluster, cb: Cluster, c: Comparison, plan: Plan, ka: int, kb: int) -> Related:
    """Orient a revision pair: the earlier version first (a draft before the final text, whatever a copy's
    date says -- a 征求意见稿 is often dated only by its year; else by date, else by id)."""
    da = day(plan.classes[ka].rep.date)
    db = day(plan.classes[kb].rep.date)
    draft_a, draft_b = (bool(DRAFT.search(plan.classes[k].rep.title or "")) for k in (ka, kb))
    if draft_a != draft_b:
        later_first = draft_b
    else:
        later_first = (db is not None and da is not None and db < da) or (
            (da is None or db is None or da == db) and cb.id < ca.id
        )
    if later_first:
        ca, cb, c = cb, ca, c.swapped()
    return Related(ca.id, cb.id, round(c.similarity, 4), c.changes or Changes())
