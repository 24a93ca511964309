/* lineage serve: small touches that need script (the pages work without it). */
(function () {
  "use strict";
  var d = document;
  d.documentElement.classList.add("js");
  // The document list: a changed select applies the filters at once.
  ["f-province", "f-level"].forEach(function (id) {
    var s = d.getElementById(id);
    if (s) { s.addEventListener("change", function () { s.form.submit(); }); }
  });
  // Count bars on the search page: widths relative to the largest count of their table.
  Array.prototype.forEach.call(d.querySelectorAll("table.byprov, table.byyear"), function (t) {
    var bars = t.querySelectorAll(".bar"), max = 1;
    Array.prototype.forEach.call(bars, function (b) { max = Math.max(max, +b.getAttribute("data-n")); });
    Array.prototype.forEach.call(bars, function (b) {
      b.style.width = Math.max(2, Math.round(120 * (+b.getAttribute("data-n")) / max)) + "px";
    });
  });
})();
