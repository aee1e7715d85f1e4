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
 * asked again as typed. plansiteSearch.off() switches the rewrite off by hand.
 *
 * Until the worker has read the index, a query that names a school is answered at once from
 * assets/plansite/schools.json (see "schools at once" below). */
(function () {
  "use strict";
  var SETUP = 0, READY = 1, SEARCH_QUERY = 2, RESULT = 3;  // Material 9's search worker messages
  var example = null, vocab = null, known = null, byKey = null, longest = 1, loading = false, reading = null;
  var state = "waiting";  // "on" once the search worker is recognised; "off": plain search only
  var searchWorker = null, workerReady = false, readyAt = 0, queriesSeen = 0, sent = [], noted = false;
  var heard = false;  // Material has heard from its worker, or asked it a query: it answers from now on
  var ours = new WeakSet();  // results handed to Material by this script (schools at once), not by the worker

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

  function asset(name) {
    // one of the site's own JSON files beside this script (assets/plansite/), parsed
    return fetch(base() + "/assets/plansite/" + name).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    });
  }

  function load() {
    if (vocab || loading) return;
    loading = true;
    asset("pinyin.json").then(function (d) {
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
      example = Array.isArray(d.example) ? d.example : null;  // one of the site's own schools
      reading = new Map();
      (d.chars || "").split(" ").forEach(function (e) { if (e) reading.set(e.charAt(0), e.slice(1)); });
      // A query sent before the vocabulary arrived went out as typed: send it again, rewritten.
      // (Material ignores a keyup with an unchanged value, so the worker is asked directly.)
      if (state === "on" && searchWorker && lastQuery !== null && toWorker(lastQuery)) {
        send(searchWorker, toWorker(lastQuery), true);
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
    if (!/^[a-z][a-z\s'\-]*$/.test(q)) return null;  // a URL name (yuying-zhongxue) reads as spaced pinyin
    var tokens = q.split(/[\s'\-]+/).filter(Boolean);
    var whole = tokens.join("");
    // the whole query as one name first (yu ying zhong xue); its syllables alone only when it is none
    var candidates = byKey.has(whole) || pieces(whole) ? [whole] : [whole].concat(tokens.length > 1 ? tokens : []);
    var words = [];
    candidates.forEach(function (t) {
      if (t.length < 2) return;
      lookup(t).forEach(function (w) { if (words.indexOf(w) < 0) words.push(w); });
    });
    return words.length ? words.join(" ") : null;
  }

  // Material's worker looks for index words inside each run of Chinese characters, but never for a
  // word that ends where the run ends (its loop stops one short): 初中部 was searched as 初中 and
  // 部, 小课题 as 小 and 课题, so project titles holding 初中 or 课题 outranked the item itself. A
  // character no page holds (U+3400) after each run lets the whole word be found; the box keeps
  // what the visitor typed and highlighting is unaffected. null: nothing to change.
  var END = "\u3400";
  function toWorker(query) {
    if (!vocab) return null;
    var q = (expand(query) || query).replace(/[\u3401-\u9fff]+/g, function (run) { return run + END; });
    return q !== query ? q : null;
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
      if (ours.has(m)) return;  // a school list's answer, not the worker's
      if (!m || typeof m !== "object" || typeof m.type !== "number") return off("搜索结果的格式与 Material 9 不同");
      if (m.type === READY) { workerReady = true; readyAt = Date.now(); return; }
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
    if (message.type === SEARCH_QUERY) heard = true;  // Material asks only a worker that is ready
    if (message.type === SETUP && message.data && message.data.config && Array.isArray(message.data.docs)) {
      if (instantWorker && worker !== instantWorker) instantOff("搜索索引发给了另一个 worker");
      watch(worker);
      return null;
    }
    if (worker !== searchWorker || message.type !== SEARCH_QUERY) return null;
    queriesSeen++;
    if (typeof message.data !== "string") { off("查询消息的格式与 Material 9 不同"); return null; }
    lastQuery = message.data;
    var asked = { typed: message.data, rewritten: false };
    sent.push(asked);  // before expand(): the queue stays in step with the answers even if it throws
    var chinese = state === "on" ? toWorker(message.data) : null;
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
    if (p[1] && p[1].type === SEARCH_QUERY) heard = true;  // the worker was ready before this script
  });
  window.__plansitePosted = null;

  var typed = "";

  function checkTyped(ev) {
    // Material 9 sends a ready worker the query for what the box holds: on the input event, before
    // the keyup (9.8), or on the keyup. No index message recognised, or a ready worker that never got
    // this value (neither before the keyup nor in the 3 s after), means Material talks another way now.
    // (Counting only the queries after the keyup turned the rewrite off after any 3-second pause in
    // typing, once the worker had said READY: with the index loaded when search is first used, always.)
    // A worker still reading its index (loaded when search is first used) is given a second after READY.
    var value = ev.target.value;
    if (value === typed || state === "off") return;
    typed = value;
    var before = queriesSeen, asked = lastQuery === value;
    function check(waited) {
      if (state === "off" || asked || lastQuery === value || queriesSeen !== before) return;
      if (!searchWorker) return note("没有认出 Material 9 的搜索索引消息");  // maybe only slow: it may still come
      if (!workerReady || Date.now() - readyAt < 1000) {
        if (waited < 60000) setTimeout(function () { check(waited + 1000); }, 1000);
        return;
      }
      off("没有看到 Material 9 的查询消息");
    }
    setTimeout(function () { check(3000); }, 3000);
  }

  // ------------------------------------------------------------ schools at once, before the index is read

  // Material posts no query before its worker has read the index (asked for at the tap on search;
  // building its lunr index takes the worker most of the wait) and sends the box's value when the
  // worker says READY. Meanwhile a query that names a school (name, short name, full pinyin,
  // initials, URL name) is answered from assets/plansite/schools.json, asked for at the same tap: a
  // RESULT in the shape the worker sends is handed to Material's own listener on its worker, so the
  // list looks like any result; the line above it says what it is. At READY Material asks the worker
  // for what the box holds and the full results replace these. A query that names no school waits
  // for the worker, as it would without the list. The first message from the worker ends this; a
  // list that does not load, a worker not recognised or an error leave plain search, said once.
  var schools = null, instant = "waiting", instantWorker = null, instantNoted = false;
  var answering = null, metaText = null;  // the query the school list answers on screen, and the line it replaced

  function instantOff(why) {
    if (instant === "off") return;
    instant = "off";
    if (instantNoted) return;
    instantNoted = true;
    if (window.console && console.info) console.info("PlanSite：索引读完之前不先列出学校，搜索等索引读完再回答（" + why + "）");
  }

  function loadSchools() {
    // theme.js calls this at the tap on search, when the index is asked for
    var listened = window.__plansiteListened || [];
    if (listened.length !== 1) return instantOff("没有认出 Material 9 的搜索 worker");
    instantWorker = listened[0];
    instantWorker.addEventListener("message", function (ev) {
      if (ours.has(ev.data)) return;
      heard = true;  // the worker speaks (READY): from now on Material asks it and shows its answers
      answering = null;
    });
    asset("schools.json").then(function (d) {
      if (!d || !Array.isArray(d.schools)) throw new Error("没有 schools 列表");
      schools = d.schools.filter(function (s) {
        return Array.isArray(s) && s.length >= 5 && s.slice(0, 5).every(function (x) { return typeof x === "string"; });
      });
      if (schools.length !== d.schools.length) throw new Error("学校条目的格式不对");
      if (instant === "off") return;
      instant = "on";
      var input = document.querySelector("[data-md-component=search-query]");
      if (input) answerNow(input.value);  // typed while the list loaded, or a ?q= link
    }).catch(function (err) {
      schools = null;
      instantOff("学校列表 schools.json 没有载入：" + err.message);
    });
  }

  function schoolsFor(query) {
    // schools a query names, best first: the whole of a name or key, then the start of one, then inside
    // one (Chinese; Latin letters from the fourth on, or every school of one city would match its pinyin)
    var q = query.toLowerCase().replace(/[\s'\-·]+/g, "");
    var latin = /^[a-z][a-z0-9]*$/.test(q);
    if (q.length < 2 || (!latin && !/[\u3400-\u9fff]/.test(q))) return [];
    var found = [];
    schools.forEach(function (s, i) {
      var rank = 0;
      (latin ? s[2].split(" ") : [s[0], s[1]]).forEach(function (f) {
        var at = f ? f.indexOf(q) : -1;
        if (at < 0 || (at > 0 && latin && q.length < 4)) return;
        rank = Math.max(rank, f === q ? 3 : at === 0 ? 2 : 1);
      });
      if (rank) found.push({ school: s, rank: rank, order: i });
    });
    return found.sort(function (a, b) { return b.rank - a.rank || a.order - b.order; });
  }

  function esc(text) {  // Material sets a result's title and text as HTML
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
  }

  function hand(data) {
    var message = { type: RESULT, data: data };
    ours.add(message);
    instantWorker.dispatchEvent(new MessageEvent("message", { data: message }));
  }

  function answerNow(value) {
    if (instant !== "on" || heard || state === "off") return;
    var query = value.trim();
    if (query === answering) return;
    var meta = document.querySelector(".md-search-result__meta");
    var found = schoolsFor(query);
    if (!found.length) {
      if (answering === null) return;  // nothing of ours on screen: the worker answers when it is ready
      answering = null;
      hand({ items: [] });  // the schools listed do not match any more
      if (meta && metaText !== null) meta.textContent = metaText;
      return;
    }
    var words = /[\u3400-\u9fff]/.test(query) ? query.split(/\s+/) : [];
    answering = query;
    hand({ items: found.map(function (f, n) {
      var s = f.school, terms = {};
      words.forEach(function (w) { terms[w] = true; });
      return [{ location: s[3], title: esc(s[0]), text: "<p>" + esc([s[1], s[4]].filter(Boolean).join(" · ")) + "</p>",
                score: found.length - n, terms: terms }];
    }) });
    if (meta) {
      if (metaText === null) metaText = meta.textContent;
      meta.textContent = "找到 " + found.length + " 所学校，全文搜索正在载入……";
    }
  }

  function typedBeforeReady(ev) {
    try {
      answerNow(ev.target.value);
    } catch (err) {
      instantOff("列出学校时出错：" + err);
    }
  }

  if (!window.__plansiteWhenSearched) instantOff("theme.js 没有载入");
  else window.__plansiteWhenSearched(function () {
    try { loadSchools(); } catch (err) { instantOff("载入学校列表时出错：" + err); }
  });

  // ------------------------------------------------------------ results that agree with themselves

  // Material marks a query word "缺少" when it is not among the words a result matched by; a school's
  // page matched through its hidden names field (names, pinyin, initials: search.py) shows it as
  // missing, struck through, though it is the right result. theme.js hands each answer here first.
  function plain(s) { return String(s || "").replace(/<[^>]*>/g, "").replace(/[\u200b\s]/g, ""); }
  window.__plansiteResult = function (m) {
    if (!m || m.type !== RESULT || !m.data || !Array.isArray(m.data.items)) return;
    m.data.items.forEach(function (group) {
      (Array.isArray(group) ? group : [group]).forEach(function (doc) {
        if (!doc || !doc.terms || typeof doc.terms !== "object") return;
        var held = plain(doc.names) + plain(doc.title) + plain(doc.text);
        Object.keys(doc.terms).forEach(function (t) {
          var word = t.replace(/[*\u3400]/g, "");
          if (doc.terms[t] || !word || held.indexOf(word) < 0) return;
          delete doc.terms[t];  // found: highlighted as the word itself (?h=育英, not 育英*)
          doc.terms[word] = true;
        });
      });
    });
  };

  window.plansiteSearch = { expand: function (q) { return state === "off" ? null : expand(q); }, load: load,
                            suggest: function (q) { return state === "off" ? [] : suggestions(q); },
                            // the rewrite can answer: its vocabulary loaded and the worker has read
                            // the index (asked for when search is first used: theme.js)
                            ready: function () { return vocab !== null && state === "on" && workerReady; },
                            state: function () { return state; },
                            off: function () { off("已手动关闭"); } };

  // Material lists a page's own entry first in each result group, even when only one of its items
  // matched (then that link opens the page top with an empty ?h=). Point it at the best match.
  // A query in Latin letters found its results through the Chinese words its pinyin spells: each
  // result says so, in Chinese, so that a page without the letters does not look like a wrong hit.
  function pinyinNote(list) {
    var q = (answering !== null ? answering : lastQuery || "").trim();  // the school list found it by its pinyin keys
    if (!/^[a-z][a-z\s'\-]*$/i.test(q) || (answering === null && !expand(q))) return;
    Array.prototype.forEach.call(list.querySelectorAll("li.md-search-result__item > a:first-child article"), function (art) {
      if (art.querySelector(".plansite-pinyin")) return;
      var p = document.createElement("p");
      p.className = "md-search-result__terms plansite-pinyin";
      p.textContent = "按拼音“" + q + "”找到";
      art.appendChild(p);
    });
  }

  function firstLinkToMatch(list) {
    Array.prototype.forEach.call(list.querySelectorAll("li.md-search-result__item"), function (li) {
      var links = li.querySelectorAll(":scope > a");
      if (links.length < 2 || links[0].dataset.plansiteFixed) return;
      var top = links[0], best = links[1];
      var h = new URL(top.href, location.href).searchParams.get("h");
      if ((h === null || h === "") && !top.querySelector("mark")) {
        top.href = best.href;
        top.dataset.plansiteFixed = "1";
      }
    });
  }

  // ------------------------------------------------------------ help when nothing (or little) matches

  function spell(word) {  // 课提 -> ["ke", "ti"], or null when a character is unknown
    var out = [];
    for (var i = 0; i < word.length; i++) {
      var r = reading.get(word.charAt(i));
      if (!r) return null;
      out.push(r);
    }
    return out;
  }

  function soundsLike(run) {
    // vocabulary words that sound like a Chinese run the site does not hold: same pinyin (课提 -> 课题),
    // or one syllable off with the same length; most frequent first
    var mine = spell(run);
    if (!mine) return [];
    var same = [], near = [];
    vocab.forEach(function (w) {
      if (w.word === run || w.word.length !== run.length) return;
      var theirs = spell(w.word);
      if (!theirs) return;
      var diff = 0;
      for (var i = 0; i < mine.length; i++) if (mine[i] !== theirs[i]) diff++;
      if (diff === 0) same.push(w.word); else if (diff === 1 && mine.length >= 2) near.push(w.word);
    });
    return same.concat(near).slice(0, 5);
  }

  function suggestions(query) {
    if (!vocab) return [];
    var out = [];
    (query.match(/[\u3400-\u9fff]+/g) || []).forEach(function (run) {
      if (known.has(run)) return;
      soundsLike(run).forEach(function (w) { if (out.indexOf(w) < 0) out.push(w); });
    });
    return out;
  }

  function searchFor(input, word) {
    input.value = word;
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true, key: "End" }));
    input.focus();
  }

  function help(box) {
    if (!workerReady) return;  // an empty list before the index is read is no "nothing found"
    var input = document.querySelector("[data-md-component=search-query]");
    var meta = box.querySelector(".md-search-result__meta");
    if (!input || !meta) return;
    var query = input.value.trim();
    var none = box.querySelectorAll(".md-search-result__list > li").length === 0;
    var words = query ? suggestions(query) : [];
    var key = query + "|" + none + "|" + words.join(",");
    var old = box.querySelector(".plansite-suggest");
    if (old && old.dataset.key === key) return;
    if (old) old.parentNode.removeChild(old);
    if (!query || (!none && !words.length)) return;
    var div = document.createElement("div");
    div.className = "plansite-suggest";
    div.dataset.key = key;
    if (words.length) {
      var p = document.createElement("p");
      p.appendChild(document.createTextNode("是不是要找："));
      words.forEach(function (w) {
        var b = document.createElement("button");
        b.type = "button";
        b.textContent = w;
        b.addEventListener("click", function () { searchFor(input, w); });
        p.appendChild(b);
      });
      div.appendChild(p);
    }
    if (none) {
      var tip = document.createElement("p");
      var root = base().replace(/\/$/, "");
      var ex = example && example.length === 2 ? "（如“" + example[0] + "”写作 " + example[1] + "）" : "";
      tip.appendChild(document.createTextNode("可以试试：更短的词（如“读书”）；学校的名称、简称或拼音首字母" + ex + "；或者从"));
      var home = document.createElement("a");
      home.href = root + "/";
      home.textContent = "首页";
      tip.appendChild(home);
      tip.appendChild(document.createTextNode("的“找学校”和行事历进入。"));
      div.appendChild(tip);
    }
    meta.parentNode.insertBefore(div, meta.nextSibling);
  }

  function arm() {
    var list = document.querySelector(".md-search-result__list");
    if (list && window.MutationObserver) {
      new MutationObserver(function () {
        firstLinkToMatch(list);
        if (state !== "off" && (answering !== null || (vocab && state === "on"))) pinyinNote(list);
      }).observe(list, { childList: true, subtree: true });
    }
    var result = document.querySelector(".md-search-result");
    if (result && window.MutationObserver) {
      new MutationObserver(function () { if (vocab && state === "on") help(result); })
        .observe(result, { childList: true, subtree: true, characterData: true });
    }
    var input = document.querySelector("[data-md-component=search-query]");
    if (input) {
      input.addEventListener("focus", load, { once: true });
      input.addEventListener("input", typedBeforeReady);
      input.addEventListener("keyup", typedBeforeReady);
      if (input.form) input.form.addEventListener("reset", function () {  // the box is emptied after the event
        setTimeout(function () { typedBeforeReady({ target: input }); }, 0);
      });
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
