"""Dedup: documents -> versions.

In: the documents of a store (or paths, ingested first).  Out: a :class:`DedupResult`: clusters of
scraped copies of one text (versions) with a canonical copy and each copy's relation to it, revision
families, stored in the store; optionally an output folder of canonical copies and manifests.
"""

from lineage.dedup.dask_engine import DaskEngine, DaskUnavailable
from lineage.dedup.features import CACHE_KIND, comparison_text, derive, short_lines
from lineage.dedup.output import open_output, write_output
from lineage.dedup.pipeline import DEFAULT_THRESHOLD, dedup_paths, ensure_result, load_result
from lineage.dedup.result import RESULT_KEY, RESULT_KIND, DedupResult
from lineage.dedup.verify import compare
from lineage.dedup.words import dedup_text

__all__ = [
    "CACHE_KIND",
    "DEFAULT_THRESHOLD",
    "DaskEngine",
    "DaskUnavailable",
    "DedupResult",
    "RESULT_KEY",
    "RESULT_KIND",
    "compare",
    "comparison_text",
    "dedup_paths",
    "dedup_text",
    "derive",
    "ensure_result",
    "load_result",
    "open_output",
    "short_lines",
    "write_output",
]
