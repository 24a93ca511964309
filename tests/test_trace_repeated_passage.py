"""Attribution's context: a passage the target holds twice is one passage at each place.

Held-out seed 361 (crowded generator): a city plan took a passage from the national plan, wrote sentences of
its own inside it, and holds the same passage again further on.  The pair's backbone (the longest run of
source positions in target order) went through the second copy, so the first one's later sentences were
"moved" and its earlier ones not, and a passage bridged over the target's own sentences stopped where the
flag changed.  A province plan holding the passage with one word changed -- whose own backbone marked the
whole first copy alike -- explained the longer passage and took it (origin recall / precision, clean
database, 0.974 / 0.962).  Across the target's own sentences a passage now goes on where the source's text
goes on in its order nearby, whatever the backbone says (0.996 / 0.985 with the index's gap filled too).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from trace_fixtures import OTHER_SENTENCES, PASSAGE_SENTENCES, notice

BEFORE = PASSAGE_SENTENCES[:4]  # the national plan's, just before the passage, and the target's too
PASSAGE = PASSAGE_SENTENCES[4:9]
CHANGED = ("完善职业教育体系，深化产教融合和校企合作", "健全职业教育体系，深化产教融合和校企合作")
OWN = ["支持武汉市建设国家中心城市，打造现代化产业平台。", "推进武汉光谷和车谷协同发展，壮大区域经济实力。"]
LATER = "加快建设武汉新城，打造具有全国影响力的科技创新策源地。"


def test_a_passage_the_target_holds_twice_goes_to_the_plan_it_follows(tmp_path, db_path, run_cli):
    national = notice(
        tmp_path / "national.txt",
        "国务院办公厅",
        "2016年7月1日",
        [*BEFORE, *PASSAGE, PASSAGE_SENTENCES[9]],
        "社会发展行动纲要",
    )
    # the province's passage: one word changed, among twelve sentences of its own (not a copy of the national)
    changed = [s.replace(*CHANGED) for s in PASSAGE]
    assert changed != PASSAGE
    province = notice(
        tmp_path / "hubei.txt",
        "湖北省人民政府",
        "2021年1月19日",
        [*OTHER_SENTENCES[:6], *changed, *OTHER_SENTENCES[6:]],
        "经济社会发展行动计划",
    )
    target = notice(
        tmp_path / "wuhan.txt",
        "武汉市人民政府",
        "2023年3月1日",
        # the province's sentence before its passage, between the two copies: the province's backbone goes
        # through the second copy and passes the whole first one by
        [*BEFORE, PASSAGE[0], *OWN, *PASSAGE[1:], LATER, OTHER_SENTENCES[5], *PASSAGE],
    )
    text = Path(target).read_text(encoding="utf-8")
    first = text.index(OWN[-1])  # the first copy's sentences after the target's own
    r = run_cli("trace", target, "--db", db_path, "--corpus", national, "--corpus", province, "--json", "-q")
    assert r.exit_code == 0, r.stderr
    matches = json.loads(r.stdout)["matches"]
    for sentence in PASSAGE[1:]:
        at = text.index(sentence, first)
        (m,) = [m for m in matches if m["target_span"][0] <= at < m["target_span"][1]]
        assert Path(m["source"]).name == "national.txt", (sentence, m["source"])
