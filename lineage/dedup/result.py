"""What dedup returns: clusters of copies, revisions between them, skipped files.

Plain dataclasses with ``to_dict``/``from_dict``; ``to_dict`` is the JSON
printed by ``lineage dedup --json`` and stored in the database for the graph
and report stages (``dedup.load_result``).  Schema (README, "lineage dedup"):

    {"clusters": [{"id", "canonical", "reason", "members": [path...],
                   "details": {path: {"relation", "containment", "similarity",
                                      "differences", "sha256"}},
                   "family", "title", "date"}],
     "related": [{"a", "b", "similarity",
                  "changes": {"modified", "added", "deleted", "examples"}}],
     "same_text": [{"a", "b", "issued_in": [place, place]}],
     "skipped": [{"path", "reason"}],
     "stats": {...}}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lineage.dedup.verify import Changes

# Where the latest clustering is stored (Store.put_result): here, beside its schema, so that modules which
# only read or drop it (trace, sidecar) need not import the dedup pipeline, which ingests.
RESULT_KIND = "dedup"
RESULT_KEY = "latest"

RELATIONS = ("canonical", "identical", "formatting", "truncated", "noisy")


@dataclass
class Member:
    """How one file relates to its cluster's canonical copy."""

    relation: str  # one of RELATIONS
    containment: float  # share of this copy's body found in the canonical's
    similarity: float  # 2 * shared characters / (this body + the canonical's body)
    differences: str  # what differs, in words
    sha256: str
    encoding: str = ""  # of the file's bytes, as ingest decoded them (utf-8, utf-8-sig, gb18030...)

    def to_dict(self) -> dict[str, Any]:
        return {
            "relation": self.relation,
            "containment": self.containment,
            "similarity": self.similarity,
            "differences": self.differences,
            "sha256": self.sha256,
            "encoding": self.encoding,
        }


@dataclass
class Cluster:
    """One document version: every copy of it, and the copy to keep."""

    id: str  # "v-" + the canonical copy's sha256 prefix: stable while the canonical is
    canonical: str  # path of the canonical copy
    reason: str  # why that copy
    members: list[str]  # every path holding a copy, canonical first, then by path
    details: dict[str, Member]
    family: str  # id of the family (clusters linked by revisions): its smallest cluster id
    title: str | None = None  # the canonical copy's title
    date: str | None = None  # the canonical copy's date (ISO, as `lineage show` gives it)
    date_kind: str | None = None  # signed | published | estimated | given... (an estimate's date is a year)

    @property
    def shas(self) -> list[str]:
        seen: dict[str, None] = {}
        for p in self.members:
            seen.setdefault(self.details[p].sha256, None)
        return list(seen)

    @property
    def canonical_sha(self) -> str:
        return self.details[self.canonical].sha256

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "canonical": self.canonical,
            "reason": self.reason,
            "members": list(self.members),
            "details": {p: self.details[p].to_dict() for p in self.members},
            "family": self.family,
            "title": self.title,
            "date": self.date,
            "date_kind": self.date_kind,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Cluster:
        return cls(
            d["id"],
            d["canonical"],
            d["reason"],
            list(d["members"]),
            {p: Member(**m) for p, m in d["details"].items()},
            d.get("family", d["id"]),
            d.get("title"),
            d.get("date"),
            d.get("date_kind"),
        )


@dataclass
class Related:
    """Two versions of one document: a revision."""

    a: str  # cluster id (the earlier version when dates tell, else the smaller id)
    b: str
    similarity: float
    changes: Changes  # what b changed relative to a, counted in clauses

    def to_dict(self) -> dict[str, Any]:
        return {"a": self.a, "b": self.b, "similarity": self.similarity, "changes": self.changes.to_dict()}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Related:
        return cls(d["a"], d["b"], d["similarity"], Changes.from_dict(d["changes"]))


@dataclass
class SameText:
    """Two versions with the same text, issued as two documents: by two governments (a notice forwarding the
    other), or under two 文号 (issued twice), or one's copies name no issuer and its title or its dates keep
    it apart (:func:`lineage.dedup.cluster.walk`)."""

    a: str  # cluster id of the one issued first (when dates tell, else the smaller id)
    b: str
    issued_in: tuple[str, str]  # where each one's issuers say it was issued ("" where no copy names them)

    def to_dict(self) -> dict[str, Any]:
        return {"a": self.a, "b": self.b, "issued_in": list(self.issued_in)}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> SameText:
        return cls(d["a"], d["b"], (d["issued_in"][0], d["issued_in"][1]))


@dataclass
class DedupResult:
    clusters: list[Cluster] = field(default_factory=list)
    related: list[Related] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    stats: dict[str, Any] = field(default_factory=dict)
    same_text: list[SameText] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._index()

    def _index(self) -> None:
        self._by_id = {c.id: c for c in self.clusters}
        self._by_sha: dict[str, str] = {}
        self._by_path: dict[str, str] = {}
        for c in self.clusters:
            for p in c.members:
                self._by_path[p] = c.id
                self._by_sha[c.details[p].sha256] = c.id

    def cluster(self, cluster_id: str) -> Cluster:
        return self._by_id[cluster_id]

    def version_of(self, sha256: str) -> str | None:
        """Cluster id of the document with this content hash (None if not clustered)."""
        return self._by_sha.get(sha256)

    def cluster_of_path(self, path: str) -> Cluster | None:
        cid = self._by_path.get(path)
        return self._by_id[cid] if cid else None

    def family_of(self, cluster_id: str) -> list[str]:
        """Ids of the clusters in the same family (revisions of one document), in id order."""
        fam = self._by_id[cluster_id].family
        return sorted(c.id for c in self.clusters if c.family == fam)

    def select(self, paths: list[str] | None = None, shas: set[str] | None = None) -> DedupResult:
        """The clusters holding any of these paths or documents, and the revisions among them."""
        ids = {self._by_path[p] for p in paths or () if p in self._by_path}
        ids |= {self._by_sha[s] for s in shas or () if s in self._by_sha}
        keep = [c for c in self.clusters if c.id in ids]
        return DedupResult(
            keep,
            [r for r in self.related if r.a in ids or r.b in ids],
            list(self.skipped),
            dict(self.stats),
            [x for x in self.same_text if x.a in ids or x.b in ids],
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "clusters": [c.to_dict() for c in self.clusters],
            "related": [r.to_dict() for r in self.related],
            "same_text": [x.to_dict() for x in self.same_text],
            "skipped": [{"path": p, "reason": r} for p, r in self.skipped],
            "stats": dict(self.stats),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> DedupResult:
        return cls(
            [Cluster.from_dict(c) for c in d["clusters"]],
            [Related.from_dict(r) for r in d["related"]],
            [(s["path"], s["reason"]) for s in d.get("skipped", [])],
            dict(d.get("stats", {})),
            [SameText.from_dict(x) for x in d.get("same_text", [])],
        )
