//! Markdown that suits Chinese.
//!
//! - Emphasis next to Chinese punctuation: CommonMark's flanking rules do not let `**真，**她`
//!   close after `，` because a letter follows, and pulldown-cmark (0.13.6, the newest release)
//!   has no CJK-friendly mode. Before parsing, a zero-width space (U+200B) is put between such a
//!   delimiter run and the punctuation, which makes the run flank; the renderer drops every
//!   U+200B from text afterwards, so none reaches the page.
//! - A line wrapped inside a Chinese sentence: a soft break between two Chinese characters
//!   renders as nothing, not as a space (see [`joins_without_space`]).

use std::borrow::Cow;

/// The marker [`prepare`] inserts; the renderer removes it from text.
pub const ZWSP: char = '\u{200B}';

/// Han, kana and hangul: letters that take no spaces between them.
pub fn is_cjk_letter(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{20000}'..='\u{3FFFF}'
        | '\u{F900}'..='\u{FAFF}' | '\u{3040}'..='\u{30FF}' | '\u{AC00}'..='\u{D7AF}')
}

/// Punctuation as CommonMark's flanking rules see it: ASCII punctuation and the punctuation
/// blocks Chinese text uses.
pub fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(c,
            '\u{2010}'..='\u{2027}' | '\u{2030}'..='\u{205E}' | '\u{3000}'..='\u{303F}'
            | '\u{FE10}'..='\u{FE1F}' | '\u{FE30}'..='\u{FE4F}' | '\u{FF01}'..='\u{FF0F}'
            | '\u{FF1A}'..='\u{FF20}' | '\u{FF3B}'..='\u{FF40}' | '\u{FF5B}'..='\u{FF65}')
}

/// Chinese characters and full-width punctuation: a line break between two of them is no space.
fn is_wide(c: char) -> bool {
    is_cjk_letter(c) || (!c.is_ascii() && is_punctuation(c))
}

/// True when a soft line break between `before` and `after` should render as nothing.
pub fn joins_without_space(before: Option<char>, after: Option<char>) -> bool {
    matches!((before, after), (Some(a), Some(b)) if is_wide(a) && is_wide(b))
}

/// Inserts [`ZWSP`] where a `*`, `_` or `~` run sits between punctuation and a CJK letter, so
/// that CommonMark lets it open or close. Code (fenced blocks and inline spans) is left alone.
pub fn prepare(body: &str) -> Cow<'_, str> {
    if !body.contains(['*', '_', '~']) {
        return Cow::Borrowed(body);
    }
    let mut out = String::with_capacity(body.len() + 16);
    let mut fence: Option<(char, usize)> = None;
    for line in body.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let marker = trimmed.chars().next().filter(|c| matches!(c, '`' | '~'));
        if let Some(m) = marker {
            let len = trimmed.chars().take_while(|&c| c == m).count();
            if len >= 3 {
                match fence {
                    None => fence = Some((m, len)),
                    Some((open, open_len)) if open == m && len >= open_len => fence = None,
                    Some(_) => {}
                }
                out.push_str(line);
                continue;
            }
        }
        if fence.is_some() {
            out.push_str(line);
        } else {
            prepare_line(line, &mut out);
        }
    }
    if out == body {
        Cow::Borrowed(body)
    } else {
        Cow::Owned(out)
    }
}

fn prepare_line(line: &str, out: &mut String) {
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '`' {
            // Copy an inline code span whole: from this backtick run to the next of equal length.
            let run = chars[i..].iter().take_while(|&&x| x == '`').count();
            let close = (i + run..chars.len()).find(|&j| {
                chars[j..].iter().take_while(|&&x| x == '`').count() == run
                    && chars.get(j.wrapping_sub(1)) != Some(&'`')
            });
            let end = close.map_or(i + run, |j| j + run);
            out.extend(&chars[i..end]);
            i = end;
            continue;
        }
        // A backslash-escaped `\*` is text, not a delimiter run: a ZWSP between the backslash
        // and the `*` would undo the escape.
        let escaped = chars[..i].iter().rev().take_while(|&&x| x == '\\').count() % 2 == 1;
        if !matches!(c, '*' | '_' | '~') || escaped {
            out.push(c);
            i += 1;
            continue;
        }
        let run = chars[i..].iter().take_while(|&&x| x == c).count();
        let before = i.checked_sub(1).map(|j| chars[j]);
        let after = chars.get(i + run).copied();
        // Closing after punctuation, before a CJK letter: `**真，**她`.
        if before.is_some_and(is_punctuation) && after.is_some_and(is_cjk_letter) {
            out.push(ZWSP);
        }
        out.extend(&chars[i..i + run]);
        // Opening after a CJK letter, before punctuation: `她**“真”**`.
        if before.is_some_and(is_cjk_letter) && after.is_some_and(is_punctuation) {
            out.push(ZWSP);
        }
        i += run;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zwsp_goes_where_flanking_fails() {
        assert_eq!(prepare("**真，**她"), "**真，\u{200B}**她");
        assert_eq!(prepare("她**“真”**说"), "她**\u{200B}“真”\u{200B}**说");
        assert_eq!(prepare("plain **bold** text"), "plain **bold** text");
    }

    #[test]
    fn escaped_delimiters_stay_escaped() {
        assert_eq!(prepare("表。\\*注\\*：见"), "表。\\*注\\*：见");
        assert_eq!(prepare("表。\\\\**注**"), "表。\\\\\u{200B}**注**");
    }

    #[test]
    fn code_is_left_alone() {
        assert_eq!(prepare("`**真，**她`"), "`**真，**她`");
        assert_eq!(prepare("```\n**真，**她\n```\n"), "```\n**真，**她\n```\n");
    }

    #[test]
    fn soft_breaks_between_chinese_join() {
        assert!(joins_without_space(Some('政'), Some('协')));
        assert!(joins_without_space(Some('，'), Some('协')));
        assert!(!joins_without_space(Some('a'), Some('协')));
        assert!(!joins_without_space(Some('政'), None));
    }
}
