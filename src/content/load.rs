//! Discovery: walk `content/` and read every Markdown file as UTF-8 text with LF line endings.

use std::path::Path;

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::error::{Diagnostic, Error, Result};
use crate::fs::slash_path;

/// One Markdown file, read.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Site-relative path, `/`-separated: `content/news/yaowen/2024-03-01-x.md`.
    pub rel: String,
    /// Folder under `content/`, `/`-separated, empty for `content/` itself.
    pub dir: String,
    /// File name without `.md`.
    pub stem: String,
    pub text: String,
}

impl SourceFile {
    pub fn is_section_index(&self) -> bool {
        self.stem == "_index"
    }
}

/// A non-Markdown file inside `content/`, published beside its section.
#[derive(Debug, Clone)]
pub struct Asset {
    pub rel: String,
    pub dir: String,
    pub name: String,
}

/// Everything found under `content/`, in a stable order.
#[derive(Debug, Default)]
pub struct Loaded {
    pub files: Vec<SourceFile>,
    pub assets: Vec<Asset>,
    /// Warnings and errors met while reading (encoding …).
    pub diags: Vec<Diagnostic>,
}

/// Walks `ROOT/content`, skipping hidden entries. A missing folder is an empty site.
pub fn load(root: &Path) -> Result<Loaded> {
    let content = root.join("content");
    let mut paths = Vec::new();
    let mut assets = Vec::new();
    if content.is_dir() {
        let walker = WalkDir::new(&content)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for entry in walker {
            let entry = entry.map_err(|e| {
                let path = e.path().unwrap_or(&content).to_path_buf();
                Error::io(&path, "无法读取内容目录", e.into())
            })?;
            if !entry.file_type().is_file() {
                continue;
            }
            let rel_in_content = slash_path(entry.path(), &content);
            let (dir, name) = match rel_in_content.rsplit_once('/') {
                Some((d, n)) => (d.to_string(), n.to_string()),
                None => (String::new(), rel_in_content.clone()),
            };
            let rel = format!("content/{rel_in_content}");
            match name.strip_suffix(".md") {
                Some(stem) => paths.push((entry.into_path(), rel, dir, stem.to_string())),
                None => assets.push(Asset { rel, dir, name }),
            }
        }
    }
    let read: Vec<Result<std::result::Result<SourceFile, Diagnostic>>> = paths
        .into_par_iter()
        .map(|(path, rel, dir, stem)| {
            let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, "无法读取文件", e))?;
            Ok(decode(&bytes, &rel).map(|text| SourceFile {
                rel,
                dir,
                stem,
                text,
            }))
        })
        .collect();
    let mut loaded = Loaded {
        assets,
        ..Loaded::default()
    };
    for r in read {
        match r? {
            Ok(file) => loaded.files.push(file),
            Err(d) => loaded.diags.push(d),
        }
    }
    Ok(loaded)
}

/// UTF-8 with or without BOM, CRLF or LF → LF text. Anything else is an error naming the file.
pub fn decode(bytes: &[u8], rel: &str) -> std::result::Result<String, Diagnostic> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1;
        Diagnostic::error("encoding", rel, "文件不是 UTF-8 编码，无法读取")
            .at(line, 1)
            .hint("请用编辑器将文件另存为 UTF-8 编码")
    })?;
    Ok(if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_and_crlf_are_normalised() {
        let t = decode(b"\xEF\xBB\xBF+++\r\ntitle = \"a\"\r\n+++\r\n", "x.md").unwrap();
        assert_eq!(t, "+++\ntitle = \"a\"\n+++\n");
    }

    #[test]
    fn invalid_utf8_is_a_located_error() {
        let d = decode(b"+++\ntitle = \"\xd5\xfe\"\n", "content/a.md").unwrap_err();
        assert_eq!(d.code, "encoding");
        assert_eq!(d.line, 2);
    }
}
