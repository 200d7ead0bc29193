//! Typed front matter of pages and sections, read from located [`Field`]s with every mistake
//! reported at the field's line.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};

use super::front_matter::{Field, Value};
use crate::config::Config;
use crate::dates::parse_datetime;
use crate::error::{Code, Diagnostic, Located, Pos};

/// What a section holds; subsections inherit it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SectionKind {
    News,
    Members,
    Wenshi,
    /// 提案.
    Proposals,
    Plain,
    /// A 专题: a landing page with a banner; its subsections are its 栏目 and its pages news.
    Topic,
}

impl SectionKind {
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "news" => SectionKind::News,
            "members" => SectionKind::Members,
            "wenshi" => SectionKind::Wenshi,
            "proposals" => SectionKind::Proposals,
            "plain" => SectionKind::Plain,
            "topic" => SectionKind::Topic,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SectionKind::News => "news",
            SectionKind::Members => "members",
            SectionKind::Wenshi => "wenshi",
            SectionKind::Proposals => "proposals",
            SectionKind::Plain => "plain",
            SectionKind::Topic => "topic",
        }
    }

    /// The order a section of this kind lists its pages in when `sort_by` is not set.
    pub fn default_sort(self) -> SortBy {
        match self {
            SectionKind::News | SectionKind::Topic => SortBy::Date,
            SectionKind::Members => SortBy::Strokes,
            SectionKind::Proposals => SortBy::Proposal,
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
    /// 提案: by 届次·次会议, newest first, then by 提案号 in natural order (not a `sort_by` value).
    Proposal,
}

/// How a section shows on the home page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum HomeBlock {
    List,
    Notices,
    Off,
}

/// How a section's list page shows its pages (`list`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ListStyle {
    /// Title and date.
    #[default]
    Title,
    /// Title, date, summary and cover thumbnail.
    Summary,
    /// A grid of covers (图片新闻).
    Picture,
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
    "aliases",
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
    "list",
    "banner",
    "active",
    "draft",
    "allow",
    "extra",
];

/// `allow = [{ rule = "…", reason = "…" }]`
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Allow {
    pub rule: String,
    pub reason: String,
}

/// A page's front matter, typed: the keys every page may set, and in `kind` those its kind adds.
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
    /// Old URLs that redirect to this page (`aliases = ["/old/path.html"]`), checked.
    pub aliases: Vec<super::alias::Alias>,
    pub extra: serde_json::Value,
    pub kind: KindMeta,
}

impl PageMeta {
    /// The terms the page is filed under in `taxonomy`, as written; `None` when it names none.
    pub fn terms(&self, taxonomy: &str) -> Option<&[String]> {
        self.taxonomies.as_ref()?.get(taxonomy).map(Vec::as_slice)
    }
}

/// `name` without the blanks that stand between two characters that are not ASCII (Han
/// characters): `王 建国` → `王建国`; `Li Ming` keeps its space.
fn closed_up(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len());
    for (i, &c) in chars.iter().enumerate() {
        if c.is_whitespace() {
            let before = chars[..i].iter().rev().find(|c| !c.is_whitespace());
            let after = chars[i + 1..].iter().find(|c| !c.is_whitespace());
            if before
                .zip(after)
                .is_some_and(|(a, b)| !a.is_ascii() && !b.is_ascii())
            {
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// Declares the front-matter struct of one kind. Each line names a key, its type and the
/// [`Reader`] method that reads it, so the struct field, the key a writer types and the
/// "可用的字段有 …" hint all come from that one line.
macro_rules! kind_fields {
    ($(#[$doc:meta])* $name:ident {
        $($(#[$fdoc:meta])* $field:ident: $ty:ty = $read:path,)*
    }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Default)]
        pub struct $name {
            $($(#[$fdoc])* pub $field: $ty,)*
        }

        impl $name {
            /// The keys this kind adds beside [`PAGE_FIELDS`], in the order hints list them.
            pub const FIELDS: &'static [&'static str] = &[$(stringify!($field)),*];

            /// Reads `f` into its field; `false` when the kind has no such key.
            fn read(&mut self, f: &Field, r: &mut Reader) -> bool {
                match f.key.as_str() {
                    $(stringify!($field) => self.$field = $read(r, f),)*
                    _ => return false,
                }
                true
            }
        }
    };
}

kind_fields! {
    /// What a news page adds.
    NewsMeta {
        author: Option<String> = Reader::trimmed,
        source: Option<String> = Reader::trimmed,
        editor: Option<String> = Reader::trimmed,
        cover: Option<Located<String>> = Reader::located_trimmed,
        pinned: bool = Reader::flag,
        /// 焦点图: shown in the home carousel; needs `cover`.
        focus: Option<Located<bool>> = Reader::located_flag,
        /// Names of member pages, as written.
        members: Option<Located<Vec<String>>> = Reader::located_names,
    }
}

kind_fields! {
    /// What a member's profile adds.
    MemberMeta {
        /// 界别; required, and one config lists.
        sector: Option<Located<String>> = Reader::located_trimmed,
        /// 专委会; one config lists.
        committee: Option<Located<String>> = Reader::located_trimmed,
        position: Option<String> = Reader::trimmed,
        term: Option<String> = Reader::trimmed,
        photo: Option<Located<String>> = Reader::located_trimmed,
        party: Option<String> = Reader::trimmed,
        /// 政协领导: the place in the home page's 政协领导 block (主席 first).
        leader: Option<Located<i64>> = Reader::located_int,
    }
}

kind_fields! {
    /// What a 文史 page adds.
    WenshiMeta {
        author: Option<String> = Reader::trimmed,
        source: Option<String> = Reader::trimmed,
        era: Option<String> = Reader::trimmed,
    }
}

kind_fields! {
    /// What a 提案 adds.
    ProposalMeta {
        /// 提案号; unique in the site.
        number: Option<Located<String>> = Reader::located_trimmed,
        /// 提案人: names, linked where a member page has the name.
        proposers: Option<Located<Vec<String>>> = Reader::located_trimmed_names,
        /// 集体提案: the party or body.
        group: Option<String> = Reader::trimmed,
        /// 类别; one config lists.
        category: Option<Located<String>> = Reader::located_trimmed,
        /// 届次·次会议, e.g. 十二届五次会议.
        session: Option<String> = Reader::trimmed,
        /// 主办单位.
        handlers: Vec<String> = Reader::names,
        /// 会办单位.
        co_handlers: Vec<String> = Reader::names,
        /// 办理状态; one of [`PROPOSAL_STATUSES`].
        status: Option<Located<String>> = Reader::located_trimmed,
        /// 重点提案.
        key: bool = Reader::flag,
        /// 优秀提案.
        excellent: bool = Reader::flag,
        /// 同意公开; absent means true.
        public: Option<bool> = Reader::bool,
    }
}

/// The 办理状态 a 提案 may have, in the order lists show them.
pub const PROPOSAL_STATUSES: &[&str] = &["立案", "办理中", "已办结", "不予立案", "并案"];

/// The fields a page's kind adds beside the common ones: one struct per kind.
#[derive(Debug, Clone, Default)]
pub enum KindMeta {
    News(NewsMeta),
    Member(MemberMeta),
    Wenshi(WenshiMeta),
    Proposal(ProposalMeta),
    #[default]
    Plain,
}

impl KindMeta {
    /// A page of `kind` before its fields are read.
    pub fn new(kind: SectionKind) -> Self {
        match kind {
            SectionKind::News | SectionKind::Topic => KindMeta::News(NewsMeta::default()),
            SectionKind::Members => KindMeta::Member(MemberMeta::default()),
            SectionKind::Wenshi => KindMeta::Wenshi(WenshiMeta::default()),
            SectionKind::Proposals => KindMeta::Proposal(ProposalMeta::default()),
            SectionKind::Plain => KindMeta::Plain,
        }
    }

    /// The keys this kind adds beside [`PAGE_FIELDS`].
    pub fn fields(&self) -> &'static [&'static str] {
        match self {
            KindMeta::News(_) => NewsMeta::FIELDS,
            KindMeta::Member(_) => MemberMeta::FIELDS,
            KindMeta::Wenshi(_) => WenshiMeta::FIELDS,
            KindMeta::Proposal(_) => ProposalMeta::FIELDS,
            KindMeta::Plain => &[],
        }
    }

    /// Reads `f` into this kind's fields; `false` when the kind has no such key.
    fn read(&mut self, f: &Field, r: &mut Reader) -> bool {
        match self {
            KindMeta::News(m) => m.read(f, r),
            KindMeta::Member(m) => m.read(f, r),
            KindMeta::Wenshi(m) => m.read(f, r),
            KindMeta::Proposal(m) => m.read(f, r),
            KindMeta::Plain => false,
        }
    }

    pub fn news(&self) -> Option<&NewsMeta> {
        match self {
            KindMeta::News(m) => Some(m),
            _ => None,
        }
    }

    pub fn member(&self) -> Option<&MemberMeta> {
        match self {
            KindMeta::Member(m) => Some(m),
            _ => None,
        }
    }

    pub fn wenshi(&self) -> Option<&WenshiMeta> {
        match self {
            KindMeta::Wenshi(m) => Some(m),
            _ => None,
        }
    }

    pub fn proposal(&self) -> Option<&ProposalMeta> {
        match self {
            KindMeta::Proposal(m) => Some(m),
            _ => None,
        }
    }

    /// `author`, which news and 文史 pages have.
    pub fn author(&self) -> Option<&str> {
        match self {
            KindMeta::News(m) => m.author.as_deref(),
            KindMeta::Wenshi(m) => m.author.as_deref(),
            _ => None,
        }
    }

    /// `source`, which news and 文史 pages have.
    pub fn source(&self) -> Option<&str> {
        match self {
            KindMeta::News(m) => m.source.as_deref(),
            KindMeta::Wenshi(m) => m.source.as_deref(),
            _ => None,
        }
    }

    /// The fields a page of this kind shows beside its text, one per line, for the search
    /// index: news 来源, 作者, 责任编辑; a member's 界别, 专委会, 职务, 届次, 党派; 文史
    /// 作者, 来源, 年代; a 提案's number, 提案人, 集体提案, 类别, 届次·次会议, 主办 and 会办单位,
    /// 办理状态. Empty for other pages.
    pub fn search_fields(&self) -> String {
        let fields: Vec<Option<&String>> = match self {
            KindMeta::News(m) => vec![m.source.as_ref(), m.author.as_ref(), m.editor.as_ref()],
            KindMeta::Member(m) => vec![
                m.sector.as_deref(),
                m.committee.as_deref(),
                m.position.as_ref(),
                m.term.as_ref(),
                m.party.as_ref(),
            ],
            KindMeta::Wenshi(m) => vec![m.author.as_ref(), m.source.as_ref(), m.era.as_ref()],
            KindMeta::Proposal(m) => [m.number.as_deref()]
                .into_iter()
                .chain(m.proposers.iter().flat_map(|p| p.iter()).map(Some))
                .chain([m.group.as_ref(), m.category.as_deref(), m.session.as_ref()])
                .chain(m.handlers.iter().chain(&m.co_handlers).map(Some))
                .chain([m.status.as_deref()])
                .collect(),
            KindMeta::Plain => Vec::new(),
        };
        let lines: Vec<&str> = fields.into_iter().flatten().map(String::as_str).collect();
        lines.join("\n")
    }

    /// Whether a news page is a 焦点图 (it has been checked to have a cover).
    pub fn focus(&self) -> bool {
        self.news()
            .and_then(|m| m.focus.as_ref())
            .is_some_and(|f| f.value)
    }

    /// A member's place among the 政协领导, when the member is one.
    pub fn leader(&self) -> Option<i64> {
        self.member()
            .and_then(|m| m.leader.as_ref())
            .map(|l| l.value)
    }

    /// Whether a news page is pinned to the top of its lists.
    pub fn pinned(&self) -> bool {
        self.news().is_some_and(|m| m.pinned)
    }

    /// The names in a news page's `members`, as written; empty when the field is absent.
    pub fn member_names(&self) -> &[String] {
        self.news()
            .and_then(|m| m.members.as_deref())
            .map_or(&[], Vec::as_slice)
    }

    /// The fields that hold a URL (`cover`, `photo`), where written.
    pub fn urls(&self) -> Vec<&Located<String>> {
        let (cover, photo) = (
            self.news().and_then(|m| m.cover.as_ref()),
            self.member().and_then(|m| m.photo.as_ref()),
        );
        cover.into_iter().chain(photo).collect()
    }
}

/// A section's `_index.md` front matter, typed.
#[derive(Debug, Clone, Default)]
pub struct SectionMeta {
    pub title: Located<String>,
    pub description: Option<Located<String>>,
    pub kind: Option<SectionKind>,
    pub sort_by: Option<SortBy>,
    pub paginate_by: Option<usize>,
    pub template: Option<Located<String>>,
    pub weight: Option<i64>,
    /// Days the newest page may age (`Some(n)`), or `false` written (`None`); `None` outside
    /// when not written, so that the kind's default applies (see `check::freshness_days`).
    pub freshness_days: Option<Located<Option<u32>>>,
    pub home: Option<HomeBlock>,
    /// How the list page shows pages.
    pub list: Option<ListStyle>,
    /// A 专题's banner image URL, as written.
    pub banner: Option<Located<String>>,
    /// A 专题 whose banner is on the home page.
    pub active: bool,
    pub draft: bool,
    /// Findings the section's own text may keep, with the reason (as a page's `allow`).
    pub allow: Vec<Allow>,
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

    /// A text value with the spaces around it dropped: `"教育界 "` never means the space.
    pub fn trimmed(&mut self, f: &Field) -> Option<String> {
        self.string(f).map(|v| v.trim().to_string())
    }

    pub fn located_trimmed(&mut self, f: &Field) -> Option<Located<String>> {
        self.located(f, Self::trimmed)
    }

    /// A boolean located at its key; `None` when mistyped.
    pub fn located_flag(&mut self, f: &Field) -> Option<Located<bool>> {
        self.located(f, Self::bool)
    }

    /// An integer located at its key; `None` when mistyped.
    pub fn located_int(&mut self, f: &Field) -> Option<Located<i64>> {
        self.located(f, Self::int)
    }

    /// A list of names, each trimmed, kept (empty) at its key even when mistyped: a name that
    /// matches no member is shown unlinked without a word, so a stray space must not cause it.
    pub fn located_trimmed_names(&mut self, f: &Field) -> Option<Located<Vec<String>>> {
        Some(Located::new(self.names(f), f.pos))
    }

    /// A list of names, each trimmed, with the spaces staff put inside a Chinese name to align
    /// it (`王 建国`, `王　伟`) taken out, and each name once; empty when mistyped.
    pub fn names(&mut self, f: &Field) -> Vec<String> {
        let list = self.string_list(f).unwrap_or_default();
        let mut names: Vec<String> = Vec::with_capacity(list.len());
        for name in list.iter().map(|v| closed_up(v.trim())) {
            if !names.contains(&name) {
                names.push(name);
            }
        }
        names
    }

    /// A boolean that is `false` when absent or mistyped.
    pub fn flag(&mut self, f: &Field) -> bool {
        self.bool(f).unwrap_or(false)
    }

    /// A list of names, kept (empty) at its key even when mistyped.
    pub fn located_names(&mut self, f: &Field) -> Option<Located<Vec<String>>> {
        let names = self.string_list(f).unwrap_or_default();
        Some(Located::new(names, f.pos))
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

    /// A string, without the zero-width characters pasting leaves (see
    /// [`crate::paste::without_zero_width`]): unseen, they would make a title that looks
    /// right read wrong, or one that looks empty pass.
    pub fn string(&mut self, f: &Field) -> Option<String> {
        match &f.value {
            Value::String(s) => Some(crate::paste::without_zero_width(s).into_owned()),
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

    /// A positive number of days, or `false` for none: `Some(None)` is `false`.
    pub fn days_or_false(&mut self, f: &Field) -> Option<Option<u32>> {
        match &f.value {
            Value::Bool(false) => Some(None),
            Value::Int(_) => self.positive(f).map(Some),
            _ => {
                self.diags.push(
                    Diagnostic::error(
                        Code::Field,
                        self.file,
                        format!("字段 `{}` 应为天数（正整数）或 false", f.key),
                    )
                    .at_pos(f.pos)
                    .hint("如 freshness_days = 14；写 false 表示该栏目不检查更新"),
                );
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
                Value::String(s) => out.push(crate::paste::without_zero_width(s).into_owned()),
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
        let list = format!("{what}可用的字段有 {}", known.join("、"));
        let hint = match crate::error::closest(&f.key, known.iter().copied()) {
            Some(near) => format!("是不是要写 `{near}`？{list}"),
            None => list,
        };
        self.diags.push(
            Diagnostic::error(Code::Field, self.file, format!("未知字段 `{}`", f.key))
                .at_pos(f.pos)
                .hint(hint),
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
            blank => {
                let d = Diagnostic::error(
                    Code::Field,
                    self.file,
                    format!("{what}缺少必填字段 `title`"),
                );
                // A blank title is reported at its line, a missing one at the file's start.
                self.diags.push(match blank {
                    Some(t) if t.pos.line > 0 => {
                        d.at_pos(t.pos).hint("title 的引号里没有文字：写上标题")
                    }
                    _ => d.at(1, 1),
                });
                Located::default()
            }
        }
    }
}

/// Reads a page's fields for a page of `kind`. Unknown keys, wrong types and kind rules are errors.
pub fn read_page(fields: &[Field], kind: SectionKind, config: &Config, r: &mut Reader) -> PageMeta {
    let mut m = PageMeta {
        kind: KindMeta::new(kind),
        ..PageMeta::default()
    };
    let mut title = None;
    for f in fields {
        match f.key.as_str() {
            "title" => title = r.located(f, Reader::string),
            "date" => m.date = r.located(f, Reader::date),
            "updated" => m.updated = r.date(f),
            "draft" => m.draft = r.flag(f),
            "slug" => m.slug = r.located(f, Reader::string),
            "description" => m.description = r.located(f, Reader::string),
            "weight" => m.weight = r.int(f),
            "template" => m.template = r.located(f, Reader::string),
            "expires" => m.expires = r.date(f),
            "allow" => m.allow = read_allow(f, r),
            "aliases" => m.aliases = read_aliases(f, r),
            "taxonomies" => {
                let terms = read_taxonomies(f, config, r);
                m.taxonomies = Some(Located::new(terms, f.pos));
            }
            "extra" => m.extra = r.table_json(f).unwrap_or_default(),
            _ if m.kind.read(f, r) => {}
            _ => {
                let known: Vec<&str> = PAGE_FIELDS.iter().chain(m.kind.fields()).copied().collect();
                r.unknown(f, &format!("{} 类页面", kind.as_str()), &known);
            }
        }
    }
    let written = fields.iter().any(|f| f.key == "title");
    m.title = r.require_title(title, written, "页面");
    match &m.kind {
        KindMeta::Member(member) => member.check(config, r),
        KindMeta::News(news) => news.check(r),
        KindMeta::Proposal(proposal) => proposal.check(config, r),
        _ => {}
    }
    m
}

/// `aliases = ["/old/path.html", "/old/dir/"]`: each checked, a bad one an error at the key.
fn read_aliases(f: &Field, r: &mut Reader) -> Vec<super::alias::Alias> {
    let mut out = Vec::new();
    for written in r.string_list(f).unwrap_or_default() {
        match super::alias::parse(&written) {
            Ok(a) => out.push(a),
            Err(why) => r.diags.push(
                Diagnostic::error(Code::Field, r.file, why)
                    .at_pos(f.pos)
                    .hint(
                        "aliases 写本站的旧路径，如 aliases = [\"/old/page.html\", \"/old/dir/\"]",
                    ),
            ),
        }
    }
    out
}

impl NewsMeta {
    /// A news page's rules: `focus = true` needs a `cover`.
    fn check(&self, r: &mut Reader) {
        if let Some(focus) = &self.focus
            && focus.value
            && self.cover.is_none()
        {
            r.diags.push(
                Diagnostic::error(
                    Code::Field,
                    r.file,
                    "焦点图（focus = true）缺少 `cover` 封面图",
                )
                .at_pos(focus.pos)
                .hint("加上 cover = \"/images/照片.jpg\"，或删除 focus"),
            );
        }
    }
}

impl MemberMeta {
    /// A member's rules: `sector` is required, and `sector` and `committee` must be values
    /// config lists.
    fn check(&self, config: &Config, r: &mut Reader) {
        match &self.sector {
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
        if let Some(c) = &self.committee
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
}

impl ProposalMeta {
    /// Whether the proposer agreed to publish it (同意公开): absent means yes.
    pub fn is_public(&self) -> bool {
        self.public.unwrap_or(true)
    }

    /// A 提案's rules: `category` is one config lists, `status` one of the five, and someone
    /// proposed it — named proposers or a group. A 提案 without either would be published as
    /// anonymous, which no 政协 publishes, so that is an error, not a warning.
    fn check(&self, config: &Config, r: &mut Reader) {
        let categories = &config.proposals.categories;
        if let Some(c) = &self.category
            && !categories.contains(c)
        {
            let hint = if categories.is_empty() {
                "config.toml 的 [proposals] 尚未列出任何类别".to_string()
            } else {
                format!("可选值：{}", categories.join("、"))
            };
            r.diags.push(
                Diagnostic::error(
                    Code::Field,
                    r.file,
                    format!(
                        "类别 `{}` 不在 config.toml 的 [proposals] categories 中",
                        c.value
                    ),
                )
                .at_pos(c.pos)
                .hint(hint),
            );
        }
        if let Some(s) = &self.status
            && !PROPOSAL_STATUSES.contains(&s.as_str())
        {
            r.diags.push(
                Diagnostic::error(Code::Field, r.file, format!("办理状态 `{}` 无效", s.value))
                    .at_pos(s.pos)
                    .hint(format!("可选值：{}", PROPOSAL_STATUSES.join("、"))),
            );
        }
        let named = self.proposers.as_ref().is_some_and(|p| !p.is_empty());
        let group = self.group.as_ref().is_some_and(|g| !g.is_empty());
        let at = self.proposers.as_ref().map_or(Pos::new(1, 1), |p| p.pos);
        // A mistyped `proposers` is already reported at its line: one mistake, one error.
        let mistyped = r.diags.iter().any(|d| d.line == at.line);
        if !named && !group && !mistyped {
            r.diags.push(
                Diagnostic::error(
                    Code::Field,
                    r.file,
                    "提案缺少提案人：`proposers` 和 `group` 都没有填写",
                )
                .at_pos(at)
                .hint("写 proposers = [\"委员姓名\"]，集体提案写 group = \"党派或界别\""),
            );
        }
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
            "description" => m.description = r.located(f, Reader::string),
            "kind" => {
                m.kind = r.string(f).and_then(|s| {
                    enum_value(
                        f,
                        &s,
                        SectionKind::parse,
                        "news、members、wenshi、proposals、plain、topic",
                        r,
                    )
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
            "freshness_days" => m.freshness_days = r.located(f, Reader::days_or_false),
            "home" => m.home = read_home(f, r),
            "list" => {
                m.list = r
                    .string(f)
                    .and_then(|s| enum_value(f, &s, parse_list, "title、summary、picture", r))
            }
            "banner" => m.banner = r.located_trimmed(f),
            "active" => m.active = r.flag(f),
            "draft" => m.draft = r.bool(f).unwrap_or(false),
            "allow" => m.allow = read_allow(f, r),
            "extra" => m.extra = r.table_json(f).unwrap_or_default(),
            _ => r.unknown(f, "栏目（_index.md）", SECTION_FIELDS),
        }
    }
    let written = fields.iter().any(|f| f.key == "title");
    m.title = r.require_title(title, written, "栏目");
    check_topic(&m, fields, r);
    m
}

/// A 专题 needs a `banner`; `banner` and `active` mean nothing on other sections.
fn check_topic(m: &SectionMeta, fields: &[Field], r: &mut Reader) {
    if m.kind == Some(SectionKind::Topic) {
        if m.banner.is_none() && !fields.iter().any(|f| f.key == "banner") {
            r.diags.push(
                Diagnostic::error(Code::Field, r.file, "专题栏目缺少必填字段 `banner`（题图）")
                    .at(1, 1)
                    .hint("加上 banner = \"/images/专题题图.jpg\""),
            );
        }
        if let Some(b) = &m.banner
            && !crate::markdown::url::is_safe(b)
        {
            r.diags.push(
                Diagnostic::error(
                    Code::UnsafeUrl,
                    r.file,
                    format!(
                        "专题题图 `banner` 的地址「{}」不安全，发布时已删除",
                        b.value
                    ),
                )
                .at_pos(b.pos)
                .hint("地址只能以 http://、https:// 开头，或写成站内地址 /images/题图.jpg"),
            );
        }
        return;
    }
    for f in fields
        .iter()
        .filter(|f| f.key == "banner" || f.key == "active")
    {
        r.diags.push(
            Diagnostic::error(
                Code::Field,
                r.file,
                format!("字段 `{}` 只用于专题栏目（kind = \"topic\"）", f.key),
            )
            .at_pos(f.pos),
        );
    }
}

fn parse_list(s: &str) -> Option<ListStyle> {
    Some(match s {
        "title" => ListStyle::Title,
        "summary" => ListStyle::Summary,
        "picture" => ListStyle::Picture,
        _ => return None,
    })
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::front_matter::{parse, split};
    use crate::error::Pos;

    fn read(text: &str, kind: SectionKind) -> (PageMeta, Vec<Diagnostic>) {
        let config = Config::parse(
            "title = \"x\"\nbase_url = \"https://a.cn\"\n[members]\nsectors = [\"教育界\"]\n",
        )
        .unwrap();
        let fields = parse(&split(text).unwrap()).unwrap();
        let mut r = Reader::new("p.md", FixedOffset::east_opt(8 * 3600).unwrap());
        let meta = read_page(&fields, kind, &config, &mut r);
        (meta, r.diags)
    }

    #[test]
    fn kind_fields_are_read_into_their_kind_trimmed_and_located() {
        let text = "+++\ntitle = \"王某\"\nsector = \"教育界 \"\nposition = \"委员\"\n+++\n";
        let (meta, diags) = read(text, SectionKind::Members);
        assert!(diags.is_empty(), "{diags:?}");
        let member = meta.kind.member().unwrap();
        assert_eq!(member.sector.as_deref().map(String::as_str), Some("教育界"));
        assert_eq!(member.sector.as_ref().unwrap().pos, Pos::new(3, 1));
        assert_eq!(member.position.as_deref(), Some("委员"));
        assert_eq!(meta.kind.author(), None);
    }

    #[test]
    fn strings_lose_zero_width_characters_and_a_blank_title_is_reported_at_its_line() {
        let text =
            "+++\ntitle = \"区政协\u{200B}召开\u{00AD}会议\"\nsource = \"办\u{FEFF}公室\"\n+++\n";
        let (meta, diags) = read(text, SectionKind::News);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(meta.title.value, "区政协召开会议");
        assert_eq!(meta.kind.news().unwrap().source.as_deref(), Some("办公室"));
        // Only zero-width characters: blank, at the title's line.
        let (_, diags) = read("+++\ntitle = \"\u{200B}\"\n+++\n", SectionKind::News);
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].message, "页面缺少必填字段 `title`");
        assert_eq!((diags[0].line, diags[0].column), (2, 1));
        // No title at all: at the file's start.
        let (_, diags) = read("+++\nsource = \"办公室\"\n+++\n", SectionKind::News);
        assert_eq!((diags[0].line, diags[0].column), (1, 1));
    }

    #[test]
    fn a_misspelt_field_gets_the_name_it_likely_meant() {
        let (_, diags) = read(
            "+++\ntitel = \"会议\"\nsorce = \"办公室\"\n+++\n",
            SectionKind::News,
        );
        let hints: Vec<&str> = diags.iter().filter_map(|d| d.hint.as_deref()).collect();
        assert!(hints[0].starts_with("是不是要写 `title`？"), "{hints:?}");
        assert!(hints[1].starts_with("是不是要写 `source`？"), "{hints:?}");
    }

    #[test]
    fn another_kinds_field_is_unknown_and_the_hint_lists_this_kinds_fields() {
        let text = "+++\ntitle = \"往事\"\nsector = \"教育界\"\n+++\n";
        let (_, diags) = read(text, SectionKind::Wenshi);
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].message, "未知字段 `sector`");
        let hint = diags[0].hint.as_deref().unwrap();
        assert!(
            hint.starts_with("wenshi 类页面可用的字段有 title、"),
            "{hint}"
        );
        assert!(hint.ends_with("extra、author、source、era"), "{hint}");
    }

    #[test]
    fn proposal_fields_are_typed_and_public_defaults_to_true() {
        let text = "+++\ntitle = \"提案\"\nnumber = \" 第1号 \"\nproposers = [\" 王某 \"]\nhandlers = [\"区教育局\"]\nstatus = \"已办结\"\nkey = true\n+++\n";
        let (meta, diags) = read(text, SectionKind::Proposals);
        assert!(diags.is_empty(), "{diags:?}");
        let p = meta.kind.proposal().unwrap();
        assert_eq!(p.number.as_deref().map(String::as_str), Some("第1号"));
        assert_eq!(p.number.as_ref().unwrap().pos, Pos::new(3, 1));
        assert_eq!(
            p.proposers.as_deref().map(Vec::as_slice),
            Some(&["王某".to_string()][..])
        );
        assert_eq!(p.handlers, ["区教育局"]);
        assert!(p.key && !p.excellent && p.is_public());
        // A name padded for alignment is the name; a name written twice is one proposer.
        let (meta, _) = read(
            "+++\ntitle = \"提案\"\nproposers = [\"王 建国\", \"李　伟\", \"王建国\", \"Li Ming\"]\n+++\n",
            SectionKind::Proposals,
        );
        let p = meta.kind.proposal().unwrap();
        assert_eq!(
            p.proposers.as_deref().map(Vec::as_slice),
            Some(
                &[
                    "王建国".to_string(),
                    "李伟".to_string(),
                    "Li Ming".to_string()
                ][..]
            )
        );
        let (meta, _) = read(
            "+++\ntitle = \"提案\"\ngroup = \"民盟\"\npublic = false\n+++\n",
            SectionKind::Proposals,
        );
        assert!(!meta.kind.proposal().unwrap().is_public());
    }

    fn read_section_text(text: &str) -> (SectionMeta, Vec<Diagnostic>) {
        let fields = parse(&split(text).unwrap()).unwrap();
        let mut r = Reader::new("_index.md", FixedOffset::east_opt(8 * 3600).unwrap());
        let meta = read_section(&fields, &mut r);
        (meta, r.diags)
    }

    #[test]
    fn a_topic_reads_banner_active_and_list() {
        let text = "+++\ntitle = \"全会\"\nkind = \"topic\"\nbanner = \" /images/b.jpg \"\nactive = true\nlist = \"picture\"\n+++\n";
        let (meta, diags) = read_section_text(text);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(meta.kind, Some(SectionKind::Topic));
        assert_eq!(
            meta.banner.as_deref().map(String::as_str),
            Some("/images/b.jpg")
        );
        assert_eq!(meta.banner.unwrap().pos, Pos::new(4, 1));
        assert!(meta.active);
        assert_eq!(meta.list, Some(ListStyle::Picture));
    }

    #[test]
    fn a_section_reads_allow_and_locates_its_title_and_description() {
        let text = "+++\ntitle = \"要闻\"\ndescription = \"说明\"\nallow = [{ rule = \"pii\", reason = \"单位电话\" }]\n+++\n";
        let (meta, diags) = read_section_text(text);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(meta.title.pos, Pos::new(2, 1));
        assert_eq!(meta.description.map(|d| d.pos), Some(Pos::new(3, 1)));
        assert_eq!(
            meta.allow,
            [Allow {
                rule: "pii".into(),
                reason: "单位电话".into()
            }]
        );
    }

    #[test]
    fn banner_and_active_belong_to_topics_only() {
        let text = "+++\ntitle = \"新闻\"\nkind = \"news\"\nactive = true\n+++\n";
        let (_, diags) = read_section_text(text);
        assert_eq!(diags.len(), 1);
        assert_eq!(
            diags[0].message,
            "字段 `active` 只用于专题栏目（kind = \"topic\"）"
        );
    }

    #[test]
    fn focus_and_leader_are_read_into_their_kinds() {
        let news = "+++\ntitle = \"会\"\ncover = \"/a.jpg\"\nfocus = true\n+++\n";
        let (meta, diags) = read(news, SectionKind::Topic);
        assert!(diags.is_empty(), "{diags:?}");
        assert!(meta.kind.focus());
        let member = "+++\ntitle = \"王某\"\nsector = \"教育界\"\nleader = 2\n+++\n";
        let (meta, diags) = read(member, SectionKind::Members);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(meta.kind.leader(), Some(2));
    }

    #[test]
    fn a_member_without_sector_is_an_error() {
        let (_, diags) = read("+++\ntitle = \"王某\"\n+++\n", SectionKind::Members);
        assert_eq!(diags.len(), 1);
        assert!(
            diags[0].message.contains("`sector`"),
            "{}",
            diags[0].message
        );
    }
}
