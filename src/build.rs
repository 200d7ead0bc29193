//! The build recipe: config → files → site → rendered outputs → sink. Used by `build`, `check`
//! and tests alike; only the sink differs.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rayon::prelude::*;

pub use crate::check::CheckOptions;
use crate::config::{BaseUrl, Config};
use crate::content::{self, Visibility};
use crate::error::{Diagnostic, Error, Result};
use crate::fs::{Hidden, files_under};
use crate::markdown::MarkdownOptions;
use crate::output::{MemorySink, Sink, StagedOutput, resolve_output_dir};
use crate::render::templates::{self, ThemeFile};
use crate::render::{Job, RenderContext, Summaries, set_globals};

/// What a build needs to know beyond the site's files. "Now" is `today`, never the clock.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Defaults to `ROOT/public`.
    pub output_dir: Option<PathBuf>,
    /// Replaces `base_url` of config.toml.
    pub base_url: Option<String>,
    pub drafts: bool,
    pub future: bool,
    pub today: NaiveDate,
    /// What happens to the previous output once the new one is in place.
    pub old_output: OldOutputPolicy,
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
    pub fn new(root: impl Into<PathBuf>, today: NaiveDate) -> Self {
        BuildOptions {
            root: root.into(),
            output_dir: None,
            base_url: None,
            drafts: false,
            future: false,
            today,
            old_output: OldOutputPolicy::Remove,
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
}

/// Builds the site into its output folder, atomically (see [`StagedOutput`]).
pub fn build(opts: &BuildOptions) -> Result<BuildSummary> {
    if !opts.root.is_dir() {
        return Err(Error::refused(&opts.root, "站点目录不存在"));
    }
    let target = resolve_output_dir(&opts.root, &opts.output_dir())?;
    let (staged, stuck) = StagedOutput::begin(&target)?;
    let sink = staged.sink();
    let (summary, diags) = run(opts, Mode::Write(&sink))?;
    trace("rendered and written");
    let (errors, mut warnings): (Vec<_>, Vec<_>) =
        diags.into_iter().partition(Diagnostic::is_error);
    if !errors.is_empty() {
        // `staged` is dropped here: the temporary folder goes, the old output stays.
        return Err(Error::Site(errors.into_iter().chain(warnings).collect()));
    }
    let old = staged.commit()?;
    trace("swapped in");
    warnings.extend(
        stuck
            .iter()
            .map(|(path, e)| not_removed(&opts.root, path, e)),
    );
    if let Some(old) = old {
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

/// The new output is in place, but an old one could not be deleted: a warning, not a failure.
fn not_removed(root: &Path, path: &Path, e: &std::io::Error) -> Diagnostic {
    let shown = path
        .strip_prefix(root)
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_else(|_| path.display().to_string());
    Diagnostic::warning(
        "io",
        shown,
        format!("新网站已生成，但无法删除旧的输出目录：{e}"),
    )
    .hint("可以手动删除它；下次构建时也会再试")
}

/// Builds in memory, runs every check, and returns every diagnostic sorted by file and line.
pub fn check(opts: &BuildOptions, checks: &CheckOptions) -> Result<Vec<Diagnostic>> {
    match run(opts, Mode::Check(checks)) {
        Ok((_, diags)) => Ok(diags),
        Err(Error::Site(diags)) => Ok(sorted(diags)),
        Err(e) => Err(e),
    }
}

/// Output files by site-relative path.
pub type OutputFiles = BTreeMap<String, Vec<u8>>;

/// Builds into memory and returns the output files (for tests and tools).
pub fn build_in_memory(opts: &BuildOptions) -> Result<(OutputFiles, Vec<Diagnostic>)> {
    let sink = MemorySink::with_bytes();
    let (_, diags) = run(opts, Mode::Write(&sink))?;
    Ok((sink.into_files(), diags))
}

pub(crate) fn sorted(mut diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diags.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diags.dedup();
    diags
}

/// With `TONGXIN_TRACE` set, prints how long the build has run at each stage (for benchmarks).
pub fn trace(stage: &str) {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    let start = *START.get_or_init(std::time::Instant::now);
    if std::env::var_os("TONGXIN_TRACE").is_some() {
        eprintln!("[trace] {:>6} ms  {stage}", start.elapsed().as_millis());
    }
}

/// The recipe. Collects every diagnostic it can before giving up; `Err` only when nothing
/// further can be checked (config unreadable, templates unparsable, I/O).
/// Whether a run writes its outputs or checks the site.
enum Mode<'s> {
    Write(&'s dyn Sink),
    Check(&'s CheckOptions),
}

fn run(opts: &BuildOptions, mode: Mode) -> Result<(BuildSummary, Vec<Diagnostic>)> {
    trace("start");
    let mut config = Config::load(&opts.root)?;
    if let Some(url) = &opts.base_url {
        config.base_url = url.clone();
    }
    let base = BaseUrl::parse(&config.base_url)
        .map_err(|m| Error::one(Diagnostic::error("config", "--base-url", m)))?;
    let loaded = content::load::load(&opts.root)?;
    let mut diags = loaded.diags;
    let vis = Visibility {
        today: opts.today,
        drafts: opts.drafts,
        future: opts.future,
    };
    trace("content read");
    let (site, mut resolve_diags) = content::resolve(loaded.files, loaded.assets, &config, vis);
    trace("site resolved");
    diags.append(&mut resolve_diags);
    let mut templates = match templates::load(&opts.root, &config) {
        Ok(t) => t,
        Err(Error::Site(mut t)) => {
            diags.append(&mut t);
            return Err(Error::Site(sorted(diags)));
        }
        Err(e) => return Err(e),
    };
    let md = MarkdownOptions {
        base_path: &base.path,
        unsafe_html: config.markdown.unsafe_html,
    };
    let summaries = Summaries::compute(&site, &base, md);
    set_globals(&mut templates, &site, &config, &base);
    let mut ctx = RenderContext::new(&site, &config, &base, &templates, md, &summaries);
    trace("summaries built");
    let jobs = ctx.jobs();
    let copies = collecting(planned_copies(&opts.root, &config, &site), &mut diags)?;
    diags.extend(duplicate_outputs(&ctx, &jobs, &copies));
    let sink = match mode {
        Mode::Write(sink) => sink,
        Mode::Check(checks) => {
            ctx.collect_anchors();
            let memory = MemorySink::paths_only();
            let mut render_diags = render_all(&ctx, &jobs, &memory)?;
            diags.append(&mut render_diags);
            let mut outputs: std::collections::BTreeSet<String> =
                memory.into_files().into_keys().collect();
            outputs.extend(copies.iter().map(|c| c.out.clone()));
            let input = crate::check::Input {
                root: &opts.root,
                site: &site,
                config: &config,
                base: &base,
                outputs: &outputs,
                anchors: ctx.anchors(),
                duplicate_ids: ctx.duplicate_ids(),
                today: opts.today,
                options: checks,
            };
            diags.extend(crate::check::run(&input)?);
            return Ok((BuildSummary::default(), sorted(diags)));
        }
    };
    if diags.iter().any(Diagnostic::is_error) {
        // Still render, so template errors on good pages are reported with the rest.
        let mut render_diags = render_all(&ctx, &jobs, &MemorySink::paths_only())?;
        diags.append(&mut render_diags);
        return Err(Error::Site(sorted(diags)));
    }
    let mut render_diags = render_all(&ctx, &jobs, sink)?;
    trace("pages rendered");
    diags.append(&mut render_diags);
    let search_files = if config.search.enabled {
        ctx.write_search_index(sink)?.files
    } else {
        0
    };
    trace("search index written");
    copy_all(&copies, sink)?;
    let summary = BuildSummary {
        pages: site.pages.len(),
        sections: site.sections.len(),
        files: jobs.len() + copies.len() + search_files,
        warnings: Vec::new(),
    };
    Ok((summary, sorted(diags)))
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

/// Renders every job in parallel. Template errors become diagnostics; I/O errors stop the build.
pub(crate) fn render_all(
    ctx: &RenderContext,
    jobs: &[Job],
    sink: &dyn Sink,
) -> Result<Vec<Diagnostic>> {
    let results: Vec<Result<()>> = jobs.par_iter().map(|job| ctx.run(job, sink)).collect();
    let mut diags = Vec::new();
    for r in results {
        match r {
            Ok(()) => {}
            Err(Error::Site(mut d)) => diags.append(&mut d),
            Err(e) => return Err(e),
        }
    }
    Ok(diags)
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
}

/// Theme static files, then the site's `static/` (which overrides the theme), then content assets.
pub(crate) fn planned_copies(
    root: &Path,
    config: &Config,
    site: &content::Site,
) -> Result<Vec<Copy>> {
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
    let mut copies: Vec<Copy> = by_out.into_values().collect();
    for (rel, out_path) in &site.assets {
        copies.push(Copy {
            out: out_path.trim_start_matches('/').to_string(),
            from: CopyFrom::Disk(root.join(rel)),
            source: rel.clone(),
        });
    }
    Ok(copies)
}

pub(crate) fn copy_all(copies: &[Copy], sink: &dyn Sink) -> Result<()> {
    copies.par_iter().try_for_each(|c| match &c.from {
        CopyFrom::Disk(p) => sink.copy_file(&c.out, p),
        CopyFrom::Embedded(b) => sink.write(&c.out, b),
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
pub(crate) fn duplicate_outputs(
    ctx: &RenderContext,
    jobs: &[Job],
    copies: &[Copy],
) -> Vec<Diagnostic> {
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let mut diags = Vec::new();
    let targets = jobs
        .iter()
        .map(|j| ctx.target(j))
        .chain(copies.iter().map(|c| (c.out.clone(), c.source.clone())));
    let index_dir = ctx
        .config
        .search
        .enabled
        .then_some(crate::search::INDEX_DIR);
    for (out, source) in targets {
        if let Some(dir) = index_dir.filter(|d| out.starts_with(d)) {
            diags.push(
                Diagnostic::error(
                    "duplicate-url",
                    &source,
                    format!("与搜索索引输出到同一目录 /{dir}，会使站内搜索失效"),
                )
                .hint("把这个文件移到别的目录；/search/index/ 留给搜索索引"),
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
            diags.push(
                Diagnostic::error(
                    "duplicate-url",
                    file,
                    format!("与 {other} 输出到同一网址 {url}"),
                )
                .hint("修改其中一个的 slug 或文件名"),
            );
        } else {
            seen.insert(out, source);
        }
    }
    diags
}
