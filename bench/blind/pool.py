"""The blind generator's pool loader (see ``bench/blind/__init__.py``).

Reads a ``bench/generate.py trace`` dataset (its ``gold.json`` and ``docs/``), splits each body into
paragraphs and sentences (spans into the file text), and answers which pool documents hold a text
(after its own normalization: no whitespace, ASCII digits, full-width ``，；：？！（）``).
"""

from __future__ import annotations

import bisect
import json
import os
import re

HALF2FULL = {',': '，', ';': '；', ':': '：', '?': '？', '!': '！', '(': '（', ')': '）'}
WS = re.compile(r'\s+')
SENT_END = '。！？；'


def norm(s: str) -> str:
    """Whitespace removed, half-width ``,;:?!()`` made full-width, full-width digits made ASCII."""
    s = WS.sub('', s.replace('\u3000', ''))
    out = []
    for ch in s:
        ch = HALF2FULL.get(ch, ch)
        o = ord(ch)
        if 0xFF10 <= o <= 0xFF19:  # fullwidth digits -> ascii
            ch = chr(o - 0xFF10 + 0x30)
        out.append(ch)
    return ''.join(out)


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """sentence spans (a,b) within text[start:end], ending after 。！？； (b exclusive)."""
    spans = []
    a = start
    i = start
    while i < end:
        if text[i] in SENT_END:
            spans.append((a, i + 1))
            a = i + 1
        i += 1
    if a < end and text[a:end].strip():
        spans.append((a, end))
    return spans


class Doc:
    """A pool document: its gold node, path, text, body start and paragraphs (with sentence spans)."""

    def __init__(self, node: dict, path: str, text: str) -> None:
        self.node = node
        self.id = node['id']
        self.path = path
        self.text = text
        ts = node.get('title_span')
        # body starts at the line after the title line
        if ts:
            nl = text.find('\n', ts[1])
            body0 = nl + 1 if nl >= 0 else ts[1]
        else:
            body0 = 0
        self.body0 = body0
        self.paras: list[
            tuple[int, int, list[tuple[int, int]]]
        ] = []  # list of (pstart, pend, [sentence spans]) ; spans exclude indent
        pos = body0
        for line in text[body0:].split('\n'):
            lstart = pos
            lend = pos + len(line)
            pos = lend + 1
            a = lstart
            while a < lend and text[a] in ' \u3000\t\r':
                a += 1
            b = lend
            while b > a and text[b - 1] in ' \t\r':
                b -= 1
            if b <= a:
                continue
            self.paras.append((a, b, split_sentences(text, a, b)))


class Pool:
    """A trace dataset's documents, gold graph (descendants by reuse edges) and a normalized concatenation."""

    def __init__(self, pool_dir: str | os.PathLike[str]) -> None:
        pool_dir = os.fspath(pool_dir)
        self.dir = os.path.abspath(pool_dir)
        with open(os.path.join(pool_dir, 'gold.json'), encoding='utf-8') as f:
            g = json.load(f)
        self.gold = g
        self.nodes = {n['id']: n for n in g['nodes']}
        self.file2node: dict[str, str] = {}
        for fe in g['files']:
            self.file2node[os.path.basename(fe['file'])] = fe['node']
        for d in g.get('duplicates', []):
            self.file2node[os.path.basename(d['file'])] = d['of']
        self.docs: dict[str, Doc] = {}
        for n in g['nodes']:
            p = os.path.join(pool_dir, n['file'])
            with open(p, encoding='utf-8') as f:
                self.docs[n['id']] = Doc(n, p, f.read())
        # descendants closure from edges (reuse/both: text flows parent->child)
        ch: dict[str, set[str]] = {}
        for e in g['edges']:
            if e.get('kind') in ('reuse', 'both'):
                ch.setdefault(e['parent'], set()).add(e['child'])
        self.children = ch
        self._desc: dict[str, set[str]] = {}
        # normalized concatenation for holder look-ups
        parts: list[str] = []
        offs: list[int] = []
        ids: list[str] = []
        o = 0
        for nid, d in self.docs.items():
            t = norm(d.text[d.body0 :])
            offs.append(o)
            ids.append(nid)
            parts.append(t)
            o += len(t) + 1
        self.big = '\x00'.join(parts)
        self.offs = offs
        self.ids = ids

    def desc(self, nid: str) -> set[str]:
        """The node's descendants along reuse edges (text flows parent to child)."""
        if nid in self._desc:
            return self._desc[nid]
        seen = set()
        st = [nid]
        while st:
            x = st.pop()
            for c in self.children.get(x, ()):
                if c not in seen:
                    seen.add(c)
                    st.append(c)
        self._desc[nid] = seen
        return seen

    def holders(self, s: str, limit: int = 50) -> set[str]:
        """pool node ids whose normalized body contains normalized s."""
        q = norm(s).rstrip(SENT_END + '，')
        if not q:
            return set()
        res = set()
        i = self.big.find(q)
        n = 0
        while i >= 0 and n < limit:
            k = bisect.bisect_right(self.offs, i) - 1
            res.add(self.ids[k])
            # skip to next doc
            nxt = self.offs[k + 1] if k + 1 < len(self.offs) else len(self.big)
            i = self.big.find(q, nxt)
            n += 1
        return res

    def has_ngram(self, s: str, n: int = 12) -> bool:
        """Whether the pool holds any n-character run of s (normalized), or all of s when it is shorter."""
        q = norm(s)
        return any(self.big.find(q[i : i + n]) >= 0 for i in range(max(1, len(q) - n + 1)))
