//! The inputs of 提案 outputs: a 提案's own fields with links, its section's list by
//! 届次·次会议, and the 类别 and 办理状态 pages.

use serde::Serialize;

use super::{Here, Plan};
use crate::content::proposals::{Facet, facet_value};
use crate::content::slug::slugify;
use crate::content::{PageId, SectionId, SectionKind};
use crate::render::views::{FacetLink, NameLink, ProposalView, SectionView, SessionView};

/// 提案 per pager of a 提案 section without its own `paginate_by`: a list row is one line, and
/// a 政协 files some 200–400 a year, so a year's 提案 take a few pagers, not twenty.
pub const PER_PAGE: usize = 100;

/// What a 提案 section's list shows besides its paginator.
#[derive(Serialize, Hash)]
pub struct ProposalLists<'a> {
    /// This pager's 提案 by 届次·次会议, newest first.
    pub sessions: Vec<SessionView<'a>>,
    pub categories: Vec<FacetLink<'a>>,
    pub statuses: Vec<FacetLink<'a>>,
}

/// A 类别 or 办理状态 page.
#[derive(Serialize, Hash)]
pub struct ProposalGroupContext<'a> {
    /// The top 提案 section.
    pub section: SectionView<'a>,
    pub facet: Facet,
    /// 类别 or 办理状态.
    pub facet_title: &'static str,
    pub name: &'a str,
    pub url: String,
    pub count: usize,
    pub sessions: Vec<SessionView<'a>>,
    pub categories: Vec<FacetLink<'a>>,
    pub statuses: Vec<FacetLink<'a>>,
    #[serde(flatten)]
    pub here: Here<'a>,
}

impl<'a> Plan<'a> {
    /// The top 提案 section at or above section `i`: the one whose 类别 and 办理状态 pages
    /// the 提案 below it are on.
    fn top_proposal_section(&self, mut i: SectionId) -> SectionId {
        let sections = &self.site.sections;
        while let Some(p) = sections[i].parent {
            if sections[p].kind != SectionKind::Proposals {
                break;
            }
            i = p;
        }
        i
    }

    /// The URL of the `facet` page for value `name` under top section `top`.
    fn facet_url(&self, top: SectionId, facet: Facet, name: &str) -> Option<String> {
        self.site
            .proposals
            .facets
            .iter()
            .find(|f| f.section == top && f.facet == facet && f.name == name)
            .map(|f| self.base.href(&f.path))
    }

    /// Links to the `facet` pages of top section `top`; `current` names the page showing.
    fn facet_links(
        &self,
        top: SectionId,
        facet: Facet,
        current: Option<usize>,
    ) -> Vec<FacetLink<'a>> {
        let facets = &self.site.proposals.facets;
        facets
            .iter()
            .enumerate()
            .filter(|(_, f)| f.section == top && f.facet == facet)
            .map(|(fi, f)| FacetLink {
                name: &f.name,
                url: self.base.href(&f.path),
                count: f.pages.len(),
                current: current == Some(fi),
            })
            .collect()
    }

    /// `pages` (in list order) by 届次·次会议, keeping that order.
    fn sessions(&self, pages: &[PageId]) -> Vec<SessionView<'a>> {
        let site = self.site;
        let mut out: Vec<SessionView> = Vec::new();
        for &p in pages {
            let session = site.pages[p]
                .meta
                .kind
                .proposal()
                .and_then(|m| m.session.as_deref())
                .unwrap_or("");
            match out.last_mut() {
                Some(last) if last.name == session => last.pages.push(self.summary(p)),
                _ => out.push(SessionView {
                    name: session,
                    pages: vec![self.summary(p)],
                }),
            }
        }
        out
    }

    /// The list parts of 提案 section `i` for the pages of one pager.
    pub(super) fn proposal_lists(&self, i: SectionId, pages: &[PageId]) -> ProposalLists<'a> {
        let top = self.top_proposal_section(i);
        ProposalLists {
            sessions: self.sessions(pages),
            categories: self.facet_links(top, Facet::Category, None),
            statuses: self.facet_links(top, Facet::Status, None),
        }
    }

    /// The context of 类别 or 办理状态 page `f`.
    pub(super) fn facet_context(&self, f: usize) -> ProposalGroupContext<'a> {
        let facet = &self.site.proposals.facets[f];
        ProposalGroupContext {
            section: self.section_view(facet.section, false),
            facet: facet.facet,
            facet_title: facet.facet.title(),
            name: &facet.name,
            url: self.base.href(&facet.path),
            count: facet.pages.len(),
            sessions: self.sessions(&facet.pages),
            categories: self.facet_links(facet.section, Facet::Category, Some(f)),
            statuses: self.facet_links(facet.section, Facet::Status, Some(f)),
            here: self.here(&facet.path),
        }
    }

    /// Page `i`'s 提案 fields with links to member pages and to its 类别 and 办理状态 pages.
    pub(super) fn proposal_view(&self, i: PageId) -> Option<ProposalView<'a>> {
        let site = self.site;
        let page = &site.pages[i];
        let m = page.meta.kind.proposal()?;
        let top = self.top_proposal_section(page.section);
        let linked = site.proposals.proposers.get(&i);
        let proposers = m
            .proposers
            .as_deref()
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .enumerate()
            .map(|(n, name)| NameLink {
                name,
                url: linked
                    .and_then(|l| l.get(n).copied().flatten())
                    .map(|member| self.base.href(&site.pages[member].path)),
            })
            .collect();
        let facet_link = |facet: Facet| {
            let name = facet_value(page, facet)?;
            Some(NameLink {
                name,
                url: self.facet_url(top, facet, name),
            })
        };
        Some(ProposalView {
            number: m.number.as_deref().map(String::as_str),
            proposers,
            group: m.group.as_deref(),
            session: m.session.as_deref(),
            category: facet_link(Facet::Category),
            status: facet_link(Facet::Status),
            status_slug: facet_value(page, Facet::Status).map(slugify),
            handlers: &m.handlers,
            co_handlers: &m.co_handlers,
            key: m.key,
            excellent: m.excellent,
        })
    }
}
