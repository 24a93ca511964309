"""Sentences and clauses of a paragraph's normalized text.

Pure functions on strings: sentences end at 。！？；, clauses at ，：、, and
nothing is cut inside balanced brackets or quotes.  Kept apart from
:mod:`lineage.ingest.structure` so that the document model (which derives a
document's sentence and clause units, :func:`lineage.model.expand`) can use
them without importing the structure analysis that builds on the model.
"""

from __future__ import annotations

import re
from bisect import bisect_right

SENT_END = set("。!?;")
CLAUSE_END = set(",:、")
OPEN = {
    "(": ")",
    "《": "》",
    "“": "”",
    "‘": "’",
    "[": "]",
    "【": "】",
    "〔": "〕",
    "{": "}",
    "「": "」",
    "『": "』",
    "〈": "〉",
}
CLOSE = {v: k for k, v in OPEN.items()}

_BRACKET = re.compile("[" + re.escape("".join(OPEN) + "".join(CLOSE) + '"') + "]")
# Who answers for a task: a parenthetical (责任单位:…) closes the task's sentence.
RESPONSIBILITY_WORDS = ("责任单位", "牵头单位", "责任部门", "牵头部门", "配合单位", "主要责任单位", "参与单位")
# A sentence ends at 。!?; and after a responsibility parenthetical that more text follows
# without a comma: a merge or a hard-wrap repair can join the next task to it ("(责任单位:市发改委)到2026年…").
_SENT_SPLIT = re.compile(
    "["
    + re.escape("".join(SENT_END))
    + "]+["
    + re.escape("".join(CLOSE))
    + "]*"
    + r"|\((?:"
    + "|".join(RESPONSIBILITY_WORDS)
    + r"):[^()]*\)(?=[^\s,:;、。!?)\]”’])"
)
_CLAUSE_SPLIT = re.compile("[" + re.escape("".join(CLAUSE_END)) + "]+[" + re.escape("".join(CLOSE)) + "]*")


def protected(s: str) -> list[tuple[int, int]]:
    """Disjoint ranges strictly inside balanced brackets or quotes, where nothing is split.

    Unmatched brackets protect nothing, so a stray "(" cannot swallow a paragraph.
    """
    if _BRACKET.search(s) is None:
        return []
    stack: list[tuple[str, int]] = []
    # How many of each opener the stack holds: a closer with none open (a list's "1)" after
    # a scraper's unclosed quotes) would otherwise search the whole stack, quadratic in a
    # long paragraph. A search that finds its opener pops what it passes, so all are linear.
    held = dict.fromkeys([*OPEN, '"'], 0)
    spans = []
    for m in _BRACKET.finditer(s):
        c, i = m.group(), m.start()
        if c == '"':
            if stack and stack[-1][0] == '"':
                held['"'] -= 1
                spans.append((stack.pop()[1] + 1, i))
            else:
                held[c] += 1
                stack.append((c, i))
        elif c in OPEN:
            held[c] += 1
            stack.append((c, i))
        else:
            want = CLOSE[c]
            if not held[want]:
                continue
            for k in range(len(stack) - 1, -1, -1):
                if stack[k][0] == want:
                    spans.append((stack[k][1] + 1, i))
                    for o, _ in stack[k:]:
                        held[o] -= 1
                    del stack[k:]
                    break
    spans.sort()
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        elif b > a:
            merged.append((a, b))
    return merged


def _split(
    s: str,
    pattern: re.Pattern[str],
    guard: list[tuple[int, int]],
    lo: int = 0,
    hi: int | None = None,
    starts: list[int] | None = None,
) -> list[tuple[int, int]]:
    """Ranges of ``s[lo:hi]`` cut after each delimiter run that is not inside ``guard``.

    ``starts`` (the guard's starts) is given by a caller splitting many ranges of one text:
    rebuilt for each sentence of a paragraph, it made the paragraph's split quadratic.
    """
    hi = len(s) if hi is None else hi
    out = []
    start = lo
    if starts is None:
        starts = [g[0] for g in guard]
    for m in pattern.finditer(s, lo, hi):
        p = m.start()
        if guard:
            k = bisect_right(starts, p) - 1
            if k >= 0 and p < guard[k][1]:
                continue
        out.append((start, m.end()))
        start = m.end()
    if start < hi:
        out.append((start, hi))
    return out


def split_sentences(norm: str) -> list[tuple[int, int]]:
    return _split(norm, _SENT_SPLIT, protected(norm))


def split_clauses(sentence: str) -> list[tuple[int, int]]:
    return _split(sentence, _CLAUSE_SPLIT, protected(sentence))


def segments(norm: str) -> list[tuple[tuple[int, int], list[tuple[int, int]]]]:
    """Sentences of a paragraph's normalized text, each with its clauses (paragraph coordinates)."""
    guard = protected(norm)
    starts = [g[0] for g in guard]
    return [
        ((a, b), _split(norm, _CLAUSE_SPLIT, guard, a, b, starts))
        for a, b in _split(norm, _SENT_SPLIT, guard, starts=starts)
    ]
