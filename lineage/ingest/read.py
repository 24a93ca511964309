"""Reading files: find inputs, decode bytes, refuse what is not a text document.

Decoding is explicit rather than guessed by a statistical detector: the
documents we read are UTF-8, UTF-8 with a BOM, GB18030 (and its subsets GBK
and GB2312), UTF-16 with a BOM or without one (told by where its NUL bytes
fall), or Big5, and a declared HTML charset wins.  Each rule is cheap and
its failure is reported precisely.  A file cut off in the middle of its last
character is read without that partial character, and says so.
"""

from __future__ import annotations

import codecs
import errno
import hashlib
import os
import re
import threading
from dataclasses import dataclass, field
from functools import cache
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
    warnings: list[str] = field(default_factory=list)  # what decoding had to guess or leave out


def file_format(path: str | os.PathLike[str]) -> str | None:
    return TEXT_SUFFIXES.get(Path(path).suffix.lower())


def iter_inputs(paths: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """Expand files and folders (recursively) into document paths.

    Returns ``(files, problems)``: files in a stable order; problems are
    ``(path, reason)`` for what could not be looked into: named paths that
    do not exist or are not readable kinds, folders that cannot be listed,
    broken symlinks and symlink loops, and symlinks to a folder already
    read (each folder is read once, under its own path where the inputs
    reach it that way).  Symlinked folders are followed, after the folders
    reached without symlinks.  Inside folders, files of other kinds and
    hidden entries are passed over silently (a scrape folder holds images
    and scripts too).  Unreadable files are listed: reading them says why.
    """
    return _Walk().run(paths)


class _Walk:
    """Folders are read once each, by their real path; symlinked folders wait until
    every folder reached without a symlink has been read, so files keep their own paths."""

    def __init__(self) -> None:
        self.files: list[str] = []
        self.problems: list[tuple[str, str]] = []
        self.seen_files: set[str] = set()
        self.read_dirs: dict[str, str] = {}  # real path -> the path it was read under
        self.links: list[tuple[str, tuple[str, ...]]] = []  # (symlink to a folder, real paths of its ancestors)

    def run(self, paths: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
        for p in paths:
            if os.path.isdir(p):
                if os.path.islink(p.rstrip("/") or p):
                    self.links.append((p, ()))
                else:
                    self.folder(p, ())
            elif os.path.isfile(p):
                if file_format(p) is None:
                    self.problems.append(
                        (p, f"unsupported file type '{Path(p).suffix or '(none)'}' (expected .txt or .html)")
                    )
                else:
                    self.add(p)
            else:
                self.problems.append((p, _not_there(p)))
        while self.links:
            link, ancestors = self.links.pop(0)
            real = os.path.realpath(link)
            if real in ancestors:
                self.problems.append((link, f"symlink loop: points back to {self.read_dirs.get(real, real)}"))
            elif real in self.read_dirs:
                self.problems.append((link, f"symlink to a folder already read as {self.read_dirs[real]}"))
            else:
                self.folder(link, ancestors)
        return self.files, self.problems

    def add(self, p: str) -> None:
        key = os.path.abspath(p)
        if key not in self.seen_files:
            self.seen_files.add(key)
            self.files.append(p)

    def folder(self, d: str, ancestors: tuple[str, ...]) -> None:
        real = os.path.realpath(d)
        if real in self.read_dirs:
            return  # named twice, or inside a folder also named: its files are listed already
        self.read_dirs[real] = d
        try:
            with os.scandir(d) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as err:
            self.problems.append((d, f"cannot read folder: {err.strerror or err}"))
            return
        inside = ancestors + (real,)
        subdirs = []
        for e in entries:
            if e.name.startswith("."):
                continue
            try:
                is_link = e.is_symlink()
                is_dir = e.is_dir()  # follows symlinks
                is_file = not is_dir and e.is_file()
            except OSError:
                self.problems.append((e.path, _not_there(e.path)))
                continue
            if is_dir:
                if is_link:
                    self.links.append((e.path, inside))
                else:
                    subdirs.append(e.path)
            elif file_format(e.path) is None:
                continue
            elif is_file:
                self.add(e.path)
            else:
                self.problems.append((e.path, _not_there(e.path)))
        for sub in subdirs:
            self.folder(sub, inside)


def _not_there(p: str) -> str:
    """Why a path that is neither a folder nor a regular file cannot be read."""
    if not os.path.lexists(p):
        return "no such file or directory"
    try:
        os.stat(p)
    except OSError as e:
        if e.errno == errno.ELOOP:
            return "symlink loop"
        if e.errno == errno.ENOENT:
            return f"broken symlink (to {os.readlink(p)})"
        return f"cannot read: {e.strerror or e}"
    return "not a regular file"


@dataclass
class Decoded:
    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


def decode(data: bytes, fmt: str) -> tuple[str, str]:
    """Decode ``data``; returns ``(text, encoding)`` or raises ReadError."""
    d = decode_bytes(data, fmt)
    return d.text, d.encoding


def decode_bytes(data: bytes, fmt: str) -> Decoded:
    """Decode ``data``, with what the reader should know about it; raises ReadError."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise ReadError(f"binary: {what}")
    if data.startswith(codecs.BOM_UTF8):
        try:
            return _cut("utf-8", data[3:], "utf-8-sig")
        except UnicodeDecodeError as e:
            patched = _few_bad_bytes(data, 3, "utf-8-sig")
            if patched is None:
                raise ReadError(f"undecodable: UTF-8 BOM but invalid UTF-8 at byte {e.start + 3}") from None
            return patched
    for bom, enc in (
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            try:
                # named by the codec that reads the BOM and drops it (utf-16, utf-32), as utf-8-sig:
                # decoding the file with ``encoding`` gives the text every span indexes
                return _cut(enc, data[len(bom) :], enc[:6])
            except UnicodeDecodeError as e:
                raise ReadError(f"undecodable: {enc} BOM but invalid {enc} at byte {e.start + len(bom)}") from None
    if b"\x00" in data[:4096]:
        return _utf16_without_bom(data)
    declared = None
    if fmt == "html":
        m = _META_CHARSET.search(data[:8192])
        if m:
            declared = m.group(1).decode("ascii", "replace").lower()
    if declared:
        enc = "gb18030" if declared in _GB_ALIASES else declared
        try:
            enc = codecs.lookup(enc).name  # Python's own name for the label: utf8 -> utf-8, latin1 -> iso8859-1
        except LookupError:
            enc = ""  # an unknown label: fall through to detection
        if enc:
            try:
                # (gbk and gb2312 pages are read as gb18030, which contains both: the name a codec reads
                # the whole file with, not the page's label)
                return Decoded(data.decode(enc), enc)
            except UnicodeDecodeError:
                pass  # pages often lie about their charset; detect instead
    try:
        return _cut("utf-8", data)
    except UnicodeDecodeError as e:
        utf8_error = e
    lead = len(data) - len(data.lstrip(_CONTINUATION))
    if 0 < lead <= 3:  # a file that starts in the middle of a UTF-8 character
        try:
            d = _cut("utf-8", data[lead:])
        except UnicodeDecodeError:
            pass
        else:
            d.warnings.insert(
                0,
                f"{READ_NOTE}the file starts in the middle of a character: its first {lead} "
                f"byte{'s' if lead > 1 else ''} ({data[:lead].hex(' ')}, part of a UTF-8 "
                f"character) {'were' if lead > 1 else 'was'} not read",
            )
            return d
    try:
        return _chinese_legacy(data, utf8_error)
    except ReadError as e:
        patched = _few_bad_bytes(data) if str(e).startswith("undecodable: not UTF-8") else None
        if patched is None:
            raise
        return patched


BAD_BYTES = 8  # a file this many bad bytes (or one in BAD_SHARE of them) from decoding is read, each one replaced
BAD_SHARE = 1000


class _TooMany(Exception):
    pass


_BAD = threading.local()  # the decode in progress in this thread: (bad byte offsets, BOM bytes skipped, limit)


def _count_bad(e: UnicodeError) -> tuple[str, int]:
    """The "lineage-count" error handler: each bad sequence read as U+FFFD, as errors='replace' reads it, and
    its offset noted; more than the limit stops the decode."""
    assert isinstance(e, UnicodeDecodeError)
    bad, skip, limit = _BAD.state
    bad.append(skip + e.start)
    if len(bad) > limit:
        raise _TooMany
    return "\ufffd", e.end


# registered once: the registry is global, and a handler registered per call would take another thread's decode
codecs.register_error("lineage-count", _count_bad)


def _few_bad_bytes(data: bytes, skip: int = 0, name: str = "utf-8") -> Decoded | None:
    """UTF-8 text with a few bytes it cannot read (a scraper's mangled character, a byte lost in transfer):
    read with each bad sequence as U+FFFD and a note, rather than the whole document lost.

    UTF-8 only: it finds its footing again at the next character, so each bad sequence costs one
    character; GB18030 does not (a lost byte reads the characters after it as other, plausible
    characters), so such a file stays refused.  ``skip``: a BOM's bytes before the text.
    """
    bad: list[int] = []
    _BAD.state = (bad, skip, max(BAD_BYTES, (len(data) - skip) // BAD_SHARE))
    try:
        text = data[skip:].decode("utf-8", errors="lineage-count")
    except _TooMany:
        return None
    if not bad or not _looks_textual(text) or _chinese_share(text) < _PLAUSIBLE:
        return None
    out = Decoded(text, name)
    where = ", ".join(str(b) for b in bad[:3]) + (", ..." if len(bad) > 3 else "")
    out.warnings.append(
        f"{READ_NOTE}{len(bad)} bad byte sequence{'s' if len(bad) > 1 else ''} for UTF-8 "
        f"(at byte {where}) read as U+FFFD: spans index the text decoded with errors='replace'"
    )
    return out


def _cut(enc: str, data: bytes, name: str | None = None) -> Decoded:
    """Decode all of ``data`` but an incomplete last character, which is dropped with a warning.

    Raises UnicodeDecodeError for invalid bytes anywhere else.
    """
    dec = codecs.getincrementaldecoder(enc)()
    text = dec.decode(data, final=False)
    rest = dec.getstate()[0]
    out = Decoded(text, name or enc)
    if rest:
        n = len(rest)
        out.warnings.append(
            f"{READ_NOTE}the file ends in the middle of a character: its last {n} byte{'s' if n > 1 else ''} "
            f"({rest.hex(' ')}, an incomplete {_ENC_NAMES.get(enc, enc)} character) "
            f"{'were' if n > 1 else 'was'} not read"
        )
    return out


def _utf16_without_bom(data: bytes) -> Decoded:
    """UTF-16 without a BOM, or binary.

    ASCII characters (line breaks, digits, Latin letters) of UTF-16 text
    have a NUL as their high byte, so even mostly-Chinese text has a few.
    Read in the right byte order it is Chinese text and ASCII; in the wrong
    one, line breaks become U+0A00 and ideographs land in other scripts;
    binary data reads as neither (controls, private use, any script).
    """
    best: tuple[float, float, str] | None = None
    found: dict[str, Decoded] = {}
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            d = _cut(enc, data)
        except UnicodeDecodeError:
            continue
        if not _looks_textual(d.text):
            continue
        sample = d.text[:50000]
        score = (_chinese_share(sample), len(sample.encode("ascii", "ignore")) / max(1, len(sample)), enc)
        found[enc] = d
        best = max(best, score) if best else score
    if best is None or best[0] < _PLAUSIBLE:
        raise ReadError("binary: contains NUL bytes")
    d = found[best[2]]
    d.warnings.append(f"{READ_NOTE}UTF-16 without a byte-order mark; its text reads as {best[2]}")
    return d


def _chinese_legacy(data: bytes, utf8_error: UnicodeDecodeError) -> Decoded:
    """GB18030 (GBK, GB2312) or Big5, told apart by what each decoding reads as.

    Nearly any Big5 file "decodes" as GB18030, to kana, Greek, box drawing
    and rare characters; GB18030 text rarely decodes as Big5 at all.  So
    GB18030 wins unless its reading is not Chinese text and Big5's is.
    """
    try:
        gb = _cut("gb18030", data)
    except UnicodeDecodeError as e:
        gb, gb_error = None, e
    if gb is not None and _chinese_share(gb.text) >= _PLAUSIBLE:
        if not _looks_textual(gb.text):
            raise ReadError("undecodable: decodes as GB18030 only to control characters")
        return gb
    for enc in ("big5", "cp950", "big5hkscs") if _wide(data) >= 20 else ():
        try:
            b5 = _cut(enc, data)
        except UnicodeDecodeError:
            continue
        if _looks_textual(b5.text) and _chinese_share(b5.text) >= _PLAUSIBLE:
            b5.warnings.insert(
                0,
                f"{READ_NOTE}Big5 (traditional Chinese): lineage's rules and comparisons are "
                "written for simplified Chinese, so titles, dates, parts and text shared with "
                "simplified documents may be missed",
            )
            return b5
    if gb is None:
        raise ReadError(
            f"undecodable: not UTF-8 (bad byte at {utf8_error.start}), GB18030 (bad byte at {gb_error.start}) nor Big5"
        ) from None
    if not _looks_textual(gb.text):
        raise ReadError("undecodable: decodes as GB18030 only to control characters")
    share = _chinese_share(gb.text)
    gb.warnings.append(
        f"{READ_NOTE}decoded as GB18030, but only {share:.0%} of its non-ASCII characters read as "
        "Chinese text: the encoding may be another one"
    )
    return gb


_CONTINUATION = bytes(range(0x80, 0xC0))


def _wide(data: bytes) -> int:
    """Bytes beyond ASCII (in the first 64 KiB): too few say nothing about an encoding."""
    head = data[:65536]
    return len(head) - len(head.translate(None, bytes(range(0x80, 0x100))))


# Prefix of the warnings reading adds to a document (kept when it is parsed again).
READ_NOTE = "reading: "
_ENC_NAMES = {
    "utf-8": "UTF-8",
    "gb18030": "GB18030",
    "utf-16-le": "UTF-16",
    "utf-16-be": "UTF-16",
    "utf-32-le": "UTF-32",
    "utf-32-be": "UTF-32",
    "big5": "Big5",
    "cp950": "Big5",
    "big5hkscs": "Big5",
}
_NOT_TEXT = re.compile("[\x00-\x08\x0e-\x1f\ue000-\uf8ff]")
# What Chinese documents are written in beyond ASCII: common characters (GB2312's, or Big5's
# first level), CJK punctuation, full-width forms, Latin-1, general punctuation and symbols
# (℃ Ⅰ ① ≥ ■ ㎡).  Not kana, Greek, Cyrillic, Hangul, private use or rare characters: what a
# wrong decoding produces (Big5 read as GB18030, 8-bit text or binary read as UTF-16).
_SYMBOLS = re.compile("[\u00a0-\u00ff\u2000-\u206f\u2100-\u25ff\u3000-\u303f\u3200-\u33ff\ufe30-\ufe4f\uff00-\uffef]")
# Measured on corpus/ (5 documents): their GB18030 and UTF-16, and their text converted to
# traditional and encoded in Big5, read 99-100% so; that Big5 read as GB18030, 32-36%.
_PLAUSIBLE = 0.9


@cache
def _common_ideograph(c: str) -> bool:
    try:
        return c.encode("gb2312")[0] >= 0xB0  # rows 16-87: the 6,763 hanzi
    except UnicodeEncodeError:
        pass
    try:
        b = c.encode("big5")
    except UnicodeEncodeError:
        return False
    return 0xA440 <= (b[0] << 8 | b[1]) <= 0xC67E  # the 5,401 frequent hanzi


def _chinese_share(text: str) -> float:
    """Share of the non-ASCII characters (of a sample) that Chinese text is made of."""
    sample = text[:50000]
    wide = len(sample) - len(sample.encode("ascii", "ignore"))
    if not wide:
        return 1.0
    # One C-level pass: remove what reads as Chinese, count what went (a Counter of the
    # sample's characters, judged one distinct character at a time, took eight times longer).
    return (len(sample) - len(_chinese_chars().sub("", sample))) / wide


def warm() -> None:
    """Build the table legacy-encoding guesses read (0.06 s of CPU), so that worker processes
    forked afterwards share it instead of each building its own."""
    _chinese_chars()


@cache
def _chinese_chars() -> re.Pattern[str]:
    """Runs of the characters _reads_chinese accepts (all in the BMP), as one character class."""
    cps = [cp for cp in range(0x80, 0x10000) if not 0xD800 <= cp < 0xE000 and _reads_chinese(chr(cp))]
    runs: list[tuple[int, int]] = []
    for cp in cps:
        if runs and runs[-1][1] == cp - 1:
            runs[-1] = (runs[-1][0], cp)
        else:
            runs.append((cp, cp))
    body = "".join(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in runs)
    return re.compile(f"[{body}]+")


@cache
def _reads_chinese(c: str) -> bool:
    """A non-ASCII character Chinese text is made of (see _SYMBOLS, _common_ideograph)."""
    return _SYMBOLS.match(c) is not None or ("\u4e00" <= c <= "\u9fff" and _common_ideograph(c))


def _looks_textual(text: str) -> bool:
    """Few control or private-use characters: what a wrong decoding of binary data produces."""
    return _not_text_share(text) < _NOT_TEXT_MAX


_NOT_TEXT_MAX = 0.05


def _not_text_share(text: str, sample_chars: int = 20000) -> float:
    """Share of control and private-use characters in (a sample of) ``text``."""
    sample = text[:sample_chars]
    return len(_NOT_TEXT.findall(sample)) / len(sample) if sample else 0.0


def read_file(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> RawFile:
    """Read and decode one document; raises ReadError with a one-line reason."""
    fmt = file_format(path) or "txt"
    try:
        size = os.path.getsize(path)
        if size > max_bytes:
            raise ReadError(f"too large: {size:,} bytes (limit {max_bytes:,}; see --max-size)")
        with open(path, "rb") as f:
            # As many bytes as the file has (read(max_bytes + 1) would allocate, then shrink,
            # 64 MiB a file: a twentieth of the ingest's time); more if it grew since.
            data = f.read(size + 1)
            if len(data) > size:
                data += f.read(max_bytes + 1 - len(data))
    except OSError as e:
        raise ReadError(f"cannot read: {e.strerror or e}") from None
    if len(data) > max_bytes:
        raise ReadError(f"too large: more than {max_bytes:,} bytes (limit; see --max-size)")
    if not data.strip():
        raise ReadError("empty file" if not data else "empty: only whitespace")
    d = decode_bytes(data, fmt)
    if not d.text.strip(" \t\r\n\u3000\u00a0\ufeff"):
        raise ReadError("empty: no text after decoding")
    # Valid UTF-8 (or UTF-16 with a BOM) can still be binary data: control characters are not text.
    # Its first 4,000 characters tell (10 us a file; the whole 20,000-character sample took 2% of ingest).
    share = _not_text_share(d.text, 4000)
    if share >= _NOT_TEXT_MAX:
        raise ReadError(f"binary: {share:.0%} of its characters are control or private-use characters")
    if fmt == "txt" and _sniff_html(d.text):
        fmt = "html"
    return RawFile(
        path=path,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        encoding=d.encoding,
        format=fmt,
        text=d.text,
        warnings=d.warnings,
    )


def _sniff_html(text: str) -> bool:
    head = text[:1024].lstrip().lower()
    return head.startswith(("<!doctype html", "<html"))
