"""``lineage dedup --out DIR``: one file per version, and manifests mapping every input to its version.

The directory is built beside its destination under a temporary name and
renamed into place, so a reader never sees half of it; a previous output
(recognised by its manifest) is replaced, anything else is refused.  Input
files are only ever read (or hard-linked with ``link``).

Layout::

    DIR/v-<sha256 prefix>.<txt|html>   the canonical copy of each version
    DIR/manifest.csv                   one row per input: path, version, relation, ...
    DIR/manifest.json                  {"versions": [...], "inputs": [...], "skipped": [...]}

File names are the cluster ids (the canonical copy's sha256 prefix): safe on
every file system, whatever the title holds, and stable across runs.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import tempfile

from .dedup_result import DedupResult

MANIFEST = "manifest.json"


class OutputError(Exception):
    pass


def write_output(result: DedupResult, out_dir: str, inputs: list[str], link: bool = False) -> int:
    """Write the version files and manifests; returns the number of version files written."""
    out_dir = os.path.abspath(out_dir)
    abs_inputs = {os.path.abspath(p): p for p in inputs}
    _check_destination(out_dir, abs_inputs)
    parent = os.path.dirname(out_dir)
    os.makedirs(parent, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=".lineage-out-", dir=parent)
    try:
        versions, written = [], 0
        for c in result.clusters:
            name, source = _version_file(c)
            if source is not None:
                _place(source, os.path.join(tmp, name), link)
                written += 1
            versions.append({"cluster": c.id, "file": name if source else None, "canonical": c.canonical,
                             "title": c.title, "date": c.date, "family": c.family, "reason": c.reason,
                             "copies": len(c.members)})
        rows = []
        for c in result.clusters:
            name = next(v["file"] for v in versions if v["cluster"] == c.id)
            for p in c.members:
                if p in abs_inputs:
                    m = c.details[p]
                    rows.append({"path": abs_inputs[p], "cluster": c.id, "relation": m.relation, "output": name,
                                 "canonical": c.canonical, "containment": m.containment, "similarity": m.similarity,
                                 "sha256": m.sha256, "differences": m.differences})
        rows.sort(key=lambda r: r["path"])
        with open(os.path.join(tmp, "manifest.csv"), "w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0]) if rows else ["path"])
            w.writeheader()
            w.writerows(rows)
        with open(os.path.join(tmp, MANIFEST), "w", encoding="utf-8") as f:
            json.dump({"versions": versions, "inputs": rows,
                       "related": [r.to_dict() for r in result.related],
                       "skipped": [{"path": p, "reason": r} for p, r in result.skipped]},
                      f, ensure_ascii=False, indent=2)
        _swap_in(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return written


def _check_destination(out_dir: str, inputs: dict[str, str]) -> None:
    for p in inputs:
        if p == out_dir or p.startswith(out_dir + os.sep):
            raise OutputError(f"{out_dir}: holds input files; choose another --out directory")
    if os.path.exists(out_dir):
        if not os.path.isdir(out_dir):
            raise OutputError(f"{out_dir}: exists and is not a directory")
        entries = os.listdir(out_dir)
        if entries and MANIFEST not in entries:
            raise OutputError(f"{out_dir}: not empty and not a previous 'lineage dedup --out' directory; "
                              "refusing to replace it")


def _version_file(c) -> tuple[str, str | None]:
    """Output name of a cluster and the file to take it from (an existing copy of the canonical content)."""
    ext = os.path.splitext(c.canonical)[1].lower()
    name = c.id + (ext if ext in (".txt", ".html", ".htm") else ".txt")
    sha = c.details[c.canonical].sha256
    for p in [c.canonical] + [q for q in c.members if c.details[q].sha256 == sha]:
        if os.path.isfile(p):
            return name, p
    return name, None


def _place(source: str, dest: str, link: bool) -> None:
    if link:
        try:
            os.link(source, dest)
            return
        except OSError:
            pass  # another file system, or links not allowed: copy instead
    shutil.copyfile(source, dest)


def _swap_in(tmp: str, out_dir: str) -> None:
    """Rename the finished directory into place, replacing an earlier output."""
    if not os.path.exists(out_dir):
        os.rename(tmp, out_dir)
        return
    old = tempfile.mkdtemp(prefix=".lineage-old-", dir=os.path.dirname(out_dir))
    os.rmdir(old)
    os.rename(out_dir, old)
    try:
        os.rename(tmp, out_dir)
    except BaseException:
        os.rename(old, out_dir)
        raise
    shutil.rmtree(old, ignore_errors=True)
