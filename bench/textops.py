"""Shared text operations: width folding, sentence/clause splitting, the
10-character novelty check, jurisdiction tables and swaps, number and word
perturbation.

Conventions used throughout the generator:

* *Canonical* text is what a clean official document looks like: full-width
  Chinese punctuation ``，：；（）！？``, ASCII digits/letters, no indents.
  Every rendering transformation that must keep gold offsets valid (width
  swaps) is length-preserving on purpose.
* ``fold`` is the comparison form used by tests and the novelty check:
  full-width ASCII variants mapped to ASCII, all whitespace removed.
"""

from __future__ import annotations

import difflib
import hashlib
import random
import re
from dataclasses import dataclass
from functools import cache, lru_cache

try:  # numpy only speeds up the large novelty index used by `trace`
    import numpy as _np
except ImportError:  # pragma: no cover - exercised only without numpy
    _np = None

# ---------------------------------------------------------------- width ----
FULL_PUNCT = "，：；（）！？"
HALF_PUNCT = ",:;()!?"
TO_HALF = str.maketrans(FULL_PUNCT, HALF_PUNCT)
TO_FULL = str.maketrans(HALF_PUNCT, FULL_PUNCT)
TO_FULL_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")

WHITESPACE = " \t\r\n\f\v\u00a0\u3000\u2002\u2003\u2009\u200b\ufeff"
_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FOLD.update({ord(c): None for c in WHITESPACE})
# Canonicalisation maps full-width ASCII variants to ASCII (1:1, so raw corpus
# offsets survive) and then the seven sentence punctuation marks to full width.
_CANON = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F) if chr(cp) not in FULL_PUNCT}
_CANON.update({ord(h): ord(f) for h, f in zip(HALF_PUNCT, FULL_PUNCT)})
# Punctuation removed by ``bare`` (after folding): the stricter novelty form.
_PUNCT_CHARS = "。、“”‘’《》〔〕【】—…·﹡" + "!\"'()*,-./:;<>?[]{}|~`"
_BARE = dict(_FOLD)
_BARE.update({ord(c): None for c in _PUNCT_CHARS})
_BARE.update({cp: None for cp, v in _FOLD.items() if v is not None and chr(v) in _PUNCT_CHARS})

SENT_END = "。；！？"


def fold(text: str) -> str:
    """Comparison form: full-width ASCII -> ASCII, whitespace removed."""
    return text.translate(_FOLD)


def bare(text: str) -> str:
    """``fold`` plus all punctuation removed (stricter novelty form)."""
    return text.translate(_BARE)


def canonical(text: str) -> str:
    """Length-preserving canonical form (full-width sentence punctuation)."""
    return text.translate(_CANON)


def to_half(text: str) -> str:
    return text.translate(TO_HALF)


def to_full(text: str) -> str:
    return text.translate(TO_FULL)


# ------------------------------------------------------------- splitting ----
_SENT_RE = re.compile(r"[^。；！？]*[。；！？]+[”’》）」]*|[^。；！？]+")
_CLAUSE_RE = re.compile(r"[^，：；。！？]+")
OUTLINE_RE = re.compile(
    r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d{1,2}[.．、](?!\d)|（\d{1,2}）|——)"
)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Spans of sentences in canonical text: a sentence ends after 。；！？
    (plus closing quotes/brackets); leading/trailing whitespace is excluded."""
    spans = []
    for m in _SENT_RE.finditer(text):
        s, e = m.span()
        while s < e and text[s] in WHITESPACE:
            s += 1
        while e > s and text[e - 1] in WHITESPACE:
            e -= 1
        if e > s:
            spans.append((s, e))
    return spans


def clause_spans(sentence: str) -> list[tuple[int, int]]:
    """Spans of clauses (text between ，：；。！？) inside one sentence."""
    return [m.span() for m in _CLAUSE_RE.finditer(sentence)]


def strip_outline(text: str) -> str:
    return OUTLINE_RE.sub("", text, count=1)


CN_NUM = "一二三四五六七八九十"


def cn_number(n: int) -> str:
    """1..99 in Chinese numerals (一, 十一, 二十三)."""
    if n <= 10:
        return CN_NUM[n - 1]
    tens, ones = divmod(n, 10)
    return (CN_NUM[tens - 1] if tens > 1 else "") + "十" + (CN_NUM[ones - 1] if ones else "")


# --------------------------------------------------------- novelty check ----
NOVEL_N = 10
_MASK = (1 << 64) - 1
_BASE = 1000003


def _hashes_py(s: str, n: int) -> list[int]:
    out = []
    cps = [ord(c) for c in s]
    for i in range(len(cps) - n + 1):
        h = 0
        for c in cps[i : i + n]:
            h = (h * _BASE + c) & _MASK
        out.append(h)
    return out


def _hashes_np(s: str, n: int):
    a = _np.frombuffer(s.encode("utf-32-le"), dtype="<u4").astype(_np.uint64)
    m = len(a) - n + 1
    if m <= 0:
        return _np.zeros(0, dtype=_np.uint64)
    h = _np.zeros(m, dtype=_np.uint64)
    base = _np.uint64(_BASE)
    with _np.errstate(over="ignore"):
        for k in range(n):
            h = h * base + a[k : k + m]
    return h


class NgramIndex:
    """Set of all 10-character runs of some texts, in two normal forms
    (``fold`` and ``bare``), so new text can be checked for accidental
    overlap.  Small indexes keep the substrings in a set; large ones
    (``hashed=True``, needs numpy) keep 64-bit rolling hashes in a sorted
    array (a hash collision can only cause an extra rejection, never a miss)."""

    def __init__(self, n: int = NOVEL_N, hashed: bool = False):
        self.n = n
        # hashing pays off only for big indexes: numpy's per-call overhead
        # makes lookups in small ones slower than a plain set
        self.hashed = hashed and _np is not None
        self._set: set[str] = set()
        self._chunks: list = []
        self._pending = 0
        self._arr = None

    def add(self, text: str) -> None:
        for form in (fold(text), bare(text)):
            if self.hashed:
                h = _hashes_np(form, self.n)
                self._chunks.append(h)
                self._pending += len(h)
                if self._pending > 4_000_000:  # compact: related documents share most runs
                    self._arr = None
                    a = self._frozen()
                    self._chunks = [a[_np.concatenate(([True], a[1:] != a[:-1]))]]
                    self._pending = 0
                self._arr = None
            else:
                n = self.n
                self._set.update(form[i : i + n] for i in range(len(form) - n + 1))

    def _frozen(self):
        """Sorted hash array (duplicates are harmless for searchsorted and
        np.sort is much cheaper than np.unique here)."""
        if self._arr is None:
            self._arr = _np.sort(_np.concatenate(self._chunks)) if self._chunks else _np.zeros(0, dtype=_np.uint64)
        return self._arr

    def hits(self, text: str) -> bool:
        """True if ``text`` shares any 10-char run with the indexed texts."""
        for form in (fold(text), bare(text)):
            if len(form) < self.n:
                continue
            if self.hashed:
                arr = self._frozen()
                if len(arr) == 0:
                    return False
                h = _hashes_np(form, self.n)
                pos = _np.searchsorted(arr, h)
                pos[pos >= len(arr)] = len(arr) - 1
                if bool((arr[pos] == h).any()):
                    return True
            else:
                n = self.n
                if any(form[i : i + n] in self._set for i in range(len(form) - n + 1)):
                    return True
        return False


def shares_run(a: str, b: str, n: int = NOVEL_N) -> bool:
    """Direct check (used by tests): do a and b share an n-char run after fold?"""
    fa, fb = fold(a), fold(b)
    grams = {fb[i : i + n] for i in range(len(fb) - n + 1)}
    return any(fa[i : i + n] in grams for i in range(len(fa) - n + 1))


def change_ratio(a: str, b: str) -> float:
    """Share of text changed between two sentences (1 - difflib ratio)."""
    return 1.0 - difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


# -------------------------------------------------------------- seeding ----
def rng_for(seed: int, *keys) -> random.Random:
    """Independent, stable RNG per (seed, keys) so parallel work is deterministic."""
    h = hashlib.sha256(("|".join(map(str, (seed,) + keys))).encode()).digest()
    return random.Random(int.from_bytes(h[:8], "big"))


def hex_id(rng: random.Random, n: int = 16) -> str:
    return "%0*x" % (n, rng.getrandbits(4 * n))


# ---------------------------------------------------------- jurisdictions ----
# A small built-in list of real divisions: province -> cities -> counties/districts.
PROVINCES: list[tuple[str, str, list[tuple[str, list[str]]]]] = [
    (
        "浙江省",
        "浙",
        [
            ("杭州市", ["西湖区", "余杭区", "桐庐县"]),
            ("宁波市", ["鄞州区", "北仑区", "象山县"]),
            ("温州市", ["鹿城区", "永嘉县", "平阳县"]),
            ("绍兴市", ["柯桥区", "上虞区", "新昌县"]),
            ("湖州市", ["吴兴区", "长兴县", "安吉县"]),
            ("嘉兴市", ["南湖区", "嘉善县", "海盐县"]),
            ("金华市", ["婺城区", "武义县", "浦江县"]),
            ("台州市", ["椒江区", "天台县", "仙居县"]),
        ],
    ),
    (
        "山东省",
        "鲁",
        [
            ("济南市", ["历下区", "章丘区", "平阴县"]),
            ("青岛市", ["黄岛区", "即墨区", "崂山区"]),
            ("烟台市", ["芝罘区", "福山区", "牟平区"]),
            ("潍坊市", ["奎文区", "寒亭区", "临朐县"]),
            ("淄博市", ["张店区", "淄川区", "沂源县"]),
        ],
    ),
    (
        "江苏省",
        "苏",
        [
            ("南京市", ["江宁区", "浦口区", "溧水区"]),
            ("苏州市", ["吴江区", "吴中区", "相城区"]),
            ("无锡市", ["惠山区", "锡山区", "滨湖区"]),
            ("常州市", ["武进区", "金坛区", "新北区"]),
            ("南通市", ["通州区", "海门区", "如东县"]),
        ],
    ),
    (
        "广东省",
        "粤",
        [
            ("广州市", ["天河区", "番禺区", "花都区"]),
            ("深圳市", ["南山区", "龙岗区", "宝安区"]),
            ("佛山市", ["顺德区", "南海区", "三水区"]),
            ("珠海市", ["香洲区", "斗门区", "金湾区"]),
            ("惠州市", ["惠城区", "惠阳区", "博罗县"]),
        ],
    ),
    (
        "安徽省",
        "皖",
        [
            ("合肥市", ["蜀山区", "肥西县", "长丰县"]),
            ("芜湖市", ["鸠江区", "弋江区", "南陵县"]),
            ("蚌埠市", ["龙子湖区", "禹会区", "怀远县"]),
            ("滁州市", ["琅琊区", "南谯区", "来安县"]),
        ],
    ),
    (
        "福建省",
        "闽",
        [
            ("福州市", ["鼓楼区", "仓山区", "闽侯县"]),
            ("厦门市", ["思明区", "海沧区", "集美区"]),
            ("泉州市", ["丰泽区", "洛江区", "惠安县"]),
            ("漳州市", ["芗城区", "龙文区", "漳浦县"]),
        ],
    ),
    (
        "湖北省",
        "鄂",
        [
            ("武汉市", ["江夏区", "黄陂区", "蔡甸区"]),
            ("宜昌市", ["夷陵区", "西陵区", "远安县"]),
            ("襄阳市", ["襄州区", "樊城区", "南漳县"]),
        ],
    ),
    (
        "四川省",
        "川",
        [
            ("成都市", ["武侯区", "郫都区", "双流区"]),
            ("绵阳市", ["涪城区", "游仙区", "梓潼县"]),
            ("宜宾市", ["翠屏区", "叙州区", "江安县"]),
        ],
    ),
    (
        "河南省",
        "豫",
        [
            ("郑州市", ["金水区", "二七区", "中牟县"]),
            ("洛阳市", ["涧西区", "洛龙区", "宜阳县"]),
            ("新乡市", ["红旗区", "牧野区", "原阳县"]),
        ],
    ),
    (
        "湖南省",
        "湘",
        [
            ("长沙市", ["岳麓区", "雨花区", "望城区"]),
            ("株洲市", ["天元区", "芦淞区", "攸县"]),
            ("湘潭市", ["雨湖区", "岳塘区"]),
        ],
    ),
]
# Real document-number abbreviations where the first character is not used.
CITY_ABBR = {"宁波市": "甬", "广州市": "穗", "厦门市": "厦", "深圳市": "深"}


@dataclass(frozen=True)
class Jur:
    """A jurisdiction.  ``unit`` is the character used in level terms
    (省/市/区/县/国); ``chain`` is (province, city) names above it."""

    name: str
    short: str
    level: str  # national | province | city | county
    unit: str
    abbr: str
    province: str | None = None
    city: str | None = None
    docno: str = ""  # document-number prefix, e.g. 浙政 / 绍政 / 绍柯政


def _short(name: str) -> str:
    s = name[:-1]
    return s if len(s) >= 2 else name


NATIONAL = Jur("我国", "中国", "national", "国", "国", docno="国")


@cache
def all_jurs() -> tuple[Jur, ...]:
    out = [NATIONAL]
    for pname, pabbr, cities in PROVINCES:
        out.append(Jur(pname, _short(pname), "province", "省", pabbr, docno=pabbr + "政"))
        for cname, counties in cities:
            cab = CITY_ABBR.get(cname, cname[0])
            out.append(Jur(cname, _short(cname), "city", "市", cab, province=pname, docno=cab + "政"))
            for k in counties:
                out.append(
                    Jur(k, _short(k), "county", k[-1], k[0], province=pname, city=cname, docno=cab + k[0] + "政")
                )
    return tuple(out)


@cache
def jur(name: str) -> Jur:
    for j in all_jurs():
        if j.name == name:
            return j
    raise KeyError(name)


@cache
def _jurs_at(level: str, parent: str | None) -> tuple[Jur, ...]:
    return tuple(j for j in all_jurs() if j.level == level and (parent is None or parent in (j.province, j.city)))


def jurs_at(level: str, parent: str | None = None) -> list[Jur]:
    """Jurisdictions of a level, optionally under a province/city name."""
    return list(_jurs_at(level, parent))


def chain(j: Jur) -> dict[str, Jur]:
    """Level -> jurisdiction for j and its ancestors."""
    out = {j.level: j}
    if j.province:
        out["province"] = jur(j.province)
    if j.city:
        out["city"] = jur(j.city)
    return out


# Level terms by slot; None = the slot has no safe equivalent for that unit
# (e.g. 区域 is an ordinary word, so 区 has no "domain" slot).
LEVEL_TERMS: dict[str, list[str | None]] = {
    "省": ["全省", "省级", "省委", "省政府", "我省", "本省", "省直", "省内", "强省", "省域", "省属"],
    "市": ["全市", "市级", "市委", "市政府", "我市", "本市", "市直", None, "强市", "市域", "市属"],
    "县": ["全县", "县级", "县委", "县政府", "我县", "本县", "县直", "县内", "强县", "县域", "县属"],
    "区": ["全区", "区级", "区委", "区政府", "我区", "本区", "区直", None, "强区", None, "区属"],
    "国": ["全国", "国家级", "党中央", "国务院", "我国", None, None, None, "强国", None, None],
}


def _name_map(src: Jur, tgt: Jur) -> tuple[dict[str, str], dict[str, str]]:
    """Names in src's chain mapped to the target chain (same level if the
    target has one, else the target itself).  Returns (plain map, map of
    abbreviation patterns 在浙 that must not be followed by the rest of the
    short name, e.g. 在浙江)."""
    m: dict[str, str] = {}
    ab: dict[str, str] = {}
    if src.level == "national":  # national text: only level terms (全国→全省, 我国→我省)
        return m, ab
    sc, tc = chain(src), chain(tgt)
    for level, sj in sc.items():
        if tgt.level == "national":
            m["中共" + sj.name + "委"] = "党中央"
            m[sj.name + "人民政府"] = "国务院"
            m[sj.name] = "我国"
            m[sj.short] = "中国"
            continue
        # the document's own jurisdiction becomes the target; ancestors map to
        # the target's ancestor at the same level (identity entries are kept:
        # they stop 省委 inside 中共浙江省委 from being rewritten)
        tj = tgt if level == src.level else tc.get(level, tgt)
        m["中共" + sj.name + "委"] = "中共" + tj.name + "委"
        m[sj.name + "人民政府"] = tj.name + "人民政府"
        m[sj.name] = tj.name
        m[sj.short] = tj.short
        if sj.short.startswith(sj.abbr) and len(sj.short) > 1:
            ab["在" + sj.abbr] = "在" + tj.abbr
    return m, ab


@lru_cache(maxsize=4096)
def _swapper(src: Jur, tgt: Jur):
    m, ab = _name_map(src, tgt)
    for a, b in zip(LEVEL_TERMS[src.unit], LEVEL_TERMS[tgt.unit]):
        if a and b:
            m.setdefault(a, b)
    m = {k: v for k, v in m.items() if len(k) >= 2}
    ab = {k: v for k, v in ab.items() if k != v and k not in m}
    if all(k == v for k, v in m.items()) and not ab:
        return None, m
    alts = [re.escape(k) for k in sorted(m, key=len, reverse=True)]
    for k in ab:  # 在浙 but not 在浙江
        rest = {j.short[1] for j in chain(src).values() if j.short.startswith(k[1])}
        alts.append(re.escape(k) + ("(?![%s])" % "".join(sorted(rest)) if rest else ""))
    m.update(ab)
    return re.compile("|".join(alts)), m


def swap_jur(text: str, src: Jur, tgt: Jur) -> str:
    """Localize text written for ``src`` so it reads as written for ``tgt``
    (浙江省→绍兴市, 全省→全市, 省级→市级, 省委、省政府→市委、市政府, 在浙→在绍)."""
    if src == tgt:
        return text
    pat, m = _swapper(src, tgt)
    if pat is None:
        return text
    return pat.sub(lambda mo: m[mo.group(0)], text)


# ------------------------------------------------------ numbers and words ----
# (?<!制造) keeps the brand name 中国制造2025 intact
YEAR_RE = re.compile(r"(?<![\d造])(19[89]\d|20[0-4]\d)(?![\d.])")
QTY_RE = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)(?=\s?(?:家|个|项|台|条|种|所|名|人|亿|万|%|千|余|倍))")


def shift_years(text: str, delta: int) -> str:
    if not delta:
        return text
    return YEAR_RE.sub(lambda m: str(int(m.group(1)) + delta), text)


def _scale(num: str, factor: float) -> str:
    if "." in num:
        places = len(num.split(".")[1])
        v = round(float(num) * factor, places)
        return f"{v:.{places}f}"
    v = max(1, round(int(num) * factor))
    if v == int(num):
        v += 1
    return str(v)


def perturb_numbers(text: str, rng: random.Random, p: float = 1.0) -> str:
    """Change quantities (20家 -> 30家) and years (2025 -> 2027)."""

    def qty(m):
        return _scale(m.group(1), rng.uniform(0.5, 1.8)) if rng.random() < p else m.group(1)

    def year(m):
        return str(int(m.group(1)) + rng.choice([-2, -1, 1, 2, 3])) if rng.random() < p else m.group(1)

    return YEAR_RE.sub(year, QTY_RE.sub(qty, text))


SYNONYM_PAIRS = [
    ("加快", "加速"),
    ("推进", "推动"),
    ("提升", "提高"),
    ("支持", "鼓励"),
    ("完善", "健全"),
    ("强化", "加强"),
    ("构建", "建立"),
    ("显著", "明显"),
    ("积极", "主动"),
    ("引导", "带动"),
    ("优化", "改善"),
    ("培育", "扶持"),
    ("促进", "推动"),
    ("打造", "建设"),
    ("深化", "深入推进"),
    ("一批", "若干"),
    ("力争", "争取"),
    ("重大", "重要"),
    ("着力", "努力"),
    ("有序", "稳步"),
]
SYNONYMS: dict[str, list[str]] = {}
for _a, _b in SYNONYM_PAIRS:
    SYNONYMS.setdefault(_a, []).append(_b)
    SYNONYMS.setdefault(_b, []).append(_a)
_SYN_RE = re.compile("|".join(sorted(SYNONYMS, key=len, reverse=True)))
MODIFIERS = ["进一步", "积极", "大力", "切实", "全面", "持续", "加快"]
_VERB_RE = re.compile("(?:推进|推动|提升|完善|实施|支持|培育|构建|强化|建设|发展|开展)")


def replace_words(text: str, rng: random.Random, k: int = 1) -> str:
    """Replace up to k words by synonyms (加快→加速 ...)."""
    ms = list(_SYN_RE.finditer(text))
    if not ms:
        return text
    chosen = sorted(rng.sample(ms, min(k, len(ms))), key=lambda m: m.start(), reverse=True)
    for m in chosen:
        text = text[: m.start()] + rng.choice(SYNONYMS[m.group(0)]) + text[m.end() :]
    return text


def insert_modifier(text: str, rng: random.Random) -> str:
    ms = list(_VERB_RE.finditer(text))
    if not ms:
        return text
    m = rng.choice(ms)
    mod = rng.choice(MODIFIERS)
    if text[max(0, m.start() - len(mod)) : m.start()] == mod:
        return text
    return text[: m.start()] + mod + text[m.start() :]


def drop_clause(text: str, rng: random.Random) -> str:
    """Remove one inner clause (with its separator) from a multi-clause sentence."""
    cs = clause_spans(text)
    if len(cs) < 3:
        return text
    i = rng.randrange(1, len(cs) - 1)
    s, e = cs[i]
    return text[:s] + text[e + 1 :]
