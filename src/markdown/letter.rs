//! The parts of a 通知 (notice) or letter that are not indented prose: the salutation at its
//! start (`各位委员：`), flush left, and the 落款 at its end (the issuing body and the date),
//! right-aligned. Staff write them as they would in Word — a short first paragraph ending with
//! a colon; one or two short lines and a date line at the end — and the paragraphs get the
//! classes `salutation` and `signature`, which the theme styles. Written as raw HTML
//! (`<p class="signature">…</p>`) they pass the sanitizer too.
//!
//! The layout follows the 党政机关公文格式 (GB/T 9704-2012, 7.2 and 7.3): 主送机关 flush left
//! on the line after the title, 发文机关署名 and 成文日期 at the right below the text.

use pulldown_cmark::{CowStr, Event, Tag};

/// Longest salutation or 落款 line, in characters.
const SHORT: usize = 40;

/// One top-level block: the range of its events, and for a paragraph its text by line.
struct Block {
    start: usize,
    end: usize,
    lines: Option<Vec<String>>,
}

/// Marks the salutation and the 落款 in a body's events (see the module's comment).
pub fn mark(mut events: Vec<Event>) -> Vec<Event> {
    let blocks = top_level_blocks(&events);
    let mut classes: Vec<(usize, &str)> = Vec::new();
    if let Some(first) = blocks.first()
        && blocks.len() > 1
        && first.lines.as_ref().is_some_and(|l| is_salutation(l))
    {
        classes.push((0, "salutation"));
    }
    let signature = signature_blocks(&blocks);
    let from = blocks.len() - signature;
    classes.extend((from..blocks.len()).map(|i| (i, "signature")));
    for (i, class) in classes {
        let b = &blocks[i];
        events[b.start] = Event::Html(CowStr::from(format!("<p class=\"{class}\">")));
        events[b.end] = Event::Html(CowStr::from("</p>\n"));
    }
    events
}

/// The blocks at the top level of the body, in order.
fn top_level_blocks(events: &[Event]) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    let mut lines: Option<Vec<String>> = None;
    for (i, e) in events.iter().enumerate() {
        match e {
            Event::Start(tag) => {
                if depth == 0 {
                    start = i;
                    lines = matches!(tag, Tag::Paragraph).then(|| vec![String::new()]);
                }
                depth += 1;
            }
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    blocks.push(Block {
                        start,
                        end: i,
                        lines: lines.take(),
                    });
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(line) = lines.as_mut().and_then(|l| l.last_mut()) {
                    line.push_str(t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(l) = lines.as_mut() {
                    l.push(String::new());
                }
            }
            // A paragraph holding raw HTML, an image or a rule is not a plain line of text.
            _ if depth == 1 => lines = None,
            _ if depth == 0 => blocks.push(Block {
                start: i,
                end: i,
                lines: None,
            }),
            _ => {}
        }
    }
    blocks
}

/// `各位委员：` — one short line ending with a colon, no sentence in it.
fn is_salutation(lines: &[String]) -> bool {
    let [line] = lines else {
        return false;
    };
    let line = line.trim();
    (line.ends_with('：') || line.ends_with(':'))
        && line.chars().count() <= SHORT
        && !line.contains(['。', '！', '？', '；'])
}

/// How many blocks at the end are the 落款: a paragraph whose last line is a date, all its
/// lines short, and before it up to two short paragraphs without sentence punctuation (the
/// issuing bodies). None when the body would be only the 落款.
fn signature_blocks(blocks: &[Block]) -> usize {
    let Some(last) = blocks.last().and_then(|b| b.lines.as_ref()) else {
        return 0;
    };
    let is_short = |l: &String| {
        let l = l.trim();
        !l.is_empty() && l.chars().count() <= SHORT && !l.contains(['。', '！', '？', '；', '：'])
    };
    if !last.last().is_some_and(|l| is_date(l.trim())) || !last.iter().all(is_short) {
        return 0;
    }
    let mut count = 1;
    while count < 3 && count < blocks.len() {
        match &blocks[blocks.len() - 1 - count].lines {
            Some(lines) if lines.len() == 1 && lines.iter().all(is_short) => count += 1,
            _ => break,
        }
    }
    if count == blocks.len() {
        // Nothing but short lines: a list of dates or names, not a letter.
        return 0;
    }
    count
}

/// `2026年11月20日`, `2026 年 11 月 20 日` or `二〇二六年十一月二十日`.
fn is_date(s: &str) -> bool {
    let compact: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let Some((year, rest)) = compact.split_once('年') else {
        return false;
    };
    let Some((month, rest)) = rest.split_once('月') else {
        return false;
    };
    let Some(day) = rest.strip_suffix('日') else {
        return false;
    };
    let numeral = |s: &str, len: std::ops::RangeInclusive<usize>| {
        len.contains(&s.chars().count())
            && s.chars()
                .all(|c| c.is_ascii_digit() || "〇零一二三四五六七八九十".contains(c))
    };
    numeral(year, 4..=4) && numeral(month, 1..=3) && numeral(day, 1..=3)
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{Parser, html};

    fn render(md: &str) -> String {
        let mut out = String::new();
        html::push_html(&mut out, mark(Parser::new(md).collect()).into_iter());
        out
    }

    #[test]
    fn a_notice_gets_its_salutation_and_signature() {
        let html = render(
            "各位委员：\n\n现将有关事项通知如下。\n\n政协青山区委员会办公室\n\n2026年11月20日\n",
        );
        assert_eq!(
            html,
            "<p class=\"salutation\">各位委员：</p>\n<p>现将有关事项通知如下。</p>\n\
             <p class=\"signature\">政协青山区委员会办公室</p>\n<p class=\"signature\">2026年11月20日</p>\n"
        );
        let joined = render("正文。\n\n政协青山区委员会办公室  \n二〇二六年十一月二十日\n");
        assert!(
            joined.contains("<p class=\"signature\">政协青山区委员会办公室<br />"),
            "{joined}"
        );
    }

    #[test]
    fn prose_is_left_alone() {
        for md in [
            "会议指出：要坚持团结和民主两大主题。\n\n会议强调了以下几点。\n",
            "2026年11月20日\n",
            "正文。\n\n会议于2026年11月20日召开。\n",
            "正文。\n\n- 2026年11月20日\n",
            "注意：\n",
        ] {
            assert!(!render(md).contains("class="), "{md}: {}", render(md));
        }
    }
}
