"""Formulaic text: what every plan of the genre says, so sharing it proves nothing.

Two sources of evidence:

* a curated list -- generic headings (``（一）指导思想``, ``加强组织领导``),
  slogans every plan of a period repeats (``以习近平新时代中国特色社会主义思想为指导``),
  responsibility lines (``（责任单位：…）``) and notice boilerplate
  (``请结合实际认真贯彻执行``);
* corpus document frequency -- a sentence found in many documents of the
  corpus (see :class:`lineage.align.index.Index`) is formulaic there, whatever it
  says.  The bar is high (:data:`DF_MIN_DOCS` documents and
  :data:`DF_MIN_SHARE` of the corpus) because a provincial plan's sentences
  legitimately reappear in every city and county plan below it.  Copies and
  revisions of one document (a dedup family: :func:`corpus_formulaic`) count
  as one: ten scraped reprints of a plan do not make its text the genre's.

A text is formulaic when formulaic phrases cover nearly all of it
(punctuation and outline markers aside), so a long paragraph that opens with
a slogan is not, and a clause that is only the slogan is.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from lineage.dedup.result import RESULT_KEY, RESULT_KIND
from lineage.ingest.segment import RESPONSIBILITY_WORDS
from lineage.ingest.structure import marker_of

if TYPE_CHECKING:
    from lineage.align.index import Index
    from lineage.store import Store

# Headings every plan has, compared without their outline marker and punctuation.
GENERIC_HEADINGS: frozenset[str] = frozenset(
    """
总体要求 总体思路 指导思想 基本原则 发展目标 主要目标 总体目标 工作目标 目标任务 战略定位 发展定位 功能定位
重点任务 主要任务 重点领域 重点工作 重点方向 主要内容 实施步骤 实施路径 进度安排 工作要求 工作机制
保障措施 组织保障 政策保障 要素保障 支撑保障 组织实施 组织领导 附则 附件 总则 适用范围
加强组织领导 强化组织领导 健全组织领导 加强统筹协调 强化统筹协调 建立协调机制 健全工作机制
加大政策支持 加大政策支持力度 强化政策支持 强化政策保障 加强政策保障 完善政策体系 加大财政支持 加大财政支持力度
强化要素保障 加强要素保障 强化资金保障 加强人才保障 强化人才支撑 加强人才支撑
营造良好氛围 营造良好环境 加强宣传引导 强化宣传引导 加强舆论宣传 加大宣传力度
强化考核评价 加强考核评价 强化考核评估 加强考核评估 加强督促检查 强化督查考核 加强监测评估 强化监测评价
工作举措 主要举措 重大举措 主要措施 重点措施 政策措施 保障机制 实施保障 工作任务 重点工程 重大工程 重大项目
发展重点 工作重点 重点产业 发展基础 发展现状 现状与形势 面临形势 发展环境 总体思路 发展思路 基本思路
""".split()
)

# Slogans and set phrases; a regex each, matched on normalized text.
SLOGANS: tuple[str, ...] = (
    r"以习近平新时代中国特色社会主义思想为指导",
    r"习近平新时代中国特色社会主义思想",
    r"(深入|全面|认真)?(学习)?贯彻(落实)?党的(十[七八九]|二十)大(和十[七八九]届[一二三四五六七八九十]+中全会|和二十届[一二三四五六七八九十]+中全会)?精神",
    r"(坚持|深入践行|完整准确全面贯彻|贯彻|践行)(创新、协调、绿色、开放、共享的)?新发展理念",
    r"坚持稳中求进工作总基调",
    r"以供给侧结构性改革为主线",
    r"以推动高质量发展为主题",
    r"(加快)?构建新发展格局",
    r"立足新发展阶段",
    r"统筹推进[“\"]?五位一体[”\"]?总体布局",
    r"协调推进[“\"]?四个全面[”\"]?战略布局",
    r"增强[“\"]?四个意识[”\"]?",
    r"坚定[“\"]?四个自信[”\"]?",
    r"做到[“\"]?两个维护[”\"]?",
    r"本(行动)?(计划|方案|意见|办法|规划|细则)自(印发|发布)之日起(施行|实施)",
    r"由[^,。;]{1,20}负责解释",
    r"请(结合实际)?(认真)?(贯彻执行|抓好贯彻落实|遵照执行|贯彻落实)",
    r"现(将|予)?印发给你们",
    r"已经[^,。;]{1,20}同意",
    r"制定本(行动)?(计划|方案|意见|办法|规划|细则)",
    r"特制定本(行动)?(计划|方案|意见|办法|规划|细则)",
    r"结合(我省|我市|我县|我区|本省|本市|本县|本区)?实际",
)
_SLOGAN = re.compile("|".join(f"(?:{s})" for s in SLOGANS))
_RESPONSIBILITY = re.compile(r"^[(]?(" + "|".join(RESPONSIBILITY_WORDS) + r")[:]")
_UNITS_END = re.compile(r"[)）。;；]")
_PUNCT = re.compile(r"[\s,.:;!?()、。，：；！？（）“”‘’《》〔〕\[\]【】—\-…·]")

# A sentence in at least this many documents, and this share of the corpus, is formulaic.
DF_MIN_DOCS = 8
DF_MIN_SHARE = 0.05
# Formulaic phrases must cover this share of a text's characters.
COVER = 0.7
# A text of this many characters or fewer (marker and punctuation aside) is formulaic.
SHORT_CORE = 4


def _strip_marker(norm: str) -> str:
    mk = marker_of(norm)
    return norm[len(mk[1]) :] if mk else norm


def bare(norm: str) -> str:
    """Text without outline marker and punctuation: what formulaic tests compare."""
    return _PUNCT.sub("", _strip_marker(norm))


def is_generic_heading(norm: str) -> bool:
    return bare(norm) in GENERIC_HEADINGS


def responsibility_units(norm: str) -> str | None:
    """The units a responsibility line names (``（责任单位：市发改委、市经信委）`` -> ``市发改委、市经信委``), or None
    for any other text (and for a line whose "units" read as a sentence)."""
    text = _strip_marker(norm)
    m = _RESPONSIBILITY.match(text)
    if m is None:
        return None
    # the units end at the parenthesis (a sentence may go on after it: （责任单位：市科技局），深化产学研合作。); a
    # comma before it is a sentence's, not a list of units (a line whose units were lost in a copy's edit)
    units = _UNITS_END.split(text[m.end() :], maxsplit=1)[0]
    return None if "," in units or "，" in units else units


def curated(norm: str) -> bool:
    """Whether the curated list alone makes ``norm`` (normalized text) formulaic."""
    if not norm:
        return False
    if _RESPONSIBILITY.match(_strip_marker(norm)):
        return True
    core = bare(norm)
    if len(core) <= SHORT_CORE:
        return True  # punctuation, a bare marker, or a few characters (新材料, 高端装备): no evidence of reuse
    if core in GENERIC_HEADINGS:
        return True
    covered = sum(len(_PUNCT.sub("", m.group())) for m in _SLOGAN.finditer(norm))
    return covered >= COVER * len(core)


class Frequencies(Protocol):
    """Document frequencies by sentence key: a dict, or the corpus index (:class:`lineage.align.index.Index`)."""

    def get(self, key: int, default: int, /) -> int: ...


class Formulaic:
    """Decides formulaic text: the curated list, plus document frequencies when a corpus is known.

    ``df`` maps a sentence key (:func:`lineage.align.index.text_key` of its
    normalized text) to the number of corpus documents containing it.
    """

    def __init__(
        self, df: Frequencies | None = None, n_docs: int = 0, holders: Callable[[int], int] | None = None
    ) -> None:
        self.df: Frequencies = df if df is not None else {}
        self.n_docs = n_docs
        self.min_df = max(DF_MIN_DOCS, int(DF_MIN_SHARE * n_docs + 0.999)) if n_docs else None
        # ``holders``: how many documents that are not copies or revisions of one another hold a sentence
        # (asked only of one ``df`` finds frequent); ``n_docs`` then counts such documents too
        self.holders = holders
        self._frequent: dict[int, bool] = {}

    def frequent(self, key: int) -> bool:
        if self.min_df is None or self.df.get(key, 0) < self.min_df:
            return False
        if self.holders is None:
            return True
        got = self._frequent.get(key)
        if got is None:
            got = self._frequent[key] = self.holders(key) >= self.min_df
        return got

    def __call__(self, norm: str, key: int | None = None) -> bool:
        if curated(norm):
            return True
        return key is not None and self.frequent(key)


def corpus_formulaic(index: Index | None, store: Store) -> Formulaic:
    """Formulaic text of a store's corpus, by the document frequencies of its n-gram index, with the copies and
    revisions of one document (one family of the clustering dedup stored: :func:`ensure_families`) counted
    once, in the frequencies and in the corpus's size; a document ingested since counts on its own.  Without
    a stored clustering every document counts; without an index, only the curated list decides."""
    if index is None:
        return Formulaic()
    stamp = store.result_stamp(RESULT_KIND, RESULT_KEY)
    if stamp is None:
        return Formulaic(index, index.n_docs)
    shas = index.all_shas()
    # read once per stored clustering and index, not once per pair a command aligns (a report's hundreds,
    # which write their own results in between)
    memo = _MEMO.get((store.path, stamp))
    if memo is None:
        _MEMO.clear()
        memo = _MEMO[(store.path, stamp)] = (_families(store), {})
    family, counts = memo
    if family is None:
        return Formulaic(index, index.n_docs)
    groups = [family.get(s, s) for s in shas]
    known: dict[int, int] = counts.setdefault((len(shas), shas[-1] if shas else ""), {})

    def holders(key: int) -> int:
        got = known.get(key)
        if got is None:
            got = known[key] = index.holders(key, groups)
        return got

    return Formulaic(index, len(set(groups)), holders=holders)


_MEMO: dict[tuple[str, tuple[int, str]], tuple[dict[str, str] | None, dict[tuple[int, str], dict[int, int]]]] = {}


def _families(store: Store) -> dict[str, str] | None:
    """Each clustered document's dedup family, by sha256 (None without a clustering of this dedup version)."""
    from lineage.dedup.pipeline import stored_result

    result = stored_result(store)
    return None if result is None else {c.details[p].sha256: c.family for c in result.clusters for p in c.members}


def ensure_families(store: Store, progress: Callable[[str, int, int], None] | None = None) -> None:
    """Cluster the store's documents (dedup) unless a clustering this version of dedup made is stored: what
    :func:`corpus_formulaic` counts copies by, so that a figure does not depend on whether dedup, graph or
    report ran before.  Once per store: documents ingested later count on their own until dedup runs again."""
    from lineage.dedup.pipeline import dedup, noop, stored_result

    if store.count() and stored_result(store) is None:
        dedup(store, progress=progress or noop)
