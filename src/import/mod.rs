//! `tongxin import FILE.docx`: a Word/WPS document → a draft page of a section, with its
//! images written beside it, then what `check` finds in them.
//!
//! The stages are plain data, as in the build: bytes → [`docx::Document`] (the package read,
//! [`docx`], [`walk`]) → title, date and labelled lines ([`convert::meta`]) → the target paths
//! (named as `new` names them) → Markdown ([`convert::body`], [`inline`]) → files. Nothing is
//! written until the whole conversion succeeded, and each file is written atomically (a
//! temporary file beside it, then a rename); an existing file is never overwritten.
//!
//! The page is a draft (`draft = true`), like the files `new` writes: an imported document
//! still needs a person to read it — the title guessed, the pictures' alt text, the 错敏词
//! `check` reports — before it goes public.

mod convert;
mod dates;
mod docx;
mod inline;
mod walk;
mod xml;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::build::{BuildOptions, CheckOptions};
use crate::config::Config;
use crate::content::SectionKind;
use crate::error::{Diagnostic, Error, Result};
use crate::scaffold;

pub mod sections;

/// What `import` is asked to do.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The site root.
    pub root: PathBuf,
    /// The .docx file (as given: relative to the current directory).
    pub file: PathBuf,
    /// A section path under `content/` (`news/yaowen`); `None`: the default news section.
    pub section: Option<String>,
    /// "Today": the page's date when the document gives none, and `check`'s today.
    pub today: Option<NaiveDate>,
}

/// What `import` wrote and what `check` found in it.
#[derive(Debug)]
pub struct Imported {
    /// The page, relative to the site root, `/`-separated.
    pub page: String,
    /// The images written beside it, the same way.
    pub images: Vec<String>,
    /// The section used, and whether it was chosen because none was given.
    pub section: String,
    pub section_defaulted: bool,
    /// What staff should know about the conversion (a guessed title or date, images left
    /// out), in the order found.
    pub notes: Vec<Note>,
    /// `check`'s findings in the page and its images (drafts included).
    pub findings: Vec<Diagnostic>,
    /// Set when `check` itself could not run (a broken config, another page's error).
    pub check_failed: Option<String>,
}

/// Something the import had to guess or leave out; shown to staff as one line each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// No usable title in the document: the file's name is the title.
    TitleFromFile(String),
    /// No date in the document: today's is the page's.
    DateToday(NaiveDate),
    /// The document's date (as written) does not exist: today's is the page's.
    NoSuchDay(String, NaiveDate),
    /// The N-th picture of the document (from 1) links to a file outside it (the target).
    LinkedImage(usize, String),
    /// An image part in a format browsers cannot show (EMF, WMF), by its part's name.
    UnsupportedImage(String),
}

impl std::fmt::Display for Note {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Note::TitleFromFile(title) => write!(
                f,
                "文档中没有找到可用的标题，已用文件名“{title}”作为标题；请在新文件中修改 title 一行"
            ),
            Note::DateToday(today) => write!(
                f,
                "文档中没有找到日期，稿件日期用了今天（{today}）；请核对新文件中的 date 一行"
            ),
            Note::NoSuchDay(text, today) => write!(
                f,
                "文档中的日期“{text}”不存在，稿件日期用了今天（{today}），这一行留在正文中；请核对新文件中的 date 一行"
            ),
            Note::LinkedImage(n, target) => write!(
                f,
                "文档中的第 {n} 张图片链接到外部文件 {target}，没有导入；请在 Word 中用“插入 → 图片”把它放进文档后重新导入"
            ),
            Note::UnsupportedImage(name) => write!(
                f,
                "文档中的图片 {name} 是浏览器无法显示的格式，未导入；可在 Word 中把它另存为 JPG 或 PNG 后插入稿件"
            ),
        }
    }
}

/// Formats browsers show, by the media part's extension, and the extension written.
const IMAGE_TYPES: &[(&str, &str)] = &[
    ("jpg", "jpg"),
    ("jpeg", "jpg"),
    ("png", "png"),
    ("gif", "gif"),
    ("webp", "webp"),
    ("bmp", "bmp"),
];

/// Converts `opts.file` into a draft page and checks it. Errors (exit 1, nothing written): the
/// file is missing, is a Word 97 `.doc` or `.wps`, is not a .docx or is corrupt; the section
/// does not exist; the page or an image file exists already.
pub fn import(opts: &ImportOptions) -> Result<Imported> {
    let bytes = read_input(&opts.file)?;
    let config = Config::load(&opts.root)?;
    let offset = config.offset();
    let today = opts.today.unwrap_or_else(|| crate::build::today_in(offset));
    let (section, section_defaulted) = sections::choose(&opts.root, opts.section.as_deref())?;
    let mut doc = docx::read(&bytes).map_err(|e| Error::refused(&opts.file, e.to_string()))?;
    let file_title = stem_title(&opts.file);
    doc.core_title = doc
        .core_title
        .filter(|t| !convert::placeholder_title(t, &file_title));
    let kind = scaffold::section_kind(&opts.root, &section);
    let meta = convert::meta(&doc, fields_of(kind), offset);
    let mut notes = Vec::new();
    let title = meta.title.clone().unwrap_or_else(|| {
        notes.push(Note::TitleFromFile(file_title.clone()));
        file_title
    });
    let date = meta.date.unwrap_or_else(|| {
        if fields_of(kind).date {
            notes.push(match &meta.bad_date {
                Some(text) => Note::NoSuchDay(text.clone(), today),
                None => Note::DateToday(today),
            });
        }
        today
    });
    let (page_path, _) = scaffold::page_path(&opts.root, &section, &title, date)?;
    let stem = page_stem(&page_path, kind);
    let (names, skipped) = image_names(&doc, &stem);
    notes.extend(skipped);
    let dir_url = crate::content::url_path_of_dir(&section);
    let image_ref = |rel: &str, alt: Option<&str>| {
        let name = names.get(rel)?;
        Some((
            format!("{dir_url}{name}"),
            alt.unwrap_or(&title).to_string(),
        ))
    };
    let body = convert::body(&doc, &meta.used, &image_ref);
    let dir = opts.root.join("content").join(&section);
    let extra = match kind {
        // After the series' last article, as `new` puts it.
        SectionKind::Wenshi => format!("weight = {}\n", scaffold::next_weight(&dir)),
        SectionKind::Members => member_sector(&config.members.sectors),
        _ => String::new(),
    };
    let text = front_matter(kind, &title, &meta, date, &extra) + "\n" + &body;
    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    for (rel, name) in &names {
        files.push((dir.join(name), doc.images[rel].bytes.clone()));
    }
    files.push((page_path.clone(), text.into_bytes()));
    write_all(&opts.root, &files)?;
    let rel = |p: &Path| site_rel(&opts.root, p);
    let mut imported = Imported {
        page: rel(&page_path),
        images: names.values().map(|n| rel(&dir.join(n))).collect(),
        section,
        section_defaulted,
        notes,
        findings: Vec::new(),
        check_failed: None,
    };
    check_page(opts, today, &mut imported);
    Ok(imported)
}

/// The file's bytes, after refusing what is not a .docx: a missing file, Word 97 or WPS
/// binary files (OLE, whatever their extension), anything that is not a zip.
fn read_input(file: &Path) -> Result<Vec<u8>> {
    if !file.is_file() {
        return Err(Error::refused(file, "找不到要导入的文件"));
    }
    let bytes = std::fs::read(file).map_err(|e| Error::io(file, "无法读取文件", e))?;
    const OLE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    if bytes.starts_with(&OLE) {
        let wps = file
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("wps"));
        let message = if wps {
            "这是 WPS 文字的旧格式文件（.wps），请在 WPS 中“另存为” .docx 后再导入"
        } else {
            "这是旧版 Word 文件（.doc），请在 Word 或 WPS 中“另存为” .docx 后再导入"
        };
        return Err(Error::refused(file, message));
    }
    if !bytes.starts_with(b"PK") {
        return Err(Error::refused(
            file,
            "不是 .docx 文件，请在 Word 或 WPS 中“另存为” .docx 后再导入",
        ));
    }
    Ok(bytes)
}

/// Which labelled lines go into the front matter for `kind` (the fields SPEC gives it).
fn fields_of(kind: SectionKind) -> convert::Fields {
    let news = matches!(kind, SectionKind::News | SectionKind::Topic);
    let wenshi = kind == SectionKind::Wenshi;
    convert::Fields {
        date: news || wenshi,
        source: news || wenshi,
        author: news || wenshi,
        editor: news,
    }
}

/// A title from the file name when the document has none (`稿件.docx` → `稿件`).
fn stem_title(file: &Path) -> String {
    file.file_stem()
        .map(|s| s.to_string_lossy().trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "导入的文档".to_string())
}

/// The page's slug part of its file name: `2026-11-20-slug.md` → `slug`.
fn page_stem(path: &Path, kind: SectionKind) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    match kind {
        SectionKind::News | SectionKind::Topic | SectionKind::Wenshi => {
            crate::dates::split_date_prefix(&stem)
                .map(|(_, rest)| rest.to_string())
                .unwrap_or(stem)
        }
        _ => stem,
    }
}

/// `SLUG-1.jpg`, `SLUG-2.png` … for the document's images in order of appearance (one file
/// per image part, however often it is shown), and notes on the images skipped: linked to
/// an outside file, or in a format browsers cannot show.
fn image_names(doc: &docx::Document, stem: &str) -> (BTreeMap<String, String>, Vec<Note>) {
    let mut names = BTreeMap::new();
    let mut by_part: BTreeMap<String, String> = BTreeMap::new();
    let mut skipped = Vec::new();
    for (i, rel) in walk::image_rels(&doc.blocks).into_iter().enumerate() {
        if let Some(target) = doc.linked.get(&rel) {
            skipped.push(Note::LinkedImage(i + 1, target.clone()));
            continue;
        }
        let Some(media) = doc.images.get(&rel) else {
            continue;
        };
        if names.contains_key(&rel) {
            continue;
        }
        if let Some(name) = by_part.get(&media.name) {
            names.insert(rel, name.clone());
            continue;
        }
        let ext = media
            .name
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .unwrap_or_default();
        match IMAGE_TYPES.iter().find(|(from, _)| *from == ext) {
            Some((_, to)) => {
                let name = format!("{stem}-{}.{to}", by_part.len() + 1);
                by_part.insert(media.name.clone(), name.clone());
                names.insert(rel, name);
            }
            None => skipped.push(Note::UnsupportedImage(media.name.clone())),
        }
    }
    (names, skipped)
}

/// A TOML basic string.
fn toml_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The front matter: the fields of the section's kind that the document filled, `extra`
/// lines (a 文史 article's `weight`, a member's `sector`), and `draft = true`.
fn front_matter(
    kind: SectionKind,
    title: &str,
    meta: &convert::Meta,
    date: NaiveDate,
    extra: &str,
) -> String {
    let mut fm = format!("+++\ntitle = {}\n", toml_str(title));
    if matches!(
        kind,
        SectionKind::News | SectionKind::Topic | SectionKind::Wenshi
    ) {
        fm.push_str(&format!("date = {}\n", date.format("%Y-%m-%d")));
    }
    for (key, value) in [
        ("author", &meta.author),
        ("source", &meta.source),
        ("editor", &meta.editor),
    ] {
        if let Some(v) = value {
            fm.push_str(&format!("{key} = {}\n", toml_str(v)));
        }
    }
    fm.push_str(extra);
    fm.push_str("draft = true\n+++\n");
    fm
}

/// A member's required `sector`: config's first, with the others named for staff to choose.
fn member_sector(sectors: &[String]) -> String {
    format!(
        "sector = {}   # 界别，可选：{}\n",
        toml_str(sectors.first().map_or("", String::as_str)),
        sectors.join("、")
    )
}

/// `path` relative to the site root, `/`-separated.
fn site_rel(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// Writes every file atomically, refusing to replace any; on a failure, removes those
/// already written, so nothing is left half done.
fn write_all(root: &Path, files: &[(PathBuf, Vec<u8>)]) -> Result<()> {
    if let Some((p, _)) = files.iter().find(|(p, _)| p.exists()) {
        return Err(Error::refused(site_rel(root, p), "文件已存在，未覆盖"));
    }
    let mut written: Vec<&Path> = Vec::new();
    for (path, bytes) in files {
        if let Err(e) = write_new(path, bytes) {
            for p in written {
                let _ = std::fs::remove_file(p);
            }
            return Err(Error::io(path, "无法写入文件", e));
        }
        written.push(path);
    }
    Ok(())
}

/// Writes `bytes` to a temporary file beside `path`, then moves it to `path` unless `path`
/// appeared meanwhile (a hard link fails on an existing target, where a rename would replace).
fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = std::fs::write(&tmp, bytes).and_then(|()| match std::fs::hard_link(&tmp, path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(e),
        // A file system without hard links: a rename, after checking again.
        Err(_) if !path.exists() => std::fs::rename(&tmp, path),
        Err(e) => Err(e),
    });
    let _ = std::fs::remove_file(&tmp);
    result
}

/// Runs `check` with drafts included and keeps what it finds in the page and its images.
fn check_page(opts: &ImportOptions, today: NaiveDate, imported: &mut Imported) {
    let mut build = BuildOptions::for_site(&opts.root, Some(today));
    build.drafts = true;
    match crate::build::check(&build, &CheckOptions::default()) {
        Ok(diags) => {
            imported.findings = diags
                .into_iter()
                .filter(|d| d.file == imported.page || imported.images.contains(&d.file))
                .collect();
        }
        Err(e) => imported.check_failed = Some(e.to_string()),
    }
}
