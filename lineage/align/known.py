"""Passages of well-known national texts that plans quote without saying so.

When two documents share one of these passages, both most likely draw on
the national text rather than on each other (``common_source``).  A small
curated catalog: each passage is quoted from the published text named by
its ``doc_number`` (国务院关于印发《中国制造2025》的通知, 国发〔2015〕28号:
基本方针, 基本原则, 指导思想, 战略任务 "强化工业基础能力" and 重点领域).
Passages are compared without punctuation, so a plan's 、 for the
original's ， or 。 still matches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cydifflib import SequenceMatcher

from lineage.ingest.normalize import fold
from lineage.model import Document
from lineage.store import display_text

MIN_RUN = 12  # characters of a known passage a shared passage must contain ...
MIN_SHARE = 0.8  # ... or this share of a shorter shared passage must be known text

_PUNCT = re.compile(r"[\s,.:;!?()、。，：；！？（）“”‘’《》〔〕\[\]【】—\-…·\"']")


@dataclass(frozen=True)
class KnownText:
    title: str
    doc_number: str | None
    issuer: str
    date: str
    level: str
    passages: tuple[tuple[str, str], ...]  # (name, text)


KNOWN_TEXTS: tuple[KnownText, ...] = (
    KnownText(
        "中国制造2025",
        "国发〔2015〕28号",
        "国务院",
        "2015-05-08",
        "national",
        (
            ("四基", "核心基础零部件（元器件）、先进基础工艺、关键基础材料和产业技术基础"),
            ("基本方针", "创新驱动、质量为先、绿色发展、结构优化、人才为本"),
            ("基本原则", "市场主导，政府引导。立足当前，着眼长远。整体推进，重点突破。自主发展，开放合作"),
            (
                "指导思想",
                "以促进制造业创新发展为主题，以提质增效为中心，以加快新一代信息技术与制造业深度融合为主线，"
                "以推进智能制造为主攻方向",
            ),
            (
                "十大重点领域",
                "新一代信息技术产业、高档数控机床和机器人、航空航天装备、海洋工程装备及高技术船舶、先进轨道交通装备、"
                "节能与新能源汽车、电力装备、农机装备、新材料、生物医药及高性能医疗器械",
            ),
            (
                "五大工程",
                "制造业创新中心（工业技术研究基地）建设工程、智能制造工程、工业强基工程、绿色制造工程、高端装备创新工程",
            ),
        ),
    ),
)


def bare(text: str) -> str:
    return _PUNCT.sub("", fold(text))


_BARE = [(k, name, bare(text)) for k in KNOWN_TEXTS for name, text in k.passages]
_GRAMS = frozenset(kb[i : i + 4] for _, _, kb in _BARE for i in range(len(kb) - 3))


def known_source(text: str) -> tuple[KnownText, str] | None:
    """The known text (and passage name) a shared passage quotes, if any."""
    b = bare(text)
    if len(b) < 8 or not any(b[i : i + 4] in _GRAMS for i in range(len(b) - 3)):
        return None
    for k, name, kb in _BARE:
        run = SequenceMatcher(None, b, kb, autojunk=False).find_longest_match(0, len(b), 0, len(kb)).size
        if run >= MIN_RUN or run >= MIN_SHARE * len(b):
            return k, name
    return None


def known_in(doc: Document, span: tuple[int, int]) -> tuple[KnownText, str] | None:
    """The known text (and passage name) the document's text at ``span`` quotes: one rule for the graph's
    passages and the aligner's matches."""
    frag = doc.text[span[0] : span[1]]
    return known_source(display_text(frag) if doc.format == "html" else fold(frag))
