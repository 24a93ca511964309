"""A copy's loose match against its original's lifted clause (fresh seeds 83, 87-89, crowded).

The target lifted a clause of the province's sentence into a sentence of its own; a sibling had cut
that sentence at the clause, and its piece matches the target's sentence loosely (a split or a
modified sentence scoring above the bar on the clause alone).  A loose match of the sibling then
claimed the sentence, and the province's lifted clause, which only fills sentences no whole match
claims, lost it.  Holding no more of the target's words than the clause its original lends, the
copy's match gives way to the clause."""

from __future__ import annotations

from pathlib import Path

from lineage.align.attribution import resolve
from lineage.align.diff import diff
from lineage.align.edges import Edge
from lineage.align.sides import Side
from lineage.ingest.pipeline import load_file

CLAUSE = "把创新平台建成制造业创新高地"
COMMON = [
    "坚持把发展经济的着力点放在实体经济上，推动制造业质量变革、效率变革、动力变革。",
    "推进智能化改造和数字化转型，建设一批智能工厂和数字化车间，提高企业数字化水平。",
    "实施品牌培育行动，打造一批具有影响力的区域品牌和企业品牌。",
]


def _side(tmp_path: Path, name: str, title: str, lines: list[str]) -> Side:
    path = tmp_path / name
    path.write_text("\n".join([title, *lines]) + "\n", encoding="utf-8")
    return Side(load_file(str(path)))


def _case(tmp_path: Path, own: str) -> tuple[Side, list[Side], list[list[Edge]], int]:
    p = _side(tmp_path, "p.txt", "河南省制造业发展行动计划", [*COMMON, CLAUSE + "，加快形成先进制造业集群。"])
    s = _side(tmp_path, "s.txt", "洛阳市制造业发展行动计划", [*COMMON, CLAUSE + "。加快形成先进制造业集群。"])
    t = _side(tmp_path, "t.txt", "郑州市制造业发展行动计划", [*COMMON, own])
    k = next(a.i for a in t.atoms if CLAUSE in a.norm)
    edges: list[list[Edge]] = [[], []]
    for src, out in ((p, edges[0]), (s, edges[1])):
        for a in t.atoms:
            same = next((b for b in src.atoms if b.norm == a.norm), None)
            if same is not None:
                out.append(Edge("one", (a.i,), (same.i,), 100.0, content="identical"))
    # the province: the clause, lifted (its region in both sentences)
    pa = next(a for a in p.atoms if CLAUSE in a.norm)
    ta = t.atoms[k]
    ti, si = ta.norm.index(CLAUSE), pa.norm.index(CLAUSE)
    region = (ti, ti + len(CLAUSE)), (si, si + len(CLAUSE))
    edges[0].append(Edge("partial", (k,), (pa.i,), 100.0, t_range=region[0], s_range=region[1], content="partial"))
    # the copy: its cut piece, matched with the whole target sentence
    sa = next(a for a in s.atoms if CLAUSE in a.norm)
    edges[1].append(Edge("one", (k,), (sa.i,), 75.0, content="modified", diff=diff(sa.norm, ta.norm)))
    return t, [p, s], edges, k


def test_a_copys_loose_match_gives_way_to_its_originals_lifted_clause(tmp_path):
    t, sides, edges, k = _case(tmp_path, "组建产业联盟，" + CLAUSE + "，发展关键基础件。")
    kept, _ = resolve(t, sides, edges)
    assert [e.kind for e in kept[0] if e.t == (k,)] == ["partial"]
    assert not [e for e in kept[1] if e.t == (k,)]


def test_a_copys_match_holding_the_target_sentence_stays(tmp_path):
    """The target's sentence is the copy's piece, a word added: the copy's match holds it, not a clause's worth."""
    t, sides, edges, k = _case(tmp_path, "着力" + CLAUSE + "。")
    kept, _ = resolve(t, sides, edges)
    assert [e.kind for e in kept[1] if e.t == (k,)] == ["one"]
