"""trace's also_in: each other holder of a passage says how IT holds the target's text (its own relation and
spans), not the relation of the source the match names; and a source explaining only formulaic text of the
target is listed apart, the same in JSON and in the human output."""

from __future__ import annotations

import json
from pathlib import Path

# a province plan's passage, as 浙江 wrote it; the cities write their own names into its last sentence
HEAD = "全球先进制造业基地。"
S1 = "推动规模以上工业企业研发活动、研发机构、发明专利全覆盖。"
S2 = "发挥创新型领军企业在产业链协同创新中的头雁效应，依托其组建新型研发机构，实施重大科技计划。"
S3 = "鼓励龙头企业牵头组建创新联合体、承担重大攻关项目，完善科技成果转化和产业化机制。"
LAST = "争取国家相关创新政策在{}先行先试，激励企业加大研发投入。"
# a paragraph whose clauses a sibling reordered: it keeps only the heading sentence as the target has it
P2 = HEAD + "健全体制机制，增强制造业创新策源能力，提升制造业国际竞争力，提高制造业在全球价值链中的地位。"
P2_REORDERED = HEAD + "提升制造业国际竞争力，增强制造业创新策源能力，健全体制机制，提高制造业在全球价值链中的地位。"
# a paragraph a sibling holds sentence for sentence, in another order
P3 = [
    "推动产品质量革命，开展品质提升行动，以块状经济为重点实施质量提升工程。",
    "完善缺陷消费品召回制度，健全产品全生命周期质量追溯体系。",
    "深入开展质量强省建设，推广先进质量管理方法，培育一批质量标杆企业。",
]
CLOSING = "本行动计划自印发之日起施行。"  # formulaic: every plan ends so
OTHER = [
    "加快发展海洋经济，建设现代海洋产业体系，推进海洋牧场和远洋渔业基地建设。",
    "实施乡村振兴战略，推进农业农村现代化，培育新型农业经营主体和社会化服务组织。",
    "深化教育领域综合改革，推进义务教育优质均衡发展，扩大普惠性学前教育资源。",
    "推进健康城市建设，完善公共卫生服务体系，提升重大疫情防控和应急处置能力。",
]


def _plan(path: Path, place: str, issuer: str, date: str, paras: list[str]) -> str:
    title = place + "制造业高质量发展行动计划"
    path.write_text("\n".join([title, issuer, date, *paras]) + "\n", encoding="utf-8")
    return str(path)


def _passage(place: str) -> str:
    return S1 + S2 + S3 + LAST.format(place)


def _corpus(tmp_path: Path) -> tuple[str, str, str]:
    province = _plan(
        tmp_path / "zj.txt", "浙江省", "浙江省人民政府", "2020年3月13日", [_passage("浙江"), P2, "".join(P3), *OTHER]
    )
    sibling = _plan(
        tmp_path / "huzhou.txt",
        "湖州市",
        "湖州市人民政府",
        "2020年5月20日",
        [_passage("湖州"), P2_REORDERED, "".join([P3[1], P3[0], P3[2]]), *OTHER[:2]],
    )
    target = _plan(
        tmp_path / "taizhou.txt",
        "台州市",
        "台州市人民政府",
        "2020年9月25日",
        [_passage("台州"), P2, "".join(P3), OTHER[0], "支持台州打造模具和塑料产业集群，建设智能马桶小镇。", CLOSING],
    )
    return province, sibling, target


def _trace(run_cli, db_path: str, target: str, *corpus: str, json_out: bool = True):
    args = ["trace", target, "--db", db_path, *[x for c in corpus for x in ("--corpus", c)], "--quiet"]
    r = run_cli(*args, *(["--json"] if json_out else []))
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout) if json_out else r.stdout


def _match(d: dict, text: str) -> dict:
    tt = Path(d["target"]["path"]).read_text(encoding="utf-8")
    (m,) = [m for m in d["matches"] if tt[slice(*m["target_span"])] == text]
    return m


def _held(m: dict, name: str) -> dict:
    (a,) = [a for a in m.get("also_in") or [] if Path(a["source"]).name == name]
    return a


def test_a_sibling_holding_the_passage_with_its_own_place_is_localized_not_identical(tmp_path, db_path, run_cli):
    province, sibling, target = _corpus(tmp_path)
    d = _trace(run_cli, db_path, target, province, sibling)
    m = _match(d, _passage("台州"))
    assert Path(m["source"]).name == "zj.txt" and m["relation"] == "localized"  # the province: its level decides
    a = _held(m, "huzhou.txt")
    # 湖州 reads 湖州 where the target reads 台州: not identical, though three of its four sentences are
    assert a["relation"] == "localized" and a["content"] == "localized", a
    text = Path(sibling).read_text(encoding="utf-8")
    assert text[slice(*a["source_span"])] == _passage("湖州")
    assert a["chars"] == m["chars"] and a["target_spans"] == [m["target_span"]]
    out = _trace(run_cli, db_path, target, json_out=False)
    assert f"huzhou.txt {a['source_span'][0]}-{a['source_span'][1]} (localized)" in out


def test_a_sibling_holding_only_the_heading_of_a_paragraph_is_partial(tmp_path, db_path, run_cli):
    province, sibling, target = _corpus(tmp_path)
    d = _trace(run_cli, db_path, target, province, sibling)
    m = _match(d, P2)
    assert Path(m["source"]).name == "zj.txt" and m["relation"] == "identical"
    a = _held(m, "huzhou.txt")
    # it holds the ten characters of the heading sentence, not the 56 of the paragraph
    assert a["relation"] == "partial" and a["content"] == "identical", a
    assert a["chars"] == len(HEAD) < m["chars"]
    tt = Path(target).read_text(encoding="utf-8")
    assert [tt[s:e] for s, e in a["target_spans"]] == [HEAD]
    text = Path(sibling).read_text(encoding="utf-8")
    assert [text[s:e] for s, e in a["source_spans"]] == [HEAD]
    out = _trace(run_cli, db_path, target, json_out=False)
    assert f"huzhou.txt {a['source_span'][0]}-{a['source_span'][1]} (partial: {len(HEAD)} of {m['chars']} chars)" in out


def test_a_sibling_holding_a_paragraphs_sentences_in_another_order_is_moved(tmp_path, db_path, run_cli):
    province, sibling, target = _corpus(tmp_path)
    d = _trace(run_cli, db_path, target, province, sibling)
    m = _match(d, "".join(P3))
    a = _held(m, "huzhou.txt")
    assert a["relation"] == "moved" and a["content"] == "identical", a
    assert a["chars"] == m["chars"]
    text = Path(sibling).read_text(encoding="utf-8")
    # each piece is one of the target's sentences, word for word; together they are not the target's text
    pieces = [text[s:e] for s, e in a["source_spans"]]
    assert "".join(pieces) != "".join(P3) and sorted("".join(pieces)) == sorted("".join(P3))


def test_every_also_in_entry_labelled_identical_holds_the_target_text_word_for_word(tmp_path, db_path, run_cli):
    province, sibling, target = _corpus(tmp_path)
    d = _trace(run_cli, db_path, target, province, sibling)
    tt = Path(target).read_text(encoding="utf-8")
    seen = 0
    for m in d["matches"]:
        for a in m.get("also_in") or []:
            if a["relation"] != "identical":
                continue
            text = Path(a["source"]).read_text(encoding="utf-8")
            assert "".join(text[s:e] for s, e in a["source_spans"]) == tt[slice(*m["target_span"])], (m, a)
            seen += 1
    assert seen  # the other paragraphs' sentences the sibling holds as they are


def _notice(tmp_path: Path) -> str:
    """A rule on another subject, sharing nothing with the target but its closing line."""
    notice = tmp_path / "notice.txt"
    notice.write_text(
        "\n".join(
            [
                "台州市工业企业统计调查管理办法",
                "台州市经济和信息化局",
                "2020年8月1日",
                "请各地按时报送年度规模以上工业企业统计报表，确保数据真实准确、报送及时完整。",
                "统计人员应当依法履行职责，如实搜集、报送统计资料，不得伪造、篡改统计资料。",
                CLOSING,
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    return str(notice)


def test_a_source_explaining_only_formulaic_text_is_listed_apart(tmp_path, db_path, run_cli):
    province, _sibling, target = _corpus(tmp_path)
    notice = _notice(tmp_path)
    d = _trace(run_cli, db_path, target, province, notice)
    by = d["summary"]["by_source"]
    info = {Path(s["path"]).name: s for s in d["sources"]}
    assert by[info["notice.txt"]["path"]]["chars"] == 0 and info["notice.txt"]["formulaic_only"] is True
    assert info["zj.txt"]["formulaic_only"] is False
    out = _trace(run_cli, db_path, target, json_out=False)
    lines = out.splitlines()
    (line,) = [x for x in lines if "notice.txt" in x and "  (" in x]
    assert line.startswith("formulaic only  ") and "0.0%" not in line
    assert [x for x in lines if x.startswith("source  ")] and all(
        "notice.txt" not in x for x in lines if x.startswith("source  ")
    )


def test_the_provenance_page_says_a_formulaic_only_source_holds_none_of_the_texts_own(tmp_path, db_path, run_cli):
    province, _sibling, target = _corpus(tmp_path)
    notice = _notice(tmp_path)
    page = tmp_path / "p.html"
    r = run_cli("trace", target, "--db", db_path, "--corpus", province, "--corpus", notice, "--html", str(page), "-q")
    assert r.exit_code == 0, r.stderr
    rows = [x.split("</tr>")[0] for x in page.read_text(encoding="utf-8").split("<tr") if "</tr>" in x]
    (row,) = [x for x in rows if "formulaic-only" in x]
    assert "工业企业统计调查管理办法" in row  # the notice: the province's plan is a source of the text
    assert any("浙江省制造业" in x for x in rows)
