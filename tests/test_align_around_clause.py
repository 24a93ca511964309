"""Every character of the target is accounted for: the words around a clause lifted into a new sentence are
added text, listed with the unit (``around_clause``), at a span that is what the target file holds there."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLAN = ROOT / "corpus" / "003_cba8423d898ca683.txt"

OLD = "推广“机器人＋”和智能制造单元、自动化生产线，到2025年在役工业机器人达到20万台；"
NEW = "推广“机器人＋”和智能制造单元、自动化生产线，同时加快建设一批未来工厂和智能车间示范项目；"


def test_the_words_around_a_lifted_clause_are_added(tmp_path, run_cli):
    """Before, the sentence was a `partial` match of its first clause and the rest was nowhere: neither
    matched nor added (a reviewer found a revision's new clauses in no diff and no added list)."""
    text = PLAN.read_text(encoding="utf-8")
    assert OLD in text
    tgt = tmp_path / "t.txt"
    tgt.write_text(text.replace(OLD, NEW), encoding="utf-8")
    r = run_cli("align", str(PLAN), str(tgt), "--json", "--quiet")
    assert r.exit_code == 0, r.stderr
    d = json.loads(r.stdout)
    t = tgt.read_text(encoding="utf-8")
    at = t.index(NEW)
    lifted = [m for m in d["matches"] if m["relation"] == "partial" and at <= m["target_span"][0] < at + len(NEW)]
    assert [t[slice(*m["target_span"])] for m in lifted] == ["推广“机器人＋”和智能制造单元、自动化生产线"]
    around = [a for a in d["added"] if a.get("around_clause")]
    assert [t[slice(*a["target_span"])] for a in around] == ["同时加快建设一批未来工厂和智能车间示范项目"]
    assert around[0]["chars"] == len("同时加快建设一批未来工厂和智能车间示范项目")
    # the rest of the file is unchanged, so nothing else is added
    assert all(a.get("around_clause") for a in d["added"])
