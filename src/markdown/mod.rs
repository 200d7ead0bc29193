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
mod letter;
pub mod sanitize;
pub mod url;

/// Loaded once per process: building it costs milliseconds, far more than a page.
static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);

/// The class prefix of highlighted tokens; the theme's `syntax.css` styles `.hl-*`.
const HIGHLIGHT_PREFIX: &str = "hl-";

pub const MORE_MARKER: &str = "<!-- more -->";

/// How to render: where site-absolute links point, whether raw HTML passes, and the sizes of
/// the site's images (for `width` and `height`). Hashes without the image table: an output's
/// input carries the sizes of the images it shows (see [`crate::images::ImageTable::key_for`]),
/// so that a new photo does not make every output new.
#[derive(Debug, Clone, Copy)]
pub struct MarkdownOptions<'a> {
    /// Base URL path (`/sub` or empty) put before links written as `/path`.
    pub base_path: &'a str,
    pub unsafe_html: bool,
    /// Published sizes of local images; hashes as one number for the whole table.
    pub images: Option<&'a crate::images::ImageTable>,
    /// The site's unpublished pages. A link to one never published (a 提案 with
    /// `public = false`) is written as its text alone: its URL would tell what the 提案 is
    /// about. Drafts and pages not yet due keep their links (they will be published, and
    /// `check` reports them).
    pub withheld: &'a [crate::content::Unpublished],
}

impl std::hash::Hash for MarkdownOptions<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        (self.base_path, self.unsafe_html).hash(state);
        for u in self.withheld.iter().filter(|u| u.private) {
            u.path.hash(state);
        }
    }
}

/// The destinations of the images a Markdown body shows, as written, in order. Parses the body
/// only when it holds `![` at all.
pub fn image_urls(body: &str) -> Vec<String> {
    if !body.contains("![") {
        return Vec::new();
    }
    Parser::new_ext(body, PARSE_OPTIONS)
        .filter_map(|e| match e {
            Event::Start(Tag::Image { dest_url, .. }) => Some(dest_url.into_string()),
            _ => None,
        })
        .collect()
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

/// Where a page lives, for its HTML shown away from it (in lists and feeds).
#[derive(Debug, Clone, Copy)]
pub struct PageUrl<'a> {
    /// The page's site path, `/news/yaowen/a/` (without the base path).
    pub path: &'a str,
    /// `https://example.org`: scheme and host, put before site-absolute links in feeds.
    pub origin: &'a str,
}

/// A summary's HTML twice: for lists on the site (links site-absolute, under the base path)
/// and for feeds (full URLs). Relative links and footnote references point at the page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SummaryHtml {
    pub list: String,
    pub feed: String,
}

/// The summary: the part of the body before `<!-- more -->`, else `None` (see
/// [`summary_from_text`]). The whole body is parsed, so reference links and footnotes defined
/// after the marker work in it; only the events before it are rendered.
pub fn summary_before_more(
    body: &str,
    opts: MarkdownOptions,
    page: PageUrl,
) -> Option<SummaryHtml> {
    if !body.contains(MORE_MARKER) {
        return None;
    }
    let body = cjk::prepare(body);
    let events = events_before_more(&body);
    Some(SummaryHtml {
        list: render_away(events.clone(), opts, page, None),
        feed: render_away(events, opts, page, Some(page.origin)),
    })
}

/// The document's events up to the `<!-- more -->` marker, with the blocks it cuts closed.
fn events_before_more(body: &str) -> Vec<Event<'_>> {
    let mut out = Vec::new();
    let mut open = Vec::new();
    for e in Parser::new_ext(body, PARSE_OPTIONS) {
        if let Event::Html(h) | Event::InlineHtml(h) = &e
            && h.contains(MORE_MARKER)
        {
            break;
        }
        match &e {
            Event::Start(tag) => open.push(tag.to_end()),
            Event::End(_) => {
                open.pop();
            }
            _ => {}
        }
        out.push(e);
    }
    out.extend(open.into_iter().rev().map(Event::End));
    out
}

/// Renders events shown away from their page: links resolved against it, footnote references
/// linked to it, site-absolute links given `origin` when there is one (feeds).
fn render_away(
    events: Vec<Event>,
    opts: MarkdownOptions,
    page: PageUrl,
    origin: Option<&str>,
) -> String {
    let mut events = events;
    mark_figures(&mut events);
    let mut rewriter = Rewriter::new(opts);
    rewriter.escape_raw = !opts.unsafe_html && raw_html_too_deep(&events);
    rewriter.page_path = Some(page.path);
    rewriter.away = Some(Away {
        page_path: page.path,
        origin,
        footnotes: Vec::new(),
    });
    let mut out = Rendered::default();
    let events = transform(events, &mut rewriter, &mut out);
    let mut html = String::new();
    html::push_html(&mut html, events.into_iter());
    if rewriter.raw_html && !opts.unsafe_html {
        let page_url = format!("{}{}{}", page.origin, opts.base_path, page.path);
        html = match origin {
            Some(_) => sanitize::sanitize_resolving(&html, &page_url),
            None => sanitize::sanitize(&html),
        };
    }
    html
}

/// The body's opening text, for a summary when there is no `<!-- more -->` or description.
/// Code blocks are skipped; a summary of code says nothing. pulldown-cmark finds every block of
/// a text before it hands over the first event, so a long body is read from a prefix of it
/// first (`opening_prefix`), and whole only if the prefix holds too little text.
pub fn opening_text(body: &str, min_chars: usize) -> String {
    if let Some(prefix) = opening_prefix(body, min_chars) {
        let (text, stopped) = opening_text_of(prefix, min_chars);
        if stopped {
            return text;
        }
    }
    opening_text_of(body, min_chars).0
}

/// A prefix of `body` whose blocks are those the whole body starts with: cut before a line that
/// follows a blank line and starts with a Han character, which closes every open list, quote,
/// paragraph and table alike in both. `None` for a short body, or one with `]:` (a link
/// reference or footnote definition, which text before it may use).
fn opening_prefix(body: &str, min_chars: usize) -> Option<&str> {
    let from = (min_chars * 16).max(2048);
    if body.len() <= from || memchr::memmem::find(body.as_bytes(), b"]:").is_some() {
        return None;
    }
    let mut at = from;
    while let Some(i) = memchr::memmem::find(&body.as_bytes()[at..], b"\n\n") {
        let next = at + i + 2;
        if body[next..].chars().next().is_some_and(cjk::is_cjk_letter) {
            return Some(&body[..next]);
        }
        at = next - 1;
    }
    None
}

/// The opening text of `body`, and whether it stopped at the end of a block after `min_chars`
/// characters (rather than at the body's end).
fn opening_text_of(body: &str, min_chars: usize) -> (String, bool) {
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
                    return (text, true);
                }
                text.push('\n');
            }
            _ => {}
        }
    }
    (text, false)
}

/// SPEC's fallback summary: the text up to and including the last 。！？ within its first 120
/// characters; else cut at the last ；，、 in the second half of them; else at 120 characters,
/// backing off to the start of a Latin word or number the cut would split — then `…`.
pub fn summary_from_text(text: &str) -> String {
    const LIMIT: usize = 120;
    let text = text.trim();
    let chars: Vec<char> = text.chars().take(LIMIT + 1).collect();
    if chars.len() <= LIMIT {
        return text.to_string();
    }
    let head = &chars[..LIMIT];
    if let Some(i) = head.iter().rposition(|c| matches!(c, '。' | '！' | '？')) {
        return head[..=i].iter().collect();
    }
    if let Some(i) = head
        .iter()
        .rposition(|c| matches!(c, '；' | '，' | '、'))
        .filter(|&i| i >= LIMIT / 2)
    {
        return head[..i].iter().chain(['…'].iter()).collect();
    }
    let mut cut = LIMIT;
    let in_word = |i: usize| {
        chars[i].is_ascii_alphanumeric()
            || chars[i] == '.' && i > 0 && chars[i - 1].is_ascii_digit()
    };
    if in_word(cut) {
        while cut > 0 && in_word(cut - 1) {
            cut -= 1;
        }
    }
    if cut == 0 {
        // One word longer than the limit: cut it rather than show nothing.
        cut = LIMIT;
    }
    let kept: String = head[..cut].iter().collect();
    format!("{}…", kept.trim_end())
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

/// CommonMark with the extensions SPEC names.
const PARSE_OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_FOOTNOTES)
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_TASKLISTS);

/// Renders a Markdown body whose relative image URLs are not resolved (see [`render_at`]).
pub fn render(body: &str, opts: MarkdownOptions) -> Rendered {
    render_at(body, opts, None)
}

/// Renders the Markdown body of the page at site path `page_path` (`/news/a/`), against which
/// relative image URLs are resolved to find their size.
pub fn render_at(body: &str, opts: MarkdownOptions, page_path: Option<&str>) -> Rendered {
    let body = cjk::prepare(body);
    let mut events: Vec<Event> = Parser::new_ext(&body, PARSE_OPTIONS).collect();
    mark_figures(&mut events);
    let mut out = Rendered::default();
    let mut rewriter = Rewriter::new(opts);
    rewriter.page_path = page_path;
    rewriter.escape_raw = !opts.unsafe_html && raw_html_too_deep(&events);
    let events = letter::mark(transform(events, &mut rewriter, &mut out));
    out.html.reserve(body.len() * 3 / 2);
    html::push_html(&mut out.html, events.into_iter());
    if rewriter.raw_html && !opts.unsafe_html {
        // Raw HTML is judged in its context: the whole body, as a browser would parse it.
        out.html = sanitize::sanitize(&out.html);
    }
    out
}

/// The line that starts a 提案's 答复.
pub const REPLY_MARKER: &str = "<!-- reply -->";

/// Whether an HTML line is the 答复 marker as staff write it: [`REPLY_MARKER`] with or without
/// the spaces, in any case, or in Chinese (`<!--reply-->`, `<!-- REPLY -->`, `<!-- 答复 -->`).
fn is_reply_marker(html: &str) -> bool {
    let inner = html
        .trim()
        .strip_prefix("<!--")
        .and_then(|h| h.strip_suffix("-->"))
        .map(str::trim);
    inner.is_some_and(|w| w.eq_ignore_ascii_case("reply") || w == "答复")
}

/// The events of the first top-level HTML block that is the 答复 marker alone:
/// `Start(HtmlBlock)`, its indent as text if indented, the comment, `End(HtmlBlock)`.
fn reply_block(events: &[Event]) -> Option<std::ops::Range<usize>> {
    let mut depth = 0usize;
    for (i, e) in events.iter().enumerate() {
        match e {
            Event::Start(Tag::HtmlBlock) if depth == 0 => {
                let len = events[i..]
                    .iter()
                    .position(|e| matches!(e, Event::End(TagEnd::HtmlBlock)))?;
                let mut html = String::new();
                for e in &events[i + 1..i + len] {
                    match e {
                        Event::Html(h) => html.push_str(h),
                        Event::Text(t) if t.trim().is_empty() => {}
                        _ => html.push('x'),
                    }
                }
                if is_reply_marker(&html) {
                    return Some(i..i + len + 1);
                }
                depth += 1;
            }
            Event::Start(_) => depth += 1,
            Event::End(_) => depth -= 1,
            _ => {}
        }
    }
    None
}

/// Renders a 提案's body: the part before a top-level `<!-- reply -->` line, and the 答复
/// after it (`None` without the line). One parse and one rewrite: heading and footnote ids
/// stay unique across both parts, and the search text holds both.
pub fn render_with_reply(
    body: &str,
    opts: MarkdownOptions,
    page_path: Option<&str>,
) -> (Rendered, Option<String>) {
    let prepared = cjk::prepare(body);
    let mut events: Vec<Event> = Parser::new_ext(&prepared, PARSE_OPTIONS).collect();
    mark_figures(&mut events);
    let Some(block) = reply_block(&events) else {
        return (render_at(body, opts, page_path), None);
    };
    // Math is not enabled, so the parser never makes an `InlineMath`: it stands in for the
    // marker through the rewriter, which passes it on untouched.
    let cut = Event::InlineMath(CowStr::Borrowed(REPLY_MARKER));
    events.splice(block, [cut.clone()]);
    let mut out = Rendered::default();
    let mut rewriter = Rewriter::new(opts);
    rewriter.page_path = page_path;
    rewriter.escape_raw = !opts.unsafe_html && raw_html_too_deep(&events);
    let mut main = transform(events, &mut rewriter, &mut out);
    let at = main.iter().position(|e| *e == cut).unwrap_or(main.len());
    let reply: Vec<Event> = main.drain(at..).skip(1).collect();
    let html_of = |events: Vec<Event>| {
        let mut html = String::new();
        html::push_html(&mut html, letter::mark(events).into_iter());
        if rewriter.raw_html && !opts.unsafe_html {
            html = sanitize::sanitize(&html);
        }
        html
    };
    out.html = html_of(main);
    (out, Some(html_of(reply)))
}

/// Whether the raw HTML among `events` nests deeper than [`sanitize::MAX_NESTING`]: too deep to
/// parse in reasonable time, so it is shown as text (`check` says so).
pub fn raw_html_too_deep(events: &[Event]) -> bool {
    let (mut depth, mut max) = (0, 0);
    for e in events {
        if let Event::Html(h) | Event::InlineHtml(h) = e
            && !is_comment(h)
        {
            sanitize::track_nesting(h, &mut depth, &mut max);
        }
    }
    max > sanitize::MAX_NESTING
}

/// Rewrites the event stream: ids on headings, links under the base path, code highlighting,
/// raw HTML per policy; collects TOC and text on the way.
fn transform<'a>(
    events: Vec<Event<'a>>,
    rewriter: &mut Rewriter,
    out: &mut Rendered,
) -> Vec<Event<'a>> {
    let mut result = Vec::with_capacity(events.len());
    let mut used_ids = HeadingIds::reserving_footnotes(&events);
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
                let inner: Vec<Event> = iter
                    .by_ref()
                    .take_while(|e| !matches!(e, Event::End(TagEnd::Heading(_))))
                    .collect();
                let id = record_heading(level, id, &inner, &mut used_ids, out);
                result.push(Event::Start(Tag::Heading {
                    level,
                    id: Some(CowStr::from(id)),
                    classes,
                    attrs,
                }));
                result.extend(inner.into_iter().filter_map(|e| rewriter.event(e)));
                result.push(Event::End(TagEnd::Heading(level)));
            }
            Event::Start(Tag::CodeBlock(kind)) => result.push(code_block(&kind, iter.by_ref())),
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => result.push(image_event(dest_url, &title, iter.by_ref(), rewriter, out)),
            Event::Html(ref h) if h.as_ref() == FIGURE_OPEN => rewriter.figure = true,
            Event::Html(ref h) if h.as_ref() == FIGURE_CLOSE => block_break(&mut out.text),
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
            // Text of two blocks never joins: search must not match across them.
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::BlockQuote(_)
                | TagEnd::FootnoteDefinition,
            ) => {
                block_break(&mut out.text);
                result.push(event);
            }
            other => result.extend(rewriter.event(other)),
        }
    }
    result
}

/// Records a heading with inner events `inner` in the TOC and the body's text, and gives its id:
/// the one written (`{#id}`), else one made unique from its text.
fn record_heading(
    level: HeadingLevel,
    written: Option<CowStr>,
    inner: &[Event],
    ids: &mut HeadingIds,
    out: &mut Rendered,
) -> String {
    let title = plain_text(inner);
    let id = match written {
        Some(explicit) => explicit.to_string(),
        None => ids.unique(&title),
    };
    push_text(&mut out.text, &title);
    block_break(&mut out.text);
    out.toc.push(Heading {
        level: heading_number(level),
        id: id.clone(),
        title,
    });
    id
}

/// A code block of `kind` as highlighted HTML, from its events up to and including its end.
fn code_block<'a>(kind: &CodeBlockKind, events: impl Iterator<Item = Event<'a>>) -> Event<'a> {
    let mut code = String::new();
    for e in events {
        match e {
            Event::Text(t) => code.push_str(&t),
            Event::End(TagEnd::CodeBlock) => break,
            _ => {}
        }
    }
    let lang = match kind {
        CodeBlockKind::Fenced(info) => info.split([' ', ',', '{']).next().unwrap_or(""),
        CodeBlockKind::Indented => "",
    };
    Event::Html(CowStr::from(highlight(&code, lang)))
}

/// Stand-ins for the start and end of a paragraph that holds one image alone, which becomes
/// a `<figure>`. Markdown text can never hold NUL (the parser replaces it), so no raw HTML
/// equals them.
const FIGURE_OPEN: &str = "\0figure";
const FIGURE_CLOSE: &str = "\0/figure";

/// Marks each paragraph that holds one image with a safe URL and nothing else (the usual
/// `![义诊现场](/images/x.jpg "标题")`): its start and end become [`FIGURE_OPEN`] and
/// [`FIGURE_CLOSE`]. Images among text stay inline.
fn mark_figures(events: &mut [Event]) {
    let mut i = 0;
    while i + 1 < events.len() {
        let opens = matches!(events[i], Event::Start(Tag::Paragraph))
            && matches!(&events[i + 1], Event::Start(Tag::Image { dest_url, .. }) if url::is_safe(dest_url));
        if !opens {
            i += 1;
            continue;
        }
        let mut depth = 0usize;
        let mut end = None;
        for (j, e) in events.iter().enumerate().skip(i + 1) {
            match e {
                Event::Start(Tag::Image { .. }) => depth += 1,
                Event::End(TagEnd::Image) => {
                    depth -= 1;
                    if depth == 0 {
                        end = Some(j);
                        break;
                    }
                }
                _ => {}
            }
        }
        match end {
            Some(j) if matches!(events.get(j + 1), Some(Event::End(TagEnd::Paragraph))) => {
                events[i] = Event::Html(CowStr::Borrowed(FIGURE_OPEN));
                events[j + 1] = Event::Html(CowStr::Borrowed(FIGURE_CLOSE));
                i = j + 2;
            }
            _ => i += 1,
        }
    }
}

/// An image, from its start (`dest`, `title`) through its alt text to its end, as one HTML
/// event (see [`Rewriter::image`]); its alt text alone when its URL is unsafe.
fn image_event<'a>(
    dest: CowStr<'a>,
    title: &str,
    events: impl Iterator<Item = Event<'a>>,
    rewriter: &mut Rewriter,
    out: &mut Rendered,
) -> Event<'a> {
    let inner = image_inner(events);
    let alt = strip_zwsp(CowStr::from(plain_text(&inner))).to_string();
    push_text(&mut out.text, &alt);
    match rewriter.image(dest, title, &alt) {
        Some(html) => Event::Html(CowStr::from(html)),
        None => Event::Text(CowStr::from(alt)),
    }
}

/// An image's inner events (its alt text), up to and including its end; nested images count.
fn image_inner<'a>(events: impl Iterator<Item = Event<'a>>) -> Vec<Event<'a>> {
    let mut depth = 1usize;
    let mut inner = Vec::new();
    for e in events {
        match &e {
            Event::Start(Tag::Image { .. }) => depth += 1,
            Event::End(TagEnd::Image) => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            _ => {}
        }
        inner.push(e);
    }
    inner
}

/// Ends a block in the body's text with a line break, once.
fn block_break(text: &mut String) {
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
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

/// Heading ids given so far in a page, made unique with `-1`, `-2` … in time linear in the
/// number of headings, however many repeat.
#[derive(Default)]
struct HeadingIds {
    used: rustc_hash::FxHashSet<String>,
    /// The next suffix to try for each base id.
    next: rustc_hash::FxHashMap<String, usize>,
}

/// Ids the default theme gives its own elements: a heading must not take them.
pub const THEME_IDS: [&str; 17] = [
    "main",
    "attachments-title",
    "focus",
    "focus-slides",
    "friend-links-title",
    "leaders-title",
    "topics-title",
    "header-q",
    "nav-list",
    "nav-toggle",
    "proposal-reply-title",
    "reader-tools",
    "search-more",
    "search-q",
    "search-results",
    "search-status",
    "side-menu-title",
];

/// Footnote ids get this prefix (`[^1]` → `#fn-1`), so they never meet a heading or theme id.
pub const FOOTNOTE_PREFIX: &str = "fn-";

fn footnote_id(label: &str) -> CowStr<'static> {
    CowStr::from(format!("{FOOTNOTE_PREFIX}{label}"))
}

impl HeadingIds {
    /// Starts with the theme's ids and the page's footnote ids taken.
    fn reserving_footnotes(events: &[Event]) -> Self {
        let mut ids = HeadingIds::default();
        ids.used.extend(THEME_IDS.iter().map(|s| s.to_string()));
        for e in events {
            if let Event::Start(Tag::FootnoteDefinition(label)) = e {
                ids.used.insert(footnote_id(label).to_string());
            }
        }
        ids
    }

    fn unique(&mut self, title: &str) -> String {
        let base = match slugify(title) {
            s if s.is_empty() => "section".to_string(),
            s => s,
        };
        let mut id = base.clone();
        if self.used.contains(&id) {
            let n = self.next.entry(base.clone()).or_insert(1);
            loop {
                id = format!("{base}-{n}");
                *n += 1;
                if !self.used.contains(&id) {
                    break;
                }
            }
        }
        self.used.insert(id.clone());
        id
    }
}

/// Rewrites inline events: links and images written `/path` get the base path, links and
/// images with an unsafe URL lose it (their text stays), and raw HTML is noted for the
/// sanitizer or, with `unsafe_html`, passed unchanged.
struct Rewriter<'o> {
    opts: MarkdownOptions<'o>,
    /// Set when the HTML is shown away from its page (summaries in lists and feeds).
    away: Option<Away<'o>>,
    /// Whether each open link (innermost last) was kept.
    links: Vec<bool>,
    images: Vec<bool>,
    /// Raw HTML other than comments was seen.
    raw_html: bool,
    /// Show raw HTML as text (it nests too deep to parse).
    escape_raw: bool,
    /// The page's site path, for relative image URLs.
    page_path: Option<&'o str>,
    /// The next image is alone in its paragraph: it becomes a figure.
    figure: bool,
}

impl<'o> Rewriter<'o> {
    fn new(opts: MarkdownOptions<'o>) -> Self {
        Rewriter {
            opts,
            away: None,
            links: Vec::new(),
            images: Vec::new(),
            raw_html: false,
            escape_raw: false,
            page_path: None,
            figure: false,
        }
    }

    /// An image as HTML: `<img>` with `width` and `height` when its size is known, inside a
    /// `<figure>` with the title (else the alt text) as caption when it stands alone. `None`
    /// when its URL is unsafe (its alt text stays, as text).
    fn image(&mut self, dest: CowStr, title: &str, alt: &str) -> Option<String> {
        let figure = std::mem::take(&mut self.figure);
        if !url::is_safe(&dest) {
            return None;
        }
        let size = self
            .opts
            .images
            .and_then(|t| t.size_of(&dest, self.page_path));
        let src = self.destination(dest);
        let mut html = String::with_capacity(160);
        if figure {
            html.push_str("<figure class=\"figure\">");
        }
        html.push_str("<img src=\"");
        let _ = pulldown_cmark_escape::escape_href(&mut html, &src);
        html.push_str("\" alt=\"");
        html.push_str(&html_escape(alt));
        html.push('"');
        if !title.is_empty() {
            html.push_str(&format!(" title=\"{}\"", html_escape(title)));
        }
        if let Some(size) = size {
            html.push_str(&format!(
                " width=\"{}\" height=\"{}\"",
                size.width, size.height
            ));
        }
        html.push_str(" loading=\"lazy\" decoding=\"async\">");
        let caption = if title.is_empty() { alt } else { title };
        if figure {
            if !caption.is_empty() {
                html.push_str(&format!(
                    "<figcaption>{}</figcaption>",
                    html_escape(caption)
                ));
            }
            html.push_str("</figure>\n");
        }
        Some(html)
    }

    fn event<'a>(&mut self, event: Event<'a>) -> Option<Event<'a>> {
        match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = self.open(false, dest_url)?;
                Some(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }))
            }
            Event::End(TagEnd::Link) => self.links.pop().unwrap_or(true).then_some(event),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = self.open(true, dest_url)?;
                Some(Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }))
            }
            Event::End(TagEnd::Image) => self.images.pop().unwrap_or(true).then_some(event),
            Event::FootnoteReference(label) => Some(match &mut self.away {
                Some(away) => Event::Html(away.footnote_link(&label, self.opts.base_path)),
                None => Event::FootnoteReference(footnote_id(&label)),
            }),
            Event::Start(Tag::FootnoteDefinition(label)) => {
                Some(Event::Start(Tag::FootnoteDefinition(footnote_id(&label))))
            }
            Event::Html(h) | Event::InlineHtml(h) if self.opts.unsafe_html => Some(Event::Html(h)),
            // Comments (like the summary marker) are invisible; dropping them keeps pages
            // without other raw HTML out of the sanitizer.
            Event::Html(h) | Event::InlineHtml(h) if is_comment(&h) => None,
            Event::Html(h) | Event::InlineHtml(h) if self.escape_raw => Some(Event::Text(h)),
            Event::Html(h) | Event::InlineHtml(h) => {
                self.raw_html = true;
                Some(Event::Html(h))
            }
            other => Some(other),
        }
    }
}

impl Rewriter<'_> {
    /// Opens a link or an image: its destination in the output, or `None` when its URL is
    /// unsafe (the matching end is then dropped too, and the text between stays).
    fn open<'a>(&mut self, image: bool, dest: CowStr<'a>) -> Option<CowStr<'a>> {
        let kept = url::is_safe(&dest) && (image || !self.leads_to_withheld(&dest));
        if image {
            self.images.push(kept);
        } else {
            self.links.push(kept);
        }
        kept.then(|| self.destination(dest))
    }

    /// Where a kept link or image points in the output.
    /// Whether a link to `dest` leads to a page never published (see
    /// [`MarkdownOptions::withheld`]), however it is written: relative, with the base path,
    /// without the last `/`, or to its `index.html`.
    fn leads_to_withheld(&self, dest: &str) -> bool {
        let mut private = self.opts.withheld.iter().filter(|u| u.private).peekable();
        if private.peek().is_none() || url::scheme(dest).is_some() || dest.starts_with("//") {
            return false;
        }
        let page = self.page_path.unwrap_or("/");
        let mut path = url::site_path(page, self.opts.base_path, dest);
        if let Some(dir) = path.strip_suffix("index.html") {
            path.truncate(dir.len());
        }
        if !path.ends_with('/') {
            path.push('/');
        }
        private.any(|u| u.path == path)
    }

    fn destination<'a>(&self, dest: CowStr<'a>) -> CowStr<'a> {
        let Some(away) = &self.away else {
            return under_base(dest, self.opts.base_path);
        };
        let resolved = url::resolve_against(away.page_path, &dest);
        let under = under_base(CowStr::from(resolved), self.opts.base_path);
        match away.origin {
            Some(origin) if under.starts_with('/') && !under.starts_with("//") => {
                CowStr::from(format!("{origin}{under}"))
            }
            _ => under,
        }
    }
}

/// A page's HTML shown away from it.
struct Away<'o> {
    page_path: &'o str,
    /// Scheme and host for full URLs (feeds), or none (lists on the site).
    origin: Option<&'o str>,
    /// Footnote labels in order of first reference: their numbers.
    footnotes: Vec<String>,
}

impl Away<'_> {
    /// A footnote reference as a link to the note on its page, numbered as the page numbers it.
    fn footnote_link(&mut self, label: &str, base_path: &str) -> CowStr<'static> {
        let n = match self.footnotes.iter().position(|l| l == label) {
            Some(i) => i + 1,
            None => {
                self.footnotes.push(label.to_string());
                self.footnotes.len()
            }
        };
        let origin = self.origin.unwrap_or("");
        let href = html_escape(&format!(
            "{origin}{base_path}{}#{}",
            self.page_path,
            footnote_id(label)
        ));
        CowStr::from(format!(
            "<sup class=\"footnote-reference\"><a href=\"{href}\">{n}</a></sup>"
        ))
    }
}

fn is_comment(html: &str) -> bool {
    let h = html.trim();
    h.starts_with("<!--") && h.ends_with("-->")
}

fn under_base<'a>(url: CowStr<'a>, base_path: &str) -> CowStr<'a> {
    if !base_path.is_empty() && url.starts_with('/') && !url.starts_with("//") {
        CowStr::from(format!("{base_path}{url}"))
    } else {
        url
    }
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

/// Escapes text for HTML content and quoted attributes: `& < > " '` (the quote as `&#39;`).
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    pulldown_cmark_escape::escape_html(&mut out, s).expect("a String takes any text");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const OPTS: MarkdownOptions = MarkdownOptions {
        base_path: "/sub",
        unsafe_html: false,
        images: None,
        withheld: &[],
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
    fn raw_html_is_sanitized_unless_the_site_trusts_its_authors() {
        let body = "<p style=\"text-align:right\" onclick=\"x()\">落款</p>\n\n<script>alert(1)</script>\n\n段落<b onmouseover=alert(1)>粗</b>\n";
        let r = render(body, OPTS);
        assert!(
            r.html.contains("<p style=\"text-align:right\">落款</p>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("<b>粗</b>"), "{}", r.html);
        assert!(
            !r.html.contains("script") && !r.html.contains("on"),
            "{}",
            r.html
        );
        let open = MarkdownOptions {
            unsafe_html: true,
            ..OPTS
        };
        let r = render(body, open);
        assert!(r.html.contains("<script>alert(1)</script>"), "{}", r.html);
        assert!(r.html.contains("onclick=\"x()\""), "{}", r.html);
    }

    #[test]
    fn raw_html_nested_too_deep_is_shown_as_text_not_parsed() {
        let body = "<div>".repeat(100_000) + "x\n";
        let r = render(&body, OPTS);
        assert!(r.html.contains("&lt;div&gt;") && !r.html.contains("<div>"));
        let r = render(&("<div>".repeat(50) + "x" + &"</div>".repeat(50)), OPTS);
        assert!(r.html.contains("<div>"), "{}", r.html);
    }

    #[test]
    fn unsafe_link_urls_lose_the_url_and_keep_the_text() {
        for body in [
            "[点击](javascript:alert(1))",
            "[点击](&#106;avascript:alert(1))",
            "[点击](<javascript:alert(1)>)",
            "[点击][r]\n\n[r]: vbscript:msgbox(1)",
            "[点击](data:text/html;base64,PHNjcmlwdD4=)",
            "[点击 ![图](javascript:alert(1))](javascript:alert(2))",
        ] {
            let r = render(body, OPTS);
            assert!(r.html.contains("点击"), "{body}: {}", r.html);
            assert!(
                !r.html.contains("<a") && !r.html.contains("<img"),
                "{body}: {}",
                r.html
            );
        }
        let r = render("<javascript:alert(1)>", OPTS);
        assert!(!r.html.contains("<a"), "{}", r.html);
        let r = render("[好](/news/) [坏](javascript:x) [好](https://x.cn/)", OPTS);
        assert_eq!(r.html.matches("<a ").count(), 2, "{}", r.html);
        assert_eq!(r.html.matches("</a>").count(), 2, "{}", r.html);
    }

    #[test]
    fn footnote_and_heading_ids_never_collide_with_each_other_or_the_theme() {
        let r = render(
            "## Main\n\n## 1\n\n## fn 1\n\n正文[^main][^1]\n\n[^main]: 注一\n\n[^1]: 注二\n",
            OPTS,
        );
        let ids: Vec<&str> = r.toc.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["main-1", "1", "fn-1-1"]);
        assert!(r.html.contains("href=\"#fn-main\""), "{}", r.html);
        assert!(r.html.contains("id=\"fn-main\""), "{}", r.html);
        assert!(r.html.contains("id=\"fn-1\""), "{}", r.html);
        let mut all: Vec<&str> = r
            .html
            .split("id=\"")
            .skip(1)
            .map(|s| &s[..s.find('"').unwrap()])
            .collect();
        all.extend(THEME_IDS);
        let n = all.len();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), n, "{all:?}");
    }

    #[test]
    fn reply_marker_splits_the_body_once_with_ids_unique_across_parts() {
        let body = "## 办理\n\n案由。\n\n<!-- reply -->\n\n## 办理\n\n答复。\n";
        let (main, reply) = render_with_reply(body, OPTS, None);
        let reply = reply.expect("a reply");
        assert!(main.html.contains("id=\"ban-li\"") && main.html.contains("案由"));
        assert!(!main.html.contains("答复"), "{}", main.html);
        assert!(
            reply.contains("id=\"ban-li-1\"") && reply.contains("答复"),
            "{reply}"
        );
        assert!(main.text.contains("案由") && main.text.contains("答复"));
        // Written without its spaces, indented, in capitals or in Chinese, it is the marker.
        for marker in [
            "<!--reply-->",
            "   <!-- reply -->",
            "<!-- REPLY -->",
            "<!-- 答复 -->",
        ] {
            let body = format!("案由。\n\n{marker}\n\n答复。\n");
            let (main, reply) = render_with_reply(&body, OPTS, None);
            assert!(reply.is_some_and(|r| r.contains("答复")), "{marker}");
            assert!(!main.html.contains("答复"), "{marker}: {}", main.html);
        }
        // Inside a code block or a list item the marker is text, not a split.
        for body in [
            "```\n<!-- reply -->\n```\n",
            "- 一\n\n  <!-- reply -->\n\n  二\n",
        ] {
            assert!(render_with_reply(body, OPTS, None).1.is_none(), "{body}");
        }
    }

    #[test]
    fn theme_ids_list_every_id_the_default_theme_writes() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
        let mut found = Vec::new();
        for entry in walkdir::WalkDir::new(dir).into_iter().flatten() {
            if entry.file_type().is_file() {
                let text = std::fs::read_to_string(entry.path()).unwrap();
                for part in text.split(" id=\"").skip(1) {
                    let id = &part[..part.find('"').unwrap()];
                    if !id.contains("{{") {
                        found.push(id.to_string());
                    }
                }
            }
        }
        assert!(!found.is_empty());
        for id in &found {
            assert!(THEME_IDS.contains(&id.as_str()), "add `{id}` to THEME_IDS");
        }
    }

    #[test]
    fn many_equal_headings_get_ids_in_linear_time() {
        let body = "## 会议\n\n".repeat(20_000) + "## 会议-1\n";
        let r = render(&body, OPTS);
        assert_eq!(r.toc.len(), 20_001);
        assert_eq!(r.toc[1].id, "hui-yi-1");
        assert_eq!(r.toc[19_999].id, "hui-yi-19999");
        // A heading whose own slug was taken by a suffix gets the next free one.
        assert_eq!(r.toc[20_000].id, "hui-yi-1-1");
        let ids: std::collections::HashSet<&str> = r.toc.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids.len(), r.toc.len());
        let body: String = (0..30_000).map(|i| format!("## 第{i}条\n\n")).collect();
        let r = render(&body, OPTS);
        assert_eq!(r.toc[29_999].id, "di-29999-tiao");
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
    fn summary_never_cuts_a_latin_word_or_a_number() {
        let text = "委".repeat(115) + "由Zhangsan同志作说明";
        assert_eq!(summary_from_text(&text), "委".repeat(115) + "由…");
        let text = "委".repeat(117) + "面内123.45万元";
        assert_eq!(summary_from_text(&text), "委".repeat(117) + "面内…");
        let text = "委".repeat(80) + "，" + &"员".repeat(60);
        assert_eq!(summary_from_text(&text), "委".repeat(80) + "…");
        // A comma too early is no better than a cut at the limit.
        let text = "委".repeat(10) + "，" + &"员".repeat(130);
        assert_eq!(summary_from_text(&text).chars().count(), 121);
        assert_eq!(summary_from_text(&"a".repeat(200)).chars().count(), 121);
    }

    #[test]
    fn opening_text_from_a_prefix_is_that_of_the_whole_body() {
        let blocks = [
            "- 第一项\n\n- 第二项\n",
            "- 紧凑一\n- 紧凑二\n",
            "> 引文第一段\n>\n> 引文第二段\n",
            "```\n代码\n\n代码中的空行之后\n```\n",
            "<!--\n注释\n\n注释里的空行\n-->\n",
            "<div>\n块\n</div>\n",
            "| 列 | 列 |\n|---|---|\n| 格 | 格 |\n",
            "政协委员围绕*重点工作*开展调研，提出意见建议。\n",
            "标题\n====\n",
            "    缩进的代码\n",
        ];
        let mut bodies = Vec::new();
        for (i, first) in blocks.iter().enumerate() {
            // No text up front (code is skipped), then blocks that may straddle the cut.
            let mut body = format!("```\n{}\n```\n\n", "x".repeat(300 + i * 190));
            for b in blocks.iter().cycle().skip(i).take(blocks.len() * 12) {
                body.push_str(b);
                body.push('\n');
            }
            body.push_str(first);
            bodies.push(body);
        }
        bodies.push(format!(
            "{}\n\n```\n{}\n\n委员\n```\n",
            "y".repeat(3000),
            "z".repeat(50)
        ));
        bodies.push(format!(
            "{}\n\n[链接][a]说明\n\n[a]: /x/\n",
            "委员".repeat(1200)
        ));
        let mut used_prefix = 0;
        for body in &bodies {
            for min in [0, 20, 120, 400] {
                let whole = opening_text_of(body, min).0;
                assert_eq!(opening_text(body, min), whole, "{min}: {body}");
                if opening_prefix(body, min).is_some_and(|p| opening_text_of(p, min).1) {
                    used_prefix += 1;
                }
            }
        }
        assert!(
            used_prefix >= 20,
            "the prefix was read for {used_prefix} cases only"
        );
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
        let s = summary_before_more("第一段。\n\n<!-- more -->\n\n第二段。", OPTS, PAGE).unwrap();
        assert!(s.list.contains("第一段") && !s.list.contains("第二段"));
    }

    const PAGE: PageUrl = PageUrl {
        path: "/news/yaowen/a/",
        origin: "https://zx.example.cn",
    };

    #[test]
    fn summary_uses_references_and_footnotes_defined_after_the_marker() {
        let body = "见[有关部门][bm]的说明[^a]，及[前文](../diao-yan/)。\n\n<!-- more -->\n\n正文。\n\n[bm]: /bu-men/\n\n[^a]: 注释。\n";
        let s = summary_before_more(body, OPTS, PAGE).unwrap();
        assert!(!s.list.contains('['), "{}", s.list);
        assert!(s.list.contains("href=\"/sub/bu-men/\""), "{}", s.list);
        assert!(
            s.list.contains("href=\"/sub/news/yaowen/diao-yan/\""),
            "{}",
            s.list
        );
        assert!(
            s.list.contains("href=\"/sub/news/yaowen/a/#fn-a\">1</a>"),
            "{}",
            s.list
        );
        assert!(
            s.feed
                .contains("href=\"https://zx.example.cn/sub/news/yaowen/diao-yan/\""),
            "{}",
            s.feed
        );
        assert!(
            s.feed
                .contains("href=\"https://zx.example.cn/sub/news/yaowen/a/#fn-a\""),
            "{}",
            s.feed
        );
        assert!(
            !s.list.contains("正文") && !s.list.contains("注释"),
            "{}",
            s.list
        );
    }

    #[test]
    fn summary_cut_inside_a_paragraph_closes_it_and_resolves_raw_html() {
        let body = "开头<a href=\"../x/\">链</a>文字<!-- more -->后文\n";
        let s = summary_before_more(body, OPTS, PAGE).unwrap();
        assert!(
            s.list.starts_with("<p>") && s.list.trim_end().ends_with("</p>"),
            "{}",
            s.list
        );
        assert!(!s.list.contains("后文"), "{}", s.list);
        assert!(
            s.feed
                .contains("href=\"https://zx.example.cn/sub/news/yaowen/x/\""),
            "{}",
            s.feed
        );
    }

    #[test]
    fn text_of_two_blocks_never_joins() {
        let r = render(
            "## 调研\n\n发现问题\n\n- 政协\n- 委员\n\n| 违法 | 行为 |\n|---|---|\n| 甲 | 乙 |\n",
            OPTS,
        );
        for joined in ["调研发现", "政协委员", "违法行为"] {
            assert!(!r.text.contains(joined), "{joined} in {:?}", r.text);
        }
    }

    #[test]
    fn words_count_han_characters() {
        assert_eq!(word_count("政协委员 CPPCC 2024年"), 4 + 1 + 1 + 1);
        assert_eq!(reading_minutes(&"字".repeat(800)), 2);
    }
}
