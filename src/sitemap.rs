//! `sitemap.xml`: every published page, section, taxonomy page and the archive.

use chrono::{DateTime, FixedOffset};

use crate::config::BaseUrl;
use crate::feed::push_xml_escaped;

/// One URL with its last-modified time, if known.
#[derive(Hash)]
pub struct Entry<'a> {
    /// Site-absolute path (`/news/yaowen/slug/`).
    pub path: &'a str,
    /// Written as its date, `YYYY-MM-DD`, in its own offset.
    pub lastmod: Option<DateTime<FixedOffset>>,
}

/// Writes `sitemap.xml` for `entries`, in their order, with full URLs.
pub fn sitemap(entries: &[Entry], base: &BaseUrl) -> String {
    let mut out = String::with_capacity(128 + entries.len() * 96);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for e in entries {
        out.push_str("<url><loc>");
        push_xml_escaped(&mut out, &base.absolute(e.path));
        out.push_str("</loc>");
        if let Some(d) = &e.lastmod {
            out.push_str(&d.format("<lastmod>%Y-%m-%d</lastmod>").to_string());
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    out
}
