//! Reading a Word package (.docx, as Word, WPS, LibreOffice and python-docx write it) into a
//! plain [`Document`]: paragraphs with their style, list level and formatted runs, tables with
//! merged cells, and the images they show.
//!
//! Why `zip` + `quick-xml` and not a docx crate: `docx-rs` (0.4, the maintained one) is built
//! for writing — its reader keeps bold, italic, `gridSpan` and `vMerge` in private fields, reads
//! neither `docProps/core.xml` (the title) nor an image's description, and unwraps freely on
//! malformed parts; `docx-rust` (0.1) reads no merged cells at all. The parts the importer
//! needs are few and stable (ECMA-376), so it reads them itself, with both crates' own
//! dependencies, and every malformed part is an error, never a panic.

use std::collections::BTreeMap;
use std::io::Read;

use super::xml::{self, Element};

/// The most one part may unpack to: far above any real document, and it stops a zip bomb.
const MAX_PART: u64 = 64 * 1024 * 1024;

/// A document's content, in order, with what it refers to.
#[derive(Debug, Default)]
pub struct Document {
    /// `dc:title` of `docProps/core.xml`, trimmed; `None` when absent or empty.
    pub core_title: Option<String>,
    pub blocks: Vec<Block>,
    /// Image bytes by relationship id, with the part's file name (`image1.png`).
    pub images: BTreeMap<String, Media>,
    /// Images linked to files outside the package (`TargetMode="External"`), never read:
    /// relationship id → the link's target.
    pub linked: BTreeMap<String, String>,
}

/// An image part of the package.
#[derive(Debug, Clone)]
pub struct Media {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// A paragraph or a table of the body.
#[derive(Debug, Clone)]
pub enum Block {
    Para(Para),
    Table(Table),
}

/// A paragraph: its role, its list membership and its content.
#[derive(Debug, Clone, Default)]
pub struct Para {
    pub role: Role,
    /// `Some((ordered, level))` for a list item (level 0 is the outermost).
    pub list: Option<(bool, usize)>,
    pub inlines: Vec<Inline>,
}

/// What a paragraph's style makes of it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Role {
    #[default]
    Body,
    /// The document's Title style.
    Title,
    /// Heading 1–9.
    Heading(u8),
}

/// Inline content.
#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    Text {
        text: String,
        bold: bool,
        italic: bool,
        /// Raised or lowered (`w:vertAlign`): the 2 of m², of H₂O.
        script: Script,
        link: Option<String>,
    },
    /// A manual line break (`<w:br/>`, Shift+Enter).
    Break,
    /// An image: relationship id and its description (alt text), if any.
    Image { rel: String, alt: Option<String> },
}

/// A run's vertical position (`w:vertAlign`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Script {
    #[default]
    Baseline,
    /// Superscript (`<sup>`).
    Super,
    /// Subscript (`<sub>`).
    Sub,
}

/// A table: rows of cells.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub rows: Vec<Vec<Cell>>,
}

/// A cell: its paragraphs, how many grid columns it spans, and its vertical merge.
#[derive(Debug, Clone, Default)]
pub struct Cell {
    pub paras: Vec<Para>,
    pub span: usize,
    pub merge: VMerge,
}

/// `w:vMerge`: none, the first cell of a vertical merge, or a cell merged into the one above.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum VMerge {
    #[default]
    None,
    Restart,
    Continue,
}

/// Why a package could not be read; the caller adds the path.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("不是有效的 .docx 文件（无法作为 zip 打开）")]
    NotZip,
    #[error("不是 Word 文档（缺少 {0}）")]
    Missing(String),
    #[error("文件已损坏：{part} 无法读取（{reason}）")]
    Corrupt { part: String, reason: String },
}

/// Reads a .docx package from its bytes.
pub fn read(bytes: &[u8]) -> Result<Document, ReadError> {
    let mut zip =
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|_| ReadError::NotZip)?;
    let main = main_part(&mut zip)?;
    let body_xml = part(&mut zip, &main)?.ok_or_else(|| ReadError::Missing(main.clone()))?;
    let rels = relationships(&mut zip, &main)?;
    let styles = match rels.target_of("styles") {
        Some(p) => Styles::parse(&parsed(&mut zip, &p)?),
        None => Styles::default(),
    };
    let numbering = match rels.target_of("numbering") {
        Some(p) => Numbering::parse(&parsed(&mut zip, &p)?),
        None => Numbering::default(),
    };
    let root = xml::parse(&body_xml).map_err(|reason| ReadError::Corrupt {
        part: main.clone(),
        reason,
    })?;
    let body = root
        .child("body")
        .ok_or_else(|| ReadError::Missing(format!("{main} 的正文")))?;
    let ctx = super::walk::Context {
        styles: &styles,
        numbering: &numbering,
        rels: &rels,
        counters: Default::default(),
    };
    let blocks = super::walk::blocks(body, &ctx);
    let images = images(&mut zip, &rels, &blocks)?;
    let linked = super::walk::image_rels(&blocks)
        .into_iter()
        .filter_map(|rel| {
            let target = rels.external(&rel)?.to_string();
            Some((rel, target))
        })
        .collect();
    Ok(Document {
        core_title: core_title(&mut zip)?,
        blocks,
        images,
        linked,
    })
}

type Zip<'a> = zip::ZipArchive<std::io::Cursor<&'a [u8]>>;

/// The text of part `name`, `None` when the package has no such part.
fn part(zip: &mut Zip, name: &str) -> Result<Option<String>, ReadError> {
    let Some(bytes) = part_bytes(zip, name)? else {
        return Ok(None);
    };
    let text = String::from_utf8(bytes).map_err(|_| ReadError::Corrupt {
        part: name.to_string(),
        reason: "不是 UTF-8".into(),
    })?;
    Ok(Some(text.trim_start_matches('\u{FEFF}').to_string()))
}

fn part_bytes(zip: &mut Zip, name: &str) -> Result<Option<Vec<u8>>, ReadError> {
    let corrupt = |reason: String| ReadError::Corrupt {
        part: name.to_string(),
        reason,
    };
    let file = match zip.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(corrupt(e.to_string())),
    };
    let mut bytes = Vec::new();
    file.take(MAX_PART + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| corrupt(e.to_string()))?;
    if bytes.len() as u64 > MAX_PART {
        return Err(corrupt("内容过大".into()));
    }
    Ok(Some(bytes))
}

/// Part `name` parsed; a missing part reads as an empty element.
fn parsed(zip: &mut Zip, name: &str) -> Result<Element, ReadError> {
    match part(zip, name)? {
        Some(text) => xml::parse(&text).map_err(|reason| ReadError::Corrupt {
            part: name.to_string(),
            reason,
        }),
        None => Ok(Element::default()),
    }
}

/// The main document part named by the package relationships (`word/document.xml` usually).
fn main_part(zip: &mut Zip) -> Result<String, ReadError> {
    if zip.by_name("[Content_Types].xml").is_err() {
        return Err(ReadError::Missing("[Content_Types].xml".into()));
    }
    let rels = Rels::parse(&parsed(zip, "_rels/.rels")?, "");
    Ok(rels
        .target_of("officeDocument")
        .unwrap_or_else(|| "word/document.xml".into()))
}

/// The relationships of part `main` (`word/_rels/document.xml.rels`).
fn relationships(zip: &mut Zip, main: &str) -> Result<Rels, ReadError> {
    let (dir, file) = main.rsplit_once('/').unwrap_or(("", main));
    let rels_path = if dir.is_empty() {
        format!("_rels/{file}.rels")
    } else {
        format!("{dir}/_rels/{file}.rels")
    };
    Ok(Rels::parse(&parsed(zip, &rels_path)?, dir))
}

fn core_title(zip: &mut Zip) -> Result<Option<String>, ReadError> {
    let rels = Rels::parse(&parsed(zip, "_rels/.rels")?, "");
    let path = rels
        .target_of("core-properties")
        .unwrap_or_else(|| "docProps/core.xml".into());
    let core = parsed(zip, &path)?;
    Ok(core
        .child("title")
        .map(|t| t.text().trim().to_string())
        .filter(|t| !t.is_empty()))
}

/// The bytes of every image the body shows, by relationship id.
fn images(
    zip: &mut Zip,
    rels: &Rels,
    blocks: &[Block],
) -> Result<BTreeMap<String, Media>, ReadError> {
    let mut out = BTreeMap::new();
    for rel in super::walk::image_rels(blocks) {
        let Some(target) = rels.internal(&rel) else {
            continue;
        };
        let Some(bytes) = part_bytes(zip, &target)? else {
            continue;
        };
        let name = target.rsplit('/').next().unwrap_or(&target).to_string();
        out.insert(rel, Media { name, bytes });
    }
    Ok(out)
}

/// One part's relationships: id → (type's last segment, target, external).
#[derive(Debug, Default)]
pub struct Rels(BTreeMap<String, (String, String, bool)>);

impl Rels {
    fn parse(root: &Element, dir: &str) -> Rels {
        let mut map = BTreeMap::new();
        for r in root.elements().filter(|e| e.name == "Relationship") {
            let (Some(id), Some(kind), Some(target)) =
                (r.attr("Id"), r.attr("Type"), r.attr("Target"))
            else {
                continue;
            };
            let external = r.attr("TargetMode") == Some("External");
            let kind = kind.rsplit('/').next().unwrap_or(kind).to_string();
            let target = if external {
                target.to_string()
            } else {
                resolve_part(dir, target)
            };
            map.insert(id.to_string(), (kind, target, external));
        }
        Rels(map)
    }

    /// The target of the first internal relationship of `kind` (`styles`, `numbering` …).
    fn target_of(&self, kind: &str) -> Option<String> {
        self.0
            .values()
            .find(|(k, _, ext)| k == kind && !ext)
            .map(|(_, t, _)| t.clone())
    }

    /// The package part an internal relationship `id` points at.
    fn internal(&self, id: &str) -> Option<String> {
        self.0
            .get(id)
            .filter(|(_, _, ext)| !ext)
            .map(|(_, t, _)| t.clone())
    }

    /// The target of an external relationship (a hyperlink's URL, a linked picture's file).
    pub fn external(&self, id: &str) -> Option<&str> {
        self.0
            .get(id)
            .filter(|(_, _, ext)| *ext)
            .map(|(_, t, _)| t.as_str())
    }
}

/// A part name from a relationship target: relative to `dir`, or absolute (`/word/x.xml`).
fn resolve_part(dir: &str, target: &str) -> String {
    let joined = match target.strip_prefix('/') {
        Some(abs) => abs.to_string(),
        None if dir.is_empty() => target.to_string(),
        None => format!("{dir}/{target}"),
    };
    let mut parts: Vec<&str> = Vec::new();
    for p in joined.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// What the importer needs of `styles.xml`: each paragraph style's role and list numbering.
#[derive(Debug, Default)]
pub struct Styles(BTreeMap<String, StyleInfo>);

/// A paragraph style's name (lowercase), its outline level, and its `numPr`.
#[derive(Debug, Default, Clone)]
pub struct StyleInfo {
    pub name: String,
    pub based_on: Option<String>,
    pub outline: Option<u8>,
    pub num: Option<(String, usize)>,
}

impl Styles {
    fn parse(root: &Element) -> Styles {
        let mut map = BTreeMap::new();
        for s in root.elements().filter(|e| e.name == "style") {
            let Some(id) = s.attr("styleId") else {
                continue;
            };
            let ppr = s.child("pPr");
            let info = StyleInfo {
                name: s
                    .child("name")
                    .and_then(|n| n.attr("val"))
                    .unwrap_or(id)
                    .to_lowercase(),
                based_on: s
                    .child("basedOn")
                    .and_then(|b| b.attr("val"))
                    .map(String::from),
                outline: ppr
                    .and_then(|p| p.child("outlineLvl"))
                    .and_then(|o| o.attr("val")?.parse().ok()),
                num: ppr.and_then(|p| num_pr(p.child("numPr")?)),
            };
            map.insert(id.to_string(), info);
        }
        Styles(map)
    }

    /// Style `id` and the styles it is based on, nearest first (at most 8, against loops).
    pub fn chain(&self, id: &str) -> Vec<&StyleInfo> {
        let mut out = Vec::new();
        let mut next = Some(id.to_string());
        while let Some(id) = next.take() {
            let Some(info) = self.0.get(&id) else { break };
            out.push(info);
            if out.len() < 8 {
                next = info.based_on.clone();
            }
        }
        out
    }
}

/// `(numId, ilvl)` of a `w:numPr`; `numId` 0 means "no list".
pub fn num_pr(num_pr: &Element) -> Option<(String, usize)> {
    let id = num_pr.child("numId")?.attr("val")?.to_string();
    let level = num_pr
        .child("ilvl")
        .and_then(|l| l.attr("val")?.parse().ok())
        .unwrap_or(0);
    Some((id, level))
}

/// How a list level numbers its paragraphs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LevelFormat {
    Bullet,
    /// Numbers Markdown can write (`1.`): decimal, letters, roman.
    Ordered,
    /// Chinese numerals (一、二、三), which a Markdown list cannot show: the number is written
    /// as text with the level's pattern (`%1、`, `（%1）`), counting from `start`.
    Chinese {
        pattern: String,
        start: u32,
    },
}

/// `numbering.xml`: for each `numId` and level, its format.
#[derive(Debug, Default)]
pub struct Numbering(BTreeMap<(String, usize), LevelFormat>);

impl Numbering {
    fn parse(root: &Element) -> Numbering {
        let mut abstracts: BTreeMap<String, BTreeMap<usize, LevelFormat>> = BTreeMap::new();
        for a in root.elements().filter(|e| e.name == "abstractNum") {
            let Some(id) = a.attr("abstractNumId") else {
                continue;
            };
            abstracts.insert(id.to_string(), levels(a));
        }
        let mut map = BTreeMap::new();
        for n in root.elements().filter(|e| e.name == "num") {
            let Some(id) = n.attr("numId") else { continue };
            let abs = n.child("abstractNumId").and_then(|a| a.attr("val"));
            let mut lv = abs
                .and_then(|a| abstracts.get(a))
                .cloned()
                .unwrap_or_default();
            for o in n.elements().filter(|e| e.name == "lvlOverride") {
                lv.extend(levels(o));
            }
            for (level, format) in lv {
                map.insert((id.to_string(), level), format);
            }
        }
        Numbering(map)
    }

    /// The format of list `num_id` at `level`; `None` when the list is not defined. A level
    /// the list does not define takes the format of its first level.
    pub fn format(&self, num_id: &str, level: usize) -> Option<&LevelFormat> {
        let get = |l: usize| self.0.get(&(num_id.to_string(), l));
        get(level).or_else(|| get(0))
    }
}

/// Word's names of the formats that count in Chinese numerals (一, 二 … 十一).
const CHINESE_FORMATS: &[&str] = &[
    "chineseCounting",
    "chineseCountingThousand",
    "japaneseCounting",
    "taiwaneseCounting",
    "taiwaneseCountingThousand",
    "ideographDigital",
];

/// The `w:lvl` children of an abstract numbering or override: level → format.
fn levels(parent: &Element) -> BTreeMap<usize, LevelFormat> {
    let mut out = BTreeMap::new();
    for l in parent.elements().filter(|e| e.name == "lvl") {
        let Some(level) = l.attr("ilvl").and_then(|v| v.parse().ok()) else {
            continue;
        };
        let val = |name: &str| l.child(name).and_then(|f| f.attr("val"));
        let format = match val("numFmt").unwrap_or("decimal") {
            "bullet" | "none" => LevelFormat::Bullet,
            f if CHINESE_FORMATS.contains(&f) => LevelFormat::Chinese {
                pattern: val("lvlText").unwrap_or("%1、").to_string(),
                start: val("start").and_then(|s| s.parse().ok()).unwrap_or(1),
            },
            _ => LevelFormat::Ordered,
        };
        out.insert(level, format);
    }
    out
}

/// `n` in Chinese numerals as lists count: 一 … 十, 十一, 二十一 (Arabic from 100 on).
pub fn chinese_number(n: u32) -> String {
    const DIGITS: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let ones = |n: u32| match n % 10 {
        0 => "",
        d => DIGITS[d as usize],
    };
    match n {
        0..=9 => DIGITS[n as usize].to_string(),
        10..=19 => format!("十{}", ones(n)),
        20..=99 => format!("{}十{}", DIGITS[(n / 10) as usize], ones(n)),
        _ => n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numbers_count_as_lists_do() {
        let got: Vec<String> = [1, 9, 10, 11, 20, 21, 99, 100].map(chinese_number).to_vec();
        assert_eq!(
            got,
            ["一", "九", "十", "十一", "二十", "二十一", "九十九", "100"]
        );
    }

    #[test]
    fn relationship_targets_resolve_to_part_names() {
        assert_eq!(
            resolve_part("word", "media/image1.png"),
            "word/media/image1.png"
        );
        assert_eq!(
            resolve_part("word", "/word/media/a.jpeg"),
            "word/media/a.jpeg"
        );
        assert_eq!(
            resolve_part("word", "../customXml/item1.xml"),
            "customXml/item1.xml"
        );
        assert_eq!(resolve_part("", "word/document.xml"), "word/document.xml");
    }
}
