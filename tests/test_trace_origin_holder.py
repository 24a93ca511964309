"""Retrieval's holders: beside the older document it takes for a chosen source, an older one of a higher
level holding nearly as much -- the province plan that a city's reprint and the target's siblings outscore,
because they hold the target's own edits (seed 84 with 40 siblings: the origin held 49.7% of what the
chosen sibling shares with the target, under OLDER_SHARE, and was never aligned)."""

from __future__ import annotations

import numpy as np

from lineage.align.result import date_order
from lineage.align.trace import _holders
from lineage.model import LEVEL_RANK

# documents: the chosen sibling, a city reprint, the province plan, an older city plan
DOCS = {
    "sibling": ("2020-06-01", "city", [1.0] * 10),
    "reprint": ("2020-04-01", "city", [1.0] * 6),
    "province": ("2020-03-01", "province", [1.0] * 4 + [0.9]),  # 4.9 of 10: under half
    "older city": ("2019-05-01", "city", [1.0] * 4 + [0.85]),  # 4.85: under half, older, but not a higher level
}


def _run(docs: dict) -> list[tuple[str, str]]:
    """Each document: (date, level, hits with the place set aside[, hits as the target has them: the same])."""
    names = list(docs)

    def hits(which: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        bd: list[int] = []
        bq: list[int] = []
        bc: list[float] = []
        for i, name in enumerate(names):
            counts = docs[name][min(which, len(docs[name]) - 1)]
            bd += [i] * len(counts)
            bq += list(range(len(counts)))
            bc += counts
        return np.array(bd), np.array(bq), np.array(bc)

    tie = np.array([date_order(docs[n][0]) for n in names], dtype=object)
    rank = np.array([LEVEL_RANK[docs[n][1]] for n in names])
    alive = np.ones(len(names), dtype=bool)
    alive[0] = False  # the sibling: chosen by retrieval
    pairs = _holders([0], [10.0], alive, hits(2), hits(3), tie, 10, rank)
    return [(names[i], names[k]) for i, k in pairs]


def test_the_province_plan_is_aligned_beside_the_reprint_that_outscores_it():
    assert _run(DOCS) == [("reprint", "sibling"), ("province", "sibling")]


def test_not_an_older_document_of_the_same_level_nor_one_holding_much_less():
    assert _run({k: v for k, v in DOCS.items() if k != "province"}) == [("reprint", "sibling")]
    less = dict(DOCS, province=("2020-03-01", "province", [1.0] * 4))  # 4 of the reprint's 6: not nearly as much
    assert _run(less) == [("reprint", "sibling")]


def test_the_origin_is_looked_for_with_the_place_set_aside_the_fullest_holder_as_the_target_has_it():
    """Older holders are read from the place-free hits, the fullest from the exact ones: with the place set
    aside the province holds the sibling's text (全省 for 全市) and another sibling is as full as any."""
    names = ["sibling", "province", "other sibling", "county"]
    tie = np.array([date_order(d) for d in ("2020-06-01", "2020-03-01", "2020-07-01", "2020-08-01")], dtype=object)
    rank = np.array([LEVEL_RANK[lv] for lv in ("city", "province", "city", "county")])
    atoms = list(range(10))

    def hits(per_doc: dict[int, list[int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        d = [i for i, qs in per_doc.items() for _ in qs]
        q = [x for qs in per_doc.values() for x in qs]
        return np.array(d), np.array(q), np.ones(len(q))

    exact = hits({0: atoms, 1: [], 2: atoms[:6], 3: atoms[:8]})  # the county holds most as the target has it
    placed = hits({0: atoms, 1: atoms, 2: atoms, 3: atoms[:8]})  # the province only with the place set aside
    alive = np.ones(4, dtype=bool)
    alive[0] = False
    pairs = _holders([0], [10.0], alive, placed, exact, tie, 10, rank)
    assert [(names[i], names[k]) for i, k in pairs] == [("province", "sibling"), ("county", "sibling")]


def test_the_plan_a_sibling_copied_whole_is_aligned_beside_an_older_one_holding_half():
    """Blind seed 104 with 30 siblings: retrieval chose 樊城's copy of 湖北's 2019 plan; the earliest older
    document holding half of what 樊城 shares with the target was 湖北's 2015 plan (pool paragraphs), so
    it was taken and the 2019 plan, holding all of it, never aligned: 樊城 took the passage.  Now the older
    one holding nearly all of it is aligned too; one holding little more than the earliest is not."""
    docs = {
        "sibling": ("2019-08-31", "county", [1.0] * 10),
        "plan of 2015": ("2015-01-23", "province", [1.0] * 5 + [0.5]),
        "plan of 2019": ("2019-05-05", "province", [1.0] * 10),
        "later copy": ("2020-03-01", "county", [1.0] * 7),  # the fullest of the rest, taken as such
    }
    got = _run(docs)
    assert got == [("plan of 2015", "sibling"), ("plan of 2019", "sibling"), ("later copy", "sibling")]
    # an older document holding 6 of 10, as the earliest holds 5.5: not nearly all of it
    partial = dict(docs, **{"plan of 2019": ("2019-05-05", "province", [1.0] * 6)})
    assert _run(partial) == [("plan of 2015", "sibling"), ("later copy", "sibling")]
    # the earliest holding 9 of 10, nearly as much as the plan holding all of it: that one is enough (the plan
    # holds 6 as the target has them, fewer than the later copy: not the fullest either)
    close = dict(
        docs,
        **{
            "plan of 2015": ("2015-01-23", "province", [1.0] * 9),
            "plan of 2019": ("2019-05-05", "province", [1.0] * 10, [1.0] * 6),
        },
    )
    assert _run(close) == [("plan of 2015", "sibling"), ("later copy", "sibling")]
