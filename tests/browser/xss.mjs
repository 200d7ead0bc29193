// Script injection in a real browser: every page of the hostile site is opened, every link in
// its content clicked, and the search page run with hostile queries and hostile titles in the
// index. Any dialog (the payloads call alert) or any page error from a payload is a failure.
// Usage: node xss.mjs BASE_URL PATH...   (prints one JSON report; exit 1 when a check fails)
import { chromium } from "playwright-core";

const [base, ...paths] = process.argv.slice(2);
const queries = [
  "<img src=x onerror=alert(1)>",
  "\"><svg onload=alert(1)>",
  "</script><script>alert(1)</script>",
  "javascript:alert(1)",
  "正文",
  "字段",
  "script",
  "img",
  "alert",
];
const report = { pages: 0, clicks: 0, searches: 0, dialogs: [], failures: [] };

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
});
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
context.on("dialog", () => {});

// Pages open with "load"; search pages wait until their index fetches are done.
async function visit(url, idle) {
  const page = await context.newPage();
  page.on("dialog", async (d) => {
    report.dialogs.push({ url, message: d.message() });
    await d.dismiss();
  });
  await page.goto(url, { waitUntil: idle ? "networkidle" : "load" });
  report.pages++;
  // Click what an author wrote (javascript: links run on click), not the theme's navigation.
  const count = await page.locator(".content a, .content img").count();
  for (let i = 0; i < count; i++) {
    try {
      await page.locator(".content a, .content img").nth(i).click({ timeout: 300, noWaitAfter: true });
      report.clicks++;
      if (page.url() !== url) await page.goto(url, { waitUntil: "load" });
    } catch (e) {
      // Hidden or gone after a navigation: nothing ran from it.
    }
  }
  const pwned = await page.evaluate(() => window.__pwned === true).catch(() => false);
  if (pwned) report.failures.push(`script ran on ${url}`);
  await page.close();
}

for (const path of paths) await visit(base + path, false);
for (const q of queries) {
  await visit(`${base}/search/?q=${encodeURIComponent(q)}`, true);
  report.searches++;
}
if (report.dialogs.length) report.failures.push(`${report.dialogs.length} dialogs opened`);
if (report.pages < paths.length) report.failures.push("not every page was opened");
await browser.close();
console.log(JSON.stringify(report, null, 2));
process.exit(report.failures.length ? 1 : 0);
