/* The interactive lineage graph (cytoscape.js, vendored beside this file; positions computed by lineage:
   lineage/graph_view.py).  Data: embedded in the page (the static report: <script type="application/json">,
   never executed) or fetched from lineage serve's /api/graph.  Text from the data is only ever set with
   textContent, never parsed as HTML. */
(function () {
  "use strict";
  var el = document.getElementById("cy");
  if (!el || typeof cytoscape !== "function") { return; }
  var lang = location.protocol === "file:" ? null : new URLSearchParams(location.search).get("lang");
  var suffix = lang ? "?lang=" + encodeURIComponent(lang) : "";
  var root = el.getAttribute("data-root") || "";  // the static report: hrefs are relative to the site root
  function href(h) { return h ? root + h + suffix : null; }
  var info = document.getElementById("ginfo");
  var count = document.getElementById("g-count");
  var ctl = {
    from: document.getElementById("g-from"), to: document.getElementById("g-to"),
    province: document.getElementById("g-province"), level: document.getElementById("g-level"),
    all: document.getElementById("g-all"), reset: document.getElementById("g-reset")
  };
  var focus = el.getAttribute("data-focus") || null;
  var cy = null;

  function fmt(msg, vars) {
    return msg.replace(/\{(\w+)\}/g, function (_, k) { return String(vars[k]); });
  }

  function elements(data) {
    var out = [];
    data.nodes.forEach(function (n) {
      out.push({group: "nodes", position: {x: n.x, y: n.y},
                data: {id: n.id, label: n.label, title: n.title, level: n.level || "other", year: n.year,
                       y0: n.years ? n.years[0] : null, y1: n.years ? n.years[1] : null,
                       province: n.province || "", place: n.place || "", date: n.when || n.date || "", sha: n.sha256 || "",
                       external: n.external ? 1 : 0, degree: n.degree, href: href(n.href)}});
    });
    data.edges.forEach(function (e) {
      out.push({group: "edges",
                data: {id: e.id, source: e.source, target: e.target, width: e.width, uncertain: e.uncertain ? 1 : 0,
                       shown: e.shown ? 1 : 0, st: e.share_of_target_text, so: e.share_of_source_text,
                       ed: e.edition ? 1 : 0, href: href(e.href)}});
    });
    return out;
  }

  var style = [
    {selector: "node", style: {"width": 10, "height": 10, "background-color": "#8a8a8a", "label": "data(label)",
      "font-size": 10, "min-zoomed-font-size": 7, "text-valign": "center", "text-halign": "right", "text-margin-x": 3,
      "color": "#333"}},
    {selector: "node[level = 'national']", style: {"background-color": "#b3261e"}},
    {selector: "node[level = 'province']", style: {"background-color": "#2563c9"}},
    {selector: "node[level = 'city']", style: {"background-color": "#1f8a3a"}},
    {selector: "node[level = 'county']", style: {"background-color": "#c26a00"}},
    {selector: "node[external = 1]", style: {"background-opacity": 0, "border-width": 1.5, "border-color": "#777"}},
    {selector: "node.focus", style: {"width": 16, "height": 16, "border-width": 3, "border-color": "#111"}},
    {selector: "edge", style: {"width": "data(width)", "line-color": "#555", "opacity": 0.7, "curve-style": "straight",
      "target-arrow-shape": "triangle", "target-arrow-color": "#555", "arrow-scale": 0.8}},
    {selector: "edge[uncertain = 1]", style: {"line-style": "dashed", "line-color": "#7b3fc4",
      "target-arrow-shape": "none", "line-dash-pattern": [6, 3]}},
    // two editions of one document: not reuse between two documents
    {selector: "edge[ed = 1]", style: {"line-color": "#2a7f8f", "target-arrow-color": "#2a7f8f"}},
    {selector: ".off", style: {"display": "none"}}
  ];

  function visibleNodes() {
    var lo = ctl.from.value ? +ctl.from.value : null, hi = ctl.to.value ? +ctl.to.value : null;
    var prov = ctl.province.value, lv = ctl.level.value;
    var near = null;
    if (focus && cy.getElementById(focus).length) {
      near = {};
      near[focus] = true;
      cy.getElementById(focus).connectedEdges().forEach(function (e) {
        if (ctl.all.checked || e.data("shown")) { near[e.data("source")] = true; near[e.data("target")] = true; }
      });
    }
    return function (n) {
      // the document list's rule: a date's years (an estimate's whole range) overlap the filter's
      var y0 = n.data("y0"), y1 = n.data("y1");
      if ((lo !== null || hi !== null) && (y0 === null || y0 === undefined)) { return false; }
      if (lo !== null && y1 < lo) { return false; }
      if (hi !== null && y0 > hi) { return false; }
      if (prov && n.data("province") !== prov) { return false; }
      if (lv && n.data("level") !== lv) { return false; }
      return near === null || near[n.id()] === true;
    };
  }

  function apply(fit) {
    var keep = visibleNodes(), shown = 0, edges = 0;
    cy.batch(function () {
      cy.nodes().forEach(function (n) {
        var on = keep(n);
        n.toggleClass("off", !on);
        n.toggleClass("focus", n.id() === focus);
        if (on && !n.data("external")) { shown += 1; }  // documents of the corpus, not cited ones outside it
      });
      cy.edges().forEach(function (e) {
        var on = (ctl.all.checked || e.data("shown") === 1) && !e.source().hasClass("off") && !e.target().hasClass("off");
        e.toggleClass("off", !on);
        if (on) { edges += 1; }
      });
    });
    count.textContent = fmt(el.getAttribute("data-msg-nodes"), {n: shown, e: edges});
    el.setAttribute("data-nodes", String(shown));
    el.setAttribute("data-edges", String(edges));
    el.setAttribute("data-focus-now", focus || "");
    if (fit) { cy.fit(cy.elements(":visible"), 30); }
  }

  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }
  function line(parent, text, cls) {
    var p = document.createElement("div");
    if (cls) { p.className = cls; }
    p.textContent = text;
    parent.appendChild(p);
    return p;
  }
  function link(parent, text, href) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    parent.appendChild(a);
    return a;
  }

  function showNode(n) {
    clear(info);
    var h = document.createElement("div");
    h.className = "gt";
    h.setAttribute("lang", "zh");
    if (n.data("href")) { link(h, n.data("title"), n.data("href")); } else { h.textContent = n.data("title"); }
    info.appendChild(h);
    line(info, [n.data("date"), n.data("place"), n.data("level")].filter(Boolean).join(" · "), "dim");
    info.hidden = false;
  }

  function showEdge(e) {
    clear(info);
    var s = e.source().data("title"), t = e.target().data("title");
    var h = document.createElement("div");
    h.className = "gt";
    h.setAttribute("lang", "zh");
    var words = e.data("uncertain") ? s + " \u2194 " + t : s + " \u2192 " + t;
    if (e.data("href")) { link(h, words, e.data("href")); } else { h.textContent = words; }
    info.appendChild(h);
    if (e.data("ed")) { line(info, el.getAttribute("data-msg-edition"), "ged"); }
    // each share named by its side, the source's (left's) first as in the heading
    var share = el.getAttribute("data-msg-share");
    line(info, fmt(share, {share: e.data("so"), name: s}), "dim gs-source").setAttribute("lang", "zh");
    line(info, fmt(share, {share: e.data("st"), name: t}), "dim gs-target").setAttribute("lang", "zh");
    info.hidden = false;
  }

  function setFocus(id) {
    focus = id;
    apply(true);
  }

  function build(data) {
    cy = cytoscape({container: el, elements: elements(data), layout: {name: "preset"}, style: style,
                    minZoom: 0.02, maxZoom: 8, textureOnViewport: true, hideEdgesOnViewport: data.edges.length > 3000,
                    boxSelectionEnabled: false, autoungrabify: true});
    cy.on("tap", "node", function (ev) { showNode(ev.target); setFocus(ev.target.id()); });
    cy.on("dbltap", "node", function (ev) {
      if (ev.target.data("href")) { location.href = ev.target.data("href"); }
    });
    cy.on("tap", "edge", function (ev) { showEdge(ev.target); });
    [ctl.from, ctl.to, ctl.province, ctl.level, ctl.all].forEach(function (c) {
      c.addEventListener("change", function () { apply(true); });
    });
    ctl.reset.addEventListener("click", function () { info.hidden = true; setFocus(null); });
    if (focus && cy.getElementById(focus).length) { showNode(cy.getElementById(focus)); }
    apply(true);
    el.setAttribute("data-ready", "1");
    window.lineageGraph = {cy: cy, focus: setFocus};
  }

  var inline = document.getElementById("graph-data");
  if (inline) {
    build(JSON.parse(inline.textContent));
  } else {
    fetch(el.getAttribute("data-api") + "?edges=all", {credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(build);
  }
})();
