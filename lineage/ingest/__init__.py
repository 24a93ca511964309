"""Ingest: files -> documents.

In: paths of .txt/.html files or folders (and metadata sidecars, --meta).  Out: a
:class:`lineage.model.Document` per file in the :class:`lineage.store.Store`: the decoded text, its
blocks with spans into the original, outline, removed chrome (page furniture), metadata (title,
issuers, dates, 文号, jurisdiction from the gazetteer), and one line per unreadable file.
"""

from lineage.ingest.gazetteer import is_jurisdiction_swap
from lineage.ingest.htmltext import extract
from lineage.ingest.metadata import KNOWN_DOCUMENTS, LEVEL_WORDS, NOTICE_TITLE
from lineage.ingest.normalize import fold
from lineage.ingest.offsets import OffsetMap
from lineage.ingest.pipeline import IngestReport, ingest_paths
from lineage.ingest.read import DEFAULT_MAX_BYTES
from lineage.ingest.segment import segments, split_sentences
from lineage.ingest.sidecar import (
    Sidecar,
    SidecarError,
    compile_date_pattern,
    display,
    parse_columns,
    read_sidecar,
    register,
    sync,
)
from lineage.ingest.structure import marker_of, table_norm

__all__ = [
    "DEFAULT_MAX_BYTES",
    "IngestReport",
    "KNOWN_DOCUMENTS",
    "LEVEL_WORDS",
    "NOTICE_TITLE",
    "OffsetMap",
    "Sidecar",
    "SidecarError",
    "compile_date_pattern",
    "display",
    "extract",
    "fold",
    "ingest_paths",
    "is_jurisdiction_swap",
    "marker_of",
    "parse_columns",
    "read_sidecar",
    "register",
    "segments",
    "split_sentences",
    "sync",
    "table_norm",
]
