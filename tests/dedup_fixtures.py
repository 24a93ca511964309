"""Generated scraped copies for the dedup tests, made once per session whichever module asks first."""

from __future__ import annotations

import os
import sys
import textwrap
import unicodedata

import pytest

from lineage.dedup import pipeline as D
from lineage.store import Store

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_MADE: dict[str, object] = {}


def generate_scraped(out: str, seed: int, mb: float) -> dict:
    """bench/generate.py's scraped kind (copies, revisions, hard negatives), with its gold."""
    sys.path.insert(0, ROOT)
    try:
        from bench.generate import generate
    finally:
        sys.path.remove(ROOT)
    return generate("scraped", out, seed=seed, mb=mb, jobs=1)


@pytest.fixture(scope="session")
def scraped(tmp_path_factory):
    """About 100 generated scraped pages and their gold: (directory, gold dict)."""
    if "scraped" not in _MADE:
        out = str(tmp_path_factory.mktemp("scraped"))
        _MADE["scraped"] = (out, generate_scraped(out, seed=11, mb=2))
    return _MADE["scraped"]


@pytest.fixture(scope="session")
def scraped_result(scraped, tmp_path_factory):
    """Those pages ingested and deduplicated: (result, ingest report, database path)."""
    if "result" not in _MADE:
        out, _ = scraped
        db = str(tmp_path_factory.mktemp("db") / "scraped.db")
        with Store(db) as store:
            result, report = D.dedup_paths([os.path.join(out, "docs")], store, jobs=2)
        _MADE["result"] = (result, report, db)
    return _MADE["result"]


def write_reprints(src: str, out: str) -> list[str]:
    """Eight scraped copies of one text, as sites republish it, and one revision of it."""
    os.makedirs(out, exist_ok=True)
    footer = "\n\n上一篇：关于做好2020年工作的通知\n下一篇：无\n【打印本页】【关闭窗口】\n主办单位：经济和信息化厅  版权所有\n"
    wrapped = "\n".join(line for para in src.split("\n") for line in (textwrap.wrap(para, 38) or [""]))
    half = "".join(unicodedata.normalize("NFKC", c) if c in "，：；（）！？" else c for c in src)
    files = {
        "a_copy.txt": src.encode("utf-8"),
        "b_halfwidth.txt": half.encode("utf-8"),
        "c_footer.txt": ("当前位置：首页 > 政策文件\n\n" + src + footer).encode("utf-8"),
        "d_wrapped.txt": wrapped.encode("utf-8"),
        "e_gb18030.txt": src.encode("gb18030"),
        "f_bom.txt": b"\xef\xbb\xbf" + src.encode("utf-8"),
        "g_crlf.txt": src.replace("\n", "\r\n").encode("utf-8"),
        "h_spaces.txt": src.replace("\n", "\n\u3000\u3000").encode("utf-8"),
        "j_revision.txt": src.replace("2025年", "2026年").replace("培育", "扶持").encode("utf-8"),
    }
    for name, data in files.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
    return [os.path.join(out, n) for n in files]
