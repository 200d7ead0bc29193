//! Discovery: walk `content/` and read every Markdown file as UTF-8 text with LF line endings.

use std::path::Path;

use crate::error::{Code, Diagnostic, Result};
use crate::fs::{Hidden, MAX_TEXT_FILE, read_walked, slash_path, walk};
use rayon::prelude::*;

/// One Markdown file, read.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Site-relative path, `/`-separated: `content/news/yaowen/2024-03-01-x.md`.
    pub rel: String,
    /// Folder under `content/`, `/`-separated, empty for `content/` itself.
    pub dir: String,
    /// File name without `.md` (or `.markdown`, in any case).
    pub stem: String,
    pub text: String,
}

impl SourceFile {
    pub fn is_section_index(&self) -> bool {
        self.stem == "_index"
    }
}

/// The name of a Markdown file without its extension: `.md` or `.markdown`, in any case
/// (`通知.MD` from Windows is a page too).
pub fn markdown_stem(name: &str) -> Option<&str> {
    let (stem, ext) = name.rsplit_once('.')?;
    let markdown = ext.eq_ignore_ascii_case("md") || ext.eq_ignore_ascii_case("markdown");
    (markdown && !stem.is_empty()).then_some(stem)
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
    load_under(root, &root.join("content"))
}

/// Like [`load`], for the files at or under `start`, a file or folder inside `ROOT/content`
/// (what `serve` re-reads after a change). A missing `start` gives nothing.
pub fn load_under(root: &Path, start: &Path) -> Result<Loaded> {
    let content = root.join("content");
    let mut paths = Vec::new();
    let mut assets = Vec::new();
    let walked = walk(root, start, Hidden::Skip, "无法读取内容目录")?;
    for (_, path) in walked.files {
        let rel_in_content = slash_path(&path, &content);
        let (dir, name) = match rel_in_content.rsplit_once('/') {
            Some((d, n)) => (d.to_string(), n.to_string()),
            None => (String::new(), rel_in_content.clone()),
        };
        let rel = format!("content/{rel_in_content}");
        match markdown_stem(&name) {
            Some(stem) => paths.push((path, rel, dir, stem.to_string())),
            None => assets.push(Asset { rel, dir, name }),
        }
    }
    /// A read file and its encoding warning, or why it could not be read.
    type Read = std::result::Result<(SourceFile, Option<Diagnostic>), Diagnostic>;
    let read: Vec<Result<Read>> = paths
        .into_par_iter()
        .map(|(path, rel, dir, stem)| {
            let bytes = match read_walked(&path, MAX_TEXT_FILE) {
                Ok(b) => b,
                Err(why) => {
                    return Ok(Err(Diagnostic::error(
                        Code::Io,
                        &rel,
                        format!("无法读取文件：{why}"),
                    )));
                }
            };
            Ok(decode(&bytes, &rel).map(|(text, warning)| {
                let file = SourceFile {
                    rel,
                    dir,
                    stem,
                    text,
                };
                (file, warning)
            }))
        })
        .collect();
    let mut loaded = Loaded {
        assets,
        diags: walked.refused,
        ..Loaded::default()
    };
    for r in read {
        match r? {
            Ok((file, warning)) => {
                loaded.files.push(file);
                loaded.diags.extend(warning);
            }
            Err(d) => loaded.diags.push(d),
        }
    }
    Ok(loaded)
}

/// Text as staff save it → UTF-8 with LF line endings.
///
/// UTF-8 (with or without BOM) is read as is. A file that is not UTF-8 but decodes cleanly as
/// GB18030 (a superset of GBK and GB2312, what older Windows editors save) is transcoded, with an
/// `encoding` warning naming the file. Anything else is an error: guessing further would risk
/// publishing mojibake.
/// A file saved as UTF-16 with its byte-order mark (Windows Notepad's "Unicode"): unambiguous,
/// so it is read, with an `encoding` warning. `None` without such a mark.
fn decode_utf16(
    bytes: &[u8],
    rel: &str,
) -> Option<std::result::Result<(String, Option<Diagnostic>), Diagnostic>> {
    let (encoding, rest) = match bytes {
        [0xFF, 0xFE, rest @ ..] => (encoding_rs::UTF_16LE, rest),
        [0xFE, 0xFF, rest @ ..] => (encoding_rs::UTF_16BE, rest),
        _ => return None,
    };
    let Some(text) = encoding.decode_without_bom_handling_and_without_replacement(rest) else {
        return Some(Err(Diagnostic::error(
            Code::Encoding,
            rel,
            "文件标明为 UTF-16 编码，但内容有误，无法读取",
        )
        .hint("请用编辑器将文件另存为 UTF-8 编码")));
    };
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let warning = Diagnostic::warning(
        Code::Encoding,
        rel,
        "文件为 UTF-16 编码（记事本的“Unicode”），已转换为 UTF-8 读取",
    )
    .hint("建议用记事本“另存为”，编码选 UTF-8");
    Some(Ok((text, Some(warning))))
}

pub fn decode(
    bytes: &[u8],
    rel: &str,
) -> std::result::Result<(String, Option<Diagnostic>), Diagnostic> {
    if let Some(decoded) = decode_utf16(bytes, rel) {
        return decoded;
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let (text, warning) = match std::str::from_utf8(bytes) {
        Ok(text) => (std::borrow::Cow::Borrowed(text), None),
        Err(e) => {
            let line = bytes[..e.valid_up_to()]
                .iter()
                .filter(|b| **b == b'\n')
                .count()
                + 1;
            match decode_gb18030(bytes) {
                Some(text) => (
                    std::borrow::Cow::Owned(text),
                    Some(
                        Diagnostic::warning(
                            Code::Encoding,
                            rel,
                            "文件为 GBK/GB18030 编码，已按该编码读取并转换为 UTF-8",
                        )
                        .hint("建议用编辑器将文件另存为 UTF-8 编码"),
                    ),
                ),
                None => {
                    return Err(Diagnostic::error(
                        Code::Encoding,
                        rel,
                        "文件既不是 UTF-8 也不是 GBK/GB18030 编码，无法读取",
                    )
                    .at(line, 1)
                    .hint("请用编辑器将文件另存为 UTF-8 编码"));
                }
            }
        }
    };
    let text = if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.into_owned()
    };
    Ok((text, warning))
}

/// GB18030 text, if the bytes decode without error into something that looks like text:
/// no control characters but tab and line breaks, no private-use characters.
fn decode_gb18030(bytes: &[u8]) -> Option<String> {
    let text = encoding_rs::GB18030
        .decode_without_bom_handling_and_without_replacement(bytes)?
        .into_owned();
    let plausible = text.chars().all(|c| {
        let stray_control = c.is_control() && !matches!(c, '\t' | '\n' | '\r');
        let private_use = matches!(c, '\u{E000}'..='\u{F8FF}');
        !stray_control && !private_use
    });
    plausible.then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_and_crlf_are_normalised() {
        let (t, warning) = decode(b"\xEF\xBB\xBF+++\r\ntitle = \"a\"\r\n+++\r\n", "x.md").unwrap();
        assert_eq!(t, "+++\ntitle = \"a\"\n+++\n");
        assert!(warning.is_none());
    }

    #[test]
    fn gbk_is_transcoded_with_a_warning() {
        let (gbk, _, _) =
            encoding_rs::GBK.encode("+++\r\ntitle = \"政协委员\"\r\n+++\r\n履职。\r\n");
        let (t, warning) = decode(&gbk, "content/a.md").unwrap();
        assert_eq!(t, "+++\ntitle = \"政协委员\"\n+++\n履职。\n");
        let w = warning.unwrap();
        assert_eq!(
            (w.code, w.level),
            (Code::Encoding, crate::error::Level::Warning)
        );
    }

    #[test]
    fn invalid_utf8_is_a_located_error() {
        let d = decode(b"+++\ntitle = \"\x80\x00\xff\"\n", "content/a.md").unwrap_err();
        assert_eq!(d.code, Code::Encoding);
        assert_eq!(d.line, 2);
    }
}
