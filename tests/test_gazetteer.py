"""Tests for lineage.ingest.gazetteer against the bundled division table (no mocks)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from lineage.ingest import gazetteer as gz
from lineage.ingest.gazetteer import Division

ROOT = Path(__file__).resolve().parents[1]
CORPUS = sorted((ROOT / "corpus").glob("*.txt"))


def one(name: str) -> Division:
    found = gz.lookup(name)
    assert len(found) == 1, (name, found)
    return found[0]


# --- the table ---------------------------------------------------------------


def test_counts_per_level_match_the_2022_edition() -> None:
    levels = Counter(d.level for d in gz.divisions())
    assert levels == {"province": 34, "city": 333, "county": 2843}


def test_historical_divisions_are_extra_and_flagged() -> None:
    current = gz.divisions()
    everything = gz.divisions(include_historical=True)
    assert not any(d.historical for d in current)
    hist = [d for d in everything if d.historical]
    assert len(everything) == len(current) + len(hist)
    assert {d.name for d in hist if d.level == "city"} >= {"莱芜市", "那曲地区"}
    assert not any(d.level == "province" for d in hist)


def test_codes_are_unique_six_digit_and_match_their_level() -> None:
    divs = gz.divisions(include_historical=True)
    codes = [d.code for d in divs]
    assert len(codes) == len(set(codes))
    for d in divs:
        assert re.fullmatch(r"\d{6}", d.code), d
        if d.level == "province":
            assert d.code.endswith("0000"), d
        elif d.level == "city":
            assert d.code.endswith("00") and not d.code.endswith("0000"), d
        else:
            assert not d.code.endswith("00"), d
        assert gz.by_code(d.code) == d


def test_every_city_hangs_under_the_province_with_its_code_prefix() -> None:
    for d in gz.divisions(include_historical=True):
        p = gz.parent(d)
        if d.level == "province":
            assert p is None
        elif d.level == "city":
            assert p is not None and p.level == "province", d
            assert p.code == d.code[:2] + "0000", d
        else:
            # county: its prefecture, or the province for municipal districts
            # and counties under direct provincial administration (济源, 仙桃)
            assert p is not None, d
            assert p.code in (d.code[:4] + "00", d.code[:2] + "0000"), d
            assert p.level in ("city", "province")
            assert d.city == (p.short if p.level == "city" else None)
        assert gz.province_of(d).code == d.code[:2] + "0000"
        assert d.province == gz.province_of(d).short
        if not d.historical and p is not None:
            assert not p.historical, d


def test_thirty_four_provinces_with_their_short_names() -> None:
    shorts = {d.name: d.short for d in gz.divisions() if d.level == "province"}
    assert len(shorts) == 34
    assert shorts["内蒙古自治区"] == "内蒙古"
    assert shorts["广西壮族自治区"] == "广西"
    assert shorts["新疆维吾尔自治区"] == "新疆"
    assert shorts["宁夏回族自治区"] == "宁夏"
    assert shorts["西藏自治区"] == "西藏"
    assert shorts["香港特别行政区"] == "香港"
    assert shorts["澳门特别行政区"] == "澳门"
    assert shorts["台湾省"] == "台湾"
    assert shorts["黑龙江省"] == "黑龙江"
    assert shorts["北京市"] == "北京"


@pytest.mark.parametrize(
    "name, short",
    [
        ("延边朝鲜族自治州", "延边"),
        ("恩施土家族苗族自治州", "恩施"),
        ("伊犁哈萨克自治州", "伊犁"),
        ("克孜勒苏柯尔克孜自治州", "克孜勒苏"),
        ("大兴安岭地区", "大兴安岭"),
        ("锡林郭勒盟", "锡林郭勒"),
        ("柯桥区", "柯桥"),
        ("双江拉祜族佤族布朗族傣族自治县", "双江"),
        ("贡山独龙族怒族自治县", "贡山"),
        ("鄂温克族自治旗", "鄂温克旗"),
        ("神农架林区", "神农架"),
        ("浦东新区", "浦东"),
        ("清新区", "清新"),
        ("万柏林区", "万柏林"),
        # a shorter form would collide with a province or prefecture
        ("吉林市", "吉林市"),
        ("海南藏族自治州", "海南州"),
        ("本溪满族自治县", "本溪县"),
        ("河北区", "河北区"),
        # one-character stems keep their suffix
        ("赵县", "赵县"),
        ("芒市", "芒市"),
    ],
)
def test_short_names(name: str, short: str) -> None:
    assert any(d.short == short for d in gz.lookup(name)), gz.lookup(name)


def test_short_names_are_never_empty_or_one_character() -> None:
    for d in gz.divisions(include_historical=True):
        assert len(d.short) >= 2, d
        assert d.name.startswith(d.short) or d.short.endswith(("县", "旗", "州")), d


def test_county_short_names_never_shadow_a_province_or_prefecture() -> None:
    upper = {d.short for d in gz.divisions() if d.level != "county"}
    clashes = [d for d in gz.divisions() if d.level == "county" and d.short in upper]
    assert clashes == []


def test_every_province_has_a_one_character_abbreviation() -> None:
    abbrs = {d.short: d.abbr for d in gz.divisions() if d.level == "province"}
    assert all(a and len(a) == 1 for a in abbrs.values()), abbrs
    assert {k: abbrs[k] for k in ("浙江", "山东", "江苏", "广东", "北京", "上海", "河北", "四川")} == {
        "浙江": "浙",
        "山东": "鲁",
        "江苏": "苏",
        "广东": "粤",
        "北京": "京",
        "上海": "沪",
        "河北": "冀",
        "四川": "川",
    }


def test_prefecture_abbreviations() -> None:
    zj = {d.short: d.abbr for d in gz.divisions() if d.level == "city" and d.province == "浙江"}
    assert zj == {
        "杭州": "杭",
        "宁波": "甬",
        "温州": "温",
        "嘉兴": "嘉",
        "湖州": "湖",
        "绍兴": "绍",
        "金华": "金",
        "衢州": "衢",
        "舟山": "舟",
        "台州": "台",
        "丽水": "丽",
    }
    for province, at_least in (("江苏", 13), ("山东", 13), ("广东", 15)):
        cities = [d for d in gz.divisions() if d.level == "city" and d.province == province]
        assert sum(1 for d in cities if d.abbr) >= at_least, province
    assert one("广州市").abbr == "穗"
    assert one("济南市").abbr == "济"
    assert one("无锡市").abbr == "锡"
    assert all(d.abbr is None for d in gz.divisions() if d.level == "county")


# --- lookup / parent / resolve -----------------------------------------------


@pytest.mark.parametrize(
    "name, code, parent_code",
    [
        ("绍兴", "330600", "330000"),
        ("绍兴市", "330600", "330000"),
        ("浙江", "330000", None),
        ("浙江省", "330000", None),
        ("山东", "370000", None),
        ("济南", "370100", "370000"),
        ("柯桥区", "330603", "330600"),
        ("新昌县", "330624", "330600"),
        ("诸暨市", "330681", "330600"),
        ("上虞区", "330604", "330600"),
        ("嵊州市", "330683", "330600"),
        ("嵊州", "330683", "330600"),
        ("恩施州", "422800", "420000"),
    ],
)
def test_lookup_with_parents(name: str, code: str, parent_code: str | None) -> None:
    d = one(name)
    assert d.code == code
    p = gz.parent(d)
    assert (p.code if p else None) == parent_code


def test_county_fields() -> None:
    d = one("柯桥区")
    assert (d.name, d.short, d.level, d.province, d.city, d.abbr) == ("柯桥区", "柯桥", "county", "浙江", "绍兴", None)
    city = gz.parent(d)
    assert city is not None and (city.short, city.abbr, city.city) == ("绍兴", "绍", None)
    assert gz.parent(city) == one("浙江省") == gz.province_of(d)


def test_ambiguous_names_return_every_division_in_level_order() -> None:
    chaoyang = gz.lookup("朝阳区")
    assert [(d.code, d.province, d.city) for d in chaoyang] == [("110105", "北京", None), ("220104", "吉林", "长春")]
    # province before its namesake prefecture, prefecture before counties
    assert [d.level for d in gz.lookup("吉林")] == ["province"]
    assert [d.level for d in gz.lookup("吉林市")] == ["city"]
    tongzhou = gz.lookup("通州区")
    assert {d.province for d in tongzhou} == {"北京", "江苏"}
    for name in ("朝阳区", "通州区", "鼓楼区", "临安"):
        ranks = [(gz.LEVELS.index(d.level), d.historical) for d in gz.lookup(name)]
        assert ranks == sorted(ranks), name


def test_unknown_names() -> None:
    assert gz.lookup("") == []
    assert gz.lookup("长三角") == []
    assert gz.lookup("浙") == []  # 简称 are not names
    assert gz.by_code("999999") is None
    assert gz.resolve("制造业") is None


def test_historical_names() -> None:
    laiwu = gz.lookup("莱芜市")
    assert [(d.code, d.historical, d.level) for d in laiwu] == [("371200", True, "city")]
    assert gz.parent(laiwu[0]) == one("山东省")
    assert one("莱芜区").code == "370116" and gz.parent(one("莱芜区")) == one("济南市")
    jianggan = one("江干区")
    assert jianggan.historical and gz.parent(jianggan) == one("杭州市")
    assert one("钱塘区").code == "330114" and not one("钱塘区").historical
    # current first when a short name is shared with an abolished division
    assert [d.historical for d in gz.lookup("临安")] == [False, True]
    assert gz.resolve("临安") == one("临安区")


def test_resolve() -> None:
    assert gz.resolve("朝阳区") == gz.by_code("110105")
    assert gz.resolve("朝阳区", context_province="吉林") == gz.by_code("220104")
    assert gz.resolve("朝阳区", context_province="吉林省") == gz.by_code("220104")
    assert gz.resolve("朝阳区", context_province="吉") == gz.by_code("220104")
    assert gz.resolve("朝阳区", context_province="220000") == gz.by_code("220104")
    assert gz.resolve("通州区", context_province="江苏") == gz.by_code("320612")
    assert gz.resolve("鼓楼区", context_province="福建").province == "福建"
    assert gz.resolve("绍兴") == one("绍兴市")
    assert gz.resolve("浙") == one("浙江省")
    assert gz.resolve("甬") == one("宁波市")
    assert gz.resolve("浙江省绍兴市柯桥区") == one("柯桥区")
    assert gz.resolve("绍兴柯桥") == one("柯桥区")
    assert gz.resolve("") is None


# --- find --------------------------------------------------------------------

SENTENCE = "绍兴是浙江乃至长三角地区重要的制造业基地，柯桥区、新昌县智能纺织印染装备，诸暨市现代环保装备"


def spans(text: str) -> list[tuple[str, str, str]]:
    return [(text[b:e], d.code, d.level) for b, e, d in gz.find(text)]


def test_find_in_a_real_sentence() -> None:
    hits = gz.find(SENTENCE)
    for b, e, d in hits:
        assert SENTENCE[b:e] in (d.name, d.short), (b, e, d)
    assert [(SENTENCE[b:e], d.code, d.level) for b, e, d in hits] == [
        ("绍兴", "330600", "city"),
        ("浙江", "330000", "province"),
        ("柯桥区", "330603", "county"),
        ("新昌县", "330624", "county"),
        ("诸暨市", "330681", "county"),
    ]
    assert [b for b, _, _ in hits] == [0, 3, 21, 25, 37]


def test_find_prefers_full_names_and_does_not_overlap() -> None:
    assert spans("浙江省绍兴市柯桥区") == [
        ("浙江省", "330000", "province"),
        ("绍兴市", "330600", "city"),
        ("柯桥区", "330603", "county"),
    ]
    assert spans("内蒙古自治区") == [("内蒙古自治区", "150000", "province")]


def test_find_never_reports_one_character_abbreviations() -> None:
    assert gz.find("在浙企业、在绍企业、甬台温、沪苏浙皖、粤港澳") == []
    assert spans("浙沪两地") == []


def test_find_resolves_shared_names_from_context() -> None:
    assert spans("吉林省长春市朝阳区") == [
        ("吉林省", "220000", "province"),
        ("长春市", "220100", "city"),
        ("朝阳区", "220104", "county"),
    ]
    assert spans("北京市朝阳区")[-1] == ("朝阳区", "110105", "county")
    assert spans("朝阳区")[-1][1] == "110105"


def test_find_county_short_names_need_their_prefecture() -> None:
    # with the prefecture named, short county names are mentions
    assert spans("绍兴市下辖越城、柯桥、上虞三区") == [
        ("绍兴市", "330600", "city"),
        ("越城", "330602", "county"),
        ("柯桥", "330603", "county"),
        ("上虞", "330604", "county"),
    ]
    # without it they are usually ordinary words or cross word boundaries
    assert spans("加快建设创新平台，培育新兴产业，优化资源配置，深化合作") == []
    assert spans("柯桥纺织") == []
    # a list linked to a named prefecture needs no further context
    assert [s for s, _, _ in spans("衢州龙游、江山、常山")] == ["衢州", "龙游", "江山", "常山"]


def test_find_common_words_and_blocking_words() -> None:
    assert spans("大力发展朝阳产业，实现长治久安，推进乡村振兴，建设江山如画的美丽乡村") == []
    assert spans("企业陷入“三明治”陷阱") == []
    assert spans("福建省三明市、三明") == [
        ("福建省", "350000", "province"),
        ("三明市", "350400", "city"),
        ("三明", "350400", "city"),
    ]
    assert spans("市和县级政府") == []


def test_find_reports_historical_names() -> None:
    hits = spans("2018年莱芜市和济南市")
    assert hits == [("莱芜市", "371200", "city"), ("济南市", "370100", "city")]
    assert gz.by_code("371200").historical


@pytest.mark.skipif(not CORPUS, reason="no corpus files")
@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_find_on_the_corpus_is_consistent(path: Path) -> None:
    text = path.read_text("utf-8")
    hits = gz.find(text)
    assert hits, path
    last = 0
    for b, e, d in hits:
        assert last <= b < e, (b, e, d)
        assert e - b >= 2
        written = text[b:e]
        assert d in gz.lookup(written), (written, d)
        last = e


def test_find_on_short_input() -> None:
    assert gz.find("") == []
    assert gz.find("浙") == []
    assert spans("浙江") == [("浙江", "330000", "province")]


# --- jurisdiction swaps ------------------------------------------------------


@pytest.mark.parametrize(
    "a, b",
    [
        ("浙江省", "绍兴市"),
        ("浙江", "绍兴"),
        ("全省", "全市"),
        ("省级", "市级"),
        ("我省", "我市"),
        ("省委、省政府", "市委、市政府"),
        ("省委", "市委"),
        ("省政府", "市政府"),
        ("在浙", "在绍"),
        ("省内", "市内"),
        ("全省域", "全市域"),
        ("省", "市"),
        ("浙", "绍"),
        ("山东省", "济南市"),
        ("市", "县"),
        ("全市", "全县"),
        ("绍兴市", "柯桥区"),
        ("浙江", "江苏"),  # another province copying the plan
        ("全省", "全国"),  # going up
        ("国家级", "市级"),  # held-out seed 361: a city plan's 市级 for the national plan's 国家级 was "modified"
        ("省人民政府", "市人民政府"),
        ("本省", "本市"),
        ("省直", "市直"),
        ("全州", "全省"),  # 全州 is also a county in Guangxi
        ("绍兴市委、市政府", "柯桥区委、区政府"),
    ],
)
def test_jurisdiction_swaps(a: str, b: str) -> None:
    assert gz.is_jurisdiction_swap(a, b)
    assert gz.is_jurisdiction_swap(b, a)


@pytest.mark.parametrize(
    "a, b",
    [
        ("2025", "2027"),
        ("制造", "服务"),
        ("高端", "低端"),
        ("", "浙江"),
        ("浙江", ""),
        ("浙江", "浙江"),
        ("全省", "本省"),  # same jurisdiction, different wording
        ("全省", "省"),  # shapes differ
        ("浙江省", "绍兴市制造业"),
        ("省委", "市政府"),
        ("新兴", "合作"),  # common words, not places here
        ("中型", "新型"),
    ],
)
def test_not_jurisdiction_swaps(a: str, b: str) -> None:
    assert not gz.is_jurisdiction_swap(a, b)


def test_jurisdiction_words() -> None:
    for word, level in {
        "省": "province",
        "市": "city",
        "县": "county",
        "区": "county",
        "州": "city",
        "盟": "city",
        "旗": "county",
    }.items():
        assert gz.JURISDICTION_WORDS[word] == level


def test_common_and_blocking_words_are_real_names() -> None:
    for w in gz.COMMON_WORD_NAMES:
        assert gz.lookup(w), w
    for w in gz.BLOCKING_WORDS:
        assert any(d.short in w or d.name in w for d in gz.divisions()), w
