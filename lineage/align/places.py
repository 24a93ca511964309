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
# what a localization may write besides the target's names: level words and the affixes around them
SWAP_CHARS = frozenset("省市县区州盟旗国乡镇全我本在各级委政府人民大协内外域属直、,， ")
# the level words a localization toward a jurisdiction of each level writes (全市, 市级, 市委 for a city)
LEVEL_CHARS = {"national": "国", "province": "省区", "city": "市州盟", "county": "县区旗"}


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


def toward(diff: list[list[str]], j: Jurisdiction | None) -> bool:
    """Whether the changes of a diff (source -> target) write only the target's own place: its names, its
    province's, and the level words of its own level (a city plan's 全市, 市级; a province plan's 全省).

    A city plan reading 全省 where its source reads 全国 turned a national benchmark into a provincial one,
    and one reading 湖州 where its source reads 浙江 took a third city's text: neither is the target
    localizing.  The one-character 简称 are the target's names too: a province plan reading 在浙 where a
    city's reads 在湖州.  Unknown jurisdiction: any swap counts.
    """
    return all(written_for(diff, j))


def written_for(diff: list[list[str]], j: Jurisdiction | None) -> list[bool]:
    """Per op of a diff, whether its target text writes only the target's own place (see :func:`toward`);
    an equal op does."""
    if j is None:
        return [True] * len(diff)
    levels = LEVEL_WORDS - set(LEVEL_CHARS.get(j.level, LEVEL_WORDS))
    # read by position in the target's text: the character diff cuts a swap around a character both names
    # share (山东 -> 佛山 as 佛 + 山 kept + 东, 南通 -> 南京 as 南 kept + 通 -> 京), and a changed character
    # inside an occurrence of the target's own name is the target writing its name
    text = "".join(b for _, _, b in diff)
    own = bytearray(len(text))
    for n in own_names(j) + _abbreviations(j):
        at = text.find(n)
        while at >= 0:
            own[at : at + len(n)] = b"\x01" * len(n)
            at = text.find(n, at + 1)
    out = []
    at = 0
    for op, _, b in diff:
        rest = {c for k, c in enumerate(b, at) if not own[k]} if op != "equal" else set()
        # a city plan reading 省内 where the source reads 县内 kept another level's word: not its own
        out.append(rest <= SWAP_CHARS and not rest & levels)
        at += len(b)
    return out


def _abbreviations(j: Jurisdiction) -> list[str]:
    """The one-character 简称 of ``j`` and of its province (浙 for 浙江省 and its cities), where conventional."""
    from lineage.ingest import gazetteer  # on first use: the tables take tens of milliseconds to load

    d = gazetteer.by_code(j.code) if j.code else None
    if d is None:
        d = next((x for x in gazetteer.lookup(j.name) if x.level == j.level), None)
    if d is None:
        return []
    return [a for a in {d.abbr, gazetteer.province_of(d).abbr} if a]
