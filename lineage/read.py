"""Reading files: find inputs, decode bytes, refuse what is not a text document.

Decoding is explicit rather than guessed by a statistical detector: the
documents we read are UTF-8, UTF-8 with a BOM, GB18030 (and its subsets GBK
and GB2312) or UTF-16 with a BOM, and a declared HTML charset wins.  Each
rule is cheap and its failure is reported precisely.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

TEXT_SUFFIXES = {".txt": "txt", ".text": "txt", ".html": "html", ".htm": "html", ".shtml": "html", ".xhtml": "html"}
DEFAULT_MAX_BYTES = 64 * 1024 * 1024

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_MAGIC = [
    (b"%PDF", "a PDF file"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (docx/xlsx?)"),
    (b"\xd0\xcf\x11\xe0", "an OLE2 file (doc/xls?)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\x7fELF", "an ELF binary"),
    (b"{\\rtf", "an RTF file"),
]
_GB_ALIASES = {"gb2312", "gbk", "gb18030", "x-gbk", "gb_2312-80", "cp936", "ms936", "euc-cn", "hz-gb-2312"}


class ReadError(Exception):
    """A file that cannot be read as a document; ``str(e)`` is the reason."""


@dataclass
class RawFile:
    path: str
    sha256: str
    size: int
    encoding: str
    format: str  # "txt" | "html"
    text: str  # the decoded original: every span indexes into this


def file_format(path: str | os.PathLike[str]) -> str | None:
    return TEXT_SUFFIXES.get(Path(path).suffix.lower())


def iter_inputs(paths: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """Expand files and folders (recursively) into document paths.

    Returns ``(files, problems)``: files in a stable order; problems are
    ``(path, reason)`` for named paths that do not exist or are not readable
    kinds.  Inside folders, files of other kinds and hidden entries are
    passed over silently (a scrape folder holds images and scripts too).
    """
    files: list[str] = []
    problems: list[tuple[str, str]] = []
    seen: set[str] = set()

    def add(p: str) -> None:
        key = os.path.abspath(p)
        if key not in seen:
            seen.add(key)
            files.append(p)

    for p in paths:
        if os.path.isdir(p):
            for root, dirs, names in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(names):
                    if name.startswith("."):
                        continue
                    fp = os.path.join(root, name)
                    if file_format(fp) and os.path.isfile(fp):
                        add(fp)
        elif os.path.isfile(p):
            if file_format(p) is None:
                problems.append((p, f"unsupported file type '{Path(p).suffix or '(none)'}' (expected .txt or .html)"))
            else:
                add(p)
        elif os.path.lexists(p):
            problems.append((p, "not a regular file"))
        else:
            problems.append((p, "no such file or directory"))
    return files, problems


def decode(data: bytes, fmt: str) -> tuple[str, str]:
    """Decode ``data``; returns ``(text, encoding)`` or raises ReadError."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise ReadError(f"binary: {what}")
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as e:
            raise ReadError(f"undecodable: UTF-8 BOM but invalid UTF-8 at byte {e.start + 3}") from None
    for bom, enc in ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
                     (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(enc), enc
            except UnicodeDecodeError as e:
                raise ReadError(f"undecodable: {enc} BOM but invalid {enc} at byte {e.start + len(bom)}") from None
    if b"\x00" in data[:4096]:
        # UTF-16 without a BOM has a NUL in every other byte of ASCII text.
        head = data[:4096]
        if head.count(b"\x00") > len(head) // 4:
            for enc in ("utf-16-le", "utf-16-be"):
                try:
                    text = data.decode(enc)
                except UnicodeDecodeError:
                    continue
                if _looks_textual(text):
                    return text, enc
        raise ReadError("binary: contains NUL bytes")
    declared = None
    if fmt == "html":
        m = _META_CHARSET.search(data[:8192])
        if m:
            declared = m.group(1).decode("ascii", "replace").lower()
    if declared:
        enc = "gb18030" if declared in _GB_ALIASES else declared
        try:
            codecs.lookup(enc)
        except LookupError:
            enc = None  # an unknown label: fall through to detection
        if enc:
            try:
                text = data.decode(enc)
                return text, enc if enc == declared else f"{enc} (declared {declared})"
            except UnicodeDecodeError:
                pass  # pages often lie about their charset; detect instead
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as e:
        utf8_error = e
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as e:
        raise ReadError(
            f"undecodable: not UTF-8 (bad byte at {utf8_error.start}) nor GB18030 (bad byte at {e.start})"
        ) from None
    if not _looks_textual(text):
        raise ReadError("undecodable: decodes as GB18030 only to control characters")
    return text, "gb18030"


_NOT_TEXT = re.compile("[\x00-\x08\x0e-\x1f\ue000-\uf8ff]")


def _looks_textual(text: str) -> bool:
    """Few control or private-use characters: what a wrong decoding of binary data produces."""
    sample = text[:20000]
    if not sample:
        return True
    return len(_NOT_TEXT.findall(sample)) / len(sample) < 0.05


def read_file(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> RawFile:
    """Read and decode one document; raises ReadError with a one-line reason."""
    fmt = file_format(path) or "txt"
    try:
        size = os.path.getsize(path)
        if size > max_bytes:
            raise ReadError(f"too large: {size:,} bytes (limit {max_bytes:,}; see --max-size)")
        with open(path, "rb") as f:
            data = f.read(max_bytes + 1)
    except OSError as e:
        raise ReadError(f"cannot read: {e.strerror or e}") from None
    if len(data) > max_bytes:
        raise ReadError(f"too large: more than {max_bytes:,} bytes (limit; see --max-size)")
    if not data.strip():
        raise ReadError("empty file" if not data else "empty: only whitespace")
    text, encoding = decode(data, fmt)
    if not text.strip(" \t\r\n\u3000\u00a0\ufeff"):
        raise ReadError("empty: no text after decoding")
    if fmt == "txt" and _sniff_html(text):
        fmt = "html"
    return RawFile(path=path, sha256=hashlib.sha256(data).hexdigest(), size=len(data),
                   encoding=encoding, format=fmt, text=text)


def _sniff_html(text: str) -> bool:
    head = text[:1024].lstrip().lower()
    return head.startswith("<!doctype html") or head.startswith("<html")
