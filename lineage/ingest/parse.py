"""One decoded file -> a Document (no store involved).

``parse_with_edges`` runs HTML extraction, the structure analysis and metadata
extraction.  A *sketch* (``full=False``) stops the structure analysis at
paragraphs: it has every metadata field, the removed chrome and the body
dedup compares, but no units, outline or part spans.  ``lineage dedup``
stores sketches; :meth:`lineage.store.Store.load` parses a sketch in full
(:func:`complete`) the first time a command needs its units.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from lineage.ingest import chrome, gazetteer, htmltext, metadata, read, structure
from lineage.ingest.normalize import fold
from lineage.ingest.read import READ_NOTE, RawFile
from lineage.ingest.structure import Structure
from lineage.model import Document

# Bump when parsing changes, so stored documents are parsed again.
PARSER_VERSION = 5
# A sketch is stored under the negative version: a sketch of another parser version is stale too.
SKETCH_VERSION = -PARSER_VERSION
# A line is site furniture once it opens or closes this many different documents.
RECURRING_MIN_DOCS = 3


@dataclass
class Parsed:
    """A parsed document and what ingest learns from it besides."""

    doc: Document
    edge_keys: list[str]  # chrome.line_key of its edge lines (site furniture is learned from them)
    body_key: str  # tells documents apart: copies and revisions of one text share it
    structure: Structure
    text: str  # the text the structure indexes (an HTML page's extracted text)
    full: bool  # False: a sketch (no units, outline or part spans)

    def blocks(self) -> list[tuple[str, str, str]]:
        """(part, kind, normalized text) of each block, in order, from the paragraphs the block units are
        made of (so a sketch has them too); kind is "table" or "paragraph" (headings included)."""
        return [(p.part, p.kind, p.norm(self.text)) for p in self.structure.paragraphs]


def parse(rf: RawFile, recurring: set[str] | frozenset[str] = frozenset()) -> Document:
    """Parse a decoded file into a Document."""
    return parse_with_edges(rf, recurring).doc


def parse_with_edges(rf: RawFile, recurring: set[str] | frozenset[str] = frozenset(), full: bool = True) -> Parsed:
    """Parse, and also find the keys of the document's edge lines and a key of its body.

    The body key tells documents apart (copies and revisions of one text
    share it), so a line only counts as furniture when it recurs around
    different texts.
    """
    html_title = None
    if rf.format == "html":
        h = htmltext.extract(rf.text)
        text, tmap, hchrome, html_title = h.text, h.map, h.chrome, h.title
    else:
        text, tmap, hchrome = rf.text, None, []
    st = structure.analyze(text, tmap, hchrome, recurring, blocks=full)

    def to_src(a: int, b: int) -> tuple[int, int]:
        return tmap.span(a, b) if tmap is not None else (a, b)

    md = metadata.extract(text, to_src, st)
    doc = Document(
        path=rf.path,
        sha256=rf.sha256,
        size=rf.size,
        encoding=rf.encoding,
        format=rf.format,
        title=md.title,
        title_source=md.title_source,
        date=md.date,
        date_kind=md.date_kind,
        date_range=md.date_range,
        issuers=md.issuers,
        doc_number=md.doc_number,
        citations=md.citations,
        jurisdiction=md.jurisdiction,
        published=md.published,
        parts=st.parts,
        removed=st.removed,
        outline=st.outline,
        block_units=st.blocks,
        text=rf.text,
        issuers_source=md.issuers_source,
        warnings=list(md.warnings),
    )
    for u in doc.block_units:
        doc.counts[u.kind] = doc.counts.get(u.kind, 0) + 1
        doc.counts["part:" + u.part] = doc.counts.get("part:" + u.part, 0) + 1
    doc.warnings.extend(rf.warnings)
    if doc.title is None and html_title and html_title[0]:
        doc.title, doc.title_source = _page_title(html_title[0]), "html title"
    body = [p for p in st.paragraphs if p.part == "body"]  # the body's blocks (every paragraph is one)
    if not body:
        doc.warnings.append("no body text found")
    if st.wrap_width:
        doc.warnings.append(f"hard-wrapped at {st.wrap_width} characters; lines re-joined")
    # Lines a rule already removed need no learning; only those still standing count.
    lines = [
        ln.norm
        for i, ln in enumerate(st.lines)
        if i in st.furniture and (ln.kind == "content" or ln.chrome == "recurring")
    ]
    keys = [chrome.line_key(s) for s in chrome.edge_lines(lines)]
    # Copies and revisions of one document share its title; pages of one site
    # that share furniture do not. Without a title, its longest paragraph.
    identity = fold(doc.title) if doc.title else max((p.norm(text) for p in body), key=len, default="")
    return Parsed(doc, keys, hashlib.blake2b(identity.encode("utf-8"), digest_size=8).hexdigest(), st, text, full)


def _page_title(t: str) -> str:
    """A page <title> without the site name tacked on after a separator (a dash inside brackets is the
    title's own: 行动计划（2018—2020年）)."""
    for sep in ("_", " - ", "-", "|", "——", "—"):
        at = _outside_brackets(t, sep)
        if at is not None:
            head = t[:at].strip()
            if len(head) >= 4:
                return head
    return t.strip()


def _outside_brackets(t: str, sep: str) -> int | None:
    """Where ``sep`` first stands in ``t`` outside any bracket, if it does."""
    depth = 0
    for i, c in enumerate(t):
        if c in "(（[【《〔":
            depth += 1
        elif c in ")）]】》〕":
            depth = max(0, depth - 1)
        elif depth == 0 and t.startswith(sep, i):
            return i
    return None


def warm() -> None:
    """Load the tables parsing reads (the divisions, the folding table) in this process, so that
    worker processes forked from it share them instead of each building its own."""
    gazetteer.divisions()
    fold("")
    read.warm()


def reparse(old: Document, furniture: set[str] | frozenset[str], full: bool = True) -> Parsed:
    """Parse a stored document again from its stored text (the file is not read), keeping what reading noted."""
    rf = RawFile(
        old.path,
        old.sha256,
        old.size,
        old.encoding,
        old.format,
        old.text,
        [w for w in old.warnings if w.startswith(READ_NOTE)],
    )
    return parse_with_edges(rf, furniture, full)
