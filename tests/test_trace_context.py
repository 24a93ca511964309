"""Trace: a plan holding the target's passages in order is retrieved, though it adds little to the cover.

Seed 221 (crowded generator): a 武汉 plan took 31 sentences from 浙江's 2019 plan, three to seven at a
time with its own sentences between.  Most of them are pool text other plans hold too, a sentence or two
of a passage each, so after eight sources the 浙江 plan added too little to the greedy cover to be chosen:
never aligned, its passages went to the scattered holders, and three sentences only it holds were missed
(origin recall 0.905 / 0.897, clean / crowded database; retrieved, 0.98 / 0.98).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from lineage.align.index import Index
from lineage.align.sides import Side
from lineage.align.trace import retrieve
from lineage.ingest.pipeline import load_file
from lineage.store import Store

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from trace_fixtures import OTHER_SENTENCES, PASSAGE_SENTENCES, assert_passage_from, notice, traced

PASSAGE = PASSAGE_SENTENCES  # the passage plan holds all of it, in order; the first choice the 1st, 5th and 8th
SCATTERED = [0, 4, 7]
OTHER = OTHER_SENTENCES  # the first choice's own sentences the target took: it comes first by far
OWN = [  # the target's own sentences between the passages it took
    "支持衢州市建设四省边际中心城市，打造现代化产业平台。",
    "建设诗画浙江大花园最美核心区，擦亮衢州有礼城市品牌。",
    "推进衢江、龙游、江山、常山、开化协同发展，壮大县域经济。",
    "深化衢州智造新城建设，培育新材料和新能源产业集群。",
    "打造浙皖闽赣四省边际交通枢纽，畅通对外开放大通道。",
    "建设衢州海铁联运枢纽港，发展临港物流产业园区。",
]


def _corpus(tmp_path: Path, passage_date: str = "2019年6月5日") -> tuple[str, list[str]]:
    # the first choice holds three of the passage's sentences, each among its own
    own = [*OTHER[:4], PASSAGE[0], *OTHER[4:8], PASSAGE[4], *OTHER[8:10], PASSAGE[7], *OTHER[10:]]
    first = notice(tmp_path / "hubei.txt", "湖北省人民政府", "2017年2月11日", own)
    passage_own = [
        "推进赣南等原中央苏区振兴发展，建设革命老区高质量发展示范区。",
        "打造鄱阳湖生态经济区，筑牢长江中游生态屏障。",
    ]
    passage = notice(tmp_path / "jiangxi.txt", "江西省人民政府", passage_date, [*passage_own, *PASSAGE])
    # the passage in three stretches (4, 3, 3 sentences), the target's own sentences between them
    body = [*OTHER, OWN[0], *PASSAGE[:4], OWN[1], OWN[2], *PASSAGE[4:7], OWN[3], OWN[4], *PASSAGE[7:], OWN[5]]
    target = notice(tmp_path / "quzhou.txt", "衢州市人民政府", "2020年9月1日", body)
    return target, [first, passage]


def _retrieved(target: str, db_path: str) -> list[str]:
    with Store(db_path) as store:
        index = Index.load(store) or Index.open(store)
        got = retrieve(Side(load_file(target)), index, store.dates(), max_sources=1, levels=store.levels())
        return [Path(store.paths_of(sha)[0]).name for sha in got.shas]


def test_a_plan_holding_the_targets_passages_in_order_is_retrieved(tmp_path, db_path, run_cli):
    target, corpus = _corpus(tmp_path)
    r = run_cli("ingest", *corpus, "--db", db_path, "--quiet")
    assert r.exit_code == 0, r.stderr
    assert _retrieved(target, db_path) == ["hubei.txt", "jiangxi.txt"]


def test_its_passages_go_to_it_with_the_scattered_holder_as_also_in(tmp_path, db_path, run_cli):
    target, corpus = _corpus(tmp_path)
    got = traced(run_cli, target, db_path, corpus, "--max-sources", "1")
    assert_passage_from(got, PASSAGE, "jiangxi.txt", "hubei.txt", SCATTERED, own=OTHER)
    for sentence in OWN:
        assert sentence not in got


def test_a_plan_signed_after_the_target_is_not_added_for_holding_its_passages(tmp_path, db_path, run_cli):
    # the same plan signed after the target: it holds the target's passages because it copied them
    target, corpus = _corpus(tmp_path, passage_date="2021年3月1日")
    r = run_cli("ingest", *corpus, "--db", db_path, "--quiet")
    assert r.exit_code == 0, r.stderr
    assert _retrieved(target, db_path) == ["hubei.txt"]
