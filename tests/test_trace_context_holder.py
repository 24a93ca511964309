"""A plan added for holding the target's passages in order brings the older plan it copied them from.

Held-out seed 493 (1,100 documents, a 12,000-character 湘潭 plan, measured once: clean recall 0.883,
precision 0.919): the target took stretches of a national plan's text, pool sentences the greedy cover
found scattered through the plans it chose.  Retrieval adds the documents holding such stretches in order
(``_in_context``); a 河南 plan that had copied the national plan's passages held one more of the target's
sentences in order and was added; the national plan then held them no more than twice as long as a
document taken, was never aligned, and the copy kept 23 of its sentences.  Now the oldest document holding
half or more of the same passages in order comes beside the one added, as its holder (0.991 / 0.966).
"""

from __future__ import annotations

import numpy as np
from plan_fixtures import OWN, issued, traced_json

from lineage.align.result import date_order
from lineage.align.trace import _in_context

PASSAGE = [
    "推动制造业与互联网深度融合，培育网络化协同、个性化定制、服务化延伸等新模式。",
    "实施工业强基工程，突破核心基础零部件、先进基础工艺、关键基础材料瓶颈。",
    "完善首台套重大技术装备保险补偿机制，加快创新产品推广应用。",
    "健全绿色制造体系，开展绿色工厂、绿色园区和绿色供应链示范创建。",
    "引导金融机构加大对制造业中长期贷款支持力度，降低企业融资成本。",
    "加强制造业人才队伍建设，培养一批高技能人才和大国工匠。",
    "深化国际产能合作，支持优势企业开展跨国并购和境外投资。",
    "优化营商环境，落实减税降费政策，切实减轻企业负担。",
]
NATIONAL_OWN = [
    "推进长江经济带高质量发展，建设沿江绿色产业带和综合立体交通走廊。",
    "深入实施创新驱动发展战略，布局建设一批国家实验室和重大科技基础设施。",
    "加快发展现代服务业，推动生产性服务业向专业化和价值链高端延伸。",
    "完善区域协调发展机制，支持革命老区、民族地区加快发展。",
]
NEXT = OWN["河南省"][0]  # the target has it after the passage, as the copy does; the plan holds it elsewhere


def test_the_plan_a_context_source_copied_its_passages_from_is_aligned_and_wins_them(run_cli, tmp_path):
    own, gd = OWN["山东省"], OWN["广东省"]
    # two of the first sources hold the passage's sentences scattered among their own (the greedy cover takes
    # them for those), and too much of their own for the plans holding the passage to be their holders
    files = {
        "shandong": issued(
            "山东省",
            "2015年3月1日",
            [*own[:3], PASSAGE[6], own[3], PASSAGE[0], own[4], PASSAGE[4], own[5], PASSAGE[2], own[6], PASSAGE[5]]
            + [own[7], PASSAGE[1], *own[8:]],
        ),
        "guangdong": issued("广东省", "2015年5月1日", [gd[0], PASSAGE[3], gd[1], gd[2], PASSAGE[7], gd[3]]),
        "henan": issued("河南省", "2015年4月1日", OWN["河南省"][:5]),
        "guangzhou": issued("广州市", "2015年6月1日", OWN["广州市"][:4]),
        "sichuan": issued("四川省", "2015年7月1日", OWN["四川省"][:4]),
        # the plan the target took the passage from, with more of its own (no copy of the first source), and
        # a later plan that copied it, and holds in order after it a sentence the plan holds elsewhere
        "national": issued(
            "江苏省", "2016年3月19日", [*OWN["广东省"][4:], NEXT, *OWN["全国"], *PASSAGE, *NATIONAL_OWN]
        ),
        "copy": issued("安徽省", "2016年10月31日", [*OWN["河南省"][5:8], *PASSAGE, NEXT, *OWN["河南省"][8:]]),
    }
    target_lines = [*own, *OWN["河南省"][1:5], *OWN["广东省"][:4], *PASSAGE, NEXT]
    target_lines += [*OWN["广州市"][:4], *OWN["四川省"][:4]]
    target = issued("成都市", "2017年5月1日", target_lines)
    _, by_text = traced_json(run_cli, tmp_path, files, target)
    for sentence in PASSAGE:
        m = by_text[sentence]
        assert m["source"].rsplit("/", 1)[-1] == "national.txt", (sentence, m["source"])
        assert files["national"][slice(*m["source_span"])] == sentence
        assert "copy.txt" in {a["source"].rsplit("/", 1)[-1] for a in m.get("also_in") or ()}, sentence


def _hits(holders: dict[int, list[tuple[int, int]]]) -> tuple[np.ndarray, ...]:
    """(candidate, target atom, count, source atom) of each best hit, sorted by candidate and target atom."""
    rows = sorted((d, t, s) for d, pairs in holders.items() for t, s in pairs)
    di, bq, bl = (np.array(x) for x in zip(*rows))
    return di, bq, np.full(len(rows), 4.0), bl


def test_in_context_returns_the_older_holder_beside_the_candidate_it_adds():
    """Candidate 0 is chosen and holds the passage's atoms scattered; candidate 1 (a copy, 2016-10) holds
    target atoms 0-8 in order, candidate 2 (the plan it copied, 2016-03) atoms 0-7, candidate 3 (older
    still) atoms 0-2 only: the copy is added for its passage, and the plan beside it as its holder."""
    hits = _hits(
        {
            0: [(t, s) for t, s in zip(range(9), (7, 13, 3, 9, 15, 1, 11, 5, 20))],
            1: [(t, t + 1) for t in range(9)],
            2: [(t, t + 1) for t in range(8)],
            3: [(t, t) for t in range(3)],
        }
    )
    tie = np.array([date_order(d) for d in ("2015-03-01", "2016-10-31", "2016-03-19", "2014-01-01")], dtype=object)
    alive = np.array([False, True, True, True])
    cap = np.full(9, 4.0)
    out = _in_context([0], alive, hits, cap, np.arange(4), tie)
    assert out == [(1, 9.0, None), (2, 8.0, 1)]
    # holding under half of the copy's passages, an older document is not its holder
    hits = _hits(
        {
            0: [(t, s) for t, s in zip(range(9), (7, 13, 3, 9, 15, 1, 11, 5, 20))],
            1: [(t, t + 1) for t in range(9)],
            3: [(t, t) for t in range(4)],
        }
    )
    out = _in_context([0], np.array([False, True, True, True]), hits, cap, np.arange(4), tie)
    assert out == [(1, 9.0, None)]


def test_in_context_ties_go_to_the_earlier_document_before_sha_order():
    hits = _hits({0: [(0, 0)], 1: [(t, t) for t in range(8)], 2: [(t, t) for t in range(8)]})
    tie = np.array([date_order(d) for d in ("2015-03-01", "2016-10-31", "2016-03-19")], dtype=object)
    out = _in_context([0], np.array([False, True, True]), hits, np.full(8, 4.0), np.arange(3), tie)
    assert out[0] == (2, 8.0, None)  # the earlier, though candidate 1 comes first in sha order
