"""An output folder owned by lineage: it replaces and removes only files it wrote itself.

``DIR/.lineage-output.json`` (the *record*) names the command that owns the
folder, the lineage version and every file it wrote, with size and sha256.
The rules (``lineage report --out`` and ``lineage dedup --out``):

* a folder that does not exist, or is empty, is taken: the record is written
  at once, before the pipeline runs, so even an interrupted first run leaves
  a folder lineage recognises;
* a non-empty folder without a record, or with another command's record, is
  refused; so is a folder that holds inputs or lies inside an input folder
  (its files would be read as documents);
* a recorded file that has changed since lineage wrote it (other bytes, or no
  longer a regular file) is never overwritten or deleted: the run is refused,
  naming it;
* a file lineage did not write is kept; only if the new output has a file at
  its path is the run refused, naming it.  Input files are never replaced.

All checks that do not need the new output run in :meth:`OwnedDir.open`,
before the pipeline, along with creating the folder: an impossible or
unwritable ``--out`` fails there in one line.

Writing.  New files are staged in ``DIR/.lineage-tmp-<pid>/``; on commit the
record first lists old and new files (a journal: after a crash every file
lineage may have left is still its own), then each file is moved into place
with one rename (a reader sees the old file or the new one, never half of
one) — files in subfolders first and ``index.html`` last, so pages a new page
links to are there before it — then files no longer written are removed and
the record is rewritten.  The folder as a whole switches over in that burst of
renames, not in one step: a directory swap would take the user's own files
with it.

An exclusive ``flock`` on DIR is held from :meth:`open` to :meth:`close`: a
second run on the same folder is refused, and any ``.lineage-tmp-*`` folder
found under the lock was left by a run that was killed, and is removed.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
from collections.abc import Iterable
from dataclasses import dataclass

from lineage import __version__

try:
    import fcntl
except ImportError:  # not POSIX: no lock, and two runs on one folder are the user's business
    fcntl = None  # type: ignore[assignment]  # the module, or None where there is none

RECORD = ".lineage-output.json"
STAGING = ".lineage-tmp-"
_STAGING_RE = re.compile(re.escape(STAGING) + r"\d+$")
_CHANGED = (
    "changed since lineage wrote it; lineage never overwrites or deletes it: move it out of the folder or delete it"
)


class OutputError(Exception):
    """The output folder cannot be used; the message is one line naming the path and the reason."""


@dataclass(frozen=True)
class Entry:
    size: int
    sha256: str

    def to_dict(self) -> dict:
        return {"size": self.size, "sha256": self.sha256}


def _hash_file(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _reason(e: OSError) -> str:
    return e.strerror or str(e)


def _under(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


class OwnedDir:
    """The output folder ``path`` of the command ``tool`` (e.g. ``"lineage report"``).

    Use: ``open()`` before the pipeline, ``stage()``/``stage_copy()`` every file,
    ``commit()``, and ``close()`` in any case (also a context manager).
    """

    def __init__(self, path: str, tool: str, inputs: Iterable[str] = ()) -> None:
        self.given = path
        self.path = os.path.realpath(path)
        self.tool = tool
        self.inputs = [os.path.realpath(p) for p in inputs]
        self.files: dict[str, Entry] = {}  # what lineage wrote here (the record)
        self.previous: dict[str, Entry] = {}  # a commit interrupted half-way: what it was replacing
        self.staged: dict[str, Entry] = {}
        self.staging = os.path.join(self.path, f"{STAGING}{os.getpid()}")
        self._fd: int | None = None
        self._made = False  # this run made the folder
        self._new = False  # ... or took an empty one: nothing of lineage's is here yet
        self._committed = False
        self._hashes: dict[tuple, str] = {}  # (path, inode, mtime, size) -> sha256, within this run

    # -- before the pipeline ---------------------------------------------------------------------------

    def open(self) -> OwnedDir:
        self._check_inputs()
        self._make()
        try:
            self._lock()
            self._read_record()
            self._clean_stale()
            self._mkdir(self.staging)
            if self._new:
                self._write_record({})
            changed = [rel for rel in sorted(self.owned()) if not self._ours(rel)]
            if changed:
                self._refuse(changed, _CHANGED)
        except BaseException:
            self.close()
            raise
        return self

    def _check_inputs(self) -> None:
        for p in self.inputs:
            if _under(p, self.path):
                raise OutputError(f"{self.given}: holds input files ({p}); choose another folder for the output")
            if os.path.isdir(p) and _under(self.path, p):
                raise OutputError(
                    f"{self.given}: inside the input folder {p} (its files would be read as "
                    "documents); choose a folder outside the inputs"
                )

    def _make(self) -> None:
        if os.path.lexists(self.path) and not os.path.isdir(self.path):
            raise OutputError(f"{self.given}: exists and is not a folder")
        if not os.path.isdir(self.path):
            up = os.path.dirname(self.path)
            while not os.path.lexists(up):
                up = os.path.dirname(up)
            if not os.path.isdir(up):
                raise OutputError(f"{self.given}: cannot create the folder ({up} is not a folder)")
            try:
                os.makedirs(os.path.dirname(self.path), exist_ok=True)
                try:
                    os.mkdir(self.path)
                    self._made = True
                except FileExistsError:
                    if not os.path.isdir(self.path):
                        raise
                    # another run made it a moment ago: the lock decides
            except OSError as e:
                raise OutputError(f"{self.given}: cannot create the folder ({_reason(e)})") from None

    def _lock(self) -> None:
        try:
            self._fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        except OSError as e:
            raise OutputError(f"{self.given}: cannot open the folder ({_reason(e)})") from None
        if fcntl is None:
            return
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputError(f"{self.given}: another lineage run is writing to this folder") from None
        except OSError:
            pass  # a file system without locks (some network mounts): write unlocked

    def _read_record(self) -> None:
        path = os.path.join(self.path, RECORD)
        try:
            entries = [e for e in os.listdir(self.path) if not _STAGING_RE.match(e)]
        except OSError as e:
            raise OutputError(f"{self.given}: cannot read the folder ({_reason(e)})") from None
        if RECORD not in entries:
            if entries:
                raise OutputError(
                    f"{self.given}: not empty and not written by {self.tool} (no {RECORD}); "
                    "refusing to write into it: choose a new or empty folder"
                )
            self._new = True
            return
        try:
            with open(path, encoding="utf-8") as f:
                rec = json.load(f)
            tool = rec["tool"]
            self.files = {k: Entry(int(v["size"]), str(v["sha256"])) for k, v in rec["files"].items()}
            self.previous = {k: Entry(int(v["size"]), str(v["sha256"])) for k, v in rec.get("previous", {}).items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
            raise OutputError(
                f"{path}: not a record lineage can read ({e}); refusing to write into {self.given}"
            ) from None
        if tool != self.tool:
            raise OutputError(f"{self.given}: written by {tool}, not {self.tool}; choose another folder")
        try:
            for rel in list(self.files) + list(self.previous):
                _check_rel(rel, path)
        except ValueError as e:
            raise OutputError(f"{e}; refusing to write into {self.given}") from None

    def _clean_stale(self) -> None:
        # Under the lock no other run is writing here: these were left by a run that was killed.
        for e in os.listdir(self.path):
            p = os.path.join(self.path, e)
            if _STAGING_RE.match(e) and os.path.isdir(p) and not os.path.islink(p):
                shutil.rmtree(p, ignore_errors=True)

    def _mkdir(self, path: str) -> None:
        try:
            os.mkdir(path)
        except OSError as e:
            raise OutputError(f"{self.given}: cannot write in the folder ({_reason(e)})") from None

    # -- staging -----------------------------------------------------------------------------------------

    def stage(self, rel: str, data: bytes) -> Entry:
        """Write the file ``rel`` (relative, "/"-separated) of the new output."""
        path = self._staged_path(rel)
        with open(path, "wb") as f:
            f.write(data)
        entry = self.staged[rel] = Entry(len(data), hashlib.sha256(data).hexdigest())
        return entry

    def stage_copy(self, rel: str, source: str, link: bool = False, sha256: str | None = None) -> Entry | None:
        """Stage a copy of ``source`` (a hard link with ``link``, where the file system allows).

        ``sha256``: the bytes expected; a source that no longer holds them (edited since it was read, its size
        and mtime kept) is not staged, and None is returned.
        """
        path = self._staged_path(rel)
        if link:
            try:
                os.link(source, path)
            except OSError:
                shutil.copyfile(source, path)  # another file system, or links not allowed
        else:
            shutil.copyfile(source, path)
        entry = Entry(os.path.getsize(path), _hash_file(path))
        if sha256 is not None and entry.sha256 != sha256:
            os.unlink(path)
            return None
        self.staged[rel] = entry
        return entry

    def _staged_path(self, rel: str) -> str:
        _check_rel(rel, rel)
        if rel in self.staged:
            raise ValueError(f"{rel}: staged twice")
        path = os.path.join(self.staging, *rel.split("/"))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        return path

    # -- commit ------------------------------------------------------------------------------------------

    def owned(self) -> dict[str, Entry]:
        """Files lineage may have left here (after an interrupted commit: old and new ones)."""
        return {**self.previous, **self.files}

    def commit(self, protect: Iterable[str] = ()) -> None:
        """Move the staged files into place and remove the files of the last run not written again."""
        protect = {os.path.realpath(p) for p in protect}
        old = self.owned()
        problems: dict[str, list[str]] = {}
        for rel in sorted(set(self.staged) | set(old)):
            why = self._problem(rel, old, protect)
            if why:
                problems.setdefault(why, []).append(rel)
        for why, rels in problems.items():
            self._refuse(rels, why)
        self._write_record(self.staged, previous=old)  # the journal
        order = sorted(self.staged, key=lambda r: ("/" not in r, r == "index.html", r))
        for rel in order:
            dest = os.path.join(self.path, *rel.split("/"))
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            os.replace(os.path.join(self.staging, *rel.split("/")), dest)
        for rel in sorted(set(old) - set(self.staged)):
            path = os.path.join(self.path, *rel.split("/"))
            if os.path.lexists(path) and self._ours(rel):
                os.unlink(path)
                self._prune(os.path.dirname(path))
        self.files, self.previous = dict(self.staged), {}
        self._write_record(self.files)
        self._committed = True

    def _problem(self, rel: str, old: dict[str, Entry], protect: set[str]) -> str | None:
        path = os.path.join(self.path, *rel.split("/"))
        parts = rel.split("/")
        for k in range(1, len(parts)):
            d = os.path.join(self.path, *parts[:k])
            if os.path.lexists(d) and (os.path.islink(d) or not os.path.isdir(d)):
                return "in the way of the output (not a folder lineage made); move it out of the folder"
        if not os.path.lexists(path):
            return None
        if os.path.realpath(path) in protect:
            return "is an input file; lineage never replaces inputs: choose another folder for the output"
        if rel not in old:
            return "not written by lineage, and the output has a file of that name; move it out of the folder"
        if not self._ours(rel):
            return _CHANGED
        return None

    def _ours(self, rel: str) -> bool:
        """The file ``rel`` is absent, or a regular file with the bytes lineage wrote there (size and sha256)."""
        path = os.path.join(self.path, *rel.split("/"))
        try:
            st = os.lstat(path)
        except FileNotFoundError:
            return True
        except OSError:
            return False
        known = [e for e in (self.files.get(rel), self.previous.get(rel)) if e and e.size == st.st_size]
        if not stat.S_ISREG(st.st_mode) or not known:
            return False
        key = (path, st.st_ino, st.st_mtime_ns, st.st_size)
        if key not in self._hashes:  # checked before the pipeline and again on commit: hashed once
            self._hashes[key] = _hash_file(path)
        return any(e.sha256 == self._hashes[key] for e in known)

    def _prune(self, folder: str) -> None:
        """Remove folders emptied by the removal of old files, up to the output folder."""
        while _under(folder, self.path) and folder != self.path:
            try:
                os.rmdir(folder)
            except OSError:
                return
            folder = os.path.dirname(folder)

    def _write_record(self, files: dict[str, Entry], previous: dict[str, Entry] | None = None) -> None:
        rec = {
            "tool": self.tool,
            "version": __version__,
            "note": "files lineage wrote here; it replaces or removes only these, and only while unchanged",
            "files": {k: e.to_dict() for k, e in sorted(files.items())},
        }
        if previous:
            rec["previous"] = {k: e.to_dict() for k, e in sorted(previous.items())}
        tmp = os.path.join(self.staging, RECORD)
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(rec, f, ensure_ascii=False, indent=1)
        os.replace(tmp, os.path.join(self.path, RECORD))

    def _refuse(self, rels: list[str], why: str) -> None:
        more = f" (and {len(rels) - 1} more)" if len(rels) > 1 else ""
        raise OutputError(f"{os.path.join(self.given, *rels[0].split('/'))}: {why}{more}")

    # -- end ---------------------------------------------------------------------------------------------

    def close(self) -> None:
        """Remove the staging folder and release the lock; a folder made by a run that wrote nothing goes."""
        if os.path.isdir(self.staging):
            shutil.rmtree(self.staging, ignore_errors=True)
        if (self._made or self._new) and not self._committed:
            try:
                os.unlink(os.path.join(self.path, RECORD))
                if self._made:
                    os.rmdir(self.path)  # only if empty
            except OSError:
                pass
        if self._fd is not None:
            if fcntl is not None:
                try:
                    fcntl.flock(self._fd, fcntl.LOCK_UN)  # also for workers forked while it was held
                except OSError:
                    pass
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> OwnedDir:
        return self.open()

    def __exit__(self, *exc: object) -> None:
        self.close()


def _check_rel(rel: str, where: str) -> None:
    parts = rel.split("/")
    if (
        not rel
        or rel.startswith("/")
        or "\\" in rel
        or any(p in ("", ".", "..") for p in parts)
        or parts[0] == RECORD
        or _STAGING_RE.match(parts[0])
    ):
        raise ValueError(f"{where}: refusing a path outside the output folder: {rel!r}")
