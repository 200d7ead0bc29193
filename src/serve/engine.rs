//! Incremental rebuilds for `serve`: a cache in front of the build's own stages
//! ([`crate::build`]). The engine keeps what the stages made — the files read, the resolved
//! site, each page's summary, the fingerprint of every output and the outputs themselves — and
//! after a change runs the stages again, reusing what the change cannot have reached:
//!
//! - files: only changed paths are read again;
//! - site: a page whose URL and section stay is re-parsed alone and put in place (lists,
//!   taxonomies and members are derived again if its front matter changed); anything else
//!   resolves the site again from the files in memory, taking over unchanged pages;
//! - summaries: kept per page while the hash of their input is unchanged;
//! - outputs: every job's input is hashed ([`crate::render::Renderer::fingerprint`]) and only
//!   jobs whose fingerprint changed are rendered. After edits below the front matter (the
//!   commonest save), only the jobs whose last fingerprint read the old body or summary are
//!   looked at: each fingerprint notes the shared values it read ([`crate::reads`]);
//! - search: patched for pages edited in place, built anew when pages came, went or moved.
//!
//! Templates are reloaded when one changes; `config.toml` starts everything over.

use std::collections::{BTreeSet, HashMap};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::sources::{Reread, Sources};
use crate::build::{
    BuildEnv, BuildOptions, CopyFrom, Prepared, Rendering, duplicate_outputs, load_templates,
    render_jobs, sorted,
};
use crate::config::Config;
use crate::console::trace;
use crate::content::{self, Built, PageId, Site};
use crate::error::{Diagnostic, Error, Result};
use crate::images::{self, ImageTable, manifest::Previous};
use crate::output::{MemorySink, Sink};
use crate::render::plan::Plan;
use crate::render::views::{Summary, summary_input};
use crate::render::{Job, PageArtifacts, Wants, search_document, search_order};
use crate::search::{self, IndexStats};

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

/// How far an update had to go back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum UpdateKind {
    /// Nothing the site reads changed.
    #[default]
    None,
    /// Pages edited in place (and templates or static files).
    Patch,
    /// The site was resolved again from the files in memory.
    Resolve,
    /// Everything was read and built again (`config.toml` changed).
    Full,
}

impl std::fmt::Display for UpdateKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            UpdateKind::None => "none",
            UpdateKind::Patch => "patch",
            UpdateKind::Resolve => "resolve",
            UpdateKind::Full => "full",
        })
    }
}

/// What an update did.
#[derive(Debug, Default)]
pub struct Report {
    pub changes: FileChanges,
    /// Output paths rendered again (pages, lists, feeds …; not copies or search files).
    pub rendered: Vec<String>,
    pub warnings: Vec<Diagnostic>,
    pub kind: UpdateKind,
    /// The search index still has to be built anew ([`Engine::finish_search`]).
    pub search_pending: bool,
}

/// The search index as last written.
#[derive(Default)]
struct SearchState {
    /// Its statistics and documents, or `None` when it must be built anew.
    index: Option<(IndexStats, Vec<IndexedDoc>)>,
    /// The pages indexed, in id order.
    order: Vec<PageId>,
    /// Every file of the index.
    files: BTreeSet<String>,
    /// Each searchable page's text as its last render left it, by page file.
    texts: HashMap<String, Arc<str>>,
    /// The index is stale until [`Engine::finish_search`] runs.
    pending: bool,
}

/// Which outputs read which shared values (page bodies, summaries), as their fingerprints
/// noted it (see [`crate::reads`]): the jobs of the last full refresh, what each read, and
/// per value the jobs that read it.
#[derive(Default)]
struct Deps {
    jobs: Vec<Job>,
    reads: Vec<Vec<u64>>,
    readers: rustc_hash::FxHashMap<u64, Vec<u32>>,
}

impl Deps {
    fn new(jobs: Vec<Job>, reads: Vec<Vec<u64>>) -> Self {
        let mut deps = Deps {
            jobs,
            reads: Vec::new(),
            readers: Default::default(),
        };
        for (j, keys) in reads.iter().enumerate() {
            deps.add_readers(j, keys);
        }
        deps.reads = reads;
        deps
    }

    fn add_readers(&mut self, j: usize, keys: &[u64]) {
        for &k in keys {
            self.readers.entry(k).or_default().push(j as u32);
        }
    }

    /// Job `j` now reads `keys`.
    fn replace(&mut self, j: usize, keys: Vec<u64>) {
        for k in &self.reads[j] {
            if let Some(readers) = self.readers.get_mut(k) {
                readers.retain(|&r| r as usize != j);
            }
        }
        self.add_readers(j, &keys);
        self.reads[j] = keys;
    }

    /// The jobs that read any of `keys`, in job order.
    fn readers_of(&self, keys: &[u64]) -> Vec<usize> {
        let mut jobs: BTreeSet<usize> = BTreeSet::new();
        for k in keys {
            jobs.extend(
                self.readers
                    .get(k)
                    .into_iter()
                    .flatten()
                    .map(|&j| j as usize),
            );
        }
        jobs.into_iter().collect()
    }
}

/// A page put in place by [`Engine::patch`].
struct Patched {
    page: PageId,
    warnings: Vec<Diagnostic>,
    /// Its front matter is as before: only its body changed.
    same_head: bool,
    /// The hash of the body it had.
    old_body: u64,
}

/// Everything kept between rebuilds.
pub struct Engine {
    opts: BuildOptions,
    /// The stages' results up to rendering: config, settings, site, templates, summaries.
    prepared: Prepared,
    /// The files under `content/` as last read.
    sources: Sources,
    /// Per page file: the hash of its summary's input, and the summary.
    summary_cache: rustc_hash::FxHashMap<String, (u64, Arc<Summary>)>,
    /// Fingerprint of every rendered output and of every copied file, by output path.
    output_fps: HashMap<String, u64>,
    deps: Deps,
    search: SearchState,
    files: Files,
    /// Set when an update failed after changing the site: the next one resolves it anew.
    resolve_next: bool,
    /// Set when an update failed: the next one reloads the templates.
    templates_stale: bool,
    /// Leave a search index that must be built anew to [`Engine::finish_search`].
    defer_search: bool,
    /// The images of the last `build` (the output folder's manifest), taken over instead of
    /// processed again when their source is unchanged.
    previous_images: Option<Previous>,
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

/// A searchable page as last indexed, owned.
#[derive(Clone)]
struct IndexedDoc {
    title: String,
    url: String,
    date: String,
    section: String,
    description: Option<String>,
    body: Arc<str>,
    fields: String,
}

impl PartialEq for IndexedDoc {
    /// Texts of pages not rendered again are the same `Arc`: compared without reading them.
    fn eq(&self, other: &IndexedDoc) -> bool {
        (&self.title, &self.url, &self.date) == (&other.title, &other.url, &other.date)
            && (&self.section, &self.description) == (&other.section, &other.description)
            && self.fields == other.fields
            && (Arc::ptr_eq(&self.body, &other.body) || self.body == other.body)
    }
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
            fields: self.fields.as_str().into(),
        }
    }
}

/// What an update must redo, from what changed.
#[derive(Default)]
struct Changed {
    templates: bool,
    statics: bool,
    structural: bool,
    /// Page files with new text.
    edited: Vec<String>,
}

impl Changed {
    fn nothing(&self) -> bool {
        !self.templates && !self.statics && !self.structural && self.edited.is_empty()
    }
}

impl Engine {
    /// A full build into memory, reporting every error a build would.
    pub fn new(opts: &BuildOptions) -> Result<(Engine, Vec<Diagnostic>)> {
        let config = Config::load(&opts.root)?;
        let mut env = BuildEnv::new(opts, &config);
        let mut sources = Sources::default();
        let mut diags = sources.take(content::load::load(&opts.root)?);
        let (site, resolve_diags) = sources.resolve(&config, &env, &empty_site());
        diags.extend(resolve_diags);
        let redirects = crate::build::read_redirects(&opts.root, &mut diags)?;
        diags.extend(content::alias::unknown_pages(&site, &redirects));
        env.redirects = Arc::new(redirects);
        let templates = load_templates(&opts.root, &config, &mut diags)?;
        let previous_images = Previous::load(&opts.output_dir());
        if diags.iter().any(Diagnostic::is_error) {
            return Err(Error::Site(sorted(diags)));
        }
        let mut engine = Engine {
            opts: opts.clone(),
            prepared: Prepared {
                config,
                env,
                site,
                templates,
                summaries: Vec::new(),
            },
            sources,
            summary_cache: Default::default(),
            output_fps: HashMap::new(),
            deps: Deps::default(),
            search: SearchState::default(),
            files: Files::new(),
            resolve_next: false,
            templates_stale: false,
            defer_search: false,
            previous_images,
        };
        let report = engine.refresh(true, None, diags)?;
        Ok((engine, report.warnings))
    }

    /// The files being served.
    pub fn files(&self) -> &Files {
        &self.files
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
            // `redirects.csv` is read with the config: a change starts over.
            Some("config.toml" | content::alias::REDIRECTS_CSV) if parts.next().is_none() => {
                Area::Config
            }
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
        report.search_pending = self.search.pending;
        Ok(report)
    }

    /// Builds the search index anew if an update left it stale; the changed files.
    pub fn finish_search(&mut self) -> Result<FileChanges> {
        if !self.search.pending || !self.prepared.config.search.enabled {
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

    /// Reads what changed under the given paths.
    fn reread(&mut self, paths: &[PathBuf]) -> Result<Changed> {
        let mut changed = Changed::default();
        for path in paths {
            match self.area(path) {
                Area::Templates => changed.templates = true,
                Area::Static => changed.statics = true,
                Area::Content(path) => match self.sources.reread(&self.opts.root, &path)? {
                    (_, Reread::Unchanged) => {}
                    (rel, Reread::Edited) => changed.edited.push(rel),
                    (_, Reread::Structural) => changed.structural = true,
                },
                Area::Config | Area::Other => {}
            }
        }
        Ok(changed)
    }

    fn apply(&mut self, paths: &[PathBuf], rescan: bool) -> Result<Report> {
        if rescan || paths.iter().any(|p| self.area(p) == Area::Config) {
            return self.restart();
        }
        let changed = self.reread(paths)?;
        let stale = self.resolve_next || self.templates_stale || self.search.pending;
        if changed.nothing() && !stale {
            // Saved without a change, or a file the site does not read.
            return Ok(Report::default());
        }
        if changed.templates || self.templates_stale {
            let root = &self.opts.root;
            self.prepared.templates = load_templates(root, &self.prepared.config, &mut Vec::new())?;
            self.templates_stale = false;
        }
        trace("update: read");
        let mut kind = UpdateKind::Patch;
        let mut warnings = Vec::new();
        let mut resolve = changed.structural || self.resolve_next;
        let mut patched = Vec::new();
        if !resolve {
            for rel in &changed.edited {
                match self.patch(rel)? {
                    Some(p) => patched.push(p),
                    None => {
                        resolve = true;
                        break;
                    }
                }
            }
        }
        if resolve {
            warnings = self.resolve()?;
            kind = UpdateKind::Resolve;
        }
        trace("update: site");
        // Either of the first two already asks for every output path to be looked at again.
        let assets_moved = !resolve && !changed.statics && self.asset_links_moved();
        let bodies_only = !resolve
            && !changed.templates
            && !changed.statics
            && !stale
            && patched.iter().all(|p| p.same_head)
            && !assets_moved;
        if bodies_only {
            let mut report = self.refresh_bodies(patched)?;
            report.kind = kind;
            return Ok(report);
        }
        // Without a resolve, only the pages put in place can have new summaries: a summary is
        // made from its page and its section's title and URL, and sections stay.
        let summaries: Option<Vec<PageId>> =
            (!resolve).then(|| patched.iter().map(|p| p.page).collect());
        warnings.extend(patched.into_iter().flat_map(|p| p.warnings));
        let new_paths = resolve || changed.statics || assets_moved;
        let mut report = self.refresh(new_paths, summaries.as_deref(), warnings)?;
        report.kind = kind;
        Ok(report)
    }

    /// Whether the files in `content/` that pages link differ from those served: an edit that
    /// adds or removes such a link publishes or withdraws the file.
    fn asset_links_moved(&self) -> bool {
        let site = &self.prepared.site;
        let linked = crate::content::linked::linked_assets(site, &self.prepared.env.base.path);
        site.assets.iter().zip(linked).any(|((_, out), linked)| {
            linked != self.output_fps.contains_key(out.trim_start_matches('/'))
        })
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
            warnings,
            kind: UpdateKind::Full,
            ..Report::default()
        })
    }

    /// Resolves the site from the files in memory. On error the site stays as it was.
    fn resolve(&mut self) -> Result<Vec<Diagnostic>> {
        let p = &self.prepared;
        let (site, diags) = self.sources.resolve(&p.config, &p.env, &p.site);
        if diags.iter().any(Diagnostic::is_error) {
            self.resolve_next = true;
            return Err(Error::Site(diags));
        }
        self.prepared.site = site;
        self.resolve_next = false;
        Ok(diags)
    }

    /// Puts an edited page in place. `None` when the edit changes more than the
    /// page itself (its URL, section, or whether it is listed): then the site must be resolved
    /// anew.
    fn patch(&mut self, rel: &str) -> Result<Option<Patched>> {
        let Some(file) = self.sources.get(rel).cloned() else {
            return Ok(None);
        };
        let p = &mut self.prepared;
        let Some(i) = p.site.page_id(rel) else {
            return Ok(None);
        };
        let (built, diags) = content::parse_page_in(&p.site, file, &p.config, p.env.vis);
        if diags.iter().any(Diagnostic::is_error) {
            // The site is unchanged, but the file now differs from it: resolve next time so
            // every error left in the files is reported until all are fixed.
            self.resolve_next = true;
            return Err(Error::Site(sorted(diags)));
        }
        let Built::Page(page) = built else {
            return Ok(None);
        };
        let old = &p.site.pages[i];
        if page.path != old.path
            || page.listed != old.listed
            || page.section != old.section
            || page.meta.aliases != old.meta.aliases
        {
            return Ok(None);
        }
        let same_head = page.head == old.head;
        let old_body = old.body.fingerprint();
        p.site.pages[i] = *page;
        let mut warnings: Vec<Diagnostic> = diags;
        warnings.extend(self.sources.warning(rel).cloned());
        if !same_head {
            let derived = content::rederive(&mut p.site, &p.config);
            if derived.iter().any(Diagnostic::is_error) {
                self.resolve_next = true;
                return Err(Error::Site(sorted(derived)));
            }
            warnings.extend(derived);
        }
        Ok(Some(Patched {
            page: i,
            warnings,
            same_head,
            old_body,
        }))
    }

    /// Brings summaries, outputs, copies and the search index up to date with the site, by
    /// the build's own stages: only jobs whose fingerprint changed are rendered.
    /// `new_paths`: the set of outputs may have changed (look for duplicates and for outputs
    /// no longer produced). `summaries`: the only pages whose summaries can have changed
    /// (`None`: any).
    fn refresh(
        &mut self,
        new_paths: bool,
        summaries: Option<&[PageId]>,
        mut warnings: Vec<Diagnostic>,
    ) -> Result<Report> {
        let images_changed = self.rescan_images(&mut warnings)?;
        match summaries {
            Some(pages) if !images_changed => pages.iter().for_each(|&p| {
                self.refresh_summary(p);
            }),
            _ => self.refresh_summaries(),
        }
        let assets = crate::build::asset_names(&self.opts.root, &self.prepared.config)?;
        if *self.prepared.env.assets != assets {
            self.prepared.env.assets = Arc::new(assets);
        }
        self.prepared.set_globals();
        trace("update: summaries");
        let prepared = &self.prepared;
        let plan = prepared.plan();
        let root = &self.opts.root;
        let copies = prepared.copies(root)?;
        let jobs = crate::build::jobs_not_replaced(plan.jobs(), &copies);
        if new_paths {
            let dups = duplicate_outputs(&plan, &jobs, &copies, &prepared.config);
            if !dups.is_empty() {
                self.resolve_next = true;
                return Err(Error::Site(dups));
            }
        }
        let (rendering, mut changes) = self.render_changed(&plan, &jobs)?;
        warnings.extend(rendering.diags);
        let rendered_pages = self.take_texts(rendering.pages);
        let mut new_fps: HashMap<String, u64> = rendering.fingerprints.into_iter().collect();
        let deps = Deps::new(jobs, rendering.reads);
        self.copy_changes(&copies, &mut new_fps, &mut changes)?;
        warnings.extend(self.image_changes(&copies, &mut changes)?);
        if self.prepared.config.search.enabled {
            self.refresh_search(&mut changes, Some(&rendered_pages))?;
        } else {
            self.search = SearchState::default();
        }
        trace("update: search");
        // Outputs no job or copy produces any more go.
        for path in self.files.keys() {
            let search_file = self.search.files.contains(path);
            if !new_fps.contains_key(path) && !search_file {
                changes.push((path.clone(), None));
            }
        }
        self.take_changes(&mut changes);
        self.output_fps = new_fps;
        self.deps = deps;
        Ok(Report {
            changes,
            rendered: rendering.rendered,
            warnings: sorted(warnings),
            ..Report::default()
        })
    }

    /// Reads the headers of the site's images again (a static file or an asset may have
    /// changed, a cover may have moved); whether the table changed.
    fn rescan_images(&mut self, warnings: &mut Vec<Diagnostic>) -> Result<bool> {
        let p = &self.prepared;
        let (root, base_path) = (&self.opts.root, &p.env.base.path);
        let (table, diags) =
            ImageTable::scan_reusing(root, &p.config, &p.site, base_path, &p.env.images)?;
        warnings.extend(diags);
        let hash = |t: &ImageTable| {
            let mut h = rustc_hash::FxHasher::default();
            t.hash(&mut h);
            h.finish()
        };
        if hash(&table) == hash(&p.env.images) {
            return Ok(false);
        }
        self.prepared.env.images = Arc::new(table);
        Ok(true)
    }

    /// Publishes the images (and thumbnails) among `copies` whose fingerprint changed, with
    /// the build's own image stage; their warnings.
    fn image_changes(
        &self,
        copies: &[crate::build::Copy],
        changes: &mut FileChanges,
    ) -> Result<Vec<Diagnostic>> {
        let stale: BTreeSet<&Path> = copies
            .iter()
            .filter_map(|c| match &c.from {
                CopyFrom::Image(p) if self.output_fps.get(&c.out) != Some(&copy_fingerprint(c)) => {
                    Some(p.as_path())
                }
                _ => None,
            })
            .collect();
        let sink = MemorySink::with_bytes();
        let (_, _, diags) = images::publish_where(
            &self.prepared.env.images,
            |s| stale.contains(s.path.as_path()),
            self.previous_images.as_ref(),
            &sink,
        )?;
        changes.extend(
            sink.into_files()
                .into_iter()
                .map(|(path, bytes)| (path, Some(Arc::from(bytes)))),
        );
        Ok(diags)
    }

    /// Reads the copied files whose fingerprint changed.
    fn copy_changes(
        &self,
        copies: &[crate::build::Copy],
        fps: &mut HashMap<String, u64>,
        changes: &mut FileChanges,
    ) -> Result<()> {
        for c in copies {
            let fp = copy_fingerprint(c);
            if self.output_fps.get(&c.out) != Some(&fp) {
                let bytes = match &c.from {
                    CopyFrom::Disk(p) => {
                        std::fs::read(p).map_err(|e| Error::io(p, "无法读取文件", e))?
                    }
                    CopyFrom::Embedded(b) => b.to_vec(),
                    // Made by `image_changes`.
                    CopyFrom::Image(_) => {
                        fps.insert(c.out.clone(), fp);
                        continue;
                    }
                };
                changes.push((c.out.clone(), Some(Arc::from(bytes))));
            }
            fps.insert(c.out.clone(), fp);
        }
        Ok(())
    }

    /// After edits below the front matter only. The site is as it was but for these pages'
    /// bodies, so the outputs that can change are those whose fingerprint read one of the old
    /// bodies, or the old summary of a page whose summary changed (see [`Deps`]).
    fn refresh_bodies(&mut self, patched: Vec<Patched>) -> Result<Report> {
        let mut warnings = Vec::new();
        let mut changed = Vec::new();
        for p in patched {
            warnings.extend(p.warnings);
            changed.push(p.old_body);
            changed.extend(self.refresh_summary(p.page));
        }
        let dirty = self.deps.readers_of(&changed);
        let jobs: Vec<Job> = dirty.iter().map(|&j| self.deps.jobs[j].clone()).collect();
        let (rendering, mut changes) = self.render_changed(&self.prepared.plan(), &jobs)?;
        warnings.extend(rendering.diags);
        let rendered_pages = self.take_texts(rendering.pages);
        for ((&j, (out, fp)), reads) in dirty
            .iter()
            .zip(rendering.fingerprints)
            .zip(rendering.reads)
        {
            self.output_fps.insert(out, fp);
            self.deps.replace(j, reads);
        }
        if self.prepared.config.search.enabled {
            self.refresh_search(&mut changes, Some(&rendered_pages))?;
        }
        self.take_changes(&mut changes);
        Ok(Report {
            changes,
            rendered: rendering.rendered,
            warnings: sorted(warnings),
            ..Report::default()
        })
    }

    /// Renders those of `jobs` whose fingerprint changed, into memory: what rendering left
    /// (its diagnostics are warnings only; an error stops here), and the new files.
    fn render_changed(&self, plan: &Plan, jobs: &[Job]) -> Result<(Rendering, FileChanges)> {
        let prepared = &self.prepared;
        let wants = Wants {
            search_text: prepared.config.search.enabled,
            ids: false,
        };
        let sink = MemorySink::with_bytes();
        let renderer = prepared.renderer(wants);
        let rendering = render_jobs(plan, &renderer, jobs, &sink, Some(&self.output_fps))?;
        trace("update: rendered");
        if rendering.diags.iter().any(Diagnostic::is_error) {
            return Err(Error::Site(sorted(rendering.diags)));
        }
        let changes = sink
            .into_files()
            .into_iter()
            .map(|(path, bytes)| (path, Some(Arc::from(bytes))))
            .collect();
        Ok((rendering, changes))
    }

    /// Keeps the texts rendered pages left for search; the pages rendered.
    fn take_texts(&mut self, pages: Vec<(PageId, PageArtifacts)>) -> BTreeSet<PageId> {
        let rendered: BTreeSet<PageId> = pages.iter().map(|(p, _)| *p).collect();
        for (p, artifacts) in pages {
            if let Some(text) = artifacts.text {
                let rel = self.prepared.site.pages[p].rel.clone();
                self.search.texts.insert(rel, Arc::from(text));
            }
        }
        rendered
    }

    /// Recomputes page `p`'s summary if its input changed; the hash of the old summary when
    /// the summary changed.
    fn refresh_summary(&mut self, p: PageId) -> Option<u64> {
        let prepared = &self.prepared;
        let (site, base) = (&prepared.site, &prepared.env.base);
        let md = prepared.env.markdown(site);
        let page = &site.pages[p];
        let input = summary_input(site, page, &prepared.env.images);
        let key = summary_key(&input);
        if self
            .summary_cache
            .get(&page.rel)
            .is_some_and(|(k, _)| *k == key)
        {
            return None;
        }
        let summary = Summary::compute(&input, base, md);
        let rel = page.rel.clone();
        self.summary_cache.insert(rel, (key, summary.clone()));
        let old = std::mem::replace(&mut self.prepared.summaries[p.index()], summary);
        (old.hash != self.prepared.summaries[p.index()].hash).then_some(old.hash)
    }

    /// Every page's summary: the cached one while the hash of its input is unchanged.
    fn refresh_summaries(&mut self) {
        let p = &self.prepared;
        let (site, base) = (&p.site, &p.env.base);
        let md = p.env.markdown(site);
        let cache = &self.summary_cache;
        // Per page: its key, its summary, and whether the summary is new.
        let fresh: Vec<(u64, Arc<Summary>, bool)> = site
            .pages
            .par_iter()
            .map(|page| {
                let input = summary_input(site, page, &p.env.images);
                let key = summary_key(&input);
                match cache.get(&page.rel) {
                    Some((k, summary)) if *k == key => (key, summary.clone(), false),
                    _ => (key, Summary::compute(&input, base, md), true),
                }
            })
            .collect();
        for (page, (key, summary, new)) in site.pages.iter().zip(&fresh) {
            if *new {
                let entry = (*key, summary.clone());
                self.summary_cache.insert(page.rel.clone(), entry);
            }
        }
        if self.summary_cache.len() != site.pages.len() {
            let live: BTreeSet<&str> = site.pages.iter().map(|p| p.rel.as_str()).collect();
            self.summary_cache
                .retain(|rel, _| live.contains(rel.as_str()));
            self.search
                .texts
                .retain(|rel, _| live.contains(rel.as_str()));
        }
        self.prepared.summaries = fresh.into_iter().map(|(_, s, _)| s).collect();
    }

    /// Updates the search index: patched when the pages indexed are the same, in the same
    /// order (only the entries that differ are rewritten), anew when pages came, went or moved.
    /// `rendered`: the pages rendered since the index was written. Everything a page's entry
    /// holds (title, URL, date, description, section title, text) is part of its page's
    /// fingerprint, so the entries of other pages are as they were.
    fn refresh_search(
        &mut self,
        changes: &mut FileChanges,
        rendered: Option<&BTreeSet<PageId>>,
    ) -> Result<()> {
        let site = &self.prepared.site;
        let order = search_order(site);
        if self.defer_search && order != self.search.order {
            // Pages came, went or moved: the index must be built anew, later.
            self.search.index = None;
            self.search.order = order;
            self.search.pending = true;
            return Ok(());
        }
        let sink = MemorySink::with_bytes();
        let write = |path: &str, bytes: &[u8]| sink.write(path, bytes);
        let (patched, docs) = match (self.search.index.take(), rendered) {
            (Some((stats, mut docs)), Some(rendered)) if order == self.search.order => {
                let mut edited: Vec<(u32, IndexedDoc)> = Vec::new();
                for (id, &p) in order.iter().enumerate() {
                    if rendered.contains(&p) {
                        let new = self.indexed_doc(p);
                        if new != docs[id] {
                            edited.push((id as u32, std::mem::replace(&mut docs[id], new)));
                        }
                    }
                }
                (self.patch_index(stats, &docs, &edited, &write)?, docs)
            }
            _ => (
                None,
                order.par_iter().map(|&p| self.indexed_doc(p)).collect(),
            ),
        };
        let full = patched.is_none();
        if full && self.defer_search {
            // Left stale: `finish_search` builds it, after the pages are served.
            self.search.order = order;
            self.search.pending = true;
            return Ok(());
        }
        let stats = match patched {
            Some(stats) => stats,
            None => {
                let views: Vec<search::Document> =
                    docs.iter().map(IndexedDoc::as_document).collect();
                search::build(&views, &write)?
            }
        };
        let written = sink.into_files();
        if full {
            // Files of the old index that the new one does not have go.
            for old in &self.search.files {
                if !written.contains_key(old) {
                    changes.push((old.clone(), None));
                }
            }
            self.search.files = written.keys().cloned().collect();
        }
        changes.extend(
            written
                .into_iter()
                .map(|(path, bytes)| (path, Some(Arc::from(bytes)))),
        );
        self.search.index = Some((stats, docs));
        self.search.order = order;
        self.search.pending = false;
        Ok(())
    }

    /// Page `p` as the index holds it.
    fn indexed_doc(&self, p: PageId) -> IndexedDoc {
        let site = &self.prepared.site;
        let d = search_document(site, &self.prepared.env.base, p, "");
        IndexedDoc {
            title: d.title.to_string(),
            url: d.url.into_owned(),
            date: d.date.into_owned(),
            section: d.section.to_string(),
            description: d.description.map(str::to_string),
            fields: d.fields.into_owned(),
            body: self
                .search
                .texts
                .get(&site.pages[p].rel)
                .cloned()
                .unwrap_or_else(|| Arc::from("")),
        }
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
}

/// The key under which a summary is kept: the hash of its input.
fn summary_key(input: &crate::render::views::SummaryInput) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    input.hash(&mut h);
    h.finish()
}

/// A copied file's fingerprint: where from, and its size and time for files on disk.
fn copy_fingerprint(c: &crate::build::Copy) -> u64 {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let mut h = DefaultHasher::new();
    (&c.out, &c.source).hash(&mut h);
    match &c.from {
        CopyFrom::Disk(p) | CopyFrom::Image(p) => {
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
        proposals: Default::default(),
        unpublished: Vec::new(),
    }
}
