//! `tongxin check` on the `check` fixture: one of each problem, each at its exact place.

use crate::support::*;

/// (file, line, column, level, code) of every reported item, in output order.
fn reported(json: &[u8]) -> Vec<(String, u64, u64, String, String)> {
    let v: serde_json::Value = serde_json::from_slice(json).expect("json array");
    v.as_array()
        .unwrap()
        .iter()
        .map(|d| {
            for key in ["file", "line", "column", "level", "code", "message", "hint"] {
                assert!(d.get(key).is_some(), "{key} missing in {d}");
            }
            (
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["level"].as_str().unwrap().to_string(),
                d["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn every_problem_is_reported_at_its_place_sorted_by_file_and_line() {
    let site = SiteTest::fixture("check");
    let out = site.run("check", &["--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "errors make check fail");
    let y = "content/news/yaowen/";
    let expected: Vec<(String, u64, u64, &str, &str)> = vec![
        ("config.toml".into(), 4, 1, "error", "footer"),
        // The newest page is 2026-10-01, 50 days before today.
        ("content/_index.md".into(), 1, 1, "error", "home-stale"),
        ("content/members/zhang-san.md".into(), 6, 5, "error", "pii"),
        ("content/members/zhang-san.md".into(), 6, 21, "error", "pii"),
        (
            "content/news/tongzhi/_index.md".into(),
            1,
            1,
            "error",
            "empty-section",
        ),
        (format!("{y}2026-04-01-yun-xu.md"), 6, 10, "allowed", "word"),
        (format!("{y}2026-05-01-cuo-min.md"), 2, 12, "error", "word"),
        (
            format!("{y}2026-05-01-cuo-min.md"),
            3,
            17,
            "warning",
            "word",
        ),
        (format!("{y}2026-05-01-cuo-min.md"), 6, 3, "warning", "word"),
        (
            format!("{y}2026-06-01-kong.md"),
            1,
            1,
            "warning",
            "empty-page",
        ),
        (
            format!("{y}2026-09-01-you-biao-ti.md"),
            2,
            1,
            "warning",
            "same-title",
        ),
        (format!("{y}2026-10-01-lian-jie.md"), 5, 4, "error", "link"),
        (
            format!("{y}2026-10-01-lian-jie.md"),
            5,
            26,
            "error",
            "anchor",
        ),
        (format!("{y}2026-10-01-lian-jie.md"), 9, 1, "warning", "alt"),
        (
            format!("{y}2026-10-01-lian-jie.md"),
            11,
            1,
            "error",
            "missing-file",
        ),
        (format!("{y}2026-10-01-lian-jie.md"), 13, 1, "error", "link"),
        (
            format!("{y}2026-12-31-wei-lai.md"),
            3,
            1,
            "warning",
            "future",
        ),
        (format!("{y}_index.md"), 3, 1, "error", "stale-section"),
    ];
    let expected: Vec<_> = expected
        .into_iter()
        .map(|(f, l, c, lv, code)| (f, l, c, lv.to_string(), code.to_string()))
        .collect();
    assert_eq!(reported(&out.stdout), expected);
}

#[test]
fn text_report_ends_with_the_count_and_names_the_fix() {
    let site = SiteTest::fixture("check");
    let out = site.run("check", &[]);
    let text = stdout(&out);
    assert!(
        text.trim_end()
            .ends_with("共 11 个错误，6 个警告，1 处豁免"),
        "{text}"
    );
    assert!(text.contains(
        "content/news/yaowen/2026-05-01-cuo-min.md:2:12: error[word]: 错敏词「政协代表」，应为「政协委员」\n"
    ));
    assert!(text.contains("content/news/yaowen/2026-04-01-yun-xu.md:6:10: allowed[word]: 错敏词「政协代表」，应为「政协委员」\n  提示：引用1980年报道原文"));
    assert!(
        !text.contains("external"),
        "external links only with --external"
    );
    assert!(!site.public().exists(), "check writes nothing");
}

#[test]
fn warnings_alone_exit_0_and_a_check_code_can_be_allowed() {
    let site = SiteTest::fixture("check");
    site.write("config.toml", "title = \"检查区政协\"\nbase_url = \"https://jc.example.gov.cn\"\n\n[footer]\norganizer = \"办公室\"\nicp = \"检ICP备1号\"\n\n[members]\nsectors = [\"工商联\"]\n\n[check]\nwords = \"check/words.toml\"\n");
    site.write(
        "content/members/zhang-san.md",
        "+++\ntitle = \"张三\"\nsector = \"工商联\"\nallow = [{ rule = \"pii\", reason = \"单位公开的办公电话\" }]\n+++\n\n办公电话13812345678。\n",
    );
    for rel in [
        "content/news/yaowen/2026-10-01-lian-jie.md",
        "content/news/yaowen/2026-05-01-cuo-min.md",
    ] {
        site.remove(rel);
    }
    site.write(
        "content/news/tongzhi/2026-11-19-tong-zhi.md",
        "+++\ntitle = \"通知\"\n+++\n\n正文。\n",
    );
    site.write(
        "content/news/yaowen/2026-11-18-xin.md",
        "+++\ntitle = \"新稿\"\n+++\n\n正文。\n",
    );
    let out = site.run("check", &[]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains("content/members/zhang-san.md:7:5: allowed[pii]:"),
        "{text}"
    );
    assert!(
        text.trim_end().ends_with("共 0 个错误，3 个警告，2 处豁免"),
        "{text}"
    );
}

#[test]
fn a_broken_dictionary_is_a_located_error() {
    let site = SiteTest::fixture("check");
    site.write(
        "check/words.toml",
        "[[rule]]\nwrong = \"政协代表\"\nrihgt = \"政协委员\"\n",
    );
    let out = site.run("check", &[]);
    assert!(
        stdout(&out).contains("check/words.toml:3:1: error[config]: 错敏词词库：未知字段 `rihgt`"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn the_sample_site_checks_clean() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = bin()
        .args(["check", "--root"])
        .arg(root)
        .args(["--today", TODAY])
        .output()
        .unwrap();
    let text = stdout(&out);
    assert!(
        text.ends_with("  结论：符合\n共 0 个错误，0 个警告，0 处豁免\n"),
        "{text}"
    );
    assert!(
        text.starts_with("检查结论（按政府网站检查指标）：\n"),
        "{text}"
    );
    assert_eq!(out.status.code(), Some(0));
}

/// A section's `_index.md` publishes its title, description and body on the section's list
/// page: they are checked as a page's are, at their own places, and its `allow` works alike.
#[test]
fn section_index_text_is_checked_like_a_page() {
    let site = SiteTest::fixture("check");
    site.write(
        "check/words.toml",
        "[[rule]]\nwrong = \"政协代表\"\nright = \"政协委员\"\nexcept = [\"政协代表团\"]\n",
    );
    let index = "content/news/yaowen/_index.md";
    site.write(
        index,
        "+++\ntitle = \"政协代表风采\"\ndescription = \"县政协代表团和政协代表\"\nfreshness_days = false\nallow = [{ rule = \"pii\", reason = \"单位公开电话\" }]\n+++\n\n本栏目刊登政协代表的发言，县政协代表团的活动。\n\n联系电话13812345678，联系人XX。\n\n见[首页]（/）。\n",
    );
    let out = site.run("check", &["--format", "json"]);
    let found: Vec<_> = reported(&out.stdout)
        .into_iter()
        .filter(|(file, ..)| file == index)
        .map(|(_, line, column, level, code)| (line, column, level, code))
        .collect();
    let expected = [
        (2, 10, "error", "word"),
        (3, 23, "error", "word"),
        (8, 6, "error", "word"),
        (10, 5, "allowed", "pii"),
        (10, 20, "warning", "placeholder"),
        (12, 6, "warning", "punctuation"),
    ];
    let expected: Vec<_> = expected
        .into_iter()
        .map(|(l, c, lv, code)| (l, c, lv.to_string(), code.to_string()))
        .collect();
    assert_eq!(found, expected);
}

/// `build` refuses to publish an error-level 错敏词 in a section's `_index.md` as in a page,
/// and publishes it once the section allows it.
#[test]
fn an_error_word_in_a_section_blocks_publishing_unless_allowed() {
    let site = SiteTest::empty();
    site.write(
        "config.toml",
        "title = \"临江县政协\"\nbase_url = \"https://lj.example.gov.cn\"\n\n[check]\nwords = \"check/words.toml\"\n",
    )
    .write(
        "check/words.toml",
        "[[rule]]\nwrong = \"政协代表\"\nright = \"政协委员\"\nexcept = [\"政协代表团\"]\n",
    )
    .write(
        "content/news/2026-11-18-hui.md",
        "+++\ntitle = \"县政协代表团出访\"\n+++\n\n正文。\n",
    );
    let index = "content/news/_index.md";
    site.write(
        index,
        "+++\ntitle = \"新闻\"\nkind = \"news\"\n+++\n\n本栏目刊登政协代表的发言。见[首页]（/）。\n",
    );
    let out = site.run("build", &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!("{index}:6:6: error[word]: 错敏词「政协代表」")),
        "{err}"
    );
    assert!(err.contains("本次没有发布"), "{err}");
    assert!(!site.public().exists());
    site.write(
        index,
        "+++\ntitle = \"新闻\"\nkind = \"news\"\nallow = [{ rule = \"政协代表\", reason = \"引用原文\" }]\n+++\n\n本栏目刊登政协代表的发言。见[首页]（/）。\n",
    );
    let out = site.build(&[]);
    assert!(
        stderr(&out).contains(&format!("{index}:7:19: warning[punctuation]")),
        "{}",
        stderr(&out)
    );
    let list = site.read("news/index.html");
    assert!(list.contains("刊登政协代表的发言"), "{list}");
    assert!(list.contains("<a href=\"/\">首页</a>"), "{list}");
}

/// 错敏词 in what a page shows beside its text: a picture's caption (its alt text) and a tag,
/// which is the title of its own page. Each is located where it is written.
#[test]
fn words_in_alt_text_and_tags_are_found_where_written() {
    let site = SiteTest::empty();
    site.write(
        "config.toml",
        "title = \"临江县政协\"\nbase_url = \"https://lj.example.gov.cn\"\n\n[taxonomies]\ntags = { title = \"专题\" }\n\n[check]\nwords = \"check/words.toml\"\n",
    )
    .write(
        "check/words.toml",
        "[[rule]]\nwrong = \"政协代表\"\nright = \"政协委员\"\n",
    )
    .write("content/news/_index.md", "+++\ntitle = \"新闻\"\n+++\n")
    .write(
        "content/news/2026-11-18-hui.md",
        "+++\ntitle = \"座谈会\"\n[taxonomies]\ntags = [\"协商\", \"政协代表风采\"]\n+++\n\n正文。\n\n![政协代表在会上发言](/a.png)\n",
    )
    .write("static/a.png", "png");
    let out = site.run("check", &[]);
    let report = stdout(&out);
    let file = "content/news/2026-11-18-hui.md";
    for said in [
        format!("{file}:4:16: error[word]: 错敏词「政协代表」"),
        format!("{file}:9:3: error[word]: 错敏词「政协代表」"),
    ] {
        assert!(report.contains(&said), "{said}\n{report}");
    }
}

/// Pictures a screen reader cannot describe: an `<img>` in raw HTML without `alt`, and an alt
/// text that is only the file name (shown as the caption too). `alt=""` marks decoration.
#[test]
fn raw_images_without_alt_and_file_names_as_alt_are_warned() {
    let site = SiteTest::fixture("basic");
    site.write("static/a.png", "png");
    let file = "content/news/yaowen/2026-11-18-tu.md";
    site.write(
        file,
        "+++\ntitle = \"图片\"\n+++\n\n<img src=\"/a.png\">\n\n<img alt=\"\" src=\"/a.png\">\n\n\
         ![IMG_0231.JPG](/a.png)\n\n![区政协召开常委会议](/a.png)\n",
    );
    let report = stdout(&site.run("check", &[]));
    let mine: Vec<&str> = report
        .lines()
        .filter(|l| l.starts_with(file) && l.contains("[alt]"))
        .collect();
    assert_eq!(
        mine,
        [
            format!("{file}:5:1: warning[alt]: 图片缺少替代文字"),
            format!("{file}:9:1: warning[alt]: 图片的替代文字是文件名「IMG_0231.JPG」"),
        ],
        "{report}"
    );
}
