//! Walking `w:body` into [`Block`]s: paragraphs (style role, list level, runs) and tables.
//!
//! What is left out, on purpose: deleted text of tracked changes (`w:del`), hidden text
//! (`w:vanish`), field codes (`w:instrText`), text boxes and shapes (their text floats beside
//! the page in Word and has no place in the article's order), headers, footers and comments.

use super::docx::{
    Block, Cell, Inline, Numbering, Para, Rels, Role, Script, Styles, Table, VMerge, num_pr,
};
use std::cell::RefCell;
use std::collections::BTreeMap;

use super::docx::{LevelFormat, chinese_number};
use super::xml::Element;

/// What paragraphs are read against.
pub struct Context<'a> {
    pub styles: &'a Styles,
    pub numbering: &'a Numbering,
    pub rels: &'a Rels,
    /// Where each list numbered in Chinese has counted to, by `numId`, per level.
    pub counters: RefCell<BTreeMap<String, Vec<u32>>>,
}

/// The blocks of `w:body` (or of a table cell, or of `w:sdtContent`), in order.
pub fn blocks(parent: &Element, ctx: &Context) -> Vec<Block> {
    let mut out = Vec::new();
    for el in parent.elements() {
        match el.name.as_str() {
            "p" => out.push(Block::Para(paragraph(el, ctx))),
            "tbl" => out.push(Block::Table(table(el, ctx))),
            "sdt" => {
                if let Some(content) = el.child("sdtContent") {
                    out.extend(blocks(content, ctx));
                }
            }
            "customXml" | "ins" | "moveTo" => out.extend(blocks(el, ctx)),
            _ => {}
        }
    }
    out
}

/// The relationship ids of every image in `blocks`, tables included, in order.
pub fn image_rels(blocks: &[Block]) -> Vec<String> {
    let mut out = Vec::new();
    let add_para = |p: &Para, out: &mut Vec<String>| {
        for i in &p.inlines {
            if let Inline::Image { rel, .. } = i {
                out.push(rel.clone());
            }
        }
    };
    for b in blocks {
        match b {
            Block::Para(p) => add_para(p, &mut out),
            Block::Table(t) => {
                for p in t.rows.iter().flatten().flat_map(|c| &c.paras) {
                    add_para(p, &mut out);
                }
            }
        }
    }
    out
}

fn paragraph(p: &Element, ctx: &Context) -> Para {
    let ppr = p.child("pPr");
    let style = ppr
        .and_then(|p| p.child("pStyle"))
        .and_then(|s| s.attr("val"))
        .unwrap_or("");
    let chain = ctx.styles.chain(style);
    let direct_outline: Option<u8> = ppr
        .and_then(|p| p.child("outlineLvl"))
        .and_then(|o| o.attr("val")?.parse().ok());
    let role = role(&chain, direct_outline);
    let num = ppr
        .and_then(|p| p.child("numPr"))
        .and_then(num_pr)
        .or_else(|| chain.iter().find_map(|s| s.num.clone()));
    // Word's built-in "List Bullet 2" is a list of its own at level 0, indented further: the
    // number in the style's name is a nesting level too.
    let by_name = list_by_name(chain.first().map_or("", |s| s.name.as_str()));
    let (list, prefix) = numbering(ctx, num, by_name);
    let mut state = Inlines::default();
    inline_children(p, ctx, &Format::default(), &mut state);
    let mut inlines = state.out;
    if let Some(prefix) = prefix {
        // The number takes the formatting of the text after it (`**一、总体要求**`).
        let (bold, italic) = inlines
            .iter()
            .find_map(|i| match i {
                Inline::Text { bold, italic, .. } => Some((*bold, *italic)),
                _ => None,
            })
            .unwrap_or_default();
        let text = Inline::Text {
            text: prefix,
            bold,
            italic,
            script: Script::Baseline,
            link: None,
        };
        inlines.insert(0, text);
    }
    // A numbered heading (Word's "1 概述", "1.1 …") is a heading, not a list item.
    Para {
        role,
        list: list.filter(|_| role == Role::Body),
        inlines,
    }
}

/// A numbered paragraph's list membership `(ordered, level)`, or, for a list counting in
/// Chinese numerals, the number to write before its text (`一、`) and no list.
fn numbering(
    ctx: &Context,
    num: Option<(String, usize)>,
    by_name: Option<(bool, usize)>,
) -> (Option<(bool, usize)>, Option<String>) {
    let Some((id, level)) = num else {
        return (by_name, None);
    };
    match ctx.numbering.format(&id, level) {
        _ if id == "0" => (None, None),
        None => (by_name, None),
        Some(LevelFormat::Chinese { pattern, start }) => {
            let mut counters = ctx.counters.borrow_mut();
            let counts = counters.entry(id).or_default();
            counts.resize(level + 1, 0);
            counts[level] = if counts[level] == 0 {
                *start
            } else {
                counts[level] + 1
            };
            let mut text = pattern.clone();
            for (l, n) in counts.iter().enumerate().rev() {
                let shown = if l == level {
                    chinese_number(*n)
                } else {
                    n.to_string()
                };
                text = text.replace(&format!("%{}", l + 1), &shown);
            }
            (None, Some(text))
        }
        Some(f) => {
            let nested = level.max(by_name.map_or(0, |(_, l)| l));
            (Some((*f == LevelFormat::Ordered, nested)), None)
        }
    }
}

/// A style's role: Title, Heading N by name or outline level, else body text.
fn role(chain: &[&super::docx::StyleInfo], direct_outline: Option<u8>) -> Role {
    for s in chain {
        if s.name == "title" || s.name == "标题" {
            return Role::Title;
        }
        let level = s
            .name
            .strip_prefix("heading ")
            .or_else(|| s.name.strip_prefix("标题 "))
            .and_then(|n| n.trim().parse::<u8>().ok());
        if let Some(l) = level.filter(|l| (1..=9).contains(l)) {
            return Role::Heading(l);
        }
    }
    let outline = direct_outline.or_else(|| chain.iter().find_map(|s| s.outline));
    match outline {
        Some(o) if o < 9 => Role::Heading(o + 1),
        _ => Role::Body,
    }
}

/// Lists styled by name only (Word's List Bullet / List Number without a `numPr` we can read).
fn list_by_name(name: &str) -> Option<(bool, usize)> {
    let level = |rest: &str| {
        rest.trim()
            .parse::<usize>()
            .map_or(0, |n| n.saturating_sub(1))
    };
    if let Some(rest) = name.strip_prefix("list bullet") {
        return Some((false, level(rest)));
    }
    name.strip_prefix("list number")
        .map(|rest| (true, level(rest)))
}

/// Run formatting inherited down the tree (a hyperlink's URL included).
#[derive(Debug, Clone, Default)]
struct Format {
    link: Option<String>,
}

/// A paragraph's inlines as they are read, and the complex fields (`w:fldChar`) open at
/// this point: each one's instruction and whether its result has begun.
#[derive(Debug, Default)]
struct Inlines {
    out: Vec<Inline>,
    fields: Vec<(String, bool)>,
}

impl Inlines {
    /// The URL of the innermost `HYPERLINK "…"` field whose result is being read (Word and WPS
    /// write some links as fields rather than `w:hyperlink`); `\l` (a bookmark) is no URL.
    fn field_link(&self) -> Option<String> {
        self.fields.iter().rev().find_map(|(instr, in_result)| {
            let rest = instr.trim().strip_prefix("HYPERLINK")?;
            if !in_result || rest.contains("\\l") {
                return None;
            }
            let url = rest.split('"').nth(1)?.trim();
            (!url.is_empty()).then(|| url.to_string())
        })
    }

    /// `w:fldChar` (begin, separate, end) and `w:instrText`.
    fn field_part(&mut self, el: &Element) {
        match (el.name.as_str(), el.attr("fldCharType")) {
            ("fldChar", Some("begin")) => self.fields.push((String::new(), false)),
            ("fldChar", Some("separate")) => {
                if let Some(f) = self.fields.last_mut() {
                    f.1 = true;
                }
            }
            ("fldChar", Some("end")) => {
                self.fields.pop();
            }
            ("instrText", _) => {
                if let Some(f) = self.fields.last_mut().filter(|f| !f.1) {
                    f.0.push_str(&el.text());
                }
            }
            _ => {}
        }
    }
}

/// Inline content of a paragraph or of an element inside one (hyperlink, smart tag …).
fn inline_children(parent: &Element, ctx: &Context, fmt: &Format, out: &mut Inlines) {
    for el in parent.elements() {
        match el.name.as_str() {
            "r" => run(el, fmt, out),
            "hyperlink" => {
                let url = el
                    .attr("id")
                    .and_then(|id| ctx.rels.external(id))
                    .map(String::from);
                let inner = Format {
                    link: url.or_else(|| fmt.link.clone()),
                };
                inline_children(el, ctx, &inner, out);
            }
            "sdt" => {
                if let Some(c) = el.child("sdtContent") {
                    inline_children(c, ctx, fmt, out);
                }
            }
            "ins" | "smartTag" | "fldSimple" | "customXml" | "moveTo" | "dir" | "bdo" => {
                inline_children(el, ctx, fmt, out)
            }
            _ => {}
        }
    }
}

/// Whether a toggle property (`w:b`, `w:i`) is on: present, and not `val="0"`/`"false"`/`"off"`.
fn toggle(rpr: Option<&Element>, name: &str) -> Option<bool> {
    let el = rpr?.child(name)?;
    Some(!matches!(el.attr("val"), Some("0" | "false" | "off")))
}

fn run(r: &Element, fmt: &Format, state: &mut Inlines) {
    let rpr = r.child("rPr");
    if toggle(rpr, "vanish") == Some(true) {
        return;
    }
    for el in r
        .elements()
        .filter(|e| e.name == "fldChar" || e.name == "instrText")
    {
        state.field_part(el);
    }
    let fmt = &Format {
        link: fmt.link.clone().or_else(|| state.field_link()),
    };
    let out = &mut state.out;
    let style = rpr
        .and_then(|p| p.child("rStyle"))
        .and_then(|s| s.attr("val"))
        .unwrap_or("")
        .to_lowercase();
    let bold = toggle(rpr, "b").unwrap_or(style.contains("strong"));
    let italic = toggle(rpr, "i").unwrap_or(style.contains("emphasis"));
    let script = match rpr
        .and_then(|p| p.child("vertAlign"))
        .and_then(|v| v.attr("val"))
    {
        Some("superscript") => Script::Super,
        Some("subscript") => Script::Sub,
        _ => Script::Baseline,
    };
    let text = |t: String| Inline::Text {
        text: t,
        bold,
        italic,
        script,
        link: fmt.link.clone(),
    };
    for el in r.elements() {
        match el.name.as_str() {
            // A line break inside `w:t` is not Word's (it writes `w:br`): a space, so that no
            // text can start a Markdown block or end an HTML table.
            "t" => out.push(text(el.text().replace(['\r', '\n', '\t'], " "))),
            "tab" => out.push(text(" ".into())),
            "noBreakHyphen" => out.push(text("-".into())),
            "br" if el.attr("type").is_none_or(|t| t == "textWrapping") => out.push(Inline::Break),
            "cr" => out.push(Inline::Break),
            "drawing" => image_of_drawing(el, out),
            "pict" | "object" => image_of_vml(el, out),
            "AlternateContent" => {
                // A picture inside mc:AlternateContent: its fallback is VML or a drawing.
                if let Some(fb) = el.child("Fallback") {
                    let mut inner = Inlines::default();
                    run(fb, fmt, &mut inner);
                    out.extend(inner.out);
                }
            }
            _ => {}
        }
    }
}

/// `w:drawing` (DrawingML): the picture's `a:blip r:embed` (or `r:link`, a picture linked to
/// a file outside the package) and `wp:docPr descr` (or `title`).
fn image_of_drawing(drawing: &Element, out: &mut Vec<Inline>) {
    // A text box or shape holds no blip; its text is not imported (see the module note).
    let Some(rel) = drawing
        .find("blip")
        .and_then(|b| b.attr("embed").or_else(|| b.attr("link")))
        .map(String::from)
    else {
        return;
    };
    let alt = drawing
        .find("docPr")
        .and_then(|d| d.attr("descr").or_else(|| d.attr("title")))
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|s| !s.is_empty());
    out.push(Inline::Image { rel, alt });
}

/// Legacy VML pictures (`w:pict` / `v:imagedata r:id`), as older Word and WPS write them.
fn image_of_vml(pict: &Element, out: &mut Vec<Inline>) {
    let Some(data) = pict.find("imagedata") else {
        return;
    };
    let Some(rel) = data.attr("id").map(String::from) else {
        return;
    };
    let alt = pict
        .find("shape")
        .and_then(|s| s.attr("alt"))
        .or_else(|| data.attr("title"))
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    out.push(Inline::Image { rel, alt });
}

fn table(tbl: &Element, ctx: &Context) -> Table {
    let mut rows = Vec::new();
    for tr in tbl.elements().filter(|e| e.name == "tr") {
        let mut cells = Vec::new();
        for tc in tr.elements().filter(|e| e.name == "tc") {
            let pr = tc.child("tcPr");
            let span = pr
                .and_then(|p| p.child("gridSpan"))
                .and_then(|g| g.attr("val")?.parse::<usize>().ok())
                .unwrap_or(1)
                .clamp(1, 64);
            let merge = match pr.and_then(|p| p.child("vMerge")) {
                None => VMerge::None,
                Some(v) if v.attr("val") == Some("restart") => VMerge::Restart,
                Some(_) => VMerge::Continue,
            };
            let paras = blocks(tc, ctx)
                .into_iter()
                .flat_map(|b| match b {
                    Block::Para(p) => vec![p],
                    // A table inside a cell: its paragraphs, in order.
                    Block::Table(t) => t.rows.into_iter().flatten().flat_map(|c| c.paras).collect(),
                })
                .collect();
            cells.push(Cell { paras, span, merge });
        }
        if !cells.is_empty() {
            rows.push(cells);
        }
    }
    Table { rows }
}
