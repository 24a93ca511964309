"""Trace: a close runner-up of retrieval's greedy cover is aligned too, and wins the passage it holds whole.

Seed 132 (crowded generator, clean database): the target took a 33-sentence passage from one plan; an
unrelated, earlier plan holding its common sentences scattered, and other text of the target besides, came
5 fingerprints ahead in the greedy cover (319.8 against 314.7), and after it the passage's plan added too
little to be chosen: it was never aligned, and its passage went to the scattered plan or to nobody (origin
recall 0.892, precision 0.936; with the runner-up aligned 0.986 / 0.992).
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

PASSAGE = PASSAGE_SENTENCES[:8]  # the runner-up holds all of it, in order; the first choice only the 1st, 4th, 7th
SHORT = "完善职业教育体系，培养高技能人才。"  # the runner-up's: half a sentence's worth more
OTHER = OTHER_SENTENCES[:6]  # the first choice's own sentences the target took (so it comes first, by a little)
FIRST = [0, 3, 6]


def _corpus(tmp_path: Path) -> tuple[str, list[str]]:
    # the first choice is earlier and neither contains the target's city: only the passage can tell them apart
    # the first choice holds the passage's sentences scattered among its own
    own = [PASSAGE[0], *OTHER[:2], PASSAGE[3], *OTHER[2:4], PASSAGE[6], *OTHER[4:]]
    first = notice(tmp_path / "hubei.txt", "湖北省人民政府", "2017年2月11日", own)
    runner_own = [
        "推进赣南等原中央苏区振兴发展，建设革命老区高质量发展示范区。",
        "打造鄱阳湖生态经济区，筑牢长江中游生态屏障。",
    ]
    runner = notice(tmp_path / "jiangxi.txt", "江西省人民政府", "2019年6月5日", [*PASSAGE, SHORT, *runner_own])
    own = [  # more than attribution's BRIDGE of them: the first choice's passage ends before the runner-up's
        "支持衢州市建设四省边际中心城市，打造现代化产业平台。",
        "建设诗画浙江大花园最美核心区，擦亮衢州有礼城市品牌。",
        "推进衢江、龙游、江山、常山、开化协同发展，壮大县域经济。",
        "深化衢州智造新城建设，培育新材料和新能源产业集群。",
    ]
    body = [*OTHER, *own, *PASSAGE, SHORT, "打造浙皖闽赣四省边际交通枢纽。"]
    target = notice(tmp_path / "quzhou.txt", "衢州市人民政府", "2020年9月1日", body)
    return target, [first, runner]


def test_the_runner_up_is_retrieved_beside_the_first_choice(tmp_path, db_path, run_cli):
    target, corpus = _corpus(tmp_path)
    r = run_cli("ingest", *corpus, "--db", db_path, "--quiet")
    assert r.exit_code == 0, r.stderr
    with Store(db_path) as store:
        index = Index.load(store) or Index.open(store)
        got = retrieve(Side(load_file(target)), index, store.dates(), max_sources=1, levels=store.levels())
        names = {sha: Path(store.paths_of(sha)[0]).name for sha in got.shas}
    assert [names[s] for s in got.shas] == ["hubei.txt", "jiangxi.txt"]
    assert 0.9 * got.gains[0] <= got.gains[1] < got.gains[0]  # the premise: a close second, not a tie
    assert {names[h]: names[s] for h, s in got.held.items()} == {"jiangxi.txt": "hubei.txt"}


def test_the_passage_goes_to_the_runner_up_that_holds_it_whole(tmp_path, db_path, run_cli):
    target, corpus = _corpus(tmp_path)
    got = traced(run_cli, target, db_path, corpus, "--max-sources", "1")
    assert_passage_from(got, PASSAGE, "jiangxi.txt", "hubei.txt", FIRST, own=OTHER)
