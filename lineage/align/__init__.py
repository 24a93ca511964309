"""Align: documents -> alignments.

In: two documents (``align``), or a target and the store's corpus through the n-gram index
(``trace``).  Out: :class:`AlignResult` / :class:`TraceResult`: every unit of both sides accounted for,
matched passages with spans into both originals, relations and token diffs; the attribution of each
reused passage to its most plausible origin.
"""

from lineage.align.aligner import AlignResult, DocInfo, Match, Side, align_in_store, assemble, pair_edges
from lineage.align.attribution import resolve
from lineage.align.diff import classify, is_swap
from lineage.align.formulaic import Formulaic
from lineage.align.index import (
    DELTA_MAX_DOCS,
    DELTA_MAX_SHARE,
    DF_CAP,
    INDEX_VERSION,
    NGRAM,
    PARAMS,
    WINDOW,
    Index,
    atom_texts,
    best_hits,
    fingerprints,
    text_key,
)
from lineage.align.tokens import warm

__all__ = [
    "AlignResult",
    "DELTA_MAX_DOCS",
    "DELTA_MAX_SHARE",
    "DF_CAP",
    "DocInfo",
    "Formulaic",
    "INDEX_VERSION",
    "Index",
    "Match",
    "NGRAM",
    "PARAMS",
    "Side",
    "WINDOW",
    "align_in_store",
    "assemble",
    "atom_texts",
    "best_hits",
    "classify",
    "fingerprints",
    "is_swap",
    "pair_edges",
    "resolve",
    "text_key",
    "warm",
]
