// Theme checks on the built sample site, in Debian's chromium driven by playwright-core.
// Usage: node theme.mjs BASE_URL   (prints one JSON report; exit 1 when a check fails)
import { chromium } from "playwright-core";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const axePath = require.resolve("axe-core/axe.min.js");
const base = process.argv[2];
const pages = {
  home: "/",
  section: "/news/yaowen/",
  article: "/news/yaowen/jiu-jie-er-shi-ci-chang-wei-hui-yi/",
  figure: "/wenshi/qingshan-jiuying/gu-du-kou/",
  members: "/members/",
  profile: "/members/zhou-ya-qin/",
  series: "/wenshi/qingshan-jiuying/",
  proposals: "/proposals/",
  proposal: "/proposals/yi-wu-jiao-yu-ke-hou-fu-wu/",
  proposalCategory: "/proposals/categories/she-hui-shi-ye/",
  proposalStatus: "/proposals/status/yi-ban-jie/",
  search: "/search/?q=%E5%8D%8F%E5%95%86",
  topic: "/zhuanti/jiu-jie-si-ci-hui-yi/",
  pictures: "/news/tupian/",
  summaries: "/news/xieshang/",
  leaders: "/about/leaders/",
  attachment: "/news/dongtai/wei-yuan-du-shu-jiao-liu-hui/",
  siteMap: "/sitemap/",
  privacy: "/about/yin-si-sheng-ming/",
};
const failures = [];
const report = { axe: {}, overflow375: {}, outside: [], font: {}, elder: {} };

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
});
const origin = new URL(base).host;

async function open(context, path) {
  const page = await context.newPage();
  page.on("request", (req) => {
    const host = new URL(req.url()).host;
    if (host && host !== origin) report.outside.push(req.url());
  });
  await page.goto(base + path, { waitUntil: "networkidle" });
  return page;
}

// axe-core: no serious or critical violations, at desktop width.
for (const [name, path] of Object.entries(pages)) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await open(context, path);
  await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  report.axe[name] = bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.length} × ${v.nodes[0].target.join(" ")}`);
  if (bad.length) failures.push(`axe ${name}: ${report.axe[name].join("; ")}`);
  await context.close();
}

// No horizontal scroll at 375 px.
for (const [name, path] of Object.entries(pages)) {
  const context = await browser.newContext({ viewport: { width: 375, height: 800 } });
  const page = await open(context, path);
  const o = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  report.overflow375[name] = o;
  if (o.scroll > o.client) failures.push(`horizontal scroll at 375px on ${name}: ${o.scroll} > ${o.client}`);
  await context.close();
}

// 字号: 大 makes article text larger, and the choice survives a reload.
{
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await open(context, pages.article);
  const size = () => page.evaluate(() => parseFloat(getComputedStyle(document.querySelector(".article .content p")).fontSize));
  report.font.before = await size();
  await page.getByRole("button", { name: "大", exact: true }).click();
  report.font.large = await size();
  await page.reload({ waitUntil: "networkidle" });
  report.font.afterReload = await size();
  await page.getByRole("button", { name: "小", exact: true }).click();
  report.font.small = await size();
  if (!(report.font.large > report.font.before)) failures.push(`字号 大 did not enlarge text: ${JSON.stringify(report.font)}`);
  if (report.font.afterReload !== report.font.large) failures.push(`字号 not kept after reload: ${JSON.stringify(report.font)}`);
  if (!(report.font.small < report.font.before)) failures.push(`字号 小 did not shrink text: ${JSON.stringify(report.font)}`);
  await page.getByRole("button", { name: "高对比度" }).click();
  report.contrast = await page.evaluate(() => document.documentElement.getAttribute("data-contrast"));
  if (report.contrast !== "high") failures.push("高对比度 did not switch on");
  await context.close();
}

// 焦点图: keyboard operation, pause, hover, reduced motion, and the page without JavaScript.
// The page's clock is Playwright's, so waiting for the 6 s turn takes no real time.
{
  const slideShown = (page) =>
    page.evaluate(() => [...document.querySelectorAll("#focus .slide")].findIndex((s) => !s.hidden && s.getBoundingClientRect().height > 0));
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.clock.install();
  await page.goto(base + "/", { waitUntil: "networkidle" });
  const c = (report.carousel = { start: await slideShown(page) });
  let tabs = 0;
  while (tabs < 80 && !(await page.evaluate(() => document.activeElement?.dataset?.carousel === "next"))) {
    await page.keyboard.press("Tab");
    tabs++;
  }
  c.tabsToNext = tabs;
  await page.keyboard.press("Enter");
  c.afterNext = await slideShown(page);
  await page.keyboard.press("Shift+Tab");
  c.focused = await page.evaluate(() => document.activeElement?.textContent);
  await page.keyboard.press("Enter");
  c.pauseLabel = await page.evaluate(() => document.querySelector('[data-carousel="pause"]').textContent);
  await page.evaluate(() => document.activeElement.blur());
  await page.mouse.move(1, 1);
  await page.clock.runFor(20000);
  c.afterPausedWait = await slideShown(page);
  await page.evaluate(() => document.querySelector('[data-carousel="pause"]').click());
  await page.evaluate(() => document.activeElement.blur());
  await page.mouse.move(1, 1);
  await page.clock.runFor(6500);
  c.afterPlay = await slideShown(page);
  const box = await page.locator("#focus").boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.clock.runFor(20000);
  c.afterHover = await slideShown(page);
  if (c.start !== 0) failures.push(`carousel does not start on the first slide: ${JSON.stringify(c)}`);
  if (c.afterNext !== 1) failures.push(`Enter on 下一张 did not move the slide: ${JSON.stringify(c)}`);
  if (c.pauseLabel !== "播放轮播" || c.afterPausedWait !== c.afterNext) failures.push(`暂停 did not stop the carousel: ${JSON.stringify(c)}`);
  if (c.afterPlay !== c.afterPausedWait + 1) failures.push(`the carousel does not turn when playing: ${JSON.stringify(c)}`);
  if (c.afterHover !== c.afterPlay) failures.push(`the carousel turned under the pointer: ${JSON.stringify(c)}`);
  await context.close();

  const still = await browser.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: "reduce" });
  const quiet = await still.newPage();
  await quiet.clock.install();
  await quiet.goto(base + "/", { waitUntil: "networkidle" });
  await quiet.clock.runFor(20000);
  c.reducedMotion = await slideShown(quiet);
  if (c.reducedMotion !== 0) failures.push(`the carousel turned with prefers-reduced-motion: ${JSON.stringify(c)}`);
  await still.close();

  const nojs = await browser.newContext({ viewport: { width: 375, height: 800 }, javaScriptEnabled: false });
  const plain = await open(nojs, "/");
  c.noScript = await plain.evaluate(() => {
    const slides = [...document.querySelectorAll("#focus .slide")];
    const visible = (el) => !!el && el.getBoundingClientRect().height > 0;
    return {
      firstImage: visible(slides[0]?.querySelector("img")),
      otherImages: slides.slice(1).filter((s) => visible(s.querySelector("img"))).length,
      otherLinks: slides.slice(1).filter((s) => visible(s.querySelector(".slide-caption a"))).length,
      controls: visible(document.querySelector("#focus .carousel-controls")),
      slides: slides.length,
    };
  });
  const n = c.noScript;
  if (!n.firstImage || n.otherImages !== 0 || n.otherLinks !== n.slides - 1 || n.slides < 2 || n.controls)
    failures.push(`without JavaScript the carousel should show the first slide and link the others: ${JSON.stringify(n)}`);
  await nojs.close();
}

// 长者模式: switched on with the keyboard alone; 24 px text at line height 2, large targets,
// kept after a reload; axe finds nothing serious and nothing scrolls sideways at 375 px.
{
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await open(context, pages.article);
  let reached = false;
  for (let i = 0; i < 40 && !reached; i++) {
    await page.keyboard.press("Tab");
    reached = await page.evaluate(() => document.activeElement && document.activeElement.hasAttribute("data-elder"));
  }
  if (!reached) failures.push("长者模式 button not reachable with Tab");
  await page.keyboard.press("Enter");
  const measure = () => page.evaluate(() => {
    const p = getComputedStyle(document.querySelector(".article .content p"));
    const nav = document.querySelector(".nav-list a").getBoundingClientRect();
    return {
      on: document.documentElement.getAttribute("data-elder"),
      pressed: document.querySelector("button[data-elder]").getAttribute("aria-pressed"),
      size: parseFloat(p.fontSize), lineHeight: parseFloat(p.lineHeight), navHeight: nav.height,
    };
  });
  report.elder.on = await measure();
  await page.reload({ waitUntil: "networkidle" });
  report.elder.afterReload = await measure();
  const e = report.elder.afterReload;
  if (e.on !== "on" || e.pressed !== "true") failures.push(`长者模式 not on or not kept: ${JSON.stringify(report.elder)}`);
  if (!(e.size >= 24 && e.lineHeight >= 1.5 * e.size && e.navHeight >= 44)) failures.push(`长者模式 too small: ${JSON.stringify(e)}`);
  for (const [name, path] of [["article", pages.article], ["home", pages.home]]) {
    await page.goto(base + path, { waitUntil: "networkidle" });
    await page.addScriptTag({ path: axePath });
    const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
    const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    report.axe["elder-" + name] = bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.length} × ${v.nodes[0].target.join(" ")}`);
    if (bad.length) failures.push(`axe 长者模式 ${name}: ${report.axe["elder-" + name].join("; ")}`);
  }
  await page.setViewportSize({ width: 375, height: 800 });
  await page.goto(base + pages.article, { waitUntil: "networkidle" });
  const o = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  report.elder.overflow375 = o;
  if (o.scroll > o.client) failures.push(`长者模式 scrolls sideways at 375px: ${o.scroll} > ${o.client}`);
  await context.close();
}

if (report.outside.length) failures.push(`requests to other hosts: ${report.outside.join(", ")}`);
await browser.close();
report.failures = failures;
console.log(JSON.stringify(report, null, 1));
process.exit(failures.length ? 1 : 0);
