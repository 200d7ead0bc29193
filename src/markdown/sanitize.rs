//! The allowlist sanitizer for raw HTML in Markdown (SPEC `[markdown] unsafe_html = false`),
//! built on ammonia: what 政协 articles use — tables with merged cells, images and figures,
//! sup/sub, right-aligned 落款 — passes; scripts, event handlers, frames, objects, forms, `base`,
//! `meta` and URLs other than http, https, mailto, tel and relative ones do not.

use std::collections::HashSet;
use std::sync::LazyLock;

use ammonia::Builder;

use super::url::ALLOWED_SCHEMES;

/// CSS properties a `style` attribute may keep: alignment of paragraphs and cells.
const STYLE_PROPERTIES: [&str; 1] = ["text-align"];

/// Allowed tags beyond ammonia's defaults, and defaults removed: landmarks belong to the theme.
const EXTRA_TAGS: [&str; 1] = ["input"];
const REMOVED_TAGS: [&str; 4] = ["nav", "header", "footer", "map"];

static SANITIZER: LazyLock<Builder<'static>> = LazyLock::new(builder);

fn builder() -> Builder<'static> {
    let mut b = Builder::default();
    b.add_tags(EXTRA_TAGS)
        .rm_tags(REMOVED_TAGS)
        // Heading and footnote ids, syntax-highlighting classes, Word's alignment.
        .add_generic_attributes(["id", "class", "style", "align"])
        .add_tag_attributes("a", ["title"])
        .add_tag_attributes("img", ["title", "loading", "decoding"])
        .add_tag_attributes("ol", ["type", "reversed"])
        .add_tag_attributes("li", ["value"])
        // Task-list boxes, always inert.
        .add_tag_attributes("input", ["type", "checked"])
        .set_tag_attribute_value("input", "disabled", "")
        .url_schemes(HashSet::from(ALLOWED_SCHEMES))
        .filter_style_properties(HashSet::from(STYLE_PROPERTIES))
        .link_rel(None);
    b
}

/// Raw HTML nested deeper than this is shown as text instead of being parsed: html5ever's tree
/// builder takes time quadratic in the depth (100,000 unclosed `<div>` took 18 s), and no
/// article nests that deep.
pub const MAX_NESTING: usize = 2000;

/// Follows the nesting of raw HTML fragments in order: `depth` is carried from fragment to
/// fragment, `max` is the deepest seen. An estimate from above: every start tag that is not
/// void or self-closed opens a level and every end tag closes one.
pub fn track_nesting(fragment: &str, depth: &mut usize, max: &mut usize) {
    const VOID: [&str; 14] = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr",
    ];
    for tag in fragment.split('<').skip(1) {
        let end = tag.find('>').unwrap_or(tag.len());
        let inner = &tag[..end];
        if let Some(_closing) = inner.strip_prefix('/') {
            *depth = depth.saturating_sub(1);
            continue;
        }
        let name: String = inner
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() || inner.ends_with('/') || VOID.contains(&name.as_str()) {
            continue;
        }
        *depth += 1;
        *max = (*max).max(*depth);
    }
}

/// Whether the sanitizer keeps an element named `name` (lowercase ASCII): its allowlist asked,
/// so that `check` warns of exactly what publishing removes.
pub fn keeps_tag(name: &str) -> bool {
    static KEPT: LazyLock<HashSet<&'static str>> = LazyLock::new(|| SANITIZER.clone_tags());
    KEPT.contains(name)
}

/// Returns `html` with everything outside the allowlist removed; text is kept, escaped.
pub fn sanitize(html: &str) -> String {
    SANITIZER.clean(html).to_string()
}

/// Like [`sanitize`], with every relative URL made absolute against `base` (a page's full
/// URL): HTML shown away from its page, in a feed.
pub fn sanitize_resolving(html: &str, base: &str) -> String {
    let Ok(base) = ammonia::Url::parse(base) else {
        return sanitize(html);
    };
    let mut b = builder();
    b.url_relative(ammonia::UrlRelative::RewriteWithBase(base));
    b.clean(html).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_articles_use_passes() {
        let html = concat!(
            "<p style=\"text-align:right\">青山区政协办公室</p>",
            "<table><tr><td colspan=\"2\" rowspan=\"3\" align=\"center\">合并</td></tr></table>",
            "<figure><img src=\"/images/a.jpg\" alt=\"现场\" width=\"800\" height=\"600\">",
            "<figcaption>会议现场</figcaption></figure>",
            "<p>m<sup>2</sup> H<sub>2</sub>O</p>",
            "<h2 id=\"hui-yi\">会议</h2><pre><code class=\"language-rust\">x</code></pre>",
        );
        let clean = sanitize(html);
        for kept in [
            "style=\"text-align:right\"",
            "colspan=\"2\"",
            "rowspan=\"3\"",
            "align=\"center\"",
            "<figure>",
            "<figcaption>",
            "width=\"800\"",
            "<sup>2</sup>",
            "<sub>2</sub>",
            "id=\"hui-yi\"",
            "class=\"language-rust\"",
        ] {
            assert!(clean.contains(kept), "{kept} missing from {clean}");
        }
    }

    #[test]
    fn styles_other_than_alignment_are_dropped() {
        let clean = sanitize("<p style=\"text-align:center;background:url(javascript:x)\">a</p>");
        assert_eq!(clean, "<p style=\"text-align:center\">a</p>");
    }

    #[test]
    fn nesting_is_estimated_across_fragments() {
        let (mut depth, mut max) = (0, 0);
        track_nesting("<div><p>a<br>b</p><img src=x>", &mut depth, &mut max);
        track_nesting("<span/></div>", &mut depth, &mut max);
        assert_eq!((depth, max), (0, 2));
        track_nesting(&"<div>".repeat(3000), &mut depth, &mut max);
        assert!(max > MAX_NESTING);
    }

    #[test]
    fn task_list_boxes_stay_inert() {
        let clean = sanitize("<input type=\"checkbox\" checked onclick=\"x()\">");
        assert!(clean.contains("disabled"), "{clean}");
        assert!(!clean.contains("onclick"), "{clean}");
    }
}
