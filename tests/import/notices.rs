//! What `import` says about a document beyond the page it writes (a title or date it had to
//! guess, images it could not take), and small features read from hand-made documents. The
//! documents are made here with the `zip` crate, so these tests always run.

use std::path::Path;

use super::errors::{input, minimal_docx};
use super::{TODAY, import, sample_site, stderr, stdout};

type Case = (&'static str, fn());

pub const ALL: &[Case] = &[
    (
        "superscript_and_subscript_are_sup_and_sub",
        superscript_and_subscript_are_sup_and_sub,
    ),
    (
        "core_titles_word_fills_in_are_ignored",
        core_titles_word_fills_in_are_ignored,
    ),
    (
        "title_from_the_file_name_is_noted",
        title_from_the_file_name_is_noted,
    ),
    (
        "closing_date_in_chinese_numerals_is_the_date",
        closing_date_in_chinese_numerals_is_the_date,
    ),
    (
        "date_that_does_not_exist_stays_and_is_noted",
        date_that_does_not_exist_stays_and_is_noted,
    ),
    ("date_from_today_is_noted", date_from_today_is_noted),
    (
        "linked_image_is_skipped_with_a_note",
        linked_image_is_skipped_with_a_note,
    ),
];

/// `word/document.xml` with `body` (paragraph XML) inside `w:body`.
fn document(body: &str) -> String {
    format!(
        "<w:document xmlns:w=\"w\" xmlns:wp=\"wp\" xmlns:a=\"a\" xmlns:pic=\"pic\" xmlns:r=\"r\">\
         <w:body>{body}</w:body></w:document>"
    )
}

/// A paragraph of plain runs, each `(text, run properties)`.
fn para(runs: &[(&str, &str)]) -> String {
    let runs: String = runs
        .iter()
        .map(|(t, pr)| {
            format!("<w:r><w:rPr>{pr}</w:rPr><w:t xml:space=\"preserve\">{t}</w:t></w:r>")
        })
        .collect();
    format!("<w:p>{runs}</w:p>")
}

/// Paragraphs of plain text.
fn paras(texts: &[&str]) -> String {
    texts.iter().map(|t| para(&[(t, "")])).collect()
}

/// What one import of `parts` (as `name`) into a fresh site gave: stdout, stderr, the page.
struct Run {
    stdout: String,
    stderr: String,
    page: String,
    markdown: String,
}

fn run(name: &str, parts: &[(&str, &str)]) -> Run {
    let site = sample_site(&format!("notice-{name}"));
    let file = input(name, &minimal_docx(parts));
    run_in(&site, &file)
}

fn run_in(site: &Path, file: &Path) -> Run {
    let out = import(site, file, Some("news/yaowen"));
    assert!(out.status.success(), "{}", stderr(&out));
    let page = stdout(&out).lines().next().unwrap().to_string();
    Run {
        markdown: std::fs::read_to_string(site.join(&page)).unwrap(),
        stdout: stdout(&out),
        stderr: stderr(&out),
        page,
    }
}

fn has(hay: &str, needle: &str) {
    assert!(hay.contains(needle), "expected {needle:?} in:\n{hay}");
}

fn superscript_and_subscript_are_sup_and_sub() {
    let body = paras(&["区政协委员视察污水处理厂"]).to_string()
        + &para(&[
            ("新建池体面积1200m", ""),
            ("2", "<w:vertAlign w:val=\"superscript\"/>"),
            ("，日处理H", ""),
            ("2", "<w:vertAlign w:val=\"subscript\"/>"),
            ("O两万吨。", ""),
        ]);
    let r = run("sup.docx", &[("word/document.xml", &document(&body))]);
    has(
        &r.markdown,
        "\n新建池体面积1200m<sup>2</sup>，日处理H<sub>2</sub>O两万吨。\n",
    );
    has(&r.stdout, "检查新页面：共 0 个错误，0 个警告");
}

/// `docProps/core.xml` with `title`.
fn core(title: &str) -> String {
    format!(
        "<cp:coreProperties xmlns:cp=\"cp\" xmlns:dc=\"dc\"><dc:title>{title}</dc:title>\
         </cp:coreProperties>"
    )
}

const NOTICE: &str = "关于召开九届五次会议的通知";

fn core_titles_word_fills_in_are_ignored() {
    let body = paras(&[NOTICE, "各位委员：", "区政协定于12月召开九届五次会议。"]);
    let document = document(&body);
    for (i, junk) in [
        "Microsoft Word - 文档1",
        "Microsoft Word - 通知.doc",
        "文档1",
        "Document1",
        "新建 Microsoft Word 文档",
        "WPS 文字",
        " ",
        "通知稿",
    ]
    .into_iter()
    .enumerate()
    {
        let core = core(junk);
        let parts = [
            ("word/document.xml", document.as_str()),
            ("docProps/core.xml", core.as_str()),
        ];
        // The last is the file's own name.
        let name = if junk == "通知稿" {
            "通知稿.docx".to_string()
        } else {
            format!("稿件-{i}.docx")
        };
        let r = run(&name, &parts);
        has(&r.markdown, &format!("title = \"{NOTICE}\"\n"));
        assert!(
            r.page
                .ends_with("-guan-yu-zhao-kai-jiu-jie-wu-ci-hui-yi-de-tong-zhi.md"),
            "{junk}: {}",
            r.page
        );
        let body = r.markdown.splitn(3, "+++\n").nth(2).unwrap();
        assert!(
            !body.contains(NOTICE),
            "{junk}: title left in the body:\n{body}"
        );
        assert!(!r.stderr.contains("标题"), "{junk}: {}", r.stderr);
    }
}

fn title_from_the_file_name_is_noted() {
    let long = "为深入学习贯彻党的二十届四中全会精神，区政协定于近期召开九届五次会议，现将有关事项通知如下，请各位委员认真做好会前准备，按时出席会议并提交大会发言材料和提案";
    let body = paras(&[long, "政协青山区委员会办公室"]);
    let r = run(
        "会议通知稿.docx",
        &[("word/document.xml", &document(&body))],
    );
    has(&r.markdown, "title = \"会议通知稿\"\n");
    has(
        &r.stderr,
        "注意：文档中没有找到可用的标题，已用文件名“会议通知稿”作为标题；请在新文件中修改 title 一行\n",
    );
    has(&r.markdown, long);
}

/// A right-aligned paragraph, as a 落款 is set.
fn right(text: &str) -> String {
    format!("<w:p><w:pPr><w:jc w:val=\"right\"/></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>")
}

fn closing_date_in_chinese_numerals_is_the_date() {
    let start = paras(&[
        NOTICE,
        "各位委员：",
        "区政协定于12月召开九届五次会议，请准时出席。",
    ]);
    let separate = start.clone()
        + &right("政协青山区委员会办公室")
        + &right("二〇二六年十一月二十日")
        + "<w:p/>";
    // The same 落款 as one paragraph, the date after a manual break, in Arabic digits.
    let one = start
        + "<w:p><w:pPr><w:jc w:val=\"right\"/></w:pPr><w:r><w:t>政协青山区委员会办公室</w:t>\
           <w:br/><w:t>2026年11月20日</w:t></w:r></w:p>";
    for (name, body, kept) in [
        ("luokuan-1.docx", separate, "\n二〇二六年十一月二十日\n"),
        (
            "luokuan-2.docx",
            one,
            "政协青山区委员会办公室\\\n2026年11月20日\n",
        ),
    ] {
        let r = run(name, &[("word/document.xml", &document(&body))]);
        assert!(
            r.page.starts_with("content/news/yaowen/2026-11-20-guan-yu"),
            "{name}: {}",
            r.page
        );
        has(&r.markdown, "date = 2026-11-20\n");
        has(&r.markdown, kept);
        assert!(!r.stderr.contains("日期"), "{}", r.stderr);
    }
}

fn date_that_does_not_exist_stays_and_is_noted() {
    let body = paras(&[
        NOTICE,
        "日期：2026-11-31",
        "区政协定于12月召开九届五次会议。",
    ]);
    let r = run("bad-date.docx", &[("word/document.xml", &document(&body))]);
    has(&r.markdown, &format!("date = {TODAY}\n"));
    has(&r.markdown, "\n日期：2026-11-31\n");
    has(
        &r.stderr,
        "注意：文档中的日期“2026-11-31”不存在，稿件日期用了今天（2026-11-25），这一行留在正文中；请核对新文件中的 date 一行\n",
    );
}

fn date_from_today_is_noted() {
    let body = paras(&[NOTICE, "区政协定于12月召开九届五次会议。"]);
    let r = run("no-date.docx", &[("word/document.xml", &document(&body))]);
    has(&r.markdown, &format!("date = {TODAY}\n"));
    let lines: Vec<&str> = r.stderr.lines().filter(|l| l.contains("日期")).collect();
    assert_eq!(
        lines,
        ["注意：文档中没有找到日期，稿件日期用了今天（2026-11-25）；请核对新文件中的 date 一行"],
        "{}",
        r.stderr
    );
}

/// A picture as LibreOffice writes one from HTML's `<img>`: `a:blip r:link`, not `r:embed`.
fn picture(attr: &str, rel: &str) -> String {
    format!(
        "<w:p><w:r><w:drawing><wp:inline><wp:docPr id=\"1\" name=\"Image1\" descr=\"\"/>\
         <a:graphic><a:graphicData><pic:pic><pic:blipFill><a:blip r:{attr}=\"{rel}\"></a:blip>\
         </pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
    )
}

fn linked_image_is_skipped_with_a_note() {
    let body = paras(&["区政协召开主席会议"])
        + &picture("embed", "rId7")
        + &picture("link", "rId8")
        + &paras(&["会议研究了近期重点工作。"]);
    let rels = r#"<Relationships><Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image1.png"/><Relationship Id="rId8" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="http://www.example.gov.cn/a.png" TargetMode="External"/></Relationships>"#;
    let file = input(
        "linked.docx",
        &super::errors::minimal_docx_bytes(&[
            ("word/document.xml", document(&body).as_bytes()),
            ("word/_rels/document.xml.rels", rels.as_bytes()),
            ("word/media/image1.png", b"\x89PNG\r\n\x1a\n not really"),
        ]),
    );
    let r = run_in(&sample_site("notice-linked"), &file);
    has(
        &r.stderr,
        "注意：文档中的第 2 张图片链接到外部文件 http://www.example.gov.cn/a.png，没有导入；请在 Word 中用“插入 → 图片”把它放进文档后重新导入\n",
    );
    has(
        &r.markdown,
        "![区政协召开主席会议](/news/yaowen/qu-zheng-xie-zhao-kai-zhu-xi-hui-yi-1.png)",
    );
    assert!(!r.markdown.contains("example.gov.cn"), "{}", r.markdown);
    assert_eq!(
        r.stdout.lines().filter(|l| l.ends_with(".png")).count(),
        1,
        "{}",
        r.stdout
    );
}
