//! Office packages (zip files of XML parts: .docx, .pptx, OpenDocument) and the parts of them
//! staff do not see at first glance — 页眉, 页脚, 脚注, 批注, 文档属性 — read within a
//! [`Budget`] of unpacked bytes, so that a zip bomb cannot exhaust memory.

use std::io::{Cursor, Read};

use super::xml::{self, Markup, Para, Region};
use super::{Found, MAX_BYTES, Place, Unchecked};

type Zip<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

/// The unpacked bytes one attachment may still read, across all its parts and members.
#[derive(Debug)]
pub struct Budget(u64);

impl Budget {
    /// [`MAX_BYTES`] for a whole attachment.
    pub fn new() -> Budget {
        Budget(MAX_BYTES)
    }
}

/// Why an entry of a zip file was not read.
#[derive(Debug, PartialEq, Eq)]
pub enum Skipped {
    /// The budget would be exceeded.
    OverBudget,
    /// Encrypted, compressed in a way not supported, or damaged: the reason for staff.
    Unreadable(&'static str),
}

/// The package in `bytes`; `what` names the format for the reason (`.docx`).
fn open<'a>(bytes: &'a [u8], what: &str) -> Result<Zip<'a>, String> {
    zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|_| format!("不是有效的 {what} 文件（无法作为 zip 打开）"))
}

/// The names of a package's parts (office packages name them in UTF-8).
fn part_names(zip: &Zip) -> Vec<String> {
    let mut names: Vec<String> = zip
        .file_names()
        .filter_map(Result::ok)
        .map(|n| n.into_owned())
        .collect();
    names.sort_by_key(|n| natural_key(n));
    names
}

/// `slide2.xml` before `slide10.xml`: digit runs compared as numbers.
fn natural_key(name: &str) -> Vec<(String, usize)> {
    let mut key = Vec::new();
    let mut rest = name;
    while !rest.is_empty() {
        let text_len = rest
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(rest.len());
        let (text, tail) = rest.split_at(text_len);
        let digits_len = tail
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(tail.len());
        let (digits, tail) = tail.split_at(digits_len);
        key.push((text.to_string(), digits.parse().unwrap_or(usize::MAX)));
        rest = tail;
    }
    key
}

/// Entry `index`, unpacked within `budget`.
pub fn read_entry(zip: &mut Zip, index: usize, budget: &mut Budget) -> Result<Vec<u8>, Skipped> {
    let entry = match zip.by_index(index) {
        Ok(e) => e,
        Err(zip::result::ZipError::UnsupportedArchive(m))
            if m == zip::result::ZipError::PASSWORD_REQUIRED =>
        {
            return Err(Skipped::Unreadable("已加密"));
        }
        Err(zip::result::ZipError::UnsupportedArchive(_)) => {
            return Err(Skipped::Unreadable("压缩方式不受支持，无法解压"));
        }
        Err(_) => return Err(Skipped::Unreadable("已损坏，无法解压")),
    };
    if entry.size() > budget.0 {
        return Err(Skipped::OverBudget);
    }
    let mut bytes = Vec::new();
    entry
        .take(budget.0 + 1)
        .read_to_end(&mut bytes)
        .map_err(|_| Skipped::Unreadable("已损坏，无法解压"))?;
    if bytes.len() as u64 > budget.0 {
        return Err(Skipped::OverBudget);
    }
    budget.0 -= bytes.len() as u64;
    Ok(bytes)
}

/// The paragraphs of part `name` read as `markup`; `Ok(None)` when the package has no such part.
fn paragraphs(
    zip: &mut Zip,
    name: &str,
    markup: Markup,
    base: Region,
    budget: &mut Budget,
) -> Result<Option<Vec<Para>>, String> {
    let Some(index) = zip.index_for_name(name) else {
        return Ok(None);
    };
    let bytes = read_entry(zip, index, budget).map_err(|s| match s {
        Skipped::OverBudget => format!("解压后超过 {} MB", MAX_BYTES >> 20),
        Skipped::Unreadable(reason) => reason.to_string(),
    })?;
    xml::paragraphs(&bytes, markup, base)
        .map(Some)
        .map_err(|reason| format!("文件已损坏（{reason}）"))
}

/// Reads part `name` and adds each non-empty paragraph placed by its region (`页眉`); a part
/// that cannot be read is noted as not checked.
fn scan_by_region(
    zip: &mut Zip,
    name: &str,
    (markup, base): (Markup, Region),
    budget: &mut Budget,
    found: &mut Found,
) {
    match paragraphs(zip, name, markup, base, budget) {
        Ok(paras) => {
            for p in paras.into_iter().flatten() {
                found.push(Place::Part(p.region.label()), p.text);
            }
        }
        Err(reason) => found.unchecked.push(Unchecked::part(base.label(), reason)),
    }
}

/// How a part of a Word package outside the body is read, by its name.
fn word_part(name: &str) -> Option<(Markup, Region)> {
    if let Some(rest) = name.strip_prefix("word/")
        && !rest.contains('/')
    {
        let region = match rest {
            "footnotes.xml" => Region::Footnote,
            "endnotes.xml" => Region::Endnote,
            "comments.xml" => Region::Comment,
            _ if rest.starts_with("header") && rest.ends_with(".xml") => Region::Header,
            _ if rest.starts_with("footer") && rest.ends_with(".xml") => Region::Footer,
            _ => return None,
        };
        return Some((Markup::Office, region));
    }
    properties_part(name)
}

/// `docProps/core.xml`, `app.xml`, `custom.xml`: the document properties of an OOXML package.
fn properties_part(name: &str) -> Option<(Markup, Region)> {
    let rest = name.strip_prefix("docProps/")?;
    (rest.ends_with(".xml") && !rest.contains('/'))
        .then_some((Markup::Properties, Region::Properties))
}

/// What a Word package holds outside its body: 页眉, 页脚, 脚注, 尾注, 批注 and 文档属性.
pub fn docx_extras(bytes: &[u8], budget: &mut Budget, found: &mut Found) -> Result<(), String> {
    let mut zip = open(bytes, ".docx")?;
    let mut parts: Vec<(Region, (Markup, Region), String)> = part_names(&zip)
        .into_iter()
        .filter_map(|n| word_part(&n).map(|how| (how.1, how, n)))
        .collect();
    parts.sort_by_key(|(region, _, _)| *region);
    for (_, how, name) in parts {
        scan_by_region(&mut zip, &name, how, budget, found);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_sort_naturally() {
        let mut names = vec!["slide10.xml", "slide2.xml", "slide1.xml"];
        names.sort_by_key(|n| natural_key(n));
        assert_eq!(names, ["slide1.xml", "slide2.xml", "slide10.xml"]);
    }

    #[test]
    fn word_parts_by_name() {
        let region = |n: &str| word_part(n).map(|(_, r)| r);
        assert_eq!(region("word/header1.xml"), Some(Region::Header));
        assert_eq!(region("word/footer3.xml"), Some(Region::Footer));
        assert_eq!(region("word/footnotes.xml"), Some(Region::Footnote));
        assert_eq!(region("word/endnotes.xml"), Some(Region::Endnote));
        assert_eq!(region("word/comments.xml"), Some(Region::Comment));
        assert_eq!(region("docProps/custom.xml"), Some(Region::Properties));
        assert_eq!(region("word/document.xml"), None);
        assert_eq!(region("word/_rels/header1.xml.rels"), None);
        assert_eq!(region("docProps/thumbnail.jpeg"), None);
    }
}
