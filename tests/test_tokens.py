"""Word tokens for diffs: jieba with the policy-term dictionary, numbers whole, lazy start."""

from __future__ import annotations

import os
import subprocess
import sys

from lineage.align.tokens import is_number, tokenize


def test_tokens_join_back_to_the_text(corpus_docs):
    for doc in corpus_docs.values():
        for u in doc.units_of("paragraph")[:40]:
            assert "".join(tokenize(u.norm_text)) == u.norm_text


def test_numbers_years_and_percentages_are_whole_tokens():
    toks = tokenize("到2025年,规上企业增加值增长12.5%,建成5G基站3000个")
    for n in ("2025", "12.5%", "5G", "3000"):
        assert n in toks
    assert all(is_number(t) for t in ("2025", "12.5%", "5G"))
    assert not is_number("年")


def test_policy_terms_stay_whole():
    text = (
        "深化“亩均论英雄”改革,培育专精特新企业,推进两化融合和机器换人,建设万亩千亿平台,“产学研用金、才政介美云”十联动"
    )
    toks = tokenize(text)
    for term in ("亩均论英雄", "专精特新", "两化融合", "机器换人", "万亩千亿", "产学研用金", "才政介美云"):
        assert term in toks, term


def test_importing_does_not_start_jieba():
    # ingest imports lineage modules; jieba's dictionary must load on first use only
    code = (
        "import sys, lineage.align.tokens, lineage.align.diff, lineage.align.aligner, lineage.align.index, lineage.align.trace, lineage.ingest.pipeline; "
        "print('jieba' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_jieba_starts_without_a_cache_and_reads_the_one_it_writes(tmp_path):
    # a fresh temporary directory: jieba builds its dictionary cache; a second start reads it in one go
    code = "import lineage.align.tokens as t; print('|'.join(t.tokenize('到2025年培育专精特新企业和新兴产业')))"
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert (tmp_path / "jieba.cache").exists()
    second = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert first.stdout == second.stdout
    assert first.stdout.strip().split("|") == ["到", "2025", "年", "培育", "专精特新", "企业", "和", "新兴产业"]
