"""The web application of `lineage serve` (Flask): routes over :mod:`.data` and :mod:`.views`.

One database, opened read-only in spirit (nothing here writes to it, except
the search index the first search builds, as `lineage search` does).  The
server is single-threaded (see :func:`lineage.serve.run`), so one SQLite
connection serves every request; each request re-checks the database's
state and reloads the listing and the graph only when it changed.

Pages: ``/`` (documents: filters, sort, server-side paging), ``/doc/<sha>``,
``/pair/<a>/<b>`` (graph node ids), ``/search?q=`` (clause search and its
diffusion), ``/graph`` (the interactive graph).  Each has a JSON twin under
``/api/``.  Language: ``?lang=zh|en``, else the server's ``--lang``, else the
locale.  Every page carries a Content-Security-Policy allowing only the
server's own scripts.
"""

from __future__ import annotations

import gc
import threading
from dataclasses import dataclass, field
from typing import Any

import flask
import jinja2
from flask import Flask, Response, abort, jsonify, request

from lineage import __version__, i18n
from lineage.dedup.result import DedupResult
from lineage.dedup.words import dedup_text
from lineage.explore.search import DEFAULT_MIN_SCORE
from lineage.explore.search_index import SearchIndex
from lineage.graph.editions import HOWS
from lineage.model import LEVELS
from lineage.report.render import _num, _pct, _size
from lineage.serve import data, views
from lineage.serve.data import GraphData, Query
from lineage.store import Store

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


@dataclass
class State:
    """What the server keeps between requests, with the database state it was read at."""

    store: Store
    lang: str | None
    key: tuple = ()
    rows: list[data.DocRow] = field(default_factory=list)
    graph: GraphData | None = None
    clustering: DedupResult | None = None  # the stored dedup result, if it covers every document
    index: SearchIndex | None = None
    provinces: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)  # of the graph's nodes: the graph page's year filter
    span: tuple[int, int] | None = None  # the first and last years the documents' dates may fall in
    version: int = -1  # the database's data_version when the state was last compared
    preparing: threading.Thread | None = None  # building the search index in the background (see create_app)
    stale_graph: data.Staleness | None = None  # the graph shown is the last one cached, not a current one
    stale_dedup: data.Staleness | None = None  # dedup's stored result does not cover every document
    graph_bodies: dict[tuple, bytes] = field(default_factory=dict)  # /api/graph's answers, by query string

    def fresh(self) -> State:
        # PRAGMA data_version changes only when another connection commits: the state (a scan of the
        # documents table, 50-100 ms at 5,000 documents) is read again only then
        version = self.store.db.execute("PRAGMA data_version").fetchone()[0]
        if self.key and version == self.version:
            return self
        self.version = version
        key = data.state_of(self.store)
        if key != self.key:
            from lineage.explore.diffusion import cached_graph

            self.rows = data.read_rows(self.store)
            built = cached_graph(self.store)
            self.clustering, self.stale_dedup = data.dedup_coverage(self.store)
            self.stale_graph = None
            if built is not None:
                self.graph = GraphData.of(built.to_dict())
            else:  # documents (or metadata) came in since `lineage graph`: its last graph, said to be stale
                old, self.stale_graph = data.stale_graph(self.store)
                self.graph = GraphData.of(old) if old is not None else None
            for r in self.rows:
                r.node = self.graph.by_sha.get(r.sha) if self.graph else None
                mine = self.graph.by_node.get(r.node, []) if self.graph and r.node else []
                r.edges = sum(self.graph.shown[i] for i in mine) if self.graph else 0  # at the graph's defaults
                r.weak = len(mine) - r.edges
                if r.node and not r.title:  # a copy without a title line takes its version's, as the graph names it
                    r.title = self.graph.nodes[r.node].get("title")  # type: ignore[union-attr]
            data.mark_copies(self.rows, self.clustering)
            spans = [y for y in (r.year_span() for r in self.rows) if y]
            self.span = (min(a for a, _ in spans), max(b for _, b in spans)) if spans else None
            self.provinces = sorted({r.province for r in self.rows if r.province and r.province != "national"})
            gd = self.graph
            self.years = sorted({y for y in (data.node_json(gd, i)["year"] for i in gd.nodes) if y}) if gd else []
            self.index = None  # documents changed: the search index is reopened (and extended) on the next search
            self.key = key
            self.graph_bodies = {}
            _settle()
        return self


GRAPH_BODIES_KEPT = 16


def _settle() -> None:
    """Take what a state load made out of the collector's sight.  A server holds millions of objects (the graph,
    the document list); each full collection walked them all, 0.9 s at 5,000 documents, stalling whatever
    request set it off (a search's worst time was mostly that).  They live until the next state replaces them,
    which frees them by reference counts; the collection here finds what the replaced state left in cycles."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def _prepare_search(db_path: str) -> None:
    # Its own connection (a sqlite3 connection belongs to one thread; WAL lets the server read
    # meanwhile) and no worker processes: forking beside the server's thread is not safe.
    try:
        with Store(db_path, create=False) as store:
            SearchIndex.open(store, jobs=1)
    except Exception:  # the first search builds the index itself and says what went wrong
        pass


def environment() -> jinja2.Environment:
    # serve's templates, then the static report's (the graph view's partial is shared)
    loader = jinja2.ChoiceLoader(
        [jinja2.PackageLoader("lineage.serve", "templates"), jinja2.PackageLoader("lineage.report", "templates")]
    )
    env = jinja2.Environment(
        loader=loader, autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True
    )
    env.filters.update(pct=_pct, size=_size, num=_num)
    env.globals["dedup_text"] = dedup_text  # dedup's English reasons, shown in the page's language
    env.globals["edition_hows"] = HOWS  # what an edition edge is called from one side
    i18n.install(env)
    return env


def create_app(db_path: str, lang: str | None = None, prepare_search: bool = False) -> Flask:
    """The application over the database at ``db_path`` (which must exist: see ``lineage serve``).

    ``prepare_search``: build the search index (and the documents' atom texts) now, in a background
    thread, so that the first search does not wait for all of it (17 s at 5,000 documents); a
    search asked for meanwhile waits for that build instead of starting its own.
    """
    store = Store(db_path, create=False)
    state = State(store, i18n.normalize_language(lang) if lang else None)
    if prepare_search:
        state.preparing = threading.Thread(
            target=_prepare_search, args=(db_path,), name="lineage-search-index", daemon=True
        )
        state.preparing.start()
    env = environment()
    app = Flask("lineage.serve", static_folder=None)
    app.config["lineage.state"] = state

    def language() -> str | None:
        asked = request.args.get("lang")
        return asked if asked in i18n.LANGUAGES else state.lang

    def page(template: str, **ctx: Any) -> Response:
        with i18n.language(language()) as lang:
            asked = request.args.get("lang")
            switch = _url(request.path, **{**request.args.to_dict(), "lang": "en" if lang == "zh" else "zh"})
            html = env.get_template(template).render(
                version=__version__,
                lang=lang,
                request=request,
                switch=switch,
                url=lambda path, **a: _url(path, **{"lang": asked if asked in i18n.LANGUAGES else None, **a}),
                stale=stale_notes(),
                **ctx,
            )
        return Response(html, mimetype="text/html")

    def stale_notes() -> list[str]:
        """What the pages say of caches kept in use though out of date, and what to run."""
        out = []
        if state.stale_graph is not None:
            s = state.stale_graph
            out.append(
                i18n.gettext(
                    "The lineage graph shown is out of date: metadata changed since it was built (dates, places "
                    "and so directions may differ); run 'lineage graph' to bring it up to date."
                )
                if not s.missing
                else i18n.gettext(
                    "The lineage graph shown is out of date: it covers %(covered)s of the %(documents)s documents "
                    "(%(missing)s ingested or changed since); run 'lineage graph' to bring it up to date.",
                    covered=_num(s.covered),
                    documents=_num(s.documents),
                    missing=_num(s.missing),
                )
            )
        if state.stale_dedup is not None:
            s = state.stale_dedup
            out.append(
                i18n.gettext(
                    "Copies and versions are those of the last dedup, which covers %(covered)s of the "
                    "%(documents)s documents; run 'lineage dedup' (or 'lineage graph') to bring it up to date.",
                    covered=_num(s.covered),
                    documents=_num(s.documents),
                )
            )
        return out

    @app.before_request
    def set_language() -> None:
        # the whole request, not only the template: views word direction evidence and metadata with _()
        flask.g.lineage_pop_language = i18n.push_language(language())

    @app.teardown_request
    def reset_language(_exc: BaseException | None) -> None:
        pop = flask.g.pop("lineage_pop_language", None)
        if pop is not None:
            pop()

    @app.after_request
    def headers(resp: Response) -> Response:
        resp.headers["Content-Security-Policy"] = CSP
        resp.headers["X-Content-Type-Options"] = "nosniff"
        resp.headers["Referrer-Policy"] = "no-referrer"
        return resp

    @app.get("/static/<path:name>")
    def static(name: str) -> Response:
        from importlib import resources

        if any(part in ("", ".", "..") or part.startswith(".") for part in name.split("/")):
            abort(404)
        # serve's own files, else the static report's (its stylesheet, the graph view and cytoscape.js: shared)
        for package in ("lineage.serve", "lineage.report"):
            target = resources.files(package) / "static"
            for part in name.split("/"):
                target = target / part
            if target.is_file():
                break
        else:
            abort(404)
        kind = {"js": "text/javascript", "css": "text/css", "txt": "text/plain"}.get(
            name.rsplit(".", 1)[-1], "application/octet-stream"
        )
        resp = Response(target.read_bytes(), mimetype=kind)
        resp.headers["Cache-Control"] = "max-age=3600"
        return resp

    # -- documents ----------------------------------------------------------------------------------

    def listing() -> dict[str, Any]:
        st = state.fresh()
        q = Query.from_args(request.args)
        rows, total = data.select(st.rows, q)
        pages = max(1, -(-total // q.per))
        return {
            "problems": q.problems(request.args),
            "past_end": q.page > pages,  # a page after the last: said so, not "no document matches"
            "query": q,
            "rows": rows,
            "total": total,
            "documents": len(st.rows),
            "provinces": st.provinces,
            "levels": LEVELS,
            "pages": pages,
            "graph": st.graph is not None,
            "copies": st.clustering is not None,  # dedup's result is stored: the copies column and filter
            "years": st.span,  # the first and last years of the documents' dates: the date filters' examples
        }

    @app.get("/")
    def index() -> Response:
        return page("list.html.j2", **listing())

    @app.get("/api/documents")
    def api_documents() -> Response:
        d = listing()
        q: Query = d["query"]
        return jsonify(
            {
                "total": d["total"],
                "documents": d["documents"],
                "page": q.page,
                "per": q.per,
                "pages": d["pages"],
                "rows": [r.to_dict() for r in d["rows"]],
                "notes": stale_notes(),
                "ignored": [{"parameter": k, "value": v} for k, v in d["problems"]],
            }
        )

    def document(sha: str) -> views.DocumentView:
        st = state.fresh()
        full = st.store.resolve(sha) if len(sha) >= 6 else None
        if full is None:
            abort(404)
        return views.document_view(st.store, st.graph, full, st.clustering)

    @app.get("/doc/<sha>")
    def doc_page(sha: str) -> Response:
        return page("document.html.j2", page=document(sha))

    @app.get("/api/doc/<sha>")
    def api_doc(sha: str) -> Response:
        v = document(sha)
        return jsonify(
            {
                "sha256": v.doc.sha,
                "label": v.doc.label,
                "node": v.node,
                "meta": v.meta,
                "superseded": v.superseded,
                "paths": v.paths,
                "links": [_link_json(x) for x in v.links],
                "dedup": v.versions.to_dict() if v.versions else None,
            }
        )

    # -- pairs ----------------------------------------------------------------------------------------

    def pair(a: str, b: str) -> views.PairView:
        st = state.fresh()
        if st.graph is None:
            abort(404)
        v = views.pair_view(st.store, st.graph, a, b)
        if v is None:
            abort(404)
        return v

    @app.get("/pair/<a>/<b>")
    def pair_page(a: str, b: str) -> Response:
        return page("pair.html.j2", page=pair(a, b))

    @app.get("/api/pair/<a>/<b>")
    def api_pair(a: str, b: str) -> Response:
        v = pair(a, b)
        return jsonify(
            {
                "source": v.sid,
                "target": v.tid,
                "direction": "uncertain" if v.uncertain else "established",
                "says": v.says,
                "share_of_target": v.shares[0].text if v.shares else None,
                "share_of_source": v.shares[1].text if len(v.shares) > 1 else None,
                "confidence": v.confidence,
                "evidence": v.evidence,
                "passages": [
                    {
                        "relation": r.relation,
                        "source_span": list(r.src_span),
                        "target_span": list(r.tgt_span),
                        "counted": r.counted,
                        "tag": r.tag.label if r.tag else None,
                        "source_text": "".join(t.text for t in r.src),
                        "target_text": "".join(t.text for t in r.tgt),
                    }
                    for r in v.rows
                ],
            }
        )

    # -- search ---------------------------------------------------------------------------------------

    def run_search() -> tuple[str, Any]:
        st = state.fresh()
        q = (request.args.get("q") or "").strip()
        if not q:
            return q, None
        try:
            min_score = min(max(float(request.args.get("min_score", DEFAULT_MIN_SCORE)), 0.0), 100.0)
        except ValueError:
            min_score = DEFAULT_MIN_SCORE
        if st.index is None:
            if state.preparing is not None:
                state.preparing.join()
                state.preparing = None
            # what the background build cached, or built now; dedup's result as the state read it
            st.index = SearchIndex.open(st.store, clustering=(st.clustering, st.stale_dedup))
        return q, views.search_view(st.store, st.index, st.graph, q, min_score)

    @app.get("/search")
    def search_page() -> Response:
        q, res = run_search()
        labels = {}
        if res is not None and state.graph is not None:
            labels = {h.version: (state.graph.nodes.get(h.version or "") or {}).get("label") for h in res.holders}
        return page("search.html.j2", q=q, res=res, max_holders=views.MAX_HOLDERS, labels=labels, summary=_holders)

    @app.get("/api/search")
    def api_search() -> Response:
        _q, res = run_search()
        if res is None:
            return jsonify({"error": "the query is empty (?q=TEXT)"}), 400  # type: ignore[return-value]
        return jsonify(res.to_dict())

    # -- graph ----------------------------------------------------------------------------------------

    @app.get("/graph")
    def graph_page() -> Response:
        st = state.fresh()
        g = st.graph
        return page(
            "graph.html.j2",
            graph=g is not None,
            years=st.years,
            provinces=st.provinces,
            levels=LEVELS,
            focus=request.args.get("focus") or "",
            nodes=len(g.nodes) if g else 0,
        )

    @app.get("/api/graph")
    def api_graph() -> Response:
        st = state.fresh()
        if st.graph is None:
            return jsonify(
                {"error": "no lineage graph is cached for this database: run 'lineage graph'", "nodes": [], "edges": []}
            ), 404  # type: ignore[return-value]
        a = request.args
        asked = tuple(sorted(a.items(multi=True)))
        body = st.graph_bodies.get(asked)
        if body is None:
            body = st.graph_bodies[asked] = _graph_body(st, st.graph, a)
            while len(st.graph_bodies) > GRAPH_BODIES_KEPT:  # the oldest first (dicts keep insertion order)
                del st.graph_bodies[next(iter(st.graph_bodies))]
        return Response(body, mimetype="application/json")

    def _graph_body(st: State, g: GraphData, a: Any) -> bytes:
        """/api/graph's answer, encoded (5 MB at 5,000 documents, 0.08 s to make: made once per state and
        query, as the graph page asks the same each time it loads)."""

        def year(name: str) -> int | None:
            v = a.get(name, "")
            return int(v) if v.isdigit() else None

        try:
            depth = min(max(int(a.get("depth", 1)), 1), 5)
        except ValueError:
            depth = 1
        out = data.graph_json(
            g,
            all_edges=a.get("edges") == "all",
            focus=a.get("focus") or None,
            depth=depth,
            year_from=year("from"),
            year_to=year("to"),
            province=a.get("province", ""),
            level=a.get("level", ""),
        )
        if st.stale_graph is not None:
            out["stale"] = {"covered": st.stale_graph.covered, "documents": st.stale_graph.documents}
            out["notes"] = stale_notes()
        for n in out["nodes"]:  # where the view's links go (the static report's graph page links its own pages)
            n["href"] = f"/doc/{n['sha256']}" if n["sha256"] else None
        for e in out["edges"]:
            e["href"] = views.pair_href(e["source"], e["target"])
        return app.json.dumps(out).encode("utf-8")

    @app.errorhandler(404)
    def not_found(e: Any) -> tuple[Response, int]:
        if request.path.startswith("/api/"):
            return jsonify({"error": "not found"}), 404
        return page("error.html.j2", message=i18n.gettext("Nothing here: no such document, pair or page.")), 404

    return app


def _holders(documents: int, versions: int) -> str:
    """ "505 documents hold the text, in 466 versions": numbers with separators, words agreeing with them."""
    return i18n.ngettext(
        "%(d)s document holds the text, in %(versions)s",
        "%(d)s documents hold the text, in %(versions)s",
        documents,
        d=_num(documents),
        versions=i18n.ngettext("%(v)s version", "%(v)s versions", versions, v=_num(versions)),
    )


def _url(path: str, **args: Any) -> str:
    """A local URL with a query string (values escaped)."""
    from urllib.parse import urlencode

    args = {k: v for k, v in args.items() if v not in (None, "")}
    return path + ("?" + urlencode(args) if args else "")


def _link_json(x: views.Link) -> dict[str, Any]:
    return {
        "how": x.how,
        "other": x.other.sha,
        "other_label": x.other.label,
        "pair": x.href,
        "uncertain": x.uncertain,
        "shares": [{"text": s.text, "of": s.side, "edge": s.edge} for s in x.shares],
        "passages": x.passages,
        "shown": not x.weak,  # False: below the graph's thresholds (the graph does not draw it)
    }
