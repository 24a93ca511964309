"""``lineage dedup --out DIR``: one file per version, and manifests mapping every input to its version.

The folder is owned as :mod:`lineage.owned` describes (shared with
``lineage report --out``): ``.lineage-output.json`` lists the files dedup
wrote; a re-run replaces or removes only those, while unchanged, and keeps
anything else; a non-empty folder dedup did not write is refused, and so is
one holding the inputs or inside an input folder.  Each file is moved into
place with one rename.  Input files are only ever read (or hard-linked with
``link``).

Layout::

    DIR/v-<sha256 prefix>.<txt|html>   the canonical copy of each version
    DIR/manifest.csv                   one row per input: path, version, relation, ...
    DIR/manifest.json                  {"versions": [...], "inputs": [...], "skipped": [...]}

File names are the cluster ids (the canonical copy's sha256 prefix): safe on
every file system, whatever the title holds, and stable across runs.
"""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import dataclass, field
from typing import Any

from lineage.dedup.result import Cluster, DedupResult
from lineage.owned import OutputError, OwnedDir

MANIFEST = "manifest.json"
TOOL = "lineage dedup"

__all__ = ["OutputError", "open_output", "write_output"]


def open_output(out_dir: str, inputs: list[str] | tuple[str, ...] = ()) -> OwnedDir:
    """Take the folder ``out_dir`` before the pipeline runs; raises :class:`OutputError` with the reason."""
    return OwnedDir(out_dir, TOOL, inputs).open()


@dataclass
class Written:
    """What :func:`write_output` wrote: version files, and the versions left without one because every copy
    of their canonical bytes changed on disk since it was read (cluster id -> those paths)."""

    files: int
    changed: dict[str, list[str]] = field(default_factory=dict)


def write_output(result: DedupResult, out: str | OwnedDir, inputs: list[str], link: bool = False) -> Written:
    """Write the version files and manifests."""
    abs_inputs = {os.path.abspath(p): p for p in inputs}
    folder = open_output(out, list(abs_inputs)) if isinstance(out, str) else out
    try:
        versions, written = [], 0
        changed: dict[str, list[str]] = {}
        for c in result.clusters:
            name, sources = _version_file(c)
            sha = c.details[c.canonical].sha256
            # the file must still hold the bytes clustered (a copy edited since, its size and mtime kept, is
            # not the version the manifest names); else the next copy that does
            source = next((p for p in sources if folder.stage_copy(name, p, link, sha256=sha)), None)
            if source is not None:
                written += 1
            elif sources:
                changed[c.id] = sources
            versions.append(
                {
                    "cluster": c.id,
                    "file": name if source else None,
                    "canonical": abs_inputs.get(c.canonical, c.canonical),
                    "title": c.title,
                    "date": c.date,
                    "date_kind": c.date_kind,
                    "family": c.family,
                    "reason": c.reason,
                    "copies": len(c.members),
                    **({"not_written": "changed on disk since read"} if c.id in changed else {}),
                }
            )
        rows: list[dict[str, Any]] = []
        for c in result.clusters:
            out_name = next(v["file"] for v in versions if v["cluster"] == c.id)
            for p in c.members:
                if p in abs_inputs:
                    m = c.details[p]
                    rows.append(
                        {
                            "path": abs_inputs[p],
                            "cluster": c.id,
                            "relation": m.relation,
                            "output": out_name,
                            # as the inputs were given (relative where they were), like "path"
                            "canonical": abs_inputs.get(c.canonical, c.canonical),
                            "containment": m.containment,
                            "similarity": m.similarity,
                            "sha256": m.sha256,
                            "encoding": m.encoding,
                            "differences": m.differences,
                        }
                    )
        rows.sort(key=lambda r: r["path"])
        buf = io.StringIO(newline="")
        w = csv.DictWriter(buf, fieldnames=list(rows[0]) if rows else ["path"])
        w.writeheader()
        w.writerows(rows)
        folder.stage("manifest.csv", buf.getvalue().encode("utf-8"))
        folder.stage(
            MANIFEST,
            json.dumps(
                {
                    "versions": versions,
                    "inputs": rows,
                    "related": [r.to_dict() for r in result.related],
                    "skipped": [{"path": p, "reason": r} for p, r in result.skipped],
                },
                ensure_ascii=False,
                indent=2,
            ).encode("utf-8"),
        )
        folder.commit(protect=abs_inputs)
    finally:
        if isinstance(out, str):
            folder.close()
    return Written(written, changed)


def _version_file(c: Cluster) -> tuple[str, list[str]]:
    """Output name of a cluster and the files to take it from (the copies of the canonical content on disk)."""
    ext = os.path.splitext(c.canonical)[1].lower()
    name = c.id + (ext if ext in (".txt", ".html", ".htm") else ".txt")
    sha = c.details[c.canonical].sha256
    paths = [c.canonical] + [q for q in c.members if q != c.canonical and c.details[q].sha256 == sha]
    return name, [p for p in paths if os.path.isfile(p)]
