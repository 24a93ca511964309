"""HTML reports: a static site over the pipeline's results.

* :func:`lineage.report.pipeline.run` runs the stages (ingest, then dedup,
  graph, trace and pair alignments through hooks; :mod:`.runner` caches the
  many small calls in the store) and returns :class:`Results`;
* :func:`build` renders every page (data first: :mod:`.pages` builds the
  dataclasses of :mod:`.data`, then Jinja2 templates print them; a large
  site in worker processes, :mod:`.pool`);
* :func:`write_site` writes it into a folder the report owns, replacing only the files
  it wrote (:mod:`lineage.owned`; :func:`write_file`: one page).

``pair_html`` / ``provenance_html`` render one standalone page (CSS and JS
inline) for ``lineage align A B --html FILE`` and ``lineage trace DOC --html FILE``.
"""

from __future__ import annotations

from lineage.model import Document
from lineage.report.data import Catalog
from lineage.report.pages import pair_page, provenance_page
from lineage.report.render import render
from lineage.report.site import Results, SiteStats, build, open_site, write_file, write_site


def pair_html(align: dict, docs: list[Document]) -> str:
    """A self-contained pair diff page from ``lineage align --json`` output and the two documents."""
    return render("pair.html.j2", pair_page(Catalog(docs, linked=False), align), inline=True)


def provenance_html(trace: dict, docs: list[Document]) -> str:
    """A self-contained provenance page from ``lineage trace --json`` output and the documents it names."""
    return render("provenance.html.j2", provenance_page(Catalog(docs, linked=False), trace), inline=True)


__all__ = ["Results", "SiteStats", "build", "open_site", "write_site", "write_file", "pair_html", "provenance_html"]
