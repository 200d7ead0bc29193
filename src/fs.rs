//! File-system and URL-path helpers: paths stay `/`-separated, errors carry the path.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::error::{Code, Diagnostic, Error, Result};

/// `path` relative to `base`, with `/` separators.
pub fn slash_path(path: &Path, base: &Path) -> String {
    path.strip_prefix(base)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// The largest file read as text (Markdown, templates, config, dictionaries): 16 MiB. A bigger
/// one is a mistake (a video saved as `.md`, `/dev/zero`), reported rather than read.
pub const MAX_TEXT_FILE: u64 = 16 << 20;

/// Where a path really leads, when that is inside the site root; otherwise a message saying
/// where it leads instead (for a diagnostic on the path or link).
pub fn confine(root: &Path, path: &Path) -> std::result::Result<PathBuf, String> {
    let real_root = root
        .canonicalize()
        .map_err(|e| format!("无法读取站点目录：{}", crate::error::io_reason(&e)))?;
    let real = path
        .canonicalize()
        .map_err(|_| "指向不存在的位置".to_string())?;
    if real.starts_with(&real_root) {
        Ok(real)
    } else {
        Err(format!("指向站点目录之外（{}）", real.display()))
    }
}

/// Reads a regular file inside the site root, at most `limit` bytes. Devices, pipes, folders,
/// paths or links leading outside the root and oversized files are refused with a message.
pub fn read_confined(root: &Path, path: &Path, limit: u64) -> std::result::Result<Vec<u8>, String> {
    read_walked(&confine(root, path)?, limit)
}

/// Reads a file that [`walk`] listed, at most `limit` bytes: the walk has already refused
/// every link leading outside the root, so the path is not resolved again (resolving costs a
/// `readlink` per path component, some 20 system calls a file). Devices, pipes, folders and
/// oversized files are refused with a message, as by [`read_confined`].
pub fn read_walked(path: &Path, limit: u64) -> std::result::Result<Vec<u8>, String> {
    use std::io::Read;
    let meta = std::fs::metadata(path)
        .map_err(|e| format!("无法读取：{}", crate::error::io_reason(&e)))?;
    if !meta.is_file() {
        return Err("不是普通文件".into());
    }
    let too_big = || format!("文件过大（上限 {} MB）", limit >> 20);
    if meta.len() > limit {
        return Err(too_big());
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::fs::File::open(path)
        .and_then(|f| f.take(limit + 1).read_to_end(&mut bytes))
        .map_err(|e| format!("无法读取：{}", crate::error::io_reason(&e)))?;
    if bytes.len() as u64 > limit {
        return Err(too_big());
    }
    Ok(bytes)
}

/// Which entries a walk lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hidden {
    Include,
    /// Skip files and folders whose name starts with `.` (below the walk's start).
    Skip,
}

/// What a walk found: files as (path relative to the walk's start, full path), sorted, and an
/// error for each symbolic link it refused to follow.
#[derive(Debug, Default)]
pub struct Walked {
    pub files: Vec<(String, PathBuf)>,
    pub refused: Vec<Diagnostic>,
}

/// Every file under `dir`, sorted, as (path relative to `dir`, full path). A missing folder has
/// no files. Symbolic links are followed only while they stay inside the site `root`: a link
/// leading outside it, or nowhere, is an error naming the link (every such link is reported).
pub fn files_under(
    root: &Path,
    dir: &Path,
    hidden: Hidden,
    what: &'static str,
) -> Result<Vec<(String, PathBuf)>> {
    let walked = walk(root, dir, hidden, what)?;
    if walked.refused.is_empty() {
        Ok(walked.files)
    } else {
        Err(Error::Site(walked.refused))
    }
}

/// Like [`files_under`], returning refused links beside the files instead of failing.
pub fn walk(root: &Path, dir: &Path, hidden: Hidden, what: &'static str) -> Result<Walked> {
    if std::fs::symlink_metadata(dir).is_err() {
        return Ok(Walked::default());
    }
    if let Err(why) = confine(root, dir) {
        return Ok(Walked {
            files: Vec::new(),
            refused: vec![link_refused(root, dir, why)],
        });
    }
    let mut out = Vec::new();
    let mut refused = Vec::new();
    let mut walker = WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) if e.loop_ancestor().is_some() => continue,
            Err(e) => {
                let path = e.path().unwrap_or(dir).to_path_buf();
                if path.is_symlink() {
                    refused.push(link_refused(root, &path, "指向不存在的位置".into()));
                    continue;
                }
                return Err(Error::io(&path, what, e.into()));
            }
        };
        let is_hidden = entry.depth() > 0 && entry.file_name().to_string_lossy().starts_with('.');
        if hidden == Hidden::Skip && is_hidden {
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        if entry.path_is_symlink()
            && let Err(why) = confine(root, entry.path())
        {
            refused.push(link_refused(root, entry.path(), why));
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        if entry.file_type().is_file() {
            out.push((slash_path(entry.path(), dir), entry.into_path()));
        }
    }
    Ok(Walked {
        files: out,
        refused,
    })
}

fn link_refused(root: &Path, link: &Path, why: String) -> Diagnostic {
    Diagnostic::error(
        Code::Io,
        slash_path(link, root),
        format!("符号链接{why}，不会读取"),
    )
    .hint("把需要的文件复制到站点目录中，不要用链接指向站点之外")
}

/// Decodes `%XX` escapes; `None` when a `%` is not followed by two hex digits or the bytes are
/// not UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    // The decoder leaves a malformed escape as written; a path holding one is refused instead.
    let well_formed = s.split('%').skip(1).all(|rest| {
        rest.as_bytes()
            .get(..2)
            .is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit))
    });
    if !well_formed {
        return None;
    }
    let decoded = percent_encoding::percent_decode_str(s).decode_utf8().ok()?;
    Some(decoded.into_owned())
}

/// Writes `bytes` to a file that must not exist yet (never overwrites, even when another
/// process creates it meanwhile). A failed write removes what it began.
pub fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .inspect_err(|_| {
            let _ = std::fs::remove_file(path);
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_escapes_decode_to_utf8() {
        assert_eq!(percent_decode("a%20b").as_deref(), Some("a b"));
        assert_eq!(percent_decode("%E6%94%bf/").as_deref(), Some("政/"));
        assert_eq!(percent_decode("政协").as_deref(), Some("政协"));
        assert_eq!(percent_decode("%E6%94").as_deref(), None, "not UTF-8");
    }

    #[test]
    fn percent_sign_before_a_sign_and_a_digit_is_malformed() {
        // `u8::from_str_radix("+f", 16)` is 15: the hand-written decoder took `%+f` as a byte.
        assert_eq!(percent_decode("%+f"), None);
        assert_eq!(percent_decode("a%-1"), None);
        for bad in ["%", "%4", "a%zz", "%%41", "%政"] {
            assert_eq!(percent_decode(bad), None, "{bad}");
        }
    }
}
