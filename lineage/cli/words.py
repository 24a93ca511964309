"""Counts in words: "1 document", "5 documents"."""

from __future__ import annotations


def plural(n: int, word: str, words: str | None = None) -> str:
    """``n`` and the noun in the right number (``words`` defaults to ``word + "s"``)."""
    return f"{n} {word if n == 1 else (words or word + 's')}"
