/* lineage report: filters, keyboard navigation, expanders and the provenance panel.
   No data is read from the page into HTML strings: nodes are moved or cloned, never built from text. */
(function () {
  "use strict";
  var d = document;
  d.documentElement.classList.add("js");  // styles for what only works with script; also tells tests it ran
  function all(sel, root) { return Array.prototype.slice.call((root || d).querySelectorAll(sel)); }
  // Rows folded in a closed run are not "visible" to j/k, whatever the browser lays out for closed <details>.
  var zh = d.documentElement.lang.indexOf("zh") === 0;  // the page's language (lineage report --lang)
  function visible(el) { return el.getClientRects().length > 0 && !el.closest("details:not([open])"); }

  // Pair rows and provenance entries: each cell names its unit (data-u); the documents' pages are named once
  // (.rows on the pair page; the sources table and .mlist on the provenance page).
  function spanLink(c, page) {
    if (!page) { return; }
    var a = d.createElement("a");
    a.className = "sp";
    a.href = page + "#" + c.getAttribute("data-u");
    a.title = zh ? "在原文中" : "in the original text";
    a.textContent = "\u2197";
    c.appendChild(a);
  }
  all(".rows[data-src]").forEach(function (rows) {
    var docs = {s: rows.getAttribute("data-src"), t: rows.getAttribute("data-tgt")};
    all(".s[data-u], .t[data-u]", rows).forEach(function (c) { spanLink(c, docs[c.className.charAt(0)]); });
  });
  all(".mlist[data-tgt]").forEach(function (list) {
    var sources = all("table.sources tbody tr").map(function (r) { return r.getAttribute("data-href"); });
    all("li[data-s]", list).forEach(function (li) {
      all(".s[data-u]", li).forEach(function (c) { spanLink(c, sources[+li.getAttribute("data-s")]); });
      all(".t[data-u]", li).forEach(function (c) { spanLink(c, list.getAttribute("data-tgt")); });
    });
  });

  // Index: filter the documents table by text, date range, province and level, and sort it by a column (a report
  // of 1,000 documents is one long table).  A row is found by its own document (title, place, file, 文号...), not by
  // the other documents it has text in common with; dates and places come from the row's data-* attributes.
  var find = d.getElementById("find");
  if (find) {
    var table = d.querySelector("table.docs"), body = table.tBodies[0];
    var docRows = all("tr", body);
    var data = function (r, name) { return r.querySelector("td.when").getAttribute("data-" + name); };
    var texts = docRows.map(function (r) {
      return all("td:not(.common)", r).map(function (c) { return c.textContent; }).join(" ").toLowerCase();
    });
    var ctl = {from: d.getElementById("i-from"), to: d.getElementById("i-to"),
               province: d.getElementById("i-province"), level: d.getElementById("i-level")};
    // "2018" -> 2018-01-01 .. 2018-12-31, "2018-05" -> its month, "2018-05-02" -> that day (ISO strings compare)
    var bound = function (v, end) {
      v = v.trim();
      if (!/^\d{4}/.test(v)) { return null; }
      if (v.length === 4) { return v + (end ? "-12-31" : "-01-01"); }
      if (v.length === 7) { return v + (end ? "-31" : "-01"); }
      return v.slice(0, 10);
    };
    var filter = function () {
      var q = find.value.trim().toLowerCase(), n = 0;
      var lo = bound(ctl.from.value, false), hi = bound(ctl.to.value, true);
      var prov = ctl.province.value, lv = ctl.level.value;
      docRows.forEach(function (r, i) {
        var a = data(r, "from"), b = data(r, "to");
        var hit = (!q || texts[i].indexOf(q) >= 0) && (!prov || data(r, "province") === prov) &&
                  (!lv || data(r, "level") === lv) &&
                  (!(lo || hi) || (a && (!lo || b >= lo) && (!hi || a <= hi)));
        r.hidden = !hit;
        if (hit) { n += 1; }
      });
      var on = q || lo || hi || prov || lv;
      d.getElementById("found").textContent = on ? n + (zh ? " / " : " of ") + docRows.length : "";
    };
    find.addEventListener("input", filter);
    [ctl.from, ctl.to].forEach(function (c) { c.addEventListener("input", filter); });
    [ctl.province, ctl.level].forEach(function (c) { c.addEventListener("change", filter); });
    // Sorting: a header names its key (data-sort); a second click reverses; rows without a value stay last.
    var sorted = {key: null, desc: false};
    all("th[data-sort]", table).forEach(function (th) {
      var key = th.getAttribute("data-sort");
      var btn = d.createElement("button");
      btn.type = "button";
      btn.className = "sort";
      while (th.firstChild) { btn.appendChild(th.firstChild); }
      th.appendChild(btn);
      btn.addEventListener("click", function () {
        sorted.desc = sorted.key === key ? !sorted.desc : false;
        sorted.key = key;
        var val = function (r) {
          var v = data(r, key) || "";
          return key === "size" ? +v : v;
        };
        var keyed = docRows.map(function (r, i) { return [val(r), i, r]; });
        keyed.sort(function (x, y) {
          if ((x[0] === "") !== (y[0] === "")) { return x[0] === "" ? 1 : -1; }
          var c = x[0] < y[0] ? -1 : (x[0] > y[0] ? 1 : 0);
          return (sorted.desc ? -c : c) || x[1] - y[1];
        });
        keyed.forEach(function (k) { body.appendChild(k[2]); });
        all("th[data-sort]", table).forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", sorted.desc ? "descending" : "ascending");
      });
    });
  }

  // Collapsed runs open when a link points inside them (moved partners, links from other pages).
  function reveal(el) {
    for (var p = el && el.parentElement; p; p = p.parentElement) {
      if (p.tagName === "DETAILS") { p.open = true; }
    }
  }
  function revealHash() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (id) { var el = d.getElementById(id); if (el) { reveal(el); el.scrollIntoView({block: "center"}); } }
  }
  window.addEventListener("hashchange", revealHash);
  if (location.hash) { revealHash(); }

  // Print everything, including collapsed runs; restore afterwards.
  var reopened = [];
  window.addEventListener("beforeprint", function () {
    reopened = all("details:not([open])");
    reopened.forEach(function (x) { x.open = true; });
  });
  window.addEventListener("afterprint", function () {
    reopened.forEach(function (x) { x.open = false; });
    reopened = [];
  });

  // Stats-bar filters (pair page): show only rows of one relation.
  var buttons = all("button[data-filter]");
  function setFilter(key) {
    buttons.forEach(function (b) { b.setAttribute("aria-pressed", b.getAttribute("data-filter") === key ? "true" : "false"); });
    all(".r:not(.hd)").forEach(function (r) {
      r.classList.toggle("off", key !== "all" && !r.classList.contains(key));
    });
    all("details.run").forEach(function (x) {
      var mine = x.querySelector(".r." + key) !== null;
      x.classList.toggle("off", key !== "all" && !mine);
      if (key !== "all" && mine) { x.open = true; }
    });
    current = -1;
  }
  buttons.forEach(function (b) {
    b.addEventListener("click", function () {
      var key = b.getAttribute("data-filter");
      setFilter(b.getAttribute("aria-pressed") === "true" && key !== "all" ? "all" : key);
    });
  });

  // j / k: next / previous change (pair page) or reused passage (provenance page).
  var current = -1;
  function stops() {
    var rows = all(".r.chg");
    if (rows.length) { return rows.filter(visible); }
    var seen = {};
    return all("a.m").filter(function (a) {
      var k = a.getAttribute("data-m");
      if (seen[k]) { return false; }
      seen[k] = true;
      return true;
    });
  }
  function go(step) {
    var list = stops();
    if (!list.length) { return; }
    var was = d.querySelector(".cur");
    var i = was ? list.indexOf(was) : -1;
    i = i < 0 ? (step > 0 ? 0 : list.length - 1) : Math.min(list.length - 1, Math.max(0, i + step));
    if (was) { was.classList.remove("cur"); }
    list[i].classList.add("cur");
    current = i;
    list[i].scrollIntoView({block: "center"});
    if (list[i].matches("a.m")) { show(list[i].getAttribute("data-m")); }
  }
  d.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) { return; }
    var t = ev.target && ev.target.tagName;
    if (t === "INPUT" || t === "TEXTAREA" || t === "SELECT") { return; }
    if (ev.key === "j") { go(1); ev.preventDefault(); }
    else if (ev.key === "k") { go(-1); ev.preventDefault(); }
    else if (ev.key === "Escape") { hide(); }
  });

  // Provenance: a click on a passage shows its source and diff beside the text.
  var panel = d.getElementById("panel");
  function hide() {
    if (!panel) { return; }
    panel.hidden = true;
    panel.parentElement.classList.remove("open");
  }
  function show(id) {
    var src = d.getElementById(id);
    if (!panel || !src) { return; }
    while (panel.firstChild) { panel.removeChild(panel.firstChild); }
    var close = d.createElement("button");
    close.type = "button";
    close.className = "close";
    close.setAttribute("aria-label", "close");
    close.textContent = "\u00d7";
    close.addEventListener("click", hide);
    panel.appendChild(close);
    var copy = src.cloneNode(true);
    copy.removeAttribute("id");
    panel.appendChild(copy);
    panel.hidden = false;
    panel.parentElement.classList.add("open");
  }
  all("a.m").forEach(function (a) {
    a.addEventListener("click", function (ev) {
      ev.preventDefault();
      var was = d.querySelector(".cur");
      if (was) { was.classList.remove("cur"); }
      a.classList.add("cur");
      show(a.getAttribute("data-m"));
    });
  });
})();
