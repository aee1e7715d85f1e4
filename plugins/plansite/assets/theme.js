/* Material for MkDocs' small inline scripts, as a file: the site then runs under a
   Content-Security-Policy of script-src 'self' (no inline script at all). The theme partials in
   plansite/theme/ load this file where Material had each inline script; data-part says which one
   runs there, data-* attributes carry what Material wrote into the script with Jinja. Same code
   as Material 9.x's partials/javascripts/*.html. */
(function () {
  var me = document.currentScript;
  if (!me) return;
  var part = me.getAttribute("data-part");
  if (part === "base") {
    // Messages posted to workers before assets/plansite/search.js has loaded (with the CSP <meta>,
    // Material's bundle can post its search index first): search.js reads them, then stops this.
    window.__plansitePosted = [];
    var post = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function (message) {
      if (window.__plansitePosted) window.__plansitePosted.push([this, message]);
      return post.apply(this, arguments);
    };
    // Material's search worker answers are read first by search.js (window.__plansiteResult): a
    // result found through a school's hidden names is not "missing" them. Material listens with
    // addEventListener on the worker it makes at load, before search.js runs; the workers listened
    // to are kept (search.js answers through Material's before the worker has read the index).
    var listen = Worker.prototype.addEventListener;
    window.__plansiteListened = [];
    Worker.prototype.addEventListener = function (type, listener, options) {
      if (type !== "message" || typeof listener !== "function") return listen.apply(this, arguments);
      if (window.__plansiteListened.indexOf(this) < 0) window.__plansiteListened.push(this);
      var wrapped = function (ev) {
        if (window.__plansiteResult) { try { window.__plansiteResult(ev.data); } catch (err) { /* plain result */ } }
        return listener.call(this, ev);
      };
      return listen.call(this, type, wrapped, options);
    };
    // The search index (search/search_index.json: on a district's site most of what a first visit
    // would download) waits until the visitor reaches for search: Material asks for it at load with an
    // XMLHttpRequest, sent here once the search box or its toggle is used (or at once for a ?q= link).
    var open = XMLHttpRequest.prototype.open, send = XMLHttpRequest.prototype.send;
    var held = [], wanted = /[?&]q=/.test(location.search);
    XMLHttpRequest.prototype.open = function (method, url) {
      this.__plansiteIndex = /(^|\/)search\/search_index\.json([?#]|$)/.test(String(url));
      return open.apply(this, arguments);
    };
    XMLHttpRequest.prototype.send = function () {
      if (this.__plansiteIndex && !wanted) { held.push([this, arguments]); return; }
      return send.apply(this, arguments);
    };
    var waiting = [];
    var want = function () {
      if (wanted) return;
      wanted = true;
      held.splice(0).forEach(function (h) { send.apply(h[0], h[1]); });
      waiting.splice(0).forEach(function (fn) { try { fn(); } catch (err) { /* search as before */ } });
    };
    window.__plansiteSearchIndex = want;
    // search.js asks for its list of schools at the same moment (answers before the index is read)
    window.__plansiteWhenSearched = function (fn) { if (wanted) fn(); else waiting.push(fn); };
    var reaches = function (ev) {
      var el = ev.target;
      if (ev.type === "keydown") {  // Material opens search with f, s or /
        var typing = el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
        if (!typing && ["f", "s", "/"].indexOf(ev.key) >= 0) want();
        return;
      }
      if (el && el.closest && el.closest("[data-md-component=search], label[for=__search], #__search")) want();
    };
    ["focusin", "pointerover", "pointerdown", "touchstart", "keydown", "change"].forEach(function (type) {
      document.addEventListener(type, reaches, { capture: true, passive: true });
    });
    window.__md_scope = new URL(me.getAttribute("data-scope") || ".", location);
    window.__md_hash = function (e) {
      return [].slice.call(e).reduce(function (h, c) { return (h << 5) - h + c.charCodeAt(0); }, 0);
    };
    window.__md_get = function (e, store, scope) {
      store = store || localStorage; scope = scope || __md_scope;
      return JSON.parse(store.getItem(scope.pathname + "." + e));
    };
    window.__md_set = function (e, v, store, scope) {
      store = store || localStorage; scope = scope || __md_scope;
      try { store.setItem(scope.pathname + "." + e, JSON.stringify(v)); } catch (err) { /* private mode */ }
    };
  } else if (part === "palette") {
    var palette = __md_get("__palette");
    if (palette && palette.color) {
      if (palette.color.media === "(prefers-color-scheme)") {
        var media = matchMedia("(prefers-color-scheme: light)");
        var input = document.querySelector(media.matches
          ? "[data-md-color-media='(prefers-color-scheme: light)']"
          : "[data-md-color-media='(prefers-color-scheme: dark)']");
        palette.color.media = input.getAttribute("data-md-color-media");
        palette.color.scheme = input.getAttribute("data-md-color-scheme");
        palette.color.primary = input.getAttribute("data-md-color-primary");
        palette.color.accent = input.getAttribute("data-md-color-accent");
      }
      for (var key in palette.color) document.body.setAttribute("data-md-color-" + key, palette.color[key]);
    }
  } else if (part === "content") {
    if (me.hasAttribute("data-tabs-link")) {
      var tabs = __md_get("__tabs");
      if (Array.isArray(tabs)) {
        document.querySelectorAll(".tabbed-set").forEach(function (set) {
          var labels = set.querySelector(".tabbed-labels");
          outer: for (var i = 0; i < tabs.length; i++) {
            var list = labels.getElementsByTagName("label");
            for (var j = 0; j < list.length; j++) {
              if (list[j].innerText.trim() === tabs[i]) { document.getElementById(list[j].htmlFor).checked = true; break outer; }
            }
          }
        });
      }
    }
    var target = document.getElementById(location.hash.slice(1));
    if (target && target.name) target.checked = target.name.indexOf("__tabbed_") === 0;
  } else if (part === "announce") {
    var el = document.querySelector("[data-md-component=announce]");
    if (el) {
      var content = el.querySelector(".md-typeset");
      if (__md_hash(content.innerHTML) === __md_get("__announce")) el.hidden = true;
    }
  } else if (part === "outdated") {
    var box = document.querySelector("[data-md-component=outdated]");
    var base = new URL(me.getAttribute("data-base") || ".", location);
    if (__md_get("__outdated", sessionStorage, base) === true && box) box.hidden = false;
  } else if (part === "consent") {
    var form = document.forms.consent;
    var consent = __md_get("__consent");
    if (consent) {
      for (var k = 0; k < form.elements.length; k++) {
        var f = form.elements[k];
        if (f.name) f.checked = consent[f.name] || false;
      }
    } else if (location.protocol !== "file:") {
      setTimeout(function () { document.querySelector("[data-md-component=consent]").hidden = false; }, 250);
    }
    ["submit", "reset"].forEach(function (action) {
      form.addEventListener(action, function (ev) {
        ev.preventDefault();
        if (ev.type === "reset") {
          for (var n = 0; n < form.elements.length; n++) if (form.elements[n].name) form.elements[n].checked = false;
        }
        __md_set("__consent", Object.fromEntries(Array.from(new FormData(form).keys()).map(function (e) { return [e, true]; })));
        location.hash = "";
        location.reload();
      });
    });
  }
})();
