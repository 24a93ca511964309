"""Reading files: encodings, bad input, folders, and never touching inputs."""

from __future__ import annotations

import codecs
import hashlib
import os

import pytest

from lineage.read import ReadError, iter_inputs, read_file

SAMPLE = "绍兴市人民政府关于印发中国制造2025绍兴实施方案的通知\n　　为抢抓新一轮产业技术革命，特制定本实施方案。\n"


@pytest.mark.parametrize("encoding,data,expected", [
    ("utf-8", SAMPLE.encode("utf-8"), "utf-8"),
    ("utf-8-sig", codecs.BOM_UTF8 + SAMPLE.encode("utf-8"), "utf-8-sig"),
    ("gb18030", SAMPLE.encode("gb18030"), "gb18030"),
    ("gbk", SAMPLE.encode("gbk"), "gb18030"),
    ("gb2312", SAMPLE.encode("gb2312"), "gb18030"),
    ("utf-16-le", codecs.BOM_UTF16_LE + SAMPLE.encode("utf-16-le"), "utf-16-le"),
    ("utf-16-be", codecs.BOM_UTF16_BE + SAMPLE.encode("utf-16-be"), "utf-16-be"),
])
def test_encodings_decode_to_the_same_text(tmp_path, encoding, data, expected):
    p = tmp_path / f"doc-{encoding}.txt"
    p.write_bytes(data)
    rf = read_file(str(p))
    assert rf.text == SAMPLE
    assert rf.encoding == expected
    assert rf.sha256 == hashlib.sha256(data).hexdigest()


def test_html_meta_charset_is_honoured(tmp_path):
    page = f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body><p>{SAMPLE}</p></body></html>'
    p = tmp_path / "page.html"
    p.write_bytes(page.encode("gb18030"))
    rf = read_file(str(p))
    assert rf.format == "html"
    assert "gb18030" in rf.encoding and "gb2312" in rf.encoding
    assert SAMPLE.strip() in rf.text


def test_a_lying_meta_charset_falls_back_to_detection(tmp_path):
    page = f'<html><head><meta charset="gbk"></head><body><p>{SAMPLE}</p></body></html>'
    p = tmp_path / "page.htm"
    p.write_bytes(page.encode("utf-8"))
    # UTF-8 Chinese is rarely valid GB18030 of the same length; whichever way it decodes, no mojibake of the sample.
    rf = read_file(str(p))
    assert SAMPLE.strip() in rf.text or rf.encoding.startswith("gb18030")


def test_html_sniffed_in_a_txt_file(tmp_path):
    p = tmp_path / "saved.txt"
    p.write_text("<!DOCTYPE html><html><body><p>正文</p></body></html>", encoding="utf-8")
    assert read_file(str(p)).format == "html"


@pytest.mark.parametrize("data,reason", [
    (b"", "empty file"),
    (b"  \r\n\t ", "empty: only whitespace"),
    (b"%PDF-1.7\n...", "binary: a PDF file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "binary: a PNG image"),
    (b"abc\x00def\x00\x01\x02" * 10, "binary: contains NUL bytes"),
    (bytes([0x81, 0x30, 0xFF, 0xFE, 0x80, 0xFF]) * 5, "undecodable"),
    (codecs.BOM_UTF8 + b"\xff\xfe\xfd", "undecodable: UTF-8 BOM but invalid UTF-8"),
])
def test_bad_input_gets_a_clear_reason(tmp_path, data, reason):
    p = tmp_path / "bad.txt"
    p.write_bytes(data)
    with pytest.raises(ReadError) as e:
        read_file(str(p))
    assert str(e.value).startswith(reason)
    assert "\n" not in str(e.value)


def test_oversized_file_is_refused_without_reading_it(tmp_path):
    p = tmp_path / "big.txt"
    p.write_bytes("制造".encode() * 1000)
    with pytest.raises(ReadError, match="too large: 6,000 bytes"):
        read_file(str(p), max_bytes=5000)


def test_folders_are_walked_recursively_in_a_stable_order(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "deep").mkdir(parents=True)
    for rel in ["b/2.txt", "a/deep/1.html", "a/0.htm", "a/skip.png", ".hidden.txt", "a/notes.md"]:
        (tmp_path / rel).write_text("x", encoding="utf-8")
    files, problems = iter_inputs([str(tmp_path), str(tmp_path / "missing.txt"), str(tmp_path / "a/notes.md")])
    rel = [os.path.relpath(f, tmp_path) for f in files]
    assert rel == ["a/0.htm", "a/deep/1.html", "b/2.txt"]
    assert [(os.path.basename(p), r.split(" ")[0]) for p, r in problems] == [("missing.txt", "no"), ("notes.md", "unsupported")]


def test_reading_never_modifies_the_input(corpus_paths):
    for path in corpus_paths.values():
        before = (os.stat(path).st_mtime_ns, hashlib.sha256(open(path, "rb").read()).hexdigest())
        read_file(path)
        after = (os.stat(path).st_mtime_ns, hashlib.sha256(open(path, "rb").read()).hexdigest())
        assert before == after
