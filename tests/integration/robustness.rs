//! Hostile or odd content gets a located diagnostic or builds — never a panic, never a write
//! outside the output folder.

use crate::support::*;

fn assert_no_panic(out: &std::process::Output) {
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "status {:?}: {}",
        out.status,
        stderr(out)
    );
    assert!(!stderr(out).contains("panicked"), "{}", stderr(out));
}

#[test]
fn broken_files_are_located_errors() {
    let site = SiteTest::fixture("basic");
    site.write("content/empty.md", "");
    site.write("content/only-open.md", "+++\n");
    std::fs::write(
        site.root.join("content/binary.md"),
        b"+++\ntitle = \"\xff\xfe\"\n+++\n",
    )
    .unwrap();
    site.write(
        "content/escape.md",
        "+++\ntitle = \"逃逸\"\nslug = \"../../escape\"\n+++\n",
    );
    site.write("content/——.md", "+++\ntitle = \"无名\"\n+++\n");
    let out = site.run("build", &[]);
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    for expected in [
        "content/empty.md:1:1: error[front-matter]:",
        "content/only-open.md:1:1: error[front-matter]: front matter 没有结束行 `+++`",
        "content/binary.md:2:1: error[encoding]: 文件不是 UTF-8 编码，无法读取",
        "content/escape.md:3:1: error[field]: slug `../../escape` 不能含",
        "content/——.md: error[field]: 文件名 `——` 无法生成网址",
    ] {
        assert!(err.contains(expected), "missing `{expected}` in:\n{err}");
    }
    assert!(!site.root.parent().unwrap().join("escape").exists());
}

#[test]
fn titles_are_data_not_templates_or_markup() {
    let site = SiteTest::fixture("basic");
    site.write(
        "content/news/yaowen/2026-04-01-te-shu.md",
        "+++\ntitle = \"{{ config.title }} <script>alert(1)</script>\"\n+++\n正文\n",
    );
    site.build(&[]);
    let html = site.read("news/yaowen/te-shu/index.html");
    assert!(
        html.contains("{{ config.title }} &lt;script&gt;"),
        "title is escaped, not evaluated"
    );
    assert!(!html.contains("<script>alert"));
}

#[test]
fn windows_files_and_loose_folders_build() {
    let site = SiteTest::fixture("basic");
    std::fs::write(
        site.root.join("content/news/yaowen/2026-04-02-windows.md"),
        "\u{feff}+++\r\ntitle = \"来自 Windows 的稿件\"\r\n+++\r\n\r\n第一行\r\n第二行\r\n",
    )
    .unwrap();
    // A folder without _index.md belongs to the nearest section above it.
    site.write(
        "content/news/yaowen/2026/2026-04-03-zi-mu-lu.md",
        "+++\ntitle = \"子目录稿件\"\n+++\n正文\n",
    );
    site.build(&[]);
    assert!(
        site.read("news/yaowen/windows/index.html")
            .contains("来自 Windows 的稿件")
    );
    assert!(site.exists("news/yaowen/2026/zi-mu-lu/index.html"));
    let list = site.read("news/yaowen/index.html") + &site.read("news/yaowen/page/2/index.html");
    assert!(list.contains("子目录稿件"));
}
