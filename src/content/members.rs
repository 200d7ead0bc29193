//! 委员风采: members grouped by 界别 (sector) and 专委会 (committee), and the news items that
//! name each member.

use std::collections::BTreeMap;

use super::slug::slugify;
use super::strokes::stroke_key;
use super::{Page, PageId, SectionKind, newest_first};
use crate::config::Config;
use crate::error::{Code, Diagnostic, Pos};

/// What members are grouped by: 界别 or 专委会.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GroupKind {
    Sector,
    Committee,
}

impl GroupKind {
    /// The folder its pages live in: `/sectors/`, `/committees/`.
    pub fn folder(self) -> &'static str {
        match self {
            GroupKind::Sector => "sectors",
            GroupKind::Committee => "committees",
        }
    }

    /// 界别 or 专委会.
    pub fn title(self) -> &'static str {
        match self {
            GroupKind::Sector => "界别",
            GroupKind::Committee => "专委会",
        }
    }
}

/// The members of one 界别 or 专委会, in 姓氏笔画 order.
#[derive(Debug)]
pub struct MemberGroup {
    pub kind: GroupKind,
    pub name: String,
    /// `/sectors/gong-shang-lian/`
    pub path: String,
    pub members: Vec<PageId>,
}

/// The site's members by group, and who is named where.
#[derive(Debug, Default)]
pub struct Members {
    /// In the order config lists them; only values some member has.
    pub sectors: Vec<MemberGroup>,
    pub committees: Vec<MemberGroup>,
    /// Member page → the news pages that name it, newest first.
    pub mentions: BTreeMap<PageId, Vec<PageId>>,
    /// News page → the member pages it names, as written.
    pub named: BTreeMap<PageId, Vec<PageId>>,
}

/// Groups listed member pages and links news items to the members they name. A name that
/// matches no member, or more than one, is an error at the `members` field; `absent` says why a
/// member page is not in the site (it then gets no second error). `by_pinyin` orders names by pinyin instead of 姓氏笔画 (a members section's `sort_by = "pinyin"`).
pub fn resolve(
    config: &Config,
    pages: &[Page],
    by_pinyin: bool,
    absent: &BTreeMap<&str, Absent>,
    diags: &mut Vec<Diagnostic>,
) -> Members {
    let members = listed_members(pages, by_pinyin);
    let sectors = groups(
        GroupKind::Sector,
        &config.members.sectors,
        &members,
        pages,
        |p| p.meta.kind.member()?.sector.as_deref(),
    );
    let committees = groups(
        GroupKind::Committee,
        &config.members.committees,
        &members,
        pages,
        |p| p.meta.kind.member()?.committee.as_deref(),
    );
    let (mentions, named) = link_named_members(pages, &members, absent, diags);
    Members {
        sectors,
        committees,
        mentions,
        named,
    }
}

/// The listed member pages, by pinyin or in 姓氏笔画 order; ties by URL.
pub(super) fn listed_members(pages: &[Page], by_pinyin: bool) -> Vec<PageId> {
    let mut members: Vec<PageId> = PageId::all(pages.len())
        .filter(|&i| pages[i].kind == SectionKind::Members && pages[i].listed)
        .collect();
    if by_pinyin {
        members.sort_by_cached_key(|&i| (slugify(&pages[i].meta.title), pages[i].path.clone()));
    } else {
        members.sort_by_cached_key(|&i| (stroke_key(&pages[i].meta.title), pages[i].path.clone()));
    }
    members
}

/// One group per value config lists (`values`) that some member has in `field`, in config's
/// order, its members in the order of `members`.
fn groups(
    kind: GroupKind,
    values: &[String],
    members: &[PageId],
    pages: &[Page],
    field: fn(&Page) -> Option<&String>,
) -> Vec<MemberGroup> {
    values
        .iter()
        .map(|name| MemberGroup {
            kind,
            name: name.clone(),
            path: format!("/{}/{}/", kind.folder(), slugify(name)),
            members: members
                .iter()
                .copied()
                .filter(|&i| field(&pages[i]) == Some(name))
                .collect(),
        })
        .filter(|g| !g.members.is_empty())
        .collect()
}

/// Member page → pages naming it (listed ones, newest first), and page → the members it names;
/// a name that matches no member page, or several, is reported at the page's `members` field.
fn link_named_members(
    pages: &[Page],
    members: &[PageId],
    absent: &BTreeMap<&str, Absent>,
    diags: &mut Vec<Diagnostic>,
) -> (BTreeMap<PageId, Vec<PageId>>, BTreeMap<PageId, Vec<PageId>>) {
    let mut by_name: BTreeMap<&str, Vec<PageId>> = BTreeMap::new();
    for &m in members {
        by_name
            .entry(pages[m].meta.title.as_str())
            .or_default()
            .push(m);
    }
    let mut mentions: BTreeMap<PageId, Vec<PageId>> = BTreeMap::new();
    let mut named: BTreeMap<PageId, Vec<PageId>> = BTreeMap::new();
    for (i, page) in PageId::enumerate(pages) {
        let Some(names) = page.meta.kind.news().and_then(|m| m.members.as_ref()) else {
            continue;
        };
        for name in names.iter() {
            match by_name.get(name.as_str()).map(Vec::as_slice) {
                Some([m]) => {
                    named.entry(i).or_default().push(*m);
                    if page.listed {
                        mentions.entry(*m).or_default().push(i);
                    }
                }
                Some(several) => diags.push(ambiguous_name(page, name, several, pages, names.pos)),
                None => match absent.get(name.as_str()) {
                    // The member's own page has an error, reported there.
                    Some(Absent::Broken) => {}
                    Some(Absent::Unpublished(rel)) => {
                        diags.push(unpublished_name(page, name, rel, names.pos));
                    }
                    None => diags.push(unknown_name(page, name, names.pos)),
                },
            }
        }
    }
    for list in mentions.values_mut() {
        list.sort_by(|&a, &b| newest_first(&pages[a], &pages[b]));
        list.dedup();
    }
    (mentions, named)
}

/// A name in `page`'s `members` (written at `pos`) that several member pages have.
pub(super) fn ambiguous_name(
    page: &Page,
    name: &str,
    several: &[PageId],
    pages: &[Page],
    pos: Pos,
) -> Diagnostic {
    Diagnostic::error(
        Code::Field,
        &page.rel,
        format!(
            "有 {} 个委员页面都名为 `{name}`，无法确定指哪一位",
            several.len()
        ),
    )
    .at_pos(pos)
    .hint(
        several
            .iter()
            .map(|&m| pages[m].rel.as_str())
            .collect::<Vec<_>>()
            .join("、"),
    )
}

/// Why a member page a news page names is not in the site.
#[derive(Debug, Clone, Copy)]
pub enum Absent<'a> {
    /// It has errors, reported at the page itself.
    Broken,
    /// A draft or dated after today: the file `rel`.
    Unpublished(&'a str),
}

/// A name in `page`'s `members` (written at `pos`) whose member page `rel` is a draft or not
/// yet due.
fn unpublished_name(page: &Page, name: &str, rel: &str, pos: Pos) -> Diagnostic {
    Diagnostic::error(
        Code::Field,
        &page.rel,
        format!("委员 `{name}` 的页面 {rel} 还没有发布"),
    )
    .at_pos(pos)
    .hint("先发布该委员页面（删去 draft = true 或改正日期），或从 members 中删去这个姓名")
}

/// A name in `page`'s `members` (written at `pos`) that no member page has.
fn unknown_name(page: &Page, name: &str, pos: Pos) -> Diagnostic {
    Diagnostic::error(
        Code::Field,
        &page.rel,
        format!("找不到名为 `{name}` 的委员页面"),
    )
    .at_pos(pos)
    .hint("members 中的姓名须与委员页面的 title 完全一致")
}
