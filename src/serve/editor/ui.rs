//! The editor's own files, embedded: its page (with the run's token), script and style, and
//! read-only views of images under `content/` and `static/` for the preview.

use super::{Editor, Reply, paths};

const INDEX_HTML: &str = include_str!("ui/index.html");
const EDITOR_JS: &str = include_str!("ui/editor.js");
const EDITOR_CSS: &str = include_str!("ui/editor.css");

/// Image types the preview may show, by extension.
const PREVIEW_TYPES: &[(&str, &str)] = &[
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("png", "image/png"),
    ("gif", "image/gif"),
    ("webp", "image/webp"),
];

/// Largest file the preview reads.
const MAX_PREVIEW_FILE: u64 = 30 * 1024 * 1024;

/// A GET under `/_tongxin/` outside the API.
pub fn page(editor: &Editor, path: &str) -> Reply {
    match path {
        "/_tongxin" => {
            let mut r = Reply::new("301 Moved Permanently", "text/plain; charset=utf-8", "");
            r.extra_headers.push(("Location", "/_tongxin/".into()));
            r
        }
        "/_tongxin/" => Reply::new(
            "200 OK",
            "text/html; charset=utf-8",
            INDEX_HTML.replace("{{TOKEN}}", &editor.token),
        ),
        "/_tongxin/editor.js" => Reply::new("200 OK", "text/javascript; charset=utf-8", EDITOR_JS),
        "/_tongxin/editor.css" => Reply::new("200 OK", "text/css; charset=utf-8", EDITOR_CSS),
        "/_tongxin/report" => report(editor),
        _ => match path.strip_prefix("/_tongxin/file/") {
            Some(rel) => file(editor, rel),
            None => Reply::error("404 Not Found", "没有这个地址"),
        },
    }
}

/// An image under `content/` or `static/`, for the preview.
fn file(editor: &Editor, encoded: &str) -> Reply {
    let Some(rel) = crate::fs::percent_decode(encoded) else {
        return Reply::error("400 Bad Request", "路径无效");
    };
    let path = match paths::resolve(&editor.opts.root, &rel) {
        Ok(p) => p,
        Err(why) => return Reply::error("400 Bad Request", why),
    };
    let ext = rel
        .rsplit_once('.')
        .map_or("", |(_, e)| e)
        .to_ascii_lowercase();
    let Some((_, kind)) = PREVIEW_TYPES.iter().find(|(e, _)| *e == ext) else {
        return Reply::error("404 Not Found", "只能预览图片");
    };
    match crate::fs::read_confined(&editor.opts.root, &path, MAX_PREVIEW_FILE) {
        Ok(bytes) => Reply::new("200 OK", *kind, bytes),
        Err(_) => Reply::error("404 Not Found", "文件不存在"),
    }
}

/// The HTML report the 检查 view last wrote.
fn report(editor: &Editor) -> Reply {
    let path = editor.opts.root.join(super::api::REPORT_FILE);
    match std::fs::read(&path) {
        Ok(bytes) => {
            let mut r = Reply::new("200 OK", "text/html; charset=utf-8", bytes);
            // The report is a document of its own: no script, its own inline style.
            r.extra_headers.push((
                "Content-Security-Policy",
                "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; sandbox"
                    .into(),
            ));
            r
        }
        Err(_) => Reply::error("404 Not Found", "还没有生成检查报告"),
    }
}
