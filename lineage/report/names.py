"""Safe, stable file names for report pages.

A page's file name never contains a document's title or raw path: titles are
Chinese, may hold ``/``, quotes, markup or ``{{ }}``, and may repeat across
documents.  A key is an ASCII slug of the file *stem* (lower-case letters,
digits and ``-``, at most :data:`SLUG_MAX` characters) followed by a prefix
of the content hash, which is what makes it unique and stable: the same
bytes get the same key whatever path they were read from.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable

SLUG_MAX = 24
SHA_LEN = 10  # 40 bits: a collision in a 10k-document site has odds of about 1 in 20,000; lengthened if it happens

_NON_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str, limit: int = SLUG_MAX) -> str:
    """ASCII letters and digits of ``text`` joined by ``-`` (accents folded, everything else dropped)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    s = _NON_SLUG.sub("-", ascii_text).strip("-")
    if len(s) > limit:
        s = s[:limit].rstrip("-")
    return s


def stem_slug(path: str) -> str:
    """Slug of a path's file name without its extension."""
    base = os.path.basename(path.rstrip("/\\"))
    stem, _ = os.path.splitext(base)
    return slug(stem)


def doc_keys(docs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Page keys for ``(sha256, path)`` pairs: ``<slug>-<sha prefix>``, unique within the site.

    Deterministic: the prefix is lengthened for every document involved in a
    collision, so the result depends only on the set of documents.
    """
    items = sorted(set(docs))
    n = SHA_LEN
    while True:
        prefixes = [sha[:n] for sha, _ in items]
        if len(set(prefixes)) == len({sha for sha, _ in items}) or n >= 64:
            break
        n += 4
    keys: dict[str, str] = {}
    for sha, path in items:
        if sha in keys:
            continue
        s = stem_slug(path)
        keys[sha] = f"{s}-{sha[:n]}" if s else sha[:n]
    return keys


def anchor_id(text: str) -> str:
    """An HTML id/fragment for an identifier from another stage's JSON (cluster ids, node ids).

    Readable when the identifier is ASCII, and always unique: a short hash of
    the original is appended when slugging changed it.
    """
    import hashlib

    s = slug(text, 40)
    if s == text:
        return s
    h = hashlib.blake2b(text.encode("utf-8"), digest_size=4).hexdigest()
    return f"{s}-{h}" if s else h
