//! SPEC `pii` in published attachments: the text of the files the build copies from `static/`
//! and `content/`, scanned with the same rules as pages ([`super::pii::find`]):
//!
//! - spreadsheets (xls, xlsx, ods) cell by cell, with calamine; an xlsx's or ods's comments,
//!   an ods's headers and footers, and the document properties too;
//! - Word documents (docx) paragraph by paragraph — text boxes, hidden text and tracked
//!   deletions included — and their 页眉, 页脚, 脚注, 尾注, 批注 and 文档属性 (`docProps/`);
//! - presentations (pptx) slide by slide, with their notes, masters, comments and properties;
//! - OpenDocument text and presentations (odt, odp): content.xml (with its 批注 and notes),
//!   the headers and footers of styles.xml, meta.xml;
//! - PDFs page by page, csv and txt files line by line;
//! - .zip archives member by member, each by its own format, one level deep.
//!
//! The packages are read by the submodules `xml` and `package`, within a budget of
//! [`MAX_BYTES`] unpacked, so that a zip bomb cannot exhaust memory.
//!
//! A hit in a file is an error that no `allow` can excuse: a file is published as it is, and a
//! list with 身份证号 or mobile numbers in it has to be redacted (`138****5678`) or taken out,
//! never explained. A file, a part or a member that cannot be read (corrupt, encrypted, too
//! large, or a typical attachment format whose text cannot be read: doc, wps, et, dps, ppt, rtf,
//! rar, 7z …) is a `pii` warning: nothing was checked, and staff should know it. Pictures,
//! audio and video are not attachments this check reads.

mod package;
mod xml;

use std::io::Cursor;
use std::path::PathBuf;

use calamine::{Data, Reader};
use rayon::prelude::*;

use super::pii;
use crate::error::{Code, Diagnostic};
use package::Budget;

/// Files larger than this are not opened (reported as not checked): a 50 MiB attachment is
/// already far beyond any notice or list, and reading it whole would cost the build. It is
/// also the most a file's packages and archive members may unpack to, all together.
pub const MAX_BYTES: u64 = 50 * 1024 * 1024;

/// A file the build publishes as it is.
#[derive(Debug, Clone)]
pub struct Attachment {
    /// Site-relative source path as shown to staff (`static/files/名单.xlsx`).
    pub source: String,
    /// Where to read it.
    pub path: PathBuf,
}

/// The formats whose text is scanned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Spreadsheet,
    Docx,
    Pptx,
    /// OpenDocument text and presentations (.odt, .odp); .ods is a [`Format::Spreadsheet`].
    OpenDocument,
    Pdf,
    Text,
    /// A .zip archive, whose members are read by their own formats.
    Archive,
    /// A typical attachment whose text this check cannot read (.doc, .wps, .rar …): always a
    /// not-checked warning, so that staff do not read silence as clean.
    Unreadable,
}

impl Format {
    /// By the file name's extension, any case.
    fn of(name: &str) -> Option<Format> {
        match extension(name).as_str() {
            "xls" | "xlsx" | "xlsm" | "xlsb" | "ods" => Some(Format::Spreadsheet),
            "docx" | "docm" | "dotx" | "dotm" => Some(Format::Docx),
            "pptx" | "pptm" | "ppsx" | "ppsm" | "potx" | "potm" => Some(Format::Pptx),
            "odt" | "ott" | "odp" | "otp" => Some(Format::OpenDocument),
            "pdf" => Some(Format::Pdf),
            "csv" | "txt" => Some(Format::Text),
            "zip" => Some(Format::Archive),
            "doc" | "dot" | "wps" | "wpt" | "rtf" | "et" | "ett" | "dps" | "dpt" | "ppt"
            | "pps" | "pot" | "ofd" => Some(Format::Unreadable),
            ext if is_other_archive(ext) => Some(Format::Unreadable),
            _ => None,
        }
    }
}

/// The extension of file name `name`, lowercase (`xlsx`); empty when it has none.
fn extension(name: &str) -> String {
    let file = name.rsplit('/').next().unwrap_or(name);
    file.rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default()
}

/// Archives other than .zip, which this check cannot open.
fn is_other_archive(ext: &str) -> bool {
    matches!(ext, "rar" | "7z" | "tar" | "gz" | "tgz" | "bz2" | "xz")
}

/// Whether `name` is a file this check reads, or warns it cannot read (.doc, .rar …); pictures,
/// audio, video and other files are neither.
pub fn is_scanned(name: &str) -> bool {
    Format::of(name).is_some()
}

/// Where a piece of text stands in its file.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Place {
    /// A worksheet and a cell (`B7`).
    Cell { sheet: String, cell: String },
    /// A paragraph of a Word document, from 1.
    Paragraph(usize),
    /// A page of a PDF, from 1.
    Page(usize),
    /// A line of a text file, from 1.
    Line(usize),
    /// A slide of a presentation, from 1.
    Slide(usize),
    /// The notes of a slide, from 1.
    SlideNotes(usize),
    /// A part of a document outside its main text, by the name staff know it by (`页眉`).
    Part(&'static str),
    /// A place in a member of a .zip archive (`资料/名单.csv`).
    Member { name: String, place: Box<Place> },
}

impl Place {
    /// How staff find the place, put before the message (`第 2 段`, `页眉中`); empty for a line
    /// of a text file, which the diagnostic locates by line and column.
    fn describe(&self) -> String {
        match self {
            Place::Cell { sheet, cell } => format!("工作表「{sheet}」{cell} 单元格"),
            Place::Paragraph(n) => format!("第 {n} 段"),
            Place::Page(n) => format!("第 {n} 页"),
            Place::Line(_) => String::new(),
            Place::Slide(n) => format!("第 {n} 张幻灯片"),
            Place::SlideNotes(n) => format!("第 {n} 张幻灯片的备注中"),
            Place::Part(label) => format!("{label}中"),
            Place::Member { name, place } => match **place {
                Place::Line(n) => format!("压缩包内「{name}」第 {n} 行"),
                ref inner => format!("压缩包内「{name}」{}", inner.describe()),
            },
        }
    }
}

/// What a file holds: its text piece by piece, and what of it could not be checked.
#[derive(Debug, Default)]
struct Found {
    texts: Vec<(Place, String)>,
    unchecked: Vec<Unchecked>,
}

impl Found {
    /// Adds a piece of text, unless it is blank.
    fn push(&mut self, place: Place, text: String) {
        if !text.trim().is_empty() {
            self.texts.push((place, text));
        }
    }

    /// Only a part not checked.
    fn unchecked(unchecked: Unchecked) -> Found {
        Found {
            texts: Vec::new(),
            unchecked: vec![unchecked],
        }
    }

    /// Adds what member `name` of an archive holds, each place and part within it.
    fn member(&mut self, name: &str, inner: Found) {
        for (place, text) in inner.texts {
            let place = Box::new(place);
            let name = name.to_string();
            self.texts.push((Place::Member { name, place }, text));
        }
        for mut u in inner.unchecked {
            u.place = format!("压缩包内「{name}」{}", u.place);
            self.unchecked.push(u);
        }
    }

    /// The `pii` errors of the texts, then a warning for each part not checked.
    fn diagnostics(&self, file: &Attachment) -> Vec<Diagnostic> {
        let errors = self.texts.iter().flat_map(|(p, t)| hits(file, p, t));
        let warnings = self.unchecked.iter().map(|u| not_scanned(file, u));
        errors.chain(warnings).collect()
    }
}

/// A file, or a part of it, that could not be checked.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Unchecked {
    /// Where, before the message (`页眉`); empty for the whole file.
    place: String,
    reason: String,
    hint: String,
}

impl Unchecked {
    /// The whole file, with the usual advice.
    fn file(reason: impl Into<String>) -> Unchecked {
        Unchecked::part("", reason)
    }

    /// A file of a format whose text cannot be read (`.doc`), with what to do instead.
    fn format(name: &str) -> Unchecked {
        let ext = extension(name);
        let (reason, hint) = if is_other_archive(&ext) {
            let hint = "请解压后人工检查其中的文件是否有手机号、身份证号等个人信息，或改用 .zip 格式压缩后再发布";
            (format!("不支持解开 .{ext} 压缩包"), hint.to_string())
        } else {
            let save_as = match ext.as_str() {
                "et" | "ett" => ".xlsx",
                "dps" | "dpt" | "ppt" | "pps" | "pot" => ".pptx",
                "ofd" => "PDF",
                _ => ".docx",
            };
            let hint = format!(
                "请打开文件人工检查其中是否有手机号、身份证号等个人信息，或另存为 {save_as} 后再发布"
            );
            (format!("不支持读取 .{ext} 格式的文字"), hint)
        };
        Unchecked {
            place: String::new(),
            reason,
            hint,
        }
    }

    /// A part of the file (`页眉`), with the usual advice.
    fn part(place: &str, reason: impl Into<String>) -> Unchecked {
        Unchecked {
            place: place.to_string(),
            reason: reason.into(),
            hint: "请打开文件人工检查；加密或损坏的文件可另存为普通格式后再发布".into(),
        }
    }
}

/// Every `pii` finding in `files`, in parallel; files of other formats are skipped.
pub fn check(files: &[Attachment]) -> Vec<Diagnostic> {
    let per_file: Vec<Vec<Diagnostic>> = files
        .par_iter()
        .filter(|a| is_scanned(&a.source))
        .map(scan_file)
        .collect();
    per_file.into_iter().flatten().collect()
}

/// One file's findings, or a warning saying why it was not checked.
fn scan_file(file: &Attachment) -> Vec<Diagnostic> {
    let Some(format) = Format::of(&file.source) else {
        return Vec::new();
    };
    if format == Format::Unreadable {
        return vec![not_scanned(file, &Unchecked::format(&file.source))];
    }
    let io = |e: std::io::Error| {
        let reason = crate::error::io_reason(&e);
        vec![not_scanned(file, &Unchecked::file(reason))]
    };
    match std::fs::metadata(&file.path) {
        Ok(m) if m.len() > MAX_BYTES => {
            let reason = format!("文件超过 {} MB", MAX_BYTES >> 20);
            return vec![not_scanned(file, &Unchecked::file(reason))];
        }
        Ok(_) => {}
        Err(e) => return io(e),
    }
    let bytes = match std::fs::read(&file.path) {
        Ok(b) => b,
        Err(e) => return io(e),
    };
    // Readers of binary formats may panic on hostile input; a bad file must not stop a build.
    let found =
        std::panic::catch_unwind(|| texts(format, &bytes, &file.source, &mut Budget::new()))
            .unwrap_or_else(|_| Err("文件格式有误".to_string()));
    match found {
        Ok(found) => found.diagnostics(file),
        Err(reason) => vec![not_scanned(file, &Unchecked::file(reason))],
    }
}

/// The text of a file, piece by piece with where each piece stands, and what of it could not
/// be checked; `Err` when none of it could be read.
fn texts(format: Format, bytes: &[u8], source: &str, budget: &mut Budget) -> Result<Found, String> {
    let mut found = Found::default();
    match format {
        Format::Spreadsheet => {
            found.texts = spreadsheet_texts(bytes)?;
            package::spreadsheet_extras(bytes, budget, &mut found);
        }
        Format::Docx => return package::docx(bytes, budget),
        Format::Pptx => return package::pptx(bytes, budget),
        Format::OpenDocument => {
            let what = format!(".{}", extension(source));
            return package::open_document(bytes, &what, budget);
        }
        Format::Archive => return package::archive(bytes, budget),
        Format::Unreadable => found.unchecked.push(Unchecked::format(source)),
        Format::Pdf => {
            let pages = pdf_extract::extract_text_from_mem_by_pages(bytes)
                .map_err(|_| "文件已损坏或加密，无法作为 PDF 读取".to_string())?;
            for (i, text) in pages.into_iter().enumerate() {
                found.push(Place::Page(i + 1), text);
            }
        }
        Format::Text => {
            let (text, _) = crate::content::load::decode(bytes, source).map_err(|d| d.message)?;
            for (i, line) in text.lines().enumerate() {
                found.push(Place::Line(i + 1), line.to_string());
            }
        }
    }
    Ok(found)
}

/// Every non-empty cell of every worksheet, as text (a number as Excel shows it without a
/// format: `13812345678`).
fn spreadsheet_texts(bytes: &[u8]) -> Result<Vec<(Place, String)>, String> {
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|_| "文件已损坏或加密，无法作为电子表格打开".to_string())?;
    let mut out = Vec::new();
    for sheet in book.sheet_names() {
        let range = book
            .worksheet_range(&sheet)
            .map_err(|_| format!("工作表「{sheet}」已损坏，无法读取"))?;
        let (top, left) = range.start().unwrap_or((0, 0));
        for (row, col, data) in range.used_cells() {
            let text = match data {
                Data::Empty => continue,
                Data::String(s) => s.clone(),
                other => other.to_string(),
            };
            let cell = cell_name(left as usize + col, top as usize + row);
            let place = Place::Cell {
                sheet: sheet.clone(),
                cell,
            };
            out.push((place, text));
        }
    }
    Ok(out)
}

/// `B7` for column 1, row 6 (both from 0).
fn cell_name(col: usize, row: usize) -> String {
    let mut letters = Vec::new();
    let mut n = col + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect::<String>() + &(row + 1).to_string()
}

/// The `pii` errors of one piece of text.
fn hits(file: &Attachment, place: &Place, text: &str) -> Vec<Diagnostic> {
    pii::find(text)
        .into_iter()
        .map(|found| {
            let what = if found.id_number {
                "身份证号"
            } else {
                "手机号码"
            };
            let message = format!("{}疑似公开了个人信息（{what}）", place.describe());
            let mut d = Diagnostic::error(Code::Pii, &file.source, message);
            if let Place::Line(line) = place {
                d = d.at(*line, text[..found.start].chars().count() + 1);
            }
            d.hint("附件会原样发布：删除或隐去（如 138****5678）后再发布；附件中的个人信息不能豁免")
        })
        .collect()
}

/// A file, or a part of it, that could not be checked, with the reason.
fn not_scanned(file: &Attachment, unchecked: &Unchecked) -> Diagnostic {
    let Unchecked {
        place,
        reason,
        hint,
    } = unchecked;
    Diagnostic::warning(
        Code::Pii,
        &file.source,
        format!("{place}无法读取，未能检查其中的个人信息：{reason}"),
    )
    .hint(hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_names() {
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(1, 6), "B7");
        assert_eq!(cell_name(25, 0), "Z1");
        assert_eq!(cell_name(26, 9), "AA10");
        assert_eq!(cell_name(701, 0), "ZZ1");
        assert_eq!(cell_name(702, 0), "AAA1");
    }

    #[test]
    fn formats_by_extension() {
        assert_eq!(Format::of("static/a/名单.XLSX"), Some(Format::Spreadsheet));
        assert_eq!(Format::of("content/x/报名表.docx"), Some(Format::Docx));
        assert_eq!(Format::of("a.pdf"), Some(Format::Pdf));
        assert_eq!(Format::of("a.csv"), Some(Format::Text));
        assert_eq!(Format::of("幻灯片.PPTX"), Some(Format::Pptx));
        assert_eq!(Format::of("a.odp"), Some(Format::OpenDocument));
        assert_eq!(Format::of("资料.Zip"), Some(Format::Archive));
        for name in [
            "旧稿.DOC",
            "a.wps",
            "a.et",
            "a.dps",
            "a.ppt",
            "a.rtf",
            "a.rar",
            "a.7z",
        ] {
            assert_eq!(Format::of(name), Some(Format::Unreadable), "{name}");
        }
        for name in [
            "a.jpg", "a.PNG", "a.gif", "a.webp", "a.svg", "a.mp4", "a.mp3",
        ] {
            assert!(!is_scanned(name), "{name}");
        }
        assert_eq!(Format::of("a.png"), None);
        assert_eq!(Format::of("files.v2/README"), None);
        assert_eq!(Format::of("README"), None);
    }

    #[test]
    fn a_file_that_cannot_be_opened_is_a_warning_in_plain_chinese() {
        let file = Attachment {
            source: "static/a.csv".into(),
            path: PathBuf::from("/nonexistent/tongxin/a.csv"),
        };
        let d = scan_file(&file);
        assert_eq!(
            d[0].message,
            "无法读取，未能检查其中的个人信息：文件或目录不存在"
        );
        assert!(!d[0].is_error());
    }

    #[test]
    fn text_lines_give_line_and_column() {
        let file = Attachment {
            source: "static/a.txt".into(),
            path: PathBuf::new(),
        };
        let d = hits(&file, &Place::Line(3), "张三，电话13812345678");
        assert_eq!((d.len(), d[0].line, d[0].column), (1, 3, 6));
        let cell = Place::Cell {
            sheet: "Sheet1".into(),
            cell: "B7".into(),
        };
        let d = hits(&file, &cell, "11010519491231002X");
        assert_eq!(
            d[0].message,
            "工作表「Sheet1」B7 单元格疑似公开了个人信息（身份证号）"
        );
        assert!(hits(&file, &cell, "110105194912310021").is_empty());
    }
}
