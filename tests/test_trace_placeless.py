"""The origin of text every city copied: a national plan behind its 全国 -> 全市 copies (fresh seed 86).

Sixty city plans hold a national plan's passage localized (全国 -> 全市, 制造强国 -> 制造强市), as a city
plan tracing to it has it.  Its n-grams are in too many documents to be indexed, so retrieval sees
the passage only through whole sentences, and word for word only the cities hold them: before,
the national plan was never aligned and one city copy took the passage (seed 86, crowded: 1,922
wrong characters of 10,121).  Looked up with the place set aside, the national plan is found as the
older holder of that copy's text, and attribution gives it the passage; the copy is listed beside it.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from lineage.align.index import Index, atom_texts, fingerprint, place_keys, text_key
from lineage.ingest.gazetteer import divisions
from lineage.ingest.pipeline import load_file

PASSAGE = [
    "坚持把创新摆在制造强国建设的核心位置，全面推进技术创新、产品创新、业态创新和管理创新。",
    "力争到2025年，制造业增加值占全国GDP比重达到30%左右，规模以上工业企业研究与试验发展经费支出占营业收入比重达到2.2%左右。",
    "加快构建全国统一的制造业公共服务平台体系，推动中小企业专精特新发展，提升全国产业链供应链现代化水平。",
    "深化落实企业服务员制度，发挥行业协会、中小企业服务中心等社会中介机构对企业的指导和服务作用，形成建设制造强国的强大合力。",
]


def _local(x: str) -> str:
    return x.replace("全国", "全市").replace("制造强国", "制造强市")


def _plan(path: Path, title: str, issuer: str, date: str, body: list[str]) -> str:
    path.write_text("\n".join([title, "一、主要任务", *body, "", issuer, date]) + "\n", encoding="utf-8")
    return str(path)


def test_a_national_plan_behind_sixty_city_copies_is_the_origin_of_their_text(tmp_path, db_path, run_cli):
    cities = [d for d in divisions() if d.level == "city" and d.name.endswith("市") and d.short != "佛山"][:60]
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _plan(corpus / "nat.txt", "关于推进制造强国建设的指导意见", "国务院", "2015年5月8日", PASSAGE)
    for i, c in enumerate(cities):
        own = f"支持{c.short}发展特色产业集群，打造{c.short}制造品牌第{i + 1}号示范工程。"
        _plan(
            corpus / f"c{i:02d}.txt",
            f"{c.name}制造业高质量发展行动计划",
            f"{c.name}人民政府",
            f"{2016 + i % 4}年{1 + i % 12}月{1 + i % 27}日",
            [*map(_local, PASSAGE), own],
        )
    own = "支持佛山建设制造业创新中心，打造粤港澳大湾区先进制造业基地。"
    t = _plan(
        tmp_path / "t.txt",
        "佛山市制造业高质量发展行动计划",
        "佛山市人民政府",
        "2021年3月1日",
        [*map(_local, PASSAGE), own],
    )
    r = run_cli("ingest", str(corpus), "--db", db_path, "--quiet")
    assert r.exit_code == 0, r.stderr
    r = run_cli("trace", t, "--db", db_path, "--json", "--quiet")
    assert r.exit_code == 0, r.stderr
    text = Path(t).read_text(encoding="utf-8")
    got = {text[slice(*m["target_span"])]: m for m in json.loads(r.stdout)["matches"]}
    for sentence in map(_local, PASSAGE):
        m = next(m for span, m in got.items() if sentence in span)
        assert Path(m["source"]).name == "nat.txt", (sentence, m["source"])
        assert m["relation"] == "localized"
        assert any(Path(a["source"]).name.startswith("c") for a in m.get("also_in", [])), m


def test_a_sentence_is_found_whole_with_its_place_set_aside(tmp_path):
    """The index's place-free lookup: a city's 全市 sentence finds the national 全国 one, and its 绍兴市
    sentence the province's 浙江省 one; the exact lookup finds neither."""
    files = {
        "p.txt": "浙江省制造业发展规划\n推动浙江省制造业高质量发展，建设全省统一的公共服务平台。\n"
        "贯彻落实浙江省委决策部署，推进全省制造业高质量发展。\n",
        "n.txt": "国务院关于制造业发展的指导意见\n推动制造业高质量发展，加快建设全国统一的制造业大市场。\n",
        "t.txt": "绍兴市制造业发展规划\n推动绍兴市制造业高质量发展，建设全市统一的公共服务平台。\n"
        "推动制造业高质量发展，加快建设全市统一的制造业大市场。\n"
        "贯彻落实浙江省委决策部署，推进全市制造业高质量发展。\n",
    }
    docs = {}
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        docs[name] = load_file(str(tmp_path / name))
    assert docs["t.txt"].jurisdiction is not None and docs["t.txt"].jurisdiction.name == "绍兴市"
    idx = Index.from_fingerprints({name: fingerprint(docs[name]) for name in ("p.txt", "n.txt")})
    texts = atom_texts(docs["t.txt"])
    first = next(i for i, t in enumerate(texts) if "绍兴市制造业高质量" in t)
    second = next(i for i, t in enumerate(texts) if "大市场" in t)
    # the city names its province in full (浙江省委) as the province names itself: one place, not two
    third = next(i for i, t in enumerate(texts) if "省委" in t)

    def found(parts: list) -> set[tuple[int, str]]:
        return {(int(q), idx.shas[part.doc_of(a)]) for part, qs, atoms in parts for q, a in zip(qs, atoms)}

    exact = np.fromiter((text_key(t) for t in texts), dtype=np.uint64, count=len(texts))
    assert not found(idx.same_text(exact))
    got = found(idx.same_text(place_keys(texts, docs["t.txt"].jurisdiction), places=True))
    assert {(first, "p.txt"), (second, "n.txt"), (third, "p.txt")} <= got, got
