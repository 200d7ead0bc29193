//! The build recipe: config → files → site → summaries → jobs and their inputs → rendered
//! outputs → sink. `build`, `check` and `serve` all run these stages; `serve` keeps their
//! results and brings them up to date.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{FixedOffset, NaiveDate};
use rayon::prelude::*;

use crate::assets::{self as theme_assets, Assets};
pub use crate::check::CheckOptions;
use crate::config::{BaseUrl, Config};
use crate::console::trace;
use crate::content::alias::Imported;
use crate::content::{self, PageId, Site, Visibility};
use crate::error::{Code, Diagnostic, Error, Level, Pos, Result};
use crate::fs::{Hidden, files_under};
use crate::images::manifest::{Manifest, Previous};
use crate::images::{self, ImageStats, ImageTable};
use crate::markdown::MarkdownOptions;
use crate::output::{CompressingSink, MemorySink, Sink, StagedOutput, resolve_output_dir};
use crate::progress::{Counting, Progress};
use crate::render::plan::Plan;
use crate::render::templates::{self, Templates, ThemeFile};
use crate::render::views::{Summary, summary_input};
use crate::render::{Job, PageArtifacts, Renderer, Wants, search_documents, set_globals};

/// What a build needs to know beyond the site's files. "Now" is `today`, never the clock.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Defaults to `ROOT/public`.
    pub output_dir: Option<PathBuf>,
    /// Replaces `base_url` of config.toml.
    pub base_url: Option<BaseUrl>,
    pub drafts: bool,
    pub future: bool,
    /// `None`: today in the site's offset, by the clock.
    pub today: Option<NaiveDate>,
    /// What happens to the previous output once the new one is in place.
    pub old_output: OldOutputPolicy,
    /// A progress bar to keep up to date (`tongxin build` on a terminal).
    pub progress: Option<Progress>,
}

/// Settings made once from the options and `config.toml`, and passed by reference to every
/// stage: nothing downstream parses a URL or an offset again.
#[derive(Debug, Clone)]
pub struct BuildEnv {
    pub root: PathBuf,
    /// `--base-url`, else config's `base_url`.
    pub base: BaseUrl,
    /// The site's offset (config's `timezone`).
    pub offset: FixedOffset,
    /// Today and what is published.
    pub vis: Visibility,
    /// `[markdown] unsafe_html`.
    pub unsafe_html: bool,
    /// Every image published from `content/` and `static/`, with its published size (empty
    /// until [`prepare`] has read them).
    pub images: Arc<ImageTable>,
    /// The theme's CSS and JS files under their fingerprinted names (empty until [`prepare`]
    /// has read them).
    pub assets: Arc<Assets>,
    /// The rows of `redirects.csv` (empty until [`prepare`] has read it).
    pub redirects: Arc<Vec<Imported>>,
}

impl BuildEnv {
    pub fn new(opts: &BuildOptions, config: &Config) -> Self {
        let offset = config.offset();
        BuildEnv {
            root: opts.root.clone(),
            base: opts
                .base_url
                .clone()
                .unwrap_or_else(|| config.base_url.clone()),
            offset,
            vis: Visibility {
                today: opts.today.unwrap_or_else(|| today_in(offset)),
                drafts: opts.drafts,
                future: opts.future,
            },
            unsafe_html: config.markdown.unsafe_html,
            images: Arc::default(),
            assets: Arc::default(),
            redirects: Arc::default(),
        }
    }

    /// How Markdown renders on `site`.
    pub fn markdown<'s>(&'s self, site: &'s content::Site) -> MarkdownOptions<'s> {
        MarkdownOptions {
            base_path: &self.base.path,
            unsafe_html: self.unsafe_html,
            images: Some(&self.images),
            withheld: &site.unpublished,
        }
    }
}

/// Today's date in `offset`, by the clock (only where no `--today` was given).
pub fn today_in(offset: FixedOffset) -> NaiveDate {
    chrono::Utc::now().with_timezone(&offset).date_naive()
}

/// Deleting the previous output takes 0.2–1.3 s at 10,000 pages; the command line does it in a
/// background process so that the build ends as soon as the new output is in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OldOutputPolicy {
    /// Delete it before `build` returns (library callers, tests).
    #[default]
    Remove,
    /// Hand it to a detached `tongxin` process; a later build removes whatever is left.
    Detach,
}

impl BuildOptions {
    /// Options for the site at `root`, with `today` as "now".
    pub fn new(root: impl Into<PathBuf>, today: NaiveDate) -> Self {
        Self::for_site(root, Some(today))
    }

    /// Options for the site at `root`; `today`: `--today`, or `None` for the clock.
    pub fn for_site(root: impl Into<PathBuf>, today: Option<NaiveDate>) -> Self {
        BuildOptions {
            root: root.into(),
            output_dir: None,
            base_url: None,
            drafts: false,
            future: false,
            today,
            old_output: OldOutputPolicy::Remove,
            progress: None,
        }
    }

    pub fn output_dir(&self) -> PathBuf {
        self.output_dir
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }
}

/// What a finished build reports.
#[derive(Debug, Default)]
pub struct BuildSummary {
    pub pages: usize,
    pub sections: usize,
    pub files: usize,
    /// Warnings met on the way (errors stop the build and come back as `Err`).
    pub warnings: Vec<Diagnostic>,
    /// Images made anew and images taken over from the previous output.
    pub images: ImageStats,
    /// What made each image of the output, for the next build to reuse them.
    pub(crate) manifest: Manifest,
    /// What `check` finds, at `check`'s levels, allowed hits left out. A build publishes
    /// despite them, except for those [`blocks_publishing`].
    pub findings: Vec<Diagnostic>,
    /// How fresh the home page is, for `check`'s inspection view.
    pub home: Option<crate::check::HomeFreshness>,
}

/// SPEC: a page holding personal data, an unsafe URL or an `error`-level 错敏词 (not allowed by
/// the page) is not published: the build fails and the previous output stays.
pub fn blocks_publishing(d: &Diagnostic) -> bool {
    d.level == Level::Error && matches!(d.code, Code::Pii | Code::UnsafeUrl | Code::Word)
}

/// Builds the site into its output folder, atomically (see [`StagedOutput`]).
pub fn build(opts: &BuildOptions) -> Result<BuildSummary> {
    if !opts.root.is_dir() {
        return Err(Error::refused(&opts.root, "站点目录不存在"));
    }
    let target = resolve_output_dir(&opts.root, &opts.output_dir())?;
    let (staged, stuck) = StagedOutput::begin(&target)?;
    let sink = staged.sink()?;
    let previous = staged.previous().and_then(Previous::load);
    let (summary, diags) = run(opts, Mode::Write(&sink, previous.as_ref()))?;
    trace("rendered and written");
    let (mut errors, mut warnings): (Vec<_>, Vec<_>) =
        diags.into_iter().partition(Diagnostic::is_error);
    let blocking: Vec<Diagnostic> = summary
        .findings
        .iter()
        .filter(|d| blocks_publishing(d))
        .cloned()
        .collect();
    if errors.is_empty() && !blocking.is_empty() {
        // Only a page's findings can be allowed; an attachment has to be mended.
        let allowable = blocking.iter().any(|d| d.file.ends_with(".md"));
        errors = blocking;
        errors.push(not_published(opts, errors.len(), allowable));
    }
    if !errors.is_empty() {
        // `staged` is dropped here: the temporary folder goes, the old output stays.
        return Err(Error::Site(errors.into_iter().chain(warnings).collect()));
    }
    staged.append_to_marker(&summary.manifest.to_text())?;
    let old = staged.commit()?;
    trace("swapped in");
    warnings.extend(
        stuck
            .iter()
            .map(|(path, e)| not_removed(&opts.root, path, e)),
    );
    // An old output that was an empty folder (made by hand before the first build) holds no
    // marker, so the detached remover would leave it: `remove_dir` takes only an empty one.
    if let Some(old) = old.filter(|old| std::fs::remove_dir(&old.0).is_err()) {
        let path = old.0.clone();
        let removed = match opts.old_output {
            OldOutputPolicy::Detach => crate::output::detach_removal(old),
            OldOutputPolicy::Remove => old.remove(),
        };
        if let Err(e) = removed {
            warnings.push(not_removed(&opts.root, &path, &e));
        }
    }
    Ok(BuildSummary {
        warnings,
        ..summary
    })
}

/// The last line of a build refused for what a page or an attachment holds; `allowable` when a
/// page's finding is among them (an attachment's cannot be allowed).
fn not_published(opts: &BuildOptions, count: usize, allowable: bool) -> Diagnostic {
    let hint = match allowable {
        true => {
            "改正上面列出的内容后再运行 tongxin build；页面中确需保留的，在该页的 allow 中写明理由"
        }
        false => "改正上面列出的附件（删去或隐去个人信息）后再运行 tongxin build",
    };
    Diagnostic::error(
        Code::Refused,
        crate::fs::slash_path(&opts.output_dir(), &opts.root),
        format!("有 {count} 处个人信息、不安全链接或错敏词，本次没有发布，原来的网站保持不变"),
    )
    .hint(hint)
}

/// The new output is in place, but an old one could not be deleted: a warning, not a failure.
fn not_removed(root: &Path, path: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::warning(
        Code::Io,
        crate::fs::slash_path(path, root),
        format!(
            "新网站已生成，但无法删除旧的输出目录：{}",
            crate::error::io_reason(e)
        ),
    )
    .hint("可以手动删除它；下次构建时也会再试")
}

/// What `check` finds beyond what stops a build (dead links, 错敏词, stale 栏目 …), sorted,
/// allowed hits left out: what `serve` reports. Problems that stop a build come back as `Err`.
pub fn inspect(opts: &BuildOptions) -> Result<Vec<Diagnostic>> {
    let (summary, _) = run(opts, Mode::Check(&CheckOptions::default()))?;
    Ok(sorted(summary.findings)
        .into_iter()
        .filter(|d| d.level != Level::Allowed)
        .collect())
}

/// Builds in memory, runs every check, and returns every diagnostic sorted by file and line.
pub fn check(opts: &BuildOptions, checks: &CheckOptions) -> Result<Vec<Diagnostic>> {
    check_inspected(opts, checks).map(|(diags, _)| diags)
}

/// `check` with how fresh the home page is, for the inspection view; `None` when the site could
/// not be checked as a whole.
pub fn check_inspected(
    opts: &BuildOptions,
    checks: &CheckOptions,
) -> Result<(Vec<Diagnostic>, Option<crate::check::HomeFreshness>)> {
    match run(opts, Mode::Check(checks)) {
        Ok((summary, diags)) => Ok((diags, summary.home)),
        Err(Error::Site(diags)) => Ok((sorted(diags), None)),
        Err(e) => Err(e),
    }
}

/// A page's text as the editor holds it, checked in place of the file on disk (or as a new
/// file when there is none).
#[derive(Debug, Clone)]
pub struct Overlay {
    /// Site-relative, `/`-separated: `content/news/a.md`.
    pub rel: String,
    pub text: String,
}

/// `check` of the site with one page's text replaced by `overlay` (drafts and future pages
/// included, as they are being written), keeping what it finds in that page.
pub fn check_overlaid(opts: &BuildOptions, overlay: &Overlay) -> Result<Vec<Diagnostic>> {
    let mut opts = opts.clone();
    opts.drafts = true;
    opts.future = true;
    let diags = match run_with(&opts, Mode::Check(&CheckOptions::default()), Some(overlay)) {
        Ok((_, diags)) => diags,
        Err(Error::Site(diags)) => sorted(diags),
        Err(e) => return Err(e),
    };
    Ok(diags
        .into_iter()
        .filter(|d| d.file == overlay.rel)
        .collect())
}

/// Output files by site-relative path.
pub type OutputFiles = BTreeMap<String, Vec<u8>>;

/// Builds into memory and returns the output files (for tests and tools).
pub fn build_in_memory(opts: &BuildOptions) -> Result<(OutputFiles, Vec<Diagnostic>)> {
    let sink = MemorySink::with_bytes();
    let (_, diags) = run(opts, Mode::Write(&sink, None))?;
    Ok((sink.into_files(), diags))
}

pub(crate) fn sorted(mut diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diags.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diags.dedup();
    diags
}

/// Whether a run writes its outputs (with the previous output's images to reuse) or checks
/// the site.
enum Mode<'s> {
    Write(&'s dyn Sink, Option<&'s Previous>),
    Check(&'s CheckOptions),
}

/// What a build is made of before anything is rendered: config, settings, the resolved site,
/// the templates and every page's summary. `serve` keeps one and brings it up to date.
pub struct Prepared {
    pub config: Config,
    pub env: BuildEnv,
    pub site: Site,
    pub templates: Templates,
    pub summaries: Vec<Arc<Summary>>,
}

impl Prepared {
    /// Frees what only rendering and checking read — the pages' sources and the list views —
    /// once a build has done both, so that the search index's memory comes from them.
    fn release_for_search(&mut self) {
        self.site.release_sources();
        self.summaries = Vec::new();
    }

    /// The jobs' inputs come from here.
    /// The files the build copies: [`planned_copies`] of this site.
    pub(crate) fn copies(&self, root: &Path) -> Result<Vec<Copy>> {
        planned_copies(
            root,
            &self.config,
            &self.site,
            &self.env.base.path,
            &self.env.images,
            &self.env.assets,
        )
    }

    pub fn plan(&self) -> Plan<'_> {
        let mut plan = Plan::new(
            &self.site,
            &self.config,
            &self.env.base,
            self.env.markdown(&self.site),
            &self.summaries,
        );
        plan.root = Some(&self.env.root);
        plan.imported = &self.env.redirects;
        plan
    }

    /// Puts what every template sees into the templates (after the site or templates changed).
    pub fn set_globals(&mut self) {
        let md = self.env.markdown(&self.site);
        set_globals(
            &mut self.templates,
            &self.site,
            &self.config,
            &self.env.base,
            md,
            &self.env.assets,
        );
    }

    /// Renders inputs for this site, leaving `wants`.
    pub fn renderer(&self, wants: Wants) -> Renderer<'_> {
        Renderer {
            templates: &self.templates,
            base: &self.env.base,
            offset: self.env.offset,
            md: self.env.markdown(&self.site),
            wants,
        }
    }
}

/// The stages up to rendering: config, content, site, templates, summaries. Located problems
/// go to `diags`; `Err` when nothing further can be checked (config unreadable, templates
/// unparsable, I/O).
pub fn prepare(opts: &BuildOptions, diags: &mut Vec<Diagnostic>) -> Result<Prepared> {
    prepare_with(opts, diags, None)
}

/// [`prepare`], with one page's text taken from `overlay` instead of the disk.
fn prepare_with(
    opts: &BuildOptions,
    diags: &mut Vec<Diagnostic>,
    overlay: Option<&Overlay>,
) -> Result<Prepared> {
    trace("start");
    let config = Config::load(&opts.root)?;
    let mut env = BuildEnv::new(opts, &config);
    let mut loaded = content::load::load(&opts.root)?;
    if let Some(o) = overlay {
        apply_overlay(&mut loaded.files, o);
    }
    diags.extend(loaded.diags);
    trace("content read");
    let (site, mut resolve_diags) = content::resolve(loaded.files, loaded.assets, &config, env.vis);
    trace("site resolved");
    diags.append(&mut resolve_diags);
    let redirects = read_redirects(&opts.root, diags)?;
    diags.extend(content::alias::unknown_pages(&site, &redirects));
    env.redirects = Arc::new(redirects);
    let (images, image_diags) = ImageTable::scan(&opts.root, &config, &site, &env.base.path)?;
    env.images = Arc::new(images);
    diags.extend(image_diags);
    trace("image headers read");
    let templates = load_templates(&opts.root, &config, diags)?;
    // A static folder that cannot be read is reported with the copies (see `run_with`).
    env.assets = Arc::new(collecting(
        asset_names(&opts.root, &config),
        &mut Vec::new(),
    )?);
    let summaries = summarize(&site, &env.base, env.markdown(&site));
    let mut prepared = Prepared {
        config,
        env,
        site,
        templates,
        summaries,
    };
    prepared.set_globals();
    trace("summaries built");
    Ok(prepared)
}

/// The rows of the site's `redirects.csv` (none without one); bad rows go to `diags`.
pub fn read_redirects(root: &Path, diags: &mut Vec<Diagnostic>) -> Result<Vec<Imported>> {
    let path = root.join(content::alias::REDIRECTS_CSV);
    if !path.exists() && path.symlink_metadata().is_err() {
        return Ok(Vec::new());
    }
    let bytes = crate::fs::read_confined(root, &path, crate::fs::MAX_TEXT_FILE).map_err(|why| {
        Error::one(Diagnostic::error(
            Code::Io,
            content::alias::REDIRECTS_CSV,
            format!("无法读取旧网址表：{why}"),
        ))
    })?;
    let Ok(text) = String::from_utf8(bytes) else {
        diags.push(
            Diagnostic::error(
                Code::Field,
                content::alias::REDIRECTS_CSV,
                "旧网址表不是 UTF-8 编码",
            )
            .hint("用 WPS 或 Excel 另存为“CSV UTF-8”格式"),
        );
        return Ok(Vec::new());
    };
    let (rows, found) = content::alias::parse_csv(&text);
    diags.extend(found);
    Ok(rows)
}

/// Loads the templates. Without them nothing can be rendered: their errors come back with
/// every diagnostic found so far.
pub fn load_templates(
    root: &Path,
    config: &Config,
    diags: &mut Vec<Diagnostic>,
) -> Result<Templates> {
    match templates::load(root, config) {
        Err(Error::Site(found)) => {
            diags.extend(found);
            Err(Error::Site(sorted(std::mem::take(diags))))
        }
        other => other,
    }
}

/// The table of a site without images (or before they are read).
static NO_IMAGES: std::sync::LazyLock<ImageTable> = std::sync::LazyLock::new(ImageTable::default);

/// Every page's summary, in parallel.
pub fn summarize(site: &Site, base: &BaseUrl, md: MarkdownOptions) -> Vec<Arc<Summary>> {
    site.pages
        .par_iter()
        .map(|page| {
            let images = md.images.unwrap_or(&NO_IMAGES);
            Summary::compute(&summary_input(site, page, images), base, md)
        })
        .collect()
}

/// Puts the overlay's text in place of its file's, or adds it as a new file.
fn apply_overlay(files: &mut Vec<content::load::SourceFile>, overlay: &Overlay) {
    if let Some(f) = files.iter_mut().find(|f| f.rel == overlay.rel) {
        f.text = overlay.text.clone();
        return;
    }
    let in_content = overlay.rel.strip_prefix("content/").unwrap_or(&overlay.rel);
    let (dir, name) = in_content.rsplit_once('/').unwrap_or(("", in_content));
    if let Some(stem) = content::load::markdown_stem(name) {
        files.push(content::load::SourceFile {
            rel: overlay.rel.clone(),
            dir: dir.to_string(),
            stem: stem.to_string(),
            text: overlay.text.clone(),
        });
    }
}

/// The recipe: prepare, plan, render, then write or check. Collects every diagnostic it can
/// before giving up.
fn run(opts: &BuildOptions, mode: Mode) -> Result<(BuildSummary, Vec<Diagnostic>)> {
    run_with(opts, mode, None)
}

/// [`run`] with an editor's overlay.
fn run_with(
    opts: &BuildOptions,
    mode: Mode,
    overlay: Option<&Overlay>,
) -> Result<(BuildSummary, Vec<Diagnostic>)> {
    let mut diags = Vec::new();
    stage(opts, "读取内容");
    let mut prepared = prepare_with(opts, &mut diags, overlay)?;
    let plan = prepared.plan();
    let copies = collecting(prepared.copies(&opts.root), &mut diags)?;
    let jobs = jobs_not_replaced(plan.jobs(), &copies);
    diags.extend(duplicate_outputs(&plan, &jobs, &copies, &prepared.config));
    let (sink, previous) = match mode {
        Mode::Check(checks) => return run_check(&prepared, &jobs, &copies, checks, diags),
        Mode::Write(sink, previous) => (sink, previous),
    };
    let compress = prepared.config.output.compress;
    let compressing = compress.then(|| compressing(sink, &copies));
    let sink: &dyn Sink = compressing.as_ref().map_or(sink, |c| c);
    let counting = opts.progress.as_ref().map(|progress| {
        progress.plan(jobs.len() + copies.len());
        progress.stage("渲染页面");
        Counting {
            inner: sink,
            progress,
        }
    });
    let sink: &dyn Sink = counting.as_ref().map_or(sink, |c| c);
    if diags.iter().any(Diagnostic::is_error) {
        return Err(with_template_errors(&prepared, &jobs, diags));
    }
    let wants = Wants {
        search_text: prepared.config.search.enabled,
        ids: true,
    };
    let renderer = prepared.renderer(wants);
    let rendering = render_jobs(&plan, &renderer, &jobs, sink, None)?;
    trace("pages rendered");
    diags.extend(rendering.diags);
    stage(opts, "检查内容");
    let outputs = output_paths(&plan, &jobs, &copies);
    let found = findings(
        &prepared,
        &outputs,
        &rendering.pages,
        &CheckOptions::default(),
        &copies,
    )?;
    trace("checked");
    let job_count = jobs.len();
    prepared.release_for_search();
    stage(opts, "搜索索引");
    let search_files = write_search_index(&prepared, rendering.pages, sink)?;
    trace("search index written");
    stage(opts, "复制文件");
    copy_all(&copies, sink)?;
    let (manifest, images, image_diags) = images::publish(&prepared.env.images, previous, sink)?;
    diags.extend(image_diags);
    trace(&format!(
        "images written: {} made, {} reused",
        images.processed, images.reused
    ));
    let gz_files = compressing
        .as_ref()
        .map_or(0, |c| c.written.load(std::sync::atomic::Ordering::Relaxed));
    let summary = BuildSummary {
        pages: prepared.site.pages.len(),
        sections: prepared.site.sections.len(),
        files: job_count + copies.len() + search_files + gz_files,
        warnings: Vec::new(),
        images,
        manifest,
        findings: sorted(found)
            .into_iter()
            .filter(|d| d.level != Level::Allowed)
            .collect(),
        home: None,
    };
    Ok((summary, sorted(diags)))
}

/// A sink writing a `.gz` copy beside each compressible file, except for the `.gz` files the
/// site publishes itself.
fn compressing<'a>(sink: &'a dyn Sink, copies: &[Copy]) -> CompressingSink<'a> {
    CompressingSink {
        inner: sink,
        skip: copies
            .iter()
            .filter(|c| c.out.ends_with(".gz"))
            .map(|c| c.out.clone())
            .collect(),
        written: Default::default(),
    }
}

/// Every path the build writes: the jobs' targets and the copied files.
fn output_paths(plan: &Plan, jobs: &[Job], copies: &[Copy]) -> BTreeSet<String> {
    jobs.iter()
        .map(|j| plan.target(j).0)
        .chain(copies.iter().map(|c| c.out.clone()))
        .collect()
}

/// The diagnostics of a site that cannot be published, with the template errors of its good
/// pages: they are rendered into nothing so that every mistake is reported at once.
fn with_template_errors(prepared: &Prepared, jobs: &[Job], mut diags: Vec<Diagnostic>) -> Error {
    let plan = prepared.plan();
    let renderer = prepared.renderer(Wants::default());
    match render_jobs(&plan, &renderer, jobs, &MemorySink::paths_only(), None) {
        Ok(rendering) => {
            diags.extend(rendering.diags);
            Error::Site(sorted(diags))
        }
        Err(e) => e,
    }
}

/// Writes the search index of the pages' texts (left by their render) through `sink`, when the
/// site has search; returns how many files it wrote.
fn write_search_index(
    prepared: &Prepared,
    pages: Vec<(PageId, PageArtifacts)>,
    sink: &dyn Sink,
) -> Result<usize> {
    if !prepared.config.search.enabled {
        return Ok(0);
    }
    let texts = page_texts(&prepared.site, pages);
    let docs = search_documents(&prepared.site, &prepared.env.base, |p| {
        texts[p.index()].as_deref().unwrap_or("")
    });
    let write = |path: &str, bytes: &[u8]| sink.write(path, bytes);
    let stats = match sink.scratch() {
        Some((file, dir)) => {
            let error = |e| Error::io(&dir, "无法读回搜索索引的临时数据", e);
            let scratch = crate::search::Scratch {
                file,
                error: &error,
            };
            crate::search::build_spilling(&docs, &write, scratch)?
        }
        None => crate::search::build(&docs, &write)?,
    };
    Ok(stats.files)
}

/// Names the stage on the progress bar, if there is one.
fn stage(opts: &BuildOptions, name: &'static str) {
    if let Some(p) = &opts.progress {
        p.stage(name);
    }
}

/// Per page (by index), the text its render left, if any.
fn page_texts(site: &Site, pages: Vec<(PageId, PageArtifacts)>) -> Vec<Option<String>> {
    let mut texts = vec![None; site.pages.len()];
    for (p, artifacts) in pages {
        texts[p.index()] = artifacts.text;
    }
    texts
}

/// `check`: renders into a list of paths, keeping each page's ids, then runs every check.
fn run_check(
    prepared: &Prepared,
    jobs: &[Job],
    copies: &[Copy],
    checks: &CheckOptions,
    mut diags: Vec<Diagnostic>,
) -> Result<(BuildSummary, Vec<Diagnostic>)> {
    let memory = MemorySink::paths_only();
    let wants = Wants {
        search_text: false,
        ids: true,
    };
    let rendering = render_jobs(
        &prepared.plan(),
        &prepared.renderer(wants),
        jobs,
        &memory,
        None,
    )?;
    diags.extend(rendering.diags);
    let mut outputs: BTreeSet<String> = memory.into_files().into_keys().collect();
    outputs.extend(copies.iter().map(|c| c.out.clone()));
    let found = findings(prepared, &outputs, &rendering.pages, checks, copies)?;
    let summary = BuildSummary {
        findings: found.clone(),
        home: Some(home_freshness(prepared)),
        ..BuildSummary::default()
    };
    diags.extend(found);
    Ok((summary, sorted(diags)))
}

/// How fresh the prepared site's home page is (see [`crate::check::home_freshness`]).
fn home_freshness(prepared: &Prepared) -> crate::check::HomeFreshness {
    let outputs = BTreeSet::new();
    let input = crate::check::Input {
        root: &prepared.env.root,
        site: &prepared.site,
        config: &prepared.config,
        base: &prepared.env.base,
        outputs: &outputs,
        anchors: HashMap::new(),
        duplicate_ids: HashMap::new(),
        today: prepared.env.vis.today,
        options: &CheckOptions::default(),
        attachments: &[],
    };
    crate::check::home_freshness(&input)
}

/// What `check` finds in a rendered site: `outputs` are every file the build writes, `pages`
/// each page's heading ids and repeated ids (rendered with `Wants::ids`), `copies` the files
/// copied as they are (their attachments are scanned for personal data).
pub(crate) fn findings(
    prepared: &Prepared,
    outputs: &BTreeSet<String>,
    pages: &[(PageId, PageArtifacts)],
    checks: &CheckOptions,
    copies: &[Copy],
) -> Result<Vec<Diagnostic>> {
    let site = &prepared.site;
    let mut anchors = HashMap::new();
    let mut duplicate_ids = HashMap::new();
    for (p, artifacts) in pages {
        let page = &site.pages[*p];
        anchors.insert(page.path.as_str(), artifacts.anchors.as_slice());
        if !artifacts.duplicate_ids.is_empty() {
            duplicate_ids.insert(page.rel.as_str(), artifacts.duplicate_ids.as_slice());
        }
    }
    let input = crate::check::Input {
        root: &prepared.env.root,
        site,
        config: &prepared.config,
        base: &prepared.env.base,
        outputs,
        anchors,
        duplicate_ids,
        today: prepared.env.vis.today,
        options: checks,
        attachments: &attachments_of(copies),
    };
    crate::check::run(&input)
}

/// The copies a user wrote (`static/`, linked `content/` files) that the attachment check reads;
/// theme files and processed images are not attachments.
fn attachments_of(copies: &[Copy]) -> Vec<crate::check::attachments::Attachment> {
    copies
        .iter()
        .filter(|c| c.source.starts_with("static/") || c.source.starts_with("content/"))
        .filter(|c| crate::check::attachments::is_scanned(&c.source))
        .filter_map(|c| match &c.from {
            CopyFrom::Disk(path) => Some(crate::check::attachments::Attachment {
                source: c.source.clone(),
                path: path.clone(),
            }),
            _ => None,
        })
        .collect()
}

/// A stage's result, with its located problems (refused links in `static/` …) moved to `diags`
/// so that they are reported with every other one; other errors stop the build.
fn collecting<T: Default>(result: Result<T>, diags: &mut Vec<Diagnostic>) -> Result<T> {
    match result {
        Err(Error::Site(mut found)) => {
            diags.append(&mut found);
            Ok(T::default())
        }
        other => other,
    }
}

/// What rendering a list of jobs left.
#[derive(Default)]
pub struct Rendering {
    /// Template errors and warnings.
    pub diags: Vec<Diagnostic>,
    /// Per page job rendered (by page index), its artifacts.
    pub pages: Vec<(PageId, PageArtifacts)>,
    /// Per job (when fingerprints were asked for), its output path and fingerprint.
    pub fingerprints: Vec<(String, u64)>,
    /// Per job (when fingerprints were asked for), the shared values its input read
    /// (see [`crate::reads`]).
    pub reads: Vec<Vec<u64>>,
    /// Output paths rendered (when fingerprints were asked for).
    pub rendered: Vec<String>,
}

/// How one job went: its output path and fingerprint (when asked for), and whether it was
/// rendered, with its page artifacts, or skipped as unchanged.
struct JobDone {
    fingerprint: Option<(String, u64)>,
    reads: Vec<u64>,
    rendered: Result<Option<Option<(PageId, PageArtifacts)>>>,
}

/// Renders jobs in parallel, writing each output to the sink as soon as it is made. With
/// `previous` (output path → fingerprint), a job whose fingerprint is as before is not rendered,
/// and every job's fingerprint is returned. Template errors become diagnostics; I/O errors stop.
pub fn render_jobs(
    plan: &Plan,
    renderer: &Renderer,
    jobs: &[Job],
    sink: &dyn Sink,
    previous: Option<&HashMap<String, u64>>,
) -> Result<Rendering> {
    let results: Vec<JobDone> = jobs
        .par_iter()
        .map(|job| render_job(plan, renderer, job, sink, previous))
        .collect();
    let mut rendering = Rendering::default();
    for done in results {
        match done.rendered {
            Ok(Some(page)) => {
                rendering.pages.extend(page);
                if let Some((out, _)) = &done.fingerprint {
                    rendering.rendered.push(out.clone());
                }
            }
            Ok(None) => {}
            Err(Error::Site(d)) => rendering.diags.extend(d),
            Err(e) => return Err(e),
        }
        if done.fingerprint.is_some() {
            rendering.reads.push(done.reads);
        }
        rendering.fingerprints.extend(done.fingerprint);
    }
    Ok(rendering)
}

/// One job of [`render_jobs`]: its input, fingerprint, render and write.
fn render_job(
    plan: &Plan,
    renderer: &Renderer,
    job: &Job,
    sink: &dyn Sink,
    previous: Option<&HashMap<String, u64>>,
) -> JobDone {
    let input = plan.input(job);
    let out = plan.output_path(job);
    let (fingerprint, reads) = match previous {
        Some(old) => {
            let (fp, reads) = crate::reads::recording(|| renderer.fingerprint(&input));
            (Some((fp, old)), reads)
        }
        None => (None, Vec::new()),
    };
    if let Some((fp, old)) = fingerprint
        && old.get(&out) == Some(&fp)
    {
        return JobDone {
            fingerprint: Some((out, fp)),
            reads,
            rendered: Ok(None),
        };
    }
    let rendered = renderer.render(&input).and_then(|r| {
        sink.write(&out, &r.bytes)?;
        Ok(Some(match job {
            Job::Page(p) => r.page.map(|a| (*p, a)),
            _ => None,
        }))
    });
    JobDone {
        fingerprint: fingerprint.map(|(fp, _)| (out, fp)),
        reads,
        rendered,
    }
}

/// A file copied as is: output path, where from, and the source named in duplicate reports.
pub(crate) struct Copy {
    pub out: String,
    pub from: CopyFrom,
    pub source: String,
}

pub(crate) enum CopyFrom {
    Disk(PathBuf),
    Embedded(&'static [u8]),
    /// An image or a thumbnail of one, written by [`images::publish`] (from this file).
    Image(PathBuf),
}

/// The jobs, less the generated files a site replaces with its own (`static/robots.txt`).
pub(crate) fn jobs_not_replaced(mut jobs: Vec<Job>, copies: &[Copy]) -> Vec<Job> {
    if copies.iter().any(|c| c.out == crate::render::plan::ROBOTS) {
        jobs.retain(|j| !matches!(j, Job::Robots));
    }
    jobs
}

/// The theme's static files, then the site's `static/` (which overrides the theme), by output
/// path; and the output paths the theme itself ships.
fn static_copies(
    root: &Path,
    config: &Config,
) -> Result<(BTreeMap<String, Copy>, BTreeSet<String>)> {
    let mut by_out: BTreeMap<String, Copy> = BTreeMap::new();
    for (rel, file) in templates::theme_static_files(root, config)? {
        let from = match file {
            ThemeFile::Embedded(b) => CopyFrom::Embedded(b),
            ThemeFile::Disk(p) => CopyFrom::Disk(p),
        };
        let source = format!("themes/{}/static/{rel}", config.theme);
        by_out.insert(
            rel.clone(),
            Copy {
                out: rel,
                from,
                source,
            },
        );
    }
    let theme: BTreeSet<String> = by_out.keys().cloned().collect();
    for (rel, path) in files_under(
        root,
        &root.join("static"),
        Hidden::Include,
        "无法读取 static 目录",
    )? {
        let source = format!("static/{rel}");
        by_out.insert(
            rel.clone(),
            Copy {
                out: rel,
                from: CopyFrom::Disk(path),
                source,
            },
        );
    }
    Ok((by_out, theme))
}

/// The fingerprinted names of the theme's CSS and JS files, from the bytes that will be
/// published under them (the site's own file where `static/` replaces the theme's).
pub(crate) fn asset_names(root: &Path, config: &Config) -> Result<Assets> {
    let (by_out, theme) = static_copies(root, config)?;
    let mut names = BTreeMap::new();
    for rel in theme.iter().filter(|r| theme_assets::is_fingerprinted(r)) {
        let bytes = match by_out.get(rel).map(|c| &c.from) {
            Some(CopyFrom::Embedded(b)) => std::borrow::Cow::Borrowed(*b),
            Some(CopyFrom::Disk(p)) => std::borrow::Cow::Owned(
                std::fs::read(p).map_err(|e| Error::io(p, "无法读取文件", e))?,
            ),
            _ => continue,
        };
        names.insert(rel.clone(), theme_assets::fingerprinted_name(rel, &bytes));
    }
    Ok(Assets(names))
}

/// Every file copied into the output: the theme's static files, then the site's `static/`
/// (which overrides the theme; the theme's CSS and JS under their names in `assets`), then the
/// files in `content/` that a page links (`base_path`: `/sub` or empty), then the thumbnails
/// of `images`. The images of `images` are marked as such.
pub(crate) fn planned_copies(
    root: &Path,
    config: &Config,
    site: &content::Site,
    base_path: &str,
    images: &ImageTable,
    assets: &Assets,
) -> Result<Vec<Copy>> {
    let (mut by_out, _) = static_copies(root, config)?;
    for (rel, published) in &assets.0 {
        if let Some(c) = by_out.get_mut(rel) {
            c.out = published.clone();
        }
    }
    let mut copies: Vec<Copy> = by_out.into_values().collect();
    let linked = content::linked::linked_assets(site, base_path);
    for ((rel, out_path), _) in site.assets.iter().zip(linked).filter(|(_, l)| *l) {
        copies.push(Copy {
            out: out_path.trim_start_matches('/').to_string(),
            from: CopyFrom::Disk(root.join(rel)),
            source: rel.clone(),
        });
    }
    for c in &mut copies {
        if let Some(image) = images.source_of_output(&c.out)
            && c.source == image.rel
            && image.header.kind.is_processed()
        {
            c.from = CopyFrom::Image(image.path.clone());
        }
    }
    copies.extend(images.sources.iter().filter_map(|s| {
        Some(Copy {
            out: s.thumb.clone()?,
            from: CopyFrom::Image(s.path.clone()),
            source: s.rel.clone(),
        })
    }));
    Ok(copies)
}

pub(crate) fn copy_all(copies: &[Copy], sink: &dyn Sink) -> Result<()> {
    copies.par_iter().try_for_each(|c| match &c.from {
        CopyFrom::Disk(p) => sink.copy_file(&c.out, p),
        CopyFrom::Embedded(b) => sink.write(&c.out, b),
        CopyFrom::Image(_) => Ok(()),
    })
}

/// How directly a duplicate's source is a file the user wrote: lower is better.
fn file_rank(source: &str) -> u8 {
    if source.starts_with("content/") {
        0
    } else if ["static/", "templates/", "themes/"]
        .iter()
        .any(|d| source.starts_with(d))
    {
        1
    } else if source.starts_with("config.toml") {
        2
    } else {
        3
    }
}

/// Two outputs on one path: an error naming both sources.
/// The folder `serve` answers with its editor (SPEC: a reserved path no output may use).
pub const EDITOR_DIR: &str = "_tongxin";

/// Whether an output path lies under the editor's reserved folder (in any letter case, for
/// servers on case-insensitive disks).
fn is_reserved_output(out: &str) -> bool {
    let first = out.split('/').next().unwrap_or("");
    first.eq_ignore_ascii_case(EDITOR_DIR) || first.eq_ignore_ascii_case("__tongxin")
}

pub(crate) fn duplicate_outputs(
    plan: &Plan,
    jobs: &[Job],
    copies: &[Copy],
    config: &Config,
) -> Vec<Diagnostic> {
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let mut diags = Vec::new();
    let targets = jobs
        .iter()
        .map(|j| plan.target(j))
        .chain(copies.iter().map(|c| (c.out.clone(), c.source.clone())));
    let index_dir = config.search.enabled.then_some(crate::search::INDEX_DIR);
    for (out, source) in targets {
        if let Some(dir) = index_dir.filter(|d| out.starts_with(d)) {
            diags.push(
                Diagnostic::error(
                    Code::DuplicateUrl,
                    &source,
                    format!("与搜索索引输出到同一目录 /{dir}，会使站内搜索失效"),
                )
                .hint("把这个文件移到别的目录；/search/index/ 留给搜索索引"),
            );
            continue;
        }
        if is_reserved_output(&out) {
            diags.push(
                Diagnostic::error(
                    Code::DuplicateUrl,
                    &source,
                    format!("输出到网址 /{out}，而 /{EDITOR_DIR}/ 留给编辑后台使用"),
                )
                .hint(format!("把这个文件移出 {EDITOR_DIR} 目录")),
            );
            continue;
        }
        if let Some(first) = seen.get(&out) {
            // The diagnostic goes on a file the user can change: a page before a static file,
            // either before an output tongxin generates (which is named, not a file).
            let (file, other) = if file_rank(first) <= file_rank(&source) {
                (first.clone(), source.clone())
            } else {
                (source.clone(), first.clone())
            };
            let url = format!("/{}", out.strip_suffix("index.html").unwrap_or(&out));
            // At the page's `slug =` line when it sets one: that is what made the clash.
            let slug_pos = (plan.site.pages.iter())
                .find(|p| p.rel == file)
                .and_then(|p| p.meta.slug.as_ref())
                .map_or(Pos::new(0, 0), |s| s.pos);
            diags.push(
                Diagnostic::error(
                    Code::DuplicateUrl,
                    file,
                    format!("与 {other} 输出到同一网址 {url}"),
                )
                .at_pos(slug_pos)
                .hint("修改其中一个的 slug 或文件名"),
            );
        } else {
            seen.insert(out, source);
        }
    }
    diags
}
