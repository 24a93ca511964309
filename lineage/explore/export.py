"""Exports for the tools researchers already use: the graph for Gephi and networkx, the passages for pandas.

* **graph**: every node and edge of the lineage graph with every
  attribute, as GraphML, GEXF 1.2 (what Gephi and ``networkx.read_gexf``
  read by default) or two CSV files (``nodes.csv``, ``edges.csv``).  Nested
  objects are flattened one level (``jurisdiction_name``, ``chars_identical``,
  ``retrieval_shared``); lists (paths, passages, evidence) are JSON strings;
  numbers stay numbers (GraphML ``long``/``double``, GEXF ``long``/``double``),
  flags booleans, dates strings (an estimate is a year, ``2018``, with its
  ``date_range``).  Nodes also get a ``label`` (title, else file name, else
  文号) and reuse edges a ``weight`` (their strength), which Gephi uses.  A pair
  with both a reuse and a citation edge has two edges (a multigraph).
* **passages**: one row per aligned passage of every reuse edge, with both
  texts as a reader sees them, both spans, the relation, whether the graph
  counts it (and why not: formulaic, common source), the edge's direction
  status and shares, and both documents' titles, dates and jurisdictions --
  as CSV (spans as ``*_start``/``*_end`` columns) or JSON Lines (spans as
  ``[s, e]``).

Files are UTF-8; CSV carries a byte-order mark so that Excel reads the
Chinese text (pandas and ``csv`` with ``utf-8-sig`` skip it).  Everything
here returns bytes or rows; writing (atomic, and never over a file lineage
did not write) is :func:`write_file` / :func:`write_csv_dir`.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import stat
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape, quoteattr

try:
    import fcntl
except ImportError:  # not POSIX: no lock
    fcntl = None  # type: ignore[assignment]

from lineage import __version__
from lineage.graph.pipeline import Graph
from lineage.owned import RECORD as OWNED_RECORD
from lineage.owned import Entry, OutputError, _hash_file, _reason
from lineage.store import Store, display_text

GRAPH_FORMATS = ("graphml", "gexf", "csv")
PASSAGE_FORMATS = ("csv", "jsonl")
MANIFEST = "lineage-export.json"  # written beside nodes.csv and edges.csv: the folder's files are lineage's
_MARK = f"written by lineage {__version__}"
_NOT_DATA = {"id", "source", "target"}  # the element's own fields, not attributes
WIDELY = "widely shared"  # the graph's common_source of text found in versions of many provinces
_BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # not allowed in XML 1.0


class ExportError(OutputError):
    """An --out lineage will not or cannot write: one line naming the path and the reason (exit 2)."""


@dataclass
class Table:
    """Flattened rows with a type per column: string, long, double or boolean (None: no value)."""

    columns: list[str]
    types: dict[str, str]
    rows: list[dict[str, Any]]


def flatten(d: dict[str, Any], nested: frozenset[str] | set[str] = frozenset()) -> dict[str, Any]:
    """One level of nested objects joined with ``_``; lists (and deeper objects) as JSON strings.

    ``nested``: fields that are objects in other rows; where they are null
    here, their flattened columns are left empty (no column of their own).
    """
    out: dict[str, Any] = {}
    for k, v in d.items():
        if v is None and k in nested:
            continue
        if isinstance(v, dict):
            for k2, v2 in v.items():
                out[f"{k}_{k2}"] = _json(v2) if isinstance(v2, (list, tuple, dict)) else v2
        elif isinstance(v, (list, tuple)):
            out[k] = _json(v)
        else:
            out[k] = v
    return out


def _json(v: Any) -> str:
    return json.dumps(v, ensure_ascii=False, separators=(",", ":"))


def _type(values: Iterable[Any]) -> str:
    kinds = {type(v) for v in values if v is not None}
    if not kinds:
        return "string"
    if kinds == {bool}:
        return "boolean"
    if kinds <= {int}:
        return "long"
    if kinds <= {int, float}:
        return "double"
    return "string"


def table(items: list[dict[str, Any]], first: tuple[str, ...] = ()) -> Table:
    nested = {k for x in items for k, v in x.items() if isinstance(v, dict)}
    rows = [flatten(x, nested) for x in items]
    columns = list(first) + sorted({k for r in rows for k in r} - set(first))
    types = {c: _type(r.get(c) for r in rows) for c in columns}
    for r in rows:  # a column of numbers holding an int and a float: all floats, so readers get one type
        for c in columns:
            if types[c] == "double" and isinstance(r.get(c), int):
                r[c] = float(r[c])
    return Table(columns, types, rows)


def label(node: dict[str, Any]) -> str:
    """The graph's own name for the node (``label``: where two versions would read the same, both get their
    jurisdiction and year in front), as every page and the CLI call it."""
    if node.get("label"):
        return node["label"]
    if node.get("title"):
        return node["title"]
    if node.get("paths"):
        return os.path.basename(node["paths"][0])
    return node.get("doc_number") or node["id"]


def node_table(graph: Graph) -> Table:
    return table([{**n, "label": label(n)} for n in graph.nodes], ("id", "label"))


def edge_id(e: dict[str, Any]) -> str:
    """An edge's id from its ends (the interactive graph's ids): the same pair has the same id whatever the
    thresholds; a citation beside a reuse edge of the same pair is told apart by its kind."""
    base = f"{e['source']}--{e['target']}"
    return base if e["kind"] == "reuse" else f"{base}:{e['kind']}"


def edge_table(graph: Graph) -> Table:
    edges = []
    for e in graph.edges:
        extra = {"weight": e["strength"]} if e["kind"] == "reuse" else {}
        edges.append({"id": edge_id(e), **e, **extra})
    return table(edges, ("id", "source", "target", "kind"))


# -- GraphML and GEXF --------------------------------------------------------------------------------


def _xml_text(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return _BAD_XML.sub("", str(v))


def graphml(graph: Graph) -> bytes:
    """The graph as GraphML (directed; parallel reuse and citation edges kept)."""
    nodes, edges = node_table(graph), edge_table(graph)
    keys: dict[tuple[str, str], str] = {}
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f"<!-- {_MARK} -->",
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
        'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
    ]
    for where, t in (("node", nodes), ("edge", edges)):
        for c in t.columns:
            if c in _NOT_DATA:
                continue
            keys[(where, c)] = f"{where[0]}{len(keys)}"
            out.append(
                f'  <key id="{keys[(where, c)]}" for="{where}" attr.name={quoteattr(c)} attr.type="{t.types[c]}"/>'
            )
    out.append('  <graph id="lineage" edgedefault="directed">')
    for r in nodes.rows:
        out.append(f"    <node id={quoteattr(_xml_text(r['id']))}>")
        out.extend(_data(r, nodes, keys, "node"))
        out.append("    </node>")
    for r in edges.rows:
        out.append(
            f"    <edge id={quoteattr(r['id'])} source={quoteattr(_xml_text(r['source']))} "
            f"target={quoteattr(_xml_text(r['target']))}>"
        )
        out.extend(_data(r, edges, keys, "edge"))
        out.append("    </edge>")
    out += ["  </graph>", "</graphml>", ""]
    return "\n".join(out).encode("utf-8")


def _data(row: dict[str, Any], t: Table, keys: dict[tuple[str, str], str], where: str) -> list[str]:
    return [
        f'      <data key="{keys[(where, c)]}">{escape(_xml_text(row[c]))}</data>'
        for c in t.columns
        if c not in _NOT_DATA and row.get(c) is not None
    ]


_GEXF_NATIVE = {"label", "weight"}  # GEXF's own attributes of nodes and edges


def gexf(graph: Graph) -> bytes:
    """The graph as GEXF 1.2 (static, directed)."""
    nodes, edges = node_table(graph), edge_table(graph)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<gexf xmlns="http://www.gexf.net/1.2draft" version="1.2">',
        f"  <meta><creator>lineage</creator><description>{escape(_MARK)}</description></meta>",
        '  <graph defaultedgetype="directed" mode="static">',
    ]
    ids: dict[tuple[str, str], str] = {}
    for where, t in (("node", nodes), ("edge", edges)):
        out.append(f'    <attributes class="{where}">')
        for c in t.columns:
            if c in _NOT_DATA or c in _GEXF_NATIVE:
                continue
            ids[(where, c)] = str(len(ids))
            out.append(f'      <attribute id="{ids[(where, c)]}" title={quoteattr(c)} type="{t.types[c]}"/>')
        out.append("    </attributes>")
    out.append("    <nodes>")
    for r in nodes.rows:
        out.append(f"      <node id={quoteattr(_xml_text(r['id']))} label={quoteattr(_xml_text(r['label']))}>")
        out.extend(_attvalues(r, nodes, ids, "node"))
        out.append("      </node>")
    out.append("    </nodes>")
    out.append("    <edges>")
    for r in edges.rows:
        weight = f" weight=\"{r['weight']!r}\"" if r.get("weight") is not None else ""
        out.append(
            f"      <edge id={quoteattr(r['id'])} source={quoteattr(_xml_text(r['source']))} "
            f"target={quoteattr(_xml_text(r['target']))}{weight}>"
        )
        out.extend(_attvalues(r, edges, ids, "edge"))
        out.append("      </edge>")
    out += ["    </edges>", "  </graph>", "</gexf>", ""]
    return "\n".join(out).encode("utf-8")


def _attvalues(row: dict[str, Any], t: Table, ids: dict[tuple[str, str], str], where: str) -> list[str]:
    vals = [
        f'          <attvalue for="{ids[(where, c)]}" value={quoteattr(_xml_text(row[c]))}/>'
        for c in t.columns
        if (where, c) in ids and row.get(c) is not None
    ]
    return ["        <attvalues>", *vals, "        </attvalues>"] if vals else []


# -- CSV ------------------------------------------------------------------------------------------------


def csv_bytes(t: Table) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(t.columns)
    for r in t.rows:
        w.writerow([_csv_cell(r.get(c)) for c in t.columns])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _csv_cell(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return v


PANDAS = {"string": "string", "long": "Int64", "double": "float64", "boolean": "boolean"}


def graph_csv(graph: Graph) -> tuple[dict[str, bytes], dict[str, Any]]:
    """nodes.csv and edges.csv, and for the manifest the type of every column.

    CSV has no types: pandas would read a division code such as 330000, or a
    column of estimated years, as numbers.  ``pandas_dtypes`` is the
    ``dtype=`` argument that reads every column as what it is.
    """
    tables = {"nodes.csv": node_table(graph), "edges.csv": edge_table(graph)}
    meta = {
        "columns": {name: t.types for name, t in tables.items()},
        "pandas_dtypes": {name: {c: PANDAS[k] for c, k in t.types.items()} for name, t in tables.items()},
    }
    return {name: csv_bytes(t) for name, t in tables.items()}, meta


# -- passages --------------------------------------------------------------------------------------

PASSAGE_FIELDS = (
    "edge",
    "source",
    "target",
    "relation",
    "content",
    "unit",
    "counted",
    "formulaic",
    "common_source",
    "widely_shared",
    "source_path",
    "source_sha256",
    "source_span",
    "source_text",
    "target_path",
    "target_sha256",
    "target_span",
    "target_text",
    "chars",
    "source_chars",
    "swaps",
    "direction",
    "conflict",
    "confidence",
    "share_of_source",
    "share_of_target",
    "strength",
    "cited",
    "source_title",
    "source_date",
    "source_date_kind",
    "source_jurisdiction",
    "source_province",
    "source_level",
    "target_title",
    "target_date",
    "target_date_kind",
    "target_jurisdiction",
    "target_province",
    "target_level",
)


def passages(graph: Graph, store: Store) -> Iterator[dict[str, Any]]:
    """Every passage of every reuse edge, with both texts (cut from the stored documents) and both sides' metadata."""
    nodes = {n["id"]: n for n in graph.nodes}
    texts: dict[str, tuple[str, str]] = {}

    def cut(sha: str, span: list[int]) -> str:
        if sha not in texts:
            d = store.load(sha, units=False)
            texts[sha] = (d.text, d.format)
        text, fmt = texts[sha]
        frag = text[span[0] : span[1]]
        return display_text(frag) if fmt == "html" else frag

    for e in graph.edges:
        if e["kind"] != "reuse":
            continue
        side = {}
        for end in ("source", "target"):
            n = nodes.get(e[end], {})
            j = n.get("jurisdiction") or {}
            side.update(
                {
                    f"{end}_title": n.get("title"),
                    f"{end}_date": n.get("date"),
                    f"{end}_date_kind": n.get("date_kind"),
                    f"{end}_jurisdiction": j.get("name"),
                    f"{end}_province": j.get("province"),
                    f"{end}_level": n.get("level"),
                }
            )
        for p in e["passages"]:
            yield {
                "edge": edge_id(e),
                "source": e["source"],
                "target": e["target"],
                "relation": p["relation"],
                "content": p.get("content"),
                "unit": p.get("unit"),
                "counted": bool(p.get("counted")),
                "formulaic": bool(p.get("formulaic")),
                # a node id (a known text both quote), never a phrase: "widely shared" has its own column
                "common_source": None if p.get("common_source") == WIDELY else p.get("common_source"),
                "widely_shared": p.get("common_source") == WIDELY,
                "source_path": e["source_path"],
                "source_sha256": e["source_sha256"],
                "source_span": list(p["source_span"]),
                "source_text": cut(e["source_sha256"], p["source_span"]),
                "target_path": e["target_path"],
                "target_sha256": e["target_sha256"],
                "target_span": list(p["target_span"]),
                "target_text": cut(e["target_sha256"], p["target_span"]),
                "chars": p["chars"],
                "source_chars": p.get("source_chars"),
                "swaps": p.get("swaps") or [],
                "direction": e["direction"],
                "conflict": bool(e.get("conflict")),
                "confidence": e["confidence"],
                "share_of_source": e["share_of_source"],
                "share_of_target": e["share_of_target"],
                "strength": e["strength"],
                "cited": bool(e.get("cited")),
                **side,
            }


def passages_jsonl(rows: Iterable[dict[str, Any]]) -> bytes:
    return "".join(json.dumps({f: r[f] for f in PASSAGE_FIELDS}, ensure_ascii=False) + "\n" for r in rows).encode()


def passage_columns() -> list[str]:
    out = []
    for f in PASSAGE_FIELDS:
        out.extend([f"{f[:-5]}_start", f"{f[:-5]}_end"] if f.endswith("_span") else [f])
    return out


def passages_csv(rows: Iterable[dict[str, Any]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(passage_columns())
    for r in rows:
        cells: list[Any] = []
        for f in PASSAGE_FIELDS:
            v = r[f]
            if f.endswith("_span"):
                cells.extend(v)
            else:
                cells.append(_json(v) if isinstance(v, list) else _csv_cell(v))
        w.writerow(cells)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


# -- writing ---------------------------------------------------------------------------------------
#
# The rule of ``report --out`` and ``dedup --out`` (lineage/owned.py), for files written into a folder
# the user keeps other things in: ``DIR/.lineage-exports.json`` records every export lineage wrote there
# with its size and sha256.  A file is replaced only if it is recorded and still has those bytes; a file
# lineage did not write, or one changed since (a row added by hand), is refused unless --force says so.

RECORD = ".lineage-exports.json"
_TOOL = "lineage export"


def _folder_for(path: str, given: str) -> str:
    """The folder an export file goes into, after checking it can be made: a bad --out fails in one line."""
    folder = os.path.dirname(os.path.abspath(path))
    up = folder
    while not os.path.lexists(up):
        up = os.path.dirname(up)
    if not os.path.isdir(up):
        raise ExportError(f"{given}: cannot write here ({up} is not a folder)")
    if up == folder:  # try it: a read-only or virtual folder (/proc) fails here, before any work
        try:
            fd, probe = tempfile.mkstemp(prefix=".lineage-probe.", dir=folder)
            os.close(fd)
            os.unlink(probe)
        except OSError as e:
            raise ExportError(f"{given}: cannot write in {folder} ({_reason(e)})") from None
    return folder


def _read_record(folder: str) -> dict[str, list[Entry]]:
    """Each recorded file's accepted contents: what lineage wrote (and, mid-replacement, what it replaced)."""
    try:
        with open(os.path.join(folder, RECORD), encoding="utf-8") as f:
            rec = json.load(f)
        out: dict[str, list[Entry]] = {}
        for part in ("previous", "files"):
            for k, v in (rec.get(part) or {}).items():
                out.setdefault(str(k), []).append(Entry(int(v["size"]), str(v["sha256"])))
        return out
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}  # none, or unreadable: nothing counts as lineage's, so nothing is replaced without --force


def _write_record(folder: str, files: dict[str, Entry], previous: dict[str, Entry] | None = None) -> None:
    from lineage.report import write_file as atomic

    rec: dict[str, Any] = {
        "tool": _TOOL,
        "version": __version__,
        "note": "exports lineage wrote here; it replaces only these, and only while unchanged",
        "files": {k: e.to_dict() for k, e in sorted(files.items())},
    }
    if previous:
        rec["previous"] = {k: e.to_dict() for k, e in sorted(previous.items())}
    atomic(os.path.join(folder, RECORD), (json.dumps(rec, ensure_ascii=False, indent=1) + "\n").encode())


def _ours(path: str, known: list[Entry]) -> bool:
    try:
        st = os.lstat(path)
    except OSError:
        return False
    if not stat.S_ISREG(st.st_mode) or not any(e.size == st.st_size for e in known):
        return False
    digest = _hash_file(path)
    return any(e.sha256 == digest and e.size == st.st_size for e in known)


def check_target(path: str, force: bool, inputs: Iterable[str] = ()) -> None:
    """Refuse a path lineage cannot or must not write (before any work, and again when writing).

    ``inputs``: files and folders the command reads; a path among them or inside one is refused even with
    ``force`` (a page written over the document being aligned, or into a corpus folder, would be read as a
    document next time).  So is a file another lineage command's output folder lists (a report's page):
    that command would then refuse its own folder.
    """
    if os.path.isdir(path):
        raise ExportError(f"{path}: a folder (give a file name)")
    _check_inputs(path, inputs)
    folder = _folder_for(path, path)
    owner = _owned_by(os.path.abspath(path))
    if owner:
        raise ExportError(f"{path}: written by {owner}, which owns the folder; lineage does not replace it from here")
    if not os.path.lexists(path) or force:
        return
    known = _read_record(folder).get(os.path.basename(path))
    if not known:
        raise ExportError(f"{path}: exists and was not written by lineage (--force replaces it)")
    if not _ours(path, known):
        raise ExportError(
            f"{path}: changed since lineage wrote it; lineage never overwrites it (move it away, or --force)"
        )


def _check_inputs(path: str, inputs: Iterable[str]) -> None:
    real = os.path.realpath(path)
    for p in inputs:
        q = os.path.realpath(p)
        if real == q:
            raise ExportError(f"{path}: is an input file; lineage never replaces inputs")
        if os.path.isdir(q) and real.startswith(q.rstrip(os.sep) + os.sep):
            raise ExportError(f"{path}: inside the input folder {p} (it would be read as a document)")


def _owned_by(path: str) -> str | None:
    """The command (report, dedup) whose output folder -- the file's own or one above it (a report's
    pairs/, documents/) -- lists ``path`` as its own."""
    folder = os.path.dirname(path)
    while True:
        try:
            with open(os.path.join(folder, OWNED_RECORD), encoding="utf-8") as f:
                rec = json.load(f)
            rel = os.path.relpath(path, folder).replace(os.sep, "/")
            if rel in (rec.get("files") or {}) or rel in (rec.get("previous") or {}) or rel == OWNED_RECORD:
                return str(rec.get("tool") or "lineage")
        except (OSError, ValueError, AttributeError):
            pass
        up = os.path.dirname(folder)
        if up == folder:
            return None
        folder = up


def write_files(folder: str, files: dict[str, bytes], force: bool = False, inputs: Iterable[str] = ()) -> None:
    """Write exports into ``folder``, each atomically (a reader or a crash sees the old file or the new one).

    Every target is checked first, so one refused file leaves all of them as they were.  The record lists
    a file's old and new bytes while it is replaced (a crash in between leaves it recognisably lineage's).
    """
    from lineage.report import write_file as atomic

    inputs = list(inputs)
    for name in files:
        check_target(os.path.join(folder, name), force, inputs)
    try:
        os.makedirs(folder, exist_ok=True)
        with _locked(folder):
            for name in files:  # again, under the lock: another run may have written meanwhile
                check_target(os.path.join(folder, name), force, inputs)
            # the files lineage wrote here and that are still as it wrote them (one per name)
            record = {k: e[-1] for k, e in _read_record(folder).items() if _ours(os.path.join(folder, k), e[-1:])}
            new = {name: Entry(len(data), hashlib.sha256(data).hexdigest()) for name, data in files.items()}
            _write_record(folder, {**record, **new}, previous={k: record[k] for k in new if k in record})
            for name, data in files.items():
                atomic(os.path.join(folder, name), data)
            _write_record(folder, {**record, **new})
    except OSError as e:
        where = os.path.join(folder, next(iter(files))) if len(files) == 1 else folder
        raise ExportError(f"{where}: cannot write ({_reason(e)})") from None


@contextmanager
def _locked(folder: str) -> Iterator[None]:
    """An exclusive flock on the folder while its record is read and rewritten (two exports at once)."""
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
            except OSError:
                pass  # a file system without locks
        yield
    finally:
        os.close(fd)


def write_file(path: str, data: bytes, force: bool = False, inputs: Iterable[str] = ()) -> None:
    """Write one export file (see :func:`write_files`, which checks it before writing and again under the lock)."""
    write_files(os.path.dirname(os.path.abspath(path)), {os.path.basename(path): data}, force, inputs)


CSV_FILES = ("nodes.csv", "edges.csv", MANIFEST)


def check_folder(folder: str, force: bool) -> None:
    """Refuse a folder the graph's csv cannot or must not be written into (before any work, and when writing)."""
    if os.path.lexists(folder) and not os.path.isdir(folder):
        raise ExportError(f"{folder}: not a folder (--format csv writes nodes.csv and edges.csv into a folder)")
    _folder_for(os.path.join(folder, MANIFEST), folder)
    for name in CSV_FILES:
        check_target(os.path.join(folder, name), force)


def write_csv_dir(folder: str, files: dict[str, bytes], meta: dict[str, Any], force: bool = False) -> None:
    """Write nodes.csv, edges.csv and the manifest into ``folder``; other files there are left alone."""
    check_folder(folder, force)
    manifest = {"written_by": "lineage", "version": __version__, "files": sorted(files), **meta}
    body = (json.dumps(manifest, ensure_ascii=False, indent=1) + "\n").encode()
    write_files(folder, {**files, MANIFEST: body}, force)
