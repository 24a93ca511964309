"""Lay out the lineage graph: time across, administrative level down.

Computed here, drawn by ``graph.html.j2``: positions are plain numbers
(rounded to 0.1 px so output bytes do not depend on float noise), edges are
path strings.  No external service and no browser-side layout: the SVG is
the same every time for the same graph.

A reuse edge whose direction is established is an arrow from source to
target; one whose direction is uncertain has no arrowhead (a hollow dot at
each end, dashed): the two documents share text, nobody is shown reusing
anybody.  Node labels are cut to a few characters; where two different
documents would then read the same, both get their place and year in front.
"""

from __future__ import annotations

import math
import re
from typing import Any

from lineage.dates import date_with_kind
from lineage.graph.edges import share_text
from lineage.graph.editions import SENTENCES
from lineage.graph.nodes import disambiguate
from lineage.i18n import N_, _
from lineage.report.data import DocRef, EdgeView, ExtRef, GBand, GEdge, GNode, GraphLayout, GTick, local_label
from lineage.report.names import anchor_id

LEVELS = ("national", "province", "city", "county")
LEVEL_LABELS = {
    "national": N_("national 国家"),
    "province": N_("province 省"),
    "city": N_("city 市"),
    "county": N_("county 县·区"),
    "other": N_("level unknown"),
}  # translated in the template
LEFT = 118.0  # band labels
RIGHT = 150.0  # room for the last labels
TOP = 10.0
AXIS = 34.0  # the time axis under the bands
PX_PER_YEAR = 120.0
MIN_PLOT = 520.0
LANE = 34.0  # vertical distance between stacked nodes in a band
BAND_PAD = 26.0
MIN_DX = 116.0  # nodes closer than this in x go to another lane (a label: 8 characters of 12 px, after the node)
UNDATED_W = 90.0
NODE_R = 7.0
MIN_W, MAX_W = 1.2, 10.0  # reuse edge widths at share 0 and 1
LABEL_CHARS = 8
LABEL_PX = 12.0  # a CJK character of the label font; ASCII about half

_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


def date_value(s: Any) -> float | None:
    """Fractional year of an ISO date, a year-month or a year (a bare year sits mid-year)."""
    if not isinstance(s, str):
        return None
    m = _DATE.match(s.strip())
    if not m:
        return None
    y = int(m.group(1))
    if m.group(2) is None:
        return y + 0.5
    mo = min(max(int(m.group(2)), 1), 12)
    d = min(max(int(m.group(3) or 15), 1), 31)
    return y + (mo - 1) / 12 + (d - 1) / 366


def short(label: str, n: int = LABEL_CHARS) -> str:
    return label if len(label) <= n else label[: n - 1] + "…"


def label_px(text: str) -> float:
    """A generous width: ASCII letters and digits at 0.6 em, everything else (CJK, ·, …) a full em."""
    return sum(LABEL_PX * 0.6 if c.isascii() else LABEL_PX for c in text)


def node_labels(items: list[tuple[str, DocRef | ExtRef, str | None]]) -> dict[str, str]:
    """Short node labels, place and year in front of those two different documents would share."""
    names = disambiguate(
        [(nid, ref.name, {"name": ref.place} if ref.place else None, date) for nid, ref, date in items],
        width=LABEL_CHARS,
    )
    return {nid: local_label(short_label).replace(" · ", "·") for nid, (_, short_label) in names.items()}


def _r(v: float) -> float:
    return round(v, 1)


def edge_width(share: float) -> float:
    """Stroke width of a reuse edge: square root of the share, so that a 1% edge is still seen beside an 80% one."""
    return MIN_W + (MAX_W - MIN_W) * math.sqrt(min(max(share, 0.0), 1.0))


def layout(graph: dict, refs: dict[str, DocRef | ExtRef], edges: list[EdgeView]) -> GraphLayout:
    raw = {str(n.get("id")): n for n in graph.get("nodes") or []}
    items = []
    for nid in sorted(raw):
        n, ref = raw[nid], refs[nid]
        level = n.get("level") or ref.level
        level = level if level in LEVELS else "other"
        date = n.get("date") or ref.date
        items.append((nid, ref, level, date, date_value(date), bool(n.get("external")) or isinstance(ref, ExtRef)))
    labels = node_labels([(nid, ref, date) for nid, ref, _, date, _, _ in items])
    # a date as the other pages give it, with its kind: an estimate's year is no date the text states
    n_kind = {nid: raw[nid].get("date_kind") or getattr(refs[nid], "date_kind", None) for nid in raw}

    dated = [v for *_, v, _ in items if v is not None]
    lo = math.floor(min(dated)) if dated else 2000
    hi = math.floor(max(dated)) + 1 if dated else lo + 1
    has_undated = any(v is None for *_, v, _ in items)
    undated_at = LEFT + UNDATED_W / 2
    undated_x = undated_at if has_undated else None
    plot_left = LEFT + (UNDATED_W if has_undated else 0.0) + 20.0
    plot_w = max(MIN_PLOT, (hi - lo) * PX_PER_YEAR)
    plot_right = plot_left + plot_w

    def xpos(v: float | None) -> float:
        if v is None:
            return undated_at
        return plot_left + (v - lo) / (hi - lo) * plot_w

    # Lanes: within a band, a node goes to the first lane whose last node is far enough to the left.
    levels = list(LEVELS) + (["other"] if any(lv == "other" for _, _, lv, *_ in items) else [])
    placed: dict[str, tuple[float, int, str]] = {}
    lanes_used: dict[str, int] = {}
    for lv in levels:
        last: list[float] = []  # per lane: where the last node's label ends, as a minimum x for the next node
        for nid, _ref, _level, _date, v, _ext in sorted(
            (i for i in items if i[2] == lv), key=lambda i: (xpos(i[4]), i[1].label, i[0])
        ):
            x = xpos(v)
            room = x + max(MIN_DX, label_px(labels[nid]) + 20.0)
            for k, lx in enumerate(last):
                if x >= lx:
                    last[k] = room
                    break
            else:
                k = len(last)
                last.append(room)
            placed[nid] = (x, k, lv)
        lanes_used[lv] = max(1, len(last))

    bands, band_y = [], {}
    y = TOP
    for lv in levels:
        h = BAND_PAD * 2 + (lanes_used[lv] - 1) * LANE + 8
        bands.append(GBand(lv, LEVEL_LABELS[lv], _r(y), _r(h)))
        band_y[lv] = y
        y += h
    height = y + AXIS
    step = 1 if hi - lo <= 12 else (2 if hi - lo <= 24 else 5)
    ticks = [GTick(_r(xpos(float(yr))), str(yr)) for yr in range(lo, hi + 1) if (yr - lo) % step == 0]
    if has_undated:
        ticks.insert(0, GTick(_r(undated_at), _("undated")))

    nodes: list[GNode] = []
    pos: dict[str, tuple[float, float]] = {}
    for nid, ref, level, date, _v, ext in items:
        x, lane, lv = placed[nid]
        ny = band_y[lv] + BAND_PAD + 4 + lane * LANE
        pos[nid] = (x, ny)
        shown = date_with_kind(str(date), n_kind.get(nid)) if date else _("undated")
        bits = [ref.label, shown, ref.place or "", _(level) if level != "other" else ""]
        if ext:
            bits.append(_("not in the corpus"))
        anchor = "v-" + (ref.key if isinstance(ref, ExtRef) else anchor_id(nid))
        nodes.append(
            GNode(
                nid,
                anchor,
                _r(x),
                _r(ny),
                NODE_R - (1 if ext else 0),
                labels[nid],
                " · ".join(b for b in bits if b),
                level,
                ext,
                ref.href or f"graph.html#{anchor}",
                ref,
                _r(label_px(labels[nid])),
            )
        )
    nodes.sort(key=lambda n: (n.x, n.y, n.id))

    gedges: list[GEdge] = []
    for e in edges:
        if e.sid not in pos or e.tid not in pos or e.sid == e.tid:
            continue
        (x1, y1), (x2, y2) = pos[e.sid], pos[e.tid]
        dx, dy = x2 - x1, y2 - y1
        dist = math.hypot(dx, dy) or 1.0
        ux, uy = dx / dist, dy / dist
        share = e.share_of_target or 0.0
        uncertain = e.uncertain
        # Trim to the circles so arrowheads (and an uncertain edge's end dots) show clear of the nodes; bend left of
        # the direction so A→B and B→A do not overlap.
        s_trim, t_trim = (NODE_R + 6, NODE_R + 6) if uncertain else (NODE_R + 1, NODE_R + 3)
        sx, sy = x1 + ux * s_trim, y1 + uy * s_trim
        tx, ty = x2 - ux * t_trim, y2 - uy * t_trim
        bend = min(80.0, max(14.0, dist * 0.18))
        cx, cy = (sx + tx) / 2 + uy * bend, (sy + ty) / 2 - ux * bend
        width = (
            1.5 if e.kind == "citation" else edge_width(max(share, e.share_of_source or 0.0) if uncertain else share)
        )
        shares = _(" and ").join(_("%(share)s of %(doc)s", share=x.text, doc=x.of.label) for x in e.shares)
        if e.kind == "citation":
            title = _("%(target)s cites %(source)s", target=e.target.label, source=e.source.label)
        elif e.edition:  # as the pair page says it: for an uncertain one, the graph's order (a, b)
            later, earlier = (e.source, e.target) if uncertain else (e.target, e.source)
            sentence = _(SENTENCES[e.edition], later=later.label, earlier=earlier.label)
            title = _("%(sentence)s (%(shares)s)", sentence=sentence, shares=shares)
        elif uncertain:
            title = _(
                "%(a)s and %(b)s share text (%(shares)s); direction uncertain",
                a=e.source.label,
                b=e.target.label,
                shares=shares,
            )
        else:
            title = _(
                "%(source)s → %(target)s: reused, %(shares)s",
                source=e.source.label,
                target=e.target.label,
                shares=shares or _("%(share)s of the target", share=share_text(share)),
            )
        gedges.append(
            GEdge(
                e.sid,
                e.tid,
                e.kind,
                f"M{_r(sx)} {_r(sy)} Q{_r(cx)} {_r(cy)} {_r(tx)} {_r(ty)}",
                _r(width),
                title,
                e.href or "graph.html",
                uncertain,
                bool(e.edition),
            )
        )
    # Thick edges first so thin ones stay visible on top; citations last.
    gedges.sort(key=lambda g: (g.kind == "citation", -g.width, g.source, g.target))
    return GraphLayout(
        _r(plot_right + RIGHT),
        _r(height),
        _r(plot_left),
        _r(plot_right),
        bands,
        ticks,
        nodes,
        gedges,
        _r(undated_x) if undated_x is not None else None,
    )
