//! Incremental rebuilds for `serve`. The engine keeps what a build computed — the files read,
//! the resolved site, summaries, the fingerprint of every output and the outputs themselves —
//! and after a change redoes only what the change reaches:
//!
//! - a page whose front matter is unchanged is re-parsed alone and put in place; one whose front
//!   matter changed also has section lists, taxonomies and members recomputed (no file read);
//! - new, deleted or renamed pages, `_index.md` edits, assets and folders resolve the site again
//!   from the files in memory, re-reading only the changed ones;
//! - templates are reloaded when one changes; `config.toml` starts everything over.
//!
//! Then every job's fingerprint ([`crate::render::fingerprint`]) is compared with the last one
//! and only changed jobs are rendered. The search index is patched for pages edited in place
//! (their shards and page chunk), and built anew when the set or order of pages changes.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::build::{BuildOptions, CopyFrom, duplicate_outputs, planned_copies, render_all, sorted};
use crate::config::{BaseUrl, Config};
use crate::console::errln;
use crate::content::load::{Asset, SourceFile, load_under};
use crate::content::{self, Built, Site, Visibility};
use crate::error::{Diagnostic, Error, Result};
use crate::markdown::MarkdownOptions;
use crate::output::{MemorySink, Sink};
use crate::render::fingerprint::{self, Fingerprints};
use crate::render::templates::{self, Templates};
use crate::render::{Job, RenderContext, Summaries, search_document, search_order, set_globals};
use crate::search::{self, IndexStats};

/// With `TONGXIN_TRACE` set, prints the time since `start` at each stage of an update.
fn trace(start: std::time::Instant, stage: &str) {
    if std::env::var_os("TONGXIN_TRACE").is_some() {
        errln!(
            "[trace] {:>5.1} ms  {stage}",
            start.elapsed().as_secs_f64() * 1000.0
        );
    }
}

/// Served files by site-relative path.
pub type Files = HashMap<String, Arc<[u8]>>;

/// What an update changed in the served files: new bytes, or `None` for a removed file.
pub type FileChanges = Vec<(String, Option<Arc<[u8]>>)>;

/// Applies changes to a set of files.
pub fn apply_changes(files: &mut Files, changes: &[(String, Option<Arc<[u8]>>)]) {
    for (path, bytes) in changes {
        match bytes {
            Some(b) => files.insert(path.clone(), b.clone()),
            None => files.remove(path),
        };
    }
}

/// What an update did.
#[derive(Debug, Default)]
pub struct Report {
    pub changes: FileChanges,
    /// Output paths rendered again (pages, lists, feeds …; not copies or search files).
    pub rendered: Vec<String>,
    pub warnings: Vec<Diagnostic>,
    /// How the update went: `full`, `resolve`, `patch` or `none`.
    pub kind: &'static str,
    /// The search index still has to be built anew ([`Engine::finish_search`]).
    pub search_pending: bool,
}

/// A page's cached summary: valid while its key (own inputs and section) is unchanged.
struct CachedSummary {
    key: u64,
    html: String,
    view: tera::Value,
    fingerprint: u64,
}

/// A searchable page as last indexed, owned.
#[derive(PartialEq, Eq, Clone)]
struct IndexedDoc {
    title: String,
    url: String,
    date: String,
    section: String,
    description: Option<String>,
    body: Arc<str>,
}

impl IndexedDoc {
    fn as_document(&self) -> search::Document<'_> {
        search::Document {
            title: &self.title,
            url: self.url.as_str().into(),
            date: self.date.as_str().into(),
            section: &self.section,
            description: self.description.as_deref(),
            body: &self.body,
        }
    }
}

/// Everything kept between rebuilds.
pub struct Engine {
    opts: BuildOptions,
    config: Config,
    base: BaseUrl,
    templates: Templates,
    template_fps: BTreeMap<String, u64>,
    /// Markdown files under `content/`, by site-relative path.
    sources: BTreeMap<String, SourceFile>,
    assets: BTreeMap<String, Asset>,
    /// Encoding warnings of the files read, by path.
    read_warnings: BTreeMap<String, Diagnostic>,
    site: Site,
    summaries: Summaries,
    summary_fps: Vec<u64>,
    source_fps: Vec<u64>,
    summary_cache: HashMap<String, CachedSummary>,
    /// Each page's text as its last render left it (search), by path.
    texts: HashMap<String, Arc<str>>,
    index: Option<(IndexStats, Vec<IndexedDoc>)>,
    /// The pages indexed, in id order.
    index_order: Vec<usize>,
    /// Fingerprint of every rendered output and of every copied file, by output path.
    output_fps: HashMap<String, u64>,
    search_files: BTreeSet<String>,
    files: Files,
    /// Set when an update failed after changing the site: the next one resolves it anew.
    resolve_next: bool,
    /// Set when an update failed: the next one reloads the templates.
    templates_stale: bool,
    /// Leave a search index that must be built anew to [`Engine::finish_search`].
    defer_search: bool,
    /// The search index is stale until `finish_search` runs.
    search_pending: bool,
}

/// Where a changed path belongs.
#[derive(Debug, PartialEq, Eq)]
enum Area {
    Config,
    Content(PathBuf),
    Static,
    Templates,
    Other,
}

impl Engine {
    /// A full build into memory.
    pub fn new(opts: &BuildOptions) -> Result<(Engine, Vec<Diagnostic>)> {
        let mut config = Config::load(&opts.root)?;
        if let Some(url) = &opts.base_url {
            config.base_url = url.clone();
        }
        let base = BaseUrl::parse(&config.base_url)
            .map_err(|m| Error::one(Diagnostic::error("config", "--base-url", m)))?;
        let templates = templates::load(&opts.root, &config)?;
        let loaded = content::load::load(&opts.root)?;
        let mut engine = Engine {
            opts: opts.clone(),
            template_fps: templates.fingerprints(),
            templates,
            config,
            base,
            sources: BTreeMap::new(),
            assets: BTreeMap::new(),
            read_warnings: BTreeMap::new(),
            site: empty_site(),
            summaries: Summaries::default(),
            summary_fps: Vec::new(),
            source_fps: Vec::new(),
            summary_cache: HashMap::new(),
            texts: HashMap::new(),
            index: None,
            index_order: Vec::new(),
            output_fps: HashMap::new(),
            search_files: BTreeSet::new(),
            files: Files::new(),
            resolve_next: false,
            templates_stale: false,
            defer_search: false,
            search_pending: false,
        };
        engine.take_loaded(loaded)?;
        let warnings = engine.resolve()?;
        let report = engine.refresh(Scope::All { new_paths: true }, warnings)?;
        Ok((engine, report.warnings))
    }

    /// The files being served.
    pub fn files(&self) -> &Files {
        &self.files
    }

    fn vis(&self) -> Visibility {
        Visibility {
            today: self.opts.today,
            drafts: self.opts.drafts,
            future: self.opts.future,
        }
    }

    fn area(&self, path: &Path) -> Area {
        let Ok(rel) = path.strip_prefix(&self.opts.root) else {
            return Area::Other;
        };
        let mut parts = rel.components();
        let first = parts
            .next()
            .map(|c| c.as_os_str().to_string_lossy().into_owned());
        let hidden = rel
            .components()
            .any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
        match first.as_deref() {
            Some("config.toml") if parts.next().is_none() => Area::Config,
            _ if hidden => Area::Other,
            Some("content") => Area::Content(path.to_path_buf()),
            Some("static") => Area::Static,
            Some("templates" | "themes") => Area::Templates,
            _ => Area::Other,
        }
    }

    /// Applies changes to the given paths (`rescan`: the watcher lost track, start over).
    /// On error the served files stay as they were.
    pub fn update(&mut self, paths: &[PathBuf], rescan: bool) -> Result<Report> {
        let mut report = self.update_pages(paths, rescan)?;
        report.changes.extend(self.finish_search()?);
        Ok(report)
    }

    /// Like [`update`](Self::update), except that a search index that must be built anew
    /// (pages came, went or moved) is left to [`finish_search`](Self::finish_search), so the
    /// pages can be served first; `report.search_pending` says so.
    pub fn update_pages(&mut self, paths: &[PathBuf], rescan: bool) -> Result<Report> {
        self.defer_search = true;
        let result = self.apply(paths, rescan);
        self.defer_search = false;
        if result.is_err() {
            // Whatever failed (a file, a template, a render), the next update starts from all
            // files and templates as they are then, so it reports every error still there and
            // clears the overlay only when none is left.
            self.resolve_next = true;
            self.templates_stale = true;
        }
        let mut report = result?;
        report.search_pending = self.search_pending;
        Ok(report)
    }

    /// Builds the search index anew if an update left it stale; the changed files.
    pub fn finish_search(&mut self) -> Result<FileChanges> {
        if !self.search_pending || !self.config.search.enabled {
            return Ok(Vec::new());
        }
        let mut changes = Vec::new();
        self.refresh_search(&mut changes, None)?;
        self.take_changes(&mut changes);
        Ok(changes)
    }

    /// Keeps of `changes` what differs from the files held, and applies it to them.
    fn take_changes(&mut self, changes: &mut FileChanges) {
        changes.retain(|(path, bytes)| self.files.get(path) != bytes.as_ref());
        apply_changes(&mut self.files, changes);
    }

    fn apply(&mut self, paths: &[PathBuf], rescan: bool) -> Result<Report> {
        let started = std::time::Instant::now();
        let areas: Vec<Area> = paths.iter().map(|p| self.area(p)).collect();
        if rescan || areas.contains(&Area::Config) {
            return self.restart();
        }
        let mut templates_changed = false;
        let mut static_changed = false;
        let mut structural = false;
        let mut edited: Vec<String> = Vec::new();
        for area in &areas {
            match area {
                Area::Templates => templates_changed = true,
                Area::Static => static_changed = true,
                Area::Content(path) => {
                    let (rel, change) = self.reread(path)?;
                    match change {
                        Reread::Unchanged => {}
                        Reread::Edited => edited.push(rel),
                        Reread::Structural => structural = true,
                    }
                }
                Area::Config | Area::Other => {}
            }
        }
        let nothing = !templates_changed && !static_changed && !structural && edited.is_empty();
        if nothing && !self.resolve_next && !self.templates_stale && !self.search_pending {
            // Saved without a change, or a file the site does not read.
            return Ok(Report {
                kind: "none",
                ..Report::default()
            });
        }
        if templates_changed || self.templates_stale {
            let loaded = templates::load(&self.opts.root, &self.config)?;
            self.template_fps = loaded.fingerprints();
            self.templates = loaded;
            self.templates_stale = false;
        }
        trace(started, "read");
        let mut warnings = Vec::new();
        let mut resolve = structural || self.resolve_next;
        // Pages edited in place (same URL, same section).
        let mut bodies_only = Vec::new();
        let mut heads_changed = false;
        if !resolve {
            for rel in &edited {
                match self.patch(rel)? {
                    Some((i, same_head, mut w)) => {
                        warnings.append(&mut w);
                        bodies_only.push(i);
                        heads_changed |= !same_head;
                    }
                    None => {
                        resolve = true;
                        break;
                    }
                }
            }
        }
        let (scope, kind) = if resolve {
            warnings = self.resolve()?;
            (Scope::All { new_paths: true }, "resolve")
        } else if static_changed || bodies_only.is_empty() {
            (
                Scope::All {
                    new_paths: static_changed,
                },
                "patch",
            )
        } else {
            let everything = heads_changed || templates_changed;
            (
                Scope::Pages {
                    pages: bodies_only,
                    everything,
                },
                "patch",
            )
        };
        trace(started, kind);
        let mut report = self.refresh(scope, warnings)?;
        report.kind = kind;
        Ok(report)
    }

    /// Starts over from the disk (config changed). Served files not produced any more go.
    fn restart(&mut self) -> Result<Report> {
        let (fresh, warnings) = Engine::new(&self.opts)?;
        let mut changes: FileChanges = Vec::new();
        for (path, bytes) in &fresh.files {
            if self.files.get(path) != Some(bytes) {
                changes.push((path.clone(), Some(bytes.clone())));
            }
        }
        for path in self.files.keys() {
            if !fresh.files.contains_key(path) {
                changes.push((path.clone(), None));
            }
        }
        *self = fresh;
        Ok(Report {
            changes,
            rendered: Vec::new(),
            warnings,
            kind: "full",
            search_pending: false,
        })
    }

    /// Takes files read from disk into `sources`, `assets` and `read_warnings`.
    fn take_loaded(&mut self, loaded: content::load::Loaded) -> Result<()> {
        let mut errors = Vec::new();
        for d in loaded.diags {
            if d.is_error() {
                errors.push(d);
            } else {
                self.read_warnings.insert(d.file.clone(), d);
            }
        }
        for f in loaded.files {
            self.sources.insert(f.rel.clone(), f);
        }
        for a in loaded.assets {
            self.assets.insert(a.rel.clone(), a);
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(Error::Site(errors))
        }
    }

    /// Re-reads a changed path under `content/`: a file, or a folder and all it holds.
    fn reread(&mut self, path: &Path) -> Result<(String, Reread)> {
        let rel = crate::fs::slash_path(path, &self.opts.root);
        let prefix = format!("{rel}/");
        let had_file = self.sources.contains_key(&rel);
        if path.is_file() && had_file && !rel.ends_with("/_index.md") {
            let loaded = load_under(&self.opts.root, path)?;
            let before = self.sources.get(&rel).map(|f| f.text.clone());
            self.read_warnings.remove(&rel);
            if let Err(e) = self.take_loaded(loaded) {
                self.resolve_next = true;
                return Err(e);
            }
            let change = match self.sources.get(&rel) {
                Some(f) if Some(&f.text) == before.as_ref() => Reread::Unchanged,
                Some(_) => Reread::Edited,
                None => Reread::Structural,
            };
            return Ok((rel, change));
        }
        // Anything else changes what exists: drop what was under the path and read it again.
        let under = |keys: &mut dyn Iterator<Item = &String>| {
            keys.next().is_some_and(|k| k.starts_with(&prefix))
        };
        let had_dir = under(&mut self.sources.range(prefix.clone()..).map(|(k, _)| k))
            || under(&mut self.assets.range(prefix.clone()..).map(|(k, _)| k))
            || self.assets.contains_key(&rel);
        self.sources
            .retain(|k, _| k != &rel && !k.starts_with(&prefix));
        self.assets
            .retain(|k, _| k != &rel && !k.starts_with(&prefix));
        self.read_warnings
            .retain(|k, _| k != &rel && !k.starts_with(&prefix));
        let loaded = load_under(&self.opts.root, path)?;
        let found = !loaded.files.is_empty() || !loaded.assets.is_empty();
        if let Err(e) = self.take_loaded(loaded) {
            self.resolve_next = true;
            return Err(e);
        }
        let change = if found || had_file || had_dir {
            Reread::Structural
        } else {
            Reread::Unchanged
        };
        Ok((rel, change))
    }

    /// Resolves the site from the files in memory. On error the site stays as it was.
    fn resolve(&mut self) -> Result<Vec<Diagnostic>> {
        let files: Vec<&SourceFile> = self.sources.values().collect();
        let assets: Vec<Asset> = self.assets.values().cloned().collect();
        // Pages whose file is as it was are taken over, not parsed again.
        let old = &self.site;
        let reuse = |file: &SourceFile, kind: content::SectionKind| {
            let i = old
                .pages
                .binary_search_by(|p| p.rel.as_str().cmp(&file.rel))
                .ok()?;
            let p = &old.pages[i];
            let same = p.kind == kind
                && p.head.len() + p.body.len() == file.text.len()
                && file.text.starts_with(&p.head)
                && file.text.ends_with(&p.body);
            same.then(|| p.clone())
        };
        let (site, resolve_diags) =
            content::resolve_reusing(files, assets, &self.config, self.vis(), &reuse);
        let mut diags: Vec<Diagnostic> = self.read_warnings.values().cloned().collect();
        diags.extend(resolve_diags);
        if diags.iter().any(Diagnostic::is_error) {
            self.resolve_next = true;
            return Err(Error::Site(sorted(diags)));
        }
        self.site = site;
        self.resolve_next = false;
        self.source_fps = self
            .site
            .pages
            .par_iter()
            .map(fingerprint::page_source)
            .collect();
        Ok(sorted(diags))
    }

    /// Puts an edited page in place. `None` when the edit changes more than the page itself
    /// (its URL, or whether it is published): then the site must be resolved anew.
    /// Returns the page's index, whether its front matter is as before, and its warnings.
    fn patch(&mut self, rel: &str) -> Result<Option<(usize, bool, Vec<Diagnostic>)>> {
        let Some(file) = self.sources.get(rel).cloned() else {
            return Ok(None);
        };
        let Ok(i) = self
            .site
            .pages
            .binary_search_by(|p| p.rel.as_str().cmp(rel))
        else {
            return Ok(None);
        };
        let (built, diags) = content::parse_page_in(&self.site, file, &self.config, self.vis());
        if diags.iter().any(Diagnostic::is_error) {
            // The site is unchanged, but the file now differs from it: resolve next time so
            // every error left in the files is reported until all are fixed.
            self.resolve_next = true;
            return Err(Error::Site(sorted(diags)));
        }
        let Built::Page(page) = built else {
            return Ok(None);
        };
        let old = &self.site.pages[i];
        if page.path != old.path || page.listed != old.listed || page.section != old.section {
            return Ok(None);
        }
        let same_head = page.head == old.head;
        self.site.pages[i] = *page;
        self.source_fps[i] = fingerprint::page_source(&self.site.pages[i]);
        let mut warnings: Vec<Diagnostic> = diags;
        warnings.extend(self.read_warnings.get(rel).cloned());
        if !same_head {
            let derived = content::rederive(&mut self.site, &self.config);
            if derived.iter().any(Diagnostic::is_error) {
                self.resolve_next = true;
                return Err(Error::Site(sorted(derived)));
            }
            warnings.extend(derived);
        }
        Ok(Some((i, same_head, warnings)))
    }

    /// Brings summaries, outputs, the search index and copies up to date with the site.
    fn refresh(&mut self, scope: Scope, mut warnings: Vec<Diagnostic>) -> Result<Report> {
        let t = std::time::Instant::now();
        // Pages edited below their front matter whose summaries stay as they were can change
        // nothing but their own output and their search entries.
        let (only, patched): (Option<Vec<usize>>, Option<Vec<usize>>) = match &scope {
            Scope::Pages { pages, everything } => {
                let views_changed = self.refresh_page_summaries(pages);
                let only = (!views_changed && !everything).then(|| pages.clone());
                (only, Some(pages.clone()))
            }
            Scope::All { .. } => {
                self.refresh_summaries();
                (None, None)
            }
        };
        trace(t, "summaries");
        if only.is_none() {
            set_globals(&mut self.templates, &self.site, &self.config, &self.base);
        }
        let md = MarkdownOptions {
            base_path: &self.base.path,
            unsafe_html: self.config.markdown.unsafe_html,
        };
        let ctx = RenderContext::new(
            &self.site,
            &self.config,
            &self.base,
            &self.templates,
            md,
            &self.summaries,
        );
        let jobs = match &only {
            Some(pages) => pages.iter().map(|&i| Job::Page(i)).collect(),
            None => ctx.jobs(),
        };
        let copies = match only {
            Some(_) => Vec::new(),
            None => planned_copies(&self.opts.root, &self.config, &self.site)?,
        };
        if matches!(scope, Scope::All { new_paths: true }) {
            let dups = duplicate_outputs(&ctx, &jobs, &copies);
            if !dups.is_empty() {
                self.resolve_next = true;
                return Err(Error::Site(dups));
            }
        }
        trace(t, "jobs");
        let parts = fingerprint::site_parts(&ctx, only.as_deref());
        let fps = Fingerprints {
            globals: parts.globals,
            templates: self.template_fps.clone(),
            sources: std::mem::take(&mut self.source_fps),
            views: std::mem::take(&mut self.summary_fps),
            sections: parts.sections,
            positions: parts.positions,
            terms: parts.terms,
        };
        let planned: Vec<(String, u64, &Job)> = jobs
            .par_iter()
            .map(|j| (ctx.output_path(j), ctx.fingerprint(j, &fps), j))
            .collect();
        self.source_fps = fps.sources;
        self.summary_fps = fps.views;
        trace(t, "fingerprints");
        let dirty: Vec<Job> = planned
            .iter()
            .filter(|(out, fp, _)| self.output_fps.get(out) != Some(fp))
            .map(|(_, _, j)| (*j).clone())
            .collect();
        let sink = MemorySink::with_bytes();
        let render_diags = render_all(&ctx, &dirty, &sink)?;
        if render_diags.iter().any(Diagnostic::is_error) {
            return Err(Error::Site(sorted(render_diags)));
        }
        warnings.extend(render_diags);
        trace(t, "rendered");
        // Texts of the pages just rendered, for search.
        for (p, text) in ctx.search_texts.iter().enumerate() {
            if let Some(t) = text.get() {
                self.texts
                    .insert(self.site.pages[p].rel.clone(), Arc::from(t.as_str()));
            }
        }
        drop(ctx);
        let mut changes: FileChanges = Vec::new();
        let mut rendered = Vec::new();
        for (path, bytes) in sink.into_files() {
            rendered.push(path.clone());
            changes.push((path, Some(Arc::from(bytes))));
        }
        let mut new_fps: HashMap<String, u64> = HashMap::with_capacity(planned.len());
        for (out, fp, _) in planned {
            new_fps.insert(out, fp);
        }
        if self.config.search.enabled {
            self.refresh_search(&mut changes, patched.as_deref())?;
        } else {
            self.index = None;
            self.search_files.clear();
        }
        trace(t, "search");
        for c in &copies {
            let fp = copy_fingerprint(c);
            if self.output_fps.get(&c.out) != Some(&fp) {
                let bytes = match &c.from {
                    CopyFrom::Disk(p) => {
                        std::fs::read(p).map_err(|e| Error::io(p, "无法读取文件", e))?
                    }
                    CopyFrom::Embedded(b) => b.to_vec(),
                };
                changes.push((c.out.clone(), Some(Arc::from(bytes))));
            }
            new_fps.insert(c.out.clone(), fp);
        }
        if only.is_none() {
            // Outputs no job or copy produces any more go.
            for path in self.files.keys() {
                let search_file =
                    path.starts_with("search/index/") && self.search_files.contains(path);
                if !new_fps.contains_key(path) && !search_file {
                    changes.push((path.clone(), None));
                }
            }
        }
        // Only what really differs from what is served.
        self.take_changes(&mut changes);
        if only.is_some() {
            self.output_fps.extend(new_fps);
        } else {
            self.output_fps = new_fps;
        }
        trace(t, "applied");
        Ok(Report {
            changes,
            rendered,
            warnings: sorted(warnings),
            kind: "full",
            search_pending: false,
        })
    }

    /// Updates the search index: in place for pages edited at the same place in the index,
    /// anew when pages came, went or moved. `patched`: pages edited in place, the only ones
    /// whose entries can have changed if the index order is as before.
    fn refresh_search(
        &mut self,
        changes: &mut FileChanges,
        patched: Option<&[usize]>,
    ) -> Result<()> {
        let site = &self.site;
        let order = search_order(site);
        let doc = |p: usize| {
            let d = search_document(site, &self.base, p, "");
            IndexedDoc {
                title: d.title.to_string(),
                url: d.url.into_owned(),
                date: d.date.into_owned(),
                section: d.section.to_string(),
                description: d.description.map(str::to_string),
                body: self
                    .texts
                    .get(&site.pages[p].rel)
                    .cloned()
                    .unwrap_or_else(|| Arc::from("")),
            }
        };
        if self.defer_search && order.len() != self.index_order.len() {
            // Pages came or went: the index must be built anew, later.
            self.index = None;
            self.search_pending = true;
            return Ok(());
        }
        let sink = MemorySink::with_bytes();
        let write = |path: &str, bytes: &[u8]| sink.write(path, bytes);
        let mut stats = None;
        let same_order = order == self.index_order;
        let mut docs: Vec<IndexedDoc> = match (patched, self.index.take()) {
            (Some(pages), Some((old_stats, mut docs))) if same_order => {
                let mut edited: Vec<(u32, IndexedDoc)> = Vec::new();
                for (id, &p) in order.iter().enumerate() {
                    if pages.contains(&p) {
                        let new = doc(p);
                        if new != docs[id] {
                            edited.push((id as u32, std::mem::replace(&mut docs[id], new)));
                        }
                    }
                }
                stats = self.patch_index(old_stats, &docs, &edited, &write)?;
                docs
            }
            (_, Some((old_stats, old_docs))) => {
                let docs: Vec<IndexedDoc> = order.par_iter().map(|&p| doc(p)).collect();
                if old_docs.len() == docs.len()
                    && old_docs.iter().zip(&docs).all(|(a, b)| a.url == b.url)
                {
                    let edited: Vec<(u32, IndexedDoc)> = old_docs
                        .into_iter()
                        .zip(&docs)
                        .enumerate()
                        .filter(|(_, (old, new))| old != *new)
                        .map(|(id, (old, _))| (id as u32, old))
                        .collect();
                    stats = self.patch_index(old_stats, &docs, &edited, &write)?;
                }
                docs
            }
            _ => order.par_iter().map(|&p| doc(p)).collect(),
        };
        let full = stats.is_none();
        if full && self.defer_search {
            // Left stale (`index` stays empty): `finish_search` builds it.
            self.search_pending = true;
            return Ok(());
        }
        let stats = match stats {
            Some(s) => s,
            None => {
                let views: Vec<search::Document> =
                    docs.iter().map(IndexedDoc::as_document).collect();
                search::build(&views, &write)?
            }
        };
        let written = sink.into_files();
        if full {
            // Files of the old index that the new one does not have go.
            for old in &self.search_files {
                if !written.contains_key(old) {
                    changes.push((old.clone(), None));
                }
            }
            self.search_files = written.keys().cloned().collect();
            self.search_pending = false;
        }
        changes.extend(
            written
                .into_iter()
                .map(|(path, bytes)| (path, Some(Arc::from(bytes)))),
        );
        docs.shrink_to_fit();
        self.index = Some((stats, docs));
        self.index_order = order;
        Ok(())
    }

    /// Patches the index for `edited` documents (id, as indexed before); `None` when it must
    /// be built anew.
    fn patch_index(
        &self,
        stats: IndexStats,
        docs: &[IndexedDoc],
        edited: &[(u32, IndexedDoc)],
        write: &search::WriteFile<'_, Error>,
    ) -> Result<Option<IndexStats>> {
        if edited.is_empty() {
            return Ok(Some(stats));
        }
        let views: Vec<search::Document> = docs.iter().map(IndexedDoc::as_document).collect();
        let before: Vec<(u32, search::Document)> = edited
            .iter()
            .map(|(id, d)| (*id, d.as_document()))
            .collect();
        let read = |path: &str| self.files.get(path).cloned();
        search::update(stats, &views, &before, &read, write)
    }

    /// Recomputes the summaries of `pages`, edited in place; true when one of them changed.
    fn refresh_page_summaries(&mut self, pages: &[usize]) -> bool {
        let md = MarkdownOptions {
            base_path: &self.base.path,
            unsafe_html: self.config.markdown.unsafe_html,
        };
        let mut changed = false;
        for &p in pages {
            let key = summary_key(&self.site, p, self.source_fps[p]);
            let (html, view, fingerprint) = Summaries::one_hashed(&self.site, p, &self.base, md);
            changed |= fingerprint != self.summary_fps[p];
            self.summaries.html[p] = html.clone();
            self.summaries.views[p] = view.clone();
            self.summary_fps[p] = fingerprint;
            self.summary_cache.insert(
                self.site.pages[p].rel.clone(),
                CachedSummary {
                    key,
                    html,
                    view,
                    fingerprint,
                },
            );
        }
        changed
    }

    /// Recomputes the summaries of pages whose own inputs or section changed.
    fn refresh_summaries(&mut self) {
        let site = &self.site;
        let base = &self.base;
        let md = MarkdownOptions {
            base_path: &base.path,
            unsafe_html: self.config.markdown.unsafe_html,
        };
        let keys: Vec<u64> = site
            .pages
            .par_iter()
            .zip(&self.source_fps)
            .enumerate()
            .map(|(p, (_, &src))| summary_key(site, p, src))
            .collect();
        let cache = &self.summary_cache;
        let fresh: Vec<Option<CachedSummary>> = (0..site.pages.len())
            .into_par_iter()
            .map(|p| {
                let rel = &site.pages[p].rel;
                if cache.get(rel).is_some_and(|c| c.key == keys[p]) {
                    return None;
                }
                let (html, view, fingerprint) = Summaries::one_hashed(site, p, base, md);
                Some(CachedSummary {
                    key: keys[p],
                    html,
                    view,
                    fingerprint,
                })
            })
            .collect();
        for (p, c) in fresh.into_iter().enumerate() {
            if let Some(c) = c {
                self.summary_cache.insert(site.pages[p].rel.clone(), c);
            }
        }
        let live: BTreeSet<&str> = site.pages.iter().map(|p| p.rel.as_str()).collect();
        self.summary_cache
            .retain(|rel, _| live.contains(rel.as_str()));
        self.texts.retain(|rel, _| live.contains(rel.as_str()));
        let mut summaries = Summaries::default();
        let mut fps = Vec::with_capacity(site.pages.len());
        for page in &site.pages {
            let c = &self.summary_cache[&page.rel];
            summaries.html.push(c.html.clone());
            summaries.views.push(c.view.clone());
            fps.push(c.fingerprint);
        }
        self.summaries = summaries;
        self.summary_fps = fps;
    }
}

/// What a summary is made from: the page's own inputs and its section's title and URL.
fn summary_key(site: &Site, p: usize, source_fp: u64) -> u64 {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let s = &site.sections[site.pages[p].section];
    let mut h = DefaultHasher::new();
    (source_fp, &s.meta.title, &s.path).hash(&mut h);
    h.finish()
}

/// What a refresh looks at.
enum Scope {
    /// Every output; `new_paths`: the set of outputs may have changed (check for duplicates).
    All { new_paths: bool },
    /// Pages edited in place, by index (URLs and sections as they were). Unless `everything`
    /// (front matter or templates changed), only their own outputs can have changed.
    Pages { pages: Vec<usize>, everything: bool },
}

/// What re-reading a path found.
enum Reread {
    Unchanged,
    /// An existing page file with new text.
    Edited,
    /// Files appeared, went, or a section, asset or folder changed.
    Structural,
}

/// A copied file's fingerprint: where from, and its size and time for files on disk.
fn copy_fingerprint(c: &crate::build::Copy) -> u64 {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let mut h = DefaultHasher::new();
    (&c.out, &c.source).hash(&mut h);
    match &c.from {
        CopyFrom::Disk(p) => {
            p.hash(&mut h);
            if let Ok(m) = std::fs::metadata(p) {
                (m.len(), m.modified().ok()).hash(&mut h);
            }
        }
        CopyFrom::Embedded(b) => (b.as_ptr() as usize, b.len()).hash(&mut h),
    }
    h.finish()
}

fn empty_site() -> Site {
    Site {
        broken: Vec::new(),
        sections: Vec::new(),
        pages: Vec::new(),
        taxonomies: Vec::new(),
        dated: Vec::new(),
        assets: Vec::new(),
        members: Default::default(),
        unpublished: Vec::new(),
    }
}
