//! The editor's JSON API: the tree, pages (open, save, new, rename, delete), preview and checks;
//! uploads are in `upload.rs`, the forms in `form.rs`. Every handler takes plain request data
//! and returns a [`Reply`]; the gate in `mod.rs` has already checked host, token and origin.
//! Paths go through [`paths::resolve`]; files are written atomically (a temporary file beside,
//! then a rename).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde_json::{Value as Json, json};

use super::front_edit::{self, Change, NewValue};
use super::{Editor, Reply, form, paths};
use crate::content::SectionKind;
use crate::content::front_matter::{self, Value};

/// Where the 检查 view writes the HTML report: the site root, beside `config.toml`, never
/// published (only `content/` and `static/` are).
pub const REPORT_FILE: &str = "检查报告.html";

/// Largest page file the editor opens.
const MAX_PAGE: u64 = 2 * 1024 * 1024;

/// Routes an API request.
pub fn dispatch(editor: &Editor, method: &str, path: &str, query: &str, body: &[u8]) -> Reply {
    let q = parse_query(query);
    let name = path.strip_prefix("/_tongxin/api/").unwrap_or("");
    let result = match (method, name) {
        ("GET" | "HEAD", "tree") => tree(editor),
        ("GET" | "HEAD", "page") => open_page(editor, q.get("path").map_or("", String::as_str)),
        ("GET" | "HEAD", "inspect") => inspect(editor),
        ("POST", "upload") => super::upload::upload(editor, &q, body),
        ("POST", _) => match serde_json::from_slice::<Json>(body) {
            Ok(req) => post(editor, name, &req),
            Err(_) => Err(Reply::error("400 Bad Request", "请求内容不是有效的 JSON")),
        },
        _ => Err(Reply::error("404 Not Found", "没有这个接口")),
    };
    result.unwrap_or_else(|reply| reply)
}

fn post(editor: &Editor, name: &str, req: &Json) -> Result<Reply, Reply> {
    // Writes one at a time: a save's version check and its write are one step for every other
    // tab of the editor.
    let _writing = matches!(name, "save" | "new" | "rename" | "delete")
        .then(|| editor.writing.lock().unwrap_or_else(|p| p.into_inner()));
    match name {
        "save" => save(editor, req),
        "new" => new_page(editor, req),
        "rename" => rename(editor, req),
        "delete" => delete(editor, req),
        "preview" => preview(editor, req),
        "check" => check(editor, req),
        "report" => write_report(editor),
        _ => Err(Reply::error("404 Not Found", "没有这个接口")),
    }
}

pub(super) type Handled = Result<Reply, Reply>;

pub(super) fn bad(message: impl Into<String>) -> Reply {
    Reply::error("400 Bad Request", message)
}

fn str_field<'a>(req: &'a Json, key: &str) -> Result<&'a str, Reply> {
    req.get(key)
        .and_then(Json::as_str)
        .ok_or_else(|| bad(format!("缺少 {key}")))
}

fn parse_query(query: &str) -> BTreeMap<String, String> {
    query
        .split('&')
        .filter_map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            Some((
                crate::fs::percent_decode(k)?,
                crate::fs::percent_decode(&v.replace('+', " "))?,
            ))
        })
        .collect()
}

/// A page path from the browser, checked: under `content/`, a Markdown file.
pub(super) fn page_path(editor: &Editor, rel: &str) -> Result<PathBuf, Reply> {
    let path = paths::resolve(&editor.opts.root, rel).map_err(bad)?;
    let name = rel.rsplit('/').next().unwrap_or("");
    if !rel.starts_with("content/") || crate::content::load::markdown_stem(name).is_none() {
        return Err(bad("这不是 content/ 中的 Markdown 页面"));
    }
    Ok(path)
}

/// The page's folder under `content/` (`news/yaowen`), from its site-relative path.
fn section_of(rel: &str) -> &str {
    let in_content = rel.strip_prefix("content/").unwrap_or(rel);
    in_content.rsplit_once('/').map_or("", |(d, _)| d)
}

fn today(editor: &Editor, config: Option<&crate::config::Config>) -> NaiveDate {
    editor.opts.today.unwrap_or_else(|| {
        let offset = config.map_or(crate::config::Timezone::default().offset, |c| c.offset());
        crate::build::today_in(offset)
    })
}

/// A file's version: a hash of its bytes, so any change on disk is noticed.
fn version_of(bytes: &[u8]) -> String {
    format!("{:032x}", twox_hash::XxHash3_128::oneshot(bytes))
}

/// A page's text and version. UTF-8 is taken as it is (BOM and CRLF kept for the save); a file
/// in another encoding the build reads (GB18030/GBK, UTF-16 with BOM) is decoded as the build
/// decodes it, and saved back as UTF-8.
fn read_text(path: &Path, root: &Path) -> Result<(String, String), Reply> {
    let bytes = crate::fs::read_confined(root, path, MAX_PAGE)
        .map_err(|why| Reply::error("404 Not Found", why))?;
    let version = version_of(&bytes);
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let rel = paths::rel_of(root, path);
            crate::content::load::decode(e.as_bytes(), &rel)
                .map(|(text, _)| text)
                .map_err(|d| bad(d.message))?
        }
    };
    Ok((text, version))
}

// ---------------------------------------------------------------------------------------
// The tree of sections and pages

/// A page as the tree lists it.
struct Listed {
    rel: String,
    title: String,
    date: Option<NaiveDate>,
    draft: bool,
    expires: Option<NaiveDate>,
}

fn date_of(v: &Value, offset: chrono::FixedOffset) -> Option<NaiveDate> {
    match v {
        Value::String(s) | Value::Datetime(s) => {
            crate::dates::parse_datetime(s, offset).map(|d| d.date_naive())
        }
        _ => None,
    }
}

fn list_page(root: &Path, path: &Path, offset: chrono::FixedOffset) -> Option<Listed> {
    let rel = paths::rel_of(root, path);
    let name = path.file_name()?.to_str()?;
    let stem = crate::content::load::markdown_stem(name)?;
    let bytes = crate::fs::read_confined(root, path, MAX_PAGE).ok()?;
    let text = String::from_utf8_lossy(&bytes);
    let fields = front_matter::split(&text)
        .ok()
        .and_then(|s| front_matter::parse(&s).ok())
        .unwrap_or_default();
    let get = |k: &str| fields.iter().find(|f| f.key == k).map(|f| &f.value);
    let title = match get("title") {
        Some(Value::String(t)) => t.clone(),
        _ => stem.to_string(),
    };
    let date = get("date")
        .and_then(|v| date_of(v, offset))
        .or_else(|| crate::dates::split_date_prefix(stem).map(|(d, _)| d));
    Some(Listed {
        rel,
        title,
        date,
        draft: matches!(get("draft"), Some(Value::Bool(true))),
        expires: get("expires").and_then(|v| date_of(v, offset)),
    })
}

fn kind_name(kind: SectionKind) -> &'static str {
    match kind {
        SectionKind::News => "news",
        SectionKind::Members => "members",
        SectionKind::Wenshi => "wenshi",
        SectionKind::Proposals => "proposals",
        SectionKind::Topic => "topic",
        SectionKind::Plain => "plain",
    }
}

fn tree(editor: &Editor) -> Handled {
    let root = &editor.opts.root;
    let config = crate::config::Config::load(root).ok();
    let offset = config
        .as_ref()
        .map_or(crate::config::Timezone::default().offset, |c| c.offset());
    let today = today(editor, config.as_ref());
    let mut sections = Vec::new();
    let mut infos = crate::import::sections::list(root);
    // The home folder's own pages (`content/*.md`) too.
    infos.insert(
        0,
        crate::import::sections::SectionInfo {
            path: String::new(),
            title: "首页".into(),
            weight: 0,
            kind: SectionKind::Plain,
            has_children: true,
        },
    );
    for info in infos {
        let dir = root.join("content").join(&info.path);
        let mut pages: Vec<Listed> = std::fs::read_dir(&dir)
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok())
                    .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                    .filter(|e| {
                        let name = e.file_name();
                        let name = name.to_string_lossy();
                        !name.starts_with('.') && name != "_index.md"
                    })
                    .filter_map(|e| list_page(root, &e.path(), offset))
                    .collect()
            })
            .unwrap_or_default();
        // Newest first; undated pages after, by title.
        pages.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.title.cmp(&b.title)));
        let depth = if info.path.is_empty() {
            0
        } else {
            info.path.matches('/').count() + 1
        };
        let index = format!(
            "content/{}{}_index.md",
            info.path,
            if info.path.is_empty() { "" } else { "/" }
        );
        sections.push(json!({
            "path": info.path,
            "title": info.title,
            "kind": kind_name(info.kind),
            "depth": depth,
            "index": index,
            "pages": pages.iter().map(|p| json!({
                "path": p.rel,
                "title": p.title,
                "date": p.date.map(|d| d.to_string()),
                "draft": p.draft,
                "future": p.date.is_some_and(|d| d > today),
                "expired": p.expires.is_some_and(|d| d < today),
            })).collect::<Vec<_>>(),
        }));
    }
    let sectors = config.map(|c| c.members.sectors).unwrap_or_default();
    Ok(Reply::ok(json!({
        "sections": sections,
        "today": today.to_string(),
        "sectors": sectors,
    })))
}

// ---------------------------------------------------------------------------------------
// One page: its fields, the form for its kind, and saving

/// The names of every member page (the `title` of pages in `members` sections).
fn member_names(root: &Path) -> Vec<String> {
    let mut names = Vec::new();
    for info in crate::import::sections::list(root) {
        if info.kind != SectionKind::Members {
            continue;
        }
        let dir = root.join("content").join(&info.path);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.filter_map(|e| e.ok()) {
            let name = e.file_name().to_string_lossy().into_owned();
            if name == "_index.md" || name.starts_with('.') {
                continue;
            }
            // Only the title is wanted: the offset does not matter.
            let offset = crate::config::Timezone::default().offset;
            if let Some(l) = list_page(root, &e.path(), offset) {
                names.push(l.title);
            }
        }
    }
    names.sort();
    names.dedup();
    names
}

fn open_page(editor: &Editor, rel: &str) -> Handled {
    let root = &editor.opts.root;
    let path = page_path(editor, rel)?;
    let (text, version) = read_text(&path, root)?;
    let text_no_bom = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let split = front_matter::split(text_no_bom).map_err(|e| {
        bad(format!(
            "无法读取 front matter：第 {} 行：{}",
            e.pos.line, e.message
        ))
    })?;
    let fields = front_matter::parse(&split).map_err(|e| {
        bad(format!(
            "front matter 有误：第 {} 行：{}（请先在文本编辑器中改正）",
            e.pos.line, e.message
        ))
    })?;
    let config = crate::config::Config::load(root).ok();
    let section = section_of(rel);
    let name = rel.rsplit('/').next().unwrap_or("");
    let is_index = name == "_index.md";
    let kind = crate::scaffold::section_kind(root, section);
    let values: serde_json::Map<String, Json> = fields
        .iter()
        .map(|f| (f.key.clone(), f.value.to_json()))
        .collect();
    let stem = crate::content::load::markdown_stem(name).unwrap_or(name);
    let file_date = crate::dates::split_date_prefix(stem).map(|(d, _)| d.to_string());
    let mut schema: Vec<Json> = form::fields_of(kind, is_index)
        .iter()
        .map(|d| form::input_json(d, config.as_ref()))
        .collect();
    if !is_index && let Some(config) = &config {
        schema.extend(form::taxonomy_inputs(config));
    }
    let body = split.body.replace("\r\n", "\n");
    Ok(Reply::ok(json!({
        "path": rel,
        "section": section,
        "kind": kind_name(kind),
        "is_index": is_index,
        "format": match split.format { front_matter::Format::Toml => "toml", front_matter::Format::Yaml => "yaml" },
        "fields": values,
        "schema": schema,
        "file_date": file_date,
        "slug": crate::dates::split_date_prefix(stem).map_or(stem, |(_, s)| s),
        "body": body,
        "body_line": split.body_line,
        "version": version,
        "members": member_names(root),
        "url": page_url(section, stem, &values),
    })))
}

/// The page's address on the site (for the 查看 link), by SPEC's slug rule.
fn page_url(section: &str, stem: &str, values: &serde_json::Map<String, Json>) -> String {
    let dir = crate::content::url_path_of_dir(section);
    if stem == "_index" {
        return dir;
    }
    let slug = values
        .get("slug")
        .and_then(Json::as_str)
        .map(str::to_string)
        .unwrap_or_else(|| stem_slug(stem));
    format!("{dir}{}/", crate::content::slug::slugify(&slug))
}

/// The form's changes as front-matter edits: `[[key, value or null], …]`.
fn changes_of(req: &Json) -> Result<Vec<Change>, Reply> {
    let Some(list) = req.get("changes").and_then(Json::as_array) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for item in list {
        let (Some(key), Some(value)) = (item.get(0).and_then(Json::as_str), item.get(1)) else {
            return Err(bad("字段修改的格式有误"));
        };
        let is_date = matches!(key, "date" | "expires" | "updated");
        let value = match value {
            Json::Null => None,
            Json::Bool(b) => Some(NewValue::Bool(*b)),
            Json::Number(n) => Some(NewValue::Int(n.as_i64().ok_or_else(|| bad("数字无效"))?)),
            Json::String(s) if is_date && s.is_empty() => None,
            Json::String(s) if is_date => Some(NewValue::Date(
                NaiveDate::parse_from_str(s, "%Y-%m-%d")
                    .map_err(|_| bad(format!("日期 `{s}` 无效")))?,
            )),
            Json::String(s) => Some(NewValue::Str(s.clone())),
            Json::Array(items) => Some(NewValue::List(
                items
                    .iter()
                    .filter_map(Json::as_str)
                    .map(str::to_string)
                    .collect(),
            )),
            Json::Object(_) => return Err(bad("字段值的格式有误")),
        };
        out.push((key.to_string(), value));
    }
    Ok(out)
}

/// The page's text with the request's changes and body applied, and the text on disk.
fn edited_text(
    editor: &Editor,
    rel: &str,
    req: &Json,
) -> Result<(PathBuf, String, String, String), Reply> {
    let path = page_path(editor, rel)?;
    let (disk, version) = read_text(&path, &editor.opts.root)?;
    let changes = changes_of(req)?;
    let body = str_field(req, "body")?;
    let (bom, rest) = match disk.strip_prefix('\u{feff}') {
        Some(rest) => ("\u{feff}", rest),
        None => ("", disk.as_str()),
    };
    let text = front_edit::apply(rest, &changes, body).map_err(bad)?;
    Ok((path, format!("{bom}{text}"), disk, version))
}

fn save(editor: &Editor, req: &Json) -> Handled {
    let rel = str_field(req, "path")?;
    let base = str_field(req, "version")?;
    let (path, text, disk, version) = edited_text(editor, rel, req)?;
    if version != base {
        return Err(Reply::json(
            "409 Conflict",
            &json!({
                "error": "保存被拒绝：这个文件在打开之后被修改过（可能是别人或别的程序改的）",
                "disk_text": disk,
                "mine_text": text,
                "disk_version": version,
            }),
        ));
    }
    readable(&text)?;
    write_atomic(&path, text.as_bytes()).map_err(|e| Reply::io_failed("无法保存", &e))?;
    Ok(Reply::ok(json!({ "version": version_of(text.as_bytes()) })))
}

/// Refuses a text whose front matter the site could not read (a key twice, a value the
/// format does not allow): saved, it would stop the site from building and could not be
/// opened here again.
fn readable(text: &str) -> Result<(), Reply> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    front_matter::split(text)
        .and_then(|split| front_matter::parse(&split))
        .map(|_| ())
        .map_err(|e| {
            bad(format!(
                "保存被拒绝：这样修改后稿件信息第 {} 行无法读取（{}），文件未改动",
                e.pos.line, e.message
            ))
        })
}

/// Writes `bytes` to `path` so that readers see the old file or the new one, never a part:
/// a hidden temporary file in the same folder (which the build skips), synced, then renamed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path.parent().ok_or(std::io::ErrorKind::InvalidInput)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.{}.tongxin-tmp", std::process::id()));
    let result = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

fn new_page(editor: &Editor, req: &Json) -> Handled {
    let root = &editor.opts.root;
    let section = str_field(req, "section")?.trim_matches('/');
    let title = str_field(req, "title")?.trim();
    if title.is_empty() {
        return Err(bad("请填写标题"));
    }
    // The section must be a plain path under content/ (scaffold checks its `_index.md`).
    paths::check_syntax(&format!("content/{section}/x.md")).map_err(bad)?;
    let opt = |k: &str| {
        req.get(k)
            .and_then(Json::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let date = match opt("date") {
        Some(d) => Some(
            NaiveDate::parse_from_str(&d, "%Y-%m-%d")
                .map_err(|_| bad(format!("日期 `{d}` 无效")))?,
        ),
        None => editor.opts.today,
    };
    let args = crate::scaffold::NewPage {
        sector: opt("sector"),
        committee: opt("committee"),
        today: date,
    };
    let path =
        crate::scaffold::new_page(root, section, title, &args).map_err(|e| bad(e.to_string()))?;
    Ok(Reply::ok(json!({ "path": paths::rel_of(root, &path) })))
}

fn rename(editor: &Editor, req: &Json) -> Handled {
    let root = &editor.opts.root;
    let rel = str_field(req, "path")?;
    let path = page_path(editor, rel)?;
    let name = rel.rsplit('/').next().unwrap_or("");
    if name == "_index.md" {
        return Err(bad("栏目首页不能改名"));
    }
    let slug = crate::content::slug::slugify(str_field(req, "slug")?);
    if slug.is_empty() {
        return Err(bad("新的网址名称不能为空"));
    }
    let stem = crate::content::load::markdown_stem(name).unwrap_or(name);
    let ext = &name[stem.len()..];
    let new_name = match crate::dates::split_date_prefix(stem) {
        Some((d, _)) => format!("{}-{slug}{ext}", d.format("%Y-%m-%d")),
        None => format!("{slug}{ext}"),
    };
    let target = path.with_file_name(&new_name);
    if !path.is_file() {
        return Err(Reply::error("404 Not Found", "文件不存在"));
    }
    if target.exists() {
        return Err(Reply::error(
            "409 Conflict",
            format!("已有同名文件 {new_name}"),
        ));
    }
    if let Some(other) = same_address(&path, &slug) {
        return Err(Reply::error(
            "409 Conflict",
            format!("网址 {slug} 已被 {other} 使用，请换一个"),
        ));
    }
    std::fs::rename(&path, &target).map_err(|e| Reply::io_failed("无法改名", &e))?;
    Ok(Reply::ok(json!({ "path": paths::rel_of(root, &target) })))
}

/// Another page in `page`'s folder whose file name gives the address `slug` (its date prefix
/// aside), which a rename to `slug` would collide with.
fn same_address(page: &std::path::Path, slug: &str) -> Option<String> {
    let dir = page.parent()?;
    std::fs::read_dir(dir).ok()?.flatten().find_map(|entry| {
        let name = entry.file_name().to_string_lossy().into_owned();
        let stem = crate::content::load::markdown_stem(&name)?;
        (stem_slug(stem) == slug && entry.path() != page).then_some(name)
    })
}

/// The address a file name gives a page without a `slug` field: its stem, date prefix aside,
/// as a slug (the build's rule).
fn stem_slug(stem: &str) -> String {
    let rest = crate::dates::split_date_prefix(stem).map_or(stem, |(_, s)| s);
    crate::content::slug::slugify(rest)
}

/// Moves a file to `.trash/DATE-TIME/…` under the site root, keeping its path: never gone.
fn delete(editor: &Editor, req: &Json) -> Handled {
    let root = &editor.opts.root;
    let rel = str_field(req, "path")?;
    let path = paths::resolve(root, rel).map_err(bad)?;
    if !std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
        return Err(Reply::error("404 Not Found", "文件不存在"));
    }
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S").to_string();
    let mut target = root.join(".trash").join(&stamp).join(rel);
    let mut n = 2;
    while target.exists() {
        target = root.join(".trash").join(format!("{stamp}-{n}")).join(rel);
        n += 1;
    }
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Reply::io_failed("无法创建回收站", &e))?;
    }
    std::fs::rename(&path, &target).map_err(|e| Reply::io_failed("无法移到回收站", &e))?;
    Ok(Reply::ok(json!({ "trash": paths::rel_of(root, &target) })))
}

// ---------------------------------------------------------------------------------------
// Preview and checks

fn preview(editor: &Editor, req: &Json) -> Handled {
    let root = &editor.opts.root;
    let rel = str_field(req, "path")?;
    page_path(editor, rel)?;
    let body = str_field(req, "body")?;
    let config = crate::config::Config::load(root).map_err(|e| bad(e.to_string()))?;
    let section = section_of(rel);
    let name = rel.rsplit('/').next().unwrap_or("");
    let stem = crate::content::load::markdown_stem(name).unwrap_or(name);
    let page_url = page_url(section, stem, &serde_json::Map::new());
    let opts = crate::markdown::MarkdownOptions {
        base_path: "",
        unsafe_html: config.markdown.unsafe_html,
        images: None,
        withheld: &[],
    };
    let body = crate::content::body_as_rendered(body);
    let rendered = crate::markdown::render_at(&body, opts, Some(&page_url));
    // The editor's page holds the token: whatever the site allows, its preview is sanitized.
    let html = crate::markdown::sanitize::sanitize(&rendered.html);
    // Shown at once in the editor's pane, which lazy loading would not notice scrolling.
    let html = local_images(root, section, &html).replace(" loading=\"lazy\"", "");
    Ok(Reply::ok(json!({ "html": html })))
}

/// Image addresses of the preview pointed at the files themselves, which the site does not
/// publish until a saved page links them: `/news/yaowen/a.jpg` (beside the page) and
/// `/images/a.jpg` (in `static/`).
fn local_images(root: &Path, section: &str, html: &str) -> String {
    static SRC: std::sync::LazyLock<regex::Regex> =
        std::sync::LazyLock::new(|| regex::Regex::new(r#"src="(/[^"]*)""#).expect("valid regex"));
    let dir_url = crate::content::url_path_of_dir(section);
    SRC.replace_all(html, |c: &regex::Captures| {
        let url = &c[1];
        let decoded = crate::fs::percent_decode(url).unwrap_or_else(|| url.to_string());
        let candidates = [
            decoded
                .strip_prefix(&dir_url)
                .filter(|n| !n.contains('/'))
                .map(|n| format!("content/{section}/{n}")),
            Some(format!("static{decoded}")),
        ];
        for rel in candidates.into_iter().flatten() {
            let rel = rel.replace("//", "/");
            if paths::check_syntax(&rel).is_ok() && root.join(&rel).is_file() {
                let encoded =
                    percent_encoding::utf8_percent_encode(&rel, percent_encoding::NON_ALPHANUMERIC)
                        .to_string()
                        .replace("%2F", "/");
                return format!("src=\"/_tongxin/file/{encoded}\"");
            }
        }
        c[0].to_string()
    })
    .into_owned()
}

fn check(editor: &Editor, req: &Json) -> Handled {
    let rel = str_field(req, "path")?;
    let (_, text, _, _) = edited_text(editor, rel, req)?;
    let body_line = front_matter::split(text.strip_prefix('\u{feff}').unwrap_or(&text))
        .map_or(1, |s| s.body_line);
    let overlay = crate::build::Overlay {
        rel: rel.to_string(),
        text: text.replace("\r\n", "\n"),
    };
    let diags =
        crate::build::check_overlaid(&editor.opts, &overlay).map_err(|e| bad(e.to_string()))?;
    Ok(Reply::ok(
        json!({ "body_line": body_line, "diagnostics": diags }),
    ))
}

fn inspect(editor: &Editor) -> Handled {
    let (diags, home) = crate::build::check_inspected(&editor.opts, &Default::default())
        .map_err(|e| bad(e.to_string()))?;
    let view = home.as_ref().map(|home| {
        crate::check::inspection::Inspection {
            diags: &diags,
            home,
        }
        .to_string()
    });
    let count = |l: crate::error::Level| diags.iter().filter(|d| d.level == l).count();
    Ok(Reply::ok(json!({
        "view": view,
        "errors": count(crate::error::Level::Error),
        "warnings": count(crate::error::Level::Warning),
        "allowed": count(crate::error::Level::Allowed),
        "diagnostics": diags,
    })))
}

fn write_report(editor: &Editor) -> Handled {
    let diags =
        crate::build::check(&editor.opts, &Default::default()).map_err(|e| bad(e.to_string()))?;
    let html = crate::report::render(&crate::cli::report_info(&editor.opts), &diags);
    let path = editor.opts.root.join(REPORT_FILE);
    write_atomic(&path, html.as_bytes()).map_err(|e| Reply::io_failed("无法写入检查报告", &e))?;
    Ok(Reply::ok(
        json!({ "file": REPORT_FILE, "url": "/_tongxin/report" }),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_changes_become_typed_front_matter_edits() {
        let req = json!({ "changes": [
            ["source", "区政协办公室"], ["pinned", true], ["leader", 2],
            ["date", "2026-11-18"], ["expires", ""], ["members", ["张明", "李华"]], ["cover", null],
        ]});
        let changes = changes_of(&req).unwrap();
        assert_eq!(
            changes,
            vec![
                ("source".into(), Some(NewValue::Str("区政协办公室".into()))),
                ("pinned".into(), Some(NewValue::Bool(true))),
                ("leader".into(), Some(NewValue::Int(2))),
                (
                    "date".into(),
                    Some(NewValue::Date(
                        NaiveDate::from_ymd_opt(2026, 11, 18).unwrap()
                    ))
                ),
                ("expires".into(), None),
                (
                    "members".into(),
                    Some(NewValue::List(vec!["张明".into(), "李华".into()]))
                ),
                ("cover".into(), None),
            ]
        );
        assert!(changes_of(&json!({ "changes": [["date", "2026年11月"]] })).is_err());
        assert!(changes_of(&json!({ "changes": [["extra", { "a": 1 }]] })).is_err());
    }

    #[test]
    fn page_addresses_follow_the_slug_rule() {
        let none = serde_json::Map::new();
        assert_eq!(
            page_url("news/yaowen", "2026-11-18-chang-wei-hui", &none),
            "/news/yaowen/chang-wei-hui/"
        );
        assert_eq!(page_url("委员", "张明", &none), "/wei-yuan/zhang-ming/");
        assert_eq!(page_url("news", "_index", &none), "/news/");
        let mut slug = serde_json::Map::new();
        slug.insert("slug".into(), json!("hui-yi"));
        assert_eq!(page_url("news", "2026-11-18-x", &slug), "/news/hui-yi/");
    }

    #[test]
    fn queries_are_decoded() {
        let q = parse_query("path=content%2Fnews%2Fa.md&caption=%E4%BC%9A+%E8%AE%AE&flag");
        assert_eq!(q["path"], "content/news/a.md");
        assert_eq!(q["caption"], "会 议");
        assert_eq!(q["flag"], "");
    }

    #[test]
    fn preview_images_point_at_the_files_beside_the_page_or_in_static() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content/news")).unwrap();
        std::fs::create_dir_all(root.join("static/images")).unwrap();
        std::fs::write(root.join("content/news/a.png"), b"x").unwrap();
        std::fs::write(root.join("static/images/b.png"), b"x").unwrap();
        let html = r#"<img src="/news/a.png"><img src="/images/b.png"><img src="/news/missing.png"><img src="https://x/c.png">"#;
        assert_eq!(
            local_images(root, "news", html),
            r#"<img src="/_tongxin/file/content/news/a%2Epng"><img src="/_tongxin/file/static/images/b%2Epng"><img src="/news/missing.png"><img src="https://x/c.png">"#
        );
    }
}
