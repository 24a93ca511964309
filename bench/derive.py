"""Derive a new document from source documents with sentence-level
provenance: identical / localized / modified / merged / split / partial /
added / deleted, plus paragraph moves (``moved`` is computed afterwards
from source order with a longest-increasing-subsequence, so only the
minimal set of relocated sentences is flagged).

Provenance lives in ``Sent.prov``::

    {"rel": str, "src": [(key, sid), ...], "part": (a, b), "clause": (src_off, tgt_off, n), "moved": bool}

``key`` names the source document, ``sid`` indexes ``Doc.sentences()``;
``part`` (split) is an offset range inside the source sentence, ``clause``
(partial) the lifted clause's offsets inside source and target sentence.
Sentences with ``prov None`` are the new document's own (not scored)
text; ``rel == "added"`` marks text checked to be novel."""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass

from bench import textops as T
from bench.corpus import Pools
from bench.synth import Doc, Para, Sent, genre_of


@dataclass
class OpRates:
    deleted: float = 0.12
    merged: float = 0.05
    split: float = 0.05
    partial: float = 0.05
    modified: float = 0.15
    localize: float = 0.85  # apply the jurisdiction swap when it changes the sentence
    add_sent: float = 0.07  # a novel sentence after a kept one
    add_para: float = 0.05  # a novel paragraph after a paragraph
    move_paras: float = 0.10  # share of body paragraphs relocated
    short_clause: float = 0.0  # a short sentence (SHORT_MIN-SHORT_MAX chars) gains or loses a clause (modified)


SHORT_MIN, SHORT_MAX = 8, 20  # a short sentence, for OpRates.short_clause


class NovelMaker:
    """Genre-like new text (recombined corpus clauses, localized) that shares
    no 10-char run with ``index`` (checked after width/whitespace folding
    and again with punctuation removed); resamples until it passes."""

    def __init__(self, pools: Pools, index: T.NgramIndex, jur: T.Jur, exclude_groups=()):
        cl = [c for c in pools.clauses if c[3] not in set(exclude_groups)]
        self.clauses = cl if len(cl) >= 200 else pools.clauses
        self.sections = pools.sections
        self.index, self.jur = index, jur

    def clause(self, rng: random.Random, max_len: int = 30) -> str:
        for _attempt in range(200):
            c, j, _y, _g = rng.choice(self.clauses)
            c = T.swap_jur(c, j, self.jur)
            if len(c) <= max_len and not self.index.hits(c):
                return c
        raise RuntimeError("no novel clause found")

    def sentence(self, rng: random.Random, k: int | None = None) -> str:
        for _attempt in range(100):
            n = k or rng.choice([2, 2, 3, 3, 4])
            s = "，".join(self.clause(rng) for _ in range(n)) + "。"
            if not self.index.hits(s):
                return s
        # In a big corpus most genre clauses are shorter than the 10-char check and recur there after a
        # comma, so a whole sentence of them rarely passes: grow it clause by clause instead.  Only
        # reached when the draws above failed, so the seeds that passed generate what they did.
        return self._grown(rng, k or rng.choice([2, 2, 3, 3, 4]))

    def _grown(self, rng: random.Random, n: int) -> str:
        """A novel sentence of ``n`` clauses, each redrawn (and, after a while, reworded as an editor
        would: a synonym, an adverb before a verb) until the sentence so far passes the check."""
        s = ""
        for i in range(n):
            for attempt in range(400):
                c = self.clause(rng)
                if attempt >= 50:
                    c = T.replace_words(c, rng) if attempt % 2 else T.insert_modifier(c, rng)
                c = (s + "，" if s else "") + c
                # checked with what follows it, or a clause that passed alone blocks every next one
                if not self.index.hits(c + ("。" if i == n - 1 else "，")):
                    s = c
                    break
            else:
                raise RuntimeError("no novel sentence found")
        return s + "。"

    def part(self, rng: random.Random, lead: str, tail: str) -> str:
        """New text around a lifted clause; checked with its separators."""
        for _attempt in range(100):
            s = lead + "，".join(self.clause(rng) for _ in range(rng.randint(1, 2))) + tail
            if not self.index.hits(s):
                return s
        raise RuntimeError("no novel clause part found")

    def heading(self, rng: random.Random, n: int) -> str:
        for _attempt in range(100):
            h = f"{T.cn_number(n)}、{rng.choice(self.sections)}"
            if not self.index.hits(h):
                return h
        return f"{T.cn_number(n)}、{self.clause(rng, 12)}"


# ------------------------------------------------------ sentence ops ----
def _edit_size(a: str, b: str) -> int:
    """Unmatched characters (on both sides) between two strings that differ
    by one localized edit; sum/(len(a)+len(b)) approximates 1 - difflib ratio."""
    p, m = 0, min(len(a), len(b))
    while p < m and a[p] == b[p]:
        p += 1
    q = 0
    while q < m - p and a[-1 - q] == b[-1 - q]:
        q += 1
    return len(a) + len(b) - 2 * (p + q)


def modify(text: str, rng: random.Random, lo: float = 0.10, hi: float = 0.30, base: str | None = None) -> str | None:
    """Reword a few words/numbers so 10-30% of the sentence changes
    (1 - difflib ratio against ``base``, the original source sentence).
    Edits accumulate under a cheap estimate; difflib (the former hot spot)
    only confirms once the estimate is in range."""
    base = base or text
    n = max(1, len(base))
    if n < 10:  # nothing short can change by only 10-30%
        return None
    start = T.change_ratio(base, text) if text != base else 0.0  # e.g. already localized
    for _attempt in range(4):
        t, est = text, start
        for _step in range(12):
            r = rng.random()
            if r < 0.3 and any(c.isdigit() for c in t):
                t2 = T.perturb_numbers(t, rng, p=0.6)
            elif r < 0.6:
                t2 = T.replace_words(t, rng, k=1)
            elif r < 0.8:
                t2 = T.insert_modifier(t, rng)
            else:
                t2 = T.drop_clause(t, rng)
            est += _edit_size(t, t2) / (2 * n)
            t = t2
            if est > hi + 0.05:
                break
            if est >= lo:
                ratio = T.change_ratio(base, t)
                if lo <= ratio <= hi:
                    return t
                if ratio > hi:
                    break
                est = ratio  # recalibrate: multi-spot edits are overestimated
    return None


def split_point(text: str) -> int | None:
    """Index of a ，/； near the middle with >= 8 characters on each side."""
    body = text.rstrip("。；！？”")
    cands = [i for i, c in enumerate(body) if c in "，；" and i >= 8 and len(text) - i - 1 >= 8]
    if not cands:
        return None
    return min(cands, key=lambda i: abs(i - len(text) / 2))


def pick_clause(text: str, rng: random.Random) -> tuple[int, int] | None:
    """A clause (or two adjacent clauses) of 12-45 characters to lift."""
    cs = T.clause_spans(text)
    single = [(s, e) for s, e in cs if 12 <= e - s <= 45]
    if single:
        return rng.choice(single)
    pairs = [(cs[i][0], cs[i + 1][1]) for i in range(len(cs) - 1) if 12 <= cs[i + 1][1] - cs[i][0] <= 45]
    return rng.choice(pairs) if pairs else None


def _prov(rel: str, src: list, **kw) -> dict:
    d = {"rel": rel, "src": src, "moved": False}
    d.update(kw)
    return d


class Deriver:
    """Applies sentence operations for one target jurisdiction."""

    def __init__(self, tgt: T.Jur, rng: random.Random, rates: OpRates, novel: NovelMaker):
        self.tgt, self.rng, self.rates, self.novel = tgt, rng, rates, novel

    def keep(self, text: str, src_jur: T.Jur, ref: list) -> Sent:
        loc = T.swap_jur(text, src_jur, self.tgt)
        if loc != text and self.rng.random() < self.rates.localize:
            return Sent(loc, _prov("localized", ref))
        return Sent(text, _prov("identical", ref))

    def added(self) -> Sent:
        return Sent(self.novel.sentence(self.rng), _prov("added", []))

    def transform_para(
        self, items: list[tuple[int, str]], heading: bool, key: str, src_jur: T.Jur
    ) -> tuple[list[Sent], list[int]]:
        """Apply ops to one source paragraph ((sid, text) items)."""
        rng, r8 = self.rng, self.rates
        if heading:
            return [self.keep(t, src_jur, [(key, sid)]) for sid, t in items], []
        out: list[Sent] = []
        deleted: list[int] = []
        i = 0
        while i < len(items):
            sid, text = items[i]
            ref = [(key, sid)]
            loc = T.swap_jur(text, src_jur, self.tgt) if rng.random() < r8.localize else text
            r = rng.random()
            c1 = r8.deleted
            c2 = c1 + r8.merged
            c3 = c2 + r8.split
            c4 = c3 + r8.partial
            c5 = c4 + r8.modified
            done = False
            if r < c1:
                deleted.append(sid)
                i += 1
                continue
            subtitle = bool(T.OUTLINE_RE.match(text)) and len(text) < 25  # （一）指导思想。
            # (rates without short_clause draw nothing here: their output is unchanged)
            if (
                r8.short_clause
                and not subtitle
                and SHORT_MIN <= len(text) <= SHORT_MAX
                and rng.random() < r8.short_clause
                and (m := self.short_clause(loc)) is not None
            ):
                out.append(Sent(m, _prov("modified", ref)))
                i += 1
                done = True
            elif r < c2 and i + 1 < len(items) and not subtitle:
                sid2, text2 = items[i + 1]
                loc2 = T.swap_jur(text2, src_jur, self.tgt) if loc != text else text2
                head = loc[:-1] if loc[-1] in T.SENT_END else loc
                conn = rng.choice(["", "", "同时", "并"]) if not loc2.startswith(("同时", "并")) else ""
                out.append(Sent(head + "，" + conn + loc2, _prov("merged", ref + [(key, sid2)])))
                i += 2
                done = True
            elif c2 <= r < c3 and (k := split_point(text)) is not None:
                p1 = T.swap_jur(text[:k], src_jur, self.tgt) if loc != text else text[:k]
                p2 = T.swap_jur(text[k + 1 :], src_jur, self.tgt) if loc != text else text[k + 1 :]
                out.append(Sent(p1 + "。", _prov("split", ref, part=(0, k))))
                out.append(
                    Sent(
                        p2 if p2[-1] in T.SENT_END + "”）" else p2 + "。", _prov("split", ref, part=(k + 1, len(text)))
                    )
                )
                i += 1
                done = True
            elif c3 <= r < c4 and (cl := pick_clause(text, rng)) is not None:
                out.append(self.partial(text, cl, ref))
                i += 1
                done = True
            elif c4 <= r < c5 and (m := modify(loc, rng, base=text)) is not None:
                out.append(Sent(m, _prov("modified", ref)))
                i += 1
                done = True
            if not done:
                out.append(self.keep(text, src_jur, ref))
                i += 1
            if rng.random() < r8.add_sent:
                out.append(self.added())
        return out, deleted

    def short_clause(self, text: str) -> str | None:
        """A short sentence with a new clause at its end (——质量效益显著提升，确保落地见效。), or
        without its last clause when it has two or more."""
        rng = self.rng
        end = text[-1] if text[-1] in T.SENT_END else ""
        body = text[:-1] if end else text
        cs = T.clause_spans(body)
        if len(cs) >= 2 and cs[-2][1] >= 6 and rng.random() < 0.5:
            return body[: cs[-2][1]] + (end or "。")
        try:
            return body + "，" + self.novel.clause(rng, max_len=8) + (end or "。")
        except RuntimeError:
            return None

    def partial(self, text: str, span: tuple[int, int], ref: list) -> Sent:
        """Lift text[span] verbatim into an otherwise new sentence."""
        rng = self.rng
        clause = text[span[0] : span[1]]
        form = rng.choice(["both", "both", "prefix", "suffix"])
        pre = self.novel.part(rng, "", "，") if form in ("both", "prefix") else ""
        suf = self.novel.part(rng, "，", "。") if form in ("both", "suffix") else "。"
        new = pre + clause + suf
        return Sent(new, _prov("partial", ref, clause=(span[0], len(pre), len(clause))))


# ----------------------------------------------------------- documents ----
def source_items(doc: Doc) -> list[tuple[Para, list[tuple[int, str]]]]:
    """Body paragraphs with their (sid, text) items (tables skipped)."""
    out, sid = [], 0
    for p in doc.paras:
        if p.table is not None:
            continue
        items = []
        for s in p.sents:
            items.append((sid, s.text))
            sid += 1
        out.append((p, items))
    return out


def derive_paras(src: Doc, key: str, dv: Deriver) -> tuple[list[Para], list[int]]:
    """Whole-document derivation (keeps structure, edits, adds, moves)."""
    rng, paras, deleted = dv.rng, [], []
    for p, items in source_items(src):
        if p.heading and rng.random() < 0.03:
            deleted += [sid for sid, _ in items]
            continue
        sents, dels = dv.transform_para(items, p.heading, key, src.jur)
        deleted += dels
        if sents:
            paras.append(Para(sents, heading=p.heading))
        if not p.heading and rng.random() < dv.rates.add_para:
            paras.append(Para([dv.added() for _ in range(rng.randint(1, 3))]))
    move_paragraphs(paras, rng, dv.rates.move_paras)
    return paras, deleted


def take_passage(
    src: Doc, key: str, dv: Deriver, min_chars: int, max_sents: int | None = None
) -> tuple[list[Para], list[int]]:
    """A run of consecutive body text from ``src`` (starting at a random body
    paragraph, possibly mid-paragraph), transformed with ``dv``'s ops."""
    rng = dv.rng
    items = [(p, it) for p, it in source_items(src) if not p.heading and it]
    if not items:
        return [], []
    i = rng.randrange(len(items))
    paras, deleted, got, n = [], [], 0, 0
    first = True
    while i < len(items) and got < min_chars and (max_sents is None or n < max_sents):
        _p, it = items[i]
        if first and len(it) > 2 and rng.random() < 0.5:
            it = it[rng.randrange(len(it) - 1) :]
        first = False
        if max_sents is not None:
            it = it[: max_sents - n]
        n += len(it)
        sents, dels = dv.transform_para(it, False, key, src.jur)
        deleted += dels
        if sents:
            paras.append(Para(sents))
            got += sum(len(s.text) for s in sents)
        i += 1
    return paras, deleted


def move_paragraphs(paras: list[Para], rng: random.Random, share: float) -> None:
    """Relocate some body paragraphs (whole paragraphs, out of order)."""
    body = [i for i, p in enumerate(paras) if not p.heading]
    n = round(share * len(body))
    for _ in range(n):
        body = [i for i, p in enumerate(paras) if not p.heading]
        if len(body) < 3:
            return
        i = rng.choice(body)
        p = paras.pop(i)
        j = rng.choice([k for k in range(len(paras) + 1) if abs(k - i) > 1] or [0])
        paras.insert(j, p)


def mark_moves(paras: list[Para]) -> None:
    """Flag sentences that are out of source order.  Per source key, the
    longest non-decreasing subsequence of source sentence ids stays in
    place; everything else is ``moved``.  Verbatim moved sentences get
    relation ``moved``."""
    seq: dict[str, list[tuple[int, Sent]]] = {}
    for p in paras:
        for s in p.sents:
            if s.prov and s.prov["src"]:
                key, sid = s.prov["src"][0]
                seq.setdefault(key, []).append((sid, s))
    for items in seq.values():
        keep = _lis([sid for sid, _ in items])
        for idx, (_sid, s) in enumerate(items):
            if idx not in keep:
                s.prov["moved"] = True
                if s.prov["rel"] == "identical":
                    s.prov["rel"] = "moved"


def _lis(xs: list[int]) -> set[int]:
    """Indexes of one longest non-decreasing subsequence."""
    tails: list[int] = []
    tails_idx: list[int] = []
    prev = [-1] * len(xs)
    for i, x in enumerate(xs):
        j = bisect.bisect_right(tails, x)
        if j == len(tails):
            tails.append(x)
            tails_idx.append(i)
        else:
            tails[j] = x
            tails_idx[j] = i
        prev[i] = tails_idx[j - 1] if j > 0 else -1
    out, k = set(), tails_idx[-1] if tails_idx else -1
    while k >= 0:
        out.add(k)
        k = prev[k]
    return out


def insert_passages(paras: list[Para], passages: list[list[Para]], rng: random.Random) -> None:
    """Insert passages (lists of paragraphs) at random body positions."""
    for ps in passages:
        slots = [i + 1 for i, p in enumerate(paras) if not p.heading] or [len(paras)]
        at = rng.choice(slots)
        paras[at:at] = ps


def source_share(doc: Doc, key: str) -> float:
    """Share of ``doc``'s body characters whose provenance is source ``key``."""
    total = got = 0
    for s in doc.sentences():
        total += len(s.text)
        pv = s.prov
        if not pv or not pv["src"] or pv["src"][0][0] != key:
            continue
        got += pv["clause"][2] if pv["rel"] == "partial" else len(s.text)
    return got / max(1, total)


def citation(rng: random.Random, parent: Doc) -> str:
    """《title》 or 《notice title》 (nested marks become 〈〉), plus （文号） mostly."""
    if rng.random() < 0.5:
        t = parent.notice_title().replace("《", "〈").replace("》", "〉")
    else:
        t = parent.title
    no = f"（{parent.docno}）" if parent.docno and rng.random() < 0.85 else ""
    return f"《{t}》{no}"


def citing_intro(rng: random.Random, parents: list[Doc], child_jur: T.Jur, child_title: str) -> str:
    """Opening sentence of a child document citing its parent(s) by title/文号."""
    cites = "和".join(citation(rng, p) for p in parents)
    we = "我" + child_jur.unit if child_jur.level != "national" else "我国"
    return rng.choice(
        [
            f"为贯彻落实{cites}精神，进一步推动{we}制造业高质量发展，结合{we}实际，制定{genre_of(child_title)}。",
            f"根据{cites}要求，结合{we}实际，制定{genre_of(child_title)}。",
            f"为深入贯彻{cites}，加快建设先进制造业强{child_jur.unit}，制定{genre_of(child_title)}。",
        ]
    )


def localized_title(rng: random.Random, src: Doc, tgt: T.Jur) -> str:
    t = T.swap_jur(src.title, src.jur, tgt)
    if tgt.name not in t and not t.startswith("关于") and rng.random() < 0.7:
        t = tgt.name + t
    if rng.random() < 0.3:
        for a, b in (("行动计划", "实施方案"), ("实施意见", "实施方案"), ("规划", "行动计划")):
            if t.endswith(a):
                return t[: -len(a)] + b
    return t
