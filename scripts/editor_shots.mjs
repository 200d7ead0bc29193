// Screenshots of the editor at /_tongxin/ of a running `tongxin serve` (on a copy of the sample
// site: nothing is saved, but typing is). Usage: node scripts/editor_shots.mjs SERVE_URL OUT_DIR
// Uses playwright-core from tests/browser/node_modules and Debian's /usr/bin/chromium.
import { createRequire } from "node:module";
const require = createRequire(new URL("../tests/browser/package.json", import.meta.url));
const { chromium } = require("playwright-core");
const [base, out] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--lang=zh-CN", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
});
const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "zh-CN" });
const page = await context.newPage();
const article = "content/news/yaowen/2026-10-28-jiu-jie-er-shi-ci-chang-wei-hui-yi.md";
await page.goto(`${base}/_tongxin/#/edit/${article}`, { waitUntil: "networkidle" });
await page.waitForFunction(() => document.querySelector("#preview p"));
// A slip staff make: the link typed with full-width brackets, shown at its line.
const body = await page.inputValue("#body");
const lines = body.split("\n");
lines.splice(3, 0, "会议通报了[委员履职情况]（/members/）。", "");
await page.fill("#body", lines.join("\n"));
await page.waitForFunction(() => document.querySelector("#diagnostics li.warning, #diagnostics li.error"));
// Clicking the finding selects its line in the body.
await page.locator("#diagnostics li button").first().click();
await page.waitForTimeout(500);
await page.screenshot({ path: `${out}/editor-1280.png` });
await page.goto(`${base}/_tongxin/#/check`);
await page.getByRole("button", { name: "运行检查" }).click();
await page.waitForFunction(() => document.getElementById("check-summary").textContent.includes("检查结论"));
await page.screenshot({ path: `${out}/editor-check-1280.png` });
await browser.close();
