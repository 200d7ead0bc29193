//! What templates receive, as plain structs. Each job's whole input is built from these (see
//! [`super::plan`]); they derive `Hash` as well as `Serialize`, so a job's fingerprint is
//! derived from the very values its template sees and cannot drift from them.

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use serde::{Serialize, Serializer};

use crate::config::{BaseUrl, Config};
use crate::content::{Body, Page, Section, SectionId, Site, Taxonomy, Term};
use crate::images::ImageTable;
use crate::markdown::{self, MarkdownOptions};

/// What a page's summary is made from, by reference: the input of [`Summary::compute`] and,
/// hashed (without allocating), the key under which `serve` keeps the result.
#[derive(Hash)]
pub struct SummaryInput<'a> {
    pub title: &'a str,
    /// Site-absolute URL path.
    pub path: &'a str,
    pub date: Option<chrono::DateTime<chrono::FixedOffset>>,
    pub updated: Option<chrono::DateTime<chrono::FixedOffset>>,
    pub description: Option<&'a str>,
    pub kind: &'static str,
    pub section_title: &'a str,
    pub section_path: &'a str,
    pub pinned: bool,
    pub author: Option<&'a str>,
    pub source: Option<&'a str>,
    pub cover: Option<&'a str>,
    pub sector: Option<&'a str>,
    pub committee: Option<&'a str>,
    pub position: Option<&'a str>,
    pub photo: Option<&'a str>,
    pub era: Option<&'a str>,
    pub proposal: Option<ProposalSummary<'a>>,
    pub body: &'a Body,
    /// What the summary reads of the image table (see [`ImageTable::key_for`]).
    pub images: u64,
}

/// What lists show of a 提案.
#[derive(Debug, Clone, Copy, Serialize, Hash)]
pub struct ProposalSummary<'a> {
    pub number: Option<&'a str>,
    pub proposers: &'a [String],
    pub group: Option<&'a str>,
    pub session: Option<&'a str>,
    pub category: Option<&'a str>,
    pub status: Option<&'a str>,
    pub key: bool,
    pub excellent: bool,
}

impl<'a> ProposalSummary<'a> {
    /// The list view of a 提案's fields.
    pub fn of(m: &'a crate::content::ProposalMeta) -> Self {
        ProposalSummary {
            number: m.number.as_deref().map(String::as_str),
            proposers: m.proposers.as_deref().map_or(&[], Vec::as_slice),
            group: m.group.as_deref(),
            session: m.session.as_deref(),
            category: m.category.as_deref().map(String::as_str),
            status: m.status.as_deref().map(String::as_str),
            key: m.key,
            excellent: m.excellent,
        }
    }
}

/// What every list shows of a page.
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
    pub kind: &'static str,
    pub section_title: &'a str,
    pub section_url: String,
    pub pinned: bool,
    pub author: Option<&'a str>,
    pub source: Option<&'a str>,
    pub cover: Option<String>,
    /// The cover's published size, when it is an image of the site.
    pub cover_width: Option<u32>,
    pub cover_height: Option<u32>,
    /// What lists and the picture grid show of the cover: its thumbnail (about
    /// [`crate::images::THUMB_WIDTH`] px wide) when it has one, else the cover itself.
    pub cover_thumb: Option<ImageLink>,
    pub sector: Option<&'a str>,
    pub committee: Option<&'a str>,
    pub position: Option<&'a str>,
    pub photo: Option<String>,
    pub era: Option<&'a str>,
    /// 提案: its number, proposers, session, status and marks.
    pub proposal: Option<ProposalSummary<'a>>,
    /// HTML: before `<!-- more -->`, else the description, else the opening text.
    pub summary: &'a str,
}

/// An image for a template: URL (under the base path) and size in pixels, when known.
#[derive(Serialize, Debug, Hash)]
pub struct ImageLink {
    pub url: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
}

/// A page as lists show it: its list view (with the summary HTML for the site's own lists),
/// the summary HTML for feeds (full URLs), and a hash of both. Serializes as the list view;
/// hashes as the precomputed hash, so a list's fingerprint costs one number per page.
#[derive(Debug)]
pub struct Summary {
    pub view: tera::Value,
    pub feed_html: String,
    pub hash: u64,
}

impl Summary {
    /// Makes the summary HTML from `s.body` (before `<!-- more -->`, else the description,
    /// else the opening text) and the list view from the rest of `s`.
    pub fn compute(input: &SummaryInput, base: &BaseUrl, md: MarkdownOptions) -> Arc<Summary> {
        let html = summary_html(input, base, md);
        // A struct, not a flattened map: its keys are then static strings in the view, not
        // twenty small allocations per page.
        let list = input.view(base, md.images, &html.list);
        // Hashed as templates and feeds see it: a body edit that leaves the summary as it was
        // changes no list.
        let mut h = std::hash::DefaultHasher::new();
        serde_json::to_vec(&list).unwrap_or_default().hash(&mut h);
        html.feed.hash(&mut h);
        let view = tera::Value::from_serializable(&list);
        Arc::new(Summary {
            view,
            feed_html: html.feed,
            hash: h.finish(),
        })
    }
}

/// Hashes as its precomputed hash, and notes the read (see [`crate::reads`]).
impl Hash for Summary {
    fn hash<H: Hasher>(&self, state: &mut H) {
        crate::reads::note(self.hash);
        self.hash.hash(state);
    }
}

impl Serialize for Summary {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.view.serialize(serializer)
    }
}

/// A page's summary for lists and for feeds (see [`markdown::SummaryHtml`]).
fn summary_html(s: &SummaryInput, base: &BaseUrl, md: MarkdownOptions) -> markdown::SummaryHtml {
    let at = markdown::PageUrl {
        path: s.path,
        origin: base.origin(),
    };
    if let Some(html) = markdown::summary_before_more(s.body, md, at) {
        return html;
    }
    let text = match s.description {
        Some(d) => d.to_string(),
        None => markdown::summary_from_text(&markdown::opening_text(s.body, 120)),
    };
    let list = if text.is_empty() {
        String::new()
    } else {
        format!("<p>{}</p>", markdown::html_escape(&text))
    };
    markdown::SummaryHtml {
        feed: list.clone(),
        list,
    }
}

/// A full URL (`https://example.org/sub/news/`), written out only when a template's context
/// is made. Hashes as its path: the base URL is the same for every job of a build.
pub struct Permalink<'a> {
    pub base: &'a BaseUrl,
    /// Site-absolute path.
    pub path: &'a str,
}

impl Serialize for Permalink<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.base.absolute(self.path))
    }
}

impl Hash for Permalink<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.path.hash(state);
    }
}

/// A JSON value (`extra`) in a view: serialized as is, hashed through its JSON text.
#[derive(Serialize)]
#[serde(transparent)]
pub struct Json<'a, T: Serialize>(pub &'a T);

impl Hash for Json<'_, serde_json::Value> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        hash_json(self.0, state);
    }
}

/// Hashes a JSON value by walking it: no text is made.
fn hash_json<H: Hasher>(value: &serde_json::Value, state: &mut H) {
    use serde_json::Value;
    std::mem::discriminant(value).hash(state);
    match value {
        Value::Null => {}
        Value::Bool(b) => b.hash(state),
        Value::Number(n) => n.to_string().hash(state),
        Value::String(s) => s.hash(state),
        Value::Array(items) => {
            items.len().hash(state);
            items.iter().for_each(|v| hash_json(v, state));
        }
        Value::Object(map) => {
            map.len().hash(state);
            for (k, v) in map {
                k.hash(state);
                hash_json(v, state);
            }
        }
    }
}

/// Markdown that becomes HTML when a template's context is made, never before: a job whose
/// fingerprint is unchanged never renders it. Hashes as its source and the sizes of the
/// images it shows.
#[derive(Hash)]
pub struct Markdown<'a> {
    pub source: &'a str,
    pub md: MarkdownOptions<'a>,
    /// What it reads of the image table ([`ImageTable::key_for`]).
    pub images: u64,
}

impl Serialize for Markdown<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&markdown::render(self.source, self.md).html)
    }
}

/// A link to a term or section.
#[derive(Serialize, Hash)]
pub struct Link<'a> {
    pub title: &'a str,
    pub url: String,
}

/// The page a `page.html` renders: everything of the summary plus its context. The body is
/// rendered by [`super::Renderer`], which adds `content`, `toc`, `word_count` and
/// `reading_minutes`.
#[derive(Serialize, Hash)]
pub struct PageView<'a> {
    #[serde(flatten)]
    pub summary: &'a Summary,
    #[serde(skip)]
    pub body: &'a Body,
    pub editor: Option<&'a str>,
    pub term: Option<&'a str>,
    pub party: Option<&'a str>,
    pub members: &'a [String],
    pub slug: &'a str,
    pub path: &'a str,
    pub extra: Json<'a, serde_json::Value>,
    /// Taxonomy name → its terms on this page.
    pub taxonomies: std::collections::BTreeMap<&'a str, Vec<&'a Link<'a>>>,
    /// Neighbours in the section's order (`previous` comes before this page in the list).
    pub previous: Option<&'a Summary>,
    pub next: Option<&'a Summary>,
    /// Members: the 界别 and 专委会 pages.
    pub sector_url: Option<&'a str>,
    pub committee_url: Option<&'a str>,
    /// Members: the news items that name this member, newest first.
    pub mentioned_in: Vec<&'a Summary>,
    /// News: the member profiles this item names.
    pub member_links: Vec<Link<'a>>,
    /// The files (pdf, docx …) the body links, with type and size.
    pub attachments: Vec<super::attachments::Attachment>,
    /// 提案: its fields, with links.
    pub proposal: Option<ProposalView<'a>>,
    /// Members: the 提案 naming this member among their proposers.
    pub proposals: Vec<&'a Summary>,
}

/// A 提案 as its own page shows it.
#[derive(Serialize, Hash)]
pub struct ProposalView<'a> {
    pub number: Option<&'a str>,
    /// 提案人, each linked to their member page when there is one.
    pub proposers: Vec<NameLink<'a>>,
    pub group: Option<&'a str>,
    pub session: Option<&'a str>,
    pub category: Option<NameLink<'a>>,
    pub status: Option<NameLink<'a>>,
    /// The status's slug, for the badge's class.
    pub status_slug: Option<String>,
    pub handlers: &'a [String],
    pub co_handlers: &'a [String],
    pub key: bool,
    pub excellent: bool,
}

/// A name with a link when there is a page for it.
#[derive(Serialize, Hash)]
pub struct NameLink<'a> {
    pub name: &'a str,
    pub url: Option<String>,
}

/// A link to a 类别 or 办理状态 page, with its count.
#[derive(Serialize, Hash)]
pub struct FacetLink<'a> {
    pub name: &'a str,
    pub url: String,
    pub count: usize,
    /// Whether this is the page showing.
    pub current: bool,
}

/// The 提案 of one 届次·次会议.
#[derive(Serialize, Hash)]
pub struct SessionView<'a> {
    /// Empty when the 提案 name none.
    pub name: &'a str,
    pub pages: Vec<&'a Summary>,
}

/// A section, without its pages (those come through the paginator).
#[derive(Serialize, Hash)]
pub struct SectionView<'a> {
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub kind: &'static str,
    pub url: String,
    pub permalink: String,
    pub path: &'a str,
    /// HTML of the `_index.md` body (empty except on a list's first pager and the home page).
    pub content: Option<Markdown<'a>>,
    pub page_count: usize,
    pub subsections: Vec<Link<'a>>,
    /// Ancestors from the home section down, for breadcrumbs.
    pub ancestors: Vec<Link<'a>>,
    /// The 栏目 beside this one, for a side menu: the subsections of its parent when that is
    /// not the home section (this one included), else its own subsections.
    pub siblings: Vec<Link<'a>>,
    pub extra: Json<'a, serde_json::Value>,
    /// URL of the section's feed, when it has one.
    pub feed_url: Option<String>,
    /// How the list shows pages: `title`, `summary` or `picture`.
    pub list: crate::content::ListStyle,
}

/// A section's view as its pages show it (`section`), with its template value made once for
/// all of them rather than once a page. Hashes as the view; serializes as the value, which Tera
/// takes over as it is.
pub struct SharedSection<'a> {
    view: SectionView<'a>,
    value: tera::Value,
}

impl<'a> SharedSection<'a> {
    pub fn new(view: SectionView<'a>) -> Self {
        let value = tera::Value::from_serializable(&view);
        SharedSection { view, value }
    }
}

impl Hash for SharedSection<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.view.hash(state);
    }
}

impl Serialize for SharedSection<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(serializer)
    }
}

/// A 专题 as its landing page and the home page show it.
#[derive(Serialize, Hash)]
pub struct TopicView<'a> {
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub url: String,
    pub banner: Option<ImageLink>,
}

/// One 栏目 of a 专题 with its newest pages.
#[derive(Serialize, Hash)]
pub struct TopicColumn<'a> {
    pub title: &'a str,
    pub url: String,
    pub pages: Vec<&'a Summary>,
}

/// One page of a paginated list.
#[derive(Serialize, Hash)]
pub struct Paginator<'a> {
    pub pages: Vec<&'a Summary>,
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

#[derive(Serialize, Hash)]
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
    /// The host of `base_url` (`www.example.gov.cn`), for the `SiteDomain` meta tag.
    pub domain: &'a str,
    /// The digits of the 公安备案号, for the link to its record; empty without one.
    pub police_code: String,
    /// 友情链接 in groups (`[[links]]`).
    pub links: &'a [crate::config::LinkGroup],
}

impl<'a> ConfigView<'a> {
    pub fn new(config: &'a Config, base: &'a BaseUrl) -> Self {
        ConfigView {
            title: &config.title,
            base_url: &base.origin_and_path,
            description: &config.description,
            language: &config.language,
            timezone: &config.timezone.text,
            footer: config.footer(),
            members: &config.members,
            search_enabled: config.search.enabled,
            extra: &config.extra,
            domain: base
                .origin_and_path
                .split("://")
                .nth(1)
                .and_then(|rest| rest.split('/').next())
                .unwrap_or(""),
            police_code: config
                .footer()
                .police
                .as_deref()
                .unwrap_or("")
                .chars()
                .filter(char::is_ascii_digit)
                .collect(),
            links: &config.links,
        }
    }
}

/// Titles of the plain pages the theme links from every page's footer, in this order (the
/// pages `tongxin init` writes under 关于我们).
pub const FOOTER_PAGE_TITLES: [&str; 4] = ["联系我们", "隐私声明", "网站声明", "无障碍声明"];

/// Links to the site's plain pages titled as in [`FOOTER_PAGE_TITLES`], in that order.
pub fn footer_pages<'a>(site: &'a Site, base: &BaseUrl) -> Vec<Link<'a>> {
    FOOTER_PAGE_TITLES
        .iter()
        .filter_map(|title| {
            let page = site.pages.iter().find(|p| {
                p.kind == crate::content::SectionKind::Plain && p.meta.title.value == *title
            })?;
            Some(Link {
                title: &page.meta.title,
                url: base.href(&page.path),
            })
        })
        .collect()
}

/// Links for the main navigation: the home section's direct subsections.
pub fn nav<'a>(site: &'a Site, base: &BaseUrl) -> Vec<Link<'a>> {
    site.sections[SectionId::HOME]
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

/// What page `page`'s summary is made from, with the sizes of its images in `images`.
pub fn summary_input<'a>(site: &'a Site, page: &'a Page, images: &ImageTable) -> SummaryInput<'a> {
    let section = &site.sections[page.section];
    let m = &page.meta;
    let (news, member) = (m.kind.news(), m.kind.member());
    SummaryInput {
        title: &m.title,
        path: &page.path,
        date: page.date,
        updated: m.updated,
        description: m.description.as_deref().map(String::as_str),
        kind: page.kind.as_str(),
        section_title: &section.meta.title,
        section_path: &section.path,
        pinned: m.kind.pinned(),
        author: m.kind.author(),
        source: m.kind.source(),
        cover: news.and_then(|n| n.cover.as_deref()).map(String::as_str),
        sector: member.and_then(|p| p.sector.as_deref()).map(String::as_str),
        committee: member
            .and_then(|p| p.committee.as_deref())
            .map(String::as_str),
        position: member.and_then(|p| p.position.as_deref()),
        photo: member.and_then(|p| p.photo.as_deref()).map(String::as_str),
        era: m.kind.wenshi().and_then(|w| w.era.as_deref()),
        proposal: m.kind.proposal().map(ProposalSummary::of),
        body: &page.body,
        images: images.key_for(page.body.image_urls(), cover_of(page), &page.path),
    }
}

/// A news page's `cover`, as written.
pub fn cover_of(page: &Page) -> Option<&str> {
    page.meta
        .kind
        .news()
        .and_then(|n| n.cover.as_deref())
        .map(String::as_str)
}

impl SummaryInput<'_> {
    /// The list view, with URLs under `base` and dates in RFC 3339.
    fn view<'s>(
        &'s self,
        base: &BaseUrl,
        images: Option<&ImageTable>,
        summary: &'s str,
    ) -> PageSummary<'s> {
        let rfc = |d: Option<chrono::DateTime<chrono::FixedOffset>>| {
            d.map(|d| d.to_rfc3339()).unwrap_or_default()
        };
        // An unsafe URL (`javascript:` …) is dropped here; `check` reports it as `unsafe-url`.
        let local_url = |u: Option<&str>| {
            u.filter(|u| crate::markdown::url::is_safe(u))
                .map(|u| asset_href(u, base))
        };
        let cover = local_url(self.cover);
        let size = cover
            .as_ref()
            .and(self.cover)
            .and_then(|c| images?.size_of(c, Some(self.path)));
        let cover_thumb = cover.as_ref().map(|url| {
            let thumb = self
                .cover
                .and_then(|c| images?.thumbnail_of(c, Some(self.path)));
            match thumb {
                Some((path, s)) => ImageLink {
                    url: base.href(&path),
                    width: Some(s.width),
                    height: Some(s.height),
                },
                None => ImageLink {
                    url: url.clone(),
                    width: size.map(|s| s.width),
                    height: size.map(|s| s.height),
                },
            }
        });
        PageSummary {
            title: self.title,
            url: base.href(self.path),
            permalink: base.absolute(self.path),
            date: rfc(self.date),
            updated: rfc(self.updated),
            description: self.description,
            kind: self.kind,
            section_title: self.section_title,
            section_url: base.href(self.section_path),
            pinned: self.pinned,
            author: self.author,
            source: self.source,
            cover,
            cover_width: size.map(|s| s.width),
            cover_height: size.map(|s| s.height),
            cover_thumb,
            sector: self.sector,
            committee: self.committee,
            position: self.position,
            photo: local_url(self.photo),
            era: self.era,
            proposal: self.proposal,
            summary,
        }
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
pub fn ancestors<'a>(site: &'a Site, mut idx: SectionId, base: &BaseUrl) -> Vec<Link<'a>> {
    let mut out = Vec::new();
    while let Some(p) = site.sections[idx].parent {
        out.push(section_link(&site.sections[p], base));
        idx = p;
    }
    out.reverse();
    out
}

/// The taxonomy index's view of itself.
#[derive(Serialize, Hash)]
pub struct TaxonomyView<'a> {
    pub name: &'a str,
    pub title: &'a str,
    pub url: String,
    pub terms: Vec<TermView<'a>>,
}

#[derive(Serialize, Hash)]
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
#[derive(Serialize, Hash)]
pub struct MemberGroupView<'a> {
    pub kind: crate::content::members::GroupKind,
    /// 界别 or 专委会
    pub kind_title: &'static str,
    pub name: &'a str,
    pub url: String,
    pub members: Vec<&'a Summary>,
}

/// A link to a 界别 or 专委会 page.
#[derive(Serialize, Hash)]
pub struct GroupLink<'a> {
    pub name: &'a str,
    pub url: String,
    pub count: usize,
}

/// A 文史 series (辑) with its articles in reading order.
#[derive(Serialize, Hash)]
pub struct SeriesView<'a> {
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub url: String,
    pub pages: Vec<&'a Summary>,
}

/// A home-page strip: a section's title, link and a few pages.
#[derive(Serialize, Hash)]
pub struct HomeStrip<'a> {
    pub title: &'a str,
    pub url: String,
    pub pages: Vec<&'a Summary>,
}
