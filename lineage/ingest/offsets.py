"""Offset maps: where each character of a derived string came from in its source.

Every transformation between the decoded file and the text we compare
(HTML extraction, normalization) returns an :class:`OffsetMap`, so that any
range of derived text can be turned back into a truthful ``[start, end)``
range of the decoded original.  A map is a list of segments; a segment is
either *linear* (``n`` derived characters copied from ``n`` source
characters) or *atomic* (derived characters produced together from a block
of source, e.g. ``&nbsp;`` -> one space, ``…`` -> ``...``).  Any range that
touches an atomic segment covers the whole source block, so a span never cuts
an entity or a folded character in half.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field


@dataclass
class OffsetMap:
    """Maps index ranges of a derived string to ranges of its source string."""

    out_starts: list[int] = field(default_factory=list)
    out_lens: list[int] = field(default_factory=list)
    src_starts: list[int] = field(default_factory=list)
    src_lens: list[int] = field(default_factory=list)

    def add(self, out_start: int, out_len: int, src_start: int, src_len: int) -> None:
        """Append a segment; consecutive linear segments are merged."""
        if out_len <= 0:
            return
        if (
            self.out_starts
            and out_len == src_len
            and self.out_lens[-1] == self.src_lens[-1]
            and self.out_starts[-1] + self.out_lens[-1] == out_start
            and self.src_starts[-1] + self.src_lens[-1] == src_start
        ):
            self.out_lens[-1] += out_len
            self.src_lens[-1] += src_len
            return
        self.out_starts.append(out_start)
        self.out_lens.append(out_len)
        self.src_starts.append(src_start)
        self.src_lens.append(src_len)

    @classmethod
    def identity(cls, length: int, offset: int = 0) -> OffsetMap:
        m = cls()
        m.add(0, length, offset, length)
        return m

    def __len__(self) -> int:
        return self.out_starts[-1] + self.out_lens[-1] if self.out_starts else 0

    def _segment(self, i: int) -> int:
        k = bisect_right(self.out_starts, i) - 1
        if k < 0 or i >= self.out_starts[k] + self.out_lens[k]:
            raise IndexError(f"derived index {i} is not mapped")
        return k

    def start(self, i: int) -> int:
        """Source index where derived character ``i`` begins."""
        k = self._segment(i)
        if self.out_lens[k] == self.src_lens[k]:
            return self.src_starts[k] + (i - self.out_starts[k])
        return self.src_starts[k]

    def end(self, i: int) -> int:
        """Source index just past derived character ``i``."""
        k = self._segment(i)
        if self.out_lens[k] == self.src_lens[k]:
            return self.src_starts[k] + (i - self.out_starts[k]) + 1
        return self.src_starts[k] + self.src_lens[k]

    def is_boundary(self, i: int) -> bool:
        """Whether derived index ``i`` starts a source character (is not inside an atomic block)."""
        if i >= len(self) or i == 0:
            return True
        k = self._segment(i)
        return self.out_lens[k] == self.src_lens[k] or i == self.out_starts[k]

    def span(self, i: int, j: int) -> tuple[int, int]:
        """Source range ``[s, e)`` covering derived range ``[i, j)``."""
        if j <= i:
            pos = self.start(i) if i < len(self) else (self.end(len(self) - 1) if len(self) else 0)
            return pos, pos
        return self.start(i), self.end(j - 1)

    def shifted(self, out_delta: int = 0, src_delta: int = 0) -> OffsetMap:
        return OffsetMap(
            [o + out_delta for o in self.out_starts],
            list(self.out_lens),
            [s + src_delta for s in self.src_starts],
            list(self.src_lens),
        )

    def then(self, outer: OffsetMap) -> OffsetMap:
        """Compose: ``self`` maps C->B and ``outer`` maps B->A; return C->A.

        Each derived character is mapped through both; runs that stay linear
        through both maps are merged back into single segments.
        """
        out = OffsetMap()
        for k in range(len(self.out_starts)):
            o0, ol, s0, sl = self.out_starts[k], self.out_lens[k], self.src_starts[k], self.src_lens[k]
            if ol == sl:
                # Split the linear run wherever ``outer`` changes segment.
                i = 0
                while i < ol:
                    b = s0 + i
                    j = outer._segment(b)
                    seg_end = outer.out_starts[j] + outer.out_lens[j]
                    if outer.out_lens[j] == outer.src_lens[j]:
                        n = min(ol - i, seg_end - b)
                        out.add(o0 + i, n, outer.start(b), n)
                        i += n
                    else:
                        # Several derived chars may sit on one atomic block.
                        n = min(ol - i, seg_end - b)
                        out.add(o0 + i, n, outer.src_starts[j], outer.src_lens[j])
                        i += n
            else:
                a, e = outer.span(s0, s0 + sl)
                out.add(o0, ol, a, e - a)
        return out
