//! Inline content of one paragraph or cell as Markdown or as HTML: merged formatting runs,
//! escaping, links and images, and what a manual line break becomes.
//!
//! Manual line breaks (Shift+Enter, `<w:br/>`): Word users press them for two reasons — to
//! wrap a long line by hand (copied text, narrow columns), and to set short lines under each
//! other (落款, addresses, lines of a poem). So a break is *joined* (nothing between Chinese
//! characters, a space between Latin words) unless the line before it ends a sentence
//! (`。！？；：…`) or one of the two lines is short (≤ [`SHORT_LINE`] characters); then it stays
//! a line break. A break followed by an indent (U+3000 or spaces) starts a new paragraph, as
//! the indent says it is one (see [`split_paragraphs`]).

use super::docx::{Inline, Script};
use crate::markdown::cjk::joins_without_space;

/// A line this short (in characters) next to a manual break is a line of its own.
pub const SHORT_LINE: usize = 20;

/// Whitespace Word leaves at the start of a line: spaces, tabs, U+3000, no-break spaces.
fn is_indent(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{3000}' | '\u{00A0}')
}

/// Image URL and alt text for a relationship id; `None` drops the image.
pub type ImageRef<'a> = &'a dyn Fn(&str, Option<&str>) -> Option<(String, String)>;

/// A run of text with one formatting.
#[derive(Debug, Clone, PartialEq)]
struct Seg {
    text: String,
    bold: bool,
    italic: bool,
    script: Script,
    link: Option<String>,
}

/// What a paragraph's inlines become before rendering.
#[derive(Debug, Clone, PartialEq)]
enum Piece {
    Seg(Seg),
    HardBreak,
    Image(String, String),
}

/// The plain text of `inlines` (breaks as `\n`).
pub fn plain(inlines: &[Inline]) -> String {
    inlines
        .iter()
        .map(|i| match i {
            Inline::Text { text, .. } => text.as_str(),
            Inline::Break => "\n",
            Inline::Image { .. } => "",
        })
        .collect()
}

/// `inlines` split where a manual break is followed by an indent: each part is a paragraph.
pub fn split_paragraphs(inlines: &[Inline]) -> Vec<Vec<Inline>> {
    let mut parts = vec![Vec::new()];
    for (i, inline) in inlines.iter().enumerate() {
        let indented_next = matches!(inline, Inline::Break)
            && matches!(inlines.get(i + 1), Some(Inline::Text { text, .. }) if text.starts_with(is_indent));
        if indented_next {
            parts.push(Vec::new());
        } else if let Some(last) = parts.last_mut() {
            last.push(inline.clone());
        }
    }
    parts.retain(|p| !plain(p).trim_matches(is_indent).is_empty() || has_image(p));
    parts
}

fn has_image(inlines: &[Inline]) -> bool {
    inlines.iter().any(|i| matches!(i, Inline::Image { .. }))
}

/// Text runs merged, breaks decided, leading and trailing indents trimmed.
fn pieces(inlines: &[Inline], image: ImageRef) -> Vec<Piece> {
    let text = plain(inlines);
    let lines: Vec<&str> = text.split('\n').collect();
    let mut out: Vec<Piece> = Vec::new();
    let mut line = 0;
    let mut at_line_start = true;
    for inline in inlines {
        match inline {
            Inline::Text {
                text,
                bold,
                italic,
                script,
                link,
            } => {
                let mut t = text.as_str();
                if at_line_start {
                    t = t.trim_start_matches(is_indent);
                }
                if t.is_empty() {
                    continue;
                }
                at_line_start = false;
                let seg = Seg {
                    text: t.to_string(),
                    bold: *bold,
                    italic: *italic,
                    script: *script,
                    link: link.clone(),
                };
                push_seg(&mut out, seg);
            }
            Inline::Break => {
                let (before, after) = (lines[line], lines.get(line + 1).copied().unwrap_or(""));
                line += 1;
                trim_end(&mut out);
                if keeps_break(before, after) {
                    out.push(Piece::HardBreak);
                } else if !joins_without_space(last_char(&out), after.trim_start().chars().next()) {
                    push_seg(&mut out, Seg::space());
                }
                at_line_start = true;
            }
            Inline::Image { rel, alt } => {
                if let Some((url, alt)) = image(rel, alt.as_deref()) {
                    out.push(Piece::Image(url, alt));
                    at_line_start = false;
                }
            }
        }
    }
    trim_end(&mut out);
    while matches!(out.last(), Some(Piece::HardBreak)) {
        out.pop();
    }
    out
}

/// Whether a manual break between lines `before` and `after` stays a line break.
fn keeps_break(before: &str, after: &str) -> bool {
    let before = before.trim_matches(is_indent);
    let after = after.trim_matches(is_indent);
    if before.is_empty() || after.is_empty() {
        return false;
    }
    let ends_sentence = before
        .chars()
        .last()
        .is_some_and(|c| "。！？；：…!?;:".contains(c));
    ends_sentence || before.chars().count() <= SHORT_LINE || after.chars().count() <= SHORT_LINE
}

fn last_char(out: &[Piece]) -> Option<char> {
    match out.last() {
        Some(Piece::Seg(s)) => s.text.chars().last(),
        _ => None,
    }
}

fn trim_end(out: &mut Vec<Piece>) {
    while let Some(Piece::Seg(s)) = out.last_mut() {
        let len = s.text.trim_end_matches(is_indent).len();
        s.text.truncate(len);
        if !s.text.is_empty() {
            break;
        }
        out.pop();
    }
}

impl Seg {
    /// A plain space (a joined line break between Latin words).
    fn space() -> Seg {
        Seg {
            text: " ".into(),
            bold: false,
            italic: false,
            script: Script::Baseline,
            link: None,
        }
    }
}

fn push_seg(out: &mut Vec<Piece>, seg: Seg) {
    if let Some(Piece::Seg(last)) = out.last_mut()
        && last.bold == seg.bold
        && last.italic == seg.italic
        && last.script == seg.script
        && last.link == seg.link
    {
        last.text.push_str(&seg.text);
        return;
    }
    // Whitespace alone takes the formatting around it, so runs split at a space still merge.
    if let Some(Piece::Seg(last)) = out.last_mut()
        && seg.text.trim().is_empty()
        && last.link == seg.link
    {
        last.text.push_str(&seg.text);
        return;
    }
    out.push(Piece::Seg(seg));
}

/// `text` (escaped already) inside `<sup>` or `<sub>` when raised or lowered.
fn scripted(text: String, script: Script) -> String {
    match script {
        Script::Baseline => text,
        Script::Super => format!("<sup>{text}</sup>"),
        Script::Sub => format!("<sub>{text}</sub>"),
    }
}

/// `inlines` as Markdown inline text. `in_table`: a pipe-table cell, where breaks are `<br>`.
pub fn markdown(inlines: &[Inline], image: ImageRef, in_table: bool) -> String {
    let pieces = pieces(inlines, image);
    let mut out = String::new();
    let mut i = 0;
    while i < pieces.len() {
        match &pieces[i] {
            Piece::HardBreak if in_table => out.push_str("<br>"),
            Piece::HardBreak => out.push_str("\\\n"),
            Piece::Image(url, alt) => {
                out.push_str(&format!("![{}]({})", escape_md(alt), md_url(url)));
            }
            Piece::Seg(s) => {
                // Consecutive segments of one link are written inside one `[…](url)`.
                let mut j = i;
                while let Some(Piece::Seg(n)) = pieces.get(j + 1)
                    && n.link == s.link
                {
                    j += 1;
                }
                let segs: Vec<&Seg> = pieces[i..=j]
                    .iter()
                    .filter_map(|p| match p {
                        Piece::Seg(s) => Some(s),
                        _ => None,
                    })
                    .collect();
                let text = emphasised(&segs);
                match s
                    .link
                    .as_deref()
                    .filter(|u| crate::markdown::url::is_safe(u))
                {
                    Some(url) => out.push_str(&format!("[{text}]({})", md_url(url))),
                    None => out.push_str(&text),
                }
                i = j;
            }
        }
        i += 1;
    }
    if in_table {
        out
    } else {
        escape_line_starts(&out)
    }
}

/// Segments with `**` and `*` opened and closed as their formatting changes; whitespace at a
/// change stays outside the markers, where CommonMark needs it. Where markers would close and
/// open with nothing between them (`**甲*乙***` then `*丙*`), the delimiter runs would touch
/// and CommonMark could pair them wrongly, so the new ones are written as `<strong>`/`<em>`.
fn emphasised(segs: &[&Seg]) -> String {
    let mut out = String::new();
    // (which, closer) of the markers open, outermost first.
    let mut open: Vec<(char, &str)> = Vec::new();
    let mut pending_ws = String::new();
    for s in segs {
        let want: Vec<char> = [(s.bold, 'b'), (s.italic, 'i')]
            .into_iter()
            .filter_map(|(on, m)| on.then_some(m))
            .collect();
        let core = s.text.trim();
        if core.is_empty() {
            pending_ws.push_str(&s.text);
            continue;
        }
        let lead = &s.text[..s.text.len() - s.text.trim_start().len()];
        let trail = &s.text[s.text.trim_end().len()..];
        let keep = open.iter().take_while(|(m, _)| want.contains(m)).count();
        let closed = open.len() > keep;
        while open.len() > keep {
            out.push_str(open.pop().map_or("", |(_, c)| c));
        }
        let touching = closed && pending_ws.is_empty() && lead.is_empty();
        out.push_str(&pending_ws);
        out.push_str(lead);
        for m in want {
            if open.iter().any(|(o, _)| *o == m) {
                continue;
            }
            let (opener, closer) = match (m, touching) {
                ('b', false) => ("**", "**"),
                ('b', true) => ("<strong>", "</strong>"),
                (_, false) => ("*", "*"),
                (_, true) => ("<em>", "</em>"),
            };
            out.push_str(opener);
            open.push((m, closer));
        }
        out.push_str(&scripted(escape_md(core), s.script));
        pending_ws = trail.to_string();
    }
    while let Some((_, c)) = open.pop() {
        out.push_str(c);
    }
    out.push_str(&pending_ws);
    out
}

/// Characters that would start Markdown syntax, backslash-escaped.
pub fn escape_md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '&' | '~' | '|'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A line that starts like a heading, quote, list item or setext underline gets that start
/// escaped, so typed text (`1. 总体要求`, `# 号`) stays text.
fn escape_line_starts(text: &str) -> String {
    text.split('\n')
        .map(|line| {
            let digits = line.chars().take_while(char::is_ascii_digit).count();
            let after_digits = line[digits..].chars().next();
            if digits > 0 && matches!(after_digits, Some('.' | ')')) {
                format!("{}\\{}", &line[..digits], &line[digits..])
            } else if line.starts_with(['#', '-', '+', '=']) {
                format!("\\{line}")
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A link destination: in `<…>` when it holds spaces or parentheses.
fn md_url(url: &str) -> String {
    if url.contains([' ', '(', ')', '<', '>']) {
        format!("<{}>", url.replace('<', "%3C").replace('>', "%3E"))
    } else {
        url.to_string()
    }
}

/// `inlines` as HTML (for cells of a table with merged cells, which is written as HTML).
pub fn html(inlines: &[Inline], image: ImageRef) -> String {
    let mut out = String::new();
    for p in pieces(inlines, image) {
        match p {
            Piece::HardBreak => out.push_str("<br>"),
            Piece::Image(url, alt) => out.push_str(&format!(
                "<img src=\"{}\" alt=\"{}\">",
                escape_html(&url),
                escape_html(&alt)
            )),
            Piece::Seg(s) => {
                let mut t = scripted(escape_html(&s.text), s.script);
                if s.italic {
                    t = format!("<em>{t}</em>");
                }
                if s.bold {
                    t = format!("<strong>{t}</strong>");
                }
                if let Some(url) = s.link.filter(|u| crate::markdown::url::is_safe(u)) {
                    t = format!("<a href=\"{}\">{t}</a>", escape_html(&url));
                }
                out.push_str(&t);
            }
        }
    }
    out
}

/// Text for HTML element content and attribute values.
pub fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(text: &str, bold: bool, italic: bool) -> Inline {
        Inline::Text {
            text: text.into(),
            bold,
            italic,
            script: Script::Baseline,
            link: None,
        }
    }

    fn scr(text: &str, bold: bool, script: Script) -> Inline {
        Inline::Text {
            text: text.into(),
            bold,
            italic: false,
            script,
            link: None,
        }
    }

    #[test]
    fn superscript_and_subscript_are_sup_and_sub() {
        let got = md(&[
            t("面积1200m", false, false),
            scr("2", false, Script::Super),
            t("，H", false, false),
            scr("2", false, Script::Sub),
            t("O", false, false),
        ]);
        assert_eq!(got, "面积1200m<sup>2</sup>，H<sub>2</sub>O");
        // Inside bold, the markers stay around both.
        let got = md(&[t("m", true, false), scr("3", true, Script::Super)]);
        assert_eq!(got, "**m<sup>3</sup>**");
        let got = html(
            &[t("H", false, false), scr("2", false, Script::Sub)],
            &|_, _| None,
        );
        assert_eq!(got, "H<sub>2</sub>");
    }

    fn md(inlines: &[Inline]) -> String {
        markdown(inlines, &|_, _| None, false)
    }

    #[test]
    fn runs_with_one_formatting_merge_and_spaces_stay_outside_markers() {
        let got = md(&[
            t("会议", false, false),
            t("强调 ", true, false),
            t("要求", true, false),
            t("，", false, false),
        ]);
        assert_eq!(got, "会议**强调 要求**，");
        assert_eq!(
            md(&[
                t("甲", true, false),
                t("乙", true, true),
                t("丙", false, true)
            ]),
            "**甲*乙***<em>丙</em>"
        );
    }

    #[test]
    fn markdown_characters_and_list_like_starts_are_escaped() {
        assert_eq!(
            md(&[t("1. 总体要求*注*", false, false)]),
            "1\\. 总体要求\\*注\\*"
        );
        assert_eq!(md(&[t("# 号 <b>", false, false)]), "\\# 号 \\<b\\>");
    }

    #[test]
    fn breaks_join_inside_a_sentence_and_stay_after_one() {
        let long = "这是一段很长很长很长很长很长很长很长的会议报道文字内容";
        let got = md(&[t(long, false, false), Inline::Break, t(long, false, false)]);
        assert_eq!(got, format!("{long}{long}"));
        let got = md(&[
            t("政协青山区委员会办公室", false, false),
            Inline::Break,
            t("2026年11月20日", false, false),
        ]);
        assert_eq!(got, "政协青山区委员会办公室\\\n2026年11月20日");
        let parts = split_paragraphs(&[
            t("第一段。", false, false),
            Inline::Break,
            t("\u{3000}\u{3000}第二段。", false, false),
        ]);
        assert_eq!(parts.len(), 2);
    }
}
