//! The staff guide in `docs/guide/` is itself a tongxin site: it builds, `check` finds nothing
//! in it (dead links and anchors included), its 字段参考 lists every config key and every
//! front-matter field the code knows, its 常见错误 every diagnostic code, and every relative
//! link in README.md and the guide's Markdown leads to a file of the repository.

use std::path::{Path, PathBuf};

use pulldown_cmark::{Event, Parser, Tag};
use tongxin::content::meta::{
    MemberMeta, NewsMeta, PAGE_FIELDS, ProposalMeta, SECTION_FIELDS, WenshiMeta,
};

use crate::support::{SiteTest, bin, copy_tree, walkdir};

const TODAY: &str = "2026-11-30";

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn guide() -> PathBuf {
    repo().join("docs/guide")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `tongxin check --format json` on `root`: the diagnostics as JSON values.
fn check_json(root: &Path) -> Vec<serde_json::Value> {
    let out = bin()
        .args(["check", "--root"])
        .arg(root)
        .args(["--today", TODAY, "--format", "json"])
        .output()
        .expect("run tongxin");
    let stdout = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "check printed no JSON ({e}):\n{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// The part of a Markdown text under the heading line `heading` (exactly), up to the next
/// heading of the same or a higher level.
fn chapter<'a>(text: &'a str, heading: &str) -> &'a str {
    let level = heading.chars().take_while(|&c| c == '#').count();
    let start = text
        .find(&format!("\n{heading}\n"))
        .unwrap_or_else(|| panic!("no heading `{heading}`"))
        + heading.len()
        + 2;
    let rest = &text[start..];
    let end = rest
        .match_indices("\n#")
        .find(|(at, _)| {
            let hashes = rest[at + 1..].chars().take_while(|&c| c == '#').count();
            hashes <= level && rest[at + 1 + hashes..].starts_with(' ')
        })
        .map_or(rest.len(), |(at, _)| at);
    &rest[..end]
}

/// True when `text` names `key` as code: `` `key` ``, `` `[key]` `` or `` `[[key]]` ``.
fn names(text: &str, key: &str) -> bool {
    [
        format!("`{key}`"),
        format!("`[{key}]`"),
        format!("`[[{key}]]`"),
    ]
    .iter()
    .any(|k| text.contains(k.as_str()))
}

#[test]
fn guide_builds_and_check_finds_nothing() {
    let diags = check_json(&guide());
    let found: Vec<String> = diags
        .iter()
        .filter(|d| d["level"] != "allowed")
        .map(|d| d.to_string())
        .collect();
    assert!(
        found.is_empty(),
        "tongxin check --root docs/guide found:\n{}",
        found.join("\n")
    );

    // A copy, so that the build writes nothing into the repository.
    let site = SiteTest::empty();
    copy_tree(&guide(), &site.root);
    let out = site.run("build", &[]);
    assert!(
        out.status.success(),
        "build failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(site.read("index.html").contains("同心 使用指南"));
    // Every chapter's page is published where the guide's home links it.
    let home = read(&guide().join("content/_index.md"));
    let mut chapters = 0;
    for event in Parser::new(&home) {
        if let Event::Start(Tag::Link { dest_url, .. }) = event {
            let rel = dest_url.trim_start_matches('/');
            assert!(
                site.exists(&format!("{rel}index.html")),
                "no page at {dest_url}"
            );
            chapters += 1;
        }
    }
    let pages = walkdir(&guide().join("content"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .filter(|p| !p.ends_with("_index.md"))
        .count();
    assert_eq!(
        chapters, pages,
        "the home links {chapters} of {pages} chapters"
    );
    assert!(chapters >= 14, "the guide has {chapters} chapters");
}

/// The keys `config.toml` accepts in each of its tables, as the code itself lists them: a key
/// it does not know is an error whose hint names every key it does know.
fn config_keys(table: &str, body: &str) -> Vec<String> {
    let site = SiteTest::empty();
    site.write(
        "config.toml",
        &format!("title = \"站\"\nbase_url = \"https://a.example.org\"\n{table}\n{body}\n"),
    )
    .write("content/_index.md", "+++\ntitle = \"首页\"\n+++\n");
    let diags = check_json(&site.root);
    let hint = diags
        .iter()
        .filter(|d| d["code"] == "config")
        .find_map(|d| d["hint"].as_str())
        .unwrap_or_else(|| panic!("no config hint for {table} {body}: {diags:?}"))
        .to_string();
    let list = hint
        .split_once("有 ")
        .unwrap_or_else(|| panic!("hint without a list: {hint}"))
        .1;
    list.split('、').map(|k| k.trim().to_string()).collect()
}

#[test]
fn field_reference_lists_every_config_key() {
    let page = read(&guide().join("content/can-kao/zi-duan.md"));
    let config = chapter(&page, "## config.toml");
    let tables = [
        ("", "zzz_unknown = 1"),
        ("[footer]", "zzz_unknown = 1"),
        ("[[links]]", "group = \"g\"\nzzz_unknown = 1"),
        (
            "[[links]]",
            "group = \"g\"\nitems = [{ title = \"t\", url = \"/\", zzz_unknown = 1 }]",
        ),
        ("[proposals]", "zzz_unknown = 1"),
        ("[members]", "zzz_unknown = 1"),
        ("[taxonomies]", "tags = { title = \"t\", zzz_unknown = 1 }"),
        ("[markdown]", "zzz_unknown = 1"),
        ("[search]", "zzz_unknown = 1"),
        ("[check]", "zzz_unknown = 1"),
        ("[images]", "zzz_unknown = 1"),
    ];
    let mut missing = Vec::new();
    let mut count = 0;
    for (table, body) in tables {
        let keys = config_keys(table, body);
        assert!(!keys.is_empty(), "{table}: no keys");
        for key in keys {
            count += 1;
            if !names(config, &key) {
                missing.push(format!("{table} {key}"));
            }
        }
    }
    assert!(count > 30, "only {count} config keys found");
    assert!(
        missing.is_empty(),
        "docs/guide/content/can-kao/zi-duan.md does not list these config.toml keys:\n{}",
        missing.join("\n")
    );
}

#[test]
fn field_reference_lists_every_front_matter_field() {
    let page = read(&guide().join("content/can-kao/zi-duan.md"));
    let kinds: [(&str, &[&str]); 6] = [
        ("## 稿件共有的字段", PAGE_FIELDS),
        ("## 栏目的 _index.md", SECTION_FIELDS),
        ("## 新闻（news）", NewsMeta::FIELDS),
        ("## 委员（members）", MemberMeta::FIELDS),
        ("## 提案（proposals）", ProposalMeta::FIELDS),
        ("## 文史（wenshi）", WenshiMeta::FIELDS),
    ];
    let mut missing = Vec::new();
    for (heading, fields) in kinds {
        let text = chapter(&page, heading);
        for field in fields {
            if !names(text, field) {
                missing.push(format!("{heading}: {field}"));
            }
        }
    }
    // The 专题 fields are a section's; the guide names them in its own chapter too.
    let topic = chapter(&page, "## 专题（topic）");
    for field in ["banner", "description", "active"] {
        if !names(topic, field) {
            missing.push(format!("## 专题（topic）: {field}"));
        }
    }
    assert!(
        missing.is_empty(),
        "docs/guide/content/can-kao/zi-duan.md does not list these fields:\n{}",
        missing.join("\n")
    );
}

/// Every diagnostic code, from `Code::as_str` in `src/error.rs`, has its own heading in
/// 常见错误.
#[test]
fn common_errors_explain_every_code() {
    let source = read(&repo().join("src/error.rs"));
    let body = source
        .split_once("impl Code {")
        .expect("impl Code in src/error.rs")
        .1
        .split_once("pub fn as_str(self) -> &'static str {\n        match self {")
        .expect("Code::as_str in src/error.rs")
        .1;
    let body = &body[..body.find("\n        }").unwrap()];
    let codes: Vec<&str> = body
        .lines()
        .filter_map(|l| l.split_once("=> \"")?.1.strip_suffix("\","))
        .collect();
    assert!(
        codes.len() > 25,
        "only {} codes read: {codes:?}",
        codes.len()
    );
    let page = read(&guide().join("content/can-kao/chang-jian-cuo-wu.md"));
    let missing: Vec<&&str> = codes
        .iter()
        .filter(|c| !page.contains(&format!("\n### `{c}`\n")))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/guide/content/can-kao/chang-jian-cuo-wu.md has no `### `CODE`` heading for {missing:?}"
    );
}

/// Links and images of a Markdown file that are neither a full URL nor an anchor alone.
fn local_links(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for event in Parser::new(text) {
        let dest = match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => dest_url,
            _ => continue,
        };
        let dest = dest.to_string();
        if dest.starts_with('#') || dest.contains("://") || dest.starts_with("mailto:") {
            continue;
        }
        out.push(dest);
    }
    out
}

#[test]
fn relative_links_in_readme_and_guide_resolve() {
    let mut files = vec![repo().join("README.md")];
    files.extend(
        walkdir(&guide().join("content"))
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "md")),
    );
    files.extend(
        walkdir(&repo().join("docs"))
            .into_iter()
            .filter(|p| p.parent() == Some(repo().join("docs").as_path()))
            .filter(|p| p.extension().is_some_and(|e| e == "md")),
    );
    let mut broken = Vec::new();
    let mut count = 0;
    for file in &files {
        let text = read(file);
        let in_guide = file.starts_with(guide());
        for dest in local_links(&text) {
            let path = dest.split('#').next().unwrap();
            if path.is_empty() {
                continue;
            }
            if path.starts_with('/') {
                // The guide's own pages link by site path; `check` resolves those. Anywhere
                // else a `/path` leads nowhere on GitHub.
                if !in_guide {
                    broken.push(format!("{}: {dest} (absolute)", file.display()));
                }
                continue;
            }
            count += 1;
            let target = file.parent().unwrap().join(path);
            if !target.exists() {
                broken.push(format!("{}: {dest}", file.display()));
            }
        }
    }
    assert!(count > 10, "only {count} relative links checked");
    assert!(
        broken.is_empty(),
        "links to no file:\n{}",
        broken.join("\n")
    );
}
