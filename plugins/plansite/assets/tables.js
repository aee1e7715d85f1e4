/* PlanSite: filter and sort a table over its own rows (no server, no library).
 * <form data-plansite-filter> holds <select data-filter="KEY">; each <tr> carries data-KEY
 * (space-separated when a row has several values). Without JavaScript the form stays hidden
 * and the plain table shows everything. Header clicks sort by data-sort-value or text. */
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
      form.addEventListener("change", apply);
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
  var timer = null;
  window.addEventListener("resize", function () { clearTimeout(timer); timer = setTimeout(cue, 100); });
  function start() { setup(); cue(); }
  window.plansiteTables = { cue: cue };

  if (typeof document$ !== "undefined" && document$.subscribe) document$.subscribe(start);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
