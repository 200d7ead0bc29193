//! 提案: their order (届次·次会议 newest first, then 提案号 in natural order), the pages per
//! 类别 and per 办理状态, unique 提案号, and who proposed what among the members.

use std::cmp::Reverse;
use std::collections::BTreeMap;

use super::meta::PROPOSAL_STATUSES;
use super::slug::slugify;
use super::{Page, PageId, Section, SectionId, SectionKind, Site};
use crate::config::Config;
use crate::error::{Code, Diagnostic, Located};

/// What a 提案 page is listed under besides its section: 类别 or 办理状态.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Facet {
    Category,
    Status,
}

impl Facet {
    /// The folder its pages live in, under the 提案 section: `categories/`, `status/`.
    pub fn folder(self) -> &'static str {
        match self {
            Facet::Category => "categories",
            Facet::Status => "status",
        }
    }

    /// 类别 or 办理状态.
    pub fn title(self) -> &'static str {
        match self {
            Facet::Category => "类别",
            Facet::Status => "办理状态",
        }
    }
}

/// The 提案 of one 类别 or 办理状态 under one top 提案 section: `/proposals/status/yi-ban-jie/`.
#[derive(Debug)]
pub struct FacetPage {
    /// The top 提案 section (one whose parent is not a 提案 section).
    pub section: SectionId,
    pub facet: Facet,
    pub name: String,
    pub path: String,
    /// In the section's order.
    pub pages: Vec<PageId>,
}

/// The site's 提案 by 类别 and 办理状态, and their proposers among the members.
#[derive(Debug, Default)]
pub struct Proposals {
    /// Per top section: categories in config's order, then statuses in [`PROPOSAL_STATUSES`]
    /// order; only values some listed 提案 has.
    pub facets: Vec<FacetPage>,
    /// Member page → the listed 提案 naming it among `proposers`, newest session first.
    pub by_member: BTreeMap<PageId, Vec<PageId>>,
    /// 提案 page → per name in `proposers`, the member page of that name, if exactly one.
    pub proposers: BTreeMap<PageId, Vec<Option<PageId>>>,
}

/// Works out the 提案 pages of every top 提案 section, links proposers to members and reports a
/// 提案号 used twice and a proposer name that two member pages share.
pub fn resolve(
    config: &Config,
    site: &Site,
    members: &[PageId],
    diags: &mut Vec<Diagnostic>,
) -> Proposals {
    let (sections, pages) = (&site.sections, &site.pages);
    duplicate_numbers(site, diags);
    let mut out = Proposals::default();
    for (si, s) in SectionId::enumerate(sections) {
        let top = s.kind == SectionKind::Proposals
            && s.parent
                .is_none_or(|p| sections[p].kind != SectionKind::Proposals);
        if top {
            out.facets.extend(facet_pages(config, si, s, pages));
        }
    }
    let mut by_name: BTreeMap<&str, Vec<PageId>> = BTreeMap::new();
    for &m in members {
        by_name.entry(&pages[m].meta.title).or_default().push(m);
    }
    for (i, page) in PageId::enumerate(pages) {
        let Some(names) = page.meta.kind.proposal().and_then(|m| m.proposers.as_ref()) else {
            continue;
        };
        let mut linked = Vec::with_capacity(names.len());
        for name in names.iter() {
            let member = match by_name.get(name.as_str()).map(Vec::as_slice) {
                Some([m]) => Some(*m),
                Some(several) if several.len() > 1 => {
                    diags.push(super::members::ambiguous_name(
                        page, name, several, pages, names.pos,
                    ));
                    None
                }
                _ => None,
            };
            if let Some(m) = member
                && page.listed
            {
                out.by_member.entry(m).or_default().push(i);
            }
            linked.push(member);
        }
        out.proposers.insert(i, linked);
    }
    for list in out.by_member.values_mut() {
        list.sort_by_cached_key(|&p| sort_key(&pages[p]));
        list.dedup();
    }
    out
}

/// The 类别 and 办理状态 pages of top 提案 section `si`.
fn facet_pages(config: &Config, si: SectionId, s: &Section, pages: &[Page]) -> Vec<FacetPage> {
    let values = |facet: Facet| -> Vec<String> {
        match facet {
            Facet::Category => config.proposals.categories.clone(),
            Facet::Status => PROPOSAL_STATUSES.iter().map(|v| v.to_string()).collect(),
        }
    };
    let mut out = Vec::new();
    for facet in [Facet::Category, Facet::Status] {
        for name in values(facet) {
            let list: Vec<PageId> = s
                .pages
                .iter()
                .copied()
                .filter(|&p| facet_value(&pages[p], facet) == Some(name.as_str()))
                .collect();
            // A value that gives no slug (config's own mistake) has no URL to be listed at.
            let slug = slugify(&name);
            if list.is_empty() || slug.is_empty() {
                continue;
            }
            out.push(FacetPage {
                section: si,
                facet,
                path: format!("{}{}/{slug}/", s.path, facet.folder()),
                name,
                pages: list,
            });
        }
    }
    out
}

/// A 提案's 类别 or 办理状态, as written.
pub fn facet_value(page: &Page, facet: Facet) -> Option<&str> {
    let m = page.meta.kind.proposal()?;
    let v = match facet {
        Facet::Category => m.category.as_ref(),
        Facet::Status => m.status.as_ref(),
    };
    v.map(|v| v.value.as_str())
}

/// A 提案号 written in two files (published or not public): an error at the later file,
/// naming the earlier one.
fn duplicate_numbers(site: &Site, diags: &mut Vec<Diagnostic>) {
    let published = site.pages.iter().filter_map(|p| {
        let number = p.meta.kind.proposal()?.number.as_ref()?;
        Some((p.rel.as_str(), number))
    });
    let private = site
        .unpublished
        .iter()
        .filter_map(|u| Some((u.rel.as_str(), u.number.as_ref()?)));
    let mut numbered: Vec<(&str, &Located<String>)> = published.chain(private).collect();
    numbered.sort_by_key(|(rel, _)| *rel);
    // `第１２号` typed in full width is the same number as `第12号`.
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    for (rel, number) in numbered {
        if number.is_empty() {
            continue;
        }
        let key: String = number.chars().map(half_width_digit).collect();
        match seen.get(&key) {
            Some(first) => diags.push(
                Diagnostic::error(
                    Code::Field,
                    rel,
                    format!("提案号 `{}` 与 {first} 重复", number.value),
                )
                .at_pos(number.pos)
                .hint("提案号在全站必须唯一"),
            ),
            None => {
                seen.insert(key, rel);
            }
        }
    }
}

/// What [`sort_key`] returns.
pub type SortKey = (
    bool,
    Reverse<Vec<u64>>,
    Reverse<String>,
    bool,
    Vec<NaturalPart>,
    String,
);

/// How a 提案 sorts: 届次·次会议 newest first (by the numbers in it: 十二届五次 after 十二届四次),
/// sessions without numbers after those with, then 提案号 in natural order, then the URL.
pub fn sort_key(page: &Page) -> SortKey {
    let m = page.meta.kind.proposal();
    let session = m.and_then(|m| m.session.clone()).unwrap_or_default();
    let number = m
        .and_then(|m| m.number.as_ref())
        .map(|n| natural_key(n))
        .unwrap_or_default();
    (
        session.is_empty(),
        Reverse(numbers_in(&session)),
        Reverse(session),
        number.is_empty(),
        number,
        page.path.clone(),
    )
}

/// A piece of a 提案号 for natural order: digit runs compare as numbers.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum NaturalPart {
    /// A digit run without its leading zeros, compared by length, then digits.
    Number(usize, String),
    Char(char),
}

/// `第12号` < `第101号`, `12.5-001` < `12.5-010`: each run of digits compares as a number —
/// ASCII or full-width digits (`第１２号`, typed in the input method's full-width mode), or a
/// number in Chinese numerals (`第十一号`).
pub fn natural_key(s: &str) -> Vec<NaturalPart> {
    let mut out = Vec::new();
    let mut chars = s.chars().map(half_width_digit).peekable();
    let numeral = |c: char| chinese_digit(c).is_some() || matches!(c, '十' | '百');
    while let Some(c) = chars.next() {
        let ascii = c.is_ascii_digit();
        if ascii || numeral(c) {
            let same = |d: &char| {
                if ascii {
                    d.is_ascii_digit()
                } else {
                    numeral(*d)
                }
            };
            let mut run = String::from(c);
            while let Some(d) = chars.next_if(same) {
                run.push(d);
            }
            let digits = match ascii {
                true => run.trim_start_matches('0').to_string(),
                false => number_of(&run).to_string(),
            };
            out.push(NaturalPart::Number(digits.len(), digits));
        } else {
            out.push(NaturalPart::Char(c));
        }
    }
    out
}

/// A full-width digit (`１`) as its ASCII twin; any other character as it is.
fn half_width_digit(c: char) -> char {
    match c {
        '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
        _ => c,
    }
}

/// The numbers written in a session's name, in Chinese numerals or digits:
/// `十二届五次会议` → [12, 5], `第12届第3次会议` → [12, 3].
pub fn numbers_in(s: &str) -> Vec<u64> {
    let mut out = Vec::new();
    let mut run = String::new();
    for c in s.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_digit() || chinese_digit(c).is_some() || matches!(c, '十' | '百') {
            run.push(c);
        } else if !run.is_empty() {
            out.push(number_of(&run));
            run.clear();
        }
    }
    out
}

fn chinese_digit(c: char) -> Option<u64> {
    "〇一二三四五六七八九"
        .chars()
        .position(|d| d == c)
        .or_else(|| (c == '零').then_some(0))
        .map(|d| d as u64)
}

/// `十二` → 12, `二十` → 20, `一百零五` → 105, `12` → 12.
fn number_of(run: &str) -> u64 {
    if run.chars().all(|c| c.is_ascii_digit()) {
        return run.parse().unwrap_or(u64::MAX);
    }
    let (mut total, mut digit) = (0u64, None::<u64>);
    for c in run.chars() {
        match c {
            '百' => total += digit.take().unwrap_or(1) * 100,
            '十' => total += digit.take().unwrap_or(1) * 10,
            _ => {
                let d = chinese_digit(c).or_else(|| c.to_digit(10).map(u64::from));
                digit = Some(digit.unwrap_or(0) * 10 + d.unwrap_or(0));
            }
        }
    }
    total + digit.unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_compare_by_their_digit_runs() {
        let mut v = vec!["第101号", "第12号", "第9号", "第012号x"];
        v.sort_by_key(|s| natural_key(s));
        assert_eq!(v, ["第9号", "第12号", "第012号x", "第101号"]);
        assert!(natural_key("12.5-010") > natural_key("12.5-001"));
        assert!(natural_key("12.10-001") > natural_key("12.9-100"));
        // Full-width digits and Chinese numerals are numbers too.
        let mut v = vec!["第103号", "第１２号", "第十一号", "第9号"];
        v.sort_by_key(|s| natural_key(s));
        assert_eq!(v, ["第9号", "第十一号", "第１２号", "第103号"]);
        assert_eq!(natural_key("第１２号"), natural_key("第12号"));
    }

    #[test]
    fn session_names_give_their_numbers() {
        assert_eq!(numbers_in("十二届五次会议"), [12, 5]);
        assert_eq!(numbers_in("第十二届第二十一次会议"), [12, 21]);
        assert_eq!(numbers_in("九届一百零五次"), [9, 105]);
        assert_eq!(numbers_in("第12届第3次会议"), [12, 3]);
        assert!(numbers_in("十二届五次会议") > numbers_in("十二届四次会议"));
        assert!(numbers_in("十三届一次会议") > numbers_in("十二届五次会议"));
    }
}
