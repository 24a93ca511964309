"""Scraped reprints as real sites make them: a copy cut short that says where the rest is, a news copy that
opens 以下为全文, a PDF copy whose running header is the issuer's name, a WeChat copy's button row; and a
draft listed before its final text."""

from __future__ import annotations

import json
import os

import pytest

from lineage.ingest.pipeline import parse
from lineage.ingest.read import RawFile


def doc_of(text: str):
    return parse(RawFile("d.txt", "0" * 64, len(text), "utf-8", "txt", text))


@pytest.fixture(scope="module")
def plan(corpus_docs) -> list[str]:
    return ["　　" + u.norm_text for u in corpus_docs["003"].blocks() if u.kind == "paragraph"]


def body(doc) -> list[str]:
    return [u.norm_text for u in doc.blocks(("body",))]


@pytest.mark.parametrize(
    "more", ["（未完，查看全文请下载附件）", "未完待续", "阅读全文>>", "点击查看全文", "【查看更多】"]
)
def test_a_copy_cut_short_with_a_note_where_the_rest_is(tmp_path, run_cli, plan, more):
    full = "\n".join(["制造强省建设行动计划", *plan]) + "\n"
    cut = "\n".join(["制造强省建设行动计划", *plan[: len(plan) * 3 // 4], plan[len(plan) * 3 // 4][:30] + "……", more])
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "full.txt").write_text(full, encoding="utf-8")
    (folder / "cut.txt").write_text(cut + "\n", encoding="utf-8")
    assert [r.kind for r in doc_of(cut).removed] == ["button"]
    r = run_cli("dedup", str(folder), "--db", str(tmp_path / "d.db"), "--json", "--quiet")
    assert r.exit_code == 0, r.stderr
    d = json.loads(r.stdout)
    assert [sorted(os.path.basename(m) for m in c["members"]) for c in d["clusters"]] == [["cut.txt", "full.txt"]]


def test_a_news_copy_opening_with_its_full_text_marker_and_a_wechat_button_row(plan):
    doc = doc_of(
        "\n".join(
            [
                "中新网杭州3月21日电 浙江近日发布制造强省建设行动计划。",
                "以下为全文：",
                "制造强省建设行动计划",
                *plan[:5],
            ]
        )
        + "\n"
    )
    assert doc.title == "制造强省建设行动计划" and len(list(doc.blocks(("wrapper",)))) == 2
    doc = doc_of("\n".join(["制造强省建设行动计划", *plan[:5], "阅读原文", "分享 点赞 在看"]) + "\n")
    assert body(doc) == [p.strip("　") for p in plan[:5]]


def test_a_pdf_copy_whose_running_header_is_the_issuers_name(plan):
    pages = []
    for k in range(0, 9, 3):
        pages += ["浙江省经济和信息化厅", *plan[k : k + 3], f"— {k // 3 + 1} —"]
    doc = doc_of("\n".join(["制造强省建设行动计划", *pages]) + "\n")
    assert body(doc) == [p.strip("　") for p in plan[:9]]
    assert [r.kind for r in doc.removed].count("running header") == 3
    # a responsibility column names the same body line after line, with no page number beside it: kept
    table = ["（一）加强组织领导", "省经信厅", "（二）强化要素保障", "省经信厅"]
    doc = doc_of("\n".join(["制造强省建设行动计划", *plan[:3], *table, *plan[3:6]]) + "\n")
    assert "省经信厅" in body(doc)


def test_a_draft_is_listed_before_its_final_text(tmp_path, run_cli, plan):
    """The 征求意见稿 is dated only by its year (2020); the final by its signature (2020-03-13)."""
    folder = tmp_path / "in"
    folder.mkdir()
    final = ["浙江省人民政府办公厅", "2020年3月13日", "制造强省建设行动计划", *plan]
    draft_body = [p.replace("2025年", "2024年") for p in plan[:-3]] + [
        "　　加快建设未来工厂，培育一批数字化转型标杆企业。"
    ]
    (folder / "final.txt").write_text("\n".join(final) + "\n", encoding="utf-8")
    (folder / "draft.txt").write_text(
        "\n".join(["制造强省建设行动计划（征求意见稿）", *draft_body]) + "\n", encoding="utf-8"
    )
    r = run_cli("dedup", str(folder), "--db", str(tmp_path / "d.db"), "--json", "--quiet")
    assert r.exit_code == 0, r.stderr
    d = json.loads(r.stdout)
    of = {c["id"]: [os.path.basename(m) for m in c["members"]] for c in d["clusters"]}
    (rel,) = d["related"]
    assert (of[rel["a"]], of[rel["b"]]) == (["draft.txt"], ["final.txt"])
