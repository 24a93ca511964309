"""Token-level diffs of two texts, refined by characters inside changed words.

A diff is a list of ``[op, source_text, target_text]`` with ``op`` one of
``equal``, ``replace``, ``insert`` (source text empty) and ``delete`` (target
text empty); the source texts of all ops joined give the source, the target
texts the target.

Words come from :mod:`lineage.align.tokens` (jieba with the policy-term
dictionary), so ``2025`` -> ``2027`` and ``专精特新`` change as words.  A
replaced run of words is then compared character by character, so that
``加快`` -> ``加速`` shows the one character that changed, unless the two
runs have too little in common for that to help a reader (``高端装备`` ->
``新材料`` stays one replacement).  Numbers and ASCII words are never cut.
cydifflib (difflib in C) is used with ``autojunk=False``: with autojunk on,
characters that are frequent in a long text (的, 、) would be ignored and the
diff would be wrong.
"""

from __future__ import annotations

from cydifflib import SequenceMatcher

from lineage.align.places import toward, written_for
from lineage.align.tokens import is_number, tokenize
from lineage.ingest.gazetteer import is_jurisdiction_swap
from lineage.model import Jurisdiction

Diff = list[list[str]]

# Below this similarity a replaced run is shown whole, not character by character.
_REFINE_MIN_RATIO = 0.5


def diff(source: str, target: str) -> Diff:
    """Token diff of ``source`` -> ``target`` (see the module docstring)."""
    if source == target:
        return [["equal", source, target]] if source else []
    if not source:
        return [["insert", "", target]]
    if not target:
        return [["delete", source, ""]]
    ta, tb = tokenize(source), tokenize(target)
    out: Diff = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, ta, tb, autojunk=False).get_opcodes():
        a, b = "".join(ta[i1:i2]), "".join(tb[j1:j2])
        if op == "replace":
            out.extend(_refine(ta[i1:i2], tb[j1:j2]))
        else:
            out.append([op, a, b])
    return _coalesce(out)


def _atoms(tokens: list[str]) -> list[str]:
    """Characters, except that numbers and ASCII words stay whole."""
    out: list[str] = []
    for t in tokens:
        if is_number(t):
            out.append(t)
        else:
            out.extend(t)
    return out


def _refine(ta: list[str], tb: list[str]) -> Diff:
    a, b = "".join(ta), "".join(tb)
    xa, xb = _atoms(ta), _atoms(tb)
    sm = SequenceMatcher(None, xa, xb, autojunk=False)
    if sm.ratio() < _REFINE_MIN_RATIO:
        return [["replace", a, b]]
    return [[op, "".join(xa[i1:i2]), "".join(xb[j1:j2])] for op, i1, i2, j1, j2 in sm.get_opcodes()]


def _coalesce(ops: Diff) -> Diff:
    """Join neighbouring ops of one kind; a delete next to an insert is a replace."""
    out: Diff = []
    for op, a, b in ops:
        if not a and not b:
            continue
        if out:
            pop, pa, pb = out[-1]
            if pop == op or (pop != "equal" and op != "equal"):
                kind = op if pop == op else "replace"
                out[-1] = [kind, pa + a, pb + b]
                continue
        out.append([op, a, b])
    return out


def is_swap(source: str, target: str) -> bool:
    """Whether one replacement only changes the jurisdiction the text speaks for."""
    return is_jurisdiction_swap(source, target)


def localizations(ops: Diff, place: Jurisdiction | None) -> list[tuple[str, str]]:
    """The jurisdiction swaps of a diff (source, target) in which the target writes its own place ``place``
    (:func:`lineage.align.places.toward`): 全省 -> 全市 in a city plan, not 全国 -> 全省."""
    own = written_for(ops, place)
    return [(a, b) for (op, a, b), ok in zip(ops, own) if op == "replace" and ok and is_swap(a, b)]


def classify(ops: Diff, place: Jurisdiction | None = None) -> str:
    """``identical``, ``localized`` or ``modified``.

    Localized: every change is a jurisdiction swap, and, given the target's jurisdiction ``place``, one
    writing the target's own place (:func:`lineage.align.places.toward`): a city plan reading 全市 or 绍兴市
    where its source reads 全省 or 浙江省.  A city plan reading 全省 where the source reads 全国 (a national
    benchmark made a provincial one), or another city's name, changed what the text says: modified.
    """
    changes = [op for op in ops if op[0] != "equal"]
    if not changes:
        return "identical"
    if all(op == "replace" and is_swap(a, b) for op, a, b in changes):
        return "localized" if toward(ops, place) else "modified"
    # A swap the character refinement cut into pieces (省政府 -> 市政府 shown as
    # 省 -> 市 is fine, but 浙江省委 -> 绍兴市委 may come out as two replaces
    # around a kept 委): try again with the equal text between two changes
    # taken in, as long as that text is short.
    merged = _bridge(ops)
    if merged is not ops and all(op == "replace" and is_swap(a, b) for op, a, b in merged if op != "equal"):
        return "localized" if toward(ops, place) else "modified"
    return "modified"


def _bridge(ops: Diff, max_gap: int = 2) -> Diff:
    """Join changes separated by at most ``max_gap`` equal characters into one replace."""
    out: Diff = []
    changed = False
    i = 0
    while i < len(ops):
        op = ops[i]
        if (
            op[0] == "equal"
            and out
            and out[-1][0] != "equal"
            and i + 1 < len(ops)
            and ops[i + 1][0] != "equal"
            and len(op[1]) <= max_gap
        ):
            nxt = ops[i + 1]
            prev = out.pop()
            out.append(["replace", prev[1] + op[1] + nxt[1], prev[2] + op[2] + nxt[2]])
            changed = True
            i += 2
            continue
        if op[0] != "equal" and out and out[-1][0] != "equal":
            prev = out.pop()
            out.append(["replace", prev[1] + op[1], prev[2] + op[2]])
            changed = True
        else:
            out.append(list(op))
        i += 1
    return out if changed else ops


def changed_chars(ops: Diff) -> tuple[int, int]:
    """Characters changed on the source side and on the target side."""
    return (sum(len(a) for op, a, _ in ops if op != "equal"), sum(len(b) for op, _, b in ops if op != "equal"))
