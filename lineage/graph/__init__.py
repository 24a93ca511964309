"""Graph: versions -> the lineage graph.

In: a store with documents (deduplicated on the way).  Out: a :class:`Graph` of versions and cited
documents outside the corpus, with reuse edges (shared passages, shares, direction and its evidence)
and citation edges, cached in the store.
"""

from lineage.graph.edges import share_text
from lineage.graph.nodes import LEVEL_RANK, Version, assign_labels, disambiguate, interval, make_version, short_label
from lineage.graph.pipeline import (
    DEFAULT_MIN_SEQUENTIAL,
    DEFAULT_MIN_SHARE,
    RESULT_KIND,
    Graph,
    build_graph,
    graph_paths,
    shown,
)
from lineage.graph.words import candidate_why, evidence_detail

__all__ = [
    "DEFAULT_MIN_SEQUENTIAL",
    "DEFAULT_MIN_SHARE",
    "Graph",
    "LEVEL_RANK",
    "RESULT_KIND",
    "Version",
    "assign_labels",
    "build_graph",
    "candidate_why",
    "disambiguate",
    "evidence_detail",
    "graph_paths",
    "interval",
    "make_version",
    "share_text",
    "short_label",
    "shown",
]
