//! The small, precomputed views templates receive. Lists share one `tera::Value` per page
//! (arrays and maps inside are reference-counted), so no render copies the whole site.

use serde::Serialize;

use crate::config::{BaseUrl, Config};
use crate::content::{Page, Section, Site, Taxonomy, Term};
use crate::markdown::Heading;

/// What every list shows of a page. Built once per page.
#[derive(Serialize)]
pub struct PageSummary<'a> {
    pub title: &'a str,
    /// For `href`: under the base path (`/sub/news/x/`).
    pub url: String,
    /// Absolute URL.
    pub permalink: String,
    /// RFC 3339 in the page's offset, or empty.
    pub date: String,
    pub updated: String,
    pub description: Option<&'a str>,
    /// HTML.
    pub summary: String,
    pub kind: &'static str,
    pub section_title: &'a str,
    pub section_url: String,
    pub pinned: bool,
    pub author: Option<&'a str>,
    pub source: Option<&'a str>,
    pub cover: Option<String>,
    pub sector: Option<&'a str>,
    pub committee: Option<&'a str>,
    pub position: Option<&'a str>,
    pub photo: Option<String>,
    pub era: Option<&'a str>,
}

/// A link to a term or section.
#[derive(Serialize)]
pub struct Link<'a> {
    pub title: &'a str,
    pub url: String,
}

/// The page a `page.html` renders: everything of the summary plus its body and context.
#[derive(Serialize)]
pub struct PageView<'a> {
    #[serde(flatten)]
    pub summary: &'a tera::Value,
    pub content: String,
    pub toc: Vec<Heading>,
    pub word_count: usize,
    pub reading_minutes: usize,
    pub editor: Option<&'a str>,
    pub term: Option<&'a str>,
    pub party: Option<&'a str>,
    pub members: &'a [String],
    pub slug: &'a str,
    pub path: &'a str,
    pub extra: &'a serde_json::Value,
    /// Taxonomy name → its terms on this page.
    pub taxonomies: std::collections::BTreeMap<&'a str, Vec<Link<'a>>>,
    /// Neighbours in the section's order (`previous` comes before this page in the list).
    pub previous: Option<tera::Value>,
    pub next: Option<tera::Value>,
    /// Members: the 界别 and 专委会 pages.
    pub sector_url: Option<String>,
    pub committee_url: Option<String>,
    /// Members: the news items that name this member, newest first.
    pub mentioned_in: Vec<tera::Value>,
    /// News: the member profiles this item names.
    pub member_links: Vec<Link<'a>>,
}

/// A section, without its pages (those come through the paginator).
#[derive(Serialize)]
pub struct SectionView<'a> {
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub kind: &'static str,
    pub url: String,
    pub permalink: String,
    pub path: &'a str,
    /// HTML of the `_index.md` body.
    pub content: String,
    pub page_count: usize,
    pub subsections: Vec<Link<'a>>,
    /// Ancestors from the home section down, for breadcrumbs.
    pub ancestors: Vec<Link<'a>>,
    pub extra: &'a serde_json::Value,
    /// URL of the section's feed, when it has one.
    pub feed_url: Option<String>,
}

/// One page of a paginated list.
#[derive(Serialize)]
pub struct Paginator {
    pub pages: Vec<tera::Value>,
    /// 1-based.
    pub current_index: usize,
    pub number_pagers: usize,
    pub paginate_by: usize,
    pub total_pages: usize,
    pub first: String,
    pub last: String,
    pub previous: Option<String>,
    pub next: Option<String>,
    /// Page-number links: the first, the last and those near the current pager.
    pub pagers: Vec<PagerLink>,
}

#[derive(Serialize)]
pub struct PagerLink {
    pub index: usize,
    pub url: String,
    /// True when pagers were skipped before this one (show "…").
    pub gap_before: bool,
}

/// The configuration part templates see as `config`.
#[derive(Serialize)]
pub struct ConfigView<'a> {
    pub title: &'a str,
    pub base_url: &'a str,
    pub description: &'a str,
    pub language: &'a str,
    pub timezone: &'a str,
    pub footer: &'a crate::config::Footer,
    pub members: &'a crate::config::MembersConfig,
    pub search_enabled: bool,
    pub extra: &'a toml::Table,
}

impl<'a> ConfigView<'a> {
    pub fn new(config: &'a Config, base: &'a BaseUrl) -> Self {
        ConfigView {
            title: &config.title,
            base_url: &base.origin_and_path,
            description: &config.description,
            language: &config.language,
            timezone: &config.timezone,
            footer: &config.footer,
            members: &config.members,
            search_enabled: config.search.enabled,
            extra: &config.extra,
        }
    }
}

/// Links for the main navigation: the home section's direct subsections.
pub fn nav<'a>(site: &'a Site, base: &BaseUrl) -> Vec<Link<'a>> {
    site.sections[0]
        .children
        .iter()
        .map(|&i| section_link(&site.sections[i], base))
        .collect()
}

pub fn section_link<'a>(s: &'a Section, base: &BaseUrl) -> Link<'a> {
    Link {
        title: &s.meta.title,
        url: base.href(&s.path),
    }
}

pub fn term_link<'a>(t: &'a Term, base: &BaseUrl) -> Link<'a> {
    Link {
        title: &t.name,
        url: base.href(&t.path),
    }
}

/// A page's summary view; `summary_html` was computed by the Markdown stage.
pub fn page_summary<'a>(
    site: &'a Site,
    page: &'a Page,
    summary_html: String,
    base: &BaseUrl,
) -> PageSummary<'a> {
    let section = &site.sections[page.section];
    let m = &page.meta;
    let rfc = |d: Option<chrono::DateTime<chrono::FixedOffset>>| {
        d.map(|d| d.to_rfc3339()).unwrap_or_default()
    };
    // An unsafe URL (`javascript:` …) is dropped here and reported by `check` as `unsafe-url`.
    let local_url = |u: &Option<String>| {
        u.as_ref()
            .filter(|u| crate::markdown::url::is_safe(u))
            .map(|u| asset_href(u, base))
    };
    PageSummary {
        title: &m.title,
        url: base.href(&page.path),
        permalink: base.absolute(&page.path),
        date: rfc(page.date),
        updated: rfc(m.updated),
        description: m.description.as_deref(),
        summary: summary_html,
        kind: page.kind.as_str(),
        section_title: &section.meta.title,
        section_url: base.href(&section.path),
        pinned: m.pinned,
        author: m.author.as_deref(),
        source: m.source.as_deref(),
        cover: local_url(&m.cover),
        sector: m.sector.as_deref(),
        committee: m.committee.as_deref(),
        position: m.position.as_deref(),
        photo: local_url(&m.photo),
        era: m.era.as_deref(),
    }
}

/// A site-absolute asset path gets the base path; anything else is left as written.
pub fn asset_href(url: &str, base: &BaseUrl) -> String {
    if url.starts_with('/') && !url.starts_with("//") {
        base.href(url)
    } else {
        url.to_string()
    }
}

/// Ancestors of a section from the home section down, not including itself.
pub fn ancestors<'a>(site: &'a Site, mut idx: usize, base: &BaseUrl) -> Vec<Link<'a>> {
    let mut out = Vec::new();
    while let Some(p) = site.sections[idx].parent {
        out.push(section_link(&site.sections[p], base));
        idx = p;
    }
    out.reverse();
    out
}

/// The taxonomy index's view of itself.
#[derive(Serialize)]
pub struct TaxonomyView<'a> {
    pub name: &'a str,
    pub title: &'a str,
    pub url: String,
    pub terms: Vec<TermView<'a>>,
}

#[derive(Serialize)]
pub struct TermView<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub url: String,
    pub count: usize,
    pub feed_url: Option<String>,
}

pub fn taxonomy_view<'a>(t: &'a Taxonomy, base: &BaseUrl) -> TaxonomyView<'a> {
    TaxonomyView {
        name: &t.name,
        title: &t.config.title,
        url: base.href(&t.path),
        terms: t
            .terms
            .iter()
            .map(|term| term_view(t, term, base))
            .collect(),
    }
}

pub fn term_view<'a>(t: &Taxonomy, term: &'a Term, base: &BaseUrl) -> TermView<'a> {
    TermView {
        name: &term.name,
        slug: &term.slug,
        url: base.href(&term.path),
        count: term.pages.len(),
        feed_url: (t.config.feed && !term.pages.is_empty())
            .then(|| base.href(&format!("{}rss.xml", term.path))),
    }
}

/// A 界别 or 专委会 and its members in 姓氏笔画 order.
#[derive(Serialize)]
pub struct MemberGroupView<'a> {
    pub kind: crate::content::members::GroupKind,
    /// 界别 or 专委会
    pub kind_title: &'static str,
    pub name: &'a str,
    pub url: String,
    pub members: Vec<tera::Value>,
}

/// A link to a 界别 or 专委会 page.
#[derive(Serialize)]
pub struct GroupLink<'a> {
    pub name: &'a str,
    pub url: String,
    pub count: usize,
}

/// A 文史 series (辑) with its articles in reading order.
#[derive(Serialize)]
pub struct SeriesView<'a> {
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub url: String,
    pub pages: Vec<tera::Value>,
}

/// A home-page strip: a section's title, link and a few pages.
#[derive(Serialize)]
pub struct HomeStrip<'a> {
    pub title: &'a str,
    pub url: String,
    pub pages: Vec<tera::Value>,
}
