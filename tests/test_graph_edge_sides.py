"""An edge reports the characters of its own target, also what it does not count, whichever way it points."""

from __future__ import annotations

from lineage.graph.align import PairResult, Passage
from lineage.graph.citations import CitationLink
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


def _passage(t: tuple[int, int], s: tuple[int, int], kind: str, formulaic: bool = False, wide: bool = False):
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
    )


def test_an_edge_pointing_against_the_alignment_counts_the_uncounted_text_of_its_own_target():
    """The graph aligns each pair from its later side: here the city plan (signed first) is the alignment's
    source.  It cites the province's plan, so the province is the edge's source and the city its target; the
    counted characters were the city's, but the formulaic and widely shared characters stayed the
    province's -- one ``chars`` dict holding two documents' figures (the audit's C6)."""
    zj = {"name": "浙江省", "level": "province", "province": "浙江", "code": "330000", "source": "issuers"}
    sx = {"name": "绍兴市", "level": "city", "province": "浙江", "code": "330600", "source": "issuers"}
    city = _version("a", "绍兴市行动计划", "2020-03-01", sx, 1000)
    province = _version("b", "浙江省行动计划", "2020-06-01", zj, 2000)
    # spans: target (the province, the alignment's target) first, then the city's; the city's text is longer
    # where it wrote 责任单位 lines and a widely shared sentence at length
    passages = [
        _passage((0, 40), (0, 44), "identical"),
        _passage((50, 60), (60, 90), "identical", formulaic=True),
        _passage((70, 80), (100, 117), "identical", wide=True),
    ]
    pr = PairResult(source=0, target=1, passages=passages, gain=10.0, shared=12.0, background=0.0)
    ref = {"title": "浙江省行动计划", "doc_number": None, "via": "title", "confidence": 0.9}
    links = {("a", "b"): CitationLink("a", "b", [ref])}
    edge = reuse_edge(pr, city, province, links, {}, {"a": city, "b": province})
    assert (edge["source"], edge["target"]) == ("b", "a")
    by_passage = {k: sum(p["chars"] for p in edge["passages"] if p[k]) for k in ("formulaic", "wide")}
    assert edge["chars"]["identical"] == 44
    assert (edge["chars"]["formulaic"], edge["chars"]["widely_shared"]) == (30, 17)
    assert (by_passage["formulaic"], by_passage["wide"]) == (30, 17)
