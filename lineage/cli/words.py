"""Words for counts in human output: "1 document", "2 documents"."""

from __future__ import annotations


def plural(n: int, word: str, words: str | None = None) -> str:
    """``n`` and the noun agreeing with it; ``words`` is an irregular plural ("copy", "copies")."""
    return f"{n:,} {word if n == 1 else (words or word + 's')}"
