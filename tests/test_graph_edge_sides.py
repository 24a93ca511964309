"""An edge reports the characters of its own target, also what it does not count, whichever way it points."""

from __future__ import annotations

import pytest

from lineage.graph.align import PairResult, Passage
from lineage.graph.citations import CitationLink, External
from lineage.graph.edges import reuse_edge
from lineage.graph.nodes import Version


def _version(id_: str, title: str, date: str, place: dict, chars: int) -> Version:
    return Version(
        id=id_,
        sha=id_ * 8,
        path=f"{id_}.txt",
        paths=[f"{id_}.txt"],
        shas=[id_ * 8],
        title=title,
        date=date,
        date_kind="signed",
        date_range=None,
        jurisdiction=place,
        issuers=[],
        doc_number=None,
        citations=[],
        chars=chars,
    )


def _passage(
    t: tuple[int, int], s: tuple[int, int], kind: str, formulaic: bool = False, wide: bool = False, known: str = ""
):
    return Passage(
        source_span=s,
        target_span=t,
        relation=kind,
        content=kind,
        unit="sentence",
        chars=t[1] - t[0],
        source_chars=s[1] - s[0],
        kind=kind,
        formulaic=formulaic,
        wide=wide,
        known=known or None,
    )


ZJ = {"name": "浙江省", "level": "province", "province": "浙江", "code": "330000", "source": "issuers"}
SX = {"name": "绍兴市", "level": "city", "province": "浙江", "code": "330600", "source": "issuers"}
MADE_IN_CHINA = External(
    "x-2025", "中国制造2025", None, "国发〔2015〕28号", "国务院", "2015-05-08", "signed", None, None, True
)
# spans: the alignment's target (b) first, then its source's (a); a's text is longer where it wrote 责任单位
# lines, a widely shared sentence and a passage of a national text at length
PASSAGES = [
    _passage((0, 40), (0, 44), "identical"),
    _passage((50, 60), (60, 90), "identical", formulaic=True),
    _passage((70, 80), (100, 117), "identical", wide=True),
    _passage((90, 102), (120, 141), "identical", known="x-2025|推动制造业由大变强"),
]


def _edge(a: Version, b: Version, links: dict) -> dict:
    pr = PairResult(source=0, target=1, passages=PASSAGES, gain=10.0, shared=12.0, background=0.0)
    return reuse_edge(pr, a, b, links, {"x-2025": MADE_IN_CHINA}, {a.id: a, b.id: b})


def _sums(edge: dict) -> tuple[int, int, int, int]:
    """The edge's counted, formulaic, widely shared and common-source characters, summed from its passages."""
    ps = edge["passages"]
    return (
        sum(p["chars"] for p in ps if p["counted"]),
        sum(p["chars"] for p in ps if p["formulaic"]),
        sum(p["chars"] for p in ps if p["wide"]),
        sum(p["chars"] for p in ps if p.get("common_source") == "x-2025"),
    )


@pytest.mark.parametrize(
    ("city_signed", "province_signed", "figures"),
    [
        # the city plan signed first is the alignment's source, but cites the province's: the edge points
        # against the alignment, and the city's characters (the alignment's source side) are its figures
        ("2020-03-01", "2020-06-01", (44, 30, 17, 21)),
        # the province signed first: the edge points with the alignment, the target's side as before
        ("2020-06-01", "2020-03-01", (40, 10, 10, 12)),
    ],
)
def test_an_edge_counts_everything_of_its_own_target_whichever_way_the_alignment_ran(
    city_signed, province_signed, figures
):
    """The graph aligns each pair from its later side.  Where the city plan signed first cites the province's,
    the province is the edge's source and the city its target: the counted characters were the city's, but
    the formulaic, widely shared and common-source characters stayed the province's -- one ``chars`` dict
    holding two documents' figures (the audit's C6).  Either way, every figure is the edge's target's."""
    city = _version("c", "绍兴市行动计划", city_signed, SX, 1000)
    province = _version("p", "浙江省行动计划", province_signed, ZJ, 2000)
    a, b = (city, province) if city_signed < province_signed else (province, city)
    ref = {"title": "浙江省行动计划", "doc_number": None, "via": "title", "confidence": 0.9}
    edge = _edge(a, b, {("c", "p"): CitationLink("c", "p", [ref])})
    assert (edge["source"], edge["target"]) == ("p", "c")
    c = edge["chars"]
    assert (c["identical"], c["formulaic"], c["widely_shared"], c["common_source"]) == figures
    assert _sums(edge) == figures
    assert [x["chars"] for x in edge["common_sources"]] == [figures[3]]


def test_a_share_too_small_for_four_decimals_is_kept_and_printed_as_found():
    """A 40-character clause of a 1,000,000-character plan is 0.004% of it: stored as 0.0 it printed "0.0%",
    as if nothing were found; it keeps two significant digits and prints "<0.1%", as every page does."""
    from lineage.align.result import round_share
    from lineage.graph.edges import share_text

    assert round_share(40 / 1_000_000) == 4e-05 and share_text(round_share(40 / 1_000_000)) == "<0.1%"
    assert round_share(0.012345) == 0.0123 and round_share(0.0) == 0.0
