"""Reading files: encodings, bad input, folders, and never touching inputs."""

from __future__ import annotations

import codecs
import hashlib
import os

import pytest

from lineage.ingest.read import ReadError, iter_inputs, read_file

SAMPLE = "绍兴市人民政府关于印发中国制造2025绍兴实施方案的通知\n　　为抢抓新一轮产业技术革命，特制定本实施方案。\n"


@pytest.mark.parametrize(
    "encoding,data,expected",
    [
        ("utf-8", SAMPLE.encode("utf-8"), "utf-8"),
        ("utf-8-sig", codecs.BOM_UTF8 + SAMPLE.encode("utf-8"), "utf-8-sig"),
        ("gb18030", SAMPLE.encode("gb18030"), "gb18030"),
        ("gbk", SAMPLE.encode("gbk"), "gb18030"),
        ("gb2312", SAMPLE.encode("gb2312"), "gb18030"),
        ("utf-16-le", codecs.BOM_UTF16_LE + SAMPLE.encode("utf-16-le"), "utf-16"),
        ("utf-16-be", codecs.BOM_UTF16_BE + SAMPLE.encode("utf-16-be"), "utf-16"),
        ("utf-32", codecs.BOM_UTF32_LE + SAMPLE.encode("utf-32-le"), "utf-32"),
    ],
)
def test_encodings_decode_to_the_same_text(tmp_path, encoding, data, expected):
    p = tmp_path / f"doc-{encoding}.txt"
    p.write_bytes(data)
    rf = read_file(str(p))
    assert rf.text == SAMPLE
    assert rf.encoding == expected
    # the reported encoding is a codec that gives back the text every span indexes (a BOM dropped)
    assert data.decode(rf.encoding) == rf.text
    assert rf.sha256 == hashlib.sha256(data).hexdigest()


def test_html_meta_charset_is_honoured(tmp_path):
    page = f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body><p>{SAMPLE}</p></body></html>'
    p = tmp_path / "page.html"
    p.write_bytes(page.encode("gb18030"))
    rf = read_file(str(p))
    assert rf.format == "html"
    # a codec name that reads the file (it was "gb18030 (declared gb2312)", which Python cannot decode with)
    assert rf.encoding == "gb18030" and p.read_bytes().decode(rf.encoding) == rf.text and not rf.warnings
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


@pytest.mark.parametrize(
    "data,reason",
    [
        (b"", "empty file"),
        (b"  \r\n\t ", "empty: only whitespace"),
        (b"%PDF-1.7\n...", "binary: a PDF file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary: a PNG image"),
        (b"abc\x00def\x00\x01\x02" * 10, "binary: contains NUL bytes"),
        (bytes([0x81, 0x30, 0xFF, 0xFE, 0x80, 0xFF]) * 5, "undecodable"),
        (codecs.BOM_UTF8 + b"\xff\xfe\xfd", "undecodable: UTF-8 BOM but invalid UTF-8"),
        # valid UTF-8 that is not text (main: read as a document of 461 "headings")
        (bytes(range(1, 32)) * 160, "binary: 84% of its characters are control or private-use characters"),
        (codecs.BOM_UTF16_LE + "\x01\x02\x03政策".encode("utf-16-le") * 50, "binary: 60% of its characters"),
    ],
)
def test_bad_input_gets_a_clear_reason(tmp_path, data, reason):
    p = tmp_path / "bad.txt"
    p.write_bytes(data)
    with pytest.raises(ReadError) as e:
        read_file(str(p))
    assert str(e.value).startswith(reason)
    assert "\n" not in str(e.value)


def test_text_with_a_few_control_characters_is_still_text(tmp_path, corpus_paths):
    """Form feeds between pages, a stray escape or a private-use glyph for a rare character: still a document."""
    text = open(corpus_paths["002"], encoding="utf-8").read()
    p = tmp_path / "paged.txt"
    paged = text.replace("。\n", "。\x0c\n").replace("市", "\ue123", 30) + "\x1b"
    p.write_text(paged, encoding="utf-8")
    assert read_file(str(p)).text == paged and paged.count("\x0c") > 20


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
    assert [(os.path.basename(p), r.split(" ")[0]) for p, r in problems] == [
        ("missing.txt", "no"),
        ("notes.md", "unsupported"),
    ]


def test_reading_never_modifies_the_input(corpus_paths):
    for path in corpus_paths.values():
        before = (os.stat(path).st_mtime_ns, hashlib.sha256(open(path, "rb").read()).hexdigest())
        read_file(path)
        after = (os.stat(path).st_mtime_ns, hashlib.sha256(open(path, "rb").read()).hexdigest())
        assert before == after


# -- cut, BOM-less and traditional files ------------------------------------------------------

# Written by hand in traditional characters (the corpus is simplified): a notice and a body paragraph.
TRADITIONAL = (
    "浙江省人民政府關於印發製造強省建設行動計劃的通知\n各市、縣（市、區）人民政府，省政府直屬各單位：\n"
    "　　現將《製造強省建設行動計劃》印發給你們，請結合實際，認真貫徹落實。\n　　一、總體要求\n"
    "　　堅持創新驅動發展，推動製造業高質量發展，加快建設全球先進製造業基地，為全省經濟社會發展提供堅實支撐。"
    "到2025年，規模以上工業增加值年均增長7%以上，數位經濟核心產業增加值佔生產總值比重達到15%。\n"
)


@pytest.mark.parametrize("encoding,cut", [("utf-8", 1), ("utf-8", 2), ("gb18030", 1), ("utf-16-le", 1)])
def test_a_file_cut_in_its_last_character_is_read_without_it_and_says_so(tmp_path, encoding, cut):
    text = SAMPLE.rstrip("\n")  # ends in 。: a multi-byte character
    data = (codecs.BOM_UTF16_LE if encoding == "utf-16-le" else b"") + text.encode(encoding)
    p = tmp_path / "cut.txt"
    p.write_bytes(data[:-cut])
    rf = read_file(str(p))
    assert rf.text == text[:-1]  # everything but the partial 。
    assert rf.size == len(data) - cut and rf.sha256 == hashlib.sha256(data[:-cut]).hexdigest()
    (w,) = rf.warnings
    left = len("。".encode(encoding)) - cut
    assert w.startswith(f"reading: the file ends in the middle of a character: its last {left} byte")


def test_a_cut_file_is_parsed_with_the_warning_on_the_document(tmp_path, corpus_paths):
    from lineage.ingest.pipeline import load_file

    text = open(corpus_paths["002"], encoding="utf-8").read()
    end = max(i for i, c in enumerate(text) if ord(c) > 127)  # the last Chinese character (its footer)
    p = tmp_path / "cut.txt"
    p.write_bytes(text[: end + 1].encode("utf-8")[:-1])
    doc = load_file(str(p))
    assert doc.encoding == "utf-8" and doc.text == text[:end]
    assert any("ends in the middle of a character: its last 2 bytes" in w for w in doc.warnings)
    # offsets stay truthful: every unit's span cuts its text out of the decoded file
    assert all(doc.text[u.span[0] : u.span[1]] == u.text for u in doc.units)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize(
    "text",
    [SAMPLE, TRADITIONAL, "Policy No. 3\nAll ASCII text, in UTF-16.\n"],
    ids=["simplified", "traditional", "ascii"],
)
def test_utf16_without_a_bom_is_told_by_its_byte_order(tmp_path, encoding, text):
    p = tmp_path / "nobom.txt"
    p.write_bytes(text.encode(encoding))
    rf = read_file(str(p))
    assert rf.text == text and rf.encoding == encoding and text.encode(encoding).decode(rf.encoding) == text
    assert "UTF-16 without a byte-order mark" in rf.warnings[-1]


def test_mostly_chinese_utf16_without_a_bom_is_read(tmp_path, corpus_paths):
    # One line break per paragraph: few NULs, and some of them in ideographs (U+5E00 = 00 5E).
    text = open(corpus_paths["000"], encoding="utf-8").read()
    for encoding in ("utf-16-le", "utf-16-be"):
        p = tmp_path / f"{encoding}.txt"
        p.write_bytes(text.encode(encoding))
        rf = read_file(str(p))
        assert rf.text == text and rf.encoding.startswith(encoding)


@pytest.mark.parametrize(
    "data",
    [
        b"abc\x00def\x00\x01\x02" * 10,
        bytes(range(256)) * 8,
        "编码 text\n".encode() + b"\x00" * 64,  # NUL padding after text
        # 8-bit text with NUL separators (a gettext catalogue): ASCII pairs read as UTF-16 are ideographs
        b"\x00".join(x.encode() for x in ("Open file", "Save as", "Permission denied", "Print", "Close window")) * 20,
    ],
)
def test_binary_with_nuls_is_still_refused(tmp_path, data):
    p = tmp_path / "blob.txt"
    p.write_bytes(data)
    with pytest.raises(ReadError, match=r"^binary: contains NUL bytes$"):
        read_file(str(p))


def test_big5_is_read_as_big5_not_as_gb18030_garbage(tmp_path):
    data = TRADITIONAL.encode("big5")
    data.decode("gb18030")  # the trap: Big5 bytes are (mostly) valid GB18030
    p = tmp_path / "trad.txt"
    p.write_bytes(data)
    rf = read_file(str(p))
    assert rf.encoding == "big5" and rf.text == TRADITIONAL
    assert any("Big5 (traditional Chinese)" in w for w in rf.warnings)


def test_gb_text_is_still_gb18030_and_carries_no_warning(tmp_path, corpus_paths):
    for key, path in corpus_paths.items():
        text = open(path, encoding="utf-8").read()
        p = tmp_path / f"{key}.txt"
        p.write_bytes(text.encode("gb18030"))
        rf = read_file(str(p))
        assert (rf.encoding, rf.text, rf.warnings) == ("gb18030", text, [])


def test_chinese_share_counts_what_the_per_character_rule_accepts(corpus_paths):
    """The share is counted in one regex pass; it must equal the rule applied character by character,
    on real text and on the garbage a wrong decoding makes (Big5 bytes read as GB18030)."""
    from lineage.ingest.read import _chinese_share, _reads_chinese

    def by_rule(text: str) -> float:
        wide = [c for c in text[:50000] if c >= "\x80"]
        return sum(map(_reads_chinese, wide)) / len(wide) if wide else 1.0

    texts = [read_file(p).text for p in corpus_paths.values()]
    big5 = "关于推进制造强省建设的行动计划".encode("big5", "ignore").decode("gb18030", "replace") * 40
    for text in [*texts, big5, "ascii only", "", "ｱ㈠Ω€政\U00020000"]:
        assert _chinese_share(text) == pytest.approx(by_rule(text)), text[:20]
    assert _chinese_share(texts[0]) > 0.9 > _chinese_share(big5)


@pytest.mark.parametrize("bom", [b"", codecs.BOM_UTF8])
@pytest.mark.parametrize("where", ["between characters", "inside a character"])
def test_a_few_bad_bytes_do_not_lose_the_document(tmp_path, corpus_paths, bom, where):
    """A scraped file with three stray bytes in the middle was skipped whole ("undecodable: not UTF-8 (bad
    byte at 3000)..."): it is read with each bad sequence as U+FFFD, and a note saying how to decode it."""
    text = open(corpus_paths["002"], encoding="utf-8").read()
    good = text.encode("utf-8")
    cut = good.index("。".encode(), 3000) + 3 - (1 if where == "inside a character" else 0)
    data = bom + good[:cut] + b"\xff\xff\xff" + good[cut:]
    p = tmp_path / "stray.txt"
    p.write_bytes(data)
    rf = read_file(str(p))
    assert rf.encoding == ("utf-8-sig" if bom else "utf-8")
    assert rf.text == data.decode(rf.encoding, errors="replace")  # what every span indexes
    if where == "between characters":
        assert rf.text.replace("\ufffd", "") == text
    else:  # the character cut in two is lost too, and only it
        assert len(rf.text.replace("\ufffd", "")) == len(text) - 1
    (note,) = [w for w in rf.warnings if "U+FFFD" in w]
    assert note.startswith("reading: ") and "errors='replace'" in note and str(len(bom) + cut) in note
    # many bad bytes: still refused, one line naming the reason
    p.write_bytes(bytes([0x81, 0x30, 0xFF]) * 200)
    with pytest.raises(ReadError, match="undecodable"):
        read_file(str(p))


def test_gb18030_with_a_lost_byte_stays_refused(tmp_path, corpus_paths):
    """GB18030 does not find its footing again after a bad byte: the characters after it would read as other,
    plausible characters (强市、质量强市 -> 渴小⒅柿壳), so it is not read leniently."""
    data = open(corpus_paths["002"], encoding="utf-8").read().encode("gb18030")
    p = tmp_path / "lost.txt"
    p.write_bytes(data[:2999] + b"\xff" + data[3000:])
    with pytest.raises(ReadError, match="undecodable"):
        read_file(str(p))


def test_refusing_a_large_undecodable_file_is_one_pass(tmp_path):
    """Counting bad bytes decoded the rest of the file again after each one: 44 s for 4 MiB of cp1252."""
    p = tmp_path / "latin.txt"
    p.write_bytes("Caf\u00e9 cr\u00e8me br\u00fbl\u00e9e. ".encode("cp1252") * 150_000)
    with pytest.raises(ReadError, match="undecodable"):
        read_file(str(p))


def test_reading_notes_are_shown_in_chinese(tmp_path, run_cli, corpus_paths):
    """The notes reading and parsing write (stored in English) were shown in English on zh pages and output."""
    import textwrap

    text = open(corpus_paths["002"], encoding="utf-8").read()
    wrapped = "\n".join(line for para in text.split("\n") for line in (textwrap.wrap(para, 38) or [""]))
    data = wrapped.encode("utf-8")
    cut = data.index("。".encode(), 3000) + 3
    (tmp_path / "stray.txt").write_bytes(data[:cut] + b"\xff" + data[cut:])
    r = run_cli("show", str(tmp_path / "stray.txt"), "--db", str(tmp_path / "s.db"), "--lang", "zh")
    assert r.exit_code == 0, r.stderr
    assert "注意：读取：1 处字节不是有效的 UTF-8" in r.stdout and "注意：每 38 个字符硬换行" in r.stdout
    assert "reading:" not in r.stdout and "hard-wrapped" not in r.stdout
    r = run_cli("show", str(tmp_path / "stray.txt"), "--db", str(tmp_path / "s.db"), "--lang", "en")
    assert "note: hard-wrapped at 38 characters; lines re-joined" in r.stdout


def test_a_declared_charset_is_named_as_python_names_it(tmp_path):
    """<meta charset="utf8"> was recorded as "utf8": dedup ranked the page as not UTF-8 and said "encoded utf8"."""
    p = tmp_path / "page.html"
    p.write_bytes(f'<html><head><meta charset="utf8"></head><body><p>{SAMPLE}</p></body></html>'.encode())
    assert read_file(str(p)).encoding == "utf-8"
