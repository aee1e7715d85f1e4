/* PlanSite: "this month and next" in the visitor's own month (Asia/Shanghai), and the home page's
 * "next two weeks" by day from the visitor's own date (renderDays mirrors pages/home.py:render_days;
 * a browser test compares the two).
 * The page carries its data in <script class="plansite-now-data">; the server-rendered
 * sections (the build month) stay when JavaScript is off. render() mirrors
 * pages/month.py:_section_html, and a browser test compares the two. */
(function () {
  "use strict";

  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;" }[c];
    });
  }

  function currentMonth() {
    var parts = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit" })
      .formatToParts(new Date());
    var y = parts.filter(function (p) { return p.type === "year"; })[0].value;
    var m = parts.filter(function (p) { return p.type === "month"; })[0].value;
    return y + "-" + m;
  }

  function nextMonth(ym) {
    var y = parseInt(ym.slice(0, 4), 10), m = parseInt(ym.slice(5, 7), 10);
    return m === 12 ? (y + 1) + "-01" : y + "-" + (m < 9 ? "0" : "") + (m + 1);
  }

  function render(data, ym) {
    var month = data.months[ym];
    var label = month ? month.label : parseInt(ym.slice(0, 4), 10) + "年" + parseInt(ym.slice(5, 7), 10) + "月";
    var head = '<section data-month="' + ym + '"><h3>' + esc(label) + "</h3>";
    if (!month) return head + '<p class="plansite-empty">本月暂无安排。</p></section>\n';
    var lis = month.items.map(function (it) {
      var extra = "";
      if (it[3]) extra += '<span class="plansite-school">' + esc(it[3]) + "</span>";
      if (it[4]) extra += '<span class="plansite-who">' + esc(it[4]) + "</span>";
      var span = it[5] ? '<span class="plansite-span" title="跨月安排">跨月</span>' : "";
      return '<li><span class="plansite-when">' + esc(it[0]) + '</span> <a href="' + esc(it[2]) + '">' +
        esc(it[1]) + "</a>" + span + extra + "</li>";
    }).join("");
    var more = '<p><a href="' + esc(month.url) + '">查看' + esc(month.label) + "全部 " + month.total + " 项安排</a></p>";
    return head + "<ul>" + lis + "</ul>" + more + "</section>\n";
  }

  function monthNumber(ym) {
    return parseInt(ym.slice(0, 4), 10) * 12 + parseInt(ym.slice(5, 7), 10) - 1;
  }

  // Mirrors nearest_term() in pages/month.py.
  function nearestTerm(terms, ym) {
    var n = monthNumber(ym), best = null, bestKey = null;
    for (var i = 0; i < terms.length; i++) {
      var a = monthNumber(terms[i][0]), b = monthNumber(terms[i][1]);
      if (a <= n && n <= b) return null;
      var key = [n < a ? a - n : n - b, n < a ? 0 : 1];
      if (bestKey === null || key[0] < bestKey[0] || (key[0] === bestKey[0] && key[1] < bestKey[1]) ||
          (key[0] === bestKey[0] && key[1] === bestKey[1] && a > monthNumber(best[0]))) {
        best = terms[i]; bestKey = key;
      }
    }
    return best;
  }

  // Mirrors _block_html() in pages/month.py: this month and next, or the nearest term, labelled.
  var NEAREST_MONTHS = 2;  // month.py NEAREST_MONTHS

  function block(data, ym) {
    var term = nearestTerm(data.terms || [], ym);
    if (!term) return render(data, ym) + render(data, nextMonth(ym));
    var months = Object.keys(data.months).sort().filter(function (m) { return term[0] <= m && m <= term[1]; });
    var coming = ym < term[0];
    months = coming ? months.slice(0, NEAREST_MONTHS) : months.slice(-NEAREST_MONTHS);
    var note = '<p class="plansite-nearest"><strong>最近学期：' + esc(term[2]) + "</strong>（" +
      esc(parseInt(ym.slice(0, 4), 10) + "年" + parseInt(ym.slice(5, 7), 10) + "月") + "不在任何学期之内；" +
      (coming ? "下面是它开头" : "下面是它最后") + "的 " + months.length + " 个月）</p>\n";
    return note + months.map(function (m) { return render(data, m); }).join("");
  }

  function today() {
    var parts = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit" })
      .formatToParts(new Date());
    var get = function (t) { return parts.filter(function (p) { return p.type === t; })[0].value; };
    return get("year") + "-" + get("month") + "-" + get("day");
  }

  function utc(iso) { return Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)); }
  function iso(ms) { return new Date(ms).toISOString().slice(0, 10); }
  var DAY = 86400000;

  function dayLabel(d) {
    return (+d.slice(5, 7)) + "月" + (+d.slice(8, 10)) + "日 周" + "日一二三四五六".charAt(new Date(utc(d)).getUTCDay());
  }

  function renderDays(data, now) {
    var last = iso(utc(now) + (data.ahead - 1) * DAY);
    var going = data.events.filter(function (ev) { return ev[0] < now && now <= ev[1]; });
    var coming = data.events.filter(function (ev) { return now <= ev[0] && ev[0] <= last; });
    var note = (+now.slice(5, 7)) + "月" + (+now.slice(8, 10)) + "日起两周内";
    if (!coming.length) {
      var later = data.events.filter(function (ev) { return ev[0] > last; });
      var days = [];
      later.forEach(function (ev) { if (days.indexOf(ev[0]) < 0) days.push(ev[0]); });
      days = days.sort().slice(0, data.fallback);
      coming = later.filter(function (ev) { return days.indexOf(ev[0]) >= 0; });
      note = coming.length ? "近两周没有安排；接下来的安排" : "近两周没有安排";
      if (!coming.length && !going.length) { // after the newest term: its last days, said so
        var all = [];
        data.events.forEach(function (ev) { if (all.indexOf(ev[0]) < 0) all.push(ev[0]); });
        all = all.sort().slice(-data.fallback);
        coming = data.events.filter(function (ev) { return all.indexOf(ev[0]) >= 0; });
        if (coming.length) note = "近两周没有安排，也没有更晚的安排；下面是最近的学期最后几天的安排";
      }
    }
    var out = '<p class="plansite-days-note">' + esc(note) + "</p>";
    var groups = going.length ? [["进行中", going]] : [];
    coming.forEach(function (ev) {
      var label = ev[0] === ev[1] ? dayLabel(ev[0]) : ev[2];
      if (!groups.length || groups[groups.length - 1][0] !== label) groups.push([label, []]);
      groups[groups.length - 1][1].push(ev);
    });
    groups.forEach(function (g) {
      var lis = g[1].map(function (ev) {
        return "<li>" + (g[0] === "进行中" ? '<span class="plansite-when">' + esc(ev[2]) + "</span> " : "") +
          '<a href="' + esc(ev[4]) + '">' + esc(ev[3]) + "</a>" +
          ev[5].map(function (s) { return '<span class="plansite-school">' + esc(s) + "</span>"; }).join("") + "</li>";
      }).join("");
      var left = g[0] !== "进行中" && data.more ? data.more[g[0]] : null;
      if (left) lis += '<li class="plansite-more"><a href="' + esc(left[1]) + '">另有 ' + left[0] + " 项，见当月行事历</a></li>";
      out += '<h3 class="plansite-day">' + esc(g[0]) + "</h3><ul>" + lis + "</ul>";
    });
    return out + '<p><a href="' + esc(data.calendar) + '">查看全部月份的行事历</a></p>';
  }

  function updateDays() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-plansite-days]"), function (box) {
      var script = box.nextElementSibling;
      if (!script || !script.classList.contains("plansite-days-data")) return;
      var now = today();
      box.innerHTML = renderDays(JSON.parse(script.textContent), now);
      box.setAttribute("data-plansite-days", now);
    });
  }

  function update() {
    updateDays();
    var boxes = document.querySelectorAll("[data-plansite-now]");
    Array.prototype.forEach.call(boxes, function (box) {
      var script = box.nextElementSibling;
      if (!script || !script.classList.contains("plansite-now-data")) return;
      var data = JSON.parse(script.textContent);
      var now = currentMonth();
      box.innerHTML = block(data, now);
      box.setAttribute("data-plansite-now", now);
    });
  }

  window.plansiteAgenda = { render: render, block: block, renderDays: renderDays, update: update };
  if (typeof document$ !== "undefined" && document$.subscribe) {
    document$.subscribe(update); // Material's instant navigation
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", update);
  } else {
    update();
  }
})();
