// tongxin search: reads the sharded index under /search/index/ (see src/search/mod.rs).
// Queries are cut and matched exactly as src/search/tokenize.rs and src/search/reader.rs do;
// change them together. A page matches only if it holds every phrase of the query as written.
(function () {
  "use strict";
  var script = document.currentScript;
  var base = script.getAttribute("data-index");
  var PAGE = 10;
  var statusEl = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var input = document.getElementById("search-q");
  var cjk = /[\u4E00-\u9FFF\u3400-\u4DBF\uF900-\uFAFF\u3040-\u30FF\uAC00-\uD7AF]|[\uD840-\uD8BF][\uDC00-\uDFFF]/;
  var word = /[\p{Alphabetic}\p{N}]/u;

  function normalize(c) {
    var code = c.codePointAt(0);
    if (code >= 0xFF01 && code <= 0xFF5E) c = String.fromCodePoint(code - 0xFEE0);
    // The first character of the lower case, as the index's tokenizer takes it: İ → i, not i̇.
    var lower = c.toLowerCase();
    return lower ? String.fromCodePoint(lower.codePointAt(0)) : c;
  }
  // A query's phrases: units (a Han character, a run of letters or digits) written together,
  // split where anything else stands.
  function phrases(text) {
    var out = [], phrase = null, wordBuf = "";
    function unit(u) { if (!phrase) { phrase = []; out.push(phrase); } phrase.push(u); }
    for (var ch of text) {
      var c = normalize(ch);
      var k = cjk.test(c) ? "c" : word.test(c) ? "w" : "o";
      if (k !== "w" && wordBuf) { unit(wordBuf); wordBuf = ""; }
      if (k === "c") unit(c);
      else if (k === "w") wordBuf += c;
      else phrase = null;
    }
    if (wordBuf) unit(wordBuf);
    return out;
  }
  // The terms looked up for a phrase, with their offsets: its unit, pair or triple; from four
  // units on, triples every three units and the last one, whose positions must line up.
  function phraseTerms(p) {
    var n = p.length;
    if (n <= 3) return [[p.join(""), 0]];
    var starts = [];
    for (var i = 0; i <= n - 3; i += 3) starts.push(i);
    if (starts[starts.length - 1] !== n - 3) starts.push(n - 3);
    return starts.map(function (i) { return [p.slice(i, i + 3).join(""), i]; });
  }
  // Positions as src/search/positions.rs writes them: page gap, count, position gaps, in
  // base-32 varints whose digits A–f end a number and g–_ carry on.
  var DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  function decodePositions(s) {
    var i = 0, pages = new Map(), id = -1;
    function next() {
      var n = 0, shift = 0;
      for (;;) {
        var d = DIGITS.indexOf(s.charAt(i++));
        if (d < 0) throw new Error("positions");
        n += (d & 31) * Math.pow(2, shift);
        if (d < 32) return n;
        shift += 5;
      }
    }
    while (i < s.length) {
      id = id + next() + 1;
      var count = next() + 1, at = -1, list = new Set();
      for (var k = 0; k < count; k++) { at = at + next() + 1; list.add(at); }
      pages.set(id, list);
    }
    return pages;
  }
  // Index version 3: each shard is a range of hashes; version 2 took the hash mod the count.
  function shardOf(term, meta) {
    var h = fnv(term);
    return meta.version >= 3 ? Math.floor(h * meta.shards / 4294967296) : h % meta.shards;
  }
  function undelta(list) {
    var acc = 0;
    return list.map(function (d) { acc += d; return acc; });
  }
  var fetched = new Map();
  function getJSON(path) {
    if (!fetched.has(path)) {
      fetched.set(path, fetch(base + path).then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.json();
      }));
    }
    return fetched.get(path);
  }
  function fnv(term) {
    var h = 0x811c9dc5;
    new TextEncoder().encode(term).forEach(function (b) {
      h ^= b;
      h = Math.imul(h, 0x01000193) >>> 0;
    });
    return h;
  }
  function escapeHtml(s) {
    return s.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  // Highlights every occurrence of the query's words (its runs) in the text.
  function highlight(text, words) {
    var lower = Array.from(text).map(normalize).join("");
    var marks = new Array(lower.length).fill(false);
    words.forEach(function (w) {
      var at = lower.indexOf(w);
      while (at >= 0 && w.length) {
        for (var i = at; i < at + w.length; i++) marks[i] = true;
        at = lower.indexOf(w, at + w.length);
      }
    });
    var out = "", open = false;
    for (var i = 0; i < text.length; i++) {
      if (marks[i] && !open) { out += "<mark>"; open = true; }
      if (!marks[i] && open) { out += "</mark>"; open = false; }
      out += escapeHtml(text[i]);
    }
    return out + (open ? "</mark>" : "");
  }
  // About 120 characters around the first hit.
  function snippet(text, words) {
    var lower = text.toLowerCase(), first = -1;
    words.forEach(function (w) {
      var at = lower.indexOf(w);
      if (at >= 0 && (first < 0 || at < first)) first = at;
    });
    var start = Math.max(0, first - 40);
    var cut = text.slice(start, start + 120).replace(/\s+/g, " ");
    return (start > 0 ? "…" : "") + cut + (start + 120 < text.length ? "…" : "");
  }

  // 2019-02-25 → 2019年2月25日, as every date on the site is shown.
  function dateZh(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
    return m ? m[1] + "年" + Number(m[2]) + "月" + Number(m[3]) + "日" : iso;
  }

  var state = null;

  function showMore() {
    var slice = state.hits.slice(state.shown, state.shown + PAGE);
    state.shown += slice.length;
    var chunks = Array.from(new Set(slice.map(function (id) { return Math.floor(id / state.chunk); })));
    return Promise.all(chunks.map(function (c) {
      return getJSON("p/" + c + ".json").then(function (rows) { return [c, rows]; });
    })).then(function (loaded) {
      var rows = {};
      loaded.forEach(function (l) { rows[l[0]] = l[1]; });
      slice.forEach(function (id) {
        var r = rows[Math.floor(id / state.chunk)][id % state.chunk];
        var li = document.createElement("li");
        li.innerHTML = '<a href="' + escapeHtml(r[1]) + '">' + highlight(r[0], state.words) + "</a>" +
          (r[2] ? ' <time datetime="' + escapeHtml(r[2]) + '">' + escapeHtml(dateZh(r[2])) + "</time>" : "") +
          (r[3] ? ' <span class="section">' + escapeHtml(r[3]) + "</span>" : "") +
          '<p class="snippet">' + highlight(snippet(r[4], state.words), state.words) + "</p>";
        list.appendChild(li);
      });
      more.hidden = state.shown >= state.hits.length;
    });
  }

  // The pages holding one phrase ({all, title}), or null when a term is in no page.
  function phrasePages(p, meta) {
    var terms = phraseTerms(p);
    return Promise.all(terms.map(function (t) {
      return getJSON("s/" + shardOf(t[0], meta) + ".json").then(function (shard) { return shard[t[0]] || null; });
    })).then(function (lists) {
      if (!lists.every(Boolean)) return null;
      var title = null, all = null;
      lists.forEach(function (l) {
        var t = new Set(undelta(l[0])), both = new Set(undelta(l[0]).concat(undelta(l[1])));
        all = all ? new Set(Array.from(all).filter(function (id) { return both.has(id); })) : both;
        title = title ? new Set(Array.from(title).filter(function (id) { return t.has(id); })) : t;
      });
      var own = {};
      terms.forEach(function (t, i) { own[t[0]] = lists[i].length > 2; });
      if (p.length < 4 || !all.size) return { all: all, title: title };
      return Promise.all(terms.map(function (t) {
        var file = own[t[0]] ? getJSON("q/t/" + fnv(t[0]).toString(16) + ".json")
          : getJSON("q/" + shardOf(t[0], meta) + ".json").then(function (q) { return q[t[0]]; });
        return file.then(function (s) { return [decodePositions(s), t[1]]; });
      })).then(function (at) {
        var holds = Array.from(all).filter(function (id) {
          var starts = at[0][0].get(id);
          return starts && Array.from(starts).some(function (p0) {
            var start = p0 - at[0][1];
            return at.every(function (a) { var ps = a[0].get(id); return ps && ps.has(start + a[1]); });
          });
        });
        return { all: new Set(holds), title: title };
      });
    });
  }

  function run(q) {
    list.innerHTML = "";
    more.hidden = true;
    var ps = phrases(q);
    if (!ps.length) { statusEl.textContent = q.trim() ? "请输入中文、字母或数字作为关键词。" : ""; return; }
    statusEl.textContent = "正在搜索……";
    var words = ps.map(function (p) { return p.join(""); });
    getJSON("meta.json").then(function (meta) {
      return Promise.all(ps.map(function (p) { return phrasePages(p, meta); })).then(function (sets) {
        var hits = [];
        if (sets.every(Boolean)) {
          hits = Array.from(sets[0].all).filter(function (id) {
            return sets.every(function (s) { return s.all.has(id); });
          });
          var inTitle = function (id) { return sets.every(function (s) { return s.title.has(id); }); };
          hits.sort(function (a, b) { return (inTitle(b) - inTitle(a)) || (a - b); });
        }
        state = { hits: hits, shown: 0, words: words, chunk: meta.chunk };
        statusEl.textContent = hits.length ? "找到 " + hits.length + " 条结果" : "没有找到包含“" + q + "”的内容。";
        if (hits.length) return showMore();
      });
    }).catch(function () { statusEl.textContent = "搜索索引加载失败，请稍后重试。"; });
  }

  more.addEventListener("click", function () { showMore(); });
  var q = new URLSearchParams(location.search).get("q") || "";
  input.value = q;
  if (q) run(q);
})();
