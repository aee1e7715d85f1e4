/* PlanSite's additions to the Decap CMS editor (/admin/), run after decap-cms.js.
 *
 * Before every save (Decap's preSave event):
 * - empty values are left out: an empty 负责 or 日期 is no value, as if never written, and an
 *   emptied list of 相关课题 disappears (the loader reads both alike; the file stays small);
 * - a new plan gets its id, and so its file name: the school's id and the term's ASCII key,
 *   qinghe-2026-autumn, as `plansite import` names plans. TERMS (made by PlanSite from its
 *   own term parser, output/admin/files.py) maps the ways a term is written to that key;
 * - a new school or project must be given its id (拼音编号): a file name is never Chinese.
 * Markdown fields open in plain-text mode until the teacher picks the other: Chinese input
 * methods misbehave in the rich-text editor, which also rewrites Markdown it merely shows.
 */
(function () {
  "use strict";
  var TERMS = {/*TERMS*/};
  var CMS = window.CMS || window.DecapCms;
  if (!CMS || !CMS.registerEventListener) {
    return;
  }
  try {
    if (window.localStorage.getItem("cms.md-mode") === null) {
      window.localStorage.setItem("cms.md-mode", "raw");
    }
  } catch (e) { /* storage refused: Decap's own default */ }

  function isMap(v) {
    return v !== null && typeof v === "object" && typeof v.keySeq === "function" && typeof v.get === "function" &&
      typeof v.push !== "function";
  }
  function isList(v) {
    return v !== null && typeof v === "object" && typeof v.push === "function" && typeof v.keySeq === "function";
  }
  function empty(v) {
    return v === null || v === undefined || (typeof v === "string" && v.trim() === "") ||
      ((isMap(v) || isList(v)) && v.size === 0);
  }
  function tidy(v) {
    if (isMap(v) || isList(v)) {
      return v.map(tidy).filter(function (x) { return !empty(x); });
    }
    return v;
  }
  function bare(text) {
    return String(text || "").normalize("NFKC").replace(/\s+/g, "");
  }
  function ascii(text) {
    return bare(text).toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  }

  CMS.registerEventListener({
    name: "preSave",
    handler: function (event) {
      var entry = event.entry;
      var data = tidy(entry.get("data"));
      if (!entry.get("newRecord") || data.get("id")) {
        return data;
      }
      var collection = entry.get("collection");
      if (collection === "plans") {
        var term = TERMS[bare(data.get("term"))] || ascii(data.get("term")) || "plan";
        return data.set("id", ascii(data.get("school")) + "-" + term);
      }
      if (collection === "schools") {
        throw new Error("请填写“学校编号”：文件名和网址用的拼音，小写字母、数字和连字符，例如 qinghe-xiaoxue");
      }
      if (collection === "projects") {
        throw new Error("请填写“课题编号”：文件名和网址用的拼音，小写字母、数字和连字符，例如 qh-zhengben-yuedu");
      }
      return data;
    }
  });
})();
