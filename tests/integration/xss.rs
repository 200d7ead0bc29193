//! Script injection: hostile links, raw HTML, front matter and config values go through a real
//! build, and every HTML output and feed is parsed and searched for anything that could run.

use std::path::Path;

use scraper::{Html, Selector};

use crate::support::{TODAY, bin};

/// The theme's own scripts, under their fingerprinted names.
static THEME_SCRIPT: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"^/tongxin/(reader|search)\.[0-9a-f]{10}\.js$").unwrap()
});

#[path = "../xss_site.rs"]
mod xss_site;
use xss_site::{BODIES, FIELDS, allow_unsafe_urls, write_site};

fn build(root: &Path) -> std::process::Output {
    bin()
        .args(["build", "--root"])
        .arg(root)
        .args(["--today", TODAY])
        .output()
        .expect("run tongxin")
}

/// What `tongxin check` prints for the site at `root`.
fn check(root: &Path) -> String {
    let out = bin()
        .args(["check", "--root"])
        .arg(root)
        .args(["--today", TODAY])
        .output()
        .expect("run tongxin");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Schemes that run code when a browser follows or loads the URL.
fn executable(url: &str) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|s| cleaned.starts_with(s))
}

/// Everything executable in one HTML document, described for the failure message.
fn executable_parts(html: &str) -> Vec<String> {
    let doc = Html::parse_document(html);
    let all = Selector::parse("*").unwrap();
    let mut found = Vec::new();
    for el in doc.select(&all) {
        let name = el.value().name();
        // The theme's own search form is the one form allowed.
        let search_form = name == "form" && el.value().attr("action") == Some("/search/");
        if matches!(
            name,
            "iframe" | "object" | "embed" | "base" | "form" | "frameset" | "animate" | "set"
        ) && !search_form
        {
            found.push(format!("<{name}>"));
        }
        if name == "meta" && el.value().attr("http-equiv").is_some() {
            found.push("<meta http-equiv>".into());
        }
        if name == "script" {
            let theme = el
                .value()
                .attr("src")
                .is_some_and(|s| THEME_SCRIPT.is_match(s));
            if !theme || el.text().next().is_some() {
                found.push(format!("<script> {}", el.html()));
            }
        }
        for (attr, value) in el.value().attrs() {
            if attr.starts_with("on") {
                found.push(format!("<{name} {attr}>"));
            }
            if matches!(
                attr,
                "href" | "src" | "action" | "formaction" | "data" | "background" | "poster" | "to"
            ) && executable(value)
            {
                found.push(format!("<{name} {attr}=\"{value}\">"));
            }
            if attr == "srcdoc" || (attr == "style" && value.contains('(')) {
                found.push(format!("<{name} {attr}>"));
            }
        }
    }
    found
}

fn html_files(dir: &Path) -> Vec<std::path::PathBuf> {
    walkdir(dir)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect()
}

fn walkdir(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walkdir(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn payload_list_is_long_enough() {
    assert!(BODIES.len() + FIELDS.len() + 6 >= 50);
}

#[test]
fn no_payload_survives_into_html_or_feeds() {
    let dir = tempfile::tempdir().unwrap();
    write_site(dir.path());
    allow_unsafe_urls(dir.path());
    let out = build(dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let public = dir.path().join("public");
    let files = html_files(&public);
    assert!(files.len() > BODIES.len() + FIELDS.len(), "{}", files.len());
    let mut bad = Vec::new();
    for file in &files {
        let html = std::fs::read_to_string(file).unwrap();
        for part in executable_parts(&html) {
            bad.push(format!("{}: {part}", file.display()));
        }
    }
    for feed in walkdir(&public)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "xml"))
    {
        let xml = std::fs::read_to_string(&feed).unwrap();
        let doc = roxmltree::Document::parse(&xml).unwrap();
        // Item descriptions are HTML; the channel's is plain text.
        let items = doc.descendants().filter(|n| {
            n.has_tag_name("description") && n.parent().is_some_and(|p| p.has_tag_name("item"))
        });
        for node in items {
            for part in executable_parts(node.text().unwrap_or("")) {
                bad.push(format!("{}: {part}", feed.display()));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "{} executable parts:\n{}",
        bad.len(),
        bad.join("\n")
    );
    // The link text stays when the URL goes.
    let page = std::fs::read_to_string(public.join("news/body-0/index.html")).unwrap();
    assert!(page.contains("点击"), "{page}");
}

#[test]
fn check_reports_each_unsafe_markdown_url_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    write_site(dir.path());
    let stdout = check(dir.path());
    // Body payloads start on line 6 (+++, title, +++, 前文, blank).
    for i in [0usize, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15] {
        let prefix = format!("content/news/2026-01-{:02}-body-{i}.md:6:", i % 28 + 1);
        assert!(
            stdout
                .lines()
                .any(|l| l.starts_with(&prefix) && l.contains("error[unsafe-url]")),
            "no unsafe-url for body {i} ({}) in:\n{stdout}",
            BODIES[i]
        );
    }
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("content/news/2026-02-04-field-3.md:3:1: error[unsafe-url]")),
        "{stdout}"
    );
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("content/members/li-si.md:4:1: error[unsafe-url]")),
        "{stdout}"
    );
}

#[test]
fn trusted_raw_html_passes_unchanged_and_check_warns() {
    let dir = tempfile::tempdir().unwrap();
    write_site(dir.path());
    allow_unsafe_urls(dir.path());
    let config = std::fs::read_to_string(dir.path().join("config.toml")).unwrap();
    std::fs::write(
        dir.path().join("config.toml"),
        format!("{config}\n[markdown]\nunsafe_html = true\n"),
    )
    .unwrap();
    let out = build(dir.path());
    assert!(out.status.success());
    let page = std::fs::read_to_string(dir.path().join("public/news/body-18/index.html")).unwrap();
    assert!(page.contains("<script>alert(1)</script>"), "{page}");
    let stdout = check(dir.path());
    // Line 7: the `allow` line comes before the title.
    for (i, what) in [(18usize, "<script"), (19, "onerror=")] {
        let prefix = format!("content/news/2026-01-{:02}-body-{i}.md:7:", i % 28 + 1);
        assert!(
            stdout.lines().any(|l| l.starts_with(&prefix)
                && l.contains("warning[unsafe-html]")
                && l.contains(what)),
            "no unsafe-html warning for body {i} in:\n{stdout}"
        );
    }
}

#[test]
fn check_warns_that_scripts_in_raw_html_were_removed() {
    let dir = tempfile::tempdir().unwrap();
    write_site(dir.path());
    let stdout = check(dir.path());
    // Body 18 is `<script>alert(1)</script>`, on line 6.
    assert!(
        stdout.lines().any(|l| l
            .starts_with("content/news/2026-01-19-body-18.md:6:1: warning[unsafe-html]")
            && l.contains("发布时已删除")),
        "{stdout}"
    );
}

#[test]
fn check_warns_of_each_element_publishing_removes_once_a_page() {
    let dir = tempfile::tempdir().unwrap();
    write_site(dir.path());
    let page = "content/news/2026-02-01-shi-pin.md";
    std::fs::write(
        dir.path().join(page),
        "+++\ntitle = \"视频\"\n+++\n\n<iframe src=\"https://v.example.cn/1\"></iframe>\n\n\
         <p align=\"right\"><font color=\"red\">落款</font></p>\n\n<font>又一处</font>\n",
    )
    .unwrap();
    let stdout = check(dir.path());
    let ours: Vec<&str> = stdout.lines().filter(|l| l.starts_with(page)).collect();
    assert_eq!(
        ours,
        [
            format!("{page}:5:1: warning[unsafe-html]: HTML 标签 <iframe> 发布时已删除"),
            format!("{page}:7:18: warning[unsafe-html]: HTML 标签 <font> 发布时已删除"),
        ],
        "{stdout}"
    );
    // What was said is what happened: the iframe and the font tags are gone, their text stays.
    allow_unsafe_urls(dir.path());
    assert!(build(dir.path()).status.success());
    let html = std::fs::read_to_string(dir.path().join("public/news/shi-pin/index.html")).unwrap();
    assert!(
        !html.contains("<iframe") && !html.contains("<font"),
        "{html}"
    );
    assert!(html.contains("落款") && html.contains("又一处"), "{html}");
}

#[test]
fn raw_html_nested_too_deep_builds_fast_as_text_and_check_says_so() {
    let dir = tempfile::tempdir().unwrap();
    write_site(dir.path());
    allow_unsafe_urls(dir.path());
    let body = "<div>".repeat(100_000);
    std::fs::write(
        dir.path().join("content/news/2026-03-01-shen.md"),
        format!("+++\ntitle = \"嵌套\"\n+++\n{body}x\n"),
    )
    .unwrap();
    let started = std::time::Instant::now();
    let out = build(dir.path());
    assert!(out.status.success());
    // Parsed, this took 18 s in a release build; shown as text it is a moment.
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    let page = std::fs::read_to_string(dir.path().join("public/news/shen/index.html")).unwrap();
    assert!(page.contains("&lt;div&gt;"));
    let stdout = check(dir.path());
    assert!(
        stdout.contains(
            "content/news/2026-03-01-shen.md:4:1: warning[unsafe-html]: HTML 标签嵌套超过 2000 层"
        ),
        "{stdout}"
    );
}
