"""Render documents to text while tracking the character span of every body
sentence (Python str indices into the text exactly as it will be decoded:
no newline translation).  Width changes are length-preserving, so gold
spans stay valid whatever punctuation width a file uses."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from bench import textops as T
from bench.synth import Doc

INDENTS = {"none": "", "u3000": "\u3000\u3000", "nbsp": "\u00a0" * 4, "spaces": "    ", "tab": "\t", "space2": "  "}


@dataclass
class Style:
    width: str = "full"  # full | half | digits (full-width digits too)
    indent: str = "none"  # key of INDENTS
    blank: bool = False  # blank line between paragraphs
    newline: str = "\n"
    table: str = "cells"  # cells (one cell per line, as scraped) | rows (tab-separated)

    def apply(self, text: str) -> str:
        if self.width == "half":
            return T.to_half(text)
        if self.width == "digits":
            return text.translate(T.TO_FULL_DIGITS)
        return text


def random_style(rng: random.Random, crlf_p: float = 0.15) -> Style:
    return Style(
        width=rng.choice(["full", "full", "half", "half", "digits"]) if rng.random() < 0.9 else "full",
        indent=rng.choice(list(INDENTS)),
        blank=rng.random() < 0.4,
        newline="\r\n" if rng.random() < crlf_p else "\n",
        table=rng.choice(["cells", "rows"]),
    )


@dataclass
class Rendered:
    text: str
    spans: list[tuple[int, int]]  # per Doc.sentences() entry
    header: dict[str, tuple[int, int]] = field(default_factory=dict)


class _Buf:
    def __init__(self, newline: str):
        self.parts: list[str] = []
        self.pos = 0
        self.nl = newline

    def add(self, s: str) -> tuple[int, int]:
        start = self.pos
        self.parts.append(s)
        self.pos += len(s)
        return start, self.pos

    def text(self) -> str:
        return "".join(self.parts)


def render_plain(
    doc: Doc, style: Style, notice: bool | None = None, before: list[str] = (), after: list[str] = ()
) -> Rendered:
    """Header (notice block + title), body with indents/blank lines, tables;
    ``before``/``after`` are extra raw lines (chrome)."""
    b = _Buf(style.newline)
    nl = style.newline
    header: dict[str, tuple[int, int]] = {}
    for line in before:
        b.add(line + nl)
    hl = doc.header_lines(notice)
    for i, line in enumerate(hl):
        span = b.add(style.apply(line))
        if i == len(hl) - 1:
            header["title"] = span
        b.add(nl)
        if style.blank:
            b.add(nl)
    spans: list[tuple[int, int]] = []
    ind = INDENTS[style.indent]
    for k, p in enumerate(doc.paras):
        if style.blank and k:
            b.add(nl)
        if p.table is not None:
            for row in p.table:
                if style.table == "rows":
                    b.add("\t".join(style.apply(c) for c in row) + nl)
                else:
                    for c in row:
                        b.add(style.apply(c) + nl)
            continue
        if not p.heading or style.indent in ("u3000", "space2"):
            b.add(ind)
        for s in p.sents:
            spans.append(b.add(style.apply(s.text)))
        b.add(nl)
    for line in after:
        b.add(line + nl)
    return Rendered(b.text(), spans, header)


ENCODINGS = ["utf-8", "utf-8-sig", "gb18030", "utf-16"]


def encode(text: str, encoding: str) -> bytes:
    """utf-8-sig writes a BOM; utf-16 writes a BOM (little endian)."""
    return text.encode(encoding)


def decode(data: bytes, encoding: str) -> str:
    """Inverse of ``encode``: BOM stripped, no newline translation."""
    if encoding == "utf-8-sig" or (encoding == "utf-8" and data.startswith(b"\xef\xbb\xbf")):
        return data.decode("utf-8-sig")
    return data.decode(encoding)
