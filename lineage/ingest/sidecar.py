"""Metadata given beside the documents: a sidecar (CSV, JSON Lines, .xlsx) and dates in file names.

Real corpora often come as bodies without their issuing notice, with the
date, title and issuer of each document in a spreadsheet.  A *sidecar* has
one row per document, naming its file (a path, relative to the sidecar's
folder or absolute, or a bare file name, with or without extension), and
any of: date, title, issuers, jurisdiction, 文号 (``doc_number``), url.
Headers are recognised in English or Chinese (:data:`HEADERS`), or mapped
with ``--meta-columns`` (:func:`parse_columns`).

Three steps, so that later commands use a sidecar without being given it:

1. :func:`read_sidecar` reads and checks a file: every value normalized
   (dates to ISO, issuers to a list, a jurisdiction to a gazetteer place);
   an unusable value, a duplicate row that contradicts an earlier one, a
   column nobody reads: one warning each, naming ``file:line``.
2. :func:`register` stores its rows in the database (replacing the rows
   that sidecar gave before), and the ``--date-from-name`` pattern.
3. :func:`sync` (run after every ingest and register) matches the stored
   rows to ingested files and writes, per document, the fields that
   override the parse (``Store.load`` applies them): ``date_kind: "given"``,
   ``title_source: "given"``, ``issuers_source: "given"``, jurisdiction
   ``source: "given"``, and ``given: {field: "meta.csv:3"}`` saying where
   each came from.  Where a given date, title, issuers or 文号 contradicts
   what the text itself says, the text's value is kept beside it
   (``superseded``, :func:`superseded`), and :func:`contradictions` words it
   as a warning.  A document whose given values changed makes the
   database's state change (``Store.last_parsed``), so cached graphs and
   report stages are rebuilt, and loses its cached dedup features (they
   carry its date and title).

Precedence: a row of the sidecar applied last wins over older sidecars;
within one sidecar the first row naming a document wins; a sidecar date
wins over a date read from the file name, which wins over the parse.
"""

from __future__ import annotations

import calendar
import csv
import io
import json
import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from lineage.i18n import N_, gettext
from lineage.ingest import gazetteer, metadata
from lineage.ingest.normalize import fold
from lineage.model import JURISDICTION_SOURCE_RANK, Document
from lineage.store import FINGERPRINT_CACHE, GIVEN_CHANGED, INDEX_CACHE, Store

FIELDS = ("path", "date", "title", "issuers", "jurisdiction", "doc_number", "url")
# Headers read by default, in order of preference where several are present
# (成文日期, the signing date, is the document's date; 发布日期 only without it).
HEADERS: dict[str, tuple[str, ...]] = {
    "path": ("path", "file", "filename", "file_name", "文件", "文件名", "文件路径", "路径"),
    "date": ("date", "成文日期", "日期", "印发日期", "发文日期", "发布日期", "发布时间", "published"),
    "title": ("title", "标题", "文件标题", "名称", "文件名称"),
    "issuers": ("issuers", "issuer", "发文机关", "发布机构", "发文单位", "发布单位", "制发机关"),
    "jurisdiction": ("jurisdiction", "地区", "行政区划", "区域"),
    "doc_number": ("doc_number", "文号", "发文字号", "发文文号"),
    "url": ("url", "link", "链接", "网址", "原文链接"),
}
# names accepted on the left of --meta-columns
FIELD_NAMES = {
    "path": "path",
    "file": "path",
    "date": "date",
    "title": "title",
    "issuer": "issuers",
    "issuers": "issuers",
    "jurisdiction": "jurisdiction",
    "doc_number": "doc_number",
    "文号": "doc_number",
    "number": "doc_number",
    "url": "url",
    "link": "url",
}
DATE_FROM_NAME = "date_from_name"  # setting: the --date-from-name pattern
FROM_NAME = N_("file name")  # where a date read from a file name was given
_ISSUER_SPLIT = re.compile(r"[、;；,，/|\s]+")
_MONTH = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
_YEAR = re.compile(r"^(\d{4})\s*年?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_DATE_TAIL = re.compile(r"^(\s*日?)(\s*\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)?$")
_NATIONAL = ("全国", "国家", "中央", "中国", "national")
_INFERRED = ("title", "issuers", "jurisdiction")  # what overlay() reads of the parse to infer a place
# ... and what it compares given values with
_TEXT_SAYS = _INFERRED + ("title_source", "issuers_source", "date", "date_kind", "date_range", "doc_number")
_TITLE_MARKS = re.compile(r"[\s《》〈〉“”‘’\"'「」『』]")
_FIELD_LABEL = {"date": N_("date"), "title": N_("title"), "issuers": N_("issuers"), "doc_number": N_("文号")}


class SidecarError(Exception):
    """The sidecar as a whole cannot be used (one line, naming the file)."""


@dataclass
class Row:
    line: int  # line of a CSV/JSON Lines file, row of a sheet
    key: str  # the file it names, as written
    fields: dict[str, Any]  # normalized values, FIELDS but path


@dataclass
class Sidecar:
    path: str  # absolute
    rows: list[Row] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # "meta.csv:4: ..." one line each


@dataclass
class SyncReport:
    """What stored rows and the file-name pattern could not give (each a one-line warning)."""

    unmatched: list[str] = field(default_factory=list)
    ambiguous: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    documents: int = 0  # documents with given values
    changed: int = 0  # documents whose given values changed

    def warnings(self, source: str | None = None) -> list[str]:
        """Warnings, or only those of rows of one sidecar (absolute path) and the file-name pattern."""
        out = self.unmatched + self.ambiguous + self.conflicts
        if source is not None:
            shown = display(source)
            out = [w for w in out if w.startswith(shown + ":")]
        return out + self.names


def display(path: str) -> str:
    """A path as a reader gave it: relative to the working folder when inside it."""
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


# -- reading ------------------------------------------------------------------------


def parse_columns(spec: str | None) -> dict[str, str]:
    """``"date=发布日期,title=标题,issuer=发文机关,path=文件名"`` -> {field: header}; ValueError if malformed."""
    out: dict[str, str] = {}
    for part in (spec or "").replace("，", ",").split(","):
        if not part.strip():
            continue
        name, eq, header = part.partition("=")
        name, header = name.strip().lower(), header.strip()
        if not eq or not header:
            raise ValueError(f"{part.strip()!r} is not FIELD=HEADER")
        if name not in FIELD_NAMES:
            raise ValueError(f"unknown field {name!r} (one of {', '.join(sorted(FIELD_NAMES))})")
        out[FIELD_NAMES[name]] = header
    return out


def read_sidecar(path: str, columns: dict[str, str] | None = None) -> Sidecar:
    """Read and check a sidecar (.csv/.tsv, .jsonl/.json, .xlsx); SidecarError if it cannot be used at all."""
    name = display(os.path.abspath(path))
    ext = os.path.splitext(path)[1].lower()
    try:
        if ext == ".xlsx":
            records = _xlsx_records(path, name)
        elif ext in (".jsonl", ".ndjson", ".json"):
            records = _jsonl_records(path, name)
        else:
            records = _csv_records(path, name, "\t" if ext == ".tsv" else None)
    except OSError as e:
        raise SidecarError(f"{name}: cannot read: {e.strerror}") from None
    headers, rows, problems = records
    out = Sidecar(os.path.abspath(path), warnings=problems)
    mapping = _map_headers(headers, columns or {}, name)
    if "path" not in mapping:
        raise SidecarError(
            f"{name}: no column names the files ({', '.join(HEADERS['path'][:3])}, 文件名…); "
            "map one with --meta-columns path=HEADER"
        )
    used = set(mapping.values())
    unused = [h for h in headers if h not in used and h]
    if unused:
        out.warnings.append(f"{name}: columns not used: {', '.join(unused)}")
    seen: dict[str, Row] = {}
    for line, rec in rows:
        key = _text(rec.get(mapping["path"]))
        if not key:
            if any(_text(v) for v in rec.values()):
                out.warnings.append(f"{name}:{line}: names no file (empty {mapping['path']}): row not used")
            continue
        values: dict[str, Any] = {}
        for fld, header in mapping.items():
            if fld == "path":
                continue
            raw = rec.get(header)
            if _text(raw) == "" and not isinstance(raw, (date, datetime)):
                continue
            value, problem = normalize_value(fld, raw)
            if problem:
                out.warnings.append(f"{name}:{line}: {problem}")
            if value is not None:
                values[fld] = value
        prev = seen.get(_key_id(key))
        if prev is None:
            row = Row(line, key, values)
            seen[_key_id(key)] = row
            out.rows.append(row)
            continue
        clash = [f for f in values if f in prev.fields and prev.fields[f] != values[f]]
        for f in clash:
            out.warnings.append(
                f"{name}:{line}: {key} is also on line {prev.line} with another {f} "
                f"({_show(values[f])} here, {_show(prev.fields[f])} there): line {prev.line} kept"
            )
        for f, v in values.items():
            prev.fields.setdefault(f, v)
    return out


def _key_id(key: str) -> str:
    return os.path.normpath(key.strip().replace("\\", "/"))


def _show(v: Any) -> str:
    if isinstance(v, dict):
        return str(v.get("name"))
    if isinstance(v, list):
        return "、".join(v)
    return str(v)


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


def _map_headers(headers: list[str], columns: dict[str, str], name: str) -> dict[str, str]:
    """field -> header actually read."""
    present = {h.strip().lower(): h for h in headers if h}
    out: dict[str, str] = {}
    for fld, header in columns.items():
        h = present.get(header.strip().lower())
        if h is None:
            raise SidecarError(f"{name}: no column {header!r} (for {fld}); columns: {', '.join(headers)}")
        out[fld] = h
    for fld, names in HEADERS.items():
        if fld in out:
            continue
        for n in names:
            h = present.get(n.lower())
            if h is not None and h not in out.values():
                out[fld] = h
                break
    return out


def _decode(data: bytes, name: str) -> str:
    # Excel writes "CSV UTF-8" with a BOM, and plain CSV in the system code page (GB18030 on Chinese Windows).
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise SidecarError(f"{name}: neither UTF-8 nor GB18030")


def _csv_records(path: str, name: str, delimiter: str | None) -> tuple[list[str], list[tuple[int, dict]], list[str]]:
    with open(path, "rb") as f:
        text = _decode(f.read(), name)
    if delimiter is None:
        first = text.split("\n", 1)[0]
        delimiter = max((",", "\t", ";"), key=first.count) if first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    rows: list[tuple[int, dict]] = []
    line = reader.line_num + 1
    for rec in reader:
        if header is None:
            if any(c.strip() for c in rec):
                header = [c.strip() for c in rec]
        elif any(c.strip() for c in rec):
            rows.append((line, dict(zip(header, rec))))
        line = reader.line_num + 1
    if header is None:
        raise SidecarError(f"{name}: empty (no header row)")
    return header, rows, []


def _jsonl_records(path: str, name: str) -> tuple[list[str], list[tuple[int, dict]], list[str]]:
    with open(path, "rb") as f:
        text = _decode(f.read(), name)
    headers: dict[str, None] = {}
    rows: list[tuple[int, dict]] = []
    problems: list[str] = []
    for i, ln in enumerate(text.splitlines(), 1):
        if not ln.strip():
            continue
        try:
            rec = json.loads(ln)
        except json.JSONDecodeError as e:
            problems.append(f"{name}:{i}: not JSON ({e.msg}): row not used")
            continue
        if not isinstance(rec, dict):
            problems.append(f"{name}:{i}: not a JSON object: row not used")
            continue
        headers.update(dict.fromkeys(rec))
        rows.append((i, rec))
    return list(headers), rows, problems


def _xlsx_records(path: str, name: str) -> tuple[list[str], list[tuple[int, dict]], list[str]]:
    try:
        import openpyxl
    except ImportError:
        raise SidecarError(
            f"{name}: reading .xlsx needs openpyxl: pip install 'lineage[xlsx]' (or save the sheet as CSV)"
        ) from None
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # a damaged or foreign file: say so, whatever openpyxl raised
        raise SidecarError(f"{name}: not a readable .xlsx ({type(e).__name__}: {e})") from None
    try:
        ws = wb.worksheets[0]
        header: list[str] | None = None
        rows: list[tuple[int, dict]] = []
        for i, cells in enumerate(ws.iter_rows(values_only=True), 1):
            if header is None:
                if any(_text(c) for c in cells):
                    header = [_text(c) for c in cells]
            elif any(_text(c) for c in cells):
                rows.append((i, dict(zip(header, cells))))
    finally:
        wb.close()
    if header is None:
        raise SidecarError(f"{name}: empty sheet (no header row)")
    return header, rows, []


# -- values ----------------------------------------------------------------------------


def normalize_value(fld: str, raw: Any) -> tuple[Any, str | None]:
    """(value, problem): the value as stored, or None with a one-line reason."""
    if fld == "date":
        d = parse_given_date(raw)
        return (d, None) if d else (None, f"date {_text(raw)!r} is not a date: not used")
    if fld == "issuers":
        names = raw if isinstance(raw, list) else _ISSUER_SPLIT.split(_text(raw))
        names = [fold(_text(n)) for n in names if _text(n)]
        return (names, None) if names else (None, None)
    if fld == "jurisdiction":
        j = place(_text(raw))
        return (j, None) if j else (None, f"jurisdiction {_text(raw)!r} is not a place lineage knows: not used")
    if fld == "title":
        t = _text(raw)
        if t.startswith("《") and t.endswith("》"):
            t = t[1:-1].strip()
        return t or None, None
    if fld == "doc_number":
        return fold(_text(raw)).replace(" ", "") or None, None
    return _text(raw) or None, None


def parse_given_date(raw: Any) -> str | None:
    """A given date as ISO: a day ``2018-05-02``, a month ``2018-05`` or a year ``2018``; None if not a date.

    Accepts 2018-05-02, 2018/5/2, 2018.5.2, 20180502, 2018年5月2日 (also in
    Chinese numerals), 2018年5月, 2018-05, 2018, and date cells of a sheet.
    """
    if isinstance(raw, datetime):
        return raw.date().isoformat()
    if isinstance(raw, date):
        return raw.isoformat()
    s = fold(_text(raw))
    if not s:
        return None
    m = metadata.DATE_CN.match(s) or metadata.DATE_ISO.match(s)
    if m and _DATE_TAIL.match(s[m.end() :]):
        d = metadata.parse_date(m.group(0))
        return d.isoformat() if d and 1949 < d.year < 2100 else None
    m = _COMPACT.match(s)
    if m:
        try:
            return date(*(int(x) for x in m.groups())).isoformat()
        except ValueError:
            return None
    m = _MONTH.match(s)
    if m and 1 <= int(m.group(2)) <= 12:
        return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}"
    m = _YEAR.match(s)
    if m and 1949 < int(m.group(1)) < 2100:
        return m.group(1)
    return None


def place(name: str) -> dict[str, Any] | None:
    """A jurisdiction named in a sidecar (浙江省, 绍兴市, 浙江省绍兴市, 全国) as a graph jurisdiction."""
    n = fold(name).strip()
    if not n:
        return None
    if n in _NATIONAL or n.lower() == "national":
        return {"name": "全国", "level": "national", "province": None, "code": None, "source": "given"}
    divs = [d for d in gazetteer.lookup(n) if not d.historical] or gazetteer.lookup(n)
    if divs:
        d = divs[0]
    else:
        hits = gazetteer.find(n)
        if not hits:
            return None
        d = metadata._most_specific(hits)
    return {"name": d.name, "level": d.level, "province": d.province, "code": d.code, "source": "given"}


def date_from_name(pattern: re.Pattern[str], path: str) -> tuple[str | None, str | None]:
    """(ISO date, problem) read from a file name by a --date-from-name pattern; (None, None) if it does not match.

    Named groups ``y``/``year``, ``m``/``month``, ``d``/``day`` are used
    when present, else the first three groups are year, month, day (month
    and day optional); one group holding a whole date (``2018-05-02``) is
    parsed as a date.
    """
    name = os.path.basename(path)
    m = pattern.search(name)
    if not m:
        return None, None
    g = m.groupdict()
    parts = [g.get("y") or g.get("year"), g.get("m") or g.get("month"), g.get("d") or g.get("day")]
    if not parts[0]:
        groups = list(m.groups())
        if len(groups) == 1 and groups[0]:
            d = parse_given_date(groups[0])
            return (d, None) if d else (None, f"{name}: {groups[0]!r} (from --date-from-name) is not a date")
        parts = (groups + [None, None, None])[:3] if groups else [m.group(0), None, None]
    text = "-".join(p for p in parts if p)
    d = parse_given_date(text)
    if d is None:
        return None, f"{name}: {text!r} (from --date-from-name) is not a date"
    return d, None


def compile_date_pattern(pattern: str) -> re.Pattern[str]:
    """A --date-from-name pattern; ValueError with the reason if it is not a regular expression."""
    try:
        return re.compile(pattern)
    except re.error as e:
        raise ValueError(f"--date-from-name {pattern!r}: {e}") from None


# -- storing and resolving ----------------------------------------------------------------


def register(store: Store, sidecar: Sidecar | None = None, date_pattern: str | None = None) -> SyncReport:
    """Store a sidecar's rows (replacing those it gave before) and/or the file-name pattern; then sync.

    ``date_pattern=""`` removes a stored pattern.
    """
    with store.transaction():
        if sidecar is not None:
            store.replace_sidecar_rows(sidecar.path, ((r.line, r.key, r.fields) for r in sidecar.rows))
        if date_pattern is not None:
            store.set_setting(DATE_FROM_NAME, date_pattern or None)
        return sync(store)


def sync(store: Store) -> SyncReport:
    """Resolve the stored rows and pattern to documents and store what each document is given."""
    report = SyncReport()
    files = store.files()
    by_path = dict(files)
    by_name: dict[str, list[str]] = {}
    by_stem: dict[str, list[str]] = {}
    for p, _ in files:
        base = os.path.basename(p)
        by_name.setdefault(base, []).append(p)
        by_stem.setdefault(os.path.splitext(base)[0], []).append(p)
    given: dict[str, dict[str, tuple[Any, str]]] = {}  # sha -> field -> (value, origin)
    for source, line, key, fields in store.sidecar_rows():
        origin = f"{display(source)}:{line}"
        paths = _match(key, os.path.dirname(source), by_path, by_name, by_stem)
        shas = sorted({by_path[p] for p in paths})
        if not shas:
            report.unmatched.append(f"{origin}: names no ingested file ({key})")
            continue
        if len(shas) > 1:
            report.ambiguous.append(
                f"{origin}: {key} names {len(shas)} different documents "
                f"({', '.join(display(p) for p in sorted(paths)[:3])}): give its path"
            )
            continue
        mine = given.setdefault(shas[0], {})
        for fld, value in fields.items():
            if fld not in mine:
                mine[fld] = (value, origin)
            elif mine[fld][0] != value:
                report.conflicts.append(
                    f"{origin}: {key}: {fld} {_show(value)} conflicts with "
                    f"{mine[fld][1]} ({_show(mine[fld][0])}): {mine[fld][1]} kept"
                )
    pattern = store.setting(DATE_FROM_NAME)
    if pattern:
        rx = re.compile(pattern)
        for p, sha in files:
            if "date" in given.get(sha, {}):
                continue
            d, problem = date_from_name(rx, p)
            if problem:
                report.names.append(problem)
            elif d:
                given.setdefault(sha, {})["date"] = (d, FROM_NAME)
    parsed = store.parsed_at()
    wanted = {sha: overlay(store.raw_meta(sha, _TEXT_SAYS), g) for sha, g in given.items() if sha in parsed}
    old, old_parsed = store.all_given(), store.given_parsed_at()
    # a document parsed again since its given fields were stored: its caches were made from the bare parse
    changed = sorted(
        s
        for s in set(wanted) | set(old)
        if wanted.get(s) != old.get(s) or (s in wanted and old_parsed.get(s) != parsed[s])
    )
    report.documents, report.changed = len(wanted), len(changed)
    if changed:
        _forget_derived(store, changed)
        with store.transaction():
            for sha in changed:
                store.put_given(sha, wanted.get(sha), parsed.get(sha, 0.0))
    return report


def _match(
    key: str, folder: str, by_path: dict[str, str], by_name: dict[str, list[str]], by_stem: dict[str, list[str]]
) -> list[str]:
    k = key.strip().replace("\\", "/")
    full = os.path.normpath(k if os.path.isabs(k) else os.path.join(folder, k))
    if full in by_path:
        return [full]
    if os.path.isabs(k):
        return []
    base = os.path.basename(k)
    if "/" in k:
        tail = "/" + os.path.normpath(k)
        return [p for p in by_name.get(base, []) if p.replace(os.sep, "/").endswith(tail)]
    return by_name.get(base) or by_stem.get(base) or []


def overlay(meta: dict[str, Any], given: dict[str, tuple[Any, str]]) -> dict[str, Any]:
    """The Document fields that given values replace (meta: the document as parsed)."""
    out: dict[str, Any] = {"given": {f: origin for f, (_, origin) in sorted(given.items())}}
    v = {f: value for f, (value, _) in given.items()}
    said = superseded(meta, v)
    if said:  # only then: a document whose text agrees keeps the given row it had
        out["superseded"] = said
    if "title" in v:
        out.update(title=v["title"], title_source="given")
    if "date" in v:
        out.update(date=v["date"], date_kind="given", date_range=None)
    if "issuers" in v:
        out.update(issuers=v["issuers"], issuers_source="given")
    if "doc_number" in v:
        out["doc_number"] = v["doc_number"]
    if "url" in v:
        out["url"] = v["url"]
    if "jurisdiction" in v:
        out["jurisdiction"] = v["jurisdiction"]
    elif "issuers" in v or "title" in v:
        # a place read from given issuers (or title) beats one guessed from the body
        j = metadata.jurisdiction_of(v.get("issuers") or meta.get("issuers") or [], v.get("title") or meta.get("title"))
        rank, worst = JURISDICTION_SOURCE_RANK, len(JURISDICTION_SOURCE_RANK)
        old = (meta.get("jurisdiction") or {}).get("source")
        if j and (("issuers" in v and j.source == "issuers") or rank.get(j.source, worst) < rank.get(old or "", worst)):
            out["jurisdiction"] = {
                "name": j.name,
                "level": j.level,
                "province": j.province,
                "code": j.code,
                "source": j.source,
            }
    return out


# -- given values against the text ----------------------------------------------------------


def superseded(parsed: dict[str, Any], given: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """What the text says of each field whose given value contradicts it: ``{field: {"text": value, ...}}``.

    ``parsed``: the document as parsed (a field it lacks cannot be contradicted).  A date carries its
    ``kind`` (signed, published, estimated) and an estimate its ``range``; a title and issuers their
    ``source``.  Agreeing: dates whose intervals overlap (a given month or year holds the signed day;
    an estimate is its year or its bounds, so a given day inside either agrees); titles of which one
    holds the other once spaces, quotes and 《》 are dropped (the notice's title holds the plan's);
    the same issuers, as a set; the same 文号 whatever its brackets.
    """
    out: dict[str, dict[str, Any]] = {}
    d = parsed.get("date")
    if "date" in given and d and not _dates_agree(d, parsed.get("date_range"), given["date"]):
        out["date"] = {"text": d, "kind": parsed.get("date_kind")}
        if parsed.get("date_range"):
            out["date"]["range"] = list(parsed["date_range"])
    t = parsed.get("title")
    if "title" in given and t:
        a, b = _TITLE_MARKS.sub("", fold(t)), _TITLE_MARKS.sub("", fold(given["title"]))
        if a not in b and b not in a:
            out["title"] = {"text": t, "source": parsed.get("title_source")}
    names = parsed.get("issuers")
    if "issuers" in given and names and _issuer_set(names) != _issuer_set(given["issuers"]):
        out["issuers"] = {"text": names, "source": parsed.get("issuers_source")}
    dn = parsed.get("doc_number")
    if "doc_number" in given and dn and metadata._dn_key(dn) != metadata._dn_key(given["doc_number"]):
        out["doc_number"] = {"text": dn}
    return out


def _issuer_set(names: list[str]) -> set[str]:
    return {re.sub(r"\s", "", fold(n)) for n in names}


def _interval(iso: str) -> tuple[date, date] | None:
    """The days a date means: a day, a month or a year (what a given date may be)."""
    try:
        parts = [int(x) for x in iso.split("-")]
        if len(parts) == 1:
            return date(parts[0], 1, 1), date(parts[0], 12, 31)
        y, m = parts[0], parts[1]
        if len(parts) == 2:
            return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])
        return date(y, m, parts[2]), date(y, m, parts[2])
    except (ValueError, IndexError):
        return None


def _dates_agree(text: str, text_range: Any, given: str) -> bool:
    g = _interval(given)
    spans = [_interval(text)]
    if text_range:  # an estimate: its year, or anywhere within its bounds
        spans.append((date.fromisoformat(text_range[0]), date.fromisoformat(text_range[1])))
    if g is None or not any(spans):
        return True  # nothing to compare: no contradiction is claimed
    return any(s is not None and s[0] <= g[1] and g[0] <= s[1] for s in spans)


def superseded_notes(doc: Document | dict[str, Any], localized: bool = False) -> list[str]:
    """One line per contradicted field: ``date: text says 2020-05-08 (signed); meta.csv:3 gives 2020-07-10``.

    English as JSON and stderr keep it, or (``localized``) in the current language, as pages and ``show`` print it.
    """
    d = (
        {"superseded": doc.superseded, "given": doc.given, **{f: getattr(doc, f) for f in doc.superseded}}
        if isinstance(doc, Document)
        else doc
    )

    def tr(message: str, **kw: Any) -> str:
        return gettext(message, **kw) if localized else (message % kw if kw else message)

    out = []
    for fld, said in (d.get("superseded") or {}).items():
        text, now = said.get("text"), d.get(fld)
        if fld == "issuers":
            text, now = "、".join(text or []), "、".join(now or [])
        elif fld == "date":
            text = f"{text} ({tr(said.get('kind') or '')}"
            if said.get("range"):
                text += tr(N_(", between %(start)s and %(end)s"), start=said["range"][0], end=said["range"][1])
            text += ")"
        origin = (d.get("given") or {}).get(fld, "?")
        out.append(
            tr(
                N_("%(field)s: text says %(text)s; %(origin)s gives %(given)s"),
                field=tr(_FIELD_LABEL[fld]),
                text=text,
                origin=tr(origin) if origin == FROM_NAME else origin,
                given=now,
            )
        )
    return out


def contradictions(store: Store, shas: list[str] | None = None, source: str | None = None) -> list[tuple[str, str]]:
    """(sha256, warning) of each field a given value took over against the document's own text, one line
    naming the file: of the documents ``shas`` (default: all), and with ``source`` only values given by that
    sidecar (an absolute path) or by :data:`FROM_NAME`."""
    given = store.all_given()
    out: list[tuple[str, str]] = []
    shown = display(source) + ":" if source is not None else ""
    for sha in given if shas is None else shas:
        g = given.get(sha) or {}
        said = g.get("superseded") or {}
        if source is not None:
            origin = g.get("given") or {}
            said = {f: v for f, v in said.items() if origin.get(f) == source or origin.get(f, "").startswith(shown)}
        if not said:
            continue
        paths = store.paths_of(sha)
        name = display(paths[0]) if paths else sha[:12]
        out.extend((sha, f"{name}: {line}") for line in superseded_notes({**g, "superseded": said}))
    return out


def _forget_derived(store: Store, shas: list[str]) -> None:
    """Caches that carry a document's metadata: its dedup features, its fingerprints (their place-free keys
    read its jurisdiction) and the n-gram index holding them, the stored clustering, and the state stamp."""
    import time

    from lineage.dedup.features import CACHE_KIND
    from lineage.dedup.result import RESULT_KIND

    with store.transaction():
        for sha in shas:
            store.drop_cache(sha, CACHE_KIND)
            store.drop_cache_prefix(FINGERPRINT_CACHE, sha)
        if shas:
            store.drop_cache_prefix(INDEX_CACHE)
        store.db.execute("DELETE FROM results WHERE kind=?", (RESULT_KIND,))
        store.set_setting(GIVEN_CHANGED, repr(max(time.time(), store.last_parsed() + 1e-6)))
