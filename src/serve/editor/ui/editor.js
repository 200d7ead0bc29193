// tongxin editor: plain JavaScript, no libraries, nothing from another host.
// Every API call carries the run's token; the server checks host, origin and token.
"use strict";

(function () {
  const token = document.querySelector('meta[name="tongxin-token"]').content;
  const $ = (id) => document.getElementById(id);
  const state = {
    tree: null,        // { sections: [...] }
    section: null,     // section path shown in the page list
    page: null,        // the open page as the API gave it
    initial: {},       // field values when opened or last saved
    dirty: false,
    timers: {},
  };

  // ---------------------------------------------------------------- helpers

  async function api(method, name, body, query) {
    const url = "/_tongxin/api/" + name + (query ? "?" + new URLSearchParams(query) : "");
    const init = { method, headers: { "X-Tongxin-Token": token } };
    if (body instanceof Blob) {
      init.body = body;
      init.headers["Content-Type"] = "application/octet-stream";
    } else if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers["Content-Type"] = "application/json";
    }
    const res = await fetch(url, init);
    let data = {};
    try { data = await res.json(); } catch (_) { /* not JSON */ }
    if (!res.ok) {
      const err = new Error(data.error || ("请求失败：" + res.status));
      err.status = res.status;
      err.data = data;
      throw err;
    }
    return data;
  }

  function say(text, isError) {
    const s = $("status");
    s.textContent = text;
    s.classList.toggle("error", !!isError);
  }

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") e.className = v;
      else if (k === "text") e.textContent = v;
      else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children) if (c !== null && c !== undefined) e.append(c);
    return e;
  }

  function debounce(name, ms, fn) {
    clearTimeout(state.timers[name]);
    state.timers[name] = setTimeout(fn, ms);
  }

  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

  // ---------------------------------------------------------------- tree and page list

  async function loadTree() {
    state.tree = await api("GET", "tree");
    renderTree();
    renderPages();
  }

  function renderTree() {
    const ul = $("tree");
    ul.replaceChildren();
    for (const s of state.tree.sections) {
      const current = s.path === state.section;
      ul.append(el("li", {},
        el("button", {
          type: "button",
          "aria-current": current ? "true" : null,
          class: "depth-" + Math.min(s.depth, 5),
          onclick: () => { state.section = s.path; renderTree(); renderPages(); },
        }, el("span", { text: s.title }), el("span", { class: "n", text: String(s.pages.length) }))));
    }
  }

  function currentSection() {
    return state.tree && state.tree.sections.find((s) => s.path === state.section);
  }

  function renderPages() {
    const ul = $("pages");
    ul.replaceChildren();
    const s = currentSection();
    $("pages-title").textContent = s ? "页面：" + s.title : "页面";
    $("new-page").disabled = !s || s.path === "";
    $("import-docx").disabled = !s || s.path === "";
    if (!s) return;
    const q = $("filter").value.trim();
    const open = state.page && state.page.path;
    const entries = [{ path: s.index, title: "（栏目设置）", date: null }].concat(s.pages);
    for (const p of entries) {
      if (q && !p.title.includes(q) && !(p.path || "").includes(q)) continue;
      if (s.path === "" && p.path === s.index) continue;
      const flags = [];
      if (p.draft) flags.push(el("span", { class: "flag draft", text: "草稿" }));
      if (p.future) flags.push(el("span", { class: "flag future", text: "定时" }));
      if (p.expired) flags.push(el("span", { class: "flag expired", text: "已过期" }));
      ul.append(el("li", {},
        el("button", {
          type: "button",
          "aria-current": p.path === open ? "true" : null,
          onclick: () => openPath(p.path),
        },
        el("span", { class: "t", text: p.title }),
        p.date ? el("span", { class: "d", text: p.date }) : null,
        ...flags)));
    }
  }

  // ---------------------------------------------------------------- routing

  function route() {
    const hash = decodeURIComponent(location.hash.slice(1));
    const check = hash === "/check";
    $("view-edit").hidden = check;
    $("view-check").hidden = !check;
    $("nav-edit").setAttribute("aria-current", check ? "false" : "page");
    $("nav-check").setAttribute("aria-current", check ? "page" : "false");
    if (check) return;
    if (hash.startsWith("/edit/")) {
      const path = hash.slice(6);
      if (!state.page || state.page.path !== path) openPage(path);
    }
  }

  function openPath(path) {
    if (state.dirty && !confirm("当前页面有未保存的修改，确定离开吗？")) return;
    location.hash = "#/edit/" + encodeURIComponent(path).replace(/%2F/g, "/");
  }

  // ---------------------------------------------------------------- one page

  async function openPage(path) {
    try {
      const page = await api("GET", "page", undefined, { path });
      state.page = page;
      state.dirty = false;
      state.section = page.section;
      if (state.tree) { renderTree(); renderPages(); }
      showPage();
      say("");
    } catch (e) {
      say(e.message, true);
    }
  }

  function showPage() {
    const p = state.page;
    $("empty").hidden = true;
    $("editor").hidden = false;
    $("page-heading").textContent = p.fields.title || p.path;
    $("page-path").textContent = p.path;
    $("page-view").href = p.url;
    const draft = p.fields.draft === true;
    const badge = $("page-state");
    badge.textContent = p.is_index ? "栏目设置" : (draft ? "草稿" : "已发布");
    badge.className = "badge " + (draft ? "draft" : "live");
    // A draft: 保存草稿 and 发布. A published page: 保存 and 撤回为草稿. A 栏目: 保存.
    $("save").textContent = draft ? "保存草稿" : "保存";
    $("save").className = draft ? "" : "primary";
    $("publish").hidden = p.is_index;
    $("publish").textContent = draft ? "发布" : "撤回为草稿";
    $("publish").className = draft ? "primary" : "";
    $("rename").hidden = p.is_index;
    $("delete").hidden = p.is_index;
    renderFields();
    $("body").value = p.body;
    state.caret = null;
    state.initial = currentValues();
    state.diags = [];
    renderDiagnostics();
    syncBackdrop();
    refreshPreview();
    refreshCheck();
  }

  /// A field's value in the file: `taxonomies.tags` is `tags` of the `[taxonomies]` table.
  function written(key) {
    return key.split(".").reduce((o, k) => (o && typeof o === "object" ? o[k] : undefined), state.page.fields);
  }

  /// The value a field starts with: what the file has, else the kind's default.
  function initialValue(f) {
    const v = written(f.key);
    switch (f.type) {
      case "date": {
        const s = typeof v === "string" ? v : "";
        const m = s.match(/^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})/);
        if (m) return m[1] + "-" + m[2].padStart(2, "0") + "-" + m[3].padStart(2, "0");
        if (f.key === "date" && state.page.file_date) return state.page.file_date;
        return "";
      }
      case "bool": return v === undefined ? f.key === "public" : v === true;
      case "int": return typeof v === "number" ? String(v) : "";
      case "members":
      case "list": return Array.isArray(v) ? v.map(String) : [];
      default: return v === undefined || v === null ? "" : String(v);
    }
  }

  /// Fields shown under 更多信息, so that the body stays in view.
  const MORE_KEYS = new Set(["cover", "pinned", "focus", "members", "description", "expires", "photo",
    "party", "leader", "weight", "key", "excellent", "public", "co_handlers", "group", "era"]);
  const MORE = { has: (key) => MORE_KEYS.has(key) || key.startsWith("taxonomies.") };

  function renderFields() {
    const main = $("fields");
    main.replaceChildren();
    const moreGrid = el("div", { class: "field-grid" });
    const filled = state.page.schema.filter((f) => {
      const v = written(f.key);
      return MORE.has(f.key) && v !== undefined && v !== "" && !(Array.isArray(v) && !v.length);
    }).length;
    const summary = "更多信息（封面、置顶、委员、专题、摘要等）" + (filled ? "：已填 " + filled + " 项" : "");
    const more = el("details", { class: "more" }, el("summary", { text: summary }), moreGrid);
    for (const f of state.page.schema) {
      const box = MORE.has(f.key) ? moreGrid : main;
      const id = "field-" + f.key;
      const value = initialValue(f);
      const label = el("label", { for: id }, f.label, f.required ? el("span", { class: "req", text: " *" }) : null);
      let wrap;
      if (f.type === "bool") {
        wrap = el("div", { class: "field" },
          el("label", { class: "switch", for: id },
            el("input", { type: "checkbox", role: "switch", id, "data-key": f.key, checked: value }),
            f.label));
      } else if (f.type === "choice") {
        const select = el("select", { id, "data-key": f.key, required: f.required });
        select.append(el("option", { value: "", text: "（未选择）" }));
        const options = f.options || [];
        for (const o of options) select.append(el("option", { value: o, text: o }));
        if (value && !options.includes(value)) {
          select.append(el("option", { value, text: value + "（不在 config.toml 的列表中）" }));
        }
        select.value = value;
        wrap = el("div", { class: "field" }, label, select);
      } else if (f.type === "members") {
        const filter = el("input", { type: "search", id, placeholder: "筛选委员姓名", "aria-describedby": id + "-hint" });
        const list = el("ul", { "data-key": f.key, "data-type": "members" });
        const names = Array.from(new Set(state.page.members.concat(value)));
        for (const n of names) {
          list.append(el("li", { "data-name": n },
            el("label", {}, el("input", { type: "checkbox", value: n, checked: value.includes(n) }), " " + n)));
        }
        filter.addEventListener("input", () => {
          for (const li of list.children) li.hidden = !li.dataset.name.includes(filter.value.trim());
        });
        wrap = el("div", { class: "field wide" }, label,
          el("div", { class: "members" }, filter,
            el("span", { id: id + "-hint", class: "label", text: names.length ? "勾选报道涉及的委员" : "网站还没有委员页面" }), list));
      } else if (f.type === "list") {
        wrap = el("div", { class: "field" }, label,
          el("textarea", { id, "data-key": f.key, "data-type": "list", rows: 2, text: value.join("\n") }));
      } else {
        const type = f.type === "date" ? "date" : f.type === "int" ? "number" : "text";
        const input = el("input", { type, id, "data-key": f.key, required: f.required });
        input.value = value;
        const wide = f.key === "title" || f.key === "description" || f.key === "cover";
        wrap = el("div", { class: "field" + (wide ? " wide" : "") }, label, input);
      }
      box.append(wrap);
    }
    if (moreGrid.children.length) main.append(el("div", { class: "field wide" }, more));
  }

  /// Every field's current value, by key.
  function currentValues() {
    const out = {};
    for (const f of state.page.schema) {
      const node = document.querySelector('[data-key="' + f.key + '"]');
      if (!node) continue;
      if (f.type === "bool") out[f.key] = node.checked;
      else if (f.type === "members") out[f.key] = Array.from(node.querySelectorAll("input:checked")).map((i) => i.value);
      else if (f.type === "list") out[f.key] = node.value.split("\n").map((s) => s.trim()).filter(Boolean);
      else out[f.key] = node.value;
    }
    return out;
  }

  /// What changed since the page was opened, as `[key, value or null]` for the server.
  function changes() {
    const now = currentValues();
    const out = [];
    for (const f of state.page.schema) {
      const a = state.initial[f.key], b = now[f.key];
      if (same(a, b)) continue;
      let v = b;
      if (f.type === "int") v = b === "" ? null : Number(b);
      else if ((f.type === "date" || f.type === "choice") && b === "") v = null;
      else if (f.type === "bool" && b === false && written(f.key) === undefined && f.key !== "public") v = null;
      out.push([f.key, v]);
    }
    return out;
  }

  function markDirty(e) {
    if (e && e.target && e.target.id === "body") rememberCaret();
    state.dirty = true;
    debounce("preview", 300, refreshPreview);
    debounce("check", 900, refreshCheck);
    syncBackdrop();
  }

  // ---------------------------------------------------------------- save, publish, rename, delete

  /// `toggle`: publish a draft, or take a published page back as a draft; else keep its state.
  async function save(toggle, force) {
    const p = state.page;
    const list = changes();
    const isDraft = p.fields.draft === true;
    if (toggle && !p.is_index) list.push(["draft", isDraft ? null : true]);
    const body = $("body").value;
    try {
      const res = await api("POST", "save", { path: p.path, version: force || p.version, changes: list, body });
      await openPage(p.path);
      await loadTree();
      await runPageCheck();
      if (blocksTheSite(state.diags)) {
        say("已保存，但本页有错误（见右侧“检查结果”），网站暂不更新；改正并保存后才会更新", true);
        return res;
      }
      say(toggle ? (isDraft ? "已发布，网站正在更新" : "已撤回为草稿，网站上不再显示")
        : isDraft ? "已保存草稿" : "已保存，网站正在更新");
      return res;
    } catch (e) {
      if (e.status === 409) return conflict(e.data, toggle);
      say(e.message, true);
    }
  }

  function conflict(data, toggle) {
    const dlg = $("dlg-conflict");
    $("conflict-mine").value = data.mine_text;
    $("conflict-disk").value = data.disk_text;
    say(data.error, true);
    dlg.returnValue = "";
    dlg.onclose = () => {
      if (dlg.returnValue === "mine") save(toggle, data.disk_version);
      else if (dlg.returnValue === "disk") { state.dirty = false; openPage(state.page.path); }
    };
    dlg.showModal();
  }

  function openDialog(id, onOk) {
    const dlg = $(id);
    dlg.returnValue = "";
    dlg.onclose = () => { if (dlg.returnValue === "ok") onOk(); };
    dlg.showModal();
  }

  function newPage() {
    const s = currentSection();
    if (!s) return;
    $("new-section-name").textContent = s.title;
    $("new-title").value = "";
    $("new-error").textContent = "";
    const dated = ["news", "topic", "wenshi", "proposals"].includes(s.kind);
    $("new-date-row").hidden = !dated;
    $("new-date").value = state.tree.today;
    $("new-sector-row").hidden = s.kind !== "members";
    openDialog("dlg-new", async () => {
      try {
        const res = await api("POST", "new", {
          section: s.path,
          title: $("new-title").value,
          date: dated ? $("new-date").value : "",
          sector: s.kind === "members" ? $("new-sector").value : "",
        });
        await loadTree();
        openPath(res.path);
        say("已新建草稿 " + res.path);
      } catch (e) {
        say(e.message, true);
      }
    });
  }

  function rename() {
    $("rename-slug").value = state.page.slug;
    openDialog("dlg-rename", async () => {
      try {
        const res = await api("POST", "rename", { path: state.page.path, slug: $("rename-slug").value });
        state.dirty = false;
        await loadTree();
        openPath(res.path);
        say("已改名为 " + res.path);
      } catch (e) { say(e.message, true); }
    });
  }

  function remove() {
    openDialog("dlg-delete", async () => {
      try {
        const res = await api("POST", "delete", { path: state.page.path });
        state.page = null;
        state.dirty = false;
        $("editor").hidden = true;
        $("empty").hidden = false;
        location.hash = "#/";
        await loadTree();
        say("已移到回收站：" + res.trash);
      } catch (e) { say(e.message, true); }
    });
  }

  // ---------------------------------------------------------------- preview and checks

  async function refreshPreview() {
    if (!state.page) return;
    try {
      const res = await api("POST", "preview", { path: state.page.path, body: $("body").value });
      $("preview").innerHTML = res.html;
    } catch (e) {
      $("preview").textContent = e.message;
    }
  }

  /// One check at a time (on a large site it takes a while): a request made meanwhile runs
  /// once, after the one in flight.
  async function refreshCheck() {
    if (!state.page) return;
    if (state.checking) { state.checkAgain = true; return; }
    state.checking = true;
    try {
      await runPageCheck();
    } finally {
      state.checking = false;
    }
    if (state.checkAgain) { state.checkAgain = false; refreshCheck(); }
  }

  /// Whether one of `diags` stops the site from being built or published (errors in fields, a
  /// URL used twice, personal data, unsafe links, an error-level 错敏词); other errors, such as
  /// a dead link, are reported but do not.
  function blocksTheSite(diags) {
    const stops = ["front-matter", "field", "duplicate-url", "pii", "unsafe-url", "word", "config", "template"];
    return (diags || []).some((d) => d.level === "error" && stops.includes(d.code));
  }

  async function runPageCheck() {
    const path = state.page.path;
    try {
      const res = await api("POST", "check", { path, changes: changes(), body: $("body").value });
      if (!state.page || state.page.path !== path) return;
      state.bodyLine = res.body_line;
      state.diags = res.diagnostics;
      renderDiagnostics();
      syncBackdrop();
    } catch (e) {
      state.diags = [];
      $("diagnostics").replaceChildren(el("li", { class: "error" }, el("div", { text: e.message })));
    }
  }

  const LEVEL = { error: "错误", warning: "警告", allowed: "豁免" };

  /// A diagnostic's line in the body textarea (1-based), or 0 when it is in the header.
  function bodyLineOf(d) {
    return d.line >= state.bodyLine ? d.line - state.bodyLine + 1 : 0;
  }

  function renderDiagnostics() {
    const ul = $("diagnostics");
    ul.replaceChildren();
    const diags = state.diags || [];
    $("diag-count").textContent = diags.length ? "（" + diags.length + "）" : "";
    if (!diags.length) {
      ul.append(el("li", { class: "ok", text: "没有发现问题" }));
      return;
    }
    for (const d of diags) {
      const line = bodyLineOf(d);
      const where = d.line ? (line ? "正文第 " + line + " 行" : "页面信息（文件第 " + d.line + " 行）") : "整个页面";
      ul.append(el("li", { class: d.level },
        el("button", { type: "button", onclick: () => goToLine(line, d.column) },
          el("span", { class: "where", text: where }),
          el("span", { text: (LEVEL[d.level] || d.level) + "：" + d.message }),
          el("span", { class: "code", text: " [" + d.code + "]" }),
          d.hint ? el("span", { class: "hint", text: "提示：" + d.hint }) : null)));
    }
  }

  function goToLine(line, column) {
    if (!line) return;
    const ta = $("body");
    const lines = ta.value.split("\n");
    let pos = 0;
    for (let i = 0; i < line - 1 && i < lines.length; i++) pos += lines[i].length + 1;
    const col = Math.max(0, (column || 1) - 1);
    ta.focus({ preventScroll: true });
    ta.setSelectionRange(pos + col, pos + (lines[line - 1] || "").length);
    rememberCaret();
    // Bring the line into view: its twin in the backdrop knows where it is.
    const twin = $("backdrop").children[line - 1];
    const pane = document.querySelector(".col-write");
    if (!twin) return;
    const y = $("drop-zone").offsetTop + twin.offsetTop;
    if (y < pane.scrollTop + 40 || y > pane.scrollTop + pane.clientHeight - 60) pane.scrollTop = y - 120;
  }

  /// The highlight layer behind the textarea: the same text, one element per line, the lines
  /// with findings marked. The textarea grows with its text (the column scrolls), so both wrap
  /// at the same width.
  function syncBackdrop() {
    const ta = $("body");
    ta.style.height = "auto";
    ta.style.height = Math.max(360, ta.scrollHeight + 2) + "px";
    const marks = new Map();
    for (const d of state.diags || []) {
      const line = bodyLineOf(d);
      if (!line) continue;
      if (marks.get(line) !== "error") marks.set(line, d.level === "error" ? "error" : "warning");
    }
    const back = $("backdrop");
    back.replaceChildren();
    ta.value.split("\n").forEach((text, i) => {
      const level = marks.get(i + 1);
      back.append(el(level ? "mark" : "span", { class: level || null, text: text || " " }), "\n");
    });
  }

  // ---------------------------------------------------------------- toolbar

  function wrapSelection(before, after, placeholder) {
    const ta = $("body");
    const { selectionStart: s, selectionEnd: e, value } = ta;
    const inner = value.slice(s, e) || placeholder;
    ta.setRangeText(before + inner + after, s, e, "end");
    ta.setSelectionRange(s + before.length, s + before.length + inner.length);
    ta.focus();
    markDirty();
  }

  function prefixLines(prefix) {
    const ta = $("body");
    const { selectionStart: s, selectionEnd: e, value } = ta;
    const start = value.lastIndexOf("\n", s - 1) + 1;
    const block = value.slice(start, e);
    let n = 0;
    const text = block.split("\n").map((l) => (typeof prefix === "function" ? prefix(++n) : prefix) + l).join("\n");
    ta.setRangeText(text, start, e, "end");
    ta.focus();
    markDirty();
  }

  /// Where the staff member last put the caret in the body (`null`: never, so at the end).
  function rememberCaret() {
    state.caret = [$("body").selectionStart, $("body").selectionEnd];
  }

  function insertAtCaret(text) {
    const ta = $("body");
    const [s, end] = state.caret || [ta.value.length, ta.value.length];
    ta.setSelectionRange(s, end);
    const before = ta.value.slice(0, s);
    const pad = before && !before.endsWith("\n\n") ? (before.endsWith("\n") ? "\n" : "\n\n") : "";
    ta.setRangeText(pad + text + "\n", s, end, "end");
    ta.focus();
    rememberCaret();
    markDirty();
  }


  const MARKS = {
    bold: () => wrapSelection("**", "**", "加粗的文字"),
    heading: () => prefixLines("## "),
    list: () => prefixLines("- "),
    numbered: () => prefixLines((n) => n + ". "),
    quote: () => prefixLines("> "),
    link: () => wrapSelection("[", "](https://)", "链接文字"),
  };

  // ---------------------------------------------------------------- uploads

  const IMAGE = /\.(jpe?g|png|gif|webp)$/i;

  function uploadFiles(files) {
    const list = Array.from(files);
    const next = () => {
      const file = list.shift();
      if (file) uploadOne(file).then(next);
    };
    next();
  }

  function uploadOne(file) {
    if (/\.docx$/i.test(file.name) && !state.page) return importDocx(file);
    return new Promise((resolve) => {
      if (!state.page) { say("请先打开一个页面，再上传图片或附件", true); return resolve(); }
      $("upload-name").textContent = file.name;
      $("upload-caption").value = file.name.replace(/\.[^.]+$/, "");
      const dlg = $("dlg-upload");
      dlg.returnValue = "";
      dlg.onclose = async () => {
        if (dlg.returnValue !== "ok") return resolve();
        const to = document.querySelector('input[name="upload-to"]:checked').value;
        try {
          say("正在上传 " + file.name + " …");
          const res = await api("POST", "upload", file, {
            kind: IMAGE.test(file.name) ? "image" : "attachment",
            name: file.name,
            page: state.page.path,
            to,
            caption: $("upload-caption").value,
          });
          insertAtCaret(res.markdown);
          say("已上传：" + res.path);
        } catch (e) { say(e.message, true); }
        resolve();
      };
      dlg.showModal();
    });
  }

  async function importDocx(file) {
    const s = currentSection();
    if (!s || s.path === "") { say("请先在左边选择要导入到的栏目", true); return; }
    try {
      say("正在导入 " + file.name + " …");
      const res = await api("POST", "upload", file, { kind: "docx", name: file.name, section: s.path });
      await loadTree();
      openPath(res.path);
      say("已导入为草稿：" + res.path);
    } catch (e) { say(e.message, true); }
  }

  function dropTarget(node, onFiles) {
    node.addEventListener("dragover", (e) => { e.preventDefault(); node.classList.add("drag"); });
    node.addEventListener("dragleave", () => node.classList.remove("drag"));
    node.addEventListener("drop", (e) => {
      e.preventDefault();
      node.classList.remove("drag");
      if (e.dataTransfer && e.dataTransfer.files.length) onFiles(e.dataTransfer.files);
    });
  }

  // ---------------------------------------------------------------- site-wide check

  async function runCheck() {
    const box = $("check-summary");
    box.replaceChildren(el("p", { text: "正在检查整个网站…" }));
    try {
      const res = await api("GET", "inspect");
      box.replaceChildren(
        el("p", { text: "共 " + res.errors + " 个错误，" + res.warnings + " 个警告，" + res.allowed + " 处豁免" }),
        res.view ? el("pre", { text: res.view }) : null);
      const ul = $("check-list");
      ul.replaceChildren();
      for (const d of res.diagnostics) {
        const where = d.file + (d.line ? ":" + d.line : "");
        const text = [el("span", { class: "where", text: where }),
          el("span", { text: (LEVEL[d.level] || d.level) + "：" + d.message }),
          el("span", { class: "code", text: " [" + d.code + "]" }),
          d.hint ? el("span", { class: "hint", text: "提示：" + d.hint }) : null];
        const page = /^content\/.*\.(md|markdown)$/i.test(d.file);
        ul.append(el("li", { class: d.level },
          page ? el("button", { type: "button", onclick: () => { location.hash = "#/"; openPath(d.file); } }, ...text)
            : el("div", {}, ...text)));
      }
    } catch (e) {
      box.replaceChildren(el("p", { class: "error", text: e.message }));
    }
  }

  async function writeReport() {
    try {
      const res = await api("POST", "report", {});
      $("report-link").hidden = false;
      say("检查报告已写入站点目录：" + res.file);
    } catch (e) { say(e.message, true); }
  }

  // ---------------------------------------------------------------- wiring

  document.addEventListener("DOMContentLoaded", async () => {
    $("filter").addEventListener("input", renderPages);
    $("new-page").addEventListener("click", newPage);
    $("import-docx").addEventListener("click", () => $("docx-file").click());
    $("docx-file").addEventListener("change", (e) => { if (e.target.files[0]) importDocx(e.target.files[0]); e.target.value = ""; });
    $("save").addEventListener("click", () => save(false));
    $("publish").addEventListener("click", () => save(true));
    $("rename").addEventListener("click", rename);
    $("delete").addEventListener("click", remove);
    $("fields").addEventListener("input", markDirty);
    $("fields").addEventListener("change", markDirty);
    $("body").addEventListener("input", markDirty);
    for (const ev of ["keyup", "mouseup", "select"]) $("body").addEventListener(ev, rememberCaret);
    $("body").addEventListener("keydown", (e) => {
      if ((e.ctrlKey || e.metaKey) && e.key === "b") { e.preventDefault(); MARKS.bold(); }
      if ((e.ctrlKey || e.metaKey) && e.key === "s") { e.preventDefault(); save(false); }
    });
    for (const b of document.querySelectorAll("[data-mark]")) {
      b.addEventListener("click", () => MARKS[b.dataset.mark]());
    }
    $("upload-button").addEventListener("click", () => $("upload-file").click());
    $("upload-file").addEventListener("change", (e) => { uploadFiles(e.target.files); e.target.value = ""; });
    dropTarget($("drop-zone"), uploadFiles);
    dropTarget($("empty"), (files) => { for (const f of files) if (/\.docx$/i.test(f.name)) importDocx(f); });
    $("run-check").addEventListener("click", runCheck);
    $("write-report").addEventListener("click", writeReport);
    window.addEventListener("hashchange", route);
    window.addEventListener("beforeunload", (e) => { if (state.dirty) e.preventDefault(); });
    try {
      await loadTree();
      // A new member page needs its 界别 (as `tongxin new --sector`).
      $("new-sector").replaceChildren(...state.tree.sectors.map((s) => el("option", { value: s, text: s })));
    } catch (e) {
      say(e.message, true);
    }
    route();
  });
})();
