"""`later_than_target` says only what the dates show: an estimate is the range it stands for.

004 (绍兴's 2018 plan) has no date line; ingest estimates "2018" from the years its text names, a range from
2017-10-18 to 2019-12-31.  A source signed inside that range is not known to be later than it: before, the
years were compared as strings and a source of 2019-03-01 was flagged "LATER than the target".
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lineage.dates import dated_after, interval
from lineage.model import Document


def _dated(date: str | None, kind: str | None = None, rng: tuple[str, str] | None = None) -> Document:
    return Document(
        path="x", sha256="x", size=0, encoding="utf-8", format="txt", text="", date=date, date_kind=kind, date_range=rng
    )


def test_dated_after_asks_the_intervals():
    est = _dated("2018", "estimated", ("2017-10-18", "2019-12-31"))
    assert dated_after(_dated("2019-03-01", "signed"), est) is None  # inside the range: cannot tell
    assert dated_after(_dated("2020-01-01", "signed"), est) is True
    assert dated_after(_dated("2017-10-18", "signed"), est) is False  # the range's first day: not after
    assert dated_after(est, _dated("2017-10-17", "published")) is True
    assert dated_after(_dated("2018-05-01", "signed"), _dated("2018-05-01", "signed")) is False
    assert dated_after(_dated(None), est) is None and dated_after(est, _dated(None)) is None
    # a bare year (no range) is its whole year; a month its month
    assert dated_after(_dated("2019-01-01", "signed"), _dated("2018")) is True
    assert dated_after(_dated("2018-12-31", "signed"), _dated("2018")) is None
    assert interval("2018-02") == (interval("2018-02-01")[0], interval("2018-02-28")[0])


@pytest.mark.parametrize(("given", "flag"), [("2019-03-01", None), ("2020-03-13", True), ("2017-06-30", False)])
def test_trace_of_an_estimated_target_flags_a_source_later_only_past_its_range(
    tmp_path, db_path, run_cli, corpus_paths, given, flag
):
    meta = tmp_path / "meta.csv"
    meta.write_text(f"path,date\n{Path(corpus_paths['003']).name},{given}\n", encoding="utf-8")
    r = run_cli("ingest", corpus_paths["003"], corpus_paths["002"], "--meta", str(meta), "--db", db_path, "--quiet")
    assert r.exit_code == 0, r.stderr
    r = run_cli("trace", corpus_paths["004"], "--db", db_path, "--json", "--quiet")
    assert r.exit_code == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["target"]["date_kind"] == "estimated" and d["target"]["date_range"] == ["2017-10-18", "2019-12-31"]
    by_name = {Path(s["path"]).name[:3]: s for s in d["sources"]}
    zj = by_name["003"]
    assert zj["date"] == given and zj["date_kind"] == "given" and "date_range" not in zj
    assert zj.get("later_than_target") is flag
    assert by_name["002"]["later_than_target"] is False  # 2016-06-17 (published): before the range
    # the human output says the same, and shows the target's date as the estimate it is
    r = run_cli("trace", corpus_paths["004"], "--db", db_path, "--quiet")
    assert r.exit_code == 0, r.stderr
    assert "2018 est. 2017-10-18..2019-12-31" in r.stdout
    line = next(x for x in r.stdout.splitlines() if "003_" in x and given in x)
    assert ("LATER than the target" in line) is (flag is True)
