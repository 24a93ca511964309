"""The two sides of an alignment: a document cut into the units that are matched whole.

A :class:`Side` holds a document's blocks (paragraphs, headings, tables) and
its **atoms**: the sentences of a paragraph of two or more sentences, and
every other block whole.  Atoms are compared on normalized text, but
matches are reported as spans of the original file, so a side also maps any
stretch of an atom's normalized text back to its span there.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property

from lineage.ingest.htmltext import extract
from lineage.ingest.normalize import fold, normalize
from lineage.ingest.structure import marker_of
from lineage.model import Document, Unit

NGRAM = 4  # characters; 4-grams are specific enough in Chinese and survive one-character edits
ORDERED_PARTS = ("body", "attachment")  # where the order of units means something
# Parts that are not the document's text and are not aligned as reuse: a news lede (``wrapper``) quotes
# the document's own body, so matching it too would count one source sentence twice.
UNALIGNED_PARTS = ("wrapper",)

SpanMap = Callable[[int, int], tuple[int, int]]


def _grams(text: str, n: int = NGRAM) -> set[str]:
    if len(text) < n:
        return {"\x00" + text} if text else set()
    return {text[k : k + n] for k in range(len(text) - n + 1)}


@dataclass
class Atom:
    """A unit aligned as a whole: a sentence of a paragraph, or a heading or table block."""

    i: int  # index in Side.atoms
    unit: Unit  # the sentence, or the block itself when ``whole``
    block: int  # index in Side.blocks
    offset: int  # start of norm inside the block's normalized text
    whole: bool  # the atom is all of its block
    norm: str = field(init=False, repr=False)  # unit.norm_text, read often enough to keep at hand
    aligned: bool = field(init=False, repr=False)  # False in UNALIGNED_PARTS: kept for its place, never matched

    def __post_init__(self) -> None:
        self.norm = self.unit.norm_text
        self.aligned = self.unit.part not in UNALIGNED_PARTS

    @cached_property
    def grams(self) -> frozenset[str]:
        """Character n-grams (computed once: a trace matches one target against many sources)."""
        return frozenset(_grams(self.norm))

    @cached_property
    def content(self) -> str:
        """The normalized text without its outline marker: what similarity is scored on.

        ``（一）`` and ``。`` in common would make any two short headings look alike.
        """
        mk = marker_of(self.norm)
        return self.norm[len(mk[1]) :] if mk and len(mk[1]) < len(self.norm) else self.norm


class Side:
    """A document cut into blocks and atoms, with spans for any stretch of an atom's normalized text."""

    def __init__(self, doc: Document, parts: Iterable[str] | None = None) -> None:
        self.doc = doc
        keep = set(parts) if parts is not None else None
        self.blocks: list[Unit] = [u for u in doc.block_units if keep is None or u.part in keep]
        self.atoms: list[Atom] = []
        self.block_atoms: list[list[int]] = []
        sentences: dict[str, list[Unit]] = defaultdict(list)
        for u in doc.units:
            if u.kind == "sentence" and u.parent is not None:
                sentences[u.parent].append(u)
        for bi, b in enumerate(self.blocks):
            ids = []
            kids = sentences.get(b.id) if b.kind == "paragraph" else None
            if kids and len(kids) > 1:
                off = 0
                for s in kids:
                    ids.append(len(self.atoms))
                    self.atoms.append(Atom(len(self.atoms), s, bi, off, False))
                    off += len(s.norm_text)
            else:
                ids.append(len(self.atoms))
                self.atoms.append(Atom(len(self.atoms), b, bi, 0, True))
            self.block_atoms.append(ids)
        self._maps: dict[int, SpanMap | None] = {}
        self._adjacent: dict[int, bool] = {}

    def __len__(self) -> int:
        return len(self.atoms)

    def block_unit(self, atom: Atom) -> Unit:
        return self.blocks[atom.block]

    def ordered(self, atom: Atom) -> bool:
        return atom.unit.part in ORDERED_PARTS

    def raw(self, atom: Atom) -> str:
        """The atom's text as the file has it (markup removed for HTML)."""
        return atom.unit.text

    def _block_map(self, bi: int) -> SpanMap | None:
        """Original span of a range of a block's normalized text (None for tables: cells are re-joined)."""
        if bi not in self._maps:
            b = self.blocks[bi]
            self._maps[bi] = None if b.kind == "table" else _span_map(self.doc, b)
        return self._maps[bi]

    def span(self, atom: Atom, i: int = 0, j: int | None = None) -> tuple[int, int]:
        """Original-text span of ``atom.norm[i:j]``."""
        n = len(atom.norm)
        j = n if j is None else j
        if i <= 0 and j >= n:
            return atom.unit.span[0], atom.unit.span[1]
        fn = self._block_map(atom.block)
        if fn is None:
            return atom.unit.span[0], atom.unit.span[1]
        return fn(atom.offset + i, atom.offset + j)

    def adjacent(self, a: Atom, b: Atom) -> bool:
        """Whether only whitespace (or markup) lies between two atoms, so one span can cover both truthfully."""
        if a.unit.part != b.unit.part or b.i != a.i + 1:
            return False
        got = self._adjacent.get(a.i)
        if got is None:  # asked for every candidate of every target atom: computed once per pair of atoms
            gap = self.doc.text[a.unit.span[1] : b.unit.span[0]]
            if self.doc.format == "html" and gap:
                gap = extract(gap).text
            got = self._adjacent[a.i] = not fold(gap)
        return got

    def splittable(self, atom: Atom) -> bool:
        """Whether spans inside the atom can be given (not for tables, whose text is cells joined)."""
        return self._block_map(atom.block) is not None


def _span_map(doc: Document, block: Unit) -> SpanMap | None:
    """Map a range of ``block.norm_text`` to its span in ``doc.text`` (as model.expand does)."""
    s0, e0 = block.span
    if doc.format == "html":
        h = extract(doc.text[s0:e0])
        norm, nmap = normalize(h.text)
        fmap = h.map

        def html_span(i: int, j: int) -> tuple[int, int]:
            x, y = fmap.span(*nmap.span(i, j))
            return x + s0, y + s0

        fn = html_span
    else:
        norm, nmap = normalize(doc.text[s0:e0], offset=s0)
        fn = nmap.span
    # cannot differ for a well-formed document; if it did, no span inside the block could be trusted
    return fn if norm == block.norm_text else None
