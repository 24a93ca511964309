"""Explore: the store and the graph -> answers.

In: a store (its search index, dedup result and graph).  Out: search results (every document holding
a text or a near variant), diffusion (how a text spread, in date order and by place), and exports of
the graph and its passages (GraphML, GEXF, CSV, JSON Lines).
"""

from lineage.explore.diffusion import Diffusion, assemble, cached_graph
from lineage.explore.search import DEFAULT_MIN_SCORE, Hit, SearchResult
from lineage.explore.search_index import SearchIndex

__all__ = [
    "DEFAULT_MIN_SCORE",
    "Diffusion",
    "Hit",
    "SearchIndex",
    "SearchResult",
    "assemble",
    "cached_graph",
]
