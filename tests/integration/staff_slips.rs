//! What staff type with a Chinese input method: Markdown links and images written with
//! full-width marks are published as meant, and `build` and `check` say where each was.

use crate::support::{SiteTest, stderr, stdout};

const PAGE: &str = "content/news/yaowen/2026-11-10-shi-cha.md";
const TEXT: &str = "+++\ntitle = \"委员视察\"\n+++\n\n详见[常委会议]（/news/yaowen/）。\n\n！[义诊现场](/images/yi-zhen.jpg)\n\n下载[报名表](/files/第四次会议 报名表.docx)。\n\n`[代码]（/不改/）`\n";

#[test]
fn full_width_link_marks_publish_as_meant_and_are_reported_where_they_are() {
    let site = SiteTest::fixture("basic");
    site.write(PAGE, TEXT);
    let out = site.build(&[]);
    let warnings = stderr(&out);
    for place in [
        "content/news/yaowen/2026-11-10-shi-cha.md:5:9: warning[punctuation]: 链接的括号应为英文 ( )",
        "content/news/yaowen/2026-11-10-shi-cha.md:7:1: warning[punctuation]: 图片前的感叹号应为英文 !",
        "content/news/yaowen/2026-11-10-shi-cha.md:9:9: warning[punctuation]: 链接地址中有空格",
    ] {
        assert!(warnings.contains(place), "{place}\n{warnings}");
    }
    let html = site.read("news/yaowen/shi-cha/index.html");
    assert!(
        html.contains("<a href=\"/news/yaowen/\">常委会议</a>"),
        "{html}"
    );
    assert!(
        html.contains("<img src=\"/images/yi-zhen.jpg\" alt=\"义诊现场\""),
        "{html}"
    );
    assert!(
        html.contains("href=\"/files/%E7%AC%AC%E5%9B%9B%E6%AC%A1%E4%BC%9A%E8%AE%AE%20"),
        "{html}"
    );
    assert!(
        html.contains("<code>[代码]（/不改/）</code>"),
        "code stays as written: {html}"
    );
    let out = site.run("check", &[]);
    let text = stdout(&out);
    assert_eq!(text.matches("warning[punctuation]").count(), 3, "{text}");
}

/// Windows and other editors save Markdown as `.MD` or `.markdown`: those are pages too.
#[test]
fn upper_case_and_long_markdown_extensions_are_pages() {
    let site = SiteTest::fixture("basic");
    site.write(
        "content/news/yaowen/2026-11-11-da-xie.MD",
        "+++\ntitle = \"大写扩展名\"\n+++\n\n正文。\n",
    );
    site.write(
        "content/news/yaowen/2026-11-12-chang.markdown",
        "+++\ntitle = \"长扩展名\"\n+++\n\n正文。\n",
    );
    site.build(&[]);
    assert!(
        site.read("news/yaowen/da-xie/index.html")
            .contains("大写扩展名")
    );
    assert!(
        site.read("news/yaowen/chang/index.html")
            .contains("长扩展名")
    );
    assert!(
        !site.exists("news/yaowen/2026-11-11-da-xie.MD"),
        "not copied as a file"
    );
}

/// Pasted from Word: paragraphs indented with spaces, a tab or full-width spaces are paragraphs,
/// not a grey code block, and zero-width spaces are gone; fenced code stays as written.
#[test]
fn word_paste_indents_are_paragraphs_not_code() {
    let site = SiteTest::fixture("basic");
    site.write(
        "content/news/yaowen/2026-11-13-tong-zhi.md",
        "+++\ntitle = \"粘贴的通知\"\n+++\n\n    各位委员：\n\n\t现将有关事项通知如下。\n\n\u{3000}\u{3000}请准时参加。张\u{200B}伟\n\n```\n    代码\n```\n",
    );
    site.build(&[]);
    let html = site.read("news/yaowen/tong-zhi/index.html");
    for paragraph in [
        "<p>各位委员：</p>",
        "<p>现将有关事项通知如下。</p>",
        "<p>请准时参加。张伟</p>",
    ] {
        assert!(html.contains(paragraph), "{paragraph}\n{html}");
    }
    assert_eq!(
        html.matches("<pre").count(),
        1,
        "only the fenced block is code: {html}"
    );
    assert!(
        html.contains("    代码"),
        "fenced code keeps its indent: {html}"
    );
}

/// Names aligned with full-width spaces in Word (`张　伟`) are found by searching 张伟; the page
/// keeps the spaces as written.
#[test]
fn names_aligned_with_full_width_spaces_are_found() {
    let mut opts = tongxin::BuildOptions::new(
        crate::support::fixtures().join("basic"),
        crate::support::TODAY.parse().unwrap(),
    );
    opts.output_dir = None;
    let dir = tempfile::tempdir().unwrap();
    crate::support::copy_tree(&crate::support::fixtures().join("basic"), dir.path());
    std::fs::write(
        dir.path()
            .join("content/news/yaowen/2026-11-14-ming-dan.md"),
        "+++\ntitle = \"名单\"\n+++\n\n出席委员：张　伟、李　　明。\n",
    )
    .unwrap();
    opts.root = dir.path().to_path_buf();
    let (files, _) = tongxin::build_in_memory(&opts).expect("build");
    let read = |p: &str| files.get(p).cloned();
    let sanity = tongxin::search::reader::search(&read, "出席委员");
    assert_eq!(sanity.hits.len(), 1, "index read: {:?}", sanity.fetched);
    for name in ["张伟", "李明"] {
        let found = tongxin::search::reader::search(&read, name);
        assert_eq!(found.hits.len(), 1, "{name}: {:?}", found.hits);
    }
    let html = String::from_utf8_lossy(&files["news/yaowen/ming-dan/index.html"]).into_owned();
    assert!(html.contains("张　伟"), "{html}");
}
