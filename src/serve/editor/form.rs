//! The form of each kind: which fields the editor shows, how (text, date picker, choices from
//! `config.toml`, member picker, switch), and their labels in Chinese. SPEC's table of kinds.

use serde_json::{Value as Json, json};

use crate::config::Config;
use crate::content::SectionKind;

/// How the form shows a field.
#[derive(Clone, Copy)]
enum Input {
    Text,
    Date,
    Bool,
    Int,
    /// One of a list from config (or a fixed list).
    Choice(Choices),
    /// Names of member pages.
    Members,
    /// Free list of names (one per line in the form).
    List,
}

#[derive(Clone, Copy)]
enum Choices {
    Sectors,
    Committees,
    Categories,
    Status,
}

const STATUS: &[&str] = &["立案", "办理中", "已办结", "不予立案", "并案"];

pub(super) struct FieldDef {
    key: &'static str,
    label: &'static str,
    input: Input,
    required: bool,
}

const fn f(key: &'static str, label: &'static str, input: Input) -> FieldDef {
    FieldDef {
        key,
        label,
        input,
        required: false,
    }
}

const fn req(key: &'static str, label: &'static str, input: Input) -> FieldDef {
    FieldDef {
        key,
        label,
        input,
        required: true,
    }
}

/// The form of a kind: `title` first, then the kind's own fields (SPEC's table), then the
/// fields every page has.
pub(super) fn fields_of(kind: SectionKind, is_index: bool) -> Vec<FieldDef> {
    use Input::*;
    let mut out = vec![req("title", "标题", Text)];
    if is_index {
        out.extend([
            f("description", "栏目简介", Text),
            f("weight", "排序权重", Int),
        ]);
        return out;
    }
    match kind {
        SectionKind::News | SectionKind::Topic => out.extend([
            req("date", "日期", Date),
            f("source", "来源", Text),
            f("author", "作者", Text),
            f("editor", "责任编辑", Text),
            f("cover", "封面图", Text),
            f("pinned", "置顶", Bool),
            f("focus", "焦点图（首页轮播，需要封面图）", Bool),
            f("members", "报道涉及的委员", Members),
        ]),
        SectionKind::Members => out.extend([
            req("sector", "界别", Choice(Choices::Sectors)),
            f("committee", "专委会", Choice(Choices::Committees)),
            f("position", "职务", Text),
            f("term", "届次", Text),
            f("photo", "照片", Text),
            f("party", "党派", Text),
            f("leader", "政协领导排序（主席 1，副主席 2…）", Int),
        ]),
        SectionKind::Wenshi => out.extend([
            req("date", "日期", Date),
            f("author", "作者", Text),
            f("source", "出处", Text),
            f("era", "年代", Text),
            f("weight", "排序权重", Int),
        ]),
        SectionKind::Proposals => out.extend([
            req("date", "立案日期", Date),
            f("number", "提案号", Text),
            f("proposers", "提案人（每行一个）", List),
            f("group", "集体提案单位", Text),
            f("category", "类别", Choice(Choices::Categories)),
            f("session", "届次·次会议", Text),
            f("handlers", "主办单位（每行一个）", List),
            f("co_handlers", "会办单位（每行一个）", List),
            f("status", "办理状态", Choice(Choices::Status)),
            f("key", "重点提案", Bool),
            f("excellent", "优秀提案", Bool),
            f("public", "同意公开", Bool),
        ]),
        SectionKind::Plain => out.extend([f("date", "日期", Date), f("weight", "排序权重", Int)]),
    }
    out.extend([
        f("description", "摘要（可不填）", Text),
        f("expires", "过期日期（之后不在列表中显示）", Date),
    ]);
    out
}

fn choices(c: Choices, config: Option<&Config>) -> Vec<String> {
    let Some(config) = config else {
        return match c {
            Choices::Status => STATUS.iter().map(|s| s.to_string()).collect(),
            _ => Vec::new(),
        };
    };
    match c {
        Choices::Sectors => config.members.sectors.clone(),
        Choices::Committees => config.members.committees.clone(),
        Choices::Categories => config.proposals.categories.clone(),
        Choices::Status => STATUS.iter().map(|s| s.to_string()).collect(),
    }
}

pub(super) fn input_json(d: &FieldDef, config: Option<&Config>) -> Json {
    let (kind, options) = match d.input {
        Input::Text => ("text", None),
        Input::Date => ("date", None),
        Input::Bool => ("bool", None),
        Input::Int => ("int", None),
        Input::Choice(c) => ("choice", Some(choices(c, config))),
        Input::Members => ("members", None),
        Input::List => ("list", None),
    };
    json!({
        "key": d.key,
        "label": d.label,
        "type": kind,
        "required": d.required,
        "options": options,
    })
}

/// A list field for each taxonomy of `config.toml` (`[taxonomies] tags = { title = "专题" }`),
/// written in the page's `[taxonomies]` table.
pub(super) fn taxonomy_inputs(config: &Config) -> Vec<Json> {
    config
        .taxonomies
        .iter()
        .map(|(name, tax)| {
            json!({
                "key": format!("taxonomies.{name}"),
                "label": format!("{}（每行一个）", tax.title),
                "type": "list",
                "required": false,
                "options": null,
            })
        })
        .collect()
}
