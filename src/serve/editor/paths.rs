//! The one door from an editor request to the disk: a path the browser names (relative,
//! `/`-separated, `content/…` or `static/…`) becomes a file inside the site's `content/` or
//! `static/`, or is refused. Nothing else under the site root, and nothing outside it, can be
//! read or written through the editor.

use std::path::{Path, PathBuf};

/// Longest path the editor accepts, in bytes.
const MAX_PATH: usize = 1024;

/// The two folders the editor may touch.
pub const AREAS: [&str; 2] = ["content", "static"];

/// `rel` checked and joined to `root`. Refused: empty or overlong paths, absolute paths and
/// drive letters, backslashes, NUL and control characters, `.` and `..` segments, empty
/// segments, hidden names (`.trash`, `.git`, the editor's temporary files), anything outside
/// `content/` and `static/`, and paths that pass through a symbolic link.
pub fn resolve(root: &Path, rel: &str) -> Result<PathBuf, &'static str> {
    check_syntax(rel)?;
    let path = root.join(rel);
    no_links_between(root, &path)?;
    Ok(path)
}

/// The checks that need no disk.
pub fn check_syntax(rel: &str) -> Result<(), &'static str> {
    if rel.is_empty() || rel.len() > MAX_PATH {
        return Err("路径为空或过长");
    }
    if rel.starts_with('/') || rel.contains(':') {
        return Err("不能使用绝对路径");
    }
    if rel.contains('\\') || rel.chars().any(char::is_control) {
        return Err("路径含有不允许的字符");
    }
    let parts: Vec<&str> = rel.split('/').collect();
    if parts
        .iter()
        .any(|p| p.is_empty() || *p == "." || *p == ".." || p.starts_with('.'))
    {
        return Err("路径中不能有 .. 、空段或以 . 开头的名称");
    }
    if parts.len() < 2 || !AREAS.contains(&parts[0]) {
        return Err("只能读写 content/ 和 static/ 中的文件");
    }
    Ok(())
}

/// Every existing component from `root` down to `path` is a real folder or file, not a link
/// (a link could lead out of the site however its name reads).
fn no_links_between(root: &Path, path: &Path) -> Result<(), &'static str> {
    let Ok(rest) = path.strip_prefix(root) else {
        return Err("路径不在站点内");
    };
    let mut at = root.to_path_buf();
    for part in rest.components() {
        at.push(part);
        match std::fs::symlink_metadata(&at) {
            Ok(meta) if meta.file_type().is_symlink() => return Err("路径经过符号链接，已拒绝"),
            Ok(_) => {}
            // What does not exist yet cannot be a link.
            Err(_) => break,
        }
    }
    Ok(())
}

/// The site-relative, `/`-separated name of a path under `root`.
pub fn rel_of(root: &Path, path: &Path) -> String {
    crate::fs::slash_path(path, root)
}

/// A file name made safe to write: the stem as a slug (pinyin for Han characters), the
/// extension lowercased, and only when it is one of `allowed`. `None` for a name with a path
/// in it, a hidden name, or another type.
pub fn sanitize_name(name: &str, allowed: &[&str]) -> Option<String> {
    // Browsers send a bare name: a path, `..` or a hidden name is refused, not repaired.
    if name.contains(['/', '\\', ':']) || name.contains("..") || name.starts_with('.') {
        return None;
    }
    let (stem, ext) = name.rsplit_once('.')?;
    let ext = ext.to_ascii_lowercase();
    if !allowed.contains(&ext.as_str()) {
        return None;
    }
    let slug = crate::content::slug::slugify(stem);
    let slug = if slug.is_empty() {
        "file".to_string()
    } else {
        slug.chars().take(80).collect()
    };
    Some(format!("{slug}.{ext}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_paths_under_content_and_static_pass() {
        for ok in [
            "content/news/a.md",
            "static/images/a.png",
            "content/委员/张明.md",
        ] {
            assert_eq!(check_syntax(ok), Ok(()), "{ok}");
        }
        for bad in [
            "",
            "/etc/passwd",
            "content/../config.toml",
            "content/./a.md",
            "content//a.md",
            "content/a/..",
            "..",
            "config.toml",
            "templates/page.html",
            "public/index.html",
            "content",
            "C:/Windows/x",
            "content\\..\\config.toml",
            "content/a\0.md",
            "content/.trash/a.md",
            "static/.hidden",
            ".trash/content/a.md",
        ] {
            assert!(check_syntax(bad).is_err(), "{bad:?}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn links_out_of_the_site_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::os::unix::fs::symlink("/tmp", root.join("content/out")).unwrap();
        assert!(resolve(root, "content/out/x.md").is_err());
        assert!(resolve(root, "content/new/x.md").is_ok());
    }

    #[test]
    fn uploaded_names_are_slugs_with_allowed_extensions() {
        let images = ["jpg", "png"];
        assert_eq!(
            sanitize_name("会议现场.JPG", &images).as_deref(),
            Some("hui-yi-xian-chang.jpg")
        );
        assert_eq!(
            sanitize_name("b 1.png", &images).as_deref(),
            Some("b-1.png")
        );
        assert_eq!(
            sanitize_name("。.png", &images).as_deref(),
            Some("file.png")
        );
        for bad in [
            "../../x.png",
            "/etc/x.png",
            "C:\\a\\b.png",
            "a/b.png",
            ".x.png",
            "a..png",
            "a.html",
            "noext",
        ] {
            assert_eq!(sanitize_name(bad, &images), None, "{bad}");
        }
    }
}
