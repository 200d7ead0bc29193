//! Refusals: what `import` must not accept, and must not half do. The documents are made
//! here (a minimal .docx written with the `zip` crate), so these tests always run.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{import, sample_site, stderr, stdout, temp_root};

type Case = (&'static str, fn());

pub const ALL: &[Case] = &[
    (
        "word_97_doc_is_refused_whatever_its_extension",
        word_97_doc_is_refused_whatever_its_extension,
    ),
    ("wps_file_is_refused", wps_file_is_refused),
    ("not_a_zip_is_refused", not_a_zip_is_refused),
    (
        "corrupt_docx_is_an_error_not_a_panic",
        corrupt_docx_is_an_error_not_a_panic,
    ),
    ("missing_file_is_refused", missing_file_is_refused),
    (
        "missing_section_lists_the_sections",
        missing_section_lists_the_sections,
    ),
    (
        "existing_target_is_refused_and_nothing_written",
        existing_target_is_refused_and_nothing_written,
    ),
    (
        "default_section_is_the_first_news_section",
        default_section_is_the_first_news_section,
    ),
    (
        "image_browsers_cannot_show_is_skipped_with_a_note",
        image_browsers_cannot_show_is_skipped_with_a_note,
    ),
];

/// A file named `name` with `bytes`, in this harness's folder of inputs.
pub fn input(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = temp_root().join("inputs");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// A minimal .docx: a short first line (the title) and one paragraph; `parts` replace or add
/// package parts.
pub fn minimal_docx(parts: &[(&str, &str)]) -> Vec<u8> {
    minimal_docx_bytes(
        &parts
            .iter()
            .map(|(n, t)| (*n, t.as_bytes()))
            .collect::<Vec<_>>(),
    )
}

/// [`minimal_docx`] with parts given as bytes (images).
pub fn minimal_docx_bytes(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let document = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
<w:p><w:r><w:t>区政协召开主席会议</w:t></w:r></w:p>
<w:p><w:r><w:t>会议研究了近期重点工作。</w:t></w:r></w:p>
</w:body></w:document>"#;
    let mut all: Vec<(&str, &[u8])> = vec![
        (
            "[Content_Types].xml",
            br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>"#,
        ),
        (
            "_rels/.rels",
            br#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#,
        ),
        ("word/document.xml", document.as_bytes()),
    ];
    for (name, bytes) in parts {
        all.retain(|(n, _)| n != name);
        all.push((name, bytes));
    }
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, bytes) in all {
        zip.start_file(name, options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// Every file under `content/` with its bytes, to show nothing changed.
fn snapshot(site: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![site.join("content")];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let bytes = std::fs::read(&p).unwrap();
                out.push((p, bytes));
            }
        }
    }
    out.sort();
    out
}

/// Runs an import expected to fail: exit 1, no panic, nothing written; returns stderr.
fn refused(site: &Path, file: &Path, section: Option<&str>) -> String {
    let before = snapshot(site);
    let out = import(site, file, section);
    let err = stderr(&out);
    assert_eq!(
        out.status.code(),
        Some(1),
        "stdout: {} stderr: {err}",
        stdout(&out)
    );
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        snapshot(site) == before,
        "files changed after a refused import"
    );
    err
}

const OLE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

fn word_97_doc_is_refused_whatever_its_extension() {
    let site = sample_site("doc");
    let mut bytes = OLE.to_vec();
    bytes.extend([0; 504]);
    for name in ["稿件.doc", "改名的稿件.docx"] {
        let file = input(name, &bytes);
        let err = refused(&site, &file, Some("news/yaowen"));
        assert!(err.contains(name), "{err}");
        assert!(
            err.contains("这是旧版 Word 文件（.doc），请在 Word 或 WPS 中“另存为” .docx 后再导入"),
            "{err}"
        );
    }
}

fn wps_file_is_refused() {
    let site = sample_site("wps");
    let mut bytes = OLE.to_vec();
    bytes.extend([0; 504]);
    let err = refused(&site, &input("稿件.wps", &bytes), Some("news/yaowen"));
    assert!(
        err.contains("稿件.wps") && err.contains(".wps") && err.contains("另存为” .docx"),
        "{err}"
    );
}

fn not_a_zip_is_refused() {
    let site = sample_site("not-zip");
    let err = refused(
        &site,
        &input("稿件.docx", "区政协召开主席会议".as_bytes()),
        Some("news/yaowen"),
    );
    assert!(
        err.contains("稿件.docx: error[refused]: 不是 .docx 文件"),
        "{err}"
    );
}

fn corrupt_docx_is_an_error_not_a_panic() {
    let site = sample_site("corrupt");
    let good = minimal_docx(&[]);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "truncated.docx",
            good[..good.len() / 2].to_vec(),
            "不是有效的 .docx 文件",
        ),
        (
            "no-body.docx",
            minimal_docx(&[("word/document.xml", "<w:document xmlns:w=\"x\"><w:bo")]),
            "文件已损坏：word/document.xml 无法读取",
        ),
        (
            "not-word.docx",
            minimal_docx(&[
                ("_rels/.rels", "<Relationships/>"),
                ("word/document.xml", ""),
            ]),
            "文件已损坏",
        ),
    ];
    for (name, bytes, message) in cases {
        let err = refused(&site, &input(name, &bytes), Some("news/yaowen"));
        assert!(err.contains(name) && err.contains(message), "{name}: {err}");
    }
}

fn missing_file_is_refused() {
    let site = sample_site("missing-file");
    let file = temp_root().join("inputs/不存在.docx");
    let err = refused(&site, &file, Some("news/yaowen"));
    assert!(
        err.contains("不存在.docx: error[refused]: 找不到要导入的文件"),
        "{err}"
    );
}

fn missing_section_lists_the_sections() {
    let site = sample_site("missing-section");
    let file = input("minimal-1.docx", &minimal_docx(&[]));
    let err = refused(&site, &file, Some("news/yaowne"));
    assert!(
        err.contains("content/news/yaowne: error[refused]: 栏目不存在。可用的栏目："),
        "{err}"
    );
    assert!(
        err.contains("news/yaowen（政协要闻）") && err.contains("news/tongzhi（通知公告）"),
        "{err}"
    );
}

fn existing_target_is_refused_and_nothing_written() {
    let site = sample_site("existing");
    let file = input("minimal-2.docx", &minimal_docx(&[]));
    let first = import(&site, &file, Some("news/yaowen"));
    assert!(first.status.success(), "{}", stderr(&first));
    let page = stdout(&first).lines().next().unwrap().to_string();
    assert_eq!(
        page,
        "content/news/yaowen/2026-11-25-qu-zheng-xie-zhao-kai-zhu-xi-hui-yi.md"
    );
    std::fs::write(site.join(&page), "编辑过的稿件").unwrap();
    let err = refused(&site, &file, Some("news/yaowen"));
    assert!(
        err.contains(&format!("{page}: error[refused]: 文件已存在，未覆盖")),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(site.join(&page)).unwrap(),
        "编辑过的稿件"
    );
}

fn default_section_is_the_first_news_section() {
    let site = sample_site("default-section");
    let file = input("minimal-3.docx", &minimal_docx(&[]));
    let out = import(&site, &file, None);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("content/news/yaowen/"),
        "{}",
        stdout(&out)
    );
    assert!(
        stderr(&out).contains("未指定 --section，已导入到栏目 news/yaowen"),
        "{}",
        stderr(&out)
    );
}

fn image_browsers_cannot_show_is_skipped_with_a_note() {
    let site = sample_site("emf");
    let drawing = |rel: &str| {
        format!(
            "<w:p><w:r><w:drawing><wp:inline><wp:docPr id=\"1\" name=\"p\" descr=\"会场\"/>\
             <a:graphic><a:graphicData><pic:pic><pic:blipFill><a:blip r:embed=\"{rel}\"/>\
             </pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
        )
    };
    let document = format!(
        "<w:document xmlns:w=\"w\" xmlns:wp=\"wp\" xmlns:a=\"a\" xmlns:pic=\"pic\" xmlns:r=\"r\"><w:body>\
         <w:p><w:r><w:t>区政协召开主席会议</w:t></w:r></w:p>{}{}</w:body></w:document>",
        drawing("rId7"),
        drawing("rId8")
    );
    let rels = r#"<Relationships><Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image1.emf"/><Relationship Id="rId8" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="/word/media/image2.JPEG"/></Relationships>"#;
    let file = input(
        "emf.docx",
        &minimal_docx_bytes(&[
            ("word/document.xml", document.as_bytes()),
            ("word/_rels/document.xml.rels", rels.as_bytes()),
            ("word/media/image1.emf", b"EMF"),
            (
                "word/media/image2.JPEG",
                b"\xFF\xD8\xFF\xE0 not really a photo",
            ),
        ]),
    );
    let out = import(&site, &file, Some("news/yaowen"));
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("注意：文档中的图片 image1.emf 是浏览器无法显示的格式，未导入"),
        "{err}"
    );
    let lines: Vec<String> = stdout(&out).lines().map(String::from).collect();
    assert_eq!(
        lines[1],
        "content/news/yaowen/qu-zheng-xie-zhao-kai-zhu-xi-hui-yi-1.jpg"
    );
    let page = std::fs::read_to_string(site.join(&lines[0])).unwrap();
    let link = "\n![会场](/news/yaowen/qu-zheng-xie-zhao-kai-zhu-xi-hui-yi-1.jpg)\n";
    assert!(page.contains(link), "{page}");
    assert!(!page.contains("emf"), "{page}");
}
