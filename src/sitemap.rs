//! `sitemap.xml`: every published page, section, taxonomy page and the archive.

use crate::config::BaseUrl;
use crate::feed::push_xml_escaped;

/// One URL with its last-modified date (`YYYY-MM-DD`), if known.
#[derive(Hash)]
pub struct Entry {
    /// Site-absolute path (`/news/yaowen/slug/`).
    pub path: String,
    /// Last-modified date, `YYYY-MM-DD`.
    pub lastmod: Option<String>,
}

/// Writes `sitemap.xml` for `entries`, in their order, with full URLs.
pub fn sitemap(entries: &[Entry], base: &BaseUrl) -> String {
    let mut out = String::with_capacity(128 + entries.len() * 96);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for e in entries {
        out.push_str("<url><loc>");
        push_xml_escaped(&mut out, &base.absolute(&e.path));
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
