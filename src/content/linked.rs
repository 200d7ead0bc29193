//! Which files under `content/` the site links. SPEC (Content): a file in `content/` that is not
//! a page is published only when a page links to it (an attachment, an image); otherwise `check`
//! warns `unlinked-file` and it is not copied. A Notepad copy (`x.md.txt`), a Word original left
//! beside its page or a list of names never meant for readers stays off the server.

use aho_corasick::AhoCorasick;
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use pulldown_cmark::{Event, Options, Parser, Tag};
use rayon::prelude::*;
use regex::Regex;
use std::collections::HashMap;
use std::sync::LazyLock;

use super::Site;
use crate::markdown::url;

/// What a link written by hand may percent-encode in a file name.
const ENCODED: &AsciiSet = &CONTROLS.add(b' ').add(b'#').add(b'%').add(b'?');

/// For each of `site.assets` (same order), whether a published page or section links it: from
/// its Markdown (links, images, reference definitions, `href`/`src` in raw HTML) or from a
/// front-matter URL field (`cover`, `photo`, a 专题's `banner`). `base_path` is `/sub` or empty.
///
/// Only texts that hold an asset's file name (as written or percent-encoded) are parsed, so a
/// site without such files costs one substring search per page.
pub fn linked_assets(site: &Site, base_path: &str) -> Vec<bool> {
    let linked = vec![false; site.assets.len()];
    if site.assets.is_empty() {
        return linked;
    }
    let by_out: HashMap<&str, usize> = site
        .assets
        .iter()
        .enumerate()
        .map(|(i, (_, out))| (out.as_str(), i))
        .collect();
    let names = file_names(site);
    let Ok(finder) = AhoCorasick::new(&names) else {
        // Too many patterns to search for at once: parse every text instead.
        return linked_by(site, base_path, &by_out, &|_| true, linked);
    };
    linked_by(
        site,
        base_path,
        &by_out,
        &|text| finder.is_match(text),
        linked,
    )
}

/// Every asset's file name, as written and percent-encoded.
fn file_names(site: &Site) -> Vec<String> {
    let mut names: Vec<String> = site
        .assets
        .iter()
        .flat_map(|(_, out)| {
            let name = out.rsplit('/').next().unwrap_or(out);
            [
                name.to_string(),
                utf8_percent_encode(name, ENCODED).to_string(),
            ]
        })
        .collect();
    names.sort();
    names.dedup();
    names
}

/// Marks in `linked` the assets reached from texts that `may_link` lets through, and from
/// front-matter URL fields.
fn linked_by(
    site: &Site,
    base_path: &str,
    by_out: &HashMap<&str, usize>,
    may_link: &(dyn Fn(&str) -> bool + Sync),
    mut linked: Vec<bool>,
) -> Vec<bool> {
    let target = |page_path: &str, dest: &str| {
        let path = url::site_path(page_path, base_path, dest.trim());
        by_out.get(path.as_str()).copied()
    };
    let from_pages: Vec<usize> = site
        .pages
        .par_iter()
        .flat_map_iter(|page| {
            page_dests(page, may_link)
                .filter_map(|dest| target(&page.path, &dest))
                .collect::<Vec<_>>()
        })
        .collect();
    let from_sections = site
        .sections
        .iter()
        .flat_map(|s| {
            let dests = if may_link(&s.body) {
                link_dests(&s.body)
            } else {
                Vec::new()
            };
            // A 专题's `banner` links its picture as a page's `cover` does.
            let banner = s.meta.banner.as_ref().map(|b| b.value.clone());
            dests
                .into_iter()
                .chain(banner)
                .filter_map(|dest| target(&s.path, &dest))
                .collect::<Vec<_>>()
        })
        .collect::<Vec<_>>();
    for i in from_pages.into_iter().chain(from_sections) {
        linked[i] = true;
    }
    linked
}

/// Where a page links: the destinations of its body (parsed only when `may_link` lets its
/// text through) and its front-matter URL fields (`cover`, `photo`).
pub fn page_dests<'p>(
    page: &'p super::Page,
    may_link: &dyn Fn(&str) -> bool,
) -> impl Iterator<Item = String> + 'p {
    let body = page.body.as_str();
    let dests = if may_link(body) {
        link_dests(body)
    } else {
        Vec::new()
    };
    let fields = page.meta.kind.urls().into_iter().map(|u| u.value.clone());
    dests.into_iter().chain(fields)
}

static HTML_URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)\b(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))"#)
        .expect("valid regex")
});

/// The `href` and `src` values of a raw HTML fragment, `&amp;` decoded, each with the byte
/// offset of its attribute in `html`.
pub fn html_urls(html: &str) -> impl Iterator<Item = (usize, String)> + '_ {
    HTML_URL.captures_iter(html).filter_map(|c| {
        let m = c.get(1).or_else(|| c.get(2)).or_else(|| c.get(3))?;
        Some((c.get(0)?.start(), m.as_str().replace("&amp;", "&")))
    })
}

/// Raw HTML fragments read in document order, with their comments (`<!-- … -->`, which may
/// run over several fragments: an HTML block comes a line at a time) blanked out. A comment is
/// never shown, so what it holds links nothing and publishes no file.
#[derive(Default)]
pub struct HtmlComments {
    /// Whether a comment opened in an earlier fragment is still open.
    open: bool,
}

impl HtmlComments {
    /// `html` with every byte of its comments turned into a space (line breaks kept), so that
    /// offsets into it are offsets into the fragment as written; borrowed when it has none.
    pub fn blank<'h>(&mut self, html: &'h str) -> std::borrow::Cow<'h, str> {
        if !self.open && !html.contains("<!--") {
            return html.into();
        }
        let blank = |out: &mut String, s: &str| {
            out.extend(s.bytes().map(|b| if b == b'\n' { '\n' } else { ' ' }));
        };
        let mut out = String::with_capacity(html.len());
        let mut rest = html;
        while !rest.is_empty() {
            let (mark, open) = if self.open {
                ("-->", false)
            } else {
                ("<!--", true)
            };
            let Some(at) = rest.find(mark) else {
                match self.open {
                    true => blank(&mut out, rest),
                    false => out.push_str(rest),
                }
                break;
            };
            let end = at + mark.len();
            match self.open {
                true => blank(&mut out, &rest[..end]),
                false => {
                    out.push_str(&rest[..at]);
                    blank(&mut out, &rest[at..end]);
                }
            }
            self.open = open;
            rest = &rest[end..];
        }
        out.into()
    }
}

/// The destinations of a Markdown text's links and images, and the `href`/`src` values of its
/// raw HTML outside comments, in order. Code is not looked into.
fn link_dests(markdown: &str) -> Vec<String> {
    let options = Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES;
    let mut dests = Vec::new();
    let mut comments = HtmlComments::default();
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                dests.push(dest_url.to_string());
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                dests.extend(html_urls(&comments.blank(&h)).map(|(_, url)| url));
            }
            _ => {}
        }
    }
    dests
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_images_references_and_raw_html_are_found() {
        let md = "见[附件](报名表.docx)和![现场](/images/a.jpg \"标题\")。\n\n[名单][1]\n\n\
                  [1]: /files/%E5%90%8D%E5%8D%95.xlsx\n\n<a href='x.pdf'>x</a> <img src=y.png>\n\n\
                  ```\n[不是链接](z.doc)\n```\n";
        assert_eq!(
            link_dests(md),
            [
                "报名表.docx",
                "/images/a.jpg",
                "/files/%E5%90%8D%E5%8D%95.xlsx",
                "x.pdf",
                "y.png"
            ]
        );
    }

    /// A link commented out, in a block over several lines or inline, links nothing.
    #[test]
    fn links_in_html_comments_are_not_links() {
        let md = "<!--\n<a href=\"名单.xlsx\">名单</a>\n-->\n\n<a href=\"a.pdf\">a</a>\n\n\
                  文字<!-- <img src=\"b.png\"> -->和<img src=\"c.png\">\n";
        assert_eq!(link_dests(md), ["a.pdf", "c.png"]);
    }

    #[test]
    fn comments_are_blanked_byte_for_byte() {
        let mut c = HtmlComments::default();
        let text = "<p>甲<!-- 乙 -->丙</p>";
        let blanked = c.blank(text);
        assert_eq!(blanked.len(), text.len());
        assert!(
            blanked.starts_with("<p>甲 ") && blanked.ends_with(" 丙</p>"),
            "{blanked}"
        );
        assert!(!blanked.contains('乙'));
        // Open at a fragment's end: the next fragment is inside it up to `-->`.
        assert_eq!(c.blank("<b><!-- x"), "<b>      ");
        assert_eq!(c.blank("<a href=y>\n"), "          \n");
        assert_eq!(c.blank("--> <i>"), "    <i>");
        assert!(matches!(c.blank("<i>"), std::borrow::Cow::Borrowed(_)));
    }
}
