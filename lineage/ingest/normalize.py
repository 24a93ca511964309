"""Text normalization for comparison, with an offset map back to the source.

The rules are per character (so that normalizing any slice of a text gives
the matching slice of the normalized text, which is what makes spans
truthful):

* NFKC compatibility folding: full-width letters, digits and punctuation
  become their half-width forms (``，（）：；`` -> ``,():;``).  Circled
  numbers are kept, because ``①`` is an outline marker that ``1`` is not.
* Whitespace of every kind (ASCII, U+3000 ideographic space, NBSP, line
  breaks) is dropped, except a single space kept between two ASCII letters or
  digits so that ``Industry 4.0`` does not become ``Industry4.0``.  A run
  holding a line break is dropped even there: in Chinese text a break inside
  a paragraph is a hard wrap, not a word space (``I\nP`` is ``IP``).
* Zero-width characters and BOMs are dropped.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from lineage.ingest.offsets import OffsetMap

# Outline markers NFKC would flatten into plain digits.
_KEEP = set(range(0x2460, 0x2474)) | set(range(0x2776, 0x2794))
# Curly quotes stay: they tell an opening quote from a closing one, which
# sentence and clause splitting need.
_EXTRA = {
    "\u2236": ":",  # RATIO, used as a colon by some editors
    "\u2027": "\u00b7",
    "\u30fb": "\u00b7",
    "\uff65": "\u00b7",
}
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_WS = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff\u00ad]+")
_WS_SPLIT = re.compile(r"([\s\u200b\u200c\u200d\u2060\ufeff\u00ad]+)")
_BREAKS = frozenset("\n\r\u2028\u2029\x0b\x0c\x85\x1c\x1d\x1e")
_ASCII_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[int, str | None], re.Pattern[str]]:
    """Fold table (code point -> replacement, None to drop it), and a pattern matching expanding chars."""
    table: dict[int, str | None] = {}
    expanding = []
    ranges = [(0x00A0, 0x3400), (0xF900, 0x10000)]
    for lo, hi in ranges:
        for cp in range(lo, hi):
            if cp in _KEEP or 0xD800 <= cp < 0xE000:
                continue
            c = chr(cp)
            if c.isspace():
                continue
            n = unicodedata.normalize("NFKC", c)
            if n != c:
                n = "".join(_EXTRA.get(x, x) for x in n)
                table[cp] = n
                if len(n) != 1:
                    expanding.append(c)
    for k, v in _EXTRA.items():
        table[ord(k)] = v
    table.update({ord(c): None for c in _ZERO_WIDTH})
    pat = re.compile("[" + re.escape("".join(expanding)) + "]") if expanding else re.compile(r"(?!)")
    return table, pat


@lru_cache(maxsize=1)
def _folder() -> Callable[[str], str]:
    """A function folding the characters that need it.

    A regex substitution that only visits those characters is several times
    faster than str.translate, which pays for a failed lookup on every
    character it leaves alone (most of Chinese text).
    """
    table, _ = _tables()
    chars = "".join(re.escape(chr(c)) for c in sorted(table) if table[c] is not None)
    pat = re.compile("[" + chars + "]")
    lookup = {chr(c): v for c, v in table.items() if v is not None}
    repl = lookup.__getitem__
    # The full-width punctuation of Chinese text (98% of what folds, ，alone two thirds) is
    # replaced by str.replace first: one C pass each instead of a Python call per character.
    common = [(c, lookup[c]) for c in "，（）：；" if c in lookup]

    def fold_chars(s: str) -> str:
        for c, r in common:
            if c in s:
                s = s.replace(c, r)
        return pat.sub(lambda m: repl(m.group()), s)

    return fold_chars


def fold(text: str) -> str:
    """Normalize ``text`` for comparison (no offset map; fast)."""
    return fold_spaces(_folder()(text))


def fold_chars_only(text: str) -> str:
    """Character folding without the whitespace rules (may change the length)."""
    return _folder()(text)


def fold_spaces(folded: str) -> str:
    """The whitespace rules of :func:`fold`, on text whose characters are already folded."""
    parts = _WS_SPLIT.split(folded)
    if len(parts) == 1:
        return folded
    if len(parts) == 3 and not (parts[0] and parts[2]):
        return parts[0] or parts[2]  # whitespace at one end only (an indent): nothing to keep
    return _join_parts(parts)


def _join_parts(parts: list[str]) -> str:
    """Texts split by _WS_SPLIT (even: text, odd: whitespace) joined by the whitespace rules."""
    out: list[str] = []
    space_ok = True
    for k, part in enumerate(parts):
        if k % 2:
            space_ok = space_ok and not any(c in _BREAKS for c in part)
            continue
        if not part:
            continue
        if out and space_ok and out[-1][-1] in _ASCII_ALNUM and part[0] in _ASCII_ALNUM:
            out.append(" ")
        out.append(part)
        space_ok = True
    return "".join(out)


def expands(text: str) -> bool:
    """Does a character of ``text`` fold into more than one (so that folding changes its length)?"""
    return _tables()[1].search(text) is not None


def fold_table() -> dict[int, str | None]:
    """Code point -> its normalized form (None: dropped), for characters that change."""
    return _tables()[0]


def fold_char(c: str) -> str:
    """Normalized form of one non-space character."""
    return _folder()(c)


def normalize(text: str, offset: int = 0) -> tuple[str, OffsetMap]:
    """Normalize ``text``; the map sends normalized indices to ``offset + i`` in ``text``.

    ``normalize(text)[0] == fold(text)`` always holds.
    """
    table, _ = _tables()
    fold_chars = _folder()
    out: list[str] = []
    m = OffsetMap()
    pos = 0  # length of normalized output so far
    prev_last = " "
    run_start = 0
    n = len(text)
    runs = []
    for ws in _WS.finditer(text):
        if ws.start() > run_start:
            runs.append((run_start, ws.start()))
        run_start = ws.end()
    if run_start < n:
        runs.append((run_start, n))
    prev_end = 0
    for a, b in runs:
        chunk = text[a:b]
        folded = fold_chars(chunk)
        if prev_last in _ASCII_ALNUM and folded[0] in _ASCII_ALNUM and not any(c in _BREAKS for c in text[prev_end:a]):
            # The kept space maps onto the whitespace run it replaces.
            out.append(" ")
            m.add(pos, 1, offset + a - 1, 1)
            pos += 1
        # Folding never shortens a chunk (zero-width characters are split
        # off as whitespace), so equal lengths mean no character expanded.
        if len(folded) == len(chunk):
            out.append(folded)
            m.add(pos, len(folded), offset + a, len(chunk))
            pos += len(folded)
        else:
            for i, c in enumerate(chunk):
                f = table.get(ord(c), c) or ""
                out.append(f)
                m.add(pos, len(f), offset + a + i, 1)
                pos += len(f)
        prev_last = folded[-1]
        prev_end = b
    return "".join(out), m


def is_space(c: str) -> bool:
    return bool(_WS.fullmatch(c))
