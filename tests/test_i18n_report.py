"""The report in Chinese: `lineage report --lang zh`, golden zh pages, the glossary page, determinism.

Golden zh pages live beside the English ones in tests/golden/ (*.zh.html); after an intended change,
``LINEAGE_UPDATE_GOLDEN=1 pytest tests/test_i18n_report.py`` rewrites them (read the diff).
"""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from typing import ClassVar

import pytest
import report_fixtures as rf
from folder_tree import tree
from test_report_cli import _golden

from lineage import glossary, i18n
from lineage.owned import RECORD
from lineage.report import build, pool

# What may stay Latin on a Chinese page: names, file names and formats, figures' units, ids, codes.
ALLOWED_LATIN = {
    "lineage",
    "txt",
    "html",
    "utf",
    "sha",
    "MiB",
    "KiB",
    "GB",
    "json",
    "csv",
    "chrome",
}


class _Visible(HTMLParser):
    """Interface text of a page: text nodes and title/placeholder/aria-label attributes outside document text
    (elements marked lang="zh" hold document titles, places, passages; <code> holds file names)."""

    VOID: ClassVar[set[str]] = {"meta", "link", "input", "br", "img", "path", "line", "circle", "rect", "hr"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[bool] = []
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        data = a.get("lang") == "zh" or tag in ("code", "script", "style") or "path" in (a.get("class") or "").split()
        if not any(self.stack):
            self.texts.extend(a[k] for k in ("title", "placeholder", "aria-label") if a.get(k) and tag != "html")
        if tag not in self.VOID:
            self.stack.append(data)

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not any(self.stack) and data.strip():
            self.texts.append(data.strip())


def untranslated(html: str) -> list[str]:
    p = _Visible()
    p.feed(html)
    words = (w for t in p.texts for w in re.findall(r"[A-Za-z][A-Za-z_]{2,}", t))
    return sorted({w for w in words if w not in ALLOWED_LATIN and not re.fullmatch(r"[0-9a-f]+", w)})


@pytest.fixture(scope="module")
def sites(corpus_paths, tmp_path_factory, run_cli):
    tmp = tmp_path_factory.mktemp("i18n")
    db = str(tmp / "lineage.db")
    out = {}
    for lang in ("zh", "en"):
        out[lang] = str(tmp / lang)
        r = run_cli(
            "report",
            os.path.dirname(corpus_paths["000"]),
            "--out",
            out[lang],
            "--db",
            db,
            "-q",
            "-j",
            "1",
            "--lang",
            lang,
        )
        assert r.exit_code == 0, r.output
    return {lang: tree(path, skip=(RECORD,)) for lang, path in out.items()}


def _page(site: dict[str, bytes], prefix: str) -> str:
    (name,) = [p for p in site if p.startswith(prefix)]
    return site[name].decode("utf-8")


def test_chinese_pages_say_so_and_carry_chinese_navigation(sites):
    zh, en = sites["zh"], sites["en"]
    assert sorted(zh) == sorted(en)  # the same files, the same names: only the words differ
    for name, data in zh.items():
        if name.endswith(".html"):
            page = data.decode("utf-8")
            assert page.startswith('<!doctype html>\n<html lang="zh-CN">'), name
            assert '<a href="' in page and ">索引</a>" in page and ">谱系图</a>" in page and ">术语表</a>" in page, name
            assert en[name].decode("utf-8").startswith('<!doctype html>\n<html lang="en">'), name


def test_chinese_pages_have_no_untranslated_interface_text(sites):
    found = {name: untranslated(data.decode("utf-8")) for name, data in sites["zh"].items() if name.endswith(".html")}
    assert {k: v for k, v in found.items() if v} == {}
    # the detector works: the English site is full of it
    assert len(untranslated(sites["en"]["index.html"].decode("utf-8"))) > 30


def test_figures_are_the_same_in_both_languages(sites):
    """One figure, computed once: every share on the zh pages is the en pages' figure, in the same order."""
    share = re.compile(r'<span class="es" data-edge="([^"]+)" data-of="(\w+)">([^<]+)</span>')
    for name in sites["en"]:
        if name.endswith(".html"):
            assert share.findall(sites["zh"][name].decode("utf-8")) == share.findall(sites["en"][name].decode("utf-8"))


def test_glossary_page_explains_each_term_in_both_languages(sites):
    ids = glossary.ids()
    assert {
        "share",
        "strength",
        "confidence",
        "direction",
        "formulaic",
        "common-source",
        "chrome",
        "wrapper",
        "copy",
        "version",
        "revision-family",
        "also-in",
    } <= set(ids)
    for lang, words in (
        ("zh", ("份额", "强度", "置信度", "程式化表述", "共同来源", "网页附属内容")),
        ("en", ("share", "strength", "confidence", "formulaic text", "common source", "chrome")),
    ):
        page = sites[lang]["glossary.html"].decode("utf-8")
        assert re.findall(r'<dt id="([^"]+)">', page) == list(ids)
        assert all(w in page for w in words), lang
    with i18n.language("zh"):
        zh_entries = glossary.entries()
    with i18n.language("en"):
        en_entries = glossary.entries()
    assert [e.id for e in zh_entries] == [e.id for e in en_entries]
    assert all(z.text != e.text and re.search(r"[\u4e00-\u9fff]{8}", z.text) for z, e in zip(zh_entries, en_entries))


def test_term_links_on_pages_point_at_glossary_entries(sites):
    ids = set(glossary.ids())
    for lang in ("zh", "en"):
        linked = set()
        for data in sites[lang].values():
            for target in re.findall(r'<a class="term" href="(?:\.\./)*glossary\.html#([^"]+)"', data.decode("utf-8")):
                linked.add(target)
        assert linked <= ids and {"share", "direction", "confidence", "chrome", "copy"} <= linked, linked


def test_golden_chinese_pages(sites, corpus_paths, tmp_path_factory):
    _golden("corpus-index.zh.html", sites["zh"]["index.html"].decode("utf-8"))
    _golden("corpus-document-004.zh.html", _page(sites["zh"], "documents/004-"))
    _golden("corpus-glossary.zh.html", sites["zh"]["glossary.html"].decode("utf-8"))
    res, _ = rf.fixture_results(corpus_paths, str(tmp_path_factory.mktemp("golden-zh")))
    files = dict(build(res, lang="zh"))
    (pair,) = [p for p in files if p.startswith("pairs/") and "sx-derived" in p]
    _golden("fixture-pair.zh.html", files[pair].decode("utf-8"))
    _golden("fixture-graph.zh.html", files["graph.html"].decode("utf-8"))
    # the zh pages are those of the same build in English, word for word translated: same links, same figures
    en = dict(build(res, lang="en"))
    for name in ("graph.html", pair):
        hrefs = [re.findall(r'href="([^"]+)"', f[name].decode("utf-8")) for f in (files, en)]
        assert hrefs[0] == hrefs[1]


def test_language_of_forked_render_workers(corpus_paths, tmp_path_factory, monkeypatch):
    """A large site renders in forked workers: they write the language asked for, not the locale's."""
    res, _ = rf.fixture_results(corpus_paths, str(tmp_path_factory.mktemp("fork")))
    one = dict(build(res, jobs=1, lang="zh"))
    monkeypatch.setattr(pool, "PARALLEL_MIN", 1)
    monkeypatch.setenv("LINEAGE_LANG", "en")
    forked = dict(build(res, jobs=2, lang="zh"))
    assert forked == one and "谱系图" in forked["graph.html"].decode("utf-8")


def test_standalone_pages_follow_the_language(corpus_paths, tmp_path, run_cli):
    db = str(tmp_path / "db")
    page = str(tmp_path / "pair.html")
    r = run_cli("align", corpus_paths["001"], corpus_paths["004"], "--db", db, "--html", page, "--lang", "zh", "-q")
    assert r.exit_code == 0, r.output
    html = open(page, encoding="utf-8").read()
    assert html.startswith('<!doctype html>\n<html lang="zh-CN">') and untranslated(html) == []
    # a standalone page has no glossary beside it: terms are not links there
    assert "glossary.html" not in html and "复用份额" in html
