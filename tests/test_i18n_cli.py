"""The command line in Chinese: --lang on the group and on each command, the locale as default, JSON unchanged."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

from lineage import i18n
from lineage.cli import cli


def run(*args: str, env: dict[str, str | None] | None = None):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False, env=env)


@pytest.fixture(scope="module")
def db(corpus_paths, tmp_path_factory):
    path = str(tmp_path_factory.mktemp("i18n-cli") / "lineage.db")
    r = run("graph", os.path.dirname(corpus_paths["000"]), "--db", path, "-q", "--json")
    assert r.exit_code == 0
    return path


def test_ingest_summary_and_document_lines_in_chinese(corpus_paths, tmp_path):
    folder = os.path.dirname(corpus_paths["000"])
    db = str(tmp_path / "db")
    zh = run("--lang", "zh", "ingest", folder, "--db", db)
    assert zh.exit_code == 0
    assert re.search(
        r"^5 份文件（新增 5，未变 0，已有 0），跳过 0 个文件；读取 [0-9.]+ MiB，用时 [0-9.]+ 秒 -> ", zh.stderr, re.M
    ), zh.stderr
    assert "删除网页附属内容" in zh.stdout and "个段落" in zh.stdout and "落款日期" in zh.stdout
    en = run("ingest", folder, "--db", db, "--lang", "en")
    assert re.search(r"^5 documents \(0 new, 5 unchanged, 0 already known\), 0 files skipped; ", en.stderr, re.M)
    # a command's own --lang overrides the group's
    assert "份文件" in run("--lang", "en", "ingest", folder, "--db", db, "--lang", "zh").stderr


def test_json_is_the_same_in_both_languages(corpus_paths, db):
    for args in (
        ("graph",),
        ("dedup", os.path.dirname(corpus_paths["000"])),
        ("show", corpus_paths["004"]),
        ("search", "“产学研用金、才政介美云”十联动"),
    ):
        out = {lang: run(*args, "--db", db, "--json", "-q", "--lang", lang) for lang in ("en", "zh")}
        assert out["zh"].exit_code == out["en"].exit_code == 0, args
        a, b = json.loads(out["zh"].stdout), json.loads(out["en"].stdout)
        for d in (a, b):  # timings differ run to run
            d.get("stats", {}).pop("seconds", None)
        assert a == b, args


def test_graph_dedup_align_trace_search_diffusion_speak_chinese(corpus_paths, db):
    g = run("graph", "--db", db, "--lang", "zh")
    assert g.exit_code == 0 and "复用边，按强度从高到低" in g.stdout and "方向：" in g.stdout and "置信度" in g.stdout
    assert "个版本" in g.stderr and "条复用边" in g.stderr
    d = run("dedup", os.path.dirname(corpus_paths["000"]), "--db", db, "--lang", "zh")
    assert d.exit_code == 0 and "个副本" in d.stdout and "规范副本" in d.stdout and "归为" in d.stderr
    assert (
        "(正文完整（7,363 个字符）；含印发通知)" in d.stdout
        and "(全角标点；无印发通知；1 处孤立的字符差异（" in d.stdout
    )
    a = run("align", corpus_paths["000"], corpus_paths["003"], "--db", db, "--lang", "zh", "-q")
    assert a.exit_code == 0 and "复用：占目标文件的" in a.stdout and "匹配：相同" in a.stdout
    t = run("trace", corpus_paths["004"], "--db", db, "--lang", "zh", "-q")
    assert t.exit_code == 0 and t.stdout.startswith("目标  ") and "\n来源  " in t.stdout
    s = run("search", "“产学研用金、才政介美云”十联动", "--db", db, "--lang", "zh")
    assert s.exit_code == 0 and "含有该文本或其近似变体" in s.stdout
    f = run("diffusion", "“产学研用金、才政介美云”十联动", "--db", db, "--lang", "zh")
    assert f.exit_code == 0 and "时间线：" in f.stdout and "本库中最早" in f.stdout and "按省份：" in f.stdout
    # document text and file names pass through; no English sentence is left, the graph's evidence included
    for out in (g.stdout, a.stdout, t.stdout, s.stdout, f.stdout):
        assert not re.search(r"\b(the|of|and|shares|reused|passages|target|source|not|by)\b", out), out[:3000]


def test_errors_and_skipped_inputs_in_chinese(corpus_paths, tmp_path, db):
    r = run("show", str(tmp_path / "nope.txt"), "--db", db, "--lang", "zh")
    assert r.exit_code == 1 and "文件不存在" in r.stderr
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    r = run("ingest", str(bad), corpus_paths["001"], "--db", str(tmp_path / "db2"), "--lang", "zh", "-q")
    assert r.exit_code == 0 and re.search(r"^lineage：已跳过 .*bad\.txt：空文件$", r.stderr, re.M), r.stderr


def test_why_an_input_was_not_read_is_said_in_chinese_and_json_keeps_the_english(corpus_paths, tmp_path):
    """Each reason the reader gives, from a real input that earns it: translated on stderr, as written in JSON."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "blank.txt").write_text("  \n\u3000\n", encoding="utf-8")
    (inputs / "scan.txt").write_bytes(b"%PDF-1.4 " + os.urandom(64))
    (inputs / "nul.txt").write_bytes(b"\x01\x00\x02\x00" * 200)
    (inputs / "bom.txt").write_bytes(b"\xef\xbb\xbf" + "政策".encode() + b"\xff\xfe\xfa")
    (inputs / "big.txt").write_bytes("政策文本。".encode() * 400)
    (inputs / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    (inputs / "ok.txt").write_text(
        "关于推进制造业高质量发展的通知\n一、总体要求\n加快建设制造强省。\n", encoding="utf-8"
    )
    docx = tmp_path / "plan.docx"  # named on the command line (in a folder, other file types are passed over)
    docx.write_bytes(b"PK\x03\x04")
    db = str(tmp_path / "db")
    args = ("ingest", str(inputs), str(docx), "--db", db, "--max-size", "0.005")
    zh = run(*args, "--lang", "zh", "-q")
    en = run(*args, "--lang", "en", "-q", "--json")
    assert zh.exit_code == en.exit_code == 0, zh.stderr
    said = dict(re.findall(r"^lineage：已跳过 [^：]*/([^/：]+)：(.*)$", zh.stderr, re.M))
    assert said == {
        "blank.txt": "空文件：解码后没有文字",
        "scan.txt": "二进制文件：PDF 文件",
        "nul.txt": "二进制文件：含 NUL 字节",
        "bom.txt": "无法解码：有 UTF-8 BOM，但第 9 字节起不是有效的 UTF-8",
        "big.txt": "文件过大：6,000 字节（上限 5,242；见 --max-size）",
        "plan.docx": "不支持的文件类型“.docx”（应为 .txt 或 .html）",
        "gone.txt": f"符号链接已失效（指向 {tmp_path / 'nowhere.txt'}）",
    }, zh.stderr
    reasons = {os.path.basename(s["path"]): s["reason"] for s in json.loads(en.stdout)["skipped"]}
    assert reasons["bom.txt"] == "undecodable: UTF-8 BOM but invalid UTF-8 at byte 9"
    assert reasons["plan.docx"] == "unsupported file type '.docx' (expected .txt or .html)"
    for line in en.stderr.splitlines():  # English: the reason exactly as JSON has it
        m = re.fullmatch(r"lineage: skipped [^ ]*/([^/ ]+): (.*)", line)
        assert m and reasons[m[1]] == m[2], line


def test_the_locale_decides_by_default(corpus_paths, tmp_path):
    db = str(tmp_path / "db")
    env = {"LINEAGE_LANG": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": "zh_CN.UTF-8"}
    assert "份文件" in run("ingest", corpus_paths["001"], "--db", db, env=env).stderr
    assert "1 document (" in run("ingest", corpus_paths["001"], "--db", db, env={**env, "LC_ALL": "C"}).stderr
    assert "1 document (" in run("ingest", corpus_paths["001"], "--db", db, env={**env, "LINEAGE_LANG": "en"}).stderr
    # a real process, as a user runs it: LANG=zh_CN.UTF-8 lineage report ...
    out = tmp_path / "site"
    clean = {k: v for k, v in os.environ.items() if k not in ("LINEAGE_LANG", "LC_ALL", "LC_MESSAGES")}
    p = subprocess.run(
        [sys.executable, "-m", "lineage", "report", corpus_paths["001"], "--out", str(out), "--db", db],
        env={**clean, "LANG": "zh_CN.UTF-8"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert p.returncode == 0 and "写入 5 个页面" in p.stderr, p.stderr
    assert (out / "index.html").read_text(encoding="utf-8").startswith('<!doctype html>\n<html lang="zh-CN">')


def test_the_choice_does_not_outlive_the_command(corpus_paths, tmp_path):
    assert i18n.current_language() == "en"
    run("--lang", "zh", "ingest", corpus_paths["001"], "--db", str(tmp_path / "db"), "-q")
    assert i18n.current_language() == "en"


def test_help_mentions_the_language_option():
    assert "--lang" in run("--help").stdout
    for cmd in ("ingest", "show", "dedup", "graph", "align", "trace", "search", "diffusion", "report"):
        assert "--lang [en|zh]" in run(cmd, "--help").stdout, cmd
    assert "--lang" in run("export", "graph", "--help").stdout


def test_refusals_to_write_speak_chinese(run_cli, corpus_paths, tmp_path):
    """An output lineage will not write (a report folder, an export, an --html page) was refused in English
    whatever --lang said."""
    notes = tmp_path / "notes.html"
    notes.write_text("my notes", encoding="utf-8")
    db = str(tmp_path / "z.db")
    r = run_cli("align", corpus_paths["002"], corpus_paths["004"], "--db", db, "--html", str(notes), "--lang", "zh")
    assert r.exit_code == 2 and r.stderr == f"Error: {notes}：已存在且不是 lineage 写入的（加 --force 可替换）\n"
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "keep.txt").write_text("keep", encoding="utf-8")
    r = run_cli("report", corpus_paths["002"], "--out", str(mine), "--db", db, "--lang", "zh")
    assert r.exit_code == 2 and "：不为空且不是 lineage report 写入的" in r.stderr and "refusing" not in r.stderr
    # in English, the messages are as lineage wrote them
    r = run_cli("align", corpus_paths["002"], corpus_paths["004"], "--db", db, "--html", str(notes), "--lang", "en")
    assert r.stderr == f"Error: {notes}: exists and was not written by lineage (--force replaces it)\n"
