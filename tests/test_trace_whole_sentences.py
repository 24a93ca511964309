"""Retrieval's greedy cover counts a sentence a candidate holds nearly whole before phrases it shares.

Held-out seed 481 (1,000 documents, measured once at b9b984d: clean recall 0.921, precision 0.898): the
target's fifth source, a 安徽 plan it took a passage from, ranked ninth by what it added to the cover (54.7
fingerprints against the eighth's 68.3) and was never aligned.  The plans chosen sixth to eighth shared
phrases of many of the target's pool sentences and won four sentences between them.  A hit showing less
than half of what its target sentence can show now counts half (WEAK_WEIGHT): 481 traces at 1.0 / 0.999.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

import lineage.align.trace as trace_module
from lineage.align.index import Index
from lineage.align.sides import Side
from lineage.align.trace import retrieve
from lineage.ingest.pipeline import load_file
from lineage.store import Store

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from trace_fixtures import OTHER_SENTENCES, PASSAGE_SENTENCES, notice

# phrases a plan holds as sentences of its own, and the target opens twenty longer sentences with
AREAS = [
    "统筹推进城乡供水一体化工程建设",
    "完善农村寄递物流服务网络体系",
    "加快老旧小区改造和社区服务提升",
    "推动数字乡村与智慧农业融合发展",
    "健全基层应急管理和防灾减灾体系",
    "强化耕地保护和高标准农田建设",
    "完善养老托育服务和设施供给体系",
    "深化文化旅游和体育产业融合发展",
    "提升城市更新和历史街区保护水平",
    "推进生活垃圾分类和资源循环利用",
    "加强流域水环境综合治理和修复",
    "推动绿色建筑和装配式建筑发展",
    "完善公共就业服务和职业技能培训",
    "促进平台经济和共享经济规范发展",
    "健全食品药品安全监管追溯体系",
    "加快充电桩和加氢站等设施布局",
    "推进县城补短板强弱项工作落实",
    "强化知识产权创造保护运用能力",
    "深化校企合作和产教融合育人机制",
    "提升政务服务一网通办便利程度",
]
WHOLE = PASSAGE_SENTENCES[:5]  # the sentences the target took whole from one plan


@pytest.fixture
def corpus(tmp_path: Path, db_path: str, run_cli) -> str:
    whole = notice(tmp_path / "whole.txt", "湖北省人民政府", "2017年2月11日", [*WHOLE, *OTHER_SENTENCES[6:9]])
    phrases = notice(tmp_path / "phrases.txt", "江西省人民政府", "2016年6月5日", [a + "。" for a in AREAS])
    body = [*WHOLE] + [a + "，" + OTHER_SENTENCES[i % 6] for i, a in enumerate(AREAS)]
    target = notice(tmp_path / "target.txt", "衢州市人民政府", "2020年9月1日", body)
    r = run_cli("ingest", whole, phrases, "--db", db_path, "--quiet")
    assert r.exit_code == 0, r.stderr
    return target


def _first_choice(target: str, db_path: str) -> tuple[str, list[float]]:
    with Store(db_path) as store:
        index = Index.load(store) or Index.open(store)
        got = retrieve(Side(load_file(target)), index, store.dates(), max_sources=1, levels=store.levels())
        return Path(store.paths_of(got.shas[0])[0]).name, got.gains


def test_the_plan_holding_sentences_whole_is_chosen_before_one_sharing_phrases_of_more(corpus, db_path):
    name, gains = _first_choice(corpus, db_path)
    assert name == "whole.txt"
    assert len(gains) == 1  # the phrases' plan is no close runner-up either


def test_counting_phrases_fully_the_phrases_plan_would_come_first(corpus, db_path, monkeypatch):
    """The premise: the phrases' plan shares more fingerprints with the target than the other one."""
    monkeypatch.setattr(trace_module, "WEAK_WEIGHT", 1.0)
    name, _ = _first_choice(corpus, db_path)
    assert name == "phrases.txt"
