//! Uploads: photos and attachments saved beside the page (or in `static/`) under safe names
//! that replace nothing, and .docx files turned into pages by `import`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::json;

use super::api::{Handled, bad, page_path};
use super::{Editor, Reply, paths};

const IMAGE_EXTS: &[&str] = &["jpg", "jpeg", "png", "gif", "webp"];
const ATTACHMENT_EXTS: &[&str] = &[
    "pdf", "doc", "docx", "xls", "xlsx", "wps", "et", "zip", "rar", "ppt", "pptx",
];

/// `POST /_tongxin/api/upload?kind=image|attachment|docx&name=…&page=…&to=page|static
/// &caption=…&section=…`, the file as the body.
pub(super) fn upload(editor: &Editor, q: &BTreeMap<String, String>, body: &[u8]) -> Handled {
    let root = &editor.opts.root;
    let get = |k: &str| q.get(k).map_or("", String::as_str);
    let kind = get("kind");
    if body.is_empty() {
        return Err(bad("文件是空的"));
    }
    if kind == "docx" {
        return import_docx(editor, get("section"), get("name"), body);
    }
    let (allowed, static_dir) = match kind {
        "image" => (IMAGE_EXTS, "static/images"),
        "attachment" => (ATTACHMENT_EXTS, "static/files"),
        _ => return Err(bad("不支持的上传类型")),
    };
    let name = paths::sanitize_name(get("name"), allowed).ok_or_else(|| {
        bad(format!(
            "文件名无效或不支持这种文件，可上传：{}",
            allowed.join("、")
        ))
    })?;
    if kind == "image" && !image_matches(&name, body) {
        return Err(bad("文件内容不是它的扩展名所说的图片格式"));
    }
    let dir_rel = if get("to") == "static" {
        static_dir.to_string()
    } else {
        let page = get("page");
        page_path(editor, page)?;
        page.rsplit_once('/')
            .map_or("content", |(d, _)| d)
            .to_string()
    };
    let (rel, path) = free_name(root, &dir_rel, &name)?;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Reply::io_failed("无法创建目录", &e))?;
    }
    crate::fs::write_new(&path, body).map_err(|e| Reply::io_failed("无法保存上传的文件", &e))?;
    let url = match rel.strip_prefix("static/") {
        Some(r) => format!("/{r}"),
        None => {
            let in_content = rel.strip_prefix("content/").unwrap_or(&rel);
            let (dir, file) = in_content.rsplit_once('/').unwrap_or(("", in_content));
            format!("{}{file}", crate::content::url_path_of_dir(dir))
        }
    };
    let caption = get("caption").trim().replace(['[', ']', '\n'], "");
    let file_name = rel.rsplit('/').next().unwrap_or("");
    let markdown = if kind == "image" {
        format!(
            "![{}]({url})",
            if caption.is_empty() {
                "图片说明"
            } else {
                &caption
            }
        )
    } else {
        format!(
            "[{}]({url})",
            if caption.is_empty() {
                file_name
            } else {
                &caption
            }
        )
    };
    Ok(Reply::ok(
        json!({ "path": rel, "url": url, "markdown": markdown }),
    ))
}

/// Whether an image's bytes are of the format its extension names.
fn image_matches(name: &str, bytes: &[u8]) -> bool {
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    let Ok(format) = image::guess_format(bytes) else {
        // Formats the image crate is built without: check the magic bytes.
        return match ext {
            "gif" => bytes.starts_with(b"GIF8"),
            "webp" => bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP",
            _ => false,
        };
    };
    matches!(
        (format, ext),
        (image::ImageFormat::Jpeg, "jpg" | "jpeg")
            | (image::ImageFormat::Png, "png")
            | (image::ImageFormat::Gif, "gif")
            | (image::ImageFormat::WebP, "webp")
    )
}

/// `dir/name`, or `dir/name-2` … when taken: an upload never replaces a file.
fn free_name(root: &Path, dir: &str, name: &str) -> Result<(String, PathBuf), Reply> {
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    for n in 1..1000 {
        let candidate = if n == 1 {
            name.to_string()
        } else {
            format!("{stem}-{n}.{ext}")
        };
        let rel = format!("{dir}/{candidate}");
        let path = paths::resolve(root, &rel).map_err(bad)?;
        if !path.exists() {
            return Ok((rel, path));
        }
    }
    Err(bad("同名文件过多"))
}

/// A .docx becomes a page of `section` through `import`, as on the command line.
fn import_docx(editor: &Editor, section: &str, name: &str, body: &[u8]) -> Handled {
    let root = &editor.opts.root;
    paths::check_syntax(&format!("content/{section}/x.md")).map_err(bad)?;
    let temp =
        tempfile_in_tmp(name, body).map_err(|e| Reply::io_failed("无法保存上传的文件", &e))?;
    let opts = crate::import::ImportOptions {
        root: root.clone(),
        file: temp.clone(),
        section: Some(section.to_string()),
        today: editor.opts.today,
    };
    let result = crate::import::import(&opts);
    if let Some(dir) = temp.parent() {
        let _ = std::fs::remove_dir_all(dir);
    }
    let imported = result.map_err(|e| bad(e.to_string()))?;
    Ok(Reply::ok(
        json!({ "path": imported.page, "images": imported.images }),
    ))
}

/// The upload in a fresh folder of the system's temporary folder (outside the site: `import`
/// reads it there), under its own name, which gives the page's title when the document has none.
fn tempfile_in_tmp(name: &str, bytes: &[u8]) -> std::io::Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!(
        "tongxin-upload-{}-{}",
        std::process::id(),
        super::new_token().get(..16).unwrap_or("0")
    ));
    std::fs::create_dir(&dir)?;
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let stem = base.rsplit_once('.').map_or(base, |(s, _)| s);
    let clean: String = stem
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '.' | ':' | '*' | '?' | '"' | '<' | '>' | '|'))
        .take(80)
        .collect();
    let clean = if clean.trim().is_empty() {
        "文档".to_string()
    } else {
        clean
    };
    let path = dir.join(format!("{clean}.docx"));
    crate::fs::write_new(&path, bytes)?;
    Ok(path)
}
