"""Report page data: names, text pieces, unit anchors, and the adapters from the stage contracts.

Everything here runs on real documents (the corpus, a plan derived from 003
with known edits, a document full of markup) and on fixtures shaped exactly
like the JSON contracts of issues 3–5 (see report_fixtures.py).
"""

from __future__ import annotations

import os
import re
from collections import Counter

import pytest
import report_fixtures as rf

from lineage.ingest.normalize import fold
from lineage.report import names, pages
from lineage.report.data import Catalog, DocRef, ExtRef
from lineage.report.site import Results, catalog
from lineage.report.text import Piece, UnitIndex, cut, shown, tidy


@pytest.fixture(scope="module")
def fixture(corpus_paths, tmp_path_factory):
    res, record = rf.fixture_results(corpus_paths, str(tmp_path_factory.mktemp("fixture")))
    return res, record, catalog(res)


@pytest.fixture(scope="module")
def by_name(fixture):
    res, _, _cat = fixture
    return {os.path.basename(d.path)[:3]: d for d in res.docs}


# -- names ---------------------------------------------------------------------------------


def test_slugs_are_plain_ascii_whatever_the_name_holds():
    assert names.stem_slug(rf.XSS_NAME) == "img-src-x-onerror-alert"  # cut at SLUG_MAX on a word boundary
    assert names.slug("a/b\\c:d*e?f\"g<h>i|j") == "a-b-c-d-e-f-g-h-i-j"
    assert names.stem_slug("/x/中国制造2025绍兴实施方案.html") == "2025"
    assert names.stem_slug("/x/关于印发的通知.txt") == ""
    assert names.slug("Ünïcode — ÀÉ  x") == "unicode-ae-x"
    assert len(names.slug("a" * 100)) == names.SLUG_MAX


def test_doc_keys_are_unique_stable_and_safe():
    sha_a = "ab" * 32
    sha_b = "ab" * 5 + "cd" * 27  # same 10-character prefix as sha_a
    keys = names.doc_keys(
        [(sha_a, "/a/000_x.txt"), (sha_b, "/b/000_x.txt"), ("ef" * 32, "/c/关于.txt"), ("12" * 32, "/d/" + rf.XSS_NAME)]
    )
    assert len(set(keys.values())) == 4
    assert keys[sha_a] != keys[sha_b] and keys[sha_a].startswith("000-x-")
    assert keys["ef" * 32] == "ef" * 7  # lengthened with the others, since the set had a collision
    for k in keys.values():
        assert re.fullmatch(r"[a-z0-9-]+", k) and len(k) < 80
    again = names.doc_keys(
        [("12" * 32, "/d/" + rf.XSS_NAME), ("ef" * 32, "/c/关于.txt"), (sha_b, "/b/000_x.txt"), (sha_a, "/a/000_x.txt")]
    )
    assert again == keys


def test_anchor_ids_keep_distinct_identifiers_distinct():
    assert names.anchor_id("c0001") == "c0001"
    a, b = names.anchor_id("簇1"), names.anchor_id("簇2")
    assert a != b and re.fullmatch(r"[a-z0-9-]+", a)
    assert names.anchor_id(rf.XSS_IMG) != names.anchor_id(rf.XSS_SCRIPT)


# -- text pieces ------------------------------------------------------------------------------


def test_tidy_joins_hard_wrapped_lines():
    assert tidy("推动制造业\n  高质量发展") == "推动制造业高质量发展"
    assert tidy("LED and\r\nOLED 显示") == "LED and OLED 显示"
    assert tidy("一级指标\n\n二级指标\n  2015年\n", table=True) == "一级指标 | 二级指标 | 2015年"


def test_cut_shows_every_character_once_in_order(corpus_docs):
    doc = corpus_docs["002"]
    for u in doc.block_units:
        marks = [(s.span[0], s.span[1], s.id) for s in doc.units if s.parent == u.id]
        pieces = cut(doc, u.span, marks, table=u.kind == "table")
        assert "".join(p.text for p in pieces) == cut(doc, u.span, [], table=u.kind == "table")[0].text
        assert [p.ref for p in pieces if p.ref] == [m[2] for m in marks if m[1] > m[0]]
    # Marks out of the span are clipped, overlapping ones start where the previous ended.
    blk = doc.blocks()[3]
    s, e = blk.span
    got = cut(doc, blk.span, [(s - 50, s + 5, "a"), (s + 3, s + 9, "b"), (e - 2, e + 40, "c")])
    assert [p.ref for p in got] == ["a", "b", None, "c"]
    assert "".join(p.text for p in got) == cut(doc, blk.span, [])[0].text


def test_unit_index_resolves_spans_to_anchors(corpus_docs):
    doc = corpus_docs["000"]
    idx = UnitIndex(doc)
    sent = next(u for u in doc.units if u.kind == "sentence" and u.part == "body")
    clause = next(u for u in doc.units if u.kind == "clause" and u.parent == sent.id)
    block = doc.unit(sent.parent)
    assert idx.anchor(sent.span) == f"u-{sent.id}"
    assert idx.anchor(clause.span) == f"u-{sent.id}"  # clauses have no element of their own
    assert idx.anchor(block.span) == f"u-{block.id}" or len([u for u in doc.units if u.parent == block.id]) == 1
    nxt = doc.blocks()[5]
    assert idx.anchor((nxt.span[0] - 1, nxt.span[0])) == f"u-{nxt.id}"  # a gap links to the next block


# -- document page ---------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["000", "001", "002", "003", "004"])
def test_document_page_holds_the_whole_text_in_file_order(fixture, by_name, key):
    _, _, cat = fixture
    doc = by_name[key]
    page = pages.document_page(cat, doc.sha256)
    blocks = [b for s in page.sections for b in s.blocks]
    assert [b.span for b in blocks] == sorted(b.span for b in blocks)
    assert len([b for b in blocks if b.kind == "removed"]) == len(doc.removed)
    by_id = {b.id: b for b in blocks}
    for u in doc.block_units:
        b = by_id[u.id]
        assert (b.part, b.kind) == (u.part, u.kind)
        shown = "".join(p.text for p in b.pieces)
        if u.kind == "table":  # cells joined by " | ", compared on normalized text
            assert fold(shown).replace("|", "") == u.norm_text.replace("|", "").replace(" ", "")
        else:
            assert shown == tidy(u.text).strip(" \t\u3000\u00a0")
    sentence_ids = {p.ref for b in blocks for p in b.pieces if p.ref}
    assert sentence_ids == {u.id for u in doc.units if u.kind == "sentence"}
    # Parts are labelled, and the outline is a tree whose every entry points at a block.
    assert {s.part for s in page.sections} <= {"wrapper", "notice", "title", "body", "attachment", "removed"}

    def walk(nodes, depth=0):
        for n in nodes:
            assert n.unit in by_id
            assert all(c.level > n.level for c in n.children)
            yield n
            yield from walk(n.children, depth + 1)

    assert len(list(walk(page.outline))) == len(doc.outline)


def test_document_page_lists_removed_chrome_with_spans(fixture, by_name):
    page = pages.document_page(fixture[2], by_name["002"].sha256)
    kinds = [(r.note, r.span) for r in page.removed]
    assert ("breadcrumb", (5, 18)) in kinds and ("counter", (55, 93)) in kinds and len(kinds) == 7
    assert page.removed[1].pieces[0].text == "当前位置:首页>>政策服务"
    assert page.parts[0][0] == "notice" and page.parts[1][:2] == ("body", (99, 18748))


# -- pair page --------------------------------------------------------------------------------------


def _pair(fixture, target_prefix):
    res, _record, cat = fixture
    align = next(a for a in res.pairs if os.path.basename(a["target"]["path"]).startswith(target_prefix))
    return align, pages.pair_page(cat, align), cat


def test_pair_rows_account_for_every_unit_once(fixture):
    align, page, _cat = _pair(fixture, "sx_derived")
    rows = [r for g in page.groups for r in g.rows]
    real = [r for r in rows if not r.ghost]
    assert len(real) == len(align["matches"]) + len(align["added"]) + len(align["deleted"])
    assert Counter(r.rel for r in real) == Counter(
        [m["relation"] for m in align["matches"]]
        + ["added"] * len(align["added"])
        + ["deleted"] * len(align["deleted"])
    )
    # Target side in target order; ghosts and partners pair up.
    tstarts = [r.tgt.link.span[0] for r in rows if r.tgt]
    assert tstarts == sorted(tstarts)
    ids = {r.id: r for r in rows}
    ghosts = [r for r in rows if r.ghost]
    assert len(ghosts) == sum(1 for m in align["matches"] if m["relation"] == "moved") == 1
    for g in ghosts:
        assert ids[g.partner].partner == g.id and ids[g.partner].rel == "moved"
    assert [r.id for r in rows] == [f"r{i}" for i in range(1, len(rows) + 1)]


def test_deleted_and_moved_units_sit_at_their_source_position(fixture):
    _, page, _ = _pair(fixture, "sx_derived")
    rows = [r for g in page.groups for r in g.rows]
    # Source-side order of rows in place (not moved targets) is increasing.
    src = [r.src.link.span[0] for r in rows if r.src and (r.rel != "moved" or r.ghost) and r.rel != "partial"]
    assert src == sorted(src)


def test_identical_runs_collapse_and_stats_count_rows(fixture):
    _, page, _ = _pair(fixture, "sx_derived")
    runs = [g for g in page.groups if g.collapsed]
    assert runs and all(len(g.rows) >= pages.COLLAPSE_MIN and all(r.rel == "identical" for r in g.rows) for g in runs)
    for g in page.groups:
        if not g.collapsed:
            # A plain group never holds a run long enough to collapse.
            n = 0
            for r in g.rows:
                n = n + 1 if r.rel == "identical" and not r.ghost and not r.formulaic else 0
                assert n < pages.COLLAPSE_MIN
    stats = {s.key: s.count for s in page.stats}
    rows = [r for g in page.groups for r in g.rows if not r.ghost]
    assert stats["all"] == len(rows)
    for rel, n in Counter(r.rel for r in rows).items():
        assert stats[rel] == n
    assert stats["formulaic"] == 1
    assert page.changes == sum(1 for r in rows if r.rel != "identical")


def test_long_unmatched_runs_fold_too():
    """Added and deleted rows fold together: a weakly linked pair alternates them for pages."""
    from lineage.report.data import Row

    rels = (
        ["identical"] * 2
        + ["deleted"] * 7
        + ["added"] * 5
        + ["identical"] * 3
        + ["modified"]
        + ["added"] * 6
        + ["partial"]
        + ["deleted", "added"] * 2
        + ["partial"]
    )
    rows = [Row(f"r{i}", rel, None, None) for i, rel in enumerate(rels)]
    groups = pages.group_rows(rows)
    assert [(g.collapsed, g.rel, len(g.rows)) for g in groups] == [
        (False, "identical", 2),
        (True, "unmatched", 12),
        (True, "identical", 3),
        (False, "modified", 1),
        (True, "added", 6),
        (False, "partial", 6),
    ]
    assert groups[1].counts == [("added", 5), ("deleted", 7)]
    assert [r for g in groups for r in g.rows] == rows


def test_diff_tokens_rebuild_both_sides(fixture):
    align, page, _ = _pair(fixture, "sx_derived")
    for m in align["matches"]:
        if m["diff"]:
            src = "".join(t.text for t in pages.diff_toks(m["diff"], "src"))
            tgt = "".join(t.text for t in pages.diff_toks(m["diff"], "tgt"))
            assert src == "".join(op[1] for op in m["diff"]) and tgt == "".join(op[2] for op in m["diff"])
    mod = next(r for g in page.groups for r in g.rows if r.rel == "modified")
    assert any(t.op == "del" for t in mod.src.toks) and any(t.op == "ins" for t in mod.tgt.toks)


def test_partial_reuse_is_shown_inside_its_sentence(fixture):
    align, page, cat = _pair(fixture, "sx_derived")
    m = next(m for m in align["matches"] if m["relation"] == "partial")
    row = next(r for g in page.groups for r in g.rows if r.rel == "partial")
    hit = "".join(t.text for t in row.tgt.toks if t.op == "hit")
    doc = cat.docs[cat.sha_of(align["target"]["path"])]
    assert hit == doc.text[slice(*m["target_span"])]
    assert any(t.op == "ctx" for t in row.tgt.toks)


def test_pair_page_of_000_against_003_has_every_clause(fixture):
    align, page, _ = _pair(fixture, "000")
    rows = [r for g in page.groups for r in g.rows if not r.ghost]
    assert len(rows) == len(align["matches"]) + len(align["added"]) + len(align["deleted"]) > 500
    assert sum(len(g.rows) for g in page.groups if g.collapsed) > 400  # the bulk folds away


def test_pair_page_refuses_documents_outside_the_report(fixture):
    _res, _, cat = fixture
    bad = {"target": {"path": "/nowhere.txt"}, "sources": [{"path": "/elsewhere.txt"}], "matches": []}
    with pytest.raises(ValueError, match="not in this report"):
        pages.pair_page(cat, bad)


# -- provenance page -----------------------------------------------------------------------------------


def test_provenance_colours_sources_by_reused_characters(fixture):
    res, _record, cat = fixture
    ((sha, trace),) = res.traces.items()
    page = pages.provenance_page(cat, trace)
    assert [s.color for s in page.sources] == [0, 1]
    assert page.sources[0].doc.path.endswith("003_cba8423d898ca683.txt")
    assert page.sources[0].chars > page.sources[1].chars > 0
    assert page.sources[0].pair_href and page.sources[1].pair_href is None
    # Formulaic matches are shown but not counted.
    formulaic = [m for m in page.matches if m.formulaic]
    assert len(formulaic) == 1
    doc = cat.docs[sha]
    assert sum(s.chars for s in page.sources) == sum(
        len(shown(doc, *m.tgt.link.span)) for m in page.matches if not m.formulaic
    )


def test_provenance_marks_cover_each_reused_span(fixture):
    res, _, cat = fixture
    ((sha, trace),) = res.traces.items()
    page = pages.provenance_page(cat, trace)
    marked: dict[str, str] = {}
    for s in page.sections:
        for b in s.blocks:
            for p in b.pieces:
                if p.ref is not None:
                    marked[p.ref.id] = marked.get(p.ref.id, "") + p.text
    assert len(marked) == len(page.matches) == len(trace["matches"])
    doc = cat.docs[sha]
    for m in page.matches:
        assert marked[m.id] == tidy(doc.text[slice(*m.tgt.link.span)])


# -- dedup page -----------------------------------------------------------------------------------------


def test_dedup_page_lists_every_file_once(fixture, corpus_paths):
    res, _, cat = fixture
    page = pages.dedup_page(cat, res.dedup)
    files = [m.path for c in page.clusters + page.singletons for m in c.members]
    assert len(files) == len(set(files)) == page.files == 5
    (big,) = page.clusters
    assert [m.relation for m in big.members] == ["canonical", "formatting"]
    assert big.canonical.sha == cat.sha_of(corpus_paths["000"])
    assert "notice present" in big.reason
    # Revisions are linked both ways, with their examples as text.
    (rev,) = big.revisions
    other = next(c for c in page.singletons if c.id == rev.other)
    assert other.revisions[0].other == big.id and rev.href == f"#{other.anchor}"
    assert rev.examples[:2] == ["全省 → 全市", "2025年 → 2027年"]
    assert {s.key: s.count for s in page.stats}["multi"] == 1


def test_copies_reach_the_index(fixture, corpus_paths):
    res, _, cat = fixture
    copies = pages.copies_by_doc(cat, res.dedup)
    assert set(copies) == {cat.sha_of(corpus_paths["000"]), cat.sha_of(corpus_paths["003"])}
    assert copies[cat.sha_of(corpus_paths["003"])].role == "formatting"


# -- graph --------------------------------------------------------------------------------------------------


def test_graph_layout_places_time_across_and_level_down(fixture):
    res, _, cat = fixture
    page = pages.graph_page(cat, res.graph)
    g = page.layout
    by_id = {n.id: n for n in g.nodes}
    assert by_id["v-sx2016"].x < by_id["v-sx2018"].x < by_id["v-zj2020"].x
    band = {b.level: b for b in g.bands}
    for n in g.nodes:
        b = band[n.level if n.level in band else "other"]
        assert b.y <= n.y <= b.y + b.height
    assert band["national"].y < band["province"].y < band["city"].y < band["county"].y
    # External nodes are marked and link to their row on the graph page; documents to their page.
    ext = {n.id for n in g.nodes if n.external}
    assert ext == {"x-zzbf2017-100", "x-zgzz2025", "x-zj-gangyao"}
    assert by_id["x-zj-gangyao"].x == g.undated_x
    for n in g.nodes:
        if n.external:
            assert n.href.startswith("graph.html#n-")
        else:
            assert n.href.startswith("documents/") and n.href.endswith(".html")
    assert by_id["v-zj2020"].ref.sha == cat.sha_of(res.graph["nodes"][0]["paths"][0])


def test_graph_edges_are_drawn_by_kind_and_share(fixture):
    res, _, cat = fixture
    g = pages.graph_page(cat, res.graph).layout
    widths = {(e.source, e.target): e for e in g.edges}
    assert widths[("v-zj2020", "v-derived")].width > widths[("v-sx2016", "v-sx2018")].width > 1
    cites = [e for e in g.edges if e.kind == "citation"]
    assert len(cites) == 3 and all(e.width == 1.5 and not e.uncertain for e in cites)
    assert widths[("v-zj2020", "v-sx2016")].uncertain and widths[("v-sd2022", "v-derived")].uncertain
    assert not widths[("v-zj2020", "v-derived")].uncertain
    assert widths[("v-zj2020", "v-derived")].href.startswith("pairs/")
    # A citation edge links to the citation inside the citing document.
    c = widths[("x-zzbf2017-100", "v-sx2018")]
    assert "#u-" in c.href and c.href.startswith("documents/004-")
    for e in g.edges:
        assert re.fullmatch(r"M[\d.]+ [\d.]+ Q-?[\d.]+ -?[\d.]+ [\d.]+ [\d.]+", e.d)


def test_graph_layout_is_deterministic(fixture):
    res, _, cat = fixture
    a = pages.graph_page(cat, res.graph).layout
    shuffled = {**res.graph, "nodes": list(reversed(res.graph["nodes"])), "edges": list(reversed(res.graph["edges"]))}
    b = pages.graph_page(cat, shuffled).layout
    assert a == b


def test_graph_lanes_keep_nodes_apart():
    from lineage.report.svg import MIN_DX, layout

    nodes = [
        {"id": f"n{i}", "title": f"文件{i}", "date": "2020-01-0" + str(1 + i % 9), "level": "city"} for i in range(12)
    ]
    refs = {n["id"]: ExtRef("n-" + n["id"], n["title"], None, n["date"], None, "city", None) for n in nodes}
    g = layout({"nodes": nodes, "edges": []}, refs, [])
    pts = [(n.x, n.y) for n in g.nodes]
    for i, (x1, y1) in enumerate(pts):
        for x2, y2 in pts[i + 1 :]:
            assert y1 != y2 or abs(x1 - x2) >= MIN_DX


# -- index ---------------------------------------------------------------------------------------------------


def test_index_page_without_later_stages_says_so(corpus_paths, tmp_path):
    from lineage.report.pipeline import run
    from lineage.store import Store

    with Store(str(tmp_path / "db")) as store:
        res = run([os.path.dirname(corpus_paths["000"])], store, jobs=1)
    res = Results(res.docs, res.paths, res.skipped, res.root)  # only what ingest gives
    page = pages.index_page(catalog(res))
    assert page.stages == {"ingest": True, "dedup": False, "graph": False, "align": False, "trace": False}
    assert page.clusters is None and page.edges is None and page.pairs == []
    assert all(r.copies is None and r.reuse is None and r.provenance is None for r in page.rows)
    assert [r.doc.path for r in page.rows] == sorted(os.path.basename(p) for p in corpus_paths.values())
    r002 = page.rows[2]
    assert (r002.doc.level, r002.doc.place, r002.removed, r002.size) == ("city", "绍兴市", 7, 52355)
    assert r002.parts == [("notice", 1), ("body", 68)]
    assert [c.doc_number for c in r002.citations] == ["国发〔2015〕28号", None]


def test_index_page_with_every_stage(fixture, corpus_paths):
    res, _, cat = fixture
    page = pages.index_page(cat, dedup=res.dedup, graph=res.graph, traces=res.traces)
    assert all(page.stages.values())
    rows = {r.doc.sha: r for r in page.rows}
    r003 = rows[cat.sha_of(corpus_paths["003"])]
    assert r003.copies.members == 2 and r003.copies.href.startswith("dedup.html#cl-")
    derived = next(r for r in page.rows if r.doc.path.endswith("sx_derived_plan.txt"))
    assert derived.provenance and next(u.source.label for u in derived.reuse) == "制造强省建设行动计划"
    assert derived.reuse[0].share == 0.83 and derived.reuse[0].href.startswith("pairs/")
    assert [e.kind for e in page.edges] == ["reuse"] * 4 and page.edges[0].share_of_target == 0.83
    assert len(page.clusters) == 1 and len(page.pairs) == 2


def test_catalog_finds_documents_by_any_path(fixture, corpus_paths):
    _, _, cat = fixture
    sha = cat.sha_of(corpus_paths["002"])
    assert sha and cat.sha_of(os.path.abspath(corpus_paths["002"])) == sha
    assert cat.sha_of(sha[:8]) == sha and cat.sha_of(os.path.basename(corpus_paths["002"])) == sha
    assert cat.sha_of("/no/such/file.txt") is None and cat.sha_of(None) is None
    assert isinstance(cat.ref(corpus_paths["002"]), DocRef)


def test_standalone_catalog_has_no_links(corpus_docs):
    cat = Catalog([corpus_docs["000"], corpus_docs["003"]], linked=False)
    assert all(r.href is None for r in cat.refs.values())
    assert cat.span_href(corpus_docs["000"].sha256, (0, 5)) is None
    assert isinstance(Piece("x"), Piece)


def test_a_large_graph_draws_its_strongest_edges():
    from lineage.report.pages import DRAW_ALL, DRAWN_EDGES, drawn_nodes

    nodes = [{"id": f"v-{i:04d}", "external": False} for i in range(DRAW_ALL + 2 * DRAWN_EDGES + 10)]
    nodes.append({"id": "x-cited", "external": True})
    # edge k joins v-2k -> v-2k+1 with strength growing with k: the last DRAWN_EDGES are the strongest
    edges = [
        {"kind": "reuse", "source": f"v-{2 * k:04d}", "target": f"v-{2 * k + 1:04d}", "strength": k / 1000}
        for k in range(DRAWN_EDGES + 20)
    ]
    edges.append({"kind": "citation", "source": "x-cited", "target": edges[-1]["target"]})
    edges.append({"kind": "citation", "source": "x-cited", "target": "v-0001"})  # cites into a weak edge only
    drawn = drawn_nodes({"nodes": nodes, "edges": edges})
    strong = edges[20 : DRAWN_EDGES + 20]
    assert drawn == {e["source"] for e in strong} | {e["target"] for e in strong}
    assert "v-0000" not in drawn and "v-0001" not in drawn
    assert drawn_nodes({"nodes": nodes[:DRAW_ALL], "edges": edges}) is None
