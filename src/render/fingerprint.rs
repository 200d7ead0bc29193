//! What each job's output depends on, hashed. `serve` keeps the last fingerprint of every output
//! and re-renders a job only when its fingerprint changes, so editing one page re-renders that
//! page and the lists, feeds and term pages that show it, and editing a template re-renders
//! the outputs that use it.
//!
//! A fingerprint must cover everything the job's render reads (see the `render_*` methods of
//! [`RenderContext`]); covering more only costs a needless render. The serve tests compare an
//! incrementally updated site with a fresh build after each kind of edit.

use std::collections::BTreeMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use super::{Job, RenderContext, taxonomy_links};
use crate::config::BaseUrl;
use crate::content::members::GroupKind;
use crate::content::{Page, SectionKind, Site};

/// The hashed inputs jobs share.
pub struct Fingerprints<'s> {
    /// `nav` and `taxonomies`, which every template sees (config changes rebuild everything).
    pub globals: u64,
    /// Per template name: its text and that of every template it uses.
    pub templates: BTreeMap<String, u64>,
    /// Per page: its file, URL and visibility.
    pub sources: Vec<u64>,
    /// Per page: its list view and summary HTML.
    pub views: Vec<u64>,
    /// Per section: its view (title, URL, counts, subsections …) and body.
    pub sections: Vec<u64>,
    /// Per page: where it stands in its own section's list.
    pub positions: Vec<Option<usize>>,
    /// Per taxonomy, per term name written in front matter: the term it links to.
    pub terms: Vec<std::collections::HashMap<&'s str, u64>>,
}

/// The shared parts of [`Fingerprints`] that come from the site as it is now.
pub struct SiteParts<'s> {
    pub globals: u64,
    pub sections: Vec<u64>,
    pub positions: Vec<Option<usize>>,
    pub terms: Vec<std::collections::HashMap<&'s str, u64>>,
}

/// A page's own inputs: file, URL, date and whether it is listed and searchable. Not the index
/// of its section, which moves when sections come and go: the section is hashed on its own.
pub fn page_source(page: &Page) -> u64 {
    let mut h = DefaultHasher::new();
    (&page.rel, &page.path, &page.head, &page.body, page.date).hash(&mut h);
    (page.listed, page.searchable, page.kind.as_str()).hash(&mut h);
    h.finish()
}

fn hash_json<T: serde::Serialize>(value: &T) -> u64 {
    let mut h = DefaultHasher::new();
    serde_json::to_vec(value).unwrap_or_default().hash(&mut h);
    h.finish()
}

/// What [`Fingerprints`] takes from the site as it is now; `pages`: only these pages' jobs
/// will be fingerprinted (positions and term links are worked out for them alone).
pub fn site_parts<'s>(ctx: &RenderContext<'s>, pages: Option<&[usize]>) -> SiteParts<'s> {
    let site = ctx.site;
    let globals = {
        let mut h = DefaultHasher::new();
        hash_json(&super::views::nav(site, ctx.base)).hash(&mut h);
        hash_json(&taxonomy_links(site, ctx.base)).hash(&mut h);
        h.finish()
    };
    let sections = (0..site.sections.len())
        .map(|i| {
            let s = &site.sections[i];
            let mut h = DefaultHasher::new();
            hash_json(&ctx.section_view(i, false)).hash(&mut h);
            // Debug covers every front-matter field (home block, sort order, template …).
            (&s.body, &s.rel, format!("{:?}", s.meta)).hash(&mut h);
            h.finish()
        })
        .collect();
    let mut positions = vec![None; site.pages.len()];
    match pages {
        Some(pages) => {
            for &p in pages {
                let list = &site.sections[site.pages[p].section].pages;
                positions[p] = list.iter().position(|&q| q == p);
            }
        }
        None => {
            for (si, s) in site.sections.iter().enumerate() {
                for (pos, &p) in s.pages.iter().enumerate() {
                    if site.pages[p].section == si {
                        positions[p] = Some(pos);
                    }
                }
            }
        }
    }
    let all: Vec<usize>;
    let pages = match pages {
        Some(p) => p,
        None => {
            all = (0..site.pages.len()).collect();
            &all
        }
    };
    let terms = site
        .taxonomies
        .iter()
        .map(|t| {
            let mut links = std::collections::HashMap::new();
            for page in pages.iter().map(|&p| &site.pages[p]) {
                for name in page.meta.taxonomies.get(&t.name).into_iter().flatten() {
                    links.entry(name.as_str()).or_insert_with(|| {
                        let term = t.term_by_slug(&crate::content::slug::slugify(name));
                        let mut h = DefaultHasher::new();
                        term.map(|t| (&t.name, &t.path)).hash(&mut h);
                        h.finish()
                    });
                }
            }
            links
        })
        .collect();
    SiteParts {
        globals,
        sections,
        positions,
        terms,
    }
}

impl RenderContext<'_> {
    /// The template a job renders with, if any.
    pub fn template_of(&self, job: &Job) -> Option<&str> {
        let site = self.site;
        Some(match job {
            Job::Page(i) => {
                let page = &site.pages[*i];
                page.meta.template.as_deref().unwrap_or(match page.kind {
                    SectionKind::Members => "member.html",
                    _ => "page.html",
                })
            }
            Job::SectionPager(i, _) => {
                let s = &site.sections[*i];
                s.meta.template.as_deref().unwrap_or(match s.kind {
                    SectionKind::Members => "members.html",
                    SectionKind::Wenshi => "series.html",
                    SectionKind::News | SectionKind::Plain => "section.html",
                })
            }
            Job::Home => "index.html",
            Job::TaxonomyIndex(_) => "taxonomy_list.html",
            Job::TermPager(..) => "taxonomy_single.html",
            Job::Archive => "archive.html",
            Job::NotFound => "404.html",
            Job::MemberGroup(..) => "member_group.html",
            Job::SearchPage => "search.html",
            Job::SiteFeed | Job::SectionFeed(_) | Job::TermFeed(..) | Job::Sitemap => return None,
        })
    }

    /// The fingerprint of everything `job`'s output is made from.
    pub fn fingerprint(&self, job: &Job, f: &Fingerprints) -> u64 {
        let site = self.site;
        let mut h = DefaultHasher::new();
        if let Some(name) = self.template_of(job) {
            (name, f.templates.get(name), f.globals).hash(&mut h);
        }
        let views = |h: &mut DefaultHasher, pages: &[usize]| {
            pages.len().hash(h);
            for &p in pages {
                f.views[p].hash(h);
            }
        };
        match job {
            Job::Page(i) => {
                let page = &site.pages[*i];
                (f.sources[*i], f.views[*i], f.sections[page.section]).hash(&mut h);
                let list = &site.sections[page.section].pages;
                if let Some(pos) = f.positions[*i] {
                    let prev = pos.checked_sub(1).map(|q| f.views[list[q]]);
                    let next = list.get(pos + 1).map(|&q| f.views[q]);
                    (prev, next).hash(&mut h);
                }
                for (t, tax) in site.taxonomies.iter().enumerate() {
                    for name in page.meta.taxonomies.get(&tax.name).into_iter().flatten() {
                        f.terms[t].get(name.as_str()).hash(&mut h);
                    }
                }
                views(
                    &mut h,
                    site.members.mentions.get(i).map_or(&[], Vec::as_slice),
                );
                views(&mut h, site.members.named.get(i).map_or(&[], Vec::as_slice));
                for kind in [GroupKind::Sector, GroupKind::Committee] {
                    let name = match kind {
                        GroupKind::Sector => page.meta.sector.as_deref(),
                        GroupKind::Committee => page.meta.committee.as_deref(),
                    };
                    let groups = match kind {
                        GroupKind::Sector => &site.members.sectors,
                        GroupKind::Committee => &site.members.committees,
                    };
                    name.and_then(|n| groups.iter().find(|g| g.name == n))
                        .map(|g| &g.path)
                        .hash(&mut h);
                }
            }
            Job::SectionPager(i, pager) => {
                let s = &site.sections[*i];
                (f.sections[*i], pager.index, &pager.range, &pager.path).hash(&mut h);
                (s.pages.len(), self.section_per_page(*i)).hash(&mut h);
                views(&mut h, &s.pages[pager.range.clone()]);
                match s.kind {
                    SectionKind::Members => {
                        views(&mut h, &s.pages);
                        group_links(&mut h, site, self.base);
                    }
                    SectionKind::Wenshi => {
                        for &c in &s.children {
                            f.sections[c].hash(&mut h);
                            views(&mut h, &site.sections[c].pages);
                        }
                    }
                    SectionKind::News | SectionKind::Plain => {}
                }
            }
            Job::Home => {
                f.sections.hash(&mut h);
                f.views.hash(&mut h);
                site.dated.hash(&mut h);
                for s in &site.sections {
                    s.pages.hash(&mut h);
                }
            }
            Job::TaxonomyIndex(t) => {
                let tax = &site.taxonomies[*t];
                (&tax.path, &tax.config.title).hash(&mut h);
                for term in &tax.terms {
                    (&term.name, &term.path, term.pages.len()).hash(&mut h);
                }
            }
            Job::TermPager(t, term, pager) => {
                let tax = &site.taxonomies[*t];
                let term = &tax.terms[*term];
                (&tax.path, &tax.config.title, &term.name, &term.path).hash(&mut h);
                (pager.index, &pager.range, &pager.path).hash(&mut h);
                views(&mut h, &term.pages[pager.range.clone()]);
                term.pages.len().hash(&mut h);
            }
            Job::Archive => views(&mut h, &site.dated),
            Job::NotFound | Job::SearchPage => {}
            // A feed item is the page's title, URL, date and summary HTML: all in its view.
            Job::SiteFeed => {
                let limit = self.config.feed_limit.min(site.dated.len());
                views(&mut h, &site.dated[..limit]);
            }
            Job::SectionFeed(i) => {
                f.sections[*i].hash(&mut h);
                views(&mut h, &site.sections[*i].pages);
            }
            Job::TermFeed(t, term) => {
                let term = &site.taxonomies[*t].terms[*term];
                (&term.name, &term.path).hash(&mut h);
                views(&mut h, &term.pages);
            }
            Job::MemberGroup(kind, g) => {
                let group = self.group(*kind, *g);
                (&group.name, &group.path).hash(&mut h);
                views(&mut h, &group.members);
                group_links(&mut h, site, self.base);
                self.members_section_url().hash(&mut h);
            }
            Job::Sitemap => {
                for s in &site.sections {
                    s.path.hash(&mut h);
                    s.pages
                        .iter()
                        .filter_map(|&p| site.pages[p].date)
                        .max()
                        .hash(&mut h);
                }
                for p in &site.pages {
                    (&p.path, p.date, p.meta.updated).hash(&mut h);
                }
                for t in &site.taxonomies {
                    t.path.hash(&mut h);
                    t.terms.iter().for_each(|term| term.path.hash(&mut h));
                }
                group_links(&mut h, site, self.base);
            }
        }
        h.finish()
    }
}

/// Every 界别 and 专委会 link with its count.
fn group_links(h: &mut DefaultHasher, site: &Site, base: &BaseUrl) {
    for g in site.members.sectors.iter().chain(&site.members.committees) {
        (&g.name, base.href(&g.path), g.members.len()).hash(h);
    }
}
