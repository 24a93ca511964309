#!/usr/bin/env python3
"""The blind scorer: a trace's matches against the blind generator's gold (see ``bench/blind/__init__.py``).

    python -m bench.blind.score OUT_DIR [--verbose N]

scores every ``OUT_DIR/trace_<which>.json`` (``lineage trace --json`` output) against ``OUT_DIR/gold.json``
and writes ``OUT_DIR/score.json``.  From Python: ``score(matches, gold, pool, which)``.

Recall: the reused target sentences (gold ``src``) whose characters are at least half attributed to the
gold source node.  Precision: the attributed characters (inside gold sentences, headers left out) whose
source is the gold node of their sentence.  ``*_noamb`` leave out the ambiguous sentences: the text was
not unique to its source in the pool (``gen_unique`` false), or the trace's pick is a pool document not
derived from the gold source that holds the text at least as closely.
"""

from __future__ import annotations

import argparse
import difflib
import glob
import json
import os
import sys
from pathlib import Path

if __package__ in (None, ''):  # run as a script: python bench/blind/score.py
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.blind.pool import Pool, norm, split_sentences

_POOLS: dict[str, Pool] = {}


def get_pool(d: str) -> Pool:
    """The pool at d, loaded once per process."""
    if d not in _POOLS:
        _POOLS[d] = Pool(d)
    return _POOLS[d]


def ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def best_window(tn: str, text: str) -> tuple[float, str]:
    """best similarity of normalized target sentence tn against 1-3 consecutive sentences of text."""
    sp = split_sentences(text, 0, len(text))
    ss = [norm(text[a:b]) for a, b in sp]
    best, bt = 0.0, ''
    L = len(tn)
    for i in range(len(ss)):
        acc = ''
        for j in range(i, min(i + 3, len(ss))):
            acc += ss[j]
            if len(acc) < 0.3 * L:
                continue
            if abs(len(acc) - L) > 2 * L:
                break
            q = difflib.SequenceMatcher(None, tn, acc, autojunk=False)
            if q.real_quick_ratio() <= best or q.quick_ratio() <= best:
                continue
            rr = q.ratio()
            if rr > best:
                best, bt = rr, acc
    return best, bt


def score_one(out: str, which: str, gold: dict, pool: Pool, verbose: int = 0) -> dict | None:
    """Score ``out/trace_<which>.json`` (None if there is none)."""
    tj = os.path.join(out, f'trace_{which}.json')
    if not os.path.exists(tj):
        return None
    with open(tj, encoding='utf-8') as f:
        tr = json.load(f)
    return score(tr['matches'], gold, pool, which)


def score(matches: list[dict], gold: dict, pool: Pool, which: str = '') -> dict:
    """Recall, precision (and their unambiguous variants), misses and wrong attributions of a trace's
    matches (``lineage trace --json``'s ``matches``: ``source`` paths, ``target_span``, ``formulaic``)."""
    with open(gold['target']['file'], encoding='utf-8') as f:
        ttext = f.read()
    sibmap = {s['file']: s for s in gold['siblings']}
    sibtext: dict[str, str] = {}

    def node_of(path: str) -> str:
        if path in sibmap:
            return 'SIB:' + sibmap[path]['jurisdiction'] + '<' + sibmap[path]['of']
        b = os.path.basename(path)
        if path.startswith(pool.dir):
            return pool.file2node.get(b, 'POOL?' + b)
        return 'OTHER:' + path

    def doc_text(path: str) -> str:
        if path in sibmap:
            if path not in sibtext:
                with open(path, encoding='utf-8') as f:
                    sibtext[path] = f.read()
            return sibtext[path]
        try:
            with open(path, encoding='utf-8', errors='replace') as f:
                return f.read()
        except OSError:
            return ''

    sents = [s for s in gold['sentences'] if s['relation'] != 'header']
    owner = [-1] * len(ttext)
    for i, s in enumerate(sents):
        for c in range(*s['span']):
            owner[c] = i
    # per-char attribution
    attr: list[str | None] = [None] * len(ttext)
    formul = [False] * len(ttext)
    mrec: list[dict | None] = [None] * len(ttext)
    for m in matches:
        a, b = m['target_span']
        nd = node_of(m['source'])
        for c in range(a, min(b, len(ttext))):
            attr[c] = nd
            formul[c] = m.get('formulaic', False)
            mrec[c] = m

    def is_amb_sentence(s: dict) -> bool:
        return s.get('src') is not None and not s.get('gen_unique', True)

    def wrong_doc_info(s: dict, nd: str | None, m: dict | None) -> tuple[bool, bool, float, float, str]:
        """(ambiguous?, more_exact?, sim_gold, sim_w, wtext)"""
        tn = norm(s['text'])
        sim_g = ratio(tn, norm(s['src']['text'])) if s.get('src') else 0.0
        if m is not None:
            wt = doc_text(m['source'])
            sim_w, _ = best_window(tn, wt)
            span_txt = wt[m['source_span'][0] : m['source_span'][1]]
        else:
            sim_w, span_txt = 0.0, ''
        more = sim_w > sim_g + 1e-9
        amb = is_amb_sentence(s)
        if nd and not nd.startswith('SIB:') and s.get('src'):
            gnode = s['src']['node']
            if nd in pool.nodes and nd not in pool.desc(gnode) and sim_w >= sim_g - 1e-9:
                amb = True
        return amb, more, sim_g, sim_w, span_txt

    # ---- recall
    reused = [(i, s) for i, s in enumerate(sents) if s.get('src')]
    hit = 0
    hit_na = 0
    n_na = 0
    misses = []
    for _, s in reused:
        a, b = s['span']
        g = s['src']['node']
        cov = sum(1 for c in range(a, b) if attr[c] == g)
        ok = cov * 2 >= (b - a)
        amb_s = is_amb_sentence(s)
        if ok:
            hit += 1
        else:
            # what was it attributed to?
            cnt: dict[str, int] = {}
            for c in range(a, b):
                if attr[c] is not None:
                    cnt[attr[c]] = cnt.get(attr[c], 0) + 1
            top = max(cnt, key=cnt.get) if cnt else None
            m = None
            if top:
                for c in range(a, b):
                    if attr[c] == top:
                        m = mrec[c]
                        break
            amb, more, sg, sw, wt = wrong_doc_info(s, top, m)
            amb_s = amb_s or amb
            misses.append(
                {
                    'target_text': s['text'],
                    'relation': s['relation'],
                    'gold_node': g,
                    'gold_text': s['src']['text'],
                    'gold_level': pool.nodes[g]['level'],
                    'coverage_gold': round(cov / (b - a), 2),
                    'attributed': cnt,
                    'top': top,
                    'top_span_text': wt,
                    'sim_gold': round(sg, 3),
                    'sim_attr_best': round(sw, 3),
                    'attr_more_exact': more,
                    'ambiguous': amb_s,
                    'gen_unique': s.get('gen_unique', True),
                    'match_relation': m['relation'] if m else None,
                    'span': s['span'],
                    'also_in': [node_of(x['source']) for x in (m.get('also_in') or [])] if m else [],
                }
            )
        if not amb_s:
            n_na += 1
            if ok:
                hit_na += 1
    # ---- precision
    tot = ok_c = 0
    tot_na = ok_na = 0
    tot_nf = ok_nf = 0
    wrong: dict[tuple[int, str], list] = {}  # (sent idx, node) -> [chars, a match]
    for c in range(len(ttext)):
        if attr[c] is None or owner[c] < 0:
            continue
        s = sents[owner[c]]
        good = s.get('src') is not None and attr[c] == s['src']['node']
        tot += 1
        ok_c += good
        if not formul[c]:
            tot_nf += 1
            ok_nf += good
        if not good:
            k = (owner[c], attr[c])
            wrong.setdefault(k, [0, mrec[c]])[0] += 1
    wlist = []
    amb_sent_chars = set()
    for (si, nd), (n, m) in sorted(wrong.items()):
        s = sents[si]
        amb, more, sg, sw, wt = wrong_doc_info(s, nd, m)
        if amb:
            amb_sent_chars.add(si)
        wlist.append(
            {
                'target_text': s['text'],
                'relation': s['relation'],
                'chars': n,
                'gold_node': s['src']['node'] if s.get('src') else None,
                'gold_text': s['src']['text'] if s.get('src') else None,
                'attributed': nd,
                'attr_span_text': wt,
                'match_relation': m['relation'],
                'formulaic': m.get('formulaic'),
                'sim_gold': round(sg, 3),
                'sim_attr_best': round(sw, 3),
                'attr_more_exact': more,
                'ambiguous': amb,
                'span': s['span'],
            }
        )
    for si, s in enumerate(sents):
        if is_amb_sentence(s):
            amb_sent_chars.add(si)
    for c in range(len(ttext)):
        if attr[c] is None or owner[c] < 0 or owner[c] in amb_sent_chars:
            continue
        s = sents[owner[c]]
        tot_na += 1
        ok_na += s.get('src') is not None and attr[c] == s['src']['node']
    res = {
        'which': which,
        'recall': round(hit / max(1, len(reused)), 4),
        'precision': round(ok_c / max(1, tot), 4),
        'recall_noamb': round(hit_na / max(1, n_na), 4),
        'precision_noamb': round(ok_na / max(1, tot_na), 4),
        'precision_nonformulaic': round(ok_nf / max(1, tot_nf), 4),
        'n_reused': len(reused),
        'n_reused_noamb': n_na,
        'hits': hit,
        'attributed_chars': tot,
        'wrong_chars': tot - ok_c,
        'misses': misses,
        'wrong': wlist,
    }
    return res


def summary(r: dict) -> str:
    """One line of a score."""
    return (
        f"recall={r['recall']} precision={r['precision']} | noamb recall={r['recall_noamb']} "
        f"precision={r['precision_noamb']} | prec_nonformulaic={r['precision_nonformulaic']} "
        f"(reused={r['n_reused']}, noamb={r['n_reused_noamb']}, misses={len(r['misses'])}, "
        f"amb_misses={sum(m['ambiguous'] for m in r['misses'])}, wrong_chars={r['wrong_chars']}/{r['attributed_chars']})"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('out')
    ap.add_argument('--verbose', type=int, default=0)
    a = ap.parse_args(argv)
    with open(os.path.join(a.out, 'gold.json'), encoding='utf-8') as f:
        gold = json.load(f)
    pool = get_pool(gold['pool'])
    allres = {}
    whs = ['clean', 'crowded'] + sorted(
        os.path.basename(p)[6:-5]
        for p in glob.glob(os.path.join(a.out, 'trace_*.json'))
        if os.path.basename(p)[6:-5] not in ('clean', 'crowded')
    )
    for which in whs:
        r = score_one(a.out, which, gold, pool, a.verbose)
        if r is None:
            continue
        allres[which] = r
        print(f"{a.out} {which}: {summary(r)}")
        for m in r['misses'][: a.verbose]:
            print('  MISS', json.dumps(m, ensure_ascii=False))
        for w in r['wrong'][: a.verbose]:
            print('  WRONG', json.dumps(w, ensure_ascii=False))
    with open(os.path.join(a.out, 'score.json'), 'w', encoding='utf-8') as f:
        json.dump(allres, f, ensure_ascii=False, indent=1)
    return 0


if __name__ == '__main__':
    raise SystemExit(main())
