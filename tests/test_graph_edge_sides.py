"""An edge reports the characters of its own target, also what it does not count, whichever way it points."""

from __future__ import annotations

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
    return reuse_edge(pr, a, b, links, {"x-2025": MADE_IN_CHINA}, {"a": a, "b": b})


def _sums(edge: dict) -> tuple[int, int, int, int]:
    """The edge's counted, formulaic, widely shared and common-source characters, summed from its passages."""
    ps = edge["passages"]
    return (
        sum(p["chars"] for p in ps if p["counted"]),
        sum(p["chars"] for p in ps if p["formulaic"]),
        sum(p["chars"] for p in ps if p["wide"]),
        sum(p["chars"] for p in ps if p.get("common_source") == "x-2025"),
    )


def test_an_edge_pointing_against_the_alignment_counts_the_uncounted_text_of_its_own_target():
    """The graph aligns each pair from its later side: here the city plan (signed first) is the alignment's
    source.  It cites the province's plan, so the province is the edge's source and the city its target; the
    counted characters were the city's, but the formulaic, widely shared and common-source characters stayed
    the province's -- one ``chars`` dict holding two documents' figures (the audit's C6)."""
    city = _version("a", "绍兴市行动计划", "2020-03-01", SX, 1000)
    province = _version("b", "浙江省行动计划", "2020-06-01", ZJ, 2000)
    ref = {"title": "浙江省行动计划", "doc_number": None, "via": "title", "confidence": 0.9}
    edge = _edge(city, province, {("a", "b"): CitationLink("a", "b", [ref])})
    assert (edge["source"], edge["target"]) == ("b", "a")
    c = edge["chars"]
    assert (c["identical"], c["formulaic"], c["widely_shared"], c["common_source"]) == (44, 30, 17, 21)
    assert _sums(edge) == (44, 30, 17, 21)
    assert [x["chars"] for x in edge["common_sources"]] == [21]


def test_an_edge_pointing_with_the_alignment_counts_its_target_as_before():
    """The same passages, the province signed first and cited by the city: the alignment's target is the
    edge's, and every figure is its characters."""
    province = _version("a", "浙江省行动计划", "2020-03-01", ZJ, 2000)
    city = _version("b", "绍兴市行动计划", "2020-06-01", SX, 1000)
    ref = {"title": "浙江省行动计划", "doc_number": None, "via": "title", "confidence": 0.9}
    edge = _edge(province, city, {("b", "a"): CitationLink("b", "a", [ref])})
    assert (edge["source"], edge["target"]) == ("a", "b")
    c = edge["chars"]
    assert (c["identical"], c["formulaic"], c["widely_shared"], c["common_source"]) == (40, 10, 10, 12)
    assert _sums(edge) == (40, 10, 10, 12)
    assert [x["chars"] for x in edge["common_sources"]] == [12]


def test_a_share_too_small_for_four_decimals_is_kept_and_printed_as_found():
    """A 40-character clause of a 1,000,000-character plan is 0.004% of it: stored as 0.0 it printed "0.0%",
    as if nothing were found; it keeps two significant digits and prints "<0.1%", as every page does."""
    from lineage.align.result import round_share
    from lineage.graph.edges import share_text

    assert round_share(40 / 1_000_000) == 4e-05 and share_text(round_share(40 / 1_000_000)) == "<0.1%"
    assert round_share(0.012345) == 0.0123 and round_share(0.0) == 0.0
