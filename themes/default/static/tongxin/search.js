// tongxin search: reads the sharded index under /search/index/ (see src/search/mod.rs).
// Terms are cut exactly as src/search/tokenize.rs `query_terms` does; change both together.
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
    return c.toLowerCase().charAt(0) ? c.toLowerCase() : c;
  }
  function runs(text) {
    var out = [], cur = null;
    for (var ch of text) {
      var c = normalize(ch);
      var k = cjk.test(c) ? "c" : word.test(c) ? "w" : "o";
      if (k === "o") { cur = null; continue; }
      if (cur && cur.k === k) cur.chars.push(c); else { cur = { k: k, chars: [c] }; out.push(cur); }
    }
    return out;
  }
  function queryTerms(q) {
    var terms = [];
    runs(q).forEach(function (r) {
      if (r.k === "w" || r.chars.length === 1) terms.push(r.chars.join(""));
      else for (var i = 0; i + 1 < r.chars.length; i++) terms.push(r.chars[i] + r.chars[i + 1]);
    });
    return Array.from(new Set(terms)).sort();
  }
  function shardOf(term, shards) {
    var h = 0x811c9dc5;
    new TextEncoder().encode(term).forEach(function (b) {
      h ^= b;
      h = Math.imul(h, 0x01000193) >>> 0;
    });
    return h % shards;
  }
  function undelta(list) {
    var acc = 0;
    return list.map(function (d) { acc += d; return acc; });
  }
  function getJSON(path) {
    return fetch(base + path).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.json();
    });
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

  function run(q) {
    list.innerHTML = "";
    more.hidden = true;
    var terms = queryTerms(q);
    if (!terms.length) { statusEl.textContent = q.trim() ? "请输入中文、字母或数字作为关键词。" : ""; return; }
    statusEl.textContent = "正在搜索……";
    var words = runs(q).map(function (r) { return r.chars.join(""); });
    getJSON("meta.json").then(function (meta) {
      return Promise.all(terms.map(function (t) {
        return getJSON("s/" + shardOf(t, meta.shards) + ".json").then(function (shard) {
          var lists = shard[t];
          return lists ? { title: undelta(lists[0]), other: undelta(lists[1]) } : null;
        });
      })).then(function (sets) {
        var hits = [];
        if (sets.every(Boolean)) {
          var all = sets.map(function (s) { return new Set(s.title.concat(s.other)); });
          hits = Array.from(all[0]).filter(function (id) {
            return all.every(function (set) { return set.has(id); });
          });
          var inTitle = function (id) { return sets.every(function (s) { return s.title.indexOf(id) >= 0; }); };
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
