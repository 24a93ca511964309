"""Ingest stores the same documents whatever the number of workers.

With worker processes, a chunk of files is queued before the chunk ahead of it has been read and its
site furniture learned; pages parsed before furniture they carry was known are parsed again.  The
database must not depend on that: every row (metadata, units, text) as one process makes it.
"""

from __future__ import annotations

from lineage.ingest.pipeline import ingest_paths
from lineage.store import Store


def _pages(corpus_docs) -> dict[str, str]:
    paras = [u.text.strip() for k in ("001", "002", "003", "004") for u in corpus_docs[k].blocks()]
    paras = [p for p in paras if len(p) > 30]
    out = {}
    # Six sites, 40 pages each, in name order site by site: sites first met late in the batch,
    # in chunks queued before the chunk ahead of them was learned from.
    for s, site in enumerate(["杭州市", "宁波市", "温州市", "绍兴市", "湖州市", "嘉兴市"]):
        header = [f"{site}经济和信息化门户网站", "政务公开 | 政策文件 | 规范性文件"]
        footer = [f"{site}经济和信息化局 主办", f"地址：{site}人民路{s + 1}号"]
        for i in range(40):
            k = (s * 40 + i) * 3
            body = [paras[(k + j) % len(paras)] for j in range(6)]  # a different text on every page
            out[f"{s}-{i:02d}.txt"] = "\n".join(header + body + footer) + "\n"
    return out


def _rows(db: str) -> dict[str, tuple]:
    with Store(db, create=False) as store:
        return {r[0]: r[1:] for r in store.db.execute("SELECT sha256, parser, meta, units, text FROM documents")}


def test_one_process_and_two_workers_store_the_same_rows(tmp_path, corpus_docs):
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in _pages(corpus_docs).items():
        (docs / name).write_text(text, encoding="utf-8")
    rows = []
    for jobs in (1, 2):
        db = str(tmp_path / f"j{jobs}.db")
        with Store(db) as store:
            report = ingest_paths([str(docs)], store, jobs=jobs)
            assert report.added == 240 and not report.errors
            for sha in store.shas():  # the furniture was learned and removed from every page
                texts = " ".join(u.norm_text for u in store.load(sha).blocks(parts=None))
                assert "门户网站" not in texts and "人民路" not in texts
        rows.append(_rows(db))
    assert rows[0].keys() == rows[1].keys()
    assert [k for k in rows[0] if rows[0][k] != rows[1][k]] == []
