/* PlanSite: filter and sort a table over its own rows (no server, no library).
 * <form data-plansite-filter> holds <select data-filter="KEY">; each <tr> carries data-KEY
 * (space-separated when a row has several values). Without JavaScript the form stays hidden
 * and the plain table shows everything. The choice is kept in the address's query, so a reload or a
 * shared link keeps it. Header clicks sort by data-sort-value or text. */
(function () {
  "use strict";

  function setup() {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-plansite-filter]"), function (form) {
      var table = form.parentNode.querySelector("table[data-plansite-table]") ||
        document.querySelector("table[data-plansite-table]");
      if (!table || form.dataset.ready) return;
      form.dataset.ready = "1";
      form.hidden = false;
      var rows = Array.prototype.slice.call(table.tBodies[0].rows);
      var count = form.querySelector(".plansite-count");
      function apply() {
        var wanted = {};
        Array.prototype.forEach.call(form.querySelectorAll("select[data-filter]"), function (s) {
          if (s.value) wanted[s.dataset.filter] = s.value;
        });
        var shown = 0;
        rows.forEach(function (tr) {
          var ok = Object.keys(wanted).every(function (k) {
            return (tr.dataset[k] || "").split(" ").indexOf(wanted[k]) >= 0;
          });
          tr.hidden = !ok;
          if (ok) shown++;
        });
        if (count) count.textContent = "显示 " + shown + " / " + rows.length + " 项";
      }
      // The choice is kept in the address (?level=市级&school=…): a reload or a shared link shows the
      // same rows. A value the page does not offer (an old link) is left out.
      var selects = form.querySelectorAll("select[data-filter]");
      var params = new URLSearchParams(location.search);
      Array.prototype.forEach.call(selects, function (s) {
        var v = params.get(s.dataset.filter);
        if (v !== null && Array.prototype.some.call(s.options, function (o) { return o.value === v; })) s.value = v;
      });
      function remember() {
        var url = new URL(location.href);
        Array.prototype.forEach.call(selects, function (s) {
          if (s.value) url.searchParams.set(s.dataset.filter, s.value); else url.searchParams.delete(s.dataset.filter);
        });
        if (url.href !== location.href) history.replaceState(history.state, "", url.href);
      }
      form.addEventListener("change", function () { apply(); remember(); });
      form.addEventListener("submit", function (e) { e.preventDefault(); });
      apply();
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
        th.tabIndex = 0;
        th.setAttribute("aria-sort", "none");
        th.title = "点击排序";
        function sort() {
          var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
          Array.prototype.forEach.call(table.tHead.rows[0].cells, function (o) { o.setAttribute("aria-sort", "none"); });
          th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
          var key = function (tr) {
            var cell = tr.cells[col];
            return cell.dataset.sortValue !== undefined ? parseFloat(cell.dataset.sortValue) : cell.textContent.trim();
          };
          rows.sort(function (a, b) {
            var x = key(a), y = key(b);
            return (typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y), "zh")) * dir;
          });
          rows.forEach(function (tr) { table.tBodies[0].appendChild(tr); });
        }
        th.addEventListener("click", sort);
        th.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); } });
      });
    });
  }

  /* A table or chart wider than the content column scrolls inside its own box; say so, and keep the
   * first column (the school) in view while the numbers scroll (CSS: [data-plansite-scrolls]). */
  var CUE = "plansite-scroll-cue";
  function cue() {
    var boxes = document.querySelectorAll("article table, article .plansite-figure");
    Array.prototype.forEach.call(boxes, function (box) {
      // a table scrolls inside Material's wrapper (or itself, where the wrapper is missing)
      var anchor = box.tagName === "TABLE" ? (box.closest(".md-typeset__scrollwrap") || box) : box;
      var wide = anchor.scrollWidth > anchor.clientWidth + 1 || box.scrollWidth > box.clientWidth + 1;
      // an attribute, not a class: Material styles only tables without a class (table:not([class]))
      if (box.tagName === "TABLE") box.toggleAttribute("data-plansite-scrolls", wide);
      else box.classList.toggle("plansite-scrolls", wide);
      var note = anchor.previousElementSibling;
      var has = note && note.classList.contains(CUE);
      if (wide && !has) {
        note = document.createElement("p");
        note.className = CUE;
        note.textContent = box.tagName === "TABLE" ? "表格较宽，左右滑动查看全部列 →" : "图较宽，左右滑动查看全部 →";
        anchor.parentNode.insertBefore(note, anchor);
      } else if (!wide && has) {
        note.parentNode.removeChild(note);
      }
      if (wide && !box.dataset.cueReady) {
        box.dataset.cueReady = "1";
        anchor.addEventListener("scroll", function () {
          if (box.tagName !== "TABLE") {
            box.classList.toggle("plansite-scrolled-end", anchor.scrollLeft + anchor.clientWidth >= anchor.scrollWidth - 1);
          }
        }, { passive: true });
      }
    });
  }
  /* Charts are drawn with 12 px labels (views/charts.py), small beside the text of a wide screen, where
   * Material sets larger type: a chart is shown larger, up to the size of the text around it and never
   * wider than its column. On a phone it keeps its drawn size and scrolls (CSS: .plansite-figure). */
  var LABEL = 12;  // charts.py: the labels' font size, in the drawing's units
  function fit() {
    Array.prototype.forEach.call(document.querySelectorAll("article .plansite-figure svg.plansite-chart"), function (svg) {
      var box = svg.viewBox && svg.viewBox.baseVal, figure = svg.parentNode;
      if (!box || !box.width) return;
      var text = parseFloat(getComputedStyle(figure).fontSize) || 16;
      var scale = Math.max(1, Math.min(text / LABEL, figure.clientWidth / box.width));
      svg.style.width = scale > 1 ? (box.width * scale).toFixed(1) + "px" : "";
      svg.style.height = scale > 1 ? (box.height * scale).toFixed(1) + "px" : "";
    });
  }
  var timer = null;
  window.addEventListener("resize", function () { clearTimeout(timer); timer = setTimeout(function () { fit(); cue(); }, 100); });
  function start() { setup(); fit(); cue(); }
  window.plansiteTables = { cue: cue, fit: fit };

  if (typeof document$ !== "undefined" && document$.subscribe) document$.subscribe(start);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
