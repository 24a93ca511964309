"""Trace: the n-gram index, retrieval, attribution among many sources."""

from __future__ import annotations

import itertools
import random
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lineage.align import index as ngram_index
from lineage.align.index import Index, winnow
from lineage.align.trace import trace, trace_documents
from lineage.ingest.normalize import fold
from lineage.ingest.pipeline import ingest_paths
from lineage.store import Store

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory, corpus_paths):
    """The corpus without 004, indexed."""
    db = str(tmp_path_factory.mktemp("trace") / "t.db")
    with Store(db) as store:
        ingest_paths([corpus_paths[k] for k in ("000", "001", "002", "003")], store, jobs=1, derive=ngram_index.derive)
        Index.build(store)
    return db


def test_trace_004_finds_the_shaoxing_plan_and_the_zhejiang_plan(corpus_db, corpus_docs, corpus_paths):
    doc = corpus_docs["004"]
    with Store(corpus_db) as store:
        res = trace(doc, Index.load(store), store)
    r = res.result
    by_name = {Path(s.path).name[:3]: s for s in r.sources}
    assert "002" in by_name and ({"000", "003"} & set(by_name))
    assert "001" not in by_name or r.summary["by_source"][by_name["001"].path]["chars"] == 0
    # dates are evidence: the 2020 provincial plan is later than 004 (about 2018), the 2016 city plan is not
    zj = by_name.get("003") or by_name.get("000")
    assert zj.later_than_target is True and by_name["002"].later_than_target is False
    texts = {fold(doc.text[m.target_span[0] : m.target_span[1]]): m for m in r.matches}
    assert "“产学研用金、才政介美云”十联动" in texts
    assert Path(texts["“产学研用金、才政介美云”十联动"].source).name[:3] in ("000", "003")
    shared_with_002 = [t for t, m in texts.items() if Path(m.source).name.startswith("002")]
    assert any("水污染及污泥处置装备" in t for t in shared_with_002)  # the environmental-equipment list
    assert any("制造业+互联网" in t for t in shared_with_002)
    assert any("以企业为主体、市场为导向" in t for t in shared_with_002)
    # one match per target span, whatever the number of sources
    spans = sorted(m.target_span for m in r.matches)
    assert all(b <= c for (_, b), (c, _) in itertools.pairwise(spans))


def test_copies_are_not_both_sources(corpus_db, corpus_docs):
    # 000 and 003 are the same plan: tracing 004 takes one of them, never both
    with Store(corpus_db) as store:
        r = trace(corpus_docs["004"], Index.load(store), store).result
    names = [Path(s.path).name[:3] for s in r.sources]
    assert not ({"000", "003"} <= set(names))


def test_a_document_ingested_after_the_index_is_found(tmp_path, corpus_paths, corpus_docs):
    db = str(tmp_path / "d.db")
    with Store(db) as store:
        ingest_paths([corpus_paths["001"], corpus_paths["002"]], store, jobs=1, derive=ngram_index.derive)
        Index.build(store)
        ingest_paths([corpus_paths["003"]], store, jobs=1)  # no fingerprints cached: computed on load
        idx = Index.load(store)
        assert idx is not None and idx.delta is not None and idx.n_docs == 3
        r = trace(corpus_docs["000"], idx, store, include_copies=True).result  # 003 is a copy of 000
    assert Path(r.sources[0].path).name.startswith("003")
    assert r.summary["reuse_share"] > 0.9


def test_index_blob_round_trip(corpus_db):
    with Store(corpus_db) as store:
        a = Index.load(store)
        b = Index.from_bytes(a.to_bytes())
        for name in ("keys", "starts", "postings", "doc_starts", "df_keys", "df_counts", "sent_keys", "sent_atoms"):
            assert np.array_equal(getattr(a, name), getattr(b, name)), name
        assert a.shas == b.shas and a.delta is None


def test_document_frequency_marks_formulaic_sentences(tmp_path, corpus_docs):
    # the same slogan sentence in many documents: formulaic by frequency, though not on the curated list
    line = "坚持把发展经济的着力点放在实体经济上,推动制造业高质量发展。"
    fps = {}
    for k in range(12):
        doc = corpus_docs["001"]
        fp = ngram_index.fingerprint(doc)
        keys = fp.keys.copy()
        keys[0] = ngram_index.text_key(line)  # the document's first sentence is that line
        fps[f"{k:064x}"] = ngram_index.Fingerprint(fp.hashes, fp.atoms, keys, fp.lengths)
    idx = Index.from_fingerprints(fps)
    from lineage.align.formulaic import Formulaic

    f = Formulaic(idx, idx.n_docs)
    assert idx.df(ngram_index.text_key(line)) == 12
    assert f(line, ngram_index.text_key(line))
    assert not f("这是只出现一次的句子,讲的是具体的任务和指标。", ngram_index.text_key("这是只出现一次的句子"))


CJK = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF), min_size=0, max_size=40)


@settings(max_examples=150, deadline=None)
@given(
    CJK,
    CJK,
    CJK,
    CJK,
    st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF), min_size=12, max_size=30),
)
def test_winnowing_keeps_every_shared_clause_of_12_characters(a1, a2, b1, b2, shared):
    """Any run of MIN_PARTIAL (12) characters two texts share leaves a fingerprint in both."""
    ha, _ = winnow([a1 + shared + a2])
    hb, _ = ngram_index.ngram_hashes([b1 + shared + b2])
    assert set(ha.tolist()) & set(hb.tolist())


def test_every_atom_of_five_characters_has_a_fingerprint():
    rnd = random.Random(3)
    texts = ["".join(chr(rnd.randrange(0x4E00, 0x9FA5)) for _ in range(rnd.randrange(5, 30))) for _ in range(200)]
    _, owners = winnow(texts)
    assert set(owners.tolist()) == set(range(len(texts)))


def test_trace_on_a_generated_corpus(tmp_path, run_cli):
    """A 20-document generated corpus and a target taken from 3-6 of them, through the CLI."""
    import json

    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from bench.bench_align import score_pair, summarize
    from bench.bench_trace import _Texts
    from bench.generate import generate
    from bench.gold_tools import read_text

    out = tmp_path / "g"
    gold = generate("trace", out, seed=5, jobs=1, docs=20, target_chars=6000)
    r = run_cli(
        "trace",
        str(out / "target.txt"),
        "--corpus",
        str(out / "docs"),
        "--db",
        str(tmp_path / "g.db"),
        "--json",
        "--quiet",
    )
    assert r.exit_code == 0, r.stderr
    d = json.loads(r.stdout)
    tg = gold["target"]
    texts = _Texts(out, {f["file"]: f["encoding"] for f in gold["files"]})
    texts["target"] = read_text(out / tg["file"], tg["encoding"])
    key_of = {m["source"]: str(Path(m["source"]).resolve().relative_to(out.resolve())) for m in d["matches"]}
    s = summarize([score_pair(tg, texts, d["matches"], key_of)], skip_headings=True)
    assert s["recall"] >= 0.9 and s["precision"] >= 0.9, s
    # crediting only the gold source file (not its also_in copies) can only lower the figures
    strict = summarize([score_pair(tg, texts, d["matches"], key_of, also_in=False)], skip_headings=True)
    assert strict["recall"] <= s["recall"] and strict["precision"] <= s["precision"], (strict, s)
    gold_files = {x["file"] for x in tg["sources"]}
    found = {key_of[m["source"]] for m in d["matches"]}
    assert gold_files & found


def test_trace_documents_is_deterministic(corpus_docs):
    a = trace_documents(corpus_docs["004"], [corpus_docs["003"], corpus_docs["002"]]).to_dict()
    b = trace_documents(corpus_docs["004"], [corpus_docs["002"], corpus_docs["003"]]).to_dict()
    assert a["matches"] == b["matches"]


def test_an_index_is_stale_when_an_indexed_document_is_parsed_again(tmp_path, corpus_paths):
    from lineage.ingest.pipeline import parse_with_edges, serialize
    from lineage.ingest.read import read_file

    db = str(tmp_path / "s.db")
    with Store(db) as store:
        ingest_paths([corpus_paths["001"], corpus_paths["002"]], store, jobs=1, derive=ngram_index.derive)
        Index.build(store)
        assert Index.load(store) is not None
        # what ingest does when it learns new page furniture: the document is stored again
        doc = parse_with_edges(read_file(corpus_paths["002"])).doc
        with store.transaction():
            store.put_document(serialize(doc))
        assert Index.load(store) is None
        assert Index.open(store).n_docs == 2


def test_fingerprint_atoms_are_the_aligners_atoms(corpus_docs, tmp_path):
    from lineage.align.aligner import Side
    from lineage.ingest.pipeline import load_file

    page = tmp_path / "p.html"
    text = corpus_docs["004"].text
    page.write_text(
        "<html><body>" + "".join(f"<p>{ln}</p>" for ln in text.splitlines() if ln.strip()) + "</body></html>",
        encoding="utf-8",
    )
    for doc in list(corpus_docs.values()) + [load_file(str(page))]:
        assert ngram_index.atom_texts(doc) == [a.norm for a in Side(doc).atoms], doc.path


def test_missing_fingerprints_are_computed_in_workers(tmp_path, corpus_paths, monkeypatch):
    db = str(tmp_path / "w.db")
    with Store(db) as store:
        ingest_paths(list(corpus_paths.values()), store, jobs=1)  # no fingerprints cached
        shas = store.shas()
        monkeypatch.setattr(ngram_index, "PARALLEL_FP", 2)
        monkeypatch.setattr(ngram_index, "FP_CHUNK", 2)
        parallel = ngram_index.fingerprints(store, shas, jobs=2)
        assert all(store.get_cache(ngram_index.FP_KIND, s) is not None for s in shas)
        for sha in shas:
            seq = ngram_index.fingerprint(store.load(sha))
            assert np.array_equal(parallel[sha].hashes, seq.hashes) and np.array_equal(parallel[sha].keys, seq.keys)


def test_a_fingerprint_of_an_older_parse_is_computed_again(tmp_path, corpus_paths):
    from lineage.ingest.pipeline import parse_with_edges, serialize
    from lineage.ingest.read import read_file

    db = str(tmp_path / "f.db")
    with Store(db) as store:
        ingest_paths([corpus_paths["002"]], store, jobs=1, derive=ngram_index.derive)
        (sha,) = store.shas()
        old = ngram_index.Fingerprint.from_bytes(store.get_cache(ngram_index.FP_KIND, sha))
        doc = parse_with_edges(read_file(corpus_paths["002"])).doc
        with store.transaction():
            store.put_document(serialize(doc))  # parsed again, no derive: the cached fingerprint is older
        new = ngram_index.fingerprints(store, [sha])[sha]
        assert new.made > old.made
        assert ngram_index.fingerprints(store, [sha])[sha].made == new.made  # and cached again


def _doc(tmp_path, name: str, title: str, paragraphs: list[str]):
    from lineage.ingest.pipeline import load_file

    path = tmp_path / name
    path.write_text(title + "\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return load_file(str(path))


def test_a_lifted_clause_goes_to_the_source_that_has_it_word_for_word(tmp_path):
    # one source has the clause with another place name (and commas around it), the other word for word
    near = _doc(
        tmp_path,
        "a.txt",
        "常州市工业云建设方案",
        ["全市上下要深刻认识这项工作的重大意义，推进打造全国一体化数据中心常州工业云体系，切实抓好落实。"],
    )
    exact = _doc(
        tmp_path,
        "b.txt",
        "广东省工业云建设方案",
        ["各地各部门要统筹谋划相关安排部署并推进打造全国一体化数据中心广东工业云体系而且按时保质完成。"],
    )
    target = _doc(
        tmp_path,
        "t.txt",
        "深圳市工业互联网行动计划",
        [
            "围绕产业升级需要持续加大投入力度，推进打造全国一体化数据中心广东工业云体系，为企业上云用云提供有力支撑和保障服务。"
        ],
    )
    for sources in ([near, exact], [exact, near]):
        (m,) = [m for m in trace_documents(target, sources).matches if not m.formulaic]
        assert m.source == exact.path and m.relation == "partial"
        assert target.text[m.target_span[0] : m.target_span[1]] == "推进打造全国一体化数据中心广东工业云体系"


def test_a_sentence_with_a_clause_dropped_is_not_a_merge_of_another_source(tmp_path):
    # the same text in one sentence (one source) and in two (the other): the one-to-one match wins, as in align
    kept = "根据全省生产力布局，科学谋划，准确定位，进一步优化新兴产业发展布局"
    dropped = "按照有利于集中发力、有利于协调发展、有利于产城融合、有利于项目推进的原则"
    tail = "加快园区整合、产业配套和要素集聚。"
    one = _doc(tmp_path, "p.txt", "江苏省制造业发展规划", ["一、空间布局", kept + "，并" + dropped + "，" + tail])
    two = _doc(tmp_path, "q.txt", "江苏省新兴产业发展规划", ["一、空间布局", kept + "。" + dropped + "，" + tail])
    target = _doc(tmp_path, "v.txt", "南京市新兴产业发展方案", ["一、空间布局", kept + "，" + tail])
    for sources in ([one, two], [two, one]):
        (m,) = [m for m in trace_documents(target, sources).matches if not m.formulaic]
        assert m.source == one.path and m.content == "modified"


def test_a_minor_sources_split_is_found_when_only_the_sentence_before_it_was_pointed_at(tmp_path):
    """A source past FULL_SOURCES is aligned only around the target atoms the index points at (and their
    neighbours).  The index pointed at the sentence before a split, so the split's first half was searched and
    its second half was not: the origin lost the split to a copy aligned in full (crowded seed 63's province)."""
    from lineage.align.aligner import pair_edges
    from lineage.align.sides import Side
    from lineage.ingest.pipeline import load_file

    whole = "争取到2024年，培育200家左右产业生态主导型“链主”企业，打造11条左右在国内外具有重要影响力的标志性产业链。"
    before = "坚持把发展经济的着力点放在实体经济上，推动制造业质量变革、效率变革、动力变革。"
    first, second = (
        "争取到2024年，培育200家左右产业生态主导型“链主”企业。",
        "打造11条左右在国内外具有重要影响力的标志性产业链。",
    )

    def doc(name: str, body: str) -> Side:
        (tmp_path / name).write_text("制造业高质量发展行动计划\n\n" + body + "\n", encoding="utf-8")
        return Side(load_file(str(tmp_path / name)))

    src, tgt = doc("s.txt", before + whole), doc("t.txt", before + first + second)
    at = {fold(a.norm): a.i for a in tgt.atoms}
    pointed = at[fold(before)]  # the index found only this sentence; its neighbours are searched too
    edges = pair_edges(src, tgt, hints={pointed: [0]}, targets={pointed - 1, pointed, pointed + 1})
    got = {(e.kind, e.t) for e in edges}
    assert ("split", (at[fold(first)],)) in got and ("split", (at[fold(second)],)) in got, got


def test_the_trace_scorer_reads_a_span_into_an_html_copy_through_its_inline_tags():
    """The generator's HTML copies wrap runs of a sentence in inline ``<span>``s: a match into the raw page is
    truthful (offsets into the file) and holds the gold sentence, but the scorer compared the markup too and
    counted it wrong (clean seed 71: the source's HTML copy won by a hair and recall read 0.953, not 0.975)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from bench.bench_align import _same_place

    sentence = "力争3年内转型改造规模以上工业企业2万家以上，建设未来产业先导区。"
    page = '<p>力争3年内</span><span style="font-family:仿宋_GB2312">转型改造规模以上工业企业2万家以上，建设未来产业先导区。</p>'
    span = (3, len(page) - 4)
    refs = [("docs/a.html", None, sentence)]
    assert _same_place("docs/a.html", span, refs, {"docs/a.html": page})
    # and still not any stretch of the page: half the sentence is not the sentence
    assert not _same_place("docs/a.html", (3, 40), refs, {"docs/a.html": page})
    # a text file is read as it is
    assert not _same_place("docs/a.txt", span, [("docs/a.txt", None, sentence)], {"docs/a.txt": page})
