"""The site: rendering, escaping, links, determinism, owned writes, sizes, standalone pages."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

import jinja2
import pytest
import report_fixtures as rf
from folder_tree import tree

from lineage import __version__
from lineage.owned import RECORD, OutputError
from lineage.report import build, pair_html, provenance_html, write_file, write_site
from lineage.report.render import environment, render, static_text


@pytest.fixture(scope="module")
def fixture_site(corpus_paths, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("site")
    res, _ = rf.fixture_results(corpus_paths, str(tmp))
    files = dict(build(res))
    write_site(list(files.items()), str(tmp / "out"))
    return res, files, str(tmp / "out")


@pytest.fixture(scope="module")
def xss_site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("xss")
    res = rf.xss_results(str(tmp))
    files = dict(build(res))
    write_site(list(files.items()), str(tmp / "out"))
    return res, files, str(tmp / "out")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.units: list[tuple[str, str]] = []  # (column, anchor) of pair-page cells
        self.docs: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        for k in ("href", "src"):
            if a.get(k):
                self.links.append(a[k])
        if a.get("data-src"):
            self.docs = {"s": a["data-src"], "t": a["data-tgt"]}
        if a.get("data-u"):
            self.units.append((a.get("class", " ")[0], a["data-u"]))


def _parse(path: str) -> _Links:
    p = _Links()
    with open(path, encoding="utf-8") as f:
        p.feed(f.read())
    return p


def check_links(out: str) -> int:
    """Every relative link of every page points at an existing file and, with a fragment, an existing id."""
    parsed = {}
    for dirpath, _, files in os.walk(out):
        for f in files:
            if f.endswith(".html"):
                parsed[os.path.join(dirpath, f)] = _parse(os.path.join(dirpath, f))
    checked = 0
    for page, p in parsed.items():
        targets = list(p.links) + [p.docs[c] + "#" + u for c, u in p.units if p.docs]
        for href in targets:
            u = urlsplit(href)
            assert not u.scheme and not u.netloc, f"{page}: external link {href}"
            path = os.path.normpath(os.path.join(os.path.dirname(page), unquote(u.path))) if u.path else page
            assert os.path.isfile(path), f"{page}: broken link {href}"
            assert os.path.realpath(path).startswith(os.path.realpath(out)), f"{page}: link leaves the site: {href}"
            if u.fragment:
                ids = parsed[path].ids if path in parsed else set()
                assert unquote(u.fragment) in ids, f"{page}: no #{u.fragment} in {path}"
            checked += 1
    return checked


# -- templates ----------------------------------------------------------------------------------------


def test_templates_autoescape_and_fail_on_undefined_names():
    env = environment()
    assert env.autoescape is True and env.undefined is jinja2.StrictUndefined
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ page.nothing }}").render(page=object())
    assert env.from_string("{{ x }}").render(x=rf.XSS_SCRIPT) == "&lt;script&gt;alert(1)&lt;/script&gt;"


def test_every_page_of_the_fixture_site_links_only_to_what_exists(fixture_site):
    _, files, out = fixture_site
    assert {p.split("/")[0] for p in files} == {
        "index.html",
        "graph.html",
        "dedup.html",
        "glossary.html",
        "documents",
        "pairs",
        "provenance",
        "static",
    }
    assert check_links(out) > 1500


def test_pages_are_offline(fixture_site):
    _, files, _ = fixture_site
    for path, data in files.items():
        text = data.decode("utf-8")
        if path.startswith("static/cytoscape"):  # the vendored library: its licence comments name their sources
            text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
        urls = set(re.findall(r"(?:https?:)?//[\w.-]+", text)) - {"http://www.w3.org"}  # the SVG namespace
        assert not urls, f"{path} refers to {urls}"
        if path.endswith(".html"):
            assert "Content-Security-Policy" in text and "script-src 'self'" in text.replace("&#39;", "'")


def test_building_twice_gives_the_same_bytes(fixture_site, corpus_paths, tmp_path):
    res, files, _ = fixture_site
    again = dict(build(res))
    assert again == files
    # Also from a fresh database and a fresh ingest: ids, order and names do not depend on run state.  Only the
    # pages that show the derived plan's path (made in another temporary folder this time) may differ.
    res2, _ = rf.fixture_results(corpus_paths, str(tmp_path))
    third = dict(build(res2))
    assert sorted(third) == sorted(files)
    differ = {p for p in files if files[p] != third[p]}
    assert differ == {"index.html", next(p for p in files if "sx-derived-plan" in p and "documents/" in p)}


def test_pages_rendered_by_worker_processes_are_the_same_bytes(fixture_site, monkeypatch):
    """A large site renders in forked workers (lineage.report.pool); order and bytes must not change."""
    from lineage.report import pool

    res, files, _ = fixture_site
    monkeypatch.setattr(pool, "PARALLEL_MIN", 1)
    monkeypatch.setattr(pool, "CHUNK", 1)
    assert list(build(res, jobs=2)) == list(files.items())


def test_document_pages_have_every_unit_anchor(fixture_site):
    res, files, out = fixture_site
    for d in res.docs:
        key = next(k for k in files if k.startswith("documents/") and k.endswith(d.sha256[:10] + ".html"))
        ids = _parse(os.path.join(out, key)).ids
        want = {f"u-{u.id}" for u in d.units if u.kind != "clause"}
        assert want <= ids


# -- escaping ---------------------------------------------------------------------------------------------


def test_markup_in_documents_and_stage_output_is_text_everywhere(xss_site):
    _, files, out = xss_site
    pages = {p: d.decode("utf-8") for p, d in files.items() if p.endswith(".html")}
    assert len(pages) == 8  # with glossary.html
    for path, html in pages.items():
        assert "<script>alert" not in html and "<img" not in html and "onerror=alert(1)>" not in html, path
        # ours, and only ours: report.js (graph.html: also the graph view's scripts and its data, never executed)
        ours = [
            '<script src="../static/report.js">',
            '<script src="static/report.js">',
            '<script src="static/cytoscape.min.js">',
            '<script src="static/graph.js">',
            '<script type="application/json" id="graph-data">',
        ]
        tags = re.findall(r"<script[^>]*>", html)
        assert tags and all(t in ours for t in tags) and len(tags) == (4 if path == "graph.html" else 1), path
        assert "模板49测试" not in html and "&gt;49行动方案" not in html, path  # the title holds {{7*7}} normalized
    for path in ("documents/", "pairs/", "provenance/"):
        html = next(h for p, h in pages.items() if p.startswith(path) and "img-src" in p.split("/")[-1])
        assert "模板{{ 7*7 }}测试" in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html, path
    for path in ("dedup.html", "graph.html", "index.html"):
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages[path], path
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in pages["index.html"]  # the file name, as text
    assert check_links(out) > 20


def test_file_names_never_come_from_titles(xss_site):
    _, files, _ = xss_site
    for p in files:
        assert re.fullmatch(r"[a-z0-9./-]+", p), p
    assert any(p.startswith("documents/img-src-x-onerror-alert-") for p in files)


# -- sizes -----------------------------------------------------------------------------------------------


def test_pair_page_of_000_against_003_clause_by_clause_is_under_300_kb(fixture_site):
    _, files, _ = fixture_site
    (path,) = [p for p in files if p.startswith("pairs/003-") and "--000-" in p]
    size = len(files[path])
    assert size < 300_000, size
    assert files[path].count(b'class="r ') > 550


# -- writes: the report owns only what it wrote ---------------------------------------------------------------
# (lineage.owned in general: tests/test_owned.py)

_tree = tree


def _site(files: dict[str, bytes]) -> dict[str, bytes]:
    return {k: v for k, v in files.items() if k != RECORD}


def test_write_site_records_what_it_wrote(tmp_path):
    out = tmp_path / "reports"
    stats = write_site([("index.html", b"new"), ("documents/a.html", b"A")], str(out))
    assert _site(_tree(str(out))) == {"index.html": b"new", "documents/a.html": b"A"}
    rec = json.loads((out / RECORD).read_text())
    assert rec["tool"] == "lineage report" and rec["version"] == __version__ and "previous" not in rec
    assert rec["files"] == {
        "index.html": {"size": 3, "sha256": hashlib.sha256(b"new").hexdigest()},
        "documents/a.html": {"size": 1, "sha256": hashlib.sha256(b"A").hexdigest()},
    }
    assert (stats.files, stats.pages, stats.bytes, stats.largest) == (2, 2, 4, ("index.html", 3))
    assert oct(os.stat(out / "index.html").st_mode & 0o777) == oct(0o666 & ~_umask())
    assert sorted(os.listdir(tmp_path)) == ["reports"]  # nothing beside it
    assert sorted(os.listdir(out)) == [RECORD, "documents", "index.html"]  # no staging folder left


def _umask() -> int:
    m = os.umask(0)
    os.umask(m)
    return m


def test_a_rerun_replaces_its_own_files_and_keeps_the_users(tmp_path):
    out = tmp_path / "reports"
    write_site([("index.html", b"v1"), ("documents/a.html", b"A"), ("pairs/x.html", b"X")], str(out))
    (out / "README.md").write_text("keep me")
    (out / "documents" / "thesis.docx").write_bytes(b"mine")
    write_site([("index.html", b"v2"), ("documents/b.html", b"B")], str(out))
    assert _site(_tree(str(out))) == {
        "README.md": b"keep me",
        "documents/thesis.docx": b"mine",
        "index.html": b"v2",
        "documents/b.html": b"B",
    }
    assert not (out / "pairs").exists()  # emptied by removing the old page, and lineage made it
    assert sorted(json.loads((out / RECORD).read_text())["files"]) == ["documents/b.html", "index.html"]


def test_a_folder_the_report_did_not_write_is_refused_untouched(tmp_path):
    out = tmp_path / "u"
    (out / "documents").mkdir(parents=True)
    (out / "documents" / "thesis.docx").write_bytes(b"x")
    (out / "index.html").write_bytes(b"mine")
    before = _tree(str(out))
    with pytest.raises(OutputError, match=r"not empty and not written by lineage report"):
        write_site([("index.html", b"new"), ("documents/a.html", b"A")], str(out))
    assert _tree(str(out)) == before and sorted(os.listdir(tmp_path)) == ["u"]


def test_a_page_the_user_changed_is_never_overwritten_or_deleted(tmp_path):
    out = tmp_path / "site"
    write_site([("index.html", b"v1"), ("documents/a.html", b"A"), ("documents/old.html", b"O")], str(out))
    for changed in ("documents/a.html", "documents/old.html"):  # one the site rewrites, one it would remove
        (out / changed).write_bytes(b"my notes")
        before = _tree(str(out))
        with pytest.raises(OutputError, match=re.escape(changed) + ": changed since lineage wrote it"):
            write_site([("index.html", b"v2"), ("documents/a.html", b"A2")], str(out))
        assert _tree(str(out)) == before
        os.unlink(out / changed)  # the user moves it away: the next run goes through
    write_site([("index.html", b"v2"), ("documents/a.html", b"A2")], str(out))
    assert _site(_tree(str(out))) == {"index.html": b"v2", "documents/a.html": b"A2"}


def test_a_users_file_where_the_site_has_a_page_is_refused(tmp_path):
    out = tmp_path / "site"
    write_site([("index.html", b"v1")], str(out))
    (out / "graph.html").write_bytes(b"my own graph")
    before = _tree(str(out))
    with pytest.raises(OutputError, match=r"graph.html: not written by lineage"):
        write_site([("index.html", b"v2"), ("graph.html", b"G")], str(out))
    assert _tree(str(out)) == before


def test_a_failed_build_leaves_the_old_site_untouched(tmp_path):
    out = tmp_path / "site"
    write_site([("index.html", b"v1"), ("documents/a.html", b"A")], str(out))
    before = _tree(str(out))

    def broken():
        yield "index.html", b"v2"
        raise RuntimeError("template bug")

    with pytest.raises(RuntimeError):
        write_site(broken(), str(out))
    assert _tree(str(out)) == before and sorted(os.listdir(out)) == [RECORD, "documents", "index.html"]
    assert sorted(os.listdir(tmp_path)) == ["site"]
    with pytest.raises(ValueError):
        write_site([("../escape.html", b"x")], str(out))
    assert _tree(str(out)) == before and sorted(os.listdir(tmp_path)) == ["site"]


def test_write_site_refuses_a_file_in_the_way(tmp_path):
    (tmp_path / "f").write_text("x")
    with pytest.raises(OutputError, match="exists and is not a folder"):
        write_site([("index.html", b"")], str(tmp_path / "f"))
    with pytest.raises(OutputError, match="cannot create the folder"):
        write_site([("index.html", b"")], str(tmp_path / "f" / "site"))
    assert (tmp_path / "f").read_text() == "x"


def test_write_site_follows_a_symlinked_output_folder(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "link").symlink_to(real)
    write_site([("index.html", b"x")], str(tmp_path / "link"))
    assert (tmp_path / "link").is_symlink() and (real / "index.html").read_bytes() == b"x"


def test_write_file_removes_temporaries_of_writers_that_were_killed(tmp_path):
    import subprocess
    import sys

    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True
    )
    stale = tmp_path / f".page.html.{int(dead.stdout)}.abc_12.tmp"  # a writer killed before its rename
    live = tmp_path / f".page.html.{os.getppid()}.xyz_34.tmp"  # a writer still running
    other = tmp_path / ".other.html.1.abc.tmp"
    for p in (stale, live, other):
        p.write_bytes(b"half")
    write_file(str(tmp_path / "page.html"), b"<p>")
    assert sorted(os.listdir(tmp_path)) == sorted(["page.html", live.name, other.name])


# -- standalone pages (align/trace --html) ---------------------------------------------------------------------


def test_standalone_pages_carry_their_css_and_js(fixture_site):
    res, _, _ = fixture_site
    align = res.pairs[0]
    docs = res.docs
    html = pair_html(align, docs)
    assert static_text("report.css") in html and static_text("report.js") in html
    page = html.replace(static_text("report.css"), "").replace(static_text("report.js"), "")
    assert "<link" not in page and 'src="' not in page
    js_hash = base64.b64encode(hashlib.sha256(static_text("report.js").encode()).digest()).decode()
    assert f"'sha256-{js_hash}'" in html.replace("&#39;", "'")
    assert "documents/" not in page and 'class="top"' not in page and "data-src" not in page
    (trace,) = res.traces.values()
    html = provenance_html(trace, docs)
    page = html.replace(static_text("report.css"), "").replace(static_text("report.js"), "")
    assert "documents/" not in page and "pairs/" not in page and 'class="m c0' in page


def test_render_takes_root_for_page_depth(fixture_site):
    _res, _, _ = fixture_site
    html = render("dedup.html.j2", None, root="../")
    assert 'href="../static/report.css"' in html and "did not run" in html
