"""Load the real scraped corpus (``corpus/*.txt``) into clean body structure
with offsets into the raw decoded file, and derive the phrase pools that the
synthesizer recombines.

Raw offsets matter because `derived` may use a real corpus file verbatim as a
source; canonicalisation is length-preserving so each canonical sentence maps
1:1 onto its raw span."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from bench import textops as T

DEFAULT_CORPUS = Path(__file__).resolve().parent.parent / "corpus"

# What we know about the five real documents (keyed by file-name prefix).
# ``group`` identifies the underlying text: 000 and 003 carry the same body.
CORPUS_META = {
    "000": {"jur": "浙江省", "year": 2020, "title": "制造强省建设行动计划", "group": "zj2020"},
    "001": {"jur": "山东省", "year": 2022, "title": "先进制造业强省行动计划（2022—2025年）", "group": "sd2022"},
    "002": {"jur": "绍兴市", "year": 2016, "title": "中国制造2025绍兴实施方案", "group": "sx2016"},
    "003": {"jur": "浙江省", "year": 2020, "title": "制造强省建设行动计划", "group": "zj2020"},
    "004": {"jur": "绍兴市", "year": 2018, "title": "绍兴市加快培育发展新兴产业行动计划", "group": "sx2018"},
}

_CHROME_RE = re.compile(r"(^今天是|^当前位置|^点击[:：]|版权所有|^电话[:：]|ICP备|^政策服务$)")
_DATE_LINE_RE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")
_TRAIL_RE = re.compile(r"(\s*[(（]来源[:：][^)）]*[)）]|\s*\|)+\s*$")
_INDICATOR_RE = re.compile(r"^[^“]{4,}(率|比重|数量|数|幅度|指数|增速)(（[^（）]+）)?﹡?$")
_SUBTITLE_RE = re.compile(r"^（[一二三四五六七八九十]+）(.{2,24})。$")


@dataclass
class CSent:
    text: str  # canonical text
    start: int  # span in the raw decoded file
    end: int


@dataclass
class CPara:
    sents: list[CSent]
    heading: bool


@dataclass
class CorpusDoc:
    key: str  # "000"
    path: Path
    raw: str  # decoded with newline='' (no translation)
    jur: T.Jur
    year: int
    title: str
    group: str
    paras: list[CPara] = field(default_factory=list)
    indicators: list[str] = field(default_factory=list)


@dataclass
class Pools:
    """Phrase pools for synthesis; every item is (text, jur, year, group)."""

    sentences: list[tuple[str, T.Jur, int, str]]
    paragraphs: list[tuple[list[str], T.Jur, int, str]]
    clauses: list[tuple[str, T.Jur, int, str]]
    sections: list[str]  # top-level section titles (总体要求 ...)
    subtitles: list[str]  # subsection titles (提高制造业创新能力 ...)
    intros: list[tuple[str, T.Jur, int, str]]
    indicators: list[str]


def _lines(raw: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for line in raw.split("\n"):
        out.append((pos, line.rstrip("\r")))
        pos += len(line) + 1
    return out


def _body_start(lines: list[tuple[int, str]]) -> tuple[int, str | None]:
    """Index of the first body line (after news lede / chrome / notice)."""
    start = 0
    for i, (_, line) in enumerate(lines):
        if "全文如下" in line:
            start = i + 1
            break
    else:
        for i, (_, line) in enumerate(lines[:15]):
            if re.match(r"^点击[:：]", line.strip()):
                start = i + 1
    window = [ln.strip() for _, ln in lines[start : start + 14]]
    if any("印发给你们" in ln for ln in window):
        for j, ln in enumerate(window):
            if _DATE_LINE_RE.match(ln):
                return start + j + 2, window[j + 1] if j + 1 < len(window) else None
    return start, None


def _is_table_run(texts: list[str]) -> bool:
    return len(texts) >= 8 and sum(1 for t in texts if "。" not in t and len(t) < 45) >= 0.9 * len(texts)


def parse_corpus_file(path: Path) -> CorpusDoc:
    raw = path.read_bytes().decode("utf-8-sig")
    key = path.name[:3]
    meta = CORPUS_META.get(key, {"jur": "浙江省", "year": 2020, "title": path.stem, "group": path.stem})
    doc = CorpusDoc(key, path, raw, T.jur(meta["jur"]), meta["year"], meta["title"], meta["group"])
    lines = _lines(raw)
    start, _ = _body_start(lines)
    body: list[tuple[int, str]] = []
    for pos, line in lines[start:]:
        stripped = line.strip(T.WHITESPACE)
        if not stripped:
            continue
        if _CHROME_RE.search(stripped):
            if "版权所有" in stripped:
                break
            continue
        lead = len(line) - len(line.lstrip(T.WHITESPACE))
        m = _TRAIL_RE.search(stripped)
        if m:
            stripped = stripped[: m.start()]
        body.append((pos + lead, stripped))
    # Drop flattened tables (runs of short cell lines), keeping indicator names.
    i, keep = 0, []
    while i < len(body):
        j = i
        while j < len(body) and "。" not in body[j][1] and len(body[j][1]) < 45:
            j += 1
        if _is_table_run([t for _, t in body[i:j]]):
            doc.indicators += [T.canonical(t) for _, t in body[i:j] if _INDICATOR_RE.search(T.canonical(t))]
            i = j
            continue
        keep.append(body[i])
        i += 1
    for pos, text in keep:
        canon = T.canonical(text)
        spans = T.split_sentences(canon)
        sents = [CSent(canon[s:e], pos + s, pos + e) for s, e in spans]
        heading = not any(ch in canon for ch in T.SENT_END) and len(canon) <= 40
        doc.paras.append(CPara(sents, heading))
    return doc


@lru_cache(maxsize=4)
def load_corpus(corpus_dir: str | None = None) -> tuple[CorpusDoc, ...]:
    d = Path(corpus_dir) if corpus_dir else DEFAULT_CORPUS
    files = sorted(d.glob("*.txt"))
    if not files:
        raise FileNotFoundError(f"no corpus .txt files in {d}")
    return tuple(parse_corpus_file(f) for f in files)


_BUILTIN_SECTIONS = [
    "总体要求",
    "重点领域",
    "主要任务",
    "保障措施",
    "发展目标",
    "重点任务",
    "重大工程",
    "工作举措",
    "组织实施",
    "政策措施",
    "发展重点",
    "实施路径",
]
_BUILTIN_SUBTITLES = [
    "加强组织领导",
    "强化政策支持",
    "加大金融支持力度",
    "强化人才支撑",
    "营造良好氛围",
    "健全工作机制",
    "强化要素保障",
    "加强督查考核",
    "优化营商环境",
    "强化项目推进",
    "推动数字化转型",
    "培育优质企业",
    "建设产业平台",
    "推进绿色低碳发展",
    "深化开放合作",
]


def _balanced(c: str) -> bool:
    """Clauses with a dangling bracket/quote (（责任单位 ...) read badly when recombined."""
    return (
        c.count("（") == c.count("）")
        and c.count("“") == c.count("”")
        and c.count("《") == c.count("》")
        and not c.startswith(("责任", "重点领域", "主要目标"))
    )


@lru_cache(maxsize=64)
def build_pools(corpus_dir: str | None = None, groups: tuple[str, ...] | None = None) -> Pools:
    """Pools from the whole corpus, or only from the given text groups."""
    docs = [d for d in load_corpus(corpus_dir) if groups is None or d.group in groups]
    seen_s: set[str] = set()
    seen_c: set[str] = set()
    sentences, paragraphs, clauses, intros = [], [], [], []
    sections, subtitles, indicators = list(_BUILTIN_SECTIONS), list(_BUILTIN_SUBTITLES), []
    for d in docs:
        indicators += d.indicators
        first_body = True
        for p in d.paras:
            texts = [s.text for s in p.sents]
            if p.heading:
                t = texts[0] if texts else ""
                m = re.match(r"^[一二三四五六七八九十]+、(.+)$", t)
                if m and len(m.group(1)) <= 14:
                    sections.append(m.group(1))
                m = re.match(r"^（[一二三四五六七八九十]+）(.+)$", t)
                if m and len(m.group(1)) <= 16:
                    subtitles.append(m.group(1))
                continue
            if first_body:
                first_body = False
                if texts and texts[0].startswith("为") and texts[0] not in seen_s:
                    intros.append((texts[0], d.jur, d.year, d.group))
            m = _SUBTITLE_RE.match(texts[0]) if texts else None
            if m:
                subtitles.append(m.group(1))
            body = [t for t in texts if len(t) >= 8 and not _SUBTITLE_RE.match(t)]
            body = [T.strip_outline(t) if T.OUTLINE_RE.match(t) and "。" in t[:20] else t for t in body]
            if len(body) >= 2 and (d.group, body[0]) not in seen_c:
                paragraphs.append((body, d.jur, d.year, d.group))
                seen_c.add((d.group, body[0]))
            for t in body:
                if t not in seen_s:
                    seen_s.add(t)
                    sentences.append((t, d.jur, d.year, d.group))
                    for cs, ce in T.clause_spans(t):
                        c = t[cs:ce].strip()
                        c = T.strip_outline(c)
                        if 4 <= len(c) <= 30 and c not in seen_c and _balanced(c):
                            seen_c.add(c)
                            clauses.append((c, d.jur, d.year, d.group))
    dedup = lambda xs: list(dict.fromkeys(xs))  # noqa: E731 - keep first-seen order
    return Pools(
        sentences,
        paragraphs,
        clauses,
        dedup(sections),
        dedup(subtitles),
        intros,
        dedup(indicators) or ["规上工业增加值年均增速（%）"],
    )


def pools_for(corpus_dir: str | None, groups: tuple[str, ...]) -> Pools:
    return build_pools(corpus_dir, tuple(sorted(groups)))
