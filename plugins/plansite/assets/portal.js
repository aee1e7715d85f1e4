/* The portal's school finder: a query (校名, 简称, full pinyin or initials, e.g. qhsx) picks schools
   out of assets/portal/schools.json; results are grouped by city and district (the file's order,
   pinyin order) and link to each school's page in its district site. Text is set as text. */
(function () {
  "use strict";
  var LIMIT = 200;
  var data = null;

  function norm(s) { return (s || "").toLowerCase().replace(/\s+/g, ""); }

  function matches(school, q) {
    if (school[0].indexOf(q) >= 0 || school[1].indexOf(q) >= 0) return true;
    // pinyin and initials of the short name and of the full name (柳湾中学: lwzx; 江东市…柳湾实验中学: …lwsyzx)
    return school[2].replace(/ /g, "|").indexOf(q) >= 0 || school[3].replace(/ /g, "|").indexOf(q) >= 0;
  }

  function show(root, q) {
    var out = root.querySelector("#portal-results"), count = root.querySelector("#portal-count");
    out.textContent = "";
    if (!q) { count.textContent = ""; return; }
    var found = data.schools.filter(function (s) { return matches(s, q); });
    count.textContent = found.length ? "找到 " + found.length + " 所学校" + (found.length > LIMIT ? "，只列出前 " + LIMIT + " 所" : "")
                                     : "没有找到。换个写法试试：校名里的字、拼音或首字母。";
    var group = -1, list = null;
    found.slice(0, LIMIT).forEach(function (s) {
      if (s[4] !== group) {
        group = s[4];
        var g = data.groups[group], h = document.createElement("h2");
        h.textContent = [g[0], g[1]].filter(Boolean).join(" ") + (g[1] !== g[2] ? "（" + g[2] + "）" : "");
        list = document.createElement("ul");
        out.appendChild(h);
        out.appendChild(list);
      }
      var li = document.createElement("li"), a = document.createElement(s[5] ? "a" : "span");
      if (s[5]) a.href = s[5];
      a.textContent = s[0];
      li.appendChild(a);
      if (s[1]) li.appendChild(document.createTextNode("（" + s[1] + "）"));
      list.appendChild(li);
    });
  }

  function start() {
    var root = document.querySelector(".portal-finder");
    if (!root || root.dataset.ready) return;
    root.dataset.ready = "1";
    var input = root.querySelector("#portal-q");
    fetch(new URL(root.dataset.src, document.baseURI)).then(function (r) { return r.json(); }).then(function (d) {
      data = d;
      root.dataset.loaded = "1";
      show(root, norm(input.value));
    });
    input.addEventListener("input", function () { if (data) show(root, norm(input.value)); });
  }

  if (typeof document$ !== "undefined") document$.subscribe(start);
  else document.addEventListener("DOMContentLoaded", start);
})();
