#!/usr/bin/env python3
"""Throughput of lineage.ingest.gazetteer.find() on the corpus (not a test: prints, never asserts).

PYTHONPATH=. python bench/bench_gazetteer.py [FILES...]   # default: corpus/*.txt
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lineage.ingest import gazetteer  # noqa: E402


def main(argv: list[str]) -> int:
    files = [Path(a) for a in argv] or sorted((ROOT / "corpus").glob("*.txt"))
    if not files:
        print("no input files", file=sys.stderr)
        return 1
    texts = [(f.name, f.read_text("utf-8")) for f in files]

    t0 = time.perf_counter()
    gazetteer.divisions()
    print(f"table load: {(time.perf_counter() - t0) * 1000:.1f} ms (once per process)")

    total_chars = sum(len(t) for _, t in texts)
    repeats = max(3, 2_000_000 // max(total_chars, 1))
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _, text in texts:
            gazetteer.find(text)
        best = min(best, time.perf_counter() - t0)

    for name, text in texts:
        hits = gazetteer.find(text)
        levels = Counter(d.level for _, _, d in hits)
        print(f"{name}: {len(text):>7} chars  {len(hits):>4} mentions  {dict(levels)}")
    print(
        f"find(): {total_chars} chars in {best * 1000:.2f} ms (best of {repeats}) = "
        f"{best * 1000 / total_chars * 10_000:.3f} ms per 10,000 chars, "
        f"{total_chars / best / 1e6:.2f} M chars/s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
