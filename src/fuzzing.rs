//! Fuzz harnesses: what each `cargo fuzz` target does with its input. The targets under
//! `fuzz/fuzz_targets/` and the replay test (`tests/integration/fuzz_replay.rs`) both call these,
//! so a saved input runs the same code on stable as under libFuzzer.
//!
//! Each harness feeds raw bytes to the library the way a build would and panics only when an
//! invariant the code guarantees fails. Not part of the API.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::sync::{LazyLock, Mutex};

use chrono::{DateTime, FixedOffset, NaiveDate};

use crate::config::{BaseUrl, Config, parse_offset};
use crate::content::load::{SourceFile, decode};
use crate::content::slug::{check_explicit_slug, slugify};
use crate::content::{Visibility, resolve, url_path_of_dir};
use crate::dates::{format_zh, parse_datetime, split_date_prefix, start_of_day, weekday_zh};
use crate::markdown::{self, Heading, MarkdownOptions};
use crate::search::{self, Document, index_terms, query_terms};

/// A harness: takes one fuzz input, panics when an invariant fails.
pub type Harness = fn(&[u8]);

/// Every harness by target name: the names of `fuzz/fuzz_targets/*.rs` and of the folders
/// under `fuzz/seeds/` and `fuzz/regressions/`.
pub const TARGETS: &[(&str, Harness)] = &[
    ("front_matter", front_matter),
    ("markdown", markdown),
    ("slug", slug),
    ("search", search),
    ("config", config),
    ("dates", dates),
];

/// A file's bytes as a page goes through them before Markdown: decoded (BOM, CRLF, GB18030),
/// split, parsed and read as a page of every kind and as a section index, then resolved with
/// the other pages. Every URL path stays a clean path inside the site.
pub fn front_matter(data: &[u8]) {
    let Ok((text, _warning)) = decode(data, "content/fuzz.md") else {
        return;
    };
    let vis = Visibility {
        today: NaiveDate::from_ymd_opt(2024, 6, 1).expect("valid date"),
        drafts: data.len().is_multiple_of(2),
        future: data.len().is_multiple_of(3),
    };
    let (site, diags) = resolve(site_files(&text), Vec::new(), &FUZZ_CONFIG, vis);
    let paths = site.pages.iter().map(|p| &p.path);
    for path in paths.chain(site.sections.iter().map(|s| &s.path)) {
        assert_url_path(path);
    }
    // Every file holds the fuzz text, or a fixed section index of four lines.
    let lines = text.lines().count().max(4) + 1;
    for d in &diags {
        assert!(d.line <= lines, "{d:?} points past the end of the file");
    }
}

/// The config every front-matter input is read with: two taxonomies, 界别 and 专委会 listed.
static FUZZ_CONFIG: LazyLock<Config> = LazyLock::new(|| {
    Config::parse(
        "title = \"测试政协\"\nbase_url = \"https://example.org/sub/\"\n\
         [members]\nsectors = [\"中国共产党\", \"工商联\"]\ncommittees = [\"提案委员会\"]\n\
         [taxonomies]\ntags = { title = \"专题\", feed = true }\n\
         topics = { title = \"主题\", paginate_by = 5 }\n",
    )
    .expect("fuzz config parses")
});

/// Sections of every kind, each holding `text` as a page, and `text` as a section index of its
/// own with a page under it (so a `kind` it sets applies).
fn site_files(text: &str) -> Vec<SourceFile> {
    let file = |dir: &str, stem: &str, text: String| SourceFile {
        rel: format!("content/{dir}/{stem}.md"),
        dir: dir.to_string(),
        stem: stem.to_string(),
        text,
    };
    let mut files: Vec<SourceFile> = ["news", "members", "wenshi"]
        .iter()
        .map(|kind| {
            let header = format!("+++\ntitle = \"{kind}\"\nkind = \"{kind}\"\n+++\n");
            file(kind, "_index", header)
        })
        .collect();
    for (dir, stem) in [
        ("news", "2024-03-01-fuzz"),
        ("members", "fuzz"),
        ("wenshi", "fuzz"),
        ("plain", "fuzz"),
        ("fuzz", "_index"),
        ("fuzz", "fuzz"),
    ] {
        files.push(file(dir, stem, text.to_string()));
    }
    files
}

/// `/a/b-c/`: slashes at both ends, slug characters (or `_` for a folder without one) between.
fn assert_url_path(path: &str) {
    assert!(path.starts_with('/') && path.ends_with('/'), "{path:?}");
    for part in path.split('/').filter(|p| !p.is_empty()) {
        if part != "_" {
            assert_slug_shape(part);
        }
    }
}

/// A Markdown body rendered as a page is, with raw HTML sanitized and allowed, under base path
/// `/sub`; then the summaries made from it.
pub fn markdown(data: &[u8]) {
    let written = String::from_utf8_lossy(data);
    // What content builds pages from: the body with input-method slips mended.
    let (mended, slips) = crate::lookalike::fix_markdown(&written);
    let body = crate::paste::clean(&mended);
    assert!(slips.iter().all(|s| written.is_char_boundary(s.offset)));
    assert!(slips.is_empty() || written.contains(['（', '！', ' ']));
    for unsafe_html in [false, true] {
        let opts = MarkdownOptions {
            base_path: "/sub",
            unsafe_html,
            images: None,
            withheld: &[],
        };
        let rendered = markdown::render(&body, opts);
        if !unsafe_html {
            assert_safe_html(&rendered.html);
        }
        assert_heading_ids(&rendered.toc);
        assert_summary(&markdown::summary_from_text(&rendered.text));
        let page = markdown::PageUrl {
            path: "/news/a/",
            origin: "https://zx.example.cn",
        };
        if let Some(summary) = markdown::summary_before_more(&body, opts, page)
            && !unsafe_html
        {
            assert_safe_html(&summary.list);
            assert_safe_html(&summary.feed);
        }
    }
    let opening = markdown::opening_text(&body, 120);
    assert_summary(&markdown::summary_from_text(&opening));
    black_box(markdown::TextCount::of(&opening).reading_minutes());
}

/// What `unsafe_html = false` guarantees: no script element, no event handler, no `href` or
/// `src` that a browser reads with a scheme other than http, https, mailto and tel, whatever
/// the input. Only tags are looked at: text may well say `href="javascript:…"`.
fn assert_safe_html(html: &str) {
    assert!(!html.to_ascii_lowercase().contains("<script"), "{html}");
    for (tag, attrs) in tags(html) {
        for (name, value) in attrs {
            assert!(!name.starts_with("on"), "handler {name} in <{tag}>");
            if name == "href" || name == "src" {
                let url = unescape_attribute(&value);
                assert!(
                    browser_reads_as_safe(&url),
                    "unsafe {name}={url:?} in <{tag}>"
                );
            }
        }
    }
}

/// A tag's name and its attributes (name, value as written), names lowercased.
type HtmlTag = (String, Vec<(String, String)>);

/// The tags of HTML as pulldown-cmark and the sanitizer write it: text never holds a bare `<`
/// (both escape it), so each `<` opens a tag; attribute values may be quoted or not.
fn tags(html: &str) -> Vec<HtmlTag> {
    let ends_name = |c: char| c.is_whitespace() || matches!(c, '=' | '>' | '/');
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        rest = &rest[open + 1..];
        let n = rest.find(ends_name).unwrap_or(rest.len());
        let tag = rest[..n].to_ascii_lowercase();
        rest = &rest[n..];
        let mut attrs = Vec::new();
        loop {
            rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
            if rest.is_empty() || rest.starts_with('>') {
                break;
            }
            let n = rest.find(ends_name).unwrap_or(rest.len()).max(1);
            let name = rest[..n].to_ascii_lowercase();
            rest = &rest[n..];
            let mut value = "";
            if let Some(v) = rest.trim_start().strip_prefix('=') {
                let v = v.trim_start();
                let (val, after) = match v.chars().next() {
                    Some(q @ ('"' | '\'')) => match v[1..].find(q) {
                        Some(end) => (&v[1..end + 1], &v[end + 2..]),
                        None => (&v[1..], ""),
                    },
                    _ => v.split_at(
                        v.find(|c: char| c.is_whitespace() || c == '>')
                            .unwrap_or(v.len()),
                    ),
                };
                value = val;
                rest = after;
            }
            attrs.push((name, value.to_string()));
        }
        out.push((tag, attrs));
    }
    out
}

/// An attribute value as the browser reads it, for the escapes the serializers write.
fn unescape_attribute(value: &str) -> String {
    value
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
}

/// True when a browser reads `url` as relative or with an allowed scheme. Judged with the
/// WHATWG parser browsers and the sanitizer use, not with the stricter `url::is_safe` that
/// Markdown links go through: `\u{200B}ascript:x` is a relative URL to a browser (and passes
/// the sanitizer in raw HTML), while `is_safe` drops invisible characters and sees a scheme.
fn browser_reads_as_safe(url: &str) -> bool {
    ammonia::Url::parse(url).map_or(true, |u| {
        markdown::url::ALLOWED_SCHEMES.contains(&u.scheme())
    })
}

/// Heading ids are unique and leave the theme's own ids alone.
fn assert_heading_ids(toc: &[Heading]) {
    let mut ids: Vec<&str> = toc.iter().map(|h| h.id.as_str()).collect();
    assert!(
        !ids.iter().any(|id| markdown::THEME_IDS.contains(id)),
        "{ids:?}"
    );
    ids.sort_unstable();
    let count = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), count, "duplicate heading ids in {toc:?}");
}

/// At most 120 characters and `…`.
fn assert_summary(summary: &str) {
    assert!(summary.chars().count() <= 121, "{summary:?}");
}

/// Any text as a slug, a `slug` field and a content folder path.
pub fn slug(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let slug = slugify(&text);
    assert_slug_shape(&slug);
    assert_eq!(slugify(&slug), slug, "a slug is its own slug");
    if let Ok(explicit) = check_explicit_slug(&text) {
        assert!(!explicit.is_empty());
        assert_slug_shape(&explicit);
    }
    assert_url_path(&url_path_of_dir(&text));
}

/// `[a-z0-9]` words joined by single `-`, or empty.
fn assert_slug_shape(slug: &str) {
    let shaped = slug.split('-').all(|w| {
        !w.is_empty()
            && w.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    });
    assert!(slug.is_empty() || shaped, "bad slug {slug:?}");
}

/// The first line is a query; the rest, cut at blank lines, are documents (title, description,
/// body lines). Builds the index and reads it as `search.js` does: every document is found by
/// its title, the query finds exactly the documents holding each of its phrases (a plain scan
/// decides), and editing the first document in place equals a fresh build.
pub fn search(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (query, rest) = text.split_once('\n').unwrap_or((&text, ""));
    assert_tokenizer(query);
    let docs: Vec<Document> = rest.split("\n\n").take(12).map(document).collect();
    let (stats, files) = build_index(&docs);
    for (id, d) in docs.iter().enumerate() {
        if !query_terms(d.title).is_empty() {
            assert!(
                lookup(&files, d.title).contains(&(id as u32)),
                "{:?}",
                d.title
            );
        }
    }
    let mut hits = lookup(&files, query);
    hits.sort_unstable();
    assert_eq!(hits, scan(&docs, query), "query {query:?}");
    if let Some(first) = docs.first() {
        let mut edited = docs.clone();
        edited[0] = Document {
            title: query,
            ..first.clone()
        };
        assert_update_equals_build(stats, &files, &edited, first);
    }
}

/// The ids of documents holding every phrase of `query` as written, by a plain scan of their
/// units: the oracle the index must agree with.
pub fn scan(docs: &[Document], query: &str) -> Vec<u32> {
    let phrases = search::tokenize::query_phrases(query);
    if phrases.is_empty() {
        return Vec::new();
    }
    let units_of = |text: &str, start: u32, out: &mut Vec<(u32, String)>| {
        search::for_each_index_term(text, start, |t, at| {
            if let search::tokenize::Term::Char(_) | search::tokenize::Term::Word(_) = t {
                out.push((at, t.to_text()));
            }
        })
    };
    let mut found = Vec::new();
    for (id, d) in docs.iter().enumerate() {
        let mut units = Vec::new();
        let mut at = units_of(d.title, 0, &mut units);
        for part in d.texts_after_title() {
            at = units_of(part, at, &mut units);
        }
        let holds = |phrase: &Vec<String>| {
            units.windows(phrase.len()).any(|w| {
                w.iter().zip(phrase).all(|((_, u), p)| u == p)
                    && w.windows(2).all(|pair| pair[1].0 == pair[0].0 + 1)
            })
        };
        if phrases.iter().all(holds) {
            found.push(id as u32);
        }
    }
    found
}

/// A text holds its own query terms; streamed index terms equal the collected ones.
fn assert_tokenizer(text: &str) {
    let held = index_terms(text);
    assert!(
        query_terms(text)
            .iter()
            .all(|t| held.binary_search(t).is_ok())
    );
    let mut streamed = Vec::new();
    search::for_each_index_term(text, 0, |t, _| streamed.push(t.to_text()));
    streamed.sort_unstable();
    streamed.dedup();
    assert_eq!(streamed, held);
}

fn document(chunk: &str) -> Document<'_> {
    let mut lines = chunk.splitn(3, '\n');
    Document {
        title: lines.next().unwrap_or(""),
        url: "/p/".into(),
        date: "2024-03-01".into(),
        section: "要闻",
        description: lines.next(),
        body: lines.next().unwrap_or(""),
        fields: "".into(),
    }
}

type Files = BTreeMap<String, Vec<u8>>;

fn build_index(docs: &[Document]) -> (search::IndexStats, Files) {
    let files = Mutex::new(Files::new());
    let write = |path: &str, bytes: &[u8]| -> Result<(), ()> {
        files
            .lock()
            .expect("lock")
            .insert(path.into(), bytes.to_vec());
        Ok(())
    };
    let stats = search::build(docs, &write).expect("writing to memory");
    (stats, files.into_inner().expect("lock"))
}

/// The ids of pages the reader finds for `query`.
fn lookup(files: &Files, query: &str) -> Vec<u32> {
    search::reader::search(&|p| files.get(p).cloned(), query).hits
}

/// `search::update` (what `serve` does after an edit) leaves the same files as a new build.
fn assert_update_equals_build(
    stats: search::IndexStats,
    files: &Files,
    docs: &[Document],
    before: &Document,
) {
    let updated = Mutex::new(files.clone());
    let read = |p: &str| files.get(p).map(|b| std::sync::Arc::from(b.as_slice()));
    let write = |path: &str, bytes: &[u8]| -> Result<(), ()> {
        updated
            .lock()
            .expect("lock")
            .insert(path.into(), bytes.to_vec());
        Ok(())
    };
    let edited = [(0, before.clone())];
    if search::update(stats, docs, &edited, &read, &write) == Ok(None) {
        return;
    }
    let (_, fresh) = build_index(docs);
    assert!(
        updated.into_inner().expect("lock") == fresh,
        "update differs from a build"
    );
}

/// `config.toml` text → [`Config`]; what `Config::parse` accepts, the build can use.
pub fn config(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let Ok(config) = Config::parse(&text) else {
        return;
    };
    let base = &config.base_url;
    assert_eq!(
        BaseUrl::parse(&base.origin_and_path).as_ref(),
        Ok(base),
        "a base URL reads back as itself"
    );
    assert!(!base.path.ends_with('/'), "{base:?}");
    assert_eq!(base.href("/news/"), format!("{}/news/", base.path));
    assert!(base.absolute("/").starts_with(base.origin()));
    assert_eq!(parse_offset(&config.timezone.text), Some(config.offset()));
}

/// Any text through every date parser: front-matter dates in the offsets a config can hold,
/// file-name prefixes and offsets, then shown as pages show them.
pub fn dates(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let site = parse_offset("+08:00").expect("offset");
    for offset in ["+08:00", "-12:00", "+14:59", "-14:59"] {
        let offset = parse_offset(offset).expect("offset");
        if let Some(dt) = parse_datetime(&text, offset) {
            show_date(dt, site);
        }
    }
    if let Some((date, rest)) = split_date_prefix(&text) {
        assert!(text.ends_with(rest));
        if let Some(dt) = start_of_day(date, site) {
            show_date(dt, site);
        }
    }
    if let Some(offset) = parse_offset(&text) {
        assert!(parse_datetime("2024-03-01", offset).is_some(), "{offset}");
    }
}

/// What the build does with a date: moved to the site's offset, compared by day and shown.
fn show_date(dt: DateTime<FixedOffset>, site: FixedOffset) {
    let local = dt.with_timezone(&site);
    black_box(local.date_naive());
    black_box(format_zh(&local));
    black_box(weekday_zh(&local));
    black_box(local.format("%Y-%m-%d").to_string());
    black_box(parse_datetime(&local.to_rfc3339(), site));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_in_text_are_not_attributes() {
        // Found by fuzzing (`markdown`): `<1 href="JaVaScRiPt&#58;alert(1)">` is text (no tag
        // starts with a digit), written back with its quotes by the sanitizer.
        let html = "<p>&lt;1 href=\"JaVaScRiPt:alert(1)\"&gt;x</p>";
        assert_safe_html(html);
        let tagged = tags("<a href='/x' title=\"a > b\" data-x=1 hidden><img src=/i.png/>");
        assert_eq!(tagged[0].0, "a");
        assert_eq!(
            tagged[0].1,
            [
                ("href", "/x"),
                ("title", "a > b"),
                ("data-x", "1"),
                ("hidden", "")
            ]
            .map(|(n, v)| (n.to_string(), v.to_string()))
        );
        assert_eq!(tagged[1].1, [("src".to_string(), "/i.png/".to_string())]);
        let bad = std::panic::catch_unwind(|| assert_safe_html("<a HREF=\" javascript:x\">"));
        assert!(bad.is_err());
    }

    #[test]
    fn zero_width_space_before_a_scheme_makes_a_relative_url() {
        // Found by fuzzing (`markdown`): raw `<a href="\u{200B}ascript:alert(1)">` passes the
        // sanitizer as the relative URL it is to a browser; the harness judged it with `is_safe`.
        assert!(browser_reads_as_safe("\u{200B}ascript:alert(1)"));
        assert!(!markdown::url::is_safe("\u{200B}ascript:alert(1)"));
        for unsafe_url in [
            "javascript:alert(1)",
            " JaVa\tScRiPt:alert(1)",
            "\u{1}javascript:x",
            "data:text/html,x",
        ] {
            assert!(!browser_reads_as_safe(unsafe_url), "{unsafe_url:?}");
        }
        for safe in [
            "/a/",
            "rel/x",
            "#id",
            "https://x.cn/",
            "mailto:a@b.cn",
            "//x.cn/a",
        ] {
            assert!(browser_reads_as_safe(safe), "{safe:?}");
        }
    }
}
