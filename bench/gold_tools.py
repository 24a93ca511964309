"""Helpers for consumers of the generated benchmarks: load gold.json and read
a file's text exactly the way the gold spans were computed.

Span convention (all kinds): ``[start, end)`` Python ``str`` indices into the
file's text **decoded with the file's encoding as recorded in gold, BOM
stripped, and no newline translation** (equivalent to
``open(path, encoding=enc, newline='')`` with ``utf-8-sig`` for a UTF-8 BOM;
``utf-16`` strips its BOM itself).  CRLF files therefore count ``\\r``."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path

from bench import textops as _T

# re-exported so scorers can compare spans the same way the tests do
fold = _T.fold
bare = _T.bare


def load_gold(out_dir: str | Path) -> dict:
    """Parsed ``out_dir/gold.json``."""
    with open(Path(out_dir) / "gold.json", encoding="utf-8") as f:
        return json.load(f)


def decode_bytes(data: bytes, encoding: str) -> str:
    """Decode like the generator did: BOM stripped, no newline translation."""
    enc = encoding.lower()
    if enc in ("utf-8", "utf8", "utf-8-sig"):
        return data.decode("utf-8-sig")
    if enc in ("utf-16", "utf16"):
        return data.decode("utf-16")  # uses and strips the BOM
    return data.decode(encoding)


def read_text(path: str | Path, encoding: str = "utf-8") -> str:
    """The decoded text that gold spans index into."""
    return decode_bytes(Path(path).read_bytes(), encoding)


def span_text(text: str, span) -> str:
    s, e = span
    return text[s:e]


def file_index(gold: dict) -> dict[str, dict]:
    """file path (relative to the output dir) -> gold record, for kinds that
    list files (scraped, lineage, trace)."""
    return {f["file"]: f for f in gold.get("files", [])}


def derived_pair_texts(out_dir: str | Path, pair: dict) -> dict[str, str]:
    """{'target': text, 'A': text, 'B': text} for one `derived` pair record."""
    out_dir = Path(out_dir)
    texts = {"target": read_text(out_dir / pair["target"]["file"], pair["target"]["encoding"])}
    for k, s in pair["sources"].items():
        texts[k] = read_text(out_dir / s["file"], s["encoding"])
    return texts


def trace_texts(out_dir: str | Path, gold: dict) -> tuple[str, dict[str, str]]:
    """(target text, {corpus file: text}) for files referenced by `trace` gold."""
    out_dir = Path(out_dir)
    idx = file_index(gold)
    t = gold["target"]
    target = read_text(out_dir / t["file"], t["encoding"])
    files = {ref["file"] for s in t["sentences"] for ref in s["src"]}
    files |= {d["file"] for d in t["deleted"]}
    return target, {f: read_text(out_dir / f, idx[f]["encoding"]) for f in sorted(files)}


def reachable(links: Mapping[str, Iterable[str]], node: str) -> set[str]:
    """Every node reached from ``node`` through ``links`` (node -> its parents: its ancestors; node -> its
    children: its descendants), ``node`` itself only through a cycle."""
    seen: set[str] = set()
    todo = list(links.get(node, ()))
    while todo:
        x = todo.pop()
        if x not in seen:
            seen.add(x)
            todo += links.get(x, ())
    return seen
