/* PlanSite: search helpers over Material's search. Typing `dushujie` or `dsj` searches for 读书节,
 * and a Chinese query of several words (读书随笔) is split into words (读书 随笔) first.
 *
 * Material's search runs in a Web Worker and talks to it in Material 9's protocol: the index goes
 * out as {type: 0, data: {config, docs, options}}, each query as {type: 2, data: "..."}, and the
 * results come back as {type: 3, data: {items: [...]}}. This script rewrites the query with the help
 * of assets/plansite/pinyin.json, a small vocabulary of the site's own words with their pinyin:
 * - Latin letters only: the Chinese words whose full pinyin or initials match;
 * - Chinese: split by longest match against the vocabulary, because Material's own query
 *   segmentation keeps only the first word of a run it cannot split.
 * The index carries no pinyin; the box keeps what the visitor typed.
 *
 * The rewrite is an extra, never a condition for searching. It only touches a worker whose index
 * message it recognised; when the messages are not what it expects (a later Material, another
 * engine), when the vocabulary does not load, or when it throws, it steps aside, says so once in the
 * console, and Material's plain search answers as typed. A rewritten query that finds nothing is
 * asked again as typed. plansiteSearch.off() switches the rewrite off by hand. */
(function () {
  "use strict";
  var SETUP = 0, READY = 1, SEARCH_QUERY = 2, RESULT = 3;  // Material 9's search worker messages
  var vocab = null, known = null, byKey = null, longest = 1, loading = false;
  var state = "waiting";  // "on" once the search worker is recognised; "off": plain search only
  var searchWorker = null, workerReady = false, queriesSeen = 0, sent = [], noted = false;

  function note(why) {
    if (noted) return;
    noted = true;
    if (window.console && console.info) console.info("PlanSite：拼音与分词搜索未启用，搜索框按原样搜索（" + why + "）");
  }

  function off(why) {
    if (state === "off") return;
    state = "off";
    note(why);
  }

  function base() {
    var el = document.getElementById("__config");
    try { return el ? JSON.parse(el.textContent).base : "."; } catch (e) { return "."; }
  }

  function load() {
    if (vocab || loading) return;
    loading = true;
    fetch(base() + "/assets/plansite/pinyin.json").then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    }).then(function (d) {
      if (!d || !Array.isArray(d.words)) throw new Error("没有 words 列表");
      vocab = d.words.map(function (w) { var p = w.split("|"); return { word: p[0], full: p[1], initials: p[2] }; });
      known = new Set(vocab.map(function (w) { return w.word; }));
      byKey = new Map();  // full pinyin or initials -> words, most frequent first
      vocab.forEach(function (w) {
        [w.full, w.initials].forEach(function (k) {
          if (!byKey.has(k)) byKey.set(k, []);
          if (byKey.get(k).indexOf(w.word) < 0) byKey.get(k).push(w.word);
        });
      });
      vocab.forEach(function (w) { longest = Math.max(longest, w.word.length); });
      // A query sent before the vocabulary arrived went out as typed: send it again, rewritten.
      // (Material ignores a keyup with an unchanged value, so the worker is asked directly.)
      if (state === "on" && searchWorker && lastQuery !== null && expand(lastQuery)) {
        send(searchWorker, expand(lastQuery), true);
      }
    }).catch(function (err) {
      vocab = null;
      off("拼音词表 pinyin.json 没有载入：" + err.message);
    });
  }

  function pieces(token) {
    // fewest vocabulary keys (full pinyin or initials, 2+ letters) that spell the token: qzgd -> qz gd
    var best = [[]];
    for (var i = 0; i < token.length; i++) {
      if (!best[i]) continue;
      for (var j = i + 2; j <= token.length; j++) {
        var k = token.slice(i, j);
        if (byKey.has(k) && (!best[j] || best[j].length > best[i].length + 1)) best[j] = best[i].concat([k]);
      }
    }
    return best[token.length] || null;
  }

  function lookup(token) {
    if (byKey.has(token)) return byKey.get(token).slice(0, 4);  // one word: its likeliest readings
    var parts = pieces(token);
    if (parts) return [parts.map(function (k) { return byKey.get(k)[0]; }).join(" ")];  // several words
    if (token.length < 4) return [];
    return vocab.filter(function (w) { return w.full.indexOf(token) === 0; })  // still typing
      .slice(0, 4).map(function (w) { return w.word; });
  }

  function split(run) {
    var out = [], i = 0, loose = "";
    while (i < run.length) {
      var n = Math.min(longest, run.length - i), hit = "";
      for (; n >= 2; n--) { if (known.has(run.substr(i, n))) { hit = run.substr(i, n); break; } }
      if (hit) {
        if (loose) { out.push(loose); loose = ""; }
        out.push(hit);
        i += hit.length;
      } else {
        loose += run.charAt(i++);
      }
    }
    if (loose) out.push(loose);
    return out.join(" ");
  }

  function expand(query) {
    if (!vocab) return null;
    if (/[\u3400-\u9fff]/.test(query)) {
      var spaced = query.replace(/[\u3400-\u9fff]+/g, function (run) { return " " + split(run) + " "; })
        .replace(/\s+/g, " ").trim();
      return spaced !== query.trim() ? spaced : null;
    }
    var q = query.trim().toLowerCase();
    if (!/^[a-z][a-z\s']*$/.test(q)) return null;
    var tokens = q.split(/[\s']+/).filter(Boolean);
    var candidates = [tokens.join("")].concat(tokens.length > 1 ? tokens : []);
    var words = [];
    candidates.forEach(function (t) {
      if (t.length < 2) return;
      lookup(t).forEach(function (w) { if (words.indexOf(w) < 0) words.push(w); });
    });
    return words.length ? words.join(" ") : null;
  }

  var post = Worker.prototype.postMessage, lastQuery = null;

  function send(worker, query, rewritten) {
    sent.push({ typed: lastQuery, rewritten: rewritten });
    post.call(worker, { type: SEARCH_QUERY, data: query });
  }

  function watch(worker) {
    // Material 9's search worker, recognised by its index message: follow its answers
    searchWorker = worker;
    state = state === "off" ? "off" : "on";
    worker.addEventListener("message", function (ev) {
      var m = ev.data;
      if (!m || typeof m !== "object" || typeof m.type !== "number") return off("搜索结果的格式与 Material 9 不同");
      if (m.type === READY) { workerReady = true; return; }
      if (m.type !== RESULT) return;
      if (!m.data || !Array.isArray(m.data.items)) return off("搜索结果的格式与 Material 9 不同");
      var asked = sent.shift();  // the worker answers in the order it was asked
      // the rewrite found nothing: ask again for what the visitor typed
      if (state === "on" && asked && asked.rewritten && m.data.items.length === 0 && asked.typed === lastQuery) {
        send(worker, asked.typed, false);
      }
    });
  }

  function rewrite(worker, message) {
    if (!message || typeof message !== "object") return null;
    if (message.type === SETUP && message.data && message.data.config && Array.isArray(message.data.docs)) {
      watch(worker);
      return null;
    }
    if (worker !== searchWorker || message.type !== SEARCH_QUERY) return null;
    queriesSeen++;
    if (typeof message.data !== "string") { off("查询消息的格式与 Material 9 不同"); return null; }
    lastQuery = message.data;
    var asked = { typed: message.data, rewritten: false };
    sent.push(asked);  // before expand(): the queue stays in step with the answers even if it throws
    var chinese = state === "on" ? expand(message.data) : null;
    asked.rewritten = !!chinese;
    return chinese ? { type: SEARCH_QUERY, data: chinese } : null;
  }

  Worker.prototype.postMessage = function (message) {
    var chinese = null;
    try {
      chinese = rewrite(this, message);
    } catch (err) {
      chinese = null;
      off("改写查询时出错：" + err);
    }
    if (chinese) {
      var args = Array.prototype.slice.call(arguments);
      args[0] = chinese;
      return post.apply(this, args);
    }
    return post.apply(this, arguments);
  };

  // The index message Material posted before this script loaded (theme.js keeps it; see there)
  (window.__plansitePosted || []).forEach(function (p) {
    if (p[1] && p[1].type === SETUP) rewrite(p[0], p[1]);
  });
  window.__plansitePosted = null;

  var typed = "";

  function checkTyped(ev) {
    // Material 9 sends the query to a ready worker on the keyup that changed the box. No index
    // message recognised, or a ready worker that got no query, means Material talks another way now.
    var value = ev.target.value;
    if (value === typed || state === "off") return;
    typed = value;
    var before = queriesSeen, ready = workerReady;
    setTimeout(function () {
      if (state === "off") return;
      if (!searchWorker) note("没有认出 Material 9 的搜索索引消息");  // maybe only slow: it may still come
      else if (ready && queriesSeen === before) off("没有看到 Material 9 的查询消息");
    }, 3000);
  }

  window.plansiteSearch = { expand: function (q) { return state === "off" ? null : expand(q); }, load: load,
                            ready: function () { return vocab !== null && state === "on"; },
                            state: function () { return state; },
                            off: function () { off("已手动关闭"); } };

  function arm() {
    var input = document.querySelector("[data-md-component=search-query]");
    if (input) {
      input.addEventListener("focus", load, { once: true });
      input.addEventListener("keyup", checkTyped);
    } else {
      note("页面上没有 Material 9 的搜索框");  // another theme or engine: its own search, untouched
    }
    // Material's search overlay is a role="dialog" without a name (axe: aria-dialog-name); the
    // overlay only works with JavaScript, so naming it here reaches everyone who can open it.
    var dialog = document.querySelector("[data-md-component=search][role=dialog]");
    if (dialog && !dialog.hasAttribute("aria-label")) dialog.setAttribute("aria-label", "搜索");
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", arm); else arm();
})();
