/* How this site asks Pagefind: the query cut into the pieces its index is made for, and the
   option that makes Pagefind search them as they are. Used by search.js, and by the benchmarks
   and tests that query the index through Pagefind's JS API as the search page does.

   The index (lawreport_site/search/subwords.py) guarantees that, in a page's Han text, every two
   characters start a word or a sub-word term of that page. So a query's Han run is cut here into
   two-character pieces covering it (放管服 → 放管 管服; one character stays one piece), and Pagefind,
   which finds each piece as the start of a word and a page only if it has them all, finds every
   report holding the query. Left to itself, Pagefind cuts a Chinese query with the browser's word
   dictionary (ICU), into pieces of one character where the dictionary lacks the word (放 管 服):
   each the start of thousands of words, slow to search, and matching pages that only hold the
   characters apart. It cuts only for a language that needs it (zh, ja, th), so the shards are
   merged with the language "und" (undetermined): their index, the only one there is, is still
   the one loaded, and the pieces reach it uncut. Other text is cut into its runs of letters and
   digits, as the index has them; spaces, punctuation and quotes (Pagefind's exact-phrase
   syntax, which the sub-word terms cannot serve) separate pieces. A query is first normalized as
   the index holds text: traditional characters read as simplified ones, as the reports are
   stored, and full-width letters and digits as ASCII, as the index's copy of a page has them. */
var LawreportSearch = (function () {
  "use strict";

  // The Han blocks of subwords.HAN: where the two-character guarantee holds.
  var HAN = "\\u3400-\\u4DBF\\u4E00-\\u9FFF\\uF900-\\uFAFF";
  var RUN = new RegExp("[" + HAN + "]+|[^" + HAN + "]+", "g");
  var IS_HAN = new RegExp("^[" + HAN + "]");
  var WORD = /[\p{L}\p{N}\p{M}]+/gu;
  var FULL_WIDTH = /[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]/g;   // letters and digits, as search.half_width

  /* Two-character pieces covering a Han run, in order; the last overlaps when the run is odd. */
  function hanPieces(run) {
    if (run.length < 3) return [run];
    var pieces = [];
    for (var at = 0; at + 1 < run.length; at += 2) pieces.push(run.slice(at, at + 2));
    if (run.length % 2) pieces.push(run.slice(-2));
    return pieces;
  }

  /* How t2s reads traditional text, from search-t2s.js (lawreport_site/search/t2s_table.py), made into maps at the
     first query; without that file a query is searched as typed. */
  var t2s = null;
  function tables() {
    if (t2s) return t2s;
    var given = typeof LawreportT2S === "object" && LawreportT2S ? LawreportT2S : {};
    var pairs = given.characters || "", phrases = given.phrases || {};
    t2s = {characters: new Map(), phrases: new Map(), longest: 0};
    for (var at = 0; at + 1 < pairs.length; at += 2) t2s.characters.set(pairs[at], pairs[at + 1]);
    Object.keys(phrases).forEach(function (phrase) {
      t2s.phrases.set(phrase, phrases[phrase]);
      t2s.longest = Math.max(t2s.longest, phrase.length);
    });
    return t2s;
  }

  /* The query in simplified characters, as the reports are stored (行政復議 → 行政复议): at each
     place, by its longest phrase there (瞭解 → 了解), else by its character, as t2s reads. */
  function simplified(query) {
    var text = String(query), read = tables(), out = "", at = 0;
    while (at < text.length) {
      var length = Math.min(read.longest, text.length - at);
      while (length > 1 && !read.phrases.has(text.substr(at, length))) length--;
      if (length > 1) {
        out += read.phrases.get(text.substr(at, length));
      } else {
        out += read.characters.get(text[at]) || text[at];
        length = 1;
      }
      at += length;
    }
    return out;
  }

  /* The query as the index holds text: in simplified characters, its full-width letters and
     digits in ASCII (２０１９ → 2019), as search.half_width makes the index's copy of a page. */
  function normalized(query) {
    return simplified(String(query).replace(FULL_WIDTH, function (ch) {
      return String.fromCharCode(ch.charCodeAt(0) - 0xFEE0);
    }));
  }

  /* The query as Pagefind should search it: its pieces, normalized, separated by spaces, each
     once. */
  function pieces(query) {
    var found = [];
    (normalized(query).match(RUN) || []).forEach(function (run) {
      var parts = IS_HAN.test(run) ? hanPieces(run) : run.match(WORD) || [];
      parts.forEach(function (part) {
        if (found.indexOf(part) < 0) found.push(part);
      });
    });
    return found.join(" ");
  }

  return {pieces: pieces, normalized: normalized, mergeOptions: {language: "und"}};
})();
