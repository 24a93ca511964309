"""Gazetteer of Chinese administrative divisions (province, prefecture, county).

The table is bundled as ``data/divisions.tsv``: the 民政部 county-and-above code
table (GB/T 2260 codes) as it stood at the end of 2022 -- 34 province-level,
333 prefecture-level and 2,843 county-level divisions -- plus the divisions
abolished or renamed since 2016 (莱芜市, 江干区, 临安市, ...), flagged
``historical``.  Where it comes from and how it was built: ``data/DIVISIONS_SOURCE.md``.

Everything is pure standard library and loaded lazily, once, on first use.

Matching names in running text (:func:`find`) has to live with the fact that
many county names are ordinary words (合作市, 资源县, 新兴县, 振兴区, 公安县) or
appear across word boundaries (创新平台 contains 新平).  Strings are therefore
graded:

* strong -- province names and short names, prefecture names and short names,
  county full names of three or more characters, the "X州/X县/X旗" forms of
  autonomous areas.  Always reported.
* weak -- a county's short name, and county full names of two characters
  (沛县, 城区).  Reported only when the county's prefecture (or, for counties
  directly under a province, its province) is named somewhere in the text by a
  strong match, or when the match is *linked*: it follows, directly or after a
  list separator (、，和及与), a match that is its ancestor or sibling
  ("越城、柯桥、上虞", "绍兴柯桥").
* common words -- a short list (:data:`COMMON_WORD_NAMES`) of names that are
  ordinary vocabulary in policy prose (朝阳 as in 朝阳产业, 振兴 as in 乡村振兴,
  金山 as in 金山银山).  Reported only when linked.

A few :data:`BLOCKING_WORDS` (三明治, 长治久安, 浦阳江) compete with strong names
and, when they win, hide the name inside them.  Strong matches win over weak
ones; within a grade the leftmost, then longest match wins.  A name shared by several divisions (朝阳区 in Beijing and in
Changchun) is resolved towards the divisions already named in the text, then
the higher level, then current over historical, then the lower code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from typing import NamedTuple

__all__ = [
    "BLOCKING_WORDS",
    "COMMON_WORD_NAMES",
    "JURISDICTION_WORDS",
    "Division",
    "by_code",
    "divisions",
    "find",
    "is_jurisdiction_swap",
    "lookup",
    "parent",
    "province_of",
    "resolve",
]

LEVELS = ("province", "city", "county")
_LEVEL_RANK = {lvl: i for i, lvl in enumerate(LEVELS)}


@dataclass(frozen=True)
class Division:
    code: str  # GB/T 2260, six digits: "330600"
    name: str  # full name: "绍兴市"
    short: str  # "绍兴"; never shorter than two characters
    level: str  # "province" | "city" | "county"
    province: str  # short name of the province: "浙江"
    city: str | None  # short name of the prefecture, for counties under one
    abbr: str | None  # one-character 简称 where one is conventional: "绍"
    historical: bool = False  # abolished or renamed since 2016; not in the current table


# Level words a localized plan swaps ("全省" -> "全市").  "国" lets a swap go
# up to the national level; 乡/镇 let it go below the county.
JURISDICTION_WORDS: dict[str, str] = {
    "省": "province",
    "市": "city",
    "县": "county",
    "区": "county",
    "州": "city",
    "盟": "city",
    "旗": "county",
    "国": "country",
    "国家": "country",  # 国家级 -> 市级: a national benchmark made the plan's own, as 全国 -> 全市
    "乡": "township",
    "镇": "township",
}

# Division names (short names, a few two-character full names) that policy
# prose uses as ordinary words far more often than as places.  find() reports
# them only when linked to a related division; lookup()/resolve() still know
# them.  Curated by hand from the county/prefecture names that are entries of
# a general Chinese dictionary with a low IDF, checked against the corpus.
COMMON_WORD_NAMES: frozenset[str] = frozenset(
    """
    朝阳 白银 来宾 中山 阿里 海西
    合作 比如 资源 东方 平原 中原 新兴 江南 通道 和平 港口 平安 前进 长安 解放
    延长 新建 南海 兴业 河口 新华 古城 振兴 运河 南岸 太平 江山 城区 郊区 矿区
    城关 光明 中方 安定 东海 东风 复兴 凤凰 富裕 大通 温泉 万年 友谊 大关 共和
    滨海 友好 红旗 吉利 清水 紫金 江海 宏伟 会同 河东 河西 江东 江北 建华 新城
    海港 公安 大方 方正 金山 太湖 白云 商城 上街 长寿 同心 惠民 新民 民权 宝塔
    回民 同仁 天山 泰山 庐山 长白 灯塔 工农 向阳 龙凤 安宁
    """.split()
)

# Words that contain a division name without being about it.  They take part
# in leftmost-longest matching like strong names and are then dropped, so
# "三明治" hides 三明 and "浦阳江" (a river) hides 阳江.
BLOCKING_WORDS: frozenset[str] = frozenset(
    """
    三明治 浦阳江 长治久安 安康杯 长白山 天山山脉 泰山石 孙中山 中山装 阿里巴巴 阿里云
    朝阳产业 朝阳行业 江山如画 江山就是人民 人民就是江山
    """.split()
)

_SEPARATORS = frozenset("、，,和及与/")
# "市和县级", "创新县域": a two-character X县 glued to the next word.
_GLUE_AFTER = frozenset("级域城")

_STRONG, _WEAK, _COMMON, _BLOCK = 0, 1, 2, 3


class _Tables(NamedTuple):
    divs: list[Division]  # every division, current and historical, by code
    by_code: dict[str, int]
    parent: list[int]  # index of parent, -1 for provinces
    province: list[int]  # index of province (itself for provinces)
    city: list[int]  # index of prefecture, -1 if none
    names: dict[str, tuple[int, ...]]  # full/short/alias -> divisions, lookup order
    scan: dict[
        str, list[tuple[str, tuple[tuple[int, int], ...]]]
    ]  # 2-char prefix -> (string, ((div, grade), ...)) longest first
    prefilter: re.Pattern[str]
    swap_lengths: dict[str, tuple[int, ...]]  # first char -> jurisdiction token lengths, longest first
    swap_tokens: frozenset[str]


_TABLES: _Tables | None = None


def _order_key(t_divs: list[Division], i: int) -> tuple[int, bool, str]:
    d = t_divs[i]
    return (_LEVEL_RANK[d.level], d.historical, d.code)


def _load() -> _Tables:
    global _TABLES
    if _TABLES is not None:
        return _TABLES
    text = resources.files("lineage").joinpath("data/divisions.tsv").read_text("utf-8")
    raw: list[list[str]] = []
    header: list[str] | None = None
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        fields = line.split("\t")
        if header is None:
            header = fields
            continue
        raw.append(fields)
    assert header is not None
    col = {k: i for i, k in enumerate(header)}

    code_ix = {r[col["code"]]: i for i, r in enumerate(raw)}
    parent_ix = [code_ix[r[col["parent"]]] if r[col["parent"]] else -1 for r in raw]
    level = [r[col["level"]] for r in raw]

    def up(i: int, lvl: str) -> int:
        while i != -1 and level[i] != lvl:
            i = parent_ix[i]
        return i

    prov_ix = [up(i, "province") for i in range(len(raw))]
    city_ix = [up(i, "city") if level[i] == "county" else -1 for i in range(len(raw))]
    divs = [
        Division(
            code=r[col["code"]],
            name=r[col["name"]],
            short=r[col["short"]],
            level=r[col["level"]],
            province=raw[prov_ix[i]][col["short"]],
            city=raw[city_ix[i]][col["short"]] if city_ix[i] != -1 else None,
            abbr=r[col["abbr"]] or None,
            historical=bool(r[col["until"]]),
        )
        for i, r in enumerate(raw)
    ]

    names: dict[str, list[int]] = {}
    graded: dict[str, list[tuple[int, int]]] = {}
    for i, (r, d) in enumerate(zip(raw, divs)):
        aliases = [a for a in r[col["aliases"]].split(",") if a]
        forms = {d.name: "name"}  # a short equal to the full name stays a full name
        forms.setdefault(d.short, "short")
        for a in aliases:
            forms.setdefault(a, "alias")
        for s, kind in forms.items():
            names.setdefault(s, []).append(i)
            if s in COMMON_WORD_NAMES:
                grade = _COMMON
            elif d.level != "county" or kind == "alias" or (kind == "name" and len(s) >= 3):
                grade = _STRONG
            else:
                grade = _WEAK
            graded.setdefault(s, []).append((i, grade))

    for w in BLOCKING_WORDS:
        graded.setdefault(w, []).append((-1, _BLOCK))

    ordered = {s: tuple(sorted(ix, key=lambda i: _order_key(divs, i))) for s, ix in names.items()}
    scan: dict[str, list[tuple[str, tuple[tuple[int, int], ...]]]] = {}
    for s, cands in graded.items():
        if len(s) >= 2:
            # strongest grade first: find() reads cands[0] to spot blocking words
            cands.sort(key=lambda c: (c[1], _order_key(divs, c[0]) if c[0] >= 0 else (0, False, "")))
            scan.setdefault(s[:2], []).append((s, tuple(cands)))
    for lst in scan.values():
        lst.sort(key=lambda e: -len(e[0]))
    # Cheap C-level pass that yields only positions whose two characters could
    # begin a name; the Python-level dict walk then runs on ~10% of positions.
    firsts = "".join(sorted({k[0] for k in scan}))
    seconds = "".join(sorted({k[1] for k in scan}))
    prefilter = re.compile(f"[{re.escape(firsts)}](?=[{re.escape(seconds)}])")

    tokens = {s for s in names if s not in COMMON_WORD_NAMES}
    tokens |= {d.abbr for d in divs if d.abbr}
    tokens |= set(JURISDICTION_WORDS)
    by_first: dict[str, set[int]] = {}
    for s in tokens:
        by_first.setdefault(s[0], set()).add(len(s))

    _TABLES = _Tables(
        divs=divs,
        by_code={d.code: i for i, d in enumerate(divs)},
        parent=parent_ix,
        province=prov_ix,
        city=city_ix,
        names=ordered,
        scan=scan,
        prefilter=prefilter,
        swap_lengths={c: tuple(sorted(ls, reverse=True)) for c, ls in by_first.items()},
        swap_tokens=frozenset(tokens),
    )
    return _TABLES


def divisions(include_historical: bool = False) -> list[Division]:
    """All divisions in code order; abolished ones only if asked for."""
    t = _load()
    return [d for d in t.divs if include_historical or not d.historical]


def by_code(code: str) -> Division | None:
    t = _load()
    i = t.by_code.get(code.strip())
    return None if i is None else t.divs[i]


def lookup(name: str) -> list[Division]:
    """Divisions whose full name, short name or "X州/X县" alias is exactly ``name``.

    Ordered province, city, county; current before historical; then by code.
    """
    t = _load()
    return [t.divs[i] for i in t.names.get(name.strip(), ())]


def parent(d: Division) -> Division | None:
    """County -> prefecture (or province where there is none), city -> province, province -> None."""
    t = _load()
    p = t.parent[t.by_code[d.code]]
    return None if p == -1 else t.divs[p]


def within(d: Division, outer: Division) -> bool:
    """Does ``outer`` contain ``d`` (its prefecture or province, at any depth)?"""
    p = parent(d)
    while p is not None:
        if p.code == outer.code:
            return True
        p = parent(p)
    return False


# the narrowest division first: of several a name may mean, the most specific
SPECIFIC = {"county": 0, "city": 1, "province": 2}


def province_of(d: Division) -> Division:
    t = _load()
    return t.divs[t.province[t.by_code[d.code]]]


def _province_index(context: str) -> int | None:
    t = _load()
    c = context.strip()
    if c in t.by_code:
        return t.province[t.by_code[c]]
    for i in t.names.get(c, ()):
        if t.divs[i].level == "province":
            return i
    for i, d in enumerate(t.divs):
        if d.level == "province" and (d.abbr == c or d.short == c):
            return i
    return None


def resolve(name_or_short: str, context_province: str | None = None) -> Division | None:
    """Best single division for a name, short name, composite name or 简称.

    ``context_province`` (name, short name, 简称 or code) restricts the choice
    to that province when it can.  Composite names ("浙江省绍兴市柯桥区") resolve
    to their most specific part.
    """
    t = _load()
    s = name_or_short.strip()
    if not s:
        return None
    cands = list(t.names.get(s, ()))
    if not cands and len(s) == 1:
        cands = sorted((i for i, d in enumerate(t.divs) if d.abbr == s), key=lambda i: _order_key(t.divs, i))
    if not cands:
        hits = find(s)
        if hits and sum(e - b for b, e, _ in hits) == len(s):
            # 浙江省绍兴市柯桥区: the last (most specific) part decides
            return max((d for _, _, d in hits), key=lambda d: _LEVEL_RANK[d.level])
        return None
    if context_province:
        p = _province_index(context_province)
        if p is not None:
            inside = [i for i in cands if t.province[i] == p]
            if inside:
                cands = inside
    return t.divs[cands[0]]


def _candidates(text: str, t: _Tables) -> list[tuple[int, int, tuple[tuple[int, int], ...]]]:
    out = []
    get = t.scan.get
    starts = text.startswith
    for m in t.prefilter.finditer(text):
        i = m.start()
        lst = get(text[i : i + 2])
        if lst:
            for s, cands in lst:
                if len(s) == 2 or starts(s, i):
                    out.append((i, i + len(s), cands))
    return out


def _related(t: _Tables, prev: int, cand: int) -> bool:
    """prev is an ancestor of cand, or a sibling at the same level under the same parent."""
    if prev in (t.parent[cand], t.city[cand], t.province[cand]):
        return True
    return t.divs[prev].level == t.divs[cand].level and t.parent[prev] == t.parent[cand]


def find(text: str) -> list[tuple[int, int, Division]]:
    """Every mention of a division in ``text`` as (start, end, division), in text order.

    ``text[start:end]`` is the name as written (full, short or "X州/X县" form;
    one-character 简称 are never reported).  Matches do not overlap.  See the
    module docstring for how weak and common-word names are filtered.
    """
    t = _load()
    if len(text) < 2:
        return []
    raw = _candidates(text, t)
    if not raw:
        return []

    # 1. strong matches (and blocking words), leftmost-longest; raw is in
    #    start order, longest first
    strong: list[tuple[int, int, tuple[int, ...]]] = []
    covered = bytearray(len(text))
    end = -1
    for b, e, cands in raw:
        if b < end:
            continue
        ids = tuple(i for i, g in cands if g == _STRONG)
        if ids:
            strong.append((b, e, ids))
        elif cands[0][1] == _BLOCK:
            covered[b:e] = b"\x01" * (e - b)
        else:
            continue
        end = e
    # 2. context: everything an unambiguous strong match names, with its ancestors
    context: set[int] = set()
    for _, _, ids in strong:
        if len(ids) == 1:
            i = ids[0]
            context.update(x for x in (i, t.city[i], t.province[i]) if x != -1)

    def pick(ids: tuple[int, ...]) -> int:
        return min(
            ids,
            key=lambda i: (
                not (t.city[i] in context or t.province[i] in context or i in context),
                _order_key(t.divs, i),
            ),
        )

    chosen: dict[int, tuple[int, int]] = {}  # start -> (end, division)
    ends: dict[int, int] = {}  # end -> division, to find what a match follows
    for b, e, ids in strong:
        i = pick(ids)
        chosen[b] = (e, i)
        ends[e] = i
        covered[b:e] = b"\x01" * (e - b)

    # 3. weak and common-word matches in the gaps, left to right
    last_end = -1
    for b, e, cands in raw:
        if b < last_end or any(g in (_STRONG, _BLOCK) for _, g in cands) or 1 in covered[b:e]:
            continue
        if e - b == 2 and text[e - 1] in "县区市" and e < len(text) and text[e] in _GLUE_AFTER:
            continue
        prev = ends.get(b)
        if prev is None and b >= 1 and text[b - 1] in _SEPARATORS:
            prev = ends.get(b - 1)
        ok = tuple(
            i
            for i, g in cands
            if (prev is not None and _related(t, prev, i))
            or (g == _WEAK and (t.city[i] if t.city[i] != -1 else t.province[i]) in context)
        )
        if ok:
            i = pick(ok)
            chosen[b] = (e, i)
            ends[e] = i
            last_end = e
    return [(b, e, t.divs[i]) for b, (e, i) in sorted(chosen.items())]


# Affixes that turn a jurisdiction word into a phrase without changing what
# the phrase does: 全省, 我省, 本省, 在浙, 各省, 省级, 省委, 省政府, 省人民政府,
# 省人大, 省政协, 省内, 省外, 省域, 省属, 省直.
_AFFIXES = ("人民政府", "政府", "人大", "政协", "全", "我", "本", "在", "各", "级", "委", "内", "外", "域", "属", "直")
_SWAP_PUNCT = frozenset("、，, ")
_HOLE = "\x00"
_MAX_SWAP_LEN = 40


def _shapes(s: str) -> set[str]:
    """Every way to write ``s`` as jurisdiction tokens (-> placeholder), affixes and punctuation."""
    t = _load()
    memo: dict[int, set[str]] = {len(s): {""}}

    def rest(i: int) -> set[str]:
        if i in memo:
            return memo[i]
        out: set[str] = set()
        for n in t.swap_lengths.get(s[i], ()):
            tok = s[i : i + n]
            if len(tok) == n and tok in t.swap_tokens:
                out.update(_HOLE + tail for tail in rest(i + n))
        for a in _AFFIXES:
            if s.startswith(a, i):
                out.update(a + tail for tail in rest(i + len(a)))
        if s[i] in _SWAP_PUNCT:
            out.update(s[i] + tail for tail in rest(i + 1))
        if len(out) > 256:  # pathological inputs; the first few shapes are plenty
            out = set(sorted(out)[:256])
        memo[i] = out
        return out

    for i in range(len(s) - 1, -1, -1):
        rest(i)
    return rest(0)


def is_jurisdiction_swap(a: str, b: str) -> bool:
    """True if replacing ``a`` by ``b`` only changes which jurisdiction the text speaks for.

    Rules:

    1. Both sides are non-empty, differ, and are at most 40 characters.
    2. Each side must be made up entirely of

       * jurisdiction tokens: any division's full name, short name or "X州/X县"
         alias (except :data:`COMMON_WORD_NAMES`), any one-character 简称
         (浙, 绍, 甬 ...), and the level words of :data:`JURISDICTION_WORDS`
         (省 市 县 区 州 盟 旗, plus 国 国家 乡 镇);
       * the affixes that build phrases out of them: 全X 我X 本X 在X 各X X级 X委
         X政府 X人民政府 X人大 X政协 X内 X外 X域 X属 X直 (and so 全X域);
       * punctuation: 、 ， , and space.

    3. Replacing every jurisdiction token by a placeholder, the two sides must
       have the same shape.  Where a string can be cut into tokens in more than
       one way (全州 is both a county and 全+州), any common shape will do.

    So 浙江省->绍兴市, 全省->全市, 省委、省政府->市委、市政府, 在浙->在绍,
    全省->全国 (going up counts), 浙江->江苏 (same level counts) are swaps;
    2025->2027, 高端->低端, 全省->本省 (a different affix) are not.  Level
    consistency is not checked: whether 浙江省->柯桥区 is plausible is the
    caller's business.
    """
    a, b = a.strip(), b.strip()
    if not a or not b or a == b or len(a) > _MAX_SWAP_LEN or len(b) > _MAX_SWAP_LEN:
        return False
    _load()
    common = {s for s in _shapes(a) if _HOLE in s} & _shapes(b)
    return bool(common)
