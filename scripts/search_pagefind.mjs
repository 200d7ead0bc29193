// Bytes a reader downloads for a Pagefind search, measured in headless Chromium.
//
//   node scripts/search_pagefind.mjs BASE_URL OUT.json QUERY...
//
// BASE_URL: an http server over a site that Pagefind indexed and that holds
// pf-bench.html (any small HTML page on the same origin; it loads nothing).
// Needs playwright-core (npm install playwright-core into PW_DIR, default the
// current directory) and Debian's /usr/bin/chromium (no browser
// download). Per query, in a fresh browser context (empty cache):
//   import /pagefind/pagefind.js, init(), search(q), load data() of the first
//   10 results (what a result page shows) -> bytes of every /pagefind/ response
// then, outside the measurement, data() of every result for the URL list.
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

// playwright-core is looked up from PW_DIR (default: the current directory), e.g. /tmp/pw
// after `npm install playwright-core` there: ESM imports ignore NODE_PATH.
const { chromium } = createRequire(join(process.env.PW_DIR || process.cwd(), "x.js"))("playwright-core");

const [base, out, ...queries] = process.argv.slice(2);
if (!base || !out || !queries.length) {
  console.error("usage: node search_pagefind.mjs BASE_URL OUT.json QUERY...");
  process.exit(2);
}
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run",
  ],
  // --headless comes from headless: true; Playwright refuses --user-data-dir in args and
  // gives every launch a fresh temporary profile of its own, which is what mktemp -d gave.
});
const report = [];
for (const q of queries) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const log = [];
  let phase = "load";
  const pending = [];
  context.on("requestfinished", (req) => {
    const url = req.url();
    // Only the measured search; the fragments loaded later for the URL list are not counted.
    if (!url.includes("/pagefind/") || phase !== "search") return;
    pending.push(
      req.sizes().then(async (s) => {
        const resp = await req.response();
        let body = s.responseBodySize;
        try { body = (await resp.body()).length; } catch (e) { /* keep encoded size */ }
        log.push({ phase: "search", url: url.replace(base, ""), status: resp ? resp.status() : 0,
                   encoded: s.responseBodySize, body });
      }).catch(() => {}),
    );
  });
  await page.goto(base + "/pf-bench.html");
  phase = "search";
  const first = await page.evaluate(async (q) => {
    const pf = await import("/pagefind/pagefind.js");
    await pf.init();
    const t0 = performance.now();
    const s = await pf.search(q);
    const data = await Promise.all(s.results.slice(0, 10).map((r) => r.data()));
    return { count: s.results.length, unfiltered: s.unfilteredResultCount,
             ms: performance.now() - t0, top: data.map((d) => d.url) };
  }, q);
  await page.waitForTimeout(200);
  await Promise.all(pending);
  const measured = log.filter((l) => l.phase === "search");
  phase = "all";
  const urls = await page.evaluate(async (q) => {
    const pf = await import("/pagefind/pagefind.js");
    const s = await pf.search(q);
    const all = [];
    for (let i = 0; i < s.results.length; i += 200) {
      const d = await Promise.all(s.results.slice(i, i + 200).map((r) => r.data()));
      all.push(...d.map((x) => x.url));
    }
    return all;
  }, q);
  // http.server sends no Content-Encoding, so the body length is what travelled (the worker
  // script's request reports no encoded size at all).
  const sum = (f) => measured.filter(f).reduce((a, l) => a + Math.max(l.encoded, l.body), 0);
  const entry = {
    query: q, results: first.count, unfiltered: first.unfiltered, ms: first.ms,
    requests: measured.length,
    bytes: sum(() => true),
    bytes_runtime: sum((l) => /pagefind(-worker)?\.js$|wasm\.|pagefind-entry\.json/.test(l.url)),
    bytes_meta: sum((l) => /\.pf_meta$/.test(l.url)),
    bytes_index: sum((l) => /\.pf_index$/.test(l.url)),
    bytes_fragments: sum((l) => /\.pf_fragment$/.test(l.url)),
    files: measured, top10: first.top, urls,
  };
  report.push(entry);
  console.log(`${q}\tresults=${entry.results}\trequests=${entry.requests}\tbytes=${entry.bytes}` +
              `\truntime=${entry.bytes_runtime}\tmeta=${entry.bytes_meta}\tindex=${entry.bytes_index}` +
              `\tfragments=${entry.bytes_fragments}`);
  await context.close();
}
await browser.close();
writeFileSync(out, JSON.stringify(report, null, 1));
