"""Counts in human output agree with their nouns: "1 document", "2 documents"."""

from __future__ import annotations

import re

import pytest

# A plan of one title, one paragraph of one sentence, and one footer line of chrome.
ONE = "质量提升行动方案\n　　到2025年，全市制造业质量竞争力明显增强，确保落地见效。\n版权所有：某市人民政府办公室\n"
# "1 documents", "1 reuse edges", "1 formulaic characters": a 1 before a plural noun (and its adjective).
BAD = re.compile(r"(?<![\d.,\-])\b1 (?:[a-z]+ )?(?:[a-z]+s)\b(?! of)")


def bad_counts(text: str) -> list[str]:
    return [m.group(0) for m in BAD.finditer(text)]


def test_plural():
    from lineage.cli.words import plural

    assert [plural(n, "document") for n in (0, 1, 2, 1368)] == [
        "0 documents",
        "1 document",
        "2 documents",
        "1,368 documents",
    ]
    assert plural(1, "copy", "copies") == "1 copy" and plural(3, "copy", "copies") == "3 copies"
    assert bad_counts("1 documents, 1 reuse edges, 11 files, 21 versions, 0.1 MiB, 1 document") == [
        "1 documents",
        "1 reuse edges",
    ]


@pytest.fixture()
def one(tmp_path):
    p = tmp_path / "plan.txt"
    p.write_text(ONE, encoding="utf-8")
    return str(p)


def test_every_command_says_1_thing(one, tmp_path, db_path, corpus_paths, run_cli):
    r = run_cli("ingest", one, "--db", db_path)
    assert r.exit_code == 0
    assert "1 document (1 new, 0 unchanged, 0 already known), 0 files skipped" in r.stderr
    assert "1 paragraph, 1 heading, 0 tables" in r.stdout and "1 piece of chrome removed" in r.stdout
    outputs = [r.stdout + r.stderr]
    r = run_cli("show", one, "--db", db_path, "--units", "all")
    assert "1 paragraph, 1 heading, 0 tables, 1 sentence, 3 clauses" in r.stdout
    outputs.append(r.stdout + r.stderr)
    r = run_cli("dedup", one, "--db", db_path)
    assert "1 version of 1 document from 1 file (1 given, 0 new), 0 revisions linked, 0 files skipped" in r.stderr
    assert "  1 copy  " in r.stdout
    outputs.append(r.stdout + r.stderr)
    r = run_cli("graph", one, "--db", db_path)
    assert "1 version of 1 document, 0 reuse edges at >= " in r.stderr and "(1 copy: plan.txt)" in r.stdout
    outputs.append(r.stdout + r.stderr)
    copy = tmp_path / "copy.txt"
    copy.write_text(ONE.replace("质量提升行动方案", "优化营商环境实施意见"), encoding="utf-8")
    r = run_cli("align", one, str(copy), "--db", db_path)
    assert "of the target, 1 match\n" in r.stdout and "added: 1 unit (10 chars) · deleted: 1 unit (8 chars)" in r.stdout
    outputs.append(r.stdout + r.stderr)
    r = run_cli("trace", corpus_paths["001"], "--db", str(tmp_path / "trace.db"), "--corpus", one)
    assert "no reuse found in 1 other document" in r.stderr  # the target is not counted as searched
    outputs.append(r.stdout + r.stderr)
    bad = [b for out in outputs for b in bad_counts(out)]
    assert bad == []
