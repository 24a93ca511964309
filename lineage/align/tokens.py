"""Word tokens for diffs: jieba with a policy-term dictionary.

Numbers (years, counts, decimals, percentages) are cut out before jieba sees
the text, so a diff says ``2025`` -> ``2027`` rather than ``202[5->7]``; the
policy-term dictionary (``data/policy_terms.txt``) keeps terms such as
专精特新 or 产学研用金 whole, so they change as words too.

jieba takes most of a second to load its dictionary, so it is loaded on the
first call, never on import: ingest must not pay for it.
"""

from __future__ import annotations

import logging
import marshal
import os
import re
import sys
import tempfile
import threading
from functools import lru_cache
from importlib import resources
from types import ModuleType
from typing import Any

# ASCII runs (5G, 1+N is cut at "+") and numbers with decimals and a percent sign.
_NUMBER = re.compile(r"[A-Za-z0-9]+(?:\.[0-9]+)?[%‰]?")
_lock = threading.Lock()
_tokenizer: Any = None  # a jieba.Tokenizer (jieba has no type stubs)


def _jieba() -> Any:
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                jieba = _import_jieba()
                jieba.setLogLevel(logging.WARNING)
                tk = jieba.Tokenizer()
                if not _load_cache(tk, jieba):
                    tk.initialize()  # builds the cache the next start reads
                with resources.files("lineage").joinpath("data/policy_terms.txt").open(encoding="utf-8") as f:
                    for line in f:
                        parts = line.split()
                        if parts:
                            tk.add_word(parts[0], int(parts[1]) if len(parts) > 1 else None)
                _tokenizer = tk
    return _tokenizer


def _import_jieba() -> ModuleType:
    """Import jieba without pkg_resources.

    jieba only uses setuptools' pkg_resources to find its data files, and
    falls back to plain paths when it is missing; importing it costs 0.1-0.3 s
    of a command that should answer in about one.
    """
    if "jieba" in sys.modules or "pkg_resources" in sys.modules:
        import jieba

        return jieba
    sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # makes `import pkg_resources` fail
    try:
        import jieba
    finally:
        del sys.modules["pkg_resources"]
    return jieba


def _load_cache(tk: Any, jieba: ModuleType) -> bool:
    """Load jieba's prefix dictionary from the cache jieba itself writes, in one read.

    jieba reads that file with ``marshal.load`` on the open file, which here
    costs 0.6 s against 0.2 s for ``marshal.loads`` of its bytes -- most of
    the start-up of every command that shows a diff.  Anything unexpected
    (another dictionary, no cache yet, a damaged file) falls back to jieba's
    own initialize().
    """
    if tk.dictionary != jieba.DEFAULT_DICT or tk.cache_file:
        return False
    path = os.path.join(tk.tmp_dir or tempfile.gettempdir(), "jieba.cache")  # jieba's name for it
    try:
        with open(path, "rb") as f:
            freq, total = marshal.loads(f.read())
    except (OSError, ValueError, EOFError, TypeError):
        return False
    if not isinstance(freq, dict) or not freq or not isinstance(total, int):
        return False
    tk.FREQ, tk.total, tk.initialized = freq, total, True
    return True


def warm() -> None:
    """Load jieba now (e.g. in a background thread while other work runs)."""
    _jieba()


def is_number(token: str) -> bool:
    """A number or ASCII word: diffs never cut inside one."""
    return bool(_NUMBER.fullmatch(token))


@lru_cache(maxsize=4096)
def _cut(chunk: str) -> tuple[str, ...]:
    return tuple(_jieba().cut(chunk, HMM=False))


def tokenize(text: str) -> list[str]:
    """Tokens of ``text``; ``"".join(tokenize(text)) == text``.

    Numbers and ASCII words are whole tokens; the rest is cut by jieba
    (without its HMM for unknown words, so an unknown name falls apart into
    characters instead of being glued to a neighbour in one text and not the
    other).
    """
    out: list[str] = []
    pos = 0
    for m in _NUMBER.finditer(text):
        if m.start() > pos:
            out.extend(_cut(text[pos : m.start()]))
        out.append(m.group())
        pos = m.end()
    if pos < len(text):
        out.extend(_cut(text[pos:]))
    return out
