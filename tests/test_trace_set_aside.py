"""Why a passage went to its source and not to the other documents holding it: each ``also_in`` entry names
the attribution rule that set it aside (``set_aside_by``), and the human output and the provenance page say
it in words -- a tie-break (the earlier date) is not presented as evidence."""

from __future__ import annotations

import json
import os

import pytest
from plan_fixtures import BODY, OWN, city, issued

from lineage.align.set_aside import SET_ASIDE, SET_ASIDE_WORDS


def _write(tmp_path, name: str, text: str) -> str:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return str(p)


_SHARED = BODY[4:7]


@pytest.fixture()
def plans(tmp_path):
    """Three provinces' plans holding the same three sentences among their own, the later two (河南, 广东) no
    copy of 山东's; 广东 holds the target's jurisdiction.  The target, 广州's plan, writes the three as a city."""
    out = {}
    for name, place, date in (
        ("shandong", "山东省", "2019年1月10日"),
        ("henan", "河南省", "2020年1月10日"),
        ("guangdong", "广东省", "2020年6月10日"),
        ("target", "广州市", "2021年3月10日"),
    ):
        own = OWN[place]
        shared = city(_SHARED) if name == "target" else _SHARED
        out[name] = _write(
            tmp_path, f"{name}.txt", issued(place, date, ["一、重点任务", *own, "二、数字产业", *shared])
        )
    return out


def _trace(run_cli, db: str, target: str, *corpus: str, lang: str = "en", json_out: bool = True):
    args = ["--lang", lang, "trace", target, "--db", db, "--quiet", "--top", "50"]
    for c in corpus:
        args += ["--corpus", c]
    r = run_cli(*args, *(["--json"] if json_out else []))
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout) if json_out else r.stdout


def _set_aside(result: dict) -> dict[str, set[str]]:
    """Other holder's file name -> the rules that set it aside, over the body's matches."""
    out: dict[str, set[str]] = {}
    for m in result["matches"]:
        for a in m.get("also_in") or ():
            out.setdefault(a["source"].rsplit("/", 1)[-1], set()).update(a["set_aside_by"])
    return out


def test_two_unrelated_plans_holding_it_alike_are_told_apart_only_by_date(run_cli, plans, tmp_path):
    db = str(tmp_path / "a.db")
    res = _trace(run_cli, db, plans["target"], plans["shandong"], plans["henan"])
    assert {m["source"].rsplit("/", 1)[-1] for m in res["matches"]} == {"shandong.txt"}
    # signed a year after 山东's, and no copy of it: the earlier date is a tie-break, not evidence
    assert _set_aside(res) == {"henan.txt": {"date"}}
    for entries in (m.get("also_in") or () for m in res["matches"]):
        for a in entries:
            assert a["set_aside_by"] == sorted(a["set_aside_by"], key=SET_ASIDE.index)
    text = _trace(run_cli, db, plans["target"], json_out=False)
    assert "why not the others: dated after the chosen document (henan.txt)\n" in text
    zh = _trace(run_cli, db, plans["target"], lang="zh", json_out=False)
    assert "未归于其他文件的原因：日期晚于所选文件 (henan.txt)\n" in zh


def test_the_targets_province_wins_by_level_and_the_others_say_so(run_cli, plans, tmp_path):
    db = str(tmp_path / "b.db")
    res = _trace(run_cli, db, plans["target"], plans["shandong"], plans["henan"], plans["guangdong"])
    assert {m["source"].rsplit("/", 1)[-1] for m in res["matches"]} == {"guangdong.txt"}
    assert _set_aside(res) == {"shandong.txt": {"level"}, "henan.txt": {"level"}}


def test_the_provenance_page_says_why_beside_each_other_document(run_cli, plans, tmp_path):
    db, page = str(tmp_path / "c.db"), tmp_path / "p.html"
    r = run_cli(
        "trace", plans["target"], "--db", db, "--corpus", plans["shandong"], "--corpus", plans["henan"],
        "--html", str(page), "--quiet",
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    html = page.read_text(encoding="utf-8")
    assert 'also in: <span lang="zh">henan.txt</span> (dated after the chosen document)</div>' in html


def test_every_rule_has_words_in_both_languages():
    from lineage.i18n import catalog

    zh = catalog("zh")
    assert set(SET_ASIDE) == set(SET_ASIDE_WORDS)
    assert all(SET_ASIDE_WORDS[k] in zh for k in SET_ASIDE)


def test_the_graph_passages_give_the_same_reasons(run_cli, plans, tmp_path):
    db = str(tmp_path / "g.db")
    files = [plans[k] for k in ("shandong", "henan", "guangdong", "target")]
    r = run_cli("graph", *files, "--db", db, "--json", "--quiet")
    assert r.exit_code == 0, r.output
    g = json.loads(r.stdout)
    name = {n["id"]: os.path.basename(n["paths"][0]) for n in g["nodes"] if n.get("paths")}
    into = [e for e in g["edges"] if e["kind"] == "reuse" and name.get(e["target"]) == "target.txt"]
    got: dict[str, set[str]] = {}
    for e in into:
        for p in e["passages"]:
            assert set(p["set_aside_by"]) == set(p["also_in"])
            for nid, keys in p["set_aside_by"].items():
                got.setdefault(name[nid], set()).update(keys)
    # the city's own province is its source, and the others the graph aligned with the city are set aside by
    # level, as trace says (the graph's retrieval may align fewer of them than trace's)
    assert {name[e["source"]] for e in into if e["direction"] == "established"} == {"guangdong.txt"}
    assert got and set(got) <= {"shandong.txt", "henan.txt"}
    assert all(keys == {"level"} for keys in got.values())
