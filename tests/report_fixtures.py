"""Hand-made stage results for the report tests, shaped exactly like the JSON contracts of issues 3–5.

They hold what the real stages may not produce on the corpus (a strongly
derived city plan, every relation, hostile markup in every field), so
every page feature is exercised whatever the stages find; the real
pipeline's pages are tested on the corpus itself (test_report_cli, the
browser tests).  They are made from real documents with known edits, so
every span points at real text:

* ``derive_city_plan`` writes a Shaoxing-style plan derived from corpus 003
  paragraph by paragraph (kept, localized 浙江省→绍兴市, modified numbers and
  words, deleted, moved, a clause lifted into a new sentence, new
  paragraphs, one paragraph taken from 001) and returns what it did;
* ``align_json`` / ``trace_json`` turn that record into the align/trace contract,
  with character diffs for modified and localized paragraphs;
* ``clause_align_json`` aligns 000 against 003 clause by clause on normalized
  text: the largest page the pair template will have to carry;
* ``dedup_json`` / ``graph_json`` describe the corpus as issues 4 and 5 expect it;
* ``write_xss_corpus`` writes input files for the real pipeline with the payloads inside.
"""

from __future__ import annotations

import difflib
import os
import re

from lineage.align.edges import lis

XSS_SCRIPT = "<script>alert(1)</script>"
XSS_IMG = '"><img src=x onerror=alert(1)>'
XSS_TEMPLATE = "{{ 7*7 }}"
XSS_NAME = f'{XSS_IMG} {XSS_TEMPLATE}.txt'  # "/" cannot be in a file name, so no </script> here
XSS_TEXT = f"""绍兴市人民政府关于印发《绍兴市{XSS_SCRIPT}{XSS_IMG}{XSS_TEMPLATE}行动方案》的通知

绍兴市{XSS_SCRIPT}{XSS_IMG}{XSS_TEMPLATE}行动方案

为推进制造业高质量发展，结合本市实际，制定本方案。
一、总体要求
（一）指导思想。坚持模板{XSS_TEMPLATE}测试，推动{XSS_SCRIPT}产业升级，确保{XSS_IMG}落到实处。
（二）主要目标。到二〇二五年，全市制造业增加值明显提升。
二、保障措施
加强组织领导，落实工作责任。
"""
XSS_PARTNER_TEXT = """绍兴市制造业行动方案

为推进制造业高质量发展，结合本市实际，制定本方案。
一、总体要求
（一）指导思想。坚持稳中求进，推动产业升级，确保落到实处。
二、保障措施
加强组织领导，落实工作责任。
"""

LOCAL_SWAPS = (
    ("浙江省", "绍兴市"),
    ("全省", "全市"),
    ("省级", "市级"),
    ("省委", "市委"),
    ("省政府", "市政府"),
    ("我省", "我市"),
    ("浙江", "绍兴"),
)
NEW_PARAGRAPHS = (
    "绍兴市建立制造业高质量发展专项协调机制，由市政府主要领导牵头，每季度召开一次推进会议。",
    "鼓励各区、县（市）结合柯桥、上虞、诸暨、嵊州、新昌产业基础，制定配套政策，形成错位发展格局。",
)


def write_xss_docs(folder: str) -> tuple[str, str]:
    os.makedirs(folder, exist_ok=True)
    bad = os.path.join(folder, XSS_NAME)
    with open(bad, "w", encoding="utf-8") as f:
        f.write(XSS_TEXT)
    partner = os.path.join(folder, "partner.txt")
    with open(partner, "w", encoding="utf-8") as f:
        f.write(XSS_PARTNER_TEXT)
    return partner, bad


def write_xss_corpus(folder: str, corpus: dict[str, str]) -> str:
    """A folder for the real pipeline: corpus 004, corpus 002, and 004 again with the payloads in its title and body.

    The report then has every page type holding the payloads: the hostile
    document's page, a pair page and a provenance page (it reuses 004), the
    dedup page (a revision of 004, with examples) and the graph.  Returns the
    hostile file's path.
    """
    os.makedirs(folder, exist_ok=True)
    text = open(corpus["004"], encoding="utf-8").read()
    lines = text.split("\n")
    for i in (12, 20, 30):  # body paragraphs: each gets the payloads after its first comma
        lines[i] = lines[i].replace(",", f",{XSS_SCRIPT}{XSS_IMG}{XSS_TEMPLATE}", 1)
    bad = os.path.join(folder, XSS_NAME)
    with open(bad, "w", encoding="utf-8") as f:
        f.write("\n".join([f"绍兴市{XSS_SCRIPT}{XSS_IMG}{XSS_TEMPLATE}行动计划"] + lines))
    for key, name in (("004", "plan.txt"), ("002", "other.txt")):
        with open(os.path.join(folder, name), "wb") as f:
            f.write(open(corpus[key], "rb").read())
    return bad


def _lines(text: str) -> list[tuple[int, str]]:
    """(start, content) of each non-blank line, indent excluded."""
    out, pos = [], 0
    for line in text.split("\n"):
        content = line.strip(" \u3000\t\r\u00a0")
        if content:
            out.append((pos + line.index(content[0]), content))
        pos += len(line) + 1
    return out


def _diff(a: str, b: str) -> list[list[str]]:
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return [[op if op != "equal" else "equal", a[i1:i2], b[j1:j2]] for op, i1, i2, j1, j2 in sm.get_opcodes()]


def derive_city_plan(src_path: str, other_path: str, out_path: str) -> dict:
    """Write a plan derived from ``src_path`` (plus one paragraph of ``other_path``); return the record of edits."""
    src = open(src_path, encoding="utf-8").read()
    other = open(other_path, encoding="utf-8").read()
    paras = _lines(src)
    heading = re.compile(r"^[一二三四五六七八九十]+、")
    body = [i for i, (_, t) in enumerate(paras) if len(t) > 40]
    localized = [i for i in body if any(a in paras[i][1] for a, _ in LOCAL_SWAPS[:3])][1:4]
    modified = [i for i in body if re.search(r"\d{2,}", paras[i][1]) and i not in localized][:3]
    rest = [i for i in body if i not in localized and i not in modified]
    deleted = rest[2:5]
    moved = rest[6]
    lifted_from = rest[8]
    out: list[
        tuple[str, str, tuple[int, int] | None, str | None, bool]
    ] = []  # text, relation, src span, source, formulaic
    first_heading = True
    for i, (s, t) in enumerate(paras):
        span = (s, s + len(t))
        if i in deleted or i == moved:
            continue
        if i in localized:
            new = t
            for a, b in LOCAL_SWAPS:
                new = new.replace(a, b)
            out.append((new, "localized", span, src_path, False))
        elif i in modified:
            new = re.sub(r"\d{2,}", lambda m: str(int(m.group()) + 2), t, count=2).replace("加快", "加速", 1)
            out.append((new, "modified", span, src_path, False))
        else:
            formulaic = bool(heading.match(t)) and first_heading
            first_heading = first_heading and not formulaic
            out.append((t, "identical", span, src_path, formulaic))
        if i == body[10]:
            out.append((NEW_PARAGRAPHS[0], "added", None, None, False))
            osrc = [x for x in _lines(other) if len(x[1]) > 60][2]
            out.append((osrc[1], "identical", (osrc[0], osrc[0] + len(osrc[1])), other_path, False))
        if i == body[20]:
            s2, t2 = paras[moved]
            out.append((t2, "moved", (s2, s2 + len(t2)), src_path, False))
        if i == body[25]:
            s3, t3 = paras[lifted_from]
            clause = next(c for c in re.split(r"[，。；]", t3) if len(c) >= 12)
            c0 = s3 + t3.index(clause)
            out.append(("绍兴市将" + clause + "，形成地方特色。", "partial", (c0, c0 + len(clause)), src_path, False))
            out.append((NEW_PARAGRAPHS[1], "added", None, None, False))
    text = "绍兴市制造强市建设行动方案\n\n"
    record = {"matches": [], "added": [], "deleted": []}
    for t, rel, span, source, formulaic in out:
        start = len(text) + 2  # two-character U+3000 indent, like the source
        text += "\u3000\u3000" + t + "\n"
        tspan = (start, start + len(t))
        if rel == "added":
            record["added"].append({"target_span": list(tspan)})
            continue
        if rel == "partial":
            k = t.index("将") + 1
            tspan = (start + k, start + k + span[1] - span[0])
        entry = {
            "source": source,
            "source_span": list(span),
            "target_span": list(tspan),
            "relation": rel,
            "score": 100.0 if rel in ("identical", "moved", "partial") else 0.0,
            "unit": "clause" if rel == "partial" else "paragraph",
            "formulaic": formulaic,
            "diff": [],
        }
        stext = open(source, encoding="utf-8").read()[span[0] : span[1]]
        if rel in ("modified", "localized"):
            entry["diff"] = _diff(stext, t)
            entry["score"] = round(100 * difflib.SequenceMatcher(None, stext, t, autojunk=False).ratio(), 1)
        record["matches"].append(entry)
    for i in deleted:
        s, t = paras[i]
        record["deleted"].append({"source": src_path, "source_span": [s, s + len(t)]})
    with open(out_path, "w", encoding="utf-8") as f:
        f.write(text)
    record["target_chars"] = sum(len(t) for t, *_ in out)
    return record


def _summary(matches: list[dict], total: int) -> dict:
    by_rel: dict[str, int] = {}
    by_src: dict[str, float] = {}
    reused = 0
    for m in matches:
        n = m["target_span"][1] - m["target_span"][0]
        by_rel[m["relation"]] = by_rel.get(m["relation"], 0) + 1
        if not m["formulaic"]:
            reused += n
            by_src[m["source"]] = by_src.get(m["source"], 0) + n / total
    return {
        "reuse_share": round(reused / total, 4),
        "by_relation": by_rel,
        "by_source": {k: round(v, 4) for k, v in sorted(by_src.items())},
    }


def align_json(record: dict, src_path: str, tgt_path: str) -> dict:
    """``lineage align SRC TGT --json`` for the derived plan: matches from other sources count as added."""
    matches = [m for m in record["matches"] if m["source"] == src_path]
    added = record["added"] + [{"target_span": m["target_span"]} for m in record["matches"] if m["source"] != src_path]
    added.sort(key=lambda a: a["target_span"])
    return {
        "target": {"path": tgt_path, "title": "绍兴市制造强市建设行动方案"},
        "sources": [{"path": src_path, "title": "制造强省建设行动计划"}],
        "matches": matches,
        "added": added,
        "deleted": record["deleted"],
        "summary": _summary(matches, record["target_chars"]),
    }


def trace_json(record: dict, tgt_path: str, sources: list[str]) -> dict:
    return {
        "target": {"path": tgt_path, "title": "绍兴市制造强市建设行动方案"},
        "sources": [{"path": p} for p in sources],
        "matches": record["matches"],
        "added": record["added"],
        "deleted": [],
        "summary": _summary(record["matches"], record["target_chars"]),
    }


def clause_align_json(src_doc, tgt_doc) -> dict:
    """000 (target) against 003 (source), clause by clause on normalized text.

    Each target clause takes the first unused source clause with the same
    text (a used one if none is left: the news lede quotes the body); the
    longest run in source order is ``identical``, the rest ``moved``.  The
    worst case for page size: every clause a row.
    """
    src_units = [u for u in src_doc.units if u.kind in ("clause", "heading", "table")]
    tgt_units = [u for u in tgt_doc.units if u.kind in ("clause", "heading", "table")]
    free: dict[str, list] = {}
    for u in src_units:
        free.setdefault(u.norm_text, []).append(u)
    chosen, added, used = [], [], set()
    for u in tgt_units:
        cands = free.get(u.norm_text, [])
        if not cands:
            added.append({"target_span": list(u.span)})
            continue
        c = next((c for c in cands if c.id not in used), cands[0])
        used.add(c.id)
        chosen.append((u, c))
    in_order = set(lis([c.span[0] for _, c in chosen]))
    matches = [
        {
            "source": src_doc.path,
            "source_span": list(c.span),
            "target_span": list(u.span),
            "relation": "identical" if i in in_order else "moved",
            "score": 100.0,
            "unit": "clause",
            "formulaic": False,
            "diff": [["equal", c.norm_text, u.norm_text]],
        }
        for i, (u, c) in enumerate(chosen)
    ]
    deleted = [{"source": src_doc.path, "source_span": list(u.span)} for u in src_units if u.id not in used]
    total = sum(len(u.norm_text) for u in tgt_units) or 1
    return {
        "target": {"path": tgt_doc.path},
        "sources": [{"path": src_doc.path}],
        "matches": matches,
        "added": added,
        "deleted": deleted,
        "summary": _summary(matches, total),
    }


def dedup_json(p: dict[str, str], extra: list[str] = ()) -> dict:
    """Issue 4's expectation on the corpus: 000 and 003 one cluster, the rest singletons."""
    clusters = [
        {
            "id": "c0001",
            "canonical": p["000"],
            "members": [p["000"], p["003"]],
            "reason": "notice present; most complete body (same body as 003); earliest date",
            "details": {
                p["000"]: {"relation": "canonical", "containment": 1.0, "similarity": 1.0, "differences": ""},
                p["003"]: {
                    "relation": "formatting",
                    "containment": 1.0,
                    "similarity": 0.97,
                    "differences": "full-width punctuation, U+3000 indents; no news lede or notice",
                },
            },
        }
    ]
    for i, k in enumerate(["001", "002", "004"], 2):
        clusters.append(
            {
                "id": f"c{i:04d}",
                "canonical": p[k],
                "members": [p[k]],
                "reason": "single copy",
                "details": {p[k]: {"relation": "canonical", "containment": 1.0, "similarity": 1.0, "differences": ""}},
            }
        )
    for i, path in enumerate(extra, 10):
        clusters.append(
            {
                "id": f"c{i:04d}",
                "canonical": path,
                "members": [path],
                "reason": f"single copy {XSS_SCRIPT}",
                "details": {
                    path: {
                        "relation": "canonical",
                        "containment": 1.0,
                        "similarity": 1.0,
                        "differences": XSS_IMG + XSS_TEMPLATE,
                    }
                },
            }
        )
    related = [
        {
            "a": "c0001",
            "b": "c0004",
            "similarity": 0.21,
            "changes": {
                "modified": 3,
                "added": 40,
                "deleted": 35,
                "examples": [["全省", "全市"], {"before": "2025年", "after": "2027年"}, XSS_SCRIPT],
            },
        }
    ]
    return {"clusters": clusters, "related": related, "skipped": [{"path": "scan.pdf", "reason": "binary: a PDF file"}]}


def graph_json(p: dict[str, str], derived: str | None = None, xss: str | None = None) -> dict:
    """Issue 5's expectation on the corpus (plus the derived plan and the XSS document when given)."""
    nodes = [
        {
            "id": "v-zj2020",
            "paths": [p["000"], p["003"]],
            "title": "制造强省建设行动计划",
            "date": "2020-03-13",
            "jurisdiction": "浙江省",
            "level": "province",
            "external": False,
        },
        {
            "id": "v-sd2022",
            "paths": [p["001"]],
            "title": "先进制造业强省行动计划(2022—2025年)",
            "date": "2023",
            "jurisdiction": "山东省",
            "level": "province",
            "external": False,
        },
        {
            "id": "v-sx2016",
            "paths": [p["002"]],
            "title": "中国制造2025绍兴实施方案",
            "date": "2016-06-17",
            "jurisdiction": "绍兴市",
            "level": "city",
            "external": False,
        },
        {
            "id": "v-sx2018",
            "paths": [p["004"]],
            "title": "绍兴市培育发展战略性新兴产业行动计划",
            "date": "2018",
            "jurisdiction": "绍兴市",
            "level": "city",
            "external": False,
        },
        {
            "id": "x-zzbf2017-100",
            "paths": [],
            "title": "浙江省培育发展战略性新兴产业行动计划(2017—2020年)",
            "doc_number": "浙政办发〔2017〕100号",
            "date": "2017",
            "jurisdiction": "浙江省",
            "level": "province",
            "external": True,
        },
        {
            "id": "x-zgzz2025",
            "paths": [],
            "title": "中国制造2025",
            "doc_number": "国发〔2015〕28号",
            "date": "2015-05-08",
            "jurisdiction": "全国",
            "level": "national",
            "external": True,
        },
        {
            "id": "x-zj-gangyao",
            "paths": [],
            "title": "中国制造2025浙江行动纲要",
            "date": None,
            "jurisdiction": "浙江省",
            "level": "province",
            "external": True,
        },
    ]
    passages = [{"source_span": [0, 10], "target_span": [0, 10], "relation": "identical"}]
    edges = [
        {
            "source": "v-sx2016",
            "target": "v-sx2018",
            "kind": "reuse",
            "share_of_target": 0.12,
            "share_of_source": 0.04,
            "chars": {"identical": 410, "modified": 120, "localized": 0},
            "passages": passages * 3,
            "direction_evidence": ["earlier date (2016 < 2018)", "same jurisdiction"],
            "confidence": 0.8,
        },
        {
            "source": "v-zj2020",
            "target": "v-sx2016",
            "kind": "reuse",
            "share_of_target": 0.02,
            "share_of_source": 0.03,
            "chars": {"identical": 38, "modified": 0, "localized": 0},
            "passages": passages,
            "direction_evidence": ["conflict: higher level but later date; both may draw on 中国制造2025"],
            "confidence": "low",
        },
        {
            "source": "x-zzbf2017-100",
            "target": "v-sx2018",
            "kind": "citation",
            "share_of_target": None,
            "share_of_source": None,
            "chars": {},
            "passages": [],
            "direction_evidence": ["cites 浙政办发〔2017〕100号"],
            "confidence": 1.0,
        },
        {
            "source": "x-zgzz2025",
            "target": "v-sx2016",
            "kind": "citation",
            "share_of_target": None,
            "share_of_source": None,
            "chars": {},
            "passages": [],
            "direction_evidence": ["cites 《中国制造2025》"],
            "confidence": 1.0,
        },
        {
            "source": "x-zj-gangyao",
            "target": "v-sx2016",
            "kind": "citation",
            "share_of_target": None,
            "share_of_source": None,
            "chars": {},
            "passages": [],
            "direction_evidence": ["cites by name"],
            "confidence": 1.0,
        },
    ]
    if derived:
        nodes.append(
            {
                "id": "v-derived",
                "paths": [derived],
                "title": "绍兴市制造强市建设行动方案",
                "date": "2021-06-01",
                "jurisdiction": "绍兴市",
                "level": "city",
                "external": False,
            }
        )
        edges.append(
            {
                "source": "v-zj2020",
                "target": "v-derived",
                "kind": "reuse",
                "share_of_target": 0.83,
                "share_of_source": 0.78,
                "chars": {"identical": 5200, "modified": 400, "localized": 600},
                "passages": passages * 40,
                "direction_evidence": ["earlier date", "higher level", "localized clauses 浙江省→绍兴市"],
                "confidence": 0.95,
            }
        )
        edges.append(
            {
                "source": "v-sd2022",
                "target": "v-derived",
                "kind": "reuse",
                "share_of_target": 0.03,
                "share_of_source": 0.02,
                "chars": {"identical": 120},
                "passages": passages,
                "direction_evidence": [],
                "confidence": None,
            }
        )
    if xss:
        nodes.append(
            {
                "id": "v-xss",
                "paths": [xss],
                "title": f"{XSS_SCRIPT}{XSS_IMG}{XSS_TEMPLATE}",
                "date": "2022",
                "jurisdiction": "绍兴市",
                "level": "city",
                "external": False,
            }
        )
        nodes.append(
            {
                "id": f"x-{XSS_IMG}",
                "paths": [],
                "title": f"{XSS_SCRIPT}{XSS_TEMPLATE}",
                "date": None,
                "jurisdiction": None,
                "level": None,
                "external": True,
            }
        )
        edges.append(
            {
                "source": f"x-{XSS_IMG}",
                "target": "v-xss",
                "kind": "citation",
                "share_of_target": None,
                "share_of_source": None,
                "chars": {},
                "passages": [],
                "direction_evidence": [XSS_SCRIPT, {"kind": XSS_IMG, "detail": XSS_TEMPLATE}],
                "confidence": 1.0,
            }
        )
    return {"nodes": nodes, "edges": edges}


# -- whole sites -----------------------------------------------------------------------------------


def _ingest(paths: list[str], db: str):
    from lineage.report.pipeline import run
    from lineage.store import Store

    with Store(db) as store:
        return run(paths, store, jobs=1)


def fixture_results(corpus: dict[str, str], folder: str):
    """Results for the corpus plus the derived plan, with every optional stage filled from fixtures."""
    derived = os.path.join(folder, "derived", "sx_derived_plan.txt")
    os.makedirs(os.path.dirname(derived), exist_ok=True)
    record = derive_city_plan(corpus["003"], corpus["001"], derived)
    res = _ingest(list(corpus.values()) + [derived], os.path.join(folder, "fixture.db"))
    docs = {os.path.abspath(d.path): d for d in res.docs}
    d000, d003 = docs[os.path.abspath(corpus["000"])], docs[os.path.abspath(corpus["003"])]
    res.pairs = [align_json(record, corpus["003"], derived), clause_align_json(d003, d000)]
    dsha = docs[os.path.abspath(derived)].sha256
    res.traces = {dsha: trace_json(record, derived, [corpus["003"], corpus["001"]])}
    res.dedup = dedup_json(corpus)
    res.graph = graph_json(corpus, derived=derived)
    # the graph's passages of 2020 plan -> derived plan are the alignment's matches (spans in 003, the copy aligned)
    (edge,) = [e for e in res.graph["edges"] if (e["source"], e["target"]) == ("v-zj2020", "v-derived")]
    edge["source_sha256"], edge["target_sha256"] = d003.sha256, dsha
    edge["passages"] = [
        {
            "source_span": m["source_span"],
            "target_span": m["target_span"],
            "relation": m["relation"],
            "formulaic": m["formulaic"],
            "counted": not m["formulaic"],
        }
        for m in res.pairs[0]["matches"]
    ]
    return res, record


def xss_results(folder: str):
    """Results for the XSS document and a clean partner, every page type filled."""
    partner, bad = write_xss_docs(os.path.join(folder, "docs"))
    res = _ingest([partner, bad], os.path.join(folder, "xss.db"))
    docs = {os.path.abspath(d.path): d for d in res.docs}
    pdoc, xdoc = docs[os.path.abspath(partner)], docs[os.path.abspath(bad)]
    matches, added = [], []
    free = {u.norm_text: u for u in pdoc.units if u.kind in ("paragraph", "heading")}
    for u in xdoc.units:
        if u.kind not in ("paragraph", "heading"):
            continue
        s = free.get(u.norm_text)
        if s is not None:
            matches.append(
                {
                    "source": partner,
                    "source_span": list(s.span),
                    "target_span": list(u.span),
                    "relation": "identical",
                    "score": 100.0,
                    "unit": "paragraph",
                    "formulaic": False,
                    "diff": [],
                }
            )
        elif u.id == "p5":  # the 指导思想 paragraph: a modification with the payloads inside the diff
            s = pdoc.units_of("paragraph")[2]
            matches.append(
                {
                    "source": partner,
                    "source_span": list(s.span),
                    "target_span": list(u.span),
                    "relation": "modified",
                    "score": 61.0,
                    "unit": "paragraph",
                    "formulaic": False,
                    "diff": _diff(s.text, u.text),
                }
            )
        else:
            added.append({"target_span": list(u.span)})
    total = sum(len(u.norm_text) for u in xdoc.blocks()) or 1
    align = {
        "target": {"path": bad, "title": xdoc.title},
        "sources": [{"path": partner, "title": XSS_SCRIPT}],
        "matches": matches,
        "added": added,
        "deleted": [],
        "summary": _summary(matches, total),
    }
    res.pairs = [align]
    res.traces = {xdoc.sha256: {**align, "sources": [{"path": partner, "title": XSS_IMG}]}}
    res.dedup = {
        "clusters": [
            {
                "id": XSS_IMG,
                "canonical": bad,
                "members": [bad, partner],
                "reason": XSS_SCRIPT + XSS_TEMPLATE,
                "details": {
                    bad: {"relation": "canonical", "containment": 1, "similarity": 1, "differences": ""},
                    partner: {
                        "relation": "noisy",
                        "containment": 0.9,
                        "similarity": 0.8,
                        "differences": XSS_IMG + XSS_TEMPLATE,
                    },
                },
            }
        ],
        "related": [],
        "skipped": [{"path": XSS_NAME, "reason": XSS_SCRIPT}],
    }
    res.graph = {
        "nodes": [
            {
                "id": "a",
                "paths": [partner],
                "title": "partner",
                "date": "2021",
                "level": "city",
                "jurisdiction": "绍兴市",
                "external": False,
            },
            {
                "id": XSS_IMG,
                "paths": [bad],
                "title": XSS_SCRIPT + XSS_TEMPLATE,
                "date": "2022",
                "level": "city",
                "jurisdiction": XSS_IMG,
                "external": False,
            },
            {"id": XSS_SCRIPT, "paths": [], "title": XSS_TEMPLATE, "date": None, "level": None, "external": True},
        ],
        "edges": [
            {
                "source": "a",
                "target": XSS_IMG,
                "kind": "reuse",
                "share_of_target": 0.5,
                "share_of_source": 0.7,
                "chars": {"identical": 50},
                "passages": [],
                "direction_evidence": [XSS_SCRIPT],
                "confidence": XSS_TEMPLATE,
            },
            {
                "source": XSS_SCRIPT,
                "target": XSS_IMG,
                "kind": "citation",
                "share_of_target": None,
                "share_of_source": None,
                "chars": {},
                "passages": [],
                "direction_evidence": [],
                "confidence": 1.0,
            },
        ],
    }
    return res
