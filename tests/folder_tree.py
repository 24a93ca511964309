"""The files of a folder as {relative "/"-path: bytes}, to compare whole outputs."""

from __future__ import annotations

import os


def tree(root, skip: tuple[str, ...] = ()) -> dict[str, bytes]:
    out = {}
    for d, _, fs in os.walk(root):
        for f in fs:
            p = os.path.join(d, f)
            rel = os.path.relpath(p, root).replace(os.sep, "/")
            if rel not in skip:
                with open(p, "rb") as fh:
                    out[rel] = fh.read()
    return out
