//! The files a page links for download (SPEC Output: pdf, doc, docx, xls, xlsx, wps, et, zip,
//! rar), listed at the page's end with their type and published size.

use std::path::Path;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::config::BaseUrl;

/// File types listed as attachments (lowercase extensions).
pub const EXTENSIONS: &[&str] = &[
    "pdf", "doc", "docx", "xls", "xlsx", "wps", "et", "zip", "rar",
];

/// One linked file, as the template shows it: 附件：报名表.docx（DOCX，24 KB）.
#[derive(Serialize, Hash, Debug, PartialEq, Eq)]
pub struct Attachment {
    /// Link text, else the file name.
    pub title: String,
    /// For `href`, under the base path.
    pub url: String,
    /// The extension in capitals: `DOCX`.
    pub kind: String,
    /// Published size in bytes.
    pub bytes: u64,
    /// The size for readers: `24 KB`, `1.2 MB`.
    pub size: String,
}

/// Where the files a site publishes come from: the site root and `content/`'s files (source
/// path, output path).
pub struct FileSources<'a> {
    pub root: &'a Path,
    pub assets: &'a [(String, String)],
}

impl FileSources<'_> {
    /// The size of the file published at `site_path` (`/files/a.pdf`), from `content/` or
    /// `static/`; `None` when nothing is published there.
    fn size_of(&self, site_path: &str) -> Option<u64> {
        let out = site_path.trim_start_matches('/');
        let source = match self
            .assets
            .iter()
            .find(|(_, o)| o.trim_start_matches('/') == out)
        {
            Some((rel, _)) => self.root.join(rel),
            None => self.root.join("static").join(out),
        };
        std::fs::metadata(source)
            .ok()
            .filter(|m| m.is_file())
            .map(|m| m.len())
    }
}

/// The attachments `body` links, in order, each file once. Links to files that are not
/// published are left out (`check` reports them as `missing-file`).
pub fn attachments(
    body: &str,
    page_path: &str,
    files: &FileSources,
    base: &BaseUrl,
) -> Vec<Attachment> {
    if !mentions_attachment(body) {
        return Vec::new();
    }
    let mut out: Vec<Attachment> = Vec::new();
    let mut open: Option<(String, String)> = None;
    for event in Parser::new(body) {
        match event {
            Event::Start(Tag::Link { dest_url, .. }) => {
                open = Some((dest_url.to_string(), String::new()));
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, text)) = open.as_mut() {
                    text.push_str(&t);
                }
            }
            Event::End(TagEnd::Link) => {
                let Some((dest, text)) = open.take() else {
                    continue;
                };
                if let Some(a) = attachment(&dest, text.trim(), page_path, files, base)
                    && !out.iter().any(|o| o.url == a.url)
                {
                    out.push(a);
                }
            }
            _ => {}
        }
    }
    out
}

/// A cheap test before parsing: whether `body` holds `.pdf`, `.docx` … at all.
fn mentions_attachment(body: &str) -> bool {
    let lower = body.to_ascii_lowercase();
    EXTENSIONS.iter().any(|e| lower.contains(&format!(".{e}")))
}

fn attachment(
    dest: &str,
    text: &str,
    page_path: &str,
    files: &FileSources,
    base: &BaseUrl,
) -> Option<Attachment> {
    let site_path = crate::images::site_path(dest, Some(page_path))?;
    let name = site_path.rsplit('/').next().unwrap_or_default().to_string();
    let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
    if !EXTENSIONS.contains(&ext.as_str()) {
        return None;
    }
    let bytes = files.size_of(&site_path)?;
    let url = crate::markdown::url::resolve_path(
        if dest.starts_with('/') {
            "/"
        } else {
            page_path
        },
        dest.split(['?', '#']).next()?,
    );
    Some(Attachment {
        title: if text.is_empty() {
            name
        } else {
            text.to_string()
        },
        url: base.href(&url),
        kind: ext.to_ascii_uppercase(),
        bytes,
        size: human_size(bytes),
    })
}

/// `24 KB`, `1.2 MB`: sizes as download links show them (1 KB = 1024 bytes).
pub fn human_size(bytes: u64) -> String {
    const KB: u64 = 1024;
    const MB: u64 = KB * 1024;
    if bytes < KB {
        format!("{bytes} B")
    } else if bytes < MB {
        format!("{} KB", bytes.div_ceil(KB))
    } else {
        format!("{:.1} MB", bytes as f64 / MB as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_expect() {
        assert_eq!(human_size(512), "512 B");
        assert_eq!(human_size(24 * 1024 - 100), "24 KB");
        assert_eq!(human_size(1024 * 1024 * 3 / 2), "1.5 MB");
    }
}
