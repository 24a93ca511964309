"""A regex search, sooner: which lines hold a match of a pattern with many alternatives.

A search over a line tries every alternative at every character when the pattern gives the regex
engine no first character to skip ahead to (an anchored or optional first item, a lookbehind):
with dozens of alternatives that is most of what classifying a line costs.  Split, the same
answer comes from a few quick steps: the alternatives anchored at the start are tried there only,
and only on a line that opens as one of them can; the others only where their first two
characters stand, which the engine finds by itself.  The openings are read off the parsed
pattern, so they follow whatever the pattern says.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

try:  # the regex parser, private to the standard library: what a pattern opens with
    from re import _constants as _c  # type: ignore[attr-defined]
    from re import _parser  # type: ignore[attr-defined]
except ImportError:  # a Python without them: every search is the plain one (openings() knows nothing)
    _c = _parser = None


def alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a regex (``a|(b|c)|d`` -> ``a``, ``(b|c)``, ``d``)."""
    out, cur, depth, in_class, i = [], [], 0, False, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            cur.append(pattern[i : i + 2])
            i += 2
            continue
        if c == "|" and depth == 0 and not in_class:
            out.append("".join(cur))
            cur = []
        else:
            in_class = (c == "[" or in_class) and not (in_class and c == "]")
            depth += (c == "(") - (c == ")") if not in_class else 0
            cur.append(c)
        i += 1
    return out + ["".join(cur)]


# more first-character pairs than this make no quick test
_HEADS_MAX = 4096
Heads = set[tuple[tuple[int, ...], bool]]


def _heads(seq: Any, k: int = 2) -> Heads:
    """What the first ``k`` characters of a match of a parsed regex can be: (code points, ended) pairs.
    Ended: the match may end there (shorter than ``k``); a pair neither ended nor ``k`` long stops
    where the regex may match a character no set lists (any character, a category, a negated set)."""
    states: Heads = {((), True)}
    for op, av in seq:
        grow = {s for s in states if s[1]}
        if not grow:
            break
        states -= grow
        for p, _ in grow:
            states |= _joined(p, _item_heads(op, av, k - len(p)), k)
        if len(states) > _HEADS_MAX:  # (a wide set, then another): the first characters only
            return {(p[:1], False) for p, _ in states}
    return states


def _joined(p: tuple[int, ...], heads: Heads, k: int) -> Heads:
    """``p`` followed by each of ``heads`` (which are no longer than ``k`` less ``p``)."""
    return {(p + q, e and len(p) + len(q) < k) for q, e in heads}


def _item_heads(op: Any, av: Any, k: int) -> Heads:
    unknown: Heads = {((), False)}
    if op is _c.LITERAL:
        return {((av,), True)}
    if op is _c.IN:
        if not all(o in (_c.LITERAL, _c.RANGE) for o, _ in av):
            return unknown
        chars = [v for o, v in av if o is _c.LITERAL] + [
            c for o, v in av if o is _c.RANGE for c in range(v[0], v[1] + 1)
        ]
        return unknown if len(chars) > 256 else {((c,), True) for c in chars}
    if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
        return {((), True)}  # matches no character: what follows starts the match
    if op is _c.SUBPATTERN:
        return unknown if av[1] & _c.SRE_FLAG_IGNORECASE else _heads(av[3], k)
    if op is _c.BRANCH:
        return set().union(*(_heads(alt, k) for alt in av[1]))
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT):
        lo, hi, sub = av
        once = _heads(sub, k)
        if ((), True) in once:
            return unknown  # a repeat of nothing: no count of repeats says how far it goes
        out: Heads = set()
        cur: Heads = {((), True)}
        for n in range(min(hi, k) + 1):  # each repeat takes a character at least
            out |= {s for s in cur if n >= lo or not s[1]}
            cur = {h for p, e in cur if e for h in _joined(p, _heads(sub, k - len(p)), k)}
        return out
    return unknown  # any character, a category, a group reference: nothing known


def openings(pattern: str) -> set[str] | None:
    """The strings (of two characters, or one where a match may be that short or nothing is known of its
    second) one of which opens every match of ``pattern``; None when a match may open with anything."""
    if _parser is None:
        return None
    try:
        out = {"".join(map(chr, p)) for p, _ in _heads(_parser.parse(pattern))}
    except Exception:  # a parser whose private form changed: no shortcut, the same answers
        return None
    return None if "" in out else out


def _where(prefixes: set[str]) -> re.Pattern[str]:
    """A pattern matching (one character long) where one of ``prefixes`` stands: the regex engine skips to
    the first characters by itself, and the second is looked at ahead."""
    alts = []
    for first in sorted({s[0] for s in prefixes}):
        seconds = sorted(s[1] for s in prefixes if s[0] == first and len(s) == 2)
        alone = first in prefixes
        ahead = "" if alone else "(?=[" + "".join(re.escape(c) for c in seconds) + "])"
        alts.append(re.escape(first) + ahead)
    return re.compile("|".join(alts))


def _either(alts: list[str]) -> re.Pattern[str] | None:
    return re.compile("|".join(f"(?:{a})" for a in alts)) if alts else None


def searcher(pattern: str | re.Pattern[str] | list[str]) -> Callable[[str], bool]:
    """``lambda line: pattern.search(line) is not None``, sooner (see the module's docstring);
    ``pattern``: a regex, or its top-level alternatives."""
    if isinstance(pattern, re.Pattern):
        if pattern.flags & ~re.UNICODE:
            raise ValueError("flags are not supported")
        pattern = pattern.pattern
    alts = alternatives(pattern) if isinstance(pattern, str) else pattern
    if all(a.startswith("^") for a in alts):  # tried at the start only: the search is as quick
        plain = re.compile("|".join(alts)).search
        return lambda line: plain(line) is not None
    starts = {a[1:]: openings(a[1:]) for a in alts if a.startswith("^")}
    opens = frozenset().union(*(p for p in starts.values() if p is not None))
    known = _either([a for a, p in starts.items() if p is not None])
    others = _either([a for a, p in starts.items() if p is None])
    inside = re.compile("|".join(f"(?:{a})" for a in alts if not a.startswith("^")))
    prefixes = openings(inside.pattern)
    at = _where(prefixes) if prefixes else None

    def anywhere(line: str) -> bool:  # the unanchored alternatives, only where they may start
        m = at.search(line)  # type: ignore[union-attr]
        while m is not None:
            if inside.match(line, m.start()) is not None:
                return True
            m = at.search(line, m.end())  # type: ignore[union-attr]
        return False

    rest = anywhere if at is not None else (lambda line: inside.search(line) is not None)
    if known is None and others is None:
        return rest

    def search(line: str) -> bool:
        if known is not None and (line[:2] in opens or line[:1] in opens) and known.match(line) is not None:
            return True
        if others is not None and others.match(line) is not None:
            return True
        return rest(line)

    return search
