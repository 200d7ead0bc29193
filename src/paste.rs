//! What pasting from Word or WPS leaves in Markdown, cleaned before it is rendered. A Chinese
//! paragraph indented with spaces, a tab or full-width spaces (U+3000) would become a grey code
//! block, or show its indent on top of the theme's own; zero-width spaces sit in the text
//! unseen. Code is written fenced (```), so an indented line that starts with Chinese is prose.

use std::borrow::Cow;

use crate::markdown::cjk::{self, is_cjk_letter};

/// Characters that take no room and that Word leaves in pasted text: zero-width spaces and
/// joiners, the word joiner, the byte-order mark, Word's optional hyphen (U+00AD, soft hyphen)
/// and the left-to-right and right-to-left marks. Unseen on the page, each would split a word
/// for search and for the 错敏词 and name checks. `import` drops them from a Word file's text too.
pub(crate) const ZERO_WIDTH: [char; 8] = [
    '\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{FEFF}', '\u{00AD}', '\u{200E}', '\u{200F}',
];

/// `body` with pasted indents and zero-width characters removed from prose: outside fenced
/// code, a line indented with spaces, tabs, U+3000 or U+00A0 that begins as Chinese prose
/// (see [`starts_prose`]: `区政协…`, `11月23日，…`) loses its indent, unless it may belong to a
/// list item (the line before it is a list item or indented). Left indented, Markdown would
/// show it as code.
pub fn clean(body: &str) -> Cow<'_, str> {
    let indented_chinese = body.lines().any(|l| indent_len(l).is_some());
    if !indented_chinese && !has_zero_width(body) {
        return body.into();
    }
    let mut out = String::with_capacity(body.len());
    let mut fence: Option<String> = None;
    let mut in_list = false;
    for line in body.split_inclusive('\n') {
        let trimmed = line.trim_start_matches([' ', '\t']);
        if let Some(open) = &fence {
            if trimmed.starts_with(open.as_str()) {
                fence = None;
            }
            out.push_str(line);
            continue;
        }
        if let Some(open) = fence_of(trimmed) {
            fence = Some(open);
            out.push_str(line);
            continue;
        }
        let blank = line.trim().is_empty();
        let mut text = line;
        if let Some(indent) = indent_len(line).filter(|_| !in_list) {
            text = &line[indent..];
        }
        if !blank {
            in_list = is_list_item(line) || (in_list && line.starts_with([' ', '\t']));
        }
        out.extend(text.chars().filter(|c| !ZERO_WIDTH.contains(c)));
    }
    out.into()
}

/// `text` without the [`ZERO_WIDTH`] characters; borrowed when it has none.
pub fn without_zero_width(text: &str) -> Cow<'_, str> {
    if has_zero_width(text) {
        text.replace(ZERO_WIDTH, "").into()
    } else {
        text.into()
    }
}

/// Whether `body` holds one of [`ZERO_WIDTH`]: looked for only where a byte that starts one
/// (`0xC2`, `0xE2`, `0xEF`) stands, found with `memchr`, rather than by decoding every character.
fn has_zero_width(body: &str) -> bool {
    memchr::memchr3_iter(0xC2, 0xE2, 0xEF, body.as_bytes())
        .any(|i| body[i..].starts_with(ZERO_WIDTH))
}

/// The byte length of `line`'s indent when it is spaces, tabs, U+3000 or no-break spaces
/// (U+00A0, which Word pastes) followed by Chinese prose (see [`starts_prose`]).
fn indent_len(line: &str) -> Option<usize> {
    let rest = line.trim_start_matches([' ', '\t', '\u{3000}', '\u{00A0}']);
    let indent = line.len() - rest.len();
    (indent > 0 && starts_prose(rest)).then_some(indent)
}

/// Whether a line starts as Chinese prose does: with a Chinese character, or with a short
/// run of ASCII letters, digits, spaces and `.` `:` `-` right before one (`11月23日，`,
/// `2026年`, `A股`, `1. 第一条`, `9:30，`). Code rarely has a Chinese character there, and
/// `(`, `=`, `/`, quotes and the like end the run, so `print('政协')` or `// 注释` stays code.
fn starts_prose(rest: &str) -> bool {
    const RUN_LIMIT: usize = 12;
    let run = rest
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || b" .:-".contains(b))
        .count();
    let starts_alphanumeric = rest
        .as_bytes()
        .first()
        .is_some_and(u8::is_ascii_alphanumeric);
    (run == 0 || (run <= RUN_LIMIT && starts_alphanumeric))
        && rest[run..].chars().next().is_some_and(is_chinese)
}

/// A Han character or Chinese punctuation (`“`, `《`, `（` …) that starts prose.
fn is_chinese(c: char) -> bool {
    c != '\u{3000}' && (is_cjk_letter(c) || (!c.is_ascii() && cjk::is_punctuation(c)))
}

/// The fence a line opens (```` ``` ```` or `~~~`, three or more), if it opens one.
fn fence_of(trimmed: &str) -> Option<String> {
    for mark in ['`', '~'] {
        let n = trimmed.chars().take_while(|&c| c == mark).count();
        if n >= 3 {
            return Some(mark.to_string().repeat(n));
        }
    }
    None
}

/// A list item: `-`, `*` or `+`, or a number with `.` or `)`, then a space.
fn is_list_item(line: &str) -> bool {
    let t = line.trim_start();
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    let marker = if digits > 0 {
        t[digits..].starts_with(['.', ')']).then_some(digits + 1)
    } else {
        t.starts_with(['-', '*', '+']).then_some(1)
    };
    marker.is_some_and(|m| t[m..].starts_with([' ', '\t']))
}

/// `text` without the full-width spaces that align names in Word (`张　伟`, `李　明`): a run of
/// U+3000 between two Han characters goes, so that searching 张伟 finds it. For the search
/// index only; the page keeps the spaces as written.
pub fn without_alignment_spaces(text: &str) -> Cow<'_, str> {
    if !text.contains('\u{3000}') {
        return text.into();
    }
    let chars: Vec<char> = text.chars().collect();
    let han = |c: Option<&char>| c.is_some_and(|&c| is_cjk_letter(c));
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '\u{3000}' {
            let end = i + chars[i..].iter().take_while(|&&c| c == '\u{3000}').count();
            let between = i > 0 && han(chars.get(i - 1)) && han(chars.get(end));
            if !between {
                out.extend(&chars[i..end]);
            }
            i = end;
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pasted_indents_and_zero_width_spaces_go() {
        assert_eq!(
            clean("    关于召开会议的通知。\n\n    第二段。\n"),
            "关于召开会议的通知。\n\n第二段。\n"
        );
        assert_eq!(clean("\t正文。\n"), "正文。\n");
        assert_eq!(clean("\u{3000}\u{3000}“正文”。\n"), "“正文”。\n");
        assert_eq!(clean("张\u{200B}伟\u{FEFF}。\n"), "张伟。\n");
        assert_eq!(
            clean("四号委\u{AD}员会\u{200E}成立\u{200F}。\n"),
            "四号委员会成立。\n"
        );
    }

    #[test]
    fn pasted_prose_starting_with_digits_or_letters_loses_its_indent_too() {
        for (body, want) in [
            (
                "    11月23日，区政协召开座谈会。\n",
                "11月23日，区政协召开座谈会。\n",
            ),
            ("    2026年是开局之年。\n", "2026年是开局之年。\n"),
            ("    A股市场。\n", "A股市场。\n"),
            ("    9:30，会议开始。\n", "9:30，会议开始。\n"),
            ("\u{3000}\u{3000}11月23日，\n", "11月23日，\n"),
            ("    \u{A0}会议要求。\n", "会议要求。\n"),
            (
                "正文。\n\n    2026年11月23日\n",
                "正文。\n\n2026年11月23日\n",
            ),
        ] {
            assert_eq!(clean(body), want, "{body:?}");
        }
    }

    #[test]
    fn code_lists_and_english_stay() {
        for body in [
            "```\n    代码里的中文\n```\n",
            "~~~~\n\t缩进\n~~~~\n",
            "    let x = 1;\n",
            "    print('政协')\n",
            "    // 注释\n",
            "    x = \"政协\"\n",
            "    a very long english line then 中文\n",
            "    2026\n",
            "- 列表\n\n    续段。\n",
            "1. 第一项\n   说明。\n",
            "正文\u{3000}中间的全角空格。\n",
        ] {
            assert_eq!(clean(body), body, "{body:?}");
        }
    }

    #[test]
    fn names_aligned_with_full_width_spaces_are_indexed_whole() {
        assert_eq!(
            without_alignment_spaces("委员：张　伟、李　　明"),
            "委员：张伟、李明"
        );
        assert_eq!(
            without_alignment_spaces("　　正文，　结束"),
            "　　正文，　结束"
        );
    }

    #[test]
    fn every_zero_width_character_is_seen_among_punctuation_of_the_same_lead_byte() {
        // “ ” — … start with 0xE2 and ＂ with 0xEF, like most of ZERO_WIDTH.
        let plain = "“委员”——说…＂会议＂·§";
        assert!(!has_zero_width(plain));
        for z in ZERO_WIDTH {
            let text = format!("{plain}{z}结束");
            assert!(has_zero_width(&text), "U+{:04X}", z as u32);
            assert!(!clean(&text).contains(z), "U+{:04X}", z as u32);
        }
    }

    #[test]
    fn unchanged_text_is_not_copied() {
        assert!(matches!(clean("普通正文。\n"), Cow::Borrowed(_)));
    }
}
