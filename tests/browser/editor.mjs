// The editor of `tongxin serve` at /_tongxin/, in Debian's chromium: a news item made through the
// form (date, 来源, a photo dropped on the body), previewed, published and found in the rebuilt
// site; a member's 界别 changed from the choices; an edit on disk meanwhile detected as a
// conflict; a full-width slip shown at its line as it is typed; the 检查 view and its report;
// axe-core finds nothing serious or critical on any view, and nothing is asked of another host.
// Usage: node editor.mjs SERVE_URL SITE_ROOT PNG_FILE
//   (prints one JSON report; exit 1 when a check fails)
import { chromium } from "playwright-core";
import { createRequire } from "node:module";
import { readFileSync, writeFileSync } from "node:fs";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const [base, root, pngFile] = process.argv.slice(2);
const failures = [];
const report = { steps: [], axe: {}, outside: [], csp: [], errors: [] };

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
});
const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "zh-CN" });
const page = await context.newPage();
const origin = new URL(base).host;
page.on("request", (req) => {
  const host = new URL(req.url()).host;
  if (host && host !== origin) report.outside.push(req.url());
});
page.on("console", (m) => { if (m.text().includes("Content Security Policy")) report.csp.push(m.text()); });
page.on("pageerror", (e) => report.errors.push(e.message));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function until(what, probe, arg, ms = 15000) {
  const start = Date.now();
  while (Date.now() - start < ms) {
    try {
      if (await page.evaluate(probe, arg)) {
        report.steps.push(`${what}: ${Date.now() - start} ms`);
        return true;
      }
    } catch (_) { /* navigating */ }
    await sleep(50);
  }
  failures.push(`timed out: ${what}`);
  return false;
}

// axe runs through the debugger protocol, so the editor's CSP (no inline script) stays on.
async function axe(name) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  report.axe[name] = bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.length} × ${v.nodes[0].target.join(" ")}`);
  if (bad.length) failures.push(`axe ${name}: ${report.axe[name].join("; ")}`);
}

async function siteHas(path, text) {
  const start = Date.now();
  while (Date.now() - start < 15000) {
    const res = await fetch(base + path);
    if (res.ok && (await res.text()).includes(text)) return true;
    await sleep(100);
  }
  return false;
}

// ---- the empty editor
await page.goto(base + "/_tongxin/", { waitUntil: "networkidle" });
await until("tree shown", () => document.querySelectorAll("#tree button").length >= 3);
await axe("empty");

// ---- a news item through the form
await page.getByRole("button", { name: /新闻中心/ }).click();
await page.getByRole("button", { name: "新建页面" }).click();
await page.fill("#new-title", "委员视察乡村振兴工作");
await page.fill("#new-date", "2026-11-18");
await axe("new-page dialog");
await page.getByRole("button", { name: "创建" }).click();
await until("new page opened", () => document.getElementById("page-heading").textContent === "委员视察乡村振兴工作");
const newPath = await page.evaluate(() => document.getElementById("page-path").textContent);
report.newPath = newPath;
const dateShown = await page.inputValue("#field-date");
if (dateShown !== "2026-11-18") failures.push(`date field shows ${dateShown}`);
await page.fill("#field-source", "区政协办公室");
await page.fill("#field-editor", "周文");
await page.click("details.more summary");
await page.fill('[id="field-taxonomies.tags"]', "乡村振兴");
await page.fill("#body", "\n委员们深入田间地头，调研乡村振兴工作。\n");
// Drop a photo on the body, as a file dragged from the desktop.
const png = readFileSync(pngFile).toString("base64");
await page.evaluate((b64) => {
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const dt = new DataTransfer();
  dt.items.add(new File([bytes], "田间调研.png", { type: "image/png" }));
  const zone = document.getElementById("drop-zone");
  zone.dispatchEvent(new DragEvent("dragover", { dataTransfer: dt, bubbles: true, cancelable: true }));
  zone.dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
}, png);
await until("upload dialog open", () => document.getElementById("dlg-upload").open);
await axe("upload dialog");
await page.fill("#upload-caption", "委员在田间调研");
await page.getByRole("button", { name: "上传", exact: true }).click();
await until("photo Markdown inserted", () => document.getElementById("body").value.includes("![委员在田间调研](/news/tian-jian-diao-yan.png)"));
await until("preview shows the photo with its caption", () => {
  const img = document.querySelector("#preview figure img");
  const cap = document.querySelector("#preview figcaption");
  return img && img.complete && img.naturalWidth > 0 && cap && cap.textContent === "委员在田间调研"
    && document.getElementById("preview").textContent.includes("调研乡村振兴工作");
});
await axe("editor, more fields open");
await page.getByRole("button", { name: "发布", exact: true }).click();
await until("published", () => document.getElementById("page-state").textContent === "已发布");
if (!(await siteHas("/news/wei-yuan-shi-cha-xiang-cun-zhen-xing-gong-zuo/", "调研乡村振兴工作"))) {
  failures.push("the published page is not in the rebuilt site");
}
if (!(await siteHas("/news/wei-yuan-shi-cha-xiang-cun-zhen-xing-gong-zuo/", "tian-jian-diao-yan.png"))) {
  failures.push("the published page lacks its photo");
}

// ---- the rename and delete dialogs (opened, checked, cancelled)
await page.getByRole("button", { name: "改网址名" }).click();
await axe("rename dialog");
await page.locator("#dlg-rename").getByRole("button", { name: "取消" }).click();
await page.getByRole("button", { name: "删除", exact: true }).click();
await axe("delete dialog");
await page.locator("#dlg-delete").getByRole("button", { name: "取消" }).click();

// ---- a full-width slip, shown at its line as it is typed
await page.fill("#body", "\n第一段。\n\n见[通知]（/news/）。\n");
await until("slip shown at body line 4", () => Array.from(document.querySelectorAll("#diagnostics li"))
  .some((li) => li.textContent.includes("正文第 4 行") && li.textContent.includes("[punctuation]")));
await until("slip's line marked", () => {
  const marks = document.querySelectorAll("#backdrop mark");
  return marks.length >= 1 && Array.from(marks).some((m) => m.textContent.includes("（/news/）"));
});
// Clicking it selects the line in the body.
await page.locator("#diagnostics li", { hasText: "[punctuation]" }).first().getByRole("button").click();
const selected = await page.evaluate(() => {
  const ta = document.getElementById("body");
  return ta.value.slice(ta.selectionStart, ta.selectionEnd);
});
if (!selected.includes("（/news/）")) failures.push(`clicking the slip selected ${JSON.stringify(selected)}`);
await page.fill("#body", "\n委员们深入田间地头，调研乡村振兴工作。\n\n![委员在田间调研](/news/tian-jian-diao-yan.png)\n");

// ---- a member's 界别 from the choices
await page.goto(base + "/_tongxin/#/edit/content/members/zhang-ming.md");
page.once("dialog", (d) => d.accept()); // leaving the news item's unsaved edit
await until("member opened", () => document.getElementById("page-heading").textContent === "张明");
const options = await page.$$eval("#field-sector option", (os) => os.map((o) => o.value));
if (options.join(",") !== ",工商联,教育界,文化艺术界") failures.push(`界别 choices: ${options}`);
await page.selectOption("#field-sector", "文化艺术界");
await page.getByRole("button", { name: "保存", exact: true }).click();
await until("member saved", () => document.getElementById("status").textContent.includes("已保存"));

// ---- a save that stops the site from updating says so (a mobile number is personal data)
await until("member reopened for the number", () => document.getElementById("field-sector").value === "文化艺术界");
const memberBody = await page.inputValue("#body");
await page.fill("#body", memberBody + "\n联系电话 13812345678。\n");
await page.getByRole("button", { name: "保存", exact: true }).click();
await until("blocked save reported", () => document.getElementById("status").textContent.includes("网站暂不更新"));
await page.fill("#body", memberBody);
await page.getByRole("button", { name: "保存", exact: true }).click();
await until("clean save reported", () => document.getElementById("status").textContent.includes("已保存，网站正在更新"));

// ---- an edit on disk meanwhile is a conflict, shown with both texts
await until("member reopened", () => document.getElementById("field-sector").value === "文化艺术界");
const memberFile = root + "/content/members/zhang-ming.md";
const theirs = readFileSync(memberFile, "utf8").replace("张明委员", "张明同志");
writeFileSync(memberFile, theirs);
await page.fill("#body", "\n我的修改。\n");
await page.getByRole("button", { name: "保存", exact: true }).click();
await until("conflict shown", () => document.getElementById("dlg-conflict").open
  && document.getElementById("conflict-disk").value.includes("张明同志")
  && document.getElementById("conflict-mine").value.includes("我的修改"));
await axe("conflict dialog");
await page.getByRole("button", { name: "采用磁盘上的版本" }).click();
await until("disk version loaded", () => document.getElementById("body").value.includes("张明同志"));
if (readFileSync(memberFile, "utf8") !== theirs) failures.push("the file changed on disk was overwritten");

// ---- the site-wide 检查 view and its report
await page.getByRole("link", { name: "检查", exact: true }).click();
await page.getByRole("button", { name: "运行检查" }).click();
await until("inspection shown", () => document.getElementById("check-summary").textContent.includes("检查结论"));
await axe("check view");
await page.getByRole("button", { name: "生成检查报告（HTML）" }).click();
await until("report written", () => !document.getElementById("report-link").hidden);

if (report.outside.length) failures.push(`requests to other hosts: ${report.outside.join(", ")}`);
if (report.csp.length) failures.push(`CSP violations: ${report.csp.join(" | ")}`);
if (report.errors.length) failures.push(`script errors: ${report.errors.join(" | ")}`);
await browser.close();
report.failures = failures;
console.log(JSON.stringify(report, null, 2));
process.exit(failures.length ? 1 : 0);
