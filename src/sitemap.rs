//! `sitemap.xml`: every published page, section, taxonomy page and the archive.

use crate::config::BaseUrl;
use crate::feed::xml_escape;

/// One URL with its last-modified date (`YYYY-MM-DD`), if known.
#[derive(Hash)]
pub struct Entry {
    pub path: String,
    pub lastmod: Option<String>,
}

pub fn sitemap(entries: &[Entry], base: &BaseUrl) -> String {
    let mut out = String::with_capacity(128 + entries.len() * 96);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for e in entries {
        out.push_str("<url><loc>");
        out.push_str(&xml_escape(&base.absolute(&e.path)));
        out.push_str("</loc>");
        if let Some(d) = &e.lastmod {
            out.push_str("<lastmod>");
            out.push_str(d);
            out.push_str("</lastmod>");
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    out
}
