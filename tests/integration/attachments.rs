//! SPEC `pii` in published attachments: spreadsheets, Word documents (their headers, footers,
//! notes, comments and properties too), presentations, OpenDocument files, PDFs, csv and txt
//! files, and the members of .zip archives, from `static/` and linked from `content/`, are
//! scanned with the pages' rules; unreadable files and formats are a warning; a leaking
//! attachment stops `build`.

use std::io::Write as _;

use crate::support::{SiteTest, stderr, stdout};

const ID: &str = "11010519491231002X";
const BAD_ID: &str = "110105194912310021";
const MOBILE: &str = "13812345678";

/// A workbook with one sheet `name`, `text` in B7 and a mobile number stored as a number in C2.
fn xlsx(name: &str, text: &str, number: Option<f64>) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(name).unwrap();
    sheet.write_string(0, 0, "姓名").unwrap();
    sheet.write_string(6, 1, text).unwrap();
    if let Some(n) = number {
        sheet.write_number(1, 2, n).unwrap();
    }
    book.save_to_buffer().unwrap()
}

/// A zip file of `parts` (name, text), as office packages and archives are.
fn package(parts: &[(&str, String)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for (name, text) in parts {
        zip.start_file(*name, options).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

const W: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";

/// A minimal Word package whose body holds `paragraphs`.
fn docx(paragraphs: &[&str]) -> Vec<u8> {
    docx_with(paragraphs, &[])
}

/// A minimal Word package whose body holds `paragraphs`, with more `parts` (name, text).
fn docx_with(paragraphs: &[&str], parts: &[(&str, String)]) -> Vec<u8> {
    let body: String = paragraphs
        .iter()
        .map(|p| format!("<w:p><w:r><w:t>{p}</w:t></w:r></w:p>"))
        .collect();
    docx_of_body(&body, parts)
}

/// A minimal Word package whose body is the XML `body`, with more `parts` (name, text).
fn docx_of_body(body: &str, parts: &[(&str, String)]) -> Vec<u8> {
    let mut all = vec![
        ("[Content_Types].xml", "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"xml\" ContentType=\"application/xml\"/></Types>".to_string()),
        ("_rels/.rels", "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>".to_string()),
        ("word/document.xml", format!("<?xml version=\"1.0\"?><w:document {W}><w:body>{body}</w:body></w:document>")),
    ];
    all.extend(parts.iter().cloned());
    package(&all)
}

/// A Word part whose root `root` holds one paragraph of `runs`.
fn word_part(root: &str, runs: &[&str]) -> String {
    let runs: String = runs
        .iter()
        .map(|r| format!("<w:r><w:t xml:space=\"preserve\">{r}</w:t></w:r>"))
        .collect();
    format!("<?xml version=\"1.0\"?><w:{root} {W}><w:p>{runs}</w:p></w:{root}>")
}

/// A PDF with one page per entry of `pages`, each one line of ASCII text in Helvetica.
fn pdf(pages: &[&str]) -> Vec<u8> {
    let n = pages.len();
    let kids: String = (0..n).map(|i| format!("{} 0 R ", 4 + 2 * i)).collect();
    let mut objects = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        format!("<< /Type /Pages /Kids [{kids}] /Count {n} >>"),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    for (i, text) in pages.iter().enumerate() {
        let stream = format!("BT /F1 12 Tf 72 720 Td ({text}) Tj ET");
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
            5 + 2 * i
        ));
        objects.push(format!(
            "<< /Length {} >>\nstream\n{stream}\nendstream",
            stream.len()
        ));
    }
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n{o}\nendobj\n", i + 1).bytes());
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).bytes());
    for o in offsets {
        out.extend(format!("{o:010} 00000 n \n").bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .bytes(),
    );
    out
}

fn put(site: &SiteTest, rel: &str, bytes: &[u8]) {
    let path = site.root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// `check`'s lines about `file`.
fn lines_about(site: &SiteTest, file: &str) -> Vec<String> {
    let out = site.run("check", &[]);
    stdout(&out)
        .lines()
        .filter(|l| l.starts_with(file))
        .map(str::to_string)
        .collect()
}

#[test]
fn personal_data_in_each_format_is_reported_with_file_and_place() {
    let site = SiteTest::fixture("basic");
    put(
        &site,
        "static/files/名单.xlsx",
        &xlsx("报名表", ID, Some(13812345678.0)),
    );
    put(
        &site,
        "static/files/通知.docx",
        &docx(&["会议通知", &format!("联系人 {MOBILE}")]),
    );
    put(
        &site,
        "static/files/公示.pdf",
        &pdf(&["Gong shi", &format!("ID {ID}")]),
    );
    put(
        &site,
        "static/files/名单.csv",
        format!("姓名,电话\n张三,{MOBILE}\n").as_bytes(),
    );
    put(
        &site,
        "static/files/说明.txt",
        format!("第一行\n身份证 {ID}\n").as_bytes(),
    );
    let expected = [
        (
            "static/files/名单.xlsx",
            "static/files/名单.xlsx: error[pii]: 工作表「报名表」B7 单元格疑似公开了个人信息（身份证号）",
        ),
        (
            "static/files/名单.xlsx",
            "static/files/名单.xlsx: error[pii]: 工作表「报名表」C2 单元格疑似公开了个人信息（手机号码）",
        ),
        (
            "static/files/通知.docx",
            "static/files/通知.docx: error[pii]: 第 2 段疑似公开了个人信息（手机号码）",
        ),
        (
            "static/files/公示.pdf",
            "static/files/公示.pdf: error[pii]: 第 2 页疑似公开了个人信息（身份证号）",
        ),
        (
            "static/files/名单.csv",
            "static/files/名单.csv:2:4: error[pii]: 疑似公开了个人信息（手机号码）",
        ),
        (
            "static/files/说明.txt",
            "static/files/说明.txt:2:5: error[pii]: 疑似公开了个人信息（身份证号）",
        ),
    ];
    let out = site.run("check", &[]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    for (file, line) in expected {
        assert!(text.contains(line), "{line}\n{text}");
        let about = lines_about(&site, file);
        let count = expected.iter().filter(|(f, _)| *f == file).count();
        assert_eq!(about.len(), count, "{file}: {about:?}");
    }
}

#[test]
fn clean_attachments_and_invalid_check_digits_pass() {
    let site = SiteTest::fixture("basic");
    let before = stdout(&site.run("check", &[]));
    put(
        &site,
        "static/files/名单.xlsx",
        &xlsx("Sheet1", BAD_ID, Some(2026.0)),
    );
    put(
        &site,
        "static/files/通知.docx",
        &docx(&["会议通知", BAD_ID, "电话 138****5678"]),
    );
    put(&site, "static/files/公示.pdf", &pdf(&["Gong shi", BAD_ID]));
    put(
        &site,
        "static/files/名单.csv",
        format!("姓名,编号\n张三,{BAD_ID}\n").as_bytes(),
    );
    put(
        &site,
        "static/files/说明.txt",
        "座机 0571-88888888\n".as_bytes(),
    );
    let after = stdout(&site.run("check", &[]));
    assert!(!after.contains("static/files/"), "{after}");
    assert_eq!(before, after);
}

#[test]
fn unreadable_attachments_are_warnings_not_crashes() {
    let site = SiteTest::fixture("basic");
    put(
        &site,
        "static/files/坏表.xlsx",
        b"PK\x03\x04 not really a workbook",
    );
    put(&site, "static/files/坏文档.docx", b"not a zip");
    put(&site, "static/files/坏.pdf", b"%PDF-1.4\nbroken");
    let out = site.run("check", &[]);
    let text = stdout(&out);
    for file in ["坏表.xlsx", "坏文档.docx", "坏.pdf"] {
        let line = format!("static/files/{file}: warning[pii]: 无法读取，未能检查其中的个人信息");
        assert!(text.contains(&line), "{line}\n{text}");
    }
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
}

#[test]
fn linked_content_attachments_are_scanned_and_unlinked_ones_are_not() {
    let site = SiteTest::fixture("basic");
    put(
        &site,
        "content/news/yaowen/报名表.xlsx",
        &xlsx("Sheet1", MOBILE, None),
    );
    put(&site, "content/news/yaowen/草稿名单.csv", MOBILE.as_bytes());
    site.write(
        "content/news/yaowen/2026-11-15-fa-bu.md",
        "+++\ntitle = \"发布\"\n+++\n\n[报名表](/news/yaowen/报名表.xlsx)\n",
    );
    let text = stdout(&site.run("check", &[]));
    assert!(
        text.contains("content/news/yaowen/报名表.xlsx: error[pii]: 工作表「Sheet1」B7 单元格"),
        "{text}"
    );
    assert!(!text.contains("草稿名单.csv: error[pii]"), "{text}");
}

/// A leaking attachment stops `build` like a leaking page: exit 1, the previous output kept.
#[test]
fn leaking_attachment_blocks_publishing() {
    let site = SiteTest::fixture("basic");
    site.build(&[]);
    let before = crate::support::snapshot(&site.public());
    put(&site, "static/files/名单.xlsx", &xlsx("Sheet1", ID, None));
    let out = site.run("build", &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("static/files/名单.xlsx: error[pii]"), "{err}");
    assert!(err.contains("error[refused]"), "{err}");
    // An attachment's personal data cannot be allowed: the hint does not offer it.
    assert!(
        err.contains("改正上面列出的附件") && !err.contains("allow"),
        "{err}"
    );
    assert_eq!(crate::support::snapshot(&site.public()), before);
    // Redacted, it is published.
    put(
        &site,
        "static/files/名单.xlsx",
        &xlsx("Sheet1", "1101051949****002X", None),
    );
    site.build(&[]);
    assert!(site.exists("files/名单.xlsx"));
}

/// A document-properties part whose root `root` holds the XML `inner`.
fn properties(root: &str, inner: &str) -> String {
    format!(
        "<?xml version=\"1.0\"?><{root} xmlns:cp=\"cp\" xmlns:dc=\"dc\" xmlns:vt=\"vt\">{inner}</{root}>"
    )
}

/// Word parts outside the body, each with a number: the file's name, the part and its text,
/// where the finding is and what it is.
fn parts_outside_the_body() -> Vec<(
    &'static str,
    &'static str,
    String,
    &'static str,
    &'static str,
)> {
    let core =
        format!("<dc:title>通知</dc:title><cp:lastModifiedBy>张三{MOBILE}</cp:lastModifiedBy>");
    let app = format!("<Company>某单位</Company><Manager>李四 {MOBILE}</Manager>");
    let custom = format!("<property name=\"电话\"><vt:lpwstr>{MOBILE}</vt:lpwstr></property>");
    let mobile = "手机号码";
    vec![
        (
            "页眉",
            "word/header1.xml",
            word_part("hdr", &["电话 138", "1234", "5678"]),
            "页眉",
            mobile,
        ),
        (
            "页脚",
            "word/footer2.xml",
            word_part("ftr", &["身份证 ", ID]),
            "页脚",
            "身份证号",
        ),
        (
            "脚注",
            "word/footnotes.xml",
            word_part("footnotes", &[MOBILE]),
            "脚注",
            mobile,
        ),
        (
            "尾注",
            "word/endnotes.xml",
            word_part("endnotes", &[MOBILE]),
            "尾注",
            mobile,
        ),
        (
            "批注",
            "word/comments.xml",
            word_part("comments", &["请核对 ", MOBILE]),
            "批注",
            mobile,
        ),
        (
            "作者",
            "docProps/core.xml",
            properties("cp:coreProperties", &core),
            "文档属性",
            mobile,
        ),
        (
            "单位",
            "docProps/app.xml",
            properties("Properties", &app),
            "文档属性",
            mobile,
        ),
        (
            "自定义",
            "docProps/custom.xml",
            properties("Properties", &custom),
            "文档属性",
            mobile,
        ),
    ]
}

/// 页眉, 页脚, 脚注, 尾注, 批注 and the document properties are published with a .docx: a number
/// in any of them is found, also when Word split it across runs.
#[test]
fn personal_data_outside_the_body_of_a_docx_is_reported() {
    let site = SiteTest::fixture("basic");
    let cases = parts_outside_the_body();
    for (name, part, text, _, _) in &cases {
        let redacted = ("word/header3.xml", word_part("hdr", &["138****5678"]));
        let parts = [(*part, text.clone()), redacted];
        let bytes = docx_with(&["会议通知", "联系人 138****5678"], &parts);
        put(&site, &format!("static/files/{name}.docx"), &bytes);
    }
    let text = stdout(&site.run("check", &[]));
    for (name, part, _, place, what) in cases {
        let file = format!("static/files/{name}.docx");
        let line = format!("{file}: error[pii]: {place}中疑似公开了个人信息（{what}）");
        assert_eq!(about(&text, &file), [line.as_str()], "{part}\n{text}");
    }
}

/// `check`'s lines about `file` in `text`, without the hints.
fn about<'t>(text: &'t str, file: &str) -> Vec<&'t str> {
    text.lines().filter(|l| l.starts_with(file)).collect()
}

/// `lines` about `file`, each `{file}: {line}`.
fn expect(file: &str, lines: &[&str]) -> Vec<String> {
    lines.iter().map(|l| format!("{file}: {l}")).collect()
}

const A: &str = "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" xmlns:p=\"http://schemas.openxmlformats.org/presentationml/2006/main\"";

/// A PowerPoint part whose root `root` holds one text paragraph of `runs`.
fn slide_part(root: &str, runs: &[&str]) -> String {
    let runs: String = runs
        .iter()
        .map(|r| format!("<a:r><a:t>{r}</a:t></a:r>"))
        .collect();
    format!(
        "<?xml version=\"1.0\"?><p:{root} {A}><p:cSld><p:spTree><p:sp><p:txBody><a:p>{runs}</a:p></p:txBody></p:sp></p:spTree></p:cSld></p:{root}>"
    )
}

/// Slides, their notes (belonging by their relationships), the masters and the document
/// properties of a .pptx are scanned.
#[test]
fn personal_data_in_a_pptx_is_reported_by_slide() {
    let site = SiteTest::fixture("basic");
    let notes_rels = "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide\" Target=\"../slides/slide2.xml\"/></Relationships>";
    let parts = [
        ("[Content_Types].xml", "<Types/>".to_string()),
        ("ppt/presentation.xml", format!("<p:presentation {A}/>")),
        ("ppt/slides/slide1.xml", slide_part("sld", &["会议议程"])),
        (
            "ppt/slides/slide2.xml",
            slide_part("sld", &["联系人 138", "1234 5678"]),
        ),
        (
            "ppt/notesSlides/notesSlide1.xml",
            slide_part("notes", &[ID]),
        ),
        (
            "ppt/notesSlides/_rels/notesSlide1.xml.rels",
            notes_rels.to_string(),
        ),
        (
            "ppt/slideMasters/slideMaster1.xml",
            slide_part("sldMaster", &[MOBILE]),
        ),
        (
            "docProps/core.xml",
            format!(
                "<cp:coreProperties xmlns:cp=\"cp\"><cp:lastModifiedBy>{MOBILE}</cp:lastModifiedBy></cp:coreProperties>"
            ),
        ),
    ];
    put(&site, "static/files/汇报.pptx", &package(&parts));
    let file = "static/files/汇报.pptx";
    let text = stdout(&site.run("check", &[]));
    let expected = [
        "error[pii]: 第 2 张幻灯片疑似公开了个人信息（手机号码）",
        "error[pii]: 第 2 张幻灯片的备注中疑似公开了个人信息（身份证号）",
        "error[pii]: 母版中疑似公开了个人信息（手机号码）",
        "error[pii]: 文档属性中疑似公开了个人信息（手机号码）",
    ];
    assert_eq!(about(&text, file), expect(file, &expected), "{text}");
}

const ODF: &str = "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" xmlns:draw=\"urn:oasis:names:tc:opendocument:xmlns:drawing:1.0\" xmlns:presentation=\"urn:oasis:names:tc:opendocument:xmlns:presentation:1.0\" xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\" xmlns:meta=\"urn:oasis:names:tc:opendocument:xmlns:meta:1.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"";

/// An OpenDocument package of `kind` (`text`, `presentation`, `spreadsheet`) whose body holds
/// `body`, with a footer and a creator that hold `footer` and `creator`.
fn odf(kind: &str, body: &str, footer: &str, creator: &str) -> Vec<u8> {
    package(&[
        ("mimetype", format!("application/vnd.oasis.opendocument.{kind}")),
        ("META-INF/manifest.xml", "<?xml version=\"1.0\"?><manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\"><manifest:file-entry manifest:full-path=\"content.xml\"/></manifest:manifest>".to_string()),
        ("content.xml", format!("<?xml version=\"1.0\"?><office:document-content {ODF}><office:body><office:{kind}>{body}</office:{kind}></office:body></office:document-content>")),
        ("styles.xml", format!("<?xml version=\"1.0\"?><office:document-styles {ODF}><office:master-styles><style:master-page style:name=\"Standard\"><style:footer><text:p>{footer}</text:p></style:footer></style:master-page></office:master-styles></office:document-styles>")),
        ("meta.xml", format!("<?xml version=\"1.0\"?><office:document-meta {ODF}><office:meta><meta:initial-creator>{creator}</meta:initial-creator></office:meta></office:document-meta>")),
    ])
}

/// .odt, .odp and .ods: the text, slides and notes, cells, 批注, 脚注, the footer of
/// styles.xml and meta.xml are scanned.
#[test]
fn personal_data_in_open_documents_is_reported() {
    let site = SiteTest::fixture("basic");
    let note = format!(
        "<text:note text:note-class=\"footnote\"><text:note-citation>1</text:note-citation><text:note-body><text:p>{ID}</text:p></text:note-body></text:note>"
    );
    let text_body = format!(
        "<text:h>通知</text:h><text:p>联系人 <text:span>138</text:span>1234 5678{note}</text:p><text:p><office:annotation><dc:creator>王五</dc:creator><text:p>{MOBILE}</text:p></office:annotation>请报名</text:p>"
    );
    put(
        &site,
        "static/files/通知.odt",
        &odf("text", &text_body, MOBILE, "张三"),
    );
    let page = |text: &str, notes: &str| {
        format!(
            "<draw:page><draw:frame><draw:text-box><text:p>{text}</text:p></draw:text-box></draw:frame><presentation:notes><draw:frame><draw:text-box><text:p>{notes}</text:p></draw:text-box></draw:frame></presentation:notes></draw:page>"
        )
    };
    let slides = page("议程", "") + &page(MOBILE, ID);
    put(
        &site,
        "static/files/汇报.odp",
        &odf("presentation", &slides, "第 1 页", MOBILE),
    );
    let cell = |inner: &str| {
        format!("<table:table-cell office:value-type=\"string\">{inner}</table:table-cell>")
    };
    let row = cell("<text:p>张三</text:p>")
        + &cell(&format!("<text:p>{MOBILE}</text:p>"))
        + &cell(&format!(
            "<office:annotation><text:p>{ID}</text:p></office:annotation><text:p>备注</text:p>"
        ));
    let sheet = format!(
        "<table:table table:name=\"报名表\"><table:table-row>{row}</table:table-row></table:table>"
    );
    put(
        &site,
        "static/files/名单.ods",
        &odf("spreadsheet", &sheet, MOBILE, "张三"),
    );
    let text = stdout(&site.run("check", &[]));
    let cases = [
        (
            "static/files/通知.odt",
            vec![
                "error[pii]: 第 2 段疑似公开了个人信息（手机号码）",
                "error[pii]: 脚注中疑似公开了个人信息（身份证号）",
                "error[pii]: 批注中疑似公开了个人信息（手机号码）",
                "error[pii]: 页脚中疑似公开了个人信息（手机号码）",
            ],
        ),
        (
            "static/files/汇报.odp",
            vec![
                "error[pii]: 第 2 张幻灯片疑似公开了个人信息（手机号码）",
                "error[pii]: 第 2 张幻灯片的备注中疑似公开了个人信息（身份证号）",
                "error[pii]: 文档属性中疑似公开了个人信息（手机号码）",
            ],
        ),
        (
            "static/files/名单.ods",
            vec![
                "error[pii]: 工作表「报名表」B1 单元格疑似公开了个人信息（手机号码）",
                "error[pii]: 批注中疑似公开了个人信息（身份证号）",
                "error[pii]: 页脚中疑似公开了个人信息（手机号码）",
            ],
        ),
    ];
    for (file, lines) in cases {
        assert_eq!(about(&text, file), expect(file, &lines), "{text}");
    }
}

/// An .xlsx's notes (批注) and document properties are scanned besides its cells.
#[test]
fn personal_data_in_xlsx_notes_and_properties_is_reported() {
    let site = SiteTest::fixture("basic");
    let mut book = rust_xlsxwriter::Workbook::new();
    let props = rust_xlsxwriter::DocProperties::new().set_company(format!("某单位 {MOBILE}"));
    book.set_properties(&props);
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "姓名").unwrap();
    let note = rust_xlsxwriter::Note::new(format!("身份证 {ID}")).set_author("王五");
    sheet.insert_note(0, 0, &note).unwrap();
    put(
        &site,
        "static/files/名单.xlsx",
        &book.save_to_buffer().unwrap(),
    );
    let file = "static/files/名单.xlsx";
    let text = stdout(&site.run("check", &[]));
    let expected = [
        "error[pii]: 批注中疑似公开了个人信息（身份证号）",
        "error[pii]: 文档属性中疑似公开了个人信息（手机号码）",
    ];
    assert_eq!(about(&text, file), expect(file, &expected), "{text}");
}

/// A .zip's members are scanned by their own formats, one level deep; an archive inside it or
/// an encrypted member is a not-checked warning naming the member; pictures are skipped.
#[test]
fn members_of_a_zip_are_scanned_by_their_own_formats() {
    use zip::unstable::write::FileOptionsExt as _;
    let site = SiteTest::fixture("basic");
    let header = ("word/header1.xml", word_part("hdr", &[MOBILE]));
    let members: Vec<(&str, Vec<u8>)> = vec![
        ("说明.txt", "材料清单\n".as_bytes().to_vec()),
        (
            "名单.csv",
            format!("姓名,电话\n张三,{MOBILE}\n").into_bytes(),
        ),
        ("通知.docx", docx_with(&["会议通知"], &[header])),
        ("资料/", Vec::new()),
        ("资料/表.xlsx", xlsx("Sheet1", ID, None)),
        ("照片.jpg", MOBILE.as_bytes().to_vec()),
        ("内层.zip", package(&[("a.csv", MOBILE.to_string())])),
    ];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for (name, bytes) in &members {
        if name.ends_with('/') {
            zip.add_directory(*name, options).unwrap();
            continue;
        }
        zip.start_file(*name, options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    let locked = options.with_deprecated_encryption(b"secret").unwrap();
    zip.start_file("加密.txt", locked).unwrap();
    zip.write_all(MOBILE.as_bytes()).unwrap();
    put(
        &site,
        "static/files/材料.zip",
        &zip.finish().unwrap().into_inner(),
    );
    let file = "static/files/材料.zip";
    let text = stdout(&site.run("check", &[]));
    let expected = [
        "error[pii]: 压缩包内「名单.csv」第 2 行疑似公开了个人信息（手机号码）",
        "error[pii]: 压缩包内「通知.docx」页眉中疑似公开了个人信息（手机号码）",
        "error[pii]: 压缩包内「资料/表.xlsx」工作表「Sheet1」B7 单元格疑似公开了个人信息（身份证号）",
        "warning[pii]: 压缩包内「内层.zip」无法读取，未能检查其中的个人信息：压缩包里的压缩包不会解开检查",
        "warning[pii]: 压缩包内「加密.txt」无法读取，未能检查其中的个人信息：已加密",
    ];
    assert_eq!(about(&text, file), expect(file, &expected), "{text}");
}

/// Typical attachments whose text cannot be read (.doc, .wps, .et, .dps, .ppt, .rtf, .rar, .7z)
/// are a not-checked warning with what to do, in `check` and in `build`, which still publishes
/// them; pictures are neither scanned nor warned about.
#[test]
fn unreadable_formats_are_warned_about_not_passed_silently() {
    let site = SiteTest::fixture("basic");
    let before = site.run("check", &[]).status.code();
    let files = [
        ("旧稿.doc", ".doc 格式的文字", "另存为 .docx"),
        ("稿件.wps", ".wps 格式的文字", "另存为 .docx"),
        ("报表.et", ".et 格式的文字", "另存为 .xlsx"),
        ("汇报.dps", ".dps 格式的文字", "另存为 .pptx"),
        ("汇报.PPT", ".ppt 格式的文字", "另存为 .pptx"),
        ("说明.rtf", ".rtf 格式的文字", "另存为 .docx"),
        ("资料.rar", "解开 .rar 压缩包", "改用 .zip 格式"),
        ("资料.7z", "解开 .7z 压缩包", "改用 .zip 格式"),
    ];
    for (name, _, _) in files {
        put(&site, &format!("static/files/{name}"), MOBILE.as_bytes());
    }
    put(&site, "static/files/合影.jpg", MOBILE.as_bytes());
    put(
        &site,
        "static/files/图.svg",
        format!("<svg>{MOBILE}</svg>").as_bytes(),
    );
    let members = package(&[("附件/旧表.wps", MOBILE.to_string())]);
    put(&site, "static/files/材料.zip", &members);
    let out = site.run("check", &[]);
    let text = stdout(&out);
    for (name, reason, advice) in files {
        let file = format!("static/files/{name}");
        let line = format!(
            "{file}: warning[pii]: 无法读取，未能检查其中的个人信息：不支持{}",
            if reason.starts_with('.') {
                format!("读取 {reason}")
            } else {
                reason.to_string()
            }
        );
        assert_eq!(about(&text, &file), [line.as_str()], "{text}");
        let hint = text.split(&line).nth(1).unwrap().lines().nth(1).unwrap();
        assert!(
            hint.contains("手机号、身份证号") && hint.contains(advice),
            "{hint}"
        );
    }
    let line = "static/files/材料.zip: warning[pii]: 压缩包内「附件/旧表.wps」无法读取，未能检查其中的个人信息：不支持读取 .wps 格式的文字";
    assert_eq!(about(&text, "static/files/材料.zip"), [line], "{text}");
    for picture in ["合影.jpg", "图.svg"] {
        assert!(
            !text.contains(&format!("{picture}: warning[pii]")),
            "{text}"
        );
    }
    assert_eq!(out.status.code(), before, "warnings only: {text}");

    // `build` prints the same warnings and publishes the files.
    let out = site.build(&[]);
    let err = stderr(&out);
    assert!(err.contains("static/files/旧稿.doc: warning[pii]"), "{err}");
    assert!(err.contains("static/files/材料.zip: warning[pii]"), "{err}");
    assert!(site.exists("files/旧稿.doc") && site.exists("files/资料.rar"));
}

/// Text a .docx publishes though Word does not show it at first sight: a text box (written
/// twice, for new and old readers: reported once), hidden text and a tracked deletion.
#[test]
fn text_boxes_hidden_and_deleted_text_of_a_docx_are_scanned() {
    let site = SiteTest::fixture("basic");
    let boxed = |inner: &str| {
        format!("<w:txbxContent><w:p><w:r><w:t>联系人 {inner}</w:t></w:r></w:p></w:txbxContent>")
    };
    let text_box = format!(
        "<w:p><w:r><mc:AlternateContent xmlns:mc=\"mc\" xmlns:wps=\"wps\" xmlns:v=\"v\"><mc:Choice Requires=\"wps\"><w:drawing><wps:wsp><wps:txbx>{}</wps:txbx></wps:wsp></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>{}</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>",
        boxed(MOBILE),
        boxed(MOBILE)
    );
    let body = format!(
        "<w:p><w:r><w:t>会议通知</w:t></w:r></w:p>\
         <w:p><w:r><w:rPr><w:vanish/></w:rPr><w:t>身份证 {ID}</w:t></w:r></w:p>\
         <w:p><w:del w:id=\"1\" w:author=\"张三\"><w:r><w:delText>电话 {MOBILE}</w:delText></w:r></w:del><w:ins w:id=\"2\" w:author=\"张三\"><w:r><w:t>，电话 138****5678</w:t></w:r></w:ins></w:p>\
         {text_box}"
    );
    put(&site, "static/files/通知.docx", &docx_of_body(&body, &[]));
    let file = "static/files/通知.docx";
    let text = stdout(&site.run("check", &[]));
    let expected = [
        "error[pii]: 第 2 段疑似公开了个人信息（身份证号）",
        "error[pii]: 第 3 段疑似公开了个人信息（手机号码）",
        "error[pii]: 第 5 段疑似公开了个人信息（手机号码）",
    ];
    assert_eq!(about(&text, file), expect(file, &expected), "{text}");
}
