//! What to render: every output of the site as a [`Job`], and for each job its whole
//! [`Input`] — the values its template (or feed, or sitemap writer) will see, and nothing else.
//! [`super::Renderer`] turns an input into bytes without looking at the site, so an input's
//! hash is a complete fingerprint of its output.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::Datelike;
use serde::Serialize;

use super::views::*;
use super::{Input, Job, PageInput, TemplateRef, file_of_path};
use crate::config::{BaseUrl, Config};
use crate::content::alias::{
    Alias, Imported, MapEntry, REDIRECTS_CSV, imported_page, nginx_map, redirect_page,
};
use crate::content::members::{GroupKind, MemberGroup};
use crate::content::{HomeBlock, PageId, SectionId, SectionKind, Site};
use crate::feed::{Channel, Item};
use crate::markdown::MarkdownOptions;
use crate::paginate::{Pager, pager_path, paginate};
use crate::sitemap::Entry;

mod proposals;
pub use proposals::{ProposalGroupContext, ProposalLists};

/// Page-number links shown either side of the current pager.
const PAGER_WINDOW: usize = 2;
/// How many pages each home-page block lists.
const HOME_BLOCK_LEN: usize = 8;
/// How many members the home page's strip shows.
const HOME_MEMBERS_LEN: usize = 8;
/// How many of the newest 文史 articles the home page shows.
const HOME_WENSHI_LEN: usize = 5;
/// How many 焦点图 the home carousel shows (the newest).
const HOME_FOCUS_LEN: usize = 5;
/// How many pages a 专题 landing page lists per 栏目.
const TOPIC_COLUMN_LEN: usize = 8;
/// The template of the 政协领导 page: a section that names it gets `leaders`.
pub const LEADERS_TEMPLATE: &str = "leaders.html";

/// The resolved site with its summaries: what every job's input is taken from, with what many
/// jobs share worked out once.
pub struct Plan<'a> {
    pub site: &'a Site,
    pub config: &'a Config,
    pub base: &'a BaseUrl,
    pub md: MarkdownOptions<'a>,
    /// Per page (by [`PageId::index`]), what lists show of it.
    pub summaries: &'a [Arc<Summary>],
    /// Per section (by [`SectionId::index`]), its view without content (what its pages see as
    /// `section`).
    sections: Vec<SharedSection<'a>>,
    /// Per page, where it stands in its own section's list (unlisted pages stand nowhere).
    positions: Vec<Option<usize>>,
    /// Per taxonomy, per term name as written in front matter, the term it files the page
    /// under (names are slugified once, not once per page).
    terms: Vec<HashMap<&'a str, Option<usize>>>,
    /// Per taxonomy, per term, its link.
    term_links: Vec<Vec<Link<'a>>>,
    /// Per 界别 and per 专委会 name, the URL of its page.
    group_urls: HashMap<(GroupKind, &'a str), String>,
    /// The site root, where attachments' sizes are read; `None` lists no attachments.
    pub root: Option<&'a std::path::Path>,
    /// The rows of `redirects.csv`: old URLs of pages (rows naming no page are left out).
    pub imported: &'a [Imported],
}

/// The context of an HTML job other than a page, as its template sees it.
#[derive(Serialize, Hash)]
#[serde(untagged)]
pub enum HtmlContext<'a> {
    Section(SectionContext<'a>),
    Home(HomeContext<'a>),
    Taxonomy(TaxonomyContext<'a>),
    Term(TermContext<'a>),
    Archive(ArchiveContext<'a>),
    Group(GroupContext<'a>),
    ProposalGroup(ProposalGroupContext<'a>),
    Search(SearchContext<'a>),
    SiteMap(SiteMapContext<'a>),
    NotFound(NotFound),
}

/// `/sitemap/`: the 网站地图, every section under the home section as a tree.
#[derive(Serialize, Hash)]
pub struct SiteMapContext<'a> {
    pub sections: Vec<MapNode<'a>>,
    #[serde(flatten)]
    pub here: Here<'a>,
}

/// A section in the 网站地图 with its subsections.
#[derive(Serialize, Hash)]
pub struct MapNode<'a> {
    pub title: &'a str,
    pub url: String,
    pub children: Vec<MapNode<'a>>,
    /// A plain section's own pages (本会简介, 联系我们 …); none for lists of news.
    pub pages: Vec<Link<'a>>,
}

/// The generated `robots.txt`; a site's own `static/robots.txt` replaces it.
pub const ROBOTS: &str = "robots.txt";

/// The nginx `map` of old URLs for real 301 redirects: in the output, as a hidden file that
/// the sample nginx configuration never serves (`location ~ /\.` is denied), for the server's
/// configuration to `include`. tongxin writes nothing outside the output folder.
pub const REDIRECTS_MAP: &str = ".tongxin-redirects.nginx.conf";

/// Where a page is: every HTML job has it.
#[derive(Serialize, Hash)]
pub struct Here<'a> {
    pub current_path: &'a str,
    pub current_url: Permalink<'a>,
}

#[derive(Serialize, Hash)]
pub struct SectionContext<'a> {
    pub section: SectionView<'a>,
    pub paginator: Paginator<'a>,
    #[serde(flatten)]
    pub here: Here<'a>,
    /// Member sections: members by 界别, and links to every 界别 and 专委会 page.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub members: Option<MemberLists<'a>>,
    /// 文史 sections: the series (辑) with their articles.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub series: Option<Vec<SeriesView<'a>>>,
    /// 提案 sections: this pager's 提案 by 届次·次会议, and links to the 类别 and 办理状态 pages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proposals: Option<ProposalLists<'a>>,
    /// 专题 sections: the banner and the 栏目 with their newest pages.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub topic: Option<Box<TopicLists<'a>>>,
    /// The section whose template is [`LEADERS_TEMPLATE`]: the 政协领导 in order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub leaders: Option<Vec<&'a Summary>>,
}

/// What a 专题 landing page shows besides its section.
#[derive(Serialize, Hash)]
pub struct TopicLists<'a> {
    pub topic: TopicView<'a>,
    pub columns: Vec<TopicColumn<'a>>,
}

#[derive(Serialize, Hash)]
pub struct MemberLists<'a> {
    pub groups: Vec<MemberGroupView<'a>>,
    pub sectors: Vec<GroupLink<'a>>,
    pub committees: Vec<GroupLink<'a>>,
}

#[derive(Serialize, Hash)]
pub struct HomeBlockView<'a> {
    pub title: &'a str,
    pub url: String,
    pub notices: bool,
    pub pages: Vec<&'a Summary>,
}

#[derive(Serialize, Hash)]
pub struct HomeContext<'a> {
    pub section: SectionView<'a>,
    pub blocks: Vec<HomeBlockView<'a>>,
    pub members: Option<HomeStrip<'a>>,
    pub wenshi: Option<HomeStrip<'a>>,
    pub headline: Option<&'a Summary>,
    pub latest: Vec<&'a Summary>,
    /// 焦点图: the newest news with `focus = true`, for the carousel.
    pub focus: Vec<&'a Summary>,
    /// Active 专题, for their banners.
    pub topics: Vec<TopicView<'a>>,
    /// 政协领导 in their `leader` order.
    pub leaders: Vec<&'a Summary>,
    /// The 领导 page (the section using [`LEADERS_TEMPLATE`]), if the site has one.
    pub leaders_url: Option<String>,
    #[serde(flatten)]
    pub here: Here<'a>,
}

#[derive(Serialize, Hash)]
pub struct TaxonomyContext<'a> {
    pub taxonomy: TaxonomyView<'a>,
    #[serde(flatten)]
    pub here: Here<'a>,
}

#[derive(Serialize, Hash)]
pub struct TermContext<'a> {
    pub taxonomy: Link<'a>,
    pub term: TermView<'a>,
    pub paginator: Paginator<'a>,
    #[serde(flatten)]
    pub here: Here<'a>,
}

#[derive(Serialize, Hash)]
pub struct Month<'a> {
    pub month: u32,
    pub pages: Vec<&'a Summary>,
}

#[derive(Serialize, Hash)]
pub struct Year<'a> {
    pub year: i32,
    pub months: Vec<Month<'a>>,
}

#[derive(Serialize, Hash)]
pub struct ArchiveContext<'a> {
    pub years: Vec<Year<'a>>,
    #[serde(flatten)]
    pub here: Here<'a>,
}

#[derive(Serialize, Hash)]
pub struct GroupContext<'a> {
    pub group: MemberGroupView<'a>,
    pub sectors: Vec<GroupLink<'a>>,
    pub committees: Vec<GroupLink<'a>>,
    pub members_url: Option<String>,
    #[serde(flatten)]
    pub here: Here<'a>,
}

#[derive(Serialize, Hash)]
pub struct SearchContext<'a> {
    #[serde(flatten)]
    pub here: Here<'a>,
    pub index_url: String,
}

/// The 404 page sees only the globals.
#[derive(Serialize, Hash)]
pub struct NotFound {}

impl<'a> Plan<'a> {
    pub fn new(
        site: &'a Site,
        config: &'a Config,
        base: &'a BaseUrl,
        md: MarkdownOptions<'a>,
        summaries: &'a [Arc<Summary>],
    ) -> Self {
        let mut plan = Plan {
            site,
            config,
            base,
            md,
            summaries,
            sections: Vec::new(),
            positions: vec![None; site.pages.len()],
            terms: Vec::new(),
            term_links: site
                .taxonomies
                .iter()
                .map(|t| t.terms.iter().map(|term| term_link(term, base)).collect())
                .collect(),
            group_urls: HashMap::new(),
            imported: &[],
            root: None,
        };
        for (kind, groups) in plan.member_groups() {
            for g in groups {
                let url = base.href(&g.path);
                plan.group_urls
                    .entry((kind, g.name.as_str()))
                    .or_insert(url);
            }
        }
        plan.sections = SectionId::all(site.sections.len())
            .map(|i| SharedSection::new(plan.section_view(i, false)))
            .collect();
        for (si, s) in SectionId::enumerate(&site.sections) {
            for (pos, &p) in s.pages.iter().enumerate() {
                if site.pages[p].section == si {
                    plan.positions[p.index()] = Some(pos);
                }
            }
        }
        plan.terms = site
            .taxonomies
            .iter()
            .map(|t| {
                let mut names = HashMap::new();
                for page in &site.pages {
                    for name in page.meta.terms(&t.name).into_iter().flatten() {
                        names.entry(name.as_str()).or_insert_with(|| {
                            let slug = crate::content::slug::slugify(name);
                            t.terms.iter().position(|term| term.slug == slug)
                        });
                    }
                }
                names
            })
            .collect();
        plan
    }

    fn here(&self, path: &'a str) -> Here<'a> {
        Here {
            current_path: path,
            current_url: Permalink {
                base: self.base,
                path,
            },
        }
    }

    fn summary(&self, p: PageId) -> &'a Summary {
        &self.summaries[p.index()]
    }

    fn summaries_of(&self, pages: &[PageId]) -> Vec<&'a Summary> {
        pages.iter().map(|&p| self.summary(p)).collect()
    }

    /// Every job of the site, in a stable order.
    pub fn jobs(&self) -> Vec<Job> {
        let site = self.site;
        let mut jobs: Vec<Job> = PageId::all(site.pages.len()).map(Job::Page).collect();
        jobs.push(Job::Home);
        for (i, s) in SectionId::enumerate(&site.sections).skip(1) {
            for pager in paginate(&s.path, s.pages.len(), self.section_per_page(i)) {
                jobs.push(Job::SectionPager(i, pager));
            }
            if self.section_has_feed(i) {
                jobs.push(Job::SectionFeed(i));
            }
        }
        for (ti, t) in site.taxonomies.iter().enumerate() {
            jobs.push(Job::TaxonomyIndex(ti));
            let per = t
                .config
                .paginate_by
                .unwrap_or(*self.config.paginate_by.get_ref());
            for (term_i, term) in t.terms.iter().enumerate() {
                for pager in paginate(&term.path, term.pages.len(), per) {
                    jobs.push(Job::TermPager(ti, term_i, pager));
                }
                if t.config.feed && !term.pages.is_empty() {
                    jobs.push(Job::TermFeed(ti, term_i));
                }
            }
        }
        for (kind, groups) in self.member_groups() {
            jobs.extend((0..groups.len()).map(|g| Job::MemberGroup(kind, g)));
        }
        jobs.extend((0..site.proposals.facets.len()).map(Job::ProposalFacet));
        jobs.extend([
            Job::Archive,
            Job::NotFound,
            Job::SiteFeed,
            Job::Sitemap,
            Job::SitemapPage,
            Job::Robots,
            Job::RedirectMap,
        ]);
        for (i, page) in site.pages.iter().enumerate() {
            jobs.extend((0..page.meta.aliases.len()).map(|k| Job::Alias(PageId::new(i), k)));
        }
        jobs.extend(
            (0..self.imported.len())
                .filter(|&k| imported_page(site, &self.imported[k]).is_some())
                .map(Job::Imported),
        );
        if self.config.search.enabled {
            jobs.push(Job::SearchPage);
        }
        jobs
    }

    fn section_has_feed(&self, i: SectionId) -> bool {
        let s = &self.site.sections[i];
        i != SectionId::HOME && s.pages.iter().any(|&p| self.site.pages[p].date.is_some())
    }

    /// Pages per pager. Member lists and 文史 tables of contents are read whole, never paged.
    fn section_per_page(&self, i: SectionId) -> usize {
        let s = &self.site.sections[i];
        match s.kind {
            SectionKind::Members | SectionKind::Wenshi => s.pages.len().max(1),
            SectionKind::Proposals => s.meta.paginate_by.unwrap_or(proposals::PER_PAGE),
            SectionKind::News | SectionKind::Topic | SectionKind::Plain => s
                .meta
                .paginate_by
                .unwrap_or(*self.config.paginate_by.get_ref()),
        }
    }

    fn member_groups(&self) -> [(GroupKind, &'a [MemberGroup]); 2] {
        let m = &self.site.members;
        [
            (GroupKind::Sector, m.sectors.as_slice()),
            (GroupKind::Committee, m.committees.as_slice()),
        ]
    }

    fn groups(&self, kind: GroupKind) -> &'a [MemberGroup] {
        match kind {
            GroupKind::Sector => &self.site.members.sectors,
            GroupKind::Committee => &self.site.members.committees,
        }
    }

    /// The output file a job writes, and the source file it answers to (for duplicate reports).
    pub fn target(&self, job: &Job) -> (String, String) {
        let site = self.site;
        let section_src = |i: SectionId| {
            let s = &site.sections[i];
            if s.rel.is_empty() {
                format!("content/{}", s.dir)
            } else {
                s.rel.clone()
            }
        };
        let term = |t: usize, term: usize| &site.taxonomies[t].terms[term];
        match job {
            Job::Page(i) => (
                file_of_path(&site.pages[*i].path),
                site.pages[*i].rel.clone(),
            ),
            Job::SectionPager(i, p) => (file_of_path(&p.path), section_src(*i)),
            Job::Home => ("index.html".into(), section_src(SectionId::HOME)),
            Job::TaxonomyIndex(t) => (
                file_of_path(&site.taxonomies[*t].path),
                format!("config.toml [taxonomies] {}", site.taxonomies[*t].name),
            ),
            Job::TermPager(t, i, p) => (
                file_of_path(&p.path),
                format!("分类词 {}", term(*t, *i).name),
            ),
            Job::Archive => ("archive/index.html".into(), "归档页".into()),
            Job::NotFound => ("404.html".into(), "404 页".into()),
            Job::SiteFeed => ("rss.xml".into(), "全站 RSS".into()),
            Job::SectionFeed(i) => (
                format!("{}rss.xml", site.sections[*i].path.trim_start_matches('/')),
                section_src(*i),
            ),
            Job::TermFeed(t, i) => (
                format!("{}rss.xml", term(*t, *i).path.trim_start_matches('/')),
                format!("分类词 {}", term(*t, *i).name),
            ),
            Job::Sitemap => ("sitemap.xml".into(), "站点地图".into()),
            Job::SitemapPage => ("sitemap/index.html".into(), "网站地图页".into()),
            Job::Robots => (ROBOTS.into(), "robots.txt".into()),
            Job::Alias(p, k) => (
                site.pages[*p].meta.aliases[*k].out.clone(),
                site.pages[*p].rel.clone(),
            ),
            Job::Imported(k) => (
                self.imported[*k].alias.out.clone(),
                format!("{REDIRECTS_CSV} 第 {} 行", self.imported[*k].line),
            ),
            Job::RedirectMap => (REDIRECTS_MAP.into(), "nginx 跳转表".into()),
            Job::SearchPage => ("search/index.html".into(), "搜索页".into()),
            Job::ProposalFacet(f) => {
                let facet = &site.proposals.facets[*f];
                (file_of_path(&facet.path), section_src(facet.section))
            }
            Job::MemberGroup(kind, g) => {
                let group = &self.groups(*kind)[*g];
                (
                    file_of_path(&group.path),
                    format!("config.toml [members] {}", group.name),
                )
            }
        }
    }

    /// The output file a job writes.
    pub fn output_path(&self, job: &Job) -> String {
        match job {
            Job::Page(i) => file_of_path(&self.site.pages[*i].path),
            _ => self.target(job).0,
        }
    }

    /// Everything `job`'s output is made from.
    pub fn input<'j>(&'j self, job: &'j Job) -> Input<'j>
    where
        'a: 'j,
    {
        let html = |template: &'static str, context| Input::Html {
            template: TemplateRef::theme(template),
            context,
        };
        match job {
            Job::Page(i) => Input::Page(self.page_input(*i)),
            Job::SectionPager(i, p) => self.section_input(*i, p),
            Job::Home => html("index.html", HtmlContext::Home(self.home_context())),
            Job::TaxonomyIndex(t) => {
                let tax = &self.site.taxonomies[*t];
                let context = TaxonomyContext {
                    taxonomy: taxonomy_view(tax, self.base),
                    here: self.here(&tax.path),
                };
                html("taxonomy_list.html", HtmlContext::Taxonomy(context))
            }
            Job::TermPager(t, term, p) => html(
                "taxonomy_single.html",
                HtmlContext::Term(self.term_context(*t, *term, p)),
            ),
            Job::Archive => html("archive.html", HtmlContext::Archive(self.archive())),
            Job::NotFound => html("404.html", HtmlContext::NotFound(NotFound {})),
            Job::MemberGroup(kind, g) => html(
                "member_group.html",
                HtmlContext::Group(self.group_context(*kind, *g)),
            ),
            Job::ProposalFacet(f) => html(
                "proposal_group.html",
                HtmlContext::ProposalGroup(self.facet_context(*f)),
            ),
            Job::SearchPage => html(
                "search.html",
                HtmlContext::Search(SearchContext {
                    here: self.here("/search/"),
                    index_url: self.base.href("/search/index/"),
                }),
            ),
            Job::SiteFeed => self.site_feed(),
            Job::SectionFeed(i) => self.section_feed(*i),
            Job::TermFeed(t, term) => self.term_feed(*t, *term),
            Job::Sitemap => Input::Sitemap(self.sitemap()),
            Job::SitemapPage => html(
                "sitemap.html",
                HtmlContext::SiteMap(SiteMapContext {
                    sections: self.map_nodes(SectionId::HOME),
                    here: self.here("/sitemap/"),
                }),
            ),
            Job::Alias(p, k) => self.redirect(*p, &self.site.pages[*p].meta.aliases[*k]),
            Job::Imported(k) => {
                let row = &self.imported[*k];
                match imported_page(self.site, row) {
                    Some(p) => self.redirect(p, &row.alias),
                    None => Input::Text(String::new()),
                }
            }
            Job::RedirectMap => Input::Text(self.redirect_map()),
            Job::Robots => Input::Text(format!(
                "User-agent: *\nAllow: /\nSitemap: {}\n",
                self.base.absolute("/sitemap.xml")
            )),
        }
    }

    /// The redirect page at `alias`, an old URL of page `p`.
    fn redirect(&self, p: PageId, _alias: &Alias) -> Input<'_> {
        let page = &self.site.pages[p];
        Input::Text(redirect_page(
            &self.base.absolute(&page.path),
            &page.meta.title.value,
        ))
    }

    /// Every old URL of the site and its page, as an nginx `map`.
    fn redirect_map(&self) -> String {
        let site = self.site;
        let mut entries: Vec<MapEntry> = site
            .pages
            .iter()
            .flat_map(|p| {
                p.meta.aliases.iter().map(|alias| MapEntry {
                    alias,
                    to: p.path.as_str(),
                })
            })
            .collect();
        entries.extend(self.imported.iter().filter_map(|row| {
            let p = imported_page(site, row)?;
            Some(MapEntry {
                alias: &row.alias,
                to: site.pages[p].path.as_str(),
            })
        }));
        nginx_map(self.base, &entries)
    }

    fn page_input(&self, i: PageId) -> PageInput<'_> {
        let site = self.site;
        let page = &site.pages[i];
        let (previous, next) = self.neighbours(i);
        let meta = &page.meta;
        let member = meta.kind.member();
        let default = match page.kind {
            SectionKind::Members => "member.html",
            SectionKind::Proposals => "proposal.html",
            _ => "page.html",
        };
        let view = PageView {
            summary: self.summary(i),
            body: &page.body,
            editor: meta.kind.news().and_then(|n| n.editor.as_deref()),
            term: member.and_then(|m| m.term.as_deref()),
            party: member.and_then(|m| m.party.as_deref()),
            members: meta.kind.member_names(),
            slug: &page.slug,
            path: &page.path,
            extra: Json(&meta.extra),
            taxonomies: self.page_terms(i),
            previous,
            next,
            sector_url: self.group_url(
                GroupKind::Sector,
                member.and_then(|m| m.sector.as_deref()).map(String::as_str),
            ),
            committee_url: self.group_url(
                GroupKind::Committee,
                member
                    .and_then(|m| m.committee.as_deref())
                    .map(String::as_str),
            ),
            mentioned_in: self.summaries_of(site.members.mentions.get(&i).map_or(&[], |v| v)),
            member_links: site
                .members
                .named
                .get(&i)
                .map_or(&[][..], Vec::as_slice)
                .iter()
                .map(|&m| Link {
                    title: &site.pages[m].meta.title,
                    url: self.base.href(&site.pages[m].path),
                })
                .collect(),
            attachments: self.attachments_of(i),
            proposal: self.proposal_view(i),
            proposals: self.summaries_of(site.proposals.by_member.get(&i).map_or(&[], |v| v)),
        };
        PageInput {
            template: TemplateRef::chosen(
                meta.template.as_deref().map(String::as_str),
                default,
                &page.rel,
                meta.template.as_ref().map(|t| t.pos),
            ),
            page: view,
            section: &self.sections[page.section.index()],
            here: self.here(&page.path),
            searchable: page.searchable,
            images: self.md.images.map_or(0, |t| {
                t.key_for(page.body.image_urls(), cover_of(page), &page.path)
            }),
        }
    }

    /// Taxonomy name → links to the terms page `i` is filed under.
    fn page_terms(&self, i: PageId) -> BTreeMap<&'a str, Vec<&Link<'a>>> {
        let page = &self.site.pages[i];
        let mut taxonomies = BTreeMap::new();
        for (t, tax) in self.site.taxonomies.iter().enumerate() {
            if let Some(names) = page.meta.terms(&tax.name) {
                let links = names
                    .iter()
                    .filter_map(|n| self.terms[t].get(n.as_str()).copied().flatten())
                    .map(|term| &self.term_links[t][term])
                    .collect();
                taxonomies.insert(tax.name.as_str(), links);
            }
        }
        taxonomies
    }

    /// The entries before and after page `i` in its own section's list.
    fn neighbours(&self, i: PageId) -> (Option<&'a Summary>, Option<&'a Summary>) {
        let Some(pos) = self.positions[i.index()] else {
            return (None, None);
        };
        let list = &self.site.sections[self.site.pages[i].section].pages;
        let previous = pos.checked_sub(1).map(|q| self.summary(list[q]));
        let next = list.get(pos + 1).map(|&q| self.summary(q));
        (previous, next)
    }

    fn section_view(&self, i: SectionId, with_content: bool) -> SectionView<'a> {
        let site = self.site;
        let s = &site.sections[i];
        SectionView {
            title: &s.meta.title,
            description: s.meta.description.as_ref().map(|d| d.as_str()),
            kind: s.kind.as_str(),
            url: self.base.href(&s.path),
            permalink: self.base.absolute(&s.path),
            path: &s.path,
            content: with_content.then(|| Markdown {
                source: &s.body,
                md: self.md,
                images: self.md.images.map_or(0, |t| {
                    t.key_for(&crate::markdown::image_urls(&s.body), None, &s.path)
                }),
            }),
            page_count: s.pages.len(),
            subsections: s
                .children
                .iter()
                .map(|&c| section_link(&site.sections[c], self.base))
                .collect(),
            ancestors: ancestors(site, i, self.base),
            siblings: {
                let menu = match s.parent {
                    Some(parent) if parent != SectionId::HOME => &site.sections[parent].children,
                    _ => &s.children,
                };
                menu.iter()
                    .map(|&c| section_link(&site.sections[c], self.base))
                    .collect()
            },
            extra: Json(&s.meta.extra),
            feed_url: self
                .section_has_feed(i)
                .then(|| self.base.href(&format!("{}rss.xml", s.path))),
            list: s.meta.list.unwrap_or_default(),
        }
    }

    /// The files page `i` links for download, with their sizes read now (so a changed file
    /// changes the page's fingerprint).
    fn attachments_of(&self, i: PageId) -> Vec<super::attachments::Attachment> {
        let Some(root) = self.root else {
            return Vec::new();
        };
        let page = &self.site.pages[i];
        let files = super::attachments::FileSources {
            root,
            assets: &self.site.assets,
        };
        super::attachments::attachments(&page.body, &page.path, &files, self.base)
    }

    fn paginator(
        &self,
        list: &[PageId],
        pager: &Pager,
        base_path: &str,
        per: usize,
    ) -> Paginator<'a> {
        let count = list.len().div_ceil(per).max(1);
        let href = |index: usize| self.base.href(&pager_path(base_path, index));
        let current = pager.index;
        // Page-number links: the first, the last and a window around the current one, so a
        // 500-pager section does not print 500 links on every pager.
        let mut pagers: Vec<PagerLink> = Vec::new();
        for index in 1..=count {
            let shown = index == 1 || index == count || index.abs_diff(current) <= PAGER_WINDOW;
            if shown {
                let gap_before = pagers.last().is_some_and(|p| p.index + 1 != index);
                pagers.push(PagerLink {
                    index,
                    url: href(index),
                    gap_before,
                });
            }
        }
        Paginator {
            pages: self.summaries_of(&list[pager.range.clone()]),
            current_index: current,
            number_pagers: count,
            paginate_by: per,
            total_pages: list.len(),
            first: href(1),
            last: href(count),
            previous: (current > 1).then(|| href(current - 1)),
            next: (current < count).then(|| href(current + 1)),
            pagers,
        }
    }

    fn section_input(&self, i: SectionId, pager: &'a Pager) -> Input<'a> {
        let s = &self.site.sections[i];
        let per = self.section_per_page(i);
        let (default, members, series) = match s.kind {
            SectionKind::Members => ("members.html", Some(self.member_lists(&s.pages)), None),
            SectionKind::Wenshi => ("series.html", None, Some(self.series(i))),
            SectionKind::Proposals => ("proposals.html", None, None),
            SectionKind::Topic => ("topic.html", None, None),
            SectionKind::News | SectionKind::Plain => ("section.html", None, None),
        };
        let proposals = (s.kind == SectionKind::Proposals)
            .then(|| self.proposal_lists(i, &s.pages[pager.range.clone()]));
        let leaders_page = s.meta.template.as_deref().map(String::as_str) == Some(LEADERS_TEMPLATE);
        let context = SectionContext {
            section: self.section_view(i, pager.index == 1),
            paginator: self.paginator(&s.pages, pager, &s.path, per),
            here: self.here(&pager.path),
            members,
            series,
            proposals,
            topic: (s.kind == SectionKind::Topic).then(|| Box::new(self.topic_lists(i))),
            leaders: leaders_page.then(|| self.leaders()),
        };
        Input::Html {
            template: TemplateRef::chosen(
                s.meta.template.as_deref().map(String::as_str),
                default,
                &s.rel,
                s.meta.template.as_ref().map(|t| t.pos),
            ),
            context: HtmlContext::Section(context),
        }
    }

    /// The 辑 of 文史 section `i`, each with its articles in reading order.
    fn series(&self, i: SectionId) -> Vec<SeriesView<'a>> {
        let site = self.site;
        site.sections[i]
            .children
            .iter()
            .map(|&c| {
                let sub = &site.sections[c];
                SeriesView {
                    title: &sub.meta.title,
                    description: sub.meta.description.as_ref().map(|d| d.as_str()),
                    url: self.base.href(&sub.path),
                    pages: self.summaries_of(&sub.pages),
                }
            })
            .collect()
    }

    /// These members by 界别 (in config order), and links to every 界别 and 专委会 page.
    fn member_lists(&self, pages: &[PageId]) -> MemberLists<'a> {
        let site = self.site;
        let groups = self
            .config
            .members
            .sectors
            .iter()
            .filter_map(|name| {
                let members: Vec<PageId> = pages
                    .iter()
                    .copied()
                    .filter(|&p| {
                        let member = site.pages[p].meta.kind.member();
                        member.and_then(|m| m.sector.as_deref()) == Some(name)
                    })
                    .collect();
                let url = self.group_url(GroupKind::Sector, Some(name))?.to_string();
                Some(MemberGroupView {
                    kind: GroupKind::Sector,
                    kind_title: GroupKind::Sector.title(),
                    name,
                    url,
                    members: self.summaries_of(&members),
                })
            })
            .filter(|g| !g.members.is_empty())
            .collect();
        MemberLists {
            groups,
            sectors: self.group_links(GroupKind::Sector),
            committees: self.group_links(GroupKind::Committee),
        }
    }

    /// Links to every 界别 or 专委会 page, with member counts.
    fn group_links(&self, kind: GroupKind) -> Vec<GroupLink<'a>> {
        self.groups(kind)
            .iter()
            .map(|g| GroupLink {
                name: &g.name,
                url: self.base.href(&g.path),
                count: g.members.len(),
            })
            .collect()
    }

    fn group_url(&self, kind: GroupKind, name: Option<&'a str>) -> Option<&str> {
        self.group_urls.get(&(kind, name?)).map(String::as_str)
    }

    /// The URL of the first members section (for "all members" links), if any.
    fn members_section_url(&self) -> Option<String> {
        self.site
            .sections
            .iter()
            .find(|s| s.kind == SectionKind::Members && s.meta.kind.is_some())
            .map(|s| self.base.href(&s.path))
    }

    fn group_context(&self, kind: GroupKind, g: usize) -> GroupContext<'a> {
        let group = &self.groups(kind)[g];
        GroupContext {
            group: MemberGroupView {
                kind,
                kind_title: kind.title(),
                name: &group.name,
                url: self.base.href(&group.path),
                members: self.summaries_of(&group.members),
            },
            sectors: self.group_links(GroupKind::Sector),
            committees: self.group_links(GroupKind::Committee),
            members_url: self.members_section_url(),
            here: self.here(&group.path),
        }
    }

    /// A block per news section without subsections, in navigation order.
    fn home_blocks(&self) -> Vec<HomeBlockView<'a>> {
        let site = self.site;
        let mut blocks = Vec::new();
        let mut stack: Vec<SectionId> = site.sections[SectionId::HOME]
            .children
            .iter()
            .rev()
            .copied()
            .collect();
        while let Some(si) = stack.pop() {
            let s = &site.sections[si];
            if s.kind == SectionKind::Topic {
                // A 专题 shows on the home page as its banner, not as blocks of its 栏目.
                continue;
            }
            stack.extend(s.children.iter().rev());
            let home = s.meta.home.unwrap_or(HomeBlock::List);
            if s.kind != SectionKind::News
                || !s.children.is_empty()
                || home == HomeBlock::Off
                || s.pages.is_empty()
            {
                continue;
            }
            blocks.push(HomeBlockView {
                title: &s.meta.title,
                url: self.base.href(&s.path),
                notices: home == HomeBlock::Notices,
                pages: self.summaries_of(&s.pages[..s.pages.len().min(HOME_BLOCK_LEN)]),
            });
        }
        blocks
    }

    /// The home page's strip of the first section of `kind` shown there, if any.
    fn home_strip(&self, kind: SectionKind) -> Option<HomeStrip<'a>> {
        let site = self.site;
        let s = site.sections.iter().find(|s| {
            s.kind == kind && s.meta.kind.is_some() && s.meta.home != Some(HomeBlock::Off)
        })?;
        let pages = match kind {
            SectionKind::Wenshi => {
                let mut pages = s.pages.clone();
                pages
                    .sort_by(|&a, &b| crate::content::newest_first(&site.pages[a], &site.pages[b]));
                pages.truncate(HOME_WENSHI_LEN);
                pages
            }
            _ => s.pages[..s.pages.len().min(HOME_MEMBERS_LEN)].to_vec(),
        };
        Some(HomeStrip {
            title: &s.meta.title,
            url: self.base.href(&s.path),
            pages: self.summaries_of(&pages),
        })
    }

    fn home_context(&self) -> HomeContext<'a> {
        let site = self.site;
        HomeContext {
            section: self.section_view(SectionId::HOME, true),
            blocks: self.home_blocks(),
            members: self.home_strip(SectionKind::Members),
            wenshi: self.home_strip(SectionKind::Wenshi),
            headline: site
                .dated
                .iter()
                .find(|&&p| site.pages[p].meta.kind.pinned())
                .map(|&p| self.summary(p)),
            latest: self.summaries_of(&site.dated[..site.dated.len().min(HOME_BLOCK_LEN)]),
            focus: self.focus_slides(),
            topics: self.active_topics(),
            leaders: self.leaders(),
            leaders_url: site
                .sections
                .iter()
                .find(|s| s.meta.template.as_deref().map(String::as_str) == Some(LEADERS_TEMPLATE))
                .map(|s| self.base.href(&s.path)),
            here: self.here("/"),
        }
    }

    /// The newest news with `focus = true` and a cover, for the home carousel.
    fn focus_slides(&self) -> Vec<&'a Summary> {
        let site = self.site;
        let pages: Vec<PageId> = site
            .dated
            .iter()
            .copied()
            .filter(|&p| site.pages[p].meta.kind.focus() && cover_of(&site.pages[p]).is_some())
            .take(HOME_FOCUS_LEN)
            .collect();
        self.summaries_of(&pages)
    }

    /// Member pages with `leader`, in that order (then by path, so equal numbers stay put).
    fn leaders(&self) -> Vec<&'a Summary> {
        let site = self.site;
        let mut pages: Vec<(i64, &str, PageId)> = PageId::all(site.pages.len())
            .filter(|&p| site.pages[p].listed)
            .filter_map(|p| {
                let page = &site.pages[p];
                Some((page.meta.kind.leader()?, page.path.as_str(), p))
            })
            .collect();
        pages.sort();
        pages.into_iter().map(|(_, _, p)| self.summary(p)).collect()
    }

    /// A 专题's banner, title and description.
    fn topic_view(&self, i: SectionId) -> TopicView<'a> {
        let s = &self.site.sections[i];
        let banner = s
            .meta
            .banner
            .as_deref()
            .filter(|b| crate::markdown::url::is_safe(b))
            .map(|b| {
                let size = self.md.images.and_then(|t| t.size_of(b, Some(&s.path)));
                ImageLink {
                    url: asset_href(b, self.base),
                    width: size.map(|z| z.width),
                    height: size.map(|z| z.height),
                }
            });
        TopicView {
            title: &s.meta.title,
            description: s.meta.description.as_ref().map(|d| d.as_str()),
            url: self.base.href(&s.path),
            banner,
        }
    }

    /// Every 专题 with `active = true`, in section order.
    fn active_topics(&self) -> Vec<TopicView<'a>> {
        SectionId::enumerate(&self.site.sections)
            .filter(|(_, s)| s.kind == SectionKind::Topic && s.meta.active)
            .map(|(i, _)| self.topic_view(i))
            .collect()
    }

    /// A 专题 landing page: its banner and each 栏目 with its newest pages.
    fn topic_lists(&self, i: SectionId) -> TopicLists<'a> {
        let site = self.site;
        let columns = site.sections[i]
            .children
            .iter()
            .map(|&c| {
                let sub = &site.sections[c];
                TopicColumn {
                    title: &sub.meta.title,
                    url: self.base.href(&sub.path),
                    pages: self.summaries_of(&sub.pages[..sub.pages.len().min(TOPIC_COLUMN_LEN)]),
                }
            })
            .collect();
        TopicLists {
            topic: self.topic_view(i),
            columns,
        }
    }

    fn term_context(&self, t: usize, term_i: usize, pager: &'a Pager) -> TermContext<'a> {
        let tax = &self.site.taxonomies[t];
        let term = &tax.terms[term_i];
        let per = tax
            .config
            .paginate_by
            .unwrap_or(*self.config.paginate_by.get_ref());
        TermContext {
            taxonomy: Link {
                title: &tax.config.title,
                url: self.base.href(&tax.path),
            },
            term: term_view(tax, term, self.base),
            paginator: self.paginator(&term.pages, pager, &term.path, per),
            here: self.here(&pager.path),
        }
    }

    /// Dated pages by year and month, newest first, in the site's offset.
    fn archive(&self) -> ArchiveContext<'a> {
        let offset = self.config.offset();
        let mut years: Vec<Year> = Vec::new();
        for &p in &self.site.dated {
            let Some(date) = self.site.pages[p].date else {
                continue;
            };
            let d = date.with_timezone(&offset);
            if years.last().is_none_or(|y| y.year != d.year()) {
                years.push(Year {
                    year: d.year(),
                    months: Vec::new(),
                });
            }
            let year = years.last_mut().expect("pushed above");
            if year.months.last().is_none_or(|m| m.month != d.month()) {
                year.months.push(Month {
                    month: d.month(),
                    pages: Vec::new(),
                });
            }
            let month = year.months.last_mut().expect("pushed above");
            month.pages.push(self.summary(p));
        }
        ArchiveContext {
            years,
            here: self.here("/archive/"),
        }
    }

    /// A feed of the dated ones of `pages`, at most `feed_limit`.
    fn feed(&self, channel: Channel<'a>, pages: impl Iterator<Item = PageId>) -> Input<'a> {
        let site = self.site;
        let pages: Vec<PageId> = pages
            .filter(|&p| site.pages[p].date.is_some())
            .take(*self.config.feed_limit.get_ref())
            .collect();
        let items = pages
            .iter()
            .map(|&p| {
                let page = &site.pages[p];
                Item {
                    title: &page.meta.title,
                    path: &page.path,
                    date: page.date,
                    summary_html: &self.summary(p).feed_html,
                }
            })
            .collect();
        Input::Feed {
            channel,
            items,
            summaries: self.summaries_of(&pages),
        }
    }

    fn site_feed(&self) -> Input<'a> {
        let channel = Channel {
            title: self.config.title.as_str().into(),
            description: &self.config.description,
            language: &self.config.language,
            link_path: "/",
            self_path: "/rss.xml".into(),
        };
        self.feed(channel, self.site.dated.iter().copied())
    }

    fn section_feed(&self, i: SectionId) -> Input<'a> {
        let site = self.site;
        let s = &site.sections[i];
        let mut pages: Vec<PageId> = s.pages.clone();
        pages.sort_by(|&a, &b| {
            let (a, b) = (&site.pages[a], &site.pages[b]);
            b.date.cmp(&a.date).then_with(|| a.path.cmp(&b.path))
        });
        let channel = Channel {
            title: format!("{} - {}", s.meta.title.as_str(), self.config.title).into(),
            description: s
                .meta
                .description
                .as_deref()
                .unwrap_or(&self.config.description),
            language: &self.config.language,
            link_path: &s.path,
            self_path: format!("{}rss.xml", s.path),
        };
        self.feed(channel, pages.into_iter())
    }

    fn term_feed(&self, t: usize, term_i: usize) -> Input<'a> {
        let tax = &self.site.taxonomies[t];
        let term = &tax.terms[term_i];
        let title = format!(
            "{}：{} - {}",
            tax.config.title, term.name, self.config.title
        );
        let channel = Channel {
            title: title.into(),
            description: &self.config.description,
            language: &self.config.language,
            link_path: &term.path,
            self_path: format!("{}rss.xml", term.path),
        };
        self.feed(channel, term.pages.iter().copied())
    }

    /// The subsections of `i` and theirs, for the 网站地图.
    fn map_nodes(&self, i: SectionId) -> Vec<MapNode<'a>> {
        let site = self.site;
        site.sections[i]
            .children
            .iter()
            .map(|&c| {
                let s = &site.sections[c];
                let pages = if s.kind == SectionKind::Plain {
                    s.pages
                        .iter()
                        .map(|&p| Link {
                            title: &site.pages[p].meta.title,
                            url: self.base.href(&site.pages[p].path),
                        })
                        .collect()
                } else {
                    Vec::new()
                };
                MapNode {
                    title: &s.meta.title,
                    url: self.base.href(&s.path),
                    children: self.map_nodes(c),
                    pages,
                }
            })
            .collect()
    }

    fn sitemap(&self) -> Vec<Entry<'a>> {
        let site = self.site;
        let entry = |path: &'a str, lastmod| Entry { path, lastmod };
        let mut entries: Vec<Entry> = Vec::new();
        for s in &site.sections {
            let newest = s.pages.iter().filter_map(|&p| site.pages[p].date).max();
            entries.push(entry(&s.path, newest));
        }
        for p in site.pages.iter().filter(|p| p.listed) {
            entries.push(entry(&p.path, p.meta.updated.or(p.date)));
        }
        for t in &site.taxonomies {
            entries.push(entry(&t.path, None));
            entries.extend(t.terms.iter().map(|term| entry(&term.path, None)));
        }
        entries.push(entry("/archive/", None));
        entries.push(entry("/sitemap/", None));
        for (_, groups) in self.member_groups() {
            entries.extend(groups.iter().map(|g| entry(&g.path, None)));
        }
        let facets = &site.proposals.facets;
        entries.extend(facets.iter().map(|f| entry(&f.path, None)));
        entries.sort_by(|a, b| a.path.cmp(b.path));
        entries
    }
}
