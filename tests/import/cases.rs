//! One test per document feature, run on each writer's documents.

use std::path::PathBuf;
use std::sync::OnceLock;

use super::{TODAY, Writer, import, sample_site, stderr, stdout, tongxin};

type Case = (&'static str, fn(Writer));

pub const ALL: &[Case] = &[
    ("paragraphs", paragraphs),
    ("headings", headings),
    ("bold_and_italic", bold_and_italic),
    ("ordered_list", ordered_list),
    ("bullet_list", bullet_list),
    ("simple_table_is_a_pipe_table", simple_table_is_a_pipe_table),
    (
        "merged_cells_are_html_that_survives_the_sanitizer",
        merged_cells_are_html_that_survives_the_sanitizer,
    ),
    (
        "image_is_extracted_linked_and_published",
        image_is_extracted_linked_and_published,
    ),
    (
        "title_from_core_properties_not_repeated",
        title_from_core_properties_not_repeated,
    ),
    (
        "title_from_first_heading_and_date_from_today",
        title_from_first_heading_and_date_from_today,
    ),
    (
        "date_and_source_lines_fill_the_front_matter",
        date_and_source_lines_fill_the_front_matter,
    ),
    (
        "full_width_spaces_and_line_breaks_cleaned",
        full_width_spaces_and_line_breaks_cleaned,
    ),
    (
        "hyperlink_and_markdown_characters",
        hyperlink_and_markdown_characters,
    ),
    (
        "output_is_path_then_check_findings",
        output_is_path_then_check_findings,
    ),
    ("hyperlink_field_is_a_link", hyperlink_field_is_a_link),
    (
        "wenshi_page_follows_the_series",
        wenshi_page_follows_the_series,
    ),
    (
        "chinese_numbering_is_written_as_text",
        chinese_numbering_is_written_as_text,
    ),
    (
        "existing_image_file_is_refused_and_no_page_written",
        existing_image_file_is_refused_and_no_page_written,
    ),
];

/// The article imported into its own copy of the sample site, and that site built with
/// `--drafts`: once per writer.
pub struct Imported {
    pub site: PathBuf,
    pub stdout: String,
    /// The page, relative to the site root.
    pub page: String,
    pub markdown: String,
    /// The body part of the page's Markdown (after the front matter).
    pub body: String,
    /// The page's built HTML, `<article>` part.
    pub html: String,
}

fn article(writer: Writer) -> &'static Imported {
    static PY: OnceLock<Imported> = OnceLock::new();
    static LO: OnceLock<Imported> = OnceLock::new();
    let cell = match writer {
        Writer::PythonDocx => &PY,
        Writer::LibreOffice => &LO,
    };
    cell.get_or_init(|| imported(writer, "article", "news/yaowen"))
}

/// The notice with no title property, imported into 通知公告: once per writer.
fn notice(writer: Writer) -> &'static Imported {
    static PY: OnceLock<Imported> = OnceLock::new();
    static LO: OnceLock<Imported> = OnceLock::new();
    let cell = match writer {
        Writer::PythonDocx => &PY,
        Writer::LibreOffice => &LO,
    };
    cell.get_or_init(|| imported(writer, "heading", "news/tongzhi"))
}

/// Imports document `name` by `writer` into a fresh sample site: the site, what `import`
/// printed, the page's path and its Markdown.
fn import_only(writer: Writer, name: &str, section: &str) -> (PathBuf, String, String, String) {
    let site = sample_site(&format!(
        "{}-{name}-{}",
        writer.label(),
        section.replace('/', "-")
    ));
    let out = import(&site, &writer.doc(name), Some(section));
    assert!(out.status.success(), "import failed: {}", stderr(&out));
    let stdout = stdout(&out);
    let page = stdout.lines().next().unwrap().to_string();
    let markdown = std::fs::read_to_string(site.join(&page)).unwrap();
    (site, stdout, page, markdown)
}

/// Imports document `name` by `writer` into a fresh sample site and builds it with drafts.
pub fn imported(writer: Writer, name: &str, section: &str) -> Imported {
    let (site, stdout, page, markdown) = import_only(writer, name, section);
    let body = markdown.splitn(3, "+++\n").nth(2).unwrap().to_string();
    let built = tongxin(&site, &["build", "--drafts", "--today", TODAY]);
    assert!(
        built.status.success(),
        "build failed: {}",
        super::stderr(&built)
    );
    let stem = page.rsplit('/').next().unwrap().trim_end_matches(".md");
    let slug = stem.get(11..).unwrap();
    let section_dir = page
        .trim_start_matches("content/")
        .rsplit_once('/')
        .unwrap()
        .0;
    let html_path = site
        .join("public")
        .join(section_dir)
        .join(slug)
        .join("index.html");
    let html = std::fs::read_to_string(&html_path).unwrap();
    let start = html.find("<article").unwrap();
    let end = html[start..].find("</article>").unwrap() + start;
    Imported {
        site,
        stdout,
        page,
        markdown,
        body,
        html: html[start..end].to_string(),
    }
}

fn has(hay: &str, needle: &str) {
    assert!(hay.contains(needle), "expected {needle:?} in:\n{hay}");
}

fn paragraphs(w: Writer) {
    let a = article(w);
    has(&a.body, "\n\n会议指出，老旧小区改造关系群众切身利益");
    has(
        &a.html,
        "<p>11月20日，政协清河市青山区第九届委员会常务委员会第二十次会议召开。",
    );
    has(&a.html, "<p>各街道改造情况如下表。</p>");
}

fn headings(w: Writer) {
    let a = article(w);
    // Heading 1 is `##` (the page title is the one `#`), Heading 2 is `###`.
    has(&a.body, "\n## 会议议程\n");
    has(&a.body, "\n### 重点工作进度\n");
    has(&a.html, "<h2 id=\"hui-yi-yi-cheng\">会议议程</h2>");
    has(
        &a.html,
        "<h3 id=\"zhong-dian-gong-zuo-jin-du\">重点工作进度</h3>",
    );
}

fn bold_and_italic(w: Writer) {
    let a = article(w);
    has(
        &a.body,
        "会议**围绕“推进老旧小区改造”**开展专题协商，*区政协主席郑怀民*主持会议",
    );
    has(
        &a.html,
        "<strong>围绕“推进老旧小区改造”</strong>开展专题协商，<em>区政协主席郑怀民</em>",
    );
}

fn ordered_list(w: Writer) {
    let a = article(w);
    has(
        &a.body,
        "1. 听取区住房和城乡建设局工作情况通报；\n2. 常委围绕专题作协商发言；\n    1. 老旧小区改造资金筹措\n3. 审议通过有关人事事项。\n",
    );
    has(
        &a.html,
        "<ol>\n<li>听取区住房和城乡建设局工作情况通报；</li>",
    );
    has(&a.html, "<ol>\n<li>老旧小区改造资金筹措</li>\n</ol>");
}

fn bullet_list(w: Writer) {
    let a = article(w);
    has(
        &a.body,
        "- 区政协领导\n    - 郑怀民、方卫东、韩素琴\n- 各专委会负责同志\n",
    );
    has(
        &a.html,
        "<ul>\n<li>区政协领导\n<ul>\n<li>郑怀民、方卫东、韩素琴</li>",
    );
}

fn simple_table_is_a_pipe_table(w: Writer) {
    let a = article(w);
    has(
        &a.body,
        "| 项目 | 责任单位 | 完成时间 |\n| --- | --- | --- |\n| 加装电梯 | 区住建局 | 2026年12月 |\n",
    );
    has(
        &a.html,
        "<thead><tr><th>项目</th><th>责任单位</th><th>完成时间</th></tr></thead>",
    );
}

fn merged_cells_are_html_that_survives_the_sanitizer(w: Writer) {
    let a = article(w);
    has(
        &a.body,
        "<tr><th>街道</th><th colspan=\"2\">改造规模</th></tr>",
    );
    has(
        &a.body,
        "<tr><td rowspan=\"2\">东城街道</td><td>12</td><td>3400</td></tr>\n<tr><td>其中加装电梯</td>",
    );
    // `unsafe_html = false` in the sample site: the sanitizer keeps both spans.
    has(&a.html, "<th colspan=\"2\">改造规模</th>");
    has(&a.html, "<td rowspan=\"2\">东城街道</td>");
}

fn image_is_extracted_linked_and_published(w: Writer) {
    let a = article(w);
    let stem = a.page.rsplit('/').next().unwrap().trim_end_matches(".md");
    let name = format!("{}-1.png", stem.get(11..).unwrap());
    let beside = a.site.join("content/news/yaowen").join(&name);
    let photo = std::fs::read(super::generated().join("photo.png")).unwrap();
    // The original bytes, whatever the writer did to the package.
    assert_eq!(std::fs::read(&beside).unwrap(), photo);
    has(&a.body, &format!("![常委会议现场](/news/yaowen/{name})"));
    has(&a.stdout, &format!("content/news/yaowen/{name}\n"));
    assert!(
        a.site.join("public/news/yaowen").join(&name).is_file(),
        "image not published"
    );
    has(&a.html, &format!("src=\"/news/yaowen/{name}\""));
    has(&a.html, "alt=\"常委会议现场\"");
}

fn title_from_core_properties_not_repeated(w: Writer) {
    let a = article(w);
    has(
        &a.markdown,
        "+++\ntitle = \"区政协召开九届二十次常委会议\"\n",
    );
    assert!(
        !a.body.contains("区政协召开九届二十次常委会议"),
        "title repeated:\n{}",
        a.body
    );
    assert!(
        a.page
            .ends_with("-qu-zheng-xie-zhao-kai-jiu-jie-er-shi-ci-chang-wei-hui-yi.md")
    );
    has(&a.markdown, "draft = true\n");
}

fn title_from_first_heading_and_date_from_today(w: Writer) {
    let a = notice(w);
    assert_eq!(
        a.page,
        "content/news/tongzhi/2026-11-25-guan-yu-kai-zhan-wei-yuan-du-shu-huo-dong-de-tong-zhi.md"
    );
    has(
        &a.markdown,
        "title = \"关于开展委员读书活动的通知\"\ndate = 2026-11-25\n",
    );
    assert!(
        !a.body.contains("关于开展委员读书活动的通知"),
        "title repeated:\n{}",
        a.body
    );
    has(&a.body, "各位委员：\n\n为深化委员学习");
}

fn date_and_source_lines_fill_the_front_matter(w: Writer) {
    let a = article(w);
    // 日期：2026年11月20日 in the document, while --today is 2026-11-25.
    assert!(
        a.page.starts_with("content/news/yaowen/2026-11-20-"),
        "{}",
        a.page
    );
    has(
        &a.markdown,
        "date = 2026-11-20\nsource = \"区政协办公室\"\n",
    );
    assert!(
        !a.body.contains("日期：") && !a.body.contains("来源："),
        "{}",
        a.body
    );
    has(&a.html, "2026年11月20日");
}

fn full_width_spaces_and_line_breaks_cleaned(w: Writer) {
    let a = article(w);
    assert!(!a.body.contains('\u{3000}'), "U+3000 left:\n{}", a.body);
    // A break inside a sentence is joined; the 落款's short lines keep theirs.
    has(&a.body, "问计于民，把协商成果转化为");
    has(&a.body, "政协清河市青山区委员会办公室\\\n2026年11月20日\n");
    has(&a.html, "政协清河市青山区委员会办公室<br>\n2026年11月20日");
}

fn hyperlink_and_markdown_characters(w: Writer) {
    let a = article(w);
    has(
        &a.body,
        "会议材料见[区政协网站](https://www.example.gov.cn/news/)。",
    );
    has(&a.body, "\\*注\\*：详见附表。");
    has(
        &a.html,
        "<a href=\"https://www.example.gov.cn/news/\">区政协网站</a>",
    );
    has(&a.html, "民生实效。*注*：详见附表。");
    assert!(
        !a.html.contains('\\'),
        "a backslash escape shows:\n{}",
        a.html
    );
}

fn output_is_path_then_check_findings(w: Writer) {
    let a = article(w);
    let lines: Vec<&str> = a.stdout.lines().collect();
    assert_eq!(lines[0], a.page);
    has(&a.stdout, "检查新页面：共 0 个错误，0 个警告\n");
    let (_, out, page, markdown) = import_only(w, "findings", "news/yaowen");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "content/news/yaowen/2026-11-25-wei-yuan-shi-cha-she-qu-yang-lao-fu-wu.md"
    );
    assert_eq!(lines[0], page);
    // SPEC's format, pointing at the word in the written file.
    let line_no = markdown
        .lines()
        .position(|l| l.contains("政协代表"))
        .unwrap()
        + 1;
    let line = markdown.lines().nth(line_no - 1).unwrap();
    let col = line.chars().take_while(|&c| c != '政').count() + 1;
    assert_eq!(
        lines[1].split(": ").next().unwrap(),
        format!("{page}:{line_no}:{col}")
    );
    has(lines[1], "error[word]");
    has(&out, "检查新页面：共 1 个错误，0 个警告\n");
}

fn hyperlink_field_is_a_link(w: Writer) {
    let a = notice(w);
    has(
        &a.body,
        "报名方式见[读书活动页面](https://www.example.gov.cn/dushu/)。",
    );
    has(
        &a.html,
        "<a href=\"https://www.example.gov.cn/dushu/\">读书活动页面</a>",
    );
}

fn existing_image_file_is_refused_and_no_page_written(w: Writer) {
    let site = super::sample_site(&format!("{}-existing-image", w.label()));
    let dir = site.join("content/news/yaowen");
    let image = dir.join("qu-zheng-xie-zhao-kai-jiu-jie-er-shi-ci-chang-wei-hui-yi-1.png");
    std::fs::write(&image, "已有的图片").unwrap();
    let out = import(&site, &w.doc("article"), Some("news/yaowen"));
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let err = stderr(&out);
    has(
        &err,
        "content/news/yaowen/qu-zheng-xie-zhao-kai-jiu-jie-er-shi-ci-chang-wei-hui-yi-1.png: error[refused]: 文件已存在，未覆盖",
    );
    assert_eq!(std::fs::read_to_string(&image).unwrap(), "已有的图片");
    let page = dir.join("2026-11-20-qu-zheng-xie-zhao-kai-jiu-jie-er-shi-ci-chang-wei-hui-yi.md");
    assert!(
        !page.exists(),
        "page written although its image was refused"
    );
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

fn wenshi_page_follows_the_series(w: Writer) {
    let (site, _, page, markdown) = import_only(w, "heading", "wenshi/qingshan-jiuying");
    assert!(
        page.starts_with("content/wenshi/qingshan-jiuying/2026-11-25-"),
        "{page}"
    );
    let last = std::fs::read_dir(site.join("content/wenshi/qingshan-jiuying"))
        .unwrap()
        .filter_map(|e| std::fs::read_to_string(e.unwrap().path()).ok())
        .filter(|t| !t.contains("关于开展委员读书活动的通知"))
        .filter_map(|t| {
            let line = t.lines().find(|l| l.starts_with("weight = "))?;
            line[9..].trim().parse::<i64>().ok()
        })
        .max()
        .unwrap();
    has(
        &markdown,
        &format!("\nweight = {}\ndraft = true\n", last + 1),
    );
    assert!(
        !markdown.contains("editor"),
        "文史 has no editor field:\n{markdown}"
    );
}

fn chinese_numbering_is_written_as_text(w: Writer) {
    let a = article(w);
    // 一、二、 cannot be a Markdown list: the numbers are text, bold like the words after them.
    has(
        &a.body,
        "\n\n**一、工作成效**\n\n全区已完成改造小区二十一个。\n\n**二、下步打算**\n\n",
    );
    has(&a.html, "<p><strong>一、工作成效</strong></p>");
}
