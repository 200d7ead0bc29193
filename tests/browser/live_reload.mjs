// `tongxin serve` in Debian's chromium: a saved edit reloads the open page by itself, a broken
// file shows the error overlay over the last good page, and the next good save clears it.
// Usage: node live_reload.mjs SERVE_URL PAGE_PATH MARKDOWN_FILE
//   (edits MARKDOWN_FILE; prints one JSON report; exit 1 when a check fails)
import { chromium } from "playwright-core";
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";

const [base, path, file] = process.argv.slice(2);
const failures = [];
const report = { steps: [] };

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
});
const page = await browser.newPage();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Polls `probe` in the page (which may be reloading meanwhile) until it returns true.
async function until(what, probe, ms = 10000) {
  const start = Date.now();
  while (Date.now() - start < ms) {
    try {
      if (await page.evaluate(probe)) {
        report.steps.push(`${what}: ${Date.now() - start} ms`);
        return true;
      }
    } catch (_) {
      // Navigating: try again.
    }
    await sleep(50);
  }
  failures.push(`timed out: ${what}`);
  return false;
}

await page.goto(base + path, { waitUntil: "load" });
// Mark this document: a reload replaces it, an in-place change would not.
await page.evaluate(() => { window.tongxinTestMark = true; });
await sleep(500); // the event stream connects
const original = readFileSync(file, "utf8");

appendFileSync(file, "\n\n浏览器自动刷新测试的新段落。\n");
await until("edit shown after reload", () =>
  !window.tongxinTestMark && document.body.innerText.includes("浏览器自动刷新测试的新段落"));

writeFileSync(file, '+++\ntitle = "坏\n+++\n');
await until("error overlay shown", () => {
  const o = document.getElementById("tongxin-error");
  return !!o && o.textContent.includes("error[front-matter]");
});
const kept = await page.evaluate(() => document.body.innerText.includes("浏览器自动刷新测试的新段落"));
if (!kept) failures.push("the last good page is not shown under the overlay");

writeFileSync(file, original + "\n\n修好之后的段落。\n");
await until("fixed: overlay gone, page reloaded", () =>
  !document.getElementById("tongxin-error") && document.body.innerText.includes("修好之后的段落"));

writeFileSync(file, original);
await browser.close();
report.failures = failures;
console.log(JSON.stringify(report, null, 2));
process.exit(failures.length ? 1 : 0);
