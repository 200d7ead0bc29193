// Screenshots of pages in 长者模式 (the reader's choice is kept in localStorage, which the
// chromium command line cannot set). Usage: node scripts/elder_shots.mjs BASE_URL OUT_DIR PATH...
// Uses playwright-core from tests/browser/node_modules and Debian's /usr/bin/chromium.
import { createRequire } from "node:module";
const require = createRequire(new URL("../tests/browser/package.json", import.meta.url));
const { chromium } = require("playwright-core");
const [base, out, ...paths] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
});
for (const width of [375, 1280]) {
  const context = await browser.newContext({ viewport: { width, height: width === 375 ? 1400 : 1100 } });
  await context.addInitScript(() => localStorage.setItem("tongxin-elder", "on"));
  const page = await context.newPage();
  for (const [i, path] of paths.entries()) {
    await page.goto(base + path, { waitUntil: "networkidle" });
    await page.screenshot({ path: `${out}/elder-${i === 0 ? "" : i + "-"}${width}.png` });
  }
  await context.close();
}
await browser.close();
