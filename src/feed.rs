//! RSS 2.0 feeds from already-sorted pages: full URLs, RFC 2822 dates in the configured offset.

use chrono::{DateTime, FixedOffset};

use crate::config::BaseUrl;

/// What a feed describes.
#[derive(Hash)]
pub struct Channel<'a> {
    pub title: std::borrow::Cow<'a, str>,
    pub description: &'a str,
    pub language: &'a str,
    /// Site-absolute path of the page the feed belongs to (`/news/`).
    pub link_path: &'a str,
    /// Site-absolute path of the feed itself (`/news/rss.xml`).
    pub self_path: String,
}

/// One feed item: the page and its summary HTML.
#[derive(Hash)]
pub struct Item<'a> {
    pub title: &'a str,
    /// Site-absolute URL path.
    pub path: &'a str,
    pub date: Option<DateTime<FixedOffset>>,
    /// The item's description: the page's summary HTML, with full URLs.
    pub summary_html: &'a str,
}

/// Writes the feed. `items` must be dated pages, newest first, already cut to the feed limit.
pub fn rss(channel: &Channel, items: &[Item], base: &BaseUrl, offset: FixedOffset) -> String {
    let mut out = String::with_capacity(1024 + items.len() * 512);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n");
    push_el(&mut out, "title", &channel.title);
    push_el(&mut out, "link", &base.absolute(channel.link_path));
    push_el(&mut out, "description", channel.description);
    push_el(&mut out, "language", channel.language);
    out.push_str("<atom:link href=\"");
    push_url(&mut out, &base.absolute(&channel.self_path));
    out.push_str("\" rel=\"self\" type=\"application/rss+xml\"/>\n");
    if let Some(newest) = items.first().and_then(|i| i.date) {
        push_el(
            &mut out,
            "lastBuildDate",
            &newest.with_timezone(&offset).to_rfc2822(),
        );
    }
    push_el(&mut out, "generator", "tongxin");
    for item in items {
        let link = base.absolute(item.path);
        out.push_str("<item>\n");
        push_el(&mut out, "title", item.title);
        push_el(&mut out, "link", &link);
        out.push_str("<guid isPermaLink=\"true\">");
        push_url(&mut out, &link);
        out.push_str("</guid>\n");
        if let Some(d) = item.date {
            push_el(&mut out, "pubDate", &d.with_timezone(&offset).to_rfc2822());
        }
        // Links in the summary are full URLs already, resolved against the page.
        push_el(&mut out, "description", item.summary_html);
        out.push_str("</item>\n");
    }
    out.push_str("</channel>\n</rss>\n");
    out
}

/// Writes `<name>text</name>` and a line end.
fn push_el(out: &mut String, name: &str, text: &str) {
    out.push('<');
    out.push_str(name);
    out.push('>');
    push_xml_escaped(out, text);
    out.push_str("</");
    out.push_str(name);
    out.push_str(">\n");
}

/// Appends a URL escaped as `push_xml_escaped` does, but with every character kept.
fn push_url(out: &mut String, url: &str) {
    pulldown_cmark_escape::escape_html(out, url).expect("a String takes any text");
}

/// Appends `text` escaped for XML content and quoted attributes (`& < > " '`, the quote as
/// `&#39;`), without the control characters and noncharacters XML 1.0 forbids.
pub fn push_xml_escaped(out: &mut String, text: &str) {
    let allowed = |c: &char| {
        let control = (*c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r');
        !control && !matches!(c, '\u{FFFE}' | '\u{FFFF}')
    };
    let escaped = if text.chars().all(|c| allowed(&c)) {
        pulldown_cmark_escape::escape_html(&mut *out, text)
    } else {
        let kept: String = text.chars().filter(allowed).collect();
        pulldown_cmark_escape::escape_html(&mut *out, &kept)
    };
    escaped.expect("a String takes any text");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(text: &str) -> String {
        let mut out = String::new();
        push_xml_escaped(&mut out, text);
        out
    }

    #[test]
    fn markup_characters_are_escaped_as_before() {
        assert_eq!(
            escaped(r#"<a href="x?a=1&b=2">It's</a>"#),
            "&lt;a href=&quot;x?a=1&amp;b=2&quot;&gt;It&#39;s&lt;/a&gt;"
        );
        assert_eq!(escaped("政协“委员”\t\r\n"), "政协“委员”\t\r\n");
    }

    #[test]
    fn characters_xml_forbids_are_dropped() {
        assert_eq!(escaped("a\u{1}b\u{1f}<\u{FFFE}c\u{FFFF}"), "ab&lt;c");
    }
}
