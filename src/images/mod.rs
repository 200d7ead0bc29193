//! Images published from `content/` and `static/` (JPEG and PNG; the theme's own files are
//! left alone). Two stages:
//!
//! - [`ImageTable::scan`], in `prepare`: reads each image's header only (size, EXIF
//!   orientation) and works out the size it is published at and the cover thumbnails, so that
//!   pages can write `width` and `height` before anything is decoded. The table is an input of
//!   rendering: it reaches Markdown through [`crate::markdown::MarkdownOptions`] and lists
//!   through the summaries, and its hash is part of every fingerprint.
//! - [`publish`], with the copies: writes each image as [`process`] makes it, or reuses the
//!   previous build's output when neither the source bytes nor the settings changed
//!   ([`manifest`]).

pub mod jpeg;
pub mod manifest;
pub mod process;

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::content::Site;
use crate::error::{Code, Diagnostic, Result};
use crate::fs::{Hidden, files_under};
pub use process::{Header, Kind, Size, THUMB_WIDTH};

/// What a published image is made with, besides its source bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Settings {
    /// `[images] max_width`, in pixels.
    pub max_width: u32,
}

impl Settings {
    pub fn of(config: &Config) -> Settings {
        Settings {
            max_width: *config.images.max_width.get_ref(),
        }
    }
}

/// One image to publish.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Source {
    /// The source file, site-relative (`static/images/a.jpg`), as diagnostics name it.
    pub rel: String,
    pub path: PathBuf,
    /// Output path, relative to the output folder (`images/a.jpg`).
    pub out: String,
    pub header: Header,
    /// Output path of its thumbnail, when it is a cover wider than a thumbnail.
    pub thumb: Option<String>,
    /// The file's length and modification time when its header was read (`serve` reads a
    /// header again only when they change).
    pub stamp: (u64, Option<std::time::SystemTime>),
}

/// Every image published from `content/` and `static/`, by site path (`/images/a.jpg`), with
/// its published size. Hashes as a hash of all of it, made once.
#[derive(Debug, Default)]
pub struct ImageTable {
    pub sources: Vec<Source>,
    by_path: HashMap<String, usize>,
    settings: Option<Settings>,
    hash: u64,
}

impl Hash for ImageTable {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.hash.hash(state);
    }
}

impl ImageTable {
    /// Reads the header of every JPEG, PNG and SVG that `static/` publishes, and of those in
    /// `content/` that a page links (`base_path`: `/sub` or empty).
    /// An unreadable one is a warning (`image`) and is copied as it is.
    pub fn scan(
        root: &Path,
        config: &Config,
        site: &Site,
        base_path: &str,
    ) -> Result<(ImageTable, Vec<Diagnostic>)> {
        Self::scan_reusing(root, config, site, base_path, &ImageTable::default())
    }

    /// [`scan`](Self::scan), taking the header of each file whose length and time are as
    /// `before` recorded them from there instead of reading it again.
    pub fn scan_reusing(
        root: &Path,
        config: &Config,
        site: &Site,
        base_path: &str,
        before: &ImageTable,
    ) -> Result<(ImageTable, Vec<Diagnostic>)> {
        let settings = Settings::of(config);
        // Only the files in `content/` a page links are published (see `planned_copies`).
        let linked = crate::content::linked::linked_assets(site, base_path);
        let mut candidates: Vec<(String, PathBuf, String)> = site
            .assets
            .iter()
            .zip(linked)
            .filter(|(_, linked)| *linked)
            .map(|((rel, out), _)| {
                (
                    rel.clone(),
                    root.join(rel),
                    out.trim_start_matches('/').to_string(),
                )
            })
            .collect();
        let statics = files_under(
            root,
            &root.join("static"),
            Hidden::Include,
            "无法读取 static 目录",
        )
        .unwrap_or_default();
        candidates.extend(
            statics
                .into_iter()
                .map(|(rel, path)| (format!("static/{rel}"), path, rel)),
        );
        candidates.retain(|(_, _, out)| Kind::of_name(out).is_some());
        candidates.sort_by(|a, b| a.2.cmp(&b.2));
        candidates.dedup_by(|a, b| a.2 == b.2);
        let read: Vec<std::result::Result<Source, Option<Diagnostic>>> = candidates
            .into_par_iter()
            .map(|(rel, path, out)| {
                let stamp = stamp_of(&path);
                match before.source_of_output(&out) {
                    Some(s) if s.path == path && s.stamp == stamp && s.rel == rel => Ok(Source {
                        thumb: None,
                        ..s.clone()
                    }),
                    _ => read_source(rel, path, out, stamp),
                }
            })
            .collect();
        let (mut sources, mut diags) = (Vec::new(), Vec::new());
        for r in read {
            match r {
                Ok(s) => sources.push(s),
                Err(d) => diags.extend(d),
            }
        }
        let mut table = ImageTable {
            sources,
            settings: Some(settings),
            ..ImageTable::default()
        };
        table.add_thumbnails(site);
        table.index();
        Ok((table, diags))
    }

    /// Gives a thumbnail to every image used as a news `cover` and wider than a thumbnail.
    fn add_thumbnails(&mut self, site: &Site) {
        let Some(settings) = self.settings else {
            return;
        };
        self.index();
        for page in &site.pages {
            let cover = page.meta.kind.news().and_then(|n| n.cover.as_deref());
            let Some(path) = cover.and_then(|c| site_path(c, Some(&page.path))) else {
                continue;
            };
            if let Some(&i) = self.by_path.get(&path) {
                let source = &mut self.sources[i];
                if source.header.thumbnail(settings.max_width).is_some() {
                    source.thumb = Some(thumb_name(&source.out));
                }
            }
        }
    }

    /// Indexes the sources by site path and hashes the table.
    fn index(&mut self) {
        self.by_path = self
            .sources
            .iter()
            .enumerate()
            .map(|(i, s)| (format!("/{}", s.out), i))
            .collect();
        let mut h = std::hash::DefaultHasher::new();
        (&self.sources, self.settings).hash(&mut h);
        self.hash = h.finish();
    }

    /// The published size of the image at `url` as written in a page at `page_path` (or a
    /// site-absolute URL without one).
    pub fn size_of(&self, url: &str, page_path: Option<&str>) -> Option<Size> {
        let source = self.source_at(url, page_path)?;
        Some(source.header.published(self.settings?.max_width))
    }

    /// The thumbnail of the image at `url`: its site path (`/images/a.thumb.jpg`) and size.
    /// `None` when it has none (not a cover, or no wider than a thumbnail).
    pub fn thumbnail_of(&self, url: &str, page_path: Option<&str>) -> Option<(String, Size)> {
        let source = self.source_at(url, page_path)?;
        let size = source.header.thumbnail(self.settings?.max_width)?;
        Some((format!("/{}", source.thumb.as_ref()?), size))
    }

    fn source_at(&self, url: &str, page_path: Option<&str>) -> Option<&Source> {
        let path = site_path(url, page_path)?;
        self.by_path.get(&path).map(|&i| &self.sources[i])
    }

    /// A hash of everything a page's outputs read of this table: the published size of each
    /// image its body shows (`urls`, as written) and of its cover, and the cover's thumbnail.
    /// Part of the page's and its summary's inputs, so that an image changing size renders
    /// again only what shows it.
    pub fn key_for(&self, urls: &[String], cover: Option<&str>, page_path: &str) -> u64 {
        let mut h = rustc_hash::FxHasher::default();
        for url in urls {
            self.size_of(url, Some(page_path)).hash(&mut h);
        }
        if let Some(c) = cover {
            self.size_of(c, Some(page_path)).hash(&mut h);
            self.thumbnail_of(c, Some(page_path)).hash(&mut h);
        }
        h.finish()
    }

    /// The source published at output path `out` (`images/a.jpg`), if it is an image.
    pub fn source_of_output(&self, out: &str) -> Option<&Source> {
        self.by_path
            .get(&format!("/{out}"))
            .map(|&i| &self.sources[i])
    }

    /// The settings the table was made with.
    pub fn settings(&self) -> Option<Settings> {
        self.settings
    }
}

/// The site path (`/images/a.jpg`, percent-decoded, without query or fragment) a local image
/// URL points at; `None` for URLs with a scheme or host, and relative ones without a page.
pub fn site_path(url: &str, page_path: Option<&str>) -> Option<String> {
    let url = url.split(['?', '#']).next()?;
    if url.is_empty() || url.starts_with("//") || url.contains(':') {
        return None;
    }
    let resolved = if url.starts_with('/') {
        crate::markdown::url::resolve_path("/", url)
    } else {
        crate::markdown::url::resolve_path(page_path?, url)
    };
    crate::fs::percent_decode(&resolved)
}

/// `images/a.jpg` → `images/a.thumb.jpg`.
pub fn thumb_name(out: &str) -> String {
    match out.rsplit_once('.') {
        Some((stem, ext)) if !stem.ends_with('/') && !stem.is_empty() => {
            format!("{stem}.thumb.{ext}")
        }
        _ => format!("{out}.thumb"),
    }
}

/// Reads one image's header; a warning when it is no image of its kind. An SVG without a
/// size in pixels (`width="100%"`) is left out without one: it is a drawing meant to fit its
/// box, not a broken file.
fn read_source(
    rel: String,
    path: PathBuf,
    out: String,
    stamp: (u64, Option<std::time::SystemTime>),
) -> std::result::Result<Source, Option<Diagnostic>> {
    let kind = Kind::of_name(&out).unwrap_or(Kind::Jpeg);
    let warn = |why: String| {
        (kind != Kind::Svg).then(|| {
            Diagnostic::warning(Code::Image, &rel, why)
                .hint("图片将原样发布；请用图片软件重新导出后再放入")
        })
    };
    let head = read_head(&path, kind)
        .map_err(|e| warn(format!("无法读取图片：{}", crate::error::io_reason(&e))))?;
    let header = process::read_header(&head, kind).map_err(|why| warn(why.to_string()))?;
    Ok(Source {
        rel,
        path,
        out,
        header,
        thumb: None,
        stamp,
    })
}

/// A file's length and modification time (zero and none when it cannot be read).
fn stamp_of(path: &Path) -> (u64, Option<std::time::SystemTime>) {
    std::fs::metadata(path).map_or((0, None), |m| (m.len(), m.modified().ok()))
}

/// The first bytes of an image, enough for its header: a JPEG's segments up to its image data
/// (big ones skipped, see [`jpeg::read_head`]), a PNG's first chunk, an SVG's first 64 KB.
fn read_head(path: &Path, kind: Kind) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let limit = match kind {
        Kind::Jpeg => {
            let mut r = std::io::BufReader::with_capacity(16 * 1024, file);
            return Ok(jpeg::read_head(&mut r)?.unwrap_or_default());
        }
        Kind::Png => 64,
        Kind::Svg => 64 * 1024,
    };
    let mut bytes = Vec::new();
    (&mut file).take(limit).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// What [`publish`] did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ImageStats {
    /// Images decoded or rewritten this build.
    pub processed: usize,
    /// Images whose outputs were taken over from the previous output.
    pub reused: usize,
}

/// How many images are decoded at once: a 12-megapixel photo takes about 36 MB decoded, so
/// more cores do not mean more memory.
const MAX_PARALLEL: usize = 2;

/// Writes every image of `table` to `sink`: taken over from `previous` (the last output and
/// its manifest) when its source bytes and the settings are as recorded there, else made
/// anew. Returns the new manifest, what was done, and a warning per image that could not be
/// processed (published as it is).
pub fn publish(
    table: &ImageTable,
    previous: Option<&manifest::Previous>,
    sink: &dyn crate::output::Sink,
) -> Result<(manifest::Manifest, ImageStats, Vec<Diagnostic>)> {
    publish_where(table, |_| true, previous, sink)
}

/// [`publish`] for the images of `table` that `wanted` picks (`serve`: those that changed).
pub fn publish_where(
    table: &ImageTable,
    wanted: impl Fn(&Source) -> bool + Sync,
    previous: Option<&manifest::Previous>,
    sink: &dyn crate::output::Sink,
) -> Result<(manifest::Manifest, ImageStats, Vec<Diagnostic>)> {
    let Some(settings) = table.settings else {
        return Ok(Default::default());
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(MAX_PARALLEL.min(rayon::current_num_threads()).max(1))
        .build()
        .map_err(|e| {
            crate::error::Error::io(
                Path::new("."),
                "无法启动图片处理线程",
                std::io::Error::other(e),
            )
        })?;
    let done: Vec<Result<manifest::Published>> = pool.install(|| {
        table
            .sources
            .par_iter()
            .filter(|s| s.header.kind.is_processed() && wanted(s))
            .map(|s| manifest::publish_one(s, settings, previous, sink))
            .collect()
    });
    let mut out = manifest::Manifest::default();
    let mut stats = ImageStats::default();
    let mut diags = Vec::new();
    for d in done {
        let d = d?;
        if d.reused {
            stats.reused += 1;
        } else {
            stats.processed += 1;
        }
        diags.extend(d.warning);
        out.entries.extend(d.entries);
    }
    Ok((out, stats, diags))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_paths_of_image_urls() {
        assert_eq!(
            site_path("/images/a.jpg?x=1", None).as_deref(),
            Some("/images/a.jpg")
        );
        assert_eq!(
            site_path("../%E5%9B%BE.jpg", Some("/news/a/")).as_deref(),
            Some("/news/图.jpg")
        );
        assert_eq!(site_path("a.jpg", None), None);
        assert_eq!(site_path("https://x.cn/a.jpg", None), None);
        assert_eq!(site_path("//x.cn/a.jpg", None), None);
    }

    #[test]
    fn thumbnail_names_keep_the_extension() {
        assert_eq!(thumb_name("images/a.jpg"), "images/a.thumb.jpg");
        assert_eq!(thumb_name("a.b.PNG"), "a.b.thumb.PNG");
    }
}
