"""Text with its place set aside: a jurisdiction's names and the level words (全省, 省级, 全市, 市委).

A city's adaptation of its province's plan rewrites 浙江省 -> 绍兴市 and 全省 ->
全市 and little else, and two cities rewrite it alike.  Comparing sentences
in this form finds the province's sentence behind a city's, which word for
word it is not.
"""

from __future__ import annotations

from lineage.model import PLACE_SUFFIXES, Jurisdiction

SUFFIX = PLACE_SUFFIXES
LEVEL_WORDS = frozenset(PLACE_SUFFIXES + "国")
MARK = "□"
_LEVELS = sorted(LEVEL_WORDS)


def names(j: Jurisdiction | None) -> list[str]:
    """A jurisdiction's full and short names (浙江省, 浙江)."""
    if j is None or not j.name or j.level == "national":
        return []
    out = [j.name]
    if len(j.name) >= 3 and j.name[-1] in SUFFIX:
        out.append(j.name[:-1])
    return out


def own_names(j: Jurisdiction | None) -> list[str]:
    """The names a document of ``j`` writes for itself and its province, longest first."""
    return sorted(set(names(j) + ([j.province] if j and j.province else [])), key=lambda n: (-len(n), n))


def placeless(text: str, own: list[str]) -> str:
    """``text`` with the names in ``own`` (see :func:`own_names`) and every level word marked alike."""
    for n in own:
        text = text.replace(n, MARK)
    for c in _LEVELS:  # str.replace per character: several times faster than str.translate with a table
        text = text.replace(c, MARK)
    # a run of marks is one place: a city writes its province 浙江省 as 浙江 + 省 (two marks), the province
    # as its own name (one)
    while MARK + MARK in text:
        text = text.replace(MARK + MARK, MARK)
    return text


def placeless_all(texts: list[str], own: list[str]) -> list[str]:
    """:func:`placeless` of each text, in one pass over them all (a document's sentences)."""
    if any("\x00" in t for t in texts):
        return [placeless(t, own) for t in texts]
    return placeless("\x00".join(texts), own).split("\x00") if texts else []
