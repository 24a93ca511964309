"""HTML extraction: text, entities, chrome containers, and spans back into the page."""

from __future__ import annotations

import re

from lineage.ingest.htmltext import extract
from lineage.ingest.normalize import fold

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>中国制造2025绍兴实施方案_绍兴市人民政府</title>
<style>p { color: red }</style><script>document.write("<p>不是正文</p>");</script></head>
<body><div class="top-nav"><a href="/">首页</a> &gt; <a>政策服务</a></div>
<!-- 正文开始 -->
<div id="content"><p>&nbsp;&nbsp;为抢抓新一轮产业技术革命及&ldquo;互联网+&rdquo;发展机遇，
<span style="x">加快推进</span>绍兴制造强市建设。</p>
<p>一、重要意义<br>和总体要求</p>
<table><tr><td>指标</td><td>2015年</td></tr><tr><td>1.02</td><td>1.35</td></tr></table></div>
<div class="footer">版权所有 &copy; 绍兴市</div></body></html>"""


def test_text_blocks_entities_and_dropped_markup():
    h = extract(PAGE)
    lines = [fold(x) for x in h.text.split("\n") if fold(x)]
    assert "不是正文" not in h.text and "color" not in h.text
    assert "为抢抓新一轮产业技术革命及“互联网+”发展机遇,加快推进绍兴制造强市建设。" in lines
    assert "一、重要意义" in lines and "和总体要求" in lines
    assert lines[-5:-1] == ["指标", "2015年", "1.02", "1.35"]
    assert h.title[0] == "中国制造2025绍兴实施方案_绍兴市人民政府"
    assert PAGE[h.title[1] : h.title[2]] == h.title[0]


def test_navigation_and_footer_containers_are_flagged():
    h = extract(PAGE)
    kinds = [(k, fold(h.text[a:b])) for a, b, k in h.chrome]
    assert ("navigation", "首页>政策服务") in kinds
    assert ("footer", "版权所有©绍兴市") in kinds


def test_every_text_run_maps_back_to_the_page():
    h = extract(PAGE)
    for m in re.finditer(r"\S+", h.text):
        s, e = h.map.span(m.start(), m.end())
        assert fold(extract(PAGE[s:e]).text) == fold(m.group())


def test_unclosed_head_does_not_swallow_the_body():
    h = extract("<html><head><title>t</title><body><p>正文在此</p></body>")
    assert "正文在此" in h.text
