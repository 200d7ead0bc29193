//! The content model: from read files to a resolved [`Site`] of sections, pages and taxonomies,
//! with URLs, kinds and orders settled. No Markdown, no templates, no disk writes.

pub mod alias;
pub mod front_matter;
pub mod id;
pub mod linked;
pub mod load;
pub mod members;
pub mod meta;
pub mod proposals;
pub mod slug;
pub mod strokes;

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, FixedOffset, NaiveDate};
use rayon::prelude::*;

use crate::config::{Config, TaxonomyConfig};
use crate::dates::{split_date_prefix, start_of_day};
use crate::error::{Code, Diagnostic};
use front_matter::Field;
pub use id::{PageId, SectionId};
use load::SourceFile;
pub use meta::{
    HomeBlock, KindMeta, ListStyle, MemberMeta, NewsMeta, PageMeta, ProposalMeta, SectionKind,
    SectionMeta, SortBy, WenshiMeta,
};
use meta::{Reader, read_page, read_section};
use slug::{check_explicit_slug, slugify};

/// What decides which pages are published: the date standing for "now", drafts and future pages.
#[derive(Debug, Clone, Copy)]
pub struct Visibility {
    pub today: NaiveDate,
    pub drafts: bool,
    pub future: bool,
}

/// A section: a folder of `content/` with an `_index.md` (or `content/` itself).
#[derive(Debug)]
pub struct Section {
    /// Folder under `content/`, `/`-separated; empty for the home section.
    pub dir: String,
    /// Site-relative source file, or empty when `content/_index.md` is absent.
    pub rel: String,
    pub meta: SectionMeta,
    pub kind: SectionKind,
    /// Site-absolute URL path with slashes at both ends: `/news/yaowen/`.
    pub path: String,
    pub parent: Option<SectionId>,
    /// Subsections, by weight then title.
    pub children: Vec<SectionId>,
    /// Listed pages of this section and all its subsections, in the section's order.
    pub pages: Vec<PageId>,
    /// The body, its Markdown slips mended as a page's are.
    pub body: String,
    pub body_line: usize,
    /// The `_index.md`'s front matter with its delimiter lines, as written (as a page's `head`).
    pub head: String,
}

/// A page's Markdown body, with a hash of it made once, when the file is parsed: fingerprints
/// and summary keys hash the number, not the text. Reads as a `str`.
#[derive(Debug, Clone)]
pub struct Body {
    text: String,
    hash: u64,
    /// The image URLs the body shows, found the first time they are asked for.
    images: std::sync::OnceLock<Vec<String>>,
}

impl Body {
    pub fn new(text: String) -> Self {
        use std::hash::{DefaultHasher, Hash, Hasher};
        let mut h = DefaultHasher::new();
        text.hash(&mut h);
        Body {
            hash: h.finish(),
            text,
            images: std::sync::OnceLock::new(),
        }
    }

    /// The destinations of the images the body shows, as written (parsed once).
    pub fn image_urls(&self) -> &[String] {
        self.images
            .get_or_init(|| crate::markdown::image_urls(&self.text))
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The hash made when the file was parsed.
    pub fn fingerprint(&self) -> u64 {
        self.hash
    }
}

impl std::ops::Deref for Body {
    type Target = str;
    fn deref(&self) -> &str {
        &self.text
    }
}

/// Hashes as its precomputed hash, and notes the read (see [`crate::reads`]).
impl std::hash::Hash for Body {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        crate::reads::note(self.hash);
        self.hash.hash(state);
    }
}

impl PartialEq for Body {
    fn eq(&self, other: &Body) -> bool {
        self.hash == other.hash && self.text == other.text
    }
}

/// A published page.
#[derive(Debug, Clone)]
pub struct Page {
    pub rel: String,
    pub meta: PageMeta,
    pub section: SectionId,
    pub kind: SectionKind,
    pub slug: String,
    /// `/news/yaowen/slug/`
    pub path: String,
    /// From front matter, else from the file name.
    pub date: Option<DateTime<FixedOffset>>,
    /// False once `expires` has passed: the page keeps its URL but leaves lists, term pages and
    /// counts, feeds, the archive, the sitemap and search — the one visibility rule.
    pub listed: bool,
    /// Listed, not a draft and not dated after today (even when `--drafts` or `--future`
    /// publish it): what search indexes.
    pub searchable: bool,
    pub body: Body,
    pub body_line: usize,
    /// The file's front matter with its delimiter lines, as written: line N of `head` is line
    /// N of the file (for locating words in `title` and `description`).
    pub head: String,
}

/// A page file left out of the site: a draft, or dated after today.
#[derive(Debug)]
pub struct Unpublished {
    pub rel: String,
    /// The URL it would have.
    pub path: String,
    pub draft: bool,
    /// A 提案 its proposer did not agree to publish (`public = false`): never published.
    pub private: bool,
    /// A non-public 提案's 提案号: unique with the published ones all the same.
    pub number: Option<crate::error::Located<String>>,
    pub date: Option<DateTime<FixedOffset>>,
    /// Where `date` is written, if in front matter.
    pub date_pos: Option<crate::error::Pos>,
    /// A member page's name (its title), so that a news page naming the member is told why
    /// the page is missing; empty for other kinds.
    pub member: String,
}

impl Unpublished {
    /// The page read from `file` as left out: to be published at `path` on `date`.
    fn of(
        file: &SourceFile,
        path: String,
        meta: &PageMeta,
        kind: SectionKind,
        date: Option<DateTime<FixedOffset>>,
    ) -> Unpublished {
        let private = meta.kind.proposal().is_some_and(|p| !p.is_public());
        Unpublished {
            rel: file.rel.clone(),
            path,
            draft: meta.draft,
            private,
            number: (meta.kind.proposal())
                .and_then(|p| p.number.clone())
                .filter(|_| private),
            date,
            date_pos: meta.date.as_ref().map(|d| d.pos),
            member: match kind {
                SectionKind::Members => meta.title.value.clone(),
                _ => String::new(),
            },
        }
    }
}

/// One term of a taxonomy and its listed pages, newest first.
#[derive(Debug)]
pub struct Term {
    pub name: String,
    pub slug: String,
    /// `/tags/slug/`
    pub path: String,
    pub pages: Vec<PageId>,
}

#[derive(Debug)]
pub struct Taxonomy {
    pub name: String,
    pub config: TaxonomyConfig,
    /// `/tags/`
    pub path: String,
    /// By slug, so the order is stable and pinyin-like.
    pub terms: Vec<Term>,
}

impl Taxonomy {
    /// The term with this slug; terms are sorted by slug.
    pub fn term_by_slug(&self, slug: &str) -> Option<&Term> {
        self.terms
            .binary_search_by(|t| t.slug.as_str().cmp(slug))
            .ok()
            .map(|i| &self.terms[i])
    }
}

/// The resolved site. Sections are indexed; index 0 is the home section.
#[derive(Debug)]
pub struct Site {
    pub sections: Vec<Section>,
    pub pages: Vec<Page>,
    pub taxonomies: Vec<Taxonomy>,
    /// Every listed, dated page, newest first (feeds, archive).
    pub dated: Vec<PageId>,
    /// Non-Markdown files under `content/`: (source rel path, output path).
    pub assets: Vec<(String, String)>,
    /// Members by 界别 and 专委会, and who is named in which news.
    pub members: members::Members,
    /// 提案 by 类别 and 办理状态, and their proposers among the members.
    pub proposals: proposals::Proposals,
    /// Drafts and future pages, left out of the site (for `check`).
    pub unpublished: Vec<Unpublished>,
    /// Page files with errors, left out of the site.
    pub broken: Vec<Broken>,
}

impl Site {
    /// The page read from site-relative file `rel`; pages are sorted by it.
    pub fn page_id(&self, rel: &str) -> Option<PageId> {
        self.pages
            .binary_search_by(|p| p.rel.as_str().cmp(rel))
            .ok()
            .map(PageId::new)
    }

    /// Frees the pages' Markdown and front-matter text, which only rendering and checking
    /// read: `build` calls it once both are done, before the search index, whose postings then
    /// reuse that memory (a 100,000-page site holds some 350 MiB of it). Titles, descriptions,
    /// paths and dates stay.
    pub fn release_sources(&mut self) {
        for page in &mut self.pages {
            page.body = Body::new(String::new());
            page.head = String::new();
        }
    }
}

/// Parses front matter and resolves the site. Every problem met is returned, not just the first.
pub fn resolve(
    files: Vec<SourceFile>,
    assets: Vec<load::Asset>,
    config: &Config,
    vis: Visibility,
) -> (Site, Vec<Diagnostic>) {
    // Owned files: each file's text is freed as soon as its page is built, so the site's raw
    // text and its pages are never held in full at once.
    resolve_reusing(files, assets, config, vis, &|_, _| None)
}

/// A page parsed before, given its file and the kind of its section: `serve` hands back pages
/// whose file is unchanged so that resolving again does not parse them again.
pub type Reuse<'r> = dyn Fn(&SourceFile, SectionKind) -> Option<Page> + Sync + 'r;

/// [`resolve`], taking pages from `reuse` where it has them. `files` are owned files or
/// references to them; an owned file is dropped once its page is built.
pub fn resolve_reusing<F: Borrow<SourceFile> + Send>(
    files: Vec<F>,
    assets: Vec<load::Asset>,
    config: &Config,
    vis: Visibility,
    reuse: &Reuse,
) -> (Site, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let offset = config.offset();
    let (index_files, page_files): (Vec<_>, Vec<_>) = files
        .into_iter()
        .partition(|f| f.borrow().is_section_index());

    let index_files = index_files.iter().map(Borrow::borrow).collect();
    let (sections, broken_dirs) = build_sections(index_files, offset, &mut diags);
    let misjudged = kind_from_broken(&sections, &broken_dirs);
    let section_of_dir: BTreeMap<String, SectionId> = SectionId::enumerate(&sections)
        .map(|(i, s)| (s.dir.clone(), i))
        .collect();

    // Front matter is parsed on all cores; each file's diagnostics travel with it.
    let built: Vec<(Built, Vec<Diagnostic>)> = page_files
        .into_par_iter()
        .map(|owned| {
            let file: &SourceFile = owned.borrow();
            let section = owning_section(&file.dir, &section_of_dir);
            if in_broken_section(&broken_dirs, &file.dir, &sections[section].dir)
                || misjudged.contains(&section)
            {
                return (Broken::built(file, section, None), Vec::new());
            }
            let kind = sections[section].kind;
            if let Some(mut page) = reuse(file, kind) {
                page.section = section;
                return (Built::Page(Box::new(page)), Vec::new());
            }
            let mut file_diags = Vec::new();
            let built = build_page(file, section, kind, config, vis, &mut file_diags);
            (built, file_diags)
        })
        .collect();
    let mut pages = Vec::with_capacity(built.len());
    let mut unpublished = Vec::new();
    let mut broken = Vec::new();
    for (built, mut file_diags) in built {
        match built {
            Built::Page(p) => pages.push(*p),
            Built::Unpublished(u) => unpublished.push(u),
            Built::Broken(b) => broken.push(b),
        }
        diags.append(&mut file_diags);
    }
    unpublished.sort_by(|a, b| a.rel.cmp(&b.rel));
    broken.sort_by(|a, b| a.rel.cmp(&b.rel));
    pages.sort_by(|a, b| a.rel.cmp(&b.rel));

    let assets = assets
        .into_iter()
        .filter(|a| !a.name.starts_with('_'))
        .map(|a| {
            let dir_path = url_path_of_dir(&a.dir);
            (a.rel, format!("{dir_path}{}", a.name))
        })
        .collect();

    let mut site = Site {
        sections,
        pages,
        taxonomies: Vec::new(),
        dated: Vec::new(),
        assets,
        members: members::Members::default(),
        proposals: proposals::Proposals::default(),
        unpublished,
        broken,
    };
    diags.append(&mut rederive(&mut site, config));
    (site, diags)
}

/// Recomputes what follows from the pages: section lists and orders, taxonomies, members and
/// the dated list. `resolve` ends with it; `serve` calls it after replacing a page.
pub fn rederive(site: &mut Site, config: &Config) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for s in &mut site.sections {
        s.pages.clear();
    }
    let by_pinyin = site
        .sections
        .iter()
        .find(|s| s.meta.kind == Some(SectionKind::Members))
        .is_some_and(|s| s.meta.sort_by == Some(SortBy::Pinyin));
    let pages = &site.pages;
    // Member pages a news page may name that are not in the site, and why.
    let broken = (site.broken.iter())
        .filter(|b| site.sections[b.section].kind == SectionKind::Members)
        .filter_map(|b| Some((b.title.as_deref()?, members::Absent::Broken)));
    let unpublished = (site.unpublished.iter())
        .filter(|u| !u.member.is_empty())
        .map(|u| {
            (
                u.member.as_str(),
                members::Absent::Unpublished(u.rel.as_str()),
            )
        });
    let absent_members: BTreeMap<&str, members::Absent> = unpublished.chain(broken).collect();
    // Four independent parts, on all cores.
    let ((_, dated), (taxonomies, members)) = rayon::join(
        || {
            rayon::join(
                || order_sections(&mut site.sections, pages),
                || {
                    let mut dated: Vec<PageId> = PageId::all(pages.len())
                        .filter(|&i| pages[i].listed && pages[i].date.is_some())
                        .collect();
                    dated.sort_by(|&a, &b| newest_first(&pages[a], &pages[b]));
                    dated
                },
            )
        },
        || {
            let mut tax_diags = Vec::new();
            let taxonomies = build_taxonomies(config, pages, &mut tax_diags);
            let mut member_diags = Vec::new();
            let members =
                members::resolve(config, pages, by_pinyin, &absent_members, &mut member_diags);
            tax_diags.append(&mut member_diags);
            ((taxonomies, tax_diags), members)
        },
    );
    let (taxonomies, mut tax_diags) = taxonomies;
    diags.append(&mut tax_diags);
    site.taxonomies = taxonomies;
    site.members = members;
    site.dated = dated;
    let listed_members = members::listed_members(&site.pages, false);
    site.proposals = proposals::resolve(config, site, &listed_members, &mut diags);
    diags
}

/// Parses one page file as part of an already resolved site (its sections unchanged).
pub fn parse_page_in(
    site: &Site,
    file: SourceFile,
    config: &Config,
    vis: Visibility,
) -> (Built, Vec<Diagnostic>) {
    let section_of_dir: BTreeMap<String, SectionId> = SectionId::enumerate(&site.sections)
        .map(|(i, s)| (s.dir.clone(), i))
        .collect();
    let section = owning_section(&file.dir, &section_of_dir);
    let mut diags = Vec::new();
    let built = build_page(
        &file,
        section,
        site.sections[section].kind,
        config,
        vis,
        &mut diags,
    );
    (built, diags)
}

/// An error when a folder on the file's path has a name that gives no slug (`——`): such a
/// folder has no URL.
fn folder_slug_error(file: &SourceFile) -> Option<Diagnostic> {
    let folder = file
        .dir
        .split('/')
        .filter(|p| !p.is_empty())
        .find(|p| slugify(p).is_empty())?;
    Some(
        Diagnostic::error(
            Code::Field,
            &file.rel,
            format!("目录名 `{folder}` 无法生成网址（规范化后为空）"),
        )
        .hint("目录名请用字母、数字或汉字"),
    )
}

/// The URL path of a content folder: each component slugified. `news/要闻` → `/news/yao-wen/`.
pub fn url_path_of_dir(dir: &str) -> String {
    let mut path = String::from("/");
    for part in dir.split('/').filter(|p| !p.is_empty()) {
        let s = slugify(part);
        path.push_str(if s.is_empty() { "_" } else { &s });
        path.push('/');
    }
    path
}

/// Pages of a section whose `_index.md` has errors would be judged by the wrong kind: the
/// section's error is the one reported. That is when a broken section's folder lies between the
/// page's folder `dir` and the folder of the section that owns it, `owner`.
fn in_broken_section(broken_dirs: &[String], dir: &str, owner: &str) -> bool {
    broken_dirs.iter().any(|d| {
        let under = dir == d || d.is_empty() || dir.starts_with(&format!("{d}/"));
        under && (d.len() > owner.len() || (d.is_empty() && dir.is_empty()))
    })
}

/// Sections that take their kind from a parent (no `kind` of their own) while a section whose
/// `_index.md` has errors stands between them and the parent they got it from: a 专题's 栏目
/// when the 专题 lacks its banner. Their pages would be judged by the wrong kind (a news
/// page's `source` reported as unknown); the broken section's error is the one reported.
fn kind_from_broken(sections: &[Section], broken_dirs: &[String]) -> BTreeSet<SectionId> {
    let mut misjudged = BTreeSet::new();
    // Parents come first, so a parent's verdict is known before its children's.
    for (i, s) in SectionId::enumerate(sections) {
        let Some(parent) = s.parent.filter(|_| s.meta.kind.is_none()) else {
            continue;
        };
        let above = &sections[parent].dir;
        let skipped = broken_dirs
            .iter()
            .any(|d| s.dir.starts_with(&format!("{d}/")) && d.len() > above.len());
        if skipped || misjudged.contains(&parent) {
            misjudged.insert(i);
        }
    }
    misjudged
}

/// Builds the sections from their `_index.md` files. Returns them, parents first, and the folders
/// of those whose `_index.md` has errors.
fn build_sections(
    index_files: Vec<&SourceFile>,
    offset: FixedOffset,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<Section>, Vec<String>) {
    let mut sections: Vec<Section> = Vec::new();
    let mut broken_dirs = Vec::new();
    let mut has_root = false;
    for file in index_files {
        let mut r = Reader::new(&file.rel, offset);
        let Some((fields, body, body_line)) = parse_file(file, &mut r) else {
            diags.append(&mut r.diags);
            broken_dirs.push(file.dir.clone());
            continue;
        };
        let meta = read_section(&fields, &mut r);
        r.diags.extend(folder_slug_error(file));
        let broken = !r.diags.is_empty();
        diags.append(&mut r.diags);
        if broken {
            broken_dirs.push(file.dir.clone());
            continue;
        }
        if meta.draft {
            continue;
        }
        has_root |= file.dir.is_empty();
        let head_len = file.text.len() - body.len();
        sections.push(Section {
            path: url_path_of_dir(&file.dir),
            dir: file.dir.clone(),
            rel: file.rel.clone(),
            kind: meta.kind.unwrap_or(SectionKind::Plain),
            meta,
            parent: None,
            children: Vec::new(),
            pages: Vec::new(),
            body: mended_body(file, head_len, body, diags),
            body_line,
            head: file.text[..head_len].to_string(),
        });
    }
    if !has_root {
        sections.push(Section {
            dir: String::new(),
            rel: String::new(),
            meta: SectionMeta::default(),
            kind: SectionKind::Plain,
            path: "/".into(),
            parent: None,
            children: Vec::new(),
            pages: Vec::new(),
            body: String::new(),
            body_line: 1,
            head: String::new(),
        });
    }
    // Parents before children: sort by depth, then path.
    sections.sort_by(|a, b| {
        let depth = |s: &Section| s.dir.split('/').filter(|p| !p.is_empty()).count();
        depth(a).cmp(&depth(b)).then_with(|| a.dir.cmp(&b.dir))
    });
    let dir_index: BTreeMap<String, SectionId> = SectionId::enumerate(&sections)
        .map(|(i, s)| (s.dir.clone(), i))
        .collect();
    for i in SectionId::all(sections.len()).skip(1) {
        let parent = owning_section(parent_dir(&sections[i].dir), &dir_index);
        sections[i].parent = Some(parent);
        if sections[i].meta.kind.is_none() {
            // A 专题's 栏目 are news lists; other subsections take their parent's kind.
            sections[i].kind = match sections[parent].kind {
                SectionKind::Topic => SectionKind::News,
                kind => kind,
            };
        }
        sections[parent].children.push(i);
    }
    (sections, broken_dirs)
}

fn parent_dir(dir: &str) -> &str {
    dir.rsplit_once('/').map_or("", |(p, _)| p)
}

/// The nearest section folder at or above `dir`.
fn owning_section(dir: &str, section_of_dir: &BTreeMap<String, SectionId>) -> SectionId {
    let mut d = dir;
    loop {
        if let Some(&i) = section_of_dir.get(d) {
            return i;
        }
        if d.is_empty() {
            return SectionId::HOME;
        }
        d = parent_dir(d);
    }
}

/// Splits and parses a file's front matter; a syntax error becomes a diagnostic.
fn parse_file<'f>(file: &'f SourceFile, r: &mut Reader) -> Option<(Vec<Field>, &'f str, usize)> {
    let split = match front_matter::split(&file.text) {
        Ok(s) => s,
        Err(e) => {
            r.diags
                .push(Diagnostic::error(Code::FrontMatter, &file.rel, e.message).at_pos(e.pos));
            return None;
        }
    };
    match front_matter::parse(&split) {
        Ok(fields) => Some((fields, split.body, split.body_line)),
        Err(e) => {
            let hint = e
                .hint
                .unwrap_or_else(|| "检查引号、括号是否成对，字符串是否用英文引号括起".into());
            r.diags.push(
                Diagnostic::error(Code::FrontMatter, &file.rel, e.message)
                    .at_pos(e.pos)
                    .hint(hint),
            );
            None
        }
    }
}

/// What a page file turned into.
pub enum Built {
    Page(Box<Page>),
    Unpublished(Unpublished),
    /// Its diagnostics say why.
    Broken(Broken),
}

/// A page file that could not be read, kept so that what follows from its absence (an empty
/// 栏目, a member named in news but not found) is not reported again: one mistake, one error.
#[derive(Debug, Clone)]
pub struct Broken {
    pub rel: String,
    pub section: SectionId,
    /// Its title, when the front matter could be read that far.
    pub title: Option<String>,
}

impl Broken {
    fn built(file: &SourceFile, section: SectionId, title: Option<String>) -> Built {
        Built::Broken(Broken {
            rel: file.rel.clone(),
            section,
            title,
        })
    }
}

/// Builds a page; a draft or future page comes back as [`Built::Unpublished`].
fn build_page(
    file: &SourceFile,
    section: SectionId,
    kind: SectionKind,
    config: &Config,
    vis: Visibility,
    diags: &mut Vec<Diagnostic>,
) -> Built {
    let offset = config.offset();
    let mut r = Reader::new(&file.rel, offset);
    let Some((fields, body, body_line)) = parse_file(file, &mut r) else {
        diags.append(&mut r.diags);
        return Broken::built(file, section, None);
    };
    let mut meta = read_page(&fields, kind, config, &mut r);
    in_offset(&mut meta, offset);
    let (file_date, stem_rest) = match split_date_prefix(&file.stem) {
        Some((d, rest)) => (start_of_day(d, offset), rest),
        None => (None, file.stem.as_str()),
    };
    let date = meta.date.as_deref().copied().or(file_date);
    // A `date` written but unreadable has its own error, at its line.
    let date_written = fields.iter().any(|f| f.key == "date");
    if date.is_none() && !date_written {
        r.diags.extend(missing_date(kind, &file.rel));
    }
    let slug = page_slug(&meta, file, stem_rest).unwrap_or_else(|d| {
        r.diags.push(d);
        String::new()
    });
    r.diags.extend(folder_slug_error(file));
    let failed = !r.diags.is_empty();
    diags.append(&mut r.diags);
    if failed {
        return Broken::built(
            file,
            section,
            Some(meta.title.value.clone()).filter(|t| !t.is_empty()),
        );
    }
    let dir_path = url_path_of_dir(&file.dir);
    let path = format!("{dir_path}{slug}/");
    let future = date.is_some_and(|d| d.date_naive() > vis.today);
    // A 提案 not agreed to be made public is left out whatever the flags say.
    let private = meta.kind.proposal().is_some_and(|p| !p.is_public());
    if (meta.draft && !vis.drafts) || (future && !vis.future) || private {
        return Built::Unpublished(Unpublished::of(file, path, &meta, kind, date));
    }
    let listed = meta.expires.is_none_or(|e| e.date_naive() > vis.today);
    let searchable = listed && !meta.draft && !future;
    let head_len = file.text.len() - body.len();
    let body = Body::new(mended_body(file, head_len, body, diags));
    Built::Page(Box::new(Page {
        path,
        head: file.text[..head_len].to_string(),
        rel: file.rel.clone(),
        section,
        kind,
        slug,
        date,
        listed,
        searchable,
        meta,
        body,
        body_line,
    }))
}

/// The body of a page or a section with the Markdown slips of a Chinese input method mended (see
/// [`crate::lookalike::fix_markdown`]), each reported as a `punctuation` warning at its place,
/// and what pasting from Word leaves cleaned ([`crate::paste::clean`]).
fn mended_body(
    file: &SourceFile,
    head_len: usize,
    body: &str,
    diags: &mut Vec<Diagnostic>,
) -> String {
    let (mended, slips) = crate::lookalike::fix_markdown(body);
    diags.extend(slips.iter().map(|slip| {
        let pos = crate::error::Pos::of_offset(&file.text, head_len + slip.offset);
        Diagnostic::warning(Code::Punctuation, &file.rel, slip.message).at_pos(pos)
    }));
    crate::paste::clean(&mended).into_owned()
}

/// A body as the site renders it, its slips mended and pasted leftovers cleaned, for the
/// editor's preview (the same steps as [`mended_body`], without reporting).
pub fn body_as_rendered(body: &str) -> String {
    let (mended, _) = crate::lookalike::fix_markdown(body);
    crate::paste::clean(&mended).into_owned()
}

/// Puts the page's dates in the configured offset, whatever offset they were written in: every
/// date is shown and compared in it.
fn in_offset(meta: &mut PageMeta, offset: FixedOffset) {
    let local = |d: DateTime<FixedOffset>| d.with_timezone(&offset);
    if let Some(d) = &mut meta.date {
        d.value = local(d.value);
    }
    for d in [&mut meta.updated, &mut meta.expires] {
        *d = d.map(local);
    }
}

/// The error for a page of `kind` that has no date, in front matter or file name, when its kind
/// requires one (news, 文史, 提案).
fn missing_date(kind: SectionKind, rel: &str) -> Option<Diagnostic> {
    let message = match kind {
        SectionKind::News | SectionKind::Topic => "新闻页面缺少日期",
        SectionKind::Wenshi => "文史页面缺少必填字段 `date`",
        SectionKind::Proposals => "提案页面缺少必填字段 `date`（立案日期）",
        SectionKind::Members | SectionKind::Plain => return None,
    };
    Some(
        Diagnostic::error(Code::Field, rel, message)
            .at(1, 1)
            .hint("在 front matter 中写 date = 2024-03-01，或把文件命名为 2024-03-01-标题.md"),
    )
}

/// The page's slug: its `slug` field checked, else the file stem (without its date) slugified;
/// an error at the field, or for the file, when neither gives a usable one.
fn page_slug(meta: &PageMeta, file: &SourceFile, stem_rest: &str) -> Result<String, Diagnostic> {
    let error = |message: String| {
        Diagnostic::error(Code::Field, &file.rel, message)
            .hint("用 slug 字段指定一个由字母、数字组成的网址名")
    };
    match &meta.slug {
        Some(raw) => check_explicit_slug(raw).map_err(|m| error(m).at_pos(raw.pos)),
        None => {
            let slug = slugify(stem_rest);
            if slug.is_empty() {
                Err(error(format!(
                    "文件名 `{}` 无法生成网址（规范化后为空）",
                    file.stem
                )))
            } else {
                Ok(slug)
            }
        }
    }
}

/// Fills each section's page list (its own and its subsections', listed only) and orders children.
fn order_sections(sections: &mut [Section], pages: &[Page]) {
    for (i, page) in PageId::enumerate(pages) {
        if !page.listed {
            continue;
        }
        let mut s = Some(page.section);
        while let Some(si) = s {
            sections[si].pages.push(i);
            s = sections[si].parent;
        }
    }
    let keys: Vec<(i64, String)> = sections
        .iter()
        .map(|s| {
            (
                s.meta.weight.unwrap_or(i64::MAX),
                s.meta.title.value.clone(),
            )
        })
        .collect();
    sections.par_iter_mut().for_each(|s| {
        s.children
            .sort_by(|&a, &b| keys[a.index()].cmp(&keys[b.index()]));
        let sort_by = s.meta.sort_by.unwrap_or_else(|| s.kind.default_sort());
        // Reading keys are costly: compute each once, not once per comparison.
        if sort_by == SortBy::Pinyin {
            s.pages
                .sort_by_cached_key(|&p| (slugify(&pages[p].meta.title), pages[p].path.clone()));
        } else if sort_by == SortBy::Proposal {
            s.pages
                .sort_by_cached_key(|&p| proposals::sort_key(&pages[p]));
        } else if sort_by == SortBy::Strokes {
            s.pages.sort_by_cached_key(|&p| {
                (
                    strokes::stroke_key(&pages[p].meta.title),
                    pages[p].path.clone(),
                )
            });
        } else {
            s.pages
                .sort_by(|&a, &b| compare(&pages[a], &pages[b], sort_by));
        }
    });
}

pub(crate) fn newest_first(a: &Page, b: &Page) -> Ordering {
    b.date.cmp(&a.date).then_with(|| a.path.cmp(&b.path))
}

/// Orders two pages of one list. News puts pinned pages first; ties fall back to the URL.
pub fn compare(a: &Page, b: &Page, sort_by: SortBy) -> Ordering {
    let by = match sort_by {
        SortBy::Date => b
            .meta
            .kind
            .pinned()
            .cmp(&a.meta.kind.pinned())
            .then_with(|| b.date.cmp(&a.date)),
        SortBy::Weight => a
            .meta
            .weight
            .unwrap_or(i64::MAX)
            .cmp(&b.meta.weight.unwrap_or(i64::MAX))
            .then_with(|| a.date.cmp(&b.date)),
        SortBy::Title => a.meta.title.cmp(&b.meta.title),
        SortBy::Pinyin => slugify(&a.meta.title).cmp(&slugify(&b.meta.title)),
        SortBy::Strokes => {
            strokes::stroke_key(&a.meta.title).cmp(&strokes::stroke_key(&b.meta.title))
        }
        SortBy::Proposal => proposals::sort_key(a).cmp(&proposals::sort_key(b)),
    };
    by.then_with(|| a.path.cmp(&b.path))
}

/// Where `term` is written in `page`'s front matter: at its quoted form (`""`, `"？？"`) from the
/// `taxonomies` key's line on, else at that key.
fn written_term_pos(page: &Page, term: &str) -> crate::error::Pos {
    let Some(table) = &page.meta.taxonomies else {
        return crate::error::Pos::default();
    };
    let from = (page.head.match_indices('\n'))
        .nth(table.pos.line.saturating_sub(2))
        .map_or(0, |(at, _)| at + 1);
    let quoted = [format!("\"{term}\""), format!("'{term}'")];
    quoted
        .iter()
        .filter_map(|q| page.head[from..].find(q.as_str()))
        .min()
        .map_or(table.pos, |at| {
            crate::error::Pos::of_offset(&page.head, from + at)
        })
}

fn build_taxonomies(config: &Config, pages: &[Page], diags: &mut Vec<Diagnostic>) -> Vec<Taxonomy> {
    let mut out = Vec::new();
    for (name, tconf) in &config.taxonomies {
        let tax_path = url_path_of_dir(name);
        let mut terms: BTreeMap<String, Term> = BTreeMap::new();
        // Many pages share few terms: slugify each name once.
        let mut slugs: std::collections::HashMap<&str, String> = std::collections::HashMap::new();
        for (i, page) in PageId::enumerate(pages) {
            let Some(names) = page.meta.terms(name) else {
                continue;
            };
            for term in names {
                let slug = slugs
                    .entry(term.as_str())
                    .or_insert_with(|| slugify(term))
                    .clone();
                if slug.is_empty() {
                    diags.push(
                        Diagnostic::error(
                            Code::Field,
                            &page.rel,
                            format!("分类词 `{term}` 无法生成网址"),
                        )
                        .at_pos(written_term_pos(page, term))
                        .hint("分类词里要有汉字、字母或数字；空的一项请删去"),
                    );
                    continue;
                }
                let entry = terms.entry(slug.clone()).or_insert_with(|| Term {
                    name: term.clone(),
                    path: format!("{tax_path}{slug}/"),
                    slug,
                    pages: Vec::new(),
                });
                if page.listed && entry.pages.last() != Some(&i) {
                    entry.pages.push(i);
                }
            }
        }
        // One visibility rule: a term whose pages are all unlisted (expired) has no page, no
        // count and no sitemap entry; a taxonomy without terms writes nothing.
        let mut terms: Vec<Term> = terms
            .into_values()
            .filter(|t| !t.pages.is_empty())
            .collect();
        if terms.is_empty() {
            continue;
        }
        for t in &mut terms {
            t.pages.sort_by(|&a, &b| newest_first(&pages[a], &pages[b]));
        }
        out.push(Taxonomy {
            name: name.clone(),
            config: tconf.clone(),
            path: tax_path,
            terms,
        });
    }
    out
}
