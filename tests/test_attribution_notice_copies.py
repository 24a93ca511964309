"""A plan is a copy of another by its body, not by the notice, title and signature every plan writes alike.

Two provinces' plans of one title, issued under the same notice words, hold three sentences of a city's plan
among six of their own.  Counted with their notices, each later plan held 40% of its text word for word in the
earliest (attribution.COPY_OF) and lost the passage to it as its "copy": the city's own province, which holds
the passage as the city has it, lost to an unrelated province's plan.  By their bodies (35%) neither is a copy,
and the province containing the city is the likelier origin (rule 6)."""

from __future__ import annotations

import json

from plan_fixtures import BODY, OWN, city, issued

from lineage.align.attribution import copies_among
from lineage.align.sides import Side
from lineage.ingest.pipeline import load_file

PLACES = (
    ("shandong", "山东省", "2019年1月10日"),
    ("henan", "河南省", "2020年1月10日"),
    ("guangdong", "广东省", "2020年6月10日"),
)


def _plans(tmp_path, own: int = 6) -> dict[str, str]:
    out = {}
    for name, place, date in (*PLACES, ("target", "广州市", "2021年3月10日")):
        shared = city(BODY[4:7]) if name == "target" else BODY[4:7]
        p = tmp_path / f"{name}.txt"
        p.write_text(
            issued(place, date, ["一、重点任务", *OWN[place][:own], "二、数字产业", *shared]), encoding="utf-8"
        )
        out[name] = str(p)
    return out


def test_plans_sharing_a_passage_and_their_notice_words_are_no_copies(tmp_path):
    plans = _plans(tmp_path)
    sides = [Side(load_file(plans[name])) for name, _, _ in PLACES]
    body = [a for a in sides[1].atoms if sides[1].ordered(a)]
    notice = [a for a in sides[1].atoms if not sides[1].ordered(a)]
    assert body and notice  # the test is about the notice: it must be there
    assert copies_among(sides) == {}
    # with no sentences of their own the passage is their whole body: each later plan is a copy of each earlier
    (tmp_path / "bare").mkdir()
    bare = _plans(tmp_path / "bare", own=0)
    sides = [Side(load_file(bare[name])) for name, _, _ in PLACES]
    assert copies_among(sides) == {1: {0}, 2: {0, 1}}


def test_the_citys_own_province_is_its_source(run_cli, tmp_path):
    plans = _plans(tmp_path)
    args = ["trace", plans["target"], "--db", str(tmp_path / "db"), "--json", "--quiet"]
    for name, _, _ in PLACES:
        args += ["--corpus", plans[name]]
    r = run_cli(*args)
    assert r.exit_code == 0, r.output
    res = json.loads(r.stdout)
    assert {m["source"].rsplit("/", 1)[-1] for m in res["matches"]} == {"guangdong.txt"}
    why = {a["source"].rsplit("/", 1)[-1]: a["set_aside_by"] for m in res["matches"] for a in m.get("also_in") or ()}
    assert why == {"shandong.txt": ["level"], "henan.txt": ["level"]}
