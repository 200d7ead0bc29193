//! Markdown → HTML with pulldown-cmark: heading ids and TOC, `<!-- more -->` summaries,
//! site-absolute links under the base path, raw-HTML policy, and syntect code highlighting.

use std::sync::LazyLock;

use pulldown_cmark::{
    CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html,
};
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

use crate::content::slug::slugify;

pub mod cjk;

/// Loaded once per process: building it costs milliseconds, far more than a page.
static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);

/// The class prefix of highlighted tokens; the theme's `syntax.css` styles `.hl-*`.
const HIGHLIGHT_PREFIX: &str = "hl-";

pub const MORE_MARKER: &str = "<!-- more -->";

/// How to render: where site-absolute links point and whether raw HTML passes.
#[derive(Debug, Clone, Copy)]
pub struct MarkdownOptions<'a> {
    /// Base URL path (`/sub` or empty) put before links written as `/path`.
    pub base_path: &'a str,
    pub unsafe_html: bool,
}

/// One heading, for a table of contents.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// A rendered body.
#[derive(Debug, Default)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<Heading>,
    /// The body's text without markup, for summaries and counts.
    pub text: String,
}

/// The summary: the body before `<!-- more -->` rendered, else `None` (see [`summary_from_text`]).
pub fn summary_before_more(body: &str, opts: MarkdownOptions) -> Option<String> {
    let cut = body.find(MORE_MARKER)?;
    Some(render(&body[..cut], opts).html)
}

/// The body's opening text, for a summary when there is no `<!-- more -->` or description.
/// Parses only as far as needed: pulldown-cmark is lazy, so a long body is not read whole.
/// Code blocks are skipped; a summary of code says nothing.
pub fn opening_text(body: &str, min_chars: usize) -> String {
    let body = cjk::prepare(body);
    let mut text = String::new();
    let mut chars = 0;
    let mut in_code = false;
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH;
    let mut events = Parser::new_ext(&body, options).peekable();
    while let Some(event) = events.next() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(t) | Event::Code(t) if !in_code => {
                let t = strip_zwsp(t);
                chars += t.chars().count();
                text.push_str(&t);
            }
            Event::SoftBreak => {
                let next = match events.peek() {
                    Some(Event::Text(t)) => t.chars().find(|&c| c != cjk::ZWSP),
                    _ => None,
                };
                if !cjk::joins_without_space(text.chars().last(), next) {
                    text.push(' ');
                }
            }
            Event::HardBreak => text.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => {
                if chars > min_chars {
                    break;
                }
                text.push('\n');
            }
            _ => {}
        }
    }
    text
}

/// SPEC's fallback summary: the text up to and including the last 。！？ within its first 120
/// characters, else its first 120 characters and `…`. Never cuts inside a character.
pub fn summary_from_text(text: &str) -> String {
    const LIMIT: usize = 120;
    let text = text.trim();
    let head: String = text.chars().take(LIMIT).collect();
    if head.len() == text.len() {
        return head;
    }
    match head.rfind(['。', '！', '？']) {
        Some(i) => head[..i + '。'.len_utf8()].to_string(),
        None => format!("{head}…"),
    }
}

/// Han characters and other words (runs of letters or digits) in a text, counted in one pass.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TextCount {
    pub han: usize,
    pub other_words: usize,
}

impl TextCount {
    pub fn of(text: &str) -> TextCount {
        let mut count = TextCount::default();
        let mut in_word = false;
        for c in text.chars() {
            if !c.is_ascii() && is_han(c) {
                count.han += 1;
                in_word = false;
            } else if c.is_ascii_alphanumeric()
                || (!c.is_ascii() && !is_cjk_punctuation(c) && c.is_alphanumeric())
            {
                if !in_word {
                    count.other_words += 1;
                }
                in_word = true;
            } else {
                in_word = false;
            }
        }
        count
    }

    /// Words as a Chinese reader counts them: each Han character is one.
    pub fn words(self) -> usize {
        self.han + self.other_words
    }

    /// Minutes to read at 400 Han characters or 200 other words a minute, at least 1.
    pub fn reading_minutes(self) -> usize {
        let minutes = self.han as f64 / 400.0 + self.other_words as f64 / 200.0;
        (minutes.ceil() as usize).max(1)
    }
}

/// Counts words as a Chinese reader does: each Han character is one, each run of Latin letters
/// or digits is one.
pub fn word_count(text: &str) -> usize {
    TextCount::of(text).words()
}

/// Minutes to read at 400 Han characters or 200 Latin words a minute, at least 1.
pub fn reading_minutes(text: &str) -> usize {
    TextCount::of(text).reading_minutes()
}

/// Punctuation common in Chinese text, answered without a Unicode table lookup.
fn is_cjk_punctuation(c: char) -> bool {
    matches!(c, '\u{2000}'..='\u{206F}' | '\u{3000}'..='\u{303F}' | '\u{FF01}'..='\u{FF0F}' | '\u{FF1A}'..='\u{FF20}' | '\u{FF3B}'..='\u{FF40}' | '\u{FF5B}'..='\u{FF65}')
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{20000}'..='\u{2FFFF}' | '\u{F900}'..='\u{FAFF}')
}

/// Renders a Markdown body.
pub fn render(body: &str, opts: MarkdownOptions) -> Rendered {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS;
    let body = cjk::prepare(body);
    let events: Vec<Event> = Parser::new_ext(&body, options).collect();
    let mut out = Rendered::default();
    let events = transform(events, opts, &mut out);
    out.html.reserve(body.len() * 3 / 2);
    html::push_html(&mut out.html, events.into_iter());
    out
}

/// Rewrites the event stream: ids on headings, links under the base path, code highlighting,
/// raw HTML per policy; collects TOC and text on the way.
fn transform<'a>(
    events: Vec<Event<'a>>,
    opts: MarkdownOptions,
    out: &mut Rendered,
) -> Vec<Event<'a>> {
    let mut result = Vec::with_capacity(events.len());
    let mut used_ids: Vec<String> = Vec::new();
    let mut last_char: Option<char> = None;
    let mut iter = events.into_iter().peekable();
    while let Some(event) = iter.next() {
        match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                // Gather the heading's inner events to learn its text before emitting it.
                let mut inner = Vec::new();
                for e in iter.by_ref() {
                    if matches!(e, Event::End(TagEnd::Heading(_))) {
                        break;
                    }
                    inner.push(e);
                }
                let title = plain_text(&inner);
                let id = match id {
                    Some(explicit) => explicit.to_string(),
                    None => unique_id(&title, &mut used_ids),
                };
                out.toc.push(Heading {
                    level: heading_number(level),
                    id: id.clone(),
                    title: title.clone(),
                });
                push_text(&mut out.text, &title);
                result.push(Event::Start(Tag::Heading {
                    level,
                    id: Some(CowStr::from(id)),
                    classes,
                    attrs,
                }));
                result.extend(inner.into_iter().map(|e| rewrite_inline(e, opts)));
                result.push(Event::End(TagEnd::Heading(level)));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let mut code = String::new();
                for e in iter.by_ref() {
                    match e {
                        Event::Text(t) => code.push_str(&t),
                        Event::End(TagEnd::CodeBlock) => break,
                        _ => {}
                    }
                }
                let lang = match &kind {
                    CodeBlockKind::Fenced(info) => info.split([' ', ',', '{']).next().unwrap_or(""),
                    CodeBlockKind::Indented => "",
                };
                result.push(Event::Html(CowStr::from(highlight(&code, lang))));
            }
            Event::Text(t) => {
                let t = strip_zwsp(t);
                push_text(&mut out.text, &t);
                last_char = t.chars().last().or(last_char);
                result.push(Event::Text(t));
            }
            Event::Code(ref t) => {
                push_text(&mut out.text, t);
                result.push(event);
            }
            Event::SoftBreak => {
                let next = match iter.peek() {
                    Some(Event::Text(t)) => t.chars().find(|&c| c != cjk::ZWSP),
                    _ => None,
                };
                // A line wrapped inside a Chinese sentence is no gap in the browser.
                if !cjk::joins_without_space(last_char, next) {
                    out.text.push(' ');
                    result.push(event);
                }
            }
            Event::HardBreak => {
                out.text.push(' ');
                result.push(event);
            }
            Event::End(TagEnd::Paragraph) => {
                out.text.push('\n');
                result.push(event);
            }
            other => result.push(rewrite_inline(other, opts)),
        }
    }
    result
}

/// Removes the zero-width spaces [`cjk::prepare`] inserted.
fn strip_zwsp(t: CowStr<'_>) -> CowStr<'_> {
    if t.contains(cjk::ZWSP) {
        CowStr::from(t.replace(cjk::ZWSP, ""))
    } else {
        t
    }
}

fn push_text(buf: &mut String, t: &str) {
    buf.push_str(t);
}

fn heading_number(level: HeadingLevel) -> u8 {
    level as u8
}

fn plain_text(events: &[Event]) -> String {
    let mut s = String::new();
    for e in events {
        if let Event::Text(t) | Event::Code(t) = e {
            s.push_str(t);
        }
    }
    s
}

/// A heading id from its text, made unique within the page (`-1`, `-2` …).
fn unique_id(title: &str, used: &mut Vec<String>) -> String {
    let base = match slugify(title) {
        s if s.is_empty() => "section".to_string(),
        s => s,
    };
    let mut id = base.clone();
    let mut n = 1;
    while used.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    used.push(id.clone());
    id
}

/// Links and images written `/path` get the base path; raw HTML follows the site's policy.
fn rewrite_inline<'a>(event: Event<'a>, opts: MarkdownOptions) -> Event<'a> {
    match event {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: under_base(dest_url, opts.base_path),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: under_base(dest_url, opts.base_path),
            title,
            id,
        }),
        Event::Html(h) | Event::InlineHtml(h) if !opts.unsafe_html => {
            // Comments (like the summary marker) are harmless and invisible; other raw HTML
            // is shown as text so staff can see it was not published as markup.
            if h.trim_start().starts_with("<!--") {
                Event::Html(CowStr::from(""))
            } else {
                Event::Text(h)
            }
        }
        Event::Html(h) => Event::Html(CowStr::from(sanitize_html(&h))),
        Event::InlineHtml(h) => Event::InlineHtml(CowStr::from(sanitize_html(&h))),
        other => other,
    }
}

fn under_base<'a>(url: CowStr<'a>, base_path: &str) -> CowStr<'a> {
    if !base_path.is_empty() && url.starts_with('/') && !url.starts_with("//") {
        CowStr::from(format!("{base_path}{url}"))
    } else {
        url
    }
}

static SCRIPT_RE: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r"(?is)<script\b.*?(</script\s*>|$)|</?script\b[^>]*>").unwrap()
});
static HANDLER_RE: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r#"(?i)\s+on[a-z]+\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)"#).unwrap()
});
static JS_URL_RE: LazyLock<regex::Regex> =
    LazyLock::new(|| regex::Regex::new(r"(?i)j\s*a\s*v\s*a\s*s\s*c\s*r\s*i\s*p\s*t\s*:").unwrap());

/// Raw HTML minus scripts, event handlers and `javascript:` URLs (SPEC `unsafe_html`).
pub fn sanitize_html(h: &str) -> String {
    let h = SCRIPT_RE.replace_all(h, "");
    let h = HANDLER_RE.replace_all(&h, "");
    JS_URL_RE.replace_all(&h, "about:blank#").into_owned()
}

/// A fenced block as `<pre>` with syntect classes when the language is known, plain otherwise.
fn highlight(code: &str, lang: &str) -> String {
    let escaped_lang = html_escape(lang);
    let syntax = (!lang.is_empty())
        .then(|| SYNTAXES.find_syntax_by_token(lang))
        .flatten();
    let Some(syntax) = syntax else {
        let class = if lang.is_empty() {
            String::new()
        } else {
            format!(" class=\"language-{escaped_lang}\"")
        };
        return format!("<pre><code{class}>{}</code></pre>\n", html_escape(code));
    };
    let mut generator = ClassedHTMLGenerator::new_with_class_style(
        syntax,
        &SYNTAXES,
        ClassStyle::SpacedPrefixed {
            prefix: HIGHLIGHT_PREFIX,
        },
    );
    for line in LinesWithEndings::from(code) {
        if generator
            .parse_html_for_line_which_includes_newline(line)
            .is_err()
        {
            return format!(
                "<pre><code class=\"language-{escaped_lang}\">{}</code></pre>\n",
                html_escape(code)
            );
        }
    }
    format!(
        "<pre class=\"highlight\"><code class=\"language-{escaped_lang}\">{}</code></pre>\n",
        generator.finalize()
    )
}

pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const OPTS: MarkdownOptions = MarkdownOptions {
        base_path: "/sub",
        unsafe_html: false,
    };

    #[test]
    fn chinese_headings_get_pinyin_ids_and_unique_suffixes() {
        let r = render("## 会议议程\n\n## 会议议程\n\n## FAQ\n", OPTS);
        assert!(r.html.contains("<h2 id=\"hui-yi-yi-cheng\">"), "{}", r.html);
        assert!(r.html.contains("<h2 id=\"hui-yi-yi-cheng-1\">"));
        assert!(r.html.contains("<h2 id=\"faq\">"));
        assert_eq!(r.toc.len(), 3);
    }

    #[test]
    fn extensions_are_on() {
        let r = render(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~删~~ 注[^1]\n\n[^1]: 脚注\n\n- [x] 完成\n",
            OPTS,
        );
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("<del>删</del>"));
        assert!(r.html.contains("footnote"));
        assert!(r.html.contains("type=\"checkbox\""));
    }

    #[test]
    fn site_absolute_links_get_the_base_path() {
        let r = render(
            "[a](/news/) [b](rel/) [c](https://x.cn/) ![i](/images/a.png)",
            OPTS,
        );
        assert!(r.html.contains("href=\"/sub/news/\""));
        assert!(r.html.contains("href=\"rel/\""));
        assert!(r.html.contains("href=\"https://x.cn/\""));
        assert!(r.html.contains("src=\"/sub/images/a.png\""));
    }

    #[test]
    fn raw_html_is_escaped_unless_allowed_and_then_sanitized() {
        let r = render(
            "<b onclick=\"x()\">粗</b>\n\n<script>alert(1)</script>\n",
            OPTS,
        );
        assert!(!r.html.contains("<b"));
        let open = MarkdownOptions {
            unsafe_html: true,
            ..OPTS
        };
        let r = render(
            "<p onclick=\"x()\">段</p>\n\n<script>alert(1)</script>\n\n<a href=\"javascript:alert(1)\">x</a>\n",
            open,
        );
        assert!(r.html.contains("<p>段</p>"), "{}", r.html);
        assert!(!r.html.contains("script"), "{}", r.html);
        assert!(!r.html.contains("javascript:"), "{}", r.html);
    }

    #[test]
    fn code_is_highlighted_with_classes() {
        let r = render("```rust\nfn main() {}\n```\n", OPTS);
        assert!(r.html.contains("class=\"hl-"), "{}", r.html);
        let r = render("```nosuchlang\n<x>\n```\n", OPTS);
        assert!(r.html.contains("&lt;x&gt;"));
    }

    #[test]
    fn summary_cuts_at_sentence_end_or_char_boundary() {
        let long = "政协".repeat(40) + "。" + &"委员".repeat(40);
        let s = summary_from_text(&long);
        assert!(s.ends_with('。'));
        let no_stop = "委".repeat(130);
        let s = summary_from_text(&no_stop);
        assert_eq!(s.chars().count(), 121);
        assert!(s.ends_with('…'));
        assert_eq!(summary_from_text("短文。"), "短文。");
    }

    #[test]
    fn opening_text_skips_code_and_stops_early() {
        let body = format!(
            "## 标题\n\n```rust\nfn x() {{}}\n```\n\n{}\n\n第二段不应读到。",
            "字".repeat(130)
        );
        let t = opening_text(&body, 120);
        assert!(t.starts_with("标题\n"));
        assert!(!t.contains("fn x"));
        assert!(!t.contains("第二段"));
    }

    #[test]
    fn cjk_emphasis_closes_after_chinese_punctuation() {
        let r = render("他说**真，**她也说。\n", OPTS);
        assert!(r.html.contains("<strong>真，</strong>她"), "{}", r.html);
        assert!(!r.html.contains('\u{200B}'));
        let r = render("委员**“协商”**议政\n", OPTS);
        assert!(r.html.contains("<strong>“协商”</strong>"), "{}", r.html);
    }

    #[test]
    fn a_line_wrapped_in_a_chinese_sentence_shows_no_gap() {
        let r = render("政协委员认真\n履行职责。\nThe CPPCC\nmeets.\n", OPTS);
        assert!(r.html.contains("政协委员认真履行职责。"), "{}", r.html);
        assert!(r.html.contains("The CPPCC\nmeets."), "{}", r.html);
        assert_eq!(
            opening_text("政协委员认真\n履行职责。", 120),
            "政协委员认真履行职责。\n"
        );
    }

    #[test]
    fn more_marker_gives_summary() {
        let s = summary_before_more("第一段。\n\n<!-- more -->\n\n第二段。", OPTS).unwrap();
        assert!(s.contains("第一段") && !s.contains("第二段"));
    }

    #[test]
    fn words_count_han_characters() {
        assert_eq!(word_count("政协委员 CPPCC 2024年"), 4 + 1 + 1 + 1);
        assert_eq!(reading_minutes(&"字".repeat(800)), 2);
    }
}
