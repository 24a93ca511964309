"""The document model: plain dataclasses that every later stage consumes.

Spans are ``[start, end)`` index ranges into the decoded original file text
(``RawFile.text``: BOM stripped, no newline translation), so that
``text[start:end]`` is exactly the passage a report shows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lineage.ingest.offsets import OffsetMap

Span = tuple[int, int]

UNIT_KINDS = ("heading", "paragraph", "table", "sentence", "clause")
BLOCK_KINDS = frozenset({"heading", "paragraph", "table"})
PARTS = ("wrapper", "notice", "title", "body", "attachment")


@dataclass
class Unit:
    """A heading, paragraph, table block, sentence or clause of a document."""

    id: str  # "p12", "p12.s3", "p12.s3.c2": position-based, stable for the same text
    kind: str  # one of UNIT_KINDS
    level: int  # outline level of headings (1 = top); for other units, the level of their section
    part: str  # one of PARTS: where in the document the unit sits
    span: Span
    text: str  # the original text of the span (markup removed for HTML)
    norm_text: str  # normalized text (see normalize.py): what comparisons use
    parent: str | None = None  # paragraph of a sentence, sentence of a clause
    marker: str | None = None  # outline marker opening a heading/paragraph, e.g. "（一）"
    section: str | None = None  # id of the nearest enclosing heading unit

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "level": self.level,
            "part": self.part,
            "span": list(self.span),
            "text": self.text,
            "norm_text": self.norm_text,
            "parent": self.parent,
            "marker": self.marker,
            "section": self.section,
        }


@dataclass
class Removed:
    """Text set aside as not part of the document (web chrome, news trailers)."""

    kind: str  # breadcrumb, counter, publication, button, footer, contact, pager, share, navigation, greeting, source, recurring, ...
    text: str
    span: Span


@dataclass
class Citation:
    title: str | None  # the cited document's title, without 《》
    doc_number: str | None  # its 文号, e.g. "浙政办发〔2017〕100号"
    span: Span
    issuer: str | None = None  # parsed from "X关于印发…的通知" titles
    plan_title: str | None = None  # the plan inside a "关于印发《…》的通知" notice title
    via: str = "title"  # "title" (《》), "doc_number" (文号 alone), "known" (a well-known name, see catalog)


LEVELS = ("national", "province", "city", "county")  # administrative levels, highest first
LEVEL_RANK = {lvl: i for i, lvl in enumerate(LEVELS)}  # 0 for the highest
# where ingest read a jurisdiction, the most reliable first: the issuing bodies, the title, the place a
# news lede reports the document from, a guess from the places and level words of the body
# Date kinds that are facts, not estimates; of those, the ones that say when the document was made (a
# sidecar's date is given by someone who knows, README "--meta": definite for direction, like a signed one).
DEFINITE_DATES = ("signed", "published", "given")
MADE_DATES = ("signed", "given")
JURISDICTION_SOURCE_RANK = {"issuers": 0, "title": 1, "lede": 2, "body": 3}
PLACE_SUFFIXES = "省市县区州盟旗"  # what a jurisdiction's name ends with, and the level words (全省, 市级) are made of


def province_key(j: Jurisdiction | dict[str, Any] | None) -> str | None:
    """What filters and counts group a document by: "national" for the centre, else its short province
    name (浙江), None when unknown.  Takes a Jurisdiction or its JSON form."""
    if j is None:
        return None
    level, province = (j.get("level"), j.get("province")) if isinstance(j, dict) else (j.level, j.province)
    if level == "national":
        return "national"
    return province or None


@dataclass
class Jurisdiction:
    name: str  # "绍兴市", "浙江省", "全国"
    level: str  # national | province | city | county
    province: str | None  # short province name, "浙江"
    code: str | None  # GB/T 2260 code where known
    source: str  # issuers | title | body


@dataclass
class OutlineEntry:
    unit: str
    marker: str
    level: int
    title: str


@dataclass
class Document:
    path: str
    sha256: str
    size: int
    encoding: str
    format: str  # txt | html
    title: str | None = None
    title_source: str | None = None  # title line | notice | lede | html title | given
    date: str | None = None  # ISO date (or year for estimates; a given date may be a year or month)
    date_kind: str | None = None  # signed | published | estimated | given (see DEFINITE_DATES)
    date_range: tuple[str, str] | None = None  # bounds behind an estimate
    issuers: list[str] = field(default_factory=list)
    issuers_source: str | None = None  # notice | lede | given
    doc_number: str | None = None
    citations: list[Citation] = field(default_factory=list)
    jurisdiction: Jurisdiction | None = None
    published: dict[str, Any] | None = None  # date/source read from a page's publication line
    parts: list[dict[str, Any]] = field(default_factory=list)  # [{"part", "span"}] in order
    removed: list[Removed] = field(default_factory=list)
    outline: list[OutlineEntry] = field(default_factory=list)
    block_units: list[Unit] = field(default_factory=list, repr=False)  # headings, paragraphs, tables
    counts: dict[str, int] = field(default_factory=dict)  # blocks per kind and part, for summaries
    warnings: list[str] = field(default_factory=list)
    url: str | None = None  # given by a metadata sidecar
    given: dict[str, str] = field(default_factory=dict)  # field -> where it was given ("meta.csv:3", "file name")
    # field -> what the text itself says where a given value contradicts it ({"text", "kind"|"source", "range"})
    superseded: dict[str, dict[str, Any]] = field(default_factory=dict)
    text: str = field(default="", repr=False)  # the decoded original; not serialized by to_dict

    # -- convenience views -------------------------------------------------
    @cached_property
    def units(self) -> list[Unit]:
        """Every unit in document order: blocks, each followed by its sentences and clauses."""
        return expand(self.block_units, self.text, self.format)

    @cached_property
    def sentence_units(self) -> list[Unit]:
        """Blocks and sentences only (cheaper than ``units`` when clauses are not needed)."""
        if "units" in self.__dict__:
            return [u for u in self.units if u.kind != "clause"]
        return expand(self.block_units, self.text, self.format, clauses=False)

    def units_of(self, kind: str, parts: tuple[str, ...] | None = None) -> list[Unit]:
        if kind in BLOCK_KINDS:
            pool = self.block_units
        elif kind == "sentence":
            pool = self.sentence_units
        else:
            pool = self.units
        return [u for u in pool if u.kind == kind and (parts is None or u.part in parts)]

    def blocks(self, parts: tuple[str, ...] | None = ("body",)) -> list[Unit]:
        """Paragraph-level units (headings, paragraphs, tables) in order."""
        return [u for u in self.block_units if parts is None or u.part in parts]

    def body_chars(self) -> int:
        """Normalized characters of the body's blocks: what a share of a document divides by."""
        return sum(len(u.norm_text) for u in self.blocks())

    def body_text(self) -> str:
        """Normalized body text, one block per line (what dedup shingles)."""
        return "\n".join(u.norm_text for u in self.blocks())

    def unit(self, uid: str) -> Unit:
        for u in self.units:
            if u.id == uid:
                return u
        raise KeyError(uid)

    @property
    def name(self) -> str:
        """A short human label: the title, else the file name."""
        import os

        return self.title or os.path.basename(self.path)

    def meta(self) -> dict[str, Any]:
        """The fields other than text and units, as they are (dataclasses inside)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name not in ("text", "block_units")}

    def to_dict(self, units: bool = True) -> dict[str, Any]:
        d = {f.name: _plain(getattr(self, f.name)) for f in fields(self) if f.name not in ("text", "block_units")}
        if units:
            d["units"] = [u.to_dict() for u in self.units]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any], text: str = "") -> Document:
        d = dict(d)
        d["citations"] = [Citation(**{**c, "span": tuple(c["span"])}) for c in d.get("citations", [])]
        d["removed"] = [Removed(**{**r, "span": tuple(r["span"])}) for r in d.get("removed", [])]
        d["outline"] = [OutlineEntry(**o) for o in d.get("outline", [])]
        d["block_units"] = [
            Unit(**{**u, "span": tuple(u["span"])}) for u in d.pop("units", []) if u["kind"] in BLOCK_KINDS
        ]
        if d.get("jurisdiction"):
            d["jurisdiction"] = Jurisdiction(**d["jurisdiction"])
        if d.get("date_range"):
            d["date_range"] = tuple(d["date_range"])
        d["parts"] = [{**p, "span": tuple(p["span"])} for p in d.get("parts", [])]
        return cls(**d, text=text)


def _plain(obj: Any) -> Any:
    """Dataclasses/tuples to JSON-ready dicts/lists."""
    if hasattr(obj, "__dataclass_fields__"):
        return {f.name: _plain(getattr(obj, f.name)) for f in fields(obj)}
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_plain(v) for v in obj]
    return obj


# -- sentence and clause units ----------------------------------------------------


def expand(blocks: list[Unit], source: str, fmt: str, clauses: bool = True) -> list[Unit]:
    """All units: each block followed by its sentences, each sentence by its clauses.

    Derived from a block's normalized text and its span in ``source`` (the
    decoded file), so the result is the same whenever it is computed.
    Sentences are cut on 。！？；, clauses on ，：、, never inside brackets or quotes.
    """
    # imported when needed: the model is the bottom of every import chain (the text tools' stage imports it),
    # and most commands never ask for sentences
    from lineage.ingest.normalize import normalize
    from lineage.ingest.segment import segments, split_sentences

    out: list[Unit] = []
    html = fmt == "html"
    for blk in blocks:
        out.append(blk)
        if blk.kind != "paragraph":
            continue
        s0, e0 = blk.span
        if html:
            from lineage.ingest.htmltext import extract

            h = extract(source[s0:e0])
            frag, fmap = h.text, h.map
            norm, nmap = normalize(frag)
            span = _html_span(nmap, fmap, s0)
            display = _shown(frag, nmap)
        else:
            norm, nmap = normalize(source[s0:e0], offset=s0)
            span = nmap.span
            display = _shown(source, nmap)
        if norm != blk.norm_text:
            raise ValueError(f"block {blk.id}: stored text does not match the source at its span")
        pieces = segments(norm) if clauses else [(se, []) for se in split_sentences(norm)]
        for si, ((i, j), parts) in enumerate(pieces, 1):
            sid = f"{blk.id}.s{si}"
            out.append(
                Unit(
                    sid,
                    "sentence",
                    blk.level,
                    blk.part,
                    span(i, j),
                    display(i, j),
                    norm[i:j],
                    blk.id,
                    None,
                    blk.section,
                )
            )
            if not clauses or len(parts) < 2:
                continue
            for ci, (x, y) in enumerate(parts, 1):
                out.append(
                    Unit(
                        f"{sid}.c{ci}",
                        "clause",
                        blk.level,
                        blk.part,
                        span(x, y),
                        display(x, y),
                        norm[x:y],
                        sid,
                        None,
                        blk.section,
                    )
                )
    return out


def _html_span(nmap: OffsetMap, fmap: OffsetMap, s0: int) -> Callable[[int, int], tuple[int, int]]:
    """Source span of a normalized range of an HTML block: normalization, then extraction, then the block's start."""

    def span(i: int, j: int) -> tuple[int, int]:
        x, y = fmap.span(*nmap.span(i, j))
        return x + s0, y + s0

    return span


def _shown(text: str, nmap: OffsetMap) -> Callable[[int, int], str]:
    """The text (as shown) behind a normalized range: ``text`` is what ``nmap`` maps into."""

    def display(i: int, j: int) -> str:
        return text[slice(*nmap.span(i, j))]

    return display
