"""The Chinese report in headless Chromium: every page loads cleanly, and what report.js writes is Chinese too."""

from __future__ import annotations

import glob
import os

import pytest


@pytest.fixture(scope="module")
def zh_report(corpus_paths, tmp_path_factory, run_cli):
    tmp = tmp_path_factory.mktemp("browser-zh")
    out = str(tmp / "reports")
    r = run_cli(
        "report",
        os.path.dirname(corpus_paths["000"]),
        "--out",
        out,
        "--db",
        str(tmp / "db"),
        "-q",
        "-j",
        "1",
        "--lang",
        "zh",
    )
    assert r.exit_code == 0, r.output
    return out


def test_every_chinese_page_loads_without_errors(zh_report, page):
    pages = sorted(glob.glob(os.path.join(zh_report, "**", "*.html"), recursive=True))
    assert len(pages) == 16
    for path in pages:
        page.open(path)
        state = page.page.evaluate("""() => ({js: document.documentElement.classList.contains("js"),
            lang: document.documentElement.lang, title: document.title,
            nav: Array.from(document.querySelectorAll("nav.top a")).map(a => a.textContent)})""")
        assert state["js"] and state["lang"] == "zh-CN" and state["title"].endswith(" · lineage"), path
        assert state["nav"] == ["索引", "谱系图", "重复副本", "术语表"], path
    assert page.problems == [] and page.dialogs == []


def test_script_text_follows_the_page_language(zh_report, page):
    page.open(os.path.join(zh_report, "index.html"))
    pg = page.page
    pg.fill("#find", "绍兴")
    assert pg.inner_text("#found") == "2 / 5"
    (pair,) = glob.glob(os.path.join(zh_report, "pairs", "002-*--004-*.html"))
    page.open(pair)
    assert pg.locator("a.sp").first.get_attribute("title") == "在原文中"
    assert page.problems == []


def test_terms_open_their_glossary_entry(zh_report, page):
    page.open(os.path.join(zh_report, "graph.html"))
    pg = page.page
    pg.locator('a.term[href$="#confidence"]').first.click()
    pg.wait_for_load_state("load")
    assert pg.url.endswith("glossary.html#confidence")
    entry = pg.evaluate("() => document.querySelector(':target').innerText")
    assert entry.startswith("置信度")
    assert page.problems == []
