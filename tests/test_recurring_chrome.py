"""Site furniture learned from recurrence across the corpus (lines no rule knows)."""

from __future__ import annotations

from lineage.ingest.pipeline import ingest_paths
from lineage.store import Store

HEADER = ["浙江省经济和信息化厅门户网站", "政务公开 | 政策文件 | 规范性文件"]
FOOTER = ["浙江省经济和信息化厅 主办", "地址：杭州市省府路8号"]


def page(body: str) -> str:
    return "\n".join(HEADER + [body.strip()] + FOOTER) + "\n"


def test_lines_recurring_around_different_documents_are_removed(tmp_path, corpus_docs, db_path):
    bodies = {k: "\n".join(u.text for u in corpus_docs[k].blocks()) for k in ("001", "002", "003", "004")}
    for k, body in bodies.items():
        (tmp_path / f"site-{k}.txt").write_text(page(body), encoding="utf-8")
    with Store(db_path) as s:
        # One at a time: the first documents are cleaned once the third one shows the pattern.
        for k in bodies:
            ingest_paths([str(tmp_path / f"site-{k}.txt")], s, jobs=1)
        for k in bodies:
            doc = s.load(s.resolve(str(tmp_path / f"site-{k}.txt")))
            texts = [u.norm_text for u in doc.blocks(parts=None)]
            assert not any("门户网站" in t or "省府路8号" in t or "政务公开" in t for t in texts), k
            removed = {r.text for r in doc.removed}
            assert {"浙江省经济和信息化厅门户网站", "浙江省经济和信息化厅 主办"} <= removed
            assert all(doc.text[r.span[0] : r.span[1]] == r.text for r in doc.removed)


def test_copies_of_one_document_do_not_turn_its_own_lines_into_furniture(tmp_path, corpus_paths, db_path):
    text = open(corpus_paths["004"], encoding="utf-8").read()
    for i in range(5):
        (tmp_path / f"copy{i}.txt").write_text(text + "\n" * i, encoding="utf-8")
    with Store(db_path) as s:
        ingest_paths([str(tmp_path)], s, jobs=1)
        doc = s.load(s.resolve(str(tmp_path / "copy0.txt")))
        assert doc.blocks()[0].norm_text.startswith("为贯彻落实《浙江省人民政府办公厅")
        assert [r.kind for r in doc.removed] == ["separator"]


def test_revisions_sharing_attachments_and_wrapped_lines_keep_them(tmp_path, corpus_docs, db_path):
    """Versions of one document share their attachment line and the first
    wrapped line of a common slogan; those are the document's words."""
    base = [u.text.strip("\u3000 ") for u in corpus_docs["004"].blocks()][:12]
    for i in range(4):
        paras = list(base)
        paras[3 + i] = paras[3 + i].replace("新兴产业", f"新兴产业{i}")  # a revision per file
        lines = []
        for p in ["\u3000\u3000" + p for p in paras] + ["附件：2022年绍兴主要发展指标"]:
            lines.extend(p[k : k + 32] for k in range(0, len(p), 32))  # hard-wrapped, paragraph by paragraph
        wrapped = "\n".join(lines) + "\n"
        (tmp_path / f"rev{i}.txt").write_text(wrapped, encoding="utf-8")
    with Store(db_path) as s:
        ingest_paths([str(tmp_path)], s, jobs=1)
        for i in range(4):
            doc = s.load(s.resolve(str(tmp_path / f"rev{i}.txt")))
            assert not [r for r in doc.removed if r.kind == "recurring"]
            text = "".join(u.norm_text for u in doc.blocks(parts=None))
            assert "附件:2022年绍兴主要发展指标" in text
            assert text.startswith("为贯彻落实《浙江省人民政府办公厅")


def test_lines_between_paragraphs_are_never_furniture(tmp_path, corpus_docs, db_path):
    """Responsibility lines recur across plans of one city, but inside the text."""
    for k in ("001", "002", "003", "004"):
        paras = [u.text for u in corpus_docs[k].blocks()][:10]
        paras.insert(5, "（责任单位：市经信局、市发改委）")
        (tmp_path / f"{k}.txt").write_text("\n".join(paras) + "\n", encoding="utf-8")
    with Store(db_path) as s:
        ingest_paths([str(tmp_path)], s, jobs=1)
        for k in ("001", "002", "003", "004"):
            doc = s.load(s.resolve(str(tmp_path / f"{k}.txt")))
            assert "(责任单位:市经信局、市发改委)" in [u.norm_text for u in doc.blocks()]
            assert not doc.removed
