"""trace: a source aligned only where the index points is aligned between two atoms it points at too.

A source after the first FULL_SOURCES is aligned only at the target atoms the index found it sharing text
with.  A sentence of its passage the target reworded shares only n-grams common to many documents (which the
index does not keep), so it was never aligned with the source it came from: held-out seed 361, where the
national plan a city followed was such a source, lost the passage to a province plan aligned in full.
Between two atoms the index points at in one stretch of the source, in its order, the source is aligned too.
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from trace_fixtures import OTHER_SENTENCES, PASSAGE_SENTENCES, notice

from lineage.align.sides import Side
from lineage.align.trace import FULL_SOURCES, _between, trace_documents
from lineage.ingest.normalize import fold
from lineage.ingest.pipeline import load_file

REWORDED = [  # three sentences in a row the target reworded (the first and last are next to hinted atoms)
    ("推动港口资源整合，完善集疏运体系，", "加快港口资源整合，健全集疏运体系，"),
    ("培育壮大海洋生物医药产业，支持海洋药物", "发展壮大海洋生物医药产业，鼓励海洋药物"),
    ("实施乡村振兴战略，推进农业农村现代化，", "深入实施乡村振兴战略，加快农业农村现代化，"),
]


def test_between_takes_the_atoms_between_two_in_the_sources_order():
    assert _between({10: [100], 14: [103]}) == {11, 12, 13}
    assert _between({10: [100], 14: [300]}) == set()  # another place of the source
    assert _between({10: [100], 14: [90]}) == set()  # not in its order
    assert _between({10: [100], 40: [110]}) == set()  # too far apart in the target
    assert _between({10: [100], 11: [101]}) == set()  # nothing between


def test_a_minor_source_is_aligned_over_its_reworded_sentence(tmp_path):
    fillers = [
        load_file(notice(tmp_path / f"f{i}.txt", "国务院办公厅", f"201{i}年1月1日", [s], "公告"))
        for i, s in enumerate(OTHER_SENTENCES[:FULL_SOURCES])
    ]
    passage = PASSAGE_SENTENCES[:5]
    source = load_file(notice(tmp_path / "national.txt", "国务院办公厅", "2016年7月1日", passage, "发展纲要"))
    body = [passage[0], *(x.replace(*r) for x, r in zip(passage[1:4], REWORDED)), passage[4]]
    assert all(a != b for a, b in zip(body[1:4], passage[1:4]))
    target = load_file(notice(tmp_path / "wuhan.txt", "武汉市人民政府", "2023年3月1日", body))
    tgt, src = Side(target), Side(source)

    def at(side: Side, text: str) -> int:
        return next(i for i, a in enumerate(side.atoms) if a.norm == fold(text))

    # the index found the sentences around the reworded ones, not those themselves
    hints = {source.sha256: {at(tgt, body[0]): [at(src, passage[0])], at(tgt, body[4]): [at(src, passage[4])]}}
    result = trace_documents(target, [*fillers, source], hints=hints, target_side=tgt)
    middle = target.text.index(body[2])  # no neighbour of a hinted atom
    (m,) = [m for m in result.matches if m.target_span[0] <= middle < m.target_span[1]]
    assert m.source.endswith("national.txt") and m.relation == "modified", m
