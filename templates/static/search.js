/* The search page: Pagefind's UI in Chinese, with the query and filters kept in the URL so a
   search can be shared, and the query highlighted where it occurs in an excerpt (Pagefind marks
   whole words; a query may be part of one, see lawreport_site/search/subwords.py). A result's excerpt
   and sections show the query where the page holds it (excerptAround). The index comes in
   shards, listed in pagefind/lawreport-shards.json and merged into the bundle of Pagefind's code;
   the query is cut into the pieces the index is made for (search-query.js). */
(function () {
  "use strict";

  var host = document.getElementById("search");
  if (!host) return;
  var FILTERS = ["province", "place", "year", "theme", "doc_type"];
  var FILTER_LABELS = {province: "省份", place: "地区", year: "年度", theme: "主题", doc_type: "类型"};
  // Opened as //search/ (a doubled slash), the paths made from the address would begin with //,
  // which a browser reads as another host (http://pagefind/pagefind.js): make them single.
  function singleSlashes(path) {
    return path.replace(/\/{2,}/g, "/");
  }
  var root = new URL(host.getAttribute("data-root") || "./", window.location.href);
  root.pathname = singleSlashes(root.pathname);
  var params = new URLSearchParams(window.location.search);
  var term = (params.get("q") || "").trim();

  if (typeof window.PagefindUI !== "function" || !window.LawreportSearch) {
    // Built with --no-search, or the bundle did not load: say so instead of an empty box.
    host.textContent = "本站暂未生成搜索索引，请先按下方的地区、年度或主题浏览。";
    host.className += " search-unavailable";
    return;
  }

  // --- excerpts ---------------------------------------------------------------------------
  function escapeHtml(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  /* The words of the query as patterns, normalized as the index holds text (search-query.js).
     Pagefind's text of a page may hold a space where two elements meet, so any space is allowed
     between two characters. With *escaped*, the patterns match HTML-escaped text (the excerpts). */
  function queryPatterns(escaped) {
    return window.LawreportSearch.normalized(term).split(/\s+/).filter(Boolean).map(function (part) {
      return Array.from(escaped ? escapeHtml(part) : part).map(escapeRegExp).join("[\\s\\u200b]*");
    });
  }

  function anyWord(escaped) {
    var parts = queryPatterns(escaped);
    return parts.length ? new RegExp(parts.join("|"), "gi") : null;
  }

  function mentions(html) {
    var pattern = anyWord(true);
    return Boolean(pattern) && (html || "").replace(/<\/?mark>/g, "").search(pattern) >= 0;
  }

  /* Mark where the query occurs in the text; keep Pagefind's marks when it occurs nowhere. */
  function highlight(html) {
    html = html || "";
    if (!mentions(html)) return html;
    return html.replace(/<\/?mark>/g, "").replace(anyWord(true), "<mark>$&</mark>");
  }

  /* Tell whether the page's text holds every word of the query as written. */
  function holdsQuery(content) {
    return queryPatterns(false).every(function (part) {
      return new RegExp(part, "i").test(content || "");
    });
  }

  var EXCERPT_CHARS = 110;
  var EXCERPT_LEAD = 25;

  /* An excerpt of the page's text where the query occurs most often within EXCERPT_CHARS.
     The query is searched as pieces (行政复议 as 行政 复议, search-query.js), and Pagefind matches
     each piece as the start of a word, so its own excerpt can show 行政 and 复议机关 apart
     instead of the query. */
  function excerptAround(content) {
    var pattern = anyWord(false), starts = [], match;
    while ((match = pattern.exec(content)) !== null) {
      starts.push(match.index);
    }
    var best = 0, bestCount = 0;
    for (var first = 0, last = 0; first < starts.length; first++) {
      while (last < starts.length && starts[last] < starts[first] + EXCERPT_CHARS - EXCERPT_LEAD) last++;
      if (last - first > bestCount) { best = starts[first]; bestCount = last - first; }
    }
    var from = Math.max(0, best - EXCERPT_LEAD);
    var to = Math.min(content.length, from + EXCERPT_CHARS);
    var text = content.slice(from, to).replace(/[\s\u200b]+/g, " ").trim();
    return highlight((from > 0 ? "…" : "") + escapeHtml(text) + (to < content.length ? "…" : ""));
  }

  function processResult(result) {
    // Pagefind also returns pages that have only some characters of a query; say so.
    var partial = result.content && !holdsQuery(result.content);
    // The UI lists every meta field but the title under its key: give them Chinese names.
    var meta = result.meta || {};
    result.meta = {title: meta.title};
    if (meta.place) result.meta["地区"] = meta.place;
    if (meta.year) result.meta["年度"] = meta.year + "年";
    if (partial) result.meta["相符"] = "仅部分字词";
    result.excerpt = term && !partial && result.content && !mentions(result.excerpt)
      ? excerptAround(result.content) : highlight(result.excerpt);
    // The sections shown are those whose excerpt holds the query, when there are any (the first,
    // when it is the page itself, is the UI's and stays).
    var subs = result.sub_results || [];
    var own = subs.length && subs[0].url === result.url ? 1 : 0;
    var holding = subs.slice(own).filter(function (sub) { return mentions(sub.excerpt); });
    if (holding.length) result.sub_results = subs.slice(0, own).concat(holding);
    (result.sub_results || []).forEach(function (sub) { sub.excerpt = highlight(sub.excerpt); });
    return result;
  }

  // --- the URL ------------------------------------------------------------------------------
  // The filters chosen, name → values: from the URL at first, then from the checkboxes.
  var filters = {};
  FILTERS.forEach(function (name) {
    var values = params.getAll(name);
    if (values.length) filters[name] = values;
  });

  function readFilters() {
    filters = {};
    host.querySelectorAll("input.pagefind-ui__filter-checkbox:checked").forEach(function (box) {
      (filters[box.name] = filters[box.name] || []).push(box.value);
    });
  }

  function writeUrl() {
    var next = new URLSearchParams();
    if (term) next.set("q", term);
    FILTERS.forEach(function (name) {
      (filters[name] || []).forEach(function (value) { next.append(name, value); });
    });
    var query = next.toString();
    window.history.replaceState(null, "", singleSlashes(window.location.pathname) + (query ? "?" + query : ""));
  }

  function processTerm(value) {
    term = value.trim();
    writeUrl();
    return window.LawreportSearch.pieces(value);     // search-query.js says why
  }

  // --- the UI ---------------------------------------------------------------------------------
  var bundle = new URL("pagefind/", root);
  var ui = null;

  /* Start Pagefind's UI over its code's bundle (an index of no pages), merging the shards into it. */
  function start(shards) {
    ui = new window.PagefindUI({
      element: "#search",
      bundlePath: bundle.pathname,
      baseUrl: root.pathname,
      // search.py indexes the reports in shards (memory); each is a bundle merged into pagefind/.
      mergeIndex: shards.map(function (shard) {
        var options = {bundlePath: new URL(shard, bundle).pathname, baseUrl: root.pathname, excerptLength: 60};
        return Object.assign(options, window.LawreportSearch.mergeOptions);
      }),
      showSubResults: true,
      showImages: false,
      // Sub-word groups take part of the window; 60 words leave a readable excerpt once removed.
      excerptLength: 60,
      autofocus: !term,
      processTerm: processTerm,
      processResult: processResult,
      translations: {
        placeholder: "输入要查找的词，如：行政复议",
        zero_results: "没有找到包含“[SEARCH_TERM]”的报告。请换一个词，或按地区、年度、主题浏览。",
        filters_label: "筛选"
      }
    });
    if (Object.keys(filters).length) ui.triggerFilters(filters);
    if (term) ui.triggerSearch(term);
  }

  host.addEventListener("change", function (event) {
    if (event.target.classList.contains("pagefind-ui__filter-checkbox")) {
      readFilters();
      writeUrl();
    }
  });
  host.addEventListener("input", function (event) {
    if (event.target.classList.contains("pagefind-ui__search-input") && !event.target.value.trim()) {
      term = "";
      writeUrl();
    }
  });

  // Filter groups are named by their keys (province …); show Chinese names instead.
  new MutationObserver(function () {
    host.querySelectorAll(".pagefind-ui__filter-name, .pagefind-ui__filter-group-label")
      .forEach(function (name) {
        var label = FILTER_LABELS[name.textContent.trim().toLowerCase()];
        if (label) name.textContent = label;
      });
  }).observe(host, {childList: true, subtree: true});

  // The list of shards comes with the index (pagefind/lawreport-shards.json); without it, one.
  fetch(new URL("lawreport-shards.json", bundle))
    .then(function (response) { return response.ok ? response.json() : {merge: []}; })
    .catch(function () { return {merge: []}; })
    .then(function (list) { start(list.merge || []); });
})();
