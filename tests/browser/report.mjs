// The check report in Debian's chromium driven by playwright-core: it renders, prints to an A4
// PDF, and asks for nothing but its own file.
// Usage: node report.mjs FILE_URL PDF_PATH   (prints one JSON report)
import { chromium } from "playwright-core";

const [url, pdfPath] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
});
const page = await browser.newPage();
const requests = [];
page.on("request", (req) => requests.push(req.url()));
await page.goto(url, { waitUntil: "networkidle" });
const report = {
  outside: requests.filter((r) => r !== page.url()),
  title: await page.title(),
  headings: await page.$$eval("h2", (hs) => hs.map((h) => h.textContent)),
  width: await page.evaluate(() => document.documentElement.scrollWidth),
};
await page.pdf({ path: pdfPath, format: "A4", printBackground: true });
await browser.close();
console.log(JSON.stringify(report, null, 2));
