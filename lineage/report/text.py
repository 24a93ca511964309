"""Cutting a document's original text into the pieces pages show.

Every span from any stage is ``[start, end)`` into the decoded original file
(``Document.text``).  Pages show the *reader's* text of a span: the raw text
for ``.txt`` files, the extracted text (markup dropped, entities decoded) for
HTML, in both cases with line breaks inside a block removed (hard-wrapped
Chinese must not show stray spaces; ASCII words keep one).  Only whitespace
changes, so what is shown is still the original wording and punctuation.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Any

from lineage.model import Document, Unit

# A line break and the indent/blank lines around it.
_BREAK = re.compile(r"[ \t\u3000\u00a0]*(?:\r\n|\r|\n)[\s\u3000\u00a0]*")
_ASCII_WORD = re.compile(r"[A-Za-z0-9]")


def _join_break(m: re.Match[str]) -> str:
    s = m.string
    a, b = m.start(), m.end()
    if a > 0 and b < len(s) and _ASCII_WORD.match(s[a - 1]) and _ASCII_WORD.match(s[b]):
        return " "
    return ""


def tidy(text: str, table: bool = False) -> str:
    """A block's text as one line: line breaks (and indents around them) removed; table cells joined by `` | ``."""
    if table:
        return " | ".join(part for part in (p.strip(" \t\u3000\u00a0") for p in _BREAK.split(text.strip())) if part)
    return _BREAK.sub(_join_break, text)


def raw_slice(doc: Document, start: int, end: int) -> str:
    """What a reader sees of ``doc.text[start:end]`` (markup resolved for HTML), untidied."""
    frag = doc.text[start:end]
    if doc.format == "html" and ("<" in frag or "&" in frag or ">" in frag):
        from lineage.ingest.htmltext import extract

        return extract(frag).text
    return frag


def shown(doc: Document, start: int, end: int, table: bool = False) -> str:
    """The reader's text of a span, on one line."""
    return tidy(raw_slice(doc, start, end), table)


@dataclass
class Piece:
    """A run of shown text; ``ref`` is what it belongs to (a sentence id, a match id) or None."""

    text: str
    ref: Any = None


def cut(doc: Document, span: tuple[int, int], marks: list[tuple[int, int, Any]], table: bool = False) -> list[Piece]:
    """The shown text of ``span`` cut at ``marks`` (``(start, end, ref)``), in order.

    Marks are clipped to ``span``; a mark overlapping the previous one starts
    where that one ends (spans from other stages should not overlap; if they
    do, the page still shows every character once).
    """
    s0, e0 = span
    out: list[Piece] = []
    pos = s0
    for a, b, ref in sorted(marks, key=lambda m: (m[0], m[1])):
        a, b = max(a, s0, pos), min(b, e0)
        if b <= a:
            continue
        if a > pos:
            _add(out, doc, pos, a, None, table)
        _add(out, doc, a, b, ref, table)
        pos = b
    if pos < e0:
        _add(out, doc, pos, e0, None, table)
    # Indents before the first piece and trailing blanks are layout, not text.
    if out:
        out[0].text = out[0].text.lstrip(" \t\u3000\u00a0\r\n")
        out[-1].text = out[-1].text.rstrip(" \t\u3000\u00a0\r\n")
    return [p for p in out if p.text]


def _add(out: list[Piece], doc: Document, a: int, b: int, ref: Any, table: bool) -> None:
    text = tidy(raw_slice(doc, a, b), table)
    if out and out[-1].ref is None and ref is None:
        out[-1].text += text
    else:
        out.append(Piece(text, ref))


def block_and_sentence_units(doc: Document) -> list[Unit]:
    """Blocks and sentences: all the report anchors.

    Clauses are most of the cost of ``Document.units`` (60% of rendering a
    1,000-document report) and pages never anchor them, so a
    ``Document.sentence_units`` view (proposed for the foundation: expand
    without clauses) is used when the model has it, or when ``units`` were
    computed already.
    """
    if "units" not in doc.__dict__ and hasattr(doc, "sentence_units"):
        return list(doc.sentence_units)
    return [u for u in doc.units if u.kind != "clause"]


class UnitIndex:
    """Finds the unit a span of a document belongs to, for links back to the text.

    Anchors exist for blocks (``u-p12``) and sentences (``u-p12.s3``) on the
    document page; clauses resolve to their sentence.
    """

    def __init__(self, doc: Document) -> None:
        units = block_and_sentence_units(doc)
        self.blocks = sorted((u for u in units if u.kind != "sentence"), key=lambda u: u.span)
        self.sentences = sorted((u for u in units if u.kind == "sentence"), key=lambda u: u.span)
        self._bstarts = [u.span[0] for u in self.blocks]
        self._sstarts = [u.span[0] for u in self.sentences]

    @staticmethod
    def _containing(units: list[Unit], starts: list[int], pos: int) -> Unit | None:
        i = bisect.bisect_right(starts, pos) - 1
        if i >= 0 and units[i].span[0] <= pos < units[i].span[1]:
            return units[i]
        return None

    def block_at(self, pos: int) -> Unit | None:
        return self._containing(self.blocks, self._bstarts, pos)

    def unit_for(self, span: tuple[int, int]) -> Unit | None:
        """The sentence holding the span if it fits in one, else its block, else the next block after it."""
        s, e = span
        sent = self._containing(self.sentences, self._sstarts, s)
        if sent is not None and e <= sent.span[1]:
            return sent
        blk = self.block_at(s)
        if blk is not None:
            return blk
        if sent is not None:
            return sent
        i = bisect.bisect_left(self._bstarts, s)
        return self.blocks[i] if i < len(self.blocks) else (self.blocks[-1] if self.blocks else None)

    def anchor(self, span: tuple[int, int]) -> str:
        u = self.unit_for(span)
        return f"u-{u.id}" if u is not None else "text"
