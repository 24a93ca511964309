"""Align: a sentence the target uses twice takes the source's copy inside the passage it was taken from."""

from __future__ import annotations

import json

X = "深化推进全省绿色安全制造信息化示范区和试点区建设，确保企业生产经营全过程安全可控。"
X_REWORDED = X.replace("建设", "打造")  # the source's other wording of it, early in the source
PASSAGE = [
    "实施产业基础再造工程，加快补齐全省基础零部件、基础工艺、关键基础材料等短板。",
    "推进智能化改造和数字化转型，建设一批智能工厂和数字化车间，提高全省企业数字化水平。",
    X,
    "实施品牌培育行动，打造一批具有全省影响力的区域品牌和企业品牌。",
]


def _city(x: str) -> str:
    return x.replace("全省", "全市")


def test_a_repeated_sentence_inside_a_localized_passage_takes_the_source_sentence_beside_it(tmp_path, db_path, run_cli):
    """The target (a city's plan) opens with X on its own, then takes the province's passage, X inside it, all
    localized (全省 -> 全市), so no sentence is identical on both sides to anchor the order.  The source holds X
    once as it is, inside that passage, and once reworded (打造 for 建设) at its start.  Both target X are as
    close to the source's X; before, the earlier one took it and the X inside the passage was matched to the
    reworded sentence at the other end of the source.  The lone one reads 建设 as X does: it is X used again
    (localized), not the reworded sentence with 打造 changed back to X's word."""
    src = tmp_path / "p.txt"
    src.write_text(
        "\n".join(
            [
                X_REWORDED,
                "加快发展海洋经济，建设全省现代海洋产业体系，推进海洋牧场和远洋渔业基地建设。",
                *PASSAGE,
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    tgt = tmp_path / "t.txt"
    tgt.write_text(
        "\n".join(
            [
                "支持绍兴黄酒产业传承创新，打造世界黄酒之都。",
                _city(X),
                "推进印染产业集聚提升，建设现代纺织产业集群。",
                *[_city(x) for x in PASSAGE],
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    r = run_cli("align", str(src), str(tgt), "--db", db_path, "--json")
    assert r.exit_code == 0, r.stderr
    d = json.loads(r.stdout)
    s_text, t_text = src.read_text(encoding="utf-8"), tgt.read_text(encoding="utf-8")
    inside = t_text.rindex(_city(X))
    m = next(m for m in d["matches"] if m["target_span"][0] <= inside < m["target_span"][1])
    assert s_text[slice(*m["source_span"])] == X, m
    assert m["relation"] == "localized"
    first = next(m for m in d["matches"] if m["target_span"][0] <= t_text.index(_city(X)) < m["target_span"][1])
    assert s_text[slice(*first["source_span"])] == X and first["relation"] in ("localized", "moved"), first
