//! Office packages (zip files of XML parts: .docx, .pptx, OpenDocument) and the parts of them
//! staff do not see at first glance — 页眉, 页脚, 脚注, 批注, 文档属性 — and .zip archives,
//! member by member. Everything is read within a [`Budget`] of unpacked bytes, so that a zip
//! bomb cannot exhaust memory.

use std::io::{Cursor, Read};

use super::xml::{self, Markup, Para, Region};
use super::{Format, Found, MAX_BYTES, Place, Unchecked};

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
enum Skipped {
    /// The budget would be exceeded.
    OverBudget,
    /// Encrypted, compressed in a way not supported, or damaged: the reason for staff.
    Unreadable(&'static str),
}

/// An open package: its parts' names and the budget its reads draw on.
struct Package<'a, 'b> {
    zip: Zip<'a>,
    names: Vec<String>,
    budget: &'b mut Budget,
}

/// How a part is read: its markup and the region its text is in unless the markup says
/// otherwise.
type How = (Markup, Region);

impl<'a, 'b> Package<'a, 'b> {
    /// The package in `bytes`; `what` names the format for the reason (`.docx`).
    fn open(bytes: &'a [u8], what: &str, budget: &'b mut Budget) -> Result<Self, String> {
        let zip = zip::ZipArchive::new(Cursor::new(bytes))
            .map_err(|_| format!("不是有效的 {what} 文件（无法作为 zip 打开）"))?;
        // Office packages name their parts in UTF-8.
        let mut names: Vec<String> = zip
            .file_names()
            .filter_map(Result::ok)
            .map(|n| n.into_owned())
            .collect();
        names.sort_by_cached_key(|n| natural_key(n));
        Ok(Package { zip, names, budget })
    }

    /// Whether the package has part `name`.
    fn has(&self, name: &str) -> bool {
        self.names.iter().any(|n| n == name)
    }

    /// The paragraphs of part `name`; `Ok(None)` when the package has no such part.
    fn paragraphs(&mut self, name: &str, (markup, base): How) -> Result<Option<Vec<Para>>, String> {
        let Some(index) = self.zip.index_for_name(name) else {
            return Ok(None);
        };
        let bytes = read_entry(&mut self.zip, index, self.budget).map_err(|s| match s {
            Skipped::OverBudget => format!("解压后超过 {} MB", MAX_BYTES >> 20),
            Skipped::Unreadable(reason) => reason.to_string(),
        })?;
        xml::paragraphs(&bytes, markup, base)
            .map(Some)
            .map_err(|reason| format!("文件已损坏（{reason}）"))
    }

    /// Reads part `name` and adds each paragraph where `place` puts it (`None`: not scanned
    /// here); a part that cannot be read is noted as not checked, under `label`.
    fn scan(
        &mut self,
        name: &str,
        (how, label): (How, &str),
        found: &mut Found,
        mut place: impl FnMut(&Para) -> Option<Place>,
    ) {
        match self.paragraphs(name, how) {
            Ok(paras) => {
                for p in paras.into_iter().flatten() {
                    if let Some(at) = place(&p) {
                        found.push(at, p.text);
                    }
                }
            }
            Err(reason) => found.unchecked.push(Unchecked::part(label, reason)),
        }
    }

    /// [`Package::scan`], each paragraph placed by its region (`页眉中`).
    fn scan_by_region(&mut self, name: &str, how: How, found: &mut Found) {
        let by_region = |p: &Para| Some(Place::Part(p.region.label()));
        self.scan(name, (how, how.1.label()), found, by_region);
    }

    /// Every part `how_of` says how to read, by region then name.
    fn scan_parts(&mut self, how_of: impl Fn(&str) -> Option<How>, found: &mut Found) {
        let mut parts: Vec<(How, String)> = self
            .names
            .iter()
            .filter_map(|n| how_of(n).map(|how| (how, n.clone())))
            .collect();
        parts.sort_by_key(|((_, region), _)| *region);
        for (how, name) in parts {
            self.scan_by_region(&name, how, found);
        }
    }
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
fn read_entry(zip: &mut Zip, index: usize, budget: &mut Budget) -> Result<Vec<u8>, Skipped> {
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

/// How a part of a Word package outside the body is read, by its name.
fn word_part(name: &str) -> Option<How> {
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
fn properties_part(name: &str) -> Option<How> {
    let rest = name.strip_prefix("docProps/")?;
    (rest.ends_with(".xml") && !rest.contains('/'))
        .then_some((Markup::Properties, Region::Properties))
}

/// A Word package: every paragraph of the body (第 n 段) — also in text boxes, hidden text and
/// deleted text kept as a tracked change, all of which the file publishes — then its 页眉,
/// 页脚, 脚注, 尾注, 批注 and 文档属性.
pub fn docx(bytes: &[u8], budget: &mut Budget) -> Result<Found, String> {
    let mut package = Package::open(bytes, ".docx", budget)?;
    let main = main_part(&mut package).unwrap_or_else(|| "word/document.xml".into());
    let body = package
        .paragraphs(&main, (Markup::Office, Region::Main))?
        .ok_or_else(|| format!("不是 Word 文档（缺少 {main}）"))?;
    let mut found = Found::default();
    for (i, p) in body.into_iter().enumerate() {
        found.push(Place::Paragraph(i + 1), p.text);
    }
    package.scan_parts(word_part, &mut found);
    Ok(found)
}

/// The main document part named by the package relationships (`word/document.xml` usually).
fn main_part(package: &mut Package) -> Option<String> {
    let index = package.zip.index_for_name("_rels/.rels")?;
    let bytes = read_entry(&mut package.zip, index, package.budget).ok()?;
    xml::relationships(&bytes)
        .ok()?
        .into_iter()
        .find(|(kind, _)| kind == "officeDocument")
        .map(|(_, target)| target.trim_start_matches('/').to_string())
}

/// `n` when `name` is `{prefix}{n}.xml` (`ppt/slides/slide3.xml`).
fn numbered(name: &str, prefix: &str) -> Option<usize> {
    name.strip_prefix(prefix)?
        .strip_suffix(".xml")?
        .parse()
        .ok()
}

/// How a part of a PowerPoint package other than its slides and notes is read.
fn presentation_part(name: &str) -> Option<How> {
    let in_folder = |folder: &str| {
        name.strip_prefix(folder)
            .is_some_and(|rest| rest.ends_with(".xml") && !rest.contains('/'))
    };
    if in_folder("ppt/slideMasters/") || in_folder("ppt/slideLayouts/") {
        Some((Markup::Office, Region::Master))
    } else if in_folder("ppt/comments/") {
        Some((Markup::Properties, Region::Comment))
    } else {
        properties_part(name)
    }
}

/// A PowerPoint package: each slide's text (第 n 张幻灯片) and its notes, the masters and
/// layouts (母版), the comments (批注) and the document properties.
pub fn pptx(bytes: &[u8], budget: &mut Budget) -> Result<Found, String> {
    let mut package = Package::open(bytes, ".pptx", budget)?;
    if !package.has("ppt/presentation.xml") {
        return Err("不是 PowerPoint 演示文稿（缺少 ppt/presentation.xml）".into());
    }
    let mut found = Found::default();
    let office = (Markup::Office, Region::Main);
    let names = package.names.clone();
    for name in &names {
        if let Some(n) = numbered(name, "ppt/slides/slide") {
            let label = format!("第 {n} 张幻灯片");
            package.scan(name, (office, &label), &mut found, |_| {
                Some(Place::Slide(n))
            });
        }
    }
    for name in &names {
        if let Some(k) = numbered(name, "ppt/notesSlides/notesSlide") {
            let rels = format!("ppt/notesSlides/_rels/notesSlide{k}.xml.rels");
            let place = match notes_slide(&mut package, &rels) {
                Some(n) => Place::SlideNotes(n),
                None => Place::Part(Region::Notes.label()),
            };
            let how = ((Markup::Office, Region::Notes), Region::Notes.label());
            package.scan(name, how, &mut found, |_| Some(place.clone()));
        }
    }
    package.scan_parts(presentation_part, &mut found);
    Ok(found)
}

/// The number of the slide a notes page belongs to, by its relationships part `rels`.
fn notes_slide(package: &mut Package, rels: &str) -> Option<usize> {
    let index = package.zip.index_for_name(rels)?;
    let bytes = read_entry(&mut package.zip, index, package.budget).ok()?;
    xml::relationships(&bytes)
        .ok()?
        .into_iter()
        .find(|(kind, _)| kind == "slide")
        .and_then(|(_, target)| numbered(target.rsplit('/').next()?, "slide"))
}

/// An OpenDocument text or presentation (.odt, .odp; `what` is its extension): the paragraphs
/// of content.xml (第 n 段, or 第 n 张幻灯片 and its 备注), its 批注, 脚注 and 尾注, then
/// [`open_document_extras`].
pub fn open_document(bytes: &[u8], what: &str, budget: &mut Budget) -> Result<Found, String> {
    let mut package = Package::open(bytes, what, budget)?;
    if !package.has("content.xml") {
        return Err("不是 OpenDocument 文档（缺少 content.xml）".into());
    }
    let mut found = Found::default();
    let mut paragraph = 0;
    let place = |p: &Para| {
        Some(match (p.region, p.slide) {
            (Region::Main, 0) => {
                paragraph += 1;
                Place::Paragraph(paragraph)
            }
            (Region::Main, n) => Place::Slide(n),
            (Region::Notes, n) if n > 0 => Place::SlideNotes(n),
            (region, _) => Place::Part(region.label()),
        })
    };
    let how = ((Markup::Open, Region::Main), Region::Main.label());
    package.scan("content.xml", how, &mut found, place);
    open_document_extras(&mut package, &mut found);
    Ok(found)
}

/// The 页眉, 页脚 and 母版 of an OpenDocument's styles.xml, and the properties of meta.xml.
fn open_document_extras(package: &mut Package, found: &mut Found) {
    package.scan_by_region("styles.xml", (Markup::Open, Region::Master), found);
    package.scan_by_region("meta.xml", (Markup::Properties, Region::Properties), found);
}

/// What a spreadsheet holds besides its cells (which calamine reads): for .ods the 批注 of
/// content.xml and [`open_document_extras`]; for .xlsx its 批注 and 文档属性; nothing for .xls.
pub fn spreadsheet_extras(bytes: &[u8], budget: &mut Budget, found: &mut Found) {
    let Ok(mut package) = Package::open(bytes, "", budget) else {
        return;
    };
    if package.has("content.xml") {
        let comments = |p: &Para| (p.region != Region::Main).then(|| Place::Part(p.region.label()));
        let how = ((Markup::Open, Region::Main), Region::Comment.label());
        package.scan("content.xml", how, found, comments);
        open_document_extras(&mut package, found);
    } else {
        package.scan_parts(workbook_part, found);
    }
}

/// How a part of an Excel package other than its sheets is read: comments and properties.
fn workbook_part(name: &str) -> Option<How> {
    let legacy = name.starts_with("xl/comments") && name.ends_with(".xml");
    let threaded = name.starts_with("xl/threadedComments/") && name.ends_with(".xml");
    if legacy || threaded {
        return Some((Markup::Properties, Region::Comment));
    }
    properties_part(name)
}

/// A .zip archive: each member read by its own extension (one level deep: an archive in it is
/// noted as not checked), until the budget is spent.
pub fn archive(bytes: &[u8], budget: &mut Budget) -> Result<Found, String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|_| "不是有效的 .zip 文件（已损坏，或是改了扩展名的其他格式）".to_string())?;
    let mut found = Found::default();
    for index in 0..zip.len() {
        let Ok(entry) = zip.by_index_data(index) else {
            continue;
        };
        if entry.is_dir() {
            continue;
        }
        let name = member_name(entry.name_raw());
        let Some(format) = Format::of(&name).filter(|_| !is_mac_metadata(&name)) else {
            continue;
        };
        match member(&mut zip, index, &name, format, budget) {
            Ok(inner) => found.member(&name, inner),
            Err(Some(unchecked)) => found.member(&name, Found::unchecked(unchecked)),
            Err(None) => {
                found.unchecked.push(over_budget(&name));
                break;
            }
        }
    }
    Ok(found)
}

/// What member `index` of an archive holds; `Err(None)` when the budget is spent.
fn member(
    zip: &mut Zip,
    index: usize,
    name: &str,
    format: Format,
    budget: &mut Budget,
) -> Result<Found, Option<Unchecked>> {
    if format == Format::Unreadable {
        return Err(Some(Unchecked::format(name)));
    }
    if format == Format::Archive {
        return Err(Some(Unchecked {
            place: String::new(),
            reason: "压缩包里的压缩包不会解开检查".into(),
            hint: "请解压后人工检查其中的文件，或把其中的文件直接放进外层压缩包".into(),
        }));
    }
    let bytes = read_entry(zip, index, budget).map_err(|s| match s {
        Skipped::OverBudget => None,
        Skipped::Unreadable(reason) => Some(Unchecked::file(reason)),
    })?;
    // As for a file (`scan_file`): a reader's panic on one member must not hide the others.
    let texts = || super::texts(format, &bytes, name, budget);
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(texts))
        .unwrap_or_else(|_| Err("文件格式有误".to_string()))
        .map_err(|reason| Some(Unchecked::file(reason)))
}

/// What the macOS archiver adds beside each file (`__MACOSX/…/._名单.csv`): not the file's
/// content, and unreadable as its format.
fn is_mac_metadata(name: &str) -> bool {
    let file = name.rsplit('/').next().unwrap_or(name);
    name.starts_with("__MACOSX/") || file.starts_with("._")
}

/// The rest of an archive, from member `name` on, not checked: it unpacks to too much.
fn over_budget(name: &str) -> Unchecked {
    Unchecked {
        place: String::new(),
        reason: format!(
            "压缩包解压后超过 {} MB，从「{name}」起的文件未检查",
            MAX_BYTES >> 20
        ),
        hint: "请解压后人工检查其余的文件，或分成几个较小的压缩包后再发布".into(),
    }
}

/// A member's name as stored: UTF-8, or else GBK as the compression tools of Chinese Windows
/// write it.
fn member_name(raw: &[u8]) -> String {
    match std::str::from_utf8(raw) {
        Ok(name) => name.to_string(),
        Err(_) => encoding_rs::GB18030
            .decode_without_bom_handling(raw)
            .0
            .into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A zip of `members` (name, bytes).
    fn zip_of(members: &[(&str, &[u8])]) -> Vec<u8> {
        use std::io::Write as _;
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, bytes) in members {
            let options = zip::write::SimpleFileOptions::default();
            zip.start_file(*name, options).unwrap();
            zip.write_all(bytes).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn archives_stop_reading_when_the_budget_is_spent() {
        let big = vec![b'a'; 600];
        let bytes = zip_of(&[
            ("a.txt", b"13812345678"),
            ("b.txt", &big),
            ("c.txt", &big),
            ("d.txt", b"13812345678"),
        ]);
        let found = archive(&bytes, &mut Budget(1000)).unwrap();
        assert_eq!(found.texts.len(), 2, "{found:?}");
        assert_eq!(found.unchecked, [over_budget("c.txt")]);
        let found = archive(&bytes, &mut Budget::new()).unwrap();
        assert_eq!((found.texts.len(), found.unchecked.len()), (4, 0));
    }

    #[test]
    fn macos_metadata_in_archives_is_skipped() {
        let bytes = zip_of(&[
            ("名单.csv", b"13812345678"),
            ("__MACOSX/._名单.csv", b"\0\x05\x16\x07\0\x02\0\0Mac OS X"),
            ("资料/._表.csv", b"\0\x05\x16\x07"),
        ]);
        let found = archive(&bytes, &mut Budget::new()).unwrap();
        assert_eq!(
            (found.texts.len(), found.unchecked.len()),
            (1, 0),
            "{found:?}"
        );
    }

    #[test]
    fn member_names_in_gbk_are_read() {
        assert_eq!(member_name("名单.csv".as_bytes()), "名单.csv");
        assert_eq!(member_name(b"\xc3\xfb\xb5\xa5.csv"), "名单.csv");
    }

    #[test]
    fn names_sort_naturally() {
        let mut names = vec!["slide10.xml", "slide2.xml", "slide1.xml"];
        names.sort_by_key(|n| natural_key(n));
        assert_eq!(names, ["slide1.xml", "slide2.xml", "slide10.xml"]);
    }

    #[test]
    fn parts_by_name() {
        assert_eq!(
            numbered("ppt/slides/slide12.xml", "ppt/slides/slide"),
            Some(12)
        );
        assert_eq!(
            numbered("ppt/slides/_rels/slide1.xml.rels", "ppt/slides/slide"),
            None
        );
        let region = |n: &str| presentation_part(n).map(|(_, r)| r);
        assert_eq!(
            region("ppt/slideMasters/slideMaster1.xml"),
            Some(Region::Master)
        );
        assert_eq!(
            region("ppt/comments/modernComment_1.xml"),
            Some(Region::Comment)
        );
        assert_eq!(region("ppt/slideLayouts/_rels/slideLayout1.xml.rels"), None);
        let region = |n: &str| workbook_part(n).map(|(_, r)| r);
        assert_eq!(region("xl/comments1.xml"), Some(Region::Comment));
        assert_eq!(region("docProps/core.xml"), Some(Region::Properties));
        assert_eq!(region("xl/worksheets/sheet1.xml"), None);
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
