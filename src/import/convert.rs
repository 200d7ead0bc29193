//! A read [`Document`] → what the page needs: its title, date, source and other labelled
//! lines (taken out of the body), and the Markdown body.

use std::collections::BTreeSet;

use chrono::{FixedOffset, NaiveDate};

use super::dates::DateText;
use super::docx::{Block, Cell, Document, Inline, Para, Role, Table, VMerge};
use super::inline::{self, ImageRef, plain};
use crate::markdown::cjk::joins_without_space;

/// A title longer than this (in characters) is a sentence, not a title.
const TITLE_MAX: usize = 60;
/// Labelled lines (`日期：`, `来源：`) are looked for among this many paragraphs at the start
/// and at the end of the document.
const LABEL_WINDOW: usize = 8;

/// Which labelled lines the page's kind has fields for.
#[derive(Debug, Clone, Copy, Default)]
pub struct Fields {
    pub date: bool,
    pub source: bool,
    pub author: bool,
    pub editor: bool,
}

/// What the document says about itself.
#[derive(Debug, Default, PartialEq)]
pub struct Meta {
    pub title: Option<String>,
    pub date: Option<NaiveDate>,
    pub source: Option<String>,
    pub author: Option<String>,
    pub editor: Option<String>,
    /// A date line's date that does not exist (`2026-11-31`), as written; the line stays.
    pub bad_date: Option<String>,
    /// Blocks taken into the front matter, left out of the body.
    pub used: BTreeSet<usize>,
}

/// A paragraph's text on one line, without indents and zero-width characters, trimmed. A
/// manual break joins as in the body (nothing between Chinese characters, else a space).
fn clean_text(p: &Para) -> String {
    let text = plain(&p.inlines).replace(crate::paste::ZERO_WIDTH, "");
    let mut out = String::new();
    for line in text.split('\n') {
        let line = line.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}');
        if line.is_empty() {
            continue;
        }
        if !out.is_empty() && !joins_without_space(out.chars().last(), line.chars().next()) {
            out.push(' ');
        }
        out.push_str(line);
    }
    out
}

fn para(b: &Block) -> Option<&Para> {
    match b {
        Block::Para(p) => Some(p),
        Block::Table(_) => None,
    }
}

/// Title, date and labelled lines. The title: core properties' `dc:title` (the caller drops
/// one Word filled in, see [`placeholder_title`]), else the Title paragraph, else the first
/// heading, else the first line of text when it is short; the paragraph it came from (or one
/// repeating it) is left out of the body. The date: a `日期：` line, else a date alone in a
/// paragraph near the start or the end (the 落款).
pub fn meta(doc: &Document, fields: Fields, offset: FixedOffset) -> Meta {
    let mut m = Meta::default();
    let texts: Vec<Option<String>> = doc
        .blocks
        .iter()
        .map(|b| para(b).map(clean_text).filter(|t| !t.is_empty()))
        .collect();
    let role = |i: usize| para(&doc.blocks[i]).map(|p| p.role);
    let find =
        |pred: &dyn Fn(usize) -> bool| (0..texts.len()).find(|&i| texts[i].is_some() && pred(i));
    let title_para = find(&|i| role(i) == Some(Role::Title));
    let heading = find(&|i| matches!(role(i), Some(Role::Heading(_))));
    // The first line of text (labelled and date lines aside), when it is short: a title does
    // not hide below the first paragraph (a later short line is a 落款 or a subheading).
    let short = find(&|i| {
        let t = texts[i].as_deref().unwrap_or("");
        label(t).is_none() && date_of(t, offset).is_none()
    })
    .filter(|&i| {
        let t = texts[i].as_deref().unwrap_or("");
        role(i) == Some(Role::Body)
            && para(&doc.blocks[i]).is_some_and(|p| p.list.is_none())
            && t.chars().count() <= TITLE_MAX
            && !t.ends_with(['。', '！', '？', '；', '：'])
    });
    let first_text = texts.iter().position(Option::is_some);
    if let Some(core) = &doc.core_title {
        m.title = Some(core.clone());
        // The Title paragraph is the document's title, never part of the body; a heading or
        // first line repeating the title is left out too.
        m.used.extend(title_para);
        m.used.extend(
            [heading, first_text]
                .into_iter()
                .flatten()
                .filter(|&i| texts[i].as_deref() == Some(core.as_str())),
        );
    } else if let Some(i) = title_para.or(heading).or(short) {
        m.title = texts[i].clone();
        m.used.insert(i);
    }
    labels(doc, &texts, fields, offset, &mut m);
    m
}

/// Whether a core-properties title is one Word or WPS filled in rather than the author:
/// `Microsoft Word - 文档1`, `文档1`, `Document1`, `新建 Microsoft Word 文档`, `WPS 文字`, blank,
/// or the file's own name (`file_stem`).
pub fn placeholder_title(title: &str, file_stem: &str) -> bool {
    let norm = |s: &str| -> String {
        let mut t: String = s
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '\u{3000}')
            .flat_map(char::to_lowercase)
            .collect();
        for ext in [".docx", ".doc", ".wps", ".dotx", ".dot", ".wpt"] {
            if let Some(rest) = t.strip_suffix(ext) {
                t = rest.to_string();
                break;
            }
        }
        // `文档1`, `新建 Microsoft Word 文档 (2)`: the number Word adds.
        let t = t.trim_end_matches(|c: char| c.is_ascii_digit() || "()（）".contains(c));
        t.to_string()
    };
    const FILLED_IN: &[&str] = &[
        "",
        "文档",
        "document",
        "doc",
        "新建microsoftword文档",
        "新建microsoftofficeword文档",
        "新建docx文档",
        "新建doc文档",
        "新建文档",
        "新建wps文字文档",
        "wps文字",
        "wps文档",
        "word文档",
        "microsoftword文档",
        "无标题",
        "untitled",
    ];
    let t = norm(title);
    t.starts_with("microsoftword-") || FILLED_IN.contains(&t.as_str()) || t == norm(file_stem)
}

/// Takes `日期：`, `来源：`, `作者：` and `责任编辑：` lines, and a paragraph that is only a date
/// (or a 落款 whose last line is one), from the start and the end of the document. A date
/// line whose day does not exist stays in the body and is kept in `m.bad_date`.
fn labels(
    doc: &Document,
    texts: &[Option<String>],
    fields: Fields,
    offset: FixedOffset,
    m: &mut Meta,
) {
    let n = texts.len();
    let tail = n.saturating_sub(LABEL_WINDOW).max(LABEL_WINDOW);
    let window: Vec<usize> = (0..n.min(LABEL_WINDOW)).chain(tail..n).collect();
    let mut bare_date: Option<NaiveDate> = None;
    for &i in &window {
        let Some(text) = texts[i].as_deref() else {
            continue;
        };
        let Some(p) = para(&doc.blocks[i]).filter(|p| p.role == Role::Body) else {
            continue;
        };
        if m.used.contains(&i) {
            continue;
        }
        let whole = date_of(text, offset).map(|d| (d, text.to_string()));
        // The 落款's last line, under the issuer's name in the same paragraph.
        let bare = whole.clone().or_else(|| {
            let near_end = i + LABEL_WINDOW >= n;
            let last = (near_end && label(text).is_none()).then(|| last_line(p))?;
            date_of(&last, offset).map(|d| (d, last))
        });
        if let Some((found, written)) = bare.filter(|_| fields.date) {
            match found {
                DateText::Day(date) => {
                    // A date under the title is a dateline; one at the end is the 落款 and stays.
                    bare_date.get_or_insert(date);
                    let dateline = i < LABEL_WINDOW && texts[..i].iter().flatten().count() <= 2;
                    if dateline && whole.is_some() {
                        m.used.insert(i);
                    }
                }
                DateText::NoSuchDay => {
                    m.bad_date.get_or_insert(written);
                }
            }
            continue;
        }
        let Some((key, value)) = label(text) else {
            continue;
        };
        let slot = match key {
            Label::Date if fields.date => {
                match date_of(value, offset) {
                    Some(DateText::Day(d)) => {
                        m.date.get_or_insert(d);
                        m.used.insert(i);
                    }
                    Some(DateText::NoSuchDay) => {
                        m.bad_date.get_or_insert_with(|| value.to_string());
                    }
                    None => {}
                }
                continue;
            }
            Label::Source if fields.source => &mut m.source,
            Label::Author if fields.author => &mut m.author,
            Label::Editor if fields.editor => &mut m.editor,
            _ => continue,
        };
        slot.get_or_insert_with(|| value.to_string());
        m.used.insert(i);
    }
    if fields.date && m.date.is_none() {
        m.date = bare_date;
    }
}

/// The last line of a paragraph with manual breaks, trimmed.
fn last_line(p: &Para) -> String {
    let text = plain(&p.inlines).replace(crate::paste::ZERO_WIDTH, "");
    text.lines()
        .map(|l| l.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}'))
        .rfind(|l| !l.is_empty())
        .unwrap_or("")
        .to_string()
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Label {
    Date,
    Source,
    Author,
    Editor,
}

/// `日期：2026年11月20日` → (Date, `2026年11月20日`); a colon may be full-width or ASCII.
fn label(text: &str) -> Option<(Label, &str)> {
    let (key, value) = text.split_once(['：', ':'])?;
    let key: String = key
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{3000}')
        .collect();
    let label = match key.as_str() {
        "日期" | "时间" | "发布日期" | "发布时间" => Label::Date,
        "来源" | "稿件来源" | "信息来源" => Label::Source,
        "作者" | "撰稿" | "供稿" | "文" => Label::Author,
        "责任编辑" | "责编" | "编辑" => Label::Editor,
        _ => return None,
    };
    let value = value.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}');
    (!value.is_empty()).then_some((label, value))
}

/// A text that is only a date (SPEC's forms, or Chinese numerals as in a 落款), or the form of
/// one with a day that does not exist.
fn date_of(text: &str, offset: FixedOffset) -> Option<DateText> {
    super::dates::parse(text, offset)
}

/// The Markdown body: every block not in `meta.used`, in order.
pub fn body(doc: &Document, used: &BTreeSet<usize>, image: ImageRef) -> String {
    let top = doc
        .blocks
        .iter()
        .filter_map(para)
        .filter_map(|p| match p.role {
            Role::Heading(l) => Some(l),
            _ => None,
        })
        .min()
        .unwrap_or(1);
    let mut out: Vec<String> = Vec::new();
    let mut list: Vec<String> = Vec::new();
    let mut counters: Vec<usize> = Vec::new();
    for (i, block) in doc.blocks.iter().enumerate() {
        if used.contains(&i) {
            continue;
        }
        let item = match block {
            Block::Para(p) if p.list.is_some() => list_item(p, &mut counters, image),
            _ => None,
        };
        if let Some(item) = item {
            list.push(item);
            continue;
        }
        if !list.is_empty() {
            out.push(std::mem::take(&mut list).join("\n"));
            counters.clear();
        }
        match block {
            Block::Para(p) => out.extend(paragraph(p, top, image)),
            Block::Table(t) => out.extend(table(t, image)),
        }
    }
    if !list.is_empty() {
        out.push(list.join("\n"));
    }
    let body = out.join("\n\n") + "\n";
    crate::paste::clean(&body).into_owned()
}

/// A list item, with its marker and the indent of its level; `None` when it is empty.
fn list_item(p: &Para, counters: &mut Vec<usize>, image: ImageRef) -> Option<String> {
    let (ordered, level) = p.list?;
    let level = level.min(8);
    let text = inline::markdown(&p.inlines, image, false).replace("\\\n", "<br>");
    if text.trim().is_empty() {
        return None;
    }
    counters.resize(level + 1, 0);
    counters[level] += 1;
    let marker = if ordered {
        format!("{}.", counters[level])
    } else {
        "-".to_string()
    };
    Some(format!("{}{marker} {text}", "    ".repeat(level)))
}

/// A paragraph as Markdown: a heading (Heading 1 becomes `##`, as the page title is the `#`),
/// or text paragraphs (a manual break before an indent splits it).
fn paragraph(p: &Para, top: u8, image: ImageRef) -> Vec<String> {
    match p.role {
        Role::Heading(_) | Role::Title if !plain(&p.inlines).trim().is_empty() => {
            let l = match p.role {
                Role::Heading(l) => l,
                _ => top,
            };
            let depth = usize::from(l.saturating_sub(top)) + 2;
            // A heading is bold already: bold set on its runs would only add `**`.
            let plain_runs: Vec<Inline> = p
                .inlines
                .iter()
                .map(|i| match i {
                    Inline::Text {
                        text,
                        italic,
                        script,
                        link,
                        ..
                    } => Inline::Text {
                        text: text.clone(),
                        bold: false,
                        italic: *italic,
                        script: *script,
                        link: link.clone(),
                    },
                    other => other.clone(),
                })
                .collect();
            let text = inline::markdown(&plain_runs, image, true).replace("<br>", " ");
            vec![format!("{} {}", "#".repeat(depth.min(6)), text.trim())]
        }
        _ => inline::split_paragraphs(&p.inlines)
            .iter()
            .map(|part| inline::markdown(part, image, false))
            .filter(|t| !t.trim().is_empty())
            .collect(),
    }
}

/// A table: a Markdown pipe table when no cell is merged, else HTML with `colspan`/`rowspan`.
/// The first row is the header row.
fn table(t: &Table, image: ImageRef) -> Option<String> {
    let width = t.rows.first()?.len();
    let simple = t
        .rows
        .iter()
        .all(|r| r.len() == width && r.iter().all(|c| c.span == 1 && c.merge == VMerge::None));
    Some(if simple {
        pipe_table(t, image)
    } else {
        html_table(t, image)
    })
}

fn cell_markdown(c: &Cell, image: ImageRef) -> String {
    let text: Vec<String> = c
        .paras
        .iter()
        .map(|p| inline::markdown(&p.inlines, image, true))
        .filter(|t| !t.trim().is_empty())
        .collect();
    text.join("<br>")
}

fn pipe_table(t: &Table, image: ImageRef) -> String {
    let mut lines = Vec::new();
    for (i, row) in t.rows.iter().enumerate() {
        let cells: Vec<String> = row.iter().map(|c| cell_markdown(c, image)).collect();
        lines.push(format!("| {} |", cells.join(" | ")));
        if i == 0 {
            lines.push(format!("|{}", " --- |".repeat(row.len())));
        }
    }
    lines.join("\n")
}

fn html_table(t: &Table, image: ImageRef) -> String {
    let spans = row_spans(t);
    let mut lines = vec!["<table>".to_string()];
    for (r, row) in t.rows.iter().enumerate() {
        let tag = if r == 0 { "th" } else { "td" };
        let mut line = String::from("<tr>");
        for (c, cell) in row.iter().enumerate() {
            if cell.merge == VMerge::Continue {
                continue;
            }
            let mut attrs = String::new();
            if cell.span > 1 {
                attrs.push_str(&format!(" colspan=\"{}\"", cell.span));
            }
            if spans[r][c] > 1 {
                attrs.push_str(&format!(" rowspan=\"{}\"", spans[r][c]));
            }
            let text: Vec<String> = cell
                .paras
                .iter()
                .map(|p| inline::html(&p.inlines, image))
                .filter(|t| !t.is_empty())
                .collect();
            line.push_str(&format!("<{tag}{attrs}>{}</{tag}>", text.join("<br>")));
        }
        line.push_str("</tr>");
        lines.push(line);
    }
    lines.push("</table>".to_string());
    lines.join("\n")
}

/// For each cell, how many rows it spans: a `vMerge="restart"` cell counts the cells merged
/// into it below, found by their grid column (a cell spanning columns takes several).
fn row_spans(t: &Table) -> Vec<Vec<usize>> {
    let columns: Vec<Vec<usize>> = t
        .rows
        .iter()
        .map(|row| {
            row.iter()
                .scan(0, |col, c| {
                    let start = *col;
                    *col += c.span;
                    Some(start)
                })
                .collect()
        })
        .collect();
    let merged_at = |r: usize, col: usize| {
        columns[r]
            .iter()
            .position(|&c| c == col)
            .is_some_and(|i| t.rows[r][i].merge == VMerge::Continue)
    };
    let mut spans = Vec::new();
    for (r, row) in t.rows.iter().enumerate() {
        let mut row_spans = Vec::new();
        for (i, cell) in row.iter().enumerate() {
            let mut n = 1;
            if cell.merge == VMerge::Restart {
                while r + n < t.rows.len() && merged_at(r + n, columns[r][i]) {
                    n += 1;
                }
            }
            row_spans.push(n);
        }
        spans.push(row_spans);
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::super::docx::Script;
    use super::*;

    fn p(role: Role, text: &str) -> Block {
        Block::Para(Para {
            role,
            list: None,
            inlines: vec![Inline::Text {
                text: text.into(),
                bold: false,
                italic: false,
                script: Script::Baseline,
                link: None,
            }],
        })
    }

    fn offset() -> FixedOffset {
        FixedOffset::east_opt(8 * 3600).unwrap()
    }

    const NEWS: Fields = Fields {
        date: true,
        source: true,
        author: true,
        editor: true,
    };

    #[test]
    fn title_prefers_core_properties_then_title_style_then_heading_then_short_line() {
        let blocks = vec![
            p(Role::Body, "　　区政协召开主席会议"),
            p(Role::Heading(1), "会议议程"),
            p(Role::Title, "文档标题样式"),
        ];
        let mut doc = Document {
            blocks,
            ..Document::default()
        };
        assert_eq!(
            meta(&doc, NEWS, offset()).title.as_deref(),
            Some("文档标题样式")
        );
        doc.core_title = Some("属性中的标题".into());
        let m = meta(&doc, NEWS, offset());
        assert_eq!(m.title.as_deref(), Some("属性中的标题"));
        assert_eq!(
            m.used,
            BTreeSet::from([2]),
            "the Title paragraph never stays in the body"
        );
        doc.core_title = None;
        doc.blocks.pop();
        assert_eq!(
            meta(&doc, NEWS, offset()).title.as_deref(),
            Some("会议议程")
        );
        doc.blocks.remove(1);
        assert_eq!(
            meta(&doc, NEWS, offset()).title.as_deref(),
            Some("区政协召开主席会议")
        );
    }

    #[test]
    fn titles_word_fills_in_are_placeholders() {
        for junk in [
            "Microsoft Word - 文档1",
            "Microsoft Word - 会议通知.doc",
            "文档1",
            "Document1",
            "新建 Microsoft Word 文档",
            "新建 Microsoft Word 文档 (2)",
            "WPS 文字",
            "  ",
            "会议通知(1).docx",
            "会议通知",
        ] {
            assert!(placeholder_title(junk, "会议通知(1)"), "{junk}");
        }
        for real in [
            "关于召开九届五次会议的通知",
            "2026年工作要点",
            "Word 使用培训",
        ] {
            assert!(!placeholder_title(real, "文档1"), "{real}");
        }
    }

    #[test]
    fn a_long_first_paragraph_leaves_no_title_not_a_later_short_line() {
        let long = "为深入学习贯彻党的二十届四中全会精神，区政协定于近期召开九届五次会议，现将有关事项通知如下，请各位委员认真做好会前准备，按时出席会议并提交大会发言材料和提案";
        let doc = Document {
            blocks: vec![
                p(Role::Body, "日期：2026年11月20日"),
                p(Role::Body, long),
                p(Role::Body, "政协青山区委员会办公室"),
            ],
            ..Document::default()
        };
        assert_eq!(meta(&doc, NEWS, offset()).title, None);
    }

    #[test]
    fn a_closing_date_in_chinese_numerals_is_the_date_and_stays() {
        let mut doc = Document {
            blocks: vec![
                p(Role::Body, "关于召开九届五次会议的通知"),
                p(Role::Body, "各位委员："),
                p(Role::Body, "区政协定于12月召开九届五次会议，请准时出席。"),
                p(Role::Body, "政协青山区委员会办公室"),
                p(Role::Body, "二〇二六年十一月二十日"),
                p(Role::Body, ""),
            ],
            ..Document::default()
        };
        let m = meta(&doc, NEWS, offset());
        assert_eq!(m.date, NaiveDate::from_ymd_opt(2026, 11, 20));
        assert_eq!(m.used, BTreeSet::from([0]), "the 落款 stays in the body");
        // An invalid date line: kept in the body, and told.
        doc.blocks[1] = p(Role::Body, "日期：2026-11-31");
        doc.blocks[4] = p(Role::Body, "此页无正文");
        let m = meta(&doc, NEWS, offset());
        assert_eq!(m.date, None);
        assert_eq!(m.bad_date.as_deref(), Some("2026-11-31"));
        assert!(!m.used.contains(&1));
    }

    #[test]
    fn labelled_lines_and_a_dateline_fill_fields_the_kind_has() {
        let doc = Document {
            blocks: vec![
                p(Role::Title, "标题"),
                p(Role::Body, "2026年11月18日"),
                p(Role::Body, "来源 ： 区政协办公室"),
                p(Role::Body, "正文。"),
                p(Role::Body, "责任编辑：周文"),
            ],
            ..Document::default()
        };
        let m = meta(&doc, NEWS, offset());
        assert_eq!(m.date, NaiveDate::from_ymd_opt(2026, 11, 18));
        assert_eq!(m.source.as_deref(), Some("区政协办公室"));
        assert_eq!(m.editor.as_deref(), Some("周文"));
        assert_eq!(m.used, BTreeSet::from([0, 1, 2, 4]));
        // A plain page has no such fields: the lines stay in the body.
        let m = meta(&doc, Fields::default(), offset());
        assert_eq!((m.date, m.source), (None, None));
        assert_eq!(m.used, BTreeSet::from([0]));
    }

    #[test]
    fn a_paragraph_loses_what_word_leaves_unseen() {
        // Every character the build strips from pasted text, each inside a word.
        for zw in crate::paste::ZERO_WIDTH {
            let para = Para {
                role: Role::Body,
                list: None,
                inlines: vec![Inline::Text {
                    text: format!("　　政协{zw}委员 co{zw}operation"),
                    bold: false,
                    italic: false,
                    script: Script::Baseline,
                    link: None,
                }],
            };
            assert_eq!(
                clean_text(&para),
                "政协委员 cooperation",
                "U+{:04X}",
                zw as u32
            );
        }
    }

    #[test]
    fn row_spans_follow_grid_columns_past_a_wide_cell() {
        let cell = |span, merge| Cell {
            paras: Vec::new(),
            span,
            merge,
        };
        // | A (2 cols) | B restart |
        // | C | D      | B cont.   |
        // | E | F      | B cont.   |
        let t = Table {
            rows: vec![
                vec![cell(2, VMerge::None), cell(1, VMerge::Restart)],
                vec![
                    cell(1, VMerge::None),
                    cell(1, VMerge::None),
                    cell(1, VMerge::Continue),
                ],
                vec![
                    cell(1, VMerge::None),
                    cell(1, VMerge::None),
                    cell(1, VMerge::Continue),
                ],
            ],
        };
        assert_eq!(
            row_spans(&t),
            vec![vec![1, 3], vec![1, 1, 1], vec![1, 1, 1]]
        );
        let html = html_table(&t, &|_, _| None);
        assert!(
            html.contains("<th colspan=\"2\"></th><th rowspan=\"3\"></th>"),
            "{html}"
        );
        assert_eq!(html.matches("<td").count(), 4, "{html}");
    }
}
