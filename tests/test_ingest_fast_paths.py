"""The ingest hot path's shortcuts give what the plain computations give (issue 12)."""

from __future__ import annotations

import os
import re

import pytest

from bench.generate import generate
from lineage.ingest import chrome, quick, read, structure
from lineage.ingest.pipeline import ingest_paths
from lineage.store import Store


def _rule_by_rule(norm_line: str) -> str | None:
    if not norm_line or len(norm_line) > chrome.MAX_CHROME_LEN:
        return None
    return next((kind for kind, pat in chrome._RULES if pat.search(norm_line)), None)


def _lines(paths: list[str]) -> list[str]:
    return [ln.norm for p in paths for ln in structure.split_lines(read.read_file(p).text)]


@pytest.fixture(scope="module")
def scraped(tmp_path_factory) -> list[str]:
    out = tmp_path_factory.mktemp("scraped")
    generate("scraped", str(out), seed=5, mb=1, jobs=1)
    d = out / "docs"
    return sorted(str(d / n) for n in os.listdir(d))


def test_the_rules_split_into_their_alternatives():
    assert quick.alternatives(r"^a|b(c|d)|[|x]e|\|f") == ["^a", "b(c|d)", "[|x]e", r"\|f"]
    for _, pat in chrome._RULES:  # joined again they are the rule
        assert "|".join(quick.alternatives(pat.pattern)) == pat.pattern


def test_the_quick_chrome_test_agrees_with_every_rule(corpus_paths, scraped):
    lines = (
        _lines(list(corpus_paths.values()))
        + _lines(scraped)
        + [
            "首页>政务公开",
            "点击:1390",
            "信息来源:市政府办公室",
            "来源:新华社",
            "【打印本页】【关闭窗口】",
            "版权所有:某某市人民政府",
            "电话:0571-1234",
            "上一篇:关于…",
            "扫一扫在手机打开",
            "|||",
            "首页|政务公开|新闻中心",
            "今天是2024年5月1日",
            "建议使用IE8.0以上浏览器",
            "时间:2024-5-1",
            "日期:2024",
        ]
    )
    kinds = [chrome.classify(s) for s in lines]
    assert kinds == [_rule_by_rule(s) for s in lines]
    assert len({k for k in kinds if k}) >= 10  # the lines exercise most rules


def _share_char_by_char(text: str) -> float:
    sample = text[:50000]
    wide = [c for c in sample if c >= "\x80"]
    ok = [c for c in wide if read._SYMBOLS.match(c) or ("\u4e00" <= c <= "\u9fff" and read._common_ideograph(c))]
    return len(ok) / len(wide) if wide else 1.0


def test_the_chinese_share_counts_every_character(corpus_paths):
    texts = [read.read_file(p).text for p in corpus_paths.values()]
    texts += ["abc", "ｶﾀｶﾅ与汉字", "Ελληνικά 中文", texts[0].encode("gb18030").decode("big5", "replace")]
    for t in texts:
        assert read._chinese_share(t) == pytest.approx(_share_char_by_char(t), abs=1e-12)


def test_a_document_loads_without_its_text(db_path, corpus_paths):
    with Store(db_path) as store:
        report = ingest_paths(list(corpus_paths.values()), store, jobs=1)
        for sha in report.documents:
            full, light = store.load(sha, units=False), store.load(sha, units=False, text=False)
            assert full.text and light.text == ""
            assert light.to_dict(units=False) == full.to_dict(units=False)
            assert re.fullmatch(r"[0-9a-f]{64}", light.sha256)


@pytest.mark.parametrize(
    "pattern, openings",
    [
        ("(a|b)?c", {"ac", "bc", "c"}),
        ("x*", None),
        ("[d-f]g|h", {"dg", "eg", "fg", "h"}),
        ("(?:ij)+k", {"ij"}),
        ("ab{3}", {"ab"}),
        ("(?<=q)rs", {"rs"}),
        ("a$", {"a"}),
        ("a.", {"a"}),
        (".a", None),
        (r"\d", None),
        ("a|.", None),
    ],
)
def test_the_characters_a_pattern_opens_with(pattern, openings):
    assert quick.openings(pattern) == openings


def test_without_the_private_regex_parser_every_search_is_the_plain_one(monkeypatch, corpus_paths):
    """quick reads openings off ``re._parser``, private to the standard library: a Python without it (or
    with another form of it) gets no shortcut and the same answers."""
    lines = _lines(list(corpus_paths.values()))
    monkeypatch.setattr(quick, "_parser", None)
    assert quick.openings("关于印发") is None
    for _, pat in chrome._RULES:
        test = quick.searcher(pat)
        assert [test(s) for s in lines] == [pat.search(s) is not None for s in lines]


def test_each_rule_s_quick_test_agrees_with_its_search(corpus_paths, scraped):
    lines = _lines(list(corpus_paths.values())) + _lines(scraped)
    lines += [
        "共3页首页上一页1下一页尾页",
        "报料:0571-1",
        "未经授权,不得转载",
        "推荐使用谷歌浏览器",
        "www.x.gov.cn/a.pdf",
    ]
    for kind, pat in chrome._RULES:
        test = dict(chrome._RULE_TESTS)[kind]
        assert [test(s) for s in lines] == [pat.search(s) is not None for s in lines], kind


def test_ingest_json_summaries_are_the_documents_with_given_metadata(tmp_path, corpus_paths):
    """`ingest --json` reads summaries straight from the stored metadata: the same as the documents' own."""
    import json
    import shutil

    from click.testing import CliRunner
    from sidecar_fixtures import editions

    from lineage.cli import cli

    docs, meta = editions(str(tmp_path))
    for p in corpus_paths.values():
        shutil.copy(p, docs)
    db = str(tmp_path / "l.db")
    res = CliRunner().invoke(cli, ["ingest", docs, "--meta", meta, "--db", db, "-q", "-j", "1", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)["documents"]
    with Store(db, create=False) as store:
        want = []
        for sha in store.shas():
            d = json.loads(json.dumps(store.load(sha, units=False).to_dict(units=False), ensure_ascii=False))
            for k in ("outline", "parts"):
                d.pop(k)
            want.append({**d, "paths": store.paths_of(sha)})
    assert len(out) == 8 and sum(1 for d in out if d["given"]) == 3
    assert sorted(out, key=lambda d: d["sha256"]) == sorted(want, key=lambda d: d["sha256"])


def test_a_character_expands_exactly_when_folding_lengthens_it():
    from lineage.ingest.normalize import expands, fold_chars_only, fold_table

    chars = [chr(c) for c in fold_table()] + ["a", "中", "，", "①", "\u3000"]
    assert [expands(c) for c in chars] == [len(fold_chars_only(c)) != 1 for c in chars]
    assert any(expands(c) for c in chars) and not expands("第一章")


def test_the_bracket_balance_shortcut_agrees_with_counting(corpus_paths, scraped):
    lines = _lines(list(corpus_paths.values())) + _lines(scraped)
    lines += ["(一)", "《规划》", "[a)", "】", "([{"]

    def balanced(s: str) -> bool:
        depth = 0
        for c in s:
            depth += (c in "(《【〔[") - (c in ")》】〕]")
            if depth < 0:
                return False
        return depth == 0

    assert [structure._balanced(s) for s in lines] == [balanced(s) for s in lines]


def test_folding_keeps_line_breaks_where_they_are():
    """split_lines cuts the folded text where it cuts the text: no character folds into a break or from one."""
    from lineage.ingest.normalize import fold_chars_only, fold_table

    breaks = "\n\r\u2028\u2029\x0b\x0c\x85\x1c\x1d\x1e"
    assert not any(c in breaks for v in fold_table().values() if v for c in v)
    assert fold_chars_only(breaks) == breaks


def test_classified_lines_are_remembered_within_a_bound(corpus_paths):
    lines = _lines(list(corpus_paths.values()))
    chrome._classify.cache_clear()
    for _ in range(2):  # asked again, from the cache
        assert [chrome.classify(s) for s in lines] == [_rule_by_rule(s) for s in lines]
        info = chrome._classify.cache_info()
        assert 0 < info.currsize <= info.maxsize
    assert info.hits >= len({s for s in lines if s and len(s) <= chrome.MAX_CHROME_LEN})


def test_the_structure_s_quick_searches_agree_with_their_patterns(corpus_paths, scraped):
    lines = _lines(list(corpus_paths.values())) + _lines(scraped)
    lines += ["全文如下:", "以下为文件全文", "全文来了↓↓", "现将有关事项通知如下", "(此件公开发布)", "请遵照执行。"]
    for quick_search, pat in (
        (structure._ends_wrapper, structure._WRAPPER_END),
        (structure._notice_line, structure._NOTICE_LINE),
    ):
        assert [quick_search(s) for s in lines] == [pat.search(s) is not None for s in lines], pat.pattern
