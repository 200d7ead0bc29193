//! Typed front matter of pages and sections, read from located [`Field`]s with every mistake
//! reported at the field's line.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};

use super::front_matter::{Field, Value};
use crate::config::Config;
use crate::dates::parse_datetime;
use crate::error::{Code, Diagnostic, Located};

/// What a section holds; subsections inherit it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SectionKind {
    News,
    Members,
    Wenshi,
    Plain,
}

impl SectionKind {
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "news" => SectionKind::News,
            "members" => SectionKind::Members,
            "wenshi" => SectionKind::Wenshi,
            "plain" => SectionKind::Plain,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SectionKind::News => "news",
            SectionKind::Members => "members",
            SectionKind::Wenshi => "wenshi",
            SectionKind::Plain => "plain",
        }
    }

    /// The top-level page keys this kind adds beside the common ones.
    pub fn fields(self) -> &'static [&'static str] {
        match self {
            SectionKind::News => &["author", "source", "editor", "cover", "pinned", "members"],
            SectionKind::Members => &["sector", "committee", "position", "term", "photo", "party"],
            SectionKind::Wenshi => &["author", "source", "era"],
            SectionKind::Plain => &[],
        }
    }

    /// The order a section of this kind lists its pages in when `sort_by` is not set.
    pub fn default_sort(self) -> SortBy {
        match self {
            SectionKind::News => SortBy::Date,
            SectionKind::Members => SortBy::Strokes,
            SectionKind::Wenshi | SectionKind::Plain => SortBy::Weight,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortBy {
    Date,
    Weight,
    Title,
    Pinyin,
    Strokes,
}

/// How a section shows on the home page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum HomeBlock {
    List,
    Notices,
    Off,
}

/// Keys every page may set.
pub const PAGE_FIELDS: &[&str] = &[
    "title",
    "date",
    "updated",
    "draft",
    "slug",
    "description",
    "weight",
    "template",
    "expires",
    "allow",
    "taxonomies",
    "extra",
];

/// Keys a section's `_index.md` may set.
pub const SECTION_FIELDS: &[&str] = &[
    "title",
    "description",
    "kind",
    "sort_by",
    "paginate_by",
    "template",
    "weight",
    "freshness_days",
    "home",
    "draft",
    "extra",
];

/// `allow = [{ rule = "…", reason = "…" }]`
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Allow {
    pub rule: String,
    pub reason: String,
}

/// A page's front matter, typed. Kind fields are `None` unless the page's kind has them.
/// Values that a later check reports on are [`Located`] at their key.
#[derive(Debug, Clone, Default)]
pub struct PageMeta {
    pub title: Located<String>,
    pub date: Option<Located<DateTime<FixedOffset>>>,
    pub updated: Option<DateTime<FixedOffset>>,
    pub draft: bool,
    pub slug: Option<Located<String>>,
    pub description: Option<Located<String>>,
    pub weight: Option<i64>,
    pub template: Option<Located<String>>,
    pub expires: Option<DateTime<FixedOffset>>,
    pub allow: Vec<Allow>,
    /// Taxonomy name → terms as written.
    pub taxonomies: Option<Located<BTreeMap<String, Vec<String>>>>,
    pub extra: serde_json::Value,
    pub author: Option<String>,
    pub source: Option<String>,
    pub editor: Option<String>,
    pub cover: Option<Located<String>>,
    pub pinned: bool,
    /// Names of member pages, as written.
    pub members: Option<Located<Vec<String>>>,
    pub sector: Option<Located<String>>,
    pub committee: Option<Located<String>>,
    pub position: Option<String>,
    pub term: Option<String>,
    pub photo: Option<Located<String>>,
    pub party: Option<String>,
    pub era: Option<String>,
}

impl PageMeta {
    /// The terms the page is filed under in `taxonomy`, as written; `None` when it names none.
    pub fn terms(&self, taxonomy: &str) -> Option<&[String]> {
        self.taxonomies.as_ref()?.get(taxonomy).map(Vec::as_slice)
    }

    /// The names in `members`, as written; empty when the field is absent.
    pub fn member_names(&self) -> &[String] {
        self.members.as_deref().map_or(&[], Vec::as_slice)
    }
}

/// A section's `_index.md` front matter, typed.
#[derive(Debug, Clone, Default)]
pub struct SectionMeta {
    pub title: String,
    pub description: Option<String>,
    pub kind: Option<SectionKind>,
    pub sort_by: Option<SortBy>,
    pub paginate_by: Option<usize>,
    pub template: Option<Located<String>>,
    pub weight: Option<i64>,
    pub freshness_days: Option<Located<u32>>,
    pub home: Option<HomeBlock>,
    pub draft: bool,
    pub extra: serde_json::Value,
}

/// Reads typed values out of fields, collecting a diagnostic for each mistake.
pub struct Reader<'a> {
    pub file: &'a str,
    pub offset: FixedOffset,
    pub diags: Vec<Diagnostic>,
}

impl<'a> Reader<'a> {
    pub fn new(file: &'a str, offset: FixedOffset) -> Self {
        Reader {
            file,
            offset,
            diags: Vec::new(),
        }
    }

    /// What `read` makes of `f`, located at `f`'s key.
    pub fn located<T>(
        &mut self,
        f: &Field,
        read: fn(&mut Self, &Field) -> Option<T>,
    ) -> Option<Located<T>> {
        read(self, f).map(|value| Located::new(value, f.pos))
    }

    fn wrong_type(&mut self, f: &Field, want: &str) {
        self.diags.push(
            Diagnostic::error(
                Code::Field,
                self.file,
                format!(
                    "字段 `{}` 类型错误：应为{want}，实际是{}",
                    f.key,
                    f.value.type_name()
                ),
            )
            .at_pos(f.pos),
        );
    }

    pub fn string(&mut self, f: &Field) -> Option<String> {
        match &f.value {
            Value::String(s) => Some(s.clone()),
            _ => {
                self.wrong_type(f, "字符串");
                None
            }
        }
    }

    pub fn bool(&mut self, f: &Field) -> Option<bool> {
        match &f.value {
            Value::Bool(b) => Some(*b),
            _ => {
                self.wrong_type(f, "布尔值（true 或 false）");
                None
            }
        }
    }

    pub fn int(&mut self, f: &Field) -> Option<i64> {
        match &f.value {
            Value::Int(i) => Some(*i),
            _ => {
                self.wrong_type(f, "整数");
                None
            }
        }
    }

    pub fn positive(&mut self, f: &Field) -> Option<u32> {
        let i = self.int(f)?;
        match u32::try_from(i) {
            Ok(n) if n > 0 => Some(n),
            _ => {
                self.diags.push(
                    Diagnostic::error(
                        Code::Field,
                        self.file,
                        format!("字段 `{}` 必须是正整数", f.key),
                    )
                    .at_pos(f.pos),
                );
                None
            }
        }
    }

    pub fn date(&mut self, f: &Field) -> Option<DateTime<FixedOffset>> {
        let raw = match &f.value {
            Value::Datetime(s) | Value::String(s) => s,
            _ => {
                self.wrong_type(f, "日期");
                return None;
            }
        };
        let parsed = parse_datetime(raw, self.offset);
        if parsed.is_none() {
            self.diags.push(
                Diagnostic::error(
                    Code::Field,
                    self.file,
                    format!("字段 `{}` 的值 `{raw}` 不是有效日期", f.key),
                )
                .at_pos(f.pos)
                .hint("写成 2024-03-01 或 2024-03-01T09:30:00+08:00"),
            );
        }
        parsed
    }

    pub fn string_list(&mut self, f: &Field) -> Option<Vec<String>> {
        let Value::Array(items) = &f.value else {
            self.wrong_type(f, "字符串数组");
            return None;
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            match item {
                Value::String(s) => out.push(s.clone()),
                other => {
                    self.diags.push(
                        Diagnostic::error(
                            Code::Field,
                            self.file,
                            format!(
                                "字段 `{}` 的元素应为字符串，实际是{}",
                                f.key,
                                other.type_name()
                            ),
                        )
                        .at_pos(f.pos),
                    );
                    return None;
                }
            }
        }
        Some(out)
    }

    fn table_json(&mut self, f: &Field) -> Option<serde_json::Value> {
        match &f.value {
            Value::Table(_) => Some(f.value.to_json()),
            _ => {
                self.wrong_type(f, "表");
                None
            }
        }
    }

    fn unknown(&mut self, f: &Field, what: &str, known: &[&str]) {
        self.diags.push(
            Diagnostic::error(Code::Field, self.file, format!("未知字段 `{}`", f.key))
                .at_pos(f.pos)
                .hint(format!("{what}可用的字段有 {}", known.join("、"))),
        );
    }

    /// The title, or an error when it is absent or blank. A title of the wrong type has
    /// already been reported, so `written` keeps it from being reported twice.
    fn require_title(
        &mut self,
        title: Option<Located<String>>,
        written: bool,
        what: &str,
    ) -> Located<String> {
        match title {
            Some(t) if !t.trim().is_empty() => t,
            None if written => Located::default(),
            _ => {
                self.diags.push(
                    Diagnostic::error(
                        Code::Field,
                        self.file,
                        format!("{what}缺少必填字段 `title`"),
                    )
                    .at(1, 1),
                );
                Located::default()
            }
        }
    }
}

/// Reads a page's fields for a page of `kind`. Unknown keys, wrong types and kind rules are errors.
pub fn read_page(fields: &[Field], kind: SectionKind, config: &Config, r: &mut Reader) -> PageMeta {
    let mut m = PageMeta::default();
    let mut title = None;
    for f in fields {
        let kind_has = |k: &str| kind.fields().contains(&k);
        match f.key.as_str() {
            "title" => title = r.located(f, Reader::string),
            "date" => m.date = r.located(f, Reader::date),
            "updated" => m.updated = r.date(f),
            "draft" => m.draft = r.bool(f).unwrap_or(false),
            "slug" => m.slug = r.located(f, Reader::string),
            "description" => m.description = r.located(f, Reader::string),
            "weight" => m.weight = r.int(f),
            "template" => m.template = r.located(f, Reader::string),
            "expires" => m.expires = r.date(f),
            "allow" => m.allow = read_allow(f, r),
            "taxonomies" => {
                let terms = read_taxonomies(f, config, r);
                m.taxonomies = Some(Located::new(terms, f.pos));
            }
            "extra" => m.extra = r.table_json(f).unwrap_or_default(),
            k @ ("author" | "source" | "editor" | "cover" | "sector" | "committee" | "position"
            | "term" | "photo" | "party" | "era")
                if kind_has(k) =>
            {
                read_kind_text(&mut m, f, r);
            }
            "pinned" if kind_has("pinned") => m.pinned = r.bool(f).unwrap_or(false),
            "members" if kind_has("members") => {
                let names = r.string_list(f).unwrap_or_default();
                m.members = Some(Located::new(names, f.pos));
            }
            _ => {
                let known: Vec<&str> = PAGE_FIELDS.iter().chain(kind.fields()).copied().collect();
                r.unknown(f, &format!("{} 类页面", kind.as_str()), &known);
            }
        }
    }
    let written = fields.iter().any(|f| f.key == "title");
    m.title = r.require_title(title, written, "页面");
    check_kind_rules(&m, kind, config, r);
    m
}

/// Reads one of a kind's text fields (`author`, `sector` …) into `m`, trimmed.
fn read_kind_text(m: &mut PageMeta, f: &Field, r: &mut Reader) {
    // `"教育界 "`: spaces typed around a value are never meant.
    let v = r.string(f).map(|v| v.trim().to_string());
    let located = |v: Option<String>| v.map(|v| Located::new(v, f.pos));
    match f.key.as_str() {
        "author" => m.author = v,
        "source" => m.source = v,
        "editor" => m.editor = v,
        "cover" => m.cover = located(v),
        "sector" => m.sector = located(v),
        "committee" => m.committee = located(v),
        "position" => m.position = v,
        "term" => m.term = v,
        "photo" => m.photo = located(v),
        "party" => m.party = v,
        _ => m.era = v,
    }
}

/// Rules a kind adds: required fields and values config must list.
fn check_kind_rules(m: &PageMeta, kind: SectionKind, config: &Config, r: &mut Reader) {
    if kind != SectionKind::Members {
        return;
    }
    match &m.sector {
        None => r.diags.push(
            Diagnostic::error(Code::Field, r.file, "委员页面缺少必填字段 `sector`（界别）")
                .at(1, 1)
                .hint(allowed_hint(&config.members.sectors)),
        ),
        Some(s) if !config.members.sectors.contains(s) => r.diags.push(
            Diagnostic::error(
                Code::Field,
                r.file,
                format!(
                    "界别 `{}` 不在 config.toml 的 [members] sectors 中",
                    s.value
                ),
            )
            .at_pos(s.pos)
            .hint(allowed_hint(&config.members.sectors)),
        ),
        Some(_) => {}
    }
    if let Some(c) = &m.committee
        && !config.members.committees.contains(c)
    {
        r.diags.push(
            Diagnostic::error(
                Code::Field,
                r.file,
                format!(
                    "专委会 `{}` 不在 config.toml 的 [members] committees 中",
                    c.value
                ),
            )
            .at_pos(c.pos)
            .hint(allowed_hint(&config.members.committees)),
        );
    }
}

fn allowed_hint(values: &[String]) -> String {
    if values.is_empty() {
        "config.toml 的 [members] 尚未列出任何可选值".into()
    } else {
        format!("可选值：{}", values.join("、"))
    }
}

fn read_allow(f: &Field, r: &mut Reader) -> Vec<Allow> {
    let bad = |r: &mut Reader| {
        r.diags.push(
            Diagnostic::error(Code::Field, r.file, "字段 `allow` 格式错误")
                .at_pos(f.pos)
                .hint("写成 allow = [{ rule = \"政协代表\", reason = \"引用原文\" }]"),
        );
        Vec::new()
    };
    let Value::Array(items) = &f.value else {
        return bad(r);
    };
    let mut out = Vec::new();
    for item in items {
        let Value::Table(entries) = item else {
            return bad(r);
        };
        let get = |k: &str| {
            entries.iter().find_map(|(key, v)| match v {
                Value::String(s) if key == k => Some(s.clone()),
                _ => None,
            })
        };
        match (get("rule"), get("reason"), entries.len()) {
            (Some(rule), Some(reason), 2) => out.push(Allow { rule, reason }),
            _ => return bad(r),
        }
    }
    out
}

fn read_taxonomies(f: &Field, config: &Config, r: &mut Reader) -> BTreeMap<String, Vec<String>> {
    let Value::Table(entries) = &f.value else {
        r.wrong_type(f, "表");
        return BTreeMap::new();
    };
    let mut out = BTreeMap::new();
    for (name, value) in entries {
        if !config.taxonomies.contains_key(name) {
            let known: Vec<&str> = config.taxonomies.keys().map(String::as_str).collect();
            r.diags.push(
                Diagnostic::error(
                    Code::Field,
                    r.file,
                    format!("未在 config.toml 中定义的分类 `{name}`"),
                )
                .at_pos(f.pos)
                .hint(format!("已定义的分类：{}", known.join("、"))),
            );
            continue;
        }
        let sub = Field {
            key: format!("taxonomies.{name}"),
            pos: f.pos,
            value: value.clone(),
        };
        if let Some(terms) = r.string_list(&sub) {
            out.insert(name.clone(), terms);
        }
    }
    out
}

/// Reads a section's `_index.md` fields.
pub fn read_section(fields: &[Field], r: &mut Reader) -> SectionMeta {
    let mut m = SectionMeta::default();
    let mut title = None;
    for f in fields {
        match f.key.as_str() {
            "title" => title = r.located(f, Reader::string),
            "description" => m.description = r.string(f),
            "kind" => {
                m.kind = r.string(f).and_then(|s| {
                    enum_value(f, &s, SectionKind::parse, "news、members、wenshi、plain", r)
                })
            }
            "sort_by" => {
                m.sort_by = r.string(f).and_then(|s| {
                    enum_value(f, &s, parse_sort, "date、weight、title、pinyin、strokes", r)
                })
            }
            "paginate_by" => m.paginate_by = r.positive(f).map(|n| n as usize),
            "template" => m.template = r.located(f, Reader::string),
            "weight" => m.weight = r.int(f),
            "freshness_days" => m.freshness_days = r.located(f, Reader::positive),
            "home" => m.home = read_home(f, r),
            "draft" => m.draft = r.bool(f).unwrap_or(false),
            "extra" => m.extra = r.table_json(f).unwrap_or_default(),
            _ => r.unknown(f, "栏目（_index.md）", SECTION_FIELDS),
        }
    }
    let written = fields.iter().any(|f| f.key == "title");
    m.title = r.require_title(title, written, "栏目").value;
    m
}

fn parse_sort(s: &str) -> Option<SortBy> {
    Some(match s {
        "date" => SortBy::Date,
        "weight" => SortBy::Weight,
        "title" => SortBy::Title,
        "pinyin" => SortBy::Pinyin,
        "strokes" => SortBy::Strokes,
        _ => return None,
    })
}

fn enum_value<T>(
    f: &Field,
    s: &str,
    parse: fn(&str) -> Option<T>,
    allowed: &str,
    r: &mut Reader,
) -> Option<T> {
    let v = parse(s);
    if v.is_none() {
        r.diags.push(
            Diagnostic::error(
                Code::Field,
                r.file,
                format!("字段 `{}` 的值 `{s}` 无效", f.key),
            )
            .at_pos(f.pos)
            .hint(format!("可选值：{allowed}")),
        );
    }
    v
}

fn read_home(f: &Field, r: &mut Reader) -> Option<HomeBlock> {
    match &f.value {
        Value::Bool(false) => Some(HomeBlock::Off),
        Value::String(s) if s == "list" => Some(HomeBlock::List),
        Value::String(s) if s == "notices" => Some(HomeBlock::Notices),
        _ => {
            r.diags.push(
                Diagnostic::error(Code::Field, r.file, "字段 `home` 的值无效")
                    .at_pos(f.pos)
                    .hint("可选值：\"list\"、\"notices\" 或 false"),
            );
            None
        }
    }
}
