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
        "<p class=\"salutation\">各位委员：</p>",
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

/// SPEC: a file in `content/` that is not a page is published only when a page links it.
/// A Notepad copy and a Word original beside a page stay off the server, and `check` says so
/// with the likely slip; linked files (relative, absolute, percent-encoded, in raw HTML, as a
/// cover) are published.
#[test]
fn files_in_content_are_published_only_when_linked() {
    let site = SiteTest::fixture("basic");
    let dir = "content/news/yaowen";
    site.write(
        &format!("{dir}/2026-11-14-bao-ming.md"),
        "+++\ntitle = \"报名通知\"\ncover = \"/news/yaowen/fengmian.png\"\n+++\n\n\
         请下载[报名表](../%E6%8A%A5%E5%90%8D%E8%A1%A8.docx)和[日程](/news/yaowen/richeng.pdf)。\n\n\
         <a href=\"/news/yaowen/zhinan.pdf\">指南</a>\n\n```\n[代码里的](/news/yaowen/code.pdf)\n```\n\n\
         <!-- 暂不公开：\n<a href=\"/news/yaowen/名单.xlsx\">名单</a>\n-->\n\n\
         旧版<!-- <a href=\"/news/yaowen/no-such.pdf\">旧</a> -->已删除。\n",
    );
    for name in ["报名表.docx", "richeng.pdf", "zhinan.pdf", "fengmian.png"] {
        site.write(&format!("{dir}/{name}"), "linked");
    }
    for name in [
        "2026-11-14-bao-ming.md.txt",
        "原稿.docx",
        "名单.xlsx",
        "code.pdf",
    ] {
        site.write(&format!("{dir}/{name}"), "not linked");
    }
    site.build(&[]);
    for name in ["报名表.docx", "richeng.pdf", "zhinan.pdf", "fengmian.png"] {
        assert!(
            site.exists(&format!("news/yaowen/{name}")),
            "{name} published"
        );
    }
    for name in [
        "2026-11-14-bao-ming.md.txt",
        "原稿.docx",
        "名单.xlsx",
        "code.pdf",
    ] {
        assert!(
            !site.exists(&format!("news/yaowen/{name}")),
            "{name} kept back"
        );
    }
    let report = stdout(&site.run("check", &[]));
    for line in [
        "content/news/yaowen/2026-11-14-bao-ming.md.txt: warning[unlinked-file]: 没有页面链接这个文件，它不会被发布\n  提示：这像是用记事本保存的页面：把文件名末尾的 .txt 去掉，它才会成为页面",
        "content/news/yaowen/原稿.docx: warning[unlinked-file]: 没有页面链接这个文件，它不会被发布\n  提示：Word 原稿不会发布；要作为附件就在页面中链接它，要转成页面可运行 tongxin import",
        "content/news/yaowen/名单.xlsx: warning[unlinked-file]: 没有页面链接这个文件，它不会被发布\n  提示：要发布就在页面中链接它；不需要的文件请移出 content 目录",
        "content/news/yaowen/code.pdf: warning[unlinked-file]",
    ] {
        assert!(report.contains(line), "{line}\n{report}");
    }
    assert_eq!(report.matches("unlinked-file").count(), 4, "{report}");
    // A link commented out publishes nothing and is no dead link: readers never see it.
    assert!(!report.contains("no-such.pdf"), "{report}");
    // A picture of a draft (what `import` leaves): the hint says so.
    site.write(
        &format!("{dir}/2026-11-13-cao-gao.md"),
        "+++\ntitle = \"草稿\"\ndraft = true\n+++\n\n![会场](/news/yaowen/cao-gao-1.png)\n",
    );
    site.write(&format!("{dir}/cao-gao-1.png"), "draft's");
    let report = stdout(&site.run("check", &[]));
    let line = "content/news/yaowen/cao-gao-1.png: warning[unlinked-file]: 没有页面链接这个文件，它不会被发布\n  \
                提示：链接它的 content/news/yaowen/2026-11-13-cao-gao.md 还是草稿（draft = true）；草稿发布时它会一起发布";
    assert!(report.contains(line), "{line}\n{report}");
}

/// Links and images written in raw HTML (pasted from another site, or a table of links) are
/// checked as Markdown ones are, each at its tag: a government site is inspected for every dead
/// link it publishes.
#[test]
fn links_in_raw_html_are_checked_at_their_tag() {
    let site = SiteTest::fixture("basic");
    let page = "content/news/yaowen/2026-11-17-yuan-ma.md";
    site.write(
        page,
        "+++\ntitle = \"原始 HTML\"\n+++\n\n<img src=\"/images/bu-zai.jpg\" alt=\"照片\">\n\n\
         见<a href=\"/news/bu-cun-zai/\">旧文</a>和<a href='/news/'>新闻</a>、\
         <a href=\"https://example.cn/\">外链</a>、<A HREF=\"#wu\">锚点</A>。\n",
    );
    let report = stdout(&site.run("check", &[]));
    let ours: Vec<&str> = report.lines().filter(|l| l.starts_with(page)).collect();
    assert_eq!(
        ours,
        [
            format!("{page}:5:1: error[missing-file]: 找不到文件 /images/bu-zai.jpg"),
            format!("{page}:7:2: error[link]: 链接 /news/bu-cun-zai/ 指向的页面不存在"),
            format!("{page}:7:98: error[anchor]: 锚点 #wu 在目标页面中不存在"),
        ],
        "{report}"
    );
}

/// A photo put beside its page file and linked by its bare name (what an editor's preview
/// shows working) is reached from the page's address, where it is not: `check` says how to
/// write it, at the field and at the image, and does not also call the photo unlinked.
#[test]
fn a_photo_beside_its_page_gets_the_link_to_write() {
    let site = SiteTest::fixture("basic");
    let page = "content/news/yaowen/2026-11-16-zhao-pian.md";
    let write_page = |src: &str| {
        site.write(
            page,
            &format!("+++\ntitle = \"照片\"\ncover = \"{src}\"\n+++\n\n![会场]({src})\n"),
        )
    };
    write_page("zhao-pian.png");
    let mut png = std::io::Cursor::new(Vec::new());
    image::RgbImage::new(8, 6)
        .write_to(&mut png, image::ImageFormat::Png)
        .unwrap();
    std::fs::write(
        site.root.join("content/news/yaowen/zhao-pian.png"),
        png.into_inner(),
    )
    .unwrap();
    let report = stdout(&site.run("check", &[]));
    let hint = "  提示：这个文件在稿件旁边，链接要从网站根目录写起：/news/yaowen/zhao-pian.png";
    for line in [
        format!("{page}:3:1: error[missing-file]: 找不到图片 zhao-pian.png\n{hint}"),
        format!("{page}:6:1: error[missing-file]: 找不到文件 zhao-pian.png\n{hint}"),
    ] {
        assert!(report.contains(&line), "{line}\n{report}");
    }
    assert!(
        !report.contains("zhao-pian.png: warning[unlinked-file]"),
        "{report}"
    );
    // Written as the hint says, it is published and shown.
    write_page("/news/yaowen/zhao-pian.png");
    let report = stdout(&site.run("check", &[]));
    assert!(!report.contains("zhao-pian"), "{report}");
    site.build(&[]);
    assert!(site.exists("news/yaowen/zhao-pian.png"));
    let html = site.read("news/yaowen/zhao-pian/index.html");
    assert!(
        html.contains("src=\"/news/yaowen/zhao-pian.png\""),
        "{html}"
    );
}

/// SPEC: `build` refuses to publish a page holding personal data, an unsafe URL or an
/// `error`-level 错敏词 (exit 1, the previous output kept byte for byte), unless the page allows
/// it; the refusal says why in the last line.
#[test]
fn build_refuses_personal_data_unsafe_urls_and_error_words() {
    let site = SiteTest::fixture("basic");
    let config = std::fs::read_to_string(site.root.join("config.toml")).unwrap();
    site.write(
        "config.toml",
        &format!("{config}words = \"check/words.toml\"\n"),
    );
    site.write(
        "check/words.toml",
        "[[rule]]\nwrong = \"政协代表\"\nright = \"政协委员\"\nlevel = \"error\"\n",
    );
    site.build(&[]);
    let before = crate::support::snapshot(&site.public());
    let page = "content/news/yaowen/2026-11-15-fa-bu.md";
    for (body, code) in [
        ("联系人手机 13812345678。", "error[pii]"),
        // Typed in an input method's full-width mode: the same number, the same refusal.
        ("联系人手机１３８１２３４５６７８。", "error[pii]"),
        (
            "身份证号１１０１０５１９４９１２３１００２Ｘ。",
            "error[pii]",
        ),
        ("[点击](javascript:alert(1))", "error[unsafe-url]"),
        ("县政协代表参加了会议。", "error[word]"),
    ] {
        site.write(page, &format!("+++\ntitle = \"发布\"\n+++\n\n{body}\n"));
        let out = site.run("build", &[]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{body}: {err}");
        assert!(
            err.contains(&format!("{page}:5:")) && err.contains(code),
            "{body}: {err}"
        );
        assert!(
            err.contains("public: error[refused]: 有 1 处个人信息、不安全链接或错敏词，本次没有发布，原来的网站保持不变"),
            "{err}"
        );
        assert_eq!(crate::support::snapshot(&site.public()), before, "{body}");
    }
    // Allowed by the page, the 错敏词 is published and reported as allowed by `check` only.
    site.write(
        page,
        "+++\ntitle = \"发布\"\nallow = [{ rule = \"政协代表\", reason = \"引用原文\" }]\n+++\n\n县政协代表参加了会议。\n",
    );
    let out = site.build(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("政协代表"), "{}", stderr(&out));
    assert!(site.exists("news/yaowen/fa-bu/index.html"));
}

/// SPEC: `build` reports what `check` would find as warnings, errors first, the first five and
/// a count of the rest; a dead link never stops publishing.
#[test]
fn build_reports_what_check_finds_and_publishes_anyway() {
    let site = SiteTest::fixture("basic");
    for i in 1..=7 {
        site.write(
            &format!("content/news/yaowen/2026-11-0{i}-lian-jie-{i}.md"),
            &format!("+++\ntitle = \"链接 {i}\"\n+++\n\n见[会议](/news/bu-cun-zai-{i}/)。\n"),
        );
    }
    let out = site.build(&[]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(site.exists("news/yaowen/lian-jie-1/index.html"));
    let found: Vec<&str> = err.lines().filter(|l| l.contains(": warning[")).collect();
    assert_eq!(found.len(), 5, "{err}");
    assert!(
        found.iter().all(|l| l.contains("warning[link]")),
        "errors first: {err}"
    );
    assert!(
        !err.contains("error["),
        "shown as warnings, not errors: {err}"
    );
    let check = stdout(&site.run("check", &[]));
    let total = check.lines().filter(|l| l.contains("]: ")).count();
    assert!(total > 7, "{check}");
    assert!(
        err.contains(&format!(
            "另有 {} 个问题，运行 tongxin check 查看",
            total - 5
        )),
        "{err}\n{check}"
    );
}

/// A 通知 written as in Word — salutation first, issuing body and date last — gets its
/// salutation flush left and its 落款 right-aligned; the same classes written as raw HTML pass
/// the sanitizer.
#[test]
fn a_notice_gets_a_flush_left_salutation_and_a_right_aligned_signature() {
    let site = SiteTest::fixture("basic");
    site.write(
        "content/news/yaowen/2026-11-17-tong-zhi.md",
        "+++\ntitle = \"关于召开常委会议的通知\"\n+++\n\n各位常委：\n\n定于11月25日召开常委会议。\n\n特此通知。\n\n政协测试区委员会办公室\n\n2026年11月17日\n",
    );
    site.write(
        "content/news/yaowen/2026-11-18-han.md",
        "+++\ntitle = \"复函\"\n+++\n\n正文。\n\n<p class=\"signature\" onclick=\"alert(1)\">区政协提案委员会</p>\n",
    );
    site.build(&[]);
    let html = site.read("news/yaowen/tong-zhi/index.html");
    for part in [
        "<p class=\"salutation\">各位常委：</p>",
        "<p>特此通知。</p>",
        "<p class=\"signature\">政协测试区委员会办公室</p>",
        "<p class=\"signature\">2026年11月17日</p>",
    ] {
        assert!(html.contains(part), "{part}\n{html}");
    }
    let html = site.read("news/yaowen/han/index.html");
    assert!(
        html.contains("<p class=\"signature\">区政协提案委员会</p>"),
        "{html}"
    );
    let css = site.read(&site.asset("style.css"));
    assert!(css.contains("p.signature { text-indent: 0; text-align: right;"));
}

/// A mistyped `--root` is named, and nothing is created for it, whatever the command.
#[test]
fn a_missing_site_folder_is_named_by_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("青山区政协网站");
    for args in [
        vec!["build"],
        vec!["check"],
        vec!["serve", "--port", "0"],
        vec!["new", "news/yaowen", "标题"],
    ] {
        let out = crate::support::bin()
            .args(&args)
            .arg("--root")
            .arg(&missing)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert_eq!(
            stderr(&out),
            format!("{}: error[refused]: 站点目录不存在\n", missing.display()),
            "{args:?}"
        );
        assert!(!missing.exists(), "{args:?} created the folder");
    }
}
