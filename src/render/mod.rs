//! Rendering: each output (page, pager, term, feed, sitemap …) is a [`Job`] rendered on its own
//! thread from shared, precomputed views and written to the sink at once.

pub mod fingerprint;
pub mod templates;
pub mod views;

use std::collections::BTreeMap;

use chrono::Datelike;
use serde::Serialize;
use tera::Context;

use crate::config::{BaseUrl, Config};
use crate::content::members::{GroupKind, MemberGroup};
use crate::content::{HomeBlock, SectionKind, Site};
use crate::error::{Diagnostic, Error, Result};
use crate::feed::{self, Channel, Item};
use crate::markdown::{self, MarkdownOptions};
use crate::output::Sink;
use crate::paginate::{Pager, pager_path, paginate};
use crate::sitemap::{self, Entry};
use templates::{Templates, error_to_diagnostic};
use views::*;

/// Page-number links shown either side of the current pager.
const PAGER_WINDOW: usize = 2;

/// How many pages each home-page block lists.
const HOME_BLOCK_LEN: usize = 8;
/// How many members the home page's strip shows.
const HOME_MEMBERS_LEN: usize = 8;
/// How many of the newest 文史 articles the home page shows.
const HOME_WENSHI_LEN: usize = 5;

/// Everything a job reads. Built once; jobs share it by reference.
pub struct RenderContext<'a> {
    pub site: &'a Site,
    pub config: &'a Config,
    pub base: &'a BaseUrl,
    pub templates: &'a Templates,
    pub md: MarkdownOptions<'a>,
    /// Per page, its summary HTML for feeds (full URLs) …
    pub summary_html: &'a [String],
    /// … and its list view (templates).
    pub summaries: &'a [tera::Value],
    /// Per searchable page, its text, filled in as the page renders (search enabled only).
    pub search_texts: Vec<std::sync::OnceLock<String>>,
    /// Per page, its heading ids, filled in as the page renders (`check` only).
    anchors: Vec<std::sync::OnceLock<Vec<String>>>,
    /// Per page, ids its whole output holds more than once (`check` only).
    duplicate_ids: Vec<std::sync::OnceLock<Vec<String>>>,
}

/// Per page, what lists show of it: its summary HTML for feeds and its list view (templates,
/// holding the summary HTML for the site's own lists).
#[derive(Default)]
pub struct Summaries {
    pub html: Vec<String>,
    pub views: Vec<tera::Value>,
}

impl Summaries {
    /// Computes every page's summary, in parallel.
    pub fn compute(site: &Site, base: &BaseUrl, md: MarkdownOptions) -> Self {
        use rayon::prelude::*;
        let (html, views) = (0..site.pages.len())
            .into_par_iter()
            .map(|p| Self::one(site, p, base, md))
            .unzip();
        Summaries { html, views }
    }

    /// Page `p`'s summary HTML and list view.
    pub fn one(
        site: &Site,
        p: usize,
        base: &BaseUrl,
        md: MarkdownOptions,
    ) -> (String, tera::Value) {
        let page = &site.pages[p];
        let html = page_summary_html(page, base, md);
        let view = tera::Value::from_serializable(&page_summary(site, page, html.list, base));
        (html.feed, view)
    }

    /// Like [`one`](Self::one), with a hash of the view (which holds the HTML). Hashed from the
    /// view's struct, whose field order is fixed, not from the map it becomes.
    pub fn one_hashed(
        site: &Site,
        p: usize,
        base: &BaseUrl,
        md: MarkdownOptions,
    ) -> (String, tera::Value, u64) {
        use std::hash::{DefaultHasher, Hash, Hasher};
        let page = &site.pages[p];
        let html = page_summary_html(page, base, md);
        let summary = page_summary(site, page, html.list, base);
        let mut h = DefaultHasher::new();
        serde_json::to_vec(&summary)
            .unwrap_or_default()
            .hash(&mut h);
        html.feed.hash(&mut h);
        (
            html.feed,
            tera::Value::from_serializable(&summary),
            h.finish(),
        )
    }
}

/// Sets what every template sees: `config`, `nav`, `base_path` and `taxonomies`.
pub fn set_globals(templates: &mut Templates, site: &Site, config: &Config, base: &BaseUrl) {
    let globals = templates.tera.global_context();
    globals.insert("config", &ConfigView::new(config, base));
    globals.insert("nav", &nav(site, base));
    globals.insert("base_path", &base.path);
    globals.insert("taxonomies", &taxonomy_links(site, base));
}

/// Links to every taxonomy's index.
fn taxonomy_links<'s>(site: &'s Site, base: &BaseUrl) -> Vec<Link<'s>> {
    site.taxonomies
        .iter()
        .map(|t| Link {
            title: &t.config.title,
            url: base.href(&t.path),
        })
        .collect()
}

/// One output to produce.
#[derive(Debug, Clone)]
pub enum Job {
    Page(usize),
    SectionPager(usize, Pager),
    Home,
    TaxonomyIndex(usize),
    TermPager(usize, usize, Pager),
    Archive,
    NotFound,
    SiteFeed,
    SectionFeed(usize),
    TermFeed(usize, usize),
    /// A 界别 or 专委会 page: `/sectors/SLUG/`, `/committees/SLUG/`.
    MemberGroup(GroupKind, usize),
    /// `/search/`: the search box and results.
    SearchPage,
    Sitemap,
}

/// Turns a site-absolute URL path into the file that serves it: `/news/` → `news/index.html`.
pub fn file_of_path(path: &str) -> String {
    let trimmed = path.trim_start_matches('/');
    if trimmed.is_empty() || trimmed.ends_with('/') {
        format!("{trimmed}index.html")
    } else {
        trimmed.to_string()
    }
}

impl<'a> RenderContext<'a> {
    /// A context over summaries computed beforehand; [`set_globals`] must have run.
    pub fn new(
        site: &'a Site,
        config: &'a Config,
        base: &'a BaseUrl,
        templates: &'a Templates,
        md: MarkdownOptions<'a>,
        summaries: &'a Summaries,
    ) -> Self {
        let search_texts = if config.search.enabled {
            site.pages
                .iter()
                .map(|_| std::sync::OnceLock::new())
                .collect()
        } else {
            Vec::new()
        };
        RenderContext {
            site,
            config,
            base,
            templates,
            md,
            summary_html: &summaries.html,
            summaries: &summaries.views,
            search_texts,
            anchors: Vec::new(),
            duplicate_ids: Vec::new(),
        }
    }

    /// Makes page rendering keep each page's heading ids, for `check`'s anchor links.
    pub fn collect_anchors(&mut self) {
        let slots = || {
            self.site
                .pages
                .iter()
                .map(|_| std::sync::OnceLock::new())
                .collect()
        };
        self.anchors = slots();
        self.duplicate_ids = slots();
    }

    /// Page source file → ids its output holds twice or more, for pages rendered since
    /// [`collect_anchors`](Self::collect_anchors).
    pub fn duplicate_ids(&self) -> std::collections::HashMap<&'a str, &[String]> {
        self.duplicate_ids
            .iter()
            .zip(&self.site.pages)
            .filter_map(|(ids, page)| Some((page.rel.as_str(), ids.get()?.as_slice())))
            .filter(|(_, ids)| !ids.is_empty())
            .collect()
    }

    /// Page path → its heading ids, for pages rendered since [`collect_anchors`](Self::collect_anchors).
    pub fn anchors(&self) -> std::collections::HashMap<&'a str, &[String]> {
        self.anchors
            .iter()
            .zip(&self.site.pages)
            .filter_map(|(ids, page)| Some((page.path.as_str(), ids.get()?.as_slice())))
            .collect()
    }

    /// Every job of the site, in a stable order.
    pub fn jobs(&self) -> Vec<Job> {
        let site = self.site;
        let mut jobs: Vec<Job> = (0..site.pages.len()).map(Job::Page).collect();
        jobs.push(Job::Home);
        for (i, s) in site.sections.iter().enumerate().skip(1) {
            for pager in paginate(&s.path, s.pages.len(), self.section_per_page(i)) {
                jobs.push(Job::SectionPager(i, pager));
            }
            if s.pages.iter().any(|&p| site.pages[p].date.is_some()) {
                jobs.push(Job::SectionFeed(i));
            }
        }
        for (ti, t) in site.taxonomies.iter().enumerate() {
            jobs.push(Job::TaxonomyIndex(ti));
            let per = t.config.paginate_by.unwrap_or(self.config.paginate_by);
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
        jobs.extend([Job::Archive, Job::NotFound, Job::SiteFeed, Job::Sitemap]);
        if self.config.search.enabled {
            jobs.push(Job::SearchPage);
        }
        jobs
    }

    /// Pages per pager. Member lists and 文史 tables of contents are read whole, never paged.
    fn section_per_page(&self, i: usize) -> usize {
        let s = &self.site.sections[i];
        match s.kind {
            SectionKind::Members | SectionKind::Wenshi => s.pages.len().max(1),
            SectionKind::News | SectionKind::Plain => {
                s.meta.paginate_by.unwrap_or(self.config.paginate_by)
            }
        }
    }

    fn member_groups(&self) -> [(GroupKind, &'a [MemberGroup]); 2] {
        let m = &self.site.members;
        [
            (GroupKind::Sector, m.sectors.as_slice()),
            (GroupKind::Committee, m.committees.as_slice()),
        ]
    }

    fn group(&self, kind: GroupKind, g: usize) -> &'a MemberGroup {
        match kind {
            GroupKind::Sector => &self.site.members.sectors[g],
            GroupKind::Committee => &self.site.members.committees[g],
        }
    }

    /// Links to every 界别 or 专委会 page, with member counts.
    fn group_links(&self, kind: GroupKind) -> Vec<GroupLink<'a>> {
        let groups = match kind {
            GroupKind::Sector => &self.site.members.sectors,
            GroupKind::Committee => &self.site.members.committees,
        };
        groups
            .iter()
            .map(|g| GroupLink {
                name: &g.name,
                url: self.base.href(&g.path),
                count: g.members.len(),
            })
            .collect()
    }

    fn summaries_of(&self, pages: &[usize]) -> Vec<tera::Value> {
        pages.iter().map(|&p| self.summaries[p].clone()).collect()
    }

    /// The output file a job writes.
    pub fn output_path(&self, job: &Job) -> String {
        match job {
            Job::Page(i) => file_of_path(&self.site.pages[*i].path),
            _ => self.target(job).0,
        }
    }

    /// The output file a job writes, and the source file it answers to (for duplicate reports).
    pub fn target(&self, job: &Job) -> (String, String) {
        let site = self.site;
        let section_src = |i: usize| {
            let s = &site.sections[i];
            if s.rel.is_empty() {
                format!("content/{}", s.dir)
            } else {
                s.rel.clone()
            }
        };
        match job {
            Job::Page(i) => (
                file_of_path(&site.pages[*i].path),
                site.pages[*i].rel.clone(),
            ),
            Job::SectionPager(i, p) => (file_of_path(&p.path), section_src(*i)),
            Job::Home => ("index.html".into(), section_src(0)),
            Job::TaxonomyIndex(t) => (
                file_of_path(&site.taxonomies[*t].path),
                format!("config.toml [taxonomies] {}", site.taxonomies[*t].name),
            ),
            Job::TermPager(t, term, p) => (
                file_of_path(&p.path),
                format!("分类词 {}", site.taxonomies[*t].terms[*term].name),
            ),
            Job::Archive => ("archive/index.html".into(), "归档页".into()),
            Job::NotFound => ("404.html".into(), "404 页".into()),
            Job::SiteFeed => ("rss.xml".into(), "全站 RSS".into()),
            Job::SectionFeed(i) => (
                format!("{}rss.xml", site.sections[*i].path.trim_start_matches('/')),
                section_src(*i),
            ),
            Job::TermFeed(t, term) => (
                format!(
                    "{}rss.xml",
                    site.taxonomies[*t].terms[*term]
                        .path
                        .trim_start_matches('/')
                ),
                format!("分类词 {}", site.taxonomies[*t].terms[*term].name),
            ),
            Job::Sitemap => ("sitemap.xml".into(), "站点地图".into()),
            Job::SearchPage => ("search/index.html".into(), "搜索页".into()),
            Job::MemberGroup(kind, g) => {
                let group = self.group(*kind, *g);
                (
                    file_of_path(&group.path),
                    format!("config.toml [members] {}", group.name),
                )
            }
        }
    }

    /// Renders one job and writes it. A template error comes back as a diagnostic.
    pub fn run(&self, job: &Job, sink: &dyn Sink) -> Result<()> {
        let (file, _) = self.target(job);
        let bytes = match job {
            Job::Page(i) => self.render_page(*i)?,
            Job::SectionPager(i, p) => self.render_section(*i, p)?,
            Job::Home => self.render_home()?,
            Job::TaxonomyIndex(t) => self.render_taxonomy(*t)?,
            Job::TermPager(t, term, p) => self.render_term(*t, *term, p)?,
            Job::Archive => self.render_archive()?,
            Job::NotFound => self.render_template("404.html", &Context::new())?,
            Job::SiteFeed => self.site_feed().into_bytes(),
            Job::SectionFeed(i) => self.section_feed(*i).into_bytes(),
            Job::TermFeed(t, term) => self.term_feed(*t, *term).into_bytes(),
            Job::Sitemap => self.sitemap().into_bytes(),
            Job::MemberGroup(kind, g) => self.render_member_group(*kind, *g)?,
            Job::SearchPage => {
                let mut ctx = Context::new();
                ctx.insert("current_path", "/search/");
                ctx.insert("current_url", &self.base.absolute("/search/"));
                ctx.insert("index_url", &self.base.href("/search/index/"));
                self.render_template("search.html", &ctx)?
            }
        };
        if let Job::Page(i) = job
            && let Some(slot) = self.duplicate_ids.get(*i)
        {
            let _ = slot.set(duplicate_ids(&bytes));
        }
        sink.write(&file, &bytes)
    }

    /// Renders into bytes: Tera's `render` would check the whole output is UTF-8 again.
    fn render_template(&self, name: &str, ctx: &Context) -> Result<Vec<u8>> {
        let mut out = Vec::with_capacity(16 * 1024);
        self.templates
            .tera
            .render_to(name, ctx, &mut out)
            .map_err(|e| Error::one(error_to_diagnostic(&e, &self.templates.sources)))?;
        Ok(out)
    }

    fn render_page(&self, i: usize) -> Result<Vec<u8>> {
        let site = self.site;
        let page = &site.pages[i];
        let rendered = markdown::render(&page.body, self.md);
        let section = &site.sections[page.section];
        let (previous, next) = neighbours(&section.pages, i, self.summaries);
        let mut taxonomies = BTreeMap::new();
        for t in &site.taxonomies {
            if let Some(names) = page.meta.taxonomies.get(&t.name) {
                let links = names
                    .iter()
                    .filter_map(|n| t.term_by_slug(&crate::content::slug::slugify(n)))
                    .map(|term| term_link(term, self.base))
                    .collect();
                taxonomies.insert(t.name.as_str(), links);
            }
        }
        let count = markdown::TextCount::of(&rendered.text);
        if let Some(slot) = self.anchors.get(i) {
            let _ = slot.set(rendered.toc.iter().map(|h| h.id.clone()).collect());
        }
        if let Some(slot) = self.search_texts.get(i).filter(|_| page.searchable) {
            let _ = slot.set(rendered.text.clone());
        }
        let view = PageView {
            summary: &self.summaries[i],
            word_count: count.words(),
            reading_minutes: count.reading_minutes(),
            content: rendered.html,
            toc: rendered.toc,
            editor: page.meta.editor.as_deref(),
            term: page.meta.term.as_deref(),
            party: page.meta.party.as_deref(),
            members: &page.meta.members,
            slug: &page.slug,
            path: &page.path,
            extra: &page.meta.extra,
            taxonomies,
            previous,
            next,
            sector_url: self.group_url(GroupKind::Sector, page.meta.sector.as_deref()),
            committee_url: self.group_url(GroupKind::Committee, page.meta.committee.as_deref()),
            mentioned_in: self
                .summaries_of(site.members.mentions.get(&i).map_or(&[], Vec::as_slice)),
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
        };
        let mut ctx = Context::new();
        ctx.insert("page", &view);
        ctx.insert("section", &self.section_view(page.section, false));
        ctx.insert("current_path", &page.path);
        ctx.insert("current_url", &self.base.absolute(&page.path));
        let default = match page.kind {
            SectionKind::Members => "member.html",
            _ => "page.html",
        };
        let template = page.meta.template.as_deref().unwrap_or(default);
        self.render_template(template, &ctx).map_err(|e| {
            let pos = page.meta.positions.get("template").copied();
            self.relocate(e, &page.rel, &page.meta.template, pos)
        })
    }

    /// A missing `template` named in front matter is the page's mistake, not the theme's.
    fn relocate(
        &self,
        e: Error,
        rel: &str,
        template: &Option<String>,
        pos: Option<crate::error::Pos>,
    ) -> Error {
        match (e, template) {
            (Error::Site(mut diags), Some(name))
                if !self.templates.tera.contains_template(name) =>
            {
                for d in &mut diags {
                    *d = Diagnostic::error(
                        "template",
                        rel,
                        format!("找不到 template 字段指定的模板 `{name}`"),
                    )
                    .at_pos(pos.unwrap_or(crate::error::Pos::new(1, 1)))
                    .hint("模板应放在 templates/ 或主题的 templates/ 目录中");
                }
                Error::Site(diags)
            }
            (e, _) => e,
        }
    }

    fn section_view(&self, i: usize, with_content: bool) -> SectionView<'a> {
        let s = &self.site.sections[i];
        SectionView {
            title: &s.meta.title,
            description: s.meta.description.as_deref(),
            kind: s.kind.as_str(),
            url: self.base.href(&s.path),
            permalink: self.base.absolute(&s.path),
            path: &s.path,
            content: if with_content {
                markdown::render(&s.body, self.md).html
            } else {
                String::new()
            },
            page_count: s.pages.len(),
            subsections: s
                .children
                .iter()
                .map(|&c| section_link(&self.site.sections[c], self.base))
                .collect(),
            ancestors: ancestors(self.site, i, self.base),
            extra: &s.meta.extra,
            feed_url: (i > 0 && s.pages.iter().any(|&p| self.site.pages[p].date.is_some()))
                .then(|| self.base.href(&format!("{}rss.xml", s.path))),
        }
    }

    fn paginator(&self, list: &[usize], pager: &Pager, base_path: &str, per: usize) -> Paginator {
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
            pages: list[pager.range.clone()]
                .iter()
                .map(|&p| self.summaries[p].clone())
                .collect(),
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

    fn render_section(&self, i: usize, pager: &Pager) -> Result<Vec<u8>> {
        let s = &self.site.sections[i];
        let per = self.section_per_page(i);
        let mut ctx = Context::new();
        ctx.insert("section", &self.section_view(i, pager.index == 1));
        ctx.insert("paginator", &self.paginator(&s.pages, pager, &s.path, per));
        ctx.insert("current_path", &pager.path);
        ctx.insert("current_url", &self.base.absolute(&pager.path));
        let default = match s.kind {
            SectionKind::Members => {
                self.insert_member_lists(&mut ctx, &s.pages);
                "members.html"
            }
            SectionKind::Wenshi => {
                let series: Vec<SeriesView> = s
                    .children
                    .iter()
                    .map(|&c| {
                        let sub = &self.site.sections[c];
                        SeriesView {
                            title: &sub.meta.title,
                            description: sub.meta.description.as_deref(),
                            url: self.base.href(&sub.path),
                            pages: self.summaries_of(&sub.pages),
                        }
                    })
                    .collect();
                ctx.insert("series", &series);
                "series.html"
            }
            SectionKind::News | SectionKind::Plain => "section.html",
        };
        let template = s.meta.template.as_deref().unwrap_or(default);
        self.render_template(template, &ctx)
            .map_err(|e| self.relocate(e, &s.rel, &s.meta.template, s.meta.template_pos))
    }

    /// `groups` (these members by 界别, in config order) and links to every 界别 and 专委会 page.
    fn insert_member_lists(&self, ctx: &mut Context, pages: &[usize]) {
        let groups: Vec<MemberGroupView> = self
            .config
            .members
            .sectors
            .iter()
            .filter_map(|name| {
                let members: Vec<usize> = pages
                    .iter()
                    .copied()
                    .filter(|&p| self.site.pages[p].meta.sector.as_ref() == Some(name))
                    .collect();
                let url = self
                    .site
                    .members
                    .sectors
                    .iter()
                    .find(|g| &g.name == name)
                    .map(|g| self.base.href(&g.path))?;
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
        ctx.insert("groups", &groups);
        ctx.insert("sectors", &self.group_links(GroupKind::Sector));
        ctx.insert("committees", &self.group_links(GroupKind::Committee));
    }

    fn render_member_group(&self, kind: GroupKind, g: usize) -> Result<Vec<u8>> {
        let group = self.group(kind, g);
        let view = MemberGroupView {
            kind,
            kind_title: kind.title(),
            name: &group.name,
            url: self.base.href(&group.path),
            members: self.summaries_of(&group.members),
        };
        let mut ctx = Context::new();
        ctx.insert("group", &view);
        ctx.insert("sectors", &self.group_links(GroupKind::Sector));
        ctx.insert("committees", &self.group_links(GroupKind::Committee));
        ctx.insert("members_url", &self.members_section_url());
        ctx.insert("current_path", &group.path);
        ctx.insert("current_url", &self.base.absolute(&group.path));
        self.render_template("member_group.html", &ctx)
    }

    /// Writes the search index: searchable pages, newest first, with the text their render
    /// left.
    pub fn write_search_index(&self, sink: &dyn Sink) -> Result<crate::search::IndexStats> {
        let docs = search_documents(self.site, self.base, |p| {
            self.search_texts
                .get(p)
                .and_then(|t| t.get())
                .map_or("", String::as_str)
        });
        crate::search::build(&docs, &|path, bytes| sink.write(path, bytes))
    }

    fn group_url(&self, kind: GroupKind, name: Option<&str>) -> Option<String> {
        let name = name?;
        let groups = match kind {
            GroupKind::Sector => &self.site.members.sectors,
            GroupKind::Committee => &self.site.members.committees,
        };
        groups
            .iter()
            .find(|g| g.name == name)
            .map(|g| self.base.href(&g.path))
    }

    /// The URL of the first members section (for "all members" links), if any.
    fn members_section_url(&self) -> Option<String> {
        self.site
            .sections
            .iter()
            .find(|s| s.kind == SectionKind::Members && s.meta.kind.is_some())
            .map(|s| self.base.href(&s.path))
    }

    fn render_home(&self) -> Result<Vec<u8>> {
        let site = self.site;
        #[derive(Serialize)]
        struct Block<'b> {
            title: &'b str,
            url: String,
            notices: bool,
            pages: Vec<tera::Value>,
        }
        let mut blocks = Vec::new();
        let mut stack: Vec<usize> = site.sections[0].children.iter().rev().copied().collect();
        while let Some(si) = stack.pop() {
            let s = &site.sections[si];
            stack.extend(s.children.iter().rev());
            let home = s.meta.home.unwrap_or(HomeBlock::List);
            if s.kind != SectionKind::News
                || !s.children.is_empty()
                || home == HomeBlock::Off
                || s.pages.is_empty()
            {
                continue;
            }
            blocks.push(Block {
                title: &s.meta.title,
                url: self.base.href(&s.path),
                notices: home == HomeBlock::Notices,
                pages: s
                    .pages
                    .iter()
                    .take(HOME_BLOCK_LEN)
                    .map(|&p| self.summaries[p].clone())
                    .collect(),
            });
        }
        let headline = site
            .dated
            .iter()
            .find(|&&p| site.pages[p].meta.pinned)
            .map(|&p| self.summaries[p].clone());
        let latest: Vec<tera::Value> = site
            .dated
            .iter()
            .take(HOME_BLOCK_LEN)
            .map(|&p| self.summaries[p].clone())
            .collect();
        let members_section = site.sections.iter().find(|s| {
            s.kind == SectionKind::Members
                && s.meta.kind.is_some()
                && s.meta.home != Some(HomeBlock::Off)
        });
        let members_strip = members_section.map(|s| HomeStrip {
            title: &s.meta.title,
            url: self.base.href(&s.path),
            pages: self.summaries_of(&s.pages[..s.pages.len().min(HOME_MEMBERS_LEN)]),
        });
        let wenshi_section = site.sections.iter().find(|s| {
            s.kind == SectionKind::Wenshi
                && s.meta.kind.is_some()
                && s.meta.home != Some(HomeBlock::Off)
        });
        let wenshi_strip = wenshi_section.map(|s| {
            let mut pages = s.pages.clone();
            pages.sort_by(|&a, &b| crate::content::newest_first(&site.pages[a], &site.pages[b]));
            pages.truncate(HOME_WENSHI_LEN);
            HomeStrip {
                title: &s.meta.title,
                url: self.base.href(&s.path),
                pages: self.summaries_of(&pages),
            }
        });
        let mut ctx = Context::new();
        ctx.insert("section", &self.section_view(0, true));
        ctx.insert("blocks", &blocks);
        ctx.insert("members", &members_strip);
        ctx.insert("wenshi", &wenshi_strip);
        ctx.insert("headline", &headline);
        ctx.insert("latest", &latest);
        ctx.insert("current_path", "/");
        ctx.insert("current_url", &self.base.absolute("/"));
        self.render_template("index.html", &ctx)
    }

    fn render_taxonomy(&self, t: usize) -> Result<Vec<u8>> {
        let tax = &self.site.taxonomies[t];
        let mut ctx = Context::new();
        ctx.insert("taxonomy", &taxonomy_view(tax, self.base));
        ctx.insert("current_path", &tax.path);
        ctx.insert("current_url", &self.base.absolute(&tax.path));
        self.render_template("taxonomy_list.html", &ctx)
    }

    fn render_term(&self, t: usize, term_i: usize, pager: &Pager) -> Result<Vec<u8>> {
        let tax = &self.site.taxonomies[t];
        let term = &tax.terms[term_i];
        let per = tax.config.paginate_by.unwrap_or(self.config.paginate_by);
        let mut ctx = Context::new();
        ctx.insert(
            "taxonomy",
            &Link {
                title: &tax.config.title,
                url: self.base.href(&tax.path),
            },
        );
        ctx.insert("term", &term_view(tax, term, self.base));
        ctx.insert(
            "paginator",
            &self.paginator(&term.pages, pager, &term.path, per),
        );
        ctx.insert("current_path", &pager.path);
        ctx.insert("current_url", &self.base.absolute(&pager.path));
        self.render_template("taxonomy_single.html", &ctx)
    }

    fn render_archive(&self) -> Result<Vec<u8>> {
        #[derive(Serialize)]
        struct Month {
            month: u32,
            pages: Vec<tera::Value>,
        }
        #[derive(Serialize)]
        struct Year {
            year: i32,
            months: Vec<Month>,
        }
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
            year.months
                .last_mut()
                .expect("pushed above")
                .pages
                .push(self.summaries[p].clone());
        }
        let mut ctx = Context::new();
        ctx.insert("years", &years);
        ctx.insert("current_path", "/archive/");
        ctx.insert("current_url", &self.base.absolute("/archive/"));
        self.render_template("archive.html", &ctx)
    }

    fn feed(&self, channel: Channel, pages: impl Iterator<Item = usize>) -> String {
        let items: Vec<Item> = pages
            .filter(|&p| self.site.pages[p].date.is_some())
            .take(self.config.feed_limit)
            .map(|p| Item {
                page: &self.site.pages[p],
                summary_html: &self.summary_html[p],
            })
            .collect();
        feed::rss(&channel, &items, self.base, self.config.offset())
    }

    fn site_feed(&self) -> String {
        let channel = Channel {
            title: &self.config.title,
            description: &self.config.description,
            language: &self.config.language,
            link_path: "/",
            self_path: "/rss.xml",
        };
        self.feed(channel, self.site.dated.iter().copied())
    }

    fn section_feed(&self, i: usize) -> String {
        let s = &self.site.sections[i];
        let mut pages: Vec<usize> = s.pages.clone();
        pages.sort_by(|&a, &b| {
            let (a, b) = (&self.site.pages[a], &self.site.pages[b]);
            b.date.cmp(&a.date).then_with(|| a.path.cmp(&b.path))
        });
        let title = format!("{} - {}", s.meta.title, self.config.title);
        let self_path = format!("{}rss.xml", s.path);
        let channel = Channel {
            title: &title,
            description: s
                .meta
                .description
                .as_deref()
                .unwrap_or(&self.config.description),
            language: &self.config.language,
            link_path: &s.path,
            self_path: &self_path,
        };
        self.feed(channel, pages.into_iter())
    }

    fn term_feed(&self, t: usize, term_i: usize) -> String {
        let tax = &self.site.taxonomies[t];
        let term = &tax.terms[term_i];
        let title = format!(
            "{}：{} - {}",
            tax.config.title, term.name, self.config.title
        );
        let self_path = format!("{}rss.xml", term.path);
        let channel = Channel {
            title: &title,
            description: &self.config.description,
            language: &self.config.language,
            link_path: &term.path,
            self_path: &self_path,
        };
        self.feed(channel, term.pages.iter().copied())
    }

    fn sitemap(&self) -> String {
        let site = self.site;
        let day = |d: Option<chrono::DateTime<chrono::FixedOffset>>| {
            d.map(|d| d.format("%Y-%m-%d").to_string())
        };
        let mut entries: Vec<Entry> = Vec::new();
        for s in &site.sections {
            let newest = s.pages.iter().filter_map(|&p| site.pages[p].date).max();
            entries.push(Entry {
                path: s.path.clone(),
                lastmod: day(newest),
            });
        }
        for p in site.pages.iter().filter(|p| p.listed) {
            entries.push(Entry {
                path: p.path.clone(),
                lastmod: day(p.meta.updated.or(p.date)),
            });
        }
        for t in &site.taxonomies {
            entries.push(Entry {
                path: t.path.clone(),
                lastmod: None,
            });
            for term in &t.terms {
                entries.push(Entry {
                    path: term.path.clone(),
                    lastmod: None,
                });
            }
        }
        entries.push(Entry {
            path: "/archive/".into(),
            lastmod: None,
        });
        for (_, groups) in self.member_groups() {
            entries.extend(groups.iter().map(|g| Entry {
                path: g.path.clone(),
                lastmod: None,
            }));
        }
        entries.sort_by(|a, b| a.path.cmp(&b.path));
        sitemap::sitemap(&entries, self.base)
    }
}

/// The pages search indexes, in id order: dated ones newest first, then the undated.
pub fn search_order(site: &Site) -> Vec<usize> {
    let mut order: Vec<usize> = site
        .dated
        .iter()
        .copied()
        .filter(|&p| site.pages[p].searchable)
        .collect();
    order.extend(
        (0..site.pages.len()).filter(|&p| site.pages[p].searchable && site.pages[p].date.is_none()),
    );
    order
}

/// Page `p` as search indexes it, with its rendered text.
pub fn search_document<'s>(
    site: &'s Site,
    base: &BaseUrl,
    p: usize,
    body: &'s str,
) -> crate::search::Document<'s> {
    let page = &site.pages[p];
    crate::search::Document {
        title: &page.meta.title,
        url: base.href(&page.path).into(),
        date: page
            .date
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default()
            .into(),
        section: &site.sections[page.section].meta.title,
        description: page.meta.description.as_deref(),
        body,
    }
}

/// Every searchable page as search indexes it, in id order; `text_of(p)` is page p's text.
pub fn search_documents<'s>(
    site: &'s Site,
    base: &BaseUrl,
    text_of: impl Fn(usize) -> &'s str,
) -> Vec<crate::search::Document<'s>> {
    search_order(site)
        .into_iter()
        .map(|p| search_document(site, base, p, text_of(p)))
        .collect()
}

/// The list entries before and after page `i` in `list`.
fn neighbours(
    list: &[usize],
    i: usize,
    summaries: &[tera::Value],
) -> (Option<tera::Value>, Option<tera::Value>) {
    let Some(pos) = list.iter().position(|&p| p == i) else {
        return (None, None);
    };
    let previous = pos.checked_sub(1).map(|q| summaries[list[q]].clone());
    let next = list.get(pos + 1).map(|&q| summaries[q].clone());
    (previous, next)
}

/// A page's summary HTML: before `<!-- more -->`, else the description, else the opening text.
/// Ids written more than once in an HTML document (`id="x"`, as every writer of ours quotes
/// them), in order of first repeat.
fn duplicate_ids(html: &[u8]) -> Vec<String> {
    let html = String::from_utf8_lossy(html);
    let mut seen = std::collections::HashSet::new();
    let mut twice = Vec::new();
    for part in html.split(" id=\"").skip(1) {
        let id = &part[..part.find('"').unwrap_or(0)];
        if !seen.insert(id) && !twice.iter().any(|t: &String| t == id) {
            twice.push(id.to_string());
        }
    }
    twice
}

/// A page's summary for lists and for feeds (see [`markdown::SummaryHtml`]).
fn page_summary_html(
    page: &crate::content::Page,
    base: &BaseUrl,
    md: MarkdownOptions,
) -> markdown::SummaryHtml {
    let at = markdown::PageUrl {
        path: &page.path,
        origin: base.origin(),
    };
    if let Some(html) = markdown::summary_before_more(&page.body, md, at) {
        return html;
    }
    let (body, description) = (&page.body, page.meta.description.as_deref());
    let text = match description {
        Some(d) => d.to_string(),
        None => markdown::summary_from_text(&markdown::opening_text(body, 120)),
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
