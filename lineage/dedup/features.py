"""What dedup needs of each document, computed once at ingest and cached in the store.

``derive`` runs in the ingest worker right after a document is parsed (see
``lineage.ingest.pipeline.ingest_paths(derive=...)``), so a large batch never loads
its documents again: the body text dedup compares (normalized, whitespace
removed, compressed), its MinHash signatures, and the few metadata fields the
canonical-copy rule and the revision-family rule (``dedup_family``) look at.
"""

from __future__ import annotations

import hashlib
import json
import struct
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from lineage.dedup import minhash
from lineage.dedup.verify import TERMINAL
from lineage.ingest.metadata import LEVEL_WORDS, doc_number_key
from lineage.ingest.normalize import fold
from lineage.ingest.parse import Parsed
from lineage.model import Document
from lineage.store import compress, decompress

# Bump when the text, shingles or signatures change: cached features are then recomputed.
FEATURES_VERSION = "8"
# One cache row per document: header JSON, signatures, compressed comparison text.  One
# row rather than two because inserting rows is what the ingest's main process pays for.
CACHE_KIND = "dedup"
# Prefix windows (in characters of comparison text) that get a signature of
# their own, so that a copy which stops early still shares a band with the
# full text: two copies agree on their first 1,000 characters even when one
# is half as long.
WINDOWS = (1000, 3000)
# A body shorter than this is probably a page the parser could not read well:
# compare everything it kept instead.
MIN_BODY = 50
# Stand-alone lines at most this long, without sentence punctuation: table
# cells, headings, a line the chrome remover may take from one copy only.
SHORT_LINE = 16

REMOVED_LINE = 200


def _strip(norm: str) -> str:
    """Normalized text without spaces and table cell separators.

    Normalized text keeps no whitespace but single spaces between ASCII
    letters or digits, so two replaces do what a regex would, faster.
    """
    return norm.replace(" ", "").replace("|", "")


# (part, kind, normalized text) of a document's blocks: from its block units, or from the
# paragraphs of a sketch (lineage.ingest.parse.Parsed.blocks), which give the same.
Blocks = list[tuple[str, str, str]]


def blocks_of(doc: Document) -> Blocks:
    return [(u.part, u.kind, u.norm_text) for u in doc.block_units]


def comparison_text(blocks: Blocks) -> tuple[str, bool]:
    """The body as dedup compares it, and whether it fell back to all parts.

    Normalized block texts (width folded) joined with whitespace and table
    cell separators removed: paragraph breaks, hard wraps, indents and the
    way a table was laid out are formatting, not content.
    """
    body = _strip("".join(norm for part, _, norm in blocks if part == "body"))
    if len(body) >= MIN_BODY:
        return body, False
    everything = _strip("".join(norm for _, _, norm in blocks))
    if len(everything) > len(body):
        return everything, True
    return body, False


def short_lines(doc: Document, blocks: Blocks) -> list[str]:
    """Lines one copy may have and another lack without the text changing.

    Short stand-alone lines and table cells without sentence punctuation (see
    SHORT_LINE), and the lines the parser removed as page chrome: the chrome
    remover learns site furniture from recurrence, and a line (a table's
    header cell, a short paragraph that ends many documents) can be removed
    from one copy and kept in another, depending on how the page broke it
    into lines.
    """
    out = set()
    for _, kind, norm in blocks:
        if kind == "table":
            cells = norm.split(" | ")
        elif len(norm) <= 2 * SHORT_LINE:  # longer ones cannot shrink to a short line
            cells = [norm]
        else:
            continue
        for cell in cells:
            t = _strip(cell)
            if 2 <= len(t) <= SHORT_LINE and t[-1] not in TERMINAL:
                out.add(t)
    for r in doc.removed:
        t = _strip(fold(r.text))
        if 2 <= len(t) <= REMOVED_LINE:
            out.add(t)
    return sorted(out)


LEVELS = tuple(LEVEL_WORDS)  # province, city, county


def level_words(text: str) -> list[int]:
    """How often a body uses each level's own words (全省, 我省, 省政府…; in LEVELS order): a
    localized adaptation swaps them (全省 -> 全市), a revision keeps them."""
    return [len(LEVEL_WORDS[level].findall(text)) for level in LEVELS]


@dataclass
class Features:
    """One document's dedup features (everything but the text itself)."""

    sha: str
    length: int  # characters of comparison text
    text_hash: str  # blake2b of the comparison text: equal texts are one body class
    fallback: bool  # the body was too short; the whole text is compared
    title: str | None
    date: str | None
    date_kind: str | None
    format: str
    encoding: str
    notice: bool  # the issuing notice was found
    warnings: int
    issuers: list[str] = field(default_factory=list)
    jurisdiction: str | None = None  # its name (南京市), as ingest found it
    jurisdiction_level: str | None = None  # national | province | city | county
    jurisdiction_source: str | None = None  # issuers | title | body
    level_words: list[int] = field(default_factory=list)  # see level_words()
    doc_number: str | None = None  # its own 文号 as its notice or title block gives it (doc_number_key form)
    shorts: list[str] = field(default_factory=list)
    windows: list[int] = field(
        default_factory=list
    )  # window size of each signature row after the first (0 = full text)
    layout: list[str] = field(default_factory=list)  # see layout()
    sigs: np.ndarray = field(default_factory=lambda: np.empty((0, minhash.NUM_PERM), dtype=np.uint32), repr=False)

    def header(self) -> dict[str, Any]:
        return {
            "v": FEATURES_VERSION,
            "length": self.length,
            "text_hash": self.text_hash,
            "fallback": self.fallback,
            "title": self.title,
            "date": self.date,
            "date_kind": self.date_kind,
            "format": self.format,
            "encoding": self.encoding,
            "notice": self.notice,
            "warnings": self.warnings,
            "shorts": self.shorts,
            "windows": self.windows,
            "issuers": self.issuers,
            "jurisdiction": self.jurisdiction,
            "jurisdiction_level": self.jurisdiction_level,
            "jurisdiction_source": self.jurisdiction_source,
            "level_words": self.level_words,
            "doc_number": self.doc_number,
            "layout": self.layout,
        }


def compute(doc: Document, blocks: Blocks | None = None) -> tuple[Features, str]:
    """Features and comparison text of a parsed document (``blocks``: see Blocks; by default its block units')."""
    blocks = blocks_of(doc) if blocks is None else blocks
    text, fallback = comparison_text(blocks)
    sigs, windows = signatures(text)
    f = Features(
        sha=doc.sha256,
        length=len(text),
        text_hash=hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest(),
        fallback=fallback,
        title=doc.title,
        date=doc.date,
        date_kind=doc.date_kind,
        format=doc.format,
        encoding=doc.encoding,
        notice=any(part == "notice" for part, _, _ in blocks),
        warnings=len(doc.warnings),
        shorts=short_lines(doc, blocks),
        windows=windows,
        sigs=sigs,
        issuers=list(doc.issuers),
        jurisdiction=doc.jurisdiction.name if doc.jurisdiction else None,
        jurisdiction_level=doc.jurisdiction.level if doc.jurisdiction else None,
        jurisdiction_source=doc.jurisdiction.source if doc.jurisdiction else None,
        level_words=level_words(text),
        doc_number=doc_number_key(doc.doc_number),
        layout=layout(doc),
    )
    return f, text


_HALF = ",;:()!?"
_FULL = "，；：（）！？"


def layout(doc: Document) -> list[str]:
    """How a copy's file is laid out, apart from its words: what tells two copies of one text apart in a
    version's list of copies (``chrome:<kind>`` for each kind of page chrome set aside, ``halfwidth``
    punctuation, ``wrapped`` lines re-joined, ``crlf`` line ends)."""
    out = [f"chrome:{k}" for k in sorted({r.kind for r in doc.removed})]
    text = doc.text
    if sum(text.count(c) for c in _HALF) > sum(text.count(c) for c in _FULL):
        out.append("halfwidth")
    if any(w.startswith("hard-wrapped") for w in doc.warnings):
        out.append("wrapped")
    if "\r\n" in text:
        out.append("crlf")
    return out


def signatures(text: str) -> tuple[np.ndarray, list[int]]:
    """MinHash signatures of the whole text and of its prefix windows (rows), and each row's window (0 = all)."""
    h = minhash.shingle_hashes(minhash.codepoints(text))
    rows = [minhash.signature_of_hashes(h)]
    windows = [0]
    for w in WINDOWS:
        if len(text) > w * 1.15:
            rows.append(minhash.signature_of_hashes(h[: max(1, w - minhash.SHINGLE + 1)]))
            windows.append(w)
    return np.stack(rows), windows


def derive(parsed: Parsed) -> dict[str, bytes]:
    """Ingest hook: the cache entry dedup reads (run in the ingest worker; a sketch is enough)."""
    f, text = compute(parsed.doc, parsed.blocks())
    return {CACHE_KIND: pack(f, text)}


def pack(f: Features, text: str) -> bytes:
    head = json.dumps(f.header(), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    sig = np.ascontiguousarray(f.sigs, dtype="<u4").tobytes()
    return struct.pack("<II", len(head), len(sig)) + head + sig + pack_text(text)


def unpack(sha: str, blob: bytes) -> tuple[Features, bytes] | None:
    """Features and compressed text from a cache entry, or None if another version made it."""
    n, m = struct.unpack_from("<II", blob)
    head = json.loads(blob[8 : 8 + n].decode("utf-8"))
    if head.pop("v", None) != FEATURES_VERSION:
        return None
    sigs = np.frombuffer(blob, dtype="<u4", offset=8 + n, count=m // 4).reshape(-1, minhash.NUM_PERM)
    return Features(sha=sha, sigs=sigs.astype(np.uint32), **head), blob[8 + n + m :]


def pack_text(text: str) -> bytes:
    # UTF-16: Chinese text is two bytes a character instead of three, so it
    # compresses and decodes faster and comes out smaller.
    return compress(text.encode("utf-16-le"))


def unpack_text(blob: bytes) -> str:
    return decompress(blob).decode("utf-16-le")
