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
    site.write(
        "content/——/ye.md",
        "+++\ntitle = \"无名目录中的页面\"\n+++\n",
    );
    let out = site.run("build", &[]);
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    for expected in [
        "content/empty.md:1:1: error[front-matter]:",
        "content/only-open.md:1:1: error[front-matter]: front matter 没有结束行 `+++`",
        "content/binary.md:2:1: error[encoding]: 文件既不是 UTF-8 也不是 GBK/GB18030 编码，无法读取",
        "content/escape.md:3:1: error[field]: slug `../../escape` 不能含",
        "content/——.md: error[field]: 文件名 `——` 无法生成网址",
        "content/——/ye.md: error[field]: 目录名 `——` 无法生成网址（规范化后为空）",
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

#[test]
fn gbk_bom_and_crlf_files_build_with_gbk_reported() {
    let site = SiteTest::fixture("encodings");
    let out = site.build(&[]);
    assert_eq!(
        stderr(&out),
        "content/news/2026-03-01-gbk.md: warning[encoding]: 文件为 GBK/GB18030 编码，已按该编码读取并转换为 UTF-8\n  提示：建议用编辑器将文件另存为 UTF-8 编码\n"
    );
    let gbk = site.read("news/gbk/index.html");
    assert!(
        gbk.contains("旧电脑上写的稿件")
            && gbk.contains("这篇稿件用 GBK 编码保存，委员们认真履职。")
    );
    assert!(
        site.read("news/bom/index.html")
            .contains("<h1>带 BOM 的稿件</h1>")
    );
    let crlf = site.read("news/crlf/index.html");
    assert!(crlf.contains("<h2 id=\"xiao-biao-ti\">小标题</h2>") && !crlf.contains('\r'));
    let check = site.run("check", &[]);
    assert_eq!(
        check.status.code(),
        Some(0),
        "warnings alone do not fail check"
    );
    assert!(stdout(&check).contains("共 0 个错误，1 个警告，0 处豁免"));
}
